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
from exporter.presentation import model as pm, present
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


def straight(text: str) -> str:
    """Quote marks as typed (the presentation curls them)."""
    return text.translate(str.maketrans("“”„‘’«»", "\"\"\"''\"\""))


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
    for text in ("Morning briefing", "Regional news", "25 November 2026", "Prepared for The Minister", MARKING,
                 f"{len(document.articles)} articles from", *document.sources):
        assert words(text) in cover, text


def test_marking_and_page_x_of_y_on_every_page(briefing_pdf):
    _, _, reader, pages = briefing_pdf
    total = len(pages)
    for number, text in enumerate(pages, 1):
        assert text.count(MARKING) >= 2, f"page {number}: marking not top and bottom"
        # (an article's pages say it in the article's language: "Page 10 sur 12")
        assert re.search(rf"Page {number} \w+ {total}", text), f"page {number}"


def presented_articles(document, style="briefing") -> list:
    doc = present(document, load_style(style), RenderOptions(build_time=BUILD_TIME, warn=lambda message: None))
    return [part for part in doc.parts if isinstance(part, pm.ArticlePart)]


def article_start_pages(reader, document) -> list[int]:
    """1-based page of each article, from its bookmark (outline entry, nested under the cover)
    by the title the presentation names it with."""
    by_title = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                by_title.setdefault(item.title, reader.get_destination_page_number(item) + 1)
    walk(reader.outline)
    return [by_title[part.title.toc_text] for part in presented_articles(document)]


def assert_contents_numbers_beside_titles(document, data: bytes, reader, pages) -> list[int]:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        contents = pdf.pages[1].extract_text()      # line by line, numbers beside their titles
    assert "Contents" in contents
    starts = article_start_pages(reader, document)
    assert starts == sorted(starts) and len(set(starts)) == len(starts), "articles out of order"
    for part, start in zip(presented_articles(document), starts):
        title = part.title.toc_text
        assert words(title)[:40] in words(pages[start - 1]), f"{title!r} not on page {start}"
        # the number stands beside the entry's last line (a long title wraps)
        lines = contents.splitlines()
        first = next(n for n, l in enumerate(lines) if words(l).startswith(words(title)[:25]))
        last = next(n for n in range(first, len(lines)) if re.search(r"\d$", lines[n].rstrip()))
        entry = " ".join(lines[first:last + 1])
        assert words(entry) == f"{words(title)} {start}", (entry, start)
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
    # every article's entry links to its first page; the rest (its headings, the key-quote rows on
    # the same page) land on article pages too
    assert set(starts) <= set(link_pages) and min(link_pages) >= starts[0], (starts, link_pages)


def test_contents_numbers_stay_beside_titles_with_crop_marks_and_bleed():
    document = exporter.briefing(_articles()[:4], title="Cropped")
    data = render(document, overrides=["page.crop_marks=true", 'page.bleed="3mm"'])
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert_contents_numbers_beside_titles(document, data, reader, [p.extract_text() or "" for p in reader.pages])


def test_key_quotes_table_shows_the_presented_selection_on_one_page(briefing_pdf):
    """The rows the presentation selected, in order, speaker and quote, all on one page."""
    document, _, reader, pages = briefing_pdf
    doc = present(document, load_style("briefing"), RenderOptions(build_time=BUILD_TIME, warn=lambda message: None))
    key_quotes = next(part for part in doc.parts if isinstance(part, pm.KeyQuotes))
    assert key_quotes.rows, "fixtures should carry attributed quotes"
    first_article_page = article_start_pages(reader, document)[0]
    table_pages = [n for n in range(first_article_page - 1) if "Key quotes" in pages[n]]
    assert len(table_pages) == 1
    table_text = words(pages[table_pages[0]].split("Key quotes", 1)[1])
    position = 0
    for row in key_quotes.rows:
        found = table_text.find(words(row.text)[:30], position)
        assert found >= 0, row
        assert words(row.speaker) in table_text
        position = found


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
    assert '<a href="file:///etc/passwd">x</a> & <font name="Evil">' in straight(text.replace("\n", " "))
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
    # (a selection of key quotes fits a page: let it take one from every article, to run over pages)
    overrides = ["sections.key_quotes_max=1000"]
    data = render(document, overrides=overrides)
    doc = present(document, load_style("briefing", overrides), RenderOptions(build_time=BUILD_TIME))
    rows_shown = len(next(part for part in doc.parts if isinstance(part, pm.KeyQuotes)).rows)
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    rows = len(document.articles) + rows_shown + 1
    assert sum(measured) <= 3 * rows + 200, (sum(measured), rows)      # bands, then one table per page part
    contents = "\n".join(page for page in pages[1:8] if "Story number" in page and "Contents" in pages[1])
    found = [int(n) for n in re.findall(r"Story number (\d+)", contents)]
    assert found[: len(articles)] == list(range(len(articles)))
    assert rows_shown == len(articles)
    # the table's pages: quotes without the sentence around them that the article pages show
    quote_pages = [page for page in pages if "reopen the bridge on day" in page and "the mayor" not in page]
    assert len(quote_pages) >= 2 and all(re.search(r"Speaker\s+Quote\s+Article", page) for page in quote_pages)
    days = [int(n) for page in quote_pages for n in re.findall(r"bridge on day (\d+)", page)]
    assert days == sorted(days) and len(days) == rows_shown
