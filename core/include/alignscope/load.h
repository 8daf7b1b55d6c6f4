#pragma once
// The one load path. The GUI (ui/session/file_loader), alignscope-cli and the Python module read every
// matrix input through `load`, so that a file means the same thing everywhere and is refused with the same
// message. It splits "FILE:KEY", detects the format by content, reads the array, names its rows and checks
// what the caller's role needs. Every error names the file and the reason.

#include "alignscope/matrix_file.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"
#include "alignscope/row_mapping.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alignscope {

// "file.npz:key" -> {"file.npz", "key"} when "file.npz:key" itself does not exist.
std::pair<std::string, std::string> splitKeySpec(const std::string& spec);

// What the caller will use the array for: decides the shape checks and whether rows are named.
enum class InputRole
{
    Any,              // any numeric array (the GUI decides what it is afterwards)
    Matrix,           // 1-D or 2-D
    Features,         // N×D, one row per stimulus
    ConceptSpace,     // N×d concept embedding, optionally with one label per dimension
    Triplets,         // N×3 (i j k) or N×4 (i j k subject); rows are judgments, never named
    SimilarityMatrix, // n×n, a stack of them or condensed pairs: the row IDs name the n stimuli, which only
                      // the reader of the layout can count (loadSquareMatrix)
};

struct LoadRequest
{
    std::string spec; // a path, or "FILE:KEY" (npz member, HDF5 dataset, MAT variable)
    InputRole role = InputRole::Any;
    // How the rows are named: a row-ID file (RowIdentity::fromIds) or the canonical/sorted policy. Without
    // it, an ID array in the file (ids, row_ids, file_names, rows), else the "<stem>.rows.txt" sidecar.
    std::optional<RowIdentity> rows;
    std::string labelsPath; // ConceptSpace: one label per column, one per line
};

struct LoadedInput
{
    std::string path;    // the file read (the spec without ":KEY")
    LoadedMatrix matrix; // rowIds: exactly one per row, or empty when the rows are unnamed or follow `policy`
    std::optional<RowIdentity::Policy> policy; // canonical or sorted, when the request named the rows so
    std::vector<std::string> labels;           // one per column, when labelsPath was given
    std::vector<std::string> notes;            // what was chosen for the caller (default member, row names)
};

// Reads `request.spec`. Errors: no such file, unknown format, not a matrix, text instead of numbers, a key on
// a format that holds one array, an unknown key, several arrays and no key, a shape the role cannot use, row
// IDs (explicit, in the file or in a sidecar) whose count differs from the rows, an unreadable sidecar,
// labels whose count differs from the columns.
Result<LoadedInput> load(const LoadRequest& request, const TaskContext& context = {});

// How the rows of `input` map to stimuli: its row IDs or its policy; an error naming the file when the rows
// are unnamed.
Result<RowIdentity> rowIdentityOf(const LoadedInput& input);

// `labels` (from `origin`) name each of `columns` columns: else "<origin>: 3 labels for 6 dimensions".
Status checkLabelCount(const std::vector<std::string>& labels, std::int64_t columns,
                       const std::string& origin);

} // namespace alignscope
