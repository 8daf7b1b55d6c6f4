#pragma once
// Numeric text matrices: whitespace-, comma- or tab-separated, optional header row, '#' or '%' comments.

#include "alignscope/ndarray.h"
#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <string>
#include <vector>

namespace alignscope {

enum class Delimiter
{
    Auto,
    Whitespace,
    Comma,
    Tab,
    Semicolon
};

struct TextMatrixOptions
{
    Delimiter delimiter = Delimiter::Auto;
    bool allowNonFinite = false; // NaN/inf values are an error unless allowed
};

struct TextMatrix
{
    std::vector<std::string> header; // column names when the first data line was not numeric
    NdArray values;                  // 2-D float64, rows × columns, row-major
    Delimiter delimiter = Delimiter::Whitespace;
    std::int64_t nonFiniteCount = 0;
};

const char* delimiterName(Delimiter delimiter);

Result<TextMatrix> readTextMatrix(const std::string& path, const TextMatrixOptions& options = {},
                                  const TaskContext& context = {});
Result<TextMatrix> parseTextMatrix(const std::string& text, const std::string& name,
                                   const TextMatrixOptions& options = {}, const TaskContext& context = {});

// One ID per non-empty line (surrounding whitespace trimmed); duplicates and bad UTF-8 are errors.
Result<std::vector<std::string>> readIdList(const std::string& path);
Result<std::vector<std::string>> parseIdList(const std::string& text, const std::string& name);

// Byte offset of the first invalid UTF-8 sequence, or -1 when `text` is valid.
std::int64_t firstInvalidUtf8(const std::string& text);

} // namespace alignscope
