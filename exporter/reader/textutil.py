"""Small, linear-time text predicates the reader's stages share."""
from __future__ import annotations

import re
from functools import cached_property, lru_cache


class LazyPattern:
    """A regular expression compiled when it is first used, for patterns many texts never need:
    every start-up pays for what is compiled at import, only the texts that need it for this.
    Stands in for the compiled pattern (``search``, ``findall``, … are the compiled one's)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self._pattern, self._flags)

    def __getattr__(self, name: str):
        # Only reached for what the instance does not hold yet: the compiled pattern's method is
        # kept on the instance, so later calls cost what a compiled pattern's do.  Private and
        # special names are not the pattern's (copy and pickle ask for them on a bare instance).
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self.compiled, name)
        setattr(self, name, value)
        return value


WORD = re.compile(r"\w+")
# Scripts written without spaces: a run of these letters counts as several words.  A character
# class over big code point ranges is slow to compile (~2 ms: the re module sets them one by one),
# so the CJK classes are compiled only for a text that has a character from U+3040 up.
CJK_FIRST = "\u3040"
_CJK = LazyPattern(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")

# Marks that may follow the sentence's final punctuation: closing quotes and brackets.
# A line that is only a dash and a name, perhaps with where it was said: "— Ana Ruiz",
# "- Sanders.", "― Ana Ruiz, Harbour Radio".  Round-ups put a quote's source on such a line.
ATTRIBUTION_LINE = re.compile(r"[-–—―]+\s*[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}(?:,\s[^.]{1,60})?\.?")
CLOSERS = "\"'”’»)]›"
SENTENCE_END = ".!?…。！？"


def words(text: str) -> list[str]:
    return WORD.findall(text)


@lru_cache(maxsize=65536)      # the stages ask about the same unit texts several times
def word_weight(text: str) -> int:
    """Number of words, where a run of CJK characters counts one word per two characters."""
    n = 0
    for token in WORD.findall(text):
        cjk = 0 if token.isascii() or max(token) < CJK_FIRST else len(_CJK.findall(token))
        n += 1 + cjk // 2
    return n


def strip_closers(text: str) -> str:
    """The text without trailing closing quotes/brackets and whitespace."""
    # A loop over the last few characters: a regex anchored at the end ("[…\\s]+$") is tried
    # from every position of the text, and the stages ask this of every unit several times.
    end = len(text)
    while end and (text[end - 1] in CLOSERS or text[end - 1].isspace()):
        end -= 1
    return text[:end]


def last_mark(text: str) -> str:
    """The last character that is not a closing quote or bracket ("" for none)."""
    core = strip_closers(text)
    return core[-1] if core else ""


def ends_sentence(text: str) -> bool:
    """Ends in sentence-final punctuation, inside or outside closing quote marks."""
    mark = last_mark(text)
    return mark in SENTENCE_END and mark != ""


def ends_full_stop(text: str) -> bool:
    """Ends in a full stop (not ? or !), inside or outside quote marks; an ellipsis counts."""
    mark = last_mark(text)
    return mark in (".", "…", "。")


# Letters that IGNORECASE equates with an ASCII letter although str.lower() does not (ı, ſ), or
# that str.lower() makes two characters (İ).  Otherwise the two agree on the (Latin) letters of the
# boilerplate rules' lowercase words; test_reader_properties checks that over all of Unicode.
CASE_SPECIALS = frozenset("ıſİ")


def lower_unless_special(text: str) -> str | None:
    """``text.lower()``, in which a lowercase word is found (at the start, or anywhere) exactly where
    an IGNORECASE pattern would find it; None for a text where that may fail (one with ı, ſ or İ).
    Lets a rarely matching pattern be skipped (and never compiled) for most lines."""
    return text.lower() if CASE_SPECIALS.isdisjoint(text) else None


def norm_key(text: str) -> str:
    """Key for "the same line": case and whitespace folded."""
    return " ".join(text.split()).casefold()


def has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)
