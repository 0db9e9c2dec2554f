"""Right-to-left text in the PDF (issue 14, part 1), read back as glyph positions with
pdfplumber: each line in visual order after line breaking (the Unicode Bidirectional
Algorithm), a right-to-left paragraph set flush right, numbers and Latin words inside it left to
right, a Hebrew word inside a left-to-right paragraph right to left."""
from __future__ import annotations

import io

import support
from exporter.ast import Article, Meta, Paragraph, Quote, Text
from exporter.style import load_style
from exporter.writers import RenderOptions
from exporter.writers.pdf import PdfWriter

pdfplumber = support.require_module("pdfplumber")

SHALOM = "שלום"
HEBREW = "שלום עולם, זה מבחן של 2024 עם ABC ועוד מילים רבות כדי שהפסקה תגלוש לשורה נוספת בעמוד."


def chars(article: Article, overrides=()) -> tuple[list[dict], object]:
    style = load_style("default", list(overrides))
    out = io.BytesIO()
    PdfWriter().write(article, style, out, RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        page = pdf.pages[0]
        return [c for c in page.chars if c["top"] > style.page.margin_top], (style, page.width)


def lines_left_to_right(found: list[dict]) -> list[tuple[float, str, list[dict]]]:
    """Each line as (top, its characters' text ordered by position from left to right, chars)."""
    lines: dict[int, list[dict]] = {}
    for c in found:
        lines.setdefault(round(c["top"]), []).append(c)
    return [(top, "".join(c["text"] for c in ordered), ordered)
            for top, line in sorted(lines.items()) for ordered in [sorted(line, key=lambda c: c["x0"])]]


def shown(found: list[dict]) -> list[str]:
    return [text for _, text, _ in lines_left_to_right(found)]


def test_a_hebrew_paragraph_reads_right_to_left_and_is_set_flush_right():
    article = Article(meta=Meta(title="כותרת", language="he"), body=(Paragraph((Text(HEBREW * 2),)),))
    found, (style, width) = chars(article)
    lines = lines_left_to_right(found)
    title, first = lines[0], lines[1]
    # left to right on the page, a Hebrew word's letters come last to first: its first letter is rightmost
    assert "תרתוכ" in title[1] and "כותרת" not in title[1]
    assert first[1].endswith(",םלוע םולש"), first[1]      # "שלום עולם," opens the paragraph, at the right
    assert "2024" in first[1] and "ABC" in first[1]       # numbers and Latin stay left to right
    right_edge = width - style.page.margin_right
    for _, _, line_chars in (title, first):
        assert abs(max(c["x1"] for c in line_chars) - right_edge) < 1.5      # flush right
    assert len(lines) >= 3


def test_a_hebrew_word_inside_a_left_to_right_paragraph():
    article = Article(meta=Meta(title="Mixed", language="en"), body=(Paragraph((
        Text(f"Hello {SHALOM} world, said "), Quote("speech", None, (Text("“טקסט”"),)), Text(" at the end.")),),))
    found, _ = chars(article)
    line = shown(found)[1]
    assert line.startswith("Hello םולש world, said ") and "טסקט" in line and line.endswith(" at the end."), line


def test_left_to_right_text_is_untouched():
    article = Article(meta=Meta(title="Plain", language="en"), body=(Paragraph((Text("Alpha beta gamma (delta)."),)),))
    found, _ = chars(article)
    assert shown(found)[1] == "Alpha beta gamma (delta)."


def test_a_justified_right_to_left_paragraph_is_flush_both_sides_its_last_line_right():
    """Issue 14, part 1, point 3: with the body justified, a Hebrew paragraph's lines run from
    margin to margin and its last line is flush right (not left, as a left-to-right one's)."""
    article = Article(meta=Meta(title="כותרת", language="he"), body=(Paragraph((Text(HEBREW * 3),)),))
    found, (style, width) = chars(article, ['body.align="justify"'])
    # lines by position, a few points apart at most (Latin and Hebrew faces put their tops apart)
    lines: list[list[dict]] = []
    for c in sorted(found, key=lambda c: c["top"]):
        if lines and c["top"] - lines[-1][0]["top"] < 6:
            lines[-1].append(c)
        else:
            lines.append([c])
    body = [(None, None, line) for line in lines[1:]]
    left_edge, right_edge = style.page.margin_left, width - style.page.margin_right
    assert len(body) >= 3
    for _, _, line_chars in body:
        assert abs(max(c["x1"] for c in line_chars) - right_edge) < 1.5          # flush right
    for _, _, line_chars in body[:-1]:
        assert abs(min(c["x0"] for c in line_chars) - left_edge) < 1.5           # and flush left
    assert min(c["x0"] for c in body[-1][2]) - left_edge > 20                   # the last line: right only
