"""Typographic quotation marks at presentation time.

Straight marks (``"`` and ``'``) in the article's text are shown as the marks its language uses:
“ ” and ‘ ’ in English, « » with narrow no-break spaces inside in French, „ “ and ‚ ‘ in German,
« » and “ ” in Spanish, Portuguese, Italian, Russian and Ukrainian (with „ “ inside for the last
two).  An apostrophe is always ’.  Marks that are already typographic are left as they are (in
French the space inside « » becomes the narrow no-break one), and the AST keeps the source text:
this is what the reader sees, not what the reader was given.

A paragraph is curled as one stream (:class:`Curler`), because a quote node's opening mark and the
word before it sit in different runs.
"""
from __future__ import annotations

import unicodedata
from typing import NamedTuple

from .labels import base_language

NARROW_NBSP = "\u202f"


class Marks(NamedTuple):
    open_double: str
    close_double: str
    open_single: str
    close_single: str
    inner_space: str = ""        # between a double mark and the words it encloses (French)


ENGLISH = Marks("“", "”", "‘", "’")
MARKS_BY_LANGUAGE: dict[str, Marks] = {
    "en": ENGLISH, "nl": ENGLISH,
    "fr": Marks("«", "»", "“", "”", NARROW_NBSP),
    "de": Marks("„", "“", "‚", "‘"),
    "es": Marks("«", "»", "“", "”"), "pt": Marks("«", "»", "“", "”"), "it": Marks("«", "»", "“", "”"),
    "ru": Marks("«", "»", "„", "“"), "uk": Marks("«", "»", "„", "“"),
}
APOSTROPHE = "’"
_OPENERS_BEFORE = set("([{<«‹“‘„‚-–—/") | {""}
#: after these a mark closes a quote even when a word follows ("end.”Next" stays a close)
_CLOSERS_BEFORE = set(".,;:!?)]}>»›”’…%")


def marks_for(language: str | None) -> Marks:
    return MARKS_BY_LANGUAGE.get(base_language(language), ENGLISH)


def _is_word_char(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or unicodedata.category(ch) == "Mn")


class Curler:
    """Curls the straight marks of one paragraph, piece by piece, keeping the context between
    pieces (the character before, and which single quotes are still open)."""

    def __init__(self, language: str | None) -> None:
        self.marks = marks_for(language)
        self.previous = ""            # the last character emitted ("" at the start)
        self.open_singles = 0
        self.open_doubles = 0

    def __call__(self, text: str) -> str:
        if self.marks.inner_space and ("« " in text or " »" in text):
            # guillemets already in the text keep their words at a narrow no-break space too
            text = text.replace("« ", "«" + self.marks.inner_space).replace(" »", self.marks.inner_space + "»")
        if '"' not in text and "'" not in text:
            if text:
                self.previous = text[-1]
            return text
        marks = self.marks
        out: list[str] = []
        for index, ch in enumerate(text):
            following = text[index + 1] if index + 1 < len(text) else ""
            before = self.previous
            # Opening: at a start, after a space or an opening bracket or dash, or between a
            # sign that is neither word nor closing punctuation and a word (name="Evil", +"x").
            opening = (before == "" or before.isspace() or before in _OPENERS_BEFORE
                       or (not _is_word_char(before) and before not in _CLOSERS_BEFORE
                           and _is_word_char(following)))
            if ch == '"':
                # A mark with space on both sides closes a quote that is open (French "mot ").
                dangling = self.open_doubles and (following == "" or following.isspace() or following in ".,;:!?)")
                if opening and not dangling:
                    ch = marks.open_double + marks.inner_space
                    self.open_doubles += 1
                else:
                    self.open_doubles = max(0, self.open_doubles - 1)
                    ch = marks.close_double
                    if marks.inner_space:
                        # "mot »": the space before the closing mark becomes the narrow one
                        if out and out[-1] == " ":
                            out.pop()
                        ch = marks.inner_space + ch
            elif ch == "'":
                if _is_word_char(before) and _is_word_char(following):
                    ch = APOSTROPHE                                  # don't, Russia's, aujourd'hui
                elif opening and following.isdigit() and not self.open_singles:
                    ch = APOSTROPHE                                  # '90s
                elif opening:
                    ch = marks.open_single
                    self.open_singles += 1
                elif self.open_singles:
                    ch = marks.close_single
                    self.open_singles -= 1
                else:
                    ch = APOSTROPHE                                  # Peters' (no quote open)
            elif marks.inner_space and ch == " " and out and out[-1].endswith(marks.open_double + marks.inner_space):
                continue                                             # « mot: one narrow space only
            out.append(ch)
            self.previous = ch[-1]
        return "".join(out)


def curl(text: str, language: str | None) -> str:
    """``text`` on its own, curled (for titles, meta lines and other one-piece texts)."""
    return Curler(language)(text)
