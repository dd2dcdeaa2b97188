"""numpy references for the `qnn-run --calibrate` and `--merge-stats` tests.

    calibrate_check.py shards SRC DIR              write DIR/shard-a.npz (test images 0..359)
                                                   and DIR/shard-b.npz (the 200 calibration
                                                   images)
    calibrate_check.py check MODEL SRC STATS NPZ   check STATS (a qnn-run --calibrate file of
                                                   the bundled MODEL, mlp or cnn) against the
                                                   numpy model on NPZ:images, in batches of 360
    calibrate_check.py merged MERGED WHOLE         check a merged file against one run over
                                                   all the data
    calibrate_check.py layers SRC STATS REPORT     check the per-layer errors of an --eval
                                                   --per-layer report of the MLP against the
                                                   qnn-quantize output, modelled in numpy

The statistics are recomputed from the numpy models of test/python/qnntest
(written independently of qnn-mlir): per value, min and max (to float32
rounding of a different summation order), the exact element count (which
fails if the padded rows of the last batch were observed), the number of
batches, PyTorch MovingAverageMinMaxObserver's averages over the batches,
and, for the model input (computed by nobody but numpy), the histogram of a
single batch as torch.histc bins it.
"""

import json
import os
import sys

import numpy as np

from qnntest import digits

BATCH = 360
# float32 activations summed in another order than numpy's.
TOLERANCE = 1e-4


def load_stats(path):
    with open(path) as f:
        stats = json.load(f)
    assert stats["format"] == "qnn-stats" and stats["version"] == 1, stats.keys()
    return stats["values"]


def record(model, src, images):
    directory = os.path.join(src, "examples", f"digits-{model}")
    constants = digits.load_constants(os.path.join(directory, f"{model}.mlir"))
    forward = digits.mlp_forward if model == "mlp" else digits.cnn_forward
    values = {}
    forward(constants, images, values)
    return values


def histc(x, bins, lo, hi):
    """torch.histc with float bounds, in float32 (the last bin holds hi)."""
    x = x.astype(np.float32).ravel()
    index = ((x - np.float32(lo)) * np.float32(bins) / (np.float32(hi) - np.float32(lo))).astype(np.int64)
    return np.bincount(np.clip(index, 0, bins - 1), minlength=bins)


def close(got, want):
    return abs(got - want) <= TOLERANCE * max(1.0, abs(want))


def check(model, src, stats_path, npz):
    images = np.load(npz)["images"]
    stats = load_stats(stats_path)
    batches = [images[i:i + BATCH] for i in range(0, len(images), BATCH)]
    per_batch = [record(model, src, batch) for batch in batches]
    names = sorted(per_batch[0])
    if sorted(stats) != names:
        sys.exit(f"observed values {sorted(stats)}, numpy records {names}")
    failures = 0
    for name in names:
        entry = stats[name]
        whole = np.concatenate([r[name].ravel() for r in per_batch])
        want = {"min": float(whole.min()), "max": float(whole.max())}
        # MovingAverageMinMaxObserver: the first batch sets the averages,
        # later ones move them by 0.01, in float32.
        moving = [np.float32(per_batch[0][name].min()), np.float32(per_batch[0][name].max())]
        for r in per_batch[1:]:
            c = np.float32(0.01)
            moving[0] = moving[0] + c * (np.float32(r[name].min()) - moving[0])
            moving[1] = moving[1] + c * (np.float32(r[name].max()) - moving[1])
        want["moving_min"], want["moving_max"] = float(moving[0]), float(moving[1])
        problems = [f"{key} {entry[key]!r}, numpy {value!r}"
                    for key, value in want.items() if not close(entry[key], value)]
        if entry["count"] != whole.size:
            problems.append(f"count {entry['count']}, numpy {whole.size}")
        if entry["batches"] != len(batches) or entry["non_finite"] != 0:
            problems.append(f"batches {entry['batches']}, non_finite {entry['non_finite']}")
        histogram = entry["histogram"]
        if sum(histogram["counts"]) != whole.size or len(histogram["counts"]) != 2048:
            problems.append("histogram does not hold every element in 2048 bins")
        if name.endswith("/arg0") and len(batches) == 1:
            exact = [entry["min"] == want["min"], entry["max"] == want["max"],
                     histogram["min"] == want["min"], histogram["max"] == want["max"],
                     histogram["counts"] == histc(whole, 2048, want["min"], want["max"]).tolist()]
            if not all(exact):
                problems.append(f"the input's range and histogram are not exactly numpy's ({exact})")
        failures += bool(problems)
        status = "; ".join(problems) if problems else "ok"
        print(f"{model} {name}: min {entry['min']:.6g} max {entry['max']:.6g} "
              f"count {entry['count']} batches {entry['batches']}: {status}")
    if failures:
        sys.exit(f"{failures} values differ from numpy")


def merged(merged_path, whole_path):
    got, want = load_stats(merged_path), load_stats(whole_path)
    if sorted(got) != sorted(want):
        sys.exit(f"merged values {sorted(got)}, whole run {sorted(want)}")
    for name in sorted(want):
        g, w = got[name], want[name]
        # Exact: the extremes and the counts; the histograms hold the same
        # number of elements over the same range.
        same = all(g[key] == w[key] for key in ("min", "max", "count", "batches", "non_finite"))
        total = sum(g["histogram"]["counts"])
        if not same or abs(total - w["count"]) > 1e-6 * w["count"]:
            sys.exit(f"{name}: merged {g['min']} {g['max']} {g['count']} {g['batches']} "
                     f"(histogram total {total}), whole {w['min']} {w['max']} {w['count']} {w['batches']}")
        print(f"merged {name}: min, max, count and batches equal the whole run's")


def layers(src, stats_path, report_path):
    """The MLP as qnn-quantize (static, defaults, before qnn-fuse) computes
    it: each activation quantized to uint8 with the parameters of its
    calibrated range, weights to int8 per output channel (the contract,
    qnntest.reference), an exact integer matmul, the accumulator dequantized
    with scale_x * scale_w and the bias and ReLU in float32. The errors of
    its hidden ReLUs against the fp32 ones must be what --per-layer reports."""
    from qnntest.reference import Spec, Storage, choose_params, quantize, quantize_weights

    directory = os.path.join(src, "examples", "digits-mlp")
    constants = digits.load_constants(os.path.join(directory, "mlp.mlir"))
    images = np.load(os.path.join(directory, "test-set.npz"))["images"]
    stats = load_stats(stats_path)
    activation = Spec("asymmetric", Storage(signed=False))
    want = {}
    digits.mlp_forward(constants, images, want)
    h, got = images, {"mlp/arg0": images}
    names = ["mlp/arg0", "fc1.relu", "fc2.relu"]
    for layer in (1, 2):
        entry = stats[names[layer - 1]]
        scale, zero_point = choose_params(entry["min"], entry["max"], activation)
        qx = quantize(h, scale, zero_point, activation.storage, "half-to-even")
        qw, scales, _, _ = quantize_weights(constants[f"fc{layer}.weight"], Spec(), 1, 0)
        accumulator = (qx - zero_point) @ qw
        h = (accumulator.astype(np.float32) * (np.float32(scale) * scales[0])).astype(np.float32)
        h = np.maximum(h + constants[f"fc{layer}.bias"], np.float32(0))
        got[names[layer]] = h
    with open(report_path) as f:
        reported = {entry["name"]: entry for entry in json.load(f)["layers"]}
    for name in names:
        error = got[name].astype(np.float64) - want[name]
        signal = float(np.sum(want[name].astype(np.float64) ** 2))
        noise = float(np.sum(error ** 2))
        sqnr = float("inf") if noise == 0 else 10 * np.log10(signal / noise)
        entry = reported[name]
        sqnr_reported = float(entry["sqnr_db"]) if entry["sqnr_db"] != "inf" else float("inf")
        max_abs = float(np.abs(error).max())
        same = (sqnr == sqnr_reported if np.isinf(sqnr) else abs(sqnr - sqnr_reported) < 0.05) \
            and abs(max_abs - entry["max_abs_error"]) <= 1e-3 * max(1.0, max_abs) \
            and entry["elements"] == want[name].size
        print(f"{name}: numpy SQNR {sqnr:.2f} dB, max |err| {max_abs:.4g}; reported "
              f"{sqnr_reported:.2f} dB, {entry['max_abs_error']:.4g}: {'ok' if same else 'DIFFERENT'}")
        if not same:
            sys.exit(f"{name}: the per-layer error differs from numpy's")


def shards(src, out):
    directory = os.path.join(src, "examples", "digits-mlp")
    test = np.load(os.path.join(directory, "test-set.npz"))
    calibration = np.load(os.path.join(directory, "calibration-set.npz"))
    np.savez(os.path.join(out, "shard-a.npz"), images=test["images"][:BATCH])
    np.savez(os.path.join(out, "shard-b.npz"), images=calibration["images"])


def main():
    command = sys.argv[1]
    if command == "shards":
        shards(*sys.argv[2:4])
    elif command == "check":
        check(*sys.argv[2:6])
    elif command == "merged":
        merged(*sys.argv[2:4])
    elif command == "layers":
        layers(*sys.argv[2:5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
