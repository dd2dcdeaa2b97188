//===- HistogramCalibration.h - Histograms and range searches ---*- C++ -*-===//
//
// The histogram algorithms behind `chooseRange` (Calibration.h), one per
// source file, each following the tool it reproduces:
//
// | function | follows |
// |---|---|
// | `addToHistogram` | PyTorch HistogramObserver.forward: torch.histc,
// `_adjust_min_max`, `_combine_histograms` | | `mergeHistograms` | (no peer)
// re-binning onto the union range | | `percentileRange` | the inverse of the
// histogram's piecewise-linear CDF | | `mseRange` | PyTorch HistogramObserver
// `_non_linear_param_search` | | `entropyRange` | ONNX Runtime calibrate.py
// HistogramCollector.get_entropy_threshold |
//
//===----------------------------------------------------------------------===//

#ifndef QNN_QUANT_HISTOGRAMCALIBRATION_H
#define QNN_QUANT_HISTOGRAMCALIBRATION_H

#include "qnn/Quant/Calibration.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace qnn::quantmath {

/// PyTorch's up-sampling factor of a histogram whose range grows.
inline constexpr int64_t kHistogramUpsampleRate = 128;

/// Adds finite `values` to `histogram` the way PyTorch's HistogramObserver
/// does, in its float32 arithmetic:
///
/// - an empty histogram gets `bins` bins over [min, max] of the values
///   (torch.histc);
/// - when the values stay within [min, max], their torch.histc is added;
/// - otherwise the range grows to cover them: the grid keeps whole
///   multiples of 1/128 of the old bin width (`_adjust_min_max`: the new
///   bin width is `downsample_rate` / 128 old widths, the minimum is exact
///   and the maximum is moved up to the end of the grid), the old counts are
///   spread evenly over 128 sub-bins each and summed into the new bins
///   (`_combine_histograms`), and the values are binned on the new grid.
///
/// Two deliberate differences: torch.histc in PyTorch 1.13 is called with
/// the bounds truncated to integers (pytorch/pytorch#83672, since fixed);
/// here the bounds are the float range. And where torch throws the old
/// counts away after batches that were all one value (min == max), they
/// are kept in the bin of that value. Counts are kept in double, where
/// PyTorch's float32 counts stop being exact past 2^24 per bin.
void addToHistogram(Histogram &histogram, llvm::ArrayRef<float> values,
                    int64_t bins);

/// torch.histc(values, bins, min, max) with float bounds: counts of the
/// values in [min, max] (others are ignored), bin (x - min) * bins /
/// (max - min) truncated, in float, with max in the last bin.
std::vector<double> histc(llvm::ArrayRef<float> values, int64_t bins, float min,
                          float max);

/// The counts of `histogram` on `bins` equal bins over [min, max], assuming
/// values spread evenly within each source bin (a point mass when the
/// source range is empty). Counts outside [min, max] go to the end bins.
std::vector<double> rebin(const Histogram &histogram, float min, float max,
                          int64_t bins);

/// Histograms of the same value from separate runs: added when their
/// ranges and bin counts agree, else both re-binned (`rebin`) onto the union
/// of their ranges with the larger bin count. Counts are preserved exactly
/// up to rounding.
Histogram mergeHistograms(const Histogram &a, const Histogram &b);

/// The range holding the central `percentile` percent of the histogram,
/// reading it as a piecewise-uniform density (the CDF is linear within each
/// bin):
///
/// - asymmetric: [F^-1(q), F^-1(p)] for p = percentile / 100 and
///   q = 1 - p (swapped when percentile < 50);
/// - symmetric: [-t, t] for the least t with a fraction p of the counts
///   in [-t, t], the p-th percentile of |x|.
///
/// Precondition: a non-empty histogram with positive total and
/// 0 < percentile <= 100.
std::pair<float, float> percentileRange(const Histogram &histogram,
                                        double percentile, bool symmetric);

/// PyTorch HistogramObserver._non_linear_param_search: starting from the
/// whole histogram, moves the start or end bin inwards by the quantiles
/// 1e-5 apart (whichever side drops more bins) while the estimated L2 error
/// of quantizing the histogram to `destinationBins` levels over the
/// remaining bins (`_compute_quantization_error`) does not grow. Returns
/// [min + width * start, min + width * (end + 1)] in float. PyTorch's
/// `dst_nbins` is 2^bits of the dtype (256 for 8 bits, reduce_range or
/// not). Every step is float32 as in torch, except the error's final sum,
/// which is double (torch's float32 sum order cannot be reproduced; the
/// search only differs where two candidates' errors tie to float precision).
std::pair<float, float> mseRange(const Histogram &histogram,
                                 int64_t destinationBins);
/// The error estimate of one candidate [start, end] (bins, inclusive), for
/// tests: `_compute_quantization_error`.
double mseQuantizationError(const Histogram &histogram, int64_t startBin,
                            int64_t endBin, int64_t destinationBins);

/// The result of ONNX Runtime's entropy threshold search.
struct EntropySearch {
  /// The thresholds of the candidate with the least divergence.
  float lo = 0.0f, hi = 0.0f;
  /// Which candidate: i = quantizedBins / 2 + index, the window of bins
  /// [zero - i, zero + i + 1) around zero = bins / 2.
  int64_t index = 0;
  /// KL(p || q) of every candidate (infinity where ONNX Runtime's smoothing
  /// gives up: an all-zero q, or a count below its smoothing epsilon).
  std::vector<double> divergences;
};

/// ONNX Runtime's HistogramCollector.get_entropy_threshold on a histogram
/// laid out as ORT collects one, symmetric around 0 ([-T, T] with an even
/// number of bins): for each window of 2i + 1 bins around the zero bin
/// (i from quantizedBins / 2 to bins / 2), p is the window with the
/// outliers added to its end bins, q the window merged into quantizedBins
/// bins (the remainder into the last) and expanded back over p's non-zero
/// bins, with ORT's int64 truncations of both; both are smoothed
/// (`smooth_distribution`, eps = 1e-4, in float32) and the window with the
/// least KL(p || q) wins. Its edges are the thresholds. Preconditions:
/// 2 <= quantizedBins <= bins, bins even.
EntropySearch entropySearch(const Histogram &symmetricHistogram,
                            int64_t quantizedBins);

/// The histogram on [-T, T], T = max(|min|, |max|), with as many bins: the
/// input itself when it is already symmetric, else re-binned (`rebin`) with
/// counts rounded to integers, as ORT's are.
Histogram symmetricHistogram(const Histogram &histogram);

/// The entropy calibration range: `entropySearch` on the symmetric
/// histogram, its thresholds clamped to [dataMin, dataMax] as ORT clamps
/// them to the observed minimum and maximum.
std::pair<float, float> entropyRange(const Histogram &histogram,
                                     int64_t quantizedBins, float dataMin,
                                     float dataMax);

} // namespace qnn::quantmath

#endif // QNN_QUANT_HISTOGRAMCALIBRATION_H
