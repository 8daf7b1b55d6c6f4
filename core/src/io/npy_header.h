#pragma once
// Parser for the Python-literal dictionary in a .npy header (private to the npy reader).

#include "alignscope/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alignscope {

struct NpyHeader
{
    std::string descr; // as written, e.g. "<f4"
    char kind = 'f';   // 'f', 'i', 'u' or 'b'
    int itemSize = 4;  // bytes per element
    bool bigEndian = false;
    bool fortranOrder = false;
    std::vector<std::int64_t> shape;
    std::string shapeText; // for messages
};

// `byteOffset` is where the header text starts in the file, for error positions.
Result<NpyHeader> parseNpyHeader(const std::string& text, const std::string& name, size_t byteOffset);

} // namespace alignscope
