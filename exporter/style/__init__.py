"""The style system: load a style (built-in name or .toml file, ``extends``, ``--set`` overrides)
into the resolved :class:`~exporter.style.model.Style`, and the one font resolver every writer uses
(:mod:`exporter.style.fonts`, imported on demand)."""
from __future__ import annotations

from .loader import (
    POINTS_PER_UNIT, fonts_dir, list_styles, load_style, parse_color, style_descriptions, style_to_toml,
    styles_dir, to_points,
)
from .model import (
    BLOCK_ELEMENTS, ELEMENT_KEYS, FACES, INLINE_ELEMENTS, ElementStyle, FontFamily, Furniture, PageStyle,
    QuoteOptions, Sections, Style,
)

__all__ = [
    "BLOCK_ELEMENTS", "ELEMENT_KEYS", "FACES", "INLINE_ELEMENTS", "POINTS_PER_UNIT", "ElementStyle",
    "FontFamily", "Furniture", "PageStyle", "QuoteOptions", "Sections", "Style", "fonts_dir",
    "list_styles", "load_style", "parse_color", "style_descriptions", "style_to_toml", "styles_dir", "to_points",
]
