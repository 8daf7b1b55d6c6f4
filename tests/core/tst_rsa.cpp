// RSA core: comparisons against brute-force definitions (ties included), model RDMs, noise ceiling,
// bootstrap, concept similarity, CKA and the human dataset layouts.
#include "test_support.h"

#include "alignscope/cka.h"
#include "alignscope/human_similarity.h"
#include "alignscope/rsa.h"
#include "alignscope/rsa_analysis.h"

#include <QTemporaryDir>
#include <matio.h>
#include <random>

using namespace alignscope;

Q_DECLARE_METATYPE(CompareMethod)
Q_DECLARE_METATYPE(RdmMethod)
Q_DECLARE_METATYPE(CkaKernel)

namespace {

std::vector<float> randomValues(size_t n, unsigned seed, float roundTo = 0)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    std::vector<float> v(n);
    for (auto& x : v)
        x = roundTo > 0 ? std::round(normal(rng) / roundTo) * roundTo : normal(rng); // rounding makes ties
    return v;
}

template <class T> std::vector<double> averageRanks(const std::vector<T>& v)
{
    std::vector<double> ranks(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        double below = 0, equal = 0;
        for (T w : v)
            below += w < v[i], equal += w == v[i];
        ranks[i] = below + (equal + 1) / 2;
    }
    return ranks;
}

template <class T> double pearsonOf(const std::vector<T>& a, const std::vector<T>& b)
{
    double ma = 0, mb = 0, ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i)
        ma += a[i], mb += b[i];
    ma /= double(a.size()), mb /= double(b.size());
    for (size_t i = 0; i < a.size(); ++i)
        ab += (a[i] - ma) * (b[i] - mb), aa += (a[i] - ma) * (a[i] - ma), bb += (b[i] - mb) * (b[i] - mb);
    return ab / std::sqrt(aa * bb);
}

double bruteForce(const std::vector<float>& a, const std::vector<float>& b, CompareMethod method)
{
    if (method == CompareMethod::Pearson) return pearsonOf(a, b);
    if (method == CompareMethod::Spearman) return pearsonOf(averageRanks(a), averageRanks(b));
    if (method == CompareMethod::Cosine) {
        double ab = 0, aa = 0, bb = 0;
        for (size_t i = 0; i < a.size(); ++i)
            ab += double(a[i]) * b[i], aa += double(a[i]) * a[i], bb += double(b[i]) * b[i];
        return ab / std::sqrt(aa * bb);
    }
    double concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = i + 1; j < a.size(); ++j) {
            const double x = double(a[i]) - a[j], y = double(b[i]) - b[j];
            if (x * y > 0) ++concordant;
            if (x * y < 0) ++discordant;
            tiesA += x == 0, tiesB += y == 0;
        }
    const double total = double(a.size()) * double(a.size() - 1) / 2;
    if (method == CompareMethod::KendallA) return (concordant - discordant) / total;
    return (concordant - discordant) / std::sqrt((total - tiesA) * (total - tiesB));
}

FeatureMatrix features(std::int64_t n, std::int64_t p, unsigned seed)
{
    FeatureMatrix f;
    f.rows = n;
    f.cols = p;
    f.values = randomValues(size_t(n * p), seed);
    f.rowIds.resize(size_t(n));
    return f;
}

double bruteRdm(const FeatureMatrix& f, RdmMethod method, int i, int j)
{
    std::vector<double> x(f.row(i), f.row(i) + f.cols), y(f.row(j), f.row(j) + f.cols);
    if (method == RdmMethod::Correlation) {
        double mx = 0, my = 0;
        for (int c = 0; c < f.cols; ++c)
            mx += x[c] / f.cols, my += y[c] / f.cols;
        for (int c = 0; c < f.cols; ++c)
            x[c] -= mx, y[c] -= my;
    }
    double xy = 0, xx = 0, yy = 0, d2 = 0;
    for (int c = 0; c < f.cols; ++c)
        xy += x[c] * y[c], xx += x[c] * x[c], yy += y[c] * y[c], d2 += (x[c] - y[c]) * (x[c] - y[c]);
    if (method == RdmMethod::Euclidean) return std::sqrt(d2);
    if (method == RdmMethod::Gaussian) return d2; // scaled by the test
    return 1 - xy / std::sqrt(xx * yy);
}

// x' = scale·x + offset, the offset on every value or (oneColumn) as one extra constant column.
FeatureMatrix shifted(const FeatureMatrix& x, float offset, bool oneColumn, float scale)
{
    FeatureMatrix f = x;
    f.values.clear();
    f.cols = x.cols + (oneColumn ? 1 : 0);
    for (std::int64_t r = 0; r < x.rows; ++r) {
        for (std::int64_t c = 0; c < x.cols; ++c)
            f.values.push_back(scale * x.row(r)[c] + (oneColumn ? 0.0f : offset));
        if (oneColumn) f.values.push_back(offset);
    }
    return f;
}

// CKA in float64 from its definitions: kernels of the column-centred features (CKA does not change with a
// shift), the RBF width `sigmaScale` × the lower median distance, HSIC biased as tr(KHLH) or unbiased in Song
// et al.'s (2012) closed form.
double bruteCka(const FeatureMatrix& a, const FeatureMatrix& b, bool rbf, bool unbiased, double sigmaScale)
{
    const std::int64_t n = a.rows;
    auto kernel = [&](const FeatureMatrix& f) {
        std::vector<double> mean(size_t(f.cols), 0.0);
        for (std::int64_t r = 0; r < n; ++r)
            for (std::int64_t c = 0; c < f.cols; ++c)
                mean[size_t(c)] += double(f.row(r)[c]) / double(n);
        std::vector<double> k(size_t(n * n)), distances;
        for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t j = 0; j < n; ++j) {
                double dot = 0, d2 = 0;
                for (std::int64_t c = 0; c < f.cols; ++c) {
                    const double x = f.row(i)[c] - mean[size_t(c)], y = f.row(j)[c] - mean[size_t(c)];
                    dot += x * y, d2 += (x - y) * (x - y);
                }
                k[size_t(i * n + j)] = rbf ? d2 : dot;
                if (rbf && i < j) distances.push_back(std::sqrt(d2));
            }
        if (rbf) {
            std::sort(distances.begin(), distances.end());
            const double sigma = sigmaScale * distances[(distances.size() - 1) / 2];
            for (double& v : k)
                v = std::exp(-v / (2 * sigma * sigma));
        }
        return k;
    };
    auto hsic = [&](const std::vector<double>& k, const std::vector<double>& l) {
        if (!unbiased) {
            auto centred = [&](const std::vector<double>& m) {
                std::vector<double> row(size_t(n), 0.0), out(m.size());
                double all = 0;
                for (std::int64_t i = 0; i < n; ++i)
                    for (std::int64_t j = 0; j < n; ++j)
                        row[size_t(i)] += m[size_t(i * n + j)] / double(n), all += m[size_t(i * n + j)];
                all /= double(n * n);
                for (std::int64_t i = 0; i < n; ++i)
                    for (std::int64_t j = 0; j < n; ++j)
                        out[size_t(i * n + j)] = m[size_t(i * n + j)] - row[size_t(i)] - row[size_t(j)] + all;
                return out;
            };
            const std::vector<double> kc = centred(k), lc = centred(l);
            double sum = 0;
            for (size_t e = 0; e < kc.size(); ++e)
                sum += kc[e] * lc[e];
            return sum / double((n - 1) * (n - 1));
        }
        double trace = 0, sumK = 0, sumL = 0, cross = 0;
        std::vector<double> rowK(size_t(n), 0.0), rowL(size_t(n), 0.0);
        for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t j = 0; j < n; ++j) {
                if (i == j) continue;
                const double kv = k[size_t(i * n + j)], lv = l[size_t(i * n + j)];
                trace += kv * lv, sumK += kv, sumL += lv;
                rowK[size_t(i)] += kv, rowL[size_t(i)] += lv;
            }
        for (std::int64_t i = 0; i < n; ++i)
            cross += rowK[size_t(i)] * rowL[size_t(i)];
        const double m = double(n);
        return (trace + sumK * sumL / ((m - 1) * (m - 2)) - 2 / (m - 2) * cross) / (m * (m - 3));
    };
    const std::vector<double> k = kernel(a), l = kernel(b);
    return hsic(k, l) / std::sqrt(hsic(k, k) * hsic(l, l));
}

} // namespace

class TestRsa : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void comparisonsMatchDefinitions_data();
    void comparisonsMatchDefinitions();
    void modelRdmsMatchDefinitions_data();
    void modelRdmsMatchDefinitions();
    void rsaEqualsFloat64WhateverTheOffset_data();
    void rsaEqualsFloat64WhateverTheOffset();
    void float64RdmsAreComparedWithoutNarrowing();
    void condenseChecksShapeAndSymmetry();
    void noiseCeilingAndBootstrap();
    void conceptSimilarityMatchesTripleLoop_data();
    void conceptSimilarityMatchesTripleLoop();
    void ckaProperties();
    void ckaIgnoresASharedOffset_data();
    void ckaIgnoresASharedOffset();
    void humanDatasetLayouts();
    void orderingsAndDivergentPairs();
};

void TestRsa::comparisonsMatchDefinitions_data()
{
    QTest::addColumn<CompareMethod>("method");
    QTest::addColumn<float>("roundTo");
    for (auto [name, method] : {std::pair{"spearman", CompareMethod::Spearman},
                                {"pearson", CompareMethod::Pearson},
                                {"kendall-a", CompareMethod::KendallA},
                                {"kendall-b", CompareMethod::KendallB},
                                {"cosine", CompareMethod::Cosine}}) {
        QTest::newRow(qPrintable(QString(name) + " continuous")) << method << 0.0f;
        QTest::newRow(qPrintable(QString(name) + " many ties")) << method << 0.5f;
    }
}

void TestRsa::comparisonsMatchDefinitions()
{
    QFETCH(CompareMethod, method);
    QFETCH(float, roundTo);
    const std::int64_t n = 40;
    CondensedMatrix a{n, randomValues(size_t(CondensedMatrix::pairCount(n)), 1, roundTo)};
    CondensedMatrix b{n, randomValues(a.values.size(), 2, roundTo)};
    for (size_t k = 0; k < a.values.size(); ++k)
        b.values[k] += 0.7f * a.values[k]; // correlated, not identical
    if (roundTo > 0)
        for (auto& v : b.values)
            v = std::round(v / roundTo) * roundTo;
    auto r = compareRdms(a, b, method);
    QVERIFY(r.ok());
    const double expected = bruteForce(a.values, b.values, method);
    QVERIFY2(std::fabs(*r - expected) < 1e-9,
             qPrintable(QStringLiteral("%1 vs %2").arg(*r, 0, 'g', 12).arg(expected, 0, 'g', 12)));
    QVERIFY(std::fabs(*r) > 0.2);
    auto consumed = compareRdmsConsuming(CondensedMatrix(a), CondensedMatrix(b), method);
    QVERIFY(consumed.ok());
    QCOMPARE(*consumed, *r);
}

void TestRsa::modelRdmsMatchDefinitions_data()
{
    QTest::addColumn<RdmMethod>("method");
    QTest::newRow("cosine") << RdmMethod::Cosine;
    QTest::newRow("correlation") << RdmMethod::Correlation;
    QTest::newRow("euclidean") << RdmMethod::Euclidean;
    QTest::newRow("gaussian") << RdmMethod::Gaussian;
}

void TestRsa::modelRdmsMatchDefinitions()
{
    QFETCH(RdmMethod, method);
    const FeatureMatrix f = features(30, 17, 5);
    auto rdm = modelRdm(f, method);
    QVERIFY(rdm.ok());
    QCOMPARE(rdm->values.size(), size_t(435));
    double bandwidth = 0;
    if (method == RdmMethod::Gaussian) {
        for (int i = 0; i < 30; ++i)
            for (int j = i + 1; j < 30; ++j)
                bandwidth += bruteRdm(f, method, i, j) / 435.0;
    }
    for (int i = 0; i < 30; ++i)
        for (int j = i + 1; j < 30; ++j) {
            double expected = bruteRdm(f, method, i, j);
            if (method == RdmMethod::Gaussian) expected = 1 - std::exp(-expected / bandwidth);
            QVERIFY2(std::fabs(rdm->at(i, j) - expected) < 2e-5 * std::max(1.0, std::fabs(expected)),
                     qPrintable(
                         QStringLiteral("(%1,%2): %3 vs %4").arg(i).arg(j).arg(rdm->at(i, j)).arg(expected)));
            QCOMPARE(rdm->at(j, i), rdm->at(i, j));
        }
}

void TestRsa::rsaEqualsFloat64WhateverTheOffset_data()
{
    QTest::addColumn<RdmMethod>("method");
    QTest::addColumn<float>("offset");
    QTest::addColumn<bool>("oneColumn");
    QTest::addColumn<float>("scale");
    QTest::newRow("euclidean, a column at 1e4") << RdmMethod::Euclidean << 1e4f << true << 1.0f;
    QTest::newRow("gaussian, a column at 1e4") << RdmMethod::Gaussian << 1e4f << true << 1.0f;
    QTest::newRow("euclidean, offset 1e3") << RdmMethod::Euclidean << 1e3f << false << 1.0f;
    QTest::newRow("cosine, distances near zero") << RdmMethod::Cosine << 1.0f << false << 1e-3f;
    QTest::newRow("correlation, offset 1e3") << RdmMethod::Correlation << 1e3f << false << 1.0f;
    QTest::newRow("euclidean at 1e30") << RdmMethod::Euclidean << 0.0f << false << 1e30f;
    QTest::newRow("cosine at 1e-30") << RdmMethod::Cosine << 0.0f << false << 1e-30f;
}

// Every entry equals float64 arithmetic on the same float32 features (to float32's storage rounding), and so
// does the RSA against a human RDM (to 1e-6), whatever the features' offset or scale.
void TestRsa::rsaEqualsFloat64WhateverTheOffset()
{
    QFETCH(RdmMethod, method);
    QFETCH(float, offset);
    QFETCH(bool, oneColumn);
    QFETCH(float, scale);
    const int n = 40;
    const FeatureMatrix f = shifted(features(n, 12, 21), offset, oneColumn, scale);
    auto rdm = modelRdm(f, method);
    QVERIFY2(rdm, rdm ? "" : rdm.error().message().c_str());
    std::vector<double> expected;
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j)
            expected.push_back(bruteRdm(f, method, i, j));
    if (method == RdmMethod::Gaussian) {
        double bandwidth = 0;
        for (double d2 : expected)
            bandwidth += d2 / double(expected.size());
        for (double& d2 : expected)
            d2 = 1 - std::exp(-d2 / bandwidth);
    }
    for (size_t k = 0; k < expected.size(); ++k)
        QVERIFY2(std::fabs(rdm->values[k] - expected[k]) <= 1e-6 * std::fabs(expected[k]),
                 qPrintable(QStringLiteral("pair %1: %2 vs %3").arg(k).arg(rdm->values[k]).arg(expected[k])));
    auto human = modelRdm(features(n, 5, 77), RdmMethod::Euclidean);
    QVERIFY(human);
    const std::vector<double> humanValues(human->values.begin(), human->values.end());
    for (CompareMethod compare : {CompareMethod::Spearman, CompareMethod::Pearson}) {
        auto r = compareRdms(*rdm, *human, compare);
        QVERIFY(r);
        const double reference = compare == CompareMethod::Pearson
                                     ? pearsonOf(expected, humanValues)
                                     : pearsonOf(averageRanks(expected), averageRanks(humanValues));
        QVERIFY2(std::fabs(*r - reference) < 1e-6,
                 qPrintable(
                     QStringLiteral("%1: %2 vs %3").arg(compareMethodName(compare)).arg(*r).arg(reference)));
    }
}

// float64 RDMs (the Python module's) keep their digits: 1 + 1e-9·d is 1.0 everywhere in float32.
void TestRsa::float64RdmsAreComparedWithoutNarrowing()
{
    auto d = modelRdm(features(30, 5, 3), RdmMethod::Euclidean);
    QVERIFY(d);
    CondensedMatrix64 distances{d->n, std::vector<double>(d->values.begin(), d->values.end())};
    CondensedMatrix64 nearlyConstant = distances;
    for (double& v : nearlyConstant.values)
        v = 1 + 1e-9 * v;
    for (CompareMethod compare : {CompareMethod::Spearman, CompareMethod::Pearson, CompareMethod::KendallB}) {
        auto r = compareRdms(nearlyConstant, distances, compare);
        QVERIFY2(r, r ? "" : r.error().message().c_str());
        QVERIFY2(std::fabs(*r - 1.0) < 1e-6, compareMethodName(compare));
    }
    const RsaInterval interval = bootstrapStimuli(nearlyConstant, distances, CompareMethod::Spearman, 20, 1);
    QVERIFY(interval.low > 0.99);
    std::vector<double> square(size_t(30 * 30), 0.0);
    for (int i = 0; i < 30; ++i)
        for (int j = 0; j < 30; ++j)
            if (i != j) square[size_t(i * 30 + j)] = nearlyConstant.at(i, j);
    auto condensed = condense(square, 30, SimilarityMatrix::Kind::Dissimilarity, "square");
    QVERIFY(condensed);
    QVERIFY(condensed->values == nearlyConstant.values);
}

void TestRsa::condenseChecksShapeAndSymmetry()
{
    const std::vector<float> square = {0, 1, 2, 1, 0, 3, 2, 3, 0};
    auto dissimilar = condense(square, 3, SimilarityMatrix::Kind::Dissimilarity, "m");
    QVERIFY(dissimilar.ok());
    QCOMPARE(dissimilar->values, (std::vector<float>{1, 2, 3}));
    auto similar = condense(square, 3, SimilarityMatrix::Kind::Similarity, "m");
    QCOMPARE(similar->values, (std::vector<float>{0, -1, -2}));
    std::vector<float> asymmetric = square;
    asymmetric[1] = 5;
    auto bad = condense(asymmetric, 3, SimilarityMatrix::Kind::Dissimilarity, "m.npy");
    QVERIFY(!bad.ok());
    QCOMPARE(QString::fromStdString(bad.error().message()),
             QStringLiteral("m.npy: row 1, column 2: matrix is not symmetric (5.000000 vs 1.000000)"));
    QVERIFY(!condense(square, 4, SimilarityMatrix::Kind::Dissimilarity, "m").ok());
}

void TestRsa::noiseCeilingAndBootstrap()
{
    const std::int64_t n = 25;
    const auto truth = randomValues(size_t(CondensedMatrix::pairCount(n)), 9);
    std::vector<CondensedMatrix> subjects;
    for (unsigned s = 0; s < 6; ++s) {
        CondensedMatrix subject{n, truth};
        const auto noise = randomValues(truth.size(), 100 + s);
        for (size_t k = 0; k < truth.size(); ++k)
            subject.values[k] += noise[k];
        subjects.push_back(subject);
    }
    auto ceiling = noiseCeiling(subjects, CompareMethod::Pearson);
    QVERIFY(ceiling.ok());
    QVERIFY(ceiling->lower < ceiling->upper);
    QVERIFY(ceiling->lower > 0.4 && ceiling->upper < 1.0);
    auto identical = noiseCeiling({subjects[0], subjects[0]}, CompareMethod::Spearman);
    QCOMPARE(identical->lower, 1.0);
    QVERIFY(!noiseCeiling({subjects[0]}, CompareMethod::Spearman).ok());

    const CondensedMatrix model{n, truth};
    auto r = compareRdms(model, subjects[0], CompareMethod::Spearman);
    const RsaInterval interval = bootstrapStimuli(model, subjects[0], CompareMethod::Spearman, 200, 4);
    const RsaInterval again = bootstrapStimuli(model, subjects[0], CompareMethod::Spearman, 200, 4);
    QCOMPARE(interval.low, again.low);
    QVERIFY(interval.low < *r && *r < interval.high);
    QVERIFY(interval.high - interval.low < 0.5);
}

void TestRsa::conceptSimilarityMatchesTripleLoop_data()
{
    QTest::addColumn<bool>("allObjects");
    QTest::newRow("third objects from the stimuli") << false;
    QTest::newRow("third objects from all objects") << true;
}

void TestRsa::conceptSimilarityMatchesTripleLoop()
{
    QFETCH(bool, allObjects);
    ConceptSpace space;
    space.n = 15;
    space.d = 4;
    space.values = randomValues(60, 8);
    for (auto& v : space.values)
        v = std::fabs(v) * 2;
    const std::vector<std::int64_t> stimuli = {3, 0, 7, 11, 5, 14};
    auto similarity = conceptSimilarity(space, stimuli, allObjects);
    QVERIFY(similarity.ok());
    auto dot = [&](std::int64_t x, std::int64_t y) {
        double s = 0;
        for (int d = 0; d < 4; ++d)
            s += double(space.at(x, d)) * space.at(y, d);
        return s;
    };
    for (size_t a = 0; a < stimuli.size(); ++a)
        for (size_t b = 0; b < stimuli.size(); ++b) {
            if (a == b) continue;
            const std::int64_t i = stimuli[a], j = stimuli[b];
            double sum = 0;
            int count = 0;
            for (std::int64_t k = 0; k < space.n; ++k) {
                if (k == i || k == j) continue;
                if (!allObjects && std::find(stimuli.begin(), stimuli.end(), k) == stimuli.end()) continue;
                const double eij = std::exp(dot(i, j)), eik = std::exp(dot(i, k)), ejk = std::exp(dot(j, k));
                sum += eij / (eij + eik + ejk);
                ++count;
            }
            const double expected = sum / count;
            QVERIFY2(std::fabs(similarity->values[a * stimuli.size() + b] - expected) < 1e-5,
                     qPrintable(QStringLiteral("%1 vs %2")
                                    .arg(similarity->values[a * stimuli.size() + b])
                                    .arg(expected)));
        }
}

void TestRsa::ckaProperties()
{
    const FeatureMatrix x = features(50, 8, 11);
    // Y = 3·X·Q for an orthogonal Q (a permutation with sign flips): linear CKA is exactly 1.
    FeatureMatrix y = x;
    for (int r = 0; r < 50; ++r)
        for (int c = 0; c < 8; ++c)
            y.values[size_t(r * 8 + c)] = -3.0f * x.values[size_t(r * 8 + (c + 3) % 8)];
    auto same = cka(x, y);
    QVERIFY(same.ok());
    QVERIFY(std::fabs(*same - 1.0) < 1e-6);
    const FeatureMatrix z = features(50, 8, 12);
    auto unrelated = cka(x, z);
    QVERIFY(*unrelated < 0.5);
    CkaOptions rbf;
    rbf.kernel =
        CkaKernel::Rbf; // the median bandwidth scales with the data, so 3·X·Q is still a perfect match
    auto rbfSame = cka(x, y, rbf);
    QVERIFY(std::fabs(*rbfSame - 1.0) < 1e-6);
    CkaOptions unbiased;
    unbiased.unbiased = true;
    auto u = cka(x, z, unbiased);
    QVERIFY(u.ok());
    QVERIFY(std::fabs(*u) < std::fabs(*unrelated)); // the biased estimator is inflated for unrelated features
    QVERIFY(!cka(x, features(49, 8, 1)).ok());
}

void TestRsa::ckaIgnoresASharedOffset_data()
{
    QTest::addColumn<CkaKernel>("kernel");
    QTest::addColumn<bool>("unbiased");
    QTest::addColumn<double>("sigmaScale");
    QTest::newRow("linear") << CkaKernel::Linear << false << 1.0;
    QTest::newRow("linear, unbiased") << CkaKernel::Linear << true << 1.0;
    QTest::newRow("rbf") << CkaKernel::Rbf << false << 1.0;
    QTest::newRow("rbf, unbiased") << CkaKernel::Rbf << true << 1.0;
    QTest::newRow("rbf, half the median") << CkaKernel::Rbf << false << 0.5;
    QTest::newRow("rbf, unbiased, 3 × the median") << CkaKernel::Rbf << true << 3.0;
}

// A constant column at 1e4 (or any shift) changes no kernel's CKA: the unbiased HSIC's closed form subtracted
// sums of the raw kernels (0.712 instead of 0.671). The RBF width is relative to the median distance, so a
// scale changes nothing either.
void TestRsa::ckaIgnoresASharedOffset()
{
    QFETCH(CkaKernel, kernel);
    QFETCH(bool, unbiased);
    QFETCH(double, sigmaScale);
    const FeatureMatrix x = features(60, 12, 31);
    FeatureMatrix y = features(60, 8, 32);
    for (std::int64_t r = 0; r < 60; ++r)
        for (std::int64_t c = 0; c < 6; ++c)
            y.values[size_t(r * 8 + c)] += x.row(r)[c];
    CkaOptions options;
    options.kernel = kernel;
    options.unbiased = unbiased;
    options.sigmaScale = sigmaScale;
    const double expected = bruteCka(x, y, kernel == CkaKernel::Rbf, unbiased, sigmaScale);
    for (const FeatureMatrix& variant :
         {x, shifted(x, 1e4f, true, 1.0f), shifted(x, 1e3f, false, 1.0f), shifted(x, 0.0f, false, 1000.0f)}) {
        auto value = cka(variant, y, options);
        QVERIFY2(value, value ? "" : value.error().message().c_str());
        // The brute force of the very features (float32 rounding of the shifted ones moves CKA a little).
        const double reference = bruteCka(variant, y, kernel == CkaKernel::Rbf, unbiased, sigmaScale);
        QVERIFY2(std::fabs(*value - reference) < 1e-6,
                 qPrintable(QStringLiteral("%1 vs %2").arg(*value).arg(reference)));
        QVERIFY2(std::fabs(*value - expected) < 1e-3,
                 qPrintable(QStringLiteral("%1 vs %2").arg(*value).arg(expected)));
    }
    options.sigmaScale = 0;
    QVERIFY(!cka(x, y, options));
}

void TestRsa::humanDatasetLayouts()
{
    QTemporaryDir dir;
    QDir root(dir.path());
    const int n = 4;
    // Multi-arrangement: images named out of order on disk, judgments 2 subjects × 4 × 4.
    root.mkpath("ma/images");
    root.mkpath("ma/sim_judgements");
    for (const char* name : {"c_03.jpg", "a_01.jpg", "b_02.jpg", "d_04.jpg"})
        testsupport::writeBytes(QDir(root.filePath("ma/images")), name, "x");
    {
        mat_t* file =
            Mat_CreateVer(root.filePath("ma/sim_judgements/judgments_general.mat").toStdString().c_str(),
                          nullptr, MAT_FT_MAT5);
        size_t dims[3] = {2, n, n};
        double values[2 * n * n];
        for (int s = 0; s < 2; ++s)
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j)
                    values[s + 2 * i + 2 * n * j] = i == j ? 0 : (i + j) + s; // column-major
        matvar_t* var = Mat_VarCreate("judgments", MAT_C_DOUBLE, MAT_T_DOUBLE, 3, dims, values, 0);
        Mat_VarWrite(file, var, MAT_COMPRESSION_NONE);
        Mat_VarFree(var);
        Mat_Close(file);
    }
    auto multi = loadMultiArrangement(root.filePath("ma").toStdString());
    QVERIFY2(multi.ok(), multi.ok() ? "" : multi.error().message().c_str());
    QCOMPARE(multi->stimulusIds, (std::vector<std::string>{"a_01", "b_02", "c_03", "d_04"}));
    QCOMPARE(multi->matrix.values[size_t(1 * n + 2)], 3.5f); // mean of 3 and 4
    QCOMPARE(multi->subjects.size(), size_t(2));
    QVERIFY(QString::fromStdString(multi->imagePaths[0]).endsWith("images/a_01.jpg"));

    // Free arrangement: BEHAVIOR.set1.pairwisedistances, 3 subjects × 6 pairs.
    root.mkpath("fa/images/set1");
    root.mkpath("fa/sim_judgements");
    for (int i = 1; i <= n; ++i)
        testsupport::writeBytes(QDir(root.filePath("fa/images/set1")), QStringLiteral("img%1.jpg").arg(i),
                                "x");
    {
        mat_t* file = Mat_CreateVer(root.filePath("fa/sim_judgements/BEHAVIOR.mat").toStdString().c_str(),
                                    nullptr, MAT_FT_MAT5);
        size_t one[2] = {1, 1}, pairDims[2] = {3, 6};
        double pairs[18];
        for (int s = 0; s < 3; ++s)
            for (int k = 0; k < 6; ++k)
                pairs[s + 3 * k] = k + 10 * s; // column-major subjects × pairs
        const char* setField[1] = {"set1"};
        const char* distanceField[1] = {"pairwisedistances"};
        matvar_t* behavior = Mat_VarCreateStruct("BEHAVIOR", 2, one, setField, 1);
        matvar_t* set = Mat_VarCreateStruct("set1", 2, one, distanceField, 1);
        Mat_VarSetStructFieldByName(
            set, "pairwisedistances", 0,
            Mat_VarCreate(nullptr, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, pairDims, pairs, 0));
        Mat_VarSetStructFieldByName(behavior, "set1", 0, set);
        Mat_VarWrite(file, behavior, MAT_COMPRESSION_NONE);
        Mat_VarFree(behavior);
        Mat_Close(file);
    }
    auto free = loadFreeArrangement(root.filePath("fa").toStdString(), "set1");
    QVERIFY2(free.ok(), free.ok() ? "" : free.error().message().c_str());
    QCOMPARE(free->matrix.n, std::int64_t(n));
    QCOMPARE(free->matrix.values[size_t(0 * n + 1)],
             10.0f); // pair 0 averaged over subjects: (0 + 10 + 20) / 3
    QCOMPARE(free->matrix.values[size_t(2 * n + 3)], 15.0f); // pair 5 (2,3)
    QCOMPARE(free->subjects.size(), size_t(3));
    QVERIFY(!loadFreeArrangement(root.filePath("fa").toStdString(), "set2").ok());

    // Pairwise ratings: <category>/sim_judgements/*sim*.mat with a variable named like "simMat".
    root.mkpath("pr/fruits/images");
    root.mkpath("pr/fruits/sim_judgements");
    for (int i = 1; i <= 3; ++i)
        testsupport::writeBytes(QDir(root.filePath("pr/fruits/images")), QStringLiteral("fruit%1.png").arg(i),
                                "x");
    {
        mat_t* file =
            Mat_CreateVer(root.filePath("pr/fruits/sim_judgements/fruits_simMat.mat").toStdString().c_str(),
                          nullptr, MAT_FT_MAT5);
        size_t dims[2] = {3, 3};
        double rsm[9] = {10, 2, 3, 2, 10, 4, 3, 4, 10};
        matvar_t* var = Mat_VarCreate("simMat", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, rsm, 0);
        Mat_VarWrite(file, var, MAT_COMPRESSION_NONE);
        Mat_VarFree(var);
        Mat_Close(file);
    }
    auto ratings = loadPairwiseRatings(root.filePath("pr").toStdString(), "fruits");
    QVERIFY2(ratings.ok(), ratings.ok() ? "" : ratings.error().message().c_str());
    QCOMPARE(int(ratings->matrix.kind), int(SimilarityMatrix::Kind::Similarity));
    QCOMPARE(ratings->stimulusIds, (std::vector<std::string>{"fruit1", "fruit2", "fruit3"}));
    QCOMPARE(ratings->matrix.values[5], 4.0f);

    // An image count that does not match the matrix is an error naming both.
    testsupport::writeBytes(QDir(root.filePath("ma/images")), "e_05.jpg", "x");
    auto mismatch = loadMultiArrangement(root.filePath("ma").toStdString());
    QVERIFY(!mismatch.ok());
    QVERIFY(QString::fromStdString(mismatch.error().reason).contains("holds 5 images"));
}

void TestRsa::orderingsAndDivergentPairs()
{
    // Three planted clusters, interleaved in dataset order: clustering must make each contiguous.
    const std::int64_t n = 30;
    CondensedMatrix rdm{n, std::vector<float>(size_t(CondensedMatrix::pairCount(n)))};
    std::mt19937 rng(2);
    std::uniform_real_distribution<float> jitter(0, 0.1f);
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = i + 1; j < n; ++j)
            rdm.values[size_t(rdm.index(i, j))] = (i % 3 == j % 3 ? 0.2f : 1.0f) + jitter(rng);
    const auto order = clusterOrder(rdm);
    QCOMPARE(order.size(), size_t(n));
    int changes = 0;
    for (size_t k = 1; k < order.size(); ++k)
        changes += order[k] % 3 != order[k - 1] % 3;
    QCOMPARE(changes, 2);
    std::vector<std::int64_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    for (std::int64_t k = 0; k < n; ++k)
        QCOMPARE(sorted[size_t(k)], k); // a permutation

    // The model swaps one pair from the most to the least dissimilar: it leads the divergent pairs.
    CondensedMatrix model = rdm;
    const auto top = std::max_element(model.values.begin(), model.values.end()) - model.values.begin();
    model.values[size_t(top)] = -1.0f;
    const auto pairs = mostDivergentPairs(rdm, model, 5);
    QCOMPARE(pairs.size(), size_t(5));
    QCOMPARE(rdm.index(pairs[0].i, pairs[0].j), std::int64_t(top));
    QVERIFY(pairs[0].rankDifference < -0.99);
    const CondensedMatrix ranks = rankTransformed(rdm);
    QCOMPARE(*std::max_element(ranks.values.begin(), ranks.values.end()), 1.0f);

    auto stimuli = StimulusSet::create({"a", "b", "c", "d"}, "o");
    stimuli->categories = {"tool", "", "animal", "tool"};
    QCOMPARE(categoryOrder(*stimuli), (std::vector<std::int64_t>{2, 0, 3, 1}));
    ConceptSpace space;
    space.n = 3;
    space.d = 2;
    space.values = {0, 1, 5, 0, 2, 0};
    QCOMPARE(conceptOrder(space), (std::vector<std::int64_t>{1, 2, 0}));
}

QTEST_GUILESS_MAIN(TestRsa)
#include "tst_rsa.moc"
