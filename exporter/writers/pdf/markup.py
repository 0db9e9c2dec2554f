"""Fonts, colours, ParagraphStyles and the inline markup of presented runs.

Article text is hostile.  reportlab's Paragraph takes a small XML-ish markup language (``<font>``,
``<img src=…>``, ``<a href=…>``, entities…), so every character of a presented text goes through
:func:`escape_text` before it is placed between tags we write ourselves; attribute values (link
targets the presentation layer already judged safe, our own anchors) go through
:func:`escape_attr`.  Nothing else of the article ever reaches the markup: speakers for margin
notes and hover notes travel by index.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple

from reportlab.lib.colors import CMYKColor, Color, HexColor, rgb2cmyk, toColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics, ttfonts

from ...presentation import model as m
from ...style.fontfile import check_font_file
from ...style.fonts import PLACEHOLDER, placeholder_face
from .ttf import FastTTFont

if TYPE_CHECKING:  # pragma: no cover
    from ...style.model import Style

_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER, "justify": TA_JUSTIFY}

# --------------------------------------------------------------------------------------- escaping
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})
# Whitespace reportlab's parser would treat as markup-significant or that has no glyph: newlines
# and tabs become plain spaces (a Break node is the only way to force a line break).
_SPACE_LIKE = re.compile(r"[\t\n\r\x0b\x0c]")
_HAS_SPACE_LIKE = _SPACE_LIKE.search


def escape_text(text: str) -> str:
    """Article text made inert for Paragraph markup: tags, entities and ampersands stay literal."""
    # (three str.replace passes: str.translate with a dict walks text beyond ASCII ten times slower)
    if _HAS_SPACE_LIKE(text):
        text = _SPACE_LIKE.sub(" ", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text: str) -> str:
    return _SPACE_LIKE.sub(" ", text).translate(_ATTR_ESCAPES)


# ----------------------------------------------------------------------------------------- colours
class Palette(NamedTuple):
    """Turns style colours (#rrggbb) into reportlab colours and markup colour strings, in the
    style's colour mode: in ``cmyk`` mode every colour the writer emits is a CMYK colour.
    (This module's records are named tuples: a frozen dataclass costs every process about a
    millisecond to define, which a whole-process export pays for nothing.)"""

    cmyk: bool

    def color(self, hex_color: str) -> Color:
        rgb = HexColor(hex_color)
        if not self.cmyk:
            return rgb
        return CMYKColor(*rgb2cmyk(rgb.red, rgb.green, rgb.blue))

    def markup(self, hex_color: str) -> str:
        if not self.cmyk:
            return hex_color
        c = self.color(hex_color)
        return f"cmyk({c.cyan:.4f},{c.magenta:.4f},{c.yellow:.4f},{c.black:.4f})"

    def enforcer(self) -> Callable | None:
        """A canvas colour enforcer: in cmyk mode converts whatever reaches the canvas."""
        if not self.cmyk:
            return None

        def to_cmyk(value):
            tc = toColor(value)
            if isinstance(tc, CMYKColor):
                if type(tc) is not CMYKColor:    # separations and PCMYK → plain CMYK
                    tc = CMYKColor(tc.cyan, tc.magenta, tc.yellow, tc.black, alpha=tc.alpha)
                return tc
            return CMYKColor(*rgb2cmyk(tc.red, tc.green, tc.blue), alpha=tc.alpha)

        return to_cmyk


# ------------------------------------------------------------------------------------------- fonts
def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's ToUnicode CMap, but with characters beyond the BMP written as UTF-16 surrogate
    pairs (reportlab writes ``<1F600>``, which no reader maps back: emoji and rare CJK would be
    lost from the text layer)."""
    def utf16(cp: int) -> str:
        if cp < 0x10000:
            return "%04X" % cp
        return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()

    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", "%d beginbfchar" % len(subset),
        *("<%02X> <%s>" % (i, utf16(v)) for i, v in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


ttfonts.makeToUnicodeCMap = _to_unicode_cmap

_REGISTERED: dict[Path, str] = {}   # TTF path -> reportlab font name, for the process lifetime


def font_name_for(path: Path) -> str:
    """Register a TrueType file once per process and return its reportlab font name.  The name
    depends only on the file's path, so outputs do not depend on registration order."""
    name = _REGISTERED.get(path)
    if name is None:
        path = Path(path)
        # reportlab reads the whole file: a Style built by hand skipped the loader's check
        check_font_file(path)
        stem = re.sub(r"[^A-Za-z0-9-]", "", path.stem)[:40] or "font"
        digest = hashlib.sha1(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:6]
        name = f"x{stem}-{digest}"
        # Subsets hold only the characters drawn (asciiReadable would put all of printable ASCII
        # in every face's subset, drawn or not).
        pdfmetrics.registerFont(FastTTFont(name, str(path), asciiReadable=0))
        _REGISTERED[path] = name
    return name


# ---------------------------------------------------------------------------------- paragraph styles
def paragraph_style(style: "Style", key: str, palette: Palette, hyphenation_lang, **overrides) -> ParagraphStyle:
    """The reportlab ParagraphStyle for one block element key."""
    el = style.block(key)
    family = style.fonts[el.family]
    font = font_name_for(family.face(bool(el.bold), bool(el.italic)))
    values = dict(
        fontName=font,
        fontSize=el.size,
        leading=el.leading or el.size * 1.25,
        textColor=palette.color(el.color),
        backColor=palette.color(el.background) if el.background else None,
        alignment=_ALIGN.get(el.align, TA_LEFT),
        spaceBefore=el.space_before,
        spaceAfter=el.space_after,
        firstLineIndent=el.first_line_indent,
        keepWithNext=1 if el.keep_with_next else 0,
        allowWidows=0,
        allowOrphans=0,
        splitLongWords=1,
        hyphenationLang=hyphenation_lang if el.hyphenate else "",
        embeddedHyphenation=1 if el.hyphenate else 0,
        uriWasteReduce=0.3,
        bulletFontName=font,
        bulletFontSize=el.size,
        bulletColor=palette.color(el.color),
        linkUnderline=0,
    )
    values.update(overrides)
    return ParagraphStyle(name=key, **values)


# ---------------------------------------------------------------------------------- inline markup
class PlainHighlights(NamedTuple):
    """A paragraph's plain text and the [start, end) character ranges drawn on a background."""

    text: str
    ranges: tuple[tuple[int, int, Color], ...]


class PlainPiece(NamedTuple):
    """A stretch of a paragraph's plain text drawn whole in one font (our registered name), size,
    colour and background, the colours as the markup would name them (:meth:`Palette.markup`;
    colour None: the paragraph's own, background None: none)."""

    text: str
    font: str
    size: float
    color: str | None
    background: str | None


class SideNotes:
    """Texts drawn beside the text by an ``onDraw`` callback: the markup names them by index
    only, never by their text (which is the article's)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def add(self, text: str) -> int:
        self.texts.append(text)
        return len(self.texts) - 1


#: face file -> characters the resolver put in that face's own runs (a property of the font
#: file alone, so shared by every export in the process; bounded by the font's coverage).
_FACE_CHARS: dict[Path, set[str]] = {}


class _Face(NamedTuple):
    family: str
    bold: bool
    italic: bool
    size: float


class InlineMarkup:
    """Renders presented runs (:mod:`exporter.presentation.model`) as Paragraph markup for one
    block element.

    Text is split into runs by the shared font resolver (main face, then fallbacks); each run in a
    face other than the paragraph's base font is wrapped in ``<font name=…>`` with our own
    registered font name.  Runs no font covers are left out (the resolver reports them).

    Speaker labels are drawn as the presentation places them, in the ``speaker-label`` look:
    inline after the quote, as a note in the left margin level with the quote's first line
    (``MARGIN_CALLBACK``), or as a superscript note number linked to the article's speaker
    notes.  With ``tooltips`` a quote also carries a hover note naming its speaker
    (``SPEAKER_CALLBACK``), an extra that is never the only form."""

    SPEAKER_CALLBACK = "exporterSpeaker"
    MARGIN_CALLBACK = "exporterMargin"
    LABEL_KEY = "speaker-label"

    def __init__(self, style: "Style", resolver, palette: Palette, tooltips: bool = False) -> None:
        self.style = style
        self.resolver = resolver
        self.palette = palette
        self.tooltips = tooltips
        self.speakers = SideNotes()        # hover notes (tooltips), by index
        self.margin_notes = SideNotes()    # margin speaker labels, by index
        self.in_link = False               # no link inside a link: the inner one is text
        # Characters the resolver has already placed in a face's own run.  A text made only of
        # those would come back from the resolver as one run in that face, so it skips the
        # per-character walk (the common case: plain Latin text in the main face).
        self._face_chars = _FACE_CHARS
        self._face_names: dict[tuple[str, bool, bool], tuple[Path, str]] = {}
        # per build: what the (immutable) style resolves to, asked for again in every paragraph
        self._inline_styles: dict[tuple[str, str], object] = {}
        self._colors: dict[str, object] = {}

    def _inline(self, key: str, within: str):
        """``style.inline(key, within=within)``, resolved once per build."""
        found = self._inline_styles.get((key, within))
        if found is None:
            found = self._inline_styles[(key, within)] = self.style.inline(key, within=within)
        return found

    def _color(self, hex_color: str):
        """``palette.color(hex_color)``, made once per build."""
        found = self._colors.get(hex_color)
        if found is None:
            found = self._colors[hex_color] = self.palette.color(hex_color)
        return found

    def _face(self, face: "_Face") -> tuple[Path, str]:
        key = (face.family, face.bold, face.italic)
        found = self._face_names.get(key)
        if found is None:
            path = self.style.fonts[face.family].face(face.bold, face.italic)
            found = self._face_names[key] = (path, font_name_for(path))
        return found

    def runs(self, text: str, face: "_Face") -> list[tuple[str, Path | None]]:
        """The resolver's runs for ``text`` in ``face`` (see the fast path above)."""
        path, _ = self._face(face)
        known = self._face_chars.setdefault(path, set())
        if known.issuperset(text):
            return [(text, path)]
        # Ask about each new character alone first: a long text needs the resolver's
        # character-by-character walk only when some character is not the face's own.
        for char in set(text).difference(known):
            if self.resolver.split(char, face.family, face.bold, face.italic) == [(char, path)]:
                known.add(char)
        if known.issuperset(text):
            return [(text, path)]
        runs = self.resolver.split(text, face.family, face.bold, face.italic)
        for run, run_path in runs:
            if run_path == path:
                known.update(run)
        return runs

    def base_face(self, key: str) -> _Face:
        el = self.style.block(key)
        return _Face(el.family, bool(el.bold), bool(el.italic), el.size)

    def render(self, runs: tuple, key: str) -> str:
        """Markup for a block's presented runs, in block element ``key``."""
        base = self.base_face(key)
        out: list[str] = []
        self._runs(runs, key, base, base, out)
        return "".join(out)

    def plain_with_highlights(self, runs: tuple, key: str) -> "PlainHighlights | None":
        """The paragraph as plain text plus highlighted character ranges (maybe none), when that
        is all it is: only text and quotes, every character in the block's own face, quotes that
        change nothing but the background.  Such a paragraph needs no markup at all
        (:meth:`~.page.LinearParagraph.of_plain_text`), and reportlab lays it out on its
        fast single-run path (a ``<span backColor>`` makes it take the general path, about five
        times slower); :class:`~.page.LinearParagraph` draws the highlight rectangles itself.
        None when the paragraph needs real markup (a speaker label, emphasis, a link…)."""
        el = self.style.block(key)
        base = self.base_face(key)
        parts: list[str] = []
        ranges: list[tuple[int, int, str]] = []
        length = 0

        def walk(items, highlight: str | None) -> bool:
            nonlocal length
            for run in items:
                match run:
                    case m.TextRun(text=text):
                        if not text:
                            continue
                        if not self._drawn_whole_in(text, base):
                            return False
                        parts.append(_SPACE_LIKE.sub(" ", text))
                        length += len(text)
                    case m.QuoteRun(style_key=qkey, highlight=shown, speaker=speaker, content=inner):
                        qel = self._inline(qkey, key)
                        face = _Face(qel.family or base.family, base.bold if qel.bold is None else qel.bold,
                                     base.italic if qel.italic is None else qel.italic, qel.size or base.size)
                        if face != base or qel.color != el.color:
                            return False
                        if speaker and self.tooltips:
                            return False                 # the hover note needs its onDraw mark
                        background = qel.background if shown else None
                        if background and highlight and background != highlight:
                            return False
                        if background and not highlight:
                            start = length
                            if not walk(inner, background):
                                return False
                            if length > start:
                                ranges.append((start, length, background))
                        elif not walk(inner, highlight):
                            return False
                    case m.SpeakerLabel() | m.EmphasisRun() | m.StrongRun() | m.LinkRun() | m.LineBreak():
                        return False
                    case _:
                        raise m.UnknownPartError(run, "pdf inline markup")
            return True

        if not walk(runs, None):
            return None
        text = "".join(parts)
        colors = {c: self._color(c) for _, _, c in ranges}
        return PlainHighlights(text, tuple((a, b, colors[c]) for a, b, c in ranges))

    def plain_pieces(self, runs: tuple, key: str) -> "list[PlainPiece] | None":
        """The paragraph as pieces of plain text, each drawn whole in one face, size, colour and
        background, when that is all it is: text, quotes (any face, colour, highlight) and inline
        speaker labels.  They are the fragments reportlab's parser would make of :meth:`render`'s
        markup (:meth:`~.page.LinearParagraph.of_plain_pieces` builds them directly: the parse
        is a fifth of such a paragraph's time).  None when the paragraph needs real markup
        (emphasis, a link, a line break, a margin or endnote label, a hover note, a character
        drawn by a fallback face)."""
        el = self.style.block(key)
        base = self.base_face(key)
        markup_color = self.palette.markup
        base_font = self._face(base)[1]
        pieces: list[PlainPiece] = []
        # The parser makes a new fragment at every tag: a text joins the one before it only when
        # no tag stands between them (neither is wrapped in a <font>, no <span> opens or closes).
        joinable = False

        def add(text: str, face: _Face, color: str | None, background: str | None, tagged: bool = False) -> bool:
            nonlocal joinable
            if not text:
                return True
            if "\x00" in text or not self._drawn_whole_in(text, face):
                return False             # (NUL marks the pieces' boundaries: never article text)
            text = _SPACE_LIKE.sub(" ", text)
            font = self._face(face)[1]
            tagged = tagged or font != base_font or face.size != base.size     # as _runs_markup
            if joinable and not tagged:
                last = pieces[-1]
                pieces[-1] = PlainPiece(last.text + text, last.font, last.size, last.color, last.background)
            else:
                pieces.append(PlainPiece(text, font, face.size, color, background))
            joinable = not tagged
            return True

        def walk(items, face: _Face, color: str | None, background: str | None) -> bool:
            nonlocal joinable
            for run in items:
                match run:
                    case m.TextRun(text=text):
                        if not add(text, face, color, background):
                            return False
                    case m.QuoteRun(style_key=qkey, highlight=shown, speaker=speaker, content=inner):
                        if speaker and self.tooltips:
                            return False                 # the hover note needs its onDraw mark
                        qel = self._inline(qkey, key)
                        inner_face = _Face(qel.family or face.family, face.bold if qel.bold is None else qel.bold,
                                           face.italic if qel.italic is None else qel.italic, qel.size or face.size)
                        # as _quote's <span>: its colour unless the block's, its background when shown
                        spans = qel.color != el.color or bool(shown and qel.background)
                        inner_color = markup_color(qel.color) if qel.color != el.color else color
                        inner_background = markup_color(qel.background) if shown and qel.background else background
                        joinable = joinable and not spans
                        if not walk(inner, inner_face, inner_color, inner_background):
                            return False
                        joinable = joinable and not spans
                    case m.SpeakerLabel(placement="inline", text=text):
                        # as _speaker_label: one space in the paragraph's face (in the colours
                        # around it), then the label in its own face and colour
                        label_face, label_color = self.label_face(key)
                        if not (add(" ", base, color, background)
                                and add(text, label_face, markup_color(label_color), background, tagged=True)):
                            return False
                    case m.SpeakerLabel() | m.EmphasisRun() | m.StrongRun() | m.LinkRun() | m.LineBreak():
                        return False
                    case _:
                        raise m.UnknownPartError(run, "pdf inline markup")
            return True

        if not walk(runs, base, None, None):
            return None
        return pieces

    def plain_font(self, text: str, key: str, *, bold: bool | None = None, italic: bool | None = None) -> str | None:
        """The font name ``text`` is drawn in, when all of it is drawn in the block element's
        face (made bold or upright by ``bold``/``italic``), so that it needs no markup in a
        paragraph style of that font (:meth:`~.page.LinearParagraph.of_plain_text`); else None."""
        el = self.style.block(key)
        face = _Face(el.family, bool(el.bold) if bold is None else bold, bool(el.italic) if italic is None else italic,
                     el.size)
        if text.strip() and self._drawn_whole_in(text, face):
            return self._face(face)[1]
        return None

    def _drawn_whole_in(self, text: str, face: "_Face") -> bool:
        """Whether the resolver draws every character of ``text`` in ``face``'s own file."""
        path = self._face(face)[0]
        return all(run_path is path or run_path == path for _, run_path in self.runs(text, face))

    def render_text(self, text: str, key: str, *, bold: bool | None = None, italic: bool | None = None,
                    color: str | None = None) -> str:
        """Plain (untrusted) text in a block element's face, optionally bolder/italic/coloured."""
        el = self.style.block(key)
        base = self.base_face(key)
        face = _Face(el.family, base.bold if bold is None else bold, base.italic if italic is None else italic, el.size)
        out: list[str] = []
        self._runs_markup(text, face, base, out)
        markup = "".join(out)
        if color and color != el.color:
            markup = f'<font color="{self.palette.markup(color)}">{markup}</font>'
        return markup

    # -- dispatch -----------------------------------------------------------------------------
    def _runs(self, items, key: str, face: _Face, base: _Face, out: list[str]) -> None:
        for run in items:
            match run:
                case m.TextRun(text=text):
                    self._runs_markup(text, face, base, out)
                case m.QuoteRun():
                    self._quote(run, key, face, base, out)
                case m.SpeakerLabel():
                    self._speaker_label(run, key, base, out)
                case m.EmphasisRun(content=inner):
                    self._runs(inner, key, _Face(face.family, face.bold, True, face.size), base, out)
                case m.StrongRun(content=inner):
                    self._runs(inner, key, _Face(face.family, True, face.italic, face.size), base, out)
                case m.LinkRun(href=href, content=inner):
                    if href is None or self.in_link:
                        self._runs(inner, key, face, base, out)
                        continue
                    self.in_link = True
                    out.append(f'<a href="{escape_attr(href)}">')
                    try:
                        self._runs(inner, key, face, base, out)
                    finally:
                        self.in_link = False
                    out.append("</a>")
                case m.LineBreak():
                    out.append("<br/>")
                case _:
                    raise m.UnknownPartError(run, "pdf inline markup")

    def _runs_markup(self, text: str, face: _Face, base: _Face, out: list[str]) -> None:
        if not text:
            return
        base_font = self._face(base)[1]
        for run, path in self.runs(text, face):
            if path is None:
                # no font draws it: a visible box in its place (the resolver reports it, per script)
                path = placeholder_face()
                run = "".join(" " if char.isspace() else PLACEHOLDER for char in run)
            name = font_name_for(path)
            escaped = escape_text(run)
            if name == base_font and face.size == base.size:
                out.append(escaped)
            elif face.size == base.size:
                out.append(f'<font name="{name}">{escaped}</font>')
            else:
                out.append(f'<font name="{name}" size="{face.size:.2f}">{escaped}</font>')

    def _quote(self, quote, key: str, face: _Face, base: _Face, out: list[str]) -> None:
        el = self._inline(quote.style_key, key)
        inner_face = _Face(el.family or face.family,
                           face.bold if el.bold is None else el.bold,
                           face.italic if el.italic is None else el.italic,
                           el.size or face.size)
        attrs = []
        if el.color != self.style.block(key).color:
            attrs.append(f'color="{self.palette.markup(el.color)}"')
        if quote.highlight and el.background:
            attrs.append(f'backColor="{self.palette.markup(el.background)}"')
        if attrs:
            out.append(f"<span {' '.join(attrs)}>")
        if quote.speaker and self.tooltips:
            # glued to the quote's first word, so the hover note sits on the line the quote starts on
            out.append(f'<onDraw name="{self.SPEAKER_CALLBACK}" label="{self.speakers.add(quote.speaker)}"/>')
        self._runs(quote.content, key, inner_face, base, out)
        if attrs:
            out.append("</span>")

    def text_in_face(self, text: str, face: _Face) -> str:
        """Markup for plain text in a paragraph whose own font is ``face``'s."""
        out: list[str] = []
        self._runs_markup(text, face, face, out)
        return "".join(out)

    def label_face(self, key: str) -> tuple[_Face, str]:
        """The speaker label's face and colour inside block element ``key``."""
        el = self._inline(self.LABEL_KEY, key)
        return _Face(el.family, bool(el.bold), bool(el.italic), el.size), el.color

    def _speaker_label(self, label, key: str, base: _Face, out: list[str]) -> None:
        face, color = self.label_face(key)
        match label.placement:
            case "inline":
                # one space before it (the presentation's rule), then the label in its own look
                text: list[str] = []
                self._runs_markup(label.text, face, base, text)
                out.append(f' <font color="{self.palette.markup(color)}">{"".join(text)}</font>')
            case "margin":
                # drawn beside the line the next word (the quote's first) is set on
                out.append(f'<onDraw name="{self.MARGIN_CALLBACK}" label="{self.margin_notes.add(label.text)}"/>')
            case "endnote":
                number: list[str] = []
                self._runs_markup(label.text, face, base, number)
                mark = f'<font color="{self.palette.markup(color)}"><super>{"".join(number)}</super></font>'
                if label.anchor:
                    out.append(f'<a name="{escape_attr(label.anchor)}"/>')
                if label.note_anchor and not self.in_link:
                    mark = f'<a href="#{escape_attr(label.note_anchor)}">{mark}</a>'
                out.append(mark)
            case _:
                raise m.UnknownPartError(label, "pdf speaker label")
