"""Property test: any article the AST can express — any text, any nesting — gives a DOCX that
python-docx reopens and whose visible text is the presented document's reading sequence (what the
XML cannot carry left out), in every way of showing speakers."""
from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.ast import Article, BlockQuote, Break, Emphasis, Heading, Link, ListBlock, Meta, Paragraph, Quote, Rule, Strong, Text
from exporter.presentation import present
from exporter.presentation.reading import reading_sequence
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer

import support
from docx_readback import docx_sequence

STYLES = {display: load_style("default", ["quotes.show_speaker=true", "sections.related=true", "sections.dropped=true",
                                          f'quotes.speaker_display="{display}"'])
          for display in ("inline", "margin", "endnote")}
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


def _visible(text: str) -> str:
    """What a reader can see of a text: what XML cannot carry removed, whitespace normalised."""
    return " ".join(_INVALID.sub("", text.replace("\r", "\n")).split())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles, st.sampled_from(sorted(STYLES)))
def test_any_article_reads_back_as_presented(article, display):
    style = STYLES[display]
    out = io.BytesIO()
    get_writer("docx").write(article, style, out, RenderOptions(build_time=support.BUILD_TIME, warn=lambda m: None))
    want = [(kind, _visible(text)) for kind, text in reading_sequence(present(article, style)) if _visible(text)]
    assert docx_sequence(out.getvalue()) == want
