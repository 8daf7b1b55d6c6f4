#!/bin/sh
# Screenshots of the odd-one-out pages on the real THINGS data, for the README.
# Usage: take_readme_screenshots.sh BUILD_DIR SHARED_DATA_DIR OUT_DIR
# Models: VICE itself (rows in sorted ID order) and VICE mixed into 256 random dimensions plus noise
# (a stand-in for a network's features); VICE is also the concept space. Needs xvfb-run and python3-numpy.
set -eu
build=$1 data=$2 out=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$data" "$work" <<'PY'
import csv, sys
import numpy as np
data, work = sys.argv[1:3]
ids = [r["uniqueID"] for r in csv.DictReader(open(f"{data}/things/things_concepts.tsv", encoding="utf-8"), delimiter="\t")]
vice = np.load(f"{data}/vice/final_embedding.npy")
position = {u: i for i, u in enumerate(ids)}
canonical = np.empty_like(vice)
canonical[[position[u] for u in sorted(ids)]] = vice
rng = np.random.default_rng(0)
mixed = canonical @ rng.standard_normal((42, 256)).astype(np.float32) + 0.5 * rng.standard_normal((len(ids), 256)).astype(np.float32)
np.save(f"{work}/mixed_vice_256.npy", mixed.astype(np.float32))
open(f"{work}/mixed_vice_256.rows.txt", "w").write("\n".join(ids) + "\n")
np.save(f"{work}/vice.npy", vice)
PY
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1400x1000x24" "$build/app/alignscope" --screenshots "$out" \
  --concepts "$data/vice/final_embedding.npy" --rows "$data/vice/final_embedding.npy=sorted" --rows "$work/vice.npy=sorted" \
  --similarity dot \
  "$data/things/things_concepts.tsv" "$data/things/triplets_with_subjects.txt" "$data/vice/final_embedding.npy" \
  "$work/vice.npy" "$work/mixed_vice_256.npy"
ls "$out"
