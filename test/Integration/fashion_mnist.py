# The acceptance of the README's main job (issue 5): the bundled
# Fashion-MNIST CNN, an ONNX model trained with torch, goes through
# qnn-import-onnx -> qnn-run --calibrate (500 training images) ->
# qnn-quantize + qnn-fuse -> qnn-run on the 10,000 test images, and
#
# - the imported fp32 model classifies exactly as torch does with the trained
#   weights (model.pt, an independent implementation of the same network);
# - the int8 model's top-1 accuracy is within 0.3 points of torch's fp32
#   accuracy, and its logits agree closely with fp32 (SQNR > 30 dB);
# - the QAT model (model_qat.onnx: QuantizeLinear/DequantizeLinear nodes with
#   the scales learnt in training) runs in int8 with its own scales, within
#   0.3 points of fp32 too.
#
# REQUIRES: fashion-mnist
# RUN: %python %s %t

import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "examples", "fashion-mnist")
sys.path.insert(0, EXAMPLE)


def run(*command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"command failed: {' '.join(command)}\n{result.stderr}")
    return result.stdout


def torch_logits(images):
    """fp32 logits of the trained network, computed by torch itself."""
    import torch

    import fashion

    torch.set_num_threads(1)
    model = fashion.FashionCNN()
    model.load_state_dict(torch.load(os.path.join(EXAMPLE, "model.pt")))
    model.eval()
    with torch.no_grad():
        return np.concatenate([model(torch.from_numpy(images[i:i + 1000])).numpy()
                               for i in range(0, len(images), 1000)])


def evaluate(workdir, fp32_model, int8_model, test_set):
    report = os.path.join(workdir, os.path.basename(int8_model) + ".json")
    run(os.environ["QNN_RUN"], fp32_model, "--eval", f"--compare={int8_model}",
        f"--inputs={test_set}:images", f"--labels={test_set}:labels", "--progress=never",
        f"--json={report}")
    with open(report) as f:
        return json.load(f)


def main():
    workdir = sys.argv[1]
    os.makedirs(workdir, exist_ok=True)
    run(sys.executable, os.path.join(EXAMPLE, "prepare_data.py"), "--out", workdir)
    test_set = os.path.join(workdir, "test-set.npz")
    calibration_set = os.path.join(workdir, "calibration-set.npz")
    data = np.load(test_set)
    images, labels = data["images"], data["labels"]

    reference = torch_logits(images)
    torch_accuracy = float(np.mean(reference.argmax(axis=1) == labels))
    print(f"torch fp32 top-1: {torch_accuracy:.4f}")

    def path(name):
        return os.path.join(workdir, name)

    for model, output in (("model.onnx", "model.mlir"), ("model_qat.onnx", "model-qat.mlir")):
        run(os.environ["QNN_IMPORT_ONNX"], os.path.join(EXAMPLE, model),
            "--input-shape=input=100x1x28x28", "-o", path(output))
    run(os.environ["QNN_RUN"], path("model.mlir"), "--calibrate", "--progress=never",
        f"--inputs={calibration_set}:images", "-o", path("stats.json"))
    run(os.environ["QNN_OPT"], path("model.mlir"), f"--qnn-quantize=stats={path('stats.json')}",
        "--qnn-fuse", "-o", path("model-int8.mlir"))

    # The imported fp32 model against torch, logit by logit.
    run(os.environ["QNN_RUN"], path("model.mlir"), f"--inputs={test_set}:images",
        "-o", path("model-fp32.npy"))
    fp32_logits = np.load(path("model-fp32.npy"))
    error = np.max(np.abs(fp32_logits - reference))
    print(f"imported fp32 vs torch: max |error| {error:.3g}")
    assert error < 1e-3, error
    assert np.array_equal(fp32_logits.argmax(axis=1), reference.argmax(axis=1))

    for int8_model in ("model-int8.mlir", "model-qat.mlir"):
        report = evaluate(workdir, path("model.mlir"), path(int8_model), test_set)
        print(int8_model, json.dumps(report))
        output = report["outputs"][0]
        accuracy = output["candidate_accuracy"]
        assert output["reference_accuracy"] == torch_accuracy, output
        assert accuracy >= torch_accuracy - 0.003, (int8_model, accuracy, torch_accuracy)
        if int8_model == "model-int8.mlir":
            assert output["sqnr_db"] > 30, output
    print("ok")


if __name__ == "__main__":
    main()
