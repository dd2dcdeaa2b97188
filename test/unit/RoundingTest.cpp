//===- RoundingTest.cpp - Rounding modes against numpy --------------------===//
//
// roundToIntegral against numpy's rint (ties to even) and a trunc-based
// half-away-from-zero rule, for float and double, plus the properties numpy
// cannot show: independence from the thread's FP rounding mode, non-finite
// inputs, and the spellings used in IR and reports.
//
//===----------------------------------------------------------------------===//

#include "ReferenceData.h"

#include "qnn/Quant/Rounding.h"

#include "gtest/gtest.h"

#include <cfenv>
#include <cmath>
#include <iterator>
#include <limits>

using namespace qnn::quantmath;
using namespace qnn::unittest;

namespace {

template <typename Float>
void expectMatchesReference(const llvm::json::Object &table) {
  std::vector<double> inputs = toDoubles(getArray(table, "x"));
  std::vector<double> toEven = toDoubles(getArray(table, "half_to_even"));
  std::vector<double> away = toDoubles(getArray(table, "half_away_from_zero"));
  ASSERT_EQ(inputs.size(), toEven.size());
  ASSERT_EQ(inputs.size(), away.size());
  ASSERT_GT(inputs.size(), 500u);
  for (size_t i = 0; i < inputs.size(); ++i) {
    Float x = static_cast<Float>(inputs[i]);
    EXPECT_EQ(roundToIntegral(x, RoundingMode::HalfToEven),
              static_cast<Float>(toEven[i]))
        << "x = " << x;
    EXPECT_EQ(roundToIntegral(x, RoundingMode::HalfAwayFromZero),
              static_cast<Float>(away[i]))
        << "x = " << x;
  }
}

TEST(RoundingReference, FloatMatchesNumpy) {
  std::optional<llvm::json::Value> root = loadReference("rounding.json");
  ASSERT_TRUE(root);
  const llvm::json::Object *table = root->getAsObject()->getObject("float");
  ASSERT_TRUE(table);
  expectMatchesReference<float>(*table);
}

TEST(RoundingReference, DoubleMatchesNumpy) {
  std::optional<llvm::json::Value> root = loadReference("rounding.json");
  ASSERT_TRUE(root);
  const llvm::json::Object *table = root->getAsObject()->getObject("double");
  ASSERT_TRUE(table);
  expectMatchesReference<double>(*table);
}

TEST(Rounding, TiesDifferBetweenModes) {
  struct Tie {
    float x, toEven, away;
  };
  const Tie ties[] = {{0.5f, 0.0f, 1.0f},
                      {-0.5f, 0.0f, -1.0f},
                      {1.5f, 2.0f, 2.0f},
                      {2.5f, 2.0f, 3.0f},
                      {-2.5f, -2.0f, -3.0f},
                      {-3.5f, -4.0f, -4.0f},
                      {126.5f, 126.0f, 127.0f},
                      {-127.5f, -128.0f, -128.0f},
                      {4194304.5f, 4194304.0f, 4194305.0f}};
  for (const Tie &tie : ties) {
    EXPECT_EQ(roundToIntegral(tie.x, RoundingMode::HalfToEven), tie.toEven)
        << tie.x;
    EXPECT_EQ(roundToIntegral(tie.x, RoundingMode::HalfAwayFromZero), tie.away)
        << tie.x;
    EXPECT_EQ(roundToIntegral(double(tie.x), RoundingMode::HalfToEven),
              double(tie.toEven));
    EXPECT_EQ(roundToIntegral(double(tie.x), RoundingMode::HalfAwayFromZero),
              double(tie.away));
  }
  // The float just below one half is not a tie; x + 0.5 would round it up.
  EXPECT_EQ(roundToIntegral(0.49999997f, RoundingMode::HalfAwayFromZero), 0.0f);
  EXPECT_EQ(roundToIntegral(0.49999999999999994, RoundingMode::HalfToEven),
            0.0);
}

// A host program may change the thread's rounding mode; the library decides
// ties itself, so its results must not move.
TEST(Rounding, IgnoresTheThreadRoundingMode) {
  const float inputs[] = {0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 0.7f, -0.7f, 3.2f};
  std::vector<float> expected[2];
  for (float x : inputs) {
    expected[0].push_back(roundToIntegral(x, RoundingMode::HalfToEven));
    expected[1].push_back(roundToIntegral(x, RoundingMode::HalfAwayFromZero));
  }
  const int previous = std::fegetround();
  for (int mode : {FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO}) {
    ASSERT_EQ(std::fesetround(mode), 0);
    for (size_t i = 0; i < std::size(inputs); ++i) {
      // volatile: keep the compiler from folding the call at compile time
      // under the default rounding mode.
      volatile float x = inputs[i];
      EXPECT_EQ(roundToIntegral(x, RoundingMode::HalfToEven), expected[0][i])
          << "x = " << inputs[i] << ", mode " << mode;
      EXPECT_EQ(roundToIntegral(x, RoundingMode::HalfAwayFromZero),
                expected[1][i])
          << "x = " << inputs[i] << ", mode " << mode;
    }
  }
  std::fesetround(previous);
}

TEST(Rounding, NonFiniteInputsAreReturnedUnchanged) {
  constexpr float inf = std::numeric_limits<float>::infinity();
  for (RoundingMode mode :
       {RoundingMode::HalfToEven, RoundingMode::HalfAwayFromZero}) {
    EXPECT_EQ(roundToIntegral(inf, mode), inf);
    EXPECT_EQ(roundToIntegral(-inf, mode), -inf);
    EXPECT_TRUE(std::isnan(
        roundToIntegral(std::numeric_limits<float>::quiet_NaN(), mode)));
    EXPECT_EQ(roundToIntegral(double(inf), mode), double(inf));
    EXPECT_TRUE(std::isnan(
        roundToIntegral(std::numeric_limits<double>::quiet_NaN(), mode)));
  }
}

TEST(Rounding, Spellings) {
  for (RoundingMode mode :
       {RoundingMode::HalfToEven, RoundingMode::HalfAwayFromZero})
    EXPECT_EQ(symbolizeRoundingMode(stringifyRoundingMode(mode)), mode);
  EXPECT_EQ(stringifyRoundingMode(RoundingMode::HalfToEven), "half_to_even");
  EXPECT_EQ(stringifyRoundingMode(RoundingMode::HalfAwayFromZero),
            "half_away_from_zero");
  EXPECT_EQ(symbolizeRoundingMode("nearest"), std::nullopt);
  EXPECT_EQ(symbolizeRoundingMode(""), std::nullopt);
}

} // namespace
