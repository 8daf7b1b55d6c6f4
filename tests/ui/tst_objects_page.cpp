// Objects page: each object's odd-one-out accuracy per model over the triplets that contain it (any position,
// counted here from the analysis's own choices), the share every model gets wrong, sorted worst first with
// objects in no triplet last either way, and searched by name or ID. Computed once the page is shown.
#include "test_support.h"
#include "ui_test_support.h"

#include "alignscope/demo_data.h"
#include "alignscope/object_map.h"
#include "charts/object_maps_chart.h"
#include "charts/population_chart.h"
#include "controllers/object_alignment_controller.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/workbench.h"
#include "figures/object_inspector_figure.h"
#include "pages/object_alignment_model.h"
#include "pages/object_inspector.h"
#include "pages/objects_page.h"
#include "pages/triplet_browser.h"
#include "session/session.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <optional>

using namespace alignscope;

class TestObjectsPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<DemoDataset> m_demo;

    bool openDemo(Workbench& workbench, ObjectsPage& page, bool withConcepts = false) const
    {
        return testsupport::openDemoOnPage(workbench, page, *m_demo, withConcepts);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY((m_demo = testsupport::demoInTemporaryFolder(m_dir))); }

    void nothingIsComputedUntilThePageIsShown()
    {
        Workbench workbench;
        ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
        QStringList paths{QString::fromStdString(m_demo->folder)};
        for (const std::string& model : m_demo->featureModels)
            paths << QString::fromStdString(model);
        workbench.open(paths);
        QVERIFY(testsupport::waitSettled(workbench, 120000));
        QVERIFY(workbench.oddOneOut()->analysis());
        QVERIFY(!workbench.objectAlignment()->result());
        QCOMPARE(page.alignmentModel()->rowCount(), 0);
        QSignalSpy changed(workbench.objectAlignment(), &ObjectAlignmentController::alignmentChanged);
        page.show();
        QVERIFY(changed.wait(60000));
        QCOMPARE(page.alignmentModel()->rowCount(), int(workbench.oddOneOut()->analysis()->stimuli->size()));
    }

    // Every cell against a count over the analysis's triplets and the model's recorded choices.
    void accuraciesAreTheModelsOverEachObjectsTriplets_data()
    {
        QTest::addColumn<int>("model"); // index in the analysis; -1: the all-models-wrong column
        QTest::newRow("first model") << 0;
        QTest::newRow("second model") << 1;
        QTest::newRow("all models wrong") << -1;
    }
    void accuraciesAreTheModelsOverEachObjectsTriplets()
    {
        QFETCH(int, model);
        Workbench workbench;
        ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
        QAbstractItemModelTester tester(page.alignmentModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(openDemo(workbench, page));
        const auto analysis = workbench.objectAlignment()->analysis();
        QCOMPARE(analysis, workbench.oddOneOut()->analysis());
        QCOMPARE(int(analysis->models.size()), 2);
        const ObjectAlignmentModel* table = page.alignmentModel();
        const int column =
            model >= 0 ? ObjectAlignmentModel::FirstModelColumn + model : table->allModelsWrongColumn();
        if (model >= 0)
            QCOMPARE(table->headerData(column, Qt::Horizontal).toString(),
                     QString::fromStdString(analysis->models[size_t(model)].name));
        const TripletSet& triplets = *analysis->triplets;
        const size_t objects = analysis->stimuli->size();
        std::vector<std::int64_t> containing(objects, 0), counted(objects, 0);
        for (size_t t = 0; t < triplets.size(); ++t) {
            bool anyRight = false;
            for (const ModelAnalysis& m : analysis->models)
                anyRight = anyRight || m.choices.isCorrect(t);
            const bool counts = model >= 0 ? analysis->models[size_t(model)].choices.isCorrect(t) : !anyRight;
            for (int position = 0; position < 3; ++position) {
                const int object = triplets.indices[3 * t + size_t(position)];
                bool repeated = false; // a triplet naming an object twice counts once for it
                for (int earlier = 0; earlier < position; ++earlier)
                    repeated = repeated || triplets.indices[3 * t + size_t(earlier)] == object;
                if (repeated) continue;
                ++containing[size_t(object)];
                counted[size_t(object)] += counts ? 1 : 0;
            }
        }
        int withTriplets = 0;
        for (size_t s = 0; s < objects; ++s) {
            const QVariant value = table->index(int(s), column).data(Qt::UserRole);
            QCOMPARE(
                table->index(int(s), ObjectAlignmentModel::TripletsColumn).data(Qt::UserRole).toLongLong(),
                containing[s]);
            if (containing[s] == 0) {
                QVERIFY(!value.isValid());
                QCOMPARE(table->index(int(s), column).data().toString(), QString("—"));
                continue;
            }
            ++withTriplets;
            QVERIFY(std::abs(value.toDouble() - double(counted[s]) / double(containing[s])) < 1e-12);
        }
        QVERIFY(withTriplets > int(objects) / 2);
    }

    // Worst first as the page opens; objects without a value last in both orders; the search keeps names or
    // IDs that contain the text, in any case.
    void sortedWorstFirstAndSearched_data()
    {
        QTest::addColumn<int>("order"); // Qt::SortOrder
        QTest::addColumn<QString>("search");
        QTest::newRow("as opened: ascending") << int(Qt::AscendingOrder) << "";
        QTest::newRow("descending") << int(Qt::DescendingOrder) << "";
        QTest::newRow("search, any case") << int(Qt::AscendingOrder) << "A";
    }
    void sortedWorstFirstAndSearched()
    {
        QFETCH(int, order);
        QFETCH(QString, search);
        Workbench workbench;
        ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
        QVERIFY(openDemo(workbench, page));
        QAbstractItemModel* shown = page.alignmentTable()->model();
        QAbstractItemModelTester tester(shown, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int column = ObjectAlignmentModel::FirstModelColumn;
        if (order == Qt::DescendingOrder) page.alignmentTable()->sortByColumn(column, Qt::DescendingOrder);
        page.setSearch(search);
        QVERIFY(shown->rowCount() > 0);
        bool seenMissing = false;
        double previous = order == Qt::AscendingOrder ? -1 : 2;
        for (int row = 0; row < shown->rowCount(); ++row) {
            const QVariant value = shown->index(row, column).data(Qt::UserRole);
            if (!value.isValid()) {
                seenMissing = true;
                continue;
            }
            QVERIFY2(!seenMissing, "an object without a value sorted before one with a value");
            const double accuracy = value.toDouble();
            QVERIFY(order == Qt::AscendingOrder ? accuracy >= previous : accuracy <= previous);
            previous = accuracy;
        }
        if (search.isEmpty()) {
            QCOMPARE(shown->rowCount(), page.alignmentModel()->rowCount());
            return;
        }
        QVERIFY(shown->rowCount() < page.alignmentModel()->rowCount());
        for (int row = 0; row < shown->rowCount(); ++row) {
            const QString name = shown->index(row, ObjectAlignmentModel::ObjectColumn).data().toString();
            const QString id =
                shown->index(row, ObjectAlignmentModel::ObjectColumn).data(Qt::ToolTipRole).toString();
            QVERIFY2(name.contains(search, Qt::CaseInsensitive) || id.contains(search, Qt::CaseInsensitive),
                     qPrintable(name + " / " + id));
        }
    }

    // With a concept space: a local-agreement column per model (Jaccard@k of the object's neighbours under
    // the model and under the concept space, as the core compared them), and the inspector of a selected
    // object lists both neighbour lists with the shared ones in bold.
    void agreementAndInspector_data()
    {
        QTest::addColumn<int>("row"); // in the table as sorted (worst first)
        QTest::newRow("worst object") << 0;
        QTest::newRow("an object further down") << 17;
    }
    void agreementAndInspector()
    {
        QFETCH(int, row);
        Workbench workbench;
        ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
        QVERIFY(openDemo(workbench, page, true));
        const auto result = workbench.objectAlignment()->result();
        const auto analysis = workbench.objectAlignment()->analysis();
        QVERIFY(result);
        const ObjectAlignmentModel* table = page.alignmentModel();
        QVERIFY(table->hasAgreement());
        QCOMPARE(int(result->neighbours.size()), int(analysis->models.size()));
        QVERIFY(table->headerData(table->firstAgreementColumn(), Qt::Horizontal).toString().contains("J@10"));
        QTableView* view = page.alignmentTable();
        view->setCurrentIndex(view->model()->index(row, 0));
        const int object = page.inspector()->object();
        QCOMPARE(
            object,
            qobject_cast<QSortFilterProxyModel*>(view->model())->mapToSource(view->currentIndex()).row());
        const QString text = page.inspector()->text();
        const StimulusSet& stimuli = *analysis->stimuli;
        QVERIFY2(text.contains(QString::fromStdString(stimuli.displayName(size_t(object))).toHtmlEscaped()),
                 qPrintable(text));
        for (size_t m = 0; m < analysis->models.size(); ++m) {
            const ObjectNeighbours& neighbours = result->neighbours[m].objects[size_t(object)];
            QCOMPARE(int(neighbours.model.size()), 10);
            int shared = 0;
            for (std::int64_t s : neighbours.model) {
                const QString name = QString::fromStdString(stimuli.displayName(size_t(s))).toHtmlEscaped();
                const bool both =
                    std::find(neighbours.human.begin(), neighbours.human.end(), s) != neighbours.human.end();
                shared += both ? 1 : 0;
                QVERIFY2(text.contains(both ? "<b>" + name + "</b>" : name),
                         qPrintable(name + " in " + text));
            }
            QCOMPARE(neighbours.shared, std::int64_t(shared));
            const QVariant jaccard =
                table->index(object, table->firstAgreementColumn() + int(m)).data(Qt::UserRole);
            QVERIFY(std::abs(jaccard.toDouble() - double(shared) / double(20 - shared)) < 1e-12);
            QVERIFY(text.contains(QString::fromStdString(analysis->models[m].name).toHtmlEscaped()));
        }
    }

    // The inspector's link opens the model's wrong triplets of the object in the triplet browser: exactly the
    // core's listing for the object (repeats folded), every row containing it; the browser's object button
    // clears the filter.
    void inspectorOpensTheObjectsTriplets_data()
    {
        QTest::addColumn<int>("model");
        QTest::newRow("first model") << 0;
        QTest::newRow("second model") << 1;
    }
    void inspectorOpensTheObjectsTriplets()
    {
        QFETCH(int, model);
        Workbench workbench;
        ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
        TripletBrowser browser(workbench.oddOneOut(), workbench.tasks(), nullptr);
        connect(&page, &ObjectsPage::objectTripletsRequested, &browser, &TripletBrowser::showObject);
        QVERIFY(openDemo(workbench, page));
        const int object = page.inspector()->object(); // the worst object, selected as the numbers arrive
        QVERIFY(object >= 0);
        const auto analysis = workbench.oddOneOut()->analysis();
        QSignalSpy rows(&browser, &TripletBrowser::rowsReady);
        if (browser.visibleRows() == 0) QVERIFY(rows.wait(20000)); // the unfiltered listing first
        rows.clear();
        page.inspector()->openTriplets(model);
        QVERIFY(rows.wait(20000));
        QCOMPARE(browser.object(), object);
        DisagreementFilter filter;
        filter.objects = {object};
        filter.foldRepeats = true;
        const size_t expected = findDisagreements(*analysis, size_t(model), filter).size();
        QVERIFY(expected > 0);
        QCOMPARE(browser.visibleRows(), int(expected));
        const TripletSet& triplets = *analysis->triplets;
        for (int row = 0; row < browser.visibleRows(); ++row) {
            const size_t t = size_t(browser.listModel()->tripletAt(row));
            QVERIFY(triplets.indices[3 * t] == object || triplets.indices[3 * t + 1] == object ||
                    triplets.indices[3 * t + 2] == object);
            QVERIFY(!analysis->models[size_t(model)].choices.isCorrect(t));
        }
        auto* clear = browser.findChild<QPushButton*>("objectFilter");
        QVERIFY(clear && !clear->isHidden());
        clear->click();
        QVERIFY(rows.wait(20000));
        QCOMPARE(browser.object(), -1);
        QVERIFY(browser.visibleRows() > int(expected));
    }

    // The scatter beside the inspector: one point per object with both values, at the table's numbers; the
    // same measure of two models gets the diagonal; a click on a point inspects that object.
    void scatterPlotsTheObjects_data()
    {
        QTest::addColumn<bool>("concepts");
        QTest::addColumn<int>("x"); // axis choice: accuracies of the models, then their agreements
        QTest::addColumn<int>("y");
        QTest::addColumn<int>("xColumn"); // in the table
        QTest::addColumn<int>("yColumn");
        QTest::addColumn<bool>("diagonal");
        const int first = ObjectAlignmentModel::FirstModelColumn;
        QTest::newRow("accuracy of one model against the other")
            << false << 0 << 1 << first << first + 1 << true;
        QTest::newRow("a model's accuracy against its neighbour agreement")
            << true << 0 << 2 << first << first + 2 << false;
    }
    void scatterPlotsTheObjects()
    {
        QFETCH(bool, concepts);
        QFETCH(int, x);
        QFETCH(int, y);
        QFETCH(int, xColumn);
        QFETCH(int, yColumn);
        QFETCH(bool, diagonal);
        Workbench workbench;
        ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
        QVERIFY(openDemo(workbench, page, concepts));
        page.setScatterAxes(x, y);
        const PopulationFigureData& figure = page.scatter()->figureData();
        QVERIFY2(figure.message.isEmpty(), qPrintable(figure.message));
        QCOMPARE(figure.identityLine, diagonal);
        const ObjectAlignmentModel* table = page.alignmentModel();
        int expected = 0;
        for (int s = 0; s < table->rowCount(); ++s)
            expected += table->index(s, xColumn).data(Qt::UserRole).isValid() &&
                                table->index(s, yColumn).data(Qt::UserRole).isValid()
                            ? 1
                            : 0;
        QCOMPARE(int(figure.points.size()), expected);
        for (const PopulationPoint& point : figure.points) {
            QCOMPARE(point.x, table->index(point.modelIndex, xColumn).data(Qt::UserRole).toDouble());
            QCOMPARE(point.y, table->index(point.modelIndex, yColumn).data(Qt::UserRole).toDouble());
            QCOMPARE(point.model,
                     table->index(point.modelIndex, ObjectAlignmentModel::ObjectColumn).data().toString());
        }
        const PopulationPoint clicked = figure.points[figure.points.size() / 2]; // a copy: the click redraws
        const int object = clicked.modelIndex;
        page.setSearch("no object is named like this");
        Q_EMIT page.scatter()->modelClicked(object);
        QCOMPARE(page.inspector()->object(), object); // the search that hid it was cleared
        QCOMPARE(page.scatter()->figureData().highlighted, clicked.model);
    }
};

QTEST_MAIN(TestObjectsPage)
#include "tst_objects_page.moc"
