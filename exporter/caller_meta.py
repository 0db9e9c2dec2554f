"""Metadata a caller gives (CLI flags, API keywords, manifest entries): cleaned and checked once,
before the reader sees it, so every format shows the same value.

- Text goes through the same cleaning as article text: bytes that were not UTF-8 (the CLI receives
  them as surrogate escapes) become U+FFFD with a warning, control characters are removed, line
  breaks and tabs become spaces, NFC.
- ``date`` must be ISO 8601 (``2024-07-12``, ``2024-07``, ``2024``, or a full timestamp).
- ``language`` must be a well-formed BCP 47 tag; ``pt_BR`` is normalised to ``pt-BR`` with a note,
  and the case of each subtag is made canonical (``EN-gb`` -> ``en-GB``).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Callable

from .errors import UsageError

Warn = Callable[[str], None]

# Controls but tab/newline are removed; tab, newline and the Unicode line separators become spaces.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SPACES = re.compile("[\t\n\u2028\u2029]+")
_SURROGATE = re.compile("[\ud800-\udfff]")

# RFC 5646 "langtag" (well-formedness, not registry validity) plus private use and "und".
_BCP47 = re.compile(
    r"""^(?:
        (?P<language>[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})
        (?:-(?P<script>[A-Za-z]{4}))?
        (?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?
        (?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*
        (?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*
        (?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?
      |[Xx](?:-[A-Za-z0-9]{1,8})+)$""",
    re.VERBOSE,
)

_ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$")
DATE_HELP = "an ISO 8601 date such as 2024-07-12, 2024-07 or 2024-07-12T09:30:00+02:00"


def clean_text(value: str, what: str, warn: Warn | None) -> str:
    """``value`` as article text is cleaned: U+FFFD for undecodable bytes (with a warning),
    control characters removed, whitespace runs of tabs and line breaks made one space, NFC."""
    if _SURROGATE.search(value):
        # The CLI hands over undecodable argument bytes as lone surrogates (surrogateescape).
        raw = value.encode("utf-8", "surrogateescape") if _only_escapes(value) else value.encode("utf-8", "surrogatepass")
        cleaned = raw.decode("utf-8", "replace")
        cleaned = _SURROGATE.sub("\ufffd", cleaned)
        bad = cleaned.count("\ufffd") - value.count("\ufffd")
        if warn is not None:
            warn(f"{what}: {bad} invalid UTF-8 byte sequence{'s' if bad != 1 else ''} replaced with U+FFFD")
        value = cleaned
    value = _SPACES.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = _CONTROLS.sub("", value)
    return unicodedata.normalize("NFC", value).strip()


def _only_escapes(value: str) -> bool:
    """True when every lone surrogate is one of surrogateescape's (U+DC80..U+DCFF)."""
    return all("\udc80" <= ch <= "\udcff" for ch in _SURROGATE.findall(value))


def check_date(value: str, what: str = "date") -> str:
    """An ISO 8601 date or timestamp, unchanged; UsageError otherwise."""
    text = value.strip()
    ok = False
    if _ISO_DATE.match(text):
        parts = [int(p) for p in text.split("-")]
        try:
            date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
            ok = True
        except ValueError:
            ok = False
    elif _ISO_TIMESTAMP.match(text):
        try:
            datetime.fromisoformat(text.replace(",", ".").replace("Z", "+00:00"))
            ok = True
        except ValueError:
            ok = False
    if not ok:
        raise UsageError(f"{what} {value!r}: not {DATE_HELP}")
    return text


def check_language(value: str, what: str = "language", warn: Warn | None = None) -> str:
    """A well-formed BCP 47 tag with canonical subtag case; ``pt_BR`` becomes ``pt-BR`` with a
    note.  UsageError for anything else."""
    text = value.strip()
    tag = text.replace("_", "-")
    if not _BCP47.match(tag):
        raise UsageError(f"{what} {value!r}: not a well-formed BCP 47 language tag (such as en, fr, pt-BR, zh-Hant-TW)")
    tag = canonical_case(tag)
    if tag != text and "_" in text and warn is not None:
        warn(f"{what} {value!r}: read as the BCP 47 tag {tag!r}")
    return tag


def canonical_case(tag: str) -> str:
    """BCP 47 case conventions: language lower, script title, region upper, the rest lower."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    singleton = parts[0].lower() in ("x", "i")
    for part in parts[1:]:
        if singleton or len(part) == 1:
            singleton = True
            out.append(part.lower())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)
