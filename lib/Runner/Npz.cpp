//===- Npz.cpp - numpy .npz archives through libzip -----------------------===//
//
// An .npz file is a zip archive of .npy members named "<key>.npy", stored
// (np.savez) or deflated (np.savez_compressed). Archives are read from and
// written to memory so that file errors come from LLVM's file APIs, which
// name the cause (errno), and libzip only ever sees bytes.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runner/Npy.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <zip.h>

#include <memory>

namespace qnn::runner {

static llvm::Error fail(llvm::StringRef sourceName,
                        const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (sourceName + ": " + message).str().c_str());
}

/// libzip's message for `error`, which it then releases.
static std::string takeMessage(zip_error_t &error) {
  std::string message = zip_error_strerror(&error);
  zip_error_fini(&error);
  return message;
}

namespace {
/// An archive opened for reading from an in-memory copy of the file.
class ZipReader {
public:
  static llvm::Expected<std::unique_ptr<ZipReader>> open(llvm::StringRef path) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer)
      return fail(path, buffer.getError().message());
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *source = zip_source_buffer_create((*buffer)->getBufferStart(),
                                                    (*buffer)->getBufferSize(),
                                                    /*freep=*/0, &error);
    if (!source)
      return fail(path, takeMessage(error));
    zip_t *archive =
        zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (!archive) {
      zip_source_free(source);
      return fail(path,
                  "not a valid .npz (zip) archive: " + takeMessage(error));
    }
    zip_error_fini(&error);
    return std::unique_ptr<ZipReader>(
        new ZipReader(path, std::move(*buffer), archive));
  }

  ~ZipReader() { zip_discard(archive); }

  int64_t numMembers() const { return zip_get_num_entries(archive, 0); }

  /// The name of member `index` as stored ("images.npy").
  llvm::StringRef storedName(int64_t index) const {
    const char *name = zip_get_name(archive, index, ZIP_FL_ENC_GUESS);
    return name ? llvm::StringRef(name) : llvm::StringRef();
  }

  /// The name np.load gives member `index` ("images").
  llvm::StringRef key(int64_t index) const {
    llvm::StringRef name = storedName(index);
    name.consume_back(".npy");
    return name;
  }

  llvm::Expected<Array> readMember(int64_t index) const {
    std::string sourceName = (path + ":" + key(index)).str();
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, index, 0, &stat) != 0)
      return fail(sourceName, zip_strerror(archive));
    if (!(stat.valid & ZIP_STAT_SIZE) || !(stat.valid & ZIP_STAT_COMP_SIZE))
      return fail(sourceName, "the archive does not record the member size");
    // Deflate expands at most ~1032:1; a larger claim is a corrupt entry,
    // and must not make the runner allocate it.
    if (stat.comp_size > archiveSize ||
        stat.size > stat.comp_size * 1032 + 1024)
      return fail(sourceName, "corrupt archive: implausible member size " +
                                  llvm::Twine(stat.size));
    zip_file_t *file = zip_fopen_index(archive, index, 0);
    if (!file)
      return fail(sourceName, zip_strerror(archive));
    std::vector<uint8_t> bytes(stat.size);
    zip_int64_t read = zip_fread(file, bytes.data(), bytes.size());
    // One more read must find the end: that is when libzip checks the CRC.
    uint8_t extra;
    zip_int64_t more = read == static_cast<zip_int64_t>(bytes.size())
                           ? zip_fread(file, &extra, 1)
                           : 0;
    std::string message = zip_file_strerror(file);
    zip_fclose(file);
    if (read < 0 || more < 0)
      return fail(sourceName, "corrupt archive: " + message);
    if (read != static_cast<zip_int64_t>(bytes.size()) || more != 0)
      return fail(sourceName, "corrupt archive: the member holds " +
                                  llvm::Twine(read + more) +
                                  " bytes, its entry says " +
                                  llvm::Twine(bytes.size()));
    return parseNpy(bytes, sourceName);
  }

private:
  ZipReader(llvm::StringRef path, std::unique_ptr<llvm::MemoryBuffer> buffer,
            zip_t *archive)
      : path(path.str()), buffer(std::move(buffer)), archive(archive),
        archiveSize(this->buffer->getBufferSize()) {}

  std::string path;
  // libzip reads from this buffer; it must outlive `archive`.
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  zip_t *archive;
  uint64_t archiveSize;
};
} // namespace

llvm::Expected<std::vector<NamedArray>> readNpz(llvm::StringRef path) {
  auto reader = ZipReader::open(path);
  if (!reader)
    return reader.takeError();
  std::vector<NamedArray> arrays;
  for (int64_t i = 0, e = (*reader)->numMembers(); i < e; ++i) {
    llvm::Expected<Array> array = (*reader)->readMember(i);
    if (!array)
      return array.takeError();
    arrays.push_back({(*reader)->key(i).str(), std::move(*array)});
  }
  return arrays;
}

llvm::Expected<Array> readNpzMember(llvm::StringRef path,
                                    llvm::StringRef member) {
  auto reader = ZipReader::open(path);
  if (!reader)
    return reader.takeError();
  llvm::StringRef key = member;
  key.consume_back(".npy");
  std::string names;
  for (int64_t i = 0, e = (*reader)->numMembers(); i < e; ++i) {
    if ((*reader)->key(i) == key)
      return (*reader)->readMember(i);
    names += (names.empty() ? "" : ", ") + (*reader)->key(i).str();
  }
  return fail(path, "no member '" + key + "' (" +
                        (names.empty() ? std::string("the archive is empty")
                                       : "it has: " + names) +
                        ")");
}

llvm::Error writeNpz(llvm::StringRef path, llvm::ArrayRef<NamedArray> arrays,
                     bool compress) {
  llvm::StringSet<> names;
  for (const NamedArray &named : arrays) {
    if (named.name.empty())
      return fail(path, "an .npz member needs a name");
    if (!names.insert(named.name).second)
      return fail(path, "two members named '" + named.name + "'");
  }

  // Build the archive in a growable in-memory source, then write its bytes.
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t *memory = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!memory)
    return fail(path, takeMessage(error));
  zip_t *archive = zip_open_from_source(memory, ZIP_TRUNCATE, &error);
  if (!archive) {
    zip_source_free(memory);
    return fail(path, takeMessage(error));
  }
  zip_error_fini(&error);
  // zip_close would free the source; it still holds the result.
  zip_source_keep(memory);
  auto discard = [&](const llvm::Twine &message) {
    std::string text = message.str();
    zip_discard(archive);
    zip_source_free(memory);
    return fail(path, text);
  };

  // libzip reads the member bytes when the archive is closed.
  std::vector<std::vector<uint8_t>> members;
  members.reserve(arrays.size());
  for (const NamedArray &named : arrays) {
    members.push_back(serializeNpy(named.array));
    zip_source_t *data = zip_source_buffer(archive, members.back().data(),
                                           members.back().size(), 0);
    if (!data)
      return discard(zip_strerror(archive));
    zip_int64_t index = zip_file_add(archive, (named.name + ".npy").c_str(),
                                     data, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(data);
      return discard(zip_strerror(archive));
    }
    if (zip_set_file_compression(
            archive, index, compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) != 0)
      return discard(zip_strerror(archive));
  }
  if (zip_close(archive) != 0)
    return discard(zip_strerror(archive));

  std::vector<char> bytes;
  bool ok = zip_source_open(memory) == 0;
  if (ok) {
    ok = zip_source_seek(memory, 0, SEEK_END) == 0;
    zip_int64_t size = ok ? zip_source_tell(memory) : -1;
    ok = size >= 0 && zip_source_seek(memory, 0, SEEK_SET) == 0;
    if (ok) {
      bytes.resize(size);
      ok = zip_source_read(memory, bytes.data(), size) == size;
    }
    zip_source_close(memory);
  }
  std::string message = ok ? "" : zip_error_strerror(zip_source_error(memory));
  zip_source_free(memory);
  if (!ok)
    return fail(path, "cannot assemble the archive: " + message);
  return llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    os.write(bytes.data(), bytes.size());
    return llvm::Error::success();
  });
}

} // namespace qnn::runner
