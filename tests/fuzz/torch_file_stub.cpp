// The fuzz harness is built without LibTorch and without the model module: PyTorch files are exercised by
// the unit tests instead, and images are decoded by the module's decoder compiled in directly.
#include "alignscope/torch_file.h"
#include "torch_backend.h"

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

Result<RgbImage> decodeImageBytes(const std::vector<char>& bytes, const std::string& nameForErrors)
{
    return torch_backend::decodeImageBytes(bytes, nameForErrors);
}

} // namespace alignscope
