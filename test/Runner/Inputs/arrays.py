"""Inputs and numpy references of the qnn-run lit tests (test/Runner).

    arrays.py make DIR                 write the input arrays into DIR
    arrays.py check CASE OUTPUTS DIR   compare qnn-run's OUTPUTS (.npz/.npy)
                                       with numpy's result for CASE

The references are computed here, with numpy, from the same inputs; exact
equality where the compiled code must be exact (integers, copies), a
tolerance of a few float32 ulps where it sums in another order.
"""

import os
import sys

import numpy as np


def inputs():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((4, 3)).astype(np.float32)
    w = rng.standard_normal((3, 2)).astype(np.float32)
    b = rng.standard_normal(2).astype(np.float32)
    kinds = {
        "a": np.array([-128, -1, 0, 1, 127], dtype=np.int8),
        "b": np.array([-32768, -2, 0, 2, 32767], dtype=np.int16),
        "c": np.array([-(2**31), -3, 0, 3, 2**31 - 1], dtype=np.int32),
        "d": np.array([-(2**40), -4, 0, 4, 2**40], dtype=np.int64),
        "e": np.array([True, False, True, False, False]),
        "f": np.array([0.1, -2.5, 0.0, 1e300, -1e-300], dtype=np.float64),
    }
    rows = rng.standard_normal((10, 3)).astype(np.float32)
    return {"x": x, "w": w, "b": b, "kinds": kinds, "rows": rows}


def make(directory):
    os.makedirs(directory, exist_ok=True)
    data = inputs()
    np.savez(os.path.join(directory, "affine.npz"), x=data["x"], w=data["w"], b=data["b"])
    for name in ("x", "w", "b"):
        np.save(os.path.join(directory, f"{name}.npy"), data[name])
    np.savez_compressed(os.path.join(directory, "kinds.npz"), **data["kinds"])
    rows = data["rows"]
    for count in (10, 4, 1):
        np.savez(os.path.join(directory, f"rows{count}.npz"), x=rows[:count])


def references(case):
    data = inputs()
    if case == "affine":
        y = data["x"].astype(np.float64) @ data["w"].astype(np.float64) + data["b"]
        return [y.astype(np.float32)]
    if case == "kinds":
        k = data["kinds"]
        total = k["a"].astype(np.int64) + k["b"] + k["c"] + k["d"]
        return [total, k["f"] * 2, ~k["e"]]
    if case.startswith("rows"):
        x = data["rows"][: int(case[4:])]
        return [x.astype(np.float64).sum(axis=1).astype(np.float32), x * 2]
    raise ValueError(case)


def load(path):
    if path.endswith(".npy"):
        return [np.load(path)]
    with np.load(path) as archive:
        return [archive[name] for name in archive.keys()]


def check(case, path):
    want = references(case)
    got = load(path)
    if len(got) != len(want):
        sys.exit(f"{case}: {len(got)} outputs, want {len(want)}")
    for index, (g, w) in enumerate(zip(got, want)):
        if g.dtype != w.dtype or g.shape != w.shape:
            sys.exit(f"{case} output {index}: {g.dtype} {g.shape}, want {w.dtype} {w.shape}")
        if np.issubdtype(w.dtype, np.floating) and w.dtype == np.float32:
            # The compiled code may sum in another order.
            if not np.allclose(g, w, rtol=1e-6, atol=1e-6):
                sys.exit(f"{case} output {index}: max error {np.abs(g - w).max()}")
        elif not np.array_equal(g, w):
            sys.exit(f"{case} output {index}: {g} != {w}")
    print(f"{case}: {len(got)} outputs match numpy")


def main():
    if sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
