"""torch.ao's HistogramObserver on the bundled MLP's calibration images
against `qnn-run --calibrate` + `qnn-quantize compat=pytorch calibration=mse`.

    torch_histogram_check.py IMAGES.npz STATS.json REPORT.json

The images lie in [0, 1], where torch 1.13's truncation of the histc bounds
to integers (pytorch/pytorch#83672) changes nothing, so its histogram of the
one batch must equal the one qnn-run recorded for `mlp/arg0` bin for bin, and
the scale and zero point qnn-quantize chose (qnn-report's JSON) must equal
HistogramObserver.calculate_qparams() (quint8, affine, with and without
reduce_range: REPORT.json and REPORT-reduce.json).
"""

import json
import sys
import warnings

import numpy as np
import torch
from torch.ao.quantization import observer as tobs

warnings.filterwarnings("ignore", category=UserWarning)


def main():
    images_path, stats_path, report_path = sys.argv[1:4]
    images = torch.from_numpy(np.load(images_path)["images"])
    with open(stats_path) as f:
        histogram = json.load(f)["values"]["mlp/arg0"]["histogram"]
    failures = 0
    for reduce_range, path in ((False, report_path),
                               (True, report_path.replace(".json", "-reduce.json"))):
        observer = tobs.HistogramObserver(dtype=torch.quint8, qscheme=torch.per_tensor_affine,
                                          reduce_range=reduce_range)
        observer(images)
        scale, zero_point = observer.calculate_qparams()
        same_histogram = (histogram["counts"] == observer.histogram.numpy().astype(int).tolist()
                          and histogram["min"] == observer.min_val.item()
                          and histogram["max"] == observer.max_val.item())
        with open(path) as f:
            activation = [a for a in json.load(f)["activations"] if a["name"] == "mlp/arg0"][0]
        same = (np.float32(activation["scale"]) == np.float32(scale.item())
                and activation["zero_point"] == int(zero_point.item()))
        print(f"reduce_range={reduce_range}: torch scale {scale.item():.9g} zero point "
              f"{int(zero_point.item())}, qnn-mlir {activation['scale']:.9g} "
              f"{activation['zero_point']}; histogram {'equal' if same_histogram else 'DIFFERENT'}: "
              f"{'ok' if same and same_histogram else 'DIFFERENT'}")
        failures += not (same and same_histogram)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
