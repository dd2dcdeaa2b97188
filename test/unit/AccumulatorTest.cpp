//===- AccumulatorTest.cpp - int32 bias and accumulator range vs numpy ----===//
//
// quantizeToAccumulator (a real bias on the int32 grid of s_in * s_w) and
// dotProductRange (the bound qnn-fuse uses to prove that a fold cannot
// overflow int32) against quant_reference.py: ties in both roundings, both
// ends of int32, NaN and infinities; ranges of u8, i8, i16 and one-sided
// inputs, and the K at which 255 * 127 products stop fitting.
//
//===----------------------------------------------------------------------===//

#include "ReferenceData.h"

#include "qnn/Quant/Accumulator.h"

#include "gtest/gtest.h"

#include <limits>
#include <vector>

using namespace qnn::quantmath;
using namespace qnn::unittest;

namespace {

TEST(AccumulatorReference, QuantizeMatchesNumpy) {
  std::optional<llvm::json::Value> root = loadReference("accumulator.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &values = getArray(*root, "values");
  ASSERT_GT(values.size(), 500u);
  for (const llvm::json::Value &value : values) {
    const llvm::json::Object &testCase = *value.getAsObject();
    double x = toDouble(*testCase.get("x"));
    double scale = getDouble(testCase, "scale");
    for (RoundingMode rounding :
         {RoundingMode::HalfToEven, RoundingMode::HalfAwayFromZero}) {
      const llvm::json::Object *expected =
          testCase.getObject(stringifyRoundingMode(rounding));
      ASSERT_TRUE(expected);
      AccumulatorValue got = quantizeToAccumulator(x, scale, rounding);
      EXPECT_EQ(got.value, getInt(*expected, "value"))
          << "x = " << x << ", scale = " << scale << ", "
          << stringifyRoundingMode(rounding).str();
      EXPECT_EQ(got.exact, expected->getBoolean("exact").value_or(true))
          << "x = " << x << ", scale = " << scale;
    }
  }
}

TEST(AccumulatorReference, RangeMatchesNumpy) {
  std::optional<llvm::json::Value> root = loadReference("accumulator.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &ranges = getArray(*root, "ranges");
  ASSERT_GT(ranges.size(), 50u);
  for (const llvm::json::Value &value : ranges) {
    const llvm::json::Object &testCase = *value.getAsObject();
    int64_t inputMin = getInt(testCase, "input_min");
    int64_t inputMax = getInt(testCase, "input_max");
    int64_t bias = getInt(testCase, "bias");
    AccumulatorRange got;
    if (testCase.get("weights")) {
      std::vector<int64_t> weights = toInts(getArray(testCase, "weights"));
      got = dotProductRange(weights, inputMin, inputMax, bias);
    } else {
      got = dotProductRange(getInt(testCase, "terms"), inputMin, inputMax,
                            getInt(testCase, "weight_min"),
                            getInt(testCase, "weight_max"), bias);
    }
    EXPECT_EQ(got.min, getInt(testCase, "min"));
    EXPECT_EQ(got.max, getInt(testCase, "max"));
    EXPECT_EQ(got.fitsInt32(), testCase.getBoolean("fits").value_or(false));
  }
}

TEST(Accumulator, SeedStyleBias) {
  // A bias of 0.5 on s_in * s_w = 0.02 * 0.0039 = 7.8e-5 is 6410.256...
  double scale = static_cast<double>(0.02f) * static_cast<double>(0.0039f);
  AccumulatorValue q =
      quantizeToAccumulator(0.5, scale, RoundingMode::HalfToEven);
  EXPECT_TRUE(q.exact);
  EXPECT_EQ(q.value, 6410);
}

TEST(Accumulator, SaturatesAndReportsIt) {
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  AccumulatorValue big = quantizeToAccumulator(
      std::numeric_limits<float>::infinity(), 1.0, RoundingMode::HalfToEven);
  EXPECT_EQ(big.value, kMax);
  EXPECT_FALSE(big.exact);
  AccumulatorValue low =
      quantizeToAccumulator(-3e9, 1.0, RoundingMode::HalfAwayFromZero);
  EXPECT_EQ(low.value, kMin);
  EXPECT_FALSE(low.exact);
  // INT32_MIN itself is representable; 2^31 - 0.5 is a tie that rounds to
  // the even 2^31, past INT32_MAX.
  EXPECT_TRUE(
      quantizeToAccumulator(-2147483648.0, 1.0, RoundingMode::HalfToEven)
          .exact);
  EXPECT_FALSE(
      quantizeToAccumulator(2147483647.5, 1.0, RoundingMode::HalfToEven).exact);
  AccumulatorValue nan = quantizeToAccumulator(
      std::numeric_limits<double>::quiet_NaN(), 1.0, RoundingMode::HalfToEven);
  EXPECT_EQ(nan.value, 0);
  EXPECT_FALSE(nan.exact);
}

TEST(Accumulator, RangeOfEveryPartialSum) {
  // u8 inputs times {2, -3}: positive terms reach 510, negative -765; the
  // bias -10 is a partial sum on its own.
  AccumulatorRange range = dotProductRange({2, -3}, 0, 255, -10);
  EXPECT_EQ(range.min, -775);
  EXPECT_EQ(range.max, 510);
  EXPECT_TRUE(range.fitsInt32());
  // 66,400 products of 255 * 127 pass 2^31 - 1; 66,000 do not.
  EXPECT_FALSE(dotProductRange(66400, 0, 255, -127, 127, 0).fitsInt32());
  EXPECT_TRUE(dotProductRange(66000, 0, 255, -127, 127, 0).fitsInt32());
  // Past int64 the ends saturate instead of wrapping around into int32.
  constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
  AccumulatorRange huge = dotProductRange(int64_t(1) << 40, -(int64_t(1) << 31),
                                          int64_t(1) << 31, -65536, 65536, 0);
  EXPECT_EQ(huge.min, kMin64);
  EXPECT_EQ(huge.max, kMax64);
  EXPECT_FALSE(huge.fitsInt32());
  std::vector<int64_t> big(4, int64_t(1) << 62);
  AccumulatorRange summed = dotProductRange(big, -1, 1, 0);
  EXPECT_EQ(summed.min, kMin64);
  EXPECT_EQ(summed.max, kMax64);
}

} // namespace
