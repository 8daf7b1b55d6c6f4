// Display names: every model, dataset and concept space has a readable default name (the file's stem;
// datasets and concept spaces with spaces for underscores), a name typed into the Results table replaces it
// in the analyses, figures, CSV tables and a saved project, and a name already taken is refused.
#include "test_support.h"
#include "ui_test_support.h"

#include "alignscope/demo_data.h"
#include "alignscope/npy.h"
#include "controllers/odd_one_out_controller.h"
#include "controllers/population_controller.h"
#include "controllers/rsa_controller.h"
#include "export/figure_registry.h"
#include "export/table_export.h"
#include "pages/model_table_model.h"
#include "pages/results_page.h"
#include "session/project_file.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTableView>
#include <QTemporaryDir>
#include <algorithm>

using namespace alignscope;

class TestDisplayNames : public QObject
{
    Q_OBJECT

private:
    // Opens the saved project `folder` into `reopened` and waits for its analyses.
    static void reopenProject(const QString& folder, Workbench& reopened)
    {
        ProjectData project;
        QStringList notes;
        QCOMPARE(openProject(folder, &project, &notes), QString());
        reopened.applyProject(project, &notes);
        QVERIFY(testsupport::waitSettled(reopened, 120000));
    }

    QTemporaryDir m_dir;
    std::optional<DemoDataset> m_demo;

    // The demo's files without its CNN: two feature models, the concept space and the similarity ratings.
    bool openDemoFiles(Workbench& workbench) const
    {
        const QString concepts = QString::fromStdString(m_demo->conceptSpace);
        workbench.session()->setConceptPath(concepts);
        QStringList paths{QString::fromStdString(m_demo->folder), concepts};
        for (const std::string& model : m_demo->featureModels)
            paths << QString::fromStdString(model);
        paths << QString::fromStdString(m_demo->humanSubset);
        workbench.open(paths);
        return testsupport::waitSettled(workbench, 120000) && workbench.oddOneOut()->analysis();
    }

    static QStringList modelNames(const Workbench& workbench)
    {
        QStringList names;
        for (const ModelAnalysis& model : workbench.oddOneOut()->analysis()->models)
            names << QString::fromStdString(model.name);
        return names;
    }

    static QString pdfText(const QString& pdf)
    {
        QProcess text;
        text.start("pdftotext", {"-layout", pdf, "-"});
        if (!text.waitForFinished(30000) || text.exitCode() != 0) return {};
        return QString::fromUtf8(text.readAllStandardOutput());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY((m_demo = testsupport::demoInTemporaryFolder(m_dir))); }

    void defaultNamesAreReadable_data()
    {
        QTest::addColumn<QString>("file"); // under the demo folder
        QTest::addColumn<QString>("name");
        QTest::newRow("a model: the file's stem") << "models/colour_histogram.npy"
                                                  << "colour_histogram";
        QTest::newRow("another model") << "models/shape_moments.npy"
                                       << "shape_moments";
        QTest::newRow("the concept space: underscores become spaces") << "concept_space.npy"
                                                                      << "concept space";
        QTest::newRow("human ratings: underscores become spaces") << "human/similarity_ratings.npy"
                                                                  << "similarity ratings";
    }
    void defaultNamesAreReadable()
    {
        QFETCH(QString, file);
        QFETCH(QString, name);
        Workbench workbench;
        QVERIFY(openDemoFiles(workbench));
        const SessionItem* item = workbench.session()->itemAtPath(m_dir.filePath("demo/" + file));
        QVERIFY2(item, qPrintable(file));
        QCOMPARE(item->modelName(), name);
        // The analyses say the same name: a model's results, or the RSA dataset it is part of.
        QStringList datasets;
        for (const auto& analysis : workbench.rsa()->analyses())
            datasets << QString::fromStdString(analysis->dataset);
        QVERIFY2(modelNames(workbench).contains(name) ||
                     datasets.filter(name).size() == 1 && datasets.filter(file.section('/', -1)).isEmpty(),
                 qPrintable(modelNames(workbench).join(", ") + " | " + datasets.join(", ")));
    }

    // Extracted and probed features are named after their model ("demo_cnn", "demo_cnn + probe"), not after
    // the job that made them.
    void madeFeaturesAreNamedAfterTheirModel()
    {
        Session session;
        LoadedItem model; // the TorchScript file itself shares the name: analyses never see it
        model.kind = LoadedItem::Kind::Model;
        model.path = "/models/demo_cnn.pt";
        QVERIFY(session.add(model) > 0);
        LoadedItem extracted;
        extracted.kind = LoadedItem::Kind::Matrix;
        extracted.path = "/models/demo_cnn forward 0 (job 1)";
        extracted.name = "demo_cnn";
        auto matrix = std::make_shared<LoadedMatrix>();
        matrix->array = makeFloat32Array({2, 2}, {1, 0, 0, 1});
        extracted.matrix = matrix;
        const int first = session.add(extracted, Session::Origin::Computed);
        QCOMPARE(session.item(first)->modelName(), QString("demo_cnn"));
        extracted.path = "/models/demo_cnn forward 0 (job 2)";
        const int second = session.add(extracted, Session::Origin::Computed);
        QCOMPARE(session.item(second)->modelName(), QString("demo_cnn (2)")); // names stay unique
    }

    void renamedInTheResultsTable_data()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("analysis and table") << "table";
        QTest::newRow("exported figure (PDF text)") << "figure";
        QTest::newRow("CSV and LaTeX tables") << "csv";
        QTest::newRow("saved and reopened project") << "project";
    }
    void renamedInTheResultsTable()
    {
        QFETCH(QString, where);
        const QString renamed = QStringLiteral("Shape moments (Hu)");
        Workbench workbench;
        FigureRegistry figures;
        ResultsPage page(workbench.oddOneOut(), &figures);
        QVERIFY(openDemoFiles(workbench));
        QAbstractItemModel* table = page.table()->model();
        int row = -1;
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->index(r, 0).data().toString() == "shape_moments") row = r;
        QVERIFY(row >= 0);
        QVERIFY(table->flags(table->index(row, 0)) & Qt::ItemIsEditable);
        QVERIFY(table->setData(table->index(row, 0), renamed, Qt::EditRole));
        QVERIFY(testsupport::waitSettled(workbench, 120000));
        QVERIFY2(modelNames(workbench).contains(renamed), qPrintable(modelNames(workbench).join(", ")));
        QVERIFY(!modelNames(workbench).contains("shape_moments"));
        // A name another model has is refused and changes nothing.
        int other = -1;
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->index(r, 0).data().toString() == "colour_histogram") other = r;
        QVERIFY(other >= 0);
        QVERIFY(!table->setData(table->index(other, 0), renamed, Qt::EditRole));
        QTemporaryDir out;
        if (where == "table") {
            QStringList shown;
            for (int r = 0; r < table->rowCount(); ++r)
                shown << table->index(r, 0).data().toString();
            QVERIFY2(shown.contains(renamed) && shown.contains("colour_histogram"),
                     qPrintable(shown.join(", ")));
        } else if (where == "figure") {
            QStringList errors, notes;
            const QStringList written =
                figures.exportFigures(out.path(), {"results-table"}, {"pdf"}, FigureStyle{}, &errors, &notes);
            QVERIFY2(written.size() == 1, qPrintable(errors.join('\n')));
            const QString text = pdfText(written.front());
            if (text.isEmpty()) QSKIP("pdftotext (poppler-utils) is not installed");
            // A cell may wrap the name, at its spaces only: every word of it is there whole.
            const QStringList words = text.split(QRegularExpression("\\s+"), Qt::SkipEmptyParts);
            for (const QString& word : renamed.split(' '))
                QVERIFY2(words.contains(word), qPrintable(word + " not in:\n" + text));
            QVERIFY2(!text.contains("shape_moments"), qPrintable(text));
        } else if (where == "csv") {
            QStringList errors;
            const QStringList written = exportTables(workbench.oddOneOut()->analysis().get(),
                                                     workbench.rsa()->analyses(), out.path(), &errors);
            QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
            for (const QString& name : {"results-ooo.csv", "results-ooo.tex", "results-rsa.csv"}) {
                QFile file(out.filePath(name));
                QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(name));
                const QString text = QString::fromUtf8(file.readAll());
                QVERIFY2(text.contains(renamed) && !text.contains("shape_moments"),
                         qPrintable(name + ":\n" + text));
            }
        } else {
            const QString folder = out.filePath("named.alignscope");
            QCOMPARE(saveProject(workbench.toProject(), folder), QString());
            Workbench reopened;
            reopenProject(folder, reopened);
            if (QTest::currentTestFailed()) return;
            QVERIFY(reopened.oddOneOut()->analysis());
            QVERIFY2(modelNames(reopened).contains(renamed), qPrintable(modelNames(reopened).join(", ")));
            const SessionItem* item =
                reopened.session()->itemAtPath(QString::fromStdString(m_demo->featureModels.back()));
            QVERIFY(item);
            QCOMPARE(item->modelName(), renamed);
        }
    }

    // The Compare page's model table: a row that names a workspace model renames the model with it (its
    // display name everywhere), so the row stays matched; a name another model has is refused.
    void renamedInTheModelTable()
    {
        const QString renamed = QStringLiteral("Shape moments (Hu)");
        Workbench workbench;
        QVERIFY(openDemoFiles(workbench));
        PopulationController* population = workbench.population();
        ModelTableModel table(population);
        population->addRowsForUnmatchedModels(); // a row per workspace model
        QVERIFY(population->match().unmatchedModels.empty());
        int row = -1, other = -1;
        for (int r = 0; r < table.rowCount(); ++r) {
            const QString name = table.index(r, 0).data().toString();
            if (name == "shape_moments") row = r;
            if (name == "colour_histogram") other = r;
        }
        QVERIFY(row >= 0 && other >= 0);
        QVERIFY(table.setData(table.index(row, 0), renamed, Qt::EditRole));
        QVERIFY(testsupport::waitSettled(workbench, 120000));
        QVERIFY2(modelNames(workbench).contains(renamed), qPrintable(modelNames(workbench).join(", ")));
        QVERIFY(!modelNames(workbench).contains("shape_moments"));
        const ModelPopulation& models = population->population();
        const auto at = std::find(models.models.begin(), models.models.end(), renamed.toStdString());
        QVERIFY(at != models.models.end());
        QCOMPARE(population->match().rowForModel[size_t(at - models.models.begin())], row); // still matched
        QVERIFY(population->match().unmatchedModels.empty());
        // Another model's name: refused, both tables as they were.
        QVERIFY(!table.setData(table.index(other, 0), renamed, Qt::EditRole));
        QVERIFY(testsupport::waitSettled(workbench, 120000));
        QVERIFY(modelNames(workbench).contains("colour_histogram"));
        QCOMPARE(table.index(other, 0).data().toString(), QString("colour_histogram"));
    }

    // A project saved before names existed opens with the default names.
    void projectWithoutNamesOpens()
    {
        Workbench workbench;
        QVERIFY(openDemoFiles(workbench));
        QTemporaryDir out;
        const QString folder = out.filePath("old.alignscope");
        QCOMPARE(saveProject(workbench.toProject(), folder), QString());
        QFile json(folder + "/project.json");
        QVERIFY(json.open(QIODevice::ReadOnly));
        QByteArray text = json.readAll();
        json.close();
        QVERIFY(!text.contains("\"names\"")); // nothing renamed: nothing written
        Workbench reopened;
        reopenProject(folder, reopened);
        if (QTest::currentTestFailed()) return;
        QVERIFY(modelNames(reopened).contains("shape_moments"));
    }
};

QTEST_MAIN(TestDisplayNames)
#include "tst_display_names.moc"
