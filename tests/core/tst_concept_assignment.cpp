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
        QTest::addColumn<bool>("vectorised");
        for (const bool vectorised : {true, false}) {
            const char* kernel = vectorised ? "" : " (scalar kernel)";
            QTest::addRow("tabulated: 30 objects, 2,000 triplets, ties%s", kernel)
                << 30 << 7 << 2000 << 3 << vectorised;
            QTest::addRow("tabulated: 60 objects, 42 dimensions%s", kernel)
                << 60 << 42 << 5000 << 1000 << vectorised;
            QTest::addRow("per triplet: 300 objects, 500 triplets%s", kernel)
                << 300 << 42 << 500 << 4 << vectorised;
            QTest::addRow("one dimension%s", kernel) << 20 << 1 << 400 << 5 << vectorised;
            QTest::addRow("tabulated: 2 dimensions, ties%s", kernel) << 25 << 2 << 1000 << 2 << vectorised;
            QTest::addRow("tabulated: 4 dimensions, ties%s", kernel) << 25 << 4 << 1000 << 3 << vectorised;
            QTest::addRow("tabulated: 9 dimensions, ties%s", kernel) << 25 << 9 << 1000 << 2 << vectorised;
            // Eight pairs go at once, over a transposed copy padded by eight objects: object counts that
            // are and are not multiples of eight, dimension counts up to the table's 256.
            QTest::addRow("tabulated: 8 objects, 3 dimensions, ties%s", kernel)
                << 8 << 3 << 500 << 2 << vectorised;
            QTest::addRow("tabulated: 41 objects, 64 dimensions%s", kernel)
                << 41 << 64 << 4000 << 50 << vectorised;
            QTest::addRow("tabulated: 17 objects, 256 dimensions, ties%s", kernel)
                << 17 << 256 << 1000 << 3 << vectorised;
        }
    }

    void matchesTheDefinition()
    {
        QFETCH(int, objects);
        QFETCH(int, dimensions);
        QFETCH(int, triplets);
        QFETCH(int, levels);
        QFETCH(bool, vectorised);
        if (vectorised)
            qunsetenv("ALIGNSCOPE_SIMD");
        else
            qputenv("ALIGNSCOPE_SIMD", "0");
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
        qunsetenv("ALIGNSCOPE_SIMD");
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
