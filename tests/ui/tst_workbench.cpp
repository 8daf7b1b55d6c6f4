// The Workbench's wiring: the probe's transform is applied on a worker (its features arrive by signal, equal
// to the core's applyTransform), and one change of what the workspace's analyses read reaches the Compare
// page's controller once (one populationChanged: one redraw).
#include "test_support.h"
#include "ui_test_support.h"

#include "alignscope/npy.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/population_controller.h"
#include "controllers/probe_controller.h"
#include "controllers/rsa_controller.h"
#include "controllers/workbench.h"
#include "session/session.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <random>

using namespace alignscope;

namespace {

// Features of `rows` objects named o0…, as a loaded (virtual) file.
LoadedItem featureItem(const QString& path, std::int64_t rows, std::int64_t cols, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    std::vector<float> values(size_t(rows * cols));
    for (float& v : values)
        v = 3.0f + normal(rng);
    auto matrix = std::make_shared<LoadedMatrix>();
    matrix->array = makeFloat32Array({rows, cols}, values);
    for (std::int64_t r = 0; r < rows; ++r)
        matrix->rowIds.push_back("o" + std::to_string(r));
    LoadedItem item;
    item.kind = LoadedItem::Kind::Matrix;
    item.path = path;
    item.summary = path;
    item.matrix = std::move(matrix);
    return item;
}

ProbeTransform transformOf(std::int64_t in, std::int64_t out, bool bias, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    ProbeTransform transform;
    transform.inputDims = in;
    transform.outputDims = out;
    transform.weights.resize(size_t(in * out));
    for (float& w : transform.weights)
        w = normal(rng);
    if (bias) transform.bias.assign(size_t(out), 0.25f);
    transform.mean = 3.0;
    transform.std = 1.5;
    return transform;
}

// A workspace with odd-one-out, RSA (over a concept space) and the Compare page's population: 60 objects,
// triplets, a named model and a named concept space.
QStringList writeWorkspace(const QDir& root)
{
    const int n = 60, p = 8;
    std::mt19937 rng(5);
    std::normal_distribution<float> normal;
    std::uniform_int_distribution<int> pick(0, n - 1);
    QByteArray ids, triplets;
    std::vector<float> features, concepts;
    for (int i = 0; i < n; ++i) {
        ids += "o" + QByteArray::number(i) + "\n";
        for (int c = 0; c < 2; ++c)
            concepts.push_back(std::abs(normal(rng)));
        for (int c = 0; c < p; ++c)
            features.push_back(concepts[size_t(2 * i + c % 2)] * float(c + 1) + 0.3f * normal(rng));
    }
    for (int t = 0; t < 800;) {
        const int i = pick(rng), j = pick(rng), k = pick(rng);
        if (i == j || j == k || i == k) continue;
        triplets += QByteArray::number(i) + " " + QByteArray::number(j) + " " + QByteArray::number(k) + "\n";
        ++t;
    }
    testsupport::writeBytes(root, "objects.txt", ids);
    testsupport::writeBytes(root, "triplets.txt", triplets);
    testsupport::writeBytes(root, "model.rows.txt", ids);
    testsupport::writeBytes(root, "concepts.rows.txt", ids);
    if (!writeNpy(root.filePath("model.npy").toStdString(), makeFloat32Array({n, p}, features)).ok() ||
        !writeNpy(root.filePath("concepts.npy").toStdString(), makeFloat32Array({n, 2}, concepts)).ok())
        return {};
    return {root.filePath("objects.txt"), root.filePath("triplets.txt"), root.filePath("model.npy"),
            root.filePath("concepts.npy")};
}

} // namespace

class TestWorkbench : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void transformedFeaturesArriveFromTheWorker_data();
    void transformedFeaturesArriveFromTheWorker();
    void oneChangeRecomputesThePopulationOnce_data();
    void oneChangeRecomputesThePopulationOnce();
};

void TestWorkbench::transformedFeaturesArriveFromTheWorker_data()
{
    QTest::addColumn<bool>("bias");
    QTest::addColumn<int>("applications");
    QTest::newRow("with a bias") << true << 1;
    QTest::newRow("without a bias") << false << 1;
    QTest::newRow("applied twice: the copy is replaced") << true << 2;
}

// apply() returns before the product is computed (the GUI thread does not compute it); the transformed
// features join the Session by signal, equal to applyTransform's, linked to their source.
void TestWorkbench::transformedFeaturesArriveFromTheWorker()
{
    QFETCH(bool, bias);
    QFETCH(int, applications);
    Workbench workbench;
    Session* session = workbench.session();
    const QString path = QStringLiteral("/virtual/model.npy");
    const int sourceId = session->add(featureItem(path, 300, 64, 1));
    QVERIFY(sourceId != 0);
    ProbeState probe;
    probe.result.transform = transformOf(64, 16, bias, 2);
    probe.sourcePath = path;
    session->setProbe(probe);
    QCOMPARE(session->probe()->sourceId, sourceId);

    for (int application = 0; application < applications; ++application) {
        const size_t itemsBefore = session->items().size();
        QSignalSpy added(session, &Session::itemAdded);
        QVERIFY(workbench.probe()->apply());
        QCOMPARE(added.size(), 0); // computed on the worker, not here
        QCOMPARE(session->items().size(), itemsBefore);
        QVERIFY(added.wait(30000));
        QVERIFY(testsupport::waitSettled(workbench, 30000));
    }
    QCOMPARE(session->items().size(), size_t(2)); // the source and one transformed copy
    const SessionItem* transformed = session->item(session->probe()->transformedId);
    QVERIFY(transformed);
    QCOMPARE(transformed->sourceId, sourceId);
    QCOMPARE(int(transformed->role), int(ItemRole::ModelFeatures));
    QCOMPARE(transformed->data.matrix->rowIds, session->item(sourceId)->data.matrix->rowIds);

    const NdArray& source = session->item(sourceId)->data.matrix->array;
    FeatureMatrix raw;
    raw.rows = source.rows();
    raw.cols = source.cols();
    raw.values = source.toFeatureFloat32();
    const auto expected = applyTransform(probe.result.transform, raw);
    QVERIFY(expected.ok());
    const NdArray& got = transformed->data.matrix->array;
    QCOMPARE(got.rows(), expected->rows);
    QCOMPARE(got.cols(), expected->cols);
    QCOMPARE(got.toFeatureFloat32(), expected->values);
}

void TestWorkbench::oneChangeRecomputesThePopulationOnce_data()
{
    QTest::addColumn<QString>("change");
    QTest::newRow("similarity (odd-one-out recomputes)") << QStringLiteral("similarity");
    QTest::newRow("RSA method (RSA recomputes)") << QStringLiteral("rsa");
    QTest::newRow("probe (the transfer matrix)") << QStringLiteral("probe");
}

// One change of what the workspace's analyses read: each analysis that recomputes says so once, and the
// Compare page's controller rebuilds its population once (the page redraws on populationChanged).
void TestWorkbench::oneChangeRecomputesThePopulationOnce()
{
    QFETCH(QString, change);
    QTemporaryDir dir;
    const QStringList files = writeWorkspace(QDir(dir.path()));
    QVERIFY(!files.isEmpty());
    Workbench workbench;
    testsupport::SessionLog log(workbench.session());
    workbench.open(files);
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    QVERIFY2(workbench.oddOneOut()->analysis(), qPrintable(log.text()));
    QVERIFY2(workbench.rsa()->analysis(), qPrintable(log.text()));
    QVERIFY(workbench.population()->population().models.size() == 1);

    QSignalSpy population(workbench.population(), &PopulationController::populationChanged);
    QSignalSpy oddOneOut(workbench.oddOneOut(), &OddOneOutController::analysisChanged);
    QSignalSpy rsa(workbench.rsa(), &RsaController::analysisChanged);
    Session* session = workbench.session();
    if (change == "similarity") {
        session->setSimilarity(SimilarityKind::Euclidean);
    } else if (change == "rsa") {
        session->setRsaMethods(RdmMethod::Euclidean, CompareMethod::Pearson);
    } else {
        ProbeState probe;
        probe.result.transform = transformOf(8, 4, true, 3);
        probe.sourcePath = files[2];
        session->setProbe(probe);
    }
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    QCOMPARE(oddOneOut.size(), change == "similarity" ? 1 : 0);
    QCOMPARE(rsa.size(), change == "rsa" ? 1 : 0);
    QCOMPARE(population.size(), 1);
}

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
