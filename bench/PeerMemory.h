//===- PeerMemory.h - Where the peer libraries' weights live ----*- C++ -*-===//
//
// qnn-mlir's JIT puts a layer's packed weights into 2 MiB pages
// (LargePageMemoryMapper); the libraries read theirs from what malloc
// gives, 4 KiB pages under Linux's default transparent-huge-page policy.
// For a matvec streaming weights from memory, that page size matters more
// than the kernel (docs/PERFORMANCE.md). --peer-large-pages gives the
// libraries' weights 2 MiB pages too, so the two effects can be told apart:
// the layer's weight matrices (which oneDNN and OpenBLAS read in place) are
// allocated here, and so are XNNPACK's packed weights (its allocator hook).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_BENCH_PEERMEMORY_H
#define QNN_BENCH_PEERMEMORY_H

#include "llvm/Support/ErrorHandling.h"

#include <cstddef>
#include <cstdlib>
#include <vector>

namespace qnn::bench {

/// Whether allocatePeerMemory advises large pages (--peer-large-pages).
void setPeerLargePages(bool enabled);
bool peerLargePages();

/// `bytes` aligned to `alignment`, freed with std::free; 2 MiB-aligned and
/// advised into huge pages when peerLargePages() and `bytes` fill at least
/// one. Null when out of memory.
void *allocatePeerMemory(size_t alignment, size_t bytes);

/// `bytes` at a 2 MiB boundary, advised into huge pages; freed with
/// std::free. Null when out of memory.
void *allocateInLargePages(size_t bytes);

/// A std::allocator over allocatePeerMemory, for the weight matrices.
template <typename T> struct PeerAllocator {
  using value_type = T;
  PeerAllocator() = default;
  template <typename U> PeerAllocator(const PeerAllocator<U> &) {}
  T *allocate(size_t count) {
    void *memory = allocatePeerMemory(alignof(T) < 64 ? 64 : alignof(T),
                                      count * sizeof(T));
    if (!memory)
      llvm::report_bad_alloc_error("qnn-kernel-bench: out of memory");
    return static_cast<T *>(memory);
  }
  void deallocate(T *pointer, size_t) { std::free(pointer); }
  template <typename U> bool operator==(const PeerAllocator<U> &) const {
    return true;
  }
};

template <typename T> using PeerVector = std::vector<T, PeerAllocator<T>>;

} // namespace qnn::bench

#endif // QNN_BENCH_PEERMEMORY_H
