// GUI shell: opening and dropping files routes them by content into the workspace; errors reach the log.
#include "test_support.h"
#include "ui_test_support.h"

#include "controllers/odd_one_out_controller.h"
#include "controllers/population_controller.h"
#include "controllers/rsa_controller.h"
#include "controllers/workbench.h"
#include "main_window.h"
#include "pages/compare_page.h"
#include "pages/objects_page.h"
#include "pages/rdm_pair_panel.h"
#include "pages/rsa_page.h"
#include "pages/triplet_browser.h"
#include "session/session.h"
#include "session/task_runner.h"

#include "alignscope/npy.h"
#include "alignscope/odd_one_out_analysis.h"
#include "alignscope/result_json.h"

#include <QApplication>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>

#include <array>
#include <random>
#include <set>

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void analysesWithoutMappingLibTorch(); // first: no earlier test may have loaded a model
    void workspaceFingerprintIsHashedWithTheAnalysis();
    void compareClickOpensTheModelItShows_data();
    void compareClickOpensTheModelItShows();
    void rdmPairOpensTheTripletsWithBoth_data();
    void rdmPairOpensTheTripletsWithBoth();
    void routesFilesByContent_data();
    void routesFilesByContent();
    void dropOfRealConceptTableShowsAllObjects();
    void objectsAndTripletsDroppedTogether();
    void badFileIsReportedInTheLog();
    void closingWhileBusyJoinsWorkers();
};

namespace {

QStringList treeTexts(MainWindow& window)
{
    QStringList texts;
    auto* tree = window.findChild<QTreeWidget*>("workspaceTree");
    for (int g = 0; g < tree->topLevelItemCount(); ++g)
        for (int c = 0; c < tree->topLevelItem(g)->childCount(); ++c)
            texts << tree->topLevelItem(g)->text(0) + ": " + tree->topLevelItem(g)->child(c)->text(0);
    return texts;
}

void drop(MainWindow& window, const QStringList& paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& path : paths)
        urls << QUrl::fromLocalFile(path);
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropEvent(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &dropEvent);
}

} // namespace

// LibTorch only where models are: a window that opens objects, triplets and features and computes odd-one-out
// alignment maps neither the model module nor LibTorch, OpenCV or Qt 5 into the process.
void TestMainWindow::analysesWithoutMappingLibTorch()
{
    QTemporaryDir dir;
    testsupport::writeBytes(QDir(dir.path()), "objects.tsv",
                            "Word\tuniqueID\nant\tant\nbee\tbee\ncat\tcat\ndog\tdog\n");
    testsupport::writeBytes(QDir(dir.path()), "triplets.txt", "0 1 2\n1 2 3\n0 3 2\n3 1 0\n");
    testsupport::writeBytes(QDir(dir.path()), "features.txt",
                            "1 0 -0.5\n0.9 0.1 -0.4\n0 1 0.2\n-0.3 0.1 1\n");
    testsupport::writeBytes(QDir(dir.path()), "features.rows.txt", "ant\nbee\ncat\ndog\n");
    MainWindow window;
    window.setInteractive(false);
    window.show();
    window.openPaths({dir.filePath("objects.tsv")});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 20000));
    QSignalSpy computed(window.workbench()->oddOneOut(), &OddOneOutController::analysisChanged);
    window.openPaths({dir.filePath("triplets.txt"), dir.filePath("features.txt")});
    QVERIFY2(computed.wait(30000), qPrintable(window.logText()));
    QVERIFY(window.workbench()->oddOneOut()->analysis() &&
            window.workbench()->oddOneOut()->analysis()->models.size() == 1);
    QFile maps("/proc/self/maps");
    QVERIFY(maps.open(QIODevice::ReadOnly));
    const QString mapped = QString::fromLatin1(maps.readAll());
    QVERIFY(mapped.contains("libQt6Core")); // the check reads what it should
    for (const char* library : {"libtorch", "libc10", "alignscope_models", "opencv", "libQt5"})
        QVERIFY2(!mapped.contains(QLatin1String(library)), library);
}

// The Compare page's rebuild runs on the GUI thread after every analysis: it reads the triplets' fingerprint
// that the analysis job hashed on the worker (4.7 M THINGS triplets take most of a second to hash).
void TestMainWindow::workspaceFingerprintIsHashedWithTheAnalysis()
{
    QTemporaryDir dir;
    testsupport::writeBytes(QDir(dir.path()), "objects.tsv",
                            "Word\tuniqueID\nant\tant\nbee\tbee\ncat\tcat\ndog\tdog\n");
    testsupport::writeBytes(QDir(dir.path()), "triplets.txt", "0 1 2\n1 2 3\n0 3 2\n3 1 0\n");
    testsupport::writeBytes(QDir(dir.path()), "features.txt",
                            "1 0 -0.5\n0.9 0.1 -0.4\n0 1 0.2\n-0.3 0.1 1\n");
    testsupport::writeBytes(QDir(dir.path()), "features.rows.txt", "ant\nbee\ncat\ndog\n");
    MainWindow window;
    window.setInteractive(false);
    window.openPaths({dir.filePath("objects.tsv")});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 20000));
    OddOneOutController* oddOneOut = window.workbench()->oddOneOut();
    QSignalSpy computed(oddOneOut, &OddOneOutController::analysisChanged);
    window.openPaths({dir.filePath("triplets.txt"), dir.filePath("features.txt")});
    QVERIFY2(computed.wait(30000), qPrintable(window.logText()));
    const auto analysis = oddOneOut->analysis();
    QVERIFY(analysis);
    const std::string expected = alignscope::tripletsFingerprint(*analysis->stimuli, *analysis->triplets);
    QCOMPARE(oddOneOut->tripletsFingerprint(), expected);
    const auto fingerprints = window.workbench()->population()->population().fingerprints("accuracy");
    QCOMPARE(int(fingerprints.size()), 1);
    QCOMPARE(fingerprints.front().triplets, expected);
    QCOMPARE(fingerprints.front().similarity, std::string("cosine"));
}

// Two feature files named alike ("model.npy" in two folders) are two workspace models with one name. The
// Compare page shows the first one's values under that name; a click on its concept cell opens the triplet
// browser on that model, told apart by its index in the analysis (comparing names picked the other one).
// Concept dimension 0 is never any triplet's top dimension, so the population has no row for it: its rows
// are dimensions 1 and 2, and a click reports the row's index, which the controller turns into the dimension.
void TestMainWindow::compareClickOpensTheModelItShows_data()
{
    QTest::addColumn<int>("conceptRow");
    QTest::addColumn<int>("dimension");
    QTest::newRow("two models named alike, first concept row (dimension 1)") << 0 << 1;
    QTest::newRow("two models named alike, second concept row (dimension 2)") << 1 << 2;
}

void TestMainWindow::compareClickOpensTheModelItShows()
{
    QFETCH(int, conceptRow);
    QFETCH(int, dimension);
    QTemporaryDir dir;
    const QDir root(dir.path());
    QVERIFY(root.mkpath("a") && root.mkpath("b"));
    const int n = 30;
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> unit(0, 1);
    QByteArray ids, triplets;
    std::vector<float> concepts, first, second;
    for (int i = 0; i < n; ++i) {
        ids += "object" + QByteArray::number(i) + "\n";
        const float a = 0.1f + 0.9f * unit(rng), b = 0.1f + 0.9f * unit(rng);
        concepts.insert(concepts.end(), {0.001f * unit(rng), a, b}); // dimension 0 never leads
        // Negative values: features, never taken for a concept space.
        first.insert(first.end(), {a, b, -0.2f});
        second.insert(second.end(), {unit(rng) - 0.5f, unit(rng) - 0.5f, -0.2f}); // unrelated to the concepts
    }
    for (int t = 0; t < 1500; ++t)
        triplets += QByteArray::number(t % n) + " " + QByteArray::number((t * 7 + 1) % n) + " " +
                    QByteArray::number((t * 13 + 2) % n) + "\n";
    const std::string objects = testsupport::writeBytes(root, "objects.txt", ids);
    const std::string judged = testsupport::writeBytes(root, "triplets.txt", triplets);
    const QString conceptPath = root.filePath("concepts.npy");
    alignscope::writeNpy(conceptPath.toStdString(), alignscope::makeFloat32Array({n, 3}, concepts));
    QStringList models;
    for (const auto& [folder, values] : {std::pair{"a", &first}, {"b", &second}}) {
        const QDir where(root.filePath(folder));
        models << where.filePath("model.npy");
        alignscope::writeNpy(models.back().toStdString(), alignscope::makeFloat32Array({n, 3}, *values));
        testsupport::writeBytes(where, "model.rows.txt", ids);
    }
    MainWindow window;
    window.setInteractive(false);
    window.workbench()->session()->setRowIdentity(conceptPath, alignscope::RowIdentity::canonical());
    window.openPaths({QString::fromStdString(objects)});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 20000));
    window.openPaths({QString::fromStdString(judged), conceptPath, models[0], models[1]});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 60000));
    const auto analysis = window.workbench()->oddOneOut()->analysis();
    QVERIFY2(analysis && analysis->models.size() == 2 && analysis->concepts, qPrintable(window.logText()));
    QCOMPARE(analysis->models[0].name, analysis->models[1].name);
    QCOMPARE(analysis->models[0].perConcept.at(0).triplets, std::int64_t(0));
    // The Compare page shows the first model under the shared name, and a row per concept with triplets.
    const alignscope::ModelPopulation& population = window.workbench()->population()->population();
    QCOMPARE(population.models.size(), size_t(1));
    const auto shown =
        population.value(population.models[0], alignscope::MetricKey::of(alignscope::MetricKind::Accuracy));
    QVERIFY(shown);
    QCOMPARE(*shown, analysis->models[0].choices.accuracy());
    QCOMPARE(population.conceptLabels().size(), size_t(2));
    QCOMPARE(population.conceptLabels()[size_t(conceptRow)], analysis->conceptLabels[size_t(dimension)]);

    auto disagreements = [&](size_t model, int concept) {
        alignscope::DisagreementFilter filter;
        filter.dimension = concept;
        filter.foldRepeats = true;
        std::vector<std::int64_t> rows;
        for (const alignscope::Disagreement& d : alignscope::findDisagreements(*analysis, model, filter))
            rows.push_back(d.triplet);
        return rows;
    };
    // The test tells the models apart, and the row from the dimension of the same number.
    QVERIFY(disagreements(0, dimension) != disagreements(1, dimension));
    QVERIFY(disagreements(0, dimension) != disagreements(0, conceptRow));
    auto* browser = window.findChild<TripletBrowser*>();
    QVERIFY(browser);
    QSignalSpy rows(browser, &TripletBrowser::rowsReady);
    Q_EMIT window.findChild<ComparePage*>()->showModelConcept(0, conceptRow);
    QVERIFY(rows.wait(20000));
    std::vector<std::int64_t> listed;
    for (int row = 0; row < browser->visibleRows(); ++row)
        listed.push_back(browser->listModel()->tripletAt(row));
    QVERIFY(listed == disagreements(0, dimension));
}

void TestMainWindow::routesFilesByContent_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expectedEntry");
    // Names deliberately mislead: routing must look at content.
    QTest::newRow("concept table named .dat")
        << "table.dat" << QByteArray("Word\tuniqueID\nant\tant\nbee\tbee\ncat\tcat\n")
        << "Objects: table.dat: 3 objects";
    QTest::newRow("triplets as csv") << "judgments.csv" << QByteArray("0,1,2\n2,1,0\n")
                                     << "Triplets: judgments.csv: 2 triplets";
    QTest::newRow("matrix") << "features.txt" << QByteArray("0.5 -1.5\n2.5 3.5\n1.0 2.0\n")
                            << "Features and matrices: features.txt: (3, 2) text";
}

void TestMainWindow::routesFilesByContent()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, expectedEntry);
    QTemporaryDir dir;
    testsupport::writeBytes(QDir(dir.path()), "objects.tsv",
                            "Word\tuniqueID\nant\tant\nbee\tbee\ncat\tcat\n");
    testsupport::writeBytes(QDir(dir.path()), file, content);
    MainWindow window;
    window.setInteractive(false); // the matrix names no rows: no row-mapping dialog
    window.openPaths({dir.filePath("objects.tsv")});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 20000));
    drop(window, {dir.filePath(file)});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 20000));
    QVERIFY2(treeTexts(window).contains(expectedEntry), qPrintable(treeTexts(window).join(" | ")));
    if (file == "features.txt") // asked for its row mapping as it arrived (in the log, without a dialog)
        QVERIFY2(window.logText().contains("features.txt does not name its rows"),
                 qPrintable(window.logText()));
}

void TestMainWindow::dropOfRealConceptTableShowsAllObjects()
{
    const QString path = testsupport::sharedData("things/things_concepts.tsv");
    SKIP_WITHOUT_SHARED(path);
    MainWindow window;
    window.show();
    drop(window, {path});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 20000));
    QCOMPARE(window.findChild<ObjectsPage*>()->objectCount(), 1854);
    QVERIFY(treeTexts(window).contains("Objects: things_concepts.tsv: 1,854 objects"));
}

void TestMainWindow::objectsAndTripletsDroppedTogether()
{
    QTemporaryDir dir;
    testsupport::writeBytes(QDir(dir.path()), "a_triplets.txt", "0 1 2\n2 1 0\n");
    testsupport::writeBytes(QDir(dir.path()), "z_objects.tsv",
                            "Word\tuniqueID\nant\tant\nbee\tbee\ncat\tcat\n");
    MainWindow window;
    drop(window,
         {dir.filePath("a_triplets.txt"), dir.filePath("z_objects.tsv")}); // triplets first on purpose
    QVERIFY(testsupport::waitSettled(*window.workbench(), 20000));
    QVERIFY2(treeTexts(window).contains("Triplets: a_triplets.txt: 2 triplets"),
             qPrintable(window.logText()));
}

void TestMainWindow::badFileIsReportedInTheLog()
{
    QTemporaryDir dir;
    testsupport::writeBytes(QDir(dir.path()), "broken.npy", QByteArray("\x93NUMPY\x01\x00\xff\xff", 10));
    MainWindow window;
    window.openPaths({dir.filePath("broken.npy")});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 20000));
    QVERIFY2(window.logText().contains(dir.filePath("broken.npy") + ": byte 10: truncated"),
             qPrintable(window.logText()));
    QVERIFY(window.workbench()->session()->items().empty());
}

void TestMainWindow::closingWhileBusyJoinsWorkers()
{
    QTemporaryDir dir;
    QByteArray big;
    for (int i = 0; i < 200000; ++i)
        big += "1 2 3 4\n";
    testsupport::writeBytes(QDir(dir.path()), "big.txt", big);
    {
        MainWindow window;
        window.openPaths({dir.filePath("big.txt"), dir.filePath("big.txt")});
        QVERIFY(window.workbench()->tasks()->activeJobs() > 0);
    } // destructor cancels and joins; a crash or hang here fails the test
    QVERIFY(true);
}

QTEST_MAIN(TestMainWindow)
// The RDM page's pair (its stimuli are the triplets' objects, by ID) opens the triplet browser on every
// triplet that contains both, agreements too: each row has both, and every such triplet is listed once.
void TestMainWindow::rdmPairOpensTheTripletsWithBoth_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("second");
    QTest::newRow("objects of the first triplet") << 0 << 1;
    QTest::newRow("first and last object of the sixth triplet") << 5 << 7;
}

void TestMainWindow::rdmPairOpensTheTripletsWithBoth()
{
    QFETCH(int, first);
    QFETCH(int, second);
    QTemporaryDir dir;
    const QDir root(dir.path());
    const int n = 30;
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> unit(0, 1);
    QByteArray ids, triplets;
    std::vector<float> concepts, features;
    for (int i = 0; i < n; ++i) {
        ids += "object" + QByteArray::number(i) + "\n";
        concepts.insert(concepts.end(), {unit(rng), unit(rng)});
        features.insert(features.end(), {unit(rng) - 0.5f, unit(rng) - 0.5f, -0.2f});
    }
    for (int t = 0; t < 900; ++t)
        triplets += QByteArray::number(t % n) + " " + QByteArray::number((t * 7 + 1) % n) + " " +
                    QByteArray::number((t * 13 + 2) % n) + "\n";
    const std::string objects = testsupport::writeBytes(root, "objects.txt", ids);
    const std::string judged = testsupport::writeBytes(root, "triplets.txt", triplets);
    const QString conceptPath = root.filePath("concepts.npy");
    alignscope::writeNpy(conceptPath.toStdString(), alignscope::makeFloat32Array({n, 2}, concepts));
    const QString model = root.filePath("model.npy");
    alignscope::writeNpy(model.toStdString(), alignscope::makeFloat32Array({n, 3}, features));
    testsupport::writeBytes(root, "model.rows.txt", ids);
    MainWindow window;
    window.setInteractive(false);
    window.workbench()->session()->setRowIdentity(conceptPath, alignscope::RowIdentity::canonical());
    window.openPaths({QString::fromStdString(objects)});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 20000));
    window.openPaths({QString::fromStdString(judged), conceptPath, model});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 60000));
    const auto analysis = window.workbench()->oddOneOut()->analysis();
    const auto rsa = window.workbench()->rsa()->analysis();
    QVERIFY2(analysis && rsa && rsa->models.size() == 1,
             qPrintable(window.logText() + window.workbench()->rsa()->problem() +
                        QString::number(bool(analysis))));
    // The RDM's stimuli, found by ID among the triplets' objects.
    const auto a = rsa->stimuli->indexOf("object" + std::to_string(first));
    const auto b = rsa->stimuli->indexOf("object" + std::to_string(second));
    QVERIFY(a && b);
    auto* browser = window.findChild<TripletBrowser*>();
    QSignalSpy rows(browser, &TripletBrowser::rowsReady);
    QTRY_VERIFY_WITH_TIMEOUT(browser->visibleRows() > 0, 20000);
    rows.clear();
    RdmPairPanel* panel = window.findChild<RsaPage*>()->pairPanel();
    panel->setPair(rsa, 0, std::int64_t(*a), std::int64_t(*b));
    panel->openTriplets();
    QTRY_VERIFY_WITH_TIMEOUT(rows.count() > 0 && browser->objects().size() == 2, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!rows.isEmpty() && browser->objectFilterText().contains("both"), 20000);
    const auto triplet = [&](size_t t) {
        std::array<int, 3> objects{analysis->triplets->indices[3 * t], analysis->triplets->indices[3 * t + 1],
                                   analysis->triplets->indices[3 * t + 2]};
        std::sort(objects.begin(), objects.end());
        return objects;
    };
    const int x = int(*analysis->stimuli->indexOf("object" + std::to_string(first)));
    const int y = int(*analysis->stimuli->indexOf("object" + std::to_string(second)));
    const auto hasBoth = [&](const std::array<int, 3>& objects) {
        return std::count(objects.begin(), objects.end(), x) && std::count(objects.begin(), objects.end(), y);
    };
    std::set<std::array<int, 3>> expected, listed;
    for (size_t t = 0; t < analysis->triplets->size(); ++t)
        if (hasBoth(triplet(t))) expected.insert(triplet(t));
    QVERIFY(!expected.empty());
    // Rows arrive for the last filter asked for: wait until the listing is the pair's.
    QTRY_VERIFY_WITH_TIMEOUT(
        browser->visibleRows() > 0 && hasBoth(triplet(size_t(browser->listModel()->tripletAt(0)))), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(browser->visibleRows(), int(expected.size()), 20000);
    for (int row = 0; row < browser->visibleRows(); ++row) {
        const auto objects = triplet(size_t(browser->listModel()->tripletAt(row)));
        QVERIFY(hasBoth(objects));
        listed.insert(objects);
    }
    QCOMPARE(listed, expected);
}

#include "tst_main_window.moc"
