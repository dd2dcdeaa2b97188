//===- Npy.h - numpy .npy and .npz files ------------------------*- C++ -*-===//
//
// Reads and writes the formats numpy's np.save, np.savez and
// np.savez_compressed produce, for the dtypes of Array (C order only).
// .npz archives go through libzip (stored and deflated members). Every error
// names the file (and the member of an archive) and says what is wrong.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNNER_NPY_H
#define QNN_RUNNER_NPY_H

#include "qnn/Runner/Array.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace qnn::runner {

/// Parses the bytes of a .npy file; `sourceName` is how errors name it.
llvm::Expected<Array> parseNpy(llvm::ArrayRef<uint8_t> bytes,
                               llvm::StringRef sourceName);

/// The bytes of `array` as a .npy file (format version 1.0, little endian,
/// the header padded to 64 bytes as numpy pads it).
std::vector<uint8_t> serializeNpy(const Array &array);

/// Reads a .npy file.
llvm::Expected<Array> readNpy(llvm::StringRef path);

/// Writes a .npy file.
llvm::Error writeNpy(llvm::StringRef path, const Array &array);

/// Every member of a .npz archive, in archive order, named as np.load names
/// them (without the ".npy" suffix).
llvm::Expected<std::vector<NamedArray>> readNpz(llvm::StringRef path);

/// One member of a .npz archive, by name (with or without ".npy").
llvm::Expected<Array> readNpzMember(llvm::StringRef path,
                                    llvm::StringRef member);

/// Writes `arrays` as a .npz archive: stored members like np.savez, or
/// deflated like np.savez_compressed when `compress` is set. Names must be
/// unique and non-empty.
llvm::Error writeNpz(llvm::StringRef path, llvm::ArrayRef<NamedArray> arrays,
                     bool compress = false);

} // namespace qnn::runner

#endif // QNN_RUNNER_NPY_H
