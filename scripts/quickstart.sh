#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine (as root): install what is
# missing, build, and run the bundled example (weight-only int8 quantization
# of a digits MLP, fp32 and int8 side by side).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
/usr/bin/python3 "$root/examples/digits-mlp/demo.py" --build "${QNN_BUILD_DIR:-$root/build}"
