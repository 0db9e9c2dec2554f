"""Quote marking: split plain Text runs into Quote nodes (stub; identity for now)."""
from __future__ import annotations

from exporter.ast import Block


def mark_quotes(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Return ``blocks`` with quoted spans turned into :class:`Quote` nodes."""
    return tuple(blocks)
