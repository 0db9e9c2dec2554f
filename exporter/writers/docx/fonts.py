"""Which font draws each piece of a text: runs split where the style's font lacks glyphs, each
piece naming the fallback family that has them (Word picks fonts per run, not per glyph)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ...style.fonts import SHOWN_BY_VIEWER, FontResolver
from .ttf import ttf_family_name

if TYPE_CHECKING:  # pragma: no cover
    from ...style.model import Style


class FontRuns:
    """Splits text into runs by the font that draws them, through the style's font resolver, and
    names each fallback font for Word.  Uncovered characters are reported once per document."""

    def __init__(self, style: "Style") -> None:
        self.style = style
        self._resolver = FontResolver(style)
        self._primary: dict[tuple[str | None, bool, bool], Path | None] = {}

    def split(self, text: str, family: str | None, bold: bool, italic: bool) -> list[tuple[str, str | None]]:
        """``[(piece, fallback family name or None)]``; None: the run keeps the style's font."""
        if family is None or text.isascii():
            return [(text, None)]
        pieces = self._resolver.split(text, family, bold, italic)
        key = (family, bold, italic)
        if key not in self._primary:
            fam = self.style.fonts.get(family)
            self._primary[key] = Path(fam.face(bold, italic)) if fam else None
        primary = self._primary[key]
        out: list[tuple[str, str | None]] = []
        for piece, path in pieces:
            name = None
            if path is not None and primary is not None and Path(path) != primary:
                name = ttf_family_name(str(path))
            if out and out[-1][1] == name:
                out[-1] = (out[-1][0] + piece, name)
            else:
                out.append((piece, name))
        return out

    def report(self, warn: Callable[[str], None]) -> None:
        self._resolver.warn_uncovered(warn, SHOWN_BY_VIEWER)
