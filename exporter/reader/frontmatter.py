"""Optional front matter: a first line ``---``, ``key: value`` lines, a closing ``---``.

Only the metadata keys of :class:`exporter.ast.Meta` (and a few common aliases) are taken; the
values are plain strings, never interpreted further (no YAML: article text is hostile).
"""
from __future__ import annotations

from typing import NamedTuple

from .textutil import LazyPattern

FENCE = "---"
MAX_FRONT_MATTER_LINES = 60

# Aliases people use in front matter for Meta's fields.
KEY_ALIASES: dict[str, str] = {
    "title": "title", "headline": "title",
    "subtitle": "subtitle", "standfirst": "subtitle", "dek": "subtitle",
    "byline": "byline", "author": "byline", "authors": "byline", "by": "byline",
    "source": "source", "publisher": "source", "publication": "source",
    "site": "site", "site_name": "site", "sitename": "site",
    "url": "url", "link": "url", "canonical": "url",
    "date": "date", "published": "date", "pubdate": "date", "published_time": "date",
    "language": "language", "lang": "language", "locale": "language",
    "tags": "tags", "keywords": "tags", "tag": "tags",
}

_KEY_VALUE = LazyPattern(r"^([A-Za-z][\w-]*)\s*:\s?(.*)$")     # few texts have front matter


# (A NamedTuple, not a frozen dataclass: creating a dataclass costs ~0.4 ms of start-up.)
class FrontMatter(NamedTuple):
    values: dict[str, object]     # Meta field name -> str, or tuple[str, ...] for tags
    line_count: int               # lines consumed, fences included (0: no front matter)
    lines: tuple[str, ...]        # the consumed lines, for the dropped record


NO_FRONT_MATTER = FrontMatter({}, 0, ())


def parse_front_matter(lines: list[str]) -> FrontMatter:
    """Front matter at the very start of ``lines``, or :data:`NO_FRONT_MATTER`.  A block that is
    not closed, or whose lines are not all ``key: value`` (or blank/comments), is not front
    matter: the text is then read as it stands."""
    if not lines or lines[0].strip() != FENCE:
        return NO_FRONT_MATTER
    values: dict[str, object] = {}
    for index in range(1, min(len(lines), MAX_FRONT_MATTER_LINES + 2)):
        line = lines[index].strip()
        if line == FENCE:
            if not values:
                return NO_FRONT_MATTER
            return FrontMatter(values, index + 1, tuple(lines[: index + 1]))
        if not line or line.startswith("#"):
            continue
        match = _KEY_VALUE.match(line)
        if match is None:
            return NO_FRONT_MATTER
        field = KEY_ALIASES.get(match.group(1).lower().replace("-", "_"))
        value = _unquote(match.group(2).strip())
        if field is None or not value:
            continue
        values[field] = _parse_tags(value) if field == "tags" else value
    return NO_FRONT_MATTER


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _parse_tags(value: str) -> tuple[str, ...]:
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return tuple(t for t in (_unquote(part.strip()) for part in value.split(",")) if t)
