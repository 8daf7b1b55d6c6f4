#pragma once

// Triplet browser: a virtualized list of the triplets of the current analysis, filtered (disagreements,
// agreements, all; concept dimension; model) and sorted (model confidence, human consensus). A triplet judged
// several times is one row: the majority's judgment, with its human consensus and how many judged it.
// The rows are listed by the core's findDisagreements on a worker; only the visible rows are painted.

#include "alignscope/odd_one_out_analysis.h"
#include "charts/figure_export.h"
#include "charts/triplet_painter.h"

#include <QAbstractListModel>
#include <QStyledItemDelegate>
#include <QWidget>
#include <memory>
#include <vector>

class FigureRegistry;
class OddOneOutController;
class QComboBox;
class QLabel;
class QPushButton;
class QListView;
class TaskRunner;
class ThumbnailCache;

class TripletListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles
    {
        RowRole = Qt::UserRole + 1
    };
    using QAbstractListModel::QAbstractListModel;

    // Stimuli with image paths are drawn with thumbnails from this cache (optional).
    void setThumbnails(ThumbnailCache* thumbnails);
    // `triplets`: the judgment shown on each row; `judgments`: how many judged its triplet (empty: one each).
    void setRows(std::shared_ptr<const alignscope::OddOneOutAnalysis> analysis, int model,
                 std::vector<std::int64_t> triplets, std::vector<std::int32_t> judgments = {});
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    // `decodeNow`: thumbnails decoded here if not cached yet (for figures), else requested in the background.
    TripletRow rowAt(int row, bool decodeNow = false) const;
    std::int64_t tripletAt(int row) const { return m_triplets[size_t(row)]; }

private:
    std::shared_ptr<const alignscope::OddOneOutAnalysis> m_analysis;
    int m_model = 0;
    std::vector<std::int64_t> m_triplets;
    std::vector<std::int32_t> m_judgments;
    ThumbnailCache* m_thumbnails = nullptr;
};

class TripletDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

class TripletBrowser : public QWidget
{
    Q_OBJECT
public:
    using Show = alignscope::TripletAgreement;
    enum class Sort
    {
        Confidence,
        Consensus,
        Index
    };

    // Shows the controller's analysis; registers the "triplets" figure (the rows on screen).
    TripletBrowser(OddOneOutController* controller, TaskRunner* tasks, FigureRegistry* figures,
                   QWidget* parent = nullptr);
    void setAnalysis(std::shared_ptr<const alignscope::OddOneOutAnalysis> analysis);
    void setFilter(Show show, int dimension, int model, Sort sort);
    void showDimension(int dimension); // keeps the other filters
    // Only the triplets that contain the stimulus (its index in the analysis's objects; -1: every triplet),
    // with `model` chosen when it is one; keeps the other filters. A button above the list says which and
    // clears it.
    void showObject(int stimulus, int model = -1);
    // Only the triplets that contain all the stimuli (an RDM cell's two objects) or any of them (a map's
    // lasso selection); indices outside the analysis's objects are dropped, none left: every triplet.
    void showObjects(std::vector<int> stimuli, alignscope::ObjectMatch match, int model = -1);
    // The one object filtered on, else -1; objects(): all of them.
    int object() const;
    const std::vector<std::int32_t>& objects() const { return m_objects; }
    alignscope::ObjectMatch objectMatch() const { return m_objectMatch; }
    QString objectFilterText() const; // what the button above the list says
    int visibleRows() const;
    int currentModel() const; // the model listed (an index in the analysis), -1 without one
    TripletListModel* listModel() const { return m_model; }
    ThumbnailCache* thumbnails() const { return m_thumbnails; }
    // Renders the rows currently in view with the screen's paint routine; format from the suffix
    // (.png/.svg/.pdf).
    bool exportVisibleRows(const QString& path, QString* error = nullptr) const;
    // The rows on screen as a figure (the list delegate's paint routine).
    FigurePainter figure() const;

Q_SIGNALS:
    void rowsReady();

private:
    void refilter();

    TaskRunner* m_tasks;
    std::shared_ptr<const alignscope::OddOneOutAnalysis> m_analysis;
    TripletListModel* m_model;
    ThumbnailCache* m_thumbnails;
    QListView* m_list;
    QComboBox* m_show;
    QComboBox* m_dimension;
    QComboBox* m_modelChoice;
    QComboBox* m_sort;
    QLabel* m_count;
    QPushButton* m_objectFilter;
    std::vector<std::int32_t> m_objects;
    alignscope::ObjectMatch m_objectMatch = alignscope::ObjectMatch::All;
    bool m_updatingControls = false;
};
