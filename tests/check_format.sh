#!/bin/sh
# Fails when a C++ source or header under app/, core/, ui/, tests/, packaging/ or python/ differs from what clang-format
# (Debian's clang-format 14, the project's .clang-format) makes of it; names the files. Fix: clang-format -i FILE.
set -u
root=${1:?usage: check_format.sh SOURCE_DIR}
formatter=$(command -v clang-format || command -v clang-format-14 || true)
if [ -z "$formatter" ]; then
  echo "clang-format is not installed (packaging/install-deps.sh installs it)" >&2
  exit 1
fi
cd "$root" || exit 1
bad=$(find app core ui tests packaging python -name '*.cpp' -o -name '*.h' | sort | while read -r file; do
  "$formatter" --dry-run -Werror "$file" >/dev/null 2>&1 || echo "$file"
done)
if [ -n "$bad" ]; then
  echo "not formatted with $("$formatter" --version):" >&2
  echo "$bad" >&2
  exit 1
fi
echo "$(find app core ui tests packaging python -name '*.cpp' -o -name '*.h' | wc -l) files formatted"
