// Property test of the analysis entry points at extreme but finite feature scales (values near 1e-30 or 1e19
// made cosine similarities NaN, and a NaN then "chose" the human's answer: accuracy 1.000). For random
// features, triplets and scales (seeded, so every run checks the same cases): every analysis either fails
// with an error or gives the result it gives at unit scale; choices equal a float64 brute force; no number
// comes from a NaN.
#include "brute_force.h"
#include "test_support.h"

#include "alignscope/cka.h"
#include "alignscope/datasets.h"
#include "alignscope/human_similarity.h"
#include "alignscope/npy.h"
#include "alignscope/odd_one_out.h"
#include "alignscope/rsa.h"

#include <QTemporaryDir>
#include <cmath>
#include <random>

using namespace alignscope;
using testsupport::bruteChoice;
using testsupport::bruteSimilarity;

namespace {

FeatureMatrix randomFeatures(std::mt19937_64& rng, std::int64_t rows, std::int64_t cols)
{
    // Magnitudes in [0.5, 2) so that scaling by 2^±120 stays within float32's normal range (exact scaling).
    std::uniform_real_distribution<float> magnitude(0.5f, 2.0f);
    std::bernoulli_distribution negative(0.4);
    FeatureMatrix f;
    f.rows = rows;
    f.cols = cols;
    for (std::int64_t i = 0; i < rows * cols; ++i)
        f.values.push_back(negative(rng) ? -magnitude(rng) : magnitude(rng));
    for (std::int64_t r = 0; r < rows; ++r)
        f.rowIds.push_back("o" + std::to_string(r));
    f.origin = "random";
    return f;
}

FeatureMatrix scaled(FeatureMatrix f, const std::vector<double>& rowFactor)
{
    for (std::int64_t r = 0; r < f.rows; ++r)
        for (std::int64_t c = 0; c < f.cols; ++c)
            f.values[size_t(r * f.cols + c)] =
                float(double(f.values[size_t(r * f.cols + c)]) * rowFactor[size_t(r)]);
    return f;
}

struct Case
{
    FeatureMatrix base;
    TripletSet triplets;
    std::vector<double> uniform, perRow; // one power of two for all rows; one per row
    std::vector<double> decimal;         // 1e-30 or 1e19, the values of the report
};

Case makeCase(std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Case c;
    const std::int64_t n = std::uniform_int_distribution<std::int64_t>(6, 40)(rng);
    // p ≥ 3: with two features every correlation is exactly ±1, and float64 rounding (not the model) breaks
    // those ties.
    const std::int64_t p = std::uniform_int_distribution<std::int64_t>(3, 64)(rng);
    c.base = randomFeatures(rng, n, p);
    std::uniform_int_distribution<std::int32_t> object(0, std::int32_t(n - 1));
    for (int t = 0; t < 300; ++t) {
        std::int32_t i = object(rng), j = object(rng), k = object(rng);
        while (j == i)
            j = object(rng);
        while (k == i || k == j)
            k = object(rng);
        c.triplets.indices.insert(c.triplets.indices.end(), {i, j, k});
    }
    c.triplets.origin = "random triplets";
    std::uniform_int_distribution<int> exponent(-120, 120);
    const double shared = std::ldexp(1.0, exponent(rng));
    for (std::int64_t r = 0; r < n; ++r) {
        c.uniform.push_back(shared);
        c.perRow.push_back(std::ldexp(1.0, exponent(rng)));
        c.decimal.push_back(seed % 2 ? 1e-30 : 1e19);
    }
    return c;
}

} // namespace

class TestExtremeValues : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void choicesAtAnyScale_data();
    void choicesAtAnyScale();
    void float64FeaturesAtAnyScale_data();
    void float64FeaturesAtAnyScale();
    void rdmsAndRsaAtAnyScale_data();
    void rdmsAndRsaAtAnyScale();
    void ckaAtAnyScale();
    void conceptSimilarityOfLargeValues();
    void nonFiniteInputsAreRefused();
};

void TestExtremeValues::choicesAtAnyScale_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 seed = 1; seed <= 40; ++seed)
        QTest::newRow(qPrintable(QString("seed %1").arg(seed))) << seed;
}

void TestExtremeValues::choicesAtAnyScale()
{
    QFETCH(quint64, seed);
    const Case c = makeCase(seed);
    for (SimilarityKind kind : {SimilarityKind::Cosine, SimilarityKind::Dot, SimilarityKind::Euclidean,
                                SimilarityKind::Correlation}) {
        OddOneOutOptions options;
        options.similarity = kind;
        options.device = ComputeDevice::Cpu;
        auto base = computeChoices(c.base, c.triplets, options);
        QVERIFY2(base, base ? "" : base.error().message().c_str());
        const bool perRowInvariant = kind == SimilarityKind::Cosine || kind == SimilarityKind::Correlation;
        for (const auto* factors : {&c.uniform, &c.decimal, perRowInvariant ? &c.perRow : &c.uniform}) {
            const FeatureMatrix features = scaled(c.base, *factors);
            auto choices = computeChoices(features, c.triplets, options);
            const QByteArray where =
                QByteArray(similarityName(kind)) + " × " + QByteArray::number((*factors)[0]);
            QVERIFY2(choices,
                     (where + ": " + (choices ? "" : choices.error().message().c_str())).constData());
            QCOMPARE(choices->undecided, std::int64_t(0));
            // The same decisions as exact float64 arithmetic on these very features, ties included...
            for (size_t t = 0; t < c.triplets.size(); ++t)
                QVERIFY2(choices->choice[t] == bruteChoice(features, kind, &c.triplets.indices[3 * t]),
                         (where + ", triplet " + QByteArray::number(qulonglong(t)) + ": chose " +
                          QByteArray::number(choices->choice[t]) + ", float64 " +
                          QByteArray::number(bruteChoice(features, kind, &c.triplets.indices[3 * t])) +
                          ", at unit scale " + QByteArray::number(base->choice[t]) + " (float64 " +
                          QByteArray::number(bruteChoice(c.base, kind, &c.triplets.indices[3 * t])) +
                          "), p = " + QByteArray::number(qlonglong(c.base.cols)))
                             .constData());
            // ...and, for exact (power-of-two) scalings, the same as at unit scale.
            if (factors != &c.decimal) QVERIFY2(choices->choice == base->choice, where.constData());
            QVERIFY(choices->accuracy() < 1.0);
        }
    }
}

void TestExtremeValues::float64FeaturesAtAnyScale_data()
{
    QTest::addColumn<double>("scale");
    QTest::addColumn<bool>("exact");
    QTest::newRow("2^-150: below float32") << std::ldexp(1.0, -150) << true;
    QTest::newRow("2^-1000") << std::ldexp(1.0, -1000) << true;
    QTest::newRow("2^130: above float32") << std::ldexp(1.0, 130) << true;
    QTest::newRow("2^1000") << std::ldexp(1.0, 1000) << true;
    QTest::newRow("1e-45") << 1e-45 << false;
    QTest::newRow("1e39") << 1e39 << false;
}

// float64 features outside float32's range, read as the CLI reads them (loadFeatures): narrowing must neither
// flush them to zero (every dot product 0: all ties) nor overflow them ("non-finite" for a finite value).
void TestExtremeValues::float64FeaturesAtAnyScale()
{
    QFETCH(double, scale);
    QFETCH(bool, exact);
    const Case c = makeCase(7);
    QTemporaryDir folder;
    auto load = [&](double factor) {
        NdArray array;
        array.kind = ElementKind::Float64;
        array.shape = {c.base.rows, c.base.cols};
        for (float v : c.base.values)
            array.f64.push_back(double(v) * factor);
        const std::string path = folder.filePath("features.npy").toStdString();
        if (auto written = writeNpy(path, array); !written) return Result<FeatureMatrix>(written.error());
        auto stimuli = StimulusSet::create(c.base.rowIds, "objects");
        if (!stimuli) return Result<FeatureMatrix>(stimuli.error());
        return loadFeatures(path, *stimuli, RowIdentity::canonical());
    };
    const auto unit = load(1.0);
    QVERIFY(unit);
    const auto features = load(scale);
    QVERIFY2(features, features ? "" : features.error().message().c_str());
    for (SimilarityKind kind : {SimilarityKind::Cosine, SimilarityKind::Dot, SimilarityKind::Euclidean,
                                SimilarityKind::Correlation}) {
        OddOneOutOptions options;
        options.similarity = kind;
        options.device = ComputeDevice::Cpu;
        auto base = computeChoices(*unit, c.triplets, options);
        auto choices = computeChoices(*features, c.triplets, options);
        QVERIFY2(base && choices, similarityName(kind));
        QCOMPARE(choices->ties, base->ties);
        if (exact) QVERIFY2(choices->choice == base->choice, similarityName(kind));
        for (size_t t = 0; t < c.triplets.size(); ++t)
            QVERIFY2(choices->choice[t] == bruteChoice(*features, kind, &c.triplets.indices[3 * t]),
                     similarityName(kind));
    }
}

void TestExtremeValues::rdmsAndRsaAtAnyScale_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 seed = 101; seed <= 120; ++seed)
        QTest::newRow(qPrintable(QString("seed %1").arg(seed))) << seed;
}

void TestExtremeValues::rdmsAndRsaAtAnyScale()
{
    QFETCH(quint64, seed);
    Case c = makeCase(seed);
    if (c.base.rows < 3) QSKIP("too few rows");
    const FeatureMatrix other = randomFeatures(*std::make_unique<std::mt19937_64>(seed + 7), c.base.rows, 5);
    auto human = modelRdm(other, RdmMethod::Euclidean);
    QVERIFY(human);
    for (RdmMethod method :
         {RdmMethod::Cosine, RdmMethod::Correlation, RdmMethod::Euclidean, RdmMethod::Gaussian}) {
        auto base = modelRdm(c.base, method);
        QVERIFY(base);
        const bool perRowInvariant = method == RdmMethod::Cosine || method == RdmMethod::Correlation;
        for (const auto* factors : {&c.uniform, &c.decimal, perRowInvariant ? &c.perRow : &c.uniform}) {
            const QByteArray where =
                QByteArray(rdmMethodName(method)) + " × " + QByteArray::number((*factors)[0]);
            auto rdm = modelRdm(scaled(c.base, *factors), method);
            QVERIFY2(rdm, (where + ": " + (rdm ? "" : rdm.error().message().c_str())).constData());
            for (float v : rdm->values)
                QVERIFY2(std::isfinite(v), where.constData());
            // Power-of-two scalings are exact: the same r as at unit scale. Decimal ones round the features,
            // so they are compared with a float64 RDM of the very same features instead.
            CondensedMatrix reference = *base;
            if (factors == &c.decimal) {
                if (method == RdmMethod::Gaussian) continue;
                const FeatureMatrix features = scaled(c.base, *factors);
                const SimilarityKind kind = method == RdmMethod::Cosine        ? SimilarityKind::Cosine
                                            : method == RdmMethod::Correlation ? SimilarityKind::Correlation
                                                                               : SimilarityKind::Euclidean;
                for (std::int64_t i = 0; i < features.rows; ++i)
                    for (std::int64_t j = i + 1; j < features.rows; ++j) {
                        const double s = bruteSimilarity(features, kind, int(i), int(j));
                        reference.values[size_t(reference.index(i, j))] =
                            float(kind == SimilarityKind::Euclidean ? -s : 1.0 - s);
                    }
            }
            for (CompareMethod compare : {CompareMethod::Spearman, CompareMethod::Pearson}) {
                auto r = compareRdms(*rdm, *human, compare), r0 = compareRdms(reference, *human, compare);
                QVERIFY(r && r0);
                QVERIFY2(std::isfinite(*r), where.constData());
                QVERIFY2(
                    std::abs(*r - *r0) <= 1e-6,
                    (where + ": r " + QByteArray::number(*r) + " vs " + QByteArray::number(*r0)).constData());
            }
        }
    }
}

void TestExtremeValues::ckaAtAnyScale()
{
    for (quint64 seed = 201; seed <= 210; ++seed) {
        const Case c = makeCase(seed);
        std::mt19937_64 rng(seed);
        const FeatureMatrix other = randomFeatures(rng, c.base.rows, 7);
        auto base = cka(c.base, other);
        QVERIFY(base);
        for (const auto* factors : {&c.uniform, &c.decimal}) {
            auto value = cka(scaled(c.base, *factors), scaled(other, c.decimal));
            QVERIFY2(value, value ? "" : value.error().message().c_str());
            QVERIFY(std::isfinite(*value));
            QVERIFY2(std::abs(*value - *base) < 1e-5, qPrintable(QString("%1 vs %2").arg(*value).arg(*base)));
        }
    }
}

void TestExtremeValues::conceptSimilarityOfLargeValues()
{
    std::mt19937_64 rng(5);
    ConceptSpace space;
    space.n = 12;
    space.d = 4;
    for (int i = 0; i < 48; ++i)
        space.values.push_back(std::uniform_real_distribution<float>(0, 1)(rng));
    space.origin = "concepts";
    const std::vector<std::int64_t> stimuli{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    for (float factor : {1e-30f, 1.0f, 1e19f, 3e38f}) {
        ConceptSpace big = space;
        for (float& v : big.values)
            v *= factor;
        auto similarity = conceptSimilarity(big, stimuli, false);
        if (!similarity) continue; // an error is fine; a number must be real
        for (float v : similarity->values)
            QVERIFY2(std::isfinite(v) && v >= 0 && v <= 1, qPrintable(QString::number(factor)));
    }
    ConceptSpace infinite = space;
    infinite.values[5] = std::numeric_limits<float>::infinity();
    QVERIFY(!conceptSimilarity(infinite, stimuli, false));
}

void TestExtremeValues::nonFiniteInputsAreRefused()
{
    CondensedMatrix a{4, {1, 2, 3, 4, 5, 6}}, b{4, {2, 1, 4, 3, 6, 5}};
    QVERIFY(compareRdms(a, b, CompareMethod::Spearman));
    for (CompareMethod method :
         {CompareMethod::Spearman, CompareMethod::Pearson, CompareMethod::KendallB, CompareMethod::Cosine}) {
        CondensedMatrix nan = a;
        nan.values[2] = std::nanf("");
        QVERIFY(!compareRdms(nan, b, method));
        QVERIFY(!compareRdmsConsuming(CondensedMatrix(nan), CondensedMatrix(b), method));
    }
    CondensedMatrix constant{4, {1, 1, 1, 1, 1, 1}};
    QVERIFY(!compareRdms(constant, b, CompareMethod::Pearson)); // undefined, not NaN
}

QTEST_GUILESS_MAIN(TestExtremeValues)
#include "tst_extreme_values.moc"
