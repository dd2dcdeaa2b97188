//===- Compare.h - One model's outputs against another's --------*- C++ -*-===//
//
// What `qnn-run --eval` reports: per output, the error of a candidate (the
// int8 model, say) against a reference (the fp32 model), the agreement of
// their top-1 predictions, and the top-1 accuracy of each against labels.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_COMPARE_H
#define QNN_RUNNER_COMPARE_H

#include "qnn/Runner/Array.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace qnn::runner {

/// The comparison of one output.
struct OutputComparison {
  std::string name;
  DType dtype = DType::Float32;
  llvm::SmallVector<int64_t, 4> shape;
  /// max |candidate - reference| and mean |candidate - reference|.
  double maxAbsError = 0.0;
  double meanAbsError = 0.0;
  /// 10 log10(sum reference^2 / sum (candidate - reference)^2), in dB;
  /// +inf when the outputs are identical.
  double sqnrDb = 0.0;
  /// Samples (rows of the leading dimension) and, for outputs of rank >= 2,
  /// the fraction whose top-1 class (argmax over the other dimensions)
  /// agrees.
  int64_t samples = 0;
  std::optional<double> top1Agreement;
  /// Top-1 accuracy of each against the labels, when labels were given.
  std::optional<double> referenceAccuracy;
  std::optional<double> candidateAccuracy;
};

/// The comparison of every output of two models on the same inputs.
struct EvalReport {
  std::string referenceName;
  std::string candidateName;
  int64_t samples = 0;
  std::vector<OutputComparison> outputs;
};

/// The index of the largest element of each row of `output` over all but
/// the leading dimension (numpy's argmax: the first maximum; a NaN wins).
/// `output` must have rank >= 2.
std::vector<int64_t> top1(const Array &output);

/// The labels as integers, one per sample: an integer array of shape [N] or
/// [N, 1].
llvm::Expected<std::vector<int64_t>>
labelsOf(const Array &labels, int64_t samples, llvm::StringRef sourceName);

/// Compares `candidate` against `reference` (same dtype and shape); the top-1
/// figures need rank >= 2, the accuracies `labels`.
llvm::Expected<OutputComparison>
compareOutput(llvm::StringRef name, const Array &reference,
              const Array &candidate,
              const std::vector<int64_t> *labels = nullptr);

/// The report as JSON (non-finite numbers as strings "inf", "-inf", "nan").
llvm::json::Value toJSON(const EvalReport &report);

/// The report as a table, the reference and the candidate side by side.
void printEvalReport(const EvalReport &report, llvm::raw_ostream &os);

} // namespace qnn::runner

#endif // QNN_RUNNER_COMPARE_H
