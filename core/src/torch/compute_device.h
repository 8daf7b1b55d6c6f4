#pragma once
// Private to the core: what a ComputeDevice choice means on this machine.

#include "alignscope/odd_one_out.h"

#include <string>

namespace alignscope::torch_backend::detail {

// True to run on CUDA (Cuda, or Auto with a device present); an error naming `file` when CUDA was asked for
// and there is none.
Result<bool> resolveUseCuda(ComputeDevice device, const std::string& file);

} // namespace alignscope::torch_backend::detail
