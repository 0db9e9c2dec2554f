"""Writer protocol and registry.

A writer is a small class with a ``name``, a ``media_type``, an ``extension`` and
``write(document, style, out, options)``.  Built-ins are registered by dotted path and imported
only when used, so exporting EPUB never imports reportlab; third-party writers are found through
the ``exporter.writers`` entry-point group (the entry point names the writer class).
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, BinaryIO, Callable, ClassVar, Protocol, runtime_checkable

from ..errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from ..ast import Article
    from ..style.model import Style

_log = logging.getLogger("exporter")


def _log_warning(message: str) -> None:
    _log.warning(message)


@dataclass(frozen=True)
class RenderOptions:
    """What a writer needs besides the document and the style.

    ``build_time`` is the single timestamp used for every date inside an output (zip entries,
    PDF dates, core properties, EPUB modified): SOURCE_DATE_EPOCH when set, else now.
    ``warn`` receives one-line warnings (uncovered characters and the like)."""

    build_time: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    warn: Callable[[str], None] = _log_warning
    marking: str | None = None        # overrides the style's marking when not None


@runtime_checkable
class Writer(Protocol):
    name: ClassVar[str]
    media_type: ClassVar[str]
    extension: ClassVar[str]          # without the dot
    uses_style: ClassVar[bool]        # False for data formats (json)

    def write(self, document: "Article", style: "Style | None", out: BinaryIO, options: RenderOptions) -> None:
        ...


#: name -> "module:Class".  Order is the order `exporter formats` lists them.
BUILTIN_WRITERS: dict[str, str] = {
    "pdf": "exporter.writers.pdf:PdfWriter",
    "docx": "exporter.writers.docx:DocxWriter",
    "epub": "exporter.writers.epub:EpubWriter",
    "html": "exporter.writers.html:HtmlWriter",
    "json": "exporter.writers.json_writer:JsonWriter",
}
#: what `--format all` means
ALL_FORMATS: tuple[str, ...] = ("pdf", "docx", "epub", "html")

_cache: dict[str, Writer] = {}


@functools.cache
def _entry_point_writers() -> dict[str, str]:
    """Plug-in writers (scanned once per process: the scan costs ~10 ms of start-up)."""
    found: dict[str, str] = {}
    for ep in entry_points(group="exporter.writers"):
        found.setdefault(ep.name, ep.value)
    return found


def _registry() -> dict[str, str]:
    registry = dict(BUILTIN_WRITERS)
    for name, target in _entry_point_writers().items():
        registry.setdefault(name, target)  # a plug-in never shadows a built-in
    return registry


def _builtin_present(target: str) -> bool:
    module = target.partition(":")[0]
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):     # a dotted name whose parent package is missing or broken
        return False


def writer_names() -> list[str]:
    """Registered writer names whose module is importable, built-ins first."""
    return [name for name, target in _registry().items() if _builtin_present(target)]


def get_writer(name: str) -> Writer:
    """The writer registered as ``name``; imports its module on first use."""
    if name in _cache:
        return _cache[name]
    # Built-ins first: naming a built-in format never pays for the entry-point scan.
    target = BUILTIN_WRITERS.get(name) or _registry().get(name)
    if target is None or not _builtin_present(target):
        raise UsageError(f"format {name!r}: unknown format (known: {', '.join(writer_names())})")
    module_name, _, attr = target.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attr)
        writer = cls()
    except Exception as exc:
        if name in BUILTIN_WRITERS:
            raise
        # A third-party writer that cannot load is named with its entry point and its error, so
        # the user knows which package to fix; the other formats are unaffected.
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise UsageError(f"format {name!r}: plug-in writer {target} (entry point group "
                         f"exporter.writers) failed to load: {detail}") from None
    _cache[name] = writer
    return writer


def is_known_format(name: str) -> bool:
    """True for a registered writer name, checking built-ins before scanning plug-ins."""
    if name in BUILTIN_WRITERS and _builtin_present(BUILTIN_WRITERS[name]):
        return True
    return name in writer_names()


def writer_for_extension(ext: str) -> str | None:
    """The writer name whose extension is ``ext`` (without dot), without importing writers."""
    ext = ext.lower().lstrip(".")
    if ext in BUILTIN_WRITERS and _builtin_present(BUILTIN_WRITERS[ext]):
        return ext
    # Built-in writer names are their extensions; a plug-in's extension is known only once loaded.
    if ext in writer_names():
        return ext
    for name in writer_names():
        if name in BUILTIN_WRITERS:
            continue
        try:
            if get_writer(name).extension == ext:
                return name
        except UsageError:        # a broken plug-in is reported when it is asked for by name
            continue
    return None
