// The only reader that needs LibTorch; its headers stay out of every public header.
#include "alignscope/torch_file.h"
#include "torch_backend.h"

#include "torch_error.h"

#include "alignscope/file_io.h"

#include <ATen/ATen.h>
#include <torch/csrc/jit/serialization/pickle.h>

namespace alignscope::torch_backend {

namespace {

Result<at::Tensor> singleTensor(const c10::IValue& value, const std::string& name)
{
    if (value.isTensor()) return value.toTensor();
    std::vector<at::Tensor> found;
    if (value.isGenericDict()) {
        for (const auto& entry : value.toGenericDict())
            if (entry.value().isTensor()) found.push_back(entry.value().toTensor());
    } else if (value.isList() || value.isTuple() || value.isTensorList()) {
        const auto items = value.isTuple() ? value.toTupleRef().elements().vec() : value.toListRef().vec();
        for (const auto& item : items)
            if (item.isTensor()) found.push_back(item.toTensor());
    }
    if (found.size() == 1) return found.front();
    return makeError(name, "",
                     found.empty() ? "holds no tensor (" + value.tagKind() + ")"
                                   : "holds " + std::to_string(found.size()) + " tensors; expected one");
}

} // namespace

Result<NdArray> parseTorchTensor(const std::vector<char>& bytes, const std::string& name)
{
    try {
        const c10::IValue value = torch::jit::pickle_load(bytes);
        auto tensor = singleTensor(value, name);
        if (!tensor) return tensor.error();
        at::Tensor t = tensor->contiguous();
        if (t.is_complex()) return makeError(name, "", "complex tensors are not supported");
        NdArray array;
        for (const auto size : t.sizes())
            array.shape.push_back(size);
        array.sourceDtype = std::string(c10::toString(t.scalar_type()));
        const auto count = static_cast<size_t>(t.numel());
        if (t.is_floating_point()) {
            if (t.scalar_type() == at::kDouble) {
                array.kind = ElementKind::Float64;
                array.f64.assign(t.data_ptr<double>(), t.data_ptr<double>() + count);
            } else {
                array.kind = ElementKind::Float32;
                at::Tensor f = t.to(at::kFloat).contiguous();
                array.f32.assign(f.data_ptr<float>(), f.data_ptr<float>() + count);
            }
        } else {
            array.kind = ElementKind::Int64;
            at::Tensor l = t.to(at::kLong).contiguous();
            array.i64.assign(l.data_ptr<std::int64_t>(), l.data_ptr<std::int64_t>() + count);
        }
        return array;
    } catch (const std::exception& error) {
        return makeError(name, "", "not a readable torch.save tensor file: " + detail::torchErrorText(error));
    }
}

Result<NdArray> readTorchTensorFile(const std::string& path)
{
    auto bytes = readWholeFile(path);
    if (!bytes) return bytes.error();
    return parseTorchTensor(*bytes, path);
}

Status writeTorchTensorFile(const std::string& path, const NdArray& array)
{
    if (!array.isNumeric()) return makeError(path, "", "only numeric arrays can be saved as tensors");
    try {
        at::Tensor tensor;
        const auto options = at::TensorOptions();
        std::vector<std::int64_t> shape = array.shape;
        switch (array.kind) {
        case ElementKind::Float32:
            tensor =
                at::from_blob(const_cast<float*>(array.f32.data()), shape, options.dtype(at::kFloat)).clone();
            break;
        case ElementKind::Float64:
            tensor = at::from_blob(const_cast<double*>(array.f64.data()), shape, options.dtype(at::kDouble))
                         .clone();
            break;
        default:
            tensor =
                at::from_blob(const_cast<std::int64_t*>(array.i64.data()), shape, options.dtype(at::kLong))
                    .clone();
        }
        const std::vector<char> bytes = torch::jit::pickle_save(tensor);
        return writeFileAtomically(path, bytes.data(), bytes.size());
    } catch (const std::exception& error) {
        return makeError(path, "", "cannot save tensor: " + detail::torchErrorText(error));
    }
}

} // namespace alignscope::torch_backend
