// Linear probing: recovery of a planted human-aligned subspace, agreement of the two exact evaluations,
// determinism, Adam, cancellation, and the transform file format (checked with numpy).
#include "test_support.h"

#include "alignscope/datasets.h"
#include "alignscope/npy.h"
#include "alignscope/probe.h"

#include <QTemporaryDir>
#include <random>

using namespace alignscope;

Q_DECLARE_METATYPE(ProbeOptions::Evaluation)

namespace {

// Objects with 3 concept values; triplets sampled from the softmax over concept dot products; features =
// concepts mixed into 24 dimensions plus a strong nuisance subspace that hides them from dot products.
struct Planted
{
    FeatureMatrix features;
    TripletSet triplets;
};

Planted makePlanted(int n, int tripletCount, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    std::uniform_real_distribution<float> unit(0, 1);
    std::vector<float> concepts(size_t(n * 3));
    for (auto& c : concepts)
        c = 2.0f * unit(rng);
    const int p = 24;
    std::vector<float> mix(3 * p), nuisanceMix(2 * p);
    for (auto& m : mix)
        m = normal(rng) / std::sqrt(3.0f);
    for (auto& m : nuisanceMix)
        m = normal(rng);
    Planted planted;
    planted.features.rows = n;
    planted.features.cols = p;
    for (int i = 0; i < n; ++i) {
        const float u = 6 * normal(rng), v = 6 * normal(rng);
        planted.features.rowIds.push_back("o" + std::to_string(i));
        for (int c = 0; c < p; ++c) {
            float value = u * nuisanceMix[size_t(c)] + v * nuisanceMix[size_t(p + c)] + 0.05f * normal(rng);
            for (int d = 0; d < 3; ++d)
                value += concepts[size_t(3 * i + d)] * mix[size_t(d * p + c)];
            planted.features.values.push_back(value);
        }
    }
    std::uniform_int_distribution<int> pick(0, n - 1);
    auto dot = [&](int a, int b) {
        float s = 0;
        for (int d = 0; d < 3; ++d)
            s += concepts[size_t(3 * a + d)] * concepts[size_t(3 * b + d)];
        return s;
    };
    while (int(planted.triplets.size()) < tripletCount) {
        const int a = pick(rng), b = pick(rng), c = pick(rng);
        if (a == b || b == c || a == c) continue;
        const double e[3] = {std::exp(2.0 * dot(a, b)), std::exp(2.0 * dot(a, c)), std::exp(2.0 * dot(b, c))};
        const double r = unit(rng) * (e[0] + e[1] + e[2]);
        if (r < e[0])
            planted.triplets.indices.insert(planted.triplets.indices.end(), {a, b, c});
        else if (r < e[0] + e[1])
            planted.triplets.indices.insert(planted.triplets.indices.end(), {a, c, b});
        else
            planted.triplets.indices.insert(planted.triplets.indices.end(), {b, c, a});
    }
    return planted;
}

ProbeOptions quickOptions()
{
    ProbeOptions options;
    options.lambdas = {1e-2};
    options.lbfgsIterations = 100;
    options.device = ComputeDevice::Cpu;
    return options;
}

} // namespace

class TestProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recoversPlantedAlignment_data();
    void recoversPlantedAlignment();
    void deterministicForASeed();
    void adamImproves();
    void cancellationStops();
    void transformFileMatchesNumpy();
    void plantedViceFeatures();
};

void TestProbe::recoversPlantedAlignment_data()
{
    QTest::addColumn<ProbeOptions::Evaluation>("evaluation");
    QTest::newRow("gram matrix") << ProbeOptions::Evaluation::Gram;
    QTest::newRow("pair by pair") << ProbeOptions::Evaluation::Pairwise;
}

void TestProbe::recoversPlantedAlignment()
{
    QFETCH(ProbeOptions::Evaluation, evaluation);
    const Planted planted = makePlanted(150, 6000, 1);
    ProbeOptions options = quickOptions();
    options.evaluation = evaluation;
    auto result = runProbe(planted.features, planted.triplets, options);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());
    QVERIFY2(result->zeroShotAccuracy < 0.45, qPrintable(QString::number(result->zeroShotAccuracy)));
    QVERIFY2(result->cvAccuracy > result->zeroShotAccuracy + 0.15,
             qPrintable(QString::number(result->cvAccuracy)));
    QCOMPARE(result->folds.size(), size_t(3));
    QCOMPARE(result->transform.weights.size(), size_t(24 * 24));
    static double previous = -1; // both evaluations optimise the same objective: same path, same accuracy
    if (previous >= 0)
        QVERIFY2(std::fabs(result->cvAccuracy - previous) < 0.01,
                 qPrintable(QStringLiteral("%1 vs %2").arg(result->cvAccuracy).arg(previous)));
    previous = result->cvAccuracy;
}

void TestProbe::deterministicForASeed()
{
    const Planted planted = makePlanted(80, 2000, 2);
    ProbeOptions options = quickOptions();
    options.lbfgsIterations = 30;
    auto first = runProbe(planted.features, planted.triplets, options);
    auto second = runProbe(planted.features, planted.triplets, options);
    QVERIFY(first.ok() && second.ok());
    QCOMPARE(first->cvAccuracy, second->cvAccuracy);
    QCOMPARE(first->transform.weights, second->transform.weights);
    options.seed = 7; // other folds
    auto other = runProbe(planted.features, planted.triplets, options);
    QVERIFY(other->folds[0].testTriplets != first->folds[0].testTriplets ||
            other->cvAccuracy != first->cvAccuracy);
}

void TestProbe::adamImproves()
{
    const Planted planted = makePlanted(150, 6000, 3);
    ProbeOptions options = quickOptions();
    options.optimizer = ProbeOptimizer::Adam;
    options.epochs = 15;
    options.learningRate = 1e-2;
    int steps = 0;
    options.onStep = [&](const ProbeStep& step) {
        ++steps;
        QVERIFY(std::isfinite(step.trainLoss) && std::isfinite(step.validationLoss));
    };
    auto result = runProbe(planted.features, planted.triplets, options);
    QVERIFY(result.ok());
    QVERIFY2(result->cvAccuracy > result->zeroShotAccuracy + 0.1,
             qPrintable(QStringLiteral("%1 vs %2").arg(result->cvAccuracy).arg(result->zeroShotAccuracy)));
    QVERIFY(steps >= 4); // an epoch report per epoch and fold
}

void TestProbe::cancellationStops()
{
    const Planted planted = makePlanted(80, 2000, 4);
    CancelToken token;
    token.cancel();
    TaskContext context;
    context.cancel = &token;
    auto result = runProbe(planted.features, planted.triplets, quickOptions(), context);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().reason, std::string("cancelled"));
}

void TestProbe::transformFileMatchesNumpy()
{
    if (QProcess::execute("/usr/bin/python3", {"-c", "import numpy"}) != 0)
        QSKIP("python3-numpy is not installed");
    QTemporaryDir dir;
    const Planted planted = makePlanted(60, 1500, 5);
    ProbeOptions options = quickOptions();
    options.bias = true;
    options.lbfgsIterations = 20;
    auto result = runProbe(planted.features, planted.triplets, options);
    QVERIFY(result.ok());
    QVERIFY(!result->transform.bias.empty());
    const std::string transformPath = dir.filePath("t.npz").toStdString(),
                      featuresPath = dir.filePath("x.npy").toStdString();
    QVERIFY(saveTransform(transformPath, result->transform).ok());
    QVERIFY(writeNpy(featuresPath, makeFloat32Array({60, 24}, planted.features.values)).ok());
    auto loaded = loadTransform(transformPath);
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->weights, result->transform.weights);
    // The CLI's output must equal (X − mean) / std @ weights + bias computed by numpy from the file.
    const QString out = dir.filePath("z.npy");
    const auto cli = testsupport::runCli({"transform", "--transform", QString::fromStdString(transformPath),
                                          "--features", QString::fromStdString(featuresPath), "--out", out});
    QCOMPARE(cli.exitCode, 0);
    QProcess check;
    check.start("/usr/bin/python3",
                {"-c",
                 "import sys, numpy as np\n"
                 "t = np.load(sys.argv[1]); X = np.load(sys.argv[2]).astype(np.float64)\n"
                 "Z = (X - t['mean']) / t['std'] @ t['weights'] + t['bias']\n"
                 "print(np.abs(Z - np.load(sys.argv[3])).max(), np.abs(Z).max())",
                 QString::fromStdString(transformPath), QString::fromStdString(featuresPath), out});
    check.waitForFinished(60000);
    const QStringList numbers = QString::fromUtf8(check.readAllStandardOutput()).split(' ');
    QCOMPARE(numbers.size(), 2);
    QVERIFY2(numbers[0].toDouble() < 1e-4 * std::max(1.0, numbers[1].toDouble()),
             qPrintable(numbers.join(' ')));
}

void TestProbe::plantedViceFeatures()
{
    const QString concepts = testsupport::sharedData("things/things_concepts.tsv");
    const QString triplets = testsupport::sharedData("things/triplets_with_subjects.txt");
    const QString vice = testsupport::sharedData("vice/final_embedding.npy");
    SKIP_WITHOUT_SHARED(vice);
    auto objects = loadObjects(concepts.toStdString());
    auto judgments = loadTriplets(triplets.toStdString(), objects->size());
    auto space = loadConceptSpace(vice.toStdString(), *objects, RowIdentity::sorted());
    QVERIFY(objects.ok() && judgments.ok() && space.ok());
    // VICE mixed into 256 dimensions with a random matrix, plus a strong 6-dimensional nuisance and noise.
    std::mt19937 rng(0);
    std::normal_distribution<float> normal;
    std::vector<float> mix(42 * 256), nuisance(6 * 256);
    for (auto& m : mix)
        m = normal(rng) / std::sqrt(42.0f);
    for (auto& m : nuisance)
        m = 1.5f * normal(rng);
    FeatureMatrix features;
    features.rows = 1854;
    features.cols = 256;
    features.rowIds = objects->ids();
    for (int i = 0; i < 1854; ++i) {
        float hidden[6];
        for (float& h : hidden)
            h = normal(rng);
        for (int c = 0; c < 256; ++c) {
            float value = 0.1f * normal(rng);
            for (int d = 0; d < 42; ++d)
                value += space->at(i, d) * mix[size_t(d * 256 + c)];
            for (int h = 0; h < 6; ++h)
                value += hidden[h] * nuisance[size_t(h * 256 + c)];
            features.values.push_back(value);
        }
    }
    ProbeOptions options;
    options.lambdas = {1e-2};
    options.device = ComputeDevice::Cpu;
    auto result = runProbe(features, *judgments, options);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());
    const double viceAccuracy = 0.6377; // dot product, sorted rows (tst_datasets checks this number)
    QVERIFY2(result->zeroShotAccuracy < viceAccuracy - 0.2,
             qPrintable(QString::number(result->zeroShotAccuracy)));
    const double recovered =
        (result->cvAccuracy - result->zeroShotAccuracy) / (viceAccuracy - result->zeroShotAccuracy);
    QVERIFY2(recovered > 0.8, qPrintable(QStringLiteral("zero-shot %1, probed %2, recovered %3 of the gap")
                                             .arg(result->zeroShotAccuracy)
                                             .arg(result->cvAccuracy)
                                             .arg(recovered)));
}

QTEST_GUILESS_MAIN(TestProbe)
#include "tst_probe.moc"
