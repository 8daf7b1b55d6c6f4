#pragma once
// Correlation kernels over two equally long vectors (private to rsa.cpp).

#include "alignscope/progress.h"
#include "alignscope/result.h"

#include <cstdint>
#include <vector>

namespace alignscope {

// Each for float32 (stored RDMs) and float64 (RDMs handed over in float64) values, summed in float64.
template <class T> Result<double> pearson(const std::vector<T>& a, const std::vector<T>& b);
template <class T> Result<double> cosineOf(const std::vector<T>& a, const std::vector<T>& b);
// Average ranks for ties (scipy.stats.spearmanr).
template <class T>
Result<double> spearman(const std::vector<T>& a, const std::vector<T>& b, const TaskContext& context);
// Knight's O(N log N) algorithm; tauB corrects for ties in both variables (scipy.stats.kendalltau).
template <class T> Result<double> kendall(const std::vector<T>& a, const std::vector<T>& b, bool tauB);

// Spearman that overwrites `a` and `b` with their ranks (stored as uint32 bit patterns) and releases them.
Result<double> spearmanInPlace(std::vector<float>& a, std::vector<float>& b, const TaskContext& context);

// 2 × the average rank (1-based) of each element: an exact integer even for half ranks of ties.
std::vector<std::uint32_t> doubledRanks(const std::vector<float>& values);
std::vector<std::uint32_t> doubledRanks(const std::vector<double>& values);

} // namespace alignscope
