//===- EntropyCalibration.cpp - KL-divergence threshold search ------------===//
//
// ONNX Runtime's entropy calibration (calibrate.py, HistogramCollector.
// get_entropy_threshold, after TensorRT's "8-bit inference" talk and
// MXNet): on a histogram symmetric around 0, the window of bins around 0
// whose quantized version loses the least information (KL divergence) sets
// the range. ORT's arithmetic is kept where it changes the answer: int64
// truncation of the merged and expanded counts, and smoothing in float32.
// Where ORT differs from TensorRT (TensorRT bins |x| and grows windows from
// 0; ORT grows symmetric windows over signed values and fills q also where
// p is zero), ORT is followed.
//
//===----------------------------------------------------------------------===//

#include "qnn/Quant/HistogramCalibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace qnn::quantmath {

/// quant_utils.smooth_distribution: zeros become eps, the non-zero entries
/// give up eps * zeros / nonzeros each, in float32. Nullopt where ORT
/// returns None (all zero) or would fail its assertions (an entry that
/// smoothing makes non-positive).
static std::optional<std::vector<float>>
smoothDistribution(const std::vector<double> &p) {
  const double eps = 0.0001;
  int64_t zeros = std::count(p.begin(), p.end(), 0.0);
  auto nonZeros = static_cast<int64_t>(p.size()) - zeros;
  if (nonZeros == 0)
    return std::nullopt;
  double eps1 =
      eps * static_cast<double>(zeros) / static_cast<double>(nonZeros);
  if (!(eps1 < 1.0))
    return std::nullopt;
  // hist += eps * is_zeros + (-eps1) * is_nonzeros: each product and the
  // sum in float32.
  auto addZero = static_cast<float>(eps);
  auto addNonZero = static_cast<float>(-eps1);
  std::vector<float> smoothed(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    float step = p[i] == 0.0 ? addZero + 0.0f : 0.0f + addNonZero;
    smoothed[i] = static_cast<float>(p[i]) + step;
    if (!(smoothed[i] > 0.0f))
      return std::nullopt;
  }
  return smoothed;
}

/// scipy.stats.entropy(p, q): both normalized, sum p log(p / q).
static double klDivergence(const std::vector<float> &p,
                           const std::vector<float> &q) {
  double pTotal = 0.0, qTotal = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    pTotal += p[i];
    qTotal += q[i];
  }
  double sum = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    double pi = p[i] / pTotal, qi = q[i] / qTotal;
    sum += pi * std::log(pi / qi);
  }
  return sum;
}

EntropySearch entropySearch(const Histogram &histogram, int64_t quantizedBins) {
  const std::vector<double> &hist = histogram.counts;
  auto bins = static_cast<int64_t>(hist.size());
  int64_t zeroBin = bins / 2;
  int64_t halfQuantized = quantizedBins / 2;
  auto edge = [&](int64_t i) {
    double lo = histogram.min, hi = histogram.max;
    return static_cast<float>(i == bins
                                  ? hi
                                  : lo + (hi - lo) * static_cast<double>(i) /
                                             static_cast<double>(bins));
  };
  EntropySearch result;
  int64_t candidates = zeroBin - halfQuantized + 1;
  result.divergences.assign(std::max<int64_t>(candidates, 0),
                            std::numeric_limits<double>::infinity());
  // Prefix sums for the outliers left and right of each window.
  std::vector<double> before(bins + 1, 0.0);
  for (int64_t i = 0; i < bins; ++i)
    before[i + 1] = before[i] + hist[i];

  for (int64_t i = halfQuantized; i <= zeroBin; ++i) {
    int64_t start = zeroBin - i;
    int64_t end = std::min(zeroBin + i + 1, bins);
    auto size = static_cast<size_t>(end - start);
    std::vector<double> p(hist.begin() + start, hist.begin() + end);
    p.front() += before[start];
    p.back() += before[bins] - before[end];

    // Merge the window into quantizedBins bins, the remainder into the
    // last; ORT keeps the merged counts as int64.
    int64_t merged = static_cast<int64_t>(size) / quantizedBins;
    std::vector<double> quantized(quantizedBins, 0.0);
    for (int64_t j = 0; j < quantizedBins; ++j) {
      double sum = 0.0;
      for (int64_t k = j * merged; k < (j + 1) * merged; ++k)
        sum += hist[start + k];
      quantized[j] = std::trunc(sum);
    }
    double rest = 0.0;
    for (auto k = static_cast<size_t>(quantizedBins * merged); k < size; ++k)
      rest += hist[start + k];
    quantized.back() = std::trunc(quantized.back() + rest);

    // Expand back over p's non-zero bins of each group, truncated to int64
    // (ORT's q is an int64 array); the remainder bins stay 0.
    std::vector<double> q(size, 0.0);
    for (int64_t j = 0; j < quantizedBins; ++j) {
      int64_t nonZero = 0;
      for (int64_t k = j * merged; k < (j + 1) * merged; ++k)
        nonZero += p[k] != 0.0;
      if (nonZero == 0)
        continue;
      double value = std::trunc(quantized[j] / static_cast<double>(nonZero));
      for (int64_t k = j * merged; k < (j + 1) * merged; ++k)
        q[k] = value;
    }

    std::optional<std::vector<float>> smoothP = smoothDistribution(p);
    std::optional<std::vector<float>> smoothQ = smoothDistribution(q);
    if (smoothP && smoothQ)
      result.divergences[i - halfQuantized] = klDivergence(*smoothP, *smoothQ);
  }
  // numpy.argmin: the first least value (the first candidate when all are
  // infinite).
  auto best =
      std::min_element(result.divergences.begin(), result.divergences.end());
  result.index = best - result.divergences.begin();
  int64_t i = halfQuantized + result.index;
  result.lo = edge(zeroBin - i);
  result.hi = edge(std::min(zeroBin + i + 1, bins));
  return result;
}

Histogram symmetricHistogram(const Histogram &histogram) {
  float threshold =
      std::max(std::fabs(histogram.min), std::fabs(histogram.max));
  auto bins = static_cast<int64_t>(histogram.counts.size());
  bins += bins % 2;
  if (histogram.min == -threshold && histogram.max == threshold &&
      bins == static_cast<int64_t>(histogram.counts.size()))
    return histogram;
  Histogram result{-threshold, threshold,
                   rebin(histogram, -threshold, threshold, bins)};
  for (double &count : result.counts)
    count = std::round(count);
  return result;
}

std::pair<float, float> entropyRange(const Histogram &histogram,
                                     int64_t quantizedBins, float dataMin,
                                     float dataMax) {
  if (histogram.min == histogram.max)
    return {dataMin, dataMax};
  Histogram symmetric = symmetricHistogram(histogram);
  EntropySearch search = entropySearch(symmetric, quantizedBins);
  return {std::max(search.lo, dataMin), std::min(search.hi, dataMax)};
}

} // namespace qnn::quantmath
