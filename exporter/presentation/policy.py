"""One policy each for the small decisions every format used to make on its own: metadata text on
one line, language tags, text direction, which links are followed, which marking wins, briefing
article ids, and zip entry timestamps."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone

from ..links import safe_link as safe_href  # noqa: F401  (the one link policy, re-exported)
from ..links import strip_credentials  # noqa: F401

# Everything XML 1.0 forbids plus C1 controls and BMP noncharacters: never part of any output.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# BCP 47 (RFC 5646 §2.1) langtag and private use; irregular grandfathered tags are not accepted.
_BCP47 = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$"
    r"|^[xX](?:-[A-Za-z0-9]{1,8})+$"
)
UNDETERMINED = "und"
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi"})
_RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"})


def clean(text: str | None) -> str:
    """``text`` without the characters no output may contain."""
    return _UNSAFE_CHARS.sub("", text) if text else ""


def one_line(text: str | None) -> str:
    """Metadata as one line: cleaned, whitespace runs collapsed, ends trimmed."""
    return " ".join(clean(text).split())


# ------------------------------------------------------------------------------------ languages
def language_tag(value: str | None) -> str:
    """A well-formed BCP 47 tag for ``value``; ``und`` (undetermined) when it has none or it is
    malformed — never a guess and never the process locale."""
    if value:
        candidate = value.strip().replace("_", "-")
        if _BCP47.match(candidate):
            return candidate
    return UNDETERMINED


def direction_of(tag: str) -> str:
    """``rtl`` for a language (or script subtag) written right to left, else ``ltr``."""
    subtags = tag.lower().split("-")
    if subtags[0] in RTL_LANGUAGES or any(s in _RTL_SCRIPTS for s in subtags[1:]):
        return "rtl"
    return "ltr"


def text_direction(text: str) -> str | None:
    """The direction of a piece of text by its first strongly directional letter (the Unicode
    bidi rule P2), or None when it has none."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


# ---------------------------------------------------------------------------------------- links
# Which links are followed is exporter.links' one policy (http, https, mailto; credentials
# removed with a warning): imported above as safe_href and strip_credentials.  The presentation
# layer applies it once, so a writer gets a LinkRun whose href is safe to write, or None.


# -------------------------------------------------------------------------------------- marking
def effective_marking(cli: str | None, briefing: str | None, style: str | None) -> str | None:
    """The marking printed on every page: ``--marking`` (RenderOptions) over the briefing's own
    over the style's; an empty ``--marking ""`` switches it off."""
    for candidate in (cli, briefing, style):
        if candidate is not None:
            return one_line(candidate) or None
    return None


# ---------------------------------------------------------------------------------- article ids
_PLAIN_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,15}$")


def article_ids(given: list[str]) -> list[str]:
    """A unique id per article, in order: the briefing's own (``a01``…) when it is a short plain
    name, else ``aNN`` from its position; unique ignoring case (file systems and Word bookmarks
    compare that way).  Every anchor, file name and bookmark of an article starts with it, so
    ids from a briefing JSON made elsewhere never name a file or break a link."""
    ids: list[str] = []
    taken: set[str] = set()
    for position, candidate in enumerate(given, start=1):
        if not _PLAIN_ID.match(candidate):
            candidate = f"a{position:02d}"
        while candidate.lower() in taken:
            candidate += "x"
        taken.add(candidate.lower())
        ids.append(candidate)
    return ids


# ------------------------------------------------------------------------------------ zip times
def zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """The build time as a zip entry time: UTC, clamped to what DOS dates hold (1980-2107),
    seconds even (zip stores two-second steps)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    if moment.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if moment.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second // 2 * 2)
