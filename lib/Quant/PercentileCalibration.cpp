//===- PercentileCalibration.cpp - Percentile ranges of a histogram -------===//
//
// The histogram is read as a piecewise-uniform density: its CDF is linear
// within each bin, so a percentile falls at a definite point inside its bin
// rather than at a bin edge. That keeps the result within one bin of the
// exact percentile of the data (numpy.percentile), which is what the unit
// tests check besides the exact inversion.
//
//===----------------------------------------------------------------------===//

#include "qnn/Quant/HistogramCalibration.h"

#include <algorithm>
#include <cmath>

namespace qnn::quantmath {

namespace {

/// The edges and cumulative counts of a histogram, in double.
struct Cdf {
  std::vector<double> edges;  // bins + 1
  std::vector<double> before; // counts before edge i, bins + 1
  double total;

  explicit Cdf(const Histogram &histogram) {
    auto bins = static_cast<int64_t>(histogram.counts.size());
    double lo = histogram.min, hi = histogram.max;
    edges.resize(bins + 1);
    before.resize(bins + 1);
    for (int64_t i = 0; i <= bins; ++i)
      edges[i] = i == bins ? hi
                           : lo + (hi - lo) * static_cast<double>(i) /
                                      static_cast<double>(bins);
    before[0] = 0.0;
    for (int64_t i = 0; i < bins; ++i)
      before[i + 1] = before[i] + histogram.counts[i];
    total = before[bins];
  }

  /// The least x with F(x) >= target (a count between 0 and total).
  double inverse(double target) const {
    size_t bins = edges.size() - 1;
    for (size_t i = 0; i < bins; ++i) {
      double count = before[i + 1] - before[i];
      if (count <= 0.0 || before[i + 1] < target)
        continue;
      double fraction = std::clamp((target - before[i]) / count, 0.0, 1.0);
      return edges[i] + (edges[i + 1] - edges[i]) * fraction;
    }
    return edges[bins];
  }

  /// F(x): the counts below x.
  double at(double x) const {
    size_t bins = edges.size() - 1;
    if (x <= edges[0])
      return 0.0;
    if (x >= edges[bins])
      return total;
    size_t i = std::upper_bound(edges.begin(), edges.end(), x) - edges.begin();
    i = std::clamp<size_t>(i, 1, bins) - 1;
    double fraction = (x - edges[i]) / (edges[i + 1] - edges[i]);
    return before[i] + (before[i + 1] - before[i]) * fraction;
  }
};

} // namespace

/// The least t >= 0 with F(t) - F(-t) >= target: G(t) = F(t) - F(-t) is
/// piecewise linear between the points |edge|, so it is found on the
/// segment where it crosses the target and interpolated there.
static double absolutePercentile(const Cdf &cdf, double target) {
  std::vector<double> points{0.0};
  for (double edge : cdf.edges)
    points.push_back(std::fabs(edge));
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  auto mass = [&](double t) { return cdf.at(t) - cdf.at(-t); };
  double previousT = 0.0, previousMass = mass(0.0);
  if (previousMass >= target)
    return 0.0;
  for (double t : points) {
    double current = mass(t);
    if (current >= target) {
      double fraction = (target - previousMass) / (current - previousMass);
      return previousT + (t - previousT) * std::clamp(fraction, 0.0, 1.0);
    }
    previousT = t;
    previousMass = current;
  }
  return points.back();
}

std::pair<float, float> percentileRange(const Histogram &histogram,
                                        double percentile, bool symmetric) {
  if (histogram.min == histogram.max)
    return {histogram.min, histogram.max};
  Cdf cdf(histogram);
  double p = percentile / 100.0;
  if (symmetric) {
    auto t = static_cast<float>(absolutePercentile(cdf, p * cdf.total));
    return {-t, t};
  }
  double lower = std::min(p, 1.0 - p), upper = std::max(p, 1.0 - p);
  return {static_cast<float>(cdf.inverse(lower * cdf.total)),
          static_cast<float>(cdf.inverse(upper * cdf.total))};
}

} // namespace qnn::quantmath
