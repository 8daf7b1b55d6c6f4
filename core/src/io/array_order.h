#pragma once
// Conversion of column-major (Fortran/MATLAB) element order to row-major (C) order.

#include <cstdint>
#include <vector>

namespace alignscope {

// sourceIndex[c] = flat Fortran-order index of the element at flat C-order index c.
inline std::vector<std::int64_t> fortranIndexForCOrder(const std::vector<std::int64_t>& shape,
                                                       std::int64_t count)
{
    std::vector<std::int64_t> sourceIndex(static_cast<size_t>(count));
    const size_t dims = shape.size();
    std::vector<std::int64_t> fortranStride(dims, 1);
    for (size_t d = 1; d < dims; ++d)
        fortranStride[d] = fortranStride[d - 1] * shape[d - 1];
    std::vector<std::int64_t> position(dims, 0);
    for (std::int64_t flat = 0; flat < count; ++flat) {
        std::int64_t source = 0;
        for (size_t d = 0; d < dims; ++d)
            source += position[d] * fortranStride[d];
        sourceIndex[static_cast<size_t>(flat)] = source;
        for (size_t d = dims; d-- > 0;) { // advance the C-order odometer
            if (++position[d] < shape[d]) break;
            position[d] = 0;
        }
    }
    return sourceIndex;
}

} // namespace alignscope
