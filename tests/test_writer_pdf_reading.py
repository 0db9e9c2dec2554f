"""The PDF shows the presented document's reading sequence: the text read back from each page's
text area (the running head and foot aside) is the sequence of
:func:`~exporter.presentation.reading.reading_sequence`, part for part, for the sample, every
fixture and a five-article briefing.

Parts are compared after squashing whitespace and hyphens (a line-end hyphen joins up); between
two parts the PDF may show only what a reader sees as list bullets, list numbers and the
contents' page numbers.  Speaker labels are read apart by their look (the ``speaker-label``
element's face and size) and must be the sequence's labels, in order; the key-quotes table is
read column by column (a wrapped cell interleaves with its neighbours' lines otherwise)."""
from __future__ import annotations

import dataclasses
import io
import re

import pytest

import exporter
import support
from exporter.presentation import model as pm, present
from exporter.presentation.reading import reading_sequence
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
from exporter.writers.pdf.render import _KEY_QUOTE_COLUMNS

pdfplumber = support.require_module("pdfplumber")

FIXTURE_FILES = sorted(support.FIXTURES.glob("0*.txt"))
#: what the PDF may show between two parts that the reading sequence leaves out
_BETWEEN_PARTS = re.compile(r"^(?:[\u2022\u2013\u25e6]|\d+\.?)*$")


def changed(record, **fields):
    """A presented record with some fields changed (NamedTuple or dataclass alike)."""
    return record._replace(**fields) if hasattr(record, "_replace") else dataclasses.replace(record, **fields)


def squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]", "", text)


def options() -> RenderOptions:
    return RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None)


def render(document, style) -> bytes:
    out = io.BytesIO()
    get_writer("pdf").write(document, style, out, options())
    return out.getvalue()


class PdfReading:
    """What a PDF shows in its text areas: the flowing text, the speaker labels, and the
    key-quotes table's columns."""

    def __init__(self, data: bytes, style, key_quotes_heading: str | None) -> None:
        page_style = style.page
        label = style.inline("speaker-label", "body")
        label_font = style.fonts[label.family].face(bool(label.bold), bool(label.italic)).stem

        def is_label(obj) -> bool:
            return (obj.get("object_type") == "char" and abs(obj["size"] - label.size) < 0.05
                    and label_font.replace("-", "") in obj["fontname"].replace("-", ""))

        self.flow: list[str] = []
        self.labels: list[str] = []
        self.columns: list[str] = ["", "", ""]
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                area = page.crop((page_style.margin_left, page_style.margin_top,
                                  page.width - page_style.margin_right, page.height - page_style.margin_bottom))
                self.labels.append("".join(ch["text"] for ch in area.chars if is_label(ch)))
                text_only = area.filter(lambda obj: not is_label(obj))
                found = text_only.search(key_quotes_heading, regex=False) if key_quotes_heading else []
                if not found:
                    self.flow.append(text_only.extract_text() or "")
                    continue
                # the key quotes: what is above the table flows; the table is read a column at a time
                heading_bottom = found[0]["bottom"]
                left, top, right, bottom = area.bbox
                self.flow.append(text_only.within_bbox((left, top, right, heading_bottom + 0.5)).extract_text())
                x, width = left, right - left
                for column, share in enumerate(_KEY_QUOTE_COLUMNS):
                    cells = text_only.within_bbox((x, heading_bottom + 0.5, x + width * share, bottom))
                    self.columns[column] += cells.extract_text()
                    x += width * share


def assert_shows_the_reading_sequence(data: bytes, doc: pm.PresentedDocument, style) -> None:
    sequence = reading_sequence(doc)
    key_quotes = next((part for part in doc.parts if isinstance(part, pm.KeyQuotes)), None)
    reading = PdfReading(data, style, key_quotes.heading if key_quotes else None)

    flow = squash("".join(reading.flow))
    position = 0
    for kind, text in sequence:
        if kind.startswith("kq-") or kind == "speaker-label":
            continue
        wanted = squash(text)
        found = flow.find(wanted, position)
        assert found >= 0, f"{kind} {text[:80]!r} not found after {flow[max(0, position - 60):position]!r}"
        gap = flow[position:found]
        assert _BETWEEN_PARTS.match(gap), f"before {kind} {text[:60]!r}, the PDF shows {gap[:120]!r}"
        position = found + len(wanted)
    assert _BETWEEN_PARTS.match(flow[position:]), f"after the last part, the PDF shows {flow[position:][:120]!r}"

    labels = [text for kind, text in sequence if kind == "speaker-label"]
    assert squash("".join(reading.labels)) == squash("".join(labels))

    if key_quotes is not None:
        speakers = [key_quotes.columns[0]] + [row.speaker for row in key_quotes.rows]
        quotes = [key_quotes.columns[1]] + [row.text for row in key_quotes.rows]
        articles = [key_quotes.columns[2]] + [row.article for row in key_quotes.rows if row.article is not None]
        for got, want in zip(reading.columns, (speakers, quotes, articles)):
            assert squash(got) == squash("".join(want))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_an_articles_pdf_shows_its_reading_sequence(path):
    style = load_style("default")
    article = exporter.read(path)
    doc = present(article, style, options())
    assert any(kind == "paragraph" for kind, _ in reading_sequence(doc))
    assert_shows_the_reading_sequence(render(article, style), doc, style)


@pytest.fixture(scope="module")
def five_article_briefing():
    articles = [exporter.read(path) for path in FIXTURE_FILES[:5]]
    return exporter.briefing(articles, title="Morning briefing", subtitle="Regional news", date="2026-11-25",
                             prepared_for="The Minister", marking="OFFICIAL")


def test_a_briefings_pdf_shows_its_reading_sequence_with_the_key_quotes_on_one_page(five_article_briefing):
    style = load_style("briefing")
    doc = present(five_article_briefing, style, options())
    kinds = {kind for kind, _ in reading_sequence(doc)}
    assert {"cover-title", "toc-entry", "kq-quote", "speaker-label", "paragraph"} <= kinds
    data = render(five_article_briefing, style)
    assert_shows_the_reading_sequence(data, doc, style)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        key_quote_pages = [page.page_number for page in pdf.pages if "Key quotes" in (page.extract_text() or "")]
    assert len(key_quote_pages) == 1


@pytest.mark.parametrize("overrides", [["sections.related=true", "sections.dropped=true"],
                                       ['quotes.speaker_display="none"']])
def test_optional_sections_and_no_labels_follow_the_sequence_too(overrides):
    style = load_style("default", overrides)
    article = exporter.read(support.FIXTURES / "002_trail_society_page.txt")
    doc = present(article, style, options())
    kinds = {kind for kind, _ in reading_sequence(doc)}
    assert ("related-item" in kinds) == ("sections.related=true" in overrides)
    assert_shows_the_reading_sequence(render(article, style), doc, style)


def test_the_check_would_notice_a_missing_paragraph(five_article_briefing):
    """The comparison can fail: a sequence with one paragraph more than the PDF shows does."""
    style = load_style("default")
    article = exporter.read(support.SAMPLE)
    doc = present(article, style, options())
    data = render(article, style)
    part = doc.parts[0]
    extra = pm.TextBlock(style_key="body", runs=(pm.TextRun(text="A paragraph the PDF never drew."),))
    longer = changed(doc, parts=(changed(part, blocks=part.blocks[:3] + (extra,) + part.blocks[3:]),))
    with pytest.raises(AssertionError, match="never drew"):
        assert_shows_the_reading_sequence(data, longer, style)
