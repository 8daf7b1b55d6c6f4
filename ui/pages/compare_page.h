#pragma once
// Compare page: the population of models (PopulationController) as a scatter of a result against a metadata
// column or another result, a result by factor level, or the concept × model heatmap, with the statistics of
// what is shown beside the plot. Registers the figures "compare-scatter", "compare-by-factor" and
// "compare-concepts"; a click on a heatmap cell asks (upward) for that model's triplets of that concept.

#include "figures/population_figure.h"

#include <QWidget>

class FigureRegistry;
class PopulationChart;
class PopulationController;
class QCheckBox;
class QComboBox;
class QLabel;
class QTableView;

class ComparePage : public QWidget
{
    Q_OBJECT
public:
    ComparePage(PopulationController* controller, FigureRegistry* figures, QWidget* parent = nullptr);

    PopulationSelection selection() const;
    // Sets the controls (entries that do not exist are left as they are) and redraws.
    void setSelection(const PopulationSelection& selection);
    PopulationChart* chart() const { return m_chart; }
    QString statisticsText() const;
    QTableView* modelTable() const { return m_table; }
    // What the page warns about: mixed results (refused or pooled), files without a fingerprint, models left
    // out; empty when nothing.
    QString warningText() const;

Q_SIGNALS:
    // A heatmap cell was clicked: the model's index in the controller's population().models and the concept's
    // in its conceptLabels() (ids, not names: two models can share a name).
    void showModelConcept(int model, int concept);
    void openResultsRequested();
    void openMetadataRequested();
    void exportTablesRequested();
    void saveMetadataRequested();

private:
    void fillChoices();
    void redraw();
    PopulationFigureData figureFor(PopulationView view) const;
    void showStatistics();
    void showWarnings();
    QString selectedModelText() const;

    PopulationController* m_controller;
    QComboBox* m_view;
    QComboBox* m_y;
    QComboBox* m_x;
    QCheckBox* m_logX;
    QComboBox* m_groupBy;
    QComboBox* m_conceptValues;
    QComboBox* m_modelOrder;
    QLabel* m_models;
    QLabel* m_warning; // mixed results, results without a fingerprint, models left out
    QCheckBox* m_allowMixed;
    QLabel* m_statistics;
    QTableView* m_table;
    PopulationChart* m_chart;
    bool m_filling = false;
    QString m_highlighted;   // the model clicked last
    bool m_hadTable = false; // defaults are chosen once, when the first model table arrives
};
