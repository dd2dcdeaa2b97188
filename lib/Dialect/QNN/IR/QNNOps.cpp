//===- QNNOps.cpp - Operations of the qnn dialect -------------------------===//

#include "qnn/Dialect/QNN/IR/QNNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace qnn;

#define GET_OP_CLASSES
#include "qnn/Dialect/QNN/IR/QNNOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared verification
//===----------------------------------------------------------------------===//

LogicalResult
qnn::verifyQuantizedTypeFitsShape(function_ref<InFlightDiagnostic()> emitError,
                                  quant::QuantizedType type,
                                  ArrayRef<int64_t> shape) {
  auto rank = static_cast<int64_t>(shape.size());
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    int64_t axis = perAxis.getQuantizedDimension();
    if (axis >= rank)
      return emitError() << "quantized dimension " << axis
                         << " is out of range for a tensor of rank " << rank;
    auto numScales = static_cast<int64_t>(perAxis.getScales().size());
    if (!ShapedType::isDynamic(shape[axis]) && shape[axis] != numScales)
      return emitError() << "dimension " << axis << " has extent "
                         << shape[axis] << " but the type has " << numScales
                         << " scales";
    return success();
  }
  if (auto subChannel = dyn_cast<quant::UniformQuantizedSubChannelType>(type)) {
    ArrayRef<int64_t> gridShape = subChannel.getScales().getType().getShape();
    if (static_cast<int64_t>(gridShape.size()) != rank)
      return emitError() << "scale grid of rank " << gridShape.size()
                         << " does not match a tensor of rank " << rank;
    SmallVector<int64_t> blocks(shape);
    for (auto [dim, block] : subChannel.getBlockSizeInfo()) {
      if (dim >= rank)
        return emitError() << "block dimension " << dim
                           << " is out of range for a tensor of rank " << rank;
      blocks[dim] = block;
    }
    for (int64_t d = 0; d < rank; ++d) {
      if (ShapedType::isDynamic(shape[d]))
        continue;
      if (blocks[d] <= 0 || shape[d] % blocks[d] != 0)
        return emitError() << "block size " << blocks[d]
                           << " does not divide dimension " << d
                           << " of extent " << shape[d];
      if (gridShape[d] != shape[d] / blocks[d])
        return emitError() << "scale grid extent " << gridShape[d]
                           << " along dimension " << d << " should be "
                           << shape[d] / blocks[d];
    }
    return success();
  }
  if (isa<quant::UniformQuantizedType>(type))
    return success();
  return emitError() << "expected a uniform quantized element type, got "
                     << type;
}

/// What the `compat` mark of a quantized tensor promises that its type can
/// show: ONNX Runtime's integer ranges, TFLite's zero zero points per
/// channel.
static LogicalResult
verifyCompatMode(function_ref<InFlightDiagnostic()> emitError,
                 CompatModeAttr compat, quant::QuantizedType type) {
  if (!compat)
    return success();
  int64_t min = type.getStorageTypeMin(), max = type.getStorageTypeMax();
  if (compat.getValue() == CompatMode::OnnxRuntime) {
    quantmath::QuantSpec spec;
    spec.compat = quantmath::CompatMode::OnnxRuntime;
    spec.storage.bits = type.getStorageTypeIntegralWidth();
    spec.storage.isSigned = type.isSigned();
    if (std::optional<std::string> problem = quantmath::findSpecProblem(spec))
      return emitError() << "is marked #qnn.compat<onnxruntime>, but "
                         << *problem;
    SmallVector<std::pair<int64_t, int64_t>> ranges;
    for (quantmath::Scheme scheme :
         {quantmath::Scheme::Asymmetric, quantmath::Scheme::Symmetric})
      for (bool reduceRange : {false, true}) {
        spec.scheme = scheme;
        spec.reduceRange = reduceRange;
        ranges.emplace_back(spec.minValue(), spec.maxValue());
      }
    if (!llvm::is_contained(ranges, std::make_pair(min, max)))
      return emitError() << "is marked #qnn.compat<onnxruntime>, but [" << min
                         << ", " << max
                         << "] is not one of ONNX Runtime's integer ranges "
                            "for this storage type";
  }
  if (compat.getValue() == CompatMode::TFLite) {
    auto hasNonZero = [](auto &&zeroPoints) {
      return llvm::any_of(zeroPoints, [](auto zp) { return zp != 0; });
    };
    bool perChannelOffsets = false;
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
      perChannelOffsets = hasNonZero(perAxis.getZeroPoints());
    if (auto subChannel = dyn_cast<quant::UniformQuantizedSubChannelType>(type))
      perChannelOffsets =
          llvm::any_of(subChannel.getZeroPoints().getValues<APInt>(),
                       [](const APInt &zp) { return !zp.isZero(); });
    if (perChannelOffsets)
      return emitError() << "is marked #qnn.compat<tflite>, but TFLite "
                            "quantizes per channel symmetrically (zero "
                            "points 0)";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

quant::QuantizedType ConstantOp::getQuantizedElementType() {
  return cast<quant::QuantizedType>(getType().getElementType());
}

LogicalResult ConstantOp::verify() {
  auto storage = dyn_cast<DenseIntElementsAttr>(getValue());
  if (!storage)
    return emitOpError("value must be a dense integer elements attribute");
  auto valueType = cast<ShapedType>(storage.getType());
  RankedTensorType resultType = getType();
  if (valueType.getShape() != resultType.getShape())
    return emitOpError("value shape [")
           << valueType.getShape() << "] does not match result shape ["
           << resultType.getShape() << "]";

  quant::QuantizedType quantType = getQuantizedElementType();
  auto valueElement = dyn_cast<IntegerType>(valueType.getElementType());
  if (!valueElement)
    return emitOpError("value element type ")
           << valueType.getElementType() << " is not an integer type";
  bool unsignedSpelling =
      valueElement.isUnsigned() && !quantType.isSigned() &&
      valueElement.getWidth() == quantType.getStorageTypeIntegralWidth();
  if (valueElement != quantType.getStorageType() && !unsignedSpelling)
    return emitOpError("value element type ")
           << valueElement << " is not the storage type "
           << quantType.getStorageType() << " of " << quantType;
  if (failed(verifyQuantizedTypeFitsShape([&] { return emitOpError(); },
                                          quantType, resultType.getShape())) ||
      failed(verifyCompatMode([&] { return emitOpError(); }, getCompatAttr(),
                              quantType)))
    return failure();

  int64_t min = quantType.getStorageTypeMin();
  int64_t max = quantType.getStorageTypeMax();
  bool isSigned = quantType.isSigned();
  int64_t index = 0;
  for (const APInt &stored : storage.getValues<APInt>()) {
    int64_t value = isSigned ? stored.getSExtValue()
                             : static_cast<int64_t>(stored.getZExtValue());
    if (value < min || value > max)
      return emitOpError("stored value ")
             << value << " at flat index " << index
             << " is outside the storage range [" << min << ", " << max << "]";
    if (storage.isSplat())
      break;
    ++index;
  }
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

DenseIntElementsAttr ConstantOp::getSignlessStorageValues() {
  DenseIntElementsAttr values = getStorageValues();
  Type storageType = getQuantizedElementType().getStorageType();
  if (values.getElementType() == storageType)
    return values;
  return cast<DenseIntElementsAttr>(values.bitcast(storageType));
}

//===----------------------------------------------------------------------===//
// QuantizeOp
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  auto quantType = cast<quant::QuantizedType>(getType().getElementType());
  Type inputElement = getInput().getType().getElementType();
  if (inputElement != quantType.getExpressedType())
    return emitOpError("input element type ")
           << inputElement << " does not match the expressed type "
           << quantType.getExpressedType() << " of the result";
  if (getCalibrationAttr() && !isa<quant::UniformQuantizedType>(quantType))
    return emitOpError("has a calibration method, but its result is not "
                       "quantized per tensor (calibration chooses one range "
                       "per activation)");
  if (failed(verifyCompatMode([&] { return emitOpError(); }, getCompatAttr(),
                              quantType)))
    return failure();
  return verifyQuantizedTypeFitsShape([&] { return emitOpError(); }, quantType,
                                      getType().getShape());
}
