#!/bin/sh
# Screenshots of every page of the app on the built-in demo, for the README (and CI: see check_screenshots.py).
# Usage: take_readme_screenshots.sh BUILD_DIR OUT_DIR [DEMO_DIR]
# Needs xvfb-run. The demo is generated into DEMO_DIR (default: a temporary folder), so the run is reproducible.
set -eu
build=$1 out=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
demo=${3:-$work/demo}
mkdir -p "$out"
ALIGNSCOPE_CACHE_DIR="$work/cache" xvfb-run -a -s "-screen 0 1400x1000x24" \
  "$build/app/alignscope" --demo --demo-folder "$demo" --screenshots "$out"
ls "$out"
