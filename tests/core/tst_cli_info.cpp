// alignscope-cli info: every format, JSON output, one-line errors and exit codes.
#include "test_support.h"

#include "alignscope/npy.h"
#include "alignscope/npz.h"
#include "alignscope/torch_file.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace alignscope;

class TestCliInfo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void describesFiles_data();
    void describesFiles();
    void reportsCorruptFiles_data();
    void reportsCorruptFiles();
    void jsonOutput();

private:
    QTemporaryDir m_dir;
};

void TestCliInfo::initTestCase()
{
    QDir dir(m_dir.path());
    QVERIFY(writeNpy(dir.filePath("f.npy").toStdString(), makeFloat32Array({3, 2}, {1, 2, 3, 4, 5, 6})).ok());
    testsupport::writeBytes(dir, "f.rows.txt", "x\ny\nz\n");
    QVERIFY(
        writeNpz(dir.filePath("t.npz").toStdString(), {{"weights", makeFloat32Array({2, 2}, {1, 0, 0, 1})}})
            .ok());
    QVERIFY(writeTorchTensorFile(dir.filePath("t.pt").toStdString(), makeInt64Array({4}, {1, 2, 3, 4})).ok());
    testsupport::writeBytes(dir, "m.csv", "a,b\n1,2\n3,4\n");
    testsupport::writeBytes(dir, "concepts.tsv", "Word\tuniqueID\nant\tant\nbee\tbee\n");
    testsupport::writeBytes(dir, "ids.txt", "ant\nbee\n");
    testsupport::writeBytes(dir, "features.dat", QByteArray("\x93NUMPY\x01\x00", 8) + "garbage");
    testsupport::writeBytes(dir, "binary.bin", QByteArray("\x00\x01\x02\xff\xfe", 5));
    testsupport::writeBytes(dir, "empty.txt", "");
}

void TestCliInfo::describesFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::newRow("npy with sidecar") << "f.npy"
                                      << "NumPy .npy, shape (3, 2), dtype <f4\n  first rows: x y z";
    QTest::newRow("npz") << "t.npz"
                         << "NumPy .npz archive, shape (2, 2), dtype <f4";
    QTest::newRow("torch") << "t.pt"
                           << "PyTorch tensor file (torch.save), shape (4,), dtype Long";
    QTest::newRow("csv") << "m.csv"
                         << "text matrix, shape (2, 2), dtype text";
    QTest::newRow("concepts") << "concepts.tsv"
                              << "THINGS concept table, shape (2, 2)";
    QTest::newRow("id list") << "ids.txt"
                             << "ID list, shape (2,)";
}

void TestCliInfo::describesFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    const auto result = testsupport::runCli({"info", m_dir.filePath(file)});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains(expected), qPrintable(result.out + result.err));
}

void TestCliInfo::reportsCorruptFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("reason");
    QTest::newRow("corrupt npy, misleading extension") << "features.dat"
                                                       << "byte 10: truncated: header claims";
    QTest::newRow("binary junk") << "binary.bin"
                                 << "unrecognised format";
    QTest::newRow("empty") << "empty.txt"
                           << "file is empty";
    QTest::newRow("missing") << "nothing-here.npy"
                             << "cannot open";
}

void TestCliInfo::reportsCorruptFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, reason);
    const QString path = m_dir.filePath(file);
    const auto result = testsupport::runCli({"info", path});
    QCOMPARE(result.exitCode, 1);
    const QStringList lines = result.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines[0].startsWith(path) && lines[0].contains(reason), qPrintable(result.err));
}

void TestCliInfo::jsonOutput()
{
    const auto result =
        testsupport::runCli({"info", "--json", m_dir.filePath("f.npy"), m_dir.filePath("empty.txt")});
    QCOMPARE(result.exitCode, 1); // one of two files failed
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(result.out));
    const QJsonArray files = document.object().value("files").toArray();
    QCOMPARE(files.size(), 2);
    QCOMPARE(files[0].toObject().value("shape").toString(), QStringLiteral("(3, 2)"));
    QCOMPARE(files[0].toObject().value("first_row_ids").toArray().first().toString(), QStringLiteral("x"));
    QVERIFY(files[1].toObject().value("error").toString().contains("file is empty"));
}

QTEST_GUILESS_MAIN(TestCliInfo)
#include "tst_cli_info.moc"
