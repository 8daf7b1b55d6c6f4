// The GUI opens what `alignscope-cli merge` writes (merged.csv and merged.json) as a Batch results page.
#include "test_support.h"
#include "ui_test_support.h"

#include "main_window.h"
#include "pages/batch_results_page.h"
#include "session/task_runner.h"

#include "alignscope/model_metadata.h"

#include <QTableWidget>
#include <QTemporaryDir>

class TestBatchResults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void opensMergedResults_data();
    void opensMergedResults();
    void cellsAreNumericAsCompareReadsThem_data();
    void cellsAreNumericAsCompareReadsThem();

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

// A cell sorts as a number exactly when compare reads it as one (parseCellNumber): inf, nan and
// hexadecimal are text in both.
void TestBatchResults::cellsAreNumericAsCompareReadsThem_data()
{
    QTest::addColumn<QString>("cell");
    for (const char* cell :
         {"0.5", "-2.5e-3", " 0.25 ", "inf", "-inf", "nan", "NaN", "0x10", "1,5", "NA", "abc"})
        QTest::newRow(cell) << cell;
}

void TestBatchResults::cellsAreNumericAsCompareReadsThem()
{
    QFETCH(QString, cell);
    auto table = std::make_shared<alignscope::DelimitedTable>();
    table->columns = {"model", "value"};
    table->rows = {{"m", cell.toStdString()}};
    BatchResultsPage page;
    page.setTable(table, "test");
    double value = 0;
    const bool number =
        alignscope::parseCellNumber(cell.toStdString(), value) == alignscope::CellValue::Number;
    const QVariant shown = page.table()->item(0, 1)->data(Qt::DisplayRole);
    QCOMPARE(shown.typeId() == QMetaType::Double, number);
    if (number) QCOMPARE(shown.toDouble(), value);
}

QTEST_MAIN(TestBatchResults)
#include "tst_batch_results.moc"
