#pragma once
// Probe page: choose features, triplets and the λ grid, train a linear probe (ProbeController), watch the
// loss curves, read the result card, save/load the transform, and apply it: the transformed features join
// the Session as a model, so the odd-one-out and RSA pages compare zero-shot and transformed side by side.

#include "alignscope/probe.h"

#include <QWidget>

class FigureRegistry;
class OddOneOutController;
class ProbeController;
class ProbeCurves;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;
class RsaController;
class Session;

class ProbePage : public QWidget
{
    Q_OBJECT
public:
    // Registers the "probe-curves" figure; the transfer table follows both analyses.
    ProbePage(Session* session, ProbeController* probe, OddOneOutController* oddOneOut, RsaController* rsa,
              FigureRegistry* figures, QWidget* parent = nullptr);

    // Starts training with the current settings (what the Train button does).
    bool train();
    // Chooses the features (a session item) and the triplet set whose summary contains `tripletsContaining`.
    bool selectInputs(int featuresId, const QString& tripletsContaining);
    void setLambdas(const QString& text);
    void setOptimizer(alignscope::ProbeOptimizer optimizer);
    void setIterationsForTesting(int lbfgsIterations, int epochs);
    ProbeCurves* curves() const { return m_curves; }
    QTableWidget* transferTable() const { return m_transfer; }
    QString cardText() const;

private:
    void refreshInputs();
    void showProbe();
    void updateTransferTable();

    Session* m_session;
    ProbeController* m_probe;
    OddOneOutController* m_oddOneOut;
    RsaController* m_rsa;
    QComboBox* m_model;
    QComboBox* m_triplets;
    QLineEdit* m_lambdas;
    QSpinBox* m_folds;
    QComboBox* m_optimizer;
    QLabel* m_card;
    ProbeCurves* m_curves;
    QTableWidget* m_transfer;
    int m_lbfgsIterations = 300;
    int m_epochs = 100;
};
