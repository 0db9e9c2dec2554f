"""Input decoding (shared/CONVENTIONS.md "Input decoding"): every step, read back."""
from __future__ import annotations

import codecs
import gzip
import io
import zipfile

import pytest

from exporter.errors import InputError
from exporter.reader.decode import decode_bytes, normalize_text

TEXT = "Zelenskyy met Erdoğan in Türkiye — “talks”, they said.\nSecond line.\n"


def test_strict_utf8_without_and_with_bom():
    assert decode_bytes(TEXT.encode("utf-8"), "a.txt") == (TEXT, [])
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "a.txt") == (TEXT, [])


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(codec):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}.get(codec, b"")
    data = bom + TEXT.encode(codec)          # "utf-16"/"utf-32" write their own BOM
    text, warnings = decode_bytes(data, "u.txt")
    assert text == TEXT and warnings == []


def test_a_few_bad_bytes_are_replaced_with_a_warning():
    data = TEXT.encode("utf-8") * 3 + b"bad \xff\xfe byte\n"
    text, warnings = decode_bytes(data, "bad.txt")
    assert text.count("\ufffd") >= 1 and text.startswith(TEXT)
    assert len(warnings) == 1 and warnings[0].startswith("bad.txt: ") and "replaced" in warnings[0]


@pytest.mark.parametrize("codec, sample", [
    ("cp1252", "Café “naïve” résumé — déjà vu, 50 € for the façade.\n" * 4),
    ("cp1250", "Příliš žluťoučký kůň úpěl ďábelské ódy. Zdeněk řekl, že přijde.\n" * 4),
    ("cp1251", "Министр иностранных дел заявил, что переговоры продолжатся на следующей неделе.\n" * 4),
    ("koi8_r", "Министр иностранных дел заявил, что переговоры продолжатся на следующей неделе.\n" * 4),
])
def test_legacy_single_byte_encodings(codec, sample):
    text, warnings = decode_bytes(sample.encode(codec), "legacy.txt")
    assert text == sample
    assert warnings and "not UTF-8" in warnings[0]


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    (_zip_bytes(), "ZIP"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (gzip.compress(b"hello world"), "gzip"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
])
def test_binary_signatures_are_refused(data, what):
    with pytest.raises(InputError) as info:
        decode_bytes(data, "in.bin")
    assert str(info.value).startswith("in.bin: binary data") and what in str(info.value)


def test_nul_heavy_data_is_refused():
    with pytest.raises(InputError, match=r"^x: binary data \(NUL bytes\)"):
        decode_bytes(b"\x00\x01\x00\x02\x00\x03" * 200, "x")      # a UTF-16 pattern of control codes
    with pytest.raises(InputError, match=r"^x: binary data \(NUL bytes\)"):
        decode_bytes(bytes(range(256)) * 8, "x")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom_are_recognised_by_their_nul_pattern(codec):
    text = "Café society — “quoted”, said Ж.\nA second line of the story.\n"
    decoded, warnings = decode_bytes(text.encode(codec), "x")
    assert decoded == text
    assert warnings == [f"x: no byte-order mark; decoded as {codec.upper()} (its NUL-byte pattern)"]


@pytest.mark.parametrize("data", [b"", b"   \n\t \r\n", b"\x00", b"\x01\x02\n"])
def test_empty_or_whitespace_only_is_refused(data):
    with pytest.raises(InputError) as info:
        decode_bytes(data, "empty.txt")
    assert str(info.value).startswith("empty.txt: ")


def test_undecodable_control_heavy_data_is_refused():
    data = bytes(range(0x80, 0x100)) * 4 + bytes(range(1, 8)) * 200
    with pytest.raises(InputError, match=r"^junk: "):
        decode_bytes(data, "junk")


def test_newlines_nfc_and_xml_invalid_characters():
    raw = "A\r\nB\rC\nCafe\u0301 \x00\x07\x0b\x0c tab\there \ufffe\uffff end".encode("utf-8")
    text, _ = decode_bytes(raw, "n.txt")
    assert text == "A\nB\nC\nCafé  tab\there  end"
    assert normalize_text(text) == text          # idempotent
    assert normalize_text("lone \ud800 surrogate") == "lone  surrogate"


def test_one_bad_sequence_in_utf8_is_one_replacement_not_a_legacy_decode():
    """An encoded surrogate (three bytes no decoder accepts) among otherwise good UTF-8 with a
    single accented letter: UTF-8 with one U+FFFD, never cp1257 mojibake for the whole text."""
    data = b"Un caf\xc3\xa9 au lait \xed\xb3\xbf et puis la suite.\n"
    text, warnings = decode_bytes(data, "x")
    assert text == "Un caf\u00e9 au lait \ufffd et puis la suite.\n"
    assert warnings == ["x: 1 invalid UTF-8 byte sequence replaced with U+FFFD"]


def test_a_real_replacement_character_is_not_counted_as_a_bad_sequence():
    data = "Already \ufffd here, caf\u00e9 and na\u00efve.\n".encode() + b"bad \xff byte\n"
    text, warnings = decode_bytes(data, "x")
    assert text.count("\ufffd") == 2
    assert warnings == ["x: 1 invalid UTF-8 byte sequence replaced with U+FFFD"]
