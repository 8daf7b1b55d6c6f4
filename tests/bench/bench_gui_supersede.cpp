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

#include "bench_gui_support.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>

using namespace alignscope;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int models = argc > 1 ? std::atoi(argv[1]) : 10;
    const std::int64_t n = 1854, p = 2048, t = argc > 2 ? std::atoll(argv[2]) : 4700000;
    const int gapMs = argc > 3 ? std::atoi(argv[3]) : 200;
    const int rounds = std::max(1, argc > 4 ? std::atoi(argv[4]) : 3);
    QTemporaryDir dir;
    const QStringList inputs = benchgui::writeThingsScaleInputs(QDir(dir.path()), n, p, t, models);
    if (inputs.isEmpty()) return 1;

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
    if (!benchgui::waitFor([&] { return session->objects() != nullptr; }, 60)) return 1;
    workbench.open(inputs);
    if (!benchgui::waitFor(resultsFor(SimilarityKind::Cosine), 900)) {
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
        if (!benchgui::waitFor(resultsFor(SimilarityKind::Dot), 900)) return 1;
        const double one = clock.nsecsElapsed() / 1e9;

        analysesDelivered = 0;
        session->setSimilarity(SimilarityKind::Euclidean);
        benchgui::waitFor([] { return false; }, gapMs / 1000.0); // the user's pause between clicks
        session->setSimilarity(SimilarityKind::Correlation);
        benchgui::waitFor([] { return false; }, gapMs / 1000.0);
        clock.restart();
        session->setSimilarity(SimilarityKind::Dot);
        if (!benchgui::waitFor(resultsFor(SimilarityKind::Dot), 900)) return 1;
        const double last = clock.nsecsElapsed() / 1e9;
        ratios.push_back(last / one);
        std::printf(
            "  round %d: one analysis %.2f s; three changes %d ms apart, last change -> results %.2f s "
            "(%d analysis delivered): %.2fx\n",
            round + 1, one, gapMs, last, analysesDelivered, last / one);

        session->setSimilarity(SimilarityKind::Cosine); // back to the start, untimed
        if (!benchgui::waitFor(resultsFor(SimilarityKind::Cosine), 900)) return 1;
    }
    std::sort(ratios.begin(), ratios.end());
    std::printf("  median ratio: %.2fx (issue 30: <= 1.2x)\n", ratios[ratios.size() / 2]);
    return 0;
}
