#!/bin/bash
# Builds the .deb with CPack, installs it with apt, and runs the installed CLI: --version and a small
# evaluation on the demo; validates the desktop entry and AppStream metainfo. Needs root (apt install).
# Usage: test_deb.sh BUILD_DIR
set -euo pipefail
build=$(readlink -f "$1")
if [ "$(id -u)" -ne 0 ]; then echo "test_deb: needs root to install the package (CI runs as root)" >&2; exit 1; fi
work=$(mktemp -d /tmp/alignscope-deb-XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" >cpack.log 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/alignscope_*_amd64.deb)
echo "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"
dpkg-deb --field "$deb" Depends | tr ',' '\n' | grep -q openblas || { echo "Depends lacks an optimized BLAS" >&2; exit 1; }
dpkg-deb --contents "$deb" | grep -E "usr/bin/alignscope-cli|applications/org.alignscope.AlignScope.desktop|metainfo/org.alignscope.AlignScope.metainfo.xml|man1/alignscope-cli.1.gz|48x48/apps/org.alignscope.AlignScope.png|slurm/submit.sh|usr/lib/alignscope/alignscope_models.so|dist-packages/alignscope/__init__.py$" | wc -l | grep -qx 8 \
  || { echo "package misses files" >&2; dpkg-deb --contents "$deb" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; exit 1; }
/usr/bin/alignscope-cli --version
/usr/bin/alignscope-cli demo --out "$work/demo" >/dev/null
accuracy=$(/usr/bin/alignscope-cli ooo --objects "$work/demo/concepts/things_concepts.tsv" --triplets "$work/demo/triplets/test_10.txt" \
  --features "$work/demo/concept_space.npy" --similarity dot --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["models"][0]["accuracy"])')
echo "installed CLI: demo concept space, dot similarity: accuracy $accuracy"
python3 -c "import sys; sys.exit(0 if float('$accuracy') > 0.6 else 1)"
# The Python module from the package (run outside the source and build trees, so only the installed one is found).
(cd / && /usr/bin/python3 -c "
import alignscope, numpy as np
assert alignscope.__file__.startswith('/usr/lib/python3/dist-packages/alignscope/'), alignscope.__file__
features = np.load('$work/demo/concept_space.npy')
triplets = np.loadtxt('$work/demo/triplets/test_10.txt', dtype=np.int64)[:, :3]
result = alignscope.odd_one_out(features, triplets, similarity='dot')
assert abs(result.accuracy - $accuracy) < 1e-12, (result.accuracy, $accuracy)
print('installed Python module', alignscope.__version__, ': the same accuracy', result.accuracy)
")
man -w alignscope-cli >/dev/null
desktop-file-validate /usr/share/applications/org.alignscope.AlignScope.desktop
appstreamcli validate --no-net --pedantic /usr/share/metainfo/org.alignscope.AlignScope.metainfo.xml >/dev/null || appstreamcli validate --no-net /usr/share/metainfo/org.alignscope.AlignScope.metainfo.xml
echo "package OK"
