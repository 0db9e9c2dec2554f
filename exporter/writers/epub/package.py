"""The EPUB package around rendered content documents: OPF metadata, manifest, spine, nav and
NCX, through ebooklib, zipped reproducibly (fixed entry times, mimetype first and stored).

ebooklib lists and zips our documents; it never re-parses them (its own chapter path runs HTML
through a forgiving parser, exactly where text could turn into markup).
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from ebooklib import epub

from ...presentation.policy import clean

if TYPE_CHECKING:  # pragma: no cover
    from ...presentation.model import DocumentMetadata

# W3C date-time profile (what OPF dc:date must follow).
_W3CDTF = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$")

ACCESSIBILITY_SUMMARY = ("This publication is text only. Headings, lists, block quotations and "
                         "quotations are marked up semantically; the reading order follows the source.")


class Page(NamedTuple):
    """One content document, rendered."""

    file_name: str                  # fixed, e.g. "article-a01.xhtml"
    uid: str                        # manifest id
    title: str
    body_html: str
    language: str
    direction: str
    body_type: str | None = None    # epub:type on <body>
    landmark: str | None = None     # its entry in the landmarks ("titlepage", "bodymatter")
    nav: bool = False               # our own navigation document (in the spine), not ebooklib's


def esc(text: str) -> str:
    """Text as XHTML character data: cleaned of what XML forbids, then escaped.  (Three
    replaces rather than html.escape: the html package costs a millisecond to import.)"""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(text: str) -> str:
    """Text as a double-quoted attribute value (newlines kept as character references)."""
    return (esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
            .replace("\r", "&#13;"))


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


def xhtml_page(page: Page, book_direction: str) -> bytes:
    # the page's direction is written when it is right to left or differs from the book's
    dir_attr = f' dir="{page.direction}"' if page.direction == "rtl" or page.direction != book_direction else ""
    body_type = f' epub:type="{page.body_type}"' if page.body_type else ""
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{page.language}" xml:lang="{page.language}"{dir_attr}>\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{esc(page.title)}</title>\n'
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body{body_type}>\n{page.body_html}\n</body>\n</html>\n"
    )
    return text.encode("utf-8")


def _toc_links(entries: list, prefix: str = "toc") -> list:
    """ebooklib's nested toc (``epub.Link`` or ``(Link, [children])``) from ``(href, text, children)``."""
    out = []
    for index, (href, text, children) in enumerate(entries, start=1):
        link = epub.Link(href, text, f"{prefix}-{index}")
        out.append((link, _toc_links(children, f"{prefix}-{index}")) if children else link)
    return out


def build_epub(meta: "DocumentMetadata", pages: list[Page], nav_entries: list, css: str,
               fonts: list[tuple[str, bytes]], build_time: datetime,
               date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """Assemble the package.  ``fonts`` are (package-relative file name, bytes) pairs;
    ``date_time`` is every zip entry's time (the presentation layer's zip-time policy)."""
    moment = build_time.astimezone(timezone.utc) if build_time.tzinfo else build_time
    book = epub.EpubBook()
    book.set_identifier(meta.identifier)
    book.set_title(meta.title)
    book.set_language(meta.language)
    rtl = meta.direction == "rtl"
    if rtl:
        book.set_direction("rtl")
    if meta.author:
        book.add_author(meta.author)
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    date = w3c_date(meta.date)
    if date:
        book.add_metadata("DC", "date", date)
    if meta.url:
        book.add_metadata("DC", "source", meta.url)
    if meta.subtitle:
        book.add_metadata("DC", "description", meta.subtitle)
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", keyword)
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

    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=css.encode("utf-8")))
    documents = []
    own_nav = False
    for page in pages:
        data = xhtml_page(page, meta.direction)
        if page.nav:
            document = _OwnNavDocument(page.uid, page.file_name, page.title, data, "rtl" if rtl else None)
            own_nav = True
        else:
            document = _XhtmlDocument(page.uid, page.file_name, page.title, data, page.language)
        book.add_item(document)
        documents.append(document)
    for index, (file_name, data) in enumerate(fonts, start=1):
        book.add_item(epub.EpubItem(uid=f"font{index}", file_name=file_name, media_type="font/ttf", content=data))
    book.toc = _toc_links(nav_entries)
    # Landmarks let reading systems (and assistive technology) jump to the title page or the text.
    book.guide = [{"href": page.file_name, "title": page.title, "type": page.landmark}
                  for page in pages if page.landmark]
    book.add_item(epub.EpubNcx())
    if not own_nav:
        book.add_item(epub.EpubNav(direction="rtl" if rtl else None))
    # ebooklib's nav document is reachable from the package, not the spine; our own (a contents
    # page) is read in order like any page.
    book.spine = documents

    buffer = io.BytesIO()
    writer = _ReproducibleEpubWriter(buffer, book, {
        "mtime": moment.replace(tzinfo=None),
        "epub3_pages": False,          # no page-list: it would re-parse every document
        "epub3_landmark": True,        # the landmarks nav, from book.guide
        "epub2_guide": False,
        "raise_exceptions": True,
    }, date_time)
    writer.process()
    writer.write()
    return buffer.getvalue()


class _OwnNavDocument(epub.EpubNav):
    """A navigation document whose bytes we built (a visible contents page)."""

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
