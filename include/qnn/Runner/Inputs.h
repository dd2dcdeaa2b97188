//===- Inputs.h - Arrays named on a command line ----------------*- C++ -*-===//
//
// How runner tools name arrays: `data.npy`, `data.npz` (every member, in
// archive order) or `data.npz:member[,member...]`; several specs separated by
// commas (`a.npy,b.npy`), a piece without a .npy/.npz suffix being one more
// member of the archive before it (`data.npz:images,masks`).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_INPUTS_H
#define QNN_RUNNER_INPUTS_H

#include "qnn/Runner/Array.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace qnn::runner {

/// One array (or archive) a spec names.
struct ArraySource {
  std::string path;
  /// Members of an .npz; empty for a .npy file or for every member.
  std::vector<std::string> members;
};

/// Splits specs (each possibly comma-separated) into sources.
llvm::Expected<std::vector<ArraySource>>
parseArraySpecs(llvm::ArrayRef<std::string> specs);

/// Loads the arrays `specs` name, in order; each is named "file.npy" or
/// "file.npz:member". An archive without members is an error.
llvm::Expected<std::vector<NamedArray>>
loadArrays(llvm::ArrayRef<std::string> specs);

/// Loads exactly one array (`labels.npy`, `test-set.npz:labels`).
llvm::Expected<NamedArray> loadArray(llvm::StringRef spec);

} // namespace qnn::runner

#endif // QNN_RUNNER_INPUTS_H
