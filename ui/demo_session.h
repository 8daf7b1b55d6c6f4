#pragma once
// The built-in synthetic demo: generates it (core, deterministic) on a worker, opens it in the Workbench,
// loads its population of simulated models (Compare page), extracts the demo CNN's features, trains a probe
// on them and applies it, so every page has content. Each step starts on the signal that the previous one is
// done.

#include "alignscope/demo_data.h"

#include <QObject>
#include <QStringList>
#include <optional>

class Workbench;

class DemoSession : public QObject
{
    Q_OBJECT
public:
    explicit DemoSession(Workbench* workbench, QObject* parent = nullptr);

    // `folder` empty: the default demo folder (reused when already complete).
    void start(const QString& folder = {});
    bool isReady() const { return m_ready; }
    const std::optional<alignscope::DemoDataset>& dataset() const { return m_dataset; }

Q_SIGNALS:
    void ready();
    void failed(const QString& message);

private:
    void open(const alignscope::DemoDataset& demo);
    void extractCnnFeatures();
    void trainProbeWhenInputsAreIn();

    Workbench* m_workbench;
    std::optional<alignscope::DemoDataset> m_dataset;
    QStringList m_paths;
    bool m_opened = false;
    int m_featuresId = 0;
    bool m_training = false;
    bool m_ready = false;
};
