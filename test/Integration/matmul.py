# Matmul forms through qnn-lower-to-llvm and mlir-runner, fp32 and with
# weights quantized every standard way, against numpy.
# RUN: %python %s

from qnntest import harness, ops

cases = [
    ops.matmul("matmul", 4, 32, 48, seed=1),
    # Non-power-of-two extents: 13 and 7 are prime, 36 = 4 * 9.
    ops.matmul("matmul_odd", 5, 36, 13, seed=2),
    ops.matmul_transposed_b("matmul_transposed_b", 4, 32, 48, seed=3),
    ops.batch_matmul("batch_matmul", 2, 3, 24, 20, seed=4),
    # An all-zero channel, exact ties and subnormal weights.
    ops.matmul("matmul_edge_weights", 4, 32, 16, seed=5, weight=ops.edge_weight),
]

# Also the scalar-loop path (no vectorization) in fp32.
harness.run_suite(cases, pipeline_option_sets=("", "vectorize=false"))
