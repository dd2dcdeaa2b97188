//===- Inputs.cpp - Arrays named on a command line ------------------------===//

#include "qnn/Runner/Inputs.h"

#include "qnn/Runner/Npy.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace qnn::runner {

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 message.str().c_str());
}

static bool isArrayFile(llvm::StringRef path) {
  return path.ends_with(".npy") || path.ends_with(".npz");
}

llvm::Expected<std::vector<ArraySource>>
parseArraySpecs(llvm::ArrayRef<std::string> specs) {
  std::vector<ArraySource> sources;
  for (const std::string &spec : specs) {
    llvm::SmallVector<llvm::StringRef> pieces;
    llvm::StringRef(spec).split(pieces, ',');
    for (llvm::StringRef piece : pieces) {
      piece = piece.trim();
      if (piece.empty())
        return fail("empty array name in '" + spec + "'");
      // "data.npz:member": the last ':' after an .npz name.
      size_t colon = piece.rfind(':');
      if (colon != llvm::StringRef::npos &&
          piece.take_front(colon).ends_with(".npz")) {
        llvm::StringRef member = piece.drop_front(colon + 1);
        if (member.empty())
          return fail("no member named after ':' in '" + spec + "'");
        sources.push_back({piece.take_front(colon).str(), {member.str()}});
        continue;
      }
      if (isArrayFile(piece)) {
        sources.push_back({piece.str(), {}});
        continue;
      }
      if (sources.empty() ||
          !llvm::StringRef(sources.back().path).ends_with(".npz") ||
          sources.back().members.empty())
        return fail("'" + piece + "' in '" + spec +
                    "' is neither a .npy or .npz file nor a member of an "
                    ".npz named before it (data.npz:a,b)");
      sources.back().members.push_back(piece.str());
    }
  }
  return sources;
}

llvm::Expected<std::vector<NamedArray>>
loadArrays(llvm::ArrayRef<std::string> specs) {
  auto sources = parseArraySpecs(specs);
  if (!sources)
    return sources.takeError();
  std::vector<NamedArray> arrays;
  for (const ArraySource &source : *sources) {
    llvm::StringRef path = source.path;
    if (path.ends_with(".npy")) {
      auto array = readNpy(path);
      if (!array)
        return array.takeError();
      arrays.push_back({source.path, std::move(*array)});
      continue;
    }
    if (source.members.empty()) {
      auto members = readNpz(path);
      if (!members)
        return members.takeError();
      if (members->empty())
        return fail(path + ": the archive holds no arrays");
      for (NamedArray &member : *members)
        arrays.push_back(
            {source.path + ":" + member.name, std::move(member.array)});
      continue;
    }
    for (const std::string &member : source.members) {
      auto array = readNpzMember(path, member);
      if (!array)
        return array.takeError();
      arrays.push_back({source.path + ":" + member, std::move(*array)});
    }
  }
  return arrays;
}

llvm::Expected<NamedArray> loadArray(llvm::StringRef spec) {
  auto arrays = loadArrays({spec.str()});
  if (!arrays)
    return arrays.takeError();
  if (arrays->size() != 1)
    return fail("'" + spec + "' names " + llvm::Twine(arrays->size()) +
                " arrays; expected one (file.npy or file.npz:member)");
  return std::move(arrays->front());
}

} // namespace qnn::runner
