//===- CalibrationTest.cpp - Calibration methods against their peers ------===//
//
// Histograms and the MSE search against torch.ao's HistogramObserver run on
// the same batches (bit for bit), the moving averages against
// MovingAverageMinMaxObserver, the entropy search against a numpy
// transcription of ONNX Runtime's get_entropy_threshold on the same
// histograms, percentiles against a numpy inversion of the same CDF and
// against the data's order statistics (numpy.percentile); then
// accumulation, merging and the errors of chooseRange.
//
//===----------------------------------------------------------------------===//

#include "ReferenceData.h"

#include "qnn/Quant/Calibration.h"
#include "qnn/Quant/HistogramCalibration.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <numeric>

using namespace qnn::quantmath;
using namespace qnn::unittest;

namespace {

Histogram getHistogram(const llvm::json::Object &testCase) {
  const llvm::json::Object *object = testCase.getObject("histogram");
  if (!object) {
    ADD_FAILURE() << "reference case has no histogram";
    return {};
  }
  Histogram histogram;
  histogram.min = static_cast<float>(getDouble(*object, "min"));
  histogram.max = static_cast<float>(getDouble(*object, "max"));
  histogram.counts = toDoubles(getArray(*object, "counts"));
  return histogram;
}

std::vector<std::vector<float>> getBatches(const llvm::json::Object &testCase) {
  std::vector<std::vector<float>> batches;
  for (const llvm::json::Value &batch : getArray(testCase, "batches"))
    batches.push_back(toFloats(*batch.getAsArray()));
  return batches;
}

std::vector<float> toFloatVector(llvm::ArrayRef<double> values) {
  return std::vector<float>(values.begin(), values.end());
}

/// torch.ao HistogramObserver: the same batches give the same histogram, the
/// same `_non_linear_param_search` range and the same qparams.
TEST(HistogramCalibration, MatchesTorchHistogramObserver) {
  std::optional<llvm::json::Value> root = loadReference("calibration.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &cases = getArray(*root, "histogram");
  ASSERT_GE(cases.size(), 20u);
  for (const llvm::json::Value &value : cases) {
    const llvm::json::Object &testCase = *value.getAsObject();
    SCOPED_TRACE(getString(testCase, "name"));
    QuantSpec spec = getSpec(testCase);
    Histogram expected = getHistogram(testCase);

    CalibrationOptions options;
    options.method = CalibrationMethod::MSE;
    ActivationStatistics statistics;
    for (const std::vector<float> &batch : getBatches(testCase))
      accumulate(statistics, batch, options, /*keepHistogram=*/true);
    ASSERT_TRUE(statistics.histogram);
    const Histogram &histogram = *statistics.histogram;
    EXPECT_EQ(histogram.min, expected.min);
    EXPECT_EQ(histogram.max, expected.max);
    EXPECT_TRUE(sameFloats(toFloatVector(expected.counts),
                           toFloatVector(histogram.counts)));

    std::vector<double> range = toDoubles(getArray(testCase, "range"));
    std::pair<float, float> chosen = mseRange(histogram, 256);
    EXPECT_EQ(chosen.first, static_cast<float>(range[0]));
    EXPECT_EQ(chosen.second, static_cast<float>(range[1]));

    llvm::Expected<std::pair<float, float>> fromStatistics =
        chooseRange(statistics, spec, options);
    ASSERT_TRUE(static_cast<bool>(fromStatistics))
        << llvm::toString(fromStatistics.takeError());
    EXPECT_EQ(*fromStatistics, chosen);
    QuantParams params =
        chooseQuantParams(fromStatistics->first, fromStatistics->second, spec);
    EXPECT_EQ(params.scale, static_cast<float>(getDouble(testCase, "scale")));
    EXPECT_EQ(params.zeroPoint, getInt(testCase, "zero_point"));
  }
}

/// MovingAverageMinMaxObserver(averaging_constant=0.01).
TEST(MovingAverageCalibration, MatchesTorchObserver) {
  std::optional<llvm::json::Value> root = loadReference("calibration.json");
  ASSERT_TRUE(root);
  for (const llvm::json::Value &value : getArray(*root, "moving_average")) {
    const llvm::json::Object &testCase = *value.getAsObject();
    SCOPED_TRACE(getString(testCase, "name"));
    QuantSpec spec = getSpec(testCase);
    CalibrationOptions options;
    options.method = CalibrationMethod::MovingAverage;
    ActivationStatistics statistics;
    std::vector<std::vector<float>> batches = getBatches(testCase);
    for (const std::vector<float> &batch : batches)
      accumulate(statistics, batch, options, /*keepHistogram=*/false);
    EXPECT_EQ(statistics.batches, static_cast<int64_t>(batches.size()));
    EXPECT_EQ(statistics.movingMin,
              static_cast<float>(getDouble(testCase, "moving_min")));
    EXPECT_EQ(statistics.movingMax,
              static_cast<float>(getDouble(testCase, "moving_max")));
    llvm::Expected<std::pair<float, float>> range =
        chooseRange(statistics, spec, options);
    ASSERT_TRUE(static_cast<bool>(range)) << llvm::toString(range.takeError());
    QuantParams params = chooseQuantParams(range->first, range->second, spec);
    EXPECT_EQ(params.scale, static_cast<float>(getDouble(testCase, "scale")));
    EXPECT_EQ(params.zeroPoint, getInt(testCase, "zero_point"));
  }
}

/// The same CDF inverted by numpy (to float rounding: both invert in
/// double, in different orders), and within a bin of the data's order
/// statistics around the percentile (numpy.percentile's "lower" and
/// "higher").
TEST(PercentileCalibration, MatchesNumpy) {
  std::optional<llvm::json::Value> root = loadReference("calibration.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &cases = getArray(*root, "percentile");
  ASSERT_GE(cases.size(), 50u);
  for (const llvm::json::Value &value : cases) {
    const llvm::json::Object &testCase = *value.getAsObject();
    SCOPED_TRACE(getString(testCase, "name"));
    Histogram histogram = getHistogram(testCase);
    double percentile = getDouble(testCase, "percentile");
    bool symmetric = testCase.getBoolean("symmetric").value_or(false);
    std::pair<float, float> range =
        percentileRange(histogram, percentile, symmetric);
    std::vector<double> expected = toDoubles(getArray(testCase, "range"));
    double binWidth = getDouble(testCase, "bin_width");
    // Both are float32 roundings of the same point computed in double.
    EXPECT_NEAR(range.first, expected[0],
                1e-6 * binWidth + 1e-7 * std::fabs(expected[0]));
    EXPECT_NEAR(range.second, expected[1],
                1e-6 * binWidth + 1e-7 * std::fabs(expected[1]));
    // numpy.percentile interpolates between the order statistics around
    // the percentile; the histogram's answer lies in the bins between them.
    std::vector<double> order =
        toDoubles(getArray(testCase, "order_statistics"));
    double slack = binWidth * (1 + 1e-6);
    EXPECT_GE(range.first, order[0] - slack);
    EXPECT_LE(range.first, order[1] + slack);
    EXPECT_GE(range.second, order[2] - slack);
    EXPECT_LE(range.second, order[3] + slack);
  }
}

/// ONNX Runtime's get_entropy_threshold (numpy transcription) on the same
/// histograms: the same window wins, with the same thresholds; the
/// divergences agree to float32 precision (ORT normalizes and sums in
/// float32, qnn-mlir in double).
TEST(EntropyCalibration, MatchesOnnxRuntime) {
  std::optional<llvm::json::Value> root = loadReference("calibration.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &cases = getArray(*root, "entropy");
  ASSERT_GE(cases.size(), 10u);
  for (const llvm::json::Value &value : cases) {
    const llvm::json::Object &testCase = *value.getAsObject();
    SCOPED_TRACE(getString(testCase, "name"));
    Histogram histogram = getHistogram(testCase);
    int64_t quantizedBins = getInt(testCase, "quantized_bins");
    EntropySearch search = entropySearch(histogram, quantizedBins);
    std::vector<double> divergences =
        toDoubles(getArray(testCase, "divergences"));
    ASSERT_EQ(search.divergences.size(), divergences.size());
    for (auto [i, pair] :
         llvm::enumerate(llvm::zip(divergences, search.divergences))) {
      auto [expected, actual] = pair;
      EXPECT_TRUE(closeValue(expected, actual, 2e-4) ||
                  std::fabs(expected - actual) < 2e-6)
          << "candidate " << i << ": expected " << expected << ", got "
          << actual;
    }
    EXPECT_EQ(search.index, getInt(testCase, "index"));

    auto dataMin = static_cast<float>(getDouble(testCase, "data_min"));
    auto dataMax = static_cast<float>(getDouble(testCase, "data_max"));
    std::vector<double> range = toDoubles(getArray(testCase, "range"));
    std::pair<float, float> chosen =
        entropyRange(histogram, quantizedBins, dataMin, dataMax);
    EXPECT_EQ(chosen.first, static_cast<float>(range[0]));
    EXPECT_EQ(chosen.second, static_cast<float>(range[1]));
  }
}

TEST(Histogram, HistcBinsLikeTorch) {
  // (x - min) * bins / (max - min) truncated; max in the last bin; values
  // outside ignored; an empty range puts everything in the middle bin.
  std::vector<double> counts =
      histc({0.0f, 0.5f, 0.99f, 1.0f, 2.0f, -1.0f}, 4, 0.0f, 1.0f);
  EXPECT_EQ(counts, (std::vector<double>{1, 0, 1, 2}));
  counts = histc({3.0f, 3.0f, 2.0f}, 4, 3.0f, 3.0f);
  EXPECT_EQ(counts, (std::vector<double>{0, 0, 2, 0}));
}

TEST(Histogram, GrowsAndKeepsEveryCount) {
  Histogram histogram;
  addToHistogram(histogram, {0.0f, 1.0f, 0.25f}, 64);
  EXPECT_EQ(histogram.min, 0.0f);
  EXPECT_EQ(histogram.max, 1.0f);
  EXPECT_EQ(histogram.total(), 3.0);
  // Growing to the left keeps the minimum exact and moves only the maximum.
  addToHistogram(histogram, {-0.3f, 0.5f}, 64);
  EXPECT_EQ(histogram.min, -0.3f);
  EXPECT_GE(histogram.max, 1.0f);
  EXPECT_DOUBLE_EQ(histogram.total(), 5.0);
  // A constant first batch, then a spread one: torch would drop the first.
  Histogram constant;
  addToHistogram(constant, {2.0f, 2.0f}, 16);
  EXPECT_EQ(constant.counts[8], 2.0);
  addToHistogram(constant, {2.0f}, 16);
  EXPECT_EQ(constant.counts[8], 3.0);
  addToHistogram(constant, {0.0f, 4.0f}, 16);
  EXPECT_EQ(constant.min, 0.0f);
  EXPECT_EQ(constant.max, 4.0f);
  EXPECT_EQ(constant.counts[8], 3.0);
  EXPECT_EQ(constant.total(), 5.0);
}

TEST(Histogram, HugeGrowthStaysBounded) {
  // torch would allocate bins * 2^40 sub-bins here; the merge path re-bins.
  Histogram histogram;
  addToHistogram(histogram, {0.0f, 1e-30f}, 2048);
  addToHistogram(histogram, {1e20f}, 2048);
  EXPECT_EQ(histogram.max, 1e20f);
  EXPECT_DOUBLE_EQ(histogram.total(), 3.0);
}

TEST(Histogram, RebinAndMerge) {
  Histogram a{0.0f, 4.0f, {1, 2, 3, 4}};
  // Identity on the same grid; halves on a grid twice as fine.
  EXPECT_EQ(rebin(a, 0.0f, 4.0f, 4), a.counts);
  EXPECT_EQ(rebin(a, 0.0f, 4.0f, 8),
            (std::vector<double>{0.5, 0.5, 1, 1, 1.5, 1.5, 2, 2}));
  EXPECT_EQ(rebin(a, -4.0f, 4.0f, 4), (std::vector<double>{0, 0, 3, 7}));
  // Same ranges add; different ones re-bin onto the union.
  Histogram sum = mergeHistograms(a, a);
  EXPECT_EQ(sum.counts, (std::vector<double>{2, 4, 6, 8}));
  Histogram b{-4.0f, 0.0f, {4, 0, 0, 1}};
  Histogram merged = mergeHistograms(a, b);
  EXPECT_EQ(merged.min, -4.0f);
  EXPECT_EQ(merged.max, 4.0f);
  EXPECT_EQ(merged.counts, (std::vector<double>{4, 1, 3, 7}));
  EXPECT_EQ(mergeHistograms(Histogram(), a).counts, a.counts);
}

TEST(EntropyCalibration, SymmetricHistogram) {
  Histogram symmetric{-2.0f, 2.0f, {1, 2, 3, 4}};
  Histogram same = symmetricHistogram(symmetric);
  EXPECT_EQ(same.counts, symmetric.counts);
  // A ReLU histogram on [0, T]: pairs of bins merge into the upper half.
  Histogram relu{0.0f, 2.0f, {1, 2, 3, 4}};
  Histogram folded = symmetricHistogram(relu);
  EXPECT_EQ(folded.min, -2.0f);
  EXPECT_EQ(folded.max, 2.0f);
  EXPECT_EQ(folded.counts, (std::vector<double>{0, 0, 3, 7}));
}

TEST(PercentileCalibration, PiecewiseUniformInverse) {
  Histogram histogram{0.0f, 10.0f, {0, 5, 5, 0, 0, 0, 0, 0, 0, 10}};
  // Half the counts lie below 3.0 (the end of bin 2, where the CDF first
  // reaches one half); 100% reaches the last edge and starts at the first
  // non-empty bin.
  EXPECT_EQ(percentileRange(histogram, 50.0, false),
            std::make_pair(3.0f, 3.0f));
  EXPECT_EQ(percentileRange(histogram, 100.0, false).second, 10.0f);
  EXPECT_EQ(percentileRange(histogram, 100.0, false).first, 1.0f);
  Histogram signedValues{-2.0f, 2.0f, {1, 1, 1, 1}};
  std::pair<float, float> half = percentileRange(signedValues, 50.0, true);
  EXPECT_EQ(half, std::make_pair(-1.0f, 1.0f));
}

TEST(Calibration, MethodSpellings) {
  for (CalibrationMethod method :
       {CalibrationMethod::MinMax, CalibrationMethod::MovingAverage,
        CalibrationMethod::Percentile, CalibrationMethod::MSE,
        CalibrationMethod::Entropy})
    EXPECT_EQ(symbolizeCalibrationMethod(stringifyCalibrationMethod(method)),
              method);
  EXPECT_EQ(stringifyCalibrationMethod(CalibrationMethod::MovingAverage),
            "moving-average");
  EXPECT_EQ(symbolizeCalibrationMethod("kl"), std::nullopt);
  EXPECT_FALSE(needsHistogram(CalibrationMethod::MovingAverage));
  EXPECT_TRUE(needsHistogram(CalibrationMethod::Entropy));
}

TEST(Calibration, AccumulateSkipsNonFiniteValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CalibrationOptions options;
  ActivationStatistics statistics;
  accumulate(statistics, {nan, inf}, options, true);
  EXPECT_EQ(statistics.count, 0);
  EXPECT_EQ(statistics.batches, 0);
  EXPECT_EQ(statistics.nonFinite, 2);
  EXPECT_FALSE(statistics.histogram);
  accumulate(statistics, {1.0f, -inf, 3.0f}, options, true);
  accumulate(statistics, {}, options, true);
  EXPECT_EQ(statistics.min, 1.0f);
  EXPECT_EQ(statistics.max, 3.0f);
  EXPECT_EQ(statistics.count, 2);
  EXPECT_EQ(statistics.batches, 1);
  EXPECT_EQ(statistics.nonFinite, 3);
  EXPECT_EQ(statistics.movingMin, 1.0f);
  ASSERT_TRUE(statistics.histogram);
  EXPECT_EQ(statistics.histogram->total(), 2.0);
}

TEST(Calibration, MergeShards) {
  CalibrationOptions options;
  ActivationStatistics a, b, both;
  std::vector<float> first{-1.0f, 0.5f, 0.25f}, second{2.0f, 0.0f};
  accumulate(a, first, options, true);
  accumulate(b, second, options, true);
  accumulate(both, first, options, true);
  accumulate(both, second, options, true);
  ActivationStatistics merged = merge(a, b);
  EXPECT_EQ(merged.min, both.min);
  EXPECT_EQ(merged.max, both.max);
  EXPECT_EQ(merged.count, both.count);
  EXPECT_EQ(merged.batches, 2);
  EXPECT_EQ(merged.movingMin, (-1.0f + 0.0f) / 2);
  ASSERT_TRUE(merged.histogram);
  EXPECT_DOUBLE_EQ(merged.histogram->total(), 5.0);
  // A histogram from one shard only would describe part of the data.
  ActivationStatistics noHistogram;
  accumulate(noHistogram, second, options, false);
  EXPECT_FALSE(merge(a, noHistogram).histogram);
  // An empty side changes nothing but the non-finite count.
  ActivationStatistics empty;
  empty.nonFinite = 4;
  ActivationStatistics same = merge(empty, a);
  EXPECT_EQ(same.count, a.count);
  EXPECT_EQ(same.nonFinite, 4);
}

TEST(Calibration, ChooseRangeNamesWhatIsMissing) {
  QuantSpec spec;
  ActivationStatistics statistics;
  statistics.min = -1.0f;
  statistics.max = 2.0f;
  CalibrationOptions options;
  llvm::Expected<std::pair<float, float>> range =
      chooseRange(statistics, spec, options);
  ASSERT_TRUE(static_cast<bool>(range));
  EXPECT_EQ(*range, std::make_pair(-1.0f, 2.0f));
  for (CalibrationMethod method :
       {CalibrationMethod::Percentile, CalibrationMethod::MSE,
        CalibrationMethod::Entropy}) {
    options.method = method;
    llvm::Expected<std::pair<float, float>> missing =
        chooseRange(statistics, spec, options);
    ASSERT_FALSE(static_cast<bool>(missing));
    std::string message = llvm::toString(missing.takeError());
    EXPECT_EQ(message, "have no histogram, which calibration=" +
                           stringifyCalibrationMethod(method).str() + " needs");
  }
  options.method = CalibrationMethod::MovingAverage;
  llvm::Expected<std::pair<float, float>> noAverages =
      chooseRange(statistics, spec, options);
  ASSERT_FALSE(static_cast<bool>(noAverages));
  EXPECT_NE(llvm::toString(noAverages.takeError()).find("moving averages"),
            std::string::npos);
  statistics.histogram = Histogram{-1.0f, 2.0f, {0, 0, 0}};
  options.method = CalibrationMethod::MSE;
  llvm::Expected<std::pair<float, float>> empty =
      chooseRange(statistics, spec, options);
  ASSERT_FALSE(static_cast<bool>(empty));
  EXPECT_NE(llvm::toString(empty.takeError()).find("empty histogram"),
            std::string::npos);
}

TEST(Calibration, PercentileClampsToTheData) {
  // A grown histogram reaches past the data; the range does not.
  ActivationStatistics statistics;
  CalibrationOptions options;
  options.method = CalibrationMethod::Percentile;
  options.percentile = 100.0;
  accumulate(statistics, {0.0f, 1.0f}, options, true);
  accumulate(statistics, {0.5f, 1.3f}, options, true);
  QuantSpec spec;
  spec.scheme = Scheme::Asymmetric;
  llvm::Expected<std::pair<float, float>> range =
      chooseRange(statistics, spec, options);
  ASSERT_TRUE(static_cast<bool>(range));
  EXPECT_EQ(range->first, 0.0f);
  EXPECT_LE(range->second, 1.3f);
}

} // namespace
