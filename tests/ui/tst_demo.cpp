// The built-in demo: generated deterministically, reused when complete, and every page of the window has
// content once it has loaded (what the first README command shows).
#include "test_support.h"
#include "ui_test_support.h"

#include "alignscope/demo_data.h"
#include "alignscope/object_alignment.h"
#include "charts/concept_bars_chart.h"
#include "controllers/extraction_controller.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/rsa_controller.h"
#include "controllers/workbench.h"
#include "demo_session.h"
#include "main_window.h"
#include "pages/concepts_page.h"
#include "pages/models_page.h"
#include "pages/objects_page.h"
#include "pages/probe_page.h"
#include "pages/results_page.h"
#include "pages/rsa_page.h"
#include "pages/triplet_browser.h"
#include "session/session.h"
#include "session/task_runner.h"

#include <QCryptographicHash>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace alignscope;

namespace {
QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}
} // namespace

class TestDemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void generationIsDeterministic_data();
    void generationIsDeterministic();
    void completeDemoIsReused();
    void everyPageHasContent();

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_cache;
};

void TestDemo::initTestCase()
{
    qputenv("ALIGNSCOPE_CACHE_DIR", m_cache.path().toUtf8());
    QVERIFY(generateDemoDataset(m_dir.filePath("a").toStdString()));
    QVERIFY(generateDemoDataset(m_dir.filePath("b").toStdString()));
}

void TestDemo::generationIsDeterministic_data()
{
    QTest::addColumn<QString>("file");
    for (const char* file :
         {"concepts/things_concepts.tsv", "triplets/train_90.txt", "triplets/test_10.txt",
          "concept_space.npy", "concept_space.labels.txt", "human/similarity_ratings.npy",
          "models/colour_histogram.npy", "models/shape_moments.npy", "images/red_circle_013.png"})
        QTest::newRow(file) << file;
}

void TestDemo::generationIsDeterministic()
{
    QFETCH(QString, file);
    const QByteArray a = fileHash(m_dir.filePath("a/" + file));
    if (a.isEmpty() &&
        file.startsWith("images/")) { // the name depends on the drawn properties; take any image
        const QStringList images = QDir(m_dir.filePath("a/images")).entryList({"*.png"});
        QVERIFY(!images.isEmpty());
        QCOMPARE(fileHash(m_dir.filePath("a/images/" + images[17])),
                 fileHash(m_dir.filePath("b/images/" + images[17])));
        return;
    }
    QVERIFY2(!a.isEmpty(), qPrintable(file));
    QCOMPARE(a, fileHash(m_dir.filePath("b/" + file)));
}

void TestDemo::completeDemoIsReused()
{
    const QString triplets = m_dir.filePath("a/triplets/test_10.txt");
    const QDateTime before = QFileInfo(triplets).lastModified();
    QTest::qWait(20);
    auto again = generateDemoDataset(m_dir.filePath("a").toStdString());
    QVERIFY(again);
    QCOMPARE(QFileInfo(triplets).lastModified(), before);
    // Without the completion marker (a killed first run) it is generated again.
    QVERIFY(QFile::remove(m_dir.filePath("a/demo.json")));
    QVERIFY(generateDemoDataset(m_dir.filePath("a").toStdString()));
    QVERIFY(QFile::exists(m_dir.filePath("a/demo.json")));
}

void TestDemo::everyPageHasContent()
{
    MainWindow window;
    window.setInteractive(false);
    // Something else open first: the demo starts a new workspace instead of merging into it.
    QTemporaryDir other;
    const QString stray =
        QString::fromStdString(testsupport::writeBytes(QDir(other.path()), "stray.txt", "1 2\n3 4\n"));
    window.openPaths({stray});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 20000));
    QVERIFY(window.workbench()->session()->itemAtPath(stray));
    DemoSession* demo = window.openDemo(m_dir.filePath("gui"));
    QVERIFY(demo);
    QVERIFY(window.workbench()->session()->isEmpty());
    QSignalSpy ready(demo, &DemoSession::ready);
    QSignalSpy failed(demo, &DemoSession::failed);
    QVERIFY(ready.wait(180000) || ready.count() == 1);
    QCOMPARE(failed.count(), 0);
    QVERIFY(testsupport::waitSettled(*window.workbench(), 180000));
    QVERIFY(window.windowTitle().contains("synthetic demo"));
    QVERIFY(window.findChild<QLabel*>("demoBadge"));

    QCOMPARE(window.findChild<ObjectsPage*>()->objectCount(), 300);
    QVERIFY(!window.workbench()->session()->itemAtPath(stray));
    QVERIFY(!window.workbench()->session()->openedPaths().contains(stray));
    QCOMPARE(window.findChild<ModelsPage*>()->findChild<QListWidget*>("modelList")->count(), 1);
    const QString job = window.workbench()->extraction()->jobs().front().status;
    QVERIFY2(job.startsWith("300 rows"), qPrintable(job));
    auto analysis = window.workbench()->oddOneOut()->analysis();
    QVERIFY(analysis);
    QCOMPARE(analysis->models.size(), size_t(4)); // colour, shape, CNN, probed CNN
    // Display names: the files' stems and the model's name, not the job that extracted its features.
    QStringList names;
    for (const ModelAnalysis& model : analysis->models)
        names << QString::fromStdString(model.name);
    QCOMPARE(names, (QStringList{"colour_histogram", "shape_moments", "demo_cnn", "demo_cnn + probe"}));
    QStringList datasets;
    for (const auto& rsa : window.workbench()->rsa()->analyses())
        datasets << QString::fromStdString(rsa->dataset);
    QVERIFY2(datasets.contains("similarity ratings") &&
                 datasets.contains("concept similarity (concept space)"),
             qPrintable(datasets.join(", ")));
    QVERIFY(analysis->repeats.noiseCeiling);
    QVERIFY2(*analysis->repeats.noiseCeiling > 0.62 && *analysis->repeats.noiseCeiling < 0.78,
             qPrintable(QString::number(*analysis->repeats.noiseCeiling)));
    QCOMPARE(analysis->conceptLabels.front(), std::string("warm colour"));
    QCOMPARE(window.findChild<ResultsPage*>()->table()->model()->rowCount(), 4);
    QVERIFY(window.findChild<ConceptsPage*>()->chart()->barSetCount() >= 4);
    QVERIFY(window.findChild<TripletBrowser*>()->visibleRows() > 0);
    QCOMPARE(window.workbench()->rsa()->analyses().size(),
             size_t(2)); // the subset ratings and the concept similarity
    QVERIFY(window.findChild<RsaPage*>()->table()->rowCount() > 0);
    const auto& probe = window.workbench()->session()->probe();
    QVERIFY(probe.has_value());
    QVERIFY(window.findChild<ProbePage*>()->transferTable()->rowCount() > 0);
    // The probe helps the CNN on held-out objects (the planted concepts are partly linearly decodable).
    QVERIFY(probe->result.cvAccuracy > probe->result.zeroShotAccuracy);
    // The object the Objects page's walk-through finds: the red circle in a black-and-white photograph, which
    // people judge by what it is and the CNN by its grey pixels: below chance, far below its overall
    // accuracy.
    const auto photo = analysis->stimuli->indexOf("red_circle_photo_121");
    QVERIFY(photo);
    auto perObject = perObjectAlignment(*analysis);
    QVERIFY(perObject.ok());
    const ObjectAccuracy& cnn = perObject->models[2][*photo];
    QVERIFY(cnn.triplets >= 20);
    QVERIFY2(cnn.accuracy < 1.0 / 3 && cnn.accuracy < analysis->models[2].choices.accuracy() - 0.1,
             qPrintable(QString("%1 of %2 right").arg(cnn.correct).arg(cnn.triplets)));
}

QTEST_MAIN(TestDemo)
#include "tst_demo.moc"
