//===- TensorQuantizer.cpp - Quantize whole tensors by blocks -------------===//

#include "qnn/Quant/TensorQuantizer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <string>

namespace qnn::quantmath {

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static bool isValidAxis(int64_t axis, size_t rank) {
  return axis >= 0 && axis < static_cast<int64_t>(rank);
}

llvm::Expected<llvm::SmallVector<int64_t>>
Granularity::blockShape(llvm::ArrayRef<int64_t> shape) const {
  llvm::SmallVector<int64_t> block(shape);
  switch (kind) {
  case Kind::PerTensor:
    return block;
  case Kind::PerAxis:
  case Kind::PerGroup:
    if (!isValidAxis(axis, shape.size()))
      return makeError(llvm::formatv(
          "channel axis {0} is out of range for a tensor of rank {1}", axis,
          shape.size()));
    block[axis] = 1;
    if (kind == Kind::PerAxis)
      return block;
    if (!isValidAxis(groupAxis, shape.size()))
      return makeError(llvm::formatv(
          "group axis {0} is out of range for a tensor of rank {1}", groupAxis,
          shape.size()));
    if (groupAxis == axis)
      return makeError("group axis must differ from the channel axis");
    if (groupSize <= 0 || shape[groupAxis] % groupSize != 0)
      return makeError(llvm::formatv(
          "group size {0} does not divide dimension {1} of extent {2}",
          groupSize, groupAxis, shape[groupAxis]));
    block[groupAxis] = groupSize;
    return block;
  }
  return block;
}

llvm::SmallVector<int64_t> QuantizedTensor::blockGrid() const {
  llvm::SmallVector<int64_t> grid;
  for (auto [extent, block] : llvm::zip_equal(shape, blockShape))
    grid.push_back(extent / block);
  return grid;
}

namespace {
/// Walks a tensor in row-major order and tracks which block each element
/// belongs to, without a division per element and dimension.
class BlockWalker {
public:
  BlockWalker(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> block)
      : shape(shape), block(block), coords(shape.size(), 0),
        inBlock(shape.size(), 0), gridStride(shape.size(), 1) {
    for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
      gridStride[d] = gridStride[d + 1] * (shape[d + 1] / block[d + 1]);
  }

  int64_t blockIndex() const { return current; }
  llvm::ArrayRef<int64_t> coordinates() const { return coords; }

  /// Moves to the next element in row-major order.
  void advance() {
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      ++coords[d];
      if (++inBlock[d] == block[d]) {
        inBlock[d] = 0;
        current += gridStride[d];
      }
      if (coords[d] < shape[d])
        return;
      // Wrapped around: undo this dimension's contribution.
      current -= gridStride[d] * (shape[d] / block[d]);
      coords[d] = 0;
      inBlock[d] = 0;
    }
  }

private:
  llvm::ArrayRef<int64_t> shape, block;
  llvm::SmallVector<int64_t> coords, inBlock, gridStride;
  int64_t current = 0;
};
} // namespace

const QuantParams &QuantizedTensor::paramsAt(int64_t index) const {
  int64_t blockIndex = 0, stride = 1;
  llvm::SmallVector<int64_t> grid = blockGrid();
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    int64_t coord = index % shape[d];
    index /= shape[d];
    blockIndex += (coord / blockShape[d]) * stride;
    stride *= grid[d];
  }
  return params[blockIndex];
}

static std::string formatCoordinates(llvm::ArrayRef<int64_t> coords) {
  std::string text = "[";
  llvm::interleave(
      coords, [&](int64_t c) { text += std::to_string(c); },
      [&] { text += ", "; });
  return text + "]";
}

llvm::Expected<QuantizedTensor> quantizeTensor(llvm::ArrayRef<float> data,
                                               llvm::ArrayRef<int64_t> shape,
                                               const Granularity &granularity,
                                               const QuantSpec &spec) {
  if (std::optional<std::string> problem = findSpecProblem(spec))
    return makeError(*problem);
  int64_t numElements = 1;
  for (auto [dim, extent] : llvm::enumerate(shape)) {
    if (extent == 0)
      return makeError(llvm::formatv(
          "cannot quantize an empty tensor: dimension {0} has extent 0", dim));
    if (extent < 0)
      return makeError(llvm::formatv("cannot quantize a tensor of dynamic or "
                                     "negative extent: dimension {0} has "
                                     "extent {1}",
                                     dim, extent));
    if (llvm::MulOverflow(numElements, extent, numElements))
      return makeError(
          "a tensor of this shape has more than 2^63 - 1 elements");
  }
  if (numElements != static_cast<int64_t>(data.size()))
    return makeError(
        llvm::formatv("{0} values do not fill a tensor of {1} elements",
                      data.size(), numElements));

  auto block = granularity.blockShape(shape);
  if (!block)
    return block.takeError();

  QuantizedTensor result;
  result.shape.assign(shape.begin(), shape.end());
  result.blockShape = std::move(*block);
  result.spec = spec;
  int64_t numBlocks = 1;
  for (int64_t extent : result.blockGrid())
    numBlocks *= extent;

  std::vector<ValueRange> ranges(numBlocks);
  BlockWalker walker(result.shape, result.blockShape);
  for (float x : data) {
    if (!std::isfinite(x))
      return makeError(llvm::formatv("element {0} is {1}",
                                     formatCoordinates(walker.coordinates()),
                                     std::isnan(x) ? "NaN" : "infinite"));
    ranges[walker.blockIndex()].add(x);
    walker.advance();
  }

  result.params.reserve(numBlocks);
  for (const ValueRange &range : ranges)
    result.params.push_back(chooseQuantParams(range.min(), range.max(), spec));

  result.values.reserve(data.size());
  BlockWalker valueWalker(result.shape, result.blockShape);
  for (float x : data) {
    result.values.push_back(static_cast<int32_t>(
        quantizeValue(x, result.params[valueWalker.blockIndex()], spec)));
    valueWalker.advance();
  }
  return result;
}

std::vector<float> dequantizeTensor(const QuantizedTensor &tensor) {
  std::vector<float> reals;
  reals.reserve(tensor.values.size());
  BlockWalker walker(tensor.shape, tensor.blockShape);
  for (int32_t q : tensor.values) {
    reals.push_back(dequantizeValue(q, tensor.params[walker.blockIndex()]));
    walker.advance();
  }
  return reals;
}

} // namespace qnn::quantmath
