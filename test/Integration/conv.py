# Convolutions through qnn-lower-to-llvm and mlir-runner, fp32 and with
# weights quantized every standard way, against numpy.
# RUN: %python %s

from qnntest import harness, ops

cases = [
    ops.conv_nhwc_hwcf("conv_nhwc_hwcf", 1, 8, 8, 8, 16, (3, 3), (1, 1), (1, 1), seed=11),
    ops.conv_nhwc_hwcf("conv_nhwc_hwcf_strided", 2, 9, 11, 4, 12, (3, 2), (2, 2), (1, 2), seed=12),
    ops.conv_nchw_fchw("conv_nchw_fchw", 1, 8, 8, 8, 16, (3, 3), (1, 1), (1, 1), seed=13),
    ops.conv_nchw_fchw("conv_nchw_fchw_strided", 1, 4, 10, 9, 6, (2, 3), (2, 1), (2, 1), seed=14),
    ops.depthwise_nhwc_hwc("depthwise_nhwc_hwc", 1, 8, 8, 16, (3, 3), (1, 1), (1, 1), seed=15),
    ops.depthwise_nhwc_hwc("depthwise_nhwc_hwc_strided", 2, 9, 10, 12, (3, 3), (2, 1), (1, 2), seed=16),
]

harness.run_suite(cases, pipeline_option_sets=("", "vectorize=false"))
