//===- Calibration.h - Activation statistics and range choice ----*- C++
//-*-===//
//
// What a calibration run records about one activation, and how a range is
// chosen from it. The records are plain data, so that the statistics file
// (JSON, written by `qnn-run --calibrate`, read by `qnn-quantize`) can carry
// them; the algorithms (histogram accumulation and merging, the range
// choices) are functions of this library. docs/Calibration.md describes the
// methods and when to use which; HistogramCalibration.h has the histogram
// algorithms one by one.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_QUANT_CALIBRATION_H
#define QNN_QUANT_CALIBRATION_H

#include "qnn/Quant/QuantParams.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace qnn::quantmath {

/// Counts of values in `counts.size()` equal bins over [min, max]: bin i
/// holds the values x with i = (x - min) * bins / (max - min) truncated
/// (float arithmetic, as torch.histc), the last bin including max. Counts
/// are real numbers: re-binning a histogram onto a wider range spreads a
/// bin's count over the bins it overlaps. When min == max, all counts are
/// in bin bins / 2 (torch.histc widens an empty range to [min - 1, max + 1]).
struct Histogram {
  float min = 0.0f;
  float max = 0.0f;
  std::vector<double> counts;

  bool empty() const { return counts.empty(); }
  /// The sum of the counts.
  double total() const;
};

/// Everything a calibration run records about one value, over all batches.
struct ActivationStatistics {
  /// Over every finite element seen.
  float min = 0.0f;
  float max = 0.0f;
  /// Exponential moving averages of each batch's min and max (PyTorch's
  /// MovingAverageMinMaxObserver, averaging constant 0.01); equal to min and
  /// max after one batch.
  float movingMin = 0.0f;
  float movingMax = 0.0f;
  /// Batches with at least one finite element, and finite elements seen;
  /// non-finite elements are counted and otherwise ignored. `batches` == 0
  /// means the moving averages were not recorded.
  int64_t batches = 0;
  int64_t count = 0;
  int64_t nonFinite = 0;
  /// Present when the run kept one (the percentile, MSE and entropy
  /// methods need it).
  std::optional<Histogram> histogram;
};

/// How a range is chosen from the statistics.
enum class CalibrationMethod {
  /// [min, max] of everything seen.
  MinMax,
  /// The moving averages of the batch minima and maxima.
  MovingAverage,
  /// From the histogram: the `percentile`-th percentile of |x| (symmetric
  /// schemes), or the (100 - p)-th and p-th percentiles (asymmetric).
  Percentile,
  /// The range minimizing the quantization mean squared error of the
  /// histogram (PyTorch HistogramObserver's search).
  MSE,
  /// The range minimizing the KL divergence between the histogram and its
  /// quantized version (TensorRT, ONNX Runtime's entropy calibration).
  Entropy,
};

/// `minmax`, `moving-average`, `percentile`, `mse`, `entropy` (the spelling
/// of pass options and statistics files).
llvm::StringRef stringifyCalibrationMethod(CalibrationMethod method);
std::optional<CalibrationMethod>
symbolizeCalibrationMethod(llvm::StringRef name);
/// Whether `method` reads the histogram.
bool needsHistogram(CalibrationMethod method);

struct CalibrationOptions {
  CalibrationMethod method = CalibrationMethod::MinMax;
  /// For `Percentile`, in (0, 100].
  double percentile = 99.99;
  /// Bins of the histograms a calibration run keeps (PyTorch's
  /// HistogramObserver default).
  int64_t histogramBins = 2048;
  /// Weight of a new batch in the moving averages (PyTorch's default).
  float averagingConstant = 0.01f;
};

/// Adds one batch of values to `statistics` (min, max, moving averages and,
/// when `keepHistogram`, the histogram, whose range grows as needed: see
/// `addToHistogram`). An empty batch, or one without finite values, leaves
/// everything but `nonFinite` unchanged.
void accumulate(ActivationStatistics &statistics, llvm::ArrayRef<float> batch,
                const CalibrationOptions &options, bool keepHistogram);

/// Merges statistics of the same value from separate runs (sharded
/// calibration): exact for min, max and counts; the moving averages are
/// combined weighted by batches; histograms with the same range add, others
/// are re-binned onto their union (`mergeHistograms`). A histogram kept by
/// only one side is dropped: it would describe only part of the data.
ActivationStatistics merge(const ActivationStatistics &a,
                           const ActivationStatistics &b);

/// The range [lo, hi] to quantize to, for the storage in `spec` (the MSE and
/// entropy searches depend on the number of integer levels: 2^bits and
/// 2^(bits-1) quantized bins; the percentile on the scheme). Fails with a
/// message that completes "statistics of value 'x' ..." when the method
/// needs what the statistics do not have (a histogram, moving averages).
llvm::Expected<std::pair<float, float>>
chooseRange(const ActivationStatistics &statistics, const QuantSpec &spec,
            const CalibrationOptions &options);

} // namespace qnn::quantmath

#endif // QNN_QUANT_CALIBRATION_H
