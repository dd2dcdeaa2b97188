//===- QNNRescaleOps.td - Requantize, add and multiply -----*- tablegen -*-===//
//
// Ops whose result has a scale of its own, so that the integers must be
// rescaled: in fixed point by default, in float as an option.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNRESCALEOPS_TD
#define QNN_DIALECT_QNN_IR_QNNRESCALEOPS_TD

class QNN_RescaleOp<string mnemonic, list<Trait> traits = []>
    : QNN_Op<mnemonic, !listconcat(traits, [Pure])> {
  let results = (outs QNN_QuantizedTensor:$result);
  let hasVerifier = 1;
  dag rescaleArguments = (ins
      DefaultValuedAttr<QNN_RescaleModeAttr,
                        "::qnn::RescaleMode::FixedPoint">:$mode,
      DefaultValuedAttr<QNN_RoundingModeAttr,
                        "::qnn::RoundingMode::HalfToEven">:$rounding,
      OptionalAttr<I64Attr>:$clamp_min,
      OptionalAttr<I64Attr>:$clamp_max);
  code rescaleClassDeclaration = [{
    /// The result's storage range narrowed by `clamp_min` / `clamp_max`.
    std::pair<int64_t, int64_t> getClampRange();
  }];
}

def QNN_RequantizeOp : QNN_RescaleOp<"requantize"> {
  let summary = "Rescale integers to another scale and zero point";
  let description = [{
    Takes an integer tensor (an int32 accumulator, or 8-bit data) to the
    scale and zero point of the result type, saturating to the result's
    storage range narrowed by `clamp_min` / `clamp_max` (storage units; a
    fused ReLU is `clamp_min` = the output zero point):

    | `mode` | result |
    |---|---|
    | `fixed_point` (default) | `clamp(z_out + MultiplyByQuantizedMultiplier(in - z_in, QuantizeMultiplier(s_in[c] / s_out)))` |
    | `float` | `clamp(round(float32(in - z_in) * s_in[c] / s_out) + z_out)`, with `rounding`; that is, dequantize then quantize in f32 |

    `c` is the index along the input's quantized axis when it is per-axis
    (an accumulator of per-channel weights); the result is per-tensor, or
    per-axis along the same axis. `in - z_in` is saturated to int32 (it is
    exact for accumulators, whose zero point is 0, and for 8- and 16-bit
    inputs). `MultiplyByQuantizedMultiplier` and
    `QuantizeMultiplier` are gemmlowp's and TFLite's (docs/Numerics.md):
    double rounding, ties rounded away from zero in the final shift. The
    factor `s_in / s_out` must be representable (below 2^31).

    ```mlir
    %y = qnn.requantize %acc {clamp_min = 128 : i64}
        : tensor<4x10x!quant.uniform<i32:f32:1, {...}>>
        -> tensor<4x10x!quant.uniform<u8:f32, 0.05:128>>
    ```
  }];
  let arguments = !con((ins QNN_QuantizedTensor:$input), rescaleArguments);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let extraClassDeclaration = rescaleClassDeclaration;
}

def QNN_AddOp : QNN_RescaleOp<"add", [SameOperandsAndResultShape]> {
  let summary = "Elementwise addition of quantized tensors";
  let description = [{
    `real(result) = real(lhs) + real(rhs)`, all three per-tensor with the
    same storage width (at most 16 bits), possibly with different scales and
    zero points:

    | `mode` | result |
    |---|---|
    | `fixed_point` (default) | TFLite's integer ADD: with `L` = 20 (15 for 16-bit storage) and `t = 2 * max(s_lhs, s_rhs)`, `a = MBQM((lhs - z_lhs) << L, QM(s_lhs / t))`, `b = MBQM((rhs - z_rhs) << L, QM(s_rhs / t))`, `result = clamp(z_out + MBQM(a + b, QM(t / (2^L * s_out))))` |
    | `float` | `clamp(round((float32(lhs - z_lhs) * s_lhs + float32(rhs - z_rhs) * s_rhs) / s_out) + z_out)` |

    `MBQM` is MultiplyByQuantizedMultiplier, `QM` QuantizeMultiplier.

    ```mlir
    %s = qnn.add %a, %b : (tensor<8x!quant.uniform<i8:f32, 0.1:-3>>,
                           tensor<8x!quant.uniform<i8:f32, 0.2:5>>)
        -> tensor<8x!quant.uniform<i8:f32, 0.25:0>>
    ```
  }];
  let arguments = !con((ins QNN_QuantizedTensor:$lhs, QNN_QuantizedTensor:$rhs),
                       rescaleArguments);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = rescaleClassDeclaration;
}

def QNN_MulOp : QNN_RescaleOp<"mul", [SameOperandsAndResultShape]> {
  let summary = "Elementwise multiplication of quantized tensors";
  let description = [{
    `real(result) = real(lhs) * real(rhs)`, all three per-tensor with at most
    16-bit storage:

    | `mode` | result |
    |---|---|
    | `fixed_point` (default) | `clamp(z_out + MBQM(sat32((lhs - z_lhs) * (rhs - z_rhs)), QM(s_lhs * s_rhs / s_out)))`; the product is exact for 8-bit storage, and saturated to int32 (`sat32`) for 16-bit |
    | `float` | `clamp(round(float32(lhs - z_lhs) * s_lhs * (float32(rhs - z_rhs) * s_rhs) / s_out) + z_out)` |

    ```mlir
    %p = qnn.mul %a, %b : (tensor<8x!quant.uniform<u8:f32, 0.1:128>>,
                           tensor<8x!quant.uniform<u8:f32, 0.1:128>>)
        -> tensor<8x!quant.uniform<u8:f32, 0.05:128>>
    ```
  }];
  let arguments = !con((ins QNN_QuantizedTensor:$lhs, QNN_QuantizedTensor:$rhs),
                       rescaleArguments);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = rescaleClassDeclaration;
}

#endif // QNN_DIALECT_QNN_IR_QNNRESCALEOPS_TD
