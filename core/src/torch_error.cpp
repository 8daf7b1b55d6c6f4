#include "torch_error.h"

#include <c10/util/Exception.h>

namespace alignscope::detail {

std::string torchErrorText(const std::exception& error)
{
    const auto* c10Error = dynamic_cast<const c10::Error*>(&error);
    std::string text = c10Error ? c10Error->what_without_backtrace() : error.what();
    if (const size_t newline = text.find('\n'); newline != std::string::npos) text.resize(newline);
    return text;
}

} // namespace alignscope::detail
