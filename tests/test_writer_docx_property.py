"""Property test: any article the AST can express — any text, any nesting — gives a DOCX that
python-docx reopens, with every word of the body in order and every quote run in its style."""
from __future__ import annotations

import io
import re

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.ast import (
    Article, BlockQuote, Break, Emphasis, Heading, Link, ListBlock, Meta, Paragraph, Quote, Rule, Strong,
    Text, inline_text, iter_inline_runs,
)
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer

import support

STYLE = load_style("default", ["quotes.show_speaker=true", "sections.related=true", "sections.dropped=true"])
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Any text at all, including what the reader would have removed (controls, lone surrogates):
# the writer must neither crash nor let it break the XML.
texts = st.text(st.characters(codec=None, blacklist_categories=()), max_size=40)
urls = st.one_of(st.just("https://example.com/x?a=1&b=<2>"), st.just("javascript:alert(1)"), texts)


def inlines(depth: int = 0):
    leaf = st.one_of(texts.map(Text), st.just(Break()))
    if depth >= 2:
        return st.lists(leaf, max_size=4).map(tuple)
    inner = st.deferred(lambda: inlines(depth + 1))
    node = st.one_of(
        leaf,
        st.builds(Quote, st.sampled_from(["speech", "title", "term"]), st.one_of(st.none(), texts), inner),
        st.builds(Emphasis, inner), st.builds(Strong, inner), st.builds(Link, urls, inner),
    )
    return st.lists(node, max_size=4).map(tuple)


def blocks(depth: int = 0):
    simple = st.one_of(st.builds(Paragraph, inlines()), st.builds(Heading, st.integers(1, 3), inlines()),
                       st.just(Rule()))
    if depth >= 2:
        return simple
    inner = st.deferred(lambda: blocks(depth + 1))
    return st.one_of(
        simple,
        st.builds(BlockQuote, st.lists(inner, max_size=3).map(tuple)),
        st.builds(ListBlock, st.booleans(), st.lists(st.lists(inner, max_size=3).map(tuple), max_size=3).map(tuple)),
    )


articles = st.builds(
    Article,
    meta=st.builds(Meta, title=st.one_of(st.none(), texts), subtitle=st.one_of(st.none(), texts),
                   byline=st.one_of(st.none(), texts), source=st.one_of(st.none(), texts),
                   language=st.one_of(st.none(), texts), tags=st.lists(texts, max_size=3).map(tuple)),
    body=st.lists(blocks(), max_size=6).map(tuple),
)


def _words(text: str) -> list[str]:
    return _INVALID.sub("", text.replace("\r", "\n")).split()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles)
def test_any_article_round_trips_through_python_docx(article):
    out = io.BytesIO()
    get_writer("docx").write(article, STYLE, out, RenderOptions(build_time=support.BUILD_TIME, warn=lambda m: None))
    document = docx.Document(io.BytesIO(out.getvalue()))
    expected = [w for _, content in iter_inline_runs(article.body) for w in _words(inline_text(content))]
    got = [w for p in document.paragraphs for w in p.text.split()]
    # body words appear in order (the title block comes first, so search as a subsequence)
    position = 0
    for word in expected:
        while position < len(got) and got[position] != word:
            position += 1
        assert position < len(got), f"word {word!r} missing or out of order"
        position += 1
