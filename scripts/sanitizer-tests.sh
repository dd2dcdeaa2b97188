#!/usr/bin/env bash
# Builds qnn-mlir with AddressSanitizer + UndefinedBehaviorSanitizer
# (QNN_ENABLE_SANITIZERS) in its own directory and runs the whole ctest suite
# there: unit tests, the lit suite (the plugin test is UNSUPPORTED: asan), the
# docs check and the installed-package consumer.
#   scripts/sanitizer-tests.sh [extra cmake -D options]
# The build directory is build-asan/ unless QNN_ASAN_BUILD_DIR says otherwise.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QNN_ASAN_BUILD_DIR:-$root/build-asan}
start=$SECONDS

# -g1: line tables, so that sanitizer reports name files and lines, at a
# fraction of the cost of full debug information.
cmake -G Ninja -S "$root" -B "$build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS=-g1 \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DQNN_ENABLE_SANITIZERS=ON \
  "$@"
cmake --build "$build" -j "$(nproc)"

# LeakSanitizer reports MLIR's intentional process-lifetime singletons; LLVM's
# BumpPtrAllocator, inlined into our instrumented code, poisons slab memory
# that the uninstrumented libMLIR.so then hands out (false use-after-poison).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allow_user_poisoning=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
status=0
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" || status=$?
echo "sanitizer-tests: $((SECONDS - start)) s in total"
exit $status
