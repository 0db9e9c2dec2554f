"""The DOCX writer: a Word document an editor would accept as hand-made, drawn from the presented
document and nothing else.

It calls :func:`exporter.presentation.present` once and renders what comes back; every editorial
decision (headline policy, meta line, labels, dates, speaker display, key quotes, running header
and footer texts, marking, link safety, language and direction, ids) is the presentation layer's.
What is decided here is only what Word needs:

- **Named styles** (styles.py) for every semantic key, so restyling means editing one style;
  runs carry a character style (quotes, speaker labels) and direct bold/italic only for
  emphasis.  A text the style's font cannot draw is split into runs naming the fallback family.
- **Parts in order.**  A Cover is its lines; Contents is a TOC field Word updates (adding page
  numbers), its result pre-filled with the presented entries, each an internal link; KeyQuotes is
  a table with a repeated header row; an ArticlePart is its title block, blocks, speaker notes,
  related and dropped.  Every presented anchor is a bookmark (``a01-b3`` -> ``a01_b3``).
- **Speakers** as presented: an inline label is a run in the Speaker Label style after the quote;
  a margin label is a small frame in the page margin beside its paragraph; an endnote label is a
  superscript number linked to its entry in the article's speaker notes.  A Word comment naming
  the speaker is an extra, when the presented document asks for tooltips.
- **Sections.**  Front matter is one section with the document's running header and footer; an
  article that starts a page starts a section, whose header and footer are the article's own when
  it is alone in it.  The marking is on every page, the first included.

The body, header, footer, comments, styles and numbering are generated as XML text with every
piece of text escaped (nothing in it is ever interpreted) and zipped once (package.py), with the
zip entry times from :func:`exporter.presentation.policy.zip_time`.  When the style embeds fonts,
the faces the text is drawn in go into the package as obfuscated subsets (embed.py).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from ...errors import RenderError
from ...presentation import model as m
from ...presentation import present
from ...presentation.policy import text_direction, zip_time
from ...presentation.reading import RELATED_SEPARATOR
from .. import RenderOptions
from .fields import (
    TOC_INSTRUCTION, bookmark_end_xml, bookmark_name, bookmark_start_xml, clean_text, field_xml,
    run_content_xml, toc_field_parts, truncate,
)
from .embed import FontLog, embedded_fonts
from .fonts import FontRuns
from .package import (
    CT_COMMENTS, CT_DOCUMENT, CT_FONT_TABLE, CT_FOOTER, CT_HEADER, CT_NUMBERING, CT_OBFUSCATED_FONT, CT_SETTINGS,
    CT_STYLES, CT_THEME, RT_COMMENTS, RT_FONT, RT_FONT_TABLE, RT_FOOTER, RT_HEADER, RT_HYPERLINK, RT_NUMBERING,
    RT_SETTINGS, RT_STYLES, RT_THEME, Relationships, build_package, core_properties_xml, utc_naive,
)
from .styles import (
    BULLET_NUM_ID, CHARACTER_STYLE_ID, COMMENT_REFERENCE_STYLE_ID, HYPERLINK_STYLE_ID, LIST_INDENT_TW, MARKING_STYLE_ID,
    NSDECLS, ORDERED_BASE_NUM_ID, PARAGRAPH_STYLE_ID, attr, font_table_xml, half_points, hex_color, hyphenates,
    language_xml, numbering_xml, settings_xml, styles_xml, theme_xml, tw,
)
from .ttf import ttf_family_name

if TYPE_CHECKING:  # pragma: no cover
    from ...style.model import Style

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
COMMENT_AUTHOR = "exporter"
KEY_QUOTE_SHARES = (0.22, 0.53, 0.25)      # speaker | quote | article, as shares of the text width
TABLE_RULE_COLOR = "BFBFBF"
TABLE_HEAD_FILL = "EDEDED"
MARGIN_NOTE_GAP = 9.0                      # pt between a margin note and the text column
MARGIN_NOTE_EDGE = 14.0                    # pt kept clear at the page's edge (what printers cannot print)
_PAGE_FIELD = re.compile(r"\{(page|pages)\}")
# A label is glued to its quote by a no-break space (it never starts a line on its own).
LABEL_SPACE = "\u00a0"
# what a style made before the briefing keys draws those parts with
_PARAGRAPH_KEY_FALLBACK = {"cover-title": "heading-1", "cover-meta": "meta-line", "toc-heading": "heading-1",
                           "toc-entry": "body", "key-quotes-heading": "heading-1", "key-quotes-item": "body"}


class DocxWriter:
    name: ClassVar[str] = "docx"
    media_type: ClassVar[str] = MEDIA_TYPE
    extension: ClassVar[str] = "docx"
    uses_style: ClassVar[bool] = True

    def write(self, document, style: "Style", out: BinaryIO, options: RenderOptions) -> None:
        if style is None:
            raise RenderError("docx: a style is required")
        data = render_docx(present(document, style, options), style, options)
        out.write(data)             # one write of a finished package


def render_docx(doc: m.PresentedDocument, style: "Style", options: RenderOptions) -> bytes:
    """The .docx bytes for a presented document."""
    return _Composer(doc, style, options).render()


# ------------------------------------------------------------------------------------ contexts
@dataclass(frozen=True, slots=True)
class _RunFormat:
    """What the runs being emitted look like: the block's element key (for font family and faces),
    the character style in force, and direct bold/italic from strong/emphasis."""

    block_key: str
    char_key: str | None = None        # a character style's semantic key (quote-*, speaker-label)
    bold: bool = False
    italic: bool = False
    linked: bool = False               # inside a w:hyperlink already (no nesting)
    style_bold: bool = False           # the paragraph style itself is bold (Marking): faces only
    upright: bool = False              # not italic even where the paragraph style is (table cells)
    superscript: bool = False          # an endnote number
    highlighted: bool = False          # inside a quote whose background is shown


@dataclass(frozen=True, slots=True)
class _ListContext:
    depth: int = -1                    # -1: not in a list


# ------------------------------------------------------------------------------------ composer
class _Composer:
    """One DOCX being built from a presented document: body XML, bookmarks, relationships,
    header/footer parts, comments and numbering, then the package."""

    def __init__(self, doc: m.PresentedDocument, style: "Style", options: RenderOptions) -> None:
        self.doc, self.style, self.options = doc, style, options
        self.language = doc.metadata.language
        page = style.page
        self.text_width = page.width - page.margin_left - page.margin_right
        self.fonts = FontRuns(style)
        self.font_log = FontLog() if style.embed_fonts else None      # the faces drawn, to embed
        self.relationships = Relationships()
        for reltype, target in ((RT_STYLES, "styles.xml"), (RT_NUMBERING, "numbering.xml"),
                                (RT_SETTINGS, "settings.xml"), (RT_FONT_TABLE, "fontTable.xml"),
                                (RT_THEME, "theme/theme1.xml")):
            self.relationships.add(reltype, target)
        self.body: list[str] = []
        self.stories: list[tuple[str, str, str]] = []     # (part name, content type, xml)
        self.story_count = {"header": 0, "footer": 0}
        self.comments: list[str] = []
        self.restarts: list[int] = []                      # the level of each ordered list (numbering)
        self.bookmark_id = 0
        self.pending_anchors: list[str] = []               # bookmarks for the next paragraph
        self.page_break_pending = False
        self.margin_labels: list[str] = []                 # margin notes of the paragraph being built
        self.direction = doc.metadata.direction            # of the part being rendered
        self.run_language = ""                             # w:lang for runs of a part in another language
        self.level = 1                                     # outline level of the article being rendered
        self.has_contents = False

    # -- the document ----------------------------------------------------------------------------
    def render(self) -> bytes:
        section: list[m.ArticlePart] = []                  # the articles in the section being built
        for index, part in enumerate(self.doc.parts):
            if isinstance(part, m.ArticlePart):
                if part.new_page and index > 0:
                    self.body.append(self.section_break(self.section_running(section)))
                    section = []
                section.append(part)
            self.part(part)
        self.place_pending_anchors()
        self.body.append(self.section_properties(self.section_running(section)))
        self.fonts.report(self.options.warn)
        return self.package()

    def section_running(self, articles: list[m.ArticlePart]) -> m.RunningTexts:
        """A section's header and footer: the article's own when it is alone in its section (a
        briefing's articles describe themselves), else the document's."""
        return articles[0].running if len(articles) == 1 else self.doc.furniture.running

    def package(self) -> bytes:
        relationships = self.relationships
        fonts = embedded_fonts(self.font_log, self.options.warn) if self.font_log is not None else []
        font_relationships = Relationships()
        embeds: dict[str, str] = {}
        for font in fonts:
            r_id = font_relationships.add(RT_FONT, font.part)
            embeds[font.name] = embeds.get(font.name, "") + (
                f'<w:{font.slot} r:id="{r_id}" w:fontKey="{font.key}" w:subsetted="1"/>')
        word_parts: list[tuple[str, str, str | bytes]] = [
            ("document.xml", CT_DOCUMENT,
             f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NSDECLS}><w:body>'
             + "".join(self.body) + "</w:body></w:document>"),
            ("styles.xml", CT_STYLES, styles_xml(self.style, self.language, self.text_width)),
            ("numbering.xml", CT_NUMBERING, numbering_xml(self.style, tuple(self.restarts))),
            ("settings.xml", CT_SETTINGS, settings_xml(hyphenates(self.style), self.has_contents, bool(fonts),
                                                         self.style.hyphenation)),
            ("fontTable.xml", CT_FONT_TABLE, font_table_xml(self.style, embeds)),
            ("theme/theme1.xml", CT_THEME, theme_xml()),
        ]
        word_parts += self.stories
        word_parts += [(font.part, CT_OBFUSCATED_FONT, font.data) for font in fonts]
        if self.comments:
            relationships.add(RT_COMMENTS, "comments.xml")
            word_parts.append(("comments.xml", CT_COMMENTS,
                               f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {NSDECLS}>'
                               + "".join(self.comments) + "</w:comments>"))
        return build_package(word_parts, relationships,
                             core_properties_xml(self.doc.metadata, self.options.build_time),
                             zip_time(self.options.build_time),
                             (("odttf", CT_OBFUSCATED_FONT),) if fonts else (),
                             {"fontTable.xml": font_relationships} if fonts else None)

    # -- sections and page furniture ------------------------------------------------------------
    def section_break(self, running: m.RunningTexts) -> str:
        """The end of a section: its properties ride on an empty, hairline paragraph of their own
        (so a section may end in a table); the next section starts a new page."""
        self.place_pending_anchors()
        self.page_break_pending = False       # the section break is the page break
        return ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
                f"{self.section_properties(running)}</w:pPr></w:p>")

    def section_properties(self, running: m.RunningTexts) -> str:
        """w:sectPr: header and footer references, the page from the style, and a bare first page
        (the marking only) when the style leaves first pages without furniture."""
        self.run_language = ""                # furniture is in the document's language
        header, footer = self.story_xml(running.header, "Header"), self.story_xml(running.footer, "Footer")
        furniture = self.doc.furniture
        marking = self.marking_xml() if furniture.marking else ""
        if marking and not furniture.marking_in_templates:
            header, footer = marking + header, footer + marking
        stories = [("default", header, footer)]
        title_page = ""
        if not furniture.first_page and (header or footer):
            # a header part must hold at least one paragraph: an empty one when there is no marking
            stories.append(("first", marking or '<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p>',
                            marking or '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p>'))
            title_page = "<w:titlePg/>"
        headers, footers = [], []
        for kind, header_xml, footer_xml in stories:
            if header_xml:
                headers.append(f'<w:headerReference w:type="{kind}" r:id="{self.story_part("header", header_xml)}"/>')
            if footer_xml:
                footers.append(f'<w:footerReference w:type="{kind}" r:id="{self.story_part("footer", footer_xml)}"/>')
        page = self.style.page
        orient = ' w:orient="landscape"' if page.orientation == "landscape" else ""
        return (f'<w:sectPr>{"".join(headers)}{"".join(footers)}'       # schema order: headers, then footers
                f'<w:pgSz w:w="{tw(page.width)}" w:h="{tw(page.height)}"{orient}/>'
                f'<w:pgMar w:top="{tw(page.margin_top)}" w:right="{tw(page.margin_right)}" '
                f'w:bottom="{tw(page.margin_bottom)}" w:left="{tw(page.margin_left)}" '
                f'w:header="{tw(min(page.margin_top / 2, 36.0))}" w:footer="{tw(min(page.margin_bottom / 2, 36.0))}" '
                f'w:gutter="0"/>{title_page}</w:sectPr>')

    def story_part(self, kind: str, paragraphs_xml: str) -> str:
        """A new header or footer part holding the paragraphs; its relationship id."""
        self.story_count[kind] += 1          # counted, not scanned: a briefing has two per article
        name = f"{kind}{self.story_count[kind]}.xml"
        root = "hdr" if kind == "header" else "ftr"
        self.stories.append((name, CT_HEADER if kind == "header" else CT_FOOTER,
                             f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                             f"<w:{root} {NSDECLS}>{paragraphs_xml}</w:{root}>"))
        return self.relationships.add(RT_HEADER if kind == "header" else RT_FOOTER, name)

    def story_xml(self, slots: tuple[str, str, str], style_id: str) -> str:
        """One running header or footer line: left, centre and right slots on tab stops, ``{page}``
        and ``{pages}`` as PAGE and NUMPAGES fields.  A slot longer than its share of the line is
        cut with an ellipsis so the line stays one line (the marking never is)."""
        if not any(slots):
            return ""
        key = style_id.lower()
        size = self.style.block(key).size or 9.0
        share = self.text_width / (3 if sum(bool(slot) for slot in slots) > 1 else 1)
        limit = max(12, int(share / (size * 0.5)) - 2)
        marking = self.doc.furniture.marking
        runs: list[str] = []
        for position, slot in enumerate(slots):
            if position:
                runs.append("<w:r><w:tab/></w:r>")
            pieces = _PAGE_FIELD.split(slot)     # text, field name, text, …
            if not (marking and marking in slot):
                room = max(8, limit - 3 * (len(pieces) // 2))
                pieces = [truncate(p, room) if i % 2 == 0 and len(p) > room else p for i, p in enumerate(pieces)]
            for i, piece in enumerate(pieces):
                if i % 2:
                    runs.append(field_xml("PAGE" if piece == "page" else "NUMPAGES", "1"))
                elif piece:
                    runs.append(self.text_runs(piece, _RunFormat(key)))
        return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{self.bidi(self.doc.metadata.direction)}</w:pPr>{"".join(runs)}</w:p>'

    def marking_xml(self) -> str:
        runs = self.text_runs(self.doc.furniture.marking or "", _RunFormat("header", style_bold=True))
        return f'<w:p><w:pPr><w:pStyle w:val="{MARKING_STYLE_ID}"/></w:pPr>{runs}</w:p>'

    # -- parts -----------------------------------------------------------------------------------
    def part(self, part: m.Part) -> None:
        self.direction = self.doc.metadata.direction
        self.run_language = ""
        match part:
            case m.Cover(title=title, subtitle=subtitle, lines=lines, anchor=anchor):
                self.pending_anchors.append(anchor)
                self.plain("cover-title", title)
                if subtitle:
                    self.plain("subtitle", subtitle)
                for line in lines:
                    self.plain("cover-meta", line)
            case m.Contents():
                self.contents(part)
            case m.KeyQuotes():
                self.key_quotes(part)
            case m.ArticlePart():
                self.article(part)
            case _:
                raise m.UnknownPartError(part, "docx writer")

    def key(self, key: str) -> str:
        """``key`` when the style defines it; a style made before the briefing keys uses a stand-in."""
        return key if key in self.style.elements else _PARAGRAPH_KEY_FALLBACK.get(key, "body")

    def plain(self, key: str, text: str, anchor: str | None = None, outline: int | None = None,
              style_id: str | None = None) -> None:
        """A paragraph of one text in element ``key``'s named style."""
        key = self.key(key)
        if anchor:
            self.pending_anchors.append(anchor)
        self.paragraph(style_id or PARAGRAPH_STYLE_ID[key], self.text_runs(text, _RunFormat(key)), outline=outline)

    def contents(self, part: m.Contents) -> None:
        """The heading and a TOC field Word updates, adding page numbers.  Until then its result
        is the presented entries (articles, then their headings one level in), each an internal
        link to its target, so the page reads right before any update."""
        self.has_contents = True
        self.page_break_pending = True
        self.plain("toc-heading", part.heading, part.anchor)
        entry_key = self.key("toc-entry")
        # A right tab with a dot leader: where Word puts the page numbers when it updates the field.
        tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{tw(self.text_width)}"/></w:tabs>'
        begin, end = toc_field_parts(TOC_INSTRUCTION)
        flat = [pair for entry in part.entries for pair in [(entry, 0)] + [(child, 1) for child in entry.children]]
        if not flat:
            runs = self.text_runs(part.empty_text or "", _RunFormat(entry_key))
            self.paragraph(self.toc_style(0), begin + runs + end, tabs=tabs)
            return
        for position, (entry, depth) in enumerate(flat):
            self.run_language = self.language_of(entry.language)
            link = (f'<w:hyperlink w:anchor={attr(bookmark_name(entry.target))} w:history="1">'
                    f"{self.text_runs(entry.text, _RunFormat(entry_key))}</w:hyperlink>")   # plain, as Word's own entries look
            runs = (begin if position == 0 else "") + link + (end if position == len(flat) - 1 else "")
            self.paragraph(self.toc_style(depth), runs, tabs=tabs)
        self.run_language = ""

    def toc_style(self, depth: int) -> str:
        return f"TOC{depth + 1}" if "toc-entry" in self.style.elements else PARAGRAPH_STYLE_ID["body"]

    def key_quotes(self, part: m.KeyQuotes) -> None:
        """A Word table, speaker | quote | article, its header row repeated on every page and rows
        that never split.  The quote links to the paragraph it comes from (plain text: a table of
        underlined quotes is hard to read); the article's title, linked to the article, spans the
        rows of its run of quotes."""
        self.page_break_pending = True
        self.plain("key-quotes-heading", part.heading, part.anchor)
        self.place_pending_anchors()
        item_key = self.key("key-quotes-item")
        item_style = PARAGRAPH_STYLE_ID[item_key]
        widths = [int(tw(self.text_width) * share) for share in KEY_QUOTE_SHARES]
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        rule = f'w:val="single" w:sz="4" w:space="0" w:color="{TABLE_RULE_COLOR}"'
        borders = "".join(f"<w:{side} {rule}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        upright = _RunFormat(item_key, upright=True)   # the quote alone keeps the element's slant

        def cell(width: int, runs: str, fill: str = "", merge: str = "") -> str:
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
            return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merge}{shade}</w:tcPr>'
                    f"{self.paragraph_xml(item_style, runs)}</w:tc>")

        head = "".join(cell(w, self.text_runs(text, replace(upright, bold=True)), TABLE_HEAD_FILL)
                       for text, w in zip(part.columns, widths))
        rows = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"]
        for row in part.rows:
            self.run_language = self.language_of(row.language)
            speaker = self.text_runs(row.speaker, upright)
            quote = (f'<w:hyperlink w:anchor={attr(bookmark_name(row.quote_anchor))} w:history="1">'
                     f"{self.text_runs(row.text, _RunFormat(item_key))}</w:hyperlink>")
            if row.article is None:                      # a continued run: the cell above spans it
                article, merge = "", "<w:vMerge/>"
            else:
                article = (f'<w:hyperlink w:anchor={attr(bookmark_name(row.article_anchor))} w:history="1">'
                           f"{self.text_runs(row.article, replace(upright, linked=True))}</w:hyperlink>")
                merge = '<w:vMerge w:val="restart"/>' if row.rows_in_run > 1 else ""
            cells = cell(widths[0], speaker) + cell(widths[1], quote) + cell(widths[2], article, merge=merge)
            rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
        self.run_language = ""
        self.body.append(
            f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="60" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')

    # -- one article -----------------------------------------------------------------------------
    def article(self, part: m.ArticlePart) -> None:
        """Title block, body, then the article's closing sections."""
        self.direction = part.direction
        self.run_language = self.language_of(part.language)
        self.level = part.level
        self.pending_anchors.append(part.anchor)
        title = part.title
        outline = min(part.level - 1, 8)
        if title.headline is not None:
            self.plain("title", title.headline, title.anchor, outline)
            if title.standfirst:
                self.plain("subtitle", title.standfirst)
            if title.meta_line:
                self.plain("meta-line", title.meta_line)
        else:
            # no headline of its own: the meta line stands where it would, as the article's
            # heading (present.py); with neither, the title's bookmark goes on the lede
            if title.meta_line:
                self.plain("meta-line", title.meta_line, title.anchor, outline, style_id="MetaLineHeading")
            else:
                self.pending_anchors.append(title.anchor)
            if title.standfirst:
                self.plain("subtitle", title.standfirst)
        for block in part.blocks:
            self.block(block, _ListContext())
        if part.speaker_notes is not None:
            notes = part.speaker_notes
            self.plain("related-heading", notes.heading, notes.anchor)
            num_id = self.new_ordered_list(0)
            for note in notes.notes:
                self.pending_anchors.append(note.anchor)
                name = self.text_runs(note.speaker, _RunFormat("related-item"))
                self.paragraph("RelatedItem",
                               f'<w:hyperlink w:anchor={attr(bookmark_name(note.label_anchor))} w:history="1">{name}</w:hyperlink>',
                               f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
        if part.related is not None:
            self.plain("related-heading", part.related.heading, part.related.anchor)
            for entry in part.related.entries:
                runs = self.text_runs(entry.title, _RunFormat("related-item", bold=True))
                if entry.summary:
                    runs += self.text_runs(RELATED_SEPARATOR + entry.summary, _RunFormat("related-item"))
                self.paragraph("RelatedItem", runs)
        if part.dropped is not None:
            self.plain("dropped-heading", part.dropped.heading, part.dropped.anchor)
            for dropped in part.dropped.entries:
                runs = self.text_runs(dropped.label + ":", _RunFormat("dropped-item", bold=True))
                runs += self.text_runs(" " + dropped.text, _RunFormat("dropped-item"))
                self.paragraph("DroppedItem", runs)
        self.place_pending_anchors()

    def language_of(self, language: str) -> str:
        """w:lang for runs of a part whose language is not the document's (none for ``und``)."""
        if language in (self.language, "und"):
            return ""
        return language_xml(self.style.hyphenation.language_for(language) or language)

    # -- blocks ----------------------------------------------------------------------------------
    def block(self, block: m.Block, ctx: _ListContext) -> None:
        match block:
            case m.TextBlock(style_key=key, runs=runs, anchor=anchor, direction=direction):
                if anchor:
                    self.pending_anchors.append(anchor)
                self.text_paragraph(PARAGRAPH_STYLE_ID[key], key, runs, direction)
            case m.HeadingBlock(level=level, style_key=key, runs=runs, anchor=anchor, direction=direction):
                self.pending_anchors.append(anchor)
                # below the article's own title: the outline Word's navigation and the PDF
                # bookmarks LibreOffice makes follow the presented levels
                self.text_paragraph(PARAGRAPH_STYLE_ID[key], key, runs, direction, outline=min(self.level + level - 1, 8))
            case m.QuoteBlock(blocks=inner, anchor=anchor):
                if anchor:
                    self.pending_anchors.append(anchor)
                for child in inner:
                    self.block(child, ctx)
            case m.ListBlock():
                if block.anchor:
                    self.pending_anchors.append(block.anchor)
                self.list(block, ctx)
            case m.RuleBlock(anchor=anchor):
                if anchor:
                    self.pending_anchors.append(anchor)
                body = self.style.block("body")
                # a thin rule drawn as a short empty paragraph's bottom border, with air below it
                self.body.append(
                    f'<w:p><w:pPr>{self.take_page_break()}<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                    f'w:color="{hex_color(body.color, "body")}"/></w:pBdr><w:spacing w:before="0" '
                    f'w:after="{tw(2 * body.space_after + 6)}" w:line="120" w:lineRule="exact"/></w:pPr>'
                    f"{self.take_bookmarks()}</w:p>")
            case _:
                raise m.UnknownPartError(block, "docx writer")

    def list(self, block: m.ListBlock, ctx: _ListContext) -> None:
        depth = min(ctx.depth + 1, 8)
        if block.ordered:
            style_id, num_id = "ListNumber", self.new_ordered_list(depth)
        else:
            style_id, num_id = "ListBullet", BULLET_NUM_ID
        inner = _ListContext(depth)
        for item in block.items:
            numbered = False
            for child in item:
                match child:
                    case m.TextBlock(style_key=key, runs=runs, anchor=anchor, direction=direction):
                        if anchor:
                            self.pending_anchors.append(anchor)
                        if not numbered:
                            num = f'<w:numPr><w:ilvl w:val="{depth}"/><w:numId w:val="{num_id}"/></w:numPr>'
                            self.text_paragraph(style_id, key, runs, direction, num_pr=num)
                            numbered = True
                        else:   # a further paragraph of the same item: indented, no number
                            self.text_paragraph(style_id, key, runs, direction,
                                                num_pr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>',
                                                indent=f'<w:ind w:left="{LIST_INDENT_TW * (depth + 1)}" w:hanging="0"/>')
                    case m.ListBlock():
                        if child.anchor:
                            self.pending_anchors.append(child.anchor)
                        self.list(child, inner)
                    case _:
                        self.block(child, inner)

    def new_ordered_list(self, level: int) -> int:
        """A fresh numbering instance so this ordered list starts at 1."""
        self.restarts.append(level)
        return ORDERED_BASE_NUM_ID + len(self.restarts)

    def text_paragraph(self, style_id: str, key: str, runs: tuple[m.Run, ...], direction: str | None,
                       num_pr: str = "", indent: str = "", outline: int | None = None) -> None:
        """A paragraph of presented runs; its margin notes, if any, in a frame just before it
        (Word and LibreOffice anchor a frame to the paragraph after it, level with its first line)."""
        xml = self.runs(runs, _RunFormat(key))
        if self.margin_labels:
            self.margin_note(self.margin_labels, key, direction)
            self.margin_labels = []
        self.paragraph(style_id, xml, num_pr, indent, outline=outline, direction=direction)

    def margin_note(self, labels: list[str], key: str, direction: str | None) -> None:
        """The speakers' names in a frame in the margin: the left one, or the right one for a
        right-to-left paragraph, set towards the text.  The names stand one per line.  The frame
        fills the margin from the page's edge to a small gap before the text, placed by alignment
        (w:xAlign), not by a distance: LibreOffice mirrors distances beside right-to-left text."""
        page = self.style.page
        rtl = (direction or self.direction) == "rtl"
        width = max((page.margin_right if rtl else page.margin_left) - MARGIN_NOTE_GAP, 24.0)
        edge = tw(min(MARGIN_NOTE_EDGE, width / 3))
        fmt = _RunFormat(key, char_key="speaker-label")
        runs = "<w:r><w:br/></w:r>".join(self.text_runs(label, fmt) for label in labels)
        self.body.append(
            f'<w:p><w:pPr><w:pStyle w:val="{PARAGRAPH_STYLE_ID["body"]}"/>'
            f'<w:framePr w:w="{tw(width)}" w:hSpace="0" w:wrap="around" w:vAnchor="text" w:hAnchor="page" '
            # no w:bidi on the frame: it would mirror its alignment (the names' runs carry their direction)
            f'w:xAlign="{"right" if rtl else "left"}" w:y="1"/>'
            '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            f'<w:ind w:left="{0 if rtl else edge}" w:right="{edge if rtl else 0}" w:firstLine="0"/>'
            f'<w:jc w:val="{"left" if rtl else "right"}"/></w:pPr>{runs}</w:p>')

    def paragraph(self, style_id: str, runs: str, num_pr: str = "", indent: str = "", *, tabs: str = "",
                  outline: int | None = None, direction: str | None = None) -> None:
        """One body paragraph, carrying the bookmarks waiting for it and a pending page break."""
        bookmarks = self.take_bookmarks()
        self.body.append(self.paragraph_xml(style_id, bookmarks + runs, num_pr, indent, self.take_page_break(),
                                            tabs, outline, direction))

    def paragraph_xml(self, style_id: str, runs: str, num_pr: str = "", indent: str = "", page_break: str = "",
                      tabs: str = "", outline: int | None = None, direction: str | None = None) -> str:
        level = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
        return (f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{page_break}{num_pr}{tabs}'
                f"{self.bidi(direction or self.direction)}{indent}{level}</w:pPr>{runs}</w:p>")

    @staticmethod
    def bidi(direction: str) -> str:
        return "<w:bidi/>" if direction == "rtl" else ""

    def take_bookmarks(self) -> str:
        """Zero-width bookmarks for the anchors waiting for the next paragraph."""
        out = []
        for anchor in self.pending_anchors:
            start, end = self.bookmark(anchor)
            out.append(start + end)
        self.pending_anchors = []
        return "".join(out)

    def place_pending_anchors(self) -> None:
        """Anchors with no paragraph left to carry them (an empty article) stand in the body on
        their own (the schema allows bookmarks between paragraphs): no empty paragraph for them."""
        if self.pending_anchors:
            self.body.append(self.take_bookmarks())

    def bookmark(self, anchor: str) -> tuple[str, str]:
        self.bookmark_id += 1
        return bookmark_start_xml(self.bookmark_id, bookmark_name(anchor)), bookmark_end_xml(self.bookmark_id)

    def take_page_break(self) -> str:
        """Start this paragraph on a new page, as its own property (no empty paragraph is left at
        the top of the page)."""
        if not self.page_break_pending:
            return ""
        self.page_break_pending = False
        return "<w:pageBreakBefore/>"

    # -- runs ------------------------------------------------------------------------------------
    def runs(self, runs: tuple[m.Run, ...], fmt: _RunFormat) -> str:
        return "".join(self.run(run, fmt) for run in runs)

    def run(self, run: m.Run, fmt: _RunFormat) -> str:
        match run:
            case m.TextRun(text=text):
                return self.text_runs(text, fmt)
            case m.QuoteRun(style_key=key, highlight=highlight, speaker=speaker, content=content):
                # the named style carries the look, highlight included (the style's per-kind
                # switch, which is what QuoteRun.highlight reports)
                if fmt.highlighted and not highlight:
                    # a plain quote inside a highlighted one ('bloodbath' in a speech): a run has
                    # one character style, so it keeps the outer one (no hole in the highlight)
                    # and takes its own kind's faces directly
                    own = self.style.element(key) if key in self.style.elements else None
                    inner = replace(fmt, bold=fmt.bold or bool(own and own.bold), italic=fmt.italic or bool(own and own.italic))
                else:
                    inner = replace(fmt, char_key=key, highlighted=highlight)
                xml = self.runs(content, inner)
                if speaker and self.doc.show_speaker_tooltip:
                    xml = self.with_comment(xml, speaker)      # an extra: the label is the visible form
                return xml
            case m.SpeakerLabel(text=text, placement="inline"):
                return self.text_runs(LABEL_SPACE + text, _RunFormat(fmt.block_key, char_key="speaker-label"))
            case m.SpeakerLabel(text=text, placement="margin"):
                self.margin_labels.append(text)          # set beside the paragraph (text_paragraph)
                return ""
            case m.SpeakerLabel(text=text, placement="endnote", anchor=anchor, note_anchor=note):
                number = self.text_runs(text, _RunFormat(fmt.block_key, char_key="speaker-label", superscript=True))
                if note and not fmt.linked:
                    number = f'<w:hyperlink w:anchor={attr(bookmark_name(note))} w:history="1">{number}</w:hyperlink>'
                if anchor:
                    start, end = self.bookmark(anchor)
                    number = start + number + end
                return number
            case m.EmphasisRun(content=content):
                return self.runs(content, replace(fmt, italic=True))
            case m.StrongRun(content=content):
                return self.runs(content, replace(fmt, bold=True))
            case m.LinkRun(href=href, content=content):
                if href is None or fmt.linked:
                    return self.runs(content, fmt)
                r_id = self.relationships.external(RT_HYPERLINK, href)
                return f'<w:hyperlink r:id="{r_id}" w:history="1">{self.runs(content, replace(fmt, linked=True))}</w:hyperlink>'
            case m.LineBreak():
                return "<w:r><w:br/></w:r>"
            case _:
                raise m.UnknownPartError(run, "docx writer")

    def with_comment(self, runs: str, speaker: str) -> str:
        """Anchor a Word comment naming the speaker on a quote's runs, dated at the build time."""
        cid = len(self.comments)
        date = utc_naive(self.options.build_time).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.comments.append(
            f'<w:comment w:id="{cid}" w:author="{COMMENT_AUTHOR}" w:date="{date}" w:initials="ex">'
            '<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="{COMMENT_REFERENCE_STYLE_ID}"/></w:rPr><w:annotationRef/></w:r>'
            f"<w:r>{run_content_xml(clean_text(speaker).strip())}</w:r></w:p></w:comment>")
        return (f'<w:commentRangeStart w:id="{cid}"/>{runs}<w:commentRangeEnd w:id="{cid}"/>'
                f'<w:r><w:rPr><w:rStyle w:val="{COMMENT_REFERENCE_STYLE_ID}"/></w:rPr>'
                f'<w:commentReference w:id="{cid}"/></w:r>')

    def text_runs(self, text: str, fmt: _RunFormat) -> str:
        """Runs for one text: split where the style's font lacks glyphs so each piece names the
        fallback family that draws it; a right-to-left piece is marked so Word shapes it."""
        text = clean_text(text)
        if not text:
            return ""
        family, bold, italic = self.faces(fmt)
        rstyle = f'<w:rStyle w:val="{CHARACTER_STYLE_ID[fmt.char_key]}"/>' if fmt.char_key else ""
        if fmt.linked and not fmt.char_key:
            rstyle = f'<w:rStyle w:val="{HYPERLINK_STYLE_ID}"/>'
        direct = ("<w:b/><w:bCs/>" if fmt.bold else "") + ("<w:i/><w:iCs/>" if fmt.italic else "")
        if fmt.upright:
            direct += '<w:i w:val="0"/><w:iCs w:val="0"/>'
        if fmt.superscript:
            # an endnote number is raised and shrunk from the text's own size: from the label's
            # small size it would all but vanish
            size = half_points(self.style.block(fmt.block_key).size or 10.0)
            direct += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:vertAlign w:val="superscript"/>'
        out: list[str] = []
        note = functools.partial(self.note_face, family, bold, italic) if self.font_log is not None else None
        for piece, fallback_name in self.fonts.split(text, family, bold, italic, note):
            fonts = ""
            if fallback_name:
                f = attr(fallback_name)
                fonts = f"<w:rFonts w:ascii={f} w:hAnsi={f} w:eastAsia={f} w:cs={f}/>"
            rtl = "<w:rtl/>" if not piece.isascii() and text_direction(piece) == "rtl" else ""
            rpr = rstyle + fonts + direct + rtl + self.run_language
            out.append(f"<w:r>{'<w:rPr>' + rpr + '</w:rPr>' if rpr else ''}{run_content_xml(piece)}</w:r>")
        return "".join(out)

    def note_face(self, family: str | None, bold: bool, italic: bool, text: str, fallback_name: str | None,
                  path) -> None:
        """Record what a face draws, for embedding: the style's family in its face, or a fallback
        font under its own name (Word draws its bold and italic from the regular face)."""
        if fallback_name:
            self.font_log.note(fallback_name, False, False, path, text)
        elif family is not None and family in self.style.fonts:
            self.font_log.note(self.style.fonts[family].name, bold, italic, path, text)

    def faces(self, fmt: _RunFormat) -> tuple[str | None, bool, bool]:
        """The font family key and faces a run is drawn in: block style, then the character
        style's own, then direct emphasis."""
        block = self.style.block(fmt.block_key)
        family, bold, italic = block.family, bool(block.bold), bool(block.italic)
        if fmt.char_key and fmt.char_key in self.style.elements:
            own = self.style.element(fmt.char_key)
            family = own.family or family
            bold = bold if own.bold is None else own.bold
            italic = italic if own.italic is None else own.italic
        return family, bold or fmt.bold or fmt.style_bold, (italic or fmt.italic) and not fmt.upright


__all__ = ["DocxWriter", "MEDIA_TYPE", "render_docx", "ttf_family_name"]
