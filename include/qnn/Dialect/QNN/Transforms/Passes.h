//===- Passes.h - Transformations on the qnn dialect ------------*- C++ -*-===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_H

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"
#include "qnn/Quant/Calibration.h"
#include "qnn/Quant/QuantParams.h"

#include "mlir/Pass/Pass.h"

namespace qnn {

/// Integer range of signed storage (pass option `range`): `Auto` is the
/// compat mode's (`quantmath::defaultNarrowRange`).
enum class IntegerRangeKind { Auto, Narrow, Full };

/// Which weights share one scale (pass option `granularity`).
enum class WeightGranularity { PerTensor, PerChannel, PerGroup };

/// Where qnn-quantize takes activation ranges from (pass option `mode`).
enum class ActivationRangeMode { Static, Dynamic };

#define GEN_PASS_DECL
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"

} // namespace qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
