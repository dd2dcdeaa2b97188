# The integer reference (test/python/qnntest/intref.py) against values
# worked out by hand from gemmlowp's and TFLite's definitions, so that the
# integration tests compare the compiler with something known to be right.
# RUN: %python %s

import numpy as np

from qnntest import intref
from qnntest.intref import INT32_MAX, INT32_MIN

failures = []


def check(label, got, expected):
    got = np.asarray(got).tolist()
    expected = np.asarray(expected).tolist()
    if got != expected:
        failures.append(label)
        print(f"FAIL: {label}: got {got}, expected {expected}")
    else:
        print(f"ok: {label}")


# QuantizeMultiplier: frexp, mantissa * 2^31 rounded half away from zero.
check("QM(0.5)", intref.quantize_multiplier(0.5), (1 << 30, 0))
check("QM(1.0)", intref.quantize_multiplier(1.0), (1 << 30, 1))
check("QM(0.75)", intref.quantize_multiplier(0.75), (3 << 29, 0))
# 0.1 = 0.8 * 2^-3; round(0.8 * 2^31) = 1717986918.
check("QM(0.1)", intref.quantize_multiplier(0.1), (1717986918, -3))
check("QM(2^-32)", intref.quantize_multiplier(2.0**-32), (1 << 30, -31))
check("QM(2^-33) -> 0", intref.quantize_multiplier(2.0**-33), (0, 0))
check("QM(0)", intref.quantize_multiplier(0.0), (0, 0))
# 0.5 + 2^-32: mantissa * 2^31 = 2^30 + 1/2, a tie, away from zero.
check("QM(0.5 + 2^-32) tie", intref.quantize_multiplier(0.5 + 2.0**-32), ((1 << 30) + 1, 0))
# 1 - 2^-33: mantissa * 2^31 = 2^31 - 1/4 rounds to 2^31: renormalized.
check("QM(1 - 2^-33)", intref.quantize_multiplier(1.0 - 2.0**-33), (1 << 30, 1))
check("QM(2^31) rejected", intref.quantize_multiplier(2.0**31) is None, True)
check("QM(-1) rejected", intref.quantize_multiplier(-1.0) is None, True)
check("QM(inf) rejected", intref.quantize_multiplier(float("inf")) is None, True)

# SaturatingRoundingDoublingHighMul.
srdhm = intref.saturating_rounding_doubling_high_mul
check("SRDHM(MIN, MIN) saturates", srdhm(INT32_MIN, INT32_MIN), INT32_MAX)
# 2 * 1 * 2^30 / 2^32 = 0.5: ties go upwards (gemmlowp's nudge).
check("SRDHM(1, 2^30)", srdhm(1, 1 << 30), 1)
check("SRDHM(-1, 2^30) = 0 (-0.5 up)", srdhm(-1, 1 << 30), 0)
check("SRDHM(-3, 2^30) = -1 (-1.5 up)", srdhm(-3, 1 << 30), -1)
check("SRDHM(MIN, 1)", srdhm(INT32_MIN, 1), -1)
check("SRDHM(MAX, 1)", srdhm(INT32_MAX, 1), 1)
check("SRDHM(MAX, MAX)", srdhm(INT32_MAX, INT32_MAX), INT32_MAX - 1)
check("SRDHM(MIN, MAX)", srdhm(INT32_MIN, INT32_MAX), -INT32_MAX)
# 100 * 1717986918 / 2^31 = 80.0000000186.
check("SRDHM(100, QM(0.1))", srdhm(100, 1717986918), 80)
check("SRDHM vectorized", srdhm(np.array([1, -1, -3]), 1 << 30), [1, 0, -1])

# RoundingDivideByPOT: ties away from zero.
rdbpot = intref.rounding_divide_by_pot
check("RDBPOT(3, 1)", rdbpot(3, 1), 2)
check("RDBPOT(-3, 1)", rdbpot(-3, 1), -2)
check("RDBPOT(5, 0)", rdbpot(5, 0), 5)
check("RDBPOT(-5, 2) = -1 (-1.25)", rdbpot(-5, 2), -1)
check("RDBPOT(-6, 2) = -2 (-1.5)", rdbpot(-6, 2), -2)
check("RDBPOT(6, 2) = 2 (1.5)", rdbpot(6, 2), 2)
check("RDBPOT(-7, 2) = -2 (-1.75)", rdbpot(-7, 2), -2)
check("RDBPOT(MIN, 31)", rdbpot(INT32_MIN, 31), -1)
check("RDBPOT(MAX, 31)", rdbpot(INT32_MAX, 31), 1)
check("RDBPOT(2^30, 31)", rdbpot(1 << 30, 31), 1)
check("RDBPOT(-2^30, 31)", rdbpot(-(1 << 30), 31), -1)
check("RDBPOT(2^30 - 1, 31)", rdbpot((1 << 30) - 1, 31), 0)
check("RDBPOT per element", rdbpot(np.array([-6, 6, 7]), np.array([2, 2, 1])), [-2, 2, 4])

# MultiplyByQuantizedMultiplier: TFLite's examples worked by hand.
mbqm = intref.multiply_by_quantized_multiplier
check("MBQM(100, 0.1)", mbqm(100, 1717986918, -3), 10)
check("MBQM(-100, 0.1)", mbqm(-100, 1717986918, -3), -10)
# x / 2 through SRDHM alone: ties upwards (2.5 -> 3, -2.5 -> -2).
check("MBQM(5, 0.5)", mbqm(5, 1 << 30, 0), 3)
check("MBQM(-5, 0.5)", mbqm(-5, 1 << 30, 0), -2)
# x / 4: SRDHM halves (-6 -> -3, exact), the shift rounds -1.5 to -2; -5
# becomes -2 (-2.5 up) then -1.
check("MBQM(-6, 0.25)", mbqm(-6, 1 << 30, -1), -2)
check("MBQM(-5, 0.25)", mbqm(-5, 1 << 30, -1), -1)
check("MBQM(6, 0.25)", mbqm(6, 1 << 30, -1), 2)
# Left shifts: 4.0 = 2^30 * 2^(3 - 31); 2^28 << 3 = 2^31 saturates to
# INT32_MAX, whose SRDHM by 2^30 is 2^30.
check("MBQM(2^28 - 1, 4.0)", mbqm((1 << 28) - 1, 1 << 30, 3), ((1 << 28) - 1) * 4)
check("MBQM(2^28, 4.0) saturates", mbqm(1 << 28, 1 << 30, 3), 1 << 30)
check("MBQM(MIN, 4.0) saturates", mbqm(INT32_MIN, 1 << 30, 3), -(1 << 30))

# qnn.requantize, both modes.
check("requantize fixed 1000 * 0.1 + 3",
      intref.requantize(np.array([1000, -1000, 5, -5]), 0.01, 0, 0.1, 3, (-128, 127)), [103, -97, 4, 2])
# 5 * 0.1 = 0.5 and -0.5: SRDHM(5, QM(0.1)) = 4 (4.0000000009 rounded),
# then 4 / 2^3 = 0.5 rounds away from zero to 1; -5 gives -4, then -1.
check("requantize fixed ties", intref.requantize(np.array([5, -5]), 0.01, 0, 0.1, 0, (-128, 127)), [1, -1])
check("requantize float half to even ties",
      intref.requantize(np.array([5, -5, 15]), 0.25, 0, 0.5, 0, (-128, 127), "float", "half_to_even"), [2, -2, 8])
check("requantize float half away ties",
      intref.requantize(np.array([5, -5, 15]), 0.25, 0, 0.5, 0, (-128, 127), "float", "half_away_from_zero"),
      [3, -3, 8])
check("requantize clamp", intref.requantize(np.array([10**6, -10**6]), 1.0, 0, 1.0, 7, (7, 100)), [100, 7])

# qnn.add, the description's types: lhs 7 (1.0 at 0.1:-3) + rhs 10 (1.0 at
# 0.2:5) = 2.0 = 8 at 0.25. t = 0.4; a = MBQM(10 << 20, QM(1/4)) =
# 2621440, b = MBQM(5 << 20, QM(1/2)) = 2621440; MBQM(5242880, QM(0.4 /
# 2^18)) = 8.
check("add fixed", intref.add([7], [10], (0.1, -3), (0.2, 5), (0.25, 0), (-128, 127)), [8])
check("add float", intref.add([7], [10], (0.1, -3), (0.2, 5), (0.25, 0), (-128, 127), "float"), [8])
# qnn.mul: (3 - 1)(4 - 2) * 0.5 * 0.25 / 0.125 = 4, plus zero point 10.
check("mul fixed", intref.mul([3], [4], (0.5, 1), (0.25, 2), (0.125, 10), (0, 255)), [14])

# Contractions.
check("matmul zero points",
      intref.matmul([[1, 2]], [[3, 4], [5, 6]], 1, np.array([1, 2]), np.array([10, 20])), [[0 * 2 + 1 * 4 + 10,
                                                                                             0 * 2 + 1 * 4 + 20]])
# A 1x3x3x1 image, 2x2 filter of ones, padding 1 with zero point 5: the
# corner window sees three padded 5s (0 after centring) and x[0,0] - 5.
x = np.arange(9).reshape(1, 3, 3, 1) + 5
conv = intref.conv2d(x, np.ones((2, 2, 1, 1), dtype=np.int64), 5, 0, padding=(1, 0, 1, 0))
check("conv2d padding is the zero point", conv[0, :, :, 0], [[0, 1, 3], [3, 8, 12], [9, 20, 24]])
conv_nchw = intref.conv2d(x.transpose(0, 3, 1, 2), np.ones((1, 1, 2, 2), dtype=np.int64), 5, 0,
                          padding=(1, 0, 1, 0), data_format="nchw")
check("conv2d nchw", conv_nchw[0, 0], [[0, 1, 3], [3, 8, 12], [9, 20, 24]])
# Depthwise (groups 2): each channel with its own filter.
x2 = np.stack([np.ones((2, 2)), 2 * np.ones((2, 2))], axis=-1)[None].astype(np.int64)
w2 = np.stack([np.ones((2, 2)), 10 * np.ones((2, 2))], axis=-1)[:, :, None, :].astype(np.int64)
check("conv2d depthwise", intref.conv2d(x2, w2, 0, 0, groups=2)[0, 0, 0], [4, 80])

# Pooling: windows [1, 2, 3, 4] (mean 2.5 -> 3) and [-1, -2, -3, -4]
# (-2.5 -> -3); max ignores padding of negative images.
img = np.array([1, 2, 3, 4]).reshape(1, 2, 2, 1)
check("avg_pool tie up", intref.avg_pool2d(img, (2, 2), 0, -128, 127)[0, 0, 0, 0], 3)
check("avg_pool tie down", intref.avg_pool2d(-img, (2, 2), 0, -128, 127)[0, 0, 0, 0], -3)
# Padding 1 on top: the first window is [pad, pad, 1, 2]: mean 1.5 -> 2
# counting 2 elements, (1 + 2 + 2 * 7) / 4 = 4.25 -> 4 counting the zero
# point 7.
check("avg_pool padding excluded", intref.avg_pool2d(img, (2, 2), 7, -128, 127, padding=(1, 0, 0, 0))[0, 0, 0, 0], 2)
check("avg_pool padding counted",
      intref.avg_pool2d(img, (2, 2), 7, -128, 127, padding=(1, 0, 0, 0), count_include_pad=True)[0, 0, 0, 0], 4)
check("max_pool padding never wins",
      intref.max_pool2d(-img, (2, 2), padding=(1, 1, 1, 1))[0, :, :, 0], [[-1, -1, -2], [-1, -1, -2],
                                                                          [-3, -3, -4]])
check("pad", intref.pad(np.array([[1]]), [1, 0], [0, 1], 9), [[9, 9], [1, 9]])

if failures:
    raise SystemExit(f"{len(failures)} check(s) failed")
