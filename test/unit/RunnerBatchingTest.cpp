//===- RunnerBatchingTest.cpp - Inputs checked, split, joined -------------===//

#include "qnn/Runner/Batching.h"

#include "gtest/gtest.h"

using namespace qnn::runner;

namespace {

constexpr int64_t kDyn = TensorSpec::kDynamic;

TensorSpec spec(DType dtype, llvm::ArrayRef<int64_t> shape,
                llvm::StringRef text) {
  TensorSpec s;
  s.dtype = dtype;
  s.shape.assign(shape.begin(), shape.end());
  s.typeText = text.str();
  return s;
}

/// @f(tensor<4x3xf32>) -> tensor<4x2xf32>.
Signature batchOfFour() {
  Signature signature;
  signature.entry = "f";
  signature.inputs.push_back(spec(DType::Float32, {4, 3}, "tensor<4x3xf32>"));
  signature.outputs.push_back(spec(DType::Float32, {4, 2}, "tensor<4x2xf32>"));
  return signature;
}

/// Rows numbered 0, 1, ... in every element of the row.
Array rows(int64_t count, int64_t width, DType dtype = DType::Float32) {
  Array array(dtype, {count, width});
  for (int64_t r = 0; r < count; ++r)
    for (int64_t c = 0; c < width; ++c)
      array.values<float>()[r * width + c] = static_cast<float>(r);
  return array;
}

std::string errorOf(llvm::Expected<BatchPlan> plan) {
  if (plan) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(plan.takeError());
}

TEST(RunnerBatching, ExactBatchIsOneCall) {
  std::vector<NamedArray> inputs = {{"x", rows(4, 3)}};
  auto plan = planBatches(batchOfFour(), inputs);
  ASSERT_TRUE(!!plan) << llvm::toString(plan.takeError());
  EXPECT_TRUE(plan->split);
  EXPECT_EQ(plan->numBatches, 1);
  EXPECT_EQ(plan->paddedRows(), 0);
  std::vector<Array> batch = inputsOfBatch(*plan, inputs, 0);
  EXPECT_TRUE(batch[0] == inputs[0].array);
}

TEST(RunnerBatching, SplitsPadsAndJoins) {
  Signature signature = batchOfFour();
  std::vector<NamedArray> inputs = {{"x", rows(10, 3)}};
  auto plan = planBatches(signature, inputs);
  ASSERT_TRUE(!!plan) << llvm::toString(plan.takeError());
  EXPECT_EQ(plan->samples, 10);
  EXPECT_EQ(plan->batchSize, 4);
  EXPECT_EQ(plan->numBatches, 3);
  EXPECT_EQ(plan->rowsIn(2), 2);
  EXPECT_EQ(plan->paddedRows(), 2);

  std::vector<std::vector<Array>> perBatch;
  for (int64_t b = 0; b < plan->numBatches; ++b) {
    std::vector<Array> batch = inputsOfBatch(*plan, inputs, b);
    ASSERT_EQ(batch[0].shape(), llvm::ArrayRef<int64_t>({4, 3}));
    for (int64_t r = 0; r < 4; ++r) {
      // Real rows carry their sample number, padded rows zeros.
      float want = b * 4 + r < 10 ? static_cast<float>(b * 4 + r) : 0.0f;
      EXPECT_EQ(batch[0].values<float>()[r * 3], want) << b << " " << r;
    }
    // A fake model: the first two columns of every row.
    Array out(DType::Float32, {4, 2});
    for (int64_t r = 0; r < 4; ++r)
      for (int64_t c = 0; c < 2; ++c)
        out.values<float>()[r * 2 + c] = batch[0].values<float>()[r * 3 + c];
    perBatch.push_back({std::move(out)});
  }
  auto outputs = gatherOutputs(*plan, signature, std::move(perBatch));
  ASSERT_TRUE(!!outputs) << llvm::toString(outputs.takeError());
  ASSERT_EQ(outputs->size(), 1u);
  EXPECT_TRUE((*outputs)[0] == rows(10, 2));
}

TEST(RunnerBatching, DynamicLeadingDimensionGoesWhole) {
  Signature signature;
  signature.entry = "f";
  signature.inputs.push_back(
      spec(DType::Float32, {kDyn, 3}, "tensor<?x3xf32>"));
  signature.outputs.push_back(spec(DType::Float32, {kDyn}, "tensor<?xf32>"));
  std::vector<NamedArray> inputs = {{"x", rows(1000, 3)}};
  auto plan = planBatches(signature, inputs);
  ASSERT_TRUE(!!plan) << llvm::toString(plan.takeError());
  EXPECT_FALSE(plan->split);
  EXPECT_EQ(plan->numBatches, 1);
  EXPECT_EQ(plan->samples, 1000);
}

TEST(RunnerBatching, ScalarsAndMixedLeadingDimensionsNeedExactShapes) {
  Signature signature;
  signature.entry = "f";
  signature.inputs.push_back(spec(DType::Float32, {4, 3}, "tensor<4x3xf32>"));
  TensorSpec scalar = spec(DType::Float32, {}, "f32");
  scalar.isScalar = true;
  signature.inputs.push_back(scalar);
  Array s(DType::Float32, {});
  std::vector<NamedArray> exact = {{"x", rows(4, 3)}, {"s", s}};
  auto plan = planBatches(signature, exact);
  ASSERT_TRUE(!!plan) << llvm::toString(plan.takeError());
  EXPECT_FALSE(plan->split);
  std::vector<NamedArray> more = {{"x", rows(8, 3)}, {"s", s}};
  EXPECT_EQ(errorOf(planBatches(signature, more)),
            "input 0 (x) has shape 8x3; @f takes tensor<4x3xf32>");
}

TEST(RunnerBatching, OutputsWithoutSampleDimensionCannotBeSplit) {
  Signature signature = batchOfFour();
  signature.outputs[0] = spec(DType::Float32, {2}, "tensor<2xf32>");
  std::vector<NamedArray> exact = {{"x", rows(4, 3)}};
  EXPECT_TRUE(!!planBatches(signature, exact));
  std::vector<NamedArray> inputs = {{"x", rows(5, 3)}};
  EXPECT_EQ(errorOf(planBatches(signature, inputs)),
            "@f takes batches of 4 samples but its result 0 (tensor<2xf32>) "
            "has no leading dimension of 4, so 5 samples cannot be split "
            "into batches; give exactly 4");
}

TEST(RunnerBatching, InputErrorsSayWhatTheFunctionTakes) {
  Signature signature = batchOfFour();
  std::vector<NamedArray> none;
  EXPECT_EQ(errorOf(planBatches(signature, none)), "@f takes 1 input, 0 given");
  std::vector<NamedArray> f64 = {{"d.npz:x", Array(DType::Float64, {4, 3})}};
  EXPECT_EQ(errorOf(planBatches(signature, f64)),
            "input 0 (d.npz:x) is float64; @f takes tensor<4x3xf32> "
            "(float32)");
  std::vector<NamedArray> rank = {{"x", Array(DType::Float32, {12})}};
  EXPECT_EQ(errorOf(planBatches(signature, rank)),
            "input 0 (x) has shape 12 (rank 1); @f takes tensor<4x3xf32> "
            "(rank 2)");
  std::vector<NamedArray> width = {{"x", Array(DType::Float32, {4, 5})}};
  EXPECT_EQ(errorOf(planBatches(signature, width)),
            "input 0 (x) has shape 4x5; @f takes tensor<4x3xf32>: dimension "
            "1 must be 3");
  std::vector<NamedArray> empty = {{"x", Array(DType::Float32, {0, 3})}};
  EXPECT_EQ(errorOf(planBatches(signature, empty)),
            "no samples: input 0 (x) has shape 0x3");

  signature.inputs.push_back(spec(DType::Float32, {4, 1}, "tensor<4x1xf32>"));
  std::vector<NamedArray> disagree = {{"x", rows(8, 3)}, {"y", rows(6, 1)}};
  EXPECT_EQ(errorOf(planBatches(signature, disagree)),
            "the inputs disagree on the number of samples (leading "
            "dimension): input 0 (x) has 8, input 1 (y) has 6");
}

TEST(RunnerBatching, SignlessBytesTakeInt8AndUInt8) {
  Signature signature;
  signature.entry = "f";
  TensorSpec bytes = spec(DType::Int8, {kDyn}, "tensor<?xi8>");
  bytes.signless = true;
  signature.inputs.push_back(bytes);
  std::vector<NamedArray> u8 = {{"x", Array(DType::UInt8, {3})}};
  EXPECT_TRUE(!!planBatches(signature, u8));
  signature.inputs[0].signless = false;
  EXPECT_EQ(errorOf(planBatches(signature, u8)),
            "input 0 (x) is uint8; @f takes tensor<?xi8> (int8)");
}

TEST(RunnerArray, SliceAndConcatenateRows) {
  Array a = rows(5, 2);
  Array middle = a.sliceRows(1, 3, 4);
  EXPECT_EQ(middle.shape(), llvm::ArrayRef<int64_t>({4, 2}));
  EXPECT_EQ(middle.values<float>()[0], 1.0f);
  EXPECT_EQ(middle.values<float>()[6], 0.0f);
  auto joined = Array::concatRows({a.sliceRows(0, 2, 2), a.sliceRows(2, 3, 3)});
  ASSERT_TRUE(!!joined) << llvm::toString(joined.takeError());
  EXPECT_TRUE(*joined == a);
  auto mismatch = Array::concatRows({rows(2, 2), rows(2, 3)});
  ASSERT_FALSE(!!mismatch);
  EXPECT_EQ(llvm::toString(mismatch.takeError()),
            "cannot concatenate a float32 2x3 array to a float32 2x2 array");
}

} // namespace
