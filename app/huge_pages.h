#pragma once
// Transparent huge pages for malloc, for programs that allocate hundreds of MB at THINGS scale.
//
// Where the kernel hands out transparent huge pages only on request (Debian's default, "madvise"), every 4
// KiB of a fresh buffer costs a page fault; on virtual machines that dominated a whole `ooo` run (2.6 s of
// which about 1.9 s in faults and zeroing, measured with perf; 0.7 s with huge pages). glibc's malloc advises
// huge pages when its tunable glibc.malloc.hugetlb=1 is set, and tunables are read only at start-up, so the
// program re-executes itself once with the tunable added. ALIGNSCOPE_HUGE_PAGES=0 turns this off (e.g. under
// valgrind).
//
// `idleThreadsSleep` also lets idle OpenMP and OpenBLAS threads sleep at once (OMP_WAIT_POLICY=passive,
// OPENBLAS_THREAD_TIMEOUT=4) unless the user set them: their spinning took CPU from the work that runs beside
// them (repeat grouping overlaps the similarity matrix); on 2 cores a whole `ooo` went from 0.40 to 0.35 s
// (median of 6).

#include <cstdlib>
#include <string>
#include <unistd.h>

namespace alignscope::app {

inline void reexecWithHugePages(char** argv, bool idleThreadsSleep = false)
{
    const char* choice = std::getenv("ALIGNSCOPE_HUGE_PAGES");
    if (choice && std::string(choice) == "0") return;
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    const std::string current = tunables ? tunables : "";
    if (current.find("glibc.malloc.hugetlb") != std::string::npos) return; // set already (by us or the user)
    const std::string wanted =
        current.empty() ? "glibc.malloc.hugetlb=1" : current + ":glibc.malloc.hugetlb=1";
    if (::setenv("GLIBC_TUNABLES", wanted.c_str(), 1) != 0) return;
    if (idleThreadsSleep) {
        ::setenv("OMP_WAIT_POLICY", "passive", 0); // 0: a value the user set is kept
        ::setenv("OPENBLAS_THREAD_TIMEOUT", "4", 0);
    }
    ::execv("/proc/self/exe", argv);
    ::unsetenv("GLIBC_TUNABLES"); // exec failed: carry on as we are
    if (tunables) ::setenv("GLIBC_TUNABLES", tunables, 1);
}

} // namespace alignscope::app
