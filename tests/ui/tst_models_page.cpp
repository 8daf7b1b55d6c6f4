// Models panel: a dropped TorchScript model gets a card from a background inspection; the settings dialog
// builds requests from presets; queued extraction jobs report progress, can be cancelled, fail with the file
// named, and their features join the workspace as models with image-stem row IDs.
#include "test_support.h"

#include "dialogs/extraction_dialog.h"
#include "main_window.h"
#include "pages/models_page.h"
#include "session/task_runner.h"
#include "session/workspace.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
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
    MainWindow window;
    window.setInteractive(false);
    window.openPaths({fixture("tiny_cnn.pt")});
    QVERIFY(window.tasks()->waitForIdle(60000));
    QVERIFY(
        window.tasks()->waitForIdle(60000)); // the inspection is queued once the model is in the workspace
    auto* list = window.modelsPage()->findChild<QListWidget*>("modelList");
    QCOMPARE(list->count(), 1);
    const ModelInfo* info = window.modelsPage()->modelInfo(fixture("tiny_cnn.pt"));
    QVERIFY(info);
    const QString card = window.modelsPage()->findChild<QLabel*>("modelCard")->text();
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
    MainWindow window;
    window.setInteractive(false);
    ModelsPage* page = window.modelsPage();
    ExtractionRequest request;
    request.modelPath = fixture("tiny_cnn.pt").toStdString();
    request.imagePaths = *listImages(fixture("images").toStdString());
    request.output.output = "all";
    request.batchSize = 2;
    const int done = page->queueExtraction(request, true);
    ExtractionRequest broken = request;
    QTemporaryDir bad;
    broken.imagePaths.push_back(testsupport::writeBytes(QDir(bad.path()), "broken.png", "not a png"));
    const int failed = page->queueExtraction(broken, false);
    const int cancelled = page->queueExtraction(request, false);
    page->cancelJob(cancelled); // still queued behind the others on the single compute worker
    QCOMPARE(page->jobStatus(cancelled), QString("cancelled"));
    QVERIFY(window.tasks()->waitForIdle(120000));
    QVERIFY2(page->jobStatus(done).startsWith("8 rows"), qPrintable(page->jobStatus(done)));
    QVERIFY2(page->jobStatus(failed).contains("broken.png") &&
                 page->jobStatus(failed).contains("not a readable image"),
             qPrintable(page->jobStatus(failed)));
    QCOMPARE(page->jobStatus(cancelled), QString("cancelled"));
    int extracted = 0;
    for (const LoadedItem& item : window.workspace()->items()) {
        if (item.kind != LoadedItem::Kind::Matrix) continue;
        ++extracted;
        QCOMPARE(item.matrix->rowIds.size(), size_t(8));
        QCOMPARE(item.matrix->rowIds.front(), std::string("apple"));
    }
    QCOMPARE(extracted, 2); // the layer sweep's two outputs; nothing from the failed or cancelled job
    // The same request again comes from the cache.
    const int again = page->queueExtraction(request, true);
    QVERIFY(window.tasks()->waitForIdle(120000));
    QVERIFY2(page->jobStatus(again).contains("from the cache"), qPrintable(page->jobStatus(again)));
}

QTEST_MAIN(TestModelsPage)
#include "tst_models_page.moc"
