//===- Rounding.h - Rounding modes of float-to-integer steps ----*- C++ -*-===//
//
// The rounding rule is part of the numeric contract: every pass, lowering and
// reference names the one it uses.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_QUANT_ROUNDING_H
#define QNN_QUANT_ROUNDING_H

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace qnn::quantmath {

/// How a real value between two integers is rounded.
enum class RoundingMode {
  /// Ties go to the even neighbour (IEEE default; numpy, ONNX, PyTorch).
  HalfToEven,
  /// Ties go away from zero (C `round`; TFLite, gemmlowp).
  HalfAwayFromZero,
};

/// Rounds `x` to an integral float with `mode`. Non-finite inputs are
/// returned unchanged; callers saturate afterwards.
float roundToIntegral(float x, RoundingMode mode);
double roundToIntegral(double x, RoundingMode mode);

/// The spelling used in IR attributes, pass options and reports
/// (`half_to_even`, `half_away_from_zero`).
llvm::StringRef stringifyRoundingMode(RoundingMode mode);
std::optional<RoundingMode> symbolizeRoundingMode(llvm::StringRef name);

} // namespace qnn::quantmath

#endif // QNN_QUANT_ROUNDING_H
