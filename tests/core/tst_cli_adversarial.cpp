// The adversarial pass over the CLI, kept as tests: options that used to be parsed by hand (atoi: "abc" ->
// 0), non-finite options, results that used to be silently wrong (NaN similarities, human RDM rows taken by
// position, truncated MAT files read as zeros, +inf concepts, a bad first triplet line taken as a header) and
// messages that did not name the real reason. Each row is one input; the expected text is part of the
// assertion.
#include "test_support.h"

#include "alignscope/npy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

using namespace alignscope;

class TestCliAdversarial : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void badOptionsAreRefused_data();
    void badOptionsAreRefused();
    void featureScaleDoesNotChangeResults_data();
    void featureScaleDoesNotChangeResults();
    void humanRdmRowsAreMappedById_data();
    void humanRdmRowsAreMappedById();
    void truncatedMatFilesAreErrors_data();
    void truncatedMatFilesAreErrors();
    void conceptValues_data();
    void conceptValues();
    void tripletHeadersAreRecognisedByContent_data();
    void tripletHeadersAreRecognisedByContent();
    void messagesNameTheReason_data();
    void messagesNameTheReason();
    void tooFewRepeatsGiveNoCeiling();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QStringList ooo(const QString& features) const
    {
        return {"ooo",
                "--objects",
                path("demo/concepts/things_concepts.tsv"),
                "--triplets",
                path("demo/triplets/test_10.txt"),
                "--features",
                features,
                "--bootstrap",
                "0",
                "--json"};
    }
    QJsonObject json(const testsupport::CliResult& result) const
    {
        return QJsonDocument::fromJson(result.out.toUtf8()).object();
    }
    // The demo's concept space times `factor`, written as float32 with its row IDs.
    QString scaledFeatures(double factor, const QString& name) const
    {
        auto array = readNpy(path("demo/concept_space.npy").toStdString());
        if (!array) qFatal("%s", array.error().message().c_str());
        std::vector<float> values = array->toFloat32();
        for (float& v : values)
            v = float(double(v) * factor);
        if (!writeNpy(path(name + ".npy").toStdString(), makeFloat32Array(array->shape, values)))
            qFatal("cannot write");
        QFile::remove(path(name + ".rows.txt"));
        QFile::copy(path("demo/concept_space.rows.txt"), path(name + ".rows.txt"));
        return path(name + ".npy");
    }
    QTemporaryDir m_dir;
};

void TestCliAdversarial::initTestCase()
{
    const auto demo = testsupport::runCli({"demo", "--out", path("demo")});
    QVERIFY2(demo.exitCode == 0, qPrintable(demo.err));
}

void TestCliAdversarial::badOptionsAreRefused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    // Placeholders: OBJ, TRI, FEAT are replaced by the demo's files.
    const QStringList ooo{"ooo", "--objects", "OBJ", "--triplets", "TRI", "--features", "FEAT"};
    const QStringList probe{"probe", "--objects", "OBJ", "--triplets", "TRI", "--features", "FEAT"};
    const QStringList rsa{"rsa", "--objects", "OBJ", "--features", "FEAT", "--concept-similarity", "FEAT"};
    const QStringList extract{"extract", "--model", "MODEL", "--images", "IMAGES", "--out", "OUT"};
    QTest::newRow("bootstrap abc") << (ooo + QStringList{"--bootstrap", "abc"}) << 2
                                   << "--bootstrap: 'abc' is not a whole number";
    QTest::newRow("bootstrap 1e3") << (ooo + QStringList{"--bootstrap", "1e3"}) << 2
                                   << "--bootstrap: '1e3' is not a whole number";
    QTest::newRow("bootstrap 1.5") << (ooo + QStringList{"--bootstrap", "1.5"}) << 2
                                   << "is not a whole number";
    QTest::newRow("bootstrap empty") << (ooo + QStringList{"--bootstrap", ""}) << 2
                                     << "--bootstrap: '' is not a whole number";
    QTest::newRow("bootstrap 99999999999")
        << (ooo + QStringList{"--bootstrap", "99999999999"}) << 2 << "must be from 0 to 100000";
    QTest::newRow("bootstrap negative")
        << (ooo + QStringList{"--bootstrap", "-5"}) << 2 << "must be from 0 to 100000 (got -5)";
    QTest::newRow("seed abc") << (ooo + QStringList{"--seed", "abc"}) << 2
                              << "--seed: 'abc' is not a non-negative whole number";
    QTest::newRow("seed negative") << (ooo + QStringList{"--seed", "-1"}) << 2
                                   << "is not a non-negative whole number";
    QTest::newRow("seed past 64 bits")
        << (ooo + QStringList{"--seed", "18446744073709551616"}) << 2 << "does not fit in 64 bits";
    QTest::newRow("temperature inf") << (ooo + QStringList{"--temperature", "inf"}) << 2
                                     << "--temperature: 'inf' is not a finite number";
    QTest::newRow("temperature nan") << (ooo + QStringList{"--temperature", "nan"}) << 2
                                     << "'nan' is not a finite number";
    QTest::newRow("temperature 1e400")
        << (ooo + QStringList{"--temperature", "1e400"}) << 2 << "'1e400' is not a finite number";
    QTest::newRow("temperature 0") << (ooo + QStringList{"--temperature", "0"}) << 2
                                   << "must be greater than 0";
    QTest::newRow("top-k 3") << (ooo + QStringList{"--top-k", "3"}) << 2 << "must be from 1 to 2 (got 3)";
    QTest::newRow("threads -1") << (ooo + QStringList{"--threads", "-1"}) << 2 << "--threads";
    QTest::newRow("misspelt similarity") << (ooo + QStringList{"--similarity", "cosin"}) << 2 << "cosin";
    QTest::newRow("misspelt option") << (ooo + QStringList{"--similiarity", "dot"}) << 2 << "--similiarity";
    QTest::newRow("option without value")
        << QStringList{"ooo", "--objects", "OBJ", "--triplets", "TRI", "--features"} << 2 << "--features";
    QTest::newRow("missing features")
        << QStringList{"ooo", "--objects", "OBJ", "--triplets", "TRI"} << 2 << "--features is required";
    QTest::newRow("lambda inf") << (probe + QStringList{"--lambda", "inf"}) << 2
                                << "--lambda: 'inf' is not a finite number";
    QTest::newRow("lambda negative") << (probe + QStringList{"--lambda", "-1"}) << 2 << "--lambda";
    QTest::newRow("lambda grid with inf") << (probe + QStringList{"--lambda-grid", "0.1,inf"}) << 1
                                          << "--lambda-grid: not a finite non-negative number: 'inf'";
    QTest::newRow("lr inf") << (probe + QStringList{"--lr", "inf"}) << 2
                            << "--lr: 'inf' is not a finite number";
    QTest::newRow("lr 0") << (probe + QStringList{"--lr", "0"}) << 2 << "must be greater than 0";
    QTest::newRow("folds 99999999999")
        << (probe + QStringList{"--folds", "99999999999"}) << 2 << "must be from 2 to 100";
    QTest::newRow("folds 1") << (probe + QStringList{"--folds", "1"}) << 2 << "must be from 2 to 100 (got 1)";
    QTest::newRow("rsa bootstrap 1e3")
        << (rsa + QStringList{"--bootstrap", "1e3"}) << 2 << "is not a whole number";
    QTest::newRow("cka sigma inf") << QStringList{"cka",        "--objects", "OBJ",     "--features", "FEAT",
                                                  "--features", "FEAT",      "--sigma", "inf"}
                                   << 2 << "--sigma: 'inf' is not a finite number";
    QTest::newRow("extract mean nan")
        << (extract + QStringList{"--mean", "nan,0,0"}) << 1 << "--mean: 'nan' is not a finite number";
    QTest::newRow("extract std inf") << (extract + QStringList{"--std", "1,inf,1"}) << 1
                                     << "--std: 'inf' is not a finite number";
    QTest::newRow("extract batch 0") << (extract + QStringList{"--batch-size", "0"}) << 2
                                     << "must be from 1 to 4096";
    QTest::newRow("extract timeout -1") << (extract + QStringList{"--timeout", "-1"}) << 2 << "--timeout";
    QTest::newRow("inspect probe size abc")
        << QStringList{"inspect", "--model", "MODEL", "--probe-size", "abc"} << 2 << "is not a whole number";
}

void TestCliAdversarial::badOptionsAreRefused()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    const QMap<QString, QString> files{{"OBJ", path("demo/concepts/things_concepts.tsv")},
                                       {"TRI", path("demo/triplets/test_10.txt")},
                                       {"FEAT", path("demo/concept_space.npy")},
                                       {"MODEL", path("demo/models/demo_cnn.pt")},
                                       {"IMAGES", path("demo/images")},
                                       {"OUT", path("never.npy")}};
    for (QString& argument : arguments)
        argument = files.value(argument, argument);
    const auto result = testsupport::runCli(arguments);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(expected), qPrintable(result.err));
    QVERIFY(result.out.isEmpty());
    QVERIFY(!QFile::exists(path("never.npy")));
}

void TestCliAdversarial::featureScaleDoesNotChangeResults_data()
{
    QTest::addColumn<QString>("similarity");
    QTest::addColumn<double>("factor");
    QTest::addColumn<bool>("exact"); // a power of two scales exactly: the very same choices
    for (const char* similarity : {"cosine", "dot", "euclidean", "correlation"}) {
        QTest::newRow(qPrintable(QString("%1 × 2^-100").arg(similarity)))
            << similarity << std::ldexp(1.0, -100) << true;
        QTest::newRow(qPrintable(QString("%1 × 2^63").arg(similarity)))
            << similarity << std::ldexp(1.0, 63) << true;
        QTest::newRow(qPrintable(QString("%1 × 1e-30").arg(similarity))) << similarity << 1e-30 << false;
        QTest::newRow(qPrintable(QString("%1 × 1e19").arg(similarity))) << similarity << 1e19 << false;
    }
}

void TestCliAdversarial::featureScaleDoesNotChangeResults()
{
    QFETCH(QString, similarity);
    QFETCH(double, factor);
    QFETCH(bool, exact);
    const QString unit = scaledFeatures(1.0, "unit");
    const QString far = scaledFeatures(factor, "far");
    const auto base = testsupport::runCli(ooo(unit) + QStringList{"--similarity", similarity});
    const auto scaledRun = testsupport::runCli(ooo(far) + QStringList{"--similarity", similarity});
    QVERIFY2(base.exitCode == 0 && scaledRun.exitCode == 0, qPrintable(base.err + scaledRun.err));
    const QJsonObject a = json(base)["models"].toArray()[0].toObject(),
                      b = json(scaledRun)["models"].toArray()[0].toObject();
    QVERIFY(b["accuracy"].toDouble() < 0.9); // the NaN path gave 1.000
    if (exact) {
        QCOMPARE(b["n_correct"].toInt(), a["n_correct"].toInt());
        QCOMPARE(b["n_ties"].toInt(), a["n_ties"].toInt());
    } else {
        QVERIFY2(std::abs(b["accuracy"].toDouble() - a["accuracy"].toDouble()) < 0.002,
                 qPrintable(QString("%1 vs %2").arg(b["accuracy"].toDouble()).arg(a["accuracy"].toDouble())));
    }
    // RSA of the same features against the human ratings: the same r (cosine and correlation RDMs are
    // scale-free).
    const QStringList rsa{"rsa",
                          "--objects",
                          path("demo/concepts/things_concepts.tsv"),
                          "--stimuli",
                          path("demo/human/similarity_ratings.rows.txt"),
                          "--rdm",
                          path("demo/human/similarity_ratings.npy"),
                          "--rdm-kind",
                          "similarity",
                          "--json",
                          "--rdm-method"};
    const QString method = similarity == "dot" ? "euclidean" : similarity;
    const auto r0 = testsupport::runCli(rsa + QStringList{method, "--features", unit});
    const auto r1 = testsupport::runCli(rsa + QStringList{method, "--features", far});
    QVERIFY2(r0.exitCode == 0 && r1.exitCode == 0, qPrintable(r0.err + r1.err));
    QVERIFY(std::isfinite(json(r1)["r"].toDouble()) && !json(r1)["r"].isNull());
    QVERIFY2(std::abs(json(r1)["r"].toDouble() - json(r0)["r"].toDouble()) < (exact ? 1e-12 : 1e-3),
             qPrintable(QString("%1 vs %2").arg(json(r1)["r"].toDouble()).arg(json(r0)["r"].toDouble())));
}

void TestCliAdversarial::humanRdmRowsAreMappedById_data()
{
    QTest::addColumn<QString>("layout");
    QTest::addColumn<bool>("matches");
    QTest::addColumn<QString>("expected");
    QTest::newRow("stimuli reversed, sidecar names the rows") << "sidecar" << true << "";
    QTest::newRow("stimuli reversed, --rdm-rows names the rows") << "rdm-rows" << true << "";
    QTest::newRow("sidecar names an unknown stimulus") << "unknown" << false << "has no row for stimulus";
    QTest::newRow("--rdm-rows of the wrong length") << "short" << false << "names 59 rows but";
}

void TestCliAdversarial::humanRdmRowsAreMappedById()
{
    QFETCH(QString, layout);
    QFETCH(bool, matches);
    QFETCH(QString, expected);
    const QString rows = path("demo/human/similarity_ratings.rows.txt");
    QFile rowsFile(rows);
    QVERIFY(rowsFile.open(QIODevice::ReadOnly));
    QStringList ids = QString::fromUtf8(rowsFile.readAll()).split('\n', Qt::SkipEmptyParts);
    QStringList reversed = ids;
    std::reverse(reversed.begin(), reversed.end());
    testsupport::writeBytes(QDir(path("")), "reversed.txt", (reversed.join('\n') + '\n').toUtf8());
    QDir().mkpath(path(layout));
    QFile::remove(path(layout + "/ratings.npy"));
    QVERIFY(QFile::copy(path("demo/human/similarity_ratings.npy"), path(layout + "/ratings.npy")));
    QStringList arguments{"rsa",
                          "--objects",
                          path("demo/concepts/things_concepts.tsv"),
                          "--features",
                          path("demo/concept_space.npy"),
                          "--rdm",
                          path(layout + "/ratings.npy"),
                          "--rdm-kind",
                          "similarity",
                          "--json",
                          "--stimuli"};
    const auto inOrder = testsupport::runCli(arguments + QStringList{rows, "--rdm-rows", rows});
    QVERIFY2(inOrder.exitCode == 0, qPrintable(inOrder.err));
    QStringList sidecar = ids;
    if (layout == "unknown") sidecar[3] = "no_such_object";
    if (layout == "sidecar" || layout == "unknown")
        testsupport::writeBytes(QDir(path(layout)), "ratings.rows.txt", (sidecar.join('\n') + '\n').toUtf8());
    if (layout == "short")
        testsupport::writeBytes(QDir(path(layout)), "ids.txt", (ids.mid(1).join('\n') + '\n').toUtf8());
    QStringList extra{path("reversed.txt")};
    if (layout == "rdm-rows") extra += QStringList{"--rdm-rows", rows};
    if (layout == "short") extra += QStringList{"--rdm-rows", path(layout + "/ids.txt")};
    const auto result = testsupport::runCli(arguments + extra);
    if (!matches) {
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(expected), qPrintable(result.err));
        return;
    }
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    // Reordering the stimuli reorders both RDMs alike: r is unchanged (by position it dropped to chance).
    QCOMPARE(json(result)["r"].toDouble(), json(inOrder)["r"].toDouble());
    QVERIFY(json(result)["r"].toDouble() > 0.2);
}

void TestCliAdversarial::truncatedMatFilesAreErrors_data()
{
    QTest::addColumn<bool>("compressed");
    QTest::addColumn<double>("keep");
    QTest::newRow("uncompressed, half") << false << 0.5;
    QTest::newRow("uncompressed, last byte missing") << false << -1.0;
    QTest::newRow("compressed, half") << true << 0.5;
    QTest::newRow("compressed, last byte missing") << true << -1.0;
}

void TestCliAdversarial::truncatedMatFilesAreErrors()
{
    QFETCH(bool, compressed);
    QFETCH(double, keep);
    const QString mat = path(compressed ? "features_z.mat" : "features.mat");
    QProcess python;
    python.start("/usr/bin/python3",
                 {"-c", QString("import numpy, scipy.io; x = numpy.load('%1'); "
                                "scipy.io.savemat('%2', {'features': x}, do_compression=%3)")
                            .arg(path("demo/concept_space.npy"), mat, compressed ? "True" : "False")});
    QVERIFY(python.waitForFinished(60000));
    if (python.exitCode() != 0) QSKIP("python3-scipy is not installed");
    const QStringList load =
        ooo(mat + ":features") + QStringList{"--feature-rows", path("demo/concept_space.rows.txt")};
    const auto whole = testsupport::runCli(load);
    QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
    QFile file(mat);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    file.close();
    const int size = keep < 0 ? bytes.size() - 1 : int(bytes.size() * keep);
    testsupport::writeBytes(QDir(path("")), "cut.mat", bytes.left(size));
    const auto cut = testsupport::runCli(ooo(path("cut.mat") + ":features") +
                                         QStringList{"--feature-rows", path("demo/concept_space.rows.txt")});
    QCOMPARE(cut.exitCode, 1);
    QVERIFY2(cut.err.contains("cut.mat") && cut.err.contains("truncated"), qPrintable(cut.err));
    const auto info = testsupport::runCli({"info", path("cut.mat")});
    QVERIFY2(info.exitCode == 1 && info.err.contains("truncated"), qPrintable(info.err + info.out));
}

void TestCliAdversarial::conceptValues_data()
{
    QTest::addColumn<float>("value");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("+inf") << std::numeric_limits<float>::infinity() << 1 << 1
                          << "concept values must be finite";
    QTest::newRow("NaN") << std::nanf("") << 1 << 1 << "concept values must be finite";
    QTest::newRow("68 tiny negatives, as SPoSE-49")
        << -0.0013f << 68 << 0 << "68 tiny negative concept values (minimum -0.0013) clamped to 0";
    QTest::newRow("a real negative value")
        << -0.5f << 1 << 1 << "concept values must be non-negative (found -0.500000";
}

void TestCliAdversarial::conceptValues()
{
    QFETCH(float, value);
    QFETCH(int, count);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    auto array = readNpy(path("demo/concept_space.npy").toStdString());
    QVERIFY(array);
    std::vector<float> values = array->toFloat32();
    for (int i = 0; i < count; ++i)
        values[size_t(i * 37 % int(values.size()))] = value;
    QVERIFY(writeNpy(path("concepts.npy").toStdString(), makeFloat32Array(array->shape, values)));
    QFile::remove(path("concepts.rows.txt"));
    QVERIFY(QFile::copy(path("demo/concept_space.rows.txt"), path("concepts.rows.txt")));
    QFile::remove(path("similarity.npy"));
    const auto result =
        testsupport::runCli({"concept-similarity", "--objects", path("demo/concepts/things_concepts.tsv"),
                             "--concepts", path("concepts.npy"), "--out", path("similarity.npy")});
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(expected), qPrintable(result.err));
    QCOMPARE(QFile::exists(path("similarity.npy")), exitCode == 0);
    if (exitCode == 0) {
        auto written = readNpy(path("similarity.npy").toStdString());
        QVERIFY(written);
        for (float v : written->toFloat32())
            QVERIFY(std::isfinite(v));
    }
    // The breakdown by concept reads the same values the same way.
    const auto breakdown = testsupport::runCli(ooo(path("demo/concept_space.npy")) +
                                               QStringList{"--concepts", path("concepts.npy")});
    QCOMPARE(breakdown.exitCode, exitCode);
}

void TestCliAdversarial::tripletHeadersAreRecognisedByContent_data()
{
    QTest::addColumn<QByteArray>("firstLine");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("malformed first row") << QByteArray("0 1 x") << 1 << "not a number: 'x'";
    QTest::newRow("malformed first row, csv") << QByteArray("0,1,x") << 1 << "not a number: 'x'";
    QTest::newRow("header of names") << QByteArray("i j k") << 0 << "";
    QTest::newRow("header of names, csv") << QByteArray("anchor,positive,odd") << 0 << "";
    QTest::newRow("first row with nan") << QByteArray("0 1 nan") << 1 << "non-finite value";
}

void TestCliAdversarial::tripletHeadersAreRecognisedByContent()
{
    QFETCH(QByteArray, firstLine);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    const bool csv = firstLine.contains(',');
    const QByteArray rows = csv ? "0,1,2\n3,4,5\n1,2,6\n" : "0 1 2\n3 4 5\n1 2 6\n";
    testsupport::writeBytes(QDir(path("")), "triplets.txt", firstLine + "\n" + rows);
    const auto result = testsupport::runCli({"ooo", "--objects", path("demo/concepts/things_concepts.tsv"),
                                             "--triplets", path("triplets.txt"), "--features",
                                             path("demo/concept_space.npy"), "--bootstrap", "0", "--json"});
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(expected), qPrintable(result.err));
    if (exitCode == 0) QCOMPARE(json(result)["models"].toArray()[0].toObject()["n_triplets"].toInt(), 3);
}

void TestCliAdversarial::messagesNameTheReason_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("ID list named .h5")
        << "ids.h5" << QByteArray("a\nb\nc\n") << "is named .h5 but is a text file, not HDF5 data";
    QTest::newRow("ID list named .mat")
        << "ids.mat" << QByteArray("a\nb\nc\n") << "is named .mat but is a text file, not MATLAB data";
    QTest::newRow("ID list named .pt")
        << "ids.pt" << QByteArray("a\nb\nc\n") << "is named .pt but is a text file, not PyTorch data";
    QTest::newRow("ID list") << "ids.txt" << QByteArray("a\nb\nc\n")
                             << "holds a list of names (one per line), not a matrix of numbers";
    QTest::newRow("whitespace only") << "blank.txt" << QByteArray("  \n\t\n   \n")
                                     << "holds only whitespace (no data)";
    QTest::newRow("empty") << "empty.npy" << QByteArray() << "file is empty";
}

void TestCliAdversarial::messagesNameTheReason()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    testsupport::writeBytes(QDir(path("")), name, content);
    const auto result = testsupport::runCli(ooo(path(name)));
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.startsWith(path(name)) && result.err.contains(expected), qPrintable(result.err));
}

void TestCliAdversarial::tooFewRepeatsGiveNoCeiling()
{
    // Two triplets judged twice: their agreement is no noise ceiling (it gave a "normalised score" of 1.65).
    testsupport::writeBytes(QDir(path("")), "repeats.txt", "0 1 2\n1 0 2\n3 4 5\n4 3 5\n6 7 8\n");
    const auto result = testsupport::runCli({"ooo", "--objects", path("demo/concepts/things_concepts.tsv"),
                                             "--triplets", path("repeats.txt"), "--features",
                                             path("demo/concept_space.npy"), "--bootstrap", "0", "--json"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY(json(result)["noise_ceiling"].isNull());
    QCOMPARE(json(result)["n_repeated_triplets"].toInt(), 2);
    QCOMPARE(json(result)["noise_ceiling_note"].toString(),
             QString("only 2 repeated triplets; a noise ceiling needs at least 20"));
    QVERIFY(!json(result)["models"].toArray()[0].toObject().contains("normalized_score"));
    const auto text = testsupport::runCli({"ooo", "--objects", path("demo/concepts/things_concepts.tsv"),
                                           "--triplets", path("repeats.txt"), "--features",
                                           path("demo/concept_space.npy"), "--bootstrap", "0"});
    QVERIFY2(text.out.contains("noise ceiling: not estimated (only 2 repeated triplets") &&
                 !text.out.contains("normalised"),
             qPrintable(text.out));
}

QTEST_GUILESS_MAIN(TestCliAdversarial)
#include "tst_cli_adversarial.moc"
