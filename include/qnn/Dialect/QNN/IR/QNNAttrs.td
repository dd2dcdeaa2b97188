//===- QNNAttrs.td - Attributes of the qnn dialect ---------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_IR_QNNATTRS_TD
#define QNN_DIALECT_QNN_IR_QNNATTRS_TD

include "qnn/Dialect/QNN/IR/QNNDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def QNN_RoundingMode : I32Enum<"RoundingMode",
    "how a real value between two integers is rounded", [
      I32EnumCase<"HalfToEven", 0, "half_to_even">,
      I32EnumCase<"HalfAwayFromZero", 1, "half_away_from_zero">
    ]> {
  let cppNamespace = "::qnn";
}

def QNN_RoundingModeAttr : EnumAttr<QNN_Dialect, QNN_RoundingMode, "rounding"> {
  let summary = "Rounding mode of a float-to-integer step";
  let description = [{
    `half_to_even` (the default: numpy, ONNX, PyTorch) sends ties to the even
    neighbour; `half_away_from_zero` (TFLite, gemmlowp) sends them away from
    zero. Example: `#qnn.rounding<half_away_from_zero>`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def QNN_RescaleMode : I32Enum<"RescaleMode",
    "how an integer tensor is rescaled to another scale", [
      I32EnumCase<"FixedPoint", 0, "fixed_point">,
      I32EnumCase<"Float", 1, "float">
    ]> {
  let cppNamespace = "::qnn";
}

def QNN_RescaleModeAttr : EnumAttr<QNN_Dialect, QNN_RescaleMode, "rescale"> {
  let summary = "Arithmetic of a rescale (requantize, add, mul)";
  let description = [{
    `fixed_point` (the default) is integer only: the real factor becomes an
    int32 multiplier in [2^30, 2^31) and a shift (gemmlowp/TFLite
    `QuantizeMultiplier`), applied with `MultiplyByQuantizedMultiplier`
    (saturating rounding doubling high multiply, then a rounding right shift:
    gemmlowp's double rounding). `float` dequantizes to f32 and quantizes
    again with the op's `rounding`. Example: `#qnn.rescale<float>`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def QNN_DataFormat : I32Enum<"DataFormat",
    "the order of the dimensions of an image tensor", [
      I32EnumCase<"NHWC", 0, "nhwc">,
      I32EnumCase<"NCHW", 1, "nchw">
    ]> {
  let cppNamespace = "::qnn";
}

def QNN_DataFormatAttr : EnumAttr<QNN_Dialect, QNN_DataFormat, "data_format"> {
  let summary = "Image layout of a convolution or pooling";
  let description = [{
    `nhwc` (the default): images [N, H, W, C], convolution filters
    [KH, KW, C / groups, F]. `nchw`: images [N, C, H, W], filters
    [F, C / groups, KH, KW]. Example: `#qnn.data_format<nchw>`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def QNN_ErrorStatsAttr : AttrDef<QNN_Dialect, "ErrorStats"> {
  let mnemonic = "error";
  let summary = "Statistics of the quantization error of a tensor";
  let description = [{
    Recorded on a quantized constant by the pass that quantized it, while
    both the original reals W and the quantized W_hat were known, so that
    `qnn-report` can tell what quantization cost after the reals are gone.
    All statistics are of W_hat - W over every element:

    | parameter | meaning |
    |---|---|
    | `max_abs` | max abs(W_hat - W) |
    | `mean_abs` | mean abs(W_hat - W) |
    | `mse` | mean (W_hat - W)^2 |
    | `sqnr_db` | 10 log10(sum W^2 / sum (W_hat - W)^2); `inf` when lossless |

    ```mlir
    #qnn.error<max_abs = 1.68e-03, mean_abs = 5.5e-04, mse = 5.3e-07, sqnr_db = 35.1>
    ```
  }];
  let parameters = (ins APFloatParameter<"max abs(W_hat - W)">:$maxAbs,
                        APFloatParameter<"mean abs(W_hat - W)">:$meanAbs,
                        APFloatParameter<"mean (W_hat - W)^2">:$mse,
                        APFloatParameter<"signal-to-noise ratio in dB">:$sqnrDb);
  let builders = [
    AttrBuilder<(ins "double":$maxAbs, "double":$meanAbs, "double":$mse,
                     "double":$sqnrDb), [{
      return $_get($_ctxt, ::llvm::APFloat(maxAbs), ::llvm::APFloat(meanAbs),
                   ::llvm::APFloat(mse), ::llvm::APFloat(sqnrDb));
    }]>
  ];
  let extraClassDeclaration = [{
    /// The statistics as the math library's struct.
    ::qnn::quantmath::ErrorStats getStats() const;
  }];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNATTRS_TD
