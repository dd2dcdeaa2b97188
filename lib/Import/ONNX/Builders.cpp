//===- Builders.cpp - linalg/tensor building blocks of the op importers ---===//

#include "Builders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;

namespace qnn {
namespace onnx_import {

ArrayRef<int64_t> getShape(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

Type getElementTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    result[i] = da == 1 ? db : da;
  }
  return result;
}

Value buildScalar(OpBuilder &b, Location loc, Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value buildInit(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                Type element, std::optional<double> value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, element);
  if (!value)
    return empty;
  Value scalar = buildScalar(b, loc, element, *value);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

Value buildElementwise(OpBuilder &b, Location loc, ValueRange operands,
                       ArrayRef<int64_t> resultShape, Type resultElement,
                       BodyBuilder body) {
  MLIRContext *context = b.getContext();
  unsigned rank = resultShape.size();
  SmallVector<AffineMap> maps;
  for (Value operand : operands) {
    ArrayRef<int64_t> shape = getShape(operand);
    unsigned offset = rank - shape.size();
    SmallVector<AffineExpr> exprs;
    for (unsigned i = 0; i < shape.size(); ++i) {
      if (shape[i] == 1 && resultShape[offset + i] != 1)
        exprs.push_back(getAffineConstantExpr(0, context));
      else
        exprs.push_back(getAffineDimExpr(offset + i, context));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, context));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, context));
  Value init = tensor::EmptyOp::create(b, loc, resultShape, resultElement);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, operands, ValueRange{init}, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location bodyLoc, ValueRange args) {
        Value result = body(nested, bodyLoc, args.drop_back());
        linalg::YieldOp::create(nested, bodyLoc, result);
      });
  return generic.getResult(0);
}

Value buildReduce(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
    bool keepDims, double init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  ArrayRef<int64_t> shape = getShape(input);
  Type element = getElementTypeOf(input);
  SmallVector<int64_t> reducedShape, keptShape;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
    bool reduced = llvm::is_contained(axes, d);
    if (!reduced)
      reducedShape.push_back(shape[d]);
    keptShape.push_back(reduced ? 1 : shape[d]);
  }
  Value initTensor = buildInit(b, loc, reducedShape, element, init);
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{input}, ValueRange{initTensor}, axes,
      [&](OpBuilder &nested, Location bodyLoc, ValueRange args) {
        linalg::YieldOp::create(nested, bodyLoc,
                                combine(nested, bodyLoc, args[0], args[1]));
      });
  Value result = reduce.getResult(0);
  if (keepDims)
    result = buildReshape(b, loc, result, keptShape);
  return result;
}

Value buildReshape(OpBuilder &b, Location loc, Value input,
                   ArrayRef<int64_t> shape) {
  auto sourceType = cast<RankedTensorType>(input.getType());
  if (sourceType.getShape() == shape)
    return input;
  auto targetType = RankedTensorType::get(shape, sourceType.getElementType());
  if (shape.empty())
    return tensor::CollapseShapeOp::create(b, loc, targetType, input,
                                           ArrayRef<ReassociationIndices>{});
  if (sourceType.getRank() == 0)
    return tensor::ExpandShapeOp::create(b, loc, targetType, input,
                                         ArrayRef<ReassociationIndices>{});
  if (std::optional<SmallVector<ReassociationIndices>> reassociation =
          getReassociationIndicesForReshape(sourceType, targetType)) {
    if (targetType.getRank() < sourceType.getRank())
      return tensor::CollapseShapeOp::create(b, loc, targetType, input,
                                             *reassociation);
    return tensor::ExpandShapeOp::create(b, loc, targetType, input,
                                         *reassociation);
  }
  // Neither a pure collapse nor a pure expansion: through one dimension.
  int64_t n = sourceType.getNumElements();
  Value flat = input;
  if (sourceType.getRank() != 1) {
    ReassociationIndices all;
    for (int64_t d = 0; d < sourceType.getRank(); ++d)
      all.push_back(d);
    flat = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({n}, sourceType.getElementType()), input,
        ArrayRef<ReassociationIndices>{all});
  }
  if (shape.size() == 1)
    return flat;
  ReassociationIndices all;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
    all.push_back(d);
  return tensor::ExpandShapeOp::create(b, loc, targetType, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

Value buildTranspose(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> perm) {
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i)
    identity &= perm[i] == static_cast<int64_t>(i);
  if (identity)
    return input;
  ArrayRef<int64_t> shape = getShape(input);
  SmallVector<int64_t> resultShape;
  for (int64_t p : perm)
    resultShape.push_back(shape[p]);
  Value init =
      tensor::EmptyOp::create(b, loc, resultShape, getElementTypeOf(input));
  return linalg::TransposeOp::create(b, loc, input, init, perm).getResult()[0];
}

Value buildPad(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
               ArrayRef<int64_t> high, double value) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (size_t d = 0; d < shape.size(); ++d)
    shape[d] += low[d] + high[d];
  Value padValue = buildScalar(b, loc, type.getElementType(), value);
  return tensor::PadOp::create(b, loc, type.clone(shape), input,
                               getAsIndexOpFoldResult(b.getContext(), low),
                               getAsIndexOpFoldResult(b.getContext(), high),
                               padValue);
}

Value buildExtractSlice(OpBuilder &b, Location loc, Value source,
                        ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                        ArrayRef<int64_t> strides) {
  MLIRContext *context = b.getContext();
  auto type = RankedTensorType::get(sizes, getElementTypeOf(source));
  return tensor::ExtractSliceOp::create(
      b, loc, type, source, getAsIndexOpFoldResult(context, offsets),
      getAsIndexOpFoldResult(context, sizes),
      getAsIndexOpFoldResult(context, strides));
}

Value buildInsertSlice(OpBuilder &b, Location loc, Value source, Value dest,
                       ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                       ArrayRef<int64_t> strides) {
  MLIRContext *context = b.getContext();
  return tensor::InsertSliceOp::create(
      b, loc, source, dest, getAsIndexOpFoldResult(context, offsets),
      getAsIndexOpFoldResult(context, sizes),
      getAsIndexOpFoldResult(context, strides));
}

Value buildGather(OpBuilder &b, Location loc, Value input, int64_t axis,
                  ArrayRef<int64_t> indices, ArrayRef<int64_t> indicesShape) {
  MLIRContext *context = b.getContext();
  ArrayRef<int64_t> shape = getShape(input);
  int64_t indexRank = indicesShape.size();
  SmallVector<int64_t> resultShape(shape.begin(), shape.begin() + axis);
  resultShape.append(indicesShape.begin(), indicesShape.end());
  resultShape.append(shape.begin() + axis + 1, shape.end());
  unsigned rank = resultShape.size();

  auto indexType = RankedTensorType::get(indicesShape, b.getI64Type());
  Value indexTensor = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(indexType, indices));
  SmallVector<AffineExpr> indexExprs;
  for (int64_t d = 0; d < indexRank; ++d)
    indexExprs.push_back(getAffineDimExpr(axis + d, context));
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, indexExprs, context),
      AffineMap::getMultiDimIdentityMap(rank, context)};
  Type element = getElementTypeOf(input);
  Value init = tensor::EmptyOp::create(b, loc, resultShape, element);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{indexTensor},
      ValueRange{init}, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location bodyLoc, ValueRange args) {
        SmallVector<Value> position;
        for (int64_t d = 0; d < axis; ++d)
          position.push_back(linalg::IndexOp::create(nested, bodyLoc, d));
        position.push_back(arith::IndexCastOp::create(
            nested, bodyLoc, nested.getIndexType(), args[0]));
        for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
          position.push_back(
              linalg::IndexOp::create(nested, bodyLoc, d - 1 + indexRank));
        Value element =
            tensor::ExtractOp::create(nested, bodyLoc, input, position);
        linalg::YieldOp::create(nested, bodyLoc, element);
      });
  return generic.getResult(0);
}

} // namespace onnx_import
} // namespace qnn
