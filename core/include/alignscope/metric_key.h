#pragma once
// The name of a result of a population of models (a metric): what was measured and on what. One table in
// metric_key.cpp spells every kind; the text forms are the wire format of result files, merged batch results,
// JSON fields and the CLI's --metric, so they never change: "accuracy", "normalized_score",
// "rsa_r@<dataset>", "cv_accuracy@<dataset>/<variant>", "concept:<label>".

#include "alignscope/result.h"

#include <string>
#include <tuple>

namespace alignscope {

enum class MetricKind
{
    Accuracy,          // odd-one-out accuracy ("accuracy")
    AccuracyObjectsCi, // the same accuracy with its interval over objects (batch rows)
    NormalizedScore,   // accuracy over the noise ceiling
    NoiseCeiling,
    RsaR,             // the workspace's RSA r on a human dataset ("rsa_r@<dataset>")
    RsaJobR,          // a batch rsa job's r ("r@<dataset>/<variant>")
    ZeroShotAccuracy, // probe variants
    CvAccuracy,
    CvAccuracySd,
    ProbeLambda,
    ExtractedRows, // extraction jobs
    ExtractedColumns,
    ConceptAccuracy, // odd-one-out accuracy on one concept's triplets ("concept:<label>")
};

struct MetricKey
{
    MetricKind kind = MetricKind::Accuracy;
    std::string dataset; // empty where the result is not tied to a named dataset
    std::string variant; // a batch job's analysis variant (never contains '/'), or empty
    std::string concept; // the label, ConceptAccuracy only (any text)

    static MetricKey of(MetricKind kind, std::string dataset = {}, std::string variant = {})
    {
        return MetricKey{kind, std::move(dataset), std::move(variant), {}};
    }
    static MetricKey conceptAccuracy(std::string label)
    {
        return MetricKey{MetricKind::ConceptAccuracy, {}, {}, std::move(label)};
    }
    bool operator==(const MetricKey& other) const
    {
        return std::tie(kind, dataset, variant, concept) ==
               std::tie(other.kind, other.dataset, other.variant, other.concept);
    }
    bool operator!=(const MetricKey& other) const { return !(*this == other); }
};

// The kind's name as result files and JSON fields spell it ("accuracy", "zero_shot_accuracy", "r", …;
// "concept:" for ConceptAccuracy, the prefix of its label).
const char* metricKindName(MetricKind kind);
// A kind named by a batch row's "metric" field; unknown text is an error naming it.
Result<MetricKind> parseMetricKind(const std::string& name);
// Whether the kind's values are shares within [0, 1] (and their intervals too).
bool isAccuracyMetric(MetricKind kind);

// "<kind>[@<dataset>][/<variant>]" or "concept:<label>". A dataset that contains '/' and has no variant is
// written with a trailing '/', so that it reads back as one dataset.
std::string metricName(const MetricKey& key);
// The inverse of metricName: the text up to the first '@' or '/' names the kind (or "concept:" starts a
// label that runs to the end), the dataset runs to the last '/', the variant after it. Unknown text is an
// error naming it.
Result<MetricKey> parseMetricKey(const std::string& text);

} // namespace alignscope
