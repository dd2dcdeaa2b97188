//===- Builders.h - linalg/tensor blocks of the op importers ----*- C++ -*-===//
//
// The few shapes of IR the op importers are made of: elementwise generics
// with numpy broadcasting, reductions, reshapes, transposes, padding and
// gathers along one axis with indices known at import time.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_IMPORT_ONNX_BUILDERS_H
#define QNN_LIB_IMPORT_ONNX_BUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace qnn {
namespace onnx_import {

using BodyBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// The numpy broadcast of two shapes, or nullopt if they are incompatible.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// A `linalg.generic` over `resultShape` whose operands are broadcast to it
/// numpy-style (aligned on the right; unit dimensions repeat) and whose
/// body computes one element from one element of each operand.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::ValueRange operands,
                             llvm::ArrayRef<int64_t> resultShape,
                             mlir::Type resultElement, BodyBuilder body);

/// A scalar constant of `type` (float or integer).
mlir::Value buildScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                        double value);

/// Reduces `input` over `axes` (sorted) with `combine(element, accumulator)`
/// starting from `init`; keeps the reduced dimensions as 1 when `keepDims`.
mlir::Value
buildReduce(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
            llvm::ArrayRef<int64_t> axes, bool keepDims, double init,
            llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                           mlir::Value, mlir::Value)>
                combine);

/// `input` with a new static shape of the same element count
/// (tensor.collapse_shape / expand_shape).
mlir::Value buildReshape(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value input, llvm::ArrayRef<int64_t> shape);

/// `linalg.transpose`: result dimension i is input dimension `perm[i]`.
mlir::Value buildTranspose(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value input, llvm::ArrayRef<int64_t> perm);

/// `tensor.pad` with a constant.
mlir::Value buildPad(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                     llvm::ArrayRef<int64_t> low, llvm::ArrayRef<int64_t> high,
                     double value);

/// `result[..., i, ...] = input[..., indices[i], ...]` along `axis`, where
/// `indices` (shape `indicesShape`, values in range) replaces that
/// dimension.
mlir::Value buildGather(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value input, int64_t axis,
                        llvm::ArrayRef<int64_t> indices,
                        llvm::ArrayRef<int64_t> indicesShape);

/// `tensor.extract_slice` / `tensor.insert_slice` with static offsets, sizes
/// and strides.
mlir::Value buildExtractSlice(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value source,
                              llvm::ArrayRef<int64_t> offsets,
                              llvm::ArrayRef<int64_t> sizes,
                              llvm::ArrayRef<int64_t> strides);
mlir::Value buildInsertSlice(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value source, mlir::Value dest,
                             llvm::ArrayRef<int64_t> offsets,
                             llvm::ArrayRef<int64_t> sizes,
                             llvm::ArrayRef<int64_t> strides);

/// A `linalg.fill` of 0 (or `value`) for an op's `outs`.
mlir::Value buildInit(mlir::OpBuilder &b, mlir::Location loc,
                      llvm::ArrayRef<int64_t> shape, mlir::Type element,
                      std::optional<double> value = 0.0);

llvm::ArrayRef<int64_t> getShape(mlir::Value value);
mlir::Type getElementTypeOf(mlir::Value value);

} // namespace onnx_import
} // namespace qnn

#endif // QNN_LIB_IMPORT_ONNX_BUILDERS_H
