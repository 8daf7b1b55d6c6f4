// Compare page on the demo population, built on its own (a PopulationController, a TaskRunner, a
// FigureRegistry; no MainWindow): every view draws what the selection asks for, the statistics beside it come
// from a worker and find the planted effect, a heatmap click names its model and concept, and the page's
// figures export.
#include "test_support.h"

#include "alignscope/demo_data.h"
#include "alignscope/demo_population.h"
#include "charts/concept_model_heatmap.h"
#include "charts/population_chart.h"
#include "controllers/population_controller.h"
#include "export/figure_registry.h"
#include "export/table_export.h"
#include "pages/compare_page.h"
#include "pages/compare_tables.h"
#include "session/task_runner.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

using namespace alignscope;

class TestComparePage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<DemoPopulation> m_demo;

    struct Fixture
    {
        TaskRunner tasks;
        PopulationController controller{&tasks, nullptr};
        FigureRegistry figures;
        ComparePage page{&controller, &figures};
    };

    // The page with the demo population and its model table loaded through the controller.
    std::unique_ptr<Fixture> loaded()
    {
        auto fixture = std::make_unique<Fixture>();
        fixture->controller.setOptions({200, 2000, 3});
        QSignalSpy changed(&fixture->controller, &PopulationController::populationChanged);
        fixture->controller.addResults({QString::fromStdString(m_demo->results)});
        if (!changed.wait(10000)) return nullptr;
        fixture->controller.setMetadata(QString::fromStdString(m_demo->metadata));
        if (!changed.wait(10000)) return nullptr;
        return fixture;
    }

    static bool statisticsArrive(Fixture& f)
    {
        QSignalSpy ready(&f.controller, &PopulationController::statisticsChanged);
        return ready.wait(20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto demo = generateDemoDataset(m_dir.filePath("demo").toStdString());
        QVERIFY(demo.ok());
        auto population = generateDemoPopulation(*demo);
        QVERIFY(population.ok());
        m_demo = *population;
    }

    void viewsShowTheSelection_data()
    {
        QTest::addColumn<int>("view");
        QTest::addColumn<QString>("y");
        QTest::addColumn<QString>("x");
        QTest::addColumn<QString>("groupBy");
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("groups");
        QTest::addColumn<bool>("identity");
        QTest::addColumn<QString>("statistic"); // in the statistics text
        QTest::newRow("accuracy against parameters, by training data")
            << int(PopulationView::Scatter) << "accuracy"
            << "parameters" << kDemoPlantedFactor << 18 << 2 << false << "Spearman";
        QTest::newRow("concept accuracy against accuracy: identity line")
            << int(PopulationView::Scatter) << "concept:round"
            << "accuracy"
            << "" << 18 << 0 << true << "Pearson";
        QTest::newRow("by training data: planted effect")
            << int(PopulationView::ByFactor) << "accuracy"
            << "" << kDemoPlantedFactor << 18 << 2 << false << "η²";
        QTest::newRow("by family") << int(PopulationView::ByFactor) << "normalized_score"
                                   << ""
                                   << "family" << 18 << 3 << false << "η²";
    }
    void viewsShowTheSelection()
    {
        QFETCH(int, view);
        QFETCH(QString, y);
        QFETCH(QString, x);
        QFETCH(QString, groupBy);
        QFETCH(int, points);
        QFETCH(int, groups);
        QFETCH(bool, identity);
        QFETCH(QString, statistic);
        auto f = loaded();
        QVERIFY(f);
        PopulationSelection selection;
        selection.view = PopulationView(view);
        selection.y = y;
        selection.x = x;
        selection.groupBy = groupBy;
        f->page.setSelection(selection);
        QCOMPARE(f->page.selection().y, y);
        const PopulationFigureData& figure = f->page.chart()->figureData();
        QVERIFY2(figure.message.isEmpty(), qPrintable(figure.message));
        QCOMPARE(int(figure.points.size()), points);
        QCOMPARE(int(figure.groups.size()), groups);
        QCOMPARE(figure.identityLine, identity);
        // The demo's results carry their fingerprint: nothing to warn about.
        QVERIFY2(f->page.warningText().isEmpty(), qPrintable(f->page.warningText()));
        QVERIFY(statisticsArrive(*f));
        QVERIFY2(f->page.statisticsText().contains(statistic), qPrintable(f->page.statisticsText()));
        QVERIFY(f->page.statisticsText().contains("2000 permutations"));
        QVERIFY(f->page.statisticsText().contains("seed 3"));
    }

    void plantedFactorIsSignificantOnThePage()
    {
        auto f = loaded();
        QVERIFY(f);
        PopulationSelection selection;
        selection.view = PopulationView::ByFactor;
        selection.groupBy = kDemoPlantedFactor;
        f->page.setSelection(selection);
        QVERIFY(statisticsArrive(*f));
        const auto& statistics = f->controller.statistics();
        QVERIFY(statistics && statistics->factor && statistics->factor->pValue);
        QVERIFY(*statistics->factor->pValue < 0.01);
        // The plot shows each group's mean and interval once the statistics are in.
        const PopulationFigureData& figure = f->page.chart()->figureData();
        QCOMPARE(figure.groupMean.size(), size_t(2));
        for (const GroupSummary& group : statistics->factor->groups) {
            const int g = int(figure.groups.indexOf(QString::fromStdString(group.level)));
            QVERIFY(g >= 0);
            QCOMPARE(figure.groupMean[size_t(g)], group.mean);
            QCOMPARE(figure.groupLow[size_t(g)], group.ci95->low);
        }
        // A click on a point names the model beside the plot and rings it.
        f->page.resize(1100, 700);
        PopulationChart* chart = f->page.chart();
        QPoint at;
        int index = -1;
        for (int y = 0; y < chart->height() && index < 0; y += 2)
            for (int x = 0; x < chart->width() && index < 0; x += 2)
                if ((index = chart->hitAt(QPointF(x, y)).model) >= 0) at = QPoint(x, y);
        QVERIFY(index >= 0 && size_t(index) < f->controller.population().models.size());
        const QString hit = QString::fromStdString(f->controller.population().models[size_t(index)]);
        QTest::mouseClick(chart, Qt::LeftButton, {}, at);
        QCOMPARE(chart->figureData().highlighted, hit);
        QVERIFY2(f->page.statisticsText().contains(hit), qPrintable(f->page.statisticsText()));
        selection.groupBy = "size";
        f->page.setSelection(selection);
        QVERIFY(statisticsArrive(*f));
        QVERIFY(*f->controller.statistics()->factor->pValue > 0.05);
    }

    void heatmapShowsUncapturedConceptAndClicksNameTheCell()
    {
        auto f = loaded();
        QVERIFY(f);
        PopulationSelection selection;
        selection.view = PopulationView::Concepts;
        selection.groupBy = kDemoPlantedFactor;
        f->page.setSelection(selection);
        f->page.resize(1100, 700);
        const PopulationFigureData& figure = f->page.chart()->figureData();
        QVERIFY2(figure.message.isEmpty(), qPrintable(figure.message));
        QCOMPARE(int(figure.concepts.size()), int(demoPropertyNames().size()));
        QCOMPARE(int(figure.columns.size()), 18);
        QCOMPARE(figure.summaryColumns, 2);
        // Columns are grouped: the group index never decreases from left to right.
        for (size_t c = 1; c < figure.columnGroup.size(); ++c)
            QVERIFY(figure.columnGroup[c] >= figure.columnGroup[c - 1]);
        // The uncaptured concept has the lowest mean in every group's summary column.
        const int striped = int(figure.concepts.indexOf(kDemoUncapturedConcept));
        QVERIFY(striped >= 0);
        for (int s = 0; s < figure.summaryColumns; ++s)
            for (int c = 0; c < figure.concepts.size(); ++c)
                if (c != striped)
                    QVERIFY(figure.cell(striped, int(figure.columns.size()) + s) <
                            figure.cell(c, int(figure.columns.size()) + s));
        // A click somewhere in the cells names a model column and a concept row.
        QSignalSpy clicked(&f->page, &ComparePage::showModelConcept);
        PopulationChart* chart = f->page.chart();
        std::optional<HeatmapCell> cell;
        QPoint at;
        for (int y = 0; y < chart->height() && !cell; y += 4)
            for (int x = 0; x < chart->width() && !cell; x += 4)
                if ((cell = conceptModelHeatmapCellAt(figure, QRectF(chart->rect()), chart->font(), chart,
                                                      QPointF(x, y))))
                    at = QPoint(x, y);
        QVERIFY(cell);
        QTest::mouseClick(chart, Qt::LeftButton, {}, at);
        // It reports the population's indices of the column's model and the row's concept.
        QCOMPARE(clicked.count(), 1);
        const int model = clicked.front().at(0).toInt(), concept = clicked.front().at(1).toInt();
        const ModelPopulation& population = f->controller.population();
        QCOMPARE(model, figure.columnModels[size_t(cell->column)]);
        QCOMPARE(QString::fromStdString(population.models[size_t(model)]), figure.columns[cell->column]);
        QCOMPARE(concept, cell->concept);
        QCOMPARE(QString::fromStdString(population.conceptLabels()[size_t(concept)]),
                 figure.concepts[cell->concept]);
    }

    void heatmapModelsSortedOrClustered()
    {
        auto f = loaded();
        QVERIFY(f);
        PopulationSelection selection;
        selection.view = PopulationView::Concepts;
        selection.modelOrder = "parameters";
        f->page.setSelection(selection);
        QCOMPARE(f->page.selection().modelOrder, QString("parameters"));
        const MetadataColumn* parameters = f->controller.metadata().column("parameters");
        auto parametersOf = [&](const QString& model) {
            const auto& models = f->controller.metadata().models;
            return parameters->number[size_t(std::find(models.begin(), models.end(), model.toStdString()) -
                                             models.begin())];
        };
        const QStringList sorted = f->page.chart()->figureData().columns;
        QCOMPARE(sorted.size(), 18);
        for (int c = 1; c < sorted.size(); ++c)
            QVERIFY(parametersOf(sorted[c - 1]) <= parametersOf(sorted[c]));
        selection.modelOrder = "cluster";
        f->page.setSelection(selection);
        const QStringList clustered = f->page.chart()->figureData().columns;
        QCOMPARE(QSet<QString>(clustered.begin(), clustered.end()),
                 QSet<QString>(sorted.begin(), sorted.end()));
        QVERIFY(clustered != sorted);
        f->page.setSelection(selection); // deterministic
        QCOMPARE(f->page.chart()->figureData().columns, clustered);
    }

    void workspaceRsaJoinsAsAResult()
    {
        TaskRunner tasks;
        PopulationController controller(&tasks, nullptr);
        auto analysis = std::make_shared<RsaAnalysis>();
        analysis->dataset = "ratings";
        RsaModelResult model;
        model.name = "cnn";
        model.r = 0.42;
        model.ci95 = RsaInterval{0.30, 0.50};
        analysis->models.push_back(model);
        controller.setWorkspaceRsa({analysis});
        QCOMPARE(controller.population().value("cnn", "rsa_r@ratings").value_or(0), 0.42);
        QCOMPARE(controller.population().interval("cnn", "rsa_r@ratings")->low, 0.30);
        QCOMPARE(metricLabel("rsa_r@ratings"), QString("RSA r: ratings"));
    }

    void differenceFromMeanIsCentred()
    {
        auto f = loaded();
        QVERIFY(f);
        PopulationSelection selection;
        selection.view = PopulationView::Concepts;
        selection.conceptValues = ConceptValues::FromAcrossModelMean;
        f->page.setSelection(selection);
        const PopulationFigureData& figure = f->page.chart()->figureData();
        QVERIFY(figure.diverging);
        QCOMPARE(figure.low, -figure.high);
        for (int c = 0; c < figure.concepts.size(); ++c) {
            double sum = 0;
            for (int m = 0; m < figure.columns.size(); ++m)
                sum += figure.cell(c, m);
            QVERIFY(std::fabs(sum / double(figure.columns.size())) < 1e-9);
        }
    }

    void transferShowsZeroShotToTransformed()
    {
        auto f = loaded();
        QVERIFY(f);
        f->controller.setWorkspaceTransfer({{"cnn", "odd-one-out accuracy", 0.40, 0.45},
                                            {"cnn", "RSA r: ratings", 0.10, 0.05},
                                            {"vit", "RSA r: ratings", 0.20, 0.30}});
        PopulationSelection selection;
        selection.view = PopulationView::Transfer;
        f->page.setSelection(selection);
        const PopulationFigureData& figure = f->page.chart()->figureData();
        QVERIFY2(figure.message.isEmpty(), qPrintable(figure.message));
        QCOMPARE(figure.transferRows, QStringList({"cnn", "vit"}));
        QCOMPARE(figure.transferColumns, QStringList({"odd-one-out accuracy", "RSA r: ratings"}));
        QCOMPARE(figure.zeroShot[1], 0.10);
        QCOMPARE(figure.transformed[1], 0.05);
        QVERIFY(std::isnan(figure.zeroShot[2])); // vit has no odd-one-out cell
        QCOMPARE(figure.high, 0.10);             // the largest change sets the colour scale
        QCOMPARE(f->page.chart()->hitAt(QPointF(10, 10)).model, -1);
        // Probe jobs of merged batch results: zero-shot and cross-validated accuracy of one dataset/variant.
        ModelPopulation batch;
        QVERIFY(batch.add("resnet", "zero_shot_accuracy@things/lambda=0.1", 0.41, "merged.json"));
        QVERIFY(batch.add("resnet", "cv_accuracy@things/lambda=0.1", 0.52, "merged.json"));
        QVERIFY(batch.add("clip", "zero_shot_accuracy@things/lambda=0.1", 0.44, "merged.json"));
        const std::vector<TransferCell> cells = transferCellsFromMetrics(batch);
        QCOMPARE(int(cells.size()), 1); // clip has no cross-validated accuracy
        QCOMPARE(cells.front().model, QString("resnet"));
        QCOMPARE(cells.front().zeroShot, 0.41);
        QCOMPARE(cells.front().transformed, 0.52);
        QVERIFY(cells.front().analysis.contains("@things/lambda=0.1"));
    }

    void modelTableIsViewedEditedAndSaved()
    {
        auto f = loaded();
        QVERIFY(f);
        auto* model = f->page.modelTable()->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->rowCount(), 18);
        QCOMPARE(model->columnCount(), 5); // model, training_data, family, size, parameters
        QCOMPARE(model->headerData(4, Qt::Horizontal).toString(), QString("parameters (numeric, log)"));
        PopulationSelection selection;
        selection.view = PopulationView::ByFactor;
        selection.groupBy = "family";
        f->page.setSelection(selection);
        QCOMPARE(f->page.chart()->figureData().groups.size(), 3);
        // Relabel one model's family: a fourth group appears in the plot at once.
        int row = -1;
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->index(r, 0).data().toString() == "vit-large-web") row = r;
        QVERIFY(row >= 0);
        QVERIFY(model->setData(model->index(row, 2), "resnet-like"));
        QCOMPARE(f->controller.metadata().column("family")->text[size_t(row)], std::string("resnet-like"));
        QCOMPARE(f->page.chart()->figureData().groups.size(), 4);
        QVERIFY(f->controller.metadataEdited());
        // A duplicate name is refused with a message naming the row; the table is unchanged.
        QSignalSpy failed(&f->controller, &PopulationController::failed);
        QVERIFY(!model->setData(model->index(row, 0), model->index(0, 0).data()));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.front().front().toString().contains("row"));
        QCOMPARE(model->index(row, 0).data().toString(), QString("vit-large-web"));
        // Text in a numeric column makes it categorical (it can then group).
        QVERIFY(model->setData(model->index(0, 4), "unknown"));
        QVERIFY(!f->controller.metadata().column("parameters")->numeric);
        QVERIFY(f->controller.addMetadataColumn("objective"));
        QVERIFY(!f->controller.addMetadataColumn("objective"));
        QCOMPARE(model->columnCount(), 6);
        QTemporaryDir dir;
        const QString path = dir.filePath("edited.csv");
        QCOMPARE(f->controller.saveMetadata(path), QString());
        QVERIFY(!f->controller.metadataEdited());
        auto back = loadModelMetadata(path.toStdString());
        QVERIFY(back.ok());
        QCOMPARE(back->column("family")->text[size_t(row)], std::string("resnet-like"));
        QVERIFY(back->column("objective"));
        QCOMPARE(f->controller.metadataPath(), path);
    }

    void rowsForModelsWithoutOne()
    {
        TaskRunner tasks;
        PopulationController controller(&tasks, nullptr);
        FigureRegistry figures;
        ComparePage page(&controller, &figures);
        QSignalSpy changed(&controller, &PopulationController::populationChanged);
        controller.addResults({QString::fromStdString(m_demo->results)});
        QVERIFY(changed.wait(10000));
        QCOMPARE(int(controller.match().unmatchedModels.size()), 18); // no table yet
        controller.addRowsForUnmatchedModels();
        QVERIFY(controller.match().unmatchedModels.empty());
        QCOMPARE(page.modelTable()->model()->rowCount(), 18);
        QVERIFY(controller.addMetadataColumn("objective"));
        QVERIFY(controller.setMetadataCell(0, 1, "contrastive"));
        QCOMPARE(controller.metadata().column("objective")->text[0], std::string("contrastive"));
    }

    void unmatchedModelsAreListed()
    {
        TaskRunner tasks;
        PopulationController controller(&tasks, nullptr);
        FigureRegistry figures;
        ComparePage page(&controller, &figures);
        QTemporaryDir dir;
        testsupport::writeBytes(QDir(dir.path()), "models.csv",
                                "model,family\nconvnet-small-web,convnet\nnot-a-model,x\n");
        QSignalSpy changed(&controller, &PopulationController::populationChanged);
        controller.addResults({QString::fromStdString(m_demo->results)});
        QVERIFY(changed.wait(10000));
        controller.setMetadata(dir.filePath("models.csv"));
        QVERIFY(changed.wait(10000));
        QCOMPARE(int(controller.match().unmatchedModels.size()), 17);
        QCOMPARE(int(controller.match().unusedRows.size()), 1);
        const auto labels = page.findChildren<QLabel*>();
        bool listed = false;
        for (const QLabel* label : labels)
            listed |= label->text().contains("without a row in the model table") &&
                      label->text().contains("vit-large-web") &&
                      label->text().contains("1 table row(s) name no model");
        QVERIFY(listed);
    }

    // Results without a model table (THINGS with CLIP, word2vec and SPoSE: odd-one-out accuracy and
    // per-concept values only) open on a view that means something, never a result against itself, and the
    // "Against" chooser never offers the result chosen as y.
    void firstViewWithoutTableIsNeverAResultAgainstItself_data()
    {
        QTest::addColumn<QString>("results"); // empty: the demo population's results
        QTest::addColumn<int>("view");
        QTest::newRow("demo results, no model table") << QString() << int(PopulationView::Concepts);
        QTest::newRow("accuracy and per-concept values (THINGS-like)")
            << QStringLiteral(
                   R"({"models": [)"
                   R"({"name": "CLIP", "accuracy": 0.62, "per_concept": [{"label": "animal", "accuracy": 0.7},)"
                   R"( {"label": "food", "accuracy": 0.6}]},)"
                   R"({"name": "word2vec", "accuracy": 0.55, "per_concept": [{"label": "animal", "accuracy": 0.6},)"
                   R"( {"label": "food", "accuracy": 0.5}]},)"
                   R"({"name": "SPoSE", "accuracy": 0.64, "per_concept": [{"label": "animal", "accuracy": 0.66},)"
                   R"( {"label": "food", "accuracy": 0.69}]}]})")
            << int(PopulationView::Concepts);
        QTest::newRow("two results, no concepts")
            << QStringLiteral(R"({"models": [{"name": "a", "accuracy": 0.5, "normalized_score": 0.4},)"
                              R"({"name": "b", "accuracy": 0.6, "normalized_score": 0.7},)"
                              R"({"name": "c", "accuracy": 0.4, "normalized_score": 0.2}]})")
            << int(PopulationView::Scatter);
    }
    void firstViewWithoutTableIsNeverAResultAgainstItself()
    {
        QFETCH(QString, results);
        QFETCH(int, view);
        QTemporaryDir dir;
        const std::string path =
            results.isEmpty() ? m_demo->results
                              : testsupport::writeBytes(QDir(dir.path()), "results.json", results.toUtf8());
        TaskRunner tasks;
        PopulationController controller(&tasks, nullptr);
        FigureRegistry figures;
        ComparePage page(&controller, &figures);
        QSignalSpy changed(&controller, &PopulationController::populationChanged);
        controller.addResults({QString::fromStdString(path)});
        QVERIFY(changed.wait(10000));
        QVERIFY(controller.metadata().columns.empty());
        const PopulationSelection first = page.selection();
        QCOMPARE(int(first.view), view);
        QVERIFY2(first.view != PopulationView::Scatter || first.x != first.y, qPrintable(first.x));
        const PopulationFigureData& figure = page.chart()->figureData();
        QVERIFY2(figure.message.isEmpty(), qPrintable(figure.message));
        QVERIFY(!figure.identityLine || first.x != first.y);
        auto* y = page.findChild<QComboBox*>("compareY");
        auto* x = page.findChild<QComboBox*>("compareX");
        QVERIFY(y && x && y->count() > 0);
        for (int i = 0; i < y->count(); ++i) {
            y->setCurrentIndex(i);
            QVERIFY2(x->findData(y->itemData(i)) < 0,
                     qPrintable(y->itemData(i).toString() + " is offered against itself"));
            QVERIFY(page.selection().x != page.selection().y);
        }
    }

    void badResultsFileIsNamed()
    {
        TaskRunner tasks;
        PopulationController controller(&tasks, nullptr);
        QTemporaryDir dir;
        testsupport::writeBytes(QDir(dir.path()), "broken.json", "{\"models\": [{\"accuracy\": 0.5}]}");
        QSignalSpy failed(&controller, &PopulationController::failed);
        controller.addResults({dir.filePath("broken.json")});
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.front().front().toString().contains("broken.json"));
        QVERIFY(controller.population().empty());
    }

    void mixedResultsAreRefusedUnlessPooledAndThenSaidEverywhere()
    {
        TaskRunner tasks;
        PopulationController controller(&tasks, nullptr);
        controller.setOptions({50, 99, 1});
        FigureRegistry figures;
        ComparePage page(&controller, &figures);
        QTemporaryDir dir;
        const QByteArray ooo =
            R"({"models": [{"name": "%1a", "accuracy": 0.51, "normalized_score": 0.4},
                                   {"name": "%1b", "accuracy": 0.62, "normalized_score": 0.6},
                                   {"name": "%1c", "accuracy": 0.55, "normalized_score": 0.5}], "similarity": "%3",
                                   "fingerprint": {"triplets_sha256": "%2", "similarity": "%3"}})";
        auto file = [&](const char* name, const char* prefix, const char* sha, const char* similarity) {
            testsupport::writeBytes(
                QDir(dir.path()), name,
                QByteArray(ooo).replace("%1", prefix).replace("%2", sha).replace("%3", similarity));
            return dir.filePath(name);
        };
        testsupport::writeBytes(
            QDir(dir.path()), "old.json",
            R"({"models": [{"name": "old", "accuracy": 0.5}, {"name": "gone", "accuracy": null}]})");
        QSignalSpy changed(&controller, &PopulationController::populationChanged);
        controller.addResults({file("cosine.json", "c", "1111", "cosine"),
                               file("dot.json", "d", "1111", "dot"), dir.filePath("old.json")});
        QVERIFY(changed.wait(10000));
        PopulationSelection selection;
        selection.view = PopulationView::Scatter;
        selection.y = "accuracy";
        selection.x = "normalized_score";
        page.setSelection(selection);
        // Refused: no plot, no statistics, no tables; the page says what differs and where.
        QVERIFY(page.chart()->figureData().message.contains("similarities"));
        QSignalSpy ready(&controller, &PopulationController::statisticsChanged);
        page.setSelection(selection);
        QVERIFY(ready.wait(10000));
        QVERIFY2(page.statisticsText().contains("Not computed"), qPrintable(page.statisticsText()));
        const QString warning = page.warningText();
        QVERIFY2(warning.contains("Mixed results refused") && warning.contains("cosine.json") &&
                     warning.contains("dot.json") && warning.contains("old.json") &&
                     warning.contains("without a fingerprint") && warning.contains("gone: no finite value"),
                 qPrintable(warning));
        QTemporaryDir out;
        QStringList errors;
        QVERIFY(exportPopulationTables(populationTables(controller, page.selection()), out.path(), &errors)
                    .isEmpty());
        QVERIFY2(errors.join(' ').contains("not exported") &&
                     errors.join(' ').contains("similarities differ"),
                 qPrintable(errors.join('\n')));
        // Pooled on request: drawn, computed and exported, each saying so.
        auto* allow = page.findChild<QCheckBox*>("compareAllowMixed");
        QVERIFY(allow && allow->isVisibleTo(&page));
        allow->setChecked(true);
        QVERIFY(ready.wait(10000));
        const PopulationFigureData& figure = page.chart()->figureData();
        QVERIFY2(figure.message.isEmpty(), qPrintable(figure.message));
        QVERIFY2(figure.title.startsWith("Mixed results, similarities differ"), qPrintable(figure.title));
        QVERIFY(page.warningText().contains("Mixed results pooled"));
        errors.clear();
        const QStringList written =
            exportPopulationTables(populationTables(controller, page.selection()), out.path(), &errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        for (const QString& name : {"compare-models.csv", "compare-models.tex", "compare-methods.md"}) {
            QFile exported(QDir(out.path()).filePath(name));
            QVERIFY(exported.open(QIODevice::ReadOnly));
            QVERIFY2(exported.readAll().contains("WARNING: results were pooled although they differ"),
                     qPrintable(name));
        }
        QStringList figureErrors, notes;
        QVERIFY(!figures
                     .exportFigures(out.path(), {"compare-scatter"}, {"pdf"}, FigureStyle{}, &figureErrors,
                                    &notes)
                     .isEmpty());
        // Read from the PDF's text: an SVG carries its words as glyph outlines.
        QProcess pdfText;
        pdfText.start("pdftotext", {QDir(out.path()).filePath("compare-scatter.pdf"), "-"});
        if (!pdfText.waitForFinished(30000) || pdfText.exitCode() != 0)
            QSKIP("pdftotext (poppler-utils) is not installed");
        QVERIFY(pdfText.readAllStandardOutput().contains("Mixed results"));
    }

    // The Transfer view reads zero_shot_accuracy* and cv_accuracy*: probes on other triplets are not pooled
    // there either, and files without a fingerprint are listed.
    void transferRefusesProbesOfOtherTriplets()
    {
        TaskRunner tasks;
        PopulationController controller(&tasks, nullptr);
        FigureRegistry figures;
        ComparePage page(&controller, &figures);
        QTemporaryDir dir;
        const QByteArray row = "{\"job\": \"p\", \"model\": \"%1\", \"state\": \"done\", \"metric\": \"%3\", "
                               "\"dataset\": \"things\", \"value\": 0.5, \"triplets_sha256\": \"%2\", "
                               "\"similarity\": \"dot (standardized features)\"}";
        const QByteArray merged = "{\"format\": \"alignscope-batch-results-1\", \"rows\": [" +
                                  QByteArray(row).replace("%3", "zero_shot_accuracy") + ", " +
                                  QByteArray(row).replace("%3", "cv_accuracy") + "]}";
        auto file = [&](const char* name, const char* model, const char* sha) {
            testsupport::writeBytes(QDir(dir.path()), name,
                                    QByteArray(merged).replace("%1", model).replace("%2", sha));
            return dir.filePath(name);
        };
        QSignalSpy changed(&controller, &PopulationController::populationChanged);
        controller.addResults(
            {file("a.json", "resnet", "1111"), file("b.json", "clip", "2222"), file("old.json", "vit", "")});
        QVERIFY(changed.wait(10000));
        PopulationSelection selection;
        selection.view = PopulationView::Transfer;
        selection.y = "accuracy";
        const PoolingCheck check = controller.pooling(selection);
        QVERIFY(check.mixedResults());
        const QString mixed = QString::fromStdString(check.mixed.front());
        QVERIFY2(mixed.contains("a.json") && mixed.contains("b.json"), qPrintable(mixed));
        QCOMPARE(check.unfingerprinted, std::vector<std::string>{dir.filePath("old.json").toStdString()});
        page.setSelection(selection);
        QVERIFY2(page.chart()->figureData().message.contains("not pooled"),
                 qPrintable(page.chart()->figureData().message));
        QVERIFY2(page.warningText().contains("Mixed results refused") &&
                     page.warningText().contains("old.json"),
                 qPrintable(page.warningText()));
    }

    void tablesAndMethodsExport()
    {
        auto f = loaded();
        QVERIFY(f);
        PopulationSelection selection;
        selection.view = PopulationView::Scatter;
        selection.x = "concept:round";
        selection.groupBy = kDemoPlantedFactor;
        f->page.setSelection(selection);
        QVERIFY(statisticsArrive(*f));
        QTemporaryDir out;
        QStringList errors;
        const QStringList written =
            exportPopulationTables(populationTables(f->controller, f->page.selection()), out.path(), &errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join("\n")));
        QCOMPARE(written.size(), 5);
        auto text = [&](const QString& name) {
            QFile file(QDir(out.path()).filePath(name));
            return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
        };
        const QStringList models = text("compare-models.csv").trimmed().split('\n');
        QCOMPARE(models.size(), 19); // header and 18 models
        QVERIFY(
            models.front().startsWith("model,training_data,family,size,parameters,accuracy,accuracy 95% CI,"
                                      "concept:round"));
        const QString statistics = text("compare-statistics.csv");
        // The planted factor explains most of the variance (0.89 on the demo's test split).
        const QRegularExpression eta(QStringLiteral("^eta squared,training_data,(0\\.\\d+),"),
                                     QRegularExpression::MultilineOption);
        const QRegularExpressionMatch etaRow = eta.match(statistics);
        QVERIFY2(etaRow.hasMatch() && etaRow.captured(1).toDouble() > 0.8 &&
                     statistics.contains("Spearman rho"),
                 qPrintable(statistics));
        QVERIFY(text("compare-statistics.tex").contains("\\toprule"));
        const QString methods = text("compare-methods.md");
        QVERIFY(methods.contains("2000 permutations") && methods.contains("seed 3") &&
                methods.contains("Holm"));
    }

    void figuresExport()
    {
        auto f = loaded();
        QVERIFY(f);
        PopulationSelection selection;
        selection.x = "parameters";
        selection.groupBy = kDemoPlantedFactor;
        selection.logX = true;
        f->page.setSelection(selection);
        QTemporaryDir out;
        QStringList errors, notes;
        const QStringList written =
            f->figures.exportFigures(out.path(), {"compare-scatter", "compare-by-factor", "compare-concepts"},
                                     {"png", "svg", "pdf"}, FigureStyle{}, &errors, &notes);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join("\n")));
        QCOMPARE(written.size(), 9); // the transfer figure has no probe here: not written
        for (const QString& file : written)
            QVERIFY2(QFileInfo(file).size() > 1000, qPrintable(file));
    }
};

QTEST_MAIN(TestComparePage)
#include "tst_compare_page.moc"
