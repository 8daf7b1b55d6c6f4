// Odd-one-out pages end to end: files in, analysis on a worker, results table, concept chart, triplet
// browser, figure export.
#include "test_support.h"

#include "alignscope/npy.h"
#include "charts/concept_bars_chart.h"
#include "charts/thumbnail_cache.h"
#include "controllers/odd_one_out_controller.h"
#include "main_window.h"
#include "pages/results_page.h"
#include "pages/triplet_browser.h"
#include "session/task_runner.h"
#include "session/workspace.h"

#include <QFile>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <random>

using namespace alignscope;

namespace {

// 40 objects on two concept axes; a model that sees the second axis blurred; triplets from the concepts.
struct SyntheticData
{
    QString objects, triplets, concepts, model;
};

SyntheticData writeSynthetic(const QDir& dir)
{
    const int n = 40;
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> unit(0, 1);
    QByteArray ids;
    std::vector<float> concepts, model;
    for (int i = 0; i < n; ++i) {
        ids += "object" + QByteArray::number(i) + "\n";
        const float a = unit(rng), b = unit(rng);
        concepts.insert(concepts.end(), {a, b});
        model.insert(model.end(), {a, b + 0.6f * (unit(rng) - 0.5f), 0.05f}); // the second concept, blurred
    }
    QByteArray triplets;
    std::uniform_int_distribution<int> pick(0, n - 1);
    for (int t = 0; t < 3000; ++t) {
        int i = pick(rng), j = pick(rng), k = pick(rng);
        if (i == j || j == k || i == k) continue;
        auto dot = [&](int x, int y) {
            return concepts[2 * x] * concepts[2 * y] + concepts[2 * x + 1] * concepts[2 * y + 1];
        };
        // Human: keep the pair with the largest concept dot product.
        if (dot(i, k) > dot(i, j) && dot(i, k) > dot(j, k))
            std::swap(j, k);
        else if (dot(j, k) > dot(i, j) && dot(j, k) > dot(i, k))
            std::swap(i, k);
        triplets += QByteArray::number(i) + " " + QByteArray::number(j) + " " + QByteArray::number(k) + "\n";
    }
    SyntheticData data;
    data.objects = QString::fromStdString(testsupport::writeBytes(dir, "objects.txt", ids));
    data.triplets = QString::fromStdString(testsupport::writeBytes(dir, "triplets.txt", triplets));
    data.concepts = dir.filePath("concepts.npy");
    data.model = dir.filePath("model.npy");
    writeNpy(data.concepts.toStdString(), makeFloat32Array({n, 2}, concepts));
    writeNpy(data.model.toStdString(), makeFloat32Array({n, 3}, model));
    testsupport::writeBytes(dir, "model.rows.txt", ids); // the model names its rows; the concepts do not
    return data;
}

} // namespace

class TestOddOneOutPages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void syntheticDataFillsEveryPage();
    void realThingsDataWithVice();
    void clampedConceptValuesAreReported();
    void thingsFolderWithImagesShowsThumbnails();
};

void TestOddOneOutPages::syntheticDataFillsEveryPage()
{
    QTemporaryDir dir;
    const SyntheticData data = writeSynthetic(QDir(dir.path()));
    MainWindow window;
    window.setInteractive(false);
    window.resize(1200, 900);
    window.show();
    window.oddOneOut()->setRowIdentity(data.concepts, RowIdentity::canonical());
    window.oddOneOut()->setSimilarity(SimilarityKind::Dot);
    window.openPaths({data.objects});
    QVERIFY(window.tasks()->waitForIdle(20000));
    window.openPaths({data.triplets, data.concepts, data.model});
    QVERIFY(window.tasks()->waitForIdle(60000));
    QVERIFY(window.tasks()->waitForIdle(60000)); // the analysis started once the files arrived
    QCOMPARE(window.oddOneOut()->conceptPath(), data.concepts);
    auto analysis = window.oddOneOut()->analysis();
    QVERIFY2(analysis, qPrintable(window.logText()));
    QCOMPARE(analysis->models.size(), size_t(1));
    const double accuracy = analysis->models.front().choices.accuracy();
    QVERIFY2(accuracy > 0.5 && accuracy < 1.0, qPrintable(QString::number(accuracy))); // sees one of two axes

    QTableView* table = window.resultsPage()->table();
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, 1).data().toString(), QString::number(accuracy, 'f', 4));

    QCOMPARE(window.conceptChart()->barSetCount(), 1);
    QVERIFY(!window.conceptChart()->shownDimensions().empty());

    TripletBrowser* browser = window.tripletBrowser();
    QVERIFY(window.tasks()->waitForIdle(20000));
    const std::int64_t wrong =
        std::int64_t(analysis->models.front().choices.size()) - analysis->models.front().choices.correct;
    QCOMPARE(std::int64_t(browser->visibleRows()), wrong);
    browser->showDimension(1);
    QVERIFY(window.tasks()->waitForIdle(20000));
    QVERIFY(browser->visibleRows() > 0);
    for (int row = 0; row < browser->visibleRows(); ++row)
        QCOMPARE(analysis->concepts->top[size_t(browser->listModel()->tripletAt(row))], 1);
    browser->setFilter(TripletBrowser::Show::All, -1, 0, TripletBrowser::Sort::Index);
    QVERIFY(window.tasks()->waitForIdle(20000));
    QCOMPARE(size_t(browser->visibleRows()), analysis->triplets->size());

    window.pages()->setCurrentWidget(browser);
    QCoreApplication::processEvents();
    for (const char* suffix : {"png", "svg", "pdf"}) {
        const QString path = dir.filePath(QStringLiteral("page.") + suffix);
        QString error;
        QVERIFY2(browser->exportVisibleRows(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.size() > 500);
        if (QByteArray(suffix) == "svg") QVERIFY(bytes.contains("viewBox"));
        if (QByteArray(suffix) == "pdf") QVERIFY(bytes.startsWith("%PDF"));
    }
}

void TestOddOneOutPages::realThingsDataWithVice()
{
    const QString concepts = testsupport::sharedData("things/things_concepts.tsv");
    const QString triplets = testsupport::sharedData("things/triplets_with_subjects.txt");
    const QString vice = testsupport::sharedData("vice/final_embedding.npy");
    SKIP_WITHOUT_SHARED(vice);
    MainWindow window;
    window.setInteractive(false);
    window.oddOneOut()->setRowIdentity(vice, RowIdentity::sorted());
    window.oddOneOut()->setSimilarity(SimilarityKind::Dot);
    window.openPaths({concepts});
    QVERIFY(window.tasks()->waitForIdle(20000));
    window.openPaths({triplets, vice});
    QVERIFY(window.tasks()->waitForIdle(120000));
    QVERIFY(window.tasks()->waitForIdle(120000));
    // VICE is taken as the concept space; with no other model, the results page says what is missing.
    QCOMPARE(window.oddOneOut()->conceptPath(), vice);
    QVERIFY(window.oddOneOut()->analysis() == nullptr);
    window.oddOneOut()->setConceptPath(QString()); // now it is a model, mapped with 'sorted'
    QVERIFY(window.oddOneOut()->recompute());
    QVERIFY(window.tasks()->waitForIdle(120000));
    auto analysis = window.oddOneOut()->analysis();
    QVERIFY2(analysis, qPrintable(window.logText()));
    QCOMPARE(QString::number(analysis->models.front().choices.accuracy(), 'f', 4), QStringLiteral("0.6377"));
}

void TestOddOneOutPages::clampedConceptValuesAreReported()
{
    // Optimiser noise in a concept embedding (two values just below 0) is clamped, and the user is told.
    QTemporaryDir dir;
    const SyntheticData data = writeSynthetic(QDir(dir.path()));
    auto concepts = readNpy(data.concepts.toStdString());
    QVERIFY(concepts);
    std::vector<float> values = concepts->toFloat32();
    values[3] = -0.0007f;
    values[10] = -0.0013f;
    QVERIFY(writeNpy(data.concepts.toStdString(), makeFloat32Array(concepts->shape, values)));
    MainWindow window;
    window.setInteractive(false);
    window.oddOneOut()->setRowIdentity(data.concepts, RowIdentity::canonical());
    QSignalSpy notices(window.oddOneOut(), &OddOneOutController::notice);
    window.openPaths({data.objects});
    QVERIFY(window.tasks()->waitForIdle(20000));
    window.openPaths({data.triplets, data.concepts, data.model});
    QTRY_VERIFY_WITH_TIMEOUT(!notices.isEmpty(), 60000);
    const QString message = notices.first().first().toString();
    QVERIFY2(message.contains("2 tiny negative concept values (minimum -0.0013) clamped to 0"),
             qPrintable(message));
    QVERIFY(window.logText().contains("2 tiny negative concept values"));
    QTRY_VERIFY_WITH_TIMEOUT(window.oddOneOut()->analysis() &&
                                 !window.oddOneOut()->analysis()->models.front().perConcept.empty(),
                             60000);
}

void TestOddOneOutPages::thingsFolderWithImagesShowsThumbnails()
{
    QTemporaryDir dir;
    QDir root(dir.path());
    for (const char* sub : {"concepts", "triplets", "images"})
        root.mkpath(sub);
    QByteArray table = "Word\tuniqueID\tTop-down Category (WordNet)\n", rows;
    std::vector<float> features;
    const int n = 12;
    for (int i = 0; i < n; ++i) {
        const QByteArray id = "thing" + QByteArray::number(i);
        table += id + "\t" + id + "\t" + (i < 6 ? "red things" : "blue things") + "\n";
        rows += id + "\n";
        features.insert(features.end(), {i < 6 ? 1.0f : -1.0f, float(i) / n});
        QImage image(40, 30, QImage::Format_RGB32);
        image.fill(i < 6 ? Qt::red : Qt::blue);
        QVERIFY(image.save(root.filePath("images/" + QString::fromLatin1(id) + ".png")));
    }
    testsupport::writeBytes(root, "concepts/things_concepts.tsv", table);
    testsupport::writeBytes(root, "triplets/test_10.txt", "0 1 7\n6 8 2\n0 7 1\n3 4 10\n");
    QVERIFY(writeNpy(root.filePath("model.npy").toStdString(), makeFloat32Array({n, 2}, features)).ok());
    testsupport::writeBytes(root, "model.rows.txt", rows);

    MainWindow window;
    window.setInteractive(false);
    window.openPaths({dir.path(), root.filePath("model.npy")});
    QVERIFY(window.tasks()->waitForIdle(20000));
    QVERIFY(window.tasks()->waitForIdle(20000));
    auto analysis = window.oddOneOut()->analysis();
    QVERIFY2(analysis, qPrintable(window.logText()));
    QCOMPARE(analysis->triplets->size(), size_t(4));
    TripletBrowser* browser = window.tripletBrowser();
    browser->setFilter(TripletBrowser::Show::All, -1, 0, TripletBrowser::Sort::Index);
    QVERIFY(window.tasks()->waitForIdle(20000));
    QCOMPARE(browser->visibleRows(), 4);
    QVERIFY(browser->listModel()->rowAt(0).cards[0].thumbnail.isNull()); // first request schedules the decode
    QVERIFY(window.tasks()->waitForIdle(20000));
    const TripletRow row = browser->listModel()->rowAt(0);
    QVERIFY(!row.cards[0].thumbnail.isNull());
    QCOMPARE(row.cards[0].thumbnail.pixelColor(5, 5), QColor(Qt::red));
    QCOMPARE(row.cards[2].thumbnail.pixelColor(5, 5), QColor(Qt::blue));
    QCOMPARE(row.cards[0].category, QStringLiteral("red things"));
}

QTEST_MAIN(TestOddOneOutPages)
#include "tst_odd_one_out_pages.moc"
