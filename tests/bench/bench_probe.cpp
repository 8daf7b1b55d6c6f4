// Linear-probe benchmark against alignment_reference.py probe on the same features, triplets, folds and λ.
// Features: VICE mixed into 256 dimensions with a random matrix, a 6-dimensional nuisance and noise (the
// planted setting of the probe issue). The reference takes minutes, so this is run by hand, not by ctest:
//   bench_probe ../shared/reference/alignment_reference.py ../shared/data [lambda]
#include "bench_support.h"

#include "alignscope/datasets.h"
#include "alignscope/npy.h"
#include "alignscope/probe.h"
#include "alignscope/text_matrix.h"
#include "alignscope/version.h"

#include <cstdio>
#include <iostream>

using namespace alignscope;

int main(int argc, char** argv)
{
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
        "ids = [r['uniqueID'] for r in csv.DictReader(open(data + '/things/things_concepts.tsv', encoding='utf-8'), delimiter='\\t')]\n"
        "V = np.load(data + '/vice/final_embedding.npy'); pos = {u: i for i, u in enumerate(ids)}\n"
        "C = np.empty_like(V); C[[pos[u] for u in sorted(ids)]] = V\n"
        "rng = np.random.default_rng(0)\n"
        "F = C @ rng.standard_normal((42, 256)) / np.sqrt(42) + rng.standard_normal((len(ids), 6)) @ rng.standard_normal((6, 256)) * 1.5\n"
        "F = (F + 0.1 * rng.standard_normal(F.shape)).astype(np.float32)\n"
        "np.save(out + '/features.npy', F); open(out + '/features.rows.txt', 'w').write('\\n'.join(ids) + '\\n')\n"
        "T = np.loadtxt(data + '/things/triplets_with_subjects.txt', dtype=np.int64)[:, :3]; np.save(out + '/triplets.npy', T)\n"
        "perm = np.random.default_rng(42).permutation(len(ids)); fold = np.zeros(len(ids), int)\n"
        "for f in range(3): fold[perm[f::3]] = f\n"
        "open(out + '/folds.txt', 'w').write('\\n'.join(map(str, fold)) + '\\n')\n";
    FILE* python = ::popen(("/usr/bin/python3 - " + data + " " + dir).c_str(), "w");
    std::fputs(script.c_str(), python);
    if (::pclose(python) != 0) return 1;

    configureComputeThreads();
    auto objects = loadObjects(data + "/things/things_concepts.tsv");
    auto triplets = objects ? loadTriplets(dir + "/triplets.npy", objects->size()) : Result<TripletSet>(objects.error());
    auto features = objects ? loadFeatures(dir + "/features.npy", *objects, std::nullopt) : Result<FeatureMatrix>(objects.error());
    auto folds = readTextMatrix(dir + "/folds.txt");
    if (!triplets || !features || !folds) return 1;
    ProbeOptions options;
    options.lambdas = {std::stod(lambda)};
    options.device = ComputeDevice::Cpu;
    options.finalRefit = false; // the reference cross-validates only: compare the same work
    for (double f : folds->values.f64) options.foldOfObject.push_back(int(f));
    const double start = bench::seconds();
    auto ours = runProbe(*features, *triplets, options);
    const double oursSeconds = bench::seconds() - start;
    if (!ours) {
        std::cerr << ours.error().message() << "\n";
        return 1;
    }
    const double referenceStart = bench::seconds();
    const std::string json = bench::capture("/usr/bin/python3 " + reference + " probe --features " + dir + "/features.npy --triplets " + dir +
                                            "/triplets.npy --folds 3 --lam " + lambda);
    const double referenceSeconds = bench::seconds() - referenceStart;
    const double referenceAccuracy = bench::jsonNumber(json, "probed");
    std::cout << "probe, λ = " << lambda << ", 3 folds (same folds), n = 1854, p = 256, " << triplets->size() << " triplets\n"
              << "  ours:      zero-shot " << ours->zeroShotAccuracy << ", probed " << ours->cvAccuracy << ", " << oursSeconds
              << " s (3 folds)\n"
              << "  reference: zero-shot " << bench::jsonNumber(json, "zero_shot") << ", probed " << referenceAccuracy << ", "
              << referenceSeconds << " s (3 folds)\n"
              << "  accuracy difference " << ours->cvAccuracy - referenceAccuracy << " (must be >= -0.003); time ratio "
              << referenceSeconds / oursSeconds << "x (must be >= 3)\n";
    return ours->cvAccuracy >= referenceAccuracy - 0.003 && referenceSeconds >= 3 * oursSeconds ? 0 : 3;
}
