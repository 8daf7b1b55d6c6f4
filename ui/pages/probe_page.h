#pragma once
// Probe page: train a linear probe on one model's features and the human triplets, watch the loss curves,
// read the result card, save/load the transform, and apply it: the transformed features join the workspace
// as a model, so the odd-one-out and RSA pages compare zero-shot and transformed side by side.

#include "alignscope/probe.h"

#include <QWidget>
#include <memory>
#include <optional>

class ProbeCurves;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class MainWindow;

class ProbePage : public QWidget
{
    Q_OBJECT
public:
    explicit ProbePage(MainWindow* window);

    void refreshInputs(); // models and triplets available in the workspace
    // Starts training with the current settings (what the Train button does); false with a reason in the log.
    bool train();
    // Transforms the probed model's features and adds them to the workspace ("apply to all datasets").
    bool applyToDatasets();
    void updateTransferTable();

    // Chooses the model (by workspace path) and the triplet set whose summary contains `tripletsContaining`.
    bool selectInputs(const QString& modelPath, const QString& tripletsContaining);
    void setLambdas(const QString& text);
    void setOptimizer(alignscope::ProbeOptimizer optimizer);
    void setIterationsForTesting(int lbfgsIterations, int epochs);
    const std::optional<alignscope::ProbeResult>& result() const { return m_result; }
    ProbeCurves* curves() const { return m_curves; }
    QTableWidget* transferTable() const { return m_transfer; }
    QString probedModelPath() const { return m_modelPath; }
    // Restores a result saved in a project (no retraining).
    void restore(const alignscope::ProbeResult& result, const QString& modelPath);

Q_SIGNALS:
    void trained();

private:
    MainWindow* m_window;
    QComboBox* m_model;
    QComboBox* m_triplets;
    QLineEdit* m_lambdas;
    QSpinBox* m_folds;
    QComboBox* m_optimizer;
    QLabel* m_card;
    ProbeCurves* m_curves;
    QTableWidget* m_transfer;
    std::optional<alignscope::ProbeResult> m_result;
    QString m_modelPath;
    int m_lbfgsIterations = 300;
    int m_epochs = 100;
};
