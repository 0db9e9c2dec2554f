"""DOCX hyphenation set to match the PDF's where Word's settings allow (issue 14), read back from
the package: Word's document-wide switch, its limit of hyphenated lines in a row from the style's
``hyphenation.max_consecutive``, a narrow zone, no word in capitals; running text hyphenates and
every heading, title, standfirst and table cell keeps its words whole (w:suppressAutoHyphens on
the paragraph's style, followed through w:basedOn); the dictionary follows the text's language,
or the style's override for that language."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

import exporter
import support
from exporter.api import briefing as make_briefing
from exporter.style import load_style
from exporter.style.model import HYPHENATED_ELEMENTS
from exporter.writers import RenderOptions, get_writer
from exporter.writers.docx.styles import HYPHENATION_ZONE_TW

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def render(document, style) -> bytes:
    out = io.BytesIO()
    get_writer("docx").write(document, style, out,
                             RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None))
    return out.getvalue()


def settings(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read("word/settings.xml"))


def value(root: etree._Element, name: str) -> str | None:
    """w:val of a settings element; '' when it is there without one (a toggle), None when absent."""
    found = root.find(f"{W}{name}")
    return None if found is None else found.get(f"{W}val", "")


def suppressed(style) -> bool:
    """Whether a paragraph style keeps its words whole: its own w:suppressAutoHyphens, else the
    one of the style it is based on."""
    while style is not None:
        ppr = style.element.pPr
        found = None if ppr is None else ppr.find(qn("w:suppressAutoHyphens"))
        if found is not None:
            return found.get(qn("w:val"), "1") not in ("0", "false", "off")
        style = style.base_style
    return False


def sample():
    return exporter.read(support.SAMPLE)


def test_word_hyphenates_as_the_pdf_does():
    root = settings(render(sample(), load_style("default")))
    assert value(root, "autoHyphenation") == ""
    assert value(root, "consecutiveHyphenLimit") == "2"
    assert value(root, "hyphenationZone") == str(HYPHENATION_ZONE_TW)
    assert value(root, "doNotHyphenateCaps") == ""
    # in the schema's order: Word refuses a settings part out of order
    names = [etree.QName(child).localname for child in root]
    order = ["defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
             "doNotHyphenateCaps", "characterSpacingControl"]
    assert [name for name in names if name in order] == order


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_the_limit_of_hyphenated_lines_is_the_styles(limit):
    root = settings(render(sample(), load_style("default", [f"hyphenation.max_consecutive={limit}"])))
    assert value(root, "consecutiveHyphenLimit") == str(limit)


def test_no_hyphenation_settings_when_nothing_hyphenates():
    style = load_style("default", [f"{key}.hyphenate=false" for key in HYPHENATED_ELEMENTS])
    root = settings(render(sample(), style))
    for name in ("autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps"):
        assert value(root, name) is None, name


def test_running_text_hyphenates_and_headings_titles_and_table_cells_never_do():
    """A briefing has every kind of paragraph: cover, contents, a key-quotes table, titles,
    standfirsts, headings, body, lists and block quotes."""
    articles = [exporter.read(path) for path in sorted(support.FIXTURES.glob("*.txt"))[:5]]
    data = render(make_briefing(articles, title="Hyphens"), load_style("briefing"))
    document = docx.Document(io.BytesIO(data))
    body_styles = {paragraph.style.name for paragraph in document.paragraphs if paragraph.text.strip()}
    cells = [paragraph for table in document.tables for row in table.rows for cell in row.cells
             for paragraph in cell.paragraphs if paragraph.text.strip()]
    assert cells, "the briefing has a key-quotes table"
    for paragraph in cells:
        assert suppressed(paragraph.style), paragraph.style.name
        own = paragraph._p.pPr.find(qn("w:suppressAutoHyphens")) if paragraph._p.pPr is not None else None
        assert own is None or own.get(qn("w:val"), "1") != "0"
    whole = {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"}
    hyphenated = {"Normal", "Lede"}
    assert whole & body_styles and hyphenated & body_styles, body_styles
    for name in body_styles:
        if name in whole or name.startswith(("Cover", "TOC", "Key Quotes", "Meta Line", "Header", "Footer")):
            assert suppressed(document.styles[name]), name
    for name in hyphenated & body_styles:
        assert not suppressed(document.styles[name]), name


def test_a_heading_cannot_be_told_to_hyphenate():
    with pytest.raises(exporter.StyleError, match="heading-2.hyphenate: headings"):
        load_style("default", ["heading-2.hyphenate=true"])
    assert not load_style("default").element("key-quotes-item").hyphenate      # table cells


def _document_language(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        styles = etree.fromstring(zf.read("word/styles.xml"))
    return styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}val")


def test_the_dictionary_follows_the_text_or_the_styles_override_for_its_language():
    from dataclasses import replace

    english = replace(sample(), meta=replace(sample().meta, language="en-US"))
    french = replace(sample(), meta=replace(sample().meta, language="fr"))
    british = load_style("default", ['hyphenation.language="en-GB"'])
    assert _document_language(render(english, load_style("default"))) == "en-US"
    assert _document_language(render(english, british)) == "en-GB"
    assert _document_language(render(french, british)) == "fr"          # an English override
