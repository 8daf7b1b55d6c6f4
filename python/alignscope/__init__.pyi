from os import PathLike
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

ArrayLike = npt.ArrayLike
Interval = List[Optional[float]]

class _Result:
    def to_dict(self) -> Dict[str, Any]: ...

class OddOneOutResult(_Result):
    accuracy: float
    n_triplets: int
    n_correct: int
    n_ties: int
    ci95: Interval
    ci95_objects: Interval
    similarity: str
    noise_ceiling: Optional[float]
    normalized_score: Optional[float]
    n_repeated_triplets: int
    per_concept: List[Dict[str, Any]]
    per_object: List[Dict[str, Any]]

class NeighboursResult(_Result):
    k: int
    similarity: str
    n_objects: int
    mean_jaccard: Optional[float]
    mean_spearman: Optional[float]
    objects: List[Dict[str, Any]]

class NoiseCeilingResult(_Result):
    noise_ceiling: Optional[float]
    agreement: Optional[float]
    n_repeated_triplets: int
    n_repeated_responses: int

class RsaResult(_Result):
    r: float
    compare: str
    n_stimuli: int
    n_pairs: int
    ci95: Optional[Interval]

def odd_one_out(features: ArrayLike, triplets: ArrayLike, similarity: str = ..., concepts: Optional[ArrayLike] = ...,
                bootstrap: int = ..., seed: int = ..., labels: Optional[Sequence[str]] = ...,
                top_k: int = ..., per_object: bool = ...) -> OddOneOutResult:
    """Odd-one-out alignment of a model (n × p features) with human triplets (N × 3 indices, k = human choice)."""
def neighbours(features: ArrayLike, human: Optional[ArrayLike] = ..., concepts: Optional[ArrayLike] = ...,
               k: int = ..., similarity: str = ..., human_kind: str = ...) -> NeighboursResult:
    """Each object's k nearest neighbours under the model and under humans; Jaccard@k and Spearman's rho."""
def noise_ceiling(triplets: ArrayLike) -> NoiseCeilingResult:
    """Human noise ceiling from repeated triplets."""
def rdm(features: ArrayLike, method: str = ...) -> npt.NDArray[np.float32]:
    """n × n RDM: correlation, cosine, euclidean or gaussian."""
def rsa(model_rdm: ArrayLike, human_rdm: ArrayLike, compare: str = ..., bootstrap: int = ...,
        seed: int = ...) -> RsaResult:
    """Spearman/Pearson/Kendall/cosine comparison of two RDMs, with an optional bootstrap over stimuli."""
def concept_similarity(concepts: ArrayLike, stimuli: Optional[Sequence[int]] = ...) -> npt.NDArray[np.float32]:
    """n × n similarity predicted by a concept embedding (VICE/SPoSE)."""
def cka(x: ArrayLike, y: ArrayLike, kind: str = ..., unbiased: bool = ..., sigma: float = ...) -> float:
    """Centered kernel alignment (linear or rbf)."""
def apply_transform(features: ArrayLike, npz_path: Union[str, PathLike]) -> npt.NDArray[np.float32]:
    """Features through a saved linear probe (.npz)."""
def load(path: Union[str, PathLike], rows: Optional[Union[str, PathLike]] = ...) -> Tuple[npt.NDArray[np.float32], Optional[List[str]]]:
    """Any matrix format the app reads ("file:key" picks a member), and its row IDs (one per row, or None)."""
def release_memory() -> int:
    """Returns the large buffers kept for the next call to the system; the bytes they held."""
def align_rows(array: ArrayLike, row_ids: Union[Sequence[str], str], to: Sequence[str],
               allow_extra: bool = ...) -> npt.NDArray[Any]:
    """Rows reordered to the IDs `to`, matched by ID ("canonical": row r is to[r]; "sorted": rows follow
    sorted(to))."""

class CorrelationResult:
    method: str
    r: Optional[float]
    ci95: Optional[List[float]]
    p_value: Optional[float]
    n_models: int
    permutations: int
    seed: int
    def to_dict(self) -> Dict[str, Any]: ...

class FactorResult:
    eta_squared: Optional[float]
    p_value: Optional[float]
    groups: List[Dict[str, Any]]
    pairs: List[Dict[str, Any]]
    n_models: int
    permutations: int
    seed: int
    def to_dict(self) -> Dict[str, Any]: ...

def correlate_models(x: Sequence[float], y: Sequence[float], method: str = "pearson", bootstrap: int = 1000,
                     permutations: int = 10000, seed: int = 0) -> CorrelationResult: ...
def factor_models(values: Sequence[float], levels: Sequence[Any], bootstrap: int = 1000,
                  permutations: int = 10000, seed: int = 0) -> FactorResult: ...

from . import models as models
