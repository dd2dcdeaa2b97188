# The packed-weight kernels of qnn-cpu-contraction-kernels split across two
# threads (qnn-lower-to-llvm{threads=2}: scf.forall -> OpenMP, run with
# LLVM's libomp loaded into mlir-runner), on every kernel target this CPU
# can run. int8 results must equal the integer reference (qnntest.intref)
# bit for bit; f32 results must be within float rounding of numpy's float64
# product, and bit-identical to the single-thread code (each output sums its
# k terms in the same order whichever thread computes it). Every shape is
# large enough to be split (at least 2^20 multiply-adds per thread) and has
# a remainder the split has to leave alone: a partial last block of panels
# and a partial last panel (computed after the parallel loop), rows beyond
# the last full register tile, K not a multiple of the group. The lowered IR
# must hold one omp.parallel per split matmul, so that the test cannot pass
# on single-thread code.
# REQUIRES: openmp
# RUN: %python %s

import os
import sys

import numpy as np

from qnntest import harness, intharness, ops
from qnntest.intharness import Checker, host_kernel_targets, per_axis, per_tensor, random_scale

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from integer_kernels import kernel_function  # noqa: E402

# mlir-runner has to find __kmpc_fork_call and friends.
os.environ["QNN_RUNNER_LIBS"] += "," + os.environ["QNN_OPENMP_RUNTIME"]


def lower_checked(checker, module, options, parallel_regions):
    lowered = harness.lower(module, None, options)
    found = lowered.count("omp.parallel")
    if found != parallel_regions:
        checker.fail(f"[{options}]: {found} omp.parallel regions, expected {parallel_regions}")
    return lowered


def check_int8(checker, targets):
    rng = np.random.default_rng(20261127)
    s = lambda: random_scale(rng)
    out_scale = lambda: random_scale(rng, 1e-2, 1.0)

    def narrow(n):
        return per_axis(8, True, [s() for _ in range(n)], [0] * n, 1, narrow=True)

    functions = [
        # Matvec: 9 blocks of 8 panels in parallel, then 4 panels, the last
        # with one column; K odd (a last half group for vpmaddwd).
        kernel_function("matvec_u8", rng, 1, 4101, 601, per_tensor(8, False, s(), 0), narrow(601),
                        per_tensor(8, False, out_scale(), 3)),
        # i8 activations (vpdpbusd's offset and correction on VNNI),
        # full-range weights, 27 rows (a row remainder), 13 column blocks
        # in parallel and a partial panel after them.
        kernel_function("rows_i8", rng, 27, 431, 210, per_tensor(8, True, s(), 0),
                        per_axis(8, True, [s() for _ in range(210)], [0] * 210, 1),
                        per_tensor(8, True, out_scale(), -5), mode="float"),
        # Zero points on both sides (the full initial tensor read at
        # absolute columns inside each thread's slice), int32 out.
        kernel_function("zero_points_i32", rng, 13, 1400, 130,
                        per_tensor(8, False, s(), int(rng.integers(0, 256))),
                        per_axis(8, True, [s() for _ in range(130)],
                                 [int(z) for z in rng.integers(-20, 20, size=130)], 1)),
        # Too little work to split (2^16 multiply-adds): one thread.
        kernel_function("small", rng, 4, 64, 256, per_tensor(8, False, s(), 0), narrow(256),
                        per_tensor(8, False, out_scale(), 0)),
    ]
    module = intharness.build_module(functions)
    for target in targets:
        options = f"target={target} threads=2"
        lowered = lower_checked(checker, module, options, parallel_regions=3)
        printed = harness.parse_memrefs(harness.execute(lowered))
        for f, got in zip(functions, printed):
            checker.compare(f"{f.name} [{options}]", got, f.expected)


def check_f32(checker, targets):
    cases = [
        # 37 rows (a remainder of one), 12 blocks of 2 panels in parallel,
        # then two panels, the last with 4 columns.
        ops.matmul("f32_rows", 37, 320, 204, seed=11),
        # Matvec: 16 blocks of 8 panels in parallel, then one partial panel.
        ops.matmul("f32_matvec", 1, 2100, 1030, seed=12),
        # Weights stored N x K.
        ops.matmul_transposed_b("f32_transposed", 20, 1024, 130, seed=13),
    ]
    module = harness.build_module(cases)
    failures = harness.Failure()
    for target in targets:
        single = harness.parse_memrefs(harness.execute(harness.lower(module, None, f"target={target}")))
        options = f"target={target} threads=2"
        lowered = lower_checked(checker, module, options, parallel_regions=len(cases))
        printed = harness.parse_memrefs(harness.execute(lowered))
        for case, bits, single_bits in zip(cases, printed, single):
            got = harness.as_float32(bits)
            expected = case.reference(case.x.astype(np.float64), case.w.astype(np.float64))
            harness.compare(failures, f"{case.name} [{options}]", got, expected,
                            harness.tolerance(case, case.x, case.w))
            if not np.array_equal(bits, single_bits):
                checker.fail(f"{case.name} [{options}]: differs from the single-thread result")
    for message in failures.messages:
        checker.failures.append(message)


def main():
    targets = [t for t in host_kernel_targets() if t != "generic"]
    checker = Checker()
    check_int8(checker, targets)
    check_f32(checker, targets)
    checker.finish()


if __name__ == "__main__":
    main()
