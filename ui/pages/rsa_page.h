#pragma once
// RSA pages: the RDM page (RSA table; human, model and rank-difference heatmaps with colormap, ordering and
// rank display; the most divergent pairs) and the scatter page (model vs human dissimilarity density).

#include "alignscope/rsa_analysis.h"

#include <QWidget>
#include <memory>

class DensityPlot;
class HeatmapView;
class QCheckBox;
class QComboBox;
class QLabel;
class QTableWidget;
class TaskRunner;

class RsaPage : public QWidget
{
    Q_OBJECT
public:
    RsaPage(TaskRunner* tasks, QWidget* parent = nullptr);
    // One analysis per human dataset; the table lists them all, the heatmaps show the chosen one.
    void setAnalyses(std::vector<std::shared_ptr<const alignscope::RsaAnalysis>> analyses);
    void setMessage(const QString& message);
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

Q_SIGNALS:
    void displayReady(); // heatmaps, pairs and scatter show the selected model

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
    DensityPlot* m_scatter;
};
