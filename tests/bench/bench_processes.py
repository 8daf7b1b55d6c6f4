#!/usr/bin/python3
"""Whole-process benchmark at THINGS scale, as a user meets it: `alignscope-cli` with default options against
the numpy/scipy reference (../shared/reference/alignment_reference.py) on the same files, in the same run.

Usage: bench_processes.py CLI REFERENCE_SCRIPT [--n 1854] [--p 2048] [--triplets 4700000] [--runs 5]

Reports the median wall time of each side over --runs (5) alternating processes and their ratio, for
- ooo: default analysis (accuracy, intervals over triplets and objects, noise ceiling), no concepts;
- ooo with a 42-dimensional concept embedding (per-concept breakdown with intervals);
- rsa: correlation RDM, Spearman (the reference's defaults);
- `alignscope-cli --version`: start-up time and peak resident memory.
Exits non-zero when a process fails or the two sides disagree on the accuracy / r; speed is reported only.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
import numpy as np

from things_scale_data import things_scale


def run(command):
    """Wall seconds and stdout of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{err.decode()[-2000:]}")
    return elapsed, out.decode()


def peak_rss(command):
    """Peak resident bytes of one process, an upper bound: the kernel counts the forked copy of this Python
    process before exec too (about 20 MiB), so the program's own figure is lower."""
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execv(command[0], command)
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}")
    return usage.ru_maxrss * 1024


def compare(label, ours, theirs, runs, check):
    our_times, their_times = [], []
    for _ in range(runs):
        t, our_out = run(ours)
        our_times.append(t)
        t, their_out = run(theirs)
        their_times.append(t)
    check(json.loads(our_out), json.loads(their_out))
    a, b = statistics.median(our_times), statistics.median(their_times)
    print(f"{label}\n  alignscope-cli: median {a:.3f} s (runs {', '.join(f'{x:.3f}' for x in our_times)})\n"
          f"  reference:      median {b:.3f} s (runs {', '.join(f'{x:.3f}' for x in their_times)})\n"
          f"  speed-up:       {b / a:.2f}x")
    return b / a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("reference")
    ap.add_argument("--n", type=int, default=1854)
    ap.add_argument("--p", type=int, default=2048)
    ap.add_argument("--triplets", type=int, default=4_700_000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    if not os.path.exists(a.reference):
        print(f"reference script {a.reference} not found: skipped")
        return 0

    version = [a.cli, "--version"]
    times = [run(version)[0] for _ in range(10)]
    rss = max(peak_rss(version) for _ in range(3))
    print(f"alignscope-cli --version\n  median {statistics.median(times) * 1000:.1f} ms over 10 processes, "
          f"peak RSS at most {rss / 2**20:.1f} MiB (includes the forking Python's)")

    with tempfile.TemporaryDirectory() as folder:
        rng, basis, features, triplets = things_scale(a.n, a.p, a.triplets)
        ids = [f"object{i:04d}" for i in range(a.n)]
        objects = os.path.join(folder, "objects.txt")
        open(objects, "w").write("\n".join(ids) + "\n")
        features_path = os.path.join(folder, "features.npy")
        np.save(features_path, features)
        triplets_path = os.path.join(folder, "triplets.npy")
        np.save(triplets_path, triplets)
        concepts_path = os.path.join(folder, "concepts.npy")
        np.save(concepts_path, np.maximum(rng.standard_normal((a.n, 42)), 0).astype(np.float32))
        human = np.corrcoef(basis + rng.standard_normal(basis.shape).astype(np.float32))
        rdm_path = os.path.join(folder, "human_rdm.npy")
        np.save(rdm_path, (1 - human).astype(np.float32))

        def same_accuracy(ours, theirs):
            if abs(ours["models"][0]["accuracy"] - theirs["accuracy"]) > 1e-12:
                sys.exit(f"accuracy differs: {ours['models'][0]['accuracy']} vs {theirs['accuracy']}")

        reference = ["/usr/bin/python3", a.reference, "ooo", "--features", features_path, "--triplets", triplets_path]
        base = [a.cli, "ooo", "--objects", objects, "--triplets", triplets_path, "--features", features_path, "--feature-rows", "canonical",
                "--json"]
        compare(f"ooo n={a.n} p={a.p} triplets={len(triplets)} (defaults: cosine, 1000 bootstrap replicates, noise ceiling)",
                base, reference, a.runs, same_accuracy)
        compare("ooo with 42 concept dimensions (per-concept breakdown with intervals)",
                base + ["--concepts", concepts_path, "--concept-rows", "canonical"], reference, a.runs, same_accuracy)

        def same_r(ours, theirs):
            if abs(ours["r"] - theirs["r"]) > 1e-6:
                sys.exit(f"RSA r differs: {ours['r']} vs {theirs['r']}")

        compare(f"rsa n={a.n} p={a.p} (correlation RDM, Spearman)",
                [a.cli, "rsa", "--objects", objects, "--features", features_path, "--feature-rows", "canonical", "--rdm", rdm_path,
                 "--rdm-rows", objects, "--json"],
                ["/usr/bin/python3", a.reference, "rsa", "--features", features_path, "--rdm", rdm_path], a.runs, same_r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
