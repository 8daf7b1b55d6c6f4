#include "alignscope/metric_key.h"

#include <cstring>
#include <iterator>

namespace alignscope {

namespace {

struct MetricKindRow
{
    MetricKind kind;
    const char* name;
    bool accuracy; // values and intervals within [0, 1]
};

// The one place a metric's name is spelled.
constexpr MetricKindRow kMetricKinds[] = {
    {MetricKind::Accuracy, "accuracy", true},
    {MetricKind::AccuracyObjectsCi, "accuracy_objects_ci", true},
    {MetricKind::NormalizedScore, "normalized_score", false},
    {MetricKind::NoiseCeiling, "noise_ceiling", false},
    {MetricKind::RsaR, "rsa_r", false},
    {MetricKind::RsaJobR, "r", false},
    {MetricKind::ZeroShotAccuracy, "zero_shot_accuracy", true},
    {MetricKind::CvAccuracy, "cv_accuracy", true},
    {MetricKind::CvAccuracySd, "cv_accuracy_sd", false},
    {MetricKind::ProbeLambda, "lambda", false},
    {MetricKind::ExtractedRows, "rows", false},
    {MetricKind::ExtractedColumns, "cols", false},
    {MetricKind::ConceptAccuracy, "concept:", true},
};

const MetricKindRow& rowOf(MetricKind kind)
{
    for (const MetricKindRow& row : kMetricKinds)
        if (row.kind == kind) return row;
    return kMetricKinds[0]; // unreachable: every kind has a row
}

std::string knownNames()
{
    std::string names;
    for (const MetricKindRow& row : kMetricKinds)
        names += (names.empty() ? "" : ", ") + std::string(row.name) +
                 (row.kind == MetricKind::ConceptAccuracy ? "<label>" : "");
    return names;
}

Error unknownMetric(const std::string& text, const std::string& why)
{
    return makeError("", "",
                     "unknown metric '" + text + "'" + (why.empty() ? "" : " (" + why + ")") +
                         "; known: " + knownNames() + ", each with @<dataset> and /<variant>");
}

} // namespace

const char* metricKindName(MetricKind kind)
{
    return rowOf(kind).name;
}

Result<MetricKind> parseMetricKind(const std::string& name)
{
    for (const MetricKindRow& row : kMetricKinds)
        if (row.kind != MetricKind::ConceptAccuracy && name == row.name) return row.kind;
    return unknownMetric(name, "");
}

bool isAccuracyMetric(MetricKind kind)
{
    return rowOf(kind).accuracy;
}

std::string metricName(const MetricKey& key)
{
    if (key.kind == MetricKind::ConceptAccuracy) return metricKindName(key.kind) + key.concept;
    std::string name = metricKindName(key.kind);
    if (!key.dataset.empty()) name += "@" + key.dataset;
    if (!key.variant.empty() || key.dataset.find('/') != std::string::npos) name += "/" + key.variant;
    return name;
}

Result<MetricKey> parseMetricKey(const std::string& text)
{
    const char* conceptPrefix = metricKindName(MetricKind::ConceptAccuracy);
    if (text.compare(0, std::strlen(conceptPrefix), conceptPrefix) == 0)
        return MetricKey::conceptAccuracy(text.substr(std::strlen(conceptPrefix)));
    const size_t end = text.find_first_of("@/");
    auto kind = parseMetricKind(text.substr(0, end));
    if (!kind) return unknownMetric(text, "");
    MetricKey key = MetricKey::of(*kind);
    if (end == std::string::npos) return key;
    if (text[end] == '/') {
        key.variant = text.substr(end + 1);
        if (key.variant.empty()) return unknownMetric(text, "an empty variant");
        return key;
    }
    const std::string rest = text.substr(end + 1);
    const size_t slash = rest.rfind('/');
    key.dataset = rest.substr(0, slash);
    if (slash != std::string::npos) key.variant = rest.substr(slash + 1);
    if (key.dataset.empty()) return unknownMetric(text, "an empty dataset");
    return key;
}

} // namespace alignscope
