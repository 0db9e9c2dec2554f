"""Property test for the presentation layer and the HTML writer: any article of the AST, with any
text in it (markup, controls, noncharacters, right-to-left letters, straight quotes), becomes a
page that parses with no HTML5 error, holds no element the writer did not make, and shows every
body word in order."""
from __future__ import annotations

import io

import support

hypothesis = support.require_module("hypothesis")
html5lib = support.require_module("html5lib")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from exporter.ast import (  # noqa: E402
    Article, BlockQuote, Break, Emphasis, Heading, Link, ListBlock, Meta, Paragraph, Quote, Rule, Strong, Text,
    inline_text, iter_inline_runs,
)
from exporter.style import load_style  # noqa: E402
from exporter.writers import RenderOptions  # noqa: E402
from exporter.writers.html import HtmlWriter  # noqa: E402

WORDS = ["talks", "Zażółć", "Привіт", "שלום", "مرحبا", "<script>", "</style>", "a&amp;b", "x<y", "\"q\"",
         "it's", "'single'", "«fr»", "\x00", "\x07", "\x85", "\ufffe", "\U0001fffe", "\u202e", "--", "]]>", "<!--"]
ANY = st.text(st.characters(codec="utf-8"), max_size=8)
words = st.lists(st.one_of(st.sampled_from(WORDS), ANY), min_size=1, max_size=8).map(" ".join)
text = words.map(Text)
SPEAKERS = st.one_of(st.none(), st.sampled_from(["Ann Lee", "\"><b>x", "O'Neil"]), ANY)
ALLOWED_TAGS = {"html", "head", "body", "meta", "title", "style", "main", "article", "header", "section", "nav",
                "h1", "h2", "h3", "h4", "h5", "h6", "p", "q", "span", "sup", "a", "em", "strong", "br", "ol", "ul",
                "li", "blockquote", "hr", "div", "table", "thead", "tbody", "tr", "th", "td"}


def inlines(depth: int = 0):
    leaf = st.one_of(text, text, st.just(Break()))
    if depth >= 2:
        return st.lists(leaf, min_size=1, max_size=3).map(tuple)
    inner = st.deferred(lambda: inlines(depth + 1))
    node = st.one_of(
        leaf, leaf,
        st.builds(Quote, st.sampled_from(["speech", "title", "term"]), SPEAKERS, inner),
        st.builds(Emphasis, inner), st.builds(Strong, inner),
        st.builds(Link, st.sampled_from(["https://ok.example/a?b=<c>", "javascript:alert(1)", "mailto:a@b.example",
                                         "https://u:p@h.example/"]), inner),
    )
    return st.lists(node, min_size=1, max_size=4).map(tuple)


paragraph = st.builds(Paragraph, inlines())
block = st.one_of(paragraph, paragraph, st.builds(Heading, st.integers(1, 3), inlines()),
                  st.builds(BlockQuote, st.lists(paragraph, min_size=1, max_size=2).map(tuple)),
                  st.builds(ListBlock, st.booleans(), st.lists(st.lists(paragraph, max_size=2).map(tuple),
                                                               max_size=3).map(tuple)),
                  st.just(Rule()))
articles = st.builds(
    Article,
    meta=st.builds(Meta, title=st.one_of(st.none(), words), title_origin=st.sampled_from([None, "lede", "caller"]),
                   source=st.one_of(st.none(), words), byline=st.one_of(st.none(), words),
                   date=st.one_of(st.none(), st.just("2024-07-12"), words),
                   language=st.one_of(st.none(), st.sampled_from(["en", "fr", "de", "he", "ar", "x y"]))),
    body=st.lists(block, min_size=1, max_size=5).map(tuple),
)


def _shown(el) -> str:
    """The page's text, speaker labels left out (they stand between words of the source)."""
    parts = [el.text or ""]
    for child in el:
        if "speaker-label" not in (child.get("class") or ""):
            parts.append(_shown(child))
        parts.append(child.tail or "")
    return "".join(parts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles, st.sampled_from(["inline", "margin", "endnote", "none"]))
def test_any_article_is_a_valid_page_holding_only_our_elements(article, display):
    out = io.BytesIO()
    style = load_style("default", [f'quotes.speaker_display="{display}"', "quotes.show_speaker=true",
                                   "quotes.typographic_marks=false"])
    HtmlWriter().write(article, style, out, RenderOptions(warn=lambda message: None, marking="<M&>"))
    page = out.getvalue().decode("utf-8")
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    assert {el.tag for el in tree.iter()} <= ALLOWED_TAGS
    assert len(list(tree.iter("style"))) == 1
    shown = _shown(tree.find("body"))
    for _, content in iter_inline_runs(article.body):
        for word in inline_text(content).split():
            cleaned = "".join(ch for ch in word if ch.isalnum())
            if cleaned:
                assert cleaned in "".join(ch for ch in shown if ch.isalnum())
