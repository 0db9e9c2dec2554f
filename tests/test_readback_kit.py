"""Proof of the read-back kit: small DOCX/PDF/EPUB files built directly with python-docx,
reportlab and ebooklib, with known fonts, sizes and colours — conforming ones read back as the
style says, and deliberately wrong ones must fail the comparison."""
from __future__ import annotations

import io

import pytest

from exporter.style import load_style

import readback
from readback import ExpectedTexts, compare, compare_formats, expected_readings, read_back

TEXTS = ExpectedTexts(
    title="Harbour bridge reopens",
    body="Engineers finished the repairs two weeks early, the council said on Monday.",
    heading="What changes for commuters",
    speech="“We are delighted”",
)
SPEECH_PARAGRAPH = ("The mayor said ", "“We are delighted”", " and thanked the crews.")


@pytest.fixture(scope="module")
def style():
    return load_style("default")


@pytest.fixture(scope="module")
def want(style):
    return expected_readings(style, TEXTS)


# ------------------------------------------------------------------------------------ builders
def build_docx(style, *, heading_color: str | None = None, speech_background: bool = True,
               body_size: float | None = None) -> bytes:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = docx.Document()

    def set_font(st, key, color=None, size=None):
        el = style.block(key) if key != "quote-speech" else style.element(key)
        if el.family:
            st.font.name = style.fonts[el.family].name
        if el.size or size:
            st.font.size = Pt(size or el.size)
        st.font.color.rgb = RGBColor.from_string((color or el.color)[1:].upper())
        if el.bold is not None:
            st.font.bold = el.bold
        if el.italic is not None:
            st.font.italic = el.italic

    set_font(document.styles["Normal"], "body", size=body_size)
    set_font(document.styles["Title"], "title")
    set_font(document.styles["Heading 2"], "heading-2", color=heading_color)
    speech = document.styles.add_style("Quote Speech", WD_STYLE_TYPE.CHARACTER)
    set_font(speech, "quote-speech")
    if speech_background:
        rpr = speech.element.get_or_add_rPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), style.element("quote-speech").background[1:].upper())
        rpr.append(shd)
    document.add_paragraph(TEXTS.title, style="Title")
    document.add_paragraph(TEXTS.heading, style="Heading 2")
    document.add_paragraph(TEXTS.body)
    para = document.add_paragraph()
    before, quote, after = SPEECH_PARAGRAPH
    para.add_run(before)
    para.add_run(quote, style="Quote Speech")
    para.add_run(after)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_pdf(style, *, title_size: float | None = None, speech_background: bool = True,
              heading_family: str | None = None, wrap_body_at: int | None = None) -> bytes:
    from reportlab.lib.colors import HexColor
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    def font(key: str, within: str = "body") -> str:
        el = style.inline(key, within) if key.startswith("quote-") else style.block(key)
        family = heading_family if (heading_family and key == "heading-2") else el.family
        path = style.fonts[family].face(el.bold, el.italic)
        name = path.stem
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        return name

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(style.page.width, style.page.height), invariant=1)
    x, y = style.page.margin_left, style.page.height - style.page.margin_top
    title = style.block("title")
    c.setFont(font("title"), title_size or title.size)
    c.setFillColor(HexColor(title.color))
    c.drawString(x, y, TEXTS.title)
    y -= 40
    heading = style.block("heading-2")
    c.setFont(font("heading-2"), heading.size)
    c.setFillColor(HexColor(heading.color))
    c.drawString(x, y, TEXTS.heading)
    y -= 30
    body = style.block("body")
    c.setFont(font("body"), body.size)
    c.setFillColor(HexColor(body.color))
    if wrap_body_at:           # a hyphenated line break inside the body paragraph
        c.drawString(x, y, TEXTS.body[:wrap_body_at] + "-")
        y -= body.leading
        c.drawString(x, y, TEXTS.body[wrap_body_at:])
    else:
        c.drawString(x, y, TEXTS.body)
    y -= 30
    before, quote, after = SPEECH_PARAGRAPH
    c.drawString(x, y, before)
    qx = x + pdfmetrics.stringWidth(before, font("body"), body.size)
    speech = style.inline("quote-speech")
    qwidth = pdfmetrics.stringWidth(quote, font("quote-speech"), speech.size)
    if speech_background:
        c.setFillColor(HexColor(speech.background))
        c.rect(qx, y - 3, qwidth, speech.size + 2, stroke=0, fill=1)
    c.setFillColor(HexColor(speech.color))
    c.setFont(font("quote-speech"), speech.size)
    c.drawString(qx, y, quote)
    c.setFillColor(HexColor(body.color))
    c.setFont(font("body"), body.size)
    c.drawString(qx + qwidth, y, after)
    c.showPage()
    c.save()
    return out.getvalue()


def build_epub(style, *, body_em: float = 1.0, speech_color: str | None = None, title_class: str = "title") -> bytes:
    from ebooklib import epub

    def rule(selector: str, key: str, color: str | None = None) -> str:
        el = style.element(key)
        body_size = style.block("body").size
        decls = []
        if el.family:
            decls.append(f'font-family: "{style.fonts[el.family].name}", serif')
        if el.size:
            em = el.size / body_size * (body_em if key == "body" else 1.0)
            decls.append(f"font-size: {em:.4f}em")
        decls.append(f"color: {color or el.color}")
        if el.bold is not None:
            decls.append(f"font-weight: {'bold' if el.bold else 'normal'}")
        if el.italic is not None:
            decls.append(f"font-style: {'italic' if el.italic else 'normal'}")
        if el.background:
            decls.append(f"background-color: {el.background}")
        return f"{selector} {{ {'; '.join(decls)} }}"

    css = "\n".join([
        "/* one rule per semantic key */",
        "@font-face { font-family: \"Noto Serif\"; src: url(fonts/x.ttf); }",
        rule("h1.title", "title"), rule(".body", "body"), rule("h2.heading-2", "heading-2"),
        rule("q.quote-speech", "quote-speech", speech_color), "q.quote-speech::before { content: none }",
    ])
    book = epub.EpubBook()
    book.set_identifier("kit-test")
    book.set_title(TEXTS.title)
    book.set_language("en")
    stylesheet = epub.EpubItem(uid="css", file_name="style/main.css", media_type="text/css", content=css)
    book.add_item(stylesheet)
    before, quote, after = SPEECH_PARAGRAPH
    chapter = epub.EpubHtml(title="Article", file_name="article.xhtml", lang="en")
    chapter.content = (
        f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body><article>'
        f'<h1 class="{title_class}">{TEXTS.title}</h1><h2 class="heading-2">{TEXTS.heading}</h2>'
        f'<p class="body">{TEXTS.body}</p>'
        f'<p>{before}<q class="quote-speech">{quote}</q>{after}</p></article></body></html>')
    chapter.add_item(stylesheet)
    book.add_item(chapter)
    book.spine = [chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    out = io.BytesIO()
    epub.write_epub(out, book)
    return out.getvalue()


# ----------------------------------------------------------------------------------- conforming
@pytest.fixture(scope="module")
def good(style):
    return {"docx": build_docx(style), "pdf": build_pdf(style), "epub": build_epub(style)}


@pytest.mark.parametrize("fmt", ["docx", "pdf", "epub"])
def test_conforming_file_reads_back_as_the_style_says(fmt, good, style, want):
    readings = read_back(good[fmt], fmt, TEXTS, style=style)
    assert compare(readings, want, fmt) == []
    assert readings["title"].family == "Noto Serif"
    assert readings["speech"].background == style.element("quote-speech").background
    assert readings["body"].background is None
    assert readings["title"].bold is True


def test_conforming_formats_agree_with_each_other(good, style):
    by_format = {fmt: read_back(data, fmt, TEXTS, style=style) for fmt, data in good.items()}
    assert compare_formats(by_format) == []


def test_expected_readings_follow_the_style(style, want):
    assert want["title"].size == style.block("title").size and want["title"].family == "Noto Serif"
    assert want["heading"].color == style.block("heading-2").color
    assert want["speech"].size == style.block("body").size           # inline: as the block
    assert want["speech"].background == style.element("quote-speech").background
    off = load_style("default", ["quotes.highlight_speech=false"])
    assert expected_readings(off, TEXTS)["speech"].background is None


# ------------------------------------------------------------------------------- must-fail files
def problems(data, fmt, style, want):
    return compare(read_back(data, fmt, TEXTS, style=style), want, fmt)


def test_docx_wrong_heading_colour_fails(style, want):
    found = problems(build_docx(style, heading_color="#00ff00"), "docx", style, want)
    assert found == ["docx heading: colour #00ff00 != " + style.block("heading-2").color]


def test_docx_missing_highlight_fails(style, want):
    found = problems(build_docx(style, speech_background=False), "docx", style, want)
    assert found == [f"docx speech: background None != {style.element('quote-speech').background}"]


def test_docx_body_size_change_reaches_inheriting_speech(style, want):
    found = problems(build_docx(style, body_size=14), "docx", style, want)
    # Normal is 14pt; the speech run inherits it through the paragraph style
    assert any(p.startswith("docx body: size 14.0") for p in found)
    assert any(p.startswith("docx speech: size 14.0") for p in found)


def test_docx_wrong_paragraph_style_is_reported():
    import docx

    document = docx.Document()
    document.add_paragraph(TEXTS.title)          # Normal, not Title
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(readback.ReadBackError, match="no paragraph in style 'Title'.*found in style"):
        readback.read_docx(out.getvalue(), TEXTS)


def test_pdf_wrong_title_size_fails(style, want):
    found = problems(build_pdf(style, title_size=30), "pdf", style, want)
    assert len(found) == 1 and found[0].startswith("pdf title: size 30.0")


def test_pdf_small_size_drift_tolerated(style, want):
    assert problems(build_pdf(style, title_size=style.block("title").size + 0.4), "pdf", style, want) == []


def test_pdf_body_wrapped_with_a_hyphen_still_found(style, want):
    data = build_pdf(style, wrap_body_at=TEXTS.body.index("repairs") + 3)      # "rep-" / "airs"
    assert problems(data, "pdf", style, want) == []
    text = readback.output_text(data, "pdf")
    assert "rep-\nairs" in text
    assert readback.missing_words(readback._words(TEXTS.body), text) is None


def test_pdf_missing_highlight_and_wrong_family_fail(style, want):
    found = problems(build_pdf(style, speech_background=False, heading_family="sans"), "pdf", style, want)
    assert f"pdf speech: background None != {style.element('quote-speech').background}" in found
    assert "pdf heading: family 'Noto Sans' != 'Noto Serif'" in found


def test_epub_em_sizes_resolve_against_body_size(style, want):
    readings = read_back(build_epub(style, body_em=1.2), "epub", TEXTS, style=style)
    found = compare(readings, want, "epub")
    size = style.block("body").size
    assert found == [f"epub body: size {round(size * 1.2, 3)} != {size} (±0.5pt)",
                     f"epub speech: size {round(size * 1.2, 3)} != {size} (±0.5pt)"]   # inherited from the <p>
    assert readings["title"].size == pytest.approx(style.block("title").size, abs=0.01)


def test_epub_wrong_speech_colour_fails(style, want):
    found = problems(build_epub(style, speech_color="#808080"), "epub", style, want)
    assert found == [f"epub speech: colour #808080 != {style.element('quote-speech').color}"]


def test_epub_missing_class_is_reported(style):
    with pytest.raises(readback.ReadBackError, match="epub title"):
        read_back(build_epub(style, title_class="headline"), "epub", TEXTS, style=style)


def test_formats_that_disagree_are_reported(good, style):
    by_format = {"docx": read_back(good["docx"], "docx", TEXTS, style=style),
                 "pdf": read_back(build_pdf(style, title_size=30), "pdf", TEXTS, style=style)}
    found = compare_formats(by_format)
    assert found and all("title: size differs" in p for p in found)


# ------------------------------------------------------------------------------------ helpers
def test_font_name_to_family():
    assert readback.family_from_font_name("ABCDEF+NotoSerif-BoldItalic") == ("Noto Serif", True, True)
    assert readback.family_from_font_name("NotoSansMono-Regular") == ("Noto Sans Mono", False, False)
    assert readback.family_from_font_name("DroidSansFallbackFull") == ("Droid Sans Fallback Full", False, False)


def test_css_parser_specificity_and_inheritance():
    from lxml import etree

    rules = readback.parse_css("p { color: #111111 } .body { color: #222 } p.body { font-size: 1.5em }"
                               " /* .body { color: red } */ article { font-family: 'X Y', serif }")
    tree = etree.fromstring('<article><p class="body">t<q class="quote-speech">q</q></p></article>')
    p = tree[0]
    props = readback._computed(rules, p, 10.0)
    assert props["color"] == "#222222" and props["size"] == 15.0 and props["family"] == "X Y"
    q_props = readback._computed(rules, p[0], 10.0)
    assert q_props["color"] == "#222222" and q_props["size"] == 15.0 and q_props["background"] is None


def test_pdf_colour_spaces():
    assert readback._pdf_color((1, 0, 0)) == "#ff0000"
    assert readback._pdf_color((0.5,)) == "#808080"
    assert readback._pdf_color((0, 0, 0, 1)) == "#000000"
    assert readback._pdf_color(None) is None


def test_text_conservation_helper():
    from exporter.ast import Article, Heading, Paragraph, Quote, Text

    article = Article(body=(
        Heading(2, (Text("A well-known heading"),)),
        Paragraph((Text("One two "), Quote("speech", None, (Text("“three four”"),)), Text(" five."))),
    ))
    words = readback.body_words(article)
    assert words == ["A", "wellknown", "heading", "One", "two", "three", "four", "five."]   # marks aside
    assert readback.missing_words(words, "Header\nA well-\nknown heading One two “three four” five. 1") is None
    assert readback.missing_words(words, "A well-known heading One two “three four”") is not None
    assert "'two'" in readback.missing_words(words, "A well-known heading two One “three four” five.")


@pytest.mark.parametrize("fmt", ["docx", "pdf", "epub"])
def test_output_text_of_kit_files(fmt, good):
    text = readback.output_text(good[fmt], fmt)
    words = readback._words(TEXTS.title + " " + TEXTS.heading + " " + TEXTS.body + " " + "".join(SPEECH_PARAGRAPH))
    assert readback.missing_words(words, text) is None


# ------------------------------------------------------------------------------- page furniture
def furnished_pdf(style, pages: int, marking_on: set[int], footer_on: set[int]) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(style.page.width, style.page.height), invariant=1)
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 8)
        if n in marking_on:
            c.drawCentredString(style.page.width / 2, style.page.height - 20, style.marking)
            c.drawCentredString(style.page.width / 2, 20, style.marking)
        if n in footer_on:
            c.drawRightString(style.page.width - 30, 20, f"Page {n} of {pages}")
        c.drawString(72, 400, f"body text {n}")
        c.showPage()
    c.save()
    return out.getvalue()


def test_pdf_furniture_checked_page_by_page():
    style = load_style("briefing")
    assert readback.furniture_problems(furnished_pdf(style, 3, {1, 2, 3}, {1, 2, 3}), "pdf", style) == []
    found = readback.furniture_problems(furnished_pdf(style, 3, {1, 3}, {1, 2}), "pdf", style)
    assert found == ["pdf page 2: 'OFFICIAL' missing", "pdf page 3: 'Page 3 of 3' missing"]
    # first-page furniture off: page 1 still needs the marking, but not the page number
    quiet_first = load_style("briefing", ["page.first_page_furniture=false"])
    assert readback.furniture_problems(furnished_pdf(quiet_first, 2, {1, 2}, {2}), "pdf", quiet_first) == []
    assert readback.furniture_problems(furnished_pdf(quiet_first, 2, {2}, {2}), "pdf", quiet_first) == [
        "pdf page 1: 'OFFICIAL' missing"]


def furnished_docx(style, *, footer_field: bool, first_page_marking: bool) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = f"source\t{style.marking}\tdate"
    footer = section.footer.paragraphs[0]
    footer.add_run(f"title\t{style.marking}\tPage ")
    if footer_field:
        for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
            run = footer.add_run()
            if kind:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), kind)
                run._r.append(fld)
            elif instr:
                text = OxmlElement("w:instrText")
                text.text = instr
                run._r.append(text)
            else:
                run.text = "7"                       # the cached result must be ignored
        footer.add_run(" of ")
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "NUMPAGES")
        footer._p.append(fld)
    else:
        footer.add_run("1 of 1")
    section.different_first_page_header_footer = True
    if first_page_marking:
        section.first_page_header.paragraphs[0].text = style.marking
    document.add_paragraph("body")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_furniture_fields_and_first_page():
    style = load_style("briefing", ["page.first_page_furniture=false"])
    good = furnished_docx(style, footer_field=True, first_page_marking=True)
    assert readback.furniture_problems(good, "docx", style) == []
    parts = readback.docx_furniture(good)
    assert "Page {PAGE} of {NUMPAGES}" in parts["default-footer"] and "7" not in parts["default-footer"]
    found = readback.furniture_problems(furnished_docx(style, footer_field=False, first_page_marking=False),
                                        "docx", style)
    assert found == ["docx running header/footer: 'Page {PAGE} of {NUMPAGES}' missing",
                     "docx first-page header/footer: 'OFFICIAL' missing"]
