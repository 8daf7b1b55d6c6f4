#pragma once

#include <string>

namespace alignscope {

std::string applicationVersion(); // "0.1.0"
std::string torchVersion(); // LibTorch version the model module is built with (reading it loads nothing)
// Threads for the core's parallel loops (OpenMP), BLAS and, once loaded, LibTorch; 0 = all hardware threads.
void configureComputeThreads(int threads = 0);
int computeThreads();

} // namespace alignscope
