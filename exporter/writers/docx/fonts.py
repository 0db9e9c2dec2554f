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

    def split(self, text: str, family: str | None, bold: bool, italic: bool,
              note: Callable[[str, str | None, Path], None] | None = None) -> list[tuple[str, str | None]]:
        """``[(piece, fallback family name or None)]``; None: the run keeps the style's font.
        ``note(piece, fallback name or None, font file)`` hears which file draws each piece (for
        embedding); a piece no font draws is not noted."""
        key = (family, bold, italic)
        if key not in self._primary:
            fam = self.style.fonts.get(family) if family is not None else None
            self._primary[key] = Path(fam.face(bold, italic)) if fam else None
        primary = self._primary[key]
        if family is None or text.isascii():
            if note is not None and primary is not None:
                note(text, None, primary)
            return [(text, None)]
        out: list[tuple[str, str | None]] = []
        for piece, found in self._resolver.split(text, family, bold, italic):
            path = Path(found) if found is not None else None
            name = None
            if path is not None and primary is not None and path != primary:
                name = ttf_family_name(str(path))
            if note is not None and path is not None:
                note(piece, name, path)
            if out and out[-1][1] == name:
                out[-1] = (out[-1][0] + piece, name)
            else:
                out.append((piece, name))
        return out

    def report(self, warn: Callable[[str], None]) -> None:
        self._resolver.warn_uncovered(warn, SHOWN_BY_VIEWER)
