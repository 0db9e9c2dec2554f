"""The PDF writer: print-ready PDF through reportlab platypus.

Layout of the work:
- :class:`PdfContext` holds what one PDF build needs (style, fonts, colours, the font resolver,
  ParagraphStyles per semantic key).
- :func:`article_flowables` renders ONE article to flowables; the document-level code
  (:func:`build_pdf`) lays flowables out on pages.  A briefing renders many articles through the
  same function and adds its own cover and contents around them.
- Inline markup and escaping live in ``_pdf_markup``; pages, furniture and the canvas in ``_pdf_page``.

Only reportlab (and pyphen, through reportlab's hyphenation) is imported here: exporting a PDF
never imports python-docx or ebooklib.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import Flowable, HRFlowable, Spacer

from ...ast import (Article, BlockQuote, Heading, ListBlock, Paragraph, Rule, UnknownNodeError,
                   inline_text)
from ...briefing import Briefing
from ...errors import RenderError
from ...links import warn_once
from .. import RenderOptions
from .hyphen import hyphenator_for
from .markup import InlineMarkup, Palette, SpeakerNotes, font_name_for, paragraph_style
from .page import (ArticleDocTemplate, DeferredCanvas, FurniturePainter, LinearParagraph,
                        OutlineMarker, PageGeometry, registration_black)

if TYPE_CHECKING:  # pragma: no cover
    from ...style.model import Style

# Second line of defence behind escaping: even if markup reached reportlab, it may not fetch any
# URL (no trusted host) and no scheme is trusted for resources.
rl_config.trustedHosts = None
rl_config.trustedSchemes = []
# Plain Flate streams: ASCII85 on top only makes files bigger and slower to write.
rl_config.useA85 = 0

UNTITLED = "Untitled"
_SEPARATOR = " \u00b7 "          # between byline, source and date in the meta line
_BLOCKQUOTE_INDENT_EM = 1.5
_LIST_INDENT_EM = 1.4


def _creator() -> str:
    # the package's own version string (what ``exporter --version`` prints): asking
    # importlib.metadata scans every installed distribution, ~5-10 ms in a fresh process
    from ...version import __version__

    return f"exporter {__version__}"


def hyphenation_language(tag: str | None):
    """The hyphenator for a BCP 47 tag (a callable reportlab accepts as ``hyphenationLang``), or
    '' when there is no dictionary for the language."""
    return hyphenator_for(tag) or ""


# ------------------------------------------------------------------------------------- context
@dataclass
class PdfContext:
    """Everything one PDF build shares across the articles in it."""

    style: "Style"
    options: RenderOptions
    language: str | None
    palette: Palette = field(init=False)
    resolver: object = field(init=False)
    notes: SpeakerNotes = field(init=False)
    markup: InlineMarkup = field(init=False)
    geometry: PageGeometry = field(init=False)
    hyphenation: object = field(init=False)
    _styles: dict = field(init=False, default_factory=dict)
    _keys: itertools.count = field(init=False, default_factory=itertools.count)

    def __post_init__(self) -> None:
        from ...style.fonts import FontResolver

        self.palette = Palette(cmyk=self.style.page.color_mode == "cmyk")
        self.resolver = FontResolver(self.style)
        self.notes = SpeakerNotes()
        self.markup = InlineMarkup(self.style, self.resolver, self.palette, self.notes,
                                   warn=warn_once(self.options.warn))
        self.geometry = PageGeometry.from_style(self.style)
        self.hyphenation = hyphenation_language(self.language)

    @property
    def marking(self) -> str | None:
        marking = self.options.marking if self.options.marking is not None else self.style.marking
        return marking or None

    def pstyle(self, key: str, **overrides) -> ParagraphStyle:
        """The ParagraphStyle of a semantic key (cached; overrides make a variant)."""
        cache_key = (key, tuple(sorted(overrides.items())))
        found = self._styles.get(cache_key)
        if found is None:
            found = paragraph_style(self.style, key, self.palette, self.hyphenation, **overrides)
            self._styles[cache_key] = found
        return found

    @property
    def keep_limit(self) -> tuple[float, float]:
        """Paragraphs taller than half the text area are never kept with the next one."""
        return self.geometry.frame_width, self.geometry.frame_height / 2

    def next_key(self) -> str:
        return f"o{next(self._keys)}"

    def em(self, key: str = "body") -> float:
        return self.style.block(key).size


# ---------------------------------------------------------------------------- one article
def article_flowables(article: Article, ctx: PdfContext, outline_level: int = 0) -> list[Flowable]:
    """The flowables of one article: title block, body, optional sections.  Outline entries start
    at ``outline_level`` for the title (a briefing passes 1 to nest articles under itself)."""
    out: list[Flowable] = []
    meta = article.meta
    title = document_title(article)
    out.append(OutlineMarker(ctx.next_key(), title, outline_level))
    out.append(_para(ctx.markup.render_text(title, "title"), ctx.pstyle("title"), ctx))
    if meta.subtitle and one_line(meta.subtitle):
        out.append(_para(ctx.markup.render_text(one_line(meta.subtitle), "subtitle"), ctx.pstyle("subtitle"), ctx))
    parts = meta_line_parts(article)
    if parts:
        out.append(_para(ctx.markup.render_text(_SEPARATOR.join(parts), "meta-line"), ctx.pstyle("meta-line"), ctx))

    body = _BodyRenderer(ctx, outline_level + 1)
    for index, block in enumerate(article.body):
        # The first paragraph of the body is the lede (as in the DOCX and EPUB writers).
        key = "lede" if index == 0 and isinstance(block, Paragraph) else "body"
        out.extend(body.block(block, key))

    sections = ctx.style.sections
    if sections.related and article.related:
        out.extend(_related(article, ctx, outline_level + 1))
    if sections.dropped and article.dropped:
        out.extend(_dropped(article, ctx, outline_level + 1))
    return [f for f in out if f is not None]


def one_line(text: str) -> str:
    return " ".join(text.split())


def document_title(article: Article) -> str:
    return one_line(article.meta.title or "") or UNTITLED


def meta_line_parts(article: Article) -> list[str]:
    """"byline · source · date" with the empty parts left out."""
    m = article.meta
    return [one_line(p) for p in (m.byline, m.source, m.date) if p and one_line(p)]


def _para(markup: str, pstyle: ParagraphStyle, ctx: "PdfContext") -> Flowable | None:
    if not markup.strip():
        return None
    return LinearParagraph(markup, pstyle, keep_limit=ctx.keep_limit)


class _BodyRenderer:
    """Body blocks to flowables.  ``key`` is the block element a paragraph takes in its context
    (``body``, ``blockquote``, ``list``)."""

    def __init__(self, ctx: PdfContext, heading_base: int) -> None:
        self.ctx = ctx
        self.heading_base = heading_base
        self.last_outline_level = heading_base - 1

    def paragraph(self, content, key: str, indent: float = 0.0, bullet: str | None = None,
                  bullet_indent: float = 0.0) -> list[Flowable]:
        ctx = self.ctx
        overrides = {"leftIndent": indent} if indent else {}
        if bullet is not None:
            overrides["bulletIndent"] = bullet_indent
        pstyle = ctx.pstyle(key, **overrides)
        # Text (with highlighted quotes, maybe) and nothing else needs no markup and takes
        # reportlab's fast path.
        plain = ctx.markup.plain_with_highlights(content, key) if pstyle.backColor is None else None
        if plain is not None and plain.text.strip():
            return [LinearParagraph.of_plain_text(plain.text, pstyle, highlights=plain if plain.ranges else None,
                                                  keep_limit=ctx.keep_limit, bulletText=bullet)]
        markup = ctx.markup.render(content, key)
        if not markup.strip():
            if bullet is None:
                return []
            markup = "\u00a0"        # an empty list item still shows its bullet
        return [LinearParagraph(markup, pstyle, keep_limit=ctx.keep_limit, bulletText=bullet)]

    def block(self, block, key: str, indent: float = 0.0) -> list[Flowable]:
        ctx = self.ctx
        match block:
            case Paragraph(content=content):
                return self.paragraph(content, key, indent)
            case Heading(level=level, content=content):
                hkey = f"heading-{level}"
                markup = ctx.markup.render(content, hkey)
                if not markup.strip():
                    return []
                # Outline levels may only go one deeper at a time.
                outline_level = min(self.heading_base + level - 1, self.last_outline_level + 1)
                self.last_outline_level = outline_level
                overrides = {"leftIndent": indent} if indent else {}
                return [OutlineMarker(ctx.next_key(), " ".join(inline_text(content).split()), outline_level),
                        LinearParagraph(markup, ctx.pstyle(hkey, **overrides), keep_limit=ctx.keep_limit)]
            case BlockQuote(content=inner):
                step = ctx.em() * _BLOCKQUOTE_INDENT_EM
                out: list[Flowable] = []
                for child in inner:
                    child_key = "blockquote" if key == "body" else key
                    out.extend(self.block(child, child_key, indent + step))
                return out
            case ListBlock():
                return self._list(block, key, indent)
            case Rule():
                el = ctx.style.block("body")
                return [HRFlowable(width="100%", thickness=0.5, color=ctx.palette.color(el.color),
                                   spaceBefore=el.size * 0.6, spaceAfter=el.size * 0.6)]
            case _:
                raise UnknownNodeError(block, "pdf writer")

    def _list(self, block: ListBlock, key: str, indent: float, depth: int = 0) -> list[Flowable]:
        """List items as paragraphs with a bullet (or number) hanging in the indent: they split
        across pages like any paragraph (reportlab's ListFlowable cannot split a long item)."""
        item_key = "list" if key in ("body", "list") else key
        step = self.ctx.style.block(item_key).size * _LIST_INDENT_EM
        left = indent + step
        out: list[Flowable] = []
        for number, item_blocks in enumerate(block.items, 1):
            bullet: str | None = f"{number}." if block.ordered else ("\u2022", "\u2013", "\u25e6")[depth % 3]
            for child in item_blocks:
                if isinstance(child, ListBlock):
                    if bullet is not None:      # an item that starts with a list still shows its bullet
                        out.extend(self.paragraph((), item_key, left, bullet, indent))
                        bullet = None
                    out.extend(self._list(child, item_key, left, depth + 1))
                elif isinstance(child, Paragraph) and bullet is not None:
                    out.extend(self.paragraph(child.content, item_key, left, bullet, indent))
                    bullet = None
                else:
                    out.extend(self.block(child, item_key, left))
            if bullet is not None:
                out.extend(self.paragraph((), item_key, left, bullet, indent))
        return out


def _related(article: Article, ctx: PdfContext, level: int) -> list[Flowable]:
    heading = "Related"
    out: list[Flowable] = [OutlineMarker(ctx.next_key(), heading, level),
                           _para(ctx.markup.render_text(heading, "related-heading"), ctx.pstyle("related-heading"), ctx)]
    for item in article.related:
        markup = ctx.markup.render_text(item.title, "related-item", bold=True)
        if item.summary:
            markup += "<br/>" + ctx.markup.render_text(item.summary, "related-item")
        out.append(_para(markup, ctx.pstyle("related-item"), ctx))
    return out


def _dropped(article: Article, ctx: PdfContext, level: int) -> list[Flowable]:
    heading = "Dropped lines"
    out: list[Flowable] = [OutlineMarker(ctx.next_key(), heading, level),
                           _para(ctx.markup.render_text(heading, "dropped-heading"), ctx.pstyle("dropped-heading"), ctx)]
    for item in article.dropped:
        label = ctx.markup.render_text(f"line {item.line} \u00b7 {item.reason}: ", "dropped-item", bold=True)
        out.append(_para(label + ctx.markup.render_text(item.text, "dropped-item"), ctx.pstyle("dropped-item"), ctx))
    return out


# ---------------------------------------------------------------------------- document level
@dataclass(frozen=True)
class DocumentInfo:
    title: str | None
    author: str | None
    subject: str | None
    keywords: tuple[str, ...]
    language: str | None
    source: str | None
    date: str | None

    @classmethod
    def for_article(cls, article: Article) -> "DocumentInfo":
        m = article.meta
        return cls(document_title(article), one_line(m.byline or "") or None, one_line(m.subtitle or "") or None,
                   tuple(m.tags), m.language, one_line(m.source or m.site or "") or None, one_line(m.date or "") or None)


def build_pdf(story: list[Flowable], ctx: PdfContext, info: DocumentInfo, out: BinaryIO,
              page_painters: tuple = ()) -> None:
    """Lay the flowables out on pages and write the PDF to ``out``.  ``page_painters`` are called
    as ``painter(canvas, page, pages)`` after the furniture of each page, once every page is laid
    out (a briefing's contents fill in page numbers that way)."""
    style, g = ctx.style, ctx.geometry
    body_font = font_name_for(style.fonts[style.block("body").family].face(False, False))
    doc = ArticleDocTemplate(
        out,
        pagesize=(g.width, g.height),
        leftMargin=g.margin_left, rightMargin=g.margin_right,
        topMargin=g.margin_top, bottomMargin=g.margin_bottom,
        title=info.title or "", author=info.author or "", subject=info.subject or "",
        keywords=list(info.keywords), creator=_creator(), producer=_creator(),
        invariant=1, lang=info.language or None,
        initialFontName=body_font, initialFontSize=style.block("body").size,
        enforceColorSpace=ctx.palette.enforcer(),
        cropMarks=g.crop_marks_bag(registration_black(ctx.palette.cmyk)),
        displayDocTitle=1 if info.title else None,
        **g.boxes(),
    )
    frame = Frame(g.margin_left, g.margin_bottom, g.frame_width, g.frame_height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    painter = FurniturePainter(
        style=style, geometry=g, markup=ctx.markup, paragraph_style=ctx.pstyle,
        fields={"title": info.title or "", "source": info.source or "", "date": info.date or ""},
        marking=ctx.marking,
    )
    callbacks = {InlineMarkup.SPEAKER_CALLBACK: _speaker_annotation(ctx)}

    def paint_page(canv, page: int, pages: int) -> None:
        painter(canv, page, pages)
        for extra in page_painters:
            extra(canv, page, pages)

    def make_canvas(*args, **kwargs):
        return DeferredCanvas(*args, painter=paint_page, build_time=ctx.options.build_time, callbacks=callbacks, **kwargs)

    # A zero-size last flowable: reportlab loops on a keep-with-next paragraph that ends the story.
    story = list(story) + [Spacer(0, 0)]
    try:
        doc.build(story, canvasmaker=make_canvas)
    except LayoutError:
        raise RenderError(f"pdf: the text area of the page ({g.frame_width:.0f} x {g.frame_height:.0f} pt) "
                          "is too small for the article's content") from None
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise RenderError(f"pdf: layout failed: {exc}") from exc


def _speaker_annotation(ctx: PdfContext):
    """onDraw callback: a hover note naming the speaker, in the margin beside the quote's line."""
    # the note icon in the highlight colour, in the document's colour space (4 components = CMYK)
    el = ctx.style.inline("quote-speech")
    color = ctx.palette.color(el.background or el.color)
    note_color = ([round(v, 4) for v in (color.cyan, color.magenta, color.yellow, color.black)] if ctx.palette.cmyk
                  else [round(v, 4) for v in (color.red, color.green, color.blue)])

    def callback(canv, kind, label):
        try:
            speaker = ctx.notes.speakers[int(label)]
        except (TypeError, ValueError, IndexError):
            return
        info = getattr(canv, "_curr_tx_info", None) or {}
        _, y = canv.absolutePosition(0, float(info.get("cur_y", 0.0)))
        x = max(2.0, ctx.geometry.margin_left / 2 - 8.0)   # centred in the left margin
        canv.textAnnotation(f"Speaker: {speaker}", Rect=(x, y - 2, x + 12, y + 10), relative=0,
                            Name="/Comment", F=8 | 16,  # NoZoom, NoRotate; not printed
                            Color=note_color)
    return callback


# ------------------------------------------------------------------------------------ the writer
class PdfWriter:
    name: ClassVar[str] = "pdf"
    media_type: ClassVar[str] = "application/pdf"
    extension: ClassVar[str] = "pdf"
    uses_style: ClassVar[bool] = True

    def write(self, document: "Article | Briefing", style: "Style", out: BinaryIO, options: RenderOptions) -> None:
        if style is None:
            raise RenderError("pdf: a style is required")
        match document:
            case Article():
                ctx = PdfContext(style=style, options=options, language=document.meta.language)
                story = article_flowables(document, ctx)
                build_pdf(story, ctx, DocumentInfo.for_article(document), out)
                from ...style.fonts import SHOWN_IN_PDF
                ctx.resolver.warn_uncovered(options.warn, SHOWN_IN_PDF)
            case Briefing():
                # the same article_flowables, once per article, behind a cover, contents and key quotes
                from .briefing import write_briefing

                write_briefing(document, style, out, options)
            case _:
                raise UnknownNodeError(document, "pdf writer")
