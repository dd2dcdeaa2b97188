//===- QNNOps.td - Operations of the qnn dialect -----------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNOPS_TD
#define QNN_DIALECT_QNN_IR_QNNOPS_TD

include "qnn/Dialect/QNN/IR/QNNDialect.td"
include "qnn/Dialect/QNN/IR/QNNAttrs.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def QNN_QuantizedTensor : RankedTensorOf<[quant_QuantizedType]>;

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

def QNN_ConstantOp : QNN_Op<"constant", [ConstantLike, Pure]> {
  let summary = "A quantized tensor constant";
  let description = [{
    A constant of quantized type: `value` holds the stored integers (element
    type the storage type of the result's `!quant.uniform` type) and the
    result type carries the scales and zero points. Builtin constants cannot
    have quantized element types, so quantized weights live here; a
    `quant.dcast` turns them back into reals where they are used.

    | property | rule |
    |---|---|
    | `value` shape | equals the result shape |
    | `value` element type | the storage type (`i8` for `!quant.uniform<i8...>`, `i4` for `i4`); for unsigned storage also `ui8`, `ui4`, so that 255 prints as 255 |
    | every stored value | within the storage range (e.g. [-127, 127] for `i8<-127:127>`) |
    | per-axis result | the quantized dimension's extent equals the number of scales |
    | sub-channel result | each block size divides its dimension; the scale grid is shape / block |
    | `error` (optional) | what quantizing this tensor cost; see `#qnn.error` |
    | `compat` (optional) | whose rules chose the parameters; see `#qnn.compat` (an `onnxruntime` tensor uses one of ONNX Runtime's integer ranges, a `tflite` per-channel tensor zero points 0) |

    The seed's GNMT weights, quantized per output row with scale absmax / 127:

    ```mlir
    %w = qnn.constant dense<[[33, -66, 127], [0, 0, 0], [-119, -127, -117]]>
        : tensor<3x3xi8>
        -> tensor<3x3x!quant.uniform<i8<-127:127>:f32:0,
               {3.5039370e-04, 1.0, 3.4251966e-04}>>
    %f = quant.dcast %w : tensor<3x3x!quant.uniform<i8<-127:127>:f32:0,
               {3.5039370e-04, 1.0, 3.4251966e-04}>> to tensor<3x3xf32>
    ```
  }];
  let arguments = (ins TypedAttrInterface:$value,
                       OptionalAttr<QNN_ErrorStatsAttr>:$error,
                       OptionalAttr<QNN_CompatModeAttr>:$compat);
  let results = (outs QNN_QuantizedTensor:$result);
  let builders = [
    // Without a compat mark: qnn-mlir's own rules.
    OpBuilder<(ins "::mlir::Type":$result, "::mlir::TypedAttr":$value,
                   "ErrorStatsAttr":$error), [{
      build($_builder, $_state, result, value, error, CompatModeAttr());
    }]>
  ];
  let assemblyFormat = "$value attr-dict `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The quantized element type of the result.
    ::mlir::quant::QuantizedType getQuantizedElementType();
    /// The stored integers as written (`ui8` elements for unsigned storage
    /// when the producer chose so).
    ::mlir::DenseIntElementsAttr getStorageValues() {
      return ::llvm::cast<::mlir::DenseIntElementsAttr>(getValue());
    }
    /// The stored integers with the signless storage type, as arith and
    /// LLVM want them.
    ::mlir::DenseIntElementsAttr getSignlessStorageValues();
  }];
}

//===----------------------------------------------------------------------===//
// QuantizeOp
//===----------------------------------------------------------------------===//

def QNN_QuantizeOp : QNN_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "Quantize a float tensor with a named rounding mode";
  let description = [{
    `q = clamp(round(x / scale) + zero_point, qmin, qmax)`, with the scale,
    zero point and storage range of the result's `!quant.uniform` type and
    the rounding rule given by `rounding` (default `half_to_even`). The
    rounding happens before the zero point is added, as ONNX
    QuantizeLinear, TFLite and PyTorch do; NaN quantizes to the zero point.

    Unlike `quant.qcast`, whose rounding is left to the lowering (upstream's
    `lower-quant-ops` truncates toward zero), this op fixes the result bit
    for bit.

    | operand / result | type |
    |---|---|
    | `input` | ranked tensor of the expressed float type |
    | `result` | ranked tensor of the same shape, `!quant.uniform` elements |

    Two optional attributes say where the parameters came from, and change
    nothing in the arithmetic: `compat` (`#qnn.compat`, whose rules chose
    them, checked as on `qnn.constant`) and `calibration`
    (`#qnn.calibration`, how the range was chosen from calibration
    statistics; only on per-tensor results).

    ```mlir
    %q = qnn.quantize %x {rounding = #qnn.rounding<half_away_from_zero>}
        : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:3>>
    %a = qnn.quantize %y {calibration = #qnn.calibration<percentile = 99.99>,
                          compat = #qnn.compat<pytorch>}
        : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.02:0>>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$input,
                       DefaultValuedAttr<QNN_RoundingModeAttr,
                                         "::qnn::RoundingMode::HalfToEven">:$rounding,
                       OptionalAttr<QNN_CompatModeAttr>:$compat,
                       OptionalAttr<QNN_CalibrationAttr>:$calibration);
  let results = (outs QNN_QuantizedTensor:$result);
  let builders = [
    // Without marks of where the parameters came from.
    OpBuilder<(ins "::mlir::Type":$result, "::mlir::Value":$input,
                   "RoundingModeAttr":$rounding), [{
      build($_builder, $_state, result, input, rounding, CompatModeAttr(),
            CalibrationAttr());
    }]>,
    OpBuilder<(ins "::mlir::Type":$result, "::mlir::Value":$input,
                   "RoundingMode":$rounding), [{
      build($_builder, $_state, result, input,
            RoundingModeAttr::get($_builder.getContext(), rounding),
            CompatModeAttr(), CalibrationAttr());
    }]>
  ];
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

include "qnn/Dialect/QNN/IR/QNNContractionOps.td"
include "qnn/Dialect/QNN/IR/QNNRescaleOps.td"
include "qnn/Dialect/QNN/IR/QNNDataMovementOps.td"
include "qnn/Dialect/QNN/IR/QNNCalibrationOps.td"

#endif // QNN_DIALECT_QNN_IR_QNNOPS_TD
