"""Models by name: the catalogue of the installed torchvision and exports with their own preprocessing.

``list()`` and ``export()`` run ``alignscope-cli models`` (found as $ALIGNSCOPE_CLI or on PATH), so a model is
exported exactly as the CLI exports it: traced to TorchScript by ``models_export.py`` in a child process that
runs this Python (unless $ALIGNSCOPE_PYTHON names another), then checked and written atomically.
"""
import json as _json
import os as _os
import shutil as _shutil
import subprocess as _subprocess
import sys as _sys

__all__ = ["list", "export"]


def _cli():
    path = _os.environ.get("ALIGNSCOPE_CLI") or _shutil.which("alignscope-cli")
    if not path:
        raise ValueError("alignscope-cli was not found: put it on PATH or name it in ALIGNSCOPE_CLI")
    return path


def _run(arguments):
    environment = dict(_os.environ)
    environment.setdefault("ALIGNSCOPE_PYTHON", _sys.executable)
    done = _subprocess.run([_cli(), "models", *arguments], capture_output=True, text=True, env=environment)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise ValueError(lines[-1] if lines else f"alignscope-cli models failed ({done.returncode})")
    return _json.loads(done.stdout)


def list(source="torchvision"):  # noqa: A001 - the issue's name: alignscope.models.list()
    """Every architecture of ``source`` with its weights: a list of dicts (name, family, default_weights,
    weights: [{name, parameters, imagenet1k_top1, imagenet1k_top5, recipe, training_data, objective,
    preprocessing}])."""
    return _run(["list", "--source", source, "--json"])["models"]


def export(model, out, weights=None, layers=(), seed=None):
    """Exports ``model`` ("torchvision:resnet50" or "python:FILE.py[:FUNCTION]") to the TorchScript file
    ``out``; returns its manifest (preprocessing, outputs, metadata). ``weights``: "DEFAULT" (torchvision's
    default), an enum name, a state-dict ``.pth`` path or "none"; ``layers`` adds named outputs."""
    arguments = ["export", str(model), "--out", _os.fspath(out), "--json"]
    if weights is not None:
        arguments += ["--weights", _os.fspath(weights)]
    if layers:
        arguments += ["--layers", ",".join(layers)]
    if seed is not None:
        arguments += ["--seed", str(int(seed))]
    return _run(arguments)["manifest"]
