#!/usr/bin/python3
"""Models by name (issue 27): extraction of an exported ResNet-50 with alignscope-cli against the same model in
python3-torch with torchvision's transforms and a DataLoader (2 workers), on the same images, in the same run.

Usage: bench_models_by_name.py CLI [--images 1854] [--size 224] [--model resnet50] [--batch-size 32]

Reports the export's time, each side's images/s and their ratio (the issue asks >= 1.0), each process's peak
resident memory (ru_maxrss from wait4: the process or its largest waited-for descendant, not a sum over the
DataLoader's workers), and the smallest cosine between the two sides' penultimate features (the same seeded
weights: --weights none --seed 0 here, torch.manual_seed(0) there). A benchmark, not a timed test: it fails only
when a process fails or the features disagree.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

REFERENCE = r'''
import sys, time, os
import numpy as np, torch
from PIL import Image
from torchvision import models
folder, name, batch_size, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
start = time.perf_counter()
torch.manual_seed(0)
model = models.get_model(name, weights=None).eval()
model.fc = torch.nn.Identity()
transform = models.get_model_weights(name).DEFAULT.transforms()
paths = sorted(os.path.join(folder, f) for f in os.listdir(folder))

class Images(torch.utils.data.Dataset):
    def __len__(self):
        return len(paths)
    def __getitem__(self, index):
        return transform(Image.open(paths[index]).convert("RGB"))

loader = torch.utils.data.DataLoader(Images(), batch_size=batch_size, num_workers=2)
rows = []
with torch.inference_mode():
    for batch in loader:
        rows.append(model(batch).numpy())
np.save(out, np.concatenate(rows))
print(time.perf_counter() - start)
'''


def timed(command):
    """Wall seconds, peak resident bytes and stdout of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss * 1024, out


def write_images(folder, count, size):
    from PIL import Image
    rng = np.random.default_rng(0)
    for index in range(count):
        coarse = Image.fromarray((rng.random((size // 16, size // 16, 3)) * 255).astype(np.uint8))
        coarse.resize((size, size), Image.BICUBIC).save(os.path.join(folder, f"image{index:05d}.jpg"), quality=90)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--images", type=int, default=1854)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--model", default="resnet50")
    parser.add_argument("--batch-size", type=int, default=32)
    arguments = parser.parse_args()
    environment = dict(os.environ, ALIGNSCOPE_PYTHON=os.environ.get("ALIGNSCOPE_PYTHON", "/usr/bin/python3"))
    with tempfile.TemporaryDirectory(prefix="alignscope-bench-models-") as folder:
        images = os.path.join(folder, "images")
        os.mkdir(images)
        write_images(images, arguments.images, arguments.size)
        model = os.path.join(folder, f"{arguments.model}.pt")
        start = time.perf_counter()
        subprocess.run([arguments.cli, "models", "export", f"torchvision:{arguments.model}", "--weights", "none",
                        "--seed", "0", "--out", model], check=True, env=environment, capture_output=True)
        export_seconds = time.perf_counter() - start
        ours_file = os.path.join(folder, "ours.npy")
        ours_seconds, ours_rss, _ = timed([arguments.cli, "extract", "--model", model, "--images", images, "--out",
                                           ours_file, "--no-cache", "--quiet", "--batch-size",
                                           str(arguments.batch_size)])
        script = os.path.join(folder, "reference.py")
        with open(script, "w") as file:
            file.write(REFERENCE)
        theirs_file = os.path.join(folder, "theirs.npy")
        theirs_seconds, theirs_rss, _ = timed([environment["ALIGNSCOPE_PYTHON"], script, images, arguments.model,
                                               str(arguments.batch_size), theirs_file])
        ours, theirs = np.load(ours_file), np.load(theirs_file)
        cosine = ((ours * theirs).sum(1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1))).min()
    count = arguments.images
    print(f"{arguments.model}, {count} images of {arguments.size}², batch {arguments.batch_size}, "
          f"{os.cpu_count()} CPUs")
    print(f"export (models export --weights none): {export_seconds:.1f} s")
    print(f"alignscope-cli extract: {ours_seconds:.1f} s, {count / ours_seconds:.2f} images/s, "
          f"peak RSS {ours_rss / 2**20:.0f} MiB")
    print(f"torch + DataLoader(2 workers): {theirs_seconds:.1f} s, {count / theirs_seconds:.2f} images/s, "
          f"peak RSS {theirs_rss / 2**20:.0f} MiB (largest process)")
    print(f"ratio (AlignScope images/s over PyTorch's): {theirs_seconds / ours_seconds:.2f}x")
    print(f"smallest cosine between the two sides' features: {cosine:.6f}")
    return 0 if cosine >= 0.999 else 1


if __name__ == "__main__":
    sys.exit(main())
