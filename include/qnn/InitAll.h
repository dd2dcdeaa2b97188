//===- InitAll.h - Register every qnn dialect, pass and pipeline -*- C++
//-*-===//
//
// One entry point for tools, the pass plugin and embedding compilers.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_INITALL_H
#define QNN_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace qnn {

/// Adds the qnn dialect and the upstream dialects its passes create to
/// `registry`.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers every qnn pass and pass pipeline with the global registry, so
/// that they can be named in textual pipelines. Safe to call more than once.
void registerAllPasses();

} // namespace qnn

#endif // QNN_INITALL_H
