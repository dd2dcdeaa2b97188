# qnn.requantize, qnn.add and qnn.mul lowered by qnn-lower-to-llvm and run,
# in both rescale modes, against the integer reference (qnntest.intref) bit
# for bit: per-tensor and per-channel factors, factors above 1 (saturating
# left shifts), below 2^-31 (multiplier 0), exact powers of two with inputs
# on the ties of the rounding shift, INT32_MIN and INT32_MAX accumulators,
# 8-, 16- and 32-bit storage, zero points on both sides and clamps.
# RUN: %python %s

import numpy as np

from qnntest import intref
from qnntest.intharness import Arg, Checker, IntFunction, QType, per_axis, per_tensor, random_scale

ROUNDINGS = ("half_to_even", "half_away_from_zero")


def attributes(mode, rounding, clamp_min=None, clamp_max=None):
    attrs = []
    if mode == "float":
        attrs.append("mode = #qnn.rescale<float>")
    if rounding != "half_to_even":
        attrs.append(f"rounding = #qnn.rounding<{rounding}>")
    if clamp_min is not None:
        attrs.append(f"clamp_min = {clamp_min} : i64")
    if clamp_max is not None:
        attrs.append(f"clamp_max = {clamp_max} : i64")
    return "{" + ", ".join(attrs) + "} " if attrs else ""


def requantize_function(name, x, in_type, out_type, mode="fixed_point", rounding="half_to_even",
                        clamp_min=None, clamp_max=None):
    shape = x.shape
    body = (f"  %y = qnn.requantize %x {attributes(mode, rounding, clamp_min, clamp_max)}"
            f": {in_type.tensor(shape)} -> {out_type.tensor(shape)}")
    rank = len(shape)
    clamp = (out_type.qmin if clamp_min is None else clamp_min, out_type.qmax if clamp_max is None else clamp_max)
    expected = intref.requantize(x, in_type.scale_array(rank), in_type.zp_array(rank),
                                 out_type.scale_array(rank), out_type.zp_array(rank), clamp, mode, rounding,
                                 in_bits=in_type.bits, out_bits=out_type.bits)
    label = f"{name} {mode} {rounding}"
    return IntFunction(f"{name}_{mode}_{rounding}", [Arg("x", x, in_type)], shape, out_type, body,
                       expected, label)


def binary_function(op, name, lhs, rhs, lhs_type, rhs_type, out_type, mode="fixed_point",
                    rounding="half_to_even", clamp_min=None, clamp_max=None):
    shape = lhs.shape
    body = (f"  %y = qnn.{op} %l, %r {attributes(mode, rounding, clamp_min, clamp_max)}"
            f": ({lhs_type.tensor(shape)}, {rhs_type.tensor(shape)}) -> {out_type.tensor(shape)}")
    clamp = (out_type.qmin if clamp_min is None else clamp_min, out_type.qmax if clamp_max is None else clamp_max)
    params = [(t.scales[0], t.zero_points[0]) for t in (lhs_type, rhs_type, out_type)]
    reference = intref.add if op == "add" else intref.mul
    expected = reference(lhs, rhs, *params, clamp, mode, rounding, out_bits=out_type.bits)
    label = f"{op} {name} {mode} {rounding}"
    return IntFunction(f"{op}_{name}_{mode}_{rounding}", [Arg("l", lhs, lhs_type), Arg("r", rhs, rhs_type)],
                       shape, out_type, body, expected, label)


def accumulators(rng, shape, spread=1 << 24):
    """Random accumulators with the int32 extremes and small values first;
    `spread` (a number, or one per channel along the last axis) bounds the
    others, so that most results fall inside the output range."""
    spread = np.asarray(spread, dtype=np.float64)
    x = np.rint(rng.uniform(-1.0, 1.0, size=shape) * spread).astype(np.int64)
    flat = x.reshape(-1)
    specials = [intref.INT32_MIN, intref.INT32_MAX, 0, 1, -1, 2, -2, intref.INT32_MIN + 1, intref.INT32_MAX - 1]
    flat[: len(specials)] = specials
    return x


def tie_inputs(rng, shape, k):
    """x = (2j + 1) * 2^(k - 1) (and the neighbours): x * 2^-k lands on
    j + 0.5, a tie of the final rounding shift."""
    j = rng.integers(-(1 << 12), 1 << 12, size=shape, dtype=np.int64)
    x = (2 * j + 1) << (k - 1)
    x = x + rng.integers(-1, 2, size=shape) * (rng.integers(0, 4, size=shape) == 0)
    return np.clip(x, intref.INT32_MIN, intref.INT32_MAX)


def requantize_cases(rng):
    functions = []
    s = lambda lo=1e-5, hi=1e-2: random_scale(rng, lo, hi)
    for mode in ("fixed_point", "float"):
        for rounding in ROUNDINGS if mode == "float" else ("half_to_even",):
            # Per-channel accumulators -> u8 with a zero point and a ReLU clamp.
            out = per_tensor(8, False, random_scale(rng, 0.01, 0.1), int(rng.integers(0, 256)))
            acc = per_axis(32, True, [s() for _ in range(16)], [0] * 16, 1)
            # Spread so that results cover about 1.5 times the output range.
            spread = [400 * out.scales[0] / a for a in acc.scales]
            functions.append(requantize_function("per_channel_u8", accumulators(rng, (8, 16), spread), acc, out,
                                                 mode, rounding, clamp_min=out.zero_points[0]))
            # Per-tensor -> i8, with both clamps.
            acc = per_tensor(32, True, s(), 0)
            out = per_tensor(8, True, random_scale(rng, 0.01, 0.1), int(rng.integers(-128, 128)))
            functions.append(requantize_function("per_tensor_i8",
                                                 accumulators(rng, (4, 32), 300 * out.scales[0] / acc.scales[0]),
                                                 acc, out, mode, rounding, clamp_min=-100, clamp_max=90))
            # Exact powers of two on ties: factor 2^-k for k = 1..8, one
            # channel each.
            ks = np.arange(1, 9)
            out_scales = [random_scale(rng, 0.01, 0.1) for _ in ks]
            acc = per_axis(32, True, [o * 2.0**-int(k) for o, k in zip(out_scales, ks)], [0] * 8, 1)
            out = per_axis(16, True, out_scales, [int(z) for z in rng.integers(-5, 5, size=8)], 1)
            x = np.concatenate([tie_inputs(rng, (24, 1), int(k)) for k in ks], axis=1)
            functions.append(requantize_function("ties", x, acc, out, mode, rounding))
            # Factors above 1: left shifts that saturate on large inputs.
            acc = per_axis(32, True, [3.7, 1000.0, 1.0, 0.75], [0] * 4, 1)
            out = per_axis(32, True, [1.0, 1.0, 1.0, 1.0], [0, 7, -7, 0], 1)
            x = accumulators(rng, (16, 4), spread=1 << 26)
            functions.append(requantize_function("left_shift_i32", x, acc, out, mode, rounding))
            # 8-bit data with zero points, per channel in and out (axis 0).
            inp = per_axis(8, True, [random_scale(rng, 0.01, 1.0) for _ in range(6)],
                           [int(z) for z in rng.integers(-128, 128, size=6)], 0)
            out = per_axis(8, False, [random_scale(rng, 0.01, 1.0) for _ in range(6)],
                           [int(z) for z in rng.integers(0, 256, size=6)], 0)
            functions.append(requantize_function("i8_to_u8_per_axis", inp.random(rng, (6, 20)), inp, out,
                                                 mode, rounding))
            # u8 -> i8 per tensor.
            inp = per_tensor(8, False, 0.05, 128)
            out = per_tensor(8, True, 0.1, -3)
            functions.append(requantize_function("u8_to_i8", inp.random(rng, (64,)), inp, out, mode, rounding))
            # An int32 input with a zero point: q - z leaves int32 and
            # saturates in fixed point.
            inp = per_tensor(32, True, s(1e-3, 1e-2), 100000)
            out = per_tensor(8, True, 1.0, 0)
            x = np.clip(accumulators(rng, (32,), 300 / inp.scales[0]) + 100000, intref.INT32_MIN,
                        intref.INT32_MAX)
            x[:2] = [intref.INT32_MIN, intref.INT32_MAX]
            functions.append(requantize_function("i32_zero_point", x, inp, out, mode, rounding))
            # The same into int32 storage (factor 1/2): the saturation of
            # q - z shows in the result.
            inp = per_tensor(32, True, 1.0, 100000)
            out = per_tensor(32, True, 2.0, 0)
            functions.append(requantize_function("i32_zero_point_to_i32", accumulators(rng, (16,)), inp, out,
                                                 mode, rounding))
            # A factor whose mantissa lands on a tie at 31 bits: 0.5 + 2^-32
            # rounds away from zero to the multiplier 2^30 + 1.
            inp = per_tensor(32, True, 0.5 + 2.0**-32, 0)
            out = per_tensor(32, True, 1.0, 0)
            functions.append(requantize_function("multiplier_tie", accumulators(rng, (16,)), inp, out,
                                                 mode, rounding))
            # A factor below 2^-32: multiplier 0, only the zero point left.
            inp = per_tensor(32, True, 1e-12, 0)
            out = per_tensor(8, False, 1000.0, 17)
            functions.append(requantize_function("tiny_factor", accumulators(rng, (16,)), inp, out,
                                                 mode, rounding))
    return functions


def binary_cases(rng):
    functions = []
    for op in ("add", "mul"):
        for mode in ("fixed_point", "float"):
            for rounding in ROUNDINGS if mode == "float" else ("half_to_even",):
                shape = (4, 37)
                for name, lhs_t, rhs_t, out_t in [
                    ("u8", per_tensor(8, False, random_scale(rng, 0.01, 0.1), int(rng.integers(0, 256))),
                     per_tensor(8, False, random_scale(rng, 0.01, 0.1), int(rng.integers(0, 256))),
                     per_tensor(8, False, random_scale(rng, 0.02, 0.2), int(rng.integers(0, 256)))),
                    ("i8", per_tensor(8, True, random_scale(rng, 0.01, 0.1), int(rng.integers(-128, 128))),
                     per_tensor(8, True, random_scale(rng, 0.01, 0.1), int(rng.integers(-128, 128))),
                     per_tensor(8, True, random_scale(rng, 0.02, 0.2), int(rng.integers(-128, 128)))),
                    # Equal scales and zero points: the factors are exactly
                    # 1/2 and the sum lands on ties.
                    ("equal_scales", per_tensor(8, True, 0.125, 0), per_tensor(8, True, 0.125, 0),
                     per_tensor(8, True, 0.25, 0)),
                    ("i16", per_tensor(16, True, random_scale(rng, 1e-4, 1e-3), int(rng.integers(-100, 100))),
                     per_tensor(16, True, random_scale(rng, 1e-4, 1e-3), 0),
                     per_tensor(16, True, random_scale(rng, 1e-4, 1e-3), 0)),
                ]:
                    lhs, rhs = lhs_t.random(rng, shape), rhs_t.random(rng, shape)
                    functions.append(binary_function(op, name, lhs, rhs, lhs_t, rhs_t, out_t, mode, rounding))
                # 16-bit operands far from their zero points: the product
                # leaves int32 (and saturates in fixed point).
                lhs_t = per_tensor(16, True, random_scale(rng, 1e-4, 1e-3), -30000)
                rhs_t = per_tensor(16, True, random_scale(rng, 1e-4, 1e-3), 30000)
                out_t = per_tensor(16, True, random_scale(rng, 1e-2, 1e-1), 0)
                lhs = np.where(rng.integers(0, 2, size=shape) == 0, 32767, lhs_t.random(rng, shape))
                rhs = np.where(rng.integers(0, 2, size=shape) == 0, -32768, rhs_t.random(rng, shape))
                functions.append(binary_function(op, "i16_far", lhs, rhs, lhs_t, rhs_t, out_t, mode, rounding))
                # A fused ReLU6-style clamp on u8.
                lhs_t = per_tensor(8, False, 0.05, 10)
                out_t = per_tensor(8, False, 0.04, 5)
                lhs, rhs = lhs_t.random(rng, shape), lhs_t.random(rng, shape)
                functions.append(binary_function(op, "clamped", lhs, rhs, lhs_t, lhs_t, out_t, mode, rounding,
                                                 clamp_min=5, clamp_max=155))
    return functions


def main():
    rng = np.random.default_rng(7)
    functions = requantize_cases(rng) + binary_cases(rng)
    checker = Checker()
    checker.run_and_compare(functions, pipeline_option_sets=("", "vectorize=false"))
    checker.finish()


main()
