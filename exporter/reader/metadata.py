"""Metadata the reader infers from the text: title, site, byline, date."""
from __future__ import annotations

import re
from collections.abc import Iterator

from .textutil import LazyPattern, ends_full_stop, has_letters, last_mark, word_weight

LEDE_TITLE_MAX = 90
HEADLINE_MAX_WORDS = 30
HEADLINE_MAX_CHARS = 300
SITE_MAX_WORDS = 6

# "Headline - Site Name", "Headline | Section | Site": separators with spaces round them.
TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|«)\s+")

BYLINE = re.compile(
    r"^(?:(?:written|posted|reported|words|text|story|photos?)\s+)?(?:by|par|von|por|door|od|di)\s*:?\s+"
    r"(\S.*)$", re.IGNORECASE)
BYLINE_MAX_WORDS = 24

MONTHS = {
    "jan": 1, "january": 1, "janvier": 1, "januar": 1, "enero": 1, "janeiro": 1, "feb": 2, "february": 2,
    "février": 2, "februar": 2, "febrero": 2, "fevereiro": 2, "mar": 3, "march": 3, "mars": 3, "märz": 3,
    "marzo": 3, "março": 3, "apr": 4, "april": 4, "avril": 4, "abril": 4, "may": 5, "mai": 5, "mayo": 5,
    "maio": 5, "jun": 6, "june": 6, "juin": 6, "juni": 6, "junio": 6, "junho": 6, "jul": 7, "july": 7,
    "juillet": 7, "juli": 7, "julio": 7, "julho": 7, "aug": 8, "august": 8, "août": 8, "agosto": 8,
    "sep": 9, "sept": 9, "september": 9, "septembre": 9, "septiembre": 9, "setembro": 9, "oct": 10,
    "october": 10, "octobre": 10, "oktober": 10, "octubre": 10, "outubro": 10, "nov": 11, "november": 11,
    "novembre": 11, "noviembre": 11, "novembro": 11, "dec": 12, "december": 12, "décembre": 12,
    "dezember": 12, "diciembre": 12, "dezembro": 12,
}
# The month of a written-out date is matched as any word, then looked up in MONTHS: with the 60-odd
# names inline (in both patterns) compiling them cost ~0.6 ms more at every start-up.
_MONTH_NAMES = LazyPattern("|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)),
                           re.IGNORECASE)


def _is_month(word: str) -> bool:
    """Whether ``word`` is a month name in the case-insensitive sense of the re module.  That is
    str.lower()'s sense but for a few letters beyond ASCII (İ, ı, ſ…): only a non-ASCII word not in
    MONTHS is checked against the (then compiled) pattern of the names."""
    return word.lower() in MONTHS or (not word.isascii() and _MONTH_NAMES.fullmatch(word) is not None)


def _month_number(word: str) -> int | None:
    """The month ``word`` names (any case), or None.  re's IGNORECASE also matches a month spelt
    with ſ, dotless ı or a dotted capital İ, whose str.lower() is no key of MONTHS: those letters
    are folded here, so a date the patterns found always has its month."""
    key = word.lower()
    if key not in MONTHS and not key.isascii():
        key = key.replace("\u017f", "s").replace("\u0131", "i").replace("i\u0307", "i")
    return MONTHS.get(key)


class _DatePattern:
    """A date pattern whose group ``month_group`` is a month name: ``search`` finds what the
    pattern with the month names inline would (a match whose word is no month is none), and
    ``remove`` deletes every date as its ``sub("", text)`` would."""

    def __init__(self, pattern: str, month_group: int) -> None:
        self._candidate = re.compile(pattern, re.IGNORECASE)
        self._month_group = month_group

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pos = 0
        while (m := self._candidate.search(text, pos)) is not None:
            if _is_month(m.group(self._month_group)):
                yield m
                pos = m.end()              # a date is never empty
            else:
                pos = m.start() + 1        # no date starts here; one may start further on

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)

    def remove(self, text: str) -> str:
        parts, last = [], 0
        for m in self.finditer(text):
            parts.append(text[last:m.start()])
            last = m.end()
        parts.append(text[last:])
        return "".join(parts)


_MONTH = r"([^\W\d_]+)"        # a word of letters, the month if _is_month says so
DATE_MDY = _DatePattern(rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", month_group=1)
DATE_DMY = _DatePattern(rf"\b(\d{{1,2}})\.?\s+(?:de\s+)?{_MONTH}\.?,?\s+(?:de\s+)?(\d{{4}})\b", month_group=2)
DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?))?\b")
DATE_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
TIME_ONLY = re.compile(r"^(?:updated|published|posted|modified)?:?\s*\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s+[A-Z]{2,4})?$", re.IGNORECASE)
TIME_AGO = re.compile(r"^(?:updated|published|posted)?:?\s*\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|months?)\s+ago$", re.IGNORECASE)
DATE_LINE_MAX_WORDS = 14
DATE_LINE_MAX_OTHER_WORDS = 5     # "Updated 2/26/2015 7:11 AM PST by TMZ Staff"


def headline_like(text: str) -> bool:
    """A line that reads as a headline: a few words, letters, no closing full stop or comma."""
    weight = word_weight(text)
    if not (1 <= weight <= HEADLINE_MAX_WORDS) or len(text) > HEADLINE_MAX_CHARS or not has_letters(text):
        return False
    mark = last_mark(text)
    if mark in ",;:" or (ends_full_stop(text) and not _ends_in_abbreviation(text)):
        return False
    return True


def title_cased(text: str) -> bool:
    """Headline capitalisation ("Clinton Hid Past Health Problems From Public."): most words of
    four letters or more start with a capital.  Some sources end even headlines in a full stop."""
    long_words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) >= 4]
    if len(long_words) < 3 or word_weight(text) > HEADLINE_MAX_WORDS:
        return False
    return sum(1 for w in long_words if w[0].isupper()) >= 0.7 * len(long_words)


def _ends_in_abbreviation(text: str) -> bool:
    # "…Underneath N.Y.C." ends in an initialism, not a full stop.
    return re.search(r"(?:\b[A-Z]\.){2,}$", text.rstrip()) is not None


def split_site(title_line: str) -> tuple[str, str | None]:
    """("Headline", "Site") from "Headline - Section - Site"; the headline is the longest part
    when the other parts are short (site and section names are)."""
    parts = [p.strip() for p in TITLE_SEPARATOR.split(title_line) if p.strip()]
    if len(parts) < 2:
        return title_line.strip(), None
    longest = max(range(len(parts)), key=lambda i: (word_weight(parts[i]), -i))
    others = [p for i, p in enumerate(parts) if i != longest]
    if any(word_weight(p) > SITE_MAX_WORDS for p in others):
        return title_line.strip(), None
    site = parts[-1] if longest != len(parts) - 1 else parts[0]
    return parts[longest], (site if has_letters(site) and not _date_only(site) else None)


_MENU_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|«|>|›|/)\s+")


def menu_line(text: str) -> bool:
    """A menu or breadcrumb on one line ("Home | Politics | Sport", "Home > News > Local"):
    three parts or more, each a word or two.  A title line has a part that is a headline."""
    parts = [p for p in _MENU_SEPARATOR.split(text.strip()) if p.strip()]
    return len(parts) >= 3 and all(word_weight(p) <= 2 for p in parts)


def _date_only(text: str) -> bool:
    return find_date(text) is not None and word_weight(text) <= 4


def lede_title(paragraph: str) -> str:
    """The first sentence, cut at a word boundary to at most 90 characters (… appended when cut;
    the … counts); a closing full stop is dropped."""
    sentence = first_sentence(paragraph).strip()
    if len(sentence) <= LEDE_TITLE_MAX:
        return sentence[:-1] if sentence.endswith(".") and not sentence.endswith("..") else sentence
    limit = LEDE_TITLE_MAX - 1
    cut = sentence[: limit + 1]
    space = cut.rfind(" ")
    if space > limit // 3:
        cut = cut[:space]
    else:
        cut = cut[:limit]
    return cut.rstrip(" ,;:–—-") + "…"


_SENTENCE_BREAK = LazyPattern(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-ÞА-ЯЁ])")  # for a lede title only
_ABBREVIATIONS = frozenset("mr mrs ms dr prof st sr jr gen gov sen rep col lt sgt capt mt ft no vs etc inc ltd co corp u.s u.k e.g i.e".split())


def first_sentence(text: str) -> str:
    for m in _SENTENCE_BREAK.finditer(text):
        before = text[: m.start()].rsplit(None, 1)
        word = before[-1].casefold().rstrip(".") if before else ""
        if m.group(0).startswith(".") and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
            continue
        return text[: m.end()].rstrip()
    return text


def byline_of(text: str) -> str | None:
    """The name(s) of a "By Jane Doe, Staff Writer" line, or None if it is not a byline."""
    if word_weight(text) > BYLINE_MAX_WORDS:
        return None
    m = BYLINE.match(text.strip())
    if m is None:
        return None
    rest = m.group(1).strip()
    if not rest[:1].isupper():
        return None
    name = re.split(r"\s*(?:,|\||•|·|\s-\s|\s–\s|\son\s|\bupdated\b|\bpublished\b|\d)", rest, maxsplit=1)[0].strip()
    tokens = name.split()
    while tokens and tokens[-1].lower().rstrip(".") in MONTHS:     # "Jane Doe January 18, 2017"
        tokens.pop()
    name = " ".join(tokens)
    if not tokens or len(tokens) > 8 or not all(t[:1].isupper() or t.lower() in ("and", "de", "van", "von", "da", "del", "la", "le", "y", "e", "und", "et") for t in tokens):
        return None
    return name


def find_date(text: str) -> str | None:
    """An ISO 8601 date found in ``text`` (the first one), or None."""
    if m := DATE_ISO.search(text):
        y, mo, d, t = m.groups()
        return f"{y}-{mo}-{d}" + (f"T{t}" if t else "") if _valid(int(y), int(mo), int(d)) else None
    if m := DATE_MDY.search(text):
        month, day, year = _month_number(m.group(1)), int(m.group(2)), int(m.group(3))
        return f"{year:04d}-{month:02d}-{day:02d}" if month and _valid(year, month, day) else None
    if m := DATE_DMY.search(text):
        day, month, year = int(m.group(1)), _month_number(m.group(2)), int(m.group(3))
        return f"{year:04d}-{month:02d}-{day:02d}" if month and _valid(year, month, day) else None
    if m := DATE_NUMERIC.search(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if month > 12 and day <= 12:
            day, month = month, day
        return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
    return None


def is_date_line(text: str) -> bool:
    """A short line that is only a date/time stamp ("April 5, 2018 | 6:00 PM", "Updated 1:39 PM ET")."""
    if word_weight(text) > DATE_LINE_MAX_WORDS:
        return False
    if TIME_ONLY.match(text.strip()) or TIME_AGO.match(text.strip()):
        return True
    if find_date(text) is None:
        return False
    # Little else besides the date: no sentence.
    stripped = DATE_MDY.remove(DATE_DMY.remove(DATE_ISO.sub("", DATE_NUMERIC.sub("", text))))
    rest = [w for w in re.findall(r"[^\W\d_]+", stripped) if w.lower() not in MONTHS]
    return len(rest) <= DATE_LINE_MAX_OTHER_WORDS and not ends_full_stop(text)


def _valid(year: int, month: int, day: int) -> bool:
    return 1800 <= year <= 2200 and 1 <= month <= 12 and 1 <= day <= 31
