// Probe page: training from the workspace on a worker, live curves, result card, and "apply to all datasets"
// adding the transformed features as a model compared side by side with the original.
#include "test_support.h"
#include "ui_test_support.h"

#include "alignscope/npy.h"
#include "charts/probe_curves.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/probe_controller.h"
#include "controllers/rsa_controller.h"
#include "controllers/workbench.h"
#include "export/figure_registry.h"
#include "pages/probe_page.h"
#include "session/session.h"
#include "session/task_runner.h"

#include <QTableWidget>
#include <QTemporaryDir>
#include <optional>
#include <random>

using namespace alignscope;

class TestProbePage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void trainApplyAndCompare();
    void rsaRowsFollowTheItemsNotTheirNames();
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

    Workbench workbench;
    FigureRegistry figures;
    testsupport::SessionLog log(workbench.session());
    ProbePage page(workbench.session(), workbench.probe(), workbench.oddOneOut(), workbench.rsa(), &figures);
    workbench.session()->setSimilarity(SimilarityKind::Dot);
    workbench.open({root.filePath("objects.txt"), root.filePath("triplets.txt"), root.filePath("model.npy")});
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    page.setLambdas(QStringLiteral("0.01"));
    page.setIterationsForTesting(80, 10);
    QSignalSpy trained(workbench.probe(), &ProbeController::trained);
    QVERIFY(page.train());
    QVERIFY2(trained.wait(120000), qPrintable(page.cardText()));
    const auto& probe = workbench.session()->probe();
    QVERIFY(probe.has_value());
    const ProbeResult& result = probe->result;
    QVERIFY2(result.cvAccuracy > result.zeroShotAccuracy + 0.15,
             qPrintable(QStringLiteral("%1 vs %2").arg(result.cvAccuracy).arg(result.zeroShotAccuracy)));
    QVERIFY(page.cardText().contains("Zero-shot"));
    QTRY_VERIFY_WITH_TIMEOUT(page.curves()->pointCount() > 0, 5000); // the curves redraw a few times a second

    QVERIFY(workbench.probe()->apply());
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    // The transformed features are linked to their source by id, not by a name suffix.
    const SessionItem* transformed = workbench.session()->item(probe->transformedId);
    QVERIFY(transformed);
    QCOMPARE(transformed->sourceId, probe->sourceId);
    QCOMPARE(workbench.session()->item(probe->sourceId)->data.path, root.filePath("model.npy"));
    QCOMPARE(int(transformed->role), int(ItemRole::ModelFeatures));
    auto analysis = workbench.oddOneOut()->analysis();
    QVERIFY(analysis && analysis->models.size() == 2);
    QTableWidget* transfer = page.transferTable();
    QVERIFY2(transfer->rowCount() >= 1, qPrintable(log.text()));
    QCOMPARE(transfer->item(0, 0)->text(), QStringLiteral("odd-one-out accuracy"));
    QVERIFY2(transfer->item(0, 3)->text().toDouble() > transfer->item(0, 2)->text().toDouble() + 0.1,
             qPrintable(transfer->item(0, 2)->text() + " → " + transfer->item(0, 3)->text()));
    // Applying again replaces the transformed copy instead of adding a second one.
    QVERIFY(workbench.probe()->apply());
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    QCOMPARE(workbench.oddOneOut()->analysis()->models.size(), size_t(2));
}

// The transfer table's RSA row pairs the probed features with their transformed copy by session item, as
// the odd-one-out row does: right after a rename the RSA results still carry the old name (they are computed
// again on the next turn of the event loop), and matching names lost the row.
void TestProbePage::rsaRowsFollowTheItemsNotTheirNames()
{
    QTemporaryDir dir;
    QDir root(dir.path());
    const int n = 40, p = 6, outputs = 3;
    std::mt19937 rng(3);
    std::normal_distribution<float> normal;
    std::uniform_real_distribution<float> unit(0, 1);
    QByteArray ids, triplets;
    std::vector<float> concepts, features;
    for (int i = 0; i < n; ++i) {
        ids += "o" + QByteArray::number(i) + "\n";
        concepts.insert(concepts.end(), {unit(rng), unit(rng)});
        for (int c = 0; c < p; ++c)
            features.push_back(normal(rng));
    }
    for (int t = 0; t < 300; ++t)
        triplets += QByteArray::number(t % n) + " " + QByteArray::number((t * 7 + 1) % n) + " " +
                    QByteArray::number((t * 13 + 2) % n) + "\n";
    testsupport::writeBytes(root, "objects.txt", ids);
    testsupport::writeBytes(root, "triplets.txt", triplets);
    QVERIFY(writeNpy(root.filePath("model.npy").toStdString(), makeFloat32Array({n, p}, features)).ok());
    testsupport::writeBytes(root, "model.rows.txt", ids);
    QVERIFY(writeNpy(root.filePath("concepts.npy").toStdString(), makeFloat32Array({n, 2}, concepts)).ok());
    testsupport::writeBytes(root, "concepts.rows.txt", ids);

    Workbench workbench;
    Session* session = workbench.session();
    testsupport::SessionLog log(session);
    workbench.open({root.filePath("objects.txt"), root.filePath("triplets.txt"), root.filePath("model.npy"),
                    root.filePath("concepts.npy")});
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    const auto modelItems = session->itemsWithRole(ItemRole::ModelFeatures);
    QVERIFY2(modelItems.size() == 1, qPrintable(log.text()));
    ProbeState probe;
    probe.result.transform.inputDims = p;
    probe.result.transform.outputDims = outputs;
    for (int w = 0; w < p * outputs; ++w)
        probe.result.transform.weights.push_back(normal(rng));
    probe.sourcePath = modelItems.front()->data.path;
    probe.sourceId = modelItems.front()->id;
    session->setProbe(std::move(probe));
    QVERIFY(workbench.probe()->apply());
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    const int sourceId = session->probe()->sourceId, transformedId = session->probe()->transformedId;
    QVERIFY(transformedId != 0);
    const auto& analyses = workbench.rsa()->analyses();
    QVERIFY2(analyses.size() == 1 && analyses.front()->models.size() == 2, qPrintable(log.text()));
    const RsaAnalysis& rsa = *analyses.front();
    auto rsaRow = [&]() -> std::optional<TransferRow> {
        for (const TransferRow& row :
             ProbeController::transferRows(*session, *workbench.oddOneOut(), *workbench.rsa()))
            if (row.analysis.startsWith(QStringLiteral("RSA r"))) return row;
        return std::nullopt;
    };
    // The analysis's models are the items in the order of their ids (what the row must pair).
    QVERIFY(workbench.rsa()->modelIds().front() == (std::vector<int>{sourceId, transformedId}));
    const auto before = rsaRow();
    QVERIFY(before);
    QCOMPARE(before->zeroShot, rsa.models[0].r);
    QCOMPARE(before->transformed, rsa.models[1].r);

    QString error;
    QVERIFY2(session->rename(sourceId, QStringLiteral("renamed features"), &error), qPrintable(error));
    QVERIFY(workbench.rsa()->isPending()); // the results still carry the old names
    QCOMPARE(workbench.rsa()->analyses().front()->models[0].name, std::string("model"));
    const auto renamed = rsaRow();
    QVERIFY2(renamed, "the RSA row was lost with the rename");
    QCOMPARE(renamed->model, QStringLiteral("renamed features"));
    QCOMPARE(renamed->zeroShot, before->zeroShot);
    QCOMPARE(renamed->transformed, before->transformed);
}

QTEST_MAIN(TestProbePage)
#include "tst_probe_page.moc"
