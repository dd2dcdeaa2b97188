//===- Layer.cpp - The benchmarked layers and their references ------------===//
//
// Random data for one layer and the references every contender is checked
// against before it is timed: the int32 accumulators and the requantized
// u8 outputs computed exactly (64-bit sums, gemmlowp's fixed point from the
// qnn math library, which the compiler is specified to match bit for bit),
// and the f32 layer in double precision.
//
//===----------------------------------------------------------------------===//

#include "KernelBench.h"

#include "qnn/Quant/FixedPoint.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

using namespace qnn;
using namespace qnn::bench;

Layer qnn::bench::makeLayer(const Shape &shape, std::mt19937 &rng) {
  Layer layer;
  layer.shape = shape;
  int64_t m = shape.m, k = shape.k, n = shape.n;
  std::uniform_int_distribution<int> u8(0, 255), i8(-127, 127),
      biasDist(-(1 << 14), 1 << 14);
  std::uniform_real_distribution<double> scaleDist(0.002, 0.01);
  layer.a.resize(m * k);
  for (auto &x : layer.a)
    x = static_cast<uint8_t>(u8(rng));
  layer.w.resize(k * n);
  for (auto &x : layer.w)
    x = static_cast<int8_t>(i8(rng));
  layer.bias.resize(n);
  for (auto &x : layer.bias)
    x = biasDist(rng);
  // Scales that survive the round trip through f32 (the module text holds
  // them in full, but f32 layers use them as floats).
  layer.wScales.resize(n);
  for (auto &s : layer.wScales)
    s = static_cast<float>(scaleDist(rng));
  // The accumulators spread about 127 * 73 * sqrt(K) / sqrt(3): map a few
  // standard deviations onto the u8 range, so that the outputs are not all
  // clamped.
  layer.outScale = static_cast<float>(layer.aScale * 0.006 * 127.0 * 74.0 *
                                      std::sqrt(double(k)) / 40.0);

  layer.acc.assign(m * n, 0);
  std::vector<int64_t> row(n);
  for (int64_t i = 0; i < m; ++i) {
    std::fill(row.begin(), row.end(), 0);
    for (int64_t r = 0; r < k; ++r) {
      int64_t x = layer.a[i * k + r];
      const int8_t *wrow = &layer.w[r * n];
      for (int64_t c = 0; c < n; ++c)
        row[c] += x * wrow[c];
    }
    for (int64_t c = 0; c < n; ++c)
      layer.acc[i * n + c] = static_cast<int32_t>(row[c] + layer.bias[c]);
  }
  layer.out.resize(m * n);
  for (int64_t c = 0; c < n; ++c) {
    // The requantize multiplier as the compiler derives it: the
    // accumulator's scale s_a * s_w[c] over the output scale, in double.
    double accScale = layer.aScale * layer.wScales[c];
    auto multiplier =
        quantmath::quantizeMultiplier(accScale / layer.outScale).value();
    for (int64_t i = 0; i < m; ++i) {
      int32_t v = quantmath::multiplyByQuantizedMultiplier(layer.acc[i * n + c],
                                                           multiplier) +
                  layer.outZeroPoint;
      layer.out[i * n + c] = static_cast<uint8_t>(std::clamp(v, 0, 255));
    }
  }

  layer.af.assign(layer.a.begin(), layer.a.end());
  for (auto &x : layer.af)
    x *= static_cast<float>(layer.aScale);
  layer.wf.resize(k * n);
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c)
      layer.wf[r * n + c] =
          static_cast<float>(layer.w[r * n + c] * layer.wScales[c]);
  layer.biasf.resize(n);
  for (int64_t c = 0; c < n; ++c)
    layer.biasf[c] =
        static_cast<float>(layer.bias[c] * layer.aScale * layer.wScales[c]);
  layer.outf.assign(m * n, 0.0);
  std::vector<double> sum(n);
  for (int64_t i = 0; i < m; ++i) {
    std::fill(sum.begin(), sum.end(), 0.0);
    for (int64_t r = 0; r < k; ++r) {
      double x = layer.af[i * k + r];
      const float *wrow = &layer.wf[r * n];
      for (int64_t c = 0; c < n; ++c)
        sum[c] += x * wrow[c];
    }
    for (int64_t c = 0; c < n; ++c)
      layer.outf[i * n + c] = sum[c] + layer.biasf[c];
  }
  return layer;
}

std::string qnn::bench::countMismatches(llvm::ArrayRef<int64_t> got,
                                        llvm::ArrayRef<int64_t> expected,
                                        int64_t tolerance) {
  if (got.size() != expected.size())
    return llvm::formatv("{0} results, expected {1}", got.size(),
                         expected.size())
        .str();
  int64_t bad = 0;
  for (size_t i = 0; i < expected.size(); ++i)
    if (std::llabs(got[i] - expected[i]) > tolerance)
      ++bad;
  if (bad == 0)
    return tolerance == 0 ? "bit-exact" : "within " + std::to_string(tolerance);
  return llvm::formatv("{0} of {1} differ", bad, expected.size()).str();
}

std::string qnn::bench::checkFloat(llvm::ArrayRef<float> got,
                                   const Layer &layer, bool withBias) {
  if (got.size() != layer.outf.size())
    return llvm::formatv("{0} results, expected {1}", got.size(),
                         layer.outf.size())
        .str();
  int64_t n = layer.shape.n;
  double worst = 0.0;
  for (size_t i = 0; i < got.size(); ++i) {
    double expected = layer.outf[i];
    if (!withBias)
      expected -= layer.biasf[i % n];
    // Products of standard deviation ~1.3 summed K times in f32: partial
    // sums ~1.3 sqrt(K), each addition off by up to 6e-8 of that, the
    // errors random: about 1e-7 K in all. Ten times that still tells a
    // wrong result (off by whole products) from rounding.
    double bound = 1e-6 * double(layer.shape.k) + 1e-5 * std::fabs(expected);
    worst = std::max(worst, std::fabs(got[i] - expected) / bound);
  }
  return worst <= 1.0 ? "close"
                      : llvm::formatv("off ({0:f1}x bound)", worst).str();
}

bool qnn::bench::isCorrect(const std::string &verdict) {
  return verdict == "bit-exact" || verdict == "close" ||
         verdict.rfind("within", 0) == 0;
}
