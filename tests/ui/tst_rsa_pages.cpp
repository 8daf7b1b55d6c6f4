// RSA pages end to end: human similarity from a concept space or from an n×n matrix, model RDMs on a
// worker, the RSA table, heatmaps, divergent pairs, scatter density, and figure painting.
#include "test_support.h"
#include "ui_test_support.h"

#include "alignscope/npy.h"
#include "charts/density_plot.h"
#include "charts/heatmap_view.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/rsa_controller.h"
#include "controllers/workbench.h"
#include "export/figure_registry.h"
#include "pages/rdm_pair_panel.h"
#include "pages/rsa_page.h"
#include "session/task_runner.h"

#include <QComboBox>
#include <QPainter>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <matio.h>
#include <random>

using namespace alignscope;

class TestRsaPages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void humanFromConceptSpaceOrMatrix_data();
    void humanFromConceptSpaceOrMatrix();
    void multiArrangementFolder();
    void clickedCellShowsThePair_data();
    void clickedCellShowsThePair();
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
            human[size_t(i * n + j)] = std::hypot(concepts[size_t(2 * i)] - concepts[size_t(2 * j)],
                                                  concepts[size_t(2 * i + 1)] - concepts[size_t(2 * j + 1)]);
    testsupport::writeBytes(root, "objects.txt", ids);
    QVERIFY(writeNpy(root.filePath("concepts.npy").toStdString(), makeFloat32Array({n, 2}, concepts)).ok());
    QVERIFY(writeNpy(root.filePath("model.npy").toStdString(), makeFloat32Array({n, 3}, model)).ok());
    QVERIFY(writeNpy(root.filePath("human.npy").toStdString(), makeFloat32Array({n, n}, human)).ok());
    testsupport::writeBytes(root, "model.rows.txt", ids);
    testsupport::writeBytes(root, "concepts.rows.txt", ids);

    Workbench workbench;
    FigureRegistry figures;
    testsupport::SessionLog log(workbench.session());
    RsaPage rsaPage(workbench.rsa(), workbench.tasks(), &figures);
    RsaPage* page = &rsaPage;
    page->resize(1300, 900);
    page->show();
    workbench.open({root.filePath("objects.txt")});
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    const QString humanPath = root.filePath(squareMatrix ? "human.npy" : "concepts.npy");
    workbench.open({humanPath, root.filePath("model.npy")});
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    // The role of the human data is decided once, when it is loaded.
    QCOMPARE(int(workbench.session()->itemAtPath(humanPath)->role),
             int(squareMatrix ? ItemRole::HumanData : ItemRole::ConceptSpace));
    auto analysis = workbench.rsa()->analysis();
    QVERIFY2(analysis, qPrintable(log.text()));
    QCOMPARE(analysis->models.size(), size_t(1));
    QCOMPARE(analysis->human.n, std::int64_t(n));
    // The model sees both concept axes (one slightly blurred): clearly positive, unlike unrelated features
    // (~0).
    QVERIFY2(analysis->models.front().r > 0.2, qPrintable(QString::number(analysis->models.front().r)));
    QCOMPARE(QString::fromStdString(analysis->humanOrigin).contains("concept similarity"), !squareMatrix);

    QCOMPARE(page->table()->rowCount(), 1);
    QCOMPARE(page->table()->item(0, 4)->data(Qt::DisplayRole).toDouble(), analysis->models.front().r);
    QCOMPARE(page->divergentPairs()->rowCount(), 100);
    QVERIFY(analysis->models.front().ci95.has_value());
    QVERIFY(analysis->models.front().ci95->low <= analysis->models.front().r &&
            analysis->models.front().r <= analysis->models.front().ci95->high);
    QVERIFY(page->table()->item(0, 5)->text().startsWith('['));
    QCOMPARE(page->scatter()->pointCount(), std::int64_t(n * (n - 1) / 2));
    page->setOrder(RsaPage::Order::Clustered);
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    QStringList figureNames;
    for (const NamedFigure& figure : figures.figures())
        figureNames << figure.name;
    QCOMPARE(figureNames, QStringList({"rsa-table", "rdm-human", "rdm-model", "rdm-difference", "scatter"}));

    // The heatmap's paint routine draws the matrix: the plot area is not uniform.
    auto coloursDrawn = [page] {
        QImage image(500, 500, QImage::Format_RGB32);
        {
            QPainter painter(&image);
            paintHeatmap(painter, QRectF(image.rect()), page->humanView()->font(),
                         page->humanView()->figureData());
        }
        QSet<QRgb> colours;
        for (int y = 40; y < 400; y += 7)
            for (int x = 20; x < 400; x += 7)
                colours.insert(image.pixel(x, y));
        return colours.size();
    };
    QVERIFY2(coloursDrawn() > 20, qPrintable(QString::number(coloursDrawn())));

    // A new workspace leaves nothing of this one on the page.
    workbench.startNewWorkspace();
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    QCOMPARE(page->table()->rowCount(), 0);
    QCOMPARE(page->divergentPairs()->rowCount(), 0);
    QCOMPARE(page->scatter()->pointCount(), std::int64_t(0));
    QVERIFY2(coloursDrawn() <= 8, qPrintable(QString::number(coloursDrawn()))); // white and "no matrix"
    // Nothing to show: no empty figure files, a note per figure instead.
    QTemporaryDir exportFolder;
    QStringList errors, notes;
    QVERIFY(
        figures.exportFigures(exportFolder.path(), {}, {"pdf"}, FigureStyle(), &errors, &notes).isEmpty());
    QVERIFY(errors.isEmpty());
    QCOMPARE(notes.size(), 5);
    QVERIFY2(notes.first().contains("nothing to show"), qPrintable(notes.first()));
    QVERIFY(QDir(exportFolder.path()).entryList(QDir::Files).isEmpty());
}

void TestRsaPages::multiArrangementFolder()
{
    // A dataset folder in the Cichy et al. layout and features whose rows name its images; no object table.
    QTemporaryDir dir;
    QDir root(dir.path());
    root.mkpath("ma/images");
    root.mkpath("ma/sim_judgements");
    const int n = 8;
    std::vector<float> points, features;
    QByteArray rows;
    for (int i = 0; i < n; ++i) {
        const QString name = QStringLiteral("img_%1").arg(n - 1 - i); // names sort in reverse of creation
        QImage(8, 8, QImage::Format_RGB32).save(root.filePath("ma/images/" + name + ".jpg"));
        points.insert(points.end(), {float(i), float(i % 3)});
    }
    // Sorted stimulus s is img_s, created at i = n − 1 − s: its point is points[n − 1 − s].
    mat_t* file = Mat_CreateVer(
        root.filePath("ma/sim_judgements/judgments_general.mat").toStdString().c_str(), nullptr, MAT_FT_MAT5);
    size_t dims[3] = {1, n, n};
    std::vector<double> judgments(n * n);
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            const int pa = n - 1 - a, pb = n - 1 - b;
            judgments[size_t(a + n * b)] =
                std::hypot(points[size_t(2 * pa)] - points[size_t(2 * pb)],
                           points[size_t(2 * pa + 1)] - points[size_t(2 * pb + 1)]);
        }
    matvar_t* var = Mat_VarCreate("judgments", MAT_C_DOUBLE, MAT_T_DOUBLE, 3, dims, judgments.data(), 0);
    Mat_VarWrite(file, var, MAT_COMPRESSION_NONE);
    Mat_VarFree(var);
    Mat_Close(file);
    for (int i = 0; i < n; ++i) {
        rows += "img_" + QByteArray::number(n - 1 - i) + "\n";
        features.insert(features.end(), {points[size_t(2 * i)], points[size_t(2 * i + 1)], 0.5f});
    }
    QVERIFY(writeNpy(root.filePath("features.npy").toStdString(), makeFloat32Array({n, 3}, features)).ok());
    testsupport::writeBytes(root, "features.rows.txt", rows);

    Workbench workbench;
    FigureRegistry figures;
    testsupport::SessionLog log(workbench.session());
    RsaPage page(workbench.rsa(), workbench.tasks(), &figures);
    workbench.open({root.filePath("ma"), root.filePath("features.npy")});
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    const auto& analyses = workbench.rsa()->analyses();
    QVERIFY2(analyses.size() == 1, qPrintable(log.text()));
    QCOMPARE(QString::fromStdString(analyses.front()->dataset),
             QStringLiteral("multi-arrangement (Cichy et al. 2019)"));
    QCOMPARE(analyses.front()->stimuli->id(0), std::string("img_0"));
    workbench.session()->setRsaMethods(RdmMethod::Euclidean, CompareMethod::Spearman); // recomputes
    QVERIFY(workbench.rsa()->isPending());
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    // Same points, same distances: the rank correlation is exactly 1 once rows are matched by name.
    QVERIFY2(std::fabs(workbench.rsa()->analyses().front()->models.front().r - 1.0) < 1e-6,
             qPrintable(QString::number(workbench.rsa()->analyses().front()->models.front().r)));
    QCOMPARE(page.datasetChoice()->count(), 1);
}

QTEST_MAIN(TestRsaPages)
// A click on a heatmap cell (or a divergent pair's row) shows the two stimuli with the human and the model
// dissimilarity of the pair and their ranks among all pairs (counted here by sorting), and its link asks for
// the triplets with both, by ID. A drag pans and opens nothing.
void TestRsaPages::clickedCellShowsThePair_data()
{
    QTest::addColumn<QString>("source");
    for (const char* source : {"human heatmap", "model heatmap", "difference heatmap", "divergent pair"})
        QTest::newRow(source) << QString(source);
}

void TestRsaPages::clickedCellShowsThePair()
{
    QFETCH(QString, source);
    QTemporaryDir dir;
    QDir root(dir.path());
    const int n = 24;
    std::mt19937 rng(9);
    std::uniform_real_distribution<float> unit(0, 1);
    QByteArray ids;
    std::vector<float> concepts, model;
    for (int i = 0; i < n; ++i) {
        ids += "o" + QByteArray::number(i) + "\n";
        concepts.insert(concepts.end(), {unit(rng), unit(rng)});
        model.insert(model.end(), {unit(rng), unit(rng), unit(rng)});
    }
    testsupport::writeBytes(root, "objects.txt", ids);
    QVERIFY(writeNpy(root.filePath("concepts.npy").toStdString(), makeFloat32Array({n, 2}, concepts)).ok());
    QVERIFY(writeNpy(root.filePath("model.npy").toStdString(), makeFloat32Array({n, 3}, model)).ok());
    testsupport::writeBytes(root, "model.rows.txt", ids);
    testsupport::writeBytes(root, "concepts.rows.txt", ids);
    Workbench workbench;
    FigureRegistry figures;
    RsaPage page(workbench.rsa(), workbench.tasks(), &figures);
    page.resize(1300, 900);
    page.show();
    QSignalSpy shown(&page, &RsaPage::displayReady);
    workbench.open({root.filePath("objects.txt")});
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    workbench.open({root.filePath("concepts.npy"), root.filePath("model.npy")});
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    const auto analysis = workbench.rsa()->analysis();
    QVERIFY(analysis && analysis->models.size() == 1);
    QTRY_VERIFY(shown.count() > 0 && page.humanView()->width() > 100);
    RdmPairPanel* panel = page.pairPanel();
    QCOMPARE(panel->first(), std::int64_t(-1));
    std::int64_t a = -1, b = -1;
    if (source == "divergent pair") {
        QVERIFY(page.divergentPairs()->rowCount() > 3);
        page.divergentPairs()->setCurrentCell(3, 0);
        a = panel->first();
        b = panel->second();
        QCOMPARE(page.divergentPairs()->item(3, 0)->text(),
                 QString::fromStdString(analysis->stimuli->displayName(size_t(a))));
        QCOMPARE(page.divergentPairs()->item(3, 1)->text(),
                 QString::fromStdString(analysis->stimuli->displayName(size_t(b))));
    } else {
        HeatmapView* view = source == "human heatmap"   ? page.humanView()
                            : source == "model heatmap" ? page.modelView()
                                                        : page.differenceView();
        // An off-diagonal cell in the middle of the plot.
        QPoint at;
        for (int x = view->width() / 3; x < view->width() && !view->stimuliAt(at); x += 3)
            at = QPoint(x, view->height() / 2);
        const auto cell = view->stimuliAt(at);
        QVERIFY(cell);
        QTest::mousePress(view, Qt::LeftButton, {}, at);
        QTest::mouseMove(view, at + QPoint(40, 0)); // a drag pans: no pair
        QTest::mouseRelease(view, Qt::LeftButton, {}, at + QPoint(40, 0));
        QCOMPARE(panel->first(), std::int64_t(-1));
        QTest::mouseClick(view, Qt::LeftButton, {}, at);
        const auto clicked = view->stimuliAt(at);
        QVERIFY(clicked);
        std::tie(a, b) = *clicked;
        QCOMPARE(panel->first(), a);
        QCOMPARE(panel->second(), b);
    }
    QVERIFY(a >= 0 && b >= 0 && a != b);
    // Ranks: where the value falls among all pairs sorted (ties share the middle of their run).
    const auto rankAmong = [](const CondensedMatrix& m, float value) {
        std::vector<float> sorted = m.values;
        std::sort(sorted.begin(), sorted.end());
        const auto low = std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin();
        const auto high = std::upper_bound(sorted.begin(), sorted.end(), value) - sorted.begin();
        return (double(low) + double(high) + 1) / 2;
    };
    const CondensedMatrix& rdm = analysis->models.front().rdm;
    QCOMPARE(panel->humanRank().rank, rankAmong(analysis->human, analysis->human.at(a, b)));
    QCOMPARE(panel->modelRank().rank, rankAmong(rdm, rdm.at(a, b)));
    QCOMPARE(panel->humanRank().of, std::int64_t(n * (n - 1) / 2));
    const QString text = panel->text();
    for (std::int64_t s : {a, b})
        QVERIFY2(text.contains(QString::fromStdString(analysis->stimuli->id(size_t(s)))), qPrintable(text));
    QVERIFY2(text.contains(QString::number(analysis->human.at(a, b), 'g', 4)), qPrintable(text));
    QVERIFY2(text.contains(QString::number(rdm.at(a, b), 'g', 4)), qPrintable(text));
    QSignalSpy triplets(&page, &RsaPage::pairTripletsRequested);
    panel->openTriplets();
    QCOMPARE(triplets.count(), 1);
    QCOMPARE(triplets.first().at(0).toString(), QString::fromStdString(analysis->stimuli->id(size_t(a))));
    QCOMPARE(triplets.first().at(1).toString(), QString::fromStdString(analysis->stimuli->id(size_t(b))));
    // A new workspace: no pair of the old one stays on the panel.
    workbench.startNewWorkspace();
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    QCOMPARE(panel->first(), std::int64_t(-1));
    QVERIFY(!panel->analysis());
}

#include "tst_rsa_pages.moc"
