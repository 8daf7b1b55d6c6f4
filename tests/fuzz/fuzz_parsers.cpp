// libFuzzer harness for every parser. One binary; FUZZ_TARGET picks the parser, so the parser sources
// are compiled once with sanitizers. Each target must never crash, hang or allocate absurdly.
#include "alignscope/delimited_table.h"
#include "alignscope/exported_model.h"
#include "alignscope/hdf5_file.h"
#include "alignscope/image_preprocessing.h"
#include "alignscope/json_reader.h"
#include "alignscope/load.h"
#include "alignscope/mat_file.h"
#include "alignscope/matrix_file.h"
#include "alignscope/metric_key.h"
#include "alignscope/model_metadata.h"
#include "alignscope/model_population.h"
#include "alignscope/npy.h"
#include "alignscope/npz.h"
#include "alignscope/object_alignment.h"
#include "alignscope/object_map.h"
#include "alignscope/object_neighbours.h"
#include "alignscope/text_matrix.h"

#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

using namespace alignscope;

namespace {

std::string target()
{
    const char* name = std::getenv("FUZZ_TARGET");
    return name ? name : "npy";
}

// Readers that go through a library taking file names get the input as a temporary file.
std::string writeTemp(const uint8_t* data, size_t size)
{
    static std::string path = [] {
        char name[] = "/tmp/alignscope-fuzz-XXXXXX";
        const int fd = mkstemp(name);
        if (fd >= 0) close(fd);
        return std::string(name);
    }();
    FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) std::abort();
    std::fwrite(data, 1, size, file);
    std::fclose(file);
    return path;
}

// The same, under a name with the given suffix (readers that choose the format by extension).
std::string writeTempAs(const uint8_t* data, size_t size, const std::string& suffix)
{
    const std::string path = writeTemp(data, size) + suffix;
    FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) std::abort();
    std::fwrite(data, 1, size, file);
    std::fclose(file);
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::string which = target();
    const char* bytes = reinterpret_cast<const char*>(data);
    if (which == "npy") {
        // Parsed arrays also go through the features' narrowing (any float64: NaN, inf, subnormal, 1e308).
        auto array = parseNpy(bytes, size, "fuzz.npy");
        if (array && array->isNumeric()) (void)array->takeFeatureFloat32();
    } else if (which == "npz") {
        (void)parseNpz(bytes, size, "fuzz.npz");
    } else if (which == "text") {
        (void)parseTextMatrix(std::string(bytes, size), "fuzz.txt");
        (void)parseIdList(std::string(bytes, size), "fuzz.txt");
    } else if (which == "table") {
        auto table = parseDelimitedTable(std::string(bytes, size), '\t', "fuzz.tsv");
        if (table) (void)stimuliFromConceptTable(*table, "fuzz.tsv");
        (void)parseDelimitedTable(std::string(bytes, size), ',', "fuzz.csv");
    } else if (which == "detect") {
        // The one load path (load.h) under each role, with a "<stem>.rows.txt" sidecar of 0-7 rows (the first
        // byte says how many) so that row counts both match and differ.
        const std::string path = writeTemp(data, size);
        std::string rows;
        for (int r = 0; size > 0 && r < data[0] % 8; ++r)
            rows += "r" + std::to_string(r) + "\n";
        FILE* sidecar = std::fopen(rowsSidecarPath(path).c_str(), "wb");
        if (!sidecar) std::abort();
        std::fwrite(rows.data(), 1, rows.size(), sidecar);
        std::fclose(sidecar);
        for (InputRole role : {InputRole::Any, InputRole::Matrix, InputRole::Features, InputRole::Triplets,
                               InputRole::SimilarityMatrix})
            (void)load({path, role, std::nullopt, {}});
        (void)load({path + ":features", InputRole::Features, RowIdentity::canonical(), {}});
    } else if (which == "mat") {
        // Inputs get a valid MAT header so the fuzzer spends its time inside the variable records.
        std::string file(128, ' ');
        std::memcpy(&file[0], "MATLAB 5.0 MAT-file", 19);
        file[124] = 0x00;
        file[125] = 0x01;
        file[126] = 'I';
        file[127] = 'M';
        file.append(bytes, size);
        const std::string path = writeTemp(reinterpret_cast<const uint8_t*>(file.data()), file.size());
        auto variables = listMatVariables(path);
        if (variables)
            for (const auto& v : *variables)
                (void)readMatVariable(path, v.name);
    } else if (which == "hdf5") {
        const std::string path = writeTemp(data, size);
        auto datasets = listHdf5Datasets(path);
        if (datasets)
            for (const auto& d : *datasets)
                (void)readHdf5Dataset(path, d.name);
    } else if (which == "json") {
        (void)parseJson(std::string(bytes, size), "fuzz.json");
    } else if (which == "model_manifest") {
        // An exported model's alignscope.json, stored as torch.jit.save stores extra files, and the raw bytes
        // as the model file itself (no zip archive, or a damaged one).
        (void)readExportedModelManifest(writeTempAs(data, size, ".pt"));
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* output = zip_source_buffer_create(nullptr, 0, 0, &error);
        zip_t* archive = output ? zip_open_from_source(output, ZIP_TRUNCATE, &error) : nullptr;
        if (archive) {
            zip_source_keep(output);
            zip_source_t* member = zip_source_buffer(archive, data, size, 0);
            if (member && zip_file_add(archive, "model/extra/alignscope.json", member, 0) < 0)
                zip_source_free(member);
            zip_close(archive);
            zip_stat_t info;
            if (zip_source_open(output) == 0 && zip_source_stat(output, &info) == 0) {
                std::string bytes(size_t(info.size), '\0');
                if (zip_source_read(output, bytes.data(), info.size) == zip_int64_t(info.size))
                    (void)readExportedModelManifest(
                        writeTempAs(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), ".zip.pt"));
                zip_source_close(output);
            }
            zip_source_free(output);
        } else if (output) {
            zip_source_free(output);
        }
        zip_error_fini(&error);
    } else if (which == "metadata") {
        for (const char* suffix : {".csv", ".tsv", ".json"}) {
            auto metadata = loadModelMetadata(writeTempAs(data, size, suffix));
            if (metadata) (void)matchModelsToMetadata(*metadata, {"resnet50", "CLIP", "vit"});
        }
        // The same bytes as result files (ooo --json, merged batch results): values checked, pooling checked.
        ModelPopulation population;
        std::optional<ModelMetadata> embedded;
        if (readPopulationResults(writeTempAs(data, size, ".json"), population, &embedded))
            (void)population.checkPooling(population.metrics);
    } else if (which == "metric") {
        // A metric name that reads prints as text that reads back as the same metric.
        auto key = parseMetricKey(std::string(bytes, size));
        if (key) {
            auto again = parseMetricKey(metricName(*key));
            if (!again || *again != *key) std::abort();
        }
    } else if (which == "per_object") {
        // Objects, triplets (indices may repeat or fall outside) and choices (any byte) from the input:
        // refused or counted consistently, intervals inside [0, 1].
        if (size < 2) return 0;
        std::vector<std::string> ids;
        for (int o = 0; o < 3 + data[0] % 30; ++o)
            ids.push_back("o" + std::to_string(o));
        const auto objects = StimulusSet::create(ids, "fuzz").value();
        TripletSet triplets;
        ModelChoices choices;
        for (size_t at = 2; at + 4 <= size; at += 4) {
            for (int c = 0; c < 3; ++c)
                triplets.indices.push_back(std::int8_t(data[at + size_t(c)]) % 40);
            choices.choice.push_back(std::int8_t(data[at + 3]));
        }
        auto result = perObjectAccuracy(objects, triplets, choices, data[1] % 64, 1);
        if (result)
            for (const ObjectAccuracy& object : *result)
                if (object.correct > object.triplets || object.triplets > std::int64_t(triplets.size()) ||
                    (object.triplets > 0 &&
                     !(0 <= object.ci95.low && object.ci95.low <= object.ci95.high && object.ci95.high <= 1)))
                    std::abort();
    } else if (which == "neighbours") {
        // n, k, the human matrix's kind, then the model's and the human n×n values as float32 (NaN and
        // infinities included): refused, or k distinct neighbours other than the object itself.
        if (size < 3) return 0;
        const std::int64_t n = 2 + data[0] % 14;
        const int k = data[1] % (n + 1);
        std::vector<float> values(size_t(2 * n * n), 0.0f);
        std::memcpy(values.data(), data + 3, std::min(values.size() * sizeof(float), size - 3));
        std::vector<std::string> ids;
        for (std::int64_t o = 0; o < n; ++o)
            ids.push_back(std::string(1, char('z' - o)));
        const auto objects = StimulusSet::create(ids, "fuzz").value();
        PairwiseSimilarity model;
        model.n = n;
        model.values.assign(values.begin(), values.begin() + n * n);
        SimilarityMatrix human;
        human.kind = data[2] % 2 ? SimilarityMatrix::Kind::Similarity : SimilarityMatrix::Kind::Dissimilarity;
        human.n = n;
        human.values.assign(values.begin() + n * n, values.end());
        auto result = compareNeighbours(objects, model, human, k);
        if (result)
            for (size_t o = 0; o < result->objects.size(); ++o)
                for (const auto* list : {&result->objects[o].model, &result->objects[o].human}) {
                    std::vector<std::int64_t> sorted = *list;
                    std::sort(sorted.begin(), sorted.end());
                    if (std::int64_t(list->size()) != k ||
                        std::unique(sorted.begin(), sorted.end()) != sorted.end() ||
                        std::count(list->begin(), list->end(), std::int64_t(o)))
                        std::abort();
                }
    } else if (which == "map") {
        // n, the kind, then n×n float32 values (NaN, infinities, asymmetry included): refused, or n finite
        // coordinate pairs with the first eigenvalue at least the second.
        if (size < 2) return 0;
        const std::int64_t n = 1 + data[0] % 16;
        std::vector<float> values(size_t(n * n), 0.0f);
        std::memcpy(values.data(), data + 2, std::min(values.size() * sizeof(float), size - 2));
        auto map = classicalMds(n, values, data[1] % 2 == 1);
        if (map) {
            if (map->xy.size() != size_t(2 * n) || !(map->eigenvalues[0] >= map->eigenvalues[1]))
                std::abort();
            for (double v : map->xy)
                if (!std::isfinite(v)) std::abort();
        }
    } else if (which == "image") {
        auto image = decodeImageBytes(std::vector<char>(bytes, bytes + size), "fuzz.img");
        if (image && std::int64_t(image->height) * image->width <= 4096 * 4096) {
            Preprocessing preprocessing;
            preprocessing.resize = 40;
            preprocessing.crop = 32;
            std::vector<float> out(3 * 32 * 32);
            preprocessImage(*image, preprocessing, out.data());
        }
    } else {
        std::fprintf(stderr, "unknown FUZZ_TARGET %s\n", which.c_str());
        std::abort();
    }
    return 0;
}
