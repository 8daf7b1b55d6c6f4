// RSA benchmark at THINGS scale (n = 1,854, p = 2,048: a cosine RDM and a correlation RDM of half the
// features, compared by Spearman and Pearson), against alignment_reference.py bench (rsa part); both sides
// in 3 fresh processes. `--large [n]` instead times one Spearman RSA at n = 26,107 stimuli (the THINGS
// image count) and reports time and peak memory, which must stay under 8 GB.
// Usage: bench_rsa REFERENCE_SCRIPT | bench_rsa --large [n]
#include "bench_support.h"

#include "alignscope/rsa.h"
#include "alignscope/version.h"

#include <algorithm>
#include <iostream>
#include <random>
#include <unistd.h>
#include <vector>

using namespace alignscope;

namespace {

FeatureMatrix randomFeatures(std::int64_t n, std::int64_t p, unsigned seed)
{
    FeatureMatrix f;
    f.rows = n;
    f.cols = p;
    f.values.resize(size_t(n * p));
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    for (auto& v : f.values)
        v = normal(rng);
    f.rowIds.resize(size_t(n));
    return f;
}

FeatureMatrix firstColumns(const FeatureMatrix& f, std::int64_t columns)
{
    FeatureMatrix out = f;
    out.cols = columns;
    out.values.clear();
    for (std::int64_t r = 0; r < f.rows; ++r)
        out.values.insert(out.values.end(), f.row(r), f.row(r) + columns);
    return out;
}

// One measurement (best of 3 calls) in this process; prints JSON.
int inner(std::int64_t n, std::int64_t p)
{
    configureComputeThreads();
    const FeatureMatrix x = randomFeatures(n, p, 0);
    const FeatureMatrix half = firstColumns(x, p / 2);
    double best = -1, r1 = 0, r2 = 0;
    for (int run = 0; run < 3; ++run) {
        const double start = bench::seconds();
        auto a = modelRdm(x, RdmMethod::Cosine);
        auto b = modelRdm(half, RdmMethod::Correlation);
        if (!a || !b) return 1;
        auto spearman = compareRdms(*a, *b, CompareMethod::Spearman);
        auto pearson = compareRdms(*a, *b, CompareMethod::Pearson);
        const double elapsed = bench::seconds() - start;
        if (!spearman || !pearson) return 1;
        r1 = *spearman, r2 = *pearson;
        if (best < 0 || elapsed < best) best = elapsed;
    }
    std::cout << "{\"seconds\": " << best << ", \"spearman\": " << r1 << ", \"pearson\": " << r2 << "}\n";
    return 0;
}

int large(std::int64_t n, std::int64_t p)
{
    configureComputeThreads();
    const double start = bench::seconds();
    const FeatureMatrix x = randomFeatures(n, p, 0);
    auto a = modelRdm(x, RdmMethod::Cosine);
    auto b = modelRdm(firstColumns(x, p / 2), RdmMethod::Correlation);
    if (!a || !b) return 1;
    const double rdms = bench::seconds() - start;
    auto r = compareRdmsConsuming(std::move(a).value(), std::move(b).value(), CompareMethod::Spearman);
    const double total = bench::seconds() - start;
    if (!r) return 1;
    const double peakGb = double(bench::statusBytes("VmHWM")) / 1e9;
    std::cout << "RSA Spearman n=" << n << " p=" << p << " (" << CondensedMatrix::pairCount(n)
              << " pairs): r=" << *r << "\n"
              << "  RDMs " << rdms << " s, total " << total << " s, peak memory " << peakGb
              << " GB (limit 8 GB)\n";
    return peakGb < 8.0 ? 0 : 2;
}

} // namespace

int main(int argc, char** argv)
{
    const std::string first = argc > 1 ? argv[1] : "";
    if (first == "--inner") return inner(std::atoll(argv[2]), std::atoll(argv[3]));
    if (first == "--large") return large(argc > 2 ? std::atoll(argv[2]) : 26107, 2048);
    const std::int64_t n = 1854, p = 2048;
    char self[4096] = {};
    if (::readlink("/proc/self/exe", self, sizeof self - 1) <= 0) return 1;
    std::vector<double> ours, theirs;
    double spearman = 0;
    for (int process = 0; process < 3; ++process) {
        const std::string json =
            bench::capture(std::string(self) + " --inner " + std::to_string(n) + " " + std::to_string(p));
        ours.push_back(bench::jsonNumber(json, "seconds"));
        spearman = bench::jsonNumber(json, "spearman");
        if (ours.back() <= 0) {
            std::cerr << "measurement process failed: " << json << "\n";
            return 1;
        }
        if (!first.empty())
            theirs.push_back(bench::jsonNumber(
                bench::capture("/usr/bin/python3 " + first + " bench --n 1854 --p 2048 --triplets 1000"),
                "rsa_seconds"));
    }
    std::sort(ours.begin(), ours.end());
    std::sort(theirs.begin(), theirs.end());
    std::cout << "RSA n=" << n << " p=" << p
              << ": cosine + correlation RDMs, Spearman + Pearson (3 processes each side)\n"
              << "  ours:      best " << ours.front() << " s, median " << ours[1] << " s (spearman r "
              << spearman << ")\n";
    if (!theirs.empty())
        std::cout << "  reference: best " << theirs.front() << " s, median " << theirs[1] << " s\n"
                  << "  speed-up:  " << theirs.front() / ours.front() << "x best-to-best, "
                  << theirs[1] / ours[1] << "x median-to-median\n";
    return 0;
}
