"""The DOCX writer: a Word document an editor would accept as hand-made.

Layout: :class:`DocxComposer` is one .docx being built — its package (opened by python-docx from a
small template made from the style, see ``_docx_styles``), the running ids (bookmarks, comments,
list numbering) and the page furniture.  :meth:`DocxComposer.render_article` renders ONE article
into it.  :class:`DocxWriter` dispatches on the document: :func:`write_article` for one article,
:func:`write_briefing` for a briefing — a cover, the contents (a TOC field Word updates, its result
pre-filled with the articles' titles, each linked to ``<id>_title``), the key quotes (a Word table
with a repeated header row), then every article through the same ``render_article``, each with its
briefing id as bookmark prefix and, when articles start a page, a section of its own whose running
header and footer describe it.  The marking (option, else briefing, else style) is in every
section's header and footer, the cover's included.

The body is generated as WordprocessingML text with every piece of article text escaped (nothing
in it is ever interpreted) and parsed once; python-docx supplies the package, relationships,
header/footer parts, comments and core properties.  Saving writes the zip ourselves so entry
order and timestamps are fixed; closing breaks python-docx's part <-> package reference cycles so a
batch does not wait on the garbage collector.
"""
from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.parts.hdrftr import FooterPart, HeaderPart
from docx.oxml import parse_xml
from docx.package import Package
from lxml import etree

from ...ast import (
    Article, BlockQuote, Break, Emphasis, Heading, Link, ListBlock, Paragraph, Quote, Rule, Strong,
    Text, UnknownNodeError,
)
from ...briefing import Briefing
from ...errors import RenderError
from ...links import safe_link, warn_once
from ...style.fontfile import font_file_problem
from .. import RenderOptions
from .fields import (
    TOC_INSTRUCTION, bookmark_end_xml, bookmark_name, bookmark_start_xml, clean_text, field_xml,
    run_content_xml, toc_field_parts, truncate,
)
from .styles import (
    BULLET_NUM_ID, COMMENT_REFERENCE_STYLE_ID, HYPERLINK_STYLE_ID, LIST_INDENT_TW, MARKING_STYLE_ID, NSDECLS,
    ORDERED_ABSTRACT_ID, PARAGRAPH_STYLE_ID, QUOTE_STYLE_ID, W_NS, attr, hex_color, template_package, tw,
)

if TYPE_CHECKING:  # pragma: no cover
    from ...ast import Block, Inline, Meta
    from ...briefing import KeyQuote
    from ...style.model import Furniture, Style

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CORE_PROPERTY_LIMIT = 255          # Word rejects longer core property values
COMMENT_AUTHOR = "exporter"
META_SEPARATOR = " \u00b7 "
SINGLE_META_LINE = ("byline", "source", "date")
BRIEFING_META_LINE = ("source", "site", "date")     # a briefing shows the byline on its own line
UNTITLED = "Untitled"
KEY_QUOTE_COLUMNS = (("Speaker", 0.22), ("Quote", 0.53), ("Article", 0.25))   # share of the text width
TABLE_RULE_COLOR = "BFBFBF"
TABLE_HEAD_FILL = "EDEDED"
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_FURNITURE_FIELD = re.compile(r"\{(title|source|date|page|pages|marking)\}")


class DocxWriter:
    name: ClassVar[str] = "docx"
    media_type: ClassVar[str] = MEDIA_TYPE
    extension: ClassVar[str] = "docx"
    uses_style: ClassVar[bool] = True

    def write(self, document: "Article | Briefing", style: "Style", out: BinaryIO, options: RenderOptions) -> None:
        if style is None:
            raise RenderError("docx: a style is required")
        match document:
            case Article():
                write_article(document, style, out, options)
            case Briefing():
                write_briefing(document, style, out, options)
            case _:
                raise UnknownNodeError(document, "docx writer")


def write_article(article: Article, style: "Style", out: BinaryIO, options: RenderOptions) -> None:
    """One article: its furniture from its own metadata, then :meth:`DocxComposer.render_article`."""
    meta = article.meta
    composer = DocxComposer(style, options, language=meta.language)
    try:
        composer.add_furniture(title=meta.title, source=meta.source or meta.site, date=meta.date)
        composer.render_article(article)
        composer.set_core_properties(
            title=meta.title, author=meta.byline or meta.source or meta.site, subject=meta.subtitle,
            keywords=", ".join(meta.tags), language=composer.language,
        )
        composer.save(out)
    finally:
        composer.close()


def write_briefing(briefing: Briefing, style: "Style", out: BinaryIO, options: RenderOptions) -> None:
    """A briefing: cover, contents (a TOC field), key quotes (a table), then every article through
    the same :meth:`DocxComposer.render_article` a single article uses, each with its own
    bookmark prefix.  The front matter is one section whose running header and footer describe the
    briefing; each article that starts a page is a section of its own.  The marking is in every
    section's header and footer, so on every page, the cover included."""
    meta = briefing.meta
    if options.marking is None and meta.marking is not None:
        options = replace(options, marking=meta.marking)   # the option, else the briefing's, else the style's
    composer = DocxComposer(style, options, language=meta.language)
    try:
        prefixes = briefing_prefixes(briefing)
        sources = [_one_line(name) for name in briefing.sources if _one_line(name)]
        composer.render_cover(briefing, sources)
        entries = [(prefix, _one_line(item.article.meta.title) or UNTITLED)
                   for prefix, item in zip(prefixes, briefing.articles)]
        composer.render_contents(entries)
        # The key-quotes table is made once the articles are rendered, so its links point only at
        # bookmarks that exist; its place in the body is kept.
        table_slot = composer.render_key_quotes_heading() if briefing.key_quotes else None
        quoted_blocks: dict[str, set[int]] = {}
        for quote in briefing.key_quotes:
            quoted_blocks.setdefault(quote.article_id, set()).add(quote.block)
        # The front matter's running header and footer describe the briefing.  When each article
        # starts a page it is a section of its own whose header and footer describe the article;
        # articles that run on share the briefing's (a page may hold several).
        own_sections = style.sections.article_new_page
        furniture = (meta.title, meta.prepared_for and f"Prepared for {_one_line(meta.prepared_for)}", meta.date)
        for position, (prefix, item) in enumerate(zip(prefixes, briefing.articles)):
            if own_sections or position == 0:
                composer.end_section(*furniture)       # the first article always leaves the front matter
            composer.render_article(item.article, prefix, frozenset(quoted_blocks.get(item.id, ())),
                                    meta_line=BRIEFING_META_LINE, untitled=UNTITLED,
                                    language=item.article.meta.language)
            if own_sections:
                article = item.article.meta
                furniture = (_one_line(article.title) or UNTITLED, article.source or article.site, article.date)
        composer.add_furniture(*furniture)
        if table_slot is not None:
            titles: dict[str, tuple[str, str]] = {}
            for (prefix, title), item in zip(entries, briefing.articles):
                titles.setdefault(item.id, (prefix, title))   # the first of a repeated id wins
            composer.render_key_quotes_table(table_slot, briefing.key_quotes, titles)
        composer.ask_to_update_fields()
        composer.set_core_properties(
            title=meta.title, author=None, subject=meta.subtitle, keywords=", ".join(sources),
            language=composer.language,
        )
        composer.save(out)
    finally:
        composer.close()


_PLAIN_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9]{0,15}")


def briefing_prefixes(briefing: Briefing) -> list[str]:
    """A bookmark prefix per article, in order: the briefing's own id (``a01``…) when it is a
    short plain name, else one from its position; unique ignoring case (Word compares bookmark
    names that way), so a briefing read from JSON made elsewhere never breaks a link."""
    prefixes: list[str] = []
    taken: set[str] = set()
    for position, item in enumerate(briefing.articles, start=1):
        candidate = item.id if _PLAIN_PREFIX.fullmatch(item.id) else f"a{position:02d}"
        while candidate.lower() in taken:
            candidate += "x"
        taken.add(candidate.lower())
        prefixes.append(candidate)
    return prefixes


# ------------------------------------------------------------------------------------ contexts
@dataclass(frozen=True, slots=True)
class _RunFormat:
    """What the runs being emitted look like: the block's element key (for font family and faces),
    the character style in force, and direct bold/italic from strong/emphasis."""

    block_key: str
    char_style: str | None = None      # a quote kind's character style id
    char_key: str | None = None        # its semantic key (for its family and faces)
    bold: bool = False
    italic: bool = False
    linked: bool = False               # inside a w:hyperlink already (no nesting)
    style_bold: bool = False           # the paragraph style itself is bold (Marking): faces only
    upright: bool = False              # not italic even where the paragraph style is (table cells)


@dataclass(frozen=True, slots=True)
class _BlockContext:
    """Where a block sits: the paragraph style for plain paragraphs, and list nesting."""

    paragraph_key: str = "body"
    list_depth: int = -1               # -1: not in a list


@dataclass(frozen=True, slots=True)
class _Furniture:
    """One section's running header and footer paragraphs (empty: none), and what its first page
    shows instead when the style leaves first pages bare (the marking only)."""

    header: str
    footer: str
    first_page: tuple[str, str] | None


# ------------------------------------------------------------------------------------- composer
class DocxComposer:
    """One DOCX being built.  Create, add furniture, render articles, set properties, save, close."""

    def __init__(self, style: "Style", options: RenderOptions, language: str | None = None) -> None:
        self.style = style
        self.options = options
        self.language = _language_tag(language)
        marking = options.marking if options.marking is not None else style.marking
        self.marking = clean_text(marking).strip() if marking else ""
        page = style.page
        self._text_width = page.width - page.margin_left - page.margin_right
        template = template_package(style, self.language, self._text_width)
        self.document = _AcyclicPackage.open(io.BytesIO(template)).main_document_part.document
        self._part = self.document.part
        self._relations = _Relations(self._part.rels)
        self._set_page()
        self._body_xml: list[str] = []
        self._comments_xml: list[str] = []
        self._bookmark_id = 0               # unique across the document
        self._bookmark_prefix = "art"       # per article (render_article)
        self._heading_count = 0
        self._pending_anchor: str | None = None   # a block bookmark for the next paragraph
        self._fonts = _FontRuns(style, options)
        self._warn_link = warn_once(options.warn)     # a link that lost its user:password@ part
        self._lede_pending = False
        self._page_break_pending = False    # the next body paragraph starts a new page
        self._run_language = ""             # w:lang for runs of an article in another language
        self._story_count = {True: 0, False: 0}   # header / footer parts made for earlier sections
        self.bookmark_names: set[str] = set()       # every bookmark made so far

    # -- page ------------------------------------------------------------------------------------
    def _set_page(self) -> None:
        sect_pr = self.document.element.body.sectPr
        for child in parse_xml(f"<w:sectPr {NSDECLS}>{self._page_xml()}</w:sectPr>"):
            sect_pr.append(child)

    def _page_xml(self) -> str:
        """w:pgSz and w:pgMar from the style (every section has the same page)."""
        page = self.style.page
        orient = ' w:orient="landscape"' if page.orientation == "landscape" else ""
        header_distance = tw(min(page.margin_top / 2, 36.0))
        footer_distance = tw(min(page.margin_bottom / 2, 36.0))
        return (
            f'<w:pgSz w:w="{tw(page.width)}" w:h="{tw(page.height)}"{orient}/>'
            f'<w:pgMar w:top="{tw(page.margin_top)}" w:right="{tw(page.margin_right)}" '
            f'w:bottom="{tw(page.margin_bottom)}" w:left="{tw(page.margin_left)}" '
            f'w:header="{header_distance}" w:footer="{footer_distance}" w:gutter="0"/>'
        )

    # -- page furniture --------------------------------------------------------------------------
    def add_furniture(self, title: str | None, source: str | None, date: str | None) -> None:
        """Running header and footer from the style's templates, with PAGE/NUMPAGES fields; the
        marking on every page, the first included, whatever the first-page setting says.  This is
        the document's last (for one article: only) section."""
        furniture = self._furniture(title, source, date)
        section = self.document.sections[0]
        if furniture.header:
            self._fill_story(section.header, furniture.header)
        if furniture.footer:
            self._fill_story(section.footer, furniture.footer)
        if furniture.first_page is not None:
            section.different_first_page_header_footer = True
            self._fill_story(section.first_page_header, furniture.first_page[0])
            self._fill_story(section.first_page_footer, furniture.first_page[1])

    def _furniture(self, title: str | None, source: str | None, date: str | None) -> "_Furniture":
        page = self.style.page
        raw = {"title": title, "source": source, "date": date}
        values = {name: clean_text(value or "") for name, value in raw.items()}
        values["marking"] = self.marking
        templated_marking = any("{marking}" in slot for f in (page.header, page.footer)
                                for slot in (f.left, f.center, f.right))
        extra_marking = bool(self.marking) and not templated_marking
        header = self._furniture_xml(page.header, "Header", values)
        footer = self._furniture_xml(page.footer, "Footer", values)
        marking_line = self._marking_xml() if self.marking else ""
        marking_header = marking_footer = marking_line
        if extra_marking:
            header = marking_header + header
            footer = footer + marking_footer
        first_page = None
        if not page.first_page_furniture and (header or footer):
            # Only the marking on the first page (an empty paragraph when there is none: a
            # header part must hold at least one paragraph).
            first_page = (marking_header or '<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p>',
                          marking_footer or '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p>')
        return _Furniture(header, footer, first_page)

    def end_section(self, title: str | None, source: str | None, date: str | None) -> None:
        """Close the section rendered so far with its own running header and footer (a
        briefing's front matter, then each article but the last); the next section starts a new
        page.  The section properties ride on an empty, hairline paragraph of their own, so the
        section may end in a table."""
        furniture = self._furniture(title, source, date)
        refs: list[str] = []
        for kind, (header, footer) in (("default", (furniture.header, furniture.footer)),
                                       ("first", furniture.first_page or ("", ""))):
            if header:
                refs.append(f'<w:headerReference w:type="{kind}" r:id={attr(self._story_part(HeaderPart, header))}/>')
            if footer:
                refs.append(f'<w:footerReference w:type="{kind}" r:id={attr(self._story_part(FooterPart, footer))}/>')
        # Schema order: all header references, then all footer references.
        refs.sort(key=lambda ref: ref.startswith("<w:footerReference"))
        title_page = "<w:titlePg/>" if furniture.first_page is not None else ""
        self._body_xml.append(
            '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            f'<w:sectPr>{"".join(refs)}{self._page_xml()}{title_page}</w:sectPr></w:pPr></w:p>'
        )
        self._page_break_pending = False      # the section break is the page break

    def _story_part(self, part_class, paragraphs_xml: str) -> str:
        """A new header or footer part holding the paragraphs; its relationship id."""
        is_header = part_class is HeaderPart
        self._story_count[is_header] += 1
        kind = "header" if is_header else "footer"
        root = "hdr" if is_header else "ftr"
        element = parse_xml(f"<w:{root} {NSDECLS}>{paragraphs_xml}</w:{root}>")
        content_type = CT.WML_HEADER if is_header else CT.WML_FOOTER
        part = part_class(PackURI(f"/word/{kind}{self._story_count[is_header]}.xml"), content_type, element,
                          self._part.package)
        return self._relations.new_part(part, RT.HEADER if is_header else RT.FOOTER)

    def _furniture_xml(self, furniture: "Furniture", style_id: str, values: dict[str, str]) -> str:
        if furniture.empty:
            return ""
        slots = (furniture.left, furniture.center, furniture.right)
        # Each filled slot gets its share of the line; a long title is cut to fit it so the
        # left/centre/right tab layout stays on one line.
        size = self.style.block(style_id.lower()).size or 9.0
        share = self._text_width / (3 if sum(bool(t) for t in slots) > 1 else 1)
        limit = max(12, int(share / (size * 0.5)) - 2)
        runs: list[str] = []
        for i, template in enumerate(slots):
            if i:
                runs.append("<w:r><w:tab/></w:r>")
            fixed = len(_FURNITURE_FIELD.sub("", template))
            fitted = {k: truncate(v, max(8, limit - fixed)) if k != "marking" else v for k, v in values.items()}
            runs.append(self._template_runs(template, fitted, style_id))
        return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{"".join(runs)}</w:p>'

    def _template_runs(self, template: str, values: dict[str, str], style_id: str) -> str:
        out: list[str] = []
        pos = 0
        key = style_id.lower()
        for m in _FURNITURE_FIELD.finditer(template):
            if m.start() > pos:
                out.append(self._text_runs(template[pos:m.start()], _RunFormat(key)))
            name = m.group(1)
            if name == "page":
                out.append(field_xml("PAGE", "1"))
            elif name == "pages":
                out.append(field_xml("NUMPAGES", "1"))
            else:
                out.append(self._text_runs(values[name], _RunFormat(key)))
            pos = m.end()
        if pos < len(template):
            out.append(self._text_runs(template[pos:], _RunFormat(key)))
        return "".join(out)

    def _marking_xml(self) -> str:
        runs = self._text_runs(self.marking, _RunFormat("header", style_bold=True))
        return f'<w:p><w:pPr><w:pStyle w:val="{MARKING_STYLE_ID}"/></w:pPr>{runs}</w:p>'

    @staticmethod
    def _fill_story(story, paragraphs_xml: str) -> None:
        story.is_linked_to_previous = False
        element = story._element
        for child in list(element):
            element.remove(child)
        for child in parse_xml(f"<w:hdr {NSDECLS}>{paragraphs_xml}</w:hdr>"):
            element.append(child)

    # -- briefing front matter -------------------------------------------------------------------
    def _key(self, key: str, stand_in: str) -> str:
        """``key`` when the style defines it; a style made before the briefing keys uses ``stand_in``."""
        return key if key in self.style.elements else stand_in

    def render_cover(self, briefing: Briefing, sources: list[str]) -> None:
        """The cover: title, subtitle, date, who it is for, the marking, how many articles from
        which sources, and the notes (inputs left out…).  The running header and footer carry the
        marking too, on this page as on every other."""
        meta = briefing.meta
        title_key = self._key("cover-title", "heading-1")   # not Title: the contents collect that style
        meta_key = self._key("cover-meta", "meta-line")
        self._simple_paragraph(title_key, _one_line(meta.title) or "Briefing")
        if _one_line(meta.subtitle):
            self._simple_paragraph("subtitle", _one_line(meta.subtitle))
        if _one_line(meta.date):
            self._simple_paragraph(meta_key, _one_line(meta.date))
        if _one_line(meta.prepared_for):
            self._simple_paragraph(meta_key, f"Prepared for {_one_line(meta.prepared_for)}")
        if self.marking:
            self._paragraph(PARAGRAPH_STYLE_ID[meta_key], self._text_runs(self.marking, _RunFormat(meta_key, bold=True)))
        count = len(briefing.articles)
        line = f"{count} article{'' if count == 1 else 's'}"
        if sources:
            line += " from " + (", ".join(sources[:-1]) + " and " + sources[-1] if len(sources) > 1 else sources[0])
        self._simple_paragraph(meta_key, line)
        for note in meta.notes:
            if _one_line(note):
                self._paragraph(PARAGRAPH_STYLE_ID[meta_key], self._text_runs(_one_line(note), _RunFormat(meta_key, italic=True)))

    def render_contents(self, entries: list[tuple[str, str]]) -> None:
        """"Contents" and a TOC field over the articles' titles (the Title style, level 1) that
        Word updates, adding page numbers.  Until then its result is the list of titles, each an
        internal hyperlink to ``<prefix>_title``, so the page reads right before any update."""
        heading_key = self._key("toc-heading", "heading-1")
        self.break_page()
        self._simple_paragraph(heading_key, "Contents")
        entry_style = "TOC1" if "toc-entry" in self.style.elements else PARAGRAPH_STYLE_ID["body"]
        entry_key = self._key("toc-entry", "body")
        # A right tab with a dot leader: where Word puts the page numbers when it updates the field.
        tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{tw(self._text_width)}"/></w:tabs>'
        begin, end = toc_field_parts(TOC_INSTRUCTION)
        if not entries:
            self._body_xml.append(self._paragraph_xml(entry_style, begin + end, tabs=tabs))
            return
        for position, (prefix, title) in enumerate(entries):
            link = (f'<w:hyperlink w:anchor={attr(bookmark_name(prefix, "title"))} w:history="1">'
                    f"{self._text_runs(title, _RunFormat(entry_key))}</w:hyperlink>")   # plain, as Word's own entries look
            runs = (begin if position == 0 else "") + link + (end if position == len(entries) - 1 else "")
            self._body_xml.append(self._paragraph_xml(entry_style, runs, tabs=tabs))

    def render_key_quotes_heading(self) -> int:
        """"Key quotes" on a new page; the place the table goes (see :meth:`render_key_quotes_table`)."""
        self.break_page()
        self._simple_paragraph(self._key("key-quotes-heading", "heading-1"), "Key quotes")
        self._body_xml.append("")
        return len(self._body_xml) - 1

    def render_key_quotes_table(self, slot: int, quotes: "tuple[KeyQuote, ...]",
                                titles: dict[str, tuple[str, str]]) -> None:
        """A Word table — speaker | quote | article — with its header row repeated on every page
        and rows that never split.  The article cell links to the article's title, the quote to
        the paragraph it comes from (plain text: a table of underlined quotes is hard to read).
        ``titles`` maps a briefing article id to its bookmark prefix and title."""
        item_key = self._key("key-quotes-item", "body")
        item_style = PARAGRAPH_STYLE_ID[item_key]
        widths = [int(tw(self._text_width) * share) for _, share in KEY_QUOTE_COLUMNS]
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        rule = f'w:val="single" w:sz="4" w:space="0" w:color="{TABLE_RULE_COLOR}"'
        borders = "".join(f"<w:{side} {rule}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        # Cells are upright except the quote, which keeps the element's own slant.
        upright = _RunFormat(item_key, upright=True)

        def cell(width: int, runs: str, fill: str = "", merge: str = "") -> str:
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
            return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merge}{shade}</w:tcPr>'
                    f"{self._paragraph_xml(item_style, runs)}</w:tc>")

        head = "".join(cell(w, self._text_runs(label, replace(upright, bold=True)), TABLE_HEAD_FILL)
                       for (label, _), w in zip(KEY_QUOTE_COLUMNS, widths))
        rows = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"]
        previous: str | None = None
        for position, quote in enumerate(quotes):
            speaker = self._text_runs(_one_line(quote.speaker), upright)
            text = self._text_runs(_one_line(quote.text), _RunFormat(item_key))
            found = titles.get(quote.article_id)
            block_mark = bookmark_name(found[0], f"b{quote.block}") if found else None
            if block_mark in self.bookmark_names:
                text = f'<w:hyperlink w:anchor={attr(block_mark)} w:history="1">{text}</w:hyperlink>'

            # The article's cell spans the rows of its consecutive quotes instead of repeating.
            same = quote.article_id == previous
            spans = position + 1 < len(quotes) and quotes[position + 1].article_id == quote.article_id
            merge = '<w:vMerge/>' if same else ('<w:vMerge w:val="restart"/>' if spans else "")
            previous = quote.article_id
            if found is None or same:
                article = ""
            else:
                prefix, title = found
                article = (f'<w:hyperlink w:anchor={attr(bookmark_name(prefix, "title"))} w:history="1">'
                           f"{self._text_runs(title, replace(upright, linked=True))}</w:hyperlink>")
            cells = (cell(widths[0], speaker) + cell(widths[1], text) + cell(widths[2], article, merge=merge))
            rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
        self._body_xml[slot] = (
            f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="60" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
        )

    def ask_to_update_fields(self) -> None:
        """Ask Word to update the fields when the document opens (the TOC's page numbers)."""
        settings = self._part._settings_part.element
        compat = settings.find(f"{{{W_NS}}}compat")      # updateFields comes just before it
        compat.addprevious(parse_xml(f'<w:updateFields {NSDECLS} w:val="true"/>'))

    # -- one article -----------------------------------------------------------------------------
    def render_article(self, article: Article, bookmark_prefix: str = "art",
                       block_bookmarks: frozenset[int] = frozenset(), *,
                       meta_line: tuple[str, ...] = SINGLE_META_LINE, untitled: str | None = None,
                       language: str | None = None) -> None:
        """Title block, body, then the optional sections the style asks for.

        Bookmarks are scoped by ``bookmark_prefix`` (a briefing passes each article's id):
        ``<prefix>_title``, ``<prefix>_h<n>`` per heading, and ``<prefix>_b<i>`` at the top-level body
        blocks listed in ``block_bookmarks`` (what a key-quotes table links to).  A briefing also
        names the meta line's fields, a title for an untitled article (its contents entry links
        to it) and the article's language when it may differ from the document's."""
        self._bookmark_prefix = bookmark_prefix
        self._heading_count = 0
        own_language = _language_tag(language) if language else self.language
        self._run_language = "" if own_language == self.language else f"<w:lang w:val={attr(own_language)}/>"
        meta = article.meta
        self._title_block(meta, meta_line, untitled)
        self._lede_pending = True
        for index, block in enumerate(article.body):
            if index in block_bookmarks:
                self._pending_anchor = f"b{index}"
            self._block(block, _BlockContext())
            self._pending_anchor = None
        self._lede_pending = False
        sections = self.style.sections
        if sections.related and article.related:
            self._simple_paragraph("related-heading", "Related")
            for item in article.related:
                runs = self._text_runs(item.title, _RunFormat("related-item", bold=True))
                if item.summary:
                    runs += self._text_runs("\u2002\u2014\u2002" + item.summary, _RunFormat("related-item"))
                self._paragraph("RelatedItem", runs)
        if sections.dropped and article.dropped:
            self._simple_paragraph("dropped-heading", "Dropped lines")
            for dropped in article.dropped:
                runs = self._text_runs(f"Line {dropped.line} ({dropped.reason}): ", _RunFormat("dropped-item", bold=True))
                runs += self._text_runs(dropped.text, _RunFormat("dropped-item"))
                self._paragraph("DroppedItem", runs)
        self._run_language = ""

    def _title_block(self, meta: "Meta", line_fields: tuple[str, ...] = SINGLE_META_LINE,
                     untitled: str | None = None) -> None:
        """Title, subtitle (the standfirst) and the meta line "byline · source · date" (or the
        fields named; the byline on its own line when it is not one of them); metadata values are
        one line each, whatever whitespace they arrive with."""
        title, subtitle = _one_line(meta.title) or (untitled or ""), _one_line(meta.subtitle)
        if title:
            mark = self._bookmark("title")
            self._paragraph("Title", mark[0] + self._text_runs(title, _RunFormat("title")) + mark[1])
        if subtitle:
            self._simple_paragraph("subtitle", subtitle)
        if "byline" not in line_fields and _one_line(meta.byline):
            self._simple_paragraph("byline", _one_line(meta.byline))
        parts = _meta_line_parts(meta, line_fields)
        if parts:
            self._simple_paragraph("meta-line", META_SEPARATOR.join(parts))

    def _simple_paragraph(self, key: str, text: str) -> None:
        self._paragraph(PARAGRAPH_STYLE_ID[key], self._text_runs(text, _RunFormat(key)))

    def _bookmark(self, local: str) -> tuple[str, str]:
        self._bookmark_id += 1
        name = bookmark_name(self._bookmark_prefix, local)
        self.bookmark_names.add(name)
        return bookmark_start_xml(self._bookmark_id, name), bookmark_end_xml(self._bookmark_id)

    # -- blocks ----------------------------------------------------------------------------------
    def _block(self, block: "Block", ctx: _BlockContext) -> None:
        lede, self._lede_pending = self._lede_pending, False
        match block:
            case Paragraph(content=content):
                key = "lede" if lede and ctx.paragraph_key == "body" else ctx.paragraph_key
                self._paragraph(PARAGRAPH_STYLE_ID[key], self._inlines(content, _RunFormat(key)))
            case Heading(level=level, content=content):
                key = f"heading-{min(max(level, 1), 3)}"
                self._heading_count += 1
                start, end = self._bookmark(f"h{self._heading_count}")
                self._paragraph(PARAGRAPH_STYLE_ID[key], start + self._inlines(content, _RunFormat(key)) + end)
            case BlockQuote(content=inner):
                for child in inner:
                    self._block(child, replace(ctx, paragraph_key="blockquote"))
            case ListBlock():
                self._list(block, ctx)
            case Rule():
                body = self.style.block("body")
                color = hex_color(body.color, "body")
                # a thin rule drawn as a short empty paragraph's bottom border, with air below it
                self._body_xml.append(
                    f'<w:p><w:pPr>{self._take_page_break()}<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                    f'w:color="{color}"/></w:pBdr><w:spacing w:before="0" w:after="{tw(2 * body.space_after + 6)}" '
                    'w:line="120" w:lineRule="exact"/></w:pPr></w:p>'
                )
            case _:
                raise UnknownNodeError(block, "docx writer")

    def _list(self, block: ListBlock, ctx: _BlockContext) -> None:
        depth = min(ctx.list_depth + 1, 8)
        if block.ordered:
            style_id, num_id = "ListNumber", self._new_ordered_numbering(depth)
        else:
            style_id, num_id = "ListBullet", BULLET_NUM_ID
        inner = replace(ctx, list_depth=depth)
        for item in block.items:
            numbered = False
            for child in item:
                match child:
                    case Paragraph(content=content):
                        runs = self._inlines(content, _RunFormat("list"))
                        if not numbered:
                            num = f'<w:numPr><w:ilvl w:val="{depth}"/><w:numId w:val="{num_id}"/></w:numPr>'
                            self._paragraph(style_id, runs, num)
                            numbered = True
                        else:   # a further paragraph of the same item: indented, no number
                            self._paragraph(style_id, runs, '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>',
                                            f'<w:ind w:left="{LIST_INDENT_TW * (depth + 1)}" w:hanging="0"/>')
                    case ListBlock():
                        self._list(child, inner)
                    case _:
                        self._block(child, inner)

    def _new_ordered_numbering(self, level: int) -> int:
        """A fresh numbering instance so this ordered list starts at 1."""
        numbering = self._part.numbering_part.element
        num = numbering.add_num(ORDERED_ABSTRACT_ID)
        num.add_lvlOverride(ilvl=level).add_startOverride(1)
        return num.numId

    def _paragraph(self, style_id: str, runs: str, num_pr: str = "", indent: str = "") -> None:
        """One body paragraph; ``num_pr`` and ``indent`` are w:numPr / w:ind (kept in schema order
        around w:bidi)."""
        if self._pending_anchor is not None:
            start, end = self._bookmark(self._pending_anchor)
            runs = start + end + runs
            self._pending_anchor = None
        self._body_xml.append(self._paragraph_xml(style_id, runs, num_pr, indent, self._take_page_break()))

    @staticmethod
    def _paragraph_xml(style_id: str, runs: str, num_pr: str = "", indent: str = "", page_break: str = "",
                       tabs: str = "") -> str:
        bidi = "<w:bidi/>" if _is_rtl(runs) else ""
        return (f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{page_break}{num_pr}{tabs}{bidi}{indent}</w:pPr>'
                f"{runs}</w:p>")

    def break_page(self, wanted: bool = True) -> None:
        """Start the next body paragraph on a new page (as its own property, so no empty
        paragraph is left at the top of the page)."""
        if wanted:
            self._page_break_pending = True

    def _take_page_break(self) -> str:
        if not self._page_break_pending:
            return ""
        self._page_break_pending = False
        return "<w:pageBreakBefore/>"

    # -- inlines ---------------------------------------------------------------------------------
    def _inlines(self, content: "tuple[Inline, ...]", fmt: _RunFormat) -> str:
        out: list[str] = []
        for node in content:
            match node:
                case Text(text=text):
                    out.append(self._text_runs(text, fmt))
                case Emphasis(content=inner):
                    out.append(self._inlines(inner, replace(fmt, italic=True)))
                case Strong(content=inner):
                    out.append(self._inlines(inner, replace(fmt, bold=True)))
                case Break():
                    out.append("<w:r><w:br/></w:r>")
                case Link(url=url, content=inner):
                    target = None if fmt.linked else safe_link(clean_text(url), self._warn_link)
                    if target is None:
                        out.append(self._inlines(inner, fmt))
                    else:
                        r_id = self._relations.external(target, RT.HYPERLINK)
                        runs = self._inlines(inner, replace(fmt, linked=True))
                        out.append(f'<w:hyperlink r:id={attr(r_id)} w:history="1">{runs}</w:hyperlink>')
                case Quote(kind=kind, speaker=speaker, content=inner):
                    quoted = replace(fmt, char_style=QUOTE_STYLE_ID.get(kind, "QuoteSpeech"), char_key=f"quote-{kind}")
                    runs = self._inlines(inner, quoted)
                    if kind == "speech" and speaker and self.style.quotes.show_speaker:
                        runs = self._with_comment(runs, speaker)
                    out.append(runs)
                case _:
                    raise UnknownNodeError(node, "docx writer")
        return "".join(out)

    def _with_comment(self, runs: str, speaker: str) -> str:
        """Anchor a Word comment naming the speaker on a quote's runs.  The comments are written
        with the body (python-docx's add_comment rescans every comment for a free id and stamps
        the wall clock); their date is the build time."""
        cid = len(self._comments_xml)
        date = _utc(self.options.build_time).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._comments_xml.append(
            f'<w:comment w:id="{cid}" w:author="{COMMENT_AUTHOR}" w:date="{date}" w:initials="ex">'
            '<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="{COMMENT_REFERENCE_STYLE_ID}"/></w:rPr><w:annotationRef/></w:r>'
            f"<w:r>{run_content_xml(clean_text(speaker).strip())}</w:r></w:p></w:comment>"
        )
        return (f'<w:commentRangeStart w:id="{cid}"/>{runs}<w:commentRangeEnd w:id="{cid}"/>'
                f'<w:r><w:rPr><w:rStyle w:val="{COMMENT_REFERENCE_STYLE_ID}"/></w:rPr>'
                f'<w:commentReference w:id="{cid}"/></w:r>')

    def _text_runs(self, text: str, fmt: _RunFormat) -> str:
        """Runs for one text: split where the style's font lacks glyphs so each piece names the
        fallback family that draws it."""
        text = clean_text(text)
        if not text:
            return ""
        family, bold, italic = self._faces(fmt)
        rstyle = f'<w:rStyle w:val="{fmt.char_style}"/>' if fmt.char_style else ""
        if fmt.linked and not fmt.char_style:
            rstyle = f'<w:rStyle w:val="{HYPERLINK_STYLE_ID}"/>'
        direct = ("<w:b/><w:bCs/>" if fmt.bold else "") + ("<w:i/><w:iCs/>" if fmt.italic else "")
        if fmt.upright:
            direct += '<w:i w:val="0"/><w:iCs w:val="0"/>'
        out: list[str] = []
        for piece, fallback_name in self._fonts.split(text, family, bold, italic):
            fonts = ""
            if fallback_name:
                f = attr(fallback_name)
                fonts = f"<w:rFonts w:ascii={f} w:hAnsi={f} w:eastAsia={f} w:cs={f}/>"
            rtl = "<w:rtl/>" if _RTL_CHARS.search(piece) and _first_strong_rtl(piece) else ""
            rpr = rstyle + fonts + direct + rtl + self._run_language
            out.append(f"<w:r>{'<w:rPr>' + rpr + '</w:rPr>' if rpr else ''}{run_content_xml(piece)}</w:r>")
        return "".join(out)

    def _faces(self, fmt: _RunFormat) -> tuple[str | None, bool, bool]:
        """The font family key and faces a run is drawn in: block style, then the quote's
        character style, then direct emphasis."""
        block = self.style.block(fmt.block_key)
        family, bold, italic = block.family, bool(block.bold), bool(block.italic)
        if fmt.char_key:
            own = self.style.element(fmt.char_key)
            family = own.family or family
            bold = bold if own.bold is None else own.bold
            italic = italic if own.italic is None else own.italic
        return family, bold or fmt.bold or fmt.style_bold, (italic or fmt.italic) and not fmt.upright

    # -- properties and output -------------------------------------------------------------------
    def set_core_properties(self, *, title: str | None, author: str | None, subject: str | None,
                            keywords: str, language: str) -> None:
        """Core properties (truncated to Word's 255-character limit), dated by the build time."""
        props = self.document.core_properties
        props.title = _property(title)
        props.author = _property(author)
        props.subject = _property(subject)
        props.keywords = _property(keywords)
        props.language = _property(language)
        props.revision = 1
        build_time = _utc(self.options.build_time)
        props.created = build_time
        props.modified = build_time

    def _flush(self) -> None:
        if self._body_xml:
            # The whole document part is parsed anew, its body text spliced in before the section
            # properties (all the body holds until now), and the new root replaces the part's.
            # Moving the children into the document one by one, or even one new body subtree,
            # costs time quadratic in their number (lxml reconciles namespaces as it moves them:
            # 0.2 s for a 500-article briefing, 3.5 s for 2,000).  Only the package is written
            # after this, so python-docx's Document object (which holds the old root) is not used.
            current = etree.tostring(self._part.element, encoding="unicode")
            body_start = "<w:body>"
            if current.count(body_start) != 1 or "<w:body><w:sectPr" not in current:
                raise RenderError("docx: unexpected document template (a body holding only its section properties)")
            spliced = current.replace(body_start, body_start + "".join(self._body_xml), 1)
            self._part._element = parse_xml(spliced)
            self._body_xml = []
        if self._comments_xml:
            part = self._part._comments_part                 # created (and related) on first use
            comments = part.element
            if len(comments):
                for comment in parse_xml(f"<w:comments {NSDECLS}>{''.join(self._comments_xml)}</w:comments>"):
                    comments.append(comment)
            else:
                # As for the body: appending the comments one by one is quadratic in their number
                # (a briefing that shows speakers has one per quote), so the part's empty root is
                # replaced by one parsed whole, opening with the same namespace declarations.
                shell = etree.Element(comments.tag, nsmap=comments.nsmap)
                opening = etree.tostring(shell, encoding="unicode")          # <w:comments xmlns…/>
                part._element = parse_xml(f"{opening[:-2]}>{''.join(self._comments_xml)}</w:comments>")
            self._comments_xml = []

    def save(self, out: BinaryIO) -> None:
        """Write the package with fixed entry order and timestamps (the build time).  Built in
        memory first: a zip written to an unseekable stream differs from one written to a file."""
        self._flush()
        self._fonts.report()
        package = self._part.package
        parts = list(package.iter_parts())
        stamp = _zip_time(self.options.build_time)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            def add(name: str, data: bytes) -> None:
                info = zipfile.ZipInfo(name, stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                zf.writestr(info, data)

            add("[Content_Types].xml", _content_types(parts))
            add("_rels/.rels", package.rels.xml)
            for part in parts:
                add(part.partname.membername, part.blob)
                if len(part.rels):
                    add(part.partname.rels_uri.membername, part.rels.xml)
        out.write(buffer.getvalue())

    def close(self) -> None:
        """Break python-docx's reference cycles (package <-> parts <-> relationships) so the
        whole document is freed now, by reference counting, not at some later collection."""
        document = getattr(self, "document", None)
        if document is None:
            return
        package = self._part.package
        for part in list(package.iter_parts()):
            part.__dict__.clear()
        package.__dict__.clear()
        document.__dict__.clear()
        self.document = None
        self._part = None
        self._fonts = None


# ------------------------------------------------------------------------------------- package
class _AcyclicPackage(Package):
    """python-docx's package with part and relationship walks that leave no garbage behind.

    python-docx walks the relationship graph with a self-recursive closure whose mutable default
    argument collects every part: each walk (one on load, one per new header/footer/comments part,
    one per save) leaves a function <-> cell cycle holding the whole document for the cyclic
    collector.  These walks recurse through a module-level function instead."""

    def iter_parts(self):
        return _walk_parts(self, set())

    def iter_rels(self):
        return _walk_rels(self, set())


def _walk_parts(source, seen: set[int]):
    for rel in source.rels.values():
        if rel.is_external:
            continue
        part = rel.target_part
        if id(part) in seen:
            continue
        seen.add(id(part))
        yield part
        yield from _walk_parts(part, seen)


def _walk_rels(source, seen: set[int]):
    for rel in source.rels.values():
        yield rel
        if rel.is_external:
            continue
        part = rel.target_part
        if id(part) in seen:
            continue
        seen.add(id(part))
        yield from _walk_rels(part, seen)


# ------------------------------------------------------------------------------- relationships
class _Relations:
    """The main document part's relationships, added in time independent of how many exist.

    python-docx's ``relate_to`` scans every relationship for one to reuse and counts up from
    rId1 for a free id: a briefing adds a header, a footer and links for every article, so that
    is quadratic in its articles.  The ids are the same as python-docx would give (the lowest
    free one: nothing is ever removed, so a counter that only moves up finds it); a new header or
    footer part never has a relationship to reuse, and links to one target share one."""

    def __init__(self, rels) -> None:
        self._rels = rels
        self._external = {(rel.reltype, rel.target_ref): rel.rId for rel in rels.values() if rel.is_external}
        self._lowest_free = 1

    def _free_id(self) -> str:
        while f"rId{self._lowest_free}" in self._rels:
            self._lowest_free += 1
        return f"rId{self._lowest_free}"

    def new_part(self, part, reltype: str) -> str:
        r_id = self._free_id()
        self._rels.add_relationship(reltype, part, r_id)
        return r_id

    def external(self, target: str, reltype: str) -> str:
        key = (reltype, target)
        r_id = self._external.get(key)
        if r_id is None:
            r_id = self._external[key] = self._free_id()
            self._rels.add_relationship(reltype, target, r_id, is_external=True)
        return r_id


# --------------------------------------------------------------------------------------- fonts
class _FontRuns:
    """Splits text into runs by the font that draws them, through the style's font resolver, and
    names each fallback font for Word.  Uncovered characters are reported once per document."""

    def __init__(self, style: "Style", options: RenderOptions) -> None:
        self.style = style
        self.options = options
        try:
            from ...style.fonts import FontResolver
        except ImportError:   # the font system is not there yet: every run in the style's font
            self._resolver = None
        else:
            self._resolver = FontResolver(style)
        self._primary: dict[tuple[str | None, bool, bool], Path | None] = {}

    def split(self, text: str, family: str | None, bold: bool, italic: bool) -> list[tuple[str, str | None]]:
        """``[(piece, fallback family name or None)]``; None: the run keeps the style's font."""
        if self._resolver is None or family is None or text.isascii():
            return [(text, None)]
        pieces = self._resolver.split(text, family, bold, italic)
        key = (family, bold, italic)
        if key not in self._primary:
            fam = self.style.fonts.get(family)
            self._primary[key] = Path(fam.face(bold, italic)) if fam else None
        primary = self._primary[key]
        out: list[tuple[str, str | None]] = []
        for piece, path in pieces:
            name = None
            if path is not None and primary is not None and Path(path) != primary:
                name = ttf_family_name(str(path))
            if out and out[-1][1] == name:
                out[-1] = (out[-1][0] + piece, name)
            else:
                out.append((piece, name))
        return out

    def report(self) -> None:
        if self._resolver is not None:
            from ...style.fonts import SHOWN_BY_VIEWER
            self._resolver.warn_uncovered(self.options.warn, SHOWN_BY_VIEWER)


@lru_cache(maxsize=64)
def ttf_family_name(path: str) -> str | None:
    """The family name a TrueType/OpenType file (or the first face of a collection) declares:
    typographic family (name id 16) before legacy family (1), Windows UTF-16 before Mac Roman."""
    if font_file_problem(path) is not None:    # read whole below: size and signature first
        return None
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        base = 0
        if data[:4] == b"ttcf":
            base = struct.unpack_from(">I", data, 12)[0]
        num_tables = struct.unpack_from(">H", data, base + 4)[0]
        for i in range(num_tables):
            tag, _, offset, _ = struct.unpack_from(">4sIII", data, base + 12 + 16 * i)
            if tag == b"name":
                break
        else:
            return None
        _, count, string_offset = struct.unpack_from(">HHH", data, offset)
        found: dict[tuple[int, int], str] = {}
        for i in range(count):
            platform, encoding, language, name_id, length, str_off = struct.unpack_from(">HHHHHH", data, offset + 6 + 12 * i)
            if name_id not in (1, 16):
                continue
            raw = data[offset + string_offset + str_off: offset + string_offset + str_off + length]
            if platform == 3 and language == 0x409:
                found[(0, -name_id)] = raw.decode("utf-16-be", "replace")
            elif platform == 1 and language == 0:
                found[(1, -name_id)] = raw.decode("mac-roman", "replace")
        return found[min(found)] if found else None
    except (OSError, struct.error, IndexError):
        return None


# ------------------------------------------------------------------------------------- helpers
def _one_line(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _meta_line_parts(meta: "Meta", line_fields: tuple[str, ...]) -> list[str]:
    """The named metadata fields, one line each, empty ones left out; a site that only repeats
    the source is shown once."""
    found: list[str] = []
    source = _one_line(meta.source).casefold()
    for name in line_fields:
        part = _one_line(getattr(meta, name))
        if not part or (name == "site" and part.casefold() == source):
            continue
        found.append(part)
    return found


def _language_tag(language: str | None) -> str:
    if language and _LANGUAGE_TAG.fullmatch(language):
        return language
    return "en"


def _property(value: str | None) -> str:
    return truncate(clean_text(value), CORE_PROPERTY_LIMIT) if value else ""


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """The build time as a zip entry time (UTC, clamped to the range zip can store)."""
    t = _utc(moment)
    if t.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if t.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def _content_types(parts) -> bytes:
    overrides = "".join(
        f'<Override PartName={attr(str(p.partname))} ContentType={attr(p.content_type)}/>'
        for p in sorted(parts, key=lambda p: str(p.partname))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    ).encode("utf-8")


def _is_rtl(runs_xml: str) -> bool:
    """A paragraph reads right to left when its first strongly directional letter does."""
    if not _RTL_CHARS.search(runs_xml):
        return False
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", runs_xml))
    return _first_strong_rtl(text)


def _first_strong_rtl(text: str) -> bool:
    for ch in text:
        direction = unicodedata.bidirectional(ch)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False
