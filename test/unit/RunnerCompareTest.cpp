//===- RunnerCompareTest.cpp - Eval figures and latency summaries ---------===//

#include "qnn/Runner/Compare.h"
#include "qnn/Runner/Latency.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace qnn::runner;

namespace {

Array floats(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<float> values) {
  Array array(DType::Float32, shape);
  EXPECT_EQ(array.numElements(), static_cast<int64_t>(values.size()));
  std::copy(values.begin(), values.end(), array.values<float>().begin());
  return array;
}

TEST(RunnerCompare, Top1IsNumpysArgmax) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Ties go to the first maximum; a NaN wins, as in numpy.
  Array logits = floats({4, 3}, {0, 2, 2, -1, -3, -2, 5, nan, 7, 1, 1, 1});
  EXPECT_EQ(top1(logits), (std::vector<int64_t>{1, 0, 1, 0}));
  // Over every non-leading dimension (flattened).
  Array maps = floats({2, 2, 2}, {0, 0, 0, 9, 8, 0, 0, 0});
  EXPECT_EQ(top1(maps), (std::vector<int64_t>{3, 0}));
}

TEST(RunnerCompare, ErrorSqnrAgreementAndAccuracy) {
  Array reference = floats({3, 2}, {1, 0, 0, 2, 3, 1});
  Array candidate = floats({3, 2}, {1, 0.5f, 0, 2, 0.5f, 1});
  std::vector<int64_t> labels = {0, 1, 1};
  auto comparison = compareOutput("logits", reference, candidate, &labels);
  ASSERT_TRUE(!!comparison) << llvm::toString(comparison.takeError());
  EXPECT_EQ(comparison->name, "logits");
  EXPECT_EQ(comparison->samples, 3);
  EXPECT_DOUBLE_EQ(comparison->maxAbsError, 2.5);
  EXPECT_DOUBLE_EQ(comparison->meanAbsError, 3.0 / 6);
  // sum ref^2 = 15, sum err^2 = 0.25 + 6.25 = 6.5.
  EXPECT_NEAR(comparison->sqnrDb, 10 * std::log10(15 / 6.5), 1e-12);
  // top-1: reference 0, 1, 0; candidate 0, 1, 1.
  EXPECT_DOUBLE_EQ(*comparison->top1Agreement, 2.0 / 3);
  EXPECT_DOUBLE_EQ(*comparison->referenceAccuracy, 2.0 / 3);
  EXPECT_DOUBLE_EQ(*comparison->candidateAccuracy, 1.0);
}

TEST(RunnerCompare, IdenticalOutputsHaveInfiniteSqnr) {
  Array a = floats({2, 2}, {1, 2, 3, 4});
  auto comparison = compareOutput("y", a, a);
  ASSERT_TRUE(!!comparison);
  EXPECT_TRUE(std::isinf(comparison->sqnrDb));
  EXPECT_FALSE(comparison->referenceAccuracy.has_value());
  EvalReport report;
  report.outputs.push_back(*comparison);
  std::string json;
  llvm::raw_string_ostream(json) << toJSON(report);
  EXPECT_NE(json.find("\"sqnr_db\":\"inf\""), std::string::npos) << json;
}

TEST(RunnerCompare, RankOneOutputsHaveNoTop1) {
  Array a = floats({3}, {1, 2, 3});
  auto comparison = compareOutput("y", a, a);
  ASSERT_TRUE(!!comparison);
  EXPECT_FALSE(comparison->top1Agreement.has_value());
}

TEST(RunnerCompare, Errors) {
  auto mismatch = compareOutput("y", floats({2}, {1, 2}), floats({1}, {1}));
  ASSERT_FALSE(!!mismatch);
  EXPECT_EQ(llvm::toString(mismatch.takeError()),
            "y: cannot compare a 1 float32 output with a 2 float32 one");

  Array labels(DType::Float32, {3});
  auto floatLabels = labelsOf(labels, 3, "l.npy");
  ASSERT_FALSE(!!floatLabels);
  EXPECT_EQ(llvm::toString(floatLabels.takeError()),
            "l.npy: labels must be integers, not float32");
  auto count = labelsOf(Array(DType::Int64, {4}), 3, "l.npy");
  ASSERT_FALSE(!!count);
  EXPECT_EQ(llvm::toString(count.takeError()), "l.npy: 4 labels for 3 samples");
  auto column = labelsOf(Array(DType::UInt8, {3, 1}), 3, "l.npy");
  ASSERT_TRUE(!!column);
  EXPECT_EQ(column->size(), 3u);
}

TEST(RunnerLatency, PercentilesInterpolateAsNumpy) {
  // numpy.percentile(range(1, 11), [10, 50, 90]) = 1.9, 5.5, 9.1.
  std::vector<double> times = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  LatencyStats stats = summarizeLatencies(times);
  EXPECT_EQ(stats.runs, 10);
  EXPECT_DOUBLE_EQ(stats.p10, 1.9);
  EXPECT_DOUBLE_EQ(stats.median, 5.5);
  EXPECT_DOUBLE_EQ(stats.p90, 9.1);
  EXPECT_EQ(stats.min, 1);
  EXPECT_EQ(stats.max, 10);
  EXPECT_EQ(summarizeLatencies({}).runs, 0);
  EXPECT_EQ(summarizeLatencies({3.0}).median, 3.0);
}

} // namespace
