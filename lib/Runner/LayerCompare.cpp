//===- LayerCompare.cpp - Per-layer error of two observed models ----------===//

#include "qnn/Runner/LayerCompare.h"

#include "mlir/IR/Diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace qnn::runner {

/// Keeps the reference's observations of the current batch, by name.
class LayerComparison::Recorder : public ObservationSink {
public:
  using ObservationSink::ObservationSink;

  void clear() { values.clear(); }
  const std::vector<float> *lookup(llvm::StringRef name) const {
    auto it = values.find(name);
    return it == values.end() ? nullptr : &it->second;
  }

protected:
  void observe(int64_t id, llvm::ArrayRef<float> elements) override {
    // A value observed several times in one call (in a loop) is compared
    // as the concatenation of its observations.
    llvm::append_range(values[names[id]], elements);
  }

private:
  llvm::StringMap<std::vector<float>> values;
};

/// Compares the candidate's observations with what the recorder kept.
class LayerComparison::Comparer : public ObservationSink {
public:
  /// Sums over every batch of one compared value.
  struct Accumulated {
    int64_t elements = 0;
    double maxAbs = 0.0, sumAbs = 0.0, sumSquares = 0.0, sumErrorSquares = 0.0;
  };

  Comparer(std::vector<std::string> names, const Recorder &recorder)
      : ObservationSink(std::move(names)), recorder(recorder),
        sums(getNames().size()), offsets(getNames().size(), 0) {}

  void startBatch() { std::fill(offsets.begin(), offsets.end(), 0); }
  const Accumulated &getSums(size_t id) const { return sums[id]; }

protected:
  void observe(int64_t id, llvm::ArrayRef<float> elements) override {
    const std::vector<float> *reference = recorder.lookup(names[id]);
    if (!reference)
      return;
    size_t offset = offsets[id];
    if (offset + elements.size() > reference->size())
      return setProblem(llvm::formatv(
          "value '{0}' has {1} elements in the candidate but {2} in the "
          "reference: they are not the same value",
          names[id], offset + elements.size(), reference->size()));
    Accumulated &sum = sums[id];
    for (auto [index, got] : llvm::enumerate(elements)) {
      double want = (*reference)[offset + index];
      double error = static_cast<double>(got) - want;
      sum.maxAbs = std::max(sum.maxAbs, std::fabs(error));
      sum.sumAbs += std::fabs(error);
      sum.sumSquares += want * want;
      sum.sumErrorSquares += error * error;
    }
    sum.elements += static_cast<int64_t>(elements.size());
    offsets[id] += elements.size();
  }

private:
  const Recorder &recorder;
  std::vector<Accumulated> sums;
  std::vector<size_t> offsets;
};

LayerComparison::LayerComparison(std::vector<std::string> referenceNames,
                                 std::vector<std::string> candidateNames)
    : recorder(std::make_unique<Recorder>(std::move(referenceNames))),
      comparer(
          std::make_unique<Comparer>(std::move(candidateNames), *recorder)) {}

LayerComparison::~LayerComparison() = default;

FailureOr<std::pair<std::vector<Array>, std::vector<Array>>>
LayerComparison::run(CompiledModule &reference, CompiledModule &candidate,
                     llvm::ArrayRef<NamedArray> inputs, ProgressFn progress) {
  FailureOr<BatchPlan> plan = reference.plan(inputs);
  if (failed(plan) || failed(candidate.plan(inputs)))
    return failure();
  std::vector<std::vector<Array>> referenceBatches, candidateBatches;
  for (int64_t index = 0; index < plan->numBatches; ++index) {
    recorder->clear();
    comparer->startBatch();
    FailureOr<std::vector<Array>> expected =
        recorder->callBatch(reference, *plan, inputs, index);
    if (failed(expected))
      return failure();
    FailureOr<std::vector<Array>> got =
        comparer->callBatch(candidate, *plan, inputs, index);
    if (failed(got))
      return failure();
    referenceBatches.push_back(std::move(*expected));
    candidateBatches.push_back(std::move(*got));
    if (progress)
      progress(index + 1, plan->numBatches);
  }
  auto gather = [&](CompiledModule &module,
                    std::vector<std::vector<Array>> batches)
      -> FailureOr<std::vector<Array>> {
    auto outputs = gatherOutputs(*plan, module.signature(), std::move(batches));
    if (!outputs)
      return emitError(module.location())
             << llvm::toString(outputs.takeError());
    return std::move(*outputs);
  };
  FailureOr<std::vector<Array>> expected =
      gather(reference, std::move(referenceBatches));
  if (failed(expected))
    return failure();
  FailureOr<std::vector<Array>> got =
      gather(candidate, std::move(candidateBatches));
  if (failed(got))
    return failure();
  return std::make_pair(std::move(*expected), std::move(*got));
}

std::vector<LayerError> LayerComparison::getErrors() const {
  llvm::StringMap<size_t> candidateIds;
  for (auto [id, name] : llvm::enumerate(comparer->getNames()))
    candidateIds.try_emplace(name, id);
  std::vector<LayerError> errors;
  for (const std::string &name : recorder->getNames()) {
    auto it = candidateIds.find(name);
    if (it == candidateIds.end())
      continue;
    const Comparer::Accumulated &sum = comparer->getSums(it->second);
    LayerError error;
    error.name = name;
    error.elements = sum.elements;
    error.maxAbsError = sum.maxAbs;
    error.meanAbsError = sum.elements ? sum.sumAbs / sum.elements : 0.0;
    error.sqnrDb =
        sum.sumErrorSquares == 0.0
            ? INFINITY
            : 10.0 * std::log10(sum.sumSquares / sum.sumErrorSquares);
    errors.push_back(std::move(error));
  }
  return errors;
}

std::vector<std::string> LayerComparison::getUnmatched() const {
  std::vector<std::string> unmatched;
  llvm::ArrayRef<std::string> reference = recorder->getNames();
  llvm::ArrayRef<std::string> candidate = comparer->getNames();
  for (const std::string &name : reference)
    if (!llvm::is_contained(candidate, name))
      unmatched.push_back(name);
  for (const std::string &name : candidate)
    if (!llvm::is_contained(reference, name))
      unmatched.push_back(name);
  return unmatched;
}

static std::string formatSqnr(double sqnr) {
  if (std::isinf(sqnr))
    return sqnr > 0 ? "inf" : "-inf";
  return llvm::formatv("{0:f2}", sqnr);
}

void printLayerErrors(llvm::ArrayRef<LayerError> errors,
                      llvm::ArrayRef<std::string> unmatched,
                      llvm::raw_ostream &os) {
  os << llvm::formatv("per-layer error ({0} value{1} observed in both):\n",
                      errors.size(), errors.size() == 1 ? "" : "s");
  const char *row = "  {0,-24} {1,10} {2,11} {3,11} {4,9}\n";
  os << llvm::formatv(row, "value", "elements", "max|err|", "mean|err|",
                      "SQNR(dB)");
  for (const LayerError &error : errors)
    os << llvm::formatv(row, error.name, error.elements,
                        llvm::formatv("{0:e3}", error.maxAbsError).str(),
                        llvm::formatv("{0:e3}", error.meanAbsError).str(),
                        formatSqnr(error.sqnrDb));
  if (!unmatched.empty())
    os << "  observed in one model only: " << llvm::join(unmatched, ", ")
       << "\n";
}

llvm::json::Value toJSON(llvm::ArrayRef<LayerError> errors) {
  llvm::json::Array layers;
  for (const LayerError &error : errors) {
    llvm::json::Value sqnr = error.sqnrDb;
    if (std::isinf(error.sqnrDb))
      sqnr = error.sqnrDb > 0 ? "inf" : "-inf";
    layers.push_back(llvm::json::Object{{"name", error.name},
                                        {"elements", error.elements},
                                        {"max_abs_error", error.maxAbsError},
                                        {"mean_abs_error", error.meanAbsError},
                                        {"sqnr_db", std::move(sqnr)}});
  }
  return layers;
}

} // namespace qnn::runner
