"""Turn raw bytes into text: BOMs, UTF-16 without BOM, UTF-8, then cp1252/latin-1; refuse binaries."""

from __future__ import annotations

from ..errors import InputError

# File signatures of formats that are never article text.
_MAGIC = {
    b"\xff\xd8\xff": "a JPEG image",
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"%PDF-": "a PDF document (extract its text first)",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF media file",
    b"OggS": "an Ogg media file",
    b"ID3": "an MP3 file",
}

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 from the pattern of NUL bytes in ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul = even.count(0) / max(len(even), 1)
    odd_nul = odd.count(0) / max(len(odd), 1)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:8192]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v\x00") or ch == "\ufffd")
    return bad / len(sample) > 0.05


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Decode ``data`` and return ``(text, encoding, warnings)``.

    Raises InputError(kind="binary") for images, archives and other non-text bytes.

    >>> decode("café".encode("cp1252"))[1]
    'cp1252'
    """
    warnings: list[str] = []
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"not text: the bytes are {what}", kind="binary")
    encoding = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            data = data[len(bom):] if name != "utf-8-sig" else data
            break
    if encoding is None:
        encoding = _utf16_without_bom(data)
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
        if encoding.startswith("utf-8"):
            encoding = "utf-8"
    else:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text, encoding, warnings = _decode_legacy(data)
    if "\x00" in text:
        if text.count("\x00") > len(text) * 0.1:
            raise InputError("not text: too many NUL bytes (a binary file?)", kind="binary")
        text = text.replace("\x00", "")
        warnings.append("NUL bytes removed")
    if _looks_binary(text):
        raise InputError("not text: too many control or undecodable characters", kind="binary")
    return text, encoding, warnings


def _decode_legacy(data: bytes) -> tuple[str, str, list[str]]:
    """Bytes that are not valid UTF-8: mostly-UTF-8 with a few bad bytes, or a legacy code page."""
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    multibyte = sum(1 for ch in replaced if ord(ch) > 127 and ch != "\ufffd")
    # Valid multi-byte UTF-8 sequences rarely occur by chance in cp1252 text: if there are some and
    # the invalid bytes are few, this is UTF-8 with damage, not a legacy code page.
    if multibyte and bad <= max(3, multibyte // 4):
        return replaced, "utf-8", [f"{bad} undecodable byte sequence(s) replaced with U+FFFD"]
    try:
        return data.decode("cp1252"), "cp1252", []
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", []
