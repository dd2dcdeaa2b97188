"""Independent numpy reference of the qnn-mlir numeric contract.

Written from the contract (docs/Numerics.md, the qnn dialect description and
the qnn-quantize-weights pass description), not from the C++ code, so that
the integration tests compare two implementations. Every step uses the
precision the contract names: x / scale and the rounding in float32, scale
choice in float32 (symmetric) or float64 (asymmetric range), zero-point and
clamp arithmetic exact.
"""

import itertools
from dataclasses import dataclass

import numpy as np

FLT_MIN = np.float32(np.finfo(np.float32).tiny)


@dataclass(frozen=True)
class Storage:
    bits: int = 8
    signed: bool = True
    narrow: bool = True  # only meaningful for signed storage

    @property
    def qmin(self):
        if not self.signed:
            return 0
        low = -(1 << (self.bits - 1))
        return low + 1 if self.narrow else low

    @property
    def qmax(self):
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1


@dataclass(frozen=True)
class Spec:
    """How weights are quantized: mirrors the qnn-quantize-weights options."""

    scheme: str = "symmetric"  # or "asymmetric"
    storage: Storage = Storage()
    rounding: str = "half-to-even"  # or "half-away-from-zero"
    granularity: str = "per-channel"  # "per-tensor", "per-group"
    group_size: int = 0


def round_half_to_even(x):
    """Ties to even, exact in the dtype of x (float32 stays float32)."""
    return np.rint(x)


def round_half_away_from_zero(x):
    """Ties away from zero, exact in the dtype of x: x - trunc(x) is exact."""
    x = np.asarray(x)
    whole = np.trunc(x)
    frac = x - whole
    step = np.where(np.abs(frac) >= 0.5, np.sign(x), 0).astype(x.dtype)
    return whole + step


def round_with(x, rounding):
    if rounding == "half-to-even":
        return round_half_to_even(x)
    if rounding == "half-away-from-zero":
        return round_half_away_from_zero(x)
    raise ValueError(rounding)


def _sanitize_scale(scale):
    """A scale below the smallest normal float32 (or NaN) becomes FLT_MIN."""
    scale = np.float32(scale)
    return scale if scale >= FLT_MIN else FLT_MIN


def _keep_grid_finite(scale, zero_point, storage):
    """Near FLT_MAX, lower the scale to the largest float32 for which both
    ends of the integer grid dequantize to finite values."""
    reach = np.float32(max(zero_point - storage.qmin, storage.qmax - zero_point))
    with np.errstate(over="ignore"):
        if np.isfinite(scale * reach):
            return scale
        scale = np.float32(np.finfo(np.float32).max) / reach
        while not np.isfinite(scale * reach):
            scale = np.nextafter(scale, np.float32(0))
    return scale


def choose_params(lo, hi, spec):
    """(scale float32, zero point int) for values in [lo, hi] (float32)."""
    storage = spec.storage
    qmin, qmax = storage.qmin, storage.qmax
    lo, hi = np.float32(lo), np.float32(hi)
    if spec.scheme == "symmetric":
        extent = max(abs(lo), abs(hi)) if storage.signed else max(hi, np.float32(0))
        if extent == 0:
            return np.float32(1.0), 0
        scale = _sanitize_scale(np.float32(extent) / np.float32(qmax))
        return _keep_grid_finite(scale, 0, storage), 0
    # Asymmetric: the range is widened to include 0 and differenced in double.
    lo64 = float(min(lo, np.float32(0)))
    hi64 = float(max(hi, np.float32(0)))
    if hi64 == lo64:
        return np.float32(1.0), 0
    scale = _sanitize_scale((hi64 - lo64) / float(qmax - qmin))
    zero_point = round_with(np.float64(qmin - lo64 / float(scale)), spec.rounding)
    zero_point = int(min(max(zero_point, qmin), qmax))
    return _keep_grid_finite(scale, zero_point, storage), zero_point


def quantize(x, scale, zero_point, storage, rounding):
    """saturate(round(x / scale) + zero_point); NaN -> zero_point. Arrays."""
    x = np.asarray(x, dtype=np.float32)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        scaled = (x / np.asarray(scale, dtype=np.float32)).astype(np.float32)
        rounded = round_with(scaled, rounding).astype(np.float64)
        shifted = rounded + np.asarray(zero_point, dtype=np.float64)
        clamped = np.clip(shifted, storage.qmin, storage.qmax)
    clamped = np.where(np.isnan(x), zero_point, clamped)
    return clamped.astype(np.int64)


def dequantize(q, scale, zero_point):
    """float32(q - zero_point) * scale, in float32."""
    diff = (np.asarray(q, dtype=np.int64) - np.asarray(zero_point)).astype(np.float32)
    return (diff * np.asarray(scale, dtype=np.float32)).astype(np.float32)


def block_shape(shape, spec, channel_axis, group_axis):
    """Extent of one parameter block along each dimension (the pass's
    granularity rules, including its fallbacks)."""
    block = list(shape)
    granularity = spec.granularity
    if granularity == "per-tensor" or channel_axis is None:
        return block
    block[channel_axis] = 1
    if granularity == "per-group" and group_axis is not None:
        block[group_axis] = spec.group_size
    return block


def quantize_weights(w, spec, channel_axis, group_axis):
    """Returns (q int64, scales, zero_points, w_hat float32) for weight w."""
    w = np.asarray(w, dtype=np.float32)
    block = block_shape(w.shape, spec, channel_axis, group_axis)
    grid = [extent // b for extent, b in zip(w.shape, block)]
    q = np.zeros(w.shape, dtype=np.int64)
    scales = np.zeros(w.shape, dtype=np.float32)
    zero_points = np.zeros(w.shape, dtype=np.int64)
    for index in itertools.product(*[range(g) for g in grid]):
        region = tuple(slice(i * b, (i + 1) * b) for i, b in zip(index, block))
        values = w[region]
        scale, zero_point = choose_params(values.min(), values.max(), spec)
        q[region] = quantize(values, scale, zero_point, spec.storage, spec.rounding)
        scales[region] = scale
        zero_points[region] = zero_point
    return q, scales, zero_points, dequantize(q, scales, zero_points)


def pass_options(spec):
    """The qnn-quantize-weights option string for spec."""
    storage = spec.storage
    options = [
        f"scheme={spec.scheme}",
        f"bits={storage.bits}",
        f"signed={'true' if storage.signed else 'false'}",
        f"range={'narrow' if storage.narrow else 'full'}",
        f"granularity={spec.granularity}",
        f"rounding={spec.rounding}",
    ]
    if spec.granularity == "per-group":
        options.append(f"group-size={spec.group_size}")
    return " ".join(options)


# The option sets every weight-quantization integration test runs.
STANDARD_SPECS = {
    "per-tensor": Spec(granularity="per-tensor"),
    "per-channel": Spec(),
    "per-group": Spec(granularity="per-group", group_size=4),
    "asymmetric-i8-full": Spec(scheme="asymmetric", storage=Storage(narrow=False)),
    "asymmetric-u8": Spec(scheme="asymmetric", storage=Storage(signed=False)),
    "symmetric-u8": Spec(storage=Storage(signed=False), granularity="per-tensor"),
    "int4-per-group": Spec(storage=Storage(bits=4), granularity="per-group", group_size=4),
    "int4-away": Spec(storage=Storage(bits=4), rounding="half-away-from-zero"),
    "asymmetric-u8-away": Spec(
        scheme="asymmetric", storage=Storage(signed=False), rounding="half-away-from-zero"
    ),
}
