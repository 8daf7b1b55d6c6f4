// Odd-one-out pages end to end, without a MainWindow: files into a Workbench (Session + controllers), the
// analysis on a worker, and the results, concepts, triplets and objects pages built on the controller.
#include "test_support.h"
#include "ui_test_support.h"

#include "alignscope/npy.h"
#include "charts/concept_bars_chart.h"
#include "charts/thumbnail_cache.h"
#include "controllers/odd_one_out_controller.h"
#include "export/figure_registry.h"
#include "pages/concepts_page.h"
#include "pages/objects_page.h"
#include "pages/results_page.h"
#include "pages/triplet_browser.h"
#include "session/task_runner.h"

#include <QAbstractItemModelTester>
#include <array>
#include <map>
#include <set>

#include <QFile>
#include <QLabel>
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
    void repeatedTripletsShownOnceWithConsensus();
};

void TestOddOneOutPages::syntheticDataFillsEveryPage()
{
    QTemporaryDir dir;
    const SyntheticData data = writeSynthetic(QDir(dir.path()));
    Workbench workbench;
    FigureRegistry figures;
    testsupport::SessionLog log(workbench.session());
    ResultsPage results(workbench.oddOneOut(), &figures);
    ConceptsPage concepts(workbench.oddOneOut(), &figures);
    TripletBrowser browser(workbench.oddOneOut(), workbench.tasks(), &figures);
    QAbstractItemModelTester resultsTester(results.table()->model());
    QAbstractItemModelTester tripletsTester(browser.listModel());
    browser.resize(1000, 700);
    browser.show();
    workbench.session()->setRowIdentity(data.concepts, RowIdentity::canonical());
    workbench.session()->setSimilarity(SimilarityKind::Dot);
    workbench.open({data.objects});
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    workbench.open({data.triplets, data.concepts, data.model});
    QVERIFY(testsupport::waitSettled(workbench, 60000)); // files in, then the analysis they started
    QCOMPARE(workbench.session()->settings().conceptPath, data.concepts);
    auto analysis = workbench.oddOneOut()->analysis();
    QVERIFY2(analysis, qPrintable(log.text()));
    QCOMPARE(analysis->models.size(), size_t(1));
    const double accuracy = analysis->models.front().choices.accuracy();
    QVERIFY2(accuracy > 0.5 && accuracy < 1.0, qPrintable(QString::number(accuracy))); // sees one of two axes

    QTableView* table = results.table();
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, 1).data().toString(), QString::number(accuracy, 'f', 4));

    QCOMPARE(concepts.chart()->barSetCount(), 1);
    QVERIFY(!concepts.chart()->shownDimensions().empty());
    // The pages registered their figures, in page order.
    QStringList figureNames;
    for (const NamedFigure& figure : figures.figures())
        figureNames << figure.name;
    QCOMPARE(figureNames, QStringList({"results-table", "concept-bars", "triplets"}));

    // Disagreements: one row per distinct triplet (repeats folded into their majority judgment), each one the
    // model gets wrong, and every triplet the model gets wrong on its majority judgment has a row.
    const auto& choices = analysis->models.front().choices;
    const auto& repeats = analysis->repeats;
    auto unordered = [&](std::int64_t t) {
        std::array<std::int32_t, 3> key{analysis->triplets->at(size_t(t), 0),
                                        analysis->triplets->at(size_t(t), 1),
                                        analysis->triplets->at(size_t(t), 2)};
        std::sort(key.begin(), key.end());
        return key;
    };
    std::map<std::array<std::int32_t, 3>, std::int64_t> majority; // each distinct triplet's majority judgment
    for (std::int64_t t = 0; t < std::int64_t(choices.size()); ++t) {
        auto [it, inserted] = majority.emplace(unordered(t), t);
        if (!inserted && repeats.consensusOf(t) > repeats.consensusOf(it->second)) it->second = t;
    }
    QVERIFY(majority.size() < choices.size()); // the data has repeated triplets
    size_t wrong = 0;
    for (const auto& entry : majority)
        wrong += choices.isCorrect(size_t(entry.second)) ? 0 : 1;
    QCOMPARE(size_t(browser.visibleRows()), wrong);
    std::set<std::array<std::int32_t, 3>> shown;
    for (int row = 0; row < browser.visibleRows(); ++row) {
        const std::int64_t t = browser.listModel()->tripletAt(row);
        QVERIFY(!choices.isCorrect(size_t(t)));
        QVERIFY(shown.insert(unordered(t)).second);
    }
    QSignalSpy rows(&browser, &TripletBrowser::rowsReady);
    QSignalSpy asked(&concepts, &ConceptsPage::showConcept);
    Q_EMIT concepts.chart()->dimensionClicked(1); // what a click on a bar reports
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().first().toInt(), 1);
    browser.showDimension(1);
    QVERIFY(rows.wait(20000));
    QVERIFY(browser.visibleRows() > 0);
    for (int row = 0; row < browser.visibleRows(); ++row)
        QCOMPARE(analysis->concepts->top[size_t(browser.listModel()->tripletAt(row))], 1);
    browser.setFilter(TripletBrowser::Show::All, -1, 0, TripletBrowser::Sort::Index);
    QVERIFY(rows.wait(20000));
    QCOMPARE(size_t(browser.visibleRows()), majority.size());

    QCoreApplication::processEvents();
    for (const char* suffix : {"png", "svg", "pdf"}) {
        const QString path = dir.filePath(QStringLiteral("page.") + suffix);
        QString error;
        QVERIFY2(browser.exportVisibleRows(path, &error), qPrintable(error));
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
    Workbench workbench;
    FigureRegistry figures;
    testsupport::SessionLog log(workbench.session());
    ResultsPage results(workbench.oddOneOut(), &figures);
    Session* session = workbench.session();
    session->setRowIdentity(vice, RowIdentity::sorted());
    session->setSimilarity(SimilarityKind::Dot);
    workbench.open({concepts});
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    workbench.open({triplets, vice});
    QVERIFY(testsupport::waitSettled(workbench, 120000));
    // VICE is taken as the concept space (its role); with no other model, the results page says what is
    // missing.
    QCOMPARE(session->settings().conceptPath, vice);
    QCOMPARE(int(session->itemAtPath(vice)->role), int(ItemRole::ConceptSpace));
    QVERIFY(workbench.oddOneOut()->analysis() == nullptr);
    QVERIFY(results.findChild<QLabel*>("resultsSummary")->text().contains("Add a feature file"));
    session->setConceptPath(QString()); // now it is a model, mapped with 'sorted'
    QCOMPARE(int(session->itemAtPath(vice)->role), int(ItemRole::ModelFeatures));
    QVERIFY(testsupport::waitSettled(workbench, 120000));
    auto analysis = workbench.oddOneOut()->analysis();
    QVERIFY2(analysis, qPrintable(log.text()));
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
    Workbench workbench;
    workbench.session()->setRowIdentity(data.concepts, RowIdentity::canonical());
    QSignalSpy notices(workbench.oddOneOut(), &OddOneOutController::notice);
    workbench.open({data.objects});
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    workbench.open({data.triplets, data.concepts, data.model});
    QVERIFY(testsupport::waitSettled(workbench, 60000));
    QVERIFY(!notices.isEmpty());
    const QString message = notices.first().first().toString();
    QVERIFY2(message.contains("2 tiny negative concept values (minimum -0.0013) clamped to 0"),
             qPrintable(message));
    QVERIFY(workbench.oddOneOut()->analysis() &&
            !workbench.oddOneOut()->analysis()->models.front().perConcept.empty());
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

    Workbench workbench;
    testsupport::SessionLog log(workbench.session());
    TripletBrowser browser(workbench.oddOneOut(), workbench.tasks(), nullptr);
    ObjectsPage objects(workbench.session(), workbench.tasks(), workbench.objectAlignment());
    QAbstractItemModelTester objectsTester(objects.model());
    workbench.open({dir.path(), root.filePath("model.npy")});
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    auto analysis = workbench.oddOneOut()->analysis();
    QVERIFY2(analysis, qPrintable(log.text()));
    QCOMPARE(analysis->triplets->size(), size_t(4));
    browser.setFilter(TripletBrowser::Show::All, -1, 0, TripletBrowser::Sort::Index);
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    QCOMPARE(browser.visibleRows(), 3); // "0 1 7" and "0 7 1" are one triplet judged twice
    QVERIFY(browser.listModel()->rowAt(0).cards[0].thumbnail.isNull()); // first request schedules the decode
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    const TripletRow row = browser.listModel()->rowAt(0);
    QVERIFY(!row.cards[0].thumbnail.isNull());
    QCOMPARE(row.cards[0].thumbnail.pixelColor(5, 5), QColor(Qt::red));
    QCOMPARE(row.cards[2].thumbnail.pixelColor(5, 5), QColor(Qt::blue));
    QCOMPARE(row.cards[0].category, QStringLiteral("red things"));

    // The Objects page shows each stimulus's image as a thumbnail, decoded off the GUI thread on request.
    QCOMPARE(objects.objectCount(), n);
    const QModelIndex image = objects.model()->index(7, 4);
    QVERIFY(image.data(Qt::ToolTipRole).toString().endsWith("images/thing7.png"));
    QSignalSpy decoded(objects.thumbnails(), &ThumbnailCache::thumbnailReady);
    QVERIFY(image.data(Qt::DecorationRole).isNull()); // the first request schedules the decode
    QVERIFY(decoded.wait(20000));
    const QImage thumbnail = image.data(Qt::DecorationRole).value<QImage>();
    QVERIFY(!thumbnail.isNull());
    QVERIFY(thumbnail.width() <= 64 && thumbnail.height() <= 64);
    QCOMPARE(thumbnail.pixelColor(5, 5), QColor(Qt::blue));
}

// Three judgments of one triplet (two choose "cat", one "bee") are one row: the majority's, consensus 0.67.
void TestOddOneOutPages::repeatedTripletsShownOnceWithConsensus()
{
    QTemporaryDir dir;
    const QDir root(dir.path());
    testsupport::writeBytes(root, "objects.txt", "ant\nbee\ncat\ndog\n");
    testsupport::writeBytes(root, "triplets.txt", "0 1 2\n1 0 2\n0 2 1\n0 1 3\n");
    testsupport::writeBytes(root, "model.txt", "1 0\n0.9 0.1\n0 1\n-1 0.2\n");
    testsupport::writeBytes(root, "model.rows.txt", "ant\nbee\ncat\ndog\n");
    Workbench workbench;
    testsupport::SessionLog log(workbench.session());
    TripletBrowser browser(workbench.oddOneOut(), workbench.tasks(), nullptr);
    QAbstractItemModelTester tester(browser.listModel());
    workbench.open({root.filePath("objects.txt")});
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    workbench.open({root.filePath("triplets.txt"), root.filePath("model.txt")});
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    QVERIFY2(workbench.oddOneOut()->analysis(), qPrintable(log.text()));
    browser.setFilter(TripletBrowser::Show::All, -1, 0, TripletBrowser::Sort::Index);
    QVERIFY(testsupport::waitSettled(workbench, 20000));
    QCOMPARE(browser.visibleRows(), 2); // {ant, bee, cat} once, {ant, bee, dog} once
    const TripletRow repeated = browser.listModel()->rowAt(0);
    QCOMPARE(browser.listModel()->tripletAt(0), std::int64_t(0)); // the first majority judgment
    QCOMPARE(repeated.cards[2].name, QStringLiteral("cat"));
    QVERIFY2(repeated.caption.contains("human consensus 0.67 of 3 judgments"), qPrintable(repeated.caption));
    QVERIFY(!browser.listModel()->rowAt(1).caption.contains("consensus"));
}

QTEST_MAIN(TestOddOneOutPages)
#include "tst_odd_one_out_pages.moc"
