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


#: Persian and Urdu letters take their forms from Arabic Presentation Forms-A (issue 14, part 1,
#: point 2); logical order -> the forms, first letter first
EXTENDED = {
    "چگونه": "\ufb7c\ufb95\ufeee\ufee7\ufeea",   # Persian: tcheh initial, gaf medial, waw final, noon initial, heh final
    "ژاله": "\ufb8a\ufe8d\ufedf\ufeea",          # Persian: jeh (joins on its right only) isolated, lam initial
    "کتاب": "\ufb90\ufe98\ufe8e\ufe8f",          # Persian keheh initial
    "ٹوپی": "\ufb68\ufeee\ufb58\ufbfd",          # Urdu: tteh initial, waw final, peh initial, farsi yeh final
    "بھی": "\ufe91\ufbad\ufbfd",                 # Urdu: heh doachashmee medial
}


@pytest.mark.parametrize("word, forms", EXTENDED.items())
def test_persian_and_urdu_letters_take_their_forms(word, forms):
    assert "".join(joining_forms(word)) == forms


def _draw(text: str, language: str) -> tuple[list[str], list[str]]:
    """(the PDF's glyphs on the body's line from right to left, the warnings)."""
    warnings: list[str] = []
    article = Article(meta=Meta(title="T", title_origin="caller", language=language), body=(Paragraph((Text(text),)),))
    out = io.BytesIO()
    get_writer("pdf").write(article, load_style("default"), out,
                            RenderOptions(build_time=support.BUILD_TIME, warn=warnings.append))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        page = pdf.pages[0]
        body = max(round(char["top"]) for char in page.chars)
        chars = [char for char in page.chars if round(char["top"]) == body and char["text"] != " "]
    return [char["text"] for char in sorted(chars, key=lambda char: -char["x1"])], warnings


@pytest.mark.parametrize("text, language", [("چگونه ژاله کتاب", "fa"), ("ٹوپی بھی", "ur")])
def test_the_pdf_draws_persian_and_urdu_letters_joined(text, language):
    _require_arabic_font()
    drawn, warnings = _draw(text, language)
    assert "".join(drawn) == "".join(EXTENDED[word] for word in text.split()), drawn
    assert warnings == []


def test_an_urdu_letter_no_font_draws_is_a_placeholder_with_a_warning():
    """DejaVu Sans (the Arabic face found here) has no heh goal or yeh barree: their places show
    the missing-glyph square and the export says so; the letters beside them are still joined."""
    _require_arabic_font()
    if system_font_for("\u06d2") is not None:
        pytest.skip("a system font draws yeh barree")
    drawn, warnings = _draw("بھی ہے", "ur")
    assert drawn == ["\ufe91", "\ufbad", "\ufbfd", "\u25a1", "\u25a1"], drawn
    assert len(warnings) == 1 and "U+06C1" in warnings[0] and "U+06D2" in warnings[0]


def test_a_letter_drawn_as_the_placeholder_joins_neither_neighbour():
    """The placeholder stands for a letter no font draws, but it is a box, not a letter: the
    letters either side of it take the forms they take beside a space (beh-seen ends at it, in
    seen's final form; lam-meem starts after it, in lam's initial form), never the forms that
    would reach into it."""
    _require_arabic_font()
    if system_font_for("\u06c1") is not None:
        pytest.skip("a system font draws heh goal")
    drawn, warnings = _draw("بسہلم", "ur")
    assert drawn == ["\ufe91", "\ufeb2", "\u25a1", "\ufedf", "\ufee2"], drawn
    assert len(warnings) == 1 and "U+06C1" in warnings[0]


@pytest.mark.parametrize("align", ["left", "justify"])
def test_joined_arabic_lines_still_end_at_the_right_margin(align):
    """Joined forms are narrower than the letters the lines were measured with: each line's spare
    width is corrected, so flush-right and justified lines end at the margin (justified ones also
    start at the other)."""
    _require_arabic_font()
    text = "مرحبا بالعالم، هذا اختبار للنص العربي مع كلمات كثيرة حتى تلتف الفقرة إلى سطر آخر في الصفحة. " * 4
    style = load_style("default", [f'body.align="{align}"'])
    article = Article(meta=Meta(title="T", title_origin="caller", language="ar"), body=(Paragraph((Text(text),)),))
    out = io.BytesIO()
    get_writer("pdf").write(article, style, out, RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        page = pdf.pages[0]
        lines: list[list[dict]] = []        # by position: a full stop sits a point lower than the letters
        for char in sorted(page.chars, key=lambda char: char["top"]):
            if lines and char["top"] - lines[-1][0]["top"] < 6:
                lines[-1].append(char)
            else:
                lines.append([char])
        body = lines[1:]
        right, left = page.width - style.page.margin_right, style.page.margin_left
    assert len(body) >= 3
    for line in body:
        assert abs(max(char["x1"] for char in line) - right) < 1.5
    if align == "justify":
        for line in body[:-1]:
            assert abs(min(char["x0"] for char in line) - left) < 1.5


def _lines_right_to_left(page) -> list[list[dict]]:
    """The page's lines top to bottom, each its glyphs (spaces aside) right to left; a full stop
    sits a point lower than the letters, so lines are told apart by a gap in height."""
    lines: list[list[dict]] = []
    for char in sorted(page.chars, key=lambda char: char["top"]):
        if char["text"] == " ":
            continue
        if lines and char["top"] - lines[-1][0]["top"] < 6:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda char: -char["x1"]) for line in lines]


def _words_and_gaps(line: list[dict]) -> tuple[list[float], list[float]]:
    """(each word's drawn width, each gap between words), right to left: a joined word's glyphs
    touch, so a gap of more than half a point is a space."""
    widths, gaps = [], []
    right = line[0]["x1"]
    for before, char in zip(line, line[1:]):
        if before["x0"] - char["x1"] > 0.5:
            widths.append(right - before["x0"])
            gaps.append(before["x0"] - char["x1"])
            right = char["x1"]
    widths.append(right - line[-1]["x0"])
    return widths, gaps


def _arabic_body_face() -> list[str]:
    """Style settings that set the body in the system's Arabic face itself."""
    face = str(system_font_for("\u0645")).replace("\\", "/")
    faces = ", ".join(f'{kind}="{face}"' for kind in ("regular", "bold", "italic", "bold_italic"))
    return [f'fonts.arabic={{name="Arabic body", {faces}}}', 'body.family="arabic"']


@pytest.mark.parametrize("own_face", [False, True], ids=["fallback-face", "body-face"])
def test_arabic_lines_are_broken_by_the_width_they_are_drawn_with(own_face):
    """A justified line's stretched spaces hold no more than its natural spaces plus the next
    line's first word and one space: had they held more, that word would have fitted on it.
    Measuring the letters as written (wider than their joined forms) before joining broke lines
    short of that, and justification then opened wide gaps.  The natural space is the one the
    paragraph's last, unjustified, line shows.  Arabic in a fallback face is laid out as several
    runs; in the body's own face, as one."""
    _require_arabic_font()
    text = "مرحبا بالعالم، هذا اختبار للنص العربي مع كلمات كثيرة حتى تلتف الفقرة إلى سطر آخر في الصفحة. " * 4 + \
        "وهذا هو السطر الأخير من الفقرة"
    style = load_style("default", ['body.align="justify"', *(_arabic_body_face() if own_face else ())])
    article = Article(meta=Meta(title="T", title_origin="caller", language="ar"), body=(Paragraph((Text(text),)),))
    out = io.BytesIO()
    get_writer("pdf").write(article, style, out, RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        page = pdf.pages[0]
        body = _lines_right_to_left(page)[1:]                     # the title's line aside
        right = page.width - style.page.margin_right
    assert len(body) >= 4
    _, last_gaps = _words_and_gaps(body[-1])
    assert len(last_gaps) >= 3
    space = max(last_gaps)
    for line, following in zip(body[:-1], body[1:]):
        assert abs(line[0]["x1"] - right) < 1.5                   # ends at the right margin
        _, gaps = _words_and_gaps(line)
        next_word = _words_and_gaps(following)[0][0]
        stretch = sum(gaps) - len(gaps) * space
        assert stretch < next_word + space, (stretch, next_word, space)
