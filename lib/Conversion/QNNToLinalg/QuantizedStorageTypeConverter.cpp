//===- QuantizedStorageTypeConverter.cpp - Quantized types to storage -----===//

#include "qnn/Conversion/QNNToLinalg/QNNToLinalg.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace qnn;

/// The storage type of the quantized types this lowering understands.
static std::optional<Type> getUniformStorageType(quant::QuantizedType type) {
  if (isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType,
          quant::UniformQuantizedSubChannelType>(type))
    return type.getStorageType();
  // A null type marks the conversion as failed: an op carrying it cannot be
  // legalized, which is reported.
  return Type();
}

QuantizedStorageTypeConverter::QuantizedStorageTypeConverter() {
  // Tried last: everything that is not quantized stays as it is.
  addConversion([](Type type) { return type; });
  addConversion([](quant::QuantizedType type) -> std::optional<Type> {
    return getUniformStorageType(type);
  });
  addConversion([](RankedTensorType type) -> std::optional<Type> {
    auto quantType = dyn_cast<quant::QuantizedType>(type.getElementType());
    if (!quantType)
      return type;
    std::optional<Type> storage = getUniformStorageType(quantType);
    if (!*storage)
      return Type();
    return RankedTensorType::get(type.getShape(), *storage);
  });
  addConversion([](UnrankedTensorType type) -> std::optional<Type> {
    auto quantType = dyn_cast<quant::QuantizedType>(type.getElementType());
    if (!quantType)
      return type;
    std::optional<Type> storage = getUniformStorageType(quantType);
    if (!*storage)
      return Type();
    return UnrankedTensorType::get(*storage);
  });
}

bool qnn::isQuantizedType(Type type) {
  return isa<quant::QuantizedType>(getElementTypeOrSelf(type));
}

bool qnn::hasQuantizedTypes(Operation *op) {
  auto isQuantized = [](Type type) { return isQuantizedType(type); };
  if (llvm::any_of(op->getOperandTypes(), isQuantized) ||
      llvm::any_of(op->getResultTypes(), isQuantized))
    return true;
  if (auto function = dyn_cast<FunctionOpInterface>(op))
    return llvm::any_of(function.getArgumentTypes(), isQuantized) ||
           llvm::any_of(function.getResultTypes(), isQuantized);
  return false;
}
