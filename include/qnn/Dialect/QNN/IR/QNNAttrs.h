//===- QNNAttrs.h - Attributes of the qnn dialect ---------------*- C++ -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNATTRS_H
#define QNN_DIALECT_QNN_IR_QNNATTRS_H

#include "qnn/Quant/Calibration.h"
#include "qnn/Quant/ErrorStats.h"
#include "qnn/Quant/QuantParams.h"
#include "qnn/Quant/Rounding.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "qnn/Dialect/QNN/IR/QNNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qnn/Dialect/QNN/IR/QNNAttrs.h.inc"

namespace qnn {

/// The IR enum and the math library's enum name the same rules; the IR one
/// exists because ODS generates its own.
quantmath::RoundingMode toMathRounding(RoundingMode mode);
RoundingMode fromMathRounding(quantmath::RoundingMode mode);

/// The `#qnn.compat` attribute of a math-library compat mode, or null for
/// `CompatMode::None` (qnn-mlir's own rules need no mark).
CompatModeAttr getCompatModeAttr(mlir::MLIRContext *context,
                                 quantmath::CompatMode mode);
quantmath::CompatMode toMathCompat(CompatMode mode);

/// The `#qnn.calibration` attribute of a method (with the percentile for
/// `Percentile`).
CalibrationAttr
getCalibrationAttr(mlir::MLIRContext *context,
                   const quantmath::CalibrationOptions &options);

/// The `#qnn.error` attribute for `stats`.
ErrorStatsAttr getErrorStatsAttr(mlir::MLIRContext *context,
                                 const quantmath::ErrorStats &stats);

} // namespace qnn

#endif // QNN_DIALECT_QNN_IR_QNNATTRS_H
