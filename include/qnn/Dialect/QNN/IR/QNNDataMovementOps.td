//===- QNNDataMovementOps.td - Pooling and padding ---------*- tablegen -*-===//
//
// Ops that move or select quantized values without changing their scale: the
// result has the input's element type. (Reshapes, slices, concatenation and
// transposes use upstream tensor and linalg ops, which accept quantized
// element types.)
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNDATAMOVEMENTOPS_TD
#define QNN_DIALECT_QNN_IR_QNNDATAMOVEMENTOPS_TD

class QNN_Pool2DOp<string mnemonic> : QNN_Op<mnemonic, [Pure]> {
  let results = (outs QNN_QuantizedTensor:$result);
  let hasVerifier = 1;
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  dag poolArguments = (ins QNN_QuantizedTensor:$input,
      DenseI64ArrayAttr:$kernel,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<QNN_DataFormatAttr,
                        "::qnn::DataFormat::NHWC">:$data_format);
}

def QNN_MaxPool2DOp : QNN_Pool2DOp<"max_pool2d"> {
  let summary = "2-D max pooling of quantized images";
  let description = [{
    The largest stored integer of each `kernel` window. Quantization is
    monotonic, so this is the max pooling of the reals, with the input's
    scale and zero point; padding never wins (it holds the storage minimum).

    | operand / attribute | meaning |
    |---|---|
    | `input` / `result` | [N, H, W, C] (`nhwc`) or [N, C, H, W] (`nchw`), one per-tensor type |
    | `kernel` | [KH, KW] |
    | `strides` | [sy, sx], default [1, 1] |
    | `padding` | [top, bottom, left, right], default zeros |

    ```mlir
    %p = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
        : tensor<1x28x28x8x!quant.uniform<u8:f32, 0.05:0>>
        -> tensor<1x14x14x8x!quant.uniform<u8:f32, 0.05:0>>
    ```
  }];
  let arguments = poolArguments;
}

def QNN_AvgPool2DOp : QNN_Pool2DOp<"avg_pool2d"> {
  let summary = "2-D average pooling of quantized images";
  let description = [{
    The mean of each window in integers, as TFLite: with `S` the sum of the
    stored integers of the window and `n` the number of them (inside the
    input, unless `count_include_pad`, when padding counts as the zero
    point), `result = clamp(S / n rounded half away from zero)`. The result
    has the input's scale and zero point. Attributes as `qnn.max_pool2d`;
    a global average pool has `kernel` = [H, W].

    ```mlir
    %g = qnn.avg_pool2d %x {kernel = array<i64: 7, 7>}
        : tensor<1x7x7x32x!quant.uniform<u8:f32, 0.05:0>>
        -> tensor<1x1x1x32x!quant.uniform<u8:f32, 0.05:0>>
    ```
  }];
  let arguments = !con(poolArguments,
                       (ins DefaultValuedAttr<BoolAttr, "false">:$count_include_pad));
}

def QNN_PadOp : QNN_Op<"pad", [Pure]> {
  let summary = "Pad a quantized tensor with real zero";
  let description = [{
    Adds `low[d]` elements before and `high[d]` after dimension `d`, all
    holding the zero point (the real value 0.0), as convolution padding and
    zero-padding layers need. The result has the input's element type.

    ```mlir
    %p = qnn.pad %x low = [0, 1, 1, 0] high = [0, 1, 1, 0]
        : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1:7>>
        -> tensor<1x6x6x2x!quant.uniform<u8:f32, 0.1:7>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, DenseI64ArrayAttr:$low,
                       DenseI64ArrayAttr:$high);
  let results = (outs QNN_QuantizedTensor:$result);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input `low` `=` $low `high` `=` $high attr-dict `:` type($input) `->` type($result)
  }];
}

#endif // QNN_DIALECT_QNN_IR_QNNDATAMOVEMENTOPS_TD
