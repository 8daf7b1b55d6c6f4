#pragma once
// NumPy .npy files: format versions 1-3, dtypes f2 f4 f8, i1-i8, u1-u8, b1, C or Fortran order,
// either byte order. Arrays are returned row-major (C order) whatever the file's order.

#include "alignscope/ndarray.h"
#include "alignscope/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace alignscope {

Result<NdArray> readNpy(const std::string& path);

// A little-endian, C-order, 2-D int32/int64 .npy file read in blocks of whole rows, each converted to int64
// and handed to `consume(shape, firstRow, values, rowCount)`: no copy of the whole file (4.7 M triplets are
// 112 MB). nullopt when the file is not such an array or not exactly its declared size (read it with readNpy
// then, which says what is wrong); an Error for a failed read or whatever `consume` returns.
struct NpyMatrixShape
{
    std::int64_t rows = 0, cols = 0;
};
using NpyRowConsumer = std::function<Status(const NpyMatrixShape& shape, std::int64_t firstRow,
                                            const std::int64_t* values, std::int64_t rowCount)>;
std::optional<Status> streamNpyIntegerRows(const std::string& path, const NpyRowConsumer& consume);

// Parses an in-memory .npy image; `name` labels errors (a path, or "archive.npz:member").
Result<NdArray> parseNpy(const char* data, size_t size, const std::string& name);

// Little-endian, C order, version 1.0 (2.0 when the header needs it). f32 -> "<f4", f64 -> "<f8", i64 ->
// "<i8".
std::vector<char> encodeNpy(const NdArray& array);

// Atomic: written to a temporary file beside `path`, flushed, then renamed over it.
Status writeNpy(const std::string& path, const NdArray& array);

// Convenience constructors for writers.
NdArray makeFloat32Array(std::vector<std::int64_t> shape, std::vector<float> values);
NdArray makeInt64Array(std::vector<std::int64_t> shape, std::vector<std::int64_t> values);

} // namespace alignscope
