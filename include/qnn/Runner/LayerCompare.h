//===- LayerCompare.h - Per-layer error of two observed models --*- C++ -*-===//
//
// What `qnn-run --eval --per-layer` reports: both models are instrumented
// with qnn-insert-observers (in an int8 model from qnn-quantize, the inputs
// of its qnn.quantize ops, under the names the fp32 model's activations
// have), run batch by batch on the same inputs, and every value observed
// under the same name in both is compared: the error that quantization has
// accumulated by the time it reaches that layer.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_LAYERCOMPARE_H
#define QNN_RUNNER_LAYERCOMPARE_H

#include "qnn/Runner/Calibrator.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace qnn::runner {

/// The error of one observed value of the candidate against the reference.
struct LayerError {
  std::string name;
  int64_t elements = 0;
  double maxAbsError = 0.0;
  double meanAbsError = 0.0;
  /// 10 log10(sum reference^2 / sum error^2); +inf when identical.
  double sqnrDb = 0.0;
};

/// The two models' observations, compared as they run.
class LayerComparison {
public:
  /// The observed names of each model (instrumentModule's).
  LayerComparison(std::vector<std::string> referenceNames,
                  std::vector<std::string> candidateNames);
  ~LayerComparison();

  /// Runs both (instrumented, compiled with `observerHostSymbol`) on every
  /// batch of `inputs`, the reference first, and returns the outputs of
  /// each (`outputs[0]` the reference's).
  mlir::FailureOr<std::pair<std::vector<Array>, std::vector<Array>>>
  run(CompiledModule &reference, CompiledModule &candidate,
      llvm::ArrayRef<NamedArray> inputs, ProgressFn progress = nullptr);

  /// The values observed under the same name in both, in the reference's
  /// order.
  std::vector<LayerError> getErrors() const;
  /// Names observed in only one of the models.
  std::vector<std::string> getUnmatched() const;

private:
  class Recorder;
  class Comparer;
  std::unique_ptr<Recorder> recorder;
  std::unique_ptr<Comparer> comparer;
};

void printLayerErrors(llvm::ArrayRef<LayerError> errors,
                      llvm::ArrayRef<std::string> unmatched,
                      llvm::raw_ostream &os);
llvm::json::Value toJSON(llvm::ArrayRef<LayerError> errors);

} // namespace qnn::runner

#endif // QNN_RUNNER_LAYERCOMPARE_H
