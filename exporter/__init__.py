"""exporter: news-article text -> canonical article AST -> DOCX, PDF, EPUB (and JSON).

Public API: :func:`read` (and :func:`read_file`), :func:`render`, :func:`render_bytes`, the AST classes in
:mod:`exporter.ast`, the writer registry in :mod:`exporter.writers`, styles in
:mod:`exporter.style`.
"""
from __future__ import annotations

from .version import __version__

# Import the briefing *module* before binding the briefing *function* to the same name: a submodule
# imported later would otherwise replace the function on the package (exporter.briefing(...) would
# then be a module).  The model stays importable as ``from exporter.briefing import Briefing``.
from . import briefing as _briefing_model  # noqa: F401
from .api import briefing, read, read_file, render, render_bytes, with_meta
from .ast import Article
from .errors import ExporterError, InputError, OutputError, RenderError, StyleError, UsageError

__all__ = [
    "__version__", "read", "read_file", "briefing", "render", "render_bytes", "with_meta", "Article",
    "ExporterError", "InputError", "OutputError", "RenderError", "StyleError", "UsageError",
]
