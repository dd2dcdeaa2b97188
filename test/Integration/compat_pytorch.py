# compat=pytorch through the passes: qnn-quantize-weights and qnn-quantize
# choose the scales and zero points torch.ao's observers choose on the same
# tensors (MinMaxObserver per tensor, PerChannelMinMaxObserver per output
# channel; affine and symmetric, quint8 and qint8, with and without
# reduce_range), read back from qnn-report's JSON and compared for equality
# (same float32, same integer). The math library is checked the same way in
# test/unit/CompatQuantParamsTest.cpp; this checks that the options reach it
# and that the pass builds the types from its results (axis, integer range).
#
# RUN: %python %s %t

import json
import os
import sys
import warnings

import numpy as np
import torch
from torch.ao.quantization import observer as tobs

from qnntest.harness import mlir_dense, mlir_type, run, tool

warnings.filterwarnings("ignore", category=UserWarning)


def report(module_text, pipeline, workdir):
    path = os.path.join(workdir, "report.json")
    run([tool("QNN_OPT"), "-", f"--{pipeline}", f"--qnn-report=output={path} table=false",
         "-o", os.devnull], stdin=module_text)
    with open(path) as f:
        return json.load(f)


def matmul_module(x_shape, weight):
    k, n = weight.shape
    m = x_shape[0]
    return f"""
func.func @f(%x: {mlir_type(x_shape)}) -> {mlir_type((m, n))} {{
  %zero = arith.constant 0.0 : f32
  %w = arith.constant {mlir_dense(weight)}
  %e = tensor.empty() : {mlir_type((m, n))}
  %z = linalg.fill ins(%zero : f32) outs(%e : {mlir_type((m, n))}) -> {mlir_type((m, n))}
  %y = linalg.matmul ins(%x, %w : {mlir_type(x_shape)}, {mlir_type(weight.shape)})
                     outs(%z : {mlir_type((m, n))}) -> {mlir_type((m, n))}
  return %y : {mlir_type((m, n))}
}}
"""


def torch_params(observer, data):
    observer(torch.from_numpy(data.copy()))
    scale, zero_point = observer.calculate_qparams()
    return (np.asarray(scale.numpy(), np.float32).ravel(), np.asarray(zero_point.numpy()).ravel(),
            observer.quant_min, observer.quant_max)


def main():
    workdir = sys.argv[1]
    os.makedirs(workdir, exist_ok=True)
    rng = np.random.default_rng(11)
    weight = (rng.standard_normal((24, 16)) * 0.3).astype(np.float32)
    weight[:, 3] += 0.5  # a channel far from symmetric
    weight[:, 5] = 0.0  # an all-zero channel (torch's eps scale)
    module = matmul_module((4, 24), weight)
    failures, compared = [], 0

    for dtype in (torch.qint8, torch.quint8):
        for symmetric in (True, False):
            for reduce_range in (False, True):
                if dtype == torch.quint8 and symmetric and reduce_range:
                    continue  # torch.ao refuses it (a qnn-mlir option error too)
                for per_channel in (True, False):
                    scheme = torch.per_channel_symmetric if symmetric else torch.per_channel_affine
                    if per_channel:
                        observer = tobs.PerChannelMinMaxObserver(
                            ch_axis=1, dtype=dtype, qscheme=scheme, reduce_range=reduce_range)
                    else:
                        scheme = torch.per_tensor_symmetric if symmetric else torch.per_tensor_affine
                        observer = tobs.MinMaxObserver(dtype=dtype, qscheme=scheme,
                                                       reduce_range=reduce_range)
                    scales, zero_points, qmin, qmax = torch_params(observer, weight)
                    options = (f"compat=pytorch scheme={'symmetric' if symmetric else 'asymmetric'} "
                               f"signed={'true' if dtype == torch.qint8 else 'false'} "
                               f"reduce-range={'true' if reduce_range else 'false'} "
                               f"granularity={'per-channel' if per_channel else 'per-tensor'}")
                    tensor = report(module, f'qnn-quantize-weights={options}', workdir)["tensors"][0]
                    got_scales = np.asarray(tensor["scales"], np.float64).astype(np.float32)
                    same = (tensor["compat"] == "pytorch"
                            and got_scales.tobytes() == scales.tobytes()
                            and tensor["zero_points"] == [int(z) for z in zero_points]
                            and tensor["range"] == [qmin, qmax])
                    compared += 1
                    if not same:
                        failures.append(f"weights {options}: scales {got_scales} zero points "
                                        f"{tensor['zero_points']} range {tensor['range']}; torch "
                                        f"{scales} {zero_points} [{qmin}, {qmax}]")

    # Activations: qnn-quantize from the range torch's MinMaxObserver saw.
    x = (rng.standard_normal((4, 24)) * 2.0 + 0.7).astype(np.float32)
    for dtype in (torch.quint8, torch.qint8):
        for symmetric in (False, True):
            for reduce_range in (False, True):
                if dtype == torch.quint8 and symmetric and reduce_range:
                    continue
                scheme = torch.per_tensor_symmetric if symmetric else torch.per_tensor_affine
                observer = tobs.MinMaxObserver(dtype=dtype, qscheme=scheme, reduce_range=reduce_range)
                scales, zero_points, qmin, qmax = torch_params(observer, x)
                stats = os.path.join(workdir, "stats.json")
                with open(stats, "w") as f:
                    json.dump({"format": "qnn-stats", "version": 1, "values": {"f/arg0": {
                        "min": float(observer.min_val), "max": float(observer.max_val)}}}, f)
                options = (f"stats={stats} compat=pytorch "
                           f"activation-scheme={'symmetric' if symmetric else 'asymmetric'} "
                           f"activation-signed={'true' if dtype == torch.qint8 else 'false'} "
                           f"activation-reduce-range={'true' if reduce_range else 'false'}")
                activation = report(module, f'qnn-quantize={options}', workdir)["activations"][0]
                same = (np.float32(activation["scale"]) == scales[0]
                        and activation["zero_point"] == int(zero_points[0])
                        and activation["range"] == [qmin, qmax]
                        and activation["compat"] == "pytorch")
                compared += 1
                if not same:
                    failures.append(f"activations {options}: {activation}; torch {scales} "
                                    f"{zero_points} [{qmin}, {qmax}]")

    for failure in failures:
        print(failure)
    print(f"{compared} configurations compared with torch.ao, {len(failures)} differ")
    if failures or compared != 21:
        sys.exit(1)


if __name__ == "__main__":
    main()
