"""The presentation layer: reader -> AST -> **presentation** -> writer.

:func:`present` turns an ``Article`` or a ``Briefing`` and a resolved style into a
:class:`~exporter.presentation.model.PresentedDocument`: the ordered, format-neutral parts a reader
sees, with every editorial decision (headline policy, meta line, labels, speaker display, key
quotes, typography, links, language, marking, ids) made once.  Writers render it and nothing else.
"""
from __future__ import annotations

from .model import PresentedDocument, UnknownPartError
from .present import present

__all__ = ["PresentedDocument", "UnknownPartError", "present"]
