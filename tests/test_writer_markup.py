"""One (X)HTML emitter for the EPUB and HTML writers (exporter.writers.markup) and one set of
element rules for their stylesheets (exporter.writers.stylesheet): an article is the same markup
in both, but for the few differences the emitter names."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile

import pytest

from exporter import api
from exporter.ast import (Article, BlockQuote, Break, Dropped, Emphasis, Heading, Link, ListBlock, Meta, Paragraph,
                          Quote, RelatedItem, Rule, Strong, Text)
from exporter.style import load_style
from exporter.style.model import BLOCK_ELEMENTS, INLINE_ELEMENTS, LABEL_ELEMENTS
from exporter.writers import RenderOptions
from exporter.writers.epub import EpubWriter
from exporter.writers.html import HtmlWriter

from support import BUILD_TIME, FIXTURES, SAMPLE

#: every block and run kind, written by hand: the fixtures have no line break nor empty list
EVERY_KIND = Article(
    meta=Meta(title="Ferry timetable changes", title_origin="caller", source="Harbour Gazette", byline="A. Writer",
              date="2026-01-02", language="en"),
    body=(
        Paragraph((Text("The council said on Monday that "),
                   Quote("speech", "Jo Park", (Text("\u201cthe early boats will run again from March,\u201d"),)),
                   Text(" and it would "), Emphasis((Text("not"),)), Text(" raise "), Strong((Text("fares"),)), Text("."))),
        Heading(2, (Text("What changes"),)),
        Paragraph((Text("Times are on "), Link("https://example.org/ferries", (Text("the council site"),)),
                   Text(" and"), Break(), Text("at every wharf."))),
        BlockQuote((Paragraph((Text("Boats leave every half hour."),)),)),
        ListBlock(True, ((Paragraph((Text("First boat at six"),)),), (Paragraph((Text("Last boat at midnight"),)),))),
        ListBlock(False, ()),
        Rule(),
        Paragraph((Text("More next week."),)),
    ),
    related=(RelatedItem("Bus routes redrawn", "The new map"),),
    dropped=(Dropped(3, "Share this story", "share-widget"),),
)

CASES = {
    "hand-made-endnotes": (EVERY_KIND, ['quotes.speaker_display="endnote"', "quotes.show_speaker=true",
                                         "sections.related=true", "sections.dropped=true"]),

    "sample-endnotes": (SAMPLE, ['quotes.speaker_display="endnote"', "quotes.show_speaker=true"]),
    "sample-margin": (SAMPLE, ['quotes.speaker_display="margin"', "quotes.show_speaker=true"]),
    "bridge-inline": (FIXTURES / "001_harbour_bridge_wrapped.txt", ["quotes.show_speaker=true"]),
    "digest-lists": (FIXTURES / "007_weekly_digest_email.txt", []),
    "web-page-links": (FIXTURES / "html" / "news_page.html", []),
}


def both(source, sets, style="default"):
    article = source if isinstance(source, Article) else api.read(source)
    look = load_style(style, list(sets))
    options = RenderOptions(build_time=BUILD_TIME, warn=lambda message: None)
    page, book = io.BytesIO(), io.BytesIO()
    HtmlWriter().write(article, look, page, options)
    EpubWriter().write(article, look, book, options)
    with zipfile.ZipFile(book) as package:
        xhtml = package.read("EPUB/article-a01.xhtml").decode("utf-8")
    return page.getvalue().decode("utf-8"), xhtml, package_css(book)


def package_css(book: io.BytesIO) -> str:
    with zipfile.ZipFile(book) as package:
        return package.read("EPUB/style.css").decode("utf-8")


def article_markup(document: str) -> str:
    """The <article> element, its opening tag reduced to its name."""
    found = re.search(r"<article\b[^>]*>(.*?)</article>", document, re.S)
    assert found, "no article"
    return found.group(1)


# What the emitter lets each writer say differently (and nothing else may differ).
XHTML_ONLY = [(re.compile(r"<(br|hr)([^>]*)/>"), r"<\1\2>"),
              (re.compile(r' epub:type="(noteref|endnotes)"'), ""), (re.compile(r' role="doc-noteref"'), "")]
HTML_ONLY = [(re.compile(r' rel="noreferrer"'), ""), (re.compile(r'<header class="article-head">'), "<header>")]


def reduced(markup: str, rewrites) -> str:
    for pattern, replacement in rewrites:
        markup = pattern.sub(replacement, markup)
    return markup


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_article_is_the_same_markup_in_both_writers(case):
    path, sets = CASES[case]
    page, xhtml, _ = both(path, sets)
    html_article, epub_article = article_markup(page), article_markup(xhtml)
    assert reduced(html_article, HTML_ONLY) == reduced(epub_article, XHTML_ONLY)
    # and each kept its own forms
    if "<br" in epub_article:
        assert "<br/>" in epub_article and "<br>" in html_article
    if "speaker-ref" in epub_article:
        assert 'epub:type="noteref"' in epub_article and "epub:type" not in html_article
    if "<a href=\"http" in html_article:
        assert 'rel="noreferrer"' in html_article and "noreferrer" not in epub_article


def test_speaker_notes_carry_no_english_word_of_the_writers_and_the_name_links_back():
    page, xhtml, _ = both(*CASES["sample-endnotes"])
    for document in (page, xhtml):
        assert re.search(r'<li class="related-item" id="[^"]+"><a href="#a01-sl1">[^<↩]+</a></li>', document)
        assert "↩" not in document
        assert "aria-label" not in article_markup(document)


@pytest.mark.parametrize("style", ["default", "briefing", "ebook"])
def test_both_stylesheets_set_the_same_element_rules(style):
    page, _, css = both(SAMPLE, [], style)
    page_css = page.split("<style>\n", 1)[1].split("</style>", 1)[0]
    # the reading system's older properties, and the page's request to print backgrounds, aside
    book_rules = {line.split(" {", 1)[0]: re.sub(r"; (-epub-hyphens|page-break-after): \w+", "", line)
                  for line in css.splitlines()}
    page_rules = {line.split(" {", 1)[0]: re.sub(r"; (-webkit-)?print-color-adjust: exact", "", line)
                  for line in page_css.splitlines()}
    for key in BLOCK_ELEMENTS + INLINE_ELEMENTS + LABEL_ELEMENTS:
        assert page_rules[f".{key}"] == book_rules[f".{key}"], key
    for shared in ("q", "blockquote", "ul, ol", "li > p", "hr", "a"):
        assert page_rules[shared] == book_rules[shared]
    assert "-epub-hyphens" in css and "print-color-adjust" in page_css


def test_the_shared_modules_import_neither_writer_and_neither_writer_the_other():
    code = ("import sys\nimport exporter.writers.markup, exporter.writers.stylesheet\n"
            "loaded = lambda: sorted(m for m in ('exporter.writers.epub', 'exporter.writers.html') if m in sys.modules)\n"
            "print(loaded())\nimport exporter.writers.html\nprint(loaded())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "['exporter.writers.html']"]
    code = "import sys\nimport exporter.writers.epub\nprint('exporter.writers.html' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("overrides, limits", [
    ([], ("auto 3 3", "2")),
    (["hyphenation.min_before=2", "hyphenation.min_after=4", "hyphenation.max_consecutive=3"], ("auto 2 4", "3")),
])
def test_hyphenated_blocks_carry_the_pdfs_break_rules_and_others_none(overrides, limits):
    page, _, css = both(SAMPLE, overrides, "default")
    for sheet in (css, page.split("<style>\n", 1)[1].split("</style>", 1)[0]):
        rules = {line.split(" {", 1)[0]: line for line in sheet.splitlines()}
        body, title = rules[".body"], rules[".title"]
        assert "hyphens: auto" in body and f"hyphenate-limit-chars: {limits[0]};" in body
        assert f"hyphenate-limit-lines: {limits[1]}" in body and f"-webkit-hyphenate-limit-lines: {limits[1]}" in body
        assert "hyphens: manual" in title and "hyphenate-limit" not in title
