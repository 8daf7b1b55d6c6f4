#pragma once
// RSA pages: the RDM page (RSA table; human, model and rank-difference heatmaps with colormap, ordering and
// rank display; the most divergent pairs) and the scatter page (model vs human dissimilarity density).

#include "charts/density_plot.h"

#include "alignscope/rsa_analysis.h"

#include <QPointer>
#include <QWidget>
#include <memory>

class FigureRegistry;
class RsaController;
class HeatmapView;
class QCheckBox;
class QComboBox;
class QLabel;
class QTableWidget;
class RdmPairPanel;
class TaskRunner;

class RsaPage : public QWidget
{
    Q_OBJECT
public:
    // Shows the controller's analyses; registers the RSA table, the three heatmaps and the scatter as
    // figures. The scatter is a separate page: scatter() (owned by whoever shows it, else by this page).
    RsaPage(RsaController* controller, TaskRunner* tasks, FigureRegistry* figures, QWidget* parent = nullptr);
    // One analysis per human dataset; the table lists them all, the heatmaps show the chosen one.
    void setAnalyses(std::vector<std::shared_ptr<const alignscope::RsaAnalysis>> analyses);
    void setMessage(const QString& message);
    ~RsaPage() override;
    DensityPlot* scatter() const { return m_scatter; }
    QTableWidget* table() const { return m_table; }
    QTableWidget* divergentPairs() const { return m_pairs; }
    HeatmapView* humanView() const { return m_human; }
    HeatmapView* modelView() const { return m_modelView; }
    HeatmapView* differenceView() const { return m_difference; }
    // How the heatmaps' rows are ordered (the order combo carries these values as item data).
    enum class Order
    {
        Dataset,
        Category,
        Clustered,
        Concept
    };
    void setOrder(Order order);
    QComboBox* datasetChoice() const { return m_dataset; }
    // The pair last clicked in a heatmap or the divergent pairs, in detail.
    RdmPairPanel* pairPanel() const { return m_pair; }

Q_SIGNALS:
    void displayReady(); // heatmaps, pairs and scatter show the selected model
    // The pair panel's link: the odd-one-out triplets that contain both stimuli (by ID).
    void pairTripletsRequested(const QString& firstId, const QString& secondId);

private:
    void refreshDisplay();
    void showDataset(int index);
    void applyOrder();

    TaskRunner* m_tasks;
    std::vector<std::shared_ptr<const alignscope::RsaAnalysis>> m_analyses;
    std::shared_ptr<const alignscope::RsaAnalysis> m_analysis; // the one shown
    QLabel* m_summary;
    QComboBox* m_dataset;
    QTableWidget* m_table;
    QComboBox* m_model;
    QComboBox* m_colormap;
    QComboBox* m_order;
    QCheckBox* m_ranks;
    HeatmapView* m_human;
    HeatmapView* m_modelView;
    HeatmapView* m_difference;
    QTableWidget* m_pairs;
    std::vector<alignscope::DivergentPair> m_shownPairs; // the rows of m_pairs
    RdmPairPanel* m_pair;
    QPointer<DensityPlot> m_scatter;
};
