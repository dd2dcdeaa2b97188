# qnn.matmul and qnn.batch_matmul lowered by qnn-lower-to-llvm and run: the
# int32 accumulators must equal the integer reference (qnntest.intref) bit
# for bit. u8 and i8 activations with and without zero points, i8 weights
# per tensor and per channel (narrow and full range, with per-channel zero
# points), u8 weights, 16-bit activations, biases, odd extents, a long
# reduction (K = 2048) at the extremes of the storage ranges (activations
# 0 and 255, weights -127 and 127) and negative accumulators.
# RUN: %python %s

import numpy as np

from qnntest import intref
from qnntest.intharness import (Arg, Checker, IntFunction, accumulator, per_axis, per_tensor,
                                random_scale, with_axis)


def matmul_function(name, rng, m, k, n, lhs_type, rhs_type, batch=None, bias=True,
                    lhs_values=None, rhs_values=None, label=""):
    lead = () if batch is None else (batch,)
    lhs_shape, rhs_shape, out_shape = lead + (m, k), lead + (k, n), lead + (m, n)
    channel_axis = len(lead) + 1
    rhs_type = with_axis(rhs_type, channel_axis)
    acc = accumulator(lhs_type, rhs_type, channel_axis)
    lhs = lhs_values if lhs_values is not None else lhs_type.random(rng, lhs_shape)
    rhs = rhs_values if rhs_values is not None else rhs_type.random(rng, rhs_shape)
    args = [Arg("a", lhs, lhs_type), Arg("w", rhs, rhs_type)]
    operands = "%a, %w"
    operand_types = f"{lhs_type.tensor(lhs_shape)}, {rhs_type.tensor(rhs_shape)}"
    bias_values = None
    if bias:
        bias_type = with_axis(acc, 0)
        bias_values = rng.integers(-(1 << 20), 1 << 20, size=(n,), dtype=np.int64)
        args.append(Arg("b", bias_values, bias_type))
        operands += ", %b"
        operand_types += f", {bias_type.tensor((n,))}"
    op = "qnn.matmul" if batch is None else "qnn.batch_matmul"
    body = f"  %y = {op} {operands} : ({operand_types}) -> {acc.tensor(out_shape)}"
    rhs_zp = np.array(rhs_type.zero_points, dtype=np.int64)
    expected = intref.matmul(lhs, rhs, lhs_type.zero_points[0], rhs_zp if rhs_zp.size > 1 else rhs_zp[0], bias_values)
    return IntFunction(name, args, out_shape, acc, body, expected, label or name)


def main():
    rng = np.random.default_rng(20240611)
    s = lambda: random_scale(rng)
    zp_u8 = lambda: int(rng.integers(0, 256))
    zp_i8 = lambda: int(rng.integers(-128, 128))
    n_scales = lambda n: [s() for _ in range(n)]
    functions = []

    # u8 activations with a zero point, symmetric per-channel i8 weights:
    # what qnn-quantize produces by default.
    functions.append(matmul_function(
        "u8_per_channel", rng, 4, 64, 24, per_tensor(8, False, s(), zp_u8()),
        per_axis(8, True, n_scales(24), [0] * 24, 1, narrow=True)))
    # The same without zero points (qnn-fuse's form): a pure contraction.
    functions.append(matmul_function(
        "u8_zero_zp", rng, 4, 64, 24, per_tensor(8, False, s(), 0),
        per_axis(8, True, n_scales(24), [0] * 24, 1, narrow=True), bias=False))
    functions.append(matmul_function(
        "i8_per_tensor", rng, 8, 32, 16, per_tensor(8, True, s(), 0),
        per_tensor(8, True, s(), 0), bias=False))
    # i8 activations with a zero point, full-range i8 weights with a zero
    # point per channel: every correction term.
    functions.append(matmul_function(
        "i8_asymmetric_weights", rng, 6, 40, 20, per_tensor(8, True, s(), zp_i8()),
        per_axis(8, True, n_scales(20), [zp_i8() for _ in range(20)], 1)))
    # u8 weights with zero points; u8 activations.
    functions.append(matmul_function(
        "u8_u8", rng, 4, 48, 16, per_tensor(8, False, s(), zp_u8()),
        per_axis(8, False, n_scales(16), [zp_u8() for _ in range(16)], 1)))
    # Odd extents (5, 37, 13 are prime): tiles of 1, no masks.
    functions.append(matmul_function(
        "odd_extents", rng, 5, 37, 13, per_tensor(8, False, s(), zp_u8()),
        per_axis(8, True, n_scales(13), [0] * 13, 1, narrow=True)))
    # 16-bit activations.
    functions.append(matmul_function(
        "i16_activations", rng, 4, 16, 8, per_tensor(16, True, s(), int(rng.integers(-3000, 3000))),
        per_tensor(8, True, s(), 3)))

    # K = 2048 at the extremes: activations 255 (zero point 0) against
    # weights +-127 give accumulators of +-66 million, exact in int32.
    k = 2048
    lhs = np.full((4, k), 255, dtype=np.int64)
    lhs[1] = 0
    lhs[2, ::2] = 0
    rhs = np.where(rng.integers(0, 2, size=(k, 16)) == 0, -127, 127).astype(np.int64)
    rhs[:, 0] = 127
    rhs[:, 1] = -127
    functions.append(matmul_function(
        "long_k_extremes", rng, 4, k, 16, per_tensor(8, False, s(), 0),
        per_axis(8, True, n_scales(16), [0] * 16, 1, narrow=True), bias=False,
        lhs_values=lhs, rhs_values=rhs))
    # The same with an activation zero point of 255: (q - 255) is 0 or
    # -255, so the correction terms are as large as the products.
    functions.append(matmul_function(
        "long_k_zero_point", rng, 4, k, 16, per_tensor(8, False, s(), 255),
        per_axis(8, True, n_scales(16), [0] * 16, 1, narrow=True), bias=True,
        lhs_values=lhs, rhs_values=rhs))
    # Negative accumulators: activations at the top of u8 with a low zero
    # point, weights all -127.
    functions.append(matmul_function(
        "negative_accumulators", rng, 4, 512, 16, per_tensor(8, False, s(), 1),
        per_tensor(8, True, s(), 0, narrow=True), bias=True,
        lhs_values=rng.integers(200, 256, size=(4, 512)),
        rhs_values=np.full((512, 16), -127, dtype=np.int64)))

    # batch_matmul.
    functions.append(matmul_function(
        "batch_u8_per_channel", rng, 3, 32, 16, per_tensor(8, False, s(), zp_u8()),
        per_axis(8, True, n_scales(16), [0] * 16, 2, narrow=True), batch=2))
    functions.append(matmul_function(
        "batch_asymmetric", rng, 4, 24, 12, per_tensor(8, True, s(), zp_i8()),
        per_axis(8, True, n_scales(12), [zp_i8() for _ in range(12)], 2), batch=3))

    for f in functions:
        assert f.expected.min() >= intref.INT32_MIN and f.expected.max() <= intref.INT32_MAX
    assert functions[-4].expected.max() > 60_000_000 or functions[-5].expected.max() > 60_000_000
    checker = Checker()
    # Vectorized, and scalar loops as a second lowering of the same IR.
    checker.run_and_compare(functions, pipeline_option_sets=("", "vectorize=false"))
    checker.finish()


main()
