//===- Npy.cpp - numpy .npy files -----------------------------------------===//
//
// The format (numpy's NEP 1): the magic "\x93NUMPY", a version byte pair, the
// header length (2 bytes in version 1, 4 in versions 2 and 3), then a Python
// dict literal with 'descr', 'fortran_order' and 'shape', padded with spaces
// and ended by a newline; the data follows.
//
//===----------------------------------------------------------------------===//

#include "qnn/Runner/Npy.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>
#include <optional>

namespace qnn::runner {

static constexpr char kMagic[] = "\x93NUMPY";
static constexpr size_t kMagicSize = 6;

static llvm::Error fail(llvm::StringRef sourceName,
                        const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (sourceName + ": " + message).str().c_str());
}

namespace {
/// The fields of a .npy header.
struct Header {
  std::string descr;
  bool fortranOrder = false;
  llvm::SmallVector<int64_t, 4> shape;
};

/// A parser of the Python dict literal numpy writes. It accepts what
/// numpy's own `ast.literal_eval` of these headers accepts in practice:
/// single- or double-quoted keys, True/False, tuples of integers.
class HeaderParser {
public:
  HeaderParser(llvm::StringRef text, llvm::StringRef sourceName)
      : text(text), sourceName(sourceName) {}

  llvm::Expected<Header> parse() {
    Header header;
    bool sawDescr = false, sawOrder = false, sawShape = false;
    skipSpace();
    if (!consume('{'))
      return error("expected '{'");
    while (true) {
      skipSpace();
      if (consume('}'))
        break;
      std::optional<std::string> key = parseString();
      if (!key)
        return error("expected a quoted key");
      skipSpace();
      if (!consume(':'))
        return error("expected ':' after '" + *key + "'");
      skipSpace();
      if (*key == "descr") {
        if (text.starts_with("["))
          return fail(sourceName, "structured dtypes (records) are not "
                                  "supported");
        std::optional<std::string> descr = parseString();
        if (!descr)
          return error("expected a string for 'descr'");
        header.descr = *descr;
        sawDescr = true;
      } else if (*key == "fortran_order") {
        if (consumeWord("True"))
          header.fortranOrder = true;
        else if (consumeWord("False"))
          header.fortranOrder = false;
        else
          return error("expected True or False for 'fortran_order'");
        sawOrder = true;
      } else if (*key == "shape") {
        if (!parseShape(header.shape))
          return error("expected a tuple of non-negative integers for "
                       "'shape'");
        sawShape = true;
      } else {
        return error("unexpected key '" + *key + "'");
      }
      skipSpace();
      if (consume(','))
        continue;
      skipSpace();
      if (consume('}'))
        break;
      return error("expected ',' or '}'");
    }
    if (!sawDescr || !sawOrder || !sawShape)
      return error("missing 'descr', 'fortran_order' or 'shape'");
    return header;
  }

private:
  llvm::Error error(const llvm::Twine &what) {
    return fail(sourceName, "malformed .npy header: " + what);
  }
  void skipSpace() { text = text.ltrim(" \t\r\n"); }
  bool consume(char c) { return text.consume_front(llvm::StringRef(&c, 1)); }
  bool consumeWord(llvm::StringRef word) { return text.consume_front(word); }

  std::optional<std::string> parseString() {
    if (text.empty() || (text[0] != '\'' && text[0] != '"'))
      return std::nullopt;
    char quote = text[0];
    size_t end = text.find(quote, 1);
    if (end == llvm::StringRef::npos)
      return std::nullopt;
    std::string value = text.substr(1, end - 1).str();
    text = text.drop_front(end + 1);
    return value;
  }

  bool parseShape(llvm::SmallVectorImpl<int64_t> &shape) {
    if (!consume('('))
      return false;
    while (true) {
      skipSpace();
      if (consume(')'))
        return true;
      size_t digits = 0;
      while (digits < text.size() && llvm::isDigit(text[digits]))
        ++digits;
      // Dimensions beyond 2^62 overflow byte counts long before they could
      // be real; reject them rather than wrap.
      if (digits == 0 || digits > 18)
        return false;
      int64_t dim = 0;
      if (text.take_front(digits).getAsInteger(10, dim))
        return false;
      shape.push_back(dim);
      text = text.drop_front(digits);
      // numpy writes "3L" in Python 2 files.
      consume('L');
      skipSpace();
      if (consume(','))
        continue;
      skipSpace();
      if (consume(')'))
        return true;
      return false;
    }
  }

  llvm::StringRef text;
  llvm::StringRef sourceName;
};
} // namespace

/// numpy's name for a descr the runner does not read, for messages.
static std::string describeDescr(llvm::StringRef descr) {
  llvm::StringRef body = descr.ltrim("<>|=");
  if (body.empty())
    return "";
  unsigned size = 0;
  bool hasSize = !body.drop_front().getAsInteger(10, size);
  auto sized = [&](llvm::StringRef kind, unsigned bitsPerUnit) {
    return hasSize ? (kind + llvm::Twine(size * bitsPerUnit)).str()
                   : kind.str();
  };
  switch (body[0]) {
  case 'f':
    return sized("float", 8);
  case 'i':
    return sized("int", 8);
  case 'u':
    return sized("uint", 8);
  case 'c':
    return sized("complex", 8);
  case 'b':
  case '?':
    return "bool";
  case 'U':
    return "unicode string";
  case 'S':
  case 'a':
    return "byte string";
  case 'O':
    return "Python object";
  case 'M':
    return "datetime64";
  case 'm':
    return "timedelta64";
  case 'V':
    return "void (raw bytes)";
  default:
    return "";
  }
}

/// The dtype of a descr, and whether its bytes must be swapped.
static llvm::Expected<std::pair<DType, bool>>
parseDescr(llvm::StringRef descr, llvm::StringRef sourceName) {
  char order = descr.empty() ? '?' : descr[0];
  llvm::StringRef body = descr;
  if (order == '<' || order == '>' || order == '|' || order == '=')
    body = body.drop_front();
  std::optional<DType> dtype;
  if (body == "f4")
    dtype = DType::Float32;
  else if (body == "f8")
    dtype = DType::Float64;
  else if (body == "i1")
    dtype = DType::Int8;
  else if (body == "u1")
    dtype = DType::UInt8;
  else if (body == "i2")
    dtype = DType::Int16;
  else if (body == "i4")
    dtype = DType::Int32;
  else if (body == "i8")
    dtype = DType::Int64;
  else if (body == "b1" || body == "?")
    dtype = DType::Bool;
  if (!dtype) {
    std::string name = describeDescr(descr);
    return fail(sourceName,
                "unsupported dtype '" + descr + "'" +
                    (name.empty() ? "" : " (" + name + ")") +
                    "; the runner reads float32, float64, int8, uint8, "
                    "int16, int32, int64 and bool");
  }
  return std::make_pair(*dtype, order == '>' && dtypeSize(*dtype) > 1);
}

static uint32_t readLittleEndian(const uint8_t *p, unsigned bytes) {
  uint32_t value = 0;
  for (unsigned i = 0; i < bytes; ++i)
    value |= static_cast<uint32_t>(p[i]) << (8 * i);
  return value;
}

llvm::Expected<Array> parseNpy(llvm::ArrayRef<uint8_t> bytes,
                               llvm::StringRef sourceName) {
  if (bytes.size() < kMagicSize ||
      std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
    return fail(sourceName, "not a .npy file (bad magic)");
  if (bytes.size() < kMagicSize + 2)
    return fail(sourceName, "truncated .npy header");
  uint8_t major = bytes[kMagicSize];
  if (major < 1 || major > 3)
    return fail(sourceName, "unsupported .npy format version " +
                                llvm::Twine(unsigned(major)) + "." +
                                llvm::Twine(unsigned(bytes[kMagicSize + 1])));
  unsigned lengthBytes = major == 1 ? 2 : 4;
  size_t prefix = kMagicSize + 2 + lengthBytes;
  if (bytes.size() < prefix)
    return fail(sourceName, "truncated .npy header");
  size_t headerLength =
      readLittleEndian(bytes.data() + kMagicSize + 2, lengthBytes);
  if (bytes.size() - prefix < headerLength)
    return fail(sourceName,
                "truncated .npy header (" + llvm::Twine(headerLength) +
                    " bytes announced, " + llvm::Twine(bytes.size() - prefix) +
                    " present)");
  llvm::StringRef headerText(
      reinterpret_cast<const char *>(bytes.data()) + prefix, headerLength);
  llvm::Expected<Header> header = HeaderParser(headerText, sourceName).parse();
  if (!header)
    return header.takeError();
  if (header->fortranOrder)
    return fail(sourceName,
                "Fortran-ordered arrays are not supported; save a C-ordered "
                "copy (np.ascontiguousarray)");
  auto dtype = parseDescr(header->descr, sourceName);
  if (!dtype)
    return dtype.takeError();

  // Check the size before allocating: a corrupt shape must not make the
  // runner allocate terabytes.
  std::optional<int64_t> needed = dtypeSize(dtype->first);
  for (int64_t dim : header->shape)
    if (needed)
      needed = llvm::checkedMul(*needed, dim);
  size_t available = bytes.size() - prefix - headerLength;
  if (!needed || available != static_cast<uint64_t>(*needed))
    return fail(sourceName,
                "data size mismatch: a " + formatShape(header->shape) + " " +
                    dtypeName(dtype->first) + " array needs " +
                    (needed ? llvm::Twine(*needed) : llvm::Twine("too many")) +
                    " bytes, the file has " + llvm::Twine(available));
  Array array(dtype->first, header->shape);
  if (array.byteSize())
    std::memcpy(array.data(), bytes.data() + prefix + headerLength,
                array.byteSize());
  if (dtype->second) {
    int64_t size = dtypeSize(dtype->first);
    for (uint8_t *p = array.data(), *end = p + array.byteSize(); p < end;
         p += size)
      std::reverse(p, p + size);
  }
  return array;
}

static llvm::StringRef descrOf(DType dtype) {
  switch (dtype) {
  case DType::Float32:
    return "<f4";
  case DType::Float64:
    return "<f8";
  case DType::Int8:
    return "|i1";
  case DType::UInt8:
    return "|u1";
  case DType::Int16:
    return "<i2";
  case DType::Int32:
    return "<i4";
  case DType::Int64:
    return "<i8";
  case DType::Bool:
    return "|b1";
  }
  llvm_unreachable("unknown dtype");
}

std::vector<uint8_t> serializeNpy(const Array &array) {
  static_assert(llvm::endianness::native == llvm::endianness::little,
                "the runner writes little-endian data as it is in memory");
  std::string header;
  llvm::raw_string_ostream os(header);
  os << "{'descr': '" << descrOf(array.dtype())
     << "', 'fortran_order': False, 'shape': (";
  for (int64_t dim : array.shape())
    os << dim << (array.rank() == 1 ? "," : ", ");
  if (array.rank() > 1)
    header.resize(header.size() - 2);
  os << "), }";
  // Pad with spaces so that the data starts at a multiple of 64 bytes,
  // then end the header with a newline, as numpy does.
  size_t unpadded = kMagicSize + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';

  std::vector<uint8_t> bytes(kMagic, kMagic + kMagicSize);
  bytes.push_back(1);
  bytes.push_back(0);
  bytes.push_back(static_cast<uint8_t>(header.size() & 0xff));
  bytes.push_back(static_cast<uint8_t>(header.size() >> 8));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), array.bytes().begin(), array.bytes().end());
  return bytes;
}

llvm::Expected<Array> readNpy(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(path, buffer.getError().message());
  llvm::ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
      (*buffer)->getBufferSize());
  return parseNpy(bytes, path);
}

llvm::Error writeNpy(llvm::StringRef path, const Array &array) {
  std::vector<uint8_t> bytes = serializeNpy(array);
  return llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
    return llvm::Error::success();
  });
}

} // namespace qnn::runner
