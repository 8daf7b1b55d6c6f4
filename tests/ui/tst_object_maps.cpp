// The Objects page's pictures: the model's and the people's MDS maps side by side with linked hover, a click
// that inspects, and a lasso whose objects open the triplet browser; the inspector's picture (the
// object-inspector figure); the scatter's hover images.
#include "test_support.h"
#include "ui_test_support.h"

#include "alignscope/demo_data.h"
#include "alignscope/object_map.h"
#include "charts/object_maps_chart.h"
#include "charts/population_chart.h"
#include "controllers/object_alignment_controller.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/workbench.h"
#include "pages/object_inspector.h"
#include "pages/objects_page.h"
#include "pages/triplet_browser.h"

#include <QComboBox>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QUrl>
#include <algorithm>
#include <optional>

using namespace alignscope;

class TestObjectMaps : public QObject
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

    // With a concept space, the Map tab shows the chosen model's map and the people's, both the core's
    // classical MDS of the similarities (the people's of the concept space's), coloured by top concept;
    // hovering an object in one map rings it in both, and a click inspects it.
    void mapsShowTheObjects_data()
    {
        QTest::addColumn<int>("model");
        QTest::addColumn<int>("panel"); // hovered and clicked in: 0 the model's map, 1 the people's
        QTest::newRow("first model, hovered in its map") << 0 << 0;
        QTest::newRow("second model, hovered in the people's map") << 1 << 1;
    }
    void mapsShowTheObjects()
    {
        QFETCH(int, model);
        QFETCH(int, panel);
        Workbench workbench;
        ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
        QVERIFY(openDemo(workbench, page, true));
        const auto analysis = workbench.objectAlignment()->analysis();
        ObjectMapsChart* maps = page.maps();
        QVERIFY(!workbench.objectAlignment()->modelMap(0)); // computed only for the map on screen
        page.resize(1400, 900);
        page.findChild<QTabWidget*>("objectSide")->setCurrentWidget(maps->parentWidget());
        page.findChild<QComboBox*>("mapModel")->setCurrentIndex(model);
        QTRY_VERIFY_WITH_TIMEOUT(workbench.objectAlignment()->modelMap(model), 60000);
        QVERIFY(!workbench.objectAlignment()->modelMap(1 - model)); // the other model's map was not asked for
        const ObjectMapsFigure& figure = maps->figureData();
        QVERIFY2(figure.message.isEmpty(), qPrintable(figure.message));
        const size_t n = analysis->stimuli->size();
        QCOMPARE(figure.left.size(), n);
        QCOMPARE(figure.right.size(), n);
        // The model's map is the core's MDS of the analysis's own similarities.
        std::vector<float> similarity(n * n);
        for (size_t a = 0; a < n; ++a)
            for (size_t b = 0; b < n; ++b)
                similarity[a * n + b] =
                    float(analysis->models[size_t(model)].similarity.at(std::int64_t(a), std::int64_t(b)));
        auto expected = classicalMds(std::int64_t(n), similarity, true);
        QVERIFY(expected.ok());
        for (size_t s = 0; s < n; ++s) {
            QCOMPARE(figure.left[s].x(), expected->xy[2 * s]);
            QCOMPARE(figure.left[s].y(), expected->xy[2 * s + 1]);
            QCOMPARE(figure.right[s].x(), workbench.objectAlignment()->humanMap()->xy[2 * s]);
        }
        QVERIFY(figure.legend.size() >= 2); // the demo's objects lead with several of its nine properties
        QCOMPARE(figure.highlighted, page.inspector()->object());
        // Hover: find an object drawn apart from the others, move there, and it is the one named.
        QTRY_VERIFY(maps->isVisible() && maps->width() > 200);
        const QRectF area(maps->rect());
        int object = -1;
        QPointF at;
        for (size_t s = 0; s < n && object < 0; ++s) {
            at = QPointF(
                objectMapsPointOf(figure, area, maps->font(), maps, panel, int(s)).toPoint()); // a pixel
            const auto found = objectMapsObjectAt(figure, area, maps->font(), maps, at);
            if (found && *found == int(s)) object = int(s);
        }
        QVERIFY(object >= 0);
        QTest::mouseMove(maps, at.toPoint());
        QTRY_COMPARE(maps->hovered(), object);
        QTest::mouseClick(maps, Qt::LeftButton, {}, at.toPoint());
        QCOMPARE(page.inspector()->object(), object);
        QCOMPARE(page.maps()->figureData().highlighted, object);
    }
    // A lasso drawn from an empty spot of either map selects the objects inside it, outlined in both maps;
    // the button below opens the map model's triplets that contain any of them (the browser lists exactly
    // those), and a click on an empty spot clears the selection.
    void lassoSelectsObjectsForTheTripletBrowser_data()
    {
        QTest::addColumn<int>("model");
        QTest::addColumn<int>("panel");
        QTest::newRow("first model, lassoed in its map") << 0 << 0;
        QTest::newRow("second model, lassoed in the people's map") << 1 << 1;
    }
    void lassoSelectsObjectsForTheTripletBrowser()
    {
        QFETCH(int, model);
        QFETCH(int, panel);
        Workbench workbench;
        ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
        TripletBrowser browser(workbench.oddOneOut(), workbench.tasks(), nullptr);
        connect(&page, &ObjectsPage::objectsTripletsRequested, &browser,
                [&browser](const std::vector<int>& objects, int m) {
                    browser.showObjects(objects, ObjectMatch::Any, m);
                });
        QVERIFY(openDemo(workbench, page, true));
        ObjectMapsChart* maps = page.maps();
        page.resize(1400, 900);
        page.findChild<QTabWidget*>("objectSide")->setCurrentWidget(maps->parentWidget());
        page.setMapModel(model);
        QTRY_VERIFY_WITH_TIMEOUT(workbench.objectAlignment()->modelMap(model), 60000);
        QTRY_VERIFY(maps->isVisible() && maps->width() > 200 && maps->figureData().message.isEmpty());
        const ObjectMapsFigure figure = maps->figureData();
        const QRectF area(maps->rect());
        const int n = int(figure.names.size());
        // The lasso: the middle half of where the panel's points lie, from a corner with no object on it.
        double left = 1e9, top = 1e9, right = -1e9, bottom = -1e9;
        for (int s = 0; s < n; ++s) {
            const QPointF p = objectMapsPointOf(figure, area, maps->font(), maps, panel, s);
            left = std::min(left, p.x()), right = std::max(right, p.x());
            top = std::min(top, p.y()), bottom = std::max(bottom, p.y());
        }
        const QRectF extent(QPointF(left, top), QPointF(right, bottom));
        // Around the object drawn at the median height, a tenth of the map wide, wider until it holds a few.
        std::vector<std::pair<double, int>> byHeight;
        for (int s = 0; s < n; ++s)
            byHeight.push_back({objectMapsPointOf(figure, area, maps->font(), maps, panel, s).y(), s});
        std::sort(byHeight.begin(), byHeight.end());
        const QPointF middle =
            objectMapsPointOf(figure, area, maps->font(), maps, panel, byHeight[size_t(n / 2)].second);
        QRectF box;
        for (double share = 0.1; share < 0.6; share += 0.05) {
            box = QRectF(middle - QPointF(extent.width(), extent.height()) * share / 2,
                         QSizeF(extent.width(), extent.height()) * share);
            int inside = 0;
            for (int s = 0; s < n; ++s)
                inside += box.contains(objectMapsPointOf(figure, area, maps->font(), maps, panel, s));
            if (inside >= 5) break;
        }
        // The lasso is the box, drawn from a spot on its edge with no object on it (a press on an object
        // inspects it instead).
        const QPointF corners[4] = {box.topLeft(), box.topRight(), box.bottomRight(), box.bottomLeft()};
        QPolygonF lasso;
        for (int edge = 0; edge < 4 && lasso.isEmpty(); ++edge)
            for (double t = 0; t < 1 && lasso.isEmpty(); t += 0.02) {
                const QPointF at = corners[edge] + (corners[(edge + 1) % 4] - corners[edge]) * t;
                if (objectMapsObjectAt(figure, area, maps->font(), maps, at)) continue;
                lasso << at;
                for (int k = 1; k <= 4; ++k)
                    lasso << corners[(edge + k) % 4];
            }
        QVERIFY(!lasso.isEmpty());
        std::vector<int> expected; // every object drawn inside, counted here from where it is drawn
        for (int s = 0; s < n; ++s)
            if (box.contains(objectMapsPointOf(figure, area, maps->font(), maps, panel, s)))
                expected.push_back(s);
        QVERIFY2(expected.size() >= 2 && int(expected.size()) < n,
                 qPrintable(QString("%1 of %2 objects in the lasso").arg(expected.size()).arg(n)));
        QSignalSpy selected(maps, &ObjectMapsChart::selectionChanged);
        const auto send = [maps](QEvent::Type type, const QPointF& at, Qt::MouseButtons buttons) {
            QMouseEvent event(type, at, maps->mapToGlobal(at), Qt::LeftButton, buttons, Qt::NoModifier);
            QCoreApplication::sendEvent(maps, &event);
        };
        send(QEvent::MouseButtonPress, lasso[0], Qt::LeftButton);
        for (int vertex = 1; vertex <= lasso.size(); ++vertex)
            for (int step = 1; step <= 4; ++step) {
                const QPointF from = lasso[vertex - 1], to = lasso[vertex % lasso.size()];
                send(QEvent::MouseMove, from + (to - from) * (step / 4.0), Qt::LeftButton);
            }
        send(QEvent::MouseButtonRelease, lasso[0], Qt::NoButton);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(maps->selection(), expected);
        QCOMPARE(maps->figureData().selected, expected); // outlined in both maps
        QPushButton* button = page.selectionTripletsButton();
        QVERIFY(button->isEnabled());
        QVERIFY2(button->text().contains(QString::number(expected.size())), qPrintable(button->text()));
        QSignalSpy rows(&browser, &TripletBrowser::rowsReady);
        if (browser.visibleRows() == 0) QVERIFY(rows.wait(20000));
        rows.clear();
        button->click();
        QVERIFY(rows.wait(20000));
        const auto analysis = workbench.oddOneOut()->analysis();
        QCOMPARE(browser.objects(), std::vector<std::int32_t>(expected.begin(), expected.end()));
        QCOMPARE(browser.currentModel(), model);
        const TripletSet& triplets = *analysis->triplets;
        size_t listed = 0; // disagreements of the model with any selected object, repeats folded
        DisagreementFilter filter;
        filter.objects.assign(expected.begin(), expected.end());
        filter.objectMatch = ObjectMatch::Any;
        filter.foldRepeats = true;
        listed = findDisagreements(*analysis, size_t(model), filter).size();
        QVERIFY(listed > 0);
        QCOMPARE(browser.visibleRows(), int(listed));
        for (int row = 0; row < browser.visibleRows(); ++row) {
            const size_t t = size_t(browser.listModel()->tripletAt(row));
            bool any = false;
            for (int position = 0; position < 3; ++position)
                any = any || std::count(expected.begin(), expected.end(),
                                        triplets.indices[3 * t + size_t(position)]);
            QVERIFY(any);
        }
        // A click on an empty spot (the widget's corner) clears the selection.
        QVERIFY(!objectMapsObjectAt(maps->figureData(), area, maps->font(), maps, QPointF(2, 2)));
        send(QEvent::MouseButtonPress, QPointF(2, 2), Qt::LeftButton);
        send(QEvent::MouseButtonRelease, QPointF(2, 2), Qt::NoButton);
        QVERIFY(maps->selection().empty());
        QVERIFY(!button->isEnabled());
    }

    // The inspector's picture (the "object-inspector" figure): the object, its strongest concept dimensions
    // in order, and its ten neighbours under the chosen model and under people with the shared ones marked,
    // with images; choosing another model shows that model's neighbours.
    void inspectorPictureShowsNeighboursAndConcepts_data()
    {
        QTest::addColumn<int>("model");
        QTest::newRow("first model") << 0;
        QTest::newRow("second model") << 1;
    }
    void inspectorPictureShowsNeighboursAndConcepts()
    {
        QFETCH(int, model);
        Workbench workbench;
        ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
        QVERIFY(openDemo(workbench, page, true));
        const auto analysis = workbench.objectAlignment()->analysis();
        const auto result = workbench.objectAlignment()->result();
        page.inspector()->setFigureModel(model);
        const int object = page.inspector()->object();
        QVERIFY(object >= 0);
        const ObjectInspectorFigure figure = page.inspector()->exportedFigure();
        QVERIFY2(figure.message.isEmpty(), qPrintable(figure.message));
        QCOMPARE(figure.title, QString::fromStdString(analysis->stimuli->displayName(size_t(object))));
        QVERIFY(!figure.image.isNull()); // the demo's objects have images; the export decodes them
        QVERIFY(
            figure.facts.join(' ').contains(QString::fromStdString(analysis->models[size_t(model)].name)));
        // Concepts: the row's values above zero, largest first, at most six, under the dimensions' labels.
        const size_t d = size_t(result->conceptDims);
        QVERIFY(d > 0);
        std::vector<std::pair<float, size_t>> row;
        for (size_t k = 0; k < d; ++k)
            if (result->conceptValues[size_t(object) * d + k] > 0)
                row.push_back({result->conceptValues[size_t(object) * d + k], k});
        std::stable_sort(row.begin(), row.end(), [](auto a, auto b) { return a.first > b.first; });
        QCOMPARE(figure.concepts.size(), std::min<size_t>(row.size(), size_t(kInspectorConcepts)));
        QVERIFY(!figure.concepts.empty());
        for (size_t i = 0; i < figure.concepts.size(); ++i) {
            QCOMPARE(figure.concepts[i].value, double(row[i].first));
            QCOMPARE(figure.concepts[i].label,
                     QString::fromStdString(analysis->conceptLabels[row[i].second]));
        }
        // Neighbours: the controller's lists for this model, shared ones marked in both.
        const ObjectNeighbours& expected = result->neighbours[size_t(model)].objects[size_t(object)];
        QCOMPARE(figure.model.size(), expected.model.size());
        QCOMPARE(figure.human.size(), expected.human.size());
        int shared = 0;
        for (size_t i = 0; i < expected.model.size(); ++i) {
            QCOMPARE(figure.model[i].name,
                     QString::fromStdString(analysis->stimuli->displayName(size_t(expected.model[i]))));
            const bool both = std::count(expected.human.begin(), expected.human.end(), expected.model[i]) > 0;
            QCOMPARE(figure.model[i].shared, both);
            QVERIFY(!figure.model[i].image.isNull());
            shared += both;
        }
        for (size_t i = 0; i < expected.human.size(); ++i)
            QCOMPARE(figure.human[i].shared,
                     std::count(expected.model.begin(), expected.model.end(), expected.human[i]) > 0);
        QCOMPARE(shared, int(expected.shared));
        QVERIFY(figure.modelHeading.contains(QString::fromStdString(analysis->models[size_t(model)].name)));
    }

    // Hovering a point of the scatter shows the object's image with its name (a rich-text tooltip).
    void scatterHoverShowsTheObjectsImage()
    {
        Workbench workbench;
        ObjectsPage page(workbench.session(), workbench.tasks(), workbench.objectAlignment());
        QVERIFY(openDemo(workbench, page));
        page.resize(1400, 900);
        page.findChild<QTabWidget*>("objectSide")->setCurrentWidget(page.scatter()->parentWidget());
        QTRY_VERIFY(page.scatter()->isVisible() && page.scatter()->width() > 200);
        const PopulationFigureData& figure = page.scatter()->figureData();
        QVERIFY(!figure.points.empty());
        const auto analysis = workbench.objectAlignment()->analysis();
        const PopulationPlotLayout layout = populationPlotLayout(figure, QRectF(page.scatter()->rect()),
                                                                 page.scatter()->font(), page.scatter());
        int checked = 0;
        for (const PopulationPoint& point : figure.points) {
            const QPointF at(layout.mapX(point.x, figure.logX), layout.mapY(point.y));
            if (page.scatter()->hitAt(at).model != point.modelIndex) continue; // hidden under another point
            const QString tip = page.scatterToolTipAt(at);
            const QString image =
                QUrl::fromLocalFile(
                    QString::fromStdString(analysis->stimuli->imagePaths[size_t(point.modelIndex)]))
                    .toString(QUrl::FullyEncoded)
                    .toHtmlEscaped();
            QVERIFY2(tip.contains("<img src=\"" + image + "\""), qPrintable(tip));
            QVERIFY2(tip.contains(point.model.toHtmlEscaped()), qPrintable(tip));
            if (++checked == 5) break;
        }
        QCOMPARE(checked, 5);
        QVERIFY(page.scatterToolTipAt(QPointF(-10, -10)).isEmpty());
    }
};

QTEST_MAIN(TestObjectMaps)
#include "tst_object_maps.moc"
