//===- Histogram.cpp - Growing and merging calibration histograms ---------===//
//
// The histogram of PyTorch's HistogramObserver: fixed bin count, a range that
// grows with the data by re-binning the old counts onto a grid aligned to
// 1/128 of the old bin width. The float32 steps are PyTorch's, so that the
// bins (and the MSE search on them) come out as torch's.
//
//===----------------------------------------------------------------------===//

#include "qnn/Quant/HistogramCalibration.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace qnn::quantmath {

double Histogram::total() const {
  return std::accumulate(counts.begin(), counts.end(), 0.0);
}

/// The bin of x in torch.histc: (x - min) * bins / (max - min), truncated,
/// each step rounded to float. A range too wide for float (its width
/// overflows) is binned in double instead, where torch would give NaN.
static int64_t histcBin(float x, int64_t bins, float min, float max) {
  float width = max - min;
  int64_t bin;
  if (std::isfinite(width) &&
      std::isfinite((x - min) * static_cast<float>(bins)))
    bin = static_cast<int64_t>((x - min) * static_cast<float>(bins) / width);
  else
    bin = static_cast<int64_t>((static_cast<double>(x) - min) * bins /
                               (static_cast<double>(max) - min));
  return std::clamp<int64_t>(bin, 0, bins - 1);
}

std::vector<double> histc(llvm::ArrayRef<float> values, int64_t bins, float min,
                          float max) {
  std::vector<double> counts(bins, 0.0);
  // torch.histc widens an empty range to [min - 1, max + 1]: everything
  // lands in the middle bin.
  if (min == max) {
    for (float x : values)
      if (x == min)
        counts[bins / 2] += 1.0;
    return counts;
  }
  for (float x : values)
    if (x >= min && x <= max)
      counts[histcBin(x, bins, min, max)] += 1.0;
  return counts;
}

namespace {

/// The grid of a grown histogram (`_adjust_min_max`), in float32 as torch.
struct GrownGrid {
  float min, max;
  /// New bin width in sub-bins of 1/128 old bin width.
  int64_t downsampleRate;
  /// Where the old histogram starts on the new grid, in sub-bins.
  int64_t startIndex;
};

} // namespace

/// `_adjust_min_max`, or nullopt where float32 cannot describe the grid (a
/// sub-bin width that underflows, a growth factor beyond 2^24).
static std::optional<GrownGrid>
adjustMinMax(const Histogram &old, float combinedMin, float combinedMax) {
  auto bins = static_cast<int64_t>(old.counts.size());
  float subBinWidth =
      (old.max - old.min) / static_cast<float>(bins * kHistogramUpsampleRate);
  float binWidth = static_cast<float>(bins) * subBinWidth;
  float rate = std::ceil((combinedMax - combinedMin) / binWidth);
  if (!(subBinWidth > 0.0f) || !std::isfinite(rate) || rate > (1 << 24))
    return std::nullopt;
  auto downsampleRate = static_cast<int64_t>(rate);
  float excess = static_cast<float>(downsampleRate) * binWidth -
                 (combinedMax - combinedMin);
  // torch.round: half to even.
  float start = std::nearbyint((old.min - combinedMin) / subBinWidth);
  return GrownGrid{combinedMin, combinedMax + excess, downsampleRate,
                   static_cast<int64_t>(start)};
}

/// `_combine_histograms` without materializing the bins * downsample_rate
/// sub-bins: old bin i covers sub-bins [start + 128 i, start + 128 (i + 1)),
/// new bin j sums sub-bins [j * rate, (j + 1) * rate), each sub-bin holding
/// 1/128 of its old bin. Sub-bins past the grid (torch would fail on them)
/// go to the last bin.
static void addCombined(std::vector<double> &counts, const Histogram &old,
                        const GrownGrid &grid) {
  auto bins = static_cast<int64_t>(counts.size());
  int64_t rate = grid.downsampleRate;
  for (auto [i, count] : llvm::enumerate(old.counts)) {
    if (count == 0.0)
      continue;
    int64_t begin =
        grid.startIndex + static_cast<int64_t>(i) * kHistogramUpsampleRate;
    int64_t end = begin + kHistogramUpsampleRate;
    for (int64_t sub = begin; sub < end;) {
      int64_t bin = std::min(sub / rate, bins - 1);
      int64_t binEnd = bin == bins - 1 ? end : std::min(end, (bin + 1) * rate);
      counts[bin] += count * static_cast<double>(binEnd - sub) /
                     static_cast<double>(kHistogramUpsampleRate);
      sub = binEnd;
    }
  }
}

void addToHistogram(Histogram &histogram, llvm::ArrayRef<float> values,
                    int64_t bins) {
  if (values.empty())
    return;
  auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
  float batchMin = *lowest, batchMax = *highest;
  if (histogram.empty()) {
    histogram.min = batchMin;
    histogram.max = batchMax;
    histogram.counts = histc(values, bins, batchMin, batchMax);
    return;
  }
  float combinedMin = std::min(batchMin, histogram.min);
  float combinedMax = std::max(batchMax, histogram.max);
  if (histogram.min == histogram.max) {
    // Only one value so far: torch starts over; the counts are kept in the
    // bin of that value instead.
    double previous = histogram.total();
    float value = histogram.min;
    histogram.min = combinedMin;
    histogram.max = combinedMax;
    histogram.counts =
        histc(values, histogram.counts.size(), combinedMin, combinedMax);
    int64_t bin = combinedMin == combinedMax
                      ? static_cast<int64_t>(histogram.counts.size()) / 2
                      : histcBin(value, histogram.counts.size(), combinedMin,
                                 combinedMax);
    histogram.counts[bin] += previous;
    return;
  }
  std::optional<GrownGrid> grid =
      adjustMinMax(histogram, combinedMin, combinedMax);
  if (!grid) {
    // A grid float32 cannot describe: re-bin onto the union instead.
    Histogram batch{
        combinedMin, combinedMax,
        histc(values, histogram.counts.size(), combinedMin, combinedMax)};
    histogram = mergeHistograms(histogram, batch);
    return;
  }
  std::vector<double> counts =
      histc(values, histogram.counts.size(), grid->min, grid->max);
  if (grid->min == histogram.min && grid->max == histogram.max) {
    for (auto [sum, old] : llvm::zip(counts, histogram.counts))
      sum += old;
  } else {
    addCombined(counts, histogram, *grid);
  }
  histogram.counts = std::move(counts);
  histogram.min = grid->min;
  histogram.max = grid->max;
}

std::vector<double> rebin(const Histogram &histogram, float min, float max,
                          int64_t bins) {
  std::vector<double> counts(bins, 0.0);
  double lo = min, hi = max;
  double width = (hi - lo) / static_cast<double>(bins);
  auto binOf = [&](double x) {
    if (!(width > 0.0))
      return bins / 2;
    return std::clamp<int64_t>(
        static_cast<int64_t>(std::floor((x - lo) / width)), 0, bins - 1);
  };
  auto sourceBins = static_cast<int64_t>(histogram.counts.size());
  double sourceLo = histogram.min, sourceHi = histogram.max;
  double sourceWidth = (sourceHi - sourceLo) / static_cast<double>(sourceBins);
  for (int64_t i = 0; i < sourceBins; ++i) {
    double count = histogram.counts[i];
    if (count == 0.0)
      continue;
    if (!(sourceWidth > 0.0) || !(width > 0.0)) {
      counts[binOf(sourceLo)] += count;
      continue;
    }
    double begin = sourceLo + sourceWidth * static_cast<double>(i);
    double end = i + 1 == sourceBins ? sourceHi : begin + sourceWidth;
    double density = count / (end - begin);
    // Walk the destination bins the source bin overlaps; what lies outside
    // [min, max] goes to the end bins.
    int64_t first = binOf(begin), last = binOf(end);
    for (int64_t j = first; j <= last; ++j) {
      double binBegin =
          j == 0 ? -INFINITY : lo + width * static_cast<double>(j);
      double binEnd =
          j == bins - 1 ? INFINITY : lo + width * static_cast<double>(j + 1);
      double overlap = std::min(end, binEnd) - std::max(begin, binBegin);
      if (overlap > 0.0)
        counts[j] += density * overlap;
    }
  }
  return counts;
}

Histogram mergeHistograms(const Histogram &a, const Histogram &b) {
  if (a.empty())
    return b;
  if (b.empty())
    return a;
  if (a.min == b.min && a.max == b.max && a.counts.size() == b.counts.size()) {
    Histogram sum = a;
    for (auto [total, count] : llvm::zip(sum.counts, b.counts))
      total += count;
    return sum;
  }
  Histogram merged;
  merged.min = std::min(a.min, b.min);
  merged.max = std::max(a.max, b.max);
  auto bins = static_cast<int64_t>(std::max(a.counts.size(), b.counts.size()));
  merged.counts = rebin(a, merged.min, merged.max, bins);
  std::vector<double> other = rebin(b, merged.min, merged.max, bins);
  for (auto [total, count] : llvm::zip(merged.counts, other))
    total += count;
  return merged;
}

} // namespace qnn::quantmath
