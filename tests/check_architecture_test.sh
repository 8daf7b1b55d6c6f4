#!/bin/sh
# Tests check_architecture.sh (ctest include_rules_checker): each row plants one break of the layer table (or of
# the one write path) in a copy of the sources and expects the check to fail naming the file and the rule. The
# unchanged copy must pass first, so every failure below is the planted one's.
set -u
root=${1:?usage: check_architecture_test.sh SOURCE_DIR}
root=$(cd "$root" && pwd)
checker=$root/tests/check_architecture.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/alignscope-layers.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
tree=$work/tree
failures=0

fresh_copy() {
  rm -rf "$tree" && mkdir "$tree" && cp -R "$root/core" "$root/ui" "$root/app" "$root/python" "$root/ARCHITECTURE.md" "$tree/"
}

# expect_failure NAME EXPECTED...: the check must fail on $tree and print every EXPECTED text.
expect_failure() {
  name=$1
  shift
  if "$checker" "$tree" >"$work/out" 2>&1; then
    echo "FAIL $name: the check passed" >&2
    failures=$((failures + 1))
    return
  fi
  for expected in "$@"; do
    if ! grep -qF -- "$expected" "$work/out"; then
      echo "FAIL $name: the check's output lacks '$expected':" >&2
      cat "$work/out" >&2
      failures=$((failures + 1))
      return
    fi
  done
  echo "PASS $name"
}

# row NAME FILE LINE RULE: appends LINE to FILE (relative to the tree, created when missing); the check must
# name the file and the rule.
row() {
  name=$1 file=$2 line=$3 rule=$4
  fresh_copy
  mkdir -p "$(dirname "$tree/$file")"
  printf '%s\n' "$line" >>"$tree/$file"
  expect_failure "$name" "$file" "$rule"
}

fresh_copy
if ! "$checker" "$tree" >"$work/out" 2>&1; then
  echo "FAIL the unchanged sources break the rules already:" >&2
  cat "$work/out" >&2
  exit 1
fi
echo "PASS the unchanged sources"

# One planted break a line: NAME | FILE | LINE appended to it | RULE the check must name.
while IFS='|' read -r name file line rule; do
  row "$name" "$file" "$line" "$rule" </dev/null
done <<'ROWS'
a controller includes a chart|ui/controllers/population_controller.h|#include "charts/figure_export.h"|ui/controllers may not include ui/charts
the core includes Qt|core/src/io/npy.cpp|#include <QString>|core/src/io may not include Qt
a public core header includes LibTorch|core/include/alignscope/ndarray.h|#include <torch/torch.h>|core/include/alignscope may not include LibTorch
the session includes a controller|ui/session/session.h|#include "controllers/load_controller.h"|ui/session may not include ui/controllers
the export includes a controller|ui/export/figure_registry.h|#include "controllers/workbench.h"|ui/export may not include ui/controllers
a chart includes a page|ui/charts/axis_ticks.cpp|#include "pages/rsa_page.h"|ui/charts may not include ui/pages
a page includes the window|ui/pages/rsa_page.h|#include "main_window.h"|ui/pages may not include ui
a page includes the Workbench|ui/pages/rsa_page.cpp|#include "controllers/workbench.h"|ui/pages never includes ui/controllers/workbench.h
the CLI includes the GUI|app/cli/info_command.cpp|#include "session/session.h"|app/cli may not include ui/session
a folder the table lacks|ui/widgets/extra_widget.h|#pragma once|ui/widgets is not in the layer table
an include that names no file|ui/pages/rsa_page.cpp|#include "charts/no_such_chart.h"|charts/no_such_chart.h names no file
a file written with QSaveFile|ui/export/table_export.cpp|// QSaveFile|files are written other than through
ROWS

# Qt's modules are told apart when Qt's headers are found (ALIGNSCOPE_QT_HEADERS or qtpaths6).
qt_headers=${ALIGNSCOPE_QT_HEADERS:-$(qtpaths6 --query QT_INSTALL_HEADERS 2>/dev/null || true)}
if [ -n "$qt_headers" ] && [ -f "$qt_headers/QtWidgets/QFileDialog" ]; then
  row "a controller opens a dialog" ui/controllers/load_controller.cpp '#include <QFileDialog>' \
    "ui/controllers may not include QtWidgets"
else
  echo "SKIP a controller opens a dialog: Qt's headers were not found"
fi

# The table in ARCHITECTURE.md is the rule: a folder taken out of a row is refused at once.
fresh_copy
# shellcheck disable=SC2016 # the backquotes are the table's, not a command
sed '/^| `ui\/controllers` |/s/`ui\/session`, //' "$root/ARCHITECTURE.md" >"$tree/ARCHITECTURE.md"
expect_failure "the rule comes from ARCHITECTURE.md" "ui/controllers may not include ui/session"
fresh_copy
sed '/^## Layers/,$d' "$root/ARCHITECTURE.md" >"$tree/ARCHITECTURE.md"
expect_failure "ARCHITECTURE.md without the layer table" "ARCHITECTURE.md has no layer table"

[ $failures -eq 0 ] || exit 1
echo "every planted break was found"
