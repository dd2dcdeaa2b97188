//===- Statistics.h - Calibration statistics files --------------*- C++ -*-===//
//
// The JSON file that carries what calibration observed of every activation
// from `qnn-run --calibrate` to qnn-quantize:
//
//   {"format": "qnn-stats", "version": 1,
//    "values": {"<value name>": {"min": -1.5, "max": 6.0,
//                                "count": 23040, "non_finite": 0,
//                                "batches": 1,
//                                "moving_min": -1.5, "moving_max": 6.0,
//                                "histogram": {"min": -1.5, "max": 6.0,
//                                              "counts": [3, 0, 12]}}}}
//
// Value names are those of `ValueNamer`. Only min and max are required (a
// file written by hand or by an older tool); the other fields are the rest
// of `quantmath::ActivationStatistics`, which qnn-run writes in full and
// which read back into it. Bounds may be written as numbers or, for values
// calibration could not bound, as the strings (or Python's bare tokens) NaN,
// Infinity and -Infinity; they are read as such so that the user of a range
// can say what is wrong with it. docs/Runner.md describes the format.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_STATISTICS_H
#define QNN_DIALECT_QNN_TRANSFORMS_STATISTICS_H

#include "qnn/Quant/Calibration.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>

namespace qnn {

/// What calibration observed of one value.
struct ValueStatistics {
  /// The range as the file gives it, in double, so that a bound beyond the
  /// f32 range is reported as such rather than as an infinity.
  double min = 0.0;
  double max = 0.0;
  /// Everything calibration records (`quantmath::accumulate`); its min and
  /// max are the bounds above rounded to float.
  quantmath::ActivationStatistics activation;
  /// Whether the entry has the counts (`count`, `non_finite`, `batches`),
  /// as qnn-run writes it. An entry with only min and max (and perhaps a
  /// histogram) has none; its `activation` counts are 0.
  bool hasCounts = false;

  /// The entry of a value calibration accumulated.
  static ValueStatistics
  fromActivation(const quantmath::ActivationStatistics &activation);

  /// What makes [min, max] unusable as an f32 quantization range (a NaN or
  /// infinite bound, one beyond the f32 range, min > max, no finite element
  /// observed), completing "statistics of value 'x' have ...", or nullopt
  /// when it is usable.
  std::optional<std::string> findRangeProblem() const;
};

/// A bound as diagnostics and statistics files print it: up to 9
/// significant digits (enough to tell f32 values apart), NaN, Infinity,
/// -Infinity.
std::string formatBound(double value);

/// A statistics file: parsed, built by calibration, merged, written.
class Statistics {
public:
  static constexpr llvm::StringLiteral kFormat = "qnn-stats";
  static constexpr int64_t kVersion = 1;

  /// Parses the text of a statistics file. The error names what is wrong
  /// and where (`values."fc1".min must be a number`).
  static llvm::Expected<Statistics> parse(llvm::StringRef text);
  /// Reads and parses a file; the error also names the file.
  static llvm::Expected<Statistics> readFile(llvm::StringRef path);

  /// The statistics of the value named `name`, or null.
  const ValueStatistics *lookup(llvm::StringRef name) const;
  const llvm::StringMap<ValueStatistics> &getValues() const { return values; }
  /// Sets the entry of `name`.
  void set(llvm::StringRef name, ValueStatistics statistics);

  /// Adds the statistics of another run over other data (sharded
  /// calibration): for each value, `quantmath::merge` of the two records
  /// (exact for min, max and counts). Entries without counts merge to the
  /// union of their ranges, without counts. Fails, naming the value, when
  /// the two do not describe the same values the same way: a value in one
  /// but not the other, a histogram on one side only, histograms with
  /// different numbers of bins.
  llvm::Error merge(const Statistics &other);

  /// Writes the file: values sorted by name, fields in a fixed order,
  /// floats with 9 significant digits (exact for f32), so that the same
  /// statistics always give the same bytes.
  void print(llvm::raw_ostream &os) const;
  llvm::Error writeFile(llvm::StringRef path) const;

private:
  llvm::StringMap<ValueStatistics> values;
};

} // namespace qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_STATISTICS_H
