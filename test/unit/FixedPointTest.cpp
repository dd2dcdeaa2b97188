//===- FixedPointTest.cpp - Integer rescaling against gemmlowp ------------===//
//
// saturatingRoundingDoublingHighMul and roundingDivideByPOT bit for bit
// against gemmlowp's fixedpoint.h (Debian's libgemmlowp-dev) on edge cases
// and random inputs; multiplyByQuantizedMultiplier bit for bit against
// TFLite's formula built from those gemmlowp functions; quantizeMultiplier
// against the exact-rational reference of quant_reference.py; and the
// accuracy property |x * M - round(x * real)| <= 1 against exact 128-bit
// arithmetic.
//
//===----------------------------------------------------------------------===//

#include "ReferenceData.h"

#include "qnn/Quant/FixedPoint.h"

#include "gemmlowp/fixedpoint/fixedpoint.h"

#include "gtest/gtest.h"

#include <cfloat>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace qnn::quantmath;
using namespace qnn::unittest;

namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

/// INT32_MIN, INT32_MAX and their neighbours, 0, +-1, +-2, +-3, every +-2^k
/// and +-(2^k - 1), +-(2^30 + 1), and +-46341 and +-65537, whose squares just
/// pass 2^31 and 2^32.
std::vector<int32_t> edgeValues() {
  std::vector<int32_t> values = {kMin, kMin + 1, kMax, kMax - 1, 0, 1, -1};
  for (int32_t v : {2, 3, (1 << 30) + 1, 46341, 65537})
    values.insert(values.end(), {v, -v});
  for (int k = 1; k <= 30; ++k) {
    int32_t power = int32_t(1) << k;
    for (int32_t v : {power, -power, power - 1, -(power - 1)})
      values.push_back(v);
  }
  return values;
}

/// TFLite's MultiplyByQuantizedMultiplier written with gemmlowp's functions,
/// for inputs whose left shift fits in int32 (TFLite's precondition).
int32_t tfliteMultiply(int32_t x, int32_t multiplier, int shift) {
  int leftShift = shift > 0 ? shift : 0;
  int rightShift = shift > 0 ? 0 : -shift;
  auto shifted =
      static_cast<int32_t>(static_cast<int64_t>(x) * (int64_t(1) << leftShift));
  return gemmlowp::RoundingDivideByPOT(
      gemmlowp::SaturatingRoundingDoublingHighMul(shifted, multiplier),
      rightShift);
}

bool leftShiftFits(int32_t x, int shift) {
  if (shift <= 0)
    return true;
  int64_t shifted = static_cast<int64_t>(x) * (int64_t(1) << shift);
  return shifted >= kMin && shifted <= kMax;
}

/// round(x * real), half away from zero, in exact arithmetic: real is a
/// 53-bit integer times a power of two, and the product fits in 128 bits.
int64_t exactRoundedProduct(int32_t x, double real) {
  if (real == 0.0 || x == 0)
    return 0;
  int exponent = 0;
  double fraction = std::frexp(real, &exponent);
  auto mantissa = static_cast<int64_t>(std::ldexp(fraction, 53));
  exponent -= 53;
  __int128 product = static_cast<__int128>(x) * mantissa;
  if (exponent >= 0)
    return static_cast<int64_t>(product << exponent);
  int shift = -exponent;
  if (shift >= 100) // |product| < 2^84: the result rounds to 0.
    return 0;
  __int128 magnitude = product < 0 ? -product : product;
  __int128 quotient = magnitude >> shift;
  __int128 remainder = magnitude - (quotient << shift);
  if (remainder >= (static_cast<__int128>(1) << (shift - 1)))
    ++quotient;
  return static_cast<int64_t>(product < 0 ? -quotient : quotient);
}

TEST(FixedPointGemmlowp, SaturatingRoundingDoublingHighMulEdgeCases) {
  std::vector<int32_t> values = edgeValues();
  for (int32_t a : values)
    for (int32_t b : values)
      ASSERT_EQ(saturatingRoundingDoublingHighMul(a, b),
                gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
          << a << " * " << b;
  // The one overflowing product saturates.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, kMin), kMax);
  // Ties (2ab / 2^32 = k + 1/2) go upwards, for negative products too.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(1, 1 << 30), 1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-1, 1 << 30), 0);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-3, 1 << 30), -1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, 1), -1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMax, 1), 1);
}

TEST(FixedPointGemmlowp, SaturatingRoundingDoublingHighMulRandom) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int32_t> any(kMin, kMax), small(-70000, 70000);
  for (int i = 0; i < 300000; ++i) {
    // Full-width operands, and a small one to reach the rounding boundary.
    int32_t a = any(rng), b = i % 4 == 0 ? small(rng) : any(rng);
    ASSERT_EQ(saturatingRoundingDoublingHighMul(a, b),
              gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
        << a << " * " << b;
  }
}

TEST(FixedPointGemmlowp, RoundingDivideByPOTEdgeCases) {
  for (int32_t x : edgeValues())
    for (int exponent = 0; exponent <= 31; ++exponent)
      ASSERT_EQ(roundingDivideByPOT(x, exponent),
                gemmlowp::RoundingDivideByPOT(x, exponent))
          << x << " / 2^" << exponent;
  // Ties go away from zero.
  EXPECT_EQ(roundingDivideByPOT(3, 1), 2);
  EXPECT_EQ(roundingDivideByPOT(-3, 1), -2);
  EXPECT_EQ(roundingDivideByPOT(kMin, 31), -1);
  EXPECT_EQ(roundingDivideByPOT(kMax, 31), 1);
  EXPECT_EQ(roundingDivideByPOT(int32_t(1) << 30, 31), 1);
  EXPECT_EQ(roundingDivideByPOT(-(int32_t(1) << 30), 31), -1);
  EXPECT_EQ(roundingDivideByPOT((int32_t(1) << 30) - 1, 31), 0);
}

TEST(FixedPointGemmlowp, RoundingDivideByPOTRandom) {
  std::mt19937 rng(2);
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  std::uniform_int_distribution<int> exponents(0, 31);
  for (int i = 0; i < 300000; ++i) {
    int32_t x = any(rng);
    int exponent = exponents(rng);
    // Exact ties: x = (2k + 1) * 2^(exponent - 1).
    if (i % 5 == 0 && exponent > 0)
      x = static_cast<int32_t>((static_cast<int64_t>(x >> exponent) * 2 + 1) *
                               (int64_t(1) << (exponent - 1)));
    ASSERT_EQ(roundingDivideByPOT(x, exponent),
              gemmlowp::RoundingDivideByPOT(x, exponent))
        << x << " / 2^" << exponent;
  }
}

TEST(FixedPointGemmlowp, MultiplyByQuantizedMultiplierMatchesTFLite) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> log2Real(-33.0, 31.0);
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  int compared = 0;
  for (int i = 0; i < 300000; ++i) {
    double real = std::exp2(log2Real(rng));
    std::optional<QuantizedMultiplier> m = quantizeMultiplier(real);
    if (!m)
      continue;
    int32_t x = any(rng);
    if (m->shift > 0) // fit the left shift, sometimes with room to spare
      x >>= std::min(m->shift + i % 2, 31);
    ASSERT_TRUE(leftShiftFits(x, m->shift));
    ASSERT_EQ(multiplyByQuantizedMultiplier(x, *m),
              tfliteMultiply(x, m->multiplier, m->shift))
        << x << " * " << m->multiplier << " * 2^(" << m->shift << " - 31)";
    ++compared;
  }
  EXPECT_GT(compared, 290000);
}

TEST(FixedPointGemmlowp, LeftShiftOverflowSaturates) {
  // TFLite leaves an overflowing left shift undefined; the library clamps
  // the shifted value to int32 before the high multiply.
  QuantizedMultiplier four = *quantizeMultiplier(4.0); // 2^30, shift 3
  ASSERT_EQ(four.multiplier, 1 << 30);
  ASSERT_EQ(four.shift, 3);
  for (int32_t x : {int32_t(1) << 28, kMax, int32_t(300000000)})
    EXPECT_EQ(multiplyByQuantizedMultiplier(x, four),
              gemmlowp::SaturatingRoundingDoublingHighMul(kMax, 1 << 30))
        << x;
  for (int32_t x : {-(int32_t(1) << 28) - 1, kMin})
    EXPECT_EQ(multiplyByQuantizedMultiplier(x, four),
              gemmlowp::SaturatingRoundingDoublingHighMul(kMin, 1 << 30))
        << x;
  // Just inside the range nothing saturates.
  EXPECT_EQ(multiplyByQuantizedMultiplier((int32_t(1) << 28) - 1, four),
            ((int32_t(1) << 28) - 1) * 4);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-(int32_t(1) << 28), four),
            -(int32_t(1) << 30));
}

//===----------------------------------------------------------------------===//
// quantizeMultiplier
//===----------------------------------------------------------------------===//

TEST(QuantizeMultiplierReference, MatchesExactRationals) {
  std::optional<llvm::json::Value> root = loadReference("fixed_point.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &cases = getArray(*root, "multipliers");
  ASSERT_GT(cases.size(), 4000u);
  for (const llvm::json::Value &value : cases) {
    const llvm::json::Object &testCase = *value.getAsObject();
    double real = getDouble(testCase, "real");
    SCOPED_TRACE(testing::Message() << "real = " << real);
    std::optional<QuantizedMultiplier> m = quantizeMultiplier(real);
    if (!testCase.getBoolean("valid").value_or(false)) {
      EXPECT_FALSE(m.has_value());
      continue;
    }
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->multiplier, getInt(testCase, "multiplier"));
    EXPECT_EQ(m->shift, getInt(testCase, "shift"));
    if (m->multiplier == 0) {
      EXPECT_EQ(m->shift, 0);
      continue;
    }
    EXPECT_GE(m->multiplier, int32_t(1) << 30);
    EXPECT_LE(m->shift, 31);
    EXPECT_GE(m->shift, -31);
    // 31 significant bits, rounded to nearest.
    EXPECT_LE(std::fabs(m->toDouble() - real), std::ldexp(real, -31));
  }
}

TEST(QuantizeMultiplier, EdgeCases) {
  auto expectPair = [](double real, int32_t multiplier, int shift) {
    std::optional<QuantizedMultiplier> m = quantizeMultiplier(real);
    ASSERT_TRUE(m.has_value()) << real;
    EXPECT_EQ(m->multiplier, multiplier) << real;
    EXPECT_EQ(m->shift, shift) << real;
  };
  expectPair(0.0, 0, 0);
  expectPair(-0.0, 0, 0);
  expectPair(0.5, 1 << 30, 0);
  expectPair(1.0, 1 << 30, 1);
  expectPair(0.75, 3 << 29, 0);
  // A mantissa that rounds up to 2^31 is renormalized.
  expectPair(1.0 - std::ldexp(1.0, -33), 1 << 30, 1);
  expectPair(1.0 - std::ldexp(1.0, -31), kMax, 0);
  // The smallest factor kept, and one that rounds up to it.
  expectPair(std::ldexp(1.0, -32), 1 << 30, -31);
  expectPair(std::ldexp(1.0 - std::ldexp(1.0, -40), -32), 1 << 30, -31);
  // shift < -31: every bit would be shifted out, the factor becomes 0.
  expectPair(std::ldexp(1.0, -33), 0, 0);
  expectPair(std::numeric_limits<double>::denorm_min(), 0, 0);
  expectPair(DBL_MIN, 0, 0);
  // The largest factor representable, and everything from 2^31 up.
  expectPair(2147483647.0, kMax, 31);
  for (double real :
       {2147483648.0, 2147483648.0 - std::ldexp(1.0, -22), 1e300, DBL_MAX})
    EXPECT_FALSE(quantizeMultiplier(real).has_value()) << real;
  for (double real : {-1.0, -1e-300, -std::numeric_limits<double>::infinity(),
                      std::numeric_limits<double>::infinity(),
                      std::numeric_limits<double>::quiet_NaN()})
    EXPECT_FALSE(quantizeMultiplier(real).has_value()) << real;
}

TEST(QuantizeMultiplier, ToDouble) {
  EXPECT_EQ((QuantizedMultiplier{1 << 30, 0}.toDouble()), 0.5);
  EXPECT_EQ((QuantizedMultiplier{1 << 30, -31}.toDouble()),
            std::ldexp(1.0, -32));
  EXPECT_EQ((QuantizedMultiplier{kMax, 31}.toDouble()), 2147483647.0);
  EXPECT_EQ((QuantizedMultiplier{0, 0}.toDouble()), 0.0);
}

//===----------------------------------------------------------------------===//
// multiplyByQuantizedMultiplier: |result - round(x * real)| <= 1
//===----------------------------------------------------------------------===//

TEST(MultiplyByQuantizedMultiplierReference, WithinOneOfExactRationals) {
  std::optional<llvm::json::Value> root = loadReference("fixed_point.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &cases = getArray(*root, "products");
  ASSERT_GT(cases.size(), 10000u);
  for (const llvm::json::Value &value : cases) {
    const llvm::json::Object &testCase = *value.getAsObject();
    auto x = static_cast<int32_t>(getInt(testCase, "x"));
    double real = getDouble(testCase, "real");
    std::optional<QuantizedMultiplier> m = quantizeMultiplier(real);
    ASSERT_TRUE(m.has_value()) << real;
    int64_t got = multiplyByQuantizedMultiplier(x, *m);
    int64_t expected = getInt(testCase, "rounded");
    ASSERT_LE(std::abs(got - expected), 1)
        << x << " * " << real << ": got " << got << ", exact " << expected;
  }
}

TEST(MultiplyByQuantizedMultiplier, WithinOneOfExactProducts) {
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> log2Real(-32.0, 31.0);
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  int exact = 0;
  const int trials = 300000;
  for (int i = 0; i < trials; ++i) {
    double real = std::exp2(log2Real(rng));
    std::optional<QuantizedMultiplier> m = quantizeMultiplier(real);
    if (!m)
      continue;
    // Keep the left shift and the product inside int32.
    double bound = std::min(std::ldexp(double(kMax), -std::max(m->shift, 0)),
                            (double(kMax) - 1) / real);
    auto limit = static_cast<int32_t>(std::floor(bound));
    int32_t x = static_cast<int32_t>(any(rng) % (int64_t(limit) + 1));
    int64_t expected = exactRoundedProduct(x, real);
    int64_t got = multiplyByQuantizedMultiplier(x, *m);
    ASSERT_LE(std::abs(got - expected), 1)
        << x << " * " << real << ": got " << got << ", exact " << expected;
    exact += got == expected;
  }
  // The double rounding is off by one only near ties.
  EXPECT_GT(exact, trials * 9 / 10);
}

TEST(MultiplyByQuantizedMultiplier, EdgeCases) {
  // A zero multiplier (real 0 or below 2^-32) gives 0 for every input.
  for (double real : {0.0, std::ldexp(1.0, -40)}) {
    QuantizedMultiplier m = *quantizeMultiplier(real);
    for (int32_t x : edgeValues())
      EXPECT_EQ(multiplyByQuantizedMultiplier(x, m), 0) << x;
  }
  // Identity where nothing saturates.
  QuantizedMultiplier one = *quantizeMultiplier(1.0);
  for (int32_t x : {0, 1, -1, 12345, -12345, (1 << 30) - 1, -(1 << 30)})
    EXPECT_EQ(multiplyByQuantizedMultiplier(x, one), x);
  // Halving: the high multiply rounds ties upwards (gemmlowp's nudge), not
  // away from zero.
  QuantizedMultiplier half = *quantizeMultiplier(0.5);
  ASSERT_EQ(half.shift, 0);
  EXPECT_EQ(multiplyByQuantizedMultiplier(1, half), 1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-1, half), 0);
  EXPECT_EQ(multiplyByQuantizedMultiplier(3, half), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-3, half), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(-4, half), -2);
  // The smallest kept factor, 2^-32: the two roundings take INT32_MAX / 2^32,
  // just below one half, up to 1.
  QuantizedMultiplier tiny = *quantizeMultiplier(std::ldexp(1.0, -32));
  EXPECT_EQ(multiplyByQuantizedMultiplier(kMax, tiny), 1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(kMin, tiny), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(1 << 30, tiny), 0);
}

} // namespace
