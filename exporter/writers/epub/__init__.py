"""The EPUB 3 writer (ebooklib).

Layout of the package (file names are fixed; nothing in the article ever names a file):

    mimetype                     stored, first
    META-INF/container.xml
    EPUB/content.opf             metadata incl. accessibility, dcterms:modified = build time
    EPUB/title.xhtml             the title page (title, standfirst, meta line, marking)
    EPUB/article.xhtml           the article as semantic XHTML
    EPUB/toc.ncx, EPUB/nav.xhtml
    EPUB/style.css               generated from the style (see _epub_css)
    EPUB/fonts/*.ttf             only when the style embeds fonts: subsets of the faces used

A briefing (exporter/briefing@1) has, in spine order, instead of the title and article pages:

    EPUB/cover.xhtml             title, subtitle, date, prepared for, article count and sources, notes
    EPUB/nav.xhtml               the navigation document, which is the visible table of contents
    EPUB/key-quotes.xhtml        speaker | quote | article table (only when there are key quotes)
    EPUB/article-<id>.xhtml      one per article, <id> its briefing id (a01…), every id in it
                                 prefixed with "<id>-"

The XHTML is built by us as text from escaped pieces and handed to ebooklib as finished bytes:
ebooklib's own chapter path re-parses HTML with a forgiving parser, which is exactly where article
text could turn into markup.  Rendering one article is :func:`render_article`, whether it is the
whole book or one of a briefing's articles; the document-level code (:func:`build_epub`) only
assembles pages.  The marking (options, else the briefing's, else the style's) is at the top and
bottom of every page.
"""
from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, ClassVar, NamedTuple

from ebooklib import epub

from ...ast import (
    Article, BlockQuote, Break, Emphasis, Heading, Link, ListBlock, Meta, Paragraph, Quote, Rule,
    Strong, Text, UnknownNodeError, inline_text, iter_inline_runs,
)
from ...briefing import Briefing, KeyQuote
from ...errors import RenderError, StyleError
from ...links import safe_link, strip_credentials, warn_once
from .. import RenderOptions
from .css import FontFace, build_css

if TYPE_CHECKING:  # pragma: no cover
    from ...style.model import Style

# ------------------------------------------------------------------------------------- text safety
# Everything XML 1.0 forbids (C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF),
# plus C1 controls and the BMP noncharacters, which XML allows but reading systems choke on.
# Supplementary-plane noncharacters (U+1FFFE…) are XML characters and pass.  Written as the
# characters to remove rather than the ones to keep: it compiles in a tenth of the time.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo… and their presentation forms).
_RTL_CHAR = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi"})

# BCP 47 language tag syntax (RFC 5646 §2.1, langtag and privateuse; irregular grandfathered tags
# are not accepted: the reader never produces them).
_BCP47 = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$"
    r"|^[xX](?:-[A-Za-z0-9]{1,8})+$"
)
# W3C date-time profile (what OPF dc:date must follow).
_W3CDTF = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$")

UNTITLED = "Untitled"


def xml_clean(text: str) -> str:
    """``text`` without the characters that must never reach the package."""
    return _XML_UNSAFE.sub("", text)


def esc(text: str) -> str:
    """Article text as XHTML character data: escaped, never interpreted.  (Our own three
    replaces rather than html.escape: the html package costs a millisecond to import.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(text: str) -> str:
    """Article text as a double-quoted attribute value (newlines kept as character references)."""
    return (esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
            .replace("\r", "&#13;"))


def one_line(text: str) -> str:
    return " ".join(xml_clean(text).split())


def language_tag(value: str | None) -> str:
    """The article's language as a well-formed BCP 47 tag; ``und`` (undetermined) when it has none
    or it is malformed — never the process locale."""
    if value:
        candidate = value.strip().replace("_", "-")
        if _BCP47.match(candidate):
            return candidate
    return "und"


def w3c_date(value: str | None) -> str | None:
    """``value`` when it is a date OPF accepts (W3CDTF) and a real calendar date; a timestamp
    without a zone gives its date part; anything else None."""
    if not value:
        return None
    candidate = value.strip()
    if not _W3CDTF.match(candidate):
        if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", candidate):
            return w3c_date(candidate[:10])
        return None
    try:
        datetime.fromisoformat(candidate[:10] if len(candidate) >= 10 else candidate + "-01-01"[len(candidate) - 4:])
    except ValueError:
        return None
    return candidate


SINGLE_META_LINE = ("byline", "source", "date")
BRIEFING_META_LINE = ("source", "site", "date")     # a briefing shows the byline on its own line


def meta_line_parts(meta: Meta, line_fields: tuple[str, ...] = SINGLE_META_LINE) -> list[str]:
    """"byline · source · date" (or the fields named) with the empty parts left out; a site that
    only repeats the source is shown once."""
    found: list[str] = []
    for name in line_fields:
        part = one_line(getattr(meta, name) or "")
        if not part or (name == "site" and meta.source and part.casefold() == one_line(meta.source).casefold()):
            continue
        found.append(part)
    return found


# ------------------------------------------------------------------------------------ rendering
class BookState:
    """What rendering collects across one book: headings for the navigation, and (only when the
    style embeds fonts) which characters each font file draws.  One per write, never shared."""

    def __init__(self, style: Style, embed_fonts: bool, resolver: object | None = None,
                 warn: Callable[[str], None] | None = None) -> None:
        self.style = style
        self.embed_fonts = embed_fonts
        self.resolver = resolver
        self.warn_link = warn_once(warn) if warn is not None else None   # a link lost user:password@
        self.font_chars: dict[Path, set[str]] = {}
        self.primary_faces: dict[Path, tuple[str, bool, bool]] = {}
        self.fallback_paths: list[Path] = []
        self.headings: list[tuple[str, str, int, str]] = []           # (file, id, level, text)
        self.block_anchors: dict[tuple[str, int], str] = {}           # (file, block index) -> id
        self._next_anchor = 0

    def anchor(self) -> str:
        self._next_anchor += 1
        return f"h{self._next_anchor}"

    def text(self, text: str, family: str | None, bold: bool, italic: bool) -> str:
        """Escaped character data; notes which font files draw it when fonts are embedded."""
        text = xml_clean(text)
        if self.embed_fonts and text:
            self._note_glyphs(text, family, bold, italic)
        return esc(text)

    def _note_glyphs(self, text: str, family: str | None, bold: bool, italic: bool) -> None:
        family_key = family if family in self.style.fonts else None
        if family_key is not None:
            primary = self.style.fonts[family_key].face(bold, italic)
            self.primary_faces.setdefault(primary, (self.style.fonts[family_key].name, bold, italic))
        else:
            primary = None
        if self.resolver is None:
            if primary is not None:
                self.font_chars.setdefault(primary, set()).update(text)
            return
        for run_text, path in self.resolver.split(text, family_key, bold, italic):  # type: ignore[attr-defined]
            if path is None:
                continue
            path = Path(path)
            self.font_chars.setdefault(path, set()).update(run_text)
            if path != primary and path not in self.fallback_paths:
                self.fallback_paths.append(path)


# The writer's small immutable records are NamedTuples, not frozen dataclasses: a dataclass costs
# ~0.4 ms to create at import (its methods are generated and compiled), paid by every export.
class _Face(NamedTuple):
    """The font an inline is drawn in: a style family key, weight and slant (what the resolver
    and the embedded-font bookkeeping need to know)."""

    family: str | None
    bold: bool
    italic: bool

    def with_(self, *, bold: bool | None = None, italic: bool | None = None) -> _Face:
        return _Face(self.family, self.bold if bold is None else bold, self.italic if italic is None else italic)


_QUOTE_KEYS = {"speech": "quote-speech", "title": "quote-title", "term": "quote-term"}
_ID_ATTR = re.compile(r' id="([^"]*)"')


class ArticleRenderer:
    """Renders one article's parts into XHTML fragments (strings of well-formed markup)."""

    def __init__(self, state: BookState, page_file: str, anchor_prefix: str = "") -> None:
        self.state = state
        self.anchor_prefix = anchor_prefix
        self.style = state.style
        self.page_file = page_file
        self.show_speaker = state.style.quotes.show_speaker
        self._faces: dict[tuple[str, str], _Face] = {}     # (element key, enclosing block) -> face

    # -- inlines -----------------------------------------------------------------------------
    def inlines(self, content, face: _Face, block_key: str) -> str:
        return "".join(self.inline(node, face, block_key) for node in content)

    def inline(self, node, face: _Face, block_key: str) -> str:
        match node:
            case Text(text=text):
                return self.state.text(text, face.family, face.bold, face.italic)
            case Emphasis(content=content):
                return f"<em>{self.inlines(content, face.with_(italic=True), block_key)}</em>"
            case Strong(content=content):
                return f"<strong>{self.inlines(content, face.with_(bold=True), block_key)}</strong>"
            case Quote(kind=kind, speaker=speaker, content=content):
                key = _QUOTE_KEYS[kind]
                inner = self.inlines(content, self._face(key, block_key), block_key)
                attrs = f' class="{key}"'
                if speaker and one_line(speaker):
                    # The speaker always travels with the quote; the tooltip only when the style asks.
                    attrs += f' data-speaker="{esc_attr(one_line(speaker))}"'
                    if self.show_speaker:
                        attrs += f' title="{esc_attr(one_line(speaker))}"'
                return f"<q{attrs}>{inner}</q>"
            case Link(url=url, content=content):
                inner = self.inlines(content, face, block_key)
                href = safe_link(xml_clean(url), self.state.warn_link)
                if href is None:
                    return inner
                return f'<a href="{esc_attr(href)}">{inner}</a>'
            case Break():
                # The newline keeps the words apart for anything that reads the text back.
                return "<br/>\n"
            case _:
                raise UnknownNodeError(node, "epub inline")

    def _face(self, key: str, within: str | None = None) -> _Face:
        """The face text of element ``key`` is drawn in (an inline key inside block ``within``)."""
        cache_key = (key, within or "")
        face = self._faces.get(cache_key)
        if face is None:
            look = self.style.inline(key, within) if within else self.style.block(key)
            face = self._faces[cache_key] = _Face(look.family, bool(look.bold), bool(look.italic))
        return face

    def _text_block(self, tag: str, key: str, content, extra_attrs: str = "") -> str:
        inner = self.inlines(content, self._face(key), key)
        # Markup is ASCII, so a right-to-left letter in the rendered inner text is one in the text.
        direction = ' dir="auto"' if _RTL_CHAR.search(inner) else ""
        return f'<{tag} class="{key}"{extra_attrs}{direction}>{inner}</{tag}>'

    def plain_block(self, tag: str, key: str, text: str) -> str:
        inner = self.state.text(text, *self.face_args(key))
        direction = ' dir="auto"' if _RTL_CHAR.search(text) else ""
        return f'<{tag} class="{key}"{direction}>{inner}</{tag}>'

    def face_args(self, key: str) -> tuple[str | None, bool, bool]:
        face = self._face(key)
        return face.family, face.bold, face.italic

    # -- blocks ------------------------------------------------------------------------------
    def blocks(self, blocks, paragraph_key: str) -> str:
        return "\n".join(self.block(b, paragraph_key) for b in blocks)

    def block(self, block, paragraph_key: str) -> str:
        match block:
            case Paragraph(content=content):
                return self._text_block("p", paragraph_key, content)
            case Heading(level=level, content=content):
                level = min(max(level, 1), 3)
                key = f"heading-{level}"
                anchor = self.anchor_prefix + self.state.anchor()
                text = one_line(inline_text(content))
                if text:
                    self.state.headings.append((self.page_file, anchor, level, text))
                return self._text_block(f"h{level}", key, content, f' id="{anchor}"')
            case BlockQuote(content=content):
                return f"<blockquote>\n{self.blocks(content, 'blockquote')}\n</blockquote>"
            case ListBlock(ordered=ordered, items=items):
                tag = "ol" if ordered else "ul"
                rendered = "\n".join(f"<li>{self.blocks(item, 'list')}</li>" for item in items)
                return f"<{tag}>\n{rendered}\n</{tag}>" if items else ""
            case Rule():
                return "<hr/>"
            case _:
                raise UnknownNodeError(block, "epub block")

    def body(self, blocks, anchored: frozenset[int] = frozenset()) -> str:
        """The body blocks; a first paragraph is the lede.  Top-level blocks whose index is in
        ``anchored`` get an id (``<prefix>b<index>``) that links can point at (a briefing's key
        quotes link to the block their quote sits in)."""
        parts: list[str] = []
        for index, block in enumerate(blocks):
            rendered = self.block(block, "lede" if index == 0 and isinstance(block, Paragraph) else "body")
            if index in anchored and rendered.startswith("<"):
                tag_end = rendered.index(">")
                existing = _ID_ATTR.search(rendered, 0, tag_end)
                if existing is None:
                    space = rendered.find(" ", 0, tag_end)
                    cut = space if space != -1 else tag_end
                    anchor = f"{self.anchor_prefix}b{index}"
                    rendered = f'{rendered[:cut]} id="{anchor}"{rendered[cut:]}'
                else:                               # a heading already has its navigation id
                    anchor = existing.group(1)
                # Links point only at ids that exist: a block that renders to nothing gets none.
                self.state.block_anchors[(self.page_file, index)] = anchor
            parts.append(rendered)
        return "\n".join(p for p in parts if p)

    # -- title block and sections -------------------------------------------------------------
    def title_block(self, meta: Meta, heading_tag: str = "h1",
                    line_fields: tuple[str, ...] = SINGLE_META_LINE) -> str:
        title = one_line(meta.title or "") or UNTITLED
        parts = [self.plain_block(heading_tag, "title", title)]
        if meta.subtitle and one_line(meta.subtitle):
            parts.append(self.plain_block("p", "subtitle", one_line(meta.subtitle)))
        if "byline" not in line_fields and meta.byline and one_line(meta.byline):
            parts.append(self.plain_block("p", "byline", one_line(meta.byline)))
        line = meta_line_parts(meta, line_fields)
        if line:
            parts.append(self.plain_block("p", "meta-line", " · ".join(line)))
        return "\n".join(parts)

    def marking(self, text: str | None, key: str) -> str:
        if not text or not one_line(text):
            return ""
        return self.plain_block("p", key, one_line(text))

    def related(self, article: Article) -> str:
        if not (self.style.sections.related and article.related):
            return ""
        items = []
        for item in article.related:
            text = one_line(item.title)
            if item.summary and one_line(item.summary):
                text += " — " + one_line(item.summary)
            items.append(f"<li>{self.plain_block('p', 'related-item', text)}</li>")
        heading = self.plain_block("h2", "related-heading", "Related")
        return f'<section class="related">\n{heading}\n<ul>\n' + "\n".join(items) + "\n</ul>\n</section>"

    def dropped(self, article: Article) -> str:
        if not (self.style.sections.dropped and article.dropped):
            return ""
        items = [
            f"<li>{self.plain_block('p', 'dropped-item', f'Line {d.line} ({one_line(d.reason)}): {one_line(d.text)}')}</li>"
            for d in article.dropped
        ]
        heading = self.plain_block("h2", "dropped-heading", "Dropped lines")
        return f'<section class="dropped">\n{heading}\n<ol>\n' + "\n".join(items) + "\n</ol>\n</section>"


def render_article(article: Article, state: BookState, page_file: str, *, with_header: bool,
                   anchor_prefix: str = "", anchored_blocks: frozenset[int] = frozenset(),
                   line_fields: tuple[str, ...] = SINGLE_META_LINE) -> str:
    """One article as an ``<article>`` fragment: optional title block, body, optional sections.
    A single-article book puts the title block on its title page instead (``with_header=False``);
    a briefing passes each article's id as ``anchor_prefix`` so no anchor collides."""
    renderer = ArticleRenderer(state, page_file, anchor_prefix)
    id_attr = f' id="{anchor_prefix.rstrip("-")}"' if anchor_prefix else ""
    parts = [f"<article{id_attr}>"]
    if with_header:
        parts.append(f"<header>\n{renderer.title_block(article.meta, line_fields=line_fields)}\n</header>")
    parts.append(renderer.body(article.body, anchored_blocks))
    parts.append(renderer.related(article))
    parts.append(renderer.dropped(article))
    parts.append("</article>")
    return "\n".join(p for p in parts if p)


def render_title_page(meta: Meta, state: BookState, page_file: str) -> str:
    renderer = ArticleRenderer(state, page_file)
    return f'<section class="title-page" epub:type="titlepage">\n{renderer.title_block(meta)}\n</section>'


def with_marking(fragment: str, state: BookState, page_file: str, marking: str | None) -> str:
    """A page's content between the marking lines (the marking is on every page when set)."""
    renderer = ArticleRenderer(state, page_file)
    top, bottom = renderer.marking(marking, "header"), renderer.marking(marking, "footer")
    return "\n".join(p for p in (top, fragment, bottom) if p)


# ------------------------------------------------------------------------------------ briefings
COVER_FILE = "cover.xhtml"
NAV_FILE = "nav.xhtml"
KEY_QUOTES_FILE = "key-quotes.xhtml"
_PLAIN_ARTICLE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,15}$")


def article_file(article_id: str) -> str:
    return f"article-{article_id}.xhtml"


def briefing_article_ids(briefing: Briefing) -> list[str]:
    """A unique id per article, in order: the briefing's own (``a01``…) when it is a plain short
    name, else one from its position.  The id names the article's file and prefixes its anchors,
    so a briefing read from JSON made elsewhere never names a file or breaks an id."""
    ids: list[str] = []
    taken: set[str] = set()
    for position, item in enumerate(briefing.articles, start=1):
        candidate = item.id if _PLAIN_ARTICLE_ID.match(item.id) else f"a{position:02d}"
        while candidate.lower() in taken:          # file names may be case-insensitive
            candidate += "x"
        taken.add(candidate.lower())
        ids.append(candidate)
    return ids


def _element_key(style: Style, key: str, stand_in: str) -> str:
    """``key`` when the style defines it; a style made before the briefing keys uses ``stand_in``."""
    return key if key in style.elements else stand_in


def render_cover(briefing: Briefing, state: BookState, page_file: str) -> str:
    """The cover: title, subtitle, date, who it is for, how many articles from which sources, and
    the notes (inputs left out…).  The marking goes above and below it, as on every page."""
    renderer = ArticleRenderer(state, page_file)
    meta = briefing.meta
    title_key = _element_key(state.style, "cover-title", "title")
    meta_key = _element_key(state.style, "cover-meta", "meta-line")
    parts = [renderer.plain_block("h1", title_key, one_line(meta.title) or "Briefing")]
    if meta.subtitle and one_line(meta.subtitle):
        parts.append(renderer.plain_block("p", "subtitle", one_line(meta.subtitle)))
    if meta.date and one_line(meta.date):
        parts.append(renderer.plain_block("p", meta_key, one_line(meta.date)))
    if meta.prepared_for and one_line(meta.prepared_for):
        parts.append(renderer.plain_block("p", meta_key, f"Prepared for {one_line(meta.prepared_for)}"))
    count = len(briefing.articles)
    line = f"{count} article{'' if count == 1 else 's'}"
    sources = [one_line(name) for name in briefing.sources if one_line(name)]
    if sources:
        line += " from " + (", ".join(sources[:-1]) + " and " + sources[-1] if len(sources) > 1 else sources[0])
    parts.append(renderer.plain_block("p", meta_key, line))
    for note in meta.notes:
        if one_line(note):
            parts.append(renderer.plain_block("p", meta_key, one_line(note)))
    return '<section class="cover" epub:type="titlepage">\n' + "\n".join(parts) + "\n</section>"


def _lang_attrs(language: str, book_language: str) -> str:
    if language in ("und", book_language):
        return ""
    return f' lang="{language}" xml:lang="{language}"'


def render_key_quotes(briefing: Briefing, ids_by_given: dict[str, str], state: BookState, page_file: str,
                      book_language: str) -> str:
    """The key quotes as a table: speaker | quote | article.  Each quote links to the block it sits
    in (the ids the articles were given while rendering, so no link dangles); the article's title,
    linked to the article, spans the rows of its quotes rather than repeating on every row."""
    renderer = ArticleRenderer(state, page_file)
    heading_key = _element_key(state.style, "key-quotes-heading", "heading-1")
    item_key = _element_key(state.style, "key-quotes-item", "body")
    family, bold, italic = renderer.face_args(item_key)
    articles = {item.id: item.article for item in reversed(briefing.articles)}   # first of a repeated id wins

    def cell(column: str, text: str, attrs: str = "", *, href: str | None = None) -> str:
        # The stylesheet sets the speaker and article columns upright (only the quote keeps the
        # element's slant): the embedded-font bookkeeping must note the face that draws them.
        inner = state.text(text, family, bold, italic if column == "quote" else False)
        if href is not None:
            inner = f'<a href="{href}">{inner}</a>'
        direction = ' dir="auto"' if _RTL_CHAR.search(text) else ""
        return f'<td class="{item_key} kq-{column}"{attrs}{direction}>{inner}</td>'

    runs: list[list[KeyQuote]] = []                  # consecutive quotes of one article
    for quote in briefing.key_quotes:
        if runs and runs[-1][0].article_id == quote.article_id:
            runs[-1].append(quote)
        else:
            runs.append([quote])
    rows: list[str] = []
    for run in runs:
        article_id = ids_by_given.get(run[0].article_id)
        article = articles.get(run[0].article_id)
        language = _lang_attrs(language_tag(article.meta.language), book_language) if article else ""
        target = article_file(article_id) if article_id is not None and article is not None else None
        for position, quote in enumerate(run):
            href = None
            if target is not None:
                href = f"{target}#{state.block_anchors.get((target, quote.block), article_id)}"
            cells = [cell("speaker", one_line(quote.speaker), language),
                     cell("quote", one_line(quote.text), language, href=href)]
            if position == 0:
                span = f' rowspan="{len(run)}"' if len(run) > 1 else ""
                if target is None:
                    cells.append(cell("article", "", span))
                else:
                    title = one_line(article.meta.title or "") or UNTITLED
                    cells.append(cell("article", title, span + language, href=f"{target}#{article_id}"))
            rows.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
    head = "".join(f'<th scope="col" class="{item_key} kq-{label.lower()}">{state.text(label, family, True, False)}</th>'
                   for label in ("Speaker", "Quote", "Article"))
    return ('<section class="key-quotes">\n'
            + renderer.plain_block("h1", heading_key, "Key quotes")
            + f'\n<table class="key-quotes">\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table>\n</section>")


class NavEntry(NamedTuple):
    href: str
    text: str
    children: tuple[NavEntry, ...] = ()


def render_nav(entries: list[NavEntry], landmarks: list[tuple[str, str, str]], state: BookState,
               page_file: str) -> str:
    """The navigation document's body, which is also the briefing's visible table of contents:
    the toc nav (cover, key quotes, each article with its headings nested) and the landmarks
    (hidden: reading systems use them, readers need not see them)."""
    renderer = ArticleRenderer(state, page_file)
    heading_key = _element_key(state.style, "toc-heading", "heading-1")
    entry_key = _element_key(state.style, "toc-entry", "body")
    family, bold, italic = renderer.face_args(entry_key)

    def items(level: list[NavEntry] | tuple[NavEntry, ...]) -> str:
        rendered = []
        for entry in level:
            direction = ' dir="auto"' if _RTL_CHAR.search(entry.text) else ""
            link = (f'<a class="{entry_key}" href="{esc_attr(entry.href)}"{direction}>'
                    f"{state.text(entry.text, family, bold, italic)}</a>")
            nested = f"\n<ol>\n{items(entry.children)}\n</ol>\n" if entry.children else ""
            rendered.append(f"<li>{link}{nested}</li>")
        return "\n".join(rendered)

    toc = ('<nav epub:type="toc" id="toc" role="doc-toc">\n'
           + renderer.plain_block("h1", heading_key, "Contents")
           + f"\n<ol>\n{items(entries)}\n</ol>\n</nav>")
    if not landmarks:
        return toc
    marks = "\n".join(f'<li><a epub:type="{kind}" href="{href}">{esc(text)}</a></li>' for kind, href, text in landmarks)
    return toc + f'\n<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<h2>Landmarks</h2>\n<ol>\n{marks}\n</ol>\n</nav>'


# ----------------------------------------------------------------------------------- packaging
class BookMeta(NamedTuple):
    title: str
    language: str
    identifier: str
    direction: str | None           # "rtl" or None
    creator: str | None = None
    publisher: str | None = None
    date: str | None = None
    source: str | None = None
    description: str | None = None


class Page(NamedTuple):
    file_name: str                  # fixed, e.g. "article.xhtml"
    uid: str                        # manifest id
    title: str
    body_html: str
    body_type: str | None = None    # epub:type on <body>
    landmark: str | None = None     # epub:type of its entry in the nav's landmarks ("titlepage", "bodymatter")
    language: str | None = None     # the page's own language when it differs from the book's
    direction: str | None = None    # "rtl"/"ltr" when the page's differs from the book's
    nav: bool = False               # our own navigation document (in the spine), not ebooklib's


ACCESSIBILITY_SUMMARY = ("This publication is text only. Headings, lists, block quotations and "
                         "quotations are marked up semantically; the reading order follows the source.")


def book_meta_for(article: Article, warn: Callable[[str], None] | None = None) -> BookMeta:
    """The package metadata of a single-article book."""
    meta = article.meta
    language = language_tag(meta.language)
    primary = language.split("-")[0].lower()
    return BookMeta(
        title=one_line(meta.title or "") or UNTITLED,
        language=language,
        identifier=stable_identifier(article),
        direction="rtl" if primary in _RTL_LANGUAGES else None,
        creator=one_line(meta.byline) if meta.byline and one_line(meta.byline) else None,
        publisher=one_line(meta.source or meta.site or "") or None,
        date=w3c_date(meta.date),
        source=strip_credentials(one_line(meta.url), warn) if meta.url and one_line(meta.url) else None,
        description=one_line(meta.subtitle) if meta.subtitle and one_line(meta.subtitle) else None,
    )


def book_meta_for_briefing(briefing: Briefing) -> BookMeta:
    """The package metadata of a briefing: its own title, language and date."""
    meta = briefing.meta
    language = language_tag(meta.language)
    return BookMeta(
        title=one_line(meta.title) or "Briefing",
        language=language,
        identifier=briefing_identifier(briefing),
        direction="rtl" if language.split("-")[0].lower() in _RTL_LANGUAGES else None,
        date=w3c_date(meta.date),
        description=one_line(meta.subtitle) if meta.subtitle and one_line(meta.subtitle) else None,
    )


def briefing_identifier(briefing: Briefing) -> str:
    """``urn:uuid:`` from the briefing's cover fields and its articles' own identifiers, in order."""
    digest = hashlib.sha256()
    meta = briefing.meta
    for part in (meta.title, meta.subtitle, meta.date, meta.prepared_for,
                 *(stable_identifier(item.article) for item in briefing.articles)):
        digest.update((part or "").encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_OID, 'exporter-briefing:' + digest.hexdigest())}"


def stable_identifier(article: Article) -> str:
    """``urn:uuid:`` derived from the article's URL when it has one, else from its content (the
    metadata and the text of every block, in order) — never from how this writer marks it up."""
    meta = article.meta
    url = strip_credentials(xml_clean(meta.url or "").strip())     # no digest of a password either
    if url:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}"
    digest = hashlib.sha256()
    fields = (meta.title, meta.subtitle, meta.byline, meta.source, meta.date, meta.language)
    texts = (inline_text(content) for _, content in iter_inline_runs(article.body))
    for part in (*fields, *texts):
        digest.update((part or "").encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_OID, 'exporter-article:' + digest.hexdigest())}"


def xhtml_page(page: Page, title: str, language: str, direction: str | None) -> bytes:
    dir_attr = f' dir="{direction}"' if direction else ""
    body_type = f' epub:type="{page.body_type}"' if page.body_type else ""
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{language}" xml:lang="{language}"{dir_attr}>\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{esc(one_line(title))}</title>\n'
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body{body_type}>\n{page.body_html}\n</body>\n</html>\n"
    )
    # Every piece of article text was cleaned (xml_clean) and escaped on its way in: BookState.text,
    # one_line and exporter.links.safe_link are the only doors, so the page needs no second pass.
    return text.encode("utf-8")


class _OwnNavDocument(epub.EpubNav):
    """A navigation document whose bytes we built (a briefing's visible contents page)."""

    def __init__(self, uid: str, file_name: str, title: str, data: bytes, direction: str | None) -> None:
        super().__init__(uid=uid, file_name=file_name, title=title, direction=direction)
        self._data = data

    def get_content(self, default=None) -> bytes:
        return self._data


class _XhtmlDocument(epub.EpubHtml):
    """A content document whose bytes we built: ebooklib lists it and zips it, never re-parses it."""

    def __init__(self, uid: str, file_name: str, title: str, data: bytes, language: str) -> None:
        # The media type given, so ebooklib never asks the mimetypes module (whose first use
        # reads the system's mime.types: ~10 ms of every CLI run).
        super().__init__(uid=uid, file_name=file_name, media_type="application/xhtml+xml", title=title, lang=language)
        self._data = data

    def get_content(self, default=None) -> bytes:
        return self._data


STORE_BELOW = 1024


class _FixedTimeZip:
    """The part of ZipFile that ebooklib's writer uses, with every entry's time fixed."""

    def __init__(self, zf: zipfile.ZipFile, date_time: tuple[int, int, int, int, int, int]) -> None:
        self._zf = zf
        self._date_time = date_time

    def writestr(self, name: str, data, compress_type: int = zipfile.ZIP_DEFLATED) -> None:
        if len(data) < STORE_BELOW:
            # A deflater costs ~40 µs to set up whatever it compresses; on a few hundred bytes it
            # saves a few hundred bytes.  Small entries are stored.
            compress_type = zipfile.ZIP_STORED
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = compress_type
        info.create_system = 3                      # the same bytes whatever OS builds it
        info.external_attr = 0o100644 << 16
        self._zf.writestr(info, data, compresslevel=6 if compress_type == zipfile.ZIP_DEFLATED else None)


class _ReproducibleEpubWriter(epub.EpubWriter):
    def __init__(self, target: BinaryIO, book: epub.EpubBook, options: dict, date_time) -> None:
        super().__init__(target, book, options)
        self._date_time = date_time

    def _get_nav(self, item):
        if isinstance(item, _OwnNavDocument):
            return item.get_content()
        return super()._get_nav(item)

    def write(self) -> None:
        with zipfile.ZipFile(self.file_name, "w", zipfile.ZIP_DEFLATED) as zf:
            self.out = _FixedTimeZip(zf, self._date_time)
            # mimetype first and stored, as OCF requires.
            self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            self._write_container()
            self._write_opf()
            self._write_items()


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    # DOS dates cover 1980-2107; clamp so any build time gives a valid entry.
    year = min(max(moment.year, 1980), 2107)
    return (year, moment.month, moment.day, moment.hour, moment.minute, moment.second // 2 * 2)


def build_epub(meta: BookMeta, pages: list[Page], toc: list, css: str,
               fonts: list[tuple[str, bytes]], build_time: datetime) -> bytes:
    """Assemble the package.  ``toc`` is ebooklib's nested list of ``epub.Link``/tuples; ``fonts``
    are (package-relative file name, bytes) pairs."""
    moment = build_time.astimezone(timezone.utc) if build_time.tzinfo else build_time
    book = epub.EpubBook()
    book.set_identifier(meta.identifier)
    book.set_title(meta.title)
    book.set_language(meta.language)
    if meta.direction:
        book.set_direction(meta.direction)
    if meta.creator:
        book.add_author(meta.creator)
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    if meta.date:
        book.add_metadata("DC", "date", meta.date)
    if meta.source:
        book.add_metadata("DC", "source", meta.source)
    if meta.description:
        book.add_metadata("DC", "description", meta.description)
    for prop, value in (
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "displayTransformability"),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", ACCESSIBILITY_SUMMARY),
    ):
        book.add_metadata(None, "meta", value, {"property": prop})

    stylesheet = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                               content=css.encode("utf-8"))
    book.add_item(stylesheet)
    documents = []
    own_nav = False
    for page in pages:
        language = page.language or meta.language
        data = xhtml_page(page, page.title, language, page.direction or meta.direction)
        if page.nav:
            document = _OwnNavDocument(page.uid, page.file_name, page.title, data, meta.direction)
            own_nav = True
        else:
            document = _XhtmlDocument(page.uid, page.file_name, page.title, data, language)
        book.add_item(document)
        documents.append(document)
    for index, (file_name, data) in enumerate(fonts, start=1):
        book.add_item(epub.EpubItem(uid=f"font{index}", file_name=file_name, media_type="font/ttf", content=data))
    book.toc = toc
    # Landmarks let reading systems (and assistive technology) jump to the title page or the text.
    book.guide = [{"href": page.file_name, "title": page.title, "type": page.landmark}
                  for page in pages if page.landmark]
    book.add_item(epub.EpubNcx())
    if not own_nav:
        book.add_item(epub.EpubNav(direction=meta.direction))
    # ebooklib's nav document is reachable from the package, not the spine; our own (a briefing's
    # contents page) is read in order like any page.
    book.spine = documents

    buffer = io.BytesIO()
    writer = _ReproducibleEpubWriter(buffer, book, {
        "mtime": moment.replace(tzinfo=None),
        "epub3_pages": False,          # no page-list: it would re-parse every document
        "epub3_landmark": True,        # the landmarks nav, from book.guide
        "epub2_guide": False,
        "raise_exceptions": True,
    }, _zip_time(moment))
    writer.process()
    writer.write()
    return buffer.getvalue()


# ------------------------------------------------------------------------------------- fonts
def _embedded_fonts(state: BookState, warn) -> tuple[list[FontFace], tuple[str, ...], list[tuple[str, bytes]]]:
    """@font-face rules, fallback family names and subset font files for what the book drew.
    Files are named by role (``fonts/serif-bold.ttf``, ``fonts/fallback-1.ttf``), never by any
    name that came from outside."""
    from .fonts import subset_font

    faces: list[FontFace] = []
    files: list[tuple[str, bytes]] = []
    hrefs: dict[Path, str | None] = {}

    def add_file(path: Path, href: str) -> str | None:
        if path not in hrefs:
            try:
                data = subset_font(path, state.font_chars[path])
            except StyleError:        # not a usable font file at all (size, signature): as in every format
                raise
            except Exception as exc:  # fontTools raises many kinds; a font we cannot cut is left out
                warn(f"epub: font {path.name} could not be embedded ({type(exc).__name__}: {exc}); "
                     "reading systems will use their own")
                hrefs[path] = None
                return None
            hrefs[path] = href
            files.append((href, data))
        return hrefs[path]

    face_names = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold-italic"}
    family_slugs = {family.name: _slug(key, index) for index, (key, family) in enumerate(sorted(state.style.fonts.items()))}
    for path, (family, bold, italic) in sorted(state.primary_faces.items(),
                                               key=lambda kv: (kv[1][0], kv[1][1], kv[1][2])):
        if state.font_chars.get(path):
            href = add_file(path, f"fonts/{family_slugs.get(family, 'font')}-{face_names[(bold, italic)]}.ttf")
            if href is not None:
                faces.append(FontFace(family, bold, italic, href))
    fallback_families: list[str] = []
    for index, path in enumerate(state.fallback_paths, start=1):
        if state.font_chars.get(path):
            href = add_file(path, f"fonts/fallback-{index}.ttf")
            if href is not None:
                name = f"exporter-fallback-{index}"
                fallback_families.append(name)
                faces.append(FontFace(name, False, False, href))
    return faces, tuple(fallback_families), files


def _slug(key: str, index: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    return slug[:32] if slug else f"family{index}"


# The last stylesheet built without embedded fonts, per style object: a batch renders many
# articles with one style, and the CSS depends on nothing else then.  Keyed by identity and
# holding the style itself, so a recycled id() can never return another style's CSS.
_css_cache: dict[tuple[int, bool], tuple[object, str]] = {}


def _stylesheet(style: Style, faces: list[FontFace], fallback_families: tuple[str, ...],
                briefing: bool = False) -> str:
    if faces or fallback_families:
        return build_css(style, faces, fallback_families, briefing=briefing)
    cached = _css_cache.get((id(style), briefing))
    if cached is not None and cached[0] is style:
        return cached[1]
    css = build_css(style, briefing=briefing)
    if len(_css_cache) > 16:
        _css_cache.clear()
    _css_cache[(id(style), briefing)] = (style, css)
    return css


def _font_resolver(style: Style, embed: bool):
    if not embed:
        return None
    try:
        from ...style.fonts import FontResolver
    except ImportError:  # the shared resolver is not installed: embed the primary faces only
        return None
    return FontResolver(style)


# ------------------------------------------------------------------------------------- writer
class EpubWriter:
    name: ClassVar[str] = "epub"
    media_type: ClassVar[str] = "application/epub+zip"
    extension: ClassVar[str] = "epub"
    uses_style: ClassVar[bool] = True

    def write(self, document: Article | Briefing, style: Style, out: BinaryIO, options: RenderOptions) -> None:
        if style is None:
            raise RenderError("epub: a style is required")
        try:
            match document:
                case Article():
                    data = self.render(document, style, options)
                case Briefing():
                    data = self.render_briefing(document, style, options)
                case _:
                    raise UnknownNodeError(document, "epub document")
        except (UnknownNodeError, RenderError):
            raise
        except (ValueError, OSError, KeyError) as exc:
            raise RenderError(f"epub: {exc}") from exc
        # One write of a finished package: a failure above leaves nothing half-written.
        out.write(data)

    def render(self, document: Article, style: Style, options: RenderOptions) -> bytes:
        """One article: a title page and the article's page."""
        marking = options.marking if options.marking is not None else style.marking
        state = _book_state(style, options)

        title_html = render_title_page(document.meta, state, "title.xhtml")
        article_html = render_article(document, state, "article.xhtml", with_header=False)
        meta = book_meta_for(document, state.warn_link)
        pages = [
            Page("title.xhtml", "titlepage", meta.title, with_marking(title_html, state, "title.xhtml", marking),
                 landmark="titlepage"),
            Page("article.xhtml", "article", meta.title, with_marking(article_html, state, "article.xhtml", marking),
                 body_type="bodymatter", landmark="bodymatter"),
        ]
        toc = [(epub.Link("title.xhtml", meta.title, "toc-title"),
                [epub.Link(f"{file}#{anchor}", text, f"toc-{anchor}")
                 for file, anchor, _level, text in state.headings])]
        if not state.headings:
            toc = [epub.Link("title.xhtml", meta.title, "toc-title")]
        return _package(state, meta, pages, toc, options)

    def render_briefing(self, briefing: Briefing, style: Style, options: RenderOptions) -> bytes:
        """A briefing: cover, contents (the nav), key quotes, then one page per article — each
        article through the same :func:`render_article` a single article uses, its anchors
        prefixed with its id.  Every page carries the marking top and bottom."""
        marking = next((m for m in (options.marking, briefing.meta.marking, style.marking) if m is not None), None)
        state = _book_state(style, options)
        meta = book_meta_for_briefing(briefing)
        ids = briefing_article_ids(briefing)
        ids_by_given: dict[str, str] = {}
        for item, article_id in zip(briefing.articles, ids):
            ids_by_given.setdefault(item.id, article_id)
        anchored: dict[str, set[int]] = {}
        for quote in briefing.key_quotes:
            if quote.article_id in ids_by_given:
                anchored.setdefault(ids_by_given[quote.article_id], set()).add(quote.block)

        # Articles first: the key quotes link to the ids their blocks were given.
        article_pages: list[Page] = []
        entries: list[NavEntry] = [NavEntry(COVER_FILE, "Cover")]
        if briefing.key_quotes:
            entries.append(NavEntry(KEY_QUOTES_FILE, "Key quotes"))
        for item, article_id in zip(briefing.articles, ids):
            file = article_file(article_id)
            first_heading = len(state.headings)
            html = render_article(item.article, state, file, with_header=True, anchor_prefix=f"{article_id}-",
                                  anchored_blocks=frozenset(anchored.get(article_id, ())),
                                  line_fields=BRIEFING_META_LINE)
            title = one_line(item.article.meta.title or "") or UNTITLED
            language = language_tag(item.article.meta.language)
            direction = "rtl" if language.split("-")[0].lower() in _RTL_LANGUAGES else "ltr"
            article_pages.append(Page(
                file, f"article-{article_id}", title, with_marking(html, state, file, marking), body_type="bodymatter",
                language=None if language in ("und", meta.language) else language,
                direction=None if direction == (meta.direction or "ltr") else direction))
            entries.append(NavEntry(file, title, tuple(NavEntry(f"{f}#{anchor}", text)
                                                       for f, anchor, _level, text in state.headings[first_heading:])))

        pages = [Page(COVER_FILE, "cover", meta.title,
                      with_marking(render_cover(briefing, state, COVER_FILE), state, COVER_FILE, marking),
                      landmark="titlepage")]
        nav_index = len(pages)
        if briefing.key_quotes:
            quotes_html = render_key_quotes(briefing, ids_by_given, state, KEY_QUOTES_FILE, meta.language)
            pages.append(Page(KEY_QUOTES_FILE, "key-quotes", "Key quotes",
                              with_marking(quotes_html, state, KEY_QUOTES_FILE, marking)))
        if article_pages:
            article_pages[0] = article_pages[0]._replace(landmark="bodymatter")
        pages.extend(article_pages)
        landmarks = [(page.landmark, page.file_name, page.title) for page in pages if page.landmark]
        landmarks.insert(1, ("toc", NAV_FILE, "Contents"))
        nav_html = render_nav(entries, landmarks, state, NAV_FILE)
        pages.insert(nav_index, Page(NAV_FILE, "nav", "Contents", with_marking(nav_html, state, NAV_FILE, marking),
                                     nav=True))
        # The NCX (EPUB 2 reading systems) mirrors the nav.
        toc = [(epub.Link(entry.href, entry.text, f"toc-{index}"),
                [epub.Link(child.href, child.text, f"toc-{index}-{number}")
                 for number, child in enumerate(entry.children, start=1)])
               if entry.children else epub.Link(entry.href, entry.text, f"toc-{index}")
               for index, entry in enumerate(entries, start=1)]
        return _package(state, meta, pages, toc, options, briefing=True)


def _book_state(style: Style, options: RenderOptions) -> BookState:
    embed = bool(style.embed_fonts)
    return BookState(style=style, embed_fonts=embed, resolver=_font_resolver(style, embed), warn=options.warn)


def _package(state: BookState, meta: BookMeta, pages: list[Page], toc: list, options: RenderOptions,
             briefing: bool = False) -> bytes:
    """Fonts (when embedded), the stylesheet, and the package around the rendered pages."""
    faces: list[FontFace] = []
    fallback_families: tuple[str, ...] = ()
    fonts: list[tuple[str, bytes]] = []
    if state.embed_fonts:
        faces, fallback_families, fonts = _embedded_fonts(state, options.warn)
        if state.resolver is not None and hasattr(state.resolver, "warn_uncovered"):
            from ...style.fonts import SHOWN_BY_VIEWER
            state.resolver.warn_uncovered(options.warn, SHOWN_BY_VIEWER)
    css = _stylesheet(state.style, faces, fallback_families, briefing=briefing)
    return build_epub(meta, pages, toc, css, fonts, options.build_time)
