"""The EPUB 3 writer (ebooklib): a pure renderer of the presented document.

It calls :func:`exporter.presentation.present` and draws what comes back; every editorial
decision (headline policy, meta line, labels, speaker display, key quotes, typography, links,
languages, marking, ids, zip times) is the presentation layer's.  What is decided here is only
what EPUB needs: the package, one content document per presented part, the navigation, the
stylesheet made from the style, embedded font subsets when the style asks, and text that XML
accepts.  An article's markup (title block, body, speaker notes, related, dropped) is drawn by
:class:`exporter.writers.markup.Markup`, as the HTML writer draws it; this writer names XHTML's
forms (``<br/>``, ``epub:type``) and notes which characters each embedded face draws.

Layout of the package (file names are fixed; nothing in the article ever names a file):

    mimetype                     stored, first
    META-INF/container.xml
    EPUB/content.opf             metadata incl. accessibility, dcterms:modified = build time
    EPUB/cover.xhtml             a Cover part: title, subtitle, cover lines
    EPUB/nav.xhtml               a Contents part: the navigation document, in the spine as the
                                 visible table of contents (without one, ebooklib's nav, off the spine)
    EPUB/key-quotes.xhtml        a KeyQuotes part: speaker | quote | article
    EPUB/article-<id>.xhtml      one per ArticlePart (<id> its presented id, a01…): title block,
                                 body, speaker notes, related, dropped
    EPUB/toc.ncx                 the same entries for EPUB 2 reading systems
    EPUB/style.css               made from the style (see css.py)
    EPUB/fonts/*.ttf             only when the style embeds fonts: subsets of the faces used

Spine order is the parts' order.  Each content document is its own outline: its first heading
is ``h1`` and an article's headings sit below it.  The marking, when there is one, opens and
closes every document (an ebook has no pages to carry it in furniture); the rest of the page
furniture (running heads, "page X of Y") and an article's outline level and new-page flag mean
nothing in a reflowable book and are not drawn.  Every text is cleaned
of what XML forbids and escaped on its way in (:meth:`_Book.text`); the XHTML is handed to
ebooklib as finished bytes, never re-parsed.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from ...errors import RenderError
from ...presentation import model as m
from ...presentation import present
from ...presentation.policy import clean, zip_time
from .. import RenderOptions
from ..markup import Face, Markup
from .css import FontFace, build_css
from .package import Page, build_epub, esc, esc_attr

if TYPE_CHECKING:  # pragma: no cover
    from ...style.model import Style


COVER_FILE = "cover.xhtml"
NAV_FILE = "nav.xhtml"
KEY_QUOTES_FILE = "key-quotes.xhtml"


def article_file(article_id: str) -> str:
    return f"article-{article_id}.xhtml"


def part_file(part: m.Part) -> str:
    match part:
        case m.Cover():
            return COVER_FILE
        case m.Contents():
            return NAV_FILE
        case m.KeyQuotes():
            return KEY_QUOTES_FILE
        case m.ArticlePart(id=article_id):
            return article_file(article_id)
        case _:
            raise m.UnknownPartError(part, "epub writer")


# ------------------------------------------------------------------------------------- glyphs
class GlyphLog:
    """Which characters each font file draws, noted while rendering (only when the style embeds
    fonts): the subsets are cut from it.  One per write, never shared."""

    def __init__(self, style: "Style", resolver: object | None) -> None:
        self.style = style
        self.resolver = resolver
        self.font_chars: dict[Path, set[str]] = {}
        self.primary_faces: dict[Path, tuple[str, bool, bool]] = {}
        self.fallback_paths: list[Path] = []

    def note(self, text: str, face: Face) -> None:
        family_key = face.family if face.family in self.style.fonts else None
        primary = None
        if family_key is not None:
            primary = self.style.fonts[family_key].face(face.bold, face.italic)
            self.primary_faces.setdefault(primary, (self.style.fonts[family_key].name, face.bold, face.italic))
        if self.resolver is None:
            if primary is not None:
                self.font_chars.setdefault(primary, set()).update(text)
            return
        for run_text, path in self.resolver.split(text, family_key, face.bold, face.italic):  # type: ignore[attr-defined]
            if path is None:
                continue
            path = Path(path)
            self.font_chars.setdefault(path, set()).update(run_text)
            if path != primary and path not in self.fallback_paths:
                self.fallback_paths.append(path)


# ------------------------------------------------------------------------------------ rendering
class _Book(Markup):
    """Renders the parts of one presented document into XHTML fragments (articles as
    :class:`Markup` draws them)."""

    VOID_END = "/>"
    NOTEREF_ATTRS = ' epub:type="noteref" role="doc-noteref"'
    ENDNOTES_ATTRS = ' epub:type="endnotes"'

    def __init__(self, doc: m.PresentedDocument, style: "Style", glyphs: GlyphLog | None) -> None:
        super().__init__(doc, style, "epub writer")
        self.glyphs = glyphs
        # every anchor -> the file it is in, so a link from any part lands in the right document
        self.files: dict[str, str] = {}
        for part in doc.parts:
            file = part_file(part)
            for anchor in _anchors(part):
                self.files.setdefault(anchor, file)

    # -- text --------------------------------------------------------------------------------
    def text(self, text: str, face: Face) -> str:
        """Escaped character data; notes which font files draw it when fonts are embedded."""
        text = clean(text)
        if self.glyphs is not None and text:
            self.glyphs.note(text, face)
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def attr(self, text: str) -> str:
        return esc_attr(text)

    def href(self, anchor: str) -> str:
        """A link to ``anchor`` from any document of the book."""
        return esc_attr(f"{self.files.get(anchor, '')}#{anchor}")

    def lang(self, language: str) -> str:
        if language in ("und", self.language):
            return ""
        return f' lang="{esc_attr(language)}" xml:lang="{esc_attr(language)}"'

    def marking(self, key: str) -> str:
        marking = self.doc.furniture.marking
        return self.plain("p", key, marking) if marking else ""

    # -- parts ---------------------------------------------------------------------------------
    def part(self, part: m.Part, landmarks: list[tuple[str, str, str]]) -> str:
        match part:
            case m.Cover(title=title, subtitle=subtitle, lines=lines, anchor=anchor):
                out = [f'<section class="cover" id="{esc_attr(anchor)}" epub:type="titlepage">',
                       self.plain("h1", "cover-title", title)]
                if subtitle:
                    out.append(self.plain("p", "subtitle", subtitle))
                out += [self.plain("p", "cover-meta", line) for line in lines]
                return "\n".join(out + ["</section>"])
            case m.Contents():
                return self.contents(part, landmarks)
            case m.KeyQuotes():
                return self.key_quotes(part)
            case m.ArticlePart():
                return self.article(part)
            case _:
                raise m.UnknownPartError(part, "epub writer")

    def contents(self, part: m.Contents, landmarks: list[tuple[str, str, str]]) -> str:
        """The navigation document's body, which is also the visible table of contents; the
        landmarks are hidden (reading systems use them, readers need not see them)."""
        key = "toc-entry"
        face = self.face(key)

        def items(entries: tuple[m.ContentsEntry, ...]) -> str:
            rendered = []
            for entry in entries:
                nested = f"\n<ol>\n{items(entry.children)}\n</ol>\n" if entry.children else ""
                rendered.append(f'<li{self.lang(entry.language)}><a class="{key}" href="{self.href(entry.target)}">'
                                f"{self.text(entry.text, face)}</a>{nested}</li>")
            return "\n".join(rendered)

        if part.entries:
            listing = items(part.entries)
        else:
            # a toc nav must list something: the "no articles" line, pointing at itself
            listing = f'<li><a class="{key}" href="#toc">{self.text(part.empty_text or "", face)}</a></li>'
        toc = (f'<nav epub:type="toc" id="toc" role="doc-toc">\n{self.plain("h1", "toc-heading", part.heading)}'
               f"\n<ol>\n{listing}\n</ol>\n</nav>")
        if not landmarks:
            return toc
        marks = "\n".join(f'<li><a epub:type="{kind}" href="{esc_attr(href)}">{esc(text)}</a></li>'
                          for kind, href, text in landmarks)
        return toc + f'\n<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<ol>\n{marks}\n</ol>\n</nav>'

    def key_quotes(self, part: m.KeyQuotes) -> str:
        """Speaker | quote | article.  Each quote links to the block it sits in; the article's
        title, linked to the article, spans the rows of its run of quotes."""
        key = "key-quotes-item"
        look = self.face(key)
        # the stylesheet sets the speaker and article columns upright; the quote keeps the slant
        upright = look._replace(italic=False)
        head = "".join(f'<th scope="col" class="{key} kq-{kind}">{self.text(text, look._replace(bold=True, italic=False))}</th>'
                       for kind, text in zip(("speaker", "quote", "article"), part.columns))
        rows = []
        for row in part.rows:
            lang = self.lang(row.language)
            cells = [f'<td class="{key} kq-speaker"{lang}>{self.text(row.speaker, upright)}</td>',
                     f'<td class="{key} kq-quote"{lang}><a href="{self.href(row.quote_anchor)}">'
                     f"{self.text(row.text, look)}</a></td>"]
            if row.article is not None:
                span = f' rowspan="{row.rows_in_run}"' if row.rows_in_run > 1 else ""
                cells.append(f'<td class="{key} kq-article"{span}{lang}><a href="{self.href(row.article_anchor)}">'
                             f"{self.text(row.article, upright)}</a></td>")
            rows.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
        return (f'<section class="key-quotes" id="{esc_attr(part.anchor)}">\n'
                + self.plain("h1", "key-quotes-heading", part.heading)
                + f'\n<table class="key-quotes">\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n'
                + "\n".join(rows) + "\n</tbody>\n</table>\n</section>")

    def article(self, part: m.ArticlePart) -> str:
        # each content document is its own outline: the article's headline is its h1
        return "\n".join([f'<article id="{esc_attr(part.anchor)}">', *self.article_content(part, 1), "</article>"])


def _anchors(part: m.Part) -> list[str]:
    """Every anchor a part's document holds (what links into it may point at)."""
    match part:
        case m.Cover(anchor=anchor) | m.KeyQuotes(anchor=anchor):
            return [anchor]
        case m.Contents(anchor=anchor):
            return [anchor, "toc"]
        case m.ArticlePart():
            found = [part.anchor, part.title.anchor]
            found += _block_anchors(part.blocks)
            for section in (part.speaker_notes, part.related, part.dropped):
                if section is not None:
                    found.append(section.anchor)
            if part.speaker_notes is not None:
                for note in part.speaker_notes.notes:
                    found += [note.anchor, note.label_anchor]
            return found
        case _:
            raise m.UnknownPartError(part, "epub writer")


def _block_anchors(blocks: tuple[m.Block, ...]) -> list[str]:
    found: list[str] = []
    for block in blocks:
        match block:
            case m.TextBlock(anchor=anchor) | m.HeadingBlock(anchor=anchor) | m.RuleBlock(anchor=anchor):
                inner: list[str] = []
            case m.QuoteBlock(blocks=blocks_inside, anchor=anchor):
                inner = _block_anchors(blocks_inside)
            case m.ListBlock(items=items, anchor=anchor):
                inner = [a for item in items for a in _block_anchors(item)]
            case _:
                raise m.UnknownPartError(block, "epub writer")
        found += ([anchor] if anchor else []) + inner
    return found


# ------------------------------------------------------------------------------------ the book
def render_pages(doc: m.PresentedDocument, style: "Style", glyphs: GlyphLog | None = None) -> tuple[list[Page], list]:
    """The content documents in spine order, and the navigation entries (``(href, text, children)``)
    the NCX, and ebooklib's nav when there is no Contents part, are made from."""
    book = _Book(doc, style, glyphs)
    files = [part_file(part) for part in doc.parts]
    # the landmarks: the first cover, contents and article, each named by its own text
    first = {type(part): (file, _part_title(part)) for part, file in reversed(list(zip(doc.parts, files)))}
    landmarks = [(kind, *first[kind_type]) for kind, kind_type in (
        ("titlepage", m.Cover), ("toc", m.Contents), ("bodymatter", m.ArticlePart)) if kind_type in first]
    nav_entries = _nav_entries(doc, book)
    pages: list[Page] = []
    has_nav = False
    for part, file in zip(doc.parts, files):
        is_nav = isinstance(part, m.Contents) and not has_nav
        has_nav = has_nav or is_nav
        body = book.part(part, landmarks if is_nav else [])
        top, bottom = book.marking("header"), book.marking("footer")
        html = "\n".join(piece for piece in (top, body, bottom) if piece)
        uid, title = file.removesuffix(".xhtml"), _part_title(part)
        if isinstance(part, m.ArticlePart):
            pages.append(Page(file, uid, title, html, part.language, part.direction, body_type="bodymatter"))
        else:
            pages.append(Page(file, uid, title, html, doc.metadata.language, doc.metadata.direction, nav=is_nav))
    landmark_of = {file: kind for kind, file, _ in landmarks if kind != "toc"}
    pages = [page._replace(landmark=landmark_of.get(page.file_name)) for page in pages]
    return pages, nav_entries


def _part_title(part: m.Part) -> str:
    """What a part's document is called (its <title>, its landmark)."""
    match part:
        case m.Cover(title=title):
            return title
        case m.Contents(heading=heading) | m.KeyQuotes(heading=heading):
            return heading
        case m.ArticlePart(title=title):
            return title.toc_text
        case _:
            raise m.UnknownPartError(part, "epub writer")


def _nav_entries(doc: m.PresentedDocument, book: _Book) -> list[tuple[str, str, list]]:
    """The table of contents: a Contents part's entries when there is one; else each article
    with its headings (a lone article has no contents page, but a reading system still needs a
    table of contents)."""
    def entry(e: m.ContentsEntry) -> tuple[str, str, list]:
        return (f"{book.files.get(e.target, '')}#{e.target}", e.text, [entry(child) for child in e.children])

    for part in doc.parts:
        if isinstance(part, m.Contents):
            if part.entries:
                return [entry(e) for e in part.entries]
            return [(f"{NAV_FILE}#toc", part.empty_text or part.heading, [])]
    found: list[tuple[str, str, list]] = []
    for part in doc.parts:
        if isinstance(part, m.ArticlePart):
            file = article_file(part.id)
            children = [(f"{file}#{block.anchor}", block.text, []) for block in part.blocks
                        if isinstance(block, m.HeadingBlock) and block.text]
            found.append((file, part.title.toc_text, children))
    return found


class EpubWriter:
    name: ClassVar[str] = "epub"
    media_type: ClassVar[str] = "application/epub+zip"
    extension: ClassVar[str] = "epub"
    uses_style: ClassVar[bool] = True

    def write(self, document, style: "Style", out: BinaryIO, options: RenderOptions) -> None:
        if style is None:
            raise RenderError("epub: a style is required")
        doc = present(document, style, options)
        try:
            data = render_epub(doc, style, options)
        except RenderError:
            raise
        except (ValueError, OSError, KeyError) as exc:
            raise RenderError(f"epub: {exc}") from exc
        # One write of a finished package: a failure above leaves nothing half-written.
        out.write(data)


def render_epub(doc: m.PresentedDocument, style: "Style", options: RenderOptions) -> bytes:
    """The package for a presented document: pages, fonts (when embedded), stylesheet, navigation."""
    glyphs = None
    if style.embed_fonts:
        from ...style.fonts import FontResolver
        glyphs = GlyphLog(style, FontResolver(style))
    pages, nav_entries = render_pages(doc, style, glyphs)
    faces: list[FontFace] = []
    fallback_families: tuple[str, ...] = ()
    fonts: list[tuple[str, bytes]] = []
    if glyphs is not None:
        from ...style.fonts import SHOWN_BY_VIEWER
        from .fonts import embedded_fonts
        faces, fallback_families, fonts = embedded_fonts(glyphs, options.warn)
        glyphs.resolver.warn_uncovered(options.warn, SHOWN_BY_VIEWER)   # type: ignore[union-attr]
    css = _stylesheet(style, faces, fallback_families)
    return build_epub(doc.metadata, pages, nav_entries, css, fonts, options.build_time, zip_time(options.build_time))


# The last stylesheet built without embedded fonts, per style object: a batch renders many
# articles with one style, and the CSS depends on nothing else then.  Keyed by identity and
# holding the style itself, so a recycled id() can never return another style's CSS.
_css_cache: dict[int, tuple[object, str]] = {}


def _stylesheet(style: "Style", faces: list[FontFace], fallback_families: tuple[str, ...]) -> str:
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


__all__ = ["EpubWriter", "render_epub", "render_pages", "esc", "esc_attr"]
