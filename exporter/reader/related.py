"""Related-content markers and the teaser lists after them.

"You May Also Like", "Related", "Read more", "More from …" start a list of teasers.  A teaser is
a headline, optionally preceded by an image caption and followed by a summary that the site cut
short with "…".  The list ends where the article's prose resumes (two sentence-like units in a row
that are not cut-short summaries) or where the document ends.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .textutil import ends_sentence, word_weight
from .units import Unit

MARKER = re.compile(
    r"^(you (may|might) (also )?(like|enjoy|be interested in)|related( (articles?|stories|content|coverage|news|posts|links|reading|topics|videos?))?"
    r"|read (more|next|also)|more (from|on|in|about) .{1,40}|more (stories|news|articles|videos?|like this|to explore|on this (story|topic))"
    r"|(more|other) ([\w'’-]+ ){0,2}(stories|news|articles|columns|videos?|posts|coverage)"
    r"|recommended( for you| stories| articles| reading)?|most (popular|read|viewed|shared)|trending( now| stories)?|top stories|what to read next"
    r"|see also|further reading|elsewhere on .{1,30}|around the web|from (our|the) (partners|web)|don'?t miss|editor'?s picks"
    r"|lire aussi|à lire aussi|sur le même sujet|les plus lus|mehr zum thema|lesen sie auch|das könnte sie auch interessieren|meistgelesen"
    r"|leia também|leia mais|mais lidas|lea también|más noticias|lo más leído|te puede interesar|mohlo by vás zajímat|nejčtenější)\s*:?$",
    re.IGNORECASE)
INLINE_LINK = re.compile(r"^(related|read more|see also|read also|more|lire aussi|leia também|lea también|lesen sie auch)\s*:\s+(\S.*)$", re.IGNORECASE)
ELLIPSIS = re.compile(r"(…|\.\.\.)\s*[\"'”’)]*$")

PROSE_MIN_WORDS = 12        # a unit this long that ends a sentence reads as article prose
MARKER_MAX_WORDS = 8


# (A NamedTuple, not a frozen dataclass: creating a dataclass costs ~0.4 ms of start-up.)
class Teaser(NamedTuple):
    headline: Unit | None
    summary: Unit | None
    captions: tuple[Unit, ...]


def is_marker(text: str) -> bool:
    return word_weight(text) <= MARKER_MAX_WORDS and MARKER.match(text.strip()) is not None


def inline_related(text: str) -> str | None:
    """The headline of a one-line "Related: Headline" link, or None."""
    m = INLINE_LINK.match(text.strip())
    if m is None or word_weight(m.group(2)) > 25:
        return None
    return m.group(2).strip()


def is_summary(text: str) -> bool:
    return ELLIPSIS.search(text) is not None


def teaser_prose(text: str) -> bool:
    """Article prose, as opposed to a headline or a cut-short summary."""
    return word_weight(text) >= PROSE_MIN_WORDS and ends_sentence(text) and not is_summary(text)


def teaser_run_length(units: list[Unit], start: int) -> int:
    """How many units from ``start`` belong to the teaser list (stops before resumed prose)."""
    index = start
    while index < len(units):
        if teaser_prose(units[index].text) and index + 1 < len(units) and teaser_prose(units[index + 1].text):
            break
        if teaser_prose(units[index].text) and index + 1 == len(units):
            break
        index += 1
    return index - start


def group_teasers(units: list[Unit]) -> list[Teaser]:
    """Teasers of a run: each summary (cut short with "…") closes one teaser whose headline is the
    unit before it; earlier units since the last teaser are image captions.  With no summaries at
    all, every unit is a headline-only teaser."""
    if not any(is_summary(u.text) for u in units):
        return [Teaser(u, None, ()) for u in units]
    teasers: list[Teaser] = []
    pending: list[Unit] = []
    for unit in units:
        if is_summary(unit.text):
            headline = pending[-1] if pending else None
            teasers.append(Teaser(headline, unit, tuple(pending[:-1])))
            pending = []
        else:
            pending.append(unit)
    teasers.extend(Teaser(u, None, ()) for u in pending)
    return teasers
