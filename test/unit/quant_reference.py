"""numpy references for the quantization math unit tests (test/unit).

The build runs this with Debian's /usr/bin/python3 (which has numpy) before
the GoogleTest binary QNNQuantTests, and writes one JSON file per concept into
the directory named on the command line. Every expected number is computed
here from the numeric contract (DESIGN.md, "Numeric conventions", and the
comments of include/qnn/Quant/*.h), never by calling qnn-mlir:

- symmetric scales, x / scale and dequantized values in float32 arithmetic;
- the asymmetric scale and zero point with exact rationals (fractions): the
  scale is the float nearest (hi - lo) / (qmax - qmin), the zero point
  round(qmin - lo / scale) decided exactly, ties included;
- rounding with numpy's rint (half to even) or a trunc-based rule (half away
  from zero), not with the library's floor/fmod;
- error statistics in float64 with exactly rounded sums (math.fsum);
- TFLite's QuantizeMultiplier with exact rationals instead of frexp.

Floats are written as the decimal repr of their float64 value, which strtod
turns back into the same bits; non-finite values as "inf", "-inf" and "nan".
"""

import argparse
import json
import math
import os
from fractions import Fraction

import numpy as np

F32 = np.float32
FLT_MIN = np.finfo(np.float32).tiny
FLT_MAX = np.finfo(np.float32).max
FLT_TRUE_MIN = F32(np.float32(1.0e-45))
EVEN, AWAY = "half_to_even", "half_away_from_zero"
ROUNDINGS = (EVEN, AWAY)

# Overflow to infinity is part of what is tested; numpy need not warn.
np.seterr(over="ignore", invalid="ignore", divide="ignore")


# ----------------------------------------------------------------------------
# JSON encoding
# ----------------------------------------------------------------------------


def jfloat(x):
    """A float for JSON: its exact repr, or a string when not finite."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def jfloats(xs):
    return [jfloat(x) for x in np.asarray(xs).ravel()]


def jints(xs):
    return [int(x) for x in np.asarray(xs).ravel()]


def write(directory, name, payload):
    with open(os.path.join(directory, name), "w") as f:
        json.dump(payload, f, allow_nan=False, separators=(",", ":"))


# ----------------------------------------------------------------------------
# The contract
# ----------------------------------------------------------------------------


def make_spec(scheme, bits, signed, narrow=False):
    return {"scheme": scheme, "bits": bits, "signed": signed, "narrow": narrow}


def spec_name(spec):
    kind = ("i" if spec["signed"] else "u") + str(spec["bits"])
    narrow = "n" if spec["narrow"] else ""
    return f"{spec['scheme'][:4]}-{kind}{narrow}"


def storage_range(spec):
    bits = spec["bits"]
    if spec["signed"]:
        lowest = -(1 << (bits - 1)) + (1 if spec["narrow"] else 0)
        return lowest, (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def round_fraction(value, rounding):
    """Rounds an exact rational to an integer; ties decided exactly."""
    floor = math.floor(value)
    rest = value - floor
    if rest < Fraction(1, 2):
        return floor
    if rest > Fraction(1, 2):
        return floor + 1
    if rounding == EVEN:
        return floor if floor % 2 == 0 else floor + 1
    return floor + 1 if value > 0 else floor


def round_array(values, rounding):
    """Rounds float64 values (exact copies of float32 ones) to integers."""
    values = np.asarray(values, dtype=np.float64)
    if rounding == EVEN:
        return np.rint(values)  # IEEE round to nearest, ties to even
    whole = np.trunc(values)
    return np.where(np.abs(values - whole) >= 0.5, whole + np.sign(values), whole)


def nearest_f32(value):
    """The float32 nearest an exact rational, ties to even."""
    guess = F32(float(value))
    candidates = [np.nextafter(guess, F32(-np.inf)), guess, np.nextafter(guess, F32(np.inf))]
    return min(
        (c for c in candidates if np.isfinite(c)),
        key=lambda c: (abs(Fraction(float(c)) - value), int(c.view(np.uint32)) & 1),
    )


def choose_params(lo, hi, spec, rounding):
    """(scale, zero point) for values in [lo, hi], both float32."""
    qmin, qmax = storage_range(spec)
    lo, hi = F32(lo), F32(hi)
    if spec["scheme"] == "symmetric":
        extent = max(abs(lo), abs(hi)) if spec["signed"] else max(hi, F32(0))
        if extent == 0:
            return F32(1), 0
        scale = F32(extent) / F32(qmax)  # float32 division
        scale = max(scale, FLT_MIN)
        zero_point = 0
    else:
        lo, hi = min(lo, F32(0)), max(hi, F32(0))
        if lo == hi:  # all zeros: scale 1.0 and all-zero integers
            return F32(1), 0
        scale = nearest_f32((Fraction(float(hi)) - Fraction(float(lo))) / (qmax - qmin))
        scale = max(scale, FLT_MIN)
        zero_point = round_fraction(qmin - Fraction(float(lo)) / Fraction(float(scale)), rounding)
        zero_point = min(max(zero_point, qmin), qmax)
    # Every storage integer must dequantize to a finite float: if an end of
    # the grid overflows, the scale becomes the largest that fits.
    reach = F32(max(zero_point - qmin, qmax - zero_point))
    if not np.isfinite(scale * reach):
        scale = FLT_MAX / reach
        while not np.isfinite(scale * reach):
            scale = np.nextafter(scale, F32(0))
    return F32(scale), int(zero_point)


def quantize(x, scale, zero_point, spec, rounding):
    """clip(round(x / scale) + zero_point): rounding before the zero point."""
    qmin, qmax = storage_range(spec)
    x = np.asarray(x, dtype=np.float32)
    scaled = (x / np.asarray(scale, dtype=np.float32)).astype(np.float64)
    return np.clip(round_array(scaled, rounding) + zero_point, qmin, qmax).astype(np.int64)


def dequantize(q, scale, zero_point):
    """float32(q - zero_point) * scale, in float32."""
    steps = np.asarray(q, dtype=np.int64) - np.asarray(zero_point, dtype=np.int64)
    return steps.astype(np.float32) * np.asarray(scale, dtype=np.float32)


def error_stats(reference, approx):
    reference = np.asarray(reference, dtype=np.float32).astype(np.float64).ravel()
    approx = np.asarray(approx, dtype=np.float32).astype(np.float64).ravel()
    n = reference.size
    if n == 0:
        return {"count": 0, "max_abs": 0.0, "mean_abs": 0.0, "mse": 0.0, "sqnr_db": "inf"}
    error = approx - reference
    sum_error = math.fsum(error * error)
    sum_signal = math.fsum(reference * reference)
    return {
        "count": n,
        "max_abs": jfloat(np.max(np.abs(error))),
        "mean_abs": jfloat(math.fsum(np.abs(error)) / n),
        "mse": jfloat(sum_error / n),
        "sqnr_db": jfloat(sqnr_db(sum_signal, sum_error)),
    }


def sqnr_db(sum_signal, sum_error):
    """10 log10(signal / error): +inf when lossless, -inf for a zero signal
    with an error, NaN when either sum is NaN or both are infinite."""
    if math.isnan(sum_signal) or math.isnan(sum_error):
        return math.nan
    if sum_error == 0:
        return math.inf
    if sum_signal == 0:
        return -math.inf
    ratio = sum_signal / sum_error
    if math.isnan(ratio):
        return math.nan
    if ratio == 0 or math.isinf(ratio):
        return math.copysign(math.inf, ratio - 1)
    return 10.0 * math.log10(ratio)


# ----------------------------------------------------------------------------
# Tensors
# ----------------------------------------------------------------------------


def block_shape(shape, granularity):
    block = list(shape)
    if granularity["kind"] in ("per_axis", "per_group"):
        block[granularity["axis"]] = 1
    if granularity["kind"] == "per_group":
        block[granularity["group_axis"]] = granularity["group_size"]
    return block


def quantize_tensor(x, granularity, spec, rounding):
    """Every block's range by reshaping into (grid, block) pairs of axes."""
    shape = x.shape
    block = block_shape(shape, granularity)
    grid = [n // b for n, b in zip(shape, block)]
    pairs = [extent for g, b in zip(grid, block) for extent in (g, b)]
    blocked = x.reshape(pairs)
    inner = tuple(range(1, 2 * len(shape), 2))
    lows = blocked.min(axis=inner).ravel()
    highs = blocked.max(axis=inner).ravel()
    params = [choose_params(lo, hi, spec, rounding) for lo, hi in zip(lows, highs)]
    scales = np.array([p[0] for p in params], dtype=np.float32)
    zero_points = np.array([p[1] for p in params], dtype=np.int64)

    if shape:
        coords = np.indices(shape).reshape(len(shape), -1)
        block_of = np.ravel_multi_index(
            tuple(c // b for c, b in zip(coords, block)), grid
        )
    else:
        block_of = np.zeros(1, dtype=np.int64)
    flat = x.ravel()
    q = quantize(flat, scales[block_of], zero_points[block_of], spec, rounding)
    dq = dequantize(q, scales[block_of], zero_points[block_of])
    return {
        "block_shape": block,
        "scales": jfloats(scales),
        "zero_points": jints(zero_points),
        "block_of": jints(block_of),
        "values": jints(q),
        "dequantized": jfloats(dq),
        "stats": error_stats(flat, dq),
    }


def tensor_case(name, x, granularity, spec, rounding):
    x = np.asarray(x, dtype=np.float32)
    case = {
        "name": f"{name}/{granularity_name(granularity)}/{spec_name(spec)}/{rounding}",
        "spec": spec,
        "rounding": rounding,
        "granularity": granularity,
        "shape": list(x.shape),
        "data": jfloats(x),
    }
    case.update(quantize_tensor(x, granularity, spec, rounding))
    return case


def per_tensor():
    return {"kind": "per_tensor", "axis": 0, "group_axis": 0, "group_size": 0}


def per_axis(axis):
    return {"kind": "per_axis", "axis": axis, "group_axis": 0, "group_size": 0}


def per_group(axis, group_axis, group_size):
    return {"kind": "per_group", "axis": axis, "group_axis": group_axis, "group_size": group_size}


def granularity_name(g):
    if g["kind"] == "per_tensor":
        return "per-tensor"
    if g["kind"] == "per_axis":
        return f"per-axis{g['axis']}"
    return f"per-group{g['axis']}-{g['group_axis']}x{g['group_size']}"


def random_tensor(rng, shape, kind):
    """Normal data whose magnitude varies along every axis, so that every
    block of every granularity has a range of its own."""
    x = np.asarray(rng.standard_normal(shape))
    for axis, extent in enumerate(shape):
        view = [1] * len(shape)
        view[axis] = extent
        x = x * (10.0 ** rng.uniform(-1.0, 1.0, size=extent)).reshape(view)
    if kind == "shifted":  # mostly positive, as activations after a bias
        x = x + 1.5 * np.abs(x).max()
    elif kind == "relu":
        x = np.maximum(x, 0.0)
    elif kind == "negative":
        x = -np.abs(x)
    x = x.astype(np.float32)
    if x.size > 8:
        x.ravel()[rng.integers(0, x.size, size=x.size // 16)] = 0.0
    return x


# The storages of the contract, each at 8 and 4 bits.
SPECS = [
    make_spec(scheme, bits, signed, narrow)
    for scheme, signed, narrow in (
        ("symmetric", True, True),  # [-127, 127]: weights, as GNMT and TFLite
        ("symmetric", True, False),  # [-128, 127]
        ("symmetric", False, False),  # [0, 255]: non-negative data
        ("asymmetric", False, False),  # activations, uint8
        ("asymmetric", True, False),  # activations, int8
    )
    for bits in (8, 4)
]


def layouts():
    """Shapes with the granularities each is tested with: per-tensor,
    per-axis along every axis, and per-group for a few (axis, group axis)."""
    result = []
    for shape, groups in (
        ((6, 8), [per_group(0, 1, 4), per_group(1, 0, 2)]),
        ((4, 3, 6), [per_group(0, 2, 3), per_group(2, 0, 2)]),
        ((4, 3, 2, 4), [per_group(3, 1, 3), per_group(0, 3, 2)]),
        ((5,), []),
        ((), []),
    ):
        axes = [per_axis(axis) for axis in range(len(shape))]
        result.append((shape, [per_tensor()] + axes + groups))
    return result


def random_cases(rng):
    cases = []
    for spec in SPECS:
        # Unsigned symmetric is meant for non-negative data; one layout also
        # gets negative values, which saturate to 0.
        if spec["scheme"] == "symmetric" and not spec["signed"]:
            kinds = ["relu", "normal"]
        elif spec["scheme"] == "asymmetric":
            kinds = ["normal", "shifted", "negative"]
        else:
            kinds = ["normal"]
        for index, (shape, granularities) in enumerate(layouts()):
            kind = kinds[index % len(kinds)]
            x = random_tensor(rng, shape, kind)
            for g in granularities:
                for rounding in ROUNDINGS:
                    name = f"random-{kind}/{'x'.join(map(str, shape)) or 'scalar'}"
                    cases.append(tensor_case(name, x, g, spec, rounding))
    return cases


def zero_cases():
    """Zero ranges: scale 1.0, zero point 0 and all-zero integers."""
    cases = []
    zeros = np.zeros((3, 4), dtype=np.float32)
    zeros[1, 2] = -0.0
    zero_row = np.array(
        [[0.5, -0.25, 0.125, 1.0], [0.0, -0.0, 0.0, 0.0], [-3.0, 2.0, 0.0, 1.5]], dtype=np.float32
    )
    conv = np.linspace(-1.0, 1.0, 2 * 2 * 3 * 4, dtype=np.float32).reshape(2, 2, 3, 4)
    conv[..., 2] = 0.0  # output channel 2 of an HWCF filter
    negative_row = -np.abs(zero_row)  # all <= 0: empty range for unsigned symmetric
    for spec in SPECS:
        for rounding in ROUNDINGS:
            cases.append(tensor_case("zero/all", zeros, per_tensor(), spec, rounding))
            cases.append(tensor_case("zero/all", zeros, per_axis(1), spec, rounding))
            cases.append(tensor_case("zero/row", zero_row, per_axis(0), spec, rounding))
            cases.append(tensor_case("zero/conv-channel", conv, per_axis(3), spec, rounding))
            cases.append(
                tensor_case("zero/conv-channel", conv, per_group(3, 2, 1), spec, rounding)
            )
            cases.append(
                tensor_case("zero/non-positive", negative_row, per_axis(0), spec, rounding)
            )
    return cases


def extreme_cases():
    """Subnormal and near-FLT_MAX ranges."""
    tiny = np.array(
        [
            [FLT_TRUE_MIN, -FLT_TRUE_MIN, 0.0, 2 * FLT_TRUE_MIN],
            [1e-40, -3e-41, 2e-42, 0.0],
            [-1e-38, 5e-39, 1e-45, 0.0],
            [1e-37, -2e-37, 3e-38, FLT_MIN],
        ],
        dtype=np.float32,
    )
    huge = np.array(
        [
            [FLT_MAX, -FLT_MAX, FLT_MAX / 3, 0.0],
            [FLT_MAX, 1.0, -1e38, 2e38],
            [-FLT_MAX, -1.0, -3e38, 0.0],
            [3.0e38, 1.0e-45, -2.5e38, 1.0],
        ],
        dtype=np.float32,
    )
    huge_positive = np.abs(huge)
    cases = []
    specs = SPECS + [
        make_spec("symmetric", 16, True),
        make_spec("asymmetric", 16, False),
        make_spec("symmetric", 2, True),
        make_spec("asymmetric", 2, True),
    ]
    for spec in specs:
        for rounding in ROUNDINGS:
            for name, x in (("tiny", tiny), ("huge", huge), ("huge-positive", huge_positive)):
                cases.append(tensor_case(name, x, per_tensor(), spec, rounding))
                cases.append(tensor_case(name, x, per_axis(0), spec, rounding))
                cases.append(tensor_case(name, x, per_axis(1), spec, rounding))
    return cases


def tie_cases():
    """Values exactly half a step between two integers, where the rounding
    modes must differ, and asymmetric ranges whose zero point is a tie."""
    cases = []
    step = F32(2.0**-3)
    for bits in (8, 4):
        for spec in (
            make_spec("symmetric", bits, True, narrow=True),
            make_spec("symmetric", bits, True),
            make_spec("symmetric", bits, False),
        ):
            qmin, qmax = storage_range(spec)
            low = -qmax if spec["signed"] else 0
            ks = np.arange(low, qmax, dtype=np.float32)
            x = np.concatenate([(ks + F32(0.5)) * step, [qmax * step, low * step]])
            x = x.astype(np.float32)
            for rounding in ROUNDINGS:
                cases.append(tensor_case("ties/values", x, per_tensor(), spec, rounding))
        for signed in (False, True):
            spec = make_spec("asymmetric", bits, signed)
            qmin, qmax = storage_range(spec)
            n = qmax - qmin
            # An odd zero point tells rounding before adding it (the contract)
            # from rounding after, under ties to even.
            odd = n // 3 if (qmin + n // 3) % 2 else n // 3 + 1
            # A zero point exactly between two integers where the modes
            # disagree (an even neighbour towards zero).
            tie = next(z + 0.5 for z in range(n // 3, n)
                       if round_fraction(Fraction(qmin + z) + Fraction(1, 2), EVEN)
                       != round_fraction(Fraction(qmin + z) + Fraction(1, 2), AWAY))
            for z, zname in ((odd, "odd-zero-point"), (tie, "zero-point-tie")):
                lo = F32(-z * step)
                hi = F32(lo + n * step)
                ks = np.arange(math.ceil(-z), math.floor(n - z), dtype=np.float32)
                x = np.concatenate([(ks + F32(0.5)) * step, [lo, hi, 0.0]]).astype(np.float32)
                for rounding in ROUNDINGS:
                    cases.append(tensor_case(f"ties/{zname}", x, per_tensor(), spec, rounding))
    return cases


def tensor_cases(rng):
    return random_cases(rng) + zero_cases() + extreme_cases() + tie_cases()


# ----------------------------------------------------------------------------
# Parameters from ranges, and values beyond them
# ----------------------------------------------------------------------------


def range_cases(rng):
    specs = SPECS + [
        make_spec("symmetric", 16, True, narrow=True),
        make_spec("symmetric", 16, False),
        make_spec("asymmetric", 16, True),
        make_spec("symmetric", 2, True, narrow=True),
        make_spec("symmetric", 2, True),
        make_spec("asymmetric", 2, False),
        make_spec("asymmetric", 8, True, narrow=True),
        make_spec("symmetric", 8, False, narrow=True),  # narrow means nothing unsigned
        make_spec("asymmetric", 12, False),
    ]
    ranges = [
        (0.0, 0.0), (-1.0, 1.0), (-0.0445, 0.0445), (0.0, 6.0), (-6.0, 0.0), (2.0, 5.0),
        (-5.0, -2.0), (-1.0, 3.0), (-3.0, 1.0), (-2.5, 252.5), (-FLT_MAX, FLT_MAX),
        (0.0, FLT_MAX), (-FLT_MAX, 0.0), (-FLT_MAX, 1.0), (-1e-45, 1e-45), (0.0, 1e-45),
        (-1e-40, 3e-39), (FLT_MIN, 2 * FLT_MIN), (-1e-37, 1e-37), (1e30, 3e38), (-1e-30, 3e38),
    ]
    for _ in range(60):
        a, b = sorted(rng.standard_normal(2) * 10.0 ** rng.uniform(-6, 6, size=2))
        ranges.append((a, b))
    probes = np.array(
        [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1e-45, -1e-45, 1e-20, 3.14159]
        + [FLT_MAX, -FLT_MAX, 1e30, -1e30],
        dtype=np.float32,
    )
    cases = []
    for spec in specs:
        qmin, qmax = storage_range(spec)
        for lo, hi in ranges:
            lo, hi = F32(lo), F32(hi)
            for rounding in ROUNDINGS:
                scale, zero_point = choose_params(lo, hi, spec, rounding)
                inside = np.linspace(lo, hi, 9, dtype=np.float64).astype(np.float32)
                x = np.concatenate([probes, inside, [lo, hi]]).astype(np.float32)
                q = quantize(x, scale, zero_point, spec, rounding)
                cases.append({
                    "name": f"[{float(lo)!r}, {float(hi)!r}]/{spec_name(spec)}/{rounding}",
                    "spec": spec,
                    "rounding": rounding,
                    "min": jfloat(lo),
                    "max": jfloat(hi),
                    "scale": jfloat(scale),
                    "zero_point": zero_point,
                    "qmin": qmin,
                    "qmax": qmax,
                    "x": jfloats(x),
                    "q": jints(q),
                    "dequantized": jfloats(dequantize(q, scale, zero_point)),
                    "grid_ends": jfloats(dequantize([qmin, qmax], scale, zero_point)),
                })
    return cases


# ----------------------------------------------------------------------------
# Rounding
# ----------------------------------------------------------------------------


def rounding_cases(rng):
    f32 = [0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999997, -0.49999997, 0.50000006, -0.0, 0.0,
           2.0**22 + 0.5, -(2.0**22 + 0.5), 2.0**22 + 1.5, 2.0**23, 2.0**23 + 1.0, 2.0**24 + 2.0,
           1e-45, -1e-45, float(FLT_MIN), float(FLT_MAX), -float(FLT_MAX), 126.5, -127.5, 127.5]
    f32 += [k + 0.5 for k in range(-40, 40)]
    f32 += [float(np.nextafter(F32(k + 0.5), F32(np.inf))) for k in range(-10, 10)]
    f32 += [float(np.nextafter(F32(k + 0.5), F32(-np.inf))) for k in range(-10, 10)]
    f32 += list((rng.standard_normal(500) * 10.0 ** rng.uniform(-3, 8, 500)).astype(np.float32))
    f32 += list((rng.integers(-2**24, 2**24, 200) / 2.0).astype(np.float32))
    f32 = np.array(f32, dtype=np.float32)

    f64 = [0.5, -0.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 2.0**51 + 0.5,
           -(2.0**51 + 0.5), 2.0**52 + 1.0, 2.0**53, 5e-324, 1.7976931348623157e308, 1e300, -0.0]
    f64 += [k + 0.5 for k in range(-40, 40)]
    f64 += list(rng.standard_normal(500) * 10.0 ** rng.uniform(-3, 15, 500))
    f64 += list(rng.integers(-2**53, 2**53, 200, dtype=np.int64) / 2.0)
    f64 = np.array(f64, dtype=np.float64)

    result = {}
    for name, values in (("float", f32), ("double", f64)):
        wide = values.astype(np.float64)
        result[name] = {
            "x": jfloats(wide),
            EVEN: jfloats(round_array(wide, EVEN)),
            AWAY: jfloats(round_array(wide, AWAY)),
        }
    return result


# ----------------------------------------------------------------------------
# Error statistics
# ----------------------------------------------------------------------------


def error_stat_cases(rng):
    def case(name, reference, approx):
        reference = np.asarray(reference, dtype=np.float32)
        approx = np.asarray(approx, dtype=np.float32)
        return {"name": name, "reference": jfloats(reference), "approx": jfloats(approx),
                "expected": error_stats(reference, approx)}

    cases = []
    for n in (1, 7, 1000, 10000):
        w = (rng.standard_normal(n) * 0.05).astype(np.float32)
        noise = (rng.standard_normal(n) * 0.001).astype(np.float32)
        cases.append(case(f"noisy-{n}", w, w + noise))
        scale = F32(np.abs(w).max() / 127)
        q = quantize(w, scale, 0, make_spec("symmetric", 8, True, narrow=True), EVEN)
        cases.append(case(f"int8-{n}", w, dequantize(q, scale, 0)))
    w = (rng.standard_normal(64)).astype(np.float32)
    cases.append(case("lossless", w, w))
    cases.append(case("empty", [], []))
    cases.append(case("all-zero", np.zeros(5), np.zeros(5)))
    cases.append(case("zero-reference", np.zeros(5), [0.0, 1e-3, 0.0, -2.0, 0.0]))
    cases.append(case("subnormal", [1e-45, -3e-42, 1e-40, 0.0], [0.0, 0.0, 1.2e-40, 1e-45]))
    cases.append(case("huge", [FLT_MAX, -FLT_MAX, 1e38], [-FLT_MAX, FLT_MAX, 0.0]))
    cases.append(case("nan-approx", [1.0, 2.0, 3.0], [1.0, np.nan, 3.0]))
    cases.append(case("nan-reference", [1.0, np.nan, 3.0], [1.0, 2.0, 3.0]))
    cases.append(case("nan-zero-reference", [0.0, 0.0], [np.nan, 0.0]))
    cases.append(case("inf-approx", [1.0, 2.0], [np.inf, 2.0]))
    # The seed's first example: scale 1/255, then W_hat - W.
    seed = np.array([0.0114, -0.0231, 0.0445, 0, 0, 0, -0.0409, -0.0435, -0.0400], dtype=np.float32)
    scale = F32(1) / F32(255)
    q = quantize(seed, scale, 0, make_spec("symmetric", 8, True), EVEN)
    cases.append(case("seed", seed, dequantize(q, scale, 0)))
    return cases


# ----------------------------------------------------------------------------
# Fixed point
# ----------------------------------------------------------------------------


def round_half_away(value):
    return round_fraction(value, AWAY)


def quantize_multiplier(real):
    """TFLite QuantizeMultiplier from its definition, in exact arithmetic:
    real = q * 2^shift with q in [1/2, 1), q rounded half away from zero to 31
    bits, a mantissa that rounds up to 1 renormalized; shift < -31 gives 0."""
    if real == 0:
        return 0, 0
    if real < 0 or not math.isfinite(real):
        return None
    exact = Fraction(real)
    shift = exact.numerator.bit_length() - exact.denominator.bit_length()
    while exact >= Fraction(2) ** shift:
        shift += 1
    while exact < Fraction(2) ** (shift - 1):
        shift -= 1
    fixed = round_half_away(exact * Fraction(2) ** (31 - shift))
    if fixed == 2**31:
        fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    if shift > 31:
        return None
    return fixed, shift


def fixed_point_cases(rng):
    reals = [0.0, -0.0, 1.0, 0.5, 0.25, 0.75, 1.5, 0.1, 1.0 / 3.0, 2.0 / 3.0, 0.0039215686]
    # Mantissas that round up to 2^31 and renormalize.
    reals += [1.0 - 2.0**-32, 1.0 - 2.0**-31, 1.0 - 2.0**-33, 1.0 + 2.0**-31, 1.0 + 2.0**-32]
    # Around the smallest factor kept (2^-32) and the largest (2^31 - 1).
    reals += [2.0**-31, 2.0**-32, 2.0**-33]
    reals += [2.0**-32 * (1.0 - 2.0**-40), 2.0**-33 * (1.0 - 2.0**-40)]
    reals += [2.0**30, 2.0**31 - 1.0, 2.0**31 - 2.0**-22, 2.0**31, 2.0**32, 1e300]
    reals += [5e-324, 2.2250738585072014e-308, 3.5e-4 * 0.0039 / 0.02, -1.0, -1e-300]
    # Mantissas exactly halfway between two 31-bit values round away from zero.
    reals += [(2**30 + k + 0.5) * 2.0**-31 for k in (0, 1, 2, 12345)]
    reals += list(2.0 ** rng.uniform(-40.0, 33.0, 3000))
    reals += list(rng.uniform(0.0, 1.0, 1000))
    multipliers = []
    for real in reals:
        result = quantize_multiplier(real)
        entry = {"real": jfloat(real)}
        if result is None:
            entry["valid"] = False
        else:
            entry.update({"valid": True, "multiplier": result[0], "shift": result[1]})
        multipliers.append(entry)

    # x * real rounded exactly, for the |error| <= 1 property of
    # MultiplyByQuantizedMultiplier where the left shift does not overflow.
    products = []
    for real in list(2.0 ** rng.uniform(-33.0, 31.0, 4000)) + [0.5, 1.0, 2.0**-31, 0.0039215686]:
        result = quantize_multiplier(real)
        if result is None:
            continue
        left_shift = max(result[1], 0)
        bound = min((2**31 - 1) >> left_shift, int(min(2**31 - 2, (2**31 - 2) / real)))
        for x in list(rng.integers(-bound, bound + 1, 3)) + [bound, -bound, 1, -1, 0]:
            if abs(x) > bound:
                continue
            products.append({"x": int(x), "real": jfloat(real),
                             "rounded": round_half_away(Fraction(int(x)) * Fraction(real))})
    return {"multipliers": multipliers, "products": products}


# ----------------------------------------------------------------------------
# The int32 accumulator
# ----------------------------------------------------------------------------

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def accumulator_cases(rng):
    """quantizeToAccumulator and dotProductRange. The quotient is one float64
    division (numpy), rounded with rint or the trunc rule, then saturated;
    the ranges are summed with Python integers, term by term."""
    scales = [1.0, 0.5, 2.0**-20, float(F32(0.02)) * float(F32(0.0039)),
              float(F32(0.1)) * float(F32(0.3)), float(FLT_MIN) * float(FLT_MIN)]
    scales += [float(F32(a)) * float(F32(b))
               for a, b in zip(2.0 ** rng.uniform(-12, 0, 20), 2.0 ** rng.uniform(-12, 0, 20))]
    values = []
    for scale in scales:
        xs = [0.0, -0.0, np.nan, np.inf, -np.inf, float(FLT_MAX), -float(FLT_MAX)]
        # Ties and their neighbours (exact where (k + 0.5) * scale is).
        xs += [(k + 0.5) * scale for k in (-3, -2, -1, 0, 1, 2, 1000)]
        # Around both ends of int32 (a quotient of 2^31 - 0.5 rounds to 2^31
        # with ties to even: saturated).
        xs += [m * scale for m in (2.0**31 - 1, 2.0**31 - 0.5, 2.0**31, -(2.0**31), -(2.0**31) - 0.5,
                                   -(2.0**31) - 1, 2.0**30 + 0.5)]
        xs += list(rng.standard_normal(20) * scale * 10.0 ** rng.uniform(0, 9, 20))
        for x in xs:
            x32 = float(F32(x)) if math.isfinite(x) else x
            with np.errstate(all="ignore"):
                quotient = np.float64(x32) / np.float64(scale)
            entry = {"x": jfloat(x32), "scale": jfloat(scale)}
            for rounding in ROUNDINGS:
                if math.isnan(quotient):
                    value, exact = 0, False
                else:
                    rounded = float(round_array(np.array([quotient]), rounding)[0])
                    value = int(min(max(rounded, INT32_MIN), INT32_MAX)) if math.isfinite(rounded) \
                        else (INT32_MAX if rounded > 0 else INT32_MIN)
                    exact = math.isfinite(rounded) and INT32_MIN <= rounded <= INT32_MAX
                entry[rounding] = {"value": value, "exact": exact}
            values.append(entry)

    ranges = []
    input_ranges = [(0, 255), (-128, 127), (-127, 127), (-255, 0), (-3, 252), (0, 0), (5, 5),
                    (0, 65535), (-32768, 32767)]
    for input_min, input_max in input_ranges:
        for _ in range(6):
            k = int(rng.integers(0, 70))
            weights = [int(w) for w in rng.integers(-128, 128, k)]
            bias = int(rng.integers(-2**31, 2**31))
            if rng.integers(0, 3) == 0:
                bias = 0
            lo, hi = min(bias, 0), max(bias, 0)
            for w in weights:
                products = [input_min * w, input_max * w]
                lo += min(min(products), 0)
                hi += max(max(products), 0)
            ranges.append({"weights": weights, "input_min": input_min, "input_max": input_max,
                           "bias": bias, "min": lo, "max": hi,
                           "fits": INT32_MIN <= lo and hi <= INT32_MAX})
    # K = 66,000 products of 255 * 127 is just past int32.
    for terms, w_min, w_max in ((65000, -127, 127), (66400, -127, 127), (1000, -32768, 32767),
                                (0, -1, 1), (7, 3, 9), (7, -9, -3)):
        for input_min, input_max in ((0, 255), (-128, 127), (-255, -1)):
            bias = int(rng.integers(-2**20, 2**20))
            corners = [a * w for a in (input_min, input_max) for w in (w_min, w_max)]
            lo = min(bias, 0) + terms * min(min(corners), 0)
            hi = max(bias, 0) + terms * max(max(corners), 0)
            ranges.append({"terms": terms, "weight_min": w_min, "weight_max": w_max,
                           "input_min": input_min, "input_max": input_max, "bias": bias,
                           "min": lo, "max": hi, "fits": INT32_MIN <= lo and hi <= INT32_MAX})
    return {"values": values, "ranges": ranges}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)
    rng = np.random.default_rng(20261127)
    write(args.output_dir, "rounding.json", rounding_cases(rng))
    write(args.output_dir, "quant_params.json", {"cases": range_cases(rng)})
    write(args.output_dir, "tensors.json", {"cases": tensor_cases(rng)})
    write(args.output_dir, "error_stats.json", {"cases": error_stat_cases(rng)})
    write(args.output_dir, "fixed_point.json", fixed_point_cases(rng))
    # Its own generator, so that the cases above stay what they were.
    write(args.output_dir, "accumulator.json", accumulator_cases(np.random.default_rng(20260112)))


if __name__ == "__main__":
    main()
