// The GUI at THINGS scale, as a user meets it: a MainWindow opens an object list, 4.7 M triplets and 1 or 10
// feature files (1,854 × 2,048, rows named by .rows.txt sidecars); measured are the time to load them, the
// time from "loaded" to the results row of every model, the worst lateness of a 5 ms timer on the GUI thread
// meanwhile (an event-loop latency probe: how long the GUI was blocked) and peak memory. Usage: bench_gui
// [models...] (default: 1 10). Prints one block per run; exit 1 if a run fails.
#include "controllers/odd_one_out_controller.h"
#include "controllers/workbench.h"
#include "main_window.h"
#include "session/session.h"

#include "alignscope/npy.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>

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

// Runs the event loop until `done` holds (checked every 10 ms, so the loop sleeps between events) or
// `seconds` pass.
bool waitFor(const std::function<bool()>& done, double seconds)
{
    if (done()) return true;
    QEventLoop loop;
    QTimer check;
    check.setInterval(10);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done()) loop.quit();
    });
    QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
    check.start();
    loop.exec();
    return done();
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
    std::mt19937 rng(0);
    std::normal_distribution<float> normal;
    {
        std::ofstream ids(dir.filePath(QStringLiteral("objects.txt")).toStdString());
        for (std::int64_t i = 0; i < n; ++i)
            ids << "object" << i << "\n";
    }
    std::vector<std::int64_t> triplets;
    triplets.reserve(size_t(3 * t));
    std::uniform_int_distribution<std::int64_t> pick(0, n - 1);
    while (std::int64_t(triplets.size()) < 3 * t) {
        const std::int64_t i = pick(rng), j = pick(rng), k = pick(rng);
        if (i != j && i != k && j != k) triplets.insert(triplets.end(), {i, j, k});
    }
    if (!alignscope::writeNpy(dir.filePath(QStringLiteral("triplets.npy")).toStdString(),
                              alignscope::makeInt64Array({t, 3}, triplets))
             .ok())
        return 1;
    std::vector<std::int64_t>().swap(triplets);
    QStringList features;
    for (int m = 0; m < maxModels; ++m) {
        std::vector<float> values(size_t(n * p));
        for (float& v : values)
            v = normal(rng);
        const QString path = dir.filePath(QStringLiteral("model%1.npy").arg(m));
        if (!alignscope::writeNpy(path.toStdString(), alignscope::makeFloat32Array({n, p}, values)).ok())
            return 1;
        QFile::copy(dir.filePath(QStringLiteral("objects.txt")),
                    dir.filePath(QStringLiteral("model%1.rows.txt").arg(m)));
        features << path;
    }

    int failures = 0;
    for (int models : runs) {
        MainWindow window;
        window.show();
        waitFor([] { return false; }, 0.5); // the first layout and paint, before anything is measured
        LatencyProbe probe;
        QElapsedTimer clock;
        probe.restart();
        clock.start();
        // Objects first (as a user opens a THINGS folder), then triplets and features together.
        window.openPaths({dir.filePath(QStringLiteral("objects.txt"))});
        if (!waitFor([&] { return window.workbench()->session()->objects() != nullptr; }, 60)) {
            std::printf("%d models: objects did not load\n", models);
            ++failures;
            continue;
        }
        window.openPaths(QStringList{dir.filePath(QStringLiteral("triplets.npy"))} + features.mid(0, models));
        const size_t expectedItems = size_t(2 + models);
        const bool loaded =
            waitFor([&] { return window.workbench()->session()->items().size() >= expectedItems; }, 300);
        const double loadSeconds = clock.nsecsElapsed() / 1e9;
        const double loadLateness = probe.worstMs();
        probe.restart();
        clock.restart();
        const bool computed = loaded && waitFor(
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
