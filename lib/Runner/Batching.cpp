//===- Batching.cpp - Samples in fixed-size batches -----------------------===//

#include "qnn/Runner/Batching.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

namespace qnn::runner {

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 message.str().c_str());
}

bool TensorSpec::hasStaticShape() const {
  return llvm::none_of(shape, [](int64_t d) { return d == kDynamic; });
}

bool TensorSpec::acceptsDType(DType given) const {
  if (given == dtype)
    return true;
  return signless && ((dtype == DType::Int8 && given == DType::UInt8) ||
                      (dtype == DType::UInt8 && given == DType::Int8));
}

int64_t BatchPlan::rowsIn(int64_t index) const {
  if (!split)
    return samples;
  return std::min(batchSize, samples - index * batchSize);
}

int64_t BatchPlan::paddedRows() const {
  return split ? numBatches * batchSize - samples : 0;
}

/// "input 0 (test-set.npz:images)".
static std::string describeInput(size_t index, const NamedArray &input) {
  return llvm::formatv("input {0} ({1})", index, input.name).str();
}

/// Checks dtype, rank and every dimension but the leading one.
static llvm::Error checkInput(const Signature &signature, size_t index,
                              const NamedArray &input) {
  const TensorSpec &spec = signature.inputs[index];
  const Array &array = input.array;
  std::string what = describeInput(index, input);
  std::string expected =
      llvm::formatv("@{0} takes {1}", signature.entry, spec.typeText).str();
  if (!spec.acceptsDType(array.dtype()))
    return fail(llvm::formatv("{0} is {1}; {2} ({3})", what,
                              dtypeName(array.dtype()), expected,
                              dtypeName(spec.dtype)));
  if (array.rank() != spec.rank())
    return fail(llvm::formatv("{0} has shape {1} (rank {2}); {3} (rank {4})",
                              what, formatShape(array.shape()), array.rank(),
                              expected, spec.rank()));
  for (int64_t d = 1; d < spec.rank(); ++d)
    if (spec.shape[d] != TensorSpec::kDynamic &&
        spec.shape[d] != array.shape()[d])
      return fail(llvm::formatv("{0} has shape {1}; {2}: dimension {3} must "
                                "be {4}",
                                what, formatShape(array.shape()), expected, d,
                                spec.shape[d]));
  return llvm::Error::success();
}

/// The plan when every input goes in whole, as it is: the leading
/// dimensions must match too.
static llvm::Expected<BatchPlan> wholePlan(const Signature &signature,
                                           llvm::ArrayRef<NamedArray> inputs,
                                           int64_t samples) {
  for (auto [index, input] : llvm::enumerate(inputs)) {
    const TensorSpec &spec = signature.inputs[index];
    if (spec.rank() > 0 && spec.shape[0] != TensorSpec::kDynamic &&
        spec.shape[0] != input.array.shape()[0])
      return fail(llvm::formatv(
          "{0} has shape {1}; @{2} takes {3}", describeInput(index, input),
          formatShape(input.array.shape()), signature.entry, spec.typeText));
  }
  BatchPlan plan;
  plan.samples = samples;
  plan.batchSize = samples;
  return plan;
}

llvm::Expected<BatchPlan> planBatches(const Signature &signature,
                                      llvm::ArrayRef<NamedArray> inputs) {
  if (inputs.size() != signature.inputs.size())
    return fail(llvm::formatv("@{0} takes {1} input{2}, {3} given",
                              signature.entry, signature.inputs.size(),
                              signature.inputs.size() == 1 ? "" : "s",
                              inputs.size()));
  for (auto [index, input] : llvm::enumerate(inputs))
    if (llvm::Error error = checkInput(signature, index, input))
      return std::move(error);
  if (inputs.empty())
    return BatchPlan();

  // Batching needs the same static leading dimension on every input, and
  // the same number of samples in each; anything else goes in whole.
  bool allRanked = llvm::all_of(
      signature.inputs, [](const TensorSpec &spec) { return spec.rank() > 0; });
  if (!allRanked)
    return wholePlan(signature, inputs, 0);
  int64_t samples = inputs.front().array.shape()[0];
  int64_t batch = signature.inputs.front().shape[0];
  bool sameLeading =
      llvm::all_of(signature.inputs, [&](const TensorSpec &spec) {
        return spec.shape[0] == batch;
      });
  if (!sameLeading || batch == TensorSpec::kDynamic)
    return wholePlan(signature, inputs, samples);
  for (auto [index, input] : llvm::enumerate(inputs))
    if (input.array.shape()[0] != samples)
      return fail(
          llvm::formatv("the inputs disagree on the number of samples (leading "
                        "dimension): {0} has {1}, {2} has {3}",
                        describeInput(0, inputs.front()), samples,
                        describeInput(index, input), input.array.shape()[0]));
  if (samples == 0)
    return fail(llvm::formatv("no samples: {0} has shape {1}",
                              describeInput(0, inputs.front()),
                              formatShape(inputs.front().array.shape())));

  BatchPlan plan;
  plan.samples = samples;
  plan.batchSize = batch;
  plan.numBatches = (samples + batch - 1) / batch;
  plan.split = true;
  if (plan.numBatches == 1 && plan.paddedRows() == 0)
    return plan;
  // The outputs must carry the sample dimension too, or the batches'
  // results could not be put back together.
  for (auto [index, spec] : llvm::enumerate(signature.outputs))
    if (spec.rank() == 0 ||
        (spec.shape[0] != batch && spec.shape[0] != TensorSpec::kDynamic))
      return fail(llvm::formatv(
          "@{0} takes batches of {1} samples but its result {2} ({3}) has no "
          "leading dimension of {1}, so {4} samples cannot be split into "
          "batches; give exactly {1}",
          signature.entry, batch, index, spec.typeText, samples));
  return plan;
}

std::vector<Array> inputsOfBatch(const BatchPlan &plan,
                                 llvm::ArrayRef<NamedArray> inputs,
                                 int64_t index) {
  std::vector<Array> arrays;
  arrays.reserve(inputs.size());
  for (const NamedArray &input : inputs) {
    if (!plan.split) {
      arrays.push_back(input.array);
      continue;
    }
    arrays.push_back(input.array.sliceRows(index * plan.batchSize,
                                           plan.rowsIn(index), plan.batchSize));
  }
  return arrays;
}

llvm::Expected<std::vector<Array>>
gatherOutputs(const BatchPlan &plan, const Signature &signature,
              std::vector<std::vector<Array>> perBatch) {
  if (static_cast<int64_t>(perBatch.size()) != plan.numBatches)
    return fail(llvm::formatv("expected the results of {0} batches, got {1}",
                              plan.numBatches, perBatch.size()));
  if (!plan.split || (plan.numBatches == 1 && plan.paddedRows() == 0))
    return std::move(perBatch.front());

  size_t numOutputs = signature.outputs.size();
  std::vector<Array> outputs;
  for (size_t output = 0; output < numOutputs; ++output) {
    std::vector<Array> parts;
    for (int64_t batch = 0; batch < plan.numBatches; ++batch) {
      const Array &result = perBatch[batch][output];
      if (result.rank() == 0 || result.shape()[0] != plan.batchSize)
        return fail(llvm::formatv(
            "result {0} of @{1} has shape {2} on a batch of {3} samples; "
            "cannot take the samples back out of it",
            output, signature.entry, formatShape(result.shape()),
            plan.batchSize));
      int64_t rows = plan.rowsIn(batch);
      parts.push_back(rows == plan.batchSize
                          ? std::move(perBatch[batch][output])
                          : result.sliceRows(0, rows, rows));
    }
    llvm::Expected<Array> joined = Array::concatRows(parts);
    if (!joined)
      return joined.takeError();
    outputs.push_back(std::move(*joined));
  }
  return outputs;
}

} // namespace qnn::runner
