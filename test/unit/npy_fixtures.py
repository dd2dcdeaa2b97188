""".npy/.npz files written by numpy for the runner's unit tests (test/unit),
and the check that numpy reads back what the runner writes.

    npy_fixtures.py write --output-dir DIR   # the build runs this
    npy_fixtures.py check DIR                # RunnerNpyTest runs this

Every array holds values given by `expected(dtype, count)`, a formula
RunnerNpyTest.cpp computes the same way, so that the C++ side checks values
without reading anything numpy computed. Malformed files (truncated, corrupt,
unsupported dtypes) are derived from valid ones here, at build time: no binary
fixture is committed.
"""

import argparse
import io
import os
import sys
import zipfile

import numpy as np

DTYPES = ["float32", "float64", "int8", "uint8", "int16", "int32", "int64", "bool"]
SHAPE = (2, 3, 4)


def expected(dtype, count):
    """The values of element 0..count-1 (C order); see RunnerNpyTest.cpp."""
    i = np.arange(count, dtype=np.int64)
    if dtype in ("float32", "float64"):
        return ((i % 13) * 0.25 - 1.5).astype(dtype)
    if dtype == "int8":
        return ((i * 37) % 256 - 128).astype(np.int8)
    if dtype == "uint8":
        return ((i * 37) % 256).astype(np.uint8)
    if dtype == "int16":
        return ((i * 1237) % 65536 - 32768).astype(np.int16)
    if dtype == "int32":
        return (i * 1000003 - 123456789).astype(np.int32)
    if dtype == "int64":
        return (i * 1000000000000 - (1 << 62)).astype(np.int64)
    if dtype == "bool":
        return i % 3 == 0
    raise ValueError(dtype)


def array(dtype, shape=SHAPE):
    return expected(dtype, int(np.prod(shape))).reshape(shape)


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def npy_bytes(a, **kwargs):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, a, **kwargs)
    return buffer.getvalue()


def write(out):
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)  # noqa: E731

    for dtype in DTYPES:
        np.save(p(f"{dtype}.npy"), array(dtype))
    np.save(p("scalar.npy"), np.float64(2.5))
    np.save(p("empty.npy"), np.zeros((0, 5), dtype=np.float32))
    np.save(p("big_endian_int32.npy"), array("int32").astype(">i4"))
    np.save(p("big_endian_float64.npy"), array("float64").astype(">f8"))
    write_bytes(p("version2.npy"), npy_bytes(array("float32"), version=(2, 0)))

    members = {"a": array("float32"), "b": array("int64", (5,)), "c": array("bool", (2, 2))}
    np.savez(p("stored.npz"), **members)
    np.savez_compressed(p("deflated.npz"), **members)
    np.savez(p("empty.npz"))

    # Unsupported or malformed .npy files.
    np.save(p("fortran.npy"), np.asfortranarray(array("float32")))
    np.save(p("complex64.npy"), array("float32").astype(np.complex64))
    np.save(p("float16.npy"), array("float32").astype(np.float16))
    np.save(p("object.npy"), np.array([1, "two", None], dtype=object), allow_pickle=True)
    np.save(p("structured.npy"), np.zeros(3, dtype=[("x", "<f4"), ("y", "<i4")]))
    np.save(p("unicode.npy"), np.array(["ab", "cd"]))
    valid = npy_bytes(array("float32"))
    write_bytes(p("truncated_header.npy"), valid[:20])
    write_bytes(p("truncated_prefix.npy"), valid[:7])
    write_bytes(p("bad_magic.npy"), b"\x94" + valid[1:])
    write_bytes(p("truncated_data.npy"), valid[:-4])
    shape_text = b"(2, 3, 4)"
    assert valid.count(shape_text) == 1
    write_bytes(p("shape_mismatch.npy"), valid.replace(shape_text, b"(2, 3, 5)"))
    write_bytes(p("bad_header.npy"), valid.replace(b"'descr'", b"'dscr' "))

    # Malformed .npz archives.
    write_bytes(p("not_a_zip.npz"), b"this is not a zip archive\n" * 4)
    with open(p("stored.npz"), "rb") as f:
        stored = f.read()
    write_bytes(p("truncated.npz"), stored[: len(stored) // 2])
    with open(p("deflated.npz"), "rb") as f:
        deflated = bytearray(f.read())
    with zipfile.ZipFile(p("deflated.npz")) as archive:
        info = archive.getinfo("a.npy")
    # The local header is 30 bytes plus the name and the extra field.
    name_length = int.from_bytes(deflated[info.header_offset + 26:info.header_offset + 28], "little")
    extra_length = int.from_bytes(deflated[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    for k in range(info.compress_size // 3, info.compress_size // 3 + 8):
        deflated[start + k] ^= 0x5A
    write_bytes(p("corrupt_data.npz"), bytes(deflated))
    with zipfile.ZipFile(p("bad_member.npz"), "w") as archive:
        archive.writestr("x.npy", b"not an npy file")


def check(directory):
    """Loads what RunnerNpyTest wrote and compares it with `expected`."""
    failures = []

    def compare(name, got, dtype, shape):
        want = array(dtype, shape)
        if got.dtype != want.dtype or got.shape != want.shape or not np.array_equal(got, want):
            failures.append(f"{name}: got {got.dtype} {got.shape}, want {want.dtype} {want.shape}")

    for dtype in DTYPES:
        compare(f"{dtype}.npy", np.load(os.path.join(directory, f"{dtype}.npy")), dtype, SHAPE)
    for archive in ("stored.npz", "deflated.npz"):
        path = os.path.join(directory, archive)
        with zipfile.ZipFile(path) as z:
            kinds = {info.compress_type for info in z.infolist()}
        want_kind = zipfile.ZIP_DEFLATED if archive == "deflated.npz" else zipfile.ZIP_STORED
        if kinds != {want_kind}:
            failures.append(f"{archive}: compression {kinds}, want {want_kind}")
        with np.load(path) as data:
            if list(data.keys()) != DTYPES:
                failures.append(f"{archive}: members {list(data.keys())}")
            for dtype in DTYPES:
                compare(f"{archive}:{dtype}", data[dtype], dtype, SHAPE)
    compare("scalar.npy", np.load(os.path.join(directory, "scalar.npy")), "float64", ())
    compare("empty.npy", np.load(os.path.join(directory, "empty.npy")), "float32", (0, 5))
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("--output-dir", required=True)
    c = sub.add_parser("check")
    c.add_argument("directory")
    args = parser.parse_args()
    if args.command == "write":
        write(args.output_dir)
        return 0
    return check(args.directory)


if __name__ == "__main__":
    sys.exit(main())
