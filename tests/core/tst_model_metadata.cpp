// Model metadata tables: CSV, TSV and JSON read into typed columns, matched to models by name, with every
// model and row that does not match listed.
#include "test_support.h"

#include "alignscope/model_metadata.h"

#include <QTemporaryDir>

#include <cmath>

using namespace alignscope;
using testsupport::writeBytes;

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
};

QTEST_GUILESS_MAIN(TestModelMetadata)
#include "tst_model_metadata.moc"
