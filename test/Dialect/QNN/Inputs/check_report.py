"""Checks a qnn-report JSON file against numpy, for test/Dialect/QNN/qnn-report.mlir.

The weights below are the ones in that test; every number the report states is
recomputed here from the numeric contract (DESIGN.md), independently of qnn-mlir.
"""

import json
import math
import sys

import numpy as np

WEIGHTS = {
    # name: (weights, output-channel axis)
    "gnmt.weight": (
        np.array(
            [[0.0114, -0.0231, 0.0445], [0.0, 0.0, 0.0], [-0.0409, -0.0435, -0.0400]],
            dtype=np.float32,
        ),
        0,
    ),
    "conv.weight": (
        np.array([[[[1.0, 2.0], [-1.0, -2.0]]]], dtype=np.float32),
        3,
    ),
}


def quantize_per_channel(w, axis):
    """GNMT: symmetric int8, narrow range, scale = absmax / 127 per channel."""
    other = tuple(d for d in range(w.ndim) if d != axis)
    absmax = np.abs(w).max(axis=other).astype(np.float32)
    scale = np.where(absmax == 0, np.float32(1.0), absmax / np.float32(127))
    shape = [1] * w.ndim
    shape[axis] = -1
    s = scale.reshape(shape).astype(np.float32)
    q = np.clip(np.round(w / s), -127, 127)
    return scale, (q.astype(np.float32) * s).astype(np.float32)


def main():
    with open(sys.argv[1]) as f:
        report = json.load(f)
    tensors = {t["name"]: t for t in report["tensors"]}
    assert set(tensors) == set(WEIGHTS), tensors.keys()
    total_fp32 = total_quantized = 0
    for name, (w, axis) in WEIGHTS.items():
        entry = tensors[name]
        assert entry["shape"] == list(w.shape), entry["shape"]
        assert entry["storage"] == "i8" and entry["range"] == [-127, 127]
        assert entry["scheme"] == "symmetric"
        assert entry["granularity"] == "per-channel" and entry["axis"] == axis
        scale, w_hat = quantize_per_channel(w, axis)
        np.testing.assert_array_equal(np.float32(entry["scales"]), scale)
        assert entry["zero_points"] == [0] * len(scale)

        error = (w_hat.astype(np.float64) - w.astype(np.float64)).ravel()
        signal = float(np.sum(w.astype(np.float64) ** 2))
        noise = float(np.sum(error**2))
        stats = entry["error"]
        assert math.isclose(stats["max_abs"], np.abs(error).max(), rel_tol=1e-12, abs_tol=1e-15)
        assert math.isclose(stats["mean_abs"], np.abs(error).mean(), rel_tol=1e-12, abs_tol=1e-15)
        assert math.isclose(stats["mse"], np.mean(error**2), rel_tol=1e-12, abs_tol=1e-18)
        if noise == 0:
            assert stats["sqnr_db"] == "inf", stats["sqnr_db"]
        else:
            assert math.isclose(stats["sqnr_db"], 10 * math.log10(signal / noise), rel_tol=1e-12)

        assert entry["fp32_bytes"] == 4 * w.size
        assert entry["quantized_bytes"] == w.size + 4 * len(scale)
        total_fp32 += entry["fp32_bytes"]
        total_quantized += entry["quantized_bytes"]

    total = report["total"]
    assert total["fp32_bytes"] == total_fp32
    assert total["quantized_bytes"] == total_quantized
    assert total["saved_bytes"] == total_fp32 - total_quantized
    print("report OK")


if __name__ == "__main__":
    main()
