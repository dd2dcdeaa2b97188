"""Integer reference of the qnn dialect's integer ops, in numpy.

Written from the op descriptions (include/qnn/Dialect/QNN/IR/*.td) and the
numeric contract (docs/Numerics.md), never from the compiler's output, so
that the integration tests compare two implementations bit for bit.

Integers are int64 numpy arrays throughout: every intermediate is exact, and
where the ops' definitions work in int32 the int32 behaviour (gemmlowp's
saturation, the range of an accumulator) is written out explicitly.
Parameters (scales, zero points) are numpy arrays broadcastable to the data:
a per-axis parameter is a 1-D array reshaped along its axis by the caller
(see `along`).

Scales are the float64 values written in the IR's `!quant.uniform` types:
fixed-point factors are computed from them in double (as TFLite's
QuantizeMultiplier), the float mode uses them rounded to float32 (the
expressed type).
"""

import math

import numpy as np

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


def along(values, axis, rank):
    """A 1-D parameter array shaped to broadcast along `axis` of a rank-`rank`
    tensor (a scalar or one-element array stays a scalar)."""
    values = np.asarray(values)
    if values.ndim == 0 or values.size == 1:
        return values.reshape(())
    shape = [1] * rank
    shape[axis] = values.size
    return values.reshape(shape)


# ----------------------------------------------------------------------------
# Rounding, quantize, dequantize
# ----------------------------------------------------------------------------


def round_half_to_even(x):
    return np.rint(x)


def round_half_away_from_zero(x):
    """Exact in the dtype of x: x - trunc(x) is exact."""
    x = np.asarray(x)
    whole = np.trunc(x)
    step = np.where(np.abs(x - whole) >= 0.5, np.sign(x), 0).astype(x.dtype)
    return whole + step


def round_with(x, rounding):
    if rounding in ("half_to_even", "half-to-even"):
        return round_half_to_even(x)
    if rounding in ("half_away_from_zero", "half-away-from-zero"):
        return round_half_away_from_zero(x)
    raise ValueError(rounding)


def clamp_float_dtype(bits):
    """The float type the zero point is added and the result clamped in:
    float32 when its 24-bit significand holds every storage value."""
    return np.float32 if bits < 24 else np.float64


def quantize(x, scale, zero_point, qmin, qmax, rounding, bits=8):
    """clamp(round(x / scale) + zero_point, qmin, qmax): the division and the
    rounding in float32, the zero point added after rounding; NaN gives the
    zero point. x float32, scale float32-representable."""
    x = np.asarray(x, dtype=np.float32)
    ftype = clamp_float_dtype(bits)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        scaled = (x / np.asarray(scale, dtype=np.float32)).astype(np.float32)
        rounded = round_with(scaled, rounding).astype(ftype)
        shifted = rounded + np.asarray(zero_point).astype(ftype)
        clamped = np.clip(shifted, qmin, qmax)
    clamped = np.where(np.isnan(x), zero_point, clamped)
    return clamped.astype(np.int64)


def dequantize(q, scale, zero_point):
    """float32(q - zero_point) * scale, one float32 rounding each."""
    diff = (np.asarray(q, dtype=np.int64) - np.asarray(zero_point, dtype=np.int64)).astype(np.float32)
    return (diff * np.asarray(scale, dtype=np.float32)).astype(np.float32)


# ----------------------------------------------------------------------------
# gemmlowp / TFLite fixed point
# ----------------------------------------------------------------------------


def quantize_multiplier(real):
    """TFLite QuantizeMultiplier: (multiplier, shift) with real ~=
    multiplier * 2^(shift - 31), multiplier in [2^30, 2^31); the mantissa
    rounded half away from zero. Factors below 2^-32 or so (shift < -31)
    give (0, 0); negative, NaN, infinite factors and factors that round to
    2^31 or more give None."""
    real = float(real)
    if not math.isfinite(real) or real < 0:
        return None
    if real == 0.0:
        return 0, 0
    mantissa, shift = math.frexp(real)
    # mantissa * 2^31 is exact in double; round half away from zero.
    fixed = math.floor(mantissa * 2.0**31 + 0.5)
    if fixed == 2**31:
        fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    if shift > 31:
        return None
    return int(fixed), int(shift)


def quantize_multipliers(reals):
    """quantize_multiplier of every element: (multipliers, shifts) arrays."""
    reals = np.asarray(reals, dtype=np.float64)
    pairs = [quantize_multiplier(r) for r in reals.reshape(-1)]
    if any(p is None for p in pairs):
        raise ValueError("factor without a fixed-point form")
    multipliers = np.array([p[0] for p in pairs], dtype=np.int64).reshape(reals.shape)
    shifts = np.array([p[1] for p in pairs], dtype=np.int64).reshape(reals.shape)
    return multipliers, shifts


def truncating_divide(x, d):
    """C's integer division (toward zero) of int64 x by positive d (a scalar
    or an array)."""
    x = np.asarray(x, dtype=np.int64)
    d = np.asarray(d, dtype=np.int64)
    return np.where(x >= 0, x // d, -((-x) // d))


def saturating_rounding_doubling_high_mul(a, b):
    """gemmlowp SaturatingRoundingDoublingHighMul on int32 values: (a*b +
    nudge) / 2^31 with nudge 2^30 (1 - 2^30 for negative products) and a
    truncating division; INT32_MIN * INT32_MIN saturates to INT32_MAX."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    overflow = (a == INT32_MIN) & (b == INT32_MIN)
    ab = a * b
    nudge = np.where(ab >= 0, np.int64(1 << 30), np.int64(1 - (1 << 30)))
    high = truncating_divide(ab + nudge, np.int64(1) << 31)
    return np.where(overflow, INT32_MAX, high).astype(np.int64)


def rounding_divide_by_pot(x, exponent):
    """gemmlowp RoundingDivideByPOT: x / 2^exponent, ties away from zero,
    exponent in [0, 31]."""
    x = np.asarray(x, dtype=np.int64)
    exponent = np.asarray(exponent, dtype=np.int64)
    mask = (np.int64(1) << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0).astype(np.int64)
    return (x >> exponent) + (remainder > threshold).astype(np.int64)


def saturate_int32(x):
    return np.clip(np.asarray(x, dtype=np.int64), INT32_MIN, INT32_MAX)


def multiply_by_quantized_multiplier(x, multiplier, shift):
    """TFLite MultiplyByQuantizedMultiplier: x << max(shift, 0) (saturated to
    int32, where TFLite leaves the overflow undefined), the high multiply,
    then the rounding right shift by max(-shift, 0)."""
    x = np.asarray(x, dtype=np.int64)
    shift = np.asarray(shift, dtype=np.int64)
    left = np.maximum(shift, 0)
    right = np.maximum(-shift, 0)
    shifted = saturate_int32(x * (np.int64(1) << left))
    return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right)


# ----------------------------------------------------------------------------
# qnn.requantize, qnn.add, qnn.mul
# ----------------------------------------------------------------------------


def requantize(q, in_scale, in_zp, out_scale, out_zp, clamp, mode="fixed_point",
               rounding="half_to_even", in_bits=32, out_bits=8):
    """qnn.requantize. fixed_point: clamp(z_out + MBQM(in - z_in,
    QM(s_in / s_out))), `in - z_in` saturated to int32 (it can only leave
    int32 for 32-bit storage); float: dequantize then quantize in float32
    with `rounding`. `clamp` = (lo, hi) in storage units."""
    q = np.asarray(q, dtype=np.int64)
    lo, hi = clamp
    if mode == "float":
        real = dequantize(q, in_scale, in_zp)
        return quantize(real, out_scale, out_zp, lo, hi, rounding, out_bits)
    factors = np.asarray(in_scale, dtype=np.float64) / np.asarray(out_scale, dtype=np.float64)
    multipliers, shifts = quantize_multipliers(factors)
    x = saturate_int32(q - np.asarray(in_zp, dtype=np.int64))
    r = multiply_by_quantized_multiplier(x, multipliers, shifts)
    return np.clip(r + np.asarray(out_zp, dtype=np.int64), lo, hi)


def add_left_shift(out_bits):
    """TFLite's integer ADD scales its inputs up by 2^20 (2^15 for 16-bit
    storage, judged by the result)."""
    return 15 if out_bits > 8 else 20


def add(lhs, rhs, lhs_params, rhs_params, out_params, clamp, mode="fixed_point",
        rounding="half_to_even", out_bits=8):
    """qnn.add. Params are (scale, zero point) of each per-tensor type.
    fixed_point is TFLite's integer ADD: t = 2 max(s_l, s_r), a = MBQM((l -
    z_l) << L, QM(s_l / t)), b likewise, result = clamp(z_out + MBQM(a + b,
    QM(t / (2^L s_out)))). (x << L and a + b are exact in int32 for matching
    storage widths; where they are not they saturate.)"""
    (sl, zl), (sr, zr), (so, zo) = lhs_params, rhs_params, out_params
    lhs = np.asarray(lhs, dtype=np.int64)
    rhs = np.asarray(rhs, dtype=np.int64)
    lo, hi = clamp
    if mode == "float":
        real = dequantize(lhs, np.float32(sl), zl) + dequantize(rhs, np.float32(sr), zr)
        return quantize(real.astype(np.float32), np.float32(so), zo, lo, hi, rounding, out_bits)
    shift = add_left_shift(out_bits)
    twice_max = 2.0 * max(sl, sr)
    ml, el = quantize_multiplier(sl / twice_max)
    mr, er = quantize_multiplier(sr / twice_max)
    mo, eo = quantize_multiplier(twice_max / (2.0**shift * so))
    a = multiply_by_quantized_multiplier(saturate_int32((lhs - zl) << shift), ml, el)
    b = multiply_by_quantized_multiplier(saturate_int32((rhs - zr) << shift), mr, er)
    r = multiply_by_quantized_multiplier(saturate_int32(a + b), mo, eo)
    return np.clip(r + zo, lo, hi)


def mul(lhs, rhs, lhs_params, rhs_params, out_params, clamp, mode="fixed_point",
        rounding="half_to_even", out_bits=8):
    """qnn.mul: clamp(z_out + MBQM((l - z_l)(r - z_r), QM(s_l s_r / s_out)))
    (the product saturated to int32 where it does not fit, 16-bit storage
    only); float: float32(l - z_l) s_l * (float32(r - z_r) s_r) / s_out."""
    (sl, zl), (sr, zr), (so, zo) = lhs_params, rhs_params, out_params
    lhs = np.asarray(lhs, dtype=np.int64)
    rhs = np.asarray(rhs, dtype=np.int64)
    lo, hi = clamp
    if mode == "float":
        real = (dequantize(lhs, np.float32(sl), zl) * dequantize(rhs, np.float32(sr), zr)).astype(np.float32)
        return quantize(real, np.float32(so), zo, lo, hi, rounding, out_bits)
    m, e = quantize_multiplier(sl * sr / so)
    r = multiply_by_quantized_multiplier(saturate_int32((lhs - zl) * (rhs - zr)), m, e)
    return np.clip(r + zo, lo, hi)


# ----------------------------------------------------------------------------
# Contractions
# ----------------------------------------------------------------------------


def _check_int32(result):
    if result.size and (result.min() < INT32_MIN or result.max() > INT32_MAX):
        raise OverflowError("accumulator leaves int32: the test is invalid")
    return result


def matmul(lhs, rhs, lhs_zp, rhs_zp, bias=None):
    """qnn.matmul / qnn.batch_matmul: sum_k (lhs - z_l)(rhs - z_r[n]) +
    bias[n], exact; rhs_zp is a scalar or one per output channel (the last
    dimension)."""
    lhs = np.asarray(lhs, dtype=np.int64) - np.int64(lhs_zp)
    rhs = np.asarray(rhs, dtype=np.int64) - np.asarray(rhs_zp, dtype=np.int64)
    result = np.matmul(lhs, rhs)
    if bias is not None:
        result = result + np.asarray(bias, dtype=np.int64)
    return _check_int32(result)


def _window_starts(extent, kernel, stride, dilation, pad_before, pad_after):
    span = dilation * (kernel - 1) + 1
    padded = extent + pad_before + pad_after
    return 0 if padded < span else (padded - span) // stride + 1


def conv2d(x, w, x_zp, w_zp, bias=None, strides=(1, 1), dilations=(1, 1),
           padding=(0, 0, 0, 0), groups=1, data_format="nhwc"):
    """qnn.conv2d: grouped cross-correlation of zero-point-corrected
    integers, padding holding the input zero point (real 0). NHWC: x [N, H,
    W, C], w [KH, KW, C/G, F]; NCHW: x [N, C, H, W], w [F, C/G, KH, KW].
    w_zp is a scalar or one per output channel."""
    x = np.asarray(x, dtype=np.int64)
    w = np.asarray(w, dtype=np.int64)
    w_zp = np.asarray(w_zp, dtype=np.int64)
    if data_format == "nchw":
        x = x.transpose(0, 2, 3, 1)
        w = w.transpose(2, 3, 1, 0)
    top, bottom, left, right = padding
    x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=x_zp)
    xc = x - np.int64(x_zp)
    wc = w - w_zp.reshape(-1) if w_zp.size > 1 else w - w_zp
    n, h, w_, c = xc.shape
    kh, kw, cg, f = wc.shape
    sy, sx = strides
    dy, dx = dilations
    oh = _window_starts(h, kh, sy, dy, 0, 0)
    ow = _window_starts(w_, kw, sx, dx, 0, 0)
    fg = f // groups
    out = np.zeros((n, oh, ow, f), dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            patch = xc[:, i * dy : i * dy + sy * (oh - 1) + 1 : sy, j * dx : j * dx + sx * (ow - 1) + 1 : sx, :]
            patch = patch.reshape(n, oh, ow, groups, cg)
            taps = wc[i, j].reshape(cg, groups, fg)
            out += np.einsum("nhwgc,cgf->nhwgf", patch, taps).reshape(n, oh, ow, f)
    if bias is not None:
        out = out + np.asarray(bias, dtype=np.int64)
    if data_format == "nchw":
        out = out.transpose(0, 3, 1, 2)
    return _check_int32(out)


# ----------------------------------------------------------------------------
# Pooling and padding
# ----------------------------------------------------------------------------


def _to_nhwc(x, data_format):
    return x.transpose(0, 2, 3, 1) if data_format == "nchw" else x


def _from_nhwc(x, data_format):
    return x.transpose(0, 3, 1, 2) if data_format == "nchw" else x


def _windows(x, kernel, strides):
    """[N, OH, OW, C, KH*KW] windows of an (already padded) NHWC array."""
    (kh, kw), (sy, sx) = kernel, strides
    oh = (x.shape[1] - kh) // sy + 1
    ow = (x.shape[2] - kw) // sx + 1
    taps = [x[:, i : i + sy * (oh - 1) + 1 : sy, j : j + sx * (ow - 1) + 1 : sx, :]
            for i in range(kh) for j in range(kw)]
    return np.stack(taps, axis=-1)


def max_pool2d(x, kernel, strides=(1, 1), padding=(0, 0, 0, 0), data_format="nhwc"):
    """qnn.max_pool2d: the largest stored integer of each window; the
    padding never wins."""
    x = _to_nhwc(np.asarray(x, dtype=np.int64), data_format)
    top, bottom, left, right = padding
    lowest = np.iinfo(np.int64).min
    x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=lowest)
    return _from_nhwc(_windows(x, kernel, strides).max(axis=-1), data_format)


def avg_pool2d(x, kernel, zero_point, qmin, qmax, strides=(1, 1), padding=(0, 0, 0, 0),
               count_include_pad=False, data_format="nhwc"):
    """qnn.avg_pool2d: S = sum of the stored integers of the window inside the
    input, n = their number; with count_include_pad the padding counts as
    the zero point and n is the whole window. clamp(S / n rounded half away
    from zero). zero_point: scalar or one per channel."""
    x = _to_nhwc(np.asarray(x, dtype=np.int64), data_format)
    top, bottom, left, right = padding
    pad = ((0, 0), (top, bottom), (left, right), (0, 0))
    inside = np.pad(np.ones_like(x), pad, constant_values=0)
    zero_point = np.asarray(zero_point, dtype=np.int64).reshape(-1)
    padded = np.pad(x, pad, constant_values=0)
    if count_include_pad:
        # Padded positions hold the zero point of their channel.
        is_padding = 1 - inside
        padded = padded + is_padding * (zero_point if zero_point.size > 1 else zero_point[0])
        sums = _windows(padded, kernel, strides).sum(axis=-1)
        counts = np.full(sums.shape, kernel[0] * kernel[1], dtype=np.int64)
    else:
        sums = _windows(padded, kernel, strides).sum(axis=-1)
        counts = _windows(inside, kernel, strides).sum(axis=-1)
    half = counts // 2
    nudged = np.where(sums < 0, sums - half, sums + half)
    mean = truncating_divide(nudged, counts)
    return _from_nhwc(np.clip(mean, qmin, qmax), data_format)


def pad(x, low, high, zero_point):
    """qnn.pad: `low[d]` / `high[d]` elements holding the zero point (a
    scalar, or an array broadcast along the quantized axis of the result)."""
    x = np.asarray(x, dtype=np.int64)
    shape = tuple(s + l + h for s, l, h in zip(x.shape, low, high))
    out = np.empty(shape, dtype=np.int64)
    out[...] = zero_point
    out[tuple(slice(l, l + s) for l, s in zip(low, x.shape))] = x
    return out
