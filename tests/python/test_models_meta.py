"""Metadata of exported models flows to the population (issue 27): `alignscope-cli merge` fills merged.json's
"meta" from each model by name's exported file (family, parameters, top-1, training data), so that a
comparison against ImageNet top-1, coloured by training data, needs no model table; what the manifest's own
"meta" says wins.

Run by ctest (models_meta): ALIGNSCOPE_CLI names the CLI of the build, ALIGNSCOPE_PYTHON the Python with torch.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

CLI = os.environ.get("ALIGNSCOPE_CLI", "alignscope-cli")

try:
    import torch  # noqa: F401 (the exporter's child needs it too)
    import torchvision  # noqa: F401
except ImportError:
    torch = None

# A lab's own exporter with its metadata (family, top-1, training data, objective).
LAB_NET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "lab_net.py")


def run_cli(*arguments, env=None):
    environment = dict(os.environ)
    environment.update(env or {})
    done = subprocess.run([CLI, *arguments], capture_output=True, text=True, env=environment)
    if done.returncode != 0:
        raise AssertionError(f"alignscope-cli {' '.join(arguments)} failed: {done.stderr}")
    return done


@unittest.skipIf(torch is None, "python3-torch and python3-torchvision are not installed")
class MergedMetaOfExportedModels(unittest.TestCase):
    def test_merged_meta_comes_from_the_exported_files(self):
        with tempfile.TemporaryDirectory() as folder:
            run_cli("demo", "--out", os.path.join(folder, "demo"))
            shutil.copy(LAB_NET, os.path.join(folder, "lab_net.py"))
            manifest = {
                "models": [
                    {"name": "r18", "model": "torchvision:resnet18", "weights": "none", "images": "demo/images"},
                    {"name": "lab", "model": "python:lab_net.py", "images": "demo/images"},
                    # The manifest corrects one cell; the file gives the others.
                    {"name": "lab_corrected", "model": "python:lab_net.py", "images": "demo/images",
                     "meta": {"training_data": "lab images, relabelled"}},
                    {"name": "plain", "features": "demo/models/colour_histogram.npy"}],
                "datasets": [{"name": "test", "objects": "demo/concepts/things_concepts.tsv",
                              "triplets": "demo/triplets/test_10.txt"}],
                "analyses": [{"type": "ooo", "similarity": "cosine"}]}
            path = os.path.join(folder, "manifest.json")
            with open(path, "w") as file:
                json.dump(manifest, file)
            out = os.path.join(folder, "out")
            env = {"ALIGNSCOPE_CACHE_DIR": os.path.join(folder, "cache")}
            run_cli("batch", "--manifest", path, "--out", out, env=env)
            run_cli("merge", out, env=env)
            with open(os.path.join(out, "merged.json")) as file:
                meta = json.load(file).get("meta", {})
            cases = [("r18", {"family": "ResNet", "parameters": 11689512}),
                     ("lab", {"family": "lab", "imagenet1k_top1": 71.5, "training_data": "lab images",
                              "objective": "supervised", "parameters": 269}),
                     ("lab_corrected", {"family": "lab", "imagenet1k_top1": 71.5,
                                        "training_data": "lab images, relabelled"})]
            for model, cells in cases:
                with self.subTest(model=model):
                    self.assertIn(model, meta)
                    for column, value in cells.items():
                        self.assertEqual(meta[model].get(column), value, column)
            self.assertNotIn("plain", meta)  # features from a file carry no metadata


if __name__ == "__main__":
    unittest.main()
