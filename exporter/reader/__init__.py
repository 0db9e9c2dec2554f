"""Plain-text reader: bytes -> text (:mod:`.decode`) and text -> :class:`exporter.ast.Article`
(:func:`read_text`).  Dropped-line reason codes are listed in REASONS.md next to this file."""
from __future__ import annotations

from .core import read_text
from .decode import decode_bytes, normalize_text

__all__ = ["decode_bytes", "normalize_text", "read_text"]
