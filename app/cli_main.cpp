#include "commands.h"
#include "huge_pages.h"

#include <iostream>
#include <string>

int main(int argc, char** argv)
{
    // Only the commands that hold large arrays: --version, info and the batch driver start faster without it.
    const std::string command = argc > 1 ? argv[1] : "";
    for (const char* heavy : {"ooo", "rsa", "cka", "concept-similarity", "probe", "transform", "extract"})
        if (command == heavy) alignscope::app::reexecWithHugePages(argv);
    std::ios::sync_with_stdio(false);
    return alignscope::cli::run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
