//===- QNNDialect.td - The qnn dialect ---------------------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNDIALECT_TD
#define QNN_DIALECT_QNN_IR_QNNDIALECT_TD

include "mlir/IR/OpBase.td"

def QNN_Dialect : Dialect {
  let name = "qnn";
  let cppNamespace = "::qnn";
  let summary = "Integer neural-network computation on quantized tensors";
  let description = [{
    The `qnn` dialect holds what upstream MLIR lacks for running neural
    networks in integer arithmetic. Quantized values use the upstream `quant`
    dialect's types (`!quant.uniform<i8:f32, 0.02:-3>`, the per-axis form
    `!quant.uniform<i8<-127:127>:f32:0, {0.1, 0.2}>` and the sub-channel form
    for group-wise weights); `qnn` adds the operations on them.

    Numeric contract, shared by every op, pass, lowering and reference:

    | quantity | definition |
    |---|---|
    | real value | `scale * (q - zero_point)` |
    | quantize | `clamp(round(x / scale) + zero_point, qmin, qmax)`, rounding named by the op |
    | dequantize | `float(q - zero_point) * scale`, in the expressed type |
    | NaN | quantizes to `zero_point` (that is, to 0.0) |
  }];
  let dependentDialects = ["mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class QNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<QNN_Dialect, mnemonic, traits>;

#endif // QNN_DIALECT_QNN_IR_QNNDIALECT_TD
