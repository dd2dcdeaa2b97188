//===- QuantParamsTest.cpp - Scales and zero points against numpy ---------===//
//
// chooseQuantParams, quantizeValue and dequantizeValue against numpy for
// every scheme and storage the contract names (8-, 4-, 2-, 12- and 16-bit,
// signed narrow and full range, unsigned), for ranges from subnormal to
// FLT_MAX and for values beyond the range, plus the storage ranges, the
// seed's inverse scale and ValueRange.
//
//===----------------------------------------------------------------------===//

#include "ReferenceData.h"

#include "qnn/Quant/QuantParams.h"

#include "gtest/gtest.h"

#include <cfloat>
#include <cmath>
#include <limits>

using namespace qnn::quantmath;
using namespace qnn::unittest;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

QuantSpec makeSpec(Scheme scheme, IntegerStorage storage,
                   RoundingMode rounding = RoundingMode::HalfToEven) {
  QuantSpec spec;
  spec.scheme = scheme;
  spec.storage = storage;
  spec.rounding = rounding;
  return spec;
}

TEST(QuantParamsReference, MatchesNumpy) {
  std::optional<llvm::json::Value> root = loadReference("quant_params.json");
  ASSERT_TRUE(root);
  const llvm::json::Array &cases = getArray(*root, "cases");
  ASSERT_GT(cases.size(), 1000u);
  for (const llvm::json::Value &value : cases) {
    const llvm::json::Object &testCase = *value.getAsObject();
    SCOPED_TRACE(getString(testCase, "name"));
    QuantSpec spec = getSpec(testCase);
    ASSERT_EQ(spec.storage.minValue(), getInt(testCase, "qmin"));
    ASSERT_EQ(spec.storage.maxValue(), getInt(testCase, "qmax"));

    auto min = static_cast<float>(getDouble(testCase, "min"));
    auto max = static_cast<float>(getDouble(testCase, "max"));
    QuantParams params = chooseQuantParams(min, max, spec);
    EXPECT_EQ(params.scale, static_cast<float>(getDouble(testCase, "scale")));
    EXPECT_EQ(params.zeroPoint, getInt(testCase, "zero_point"));
    // The contract's invariants, whatever numpy says.
    EXPECT_TRUE(std::isnormal(params.scale)) << params.scale;
    EXPECT_GE(params.zeroPoint, spec.storage.minValue());
    EXPECT_LE(params.zeroPoint, spec.storage.maxValue());

    std::vector<float> inputs = toFloats(getArray(testCase, "x"));
    std::vector<int64_t> quantized, expectedQ = toInts(getArray(testCase, "q"));
    std::vector<float> dequantized;
    for (float x : inputs) {
      quantized.push_back(quantizeValue(x, params, spec));
      dequantized.push_back(dequantizeValue(quantized.back(), params));
    }
    EXPECT_TRUE(sameInts(expectedQ, quantized));
    EXPECT_TRUE(
        sameFloats(toFloats(getArray(testCase, "dequantized")), dequantized));

    // Every storage integer dequantizes to a finite float.
    std::vector<float> ends = {
        dequantizeValue(spec.storage.minValue(), params),
        dequantizeValue(spec.storage.maxValue(), params)};
    EXPECT_TRUE(sameFloats(toFloats(getArray(testCase, "grid_ends")), ends));
    EXPECT_TRUE(std::isfinite(ends[0]) && std::isfinite(ends[1]))
        << ends[0] << " " << ends[1];
  }
}

TEST(IntegerStorage, Ranges) {
  EXPECT_EQ(IntegerStorage::int8().minValue(), -128);
  EXPECT_EQ(IntegerStorage::int8().maxValue(), 127);
  EXPECT_EQ(IntegerStorage::int8(/*narrow=*/true).minValue(), -127);
  EXPECT_EQ(IntegerStorage::int8(/*narrow=*/true).maxValue(), 127);
  EXPECT_EQ(IntegerStorage::uint8().minValue(), 0);
  EXPECT_EQ(IntegerStorage::uint8().maxValue(), 255);
  for (unsigned bits = 2; bits <= 16; ++bits) {
    SCOPED_TRACE(bits);
    int64_t half = int64_t(1) << (bits - 1);
    IntegerStorage full{bits, true, false}, narrow{bits, true, true},
        unsignedStorage{bits, false, false}, unsignedNarrow{bits, false, true};
    EXPECT_TRUE(full.isValid());
    EXPECT_EQ(full.minValue(), -half);
    EXPECT_EQ(full.maxValue(), half - 1);
    EXPECT_EQ(narrow.minValue(), -half + 1);
    EXPECT_EQ(narrow.maxValue(), half - 1);
    EXPECT_EQ(unsignedStorage.minValue(), 0);
    EXPECT_EQ(unsignedStorage.maxValue(), 2 * half - 1);
    // Narrow range drops the most negative value of a signed type only.
    EXPECT_EQ(unsignedNarrow.minValue(), 0);
    EXPECT_EQ(unsignedNarrow.maxValue(), 2 * half - 1);
  }
  for (unsigned bits : {0u, 1u, 17u, 32u, 64u})
    EXPECT_FALSE((IntegerStorage{bits, true, false}.isValid())) << bits;
}

TEST(Scheme, Spellings) {
  for (Scheme scheme : {Scheme::Symmetric, Scheme::Asymmetric})
    EXPECT_EQ(symbolizeScheme(stringifyScheme(scheme)), scheme);
  EXPECT_EQ(stringifyScheme(Scheme::Symmetric), "symmetric");
  EXPECT_EQ(stringifyScheme(Scheme::Asymmetric), "asymmetric");
  EXPECT_EQ(symbolizeScheme("affine"), std::nullopt);
}

TEST(ChooseQuantParams, SymmetricSignedIsAbsMaxOverQmax) {
  QuantSpec spec = makeSpec(Scheme::Symmetric, IntegerStorage::int8(true));
  QuantParams params = chooseQuantParams(-0.0435f, 0.0445f, spec);
  EXPECT_EQ(params.scale, 0.0445f / 127.0f);
  EXPECT_EQ(params.zeroPoint, 0);
  // Full range keeps qmax = 127: -128 is never produced from the range.
  spec.storage = IntegerStorage::int8();
  EXPECT_EQ(chooseQuantParams(-2.0f, 1.0f, spec).scale, 2.0f / 127.0f);
  EXPECT_EQ(quantizeValue(-2.0f, chooseQuantParams(-2.0f, 1.0f, spec), spec),
            -127);
}

TEST(ChooseQuantParams, SymmetricUnsignedIsMaxOver255) {
  QuantSpec spec = makeSpec(Scheme::Symmetric, IntegerStorage::uint8());
  QuantParams params = chooseQuantParams(0.0f, 6.0f, spec);
  EXPECT_EQ(params.scale, 6.0f / 255.0f);
  EXPECT_EQ(params.zeroPoint, 0);
  // Negative values cannot be represented and saturate to 0.
  EXPECT_EQ(quantizeValue(-1.0f, params, spec), 0);
  EXPECT_EQ(quantizeValue(6.0f, params, spec), 255);
}

TEST(ChooseQuantParams, AsymmetricWidensToZero) {
  QuantSpec spec = makeSpec(Scheme::Asymmetric, IntegerStorage::uint8());
  // [2, 5] becomes [0, 5]: 0.0 must be exactly representable.
  QuantParams params = chooseQuantParams(2.0f, 5.0f, spec);
  EXPECT_EQ(params.scale, 5.0f / 255.0f);
  EXPECT_EQ(params.zeroPoint, 0);
  EXPECT_EQ(dequantizeValue(quantizeValue(0.0f, params, spec), params), 0.0f);
  // [-5, -2] becomes [-5, 0].
  params = chooseQuantParams(-5.0f, -2.0f, spec);
  EXPECT_EQ(params.zeroPoint, 255);
  EXPECT_EQ(dequantizeValue(quantizeValue(0.0f, params, spec), params), 0.0f);
  // A zero point that is a tie follows the rounding mode.
  params = chooseQuantParams(-2.5f, 252.5f, spec);
  EXPECT_EQ(params.scale, 1.0f);
  EXPECT_EQ(params.zeroPoint, 2);
  spec.rounding = RoundingMode::HalfAwayFromZero;
  EXPECT_EQ(chooseQuantParams(-2.5f, 252.5f, spec).zeroPoint, 3);
}

TEST(ChooseQuantParams, ZeroRangeGetsScaleOne) {
  for (Scheme scheme : {Scheme::Symmetric, Scheme::Asymmetric}) {
    for (IntegerStorage storage :
         {IntegerStorage::int8(true), IntegerStorage::int8(),
          IntegerStorage::uint8(), IntegerStorage{4, true, false}}) {
      QuantSpec spec = makeSpec(scheme, storage);
      QuantParams params = chooseQuantParams(0.0f, 0.0f, spec);
      EXPECT_EQ(params.scale, kZeroRangeScale);
      // Zero point 0 in both schemes: the integers are all zero.
      EXPECT_EQ(params.zeroPoint, 0);
      EXPECT_EQ(quantizeValue(0.0f, params, spec), 0);
      EXPECT_EQ(dequantizeValue(quantizeValue(0.0f, params, spec), params),
                0.0f);
      EXPECT_EQ(dequantizeValue(quantizeValue(-0.0f, params, spec), params),
                0.0f);
    }
  }
}

TEST(ChooseQuantParams, SubnormalRangesGetTheSmallestNormalScale) {
  for (Scheme scheme : {Scheme::Symmetric, Scheme::Asymmetric}) {
    QuantSpec spec = makeSpec(scheme, IntegerStorage::int8(true));
    for (float extent : {1e-45f, 1e-40f, 1e-38f, FLT_MIN, 1e-37f}) {
      QuantParams params = chooseQuantParams(-extent, extent, spec);
      EXPECT_TRUE(std::isnormal(params.scale)) << extent;
      EXPECT_GE(params.scale, FLT_MIN);
      // Still within half a step.
      float back = dequantizeValue(quantizeValue(extent, params, spec), params);
      EXPECT_LE(std::fabs(back - extent), params.scale / 2) << extent;
    }
  }
}

TEST(ChooseQuantParams, HugeRangesDequantizeToFiniteValues) {
  const IntegerStorage storages[] = {
      IntegerStorage::int8(true),     IntegerStorage::int8(),
      IntegerStorage::uint8(),        IntegerStorage{4, true, false},
      IntegerStorage{2, true, false}, IntegerStorage{16, false, false}};
  const std::pair<float, float> ranges[] = {
      {-FLT_MAX, FLT_MAX}, {0.0f, FLT_MAX}, {-FLT_MAX, 0.0f}, {-1.0f, FLT_MAX}};
  for (Scheme scheme : {Scheme::Symmetric, Scheme::Asymmetric})
    for (IntegerStorage storage : storages)
      for (auto [min, max] : ranges)
        for (RoundingMode rounding :
             {RoundingMode::HalfToEven, RoundingMode::HalfAwayFromZero}) {
          QuantSpec spec = makeSpec(scheme, storage, rounding);
          QuantParams params = chooseQuantParams(min, max, spec);
          SCOPED_TRACE(testing::Message()
                       << stringifyScheme(scheme).str() << " " << storage.bits
                       << (storage.isSigned ? "s" : "u") << " [" << min << ", "
                       << max << "] scale " << params.scale << " zero point "
                       << params.zeroPoint);
          ASSERT_TRUE(std::isfinite(params.scale));
          for (int64_t q : {storage.minValue(), storage.maxValue()})
            EXPECT_TRUE(std::isfinite(dequantizeValue(q, params))) << q;
          for (float x : {min, max, 0.0f})
            EXPECT_TRUE(std::isfinite(
                dequantizeValue(quantizeValue(x, params, spec), params)))
                << x;
        }
}

TEST(QuantizeValue, RoundsBeforeAddingTheZeroPoint) {
  // scale 1, zero point 3 (odd): 0.5 -> round(0.5) + 3 = 3 with ties to
  // even, where round(0.5 + 3) would give 4.
  QuantSpec spec = makeSpec(Scheme::Asymmetric, IntegerStorage::uint8());
  QuantParams params{1.0f, 3};
  EXPECT_EQ(quantizeValue(0.5f, params, spec), 3);
  EXPECT_EQ(quantizeValue(1.5f, params, spec), 5);
  EXPECT_EQ(quantizeValue(-0.5f, params, spec), 3);
  spec.rounding = RoundingMode::HalfAwayFromZero;
  EXPECT_EQ(quantizeValue(0.5f, params, spec), 4);
  EXPECT_EQ(quantizeValue(-0.5f, params, spec), 2);
}

TEST(QuantizeValue, SaturatesAndMapsNaNToTheZeroPoint) {
  QuantSpec spec = makeSpec(Scheme::Symmetric, IntegerStorage::int8(true));
  QuantParams params{0.5f, 0};
  EXPECT_EQ(quantizeValue(1000.0f, params, spec), 127);
  EXPECT_EQ(quantizeValue(-1000.0f, params, spec), -127);
  EXPECT_EQ(quantizeValue(kInf, params, spec), 127);
  EXPECT_EQ(quantizeValue(-kInf, params, spec), -127);
  EXPECT_EQ(quantizeValue(FLT_MAX, QuantParams{FLT_MIN, 0}, spec), 127);
  EXPECT_EQ(quantizeValue(kNaN, params, spec), 0);
  spec = makeSpec(Scheme::Asymmetric, IntegerStorage::uint8());
  EXPECT_EQ(quantizeValue(kNaN, QuantParams{0.5f, 17}, spec), 17);
  EXPECT_EQ(quantizeValue(-kInf, QuantParams{0.5f, 17}, spec), 0);
  EXPECT_EQ(quantizeValue(kInf, QuantParams{0.5f, 17}, spec), 255);
}

TEST(DequantizeValue, IsScaleTimesQMinusZeroPointInFloat) {
  EXPECT_EQ(dequantizeValue(33, QuantParams{0.0445f / 127.0f, 0}),
            33.0f * (0.0445f / 127.0f));
  EXPECT_EQ(dequantizeValue(0, QuantParams{0.25f, -3}), 0.75f);
  EXPECT_EQ(dequantizeValue(-3, QuantParams{0.25f, -3}), 0.0f);
  EXPECT_EQ(dequantizeValue(65535, QuantParams{1.0f, 0}), 65535.0f);
}

TEST(InverseScale, IsQmaxOverAbsMax) {
  IntegerStorage storage = IntegerStorage::int8(true);
  EXPECT_EQ(inverseScale(0.0445f, storage), 127.0f / 0.0445f);
  EXPECT_EQ(inverseScale(0.0f, storage), 1.0f);
  EXPECT_EQ(inverseScale(2.0f, IntegerStorage::uint8()), 127.5f);
}

TEST(InverseScale, StaysFiniteForSubnormalRanges) {
  // The scale of such a slice is raised to FLT_MIN; its inverse is the
  // finite 1 / FLT_MIN, not qmax / absMax, which overflows.
  IntegerStorage storage = IntegerStorage::int8(true);
  for (float absMax : {1e-45f, 1e-40f, 1e-38f}) {
    float inverse = inverseScale(absMax, storage);
    EXPECT_TRUE(std::isfinite(inverse)) << absMax;
    EXPECT_EQ(inverse, 1.0f / FLT_MIN) << absMax;
  }
  // At the boundary qmax / absMax is still exact and finite.
  EXPECT_EQ(inverseScale(127.0f * FLT_MIN, storage), 1.0f / FLT_MIN);
}

TEST(ValueRange, TracksMinMaxAndNonFiniteValues) {
  ValueRange range;
  EXPECT_TRUE(range.empty());
  EXPECT_TRUE(range.allFinite());
  EXPECT_EQ(range.absMax(), 0.0f);
  for (float x : {0.5f, -2.0f, 1.5f})
    range.add(x);
  EXPECT_FALSE(range.empty());
  EXPECT_EQ(range.min(), -2.0f);
  EXPECT_EQ(range.max(), 1.5f);
  EXPECT_EQ(range.absMax(), 2.0f);
  range.add(kNaN);
  range.add(-kInf);
  EXPECT_FALSE(range.allFinite());
  // Non-finite values do not widen the range.
  EXPECT_EQ(range.min(), -2.0f);
  EXPECT_EQ(range.max(), 1.5f);

  ValueRange onlyNaN;
  onlyNaN.add(kNaN);
  EXPECT_TRUE(onlyNaN.empty());
  EXPECT_FALSE(onlyNaN.allFinite());

  ValueRange positive;
  positive.add(3.0f);
  positive.add(7.0f);
  // The range is what was seen; widening to include 0 is the scheme's job.
  EXPECT_EQ(positive.min(), 3.0f);
  EXPECT_EQ(positive.absMax(), 7.0f);
}

} // namespace
