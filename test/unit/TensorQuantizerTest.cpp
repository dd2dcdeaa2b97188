//===- TensorQuantizerTest.cpp - Whole tensors against numpy --------------===//
//
// quantizeTensor and dequantizeTensor against numpy for per-tensor, per-axis
// (every axis of 1-D to 4-D tensors) and per-group granularity, every scheme
// and storage of the contract at 8 and 4 bits, both rounding modes, zero
// ranges, subnormal and near-FLT_MAX ranges and exact ties; then the block
// layout and every error path, which must fail with a message, not crash.
//
//===----------------------------------------------------------------------===//

#include "ReferenceData.h"

#include "qnn/Quant/ErrorStats.h"
#include "qnn/Quant/TensorQuantizer.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <map>
#include <random>

using namespace qnn::quantmath;
using namespace qnn::unittest;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

/// Checks one numpy case; returns the library's integers for the caller's
/// own checks.
std::vector<int64_t> checkTensorCase(const llvm::json::Object &testCase) {
  std::vector<float> data = toFloats(getArray(testCase, "data"));
  std::vector<int64_t> shape = toInts(getArray(testCase, "shape"));
  QuantSpec spec = getSpec(testCase);
  Granularity granularity = getGranularity(testCase);

  llvm::Expected<QuantizedTensor> quantized =
      quantizeTensor(data, shape, granularity, spec);
  if (!quantized) {
    ADD_FAILURE() << llvm::toString(quantized.takeError());
    return {};
  }
  EXPECT_TRUE(sameInts(toInts(getArray(testCase, "block_shape")),
                       quantized->blockShape));

  std::vector<float> scales;
  std::vector<int64_t> zeroPoints;
  for (const QuantParams &params : quantized->params) {
    scales.push_back(params.scale);
    zeroPoints.push_back(params.zeroPoint);
  }
  EXPECT_TRUE(sameFloats(toFloats(getArray(testCase, "scales")), scales))
      << "scales";
  EXPECT_TRUE(sameInts(toInts(getArray(testCase, "zero_points")), zeroPoints))
      << "zero points";

  std::vector<int64_t> values(quantized->values.begin(),
                              quantized->values.end());
  EXPECT_TRUE(sameInts(toInts(getArray(testCase, "values")), values))
      << "values";

  // paramsAt finds the block numpy assigned to every element.
  std::vector<int64_t> blockOf = toInts(getArray(testCase, "block_of"));
  std::vector<int64_t> blockAt;
  for (size_t i = 0; i < data.size(); ++i)
    blockAt.push_back(&quantized->paramsAt(i) - quantized->params.data());
  EXPECT_TRUE(sameInts(blockOf, blockAt)) << "paramsAt";

  std::vector<float> dequantized = dequantizeTensor(*quantized);
  EXPECT_TRUE(
      sameFloats(toFloats(getArray(testCase, "dequantized")), dequantized))
      << "dequantized";

  // The error statistics of the round trip, as qnn-report shows them.
  const llvm::json::Object *expected = testCase.getObject("stats");
  EXPECT_TRUE(expected);
  if (expected) {
    ErrorStats stats = computeErrorStats(data, dequantized);
    EXPECT_EQ(stats.count, getInt(*expected, "count"));
    EXPECT_TRUE(sameValue(getDouble(*expected, "max_abs"), stats.maxAbs));
    EXPECT_TRUE(
        closeValue(getDouble(*expected, "mean_abs"), stats.meanAbs, 1e-12));
    EXPECT_TRUE(closeValue(getDouble(*expected, "mse"), stats.mse, 1e-12));
    EXPECT_TRUE(
        closeValue(getDouble(*expected, "sqnr_db"), stats.sqnrDb, 1e-12));
  }
  return values;
}

/// Runs every numpy case whose name starts with `prefix`; returns the
/// library's integers by case name.
std::map<std::string, std::vector<int64_t>>
checkTensorCases(llvm::StringRef prefix, size_t minimumCount) {
  std::map<std::string, std::vector<int64_t>> results;
  std::optional<llvm::json::Value> root = loadReference("tensors.json");
  if (!root)
    return results;
  for (const llvm::json::Value &value : getArray(*root, "cases")) {
    const llvm::json::Object &testCase = *value.getAsObject();
    std::string name = getString(testCase, "name");
    if (!llvm::StringRef(name).starts_with(prefix))
      continue;
    SCOPED_TRACE(name);
    results[name] = checkTensorCase(testCase);
  }
  EXPECT_GE(results.size(), minimumCount) << "cases named " << prefix.str();
  return results;
}

TEST(TensorQuantizerReference, RandomTensorsMatchNumpy) {
  checkTensorCases("random-", 400);
}

TEST(TensorQuantizerReference, ZeroRangesMatchNumpy) {
  std::map<std::string, std::vector<int64_t>> results =
      checkTensorCases("zero/", 100);
  // Whatever the scheme, an all-zero tensor is all-zero integers (with scale
  // 1.0 and zero point 0, which the numpy comparison checks).
  int allZero = 0;
  for (const auto &[name, values] : results) {
    if (!llvm::StringRef(name).starts_with("zero/all/"))
      continue;
    EXPECT_EQ(values, std::vector<int64_t>(12, 0)) << name;
    ++allZero;
  }
  EXPECT_GE(allZero, 40);
}

TEST(TensorQuantizerReference, SubnormalRangesMatchNumpy) {
  checkTensorCases("tiny/", 80);
}

TEST(TensorQuantizerReference, HugeRangesMatchNumpy) {
  checkTensorCases("huge", 160);
}

TEST(TensorQuantizerReference, TiesMatchNumpyAndTheModesDiffer) {
  std::map<std::string, std::vector<int64_t>> results =
      checkTensorCases("ties/", 28);
  // Every tie case must come out differently under the two modes.
  int pairs = 0;
  for (const auto &[name, values] : results) {
    llvm::StringRef evenName(name);
    if (!evenName.consume_back("/half_to_even"))
      continue;
    auto away = results.find(evenName.str() + "/half_away_from_zero");
    ASSERT_NE(away, results.end()) << name;
    EXPECT_NE(values, away->second) << name;
    ++pairs;
  }
  EXPECT_GE(pairs, 14);
}

//===----------------------------------------------------------------------===//
// Block layout
//===----------------------------------------------------------------------===//

TEST(Granularity, BlockShapes) {
  const int64_t shape[] = {4, 6, 3};
  auto block = Granularity::perTensor().blockShape(shape);
  ASSERT_TRUE(static_cast<bool>(block));
  EXPECT_EQ(*block, (llvm::SmallVector<int64_t>{4, 6, 3}));
  block = Granularity::perAxis(1).blockShape(shape);
  ASSERT_TRUE(static_cast<bool>(block));
  EXPECT_EQ(*block, (llvm::SmallVector<int64_t>{4, 1, 3}));
  block = Granularity::perGroup(0, 1, 2).blockShape(shape);
  ASSERT_TRUE(static_cast<bool>(block));
  EXPECT_EQ(*block, (llvm::SmallVector<int64_t>{1, 2, 3}));
  block = Granularity::perGroup(2, 1, 6).blockShape(shape);
  ASSERT_TRUE(static_cast<bool>(block));
  EXPECT_EQ(*block, (llvm::SmallVector<int64_t>{4, 6, 1}));
}

TEST(QuantizedTensor, GridAndParamsAt) {
  // A 2x4 weight, per row, in groups of 2 along the columns: blocks are
  // [row, column / 2], laid out row-major over a 2x2 grid.
  const std::vector<float> data = {1.5f, 2, -8, 3, 0.5f, 0, 0, 0};
  QuantSpec spec;
  auto quantized =
      quantizeTensor(data, {2, 4}, Granularity::perGroup(0, 1, 2), spec);
  ASSERT_TRUE(static_cast<bool>(quantized))
      << llvm::toString(quantized.takeError());
  EXPECT_EQ(quantized->blockGrid(), (llvm::SmallVector<int64_t>{2, 2}));
  ASSERT_EQ(quantized->params.size(), 4u);
  EXPECT_EQ(quantized->params[0].scale, 2.0f / 127.0f);
  EXPECT_EQ(quantized->params[1].scale, 8.0f / 127.0f);
  EXPECT_EQ(quantized->params[2].scale, 0.5f / 127.0f);
  EXPECT_EQ(quantized->params[3].scale, kZeroRangeScale);
  const int blockOf[] = {0, 0, 1, 1, 2, 2, 3, 3};
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(&quantized->paramsAt(i), &quantized->params[blockOf[i]]) << i;
  EXPECT_EQ(quantized->values,
            (std::vector<int32_t>{95, 127, -127, 48, 127, 0, 0, 0}));
}

TEST(QuantizeTensor, ScalarAndOneElementPerBlock) {
  QuantSpec spec;
  auto scalar = quantizeTensor({-3.0f}, {}, Granularity::perTensor(), spec);
  ASSERT_TRUE(static_cast<bool>(scalar)) << llvm::toString(scalar.takeError());
  EXPECT_EQ(scalar->values, (std::vector<int32_t>{-127}));
  EXPECT_EQ(dequantizeTensor(*scalar), (std::vector<float>{-3.0f}));

  // Per-axis over a vector: every element is its own block and comes back
  // as +-qmax * (|x| / qmax).
  const std::vector<float> data = {0.1f, -7.0f, 0.0f, 3e-20f};
  auto perElement = quantizeTensor(data, {4}, Granularity::perAxis(0), spec);
  ASSERT_TRUE(static_cast<bool>(perElement))
      << llvm::toString(perElement.takeError());
  EXPECT_EQ(perElement->values, (std::vector<int32_t>{127, -127, 0, 127}));
  std::vector<float> back = dequantizeTensor(*perElement);
  for (size_t i = 0; i < data.size(); ++i)
    EXPECT_FLOAT_EQ(back[i], data[i]) << i;
}

//===----------------------------------------------------------------------===//
// Error paths
//===----------------------------------------------------------------------===//

/// The message of the error `quantizeTensor` returns, or "" on success.
std::string errorOf(llvm::ArrayRef<float> data, llvm::ArrayRef<int64_t> shape,
                    const Granularity &granularity,
                    const QuantSpec &spec = QuantSpec()) {
  llvm::Expected<QuantizedTensor> result =
      quantizeTensor(data, shape, granularity, spec);
  if (result)
    return "";
  return llvm::toString(result.takeError());
}

TEST(QuantizeTensorErrors, NonFiniteElementsAreNamedByCoordinates) {
  std::vector<float> data(12, 1.0f);
  data[6] = kNaN; // [1, 2] of 3x4
  EXPECT_EQ(errorOf(data, {3, 4}, Granularity::perTensor()),
            "element [1, 2] is NaN");
  EXPECT_EQ(errorOf(data, {3, 4}, Granularity::perAxis(1)),
            "element [1, 2] is NaN");
  data[6] = kInf;
  EXPECT_EQ(errorOf(data, {3, 4}, Granularity::perAxis(0)),
            "element [1, 2] is infinite");
  data[6] = -kInf;
  EXPECT_EQ(errorOf(data, {2, 6}, Granularity::perGroup(0, 1, 3)),
            "element [1, 0] is infinite");
  // The first offending element in row-major order is the one named.
  data[3] = kNaN;
  EXPECT_EQ(errorOf(data, {3, 4}, Granularity::perTensor()),
            "element [0, 3] is NaN");

  std::vector<float> conv(2 * 3 * 4 * 5, 0.25f);
  conv.back() = kNaN;
  EXPECT_EQ(errorOf(conv, {2, 3, 4, 5}, Granularity::perAxis(3)),
            "element [1, 2, 3, 4] is NaN");
}

TEST(QuantizeTensorErrors, AxisOutOfRange) {
  std::vector<float> data(6, 1.0f);
  EXPECT_EQ(errorOf(data, {2, 3}, Granularity::perAxis(2)),
            "channel axis 2 is out of range for a tensor of rank 2");
  EXPECT_EQ(errorOf(data, {2, 3}, Granularity::perAxis(-1)),
            "channel axis -1 is out of range for a tensor of rank 2");
  EXPECT_EQ(errorOf({1.0f}, {}, Granularity::perAxis(0)),
            "channel axis 0 is out of range for a tensor of rank 0");
  EXPECT_EQ(errorOf(data, {2, 3}, Granularity::perGroup(3, 1, 3)),
            "channel axis 3 is out of range for a tensor of rank 2");
  EXPECT_EQ(errorOf(data, {2, 3}, Granularity::perGroup(0, 2, 1)),
            "group axis 2 is out of range for a tensor of rank 2");
  EXPECT_EQ(errorOf(data, {2, 3}, Granularity::perGroup(0, -1, 1)),
            "group axis -1 is out of range for a tensor of rank 2");
}

TEST(QuantizeTensorErrors, GroupAxisEqualToTheChannelAxis) {
  std::vector<float> data(6, 1.0f);
  EXPECT_EQ(errorOf(data, {2, 3}, Granularity::perGroup(1, 1, 3)),
            "group axis must differ from the channel axis");
}

TEST(QuantizeTensorErrors, GroupSizeNotDividing) {
  std::vector<float> data(12, 1.0f);
  EXPECT_EQ(errorOf(data, {2, 6}, Granularity::perGroup(0, 1, 4)),
            "group size 4 does not divide dimension 1 of extent 6");
  EXPECT_EQ(errorOf(data, {2, 6}, Granularity::perGroup(0, 1, 12)),
            "group size 12 does not divide dimension 1 of extent 6");
  EXPECT_EQ(errorOf(data, {2, 6}, Granularity::perGroup(0, 1, 0)),
            "group size 0 does not divide dimension 1 of extent 6");
  EXPECT_EQ(errorOf(data, {2, 6}, Granularity::perGroup(0, 1, -2)),
            "group size -2 does not divide dimension 1 of extent 6");
}

TEST(QuantizeTensorErrors, EmptyOrNegativeDimension) {
  EXPECT_EQ(errorOf({}, {3, 0}, Granularity::perTensor()),
            "cannot quantize an empty tensor: dimension 1 has extent 0");
  EXPECT_EQ(errorOf({}, {0}, Granularity::perAxis(0)),
            "cannot quantize an empty tensor: dimension 0 has extent 0");
  // A dynamic extent (-1 in MLIR) is not a size either.
  EXPECT_EQ(errorOf({1.0f, 2.0f}, {-1, 2}, Granularity::perTensor()),
            "cannot quantize a tensor of dynamic or negative extent: "
            "dimension 0 has extent -1");
}

TEST(QuantizeTensorErrors, DataSizeMismatch) {
  std::vector<float> data(5, 1.0f);
  EXPECT_EQ(errorOf(data, {2, 3}, Granularity::perTensor()),
            "5 values do not fill a tensor of 6 elements");
  data.resize(7, 1.0f);
  EXPECT_EQ(errorOf(data, {2, 3}, Granularity::perAxis(0)),
            "7 values do not fill a tensor of 6 elements");
  EXPECT_EQ(errorOf({}, {}, Granularity::perTensor()),
            "0 values do not fill a tensor of 1 elements");
}

TEST(QuantizeTensorErrors, ElementCountOverflow) {
  // The product of the extents does not fit int64_t; no multiplication may
  // wrap around to a count that happens to match.
  std::vector<float> data(4, 1.0f);
  const int64_t huge = int64_t(1) << 62;
  EXPECT_EQ(errorOf(data, {huge, 4}, Granularity::perTensor()),
            "a tensor of this shape has more than 2^63 - 1 elements");
  EXPECT_EQ(errorOf(data, {huge, huge, 4, 1}, Granularity::perAxis(0)),
            "a tensor of this shape has more than 2^63 - 1 elements");
}

TEST(QuantizeTensorErrors, UnsupportedStorage) {
  std::vector<float> data(4, 1.0f);
  for (unsigned bits : {0u, 1u, 17u, 32u, 64u, 1000u}) {
    QuantSpec spec;
    spec.storage.bits = bits;
    EXPECT_EQ(errorOf(data, {4}, Granularity::perTensor(), spec),
              "unsupported storage width of " + std::to_string(bits) +
                  " bits (supported: 2 to 16)");
  }
  QuantSpec spec;
  spec.storage = {16, false, false};
  EXPECT_EQ(errorOf(data, {4}, Granularity::perTensor(), spec), "");
  spec.storage = {2, true, true};
  EXPECT_EQ(errorOf(data, {4}, Granularity::perTensor(), spec), "");
}

// Random shapes and granularities, valid or not: quantizeTensor either fails
// with a message or returns a tensor that is consistent with its shape.
TEST(QuantizeTensorErrors, RandomGranularitiesNeverCrash) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> rankDist(0, 4), extentDist(-1, 5),
      axisDist(-2, 5), sizeDist(-1, 6), kindDist(0, 2), bitsDist(0, 18);
  int successes = 0, failures = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    llvm::SmallVector<int64_t> shape;
    int64_t count = 1;
    for (int d = rankDist(rng); d > 0; --d) {
      shape.push_back(extentDist(rng));
      count *= std::max<int64_t>(shape.back(), 0);
    }
    std::vector<float> data(count + (trial % 17 == 0 ? 1 : 0));
    for (float &x : data)
      x = std::uniform_real_distribution<float>(-4, 4)(rng);
    if (!data.empty() && trial % 23 == 0)
      data[trial % data.size()] = trial % 2 ? kNaN : -kInf;
    Granularity granularity;
    switch (kindDist(rng)) {
    case 0:
      granularity = Granularity::perTensor();
      break;
    case 1:
      granularity = Granularity::perAxis(axisDist(rng));
      break;
    default:
      granularity =
          Granularity::perGroup(axisDist(rng), axisDist(rng), sizeDist(rng));
      break;
    }
    QuantSpec spec;
    spec.storage.bits = bitsDist(rng);
    spec.storage.isSigned = trial % 2;
    spec.scheme = trial % 3 ? Scheme::Symmetric : Scheme::Asymmetric;

    llvm::Expected<QuantizedTensor> result =
        quantizeTensor(data, shape, granularity, spec);
    if (!result) {
      EXPECT_FALSE(llvm::toString(result.takeError()).empty());
      ++failures;
      continue;
    }
    ++successes;
    ASSERT_EQ(result->values.size(), data.size());
    int64_t blocks = 1;
    for (int64_t extent : result->blockGrid())
      blocks *= extent;
    ASSERT_EQ(static_cast<int64_t>(result->params.size()), blocks);
    for (size_t i = 0; i < data.size(); ++i) {
      EXPECT_GE(result->values[i], spec.storage.minValue());
      EXPECT_LE(result->values[i], spec.storage.maxValue());
    }
    EXPECT_EQ(dequantizeTensor(*result).size(), data.size());
  }
  EXPECT_GT(successes, 100);
  EXPECT_GT(failures, 100);
}

} // namespace
