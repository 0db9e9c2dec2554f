"""Property test for the PDF writer: any article of the AST lays out without error and every body
word reaches the text layer in order (across page splits, both reportlab layout paths, the
highlight fast path, lists and block quotes), with the speaker labels the presentation adds."""
from __future__ import annotations

import io

import pytest

import support

hypothesis = support.require_module("hypothesis")
pdfplumber = support.require_module("pdfplumber")

from hypothesis import HealthCheck, Phase, given, settings, strategies as st  # noqa: E402

from exporter.ast import (  # noqa: E402
    Article, BlockQuote, Break, Emphasis, Heading, Link, ListBlock, Meta, Paragraph, Quote, Rule, Strong, Text,
)
from exporter.presentation import model as pm, present  # noqa: E402
from exporter.style import load_style  # noqa: E402
from exporter.writers import RenderOptions  # noqa: E402
from exporter.writers.pdf import PdfWriter  # noqa: E402

import readback  # noqa: E402

WORDS = ["talks", "Kremlin", "ceasefire", "Zażółć", "Привіт", "Καλημέρα", "R&D", "<b>", "a&amp;b", "x<y",
         "internationalisation", "co-operation", "1,000", "“quoted”", "‘single’", "—", "100%"]

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
long_words = st.integers(min_value=200, max_value=900).map(lambda n: " ".join(f"w{i}" for i in range(n)))
text = st.one_of(words, words, words, long_words).map(Text)


def inlines(depth: int = 0):
    leaf = st.one_of(text, text, st.just(Break()))
    if depth >= 2:
        return st.lists(leaf, min_size=1, max_size=3).map(tuple)
    inner = st.deferred(lambda: inlines(depth + 1))
    node = st.one_of(
        leaf, leaf, leaf,
        st.builds(Quote, st.sampled_from(["speech", "speech", "title", "term"]),
                  st.one_of(st.none(), st.just("Dmitry Peskov")), inner),
        st.builds(Emphasis, inner), st.builds(Strong, inner),
        st.builds(Link, st.sampled_from(["https://example.com/a?b=1&c=2", "javascript:alert(1)"]), inner),
    )
    return st.lists(node, min_size=1, max_size=4).map(tuple)


paragraph = st.builds(Paragraph, inlines())
block = st.one_of(
    paragraph, paragraph, paragraph,
    st.builds(Heading, st.integers(1, 3), st.lists(text, min_size=1, max_size=2).map(tuple)),
    st.builds(BlockQuote, st.lists(paragraph, min_size=1, max_size=2).map(tuple)),
    st.builds(ListBlock, st.booleans(), st.lists(st.lists(paragraph, min_size=1, max_size=2).map(tuple),
                                                 min_size=1, max_size=3).map(tuple)),
    st.just(Rule()),
)
articles = st.builds(Article, meta=st.builds(Meta, title=words, language=st.just("en")),
                     body=st.lists(block, min_size=1, max_size=6).map(tuple))

STYLES = {name: load_style(name, overrides) for name, overrides in (
    ("default", []), ("briefing", ["quotes.show_speaker=true"]), ("ebook", ['body.align="justify"']))}


@pytest.mark.parametrize("style_name", list(STYLES))
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=[Phase.explicit, Phase.generate], database=None, derandomize=True)
@given(article=articles)
def test_any_article_lays_out_with_every_word_in_order(style_name, article):
    out = io.BytesIO()
    PdfWriter().write(article, STYLES[style_name], out, RenderOptions(build_time=support.BUILD_TIME, warn=lambda m: None))
    # The text area of each page only: a word hyphenated across a page break must join up, so
    # the running footer and header between its halves are left out.  (A speaker label is set
    # smaller on the same baseline: its top is lower than the text's, so lines are grouped with a
    # tolerance wider than pdfplumber's 3 pt, still well under any style's leading.)
    geometry = STYLES[style_name].page
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        text = "\n".join(page.crop((geometry.margin_left, geometry.margin_top, page.width - geometry.margin_right,
                                     page.height - geometry.margin_bottom)).extract_text(y_tolerance=5) or ""
                         for page in pdf.pages)
    problem = readback.missing_words(drawn_words(article, STYLES[style_name]), text)
    assert problem is None, problem


def drawn_words(article, style) -> list[str]:
    """The words of the body as the presented document draws them in the text area: a speaker
    label set inline (" [Peskov]") or as a note number stands between the quote and what follows
    it; a margin label is outside the text area."""
    def text_of(runs) -> str:
        out = []
        for run in runs:
            match run:
                case pm.TextRun(text=text):
                    out.append(text)
                case pm.SpeakerLabel(placement="inline", text=text):
                    out.append(" " + text)
                case pm.SpeakerLabel(placement="endnote", text=text):
                    out.append(text)
                case pm.SpeakerLabel(placement="margin"):
                    pass
                case pm.QuoteRun(content=inner) | pm.EmphasisRun(content=inner) | pm.StrongRun(content=inner) \
                        | pm.LinkRun(content=inner):
                    out.append(text_of(inner))
                case pm.LineBreak():
                    out.append("\n")
                case _:
                    raise pm.UnknownPartError(run, "test")
        return "".join(out)

    def blocks(items) -> list[str]:
        words: list[str] = []
        for block in items:
            match block:
                case pm.TextBlock(runs=runs) | pm.HeadingBlock(runs=runs):
                    words.extend(readback._words(text_of(runs)))
                case pm.QuoteBlock(blocks=inner):
                    words.extend(blocks(inner))
                case pm.ListBlock(items=list_items):
                    for item in list_items:
                        words.extend(blocks(item))
        return words

    doc = present(article, style, RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None))
    return [word for part in doc.parts for word in blocks(part.blocks)]


_HOSTILE_TEXT = st.lists(st.sampled_from(list("ab &<>;\"'\u00a0\t\n\u2014\u201cxyz#/=")
                                        + ["&amp;", "<b>", "</para>", "&#65;", "<img src='/etc/passwd'/>"]),
                        max_size=40).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=_HOSTILE_TEXT, transform=st.sampled_from([None, "uppercase"]))
def test_plain_paragraph_is_the_parse_of_its_escaped_text(text, transform):
    """The markup-free plain paragraph holds exactly the text reportlab's parser makes of the
    escaped text, in the same face, size and colour (the parser may cut it into several runs)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from exporter.writers.pdf.markup import escape_text
    from exporter.writers.pdf.page import LinearParagraph

    pstyle = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, textTransform=transform)
    if not text.strip():
        return
    ours = LinearParagraph.of_plain_text(text, pstyle).frags
    parsed = Paragraph(escape_text(text), pstyle).frags
    assert len(ours) == 1
    assert ours[0].text == "".join(f.text for f in parsed)
    for frag in parsed:
        assert {k: v for k, v in frag.__dict__.items() if k != "text"} == \
            {k: v for k, v in ours[0].__dict__.items() if k != "text"}
