//===- QNNAttrs.cpp - Attributes of the qnn dialect -----------------------===//

#include "qnn/Dialect/QNN/IR/QNNAttrs.h"
#include "qnn/Dialect/QNN/IR/QNNDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace qnn;

#include "qnn/Dialect/QNN/IR/QNNEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "qnn/Dialect/QNN/IR/QNNAttrs.cpp.inc"

void QNNDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qnn/Dialect/QNN/IR/QNNAttrs.cpp.inc"
      >();
}

namespace qnn {

quantmath::RoundingMode toMathRounding(RoundingMode mode) {
  switch (mode) {
  case RoundingMode::HalfToEven:
    return quantmath::RoundingMode::HalfToEven;
  case RoundingMode::HalfAwayFromZero:
    return quantmath::RoundingMode::HalfAwayFromZero;
  }
  llvm_unreachable("unknown rounding mode");
}

RoundingMode fromMathRounding(quantmath::RoundingMode mode) {
  switch (mode) {
  case quantmath::RoundingMode::HalfToEven:
    return RoundingMode::HalfToEven;
  case quantmath::RoundingMode::HalfAwayFromZero:
    return RoundingMode::HalfAwayFromZero;
  }
  llvm_unreachable("unknown rounding mode");
}

CompatModeAttr getCompatModeAttr(MLIRContext *context,
                                 quantmath::CompatMode mode) {
  switch (mode) {
  case quantmath::CompatMode::None:
    return nullptr;
  case quantmath::CompatMode::PyTorch:
    return CompatModeAttr::get(context, CompatMode::PyTorch);
  case quantmath::CompatMode::OnnxRuntime:
    return CompatModeAttr::get(context, CompatMode::OnnxRuntime);
  case quantmath::CompatMode::TFLite:
    return CompatModeAttr::get(context, CompatMode::TFLite);
  }
  llvm_unreachable("unknown compat mode");
}

quantmath::CompatMode toMathCompat(CompatMode mode) {
  switch (mode) {
  case CompatMode::PyTorch:
    return quantmath::CompatMode::PyTorch;
  case CompatMode::OnnxRuntime:
    return quantmath::CompatMode::OnnxRuntime;
  case CompatMode::TFLite:
    return quantmath::CompatMode::TFLite;
  }
  llvm_unreachable("unknown compat mode");
}

CalibrationAttr
getCalibrationAttr(MLIRContext *context,
                   const quantmath::CalibrationOptions &options) {
  switch (options.method) {
  case quantmath::CalibrationMethod::MinMax:
    return CalibrationAttr::get(context, CalibrationMethod::MinMax);
  case quantmath::CalibrationMethod::MovingAverage:
    return CalibrationAttr::get(context, CalibrationMethod::MovingAverage);
  case quantmath::CalibrationMethod::Percentile:
    return CalibrationAttr::get(context, CalibrationMethod::Percentile,
                                options.percentile);
  case quantmath::CalibrationMethod::MSE:
    return CalibrationAttr::get(context, CalibrationMethod::MSE);
  case quantmath::CalibrationMethod::Entropy:
    return CalibrationAttr::get(context, CalibrationMethod::Entropy);
  }
  llvm_unreachable("unknown calibration method");
}

ErrorStatsAttr getErrorStatsAttr(MLIRContext *context,
                                 const quantmath::ErrorStats &stats) {
  return ErrorStatsAttr::get(context, stats.maxAbs, stats.meanAbs, stats.mse,
                             stats.sqnrDb);
}

} // namespace qnn

//===----------------------------------------------------------------------===//
// ErrorStatsAttr
//===----------------------------------------------------------------------===//

/// Statistics are printed as float literals, and infinities (a lossless
/// tensor's SQNR) as the keyword `inf`, which float literals cannot spell.
static void printStatistic(AsmPrinter &printer, double value) {
  if (std::isinf(value)) {
    printer << (value < 0 ? "-inf" : "inf");
    return;
  }
  printer.printFloat(llvm::APFloat(value));
}

static ParseResult parseStatistic(AsmParser &parser, double &value) {
  bool negative = succeeded(parser.parseOptionalMinus());
  if (succeeded(parser.parseOptionalKeyword("inf"))) {
    value = std::numeric_limits<double>::infinity();
  } else if (parser.parseFloat(value)) {
    return failure();
  }
  if (negative)
    value = -value;
  return success();
}

Attribute ErrorStatsAttr::parse(AsmParser &parser, Type) {
  double values[4];
  const char *names[] = {"max_abs", "mean_abs", "mse", "sqnr_db"};
  if (parser.parseLess())
    return {};
  for (int i = 0; i < 4; ++i) {
    if ((i > 0 && parser.parseComma()) || parser.parseKeyword(names[i]) ||
        parser.parseEqual() || parseStatistic(parser, values[i]))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<ErrorStatsAttr>(
      parser.getContext(), APFloat(values[0]), APFloat(values[1]),
      APFloat(values[2]), APFloat(values[3]));
}

void ErrorStatsAttr::print(AsmPrinter &printer) const {
  quantmath::ErrorStats stats = getStats();
  printer << "<max_abs = ";
  printStatistic(printer, stats.maxAbs);
  printer << ", mean_abs = ";
  printStatistic(printer, stats.meanAbs);
  printer << ", mse = ";
  printStatistic(printer, stats.mse);
  printer << ", sqnr_db = ";
  printStatistic(printer, stats.sqnrDb);
  printer << ">";
}

quantmath::ErrorStats ErrorStatsAttr::getStats() const {
  quantmath::ErrorStats stats;
  stats.maxAbs = getMaxAbs().convertToDouble();
  stats.meanAbs = getMeanAbs().convertToDouble();
  stats.mse = getMse().convertToDouble();
  stats.sqnrDb = getSqnrDb().convertToDouble();
  return stats;
}

LogicalResult
ErrorStatsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       APFloat maxAbsValue, APFloat meanAbsValue,
                       APFloat mseValue, APFloat sqnrDbValue) {
  double maxAbs = maxAbsValue.convertToDouble();
  double meanAbs = meanAbsValue.convertToDouble();
  double mse = mseValue.convertToDouble();
  double sqnrDb = sqnrDbValue.convertToDouble();
  for (double magnitude : {maxAbs, meanAbs, mse})
    if (!(magnitude >= 0.0) || std::isinf(magnitude))
      return emitError() << "error magnitudes must be finite and "
                            "non-negative, got "
                         << magnitude;
  if (std::isnan(sqnrDb))
    return emitError() << "sqnr_db must not be NaN";
  if (meanAbs > maxAbs)
    return emitError() << "mean_abs " << meanAbs << " exceeds max_abs "
                       << maxAbs;
  return success();
}

//===----------------------------------------------------------------------===//
// CalibrationAttr
//===----------------------------------------------------------------------===//

/// `<minmax>`, `<percentile = 99.99>`.
Attribute CalibrationAttr::parse(AsmParser &parser, Type) {
  llvm::SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<CalibrationMethod> method = symbolizeCalibrationMethod(keyword);
  if (!method) {
    parser.emitError(loc, "unknown calibration method '") << keyword << "'";
    return {};
  }
  std::optional<APFloat> percentile;
  if (succeeded(parser.parseOptionalEqual())) {
    double value;
    if (parser.parseFloat(value))
      return {};
    percentile = APFloat(value);
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<CalibrationAttr>(parser.getContext(), *method,
                                            percentile);
}

void CalibrationAttr::print(AsmPrinter &printer) const {
  printer << "<" << stringifyCalibrationMethod(getMethod());
  if (std::optional<APFloat> percentile = getPercentile()) {
    printer << " = ";
    printer.printFloat(*percentile);
  }
  printer << ">";
}

std::optional<double> CalibrationAttr::getPercentileValue() const {
  if (std::optional<APFloat> percentile = getPercentile())
    return percentile->convertToDouble();
  return std::nullopt;
}

LogicalResult
CalibrationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        CalibrationMethod method,
                        std::optional<APFloat> percentileValue) {
  std::optional<double> percentile;
  if (percentileValue)
    percentile = percentileValue->convertToDouble();
  if (method != CalibrationMethod::Percentile) {
    if (percentile)
      return emitError() << "only the percentile method takes a percentile";
    return success();
  }
  if (!percentile)
    return emitError() << "the percentile method needs its percentile "
                          "(`percentile = p`)";
  if (!(*percentile > 0.0 && *percentile <= 100.0))
    return emitError() << "percentile must be in (0, 100], got " << *percentile;
  return success();
}
