"""The resolved style: what every writer reads its look from.

A style file (TOML, see styles/) is loaded, merged along its ``extends`` chain, validated and
resolved into these frozen dataclasses once, by :mod:`exporter.style.loader`.  All lengths here
are points (float), all colours ``#rrggbb`` strings, all font files absolute paths.  Writers map
the semantic element keys below onto their own machinery (DOCX named styles, CSS classes,
reportlab ParagraphStyles); they never read the TOML themselves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal, Mapping

Align = Literal["left", "right", "center", "justify"]
ColorMode = Literal["rgb", "cmyk"]

#: Block-level semantic elements (a paragraph style in each format).
BLOCK_ELEMENTS: tuple[str, ...] = (
    "title", "subtitle", "byline", "meta-line",
    "heading-1", "heading-2", "heading-3",
    "body", "lede", "blockquote", "list",
    "related-heading", "related-item",
    "header", "footer",
    # briefing parts (cover page, table of contents, key quotes list, dropped-lines appendix)
    "cover-title", "cover-meta", "toc-heading", "toc-entry",
    "key-quotes-heading", "key-quotes-item", "dropped-heading", "dropped-item",
)
#: Character-level semantic elements (a character style / span class in each format).
INLINE_ELEMENTS: tuple[str, ...] = ("quote-speech", "quote-title", "quote-term")
#: Character-level labels the presentation layer adds to the text (not quotes): resolved like
#: inline elements, styled by the writers that show them.
LABEL_ELEMENTS: tuple[str, ...] = ("speaker-label",)
ELEMENT_KEYS: tuple[str, ...] = BLOCK_ELEMENTS + INLINE_ELEMENTS + LABEL_ELEMENTS
#: The block elements that may be hyphenated (``hyphenate = true``): running text.  A copy editor
#: never hyphenates headings, titles, standfirsts, table cells (key quotes), captions or page
#: furniture, so the loader refuses ``hyphenate = true`` on those, whatever the format.
HYPHENATED_ELEMENTS: tuple[str, ...] = ("body", "lede", "blockquote", "list", "related-item", "dropped-item")

FACES: tuple[str, ...] = ("regular", "bold", "italic", "bold-italic")


@dataclass(frozen=True, slots=True)
class FontFamily:
    """A named family (``serif``, ``sans``, ``mono``…) with one TrueType file per face."""

    name: str                 # the family's display name, e.g. "Noto Serif"
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def face(self, bold: bool, italic: bool) -> Path:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        if italic:
            return self.italic
        return self.regular


@dataclass(frozen=True, slots=True)
class ElementStyle:
    """The look of one semantic element.  For block elements every field is resolved.  For inline
    elements (quote-*), ``family``/``size``/``leading`` may be None, meaning "as the surrounding
    block"; ``bold``/``italic`` None likewise."""

    family: str | None        # a key of Style.fonts
    size: float | None        # pt
    bold: bool | None
    italic: bool | None
    color: str                # #rrggbb
    background: str | None    # #rrggbb or None (no fill)
    leading: float | None     # pt, baseline to baseline
    space_before: float = 0.0
    space_after: float = 0.0
    align: Align = "left"
    first_line_indent: float = 0.0
    hyphenate: bool = False
    keep_with_next: bool = False


@dataclass(frozen=True, slots=True)
class Furniture:
    """A running header or footer: three templates with {title} {source} {date} {page} {pages}
    {marking} fields; empty string = nothing in that slot."""

    left: str = ""
    center: str = ""
    right: str = ""

    @property
    def empty(self) -> bool:
        return not (self.left or self.center or self.right)


@dataclass(frozen=True, slots=True)
class PageStyle:
    width: float              # pt, orientation already applied
    height: float             # pt
    orientation: Literal["portrait", "landscape"]
    margin_top: float
    margin_right: float
    margin_bottom: float
    margin_left: float
    bleed: float = 0.0
    crop_marks: bool = False
    header: Furniture = Furniture()
    footer: Furniture = Furniture()
    first_page_furniture: bool = True
    color_mode: ColorMode = "rgb"
    size_name: str | None = None  # "A4", "Letter"… when the size is a named one


@dataclass(frozen=True, slots=True)
class Hyphenation:
    """How hyphenated running text breaks words, in every format that controls its breaking (the
    PDF writer breaks its own lines; DOCX asks Word and LibreOffice to match where their settings
    allow).  Which elements hyphenate at all is each element's ``hyphenate``."""

    min_before: int = 3               # letters a break leaves before it, at least
    min_after: int = 3                # letters a break leaves after it, at least
    max_consecutive: int = 2          # lines in a row that may end in a hyphen, at most
    language: str | None = None       # BCP 47 tag of the dictionary for text in its language (None: the text's own)

    def language_for(self, tag: str | None) -> str | None:
        """The dictionary's language for text tagged ``tag``: the override when it is the same
        language (``en-GB`` hyphenates every English text the British way, also ``en`` and
        ``en-US``), else the text's own tag.  An override in another language never applies:
        French is not hyphenated with English patterns."""
        if not self.language or not tag:
            return tag
        same = self.language.replace("_", "-").split("-")[0].lower() == tag.replace("_", "-").split("-")[0].lower()
        return self.language if same else tag


SPEAKER_DISPLAYS: tuple[str, ...] = ("none", "inline", "margin", "endnote")


@dataclass(frozen=True, slots=True)
class QuoteOptions:
    highlight_speech: bool = True
    highlight_title: bool = False
    highlight_term: bool = False
    show_speaker: bool = False            # also a tooltip / Word comment naming the speaker (an extra)
    speaker_display: str = "inline"       # one of SPEAKER_DISPLAYS: how the speaker is shown, visibly
    typographic_marks: bool = True        # straight quotes and apostrophes curled for the language


@dataclass(frozen=True, slots=True)
class Sections:
    related: bool = False
    dropped: bool = False
    key_quotes: bool = True         # briefings: the key-quotes section
    article_new_page: bool = True   # briefings: each article starts a new page (print formats)
    key_quotes_per_article: int = 2 # briefings: at most this many key quotes from one article
    key_quotes_max: int = 12        # briefings: at most this many key quotes in all


@dataclass(frozen=True, slots=True)
class Style:
    name: str
    page: PageStyle
    fonts: Mapping[str, FontFamily]
    fallback: tuple[Path, ...]        # fallback font files in order (after the element's family)
    elements: Mapping[str, ElementStyle]
    quotes: QuoteOptions = QuoteOptions()
    sections: Sections = Sections()
    hyphenation: Hyphenation = Hyphenation()
    marking: str | None = None
    embed_fonts: bool = False         # DOCX and EPUB: embed subsets of the fonts drawn (PDF always does)
    source: Path | None = None        # the file it was loaded from (for messages)
    resolved: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))  # merged TOML tree

    def element(self, key: str) -> ElementStyle:
        try:
            return self.elements[key]
        except KeyError:
            raise KeyError(f"style {self.name!r} has no element {key!r}") from None

    def block(self, key: str) -> ElementStyle:
        """A block element's style (fully resolved)."""
        return self.element(key)

    def inline(self, key: str, within: str = "body") -> ElementStyle:
        """An inline element's style with its None fields filled from the block it sits in."""
        own, outer = self.element(key), self.element(within)
        return ElementStyle(
            family=own.family or outer.family,
            size=own.size or outer.size,
            bold=outer.bold if own.bold is None else own.bold,
            italic=outer.italic if own.italic is None else own.italic,
            color=own.color,
            background=own.background,
            leading=own.leading or outer.leading,
        )
