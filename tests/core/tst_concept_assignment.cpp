// Each triplet's dominant concept dimensions (the top two of the kept pair's mean) against a direct
// evaluation, with many ties, both when pairs are tabulated (more triplets than pairs) and when each triplet
// is evaluated.
#include "test_support.h"

#include "alignscope/concept_breakdown.h"

#include <random>

using namespace alignscope;

namespace {

// The definition: the first dimension with the largest mean, and the first of the largest among the others.
std::pair<int, int> expectedTopTwo(const ConceptSpace& c, int i, int j)
{
    int top = 0;
    for (int d = 1; d < c.d; ++d)
        if ((c.at(i, d) + c.at(j, d)) / 2 > (c.at(i, top) + c.at(j, top)) / 2) top = d;
    int second = -1;
    for (int d = 0; d < c.d; ++d) {
        if (d == top) continue;
        if (second < 0 || (c.at(i, d) + c.at(j, d)) / 2 > (c.at(i, second) + c.at(j, second)) / 2) second = d;
    }
    return {top, second < 0 ? 0 : second};
}

} // namespace

class TestConceptAssignment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTheDefinition_data()
    {
        QTest::addColumn<int>("objects");
        QTest::addColumn<int>("dimensions");
        QTest::addColumn<int>("triplets");
        QTest::addColumn<int>("levels");
        QTest::newRow("tabulated: 30 objects, 2,000 triplets, ties") << 30 << 7 << 2000 << 3;
        QTest::newRow("tabulated: 60 objects, 42 dimensions") << 60 << 42 << 5000 << 1000;
        QTest::newRow("per triplet: 300 objects, 500 triplets") << 300 << 42 << 500 << 4;
        QTest::newRow("one dimension") << 20 << 1 << 400 << 5;
        // The tabulated path takes four dimensions at a time: whole, partial and single vectors.
        QTest::newRow("tabulated: 2 dimensions, ties") << 25 << 2 << 1000 << 2;
        QTest::newRow("tabulated: 4 dimensions, ties") << 25 << 4 << 1000 << 3;
        QTest::newRow("tabulated: 9 dimensions, ties") << 25 << 9 << 1000 << 2;
    }

    void matchesTheDefinition()
    {
        QFETCH(int, objects);
        QFETCH(int, dimensions);
        QFETCH(int, triplets);
        QFETCH(int, levels);
        std::mt19937 rng(9);
        std::uniform_int_distribution<int> level(0, levels - 1);
        ConceptSpace concepts;
        concepts.n = objects;
        concepts.d = dimensions;
        for (int v = 0; v < objects * dimensions; ++v)
            concepts.values.push_back(float(level(rng)) / float(levels));
        TripletSet set;
        std::uniform_int_distribution<int> pick(0, objects - 1);
        while (int(set.size()) < triplets) {
            const int i = pick(rng), j = pick(rng), k = pick(rng);
            if (i != j && i != k && j != k) set.indices.insert(set.indices.end(), {i, j, k});
        }
        const ConceptAssignment assignment = assignConceptDimensions(concepts, set);
        QCOMPARE(int(assignment.top.size()), triplets);
        for (int t = 0; t < triplets; ++t) {
            const auto [top, second] = expectedTopTwo(concepts, set.at(size_t(t), 0), set.at(size_t(t), 1));
            QCOMPARE(assignment.top[size_t(t)], top);
            if (dimensions > 1) QCOMPARE(assignment.second[size_t(t)], second);
        }
    }
};

QTEST_GUILESS_MAIN(TestConceptAssignment)
#include "tst_concept_assignment.moc"
