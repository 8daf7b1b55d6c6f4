// The one load path (load.h) that the GUI, the CLI and the Python module share: keys, row names from every
// source with their counts checked, shapes per role, concept labels, and the errors naming file and reason.
#include "test_support.h"

#include "alignscope/load.h"
#include "alignscope/npy.h"
#include "alignscope/npz.h"

#include <QTemporaryDir>

using namespace alignscope;

class TestLoad : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void loads_data();
    void loads();
    void cliReportsTheSameError_data();
    void cliReportsTheSameError();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
};

void TestLoad::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QDir dir(m_dir.path());
    const NdArray threeByTwo = makeFloat32Array({3, 2}, {1, 2, 3, 4, 5, 6});
    for (const char* name : {"named.npy", "short.npy", "bare.npy", "broken.npy"})
        QVERIFY(writeNpy(path(name).toStdString(), threeByTwo).ok());
    testsupport::writeBytes(dir, "named.rows.txt", "a\nb\nc\n");
    testsupport::writeBytes(dir, "short.rows.txt", "a\nb\n");
    QVERIFY(dir.mkpath("broken.rows.txt")); // a sidecar that cannot be read as a list
    QVERIFY(writeNpy(path("vector.npy").toStdString(), makeFloat32Array({4}, {1, 2, 3, 4})).ok());
    QVERIFY(
        writeNpy(path("cube.npy").toStdString(), makeFloat32Array({2, 2, 2}, std::vector<float>(8, 1))).ok());
    QVERIFY(writeNpy(path("triplets.npy").toStdString(), makeInt64Array({2, 3}, {0, 1, 2, 2, 1, 0})).ok());
    testsupport::writeBytes(dir, "triplets.rows.txt", "judgments have no row names\n");
    QVERIFY(
        writeNpz(path("archive.npz").toStdString(),
                 {{"features", threeByTwo}, {"other", makeFloat32Array({3, 4}, std::vector<float>(12, 2))}})
            .ok());
    testsupport::writeBytes(dir, "table.csv", "1,2\n3,4\n5,6\n");
    testsupport::writeBytes(dir, "two.txt", "p\nq\n");
    testsupport::writeBytes(dir, "three.txt", "p\nq\nr\n");
}

void TestLoad::loads_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("role");
    QTest::addColumn<QString>("rows");   // a row-ID file, "canonical", "sorted" or empty
    QTest::addColumn<QString>("labels"); // a labels file or empty
    QTest::addColumn<QString>("error");  // a part of the message, or empty when it loads
    QTest::addColumn<QString>("shape");
    QTest::addColumn<QString>("rowNames"); // the row IDs joined by ',', a policy's name, or "unnamed"
    QTest::addColumn<QString>("note");     // a part of the notes, or empty

    const QString none;
    const int any = int(InputRole::Any), features = int(InputRole::Features);
    QTest::newRow("sidecar names the rows") << "named.npy" << any << none << none << none << "(3, 2)"
                                            << "a,b,c" << none;
    QTest::newRow("sidecar of another count")
        << "short.npy" << any << none << none << "short.npy: 3 rows but 2 row IDs in " << none << none
        << none;
    QTest::newRow("sidecar of another count, as features")
        << "short.npy" << features << none << none << "3 rows but 2 row IDs in" << none << none << none;
    QTest::newRow("unreadable sidecar")
        << "broken.npy" << any << none << none << "broken.rows.txt" << none << none << none;
    QTest::newRow("row-ID file of another count")
        << "bare.npy" << features << "two.txt" << none << "bare.npy: 3 rows but 2 row IDs in " << none << none
        << none;
    QTest::newRow("row-ID file replaces a wrong sidecar")
        << "short.npy" << features << "three.txt" << none << none << "(3, 2)"
        << "p,q,r" << none;
    QTest::newRow("canonical rows") << "bare.npy" << features << "canonical" << none << none << "(3, 2)"
                                    << "canonical" << none;
    QTest::newRow("sorted rows") << "named.npy" << features << "sorted" << none << none << "(3, 2)"
                                 << "sorted" << none;
    QTest::newRow("unnamed rows") << "bare.npy" << features << none << none << none << "(3, 2)"
                                  << "unnamed" << none;
    QTest::newRow("key on an npy") << "named.npy:features" << any << none << none
                                   << "named.npy: a NumPy .npy file holds one array: ':features'" << none
                                   << none << none;
    QTest::newRow("key on a text matrix")
        << "table.csv:b" << any << none << none << "table.csv: a text matrix file holds one array" << none
        << none << none;
    QTest::newRow("key picks an npz member") << "archive.npz:other" << any << none << none << none << "(3, 4)"
                                             << "unnamed" << none;
    QTest::newRow("npz default member") << "archive.npz" << any << none << none << none << "(3, 2)"
                                        << "unnamed"
                                        << "archive.npz:features";
    QTest::newRow("unknown npz key") << "archive.npz:nope" << any << none << none
                                     << "archive.npz: no array named 'nope'" << none << none << none;
    QTest::newRow("features are 2-D") << "vector.npy" << features << none << none
                                      << "expected a 2-D matrix, found shape (4,)" << none << none << none;
    QTest::newRow("a matrix is 1-D or 2-D") << "cube.npy" << int(InputRole::Matrix) << none << none
                                            << "expected 1-D or 2-D" << none << none << none;
    QTest::newRow("triplets are N×3") << "named.npy" << int(InputRole::Triplets) << none << none
                                      << "triplets, found shape (3, 2)" << none << none << none;
    QTest::newRow("triplets have no row names")
        << "triplets.npy" << int(InputRole::Triplets) << none << none << none << "(2, 3)"
        << "unnamed" << none;
    QTest::newRow("concept labels of another count")
        << "named.npy" << int(InputRole::ConceptSpace) << none << "three.txt"
        << "three.txt: 3 labels for 2 dimensions" << none << none << none;
    QTest::newRow("concept labels, one per column")
        << "named.npy" << int(InputRole::ConceptSpace) << none << "two.txt" << none << "(3, 2)"
        << "a,b,c" << none;
    QTest::newRow("missing file") << "nothing.npy" << any << none << none << "nothing.npy: cannot open"
                                  << none << none << none;
}

void TestLoad::loads()
{
    QFETCH(QString, spec);
    QFETCH(int, role);
    QFETCH(QString, rows);
    QFETCH(QString, labels);
    QFETCH(QString, error);
    QFETCH(QString, shape);
    QFETCH(QString, rowNames);
    QFETCH(QString, note);
    LoadRequest request{path(spec).toStdString(), InputRole(role), std::nullopt, {}};
    if (!rows.isEmpty()) {
        auto identity = rowIdentityFromArgument(
            rows == "canonical" || rows == "sorted" ? rows.toStdString() : path(rows).toStdString());
        QVERIFY(identity.ok());
        request.rows = std::move(identity).value();
    }
    if (!labels.isEmpty()) request.labelsPath = path(labels).toStdString();
    auto loaded = load(request);
    if (!error.isEmpty()) {
        QVERIFY2(!loaded.ok(), "loaded what must be refused");
        const QString message = QString::fromStdString(loaded.error().message());
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY2(message.startsWith(m_dir.path()), qPrintable(message)); // names the file
        return;
    }
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message().c_str());
    QCOMPARE(QString::fromStdString(loaded->matrix.array.shapeString()), shape);
    QCOMPARE(loaded->path, path(spec.section(':', 0, 0)).toStdString());
    auto identity = rowIdentityOf(*loaded);
    if (rowNames == "unnamed") {
        QVERIFY(loaded->matrix.rowIds.empty());
        if (InputRole(role) != InputRole::Triplets) {
            QVERIFY(!identity.ok());
            QVERIFY(QString::fromStdString(identity.error().message()).contains("give a row mapping"));
        }
    } else if (rowNames == "canonical" || rowNames == "sorted") {
        QVERIFY(identity.ok());
        QCOMPARE(QString(rowPolicyName(identity->policy)), rowNames);
        QVERIFY(loaded->matrix.rowIds.empty());
    } else {
        QVERIFY(identity.ok());
        QStringList ids;
        for (const std::string& id : identity->ids)
            ids << QString::fromStdString(id);
        QCOMPARE(ids.join(','), rowNames);
    }
    if (!labels.isEmpty()) QCOMPARE(std::int64_t(loaded->labels.size()), loaded->matrix.array.cols());
    QStringList notes;
    for (const std::string& text : loaded->notes)
        notes << QString::fromStdString(text);
    QVERIFY2(note.isEmpty() ? notes.isEmpty() : notes.join('\n').contains(note),
             qPrintable(notes.join('\n')));
}

// alignscope-cli refuses what the core's load refuses, with the same message (the CLI reads through it).
void TestLoad::cliReportsTheSameError_data()
{
    QTest::addColumn<QString>("spec");
    QTest::newRow("sidecar of another count") << "short.npy";
    QTest::newRow("key on an npy") << "named.npy:features";
    QTest::newRow("unknown npz key") << "archive.npz:nope";
}

void TestLoad::cliReportsTheSameError()
{
    QFETCH(QString, spec);
    auto loaded = load({path(spec).toStdString(), InputRole::Features, std::nullopt, {}});
    QVERIFY(!loaded.ok());
    testsupport::writeBytes(QDir(m_dir.path()), "objects.txt", "a\nb\nc\n");
    const auto cli = testsupport::runCli(
        {"cka", "--objects", path("objects.txt"), "--features", path(spec), "--features", path("named.npy")});
    QCOMPARE(cli.exitCode, 1);
    QVERIFY2(cli.err.contains(QString::fromStdString(loaded.error().message())), qPrintable(cli.err));
}

QTEST_GUILESS_MAIN(TestLoad)
#include "tst_load.moc"
