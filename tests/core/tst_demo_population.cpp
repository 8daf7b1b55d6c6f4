// The demo population: results computed by the core's analysis from simulated models, read back through
// ModelPopulation and the model table; the statistics must find the planted factor (training data) and not
// the factors planted as null (family, size, parameter count), and no model may capture the uncaptured
// concept.
#include "test_support.h"

#include "alignscope/demo_data.h"
#include "alignscope/demo_population.h"
#include "alignscope/metric_key.h"
#include "alignscope/model_population.h"
#include "alignscope/population_stats.h"

#include <QTemporaryDir>

#include <cmath>

using namespace alignscope;

class TestDemoPopulation : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ModelPopulation m_population;
    ModelMetadata m_metadata;
    MetadataMatch m_match;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto demo = generateDemoDataset(m_dir.filePath("demo").toStdString());
        QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().message().c_str());
        auto population = generateDemoPopulation(*demo);
        QVERIFY2(population.ok(), population.ok() ? "" : population.error().message().c_str());
        QVERIFY(population->models.size() >= 12);
        auto read = readPopulationResults(population->results, m_population);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().message().c_str());
        auto metadata = loadModelMetadata(population->metadata);
        QVERIFY2(metadata.ok(), metadata.ok() ? "" : metadata.error().message().c_str());
        m_metadata = std::move(metadata).value();
        m_match = matchModelsToMetadata(m_metadata, m_population.models);
        QCOMPARE(m_population.models, population->models);
        QVERIFY(m_match.unmatchedModels.empty());
        QVERIFY(m_match.unusedRows.empty());
    }

    void accuraciesAreComputedResults()
    {
        const std::vector<double> accuracy = m_population.column("accuracy");
        for (size_t m = 0; m < accuracy.size(); ++m) {
            QVERIFY2(accuracy[m] > 0.36 && accuracy[m] < 0.75, m_population.models[m].c_str());
            const auto interval = m_population.interval(m_population.models[m], "accuracy");
            QVERIFY(interval && interval->low < accuracy[m] && accuracy[m] < interval->high);
        }
        QCOMPARE(int(m_population.conceptLabels().size()), int(demoPropertyNames().size()));
    }

    void factorsFoundOrNot_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<bool>("planted");
        QTest::newRow("training data drives alignment") << QString(kDemoPlantedFactor) << true;
        QTest::newRow("family does not") << "family" << false;
        QTest::newRow("size does not") << "size" << false;
    }
    void factorsFoundOrNot()
    {
        QFETCH(QString, column);
        QFETCH(bool, planted);
        const std::vector<std::string> levels = metadataLevels(m_metadata, m_match, column.toStdString());
        auto factor = factorOverModels(m_population.column("accuracy"), levels, {1000, 10000, 7});
        QVERIFY(factor.ok());
        QVERIFY(factor->pValue);
        if (planted) {
            QVERIFY2(*factor->pValue < 0.001, qPrintable(QString::number(*factor->pValue)));
            QVERIFY(factor->etaSquared > 0.5);
        } else {
            QVERIFY2(*factor->pValue > 0.05, qPrintable(QString::number(*factor->pValue)));
        }
    }

    void parameterCountDoesNotCorrelate()
    {
        const std::vector<double> parameters = metadataNumbers(m_metadata, m_match, "parameters");
        const MetadataColumn* column = m_metadata.column("parameters");
        QVERIFY(column && column->numeric && column->logScaleSuggested); // 5e6 to 1.6e9
        auto spearman = spearmanOverModels(parameters, m_population.column("accuracy"), {1000, 10000, 7});
        QVERIFY(spearman.ok());
        QVERIFY(spearman->pValue);
        QVERIFY2(*spearman->pValue > 0.05, qPrintable(QString::number(*spearman->pValue)));
    }

    void uncapturedConceptNearChanceForEveryModel()
    {
        const std::vector<double> striped =
            m_population.column(metricName(MetricKey::conceptAccuracy(kDemoUncapturedConcept)));
        const std::vector<double> overall = m_population.column("accuracy");
        QCOMPARE(striped.size(), overall.size());
        for (size_t m = 0; m < striped.size(); ++m)
            QVERIFY2(striped[m] < overall[m] - 0.05,
                     qPrintable(QString("%1: %2 vs %3")
                                    .arg(QString::fromStdString(m_population.models[m]))
                                    .arg(striped[m])
                                    .arg(overall[m])));
    }

    void reusesTheWrittenPopulation()
    {
        auto demo = generateDemoDataset(m_dir.filePath("demo").toStdString());
        QVERIFY(demo.ok());
        const QString results = m_dir.filePath("demo/population/results.json");
        const auto before = QFileInfo(results).lastModified();
        auto again = generateDemoPopulation(*demo);
        QVERIFY(again.ok());
        QCOMPARE(QFileInfo(results).lastModified(), before);
    }
};

QTEST_GUILESS_MAIN(TestDemoPopulation)
#include "tst_demo_population.moc"
