# TOSA matmul, convolutions and pooling through the same pipeline (tosa-to-linalg
# first), fp32 and with weights quantized every standard way, against numpy.
# RUN: %python %s

from qnntest import harness, ops

cases = [
    ops.tosa_matmul("tosa_matmul", 2, 4, 32, 24, seed=21),
    ops.tosa_conv2d("tosa_conv2d", 1, 8, 8, 8, 16, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), seed=22),
    ops.tosa_conv2d("tosa_conv2d_strided", 1, 9, 8, 4, 6, (3, 3), (2, 2), (1, 1), (1, 1, 1, 0), seed=23),
    ops.tosa_depthwise_conv2d("tosa_depthwise_conv2d", 1, 8, 8, 16, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), seed=24),
    ops.tosa_depthwise_conv2d("tosa_depthwise_conv2d_dilated", 1, 9, 9, 8, (3, 3), (1, 2), (2, 1), (0, 0, 0, 0), seed=25),
    # No weights: fp32 only (pooling tiles are vectorized like depthwise ones).
    ops.tosa_max_pool2d("tosa_max_pool2d", 1, 8, 8, 16, (2, 2), (2, 2), seed=26),
    ops.tosa_avg_pool2d("tosa_avg_pool2d", 2, 9, 7, 12, (3, 3), (2, 2), seed=27),
]

harness.run_suite(cases, pipeline_option_sets=("", "vectorize=false"))
