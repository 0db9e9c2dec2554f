"""EPUB briefings, read back: the cover, the nav as the table of contents (every entry resolving
to the right file and element), the key-quotes table as the presentation layer selected it (each
row's speaker the AST's speaker of that quote), article order and scoped ids, the marking on every
page, the same article markup as a single-article book, determinism, and epubcheck (in
test_writer_epub.py's one-JVM batch).  What the pages say is the presentation layer's
(test_presentation*.py); here the package must show exactly that."""
from __future__ import annotations

import io
import os
import posixpath
import re
import time
import zipfile
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from lxml import etree

import exporter
from exporter.api import briefing as make_briefing   # `exporter.briefing` is shadowed by the submodule once imported
from exporter.ast import (Article, Heading, Meta, Paragraph, Quote, RelatedItem, Text, UnknownNodeError,
                          inline_text, iter_inline_runs, iter_quotes)
from exporter.briefing import Briefing, BriefingArticle, BriefingMeta
from exporter.presentation import model as pm
from exporter.presentation import present
from exporter.style import load_style
from exporter.writers import RenderOptions
from exporter.writers.epub import EpubWriter

import support
from cli_support import run_cli

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
HOSTILE = '<script>alert("x")</script> & ]]> <b>'

COVER = dict(title="Morning briefing", subtitle="Harbours, hills & jazz", date="2025-05-18",
             prepared_for="The Minister <office>", marking="OFFICIAL-SENSITIVE")


# ------------------------------------------------------------------------------------ building
def fixture_articles() -> list[Article]:
    """Every fixture through the live reader: distinct articles, in file order."""
    return [exporter.read(path) for path in sorted(support.FIXTURES.glob("*.txt"))]


def fixture_briefing(**changes) -> Briefing:
    cover = {**COVER, **changes}
    return make_briefing(fixture_articles(), notes=("Left out: broken.txt: empty input",), **cover)


def render(document, style=None, **options) -> bytes:
    out = io.BytesIO()
    options.setdefault("build_time", support.BUILD_TIME)
    options.setdefault("warn", lambda message: None)
    EpubWriter().write(document, style or load_style("briefing"), out, RenderOptions(**options))
    return out.getvalue()


class Book:
    """A rendered package, opened: parts, the OPF, and the spine's documents parsed."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.parts = {name: zf.read(name) for name in zf.namelist()}
        self.opf = etree.fromstring(self.parts["EPUB/content.opf"])
        self.manifest = {i.get("id"): i for i in self.opf.iterfind("opf:manifest/opf:item", NS)}
        self.spine = [self.manifest[ref.get("idref")].get("href") for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)]
        self.docs = {name.removeprefix("EPUB/"): etree.fromstring(raw) for name, raw in self.parts.items()
                     if name.endswith(".xhtml")}

    def doc(self, href: str):
        return self.docs[href]

    def resolve(self, base: str, href: str):
        """The element an internal href points at (the document root for a bare file)."""
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(base), path)) if path else base
        assert target in self.docs, f"{base}: link to missing file {href!r}"
        doc = self.docs[target]
        if not fragment:
            return target, doc
        found = [el for el in doc.iter() if el.get("id") == fragment]
        assert len(found) == 1, f"{base}: link {href!r} matches {len(found)} elements"
        return target, found[0]


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_class(doc, tag: str, cls: str) -> list:
    return [el for el in doc.iter(f"{XHTML}{tag}") if cls in (el.get("class") or "").split()]


def attributed_quotes(article: Article) -> list[tuple[str, str]]:
    """(speaker, text) of the article's outermost attributed speech quotes, from the AST itself."""
    found = []
    for _, content in iter_inline_runs(article.body):
        for quote, depth in iter_quotes(content):
            if depth == 0 and quote.kind == "speech" and quote.speaker:
                found.append((quote.speaker, inline_text(quote.content)))
    return found


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return fixture_briefing()


@pytest.fixture(scope="module")
def book(briefing) -> Book:
    return Book(render(briefing))


# --------------------------------------------------------------------------------- the contents
def test_the_fixtures_make_a_briefing_worth_testing(briefing):
    assert len(briefing.articles) >= 7                       # distinct: none dropped as a repeat
    assert len({a.article.meta.title for a in briefing.articles}) == len(briefing.articles)
    rows = next(p for p in presented(briefing).parts if isinstance(p, pm.KeyQuotes)).rows
    assert len(rows) >= 5 and len(briefing.sources) >= 3


def presented(briefing, style=None) -> pm.PresentedDocument:
    return present(briefing, style or load_style("briefing"))


def article_parts(doc: pm.PresentedDocument) -> list[pm.ArticlePart]:
    return [part for part in doc.parts if isinstance(part, pm.ArticlePart)]


def test_spine_is_cover_contents_key_quotes_then_the_articles_in_order(book, briefing):
    ids = [item.id for item in briefing.articles]
    assert book.spine == ["cover.xhtml", "nav.xhtml", "key-quotes.xhtml", *(f"article-{i}.xhtml" for i in ids)]
    parts = article_parts(presented(briefing))
    assert [part.id for part in parts] == ids
    for part in parts:
        page = book.doc(f"article-{part.id}.xhtml")
        head = page.find(f".//{XHTML}header")
        title = part.title
        if title.headline is None and title.meta_line is None:
            assert head is None                    # nothing to head it with: it opens with its lede
        elif title.headline is not None:             # its own headline, then the meta line under it
            assert [(el.tag, el.get("class"), text_of(el)) for el in head] == [
                (f"{XHTML}h1", "title", title.headline),
                *([(f"{XHTML}p", "subtitle", title.standfirst)] if title.standfirst else []),
                *([(f"{XHTML}p", "meta-line", title.meta_line)] if title.meta_line else [])]
        else:                                      # a title cut from the lede is not printed above it
            assert [(el.tag, el.get("class"), text_of(el)) for el in head] == [(f"{XHTML}h1", "meta-line", title.meta_line)]
    assert any(part.title.headline is None for part in parts)     # the fixtures have both kinds


def test_cover_shows_title_subtitle_date_recipient_count_sources_and_notes(book, briefing):
    cover = book.doc("cover.xhtml")
    assert [text_of(h) for h in by_class(cover, "h1", "cover-title")] == ["Morning briefing"]
    assert [text_of(p) for p in by_class(cover, "p", "subtitle")] == ["Harbours, hills & jazz"]
    lines = [text_of(p) for p in by_class(cover, "p", "cover-meta")]
    assert "18 May 2025" in lines                              # the date written for a reader
    assert "Prepared for The Minister <office>" in lines
    count_line = next(line for line in lines if re.match(r"\d+ articles", line))
    assert count_line.startswith(f"{len(briefing.articles)} articles from ")
    for source in briefing.sources:
        assert source in count_line
    assert "Left out: broken.txt: empty input" in lines
    section = cover.find(f".//{XHTML}section")
    assert section.get(EPUB_TYPE) == "titlepage"
    assert text_of(by_class(cover, "p", "header")[0]) == "OFFICIAL-SENSITIVE"
    cover_part = presented(briefing).parts[0]
    assert [text_of(p) for p in cover.iter(f"{XHTML}p") if p.get("class") in ("subtitle", "cover-meta")] == [
        cover_part.subtitle, *cover_part.lines]


def test_package_metadata_describes_the_briefing(book):
    md = book.opf.find("opf:metadata", NS)
    assert md.findtext("dc:title", namespaces=NS) == "Morning briefing"
    assert md.findtext("dc:date", namespaces=NS) == "2025-05-18"
    assert md.findtext("dc:language", namespaces=NS) == "en"
    assert md.findtext("dc:description", namespaces=NS) == "Harbours, hills & jazz"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", md.findtext("dc:identifier", namespaces=NS))


def test_nav_is_the_contents_page_and_every_entry_points_at_the_right_place(book, briefing):
    nav_items = [i for i in book.manifest.values() if "nav" in (i.get("properties") or "").split()]
    assert [i.get("href") for i in nav_items] == ["nav.xhtml"]
    nav_doc = book.doc("nav.xhtml")
    toc = next(n for n in nav_doc.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "toc")
    assert text_of(by_class(toc, "h1", "toc-heading")[0]) == "Contents"
    top = toc.find(f"{XHTML}ol")
    entries = [(li.find(f"{XHTML}a"), li.find(f"{XHTML}ol")) for li in top.findall(f"{XHTML}li")]
    labels = [text_of(a) for a, _ in entries]
    # the presented contents: one entry per article (its title, or the lede-derived pointer)
    assert labels == [part.title.toc_text for part in article_parts(presented(briefing))]
    assert all("toc-entry" in a.get("class") for a, _ in entries)
    for (link, nested), item in zip(entries, briefing.articles):
        target, element = book.resolve("nav.xhtml", link.get("href"))
        assert target == f"article-{item.id}.xhtml" and element.tag == f"{XHTML}article"
        headings = [" ".join(inline_text(b.content).split()) for b in item.article.body
                    if isinstance(b, Heading) and inline_text(b.content).strip()]
        children = nested.findall(f"{XHTML}li/{XHTML}a") if nested is not None else []
        assert [text_of(a) for a in children] == headings
        for child in children:
            where, element = book.resolve("nav.xhtml", child.get("href"))
            assert where == target and text_of(element) == text_of(child)
            assert element.get("id").startswith(f"{item.id}-")
    landmarks = next(n for n in nav_doc.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "landmarks")
    assert landmarks.get("hidden") is not None
    assert [(a.get(EPUB_TYPE), a.get("href")) for a in landmarks.iter(f"{XHTML}a")] == [
        ("titlepage", "cover.xhtml"), ("toc", "nav.xhtml"), ("bodymatter", f"article-{briefing.articles[0].id}.xhtml")]
    # The NCX (EPUB 2 reading systems) lists the same places.
    ncx = etree.fromstring(book.parts["EPUB/toc.ncx"])
    ncx_srcs = [c.get("src") for c in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}content")]
    assert ncx_srcs == [a.get("href") for a in toc.iter(f"{XHTML}a")]


def test_key_quotes_are_the_presented_selection_and_link_to_their_blocks(book, briefing):
    """The table shows the presentation layer's rows, in order; every row's speaker is the AST's
    speaker of a quote in the block it links to, and that block holds the quote's words."""
    doc = presented(briefing)
    selection = next(part for part in doc.parts if isinstance(part, pm.KeyQuotes))
    assert 0 < len(selection.rows) <= 12
    page = book.doc("key-quotes.xhtml")
    assert [text_of(h) for h in by_class(page, "h1", "key-quotes-heading")] == ["Key quotes"]
    table = page.find(f".//{XHTML}table")
    assert [text_of(th) for th in table.iterfind(f"{XHTML}thead/{XHTML}tr/{XHTML}th")] == ["Speaker", "Quote", "Article"]
    rows = table.findall(f"{XHTML}tbody/{XHTML}tr")
    assert len(rows) == len(selection.rows)
    items = {item.id: item for item in briefing.articles}
    article_cell, left = None, 0                       # the article column spans the rows of its quotes
    for row, want in zip(rows, selection.rows):
        cells = row.findall(f"{XHTML}td")
        if left == 0:
            assert len(cells) == 3, "a new article's first quote carries the article cell"
            article_cell, left = cells[2], int(cells[2].get("rowspan", "1"))
            assert left == want.rows_in_run and text_of(article_cell) == want.article
        else:
            assert len(cells) == 2 and want.article is None
        left -= 1
        assert [text_of(c) for c in cells[:2]] == [want.speaker, want.text]
        item = items[want.article_id]
        target, element = book.resolve("key-quotes.xhtml", article_cell.find(f"{XHTML}a").get("href"))
        assert (target, element.tag, element.get("id")) == (f"article-{item.id}.xhtml", f"{XHTML}article", item.id)
        target, element = book.resolve("key-quotes.xhtml", cells[1].find(f"{XHTML}a").get("href"))
        assert target == f"article-{item.id}.xhtml" and element.get("id").startswith(f"{item.id}-")
        block = item.article.body[int(element.get("id").rsplit("-b", 1)[1])]
        speakers = {" ".join(q.speaker.split()) for _, content in iter_inline_runs((block,))
                    for q, depth in iter_quotes(content) if depth == 0 and q.kind == "speech" and q.speaker}
        assert _plain(want.speaker) in {_plain(s) for s in speakers}       # no row names the wrong speaker
        inner = want.text[1:-1].strip(" \u202f\u00a0")   # the words inside the row's marks
        assert _plain(" ".join(inner.split()[:6])) in _plain(text_of(element))
    assert left == 0


_STRAIGHT = {ord(c): "'" for c in "\u2018\u2019\u201a"} | {ord(c): '"' for c in "\u201c\u201d\u201e\u00ab\u00bb"} | {0x202F: " "}


def _plain(text: str) -> str:
    """Text with marks and apostrophes straightened (the layer curls them; the AST keeps the source)."""
    return " ".join(text.translate(_STRAIGHT).split())


def test_every_internal_link_in_the_package_resolves(book):
    for name, doc in book.docs.items():
        for a in doc.iter(f"{XHTML}a"):
            href = a.get("href")
            if href and not href.startswith(("http://", "https://")):
                book.resolve(name, href)


def test_ids_are_unique_and_scoped_by_article(book, briefing):
    for item in briefing.articles:
        page = book.doc(f"article-{item.id}.xhtml")
        ids = [el.get("id") for el in page.iter() if el.get("id")]
        assert len(ids) == len(set(ids))
        assert ids[0] == item.id and all(i == item.id or i.startswith(f"{item.id}-") for i in ids)


def test_marking_top_and_bottom_of_every_page_option_over_briefing_over_style(briefing):
    for options, want in (({}, "OFFICIAL-SENSITIVE"), ({"marking": "SECRET"}, "SECRET")):
        book = Book(render(briefing, **options))
        assert len(book.spine) == len(briefing.articles) + 3
        for name in book.spine:
            body = book.doc(name).find(f"{XHTML}body")
            children = [el for el in body if isinstance(el.tag, str)]
            assert (children[0].get("class"), text_of(children[0])) == ("header", want), name
            assert (children[-1].get("class"), text_of(children[-1])) == ("footer", want), name
    unmarked = replace(briefing, meta=replace(briefing.meta, marking=None))
    styled = Book(render(unmarked))                                # the briefing style's own marking
    assert all(text_of(by_class(styled.doc(n), "p", "header")[0]) == "OFFICIAL" for n in styled.spine)
    bare = Book(render(unmarked, load_style("default")))
    assert not any(by_class(bare.doc(n), "p", "header") for n in bare.spine)


def test_each_article_is_rendered_by_the_same_code_as_a_single_article_book(book, briefing):
    """The body of every article page is the single-article book's, but for the scoped ids."""
    style = load_style("briefing")
    for item in briefing.articles:
        single = Book(render(item.article, style))
        alone = etree.tostring(single.doc("article-a01.xhtml").find(f".//{XHTML}article"), encoding="unicode")
        inside = book.doc(f"article-{item.id}.xhtml").find(f".//{XHTML}article")
        in_briefing = etree.tostring(inside, encoding="unicode")
        strip = lambda markup: re.sub(r' id="[^"]*"', "", markup)
        assert strip(in_briefing) == strip(alone), item.id


def test_related_teasers_only_when_the_style_asks():
    article = Article(Meta(title="Teased", source="Wire", language="en"), (Paragraph((Text("Words."),)),),
                      related=(RelatedItem("Another story", "its summary"),))
    document = make_briefing([article], title="B")
    style = load_style("briefing")
    plain = Book(render(document, style))
    assert not by_class(plain.doc("article-a01.xhtml"), "h2", "related-heading")
    asked = Book(render(document, replace(style, sections=replace(style.sections, related=True))))
    assert [text_of(p) for p in by_class(asked.doc("article-a01.xhtml"), "li", "related-item")] == [
        "Another story — its summary"]


def test_no_key_quotes_no_section():
    article = Article(Meta(title="Quiet", language="en"), (Paragraph((Text("No one spoke."),)),))
    book = Book(render(make_briefing([article], title="B")))
    assert book.spine == ["cover.xhtml", "nav.xhtml", "article-a01.xhtml"]
    assert "EPUB/key-quotes.xhtml" not in book.parts
    toc_labels = [text_of(a) for a in book.doc("nav.xhtml").iter(f"{XHTML}a")
                  if a.getparent().getparent().getparent().get(EPUB_TYPE) == "toc"]
    assert toc_labels == ["Quiet"]


def test_each_article_page_carries_its_own_language():
    french = Article(Meta(title="Le jazz", language="fr"),
                     (Paragraph((Quote("speech", "Hélène", (Text("« Nous jouerons toute la nuit pour les gens du quartier »"),)),
                                 Text(" dit-elle.")),),))
    english = Article(Meta(title="Jazz", language="en"), (Paragraph((Text("Hello."),)),))
    hebrew = Article(Meta(title="שלום", language="he"), (Paragraph((Text("שלום עולם"),)),))
    book = Book(render(make_briefing([english, french, hebrew], title="B")))
    assert book.doc("article-a01.xhtml").get("lang") == "en" and book.doc("article-a01.xhtml").get("dir") is None
    page = book.doc("article-a02.xhtml")
    assert page.get("lang") == page.get(XML_LANG) == "fr"
    assert book.doc("article-a03.xhtml").get("dir") == "rtl"
    quote_cell = by_class(book.doc("key-quotes.xhtml"), "td", "kq-quote")[0]
    # the row in French marks with French spacing (the layer's typography)
    assert quote_cell.get("lang") == "fr" and "".join(quote_cell.itertext()).startswith("«\u202fNous jouerons")


def test_hostile_text_and_ids_stay_text_and_never_name_files():
    article = Article(Meta(title=HOSTILE, source=HOSTILE, language="en"),
                      (Paragraph((Quote("speech", HOSTILE, (Text("“Nobody expected " + HOSTILE + " to be read out at the meeting.”"),)),)),))
    other = Article(Meta(title="Other", language="en"), (Heading(2, (Text("Part"),)), Paragraph((Text("x"),))))
    document = Briefing(
        BriefingMeta(title=HOSTILE, subtitle=HOSTILE, prepared_for=HOSTILE, marking=HOSTILE, notes=(HOSTILE,)),
        (BriefingArticle("../../evil", article), BriefingArticle("a02", other), BriefingArticle("a02", other)),
    )
    book = Book(render(document))
    assert sorted(n for n in book.parts if n.startswith("EPUB/article-")) == [
        "EPUB/article-a01.xhtml", "EPUB/article-a02.xhtml", "EPUB/article-a02x.xhtml"]
    for doc in book.docs.values():
        assert doc.find(f".//{XHTML}script") is None and doc.find(f".//{XHTML}b") is None
    assert text_of(by_class(book.doc("cover.xhtml"), "h1", "cover-title")[0]) == " ".join(HOSTILE.split())
    for name, doc in book.docs.items():                       # no dangling link, whatever the ids said
        for a in doc.iter(f"{XHTML}a"):
            book.resolve(name, a.get("href"))
    # the key quotes are the layer's selection from the articles (the briefing's own list is not
    # shown): the hostile speaker is text, and the row links into the renamed article's file
    rows = book.doc("key-quotes.xhtml").findall(f".//{XHTML}tbody/{XHTML}tr")
    assert [_plain(text_of(r.findall(f"{XHTML}td")[0])) for r in rows] == [_plain(HOSTILE)]
    quote_link = rows[0].find(f"{XHTML}td[@class='key-quotes-item kq-quote']/{XHTML}a")
    where, element = book.resolve("key-quotes.xhtml", quote_link.get("href"))
    assert where == "article-a01.xhtml" and element.get("id") == "a01-b0"


def test_anything_but_an_article_or_a_briefing_is_refused():
    out = io.BytesIO()
    with pytest.raises(UnknownNodeError):
        EpubWriter().write({"articles": []}, load_style("briefing"), out, RenderOptions())
    assert out.getvalue() == b""


def test_embedded_fonts_draw_the_cover_contents_and_table(tmp_path):
    from fontTools.ttLib import TTFont
    article = Article(Meta(title="Ŧitle", source="Ẅire", language="en"),
                      (Paragraph((Quote("speech", "Żaneta Ńowak", (Text("“Ǿk, we will open the new bridge next spring.”"),)),)),))
    style = replace(load_style("ebook"), quotes=replace(load_style("ebook").quotes, speaker_display="none"))
    document = make_briefing([article], title="Ƀriefing", prepared_for="Ǥroup")
    book = Book(render(document, style))
    assert "EPUB/key-quotes.xhtml" in book.parts             # the speaker is drawn only in the table
    cmaps = {name: set(TTFont(io.BytesIO(data)).getBestCmap()) for name, data in book.parts.items()
             if name.startswith("EPUB/fonts/")}
    drawn = set().union(*cmaps.values())
    for char in "ŦẄŻŃǾɃǤ":
        assert ord(char) in drawn, char
    upright = cmaps.get("EPUB/fonts/serif-regular.ttf", set()) | cmaps.get("EPUB/fonts/sans-regular.ttf", set())
    assert ord("Ż") in upright and ord("Ń") in upright    # the speaker column is set upright


# -------------------------------------------------------------------------------- determinism
def test_same_build_time_same_bytes_and_the_build_time_reaches_the_package(briefing):
    first = render(briefing)
    again = render(fixture_briefing())
    assert first == again
    assert render(briefing, build_time=datetime(2027, 1, 1, tzinfo=timezone.utc)) != first


def test_cli_briefing_epub_twice_with_source_date_epoch_gives_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1747526400")
    inputs = [str(p) for p in sorted(support.FIXTURES.glob("*.txt"))]
    outputs = []
    for run in range(2):
        if run:
            time.sleep(2.1)                                     # zip times have a 2 s grain
        out = tmp_path / f"b{run}.epub"
        result = run_cli(["briefing", *inputs, "-o", str(out), "--title", "CLI briefing",
                          "--prepared-for", "Desk", "--marking", "OFFICIAL-SENSITIVE", "-q"])
        assert result.code == 0, result.err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    book = Book(outputs[0])
    assert text_of(by_class(book.doc("cover.xhtml"), "h1", "cover-title")[0]) == "CLI briefing"
    assert len(book.spine) == len(inputs) + 3
    assert all(text_of(by_class(book.doc(n), "p", "footer")[0]) == "OFFICIAL-SENSITIVE" for n in book.spine)
    modified = [m.text for m in book.opf.iterfind("opf:metadata/opf:meta", NS) if m.get("property") == "dcterms:modified"]
    assert modified == ["2025-05-18T00:00:00Z"]


def test_identical_bytes_across_processes_and_hash_seeds_with_embedded_fonts(tmp_path):
    """Set and dict orders differ between processes; none of it may reach a briefing's package."""
    import hashlib
    import subprocess
    import sys
    script = f"""
import hashlib, sys
sys.path.insert(0, {str(support.ROOT / 'tests')!r}); sys.path.insert(0, {str(support.ROOT)!r})
from test_briefing_epub import fixture_briefing, render
from exporter.style import load_style
print(hashlib.sha256(render(fixture_briefing(), load_style("ebook"))).hexdigest())
"""
    digests = set()
    for seed in ("1", "4242"):
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        digests.add(proc.stdout.strip())
    assert len(digests) == 1
    assert digests == {hashlib.sha256(render(fixture_briefing(), load_style("ebook"))).hexdigest()}


# ----------------------------------------------------------------------------------- epubcheck
def briefing_cases() -> dict[str, tuple[Briefing, object, dict]]:
    """The briefings test_writer_epub.py's epubcheck batch checks in its one JVM run."""
    full = fixture_briefing()
    briefing_style = load_style("briefing")
    everything = replace(briefing_style, sections=replace(briefing_style.sections, related=True, dropped=True))
    hebrew = Article(Meta(title="שלום", language="he"),
                     (Paragraph((Quote("speech", "דוד", (Text("”שלום“"),)),)), Heading(2, (Text("חלק"),))))
    return {
        "briefing-fixtures": (full, briefing_style, {}),
        "briefing-fixtures-ebook": (full, load_style("ebook"), {"marking": "OFFICIAL <&>"}),
        "briefing-everything": (full, everything, {}),
        "briefing-one-quiet": (make_briefing([Article(Meta(title="Quiet"), (Paragraph((Text("x"),)),))]),
                               load_style("default"), {}),
        "briefing-empty": (Briefing(), load_style("default"), {}),
        "briefing-rtl-mixed": (make_briefing([*fixture_articles()[:2], hebrew], title="מסמך", language="he"),
                               briefing_style, {}),
        "briefing-hostile-ids": (Briefing(BriefingMeta(title=HOSTILE, notes=(HOSTILE,)),
                                          (BriefingArticle("../x", fixture_articles()[1]),
                                           BriefingArticle("../x", fixture_articles()[2]))), briefing_style, {}),
    }


@pytest.mark.slow
def test_briefings_pass_epubcheck_with_no_errors_and_no_warnings(tmp_path_factory):
    from test_writer_epub import epubcheck_results
    results, _ = epubcheck_results(tmp_path_factory)
    checked = {name: r for name, r in results.items() if name.startswith("briefing-")}
    assert len(checked) == len(briefing_cases())
    bad = {name: r["messages"] for name, r in checked.items() if r["errors"] or r["warnings"]}
    assert not bad, bad
