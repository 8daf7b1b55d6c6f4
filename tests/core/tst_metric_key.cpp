// Metric names: every kind reads back from the text it prints (datasets and concepts with '@', ':', '/' and
// spaces included), the text forms already in result files and CLI options read as before, and text that
// names no metric is an error naming it.
#include "alignscope/metric_key.h"

#include <QtTest>

using namespace alignscope;

Q_DECLARE_METATYPE(alignscope::MetricKey)

class TestMetricKey : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<MetricKey>("key");
        const MetricKind kinds[] = {MetricKind::Accuracy,
                                    MetricKind::AccuracyObjectsCi,
                                    MetricKind::NormalizedScore,
                                    MetricKind::NoiseCeiling,
                                    MetricKind::RsaR,
                                    MetricKind::RsaJobR,
                                    MetricKind::ZeroShotAccuracy,
                                    MetricKind::CvAccuracy,
                                    MetricKind::CvAccuracySd,
                                    MetricKind::ProbeLambda,
                                    MetricKind::ExtractedRows,
                                    MetricKind::ExtractedColumns};
        for (MetricKind kind : kinds) {
            const std::string name = metricKindName(kind);
            QTest::addRow("%s", name.c_str()) << MetricKey::of(kind);
            QTest::addRow("%s on a dataset", name.c_str()) << MetricKey::of(kind, "things");
            QTest::addRow("%s on a dataset and variant", name.c_str())
                << MetricKey::of(kind, "things", "ridge");
            QTest::addRow("%s with a variant only", name.c_str()) << MetricKey::of(kind, "", "ridge");
            QTest::addRow("%s on a dataset with '@', ':' and spaces", name.c_str())
                << MetricKey::of(kind, "a@b: human ratings", "v 1");
            QTest::addRow("%s on a dataset with '/' and no variant", name.c_str())
                << MetricKey::of(kind, "ratings/2024");
            QTest::addRow("%s on a dataset with '/' and a variant", name.c_str())
                << MetricKey::of(kind, "ratings/2024", "v");
        }
        QTest::newRow("a concept") << MetricKey::conceptAccuracy("food");
        QTest::newRow("a concept with '@', ':', '/' and spaces")
            << MetricKey::conceptAccuracy("made of: metal @ home / garden");
        QTest::newRow("a concept named like a metric") << MetricKey::conceptAccuracy("accuracy@things/ridge");
        QTest::newRow("a concept without a label") << MetricKey::conceptAccuracy("");
    }
    void roundTrip()
    {
        QFETCH(MetricKey, key);
        const auto parsed = parseMetricKey(metricName(key));
        QVERIFY2(parsed, parsed ? "" : parsed.error().message().c_str());
        QVERIFY2(*parsed == key, metricName(key).c_str());
    }

    // The text forms written before MetricKey (result files, --metric) read as the same metric.
    void wireFormsStay_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<MetricKey>("key");
        QTest::newRow("accuracy") << "accuracy" << MetricKey::of(MetricKind::Accuracy);
        QTest::newRow("normalized_score") << "normalized_score" << MetricKey::of(MetricKind::NormalizedScore);
        QTest::newRow("rsa_r@<dataset>") << "rsa_r@ratings" << MetricKey::of(MetricKind::RsaR, "ratings");
        QTest::newRow("concept:<label>") << "concept:food" << MetricKey::conceptAccuracy("food");
        QTest::newRow("a batch row") << "cv_accuracy@things/ridge"
                                     << MetricKey::of(MetricKind::CvAccuracy, "things", "ridge");
        QTest::newRow("a batch rsa row")
            << "r@ratings/spearman" << MetricKey::of(MetricKind::RsaJobR, "ratings", "spearman");
        QTest::newRow("objects interval")
            << "accuracy_objects_ci@things" << MetricKey::of(MetricKind::AccuracyObjectsCi, "things");
    }
    void wireFormsStay()
    {
        QFETCH(QString, text);
        QFETCH(MetricKey, key);
        const auto parsed = parseMetricKey(text.toStdString());
        QVERIFY2(parsed, parsed ? "" : parsed.error().message().c_str());
        QVERIFY(*parsed == key);
        QCOMPARE(QString::fromStdString(metricName(key)), text);
    }

    void unknownTextIsAnErrorNamingIt_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("a misspelt kind") << "acuracy";
        QTest::newRow("another case") << "Accuracy";
        QTest::newRow("an unknown kind on a dataset") << "score@things";
        QTest::newRow("a concept without its colon") << "concept";
        QTest::newRow("an empty dataset") << "rsa_r@";
        QTest::newRow("an empty variant") << "cv_accuracy/";
        QTest::newRow("a leading space") << " accuracy";
    }
    void unknownTextIsAnErrorNamingIt()
    {
        QFETCH(QString, text);
        const auto parsed = parseMetricKey(text.toStdString());
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().message().find("'" + text.toStdString() + "'") != std::string::npos,
                 parsed.error().message().c_str());
    }

    void accuracyKindsAreShares()
    {
        QVERIFY(isAccuracyMetric(MetricKind::Accuracy));
        QVERIFY(isAccuracyMetric(MetricKind::ConceptAccuracy));
        QVERIFY(isAccuracyMetric(MetricKind::CvAccuracy));
        QVERIFY(!isAccuracyMetric(MetricKind::NormalizedScore));
        QVERIFY(!isAccuracyMetric(MetricKind::RsaR));
        QVERIFY(!isAccuracyMetric(MetricKind::CvAccuracySd));
    }
};

QTEST_GUILESS_MAIN(TestMetricKey)
#include "tst_metric_key.moc"
