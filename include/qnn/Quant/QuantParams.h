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

/// Everything needed to choose parameters and to quantize.
struct QuantSpec {
  Scheme scheme = Scheme::Symmetric;
  IntegerStorage storage = IntegerStorage::int8(/*narrow=*/true);
  RoundingMode rounding = RoundingMode::HalfToEven;
};

/// One (scale, zeroPoint) pair: real = scale * (q - zeroPoint).
struct QuantParams {
  float scale = 1.0f;
  int64_t zeroPoint = 0;
};

/// The scale given to a slice whose range is empty (all zeros): any finite
/// positive scale represents it exactly, and 1.0 is the seed's choice.
inline constexpr float kZeroRangeScale = 1.0f;

/// Chooses parameters for values in [min, max]. Preconditions: both finite,
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
///   it does not, and the zero point is kept.
QuantParams chooseQuantParams(float min, float max, const QuantSpec &spec);

/// q = saturate(round(x / scale) + zeroPoint). NaN quantizes to zeroPoint.
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
