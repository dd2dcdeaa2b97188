//===- PeerMemory.cpp - Where the peer libraries' weights live ------------===//

#include "PeerMemory.h"

#include "qnn/Runner/LargePageMemoryMapper.h"

#include "llvm/Support/MathExtras.h"

#include <sys/mman.h>

using qnn::runner::kLargePageBytes;

static bool largePages = false;

void qnn::bench::setPeerLargePages(bool enabled) { largePages = enabled; }

bool qnn::bench::peerLargePages() { return largePages; }

void *qnn::bench::allocatePeerMemory(size_t alignment, size_t bytes) {
  if (!largePages || bytes < kLargePageBytes)
    return std::aligned_alloc(alignment, llvm::alignTo(bytes, alignment));
  return allocateInLargePages(bytes);
}

void *qnn::bench::allocateInLargePages(size_t bytes) {
  // glibc serves this from a fresh mapping: the pages are untouched, so the
  // advice takes effect at their first write.
  size_t rounded = llvm::alignTo(bytes, kLargePageBytes);
  void *memory = std::aligned_alloc(kLargePageBytes, rounded);
  if (memory)
    (void)madvise(memory, rounded, MADV_HUGEPAGE);
  return memory;
}
