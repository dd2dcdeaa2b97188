#!/usr/bin/python3
"""The README's main job: a real ONNX model from fp32 to int8 and measured.

    /usr/bin/python3 examples/fashion-mnist/demo.py [--build build]
        [--calibration minmax|moving-average|percentile|mse|entropy]

1. data: `prepare_data.py` writes the 10,000 Fashion-MNIST test images and
   500 fixed training images for calibration (from Debian's
   dataset-fashion-mnist), normalised as in training;
2. import: `qnn-import-onnx model.onnx` gives fp32 MLIR in upstream dialects
   (linalg, tensor, arith), once with a batch of 100 (evaluation) and once
   with a batch of 1 (latency);
3. calibrate: `qnn-run --calibrate` runs the fp32 model, with an observer on
   every activation qnn-quantize will quantize, over the 500 images;
4. quantize: `qnn-opt --qnn-quantize --qnn-fuse --qnn-report`: uint8
   activations, int8 weights per output channel, int32 accumulators,
   fixed-point requantization; prints the error per weight tensor and the
   size saved;
5. evaluate: `qnn-run --eval` compiles both models for this CPU and runs them
   on the 10,000 test images: top-1 accuracy of each, agreement, SQNR;
6. benchmark: `qnn-run --bench`, latency of one image, fp32 and int8 side by
   side, with the size of their constants.

The QAT model (`model_qat.onnx`, trained with torch.ao and exported with
QuantizeLinear/DequantizeLinear nodes) is imported with its own scales,
without calibration: as imported it computes what ONNX Runtime computes (each
quantize/dequantize pair in float); `qnn-fuse` turns it into the same
integer program as the PTQ model. Both are evaluated, and the integer one is
benchmarked.
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOLS = ("qnn-import-onnx", "qnn-opt", "qnn-run")


def run(command, workdir):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(f"demo: command failed: {' '.join(command)}")
    return result.stdout.replace(workdir + os.sep, "")


def section(title):
    print()
    print(f"== {title}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                        help="the CMake build directory holding bin/qnn-opt, bin/qnn-run, "
                             "bin/qnn-import-onnx")
    parser.add_argument("--calibration", default="minmax",
                        choices=["minmax", "moving-average", "percentile", "mse", "entropy"],
                        help="how qnn-quantize chooses each activation's range from the statistics")
    args = parser.parse_args()
    tools = {name: os.path.join(args.build, "bin", name) for name in TOOLS}
    for path in tools.values():
        if not os.path.exists(path):
            sys.exit(f"demo: {path} does not exist; build the project first")

    data = os.path.join(HERE, "data")
    test_set = os.path.join(data, "test-set.npz")
    calibration_set = os.path.join(data, "calibration-set.npz")
    print("== prepare_data.py: the test set and the calibration images")
    subprocess.run([sys.executable, os.path.join(HERE, "prepare_data.py")], check=True)

    with tempfile.TemporaryDirectory(prefix="qnn-fashion-") as workdir:
        def path(name):
            return os.path.join(workdir, name)

        def import_onnx(model, batch, output):
            run([tools["qnn-import-onnx"], os.path.join(HERE, model),
                 f"--input-shape=input={batch}x1x28x28", "-o", output], workdir)

        def quantize(model, output, report):
            command = [tools["qnn-opt"], model,
                       f"--qnn-quantize=stats={path('stats.json')} "
                       f"calibration={args.calibration}", "--qnn-fuse", "-o", output]
            return run(command + (["--qnn-report"] if report else []), workdir)

        section("qnn-import-onnx: model.onnx (fp32) to MLIR, batch 100 and batch 1")
        import_onnx("model.onnx", 100, path("model.mlir"))
        import_onnx("model.onnx", 1, path("model-b1.mlir"))
        print("imported model.onnx -> model.mlir (100x1x28x28), model-b1.mlir (1x1x28x28)")

        section("qnn-run --calibrate: activation statistics on 500 training images")
        print(run([tools["qnn-run"], path("model.mlir"), "--calibrate", "--progress=never",
                   f"--inputs={calibration_set}:images", "-o", path("stats.json")],
                  workdir), end="")

        section(f"qnn-quantize (calibration={args.calibration}) + qnn-fuse: uint8 activations, "
                "int8 weights per output channel, int32 accumulators")
        print(quantize(path("model.mlir"), path("model-int8.mlir"), report=True), end="")
        quantize(path("model-b1.mlir"), path("model-b1-int8.mlir"), report=False)

        section("qnn-run --eval: fp32 and int8 on the 10,000 test images")
        print(run([tools["qnn-run"], path("model.mlir"), "--eval", "--progress=never",
                   f"--compare={path('model-int8.mlir')}", f"--inputs={test_set}:images",
                   f"--labels={test_set}:labels", "--output-names=logits"], workdir), end="")

        section("qnn-run --bench: latency of one image, fp32 and int8")
        one_image = path("one-image.npz")
        run([sys.executable, "-c",
             "import numpy as np, sys; d = np.load(sys.argv[1]); "
             "np.savez(sys.argv[2], images=d['images'][:1])", test_set, one_image], workdir)
        print(run([tools["qnn-run"], path("model-b1.mlir"), "--bench",
                   f"--compare={path('model-b1-int8.mlir')}", f"--inputs={one_image}:images",
                   "--repetitions=300"], workdir), end="")

        section("model_qat.onnx: trained with quantization (QDQ nodes), imported with its own "
                "scales, then fused into integer code by qnn-fuse")
        import_onnx("model_qat.onnx", 100, path("model-qat.mlir"))
        run([tools["qnn-opt"], path("model-qat.mlir"), "--qnn-fuse", "-o", path("model-qat-int8.mlir")],
            workdir)
        print(run([tools["qnn-run"], path("model-qat.mlir"), "--eval", "--progress=never",
                   f"--compare={path('model-qat-int8.mlir')}", f"--inputs={test_set}:images",
                   f"--labels={test_set}:labels", "--output-names=logits"], workdir), end="")
        import_onnx("model_qat.onnx", 1, path("model-qat-b1.mlir"))
        run([tools["qnn-opt"], path("model-qat-b1.mlir"), "--qnn-fuse", "-o",
             path("model-qat-b1-int8.mlir")], workdir)
        print(run([tools["qnn-run"], path("model-b1.mlir"), "--bench",
                   f"--compare={path('model-qat-b1-int8.mlir')}", f"--inputs={one_image}:images",
                   "--repetitions=300"], workdir), end="")


if __name__ == "__main__":
    main()
