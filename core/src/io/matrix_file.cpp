#include "alignscope/matrix_file.h"

#include "alignscope/file_io.h"
#include "alignscope/hdf5_file.h"
#include "alignscope/mat_file.h"
#include "alignscope/npy.h"
#include "alignscope/npz.h"
#include "alignscope/text_matrix.h"
#include "alignscope/torch_file.h"
#include "text_lines.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <sys/stat.h>
#if ALIGNSCOPE_HAVE_LIBZIP
#include <zip.h>
#endif

namespace alignscope {

const char* formatName(FileFormat format)
{
    switch (format) {
    case FileFormat::Unknown:
        return "unknown";
    case FileFormat::Directory:
        return "directory";
    case FileFormat::Npy:
        return "NumPy .npy";
    case FileFormat::Npz:
        return "NumPy .npz archive";
    case FileFormat::Hdf5:
        return "HDF5";
    case FileFormat::MatV5:
        return "MATLAB v5 .mat";
    case FileFormat::MatV73:
        return "MATLAB v7.3 .mat";
    case FileFormat::TorchTensor:
        return "PyTorch tensor file (torch.save)";
    case FileFormat::TorchScript:
        return "TorchScript model";
    case FileFormat::ConceptTable:
        return "THINGS concept table";
    case FileFormat::TextMatrix:
        return "text matrix";
    case FileFormat::IdList:
        return "ID list";
    }
    return "?";
}

namespace {

const char* const kRowIdKeys[] = {"ids", "row_ids", "file_names", "rows"};

FileFormat classifyZip(const std::string& path)
{
#if !ALIGNSCOPE_HAVE_LIBZIP
    (void)path;
    return FileFormat::Npz; // reported as unsupported when read
#else
    int errorCode = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &errorCode);
    if (!archive) return FileFormat::Unknown;
    bool npy = false, pickle = false, code = false;
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count && i < 100000; ++i) {
        const char* raw = zip_get_name(archive, zip_uint64_t(i), 0);
        const std::string name = raw ? raw : "";
        auto endsWith = [&](const std::string& tail) {
            return name.size() >= tail.size() &&
                   name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
        };
        npy = npy || endsWith(".npy");
        pickle = pickle || endsWith("/data.pkl") || name == "data.pkl";
        code = code || name.find("/code/") != std::string::npos || endsWith("/constants.pkl");
    }
    zip_discard(archive);
    if (code) return FileFormat::TorchScript;
    if (pickle) return FileFormat::TorchTensor;
    return npy ? FileFormat::Npz : FileFormat::Unknown;
#endif
}

FileFormat classifyText(const std::vector<char>& prefix, bool complete)
{
    std::string text(prefix.begin(), prefix.end());
    if (!complete) { // the prefix may end inside a multi-byte character or a line
        const size_t lastNewline = text.rfind('\n');
        if (lastNewline != std::string::npos) text.resize(lastNewline + 1);
    }
    if (text.find('\0') != std::string::npos || firstInvalidUtf8(text) >= 0) return FileFormat::Unknown;
    LineCursor cursor(text);
    std::string_view line;
    int numericLines = 0, otherLines = 0;
    bool first = true;
    while (cursor.next(line) && numericLines + otherLines < 5) {
        line = trimView(line);
        if (line.empty() || line[0] == '#' || line[0] == '%') continue;
        if (first && line.find("uniqueID") != std::string_view::npos &&
            line.find('\t') != std::string_view::npos)
            return FileFormat::ConceptTable;
        first = false;
        bool numeric = true;
        size_t start = 0;
        while (start < line.size()) {
            size_t end = line.find_first_of(" \t,;", start);
            if (end == std::string_view::npos) end = line.size();
            double value;
            if (end > start && !parseNumber(line.substr(start, end - start), value)) numeric = false;
            start = end + 1;
        }
        (numeric ? numericLines : otherLines) += 1;
    }
    if (numericLines == 0 && otherLines == 0) return FileFormat::Unknown;
    return numericLines >= otherLines || numericLines > 0 ? FileFormat::TextMatrix : FileFormat::IdList;
}

// The default array of a multi-array container.
Result<std::string> pickKey(const std::vector<std::pair<std::string, bool>>& numericByKey,
                            const std::string& path)
{
    std::vector<std::string> numeric;
    for (const auto& [key, isNumeric] : numericByKey) {
        if (key == "features" && isNumeric) return key;
        if (isNumeric) numeric.push_back(key);
    }
    if (numeric.size() == 1) return numeric.front();
    std::string list;
    for (const auto& [key, isNumeric] : numericByKey)
        list += (list.empty() ? "" : ", ") + key;
    return makeError(path, "",
                     numeric.empty() ? "holds no numeric array (found: " + list + ")"
                                     : "holds several arrays (" + list + "); name one as FILE:KEY");
}

Result<LoadedMatrix> loadFromNpz(const std::string& path, const std::string& key)
{
    auto arrays = readNpz(path);
    if (!arrays) return arrays.error();
    std::vector<std::pair<std::string, bool>> keys;
    for (const auto& [name, array] : *arrays)
        keys.emplace_back(name, array.isNumeric());
    std::string chosen = key;
    if (chosen.empty()) {
        auto picked = pickKey(keys, path);
        if (!picked) return picked.error();
        chosen = *picked;
    }
    auto it = arrays->find(chosen);
    if (it == arrays->end()) return makeError(path, "", "no array named '" + chosen + "'");
    LoadedMatrix loaded{std::move(it->second), FileFormat::Npz, chosen, {}, {}, {}};
    for (const char* idKey : kRowIdKeys) {
        auto ids = arrays->find(idKey);
        if (ids != arrays->end() && ids->second.kind == ElementKind::String) {
            loaded.rowIds = ids->second.str;
            loaded.rowIdOrigin = path + ":" + idKey;
            break;
        }
    }
    return loaded;
}

Result<LoadedMatrix> loadFromHdf5(const std::string& path, const std::string& key)
{
    auto datasets = listHdf5Datasets(path);
    if (!datasets) return datasets.error();
    std::vector<std::pair<std::string, bool>> keys;
    for (const auto& d : *datasets)
        keys.emplace_back(d.name, d.type != "string" && d.type != "unsupported");
    std::string chosen = key;
    if (chosen.empty()) {
        auto picked = pickKey(keys, path);
        if (!picked) return picked.error();
        chosen = *picked;
    }
    auto array = readHdf5Dataset(path, chosen);
    if (!array) return array.error();
    LoadedMatrix loaded{std::move(array).value(), FileFormat::Hdf5, chosen, {}, {}, {}};
    for (const char* idKey : kRowIdKeys)
        for (const auto& d : *datasets)
            if (d.name == idKey && d.type == "string" && loaded.rowIds.empty()) {
                auto ids = readHdf5Dataset(path, idKey);
                if (ids) {
                    loaded.rowIds = ids->str;
                    loaded.rowIdOrigin = path + ":" + idKey;
                }
            }
    return loaded;
}

Result<LoadedMatrix> loadFromMat(const std::string& path, const std::string& key, FileFormat format)
{
    std::string chosen = key;
    if (chosen.empty()) {
        auto variables = listMatVariables(path);
        if (!variables) return variables.error();
        std::vector<std::pair<std::string, bool>> keys;
        for (const auto& v : *variables)
            keys.emplace_back(v.name,
                              v.className != "cell" && v.className != "struct" && v.className != "char");
        auto picked = pickKey(keys, path);
        if (!picked) return picked.error();
        chosen = *picked;
    }
    auto array = readMatVariable(path, chosen);
    if (!array) return array.error();
    return LoadedMatrix{std::move(array).value(), format, chosen, {}, {}, {}};
}

// Why a file of `format` cannot be loaded as a matrix, saying so when its name promises another format.
std::string notAMatrix(const std::string& path, FileFormat format)
{
    std::string what =
        format == FileFormat::IdList         ? "holds a list of names (one per line), not a matrix of numbers"
        : format == FileFormat::ConceptTable ? "holds the THINGS concept table, not a matrix of numbers"
        : format == FileFormat::Directory    ? "is a folder, not a matrix file"
                                          : std::string("holds a ") + formatName(format) + ", not a matrix";
    const size_t dot = path.find_last_of('.');
    const std::string extension =
        dot == std::string::npos || path.find('/', dot) != std::string::npos ? "" : path.substr(dot);
    static const std::map<std::string, std::string> promised{
        {".h5", "HDF5"},     {".hdf5", "HDF5"}, {".mat", "MATLAB"},    {".pt", "PyTorch"},
        {".pth", "PyTorch"}, {".npy", "NumPy"}, {".npz", "NumPy .npz"}};
    const auto it = promised.find(extension);
    if (it != promised.end() && (format == FileFormat::IdList || format == FileFormat::ConceptTable ||
                                 format == FileFormat::TextMatrix))
        what = "is named " + extension + " but is a text file, not " + it->second + " data: it " + what;
    return what;
}

} // namespace

std::string rowsSidecarPath(const std::string& path)
{
    const size_t slash = path.find_last_of('/');
    const size_t dot = path.find_last_of('.');
    const bool hasExtension = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
    return (hasExtension ? path.substr(0, dot) : path) + ".rows.txt";
}

Result<FileFormat> detectFormat(const std::string& path)
{
    struct stat info
    {
    };
    if (::stat(path.c_str(), &info) != 0)
        return makeError(path, "", "cannot open: " + systemErrorText(errno));
    if (S_ISDIR(info.st_mode)) return FileFormat::Directory;
    constexpr size_t kSniffBytes = 65536;
    auto prefix = readFilePrefix(path, kSniffBytes);
    if (!prefix) return prefix.error();
    const std::vector<char>& p = *prefix;
    if (p.empty()) return makeError(path, "", "file is empty");
    auto startsWith = [&](const char* magic, size_t length) {
        return p.size() >= length && std::memcmp(p.data(), magic, length) == 0;
    };
    if (startsWith("\x93NUMPY", 6)) return FileFormat::Npy;
    if (startsWith("\x89HDF\r\n\x1a\n", 8)) return FileFormat::Hdf5;
    const std::string mat = matVersionOf(p);
    if (mat == "MAT v5") return FileFormat::MatV5;
    if (mat == "MAT v7.3") return FileFormat::MatV73;
    if (startsWith("PK\x03\x04", 4) || startsWith("PK\x05\x06", 4)) {
        const FileFormat zipFormat = classifyZip(path);
        if (zipFormat != FileFormat::Unknown) return zipFormat;
        return makeError(path, "", "zip archive that is neither an .npz nor a PyTorch file");
    }
    const bool complete = std::uint64_t(info.st_size) <= kSniffBytes;
    if (complete && std::all_of(p.begin(), p.end(),
                                [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }))
        return makeError(path, "", "holds only whitespace (no data)");
    const FileFormat text = classifyText(p, complete);
    if (text != FileFormat::Unknown) return text;
    return makeError(path, "", "unrecognised format (not npy, npz, HDF5, MAT, PyTorch or UTF-8 text)");
}

Result<LoadedMatrix> loadMatrix(const std::string& path, const std::string& key, const TaskContext& context)
{
    auto format = detectFormat(path);
    if (!format) return format.error();
    if (!key.empty() && (*format == FileFormat::Npy || *format == FileFormat::TorchTensor ||
                         *format == FileFormat::TextMatrix))
        return makeError(path, "",
                         std::string("a ") + formatName(*format) + " file holds one array: ':" + key +
                             "' names a member of an .npz, HDF5 or MAT file");
    Result<LoadedMatrix> loaded = makeError(path, "", notAMatrix(path, *format));
    switch (*format) {
    case FileFormat::Npy: {
        auto array = readNpy(path);
        if (!array) return array.error();
        loaded = LoadedMatrix{std::move(array).value(), *format, {}, {}, {}, {}};
        break;
    }
    case FileFormat::Npz:
        loaded = loadFromNpz(path, key);
        break;
    case FileFormat::Hdf5:
        loaded = loadFromHdf5(path, key);
        break;
    case FileFormat::MatV5:
    case FileFormat::MatV73:
        loaded = loadFromMat(path, key, *format);
        break;
    case FileFormat::TorchTensor: {
        auto array = readTorchTensorFile(path);
        if (!array) return array.error();
        loaded = LoadedMatrix{std::move(array).value(), *format, {}, {}, {}, {}};
        break;
    }
    case FileFormat::TextMatrix: {
        auto text = readTextMatrix(path, {}, context);
        if (!text) return text.error();
        loaded = LoadedMatrix{std::move(text->values), *format, {}, {}, {}, std::move(text->header)};
        break;
    }
    default:
        break;
    }
    if (!loaded) return loaded;
    if (!loaded->array.isNumeric()) return makeError(path, loaded->key, "holds text, not numbers");
    return loaded;
}

} // namespace alignscope
