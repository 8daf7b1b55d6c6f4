#pragma once
// Table of the Session's object set: index, ID, name, category, and each stimulus's image (a thumbnail
// decoded on a worker, requested only for the rows in view) with its path; below it, each object's
// odd-one-out accuracy per model (worst first, searchable by name).

#include "alignscope/data_model.h"

#include <QAbstractTableModel>
#include <QWidget>
#include <memory>

class FigureRegistry;
class ObjectAlignmentController;
class ObjectAlignmentModel;
class ObjectAlignmentProxy;
class ObjectInspector;
class ObjectMapsChart;
class PopulationChart;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class Session;
class TaskRunner;
class ThumbnailCache;

class StimulusTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    // Images are drawn from `thumbnails` (optional).
    void setThumbnails(ThumbnailCache* thumbnails);
    void setStimuli(std::shared_ptr<const alignscope::StimulusSet> stimuli);
    bool hasImages() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const alignscope::StimulusSet> m_stimuli;
    ThumbnailCache* m_thumbnails = nullptr;
};

class ObjectsPage : public QWidget
{
    Q_OBJECT
public:
    // The alignment table below the objects asks `alignment` for its numbers once the page is shown.
    // With `figures`, registers the inspector ("object-inspector") and the maps ("object-map") as figures.
    ObjectsPage(Session* session, TaskRunner* tasks, ObjectAlignmentController* alignment,
                FigureRegistry* figures = nullptr, QWidget* parent = nullptr);
    int objectCount() const;
    StimulusTableModel* model() const { return m_model; }
    ThumbnailCache* thumbnails() const { return m_thumbnails; }
    // Objects by each model's accuracy over their triplets, worst first; filtered by the search field.
    ObjectAlignmentModel* alignmentModel() const { return m_alignmentModel; }
    QTableView* alignmentTable() const { return m_alignmentTable; }
    void setSearch(const QString& text);
    // The selected object in detail (follows the alignment table's current row).
    ObjectInspector* inspector() const { return m_inspector; }
    // The scatter beside the inspector: each object as a point, one per-object measure against another (its
    // axis choices: every model's accuracy, and with a concept space its neighbour agreement); a click
    // inspects the object.
    PopulationChart* scatter() const { return m_scatter; }
    void setScatterAxes(int xIndex, int yIndex); // indices into the axis choices
    // The maps: the chosen model's and the people's, side by side (with a concept space). A lasso selects
    // objects in both; the button below them opens the chosen model's triplets with any of them.
    ObjectMapsChart* maps() const { return m_maps; }
    void setMapModel(int model);
    void selectOnMap(std::vector<int> objects); // as if lassoed
    QPushButton* selectionTripletsButton() const { return m_selectionTriplets; }
    // What the scatter's tooltip says over `point`: the object's image (when it has one), name and values.
    QString scatterToolTipAt(const QPointF& point) const;
    // Selects the object (its stimulus index) in the table, clearing a search that hides it: the inspector
    // and the scatter's ring follow.
    void inspectObject(int stimulus);

Q_SIGNALS:
    // The inspector's link to a model's triplets that contain the object (its index in the analysis).
    void objectTripletsRequested(int stimulus, int model);
    // The maps' lasso selection: a model's triplets that contain any of the objects.
    void objectsTripletsRequested(const std::vector<int>& stimuli, int model);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void setStimuli(std::shared_ptr<const alignscope::StimulusSet> stimuli);
    void fillScatterChoices();
    void redrawScatter();
    void redrawMaps();

    StimulusTableModel* m_model;
    ThumbnailCache* m_thumbnails;
    QLabel* m_title;
    QTableView* m_table;
    ObjectAlignmentController* m_alignment;
    ObjectAlignmentModel* m_alignmentModel;
    ObjectAlignmentProxy* m_alignmentProxy;
    QLineEdit* m_search;
    QTableView* m_alignmentTable;
    ObjectInspector* m_inspector;
    QComboBox* m_scatterX;
    QComboBox* m_scatterY;
    PopulationChart* m_scatter;
    QComboBox* m_mapModel;
    ObjectMapsChart* m_maps;
    QPushButton* m_selectionTriplets;
    std::vector<int> m_mapSelection;
};
