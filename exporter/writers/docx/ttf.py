"""The family name a font file declares, for naming a fallback font in a run's w:rFonts, read
with the project's one TrueType reader (:mod:`exporter.style.sfnt`)."""
from __future__ import annotations

from functools import lru_cache

from ...style.sfnt import FontReadError, read_font


@lru_cache(maxsize=64)
def ttf_family_name(path: str) -> str | None:
    """The family name a TrueType file declares (see :meth:`~exporter.style.sfnt.Sfnt.family_name`
    for which record counts), or None for a file the reader refuses: too big or not TrueType
    (asked before the file is read), cut short, or without a name table."""
    try:
        return read_font(path).family_name()
    except FontReadError:
        return None
