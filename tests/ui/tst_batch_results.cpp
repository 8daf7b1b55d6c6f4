// The GUI opens what `alignscope-cli merge` writes (merged.csv and merged.json) as a Batch results page.
#include "test_support.h"
#include "ui_test_support.h"

#include "main_window.h"
#include "pages/batch_results_page.h"
#include "session/task_runner.h"

#include <QTableWidget>
#include <QTemporaryDir>

class TestBatchResults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void opensMergedResults_data();
    void opensMergedResults();

private:
    QTemporaryDir m_dir;
};

void TestBatchResults::initTestCase()
{
    QVERIFY(testsupport::runCli({"demo", "--out", m_dir.filePath("demo")}).exitCode == 0);
    testsupport::writeBytes(QDir(m_dir.path()), "manifest.json",
                            R"({"models": [{"name": "colour", "features": "demo/models/colour_histogram.npy"},
        {"name": "shape", "features": "demo/models/shape_moments.npy"}],
      "datasets": [{"name": "test", "objects": "demo/concepts/things_concepts.tsv", "triplets": "demo/triplets/test_10.txt"}],
      "analyses": [{"type": "ooo", "similarity": "cosine"}]})");
    const auto batch = testsupport::runCli(
        {"batch", "--manifest", m_dir.filePath("manifest.json"), "--out", m_dir.filePath("out")});
    QVERIFY2(batch.exitCode == 0, qPrintable(batch.err));
    QVERIFY(testsupport::runCli({"merge", m_dir.filePath("out")}).exitCode == 0);
}

void TestBatchResults::opensMergedResults_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("csv") << "out/merged.csv";
    QTest::newRow("json") << "out/merged.json";
}

void TestBatchResults::opensMergedResults()
{
    QFETCH(QString, file);
    MainWindow window;
    window.setInteractive(false);
    window.openPaths({m_dir.filePath(file)});
    QVERIFY(testsupport::waitSettled(*window.workbench(), 30000));
    QVERIFY2(window.findChild<BatchResultsPage*>(), qPrintable(window.logText()));
    QTableWidget* table = window.findChild<BatchResultsPage*>()->table();
    QCOMPARE(table->rowCount(), 6); // 2 jobs × (accuracy, accuracy over objects, noise ceiling)
    QCOMPARE(table->horizontalHeaderItem(0)->text(), QString("job"));
    bool sawColour = false;
    for (int r = 0; r < table->rowCount(); ++r)
        sawColour = sawColour || table->item(r, 0)->text() == "ooo-cosine.colour.test";
    QVERIFY(sawColour);
}

QTEST_MAIN(TestBatchResults)
#include "tst_batch_results.moc"
