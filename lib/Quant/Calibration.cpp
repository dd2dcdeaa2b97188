//===- Calibration.cpp - Activation statistics and range choice -----------===//
//
// Min/max and moving-average min/max (PyTorch's MinMaxObserver and
// MovingAverageMinMaxObserver) are kept here with the statistics; the
// histogram methods live in a file each (HistogramCalibration.h).
//
//===----------------------------------------------------------------------===//

#include "qnn/Quant/Calibration.h"
#include "qnn/Quant/HistogramCalibration.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

namespace qnn::quantmath {

llvm::StringRef stringifyCalibrationMethod(CalibrationMethod method) {
  switch (method) {
  case CalibrationMethod::MinMax:
    return "minmax";
  case CalibrationMethod::MovingAverage:
    return "moving-average";
  case CalibrationMethod::Percentile:
    return "percentile";
  case CalibrationMethod::MSE:
    return "mse";
  case CalibrationMethod::Entropy:
    return "entropy";
  }
  return "";
}

std::optional<CalibrationMethod>
symbolizeCalibrationMethod(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<CalibrationMethod>>(name)
      .Case("minmax", CalibrationMethod::MinMax)
      .Case("moving-average", CalibrationMethod::MovingAverage)
      .Case("percentile", CalibrationMethod::Percentile)
      .Case("mse", CalibrationMethod::MSE)
      .Case("entropy", CalibrationMethod::Entropy)
      .Default(std::nullopt);
}

bool needsHistogram(CalibrationMethod method) {
  return method == CalibrationMethod::Percentile ||
         method == CalibrationMethod::MSE ||
         method == CalibrationMethod::Entropy;
}

void accumulate(ActivationStatistics &statistics, llvm::ArrayRef<float> batch,
                const CalibrationOptions &options, bool keepHistogram) {
  std::vector<float> finite;
  finite.reserve(batch.size());
  for (float x : batch) {
    if (std::isfinite(x))
      finite.push_back(x);
    else
      ++statistics.nonFinite;
  }
  if (finite.empty())
    return;
  auto [lowest, highest] = std::minmax_element(finite.begin(), finite.end());
  float batchMin = *lowest, batchMax = *highest;
  if (statistics.count == 0) {
    statistics.min = batchMin;
    statistics.max = batchMax;
  } else {
    statistics.min = std::min(statistics.min, batchMin);
    statistics.max = std::max(statistics.max, batchMax);
  }
  // MovingAverageMinMaxObserver: the first batch sets the averages, later
  // ones move them by the averaging constant, in float32.
  if (statistics.batches == 0) {
    statistics.movingMin = batchMin;
    statistics.movingMax = batchMax;
  } else {
    float c = options.averagingConstant;
    statistics.movingMin += c * (batchMin - statistics.movingMin);
    statistics.movingMax += c * (batchMax - statistics.movingMax);
  }
  ++statistics.batches;
  statistics.count += static_cast<int64_t>(finite.size());
  if (keepHistogram) {
    if (!statistics.histogram)
      statistics.histogram.emplace();
    addToHistogram(*statistics.histogram, finite, options.histogramBins);
  }
}

ActivationStatistics merge(const ActivationStatistics &a,
                           const ActivationStatistics &b) {
  if (a.count == 0 || b.count == 0) {
    ActivationStatistics result = a.count == 0 ? b : a;
    result.nonFinite = a.nonFinite + b.nonFinite;
    return result;
  }
  ActivationStatistics result;
  result.min = std::min(a.min, b.min);
  result.max = std::max(a.max, b.max);
  result.count = a.count + b.count;
  result.nonFinite = a.nonFinite + b.nonFinite;
  result.batches = a.batches + b.batches;
  if (a.batches > 0 && b.batches > 0) {
    auto weighted = [&](float x, float y) {
      return static_cast<float>((static_cast<double>(x) * a.batches +
                                 static_cast<double>(y) * b.batches) /
                                static_cast<double>(result.batches));
    };
    result.movingMin = weighted(a.movingMin, b.movingMin);
    result.movingMax = weighted(a.movingMax, b.movingMax);
  } else {
    // One side recorded no averages: keep the other's.
    const ActivationStatistics &recorded = a.batches > 0 ? a : b;
    result.movingMin = recorded.movingMin;
    result.movingMax = recorded.movingMax;
  }
  if (a.histogram && b.histogram)
    result.histogram = mergeHistograms(*a.histogram, *b.histogram);
  return result;
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::pair<float, float>>
chooseRange(const ActivationStatistics &statistics, const QuantSpec &spec,
            const CalibrationOptions &options) {
  CalibrationMethod method = options.method;
  llvm::StringRef name = stringifyCalibrationMethod(method);
  if (method == CalibrationMethod::MinMax)
    return std::make_pair(statistics.min, statistics.max);
  if (method == CalibrationMethod::MovingAverage) {
    if (statistics.batches == 0)
      return makeError("have no moving averages (movingMin, movingMax), "
                       "which calibration=moving-average needs");
    return std::make_pair(statistics.movingMin, statistics.movingMax);
  }
  if (!statistics.histogram || statistics.histogram->empty())
    return makeError(llvm::formatv("have no histogram, which "
                                   "calibration={0} needs",
                                   name));
  const Histogram &histogram = *statistics.histogram;
  if (!(histogram.total() > 0.0))
    return makeError(llvm::formatv("have an empty histogram (no counts), "
                                   "which calibration={0} cannot use",
                                   name));
  if (!std::isfinite(histogram.min) || !std::isfinite(histogram.max) ||
      histogram.min > histogram.max)
    return makeError(llvm::formatv("have a histogram whose range [{0}, {1}] "
                                   "is not a finite range",
                                   histogram.min, histogram.max));
  switch (method) {
  case CalibrationMethod::Percentile: {
    if (!(options.percentile > 0.0 && options.percentile <= 100.0))
      return makeError(llvm::formatv("cannot use percentile {0}: it must be "
                                     "in (0, 100]",
                                     options.percentile));
    std::pair<float, float> range = percentileRange(
        histogram, options.percentile, spec.scheme == Scheme::Symmetric);
    // A grown histogram reaches past the data; the percentile does not.
    return std::make_pair(std::max(range.first, statistics.min),
                          std::min(range.second, statistics.max));
  }
  case CalibrationMethod::MSE:
    return mseRange(histogram, int64_t(1) << spec.storage.bits);
  case CalibrationMethod::Entropy: {
    int64_t quantizedBins = int64_t(1) << (spec.storage.bits - 1);
    if (static_cast<int64_t>(histogram.counts.size()) < quantizedBins)
      return makeError(llvm::formatv("have a histogram of {0} bins, fewer "
                                     "than the {1} quantized bins of "
                                     "calibration=entropy",
                                     histogram.counts.size(), quantizedBins));
    return entropyRange(histogram, quantizedBins, statistics.min,
                        statistics.max);
  }
  default:
    break;
  }
  return std::make_pair(statistics.min, statistics.max);
}

} // namespace qnn::quantmath
