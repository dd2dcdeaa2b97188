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
    scale = absmax / 127, an all-zero channel getting scale 1.0. With
    `compat=pytorch|onnxruntime|tflite` the scales and zero points are those
    that tool chooses (and `range=auto` its integer range), recorded as
    `#qnn.compat` on the constant; `reduce-range=true` uses one bit less.

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
           /*default=*/"::qnn::IntegerRangeKind::Auto",
           "Integer range of signed storage",
           [{::llvm::cl::values(
             clEnumValN(::qnn::IntegerRangeKind::Auto, "auto",
                        "the compat mode's: narrow for compat=none and "
                        "symmetric onnxruntime/tflite, full otherwise"),
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
    Option<"compat", "compat", "::qnn::quantmath::CompatMode",
           /*default=*/"::qnn::quantmath::CompatMode::None",
           "Whose rules choose scales and zero points",
           [{::llvm::cl::values(
             clEnumValN(::qnn::quantmath::CompatMode::None, "none",
                        "qnn-mlir's own (docs/Numerics.md)"),
             clEnumValN(::qnn::quantmath::CompatMode::PyTorch, "pytorch",
                        "torch.ao.quantization observers, bit for bit"),
             clEnumValN(::qnn::quantmath::CompatMode::OnnxRuntime,
                        "onnxruntime",
                        "onnxruntime.quantization compute_scale_zp"),
             clEnumValN(::qnn::quantmath::CompatMode::TFLite, "tflite",
                        "TFLite's converter and FakeQuant nudging"))}]>,
    Option<"reduceRange", "reduce-range", "bool", /*default=*/"false",
           "Use one bit less of the storage (PyTorch's and ONNX Runtime's "
           "reduce_range)">,
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

def QNNQuantize : Pass<"qnn-quantize", "mlir::ModuleOp"> {
  let summary = "Rewrite fp32 matmuls and convolutions into integer compute (W8A8)";
  let description = [{
    Every supported fp32 op becomes: `qnn.quantize` of each activation
    operand, with the range of that value from the statistics file (or, with
    `mode=dynamic`, computed at run time as ONNX DynamicQuantizeLinear does);
    its constant weights as a `qnn.constant` (per output channel by default);
    the qnn integer op with an int32 accumulator; and a `quant.dcast` of the
    accumulator back to fp32 that replaces the op's result. Everything else
    stays in fp32; `qnn-fuse` then folds the dequantize/quantize pairs,
    biases, activations and zero points into integer code.

    | fp32 op | becomes | weight layout |
    |---|---|---|
    | `linalg.matmul` (A read as [M, K] or [K, M], B as [K, N] or [N, K]) | `qnn.matmul` | B as [K, N], per-axis 1 |
    | `linalg.batch_matmul` (likewise) | `qnn.batch_matmul` | B as [B, K, N], per-axis 2 |
    | `linalg.conv_2d_nhwc_hwcf`, `conv_2d_nhwc_fhwc` | `qnn.conv2d` (nhwc) | HWCF, per-axis 3 |
    | `linalg.conv_2d_nchw_fchw` | `qnn.conv2d` (nchw) | FCHW, per-axis 0 |
    | `linalg.depthwise_conv_2d_nhwc_hwc`, `_hwcm` | `qnn.conv2d` with `groups = C` | [KH, KW, 1, C * M], per-axis 3 |

    A transposed constant is transposed at compile time; a transposed
    activation gets a `linalg.transpose` in fp32 before its `qnn.quantize`.
    A second operand that is not a constant is quantized like an activation.
    Strides and dilations come from the linalg op; padding stays a separate
    fp32 `tensor.pad`. An `outs` init that is not zero is added back in fp32
    after the `quant.dcast`. TOSA input is lowered with tosa-to-linalg-named
    first. Unsupported ops stay in fp32 without a diagnostic.

    ```mlir
    %y = linalg.matmul ins(%x, %w : tensor<4x64xf32>, tensor<64x10xf32>)
                       outs(%zero : tensor<4x10xf32>) -> tensor<4x10xf32>
    ```

    becomes

    ```mlir
    %xq = qnn.quantize %x : tensor<4x64xf32>
        -> tensor<4x64x!quant.uniform<u8:f32, 0.0235:128>>
    %wq = qnn.constant dense<...> : tensor<64x10xi8>
        -> tensor<64x10x!quant.uniform<i8<-127:127>:f32:1, {...}>>
    %acc = qnn.matmul %xq, %wq : (...) -> tensor<4x10x!quant.uniform<i32:f32:1, {...}>>
    %y = quant.dcast %acc : tensor<4x10x!quant.uniform<i32:f32:1, {...}>> to tensor<4x10xf32>
    ```

    The statistics file is JSON keyed by stable value names (the value's
    `loc("name")`, `name#k` for result k > 0; otherwise
    `<function>/<op name>#<n>`, the n-th op of that name in the function in
    textual order, and `<function>/arg<i>`):

    ```json
    {"format": "qnn-stats", "version": 1,
     "values": {"mlp/arg0": {"min": 0.0, "max": 1.0},
                "fc1.relu": {"min": 0.0, "max": 6.2,
                             "histogram": {"min": 0.0, "max": 6.2,
                                           "counts": [12, 40, 3]}}}}
    ```

    A missing or unreadable file, a file that is not a version-1 qnn-stats
    file, a value without an entry, a NaN or infinite bound and min > max are
    errors; min == max gets a warning (an all-zero range gets scale 1.0).

    Defaults follow the seed notes: weights symmetric signed int8 per output
    channel, activations asymmetric uint8 per tensor. `ops` and `exclude`
    choose ops by op name (`linalg.conv_2d_nhwc_hwcf`; `tosa.conv2d`,
    `tosa.matmul` and `tosa.depthwise_conv2d` name the linalg ops they lower
    to) or by the stable name of their result (the location name `fc3`, or
    `model/linalg.matmul#2`); an excluded op stays in fp32. An op name that
    cannot be quantized is an error.

    In static mode, `calibration=` chooses each activation's range from its
    statistics (`minmax`, the default; `moving-average`; `percentile` with
    `percentile=`; `mse` as PyTorch's HistogramObserver; `entropy` as
    TensorRT and ONNX Runtime; docs/Calibration.md), and `compat=` whose
    rules turn ranges into scales and zero points (`pytorch`, `onnxruntime`,
    `tflite`; with `activation-reduce-range` and `weight-reduce-range`). The
    `qnn.quantize` and `qnn.constant` ops record both (`#qnn.calibration`,
    `#qnn.compat`) unless they are the defaults; `qnn-report` lists them.

    With `mode=dynamic` no statistics are read: each activation is reduced
    to min(x, 0) and max(x, 0) at run time (`linalg.reduce`), its scale and
    zero point computed in scalar arith, and it is quantized to uint8 by a
    `linalg.generic`; the contraction is a `linalg.generic` on the storage
    integers with the run-time zero point, and a last `linalg.generic`
    multiplies the int32 result by `scale_x * scale_w[n]`.
  }];
  let dependentDialects = ["::qnn::QNNDialect", "mlir::quant::QuantDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::math::MathDialect",
                           "mlir::tensor::TensorDialect"];
  let options = [
    Option<"mode", "mode", "::qnn::ActivationRangeMode",
           /*default=*/"::qnn::ActivationRangeMode::Static",
           "Where activation ranges come from",
           [{::llvm::cl::values(
             clEnumValN(::qnn::ActivationRangeMode::Static, "static",
                        "the statistics file (post-training calibration)"),
             clEnumValN(::qnn::ActivationRangeMode::Dynamic, "dynamic",
                        "a min/max reduction at run time, per call"))}]>,
    Option<"statsFile", "stats", "std::string", /*default=*/"",
           "JSON statistics file with the range of every activation "
           "(mode=static)">,
    Option<"activationScheme", "activation-scheme", "::qnn::quantmath::Scheme",
           /*default=*/"::qnn::quantmath::Scheme::Asymmetric",
           "How activations map to integers",
           [{::llvm::cl::values(
             clEnumValN(::qnn::quantmath::Scheme::Symmetric, "symmetric",
                        "zero point 0"),
             clEnumValN(::qnn::quantmath::Scheme::Asymmetric, "asymmetric",
                        "min and max onto the integer range"))}]>,
    Option<"activationSigned", "activation-signed", "bool",
           /*default=*/"false",
           "Store activations as int8 (default: uint8)">,
    Option<"weightScheme", "weight-scheme", "::qnn::quantmath::Scheme",
           /*default=*/"::qnn::quantmath::Scheme::Symmetric",
           "How weights map to integers",
           [{::llvm::cl::values(
             clEnumValN(::qnn::quantmath::Scheme::Symmetric, "symmetric",
                        "zero point 0, scale = absmax / qmax"),
             clEnumValN(::qnn::quantmath::Scheme::Asymmetric, "asymmetric",
                        "min and max onto the integer range"))}]>,
    Option<"weightGranularity", "weight-granularity",
           "::qnn::WeightGranularity",
           /*default=*/"::qnn::WeightGranularity::PerChannel",
           "Which weights share one scale",
           [{::llvm::cl::values(
             clEnumValN(::qnn::WeightGranularity::PerTensor, "per-tensor",
                        "one scale for the whole tensor"),
             clEnumValN(::qnn::WeightGranularity::PerChannel, "per-channel",
                        "one scale per output channel"),
             clEnumValN(::qnn::WeightGranularity::PerGroup, "per-group",
                        "rejected: an int32 sum over input channels takes "
                        "one scale per output channel"))}]>,
    Option<"weightRange", "weight-range", "::qnn::IntegerRangeKind",
           /*default=*/"::qnn::IntegerRangeKind::Auto",
           "Integer range of the signed weights",
           [{::llvm::cl::values(
             clEnumValN(::qnn::IntegerRangeKind::Auto, "auto",
                        "the compat mode's (narrow for compat=none)"),
             clEnumValN(::qnn::IntegerRangeKind::Narrow, "narrow",
                        "[-127, 127]"),
             clEnumValN(::qnn::IntegerRangeKind::Full, "full",
                        "[-128, 127]"))}]>,
    Option<"rounding", "rounding", "::qnn::quantmath::RoundingMode",
           /*default=*/"::qnn::quantmath::RoundingMode::HalfToEven",
           "Rounding of x / scale, for weights and activations",
           [{::llvm::cl::values(
             clEnumValN(::qnn::quantmath::RoundingMode::HalfToEven,
                        "half-to-even", "ties to even (numpy, ONNX)"),
             clEnumValN(::qnn::quantmath::RoundingMode::HalfAwayFromZero,
                        "half-away-from-zero",
                        "ties away from zero (TFLite, gemmlowp)"))}]>,
    ListOption<"onlyOps", "ops", "std::string",
               "Quantize only these ops (op names or value names)">,
    ListOption<"excludeOps", "exclude", "std::string",
               "Keep these ops in fp32 (op names or value names)">,
    Option<"compat", "compat", "::qnn::quantmath::CompatMode",
           /*default=*/"::qnn::quantmath::CompatMode::None",
           "Whose rules choose scales and zero points",
           [{::llvm::cl::values(
             clEnumValN(::qnn::quantmath::CompatMode::None, "none",
                        "qnn-mlir's own (docs/Numerics.md)"),
             clEnumValN(::qnn::quantmath::CompatMode::PyTorch, "pytorch",
                        "torch.ao.quantization observers, bit for bit"),
             clEnumValN(::qnn::quantmath::CompatMode::OnnxRuntime,
                        "onnxruntime",
                        "onnxruntime.quantization compute_scale_zp"),
             clEnumValN(::qnn::quantmath::CompatMode::TFLite, "tflite",
                        "TFLite's converter and FakeQuant nudging"))}]>,
    Option<"activationReduceRange", "activation-reduce-range", "bool",
           /*default=*/"false",
           "Quantize activations to one bit less of their storage "
           "(torch.ao's reduce_range of activation observers)">,
    Option<"weightReduceRange", "weight-reduce-range", "bool",
           /*default=*/"false",
           "Quantize weights to one bit less of their storage (ONNX "
           "Runtime's reduce_range)">,
    Option<"calibration", "calibration", "::qnn::quantmath::CalibrationMethod",
           /*default=*/"::qnn::quantmath::CalibrationMethod::MinMax",
           "How an activation's range is chosen from its statistics "
           "(mode=static)",
           [{::llvm::cl::values(
             clEnumValN(::qnn::quantmath::CalibrationMethod::MinMax,
                        "minmax", "min and max of everything observed"),
             clEnumValN(::qnn::quantmath::CalibrationMethod::MovingAverage,
                        "moving-average",
                        "moving averages of the batch minima and maxima"),
             clEnumValN(::qnn::quantmath::CalibrationMethod::Percentile,
                        "percentile",
                        "the `percentile` of the histogram"),
             clEnumValN(::qnn::quantmath::CalibrationMethod::MSE, "mse",
                        "PyTorch HistogramObserver's L2-optimal range"),
             clEnumValN(::qnn::quantmath::CalibrationMethod::Entropy,
                        "entropy",
                        "the KL-divergence threshold (TensorRT, ONNX "
                        "Runtime)"))}]>,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "With calibration=percentile: the percentile kept, in (0, 100]">,
  ];
}

def QNNInsertObservers : Pass<"qnn-insert-observers", "mlir::ModuleOp"> {
  let summary = "Mark the activations to calibrate with qnn.observe";
  let description = [{
    Inserts a `qnn.observe {name = <stable name>}` after every value that
    `qnn-quantize` with the same `ops` and `exclude` options would quantize
    as an activation: the operands of the matmuls and convolutions it
    rewrites that are not constants (the same matching and selection code),
    and, in a module qnn-quantize has already rewritten, the inputs of its
    per-tensor `qnn.quantize` ops (so that an fp32 model and its int8
    version observe the same values under the same names).
    The name is the value's stable name (the key `qnn-quantize` looks up in
    the statistics file), computed on the IR before any observer is
    inserted; the observer carries it as its location name too, so that the
    observed value keeps its stable name for `qnn-quantize` and `qnn-report`
    run on instrumented IR. Every use of the value then reads the observer's
    result.

    With `all-values=true` every ranked f32 tensor computed from the
    function's arguments is observed instead (the arguments, and the
    results of ops reading them, transitively, at the function level and in
    control flow such as `scf.for`, not in linalg bodies): the values whose
    error `qnn-run --eval --per-layer` reports. Constants, `tensor.empty`
    and fills or broadcasts of constants are left out.

    A value that already has an observer (or is an observer's result) is
    left alone, so the pass is idempotent. `qnn-run --calibrate` runs it on
    the fp32 model, and the observers become calls into the runner when the
    module is lowered (`convert-qnn-to-linalg`); `qnn-strip-observers`
    removes them.

    ```mlir
    %y = linalg.matmul ins(%x, %w : tensor<4x64xf32>, tensor<64x10xf32>)
                       outs(%zero : tensor<4x10xf32>) -> tensor<4x10xf32>
    ```

    becomes (in `func.func @f`)

    ```mlir
    %xo = qnn.observe %x {name = "f/arg0"} : tensor<4x64xf32> loc("f/arg0")
    %y = linalg.matmul ins(%xo, %w : tensor<4x64xf32>, tensor<64x10xf32>)
                       outs(%zero : tensor<4x10xf32>) -> tensor<4x10xf32>
    ```
  }];
  let dependentDialects = ["::qnn::QNNDialect"];
  let options = [
    ListOption<"onlyOps", "ops", "std::string",
               "Observe the activations of these ops only (op names or value "
               "names), as qnn-quantize's ops option">,
    ListOption<"excludeOps", "exclude", "std::string",
               "Do not observe the activations of these ops, as "
               "qnn-quantize's exclude option">,
    Option<"allValues", "all-values", "bool", /*default=*/"false",
           "Observe every f32 tensor computed from the function arguments "
           "(for per-layer error), not only the activations qnn-quantize "
           "quantizes">,
  ];
}

def QNNStripObservers : Pass<"qnn-strip-observers"> {
  let summary = "Remove qnn.observe ops";
  let description = [{
    Replaces every `qnn.observe` by its input, so that an instrumented model
    runs without the calibration runner (mlir-runner, an object file, or
    `qnn-run` outside `--calibrate`, which strips observers itself).
  }];
}

def QNNFuse : Pass<"qnn-fuse", "mlir::ModuleOp"> {
  let summary = "Fold dequantize/quantize pairs, biases, activations and zero points into integer code";
  let description = [{
    Turns the output of `qnn-quantize` into integer code between layers:

    | pattern | becomes |
    |---|---|
    | `qnn.quantize(quant.dcast(x))` | `qnn.requantize(x)`, or `x` when the types match |
    | `quant.dcast(acc) + bias` (a constant broadcast along the output channels) | the bias as int32 at scale `s_in * s_w`, an operand of the contraction |
    | ReLU, ReLU6, clamp between `quant.dcast` and `qnn.quantize` | the requantize clamp (`clamp_min`, `clamp_max`) |
    | `qnn.quantize` after max pooling, zero padding, reshapes, slices, transposes | the same op on the quantized values (quantization commutes with them) |
    | an input zero point times constant weights | a constant correction folded into the bias, so that the inner loop is a pure integer dot product |

    What cannot be fused stays correct: a `quant.dcast`, the fp32 ops, and a
    `qnn.quantize`.
  }];
  let dependentDialects = ["::qnn::QNNDialect", "mlir::quant::QuantDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
  let options = [
    Option<"rescale", "rescale", "::qnn::RescaleMode",
           /*default=*/"::qnn::RescaleMode::FixedPoint",
           "Arithmetic of the requantize ops it creates",
           [{::llvm::cl::values(
             clEnumValN(::qnn::RescaleMode::FixedPoint, "fixed-point",
                        "int32 multiplier and shift (gemmlowp/TFLite)"),
             clEnumValN(::qnn::RescaleMode::Float, "float",
                        "dequantize and quantize in f32"))}]>,
    Option<"foldZeroPoints", "fold-zero-points", "bool", /*default=*/"true",
           "Precompute the input zero point's contribution with constant "
           "weights">,
  ];
}

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
