//===- ValueNames.h - Stable names of SSA values ----------------*- C++ -*-===//
//
// The names by which statistics files, reports and observers refer to
// values. They survive printing and parsing (SSA names do not) and do not
// change when other passes add or remove unrelated ops of another kind.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_VALUENAMES_H
#define QNN_DIALECT_QNN_TRANSFORMS_VALUENAMES_H

#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"

#include "llvm/ADT/DenseMap.h"

#include <string>

namespace qnn {

/// The name a location gives its op: the first `NameLoc` in it (searching
/// inside `FusedLoc`s and through the child locations of `NameLoc`s), or the
/// empty string.
std::string getLocationName(mlir::Location loc);

/// Names values by these rules, in order:
///
/// | value | name |
/// |---|---|
/// | result k of an op whose location has a name (`loc("fc1")`) | `fc1` for k =
/// 0, `fc1#k` for k > 0 | | result k of another op | `<function>/<op name>#<n>`
/// (`#k` appended for k > 0) | | argument i of a function | `<function>/arg<i>`
/// | | argument i of a block in an op's region | `<name of the op>/arg<i>`
/// (`bb<b>/` inserted for block b > 0, `region<r>/` for region r > 0) |
///
/// `<n>` counts the ops of that name in the function, named or not, from 0
/// in textual order (a pre-order walk), through the regions of control flow
/// (scf.for, scf.if: `RegionBranchOpInterface`) but not into payload regions
/// (linalg bodies, tensor.pad), whose scalar ops would shift the numbers of
/// the tensor ops. An op in a payload region is counted within it and named
/// `<name of the payload op>/<op name>#<n>`. `<function>` is the symbol name
/// of the enclosing function. Names are not made unique: two ops with the
/// same `loc("name")` give their results the same name.
///
/// Indices are computed on first use per function and cached: name every
/// value you need before changing the IR.
class ValueNamer {
public:
  std::string getName(mlir::Value value);

private:
  /// The name of `op` itself (its results' name without `#k`).
  std::string getOpName(mlir::Operation *op);
  /// The index of `op` among the ops of its name in `scope`.
  unsigned getOpIndex(mlir::Operation *scope, mlir::Operation *op);
  /// `<function>/`, `<name of a payload op>/`, or nothing at the top level.
  std::string getScopePrefix(mlir::Operation *scope);

  llvm::DenseMap<mlir::Operation *, llvm::DenseMap<mlir::Operation *, unsigned>>
      indices;
};

/// The name of `value` by the rules of `ValueNamer` (without caching).
std::string getValueName(mlir::Value value);

} // namespace qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_VALUENAMES_H
