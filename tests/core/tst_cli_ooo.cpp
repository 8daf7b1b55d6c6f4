// alignscope-cli ooo against ../shared/reference/alignment_reference.py on the real THINGS/VICE data,
// plus its error handling and outputs.
#include "test_support.h"

#include "alignscope/npy.h"

#include <QCryptographicHash>
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
    void resultsCarryAFingerprintAndCompareRefusesMixed();
    void compareNamesMetricsAndModelsLeftOut();
    void nameOptionNamesTheResults_data();
    void nameOptionNamesTheResults();
    void probeNameOptionNamesTheResult_data();
    void probeNameOptionNamesTheResult();
    void compareRefusesNonFiniteSizes_data();
    void compareRefusesNonFiniteSizes();

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

void TestCliOoo::resultsCarryAFingerprintAndCompareRefusesMixed()
{
    QDir dir(m_dir.path());
    testsupport::writeBytes(dir, "objects.txt", "a\nb\nc\nd\n");
    testsupport::writeBytes(dir, "triplets.txt", "0 1 2\n0 1 3\n2 3 0\n2 3 1\n");
    testsupport::writeBytes(dir, "other_triplets.txt", "0 1 2\n2 3 1\n");
    for (const char* name : {"m1.npy", "m2.npy", "m3.npy"})
        QVERIFY(writeNpy(dir.filePath(name).toStdString(),
                         makeFloat32Array({4, 2}, {1, 0, 1, 0.1f, 0, 1, 0.1f, 1}))
                    .ok());
    auto ooo = [&](const char* features, const char* triplets, const char* similarity, const char* out) {
        const auto run = testsupport::runCli({"ooo", "--objects", dir.filePath("objects.txt"), "--triplets",
                                              dir.filePath(triplets), "--features", dir.filePath(features),
                                              "--feature-rows", "canonical", "--similarity", similarity,
                                              "--bootstrap", "10", "--json"});
        testsupport::writeBytes(dir, out, run.out.toUtf8());
        return QJsonDocument::fromJson(run.out.toUtf8()).object();
    };
    const QJsonObject cosine = ooo("m1.npy", "triplets.txt", "cosine", "cosine.json");
    ooo("m2.npy", "triplets.txt", "dot", "dot.json");
    ooo("m3.npy", "other_triplets.txt", "cosine", "other.json");
    ooo("m3.npy", "triplets.txt", "cosine", "same.json");
    // The fingerprint: SHA-256 over the object IDs and the triplets as used, computed here independently.
    const QJsonObject fingerprint = cosine.value("fingerprint").toObject();
    const QByteArray hashed =
        QCryptographicHash::hash("a\nb\nc\nd\n\n0 1 2\n0 1 3\n2 3 0\n2 3 1\n", QCryptographicHash::Sha256)
            .toHex();
    QCOMPARE(fingerprint.value("triplets_sha256").toString().toUtf8(), hashed);
    QCOMPARE(fingerprint.value("similarity").toString(), QStringLiteral("cosine"));
    QCOMPARE(fingerprint.value("n_objects").toInt(), 4);
    QCOMPARE(fingerprint.value("n_triplets").toInt(), 4);
    QCOMPARE(cosine.value("models").toArray().first().toObject().value("feature_rows").toString(),
             QStringLiteral("canonical"));

    const QStringList compare = {"compare", "--metric",    "accuracy", "--permutations",
                                 "0",       "--bootstrap", "0"};
    const auto same = testsupport::runCli(
        compare + QStringList{"--results", dir.filePath("cosine.json"), dir.filePath("same.json")});
    QVERIFY2(same.exitCode == 0, qPrintable(same.err));
    QVERIFY2(!same.err.contains("fingerprint") && !same.err.contains("mixed"), qPrintable(same.err));
    const auto similarity = testsupport::runCli(
        compare + QStringList{"--results", dir.filePath("cosine.json"), dir.filePath("dot.json")});
    QCOMPARE(similarity.exitCode, 1);
    QVERIFY2(similarity.err.contains("similarities differ: cosine (") &&
                 similarity.err.contains("dot.json") && similarity.err.contains("--allow-mixed"),
             qPrintable(similarity.err));
    const auto triplets = testsupport::runCli(
        compare + QStringList{"--results", dir.filePath("cosine.json"), dir.filePath("other.json")});
    QCOMPARE(triplets.exitCode, 1);
    QVERIFY2(triplets.err.contains("triplets and objects differ") && triplets.err.contains("other.json") &&
                 !triplets.err.contains("similarities differ"),
             qPrintable(triplets.err));
    const auto allowed =
        testsupport::runCli(compare + QStringList{"--results", dir.filePath("cosine.json"),
                                                  dir.filePath("dot.json"), "--allow-mixed", "--json"});
    QVERIFY2(allowed.exitCode == 0, qPrintable(allowed.err));
    QVERIFY(allowed.err.contains("warning: mixed results"));
    QCOMPARE(QJsonDocument::fromJson(allowed.out.toUtf8()).object().value("mixed_results").toArray().size(),
             1);
    const auto text = testsupport::runCli(compare + QStringList{"--results", dir.filePath("cosine.json"),
                                                                dir.filePath("dot.json"), "--allow-mixed"});
    QVERIFY2(text.out.contains("WARNING, mixed results pooled"), qPrintable(text.out));
    // A file written before fingerprints is reported as such.
    testsupport::writeBytes(dir, "old.json", R"({"models": [{"name": "old", "accuracy": 0.5}]})");
    const auto old = testsupport::runCli(
        compare + QStringList{"--results", dir.filePath("cosine.json"), dir.filePath("old.json")});
    QVERIFY2(old.exitCode == 0, qPrintable(old.err));
    QVERIFY2(old.err.contains(dir.filePath("old.json") + ": results without a fingerprint"),
             qPrintable(old.err));
}

void TestCliOoo::nameOptionNamesTheResults_data()
{
    QTest::addColumn<QStringList>("features");
    QTest::addColumn<QStringList>("names");    // given with --name, in order
    QTest::addColumn<QStringList>("expected"); // in the JSON and compare's output; empty: refused
    QTest::newRow("no --name: the file's stem")
        << QStringList{"m1.npy"} << QStringList{} << QStringList{"m1"};
    QTest::newRow("one model named") << QStringList{"m1.npy"} << QStringList{"CLIP ViT-B/32"}
                                     << QStringList{"CLIP ViT-B/32"};
    QTest::newRow("two models, two names")
        << QStringList{"m1.npy", "m2.npy"} << QStringList{"word2vec", "SPoSE 49d"}
        << QStringList{"word2vec", "SPoSE 49d"};
    QTest::newRow("fewer names than models: refused")
        << QStringList{"m1.npy", "m2.npy"} << QStringList{"word2vec"} << QStringList{};
}

void TestCliOoo::nameOptionNamesTheResults()
{
    QFETCH(QStringList, features);
    QFETCH(QStringList, names);
    QFETCH(QStringList, expected);
    QTemporaryDir work;
    QDir dir(work.path());
    testsupport::writeBytes(dir, "objects.txt", "a\nb\nc\nd\n");
    testsupport::writeBytes(dir, "triplets.txt", "0 1 2\n0 1 3\n2 3 0\n2 3 1\n");
    QStringList arguments{"ooo",
                          "--objects",
                          dir.filePath("objects.txt"),
                          "--triplets",
                          dir.filePath("triplets.txt"),
                          "--feature-rows",
                          "canonical",
                          "--bootstrap",
                          "10",
                          "--json"};
    for (const QString& file : features) {
        QVERIFY(writeNpy(dir.filePath(file).toStdString(),
                         makeFloat32Array({4, 2}, {1, 0, 1, 0.1f, 0, 1, 0.1f, 1}))
                    .ok());
        arguments << "--features" << dir.filePath(file);
    }
    for (const QString& name : names)
        arguments << "--name" << name;
    const auto run = testsupport::runCli(arguments);
    if (expected.isEmpty()) {
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--name"), qPrintable(run.err));
        return;
    }
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QStringList written;
    for (const QJsonValue& model :
         QJsonDocument::fromJson(run.out.toUtf8()).object().value("models").toArray())
        written << model.toObject().value("name").toString();
    QCOMPARE(written, expected);
    testsupport::writeBytes(dir, "results.json", run.out.toUtf8());
    const auto compared = testsupport::runCli(
        {"compare", "--results", dir.filePath("results.json"), "--metric", "accuracy", "--json"});
    QVERIFY2(compared.exitCode == 0 || expected.size() < 3, qPrintable(compared.err));
    for (const QString& name : expected)
        QVERIFY2(compared.out.contains("\"" + name + "\"") || compared.err.contains(name),
                 qPrintable(name + " not in: " + compared.out + compared.err));
}

void TestCliOoo::probeNameOptionNamesTheResult_data()
{
    QTest::addColumn<QStringList>("name"); // given with --name
    QTest::addColumn<QString>("expected");
    QTest::newRow("no --name: the file's stem") << QStringList{} << "features";
    QTest::newRow("named") << QStringList{"--name", "SPoSE 49d"} << "SPoSE 49d";
}

void TestCliOoo::probeNameOptionNamesTheResult()
{
    QFETCH(QStringList, name);
    QFETCH(QString, expected);
    QTemporaryDir work;
    QDir dir(work.path());
    const int n = 40;
    QByteArray ids, triplets;
    std::vector<float> features;
    for (int i = 0; i < n; ++i) {
        ids += "o" + QByteArray::number(i) + "\n";
        for (int c = 0; c < 3; ++c)
            features.push_back(float((i * (c + 3)) % 11) / 11.0f);
    }
    for (int t = 0; t < 400; ++t) { // three different objects each
        const int i = t % n, step = (t / n) % 5;
        triplets += QByteArray::number(i) + " " + QByteArray::number((i + 1 + step) % n) + " " +
                    QByteArray::number((i + 7 + step) % n) + "\n";
    }
    testsupport::writeBytes(dir, "objects.txt", ids);
    testsupport::writeBytes(dir, "triplets.txt", triplets);
    QVERIFY(writeNpy(dir.filePath("features.npy").toStdString(), makeFloat32Array({n, 3}, features)).ok());
    const auto run =
        testsupport::runCli(QStringList{"probe", "--objects", dir.filePath("objects.txt"), "--triplets",
                                        dir.filePath("triplets.txt"), "--features",
                                        dir.filePath("features.npy"), "--feature-rows", "canonical",
                                        "--folds", "2", "--epochs", "5", "--device", "cpu", "--json"} +
                            name);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(QJsonDocument::fromJson(run.out.toUtf8()).object().value("name").toString(), expected);
}

void TestCliOoo::compareNamesMetricsAndModelsLeftOut()
{
    QDir dir(m_dir.path());
    // Eight models; four have a parameter count that a log axis cannot show, one job failed.
    QByteArray rows;
    for (int m = 0; m < 8; ++m)
        rows += QStringLiteral(R"({"job": "j%1", "model": "m%1", "dataset": "things", "variant": "dot",
                                  "state": "done", "metric": "accuracy", "value": "%2"},)")
                    .arg(m)
                    .arg(0.4 + 0.02 * m * (m % 3))
                    .toUtf8();
    rows += R"({"job": "late", "model": "m9", "dataset": "things", "variant": "dot", "state": "failed"})";
    testsupport::writeBytes(dir, "merged8.json",
                            R"({"format": "alignscope-batch-results-1", "rows": [)" + rows + "]}");
    testsupport::writeBytes(dir, "meta8.csv",
                            "name,model,parameters\nA,m0,1e6\nB,m1,0\nC,m2,5e7\nD,m3,-1\nE,m4,2e8\nF,m5,0\n"
                            "G,m6,3e9\nH,m7,-5\n");
    const auto wrongMetric =
        testsupport::runCli({"compare", "--results", dir.filePath("merged8.json"), "--metric", "accuracy"});
    QCOMPARE(wrongMetric.exitCode, 1);
    QVERIFY2(wrongMetric.err.contains("no model has the metric 'accuracy'; the metrics present: "
                                      "accuracy@things/dot"),
             qPrintable(wrongMetric.err));
    const auto logged = testsupport::runCli({"compare", "--results", dir.filePath("merged8.json"), "--meta",
                                             dir.filePath("meta8.csv"), "--metric", "accuracy@things/dot",
                                             "--x", "parameters", "--log-x", "--permutations", "0"});
    QVERIFY2(logged.exitCode == 0, qPrintable(logged.err));
    QVERIFY2(
        logged.out.contains("(4 of 8 models used; left out: m1 (parameters 0 is not positive: log scale)") &&
            logged.out.contains("m7 (parameters -5 is not positive: log scale)"),
        qPrintable(logged.out));
    QVERIFY2(logged.out.contains("names from column 'model'"), qPrintable(logged.out)); // not "name"
    QVERIFY2(logged.out.contains("left out: m9: job 'late' failed"), qPrintable(logged.out));
    QVERIFY2(!logged.err.contains("no row for model"), qPrintable(logged.err));
    testsupport::writeBytes(dir, "meta_inf.csv", "model,parameters\nm0,1e6\nm1,inf\n");
    const auto inf = testsupport::runCli({"compare", "--results", dir.filePath("merged8.json"), "--meta",
                                          dir.filePath("meta_inf.csv"), "--metric", "accuracy@things/dot",
                                          "--x", "parameters"});
    QCOMPARE(inf.exitCode, 1);
    QVERIFY2(inf.err.contains(
                 "column 'parameters': not numeric: row 2 (model 'm1'): 'inf' is not a finite number"),
             qPrintable(inf.err));
}

void TestCliOoo::compareRefusesNonFiniteSizes_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    QTest::newRow("width nan") << "--width-mm"
                               << "nan";
    QTest::newRow("height nan") << "--height-mm"
                                << "nan";
    QTest::newRow("width inf") << "--width-mm"
                               << "inf";
    QTest::newRow("width negative") << "--width-mm"
                                    << "-88";
    QTest::newRow("height zero") << "--height-mm"
                                 << "0";
    QTest::newRow("width hexadecimal (strtod read 80)") << "--width-mm"
                                                        << "0x50";
}

void TestCliOoo::compareRefusesNonFiniteSizes()
{
    QFETCH(QString, option);
    QFETCH(QString, value);
    QDir dir(m_dir.path());
    testsupport::writeBytes(dir, "size.json", R"({"models": [{"name": "a", "accuracy": 0.5}]})");
    const auto run = testsupport::runCli({"compare", "--results", dir.filePath("size.json"), "--metric",
                                          "accuracy", option, value, "--figure", dir.filePath("size.svg")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(option), qPrintable(run.err));
    QVERIFY(!QFile::exists(dir.filePath("size.svg")));
}

QTEST_GUILESS_MAIN(TestCliOoo)
#include "tst_cli_ooo.moc"
