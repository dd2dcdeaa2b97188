//===- Report.cpp - Report every quantized tensor -------------------------===//
//
// Reads what the quantizing passes left in the IR (the `!quant.uniform`
// types and the `#qnn.error` statistics) and prints it for people (a table)
// and for programs (JSON).
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"
#include "qnn/Dialect/QNN/Transforms/Passes.h"
#include "qnn/Dialect/QNN/Transforms/Statistics.h"
#include "qnn/Dialect/QNN/Transforms/ValueNames.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace qnn {
#define GEN_PASS_DEF_QNNREPORT
#include "qnn/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

/// What the report says about one quantized tensor.
struct TensorEntry {
  std::string name;
  std::string location;
  SmallVector<int64_t> shape;
  std::string storage;
  int64_t storageMin = 0, storageMax = 0;
  std::string scheme;
  std::string granularity;
  std::optional<int64_t> axis;
  SmallVector<int64_t> blockShape;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  ErrorStatsAttr error;
  /// Whose rules chose the parameters (`#qnn.compat`), "none" without a mark.
  std::string compat = "none";
  int64_t fp32Bytes = 0;
  int64_t quantizedBytes = 0;
};

/// What the report says about one activation quantized with calibrated
/// parameters (a `qnn.quantize` with a per-tensor result).
struct ActivationEntry {
  std::string name;
  std::string storage;
  int64_t storageMin = 0, storageMax = 0;
  double scale = 0.0;
  int64_t zeroPoint = 0;
  std::string compat = "none";
  /// The method that chose the range: "minmax" without a mark.
  std::string calibration = "minmax";
};

std::string locationToString(Location loc) {
  if (auto fileLoc = dyn_cast<FileLineColLoc>(loc))
    return llvm::formatv("{0}:{1}:{2}", fileLoc.getFilename(),
                         fileLoc.getLine(), fileLoc.getColumn());
  if (auto nameLoc = dyn_cast<NameLoc>(loc))
    return locationToString(nameLoc.getChildLoc());
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string text = locationToString(inner); !text.empty())
        return text;
  return "";
}

/// A NameLoc gives tensors their model names (`fc1.weight`); others get
/// the stable name of the constant (`model/qnn.constant#2`).
TensorEntry describe(ConstantOp op, ValueNamer &namer) {
  TensorEntry entry;
  entry.location = locationToString(op.getLoc());
  entry.name = namer.getName(op.getResult());
  RankedTensorType type = op.getType();
  entry.shape.assign(type.getShape().begin(), type.getShape().end());

  quant::QuantizedType quantType = op.getQuantizedElementType();
  unsigned bits = quantType.getStorageTypeIntegralWidth();
  entry.storage =
      llvm::formatv("{0}{1}", quantType.isSigned() ? "i" : "u", bits);
  entry.storageMin = quantType.getStorageTypeMin();
  entry.storageMax = quantType.getStorageTypeMax();

  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(quantType)) {
    entry.granularity = "per-tensor";
    entry.scales.push_back(perTensor.getScale());
    entry.zeroPoints.push_back(perTensor.getZeroPoint());
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(quantType)) {
    entry.granularity = "per-channel";
    entry.axis = perAxis.getQuantizedDimension();
    entry.scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    entry.zeroPoints.assign(perAxis.getZeroPoints().begin(),
                            perAxis.getZeroPoints().end());
  } else if (auto subChannel =
                 dyn_cast<quant::UniformQuantizedSubChannelType>(quantType)) {
    entry.granularity = "per-group";
    entry.blockShape = entry.shape;
    for (auto [dim, block] : subChannel.getBlockSizeInfo())
      entry.blockShape[dim] = block;
    for (APFloat scale : subChannel.getScales().getValues<APFloat>())
      entry.scales.push_back(scale.convertToDouble());
    for (APInt zeroPoint : subChannel.getZeroPoints().getValues<APInt>())
      entry.zeroPoints.push_back(quantType.isSigned()
                                     ? zeroPoint.getSExtValue()
                                     : zeroPoint.getZExtValue());
  }
  bool symmetric =
      llvm::all_of(entry.zeroPoints, [](int64_t zp) { return zp == 0; });
  entry.scheme = symmetric ? "symmetric" : "asymmetric";
  entry.error = op.getErrorAttr();
  if (CompatModeAttr compat = op.getCompatAttr())
    entry.compat = stringifyCompatMode(compat.getValue()).str();

  int64_t numElements = type.getNumElements();
  unsigned expressedBits = quantType.getExpressedType().getIntOrFloatBitWidth();
  entry.fp32Bytes = numElements * expressedBits / 8;
  // Integers, one f32 scale per block, and zero points only when some are
  // non-zero (a symmetric kernel never reads them).
  // A 32-bit tensor is an int32 bias on its contraction's accumulator grid:
  // its scales are the accumulator's, s_in * s_w, stored nowhere else.
  bool ownsScales = bits <= 16;
  entry.quantizedBytes =
      (numElements * bits + 7) / 8 +
      (ownsScales ? static_cast<int64_t>(entry.scales.size()) * 4 : 0) +
      (symmetric || !ownsScales ? 0 : (entry.zeroPoints.size() * bits + 7) / 8);
  return entry;
}

std::string formatStorage(quant::QuantizedType type) {
  return llvm::formatv("{0}{1}", type.isSigned() ? "i" : "u",
                       type.getStorageTypeIntegralWidth());
}

/// The activation named by its input's stable name (the key of the
/// statistics file), or nullopt for a per-channel result.
std::optional<ActivationEntry> describe(QuantizeOp op, ValueNamer &namer) {
  auto type = dyn_cast<quant::UniformQuantizedType>(
      cast<RankedTensorType>(op.getType()).getElementType());
  if (!type)
    return std::nullopt;
  ActivationEntry entry;
  entry.name = namer.getName(op.getInput());
  entry.storage = formatStorage(type);
  entry.storageMin = type.getStorageTypeMin();
  entry.storageMax = type.getStorageTypeMax();
  entry.scale = type.getScale();
  entry.zeroPoint = type.getZeroPoint();
  if (CompatModeAttr compat = op.getCompatAttr())
    entry.compat = stringifyCompatMode(compat.getValue()).str();
  if (CalibrationAttr calibration = op.getCalibrationAttr()) {
    entry.calibration =
        stringifyCalibrationMethod(calibration.getMethod()).str();
    if (std::optional<double> percentile = calibration.getPercentileValue())
      entry.calibration += (llvm::Twine("=") + formatBound(*percentile)).str();
  }
  return entry;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(shape, os, "x");
  return text;
}

std::string formatGranularity(const TensorEntry &entry) {
  if (entry.axis)
    return llvm::formatv("{0}:{1}", entry.granularity, *entry.axis);
  if (!entry.blockShape.empty())
    return llvm::formatv("{0}:{1}", entry.granularity,
                         formatShape(entry.blockShape));
  return entry.granularity;
}

std::string formatSqnr(double sqnr) {
  if (std::isinf(sqnr))
    return sqnr > 0 ? "inf" : "-inf";
  return llvm::formatv("{0:f2}", sqnr);
}

void printTable(ArrayRef<TensorEntry> entries, llvm::raw_ostream &os) {
  os << llvm::formatv("qnn-report: {0} quantized tensor{1}\n", entries.size(),
                      entries.size() == 1 ? "" : "s");
  const char *rowFormat =
      "{0,-20} {1,-12} {2,-7} {3,-10} {4,-16} {5,11} {6,11} {7,9} {8,10} "
      "{9,10}\n";
  os << llvm::formatv(rowFormat, "name", "shape", "storage", "scheme",
                      "granularity", "max|err|", "mean|err|", "SQNR(dB)",
                      "fp32(B)", "quant(B)");
  int64_t totalFloat = 0, totalQuantized = 0;
  for (const TensorEntry &entry : entries) {
    std::string maxAbs = "-", meanAbs = "-", sqnr = "-";
    if (entry.error) {
      maxAbs = llvm::formatv("{0:e3}", entry.error.getStats().maxAbs);
      meanAbs = llvm::formatv("{0:e3}", entry.error.getStats().meanAbs);
      sqnr = formatSqnr(entry.error.getStats().sqnrDb);
    }
    os << llvm::formatv(rowFormat, entry.name, formatShape(entry.shape),
                        entry.storage, entry.scheme, formatGranularity(entry),
                        maxAbs, meanAbs, sqnr, entry.fp32Bytes,
                        entry.quantizedBytes);
    totalFloat += entry.fp32Bytes;
    totalQuantized += entry.quantizedBytes;
  }
  double ratio = totalQuantized ? double(totalFloat) / totalQuantized : 0.0;
  os << llvm::formatv("total: {0} B fp32 -> {1} B quantized, {2} B saved "
                      "({3:f2}x smaller)\n",
                      totalFloat, totalQuantized, totalFloat - totalQuantized,
                      ratio);
  // Which rules chose the weights' parameters, when not qnn-mlir's own.
  llvm::StringMap<int64_t> compatCounts;
  for (const TensorEntry &entry : entries)
    if (entry.compat != "none")
      ++compatCounts[entry.compat];
  for (const auto &count : compatCounts)
    os << llvm::formatv("compat={0}: {1} of {2} tensors\n", count.getKey(),
                        count.getValue(), entries.size());
}

void printActivations(ArrayRef<ActivationEntry> entries,
                      llvm::raw_ostream &os) {
  if (entries.empty())
    return;
  os << llvm::formatv("qnn-report: {0} calibrated activation{1}\n",
                      entries.size(), entries.size() == 1 ? "" : "s");
  const char *rowFormat = "{0,-20} {1,-7} {2,-12} {3,14} {4,10} {5,-16} {6}\n";
  os << llvm::formatv(rowFormat, "name", "storage", "range", "scale",
                      "zero point", "calibration", "compat");
  for (const ActivationEntry &entry : entries)
    os << llvm::formatv(
        rowFormat, entry.name, entry.storage,
        llvm::formatv("[{0}, {1}]", entry.storageMin, entry.storageMax).str(),
        llvm::formatv("{0:e6}", entry.scale).str(), entry.zeroPoint,
        entry.calibration, entry.compat);
}

llvm::json::Value sqnrToJson(double sqnr) {
  if (std::isinf(sqnr))
    return sqnr > 0 ? "inf" : "-inf";
  return sqnr;
}

llvm::json::Value toJson(ArrayRef<TensorEntry> entries,
                         ArrayRef<ActivationEntry> activationEntries) {
  llvm::json::Array tensors;
  int64_t totalFloat = 0, totalQuantized = 0;
  for (const TensorEntry &entry : entries) {
    llvm::json::Object tensor{
        {"name", entry.name},
        {"location", entry.location},
        {"shape", llvm::json::Array(entry.shape)},
        {"storage", entry.storage},
        {"range", llvm::json::Array{entry.storageMin, entry.storageMax}},
        {"scheme", entry.scheme},
        {"granularity", entry.granularity},
        {"scales", llvm::json::Array(entry.scales)},
        {"zero_points", llvm::json::Array(entry.zeroPoints)},
        {"fp32_bytes", entry.fp32Bytes},
        {"quantized_bytes", entry.quantizedBytes},
    };
    if (entry.axis)
      tensor["axis"] = *entry.axis;
    if (!entry.blockShape.empty())
      tensor["block_shape"] = llvm::json::Array(entry.blockShape);
    if (entry.compat != "none")
      tensor["compat"] = entry.compat;
    if (entry.error)
      tensor["error"] = llvm::json::Object{
          {"max_abs", entry.error.getStats().maxAbs},
          {"mean_abs", entry.error.getStats().meanAbs},
          {"mse", entry.error.getStats().mse},
          {"sqnr_db", sqnrToJson(entry.error.getStats().sqnrDb)},
      };
    tensors.push_back(std::move(tensor));
    totalFloat += entry.fp32Bytes;
    totalQuantized += entry.quantizedBytes;
  }
  llvm::json::Object report{
      {"tensors", std::move(tensors)},
      {"total",
       llvm::json::Object{{"fp32_bytes", totalFloat},
                          {"quantized_bytes", totalQuantized},
                          {"saved_bytes", totalFloat - totalQuantized}}}};
  if (activationEntries.empty())
    return report;
  llvm::json::Array activations;
  for (const ActivationEntry &entry : activationEntries)
    activations.push_back(llvm::json::Object{
        {"name", entry.name},
        {"storage", entry.storage},
        {"range", llvm::json::Array{entry.storageMin, entry.storageMax}},
        {"scale", entry.scale},
        {"zero_point", entry.zeroPoint},
        {"calibration", entry.calibration},
        {"compat", entry.compat},
    });
  report["activations"] = std::move(activations);
  return report;
}

struct ReportPass : public qnn::impl::QNNReportBase<ReportPass> {
  using QNNReportBase::QNNReportBase;

  void runOnOperation() override {
    std::vector<TensorEntry> entries;
    std::vector<ActivationEntry> activations;
    ValueNamer namer;
    getOperation().walk([&](Operation *op) {
      if (auto constant = dyn_cast<ConstantOp>(op))
        entries.push_back(describe(constant, namer));
      // Statically quantized activations: qnn-quantize's qnn.quantize of a
      // value (dynamic mode quantizes with linalg.generic instead).
      if (auto quantize = dyn_cast<QuantizeOp>(op))
        if (std::optional<ActivationEntry> entry = describe(quantize, namer))
          activations.push_back(std::move(*entry));
    });
    if (table) {
      printTable(entries, llvm::outs());
      printActivations(activations, llvm::outs());
    }
    if (!output.empty()) {
      std::error_code error;
      llvm::raw_fd_ostream file(output, error, llvm::sys::fs::OF_Text);
      if (error) {
        getOperation().emitError("qnn-report: cannot write '")
            << output << "': " << error.message();
        return signalPassFailure();
      }
      file << llvm::formatv("{0:2}", toJson(entries, activations)) << "\n";
    }
    markAllAnalysesPreserved();
  }
};

} // namespace
