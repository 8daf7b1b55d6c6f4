"""Per-object alignment and neighbours (issue 28) against NumPy references: alignscope.odd_one_out's per_object,
alignscope.neighbours and alignscope-cli ooo --per-object / neighbours on the same inputs.

Run by ctest (python_module) with the environment test_alignscope.py describes; the THINGS checks skip when
../shared is absent.
"""
import csv
import os
import tempfile
import unittest

import numpy as np

import alignscope
from cli_support import SHARED, cli_json


def reference_similarity(features, kind):
    x = np.asarray(features, dtype=np.float64)
    if kind == "dot":
        return x @ x.T
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    return x @ x.T


def reference_choices(similarity, triplets):
    """Column of the model's odd one out (2 = the human's), -1 for an exact tie."""
    i, j, k = triplets[:, 0], triplets[:, 1], triplets[:, 2]
    s = np.stack([similarity[i, j], similarity[i, k], similarity[j, k]], 1)
    choice = np.array([2, 1, 0])[s.argmax(1)]
    choice[(s == s.max(1, keepdims=True)).sum(1) > 1] = -1
    return choice


def reference_per_object(triplets, choice, n):
    """Per object: triplets that contain it (any position, once) and those the model got right."""
    contains = np.zeros((n, len(triplets)), dtype=bool)
    for column in range(3):
        contains[triplets[:, column], np.arange(len(triplets))] = True
    counts = contains.sum(1)
    correct = (contains & (choice == 2)[None, :]).sum(1)
    return counts, correct


def average_ranks(values):
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    sorted_values = values[order]
    first = 0
    while first < len(values):
        last = first
        while last + 1 < len(values) and sorted_values[last + 1] == sorted_values[first]:
            last += 1
        ranks[order[first:last + 1]] = 0.5 * (first + last) + 1
        first = last + 1
    return ranks


def reference_neighbours(model, human, k):
    """Per row: k nearest (equal values by row), Jaccard@k and Spearman of the rows without the object."""
    n = len(model)
    out = []
    for o in range(n):
        others = np.array([r for r in range(n) if r != o])
        near = [others[np.lexsort((others, -row[others]))][:k] for row in (model[o], human[o])]
        shared = len(set(near[0]) & set(near[1]))
        a, b = average_ranks(model[o, others]), average_ranks(human[o, others])
        a, b = a - a.mean(), b - b.mean()
        rho = (a @ b) / np.sqrt((a @ a) * (b @ b)) if (a @ a) > 0 and (b @ b) > 0 else None
        out.append((list(near[0]), list(near[1]), shared / (2 * k - shared), rho))
    return out


class PerObjectOnSynthetic(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(5)
        self.features = rng.standard_normal((30, 6)).astype(np.float32)
        self.features[1] = self.features[0]  # ties: rows 0 and 1 are one point
        t = rng.integers(0, 30, size=(3000, 3))
        self.triplets = t[(t[:, 0] != t[:, 1]) & (t[:, 0] != t[:, 2]) & (t[:, 1] != t[:, 2])][:1500]
        self.triplets[:5] = [[0, 1, 2], [2, 0, 1], [3, 4, 0], [1, 5, 0], [6, 7, 8]]

    def test_per_object_equals_numpy(self):
        ours = alignscope.odd_one_out(self.features, self.triplets, similarity="dot", bootstrap=200, seed=4,
                                      per_object=True)
        choice = reference_choices(reference_similarity(self.features, "dot"), self.triplets)
        self.assertGreater((choice == -1).sum(), 0)  # the planted ties count as wrong
        counts, correct = reference_per_object(self.triplets, choice, len(self.features))
        rows = [o["id"] for o in ours.per_object]
        self.assertEqual(rows, [r for r in range(len(counts)) if counts[r] > 0])
        for o in ours.per_object:
            self.assertEqual(o["n_triplets"], counts[o["id"]])
            self.assertEqual(o["n_correct"], correct[o["id"]])
            self.assertEqual(o["accuracy"], correct[o["id"]] / counts[o["id"]])
            self.assertLessEqual(o["ci95"][0], o["accuracy"] + 0.5 / counts[o["id"]])
            self.assertGreaterEqual(o["ci95"][1], o["accuracy"] - 0.5 / counts[o["id"]])
        self.assertNotIn("per_object", alignscope.odd_one_out(self.features, self.triplets).to_dict())

    def test_neighbours_equal_numpy_with_ties_by_row(self):
        rng = np.random.default_rng(8)
        human = np.round(rng.random((30, 30)), 1).astype(np.float32)  # many equal values
        human = (human + human.T) / 2
        for k in (1, 5):
            with self.subTest(k=k):
                ours = alignscope.neighbours(self.features, human, k=k, similarity="dot")
                expected = reference_neighbours(reference_similarity(self.features, "dot"), human.astype(np.float64), k)
                for got, (model, people, jaccard, rho) in zip(ours.objects, expected):
                    self.assertEqual(got["model_neighbours"], model)
                    self.assertEqual(got["human_neighbours"], people)
                    self.assertAlmostEqual(got["jaccard"], jaccard, places=12)
                    self.assertAlmostEqual(got["spearman"], rho, places=9)
                self.assertAlmostEqual(ours.mean_jaccard, np.mean([e[2] for e in expected]), places=12)

    def test_neighbours_refuse(self):
        with self.assertRaisesRegex(ValueError, "from 1 to 29"):
            alignscope.neighbours(self.features, np.eye(30), k=30)
        with self.assertRaisesRegex(ValueError, "n × n"):
            alignscope.neighbours(self.features, np.eye(29))
        with self.assertRaisesRegex(ValueError, "one of human and concepts"):
            alignscope.neighbours(self.features)


class PerObjectOnThings(unittest.TestCase):
    """The shared THINGS sample: a VICE-derived "model" (as test_alignscope.MatchesTheReference)."""

    def setUp(self):
        data = os.path.join(SHARED, "data")
        if not SHARED or not os.path.exists(os.path.join(data, "vice", "final_embedding.npy")):
            self.skipTest("../shared/data is absent")
        self.objects_path = os.path.join(data, "things", "things_concepts.tsv")
        with open(self.objects_path, encoding="utf-8", newline="") as f:
            self.things = [row["uniqueID"] for row in csv.DictReader(f, delimiter="\t")]
        self.vice = np.maximum(alignscope.align_rows(np.load(os.path.join(data, "vice", "final_embedding.npy")),
                                                     "sorted", self.things), 0).astype(np.float32)
        self.triplets_path = os.path.join(data, "things", "triplets_with_subjects.txt")
        self.triplets = np.loadtxt(self.triplets_path, dtype=np.int64)[:, :3]
        rng = np.random.default_rng(11)
        self.features = (self.vice @ rng.standard_normal((self.vice.shape[1], 64))
                         + 0.5 * rng.standard_normal((len(self.vice), 64))).astype(np.float32)
        self.work = tempfile.TemporaryDirectory()
        self.features_path = os.path.join(self.work.name, "model.npy")
        np.save(self.features_path, self.features)

    def tearDown(self):
        self.work.cleanup()

    def test_per_object_equals_numpy_and_the_cli(self):
        ours = alignscope.odd_one_out(self.features, self.triplets, bootstrap=100, seed=2, per_object=True)
        choice = reference_choices(reference_similarity(self.features, "cosine"), self.triplets)
        counts, correct = reference_per_object(self.triplets, choice, len(self.things))
        self.assertEqual(len(ours.per_object), int((counts > 0).sum()))
        for o in ours.per_object:
            self.assertEqual((o["n_triplets"], o["n_correct"]), (counts[o["id"]], correct[o["id"]]))
        cli = cli_json("ooo", "--objects", self.objects_path, "--triplets", self.triplets_path, "--features",
                       self.features_path, "--feature-rows", "canonical", "--bootstrap", "100", "--seed", "2",
                       "--per-object")
        written = cli["models"][0]["per_object"]
        self.assertEqual([o["id"] for o in written], [self.things[o["id"]] for o in ours.per_object])
        for a, b in zip(written, ours.per_object):
            self.assertEqual((a["n_triplets"], a["n_correct"], a["accuracy"], a["ci95"]),
                             (b["n_triplets"], b["n_correct"], b["accuracy"], b["ci95"]))
        wrong = {o["id"]: o["n_all_models_wrong"] for o in cli["per_object_all_models_wrong"]}
        self.assertEqual(wrong, {o["id"]: o["n_triplets"] - o["n_correct"] for o in written})  # one model

    def test_neighbours_equal_numpy_and_the_cli(self):
        human = alignscope.concept_similarity(self.vice)
        ours = alignscope.neighbours(self.features, human, k=10)
        expected = reference_neighbours(reference_similarity(self.features, "cosine"), human.astype(np.float64), 10)
        # The model's similarities are float32 in the core: a neighbour list may differ where two neighbours'
        # similarities are within float32 rounding of each other.
        same = sum(got["model_neighbours"] == e[0] for got, e in zip(ours.objects, expected))
        self.assertGreaterEqual(same, len(expected) - 5)
        for got, e in zip(ours.objects, expected):
            self.assertEqual(got["human_neighbours"], e[1])
            self.assertAlmostEqual(got["spearman"], e[3], places=4)
        self.assertAlmostEqual(ours.mean_jaccard, np.mean([e[2] for e in expected]), places=3)
        cli = cli_json("neighbours", "--objects", self.objects_path, "--features", self.features_path,
                       "--feature-rows", "canonical", "--concepts", self.vice_path(), "--concept-rows",
                       "canonical", "--k", "10")
        for a, b in zip(cli["objects"], ours.objects):
            self.assertEqual(a["model_neighbours"], [self.things[r] for r in b["model_neighbours"]])
            self.assertEqual(a["human_neighbours"], [self.things[r] for r in b["human_neighbours"]])
            self.assertAlmostEqual(a["spearman"], b["spearman"], places=6)

    def vice_path(self):
        path = os.path.join(self.work.name, "vice.npy")
        np.save(path, self.vice)
        return path


if __name__ == "__main__":
    unittest.main()
