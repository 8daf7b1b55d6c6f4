#pragma once
// SIGTERM (logout, kill) and SIGINT (Ctrl-C in a terminal) end the GUI as File > Quit does: windows close
// (their close handlers run: running work is cancelled, the session ends cleanly), then the event loop quits.
// Without this the next start would find a stale session lock and offer to recover.

namespace alignscope::app {

// Call once after the QApplication exists, before any window: a signal before the first window still quits.
void quitCleanlyOnTerminationSignals();

} // namespace alignscope::app
