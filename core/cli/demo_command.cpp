// alignscope-cli demo: writes the synthetic demo dataset (what the GUI opens on first launch).
#include "arguments.h"
#include "commands.h"

#include "alignscope/demo_data.h"
#include "alignscope/version.h"

namespace alignscope::cli {

int runDemo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    auto parsed = Arguments::parse(args, {"out"}, {"help"});
    const char* usage = "usage: alignscope-cli demo [--out DIR]   (default: the GUI's demo folder)\n";
    if (auto exit = usageExit(parsed, "demo", usage, out, err)) return *exit;
    configureComputeThreads(0);
    const std::string folder = parsed->value("out", defaultDemoFolder());
    auto demo = generateDemoDataset(folder);
    if (!demo) return fail(err, demo.error());
    out << "demo in " << demo->folder << ": " << demo->objectCount << " objects, " << demo->tripletCount << " triplets\n"
        << "  concept space " << demo->conceptSpace << "\n";
    for (const std::string& model : demo->featureModels) out << "  features " << model << "\n";
    out << "  TorchScript model " << demo->cnnModel << "\n  human similarity " << demo->humanSubset << "\n";
    return 0;
}

} // namespace alignscope::cli
