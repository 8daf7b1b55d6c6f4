#pragma once
// The alignscope-cli subcommands. Each returns the process exit code and writes results to `out`,
// errors (one line each, naming the file and reason) to `err`.

#include <ostream>
#include <string>
#include <vector>

namespace alignscope::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

int runInfo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runOoo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runRsa(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runNeighbours(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runConceptSimilarity(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runCka(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runProbe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runExtract(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runInspect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runModels(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runDemo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runBatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runMerge(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runCompare(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runTransform(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace alignscope::cli
