// Superseded analyses at THINGS scale: a Workbench opens an object list, triplets and N feature files (1,854
// × 2,048, rows named by .rows.txt sidecars); measured are the time of one odd-one-out analysis after a
// change of similarity, and the time from the last of three similarity changes (one every `gap` ms, as quick
// clicks) to its results, in several rounds. Superseded jobs are cancelled, so the ratio of the two should be
// near 1 (issue 30: at most 1.2 at 10 models; the median over the rounds is printed). Usage:
// bench_gui_supersede [models] [triplets] [gap ms] [rounds] (default: 10 4700000 200 3). Exit 1 when an
// analysis does not arrive.
#include "controllers/odd_one_out_controller.h"
#include "controllers/workbench.h"
#include "session/session.h"

#include "alignscope/npy.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>

using namespace alignscope;

namespace {

// Runs the event loop until `done` holds (checked every 5 ms) or `seconds` pass.
bool waitFor(const std::function<bool()>& done, double seconds)
{
    if (done()) return true;
    QEventLoop loop;
    QTimer check;
    check.setInterval(5);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done()) loop.quit();
    });
    QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
    check.start();
    loop.exec();
    return done();
}

// The event loop runs for `ms` (the user's pause between clicks).
void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool writeInputs(const QDir& dir, std::int64_t n, std::int64_t p, std::int64_t t, int models,
                 QStringList* paths)
{
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
    if (!writeNpy(dir.filePath(QStringLiteral("triplets.npy")).toStdString(),
                  makeInt64Array({t, 3}, triplets))
             .ok())
        return false;
    *paths << dir.filePath(QStringLiteral("triplets.npy"));
    for (int m = 0; m < models; ++m) {
        std::vector<float> values(size_t(n * p));
        for (float& v : values)
            v = normal(rng);
        const QString path = dir.filePath(QStringLiteral("model%1.npy").arg(m));
        if (!writeNpy(path.toStdString(), makeFloat32Array({n, p}, values)).ok()) return false;
        QFile::copy(dir.filePath(QStringLiteral("objects.txt")),
                    dir.filePath(QStringLiteral("model%1.rows.txt").arg(m)));
        *paths << path;
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int models = argc > 1 ? std::atoi(argv[1]) : 10;
    const std::int64_t n = 1854, p = 2048, t = argc > 2 ? std::atoll(argv[2]) : 4700000;
    const int gapMs = argc > 3 ? std::atoi(argv[3]) : 200;
    const int rounds = std::max(1, argc > 4 ? std::atoi(argv[4]) : 3);
    QTemporaryDir dir;
    QStringList inputs;
    if (!writeInputs(QDir(dir.path()), n, p, t, models, &inputs)) return 1;

    Workbench workbench;
    Session* session = workbench.session();
    OddOneOutController* oddOneOut = workbench.oddOneOut();
    auto resultsFor = [&](SimilarityKind kind) {
        return [&, kind] {
            const auto analysis = oddOneOut->analysis();
            return workbench.isSettled() && analysis && int(analysis->models.size()) == models &&
                   analysis->options.similarity == kind;
        };
    };
    workbench.open({dir.filePath(QStringLiteral("objects.txt"))});
    if (!waitFor([&] { return session->objects() != nullptr; }, 60)) return 1;
    workbench.open(inputs);
    if (!waitFor(resultsFor(SimilarityKind::Cosine), 900)) {
        std::printf("the first analysis did not arrive: %s\n", qPrintable(oddOneOut->problem()));
        return 1;
    }
    int analysesDelivered = 0;
    QObject::connect(oddOneOut, &OddOneOutController::analysisChanged, [&] { ++analysesDelivered; });

    // Each round: one change (cosine -> dot) timed alone, then three changes ending on dot again, timed from
    // the last; the same similarity is computed in both, so the ratio compares like with like.
    std::printf("%d model(s), n=%lld p=%lld triplets=%lld, %d rounds (Workbench, no window)\n", models,
                (long long)n, (long long)p, (long long)t, rounds);
    std::vector<double> ratios;
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer clock;
        clock.start();
        session->setSimilarity(SimilarityKind::Dot);
        if (!waitFor(resultsFor(SimilarityKind::Dot), 900)) return 1;
        const double one = clock.nsecsElapsed() / 1e9;

        analysesDelivered = 0;
        session->setSimilarity(SimilarityKind::Euclidean);
        pause(gapMs);
        session->setSimilarity(SimilarityKind::Correlation);
        pause(gapMs);
        clock.restart();
        session->setSimilarity(SimilarityKind::Dot);
        if (!waitFor(resultsFor(SimilarityKind::Dot), 900)) return 1;
        const double last = clock.nsecsElapsed() / 1e9;
        ratios.push_back(last / one);
        std::printf(
            "  round %d: one analysis %.2f s; three changes %d ms apart, last change -> results %.2f s "
            "(%d analysis delivered): %.2fx\n",
            round + 1, one, gapMs, last, analysesDelivered, last / one);

        session->setSimilarity(SimilarityKind::Cosine); // back to the start, untimed
        if (!waitFor(resultsFor(SimilarityKind::Cosine), 900)) return 1;
    }
    std::sort(ratios.begin(), ratios.end());
    std::printf("  median ratio: %.2fx (issue 30: <= 1.2x)\n", ratios[ratios.size() / 2]);
    return 0;
}
