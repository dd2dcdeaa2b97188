//===- LargePageMemoryMapper.h - JIT data in 2 MiB pages --------*- C++ -*-===//
//
// Where the JIT puts a compiled module's constants: the packed weights of a
// layer are read-only data sections of megabytes. In 4 KiB pages, a layer
// whose weights are not in cache (a matvec streaming 16 MiB) misses the TLB
// on every 4 KiB it reads, and on a virtual machine each miss walks two
// levels of page tables: measured here, a cold 16 MiB read runs at 2-3 GB/s
// in 4 KiB pages and 11-12 GB/s in 2 MiB pages. The mapper asks Linux for
// transparent huge pages (madvise MADV_HUGEPAGE, which works under the
// default `madvise` policy) on the large data blocks before the JIT copies
// the sections in, so the pages are huge from their first touch. Code and
// small blocks are mapped as usual.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_LARGEPAGEMEMORYMAPPER_H
#define QNN_RUNNER_LARGEPAGEMEMORYMAPPER_H

#include "llvm/ExecutionEngine/SectionMemoryManager.h"

#include <cstddef>

namespace qnn::runner {

/// The size of a transparent huge page on x86-64 Linux.
inline constexpr size_t kLargePageBytes = size_t(2) << 20;

/// A SectionMemoryManager mapper that backs data blocks of at least
/// `kLargePageBytes` with 2 MiB-aligned, huge-page-advised mappings.
class LargePageMemoryMapper : public llvm::SectionMemoryManager::MemoryMapper {
public:
  llvm::sys::MemoryBlock
  allocateMappedMemory(llvm::SectionMemoryManager::AllocationPurpose purpose,
                       size_t numBytes,
                       const llvm::sys::MemoryBlock *const nearBlock,
                       unsigned flags, std::error_code &ec) override;
  std::error_code protectMappedMemory(const llvm::sys::MemoryBlock &block,
                                      unsigned flags) override;
  std::error_code releaseMappedMemory(llvm::sys::MemoryBlock &block) override;
};

} // namespace qnn::runner

#endif // QNN_RUNNER_LARGEPAGEMEMORYMAPPER_H
