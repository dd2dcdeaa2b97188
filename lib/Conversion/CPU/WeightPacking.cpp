//===- WeightPacking.cpp - Constant weights in the kernels' layout --------===//
//
// A kernel step reads, for each vector of the register tile, `lanes *
// kGroup` consecutive weights: the kGroup reduction values of each of
// `lanes` output columns, in the order the multiply-add instruction pairs
// them with the broadcast activations (`vpdpbusd`: 4 bytes per i32 lane,
// `vpmaddwd`: 2 values per i32 lane, FMA: 1). Each panel of `lanes` columns
// is one contiguous stream over k. Packing happens once, at compile time,
// on the constant.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/CPU/ContractionKernels.h"

#include "mlir/IR/BuiltinTypes.h"

#include "llvm/Support/MathExtras.h"

#include <cstring>
#include <vector>

using namespace mlir;
using namespace qnn;

namespace {
/// Element (k, n) of a K x N (or, transposed, N x K) matrix.
struct MatrixView {
  int64_t k, n;
  bool transposed;
  int64_t index(int64_t row, int64_t col) const {
    return transposed ? col * k + row : row * n + col;
  }
};
} // namespace

static MatrixView viewOf(DenseElementsAttr weights, bool transposed) {
  ArrayRef<int64_t> shape = weights.getType().getShape();
  return transposed ? MatrixView{shape[1], shape[0], true}
                    : MatrixView{shape[0], shape[1], false};
}

DenseElementsAttr qnn::packWeights(DenseElementsAttr weights, bool transposed,
                                   const KernelShape &shape) {
  MatrixView view = viewOf(weights, transposed);
  int64_t panels = llvm::divideCeil(view.n, shape.lanes);
  int64_t groups = llvm::divideCeil(view.k, shape.kGroup);
  int64_t stride = shape.lanes * shape.kGroup;
  Type element = weights.getElementType();
  auto packedType = RankedTensorType::get({panels, groups, stride}, element);
  // Raw bytes: i8 and f32 weights are stored densely, one element after the
  // other (a splat holds one), and a 4096 x 4096 matrix is too large for a
  // vector of APInts.
  int64_t bytes = element.getIntOrFloatBitWidth() / 8;
  ArrayRef<char> raw = weights.getRawData();
  std::vector<char> packed(panels * groups * stride * bytes, 0);
  bool splat = weights.isSplat();
  for (int64_t row = 0; row < view.k; ++row) {
    int64_t group = row / shape.kGroup, e = row % shape.kGroup;
    for (int64_t col = 0; col < view.n; ++col) {
      int64_t panel = col / shape.lanes, lane = col % shape.lanes;
      int64_t to = (panel * groups + group) * stride + lane * shape.kGroup + e;
      int64_t from = splat ? 0 : view.index(row, col);
      std::memcpy(&packed[to * bytes], &raw[from * bytes], bytes);
    }
  }
  return DenseElementsAttr::getFromRawBuffer(packedType, packed);
}

SmallVector<int64_t> qnn::getWeightColumnSums(DenseElementsAttr weights,
                                              bool transposed) {
  MatrixView view = viewOf(weights, transposed);
  ArrayRef<char> raw = weights.getRawData();
  bool splat = weights.isSplat();
  SmallVector<int64_t> sums(view.n, 0);
  for (int64_t row = 0; row < view.k; ++row)
    for (int64_t col = 0; col < view.n; ++col)
      sums[col] += static_cast<int8_t>(raw[splat ? 0 : view.index(row, col)]);
  return sums;
}
