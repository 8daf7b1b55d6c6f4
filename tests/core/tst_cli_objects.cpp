// alignscope-cli ooo --per-object and alignscope-cli neighbours on inputs small enough to follow by hand:
// per-object counts against the triplets' own choices (--choices-out), neighbours against a human matrix
// stored in another order than the objects.
#include "test_support.h"

#include "alignscope/npy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <map>

using namespace alignscope;

namespace {

const QStringList kObjects{"zebra", "apple", "mango", "kiwi"};

struct Fixture
{
    QTemporaryDir work;
    QDir dir{work.path()};

    Fixture()
    {
        testsupport::writeBytes(dir, "objects.txt", kObjects.join("\n").toUtf8() + "\n");
        testsupport::writeBytes(dir, "triplets.txt", "0 1 2\n0 1 3\n2 3 0\n0 2 1\n1 2 0\n");
        writeNpy(path("first.npy"), makeFloat32Array({4, 2}, {1, 0, 1, 0.1f, 0, 1, 0.1f, 1}));
        writeNpy(path("second.npy"), makeFloat32Array({4, 2}, {1, 0, 0, 1, 1, 0.1f, 0.1f, 1}));
        writeNpy(path("neighbours.npy"), makeFloat32Array({4, 2}, {1, 0, 1, 0.2f, 0, 1, 0.3f, 1}));
        // Human similarity in the order mango, zebra, kiwi, apple (named by the sidecar): read by position,
        // zebra would take mango's row.
        const std::map<QString, std::map<QString, float>> pairs{
            {"zebra", {{"apple", .9f}, {"mango", .2f}, {"kiwi", .1f}}},
            {"apple", {{"zebra", .9f}, {"mango", .3f}, {"kiwi", .4f}}},
            {"mango", {{"zebra", .2f}, {"apple", .3f}, {"kiwi", .8f}}},
            {"kiwi", {{"zebra", .1f}, {"apple", .4f}, {"mango", .8f}}}};
        const QStringList order{"mango", "zebra", "kiwi", "apple"};
        std::vector<float> values;
        for (const QString& row : order)
            for (const QString& column : order)
                values.push_back(row == column ? 1.0f : pairs.at(row).at(column));
        writeNpy(path("human.npy"), makeFloat32Array({4, 4}, values));
        testsupport::writeBytes(dir, "human.rows.txt", order.join("\n").toUtf8() + "\n");
        writeNpy(path("concepts.npy"), makeFloat32Array({4, 2}, {2, 0, 1.5f, 0.2f, 0, 2, 0.1f, 1.5f}));
    }
    std::string path(const QString& name) const { return dir.filePath(name).toStdString(); }
    QString file(const QString& name) const { return dir.filePath(name); }
};

QJsonObject parsed(const testsupport::CliResult& run)
{
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

} // namespace

class TestCliObjects : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void perObjectCountsTheTripletsChoices_data();
    void perObjectCountsTheTripletsChoices();
    void neighboursFollowTheIds_data();
    void neighboursFollowTheIds();
    void neighboursRefuse_data();
    void neighboursRefuse();
};

void TestCliObjects::perObjectCountsTheTripletsChoices_data()
{
    QTest::addColumn<QStringList>("models");
    QTest::newRow("one model") << QStringList{"first"};
    QTest::newRow("two models") << QStringList{"first", "second"};
}

// Expected counts come from the choices the command writes per triplet (--choices-out): per object, the
// triplets that name it and those whose chosen object is the human odd one out (column k).
void TestCliObjects::perObjectCountsTheTripletsChoices()
{
    QFETCH(QStringList, models);
    Fixture fixture;
    QStringList arguments{"ooo",
                          "--objects",
                          fixture.file("objects.txt"),
                          "--triplets",
                          fixture.file("triplets.txt"),
                          "--feature-rows",
                          "canonical",
                          "--bootstrap",
                          "100",
                          "--json",
                          "--per-object",
                          "--choices-out",
                          fixture.file("choices.csv")};
    for (const QString& model : models)
        arguments << "--features" << fixture.file(model + ".npy");
    const auto run = testsupport::runCli(arguments);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QFile csv(fixture.file("choices.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    const int perModel = 4; // choice, p_i, p_j, p_k
    std::vector<std::map<QString, std::pair<qint64, qint64>>> expected(size_t(models.size()));
    std::map<QString, std::pair<qint64, qint64>> allWrong;
    for (const QString& line : lines.mid(1)) {
        const QStringList cells = line.split(',');
        bool everyModelWrong = true;
        for (int m = 0; m < models.size(); ++m) {
            const bool right = cells[3 + perModel * m] == cells[2];
            everyModelWrong = everyModelWrong && !right;
            for (int c = 0; c < 3; ++c) {
                auto& counts = expected[size_t(m)][kObjects[cells[c].toInt()]];
                ++counts.first;
                counts.second += right;
            }
        }
        for (int c = 0; c < 3; ++c) {
            auto& counts = allWrong[kObjects[cells[c].toInt()]];
            ++counts.first;
            counts.second += everyModelWrong;
        }
    }
    const QJsonObject result = parsed(run);
    const QJsonArray written = result.value("models").toArray();
    QCOMPARE(written.size(), models.size());
    for (int m = 0; m < models.size(); ++m) {
        std::map<QString, std::pair<qint64, qint64>> got;
        for (const QJsonValue& value : written[m].toObject().value("per_object").toArray()) {
            const QJsonObject object = value.toObject();
            const qint64 n = object.value("n_triplets").toInteger(),
                         correct = object.value("n_correct").toInteger();
            got[object.value("id").toString()] = {n, correct};
            QCOMPARE(object.value("accuracy").toDouble(), double(correct) / double(n));
            const QJsonArray ci = object.value("ci95").toArray();
            QVERIFY(ci[0].toDouble() <= ci[1].toDouble());
        }
        QCOMPARE(got, expected[size_t(m)]);
    }
    std::map<QString, std::pair<qint64, qint64>> gotWrong;
    for (const QJsonValue& value : result.value("per_object_all_models_wrong").toArray())
        gotWrong[value.toObject().value("id").toString()] = {
            value.toObject().value("n_triplets").toInteger(),
            value.toObject().value("n_all_models_wrong").toInteger()};
    QCOMPARE(gotWrong, allWrong);
    QVERIFY(allWrong.at("zebra").second > 0); // the last triplet fails under both models
    const auto plain = testsupport::runCli(arguments.mid(0, arguments.indexOf("--per-object")) +
                                           arguments.mid(arguments.indexOf("--per-object") + 1));
    QVERIFY(!parsed(plain).value("models").toArray()[0].toObject().contains("per_object"));
}

void TestCliObjects::neighboursFollowTheIds_data()
{
    QTest::addColumn<QString>("object");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("human");
    QTest::newRow("zebra") << "zebra"
                           << "apple"
                           << "apple";
    QTest::newRow("mango") << "mango"
                           << "kiwi"
                           << "kiwi";
    QTest::newRow("kiwi") << "kiwi"
                          << "mango"
                          << "mango";
}

void TestCliObjects::neighboursFollowTheIds()
{
    QFETCH(QString, object);
    QFETCH(QString, model);
    QFETCH(QString, human);
    Fixture fixture;
    const auto run = testsupport::runCli({"neighbours", "--objects", fixture.file("objects.txt"),
                                          "--features", fixture.file("neighbours.npy"), "--feature-rows",
                                          "canonical", "--rdm", fixture.file("human.npy"), "--rdm-kind",
                                          "similarity", "--k", "1", "--object", object, "--json"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonArray objects = parsed(run).value("objects").toArray();
    QCOMPARE(objects.size(), 1);
    const QJsonObject got = objects[0].toObject();
    QCOMPARE(got.value("id").toString(), object);
    QCOMPARE(got.value("model_neighbours").toArray(), QJsonArray{model});
    QCOMPARE(got.value("human_neighbours").toArray(), QJsonArray{human});
    QCOMPARE(got.value("jaccard").toDouble(), model == human ? 1.0 : 0.0);
    if (object == "zebra") // model ranks apple 3, mango 1, kiwi 2; human 3, 2, 1: ρ = 1/2
        QVERIFY(qAbs(got.value("spearman").toDouble() - 0.5) < 1e-9);
    const auto text = testsupport::runCli({"neighbours", "--objects", fixture.file("objects.txt"),
                                           "--features", fixture.file("neighbours.npy"), "--feature-rows",
                                           "canonical", "--concepts", fixture.file("concepts.npy"),
                                           "--concept-rows", "canonical", "--k", "2", "--object", object});
    QVERIFY2(text.exitCode == 0, qPrintable(text.err));
    QVERIFY2(text.out.startsWith(object + ": jaccard "), qPrintable(text.out));
}

void TestCliObjects::neighboursRefuse_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("message");
    QTest::newRow("k past the other objects") << QStringList{"--k", "4"} << "from 1 to 3";
    QTest::newRow("unknown object") << QStringList{"--object", "pear"} << "has no object 'pear'";
    QTest::newRow("rows that name other objects") << QStringList{"--rdm-rows", "OTHER"} << "";
}

void TestCliObjects::neighboursRefuse()
{
    QFETCH(QStringList, extra);
    QFETCH(QString, message);
    Fixture fixture;
    testsupport::writeBytes(fixture.dir, "other.txt", "a\nb\nc\nd\n");
    for (QString& argument : extra)
        if (argument == "OTHER") argument = fixture.file("other.txt");
    const auto run =
        testsupport::runCli(QStringList{"neighbours", "--objects", fixture.file("objects.txt"), "--features",
                                        fixture.file("neighbours.npy"), "--feature-rows", "canonical",
                                        "--rdm", fixture.file("human.npy")} +
                            extra);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QCOMPARE(run.err.count('\n'), 1); // one line
}

QTEST_GUILESS_MAIN(TestCliObjects)
#include "tst_cli_objects.moc"
