//===- PreparedCall.cpp - Arguments in, results out of compiled code ------===//
//
// Builds the flattened memref descriptors of one call and takes the
// returned descriptors apart. Results are buffers the compiled code
// allocated with malloc (memref.alloc); the caller owns them and frees them
// after copying, except for buffers it did not get from malloc: one of its
// own inputs passed back, or a constant global (memref.get_global marks
// those with the allocated pointer 0xdeadbeef).
//
//===----------------------------------------------------------------------===//

#include "qnn/Runner/CompiledModule.h"

#include "mlir/IR/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <cstdlib>
#include <cstring>

using namespace mlir;

namespace qnn::runner {

static_assert(sizeof(void *) == sizeof(uint64_t),
              "memref descriptors are built from 64-bit words");

/// Alignment of input buffers: a cache line, and enough for any vector load
/// the compiled code may assume.
static constexpr size_t kBufferAlignment = 64;
/// The allocated pointer of a memref.get_global result.
static constexpr uint64_t kGlobalMarker = 0xdeadbeef;

PreparedCall::PreparedCall(const CompiledModule &module) : module(&module) {}

PreparedCall::PreparedCall(PreparedCall &&other) noexcept
    : module(other.module), inputBuffers(std::move(other.inputBuffers)),
      argumentSlots(std::move(other.argumentSlots)),
      packedArgs(std::move(other.packedArgs)),
      resultStorage(std::move(other.resultStorage)), invoked(other.invoked),
      resultsTaken(other.resultsTaken) {
  // Moving a vector keeps its heap block, so the pointers into
  // argumentSlots and resultStorage stay valid.
  other.inputBuffers.clear();
  other.invoked = false;
}

PreparedCall::~PreparedCall() {
  if (invoked && !resultsTaken)
    releaseResults();
  for (void *buffer : inputBuffers)
    std::free(buffer);
}

/// Checks that `array` is exactly what `spec` takes.
static LogicalResult checkExact(const Signature &signature, size_t index,
                                const Array &array, Location loc) {
  const TensorSpec &spec = signature.inputs[index];
  bool shapeOk = array.rank() == spec.rank();
  for (int64_t d = 0; shapeOk && d < spec.rank(); ++d)
    shapeOk = spec.shape[d] == TensorSpec::kDynamic ||
              spec.shape[d] == array.shape()[d];
  if (spec.acceptsDType(array.dtype()) && shapeOk)
    return success();
  return emitError(loc) << "input " << index << " is a "
                        << formatShape(array.shape()) << " "
                        << dtypeName(array.dtype()) << " array; @"
                        << signature.entry << " takes " << spec.typeText;
}

FailureOr<PreparedCall>
CompiledModule::prepare(llvm::ArrayRef<Array> inputs) const {
  const Signature &signature = entrySignature;
  if (inputs.size() != signature.inputs.size())
    return emitError(entryLoc)
           << "@" << signature.entry << " takes " << signature.inputs.size()
           << " inputs, " << inputs.size() << " given";
  size_t slots = 0;
  for (auto [index, array] : llvm::enumerate(inputs)) {
    if (failed(checkExact(signature, index, array, entryLoc)))
      return failure();
    const TensorSpec &spec = signature.inputs[index];
    slots += spec.isScalar ? 1 : 3 + 2 * spec.shape.size();
  }

  PreparedCall call(*this);
  call.argumentSlots.assign(slots, 0);
  call.packedArgs.reserve(slots + 1);
  uint64_t *slot = call.argumentSlots.data();
  auto push = [&](uint64_t value) {
    *slot = value;
    call.packedArgs.push_back(slot++);
  };
  for (auto [spec, array] : llvm::zip_equal(signature.inputs, inputs)) {
    if (spec.isScalar) {
      // Little endian: the value's bytes start the slot.
      uint64_t value = 0;
      std::memcpy(&value, array.data(), array.byteSize());
      push(value);
      continue;
    }
    // Every buffer gets at least one element, so that an empty tensor still
    // has a distinct, freeable pointer.
    size_t bytes = llvm::alignTo(
        std::max<size_t>(array.byteSize(), dtypeSize(array.dtype())),
        kBufferAlignment);
    void *buffer = std::aligned_alloc(kBufferAlignment, bytes);
    if (!buffer)
      return emitError(entryLoc)
             << "cannot allocate " << bytes << " bytes for an input";
    call.inputBuffers.push_back(buffer);
    if (array.byteSize())
      std::memcpy(buffer, array.data(), array.byteSize());
    push(reinterpret_cast<uint64_t>(buffer)); // allocated
    push(reinterpret_cast<uint64_t>(buffer)); // aligned
    push(0);                                  // offset
    for (int64_t dim : array.shape())
      push(static_cast<uint64_t>(dim));
    int64_t stride = 1;
    llvm::SmallVector<int64_t, 4> strides(array.rank());
    for (int64_t d = array.rank() - 1; d >= 0; --d) {
      strides[d] = stride;
      stride *= array.shape()[d];
    }
    for (int64_t s : strides)
      push(static_cast<uint64_t>(s));
  }
  // The packed wrapper stores the returned value through the last pointer.
  call.resultStorage.assign((resultBytes + 7) / 8, 0);
  call.packedArgs.push_back(call.resultStorage.data());
  return std::move(call);
}

void PreparedCall::invoke() {
  module->packedEntry(packedArgs.data());
  invoked = true;
}

/// The descriptor of result `index` in the result storage.
namespace {
struct Descriptor {
  uint64_t allocated;
  uint64_t aligned;
  int64_t offset;
  llvm::SmallVector<int64_t, 4> sizes;
  llvm::SmallVector<int64_t, 4> strides;
};
} // namespace

static Descriptor readDescriptor(const uint8_t *base, int64_t rank) {
  const uint64_t *words = reinterpret_cast<const uint64_t *>(base);
  Descriptor descriptor;
  descriptor.allocated = words[0];
  descriptor.aligned = words[1];
  descriptor.offset = static_cast<int64_t>(words[2]);
  for (int64_t d = 0; d < rank; ++d) {
    descriptor.sizes.push_back(static_cast<int64_t>(words[3 + d]));
    descriptor.strides.push_back(static_cast<int64_t>(words[3 + rank + d]));
  }
  return descriptor;
}

/// Copies the strided elements of `descriptor` into `out` (C order).
static void copyOut(const Descriptor &descriptor, Array &out) {
  int64_t elementSize = dtypeSize(out.dtype());
  const uint8_t *base = reinterpret_cast<const uint8_t *>(descriptor.aligned) +
                        descriptor.offset * elementSize;
  int64_t rank = out.rank();
  int64_t count = out.numElements();
  if (count == 0)
    return;
  // Contiguous row-major results (what bufferization produces) are one copy.
  bool contiguous = true;
  int64_t expected = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (descriptor.sizes[d] != 1 && descriptor.strides[d] != expected)
      contiguous = false;
    expected *= descriptor.sizes[d];
  }
  if (contiguous) {
    std::memcpy(out.data(), base, count * elementSize);
    return;
  }
  llvm::SmallVector<int64_t, 4> index(rank, 0);
  uint8_t *dst = out.data();
  for (int64_t i = 0; i < count; ++i) {
    int64_t element = 0;
    for (int64_t d = 0; d < rank; ++d)
      element += index[d] * descriptor.strides[d];
    std::memcpy(dst, base + element * elementSize, elementSize);
    dst += elementSize;
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < descriptor.sizes[d])
        break;
      index[d] = 0;
    }
  }
}

std::vector<Array> PreparedCall::takeResults() {
  const Signature &signature = module->entrySignature;
  const uint8_t *storage =
      reinterpret_cast<const uint8_t *>(resultStorage.data());
  std::vector<Array> results;
  for (auto [spec, offset] :
       llvm::zip_equal(signature.outputs, module->resultOffsets)) {
    const uint8_t *base = storage + offset;
    if (spec.isScalar) {
      Array value(spec.dtype, {});
      std::memcpy(value.data(), base, dtypeSize(spec.dtype));
      results.push_back(std::move(value));
    } else {
      Descriptor descriptor = readDescriptor(base, spec.rank());
      Array value(spec.dtype, descriptor.sizes);
      copyOut(descriptor, value);
      results.push_back(std::move(value));
    }
    // An i1 in memory only defines its lowest bit.
    if (spec.dtype == DType::Bool)
      for (uint8_t &byte : results.back().values<uint8_t>())
        byte &= 1;
  }
  releaseResults();
  return results;
}

void PreparedCall::releaseResults() {
  resultsTaken = true;
  const Signature &signature = module->entrySignature;
  const uint8_t *storage =
      reinterpret_cast<const uint8_t *>(resultStorage.data());
  llvm::SmallPtrSet<void *, 8> released;
  for (void *input : inputBuffers)
    released.insert(input);
  for (auto [spec, offset] :
       llvm::zip_equal(signature.outputs, module->resultOffsets)) {
    if (spec.isScalar)
      continue;
    uint64_t allocated =
        reinterpret_cast<const uint64_t *>(storage + offset)[0];
    if (allocated == 0 || allocated == kGlobalMarker)
      continue;
    void *pointer = reinterpret_cast<void *>(allocated);
    if (released.insert(pointer).second)
      std::free(pointer);
  }
}

} // namespace qnn::runner
