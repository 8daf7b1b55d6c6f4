#!/bin/sh
# The layer table of ARCHITECTURE.md ("Layers: who includes whom"), read from the document itself so that the
# rule and its description cannot drift apart, checked on every #include of core/, ui/, app/ and python/: each
# folder includes only itself and the folders (or single headers, Qt modules, LibTorch, OpenCV, pybind11) of its
# row, and never what its "never" column names. Then the one write path. Names each offending file and rule.
# Qt headers are told apart by module with Qt's include folder (ALIGNSCOPE_QT_HEADERS, else qtpaths6/qmake6).
set -u
root=${1:?usage: check_architecture.sh SOURCE_DIR}
cd "$root" || exit 1
status=0
fail() {
  echo "$1:" >&2
  echo "$2" >&2
  status=1
}

# One line per row: "folder|allowed ...|never ..." (the backquoted names of each cell, space-separated).
rules=$(awk '
  /^## Layers/ { table = 1; next }
  table && /^## / { exit }
  table && /^\| `/ {
    n = split($0, cell, "|")
    line = ""
    for (i = 2; i <= 4 && i < n; i++) {
      names = ""
      text = cell[i]
      while (match(text, /`[^`]+`/)) {
        names = names " " substr(text, RSTART + 1, RLENGTH - 2)
        text = substr(text, RSTART + RLENGTH)
      }
      line = line (i > 2 ? "|" : "") names " "
    }
    sub(/^ /, "", line)
    print line
  }' ARCHITECTURE.md)
if [ -z "$rules" ]; then
  echo "ARCHITECTURE.md has no layer table (section \"## Layers\", rows \"| \`folder\` | may include | never |\")" >&2
  exit 1
fi

qt_headers=${ALIGNSCOPE_QT_HEADERS:-$(qtpaths6 --query QT_INSTALL_HEADERS 2>/dev/null ||
  qmake6 -query QT_INSTALL_HEADERS 2>/dev/null || true)}
[ -n "$qt_headers" ] && [ -d "$qt_headers/QtCore" ] || qt_headers=

# The folders a quoted include is looked up in after the including file's own (the targets' include paths).
include_roots="core/include core/src core/src/io core/src/analysis core/src/models core/src/demo core/src/torch
  ui app/cli app python/src"

# qt_module HEADER: sets `layer` to the Qt module that has HEADER (QtWidgets for QFileDialog); "Qt" when Qt's
# headers are not found here, "Qt?" when no module has it. (Functions set variables: no process per include.)
qt_module() {
  case $1 in Qt*/*) layer=${1%%/*} && return ;; esac
  layer=Qt
  [ -n "$qt_headers" ] || return
  for module in "$qt_headers"/Qt*; do
    [ -f "$module/$1" ] && layer=${module##*/} && return
  done
  layer="Qt?"
}

# resolve DIR NAME: sets `target` to the file a quoted include names, relative to the root; empty when none.
resolve() {
  for folder in "$1" $include_roots; do
    [ -f "$folder/$2" ] && target=$folder/$2 && return
  done
  target=
}

# use_row FOLDER: sets `allowed` and `never` (" name name ") from FOLDER's row; false when it has none.
use_row() {
  row=$(printf '%s\n' "$rules" | awk -F'|' -v folder="$1" '$1 == folder " " { print; exit }')
  [ -n "$row" ] || return 1
  allowed=" ${row#*|}"
  never=" ${allowed#*|}"
  allowed=${allowed%%|*}
}

files=$(find core ui app python \( -name '*.h' -o -name '*.cpp' \) | sort)
layer_violations=$(
  for file in $files; do
    from=${file%/*}
    [ "$from" = "${checked:-}" ] && continue
    checked=$from
    use_row "$from" || echo "$file: its folder $from is not in the layer table of ARCHITECTURE.md"
  done
  # One grep over every file; a file's row is looked up when the folder changes (the files are sorted).
  # shellcheck disable=SC2086
  grep -nHE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' $files |
    while IFS=: read -r file number text; do
      from=${file%/*}
      if [ "$from" != "${current:-}" ]; then
        current=$from
        use_row "$from" || { allowed=; never=; }
      fi
      [ -n "$allowed" ] || continue # reported above
      include=${text#*include}
      include=${include#"${include%%[<\"]*}"}
      case $include in
        \<*) name=${include#<} && name=${name%%>*} && include="<$name>" ;;
        *) name=${include#\"} && name=${name%%\"*} && include="\"$name\"" ;;
      esac
      target=
      case $include in
        \<Qt*/* | \<Q[A-Z]*) qt_module "$name" ;;
        \<torch/* | \<ATen/* | \<c10/*) layer=LibTorch ;;
        \<opencv2/*) layer=OpenCV ;;
        \<pybind11/*) layer=pybind11 ;;
        \<*) continue ;; # the standard library, the system and other third-party headers
        *)
          case $name in
            ../* | */../*)
              echo "$file:$number: $include climbs out of its folder (include by the path from an include folder)"
              continue
              ;;
          esac
          resolve "$from" "$name"
          if [ -z "$target" ]; then
            echo "$file:$number: $name names no file (neither beside it nor in an include folder)"
            continue
          fi
          layer=${target%/*}
          ;;
      esac
      case $layer in
        "Qt?") echo "$file:$number: $include is in no Qt module under $qt_headers" && continue ;;
        "$from") continue ;;
      esac
      if [ -n "$target" ] && [ "${never#* "$target" }" != "$never" ]; then
        echo "$file:$number: includes $include, but $from never includes $target (ARCHITECTURE.md, Layers)"
        continue
      fi
      case $allowed in *" $layer "*) continue ;; esac
      if [ -n "$target" ] && [ "${allowed#* "$target" }" != "$allowed" ]; then continue; fi
      # Without Qt's headers any Qt module of the row admits any Qt header.
      if [ "$layer" = Qt ] && [ "${allowed#* Qt}" != "$allowed" ]; then continue; fi
      echo "$file:$number: includes $include, but $from may not include $layer (ARCHITECTURE.md, Layers)"
    done
)
[ -z "$layer_violations" ] || fail "includes that break the layer table" "$layer_violations"
[ -n "$qt_headers" ] || echo "note: Qt's headers were not found; Qt modules were not told apart" >&2

# One write path: files are written through core's file_io.h (checked targets, atomic, failures reported).
writers=$(grep -rlE 'QSaveFile|std::ofstream|fopen\([^)]*"[wa]' core ui app python | grep -v '^core/src/io/file_io.cpp$')
[ -z "$writers" ] || fail "files are written other than through core's file_io.h (writeFileAtomically, AtomicFileWriter)" "$writers"
# A Qt device opened for writing is a QBuffer whose bytes file_io.h then writes, never a QFile.
qtwriters=$(grep -rnoE '[A-Za-z_]+(\.|->)open\((QIODevice|QFile)::(WriteOnly|ReadWrite|Append)' core ui app python |
  while IFS=: read -r file line match; do
    device=${match%%[.-]*}
    grep -qE "QBuffer[[:space:]]+$device\b" "$file" || echo "$file:$line"
  done)
[ -z "$qtwriters" ] || fail "a QFile is opened for writing (write through core's file_io.h)" "$qtwriters"
[ $status -eq 0 ] && echo "include rules hold"
exit $status
