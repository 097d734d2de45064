"""Bytes to text: byte-order marks, UTF-8, legacy single-byte encodings, and files that mix them."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from newsprism.errors import EmptyInputError, EncodingError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that never occur in text files (tab, newline, CR, form feed are fine).
_BINARY_CONTROLS = set(range(0, 9)) | {11} | set(range(14, 32)) - {27}
_CONTROL_BYTES = [bytes([b]) for b in sorted(_BINARY_CONTROLS)]


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not text in any encoding (NULs or many control bytes)."""
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(b) for b in _CONTROL_BYTES)  # C-speed counting
    return controls / len(sample) > 0.05


def decode_bytes(data: bytes, *, where: str) -> tuple[str, str]:
    """Decode article bytes to text; returns (text, encoding used).

    Order: a byte-order mark wins; then strict UTF-8; then UTF-8 with the invalid byte runs
    read as cp1252 (files stitched together from UTF-8 and Windows sources); then the best guess
    of charset-normalizer for wholly legacy files (cp1252, latin-1, ...).
    """
    if not data.strip():
        raise EmptyInputError("the file is empty", where=where, hint="nothing to ingest")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise EncodingError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}: {err}",
                    where=where,
                    hint="re-save the file as UTF-8",
                ) from err
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    head = data[:8192]
    if 0 < head.count(0) <= 0.1 * len(head) and not looks_binary(head.replace(b"\x00", b"")):
        at, count = data.index(b"\x00"), data.count(b"\x00")
        raise EncodingError(
            f"text with {count:,} NUL byte(s) (the first at byte {at:,}), which no text file holds",
            where=where,
            hint="the file was damaged or padded; remove the NUL bytes and ingest it again",
        )
    if looks_binary(data):
        raise EncodingError(
            "looks like a binary file, not text or HTML",
            where=where,
            hint="give newsprism .txt, .html, .jsonl, feed or WARC files",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed, "utf-8+cp1252"
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise EncodingError(
            "could not tell which text encoding this file uses",
            where=where,
            hint="re-save the file as UTF-8",
        )
    return str(best), best.encoding


def decode_unsplittable(data: bytes, *, where: str) -> str | None:
    """The text of ``data`` when it cannot be cut into lines as bytes before decoding (it
    starts with a byte-order mark, or is UTF-16 without one), else None.

    Raises EmptyInputError for data that is only white space, EncodingError when a byte-order
    mark does not match the bytes after it.
    """
    if not data.strip():
        raise EmptyInputError("the file is empty", where=where, hint="nothing to ingest")
    if data.startswith(tuple(bom for bom, _ in _BOMS)):
        return decode_bytes(data, where=where)[0]
    utf16 = _utf16_without_bom(data)
    return utf16[0] if utf16 is not None else None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text with no byte-order mark: mostly-ASCII text has a NUL in every other byte.

    Returns (text, encoding) when one byte order reads as such text throughout, else None.
    """
    sample = data[:8192]
    if len(sample) < 8:
        return None
    half = len(sample) // 2
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    for encoding, nuls, others in (("utf-16-le", odd_nuls, even_nuls),
                                   ("utf-16-be", even_nuls, odd_nuls)):  # fmt: skip
        if nuls >= 0.6 * half and others <= 0.02 * half:
            try:
                text = data[: len(data) - len(data) % 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            if not looks_binary(text.encode("utf-8", "replace")):
                return text, encoding
    return None


def _decode_mixed(data: bytes) -> str | None:
    """Decode mostly-UTF-8 bytes whose stray invalid bytes come from cp1252.

    Returns None when valid UTF-8 multi-byte sequences are not the majority of the non-ASCII
    text: then the file is a legacy encoding throughout and a detector does better.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    valid_multibyte = sum(1 for ch in text if ord(ch) > 127 and not 0xDC80 <= ord(ch) <= 0xDCFF)
    invalid = sum(1 for ch in text if 0xDC80 <= ord(ch) <= 0xDCFF)
    if valid_multibyte == 0 or valid_multibyte < invalid:
        return None
    out: list[str] = []
    run = bytearray()
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            run.append(code - 0xDC00)
            continue
        if run:
            out.append(run.decode("cp1252", errors="replace"))
            run.clear()
        out.append(ch)
    if run:
        out.append(run.decode("cp1252", errors="replace"))
    return "".join(out)
