"""Right-to-left text in the PDF's page furniture (issue 14, part 1): the running header and
footer and the marking line go through the body's bidi path, so a Hebrew title in the footer is
drawn right to left, an Arabic one joined, and the text layer reads them as written.  Read back
as glyph positions with pdfplumber and as text with poppler's pdftotext (which honours
``/ActualText``), as test_writer_pdf_bidi and test_writer_pdf_text_layer read the body."""
from __future__ import annotations

import io
import re
import subprocess

import support
from exporter.ast import Article, Meta, Paragraph, Text
from exporter.style import load_style
from exporter.writers import RenderOptions
from exporter.writers.pdf import PdfWriter

pdfplumber = support.require_module("pdfplumber")

HEBREW_TITLE = "שלום לכולם בירושלים"
ARABIC_TITLE = "مرحبا بكم في المدينة"
#: the Arabic title's first word as drawn, first letter first (meem initial, reh final, hah
#: initial, beh medial, alef final): see test_writer_pdf_arabic
MARHABA_FORMS = "\ufee3\ufeae\ufea3\ufe92\ufe8e"
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")



def _article(title: str, language: str, site: str | None = None) -> Article:
    """An article long enough for three pages, its body in the title's script."""
    word = {"he": "מילה", "ar": "كلمة"}.get(language, "word")
    body = tuple(Paragraph((Text(f"{title} {n}. " + f"{word} " * 40),)) for n in range(40))
    return Article(meta=Meta(title=title, title_origin="caller", language=language, site=site), body=body)


def _pdf(article: Article, overrides=(), **options) -> tuple[bytes, object]:
    style = load_style("briefing", list(overrides))
    out = io.BytesIO()
    PdfWriter().write(article, style, out, RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None,
                                                         **options))
    return out.getvalue(), style


_cache: dict = {}


def _cached_pdf(name: str, article_maker, **options) -> tuple[bytes, object]:
    if name not in _cache:
        _cache[name] = _pdf(article_maker(), **options)
    return _cache[name]


def _band(data: bytes, style, where: str, page: int = 1) -> list[list[dict]]:
    """The characters of a page's footer (or header) band, line by line (top to bottom), each
    line's characters sorted from left to right."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        found = pdf.pages[page]
        height = found.height
        if where == "footer":
            chars = [c for c in found.chars if c["top"] > height - style.page.margin_bottom]
        else:
            chars = [c for c in found.chars if c["bottom"] < style.page.margin_top]
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: c["bottom"]):
        # one line: bottoms within a few points (a fallback face, drawing the ellipsis, sits apart)
        if lines and c["bottom"] - lines[-1][-1]["bottom"] < 3:
            lines[-1].append(c)
        else:
            lines.append([c])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _left_end(style) -> float:
    """Where a band's left slot ends: a third of the text width (the briefing fills all three)."""
    page = style.page
    return page.margin_left + (page.width - page.margin_left - page.margin_right) / 3


def _left_slot(line: list[dict], style) -> list[dict]:
    """The characters of a band line's left slot."""
    return [c for c in line if c["x1"] <= _left_end(style)]


def _text(chars: list[dict]) -> str:
    return "".join(c["text"] for c in chars)


def _footer_title(data: bytes, style) -> str:
    line = _band(data, style, "footer")[0]
    return _text(_left_slot(line, style))


def _pdftotext_footer(data: bytes, style, page: int = 2) -> str:
    """What pdftotext reads in the footer's left slot of ``page`` (1-based), in points (-r 72)."""
    tool = support.require_tool("pdftotext", "poppler-utils")
    top = int(style.page.height - style.page.margin_bottom)
    crop = ["-x", "0", "-y", str(top), "-W", str(int(_left_end(style))), "-H", str(int(style.page.margin_bottom))]
    text = subprocess.run([tool, "-f", str(page), "-l", str(page), *crop, "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()
    return " ".join(_MARKS.sub("", text).split())


def test_a_hebrew_title_in_the_footer_is_drawn_right_to_left():
    support.require_font(HEBREW_TITLE[0])
    data, style = _cached_pdf("he", lambda: _article(HEBREW_TITLE, "he"))
    drawn = _footer_title(data, style)
    # left to right on the page, the title's letters come last to first: its first letter is rightmost
    assert drawn == HEBREW_TITLE[::-1], drawn
    assert drawn[-1] == HEBREW_TITLE[0]


def test_a_hebrew_title_in_the_footer_reads_as_written_in_the_text_layer():
    support.require_font(HEBREW_TITLE[0])
    data, style = _cached_pdf("he", lambda: _article(HEBREW_TITLE, "he"))
    assert _pdftotext_footer(data, style) == HEBREW_TITLE


def test_an_arabic_title_in_the_footer_is_joined_and_drawn_right_to_left():
    support.require_font(ARABIC_TITLE[0])
    data, style = _cached_pdf("ar", lambda: _article(ARABIC_TITLE, "ar"))
    drawn = _footer_title(data, style)
    assert _PRESENTATION_FORMS.search(drawn), drawn                     # joining forms, not letters as written
    assert drawn.endswith(MARHABA_FORMS[::-1]), drawn                   # the first word rightmost, its first letter last


def test_an_arabic_title_in_the_footer_reads_as_written_in_the_text_layer():
    support.require_font(ARABIC_TITLE[0])
    data, style = _cached_pdf("ar", lambda: _article(ARABIC_TITLE, "ar"))
    found = _pdftotext_footer(data, style)
    assert not _PRESENTATION_FORMS.search(found), found
    assert found == ARABIC_TITLE


def test_a_hebrew_header_and_marking_are_drawn_right_to_left():
    """The header's left slot ({source}) and the marking line (the briefing's centre slots, and
    a marking set as its own line) take the same path."""
    support.require_font(HEBREW_TITLE[0])
    site, marking = "חדשות העיר", "סודי ביותר"
    data, style = _pdf(_article(HEBREW_TITLE, "he", site=site), marking=marking)
    header = _text(_band(data, style, "header")[0])
    assert site[::-1] in header and marking[::-1] in header, header
    footer = _text(_band(data, style, "footer")[0])
    assert marking[::-1] in footer and HEBREW_TITLE[::-1] in footer, footer
    # the marking printed as a line of its own (the default style has no slot for it)
    out = io.BytesIO()
    plain = load_style("default")
    PdfWriter().write(_article(HEBREW_TITLE, "he"), plain, out,
                      RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None, marking=marking))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        top = [c for c in pdf.pages[0].chars if c["bottom"] < plain.page.margin_top]
    assert _text(sorted(top, key=lambda c: c["x0"])) == marking[::-1]


def test_a_shortened_hebrew_title_has_its_ellipsis_at_the_left():
    """A title too long for its slot is shortened in logical order, the ellipsis at its logical
    end: the left, for a right-to-left text.  Its first letter stays rightmost."""
    support.require_font(HEBREW_TITLE[0])
    long_title = " ".join([HEBREW_TITLE] * 6)
    data, style = _pdf(_article(long_title, "he"))
    drawn = _footer_title(data, style)
    assert drawn.startswith("\u2026") and drawn.endswith(HEBREW_TITLE[::-1]), drawn
    found = _pdftotext_footer(data, style)
    assert found.endswith("\u2026") and long_title.startswith(found[:-1].rstrip()), found


def test_a_left_to_right_title_in_the_footer_is_untouched():
    data, style = _pdf(_article("Council budget explained", "en"))
    assert _footer_title(data, style) == "Council budget explained"
    long_title = "A very long headline about the council " * 4
    data, style = _pdf(_article(long_title, "en"))
    drawn = _footer_title(data, style)
    assert drawn.endswith("\u2026") and long_title.startswith(drawn[:-1].rstrip()), drawn


def test_a_hebrew_briefings_cover_is_set_right_to_left_and_flush_right():
    import exporter
    from exporter.writers import get_writer

    support.require_font(HEBREW_TITLE[0])
    title = "תדריך בוקר"
    document = exporter.briefing([_article(HEBREW_TITLE, "he")], title=title, date="2026-11-25")
    out = io.BytesIO()
    style = load_style("briefing")
    get_writer("pdf").write(document, style, out, RenderOptions(build_time=support.BUILD_TIME, warn=lambda m: None))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        cover = pdf.pages[0]
        lines: dict[int, list[dict]] = {}
        for c in cover.chars:
            if style.page.margin_top < c["top"] < cover.height - style.page.margin_bottom:
                lines.setdefault(round(c["bottom"]), []).append(c)
    rows = [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(lines.items())]
    right_margin = style.page.width - style.page.margin_right
    heading = next(r for r in rows if _text(r).replace(" ", "") == title[::-1].replace(" ", ""))
    assert abs(heading[-1]["x1"] - right_margin) < 2 and heading[-1]["text"] == title[0]
    date = next(r for r in rows if "2026" in _text(r))
    assert abs(date[-1]["x1"] - right_margin) < 2
    # read right to left: the day, then "in November", then the year
    assert date[-1]["text"] == "5" and _text(date[:4]) == "2026"
    # the contents are mirrored: the article's title flush right, its page number on the left
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        contents = pdf.pages[1]
        body = [c for c in contents.chars if style.page.margin_top < c["top"] < contents.height - style.page.margin_bottom]
    entry_line = max(c["bottom"] for c in body if c["text"] == HEBREW_TITLE[0])
    entry = sorted((c for c in body if abs(c["bottom"] - entry_line) < 2), key=lambda c: c["x0"])
    assert entry[0]["text"].isdigit() and entry[0]["x1"] < style.page.width / 2
    assert abs(entry[-1]["x1"] - right_margin) < 2 and entry[-1]["text"] == HEBREW_TITLE[0]


def test_a_hebrew_briefings_key_quotes_table_is_mirrored():
    import exporter
    from exporter.ast import Quote
    from exporter.presentation.labels import label
    from exporter.writers import get_writer

    support.require_font(HEBREW_TITLE[0])
    words = "הגשר הזה ישנה את חיי התושבים ויקצר את הדרך לעבודה בחצי שעה"
    article = Article(Meta(title=HEBREW_TITLE, title_origin="caller", language="he"), (
        Paragraph((Text("ראש העיר הודיע היום על פרויקט חדש."),)),
        Paragraph((Quote("speech", "דוד לוי", (Text(f"“{words}.”"),), "cue"), Text(", אמר לוי."))),))
    out = io.BytesIO()
    style = load_style("briefing")
    get_writer("pdf").write(exporter.briefing([article], title="תדריך בוקר"), style, out,
                            RenderOptions(build_time=support.BUILD_TIME, warn=lambda m: None))
    speaker, article_label = label("speaker", "he"), label("article", "he")
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        page = next(p for p in pdf.pages if label("key-quotes", "he")[::-1] in _text(sorted(p.chars, key=lambda c: (round(c["bottom"]), c["x0"]))))
        chars = page.chars
    header_bottom = min(round(c["bottom"]) for c in chars if c["text"] == speaker[0] and c["x0"] > page.width / 2)
    header = sorted((c for c in chars if abs(c["bottom"] - header_bottom) < 2), key=lambda c: c["x0"])
    # speaker | quote | article read right to left: the speaker column is on the right, the article's on the left
    assert _text(header).startswith(article_label[::-1]) and _text(header).endswith(speaker[::-1])
