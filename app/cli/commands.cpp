#include "commands.h"

#include "alignscope/version.h"

#include <exception>
#include <new>

namespace alignscope::cli {

namespace {

const char* const kUsage = R"(usage: alignscope-cli COMMAND [OPTIONS]

commands:
  info FILE... [--json]   detected format, shape, dtype and first row IDs of each file
  ooo ...                 zero-shot odd-one-out accuracy of feature sets against human triplets
  rsa ...                 correlation of a model RDM with a human similarity matrix
  neighbours ...          each object's nearest neighbours under a model and under humans, and their overlap
  concept-similarity ...  human similarity matrix from a concept embedding (Hebart et al. 2020)
  cka ...                 centered kernel alignment of two feature sets
  probe ...               learn a human-aligned linear transform from triplets (cross-validated)
  transform ...           apply a saved transform to features
  extract ...             features of a TorchScript model for a folder or list of images
  inspect --model FILE    methods, submodules, parameters and outputs of a TorchScript model
  models list|export ...  torchvision's catalogue; a model by name as TorchScript with its preprocessing
  demo [--out DIR]        write the synthetic demo dataset the GUI starts with
  batch ...               run a manifest of jobs (models × datasets × analyses), resumable
  merge DIR               combine a batch's results into one table (CSV and JSON)
  compare ...             statistics over models: a result against metadata or another result
  --version               print the version

Run 'alignscope-cli COMMAND --help' for a command's options.
)";

} // namespace

namespace {
int dispatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    // Every command reports its errors as values; what is left (allocation failure) still ends with a message
    // and exit code 1, not an abort.
    try {
        return dispatch(args, out, err);
    } catch (const std::bad_alloc&) {
        err << "alignscope-cli: out of memory (the input is too large for this machine)\n";
    } catch (const std::exception& error) {
        err << "alignscope-cli: " << error.what() << "\n";
    }
    return 1;
}

namespace {

int dispatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        (args.empty() ? err : out) << kUsage;
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        out << "alignscope-cli " << applicationVersion() << " (LibTorch " << torchVersion() << ")\n";
        return 0;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "info") return runInfo(rest, out, err);
    if (args[0] == "ooo") return runOoo(rest, out, err);
    if (args[0] == "rsa") return runRsa(rest, out, err);
    if (args[0] == "neighbours") return runNeighbours(rest, out, err);
    if (args[0] == "concept-similarity") return runConceptSimilarity(rest, out, err);
    if (args[0] == "cka") return runCka(rest, out, err);
    if (args[0] == "probe") return runProbe(rest, out, err);
    if (args[0] == "transform") return runTransform(rest, out, err);
    if (args[0] == "extract") return runExtract(rest, out, err);
    if (args[0] == "inspect") return runInspect(rest, out, err);
    if (args[0] == "models") return runModels(rest, out, err);
    if (args[0] == "demo") return runDemo(rest, out, err);
    if (args[0] == "batch") return runBatch(rest, out, err);
    if (args[0] == "merge") return runMerge(rest, out, err);
    if (args[0] == "compare") return runCompare(rest, out, err);
    err << "alignscope-cli: unknown command '" << args[0] << "'\n" << kUsage;
    return 2;
}

} // namespace

} // namespace alignscope::cli
