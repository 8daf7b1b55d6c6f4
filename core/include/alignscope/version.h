#pragma once

#include <string>

namespace alignscope {

std::string applicationVersion(); // "0.1.0"
std::string torchVersion();       // LibTorch version the core was built with
// Sets LibTorch's intra-op thread count (Debian's LibTorch starts with one); 0 = all hardware threads.
void configureComputeThreads(int threads = 0);
// Threads the core's parallel loops use: LibTorch's intra-op pool, which configureComputeThreads sizes.
int computeThreads();

} // namespace alignscope
