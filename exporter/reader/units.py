"""Lines -> units: the paragraphs-to-be the later stages classify.

One paragraph per line (the sample) gives one unit per non-blank line; hard-wrapped text
(paragraphs broken at a fixed width, separated by blank lines) gives one unit per blank-separated
block, its lines re-joined with single spaces.  Which convention a document uses is decided once
per document (:func:`looks_hard_wrapped`).  Block syntax (``#``, ``>``, list markers, rules)
always starts a unit of its own.
"""
from __future__ import annotations

import re
from typing import Literal, NamedTuple

from .textutil import ends_sentence

MarkerKind = Literal["heading", "quote", "bullet", "ordered", "rule"]

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_QUOTE = re.compile(r"^>[ \t]?(.*)$")
_BULLET = re.compile(r"^[-*•‣◦▪–][ \t]+(\S.*)$")
_ORDERED = re.compile(r"^(\d{1,3})[.)][ \t]+(\S.*)$")
_RULE = re.compile(r"^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|[—–]{2,}|(?:·[ \t]*){3,})$")

# Hard-wrap detection thresholds (characters): wrapped text is set at 60-80 columns typically.
WRAP_MAX_LINE = 100
WRAP_MIN_MEDIAN = 30
WRAP_LONG_LINE_SHARE = 0.05
WRAP_SHORT_LINE = 0.6          # of the wrap width: shorter, a line ends its paragraph


# (A NamedTuple, not a frozen dataclass: creating a dataclass costs ~0.4 ms of start-up.)
class Unit(NamedTuple):
    first: int                    # 0-based index of its first line in the document's lines
    last: int                     # 0-based index of its last line
    text: str                     # the cleaned text, block marker removed, wrapped lines joined
    lines: tuple[str, ...]        # the cleaned source lines (markers included), for `dropped`
    blank_before: bool            # a blank line (or the document's start) precedes it
    blank_after: bool             # a blank line (or the document's end) follows it
    marker: MarkerKind | None = None
    level: int = 0                # heading level for "#" headings

    @property
    def line_numbers(self) -> range:
        return range(self.first + 1, self.last + 2)


def marker_of(line: str) -> tuple[MarkerKind | None, str, int]:
    """(marker kind, text without the marker, heading level) of one stripped line."""
    if _RULE.match(line):
        return "rule", "", 0
    if m := _HEADING.match(line):
        return "heading", m.group(2), min(3, len(m.group(1)))
    if m := _QUOTE.match(line):
        return "quote", m.group(1).strip(), 0
    if m := _BULLET.match(line):
        return "bullet", m.group(1).strip(), 0
    if m := _ORDERED.match(line):
        return "ordered", m.group(2).strip(), int(m.group(1))
    return None, line, 0


def looks_hard_wrapped(lines: list[str]) -> bool:
    """True when paragraphs are broken across lines at a fixed width: most lines that continue
    inside a block stop mid-sentence, and no line is longer than a typewriter's.  A line well
    short of the width (a headline, a time stamp, "Key findings:") or ending in a colon was not
    broken by the width: it does not count as stopping mid-sentence."""
    short_line = wrap_width(lines) * WRAP_SHORT_LINE
    inner_lengths: list[int] = []
    mid_sentence = 0
    nonblank = too_long = 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        nonblank += 1
        too_long += len(line) > WRAP_MAX_LINE
        if index + 1 < len(lines) and lines[index + 1].strip():
            if marker_of(line)[0] or marker_of(lines[index + 1].strip())[0]:
                continue
            inner_lengths.append(len(line))
            if not ends_sentence(line) and len(line) >= short_line and not line.endswith(":"):
                mid_sentence += 1
    # A stray long line (a URL, a table row) does not make the text unwrapped; many do.
    if len(inner_lengths) < 2 or too_long > nonblank * WRAP_LONG_LINE_SHARE:
        return False
    inner_lengths.sort()
    median = inner_lengths[len(inner_lengths) // 2]
    return median >= WRAP_MIN_MEDIAN and mid_sentence * 2 >= len(inner_lengths)


def wrap_width(lines: list[str]) -> int:
    """The column hard-wrapped text is set to: the length most full lines reach (90th percentile)."""
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    return lengths[(len(lengths) * 9) // 10] if lengths else 0


def make_units(lines: list[str], start: int, wrapped: bool) -> list[Unit]:
    """Units of ``lines[start:]`` (``start`` skips front matter).  In hard-wrapped text a line
    well short of the wrap width ends its paragraph ("THE VALLEY WEEKLY" / "Issue 212")."""
    short_line = wrap_width(lines[start:]) * WRAP_SHORT_LINE if wrapped else 0
    units: list[Unit] = []
    n = len(lines)
    index = start
    while index < n:
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        blank_before = index == start or not lines[index - 1].strip()
        marker, text, level = marker_of(line)
        first = index
        collected = [line]
        parts = [text]
        index += 1
        if wrapped and marker not in ("rule", "heading"):
            # Continuation lines: up to a blank line or a line that starts a block of its own.
            while index < n:
                nxt = lines[index].strip()
                if not nxt or len(collected[-1]) < short_line:
                    break
                nxt_marker, nxt_text, _ = marker_of(nxt)
                if marker == "quote":
                    if nxt_marker != "quote" or not nxt_text:
                        break
                    parts.append(nxt_text)
                elif nxt_marker is not None:
                    break
                else:
                    parts.append(nxt)
                collected.append(nxt)
                index += 1
        blank_after = index >= n or not lines[index].strip()
        joined = " ".join(p for p in parts if p)
        units.append(Unit(first, index - 1, joined, tuple(collected), blank_before, blank_after, marker, level))
    return units
