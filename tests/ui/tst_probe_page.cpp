// Probe page: training from the workspace on a worker, live curves, result card, and "apply to all datasets"
// adding the transformed features as a model compared side by side with the original.
#include "test_support.h"

#include "alignscope/npy.h"
#include "charts/probe_curves.h"
#include "controllers/odd_one_out_controller.h"
#include "main_window.h"
#include "pages/probe_page.h"
#include "session/task_runner.h"
#include "session/workspace.h"

#include <QTableWidget>
#include <QTemporaryDir>
#include <random>

using namespace alignscope;

class TestProbePage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void trainApplyAndCompare();
};

void TestProbePage::trainApplyAndCompare()
{
    // 120 objects; humans judge by 2 concept values; the features hide them under a strong nuisance
    // direction.
    QTemporaryDir dir;
    QDir root(dir.path());
    const int n = 120, p = 12;
    std::mt19937 rng(9);
    std::normal_distribution<float> normal;
    std::uniform_real_distribution<float> unit(0, 1);
    std::vector<float> concepts(size_t(2 * n)), features;
    for (auto& c : concepts)
        c = 2 * unit(rng);
    std::vector<float> mix(2 * p), nuisance(p);
    for (auto& m : mix)
        m = normal(rng);
    for (auto& m : nuisance)
        m = normal(rng);
    QByteArray ids, triplets;
    for (int i = 0; i < n; ++i) {
        ids += "o" + QByteArray::number(i) + "\n";
        const float hidden = 8 * normal(rng);
        for (int c = 0; c < p; ++c)
            features.push_back(concepts[size_t(2 * i)] * mix[size_t(c)] +
                               concepts[size_t(2 * i + 1)] * mix[size_t(p + c)] +
                               hidden * nuisance[size_t(c)]);
    }
    std::uniform_int_distribution<int> pick(0, n - 1);
    auto dot = [&](int a, int b) {
        return concepts[size_t(2 * a)] * concepts[size_t(2 * b)] +
               concepts[size_t(2 * a + 1)] * concepts[size_t(2 * b + 1)];
    };
    for (int t = 0; t < 5000;) {
        int i = pick(rng), j = pick(rng), k = pick(rng);
        if (i == j || j == k || i == k) continue;
        if (dot(i, k) > dot(i, j) && dot(i, k) > dot(j, k))
            std::swap(j, k);
        else if (dot(j, k) > dot(i, j) && dot(j, k) > dot(i, k))
            std::swap(i, k);
        triplets += QByteArray::number(i) + " " + QByteArray::number(j) + " " + QByteArray::number(k) + "\n";
        ++t;
    }
    testsupport::writeBytes(root, "objects.txt", ids);
    testsupport::writeBytes(root, "triplets.txt", triplets);
    QVERIFY(writeNpy(root.filePath("model.npy").toStdString(), makeFloat32Array({n, p}, features)).ok());
    testsupport::writeBytes(root, "model.rows.txt", ids);

    MainWindow window;
    window.setInteractive(false);
    window.setSimilarity(SimilarityKind::Dot);
    window.openPaths(
        {root.filePath("objects.txt"), root.filePath("triplets.txt"), root.filePath("model.npy")});
    for (int i = 0; i < 3; ++i)
        QVERIFY(window.tasks()->waitForIdle(60000));
    ProbePage* page = window.probePage();
    page->setLambdas(QStringLiteral("0.01"));
    page->setIterationsForTesting(80, 10);
    QVERIFY(page->train());
    QVERIFY(window.tasks()->waitForIdle(120000));
    QTest::qWait(400); // let the throttled curve redraw run
    QVERIFY2(page->result().has_value(), qPrintable(window.logText()));
    const ProbeResult& result = *page->result();
    QVERIFY2(result.cvAccuracy > result.zeroShotAccuracy + 0.15,
             qPrintable(QStringLiteral("%1 vs %2").arg(result.cvAccuracy).arg(result.zeroShotAccuracy)));
    QVERIFY(page->curves()->pointCount() > 0);

    QVERIFY(page->applyToDatasets());
    for (int i = 0; i < 3; ++i)
        QVERIFY(window.tasks()->waitForIdle(60000));
    bool added = false;
    for (const LoadedItem& item : window.workspace()->items())
        added = added || item.path.endsWith("model+probe.npy");
    QVERIFY(added);
    auto analysis = window.oddOneOut()->analysis();
    QVERIFY(analysis && analysis->models.size() == 2);
    QTableWidget* transfer = page->transferTable();
    QVERIFY2(transfer->rowCount() >= 1, qPrintable(window.logText()));
    QCOMPARE(transfer->item(0, 0)->text(), QStringLiteral("odd-one-out accuracy"));
    QVERIFY2(transfer->item(0, 3)->text().toDouble() > transfer->item(0, 2)->text().toDouble() + 0.1,
             qPrintable(transfer->item(0, 2)->text() + " → " + transfer->item(0, 3)->text()));
}

QTEST_MAIN(TestProbePage)
#include "tst_probe_page.moc"
