"""Bytes -> text, in the order shared/CONVENTIONS.md "Input decoding" fixes.

1. Known binary signatures and NUL-heavy data are refused.
2. Strict UTF-8 (a BOM is stripped).
3. UTF-32 / UTF-16 with a BOM.
4. Mostly-valid UTF-8 with a few bad bytes: decoded with U+FFFD and a warning naming the count.
5. Clearly-text data in a legacy single-byte encoding: charset-normalizer restricted to a short
   list of likely candidates (never a free-for-all guess over every codec Python knows).
6. Anything else is refused.

Then :func:`normalize_text`: CRLF/CR -> LF, NFC, XML-invalid characters removed.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import InputError
from .textutil import LazyPattern

# Magic numbers of formats people feed by mistake.  Checked on the first bytes only.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/EPUB/ODT)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"BZh", None),                     # only with the block-size digit, see below
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE document (old Word/Excel)"),
    (b"\x7fELF", "an executable"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"RIFF", "a RIFF media file"),
    (b"OggS", "an Ogg media file"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)

# Legacy single-byte candidates handed to charset-normalizer (Python codec names).
LEGACY_CANDIDATES: tuple[str, ...] = (
    "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "koi8_u",
    "cp1253", "cp1254", "cp1257", "mac_roman",
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),     # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

CHAOS_TOLERANCE = 0.2

# "A few" bad bytes: at most this many error spans, and no more than 1 % of the characters.
MAX_BAD_UTF8_SPANS = 16

# C0 controls except tab and newline (CR is gone by then), DEL is legal XML, the non-characters
# U+FFFE/U+FFFF and lone surrogates are not.
_XML_INVALID = LazyPattern("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Most texts hold none of them, and the class of 2048 surrogates is slow to compile: look first.
_XML_INVALID_NOT_SURROGATES = frozenset("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13"
                                        "\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")


def decode_bytes(data: bytes, source_name: str) -> tuple[str, list[str]]:
    """Decode an input file's bytes.  Returns ``(text, warnings)``; raises :class:`InputError`
    with ``"<source_name>: <problem>"`` for binary, empty or undecodable input."""
    warnings: list[str] = []
    if not data.strip():
        raise InputError(f"{source_name}: empty input (no text)")
    head = data[:16]
    for magic, what in BINARY_SIGNATURES:
        if head.startswith(magic):
            if magic == b"BZh" and not (len(head) > 3 and head[3:4].isdigit()):
                continue
            raise InputError(f"{source_name}: binary data ({what}), not text")

    text = _decode(data, source_name, warnings)
    text = normalize_text(text)
    if not text.strip():
        raise InputError(f"{source_name}: empty input (only whitespace or control characters)")
    return text, warnings


def _decode(data: bytes, source_name: str, warnings: list[str]) -> str:
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8):]
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return _utf8_with_replacement(body, source_name, warnings, forced=True)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{source_name}: invalid {codec.upper()} text (bad code units after the byte-order mark)") from None

    if _nul_heavy(data):
        wide = _bomless_utf16_or_32(data)
        if wide is None:
            raise InputError(f"{source_name}: binary data (NUL bytes), not text")
        codec, text = wide
        warnings.append(f"{source_name}: no byte-order mark; decoded as {codec.upper()} (its NUL-byte pattern)")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    replaced = _utf8_with_replacement(data, source_name, warnings, forced=False)
    if replaced is not None:
        return replaced
    if not _clearly_text(data):
        raise InputError(f"{source_name}: binary data or an unknown encoding, not text")
    legacy = _legacy_decode(data)
    if legacy is None:
        raise InputError(f"{source_name}: cannot decode the text (not UTF-8, UTF-16 or a known legacy encoding)")
    codec, text = legacy
    warnings.append(f"{source_name}: not UTF-8; decoded as {codec}")
    return text


def _nul_heavy(data: bytes) -> bool:
    # Text never holds NULs; a BOM-less UTF-16 file or binary data does.  A stray one is tolerated.
    sample = data[:65536]
    return sample.count(0) > max(1, len(sample) // 1000)


def _bomless_utf16_or_32(data: bytes) -> tuple[str, str] | None:
    """UTF-16/32 text saved without a byte-order mark, told by where its NUL bytes fall: text that
    is mostly below U+0100 (Latin scripts, digits, punctuation) has a NUL in every high byte.  The
    candidate must decode strictly and read as text (almost no control characters)."""
    sample = data[:65536 - 65536 % 4]
    size = len(sample)
    if size < 4:
        return None
    candidates: list[str] = []
    if len(data) % 4 == 0:
        quarter = size // 4
        zeros = [sample[i::4].count(0) for i in range(4)]
        if zeros[2] == quarter and zeros[3] == quarter and zeros[1] > quarter // 2:
            candidates.append("utf-32-le")
        if zeros[0] == quarter and zeros[1] == quarter and zeros[2] > quarter // 2:
            candidates.append("utf-32-be")
    if len(data) % 2 == 0:
        half = size // 2
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > half * 3 // 10 and even <= half // 20:
            candidates.append("utf-16-le")
        if even > half * 3 // 10 and odd <= half // 20:
            candidates.append("utf-16-be")
    for codec in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:20000] if ch < " " and ch not in "\t\n\r\f")
        if controls <= len(text[:20000]) // 200:
            return codec, text
    return None


def _utf8_with_replacement(data: bytes, source_name: str, warnings: list[str], *, forced: bool) -> str | None:
    """UTF-8 with each bad byte sequence replaced by one U+FFFD, when the data is mostly valid
    UTF-8: no more bad sequences than correctly encoded non-ASCII characters (a legacy file has no
    valid multi-byte sequences at all, typically), and only a few.  A run of adjacent bad bytes
    (``\\xed\\xb3\\xbf``, an encoded surrogate) is one sequence.  ``forced`` (a UTF-8 BOM) skips
    those tests."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    text, bad = _BAD_BYTE_RUN.subn("\ufffd", escaped)
    good_multibyte = sum(1 for ch in escaped if ch > "\x7f" and not "\udc80" <= ch <= "\udcff")
    if not forced:
        if bad > MAX_BAD_UTF8_SPANS or bad > max(1, len(text) // 100) or good_multibyte < bad:
            return None
    warnings.append(f"{source_name}: {bad} invalid UTF-8 byte sequence{'s' if bad != 1 else ''} replaced with U+FFFD")
    return text


# surrogateescape turns each undecodable byte into U+DC80..U+DCFF; a run of them is one bad sequence
_BAD_BYTE_RUN = re.compile("[\udc80-\udcff]+")


def _clearly_text(data: bytes) -> bool:
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0D, 0x0C))
    return controls <= len(sample) // 200


def _legacy_decode(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes   # imported lazily: most inputs are UTF-8

    matches = list(from_bytes(data, cp_isolation=list(LEGACY_CANDIDATES), explain=False))
    if not matches:
        return None
    # Several single-byte code pages decode the same bytes with little "chaos"; among those
    # close to the cleanest, the one whose letters look most like a real language wins (cp1252
    # over cp1257 for French text), then the more common code page.
    least_chaos = min(m.chaos for m in matches)
    close = [m for m in matches if m.chaos <= least_chaos + CHAOS_TOLERANCE]
    best = max(close, key=lambda m: (round(m.coherence, 3), -_candidate_rank(m.encoding)))
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return best.encoding, text


def _candidate_rank(encoding: str) -> int:
    name = codecs.lookup(encoding).name
    ranks = [codecs.lookup(c).name for c in LEGACY_CANDIDATES]
    return ranks.index(name) if name in ranks else len(ranks)


def normalize_text(text: str) -> str:
    """CRLF/CR (and Unicode line separators) -> LF, NFC, XML-invalid characters removed.
    Safe to apply twice; :func:`exporter.reader.read_text` applies it to API callers' text too."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = _NEWLINES.sub("\n", text)
    if _has_xml_invalid(text):
        text = _XML_INVALID.sub("", text)
    return unicodedata.normalize("NFC", text)


def _has_xml_invalid(text: str) -> bool:
    if not _XML_INVALID_NOT_SURROGATES.isdisjoint(text):
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True          # strict UTF-8 fails on (only) a lone surrogate
    return False
