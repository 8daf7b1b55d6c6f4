#pragma once
// Private to the core: LibTorch exceptions as one-line reasons (errors never cross the core boundary).

#include <exception>
#include <string>

namespace alignscope::torch_backend::detail {

// The first line of the message, without c10's backtrace and TorchScript's source excerpts.
std::string torchErrorText(const std::exception& error);

} // namespace alignscope::torch_backend::detail
