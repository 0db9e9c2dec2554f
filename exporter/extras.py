"""Optional extras (``[web]``, ``[cluster]``): import what one needs, or say in one line how to
install it.  Every command and module that uses an extra asks through :func:`require`."""
from __future__ import annotations

import importlib
from types import ModuleType

from .errors import UsageError


def require(module: str, extra: str, what: str) -> ModuleType:
    """``module`` imported, or a UsageError: ``<what>: needs the [<extra>] extra (missing …);
    install it with: pip install 'exporter[<extra>]'``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = getattr(exc, "name", None) or str(exc)
        raise UsageError(f"{what}: needs the [{extra}] extra (missing {missing}); "
                         f"install it with: pip install 'exporter[{extra}]'") from None
