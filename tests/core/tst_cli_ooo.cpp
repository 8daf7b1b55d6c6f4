// alignscope-cli ooo against ../shared/reference/alignment_reference.py on the real THINGS/VICE data,
// plus its error handling and outputs.
#include "test_support.h"

#include "alignscope/npy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace alignscope;

namespace {

QJsonObject runJson(const QStringList& arguments, int expectedExit = 0)
{
    const auto result = testsupport::runCli(arguments);
    if (result.exitCode != expectedExit) qWarning("%s", qPrintable(result.err));
    return QJsonDocument::fromJson(result.out.toUtf8()).object();
}

QJsonObject runReference(const QStringList& arguments)
{
    QProcess process;
    process.start("/usr/bin/python3", QStringList{qEnvironmentVariable("ALIGNSCOPE_SHARED_DIR") +
                                                  "/reference/alignment_reference.py"} +
                                          arguments);
    process.waitForFinished(300000);
    if (process.exitCode() != 0) qWarning("%s", process.readAllStandardError().constData());
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

} // namespace

class TestCliOoo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void equalsReferenceOnRealData_data();
    void equalsReferenceOnRealData();
    void writesChoicesAndComparesModels();
    void reportsBadInputOnOneLine_data();
    void reportsBadInputOnOneLine();

private:
    QTemporaryDir m_dir;
    QString m_concepts, m_triplets, m_vice, m_ids, m_viceCanonical;
};

void TestCliOoo::initTestCase()
{
    m_concepts = testsupport::sharedData("things/things_concepts.tsv");
    m_triplets = testsupport::sharedData("things/triplets_with_subjects.txt");
    m_vice = testsupport::sharedData("vice/final_embedding.npy");
    if (m_vice.isEmpty() || m_triplets.isEmpty() || m_concepts.isEmpty()) return;
    // Canonical-order ID list and a canonical-order copy of VICE, which is what the reference expects.
    m_ids = m_dir.filePath("ids.txt");
    m_viceCanonical = m_dir.filePath("vice_canonical.npy");
    const QString script =
        QStringLiteral("import csv,sys,numpy as np\n"
                       "ids=[r['uniqueID'] for r in csv.DictReader(open(sys.argv[1]),delimiter='\\t')]\n"
                       "open(sys.argv[3],'w').write('\\n'.join(ids)+'\\n')\n"
                       "V=np.load(sys.argv[2]); pos={u:i for i,u in enumerate(ids)}\n"
                       "Y=np.empty_like(V); Y[[pos[u] for u in sorted(ids)]]=V; np.save(sys.argv[4],Y)\n");
    QCOMPARE(
        QProcess::execute("/usr/bin/python3", {"-c", script, m_concepts, m_vice, m_ids, m_viceCanonical}), 0);
}

void TestCliOoo::equalsReferenceOnRealData_data()
{
    QTest::addColumn<QString>("similarity");
    for (const char* s : {"dot", "cosine", "euclidean", "correlation"})
        QTest::newRow(s) << s;
}

void TestCliOoo::equalsReferenceOnRealData()
{
    QFETCH(QString, similarity);
    SKIP_WITHOUT_SHARED(m_vice);
    const QJsonObject reference =
        runReference({"ooo", "--features", m_vice, "--rows-sorted-ids", m_ids, "--triplets", m_triplets,
                      "--similarity", similarity, "--concepts", m_viceCanonical});
    QVERIFY(!reference.isEmpty());
    const QJsonObject ours =
        runJson({"ooo", "--objects", m_concepts, "--triplets", m_triplets, "--features", m_vice,
                 "--feature-rows", "sorted", "--similarity", similarity, "--concepts", m_vice,
                 "--concept-rows", "sorted", "--bootstrap", "100", "--json"});
    const QJsonObject model = ours.value("models").toArray().first().toObject();
    QCOMPARE(model.value("accuracy").toDouble(), reference.value("accuracy").toDouble());
    QCOMPARE(model.value("n_ties").toInt(), reference.value("n_ties").toInt());
    QCOMPARE(model.value("n_triplets").toInt(), 124121);
    const QJsonArray ourConcepts = model.value("per_concept").toArray();
    const QJsonArray referenceConcepts = reference.value("per_concept").toArray();
    QCOMPARE(ourConcepts.size(), 42);
    for (int d = 0; d < 42; ++d) {
        const QJsonObject a = ourConcepts[d].toObject(), b = referenceConcepts[d].toObject();
        QCOMPARE(a.value("n_triplets").toInt(), b.value("n_triplets").toInt());
        if (b.value("accuracy").isNull())
            QVERIFY(a.value("accuracy").isNull());
        else
            QCOMPARE(a.value("accuracy").toDouble(), b.value("accuracy").toDouble());
    }
    if (similarity == "dot")
        QCOMPARE(QString::number(model.value("accuracy").toDouble(), 'f', 4), QStringLiteral("0.6377"));
    QVERIFY(ours.value("noise_ceiling").toDouble() > 1.0 / 3.0);
    const QJsonArray ci = model.value("ci95").toArray();
    QVERIFY(ci[0].toDouble() < model.value("accuracy").toDouble() &&
            model.value("accuracy").toDouble() < ci[1].toDouble());
}

void TestCliOoo::writesChoicesAndComparesModels()
{
    QDir dir(m_dir.path());
    testsupport::writeBytes(dir, "objects.txt", "a\nb\nc\nd\n");
    testsupport::writeBytes(dir, "triplets.txt", "0 1 2\n0 1 3\n2 3 0\n2 3 1\n");
    QVERIFY(writeNpy(dir.filePath("good.npy").toStdString(),
                     makeFloat32Array({4, 2}, {1, 0, 1, 0.1f, 0, 1, 0.1f, 1}))
                .ok());
    QVERIFY(writeNpy(dir.filePath("bad.npy").toStdString(),
                     makeFloat32Array({4, 2}, {1, 0, 0, 1, 1, 0.1f, 0.1f, 1}))
                .ok());
    const QString choices = dir.filePath("choices.csv");
    const QJsonObject result =
        runJson({"ooo", "--objects", dir.filePath("objects.txt"), "--triplets", dir.filePath("triplets.txt"),
                 "--features", dir.filePath("good.npy"), "--features", dir.filePath("bad.npy"),
                 "--feature-rows", "canonical", "--choices-out", choices, "--json"});
    const QJsonArray models = result.value("models").toArray();
    QCOMPARE(models.size(), 2);
    QCOMPARE(models[0].toObject().value("name").toString(), QStringLiteral("good"));
    QCOMPARE(models[0].toObject().value("n_correct").toInt(), 4);
    QVERIFY(models[1].toObject().value("n_correct").toInt() < 4);
    QVERIFY(result.value("noise_ceiling").isNull());
    QCOMPARE(result.value("agreement").toArray().size(), 1);
    QFile csv(choices);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QCOMPARE(
        lines[0],
        QStringLiteral("i,j,k,choice_good,p_i_good,p_j_good,p_k_good,choice_bad,p_i_bad,p_j_bad,p_k_bad"));
    QVERIFY(lines[1].startsWith("0,1,2,2,"));
    QCOMPARE(QDir(m_dir.path()).entryList({"choices.csv.tmp*"}).size(), 0);
}

void TestCliOoo::reportsBadInputOnOneLine_data()
{
    QTest::addColumn<QString>("rows");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no row mapping") << QString() << "does not name its rows";
    QTest::newRow("row ids missing an object") << "rows"
                                               << "missing d; extra zz";
    QTest::newRow("missing features file") << "missing"
                                           << "cannot open";
}

void TestCliOoo::reportsBadInputOnOneLine()
{
    QFETCH(QString, rows);
    QFETCH(QString, expected);
    QDir dir(m_dir.path());
    testsupport::writeBytes(dir, "objects.txt", "a\nb\nc\nd\n");
    testsupport::writeBytes(dir, "triplets.txt", "0 1 2\n");
    testsupport::writeBytes(dir, "rows.txt", "a\nb\nc\nzz\n");
    QVERIFY(writeNpy(dir.filePath("f.npy").toStdString(), makeFloat32Array({4, 1}, {1, 2, 3, 4})).ok());
    QStringList arguments = {"ooo",
                             "--objects",
                             dir.filePath("objects.txt"),
                             "--triplets",
                             dir.filePath("triplets.txt"),
                             "--features",
                             dir.filePath(rows == "missing" ? "nope.npy" : "f.npy")};
    if (rows == "rows") arguments << "--feature-rows" << dir.filePath("rows.txt");
    const auto result = testsupport::runCli(arguments);
    QCOMPARE(result.exitCode, 1);
    const QStringList lines = result.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines[0].contains(expected), qPrintable(result.err));
}

QTEST_GUILESS_MAIN(TestCliOoo)
#include "tst_cli_ooo.moc"
