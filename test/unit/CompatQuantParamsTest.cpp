//===- CompatQuantParamsTest.cpp - Compat modes against their peers -------===//
//
// The scales and zero points of `CompatMode`s against the tools they copy:
// torch.ao's observers themselves (compat_reference.py runs them), and
// Python transcriptions of ONNX Runtime's compute_scale_zp and TFLite's
// FakeQuant Nudge. Equal means equal: the same float and the same integer.
//
//===----------------------------------------------------------------------===//

#include "ReferenceData.h"

#include "qnn/Quant/QuantParams.h"
#include "qnn/Quant/TensorQuantizer.h"

#include "gtest/gtest.h"

#include <cfloat>
#include <cmath>

using namespace qnn::quantmath;
using namespace qnn::unittest;

namespace {

QuantSpec makeSpec(CompatMode compat, Scheme scheme, IntegerStorage storage,
                   bool reduceRange = false) {
  QuantSpec spec;
  spec.compat = compat;
  spec.scheme = scheme;
  spec.storage = storage;
  spec.reduceRange = reduceRange;
  return spec;
}

std::vector<float> scalesOf(const QuantizedTensor &tensor) {
  std::vector<float> scales;
  for (const QuantParams &params : tensor.params)
    scales.push_back(params.scale);
  return scales;
}

std::vector<int64_t> zeroPointsOf(const QuantizedTensor &tensor) {
  std::vector<int64_t> zeroPoints;
  for (const QuantParams &params : tensor.params)
    zeroPoints.push_back(params.zeroPoint);
  return zeroPoints;
}

/// torch.ao's MinMaxObserver and PerChannelMinMaxObserver on the same
/// tensors: per tensor and per channel, affine and symmetric, quint8 and
/// qint8 (default and custom ranges), with and without reduce_range.
TEST(PyTorchCompat, ScalesAndZeroPointsEqualTorchAo) {
  std::optional<llvm::json::Value> root = loadReference("compat.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &cases = getArray(*root, "pytorch");
  ASSERT_GT(cases.size(), 500u);
  int64_t compared = 0, refused = 0, overflowing = 0;
  for (const llvm::json::Value &value : cases) {
    const llvm::json::Object &testCase = *value.getAsObject();
    SCOPED_TRACE(getString(testCase, "name"));
    QuantSpec spec = getSpec(testCase);
    if (testCase.getBoolean("refused").value_or(false)) {
      // torch.ao raises for this combination; so does the spec check.
      EXPECT_TRUE(findSpecProblem(spec).has_value());
      ++refused;
      continue;
    }
    ASSERT_FALSE(findSpecProblem(spec).has_value()) << *findSpecProblem(spec);
    EXPECT_EQ(spec.minValue(), getInt(testCase, "qmin"));
    EXPECT_EQ(spec.maxValue(), getInt(testCase, "qmax"));

    std::vector<float> scales = toFloats(getArray(testCase, "scales"));
    std::vector<int64_t> zeroPoints = toInts(getArray(testCase, "zero_points"));
    std::vector<float> mins = toFloats(getArray(testCase, "mins"));
    std::vector<float> maxs = toFloats(getArray(testCase, "maxs"));
    ASSERT_EQ(scales.size(), mins.size());
    // torch's affine scale is infinite when max - min overflows float32;
    // that is the one place where the mode gives qnn-mlir's finite scale.
    bool torchOverflows =
        llvm::any_of(scales, [](float scale) { return !std::isfinite(scale); });
    if (torchOverflows) {
      ++overflowing;
      for (auto [min, max, scale] : llvm::zip(mins, maxs, scales)) {
        QuantParams params = chooseQuantParams(min, max, spec);
        EXPECT_TRUE(std::isnormal(params.scale)) << params.scale;
        if (std::isfinite(scale)) {
          EXPECT_EQ(params.scale, scale);
        }
      }
      continue;
    }

    // From torch's own min and max.
    std::vector<float> chosenScales;
    std::vector<int64_t> chosenZeroPoints;
    for (auto [min, max] : llvm::zip(mins, maxs)) {
      QuantParams params = chooseQuantParams(min, max, spec);
      chosenScales.push_back(params.scale);
      chosenZeroPoints.push_back(params.zeroPoint);
    }
    EXPECT_TRUE(sameFloats(scales, chosenScales));
    EXPECT_TRUE(sameInts(zeroPoints, chosenZeroPoints));

    // And end to end: the tensor quantized per tensor or per channel.
    std::vector<int64_t> shape = toInts(getArray(testCase, "shape"));
    llvm::Expected<QuantizedTensor> tensor =
        quantizeTensor(toFloats(getArray(testCase, "data")), shape,
                       getGranularity(testCase), spec);
    ASSERT_TRUE(static_cast<bool>(tensor))
        << llvm::toString(tensor.takeError());
    EXPECT_TRUE(sameFloats(scales, scalesOf(*tensor)));
    EXPECT_TRUE(sameInts(zeroPoints, zeroPointsOf(*tensor)));
    ++compared;
  }
  EXPECT_GT(compared, 400);
  EXPECT_GT(refused, 0);
  EXPECT_GT(overflowing, 0);
}

/// quant_utils.compute_scale_zp with get_qmin_qmax_for_qType's ranges, as
/// compat_reference.py transcribes them.
TEST(OnnxRuntimeCompat, ScalesAndZeroPointsEqualComputeScaleZp) {
  std::optional<llvm::json::Value> root = loadReference("compat.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &cases = getArray(*root, "onnxruntime");
  ASSERT_GT(cases.size(), 1000u);
  for (const llvm::json::Value &value : cases) {
    const llvm::json::Object &testCase = *value.getAsObject();
    SCOPED_TRACE(getString(testCase, "name"));
    QuantSpec spec = getSpec(testCase);
    ASSERT_FALSE(findSpecProblem(spec).has_value());
    EXPECT_EQ(spec.minValue(), getInt(testCase, "qmin"));
    EXPECT_EQ(spec.maxValue(), getInt(testCase, "qmax"));
    auto min = static_cast<float>(getDouble(testCase, "min"));
    auto max = static_cast<float>(getDouble(testCase, "max"));
    auto scale = static_cast<float>(getDouble(testCase, "scale"));
    QuantParams params = chooseQuantParams(min, max, spec);
    if (!std::isfinite(scale)) {
      // ORT's float32 difference overflows: qnn-mlir's finite scale.
      EXPECT_TRUE(std::isnormal(params.scale)) << params.scale;
      continue;
    }
    EXPECT_EQ(params.scale, scale);
    EXPECT_EQ(params.zeroPoint, getInt(testCase, "zero_point"));
  }
}

/// TFLite's symmetric weights and FakeQuant's nudged zero point.
TEST(TFLiteCompat, ScalesAndZeroPointsEqualNudge) {
  std::optional<llvm::json::Value> root = loadReference("compat.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &cases = getArray(*root, "tflite");
  ASSERT_GT(cases.size(), 400u);
  for (const llvm::json::Value &value : cases) {
    const llvm::json::Object &testCase = *value.getAsObject();
    SCOPED_TRACE(getString(testCase, "name"));
    QuantSpec spec = getSpec(testCase);
    EXPECT_EQ(spec.minValue(), getInt(testCase, "qmin"));
    EXPECT_EQ(spec.maxValue(), getInt(testCase, "qmax"));
    auto min = static_cast<float>(getDouble(testCase, "min"));
    auto max = static_cast<float>(getDouble(testCase, "max"));
    QuantParams params = chooseQuantParams(min, max, spec);
    if (!testCase.getBoolean("usable").value_or(true)) {
      // TFLite's 0, subnormal or infinite scale cannot be an IR scale.
      EXPECT_TRUE(std::isnormal(params.scale)) << params.scale;
      EXPECT_GE(params.zeroPoint, spec.minValue());
      EXPECT_LE(params.zeroPoint, spec.maxValue());
      continue;
    }
    EXPECT_EQ(params.scale, static_cast<float>(getDouble(testCase, "scale")));
    EXPECT_EQ(params.zeroPoint, getInt(testCase, "zero_point"));
  }
}

TEST(CompatMode, Spellings) {
  for (CompatMode mode : {CompatMode::None, CompatMode::PyTorch,
                          CompatMode::OnnxRuntime, CompatMode::TFLite})
    EXPECT_EQ(symbolizeCompatMode(stringifyCompatMode(mode)), mode);
  EXPECT_EQ(stringifyCompatMode(CompatMode::OnnxRuntime), "onnxruntime");
  EXPECT_EQ(symbolizeCompatMode("torch"), std::nullopt);
}

TEST(CompatMode, IntegerRanges) {
  IntegerStorage int8 = IntegerStorage::int8(),
                 narrow = IntegerStorage::int8(true),
                 uint8 = IntegerStorage::uint8();
  auto range = [](const QuantSpec &spec) {
    return std::make_pair(spec.minValue(), spec.maxValue());
  };
  using Range = std::pair<int64_t, int64_t>;
  // qnn-mlir's reduce-range: one bit fewer.
  EXPECT_EQ(range(makeSpec(CompatMode::None, Scheme::Symmetric, narrow, true)),
            Range(-63, 63));
  EXPECT_EQ(range(makeSpec(CompatMode::None, Scheme::Symmetric, int8, true)),
            Range(-64, 63));
  EXPECT_EQ(range(makeSpec(CompatMode::None, Scheme::Asymmetric, uint8, true)),
            Range(0, 127));
  // torch: quant_min // 2, quant_max // 2.
  EXPECT_EQ(
      range(makeSpec(CompatMode::PyTorch, Scheme::Symmetric, narrow, true)),
      Range(-64, 63));
  EXPECT_EQ(range(makeSpec(CompatMode::PyTorch, Scheme::Asymmetric, int8)),
            Range(-128, 127));
  // ONNX Runtime's tables, whatever the storage's narrow flag says.
  EXPECT_EQ(range(makeSpec(CompatMode::OnnxRuntime, Scheme::Symmetric, int8)),
            Range(-127, 127));
  EXPECT_EQ(range(makeSpec(CompatMode::OnnxRuntime, Scheme::Symmetric, uint8)),
            Range(0, 254));
  EXPECT_EQ(
      range(makeSpec(CompatMode::OnnxRuntime, Scheme::Asymmetric, narrow)),
      Range(-128, 127));
  EXPECT_EQ(
      range(makeSpec(CompatMode::OnnxRuntime, Scheme::Asymmetric, int8, true)),
      Range(-64, 64));
  EXPECT_EQ(range(makeSpec(CompatMode::OnnxRuntime, Scheme::Symmetric,
                           IntegerStorage{4, true, false}, true)),
            Range(-4, 3));
  EXPECT_EQ(range(makeSpec(CompatMode::TFLite, Scheme::Symmetric, narrow)),
            Range(-127, 127));
}

TEST(CompatMode, DefaultNarrowRange) {
  EXPECT_TRUE(defaultNarrowRange(CompatMode::None, Scheme::Asymmetric));
  EXPECT_FALSE(defaultNarrowRange(CompatMode::PyTorch, Scheme::Symmetric));
  EXPECT_TRUE(defaultNarrowRange(CompatMode::OnnxRuntime, Scheme::Symmetric));
  EXPECT_FALSE(defaultNarrowRange(CompatMode::OnnxRuntime, Scheme::Asymmetric));
  EXPECT_TRUE(defaultNarrowRange(CompatMode::TFLite, Scheme::Symmetric));
  EXPECT_FALSE(defaultNarrowRange(CompatMode::TFLite, Scheme::Asymmetric));
}

TEST(CompatMode, SpecProblems) {
  IntegerStorage uint8 = IntegerStorage::uint8();
  EXPECT_FALSE(
      findSpecProblem(makeSpec(CompatMode::PyTorch, Scheme::Symmetric, uint8)));
  std::optional<std::string> problem = findSpecProblem(
      makeSpec(CompatMode::PyTorch, Scheme::Symmetric, uint8, true));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("Cannot reduce range"), std::string::npos);
  EXPECT_TRUE(findSpecProblem(
      makeSpec(CompatMode::TFLite, Scheme::Asymmetric, uint8, true)));
  EXPECT_TRUE(
      findSpecProblem(makeSpec(CompatMode::OnnxRuntime, Scheme::Symmetric,
                               IntegerStorage{12, true, false})));
  EXPECT_TRUE(findSpecProblem(makeSpec(CompatMode::None, Scheme::Symmetric,
                                       IntegerStorage{2, true, false}, true)));
  EXPECT_FALSE(findSpecProblem(makeSpec(CompatMode::None, Scheme::Symmetric,
                                        IntegerStorage::int8(true), true)));
}

TEST(CompatMode, DocumentedValues) {
  // PyTorch: symmetric over (qmax - qmin) / 2 = 127.5, eps for all zeros.
  QuantSpec torchSymmetric =
      makeSpec(CompatMode::PyTorch, Scheme::Symmetric, IntegerStorage::int8());
  EXPECT_EQ(chooseQuantParams(-1.0f, 0.5f, torchSymmetric).scale,
            1.0f / 127.5f);
  EXPECT_EQ(chooseQuantParams(0.0f, 0.0f, torchSymmetric).scale, FLT_EPSILON);
  QuantSpec torchUnsigned =
      makeSpec(CompatMode::PyTorch, Scheme::Symmetric, IntegerStorage::uint8());
  EXPECT_EQ(chooseQuantParams(-1.0f, 0.5f, torchUnsigned).zeroPoint, 128);
  // ONNX Runtime: all zeros give scale 1 and zero point 0, even for its
  // symmetric uint8 whose zero point is otherwise 127.
  QuantSpec ortUnsigned = makeSpec(CompatMode::OnnxRuntime, Scheme::Symmetric,
                                   IntegerStorage::uint8());
  EXPECT_EQ(chooseQuantParams(-1.0f, 0.5f, ortUnsigned).zeroPoint, 127);
  EXPECT_EQ(chooseQuantParams(0.0f, 0.0f, ortUnsigned).scale, 1.0f);
  EXPECT_EQ(chooseQuantParams(0.0f, 0.0f, ortUnsigned).zeroPoint, 0);
  // TFLite: the zero point is rounded half away from zero, whatever the
  // spec's rounding: [-2.5, 252.5] has scale 1 and zero point 3.
  QuantSpec tflite =
      makeSpec(CompatMode::TFLite, Scheme::Asymmetric, IntegerStorage::uint8());
  EXPECT_EQ(chooseQuantParams(-2.5f, 252.5f, tflite).scale, 1.0f);
  EXPECT_EQ(chooseQuantParams(-2.5f, 252.5f, tflite).zeroPoint, 3);
  // All zeros: scale 1 (TFLite writes 0) and TFLite's zero point qmin.
  QuantParams zeros = chooseQuantParams(
      0.0f, 0.0f,
      makeSpec(CompatMode::TFLite, Scheme::Asymmetric, IntegerStorage::int8()));
  EXPECT_EQ(zeros.scale, 1.0f);
  EXPECT_EQ(zeros.zeroPoint, -128);
  // Values saturate to the reduced range.
  QuantSpec reduced = makeSpec(CompatMode::PyTorch, Scheme::Asymmetric,
                               IntegerStorage::uint8(), true);
  QuantParams params = chooseQuantParams(0.0f, 127.0f, reduced);
  EXPECT_EQ(params.scale, 1.0f);
  EXPECT_EQ(quantizeValue(500.0f, params, reduced), 127);
}

} // namespace
