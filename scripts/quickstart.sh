#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine (as root): install what is
# missing, build, and run the bundled example: the Fashion-MNIST CNN
# (examples/fashion-mnist/model.onnx) imported, calibrated, quantized to int8,
# compiled and evaluated on the 10,000 test images, fp32 and int8 side by side.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
/usr/bin/python3 "$root/examples/fashion-mnist/demo.py" --build "${QNN_BUILD_DIR:-$root/build}"
