#pragma once
// Content-based format detection and a single entry point that loads a matrix from any supported file.

#include "alignscope/ndarray.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <string>
#include <vector>

namespace alignscope {

enum class FileFormat
{
    Unknown,
    Directory,
    Npy,
    Npz,
    Hdf5,
    MatV5,
    MatV73,
    TorchTensor, // torch.save zip with data.pkl
    TorchScript, // torch.jit.save zip with code/ and constants.pkl
    ConceptTable,
    TextMatrix,
    IdList
};

const char* formatName(FileFormat format);

// Looks at the bytes, never at the extension.
Result<FileFormat> detectFormat(const std::string& path);

struct LoadedMatrix
{
    NdArray array;
    FileFormat format = FileFormat::Unknown;
    std::string key;                 // npz member, HDF5 dataset or MAT variable that was read
    std::vector<std::string> rowIds; // when the file or its sidecar names its rows; else empty
    std::string rowIdOrigin;         // where rowIds came from
    std::vector<std::string> header; // text files with a header row
};

// Reads a numeric array (the reader under `load` in load.h, which every input goes through). `key` picks
// the npz member / HDF5 dataset / MAT variable; by default "features" when present, else the only numeric
// array; a key on a format that holds one array is an error. Row IDs come from a string array named
// ids/row_ids/file_names/rows in the same file (the sidecar and the row checks are `load`'s).
Result<LoadedMatrix> loadMatrix(const std::string& path, const std::string& key = {},
                                const TaskContext& context = {});

// The sidecar row-ID file for a matrix file: "<dir>/<stem>.rows.txt".
std::string rowsSidecarPath(const std::string& path);

// What `alignscope-cli info` prints about a file.
struct FileSummary
{
    std::string path;
    FileFormat format = FileFormat::Unknown;
    std::string shape; // "(1854, 42)", or "" when it does not apply
    std::string dtype;
    std::vector<std::string> firstRowIds; // up to 5
    std::vector<std::string> details;     // e.g. members of an archive, variables of a MAT file
};

Result<FileSummary> describeFile(const std::string& path);

} // namespace alignscope
