"""AlignScope from Python: odd-one-out alignment, RSA, CKA and concept similarity on NumPy arrays.

The same compiled core as the AlignScope app and ``alignscope-cli`` (no PyTorch needed, and safe to import in a
process that already imported it). Long calls release the GIL; Ctrl-C (KeyboardInterrupt) cancels them.
Errors raise ``ValueError`` (or ``TypeError`` for a wrong argument type) with the CLI's one-line message.

Arrays: features are ``n × p`` (float32 or float64, C or Fortran order; C-contiguous float32 is read without a
copy); triplets are ``N × 3`` integer indices into the feature rows, the third column being the human's odd
one out (THINGS convention).
"""
import os as _os

# OpenMP threads that wait passively leave the cores to the work beside them (the repeat grouping runs on its
# own thread next to the similarity's OpenMP threads). libgomp reads this once, when the extension loads it;
# the caller's environment is left as it was. No effect when another module loaded libgomp first.
_wait_policy = _os.environ.get("OMP_WAIT_POLICY")
if _wait_policy is None:
    _os.environ["OMP_WAIT_POLICY"] = "passive"
try:
    from . import _alignscope as _core
finally:
    if _wait_policy is None:
        del _os.environ["OMP_WAIT_POLICY"]

__version__ = _core.__version__
_shares_memory = _core._shares_memory  # tests: True when the core reads an array in place
__all__ = ["odd_one_out", "neighbours", "noise_ceiling", "rdm", "rsa", "concept_similarity", "cka", "apply_transform", "load",
           "align_rows",
           "correlate_models", "factor_models",
           "OddOneOutResult", "NeighboursResult", "NoiseCeilingResult", "RsaResult", "CorrelationResult", "FactorResult"]


class _Result:
    """A result with the CLI JSON's fields as attributes; ``to_dict()`` gives them as a dict."""

    def __init__(self, fields):
        self._fields = dict(fields)

    def __getattr__(self, name):
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._fields))

    def to_dict(self):
        """The fields as a plain dict (JSON-serialisable: NaN is None), as ``alignscope-cli --json`` prints."""
        return {key: (list(value) if isinstance(value, list) else value) for key, value in self._fields.items()}

    def __repr__(self):
        shown = ", ".join(f"{k}={v!r}" for k, v in self._fields.items()
                          if k not in ("per_concept", "per_object", "objects"))
        return f"{type(self).__name__}({shown})"


class OddOneOutResult(_Result):
    """accuracy, n_triplets, n_correct, n_ties, ci95, ci95_objects, similarity, noise_ceiling,
    normalized_score, n_repeated_triplets, per_concept (a list of dicts: dimension, label, n_triplets,
    n_correct, accuracy, ci95), and with per_object=True per_object (a list of dicts: id (the row),
    n_triplets, n_correct, n_ties, accuracy, ci95; objects in no triplet are left out)."""


class NeighboursResult(_Result):
    """k, similarity, n_objects, mean_jaccard, mean_spearman, objects (a list of dicts per row: id (the row),
    model_neighbours and human_neighbours (rows, nearest first), n_shared, jaccard, spearman)."""


class NoiseCeilingResult(_Result):
    """noise_ceiling, agreement, n_repeated_triplets, n_repeated_responses (and noise_ceiling_note)."""


class RsaResult(_Result):
    """r, compare, n_stimuli, n_pairs, ci95 (None without a bootstrap)."""


class CorrelationResult(_Result):
    """Correlation over models: ``method``, ``r``, ``ci95`` (bootstrap over models), ``p_value`` (two-sided
    permutation test), ``n_models``, ``permutations``, ``seed``, and ``note`` when there is no interval or
    p-value (fewer than 4 models, a constant variable)."""


class FactorResult(_Result):
    """A categorical column against a result: ``eta_squared`` (share of variance explained), ``p_value``
    (permutation), ``groups`` (``level``, ``n_models``, ``mean``, ``ci95``), ``pairs`` (``a``, ``b``,
    ``difference``, ``p_value``, ``p_holm``), ``n_models``, ``permutations``, ``seed``, and ``note``."""


def odd_one_out(features, triplets, similarity="cosine", concepts=None, bootstrap=1000, seed=0, labels=None,
                top_k=1, per_object=False):
    """Odd-one-out alignment of a model with human triplet judgments.

    The model's odd one out of triplet (i, j, k) is the object outside its most similar pair; accuracy is the
    share of triplets where that is k (the human choice). Exact ties count as wrong and are reported.

    features: n × p array, one row per object. triplets: N × 3 integer indices into those rows.
    similarity: "cosine", "dot", "euclidean" or "correlation".
    concepts: optional n × d non-negative concept embedding (e.g. VICE): adds the per-concept breakdown,
    each triplet assigned to the dimension with the largest mean over its kept pair. labels: d names.
    bootstrap: replicates for the 95% interval over triplets (the interval over objects is a jackknife).
    seed: seeds every random draw (results are deterministic for a seed). top_k: 1, or 2 to count each
    triplet under its two leading dimensions. per_object: adds ``per_object``, each object's accuracy over
    the triplets that contain it (any position; ties are wrong) with its interval over triplets (seeded with
    seed + 5 + row), as ``ooo --per-object`` (about 0.2 s more at THINGS scale, so off by default).
    Returns an OddOneOutResult.
    """
    return OddOneOutResult(_core.odd_one_out(features, triplets, similarity, concepts, labels, bootstrap, seed,
                                             top_k, per_object))


def neighbours(features, human=None, concepts=None, k=10, similarity="cosine", human_kind="similarity"):
    """Each object's k nearest neighbours under the model and under humans, and their agreement.

    features: n × p. The human space is either ``human``, an n × n matrix over the same rows (``human_kind``
    "similarity" or "dissimilarity"), or ``concepts``, an n × d concept embedding whose similarity
    (concept_similarity) is used. similarity: the model's ("cosine", "dot", "euclidean", "correlation").
    Equal similarities are ordered by row. Per object: Jaccard@k of the two neighbour lists and Spearman's rho
    of its two similarity rows without itself (None when a row is constant). Returns a NeighboursResult.
    """
    if (human is None) == (concepts is None):
        raise ValueError("give one of human and concepts")
    if concepts is not None:
        human, human_kind = _core.concept_similarity(concepts, None), "similarity"
    return NeighboursResult(_core.neighbours(features, human, similarity, k, human_kind))


def noise_ceiling(triplets):
    """Human noise ceiling from repeated triplets (the same unordered triplet judged more than once):
    leave-one-out agreement of each response with the others' majority. Returns a NoiseCeilingResult."""
    return NoiseCeilingResult(_core.noise_ceiling(triplets))


def rdm(features, method="correlation"):
    """n × n representational dissimilarity matrix of n × p features: "correlation" (1 − Pearson r of rows),
    "cosine", "euclidean" or "gaussian". float32, zero diagonal."""
    return _core.rdm(features, method)


def rsa(model_rdm, human_rdm, compare="spearman", bootstrap=0, seed=0):
    """Compare two RDMs (n × n, or condensed as scipy's squareform): "spearman", "pearson", "kendall-a",
    "kendall-b" or "cosine" over the upper triangles. bootstrap > 0 adds a 95% interval over stimuli (resampled
    with replacement). Returns an RsaResult."""
    return RsaResult(_core.rsa(model_rdm, human_rdm, compare, bootstrap, seed))


def concept_similarity(concepts, stimuli=None):
    """n × n human similarity predicted by a concept embedding (VICE/SPoSE): S_ij = mean over third objects of
    P(i and j kept together) under the softmax of the three dot products. stimuli: optional row indices."""
    return _core.concept_similarity(concepts, stimuli)


def cka(x, y, kind="linear", unbiased=False, sigma=1.0):
    """Centered kernel alignment of two representations of the same n stimuli (n × p and n × q):
    kind "linear" or "rbf"; unbiased uses the unbiased HSIC estimator (U-centred kernels). sigma: the RBF
    width as a multiple of the median pairwise distance (as ``alignscope-cli cka --sigma``)."""
    return _core.cka(x, y, kind, unbiased, float(sigma))


def apply_transform(features, npz_path):
    """Features through a linear probe saved by AlignScope (``alignscope-cli probe`` / the Probe page, .npz):
    standardised as in training, times W, plus the bias. Returns n × q float32."""
    return _core.apply_transform(features, str(npz_path))


def load(path, rows=None):
    """Reads any matrix format the app reads (.npy, .npz, .h5/.hdf5, .mat, .pt tensor, CSV/TSV/TXT; "file:key"
    picks a member of an .npz, HDF5 or MAT file) and returns (array, row_ids), through the same load path as
    the app and ``alignscope-cli``, with their errors. row_ids come from ``rows``, a row-ID file with one ID per
    line (thingsvision's file_names.txt), else from an ID array in the file or its "<stem>.rows.txt" sidecar;
    None when unknown. Row IDs whose count differs from the rows are an error, wherever they come from. The array
    is float32 when the file holds float32 (or float16) values and float64 otherwise, so no value is rounded,
    flushed to zero or overflowed before the analyses see it."""
    return _core.load(str(path), None if rows is None else str(rows))


def align_rows(array, row_ids, to, allow_extra=False):
    """The rows of ``array`` (row r named ``row_ids[r]``) in the order of the IDs ``to``, matched by ID as the
    app matches every matrix to its stimuli (never by position alone), with the app's errors. Every ID in ``to``
    must name exactly one row; rows whose ID is not in ``to`` are an error unless ``allow_extra``. ``row_ids``
    may instead be "canonical" (row r is ``to[r]``) or "sorted" (the rows follow ``sorted(to)``, Python's
    code-point order; the VICE THINGS embedding is stored so): then the array has exactly ``len(to)`` rows."""
    import numpy as np

    array = np.asarray(array)
    if not isinstance(row_ids, str):
        row_ids = [str(i) for i in row_ids]
    return array[_core.row_order(len(array), row_ids, [str(i) for i in to], bool(allow_extra))]


def release_memory():
    """Returns the large buffers kept for the next call to the system and says how many bytes they held. At THINGS
    scale a call keeps about 110 MB (the triplets, the similarity matrix, the repeat keys; at most 256 MB): fresh
    memory is page-faulted and cleared by the kernel, which took a fifth of a repeated odd_one_out call."""
    return _core.release_memory()


def correlate_models(x, y, method="pearson", bootstrap=1000, permutations=10000, seed=0):
    """Correlation of two per-model values (a result and a metadata column, or two results): Pearson's r or
    Spearman's rho (average ranks for ties, as scipy.stats), a 95% percentile bootstrap interval over models and
    a two-sided permutation p-value ((extreme + 1) / (permutations + 1)). Deterministic for a seed. Returns a
    CorrelationResult."""
    return CorrelationResult(_core.correlate_models([float(v) for v in x], [float(v) for v in y], method,
                                                    bootstrap, permutations, seed))


def factor_models(values, levels, bootstrap=1000, permutations=10000, seed=0):
    """How much of a per-model value a categorical column explains: eta squared with a permutation p-value,
    group means with bootstrap intervals, and pairwise differences with permutation p-values, Holm-corrected.
    Deterministic for a seed. Returns a FactorResult."""
    return FactorResult(_core.factor_models([float(v) for v in values], [str(v) for v in levels], bootstrap,
                                            permutations, seed))


from . import models  # noqa: E402 - alignscope.models.list()/export(): models by name, through the CLI
