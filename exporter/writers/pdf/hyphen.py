"""Hyphenation in the article's language through pyphen, as reportlab's ``hyphenationLang`` hook
wants it (a callable word -> (head, tail) pairs, tried in order), under the rules a copy editor
applies:

- the dictionary follows the language and region (``en``, ``en-US`` -> en_US; ``en-GB`` and the
  other Commonwealth regions -> en_GB), or the style's ``hyphenation.language`` for text in
  that language;
- at least ``hyphenation.min_before`` letters before a break and ``min_after`` after it (3 and 3
  unless the style says otherwise: no "contin-/ue.");
- never a capitalised word (proper names, acronyms: no "Papado-/poulos"; but German capitalises
  every noun, so there only a word in capitals is kept whole; and a word too long to keep whole
  is broken like any other), a number, a word with a digit, a URL or an e-mail address;
- inside a compound, its own hyphen is the only break point (no "Russi-/a-Ukraine");
- never the last word of a paragraph, and no more than ``hyphenation.max_consecutive`` lines
  in a row ending in a hyphen (:func:`protecting`, set by the paragraph while it breaks its
  lines, and :func:`consecutive_limit`); and never across a page, which the paragraph's split
  sees to (``page.LinearParagraph``).

pyphen parses its pattern files with a regular expression per pattern: 0.12 s for English and
over a second for German, paid by every process before the first line can break.  Here the file
is read only when a word first needs hyphenating, each pattern is parsed only when a word first
looks it up, and the table resolves to exactly pyphen's (a test compares them); it is then kept
for the process.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ...style.model import Hyphenation
#: the style's defaults: letters a break leaves before and after it, at least; lines in a row
#: that may end in a hyphen (a ladder of hyphens is refused)
MIN_BEFORE = Hyphenation().min_before
MIN_AFTER = Hyphenation().min_after
MAX_HYPHENATED_IN_A_ROW = Hyphenation().max_consecutive
#: letters each side of a compound's own hyphen for it to be a break point ("co-/operation")
MIN_COMPOUND_PART = 2
_HYPHENS = "-\u2010"
#: never hyphenated: numbers and words with a digit, URLs, e-mail addresses, paths
_NEVER = re.compile(r"[\d@/:.\\_]")
#: regions whose English is spelt and hyphenated the British way
_BRITISH = frozenset({"GB", "UK", "AU", "NZ", "IE", "ZA", "IN"})

#: a word longer than this may not fit a narrow line whole: it is broken like any other even
#: when capitalised or a paragraph's last (else reportlab would cut it anywhere, with no hyphen)
LONGEST_WHOLE = 24
_NOUNS_CAPITALISED = frozenset({"de", "lb"})

_HYPHENATORS: dict[tuple[str, int, int, int], "LazyHyphenator"] = {}
_protected: set[str] = set()


def dictionary_for(tag: str) -> str | None:
    """pyphen's dictionary name for a BCP 47 tag, or None."""
    import pyphen

    language, _, rest = tag.replace("_", "-").partition("-")
    if language.lower() == "en":
        region = next((sub for sub in rest.split("-") if len(sub) == 2 and sub.isalpha()), "")
        return "en_GB" if region.upper() in _BRITISH else "en_US"
    return pyphen.language_fallback(tag.replace("-", "_")) or None


def hyphenator_for(tag: str | None, settings: Hyphenation = Hyphenation()) -> "LazyHyphenator | None":
    """The hyphenator for text tagged ``tag`` under a style's hyphenation settings (its
    dictionary override, letters each side, hyphenated lines in a row), or None when pyphen has
    no dictionary for the language."""
    tag = settings.language_for(tag)
    if not tag:
        return None
    language = dictionary_for(tag)
    if not language:
        return None
    key = (language, settings.min_before, settings.min_after, settings.max_consecutive)
    found = _HYPHENATORS.get(key)
    if found is None:
        found = _HYPHENATORS[key] = LazyHyphenator(language, settings.min_before, settings.min_after,
                                                   settings.max_consecutive)
    return found


def consecutive_limit(hyphenator) -> int:
    """How many lines in a row may end in a hyphen under ``hyphenator`` (a ParagraphStyle's
    ``hyphenationLang``: a :class:`LazyHyphenator`, or '' when the text is not hyphenated, where
    only compounds' own hyphens end lines)."""
    return getattr(hyphenator, "max_consecutive", MAX_HYPHENATED_IN_A_ROW)


@contextmanager
def protecting(*words: str | None):
    """While in the block, ``words`` are never hyphenated (a paragraph's last word, and a word
    that would make a third hyphenated line in a row, while the paragraph breaks its lines)."""
    added = {word for word in words if word and word not in _protected}
    _protected.update(added)
    try:
        yield
    finally:
        _protected.difference_update(added)


def compound_breaks(word: str) -> list[tuple[str, str]]:
    """The breaks of a hyphenated compound: after its own hyphens only, the last first (reportlab
    takes the first pair that fits), each side keeping :data:`MIN_COMPOUND_PART` letters."""
    pairs = []
    for at in range(len(word) - 1, 0, -1):
        if word[at] in _HYPHENS:
            head, tail = word[: at + 1], word[at + 1:]
            if _letters(head.rsplit("-", 2)[-2] if head.count("-") > 1 else head) >= MIN_COMPOUND_PART \
                    and _letters(tail.split("-")[0]) >= MIN_COMPOUND_PART:
                pairs.append((head, tail))
    return pairs


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


class LazyHyphenator:
    """Callable like ``pyphen.Pyphen(lang=…).iterate`` under the rules above; loads the patterns
    on first use."""

    def __init__(self, language: str, min_before: int = MIN_BEFORE, min_after: int = MIN_AFTER,
                 max_consecutive: int = MAX_HYPHENATED_IN_A_ROW) -> None:
        self.language = language
        self.min_before, self.min_after, self.max_consecutive = min_before, min_after, max_consecutive
        # German capitalises every noun: there a capital says nothing about a name
        self.nouns_capitalised = language.split("_")[0] in _NOUNS_CAPITALISED
        self._iterate: Callable[[str], Iterator[tuple[str, str]]] | None = None

    def __repr__(self) -> str:     # ParagraphStyle reprs stay stable
        return (f"LazyHyphenator({self.language!r}, {self.min_before}, {self.min_after}, "
                f"{self.max_consecutive})")

    def __call__(self, word: str):
        if not word or _NEVER.search(word):
            return ()
        if len(word) <= LONGEST_WHOLE and (word in _protected or not self._may_break(word)):
            return ()
        if any(hyphen in word for hyphen in _HYPHENS):
            return compound_breaks(word)
        if self._iterate is None:
            import pyphen

            path = pyphen.LANGUAGES[self.language]
            if path not in pyphen.hdcache:
                pyphen.hdcache[path] = load_patterns(path)
            self._iterate = pyphen.Pyphen(lang=self.language, left=self.min_before, right=self.min_after).iterate
        return self._iterate(word)

    def _may_break(self, word: str) -> bool:
        """Lower case, or (in a language that capitalises nouns) capitalised but not in capitals:
        an acronym is never broken."""
        if word[0].islower():
            return True
        return self.nouns_capitalised and any(ch.islower() for ch in word[1:])


def load_patterns(path: Path):
    """A ``pyphen.HyphDict`` for ``path`` whose ``patterns`` resolve to exactly what pyphen would
    build.  Reading keeps each pattern's raw line under its key (the line without its digits) and
    parses it on its first lookup (:class:`LazyPatterns`): a text hyphenates a few dozen words,
    which look up a few thousand of the ~14k English patterns.  A file in the common form is
    read by whole-text operations (:func:`_plain_table`), any other line by line: there, lines
    needing pyphen's special handling (``^^hh`` escapes and nonstandard alternatives change the
    key) are parsed at once by pyphen's own parser, and so are lines whose digits are all zeros
    (pyphen drops them)."""
    import pyphen

    with path.open("rb") as fd:
        encoding = fd.readline().decode().strip()
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    text = path.read_text(encoding)
    table = _plain_table(text.partition("\n")[2], pyphen.ignored)
    if table is not None:
        hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
        hd.patterns = table
        hd.cache = {}
        hd.maxlen = max(map(len, table))
        return hd
    lines = text.split("\n")[1:]
    keys = _DIGITS.sub("", text).split("\n")[1:]     # removing digits keeps the lines aligned
    # lines with digits, all of them zeros (rare; found in one scan, not line by line)
    zeros_only = {line.strip() for line in _ZEROS_ONLY_LINE(text)}
    special = zeros_only or "^^" in text or "/" in text
    patterns = LazyPatterns()
    ignored = pyphen.ignored
    for raw, key in zip(lines, keys):
        line = raw.strip()
        if not line or line.startswith(ignored):
            continue
        key = key.strip()
        if key == line:
            continue                      # no digit: only zeros, pyphen drops it
        if special and ("^^" in line or "/" in line or line in zeros_only):
            parsed = _pyphen_pattern(line)
            if parsed is None:
                continue
            key, start, values = parsed
            dict.__setitem__(patterns, key, (start, values))
        else:
            dict.__setitem__(patterns, key, line)
    hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
    hd.patterns = patterns
    hd.cache = {}
    hd.maxlen = max(map(len, patterns))
    return hd


def _plain_table(body: str, ignored: tuple[str, ...]) -> "LazyPatterns | None":
    """The raw table (key -> line) of a file in the common form, built by whole-text operations
    instead of line by line: no line needing pyphen's parser or ``str.strip``, no digit or
    whitespace beyond ASCII, no key on two lines (so no line overrides another).  None when
    the file is not in that form."""
    if any(prefix[:1] not in "%#LRC" for prefix in ignored):     # see _SETTING_LINE
        return None
    if any(mark in body for mark in ("^^", "/", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f",
                                     " \n", "\n ")) or body[:1] == " " or body[-1:] == " ":
        return None
    if any(ch.isspace() or ch.isdigit() for ch in set("".join(_NON_ASCII(body)))):
        return None
    no_value = _NO_NONZERO_DIGIT_LINE(body)      # lines pyphen drops: no digit, or zeros only
    if any("0" in line for line in no_value):
        return None
    lines = body.split("\n")
    table = LazyPatterns(zip(_strip_digits(body).split("\n"), lines))
    if len(table) != len(lines):
        return None
    # what pyphen skips: settings and comments, and lines without a digit (empty ones too)
    for line in _SETTING_LINE(body):
        if line.startswith(ignored):
            dict.pop(table, _strip_digits(line), None)
    for line in no_value:
        dict.pop(table, line, None)
    return table


def _strip_digits(text: str) -> str:
    # ASCII digits are single bytes in UTF-8, never part of another character's bytes
    return text.encode("utf-8", "surrogatepass").translate(None, b"0123456789").decode("utf-8", "surrogatepass")


_NON_ASCII = re.compile(r"[^\x00-\x7f]+").findall
_NO_NONZERO_DIGIT_LINE = re.compile(r"^[^1-9\n]*$", re.MULTILINE).findall
# lines starting like one of pyphen.ignored (%, #, LEFTHYPHENMIN, RIGHT…, COMPOUND…): a superset
_SETTING_LINE = re.compile(r"^[%#LRC][^\n]*", re.MULTILINE).findall


class LazyPatterns(dict):
    """pyphen's pattern table (key -> (offset, values)) holding not-yet-parsed patterns as their
    raw line.  ``pyphen.HyphDict.positions`` only ever calls :meth:`get`, which parses a raw line
    on its first lookup and keeps the result.  A raw line's key is exact (its letters), so every
    key is present from the start and ``maxlen`` is exact."""

    __slots__ = ()

    def get(self, key, default=None):
        value = dict.get(self, key, default)
        if value.__class__ is str:
            parsed = _fast_pattern(value) or _pyphen_pattern(value)
            value = (parsed[1], parsed[2])
            dict.__setitem__(self, key, value)
        return value

    def resolved(self) -> dict:
        """Every pattern parsed, as a plain dict (what pyphen's own table is)."""
        return {key: self.get(key) for key in self}


_DIGITS = re.compile(r"\d")
_ZEROS_ONLY_LINE = re.compile(r"^[^1-9\n]*0[^1-9\n]*$", re.MULTILINE).findall


_SPLIT_DIGITS = re.compile(r"(\d)").split


def _fast_pattern(line: str):
    """``a1bc2d`` -> ('abcd', offset, values): the value before each letter and after the last."""
    if "^^" in line or "/" in line:
        return None
    parts = _SPLIT_DIGITS(line)          # letters, digit, letters, digit, … letters
    if len(parts) == 1:
        return None                      # no digit: only zeros, pyphen drops it
    values: list[int] = []
    pending = 0
    last = len(parts) - 1
    for i, part in enumerate(parts):
        if i & 1:
            pending = int(part)
        elif part:
            values.append(pending)
            if len(part) > 1:
                values.extend([0] * (len(part) - 1))
            pending = 0
        elif 0 < i < last:
            return None                  # two digits in a row: leave it to pyphen
    values.append(pending)
    return _trimmed("".join(parts[0::2]), values)


def _pyphen_pattern(line: str):
    import pyphen

    pattern = pyphen.parse_hex(lambda match: chr(int(match.group(1), 16)), line)
    if "/" in pattern and "=" in pattern:
        pattern, alternative = pattern.split("/", 1)
        factory = pyphen.AlternativeParser(pattern, alternative)
    else:
        factory = int
    tags, values = zip(*[(string, factory(i or "0")) for i, string in pyphen.parse(pattern)])
    return _trimmed("".join(tags), list(values))


def _trimmed(key: str, values: list[int]):
    """pyphen's storage: patterns with only zeros are dropped; zeros at both ends are cut and
    the offset of the first kept value stored."""
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return key, start, tuple(values[start:end])
