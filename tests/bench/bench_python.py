#!/usr/bin/python3
"""In-process speed of the alignscope Python module against the numpy reference at THINGS scale.

Usage: bench_python.py REFERENCE_SCRIPT [--n 1854] [--p 2048] [--triplets 4700000] [--runs 3]
(PYTHONPATH must reach the built alignscope package.) Times, in one Python process on the same arrays,
alignscope.odd_one_out with its defaults (accuracy, 1,000-replicate interval over triplets, the object jackknife,
the noise ceiling) and the reference's accuracy-only ooo(), medians of --runs; exits non-zero when the two
disagree on the accuracy. The speed-up is reported (the issue's target: at least 5x).
"""
import argparse, os, statistics, sys, time
import alignscope
from things_scale_data import things_scale


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("reference")
    ap.add_argument("--n", type=int, default=1854)
    ap.add_argument("--p", type=int, default=2048)
    ap.add_argument("--triplets", type=int, default=4_700_000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if not os.path.exists(a.reference):
        print(f"reference script {a.reference} not found: skipped")
        return 0
    sys.path.insert(0, os.path.dirname(a.reference))
    import alignment_reference as reference

    _, _, features, triplets = things_scale(a.n, a.p, a.triplets)

    ours, theirs = [], []
    for _ in range(a.runs):
        start = time.perf_counter()
        result = alignscope.odd_one_out(features, triplets)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        expected = reference.ooo(features, triplets, "cosine")
        theirs.append(time.perf_counter() - start)
    if result.accuracy != expected["accuracy"] or result.n_ties != expected["n_ties"]:
        sys.exit(f"accuracy differs: {result.accuracy} vs {expected['accuracy']}")
    x, y = statistics.median(ours), statistics.median(theirs)
    print(f"odd_one_out in-process, n={a.n} p={a.p} triplets={len(triplets)} (defaults: cosine, 1000 bootstrap "
          f"replicates, object jackknife, noise ceiling)\n"
          f"  alignscope.odd_one_out: median {x:.3f} s (runs {', '.join(f'{t:.3f}' for t in ours)})\n"
          f"  reference ooo():        median {y:.3f} s (runs {', '.join(f'{t:.3f}' for t in theirs)})\n"
          f"  speed-up:               {y / x:.2f}x (accuracy {result.accuracy:.6f} in both)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
