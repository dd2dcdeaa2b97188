//===- Latency.cpp - Summaries of timed runs ------------------------------===//

#include "qnn/Runner/Latency.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace qnn::runner {

double percentile(llvm::ArrayRef<double> sorted, double q) {
  if (sorted.empty())
    return 0.0;
  double position = q / 100.0 * static_cast<double>(sorted.size() - 1);
  size_t below = static_cast<size_t>(std::floor(position));
  size_t above = std::min(below + 1, sorted.size() - 1);
  double fraction = position - static_cast<double>(below);
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

LatencyStats summarizeLatencies(llvm::ArrayRef<double> seconds) {
  std::vector<double> sorted(seconds.begin(), seconds.end());
  std::sort(sorted.begin(), sorted.end());
  LatencyStats stats;
  stats.runs = static_cast<int64_t>(sorted.size());
  if (sorted.empty())
    return stats;
  stats.median = percentile(sorted, 50);
  stats.p10 = percentile(sorted, 10);
  stats.p90 = percentile(sorted, 90);
  stats.min = sorted.front();
  stats.max = sorted.back();
  return stats;
}

llvm::json::Value toJSON(const LatencyStats &stats) {
  return llvm::json::Object{{"runs", stats.runs}, {"median_s", stats.median},
                            {"p10_s", stats.p10}, {"p90_s", stats.p90},
                            {"min_s", stats.min}, {"max_s", stats.max}};
}

} // namespace qnn::runner
