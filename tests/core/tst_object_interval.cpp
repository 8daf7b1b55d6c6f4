// Validation of the object-level interval (methods.md): the delete-one-object jackknife against the
// brute-force object bootstrap on planted data, and its coverage of a known population accuracy in repeated
// simulations.
#include "test_support.h"

#include "alignscope/alignment_stats.h"

#include <cmath>
#include <random>

using namespace alignscope;

namespace {

// Objects with a planted ability a_o ~ N(0, τ²); a triplet is answered like the humans with probability
// sigmoid(μ + a_i + a_j + a_k), so triplets that share an object are correlated, as real model outcomes are.
struct Planted
{
    TripletSet triplets;
    std::vector<std::int8_t> choice;
};

Planted plant(int objects, int count, double tau, double mu, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, tau);
    std::vector<double> ability(static_cast<size_t>(objects));
    for (double& a : ability)
        a = normal(rng);
    std::uniform_int_distribution<int> pick(0, objects - 1);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    Planted out;
    out.triplets.indices.reserve(size_t(3 * count));
    while (int(out.choice.size()) < count) {
        const int i = pick(rng), j = pick(rng), k = pick(rng);
        if (i == j || i == k || j == k) continue;
        out.triplets.indices.insert(out.triplets.indices.end(), {i, j, k});
        const double p =
            1.0 / (1.0 + std::exp(-(mu + ability[size_t(i)] + ability[size_t(j)] + ability[size_t(k)])));
        out.choice.push_back(uniform(rng) < p ? 2 : 0);
    }
    return out;
}

// E[sigmoid(μ + Z)], Z ~ N(0, 3τ²): the accuracy over the population of objects and triplets (Simpson's
// rule).
double populationAccuracy(double tau, double mu)
{
    const double sd = std::sqrt(3.0) * tau;
    const int steps = 4000;
    const double low = -10 * sd, high = 10 * sd, h = (high - low) / steps;
    double sum = 0;
    for (int s = 0; s <= steps; ++s) {
        const double z = low + s * h;
        const double density = std::exp(-z * z / (2 * sd * sd)) / (sd * std::sqrt(2 * M_PI));
        const double value = density / (1.0 + std::exp(-(mu + z)));
        sum += value * (s == 0 || s == steps ? 1 : (s % 2 ? 4 : 2));
    }
    return sum * h / 3;
}

} // namespace

class TestObjectInterval : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void agreesWithObjectBootstrap_data()
    {
        QTest::addColumn<int>("objects");
        QTest::addColumn<int>("triplets");
        QTest::addColumn<double>("tau");
        QTest::addColumn<double>("mu");
        QTest::newRow("200 objects, 100k triplets, tau 0.5") << 200 << 100000 << 0.5 << 0.0;
        QTest::newRow("100 objects, 60k triplets, tau 1.0, accuracy near 0.7") << 100 << 60000 << 1.0 << 1.0;
        QTest::newRow("400 objects, 200k triplets, tau 0.3") << 400 << 200000 << 0.3 << -0.5;
    }

    // Endpoints agree within the bootstrap's Monte-Carlo error (2,000 replicates: about 5% of the width).
    void agreesWithObjectBootstrap()
    {
        QFETCH(int, objects);
        QFETCH(int, triplets);
        QFETCH(double, tau);
        QFETCH(double, mu);
        const Planted data = plant(objects, triplets, tau, mu, 11);
        const Interval jackknife = jackknifeObjectInterval(data.triplets, data.choice, size_t(objects));
        const Interval bootstrap =
            bootstrapObjectInterval(data.triplets, data.choice, size_t(objects), 2000, 5);
        const double jackknifeWidth = jackknife.high - jackknife.low,
                     bootstrapWidth = bootstrap.high - bootstrap.low;
        qInfo("jackknife [%.5f, %.5f], bootstrap [%.5f, %.5f], width ratio %.3f", jackknife.low,
              jackknife.high, bootstrap.low, bootstrap.high, jackknifeWidth / bootstrapWidth);
        QVERIFY(bootstrapWidth > 0);
        QVERIFY2(std::abs(jackknifeWidth / bootstrapWidth - 1) < 0.12,
                 qPrintable(QString::number(jackknifeWidth / bootstrapWidth)));
        QVERIFY(std::abs(jackknife.low - bootstrap.low) < 0.1 * bootstrapWidth);
        QVERIFY(std::abs(jackknife.high - bootstrap.high) < 0.1 * bootstrapWidth);
    }

    // Fresh objects and triplets in every simulation; the interval should cover the planted population
    // accuracy in about 95% of them (300 simulations: the Monte-Carlo error of the rate is about 1.3 points).
    void coversThePlantedAccuracy()
    {
        const double tau = 0.5, mu = 0.3;
        const double truth = populationAccuracy(tau, mu);
        int covered = 0;
        const int simulations = 300;
        for (int s = 0; s < simulations; ++s) {
            const Planted data = plant(150, 30000, tau, mu, 1000 + std::uint64_t(s));
            const Interval interval = jackknifeObjectInterval(data.triplets, data.choice, 150);
            covered += interval.low <= truth && truth <= interval.high;
        }
        const double rate = double(covered) / simulations;
        qInfo("population accuracy %.4f covered in %d of %d simulations (%.3f)", truth, covered, simulations,
              rate);
        QVERIFY2(rate >= 0.91 && rate <= 0.99, qPrintable(QString::number(rate)));
    }

    // The triplet-level interval alone ignores that triplets share objects: it is far too narrow on such
    // data.
    void tripletIntervalIsTooNarrowForObjects()
    {
        const Planted data = plant(150, 30000, 0.5, 0.3, 7);
        std::int64_t correct = 0;
        for (std::int8_t c : data.choice)
            correct += c == 2;
        const Interval triplet = bootstrapTripletInterval(correct, std::int64_t(data.choice.size()), 2000, 3);
        const Interval object = jackknifeObjectInterval(data.triplets, data.choice, 150);
        QVERIFY((object.high - object.low) > 3 * (triplet.high - triplet.low));
    }

    void degenerateInputsGiveNoInterval_data()
    {
        QTest::addColumn<QVector<int>>("indices");
        QTest::addColumn<QVector<int>>("choices");
        QTest::newRow("no triplets") << QVector<int>{} << QVector<int>{};
        QTest::newRow("one triplet: three objects, each in every triplet")
            << QVector<int>{0, 1, 2} << QVector<int>{2};
        QTest::newRow("every triplet holds object 0")
            << QVector<int>{0, 1, 2, 0, 3, 4, 0, 2, 4} << QVector<int>{2, 0, 2};
        QTest::newRow("choices do not match the triplets")
            << QVector<int>{0, 1, 2, 3, 4, 5} << QVector<int>{2};
    }

    void degenerateInputsGiveNoInterval()
    {
        QFETCH(QVector<int>, indices);
        QFETCH(QVector<int>, choices);
        TripletSet triplets;
        triplets.indices.assign(indices.begin(), indices.end());
        std::vector<std::int8_t> choice(choices.begin(), choices.end());
        const Interval interval = jackknifeObjectInterval(triplets, choice, 6);
        QCOMPARE(interval.low, 0.0);
        QCOMPARE(interval.high, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestObjectInterval)
#include "tst_object_interval.moc"
