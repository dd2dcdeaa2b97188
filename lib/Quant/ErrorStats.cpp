//===- ErrorStats.cpp - What quantization cost, in numbers ----------------===//

#include "qnn/Quant/ErrorStats.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qnn::quantmath {

ErrorStats computeErrorStats(llvm::ArrayRef<float> reference,
                             llvm::ArrayRef<float> approx) {
  ErrorStats stats;
  stats.count = static_cast<int64_t>(reference.size());
  double sumAbs = 0.0, sumSquaredError = 0.0, sumSquaredSignal = 0.0;
  for (auto [ref, got] : llvm::zip_equal(reference, approx)) {
    double error = static_cast<double>(got) - static_cast<double>(ref);
    stats.maxAbs = std::max(stats.maxAbs, std::fabs(error));
    sumAbs += std::fabs(error);
    sumSquaredError += error * error;
    sumSquaredSignal += static_cast<double>(ref) * static_cast<double>(ref);
  }
  // std::max drops NaN errors, the sums do not: the maximum must not look
  // clean when the mean is NaN.
  if (std::isnan(sumAbs))
    stats.maxAbs = std::numeric_limits<double>::quiet_NaN();
  if (stats.count > 0) {
    stats.meanAbs = sumAbs / stats.count;
    stats.mse = sumSquaredError / stats.count;
  }
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (std::isnan(sumSquaredError) || std::isnan(sumSquaredSignal))
    stats.sqnrDb = std::numeric_limits<double>::quiet_NaN();
  else if (sumSquaredError == 0.0)
    stats.sqnrDb = kInf;
  else if (sumSquaredSignal == 0.0)
    stats.sqnrDb = -kInf;
  else
    stats.sqnrDb = 10.0 * std::log10(sumSquaredSignal / sumSquaredError);
  return stats;
}

} // namespace qnn::quantmath
