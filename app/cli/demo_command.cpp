// alignscope-cli demo: writes the synthetic demo dataset (what the GUI opens on first launch).
#include "arguments.h"
#include "commands.h"

#include "alignscope/demo_data.h"
#include "alignscope/version.h"

namespace alignscope::cli {

int runDemo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp("demo", "Write the synthetic demo dataset the GUI starts with.");
    std::string folder = defaultDemoFolder();
    app.add_option("--out", folder, "folder (default: the GUI's demo folder)");
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    configureComputeThreads(0);
    auto demo = generateDemoDataset(folder);
    if (!demo) return fail(err, demo.error());
    out << "demo in " << demo->folder << ": " << demo->objectCount << " objects, " << demo->tripletCount
        << " triplets\n"
        << "  concept space " << demo->conceptSpace << "\n";
    for (const std::string& model : demo->featureModels)
        out << "  features " << model << "\n";
    out << "  TorchScript model " << demo->cnnModel << "\n  human similarity " << demo->humanSubset << "\n";
    return 0;
}

} // namespace alignscope::cli
