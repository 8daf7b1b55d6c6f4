// Linear-probe benchmark against alignment_reference.py probe on the same features, triplets, folds and λ.
// Features: VICE mixed into 256 dimensions with a random matrix, a 6-dimensional nuisance and noise (the
// planted setting of the probe issue). The reference takes minutes, so this is run by hand, not by ctest:
//   bench_probe ../shared/reference/alignment_reference.py ../shared/data [lambda]
//   bench_probe --scale ../shared/data [cpu|cuda|auto]   (2,048 dims, 1.46 M triplets: time and memory)
#include "bench_support.h"

#include "alignscope/datasets.h"
#include "alignscope/npy.h"
#include "alignscope/probe.h"
#include "alignscope/text_matrix.h"
#include "alignscope/version.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <random>

using namespace alignscope;

namespace {

// Feasibility at full scale: 2,048-dimensional features, 1.46 M triplets sampled from the VICE softmax.
int scale(const std::string& data, const std::string& deviceName)
{
    auto device = parseComputeDevice(deviceName);
    if (!device) {
        std::cerr << device.error().message() << "\n";
        return 2;
    }
    configureComputeThreads();
    auto objects = loadObjects(data + "/things/things_concepts.tsv");
    if (!objects) return 1;
    auto vice = loadConceptSpace(data + "/vice/final_embedding.npy", *objects, RowIdentity::sorted());
    if (!vice) return 1;
    const std::int64_t n = vice->n, p = 2048, count = 1460000;
    std::mt19937 rng(0);
    std::normal_distribution<float> normal;
    std::vector<float> mix(size_t(42 * p));
    for (auto& m : mix)
        m = normal(rng) / std::sqrt(42.0f);
    FeatureMatrix features;
    features.rows = n;
    features.cols = p;
    features.rowIds = objects->ids();
    features.values.assign(size_t(n * p), 0.0f);
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t d = 0; d < 42; ++d)
            for (std::int64_t c = 0; c < p; ++c)
                features.values[size_t(i * p + c)] += vice->at(i, d) * mix[size_t(d * p + c)];
    for (auto& v : features.values)
        v += 0.3f * normal(rng);
    TripletSet triplets;
    std::uniform_int_distribution<int> pick(0, int(n - 1));
    std::uniform_real_distribution<double> unit(0, 1);
    auto dot = [&](int a, int b) {
        double s = 0;
        for (int d = 0; d < 42; ++d)
            s += double(vice->at(a, d)) * vice->at(b, d);
        return s;
    };
    while (std::int64_t(triplets.size()) < count) {
        const int a = pick(rng), b = pick(rng), c = pick(rng);
        if (a == b || b == c || a == c) continue;
        const double e[3] = {std::exp(dot(a, b)), std::exp(dot(a, c)), std::exp(dot(b, c))},
                     r = unit(rng) * (e[0] + e[1] + e[2]);
        if (r < e[0])
            triplets.indices.insert(triplets.indices.end(), {a, b, c});
        else if (r < e[0] + e[1])
            triplets.indices.insert(triplets.indices.end(), {a, c, b});
        else
            triplets.indices.insert(triplets.indices.end(), {b, c, a});
    }
    ProbeOptions options;
    options.lambdas = {1e-2};
    options.device = *device;
    int lastFold = -2;
    double foldStart = bench::seconds();
    options.onStep = [&](const ProbeStep& step) {
        if (step.fold != lastFold) {
            if (lastFold != -2)
                std::cout << "  fit " << lastFold << " done after " << bench::seconds() - foldStart << " s\n"
                          << std::flush;
            lastFold = step.fold;
            foldStart = bench::seconds();
        }
    };
    options.stepReportInterval = 50;
    const double start = bench::seconds();
    auto result = runProbe(features, triplets, options);
    if (!result) {
        std::cerr << result.error().message() << "\n";
        return 1;
    }
    std::cout << "probe at scale: n = " << n << ", p = " << p << ", " << count
              << " triplets, 3 folds + final refit on " << result->device << " (CPU threads "
              << computeThreads() << ")"
              << "\n  zero-shot " << result->zeroShotAccuracy << ", probed " << result->cvAccuracy
              << ", total " << bench::seconds() - start << " s, peak memory "
              << double(bench::statusBytes("VmHWM")) / 1e9 << " GB\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 3 && std::string(argv[1]) == "--scale") return scale(argv[2], argc > 3 ? argv[3] : "cpu");
    if (argc < 3) {
        std::cerr << "usage: bench_probe REFERENCE_SCRIPT SHARED_DATA_DIR [lambda]\n";
        return 2;
    }
    const std::string reference = argv[1], data = argv[2], lambda = argc > 3 ? argv[3] : "1e-3";
    char work[] = "/tmp/bench-probe-XXXXXX";
    if (!::mkdtemp(work)) return 1;
    const std::string dir = work;
    const std::string script =
        "import csv, sys, numpy as np\n"
        "data, out = sys.argv[1:3]\n"
        "ids = [r['uniqueID'] for r in csv.DictReader(open(data + '/things/things_concepts.tsv', "
        "encoding='utf-8'), delimiter='\\t')]\n"
        "V = np.load(data + '/vice/final_embedding.npy'); pos = {u: i for i, u in enumerate(ids)}\n"
        "C = np.empty_like(V); C[[pos[u] for u in sorted(ids)]] = V\n"
        "rng = np.random.default_rng(0)\n"
        "F = C @ rng.standard_normal((42, 256)) / np.sqrt(42) + rng.standard_normal((len(ids), 6)) @ "
        "rng.standard_normal((6, 256)) * 1.5\n"
        "F = (F + 0.1 * rng.standard_normal(F.shape)).astype(np.float32)\n"
        "np.save(out + '/features.npy', F); open(out + '/features.rows.txt', 'w').write('\\n'.join(ids) + "
        "'\\n')\n"
        "T = np.loadtxt(data + '/things/triplets_with_subjects.txt', dtype=np.int64)[:, :3]; np.save(out + "
        "'/triplets.npy', T)\n"
        "perm = np.random.default_rng(42).permutation(len(ids)); fold = np.zeros(len(ids), int)\n"
        "for f in range(3): fold[perm[f::3]] = f\n"
        "open(out + '/folds.txt', 'w').write('\\n'.join(map(str, fold)) + '\\n')\n";
    FILE* python = ::popen(("/usr/bin/python3 - " + data + " " + dir).c_str(), "w");
    std::fputs(script.c_str(), python);
    if (::pclose(python) != 0) return 1;

    configureComputeThreads();
    auto objects = loadObjects(data + "/things/things_concepts.tsv");
    auto triplets =
        objects ? loadTriplets(dir + "/triplets.npy", objects->size()) : Result<TripletSet>(objects.error());
    auto features = objects ? loadFeatures(dir + "/features.npy", *objects, std::nullopt)
                            : Result<FeatureMatrix>(objects.error());
    auto folds = readTextMatrix(dir + "/folds.txt");
    if (!triplets || !features || !folds) return 1;
    ProbeOptions options;
    options.lambdas = {std::stod(lambda)};
    options.device = ComputeDevice::Cpu;
    options.finalRefit = false; // the reference cross-validates only: compare the same work
    for (double f : folds->values.f64)
        options.foldOfObject.push_back(int(f));
    const double start = bench::seconds();
    auto ours = runProbe(*features, *triplets, options);
    const double oursSeconds = bench::seconds() - start;
    if (!ours) {
        std::cerr << ours.error().message() << "\n";
        return 1;
    }
    const double referenceStart = bench::seconds();
    const std::string json =
        bench::capture("/usr/bin/python3 " + reference + " probe --features " + dir +
                       "/features.npy --triplets " + dir + "/triplets.npy --folds 3 --lam " + lambda);
    const double referenceSeconds = bench::seconds() - referenceStart;
    const double referenceAccuracy = bench::jsonNumber(json, "probed");
    std::cout << "probe, λ = " << lambda << ", 3 folds (same folds), n = 1854, p = 256, " << triplets->size()
              << " triplets\n"
              << "  ours:      zero-shot " << ours->zeroShotAccuracy << ", probed " << ours->cvAccuracy
              << ", " << oursSeconds << " s (3 folds)\n"
              << "  reference: zero-shot " << bench::jsonNumber(json, "zero_shot") << ", probed "
              << referenceAccuracy << ", " << referenceSeconds << " s (3 folds)\n"
              << "  accuracy difference " << ours->cvAccuracy - referenceAccuracy
              << " (must be >= -0.003); time ratio " << referenceSeconds / oursSeconds
              << "x (must be >= 3)\n";
    return ours->cvAccuracy >= referenceAccuracy - 0.003 && referenceSeconds >= 3 * oursSeconds ? 0 : 3;
}
