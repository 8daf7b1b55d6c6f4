#pragma once
// NumPy .npz archives (zip of .npy members, stored or deflated).

#include "alignscope/ndarray.h"
#include "alignscope/result.h"

#include <map>
#include <string>
#include <vector>

namespace alignscope {

// Member keys without the ".npy" suffix, in archive order.
Result<std::vector<std::string>> listNpzKeys(const std::string& path);
Result<NdArray> readNpzArray(const std::string& path, const std::string& key);
Result<std::map<std::string, NdArray>> readNpz(const std::string& path);

// Same as readNpz on an in-memory archive (`name` labels errors).
Result<std::map<std::string, NdArray>> parseNpz(const char* data, size_t size, const std::string& name);

// Atomic write of an uncompressed archive (numpy.savez layout).
Status writeNpz(const std::string& path, const std::map<std::string, NdArray>& arrays);

} // namespace alignscope
