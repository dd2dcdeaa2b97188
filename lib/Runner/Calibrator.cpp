//===- Calibrator.cpp - Calibration statistics from observed runs ---------===//

#include "qnn/Runner/Calibrator.h"

#include "qnn/Conversion/QNNToLinalg/ObserveLowering.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace qnn::runner {

/// The sink whose `callBatch` is running: the compiled code calls a plain
/// C function, which cannot carry it.
static ObservationSink *activeSink = nullptr;

extern "C" {
/// `_mlir_ciface_qnn_observe_f32`: see ObserveLowering.h.
static void observeF32(::UnrankedMemRefType<float> *value, int64_t id) {
  if (!activeSink || !value)
    return;
  ::DynamicMemRefType<float> memref(*value);
  std::vector<float> elements;
  int64_t total = 1;
  for (int64_t dim = 0; dim < memref.rank; ++dim)
    total *= memref.sizes[dim];
  elements.reserve(total);
  if (total > 0)
    for (float element : memref)
      elements.push_back(element);
  activeSink->receive(id, std::move(elements));
}
}

std::pair<std::string, void *> observerHostSymbol() {
  return {kObserveCInterfaceName.str(), reinterpret_cast<void *>(&observeF32)};
}

FailureOr<std::vector<std::string>>
instrumentModule(ModuleOp module, const CalibrateOptions &options) {
  PassManager pm(module.getContext());
  QNNInsertObserversOptions passOptions;
  passOptions.onlyOps.assign(options.onlyOps.begin(), options.onlyOps.end());
  passOptions.excludeOps.assign(options.excludeOps.begin(),
                                options.excludeOps.end());
  passOptions.allValues = options.allValues;
  pm.addPass(createQNNInsertObservers(passOptions));
  if (failed(pm.run(module)))
    return failure();
  FailureOr<ArrayAttr> table = prepareObserverLowering(module);
  if (failed(table))
    return failure();
  std::vector<std::string> names;
  for (Attribute name : *table)
    names.push_back(cast<StringAttr>(name).getValue().str());
  return names;
}

ObservationSink::ObservationSink(std::vector<std::string> names)
    : names(std::move(names)) {}

ObservationSink::~ObservationSink() {
  if (activeSink == this)
    activeSink = nullptr;
}

void ObservationSink::setProblem(std::string message) {
  if (!problem)
    problem = std::move(message);
}

void ObservationSink::receive(int64_t id, std::vector<float> elements) {
  if (id < 0 || id >= static_cast<int64_t>(names.size()))
    return setProblem(llvm::formatv("an observer reported the unknown id {0} "
                                    "(the module has {1} observed values)",
                                    id, names.size()));
  if (realRows < batchRows) {
    // The last batch is padded with zero rows: keep the real ones. A value
    // computed per sample keeps the samples outermost (row-major), so the
    // real rows are the first realRows / batchRows of it.
    auto size = static_cast<int64_t>(elements.size());
    if (size % batchRows != 0)
      return setProblem(llvm::formatv(
          "value '{0}' has {1} elements on a batch of {2} samples, so the "
          "{3} padded samples of the last batch cannot be told apart; "
          "calibrate on a multiple of {2} samples",
          names[id], size, batchRows, batchRows - realRows));
    elements.resize(size / batchRows * realRows);
  }
  observe(id, elements);
}

FailureOr<std::vector<Array>>
ObservationSink::callBatch(CompiledModule &module, const BatchPlan &plan,
                           llvm::ArrayRef<NamedArray> inputs, int64_t index) {
  batchRows = plan.split ? plan.batchSize : 0;
  realRows = plan.split ? plan.rowsIn(index) : 0;
  activeSink = this;
  auto deactivate = llvm::make_scope_exit([] { activeSink = nullptr; });
  FailureOr<std::vector<Array>> results =
      module.call(inputsOfBatch(plan, inputs, index));
  if (failed(results))
    return failure();
  if (problem)
    return emitError(module.location()) << *problem;
  return results;
}

Calibrator::Calibrator(std::vector<std::string> names,
                       const CalibrateOptions &options)
    : ObservationSink(std::move(names)), options(options),
      statistics(getNames().size()) {}

void Calibrator::observe(int64_t id, llvm::ArrayRef<float> elements) {
  bool keepHistogram = options.calibration.histogramBins > 0;
  quantmath::accumulate(statistics[id], elements, options.calibration,
                        keepHistogram);
}

LogicalResult Calibrator::run(CompiledModule &module,
                              llvm::ArrayRef<NamedArray> inputs,
                              ProgressFn progress) {
  FailureOr<BatchPlan> plan = module.plan(inputs);
  if (failed(plan))
    return failure();
  // planBatches refuses empty inputs it splits; a dynamic batch dimension
  // passes them whole, which would observe nothing.
  if (!inputs.empty() && llvm::all_of(inputs, [](const NamedArray &input) {
        return input.array.numElements() == 0;
      }))
    return emitError(module.location())
           << "no samples to calibrate on: every input is empty";
  for (int64_t index = 0; index < plan->numBatches; ++index) {
    if (failed(callBatch(module, *plan, inputs, index)))
      return failure();
    if (progress)
      progress(index + 1, plan->numBatches);
  }
  seenSamples += plan->samples;
  return success();
}

Statistics Calibrator::getStatistics() const {
  Statistics result;
  for (auto [name, stats] : llvm::zip_equal(names, statistics))
    result.set(name, ValueStatistics::fromActivation(stats));
  return result;
}

std::vector<std::string> Calibrator::getUnobserved() const {
  std::vector<std::string> result;
  for (auto [name, stats] : llvm::zip_equal(names, statistics))
    if (stats.count == 0 && stats.nonFinite == 0)
      result.push_back(name);
  return result;
}

} // namespace qnn::runner
