"""References for the compatibility modes and calibration methods (test/unit).

The build runs this with Debian's /usr/bin/python3 before QNNQuantTests and
writes two JSON files into the directory named on the command line:

- compat.json: scales and zero points as the peers choose them.
  * pytorch: torch.ao.quantization's own observers (Debian's python3-torch):
    MinMaxObserver, PerChannelMinMaxObserver, MovingAverageMinMaxObserver;
    affine and symmetric, quint8 and qint8, default and custom ranges, with
    and without reduce_range, on random tensors and edge cases.
  * onnxruntime: ONNX Runtime's Python tools are not installed here, so
    `ort_compute_scale_zp` transcribes onnxruntime/python/tools/
    quantization/quant_utils.py compute_scale_zp and get_qmin_qmax_for_qType
    (numpy, with ORT's dtypes).
  * tflite: `tflite_params` transcribes the TFLite converter's symmetric
    weights (scale = absmax / 127, float) and TensorFlow's FakeQuant Nudge
    (tensorflow/core/kernels/fake_quant_ops_functor.h) after
    GetAsymmetricQuantizationParams' widening to include 0
    (tensorflow/lite/tools/optimize/quantization_utils.cc), in float32.
- calibration.json:
  * histogram: torch.ao HistogramObserver after one or more batches (its
    histogram, range, `_non_linear_param_search` and qparams);
  * percentile: the piecewise-linear CDF of a histogram inverted in numpy,
    and the order statistics of the data around each percentile
    (numpy.percentile's "lower" and "higher");
  * entropy: ONNX Runtime's HistogramCollector.get_entropy_threshold
    (calibrate.py) transcribed in numpy (`ort_entropy_threshold`), on
    histograms collected as ORT collects them;
  * moving_average: MovingAverageMinMaxObserver over several batches.

Every expected value comes from the peer or from these transcriptions, never
from qnn-mlir. Floats are written as the repr of their float64 value; "inf",
"-inf" and "nan" as strings.
"""

import argparse
import math
import os
import sys
import warnings

import numpy as np

try:
    import torch
    from torch.ao.quantization import observer as tobs
except ImportError:  # pragma: no cover - a configuration problem
    sys.exit(
        "compat_reference.py needs PyTorch (Debian's python3-torch; "
        "scripts/install-deps.sh installs it)"
    )

F32 = np.float32
FLT_MAX = float(np.finfo(np.float32).max)
FLT_MIN = float(np.finfo(np.float32).tiny)

# torch warns that reduce_range will be deprecated; the tests use it on purpose.
warnings.filterwarnings("ignore", category=UserWarning)
np.seterr(over="ignore", invalid="ignore", divide="ignore")

# The JSON encoding of the numpy references (same directory).
from quant_reference import jfloat, jfloats, jints, write  # noqa: E402



def make_spec(scheme, bits, signed, narrow=False, compat="none", reduce_range=False):
    return {"scheme": scheme, "bits": bits, "signed": signed, "narrow": narrow,
            "compat": compat, "reduce_range": reduce_range}


# ----------------------------------------------------------------------------
# PyTorch: the observers themselves
# ----------------------------------------------------------------------------

# (name, torch dtype, signed, bits, narrow, quant_min, quant_max): the default
# ranges of quint8 and qint8, and the custom ranges torch users pass
# (quant_min=-127, quant_max=127 for XNNPACK-style weights; 4-bit ranges).
TORCH_STORAGES = [
    ("quint8", torch.quint8, False, 8, False, None, None),
    ("qint8", torch.qint8, True, 8, False, None, None),
    ("qint8-narrow", torch.qint8, True, 8, True, -127, 127),
    ("qint4", torch.qint8, True, 4, False, -8, 7),
    ("quint4", torch.quint8, False, 4, False, 0, 15),
]


def torch_observer(kind, storage, scheme, reduce_range, axis=0, **extra):
    _, dtype, _, _, _, qmin, qmax = storage
    per_channel = kind == "per_channel"
    if scheme == "symmetric":
        qscheme = torch.per_channel_symmetric if per_channel else torch.per_tensor_symmetric
    else:
        qscheme = torch.per_channel_affine if per_channel else torch.per_tensor_affine
    args = dict(dtype=dtype, qscheme=qscheme, reduce_range=reduce_range,
                quant_min=qmin, quant_max=qmax, **extra)
    if per_channel:
        return tobs.PerChannelMinMaxObserver(ch_axis=axis, **args)
    if kind == "moving_average":
        return tobs.MovingAverageMinMaxObserver(**args)
    if kind == "histogram":
        return tobs.HistogramObserver(**args)
    return tobs.MinMaxObserver(**args)


def torch_spec(storage, scheme, reduce_range):
    _, _, signed, bits, narrow, _, _ = storage
    return make_spec(scheme, bits, signed, narrow, "pytorch", reduce_range)


def pytorch_tensors(rng):
    """(name, array, axes to observe per channel) for the min/max observers."""
    def varied(shape, kind="normal"):
        x = rng.standard_normal(shape)
        for axis, extent in enumerate(shape):
            view = [1] * len(shape)
            view[axis] = extent
            x = x * (10.0 ** rng.uniform(-2, 2, size=extent)).reshape(view)
        if kind == "relu":
            x = np.maximum(x, 0)
        elif kind == "negative":
            x = -np.abs(x)
        elif kind == "shifted":
            x = x + 2.0 * np.abs(x).max()
        return x.astype(F32)

    zero_channel = varied((4, 6))
    zero_channel[2, :] = 0.0
    tensors = [
        ("random", varied((6, 5)), [0, 1]),
        ("random-4d", varied((4, 3, 2, 2)), [0, 3]),
        ("relu", varied((5, 7), "relu"), [0]),
        ("negative", varied((3, 8), "negative"), [1]),
        ("shifted", varied((4, 4), "shifted"), [0]),
        ("zero-channel", zero_channel, [0]),
        ("all-zero", np.zeros((3, 4), F32), [0]),
        ("one-element", np.array([0.37], F32), [0]),
        ("one-negative-element", np.array([-2.5], F32), [0]),
        ("tiny", np.array([[1e-40, -3e-41], [2e-39, 0.0]], F32), [0]),
        ("huge", np.array([[1e38, -1e38], [2.5e38, 3.0]], F32), [0]),
        ("huge-positive", np.array([[FLT_MAX, 1.0], [0.0, 3e38]], F32), [0]),
        # max - min overflows float32: torch's affine scale is infinite.
        ("overflowing", np.array([[3e38, -3e38], [1.0, -FLT_MAX]], F32), [0]),
    ]
    # Zero points that are ties of min / scale (scale 1 for the 8-bit ranges).
    for k in (0.5, 1.5, 2.5, 126.5):
        tensors.append((f"tie-{k}", np.array([-k, 255.0 - k], F32), [0]))
        tensors.append((f"tie-signed-{k}", np.array([-k, 127.5 - k], F32), [0]))
    return tensors


def pytorch_cases(rng):
    cases = []
    for name, x, axes in pytorch_tensors(rng):
        for storage in TORCH_STORAGES:
            for scheme in ("affine", "symmetric"):
                for reduce_range in (False, True):
                    spec = torch_spec(storage, "asymmetric" if scheme == "affine" else scheme,
                                      reduce_range)
                    # torch's per-channel observers need a rank of 2 or more.
                    layouts = [("per_tensor", None)] + [("per_channel", a) for a in axes
                                                         if x.ndim > 1]
                    for kind, axis in layouts:
                        base = {
                            "name": f"{name}/{kind}{'' if axis is None else axis}/"
                                    f"{storage[0]}/{scheme}/reduce={int(reduce_range)}",
                            "spec": spec,
                            "rounding": "half_to_even",
                        }
                        try:
                            obs = torch_observer(kind, storage, scheme, reduce_range,
                                                 axis=axis or 0)
                        except NotImplementedError:
                            # "Cannot reduce range for symmetric quantization
                            # for quint8"
                            cases.append(dict(base, refused=True))
                            continue
                        obs(torch.from_numpy(x.copy()))
                        scale, zero_point = obs.calculate_qparams()
                        mins = obs.min_val.reshape(-1).numpy()
                        maxs = obs.max_val.reshape(-1).numpy()
                        cases.append(dict(base, **{
                            "granularity": {"kind": "per_tensor" if axis is None else "per_axis",
                                            "axis": axis or 0, "group_axis": 0, "group_size": 0},
                            "shape": list(x.shape),
                            "data": jfloats(x),
                            "mins": jfloats(mins),
                            "maxs": jfloats(maxs),
                            "qmin": int(obs.quant_min),
                            "qmax": int(obs.quant_max),
                            "scales": jfloats(scale.numpy().astype(F32)),
                            "zero_points": jints(zero_point.numpy()),
                        }))
    return cases


# ----------------------------------------------------------------------------
# ONNX Runtime: quant_utils.py, transcribed
# ----------------------------------------------------------------------------

# get_qmin_qmax_for_qType's tables: ONNX_INT_TYPE_RANGE,
# ONNX_INT_TYPE_SYMMETRIC_RANGE (8 and 16 bits only), ONNX_INT_TYPE_REDUCED_RANGE.
ORT_DTYPES = {(8, False): np.uint8, (8, True): np.int8, (16, False): np.uint16,
              (16, True): np.int16, (4, False): np.uint8, (4, True): np.int8}
ORT_RANGE = {(8, False): (0, 255), (8, True): (-128, 127), (16, False): (0, 65535),
             (16, True): (-32768, 32767), (4, False): (0, 15), (4, True): (-8, 7)}
ORT_SYMMETRIC_RANGE = {(8, False): (0, 254), (8, True): (-127, 127),
                       (16, False): (0, 65534), (16, True): (-32767, 32767)}
ORT_REDUCED_RANGE = {(8, False): (0, 127), (8, True): (-64, 64), (16, False): (0, 32767),
                     (16, True): (-16384, 16384), (4, False): (0, 7), (4, True): (-4, 3)}


def ort_get_qmin_qmax(bits, signed, reduce_range=False, symmetric=False):
    """quant_utils.get_qmin_qmax_for_qType."""
    key = (bits, signed)
    if reduce_range:
        qrange = ORT_REDUCED_RANGE[key]
    elif symmetric and key in ORT_SYMMETRIC_RANGE:
        qrange = ORT_SYMMETRIC_RANGE[key]
    else:
        qrange = ORT_RANGE[key]
    dtype = ORT_DTYPES[key]
    return np.array(qrange[0], dtype=dtype), np.array(qrange[1], dtype=dtype)


def ort_compute_scale_zp(rmin, rmax, qmin, qmax, symmetric=False):
    """quant_utils.compute_scale_zp (min_real_range=None)."""
    rmin = np.minimum(rmin, np.array(0, dtype=rmin.dtype))
    rmax = np.maximum(rmax, np.array(0, dtype=rmax.dtype))
    if symmetric:
        absmax = np.maximum(np.abs(rmin), np.abs(rmax))
        rmin = -absmax
        rmax = +absmax
    dr = np.array(rmax - rmin, dtype=np.float64)
    dq = np.array(qmax, dtype=np.float64) - np.array(qmin, dtype=np.float64)
    scale = np.array(dr / dq)
    if scale < np.finfo(rmax.dtype).tiny:
        scale = np.array(1.0, dtype=rmax.dtype)
        zero_point = np.array(0, dtype=qmin.dtype)
    else:
        if symmetric:
            zero_point = np.array(np.round((qmin + qmax) / np.array(2.0, dtype=np.float64)),
                                  dtype=qmin.dtype)
        else:
            zero_point = np.array(np.round(qmin - rmin / scale), dtype=qmin.dtype)
        scale = scale.astype(rmax.dtype)
    return zero_point, scale


# ----------------------------------------------------------------------------
# TFLite, transcribed
# ----------------------------------------------------------------------------


def round_half_away(x):
    """std::round on a float32 value."""
    x = float(x)
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def tflite_params(lo, hi, qmin, qmax, symmetric, signed):
    lo, hi = F32(lo), F32(hi)
    if symmetric:
        # The converter's symmetric per-channel weights: absmax / 127.
        extent = max(abs(lo), abs(hi)) if signed else max(hi, F32(0))
        return F32(F32(extent) / F32(qmax)), 0
    # GetAsymmetricQuantizationParams: include 0; then FakeQuant's Nudge.
    lo, hi = min(lo, F32(0)), max(hi, F32(0))
    qmin_f, qmax_f = F32(qmin), F32(qmax)
    scale = F32(F32(hi - lo) / F32(qmax_f - qmin_f))
    if scale == 0:
        return scale, qmin
    zero_point_from_min = F32(qmin_f - F32(lo / scale))
    if zero_point_from_min < qmin_f:
        zero_point = qmin
    elif zero_point_from_min > qmax_f:
        zero_point = qmax
    else:
        zero_point = round_half_away(zero_point_from_min)
    return scale, zero_point


def range_list(rng):
    ranges = [
        (0.0, 0.0), (-1.0, 1.0), (0.0, 6.0), (-6.0, 0.0), (2.0, 5.0), (-5.0, -2.0),
        (-1.0, 3.0), (-0.0445, 0.0445), (-1.5, 253.5), (-0.5, 254.5), (-2.5, 252.5),
        (-127.5, 127.5), (-128.5, 126.5), (-1e-40, 3e-39), (-1e-30, 1e-30),
        (-1e38, 1e38), (0.0, FLT_MAX), (-3e38, 3e38), (1e-3, 1e-3), (-7.25, 7.25),
    ]
    for _ in range(60):
        a, b = sorted(rng.standard_normal(2) * 10.0 ** rng.uniform(-5, 5, size=2))
        ranges.append((a, b))
    return [(F32(a), F32(b)) for a, b in ranges]


def onnxruntime_cases(rng):
    cases = []
    for lo, hi in range_list(rng):
        for bits in (8, 16, 4):
            for signed in (False, True):
                for symmetric in (False, True):
                    for reduce_range in (False, True):
                        qmin, qmax = ort_get_qmin_qmax(bits, signed, reduce_range, symmetric)
                        zero_point, scale = ort_compute_scale_zp(
                            np.array(lo, F32), np.array(hi, F32), qmin, qmax, symmetric)
                        scheme = "symmetric" if symmetric else "asymmetric"
                        cases.append({
                            "name": f"[{float(lo)!r}, {float(hi)!r}]/{'i' if signed else 'u'}{bits}/"
                                    f"{scheme}/reduce={int(reduce_range)}",
                            "spec": make_spec(scheme, bits, signed, False, "onnxruntime",
                                              reduce_range),
                            "rounding": "half_to_even",
                            "min": jfloat(lo), "max": jfloat(hi),
                            "qmin": int(qmin), "qmax": int(qmax),
                            "scale": jfloat(scale), "zero_point": int(zero_point),
                        })
    return cases


def tflite_cases(rng):
    cases = []
    storages = [(8, True, True), (8, True, False), (8, False, False), (4, True, True),
                (16, True, False)]
    for lo, hi in range_list(rng):
        for bits, signed, narrow in storages:
            for symmetric in (False, True):
                if bits == 8 and signed:
                    qmin = -127 if narrow else -128
                    qmax = 127
                else:
                    qmin = -(1 << (bits - 1)) + int(narrow) if signed else 0
                    qmax = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
                scale, zero_point = tflite_params(lo, hi, qmin, qmax, symmetric, signed)
                scheme = "symmetric" if symmetric else "asymmetric"
                cases.append({
                    "name": f"[{float(lo)!r}, {float(hi)!r}]/{'i' if signed else 'u'}{bits}"
                            f"{'n' if narrow else ''}/{scheme}",
                    "spec": make_spec(scheme, bits, signed, narrow, "tflite"),
                    "rounding": "half_to_even",
                    "min": jfloat(lo), "max": jfloat(hi), "qmin": qmin, "qmax": qmax,
                    "scale": jfloat(scale), "zero_point": int(zero_point),
                    # A scale the IR cannot hold (0, subnormal, infinite): the
                    # mode documents its fallback instead.
                    "usable": bool(np.isfinite(scale) and scale >= FLT_MIN),
                })
    return cases


# ----------------------------------------------------------------------------
# Histograms
# ----------------------------------------------------------------------------


def histc(x, bins, lo, hi):
    """torch.histc's bin choice with float bounds, in float32."""
    x = np.asarray(x, F32)
    lo, hi = F32(lo), F32(hi)
    if lo == hi:
        counts = np.zeros(bins)
        counts[bins // 2] = np.count_nonzero(x == lo)
        return counts
    inside = x[(x >= lo) & (x <= hi)]
    index = np.trunc((inside - lo) * F32(bins) / (hi - lo)).astype(np.int64)
    return np.bincount(np.minimum(index, bins - 1), minlength=bins).astype(np.float64)


def histogram_batches(rng):
    """Batches for which torch 1.13's HistogramObserver is not bitten by its
    int() truncation of the histc bounds (pytorch/pytorch#83672): single
    batches strictly inside (-1, 1) (int() gives 0 and 0, and histc then uses
    the data's range), or ranges whose ends stay integers as they grow
    (powers of two, so that _adjust_min_max moves nothing)."""
    def inside(n, scale=0.3, kind="normal"):
        x = rng.standard_normal(n) * scale
        if kind == "relu":
            x = np.maximum(x, 0)
        elif kind == "skewed":
            x = np.abs(x) ** 1.5 - 0.05
        elif kind == "outliers":
            x[rng.integers(0, n, 5)] = rng.uniform(-0.99, 0.99, 5)
        return np.clip(x, -0.995, 0.995).astype(F32)

    def spanning(n, lo, hi, scale):
        x = np.clip(rng.standard_normal(n) * scale, lo, hi)
        x[:2] = [lo, hi]
        return x.astype(F32)

    cases = [
        ("normal", [inside(4000)]),
        ("relu", [inside(4000, kind="relu")]),
        ("skewed", [inside(3000, kind="skewed")]),
        ("outliers", [inside(2000, 0.05, kind="outliers")]),
        ("small", [inside(7, 0.4)]),
        ("integer-ends", [spanning(3000, -3.0, 5.0, 1.0)]),
        ("same-range", [spanning(1000, -4.0, 4.0, 1.0), spanning(1000, -4.0, 4.0, 0.5)]),
        ("grow-symmetric", [spanning(1500, -4.0, 4.0, 1.0), spanning(1500, -8.0, 8.0, 2.0)]),
        ("grow-left", [spanning(1500, 0.0, 4.0, 1.5), spanning(800, -1.0, 4.0, 1.0)]),
        ("grow-twice", [spanning(1000, -2.0, 2.0, 0.7), spanning(1000, -2.0, 2.0, 0.3),
                        spanning(1000, -4.0, 4.0, 1.0), spanning(500, -16.0, 16.0, 3.0)]),
    ]
    return cases


def histogram_cases(rng):
    cases = []
    for name, batches in histogram_batches(rng):
        for dtype, scheme, reduce_range in ((torch.quint8, "affine", False),
                                            (torch.qint8, "symmetric", False),
                                            (torch.quint8, "affine", True)):
            qscheme = torch.per_tensor_affine if scheme == "affine" else torch.per_tensor_symmetric
            obs = tobs.HistogramObserver(dtype=dtype, qscheme=qscheme, reduce_range=reduce_range)
            for batch in batches:
                obs(torch.from_numpy(batch.copy()))
            new_min, new_max = obs._non_linear_param_search()
            scale, zero_point = obs.calculate_qparams()
            signed = dtype == torch.qint8
            spec = make_spec("symmetric" if scheme == "symmetric" else "asymmetric", 8,
                             signed, False, "pytorch", reduce_range)
            cases.append({
                "name": f"{name}/{'qint8' if signed else 'quint8'}/{scheme}/"
                        f"reduce={int(reduce_range)}",
                "spec": spec,
                "rounding": "half_to_even",
                "batches": [jfloats(b) for b in batches],
                "histogram": {"min": jfloat(obs.min_val.item()), "max": jfloat(obs.max_val.item()),
                              "counts": jfloats(obs.histogram.numpy())},
                "range": [jfloat(new_min.item()), jfloat(new_max.item())],
                "scale": jfloat(scale.item()),
                "zero_point": int(zero_point.item()),
            })
    return cases


def moving_average_cases(rng):
    cases = []
    for name, count in (("five", 5), ("one", 1), ("forty", 40)):
        batches = [(rng.standard_normal(50) * rng.uniform(0.5, 3) + rng.uniform(-1, 1))
                   .astype(F32) for _ in range(count)]
        for dtype, qscheme in ((torch.quint8, torch.per_tensor_affine),
                               (torch.qint8, torch.per_tensor_symmetric)):
            obs = tobs.MovingAverageMinMaxObserver(averaging_constant=0.01, dtype=dtype,
                                                   qscheme=qscheme)
            for batch in batches:
                obs(torch.from_numpy(batch.copy()))
            scale, zero_point = obs.calculate_qparams()
            signed = dtype == torch.qint8
            scheme = "symmetric" if signed else "asymmetric"
            cases.append({
                "name": f"{name}/{scheme}",
                "spec": make_spec(scheme, 8, signed, False, "pytorch"),
                "rounding": "half_to_even",
                "batches": [jfloats(b) for b in batches],
                "moving_min": jfloat(obs.min_val.item()),
                "moving_max": jfloat(obs.max_val.item()),
                "scale": jfloat(scale.item()),
                "zero_point": int(zero_point.item()),
            })
    return cases


def cdf_percentile(counts, lo, hi, percentile, symmetric):
    """The piecewise-linear CDF of the histogram inverted: numpy.interp on
    the CDF at the edges, or for |x| on F(t) - F(-t) at the points |edge|."""
    counts = np.asarray(counts, np.float64)
    bins = counts.size
    edges = lo + (hi - lo) * np.arange(bins + 1, dtype=np.float64) / bins
    edges[-1] = hi
    cdf = np.concatenate([[0.0], np.cumsum(counts)])
    total = cdf[-1]
    p = percentile / 100.0

    def inverse(target):
        # The first edge where the CDF reaches the target, then linear
        # interpolation inside the bin before it.
        j = int(np.searchsorted(cdf, target, side="left"))
        if j == 0:
            j = int(np.argmax(counts > 0)) + 1
            return edges[j - 1]
        j = min(j, bins)
        return edges[j - 1] + (edges[j] - edges[j - 1]) * (target - cdf[j - 1]) / counts[j - 1]

    if symmetric:
        points = np.unique(np.concatenate([[0.0], np.abs(edges)]))
        mass = np.interp(points, edges, cdf) - np.interp(-points, edges, cdf)
        target = p * total
        k = int(np.searchsorted(mass, target, side="left"))
        if k == 0:
            return 0.0, 0.0
        k = min(k, points.size - 1)
        t = points[k - 1] + (points[k] - points[k - 1]) * (target - mass[k - 1]) / (
            mass[k] - mass[k - 1])
        return -F32(t), F32(t)
    lower, upper = min(p, 1 - p), max(p, 1 - p)
    return F32(inverse(lower * total)), F32(inverse(upper * total))


def percentile_cases(rng):
    cases = []
    datasets = [
        ("normal", (rng.standard_normal(20000) * 2.0).astype(F32)),
        ("relu", np.maximum(rng.standard_normal(20000), 0).astype(F32)),
        ("heavy-tail", rng.standard_cauchy(20000).astype(F32)),
        ("shifted", (rng.standard_normal(5000) + 10.0).astype(F32)),
        ("sparse", np.concatenate([np.zeros(1000), rng.uniform(-5, 9, 40)]).astype(F32)),
    ]
    for name, data in datasets:
        lo, hi = F32(data.min()), F32(data.max())
        for bins in (2048, 128):
            counts = histc(data, bins, lo, hi)
            for percentile in (99.99, 99.9, 99.0, 90.0, 100.0):
                for symmetric in (False, True):
                    expected = cdf_percentile(counts, float(lo), float(hi), percentile,
                                              symmetric)
                    # The order statistics around each percentile (numpy's
                    # "lower" and "higher"): the histogram's answer lies in
                    # the bins between them.
                    wide = data.astype(np.float64)
                    if symmetric:
                        low = np.percentile(np.abs(wide), percentile, method="lower")
                        high = np.percentile(np.abs(wide), percentile, method="higher")
                        exact = (-high, -low, low, high)
                    else:
                        q = min(percentile, 100 - percentile)
                        exact = (np.percentile(wide, q, method="lower"),
                                 np.percentile(wide, q, method="higher"),
                                 np.percentile(wide, 100 - q, method="lower"),
                                 np.percentile(wide, 100 - q, method="higher"))
                    cases.append({
                        "name": f"{name}/{bins}/{percentile}/"
                                f"{'symmetric' if symmetric else 'asymmetric'}",
                        "histogram": {"min": jfloat(lo), "max": jfloat(hi),
                                      "counts": jfloats(counts)},
                        "percentile": percentile, "symmetric": symmetric,
                        "range": jfloats(expected),
                        "order_statistics": jfloats(exact),
                        "bin_width": jfloat((float(hi) - float(lo)) / bins),
                    })
    return cases


# ----------------------------------------------------------------------------
# ONNX Runtime's entropy calibration, transcribed
# ----------------------------------------------------------------------------


def ort_smooth_distribution(p, eps=0.0001):
    """quant_utils.smooth_distribution."""
    is_zeros = (p == 0).astype(np.float32)
    is_nonzeros = (p != 0).astype(np.float32)
    n_zeros = is_zeros.sum()
    n_nonzeros = p.size - n_zeros
    if not n_nonzeros:
        return None
    eps1 = eps * float(n_zeros) / float(n_nonzeros)
    assert eps1 < 1.0
    hist = p.astype(np.float32)
    hist += eps * is_zeros + (-eps1) * is_nonzeros
    assert (hist <= 0).sum() == 0
    return hist


def ort_entropy(pk, qk):
    """calibrate.entropy (scipy.stats.entropy without scipy), float32."""
    pk = np.asarray(pk).astype(np.float32)
    pk = 1.0 * pk / np.sum(pk, axis=0, keepdims=True)
    qk = np.asarray(qk).astype(np.float32)
    qk = 1.0 * qk / np.sum(qk, axis=0, keepdims=True)
    with np.errstate(all="ignore"):
        vec = pk * np.log(pk / qk)
    vec[(pk == 0) & (qk >= 0)] = 0
    vec[~((pk > 0) & (qk > 0))] = np.inf
    return np.sum(vec, axis=0).astype(pk.dtype)


def ort_entropy_threshold(hist, hist_edges, min_value, max_value, num_quantized_bins):
    """calibrate.HistogramCollector.get_entropy_threshold, with its kl array."""
    num_bins = hist.size
    zero_bin_index = num_bins // 2
    num_half_quantized_bin = num_quantized_bins // 2
    kl_divergence = np.zeros(zero_bin_index - num_half_quantized_bin + 1)
    thresholds = [(0, 0) for _ in range(kl_divergence.size)]
    for i in range(num_half_quantized_bin, zero_bin_index + 1, 1):
        start_index = zero_bin_index - i
        end_index = min(zero_bin_index + i + 1, num_bins)
        thresholds[i - num_half_quantized_bin] = (hist_edges[start_index], hist_edges[end_index])
        sliced_distribution = hist[start_index:end_index].copy()
        p = sliced_distribution.copy()
        # ORT sums with Python's sum(); numpy's gives the same integers, faster.
        p[0] += hist[:start_index].sum()
        p[-1] += hist[end_index:].sum()
        nonzeros = (p != 0).astype(np.int64)
        quantized_bins = np.zeros(num_quantized_bins, dtype=np.int64)
        num_merged_bins = sliced_distribution.size // num_quantized_bins
        for index in range(num_quantized_bins):
            start = index * num_merged_bins
            end = start + num_merged_bins
            quantized_bins[index] = sliced_distribution[start:end].sum()
        quantized_bins[-1] += sliced_distribution[num_quantized_bins * num_merged_bins:].sum()
        q = np.zeros(p.size, dtype=np.int64)
        for index in range(num_quantized_bins):
            start = index * num_merged_bins
            end = start + num_merged_bins
            norm = nonzeros[start:end].sum()
            if norm != 0:
                q[start:end] = quantized_bins[index] / norm
        p = ort_smooth_distribution(p)
        q = ort_smooth_distribution(q)
        if p is None or q is None:
            div = np.inf
        else:
            div = ort_entropy(p, q)
        kl_divergence[i - num_half_quantized_bin] = div
    index = int(np.argmin(kl_divergence))
    lo, hi = thresholds[index]
    lo, hi = max(lo, min_value), min(hi, max_value)
    return index, kl_divergence, lo, hi


def entropy_cases(rng):
    cases = []
    datasets = [
        ("normal", (rng.standard_normal(30000)).astype(F32)),
        ("relu", np.maximum(rng.standard_normal(30000) * 3, 0).astype(F32)),
        ("laplace", rng.laplace(0, 1, 30000).astype(F32)),
        ("outliers", np.concatenate([rng.standard_normal(20000) * 0.5,
                                     rng.uniform(-40, 40, 30)]).astype(F32)),
        ("skewed", (rng.exponential(1.0, 20000) - 0.5).astype(F32)),
    ]
    for name, data in datasets:
        threshold = F32(max(abs(data.min()), abs(data.max())))
        configs = ((2048, 128), (512, 128), (256, 16)) if name in ("normal", "outliers") \
            else ((512, 128), (256, 16))
        for bins, quantized in configs:
            # As HistogramCollector.collect_value collects a first batch.
            counts, _ = np.histogram(data, bins, range=(-threshold, threshold))
            lo, hi = -float(threshold), float(threshold)
            edges = np.array([lo + (hi - lo) * k / bins for k in range(bins)] + [hi])
            edges = edges.astype(F32)
            index, kl, t_lo, t_hi = ort_entropy_threshold(
                counts.astype(np.int64), edges, F32(data.min()), F32(data.max()), quantized)
            cases.append({
                "name": f"{name}/{bins}/{quantized}",
                "histogram": {"min": lo, "max": hi, "counts": jints(counts)},
                "data_min": jfloat(data.min()), "data_max": jfloat(data.max()),
                "quantized_bins": quantized,
                "index": index,
                "divergences": jfloats(kl),
                "range": [jfloat(t_lo), jfloat(t_hi)],
            })
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)
    torch.manual_seed(0)
    rng = np.random.default_rng(20260301)
    write(args.output_dir, "compat.json", {
        "pytorch": pytorch_cases(rng),
        "onnxruntime": onnxruntime_cases(rng),
        "tflite": tflite_cases(rng),
    })
    write(args.output_dir, "calibration.json", {
        "histogram": histogram_cases(rng),
        "moving_average": moving_average_cases(rng),
        "percentile": percentile_cases(rng),
        "entropy": entropy_cases(rng),
    })


if __name__ == "__main__":
    main()
