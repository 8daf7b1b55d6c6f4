#include "alignscope/result_json.h"

#include "alignscope/metric_key.h"
#include "alignscope/sha256.h"

#include <charconv>
#include <cmath>

namespace alignscope {

void writeInterval(JsonWriter& json, const Interval& interval)
{
    json.beginArray().value(interval.low).value(interval.high).endArray();
}

Interval readInterval(const JsonValue* json)
{
    Interval interval;
    if (json && json->isArray() && json->array.size() == 2) {
        interval.low = json->array[0].isNumber() ? json->array[0].number : std::nan("");
        interval.high = json->array[1].isNumber() ? json->array[1].number : std::nan("");
    }
    return interval;
}

std::string tripletsFingerprint(const StimulusSet& objects, const TripletSet& triplets)
{
    Sha256 hash;
    for (const std::string& id : objects.ids()) {
        hash.update(id.data(), id.size());
        hash.update("\n", 1);
    }
    hash.update("\n", 1);
    std::string block;
    block.reserve(1 << 16);
    char number[16];
    for (size_t t = 0; t < triplets.size(); ++t) {
        for (int c = 0; c < 3; ++c) {
            const auto end = std::to_chars(number, number + sizeof number, triplets.at(t, c)).ptr;
            block.append(number, end);
            block += c < 2 ? ' ' : '\n';
        }
        if (block.size() > (1 << 16) - 64) {
            hash.update(block.data(), block.size());
            block.clear();
        }
    }
    hash.update(block.data(), block.size());
    return hash.hexDigest();
}

void writeResultFingerprint(JsonWriter& json, const std::string& tripletsSha256, size_t objects,
                            size_t triplets, const std::string& similarity)
{
    json.key("fingerprint")
        .beginObject()
        .key("triplets_sha256")
        .value(tripletsSha256)
        .key("n_objects")
        .value(std::int64_t(objects))
        .key("n_triplets")
        .value(std::int64_t(triplets))
        .key("similarity")
        .value(similarity)
        .endObject();
}

void writeConceptAccuracy(JsonWriter& json, const ConceptAccuracy& concept)
{
    json.beginObject()
        .key("dimension")
        .value(concept.dimension)
        .key("label")
        .value(concept.label)
        .key("n_triplets")
        .value(concept.triplets)
        .key("n_correct")
        .value(concept.correct)
        .key(metricKindName(MetricKind::Accuracy))
        .value(concept.accuracy)
        .key("ci95");
    writeInterval(json, concept.ci95);
    json.endObject();
}

namespace {

// A saved number as a whole number within [0, largest], or -1: converting a double outside the integer's
// range (1e300, NaN) is undefined behaviour, so it is checked before it is converted.
std::int64_t wholeOrMinusOne(double value, double largest)
{
    return value >= 0 && value <= largest && value == std::floor(value) ? std::int64_t(value) : -1;
}

} // namespace

ConceptAccuracy readConceptAccuracy(const JsonValue& json)
{
    ConceptAccuracy concept;
    concept.dimension = int(wholeOrMinusOne(json.numberOr("dimension", 0), 2147483647.0));
    concept.label = json.stringOr("label");
    constexpr double kLargestCount = 9007199254740992.0; // 2^53: JSON numbers are exact integers up to it
    concept.triplets =
        wholeOrMinusOne(json.numberOr("n_triplets", json.numberOr("triplets", 0)), kLargestCount);
    concept.correct = wholeOrMinusOne(json.numberOr("n_correct", json.numberOr("correct", 0)), kLargestCount);
    concept.accuracy = json.numberOr(metricKindName(MetricKind::Accuracy), std::nan(""));
    concept.ci95 = readInterval(json.find("ci95"));
    return concept;
}

} // namespace alignscope
