#!/usr/bin/python3
"""Writes the Fashion-MNIST evaluation data from Debian's dataset-fashion-mnist:

    test-set.npz         the 10000 test images and labels
    calibration-set.npz  the fixed calibration subset: 500 training images
                         (fashion.calibration_indices(), seed 5) and labels

Each archive holds "images" (float32 NCHW [N, 1, 28, 28], normalised exactly as
in training: (pixel / 255 - 0.2860) / 0.3530), "labels" (int64 [N]) and
"indices" (int64 [N], the images' positions in the Debian idx file). The
output is deterministic; the arrays are not committed, run this instead:

    apt-get install dataset-fashion-mnist python3-numpy python3-torch
    /usr/bin/python3 prepare_data.py [--out DIR]   # default: ./data
"""

import argparse
import os

import numpy as np

import fashion


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(fashion.HERE, "data"),
                        help="output directory (created if missing)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    test_raw, test_labels = fashion.load_split("t10k")
    train_raw, train_labels = fashion.load_split("train")
    calibration = fashion.calibration_indices()
    sets = {
        "test-set.npz": (fashion.normalise(test_raw), test_labels, np.arange(len(test_raw))),
        "calibration-set.npz": (fashion.normalise(train_raw[calibration]),
                                train_labels[calibration], calibration),
    }
    for name, (images, labels, indices) in sets.items():
        path = os.path.join(args.out, name)
        np.savez(path, images=images, labels=labels.astype(np.int64),
                 indices=indices.astype(np.int64))
        print(f"wrote {path}: images {images.dtype} {list(images.shape)}, "
              f"labels per class {np.bincount(labels, minlength=10).tolist()}")


if __name__ == "__main__":
    main()
