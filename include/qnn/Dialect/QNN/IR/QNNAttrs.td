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

def QNN_CompatMode : I32Enum<"CompatMode",
    "whose rules chose a scale and zero point", [
      I32EnumCase<"PyTorch", 1, "pytorch">,
      I32EnumCase<"OnnxRuntime", 2, "onnxruntime">,
      I32EnumCase<"TFLite", 3, "tflite">
    ]> {
  let cppNamespace = "::qnn";
}

def QNN_CompatModeAttr : EnumAttr<QNN_Dialect, QNN_CompatMode, "compat"> {
  let summary = "The tool whose rules chose a tensor's scales and zero points";
  let description = [{
    Recorded on `qnn.constant` and `qnn.quantize` by the passes that chose
    their parameters with a compatibility mode (`compat=` of
    `qnn-quantize-weights` and `qnn-quantize`), so that the IR and
    `qnn-report` say which rules produced a scale. Without it, the
    parameters follow qnn-mlir's own contract (docs/Numerics.md).

    | value | rules |
    |---|---|
    | `pytorch` | torch.ao.quantization observers' `_calculate_qparams`: symmetric scale = max(absmax / ((qmax - qmin) / 2), eps), zero point 0 (128 for uint8); affine scale = max((max - min) / (qmax - qmin), eps), zero point qmin - round(min / scale); float32 |
    | `onnxruntime` | onnxruntime.quantization `compute_scale_zp` with `get_qmin_qmax_for_qType`'s ranges |
    | `tflite` | symmetric absmax / qmax weights; TensorFlow FakeQuant's nudged zero point |

    The verifiers of the ops check what can be checked from the type: an
    `onnxruntime` tensor uses one of ONNX Runtime's integer ranges, a
    `tflite` per-channel tensor has zero points 0. Example:
    `#qnn.compat<pytorch>`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def QNN_CalibrationMethod : I32Enum<"CalibrationMethod",
    "how an activation range was chosen from calibration statistics", [
      I32EnumCase<"MinMax", 0, "minmax">,
      I32EnumCase<"MovingAverage", 1, "moving_average">,
      I32EnumCase<"Percentile", 2, "percentile">,
      I32EnumCase<"MSE", 3, "mse">,
      I32EnumCase<"Entropy", 4, "entropy">
    ]> {
  let cppNamespace = "::qnn";
}

def QNN_CalibrationAttr : AttrDef<QNN_Dialect, "Calibration"> {
  let mnemonic = "calibration";
  let summary = "How the range of a calibrated activation was chosen";
  let description = [{
    Recorded on `qnn.quantize` by `qnn-quantize` in static mode: which
    method (`calibration=`) chose the range its scale and zero point were
    computed from (docs/Calibration.md).

    | method | range |
    |---|---|
    | `minmax` | min and max of everything observed |
    | `moving_average` | moving averages of the batch minima and maxima (PyTorch's MovingAverageMinMaxObserver) |
    | `percentile` | the given percentile of the histogram (carried as `percentile = p`, in (0, 100]) |
    | `mse` | PyTorch HistogramObserver's L2-optimal range search |
    | `entropy` | the KL-divergence threshold search of TensorRT / ONNX Runtime |

    ```mlir
    #qnn.calibration<mse>
    #qnn.calibration<percentile = 99.99>
    ```
  }];
  let parameters = (ins
      EnumParameter<QNN_CalibrationMethod>:$method,
      OptionalParameter<"std::optional<::llvm::APFloat>",
                        "the percentile of the percentile method">:$percentile);
  let builders = [
    AttrBuilder<(ins "CalibrationMethod":$method,
                     CArg<"std::optional<double>", "std::nullopt">:$percentile), [{
      std::optional<::llvm::APFloat> value;
      if (percentile)
        value = ::llvm::APFloat(*percentile);
      return $_get($_ctxt, method, value);
    }]>
  ];
  let extraClassDeclaration = [{
    /// The percentile as a double, when the method has one.
    std::optional<double> getPercentileValue() const;
  }];
  let skipDefaultBuilders = 1;
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
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
