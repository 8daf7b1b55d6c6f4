#pragma once
// Messages shared by the load path (load.cpp) and the streamed triplet reader (datasets.cpp).

#include <string>

namespace alignscope {

std::string tripletShapeError(const std::string& shape);

} // namespace alignscope
