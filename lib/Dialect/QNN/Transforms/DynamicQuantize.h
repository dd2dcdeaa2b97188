//===- DynamicQuantize.h - qnn-quantize mode=dynamic ------------*- C++ -*-===//
//
// Activation ranges computed at run time, as ONNX DynamicQuantizeLinear does.
// The arithmetic is spelled out in DynamicQuantize.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_DYNAMICQUANTIZE_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_DYNAMICQUANTIZE_H

#include "ContractionForm.h"

#include "llvm/ADT/DenseMap.h"

namespace qnn {

/// Rewrites matched ops with run-time activation quantization. One instance
/// serves one run of the pass, so that an activation read by several ops is
/// reduced and quantized once.
class DynamicQuantizer {
public:
  DynamicQuantizer(const quantmath::QuantSpec &weightSpec,
                   bool perChannelWeights)
      : weightSpec(weightSpec), perChannelWeights(perChannelWeights) {}

  /// Replaces `form.op` by the integer computation; fails (after an error)
  /// only when a constant cannot be quantized.
  mlir::LogicalResult rewrite(mlir::OpBuilder &builder, ContractionForm &form,
                              const OperandPlan &lhs, const OperandPlan &rhs);

  /// An activation quantized at run time: its storage integers (uint8 in i8
  /// tensors), its scale (f32) and its zero point (f32 and i32 scalars).
  struct Activation {
    mlir::Value storage;
    mlir::Value scale;
    mlir::Value zeroPoint;
    mlir::Value zeroPointI32;
  };

private:
  Activation quantizeActivation(mlir::OpBuilder &builder, mlir::Value value);

  quantmath::QuantSpec weightSpec;
  bool perChannelWeights;
  llvm::DenseMap<mlir::Value, Activation> activations;
};

} // namespace qnn

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_DYNAMICQUANTIZE_H
