"""Every format shows the same thing: the sample, every fixture and a five-article briefing, rendered
as PDF, DOCX, EPUB and HTML and read back with each format's reader in the sequence kit
(tests/sequences.py), give the presentation layer's reading sequence part for part -- title block,
meta line, body paragraphs, shown speaker labels, related, dropped, contents entries and key-quote
rows -- equal after normalising whitespace (and, in the PDF, line-end hyphens), page furniture
aside.  One presented document is the oracle for all four."""
from __future__ import annotations

import io

import pytest

import exporter
from exporter.presentation import present
from exporter.presentation.reading import reading_sequence
from exporter.style import load_style
from exporter.writers import ALL_FORMATS, RenderOptions, get_writer

import support
from sequences import READERS, comparable, pdf_shows

FIXTURES = sorted(support.FIXTURES.glob("*.txt"))
MARKING = "OFFICIAL"                 # furniture on every page: it must stay out of the sequence


def _quiet(message: str) -> None:
    pass


def _render(fmt: str, document, style) -> bytes:
    out = io.BytesIO()
    get_writer(fmt).write(document, style, out, RenderOptions(build_time=support.BUILD_TIME, warn=_quiet,
                                                              marking=MARKING))
    return out.getvalue()


def _briefing_of_five():
    return exporter.briefing([exporter.read(path) for path in FIXTURES[:5]], title="Morning briefing",
                             date="2026-01-02", prepared_for="The desk")


CASES = {"sample": lambda: (exporter.read(support.SAMPLE), "default"),
         "briefing": lambda: (_briefing_of_five(), "briefing"),
         **{f"fixture-{path.stem[:3]}": (lambda path=path: (exporter.read(path), "default")) for path in FIXTURES}}


def test_the_kit_reads_every_format_that_all_means():
    assert set(ALL_FORMATS) - {"pdf"} <= set(READERS), f"no sequence reader for {set(ALL_FORMATS) - set(READERS)}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_format_shows_the_presented_reading_sequence(case):
    document, style_name = CASES[case]()
    style = load_style(style_name)
    expected = comparable(reading_sequence(present(document, style, RenderOptions(warn=_quiet, marking=MARKING))))
    assert len(expected) > 5
    presented = present(document, style, RenderOptions(warn=_quiet, marking=MARKING))
    # the PDF has no structure to read kinds from: its text areas must show the parts' texts in
    # order with nothing between them, labels and key-quote columns read apart (sequences.pdf_shows)
    pdf_shows(_render("pdf", document, style), presented, style)
    shown = {fmt: comparable(READERS[fmt](_render(fmt, document, style))) for fmt in ALL_FORMATS if fmt != "pdf"}
    for fmt, got in shown.items():
        if got != expected:
            for index, (mine, theirs) in enumerate(zip(got, expected)):
                assert mine == theirs, f"{case}: {fmt} part {index} {mine!r} != presented {theirs!r}"
            assert len(got) == len(expected), f"{case}: {fmt} shows {len(got)} parts, presented {len(expected)}"
    kinds = {kind for kind, _ in expected}
    if case == "briefing":
        assert {"cover-title", "toc-entry", "kq-speaker", "kq-quote", "kq-article"} <= kinds
    if case == "sample":
        assert "speaker-label" in kinds


def test_the_sample_opens_with_its_lede_once_in_every_format():
    """No headline of its own: nothing but the meta line stands above the lede, and the lede's
    opening words appear once at the top of every format."""
    article = exporter.read(support.SAMPLE)
    assert article.meta.title_origin == "lede"
    opening = " ".join(article.meta.title.rstrip("…").split()[:6])
    style = load_style("default")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(_render("pdf", article, style))) as pdf:
        first_page = " ".join((pdf.pages[0].extract_text() or "").split())
    meta_line = comparable(reading_sequence(present(article, style)))[0][1]
    assert first_page.startswith(f"{MARKING} {meta_line} {opening}") and first_page.count(opening) == 1, first_page[:200]
    for fmt in sorted(set(ALL_FORMATS) - {"pdf"}):
        shown = comparable(READERS[fmt](_render(fmt, article, style)))
        kinds = [kind for kind, _ in shown[:2]]
        assert kinds == ["meta-line", "paragraph"], (fmt, shown[:2])
        assert shown[1][1].startswith(opening), (fmt, shown[1])
        assert sum(text.count(opening) for _, text in shown[:6]) == 1, fmt
