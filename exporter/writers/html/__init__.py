"""The HTML writer (``-f html``): one self-contained HTML5 page per document.

It renders the presented document (:mod:`exporter.presentation`) and nothing else, so a single
article and a briefing go through the same code: a cover, contents and key quotes are parts like
an article is.  The page fetches nothing: the stylesheet (made from the style, with a print
stylesheet) is inline, there are no scripts, fonts or images, and links go only where the
presentation layer's link policy allows.  Every text is escaped on its way in (:func:`esc`,
:func:`esc_attr`); nothing from the article is ever markup.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from ...errors import RenderError
from ...presentation import model as m
from ...presentation import present
from ...presentation.reading import RELATED_SEPARATOR
from .. import RenderOptions
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


class _Page:
    def __init__(self, doc: m.PresentedDocument, style: "Style") -> None:
        self.doc, self.style = doc, style
        self.language = doc.metadata.language
        self.in_link = False          # HTML has no link inside a link: inner ones are text

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
        out = [f'<article id="{part.anchor}"{self.lang_attrs(part.language, part.direction)}'
               + (f' class="{classes}"' if classes else "")
               + (f' aria-labelledby="{title.anchor}"' if heading else "") + ">",
               '<header class="article-head">']
        if title.headline is not None:
            out.append(f'<h{level} class="title" id="{title.anchor}">{esc(title.headline)}</h{level}>')
            if title.standfirst:
                out.append(f'<p class="subtitle">{esc(title.standfirst)}</p>')
            if title.meta_line:
                out.append(f'<p class="meta-line">{esc(title.meta_line)}</p>')
        else:
            # no headline of its own: the meta line stands in the headline's place (present.py);
            # with no meta line either, the article opens with its lede
            if title.meta_line:
                out.append(f'<h{level} class="meta-line" id="{title.anchor}">{esc(title.meta_line)}</h{level}>')
            if title.standfirst:
                out.append(f'<p class="subtitle">{esc(title.standfirst)}</p>')
        out.append("</header>")
        if out[-2] == '<header class="article-head">':
            del out[-2:]                          # nothing to head the article with
        out += [self.block(block, level) for block in part.blocks]
        if part.speaker_notes is not None:
            notes = part.speaker_notes
            items = "\n".join(f'<li id="{note.anchor}" class="related-item">{esc(note.speaker)} '
                              f'<a href="#{note.label_anchor}" aria-label="back">↩</a></li>' for note in notes.notes)
            out.append(f'<section class="speaker-notes" id="{notes.anchor}">\n{self.section_heading(notes.heading, "related-heading", level)}'
                       f'\n<ol class="speaker-notes">\n{items}\n</ol>\n</section>')
        if part.related is not None:
            items = "\n".join(f'<li class="related-item"><strong>{esc(e.title)}</strong>'
                              + (f"{RELATED_SEPARATOR}{esc(e.summary)}" if e.summary else "") + "</li>"
                              for e in part.related.entries)
            out.append(f'<section class="related" id="{part.related.anchor}">\n'
                       f'{self.section_heading(part.related.heading, "related-heading", level)}\n<ul>\n{items}\n</ul>\n</section>')
        if part.dropped is not None:
            items = "\n".join(f'<li class="dropped-item"><strong>{esc(e.label)}:</strong> {esc(e.text)}</li>'
                              for e in part.dropped.entries)
            out.append(f'<section class="dropped" id="{part.dropped.anchor}">\n'
                       f'{self.section_heading(part.dropped.heading, "dropped-heading", level)}\n<ul class="dropped-lines">\n{items}\n</ul>\n</section>')
        return "\n".join(out + ["</article>"])

    @staticmethod
    def section_heading(text: str, key: str, level: int) -> str:
        tag = f"h{min(level + 1, 6)}"
        return f'<{tag} class="{key}">{esc(text)}</{tag}>'

    # -- blocks and runs ---------------------------------------------------------------------
    def block(self, block: m.Block, level: int) -> str:
        match block:
            case m.TextBlock(style_key=key, runs=runs, anchor=anchor, direction=direction):
                return f'<p class="{key}"{_id(anchor)}{_dir(direction)}>{self.runs(runs)}</p>'
            case m.HeadingBlock(level=inner, style_key=key, runs=runs, anchor=anchor, direction=direction):
                tag = f"h{min(level + inner, 6)}"
                return f'<{tag} class="{key}"{_id(anchor)}{_dir(direction)}>{self.runs(runs)}</{tag}>'
            case m.QuoteBlock(blocks=blocks, anchor=anchor):
                return f"<blockquote{_id(anchor)}>\n" + "\n".join(self.block(b, level) for b in blocks) + "\n</blockquote>"
            case m.ListBlock(ordered=ordered, items=items, anchor=anchor):
                tag = "ol" if ordered else "ul"
                rendered = "\n".join("<li>" + "\n".join(self.block(b, level) for b in item) + "</li>" for item in items)
                return f"<{tag}{_id(anchor)}>\n{rendered}\n</{tag}>" if items else f"<div{_id(anchor)}></div>"
            case m.RuleBlock(anchor=anchor):
                return f"<hr{_id(anchor)}>"
            case _:
                raise m.UnknownPartError(block, "html writer")

    def runs(self, runs: tuple[m.Run, ...]) -> str:
        return "".join(self.run(run) for run in runs)

    def run(self, run: m.Run) -> str:
        match run:
            case m.TextRun(text=text):
                return esc(text)
            case m.QuoteRun(style_key=key, speaker=speaker, content=content):
                tip = f' title="{esc_attr(speaker)}"' if speaker and self.doc.show_speaker_tooltip else ""
                return f'<q class="{key}"{tip}>{self.runs(content)}</q>'
            case m.SpeakerLabel(text=text, placement="inline"):
                return f' <span class="speaker-label">{esc(text)}</span>'
            case m.SpeakerLabel(text=text, placement="margin"):
                return f'<span class="speaker-label speaker-note" role="note">{esc(text)}</span>'
            case m.SpeakerLabel(text=text, placement="endnote", anchor=anchor, note_anchor=note):
                if self.in_link:
                    return f'<sup class="speaker-label speaker-ref"{_id(anchor)}>{esc(text)}</sup>'
                return (f'<sup class="speaker-label speaker-ref"><a id="{esc_attr(anchor or "")}" '
                        f'href="#{esc_attr(note or "")}">{esc(text)}</a></sup>')
            case m.EmphasisRun(content=content):
                return f"<em>{self.runs(content)}</em>"
            case m.StrongRun(content=content):
                return f"<strong>{self.runs(content)}</strong>"
            case m.LinkRun(href=href, content=content):
                if not href or self.in_link:
                    return self.runs(content)
                self.in_link = True
                try:
                    inner = self.runs(content)
                finally:
                    self.in_link = False
                return f'<a href="{esc_attr(href)}" rel="noreferrer">{inner}</a>'
            case m.LineBreak():
                return "<br>\n"
            case _:
                raise m.UnknownPartError(run, "html writer")


def _id(anchor: str | None) -> str:
    return f' id="{esc_attr(anchor)}"' if anchor else ""


def _dir(direction: str | None) -> str:
    return f' dir="{direction}"' if direction else ""
