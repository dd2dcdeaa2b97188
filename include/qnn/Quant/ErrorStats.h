//===- ErrorStats.h - What quantization cost, in numbers --------*- C++ -*-===//
//
// Statistics of the quantization error W_hat - W (the seed's "quantization
// error" column), used by reports and by tests.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_QUANT_ERRORSTATS_H
#define QNN_QUANT_ERRORSTATS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace qnn::quantmath {

struct ErrorStats {
  int64_t count = 0;
  /// max |W_hat - W|.
  double maxAbs = 0.0;
  /// mean |W_hat - W|.
  double meanAbs = 0.0;
  /// mean (W_hat - W)^2.
  double mse = 0.0;
  /// 10 log10(sum W^2 / sum (W_hat - W)^2); +inf when the error is zero
  /// (including an all-zero W), -inf when W is zero but W_hat is not.
  double sqnrDb = 0.0;
};

/// Accumulates in double. `reference` and `approx` must have the same size.
/// A NaN error (a NaN in either input) makes every statistic NaN, so that no
/// report shows a clean maximum for a broken tensor.
ErrorStats computeErrorStats(llvm::ArrayRef<float> reference,
                             llvm::ArrayRef<float> approx);

} // namespace qnn::quantmath

#endif // QNN_QUANT_ERRORSTATS_H
