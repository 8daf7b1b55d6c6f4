// The GUI at THINGS scale, as a user meets it: a MainWindow opens an object list, 4.7 M triplets and 1 or 10
// feature files (1,854 × 2,048, rows named by .rows.txt sidecars); measured are the time to load them, the
// time from "loaded" to the results row of every model, the worst lateness of a 5 ms timer on the GUI thread
// meanwhile (an event-loop latency probe: how long the GUI was blocked) and peak memory. Usage: bench_gui
// [models...] (default: 1 10). Prints one block per run; exit 1 if a run fails.
#include "controllers/odd_one_out_controller.h"
#include "controllers/workbench.h"
#include "main_window.h"
#include "session/session.h"

#include "bench_gui_support.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <fstream>

namespace {

// Lateness of a 5 ms repeating timer: a blocked event loop shows up as a late tick.
class LatencyProbe : public QObject
{
public:
    explicit LatencyProbe(QObject* parent = nullptr) : QObject(parent)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_worst = std::max(m_worst, double(now - m_last) / 1e6 - 5.0);
            m_last = now;
        });
    }
    void restart()
    {
        m_worst = 0;
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    double worstMs() const { return m_worst; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_worst = 0;
};

double peakResidentMb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return -1;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::vector<int> runs;
    for (int a = 1; a < argc; ++a)
        runs.push_back(std::atoi(argv[a]));
    if (runs.empty()) runs = {1, 10};
    const int maxModels = *std::max_element(runs.begin(), runs.end());

    const std::int64_t n = 1854, p = 2048, t = 4700000;
    QTemporaryDir dir;
    const QStringList inputs = benchgui::writeThingsScaleInputs(QDir(dir.path()), n, p, t, maxModels);
    if (inputs.isEmpty()) return 1;

    int failures = 0;
    for (int models : runs) {
        MainWindow window;
        window.show();
        benchgui::waitFor([] { return false; },
                          0.5); // the first layout and paint, before anything is measured
        LatencyProbe probe;
        QElapsedTimer clock;
        probe.restart();
        clock.start();
        // Objects first (as a user opens a THINGS folder), then triplets and features together.
        window.openPaths({dir.filePath(QStringLiteral("objects.txt"))});
        if (!benchgui::waitFor([&] { return window.workbench()->session()->objects() != nullptr; }, 60)) {
            std::printf("%d models: objects did not load\n", models);
            ++failures;
            continue;
        }
        window.openPaths(inputs.mid(0, 1 + models)); // the triplets and `models` feature files
        const size_t expectedItems = size_t(2 + models);
        const bool loaded = benchgui::waitFor(
            [&] { return window.workbench()->session()->items().size() >= expectedItems; }, 300);
        const double loadSeconds = clock.nsecsElapsed() / 1e9;
        const double loadLateness = probe.worstMs();
        probe.restart();
        clock.restart();
        const bool computed = loaded && benchgui::waitFor(
                                            [&] {
                                                const auto analysis =
                                                    window.workbench()->oddOneOut()->analysis();
                                                return analysis && int(analysis->models.size()) == models;
                                            },
                                            300);
        const double resultSeconds = clock.nsecsElapsed() / 1e9;
        std::printf("%d model(s), n=%lld p=%lld triplets=%lld (offscreen MainWindow)\n", models, (long long)n,
                    (long long)p, (long long)t);
        std::printf("  open objects + triplets + features: %.2f s, worst GUI-thread lateness %.0f ms\n",
                    loadSeconds, loadLateness);
        std::printf("  loaded -> results row%s: %.2f s, worst GUI-thread lateness %.0f ms\n",
                    models > 1 ? "s" : "", resultSeconds, probe.worstMs());
        std::printf("  peak RSS of the process so far: %.0f MB\n", peakResidentMb());
        if (!computed) {
            std::printf("  FAILED: %s\n", qPrintable(window.workbench()->oddOneOut()->problem()));
            ++failures;
        }
    }
    return failures == 0 ? 0 : 1;
}
