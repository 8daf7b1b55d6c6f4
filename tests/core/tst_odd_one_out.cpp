// Odd-one-out choices, probabilities and statistics against independent brute-force computations.
#include "brute_force.h"
#include "test_support.h"

#include "alignscope/alignment_stats.h"
#include "alignscope/concept_breakdown.h"
#include "alignscope/odd_one_out.h"
#include "alignscope/odd_one_out_analysis.h"

#include <array>
#include <map>
#include <random>

using namespace alignscope;
using testsupport::bruteChoice;
using testsupport::bruteSimilarity;

Q_DECLARE_METATYPE(SimilarityKind)

namespace {

FeatureMatrix makeFeatures(std::int64_t rows, std::int64_t cols, std::vector<float> values)
{
    FeatureMatrix f;
    f.rows = rows;
    f.cols = cols;
    f.values = std::move(values);
    for (std::int64_t r = 0; r < rows; ++r)
        f.rowIds.push_back("o" + std::to_string(r));
    f.origin = "test";
    return f;
}

TripletSet makeTriplets(std::vector<std::int32_t> indices)
{
    TripletSet t;
    t.indices.assign(indices.begin(), indices.end());
    t.origin = "triplets";
    return t;
}

// Four objects a-d in two concept dimensions; {0,1,2} is judged four times (triplets 0, 2, 3, 4: odd ones 2,
// 1, 2, 0), (3,0,2) once (triplet 1). The model is right on triplets 0 and 3.
AnalysisRequest fourObjectRequest()
{
    AnalysisRequest request;
    request.stimuli = std::make_shared<const StimulusSet>(
        std::move(StimulusSet::create({"a", "b", "c", "d"}, "o")).value());
    request.triplets =
        std::make_shared<const TripletSet>(makeTriplets({0, 1, 2, 3, 0, 2, 0, 2, 1, 0, 1, 2, 1, 2, 0}));
    request.models.emplace_back("m", makeFeatures(4, 2, {1, 0, 1, 0.1f, 0, 1, 0.1f, 1}));
    ConceptSpace space;
    space.n = 4;
    space.d = 2;
    space.values = {1, 0, 1, 0, 0, 1, 0, 1};
    request.concepts = space;
    request.options.similarity = SimilarityKind::Dot;
    request.options.temperature = 0.1;
    request.bootstrapReplicates = 50;
    return request;
}

} // namespace

class TestOddOneOut : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void handPickedChoices_data();
    void handPickedChoices();
    void matchesBruteForceWithNearTies_data();
    void matchesBruteForceWithNearTies();
    void probabilitiesFollowTheSoftmax();
    void zeroNormRowIsAnError();
    void tripletBootstrapIsSeededAndSensible();
    void objectBootstrapKeepsOnlyTripletsInsideTheResample();
    void noiseCeilingFromRepeats();
    void repeatsMatchBruteForce_data();
    void repeatsMatchBruteForce();
    void objectBootstrapMatchesPlainResampling();
    void pairedComparison();
    void conceptAssignmentAndLabels();
    void analysisListsDisagreements();
    void disagreementFiltersOfTheTripletBrowser();
    void analysisWithoutTripletsIsAnError();
    void analysisTakesTheRepeatsItIsGiven();
};

void TestOddOneOut::handPickedChoices_data()
{
    QTest::addColumn<SimilarityKind>("kind");
    QTest::addColumn<QList<int>>("expected");
    // objects: 0=(1,0) 1=(2,0.2) 2=(0,1) 3=(-1,0) 4=(0.1,3); triplets: (0,1,2) (0,3,1) (2,3,0) (0,4,2)
    // (2,3,0) is an exact tie in all three; (0,4,2): 4 is far but nearly parallel to 2.
    QTest::newRow("cosine") << SimilarityKind::Cosine << QList<int>{2, 1, -1, 0};
    QTest::newRow("dot") << SimilarityKind::Dot << QList<int>{2, 1, -1, 0};
    QTest::newRow("euclidean") << SimilarityKind::Euclidean << QList<int>{2, 1, -1, 1};
}

void TestOddOneOut::handPickedChoices()
{
    QFETCH(SimilarityKind, kind);
    QFETCH(QList<int>, expected);
    const FeatureMatrix f = makeFeatures(5, 2, {1, 0, 2, 0.2f, 0, 1, -1, 0, 0.1f, 3});
    const TripletSet t = makeTriplets({0, 1, 2, 0, 3, 1, 2, 3, 0, 0, 4, 2});
    OddOneOutOptions options;
    options.similarity = kind;
    options.device = ComputeDevice::Cpu;
    auto choices = computeChoices(f, t, options);
    QVERIFY2(choices.ok(), choices.ok() ? "" : choices.error().message().c_str());
    QList<int> got;
    for (auto c : choices->choice)
        got << int(c);
    QCOMPARE(got, expected);
    QCOMPARE(choices->correct, std::int64_t(expected.count(2)));
    QCOMPARE(choices->ties, std::int64_t(expected.count(-1)));
}

void TestOddOneOut::matchesBruteForceWithNearTies_data()
{
    QTest::addColumn<SimilarityKind>("kind");
    QTest::newRow("cosine") << SimilarityKind::Cosine;
    QTest::newRow("dot") << SimilarityKind::Dot;
    QTest::newRow("euclidean") << SimilarityKind::Euclidean;
    QTest::newRow("correlation") << SimilarityKind::Correlation;
}

void TestOddOneOut::matchesBruteForceWithNearTies()
{
    QFETCH(SimilarityKind, kind);
    // For each triplet (a, b, c), c is b mirrored across a (within the zero-mean subspace), so s(a,b) and
    // s(a,c) are equal in exact arithmetic and differ only by the float32 rounding of c: the top two
    // pair similarities are near-ties that float32 cannot order reliably but float64 can.
    std::mt19937 rng(7);
    std::normal_distribution<double> normal;
    const int groups = 400, p = 96;
    std::vector<float> values;
    auto centred = [&] {
        std::vector<double> v(p);
        double mean = 0;
        for (auto& x : v)
            mean += x = normal(rng);
        for (auto& x : v)
            x -= mean / p;
        return v;
    };
    std::vector<std::int32_t> indices;
    for (int g = 0; g < groups; ++g) {
        const auto a = centred(), b = centred();
        double aa = 0, ab = 0;
        for (int c = 0; c < p; ++c)
            aa += a[c] * a[c], ab += a[c] * b[c];
        std::vector<double> mirrored(p);
        for (int c = 0; c < p; ++c)
            mirrored[c] = 2 * ab / aa * a[c] - b[c]; // keep the part along a, flip the rest
        for (const std::vector<double>* v :
             std::initializer_list<const std::vector<double>*>{&a, &b, &mirrored})
            for (double x : *v)
                values.push_back(float(x));
        const int base = 3 * g;
        indices.insert(indices.end(),
                       {base, base + 1, base + 2, base + 1, base + 2, base, base + 2, base, base + 1});
    }
    const FeatureMatrix f = makeFeatures(3 * groups, p, values);
    const TripletSet t = makeTriplets(indices);
    OddOneOutOptions options;
    options.similarity = kind;
    options.device = ComputeDevice::Cpu;
    auto choices = computeChoices(f, t, options);
    QVERIFY(choices.ok());
    int mismatches = 0;
    for (size_t n = 0; n < t.size(); ++n)
        mismatches += choices->choice[n] != bruteChoice(f, kind, &t.indices[3 * n]);
    QCOMPARE(mismatches, 0);
    QVERIFY2(choices->refined > 0, "the near-tie path was never taken");
}

void TestOddOneOut::probabilitiesFollowTheSoftmax()
{
    const FeatureMatrix f = makeFeatures(3, 2, {1, 0, 0.8f, 0.6f, 0, 1});
    const TripletSet t = makeTriplets({0, 1, 2});
    OddOneOutOptions options;
    options.similarity = SimilarityKind::Dot;
    PairwiseSimilarity similarity;
    auto choices = computeChoices(f, t, options, {}, &similarity);
    QVERIFY(choices.ok());
    for (double temperature : {1.0, 0.1, 100.0}) {
        const auto p = choiceProbabilities(similarity, t, 0, temperature);
        const double s[3] = {0.6, 0.0, 0.8}; // (j,k), (i,k), (i,j)
        double z = 0;
        for (double v : s)
            z += std::exp(v / temperature);
        for (int c = 0; c < 3; ++c)
            QVERIFY(std::fabs(p.p[c] - std::exp(s[c] / temperature) / z) < 1e-6);
        QVERIFY(std::fabs(p.p[0] + p.p[1] + p.p[2] - 1.0f) < 1e-6);
    }
    QVERIFY(choiceProbabilities(similarity, t, 0, 100.0).entropy() >
            choiceProbabilities(similarity, t, 0, 0.1).entropy());
    QCOMPARE(choiceProbabilities(similarity, t, 0, 1.0).confidence(),
             choiceProbabilities(similarity, t, 0, 1.0).p[2]);
}

void TestOddOneOut::zeroNormRowIsAnError()
{
    const FeatureMatrix f = makeFeatures(3, 2, {1, 0, 0, 0, 0, 1});
    OddOneOutOptions options;
    auto choices = computeChoices(f, makeTriplets({0, 1, 2}), options);
    QVERIFY(!choices.ok());
    QCOMPARE(choices.error().position, std::string("object 'o1'"));
    options.similarity = SimilarityKind::Dot; // dot is defined for zero rows
    QVERIFY(computeChoices(f, makeTriplets({0, 1, 2}), options).ok());
}

void TestOddOneOut::tripletBootstrapIsSeededAndSensible()
{
    const Interval a = bootstrapTripletInterval(600, 1000, 2000, 42);
    const Interval b = bootstrapTripletInterval(600, 1000, 2000, 42);
    QCOMPARE(a.low, b.low);
    QCOMPARE(a.high, b.high);
    QVERIFY(a.low < 0.6 && 0.6 < a.high);
    // Normal approximation: half-width ~1.96·sqrt(.24/1000) = 0.030
    QVERIFY2(std::fabs((a.high - a.low) / 2 - 0.0304) < 0.005, qPrintable(QString::number(a.high - a.low)));
    const Interval small = bootstrapTripletInterval(60, 100, 2000, 42);
    QVERIFY(small.high - small.low > 2.5 * (a.high - a.low));
}

void TestOddOneOut::objectBootstrapKeepsOnlyTripletsInsideTheResample()
{
    // Objects 0-2 only ever appear in correct triplets, 3-5 only in wrong ones: every resample's accuracy
    // is the share of weight from the first group, so the interval must span well inside (0, 1).
    std::vector<std::int32_t> indices;
    std::vector<std::int8_t> choice;
    for (int n = 0; n < 50; ++n) {
        indices.insert(indices.end(), {0, 1, 2, 3, 4, 5});
        choice.insert(choice.end(), {2, 0});
    }
    const TripletSet t = makeTriplets(indices);
    const Interval first = bootstrapObjectInterval(t, choice, 6, 500, 3);
    const Interval second = bootstrapObjectInterval(t, choice, 6, 500, 3);
    QCOMPARE(first.low, second.low);
    QVERIFY(first.low < 0.5 && first.high > 0.5);
    QVERIFY(first.low >= 0.0 && first.high <= 1.0);
}

void TestOddOneOut::noiseCeilingFromRepeats()
{
    // {0,1,2} judged 3 times: odd ones 2, 2, 0. {3,4,5} twice: 5, 3. {0,1,3} once.
    const TripletSet t = makeTriplets({0, 1, 2, 1, 0, 2, 1, 2, 0, 3, 4, 5, 4, 5, 3, 0, 1, 3});
    const TripletRepeats repeats = analyseRepeats(t);
    QCOMPARE(repeats.groups, std::int64_t(2));
    QCOMPARE(repeats.repeatedResponses, std::int64_t(5));
    // group 1: responses "2" each see others {2,0} -> tie of two majorities -> 1/2 each; "0" sees {2,2} -> 0.
    // group 2: each sees one other response that differs -> 0.  Ceiling = (0.5 + 0.5) / 5.
    QVERIFY(repeats.agreement.has_value());
    QCOMPARE(*repeats.agreement, 0.2);
    // Two groups are far too few to report as a noise ceiling (they gave normalised scores above 1).
    QVERIFY(!repeats.noiseCeiling.has_value());
    QCOMPARE(QString::fromStdString(repeats.ceilingNote),
             QString("only 2 repeated triplets; a noise ceiling needs at least 20"));
    QCOMPARE(repeats.consensusOf(std::int64_t(0)), 2.0f / 3.0f);
    QCOMPARE(repeats.consensusOf(std::int64_t(5)), 1.0f);
    QCOMPARE(repeats.groupOf(std::int64_t(5)), std::int64_t(-1));
    QVERIFY(!analyseRepeats(makeTriplets({0, 1, 2, 0, 1, 3})).noiseCeiling.has_value());
    QCOMPARE(normalisedScore(0.5, 2.0 / 3.0), 0.5);
    QVERIFY(std::isnan(normalisedScore(0.5, 1.0 / 3.0)));
    // The same two groups repeated ten times over make 20 groups: now a ceiling is reported.
    std::vector<std::int32_t> many;
    for (std::int32_t copy = 0; copy < 10; ++copy)
        for (std::int32_t v : {0, 1, 2, 1, 0, 2, 1, 2, 0, 3, 4, 5, 4, 5, 3})
            many.push_back(v + 6 * copy);
    const TripletRepeats enough = analyseRepeats(makeTriplets(many));
    QCOMPARE(enough.groups, std::int64_t(20));
    QVERIFY(enough.noiseCeiling.has_value());
    QCOMPARE(*enough.noiseCeiling, 0.2);
}

void TestOddOneOut::repeatsMatchBruteForce_data()
{
    QTest::addColumn<int>("objects");
    QTest::addColumn<int>("pool");
    // Few objects: most unordered triplets repeat, with every kind of vote split.
    QTest::newRow("7 objects") << 7 << 0;
    // Objects numbered past 2^11 (THINGS-sized keys, bucketed by the smallest object's top bits): triplets
    // drawn from a pool of 60, in any order, between unrepeated ones.
    QTest::newRow("3,000 objects, 60 repeated triplets") << 3000 << 60;
    // Keys and triplet numbers no longer fit one 64-bit word (3 × 15 + 14 bits): sorted as pairs.
    QTest::newRow("20,000 objects, 60 repeated triplets") << 20000 << 60;
}

void TestOddOneOut::repeatsMatchBruteForce()
{
    QFETCH(int, objects);
    QFETCH(int, pool);
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<std::int32_t> object(0, objects - 1);
    auto draw = [&] {
        std::array<std::int32_t, 3> ijk{};
        do
            ijk = {object(rng), object(rng), object(rng)};
        while (ijk[0] == ijk[1] || ijk[0] == ijk[2] || ijk[1] == ijk[2]);
        return ijk;
    };
    std::vector<std::array<std::int32_t, 3>> repeated(static_cast<size_t>(pool));
    for (auto& ijk : repeated)
        ijk = draw();
    std::vector<std::int32_t> indices;
    while (indices.size() < 3 * 3000) {
        std::array<std::int32_t, 3> ijk = draw();
        if (pool > 0 && rng() % 2 == 0) {
            ijk = repeated[rng() % size_t(pool)];
            std::shuffle(ijk.begin(), ijk.end(), rng); // any odd one out, in any position
        }
        indices.insert(indices.end(), ijk.begin(), ijk.end());
    }
    const TripletSet t = makeTriplets(indices);
    const TripletRepeats repeats = analyseRepeats(t);
    // Only repeated judgments are kept, in triplet order, and each group id names one unordered triplet.
    QCOMPARE(std::int64_t(repeats.members.size()), repeats.repeatedResponses);
    QVERIFY(std::is_sorted(repeats.members.begin(), repeats.members.end(),
                           [](const auto& a, const auto& b) { return a.triplet < b.triplet; }));
    QCOMPARE(repeats.groupOf(std::int64_t(t.size())), std::int64_t(-1));
    std::map<std::int64_t, std::array<std::int32_t, 3>> setOfGroup;
    for (const TripletRepeats::Member& member : repeats.members) {
        std::array<std::int32_t, 3> set{t.at(size_t(member.triplet), 0), t.at(size_t(member.triplet), 1),
                                        t.at(size_t(member.triplet), 2)};
        std::sort(set.begin(), set.end());
        QCOMPARE(setOfGroup.emplace(member.group, set).first->second, set);
    }
    QCOMPARE(std::int64_t(setOfGroup.size()), repeats.groups);
    auto sameSet = [&](size_t a, size_t b) {
        std::array<std::int32_t, 3> x{t.at(a, 0), t.at(a, 1), t.at(a, 2)},
            y{t.at(b, 0), t.at(b, 1), t.at(b, 2)};
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        return x == y;
    };
    double agreement = 0;
    std::int64_t responses = 0;
    for (size_t a = 0; a < t.size(); ++a) {
        std::vector<size_t> members;
        for (size_t b = 0; b < t.size(); ++b)
            if (sameSet(a, b)) members.push_back(b);
        if (members.size() < 2) {
            QCOMPARE(repeats.groupOf(std::int64_t(a)), std::int64_t(-1));
            continue;
        }
        std::map<std::int32_t, int> votes;
        for (size_t m : members)
            ++votes[t.at(m, 2)];
        QCOMPARE(repeats.consensusOf(std::int64_t(a)), float(votes[t.at(a, 2)]) / float(members.size()));
        for (size_t m : members)
            QCOMPARE(repeats.groupOf(std::int64_t(m)), repeats.groupOf(std::int64_t(a)));
        int best = 0, tied = 0;
        for (const auto& [odd, count] : votes) {
            const int others = count - (odd == t.at(a, 2) ? 1 : 0);
            if (others > best)
                best = others, tied = 1;
            else if (others == best)
                ++tied;
        }
        if (best > 0 && votes[t.at(a, 2)] - 1 == best) agreement += 1.0 / tied;
        ++responses;
    }
    QCOMPARE(repeats.repeatedResponses, responses);
    QVERIFY(repeats.noiseCeiling.has_value());
    QVERIFY(std::abs(*repeats.noiseCeiling - agreement / double(responses)) < 1e-12);
}

void TestOddOneOut::objectBootstrapMatchesPlainResampling()
{
    // The grouped, parallel object bootstrap against the plain definition: resample the objects with
    // replacement (the same generator stream), weigh each triplet by the product of its objects'
    // multiplicities.
    std::mt19937_64 data(9);
    for (const size_t objects : {size_t(3), size_t(7), size_t(40)}) {
        std::uniform_int_distribution<std::int32_t> object(0, std::int32_t(objects - 1));
        std::vector<std::int32_t> indices;
        std::vector<std::int8_t> choice;
        while (indices.size() < 3 * 2000) {
            const std::int32_t i = object(data), j = object(data), k = object(data);
            if (i == j || i == k || j == k) continue;
            indices.insert(indices.end(), {i, j, k});
            choice.push_back(std::int8_t(std::uniform_int_distribution<int>(-1, 2)(data)));
        }
        const TripletSet t = makeTriplets(indices);
        for (const std::uint64_t seed : {1, 2, 77}) {
            std::mt19937_64 rng(seed);
            std::uniform_int_distribution<size_t> pick(0, objects - 1);
            std::vector<double> accuracies;
            for (int r = 0; r < 150; ++r) {
                std::vector<double> m(objects, 0);
                for (size_t o = 0; o < objects; ++o)
                    ++m[pick(rng)];
                double weight = 0, correct = 0;
                for (size_t x = 0; x < t.size(); ++x) {
                    const double w = m[size_t(t.at(x, 0))] * m[size_t(t.at(x, 1))] * m[size_t(t.at(x, 2))];
                    weight += w;
                    if (choice[x] == 2) correct += w;
                }
                if (weight > 0) accuracies.push_back(correct / weight);
            }
            std::sort(accuracies.begin(), accuracies.end());
            auto at = [&](double q) {
                const double position = q * double(accuracies.size() - 1);
                const size_t below = size_t(std::floor(position));
                const size_t above = std::min(accuracies.size() - 1, below + 1);
                return accuracies[below] +
                       (position - double(below)) * (accuracies[above] - accuracies[below]);
            };
            const Interval interval = bootstrapObjectInterval(t, choice, objects, 150, seed);
            QCOMPARE(interval.low, at(0.025));
            QCOMPARE(interval.high, at(0.975));
        }
    }
}

void TestOddOneOut::pairedComparison()
{
    ModelChoices a, b;
    for (int n = 0; n < 1000; ++n) {
        a.choice.push_back(n % 10 < 7 ? 2 : 0); // 70%
        b.choice.push_back(n % 10 < 6 ? 2 : 1); // 60%, a superset of b's correct triplets
    }
    const PairedComparison better = comparePaired(a, b, 2000, 5);
    QVERIFY(std::fabs(better.difference - 0.1) < 1e-12);
    QCOMPARE(better.onlyA, std::int64_t(100));
    QCOMPARE(better.onlyB, std::int64_t(0));
    QVERIFY(better.ci95.low > 0.07 && better.ci95.high < 0.13);
    QVERIFY(better.pValue < 0.001);
    const PairedComparison same = comparePaired(a, a, 2000, 5);
    QCOMPARE(same.difference, 0.0);
    QCOMPARE(same.pValue, 1.0);
    QCOMPARE(choiceAgreement(a, b), 0.6);
}

void TestOddOneOut::conceptAssignmentAndLabels()
{
    ConceptSpace space;
    space.n = 4;
    space.d = 3;
    space.values = {5, 0, 1, /**/ 4, 0, 2, /**/ 0, 3, 0, /**/ 0, 1, 9};
    const TripletSet t = makeTriplets({0, 1, 2, 2, 3, 0});
    const ConceptAssignment assignment = assignConceptDimensions(space, t);
    QCOMPARE(assignment.top, (std::vector<ConceptAssignment::Dimension>{0, 2}));
    QCOMPARE(assignment.second, (std::vector<ConceptAssignment::Dimension>{2, 1}));
    ModelChoices choices;
    choices.choice = {2, 0};
    const auto perConcept = perConceptAccuracy(assignment, choices, 1, {"food", "animal", "royal"}, 100, 1);
    QCOMPARE(perConcept[0].triplets, std::int64_t(1));
    QCOMPARE(perConcept[0].accuracy, 1.0);
    QCOMPARE(perConcept[2].accuracy, 0.0);
    QVERIFY(std::isnan(perConcept[1].accuracy));
    const auto topTwo = perConceptAccuracy(assignment, choices, 2, {}, 100, 1);
    QCOMPARE(topTwo[2].triplets, std::int64_t(2));
    auto stimuli = StimulusSet::create({"apple", "pear", "dog", "crown"}, "o");
    QVERIFY(stimuli.ok());
    const auto labels = autoConceptLabels(space, *stimuli, 2);
    QCOMPARE(labels[0], std::string("0: apple, pear"));
    QCOMPARE(labels[2], std::string("2: crown, pear"));
}

void TestOddOneOut::analysisListsDisagreements()
{
    // The model is wrong on (3,0,2), (0,2,1) and (1,2,0).
    const AnalysisRequest request = fourObjectRequest();
    auto analysis = analyseOddOneOut(request);
    QVERIFY2(analysis.ok(), analysis.ok() ? "" : analysis.error().message().c_str());
    const ModelAnalysis& model = (*analysis)->models.front();
    QCOMPARE(model.choices.correct, std::int64_t(2));
    QCOMPARE(model.perConcept.size(), size_t(2));
    const auto byConfidence = findDisagreements(**analysis, 0, DisagreementOrder::Confidence);
    QCOMPARE(byConfidence.size(), size_t(3));
    for (size_t i = 1; i < byConfidence.size(); ++i)
        QVERIFY(byConfidence[i - 1].confidence >= byConfidence[i].confidence);
    for (const auto& d : byConfidence) {
        QVERIFY(d.modelChoice != 2);
        QVERIFY(d.humanProbability < d.confidence);
    }
    const auto byDimension = findDisagreements(**analysis, 0, DisagreementOrder::Dimension);
    for (size_t i = 1; i < byDimension.size(); ++i)
        QVERIFY(byDimension[i - 1].dimension <= byDimension[i].dimension);
    const auto byConsensus = findDisagreements(**analysis, 0, DisagreementOrder::Consensus);
    QCOMPARE(byConsensus.front().consensus, 1.0f); // (3,0,2), judged once
    QCOMPARE(byConsensus.back().consensus, 0.25f); // one of four responses to {0,1,2}
    TaskContext cancelled;
    CancelToken token;
    token.cancel();
    cancelled.cancel = &token;
    QVERIFY(!analyseOddOneOut(request, cancelled).ok());
}

// An accuracy over no triplets is undefined: an error with the loaders' words, never an accuracy of 0.
// What the triplet browser lists through findDisagreements: agreements, disagreements or all, one concept's
// triplets, repeated triplets folded into their majority judgment, in triplet or confidence order.
void TestOddOneOut::disagreementFiltersOfTheTripletBrowser()
{
    AnalysisRequest request = fourObjectRequest();
    auto analysis = analyseOddOneOut(request);
    QVERIFY2(analysis.ok(), analysis.ok() ? "" : analysis.error().message().c_str());
    const OddOneOutAnalysis& a = **analysis;
    const ModelChoices& choices = a.models.front().choices;
    QCOMPARE(choices.correct, std::int64_t(2));
    QVERIFY(choices.isCorrect(0) && choices.isCorrect(3));
    using Triplets = std::vector<std::int64_t>;
    auto listed = [&](const DisagreementFilter& filter, std::vector<std::int32_t>* judgments = nullptr) {
        Triplets out;
        for (const Disagreement& d : findDisagreements(a, 0, filter)) {
            out.push_back(d.triplet);
            if (judgments) judgments->push_back(d.judgments);
        }
        return out;
    };
    DisagreementFilter filter;
    filter.order = DisagreementOrder::Triplet;
    QCOMPARE(listed(filter), Triplets({1, 2, 4}));
    filter.show = TripletAgreement::Agreements;
    QCOMPARE(listed(filter), Triplets({0, 3}));
    filter.show = TripletAgreement::All;
    QCOMPARE(listed(filter), Triplets({0, 1, 2, 3, 4}));

    // Folded: {0,1,2} is one row, its first judgment with the highest consensus (triplet 0, 2 of 4).
    filter.foldRepeats = true;
    std::vector<std::int32_t> judgments;
    QCOMPARE(listed(filter, &judgments), Triplets({0, 1}));
    QCOMPARE(judgments, std::vector<std::int32_t>({4, 1}));
    filter.show = TripletAgreement::Disagreements;
    QCOMPARE(listed(filter), Triplets({1}));
    filter.show = TripletAgreement::Agreements;
    QCOMPARE(listed(filter), Triplets({0}));

    // One concept: exactly the triplets whose dominant dimension it is.
    filter = DisagreementFilter();
    filter.show = TripletAgreement::All;
    filter.order = DisagreementOrder::Triplet;
    size_t total = 0;
    for (std::int32_t d = 0; d < 2; ++d) {
        filter.dimension = d;
        Triplets expected;
        for (std::int64_t t = 0; t < std::int64_t(choices.size()); ++t)
            if (a.concepts->top[size_t(t)] == d) expected.push_back(t);
        QCOMPARE(listed(filter), expected);
        total += expected.size();
    }
    QCOMPARE(total, choices.size());

    // One object, in any position: d (3) is only in (3,0,2); b (1) in every triplet but that one.
    filter = DisagreementFilter();
    filter.show = TripletAgreement::All;
    filter.order = DisagreementOrder::Triplet;
    filter.objects = {3};
    QCOMPARE(listed(filter), Triplets({1}));
    filter.objects = {1};
    QCOMPARE(listed(filter), Triplets({0, 2, 3, 4}));
    filter.show = TripletAgreement::Disagreements;
    QCOMPARE(listed(filter), Triplets({2, 4}));
    filter.show = TripletAgreement::All;

    // Two objects together (an RDM cell): a and c (0, 2) are in every triplet, d with a (3, 0) only in
    // (3,0,2), b never with d; listing one twice is listing it once. More than three, or one outside the
    // objects, can be in no triplet.
    const std::vector<std::pair<std::vector<std::int32_t>, Triplets>> together = {
        {{0, 2}, {0, 1, 2, 3, 4}}, {{3, 0}, {1}},      {{1, 3}, {}}, {{0, 1, 2}, {0, 2, 3, 4}},
        {{1, 1}, {0, 2, 3, 4}},    {{0, 1, 2, 3}, {}}, {{0, 9}, {}}, {{0, -1}, {}}};
    for (const auto& [objects, expected] : together) {
        filter.objects = objects;
        QCOMPARE(listed(filter), expected);
    }
    // Any of them (a lasso's selection): d alone, or b or d (every triplet); outside indices are ignored.
    filter.objectMatch = ObjectMatch::Any;
    const std::vector<std::pair<std::vector<std::int32_t>, Triplets>> anyOf = {
        {{3}, {1}}, {{1, 3}, {0, 1, 2, 3, 4}}, {{9, 3, -4}, {1}}, {{9}, {}}};
    for (const auto& [objects, expected] : anyOf) {
        filter.objects = objects;
        QCOMPARE(listed(filter), expected);
    }

    // Confidence order: the model's surest picks first.
    filter = DisagreementFilter();
    filter.show = TripletAgreement::All;
    const auto byConfidence = findDisagreements(a, 0, filter);
    QCOMPARE(byConfidence.size(), choices.size());
    for (size_t i = 1; i < byConfidence.size(); ++i)
        QVERIFY(byConfidence[i - 1].confidence >= byConfidence[i].confidence);

    // Without probabilities (the browser's long listings): equal consensus keeps the triplets' order; an
    // order by confidence computes them anyway.
    filter.order = DisagreementOrder::Consensus;
    filter.probabilities = false;
    QCOMPARE(listed(filter), Triplets({1, 0, 3, 2, 4})); // consensus 1, 0.5, 0.5, 0.25, 0.25
    for (const Disagreement& d : findDisagreements(a, 0, filter))
        QCOMPARE(d.confidence, 0.0f);
    filter.order = DisagreementOrder::Confidence;
    QVERIFY(findDisagreements(a, 0, filter).front().confidence > 1.0f / 3);

    // A cancelled listing is empty.
    CancelToken token;
    token.cancel();
    TaskContext cancelled;
    cancelled.cancel = &token;
    QVERIFY(findDisagreements(a, 0, filter, cancelled).empty());

    // Without a concept space no triplet has a dimension.
    request.concepts.reset();
    auto plain = analyseOddOneOut(request);
    QVERIFY(plain.ok());
    filter.dimension = 0;
    QVERIFY(findDisagreements(**plain, 0, filter).empty());
}

void TestOddOneOut::analysisWithoutTripletsIsAnError()
{
    AnalysisRequest request = fourObjectRequest();
    TripletSet none = makeTriplets({});
    none.origin = "judgments.npy";
    request.triplets = std::make_shared<const TripletSet>(none);
    auto analysis = analyseOddOneOut(request);
    QVERIFY(!analysis.ok());
    QCOMPARE(QString::fromStdString(analysis.error().message()),
             QStringLiteral("judgments.npy: no triplets"));
}

// A request may bring the repeats of its triplets from an earlier analysis (the GUI's, after a change of
// similarity): they are taken as given, not grouped again; without them they are grouped from the triplets.
void TestOddOneOut::analysisTakesTheRepeatsItIsGiven()
{
    AnalysisRequest request = fourObjectRequest();
    request.bootstrapReplicates = 20;
    auto grouped = analyseOddOneOut(request);
    QVERIFY(grouped.ok());
    const TripletRepeats expected = analyseRepeats(*request.triplets);
    QCOMPARE((*grouped)->repeats.groups, expected.groups);
    QCOMPARE((*grouped)->repeats.members.size(), expected.members.size());
    QCOMPARE((*grouped)->repeats.consensusOf(std::int64_t(0)), expected.consensusOf(std::int64_t(0)));

    auto given = std::make_shared<TripletRepeats>(expected);
    given->ceilingNote = "given by the request";
    request.repeats = given;
    auto reused = analyseOddOneOut(request);
    QVERIFY(reused.ok());
    QCOMPARE(QString::fromStdString((*reused)->repeats.ceilingNote), QString("given by the request"));
    QCOMPARE((*reused)->repeats.groups, expected.groups);
    QCOMPARE((*reused)->models.front().choices.correct, (*grouped)->models.front().choices.correct);
}

QTEST_GUILESS_MAIN(TestOddOneOut)
#include "tst_odd_one_out.moc"
