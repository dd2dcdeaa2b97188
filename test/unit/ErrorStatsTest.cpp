//===- ErrorStatsTest.cpp - Error statistics against numpy ----------------===//
//
// computeErrorStats against numpy (float64 with exactly rounded sums) for
// random and quantized data, and the special values of the contract: SQNR
// +inf when lossless, -inf when the reference is all zero but the
// approximation is not, and NaN that no statistic hides.
//
//===----------------------------------------------------------------------===//

#include "ReferenceData.h"

#include "qnn/Quant/ErrorStats.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace qnn::quantmath;
using namespace qnn::unittest;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(ErrorStatsReference, MatchesNumpy) {
  std::optional<llvm::json::Value> root = loadReference("error_stats.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &cases = getArray(*root, "cases");
  ASSERT_GE(cases.size(), 15u);
  for (const llvm::json::Value &value : cases) {
    const llvm::json::Object &testCase = *value.getAsObject();
    SCOPED_TRACE(getString(testCase, "name"));
    std::vector<float> reference = toFloats(getArray(testCase, "reference"));
    std::vector<float> approx = toFloats(getArray(testCase, "approx"));
    const llvm::json::Object *expected = testCase.getObject("expected");
    ASSERT_TRUE(expected);

    ErrorStats stats = computeErrorStats(reference, approx);
    EXPECT_EQ(stats.count, getInt(*expected, "count"));
    // The maximum is one of the errors, exact in double: no tolerance.
    EXPECT_TRUE(sameValue(getDouble(*expected, "max_abs"), stats.maxAbs))
        << getDouble(*expected, "max_abs") << " vs " << stats.maxAbs;
    // Sums: numpy's are exactly rounded, the library's sequential; 10^4
    // terms cost at most ~10^4 ulps.
    EXPECT_TRUE(
        closeValue(getDouble(*expected, "mean_abs"), stats.meanAbs, 1e-11))
        << getDouble(*expected, "mean_abs") << " vs " << stats.meanAbs;
    EXPECT_TRUE(closeValue(getDouble(*expected, "mse"), stats.mse, 1e-11))
        << getDouble(*expected, "mse") << " vs " << stats.mse;
    EXPECT_TRUE(
        closeValue(getDouble(*expected, "sqnr_db"), stats.sqnrDb, 1e-11))
        << getDouble(*expected, "sqnr_db") << " vs " << stats.sqnrDb;
  }
}

TEST(ErrorStats, LosslessIsPlusInfinity) {
  const std::vector<float> w = {0.5f, -1.25f, 3.0f};
  ErrorStats stats = computeErrorStats(w, w);
  EXPECT_EQ(stats.count, 3);
  EXPECT_EQ(stats.maxAbs, 0.0);
  EXPECT_EQ(stats.meanAbs, 0.0);
  EXPECT_EQ(stats.mse, 0.0);
  EXPECT_EQ(stats.sqnrDb, kInf);
  // An all-zero tensor quantized exactly is lossless too.
  const std::vector<float> zeros(4, 0.0f);
  EXPECT_EQ(computeErrorStats(zeros, zeros).sqnrDb, kInf);
}

TEST(ErrorStats, ZeroReferenceWithErrorIsMinusInfinity) {
  const std::vector<float> zeros(3, 0.0f), approx = {0.0f, 0.25f, 0.0f};
  ErrorStats stats = computeErrorStats(zeros, approx);
  EXPECT_EQ(stats.sqnrDb, -kInf);
  EXPECT_EQ(stats.maxAbs, 0.25);
  EXPECT_DOUBLE_EQ(stats.meanAbs, 0.25 / 3);
  EXPECT_DOUBLE_EQ(stats.mse, 0.0625 / 3);
}

TEST(ErrorStats, ErrorIsApproxMinusReference) {
  // Signed W_hat - W does not show in the absolute statistics, but SQNR
  // uses the reference as the signal: swapping the arguments changes it.
  const std::vector<float> w = {1.0f, 2.0f}, wHat = {1.5f, 2.0f};
  ErrorStats stats = computeErrorStats(w, wHat);
  EXPECT_EQ(stats.maxAbs, 0.5);
  EXPECT_DOUBLE_EQ(stats.sqnrDb, 10.0 * std::log10(5.0 / 0.25));
  EXPECT_DOUBLE_EQ(computeErrorStats(wHat, w).sqnrDb,
                   10.0 * std::log10(6.25 / 0.25));
}

TEST(ErrorStats, Empty) {
  ErrorStats stats = computeErrorStats({}, {});
  EXPECT_EQ(stats.count, 0);
  EXPECT_EQ(stats.maxAbs, 0.0);
  EXPECT_EQ(stats.meanAbs, 0.0);
  EXPECT_EQ(stats.mse, 0.0);
  EXPECT_EQ(stats.sqnrDb, kInf);
}

TEST(ErrorStats, NaNIsNotHidden) {
  // A NaN error anywhere makes every statistic NaN, the maximum included,
  // and regardless of where it is.
  for (size_t where = 0; where < 3; ++where) {
    std::vector<float> w = {1.0f, 2.0f, 3.0f}, wHat = w;
    wHat[where] = kNaN;
    ErrorStats stats = computeErrorStats(w, wHat);
    EXPECT_TRUE(std::isnan(stats.maxAbs)) << where;
    EXPECT_TRUE(std::isnan(stats.meanAbs)) << where;
    EXPECT_TRUE(std::isnan(stats.mse)) << where;
    EXPECT_TRUE(std::isnan(stats.sqnrDb)) << where;
  }
  const std::vector<float> zeros(2, 0.0f), nanApprox = {kNaN, 0.0f};
  EXPECT_TRUE(std::isnan(computeErrorStats(zeros, nanApprox).sqnrDb));
}

} // namespace
