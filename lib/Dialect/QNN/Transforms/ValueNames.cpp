//===- ValueNames.cpp - Stable names of SSA values ------------------------===//

#include "qnn/Dialect/QNN/Transforms/ValueNames.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace qnn {

std::string getLocationName(Location loc) {
  if (auto nameLoc = dyn_cast<NameLoc>(loc))
    return nameLoc.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = getLocationName(inner); !name.empty())
        return name;
  return "";
}

/// Regions whose ops are counted with the enclosing function's: the
/// function body and the regions of control flow (scf.for, scf.if, ...).
/// Payload regions (linalg bodies, tensor.pad's) are scopes of their own, so
/// that the scalar ops in them do not shift the numbers of tensor ops.
static bool isControlFlow(Operation *op) {
  return isa<RegionBranchOpInterface>(op);
}

/// The op within which `op` is counted: the enclosing function, or the
/// nearest op with a payload region, or the top-level op.
static Operation *getScope(Operation *op) {
  for (Operation *parent = op->getParentOp(); parent;
       parent = parent->getParentOp())
    if (isa<FunctionOpInterface>(parent) || !isControlFlow(parent))
      return parent;
  return op;
}

unsigned ValueNamer::getOpIndex(Operation *scope, Operation *op) {
  auto [it, inserted] = indices.try_emplace(scope);
  if (inserted) {
    llvm::StringMap<unsigned> counts;
    scope->walk<WalkOrder::PreOrder>([&](Operation *nested) {
      if (nested == scope)
        return WalkResult::advance();
      it->second[nested] = counts[nested->getName().getStringRef()]++;
      if (nested->getNumRegions() != 0 && !isControlFlow(nested))
        return WalkResult::skip();
      return WalkResult::advance();
    });
  }
  return it->second.lookup(op);
}

std::string ValueNamer::getScopePrefix(Operation *scope) {
  auto symbol =
      scope->getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
  if (isa<FunctionOpInterface>(scope) || (symbol && scope->getParentOp()))
    return symbol ? symbol.str() + "/" : "";
  if (!scope->getParentOp())
    return "";
  return getOpName(scope) + "/";
}

std::string ValueNamer::getOpName(Operation *op) {
  if (std::string name = getLocationName(op->getLoc()); !name.empty())
    return name;
  Operation *scope = getScope(op);
  if (scope == op)
    return op->getName().getStringRef().str();
  return llvm::formatv("{0}{1}#{2}", getScopePrefix(scope), op->getName(),
                       getOpIndex(scope, op));
}

std::string ValueNamer::getName(Value value) {
  if (auto result = dyn_cast<OpResult>(value)) {
    std::string name = getOpName(result.getOwner());
    if (unsigned k = result.getResultNumber())
      name += llvm::formatv("#{0}", k).str();
    return name;
  }
  auto argument = cast<BlockArgument>(value);
  Block *block = argument.getOwner();
  Operation *parent = block->getParentOp();
  if (!parent)
    return llvm::formatv("arg{0}", argument.getArgNumber());
  Region *region = block->getParent();
  unsigned regionNumber = region->getRegionNumber();
  unsigned blockNumber = std::distance(region->begin(), block->getIterator());
  std::string prefix = isa<FunctionOpInterface>(parent) && regionNumber == 0
                           ? getScopePrefix(parent)
                           : getOpName(parent) + "/";
  if (regionNumber != 0)
    prefix += llvm::formatv("region{0}/", regionNumber).str();
  if (blockNumber != 0)
    prefix += llvm::formatv("bb{0}/", blockNumber).str();
  return llvm::formatv("{0}arg{1}", prefix, argument.getArgNumber());
}

std::string getValueName(Value value) { return ValueNamer().getName(value); }

} // namespace qnn
