"""The PDF's text layer for right-to-left text (issue 14, part 1, "the text layer extracts in
logical order"), read back with poppler's pdftotext, which honours ``/ActualText``.

How the extractors read it (poppler-utils 22.12, pypdf, pdfplumber):
- pdftotext reads glyphs by position and puts right-to-left text back in reading order itself,
  with a rule of its own rather than the Unicode algorithm: in a page that is mostly left to
  right it reverses every stretch from a right-to-left letter up to the next Latin letter, digit
  or number punctuation (``, . - % …``), neutrals included; in a mostly right-to-left page it
  works from the right the other way round.  It places an ``/ActualText`` span's characters left
  to right across the span.  So in a right-to-left paragraph a glyph that stands for other
  characters (an Arabic joining form, a mirrored bracket, a lam-alef ligature) carries them in its
  own span, and a left-to-right run and each number punctuation mark carry RLM/LRM marks that end
  poppler's stretches where the Unicode algorithm ends the runs; in a left-to-right paragraph each
  right-to-left run is one span with its text arranged for poppler's reversal (see
  ``bidi._reading_order_for_poppler``).  It moves spaces next to the runs it reverses and marks runs
  with U+202A-U+202C embedding controls: the comparisons below drop whitespace, those controls
  and the RLM/LRM marks.  ``pdftotext -raw`` reads a left-to-right paragraph's mixed lines the same
  way; it reads every line left to right in drawing order, so a right-to-left paragraph comes out
  in visual order there.
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
from exporter.writers import RenderOptions, get_writer

HEBREW = "שלום עולם, זה מבחן של 2024 עם ABC ועוד מילים רבות (וסוגריים) כדי שהפסקה תגלוש לשורה נוספת בעמוד."
ARABIC = "مرحبا بالعالم، هذا اختبار للنص العربي مع أرقام 2024 والسلام لا (قوسان) حتى تلتف الفقرة إلى سطر آخر."
MIXED = 'He said “שלום לכם” in 2024 and (מבחן 12.5%) again, then “مرحبا بالعالم” and left.'
RTL_WITH_NUMBERS = "מחיר 12.5% (בערך) ו-ABC 2024 כאן, “מבחן” – שלום."
ARABIC_WITH_NUMBERS = "قال (12.5%) في عام 2024 ABC مرة، “مرحبا” – السلام."
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\\s]")


def _pdf(text: str, language: str) -> bytes:
    article = Article(meta=Meta(title="T", title_origin="caller", language=language), body=(Paragraph((Text(text),)),))
    out = io.BytesIO()
    get_writer("pdf").write(article, load_style("default"), out,
                            RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None))
    return out.getvalue()


def _pdftotext(data: bytes, *options: str) -> str:
    tool = support.require_tool("pdftotext", "poppler-utils")
    text = subprocess.run([tool, *options, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return text.split("\n", 1)[1]          # the title line off


def _words(text: str) -> str:
    """The text's words with single spaces, the embedding controls and marks left out."""
    return " ".join(_MARKS.sub("", text).split())



@pytest.mark.parametrize("text, language", [(HEBREW * 2, "he"), (ARABIC * 2, "ar")], ids=["hebrew", "arabic"])
def test_pdftotext_reads_a_right_to_left_paragraph_as_written(text, language):
    support.require_font(text[0])
    found = _pdftotext(_pdf(text, language))
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", found)          # no presentation forms
    assert _CONTROLS.sub("", found) == _CONTROLS.sub("", text)


@pytest.mark.parametrize("options", [(), ("-raw",)], ids=["reading-order", "raw"])
def test_pdftotext_reads_a_mixed_left_to_right_paragraph_in_logical_order(options):
    """Hebrew and Arabic quoted inside English lines, a number with a percent sign inside
    brackets with Hebrew: every word, quote mark and bracket where it was written, over several
    lines.  (Glyph by glyph, pdftotext pulled the closing quote mark and bracket into the
    right-to-left run before it and read "12.5%" before "מבחן".)"""
    support.require_font("\u0645")
    text = " ".join([MIXED] * 3)
    found = _pdftotext(_pdf(text, "en"), *options)
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", found)
    assert _words(found) == _words(text)


@pytest.mark.parametrize("text, language", [(RTL_WITH_NUMBERS, "he"), (ARABIC_WITH_NUMBERS, "ar")],
                         ids=["hebrew", "arabic"])
def test_pdftotext_reads_numbers_and_latin_inside_a_right_to_left_paragraph_in_logical_order(text, language):
    """A percentage in brackets, a hyphen before a Latin word, a full stop before a quote mark:
    where they were written, word for word."""
    support.require_font(text[0])
    text = " ".join([text] * 3)
    assert _words(_pdftotext(_pdf(text, language))) == _words(text)


def test_only_glyphs_that_stand_for_other_characters_get_marked_content():
    """Left-to-right lines and Hebrew letters (drawn as written) cost nothing; an Arabic joining
    form and a mirrored bracket each get a span, and so does a Hebrew run inside an English line
    (the whole run, arranged for poppler); the text is hex-encoded, never raw."""
    import zlib

    def stream(data: bytes) -> bytes:
        return b"".join(zlib.decompress(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S)
                        if m.group(1)[:1] == b"x")

    assert b"BDC" not in stream(_pdf("Plain English text (with brackets) only.", "en"))
    assert b"BDC" not in stream(_pdf("שלום עולם בלי סוגריים", "he"))
    english = stream(_pdf("He said שלום again.", "en"))
    assert english.count(b"BDC") == 1
    assert b"/ActualText <FEFF%s>" % "םולש\u200e".encode("utf-16-be").hex().upper().encode() in english
    hebrew = stream(_pdf("שלום (עולם)", "he"))
    assert hebrew.count(b"/ActualText <FEFF0028>") == 1 and hebrew.count(b"/ActualText <FEFF0029>") == 1
    support.require_font("\u0645")
    arabic = stream(_pdf("مرحبا", "ar"))
    assert arabic.count(b"BDC") == arabic.count(b"EMC") == 5      # five letters, five joining forms
    assert b"/ActualText <FEFF0645>" in arabic                     # meem as written, not U+FEE3
