//===- MSECalibration.cpp - PyTorch's L2-optimal range search -------------===//
//
// PyTorch HistogramObserver's `_non_linear_param_search` and
// `_compute_quantization_error` (after caffe2's NormMinimization), step by
// step in the precision torch computes them: float32 tensors, Python floats
// (double) where torch uses `.item()` and Python scalars, and float32 where
// a Python scalar meets a float32 tensor. The unit tests check the chosen
// range against torch itself.
//
//===----------------------------------------------------------------------===//

#include "qnn/Quant/HistogramCalibration.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qnn::quantmath {

/// torch.div(a, b, rounding_mode='floor') on floats (Python's floor
/// division: `a - fmod(a, b)` divided, then corrected to the floor).
static float floorDivide(float a, float b) {
  if (b == 0.0f)
    return a / b;
  float mod = std::fmod(a, b);
  float div = (a - mod) / b;
  if (mod != 0.0f && (b < 0.0f) != (mod < 0.0f))
    div -= 1.0f;
  if (div == 0.0f)
    return std::copysign(0.0f, a / b);
  float floorDiv = std::floor(div);
  if (div - floorDiv > 0.5f)
    floorDiv += 1.0f;
  return floorDiv;
}

/// `_get_norm`: density * (end^3 - begin^3) / 3, in float.
static float norm(float begin, float end, float density) {
  return density * ((end * end * end - begin * begin * begin) / 3.0f);
}

double mseQuantizationError(const Histogram &histogram, int64_t startBin,
                            int64_t endBin, int64_t destinationBins) {
  auto bins = static_cast<int64_t>(histogram.counts.size());
  // Python floats: max_val.item() - min_val.item() in double.
  double binWidth = (static_cast<double>(histogram.max) - histogram.min) /
                    static_cast<double>(bins);
  double dstBinWidth = binWidth * static_cast<double>(endBin - startBin + 1) /
                       static_cast<double>(destinationBins);
  if (dstBinWidth == 0.0)
    return 0.0;
  // Python scalars meeting float32 tensors become float32.
  auto binWidthF = static_cast<float>(binWidth);
  auto dstWidthF = static_cast<float>(dstBinWidth);
  auto halfDstF = static_cast<float>(dstBinWidth / 2);
  auto minusHalfDstF = static_cast<float>(-dstBinWidth / 2);
  auto lastDst = static_cast<float>(destinationBins - 1);
  double sum = 0.0;
  for (int64_t bin = 0; bin < bins; ++bin) {
    float srcBegin = static_cast<float>(bin - startBin) * binWidthF;
    float srcEnd = srcBegin + binWidthF;
    float dstOfBegin =
        std::clamp(floorDivide(srcBegin, dstWidthF), 0.0f, lastDst);
    float dstOfBeginCenter = (dstOfBegin + 0.5f) * dstWidthF;
    float dstOfEnd = std::clamp(floorDivide(srcEnd, dstWidthF), 0.0f, lastDst);
    float density = static_cast<float>(histogram.counts[bin]) / binWidthF;
    float total = 0.0f;
    total += norm(srcBegin - dstOfBeginCenter, halfDstF, density);
    total +=
        (dstOfEnd - dstOfBegin - 1.0f) * norm(minusHalfDstF, halfDstF, density);
    float dstOfEndCenter = dstOfEnd * dstWidthF + halfDstF;
    total += norm(minusHalfDstF, srcEnd - dstOfEndCenter, density);
    sum += total;
  }
  return sum;
}

std::pair<float, float> mseRange(const Histogram &histogram,
                                 int64_t destinationBins) {
  auto bins = static_cast<int64_t>(histogram.counts.size());
  if (histogram.min == histogram.max || bins == 0)
    return {histogram.min, histogram.max};
  // torch keeps the histogram and its cumulative sum in float32.
  std::vector<float> cumulative(bins);
  double running = 0.0;
  for (int64_t i = 0; i < bins; ++i) {
    running += histogram.counts[i];
    cumulative[i] = static_cast<float>(running);
  }
  double total = running;
  const double stepSize = 1e-5;
  double alpha = 0.0, beta = 1.0;
  int64_t startBin = 0, endBin = bins - 1;
  double normMin = std::numeric_limits<double>::infinity();
  while (alpha < beta) {
    double nextAlpha = alpha + stepSize;
    double nextBeta = beta - stepSize;
    // cSum[l] < next_alpha * total compares in float32.
    auto alphaCount = static_cast<float>(nextAlpha * total);
    auto betaCount = static_cast<float>(nextBeta * total);
    int64_t l = startBin, r = endBin;
    while (l < endBin && cumulative[l] < alphaCount)
      ++l;
    while (r > startBin && cumulative[r] > betaCount)
      --r;
    int64_t nextStart = startBin, nextEnd = endBin;
    if (l - startBin > endBin - r) {
      nextStart = l;
      alpha = nextAlpha;
    } else {
      nextEnd = r;
      beta = nextBeta;
    }
    if (nextStart == startBin && nextEnd == endBin)
      continue;
    double error =
        mseQuantizationError(histogram, nextStart, nextEnd, destinationBins);
    if (error > normMin)
      break;
    normMin = error;
    startBin = nextStart;
    endBin = nextEnd;
  }
  // min_val + bin_width * start_bin, with bin_width a float32 tensor.
  float binWidth = (histogram.max - histogram.min) / static_cast<float>(bins);
  return {histogram.min + binWidth * static_cast<float>(startBin),
          histogram.min + binWidth * static_cast<float>(endBin + 1)};
}

} // namespace qnn::quantmath
