#pragma once
// Correlation kernels over two equally long vectors (private to rsa.cpp).

#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <cstdint>
#include <vector>

namespace alignscope {

Result<double> pearson(const std::vector<float>& a, const std::vector<float>& b);
Result<double> cosineOf(const std::vector<float>& a, const std::vector<float>& b);
// Average ranks for ties (scipy.stats.spearmanr).
Result<double> spearman(const std::vector<float>& a, const std::vector<float>& b, const TaskContext& context);
// Knight's O(N log N) algorithm; tauB corrects for ties in both variables (scipy.stats.kendalltau).
Result<double> kendall(const std::vector<float>& a, const std::vector<float>& b, bool tauB);

// Spearman that overwrites `a` and `b` with their ranks (stored as uint32 bit patterns) and releases them.
Result<double> spearmanInPlace(std::vector<float>& a, std::vector<float>& b, const TaskContext& context);

// 2 × the average rank (1-based) of each element: an exact integer even for half ranks of ties.
std::vector<std::uint32_t> doubledRanks(const std::vector<float>& values);

} // namespace alignscope
