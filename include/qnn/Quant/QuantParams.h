//===- QuantParams.h - Scales and zero points from value ranges -*- C++ -*-===//
//
// The affine map real = scale * (q - zeroPoint) and how its parameters are
// chosen from an observed range. Everything here follows the numeric contract
// of docs/Numerics.md; the formulas live only in this library, and test/unit
// checks them against numpy.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_QUANT_QUANTPARAMS_H
#define QNN_QUANT_QUANTPARAMS_H

#include "qnn/Quant/Rounding.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace qnn::quantmath {

/// The integer type quantized values are stored in.
struct IntegerStorage {
  unsigned bits = 8;
  bool isSigned = true;
  /// Drop the most negative value of a signed type ([-127, 127] for int8) so
  /// that the range is symmetric around zero, as TFLite and GNMT do.
  bool narrowRange = false;

  int64_t minValue() const;
  int64_t maxValue() const;
  /// Whether `bits` is one the library supports (2 to 16).
  bool isValid() const;

  static IntegerStorage int8(bool narrow = false) { return {8, true, narrow}; }
  static IntegerStorage uint8() { return {8, false, false}; }
};

/// How the real range maps onto the integer range.
enum class Scheme {
  /// zeroPoint = 0; the largest magnitude maps to the largest positive
  /// integer. With unsigned storage this is the seed's "symmetric unsigned"
  /// (scale = max / 255) for non-negative data.
  Symmetric,
  /// min and max map to the ends of the integer range; zeroPoint shifts the
  /// range so that real 0.0 is exactly representable.
  Asymmetric,
};

llvm::StringRef stringifyScheme(Scheme scheme);
std::optional<Scheme> symbolizeScheme(llvm::StringRef name);

/// Whose rules choose the parameters. `None` is qnn-mlir's own contract
/// (docs/Numerics.md); the others reproduce another tool's scales and zero
/// points bit for bit, arithmetic and quirks included, so that a model
/// quantized here matches one quantized there:
///
/// - `PyTorch`: torch.ao.quantization's `_calculate_qparams` (MinMaxObserver,
///   PerChannelMinMaxObserver, HistogramObserver), all in float32:
///   symmetric scale = max(absmax / ((qmax - qmin) / 2), eps), zero point 0
///   for signed storage and 128 for uint8 ((qmin + qmax) / 2, rounded down,
///   for other ranges); affine scale = max((max' - min') / (qmax - qmin),
///   eps) over [min', max'] = [min(min, 0), max(max, 0)], zero point
///   clamp(qmin - round_half_even(min' / scale)); eps = FLT_EPSILON.
/// - `OnnxRuntime`: onnxruntime.quantization's `compute_scale_zp` with the
///   ranges of `get_qmin_qmax_for_qType`: [min', max'] as above (made
///   [-absmax, absmax] when symmetric); scale = float32(double(max' - min')
///   / (qmax - qmin)), where max' - min' is a float32 difference; zero point
///   round_half_even((qmin + qmax) / 2) when symmetric, else
///   round_half_even(qmin - min' / scale) with the double scale; a scale
///   below FLT_MIN becomes 1.0 with zero point 0.
/// - `TFLite`: symmetric scale = absmax / qmax in float32, zero point 0 (the
///   converter's weights); asymmetric: [min', max'] as above, then
///   TensorFlow FakeQuant's `Nudge`: scale = (max' - min') / (qmax - qmin)
///   and zero point qmin - min' / scale in float32, clamped to [qmin, qmax]
///   and otherwise rounded half away from zero.
///
/// Where a peer's result cannot be written in a `!quant.uniform` type (an
/// infinite scale when max' - min' overflows float32, TFLite's 0 for an
/// all-zero range), the mode falls back to qnn-mlir's rule for that range.
enum class CompatMode { None, PyTorch, OnnxRuntime, TFLite };

/// `none`, `pytorch`, `onnxruntime`, `tflite`.
llvm::StringRef stringifyCompatMode(CompatMode mode);
std::optional<CompatMode> symbolizeCompatMode(llvm::StringRef name);

/// Everything needed to choose parameters and to quantize.
struct QuantSpec {
  Scheme scheme = Scheme::Symmetric;
  IntegerStorage storage = IntegerStorage::int8(/*narrow=*/true);
  RoundingMode rounding = RoundingMode::HalfToEven;
  /// Whose rules choose scale and zero point. The rounding of values
  /// (`rounding`) is separate: TFLite's kernels round half away from zero.
  CompatMode compat = CompatMode::None;
  /// Use one bit less of the storage (PyTorch's and ONNX Runtime's
  /// `reduce_range`, which keeps int8 x int8 sums clear of the int16
  /// saturation of `vpmaddubsw` on x86 without VNNI).
  bool reduceRange = false;

  /// The integers that parameters are chosen for and values saturate to.
  /// Without `reduceRange`, the storage range, except that `OnnxRuntime`
  /// always uses its own table (`get_qmin_qmax_for_qType`: symmetric int8
  /// [-127, 127] and uint8 [0, 254], otherwise the full range). With it:
  ///
  /// | compat | signed | unsigned |
  /// |---|---|---|
  /// | none | one bit fewer: [-63, 63] narrow, [-64, 63] full (8-bit) | [0,
  /// 127] | | pytorch | [floor(qmin / 2), floor(qmax / 2)]: [-64, 63] | [0,
  /// 127] | | onnxruntime | [-64, 64] (int4 [-4, 3], int16 [-16384, 16384]) |
  /// [0, 127] |
  int64_t minValue() const;
  int64_t maxValue() const;
};

/// What the passes' `range=auto` means for signed storage: the narrow range
/// for `None` (the GNMT scheme) and for symmetric `TFLite` and `OnnxRuntime`,
/// the full range otherwise (PyTorch's qint8, asymmetric TFLite).
bool defaultNarrowRange(CompatMode compat, Scheme scheme);

/// What a spec asks for that its compat mode does not offer, or nullopt:
/// `OnnxRuntime` knows 4-, 8- and 16-bit storage; `TFLite` has no reduced
/// range; torch.ao refuses symmetric unsigned storage with `reduceRange`.
std::optional<std::string> findSpecProblem(const QuantSpec &spec);

/// One (scale, zeroPoint) pair: real = scale * (q - zeroPoint).
struct QuantParams {
  float scale = 1.0f;
  int64_t zeroPoint = 0;
};

/// The scale given to a slice whose range is empty (all zeros): any finite
/// positive scale represents it exactly, and 1.0 is the seed's choice.
inline constexpr float kZeroRangeScale = 1.0f;

/// Chooses parameters for values in [min, max] with the rules of
/// `spec.compat` (see `CompatMode`; the contract's below) and the integer
/// range `spec.minValue()`..`spec.maxValue()`. Preconditions: both finite,
/// min <= max (use `ValueRange` to accumulate them).
///
/// - Symmetric: scale = extent / qmax in float, where extent is
///   max(|min|, |max|) for signed storage and max(max, 0) for unsigned;
///   zeroPoint = 0.
/// - Asymmetric: [min, max] is widened to include 0; scale is
///   (max - min) / (qmax - qmin) rounded once to float (the difference is
///   taken in double, where it cannot overflow); zeroPoint =
///   clamp(round(qmin - min / scale)) with the spec's rounding.
/// - An empty range (all zeros) gets `kZeroRangeScale` and zeroPoint 0 in
///   either scheme, so that its integers are all zero.
/// - A scale below FLT_MIN (subnormal ranges) becomes FLT_MIN: never a zero,
///   subnormal or non-finite scale.
/// - Every integer of the storage range dequantizes to a finite float: when
///   scale * (q - zeroPoint) would overflow at an end of the range (ranges
///   within a step of FLT_MAX), the scale becomes the largest float for which
///   it does not, and the zero point is kept. (The compat modes keep their
///   peer's finite scale there.)
QuantParams chooseQuantParams(float min, float max, const QuantSpec &spec);

/// q = saturate(round(x / scale) + zeroPoint) to [spec.minValue(),
/// spec.maxValue()]. NaN quantizes to zeroPoint (saturated).
int64_t quantizeValue(float x, QuantParams params, const QuantSpec &spec);

/// real = scale * (q - zeroPoint), computed in float as the lowering does.
float dequantizeValue(int64_t q, QuantParams params);

/// The seed's second way of writing a symmetric scale: the multiplier that
/// maps reals onto integers, qmax / absmax (1.0 for an all-zero slice, as in
/// the GNMT example). Computed directly, not as 1 / scale, so that it matches
/// the seed to the last digit. Where chooseQuantParams raises the scale to
/// FLT_MIN (absmax / qmax < FLT_MIN), this is 1 / FLT_MIN, finite where
/// qmax / absmax could overflow.
float inverseScale(float absMax, const IntegerStorage &storage);

/// Running min/max of a set of values; remembers whether any was non-finite.
class ValueRange {
public:
  void add(float x);
  bool empty() const { return count == 0; }
  bool allFinite() const { return nonFinite == 0; }
  float min() const { return lo; }
  float max() const { return hi; }
  float absMax() const;

private:
  float lo = 0.0f, hi = 0.0f;
  int64_t count = 0, nonFinite = 0;
};

} // namespace qnn::quantmath

#endif // QNN_QUANT_QUANTPARAMS_H
