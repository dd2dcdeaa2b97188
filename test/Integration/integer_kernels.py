# qnn.matmul with constant weights, as qnn-fuse leaves it (followed by a
# qnn.requantize), through the packed-weight kernels of
# qnn-cpu-contraction-kernels on every target this CPU can run (avx512-vnni,
# avx-vnni, avx2; generic is the vectorizer's code): the results must equal
# the integer reference (qnntest.intref) bit for bit. Covers u8 and i8
# activations (vpdpbusd's offset by 128 and its constant correction), zero
# points on both sides (the accumulator starts from the full initial
# tensor), u8 weights above 127 (the int16 route), narrow and full-range
# weights at their extremes, K not a multiple of the group (4 or 2), N not a
# multiple of the lanes (a partial last panel), M = 1 (matvec, several panels
# at once) and M not a multiple of the register tile's rows, per-channel
# requantize into u8 with a ReLU clamp and into i8 in float mode, and the
# plain int32 accumulator when nothing consumes it elementwise, with and
# without a bias.
# RUN: %python %s

import numpy as np

from qnntest import intref
from qnntest.intharness import (Arg, Checker, IntFunction, accumulator, dense_storage,
                                host_kernel_targets, per_axis, per_tensor, random_scale, with_axis)


def kernel_function(name, rng, m, k, n, lhs_type, rhs_type, out_type=None, mode="fixed_point",
                    clamp_min=None, lhs_values=None, rhs_values=None, bias=True):
    """`requantize(matmul(a, W) + b)` with W a qnn.constant (the result's
    int32 accumulators without `out_type`, no `+ b` without `bias`)."""
    rhs_type = with_axis(rhs_type, 1)
    acc = accumulator(lhs_type, rhs_type, 1)
    lhs = lhs_values if lhs_values is not None else lhs_type.random(rng, (m, k))
    rhs = rhs_values if rhs_values is not None else rhs_type.random(rng, (k, n))
    bias_type = with_axis(acc, 0)
    args = [Arg("a", lhs, lhs_type)]
    operand_types = [lhs_type.tensor((m, k)), rhs_type.tensor((k, n))]
    operands = "%a, %w"
    if bias:
        bias = rng.integers(-(1 << 16), 1 << 16, size=(n,), dtype=np.int64)
        args.append(Arg("b", bias, bias_type))
        operand_types.append(bias_type.tensor((n,)))
        operands += ", %b"
    else:
        bias = None
    lines = [
        f"  %w = qnn.constant {dense_storage(rhs, 8)} -> {rhs_type.tensor((k, n))}",
        f"  %acc = qnn.matmul {operands} : ({', '.join(operand_types)}) -> {acc.tensor((m, n))}",
    ]
    rhs_zp = np.array(rhs_type.zero_points, dtype=np.int64)
    expected = intref.matmul(lhs, rhs, lhs_type.zero_points[0], rhs_zp if rhs_zp.size > 1 else rhs_zp[0], bias)
    if out_type is None:
        body = "\n".join(lines).replace("%acc =", "%y =")
        return IntFunction(name, args, (m, n), acc, body, expected, name)
    attrs = []
    if mode == "float":
        attrs.append("mode = #qnn.rescale<float>")
    if clamp_min is not None:
        attrs.append(f"clamp_min = {clamp_min} : i64")
    attr_text = "{" + ", ".join(attrs) + "} " if attrs else ""
    lines.append(f"  %y = qnn.requantize %acc {attr_text}: {acc.tensor((m, n))} -> {out_type.tensor((m, n))}")
    clamp = (out_type.qmin if clamp_min is None else clamp_min, out_type.qmax)
    expected = intref.requantize(expected, acc.scale_array(2), 0, out_type.scale_array(2),
                                 out_type.zp_array(2), clamp, mode, "half_to_even", in_bits=32,
                                 out_bits=out_type.bits)
    return IntFunction(name, args, (m, n), out_type, "\n".join(lines), expected, name)


def main():
    rng = np.random.default_rng(20260611)
    s = lambda: random_scale(rng)
    n_scales = lambda n: [s() for _ in range(n)]
    out_scale = lambda: random_scale(rng, 1e-2, 1.0)
    functions = []

    def narrow(n):
        return per_axis(8, True, n_scales(n), [0] * n, 1, narrow=True)

    # qnn-fuse's form: u8 activations, zero point 0, symmetric per-channel
    # weights, requantized into u8 with a ReLU clamp at the zero point.
    zp = int(rng.integers(0, 40))
    functions.append(kernel_function(
        "u8_relu", rng, 13, 64, 80, per_tensor(8, False, s(), 0), narrow(80),
        per_tensor(8, False, out_scale(), zp), clamp_min=zp))
    # Matvec over several panels, N not a multiple of 16, K not of 4.
    functions.append(kernel_function(
        "matvec", rng, 1, 301, 200, per_tensor(8, False, s(), 0), narrow(200),
        per_tensor(8, False, out_scale(), 3)))
    # i8 activations (vpdpbusd: + 128 and a constant correction), full-range
    # weights, float-mode requantize into i8.
    functions.append(kernel_function(
        "i8_float_mode", rng, 7, 66, 40, per_tensor(8, True, s(), 0),
        per_axis(8, True, n_scales(40), [0] * 40, 1), per_tensor(8, True, out_scale(), -5),
        mode="float"))
    # Zero points on both sides: the accumulator starts from the corrected
    # initial tensor.
    functions.append(kernel_function(
        "zero_points", rng, 6, 48, 24, per_tensor(8, False, s(), int(rng.integers(0, 256))),
        per_axis(8, True, n_scales(24), [int(z) for z in rng.integers(-20, 20, size=24)], 1),
        per_tensor(8, False, out_scale(), 128)))
    # u8 weights above 127 (vpdpbusd reads signed bytes: the int16 route).
    functions.append(kernel_function(
        "u8_weights", rng, 5, 35, 17, per_tensor(8, False, s(), 0),
        per_axis(8, False, n_scales(17), [128] * 17, 1), per_tensor(8, False, out_scale(), 0)))
    # A long reduction at the extremes: +-(255 * 127 * 2048) in the
    # accumulators, and the plain int32 result.
    k = 2048
    lhs = np.where(rng.integers(0, 2, size=(3, k)) == 0, 0, 255)
    rhs = np.where(rng.integers(0, 2, size=(k, 32)) == 0, -127, 127)
    rhs[:, 0] = 127
    rhs[:, 1] = -127
    lhs[0, :] = 255
    functions.append(kernel_function(
        "extremes_i32", rng, 3, k, 32, per_tensor(8, False, s(), 0), narrow(32),
        lhs_values=lhs, rhs_values=rhs))
    # i8 activations at -128 and 127 against full-range weights, int32 out.
    lhs = np.where(rng.integers(0, 2, size=(2, 512)) == 0, -128, 127)
    rhs = rng.integers(-128, 128, size=(512, 16))
    rhs[:, 0] = -128
    functions.append(kernel_function(
        "i8_extremes_i32", rng, 2, 512, 16, per_tensor(8, True, s(), 0),
        per_axis(8, True, n_scales(16), [0] * 16, 1), lhs_values=lhs, rhs_values=rhs))
    # Ragged everywhere (M, N, K multiples of no tile, group or lane
    # count), without a bias: the accumulators start from zero.
    functions.append(kernel_function(
        "ragged_i8_nobias", rng, 11, 131, 70, per_tensor(8, True, s(), 0), narrow(70),
        per_tensor(8, False, out_scale(), 7), bias=False))
    functions.append(kernel_function(
        "ragged_u8_nobias_i32", rng, 9, 37, 19, per_tensor(8, False, s(), 0),
        per_axis(8, True, n_scales(19), [0] * 19, 1), bias=False))
    # A matvec over two blocks of panels and a partial third, i8 in and out.
    functions.append(kernel_function(
        "matvec_i8", rng, 1, 258, 300, per_tensor(8, True, s(), 0), narrow(300),
        per_tensor(8, True, out_scale(), -3)))
    # Several blocks of rows and of panels, a row and a column remainder.
    functions.append(kernel_function(
        "blocks", rng, 27, 64, 200, per_tensor(8, False, s(), 0), narrow(200),
        per_tensor(8, False, out_scale(), 0)))
    # Tiny shapes: one column, one reduction value.
    functions.append(kernel_function(
        "tiny", rng, 3, 1, 1, per_tensor(8, False, s(), 0), narrow(1),
        per_tensor(8, False, out_scale(), 0)))

    checker = Checker()
    checker.run_and_compare(functions, tuple(f"target={t}" for t in host_kernel_targets()))
    checker.finish()


if __name__ == "__main__":
    main()
