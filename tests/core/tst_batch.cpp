// alignscope-cli batch / merge: manifest expansion and its errors, a killed run that resumes where it stopped
// with results identical to an uninterrupted run, failed jobs with their logs, and the merged table.
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <csignal>

namespace {

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestBatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void expandsTheManifest();
    void badManifestsAreReported_data();
    void badManifestsAreReported();
    void killedRunResumes();
    void failedJobIsRecorded();
    void mergedRowsCarryTheFingerprint();
    void probeAndRsaResultsCarryAFingerprint();

private:
    QString writeManifest(const QString& name, const QByteArray& json) const
    {
        return QString::fromStdString(testsupport::writeBytes(QDir(m_dir.path()), name, json));
    }
    QTemporaryDir m_dir;
    QString m_manifest;
};

void TestBatch::initTestCase()
{
    const auto demo = testsupport::runCli({"demo", "--out", m_dir.filePath("demo")});
    QVERIFY2(demo.exitCode == 0, qPrintable(demo.err));
    QFile source(QStringLiteral(ALIGNSCOPE_DEMO_MANIFEST));
    QVERIFY(source.open(QIODevice::ReadOnly));
    m_manifest = writeManifest("manifest.json", source.readAll());
}

void TestBatch::expandsTheManifest()
{
    const auto count =
        testsupport::runCli({"batch", "--manifest", m_manifest, "--out", m_dir.filePath("x"), "--count"});
    QCOMPARE(count.out.trimmed(),
             QString("29")); // 1 extraction + 4 models × (2 datasets × (2 ooo + probe) + 1 rsa)
    const auto extract = testsupport::runCli(
        {"batch", "--manifest", m_manifest, "--out", m_dir.filePath("x"), "--count", "--stage", "extract"});
    QCOMPARE(extract.out.trimmed(), QString("1"));
    const auto list =
        testsupport::runCli({"batch", "--manifest", m_manifest, "--out", m_dir.filePath("x"), "--list"});
    QVERIFY(list.out.contains("0\textract\textract.cnn"));
    QVERIFY(list.out.contains("analyse\trsa-correlation-spearman.colour.ratings"));
}

void TestBatch::badManifestsAreReported_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{models: []}") << "syntax error while parsing object key";
    QTest::newRow("no models") << QByteArray(R"({"datasets": [{}], "analyses": [{}]})")
                               << "models: must be a non-empty array";
    QTest::newRow("unknown analysis")
        << QByteArray(
               R"({"models": [{"name": "m", "features": "f.npy"}], "datasets": [{"name": "d", "objects": "o.tsv", "triplets": "t.txt"}], "analyses": [{"type": "svm"}]})")
        << "analyses[0].type: 'svm' is not one of ooo, rsa, probe";
    const QByteArray good =
        R"({"models": [{"name": "m", "features": "f.npy"}], "datasets": [{"name": "d", "objects": "o.tsv", "triplets": "t.txt"}], "analyses": [%1]})";
    QTest::newRow("misspelt key") << QByteArray(good).replace("%1",
                                                              R"({"type": "ooo", "similiarity": "dot"})")
                                  << "analyses[0].similiarity: unknown key";
    QTest::newRow("fractional folds") << QByteArray(good).replace("%1", R"({"type": "probe", "folds": 2.9})")
                                      << "analyses[0].folds: must be a whole number (got 2.8999999999999999)";
    QTest::newRow("huge folds") << QByteArray(good).replace("%1", R"({"type": "probe", "folds": 1e30})")
                                << "analyses[0].folds: must be a whole number";
    QTest::newRow("folds out of range")
        << QByteArray(good).replace("%1", R"({"type": "probe", "folds": 99999})")
        << "analyses[0].folds: must be from 2 to 100 (got 99999)";
    QTest::newRow("lambda as text") << QByteArray(good).replace("%1", R"({"type": "probe", "lambda": "0.1"})")
                                    << "analyses[0].lambda: must be a number";
    QTest::newRow("negative lambda") << QByteArray(good).replace("%1", R"({"type": "probe", "lambda": -1})")
                                     << "analyses[0].lambda: must be from 0 to";
    QTest::newRow("bad similarity") << QByteArray(good).replace("%1",
                                                                R"({"type": "ooo", "similarity": "cosin"})")
                                    << "analyses[0].similarity: 'cosin' is not one of";
    QTest::newRow("missing type") << QByteArray(good).replace("%1", R"({"similarity": "dot"})")
                                  << "analyses[0].type: is required";
    QTest::newRow("unknown top-level key") << QByteArray(R"({"model": []})") << "model: unknown key";
    QTest::newRow("model key typo")
        << QByteArray(
               R"({"models": [{"name": "m", "feature": "f.npy"}], "datasets": [{"name": "d", "objects": "o"}], "analyses": [{"type": "ooo"}]})")
        << "models[0].feature: unknown key";
    QTest::newRow("number for a path")
        << QByteArray(
               R"({"models": [{"name": "m", "features": 3}], "datasets": [{"name": "d", "objects": "o"}], "analyses": [{"type": "ooo"}]})")
        << "models[0].features: must be a string";
    QTest::newRow("model without data")
        << QByteArray(
               R"({"models": [{"name": "m"}], "datasets": [{"name": "d", "objects": "o"}], "analyses": [{"type": "ooo"}]})")
        << "needs \"features\", \"torchscript\" or \"model\"";
    QTest::newRow("model by name and a file")
        << QByteArray(
               R"({"models": [{"name": "m", "model": "torchvision:resnet18", "torchscript": "m.pt", "images": "i"}], "datasets": [{"name": "d", "objects": "o"}], "analyses": [{"type": "ooo"}]})")
        << "has both \"torchscript\" and \"model\"";
    QTest::newRow("weights without a model by name")
        << QByteArray(
               R"({"models": [{"name": "m", "torchscript": "m.pt", "weights": "none", "images": "i"}], "datasets": [{"name": "d", "objects": "o"}], "analyses": [{"type": "ooo"}]})")
        << "go with a model by name";
    QTest::newRow("model of an unknown source")
        << QByteArray(
               R"({"models": [{"name": "m", "model": "timm:vit", "images": "i"}], "datasets": [{"name": "d", "objects": "o"}], "analyses": [{"type": "ooo"}]})")
        << "names torchvision:NAME or python:FILE.py";
    QTest::newRow("duplicate model")
        << QByteArray(
               R"({"models": [{"name": "m", "features": "a"}, {"name": "m", "features": "b"}], "datasets": [{"name": "d", "objects": "o"}], "analyses": [{"type": "ooo"}]})")
        << "unique name";
}

void TestBatch::badManifestsAreReported()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const QString manifest = writeManifest("bad.json", json);
    const auto result =
        testsupport::runCli({"batch", "--manifest", manifest, "--out", m_dir.filePath("bad-out")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("bad.json") && result.err.contains(expected), qPrintable(result.err));
}

void TestBatch::killedRunResumes()
{
    // An uninterrupted run is the reference.
    const auto whole =
        testsupport::runCli({"batch", "--manifest", m_manifest, "--out", m_dir.filePath("whole")});
    QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
    const auto wholeMerge = testsupport::runCli({"merge", m_dir.filePath("whole")});
    QVERIFY2(wholeMerge.exitCode == 0, qPrintable(wholeMerge.err));
    // A second run, killed while its sixth job runs.
    QProcess run;
    run.start(qEnvironmentVariable("ALIGNSCOPE_CLI"),
              {"batch", "--manifest", m_manifest, "--out", m_dir.filePath("killed")});
    QByteArray out;
    while (out.count("running ") < 6 && run.waitForReadyRead(60000))
        out += run.readAllStandardOutput();
    QVERIFY(out.count("running ") >= 6);
    ::kill(pid_t(run.processId()), SIGKILL);
    run.waitForFinished();
    // Every result.json present is complete JSON; merging the interrupted run reports what is missing.
    int complete = 0;
    for (const QFileInfo& job :
         QDir(m_dir.filePath("killed/jobs")).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (QFile::exists(job.filePath() + "/result.json")) {
            QJsonParseError error;
            QJsonDocument::fromJson(readAll(job.filePath() + "/result.json"), &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
            ++complete;
        }
    QVERIFY(complete >= 4 && complete < 29);
    const auto partialMerge = testsupport::runCli({"merge", m_dir.filePath("killed")});
    QCOMPARE(partialMerge.exitCode, 1);
    // Resuming skips the completed jobs and finishes the rest.
    const auto resumed =
        testsupport::runCli({"batch", "--manifest", m_manifest, "--out", m_dir.filePath("killed")});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    QVERIFY2(resumed.out.contains(QString("%1 skipped").arg(complete)), qPrintable(resumed.out));
    const auto resumedMerge = testsupport::runCli({"merge", m_dir.filePath("killed")});
    QVERIFY2(resumedMerge.exitCode == 0, qPrintable(resumedMerge.err));
    QCOMPARE(readAll(m_dir.filePath("killed/merged.csv")), readAll(m_dir.filePath("whole/merged.csv")));
    const QJsonObject merged = QJsonDocument::fromJson(readAll(m_dir.filePath("whole/merged.json"))).object();
    QCOMPARE(merged["format"].toString(), QString("alignscope-batch-results-1"));
    QVERIFY(merged["rows"].toArray().size() > 29);
}

void TestBatch::failedJobIsRecorded()
{
    const QString manifest = writeManifest(
        "failing.json", QString(R"({"models": [{"name": "good", "features": "demo/concept_space.npy"},
        {"name": "broken", "features": "demo/missing.npy"}],
      "datasets": [{"name": "test", "objects": "demo/concepts/things_concepts.tsv", "triplets": "demo/triplets/test_10.txt"}],
      "analyses": [{"type": "ooo"}]})")
                            .toUtf8());
    const auto run =
        testsupport::runCli({"batch", "--manifest", manifest, "--out", m_dir.filePath("failing")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.contains("1 done, 0 skipped (already complete), 1 failed"));
    const QJsonObject status =
        QJsonDocument::fromJson(readAll(m_dir.filePath("failing/jobs/ooo-cosine.broken.test/status.json")))
            .object();
    QCOMPARE(status["state"].toString(), QString("failed"));
    QCOMPARE(status["exit_code"].toInt(), 1);
    QVERIFY(readAll(m_dir.filePath("failing/jobs/ooo-cosine.broken.test/log.txt")).contains("missing.npy"));
    QVERIFY(!QFile::exists(m_dir.filePath("failing/jobs/ooo-cosine.broken.test/result.json")));
    const auto merge = testsupport::runCli({"merge", m_dir.filePath("failing")});
    QCOMPARE(merge.exitCode, 1);
    QVERIFY(readAll(m_dir.filePath("failing/merged.csv"))
                .contains("ooo-cosine.broken.test,ooo,broken,test,cosine,failed"));
}

void TestBatch::mergedRowsCarryTheFingerprint()
{
    // Two similarities over one triplet set, and a job that fails: merged rows carry what makes them
    // comparable, compare lists the failed job, and pooling the two similarities under one name is refused.
    const QString manifest = writeManifest(
        "fingerprints.json", QString(R"({"models": [{"name": "good", "features": "demo/concept_space.npy"},
        {"name": "broken", "features": "demo/missing.npy"}],
      "datasets": [{"name": "test", "objects": "demo/concepts/things_concepts.tsv", "triplets": "demo/triplets/test_10.txt"}],
      "analyses": [{"type": "ooo", "similarity": "cosine"}, {"type": "ooo", "similarity": "dot"}]})")
                                 .toUtf8());
    testsupport::runCli({"batch", "--manifest", manifest, "--out", m_dir.filePath("fingerprints")});
    QCOMPARE(testsupport::runCli({"merge", m_dir.filePath("fingerprints")}).exitCode, 1); // a job failed
    const QJsonObject merged =
        QJsonDocument::fromJson(readAll(m_dir.filePath("fingerprints/merged.json"))).object();
    QSet<QString> fingerprints, similarities;
    for (const QJsonValue& value : merged["rows"].toArray()) {
        const QJsonObject row = value.toObject();
        if (row["state"].toString() != "done") {
            QVERIFY(row["triplets_sha256"].toString().isEmpty());
            continue;
        }
        QCOMPARE(row["triplets_sha256"].toString().size(), 64);
        fingerprints << row["triplets_sha256"].toString();
        similarities << row["similarity"].toString();
    }
    QCOMPARE(fingerprints.size(), 1); // one triplet set
    QCOMPARE(similarities, (QSet<QString>{"cosine", "dot"}));
    QVERIFY(readAll(m_dir.filePath("fingerprints/merged.csv"))
                .startsWith("job,analysis,model,dataset,variant,state,metric,value,ci_low,ci_high,n,triplets_"
                            "sha256,similarity\n"));
    const auto compare =
        testsupport::runCli({"compare", "--results", m_dir.filePath("fingerprints/merged.json"), "--metric",
                             "accuracy@test/cosine", "--json"});
    QVERIFY2(compare.exitCode == 0, qPrintable(compare.err));
    const QJsonArray leftOut = QJsonDocument::fromJson(compare.out.toUtf8()).object()["left_out"].toArray();
    QVERIFY2(!leftOut.isEmpty() &&
                 leftOut[0].toString().startsWith("broken: job 'ooo-cosine.broken.test' failed"),
             qPrintable(compare.out));
    // The dot job's result renamed into the cosine metric, as a hand-merged file would: refused, naming both.
    QJsonObject edited =
        QJsonDocument::fromJson(readAll(m_dir.filePath("fingerprints/merged.json"))).object();
    QJsonArray rows;
    for (const QJsonValue& value : edited["rows"].toArray()) {
        QJsonObject row = value.toObject();
        if (row["similarity"].toString() == "dot") {
            row["model"] = "good_dot";
            row["variant"] = "cosine";
        }
        rows.append(row);
    }
    edited["rows"] = rows;
    testsupport::writeBytes(QDir(m_dir.path()), "relabelled.json", QJsonDocument(edited).toJson());
    const auto mixed = testsupport::runCli(
        {"compare", "--results", m_dir.filePath("relabelled.json"), "--metric", "accuracy@test/cosine"});
    QCOMPARE(mixed.exitCode, 1);
    QVERIFY2(mixed.err.contains("similarities differ: cosine") && mixed.err.contains("dot"),
             qPrintable(mixed.err));
}

// The Transfer view pools probe results and the RSA view RSA results: each carries what makes it comparable.
void TestBatch::probeAndRsaResultsCarryAFingerprint()
{
    const QString objects = m_dir.filePath("demo/concepts/things_concepts.tsv");
    auto probe = [&](const char* triplets) {
        const auto run =
            testsupport::runCli({"probe", "--objects", objects, "--triplets", m_dir.filePath(triplets),
                                 "--features", m_dir.filePath("demo/concept_space.npy"), "--lambda", "0.1",
                                 "--folds", "2", "--epochs", "5", "--json"});
        return QJsonDocument::fromJson(run.out.toUtf8()).object()["fingerprint"].toObject();
    };
    const QJsonObject test = probe("demo/triplets/test_10.txt"), train = probe("demo/triplets/train_90.txt");
    QCOMPARE(test["triplets_sha256"].toString().size(), 64);
    QVERIFY(!test["similarity"].toString().isEmpty());
    QVERIFY(test["triplets_sha256"] != train["triplets_sha256"]);
    QCOMPARE(test["similarity"], train["similarity"]);
    auto rsa = [&](const char* method, const char* compare) {
        const auto run =
            testsupport::runCli({"rsa", "--objects", objects, "--stimuli",
                                 m_dir.filePath("demo/human/similarity_ratings.rows.txt"), "--features",
                                 m_dir.filePath("demo/concept_space.npy"), "--rdm",
                                 m_dir.filePath("demo/human/similarity_ratings.npy"), "--rdm-kind",
                                 "similarity", "--rdm-method", method, "--compare", compare, "--json"});
        return QJsonDocument::fromJson(run.out.toUtf8()).object()["fingerprint"].toObject();
    };
    const QJsonObject spearman = rsa("correlation", "spearman"), pearson = rsa("correlation", "pearson"),
                      euclidean = rsa("euclidean", "spearman");
    QCOMPARE(spearman["human_rdm_sha256"].toString().size(), 64); // the stimulus IDs and the human RDM
    QCOMPARE(spearman["human_rdm_sha256"], pearson["human_rdm_sha256"]);
    QVERIFY(spearman["n_stimuli"].toInt() > 2);
    QVERIFY(spearman["similarity"] != pearson["similarity"]);
    QVERIFY(spearman["similarity"] != euclidean["similarity"]);
    // The human side differs: another matrix over the same stimuli (the ratings read as dissimilarities).
    const auto flipped = testsupport::runCli(
        {"rsa", "--objects", objects, "--stimuli", m_dir.filePath("demo/human/similarity_ratings.rows.txt"),
         "--features", m_dir.filePath("demo/concept_space.npy"), "--rdm",
         m_dir.filePath("demo/human/similarity_ratings.npy"), "--rdm-kind", "dissimilarity", "--json"});
    QVERIFY(QJsonDocument::fromJson(flipped.out.toUtf8())
                .object()["fingerprint"]
                .toObject()["human_rdm_sha256"] != spearman["human_rdm_sha256"]);
}

QTEST_GUILESS_MAIN(TestBatch)
#include "tst_batch.moc"
