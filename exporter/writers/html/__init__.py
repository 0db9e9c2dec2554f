"""The HTML writer (``-f html``): one self-contained HTML5 page per document.

It renders the presented document (:mod:`exporter.presentation`) and nothing else, so a single
article and a briefing go through the same code: a cover, contents and key quotes are parts like
an article is.  An article's markup is drawn by :class:`exporter.writers.markup.Markup`, as the
EPUB writer draws it; the page adds ``rel="noreferrer"`` to its links.  The page fetches nothing:
the stylesheet (made from the style, with a print stylesheet) is inline, there are no scripts,
fonts or images, and links go only where the presentation layer's link policy allows.  Every text is escaped on its way in (:func:`esc`,
:func:`esc_attr`); nothing from the article is ever markup.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from ...errors import RenderError
from ...presentation import model as m
from ...presentation import present
from .. import RenderOptions
from ..markup import Face, Markup
from .css import build_css

if TYPE_CHECKING:  # pragma: no cover
    from ...style.model import Style

# Characters an HTML5 parser reports as errors (controls but tab/LF/CR/FF, surrogates,
# noncharacters): never written.
_UNFIT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
                    + "]")


def esc(text: str) -> str:
    """Text as HTML character data."""
    return _UNFIT.sub("", text).replace("\r", "").replace("\f", " ").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(text: str) -> str:
    """Text as a double-quoted attribute value."""
    return esc(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


class HtmlWriter:
    name: ClassVar[str] = "html"
    media_type: ClassVar[str] = "text/html"
    extension: ClassVar[str] = "html"
    uses_style: ClassVar[bool] = True

    def write(self, document, style: "Style", out: BinaryIO, options: RenderOptions) -> None:
        if style is None:
            raise RenderError("html: a style is required")
        out.write(render_html(present(document, style, options), style).encode("utf-8"))


def render_html(doc: m.PresentedDocument, style: "Style") -> str:
    return _Page(doc, style).render()


#: the page draws every text in the stylesheet's fonts: no face is tracked
_ANY_FACE = Face(None, False, False)


class _Page(Markup):
    """The page: the parts around articles here, articles as :class:`Markup` draws them."""

    LINK_ATTRS = ' rel="noreferrer"'
    HEADER_OPEN = '<header class="article-head">'

    def __init__(self, doc: m.PresentedDocument, style: "Style") -> None:
        super().__init__(doc, style, "html writer")

    def text(self, text: str, face: Face) -> str:
        return esc(text)

    def attr(self, text: str) -> str:
        return esc_attr(text)

    def face(self, key: str, within: str | None = None) -> Face:
        return _ANY_FACE

    def render(self) -> str:
        meta = self.doc.metadata
        head = ['<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{esc(meta.title)}</title>", '<meta name="generator" content="exporter">']
        for name, value in (("author", meta.author), ("description", meta.subtitle), ("publisher", meta.publisher),
                            ("keywords", ", ".join(meta.keywords)), ("dcterms.date", meta.date),
                            ("dcterms.source", meta.url), ("dcterms.identifier", meta.identifier)):
            if value:
                head.append(f'<meta name="{name}" content="{esc_attr(value)}">')
        head.append(f"<style>\n{build_css(self.style, self.doc.furniture)}</style>")
        marking = self.doc.furniture.marking
        # On screen the marking heads and ends the page; in print the page boxes carry it.
        mark = f'<p class="marking screen-only">{esc(marking)}</p>' if marking else ""
        body = "\n".join(self.part(part) for part in self.doc.parts)
        return (f'<!DOCTYPE html>\n<html lang="{esc_attr(self.language)}" dir="{meta.direction}">\n<head>\n'
                + "\n".join(head) + f"\n</head>\n<body>\n{mark}\n<main>\n{body}\n</main>\n{mark}\n</body>\n</html>\n")

    # -- parts ---------------------------------------------------------------------------------
    def part(self, part: m.Part) -> str:
        match part:
            case m.Cover(title=title, subtitle=subtitle, lines=lines, anchor=anchor):
                out = [f'<section class="cover" id="{anchor}">', f'<h1 class="cover-title">{esc(title)}</h1>']
                if subtitle:
                    out.append(f'<p class="subtitle">{esc(subtitle)}</p>')
                out += [f'<p class="cover-meta">{esc(line)}</p>' for line in lines]
                return "\n".join(out + ["</section>"])
            case m.Contents(heading=heading, entries=entries, empty_text=empty, anchor=anchor):
                out = [f'<nav class="contents new-page" id="{anchor}" aria-labelledby="{anchor}-h">',
                       f'<h2 class="toc-heading" id="{anchor}-h">{esc(heading)}</h2>']
                out.append(self.contents_list(entries) if entries else f'<p class="toc-entry">{esc(empty or "")}</p>')
                return "\n".join(out + ["</nav>"])
            case m.KeyQuotes():
                return self.key_quotes(part)
            case m.ArticlePart():
                return self.article(part)
            case _:
                raise m.UnknownPartError(part, "html writer")

    def lang_attrs(self, language: str, direction: str | None = None) -> str:
        attrs = f' lang="{esc_attr(language)}"' if language != self.language else ""
        if direction and direction != self.doc.metadata.direction:
            attrs += f' dir="{direction}"'
        return attrs

    def contents_list(self, entries: tuple[m.ContentsEntry, ...]) -> str:
        items = []
        for entry in entries:
            nested = self.contents_list(entry.children) if entry.children else ""
            items.append(f'<li{self.lang_attrs(entry.language)}><a class="toc-entry" href="#{esc_attr(entry.target)}">'
                         f"{esc(entry.text)}</a>{nested}</li>")
        return "<ol>\n" + "\n".join(items) + "\n</ol>"

    def key_quotes(self, part: m.KeyQuotes) -> str:
        head = "".join(f'<th scope="col" class="key-quotes-item kq-{kind}">{esc(text)}</th>'
                       for kind, text in zip(("speaker", "quote", "article"), part.columns))
        rows = []
        for row in part.rows:
            lang = self.lang_attrs(row.language)
            cells = [f'<td class="key-quotes-item kq-speaker"{lang}>{esc(row.speaker)}</td>',
                     f'<td class="key-quotes-item kq-quote"{lang}><a href="#{esc_attr(row.quote_anchor)}">{esc(row.text)}</a></td>']
            if row.article is not None:
                span = f' rowspan="{row.rows_in_run}"' if row.rows_in_run > 1 else ""
                cells.append(f'<td class="key-quotes-item kq-article"{span}{lang}>'
                             f'<a href="#{esc_attr(row.article_anchor)}">{esc(row.article)}</a></td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        return (f'<section class="key-quotes" id="{part.anchor}" aria-labelledby="{part.anchor}-h">\n'
                f'<h2 class="key-quotes-heading" id="{part.anchor}-h">{esc(part.heading)}</h2>\n'
                f'<table class="key-quotes">\n<thead><tr>{head}</tr></thead>\n<tbody>\n' + "\n".join(rows)
                + "\n</tbody>\n</table>\n</section>")

    def article(self, part: m.ArticlePart) -> str:
        level = min(part.level, 6)
        title = part.title
        classes = "new-page" if part.new_page and part.level > 1 else ""
        heading = title.headline is not None or title.meta_line is not None
        opening = (f'<article id="{part.anchor}"{self.lang_attrs(part.language, part.direction)}'
                   + (f' class="{classes}"' if classes else "")
                   + (f' aria-labelledby="{title.anchor}"' if heading else "") + ">")
        return "\n".join([opening, *self.article_content(part, level), "</article>"])
