#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (as root): install what is
# missing; build with AddressSanitizer + UndefinedBehaviorSanitizer and run
# every test there (build-asan/); then build normally and run every test again
# (build/): GoogleTest unit tests, the lit suite, the installed-package
# consumer, the generated-docs and formatting checks. ctest's summary of the
# normal build ends the output; the exit status fails if either run failed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QNN_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh"

status=0
if [ "${QNN_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "run-tests: sanitizer build (build-asan/)"
  "$root/scripts/sanitizer-tests.sh" || status=$?
fi

echo "run-tests: normal build ($build)"
"$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" || status=$?
exit $status
