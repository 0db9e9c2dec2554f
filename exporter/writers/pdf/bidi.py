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

The text layer: a glyph that stands for other characters (a joining form, a mirrored bracket, a
lam-alef ligature) is drawn in marked content with ``/ActualText`` (:func:`actual_text_object`),
so an extractor that honours it (poppler's pdftotext, Acrobat) reads the letters as written and
puts the visual line back in reading order as it does for Hebrew; see :func:`_glyphs` for why not
one span per line in logical order.  Extractors that ignore ActualText (pypdf, pdfplumber) read
the glyphs: presentation forms, in content-stream order or by position.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import groupby

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


def visual_order(text: str, rtl: bool) -> list[tuple[int, str]]:
    """(logical index, character as drawn) of ``text``'s characters from left to right, for a
    paragraph of base direction ``rtl``; mirrored characters (brackets) already mirrored."""
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
    return [(char["index"], char["ch"]) for char in storage["chars"]]


class VisualWords(list):
    """A single-run line's words in visual order, with ``actual``: what each drawn character of
    ``" ".join(words)`` stands for where that is not the character itself (see :func:`_glyphs`)."""
    __slots__ = ("actual",)

    def __init__(self, words, actual: tuple[str | None, ...]) -> None:
        super().__init__(words)
        self.actual = actual


def actual_text_begin(source: str) -> str:
    """The operator opening a marked-content span whose ``/ActualText`` is ``source``: a
    UTF-16BE hex string, so nothing in the (untrusted) text can close it or reach the stream."""
    return "/Span <</ActualText <FEFF%s>>> BDC" % source.encode("utf-16-be").hex().upper()


def _glyphs(text: str, shaped: list[str], rtl: bool):
    """(logical index, character drawn, what it stands for or None) from left to right.

    A drawn character stands for something else when it is a joining form (the letter as
    written), a mirrored bracket (the bracket as written) or a lam-alef ligature (both letters;
    the alef draws nothing).  Extractors (poppler, Acrobat) read glyphs by position and put a
    right-to-left run back in reading order themselves, and they place an ``/ActualText`` span's
    characters left to right across the span: so each such glyph gets its own span, and a
    ligature's letters are given left to right as drawn (alef, lam), which they then reverse
    with the rest of the run.  A span over a whole line in logical order comes out reversed."""
    pending = ""
    for index, char in visual_order(text, rtl):
        glyph = shaped[index] if shaped[index] != text[index] else char
        if not glyph:
            pending += text[index]        # the alef of a ligature, drawn by the lam beside it
            continue
        source = pending + text[index]
        pending = ""
        yield index, glyph, (source if source != glyph else None)


def reorder_lines(bl_para, rtl: bool) -> None:
    """Every line of a laid-out paragraph (reportlab's ``blPara``) in visual order, in place.
    A line with glyphs that stand for other characters keeps what they stand for (a
    single-run line's :class:`VisualWords`, a several-run line's ``actual``), and
    ``bl_para.has_actual_text`` says some line did: only those are drawn through
    :func:`actual_text_object`."""
    bl_para.has_actual_text = False
    if bl_para.kind == 0:
        drawable = _font_has(bl_para.fontName)
        for number, (extra, words) in enumerate(bl_para.lines):
            text = " ".join(map(str, words))
            if rtl or RTL_CHARS.search(text):
                glyphs = list(_glyphs(text, joining_forms(text, drawable), rtl))
                drawn = "".join(glyph for _, glyph, _ in glyphs)
                shown = drawn.split(" ")
                if len(shown) == len(words):
                    actual = tuple(source for _, _, source in glyphs)
                    if any(actual):
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
        # fragments with nothing to draw (anchors, callbacks) keep their place at the start
        visual = [frag for frag, piece in zip(frags, texts) if not piece]
        actual: list[str | None] = []
        for n, run in groupby(_glyphs(text, shaped, rtl), key=lambda item: owner[item[0]]):
            run = list(run)
            visual.append(frags[n].clone(text="".join(glyph for _, glyph, _ in run)))
            actual += (source for _, _, source in run)
        line.words = visual
        if any(actual):
            line.actual = tuple(actual)
            bl_para.has_actual_text = True


def actual_text_object(canvas, x: float, y: float, bl_para):
    """A reportlab text object for drawing ``bl_para``'s lines that puts each glyph
    :func:`reorder_lines` found standing for other characters in its own ``/Span`` with them as
    ``/ActualText``.  reportlab draws a line as one or more ``_textOut`` calls (a several-run
    line, one per fragment), the last of which moves to the next line."""
    from reportlab.pdfgen.textobject import PDFTextObject

    actuals = [getattr(line, "actual", None) if bl_para.kind else getattr(line[1], "actual", None)
               for line in bl_para.lines]

    class ActualTextObject(PDFTextObject):
        _line = 0        # the line being drawn
        _at = 0          # where in it the next text starts

        def _textOut(self, text, TStar=0):  # noqa: N802, N803 - reportlab's names
            actual = actuals[self._line] if self._line < len(actuals) else None
            if actual is None or not text:
                super()._textOut(text, TStar)
            else:
                out, start, at = super()._textOut, 0, self._at
                for offset in range(len(text)):
                    source = actual[at + offset] if at + offset < len(actual) else None
                    if source is not None:
                        if offset > start:
                            out(text[start:offset])
                        self._code.append(actual_text_begin(source))
                        out(text[offset])
                        self._code.append("EMC")
                        start = offset + 1
                out(text[start:], TStar)
                self._at += len(text)
            if TStar:
                self._line += 1
                self._at = 0

    return ActualTextObject(canvas, x, y)
