//===- Accumulator.cpp - The int32 accumulator of integer products --------===//

#include "qnn/Quant/Accumulator.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qnn::quantmath {

AccumulatorValue quantizeToAccumulator(double x, double scale,
                                       RoundingMode rounding) {
  if (std::isnan(x))
    return {0, false};
  constexpr auto kMin =
      static_cast<double>(std::numeric_limits<int32_t>::min());
  constexpr auto kMax =
      static_cast<double>(std::numeric_limits<int32_t>::max());
  double rounded = roundToIntegral(x / scale, rounding);
  // Infinity (and any quotient past int32) saturates; both ends are exact
  // in double, so the comparisons are too.
  if (rounded < kMin)
    return {std::numeric_limits<int32_t>::min(), false};
  if (rounded > kMax)
    return {std::numeric_limits<int32_t>::max(), false};
  return {static_cast<int32_t>(rounded), true};
}

bool AccumulatorRange::fitsInt32() const {
  return min >= std::numeric_limits<int32_t>::min() &&
         max <= std::numeric_limits<int32_t>::max();
}

/// a + b, or the int64 end it passes: far outside int32 either way.
static int64_t saturatingAdd(int64_t a, int64_t b) {
  if (std::optional<int64_t> sum = llvm::checkedAdd(a, b))
    return *sum;
  return b < 0 ? std::numeric_limits<int64_t>::min()
               : std::numeric_limits<int64_t>::max();
}

/// a * b, saturated likewise.
static int64_t saturatingMul(int64_t a, int64_t b) {
  if (std::optional<int64_t> product = llvm::checkedMul(a, b))
    return *product;
  return (a < 0) != (b < 0) ? std::numeric_limits<int64_t>::min()
                            : std::numeric_limits<int64_t>::max();
}

/// The most negative and most positive value of a * w for a in
/// [inputMin, inputMax] and w in [weightMin, weightMax]: a product is
/// extreme at a corner of the rectangle.
static std::pair<int64_t, int64_t> productRange(int64_t inputMin,
                                                int64_t inputMax,
                                                int64_t weightMin,
                                                int64_t weightMax) {
  int64_t corners[] = {
      saturatingMul(inputMin, weightMin), saturatingMul(inputMin, weightMax),
      saturatingMul(inputMax, weightMin), saturatingMul(inputMax, weightMax)};
  return {*std::min_element(std::begin(corners), std::end(corners)),
          *std::max_element(std::begin(corners), std::end(corners))};
}

AccumulatorRange dotProductRange(llvm::ArrayRef<int64_t> weights,
                                 int64_t inputMin, int64_t inputMax,
                                 int64_t bias) {
  // Partial sums in any order: at worst every negative term (and a negative
  // bias) and nothing else, or every positive one.
  AccumulatorRange range{std::min<int64_t>(bias, 0),
                         std::max<int64_t>(bias, 0)};
  for (int64_t weight : weights) {
    auto [lo, hi] = productRange(inputMin, inputMax, weight, weight);
    range.min = saturatingAdd(range.min, std::min<int64_t>(lo, 0));
    range.max = saturatingAdd(range.max, std::max<int64_t>(hi, 0));
  }
  return range;
}

AccumulatorRange dotProductRange(int64_t terms, int64_t inputMin,
                                 int64_t inputMax, int64_t weightMin,
                                 int64_t weightMax, int64_t bias) {
  auto [lo, hi] = productRange(inputMin, inputMax, weightMin, weightMax);
  return {saturatingAdd(std::min<int64_t>(bias, 0),
                        saturatingMul(terms, std::min<int64_t>(lo, 0))),
          saturatingAdd(std::max<int64_t>(bias, 0),
                        saturatingMul(terms, std::max<int64_t>(hi, 0)))};
}

} // namespace qnn::quantmath
