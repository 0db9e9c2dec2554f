"""A presented document to reportlab flowables, and the flowables to pages.

:class:`PdfContext` holds what one PDF build shares (style, fonts, colours, the font resolver,
ParagraphStyles per semantic key and language).  :class:`StoryRenderer` walks the presented
document (:mod:`exporter.presentation.model`) part by part with an exhaustive ``match``: a cover,
contents and key quotes are parts like an article is, so a single article and a briefing go
through the same code.  Nothing is decided here but how a part looks on a page: every text,
label, date, anchor and link comes from the presentation layer.  :func:`build_pdf` lays the
story out on pages.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Frame, PageBreak, PageTemplate, TableStyle
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import Flowable, HRFlowable, Spacer

from ...errors import RenderError
from ...presentation import model as m
from ...presentation.policy import text_direction
from ...presentation.reading import RELATED_SEPARATOR
from ...version import __version__
from .. import RenderOptions
from .bidi import RTL_CHARS
from .hyphen import hyphenator_for
from .markup import InlineMarkup, Palette, escape_attr, font_name_for, paragraph_style
from .page import (ArticleDocTemplate, ContentsNumbers, DeferredCanvas, Destination, FurniturePainter,
                   LinearParagraph, PagedTable, PageGeometry, PageNumberSlot, RunningByPage, registration_black)

if TYPE_CHECKING:  # pragma: no cover
    from ...style.model import Style

_BLOCKQUOTE_INDENT_EM = 1.5
_LIST_INDENT_EM = 1.4
_BULLETS = ("\u2022", "\u2013", "\u25e6")          # by list depth
_COVER_DROP = 0.22                                  # the cover title starts this far down the text area
_KEY_QUOTE_COLUMNS = (0.22, 0.50, 0.28)             # speaker | quote | article, shares of the text width
_MARGIN_NOTE_GAP = 8.0                              # pt between a margin note and the text
#: the elements that may be hyphenated (when the style turns it on): running text only
_RUNNING_TEXT = frozenset({"body", "lede", "blockquote", "list", "related-item", "dropped-item"})


def hyphenation_language(tag: str | None, settings=None):
    """The hyphenator for a BCP 47 tag under the style's hyphenation settings (a callable
    reportlab accepts as ``hyphenationLang``), or '' when there is no dictionary for the language."""
    return (hyphenator_for(tag, settings) if settings is not None else hyphenator_for(tag)) or ""


# ------------------------------------------------------------------------------------- context
class PdfContext:
    """Everything one PDF build shares across the parts in it.  (A plain class: a dataclass
    costs every process about a millisecond to define.)"""

    def __init__(self, style: "Style", options: RenderOptions, tooltips: bool = False) -> None:
        from ...style.fonts import FontResolver

        self.style, self.options, self.tooltips = style, options, tooltips
        self._styles: dict = {}
        self.palette = Palette(cmyk=self.style.page.color_mode == "cmyk")
        self.resolver = FontResolver(self.style)
        self.markup = InlineMarkup(self.style, self.resolver, self.palette, tooltips=self.tooltips)
        self.geometry = PageGeometry.from_style(self.style)

    def pstyle(self, key: str, language: str | None = None, **overrides) -> ParagraphStyle:
        """The ParagraphStyle of a semantic key, hyphenated for ``language`` when the style asks
        and the element is running text (never a heading, standfirst, table cell or caption,
        whatever the style says) (cached; overrides make a variant)."""
        if key not in _RUNNING_TEXT:
            language = None
        cache_key = (key, language, tuple(sorted(overrides.items())))
        found = self._styles.get(cache_key)
        if found is None:
            found = paragraph_style(self.style, key, self.palette,
                                    hyphenation_language(language, self.style.hyphenation), **overrides)
            self._styles[cache_key] = found
        return found

    @property
    def keep_limit(self) -> tuple[float, float]:
        """Paragraphs taller than half the text area are never kept with the next one."""
        return self.geometry.frame_width, self.geometry.frame_height / 2

    def em(self, key: str = "body") -> float:
        return self.style.block(key).size

    def font(self, key: str, bold: bool | None = None) -> str:
        el = self.style.block(key)
        return font_name_for(self.style.fonts[el.family].face(bool(el.bold) if bold is None else bold, bool(el.italic)))


# ------------------------------------------------------------------------------------- the story
class StoryRenderer:
    """The flowables of a presented document, part by part.  ``pages`` maps every anchor laid out
    to its page (filled while pages are drawn); ``running`` learns where each article starts."""

    def __init__(self, ctx: PdfContext, doc: m.PresentedDocument) -> None:
        self.ctx, self.doc = ctx, doc
        self.pages: dict[str, int] = {}
        self.running = RunningByPage(doc.furniture.running)
        entry = ctx.style.block("toc-entry")
        self.numbers = ContentsNumbers(ctx.font("toc-entry"), entry.size, ctx.palette.color(entry.color), self.pages)
        self.story: list[Flowable] = []
        self.under_cover = False            # a cover heads the outline: the other parts nest under it

    def render(self) -> list[Flowable]:
        for part in self.doc.parts:
            self.part(part)
        return [flowable for flowable in self.story if flowable is not None]

    def add(self, *flowables: Flowable | None) -> None:
        self.story.extend(f for f in flowables if f is not None)

    def para(self, markup: str, key: str, language: str | None = None, direction: str = "ltr",
             **overrides) -> Flowable | None:
        if not markup.strip():
            return None
        if direction == "rtl" and self.ctx.style.block(key).align == "left":
            overrides["alignment"] = TA_RIGHT          # a right-to-left text is set flush right (a justified one stays so)
        para = LinearParagraph(markup, self.ctx.pstyle(key, language, **overrides), keep_limit=self.ctx.keep_limit)
        para.rtl = direction == "rtl"
        return para

    def text(self, text: str, key: str, language: str | None = None, bold: bool | None = None,
             direction: str = "ltr") -> Flowable | None:
        """A paragraph of one plain presented text in element ``key``."""
        if bold is None and self.ctx.markup.plain_font(text, key) is not None:
            # all of it in the element's own face: the one fragment the parse would make, built directly
            overrides = {}
            if direction == "rtl" and self.ctx.style.block(key).align == "left":
                overrides["alignment"] = TA_RIGHT          # a right-to-left text is set flush right (a justified one stays so)
            para = LinearParagraph.of_plain_text(text, self.ctx.pstyle(key, language, **overrides),
                                                 keep_limit=self.ctx.keep_limit)
            para.rtl = direction == "rtl"
            return para
        return self.para(self.ctx.markup.render_text(text, key, bold=bold), key, language, direction)

    # -- parts ---------------------------------------------------------------------------------
    def part(self, part: m.Part) -> None:
        match part:
            case m.Cover():
                self.cover(part)
            case m.Contents():
                self.contents(part)
            case m.KeyQuotes():
                self.key_quotes(part)
            case m.ArticlePart():
                self.article(part)
            case _:
                raise m.UnknownPartError(part, "pdf writer")

    def own_direction(self, text: str) -> str:
        """The direction of a briefing's own line (cover, contents and key-quotes headings), which
        the presented parts do not carry: the text's, by its first strong letter (bidi rule P2, as
        page.FurniturePainter finds the running heads'), else the document's.  So a Hebrew
        briefing's cover is set flush right and read right to left."""
        return text_direction(text) or self.doc.metadata.direction

    def cover(self, part: m.Cover) -> None:
        self.page_break()
        language, direction = self.doc.metadata.language, self.own_direction
        self.add(Spacer(0, self.ctx.geometry.frame_height * _COVER_DROP),
                 Destination(part.anchor, self.pages, (part.title, 0)),
                 self.text(part.title, "cover-title", language, direction=direction(part.title)))
        if part.subtitle:
            self.add(self.text(part.subtitle, "subtitle", language, direction=direction(part.subtitle)))
        for line in part.lines:
            self.add(self.text(line, "cover-meta", language, direction=direction(line)))
        self.under_cover = True

    def contents(self, part: m.Contents) -> None:
        """The heading, then one row per entry (an article, its headings indented below it) with
        the page its target lands on, each row a link to it."""
        ctx = self.ctx
        self.page_break()
        # a right-to-left document's contents are mirrored: titles flush right, page numbers left
        rtl = self.doc.metadata.direction == "rtl"
        self.add(Destination(part.anchor, self.pages, (part.heading, int(self.under_cover))),
                 self.text(part.heading, "toc-heading", self.doc.metadata.language,
                           direction=self.own_direction(part.heading)))
        entry = ctx.pstyle("toc-entry")
        number_width = entry.fontSize * 3.5
        rows: list[list] = []

        def add_rows(entries: tuple[m.ContentsEntry, ...], depth: int) -> None:
            for item in entries:
                markup = f'<a href="#{escape_attr(item.target)}">{ctx.markup.render_text(item.text, "toc-entry")}</a>'
                indent = depth * entry.fontSize * 1.5
                pstyle = ctx.pstyle("toc-entry", item.language, **({"rightIndent": indent, "alignment": TA_RIGHT}
                                                                    if rtl else {"leftIndent": indent}))
                title = LinearParagraph(markup, pstyle)
                title.rtl = rtl
                number = PageNumberSlot(item.target, number_width, entry.leading, self.numbers)
                rows.append([number, title] if rtl else [title, number])
                add_rows(item.children, depth + 1)

        add_rows(part.entries, 0)
        if not rows:
            rows.append([LinearParagraph(ctx.markup.render_text(part.empty_text or "", "toc-entry"), entry), ""])
        widths = [ctx.geometry.frame_width - number_width, number_width]
        titles, numbers = (1, 0) if rtl and part.entries else (0, 1)
        # a row per entry: laid out a page at a time (reportlab's Table is quadratic in its rows)
        self.add(PagedTable(rows, widths[::-1] if titles else widths,
                            self.table_style("toc-entry", [
                                # a title that wraps has its page number beside its last line
                                ("VALIGN", (titles, 0), (titles, -1), "TOP"), ("VALIGN", (numbers, 0), (numbers, -1), "BOTTOM"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), entry.spaceBefore),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), entry.spaceAfter),
                            ])))

    def key_quotes(self, part: m.KeyQuotes) -> None:
        """Speaker | quote | article.  Each quote links to the block it sits in; the article is
        named (and linked) on the first row of its run of rows, the cells below it left empty."""
        ctx = self.ctx
        key = "key-quotes-item"
        # a right-to-left document's table is mirrored: article | quote | speaker, set flush right
        rtl = self.doc.metadata.direction == "rtl"
        self.add(Spacer(0, ctx.em("body")),
                 Destination(part.anchor, self.pages, (part.heading, int(self.under_cover))),
                 self.text(part.heading, "key-quotes-heading", self.doc.metadata.language,
                           direction=self.own_direction(part.heading)))
        aligned = {"alignment": TA_RIGHT} if rtl else {}

        # Cells are LinearParagraphs: each is measured once for the whole table and wrapped again
        # when its page's part is drawn, and these keep their line breaks per width instead of
        # breaking them again.  Texts drawn whole in one face (bold for speakers) need no markup
        # at all.  No cell is hyphenated (a narrow column would break every other line), and only
        # the quotes keep the element's slant: names and titles stand upright.
        def cell(text: str, bold: bool | None = None, italic: bool | None = None, link: str | None = None):
            font = ctx.markup.plain_font(text, key, bold=bold, italic=italic) if link is None else None
            if font is not None:
                para = LinearParagraph.of_plain_text(text, ctx.pstyle(key, None, fontName=font, **aligned))
            else:
                markup = ctx.markup.render_text(text, key, bold=bold, italic=italic)
                if link is not None:
                    markup = f'<a href="#{escape_attr(link)}">{markup}</a>'
                para = LinearParagraph(markup, ctx.pstyle(key, None, **aligned))
            para.rtl = rtl
            return para

        def in_order(cells: list) -> list:
            return cells[::-1] if rtl else cells

        rows: list[list] = [in_order([cell(text, bold=True, italic=False) for text in part.columns])]
        for row in part.rows:
            rows.append(in_order([cell(row.speaker, bold=True, italic=False),
                                  cell(row.text, link=row.quote_anchor),
                                  cell(row.article, italic=False, link=row.article_anchor) if row.article is not None else ""]))
        width = ctx.geometry.frame_width
        el = ctx.style.block(key)
        self.add(PagedTable(rows, in_order([width * share for share in _KEY_QUOTE_COLUMNS]), self.table_style(key, [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ctx.palette.color(el.color)),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, ctx.palette.color("#999999")),
            ("LEFTPADDING", (0, 0), (-1, -1), 6 if rtl else 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0 if rtl else 6),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]), header_rows=1))

    def table_style(self, key: str, commands: list) -> TableStyle:
        """A TableStyle whose cell font is the element's own: reportlab's Table sets its default
        (Helvetica, a standard-14 font that would not be embedded) on the canvas for every cell."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.ctx.font(key, bold=False)),
                           ("FONTSIZE", (0, 0), (-1, -1), self.ctx.style.block(key).size), *commands])

    def page_break(self) -> None:
        if self.story:
            self.add(PageBreak())

    # -- an article ----------------------------------------------------------------------------
    def article(self, part: m.ArticlePart) -> None:
        ctx, title, language = self.ctx, part.title, part.language
        if part.new_page:
            self.page_break()
        elif self.story:
            self.add(Spacer(0, ctx.em("body") * 2))
        outline_level = part.level - 1
        # the article's own destination names it in the outline (its headline, or the title cut
        # from the lede as a pointer) and tells the running heads where it starts
        self.add(Destination(part.anchor, self.pages, (title.toc_text, outline_level),
                             on_page=lambda page, running=part.running: self.running.start(page, running)),
                 Destination(title.anchor, self.pages))
        direction = part.direction
        if title.headline is not None:
            self.add(self.text(title.headline, "title", language, direction=direction))
            if title.standfirst:
                self.add(self.text(title.standfirst, "subtitle", language, direction=direction))
            if title.meta_line:
                self.add(self.text(title.meta_line, "meta-line", language, direction=direction))
        else:
            # no headline of its own: the meta line stands where it would (the presentation
            # layer's headline policy); with neither, the article opens with its lede
            if title.meta_line:
                self.add(self.text(title.meta_line, "meta-line", language, direction=direction))
            if title.standfirst:
                self.add(self.text(title.standfirst, "subtitle", language, direction=direction))
        body = _BodyRenderer(self, language, part.level, part.direction)
        for block in part.blocks:
            self.add(*body.block(block))
        if part.speaker_notes is not None:
            notes = part.speaker_notes
            self.section_heading(notes.anchor, notes.heading, "related-heading", language, part.level)
            for note in notes.notes:
                # the name links back to the quote's note number
                markup = (f'<a name="{escape_attr(note.anchor)}"/><a href="#{escape_attr(note.label_anchor)}">'
                          f'{ctx.markup.render_text(note.speaker, "related-item")}</a>')
                self.add(LinearParagraph(markup, ctx.pstyle("related-item", language, leftIndent=ctx.em("related-item") * 1.6),
                                         bulletText=f"{note.number}.", keep_limit=ctx.keep_limit))
        if part.related is not None:
            self.section_heading(part.related.anchor, part.related.heading, "related-heading", language, part.level)
            for entry in part.related.entries:
                markup = ctx.markup.render_text(entry.title, "related-item", bold=True)
                if entry.summary:
                    markup += ctx.markup.render_text(RELATED_SEPARATOR + entry.summary, "related-item")
                self.add(self.para(markup, "related-item", language))
        if part.dropped is not None:
            self.section_heading(part.dropped.anchor, part.dropped.heading, "dropped-heading", language, part.level)
            for dropped in part.dropped.entries:
                markup = (ctx.markup.render_text(f"{dropped.label}: ", "dropped-item", bold=True)
                          + ctx.markup.render_text(dropped.text, "dropped-item"))
                self.add(self.para(markup, "dropped-item", language))

    def section_heading(self, anchor: str, heading: str, key: str, language: str, level: int) -> None:
        self.add(Destination(anchor, self.pages, (heading, level)), self.text(heading, key, language))


class _BodyRenderer:
    """An article's blocks to flowables.  A block's element key comes with it (``lede``,
    ``body``, ``blockquote``, ``list``; ``heading-N``); block quotes and lists add indents."""

    def __init__(self, story: StoryRenderer, language: str, heading_base: int, direction: str = "ltr") -> None:
        self.story, self.ctx, self.language, self.direction = story, story.ctx, language, direction
        self.heading_base = heading_base
        self.last_outline_level = heading_base - 1

    def anchor(self, anchor: str | None) -> list[Flowable]:
        return [Destination(anchor, self.story.pages)] if anchor else []

    def pstyle(self, key: str, indent: float, direction: str | None, **overrides) -> ParagraphStyle:
        if indent:
            overrides["leftIndent"] = indent
        if (direction or self.direction) == "rtl" and self.ctx.style.block(key).align == "left":
            overrides["alignment"] = TA_RIGHT          # a right-to-left paragraph is set flush right
        return self.ctx.pstyle(key, self.language, **overrides)

    def directed(self, para: LinearParagraph, direction: str | None) -> LinearParagraph:
        para.rtl = (direction or self.direction) == "rtl"
        return para

    def paragraph(self, block: m.TextBlock, indent: float = 0.0, bullet: str | None = None,
                  bullet_indent: float = 0.0) -> list[Flowable]:
        ctx = self.ctx
        overrides = {"bulletIndent": bullet_indent} if bullet is not None else {}
        pstyle = self.pstyle(block.style_key, indent, block.direction, **overrides)
        out = self.anchor(block.anchor)
        # Text (with highlighted quotes, maybe) and nothing else needs no markup and takes
        # reportlab's fast path.
        plain = ctx.markup.plain_with_highlights(block.runs, block.style_key) if pstyle.backColor is None else None
        if plain is not None and plain.ranges and RTL_CHARS.search(plain.text):
            plain = None             # the highlight walk reads lines in logical order: reportlab's spans do
        if plain is not None and plain.text.strip():
            return out + [self.directed(LinearParagraph.of_plain_text(
                plain.text, pstyle, highlights=plain if plain.ranges else None, keep_limit=ctx.keep_limit,
                bulletText=bullet), block.direction)]
        if plain is None and pstyle.backColor is None:
            # text in several faces and colours (a quote in italics, a speaker label) and nothing
            # else: the fragments without the markup parse
            pieces = ctx.markup.plain_pieces(block.runs, block.style_key)
            if pieces and "".join(piece.text for piece in pieces).strip():
                return out + [self.directed(LinearParagraph.of_plain_pieces(
                    pieces, pstyle, keep_limit=ctx.keep_limit, bulletText=bullet), block.direction)]
        markup = ctx.markup.render(block.runs, block.style_key)
        if not markup.strip():
            if bullet is None:
                return out
            markup = "\u00a0"        # an empty list item still shows its bullet
        return out + [self.directed(LinearParagraph(markup, pstyle, keep_limit=ctx.keep_limit, bulletText=bullet),
                                    block.direction)]

    def block(self, block: m.Block, indent: float = 0.0) -> list[Flowable]:
        ctx = self.ctx
        match block:
            case m.TextBlock():
                return self.paragraph(block, indent)
            case m.HeadingBlock(level=level, style_key=key, runs=runs, text=text, anchor=anchor, direction=direction):
                pstyle = self.pstyle(key, indent, direction)
                pieces = ctx.markup.plain_pieces(runs, key) if pstyle.backColor is None else None
                if pieces is not None:        # text and quotes only: no markup to parse
                    if not "".join(piece.text for piece in pieces).strip():
                        return []
                    para = LinearParagraph.of_plain_pieces(pieces, pstyle, keep_limit=ctx.keep_limit)
                else:
                    markup = ctx.markup.render(runs, key)
                    if not markup.strip():
                        return []
                    para = LinearParagraph(markup, pstyle, keep_limit=ctx.keep_limit)
                # Outline levels may only go one deeper at a time.
                outline_level = min(self.heading_base + level - 1, self.last_outline_level + 1)
                self.last_outline_level = outline_level
                return [Destination(anchor, self.story.pages, (text, outline_level) if text else None),
                        self.directed(para, direction)]
            case m.QuoteBlock(blocks=inner, anchor=anchor):
                step = ctx.em() * _BLOCKQUOTE_INDENT_EM
                out = self.anchor(anchor)
                for child in inner:
                    out.extend(self.block(child, indent + step))
                return out
            case m.ListBlock():
                return self.anchor(block.anchor) + self._list(block, indent)
            case m.RuleBlock(anchor=anchor):
                el = ctx.style.block("body")
                return self.anchor(anchor) + [HRFlowable(width="100%", thickness=0.5, color=ctx.palette.color(el.color),
                                                         spaceBefore=el.size * 0.6, spaceAfter=el.size * 0.6)]
            case _:
                raise m.UnknownPartError(block, "pdf writer")

    def _list(self, block: m.ListBlock, indent: float, depth: int = 0) -> list[Flowable]:
        """List items as paragraphs with a bullet (or number) hanging in the indent: they split
        across pages like any paragraph (reportlab's ListFlowable cannot split a long item)."""
        step = self.ctx.style.block("list").size * _LIST_INDENT_EM
        left = indent + step
        out: list[Flowable] = []
        for number, item_blocks in enumerate(block.items, 1):
            bullet: str | None = f"{number}." if block.ordered else _BULLETS[depth % len(_BULLETS)]
            for child in item_blocks:
                match child:
                    case m.ListBlock():
                        if bullet is not None:      # an item that starts with a list still shows its bullet
                            out.extend(self.paragraph(m.TextBlock(style_key="list", runs=()), left, bullet, indent))
                            bullet = None
                        out.extend(self.anchor(child.anchor))
                        out.extend(self._list(child, left, depth + 1))
                    case m.TextBlock() if bullet is not None:
                        out.extend(self.paragraph(child, left, bullet, indent))
                        bullet = None
                    case _:
                        out.extend(self.block(child, left))
            if bullet is not None:
                out.extend(self.paragraph(m.TextBlock(style_key="list", runs=()), left, bullet, indent))
        return out


# ---------------------------------------------------------------------------- document level
def build_pdf(doc: m.PresentedDocument, ctx: PdfContext, out: BinaryIO) -> None:
    """Render the presented document and lay it out on pages, writing the PDF to ``out``."""
    renderer = StoryRenderer(ctx, doc)
    story = renderer.render()
    style, g, meta = ctx.style, ctx.geometry, doc.metadata
    creator = f"exporter {__version__}"
    pdf = ArticleDocTemplate(
        out,
        pagesize=(g.width, g.height),
        leftMargin=g.margin_left, rightMargin=g.margin_right,
        topMargin=g.margin_top, bottomMargin=g.margin_bottom,
        title=meta.title, author=meta.author or "", subject=meta.subtitle or "",
        keywords=list(meta.keywords), creator=creator, producer=creator,
        invariant=1, lang=meta.language if meta.language != "und" else None,
        initialFontName=ctx.font("body", bold=False), initialFontSize=style.block("body").size,
        enforceColorSpace=ctx.palette.enforcer(),
        cropMarks=g.crop_marks_bag(registration_black(ctx.palette.cmyk)),
        displayDocTitle=1 if meta.title else None,
        **g.boxes(),
    )
    frame = Frame(g.margin_left, g.margin_bottom, g.frame_width, g.frame_height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
    pdf.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    painter = FurniturePainter(geometry=g, markup=ctx.markup, paragraph_style=ctx.pstyle,
                               furniture=doc.furniture, running=renderer.running)
    callbacks = {InlineMarkup.SPEAKER_CALLBACK: _speaker_annotation(ctx),
                 InlineMarkup.MARGIN_CALLBACK: _margin_note(ctx)}

    def paint_page(canv, page: int, pages: int) -> None:
        painter(canv, page, pages)
        renderer.numbers(canv, page, pages)

    def make_canvas(*args, **kwargs):
        return DeferredCanvas(*args, painter=paint_page, build_time=ctx.options.build_time, callbacks=callbacks, **kwargs)

    # A zero-size last flowable: reportlab loops on a keep-with-next paragraph that ends the story.
    story.append(Spacer(0, 0))
    try:
        pdf.build(story, canvasmaker=make_canvas)
    except LayoutError:
        raise RenderError(f"pdf: the text area of the page ({g.frame_width:.0f} x {g.frame_height:.0f} pt) "
                          "is too small for the article's content") from None
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise RenderError(f"pdf: layout failed: {exc}") from exc


def _margin_note(ctx: PdfContext):
    """onDraw callback: a margin speaker label, right-aligned in the left margin with its first
    baseline on the baseline of the line the quote starts on, in the ``speaker-label`` look."""
    width = max(24.0, ctx.geometry.margin_left - _MARGIN_NOTE_GAP - 4.0)

    def callback(canv, kind, label):
        try:
            text = ctx.markup.margin_notes.texts[int(label)]
        except (TypeError, ValueError, IndexError):
            return
        info = getattr(canv, "_curr_tx_info", None) or {}
        baseline = float(info.get("cur_y", 0.0))
        face, color = ctx.markup.label_face("body")
        markup = ctx.markup.text_in_face(text, face)
        pstyle = ctx.pstyle("body", None, fontName=ctx.markup._face(face)[1], fontSize=face.size,
                            leading=face.size * 1.15, textColor=ctx.palette.color(color), alignment=TA_RIGHT,
                            spaceBefore=0, spaceAfter=0, firstLineIndent=0, leftIndent=0, hyphenationLang="")
        note = LinearParagraph(markup, pstyle)
        _, height = note.wrap(width, 10_000)
        # paragraph-local coordinates: x 0 is the text area's left edge
        note.drawOn(canv, -(width + _MARGIN_NOTE_GAP), baseline - height + face.size)
    return callback


def _speaker_annotation(ctx: PdfContext):
    """onDraw callback: a hover note naming the speaker, in the margin beside the quote's line
    (an extra: the visible form is the speaker label)."""
    # the note icon in the highlight colour, in the document's colour space (4 components = CMYK)
    el = ctx.style.inline("quote-speech")
    color = ctx.palette.color(el.background or el.color)
    note_color = ([round(v, 4) for v in (color.cyan, color.magenta, color.yellow, color.black)] if ctx.palette.cmyk
                  else [round(v, 4) for v in (color.red, color.green, color.blue)])

    def callback(canv, kind, label):
        try:
            speaker = ctx.markup.speakers.texts[int(label)]
        except (TypeError, ValueError, IndexError):
            return
        info = getattr(canv, "_curr_tx_info", None) or {}
        _, y = canv.absolutePosition(0, float(info.get("cur_y", 0.0)))
        x = max(2.0, ctx.geometry.margin_left / 2 - 8.0)   # centred in the left margin
        canv.textAnnotation(speaker, Rect=(x, y - 2, x + 12, y + 10), relative=0,
                            Name="/Comment", F=8 | 16,  # NoZoom, NoRotate; not printed
                            Color=note_color)
    return callback
