#!/usr/bin/env bash
# Configures and builds qnn-mlir with Ninja against Debian's LLVM/MLIR 22.
#   scripts/build.sh [extra cmake -D options]
# The build directory is build/ unless QNN_BUILD_DIR says otherwise.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QNN_BUILD_DIR:-$root/build}

cmake -G Ninja -S "$root" -B "$build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  "$@"
cmake --build "$build" -j "$(nproc)"
