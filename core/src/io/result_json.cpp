#include "alignscope/result_json.h"

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
        .key("accuracy")
        .value(concept.accuracy)
        .key("ci95");
    writeInterval(json, concept.ci95);
    json.endObject();
}

ConceptAccuracy readConceptAccuracy(const JsonValue& json)
{
    ConceptAccuracy concept;
    concept.dimension = int(json.numberOr("dimension", 0));
    concept.label = json.stringOr("label");
    concept.triplets = std::int64_t(json.numberOr("n_triplets", json.numberOr("triplets", 0)));
    concept.correct = std::int64_t(json.numberOr("n_correct", json.numberOr("correct", 0)));
    concept.accuracy = json.numberOr("accuracy", std::nan(""));
    concept.ci95 = readInterval(json.find("ci95"));
    return concept;
}

} // namespace alignscope
