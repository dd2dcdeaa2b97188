"""A matvec big enough for qnn-cpu-contraction-kernels to split it across
threads (test/Runner/threads.test), with 8.5 MiB of weights, which the
runner maps into 2 MiB pages (test/Runner/large-pages.test), and its numpy
reference.

    threaded_matvec.py make DIR          write DIR/matvec.mlir and DIR/x.npy
    threaded_matvec.py check DIR OUTPUT  compare qnn-run's OUTPUT (.npy)
                                         with x @ W in float64
"""

import os
import sys

import numpy as np

K, N = 2048, 1040


def arrays():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((1, K)).astype(np.float32)
    w = rng.standard_normal((K, N)).astype(np.float32)
    return x, w


def make(directory):
    os.makedirs(directory, exist_ok=True)
    x, w = arrays()
    np.save(os.path.join(directory, "x.npy"), x)
    weights = w.astype("<f4").tobytes().hex().upper()
    with open(os.path.join(directory, "matvec.mlir"), "w") as f:
        f.write(
            f"func.func @matvec(%x: tensor<1x{K}xf32>) -> tensor<1x{N}xf32> {{\n"
            f'  %w = arith.constant dense<"0x{weights}"> : tensor<{K}x{N}xf32>\n'
            "  %zero = arith.constant 0.0 : f32\n"
            f"  %e = tensor.empty() : tensor<1x{N}xf32>\n"
            f"  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x{N}xf32>) -> tensor<1x{N}xf32>\n"
            f"  %y = linalg.matmul ins(%x, %w : tensor<1x{K}xf32>, tensor<{K}x{N}xf32>) "
            f"outs(%z : tensor<1x{N}xf32>) -> tensor<1x{N}xf32>\n"
            f"  return %y : tensor<1x{N}xf32>\n"
            "}\n"
        )


def check(directory, output):
    x, w = arrays()
    got = np.load(output)
    expected = x.astype(np.float64) @ w.astype(np.float64)
    # float32 sums of K terms: K * 2^-24 times the sum of magnitudes.
    bound = 2 * K * 2.0**-24 * (np.abs(x).astype(np.float64) @ np.abs(w).astype(np.float64))
    error = np.abs(got - expected)
    if got.shape != expected.shape or not (error <= bound).all():
        sys.exit(f"matvec: shape {got.shape}, max error {error.max()}, allowed {bound.min()}")
    print(f"ok: matvec (max error {error.max():.3g})")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3])
