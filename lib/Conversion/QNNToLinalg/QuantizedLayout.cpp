//===- QuantizedLayout.cpp - Quantization parameters over a tensor --------===//

#include "QuantizedLayout.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace qnn;

bool QuantizedLayout::hasSingleScale() const { return llvm::all_equal(scales); }

bool QuantizedLayout::hasSingleZeroPoint() const {
  return llvm::all_equal(zeroPoints);
}

bool QuantizedLayout::hasZeroZeroPoints() const {
  return llvm::all_of(zeroPoints, [](int64_t zp) { return zp == 0; });
}

AffineMap QuantizedLayout::getParamsMap(MLIRContext *context) const {
  SmallVector<AffineExpr> results;
  for (unsigned dim : paramsDims)
    results.push_back(getAffineDimExpr(dim, context));
  return AffineMap::get(iterationShape.size(), /*symbolCount=*/0, results,
                        context);
}

/// A layout without split dimensions over `shape`.
static QuantizedLayout getUnsplitLayout(quant::QuantizedType type,
                                        ArrayRef<int64_t> shape) {
  QuantizedLayout layout;
  layout.type = type;
  layout.sourceRank = static_cast<int64_t>(shape.size());
  layout.iterationShape.assign(shape.begin(), shape.end());
  for (int64_t d = 0, e = shape.size(); d < e; ++d)
    layout.sourceDims.push_back(d);
  return layout;
}

static LogicalResult
fillSubChannelLayout(QuantizedLayout &layout,
                     quant::UniformQuantizedSubChannelType type,
                     ArrayRef<int64_t> shape, std::string &why) {
  llvm::raw_string_ostream os(why);
  DenseElementsAttr scales = type.getScales();
  ArrayRef<int64_t> grid = scales.getType().getShape();
  auto rank = static_cast<int64_t>(shape.size());
  if (static_cast<int64_t>(grid.size()) != rank) {
    os << "scale grid of rank " << grid.size() << " does not match a tensor "
       << "of rank " << rank;
    return failure();
  }

  // Dimension d falls into one of three cases: a single group (parameters
  // do not depend on it), groups of one element (parameters indexed by d
  // itself), or several groups of several elements (d is split into
  // [groups, group size] and parameters indexed by the group).
  layout.iterationShape.clear();
  layout.sourceDims.clear();
  bool anySplit = false;
  SmallVector<int64_t> keptGridDims;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t groups = grid[d];
    ReassociationIndices group;
    auto addIterationDim = [&](int64_t extent) {
      group.push_back(layout.iterationShape.size());
      layout.iterationShape.push_back(extent);
      layout.sourceDims.push_back(d);
    };
    if (groups == 1) {
      addIterationDim(shape[d]);
    } else if (ShapedType::isDynamic(shape[d])) {
      os << "dimension " << d << " is cut into " << groups
         << " groups and must have a static extent";
      return failure();
    } else if (groups <= 0 || shape[d] % groups != 0) {
      os << "scale grid extent " << groups << " does not divide dimension " << d
         << " of extent " << shape[d];
      return failure();
    } else if (groups == shape[d]) {
      layout.paramsDims.push_back(layout.iterationShape.size());
      layout.paramsShape.push_back(groups);
      keptGridDims.push_back(d);
      addIterationDim(shape[d]);
    } else {
      anySplit = true;
      layout.paramsDims.push_back(layout.iterationShape.size());
      layout.paramsShape.push_back(groups);
      keptGridDims.push_back(d);
      addIterationDim(groups);
      addIterationDim(shape[d] / groups);
    }
    layout.reassociation.push_back(group);
  }
  if (!anySplit)
    layout.reassociation.clear();

  // Dropping grid dimensions of extent 1 keeps the row-major order of the
  // remaining ones, so the flattened attributes can be read as they are.
  bool isSigned = type.isSigned();
  for (const APFloat &scale : scales.getValues<APFloat>())
    layout.scales.push_back(scale.convertToDouble());
  for (const APInt &zeroPoint : type.getZeroPoints().getValues<APInt>())
    layout.zeroPoints.push_back(
        isSigned ? zeroPoint.getSExtValue()
                 : static_cast<int64_t>(zeroPoint.getZExtValue()));
  if (layout.scales.size() != layout.zeroPoints.size()) {
    os << "has " << layout.scales.size() << " scales but "
       << layout.zeroPoints.size() << " zero points";
    return failure();
  }
  if (keptGridDims.empty()) {
    layout.scales.resize(1);
    layout.zeroPoints.resize(1);
  }
  return success();
}

FailureOr<QuantizedLayout> qnn::getQuantizedLayout(Type valueType,
                                                   std::string &why) {
  llvm::raw_string_ostream os(why);
  Type elementType = getElementTypeOrSelf(valueType);
  auto quantType = dyn_cast<quant::QuantizedType>(elementType);
  if (!quantType) {
    os << "expected a quantized type, got " << valueType;
    return failure();
  }
  if (!isa<FloatType>(quantType.getExpressedType())) {
    os << "expressed type " << quantType.getExpressedType()
       << " is not a float type";
    return failure();
  }
  if (!isa<IntegerType>(quantType.getStorageType())) {
    os << "storage type " << quantType.getStorageType()
       << " is not an integer type";
    return failure();
  }

  SmallVector<int64_t> shape;
  if (auto tensorType = dyn_cast<RankedTensorType>(valueType)) {
    shape.assign(tensorType.getShape().begin(), tensorType.getShape().end());
  } else if (isa<ShapedType>(valueType)) {
    os << "only ranked tensors of quantized types can be lowered, got "
       << valueType;
    return failure();
  }
  QuantizedLayout layout = getUnsplitLayout(quantType, shape);

  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(quantType)) {
    layout.scales.push_back(perTensor.getScale());
    layout.zeroPoints.push_back(perTensor.getZeroPoint());
    return layout;
  }
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(quantType)) {
    int64_t axis = perAxis.getQuantizedDimension();
    auto numScales = static_cast<int64_t>(perAxis.getScales().size());
    if (axis < 0 || axis >= static_cast<int64_t>(shape.size())) {
      os << "quantized dimension " << axis << " is out of range for "
         << valueType;
      return failure();
    }
    if (!ShapedType::isDynamic(shape[axis]) && shape[axis] != numScales) {
      os << "dimension " << axis << " has extent " << shape[axis]
         << " but the type has " << numScales << " scales";
      return failure();
    }
    layout.paramsShape.push_back(numScales);
    layout.paramsDims.push_back(axis);
    layout.scales.assign(perAxis.getScales().begin(),
                         perAxis.getScales().end());
    layout.zeroPoints.assign(perAxis.getZeroPoints().begin(),
                             perAxis.getZeroPoints().end());
    return layout;
  }
  if (auto subChannel =
          dyn_cast<quant::UniformQuantizedSubChannelType>(quantType)) {
    if (shape.empty() && !isa<ShapedType>(valueType)) {
      os << "a sub-channel quantized type needs a tensor, got " << valueType;
      return failure();
    }
    if (failed(fillSubChannelLayout(layout, subChannel, shape, why)))
      return failure();
    return layout;
  }
  os << "only !quant.uniform types can be lowered, got " << quantType;
  return failure();
}
