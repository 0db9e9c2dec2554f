"""Presented articles as (X)HTML: what the EPUB and HTML writers draw alike.

An article's title block, its body blocks with their runs (quotes, speaker labels, emphasis,
links, line breaks) and its closing sections (speaker notes, related, dropped) are the same
markup in an EPUB content document and in an HTML page.  :class:`Markup` renders them once; each
writer subclasses it and says only what differs:

- :meth:`Markup.text` and :meth:`Markup.attr`: how text is made character data and attribute
  values (XML forbids other characters than an HTML5 parser reports; the EPUB writer also notes
  which characters each font face draws, to cut the embedded subsets);
- ``VOID_END``: ``<br>`` in HTML, ``<br/>`` in XHTML;
- ``NOTEREF_ATTRS`` and ``ENDNOTES_ATTRS``: EPUB's ``epub:type`` on an endnote reference and on
  the notes;
- ``LINK_ATTRS``: ``rel="noreferrer"`` on the HTML page's links;
- ``HEADER_OPEN``: the opening tag of the title block.

The parts around articles (cover, contents, key quotes) and the document around the parts stay
with each writer: a book's navigation document and a page's ``<nav>`` are not the same thing.
This module imports neither writer.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from ..presentation import model as m
from ..presentation.reading import RELATED_SEPARATOR

if TYPE_CHECKING:  # pragma: no cover
    from ..style.model import Style


class Face(NamedTuple):
    """The font a text is drawn in: a style family key, weight and slant (what the embedded-font
    bookkeeping needs).  A NamedTuple: a dataclass costs ~0.4 ms at import, paid by every export."""

    family: str | None
    bold: bool
    italic: bool


class Markup:
    """Renders presented blocks, runs and an article's title block and closing sections."""

    VOID_END: ClassVar[str] = ">"
    NOTEREF_ATTRS: ClassVar[str] = ""
    ENDNOTES_ATTRS: ClassVar[str] = ""
    LINK_ATTRS: ClassVar[str] = ""
    HEADER_OPEN: ClassVar[str] = "<header>"

    def __init__(self, doc: m.PresentedDocument, style: "Style", writer: str) -> None:
        self.doc, self.style, self.writer = doc, style, writer
        self.language = doc.metadata.language
        self.tooltips = doc.show_speaker_tooltip
        self.in_link = False          # no link inside a link: inner ones are text
        self._faces: dict[tuple[str, str], Face] = {}

    # -- what each writer says -----------------------------------------------------------------
    def text(self, text: str, face: Face) -> str:
        """``text`` as character data, drawn in ``face``."""
        raise NotImplementedError

    def attr(self, text: str) -> str:
        """``text`` as a double-quoted attribute value."""
        raise NotImplementedError

    # -- helpers --------------------------------------------------------------------------------
    def face(self, key: str, within: str | None = None) -> Face:
        """The face of element ``key`` (an inline or label key inside block ``within``)."""
        cache_key = (key, within or "")
        face = self._faces.get(cache_key)
        if face is None:
            look = self.style.inline(key, within) if within else self.style.block(key)
            face = self._faces[cache_key] = Face(look.family, bool(look.bold), bool(look.italic))
        return face

    def plain(self, tag: str, key: str, text: str, attrs: str = "") -> str:
        """One element of class ``key`` holding ``text`` in that key's face."""
        return f'<{tag} class="{key}"{attrs}>{self.text(text, self.face(key))}</{tag}>'

    def id_attr(self, anchor: str | None) -> str:
        return f' id="{self.attr(anchor)}"' if anchor else ""

    # -- an article ------------------------------------------------------------------------------
    def article_content(self, part: m.ArticlePart, level: int) -> list[str]:
        """An article's title block, body and closing sections; its headline is an ``h<level>``."""
        out = []
        header = self.title_block(part.title, level)
        if header:
            out.append(header)
        out += [rendered for block in part.blocks if (rendered := self.block(block, level))]
        return out + self.closing_sections(part, level)

    def title_block(self, title: m.TitleBlock, level: int) -> str:
        head: list[str] = []
        tag, anchor = f"h{min(level, 6)}", self.id_attr(title.anchor)
        if title.headline is not None:
            head.append(self.plain(tag, "title", title.headline, anchor))
            if title.standfirst:
                head.append(self.plain("p", "subtitle", title.standfirst))
            if title.meta_line:
                head.append(self.plain("p", "meta-line", title.meta_line))
        else:
            # no headline of its own: the meta line stands in the headline's place (the
            # presentation layer's headline policy); with neither, the article opens with its lede
            if title.meta_line:
                head.append(self.plain(tag, "meta-line", title.meta_line, anchor))
            if title.standfirst:
                head.append(self.plain("p", "subtitle", title.standfirst))
        return f"{self.HEADER_OPEN}\n" + "\n".join(head) + "\n</header>" if head else ""

    def closing_sections(self, part: m.ArticlePart, level: int) -> list[str]:
        """Speaker notes, related, dropped: each a section headed one level below the article."""
        heading = f"h{min(level + 1, 6)}"
        out = []
        if part.speaker_notes is not None:
            notes = part.speaker_notes
            face = self.face("related-item")
            # the name links back to the quote's label, as in the PDF and DOCX: a link that names
            # the speaker, where a bare "↩" would read to a screen reader as an arrow
            items = "\n".join(f'<li class="related-item"{self.id_attr(note.anchor)}>'
                              f'<a href="#{self.attr(note.label_anchor)}">{self.text(note.speaker, face)}</a></li>'
                              for note in notes.notes)
            out.append(f'<section class="speaker-notes"{self.id_attr(notes.anchor)}{self.ENDNOTES_ATTRS}>\n'
                       f'{self.plain(heading, "related-heading", notes.heading)}\n<ol class="speaker-notes">\n{items}\n</ol>\n</section>')
        if part.related is not None:
            face = self.face("related-item")
            items = "\n".join(
                f'<li class="related-item"><strong>{self.text(e.title, face._replace(bold=True))}</strong>'
                + (self.text(RELATED_SEPARATOR + e.summary, face) if e.summary else "") + "</li>"
                for e in part.related.entries)
            out.append(f'<section class="related"{self.id_attr(part.related.anchor)}>\n'
                       f'{self.plain(heading, "related-heading", part.related.heading)}\n<ul>\n{items}\n</ul>\n</section>')
        if part.dropped is not None:
            face = self.face("dropped-item")
            items = "\n".join(f'<li class="dropped-item"><strong>{self.text(e.label + ":", face._replace(bold=True))}</strong> '
                              f"{self.text(e.text, face)}</li>" for e in part.dropped.entries)
            out.append(f'<section class="dropped"{self.id_attr(part.dropped.anchor)}>\n'
                       f'{self.plain(heading, "dropped-heading", part.dropped.heading)}\n'
                       f'<ul class="dropped-lines">\n{items}\n</ul>\n</section>')
        return out

    # -- blocks and runs -----------------------------------------------------------------------
    def block(self, block: m.Block, level: int) -> str:
        """A body block ("" for an empty list with no anchor: nothing to draw or link to); its
        headings sit below the article's ``h<level>``."""
        match block:
            case m.TextBlock(style_key=key, runs=runs, anchor=anchor, direction=direction):
                return f'<p class="{key}"{self.id_attr(anchor)}{_dir(direction)}>{self.runs(runs, key, self.face(key))}</p>'
            case m.HeadingBlock(level=inner, style_key=key, runs=runs, anchor=anchor, direction=direction):
                tag = f"h{min(level + inner, 6)}"
                return (f'<{tag} class="{key}"{self.id_attr(anchor)}{_dir(direction)}>'
                        f'{self.runs(runs, key, self.face(key))}</{tag}>')
            case m.QuoteBlock(blocks=blocks, anchor=anchor):
                inner = "\n".join(r for b in blocks if (r := self.block(b, level)))
                return f"<blockquote{self.id_attr(anchor)}>\n{inner}\n</blockquote>"
            case m.ListBlock(ordered=ordered, items=items, anchor=anchor):
                if not items:
                    return f"<div{self.id_attr(anchor)}></div>" if anchor else ""
                tag = "ol" if ordered else "ul"
                rendered = "\n".join("<li>" + "\n".join(r for b in item if (r := self.block(b, level))) + "</li>"
                                     for item in items)
                return f"<{tag}{self.id_attr(anchor)}>\n{rendered}\n</{tag}>"
            case m.RuleBlock(anchor=anchor):
                return f"<hr{self.id_attr(anchor)}{self.VOID_END}"
            case _:
                raise m.UnknownPartError(block, self.writer)

    def runs(self, runs: tuple[m.Run, ...], block_key: str, face: Face) -> str:
        return "".join(self.run(run, block_key, face) for run in runs)

    def run(self, run: m.Run, block_key: str, face: Face) -> str:
        match run:
            case m.TextRun(text=text):
                return self.text(text, face)
            case m.QuoteRun(style_key=key, speaker=speaker, content=content):
                # a tooltip names the speaker only as an extra: the visible form is a SpeakerLabel
                tip = f' title="{self.attr(speaker)}"' if speaker and self.tooltips else ""
                return f'<q class="{key}"{tip}>{self.runs(content, block_key, self.face(key, block_key))}</q>'
            case m.SpeakerLabel(text=text, placement="inline"):
                return f' <span class="speaker-label">{self.text(text, self.face("speaker-label", block_key))}</span>'
            case m.SpeakerLabel(text=text, placement="margin"):
                return (f'<span class="speaker-label speaker-note" role="note">'
                        f'{self.text(text, self.face("speaker-label", block_key))}</span>')
            case m.SpeakerLabel(text=text, placement="endnote", anchor=anchor, note_anchor=note):
                number = self.text(text, self.face("speaker-label", block_key))
                if self.in_link:                     # no link inside a link: the number alone
                    return f'<sup class="speaker-label speaker-ref"{self.id_attr(anchor)}>{number}</sup>'
                return (f'<sup class="speaker-label speaker-ref"><a id="{self.attr(anchor or "")}" '
                        f'href="#{self.attr(note or "")}"{self.NOTEREF_ATTRS}>{number}</a></sup>')
            case m.EmphasisRun(content=content):
                return f"<em>{self.runs(content, block_key, face._replace(italic=True))}</em>"
            case m.StrongRun(content=content):
                return f"<strong>{self.runs(content, block_key, face._replace(bold=True))}</strong>"
            case m.LinkRun(href=href, content=content):
                if not href or self.in_link:
                    return self.runs(content, block_key, face)
                self.in_link = True
                try:
                    inner = self.runs(content, block_key, face)
                finally:
                    self.in_link = False
                return f'<a href="{self.attr(href)}"{self.LINK_ATTRS}>{inner}</a>'
            case m.LineBreak():
                # the newline keeps the words apart for anything that reads the text back
                return f"<br{self.VOID_END}\n"
            case _:
                raise m.UnknownPartError(run, self.writer)


def _dir(direction: str | None) -> str:
    return f' dir="{direction}"' if direction else ""
