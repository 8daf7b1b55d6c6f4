"""AlignScope's model exporter: a model named by its source (torchvision:NAME, python:FILE.py[:FUNCTION]) becomes
one TorchScript file that carries its preprocessing, its named outputs and its metadata as an extra file
("alignscope.json", read by ``alignscope-cli extract`` and ``inspect``).

``alignscope-cli models`` runs this script as a child process (python3, or $ALIGNSCOPE_PYTHON) and
``alignscope.models`` imports it. It writes only to the temporary path it is given; the caller checks that file
and moves it onto the user's target through AlignScope's atomic write path.

    python3 models_export.py list [--source torchvision]
    python3 models_export.py export SPEC --out TEMPORARY [--weights W] [--layers A,B]
    python3 models_export.py resolve torchvision:NAME [--weights DEFAULT|ENUM]

Both print one JSON document on stdout; errors are one line on stderr ("error: ...") and exit status 1
(3 when torchvision or torch is missing).
"""
import hashlib
import json
import os
import re
import signal
import sys

FORMAT = "alignscope-model/1"
EXTRA_FILE = "alignscope.json"
MISSING_PACKAGE_EXIT = 3

# torchvision's builder modules, named as papers name the families.
FAMILIES = {
    "alexnet": "AlexNet", "convnext": "ConvNeXt", "densenet": "DenseNet", "efficientnet": "EfficientNet",
    "googlenet": "GoogLeNet", "inception": "Inception", "maxvit": "MaxViT", "mnasnet": "MNASNet",
    "mobilenetv2": "MobileNet", "mobilenetv3": "MobileNet", "regnet": "RegNet", "resnet": "ResNet",
    "shufflenetv2": "ShuffleNet", "squeezenet": "SqueezeNet", "swin_transformer": "Swin", "vgg": "VGG",
    "vision_transformer": "ViT",
}


class ExportError(Exception):
    """One line for the user; `exit_status` 3 means a package is missing."""

    def __init__(self, message, exit_status=1):
        super().__init__(message)
        self.exit_status = exit_status


def _import_torchvision():
    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as error:
        raise ExportError(f"models need PyTorch and torchvision in {sys.executable} ({error}): install "
                          "python3-torchvision (Debian/Ubuntu) or 'pip install torchvision', or name a Python "
                          "that has them in ALIGNSCOPE_PYTHON", MISSING_PACKAGE_EXIT)
    import torchvision
    return torchvision


def _family(name):
    from torchvision import models
    module = models.get_model_builder(name).__module__.rsplit(".", 1)[-1]
    return FAMILIES.get(module, module)


def _training(weights_name):
    if "SWAG" in weights_name:
        return "Instagram 3.6B then ImageNet-1K", "weakly supervised"
    return "ImageNet-1K", "supervised"


def _preprocessing_of(weights, source_text):
    transform = weights.transforms()
    interpolation = str(getattr(transform, "interpolation", "bilinear")).rsplit(".", 1)[-1].lower()
    return {"resize": int(transform.resize_size[0]), "crop": int(transform.crop_size[0]),
            "interpolation": interpolation, "mean": [float(v) for v in transform.mean],
            "std": [float(v) for v in transform.std], "from": source_text}


def _finite_or_none(value):
    # VGG16's IMAGENET1K_FEATURES weights have no classifier: torchvision records their accuracy as NaN.
    return value if isinstance(value, (int, float)) and value == value else None


def _weights_entry(weights):
    metrics = weights.meta.get("_metrics", {}).get("ImageNet-1K", {})
    metrics = {key: _finite_or_none(value) for key, value in metrics.items()}
    data, objective = _training(weights.name)
    return {"name": f"{type(weights).__name__}.{weights.name}", "enum": weights.name,
            "parameters": weights.meta.get("num_params"),
            "imagenet1k_top1": metrics.get("acc@1"), "imagenet1k_top5": metrics.get("acc@5"),
            "recipe": weights.meta.get("recipe"), "training_data": data, "objective": objective,
            "preprocessing": _preprocessing_of(weights, f"{type(weights).__name__}.{weights.name}")}


def list_models(source="torchvision"):
    """Every classification architecture of the installed torchvision with its weights and their metadata."""
    if source != "torchvision":
        raise ExportError(f"unknown source '{source}' (the catalogue lists torchvision)")
    torchvision = _import_torchvision()
    from torchvision import models
    catalogue = []
    for name in models.list_models(module=models):
        weights_enum = models.get_model_weights(name)
        variants = [_weights_entry(w) for w in weights_enum]
        default = weights_enum.DEFAULT
        catalogue.append({"source": "torchvision", "name": name, "family": _family(name),
                          "default_weights": f"{weights_enum.__name__}.{default.name}", "weights": variants})
    return {"torchvision_version": torchvision.__version__, "models": catalogue}


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _weights_url(weights):
    """The weights' download address; ALIGNSCOPE_WEIGHTS_URL replaces it for tests only (a file:// URL to a
    local .pth, since the tests have no network). Its file name, which carries the SHA-256 prefix, names the
    file in torch's cache."""
    return os.environ.get("ALIGNSCOPE_WEIGHTS_URL") or weights.url


class _ProgressLines:
    """Stands in for torch.hub's tqdm: the download's progress as JSON lines on stderr
    ({"progress": fraction, "stage": text}), which the CLI forwards to its own progress."""

    stage = ""
    stream = sys.stderr

    def __init__(self, total=None, disable=False, **_options):
        self.total, self.done, self.reported = total, 0, -1

    def __enter__(self):
        self._report(0.0)
        return self

    def __exit__(self, *_exception):
        return False

    def update(self, count):
        self.done += count
        if self.total:
            self._report(min(1.0, self.done / self.total))

    def _report(self, fraction):
        percent = int(fraction * 100)
        if percent == self.reported:
            return
        self.reported = percent
        self.stream.write(json.dumps({"progress": fraction, "stage": self.stage}) + "\n")
        self.stream.flush()


def _load_default_weights(weights):
    """The weights' state dict from torch's cache, downloading it there (checked against the SHA-256 prefix
    its file name carries) when it is missing."""
    import torch
    import torch.hub
    from urllib.parse import urlparse
    cache = os.path.join(torch.hub.get_dir(), "checkpoints")
    label = f"{type(weights).__name__}.{weights.name}"
    url = _weights_url(weights)
    file_name = os.path.basename(urlparse(url).path)
    import contextlib
    import io
    notes = io.StringIO()
    saved_bar = torch.hub.tqdm
    _ProgressLines.stage, _ProgressLines.stream = f"downloading {label}", sys.stderr
    torch.hub.tqdm = _ProgressLines
    try:
        # torch.hub announces the download on stderr; its progress comes as our lines instead, and a failed
        # download is reported in one line below. torch downloads to a temporary in the cache folder and
        # moves it there only once its hash matches.
        with contextlib.redirect_stderr(notes):
            return torch.hub.load_state_dict_from_url(url, model_dir=cache, map_location="cpu", progress=True,
                                                      check_hash=True, file_name=file_name)
    except RuntimeError as error:
        match = re.search(r'invalid hash value \(expected "([0-9a-f]*)", got "([0-9a-f]*)"\)', str(error))
        if not match:
            raise ExportError(f"cannot load the weights {label} ({os.path.join(cache, file_name)}): {error}")
        expected, actual = match.groups()
        raise ExportError(f"the download of the weights {label} ({url}) failed its checksum: the file name "
                          f"{file_name} expects SHA-256 {expected}..., the download has {actual[:len(expected)]}"
                          f"...; nothing was kept in the cache folder {cache}")
    except Exception as error:  # urllib raises several kinds; all mean the same to the user
        raise ExportError(f"cannot get the weights {label} ({url}): {error}; they are looked for in "
                          f"the cache folder {cache} (copy the file there) or pass --weights FILE.pth")
    finally:
        torch.hub.tqdm = saved_bar


def _torchvision_model(name, weights_text):
    _import_torchvision()
    import torch
    from torchvision import models
    if name not in models.list_models(module=models):
        raise ExportError(f"torchvision has no classification model '{name}' (alignscope-cli models list "
                          "shows them)")
    weights_enum = models.get_model_weights(name)
    default = weights_enum.DEFAULT
    default_label = f"{weights_enum.__name__}.{default.name}"
    model = models.get_model(name, weights=None)
    if weights_text in ("none", ""):
        chosen, label, weights_hash = None, "none", "none"
        model.eval()
    elif weights_text.endswith((".pth", ".pt")) or os.path.sep in weights_text:
        if not os.path.isfile(weights_text):
            raise ExportError(f"{weights_text}: no such weights file")
        try:
            state = torch.load(weights_text, map_location="cpu")
            if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
                state = state["state_dict"]
            model.load_state_dict(state)
        except Exception as error:
            raise ExportError(f"{weights_text}: cannot load it into torchvision's {name}: {error}")
        chosen, label, weights_hash = None, "file:" + os.path.abspath(weights_text), _sha256(weights_text)
    else:
        enum_name = weights_text.rsplit(".", 1)[-1]
        if enum_name == "DEFAULT":
            chosen = default
        else:
            try:
                chosen = weights_enum[enum_name]
            except KeyError:
                known = ", ".join(["DEFAULT"] + [w.name for w in weights_enum])
                raise ExportError(f"{name} has no weights '{weights_text}' (known: {known}, none, FILE.pth)")
        model.load_state_dict(_load_default_weights(chosen))
        label = f"{weights_enum.__name__}.{chosen.name}"
        weights_hash = _weights_url(chosen).rsplit("/", 1)[-1]  # torchvision's file names carry their hash
    if chosen is not None:
        preprocessing = _preprocessing_of(chosen, label)
        entry = _weights_entry(chosen)
        metadata = {"imagenet1k_top1": entry["imagenet1k_top1"], "imagenet1k_top5": entry["imagenet1k_top5"],
                    "recipe": entry["recipe"], "training_data": entry["training_data"],
                    "objective": entry["objective"]}
    else:
        preprocessing = _preprocessing_of(
            default, f"{default_label} (the architecture's default weights' transforms; the exported weights "
                     f"are {'untrained' if label == 'none' else 'a file'})")
        metadata = {"imagenet1k_top1": None, "imagenet1k_top5": None, "recipe": None,
                    "training_data": None if label == "none" else "unknown (a weights file)",
                    "objective": None if label == "none" else "unknown (a weights file)"}
    metadata = {"family": _family(name), **metadata}
    return model.eval(), preprocessing, metadata, label, weights_hash


def _python_model(spec):
    import importlib.util
    path, _, function = spec.partition(":")
    function = function or "model"
    if not os.path.isfile(path):
        raise ExportError(f"{path}: no such Python file")
    module_spec = importlib.util.spec_from_file_location("alignscope_user_model", path)
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception as error:
        raise ExportError(f"{path}: importing it failed: {type(error).__name__}: {error}")
    if not callable(getattr(module, function, None)):
        raise ExportError(f"{path}: has no function '{function}' (it returns the module and its preprocessing)")
    try:
        returned = getattr(module, function)()
    except Exception as error:
        raise ExportError(f"{path}: {function}() failed: {type(error).__name__}: {error}")
    if isinstance(returned, dict):
        model, preprocessing, metadata = (returned.get("model"), returned.get("preprocessing"),
                                          returned.get("metadata", {}))
    elif isinstance(returned, tuple) and len(returned) in (2, 3):
        model, preprocessing, metadata = (tuple(returned) + ({},))[:3]
    else:
        raise ExportError(f"{path}: {function}() must return (module, preprocessing[, metadata])")
    import torch
    if not isinstance(model, torch.nn.Module):
        raise ExportError(f"{path}: {function}() returned no torch.nn.Module")
    if hasattr(preprocessing, "resize_size"):  # a torchvision ImageClassification transform
        preprocessing = {"resize": preprocessing.resize_size[0], "crop": preprocessing.crop_size[0],
                         "interpolation": str(preprocessing.interpolation).rsplit(".", 1)[-1].lower(),
                         "mean": preprocessing.mean, "std": preprocessing.std}
    if not isinstance(preprocessing, dict):
        raise ExportError(f"{path}: the preprocessing must be a dict (resize, crop, interpolation, mean, std) "
                          "or a torchvision transform with resize_size/crop_size")
    try:
        preprocessing = {"resize": int(preprocessing["resize"]), "crop": int(preprocessing["crop"]),
                         "interpolation": str(preprocessing.get("interpolation", "bilinear")).lower(),
                         "mean": [float(v) for v in preprocessing["mean"]],
                         "std": [float(v) for v in preprocessing["std"]], "from": f"{path}:{function}"}
    except (KeyError, TypeError, ValueError) as error:
        raise ExportError(f"{path}: the preprocessing lacks or mistypes {error}")
    if preprocessing["interpolation"] not in ("bilinear", "bicubic"):
        raise ExportError(f"{path}: interpolation must be bilinear or bicubic")
    if len(preprocessing["mean"]) != 3 or len(preprocessing["std"]) != 3:
        raise ExportError(f"{path}: mean and std need three values")
    return model.eval(), preprocessing, dict(metadata), f"{path}:{function}", _sha256(path)


def _last_linear(model):
    """The final classifier layer: the last Linear, or for fully convolutional classifiers (SqueezeNet) the
    last Conv2d, whose input is then a spatial map."""
    import torch
    name = None
    for kind in (torch.nn.Linear, torch.nn.Conv2d):
        for child_name, child in model.named_modules():
            if isinstance(child, kind):
                name = child_name
        if name is not None:
            return name
    return None


def _reduce(tensor, family):
    """N×D features from an output, and how they were reduced (the C++ side pools 4-D maps itself)."""
    if tensor.dim() == 3:
        if family == "ViT":
            return tensor[:, 0], "class token"
        return tensor.mean(dim=1), "token mean"
    if tensor.dim() == 4 and family == "Swin":  # Swin's maps are N×H×W×C
        return tensor.permute(0, 3, 1, 2), "spatial (channels-last map made N×C×H×W; pooled by extract --pool)"
    if tensor.dim() == 4:
        return tensor, "spatial (pooled by extract --pool)"
    return tensor.flatten(1) if tensor.dim() > 2 else tensor, "none"


def _named_outputs_module(model, layers, family):
    """A module whose forward returns {output name: tensor}: penultimate, logits and the asked layers.

    Layers that all name submodules are taken by forward hooks (this works for every model, also those torch.fx
    cannot trace, such as torchvision 0.14's ViT); otherwise they are torch.fx graph nodes, taken with
    torchvision's create_feature_extractor."""
    import torch
    linear = _last_linear(model)
    modules = dict(model.named_modules())
    # A graph module runs containers as their parts, so once one name needs torch.fx every layer comes from it.
    use_graph = any(layer not in modules for layer in layers)
    hooked = [] if use_graph else list(layers)
    graph_nodes = list(layers) if use_graph else []
    body = model
    if graph_nodes:
        from torchvision.models.feature_extraction import create_feature_extractor, get_graph_node_names
        try:
            _, nodes = get_graph_node_names(model)
        except Exception as error:
            raise ExportError(f"no submodule {', '.join(graph_nodes)}, and torch.fx cannot trace the model to "
                              f"find graph nodes ({type(error).__name__}); name submodules instead")
        # A module's name stands for its last node, as in create_feature_extractor.
        unknown = [layer for layer in graph_nodes
                   if layer not in nodes and not any(node.startswith(layer + ".") for node in nodes)]
        if unknown:
            raise ExportError(f"no node {', '.join(unknown)} in the model (nodes: {', '.join(nodes)})")
        returned = {layer: layer for layer in graph_nodes}
        returned[nodes[-1]] = "logits"
        body = create_feature_extractor(model, return_nodes=returned)

    class NamedOutputs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = body
            self.captured = {}
            self.reductions = {}
            if linear is not None:
                self.body.get_submodule(linear).register_forward_pre_hook(
                    lambda _module, inputs: self.captured.__setitem__("penultimate", inputs[0]))
            for layer in hooked:
                self.body.get_submodule(layer).register_forward_hook(self._capture(layer))

        def _capture(self, layer):
            def hook(_module, _inputs, output):
                self.captured[layer] = output[0] if isinstance(output, (tuple, list)) else output
            return hook

        def forward(self, x):
            self.captured.clear()
            result = self.body(x)
            outputs = {}
            if "penultimate" in self.captured:
                captured = self.captured["penultimate"]
                outputs["penultimate"] = captured if captured.dim() == 4 else captured.flatten(1)
            if isinstance(result, dict):
                outputs["logits"] = result.pop("logits")
                self.captured.update(result)
            else:
                outputs["logits"] = result
            for name in layers:
                outputs[name], self.reductions[name] = _reduce(self.captured[name], family)
            return outputs

    return NamedOutputs(), linear


def resolve_weights(spec, weights):
    """What a torchvision model's DEFAULT or enum weights are in the installed torchvision (the enum DEFAULT
    maps to and the file it downloads), so that caches keyed by it export again after an upgrade."""
    torchvision = _import_torchvision()
    from torchvision import models
    source, _, name = spec.partition(":")
    if source != "torchvision" or name not in models.list_models(module=models):
        raise ExportError(f"'{spec}' is not a torchvision classification model")
    weights_enum = models.get_model_weights(name)
    enum_name = weights.rsplit(".", 1)[-1]
    try:
        chosen = weights_enum.DEFAULT if enum_name == "DEFAULT" else weights_enum[enum_name]
    except KeyError:
        raise ExportError(f"{name} has no weights '{weights}'")
    return {"weights": f"{weights_enum.__name__}.{chosen.name}",
            "file": _weights_url(chosen).rsplit("/", 1)[-1], "torchvision_version": torchvision.__version__}


def export(spec, out, weights="none", layers=(), seed=None):
    """Writes the TorchScript file to `out` (a temporary the caller moves) and returns its manifest."""
    _import_torchvision()
    import torch
    layers = [layer for layer in layers if layer]
    if seed is not None:
        torch.manual_seed(seed)
    source, _, rest = spec.partition(":")
    if source == "torchvision":
        model, preprocessing, metadata, weights_label, weights_hash = _torchvision_model(rest, weights)
        name = rest
    elif source == "python":
        if weights not in ("none", "", None):
            raise ExportError("--weights is for torchvision models; a python: model loads its own")
        model, preprocessing, metadata, weights_label, weights_hash = _python_model(rest)
        name = os.path.basename(rest.partition(":")[0])
    else:
        raise ExportError(f"'{spec}': name a model as torchvision:NAME or python:FILE.py[:FUNCTION]")
    family = metadata.get("family")
    metadata["parameters"] = sum(p.numel() for p in model.parameters())
    wrapper, linear = _named_outputs_module(model, layers, family)
    example = torch.zeros(1, 3, preprocessing["crop"], preprocessing["crop"])
    with torch.no_grad():
        eager = wrapper(example)
        traced = torch.jit.trace(wrapper, example, strict=False, check_trace=False)
        scripted = traced(example)
    outputs = []
    for output_name, tensor in eager.items():
        if output_name == "penultimate":
            reduction = "spatial (pooled by extract --pool)" if tensor.dim() == 4 else "none"
            node = f"{linear} (its input)"
        elif output_name == "logits":
            reduction, node = "none", "the model's output"
        else:
            reduction, node = wrapper.reductions[output_name], output_name
        if not torch.allclose(scripted[output_name], tensor, rtol=1e-4, atol=1e-5):
            raise ExportError(f"the traced model's output '{output_name}' differs from the eager model's")
        outputs.append({"name": output_name, "node": node, "shape": list(tensor.shape[1:]),
                        "reduction": reduction})
    manifest = {"format": FORMAT, "source": source, "name": name, "spec": spec, "weights": weights_label,
                "weights_sha256": weights_hash, "layers": layers, "preprocessing": preprocessing,
                "outputs": outputs, "metadata": metadata, "torch_version": torch.__version__}
    torch.jit.save(traced, out, _extra_files={EXTRA_FILE: json.dumps(manifest, indent=1)})
    return manifest


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(prog="models_export.py")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list")
    listing.add_argument("--source", default="torchvision")
    exporting = commands.add_parser("export")
    exporting.add_argument("spec")
    exporting.add_argument("--out", required=True)
    exporting.add_argument("--weights", default="DEFAULT")
    exporting.add_argument("--layers", default="")
    exporting.add_argument("--seed", type=int, default=None)
    resolving = commands.add_parser("resolve")
    resolving.add_argument("spec")
    resolving.add_argument("--weights", default="DEFAULT")
    arguments = parser.parse_args(argv)
    # Cancelling ends this process with SIGTERM; as an exception it lets torch's download remove its
    # temporary from the cache folder (the default action would leave it there).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        if arguments.command == "list":
            document = list_models(arguments.source)
        elif arguments.command == "resolve":
            document = resolve_weights(arguments.spec, arguments.weights)
        else:
            document = export(arguments.spec, arguments.out, arguments.weights,
                              arguments.layers.split(","), arguments.seed)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_status
    print(json.dumps(document, allow_nan=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
