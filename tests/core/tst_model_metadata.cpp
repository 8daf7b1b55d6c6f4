// Model metadata tables: CSV, TSV and JSON read into typed columns, matched to models by name, with every
// model and row that does not match listed.
#include "test_support.h"

#include "alignscope/image_preprocessing.h"
#include "alignscope/model_metadata.h"
#include "alignscope/model_population.h"
#include "alignscope/population_report.h"
#include "alignscope/report_tables.h"

#include <QTemporaryDir>

#include <clocale>
#include <cmath>

using namespace alignscope;
using testsupport::writeBytes;

// Sets LC_NUMERIC to a comma-decimal locale, as Qt does for a German user, and back on destruction.
class CommaDecimalLocale
{
public:
    CommaDecimalLocale() : m_before(std::setlocale(LC_NUMERIC, nullptr))
    {
        for (const char* name : {"de_DE.UTF-8", "de_DE.utf8"})
            if (!m_active && std::setlocale(LC_NUMERIC, name)) m_active = true;
    }
    ~CommaDecimalLocale() { std::setlocale(LC_NUMERIC, m_before.c_str()); }
    bool active() const { return m_active; }

private:
    std::string m_before;
    bool m_active = false;
};

class TestModelMetadata : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsEveryFormat_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("csv, quoted field") << "models.csv"
                                           << QByteArray("model,parameters,\"training, data\"\n"
                                                         "resnet50,25600000,imagenet\n"
                                                         "clip_vit_l,428000000,\"laion, 2b\"\n"
                                                         "vit_s,22000000,\n");
        QTest::newRow("tsv, name column not first") << "models.tsv"
                                                    << QByteArray("parameters\tname\ttraining, data\n"
                                                                  "25600000\tresnet50\timagenet\n"
                                                                  "428000000\tclip_vit_l\tlaion, 2b\n"
                                                                  "22000000\tvit_s\t\n");
        QTest::newRow("json array") << "models.json"
                                    << QByteArray(R"([{"model": "resnet50", "parameters": 25600000,
                                                       "training, data": "imagenet"},
                                                      {"model": "clip_vit_l", "parameters": 4.28e8,
                                                       "training, data": "laion, 2b"},
                                                      {"model": "vit_s", "parameters": 22000000}])");
        QTest::newRow("json object") << "models.json" << QByteArray(R"({"resnet50": {"parameters": 25600000,
                                                                    "training, data": "imagenet"},
                                                       "clip_vit_l": {"parameters": 428000000,
                                                                      "training, data": "laion, 2b"},
                                                       "vit_s": {"parameters": 22000000}})");
    }

    void readsEveryFormat()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QTemporaryDir dir;
        auto metadata = loadModelMetadata(writeBytes(QDir(dir.path()), file, bytes));
        QVERIFY2(bool(metadata), metadata ? "" : metadata.error().message().c_str());
        QCOMPARE(metadata->models, (std::vector<std::string>{"resnet50", "clip_vit_l", "vit_s"}));
        const MetadataColumn* parameters = metadata->column("parameters");
        QVERIFY(parameters);
        QVERIFY(parameters->numeric);
        QVERIFY(parameters->logScaleSuggested == false); // 22 M to 428 M: under two decades
        QCOMPARE(parameters->number[1], 428000000.0);
        const MetadataColumn* data = metadata->column("training, data");
        QVERIFY(data);
        QVERIFY(!data->numeric);
        QCOMPARE(data->text, (std::vector<std::string>{"imagenet", "laion, 2b", ""}));
    }

    void infersTypesAndScales()
    {
        QTemporaryDir dir;
        auto metadata = loadModelMetadata(writeBytes(QDir(dir.path()), "m.csv",
                                                     "model,params,top1,family\n"
                                                     "a,1e6,0.7,cnn\nb,5e9,,vit\nc,2e7,0.81,1\n"));
        QVERIFY(bool(metadata));
        QVERIFY(metadata->column("params")->logScaleSuggested);
        QVERIFY(metadata->column("top1")->numeric); // a missing cell keeps a column numeric
        QVERIFY(std::isnan(metadata->column("top1")->number[1]));
        QVERIFY(!metadata->column("family")->numeric); // one number among words is categorical
        QVERIFY(!metadata->column("top1")->logScaleSuggested);
    }

    void editedTableSavesAndReadsBack()
    {
        QTemporaryDir dir;
        writeBytes(QDir(dir.path()), "models.csv",
                   "model,parameters,data\nresnet50,25600000,imagenet\nvit_s,,\n");
        auto metadata = loadModelMetadata(dir.filePath("models.csv").toStdString());
        QVERIFY(metadata.ok());
        // Edits: a text in the numeric column makes it categorical; a quoted comma survives the round trip.
        metadata->columns[0].text[1] = "small";
        metadata->columns[1].text[1] = "laion, 2b";
        inferColumnTypes(*metadata);
        QVERIFY(!metadata->columns[0].numeric);
        metadata->columns[0].text[1] = "22000000000";
        inferColumnTypes(*metadata);
        QVERIFY(metadata->columns[0].numeric && metadata->columns[0].logScaleSuggested);
        QVERIFY(checkModelNames(*metadata).ok());
        writeBytes(QDir(dir.path()), "saved.csv", QByteArray::fromStdString(modelMetadataCsv(*metadata)));
        auto back = loadModelMetadata(dir.filePath("saved.csv").toStdString());
        QVERIFY(back.ok());
        QCOMPARE(back->models, metadata->models);
        QCOMPARE(back->columns[1].text[1], std::string("laion, 2b"));
        QCOMPARE(back->columns[0].number[1], 22000000000.0);
        metadata->models[1] = "resnet50";
        const auto duplicate = checkModelNames(*metadata);
        QVERIFY(!duplicate.ok());
        QVERIFY(duplicate.error().message().find("row 2") != std::string::npos);
    }

    void savedTableIsNeutralisedAndReadsBackUnchanged()
    {
        QTemporaryDir dir;
        writeBytes(QDir(dir.path()), "models.csv",
                   "model,shift,note\n\"'=cmd\",-0.25,\"say \"\"hi\"\"\"\nplain,0.5,@home\n");
        auto metadata = loadModelMetadata(dir.filePath("models.csv").toStdString());
        QVERIFY(metadata.ok());
        // The protective quote of a saved formula-like cell is not part of the value.
        QCOMPARE(metadata->models, (std::vector<std::string>{"=cmd", "plain"}));
        QCOMPARE(metadata->columns[1].text[0], std::string("say \"hi\""));
        const std::string saved = modelMetadataCsv(*metadata);
        QVERIFY2(saved.find("'=cmd") != std::string::npos, saved.c_str());
        QVERIFY2(saved.find("'@home") != std::string::npos, saved.c_str());
        QVERIFY2(saved.find(",-0.25,") != std::string::npos, saved.c_str());
        writeBytes(QDir(dir.path()), "saved.csv", QByteArray::fromStdString(saved));
        auto back = loadModelMetadata(dir.filePath("saved.csv").toStdString());
        QVERIFY(back.ok());
        QCOMPARE(back->models, metadata->models);
        for (size_t c = 0; c < metadata->columns.size(); ++c)
            QCOMPARE(back->columns[c].text, metadata->columns[c].text);
        QVERIFY(back->columns[0].numeric);
        QCOMPARE(back->columns[0].number[0], -0.25);
    }

    void refusesBadTables_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("a model twice")
            << "m.csv" << QByteArray("model,x\na,1\nb,2\na,3\n") << "row 3: model 'a' is listed twice";
        QTest::newRow("no name") << "m.csv" << QByteArray("model,x\n,1\n") << "row 1: no model name";
        QTest::newRow("no rows") << "m.csv" << QByteArray("model,x\n") << "no models";
        QTest::newRow("json of numbers") << "m.json" << QByteArray("[1, 2]") << "entry 1: not an object";
        QTest::newRow("another format") << "m.txt" << QByteArray("a\n") << "expected a .csv, .tsv or .json";
    }

    void refusesBadTables()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const std::string path = writeBytes(QDir(dir.path()), file, bytes);
        auto metadata = loadModelMetadata(path);
        QVERIFY(!bool(metadata));
        const QString message = QString::fromStdString(metadata.error().message());
        QVERIFY2(message.contains(reason) && message.contains(QString::fromStdString(path)),
                 qPrintable(message));
    }

    void matchesNamesAndListsTheRest()
    {
        ModelMetadata metadata;
        metadata.models = {"ResNet50", "clip", "resnet50", "unused"};
        const MetadataMatch match = matchModelsToMetadata(metadata, {"resnet50", "CLIP", "vit", "Resnet50"});
        // Exact names first ("resnet50" takes row 2), then ignoring case ("Resnet50" takes row 0); a row is
        // used once.
        QCOMPARE(match.rowForModel, (std::vector<int>{2, 1, -1, 0}));
        QCOMPARE(match.unmatchedModels, std::vector<std::string>{"vit"});
        QCOMPARE(match.unusedRows, std::vector<std::string>{"unused"});
    }

    // Preprocessing::describe() is part of the feature cache's key and of the cache's metadata file.
    void preprocessingTextIsTheSameInEveryLocale()
    {
        const Preprocessing clip = *preprocessingPreset("clip");
        const std::string inC = clip.describe();
        QVERIFY2(inC.find("mean=0.48145467,0.457827508,0.408210725") != std::string::npos, inC.c_str());
        const CommaDecimalLocale locale;
        if (!locale.active()) QSKIP("de_DE.UTF-8 is not installed");
        QCOMPARE(clip.describe(), inC);
    }

    void numbersReadTheSameInEveryLocale()
    {
        QTemporaryDir dir;
        const std::string table =
            writeBytes(QDir(dir.path()), "m.csv", "model,top1,params\na,0.71,1.5e6\nb,0.5,2.5e8\n");
        const std::string merged = writeBytes(QDir(dir.path()), "merged.json",
                                              R"({"format": "alignscope-batch-results-1",
                "rows": [{"job": "j", "model": "a", "state": "done", "metric": "accuracy", "value": "0.25"}],
                "meta": {"a": {"top1": 0.75}}})");
        const CommaDecimalLocale locale;
        // Not a skip: packaging/install-deps.sh generates the locale, and without it this test proves
        // nothing.
        QVERIFY2(locale.active(), "de_DE.UTF-8 is not generated: run packaging/install-deps.sh");
        auto metadata = loadModelMetadata(table);
        QVERIFY(metadata.ok());
        QVERIFY(metadata->column("top1")->numeric);
        QCOMPARE(metadata->column("top1")->number[0], 0.71);
        QCOMPARE(metadata->column("params")->number[1], 2.5e8);
        ModelPopulation population;
        std::optional<ModelMetadata> embedded;
        QVERIFY(readPopulationResults(merged, population, &embedded).ok());
        QCOMPARE(population.value("a", "accuracy").value_or(-1), 0.25);
        QVERIFY(embedded && embedded->column("top1")->numeric);
        QCOMPARE(embedded->column("top1")->number[0], 0.75);
        // Exported tables write '.' too.
        const MetadataMatch match = matchModelsToMetadata(*metadata, population.models);
        const std::string csv = toCsv(populationTable(population, *metadata, match, {"accuracy"}));
        QVERIFY2(csv.find("0.250") != std::string::npos, csv.c_str());
    }

    void cellsAreNumbersMissingOrNamed_data()
    {
        QTest::addColumn<QByteArray>("cell");
        QTest::addColumn<bool>("numeric");
        QTest::addColumn<double>("value"); // NaN: missing
        QTest::addColumn<QString>("named");
        const double missing = std::nan("");
        QTest::newRow("NA is missing") << QByteArray("NA") << true << missing << QString();
        QTest::newRow("n/a is missing") << QByteArray("n/a") << true << missing << QString();
        QTest::newRow("empty is missing") << QByteArray("") << true << missing << QString();
        QTest::newRow("trailing space") << QByteArray("0.5 ") << true << 0.5 << QString();
        QTest::newRow("leading plus") << QByteArray("+3") << true << 3.0 << QString();
        QTest::newRow("inf names the cell")
            << QByteArray("inf") << false << missing << "row 1 (model 'a'): 'inf' is not a finite number";
        QTest::newRow("hex is no number")
            << QByteArray("0x10") << false << missing << "row 1 (model 'a'): '0x10' is not a number";
        QTest::newRow("decimal comma")
            << QByteArray("\"0,5\"") << false << missing << "'0,5' is not a number";
        QTest::newRow("out of range") << QByteArray("1e999") << false << missing << "'1e999' is not a number";
    }

    void cellsAreNumbersMissingOrNamed()
    {
        QFETCH(QByteArray, cell);
        QFETCH(bool, numeric);
        QFETCH(double, value);
        QFETCH(QString, named);
        QTemporaryDir dir;
        auto metadata =
            loadModelMetadata(writeBytes(QDir(dir.path()), "m.csv", "model,x\na," + cell + "\nb,2\n"));
        QVERIFY(metadata.ok());
        const MetadataColumn* x = metadata->column("x");
        QCOMPARE(x->numeric, numeric);
        if (numeric) {
            QCOMPARE(std::isnan(x->number[0]), std::isnan(value));
            if (!std::isnan(value)) QCOMPARE(x->number[0], value);
            QCOMPARE(x->number[1], 2.0);
        } else {
            QVERIFY2(QString::fromStdString(x->notNumeric).contains(named), x->notNumeric.c_str());
        }
    }

    void modelColumnIsPreferredAndNamed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("column");
        QTest::newRow("model before name") << QByteArray("model,name,x\nm1,Nice name,1\n") << "model";
        QTest::newRow("name before model") << QByteArray("name,model,x\nNice name,m1,1\n") << "model";
        QTest::newRow("name only, not first") << QByteArray("x,name\n1,m1\n") << "name";
        QTest::newRow("neither: the first column") << QByteArray("m,x\nm1,1\n") << "m";
    }

    void modelColumnIsPreferredAndNamed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, column);
        QTemporaryDir dir;
        auto metadata = loadModelMetadata(writeBytes(QDir(dir.path()), "m.csv", bytes));
        QVERIFY(metadata.ok());
        QCOMPARE(metadata->models, std::vector<std::string>{"m1"});
        QCOMPARE(QString::fromStdString(metadata->nameColumn), column);
    }

    void handEditedResultsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("accuracy 5") << QByteArray(R"({"models": [{"name": "a", "accuracy": 5}]})")
                                    << "models[0].accuracy: 5 is not within [0, 1]";
        QTest::newRow("interval reversed")
            << QByteArray(R"({"models": [{"name": "a", "accuracy": 0.5, "ci95": [0.9, 0.1]}]})")
            << "models[0].ci95: [0.9, 0.1]: low above high";
        QTest::newRow("accuracy is not n_correct / n")
            << QByteArray(
                   R"({"models": [{"name": "a", "accuracy": 0.9, "n_triplets": 100, "n_correct": 45}]})")
            << "models[0].accuracy: 0.9 is not n_correct / n_triplets (45 / 100 = 0.45)";
        QTest::newRow("concept accuracy")
            << QByteArray(R"({"models": [{"name": "a", "accuracy": 0.5, "per_concept": [{"label": "food",
                          "accuracy": 1.5}]}]})")
            << "models[0].per_concept[0].accuracy: 1.5 is not within [0, 1]";
        const QByteArray merged =
            R"({"format": "alignscope-batch-results-1", "rows": [{"job": "j", "model": "a",
                                      "state": "done", "metric": "accuracy", "value": "%1", "ci_low": "%2",
                                      "ci_high": "%3"}]})";
        QTest::newRow("merged value not a number")
            << QByteArray(merged).replace("%1", "0.5x").replace("%2", "").replace("%3", "")
            << "rows[0].value: '0.5x' is not a number";
        QTest::newRow("merged hex")
            << QByteArray(merged).replace("%1", "0x10").replace("%2", "").replace("%3", "")
            << "rows[0].value: '0x10' is not a number";
        QTest::newRow("merged accuracy 5")
            << QByteArray(merged).replace("%1", "5").replace("%2", "").replace("%3", "")
            << "rows[0].value: 5 is not within [0, 1] (accuracy)";
        QTest::newRow("merged interval reversed")
            << QByteArray(merged).replace("%1", "0.5").replace("%2", "0.9").replace("%3", "0.1")
            << "rows[0].ci_low: [0.9, 0.1]: low above high";
        QTest::newRow("merged accuracy interval outside [0, 1]")
            << QByteArray(merged).replace("%1", "0.5").replace("%2", "-3").replace("%3", "4")
            << "rows[0].ci_low: [-3, 4] is not within [0, 1] (accuracy)";
        QTest::newRow("merged metric the table does not know") << QByteArray(merged)
                                                                      .replace("\"accuracy\"", "\"acuracy\"")
                                                                      .replace("%1", "0.5")
                                                                      .replace("%2", "")
                                                                      .replace("%3", "")
                                                               << "rows[0].metric: unknown metric 'acuracy'";
    }

    void handEditedResultsAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string path = writeBytes(QDir(dir.path()), "edited.json", json);
        ModelPopulation population;
        const auto read = readPopulationResults(path, population);
        QVERIFY(!read.ok());
        const QString message = QString::fromStdString(read.error().message());
        QVERIFY2(message.contains(expected) && message.contains(QString::fromStdString(path)),
                 qPrintable(message));
    }

    void leftOutModelsAndTrimmedValuesAreListed()
    {
        QTemporaryDir dir;
        const std::string merged = writeBytes(QDir(dir.path()), "merged.json",
                                              R"({"format": "alignscope-batch-results-1", "rows": [
                 {"job": "ok", "model": "a", "state": "done", "metric": "accuracy", "value": " 0.5 "},
                 {"job": "na", "model": "b", "state": "done", "metric": "accuracy", "value": "NA"},
                 {"job": "late", "model": "c", "state": "failed", "metric": "", "value": ""}]})");
        const std::string ooo =
            writeBytes(QDir(dir.path()), "ooo.json", R"({"models": [{"name": "d", "accuracy": null}]})");
        ModelPopulation population;
        QVERIFY(readPopulationResults(merged, population).ok());
        QVERIFY(readPopulationResults(ooo, population).ok());
        QCOMPARE(population.models, std::vector<std::string>{"a"});
        QCOMPARE(population.value("a", "accuracy").value_or(-1), 0.5);
        const QString leftOut = QString::fromStdString([&] {
            std::string all;
            for (const std::string& entry : population.leftOut)
                all += entry + "\n";
            return all;
        }());
        QVERIFY2(leftOut.contains("c: job 'late' failed") && leftOut.contains("b: no finite value") &&
                     leftOut.contains("d: no finite value"),
                 qPrintable(leftOut));
        QVERIFY(QString::fromStdString(population.metricList()).contains("accuracy"));
    }

    void metaOfEveryMergedFileIsUsed()
    {
        QTemporaryDir dir;
        const QByteArray merged =
            R"({"format": "alignscope-batch-results-1", "rows": [{"job": "j", "model": "%1",
                                      "state": "done", "metric": "accuracy", "value": "0.5"}],
                                      "meta": {"%1": {"family": "%2"}, "shared": {"family": "%3"}}})";
        auto file = [&](const char* name, const char* model, const char* family, const char* shared) {
            return writeBytes(
                QDir(dir.path()), name,
                QByteArray(merged).replace("%1", model).replace("%2", family).replace("%3", shared));
        };
        const std::string first = file("one.json", "a", "cnn", "vit"),
                          second = file("two.json", "b", "vit", "vit");
        auto inputs = loadPopulationInputs({first, second}, "");
        QVERIFY2(inputs.ok(), inputs ? "" : inputs.error().message().c_str());
        QVERIFY(inputs->metadata);
        const MetadataMatch match = matchModelsToMetadata(*inputs->metadata, inputs->population.models);
        QCOMPARE(metadataLevels(*inputs->metadata, match, "family"),
                 (std::vector<std::string>{"cnn", "vit"}));
        const std::string conflicting = file("three.json", "c", "cnn", "mlp");
        auto conflict = loadPopulationInputs({first, conflicting}, "");
        QVERIFY(!conflict.ok());
        const QString message = QString::fromStdString(conflict.error().message());
        QVERIFY2(message.contains("three.json") && message.contains("one.json") &&
                     message.contains("model 'shared', column 'family'"),
                 qPrintable(message));
    }

    void poolingNamesWhatDiffers()
    {
        QTemporaryDir dir;
        const QByteArray ooo = R"({"models": [{"name": "%1", "accuracy": 0.5}], "similarity": "%3",
                                   "fingerprint": {"triplets_sha256": "%2", "similarity": "%3"}})";
        auto file = [&](const char* name, const char* model, const char* sha, const char* similarity) {
            return writeBytes(
                QDir(dir.path()), name,
                QByteArray(ooo).replace("%1", model).replace("%2", sha).replace("%3", similarity));
        };
        const std::string a = file("a.json", "m1", "aaaaaaaaaaaaaaaa", "cosine");
        const std::string same = file("same.json", "m2", "aaaaaaaaaaaaaaaa", "cosine");
        const std::string other = file("other.json", "m3", "bbbbbbbbbbbbbbbb", "dot");
        const std::string old =
            writeBytes(QDir(dir.path()), "old.json", R"({"models": [{"name": "m4", "accuracy": 0.5}]})");
        auto pooled = loadPopulationInputs({a, same}, "");
        QVERIFY(pooled.ok());
        QVERIFY(!pooled->population.checkPooling({"accuracy"}).mixedResults());
        auto mixed = loadPopulationInputs({a, other, old}, "");
        QVERIFY(mixed.ok());
        const PoolingCheck check = mixed->population.checkPooling({"accuracy"});
        QVERIFY(check.mixedResults());
        QCOMPARE(check.differing, std::string("triplets and objects, similarities"));
        const QString why = QString::fromStdString(check.mixed.front());
        QVERIFY2(why.contains("'accuracy'") && why.contains("a.json") && why.contains("other.json") &&
                     why.contains("cosine") && why.contains("dot"),
                 qPrintable(why));
        QCOMPARE(check.unfingerprinted, std::vector<std::string>{old});
        QVERIFY(QString::fromStdString(mixedResultsNote(check)).startsWith("WARNING"));
        QVERIFY(
            QString::fromStdString(populationMethodsParagraph({}, 3, false, check)).contains("other.json"));
    }

    void exportsNeutraliseFormulasAndGuardLatex_data()
    {
        QTest::addColumn<QString>("cell");
        QTest::addColumn<QString>("csv");
        QTest::newRow("formula") << "=HYPERLINK(\"x\")"
                                 << "\"'=HYPERLINK(\"\"x\"\")\"";
        QTest::newRow("plus") << "+cmd"
                              << "'+cmd";
        QTest::newRow("minus word") << "-cmd"
                                    << "'-cmd";
        QTest::newRow("at") << "@SUM(A1)"
                            << "'@SUM(A1)";
        QTest::newRow("negative number stays a number") << "-0.25"
                                                        << "-0.25";
        QTest::newRow("plain") << "resnet50"
                               << "resnet50";
    }

    void exportsNeutraliseFormulasAndGuardLatex()
    {
        QFETCH(QString, cell);
        QFETCH(QString, csv);
        QCOMPARE(QString::fromStdString(csvField(cell.toStdString())), csv);
        ReportTable table;
        table.label = "tab:x";
        table.header = {"model", "interval"};
        table.rows = {{"first\n\nsecond", "[0.1, 0.2]"}, {"[bracket", "x"}};
        const std::string latex = toLatex(table);
        QVERIFY2(latex.find("\n\n") == std::string::npos, latex.c_str()); // no paragraph break in a cell
        QVERIFY2(latex.find("first second") != std::string::npos, latex.c_str());
        QVERIFY2(latex.find("\\\\\n[") == std::string::npos, latex.c_str()); // no "\\" then "["
        QVERIFY2(latex.find("\\midrule\n[") == std::string::npos, latex.c_str());
        QVERIFY2(latex.find("{}[bracket") != std::string::npos, latex.c_str());
        QVERIFY2(latex.find("{}[0.1, 0.2]") != std::string::npos, latex.c_str());
    }
};

QTEST_GUILESS_MAIN(TestModelMetadata)
#include "tst_model_metadata.moc"
