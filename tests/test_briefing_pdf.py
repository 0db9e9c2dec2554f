"""PDF briefings read back: cover, contents with the right page numbers and working links, the
key-quotes table against the AST, article order, bookmarks, marking on every page, determinism."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import exporter
from cli_support import run_cli
from exporter.ast import Article, Meta, Paragraph, Text
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
from support import BUILD_TIME, FIXTURES

pypdf = pytest.importorskip("pypdf")

MARKING = "OFFICIAL-SENSITIVE"


def _articles() -> list[Article]:
    return [exporter.read(path) for path in sorted(FIXTURES.glob("00*.txt"))]


def render(document, style="briefing", marking=None, overrides=()) -> bytes:
    out = io.BytesIO()
    get_writer("pdf").write(document, load_style(style, overrides), out,
                            RenderOptions(build_time=BUILD_TIME, marking=marking))
    return out.getvalue()


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.fixture(scope="module")
def briefing_pdf():
    articles = _articles()
    document = exporter.briefing(articles, title="Morning briefing", subtitle="Regional news", date="2026-11-25",
                                 prepared_for="The Minister", marking=MARKING)
    data = render(document)
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [page.extract_text() or "" for page in reader.pages]
    return document, data, reader, pages


def test_cover_says_what_the_briefing_is(briefing_pdf):
    document, _, _, pages = briefing_pdf
    cover = words(pages[0])
    for text in ("Morning briefing", "Regional news", "2026-11-25", "Prepared for The Minister", MARKING,
                 f"{len(document.articles)} articles from", *document.sources):
        assert words(text) in cover, text


def test_marking_and_page_x_of_y_on_every_page(briefing_pdf):
    _, _, reader, pages = briefing_pdf
    total = len(pages)
    for number, text in enumerate(pages, 1):
        assert text.count(MARKING) >= 2, f"page {number}: marking not top and bottom"
        assert f"Page {number} of {total}" in text, f"page {number}"


def article_start_pages(reader, document) -> list[int]:
    """1-based page of each article, from its bookmark (outline entry) by title."""
    by_title = {}
    for item in reader.outline:
        if not isinstance(item, list):
            by_title.setdefault(item.title, reader.get_destination_page_number(item) + 1)
    return [by_title[item.article.meta.title] for item in document.articles]


def assert_contents_numbers_beside_titles(document, data: bytes, reader, pages) -> list[int]:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        contents = pdf.pages[1].extract_text()      # line by line, numbers beside their titles
    assert "Contents" in contents
    starts = article_start_pages(reader, document)
    assert starts == sorted(starts) and len(set(starts)) == len(starts), "articles out of order"
    for item, start in zip(document.articles, starts):
        title = item.article.meta.title
        assert words(title)[:40] in words(pages[start - 1]), f"{title!r} not on page {start}"
        line = next(l for l in contents.splitlines() if words(l).startswith(words(title)[:25]))
        assert line.rstrip().endswith(str(start)), (line, start)
    return starts


def test_contents_numbers_links_and_bookmarks_point_at_each_article(briefing_pdf):
    document, data, reader, pages = briefing_pdf
    starts = assert_contents_numbers_beside_titles(document, data, reader, pages)
    page_numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, 1)}
    link_pages = []
    for annot in reader.pages[1].get("/Annots", []):
        annot = annot.get_object()
        if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
            link_pages.append(page_numbers[annot["/Dest"][0].idnum])
    assert sorted(set(link_pages)) == starts       # every contents link lands on an article's first page


def test_contents_numbers_stay_beside_titles_with_crop_marks_and_bleed():
    document = exporter.briefing(_articles()[:4], title="Cropped")
    data = render(document, overrides=["page.crop_marks=true", 'page.bleed="3mm"'])
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert_contents_numbers_beside_titles(document, data, reader, [p.extract_text() or "" for p in reader.pages])


def test_key_quotes_table_matches_the_attributed_quotes(briefing_pdf):
    document, _, reader, pages = briefing_pdf
    assert document.key_quotes, "fixtures should carry attributed quotes"
    first_article_page = article_start_pages(reader, document)[0]
    table_text = words(" ".join(pages[1:first_article_page - 1]))
    position = 0
    for quote in document.key_quotes:
        found = table_text.find(words(quote.text)[:30], position)
        assert found >= 0, quote
        assert words(quote.speaker) in table_text
        position = found
    assert words("Key quotes") in table_text


def test_every_font_is_embedded(briefing_pdf):
    _, _, reader, _ = briefing_pdf
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font.get("/BaseFont")


def test_same_build_time_same_bytes_and_marking_precedence():
    document = exporter.briefing(_articles()[:3], title="B", marking="FROM-BRIEFING")
    first = render(document)
    assert first == render(document)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(first)).pages)
    assert "FROM-BRIEFING" in text
    overridden = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render(document, marking="TOP"))).pages)
    assert "TOP" in overridden and "FROM-BRIEFING" not in overridden


def test_hostile_titles_are_text_and_ids_never_name_targets():
    hostile = Article(Meta(title='<a href="file:///etc/passwd">x</a> & <font name="Evil">'),
                      (Paragraph((Text("Body <b>not bold</b> &amp; words."),)),))
    document = exporter.briefing([hostile, _articles()[0]])
    data = render(document)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert '<a href="file:///etc/passwd">x</a> & <font name="Evil">' in text.replace("\n", " ")
    assert b"/URI" not in data and b"/Launch" not in data      # only internal links, nothing opened


def test_briefing_command_writes_a_pdf(tmp_path: Path):
    inputs = [str(p) for p in sorted(FIXTURES.glob("00*.txt"))[:3]]
    result = run_cli(["briefing", *inputs, "-o", str(tmp_path / "brief.pdf"), "--marking", MARKING, "--title", "T"])
    assert result.code == 0, result.err
    reader = pypdf.PdfReader(str(tmp_path / "brief.pdf"))
    assert all(MARKING in (page.extract_text() or "") for page in reader.pages)


def test_long_tables_measure_each_row_once_and_read_back_whole(monkeypatch):
    """The contents and key-quotes tables are laid out a page at a time (PagedTable): each row
    is measured a bounded number of times however many pages the table runs over (reportlab's
    own split re-measured every remaining row at each page), and every title and page number is
    there, in order, with the header repeated on each key-quotes page."""
    from reportlab.platypus import tables

    measured: list[int] = []
    real_calc = tables.Table._calc_height

    def counting(self, *args, **kwargs):
        measured.append(len(self._cellvalues))
        return real_calc(self, *args, **kwargs)

    monkeypatch.setattr(tables.Table, "_calc_height", counting)
    articles = [exporter.read(f"Story number {n}\n\n“We will reopen the bridge on day {n},” said Anna Smith, "
                              f"the mayor.\n")
                for n in range(150)]
    document = exporter.briefing(articles, title="Long briefing")
    data = render(document)
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    rows = len(document.articles) + len(document.key_quotes) + 1
    assert sum(measured) <= 3 * rows + 200, (sum(measured), rows)      # bands, then one table per page part
    contents = "\n".join(page for page in pages[1:8] if "Story number" in page and "Contents" in pages[1])
    found = [int(n) for n in re.findall(r"Story number (\d+)", contents)]
    assert found[: len(articles)] == list(range(len(articles)))
    assert document.key_quotes
    # the table's pages: quotes without the sentence around them that the article pages show
    quote_pages = [page for page in pages if "reopen the bridge on day" in page and "the mayor" not in page]
    assert len(quote_pages) >= 2 and all(re.search(r"Speaker\s+Quote\s+Article", page) for page in quote_pages)
    days = [int(n) for page in quote_pages for n in re.findall(r"bridge on day (\d+)", page)]
    assert days == sorted(days) and len(days) == len(document.key_quotes)
