"""The DOCX shows what the presentation layer says a reader sees: its body paragraphs and tables,
read back with python-docx in document order, give the reading sequence of the presented document
(whitespace normalised; headers and footers are furniture) -- for the sample, every fixture and a
five-article briefing, in each way of showing speakers.  And it opens with real named styles."""
from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.run import Run

import exporter
from exporter.api import briefing as make_briefing
from exporter.presentation import present
from exporter.style import load_style
from exporter.writers import RenderOptions
from exporter.writers.docx import DocxWriter

import support
from docx_readback import docx_sequence, presented_sequence

FIXTURES = sorted(support.FIXTURES.glob("*.txt"))


def render(document, style, **options) -> bytes:
    out = io.BytesIO()
    options = RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None, **options)
    DocxWriter().write(document, style, out, options)
    return out.getvalue()


def assert_follows_the_reading_sequence(document, style, **options) -> list[tuple[str, str]]:
    want = presented_sequence(present(document, style, RenderOptions(warn=lambda message: None, **options)))
    got = docx_sequence(render(document, style, **options))
    if got != want:
        for index, (mine, theirs) in enumerate(zip(got, want)):
            assert mine == theirs, f"part {index}: docx {mine!r} != presented {theirs!r}"
        assert len(got) == len(want), f"docx has {len(got)} parts, the presented document {len(want)}"
    return got


@pytest.fixture(scope="module")
def articles():
    return [exporter.read(path) for path in FIXTURES]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
@pytest.mark.parametrize("style_name", ["default", "briefing"])
def test_every_fixture_reads_as_presented(path, style_name):
    got = assert_follows_the_reading_sequence(exporter.read(path), load_style(style_name))
    assert sum(1 for kind, _ in got if kind == "paragraph") >= 2


@pytest.mark.parametrize("display", ["inline", "margin", "endnote", "none"])
def test_the_sample_reads_as_presented_in_every_speaker_display(display):
    style = load_style("default", [f'quotes.speaker_display="{display}"', "sections.related=true",
                                   "sections.dropped=true"])
    got = assert_follows_the_reading_sequence(exporter.read(support.SAMPLE), style)
    labels = [text for kind, text in got if kind == "speaker-label"]
    notes = [text for kind, text in got if kind == "speaker-note"]
    if display == "none":
        assert not labels and not notes
    else:
        assert labels, display                             # speakers are visible on paper
        assert any("Zelenskyy" in text for text in labels + notes), display
    assert ("heading", "Related") in got and ("heading", "Dropped lines") in got


def test_the_sample_opens_with_its_lede_once_under_the_meta_line():
    """A title cut from the lede is not printed above it: the meta line heads the article and
    the lede's opening words appear once at the top."""
    article = exporter.read(support.SAMPLE)
    assert article.meta.title_origin == "lede"
    document = docx.Document(io.BytesIO(render(article, load_style("default"))))
    first = document.paragraphs[:3]
    assert [p.style.name for p in first[:2]] == ["Meta Line Heading", "Lede"]
    opening = " ".join(article.meta.title.split()[:6])
    assert sum(p.text.count(opening) for p in document.paragraphs[:5]) == 1
    assert document.core_properties.title == article.meta.title         # the metadata keeps it


@pytest.mark.parametrize("display", ["inline", "endnote"])
def test_a_five_article_briefing_reads_as_presented(articles, display):
    brief = make_briefing(articles[:5], title="Morning briefing", prepared_for="The Minister",
                          date="2025-05-18", marking="OFFICIAL")
    style = load_style("briefing", [f'quotes.speaker_display="{display}"'])
    got = assert_follows_the_reading_sequence(brief, style)
    kinds = [kind for kind, _ in got]
    for kind in ("cover-title", "cover-line", "toc-entry", "kq-column", "kq-speaker", "kq-quote", "kq-article",
                 "meta-line", "paragraph", "speaker-label"):
        assert kind in kinds, kind
    assert kinds.count("kq-column") == 3


def speaker_label_size(style) -> float:
    return style.element("speaker-label").size


def test_the_document_opens_with_real_named_styles(articles):
    """Every paragraph and quote run names a style the package defines, by its Word name."""
    brief = make_briefing(articles[:5], title="Morning briefing")
    style = load_style("briefing", ['quotes.speaker_display="endnote"'])
    document = docx.Document(io.BytesIO(render(brief, style)))
    names = {s.name for s in document.styles}
    for wanted in ("Normal", "Title", "Meta Line", "Meta Line Heading", "Lede", "Cover Title", "Cover Meta",
                   "TOC Heading", "Key Quotes Heading", "Key Quotes Item", "Quote Speech", "Speaker Label",
                   "Related Heading", "Related Item", "Header", "Footer", "Marking"):
        assert wanted in names, wanted
    used = {p.style.name for p in document.paragraphs}
    assert used <= names and {"Cover Title", "TOC Heading", "Key Quotes Heading", "Lede"} <= used
    runs = [Run(r, p) for p in document.paragraphs for r in p._p.iter(qn("w:r"))]       # links' runs too
    label_runs = [r for r in runs if r.style is not None and r.style.name == "Speaker Label"]
    assert label_runs and all(r.font.superscript and r.text.isdigit() for r in label_runs)   # endnote numbers
    # raised from the text's own size, not shrunk again from the label's small one
    assert all(r.font.size.pt > speaker_label_size(style) for r in label_runs)
    speaker_label = style.element("speaker-label")
    look = document.styles["Speaker Label"].font
    assert look.name == style.fonts[speaker_label.family].name and look.size.pt == speaker_label.size
