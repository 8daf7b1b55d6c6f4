// Per-object odd-one-out accuracy and each object's neighbours, on rows small enough to check by hand.
#include "test_support.h"

#include "alignscope/object_alignment.h"
#include "alignscope/object_map.h"
#include "alignscope/object_neighbours.h"
#include "alignscope/odd_one_out_analysis.h"

#include <cmath>

using namespace alignscope;

Q_DECLARE_METATYPE(SimilarityMatrix::Kind)

namespace {

// IDs in the reverse of their positions: an ID order that differs from the row order shows which one is used.
StimulusSet fourObjects()
{
    return StimulusSet::create({"d", "c", "b", "a"}, "objects").value();
}

TripletSet makeTriplets(const QList<int>& indices)
{
    TripletSet t;
    t.indices.assign(indices.begin(), indices.end());
    t.origin = "triplets";
    return t;
}

ModelChoices makeChoices(const QList<int>& values)
{
    ModelChoices choices;
    for (int value : values) {
        choices.choice.push_back(std::int8_t(value));
        choices.correct += value == 2;
        choices.ties += value < 0;
    }
    return choices;
}

// [triplets, correct, ties] per object, flattened.
QList<qint64> counted(const std::vector<ObjectAccuracy>& objects)
{
    QList<qint64> out;
    for (const ObjectAccuracy& object : objects)
        out << object.triplets << object.correct << object.ties;
    return out;
}

} // namespace

class TestObjectAlignment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perObjectCounts_data();
    void perObjectCounts();
    void allModelsWrong_data();
    void allModelsWrong();
    void intervalIsTheTripletBootstrap_data();
    void intervalIsTheTripletBootstrap();
    void undecidedChoicesReportNoAccuracy();
    void analysisGivesEveryModelItsObjects();
    void neighbours_data();
    void neighbours();
    void neighboursRefuse_data();
    void neighboursRefuse();
    void mapRecoversAPlanarConfiguration_data();
    void mapRecoversAPlanarConfiguration();
    void mapRefuses_data();
    void mapRefuses();
};

void TestObjectAlignment::perObjectCounts_data()
{
    QTest::addColumn<QList<int>>("triplets");
    QTest::addColumn<QList<int>>("choices");
    QTest::addColumn<QList<qint64>>("expected"); // per object: triplets, correct, ties
    QTest::newRow("one right triplet; an object in none")
        << QList<int>{0, 1, 2} << QList<int>{2} << QList<qint64>{1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0};
    QTest::newRow("a tie is a wrong triplet of all three objects")
        << QList<int>{0, 1, 2, 0, 1, 3} << QList<int>{2, -1}
        << QList<qint64>{2, 1, 1, 2, 1, 1, 1, 1, 0, 1, 0, 1};
    QTest::newRow("any position counts") << QList<int>{0, 1, 2, 1, 2, 3, 3, 0, 1} << QList<int>{0, 2, 1}
                                         << QList<qint64>{2, 0, 0, 3, 1, 0, 2, 1, 0, 2, 1, 0};
    QTest::newRow("an object named twice counts once")
        << QList<int>{0, 0, 1} << QList<int>{2} << QList<qint64>{1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0};
}

void TestObjectAlignment::perObjectCounts()
{
    QFETCH(QList<int>, triplets);
    QFETCH(QList<int>, choices);
    QFETCH(QList<qint64>, expected);
    const StimulusSet objects = fourObjects();
    auto result = perObjectAccuracy(objects, makeTriplets(triplets), makeChoices(choices), 200, 7);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());
    QCOMPARE(counted(*result), expected);
    for (size_t s = 0; s < result->size(); ++s) {
        const ObjectAccuracy& object = (*result)[s];
        QCOMPARE(object.id, objects.id(s));
        if (object.triplets == 0) {
            QVERIFY(std::isnan(object.accuracy));
            continue;
        }
        QCOMPARE(object.accuracy, double(object.correct) / double(object.triplets));
        // Draws of a count out of n: the two bootstraps' percentiles differ by at most one step here.
        const Interval interval = bootstrapTripletInterval(object.correct, object.triplets, 200, 7 + s);
        const double step = 1.0 / double(object.triplets) + 1e-12;
        QVERIFY(std::abs(object.ci95.low - interval.low) <= step);
        QVERIFY(std::abs(object.ci95.high - interval.high) <= step);
        QVERIFY(object.ci95.low <= object.accuracy && object.accuracy <= object.ci95.high);
    }
}

void TestObjectAlignment::allModelsWrong_data()
{
    QTest::addColumn<QList<int>>("triplets");
    QTest::addColumn<QList<int>>("first");
    QTest::addColumn<QList<int>>("second");
    QTest::addColumn<QList<qint64>>("expected"); // per object: triplets, all wrong
    QTest::newRow("one model right saves the triplet")
        << QList<int>{0, 1, 2, 1, 2, 3} << QList<int>{2, 0} << QList<int>{0, 2}
        << QList<qint64>{1, 0, 2, 0, 2, 0, 1, 0};
    QTest::newRow("both wrong, a tie among them")
        << QList<int>{0, 1, 2, 1, 2, 3} << QList<int>{-1, 0} << QList<int>{1, 2}
        << QList<qint64>{1, 1, 2, 1, 2, 1, 1, 0};
}

void TestObjectAlignment::allModelsWrong()
{
    QFETCH(QList<int>, triplets);
    QFETCH(QList<int>, first);
    QFETCH(QList<int>, second);
    QFETCH(QList<qint64>, expected);
    const ModelChoices a = makeChoices(first), b = makeChoices(second);
    auto result = allModelsWrongPerObject(fourObjects(), makeTriplets(triplets), {&a, &b});
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());
    QList<qint64> got;
    for (const ObjectFailure& object : *result) {
        got << object.triplets << object.allWrong;
        if (object.triplets) QCOMPARE(object.share, double(object.allWrong) / double(object.triplets));
    }
    QCOMPARE(got, expected);
}

void TestObjectAlignment::intervalIsTheTripletBootstrap_data()
{
    QTest::addColumn<int>("triplets");
    QTest::addColumn<int>("correct");
    QTest::newRow("7,600 triplets, 40% right") << 7600 << 3040;
    QTest::newRow("300 triplets, 95% right") << 300 << 285;
    QTest::newRow("40 triplets, 2 right") << 40 << 2;
}

// The per-object interval draws its binomial replicates by inverse CDF: the same distribution as the
// overall accuracy's bootstrapTripletInterval, so with many replicates the two agree within Monte-Carlo
// error.
void TestObjectAlignment::intervalIsTheTripletBootstrap()
{
    QFETCH(int, triplets);
    QFETCH(int, correct);
    QList<int> indices, choices;
    for (int t = 0; t < triplets; ++t) {
        indices << 0 << 1 << 2;
        choices << (t < correct ? 2 : 0);
    }
    auto result = perObjectAccuracy(fourObjects(), makeTriplets(indices), makeChoices(choices), 20000, 3);
    QVERIFY(result.ok());
    const Interval got = result->front().ci95;
    const Interval expected = bootstrapTripletInterval(correct, triplets, 20000, 99);
    const double width = expected.high - expected.low, tolerance = 0.05 * width + 1.0 / triplets;
    QVERIFY2(std::abs(got.low - expected.low) <= tolerance && std::abs(got.high - expected.high) <= tolerance,
             qPrintable(QString("[%1, %2] against [%3, %4]")
                            .arg(got.low)
                            .arg(got.high)
                            .arg(expected.low)
                            .arg(expected.high)));
}

// A choice made where a similarity was not finite (NaN) decides nothing: no per-object accuracy, as the
// analysis reports none for the model.
void TestObjectAlignment::undecidedChoicesReportNoAccuracy()
{
    ModelChoices choices = makeChoices({2, -1});
    choices.undecided = 1;
    auto result = perObjectAccuracy(fourObjects(), makeTriplets({0, 1, 2, 0, 1, 3}), choices, 10, 0);
    QVERIFY(!result.ok());
    QVERIFY(result.error().reason.find("non-finite") != std::string::npos);
    QVERIFY(result.error().file == "triplets");
    auto mismatched = perObjectAccuracy(fourObjects(), makeTriplets({0, 1, 2}), makeChoices({2, 2}), 10, 0);
    QVERIFY(!mismatched.ok());
}

void TestObjectAlignment::analysisGivesEveryModelItsObjects()
{
    AnalysisRequest request;
    request.stimuli = std::make_shared<const StimulusSet>(fourObjects());
    request.triplets = std::make_shared<const TripletSet>(makeTriplets({0, 1, 3, 1, 2, 0, 2, 3, 1, 3, 0, 2}));
    auto features = [](std::vector<float> values) {
        FeatureMatrix f;
        f.rows = 4;
        f.cols = 2;
        f.values = std::move(values);
        f.origin = "features";
        return f;
    };
    request.models.emplace_back("first", features({1, 0, 0.9f, 0.1f, 0, 1, 0.2f, 0.9f}));
    request.models.emplace_back("second", features({0, 1, 1, 0, 0.5f, 0.5f, 1, 0.1f}));
    request.options.device = ComputeDevice::Cpu;
    request.bootstrapReplicates = 50;
    request.seed = 11;
    auto analysis = analyseOddOneOut(std::move(request));
    QVERIFY(analysis.ok());
    auto result = perObjectAlignment(**analysis);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());
    QCOMPARE(result->models.size(), size_t(2));
    for (size_t m = 0; m < 2; ++m) {
        const ModelAnalysis& model = (*analysis)->models[m];
        auto alone = perObjectAccuracy(*(*analysis)->stimuli, *(*analysis)->triplets, model.choices, 50, 16);
        QCOMPARE(counted(result->models[m]), counted(*alone));
        std::int64_t correct = 0;
        for (const ObjectAccuracy& object : result->models[m])
            correct += object.correct;
        QCOMPARE(correct, 3 * model.choices.correct); // every triplet names three objects
    }
    QCOMPARE(result->allModelsWrong.size(), size_t(4));
}

// Features (dot similarity): rows 0-2 are one point, row 3 another, so object 0's model neighbours tie and
// go by ID ("b" = row 2 before "c" = row 1), and object 3's model row is constant.
void TestObjectAlignment::neighbours_data()
{
    QTest::addColumn<SimilarityMatrix::Kind>("kind");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("object");
    QTest::addColumn<QList<qint64>>("model");
    QTest::addColumn<QList<qint64>>("human");
    QTest::addColumn<double>("jaccard");
    QTest::addColumn<double>("spearman"); // NaN: undefined
    const auto similarity = SimilarityMatrix::Kind::Similarity;
    const auto dissimilarity = SimilarityMatrix::Kind::Dissimilarity;
    // ρ of model [1, 1, 0] (ranks 2.5, 2.5, 1) with human [.5, .9, .1] (ranks 2, 3, 1): 1.5 / sqrt(1.5 · 2).
    const double rho = 1.5 / std::sqrt(3.0);
    QTest::newRow("equal similarities go by ID")
        << similarity << 1 << 0 << QList<qint64>{2} << QList<qint64>{2} << 1.0 << rho;
    QTest::newRow("two neighbours, all shared")
        << similarity << 2 << 0 << QList<qint64>{2, 1} << QList<qint64>{2, 1} << 1.0 << rho;
    QTest::newRow("constant model row has no rank correlation")
        << similarity << 2 << 3 << QList<qint64>{2, 1} << QList<qint64>{1, 2} << 1.0 << qQNaN();
    QTest::newRow("a dissimilarity is read the other way")
        << dissimilarity << 1 << 0 << QList<qint64>{2} << QList<qint64>{3} << 0.0 << -rho;
    QTest::newRow("one of two shared")
        << dissimilarity << 2 << 0 << QList<qint64>{2, 1} << QList<qint64>{3, 1} << 1.0 / 3.0 << -rho;
}

namespace {

struct NeighbourInputs
{
    StimulusSet objects = fourObjects();
    FeatureMatrix features;
    SimilarityMatrix human;
};

NeighbourInputs neighbourInputs(SimilarityMatrix::Kind kind)
{
    NeighbourInputs in;
    in.features.rows = 4;
    in.features.cols = 2;
    in.features.values = {1, 0, 1, 0, 1, 0, 0, 1};
    in.features.origin = "features";
    in.human.kind = kind;
    in.human.n = 4;
    in.human.values = {1, .5f, .9f, .1f, .5f, 1, .4f, .3f, .9f, .4f, 1, .2f, .1f, .3f, .2f, 1};
    in.human.origin = "human.npy";
    return in;
}

} // namespace

void TestObjectAlignment::neighbours()
{
    QFETCH(SimilarityMatrix::Kind, kind);
    QFETCH(int, k);
    QFETCH(int, object);
    QFETCH(QList<qint64>, model);
    QFETCH(QList<qint64>, human);
    QFETCH(double, jaccard);
    QFETCH(double, spearman);
    const NeighbourInputs in = neighbourInputs(kind);
    auto similarity = computeSimilarity(in.features, SimilarityKind::Dot, ComputeDevice::Cpu);
    QVERIFY(similarity.ok());
    auto result = compareNeighbours(in.objects, *similarity, in.human, k);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message().c_str());
    const ObjectNeighbours& got = result->objects[size_t(object)];
    QCOMPARE(got.id, in.objects.id(size_t(object)));
    QCOMPARE(QList<qint64>(got.model.begin(), got.model.end()), model);
    QCOMPARE(QList<qint64>(got.human.begin(), got.human.end()), human);
    QCOMPARE(got.jaccard, jaccard);
    if (std::isnan(spearman))
        QVERIFY(std::isnan(got.spearman));
    else
        QVERIFY2(std::abs(got.spearman - spearman) < 1e-6, std::to_string(got.spearman).c_str());
}

void TestObjectAlignment::neighboursRefuse_data()
{
    QTest::addColumn<int>("k");
    QTest::addColumn<bool>("nanInHuman");
    QTest::addColumn<QString>("reason");
    QTest::newRow("k of 0") << 0 << false << "from 1 to 3";
    QTest::newRow("k past the other objects") << 4 << false << "from 1 to 3";
    QTest::newRow("NaN in the human matrix") << 1 << true << "row 1, column 2 is not finite";
}

void TestObjectAlignment::neighboursRefuse()
{
    QFETCH(int, k);
    QFETCH(bool, nanInHuman);
    QFETCH(QString, reason);
    NeighbourInputs in = neighbourInputs(SimilarityMatrix::Kind::Similarity);
    if (nanInHuman) in.human.values[6] = std::nanf("");
    auto similarity = computeSimilarity(in.features, SimilarityKind::Dot, ComputeDevice::Cpu);
    QVERIFY(similarity.ok());
    auto result = compareNeighbours(in.objects, *similarity, in.human, k);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message().find(reason.toStdString()) != std::string::npos,
             result.error().message().c_str());
    if (nanInHuman) QCOMPARE(result.error().file, std::string("human.npy"));
}

// Classical MDS of objects that lie in a plane recovers them up to rotation and reflection: every distance of
// the map equals the original one, from their distances (dissimilarity) or from their Gram matrix
// (similarity); the axes come out largest spread first, and the two eigenvalues explain everything.
void TestObjectAlignment::mapRecoversAPlanarConfiguration_data()
{
    QTest::addColumn<bool>("similarity");
    QTest::addColumn<int>("n");
    QTest::newRow("distances, 7 objects") << false << 7;
    QTest::newRow("Gram matrix, 7 objects") << true << 7;
    QTest::newRow("distances, 300 objects") << false << 300;
}

void TestObjectAlignment::mapRecoversAPlanarConfiguration()
{
    QFETCH(bool, similarity);
    QFETCH(int, n);
    std::vector<double> x(static_cast<size_t>(n)), y(static_cast<size_t>(n));
    double meanX = 0, meanY = 0;
    for (int i = 0; i < n; ++i) {
        x[size_t(i)] = 3.0 * std::cos(0.9 * i) + 0.1 * i; // wide along x, narrow along y
        y[size_t(i)] = 1.0 * std::sin(1.7 * i);
        meanX += x[size_t(i)] / n;
        meanY += y[size_t(i)] / n;
    }
    std::vector<float> values(size_t(n) * size_t(n));
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            const double dx = x[size_t(i)] - x[size_t(j)], dy = y[size_t(i)] - y[size_t(j)];
            values[size_t(i * n + j)] = float(similarity ? (x[size_t(i)] - meanX) * (x[size_t(j)] - meanX) +
                                                               (y[size_t(i)] - meanY) * (y[size_t(j)] - meanY)
                                                         : std::sqrt(dx * dx + dy * dy));
        }
    auto map = classicalMds(n, values, similarity);
    QVERIFY2(map.ok(), map.ok() ? "" : map.error().message().c_str());
    QCOMPARE(map->n, std::int64_t(n));
    double worst = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            const double dx = x[size_t(i)] - x[size_t(j)], dy = y[size_t(i)] - y[size_t(j)];
            const double mx = map->xy[size_t(2 * i)] - map->xy[size_t(2 * j)];
            const double my = map->xy[size_t(2 * i + 1)] - map->xy[size_t(2 * j + 1)];
            worst = std::max(worst, std::abs(std::hypot(mx, my) - std::hypot(dx, dy)));
        }
    QVERIFY2(worst < 1e-4 * n, qPrintable(QString::number(worst)));
    QVERIFY(map->eigenvalues[0] >= map->eigenvalues[1] && map->eigenvalues[1] > 0);
    QVERIFY2(std::abs(map->explained - 1.0) < 1e-4, qPrintable(QString::number(map->explained)));
    // Deterministic: the same call gives the same numbers.
    auto again = classicalMds(n, values, similarity);
    QVERIFY(again.ok());
    QCOMPARE(again->xy, map->xy);
}

void TestObjectAlignment::mapRefuses_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("broken"); // 0 none, 1 NaN, 2 asymmetric, 3 too few values
    QTest::addColumn<QString>("says");
    QTest::newRow("two objects") << 2 << 0 << "at least 3 objects";
    QTest::newRow("a NaN") << 5 << 1 << "(1, 3) is not finite";
    QTest::newRow("asymmetric") << 5 << 2 << "not symmetric at (0, 4)";
    QTest::newRow("wrong size") << 5 << 3 << "not 5×5";
}

void TestObjectAlignment::mapRefuses()
{
    QFETCH(int, n);
    QFETCH(int, broken);
    QFETCH(QString, says);
    std::vector<float> values(size_t(n) * size_t(n), 1.0f);
    for (int i = 0; i < n; ++i)
        values[size_t(i * n + i)] = 0;
    if (broken == 1) values[size_t(1 * n + 3)] = NAN;
    if (broken == 2) values[size_t(0 * n + 4)] = 2.0f;
    if (broken == 3) values.pop_back();
    auto map = classicalMds(n, values, false);
    QVERIFY(!map.ok());
    QVERIFY2(QString::fromStdString(map.error().message()).contains(says), map.error().message().c_str());
}

QTEST_GUILESS_MAIN(TestObjectAlignment)
#include "tst_object_alignment.moc"
