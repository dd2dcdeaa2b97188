#!/usr/bin/env bash
# Installs what qnn-mlir needs on Debian 12 (as root): the LLVM/MLIR 22
# toolchain, the build tools, and the packages the tests and benchmarks use.
# Idempotent: packages already installed are skipped quickly.
set -euo pipefail

packages=(
  # Toolchain and build
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22
  # LLVM's OpenMP runtime: code lowered with threads > 1 calls it
  libomp-22-dev
  cmake ninja-build g++ git
  # Unit tests (gemmlowp's fixedpoint.h is the fixed-point reference)
  libgtest-dev libgemmlowp-dev
  # qnn-run's .npz archives
  libzip-dev
  # qnn-import-onnx: the ONNX protobuf classes (built with ONNX_ML, namespace
  # onnx) and the protobuf runtime they link against
  libonnx-dev libprotobuf-dev
  # Formatting (STYLE.md: clang-format, LLVM style)
  clang-format-22
  # Test references and scripts (Debian's /usr/bin/python3): numpy; torch.ao's
  # observers are the reference of compat=pytorch; onnx builds the importer's
  # test models
  python3 python3-numpy python3-torch python3-onnx
  # The main job's model and data (examples/fashion-mnist)
  dataset-fashion-mnist
  # examples/openwakeword: the test speech of the wake-word models
  # (synthesised, and alsa-utils' recorded voice clips), resampled by scipy
  espeak-ng alsa-utils python3-scipy
  # bench/qnn-kernel-bench: the int8 and fp32 libraries it measures against
  libopenblas-dev libdnnl-dev libxnnpack-dev libpthreadpool-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
