"""From a path or bytes to text: size limits, binary detection and strict UTF-8 decoding.

Nothing here guesses an encoding silently: UTF-8 (with or without a byte-order mark) is the only
encoding read, except UTF-16 with a byte-order mark and HTML that declares its own charset.
"""

from __future__ import annotations

import codecs
import re
import stat
import sys
from pathlib import Path

from copydesk.errors import InputError


class UnreadableFileError(InputError):
    """The bytes of a file cannot be read as text (missing, binary, not UTF-8, too large, empty).

    Inside a source folder such files are skipped with a warning; named directly they are an error.
    """


# Magic numbers of the files people most often pass by mistake.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document; copy its text into a .txt file"),
    (b"PK\x03\x04", "a ZIP archive, or a .docx/.odt/.epub, which are ZIP archives; save it as .txt"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive; decompress it first"),
    (b"\xfd7zXZ\x00", "an xz archive; decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; decompress it first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document; save it as .txt"),
    (b"{\\rtf", "an RTF document; save it as .txt"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
)

# Control bytes that never occur in text (tab, newlines, form feed and escape are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_RATIO = 0.05
_SAMPLE = 64 * 1024

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)


def label(name: str | Path) -> str:
    """How a file is named in messages: the path as given, on one line."""
    text = str(name)
    return re.sub(r"[\x00-\x1f\x7f]", "?", text) or "(unnamed)"


def megabytes(size: int) -> str:
    """A size in MB of 1024 x 1024 bytes (as ``ls -h`` and file managers count), "30 MB" or "0.5 MB"."""
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 1 and abs(value - round(value)) < 0.05 else f"{value:.1f} MB"


def too_large(name: str, size: int | None, limit: int, kind: str, advice: str) -> UnreadableFileError:
    size_text = f"{megabytes(size)}, " if size is not None else ""
    return UnreadableFileError(
        f"{name}: the file is too large ({size_text}over the {megabytes(limit)} limit for a {kind}); {advice}"
    )


def read_file_limited(path: Path, *, limit: int, kind: str, advice: str) -> bytes:
    """The bytes of ``path``, refusing files over ``limit`` bytes before reading them.

    The size is checked with stat() first, and at most ``limit + 1`` bytes are ever read, so a
    huge file (or a device such as /dev/zero) fails fast without filling memory.
    """
    name = label(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UnreadableFileError(f"{name}: no such file; check the path") from None
    except PermissionError:
        raise UnreadableFileError(f"{name}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise UnreadableFileError(f"{name}: cannot read it ({exc.strerror or exc}); check the path") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFileError(f"{name}: is a folder, not a {kind} file; give the path of a file")
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise too_large(name, info.st_size, limit, kind, advice)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except PermissionError:
        raise UnreadableFileError(f"{name}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise UnreadableFileError(f"{name}: cannot read it ({exc.strerror or exc}); check the path") from None
    if len(data) > limit:
        raise too_large(name, None, limit, kind, advice)
    return data


def read_stdin_limited(*, limit: int, kind: str, advice: str) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (some embedders); it is already decoded
        data = sys.stdin.read(limit + 1).encode("utf-8", errors="surrogatepass")
    else:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large("stdin", None, limit, kind, advice)
    return data


def binary_kind(data: bytes) -> str | None:
    """What binary file ``data`` looks like, or None when it may be text."""
    for signature, description in _SIGNATURES:
        if data.startswith(signature):
            return description
    if b"\x00" in data:
        return "it holds NUL bytes"
    sample = data[:_SAMPLE]
    if sample and len(sample) - len(sample.translate(None, _CONTROL_BYTES)) > _CONTROL_RATIO * len(sample):
        return "it is full of control characters"
    return None


def decode_text(name: str, data: bytes, *, kind: str, html: bool = False) -> str:
    """Decode ``data`` as UTF-8 (a byte-order mark is dropped), or raise one line saying where it fails.

    UTF-16 with a byte-order mark is decoded too; HTML that is not UTF-8 but declares its charset in
    a ``<meta>`` tag is decoded with the declared charset.
    """
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if utf16 and not data.startswith(codecs.BOM_UTF32_LE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"{name}: not valid UTF-16 at byte {exc.start}; re-save it as UTF-8"
            ) from None
    what = binary_kind(data)
    if what is not None:
        raise UnreadableFileError(
            f"{name}: a binary file ({what}), not a text {kind}; give a .txt, .md, .html or .json file"
        )
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        position = exc.start + bom
        declared = _declared_charset(data) if html else None
        if declared is not None:
            try:
                return data.decode(declared)
            except UnicodeDecodeError as declared_exc:
                raise UnreadableFileError(
                    f"{name}: not valid {declared} (as its <meta charset> declares) at byte "
                    f"{declared_exc.start}; re-save it as UTF-8"
                ) from None
        line = data.count(b"\n", 0, position) + 1
        raise UnreadableFileError(
            f"{name}: not valid UTF-8 at byte {position} (line {line}); re-save it as UTF-8"
        ) from None


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if codec in ("utf-8", "utf-8-sig"):
        return None
    # As browsers do (WHATWG encoding standard): Latin-1 and ASCII labels mean Windows-1252.
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec
