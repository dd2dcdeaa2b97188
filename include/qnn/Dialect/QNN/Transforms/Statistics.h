//===- Statistics.h - Calibration statistics files --------------*- C++ -*-===//
//
// The JSON file that carries the observed range of every activation from
// calibration to qnn-quantize:
//
//   {"format": "qnn-stats", "version": 1,
//    "values": {"<value name>": {"min": -1.5, "max": 6.0,
//                                "histogram": {"min": -1.5, "max": 6.0,
//                                              "counts": [3, 0, 12]}}}}
//
// Value names are those of `ValueNamer`. The histogram is optional. Bounds
// may be written as numbers or, for values calibration could not bound, as
// the strings (or Python's bare tokens) NaN, Infinity and -Infinity; they are
// read as such so that the user of a range can say what is wrong with it.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_STATISTICS_H
#define QNN_DIALECT_QNN_TRANSFORMS_STATISTICS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qnn {

/// Counts of values in equal-width bins over [min, max].
struct Histogram {
  double min = 0.0;
  double max = 0.0;
  std::vector<int64_t> counts;
};

/// What calibration observed of one value.
struct ValueStatistics {
  double min = 0.0;
  double max = 0.0;
  std::optional<Histogram> histogram;

  /// What makes [min, max] unusable as an f32 quantization range (a NaN or
  /// infinite bound, one beyond the f32 range, min > max), or nullopt when it
  /// is usable.
  std::optional<std::string> findRangeProblem() const;
};

/// A bound as diagnostics print it: up to 9 significant digits (enough to
/// tell f32 values apart), NaN, Infinity, -Infinity.
std::string formatBound(double value);

/// A parsed statistics file.
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

private:
  llvm::StringMap<ValueStatistics> values;
};

} // namespace qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_STATISTICS_H
