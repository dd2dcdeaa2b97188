//===- Passes.td - Transformations on the qnn dialect ------*- tablegen -*-===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QNNQuantizeWeights : Pass<"qnn-quantize-weights"> {
  let summary = "Quantize constant weights of matmul and convolution ops (W8A32)";
  let description = [{
    Weight-only quantization. Every floating-point constant that feeds the
    weight operand of a supported op is replaced by a `qnn.constant` holding
    integers of the chosen width, with its scales in the `!quant.uniform`
    result type, followed by a `quant.dcast` back to floats. The op itself is
    unchanged and keeps computing in floating point; the model stores integer
    weights, and the error statistics of W_hat - W are recorded on the
    constant (`#qnn.error`) for `qnn-report`.

    The default reproduces the GNMT scheme: symmetric signed int8 in the
    narrow range [-127, 127], one scale per output channel,
    scale = absmax / 127, an all-zero channel getting scale 1.0.

    | op | weight operand | output-channel axis | group axis |
    |---|---|---|---|
    | `linalg.matmul` (any indexing maps) | B | the axis indexed by n | the axis indexed by k |
    | `linalg.batch_matmul` | B | n | k |
    | `linalg.conv_2d_nhwc_hwcf` | filter | 3 (f) | 2 (c) |
    | `linalg.conv_2d_nchw_fchw` | filter | 0 (f) | 1 (c) |
    | `linalg.depthwise_conv_2d_nhwc_hwc` | filter | 2 (c) | none |
    | `tosa.matmul` | B `[N, C, W]` | 2 (W) | 1 (C) |
    | `tosa.conv2d` | weight `[OC, KH, KW, IC]` | 0 | 3 |
    | `tosa.depthwise_conv2d` | weight `[KH, KW, C, M]` | 2 | none |

    Other linalg contractions and convolutions are recognized from their
    indexing maps. A weight that is not a constant, not floating point, not
    statically shaped, or fed to an unsupported op is left alone with a
    remark. A weight holding NaN or infinity is an error.

    Example (GNMT rows as output channels, weight stored [N, K]):

    ```mlir
    %w = arith.constant dense<[[0.0114, -0.0231, 0.0445], [0.0, 0.0, 0.0],
                               [-0.0409, -0.0435, -0.0400]]> : tensor<3x3xf32>
    %y = linalg.matmul indexing_maps = [
             affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
             affine_map<(m, n, k) -> (m, n)>]
           ins(%x, %w : tensor<1x3xf32>, tensor<3x3xf32>)
           outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32>
    ```

    becomes

    ```mlir
    %q = qnn.constant dense<[[33, -66, 127], [0, 0, 0], [-119, -127, -117]]>
        : tensor<3x3xi8> -> tensor<3x3x!quant.uniform<i8<-127:127>:f32:0,
                              {3.5039370e-04, 1.0, 3.4251966e-04}>>
    %w = quant.dcast %q : ... to tensor<3x3xf32>
    ```
  }];
  let dependentDialects = ["::qnn::QNNDialect", "mlir::quant::QuantDialect"];
  let options = [
    Option<"scheme", "scheme", "::qnn::quantmath::Scheme",
           /*default=*/"::qnn::quantmath::Scheme::Symmetric",
           "How reals map to integers",
           [{::llvm::cl::values(
             clEnumValN(::qnn::quantmath::Scheme::Symmetric, "symmetric",
                        "zero point 0, scale = absmax / qmax"),
             clEnumValN(::qnn::quantmath::Scheme::Asymmetric, "asymmetric",
                        "[min, max] (widened to include 0) onto [qmin, qmax] "
                        "with a zero point"))}]>,
    Option<"bits", "bits", "unsigned", /*default=*/"8",
           "Width of the stored integers: 8 or 4">,
    Option<"isSigned", "signed", "bool", /*default=*/"true",
           "Store signed integers (false: unsigned, e.g. uint8)">,
    Option<"range", "range", "::qnn::IntegerRangeKind",
           /*default=*/"::qnn::IntegerRangeKind::Narrow",
           "Integer range of signed storage",
           [{::llvm::cl::values(
             clEnumValN(::qnn::IntegerRangeKind::Narrow, "narrow",
                        "[-2^(b-1)+1, 2^(b-1)-1], e.g. [-127, 127]"),
             clEnumValN(::qnn::IntegerRangeKind::Full, "full",
                        "[-2^(b-1), 2^(b-1)-1], e.g. [-128, 127]"))}]>,
    Option<"granularity", "granularity", "::qnn::WeightGranularity",
           /*default=*/"::qnn::WeightGranularity::PerChannel",
           "Which weights share one scale",
           [{::llvm::cl::values(
             clEnumValN(::qnn::WeightGranularity::PerTensor, "per-tensor",
                        "one scale for the whole tensor"),
             clEnumValN(::qnn::WeightGranularity::PerChannel, "per-channel",
                        "one scale per output channel"),
             clEnumValN(::qnn::WeightGranularity::PerGroup, "per-group",
                        "one scale per output channel and group of "
                        "`group-size` input channels"))}]>,
    Option<"groupSize", "group-size", "int64_t", /*default=*/"0",
           "Input channels per group with granularity=per-group">,
    Option<"rounding", "rounding", "::qnn::quantmath::RoundingMode",
           /*default=*/"::qnn::quantmath::RoundingMode::HalfToEven",
           "Rounding of x / scale",
           [{::llvm::cl::values(
             clEnumValN(::qnn::quantmath::RoundingMode::HalfToEven,
                        "half-to-even", "ties to even (numpy, ONNX)"),
             clEnumValN(::qnn::quantmath::RoundingMode::HalfAwayFromZero,
                        "half-away-from-zero",
                        "ties away from zero (TFLite, gemmlowp)"))}]>,
  ];
}

def QNNReport : Pass<"qnn-report", "mlir::ModuleOp"> {
  let summary = "Report every quantized tensor: parameters and error";
  let description = [{
    Lists every `qnn.constant` in the module with its location, shape,
    storage type, scheme, channel axis, scales, zero points and, where the
    quantizing pass recorded them, the error statistics of W_hat - W
    (max abs, mean abs, MSE, SQNR in dB), plus the total size of the fp32
    tensors they replace and of their integer storage. The IR is unchanged.

    The table goes to standard output unless `table=false`; with
    `output=<file>` the same content is written as JSON:

    ```json
    {"tensors": [{"name": "fc1.weight", "location": "mlp.mlir:12:10",
                  "shape": [64, 784], "storage": "i8", "range": [-127, 127],
                  "scheme": "symmetric", "granularity": "per-channel",
                  "axis": 0, "scales": [...], "zero_points": [...],
                  "error": {"max_abs": ..., "mean_abs": ..., "mse": ...,
                            "sqnr_db": ...},
                  "fp32_bytes": 200704, "quantized_bytes": 50432}
                ],
     "total": {"fp32_bytes": ..., "quantized_bytes": ..., "saved_bytes": ...}}
    ```
  }];
  let options = [
    Option<"output", "output", "std::string", /*default=*/"",
           "Write the report as JSON to this file">,
    Option<"table", "table", "bool", /*default=*/"true",
           "Print the report as a table on standard output">,
  ];
}

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
