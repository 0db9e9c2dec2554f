"""The DOCX writer, read back: text in order, named styles on paragraphs, quote runs and speaker
labels, the style's look on those named styles, header/footer fields and marking, core properties,
comments, links, hostile text, determinism, memory, format isolation and a LibreOffice round trip.
(tests/test_writer_docx_reading.py checks the whole visible text against the presented document.)"""
from __future__ import annotations

import gc
import io
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from exporter.ast import (
    Article, BlockQuote, Break, Dropped, Emphasis, Heading, Link, ListBlock, Meta, Paragraph, Quote,
    RelatedItem, Rule, Strong, Text, UnknownNodeError, inline_text, iter_inline_runs,
)
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer

import support

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BUILD_TIME = support.BUILD_TIME


# ------------------------------------------------------------------------------------- helpers
def render(article: Article, style=None, **options) -> bytes:
    out = io.BytesIO()
    options.setdefault("build_time", BUILD_TIME)
    options.setdefault("warn", lambda message: None)
    get_writer("docx").write(article, style or load_style("default"), out, RenderOptions(**options))
    return out.getvalue()


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read(name))


def part_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.namelist()


def style_with(style, **changes):
    """A copy of a loaded style with top-level fields, quotes, sections or page changed."""
    for group in ("quotes", "sections", "page"):
        if group in changes and isinstance(changes[group], dict):
            changes[group] = replace(getattr(style, group), **changes[group])
    return replace(style, **changes)


HOSTILE = ("<script>alert(1)</script> &amp; <font name=\"x\"> <img src=\"/etc/passwd\"> "
           "]]> &#x41; {title} ${HOME}")
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitän" * 12


def hostile_article() -> Article:
    speech = Quote("speech", "Volodymyr Zelenskyy", (Text("\u201cThis was a deliberate killing,\u201d"),))
    return Article(
        meta=Meta(title="Talks <b>in</b> Istanbul & beyond " + "x" * 400, subtitle="A standfirst",
                  byline="By A. Reporter", source="SBS News", date="2025-05-17", language="en",
                  tags=("Russia", "Ukraine", "<tag>")),
        body=(
            Paragraph((Text("The lede paragraph opens the story."),)),
            Paragraph((Text("He said "), speech, Text(" and left.")),),
            Heading(2, (Text("\u2018Are they tapping us along?\u2019"),)),
            Paragraph((Text(HOSTILE),)),
            Paragraph((Text("Line one\r\nLine two\rLine three\nLine four"), Break(), Text("after break\x0b\x00."))),
            BlockQuote((Paragraph((Text("A block quotation."),)),)),
            ListBlock(False, ((Paragraph((Text("first bullet"),)),),
                              (Paragraph((Text("second bullet"),)),
                               ListBlock(True, ((Paragraph((Text("nested one"),)),),
                                                (Paragraph((Text("nested two"),)),)))))),
            ListBlock(True, ((Paragraph((Text("again one"),)),), (Paragraph((Text("again two"),)),))),
            Rule(),
            Paragraph((Text("See "), Link("https://example.com/a b?x=1&y=<2>", (Text("the site"),)),
                       Text(", not "), Link("javascript:alert(1)", (Text("this"),)),
                       Text(" or "), Link("/etc/passwd", (Text("that"),)), Text("."))),
            Paragraph((Emphasis((Text("em "), Strong((Text("strong"),)))), Text(" "),
                       Quote("title", None, (Text("\u201cFace the Nation\u201d"),)), Text(" "),
                       Quote("term", None, (Text("\u201cbloodbath\u201d"),)))),
            Paragraph((Text("Ελληνικά Русский українська 中文字符 " + LONG_WORD),)),
            Paragraph((Text("שלום עולם and more"),)),
        ),
        related=(RelatedItem("Greta Thunberg sets sail for Gaza", "Environmental activist\u2026"),),
        dropped=(Dropped(1, "Share this @internewscast.com", "share-widget"),),
    )


def body_paragraphs(document):
    return [p for p in document.paragraphs]


_MARKS = str.maketrans("‘’“”", "''\"\"")


def words(text: str) -> list[str]:
    """Words with quote marks straightened: the presentation layer curls the source's marks."""
    return text.translate(_MARKS).split()


# ---------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def default_style():
    return load_style("default")


@pytest.fixture(scope="module")
def sample_article():
    from exporter.api import read
    return read(support.SAMPLE)


# ------------------------------------------------------------------------------------------ tests
def test_registered_writer_protocol():
    writer = get_writer("docx")
    assert (writer.name, writer.extension, writer.uses_style) == ("docx", "docx", True)
    assert writer.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_sample_text_in_order_with_named_styles(sample_article, default_style):
    document = open_docx(render(sample_article, default_style))
    paragraphs = document.paragraphs
    styles = [p.style.name for p in paragraphs]
    # the sample has no headline: its title, cut from the lede, is not printed above the lede;
    # the meta line stands in its place (the presentation layer's headline policy)
    assert sample_article.meta.title_origin == "lede"
    assert styles[0] == "Meta Line Heading" and "SBS News" in paragraphs[0].text
    assert styles[1] == "Lede"
    # every word of every body block reaches the output, in order (labels aside)
    expected = [w for _, content in iter_inline_runs(sample_article.body) for w in words(inline_text(content))]
    got = [w for p in paragraphs[1:] for w in words(p.text) if not (w.startswith("[") or w.endswith("]"))]
    assert got[:len(expected)] == expected
    assert "Heading 2" in styles or "Heading 1" in styles or "Heading 3" in styles
    # speech quotes are runs in their character style
    quote_runs = [r for p in paragraphs for r in p.runs if r.style is not None and r.style.name == "Quote Speech"]
    assert quote_runs and all(r.text for r in quote_runs)


def test_every_block_and_inline_maps_to_its_style(default_style):
    article = hostile_article()
    document = open_docx(render(article, style_with(default_style, sections={"related": True, "dropped": True})))
    by_style: dict[str, list[str]] = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"][0].startswith("Talks <b>in</b> Istanbul & beyond")
    assert by_style["Subtitle"] == ["A standfirst"]
    assert by_style["Meta Line"] == ["SBS News \u00b7 By A. Reporter \u00b7 17 May 2025"]   # a date for a reader
    assert by_style["Lede"] == ["The lede paragraph opens the story."]
    assert by_style["Heading 2"] == ["\u2018Are they tapping us along?\u2019"]
    assert by_style["Quote"] == ["A block quotation."]
    assert by_style["List Bullet"] == ["first bullet", "second bullet"]
    assert by_style["List Number"] == ["nested one", "nested two", "again one", "again two"]
    assert by_style["Related Heading"] == ["Related"]
    assert by_style["Related Item"][0].startswith("Greta Thunberg sets sail for Gaza")
    assert by_style["Dropped Heading"] == ["Dropped lines"]
    assert by_style["Related Item"] == ["Greta Thunberg sets sail for Gaza \u2014 Environmental activist\u2026"]
    assert by_style["Dropped Item"] == ["Line 1 \u00b7 share-widget: Share this @internewscast.com"]
    # the speaker is visible on paper: a label after the quote, in its own character style
    labels = [r.text for p in document.paragraphs for r in p.runs if r.style is not None and r.style.name == "Speaker Label"]
    assert labels == ["\u00a0[Volodymyr Zelenskyy]"]
    run_styles = {r.style.name: r.text for p in document.paragraphs for r in p.runs if r.style is not None
                  and r.style.name.startswith("Quote ")}
    assert run_styles["Quote Speech"] == "\u201cThis was a deliberate killing,\u201d"
    assert run_styles["Quote Title"] == "\u201cFace the Nation\u201d"
    assert run_styles["Quote Term"] == "\u201cbloodbath\u201d"
    emphasis = [r for p in document.paragraphs for r in p.runs if r.text in ("em ", "strong")]
    assert [(r.text, bool(r.italic), bool(r.bold)) for r in emphasis] == [("em ", True, False), ("strong", True, True)]


def test_sections_off_in_default_style(default_style):
    document = open_docx(render(hostile_article(), default_style))
    names = {p.style.name for p in document.paragraphs}
    assert "Related Heading" not in names and "Dropped Heading" not in names


def test_named_styles_carry_the_style(default_style):
    document = open_docx(render(hostile_article(), default_style))
    for key, name in (("body", "Normal"), ("title", "Title"), ("heading-2", "Heading 2"),
                      ("meta-line", "Meta Line"), ("blockquote", "Quote"), ("related-item", "Related Item")):
        element = default_style.block(key)
        word = document.styles[name]
        font = word.font
        assert font.name == default_style.fonts[element.family].name, name
        assert font.size.pt == pytest.approx(element.size, abs=0.25), name
        assert str(font.color.rgb) == element.color.lstrip("#").upper(), name
        assert bool(font.bold) == element.bold and bool(font.italic) == element.italic, name
        fmt = word.paragraph_format
        assert fmt.space_after.pt == pytest.approx(element.space_after, abs=0.05), name
        assert fmt.space_before.pt == pytest.approx(element.space_before, abs=0.05), name
        assert bool(fmt.keep_with_next) == element.keep_with_next, name
        r_fonts = word.element.rPr.find(qn("w:rFonts"))
        assert {r_fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {font.name}, name
    speech = default_style.element("quote-speech")
    rpr = document.styles["Quote Speech"].element.rPr
    assert rpr.find(qn("w:shd")).get(qn("w:fill")) == speech.background.lstrip("#").upper()
    assert rpr.find(qn("w:color")).get(qn("w:val")) == speech.color.lstrip("#").upper()
    # a quote kind the style does not highlight has no shading
    assert document.styles["Quote Term"].element.rPr.find(qn("w:shd")) is None


def test_page_size_and_margins_from_style():
    for name in ("default", "letter"):
        style = load_style(name)
        section = open_docx(render(hostile_article(), style)).sections[0]
        assert section.page_width.pt == pytest.approx(style.page.width, abs=0.05)
        assert section.page_height.pt == pytest.approx(style.page.height, abs=0.05)
        assert section.left_margin.pt == pytest.approx(style.page.margin_left, abs=0.05)
        assert section.top_margin.pt == pytest.approx(style.page.margin_top, abs=0.05)


def _instructions(story_element) -> list[str]:
    return [t.text.strip() for t in story_element.iter(qn("w:instrText"))]


def test_header_footer_fields_and_marking_on_every_page():
    style = load_style("briefing")          # first-page furniture on, marking in the templates
    document = open_docx(render(hostile_article(), style))
    section = document.sections[0]
    assert not section.different_first_page_header_footer
    assert _instructions(section.footer._element) == ["PAGE", "NUMPAGES"]
    assert "OFFICIAL" in section.header.paragraphs[0].text
    assert "OFFICIAL" in section.footer.paragraphs[0].text
    assert "Page 1 of 1" in section.footer.paragraphs[0].text      # cached field results
    assert section.header.paragraphs[0].style.name == "Header"
    assert section.footer.paragraphs[0].style.name == "Footer"


def test_marking_on_first_page_when_first_page_furniture_is_off(default_style):
    document = open_docx(render(hostile_article(), default_style, marking="SECRET"))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert [p.text for p in section.first_page_header.paragraphs] == ["SECRET"]
    assert [p.text for p in section.first_page_footer.paragraphs] == ["SECRET"]
    assert "SECRET" in [p.text for p in section.header.paragraphs]
    assert _instructions(section.footer._element) == ["PAGE"]
    # options.marking overrides the style's marking; "" removes it
    briefing = open_docx(render(hostile_article(), load_style("briefing"), marking=""))
    assert "OFFICIAL" not in briefing.sections[0].header.paragraphs[0].text


def test_core_properties_and_no_python_docx_leftovers(default_style):
    data = render(hostile_article(), default_style)
    props = open_docx(data).core_properties
    assert props.title.startswith("Talks <b>in</b> Istanbul & beyond") and len(props.title) == 255
    assert props.author == "By A. Reporter"
    assert props.subject == "A standfirst"
    assert props.keywords == "Russia, Ukraine, <tag>"
    assert props.language == "en"
    expected = BUILD_TIME.replace(tzinfo=None)
    assert props.created.replace(tzinfo=None) == expected and props.modified.replace(tzinfo=None) == expected
    assert props.last_modified_by == ""
    names = part_names(data)
    assert names[0] == "[Content_Types].xml"
    assert not any("thumbnail" in n or "stylesWithEffects" in n or "customXml" in n for n in names)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        blob = b"".join(zf.read(n) for n in names)
        # zip stores even seconds
        assert all(info.date_time == (2026, 1, 2, 3, 4, 4) for info in zf.infolist())
    assert b"python-docx" not in blob and b"2013-" not in blob and b"Macintosh" not in blob
    lang = part_xml(data, "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "en"


def test_author_is_the_byline_and_a_malformed_language_is_undetermined(default_style):
    article = Article(Meta(title="T", source="SBS News", language="de-AT\"><x"), (Paragraph((Text("x"),)),))
    data = render(article, default_style)
    props = open_docx(data).core_properties
    assert props.author == "" and props.language == "und"            # the presented metadata, as given
    assert props.identifier.startswith("urn:uuid:")
    # no language claimed for the text: Word checks no spelling in a guessed one
    assert part_xml(data, "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang") is None
    article = Article(Meta(title="T", language="uk"), (Paragraph((Text("Слава"),)),))
    data = render(article, default_style)
    assert open_docx(data).core_properties.language == "uk"


def test_speaker_comments(default_style):
    article = hostile_article()
    plain = render(article, default_style)
    assert "word/comments.xml" not in part_names(plain)           # show_speaker is off
    data = render(article, style_with(default_style, quotes={"show_speaker": True}))
    comments = list(open_docx(data).comments)
    assert [c.text for c in comments] == ["Volodymyr Zelenskyy"]
    assert comments[0].author == "exporter"
    assert comments[0].timestamp.replace(tzinfo=None) == BUILD_TIME.replace(tzinfo=None)
    body = part_xml(data, "word/document.xml")
    start = body.find(f".//{W}commentRangeStart")
    # the comment range wraps exactly the quote's runs
    run = start.getnext()
    assert run.find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "QuoteSpeech"
    assert run.getnext().tag == f"{W}commentRangeEnd"


def test_links(default_style):
    data = render(hostile_article(), default_style)
    document = open_docx(data)
    body = part_xml(data, "word/document.xml")
    links = body.findall(f".//{W}hyperlink")
    assert len(links) == 1
    r_id = links[0].get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rel = document.part.rels[r_id]
    assert rel.is_external and rel.target_ref == "https://example.com/a%20b?x=1&y=%3C2%3E"
    assert "".join(t.text for t in links[0].iter(f"{W}t")) == "the site"
    paragraph = next(p for p in document.paragraphs if p.text.startswith("See"))
    assert paragraph.text == "See the site, not this or that."
    rels = "".join(r.target_ref for r in document.part.rels.values() if r.is_external)
    assert "javascript" not in rels and "passwd" not in rels
    too_long = Article(Meta(title="T"), (Paragraph((Link("https://example.com/" + "a" * 3000, (Text("long"),)),)),))
    assert not part_xml(render(too_long, default_style), "word/document.xml").findall(f".//{W}hyperlink")


def test_hostile_text_is_text(default_style):
    # straight marks kept as they are, so the text compares exactly
    data = render(hostile_article(), style_with(default_style, quotes={"typographic_marks": False}))
    document = open_docx(data)
    texts = [p.text for p in document.paragraphs]
    assert HOSTILE in texts
    assert not part_xml(data, "word/document.xml").findall(f".//{W}fldSimple")
    instr = [t.text for t in part_xml(data, "word/document.xml").iter(f"{W}instrText")]
    assert instr == []                                   # nothing in the body became a field
    # one break per source line whatever the line ending; control characters dropped
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Line one"))
    assert paragraph.text == "Line one\nLine two\nLine three\nLine four\nafter break."
    assert len(paragraph._p.findall(f".//{W}br")) == 4
    assert any(LONG_WORD in t for t in texts)


def test_non_latin_text_names_a_font_that_draws_it(default_style):
    warnings: list[str] = []
    data = render(hostile_article(), default_style, warn=warnings.append)
    document = open_docx(data)
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Ελληνικά"))
    cjk = [r for r in paragraph.runs if "中文" in r.text]
    assert cjk and cjk[0].text.strip() == "中文字符"
    r_fonts = cjk[0]._r.rPr.find(qn("w:rFonts"))
    assert r_fonts.get(qn("w:eastAsia")) == "Droid Sans Fallback"
    # Greek and Cyrillic stay in the style's own font (no run-level override)
    greek = paragraph.runs[0]
    assert greek.text.startswith("Ελληνικά Русский") and greek._r.rPr is None or greek._r.rPr.find(qn("w:rFonts")) is None
    rtl = next(p for p in document.paragraphs if p.text.startswith("שלום"))
    assert rtl._p.pPr.find(qn("w:bidi")) is not None
    assert warnings == []


def test_uncovered_characters_warned_once(default_style):
    warnings: list[str] = []
    # unassigned code points: no font anywhere draws them
    article = Article(Meta(title="T"), (Paragraph((Text("\U00010FFF\U00010FFF and \U00010FFE"),)),
                                         Paragraph((Text("\U00010FFF again"),))))
    render(article, default_style, warn=warnings.append)
    assert len(warnings) == 1 and "U+10FFF" in warnings[0] and "U+10FFE" in warnings[0]


def test_lists_nest_and_ordered_lists_restart(default_style):
    body = part_xml(render(hostile_article(), default_style), "word/document.xml")
    numbered = []
    for p in body.iter(f"{W}p"):
        num = p.find(f"{W}pPr/{W}numPr")
        if num is not None:
            text = "".join(t.text for t in p.iter(f"{W}t"))
            numbered.append((text, int(num.find(f"{W}ilvl").get(f"{W}val")), int(num.find(f"{W}numId").get(f"{W}val"))))
    levels = {t: lvl for t, lvl, _ in numbered}
    assert levels["first bullet"] == 0 and levels["nested one"] == 1 and levels["again one"] == 0
    num_ids = {t: n for t, _, n in numbered}
    assert num_ids["first bullet"] == num_ids["second bullet"]
    assert num_ids["nested one"] == num_ids["nested two"] != num_ids["again one"]   # restart at 1


def test_unknown_node_raises(default_style):
    class Strange:
        pass

    with pytest.raises(UnknownNodeError):
        render(Article(Meta(title="T"), (Strange(),)), default_style)
    with pytest.raises(UnknownNodeError):
        render(Article(Meta(title="T"), (Paragraph((Strange(),)),)), default_style)


def test_empty_article(default_style):
    document = open_docx(render(Article(), default_style))
    assert [p.text for p in document.paragraphs] == []


def test_deterministic_across_wall_clocks(default_style, monkeypatch):
    style = style_with(default_style, quotes={"show_speaker": True}, sections={"related": True, "dropped": True})
    first = render(hostile_article(), style)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 86_400 * 400 + 2)   # zip's default clock

    import docx.comments as comments_module

    class LaterClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(days=400, seconds=2)

    monkeypatch.setattr(comments_module, "dt", SimpleNamespace(datetime=LaterClock, timezone=timezone))
    second = render(hostile_article(), style)
    assert first == second
    other = render(hostile_article(), style, build_time=BUILD_TIME + timedelta(seconds=2))
    assert other != first


def test_batch_memory_is_freed_without_the_collector(sample_article, default_style):
    """The writer builds text and makes no reference cycles: with the collector off a batch
    leaves nothing behind (no caches growing per document either)."""
    render(sample_article, default_style)
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        for _ in range(15):
            render(sample_article, default_style)
        grown = len(gc.get_objects()) - before
    finally:
        gc.enable()
    assert grown < 50, grown


def test_exporting_docx_imports_no_other_format_library():
    code = (
        "import io, sys\n"
        "from exporter.api import read\n"
        "from exporter.style import load_style\n"
        "from exporter.writers import RenderOptions, get_writer\n"
        f"article = read({str(support.SAMPLE)!r})\n"
        "get_writer('docx').write(article, load_style('default'), io.BytesIO(), RenderOptions())\n"
        "print(' '.join(sorted(m for m in ('reportlab', 'ebooklib', 'docx') if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=support.ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []          # the package is written as text: not even python-docx


@pytest.mark.slow
def test_libreoffice_round_trip(tmp_path, sample_article):
    office = support.require_tool("libreoffice", "DOCX round trip")
    for name in ("default", "letter"):
        style = load_style(name)
        source = tmp_path / f"{name}.docx"
        source.write_bytes(render(sample_article, style))
        done = subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                               "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                              capture_output=True, text=True, timeout=240)
        pdf = tmp_path / f"{name}.pdf"
        assert done.returncode == 0 and pdf.exists(), done.stderr
        from pypdf import PdfReader
        reader = PdfReader(str(pdf))
        box = reader.pages[0].mediabox
        assert float(box.width) == pytest.approx(style.page.width, abs=1.0)
        assert float(box.height) == pytest.approx(style.page.height, abs=1.0)
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "Peskov" in text and "Zelenskyy" in text


def test_hyphenation_alignment_and_indent_follow_the_style(default_style):
    style = load_style("default", ["body.align=\"justify\"", "body.first_line_indent=\"12pt\"",
                                   "title.align=\"center\""])
    data = render(hostile_article(), style)
    settings = part_xml(data, "word/settings.xml")
    assert settings.find(f"{W}autoHyphenation") is not None           # body hyphenates
    document = open_docx(data)
    normal, title = document.styles["Normal"], document.styles["Title"]
    assert normal.paragraph_format.alignment == 3                       # WD_ALIGN_PARAGRAPH.JUSTIFY
    assert normal.paragraph_format.first_line_indent.pt == pytest.approx(12)
    assert title.paragraph_format.alignment == 1                        # CENTER
    # the body's first-line indent does not leak into styles based on Normal
    assert title.paragraph_format.first_line_indent == 0
    assert document.styles["Heading 2"].paragraph_format.first_line_indent == 0
    bullet = document.styles["List Bullet"].paragraph_format
    assert bullet.first_line_indent < 0 and bullet.left_indent > 0      # a hanging bullet
    assert title.element.pPr.find(qn("w:suppressAutoHyphens")) is not None
    assert normal.element.pPr.find(qn("w:suppressAutoHyphens")).get(qn("w:val")) == "0"
    no_hyphens = render(hostile_article(), load_style("default", ["body.hyphenate=false", "lede.hyphenate=false",
                                                                  "blockquote.hyphenate=false", "list.hyphenate=false"]))
    assert part_xml(no_hyphens, "word/settings.xml").find(f"{W}autoHyphenation") is None


def test_landscape_and_no_empty_furniture():
    style = load_style("ebook", ["page.orientation=\"landscape\""])     # ebook: no page furniture
    assert style.page.header.empty and style.page.footer.empty and not style.marking
    data = render(hostile_article(), style)
    section = open_docx(data).sections[0]
    assert section.page_width > section.page_height
    assert section.orientation == 1                                     # WD_ORIENT.LANDSCAPE
    assert not any(n.startswith(("word/header", "word/footer")) for n in part_names(data))


def test_field_and_bookmark_builders():
    from exporter.writers.docx.fields import bookmark_name, field_xml, toc_field_xml

    assert bookmark_name("a01-h3") == "a01_h3"
    assert bookmark_name("1 bad-anchor" + "x" * 60).startswith("b1_bad_anchor") and len(bookmark_name("1" + "x" * 60)) == 40
    paragraph = etree.fromstring(f'<w:p xmlns:w="{W[1:-1]}">{toc_field_xml("1-2")}</w:p>')
    assert [t.text for t in paragraph.iter(f"{W}instrText")] == [' TOC \\o "1-2" \\h \\z \\u ']
    kinds = [c.get(f"{W}fldCharType") for c in paragraph.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    hostile = etree.fromstring(f'<w:p xmlns:w="{W[1:-1]}">{field_xml("PAGE", "<1>&")}</w:p>')
    assert "".join(t.text for t in hostile.iter(f"{W}t")) == "<1>&"


def test_every_presented_anchor_is_a_bookmark_and_every_internal_link_lands(default_style):
    """Anchors become bookmarks (``a01-h1`` -> ``a01_h1``), once each; endnote numbers link to
    their note and back."""
    style = style_with(default_style, quotes={"speaker_display": "endnote"})
    body = part_xml(render(hostile_article(), style), "word/document.xml")
    names = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]
    assert names[:4] == ["a01", "a01_title", "a01_sl1", "a01_h1"]
    assert "a01_speakers" in names and "a01_sn1" in names
    assert len(set(names)) == len(names)
    ids = [b.get(f"{W}id") for b in body.iter(f"{W}bookmarkStart")]
    assert len(set(ids)) == len(ids)
    links = [h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    assert links == ["a01_sn1", "a01_sl1"] and set(links) <= set(names)


def test_body_paragraph_properties_do_not_leak_into_other_styles():
    style = load_style("default", ["body.background=\"#eeeeee\"", "body.keep_with_next=true", "body.hyphenate=false",
                                   "lede.hyphenate=true"])
    document = open_docx(render(hostile_article(), style))
    normal, title, lede = (document.styles[n].element.pPr for n in ("Normal", "Title", "Lede"))
    assert normal.find(qn("w:shd")).get(qn("w:fill")) == "EEEEEE"
    assert title.find(qn("w:shd")).get(qn("w:fill")) == "auto"
    assert normal.find(qn("w:keepNext")).get(qn("w:val")) is None          # on
    assert lede.find(qn("w:keepNext")).get(qn("w:val")) == "0"             # off, explicitly
    assert normal.find(qn("w:suppressAutoHyphens")).get(qn("w:val")) is None
    assert lede.find(qn("w:suppressAutoHyphens")).get(qn("w:val")) == "0"


def test_open_xml_schema_and_semantics(tmp_path, sample_article):
    """The Open XML SDK's schema and semantic rules (pure-Python port): what Word checks before it
    offers to "repair" a file.  Optional: the validator is not a project dependency yet."""
    audit = pytest.importorskip("openxml_audit")
    validator = audit.OpenXmlValidator()
    cases = {
        "hostile-all": (hostile_article(), style_with(load_style("default"), quotes={"show_speaker": True},
                                                      sections={"related": True, "dropped": True}), "SECRET"),
        "sample-briefing": (sample_article, load_style("briefing"), None),
        "hostile-ebook": (hostile_article(), load_style("ebook"), None),
        "empty-letter": (Article(), load_style("letter"), None),
    }
    for name, (article, style, marking) in cases.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(render(article, style, marking=marking))
        result = validator.validate(path)
        assert result.is_valid, f"{name}: " + "\n".join(str(e) for e in result.errors[:10])


def test_a_plain_quote_inside_a_highlighted_one_leaves_no_hole_in_the_highlight(default_style):
    inner = Quote("term", None, (Text("\u2018bloodbath\u2019"),))
    title = Quote("title", None, (Text("\u2018Face the Nation\u2019"),))
    speech = Quote("speech", None, (Text("\u201cHalt the "), inner, Text(" now, "), title, Text("\u201d")),)
    document = open_docx(render(Article(Meta(title="T"), (Paragraph((Text("Lede."),)), Paragraph((speech,)))),
                                default_style))
    runs = [r for r in document.paragraphs[-1].runs]
    assert all(r.style.name == "Quote Speech" for r in runs)             # one highlight across the quote
    faces = {r.text: bool(r.italic) for r in runs}
    assert faces["\u2018bloodbath\u2019"] is False and faces["\u2018Face the Nation\u2019"] is True  # a title stays italic
    unlit = style_with(default_style, quotes={"highlight_speech": False})
    runs = open_docx(render(Article(Meta(title="T"), (Paragraph((speech,)),)), unlit)).paragraphs[-1].runs
    assert [r.style.name for r in runs if "bloodbath" in r.text] == ["Quote Term"]   # nothing to keep: its own style


def test_margin_labels_stand_in_a_frame_in_the_margin_on_the_side_the_text_starts(default_style):
    style = style_with(default_style, quotes={"speaker_display": "margin"})
    quote = Quote("speech", "Dana Levi", (Text("\u201cWe are ready\u201d"),))
    for language, text, side in (("en", "She said ", "left"), ("he", "\u05d4\u05d9\u05d0 \u05d0\u05de\u05e8\u05d4 ", "right")):
        article = Article(Meta(title="T", language=language), (Paragraph((Text("Lede."),)), Paragraph((Text(text), quote))))
        document = open_docx(render(article, style))
        paragraphs = document.paragraphs
        frames = [p for p in paragraphs if p._p.find(f"{W}pPr/{W}framePr") is not None]
        assert [p.text for p in frames] == ["Dana Levi"]
        frame = frames[0]._p.find(f"{W}pPr/{W}framePr")
        assert frame.get(f"{W}xAlign") == side and frame.get(f"{W}hAnchor") == "page"
        following = paragraphs[paragraphs.index(frames[0]) + 1]
        assert following.text == text + "\u201cWe are ready\u201d"           # the name is not in the text
        assert int(frame.get(f"{W}w")) <= round(style.page.margin_left * 20)  # inside the margin
