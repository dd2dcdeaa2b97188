//===- Calibrator.h - Calibration statistics from observed runs -*- C++ -*-===//
//
// What `qnn-run --calibrate` does: instrument an fp32 module with
// qnn-insert-observers, JIT it with the observer callback registered as a
// host symbol (the `qnn.observe` lowering calls it with each observed
// tensor), run it batch by batch over the calibration inputs, and collect
// per-value statistics (quantmath::accumulate) into the statistics file
// that qnn-quantize reads.
//
// The compiled code calls a plain C function, so the calibrator it reports
// to is the one whose `run` is active (one at a time per process).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_CALIBRATOR_H
#define QNN_RUNNER_CALIBRATOR_H

#include "qnn/Dialect/QNN/Transforms/Statistics.h"
#include "qnn/Quant/Calibration.h"
#include "qnn/Runner/CompiledModule.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace qnn::runner {

/// Which values to observe and what to record of them.
struct CalibrateOptions {
  /// qnn-insert-observers' `ops` and `exclude` (the same lists as
  /// qnn-quantize's), or every computed value with `allValues`.
  std::vector<std::string> onlyOps;
  std::vector<std::string> excludeOps;
  bool allValues = false;
  /// Histogram bins (0: no histogram) and the moving-average constant.
  quantmath::CalibrationOptions calibration;
};

/// Runs qnn-insert-observers on `module` and fixes the ids the observers
/// will report with (the module attribute `qnn.observed_values`). Returns
/// the observed names, indexed by id; diagnostics on `module`'s context
/// otherwise.
mlir::FailureOr<std::vector<std::string>>
instrumentModule(mlir::ModuleOp module, const CalibrateOptions &options);

/// The C interface function observers call, to register with
/// `CompileOptions::hostSymbols`.
std::pair<std::string, void *> observerHostSymbol();

/// Receives what the observers of a running module report, one batch at a
/// time: the compiled code calls a plain C function, which hands the
/// elements to the sink whose `callBatch` is running.
class ObservationSink {
public:
  explicit ObservationSink(std::vector<std::string> names);
  virtual ~ObservationSink();
  ObservationSink(const ObservationSink &) = delete;
  ObservationSink &operator=(const ObservationSink &) = delete;

  llvm::ArrayRef<std::string> getNames() const { return names; }

  /// Calls `module` (instrumented, compiled with `observerHostSymbol`) on
  /// batch `index` of `plan` with this sink receiving its observations.
  /// Fails after a diagnostic at the entry function.
  mlir::FailureOr<std::vector<Array>>
  callBatch(CompiledModule &module, const BatchPlan &plan,
            llvm::ArrayRef<NamedArray> inputs, int64_t index);

  /// From the observer callback: the elements of observed value `id`
  /// (row-major), of which only the real rows reach `observe`.
  void receive(int64_t id, std::vector<float> elements);

protected:
  /// The real rows of observed value `id` in the current batch.
  virtual void observe(int64_t id, llvm::ArrayRef<float> elements) = 0;
  /// Records the first problem met while the compiled code runs (which
  /// cannot be failed); `callBatch` reports it.
  void setProblem(std::string message);

  std::vector<std::string> names;

private:
  /// Rows of the current batch and how many of them are real (the last
  /// batch is padded); both 0 when the inputs are passed whole.
  int64_t batchRows = 0, realRows = 0;
  std::optional<std::string> problem;
};

/// Statistics of the observed values of one module over any number of
/// runs.
class Calibrator : public ObservationSink {
public:
  Calibrator(std::vector<std::string> names, const CalibrateOptions &options);

  /// Runs `module` over `inputs`, one call per batch, adding what its
  /// observers report. Rows the runner pads the last batch with are left
  /// out of the statistics.
  mlir::LogicalResult run(CompiledModule &module,
                          llvm::ArrayRef<NamedArray> inputs,
                          ProgressFn progress = nullptr);

  /// Every observed value's statistics, keyed by name.
  Statistics getStatistics() const;
  /// Names of values no run reached (their entries have count 0).
  std::vector<std::string> getUnobserved() const;
  /// Samples seen so far.
  int64_t samples() const { return seenSamples; }

protected:
  void observe(int64_t id, llvm::ArrayRef<float> elements) override;

private:
  CalibrateOptions options;
  std::vector<quantmath::ActivationStatistics> statistics;
  int64_t seenSamples = 0;
};

} // namespace qnn::runner

#endif // QNN_RUNNER_CALIBRATOR_H
