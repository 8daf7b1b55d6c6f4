// Data model loading: row mapping by ID, triplet validation, THINGS folders, and the VICE sorted-row trap.
#include "test_support.h"

#include "alignscope/datasets.h"
#include "alignscope/npy.h"

#include <QTemporaryDir>
#include <QTextStream>
#include <functional>

using namespace alignscope;

namespace {

StimulusSet makeStimuli(std::vector<std::string> ids)
{
    return std::move(StimulusSet::create(std::move(ids), "objects.txt")).value();
}

// Odd-one-out accuracy with dot-product similarity, computed with a plain loop as an independent check.
double dotProductAccuracy(const ConceptSpace& space, const TripletSet& triplets)
{
    auto dot = [&](int a, int b) {
        double sum = 0;
        for (std::int64_t d = 0; d < space.d; ++d)
            sum += double(space.at(a, d)) * double(space.at(b, d));
        return sum;
    };
    size_t correct = 0;
    for (size_t t = 0; t < triplets.size(); ++t) {
        const int i = triplets.at(t, 0), j = triplets.at(t, 1), k = triplets.at(t, 2);
        const double ij = dot(i, j), ik = dot(i, k), jk = dot(j, k);
        correct += ij > ik && ij > jk; // ties count as wrong
    }
    return double(correct) / double(triplets.size());
}

} // namespace

class TestDatasets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mapsRows_data();
    void mapsRows();
    void reportsMismatches_data();
    void reportsMismatches();
    void featuresNeedAMapping();
    void validatesTriplets_data();
    void validatesTriplets();
    void readsNpyTripletsInBlocks_data();
    void readsNpyTripletsInBlocks();
    void loadsThingsFolder();
    void viceNeedsSortedRows();
};

void TestDatasets::mapsRows_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QStringList>("rowIds");
    QTest::addColumn<QList<qint64>>("expectedRowForStimulus");
    // stimuli in canonical order: pepper, apple, camera
    QTest::newRow("canonical") << "canonical" << QStringList{} << QList<qint64>{0, 1, 2};
    QTest::newRow("sorted") << "sorted" << QStringList{} << QList<qint64>{2, 0, 1}; // apple camera pepper
    QTest::newRow("id list") << "ids" << QStringList{"camera", "pepper", "apple"} << QList<qint64>{1, 2, 0};
}

void TestDatasets::mapsRows()
{
    QFETCH(QString, policy);
    QFETCH(QStringList, rowIds);
    QFETCH(QList<qint64>, expectedRowForStimulus);
    const StimulusSet stimuli = makeStimuli({"pepper", "apple", "camera"});
    RowIdentity identity = policy == "canonical" ? RowIdentity::canonical() : RowIdentity::sorted();
    if (policy == "ids") {
        std::vector<std::string> ids;
        for (const QString& id : rowIds)
            ids.push_back(id.toStdString());
        identity = RowIdentity::fromIds(ids, "rows.txt");
    }
    auto rowFor = mapRowsToStimuli(stimuli, 3, identity, "features.npy");
    QVERIFY2(rowFor.ok(), rowFor.ok() ? "" : rowFor.error().message().c_str());
    QCOMPARE(QList<qint64>(rowFor->begin(), rowFor->end()), expectedRowForStimulus);
    const std::vector<float> matrix = {0, 0, 10, 10, 20, 20};
    const std::vector<float> gathered = gatherRows(matrix, 2, *rowFor);
    QCOMPARE(gathered[0], float(10 * expectedRowForStimulus[0]));
}

void TestDatasets::reportsMismatches_data()
{
    QTest::addColumn<QStringList>("rowIds");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing and extra")
        << QStringList{"apple", "camera", "kiwi"} << "missing pepper; extra kiwi";
    QTest::newRow("repeated") << QStringList{"apple", "apple", "camera"} << "missing pepper; repeated apple";
    QTest::newRow("count") << QStringList{"apple", "camera"} << "2 rows IDs";
}

void TestDatasets::reportsMismatches()
{
    QFETCH(QStringList, rowIds);
    QFETCH(QString, expected);
    const StimulusSet stimuli = makeStimuli({"pepper", "apple", "camera"});
    std::vector<std::string> ids;
    for (const QString& id : rowIds)
        ids.push_back(id.toStdString());
    const std::int64_t rows = expected.startsWith("2 rows") ? 3 : std::int64_t(ids.size());
    auto rowFor = mapRowsToStimuli(stimuli, rows, RowIdentity::fromIds(ids, "rows.txt"), "features.npy");
    QVERIFY(!rowFor.ok());
    const QString message = QString::fromStdString(rowFor.error().message());
    QVERIFY2(message.startsWith("features.npy") &&
                 message.contains(expected.startsWith("2 rows") ? QStringLiteral("3 rows but 2 row IDs")
                                                                : expected),
             qPrintable(message));
    auto counts = mapRowsToStimuli(stimuli, 4, RowIdentity::sorted(), "f.npy");
    QVERIFY(!counts.ok());
    QVERIFY(QString::fromStdString(counts.error().reason).contains("4 rows but 3 objects"));
}

void TestDatasets::featuresNeedAMapping()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("f.npy").toStdString();
    QVERIFY(writeNpy(path, makeFloat32Array({3, 2}, {1, 1, 2, 2, 3, 3})).ok());
    const StimulusSet stimuli = makeStimuli({"a", "b", "c"});
    auto unnamed = loadFeatures(path, stimuli, std::nullopt);
    QVERIFY(!unnamed.ok());
    QVERIFY(QString::fromStdString(unnamed.error().reason).contains("row mapping"));
    // The "<stem>.rows.txt" sidecar names the rows.
    QFile sidecar(QString::fromStdString(rowsSidecarPath(path)));
    QVERIFY(sidecar.open(QIODevice::WriteOnly));
    sidecar.write("c\na\nb\n");
    sidecar.close();
    auto named = loadFeatures(path, stimuli, std::nullopt);
    QVERIFY2(named.ok(), named.ok() ? "" : named.error().message().c_str());
    QCOMPARE(named->values, (std::vector<float>{2, 2, 3, 3, 1, 1}));
    QCOMPARE(named->rowIds, stimuli.ids());
}

void TestDatasets::validatesTriplets_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("valid with subjects") << QByteArray("0 1 2 7\n2 1 0 8\n") << QString();
    QTest::newRow("index too large") << QByteArray("0 1 2\n0 1 3\n") << "row 2: object index 3 outside 0..2";
    QTest::newRow("negative index") << QByteArray("0 -1 2\n") << "object index -1";
    QTest::newRow("repeated object") << QByteArray("0 0 2\n") << "repeats an object";
    QTest::newRow("fractional") << QByteArray("0 1.5 2\n") << "expected an integer";
    QTest::newRow("two columns") << QByteArray("0 1\n") << "expected N×3";
}

void TestDatasets::validatesTriplets()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const std::string path = testsupport::writeBytes(QDir(dir.path()), "t.txt", text);
    auto triplets = loadTriplets(path, 3);
    if (expected.isEmpty()) {
        QVERIFY2(triplets.ok(), triplets.ok() ? "" : triplets.error().message().c_str());
        QCOMPARE(triplets->size(), size_t(2));
        QCOMPARE(triplets->subjects, (std::vector<std::int32_t>{7, 8}));
        QCOMPARE(triplets->at(1, 2), 0);
        return;
    }
    QVERIFY(!triplets.ok());
    const QString message = QString::fromStdString(triplets.error().message());
    QVERIFY2(message.startsWith(QString::fromStdString(path)) && message.contains(expected),
             qPrintable(message));
}

namespace {

// A .npy image of an R×C integer matrix with element width 4 or 8 (numpy's own layout: 64-byte aligned
// header).
QByteArray integerNpy(std::int64_t rows, std::int64_t cols, int width,
                      const std::function<std::int64_t(std::int64_t)>& value)
{
    QByteArray header = QStringLiteral("{'descr': '<i%1', 'fortran_order': False, 'shape': (%2, %3), }")
                            .arg(width)
                            .arg(rows)
                            .arg(cols)
                            .toLatin1();
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    QByteArray out("\x93NUMPY\x01\x00", 8);
    out += char(header.size() & 0xff);
    out += char(header.size() >> 8);
    out += header;
    for (std::int64_t e = 0; e < rows * cols; ++e) {
        const std::int64_t v = value(e);
        out.append(reinterpret_cast<const char*>(&v), width); // little-endian host
    }
    return out;
}

} // namespace

// Integer .npy triplets are converted block by block (about 350,000 rows per block for 3 columns): every
// block is checked as the text path checks rows, and anything unusual falls back to the general reader's
// messages.
void TestDatasets::readsNpyTripletsInBlocks_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    auto cycle = [](std::int64_t e) { return (e % 3 + e / 3) % 5; }; // rows (a, a+1, a+2) mod 5: valid
    QTest::newRow("int64, 3 columns, 800,000 rows")
        << integerNpy(800000, 3, 8, [](std::int64_t e) { return (e / 3 + e % 3) % 5; }) << QString();
    QTest::newRow("int32, 4 columns")
        << integerNpy(800000, 4, 4, [](std::int64_t e) { return e % 4 == 3 ? 9 : (e / 4 + e % 4) % 5; })
        << QString();
    QTest::newRow("bad index in a later block") << integerNpy(800000, 3, 8, [](std::int64_t e) {
        return e == 3 * 700000 + 1 ? 5 : (e / 3 + e % 3) % 5;
    }) << "row 700001: object index 5 outside 0..4";
    QTest::newRow("repeated object") << integerNpy(10, 3, 4, [](std::int64_t e) {
        return e == 29 ? 9 % 5 + 0 * e : (e / 3 + e % 3) % 5;
    }) << "row 10: a triplet repeats an object";
    QTest::newRow("five columns") << integerNpy(4, 5, 8, cycle) << "expected N×3";
    QByteArray truncated = integerNpy(100, 3, 8, cycle);
    truncated.chop(5);
    QTest::newRow("truncated") << truncated << "truncated";
    QTest::newRow("no rows") << integerNpy(0, 3, 8, cycle) << "no triplets";
}

void TestDatasets::readsNpyTripletsInBlocks()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const std::string path = testsupport::writeBytes(QDir(dir.path()), "t.npy", bytes);
    auto triplets = loadTriplets(path, 5);
    if (expected.isEmpty()) {
        QVERIFY2(triplets.ok(), triplets.ok() ? "" : triplets.error().message().c_str());
        QCOMPARE(triplets->size(), size_t(800000));
        for (size_t t : {size_t(0), size_t(349524), size_t(349525), size_t(799999)})
            for (int c = 0; c < 3; ++c)
                QCOMPARE(triplets->at(t, c), std::int32_t((t + size_t(c)) % 5));
        if (!triplets->subjects.empty()) QCOMPARE(triplets->subjects.back(), 9);
        return;
    }
    QVERIFY(!triplets.ok());
    const QString message = QString::fromStdString(triplets.error().message());
    QVERIFY2(message.startsWith(QString::fromStdString(path)) && message.contains(expected),
             qPrintable(message));
}

void TestDatasets::loadsThingsFolder()
{
    QTemporaryDir dir;
    QDir root(dir.path());
    root.mkpath("concepts");
    root.mkpath("triplets");
    root.mkpath("images");
    testsupport::writeBytes(root, "concepts/things_concepts.tsv",
                            "Word\tuniqueID\nant\tant\nbee\tbee\ncat\tcat\ndog\tdog\n");
    QVERIFY(writeNpy(root.filePath("triplets/train_90.npy").toStdString(),
                     makeInt64Array({2, 3}, {0, 1, 2, 1, 2, 3}))
                .ok());
    testsupport::writeBytes(root, "triplets/test_10.txt", "3 2 0\n");
    testsupport::writeBytes(root, "images/bee.jpg", "x");
    auto folder = loadThingsFolder(dir.path().toStdString());
    QVERIFY2(folder.ok(), folder.ok() ? "" : folder.error().message().c_str());
    QCOMPARE(folder->objects.size(), size_t(4));
    QVERIFY(folder->train && folder->test);
    QCOMPARE(folder->train->size(), size_t(2));
    QCOMPARE(folder->test->at(0, 0), 3);
    QCOMPARE(int(folder->test->splits[0]), int(TripletSet::Test));
    QCOMPARE(folder->imagesFound, size_t(1));
    QVERIFY(QString::fromStdString(folder->objects.imagePaths[1]).endsWith("images/bee.jpg"));
    auto notThings = loadThingsFolder(root.filePath("images").toStdString());
    QVERIFY(!notThings.ok());
    QVERIFY(QString::fromStdString(notThings.error().reason).contains("concepts/things_concepts.tsv"));
}

void TestDatasets::viceNeedsSortedRows()
{
    const QString concepts = testsupport::sharedData("things/things_concepts.tsv");
    const QString triplets = testsupport::sharedData("things/triplets_with_subjects.txt");
    const QString vice = testsupport::sharedData("vice/final_embedding.npy");
    SKIP_WITHOUT_SHARED(vice);
    SKIP_WITHOUT_SHARED(triplets);
    auto objects = loadObjects(concepts.toStdString());
    QVERIFY(objects.ok());
    auto judgments = loadTriplets(triplets.toStdString(), objects->size());
    QVERIFY2(judgments.ok(), judgments.ok() ? "" : judgments.error().message().c_str());
    QCOMPARE(judgments->size(), size_t(124121));

    auto sorted = loadConceptSpace(vice.toStdString(), *objects, RowIdentity::sorted());
    QVERIFY2(sorted.ok(), sorted.ok() ? "" : sorted.error().message().c_str());
    QCOMPARE(sorted->d, std::int64_t(42));
    const double sortedAccuracy = dotProductAccuracy(*sorted, *judgments);
    QCOMPARE(QString::number(sortedAccuracy, 'f', 4), QStringLiteral("0.6377"));

    auto canonical = loadConceptSpace(vice.toStdString(), *objects, RowIdentity::canonical());
    QVERIFY(canonical.ok());
    const double canonicalAccuracy = dotProductAccuracy(*canonical, *judgments);
    QVERIFY2(canonicalAccuracy < sortedAccuracy - 0.001, qPrintable(QString::number(canonicalAccuracy)));
    // Without a mapping the reader refuses to guess.
    QVERIFY(!loadConceptSpace(vice.toStdString(), *objects, std::nullopt).ok());
}

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
