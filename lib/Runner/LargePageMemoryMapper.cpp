//===- LargePageMemoryMapper.cpp - JIT data in 2 MiB pages ----------------===//

#include "qnn/Runner/LargePageMemoryMapper.h"

#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Memory.h"

#include <cerrno>
#include <sys/mman.h>

using namespace llvm;

namespace qnn::runner {

/// Maps `bytes` (a multiple of kLargePageBytes) at a 2 MiB boundary: over-map
/// by one large page, then unmap the unaligned head and the tail.
static void *mapAligned(size_t bytes, std::error_code &ec) {
  size_t mapped = bytes + kLargePageBytes;
  void *start = mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (start == MAP_FAILED) {
    ec = std::error_code(errno, std::generic_category());
    return nullptr;
  }
  auto begin = reinterpret_cast<uintptr_t>(start);
  uintptr_t aligned = alignTo(begin, kLargePageBytes);
  if (aligned != begin)
    munmap(start, aligned - begin);
  if (uintptr_t tail = begin + mapped - (aligned + bytes))
    munmap(reinterpret_cast<void *>(aligned + bytes), tail);
  return reinterpret_cast<void *>(aligned);
}

sys::MemoryBlock LargePageMemoryMapper::allocateMappedMemory(
    SectionMemoryManager::AllocationPurpose purpose, size_t numBytes,
    const sys::MemoryBlock *const nearBlock, unsigned flags,
    std::error_code &ec) {
  // Code stays in ordinary pages: it is small, and executable huge pages
  // are another matter. So do data blocks too small to fill a large page.
  if (purpose == SectionMemoryManager::AllocationPurpose::Code ||
      numBytes < kLargePageBytes ||
      flags != (sys::Memory::MF_READ | sys::Memory::MF_WRITE))
    return sys::Memory::allocateMappedMemory(numBytes, nearBlock, flags, ec);
  ec = std::error_code();
  size_t bytes = alignTo(numBytes, kLargePageBytes);
  void *address = mapAligned(bytes, ec);
  if (!address)
    return sys::MemoryBlock();
  // Advice, not a requirement: where it is refused (THP disabled), the block
  // is ordinary memory and only slower.
  (void)madvise(address, bytes, MADV_HUGEPAGE);
  return sys::MemoryBlock(address, bytes);
}

std::error_code
LargePageMemoryMapper::protectMappedMemory(const sys::MemoryBlock &block,
                                           unsigned flags) {
  return sys::Memory::protectMappedMemory(block, flags);
}

std::error_code
LargePageMemoryMapper::releaseMappedMemory(sys::MemoryBlock &block) {
  // sys::Memory unmaps the block's whole allocated size, ours included.
  return sys::Memory::releaseMappedMemory(block);
}

} // namespace qnn::runner
