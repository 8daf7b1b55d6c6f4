// RSA pages end to end: human similarity from a concept space or from an n×n matrix, model RDMs on a
// worker, the RSA table, heatmaps, divergent pairs, scatter density, and figure painting.
#include "test_support.h"

#include "alignscope/npy.h"
#include "charts/density_plot.h"
#include "charts/heatmap_view.h"
#include "main_window.h"
#include "odd_one_out_controller.h"
#include "rsa_controller.h"
#include "rsa_page.h"
#include "task_runner.h"

#include <QComboBox>
#include <QPainter>
#include <QTableWidget>
#include <QTemporaryDir>
#include <random>

using namespace alignscope;

class TestRsaPages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void humanFromConceptSpaceOrMatrix_data();
    void humanFromConceptSpaceOrMatrix();
};

void TestRsaPages::humanFromConceptSpaceOrMatrix_data()
{
    QTest::addColumn<bool>("squareMatrix");
    QTest::newRow("similarity from the concept space") << false;
    QTest::newRow("n×n human dissimilarity matrix") << true;
}

void TestRsaPages::humanFromConceptSpaceOrMatrix()
{
    QFETCH(bool, squareMatrix);
    QTemporaryDir dir;
    QDir root(dir.path());
    const int n = 30;
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> unit(0, 1);
    QByteArray ids;
    std::vector<float> concepts, model, human(size_t(n * n));
    for (int i = 0; i < n; ++i) {
        ids += "o" + QByteArray::number(i) + "\n";
        const float a = unit(rng), b = unit(rng);
        concepts.insert(concepts.end(), {a, b});
        model.insert(model.end(), {a + 0.1f * unit(rng), b, -0.2f});
    }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            human[size_t(i * n + j)] = std::hypot(concepts[size_t(2 * i)] - concepts[size_t(2 * j)], concepts[size_t(2 * i + 1)] - concepts[size_t(2 * j + 1)]);
    testsupport::writeBytes(root, "objects.txt", ids);
    QVERIFY(writeNpy(root.filePath("concepts.npy").toStdString(), makeFloat32Array({n, 2}, concepts)).ok());
    QVERIFY(writeNpy(root.filePath("model.npy").toStdString(), makeFloat32Array({n, 3}, model)).ok());
    QVERIFY(writeNpy(root.filePath("human.npy").toStdString(), makeFloat32Array({n, n}, human)).ok());
    testsupport::writeBytes(root, "model.rows.txt", ids);
    testsupport::writeBytes(root, "concepts.rows.txt", ids);

    MainWindow window;
    window.setInteractive(false);
    window.resize(1300, 900);
    window.show();
    window.openPaths({root.filePath("objects.txt")});
    QVERIFY(window.tasks()->waitForIdle(20000));
    window.openPaths({root.filePath(squareMatrix ? "human.npy" : "concepts.npy"), root.filePath("model.npy")});
    for (int i = 0; i < 3; ++i) QVERIFY(window.tasks()->waitForIdle(60000));
    auto analysis = window.rsa()->analysis();
    QVERIFY2(analysis, qPrintable(window.logText()));
    QCOMPARE(analysis->models.size(), size_t(1));
    QCOMPARE(analysis->human.n, std::int64_t(n));
    // The model sees both concept axes (one slightly blurred): clearly positive, unlike unrelated features (~0).
    QVERIFY2(analysis->models.front().r > 0.2, qPrintable(QString::number(analysis->models.front().r)));
    QCOMPARE(QString::fromStdString(analysis->humanOrigin).contains("concept space"), !squareMatrix);

    RsaPage* page = window.rsaPage();
    QCOMPARE(page->table()->rowCount(), 1);
    QCOMPARE(page->table()->item(0, 3)->data(Qt::DisplayRole).toDouble(), analysis->models.front().r);
    QCOMPARE(page->divergentPairs()->rowCount(), 100);
    QCOMPARE(page->scatter()->pointCount(), std::int64_t(n * (n - 1) / 2));
    page->orderChoice()->setCurrentIndex(2);
    QVERIFY(window.tasks()->waitForIdle(20000));

    // The heatmap's paint routine draws the matrix: the plot area is not uniform.
    QImage image(500, 500, QImage::Format_RGB32);
    {
        QPainter painter(&image);
        page->humanView()->paintTo(painter, image.rect());
    }
    QSet<QRgb> colours;
    for (int y = 40; y < 400; y += 7)
        for (int x = 20; x < 400; x += 7) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
}

QTEST_MAIN(TestRsaPages)
#include "tst_rsa_pages.moc"
