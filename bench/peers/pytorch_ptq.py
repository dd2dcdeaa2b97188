#!/usr/bin/python3
"""PyTorch's own post-training static quantization (eager mode, torch.ao) of
the bundled Fashion-MNIST model, as a peer for qnn-mlir's int8.

For fp32 and for each quantized engine Debian's torch 1.13 supports (of
fbgemm, x86, onednn, qnnpack): top-1 accuracy on the 10k test images and
single-thread batch-1 latency (median over the 10000 calls, one image each,
after a warm-up), of the eager model and of the model traced and frozen with
TorchScript. Quantization: fuse conv-BN-ReLU, the engine's default
qconfig (get_default_qconfig(engine)), calibrate on the 500 images of
calibration-set.npz (the same subset qnn-mlir calibrates on), convert.

Each quantized model is also exported as QDQ ONNX (the scales and zero points
of torch's observers; see examples/fashion-mnist/qdq.py) to
out/model_ptq_<engine>.onnx, for ONNX Runtime (ort_eval.mjs), and the logits
of every test image to out/torch_<config>.logits.npy (compare_logits.py).

    /usr/bin/python3 examples/fashion-mnist/prepare_data.py
    /usr/bin/python3 bench/peers/pytorch_ptq.py [--data DIR] [--out DIR] [--engines a,b]

Prints one JSON line per configuration, then a Markdown table.
"""

import argparse
import copy
import json
import os
import statistics
import sys
import time

# Before torch starts OpenMP: idle threads sleep instead of spinning, which on
# a shared 2-core machine is up to 9x faster (spinning threads steal the core
# the other thread needs to reach the barrier).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "fashion-mnist"))
import fashion  # noqa: E402
import qdq  # noqa: E402

ENGINES = ["fbgemm", "x86", "onednn", "qnnpack"]
WARMUP = 200


def evaluate(model, images, labels, logits_path):
    """Accuracy and median latency (us) of batch-1 calls on one thread; the
    logits of every image go to logits_path (.npy, float32 [N, 10])."""
    torch.set_num_threads(1)
    times, correct = [], 0
    all_logits = np.zeros((len(images), 10), np.float32)
    with torch.no_grad():
        for i in range(WARMUP):
            model(torch.from_numpy(images[i:i + 1]))
        for i in range(len(images)):
            x = torch.from_numpy(images[i:i + 1])
            start = time.perf_counter_ns()
            logits = model(x)
            times.append((time.perf_counter_ns() - start) / 1e3)
            correct += int(int(logits.argmax(1)) == labels[i])
            all_logits[i] = logits.numpy()[0]
    np.save(logits_path, all_logits)
    times.sort()
    return {
        "images": len(images),
        "accuracy_percent": round(100 * correct / len(images), 2),
        "median_latency_us": round(statistics.median(times), 1),
        "p10_latency_us": round(times[len(times) // 10], 1),
        "p90_latency_us": round(times[9 * len(times) // 10], 1),
    }


def measure(config, model, images, labels, logits_prefix):
    """Rows for the eager model and for it traced and frozen by TorchScript
    (which removes most of the Python overhead of a batch-1 call)."""
    rows = [dict(config=f"{config} (eager)",
                 **evaluate(model, images, labels, logits_prefix + ".logits.npy"))]
    with torch.no_grad():
        scripted = torch.jit.freeze(torch.jit.trace(model, torch.from_numpy(images[:1])).eval())
    rows.append(dict(config=f"{config} (TorchScript)",
                     **evaluate(scripted, images, labels, logits_prefix + ".script.logits.npy")))
    for row in rows:
        print(json.dumps(row), flush=True)
    return rows


def describe(qconfig):
    """'activation: HistogramObserver quint8 per_tensor_affine; weight: ...'."""
    parts = []
    for role, factory in (("activation", qconfig.activation), ("weight", qconfig.weight)):
        observer = factory()
        parts.append(f"{role}: {type(observer).__name__} {str(observer.dtype).replace('torch.', '')} "
                     f"{str(observer.qscheme).replace('torch.', '')}"
                     f"{' reduce_range' if getattr(observer, 'reduce_range', False) else ''}")
    return "; ".join(parts)


def quantize(fp32, engine, calibration):
    """Eager-mode static PTQ with the engine's default qconfig."""
    torch.backends.quantized.engine = engine
    model = torch.ao.quantization.fuse_modules(copy.deepcopy(fp32).eval(), fashion.FashionCNN.FUSE)
    model.qconfig = torch.ao.quantization.get_default_qconfig(engine)
    torch.ao.quantization.prepare(model, inplace=True)
    with torch.no_grad():
        for start in range(0, len(calibration), 100):
            model(torch.from_numpy(calibration[start:start + 100]))
    return torch.ao.quantization.convert(model, inplace=False), model.qconfig


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.path.join(fashion.HERE, "data"),
                        help="directory with test-set.npz and calibration-set.npz")
    parser.add_argument("--out", default=os.path.join(HERE, "out"),
                        help="where the QDQ exports go")
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help="engines to try; those torch does not support are reported and skipped")
    args = parser.parse_args()

    test = np.load(os.path.join(args.data, "test-set.npz"))
    calibration = np.load(os.path.join(args.data, "calibration-set.npz"))["images"]
    images, labels = test["images"], test["labels"]
    os.makedirs(args.out, exist_ok=True)
    print(f"torch {torch.__version__}, supported engines {torch.backends.quantized.supported_engines}, "
          f"{len(images)} test images, {len(calibration)} calibration images", file=sys.stderr)

    fp32 = fashion.load_fp32_model()
    rows = measure("torch fp32", fp32, images, labels, os.path.join(args.out, "torch_fp32"))
    for engine in args.engines.split(","):
        if engine not in torch.backends.quantized.supported_engines:
            print(f"engine {engine}: not supported by this torch build, skipped", file=sys.stderr)
            continue
        quantized, qconfig = quantize(fp32, engine, calibration)
        engine_rows = measure(f"torch PTQ {engine}", quantized, images, labels,
                              os.path.join(args.out, f"torch_ptq_{engine}"))
        path = os.path.join(args.out, f"model_ptq_{engine}.onnx")
        qdq.export_quantized(quantized, path,
                             f"Fashion-MNIST CNN, torch.ao PTQ ({engine} qconfig), QDQ")
        print(json.dumps({"config": f"torch PTQ {engine}", "qdq_onnx": os.path.relpath(path),
                          "qconfig": describe(qconfig)}), flush=True)
        rows += engine_rows

    print("\n| configuration | top-1 (10k) | median latency (us) | p10 / p90 (us) |")
    print("|---|---|---|---|")
    for row in rows:
        print(f"| {row['config']} | {row['accuracy_percent']:.2f}% | {row['median_latency_us']:.1f} "
              f"| {row['p10_latency_us']:.1f} / {row['p90_latency_us']:.1f} |")

if __name__ == "__main__":
    main()
