//===- ModelSize.cpp - Bytes of the constants a module holds --------------===//

#include "qnn/Runner/ModelSize.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace qnn::runner {

int64_t ConstantBytes::total() const {
  int64_t sum = quantParamBytes;
  for (const auto &entry : bytesByElement)
    sum += entry.second;
  return sum;
}

static int64_t bitsOf(Type element) {
  if (element.isIntOrFloat())
    return element.getIntOrFloatBitWidth();
  if (element.isIndex())
    return 64;
  return 0;
}

/// Bytes of the scales and zero points `type` carries.
static int64_t paramBytes(quant::QuantizedType type) {
  int64_t zeroPointBytes = (bitsOf(type.getStorageType()) + 7) / 8;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type))
    return 4 + (perTensor.getZeroPoint() != 0 ? zeroPointBytes : 0);
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    int64_t count = perAxis.getScales().size();
    bool asymmetric = llvm::any_of(perAxis.getZeroPoints(),
                                   [](int64_t zp) { return zp != 0; });
    return count * (4 + (asymmetric ? zeroPointBytes : 0));
  }
  if (auto blocks = dyn_cast<quant::UniformQuantizedSubChannelType>(type)) {
    int64_t count = blocks.getScales().getNumElements();
    bool asymmetric =
        llvm::any_of(blocks.getZeroPoints().getValues<APInt>(),
                     [](const APInt &zp) { return !zp.isZero(); });
    return count * (4 + (asymmetric ? zeroPointBytes : 0));
  }
  return 0;
}

ConstantBytes measureConstants(Operation *root) {
  ConstantBytes bytes;
  root->walk([&](Operation *op) {
    // Constant ops and globals hold data; dense attributes elsewhere are
    // parameters of an op (strides, dilations), not part of the model.
    if (!op->hasTrait<OpTrait::ConstantLike>() && !isa<SymbolOpInterface>(op))
      return;
    for (NamedAttribute attribute : op->getAttrs()) {
      auto elements = dyn_cast<ElementsAttr>(attribute.getValue());
      if (!elements)
        continue;
      ShapedType type = elements.getShapedType();
      Type element = type.getElementType();
      if (auto quantized = dyn_cast<quant::QuantizedType>(element))
        element = quantized.getStorageType();
      int64_t count = elements.isSplat() ? 1 : type.getNumElements();
      std::string name;
      llvm::raw_string_ostream(name) << element;
      bytes.bytesByElement[name] += (count * bitsOf(element) + 7) / 8;
      ++bytes.constants;
      // A constant of quantized type stores its integers in the attribute
      // and its scales in the result type (qnn.constant).
      if (auto quantized =
              dyn_cast<quant::QuantizedType>(type.getElementType()))
        bytes.quantParamBytes += paramBytes(quantized);
      else if (op->getNumResults() == 1)
        if (auto result = dyn_cast<ShapedType>(op->getResult(0).getType()))
          if (auto quantized =
                  dyn_cast<quant::QuantizedType>(result.getElementType()))
            bytes.quantParamBytes += paramBytes(quantized);
    }
  });
  return bytes;
}

llvm::json::Value toJSON(const ConstantBytes &bytes) {
  llvm::json::Object byElement;
  for (const auto &[name, count] : bytes.bytesByElement)
    byElement[name] = count;
  return llvm::json::Object{{"constants", bytes.constants},
                            {"total_bytes", bytes.total()},
                            {"quant_param_bytes", bytes.quantParamBytes},
                            {"bytes_by_element", std::move(byElement)}};
}

} // namespace qnn::runner
