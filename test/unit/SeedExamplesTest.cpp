//===- SeedExamplesTest.cpp - The seed notes' worked examples -------------===//
//
// Both worked examples of shared/seed/neural-network-quantization.txt,
// reproduced digit for digit at the precision the notes print.
//
//===----------------------------------------------------------------------===//

#include "qnn/Quant/ErrorStats.h"
#include "qnn/Quant/QuantParams.h"
#include "qnn/Quant/TensorQuantizer.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <string>
#include <vector>

using namespace qnn::quantmath;

namespace {

// The tensor both examples start from, row-major 3x3.
// clang-format off
const std::vector<float> kSeedTensor = {0.0114f,  -0.0231f, 0.0445f,
                                        0.0f,     0.0f,     0.0f,
                                        -0.0409f, -0.0435f, -0.0400f};
// clang-format on

/// The notes print tensors with four decimals (PyTorch's default).
std::string fourDecimals(float value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.4f", static_cast<double>(value));
  return text;
}

std::vector<std::string> fourDecimals(const std::vector<float> &values) {
  std::vector<std::string> texts;
  for (float value : values)
    texts.push_back(fourDecimals(value));
  return texts;
}

/// numpy prints float32 in scientific notation with eight significant digits.
std::string numpyScientific(float value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.7e", static_cast<double>(value));
  return text;
}

TEST(SeedFirstExample, ScaleOneOver255) {
  const QuantParams params{1.0f / 255.0f, 0};
  QuantSpec spec;
  spec.storage = IntegerStorage::int8();

  // "Divide the tensor by scale".
  std::vector<float> scaled;
  for (float x : kSeedTensor)
    scaled.push_back(x / params.scale);
  EXPECT_EQ(fourDecimals(scaled),
            (std::vector<std::string>{"2.9070", "-5.8905", "11.3475", "0.0000",
                                      "0.0000", "0.0000", "-10.4295",
                                      "-11.0925", "-10.2000"}));

  // "Round the tensor to nearest integer".
  std::vector<int64_t> rounded;
  for (float x : kSeedTensor)
    rounded.push_back(quantizeValue(x, params, spec));
  EXPECT_EQ(rounded, (std::vector<int64_t>{3, -6, 11, 0, 0, 0, -10, -11, -10}));

  // "Dequantization".
  std::vector<float> dequantized;
  for (int64_t q : rounded)
    dequantized.push_back(dequantizeValue(q, params));
  EXPECT_EQ(fourDecimals(dequantized),
            (std::vector<std::string>{"0.0118", "-0.0235", "0.0431", "0.0000",
                                      "0.0000", "0.0000", "-0.0392", "-0.0431",
                                      "-0.0392"}));

  // "Quantization error": the notes' column is W_hat - W.
  std::vector<float> error;
  for (size_t i = 0; i < kSeedTensor.size(); ++i)
    error.push_back(dequantized[i] - kSeedTensor[i]);
  EXPECT_EQ(fourDecimals(error),
            (std::vector<std::string>{"0.0004", "-0.0004", "-0.0014", "0.0000",
                                      "0.0000", "0.0000", "0.0017", "0.0004",
                                      "0.0008"}));

  ErrorStats stats = computeErrorStats(kSeedTensor, dequantized);
  EXPECT_EQ(fourDecimals(static_cast<float>(stats.maxAbs)), "0.0017");
}

TEST(SeedGnmtExample, PerRowSymmetricInt8) {
  const IntegerStorage storage = IntegerStorage::int8(/*narrow=*/true);

  // "Compute absolute max along axis 1", then the scaling vector
  // scale = 127 / absmax, with 127 standing in for a zero absmax.
  std::vector<float> inverse;
  for (int row = 0; row < 3; ++row) {
    ValueRange range;
    for (int col = 0; col < 3; ++col)
      range.add(kSeedTensor[row * 3 + col]);
    inverse.push_back(inverseScale(range.absMax(), storage));
  }
  EXPECT_EQ(numpyScientific(inverse[0]), "2.8539326e+03");
  EXPECT_EQ(numpyScientific(inverse[1]), "1.0000000e+00");
  EXPECT_EQ(numpyScientific(inverse[2]), "2.9195403e+03");

  // "multiply weights and scale": numpy prints the shortest float32 that
  // round-trips, so comparing with that literal is digit for digit.
  // clang-format off
  const std::vector<float> expectedScaled = {
      32.534832f,   -65.92584f, 127.0f,
      0.0f,         0.0f,       0.0f,
      -119.409195f, -127.0f,    -116.78161f};
  // clang-format on
  for (int i = 0; i < 9; ++i)
    EXPECT_EQ(kSeedTensor[i] * inverse[i / 3], expectedScaled[i]) << "at " << i;

  // "Round float to int8", through the library's per-axis quantizer.
  QuantSpec spec;
  spec.scheme = Scheme::Symmetric;
  spec.storage = storage;
  auto quantized =
      quantizeTensor(kSeedTensor, {3, 3}, Granularity::perAxis(0), spec);
  ASSERT_TRUE(static_cast<bool>(quantized))
      << llvm::toString(quantized.takeError());
  EXPECT_EQ(quantized->values,
            (std::vector<int32_t>{33, -66, 127, 0, 0, 0, -119, -127, -117}));

  // The library's scale is S in W = S * W_int: the inverse of the notes'
  // scaling vector (to float rounding), and 1.0 for the zero row.
  ASSERT_EQ(quantized->params.size(), 3u);
  for (int row = 0; row < 3; ++row) {
    EXPECT_FLOAT_EQ(quantized->params[row].scale, 1.0f / inverse[row]);
    EXPECT_EQ(quantized->params[row].zeroPoint, 0);
  }
  EXPECT_EQ(quantized->params[1].scale, 1.0f);
}

} // namespace
