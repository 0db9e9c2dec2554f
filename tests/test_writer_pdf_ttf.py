"""The PDF writer's TrueType reader: exactly the face reportlab's own reader builds, faster."""
from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontFace

from exporter.style.loader import fonts_dir
from exporter.writers.pdf.ttf import FastTTFont, FastTTFontFace

SHIPPED = sorted(fonts_dir().glob("*.ttf"))


def _attributes(face) -> dict:
    found = dict(vars(face))
    found.pop("_pos", None)          # where the reader stopped
    found.pop("_pdfScale")           # a lambda made per face
    for lazy in ("_cmap_runs", "_glyph_to_char"):    # ours builds glyphToChar on first use
        found.pop(lazy, None)
    found["glyphToChar"] = face.glyphToChar          # (dicts of lists: list order compared too)
    return found


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_face_is_exactly_reportlabs(path: Path):
    ours, theirs = FastTTFontFace(str(path)), TTFontFace(str(path))
    assert _attributes(ours) == _attributes(theirs)
    assert ours._pdfScale(1234) == theirs._pdfScale(1234)
    # the same subset file for the same characters: a text, and 250 characters drawn at random
    # from the face's coverage (composite glyphs, long glyph offsets, a code it does not map)
    subset = [0, 32] + [ord(c) for c in "Türkiye’s “peace” — 1,000 ﬁrst"]
    assert ours.makeSubset(subset) == theirs.makeSubset(subset)
    subset = [0, 32] + random.Random(path.name).sample(sorted(theirs.charToGlyph), 250) + [0x10FFFF]
    assert ours.makeSubset(subset) == theirs.makeSubset(subset)


def test_font_keeps_reportlabs_font_behaviour():
    path = str(SHIPPED[0])
    ours, theirs = FastTTFont("fast-x", path, asciiReadable=0), TTFont("rl-x", path, asciiReadable=0)
    assert isinstance(ours, TTFont) and ours._asciiReadable == 0 and ours.shapable == theirs.shapable
    text = "Kremlin spokesman Dmitry Peskov — “talks”"
    assert ours.stringWidth(text, 11) == theirs.stringWidth(text, 11)


def test_unusual_files_go_through_reportlabs_reader(tmp_path):
    # a cmap format this reader does not handle (0) and a truncated file: reportlab's own code
    # runs, with its own errors
    path = SHIPPED[0]
    data = bytearray(path.read_bytes())
    face = TTFontFace(str(path))
    cmap = face.table["cmap"]["offset"]
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    for n in range(count):
        offset = struct.unpack_from(">L", data, cmap + 4 + 8 * n + 4)[0]
        struct.pack_into(">H", data, cmap + offset, 0)       # claim format 0 everywhere
    odd = tmp_path / "odd.ttf"
    odd.write_bytes(bytes(data))
    ours, theirs = FastTTFontFace(str(odd)), TTFontFace(str(odd))
    assert _attributes(ours) == _attributes(theirs)
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(path.read_bytes()[:2000])
    with pytest.raises((TTFError, struct.error)):
        FastTTFontFace(str(broken))


@pytest.mark.parametrize("widths", [[], [500], list(range(0, 2600, 100)), [-12, 0, 1, 1000, 2048] * 7,
                                    [250.5, 600, 1e-9]])
def test_widths_are_written_as_reportlab_writes_them(widths):
    from reportlab.pdfbase import pdfdoc

    from exporter.writers.pdf.ttf import _Widths

    document = pdfdoc.PDFDocument()
    assert _Widths(widths).format(document) == pdfdoc.PDFArray(widths).format(document)


@pytest.mark.parametrize("path", [p for p in SHIPPED if p.name.startswith("NotoSerif-")], ids=lambda p: p.name)
def test_string_widths_are_reportlabs_to_the_bit(path: Path):
    ours, theirs = FastTTFont("OursW" + path.stem, str(path)), TTFont("TheirsW" + path.stem, str(path))
    rng = random.Random(path.name)
    alphabet = "abcdefghijklmnopqrstuvwxyz ÄéøßТест—“”’…ﬁ\u00a0\U0001f600"
    texts = ["", "a", "Türkiye’s", "hyphen-"] + ["".join(rng.choices(alphabet, k=rng.randint(1, 30))) for _ in range(200)]
    for size in (8.5, 11, 24.0):
        for text in texts + texts:                   # the second time from the kept widths
            assert ours.stringWidth(text, size) == theirs.stringWidth(text, size), (text, size)
    assert ours.stringWidth("Türkiye".encode("utf-8"), 11) == theirs.stringWidth("Türkiye".encode("utf-8"), 11)


def test_split_string_is_reportlabs_call_for_call():
    """The subset codes a text is drawn with, call after call in one document: the same as
    reportlab's, as characters are first met, met again (ours answers without reportlab's loop),
    spill into a second subset, are no-break spaces, or are not in the face at all."""
    from reportlab.pdfbase import pdfdoc

    path = str(SHIPPED[0])
    ours, theirs = FastTTFont("OursS", path, asciiReadable=0), TTFont("TheirsS", path, asciiReadable=0)
    rng = random.Random(7)
    covered = sorted(TTFontFace(path).charToGlyph)
    alphabet = [chr(c) for c in rng.sample(covered, 400)] + ["\u00a0", "\U0010fff0", " "]
    texts = ["", "Peskov said", "Peskov said", "a\u00a0b"]
    texts += ["".join(rng.choices(alphabet[: 40 + n * 4], k=rng.randint(1, 60))) for n in range(150)]
    texts += texts[::-1]
    doc_ours, doc_theirs = pdfdoc.PDFDocument(), pdfdoc.PDFDocument()
    for text in texts:
        assert ours.splitString(text, doc_ours) == theirs.splitString(text, doc_theirs), text
    assert ours.state[doc_ours].subsets == theirs.state[doc_theirs].subsets
    assert len(ours.state[doc_ours].subsets) > 1            # the walk went past the first subset
