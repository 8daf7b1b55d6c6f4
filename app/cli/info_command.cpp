#include "alignscope/json_writer.h"
#include "arguments.h"
#include "commands.h"

#include "alignscope/matrix_file.h"

namespace alignscope::cli {

namespace {

void printSummary(const FileSummary& summary, std::ostream& out)
{
    out << summary.path << ": " << formatName(summary.format);
    if (!summary.shape.empty()) out << ", shape " << summary.shape;
    if (!summary.dtype.empty()) out << ", dtype " << summary.dtype;
    out << "\n";
    if (!summary.firstRowIds.empty()) {
        out << "  first rows:";
        for (const auto& id : summary.firstRowIds)
            out << " " << id;
        out << "\n";
    }
    for (const auto& detail : summary.details)
        out << "  " << detail << "\n";
}

} // namespace

int runInfo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    CLI::App app = makeApp("info", "Detected format, shape, dtype and first row IDs of each file.");
    std::vector<std::string> paths;
    bool json = false;
    app.add_option("FILE", paths, "files to describe")->required();
    app.add_flag("--json", json, "print JSON");
    if (auto exit = parseArguments(app, args, out, err)) return *exit;
    JsonWriter writer;
    writer.beginObject().key("files").beginArray();
    int exitCode = 0;
    for (const std::string& path : paths) {
        auto summary = describeFile(path);
        if (!summary) {
            exitCode = 1;
            err << summary.error().message() << "\n";
            writer.beginObject()
                .key("path")
                .value(path)
                .key("error")
                .value(summary.error().message())
                .endObject();
            continue;
        }
        if (!json) printSummary(*summary, out);
        writer.beginObject()
            .key("path")
            .value(summary->path)
            .key("format")
            .value(formatName(summary->format))
            .key("shape")
            .value(summary->shape)
            .key("dtype")
            .value(summary->dtype)
            .key("first_row_ids")
            .stringArray(summary->firstRowIds)
            .key("details")
            .stringArray(summary->details)
            .endObject();
    }
    writer.endArray().endObject();
    if (json) out << writer.text() << "\n";
    return exitCode;
}

} // namespace alignscope::cli
