"""Speaker attribution for speech quotes (stub; identity for now)."""
from __future__ import annotations

from exporter.ast import Block


def attribute_speakers(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Return ``blocks`` with each speech quote's ``speaker`` filled in where the text says who."""
    return tuple(blocks)
