#!/bin/sh
# The dependency rules of ARCHITECTURE.md, checked on the includes: only the window and the GUI front end
# (app/) include main_window.h; pages, controllers and the session never reach the window, pages never the
# Workbench (they get the parts they show); core includes no Qt. Names each offending file.
set -u
root=${1:?usage: check_architecture.sh SOURCE_DIR}
cd "$root" || exit 1
status=0
fail() {
  echo "$1:" >&2
  echo "$2" >&2
  status=1
}
window=$(grep -rl '#include "main_window.h"' core ui app | grep -v -e '^ui/main_window.cpp$' -e '^app/')
[ -z "$window" ] || fail "main_window.h is included outside ui/main_window.cpp and app/" "$window"
workbench=$(grep -rl '#include "controllers/workbench.h"' ui/pages ui/session ui/charts ui/dialogs ui/export)
[ -z "$workbench" ] || fail "pages and the session get what they show, not the Workbench" "$workbench"
upward=$(grep -rl -e '#include "pages/' -e '#include "dialogs/' ui/controllers ui/session)
[ -z "$upward" ] || fail "controllers and the session include pages or dialogs" "$upward"
qt=$(grep -rlE '#include <Q[A-Za-z]+>' core)
[ -z "$qt" ] || fail "core includes Qt" "$qt"
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
