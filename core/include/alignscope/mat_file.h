#pragma once
// MATLAB .mat files, v5 and v7.3 (through libmatio): numeric arrays, logical arrays, char arrays and
// cell arrays of strings, including fields of structs addressed as "struct.field.subfield".

#include "alignscope/ndarray.h"
#include "alignscope/result.h"

#include <string>
#include <vector>

namespace alignscope {

struct MatVariableInfo
{
    std::string name;
    std::string className; // "double", "single", "cell", "struct", "char", ...
    std::vector<std::int64_t> shape;
};

Result<std::vector<MatVariableInfo>> listMatVariables(const std::string& path);

// Numeric arrays come back row-major with MATLAB's shape (a 3×4 matrix is shape (3, 4));
// char arrays and cell arrays of char come back as ElementKind::String.
Result<NdArray> readMatVariable(const std::string& path, const std::string& name);

// "MAT v5" or "MAT v7.3", from the 128-byte header; empty when not a MAT file.
std::string matVersionOf(const std::vector<char>& prefix);

} // namespace alignscope
