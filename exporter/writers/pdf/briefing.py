"""PDF writer, part 3: briefings.  A cover, contents with page numbers and links, the key-quotes
table, then every article through :func:`article_flowables` — the same code a single article
takes, with its outline entry and an anchor scoped to its place in the briefing.

Page numbers in the contents are filled in when the pages are emitted: the deferred canvas keeps
every page until the layout is finished (as it does for "page X of Y"), by which time each
article's first page is known — one layout pass, not two."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, BinaryIO

from reportlab.platypus import PageBreak, Paragraph, Spacer, TableStyle
from reportlab.platypus.flowables import Flowable

from ...briefing import Briefing
from .. import RenderOptions
from .page import LinearParagraph, PagedTable

if TYPE_CHECKING:  # pragma: no cover
    from ...style.model import Style
    from . import PdfContext

CONTENTS_TITLE = "Contents"
KEY_QUOTES_TITLE = "Key quotes"
KEY_QUOTES_HEADER = ("Speaker", "Quote", "Article")


class ArticleAnchor(Flowable):
    """Zero-size: names the place an article starts (link target) and records its page."""

    def __init__(self, name: str, pages: dict[str, int]) -> None:
        super().__init__()
        self.name, self.pages = name, pages
        self.keepWithNext = 1

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.canv.bookmarkHorizontal(self.name, 0, 0)
        self.pages.setdefault(self.name, self.canv.getPageNumber())


def anchor_name(index: int) -> str:
    """Link targets come from the article's position, never from ids found in input JSON."""
    return f"briefing-article-{index + 1}"


def effective_marking(briefing: Briefing, options: RenderOptions) -> str | None:
    """--marking, then the briefing's own, then (inside PdfContext) the style's."""
    return options.marking if options.marking is not None else (briefing.meta.marking or None)


class PageNumberSlot(Flowable):
    """Where the contents show an article's page number.  Drawing records the spot; the number
    is painted once every page is laid out (see :class:`ContentsNumbers`)."""

    def __init__(self, name: str, width: float, height: float, numbers: "ContentsNumbers") -> None:
        super().__init__()
        self.name, self.width, self.height, self.numbers = name, width, height, numbers

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        self.numbers.add_slot(self.canv.getPageNumber(), x, y, self)


class ContentsNumbers:
    """Article start pages (recorded by :class:`ArticleAnchor`) and the contents' number slots;
    called for each page when the deferred canvas emits it, it paints that page's numbers."""

    def __init__(self, font: str, size: float, color) -> None:
        self.font, self.size, self.color = font, size, color
        self.starts: dict[str, int] = {}
        self.slots: dict[int, list[tuple[float, float, PageNumberSlot]]] = {}    # by page

    def add_slot(self, page: int, x: float, y: float, slot: PageNumberSlot) -> None:
        self.slots.setdefault(page, []).append((x, y, slot))

    def __call__(self, canv, page: int, pages: int) -> None:
        # slot positions are absolute, in the same space the page is painted in (crop marks included)
        canv.saveState()
        canv.setFont(self.font, self.size)
        canv.setFillColor(self.color)
        for x, y, slot in self.slots.get(page, ()):
            if slot.name in self.starts:
                baseline = y + slot.height - self.size       # as a one-line Paragraph's first baseline
                canv.drawRightString(x + slot.width, baseline, str(self.starts[slot.name]))
        canv.restoreState()


def write_briefing(briefing: Briefing, style: "Style", out: BinaryIO, options: RenderOptions) -> None:
    from .markup import font_name_for
    from . import DocumentInfo, PdfContext, build_pdf, one_line

    options = replace(options, marking=effective_marking(briefing, options))
    meta = briefing.meta
    info = DocumentInfo(title=one_line(meta.title) or "Briefing", author=one_line(meta.prepared_for or "") or None,
                        subject=one_line(meta.subtitle or "") or None, keywords=(), language=meta.language,
                        source=", ".join(briefing.sources) or None, date=one_line(meta.date or "") or None)
    ctx = PdfContext(style=style, options=options, language=meta.language)
    entry = style.block("toc-entry")
    numbers = ContentsNumbers(font_name_for(style.fonts[entry.family].face(bool(entry.bold), bool(entry.italic))),
                              entry.size, ctx.palette.color(entry.color))
    build_pdf(briefing_flowables(briefing, ctx, numbers), ctx, info, out, page_painters=(numbers,))
    from ...style.fonts import SHOWN_IN_PDF
    ctx.resolver.warn_uncovered(options.warn, SHOWN_IN_PDF)


def briefing_flowables(briefing: Briefing, ctx: "PdfContext", numbers: ContentsNumbers) -> list[Flowable]:
    from . import OutlineMarker, _para, article_flowables

    story: list[Flowable] = []
    story.extend(_cover(briefing, ctx))
    story.append(PageBreak())
    story.append(OutlineMarker(ctx.next_key(), CONTENTS_TITLE, 0))
    story.append(_para(ctx.markup.render_text(CONTENTS_TITLE, "toc-heading"), ctx.pstyle("toc-heading"), ctx))
    story.append(_contents(briefing, ctx, numbers))
    if briefing.key_quotes:
        story.append(Spacer(0, ctx.em("body")))
        story.append(OutlineMarker(ctx.next_key(), KEY_QUOTES_TITLE, 0))
        story.append(_para(ctx.markup.render_text(KEY_QUOTES_TITLE, "key-quotes-heading"),
                           ctx.pstyle("key-quotes-heading"), ctx))
        story.append(_key_quotes(briefing, ctx))
    new_page = ctx.style.sections.article_new_page
    for index, item in enumerate(briefing.articles):
        if new_page or index == 0:
            story.append(PageBreak())
        else:
            story.append(Spacer(0, ctx.em("body") * 2))
        story.append(ArticleAnchor(anchor_name(index), numbers.starts))
        story.extend(article_flowables(item.article, ctx, outline_level=0))
    return [flowable for flowable in story if flowable is not None]


def _cover(briefing: Briefing, ctx: "PdfContext") -> list[Flowable]:
    from . import OutlineMarker, _para, one_line

    meta = briefing.meta
    out: list[Flowable] = [Spacer(0, ctx.geometry.frame_height * 0.22)]
    title = one_line(meta.title) or "Briefing"
    out.append(OutlineMarker(ctx.next_key(), title, 0))
    out.append(_para(ctx.markup.render_text(title, "cover-title"), ctx.pstyle("cover-title"), ctx))
    lines: list[str] = []
    if meta.subtitle and one_line(meta.subtitle):
        out.append(_para(ctx.markup.render_text(one_line(meta.subtitle), "subtitle"), ctx.pstyle("subtitle"), ctx))
    if meta.date and one_line(meta.date):
        lines.append(one_line(meta.date))
    if meta.prepared_for and one_line(meta.prepared_for):
        lines.append(f"Prepared for {one_line(meta.prepared_for)}")
    if ctx.marking:
        lines.append(ctx.marking)
    lines.append(_articles_line(briefing))
    lines.extend(one_line(note) for note in meta.notes if one_line(note))
    for line in lines:
        out.append(_para(ctx.markup.render_text(line, "cover-meta"), ctx.pstyle("cover-meta"), ctx))
    return out


def _articles_line(briefing: Briefing) -> str:
    count = len(briefing.articles)
    noun = "article" if count == 1 else "articles"
    sources = list(briefing.sources)
    if not sources:
        return f"{count} {noun}"
    named = sources[0] if len(sources) == 1 else ", ".join(sources[:-1]) + " and " + sources[-1]
    return f"{count} {noun} from {named}"


def _table_style(ctx: "PdfContext", key: str, commands: list) -> TableStyle:
    """A TableStyle whose cell font is the element's own: reportlab's Table sets its default
    (Helvetica, a standard-14 font that would not be embedded) on the canvas for every cell."""
    from .markup import font_name_for

    el = ctx.style.block(key)
    font = font_name_for(ctx.style.fonts[el.family].face(False, False))
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), el.size), *commands])


def _link(markup: str, name: str) -> str:
    # ``name`` is one of ours (anchor_name), never text from the input
    return f'<a href="#{name}">{markup}</a>'


def _contents(briefing: Briefing, ctx: "PdfContext", numbers: ContentsNumbers) -> Flowable:
    from . import document_title

    entry = ctx.pstyle("toc-entry")
    number_width = entry.fontSize * 3.5
    rows = []
    for index, item in enumerate(briefing.articles):
        name = anchor_name(index)
        title = _link(ctx.markup.render_text(document_title(item.article), "toc-entry"), name)
        rows.append([Paragraph(title, entry), PageNumberSlot(name, number_width, entry.leading, numbers)])
    if not rows:
        rows.append([Paragraph(ctx.markup.render_text("No articles.", "toc-entry"), entry), ""])
    # a row per article: laid out a page at a time (reportlab's Table is quadratic in its rows)
    return PagedTable(rows, [ctx.geometry.frame_width - number_width, number_width], _table_style(ctx, "toc-entry", [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), entry.spaceBefore), ("BOTTOMPADDING", (0, 0), (-1, -1), entry.spaceAfter),
    ]))


def _key_quotes(briefing: Briefing, ctx: "PdfContext") -> Flowable:
    from . import document_title

    item_style = ctx.pstyle("key-quotes-item")

    # Cells are LinearParagraphs: each is measured once for the whole table and wrapped again
    # when its page's part is drawn, and these keep their line breaks per width instead of
    # breaking them again.  Texts drawn whole in the item's face (bold for speakers) need no
    # markup at all.
    def cell(text: str, bold: bool | None = None, link: str | None = None) -> LinearParagraph:
        font = ctx.markup.plain_font(text, "key-quotes-item", bold=bold) if link is None else None
        if font is not None:
            return LinearParagraph.of_plain_text(text, ctx.pstyle("key-quotes-item", fontName=font))
        markup = ctx.markup.render_text(text, "key-quotes-item", bold=bold)
        return LinearParagraph(markup if link is None else _link(markup, link), item_style)

    header = [cell(text, bold=True) for text in KEY_QUOTES_HEADER]
    index_of = {item.id: index for index, item in enumerate(briefing.articles)}
    rows = [header]
    previous_article = None
    for quote in briefing.key_quotes:
        index = index_of.get(quote.article_id)
        if index is None or quote.article_id == previous_article:
            # a run of quotes from one article names it once (as the EPUB and DOCX tables do)
            article_cell = ""
        else:
            article_cell = cell(document_title(briefing.articles[index].article), link=anchor_name(index))
        previous_article = quote.article_id
        rows.append([cell(quote.speaker, bold=True), cell(quote.text), article_cell])
    width = ctx.geometry.frame_width
    el = ctx.style.block("key-quotes-item")
    rule = ctx.palette.color("#999999")
    return PagedTable(rows, [width * 0.22, width * 0.50, width * 0.28], _table_style(ctx, "key-quotes-item", [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ctx.palette.color(el.color)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, rule),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]), header_rows=1)
