#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (as root): install what is
# missing, build, and run every test (GoogleTest unit tests and the lit suite)
# through ctest, whose summary ends the output.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QNN_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
