"""The EPUB's embedded fonts: subsets of the faces the book draws (fontTools, through
:mod:`exporter.style.subset`, imported only when a style embeds fonts)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import StyleError
from ...style.subset import subset_font
from .css import FontFace

if TYPE_CHECKING:  # pragma: no cover
    from . import GlyphLog


def embedded_fonts(glyphs: "GlyphLog", warn) -> tuple[list[FontFace], tuple[str, ...], list[tuple[str, bytes]]]:
    """@font-face rules, fallback family names and subset font files for what the book drew.
    Files are named by role (``fonts/serif-bold.ttf``, ``fonts/fallback-1.ttf``), never by any
    name that came from outside."""
    faces: list[FontFace] = []
    files: list[tuple[str, bytes]] = []
    hrefs: dict[Path, str | None] = {}

    def add_file(path: Path, href: str) -> str | None:
        if path not in hrefs:
            try:
                data = subset_font(path, glyphs.font_chars[path] | {" "})
            except StyleError:        # not a usable font file at all (size, signature): as in every format
                raise
            except Exception as exc:  # fontTools raises many kinds; a font we cannot cut is left out
                warn(f"epub: font {path.name} could not be embedded ({type(exc).__name__}: {exc}); "
                     "reading systems will use their own")
                hrefs[path] = None
                return None
            hrefs[path] = href
            files.append((href, data))
        return hrefs[path]

    face_names = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold-italic"}
    family_slugs = {family.name: _slug(key, index) for index, (key, family) in enumerate(sorted(glyphs.style.fonts.items()))}
    for path, (family, bold, italic) in sorted(glyphs.primary_faces.items(), key=lambda kv: kv[1]):
        if glyphs.font_chars.get(path):
            href = add_file(path, f"fonts/{family_slugs.get(family, 'font')}-{face_names[(bold, italic)]}.ttf")
            if href is not None:
                faces.append(FontFace(family, bold, italic, href))
    fallback_families: list[str] = []
    for index, path in enumerate(glyphs.fallback_paths, start=1):
        if glyphs.font_chars.get(path):
            href = add_file(path, f"fonts/fallback-{index}.ttf")
            if href is not None:
                name = f"exporter-fallback-{index}"
                fallback_families.append(name)
                faces.append(FontFace(name, False, False, href))
    return faces, tuple(fallback_families), files


def _slug(key: str, index: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    return slug[:32] if slug else f"family{index}"
