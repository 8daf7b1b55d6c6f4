// Models panel: a dropped TorchScript model gets a card from a background inspection; the settings dialog
// builds requests from presets; queued extraction jobs report progress, can be cancelled, fail with the file
// named, and their features join the workspace as models with image-stem row IDs.
#include "test_support.h"
#include "ui_test_support.h"

#include "controllers/extraction_controller.h"
#include "controllers/workbench.h"
#include "dialogs/extraction_dialog.h"
#include "pages/models_page.h"
#include "session/session.h"
#include "session/task_runner.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace alignscope;

class TestModelsPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void droppedModelGetsACard();
    void dialogBuildsRequestsFromPresets_data();
    void dialogBuildsRequestsFromPresets();
    void extractionJobsRunFailAndCancel();

private:
    QString fixture(const QString& relative) const { return m_dir.filePath("fx/" + relative); }
    QTemporaryDir m_dir;
    QTemporaryDir m_cache;
};

void TestModelsPage::initTestCase()
{
    if (QProcess::execute("/usr/bin/python3", {"-c", "import torch, torchvision, PIL"}) != 0)
        QSKIP("python3-torch, python3-torchvision or python3-pil is not installed (packaging/install-deps.sh "
              "installs them)");
    QVERIFY(QProcess::execute("/usr/bin/python3",
                              {QStringLiteral(ALIGNSCOPE_FIXTURE_SCRIPT), m_dir.filePath("fx")}) == 0);
    qputenv("ALIGNSCOPE_CACHE_DIR", m_cache.path().toUtf8());
}

void TestModelsPage::droppedModelGetsACard()
{
    Workbench workbench;
    ModelsPage page(workbench.session(), workbench.extraction());
    workbench.open({fixture("tiny_cnn.pt")});
    QVERIFY(testsupport::waitSettled(workbench, 60000)); // loaded, then inspected on a worker
    QCOMPARE(int(workbench.session()->items().front().role), int(ItemRole::TorchScriptModel));
    auto* list = page.findChild<QListWidget*>("modelList");
    QCOMPARE(list->count(), 1);
    QCOMPARE(page.selectedModel(), fixture("tiny_cnn.pt"));
    const ModelInfo* info = workbench.extraction()->modelInfo(fixture("tiny_cnn.pt"));
    QVERIFY(info);
    const QString card = page.cardText();
    QVERIFY2(card.contains(QString::fromStdString(info->sha256)) && card.contains("encode_image") &&
                 card.contains("752"),
             qPrintable(card));
}

void TestModelsPage::dialogBuildsRequestsFromPresets_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("resize");
    QTest::addColumn<int>("crop");
    QTest::addColumn<float>("firstStd");
    QTest::newRow("imagenet") << "imagenet" << 256 << 224 << 0.229f;
    QTest::newRow("clip") << "clip" << 224 << 224 << 0.26862954f;
    QTest::newRow("none") << "none" << 0 << 0 << 1.0f;
}

void TestModelsPage::dialogBuildsRequestsFromPresets()
{
    QFETCH(QString, preset);
    QFETCH(int, resize);
    QFETCH(int, crop);
    QFETCH(float, firstStd);
    auto info = inspectModel(fixture("tiny_cnn.pt").toStdString());
    QVERIFY(info);
    ExtractionDialog dialog(*info);
    QVERIFY(!dialog.request()); // no images chosen yet: an error, not a crash
    dialog.setImages(fixture("images"));
    dialog.findChild<QComboBox*>("preset")->setCurrentText(preset);
    auto request = dialog.request();
    QVERIFY2(request, request ? "" : request.error().message().c_str());
    QCOMPARE(request->preprocessing.resize, resize);
    QCOMPARE(request->preprocessing.crop, crop);
    QCOMPARE(request->preprocessing.std[0], firstStd);
    QCOMPARE(request->imagePaths.size(), size_t(8));
    QCOMPARE(request->output.output, std::string("0")); // the first probed output of the tuple
}

void TestModelsPage::extractionJobsRunFailAndCancel()
{
    Workbench workbench;
    ModelsPage page(workbench.session(), workbench.extraction());
    ExtractionController* extraction = workbench.extraction();
    auto status = [extraction](int job) { return extraction->jobs()[size_t(job)].status; };
    ExtractionRequest request;
    request.modelPath = fixture("tiny_cnn.pt").toStdString();
    request.imagePaths = *listImages(fixture("images").toStdString());
    request.output.output = "all";
    request.batchSize = 2;
    QSignalSpy extracted(extraction, &ExtractionController::featuresExtracted);
    const int done = extraction->queueExtraction(request, true);
    ExtractionRequest broken = request;
    QTemporaryDir bad;
    broken.imagePaths.push_back(testsupport::writeBytes(QDir(bad.path()), "broken.png", "not a png"));
    const int failed = extraction->queueExtraction(broken, false);
    const int cancelled = extraction->queueExtraction(request, false);
    QCOMPARE(page.jobTable()->rowCount(), 3);
    extraction->cancelJob(cancelled); // still queued behind the others on the single compute worker
    QCOMPARE(status(cancelled), QString("cancelled"));
    QVERIFY(testsupport::waitSettled(workbench, 120000));
    QVERIFY2(status(done).startsWith("8 rows"), qPrintable(status(done)));
    QVERIFY2(status(failed).contains("broken.png") && status(failed).contains("not a readable image"),
             qPrintable(status(failed)));
    QCOMPARE(status(cancelled), QString("cancelled"));
    QCOMPARE(page.jobTable()->item(done, 3)->text(), status(done)); // the page shows the controller's jobs
    QCOMPARE(extracted.size(), 1);
    int features = 0;
    for (const SessionItem& item : workbench.session()->items()) {
        if (item.data.kind != LoadedItem::Kind::Matrix) continue;
        ++features;
        QCOMPARE(int(item.role), int(ItemRole::ModelFeatures));
        QCOMPARE(item.data.matrix->rowIds.size(), size_t(8));
        QCOMPARE(item.data.matrix->rowIds.front(), std::string("apple"));
        QVERIFY(workbench.session()->extractionOf(item.id)); // provenance for projects
    }
    QCOMPARE(features, 2); // the layer sweep's two outputs; nothing from the failed or cancelled job
    // The same request again comes from the cache.
    const int again = extraction->queueExtraction(request, true);
    QVERIFY(testsupport::waitSettled(workbench, 120000));
    QVERIFY2(status(again).contains("from the cache"), qPrintable(status(again)));
}

QTEST_MAIN(TestModelsPage)
#include "tst_models_page.moc"
