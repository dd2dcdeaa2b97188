//===- Accumulator.h - The int32 accumulator of products --------*- C++ -*-===//
//
// Integer matmuls and convolutions sum products in int32 on the scale
// s_in * s_w. A real bias joins that sum once it is an integer on the same
// scale, and a rewrite that moves terms into or out of the sum must show that
// no partial sum can leave int32.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_QUANT_ACCUMULATOR_H
#define QNN_QUANT_ACCUMULATOR_H

#include "qnn/Quant/Rounding.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace qnn::quantmath {

/// A real put on the int32 grid of an accumulator.
struct AccumulatorValue {
  int32_t value = 0;
  /// False when the integer does not stand for the real: the quotient was
  /// saturated to int32, or the real was NaN (value 0) or infinite.
  bool exact = true;
};

/// q = saturate_int32(round(x / scale)) with `rounding`, the quotient taken
/// in double (one rounding): an int32 has 31 bits, so a float32 quotient
/// (24 bits) would already be rounded for large values. `scale` is an
/// accumulator's s_in * s_w, which double holds exactly; it must be
/// positive and finite. NaN gives 0, as quantize does.
AccumulatorValue quantizeToAccumulator(double x, double scale,
                                       RoundingMode rounding);

/// The interval holding every partial sum, in any order, of an int32
/// dot product `bias + sum_k a_k * w_k`.
struct AccumulatorRange {
  int64_t min = 0;
  int64_t max = 0;

  /// Whether no partial sum can leave int32.
  bool fitsInt32() const;
};

/// The range of `bias + sum_k a_k * weights[k]` over every input a_k in
/// [inputMin, inputMax]: min is the bias (if negative) plus every term's
/// most negative value (if negative), max likewise, so that it bounds every
/// partial sum whatever the summation order. Precondition: inputMin <=
/// inputMax. Sums past int64 saturate (they do not fit int32 either).
AccumulatorRange dotProductRange(llvm::ArrayRef<int64_t> weights,
                                 int64_t inputMin, int64_t inputMax,
                                 int64_t bias);

/// The same for `terms` products of unknown weights in [weightMin,
/// weightMax].
AccumulatorRange dotProductRange(int64_t terms, int64_t inputMin,
                                 int64_t inputMax, int64_t weightMin,
                                 int64_t weightMax, int64_t bias);

} // namespace qnn::quantmath

#endif // QNN_QUANT_ACCUMULATOR_H
