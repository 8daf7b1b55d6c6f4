// The synthetic demo's objects, concept space, simulated human judgments and feature models.
#include "alignscope/demo_data.h"

#include "alignscope/feature_extraction.h"
#include "alignscope/file_io.h"
#include "alignscope/json_reader.h"
#include "alignscope/json_writer.h"
#include "alignscope/npy.h"
#include "demo_images.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace alignscope {

namespace fs = std::filesystem;
using detail::DemoObject;
using detail::DemoShape;

namespace {

constexpr int kGeneratorVersion = 2; // 2: object 121 is a red circle in a black-and-white photograph
constexpr int kObjectCount = 300;
constexpr int kUniqueTriplets = 24000;
constexpr int kRepeatedTriplets = 400;
constexpr int kRepeatsEach = 5;
constexpr int kHumanSubset = 60;
constexpr int kPhotographedObject = 121; // outside the human subset (every fifth object)
// Softmax inverse temperature over concept dot products: gives an odd-one-out noise ceiling near 0.7.
constexpr double kChoiceSharpness = 3.0;

// SplitMix64: the same stream on every platform (std distributions are implementation-defined).
class DemoRandom
{
public:
    explicit DemoRandom(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) / double(1ULL << 53); }
    int below(int n) { return int(next() % std::uint64_t(n)); }
    double normal()
    {
        const double u = std::max(uniform(), 1e-300), v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * v);
    }

private:
    std::uint64_t m_state;
};

struct Hue
{
    const char* name;
    double degrees;
};
constexpr Hue kHues[] = {{"red", 0},    {"orange", 28}, {"yellow", 55},  {"lime", 90}, {"green", 125},
                         {"teal", 170}, {"blue", 220},  {"purple", 275}, {"pink", 325}};
constexpr const char* kShapeNames[] = {"circle", "square", "triangle", "bar", "cross"};

std::vector<DemoObject> makeObjects()
{
    DemoRandom random(1854);
    std::vector<DemoObject> objects;
    for (int i = 0; i < kObjectCount; ++i) {
        DemoObject o;
        const Hue& hue = kHues[random.below(9)];
        o.hueName = hue.name;
        o.hueDegrees = hue.degrees + (random.uniform() - 0.5) * 16.0;
        o.shape = DemoShape(random.below(5));
        o.size = 0.35 + 0.6 * random.uniform();
        o.striped = random.uniform() < 0.3;
        const double c = random.uniform();
        o.count = c < 0.4 ? 1 : c < 0.65 ? 2 : c < 0.85 ? 3 : 4;
        o.seed = random.next();
        char id[64];
        std::snprintf(id, sizeof id, "%s_%s_%03d", o.hueName.c_str(), kShapeNames[int(o.shape)], i);
        o.id = id;
        o.name = o.hueName + " " + kShapeNames[int(o.shape)] +
                 (o.count > 1 ? " ×" + std::to_string(o.count) : "") + (o.striped ? ", striped" : "") +
                 (o.size > 0.75  ? ", large"
                  : o.size < 0.5 ? ", small"
                                 : "");
        objects.push_back(std::move(o));
    }
    // One object people and pixels see differently: a large red circle in a black-and-white photograph.
    // People judge it as the red circle it is (its concept row is one's); the CNN and the colour histogram
    // see a pale grey disc. Replaced after the loop, so every other object keeps its draws.
    DemoObject& photo = objects[kPhotographedObject];
    photo.hueName = "red";
    photo.hueDegrees = 0;
    photo.shape = DemoShape::Circle;
    photo.size = 0.85;
    photo.striped = false;
    photo.count = 1;
    photo.greyscale = true;
    photo.id = "red_circle_photo_" + std::to_string(kPhotographedObject);
    photo.name = "red circle (black-and-white photo), large";
    return objects;
}

double hueBump(double hueDegrees, double centre)
{
    const double delta = std::remainder(hueDegrees - centre, 360.0);
    return std::max(0.0, std::cos(delta * M_PI / 180.0 * 1.5));
}

} // namespace

std::vector<std::string> demoPropertyNames()
{
    return {"warm colour", "green", "cool colour", "round", "angular",
            "elongated",   "large", "striped",     "many"};
}

namespace {

std::vector<float> conceptValues(const DemoObject& o)
{
    const double round = o.shape == DemoShape::Circle ? 1.0 : 0.0;
    const double angular = o.shape == DemoShape::Triangle ? 1.0
                           : o.shape == DemoShape::Square ? 0.8
                           : o.shape == DemoShape::Cross  ? 0.7
                                                          : 0.0;
    const double elongated = o.shape == DemoShape::Bar ? 1.0 : o.shape == DemoShape::Cross ? 0.4 : 0.0;
    const double warm = std::max({hueBump(o.hueDegrees, 20), hueBump(o.hueDegrees, 340)});
    return {float(warm),
            float(hueBump(o.hueDegrees, 110)),
            float(hueBump(o.hueDegrees, 230)),
            float(round),
            float(angular),
            float(elongated),
            float((o.size - 0.35) / 0.6),
            float(o.striped ? 1.0 : 0.0),
            float((o.count - 1) / 3.0)};
}

double dot(const std::vector<float>& concepts, int d, int a, int b)
{
    double sum = 0;
    for (int k = 0; k < d; ++k)
        sum += double(concepts[size_t(a * d + k)]) * concepts[size_t(b * d + k)];
    return sum;
}

// One simulated judgment: the kept pair is drawn from the softmax over its similarity; returns "a b odd".
std::array<int, 3> judge(const std::vector<float>& concepts, int d, std::array<int, 3> t, DemoRandom& random)
{
    const double sij = dot(concepts, d, t[0], t[1]), sik = dot(concepts, d, t[0], t[2]),
                 sjk = dot(concepts, d, t[1], t[2]);
    const double m = std::max({sij, sik, sjk});
    const double eij = std::exp(kChoiceSharpness * (sij - m)), eik = std::exp(kChoiceSharpness * (sik - m)),
                 ejk = std::exp(kChoiceSharpness * (sjk - m));
    const double u = random.uniform() * (eij + eik + ejk);
    if (u < eij) return {t[0], t[1], t[2]};
    if (u < eij + eik) return {t[0], t[2], t[1]};
    return {t[1], t[2], t[0]};
}

std::array<int, 3> randomTriplet(DemoRandom& random)
{
    std::array<int, 3> t{};
    t[0] = random.below(kObjectCount);
    do
        t[1] = random.below(kObjectCount);
    while (t[1] == t[0]);
    do
        t[2] = random.below(kObjectCount);
    while (t[2] == t[0] || t[2] == t[1]);
    return t;
}

std::string lines(const std::vector<std::string>& items)
{
    std::string text;
    for (const auto& item : items)
        text += item + "\n";
    return text;
}

Status writeFeatureModel(const std::string& path, const std::vector<DemoObject>& objects,
                         const std::string& imagesDir,
                         Result<std::vector<float>> (*compute)(const std::string&),
                         const std::vector<std::string>& ids)
{
    std::vector<float> values;
    std::int64_t cols = 0;
    for (const DemoObject& o : objects) {
        auto row = compute(imagesDir + "/" + o.id + ".png");
        if (!row) return row.error();
        cols = std::int64_t(row->size());
        values.insert(values.end(), row->begin(), row->end());
    }
    // Standardized columns, so that no single measurement's scale dominates the model's similarities.
    const size_t rows = objects.size();
    for (std::int64_t c = 0; c < cols; ++c) {
        double mean = 0, square = 0;
        for (size_t r = 0; r < rows; ++r)
            mean += values[r * size_t(cols) + size_t(c)] / double(rows);
        for (size_t r = 0; r < rows; ++r)
            square += std::pow(values[r * size_t(cols) + size_t(c)] - mean, 2) / double(rows);
        const double sd = std::sqrt(square) > 1e-12 ? std::sqrt(square) : 1.0;
        for (size_t r = 0; r < rows; ++r)
            values[r * size_t(cols) + size_t(c)] = float((values[r * size_t(cols) + size_t(c)] - mean) / sd);
    }
    if (auto written = writeNpy(path, makeFloat32Array({std::int64_t(rows), cols}, std::move(values)));
        !written)
        return written;
    return writeFileAtomically(fs::path(path).replace_extension(".rows.txt").string(), lines(ids));
}

bool completeDemoExists(const std::string& folder)
{
    auto marker = readJsonFile(folder + "/demo.json");
    return marker && marker->numberOr("generator_version", 0) == kGeneratorVersion;
}

} // namespace

std::string defaultDemoFolder()
{
    const std::string name = "/alignscope/demo-v" + std::to_string(kGeneratorVersion);
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return xdg + name;
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache" + name;
    return (fs::temp_directory_path() / ("alignscope-demo-v" + std::to_string(kGeneratorVersion))).string();
}

Result<DemoDataset> generateDemoDataset(const std::string& folder, const TaskContext& context)
{
    const std::vector<DemoObject> objects = makeObjects();
    std::vector<std::string> ids;
    for (const DemoObject& o : objects)
        ids.push_back(o.id);
    DemoDataset demo;
    demo.folder = folder;
    demo.conceptSpace = folder + "/concept_space.npy";
    demo.featureModels = {folder + "/models/colour_histogram.npy", folder + "/models/shape_moments.npy"};
    demo.cnnModel = folder + "/models/demo_cnn.pt";
    demo.humanSubset = folder + "/human/similarity_ratings.npy";
    demo.objectCount = kObjectCount;
    for (int i = 0; i < kHumanSubset; ++i) {
        demo.humanSubsetIds.push_back(ids[size_t(i * (kObjectCount / kHumanSubset))]);
        demo.humanSubsetImages.push_back(folder + "/images/" + demo.humanSubsetIds.back() + ".png");
    }
    demo.tripletCount = kUniqueTriplets + kRepeatedTriplets * kRepeatsEach;
    if (completeDemoExists(folder)) return demo;

    std::error_code error;
    for (const char* sub : {"concepts", "triplets", "images", "models", "human"}) {
        fs::create_directories(fs::path(folder) / sub, error);
        if (error) return makeError(folder + "/" + sub, "", "cannot create the folder: " + error.message());
    }
    // Objects and images.
    std::string table = "Word\tuniqueID\n";
    for (const DemoObject& o : objects)
        table += o.name + "\t" + o.id + "\n";
    if (auto written = writeFileAtomically(folder + "/concepts/things_concepts.tsv", table); !written)
        return written.error();
    for (size_t i = 0; i < objects.size(); ++i) {
        if (context.cancelled()) return makeError("", "", "cancelled");
        auto png = detail::renderDemoObject(objects[i]);
        if (!png) return png.error();
        if (auto written =
                writeFileAtomically(folder + "/images/" + objects[i].id + ".png", png->data(), png->size());
            !written)
            return written.error();
        context.report(0.6 * double(i + 1) / double(objects.size()), "rendering the demo objects");
    }
    // Concept space with labels.
    const std::vector<std::string> labels = demoPropertyNames();
    const int d = int(labels.size());
    std::vector<float> concepts;
    for (const DemoObject& o : objects) {
        const std::vector<float> row = conceptValues(o);
        concepts.insert(concepts.end(), row.begin(), row.end());
    }
    if (auto w = writeNpy(demo.conceptSpace, makeFloat32Array({kObjectCount, d}, concepts)); !w)
        return w.error();
    if (auto w = writeFileAtomically(folder + "/concept_space.rows.txt", lines(ids)); !w) return w.error();
    if (auto w = writeFileAtomically(folder + "/concept_space.labels.txt", lines(labels)); !w)
        return w.error();
    // Simulated judgments: unique triplets split 90/10, repeated triplets (5 subjects each) in the test
    // split.
    DemoRandom random(42);
    std::string train, test;
    for (int t = 0; t < kUniqueTriplets; ++t) {
        const auto j = judge(concepts, d, randomTriplet(random), random);
        const int subject = random.below(40);
        (t % 10 == 9 ? test : train) += std::to_string(j[0]) + " " + std::to_string(j[1]) + " " +
                                        std::to_string(j[2]) + " " + std::to_string(subject) + "\n";
    }
    for (int r = 0; r < kRepeatedTriplets; ++r) {
        const auto triplet = randomTriplet(random);
        for (int s = 0; s < kRepeatsEach; ++s) {
            const auto j = judge(concepts, d, triplet, random);
            test += std::to_string(j[0]) + " " + std::to_string(j[1]) + " " + std::to_string(j[2]) + " " +
                    std::to_string(100 + s) + "\n";
        }
    }
    if (auto w = writeFileAtomically(folder + "/triplets/train_90.txt", train); !w) return w.error();
    if (auto w = writeFileAtomically(folder + "/triplets/test_10.txt", test); !w) return w.error();
    context.report(0.7, "simulating human judgments");
    // Human similarity over a subset: a Gaussian of concept distance, with rating noise.
    std::vector<float> human(size_t(kHumanSubset) * kHumanSubset);
    const int stride = kObjectCount / kHumanSubset;
    for (int a = 0; a < kHumanSubset; ++a)
        for (int b = a; b < kHumanSubset; ++b) {
            double distance = 0;
            for (int k = 0; k < d; ++k) {
                const double diff =
                    concepts[size_t(a * stride * d + k)] - concepts[size_t(b * stride * d + k)];
                distance += diff * diff;
            }
            const double value =
                a == b ? 1.0 : std::clamp(std::exp(-distance / 1.5) + 0.08 * random.normal(), 0.0, 1.0);
            human[size_t(a * kHumanSubset + b)] = human[size_t(b * kHumanSubset + a)] = float(value);
        }
    if (auto w = writeNpy(demo.humanSubset, makeFloat32Array({kHumanSubset, kHumanSubset}, human)); !w)
        return w.error();
    if (auto w =
            writeFileAtomically(folder + "/human/similarity_ratings.rows.txt", lines(demo.humanSubsetIds));
        !w)
        return w.error();
    // Models: two hand-crafted feature sets and a TorchScript CNN.
    if (auto w = writeFeatureModel(demo.featureModels[0], objects, folder + "/images",
                                   &detail::colourHistogramFeatures, ids);
        !w)
        return w.error();
    context.report(0.8, "computing the demo's feature models");
    if (auto w = writeFeatureModel(demo.featureModels[1], objects, folder + "/images",
                                   &detail::shapeMomentFeatures, ids);
        !w)
        return w.error();
    if (auto w = writeDemoCnn(demo.cnnModel); !w) return w.error();
    JsonWriter marker;
    marker.beginObject()
        .key("generator_version")
        .value(kGeneratorVersion)
        .key("description")
        .value("AlignScope synthetic demo: rendered objects, simulated human judgments")
        .key("objects")
        .value(kObjectCount)
        .key("triplets")
        .value(demo.tripletCount)
        .endObject();
    if (auto w = writeFileAtomically(folder + "/demo.json", marker.text() + "\n"); !w) return w.error();
    context.report(1.0, "demo ready");
    return demo;
}

} // namespace alignscope
