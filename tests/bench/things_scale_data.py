"""Synthetic data at THINGS scale shared by the process and Python benchmarks: features with structure (a
low-rank part plus noise, so choices are neither random nor all ties) and triplets of distinct objects with
repeats (so the noise ceiling is computed). Returns the generator too, for further draws in the same stream."""
import numpy as np


def things_scale(n, p, triplets, seed=0):
    rng = np.random.default_rng(seed)
    basis = rng.standard_normal((n, 64)).astype(np.float32)
    features = basis @ rng.standard_normal((64, p)).astype(np.float32) + rng.standard_normal((n, p)).astype(np.float32) * 4
    t = rng.integers(0, n, size=(triplets, 3), dtype=np.int64)
    t = t[(t[:, 0] != t[:, 1]) & (t[:, 0] != t[:, 2]) & (t[:, 1] != t[:, 2])]
    t[: 30 * 25] = np.repeat(t[:30], 25, axis=0)
    return rng, basis, features.astype(np.float32), t
