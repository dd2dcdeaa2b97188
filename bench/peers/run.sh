#!/usr/bin/env bash
# Reproduces the "Fashion-MNIST peers" figures of docs/ACCURACY.md: prepares
# the data, runs PyTorch fp32 and post-training quantization (pytorch_ptq.py),
# then ONNX Runtime on the fp32, the PTQ QDQ and the QAT QDQ models
# (ort_eval.mjs), and compares ORT's int8 logits with torch's: it fails if
# they differ by more than one output quantization step.
#
# Needs: apt-get install dataset-fashion-mnist python3-torch python3-onnx
# python3-numpy nodejs npm; onnxruntime-node is installed here on first use.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
example="$here/../../examples/fashion-mnist"
cd "$here"
[ -d node_modules/onnxruntime-node ] || npm install --ignore-scripts --no-audit --no-fund
/usr/bin/python3 "$example/prepare_data.py"
/usr/bin/python3 pytorch_ptq.py
node ort_eval.mjs --logits out "$example/model.onnx" out/model_ptq_onednn.onnx \
  out/model_ptq_qnnpack.onnx "$example/model_qat.onnx"
for engine in onednn qnnpack; do
  echo "torch PTQ $engine vs ONNX Runtime on its QDQ export:"
  /usr/bin/python3 compare_logits.py "out/torch_ptq_$engine.logits.npy" \
    "out/model_ptq_$engine.logits.npy" --step-of "out/model_ptq_$engine.onnx"
done
echo "torch fp32 vs ONNX Runtime fp32:"
/usr/bin/python3 compare_logits.py out/torch_fp32.logits.npy out/model.logits.npy
