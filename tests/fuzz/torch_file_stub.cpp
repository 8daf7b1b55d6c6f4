// The fuzz harness is built without LibTorch; PyTorch files are exercised by the unit tests instead.
#include "alignscope/torch_file.h"

namespace alignscope {

Result<NdArray> readTorchTensorFile(const std::string& path)
{
    return makeError(path, "", "PyTorch files are not read in the fuzz harness");
}

Result<NdArray> parseTorchTensor(const std::vector<char>&, const std::string& name)
{
    return makeError(name, "", "PyTorch files are not read in the fuzz harness");
}

Status writeTorchTensorFile(const std::string& path, const NdArray&)
{
    return makeError(path, "", "PyTorch files are not written in the fuzz harness");
}

} // namespace alignscope
