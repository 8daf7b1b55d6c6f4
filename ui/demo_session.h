#pragma once
// The built-in synthetic demo: generates it (core, deterministic) on a worker, loads it into the window, then
// extracts the demo CNN's features, trains a probe on them and applies it, so every page has content.

#include "alignscope/demo_data.h"

#include <QObject>
#include <optional>

class MainWindow;

class DemoSession : public QObject
{
    Q_OBJECT
public:
    explicit DemoSession(MainWindow* window);

    // `folder` empty: the default demo folder (reused when already complete).
    void start(const QString& folder = {});
    bool isReady() const { return m_ready; }
    const std::optional<alignscope::DemoDataset>& dataset() const { return m_dataset; }

Q_SIGNALS:
    void ready();
    void failed(const QString& message);

private:
    void load(const alignscope::DemoDataset& demo);
    void extractCnnFeatures();
    void trainProbe(const QString& featuresPath);

    MainWindow* m_window;
    std::optional<alignscope::DemoDataset> m_dataset;
    bool m_ready = false;
    int m_probeAttempts = 0;
};
