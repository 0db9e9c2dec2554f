"""PDF writer, part 3: hyphenation in the article's language through pyphen, as reportlab's
``hyphenationLang`` hook wants it (a callable word -> (head, tail) pairs).

pyphen parses its pattern files with a regular expression per pattern: 0.12 s for English and
over a second for German, paid by every process before the first line can break.  The patterns
here are read by a plain scan that builds exactly the same table (a test compares them), and
only when a word first needs hyphenating; the table is then kept for the process.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterator

_HYPHENATORS: dict[str, "LazyHyphenator"] = {}


def hyphenator_for(tag: str | None) -> "LazyHyphenator | None":
    """The hyphenator for a BCP 47 tag, or None when pyphen has no dictionary for it."""
    if not tag:
        return None
    try:
        import pyphen
    except ImportError:   # pragma: no cover - pyphen is a dependency
        return None
    language = pyphen.language_fallback(tag.replace("-", "_"))
    if not language:
        return None
    found = _HYPHENATORS.get(language)
    if found is None:
        found = _HYPHENATORS[language] = LazyHyphenator(language)
    return found


class LazyHyphenator:
    """Callable like ``pyphen.Pyphen(lang=…).iterate``; loads the patterns on first use."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._iterate: Callable[[str], Iterator[tuple[str, str]]] | None = None

    def __repr__(self) -> str:     # ParagraphStyle reprs stay stable
        return f"LazyHyphenator({self.language!r})"

    def __call__(self, word: str):
        if self._iterate is None:
            import pyphen

            path = pyphen.LANGUAGES[self.language]
            if path not in pyphen.hdcache:
                pyphen.hdcache[path] = load_patterns(path)
            self._iterate = pyphen.Pyphen(lang=self.language).iterate
        return self._iterate(word)


def load_patterns(path: Path):
    """A ``pyphen.HyphDict`` for ``path`` with the same ``patterns`` pyphen would build.  Lines
    needing pyphen's special handling (``^^hh`` escapes, nonstandard alternatives, non-ASCII or
    doubled digits) go through pyphen's own parser."""
    import pyphen

    with path.open("rb") as fd:
        encoding = fd.readline().decode().strip()
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    patterns: dict[str, tuple[int, tuple[int, ...]]] = {}
    for line in path.read_text(encoding).split("\n")[1:]:
        line = line.strip()
        if not line or line.startswith(pyphen.ignored):
            continue
        parsed = _fast_pattern(line)
        if parsed is None:
            parsed = _pyphen_pattern(line)
            if parsed is None:
                continue
        key, start, values = parsed
        patterns[key] = (start, values)
    hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
    hd.patterns = patterns
    hd.cache = {}
    hd.maxlen = max(len(key) for key in patterns)
    return hd


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
