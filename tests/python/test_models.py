"""Models by name (issue 27): alignscope-cli models list/export, extraction that reads the exported file, and
alignscope.models, against eager torchvision models with torchvision's own transforms (Debian's python3-torch
1.13 and python3-torchvision 0.14; no network, so weights are seeded and saved to a .pth here).

Run by ctest (models_by_name): ALIGNSCOPE_CLI names the CLI of the build, ALIGNSCOPE_PYTHON the Python with
torch, PYTHONPATH the built package (its tests skip when it is not built).
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np

CLI = os.environ.get("ALIGNSCOPE_CLI", "alignscope-cli")
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")

try:
    import torch
    import torchvision
    from PIL import Image
    from torchvision import models as tv_models
except ImportError:  # the whole file needs them
    torch = None

# One small model of each family the issue names.
FAMILY_MODELS = [("ResNet", "resnet18"), ("AlexNet", "alexnet"), ("EfficientNet", "efficientnet_b0"),
                 ("ConvNeXt", "convnext_tiny"), ("RegNet", "regnet_x_400mf"), ("ViT", "vit_b_16"),
                 ("Swin", "swin_t"), ("SqueezeNet", "squeezenet1_1")]  # the last: a convolutional classifier


def run_cli(*arguments, env=None, check=True):
    environment = dict(os.environ)
    environment.update(env or {})
    done = subprocess.run([CLI, *arguments], capture_output=True, text=True, env=environment)
    if check and done.returncode != 0:
        raise AssertionError(f"alignscope-cli {' '.join(arguments)} failed: {done.stderr}")
    return done


def write_images(folder):
    """Smooth random pictures of several sizes and aspect ratios (both sides of the resize are exercised)."""
    rng = np.random.default_rng(7)
    paths = []
    for index, (height, width) in enumerate([(300, 400), (256, 256), (480, 320)]):
        coarse = Image.fromarray((rng.random((height // 16, width // 16, 3)) * 255).astype(np.uint8))
        picture = coarse.resize((width, height), Image.BICUBIC)
        path = os.path.join(folder, f"image{index}.png")
        picture.save(path)
        paths.append(path)
    return paths


def last_linear(model):
    """The final classifier: the last Linear, else (SqueezeNet) the last Conv2d."""
    for kind in (torch.nn.Linear, torch.nn.Conv2d):
        names = [name for name, child in model.named_modules() if isinstance(child, kind)]
        if names:
            return names[-1]


def eager_features(model, name, paths):
    """Penultimate features and logits of the eager model on torchvision's transforms of the default weights."""
    transform = tv_models.get_model_weights(name).DEFAULT.transforms()
    batch = torch.stack([transform(Image.open(path).convert("RGB")) for path in paths])
    captured = {}
    handle = model.get_submodule(last_linear(model)).register_forward_pre_hook(
        lambda _module, inputs: captured.__setitem__("penultimate", inputs[0]))
    with torch.no_grad():
        logits = model(batch)
    handle.remove()
    penultimate = captured["penultimate"]
    # A convolutional classifier's input is a map: extract averages it over space (--pool avg).
    penultimate = penultimate.mean((2, 3)) if penultimate.dim() == 4 else penultimate.flatten(1)
    return penultimate.numpy(), logits.numpy()


def with_image_folder(cls, prefix):
    """Gives a test class a temporary folder (cls.dir) with the test images (cls.images, cls.paths)."""
    cls.folder = tempfile.TemporaryDirectory(prefix=prefix)
    cls.dir = cls.folder.name
    cls.images = os.path.join(cls.dir, "images")
    os.mkdir(cls.images)
    cls.paths = write_images(cls.images)


def cosines(a, b):
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@unittest.skipIf(torch is None, "needs python3-torch, python3-torchvision and PIL")
class ModelsByName(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with_image_folder(cls, "alignscope-models-")

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def export(self, spec, out, *options, env=None, check=True):
        return run_cli("models", "export", spec, "--out", out, *options, env=env, check=check)

    def test_catalogue_lists_every_torchvision_classifier_with_its_metadata(self):
        catalogue = json.loads(run_cli("models", "list", "--json").stdout)
        names = [model["name"] for model in catalogue["models"]]
        self.assertEqual(names, tv_models.list_models(module=tv_models))
        by_name = {model["name"]: model for model in catalogue["models"]}
        resnet = by_name["resnet50"]
        self.assertEqual(resnet["family"], "ResNet")
        v2 = next(w for w in resnet["weights"] if w["enum"] == "IMAGENET1K_V2")
        meta = tv_models.ResNet50_Weights.IMAGENET1K_V2.meta
        self.assertEqual(v2["parameters"], meta["num_params"])
        self.assertEqual(v2["imagenet1k_top1"], meta["_metrics"]["ImageNet-1K"]["acc@1"])
        self.assertEqual(v2["preprocessing"]["resize"], 232)
        swag = next(w for w in by_name["vit_b_16"]["weights"] if "SWAG" in w["enum"])
        self.assertEqual(swag["training_data"], "Instagram 3.6B then ImageNet-1K")
        self.assertEqual(swag["objective"], "weakly supervised")
        self.assertEqual(v2["objective"], "supervised")
        text = run_cli("models", "list").stdout
        self.assertIn(f"{len(names)} models", text)

    def test_catalogue_without_torchvision_says_what_to_install(self):
        blocker = os.path.join(self.dir, "no-torchvision")
        os.makedirs(os.path.join(blocker, "torchvision"), exist_ok=True)
        with open(os.path.join(blocker, "torchvision", "__init__.py"), "w") as file:
            file.write("raise ImportError('No module named torchvision')\n")
        done = run_cli("models", "list", env={"PYTHONPATH": blocker}, check=False)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("python3-torchvision", done.stderr)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)

    def test_python3_without_torch_on_path_falls_back_to_the_system_python(self):
        # pyenv or a virtual environment first on PATH: its python3 has no torch, Debian's /usr/bin/python3 has.
        shadow = os.path.join(self.dir, "shadow-bin")
        os.makedirs(shadow, exist_ok=True)
        fake = os.path.join(shadow, "python3")
        with open(fake, "w") as file:
            file.write("#!/bin/sh\necho 'error: models need PyTorch and torchvision in a python3 without them' >&2\n"
                       "exit 1\n")
        os.chmod(fake, 0o755)
        environment = {"PATH": shadow + os.pathsep + os.environ.get("PATH", "")}
        saved = os.environ.pop("ALIGNSCOPE_PYTHON", None)
        try:
            done = run_cli("models", "list", "--json", env=environment, check=False)
        finally:
            if saved is not None:
                os.environ["ALIGNSCOPE_PYTHON"] = saved
        self.assertEqual(done.returncode, 0, done.stderr)
        names = [model["name"] for model in json.loads(done.stdout)["models"]]
        self.assertIn("resnet50", names)

    def test_missing_download_is_one_error_naming_weights_cache_and_file_option(self):
        home = os.path.join(self.dir, "empty-torch-home")
        target = os.path.join(self.dir, "never.pt")
        done = self.export("torchvision:resnet18", target, "--weights", "DEFAULT",
                           env={"TORCH_HOME": home, "https_proxy": "http://127.0.0.1:9",
                                "http_proxy": "http://127.0.0.1:9"}, check=False)
        self.assertEqual(done.returncode, 1)
        lines = done.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, done.stderr)
        self.assertIn("ResNet18_Weights.IMAGENET1K_V1", lines[0])
        self.assertIn(os.path.join(home, "hub", "checkpoints"), lines[0])
        self.assertIn("--weights FILE", lines[0])
        self.assertFalse(os.path.exists(target))

    def test_failed_export_leaves_the_old_file(self):
        target = os.path.join(self.dir, "kept.pt")
        with open(target, "wb") as file:
            file.write(b"old contents")
        done = self.export("torchvision:no_such_net", target, "--weights", "none", check=False)
        self.assertEqual(done.returncode, 1)
        self.assertIn("no_such_net", done.stderr)
        with open(target, "rb") as file:
            self.assertEqual(file.read(), b"old contents")

    def test_exported_file_carries_preprocessing_outputs_and_metadata(self):
        target = os.path.join(self.dir, "convnext.pt")
        self.export("torchvision:convnext_tiny", target, "--weights", "none", "--seed", "1",
                    "--layers", "features.3")
        info = json.loads(run_cli("inspect", "--model", target, "--probe-size", "0", "--json").stdout)
        manifest = info["alignscope"]
        transform = tv_models.ConvNeXt_Tiny_Weights.DEFAULT.transforms()
        self.assertEqual(manifest["preprocessing"]["resize"], transform.resize_size[0])  # 236, not 256
        self.assertIn("ConvNeXt_Tiny_Weights.IMAGENET1K_V1", manifest["preprocessing"]["from"])
        self.assertEqual([o["name"] for o in manifest["outputs"]], ["penultimate", "logits", "features.3"])
        self.assertEqual(manifest["metadata"]["family"], "ConvNeXt")
        self.assertEqual(manifest["metadata"]["parameters"], tv_models.ConvNeXt_Tiny_Weights.DEFAULT.meta["num_params"])
        # Extraction takes the file's preprocessing: the default --preset imagenet would resize to 256.
        done = run_cli("extract", "--model", target, "--images", self.images, "--out",
                       os.path.join(self.dir, "c.npy"), "--json")
        self.assertEqual(json.loads(done.stdout)["outputs"][0]["selector"], "penultimate")
        refused = run_cli("extract", "--model", target, "--images", self.images, "--preset", "imagenet", "--out",
                          os.path.join(self.dir, "d.npy"), check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("--preset imagenet (resize=256", refused.stderr)
        self.assertIn("resize=236", refused.stderr)

    def test_python_file_exports_its_module(self):
        source = os.path.join(FIXTURES, "lab_net.py")
        target = os.path.join(self.dir, "lab.pt")
        self.export(f"python:{source}:build", target)
        out = os.path.join(self.dir, "lab.npy")
        run_cli("extract", "--model", target, "--images", self.images, "--out", out, "--output", "all")
        penultimate = np.load(os.path.join(self.dir, "lab.penultimate.npy"))
        sys.path.insert(0, FIXTURES)
        try:
            import lab_net
        finally:
            sys.path.remove(FIXTURES)
        net, _, _ = lab_net.build()
        from torchvision import transforms
        transform = transforms.Compose([
            transforms.Resize(72, interpolation=transforms.InterpolationMode.BICUBIC), transforms.CenterCrop(64),
            transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.25] * 3)])
        batch = torch.stack([transform(Image.open(path).convert("RGB")) for path in self.paths])
        with torch.no_grad():
            eager = net.conv(batch).relu().mean((2, 3)).numpy()
        self.assertGreaterEqual(cosines(penultimate, eager).min(), 0.999)

    def test_batch_takes_models_by_name_exported_once(self):
        demo = os.path.join(self.dir, "demo")
        run_cli("demo", "--out", demo)
        torch.manual_seed(5)
        weights = os.path.join(self.dir, "batch_resnet18.pth")
        torch.save(tv_models.resnet18().state_dict(), weights)
        cache = os.path.join(self.dir, "batch-cache")
        by_name = {"model": "torchvision:resnet18", "weights": weights, "images": "demo/images"}
        manifest = {
            "models": [{"name": "r18", **by_name},
                       {"name": "r18_layer3", **by_name, "layers": "layer3", "output": "layer3"},
                       {"name": "r18_again", **by_name}],
            "datasets": [{"name": "test", "objects": "demo/concepts/things_concepts.tsv",
                          "triplets": "demo/triplets/test_10.txt"}],
            "analyses": [{"type": "ooo", "similarity": "cosine"}]}
        path = os.path.join(self.dir, "models_manifest.json")
        with open(path, "w") as file:
            json.dump(manifest, file)
        out = os.path.join(self.dir, "batch-out")
        run_cli("batch", "--manifest", path, "--out", out, env={"ALIGNSCOPE_CACHE_DIR": cache})
        # One export per (source, name, weights, layers): r18 and r18_again share theirs.
        self.assertEqual(len([f for f in os.listdir(os.path.join(cache, "models")) if f.endswith(".pt")]), 2)
        images = len(os.listdir(os.path.join(demo, "images")))
        self.assertEqual(np.load(os.path.join(out, "features", "r18.npy")).shape, (images, 512))
        self.assertEqual(np.load(os.path.join(out, "features", "r18_layer3.npy")).shape, (images, 256))
        np.testing.assert_array_equal(np.load(os.path.join(out, "features", "r18.npy")),
                                      np.load(os.path.join(out, "features", "r18_again.npy")))
        for model in ("r18", "r18_layer3"):
            with open(os.path.join(out, "jobs", f"ooo-cosine.{model}.test", "result.json")) as file:
                self.assertEqual(json.load(file)["models"][0]["name"], model)
        # Editing the weights file exports again (the key holds its SHA-256).
        torch.manual_seed(6)
        torch.save(tv_models.resnet18().state_dict(), weights)
        done = run_cli("extract", "--model", "torchvision:resnet18", "--weights", weights, "--images",
                       os.path.join(demo, "images"), "--out", os.path.join(self.dir, "again.npy"), "--no-cache",
                       env={"ALIGNSCOPE_CACHE_DIR": cache})
        self.assertIn("exported torchvision:resnet18", done.stderr)
        self.assertEqual(len([f for f in os.listdir(os.path.join(cache, "models")) if f.endswith(".pt")]), 3)
        self.assertFalse(np.allclose(np.load(os.path.join(self.dir, "again.npy")),
                                     np.load(os.path.join(out, "features", "r18.npy"))))

    def test_features_equal_the_eager_model_for_every_family(self):
        for family, name in FAMILY_MODELS:
            with self.subTest(family=family, model=name):
                torch.manual_seed(0)
                model = tv_models.get_model(name, weights=None).eval()
                weights = os.path.join(self.dir, f"{name}.pth")
                torch.save(model.state_dict(), weights)
                target = os.path.join(self.dir, f"{name}.pt")
                self.export(f"torchvision:{name}", target, "--weights", weights)
                os.remove(weights)
                out = os.path.join(self.dir, f"{name}.npy")
                run_cli("extract", "--model", target, "--images", self.images, "--out", out, "--output", "all",
                        "--batch-size", "3", "--no-cache", "--quiet")
                os.remove(target)
                penultimate, logits = eager_features(model, name, self.paths)
                ours = np.load(os.path.join(self.dir, f"{name}.penultimate.npy"))
                self.assertEqual(ours.shape, penultimate.shape)
                self.assertGreaterEqual(cosines(ours, penultimate).min(), 0.999)
                if np.linalg.norm(logits) > 0:  # ViT's head starts at zero
                    ours_logits = np.load(os.path.join(self.dir, f"{name}.logits.npy"))
                    self.assertGreaterEqual(cosines(ours_logits, logits).min(), 0.999)


@unittest.skipIf(torch is None, "needs python3-torch and python3-torchvision")
class WeightsDownload(unittest.TestCase):
    """DEFAULT weights through torch's cache and download, checked against the SHA-256 prefix in their file name.
    No network here: ALIGNSCOPE_WEIGHTS_URL (test only) points the download at a file:// URL."""

    @classmethod
    def setUpClass(cls):
        with_image_folder(cls, "alignscope-weights-")
        cls.paths = cls.paths[:2]
        os.remove(os.path.join(cls.images, "image2.png"))
        torch.manual_seed(11)
        cls.model = tv_models.resnet18().eval()
        saved = os.path.join(cls.dir, "saved.pth")
        torch.save(cls.model.state_dict(), saved)
        with open(saved, "rb") as file:
            cls.digest = hashlib.sha256(file.read()).hexdigest()
        cls.good = os.path.join(cls.dir, f"resnet18-{cls.digest[:8]}.pth")
        os.rename(saved, cls.good)
        cls.wrong_prefix = "0000beef" if not cls.digest.startswith("0000beef") else "1111beef"
        cls.wrong = os.path.join(cls.dir, f"resnet18-{cls.wrong_prefix}.pth")
        shutil.copy(cls.good, cls.wrong)

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def environment(self, home, weights_file, cache="cache"):
        return {"TORCH_HOME": os.path.join(self.dir, home), "ALIGNSCOPE_WEIGHTS_URL": "file://" + weights_file,
                "ALIGNSCOPE_CACHE_DIR": os.path.join(self.dir, cache)}

    def checkpoints(self, home):
        folder = os.path.join(self.dir, home, "hub", "checkpoints")
        return sorted(os.listdir(folder)) if os.path.isdir(folder) else []

    def test_default_weights_download_with_progress_into_torch_cache_then_come_from_it(self):
        env = self.environment("home", self.good)
        out = os.path.join(self.dir, "r18.npy")
        done = run_cli("extract", "--model", "torchvision:resnet18", "--weights", "DEFAULT", "--images",
                       self.images, "--out", out, "--progress-json", "--no-cache", env=env)
        stages = [json.loads(line) for line in done.stderr.splitlines() if line.startswith('{"progress"')]
        download = [line["progress"] for line in stages
                    if line["stage"] == "downloading ResNet18_Weights.IMAGENET1K_V1"]
        self.assertGreater(len(download), 2, done.stderr)
        self.assertEqual(download[-1], 1.0)
        self.assertEqual(self.checkpoints("home"), [os.path.basename(self.good)])
        penultimate, _ = eager_features(self.model, "resnet18", self.paths)
        self.assertGreaterEqual(cosines(np.load(out), penultimate).min(), 0.999)
        # The next export finds the file in torch's cache: no download, same weights.
        target = os.path.join(self.dir, "again.pt")
        again = run_cli("models", "export", "torchvision:resnet18", "--out", target, "--json", env=env)
        self.assertNotIn("downloading", again.stderr)
        manifest = json.loads(again.stdout)["manifest"]
        self.assertEqual(manifest["weights"], "ResNet18_Weights.IMAGENET1K_V1")
        self.assertEqual(manifest["weights_sha256"], os.path.basename(self.good))
        # On a terminal or in a log, `models export` says the same in words, one line per 10%.
        fresh = run_cli("models", "export", "torchvision:resnet18", "--out", target,
                        env=self.environment("home-words", self.good))
        self.assertIn("downloading ResNet18_Weights.IMAGENET1K_V1: 100%", fresh.stderr.splitlines())

    def test_default_weights_are_cached_by_the_enum_they_resolve_to(self):
        # The extract cache's export key holds what DEFAULT means in this torchvision, not the word "DEFAULT":
        # naming the enum it resolves to finds the same export.
        env = self.environment("home-key", self.good, cache="key-cache")
        exported = []
        for weights in ("DEFAULT", "IMAGENET1K_V1"):
            done = run_cli("extract", "--model", "torchvision:resnet18", "--weights", weights, "--images",
                           self.images, "--out", os.path.join(self.dir, f"key-{weights}.npy"), "--no-cache",
                           env=env)
            exported.append("exported torchvision:resnet18" in done.stderr)
        self.assertEqual(exported, [True, False])
        models = os.listdir(os.path.join(self.dir, "key-cache", "models"))
        self.assertEqual(len([name for name in models if name.endswith(".pt")]), 1, models)

    def test_download_with_a_wrong_checksum_is_refused_and_not_cached(self):
        target = os.path.join(self.dir, "wrong.pt")
        done = run_cli("models", "export", "torchvision:resnet18", "--weights", "DEFAULT", "--out", target,
                       env=self.environment("home-wrong", self.wrong), check=False)
        self.assertEqual(done.returncode, 1)
        errors = [line for line in done.stderr.splitlines() if "downloading" not in line]
        self.assertEqual(len(errors), 1, done.stderr)
        for part in ("ResNet18_Weights.IMAGENET1K_V1", os.path.basename(self.wrong), self.wrong_prefix,
                     self.digest[:8], "checksum"):
            self.assertIn(part, errors[0])
        self.assertEqual(self.checkpoints("home-wrong"), [])
        self.assertFalse(os.path.exists(target))


@unittest.skipIf(torch is None, "needs python3-torch and python3-torchvision")
class PythonModels(unittest.TestCase):
    def setUp(self):
        try:
            import alignscope
        except ImportError:
            self.skipTest("the alignscope Python package is not built")
        self.alignscope = alignscope

    def test_list_and_export(self):
        catalogue = self.alignscope.models.list()
        self.assertIn("resnet18", [model["name"] for model in catalogue])
        with tempfile.TemporaryDirectory() as folder:
            target = os.path.join(folder, "r.pt")
            manifest = self.alignscope.models.export("torchvision:resnet18", target, weights="none", seed=2,
                                                     layers=["layer2"])
            self.assertEqual([o["name"] for o in manifest["outputs"]], ["penultimate", "logits", "layer2"])
            self.assertTrue(os.path.isfile(target))
            with self.assertRaises(ValueError) as raised:
                self.alignscope.models.export("torchvision:resnet18", target, weights="NO_SUCH_WEIGHTS")
            self.assertIn("NO_SUCH_WEIGHTS", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
