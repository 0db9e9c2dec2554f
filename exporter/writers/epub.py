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

The XHTML is built by us as text from escaped pieces and handed to ebooklib as finished bytes:
ebooklib's own chapter path re-parses HTML with a forgiving parser, which is exactly where article
text could turn into markup.  Rendering one article is :func:`render_article`; the document-level
code (:func:`build_epub`) only assembles pages, so a briefing can reuse both.
"""
from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar
from urllib.parse import quote, urlsplit

from ebooklib import epub

from ..ast import (
    Article, BlockQuote, Break, Emphasis, Heading, Link, ListBlock, Meta, Paragraph, Quote, Rule,
    Strong, Text, UnknownNodeError, inline_text, iter_inline_runs,
)
from ..errors import RenderError
from . import RenderOptions
from ._epub_css import FontFace, build_css

if TYPE_CHECKING:  # pragma: no cover
    from ..style.model import Style

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
_HOSTNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"        # RFC 3986 pchar and "/" (unreserved letters are always kept)
_QUERY_SAFE = _PATH_SAFE + "?"

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


def safe_href(url: str) -> str | None:
    """An http(s) URL fit for an ``href`` (percent-encoded where needed), or None: only absolute
    http and https URLs with a plain host become links; anything else renders as text."""
    url = xml_clean(url).strip()
    if any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or parts.username or parts.password:
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if not _HOSTNAME.match(host):
        return None
    netloc = host + (f":{port}" if port is not None else "")

    def encode(piece: str, safe: str) -> str:
        return _BAD_PERCENT.sub("%25", quote(piece, safe=safe))

    href = f"{parts.scheme.lower()}://{netloc}" + encode(parts.path, _PATH_SAFE)
    if parts.query:
        href += "?" + encode(parts.query, _QUERY_SAFE)
    if parts.fragment:
        href += "#" + encode(parts.fragment, _QUERY_SAFE)
    return href


def meta_line_parts(meta: Meta) -> list[str]:
    """"byline · source · date" with the empty parts left out."""
    return [one_line(part) for part in (meta.byline, meta.source, meta.date) if part and one_line(part)]


# ------------------------------------------------------------------------------------ rendering
@dataclass
class BookState:
    """What rendering collects across one book: headings for the navigation, and (only when the
    style embeds fonts) which characters each font file draws.  One per write, never shared."""

    style: Style
    embed_fonts: bool
    resolver: object | None = None
    font_chars: dict[Path, set[str]] = field(default_factory=dict)
    primary_faces: dict[Path, tuple[str, bool, bool]] = field(default_factory=dict)
    fallback_paths: list[Path] = field(default_factory=list)
    headings: list[tuple[str, str, int, str]] = field(default_factory=list)  # (file, id, level, text)
    _next_anchor: int = 0

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


@dataclass(frozen=True, slots=True)
class _Face:
    """The font an inline is drawn in: a style family key, weight and slant (what the resolver
    and the embedded-font bookkeeping need to know)."""

    family: str | None
    bold: bool
    italic: bool

    def with_(self, *, bold: bool | None = None, italic: bool | None = None) -> _Face:
        return _Face(self.family, self.bold if bold is None else bold, self.italic if italic is None else italic)


_QUOTE_KEYS = {"speech": "quote-speech", "title": "quote-title", "term": "quote-term"}


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
                href = safe_href(url)
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

    def _plain_block(self, tag: str, key: str, text: str) -> str:
        inner = self.state.text(text, *self._face_args(key))
        direction = ' dir="auto"' if _RTL_CHAR.search(text) else ""
        return f'<{tag} class="{key}"{direction}>{inner}</{tag}>'

    def _face_args(self, key: str) -> tuple[str | None, bool, bool]:
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
                if " id=" not in rendered[:tag_end]:
                    space = rendered.find(" ", 0, tag_end)
                    cut = space if space != -1 else tag_end
                    rendered = f'{rendered[:cut]} id="{self.anchor_prefix}b{index}"{rendered[cut:]}'
            parts.append(rendered)
        return "\n".join(p for p in parts if p)

    # -- title block and sections -------------------------------------------------------------
    def title_block(self, meta: Meta, heading_tag: str = "h1") -> str:
        title = one_line(meta.title or "") or UNTITLED
        parts = [self._plain_block(heading_tag, "title", title)]
        if meta.subtitle and one_line(meta.subtitle):
            parts.append(self._plain_block("p", "subtitle", one_line(meta.subtitle)))
        line = meta_line_parts(meta)
        if line:
            parts.append(self._plain_block("p", "meta-line", " · ".join(line)))
        return "\n".join(parts)

    def marking(self, text: str | None, key: str) -> str:
        if not text or not one_line(text):
            return ""
        return self._plain_block("p", key, one_line(text))

    def related(self, article: Article) -> str:
        if not (self.style.sections.related and article.related):
            return ""
        items = []
        for item in article.related:
            text = one_line(item.title)
            if item.summary and one_line(item.summary):
                text += " — " + one_line(item.summary)
            items.append(f"<li>{self._plain_block('p', 'related-item', text)}</li>")
        heading = self._plain_block("h2", "related-heading", "Related")
        return f'<section class="related">\n{heading}\n<ul>\n' + "\n".join(items) + "\n</ul>\n</section>"

    def dropped(self, article: Article) -> str:
        if not (self.style.sections.dropped and article.dropped):
            return ""
        items = [
            f"<li>{self._plain_block('p', 'dropped-item', f'Line {d.line} ({one_line(d.reason)}): {one_line(d.text)}')}</li>"
            for d in article.dropped
        ]
        heading = self._plain_block("h2", "dropped-heading", "Dropped lines")
        return f'<section class="dropped">\n{heading}\n<ol>\n' + "\n".join(items) + "\n</ol>\n</section>"


def render_article(article: Article, state: BookState, page_file: str, *, with_header: bool,
                   anchor_prefix: str = "", anchored_blocks: frozenset[int] = frozenset()) -> str:
    """One article as an ``<article>`` fragment: optional title block, body, optional sections.
    A single-article book puts the title block on its title page instead (``with_header=False``);
    a briefing passes each article's id as ``anchor_prefix`` so no anchor collides."""
    renderer = ArticleRenderer(state, page_file, anchor_prefix)
    id_attr = f' id="{anchor_prefix.rstrip("-")}"' if anchor_prefix else ""
    parts = [f"<article{id_attr}>"]
    if with_header:
        parts.append(f"<header>\n{renderer.title_block(article.meta)}\n</header>")
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


# ----------------------------------------------------------------------------------- packaging
@dataclass(frozen=True, slots=True)
class BookMeta:
    title: str
    language: str
    identifier: str
    direction: str | None           # "rtl" or None
    creator: str | None = None
    publisher: str | None = None
    date: str | None = None
    source: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    file_name: str                  # fixed, e.g. "article.xhtml"
    uid: str                        # manifest id
    title: str
    body_html: str
    body_type: str | None = None    # epub:type on <body>
    landmark: str | None = None     # epub:type of its entry in the nav's landmarks ("titlepage", "bodymatter")


ACCESSIBILITY_SUMMARY = ("This publication is text only. Headings, lists, block quotations and "
                         "quotations are marked up semantically; the reading order follows the source.")


def book_meta_for(article: Article) -> BookMeta:
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
        source=one_line(meta.url) if meta.url and one_line(meta.url) else None,
        description=one_line(meta.subtitle) if meta.subtitle and one_line(meta.subtitle) else None,
    )


def stable_identifier(article: Article) -> str:
    """``urn:uuid:`` derived from the article's URL when it has one, else from its content (the
    metadata and the text of every block, in order) — never from how this writer marks it up."""
    meta = article.meta
    url = xml_clean(meta.url or "").strip()
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
    # one_line and safe_href are the only doors, so the page needs no second pass.
    return text.encode("utf-8")


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
    for page in pages:
        data = xhtml_page(page, page.title, meta.language, meta.direction)
        document = _XhtmlDocument(page.uid, page.file_name, page.title, data, meta.language)
        book.add_item(document)
        documents.append(document)
    for index, (file_name, data) in enumerate(fonts, start=1):
        book.add_item(epub.EpubItem(uid=f"font{index}", file_name=file_name, media_type="font/ttf", content=data))
    book.toc = toc
    # Landmarks let reading systems (and assistive technology) jump to the title page or the text.
    book.guide = [{"href": page.file_name, "title": page.title, "type": page.landmark}
                  for page in pages if page.landmark]
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(direction=meta.direction)
    book.add_item(nav)
    book.spine = documents             # the nav document is reachable from the package, not the spine

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
    from ._epub_fonts import subset_font

    faces: list[FontFace] = []
    files: list[tuple[str, bytes]] = []
    hrefs: dict[Path, str | None] = {}

    def add_file(path: Path, href: str) -> str | None:
        if path not in hrefs:
            try:
                data = subset_font(path, state.font_chars[path])
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
_css_cache: dict[int, tuple[object, str]] = {}


def _stylesheet(style: Style, faces: list[FontFace], fallback_families: tuple[str, ...]) -> str:
    if faces or fallback_families:
        return build_css(style, faces, fallback_families)
    cached = _css_cache.get(id(style))
    if cached is not None and cached[0] is style:
        return cached[1]
    css = build_css(style)
    if len(_css_cache) > 16:
        _css_cache.clear()
    _css_cache[id(style)] = (style, css)
    return css


def _font_resolver(style: Style, embed: bool):
    if not embed:
        return None
    try:
        from ..style.fonts import FontResolver
    except ImportError:  # the shared resolver is not installed: embed the primary faces only
        return None
    return FontResolver(style)


# ------------------------------------------------------------------------------------- writer
class EpubWriter:
    name: ClassVar[str] = "epub"
    media_type: ClassVar[str] = "application/epub+zip"
    extension: ClassVar[str] = "epub"
    uses_style: ClassVar[bool] = True

    def write(self, document: Article, style: Style, out: BinaryIO, options: RenderOptions) -> None:
        if style is None:
            raise RenderError("epub: a style is required")
        try:
            data = self.render(document, style, options)
        except (UnknownNodeError, RenderError):
            raise
        except (ValueError, OSError, KeyError) as exc:
            raise RenderError(f"epub: {exc}") from exc
        # One write of a finished package: a failure above leaves nothing half-written.
        out.write(data)

    def render(self, document: Article, style: Style, options: RenderOptions) -> bytes:
        marking = options.marking if options.marking is not None else style.marking
        embed = bool(style.embed_fonts)
        resolver = _font_resolver(style, embed)
        state = BookState(style=style, embed_fonts=embed, resolver=resolver)

        title_html = render_title_page(document.meta, state, "title.xhtml")
        article_html = render_article(document, state, "article.xhtml", with_header=False)
        meta = book_meta_for(document)
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

        faces: list[FontFace] = []
        fallback_families: tuple[str, ...] = ()
        fonts: list[tuple[str, bytes]] = []
        if embed:
            faces, fallback_families, fonts = _embedded_fonts(state, options.warn)
            if resolver is not None and hasattr(resolver, "warn_uncovered"):
                resolver.warn_uncovered(options.warn)
        css = _stylesheet(style, faces, fallback_families)
        return build_epub(meta, pages, toc, css, fonts, options.build_time)
