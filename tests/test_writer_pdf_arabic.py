"""Arabic in the PDF is joined (issue 14, point 1: "Arabic is shaped"): each letter in its
contextual form, chosen in logical order, then laid out right to left; lam-alef as a ligature.
Read back from the glyphs' positions: the rightmost glyph of a word is its first letter, in its
initial form."""
from __future__ import annotations

import io

import pytest

import support
from exporter.ast import Article, Meta, Paragraph, Text
from exporter.style import load_style
from exporter.style.fonts import system_font_for
from exporter.writers import RenderOptions, get_writer
from exporter.writers.pdf.bidi import joining_forms

pdfplumber = support.require_module("pdfplumber")

#: logical order -> the presentation forms, first letter first
EXPECTED = {
    "مرحبا": "\ufee3\ufeae\ufea3\ufe92\ufe8e",           # meem initial, reh final, hah initial, beh medial, alef final
    "بالعالم": "\ufe91\ufe8e\ufedf\ufecc\ufe8e\ufedf\ufee2",
    "السلام": "\ufe8d\ufedf\ufeb4\ufefc\ufee1",          # lam-alef: one ligature, final after seen
    "لا": "\ufefb",                                        # lam-alef alone
    "كِتاب": "\ufedb\u0650\ufe98\ufe8e\ufe8f",              # a kasra between kaf and teh does not break the join
}


@pytest.mark.parametrize("word, forms", EXPECTED.items())
def test_each_letter_takes_its_form_by_its_neighbours(word, forms):
    assert "".join(joining_forms(word)) == forms


def test_a_font_without_the_forms_keeps_the_letters_as_written():
    assert joining_forms("مرحبا", lambda char: False) == list("مرحبا")
    assert joining_forms("Hello, שלום", None) == list("Hello, שלום")


def _require_arabic_font() -> None:
    if system_font_for("\u0645") is None:
        message = "no system TrueType face covers Arabic (apt: fonts-dejavu-core or fonts-noto-core)"
        if support.IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.parametrize("text, rtl_paragraph", [
    ("مرحبا بالعالم السلام لا", True),                     # an Arabic paragraph
    ("The word مرحبا بالعالم السلام لا in English.", False),  # Arabic inside an English line
])
def test_the_pdf_draws_joined_letters_right_to_left(text, rtl_paragraph):
    _require_arabic_font()
    article = Article(meta=Meta(title="Arabic", title_origin="caller", language="ar" if rtl_paragraph else "en"),
                      body=(Paragraph((Text(text),)),))
    out = io.BytesIO()
    get_writer("pdf").write(article, load_style("default"), out,
                            RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        chars = [char for page in pdf.pages for char in page.chars if "\ufe70" <= char["text"] <= "\ufefc"]
    assert chars, "no joined Arabic letter in the PDF"
    # a line's Arabic glyphs from right to left, split into words at the gaps between them
    line = sorted(chars, key=lambda char: -char["x1"])
    words, current = [], [line[0]]
    for before, char in zip(line, line[1:]):
        if before["x0"] - char["x1"] > 1.5:
            words.append(current)
            current = []
        current.append(char)
    words.append(current)
    assert ["".join(char["text"] for char in word) for word in words] == \
        [EXPECTED[word] for word in ("مرحبا", "بالعالم", "السلام", "لا")]
