#include "commands.h"
#include "huge_pages.h"

#include <iostream>
#include <string>

int main(int argc, char** argv)
{
    // Only the commands that hold large arrays: --version, info and the batch driver start faster without it.
    const std::string command = argc > 1 ? argv[1] : "";
    for (const char* analysis : {"ooo", "rsa", "cka", "concept-similarity", "transform"})
        if (command == analysis) alignscope::app::reexecWithHugePages(argv, true);
    for (const char* model : {"probe", "extract"}) // LibTorch's own thread pool: its waiting is left as it is
        if (command == model) alignscope::app::reexecWithHugePages(argv);
    std::ios::sync_with_stdio(false);
    return alignscope::cli::run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
