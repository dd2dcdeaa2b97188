//===- ObserveLowering.h - qnn.observe as calls into the runner -*- C++ -*-===//
//
// convert-qnn-to-linalg lowers every `qnn.observe` to a call of a function
// the runner provides (qnn-run --calibrate registers it with the JIT):
//
//   %u = tensor.cast %value : tensor<360x64xf32> to tensor<*xf32>
//   func.call @qnn_observe_f32(%u, %id) : (tensor<*xf32>, i64) -> ()
//
// declared `func.func private @qnn_observe_f32(tensor<*xf32>
// {bufferization.access = "read"}, i64) attributes {llvm.emit_c_interface}`,
// so that after bufferization and convert-func-to-llvm the compiled code
// calls the C function
//
//   void _mlir_ciface_qnn_observe_f32(UnrankedMemRefType<float> *value,
//                                     int64_t id);
//
// `id` indexes the module attribute `qnn.observed_values`, the observer
// names in order.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CONVERSION_QNNTOLINALG_OBSERVELOWERING_H
#define QNN_CONVERSION_QNNTOLINALG_OBSERVELOWERING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/ADT/StringRef.h"

namespace qnn {

/// The module attribute listing the names of the module's observers (an
/// array of strings); the id an observer passes is the index of its name.
inline constexpr llvm::StringLiteral kObservedValuesAttrName =
    "qnn.observed_values";
/// The function observers call; its C interface adds `_mlir_ciface_`.
inline constexpr llvm::StringLiteral kObserveFunctionName = "qnn_observe_f32";
inline constexpr llvm::StringLiteral kObserveCInterfaceName =
    "_mlir_ciface_qnn_observe_f32";

/// Lists the names of `module`'s observers in `qnn.observed_values`
/// (names already listed keep their index; new ones are appended in walk
/// order; observers sharing a name share an id) and, when there is any,
/// declares @qnn_observe_f32. Returns the list. Fails with an error when
/// the attribute or the symbol exists with another meaning.
mlir::FailureOr<mlir::ArrayAttr> prepareObserverLowering(mlir::ModuleOp module);

/// The pattern replacing each `qnn.observe` by a call of @qnn_observe_f32
/// and its input; it needs `prepareObserverLowering` to have run.
void populateObserveLoweringPatterns(mlir::RewritePatternSet &patterns);

} // namespace qnn

#endif // QNN_CONVERSION_QNNTOLINALG_OBSERVELOWERING_H
