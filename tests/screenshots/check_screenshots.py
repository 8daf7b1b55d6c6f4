#!/usr/bin/python3
"""Fails unless every expected page screenshot exists, has the window's size and is not blank."""
import sys

from PIL import Image, ImageStat

folder = sys.argv[1]
pages = ["objects", "models", "results", "concepts", "triplets", "rdms", "scatter", "probe"]
failures = []
for page in pages:
    path = f"{folder}/{page}.png"
    try:
        image = Image.open(path).convert("RGB")
    except OSError as error:
        failures.append(f"{path}: {error}")
        continue
    colours = len(image.getcolors(maxcolors=1 << 20) or [])
    spread = max(ImageStat.Stat(image).stddev)
    print(f"{page}: {image.size[0]}x{image.size[1]}, {colours} colours, stddev {spread:.1f}")
    if image.size != (1400, 950) or colours < 50 or spread < 10:
        failures.append(f"{path}: looks blank or has the wrong size")
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
