"""The PDF's text layer for right-to-left text (issue 14, part 1, "the text layer extracts in
logical order"), read back with poppler's pdftotext, which honours ``/ActualText``.

How the extractors read it (poppler-utils 22.12, pypdf, pdfplumber):
- pdftotext reads glyphs by position and puts a right-to-left run back in reading order itself;
  it places an ``/ActualText`` span's characters left to right across the span.  So a glyph that
  stands for other characters (an Arabic joining form, a mirrored bracket, a lam-alef ligature)
  carries them in its own span, and pdftotext gives the source letters in logical order.  (One span
  per line with the line in logical order comes out reversed from pdftotext: it reverses the run.)
  It moves spaces next to the runs it reverses and marks runs with U+202A-U+202C embedding
  controls, and in a left-to-right line it puts a quote mark or bracket next to a right-to-left run
  inside that run: the comparisons below drop whitespace and those controls, and the mixed line is
  compared word by word.
- pypdf and pdfplumber ignore ActualText: pypdf gives the glyphs in content-stream (visual) order,
  pdfplumber sorts them by position; both give Arabic as presentation forms (U+FExx)."""
from __future__ import annotations

import io
import re
import subprocess

import pytest

import support
from exporter.ast import Article, Meta, Paragraph, Text
from exporter.style import load_style
from exporter.style.fonts import system_font_for
from exporter.writers import RenderOptions, get_writer

HEBREW = "שלום עולם, זה מבחן של 2024 עם ABC ועוד מילים רבות (וסוגריים) כדי שהפסקה תגלוש לשורה נוספת בעמוד."
ARABIC = "مرحبا بالعالم، هذا اختبار للنص العربي مع أرقام 2024 والسلام لا (قوسان) حتى تلتف الفقرة إلى سطر آخر."
MIXED = 'He said “שלום לכם” in 2024 and (מבחן 12.5%) again, then “مرحبا بالعالم” and left.'
_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\\s]")


def _pdf(text: str, language: str) -> bytes:
    article = Article(meta=Meta(title="T", title_origin="caller", language=language), body=(Paragraph((Text(text),)),))
    out = io.BytesIO()
    get_writer("pdf").write(article, load_style("default"), out,
                            RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None))
    return out.getvalue()


def _pdftotext(data: bytes) -> str:
    tool = support.require_tool("pdftotext", "poppler-utils")
    text = subprocess.run([tool, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return text.split("\n", 1)[1]          # the title line off


def _require_font(char: str) -> None:
    if system_font_for(char) is None:
        message = f"no system TrueType face covers U+{ord(char):04X} (apt: fonts-dejavu-core or fonts-noto-core)"
        if support.IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.parametrize("text, language", [(HEBREW * 2, "he"), (ARABIC * 2, "ar")], ids=["hebrew", "arabic"])
def test_pdftotext_reads_a_right_to_left_paragraph_as_written(text, language):
    _require_font(text[0])
    found = _pdftotext(_pdf(text, language))
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", found)          # no presentation forms
    assert _CONTROLS.sub("", found) == _CONTROLS.sub("", text)


def test_pdftotext_reads_right_to_left_words_in_a_left_to_right_line_as_written():
    _require_font("\u0645")
    found = _pdftotext(_pdf(MIXED, "en"))
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", found)
    words = _CONTROLS.sub(" ", found).split()
    for word in ("He", "said", "שלום", "לכם", "2024", "מבחן", "12.5%", "again,", "مرحبا", "بالعالم", "left."):
        assert any(word in found_word for found_word in words), (word, words)
    # the reading order of the words, the quote marks and brackets aside (and "12.5%", which the
    # Unicode algorithm sets left of "מבחן" after it: pdftotext, not implementing it, reads it first)
    order = ["said", "שלום", "לכם", "2024", "מבחן", "again,", "مرحبا", "بالعالم", "left."]
    bare = [re.sub("[“”()]", "", word) for word in words]
    assert [word for word in bare if word in order] == order


def test_only_glyphs_that_stand_for_other_characters_get_marked_content():
    """Left-to-right lines and Hebrew letters (drawn as written) cost nothing; an Arabic joining
    form and a mirrored bracket each get a span; the text is hex-encoded, never raw."""
    import zlib

    def stream(data: bytes) -> bytes:
        return b"".join(zlib.decompress(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S)
                        if m.group(1)[:1] == b"x")

    assert b"BDC" not in stream(_pdf("Plain English text (with brackets) only.", "en"))
    assert b"BDC" not in stream(_pdf("שלום עולם בלי סוגריים", "he"))
    hebrew = stream(_pdf("שלום (עולם)", "he"))
    assert hebrew.count(b"/ActualText <FEFF0028>") == 1 and hebrew.count(b"/ActualText <FEFF0029>") == 1
    _require_font("\u0645")
    arabic = stream(_pdf("مرحبا", "ar"))
    assert arabic.count(b"BDC") == arabic.count(b"EMC") == 5      # five letters, five joining forms
    assert b"/ActualText <FEFF0645>" in arabic                     # meem as written, not U+FEE3
