//===- OpSelection.h - Which ops qnn-quantize rewrites ----------*- C++ -*-===//
//
// The `ops` and `exclude` lists of qnn-quantize, shared with
// qnn-insert-observers, which must mark exactly the activations qnn-quantize
// will look up in the statistics file.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_OPSELECTION_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_OPSELECTION_H

#include "mlir/IR/Operation.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace qnn {

/// What is wrong with one entry of the `ops` or `exclude` list (named by
/// `list`), if anything: an entry that is neither an op name nor a location
/// name, or the name of an op that cannot be quantized.
std::optional<std::string> findListEntryProblem(llvm::StringRef name,
                                                llvm::StringRef list);

/// Whether the lists choose the matched contraction `op`, whose result has
/// the stable name `name`: an entry matches by that name (`fc3`,
/// `model/linalg.matmul#2`) or by op name (`tosa.matmul` selecting the linalg
/// ops it lowers to). An empty `onlyOps` chooses every op; `excludeOps` wins.
bool isSelectedByLists(mlir::Operation *op, llvm::StringRef name,
                       llvm::ArrayRef<std::string> onlyOps,
                       llvm::ArrayRef<std::string> excludeOps);

} // namespace qnn

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_OPSELECTION_H
