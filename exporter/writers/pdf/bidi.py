"""Right-to-left text in visual order: the Unicode Bidirectional Algorithm (python-bidi's
reference implementation) applied to each laid-out line after line breaking, as UAX #9 asks.

reportlab draws a line's words, or its fragments, from left to right in the order it is given
them; :func:`reorder_lines` gives it each line in visual order (Hebrew letters right to left,
numbers and Latin words inside them left to right, mirrored brackets), keeping every
fragment's font, colour and background.  A line without a right-to-left character in a
left-to-right paragraph is left alone, so left-to-right text costs one scan of its
characters.

Arabic letters are joined (:func:`joining_forms`): each takes its isolated, initial, medial or
final form from Unicode's Arabic Presentation Forms-B (Persian, Urdu and other extended letters
from Forms-A), by its neighbours in logical order, and
lam before alef becomes the lam-alef ligature, when the font drawing it has those forms (else
the letter stays as written).  The forms are drawn once the line is broken, but a face that has
them measures Arabic text joined (:func:`joined`, see ``ttf.FastTTFont.stringWidth``), so lines
are broken by the width they are drawn with.  A letter with no presentation forms in Unicode
(some Arabic Supplement letters) stays as written.

The text layer (:func:`_spans`): text drawn as something else is drawn in marked content with
``/ActualText`` (:func:`actual_text_object`), so an extractor that honours it (poppler's
pdftotext, Acrobat) reads the letters as written.  poppler puts the visual line back in
reading order with a rule of its own, not the Unicode algorithm; the spans are made so that its
rule gives the logical order: in a right-to-left paragraph one span per glyph that stands for
other characters (a joining form, a mirrored bracket, a lam-alef ligature), with RLM/LRM marks
around left-to-right runs and before number punctuation; in a left-to-right paragraph one span
per right-to-left run (:func:`_reading_order_for_poppler`).  Extractors that ignore ActualText
(pypdf, pdfplumber) read the glyphs: presentation forms, in content-stream order or by position.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import groupby
from typing import NamedTuple

#: characters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan…,
#: their presentation forms) and the explicit right-to-left marks
RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u202b\u202e\u2067]|[\U00010800-\U00010fff\U0001e800-\U0001efff]")


def _presentation_forms() -> tuple[dict[str, dict[str, str]], dict[tuple[str, str], dict[str, str]]]:
    """(letter -> {form: presentation character}, (lam, alef) -> {form: ligature}) from the
    Unicode database's decompositions (``<final> 0628``) of Arabic Presentation Forms-B and of the
    single letters in Forms-A (Persian, Urdu, Sindhi… letters: ``<initial> 067E``).  Forms-A's
    many two- and three-letter ligatures are left out: they are optional, and a font rarely has
    them; lam-alef, the one a reader expects, is in Forms-B."""
    forms: dict[str, dict[str, str]] = {}
    ligatures: dict[tuple[str, str], dict[str, str]] = {}
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFD)):
        tag, _, rest = unicodedata.decomposition(chr(code)).partition(" ")
        if tag not in ("<isolated>", "<final>", "<initial>", "<medial>"):
            continue
        letters = tuple(chr(int(part, 16)) for part in rest.split())
        if len(letters) == 1:
            # (alef maksura gets its initial and medial forms from Forms-A's Uighur ones, U+FBE8-9:
            # it is dual-joining in Unicode's ArabicShaping.txt)
            forms.setdefault(letters[0], {})[tag[1:-1]] = chr(code)
        elif len(letters) == 2 and code >= 0xFE70:
            ligatures.setdefault(letters, {})[tag[1:-1]] = chr(code)
    return forms, ligatures


_FORMS, _LIGATURES = _presentation_forms()
#: letters that join on their left (the next letter) as well as their right: they have an initial form
_DUAL = frozenset(letter for letter, shapes in _FORMS.items() if "initial" in shapes)
_TATWEEL = "\u0640"                     # joins both ways, has one form
#: the Arabic letters that join: the Arabic block's and Arabic Supplement's
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d5\u06ee-\u06ff\u0750-\u077f]")


def _joins_left(char: str) -> bool:
    return char in _DUAL or char == _TATWEEL


def _joins_right(char: str) -> bool:
    return char in _FORMS or char == _TATWEEL


def joining_forms(text: str, drawable=None) -> list[str]:
    """What to draw for each character of ``text`` (logical order, one string per character):
    an Arabic letter's contextual form, the lam-alef ligature for a lam (and '' for its alef),
    else the character.  Combining marks (harakat) are transparent to joining.  ``drawable``
    (a character -> bool) says which forms the font has; a form it lacks is not used."""
    shown = list(text)
    if not _ARABIC_LETTER.search(text):
        return shown
    can = drawable or (lambda char: True)
    # the letters that join, with the marks between them skipped
    letters = [i for i, ch in enumerate(text) if unicodedata.category(ch) not in ("Mn", "Me")]
    for position, i in enumerate(letters):
        char = text[i]
        if char not in _FORMS:
            continue
        before = text[letters[position - 1]] if position > 0 else ""
        after_index = letters[position + 1] if position + 1 < len(letters) else None
        after = text[after_index] if after_index is not None else ""
        joined_before = bool(before) and _joins_left(before)
        # lam then alef: one ligature, drawn for the lam, the alef drawing nothing
        if (char, after) in _LIGATURES:
            shapes = _LIGATURES[(char, after)]
            form = "final" if joined_before else "isolated"
            if form in shapes and can(shapes[form]):
                shown[i], shown[after_index] = shapes[form], ""
                continue
        if shown[i] == "":
            continue                                  # the alef of a ligature
        joined_after = bool(after) and char in _DUAL and _joins_right(after)
        form = {(False, False): "isolated", (True, False): "final",
                (False, True): "initial", (True, True): "medial"}[(joined_before, joined_after)]
        shapes = _FORMS[char]
        if form not in shapes:
            form = "final" if joined_before and "final" in shapes else "isolated"
        if form in shapes and can(shapes[form]):
            shown[i] = shapes[form]
    return shown


def joined(text: str, drawable) -> str:
    """``text`` as it is drawn: its Arabic letters in their joining forms (:func:`joining_forms`)."""
    return "".join(joining_forms(text, drawable))


def draws_joining_forms(drawable) -> bool:
    """Whether a face that draws ``drawable`` (a character -> bool) has any Arabic joining form,
    so that its Arabic text is drawn joined, narrower than the letters as written."""
    return any(drawable(form) for shapes in _FORMS.values() for form in shapes.values())


@lru_cache(maxsize=64)
def _font_has(font_name: str):
    """char -> whether the registered reportlab font ``font_name`` has a glyph for it."""
    from reportlab.pdfbase.pdfmetrics import getFont

    face = getattr(getFont(font_name), "face", None)
    char_to_glyph = getattr(face, "charToGlyph", None)
    if char_to_glyph is None:
        return lambda char: False
    return lambda char: ord(char) in char_to_glyph


def visual_order(text: str, rtl: bool) -> list[tuple[int, str, int]]:
    """(logical index, character as drawn, embedding level) of ``text``'s characters from left
    to right, for a paragraph of base direction ``rtl``; mirrored characters (brackets) already
    mirrored."""
    from bidi.algorithm import (apply_mirroring, explicit_embed_and_overrides, get_embedding_levels,
                                get_empty_storage, reorder_resolved_levels, resolve_implicit_levels,
                                resolve_neutral_types, resolve_weak_types)

    storage = get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    get_embedding_levels(text, storage, False, False)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    explicit_embed_and_overrides(storage, False)
    resolve_weak_types(storage, False)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    reorder_resolved_levels(storage, False)
    apply_mirroring(storage, False)
    return [(char["index"], char["ch"], char["level"]) for char in storage["chars"]]


#: a marked-content span over drawn characters [start, stop) of a line, and its /ActualText
Span = tuple[int, int, str]


class VisualWords(list):
    """A single-run line's words in visual order, with ``actual``: the :data:`Span` s over
    ``" ".join(words)`` whose characters stand for other text (see :func:`_spans`)."""
    __slots__ = ("actual",)

    def __init__(self, words, actual: tuple[Span, ...]) -> None:
        super().__init__(words)
        self.actual = actual


def actual_text_begin(source: str) -> str:
    """The operator opening a marked-content span whose ``/ActualText`` is ``source``: a
    UTF-16BE hex string, so nothing in the (untrusted) text can close it or reach the stream."""
    return "/Span <</ActualText <FEFF%s>>> BDC" % source.encode("utf-16-be").hex().upper()


class Glyph(NamedTuple):
    """One drawn character of a line, in visual order."""

    indices: tuple[int, ...]   # the logical indices of the characters it draws (lam-alef: two)
    glyph: str                 # the character drawn
    source: str | None         # what it stands for, when not itself
    level: int                 # its embedding level (odd: right to left)


def _glyphs(text: str, shaped: list[str], rtl: bool):
    """The line's :class:`Glyph` s from left to right.

    A drawn character stands for something else when it is a joining form (the letter as
    written), a mirrored bracket (the bracket as written) or a lam-alef ligature (both letters,
    given left to right as drawn: alef, lam; the alef draws nothing)."""
    pending: list[int] = []
    for index, char, level in visual_order(text, rtl):
        glyph = shaped[index] if shaped[index] != text[index] else char
        if not glyph:
            pending.append(index)         # the alef of a ligature, drawn by the lam beside it
            continue
        indices = (*pending, index)
        source = "".join(text[i] for i in indices)
        pending = []
        yield Glyph(indices, glyph, source if source != glyph else None, level)


def _spans(text: str, glyphs: list[Glyph], rtl: bool) -> tuple[Span, ...]:
    """The marked-content spans of one line, over its drawn characters.

    Extractors (poppler, Acrobat) read glyphs by position and put right-to-left text back in
    reading order themselves, and they place an ``/ActualText`` span's characters left to
    right across the span.  In a right-to-left paragraph each glyph that stands for other
    characters gets its own span (a span over a whole line in logical order comes out
    reversed).  In a left-to-right paragraph each right-to-left run (the glyphs of one stretch
    of embedding level above the paragraph's) gets one span with the run's text as written,
    arranged for poppler's reordering by :func:`_reading_order_for_poppler`: poppler otherwise
    pulls a closing quote mark or bracket after the run into it and reads a number inside it
    first."""
    if rtl and not RTL_CHARS.search(text):
        # a left-to-right line of a right-to-left paragraph (a Latin title of a Hebrew
        # article): poppler reads it as it is
        return tuple((n, n + 1, glyph.source) for n, glyph in enumerate(glyphs) if glyph.source)
    base = 1 if rtl else 0
    spans = []
    for embedded, run in groupby(enumerate(glyphs), key=lambda item: item[1].level > base):
        run = list(run)
        indices = [i for _, glyph in run for i in glyph.indices]
        written = text[min(indices): max(indices) + 1]
        if not embedded:
            if rtl:
                spans += _glyph_spans(run)
        elif not rtl:
            spans.append((run[0][0], run[-1][0] + 1, _reading_order_for_poppler(written)))
        elif not any(unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in written):
            # a left-to-right run in a right-to-left line: poppler reads it as it is, from the
            # RLM before it to the LRM after it, and takes nothing on either side into it
            spans.append((run[0][0], run[-1][0] + 1, RLM + written + LRM))
        else:
            spans += _glyph_spans(run)
    return tuple(spans)


def _glyph_spans(run) -> list[Span]:
    """The spans of a right-to-left line's right-to-left glyphs ((position, :class:`Glyph`)):
    one for each glyph that stands for other characters, and one for each number punctuation
    mark (a full stop, a comma, a hyphen, a percent sign), which poppler takes for the start
    of a left-to-right stretch running on over the neutrals to its left: a RLM before it ends
    that stretch at once, so it stays where it was written."""
    spans = []
    for n, glyph in run:
        written = glyph.source or glyph.glyph
        if unicodedata.bidirectional(written[-1]) in _NUMBER_PUNCTUATION:
            spans.append((n, n + 1, RLM + written))
        elif glyph.source:
            spans.append((n, n + 1, glyph.source))
    return spans


LRM, RLM = "\u200e", "\u200f"
_RIGHT_TO_LEFT = frozenset({"R", "AL"})
#: what poppler counts as left to right or numeric, which ends a right-to-left stretch: letters,
#: digits and the separators and terminators around numbers (, . : / - + % $ °…), by its
#: character table, which follows these Unicode bidi classes (checked with poppler 22.12)
_ENDS_A_STRETCH = frozenset({"L", "EN", "AN", "ES", "ET", "CS"})
_NUMBER_PUNCTUATION = frozenset({"ES", "ET", "CS"})


def _reading_order_for_poppler(written: str) -> str:
    """A right-to-left run's text as written, arranged so that poppler's reordering gives it
    back as written.  poppler (pdftotext, in both its modes) reverses every stretch that
    starts at a right-to-left letter and goes on over neutrals up to the next left-to-right
    letter, digit or number punctuation (:data:`_ENDS_A_STRETCH`), and leaves the rest as it
    is: so each such stretch of the text is given reversed.  A stretch that ends in neutrals
    (the space before a number) ends with a RLM, which keeps them after its letters once
    poppler reverses it; a LRM after the last stretch keeps the quote mark or bracket that
    follows the run out of it."""
    out: list[str] = []
    i, length, ends_reversed = 0, len(written), False
    while i < length:
        j = i
        while j < length and unicodedata.bidirectional(written[j]) not in _RIGHT_TO_LEFT:
            j += 1
        if j > i:
            out.append(written[i:j])
            ends_reversed = False
        i = j
        while j < length and unicodedata.bidirectional(written[j]) not in _ENDS_A_STRETCH:
            j += 1
        if j > i:
            stretch = written[i:j]
            if unicodedata.bidirectional(stretch[-1]) not in _RIGHT_TO_LEFT:
                stretch += RLM
            out.append(stretch[::-1])
            ends_reversed = True
        i = j
    if ends_reversed:
        out.append(LRM)
    return "".join(out)


def reorder_lines(bl_para, rtl: bool) -> None:
    """Every line of a laid-out paragraph (reportlab's ``blPara``) in visual order, in place.
    A line with glyphs that stand for other text keeps its :func:`_spans` (a single-run line's
    :class:`VisualWords`, a several-run line's ``actual``), and ``bl_para.has_actual_text``
    says some line did: only those are drawn through :func:`actual_text_object`."""
    bl_para.has_actual_text = False
    if bl_para.kind == 0:
        drawable = _font_has(bl_para.fontName)
        for number, (extra, words) in enumerate(bl_para.lines):
            text = " ".join(map(str, words))
            if rtl or RTL_CHARS.search(text):
                glyphs = list(_glyphs(text, joining_forms(text, drawable), rtl))
                drawn = "".join(glyph.glyph for glyph in glyphs)
                shown = drawn.split(" ")
                if len(shown) == len(words):
                    actual = _spans(text, glyphs, rtl)
                    if actual:
                        bl_para.lines[number] = (extra, VisualWords(shown, actual))
                        bl_para.has_actual_text = True
                    else:
                        bl_para.lines[number] = (extra, shown)
        return
    for line in bl_para.lines:
        frags = line.words
        texts = [getattr(frag, "text", "") or "" for frag in frags]
        text = "".join(texts)
        if not (rtl or RTL_CHARS.search(text)):
            continue
        owner = [n for n, piece in enumerate(texts) for _ in piece]
        # joining forms within each fragment, in the fragment's own font (a letter joins only
        # the letters of its own run: a colour change inside a word breaks the join)
        shaped: list[str] = []
        for frag, piece in zip(frags, texts):
            shaped += joining_forms(piece, _font_has(frag.fontName)) if piece else []
        glyphs = list(_glyphs(text, shaped, rtl))
        # fragments with nothing to draw (anchors, callbacks) keep their place at the start
        visual = [frag for frag, piece in zip(frags, texts) if not piece]
        for n, run in groupby(glyphs, key=lambda glyph: owner[glyph.indices[-1]]):
            visual.append(frags[n].clone(text="".join(glyph.glyph for glyph in run)))
        line.words = visual
        actual = _spans(text, glyphs, rtl)
        if actual:
            line.actual = actual
            bl_para.has_actual_text = True


def actual_text_object(canvas, x: float, y: float, bl_para):
    """A reportlab text object for drawing ``bl_para``'s lines that wraps the characters of
    each of :func:`reorder_lines`'s spans in a ``/Span`` with its ``/ActualText``.  reportlab
    draws a line as one or more ``_textOut`` calls (a several-run line, one per fragment, so a
    span may open in one and close in another), the last of which moves to the next line."""
    from reportlab.pdfgen.textobject import PDFTextObject

    actuals = [getattr(line, "actual", None) if bl_para.kind else getattr(line[1], "actual", None)
               for line in bl_para.lines]

    class ActualTextObject(PDFTextObject):
        _line = 0        # the line being drawn
        _at = 0          # where in it the next text starts

        def _textOut(self, text, TStar=0):  # noqa: N802, N803 - reportlab's names
            spans = actuals[self._line] if self._line < len(actuals) else None
            if not spans or not text:
                super()._textOut(text, TStar)
            else:
                out, first, last = super()._textOut, self._at, self._at + len(text)
                done = first            # drawn up to here
                for start, stop, source in spans:
                    if first <= start < last:
                        if start > done:
                            out(text[done - first: start - first])
                            done = start
                        self._code.append(actual_text_begin(source))
                    if first < stop <= last:
                        if stop > done:
                            out(text[done - first: stop - first])
                            done = stop
                        self._code.append("EMC")
                out(text[done - first:], TStar)
                self._at = last
            if TStar:
                self._line += 1
                self._at = 0

    return ActualTextObject(canvas, x, y)
