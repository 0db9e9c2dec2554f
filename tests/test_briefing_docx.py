"""DOCX briefings, read back against the presented document: the cover, the TOC field and its
pre-filled entries (each a link to its article), the key-quotes table (the presented selection, each
quote linked to its paragraph), article order and page breaks, bookmarks scoped by article, the
running header and footer of each section and the marking on every page (in the parts and in a
LibreOffice rendering), the same article markup as a single-article document, determinism (API and
CLI), the Open XML rules and memory.  (test_writer_docx_reading.py checks the whole visible text.)"""
from __future__ import annotations

import gc
import io
import re
import subprocess
import time
import zipfile
from dataclasses import replace
from datetime import datetime, timezone

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

import exporter
from exporter.api import briefing as make_briefing   # `exporter.briefing` is shadowed by the submodule once imported
from exporter.ast import Article, Heading, Meta, Paragraph, Quote, RelatedItem, Text, UnknownNodeError
from exporter.briefing import Briefing, BriefingArticle, BriefingMeta
from exporter.presentation import model as m
from exporter.presentation import present
from exporter.style import load_style
from exporter.writers import RenderOptions
from exporter.writers.docx import DocxWriter
from exporter.writers.docx.fields import TOC_INSTRUCTION, bookmark_name

import support
from cli_support import run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HOSTILE = '<script>alert("x")</script> & ]]> <b>'
COVER = dict(title="Morning briefing", subtitle="Harbours, hills & jazz", date="2025-05-18",
             prepared_for="The Minister <office>", marking="OFFICIAL-SENSITIVE")
NOTE = "Left out: broken.txt: empty input"


# ------------------------------------------------------------------------------------ building
def fixture_articles() -> list[Article]:
    """Every fixture through the live reader: distinct articles, in file order."""
    return [exporter.read(path) for path in sorted(support.FIXTURES.glob("*.txt"))]


def fixture_briefing(**changes) -> Briefing:
    return make_briefing(fixture_articles(), notes=(NOTE,), **{**COVER, **changes})


def render(document, style=None, **options) -> bytes:
    out = io.BytesIO()
    options.setdefault("build_time", support.BUILD_TIME)
    options.setdefault("warn", lambda message: None)
    DocxWriter().write(document, style or load_style("briefing"), out, RenderOptions(**options))
    return out.getvalue()


def with_sections(style, **changes):
    return replace(style, sections=replace(style.sections, **changes))


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


class Doc:
    """A rendered package, opened: its parts, the body's blocks (paragraphs and tables) in order."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.parts = {name: zf.read(name) for name in zf.namelist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.body = self.document.find(f"{W}body")
        self.blocks = [el for el in self.body if el.tag in (f"{W}p", f"{W}tbl")]
        self.rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])

    def part(self, name: str):
        return etree.fromstring(self.parts[name])

    def paragraphs(self) -> list:
        return [el for el in self.blocks if el.tag == f"{W}p"]

    def styled(self, style_id: str) -> list:
        return [p for p in self.paragraphs() if style_of(p) == style_id]

    def bookmarks(self) -> dict[str, object]:
        """Bookmark name -> the body paragraph it sits in."""
        found = {}
        for mark in self.body.iter(f"{W}bookmarkStart"):
            name = mark.get(f"{W}name")
            assert name not in found, f"bookmark {name} twice"
            found[name] = mark.getparent()
        return found

    def story_parts(self, kind: str) -> list[str]:
        """The header (or footer) parts the section uses."""
        sect = self.body.find(f"{W}sectPr")
        ids = [ref.get(qn("r:id")) for ref in sect.iterfind(f"{W}{kind}Reference")]
        targets = {rel.get("Id"): rel.get("Target") for rel in self.rels}
        return [f"word/{targets[i]}" for i in ids]


def starts_page(doc: Doc, paragraph) -> bool:
    """The paragraph begins a page: its own page break, or it opens a section (the previous
    block carries section properties and no section in the document runs on continuously)."""
    if paragraph.find(f"{W}pPr/{W}pageBreakBefore") is not None:
        return True
    assert not [t for t in doc.body.iter(f"{W}type") if t.get(f"{W}val") != "nextPage"]
    position = doc.blocks.index(paragraph)
    return position > 0 and doc.blocks[position - 1].find(f"{W}pPr/{W}sectPr") is not None


def sections(doc: Doc) -> list[tuple[list, object]]:
    """(blocks, w:sectPr) per section, in order."""
    found, current = [], []
    for block in doc.blocks:
        sect = block.find(f"{W}pPr/{W}sectPr")
        if sect is not None:
            found.append((current, sect))
            current = []
        else:
            current.append(block)
    found.append((current, doc.body.find(f"{W}sectPr")))
    return found


def section_story_texts(doc: Doc, sect, kind: str, which: str = "default") -> str:
    targets = {rel.get("Id"): rel.get("Target") for rel in doc.rels}
    for ref in sect.iterfind(f"{W}{kind}Reference"):
        if ref.get(f"{W}type") == which:
            return text_of(doc.part(f"word/{targets[ref.get(qn('r:id'))]}"))
    raise AssertionError(f"no {which} {kind}")


def style_of(paragraph) -> str | None:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else None


def text_of(element) -> str:
    """The visible text (field instructions are not text; breaks and tabs are spaces)."""
    out = []
    for el in element.iter(f"{W}t", f"{W}tab", f"{W}br"):
        if el.getparent().tag != f"{W}r":            # a tab stop in w:pPr/w:tabs is not text
            continue
        out.append(el.text or "" if el.tag == f"{W}t" else " ")
    return "".join(out)


ARTICLE_HEADS = ("Title", "MetaLineHeading")     # what heads an article: its headline, or the meta line in its place


def presented(document, style=None) -> m.PresentedDocument:
    return present(document, style or load_style("briefing"), RenderOptions(warn=lambda message: None))


def parts_of(doc: m.PresentedDocument, kind: type) -> list:
    return [part for part in doc.parts if isinstance(part, kind)]


def heads(doc: Doc) -> list:
    """The paragraph heading each article (the first of a headline-less, meta-line-less one is its lede)."""
    marks = doc.bookmarks()
    return [marks[name] for name in marks if re.fullmatch(r"a\d\d[x]*_title", name)]


def article_titles(briefing: Briefing) -> list[str]:
    return [one_line(item.article.meta.title) for item in briefing.articles]


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return fixture_briefing()


@pytest.fixture(scope="module")
def shown(briefing) -> m.PresentedDocument:
    return presented(briefing)


@pytest.fixture(scope="module")
def data(briefing) -> bytes:
    return render(briefing)


@pytest.fixture(scope="module")
def doc(data) -> Doc:
    return Doc(data)


# --------------------------------------------------------------------------------- the contents
def test_the_fixtures_make_a_briefing_worth_testing(briefing, shown):
    assert len(briefing.articles) >= 7                       # distinct: none dropped as a repeat
    assert len(set(article_titles(briefing))) == len(briefing.articles)
    assert len(parts_of(shown, m.KeyQuotes)[0].rows) >= 5 and len(briefing.sources) >= 3
    assert any(part.title.headline is None for part in parts_of(shown, m.ArticlePart))   # titles cut from ledes


def test_python_docx_opens_it(data, briefing):
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.title == COVER["title"]
    assert document.core_properties.created == support.BUILD_TIME
    assert len(document.tables) == 1


def test_cover_shows_title_subtitle_and_the_presented_lines(doc, briefing, shown):
    contents_at = doc.paragraphs().index(doc.styled("TOCHeading")[0])
    cover = [(style_of(p), text_of(p)) for p in doc.paragraphs()[:contents_at]]
    sources = list(briefing.sources)
    assert cover == [
        ("CoverTitle", "Morning briefing"),
        ("Subtitle", "Harbours, hills & jazz"),
        ("CoverMeta", "18 May 2025"),                                  # a date for a reader
        ("CoverMeta", "Prepared for The Minister <office>"),
        ("CoverMeta", f"{len(briefing.articles)} articles from {', '.join(sources[:-1])} and {sources[-1]}"),
        ("CoverMeta", NOTE),
    ]
    assert [text for _, text in cover[2:]] == list(parts_of(shown, m.Cover)[0].lines)
    # the marking is furniture (on every page, the cover's too), not a cover line
    assert "OFFICIAL-SENSITIVE" not in [text for _, text in cover]


def test_blocks_are_cover_contents_key_quotes_then_the_articles_in_order(doc, shown):
    kinds = []
    for block in doc.blocks:
        if block.tag == f"{W}tbl":
            kinds.append("table")
        elif style_of(block) in ("CoverTitle", "TOCHeading", "KeyQuotesHeading"):
            kinds.append(style_of(block))
    articles = parts_of(shown, m.ArticlePart)
    assert kinds == ["CoverTitle", "TOCHeading", "KeyQuotesHeading", "table"]
    assert doc.blocks.index(doc.body.find(f"{W}tbl")) < doc.blocks.index(heads(doc)[0])
    assert len(heads(doc)) == len(articles)
    # contents and key quotes each begin a page, and so does every article (article_new_page)
    for paragraph in doc.styled("TOCHeading") + doc.styled("KeyQuotesHeading") + heads(doc):
        assert starts_page(doc, paragraph), text_of(paragraph)
    assert not starts_page(doc, doc.styled("CoverTitle")[0])


def test_each_article_opens_with_its_presented_title_block(doc, shown):
    paragraphs = doc.paragraphs()
    for part, head in zip(parts_of(shown, m.ArticlePart), heads(doc)):
        title = part.title
        found = []
        for paragraph in paragraphs[paragraphs.index(head):]:
            if style_of(paragraph) not in ("Title", "Subtitle", "MetaLine", "MetaLineHeading"):
                break
            found.append((style_of(paragraph), text_of(paragraph)))
        if title.headline is not None:
            expected = [("Title", title.headline)] + [("Subtitle", title.standfirst)] * bool(title.standfirst)
            expected += [("MetaLine", title.meta_line)] * bool(title.meta_line)
        else:
            # a title cut from the lede is not printed above it: the meta line stands in its place
            expected = [("MetaLineHeading", title.meta_line)] * bool(title.meta_line)
            expected += [("Subtitle", title.standfirst)] * bool(title.standfirst)
            if not title.meta_line:
                assert style_of(head) == "Lede"           # nothing heads it: its bookmark is on the lede
        assert found == expected, title.toc_text
    assert any(style_of(head) == "MetaLineHeading" for head in heads(doc))


def test_contents_is_a_toc_field_whose_entries_link_to_each_article(doc, shown):
    contents = parts_of(shown, m.Contents)[0]
    entries = [p for p in doc.paragraphs() if style_of(p) in ("TOC1", "TOC2")]
    expected = [pair for e in contents.entries for pair in [("TOC1", e.text)] + [("TOC2", c.text) for c in e.children]]
    assert [(style_of(p), text_of(p)) for p in entries] == expected
    assert any(style == "TOC2" for style, _ in expected)                  # the articles' headings, one level in
    instructions = "".join(t.text for t in doc.body.iter(f"{W}instrText"))
    assert instructions == f" {TOC_INSTRUCTION} "
    # the field opens in the first entry and closes in the last: its result is the entries
    assert entries[0].findall(f".//{W}fldChar")[0].get(f"{W}fldCharType") == "begin"
    assert [c.get(f"{W}fldCharType") for c in entries[-1].iter(f"{W}fldChar")] == ["end"]
    marks = doc.bookmarks()
    targets = [e.target for entry in contents.entries for e in (entry, *entry.children)]
    for paragraph, target in zip(entries, targets):
        links = paragraph.findall(f"{W}hyperlink")
        assert len(links) == 1 and links[0].get(f"{W}anchor") == bookmark_name(target)
        assert links[0].get(f"{W}anchor") in marks
    # an article entry lands on the paragraph heading the article
    assert [marks[bookmark_name(e.target)] for e in contents.entries] == heads(doc)
    # Word asks to update the fields on opening (page numbers for the contents)
    settings = doc.part("word/settings.xml")
    assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"


def key_quote_rows(doc) -> list[tuple[str, str, str, str | None]]:
    """(speaker, quote, article title, link anchor) per body row, merged article cells resolved."""
    table = doc.body.find(f"{W}tbl")
    rows = table.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None            # repeated on every page
    assert [text_of(c) for c in rows[0].findall(f"{W}tc")] == ["Speaker", "Quote", "Article"]
    found = []
    article: tuple[str, str | None] = ("", None)
    for row in rows[1:]:
        assert row.find(f"{W}trPr/{W}tblHeader") is None
        speaker, quote, cell = row.findall(f"{W}tc")
        merge = cell.find(f"{W}tcPr/{W}vMerge")
        if merge is None or merge.get(f"{W}val") == "restart":
            link = cell.find(f".//{W}hyperlink")
            article = (text_of(cell), link.get(f"{W}anchor") if link is not None else None)
        else:
            assert text_of(cell) == ""                                   # a continued cell is empty
        found.append((text_of(speaker), text_of(quote), *article))
    return found


def test_key_quotes_rows_are_the_presented_selection_and_link_to_their_article(doc, shown):
    key_quotes = parts_of(shown, m.KeyQuotes)[0]
    expected, article = [], None
    for row in key_quotes.rows:
        if row.article is not None:
            article = (row.article, bookmark_name(row.article_anchor))
        expected.append((row.speaker, row.text, *article))
    assert key_quote_rows(doc) == expected
    marks = doc.bookmarks()
    assert all(anchor in marks for *_, anchor in expected)
    assert [text_of(p) for p in doc.styled("KeyQuotesHeading")] == [key_quotes.heading]


def test_each_quote_links_to_the_paragraph_it_comes_from(doc, shown):
    marks = doc.bookmarks()
    rows = doc.body.find(f"{W}tbl").findall(f"{W}tr")[1:]
    presented_rows = parts_of(shown, m.KeyQuotes)[0].rows
    assert len(rows) == len(presented_rows)
    for row, quote in zip(rows, presented_rows):
        cell = row.findall(f"{W}tc")[1]
        link = cell.find(f".//{W}hyperlink")
        assert link is not None and link.get(f"{W}anchor") == bookmark_name(quote.quote_anchor)
        assert all(r.find(f"{W}rPr/{W}rStyle") is None for r in link.iter(f"{W}r"))   # not underlined
        target = marks[link.get(f"{W}anchor")]
        opening = " ".join(quote.text.strip("“”«» \u202f").split()[:4])
        assert opening in one_line(text_of(target)), (opening, text_of(target))


def test_key_quote_cells_speaker_and_article_upright_quote_keeps_the_style(doc):
    row = doc.body.find(f"{W}tbl").findall(f"{W}tr")[1]
    speaker, quote, article = row.findall(f"{W}tc")
    for cell in (speaker, article):
        assert all(r.find(f"{W}rPr/{W}i").get(f"{W}val") == "0" for r in cell.iter(f"{W}r"))
    assert all(r.find(f"{W}rPr/{W}i") is None for r in quote.iter(f"{W}r"))   # the style's italic


def test_bookmarks_are_unique_and_scoped_by_article(doc, briefing):
    marks = doc.bookmarks()
    ids = [m.get(f"{W}id") for m in doc.body.iter(f"{W}bookmarkStart")]
    assert len(ids) == len(set(ids))
    prefixes = {item.id for item in briefing.articles} | {"cover", "contents", "key"}
    assert all(name.split("_")[0] in prefixes for name in marks)
    headings = {name for name in marks if re.fullmatch(r"a\d\d_h\d+", name)}
    assert len(headings) >= 2 and len({name.split("_")[1] for name in headings}) < len(headings)  # h1 in several


def test_marking_in_every_header_and_footer_option_over_briefing_over_style(briefing):
    def markings(document: Doc) -> list[str]:
        texts = []
        for kind in ("header", "footer"):
            for part in document.story_parts(kind):
                marks = [p for p in document.part(part).iter(f"{W}p")]
                texts.append(" | ".join(text_of(p) for p in marks))
        return texts

    for options, want in (({}, "OFFICIAL-SENSITIVE"), ({"marking": "SECRET"}, "SECRET")):
        document = Doc(render(briefing, **options))
        found = markings(document)
        assert found and all(want in text for text in found), found
        assert document.body.find(f"{W}sectPr/{W}titlePg") is None     # the cover has the same furniture
        every_section = [section_story_texts(document, sect, kind) for _, sect in sections(document)
                         for kind in ("header", "footer")]
        assert all(want in text for text in every_section)
    unmarked = replace(briefing, meta=replace(briefing.meta, marking=None))
    styled = Doc(render(unmarked))                                     # the briefing style's own marking
    assert all("OFFICIAL" in text and "SENSITIVE" not in text for text in markings(styled))
    # a style that leaves the first page bare still marks it
    style = load_style("briefing")
    bare_first = replace(style, page=replace(style.page, first_page_furniture=False))
    document = Doc(render(briefing, bare_first))
    first = [document.part(p) for p in document.story_parts("header") + document.story_parts("footer")]
    assert all("OFFICIAL-SENSITIVE" in text_of(part) for part in first)
    assert [text_of(document.part(p)) for p in document.story_parts("header")][1] == "OFFICIAL-SENSITIVE"


def test_articles_start_a_new_page_only_when_the_style_asks(briefing):
    style = with_sections(load_style("briefing"), article_new_page=False)
    document = Doc(render(briefing, style))
    breaks = [starts_page(document, p) for p in heads(document)]
    assert breaks == [True] + [False] * (len(briefing.articles) - 1)    # only leaving the front matter
    # one section for the front matter, one for the articles running on under the briefing's furniture
    assert len(sections(document)) == 2
    assert section_story_texts(document, sections(document)[1][1], "footer").startswith(COVER["title"])


def test_each_section_has_its_running_header_and_footer_with_the_marking(doc, shown):
    found = sections(doc)
    articles = parts_of(shown, m.ArticlePart)
    assert len(found) == len(articles) + 1                         # the front matter, then each article

    def expect(slots: tuple[str, str, str], text: str) -> None:
        for slot in slots:
            fixed = re.sub(r"\{pages?\}", " ", slot).split()
            for word in fixed[:3]:
                assert word.rstrip("…") in text, (word, text)
        # the page fields' cached results: "Page 1 of 1" until a viewer lays the pages out
        assert ("{page}" in " ".join(slots)) == bool(re.search(r"\b1 \w+ 1$", text)), text

    running = shown.furniture.running
    expect(running.header, section_story_texts(doc, found[0][1], "header"))
    expect(running.footer, section_story_texts(doc, found[0][1], "footer"))
    assert section_story_texts(doc, found[0][1], "footer").startswith("Morning briefing")
    for (blocks, sect), part in zip(found[1:], articles):
        header, footer = section_story_texts(doc, sect, "header"), section_story_texts(doc, sect, "footer")
        expect(part.running.header, header)                           # each article describes itself
        expect(part.running.footer, footer)
        assert "OFFICIAL-SENSITIVE" in header and "OFFICIAL-SENSITIVE" in footer
        assert sect.find(f"{W}pgSz").attrib == found[0][1].find(f"{W}pgSz").attrib
    french = next(part for part in articles if part.language == "fr")
    index = articles.index(french)
    assert "sur" in section_story_texts(doc, found[index + 1][1], "footer")   # "Page 3 sur 12": its language


def test_each_article_is_rendered_by_the_same_code_as_a_single_article_document(doc, briefing):
    """After the title block, an article's paragraphs are the single-article document's, bookmark
    names aside; the speaker labels, comments and numbering work the same way in both."""
    def body_after_title_block(blocks) -> list[bytes]:
        paragraphs = [b for b in blocks if b.tag == f"{W}p"]
        start = next(i for i, p in enumerate(paragraphs) if style_of(p) not in ("Title", "Subtitle", "MetaLine", "MetaLineHeading"))
        out = []
        for p in paragraphs[start:]:
            if p.find(f"{W}pPr/{W}sectPr") is not None:      # the section's end
                continue
            p = etree.fromstring(etree.tostring(p))
            for mark in list(p.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd")):
                mark.getparent().remove(mark)
            pbb = p.find(f"{W}pPr/{W}pageBreakBefore")
            if pbb is not None:
                pbb.getparent().remove(pbb)
            for level in list(p.iter(f"{W}outlineLvl")):      # a briefing's articles sit one level down
                level.getparent().remove(level)
            out.append(etree.tostring(p))
        return out

    starts = [doc.blocks.index(head) for head in heads(doc)] + [len(doc.blocks)]
    compared = 0
    for index, item in enumerate(briefing.articles):
        if item.article.meta.language not in (None, briefing.meta.language):
            continue                                       # its runs carry its own w:lang
        single = Doc(render(item.article))
        mine = body_after_title_block(doc.blocks[starts[index]:starts[index + 1]])
        assert mine == body_after_title_block(single.blocks), item.article.meta.title
        compared += 1
    assert compared >= 5


def test_the_document_is_presented_once_and_the_writer_never_sees_what_it_renders(monkeypatch, briefing):
    """The writer renders the presented document: present() once per write, for an article and a
    briefing alike."""
    import exporter.writers.docx as writer
    calls: list[type] = []
    real = writer.present

    def spy(document, style, options=None):
        calls.append(type(document))
        return real(document, style, options)

    monkeypatch.setattr(writer, "present", spy)
    render(briefing)
    render(briefing.articles[0].article)
    assert calls == [Briefing, Article]


def test_related_teasers_only_when_the_style_asks():
    article = Article(Meta(title="Teased", source="Wire", language="en"), (Paragraph((Text("Words."),)),),
                      related=(RelatedItem("Another story", "its summary"),))
    document = make_briefing([article], title="B")
    style = load_style("briefing")
    assert not Doc(render(document, style)).styled("RelatedItem")
    asked = Doc(render(document, with_sections(style, related=True)))
    assert [text_of(p) for p in asked.styled("RelatedItem")] == ["Another story \u2014 its summary"]


def test_no_key_quotes_no_section():
    article = Article(Meta(title="Quiet", language="en"), (Paragraph((Text("No one spoke."),)),))
    document = Doc(render(make_briefing([article], title="B")))
    assert document.body.find(f"{W}tbl") is None and not document.styled("KeyQuotesHeading")
    assert [text_of(p) for p in document.styled("TOC1")] == ["Quiet"]


def test_an_untitled_article_still_has_a_linked_contents_entry():
    article = Article(Meta(language="en"), (Paragraph((Text("Words."),)),))
    document = Doc(render(make_briefing([article], title="B")))
    entry = document.styled("TOC1")[0]
    assert text_of(entry) == "Untitled"
    target = document.bookmarks()[entry.find(f"{W}hyperlink").get(f"{W}anchor")]
    assert style_of(target) == "Lede" and text_of(target) == "Words."     # nothing heads it but its lede


def test_an_article_in_another_language_marks_its_runs():
    french = Article(Meta(title="Le jazz", language="fr"),
                     (Paragraph((Quote("speech", "Hélène", (Text("« Bonjour »"),)), Text(" dit-elle.")),),))
    english = Article(Meta(title="Jazz", language="en"), (Paragraph((Text("Hello."),)),))
    document = Doc(render(make_briefing([english, french], title="B", language="en")))
    titles = document.styled("Title")
    start = document.blocks.index(titles[1])
    french_langs = {el.get(f"{W}val") for b in document.blocks[start:] for el in b.iter(f"{W}lang")}
    english_start = document.blocks.index(titles[0])
    english_langs = {el.get(f"{W}val") for b in document.blocks[english_start:start] for el in b.iter(f"{W}lang")}
    assert french_langs == {"fr"} and english_langs == set()
    # the contents entry naming the French article is French too
    entry = [p for p in document.styled("TOC1") if text_of(p) == "Le jazz"][0]
    assert {el.get(f"{W}val") for el in entry.iter(f"{W}lang")} == {"fr"}


def test_hostile_text_and_ids_stay_text():
    article = Article(Meta(title=HOSTILE, source=HOSTILE, language="en"),
                      (Paragraph((Quote("speech", HOSTILE, (Text("“" + HOSTILE + "”"),)),)),))
    other = Article(Meta(title="Other", language="en"), (Heading(2, (Text("Part"),)), Paragraph((Text("x"),))))
    hostile = Briefing(BriefingMeta(title=HOSTILE, subtitle=HOSTILE, prepared_for=HOSTILE, notes=(HOSTILE,)),
                       (BriefingArticle('../x" y', article), BriefingArticle("A01", other), BriefingArticle("a01", other)))
    style = load_style("briefing", ["quotes.typographic_marks=false"])
    document = Doc(render(hostile, style))
    assert text_of(document.styled("CoverTitle")[0]) == HOSTILE
    assert HOSTILE in [text_of(p) for p in document.styled("CoverMeta")]
    anchors = [p.find(f"{W}hyperlink").get(f"{W}anchor") for p in document.styled("TOC1")]
    assert anchors == ["a01", "A01x", "a01xx"]                           # unique ignoring case
    marks = document.bookmarks()
    assert all(anchor in marks for anchor in anchors)
    assert text_of(document.styled("Title")[0]) == HOSTILE
    assert [text_of(p) for p in document.styled("TOC2")] == ["Part", "Part"]


def test_a_style_without_the_briefing_keys_falls_back_to_article_styles(briefing, shown):
    style = load_style("briefing")
    briefing_keys = ("cover-title", "cover-meta", "toc-heading", "toc-entry", "key-quotes-heading", "key-quotes-item")
    older = replace(style, elements={k: v for k, v in style.elements.items() if k not in briefing_keys})
    document = Doc(render(briefing, older))
    styles = {el.get(f"{W}styleId") for el in document.part("word/styles.xml").iter(f"{W}style")}
    assert not styles & {"CoverTitle", "TOC1", "KeyQuotesItem"}
    used = {style_of(p) for p in document.body.iter(f"{W}p")} - {None}
    assert used <= styles
    assert text_of(document.paragraphs()[0]) == COVER["title"] and style_of(document.paragraphs()[0]) == "Heading1"
    assert len(heads(document)) == len(briefing.articles)
    assert len(key_quote_rows(document)) == len(parts_of(shown, m.KeyQuotes)[0].rows)


def test_an_empty_briefing_is_a_cover_and_an_empty_contents():
    document = Doc(render(make_briefing([], title="Nothing today")))
    assert text_of(document.styled("CoverTitle")[0]) == "Nothing today"
    assert "0 articles" in [text_of(p) for p in document.styled("CoverMeta")]
    assert [t.get(f"{W}fldCharType") for t in document.body.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
    assert [text_of(p) for p in document.styled("TOC1")] == ["No articles."]
    assert not document.styled("Title") and document.body.find(f"{W}tbl") is None


def test_anything_but_an_article_or_a_briefing_is_refused():
    with pytest.raises(UnknownNodeError):
        render(Paragraph((Text("x"),)))
    with pytest.raises(UnknownNodeError):
        render({"schema": "exporter/briefing@1"})


def test_single_articles_do_not_ask_to_update_fields(briefing):
    settings = Doc(render(briefing.articles[0].article)).part("word/settings.xml")
    assert settings.find(f"{W}updateFields") is None


# ---------------------------------------------------------------------------------- determinism
def test_same_build_time_same_bytes_and_the_build_time_reaches_the_package(data):
    assert render(fixture_briefing()) == data
    later = render(fixture_briefing(), build_time=datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert later != data
    with zipfile.ZipFile(io.BytesIO(later)) as zf:
        assert {info.date_time for info in zf.infolist()} == {(2027, 1, 1, 0, 0, 0)}


def test_cli_briefing_docx_twice_with_source_date_epoch_gives_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1747526400")
    inputs = [str(p) for p in sorted(support.FIXTURES.glob("*.txt"))]
    outputs = []
    for run in range(2):
        if run:
            time.sleep(2.1)                                     # zip times have a 2 s grain
        out = tmp_path / f"b{run}.docx"
        result = run_cli(["briefing", *inputs, "-o", str(out), "--title", "CLI briefing",
                          "--prepared-for", "Desk", "--marking", "OFFICIAL-SENSITIVE", "-q"])
        assert result.code == 0, result.err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    document = Doc(outputs[0])
    assert text_of(document.styled("CoverTitle")[0]) == "CLI briefing"
    assert len(heads(document)) == len(document.styled("TOC1")) == len(inputs)
    assert "Prepared for Desk" in [text_of(p) for p in document.styled("CoverMeta")]
    footers = [text_of(document.part(p)) for p in document.story_parts("footer")]
    assert footers and all("OFFICIAL-SENSITIVE" in f for f in footers)


def test_identical_bytes_across_processes_and_hash_seeds(tmp_path, data):
    """Set and dict orders differ between processes; none of it may reach a briefing's package."""
    import hashlib
    import os
    import sys
    script = f"""
import hashlib, sys
sys.path.insert(0, {str(support.ROOT / 'tests')!r}); sys.path.insert(0, {str(support.ROOT)!r})
from test_briefing_docx import fixture_briefing, render
print(hashlib.sha256(render(fixture_briefing())).hexdigest())
"""
    digests = set()
    for seed in ("1", "4242"):
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        digests.add(proc.stdout.strip())
    assert digests == {hashlib.sha256(data).hexdigest()}


# ----------------------------------------------------------------------------- validity, memory
def test_open_xml_schema_and_semantics(tmp_path, data, briefing):
    """The Open XML SDK's rules (pure-Python port; optional, not a project dependency yet)."""
    audit = pytest.importorskip("openxml_audit")
    validator = audit.OpenXmlValidator()
    style = load_style("briefing")
    cases = {
        "briefing": data,
        "first-pages-bare-with-speakers": render(briefing, replace(
            style, page=replace(style.page, first_page_furniture=False), quotes=replace(style.quotes, show_speaker=True))),
        "running-on-default-style": render(briefing, with_sections(load_style("default"), article_new_page=False)),
        "empty": render(make_briefing([], title="B")),
    }
    for name, content in cases.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(content)
        result = validator.validate(path)
        assert result.is_valid, f"{name}: " + "\n".join(str(e) for e in result.errors[:10])


def test_briefing_memory_is_freed_without_the_collector(briefing):
    # The writer itself leaves no reference cycles (it writes the package as text).  Font
    # subsetting (fontTools, embed_fonts) does; the collector, always on, frees those.
    plain = load_style("briefing", ["embed_fonts=false"])
    render(briefing, plain)
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        for _ in range(5):
            render(briefing, plain)
        grown = len(gc.get_objects()) - before
    finally:
        gc.enable()
    assert grown < 50, grown


@pytest.mark.slow
def test_libreoffice_renders_every_page_marked_and_each_article_on_its_own_pages(tmp_path, data, briefing, shown):
    office = support.require_tool("libreoffice", "DOCX briefing round trip")
    source = tmp_path / "briefing.docx"
    source.write_bytes(data)
    done = subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=240)
    pdf = tmp_path / "briefing.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    from pypdf import PdfReader
    pages = [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]
    assert len(pages) >= len(briefing.articles) + 3
    for number, text in enumerate(pages, 1):
        lines = [line for line in text.splitlines() if line.strip()]
        assert "OFFICIAL-SENSITIVE" in lines[0] and "OFFICIAL-SENSITIVE" in lines[-1], number
        # "Page 3 of 12", or "Page 3 sur 12" on the pages of the French article
        assert re.search(rf"\b{number} \w+ {len(pages)}$", lines[-1]), (number, lines[-1])
    assert "Morning briefing" in pages[0] and "Prepared for The Minister <office>" in pages[0]
    assert "Contents" in pages[1]
    flat = [" ".join(page.split()) for page in pages]
    articles = parts_of(shown, m.ArticlePart)
    for part in articles:
        assert " ".join(part.title.toc_text.split()[:4]) in flat[1]      # the pre-filled contents entries
    # every article starts a page: what heads it is in the first lines under the header
    starts = []
    for part, head in zip(articles, heads(Doc(data))):
        words = " ".join(text_of(head).split()[:4])
        starts.append(next(i for i, page in enumerate(flat) if i > 2 and " ".join(page.split()[:40]).find(words) >= 0))
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_relationships_are_counted_from_rid1_and_every_reference_resolves():
    """The package is written as text: relationship ids are python-docx's own form (rId1 upward,
    no gaps), every r:id in the body names one, one external target shares one, and each comment
    has its reference."""
    style = load_style("briefing", ["quotes.show_speaker=true"])
    document = fixture_briefing()
    document = replace(document, articles=(document.articles * 3)[:6])
    data = render(document, style)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        body = z.read("word/document.xml").decode("utf-8")
        comments = z.read("word/comments.xml").decode("utf-8")
        names = set(z.namelist())
    ids = sorted(int(n) for n in re.findall(r'Id="rId(\d+)"', rels))
    assert ids == list(range(1, len(ids) + 1))
    assert len(re.findall(r"<w:headerReference", body)) >= 6
    assert set(re.findall(r'r:id="(rId\d+)"', body)) <= {f"rId{n}" for n in ids}
    internal = re.findall(r'Target="([^"]+)"/>', rels)
    assert all(f"word/{target}" in names for target in internal if not target.startswith(("http", "mailto")))
    externals = re.findall(r'Target="([^"]+)" TargetMode="External"', rels)
    assert len(externals) == len(set(externals))
    assert 0 < comments.count("<w:comment ") == body.count("<w:commentReference")
    docx.Document(io.BytesIO(data))                      # and python-docx opens it
