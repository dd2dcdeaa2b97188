//===- Latency.h - Summaries of timed runs ----------------------*- C++ -*-===//
//
// The machine the benchmarks run on is shared and noisy: a median and a
// spread (10th to 90th percentile) say more than a mean.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_LATENCY_H
#define QNN_RUNNER_LATENCY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/JSON.h"

#include <cstdint>

namespace qnn::runner {

/// Timings in seconds.
struct LatencyStats {
  int64_t runs = 0;
  double median = 0.0;
  double p10 = 0.0;
  double p90 = 0.0;
  double min = 0.0;
  double max = 0.0;
};

/// The `q`-th percentile (0 <= q <= 100) of `sorted`, interpolated linearly
/// between neighbours as numpy.percentile does by default.
double percentile(llvm::ArrayRef<double> sorted, double q);

/// Median, p10, p90, min and max of `seconds` (any order).
LatencyStats summarizeLatencies(llvm::ArrayRef<double> seconds);

llvm::json::Value toJSON(const LatencyStats &stats);

} // namespace qnn::runner

#endif // QNN_RUNNER_LATENCY_H
