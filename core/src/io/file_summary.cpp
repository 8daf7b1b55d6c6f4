#include "alignscope/datasets.h"
#include "alignscope/delimited_table.h"
#include "alignscope/hdf5_file.h"
#include "alignscope/mat_file.h"
#include "alignscope/matrix_file.h"
#include "alignscope/npz.h"
#include "alignscope/text_matrix.h"

namespace alignscope {

namespace {

std::string shapeText(const std::vector<std::int64_t>& shape)
{
    NdArray probe;
    probe.shape = shape;
    return probe.shapeString();
}

std::vector<std::string> firstFew(const std::vector<std::string>& ids)
{
    return std::vector<std::string>(ids.begin(),
                                    ids.begin() + std::min<std::ptrdiff_t>(5, std::ptrdiff_t(ids.size())));
}

void fillFromMatrix(FileSummary& summary, const LoadedMatrix& loaded)
{
    summary.shape = loaded.array.shapeString();
    summary.dtype = loaded.array.sourceDtype;
    summary.firstRowIds = firstFew(loaded.rowIds);
    if (!loaded.key.empty()) summary.details.push_back("array: " + loaded.key);
    if (!loaded.rowIdOrigin.empty()) summary.details.push_back("row IDs: " + loaded.rowIdOrigin);
    if (!loaded.header.empty()) {
        std::string header;
        for (const auto& column : loaded.header)
            header += (header.empty() ? "" : ", ") + column;
        summary.details.push_back("header: " + header);
    }
}

Status describeContainer(FileSummary& summary)
{
    const std::string& path = summary.path;
    if (summary.format == FileFormat::Npz) {
        auto arrays = readNpz(path);
        if (!arrays) return arrays.error();
        for (const auto& [key, array] : *arrays)
            summary.details.push_back(key + " " + array.shapeString() + " " + array.sourceDtype);
    } else if (summary.format == FileFormat::Hdf5) {
        auto datasets = listHdf5Datasets(path);
        if (!datasets) return datasets.error();
        for (const auto& d : *datasets)
            summary.details.push_back(d.name + " " + shapeText(d.shape) + " " + d.type);
    } else {
        auto variables = listMatVariables(path);
        if (!variables) return variables.error();
        for (const auto& v : *variables)
            summary.details.push_back(v.name + " " + shapeText(v.shape) + " " + v.className);
    }
    auto loaded = load({path, InputRole::Any, std::nullopt, {}});
    if (loaded)
        fillFromMatrix(summary, loaded->matrix);
    else
        summary.details.push_back("no default array: " + loaded.error().reason);
    return okStatus();
}

} // namespace

Result<FileSummary> describeFile(const std::string& path)
{
    auto format = detectFormat(path);
    if (!format) return format.error();
    FileSummary summary;
    summary.path = path;
    summary.format = *format;
    switch (*format) {
    case FileFormat::Directory: {
        auto folder = loadThingsFolder(path);
        if (!folder) return folder.error();
        summary.shape = "(" + std::to_string(folder->objects.size()) + ",)";
        summary.dtype = "THINGS folder";
        summary.firstRowIds = firstFew(folder->objects.ids());
        if (folder->train)
            summary.details.push_back("train triplets: " + std::to_string(folder->train->size()));
        if (folder->test) summary.details.push_back("test triplets: " + std::to_string(folder->test->size()));
        summary.details.push_back("images found: " + std::to_string(folder->imagesFound));
        return summary;
    }
    case FileFormat::ConceptTable: {
        auto table = readDelimitedTable(path, '\t');
        if (!table) return table.error();
        auto objects = stimuliFromConceptTable(*table, path);
        if (!objects) return objects.error();
        summary.shape =
            "(" + std::to_string(objects->size()) + ", " + std::to_string(table->columns.size()) + ")";
        summary.dtype = "text";
        summary.firstRowIds = firstFew(objects->ids());
        summary.details.push_back(std::to_string(objects->size()) + " objects");
        return summary;
    }
    case FileFormat::IdList: {
        auto ids = readIdList(path);
        if (!ids) return ids.error();
        summary.shape = "(" + std::to_string(ids->size()) + ",)";
        summary.dtype = "text";
        summary.firstRowIds = firstFew(*ids);
        return summary;
    }
    case FileFormat::TorchScript:
        summary.details.push_back("a model: inspect it with 'alignscope-cli inspect'");
        return summary;
    case FileFormat::Npz:
    case FileFormat::Hdf5:
    case FileFormat::MatV5:
    case FileFormat::MatV73: {
        auto status = describeContainer(summary);
        if (!status) return status.error();
        return summary;
    }
    default: {
        auto loaded = load({path, InputRole::Any, std::nullopt, {}});
        if (!loaded) return loaded.error();
        fillFromMatrix(summary, loaded->matrix);
        return summary;
    }
    }
}

} // namespace alignscope
