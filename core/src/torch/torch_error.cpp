#include "torch_error.h"

#include <c10/util/Exception.h>

namespace alignscope::torch_backend::detail {

std::string torchErrorText(const std::exception& error)
{
    const auto* c10Error = dynamic_cast<const c10::Error*>(&error);
    std::string text = c10Error ? c10Error->what_without_backtrace() : error.what();
    // An exception raised inside a TorchScript model: its own message is the last line, after two tracebacks.
    if (text.rfind("The following operation failed in the TorchScript interpreter", 0) == 0) {
        while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
            text.pop_back();
        text = text.substr(text.find_last_of('\n') + 1);
        if (text.rfind("builtins.", 0) == 0) text.erase(0, 9);
        return "the model raised " + text;
    }
    if (const size_t newline = text.find('\n'); newline != std::string::npos) text.resize(newline);
    return text;
}

} // namespace alignscope::torch_backend::detail
