//===- QNNContractionOps.td - Integer matmul and convolution -*- tablegen -*-===//
//
// Ops that multiply quantized tensors and sum the products in int32. Their
// results are accumulators: `!quant.uniform<i32:f32, s_lhs * s_rhs>` (per
// output channel when the weights are), with zero point 0, so that the scale
// of every intermediate is visible in the IR and a `qnn.requantize` can take
// them to 8 bits.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNCONTRACTIONOPS_TD
#define QNN_DIALECT_QNN_IR_QNNCONTRACTIONOPS_TD

class QNN_ContractionOp<string mnemonic, list<Trait> traits = []>
    : QNN_Op<mnemonic, !listconcat(traits, [Pure])> {
  let results = (outs QNN_QuantizedTensor:$result);
  let hasVerifier = 1;
}

def QNN_MatmulOp : QNN_ContractionOp<"matmul"> {
  let summary = "Integer matrix multiplication with int32 accumulation";
  let description = [{
    `result[m, n] = sum_k (lhs[m, k] - z_lhs) * (rhs[k, n] - z_rhs[n]) + bias[n]`,
    computed exactly in int32 (the caller keeps K small enough not to
    overflow: K * 255 * 128 < 2^31 for u8 x i8 allows K up to 65,000).

    | operand / result | shape | type |
    |---|---|---|
    | `lhs` (activations) | [M, K] | per-tensor `!quant.uniform`, integer storage of at most 16 bits |
    | `rhs` (weights) | [K, N] | per-tensor, or per-axis along 1 (output channels) |
    | `bias` (optional) | [N] | the result's element type (per-axis along 0 if the result is per-axis) |
    | `result` | [M, N] | `i32` storage, zero point 0, scale `s_lhs * s_rhs` (per-axis along 1 when `rhs` is) |

    ```mlir
    %acc = qnn.matmul %x, %w, %b
        : (tensor<4x64x!quant.uniform<u8:f32, 0.02:128>>,
           tensor<64x10x!quant.uniform<i8<-127:127>:f32:1, {...}>>,
           tensor<10x!quant.uniform<i32:f32:0, {...}>>)
        -> tensor<4x10x!quant.uniform<i32:f32:1, {...}>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$lhs, QNN_QuantizedTensor:$rhs,
                       Optional<QNN_QuantizedTensor>:$bias);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def QNN_BatchMatmulOp : QNN_ContractionOp<"batch_matmul"> {
  let summary = "Batched integer matrix multiplication with int32 accumulation";
  let description = [{
    `result[b, m, n] = sum_k (lhs[b, m, k] - z_lhs) * (rhs[b, k, n] - z_rhs[n]) + bias[n]`,
    in int32; the types follow `qnn.matmul` with one leading batch dimension
    (`rhs` per-axis along 2, `result` per-axis along 2).

    ```mlir
    %acc = qnn.batch_matmul %a, %b
        : (tensor<2x4x8x!quant.uniform<i8:f32, 0.1>>,
           tensor<2x8x3x!quant.uniform<i8:f32, 0.2>>)
        -> tensor<2x4x3x!quant.uniform<i32:f32, 0.02>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$lhs, QNN_QuantizedTensor:$rhs,
                       Optional<QNN_QuantizedTensor>:$bias);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def QNN_Conv2DOp : QNN_ContractionOp<"conv2d"> {
  let summary = "Integer 2-D convolution with int32 accumulation";
  let description = [{
    A grouped 2-D convolution (cross-correlation, as in ONNX and TFLite) on
    zero-point-corrected integers, summed in int32:

    `result[n, y, x, f] = bias[f] + sum_{i, j, c} (input[n, y*sy + i*dy - pt, x*sx + j*dx - pl, g*C/G + c] - z_in) * (filter[i, j, c, f] - z_f[f])`

    for output channel `f` in group `g = f / (F / G)` (shown for `nhwc`).
    Positions outside the input (padding) hold real 0, that is the input's
    zero point. `groups == C == F` is a depthwise convolution.

    | operand / attribute | nhwc | nchw |
    |---|---|---|
    | `input` | [N, H, W, C], per-tensor | [N, C, H, W], per-tensor |
    | `filter` | [KH, KW, C / G, F], per-tensor or per-axis along 3 | [F, C / G, KH, KW], per-tensor or per-axis along 0 |
    | `bias` (optional) | [F], the result's element type | same |
    | `result` | [N, OH, OW, F], `i32`, scale `s_in * s_f` (per-axis along 3) | [N, F, OH, OW] (per-axis along 1) |
    | `strides` | [sy, sx], default [1, 1] | same |
    | `dilations` | [dy, dx], default [1, 1] | same |
    | `padding` | [top, bottom, left, right], default zeros | same |
    | `groups` | G, divides C and F, default 1 | same |

    `OH = (H + pt + pb - dy * (KH - 1) - 1) / sy + 1`, likewise `OW`.

    ```mlir
    %acc = qnn.conv2d %img, %filter {strides = array<i64: 2, 2>,
                                     padding = array<i64: 1, 1, 1, 1>}
        : (tensor<1x28x28x1x!quant.uniform<u8:f32, 0.0039:0>>,
           tensor<3x3x1x8x!quant.uniform<i8<-127:127>:f32:3, {...}>>)
        -> tensor<1x14x14x8x!quant.uniform<i32:f32:3, {...}>>
    ```
  }];
  let arguments = (ins QNN_QuantizedTensor:$input, QNN_QuantizedTensor:$filter,
                       Optional<QNN_QuantizedTensor>:$bias,
                       DefaultValuedAttr<QNN_DataFormatAttr,
                                         "::qnn::DataFormat::NHWC">:$data_format,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Dimension positions of the image and filter for this data format.
    int64_t getChannelDim() {
      return getDataFormat() == ::qnn::DataFormat::NHWC ? 3 : 1;
    }
    int64_t getFilterOutputChannelDim() {
      return getDataFormat() == ::qnn::DataFormat::NHWC ? 3 : 0;
    }
    /// Whether this is a depthwise convolution (one filter per channel).
    bool isDepthwise();
  }];
}

#endif // QNN_DIALECT_QNN_IR_QNNCONTRACTIONOPS_TD
