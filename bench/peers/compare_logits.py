#!/usr/bin/python3
"""Compares two logits files (.npy, float32 [N, classes]) from pytorch_ptq.py,
ort_eval.mjs --logits or qnn-run: how often the top-1 classes agree, the
largest and mean absolute difference, and the SQNR of the second against the
first.

    /usr/bin/python3 bench/peers/compare_logits.py reference.npy other.npy [--step S]

With --step S (one quantization step) or --step-of model.onnx (the scale of
the model's last DequantizeLinear, the output step of a QDQ model) it also
prints the fraction of logits within one step and exits 1 if any is not.
"""

import argparse
import sys

import numpy as np


def output_step(path):
    """The scale of the last DequantizeLinear in an ONNX model."""
    import onnx
    import onnx.numpy_helper

    graph = onnx.load(path).graph
    constants = {t.name: onnx.numpy_helper.to_array(t) for t in graph.initializer}
    dequantize = [n for n in graph.node if n.op_type == "DequantizeLinear"]
    if not dequantize or dequantize[-1].input[1] not in constants:
        sys.exit(f"compare_logits: {path} has no DequantizeLinear with a constant scale")
    return float(constants[dequantize[-1].input[1]])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference")
    parser.add_argument("other")
    parser.add_argument("--step", type=float, help="tolerance: one quantization step")
    parser.add_argument("--step-of", metavar="MODEL", help="tolerance: the output step of a QDQ model")
    args = parser.parse_args()
    if args.step_of:
        args.step = output_step(args.step_of)
    a, b = np.load(args.reference), np.load(args.other)
    if a.shape != b.shape:
        sys.exit(f"compare_logits: shapes differ: {a.shape} vs {b.shape}")
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
    noise = np.sum(diff ** 2)
    sqnr = float("inf") if noise == 0 else 10 * np.log10(np.sum(a.astype(np.float64) ** 2) / noise)
    print(f"top-1 agreement {100 * np.mean(a.argmax(1) == b.argmax(1)):.2f}%, "
          f"identical logits {100 * np.mean(diff == 0):.2f}%, max abs diff {diff.max():.4g}, mean abs diff {diff.mean():.4g}, SQNR {sqnr:.1f} dB")
    if args.step is not None:
        within = diff <= args.step * 1.001  # float32 rounding of (q - zp) * scale
        print(f"within one step ({args.step:.4g}): {100 * within.mean():.2f}%")
        return 0 if within.all() else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
