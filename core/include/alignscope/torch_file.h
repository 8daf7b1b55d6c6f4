#pragma once
// PyTorch files written by torch.save holding one tensor (or a dict/list with exactly one tensor).

#include "alignscope/ndarray.h"
#include "alignscope/result.h"

#include <string>

namespace alignscope {

Result<NdArray> readTorchTensorFile(const std::string& path);
Result<NdArray> parseTorchTensor(const std::vector<char>& bytes, const std::string& name);

// Writes `array` as torch.save would (zip container), atomically. Numeric arrays only.
Status writeTorchTensorFile(const std::string& path, const NdArray& array);

} // namespace alignscope
