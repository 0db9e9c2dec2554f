"""PDF writer, part 3: briefings.  A cover, contents with page numbers and links, the key-quotes
table, then every article through :func:`article_flowables` — the same code a single article
takes, with its outline entry and an anchor scoped to its place in the briefing.

Page numbers in the contents come from a first layout pass that records where each article
starts; the contents' number column has a fixed width, so the second pass lays out identically."""
from __future__ import annotations

import io
from dataclasses import replace
from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib.enums import TA_RIGHT
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ..briefing import Briefing
from . import RenderOptions

if TYPE_CHECKING:  # pragma: no cover
    from ..style.model import Style
    from .pdf import PdfContext

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


def write_briefing(briefing: Briefing, style: "Style", out: BinaryIO, options: RenderOptions) -> None:
    from .pdf import DocumentInfo, PdfContext, build_pdf, one_line

    options = replace(options, marking=effective_marking(briefing, options))
    meta = briefing.meta
    info = DocumentInfo(title=one_line(meta.title) or "Briefing", author=one_line(meta.prepared_for or "") or None,
                        subject=one_line(meta.subtitle or "") or None, keywords=(), language=meta.language,
                        source=", ".join(briefing.sources) or None, date=one_line(meta.date or "") or None)
    # Pass 1: find the page each article starts on (warnings come from the final pass only).
    pages: dict[str, int] = {}
    ctx = PdfContext(style=style, options=replace(options, warn=lambda _m: None), language=meta.language)
    build_pdf(briefing_flowables(briefing, ctx, pages, None), ctx, info, io.BytesIO())
    # Pass 2: the same layout with the page numbers filled in.
    ctx = PdfContext(style=style, options=options, language=meta.language)
    build_pdf(briefing_flowables(briefing, ctx, {}, pages), ctx, info, out)
    ctx.resolver.warn_uncovered(options.warn)


def briefing_flowables(briefing: Briefing, ctx: "PdfContext", pages_found: dict[str, int],
                       page_numbers: dict[str, int] | None) -> list[Flowable]:
    from .pdf import OutlineMarker, _para, article_flowables

    story: list[Flowable] = []
    story.extend(_cover(briefing, ctx))
    story.append(PageBreak())
    story.append(OutlineMarker(ctx.next_key(), CONTENTS_TITLE, 0))
    story.append(_para(ctx.markup.render_text(CONTENTS_TITLE, "toc-heading"), ctx.pstyle("toc-heading"), ctx))
    story.append(_contents(briefing, ctx, page_numbers))
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
        story.append(ArticleAnchor(anchor_name(index), pages_found))
        story.extend(article_flowables(item.article, ctx, outline_level=0))
    return [flowable for flowable in story if flowable is not None]


def _cover(briefing: Briefing, ctx: "PdfContext") -> list[Flowable]:
    from .pdf import OutlineMarker, _para, one_line

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
    from ._pdf_markup import font_name_for

    el = ctx.style.block(key)
    font = font_name_for(ctx.style.fonts[el.family].face(False, False))
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), el.size), *commands])


def _link(markup: str, name: str) -> str:
    # ``name`` is one of ours (anchor_name), never text from the input
    return f'<a href="#{name}">{markup}</a>'


def _contents(briefing: Briefing, ctx: "PdfContext", page_numbers: dict[str, int] | None) -> Flowable:
    from .pdf import document_title

    entry = ctx.pstyle("toc-entry")
    number_style = ctx.pstyle("toc-entry", alignment=TA_RIGHT)
    number_width = entry.fontSize * 3.5
    rows = []
    for index, item in enumerate(briefing.articles):
        name = anchor_name(index)
        title = _link(ctx.markup.render_text(document_title(item.article), "toc-entry"), name)
        number = "" if page_numbers is None else str(page_numbers.get(name, ""))
        rows.append([Paragraph(title, entry), Paragraph(_link(number, name) if number else "", number_style)])
    if not rows:
        rows.append([Paragraph(ctx.markup.render_text("No articles.", "toc-entry"), entry), ""])
    table = Table(rows, colWidths=[ctx.geometry.frame_width - number_width, number_width])
    table.setStyle(_table_style(ctx, "toc-entry", [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), entry.spaceBefore), ("BOTTOMPADDING", (0, 0), (-1, -1), entry.spaceAfter),
    ]))
    return table


def _key_quotes(briefing: Briefing, ctx: "PdfContext") -> Flowable:
    from .pdf import document_title

    item_style = ctx.pstyle("key-quotes-item")
    header = [Paragraph(ctx.markup.render_text(text, "key-quotes-item", bold=True), item_style)
              for text in KEY_QUOTES_HEADER]
    index_of = {item.id: index for index, item in enumerate(briefing.articles)}
    rows = [header]
    for quote in briefing.key_quotes:
        index = index_of.get(quote.article_id)
        if index is None:
            article_cell = Paragraph("", item_style)
        else:
            title = document_title(briefing.articles[index].article)
            article_cell = Paragraph(_link(ctx.markup.render_text(title, "key-quotes-item"), anchor_name(index)),
                                     item_style)
        rows.append([Paragraph(ctx.markup.render_text(quote.speaker, "key-quotes-item", bold=True), item_style),
                     Paragraph(ctx.markup.render_text(quote.text, "key-quotes-item"), item_style),
                     article_cell])
    width = ctx.geometry.frame_width
    el = ctx.style.block("key-quotes-item")
    rule = ctx.palette.color("#999999")
    table = Table(rows, colWidths=[width * 0.22, width * 0.50, width * 0.28], repeatRows=1)
    table.setStyle(_table_style(ctx, "key-quotes-item", [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ctx.palette.color(el.color)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, rule),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table
