#pragma once
// Owns linear probing: trains a probe on one model's features and a triplet set (on the compute lane, with a
// step signal for the loss curves), loads and saves transforms, and applies the probe's transform so that
// the transformed features join the Session as a model. The probe itself is Session state.

#include "alignscope/probe.h"

#include <QObject>
#include <QString>
#include <vector>

class OddOneOutController;
class RsaController;
class Session;
class TaskRunner;

struct ProbeSettings
{
    int featuresId = 0; // session items
    int tripletsId = 0;
    std::vector<double> lambdas;
    int folds = 3;
    alignscope::ProbeOptimizer optimizer = alignscope::ProbeOptimizer::Lbfgs;
    int lbfgsIterations = 300;
    int epochs = 100;
};

// One row of the transfer table: an analysis's value for the zero-shot and the transformed features.
struct TransferRow
{
    QString analysis;
    QString model;
    double zeroShot = 0;
    double transformed = 0;
};

class ProbeController : public QObject
{
    Q_OBJECT
public:
    ProbeController(Session* session, TaskRunner* tasks, QObject* parent = nullptr);

    // Starts training; false with `failed` emitted when the inputs do not allow it.
    bool train(const ProbeSettings& settings);
    bool isTraining() const { return m_training; }
    // Applies the probe's transform to its source features on a worker; the result joins the Session as a
    // model (Session::itemAdded). False (with `failed`) when there is no probe or its features are not open;
    // a later failure is reported by `failed` too.
    bool apply();
    QString saveTransform(const QString& path) const; // error or empty
    QString loadTransform(const QString& path, int featuresId);

    static std::vector<TransferRow> transferRows(const Session& session, const OddOneOutController& oddOneOut,
                                                 const RsaController& rsa);

Q_SIGNALS:
    void started(const QString& description);
    void step(const alignscope::ProbeStep& step);
    void trained();
    void failed(const QString& message);

private:
    Session* m_session;
    TaskRunner* m_tasks;
    bool m_training = false;
};
