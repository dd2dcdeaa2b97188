//===- Batching.h - Samples in fixed-size batches ---------------*- C++ -*-===//
//
// Models are often compiled for a static batch (the bundled examples take
// 360 samples). The runner calls them on any number of samples: it splits
// the leading (sample) dimension of every input into batches of the
// function's static batch size, zero-pads the last batch, drops the padded
// rows from the outputs and concatenates them. A dynamic leading dimension is
// passed through whole, in one call.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_BATCHING_H
#define QNN_RUNNER_BATCHING_H

#include "qnn/Runner/Array.h"
#include "qnn/Runner/Signature.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace qnn::runner {

/// How a set of inputs is fed to the entry function.
struct BatchPlan {
  /// Samples in the inputs (their leading dimension), or 0 when the inputs
  /// have no common sample dimension (scalars, no inputs).
  int64_t samples = 0;
  /// Rows per call when `split`; the whole input otherwise.
  int64_t batchSize = 0;
  int64_t numBatches = 1;
  /// The inputs are cut into batches of `batchSize` rows (the last one
  /// padded) rather than passed as they are.
  bool split = false;

  /// Real (unpadded) rows in batch `index`.
  int64_t rowsIn(int64_t index) const;
  /// Zero rows added to the last batch.
  int64_t paddedRows() const;
};

/// Checks `inputs` against the signature (count, dtype, rank, static
/// dimensions) and decides the batches. Errors say which input is wrong and
/// what the function expects.
llvm::Expected<BatchPlan> planBatches(const Signature &signature,
                                      llvm::ArrayRef<NamedArray> inputs);

/// The arrays of batch `index` of `plan`, padded as the plan says.
std::vector<Array> inputsOfBatch(const BatchPlan &plan,
                                 llvm::ArrayRef<NamedArray> inputs,
                                 int64_t index);

/// Joins the outputs of every batch (`perBatch[batch][output]`) back into
/// one array per output, without the padded rows.
llvm::Expected<std::vector<Array>>
gatherOutputs(const BatchPlan &plan, const Signature &signature,
              std::vector<std::vector<Array>> perBatch);

} // namespace qnn::runner

#endif // QNN_RUNNER_BATCHING_H
