#pragma once
// JSON layouts of results shared by every writer (CLI output, batch results, projects): one spelling of
// each field, and readers that also accept the spellings older projects used.

#include "alignscope/concept_breakdown.h"
#include "alignscope/json_reader.h"
#include "alignscope/json_writer.h"

namespace alignscope {

// {"dimension", "label", "n_triplets", "n_correct", "accuracy", "ci95": [low, high]}; NaN is null.
void writeConceptAccuracy(JsonWriter& json, const ConceptAccuracy& concept);
// Reads the layout above; "triplets" and "correct" (projects saved before 0.1.0's shared layout) too. A count
// or dimension that is not a whole number in range (negative, fractional, 1e300, null) reads as -1.
ConceptAccuracy readConceptAccuracy(const JsonValue& json);
// [low, high] (null for NaN) <-> Interval.
void writeInterval(JsonWriter& json, const Interval& interval);
Interval readInterval(const JsonValue* json);

// What makes odd-one-out results comparable: SHA-256 (hex) over the object IDs, each followed by '\n', then
// one '\n', then every triplet as used, "i j k\n" (indices into the objects, the odd one out last).
std::string tripletsFingerprint(const StimulusSet& objects, const TripletSet& triplets);
// "fingerprint": {"triplets_sha256", "n_objects", "n_triplets", "similarity"} (a key and its object).
void writeResultFingerprint(JsonWriter& json, const std::string& tripletsSha256, size_t objects,
                            size_t triplets, const std::string& similarity);

} // namespace alignscope
