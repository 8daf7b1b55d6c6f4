"""The alignscope Python module against alignscope-cli's JSON and ../shared/reference (Debian's python3, numpy).

Run by ctest (python_module): ALIGNSCOPE_CLI names the CLI of the same build, PYTHONPATH the built package,
ALIGNSCOPE_SHARED the shared data and reference folder (tests needing it skip when it is absent).
"""
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import numpy as np

import alignscope
from cli_support import CLI, SHARED, cli_json


def synthetic(n=80, p=24, triplets=6000, dimensions=6, seed=3):
    """Features with structure, triplets with repeats (for the noise ceiling) and a concept embedding."""
    rng = np.random.default_rng(seed)
    basis = rng.standard_normal((n, 8))
    features = (basis @ rng.standard_normal((8, p)) + rng.standard_normal((n, p))).astype(np.float32)
    t = rng.integers(0, n, size=(triplets * 2, 3))
    t = t[(t[:, 0] != t[:, 1]) & (t[:, 0] != t[:, 2]) & (t[:, 1] != t[:, 2])][:triplets]
    t[:600] = np.repeat(t[:40], 15, axis=0)
    concepts = np.maximum(rng.standard_normal((n, dimensions)), 0).astype(np.float32)
    return features, t.astype(np.int64), concepts


class MatchesTheCli(unittest.TestCase):
    def test_odd_one_out_equals_cli_json(self):
        features, triplets, concepts = synthetic()
        with tempfile.TemporaryDirectory() as folder:
            paths = {name: os.path.join(folder, name + ".npy") for name in ("features", "triplets", "concepts")}
            np.save(paths["features"], features)
            np.save(paths["triplets"], triplets)
            np.save(paths["concepts"], concepts)
            objects = os.path.join(folder, "objects.txt")
            with open(objects, "w") as f:
                f.write("".join(f"object{i}\n" for i in range(len(features))))
            for similarity in ("cosine", "dot", "euclidean", "correlation"):
                with self.subTest(similarity=similarity):
                    expected = cli_json("ooo", "--objects", objects, "--triplets", paths["triplets"], "--features",
                                        paths["features"], "--feature-rows", "canonical", "--concepts",
                                        paths["concepts"], "--concept-rows", "canonical", "--similarity", similarity)
                    model = expected["models"][0]
                    ours = alignscope.odd_one_out(features, triplets, similarity=similarity, concepts=concepts).to_dict()
                    for key in ("accuracy", "n_triplets", "n_correct", "n_ties", "ci95", "ci95_objects",
                                "normalized_score"):
                        self.assertEqual(ours[key], model[key], key)
                    for key in ("similarity", "noise_ceiling", "n_repeated_triplets"):
                        self.assertEqual(ours[key], expected[key], key)
                    self.assertEqual(len(ours["per_concept"]), concepts.shape[1])
                    for a, b in zip(ours["per_concept"], model["per_concept"]):
                        for key in ("dimension", "n_triplets", "n_correct", "accuracy", "ci95"):
                            self.assertEqual(a[key], b[key], key)
            self.assertIsNotNone(expected["noise_ceiling"])

    def test_errors_carry_the_cli_message(self):
        missing = "/nonexistent/features.npy"
        done = subprocess.run([CLI, "info", missing], capture_output=True, text=True)
        self.assertNotEqual(done.returncode, 0)
        with self.assertRaises(ValueError) as raised:
            alignscope.load(missing)
        self.assertIn(str(raised.exception), done.stderr)
        self.assertIn(missing, str(raised.exception))
        features, triplets, _ = synthetic()
        triplets[5, 1] = len(features)
        # Both index widths read in place, and unsigned ones through a copy, name the first bad row.
        for dtype in (np.int64, np.int32, np.uint16):
            with self.subTest(dtype=dtype.__name__):
                with self.assertRaisesRegex(ValueError, "row 5 has index 80"):
                    alignscope.odd_one_out(features, triplets.astype(dtype))
        repeated = triplets.copy()
        repeated[5, 1] = repeated[5, 0]
        repeated[7, 2] = -1
        for dtype in (np.int64, np.int32):
            with self.assertRaisesRegex(ValueError, "row 5 repeats an object"):
                alignscope.odd_one_out(features, repeated.astype(dtype))
        with self.assertRaisesRegex(ValueError, "row 1 has index -1"):  # row 7 of the whole array
            alignscope.odd_one_out(features, repeated[6:].astype(np.int32))
        with self.assertRaisesRegex(ValueError, "unknown similarity"):
            alignscope.odd_one_out(features, triplets[:5], similarity="cosin")
        with self.assertRaisesRegex(ValueError, "finite"):
            alignscope.rdm(np.array([[1.0, np.nan], [0.0, 1.0]]))


class LoadsLikeTheCli(unittest.TestCase):
    """alignscope.load reads through the core's one load path (load.h), as the CLI and the GUI do: what one
    refuses the others refuse, with the same message."""

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        self.features = np.arange(10, dtype=np.float32).reshape(5, 2)
        self.objects = self.write("objects.txt", "".join(f"o{i}\n" for i in range(5)))
        self.good = self.path("good.npy")
        np.save(self.good, self.features)
        self.write("good.rows.txt", "".join(f"o{i}\n" for i in range(5)))

    def path(self, name):
        return os.path.join(self.folder.name, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def cli_error(self, *arguments):
        done = subprocess.run([CLI, *arguments], capture_output=True, text=True)
        self.assertEqual(done.returncode, 1, done.stderr)
        return done.stderr.strip()

    def cka_error(self, spec):
        return self.cli_error("cka", "--objects", self.objects, "--features", spec, "--features", self.good)

    def test_refuses_a_sidecar_of_another_count(self):
        stale = self.path("stale.npy")
        np.save(stale, self.features)
        self.write("stale.rows.txt", "o0\no1\no2\no3\n")
        expected = self.cka_error(stale)
        self.assertIn("5 rows but 4 row IDs in", expected)
        with self.assertRaises(ValueError) as raised:
            alignscope.load(stale)
        self.assertEqual(str(raised.exception), expected)
        # An ID array inside the file is held to the same count.
        archive = self.path("archive.npz")
        np.savez(archive, features=self.features, ids=np.array(["o0", "o1", "o2"]))
        expected = self.cka_error(archive)
        self.assertIn("5 rows but 3 row IDs in", expected)
        with self.assertRaises(ValueError) as raised:
            alignscope.load(archive)
        self.assertEqual(str(raised.exception), expected)

    def test_keys_mean_what_they_mean_in_the_cli(self):
        archive = self.path("two.npz")
        other = np.arange(15, dtype=np.float32).reshape(5, 3) ** 2
        np.savez(archive, features=self.features, other=other)
        array, _ = alignscope.load(archive + ":other")
        np.testing.assert_array_equal(array, other)
        done = subprocess.run([CLI, "cka", "--objects", self.objects, "--feature-rows", "canonical", "--features",
                               archive + ":other", "--features", archive, "--json"], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertAlmostEqual(json.loads(done.stdout)["cka"], alignscope.cka(other, self.features), places=5)
        for spec in (self.good + ":features", archive + ":nope"):
            with self.subTest(spec=spec):
                expected = self.cka_error(spec)
                with self.assertRaises(ValueError) as raised:
                    alignscope.load(spec)
                self.assertEqual(str(raised.exception), expected)
        self.assertIn("holds one array", self.cka_error(self.good + ":features"))

    def test_concept_labels_name_every_dimension(self):
        features, triplets, concepts = synthetic()
        paths = {name: self.path(name + ".npy") for name in ("features", "triplets", "concepts")}
        np.save(paths["features"], features)
        np.save(paths["triplets"], triplets)
        np.save(paths["concepts"], concepts)
        objects = self.write("many.txt", "".join(f"object{i}\n" for i in range(len(features))))
        d = concepts.shape[1]
        for count in (d - 1, d + 1):
            with self.subTest(labels=count):
                labels = [f"dimension {i}" for i in range(count)]
                expected = self.cli_error("ooo", "--objects", objects, "--triplets", paths["triplets"], "--features",
                                          paths["features"], "--feature-rows", "canonical", "--concepts",
                                          paths["concepts"], "--concept-rows", "canonical", "--concept-labels",
                                          self.write("labels.txt", "\n".join(labels) + "\n"))
                reason = f"{count} labels for {d} dimensions"
                self.assertIn(reason, expected)
                with self.assertRaisesRegex(ValueError, "^labels: " + reason):
                    alignscope.odd_one_out(features, triplets, concepts=concepts, labels=labels, bootstrap=0)
        labels = [f"dimension {i}" for i in range(d)]
        result = alignscope.odd_one_out(features, triplets, concepts=concepts, labels=labels, bootstrap=0)
        self.assertEqual([c["label"] for c in result.per_concept], labels)

    def test_align_rows_canonical_counts_the_rows(self):
        array = np.arange(8.0).reshape(4, 2)
        np.testing.assert_array_equal(alignscope.align_rows(array, "canonical", ["a", "b", "c", "d"]), array)
        for policy in ("canonical", "sorted"):
            with self.subTest(policy=policy):
                with self.assertRaisesRegex(ValueError, "4 rows but 3 objects"):
                    alignscope.align_rows(array, policy, ["a", "b", "c"])
        with self.assertRaisesRegex(ValueError, "neither 'canonical', 'sorted'"):
            alignscope.align_rows(array, "canonicl", ["a", "b", "c", "d"])


class MatchesTheReference(unittest.TestCase):
    def setUp(self):
        reference = os.path.join(SHARED, "reference", "alignment_reference.py")
        if not SHARED or not os.path.exists(reference):
            self.skipTest("../shared (data and reference) is absent")
        sys.path.insert(0, os.path.dirname(reference))
        import alignment_reference
        self.reference = alignment_reference
        data = os.path.join(SHARED, "data")
        with open(os.path.join(data, "things", "things_concepts.tsv"), encoding="utf-8", newline="") as f:
            things = [row["uniqueID"] for row in csv.DictReader(f, delimiter="\t")]
        # VICE rows are in sorted-ID order: matched to THINGS order by ID.
        self.vice = alignscope.align_rows(np.load(os.path.join(data, "vice", "final_embedding.npy")), "sorted",
                                          things).astype(np.float32)
        self.triplets = np.loadtxt(os.path.join(data, "things", "triplets_with_subjects.txt"), dtype=np.int64)[:, :3]
        rng = np.random.default_rng(11)
        # A "model": the VICE embedding seen through noise and a random projection.
        self.features = (np.maximum(self.vice, 0) @ rng.standard_normal((self.vice.shape[1], 64))
                         + 0.5 * rng.standard_normal((len(self.vice), 64))).astype(np.float32)

    def test_odd_one_out_and_concepts_on_things(self):
        for similarity in ("cosine", "dot"):
            with self.subTest(similarity=similarity):
                expected = self.reference.ooo(self.features, self.triplets, similarity)
                ours = alignscope.odd_one_out(self.features, self.triplets, similarity=similarity,
                                              concepts=np.maximum(self.vice, 0), bootstrap=0)
                self.assertEqual(ours.accuracy, expected["accuracy"])
                self.assertEqual(ours.n_ties, expected["n_ties"])
                self.assertEqual(ours.n_triplets, expected["n_triplets"])
                choices = self.reference.ooo_choices(self.reference.similarity(self.features, similarity), self.triplets)
                breakdown = self.reference.concept_breakdown(np.maximum(self.vice, 0).astype(np.float32),
                                                             self.triplets, choices == 2)
                for a, b in zip(ours.per_concept, breakdown):
                    self.assertEqual(a["n_triplets"], b["n_triplets"])
                    self.assertEqual(a["accuracy"], b["accuracy"])

    def test_rsa_within_1e9(self):
        model = self.reference.rdm(self.features[:400].astype(np.float64), "correlation").astype(np.float32)
        human = self.reference.rdm(np.maximum(self.vice[:400], 0).astype(np.float64), "correlation").astype(np.float32)
        for compare in ("spearman", "pearson"):
            with self.subTest(compare=compare):
                expected = self.reference.rsa(model.astype(np.float64), human.astype(np.float64), compare)
                self.assertAlmostEqual(alignscope.rsa(model, human, compare=compare).r, expected, delta=1e-9)
        # The module's own RDM equals the reference's to float32 rounding.
        np.testing.assert_allclose(alignscope.rdm(self.features[:400], "correlation"),
                                   self.reference.rdm(self.features[:400].astype(np.float64), "correlation"),
                                   atol=2e-6)


class Arrays(unittest.TestCase):
    def test_c_contiguous_float32_is_not_copied(self):
        features, triplets, _ = synthetic()
        self.assertTrue(alignscope._shares_memory(features))
        self.assertFalse(alignscope._shares_memory(features.astype(np.float64)))
        self.assertFalse(alignscope._shares_memory(np.asfortranarray(features)))
        self.assertFalse(alignscope._shares_memory(features[:, ::2]))
        expected = alignscope.odd_one_out(features, triplets).to_dict()
        for variant in (features.astype(np.float64), np.asfortranarray(features)):
            self.assertEqual(alignscope.odd_one_out(variant, triplets).to_dict(), expected)
        self.assertEqual(alignscope.odd_one_out(features, triplets.astype(np.int32)).to_dict(), expected)

    def test_load_with_a_thingsvision_row_file(self):
        features, _, _ = synthetic(n=5)
        with tempfile.TemporaryDirectory() as folder:
            np.save(os.path.join(folder, "features.npy"), features)
            names = [f"images/object{i}.jpg" for i in range(5)]
            with open(os.path.join(folder, "file_names.txt"), "w") as f:
                f.write("\n".join(names) + "\n")
            array, ids = alignscope.load(os.path.join(folder, "features.npy"),
                                         rows=os.path.join(folder, "file_names.txt"))
            np.testing.assert_array_equal(array, features)
            self.assertEqual(len(ids), 5)
            with open(os.path.join(folder, "short.txt"), "w") as f:
                f.write("a\nb\n")
            with self.assertRaisesRegex(ValueError, "features.npy: 5 rows but 2 row IDs in .*short.txt"):
                alignscope.load(os.path.join(folder, "features.npy"), rows=os.path.join(folder, "short.txt"))

    def test_cka_concepts_and_transform(self):
        features, _, concepts = synthetic()
        self.assertAlmostEqual(alignscope.cka(features, features), 1.0, places=9)
        x = features - features.mean(0)
        y = concepts - concepts.mean(0)
        linear = np.linalg.norm(x.T.astype(np.float64) @ y) ** 2 / (
            np.linalg.norm(x.T.astype(np.float64) @ x) * np.linalg.norm(y.T.astype(np.float64) @ y))
        self.assertAlmostEqual(alignscope.cka(features, concepts), linear, places=6)
        similarity = alignscope.concept_similarity(concepts)
        self.assertEqual(similarity.shape, (80, 80))
        np.testing.assert_allclose(similarity, similarity.T, atol=1e-6)
        self.assertEqual(alignscope.concept_similarity(concepts, stimuli=[3, 1, 2]).shape, (3, 3))
        rng = np.random.default_rng(0)
        weights = rng.standard_normal((features.shape[1], 5)).astype(np.float32)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "probe.npz")
            np.savez(path, weights=weights, mean=np.float64(0.5), std=np.float64(2.0))
            transformed = alignscope.apply_transform(features, path)
        np.testing.assert_allclose(transformed, ((features.astype(np.float64) - 0.5) / 2.0) @ weights, rtol=1e-5,
                                   atol=1e-5)

    def test_align_rows_matches_by_id(self):
        array = np.arange(8.0).reshape(4, 2)
        np.testing.assert_array_equal(alignscope.align_rows(array, ["c", "a", "d", "b"], ["a", "b", "c", "d"]),
                                      array[[1, 3, 0, 2]])
        np.testing.assert_array_equal(alignscope.align_rows(array, "sorted", ["d", "c", "b", "a"]), array[::-1])
        with self.assertRaisesRegex(ValueError, "missing d; extra x"):
            alignscope.align_rows(array, ["a", "b", "c", "x"], ["a", "b", "c", "d"])
        with self.assertRaisesRegex(ValueError, "extra d"):
            alignscope.align_rows(array, ["a", "b", "c", "d"], ["a", "b", "c"])
        self.assertEqual(len(alignscope.align_rows(array, ["a", "b", "c", "d"], ["a", "b"], allow_extra=True)), 2)

    def test_noise_ceiling(self):
        _, triplets, _ = synthetic()
        result = alignscope.noise_ceiling(triplets)
        self.assertGreaterEqual(result.n_repeated_triplets, 40)  # the 40 planted groups and chance repeats
        self.assertTrue(0 < result.agreement <= 1)
        full = alignscope.odd_one_out(synthetic()[0], triplets)
        self.assertEqual(result.n_repeated_triplets, full.n_repeated_triplets)
        self.assertEqual(result.noise_ceiling, full.noise_ceiling)


    def test_recycled_buffers_never_change_a_result(self):
        # Buffers of 2 MB and more are kept between calls without being cleared: a call on other data of the same
        # shape must give what it gives in fresh memory.
        rng = np.random.default_rng(5)
        features = rng.normal(size=(800, 16)).astype(np.float32)
        def triplets(seed):
            t = np.random.default_rng(seed).integers(0, 800, size=(300_000, 3))
            return t[(t[:, 0] != t[:, 1]) & (t[:, 0] != t[:, 2]) & (t[:, 1] != t[:, 2])]
        a, b = triplets(1), triplets(2)
        alignscope.release_memory()
        fresh_b = alignscope.odd_one_out(features, b, bootstrap=0).to_dict()
        self.assertGreater(alignscope._core._kept_bytes(), 0)
        alignscope.odd_one_out(features, a, bootstrap=0)
        self.assertEqual(alignscope.odd_one_out(features, b, bootstrap=0).to_dict(), fresh_b)
        kept = alignscope._core._kept_bytes()
        self.assertEqual(alignscope.release_memory(), kept)
        self.assertEqual(alignscope._core._kept_bytes(), 0)


class Population(unittest.TestCase):
    """Statistics over models against scipy, on generated populations with a planted effect and a null one."""

    def setUp(self):
        try:
            import scipy.stats
        except ImportError:
            self.skipTest("python3-scipy is not installed")
        self.stats = scipy.stats
        rng = np.random.default_rng(5)
        self.models = 40
        self.scale = rng.uniform(6, 10, self.models)          # log10 parameters: no effect planted
        self.data = np.repeat(["imagenet", "laion", "jft", "ecoset"], 10)
        effect = {"imagenet": 0.0, "laion": 0.06, "jft": 0.03, "ecoset": -0.02}
        self.alignment = 0.45 + np.array([effect[d] for d in self.data]) + rng.normal(0, 0.01, self.models)
        self.probed = self.alignment + 0.05 + rng.normal(0, 0.005, self.models)

    def test_correlations_equal_scipy(self):
        rng = np.random.default_rng(9)
        tied = np.round(rng.normal(size=25), 1)  # many ties for the ranks
        for x, y in ((self.alignment, self.probed), (self.scale, self.alignment), (tied, tied ** 2 + rng.normal(size=25))):
            ours = alignscope.correlate_models(x, y, "pearson", bootstrap=0, permutations=0)
            self.assertAlmostEqual(ours.r, self.stats.pearsonr(x, y)[0], delta=1e-9)
            ours = alignscope.correlate_models(x, y, "spearman", bootstrap=0, permutations=0)
            self.assertAlmostEqual(ours.r, self.stats.spearmanr(x, y)[0], delta=1e-9)

    def test_planted_effects_are_found_and_the_null_is_not(self):
        strong = alignscope.correlate_models(self.alignment, self.probed, permutations=2000, seed=1)
        self.assertLess(strong.p_value, 0.001)
        self.assertLess(strong.ci95[0], strong.r)
        self.assertLess(strong.r, strong.ci95[1])
        null = alignscope.correlate_models(self.scale, self.alignment, "spearman", permutations=2000, seed=1)
        self.assertGreater(null.p_value, 0.05)
        factor = alignscope.factor_models(self.alignment, self.data, permutations=2000, seed=1)
        self.assertLess(factor.p_value, 0.001)
        # eta squared is the between-group share of the total sum of squares.
        means = {level: self.alignment[self.data == level].mean() for level in set(self.data)}
        between = sum(10 * (means[level] - self.alignment.mean()) ** 2 for level in means)
        total = ((self.alignment - self.alignment.mean()) ** 2).sum()
        self.assertAlmostEqual(factor.eta_squared, between / total, delta=1e-12)
        self.assertEqual([g["level"] for g in factor.groups], ["imagenet", "laion", "jft", "ecoset"])
        for group in factor.groups:
            self.assertAlmostEqual(group["mean"], means[group["level"]], delta=1e-12)
        # Holm: the adjusted p-values are the step-down maxima of (pairs - rank) * p, capped at 1.
        raw = np.array([p["p_value"] for p in factor.pairs])
        order = np.argsort(raw, kind="stable")
        expected = np.minimum(1, np.maximum.accumulate((len(raw) - np.arange(len(raw))) * raw[order]))
        np.testing.assert_allclose(np.array([p["p_holm"] for p in factor.pairs])[order], expected, atol=1e-15)
        laion_imagenet = next(p for p in factor.pairs if {p["a"], p["b"]} == {"imagenet", "laion"})
        self.assertLess(laion_imagenet["p_holm"], 0.01)
        shuffled = np.random.default_rng(3).permutation(self.data)
        self.assertGreater(alignscope.factor_models(self.alignment, shuffled, permutations=2000, seed=1).p_value, 0.05)

    def test_manifest_meta_reaches_compare_through_merged_results(self):
        # A batch whose manifest gives each model "meta": batch.json and merged.json carry it, and compare groups
        # by it without --meta.
        rng = np.random.default_rng(11)
        with tempfile.TemporaryDirectory() as folder:
            ids = [f"o{i}" for i in range(40)]
            with open(os.path.join(folder, "objects.txt"), "w") as f:
                f.write("\n".join(ids) + "\n")
            t = rng.integers(0, 40, size=(3000, 3))
            t = t[(t[:, 0] != t[:, 1]) & (t[:, 0] != t[:, 2]) & (t[:, 1] != t[:, 2])]
            np.savetxt(os.path.join(folder, "triplets.txt"), t, fmt="%d")
            models = []
            for m in range(5):
                np.save(os.path.join(folder, f"m{m}.npy"), rng.normal(size=(40, 8)).astype(np.float32))
                with open(os.path.join(folder, f"m{m}.rows.txt"), "w") as f:
                    f.write("\n".join(ids) + "\n")
                models.append({"name": f"m{m}", "features": f"m{m}.npy",
                               "meta": {"family": "conv" if m % 2 else "vit", "parameters": 10 ** (6 + m),
                                        "released": m > 2, "note": None}})
            manifest = os.path.join(folder, "manifest.json")
            with open(manifest, "w") as f:
                json.dump({"models": models, "analyses": [{"type": "ooo", "similarity": "cosine"}],
                           "datasets": [{"name": "d", "objects": "objects.txt", "triplets": "triplets.txt"}]}, f)
            out = os.path.join(folder, "out")
            run = subprocess.run([CLI, "batch", "--manifest", manifest, "--out", out], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            merge = subprocess.run([CLI, "merge", out], capture_output=True, text=True)
            self.assertEqual(merge.returncode, 0, merge.stderr)
            with open(os.path.join(out, "merged.json")) as f:
                merged = json.load(f)
            self.assertEqual(merged["meta"]["m3"], {"family": "conv", "parameters": 1e9, "released": True,
                                                    "note": None})
            metric = next(r["metric"] + "@" + r["dataset"] + "/" + r["variant"] for r in merged["rows"]
                          if r["metric"] == "accuracy")
            done = subprocess.run([CLI, "compare", "--results", os.path.join(out, "merged.json"), "--metric", metric,
                                   "--by", "family", "--x", "parameters", "--permutations", "99", "--json"],
                                  capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)
            result = json.loads(done.stdout)
            self.assertEqual(result["unmatched_models"], [])
            self.assertEqual(sorted(g["level"] for g in result["by"]["groups"]), ["conv", "vit"])
            self.assertEqual(result["x"]["pearson"]["n_models"], 5)
            bad = dict(models[0], meta={"family": ["not", "a", "cell"]})
            with open(manifest, "w") as f:
                json.dump({"models": [bad], "analyses": [{"type": "ooo"}],
                           "datasets": [{"name": "d", "objects": "objects.txt", "triplets": "triplets.txt"}]}, f)
            refused = subprocess.run([CLI, "batch", "--manifest", manifest, "--out", out + "2"], capture_output=True,
                                     text=True)
            self.assertNotEqual(refused.returncode, 0)
            self.assertIn("models[0].meta.family", refused.stderr)

    def test_compare_figure_from_merged_meta_in_a_comma_decimal_locale(self):
        # merged.json that carries its own "meta": --figure draws from it (it used to read the whole file as a
        # model table: "'format': not an object"), also when Qt has set a comma-decimal locale.
        locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower().split()
        self.assertIn("de_de.utf8", locales, "generate de_DE.UTF-8 (packaging/install-deps.sh)")
        with tempfile.TemporaryDirectory() as folder:
            rows = [{"job": f"j{m}", "analysis": "ooo", "model": f"m{m}", "dataset": "d", "variant": "cosine",
                     "state": "done", "metric": "accuracy", "value": f"{0.4 + 0.03 * m:.4f}", "ci_low": "",
                     "ci_high": "", "n": "100"} for m in range(6)]
            meta = {f"m{m}": {"family": "conv" if m % 2 else "vit", "parameters": 10 ** (6 + m) * 1.5}
                    for m in range(6)}
            merged = os.path.join(folder, "merged.json")
            with open(merged, "w") as f:
                json.dump({"format": "alignscope-batch-results-1", "rows": rows, "meta": meta}, f)
            env = {**os.environ, "LC_ALL": "de_DE.UTF-8"}
            for view, extra in (("scatter", ["--x", "parameters", "--log-x"]), ("by-factor", ["--by", "family"])):
                out = os.path.join(folder, f"{view}.svg")
                drawn = subprocess.run([CLI, "compare", "--results", merged, "--metric", "accuracy@d/cosine",
                                        *extra, "--view", view, "--permutations", "0", "--figure", out],
                                       capture_output=True, text=True, env=env)
                self.assertEqual(drawn.returncode, 0, drawn.stderr)
                self.assertGreater(os.path.getsize(out), 2000)

    def test_seeded_and_too_few_models(self):
        a = alignscope.correlate_models(self.scale, self.alignment, permutations=500, seed=7).to_dict()
        self.assertEqual(a, alignscope.correlate_models(self.scale, self.alignment, permutations=500, seed=7).to_dict())
        self.assertNotEqual(a["p_value"],
                            alignscope.correlate_models(self.scale, self.alignment, permutations=500, seed=8).p_value)
        few = alignscope.correlate_models([1, 2, 3], [2, 1, 3])
        self.assertIsNone(few.p_value)
        self.assertIsNone(few.ci95)
        self.assertIn("only 3 models", few.note)
        self.assertIn("constant", alignscope.correlate_models([1, 1, 1, 1], [1, 2, 3, 4]).note)
        with self.assertRaisesRegex(ValueError, "x of model 2: not a finite number"):
            alignscope.correlate_models([1, float("nan"), 3, 4], [1, 2, 3, 4])

    def test_cli_compare_equals_the_module_and_scipy(self):
        # Results as 'ooo --json' writes them (two files), a metadata table with a model the results lack and a
        # model whose name differs in case; one model has no row.
        names = [f"model_{i:02d}" for i in range(self.models)]
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for part in (slice(0, 20), slice(20, None)):
                models = [{"name": n, "accuracy": float(a), "normalized_score": None,
                           "per_concept": [{"label": "food", "accuracy": float(a) - 0.1}]}
                          for n, a in zip(names[part], self.alignment[part])]
                paths.append(os.path.join(folder, f"results{len(paths)}.json"))
                with open(paths[-1], "w") as f:
                    json.dump({"models": models, "similarity": "cosine"}, f)
            meta = os.path.join(folder, "models.csv")
            with open(meta, "w", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["model", "parameters", "training data"])
                for i, name in enumerate(names[1:], start=1):
                    writer.writerow([name.upper() if i == 5 else name, f"{10 ** self.scale[i]:.0f}", self.data[i]])
                writer.writerow(["not_in_results", "1000", "imagenet"])
            done = subprocess.run([CLI, "compare", "--results", *paths, "--meta", meta, "--metric", "accuracy",
                                   "--x", "parameters", "--by", "training data", "--permutations", "999",
                                   "--seed", "4", "--json"], capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn("no row for model 'model_00'", done.stderr)
            result = json.loads(done.stdout)
            self.assertEqual(result["unmatched_models"], ["model_00"])
            self.assertEqual(result["unused_meta_rows"], ["not_in_results"])
            self.assertEqual(len(result["models"]), self.models)
            params = np.array([10 ** self.scale[i] for i in range(1, self.models)]).round()
            x = result["x"]
            self.assertTrue(x["log_scale_suggested"])
            self.assertAlmostEqual(x["pearson"]["r"], self.stats.pearsonr(params, self.alignment[1:])[0], delta=1e-9)
            self.assertAlmostEqual(x["spearman"]["r"], self.stats.spearmanr(params, self.alignment[1:])[0],
                                   delta=1e-9)
            self.assertGreater(x["spearman"]["p_value"], 0.05)  # scale was planted to matter not at all
            module = alignscope.factor_models(self.alignment[1:], self.data[1:], permutations=999, seed=4)
            by = result["by"]
            self.assertAlmostEqual(by["eta_squared"], module.eta_squared, delta=1e-12)
            self.assertEqual(by["p_value"], module.p_value)  # same draws for the same seed
            self.assertLess(by["p_value"], 0.01)
            # --log-x: the correlations of the axis drawn (log10 of the parameter count).
            logged = subprocess.run([CLI, "compare", "--results", *paths, "--meta", meta, "--metric", "accuracy",
                                     "--x", "parameters", "--log-x", "--permutations", "0", "--json"],
                                    capture_output=True, text=True)
            self.assertEqual(logged.returncode, 0, logged.stderr)
            self.assertAlmostEqual(json.loads(logged.stdout)["x"]["pearson"]["r"],
                                   self.stats.pearsonr(np.log10(params), self.alignment[1:])[0], delta=1e-9)
            # --figure: the Compare page's paint routine, from the figures module; Qt is loaded only then.
            for view, suffix, magic in (("scatter", "png", b"\x89PNG"), ("by-factor", "pdf", b"%PDF"),
                                        ("concepts", "svg", b"<?xml")):
                out = os.path.join(folder, f"{view}.{suffix}")
                drawn = subprocess.run([CLI, "compare", "--results", *paths, "--meta", meta, "--metric", "accuracy",
                                        "--x", "parameters", "--log-x", "--by", "training data", "--view", view,
                                        "--permutations", "0", "--figure", out], capture_output=True, text=True)
                self.assertEqual(drawn.returncode, 0, drawn.stderr)
                with open(out, "rb") as f:
                    self.assertEqual(f.read(len(magic)), magic)
                self.assertGreater(os.path.getsize(out), 2000)
            bad = subprocess.run([CLI, "compare", "--results", *paths, "--metric", "accuracy", "--figure",
                                  os.path.join(folder, "plot.jpg")], capture_output=True, text=True)
            self.assertNotEqual(bad.returncode, 0)
            self.assertIn("plot.jpg", bad.stderr)
            self.assertIn(".png, .svg or .pdf", bad.stderr)
            log = os.path.join(folder, "ld")
            plain = subprocess.run([CLI, "compare", "--results", *paths, "--metric", "accuracy"], capture_output=True,
                                   text=True, env={**os.environ, "LD_DEBUG": "files", "LD_DEBUG_OUTPUT": log})
            self.assertEqual(plain.returncode, 0, plain.stderr)
            mapped = "".join(open(os.path.join(folder, name)).read() for name in os.listdir(folder)
                             if name.startswith("ld."))
            self.assertIn("libc.so", mapped)  # the loader's log was written
            self.assertNotIn("libQt6", mapped)
            concept = subprocess.run([CLI, "compare", "--results", *paths, "--metric", "concept:food", "--x",
                                      "accuracy", "--permutations", "0", "--json"], capture_output=True, text=True)
            self.assertEqual(concept.returncode, 0, concept.stderr)
            self.assertAlmostEqual(json.loads(concept.stdout)["x"]["pearson"]["r"], 1.0, delta=1e-9)
            missing = subprocess.run([CLI, "compare", "--results", *paths, "--metric", "top1"], capture_output=True,
                                     text=True)
            self.assertNotEqual(missing.returncode, 0)
            self.assertIn("no model has the metric 'top1'", missing.stderr)
            twice = subprocess.run([CLI, "compare", "--results", paths[0], paths[0], "--metric", "accuracy"],
                                   capture_output=True, text=True)
            self.assertIn("also comes from", twice.stderr)
            # A batch's merged.json: metrics named metric@dataset/variant; rows of unfinished jobs are left out.
            rows = [{"job": f"j{i}", "analysis": "ooo", "model": n, "dataset": "things", "variant": variant,
                     "state": "done", "metric": "accuracy", "value": f"{a + shift:.6f}", "ci_low": "", "ci_high": "",
                     "n": "100"}
                    for i, (n, a) in enumerate(zip(names, self.alignment))
                    for variant, shift in (("", 0.0), ("probed", 0.05))]
            rows.append(dict(rows[0], job="late", model="model_99", state="failed", value="0.9"))
            merged = os.path.join(folder, "merged.json")
            with open(merged, "w") as f:
                json.dump({"format": "alignscope-batch-results-1", "rows": rows}, f)
            done = subprocess.run([CLI, "compare", "--results", merged, "--metric", "accuracy@things/probed", "--x",
                                   "accuracy@things", "--permutations", "0", "--json"], capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stderr)
            result = json.loads(done.stdout)
            self.assertEqual([m["name"] for m in result["models"]], names)  # not the failed job's model_99
            self.assertAlmostEqual(result["x"]["pearson"]["r"], 1.0, delta=1e-9)
            self.assertAlmostEqual(result["models"][3]["value"], round(self.alignment[3] + 0.05, 6), delta=1e-12)


class Interrupt(unittest.TestCase):
    def test_ctrl_c_cancels_a_long_bootstrap(self):
        rng = np.random.default_rng(1)
        a = alignscope.rdm(rng.standard_normal((600, 16)).astype(np.float32))
        b = alignscope.rdm(rng.standard_normal((600, 16)).astype(np.float32))
        timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
        start = time.monotonic()
        timer.start()
        with self.assertRaises(KeyboardInterrupt):
            alignscope.rsa(a, b, bootstrap=10_000_000)  # hours if it ran to the end
        elapsed = time.monotonic() - start
        timer.join()
        self.assertLess(elapsed, 30, "the bootstrap did not stop on Ctrl-C")
        self.assertGreater(alignscope.rsa(a, b).r, -1)  # the module is usable afterwards


def cka_reference(x, y, kind="linear", unbiased=False, sigma=1.0):
    """thingsvision's CKANumPy (ViCCo-Group/thingsvision, thingsvision/core/cka/cka_numpy.py: the kernels, the
    biased centring and the U-centring of the unbiased estimator) in float64. The RBF width is sigma times the
    median pairwise distance (the lower middle one: AlignScope's documented convention)."""
    from scipy.spatial.distance import pdist

    def kernel(z):
        z = np.asarray(z, dtype=np.float64)
        gram = z @ z.T
        if kind == "linear":
            return gram
        squared = np.diag(gram)[:, None] + np.diag(gram)[None, :] - 2 * gram
        distances = np.sort(pdist(z))
        width = sigma * distances[(len(distances) - 1) // 2]
        return np.exp(-np.maximum(squared, 0) / (2 * width ** 2))

    def centring(k):
        n = k.shape[0]
        if unbiased:
            np.fill_diagonal(k, 0.0)
            means = np.sum(k, axis=0) / (n - 2)
            means -= np.sum(means) / (2 * (n - 1))
            k -= means[:, None]
            k -= means[None, :]
            np.fill_diagonal(k, 0.0)
        else:
            means = np.mean(k, axis=0)
            means -= np.mean(means) / 2
            k -= means[:, None]
            k -= means[None, :]
        return k

    kc, lc = centring(kernel(x)), centring(kernel(y))
    return np.sum(kc * lc) / np.sqrt(np.sum(kc * kc) * np.sum(lc * lc))


def unit_scaled(values):
    """`values` times the power of two that brings the largest magnitude into [1, 2) (exact)."""
    return np.ldexp(values, -(np.frexp(np.abs(values).max())[1] - 1))


class Precision(unittest.TestCase):
    """Numbers that must not depend on the offset, the scale or the dtype of the input (issue 26), against float64
    NumPy and SciPy."""

    def setUp(self):
        try:
            import scipy.spatial.distance
            import scipy.stats
        except ImportError:
            self.skipTest("python3-scipy is not installed")
        self.distance = scipy.spatial.distance
        self.stats = scipy.stats
        rng = np.random.default_rng(26)
        self.x = rng.standard_normal((60, 12)).astype(np.float32)
        self.y = (self.x[:, :6] @ rng.standard_normal((6, 8)) + rng.standard_normal((60, 8))).astype(np.float32)

    def test_cka_ignores_a_shared_offset(self):
        offset = np.hstack([self.x, np.full((60, 1), 1e4, np.float32)])  # a constant column at 1e4
        shifted = self.x + np.float32(1e3)
        for kind in ("linear", "rbf"):
            for unbiased in (False, True):
                with self.subTest(kind=kind, unbiased=unbiased):
                    expected = cka_reference(self.x, self.y, kind, unbiased)
                    # thingsvision's value itself does not move with the offset.
                    self.assertAlmostEqual(cka_reference(offset, self.y, kind, unbiased), expected, delta=1e-6)
                    for features in (self.x, offset):
                        self.assertAlmostEqual(alignscope.cka(features, self.y, kind, unbiased), expected, delta=1e-6)
                    centred = shifted.astype(np.float64) - shifted.mean(0, dtype=np.float64)
                    self.assertAlmostEqual(alignscope.cka(shifted, self.y, kind, unbiased),
                                           cka_reference(centred, self.y, kind, unbiased), delta=1e-6)

    def test_rbf_width_is_a_multiple_of_the_median_distance(self):
        with tempfile.TemporaryDirectory() as folder:
            objects = os.path.join(folder, "objects.txt")
            with open(objects, "w") as f:
                f.write("".join(f"o{i}\n" for i in range(60)))
            paths = [os.path.join(folder, name) for name in ("x.npy", "y.npy")]
            np.save(paths[0], self.x)
            np.save(paths[1], self.y)
            for sigma in (0.25, 1.0, 3.0):
                with self.subTest(sigma=sigma):
                    expected = cka_reference(self.x, self.y, "rbf", False, sigma)
                    self.assertAlmostEqual(alignscope.cka(self.x, self.y, "rbf", sigma=sigma), expected, delta=1e-6)
                    # Relative to the median: the features' scale does not matter.
                    self.assertAlmostEqual(alignscope.cka(self.x * np.float32(1000), self.y, "rbf", sigma=sigma),
                                           expected, delta=1e-6)
                    cli = cli_json("cka", "--objects", objects, "--feature-rows", "canonical", "--features", paths[0],
                                   "--features", paths[1], "--kernel", "rbf", "--sigma", str(sigma))
                    self.assertAlmostEqual(cli["cka"], expected, delta=1e-6)
        self.assertNotAlmostEqual(cka_reference(self.x, self.y, "rbf", False, 0.25),
                                  cka_reference(self.x, self.y, "rbf", False, 3.0), delta=1e-3)
        with self.assertRaisesRegex(ValueError, "sigma"):
            alignscope.cka(self.x, self.y, "rbf", sigma=0)

    def test_rsa_equals_scipy_whatever_the_offset_or_scale(self):
        rng = np.random.default_rng(7)
        n = 150
        base = rng.standard_normal((n, 20))
        human = self.distance.pdist(base[:, :8] + rng.standard_normal((n, 8)))  # float64, condensed
        cases = [("euclidean", np.hstack([base, np.full((n, 1), 1e4)])),  # a large constant column
                 ("euclidean", base * 1e30),
                 ("cosine", 1 + 1e-3 * base),  # distances near zero
                 ("cosine", base * 1e-30),
                 ("correlation", base + 1e3)]
        for method, features in cases:
            features = features.astype(np.float32)
            expected_rdm = self.distance.pdist(features.astype(np.float64), method)
            model = alignscope.rdm(features, method)
            with self.subTest(method=method, largest=float(np.abs(features).max())):
                np.testing.assert_allclose(self.distance.squareform(model, checks=False), expected_rdm, rtol=1e-6)
                for compare, reference in (("spearman", self.stats.spearmanr), ("pearson", self.stats.pearsonr),
                                           ("kendall-b", self.stats.kendalltau)):
                    self.assertAlmostEqual(alignscope.rsa(model, human, compare=compare).r,
                                           reference(expected_rdm, human)[0], delta=1e-6, msg=compare)

    def test_rsa_compares_float64_rdms_without_narrowing(self):
        rng = np.random.default_rng(8)
        d = self.distance.pdist(rng.standard_normal((30, 5)))
        nearly_constant = 1 + 1e-9 * d  # every value rounds to 1.0 in float32
        for compare, reference in (("spearman", self.stats.spearmanr), ("pearson", self.stats.pearsonr),
                                   ("kendall-b", self.stats.kendalltau)):
            with self.subTest(compare=compare):
                expected = reference(nearly_constant, d)[0]
                self.assertAlmostEqual(alignscope.rsa(nearly_constant, d, compare=compare).r, expected, delta=1e-6)
                square = self.distance.squareform(nearly_constant)
                self.assertAlmostEqual(alignscope.rsa(square, d, compare=compare).r, expected, delta=1e-6)
        interval = alignscope.rsa(nearly_constant, d, bootstrap=50).ci95
        self.assertGreater(interval[0], 0.99)

    def test_rdm_of_float64_features_equals_scipy_whatever_the_offset(self):
        # float64 features with a shared offset: rounding them to float32 first moved Spearman by 3e-5 at 1e4.
        rng = np.random.default_rng(1)
        human = self.distance.pdist(rng.standard_normal((150, 8)))
        for offset in (0.0, 1e4, 1e6):
            features = rng.standard_normal((150, 64)) + offset
            for method in ("euclidean", "correlation", "cosine"):
                if method == "cosine" and offset > 1e4:
                    continue  # 1 - cos of 1e-12 cancels in float64 itself: SciPy's value is no reference there
                with self.subTest(offset=offset, method=method):
                    expected = self.stats.spearmanr(self.distance.pdist(features, method), human)[0]
                    ours = alignscope.rsa(alignscope.rdm(features, method), human).r
                    self.assertAlmostEqual(ours, expected, delta=1e-6)
        unit = rng.standard_normal((20, 4))  # squares below float64's range at 1e-200: still the same RDM
        np.testing.assert_allclose(alignscope.rdm(unit * 1e-200, "correlation"),
                                   self.distance.squareform(self.distance.pdist(unit, "correlation")), atol=1e-6)

    def test_cli_rsa_of_float64_features_equals_scipy_whatever_the_offset(self):
        # A float64 feature file: the CLI's RDM takes its products from the float64 values (rounding them to
        # float32 first moved Spearman by 3e-5 at an offset of 1e4).
        rng = np.random.default_rng(2)
        human = self.distance.squareform(self.distance.pdist(rng.standard_normal((120, 8))))
        with tempfile.TemporaryDirectory() as folder:
            objects = os.path.join(folder, "objects.txt")
            with open(objects, "w") as f:
                f.write("".join(f"object{i}\n" for i in range(120)))
            np.save(os.path.join(folder, "human.npy"), human)
            for offset in (0.0, 1e4):
                features = rng.standard_normal((120, 48)) + offset
                np.save(os.path.join(folder, "features.npy"), features)
                for method in ("euclidean", "correlation", "cosine"):
                    with self.subTest(offset=offset, method=method):
                        expected = self.stats.spearmanr(self.distance.pdist(features, method),
                                                        self.distance.squareform(human, checks=False))[0]
                        result = cli_json("rsa", "--objects", objects, "--features",
                                          os.path.join(folder, "features.npy"), "--feature-rows", "canonical",
                                          "--rdm-method", method, "--rdm", os.path.join(folder, "human.npy"),
                                          "--bootstrap", "0")
                        self.assertAlmostEqual(result["r"], expected, delta=1e-6)

    def test_load_keeps_float64_files_in_float64(self):
        # load() is how files reach the analyses in Python: narrowing there would flush 1e-45 to zero, read 1e39 as
        # inf and round a float64 RDM before the analyses see it.
        features, triplets, _ = synthetic()
        exact = features.astype(np.float64)
        rng = np.random.default_rng(8)
        d = self.distance.pdist(rng.standard_normal((30, 5)))
        with tempfile.TemporaryDirectory() as folder:
            for scale in (1e-45, 1e39):
                with self.subTest(scale=scale):
                    path = os.path.join(folder, "features.npy")
                    np.save(path, exact * scale)
                    loaded, _ = alignscope.load(path)
                    self.assertEqual(loaded.dtype, np.float64)
                    np.testing.assert_array_equal(loaded, exact * scale)
                    self.assertEqual(alignscope.odd_one_out(loaded, triplets, "dot", bootstrap=0).to_dict(),
                                     alignscope.odd_one_out(exact * scale, triplets, "dot", bootstrap=0).to_dict())
            path = os.path.join(folder, "rdm.npy")
            np.save(path, 1 + 1e-9 * d)
            loaded, _ = alignscope.load(path)
            self.assertAlmostEqual(alignscope.rsa(loaded.ravel(), d).r, self.stats.spearmanr(1 + 1e-9 * d, d)[0],
                                   delta=1e-6)
            np.save(path, features)
            self.assertEqual(alignscope.load(path)[0].dtype, np.float32)

    def test_scale_never_changes_a_choice(self):
        features, triplets, _ = synthetic()
        exact = features.astype(np.float64)
        with tempfile.TemporaryDirectory() as folder:
            objects = os.path.join(folder, "objects.txt")
            with open(objects, "w") as f:
                f.write("".join(f"object{i}\n" for i in range(len(features))))
            np.save(os.path.join(folder, "triplets.npy"), triplets)
            for similarity in ("cosine", "dot", "euclidean", "correlation"):
                expected = alignscope.odd_one_out(features, triplets, similarity, bootstrap=0).to_dict()
                # Powers of two change no value's digits: the choices must be exactly those at unit scale, also
                # below float32's range (2^-150) and above it (2^130, finite in float64).
                for scale in (2.0 ** -150, 2.0 ** -1000, 2.0 ** 130, 2.0 ** 1000):
                    with self.subTest(similarity=similarity, scale=scale):
                        self.assertEqual(alignscope.odd_one_out(exact * scale, triplets, similarity,
                                                                bootstrap=0).to_dict(), expected)
                        path = os.path.join(folder, "features.npy")
                        np.save(path, exact * scale)
                        cli = cli_json("ooo", "--objects", objects, "--triplets", os.path.join(folder, "triplets.npy"),
                                       "--features", path, "--feature-rows", "canonical", "--similarity", similarity,
                                       "--bootstrap", "0")["models"][0]
                        self.assertEqual((cli["n_correct"], cli["n_ties"]), (expected["n_correct"], expected["n_ties"]))
                # Any other factor: the choices of the values it gives, narrowed at unit scale.
                for scale in (1e-45, 1e39):
                    with self.subTest(similarity=similarity, scale=scale):
                        scaled = exact * scale
                        narrowed = unit_scaled(scaled).astype(np.float32)
                        self.assertEqual(alignscope.odd_one_out(scaled, triplets, similarity, bootstrap=0).to_dict(),
                                         alignscope.odd_one_out(narrowed, triplets, similarity, bootstrap=0).to_dict())

    def test_odd_one_out_without_triplets_is_an_error(self):
        features, _, _ = synthetic()
        with tempfile.TemporaryDirectory() as folder:
            objects = os.path.join(folder, "objects.txt")
            with open(objects, "w") as f:
                f.write("".join(f"object{i}\n" for i in range(len(features))))
            paths = {name: os.path.join(folder, name + ".npy") for name in ("features", "triplets")}
            np.save(paths["features"], features)
            np.save(paths["triplets"], np.zeros((0, 3), np.int64))
            done = subprocess.run([CLI, "ooo", "--objects", objects, "--triplets", paths["triplets"], "--features",
                                   paths["features"], "--feature-rows", "canonical"], capture_output=True, text=True)
            self.assertNotEqual(done.returncode, 0)
            self.assertIn("no triplets", done.stderr)
        with self.assertRaisesRegex(ValueError, "^triplets: no triplets$"):
            alignscope.odd_one_out(features, np.zeros((0, 3), np.int64))

    def test_factor_p_values_do_not_depend_on_the_scale(self):
        rng = np.random.default_rng(12)
        levels = ["a"] * 3 + ["b"] * 3 + ["c"] * 4  # small groups: many permutations tie the observed statistic
        values = rng.normal(size=10) + np.repeat([0.0, 1.0, 0.5], [3, 3, 4])
        expected = alignscope.factor_models(values, levels, bootstrap=200, permutations=3000, seed=4)
        for scale in (2.0 ** -80, 2.0 ** 80, 2.0 ** -1000, 2.0 ** 1000):
            with self.subTest(scale=scale):
                ours = alignscope.factor_models(values * scale, levels, bootstrap=200, permutations=3000, seed=4)
                self.assertEqual(ours.p_value, expected.p_value)
                self.assertEqual(ours.eta_squared, expected.eta_squared)
                self.assertEqual([p["p_value"] for p in ours.pairs], [p["p_value"] for p in expected.pairs])
                self.assertEqual([p["difference"] for p in ours.pairs],
                                 [p["difference"] * scale for p in expected.pairs])
                self.assertEqual([g["ci95"] for g in ours.groups],
                                 [[v * scale for v in g["ci95"]] for g in expected.groups])

    def test_correlation_at_any_magnitude(self):
        rng = np.random.default_rng(13)
        x = rng.normal(size=30)
        y = x + rng.normal(size=30)
        expected = alignscope.correlate_models(x, y, bootstrap=0, permutations=2000, seed=2)
        self.assertAlmostEqual(expected.r, self.stats.pearsonr(x, y)[0], delta=1e-12)
        for scale in (1e-160, 1e-300, 1e160, 1e300):
            with self.subTest(scale=scale):
                ours = alignscope.correlate_models(x * scale, y, bootstrap=0, permutations=2000, seed=2)
                self.assertAlmostEqual(ours.r, expected.r, delta=1e-12)
                self.assertEqual(ours.p_value, expected.p_value)
                self.assertAlmostEqual(alignscope.correlate_models(x * scale, y, "spearman", bootstrap=0,
                                                                   permutations=0).r,
                                       self.stats.spearmanr(x, y)[0], delta=1e-12)


class InterruptStatistics(unittest.TestCase):
    """correlate_models and factor_models release the GIL and stop on Ctrl-C, as the other calls do."""

    def interrupted_within(self, call):
        timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
        start = time.monotonic()
        timer.start()
        with self.assertRaises(KeyboardInterrupt):
            call()  # hours if it ran to the end
        timer.join()
        return time.monotonic() - start

    def test_ctrl_c_stops_the_permutations(self):
        rng = np.random.default_rng(14)
        x = rng.normal(size=40)
        levels = ["a", "b", "c", "d"] * 10
        for name, call in (("correlate_models", lambda: alignscope.correlate_models(
                               x, x ** 2, bootstrap=0, permutations=2_000_000_000)),
                           ("factor_models", lambda: alignscope.factor_models(
                               x, levels, bootstrap=0, permutations=2_000_000_000))):
            with self.subTest(call=name):
                self.assertLess(self.interrupted_within(call), 30, f"{name} did not stop on Ctrl-C")
        self.assertGreater(alignscope.correlate_models(x, x ** 2, permutations=10).n_models, 0)  # still usable


if __name__ == "__main__":
    unittest.main(verbosity=2)
