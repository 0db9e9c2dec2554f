"""Exceptions the public API raises.  The CLI maps each family to an exit code and one line."""
from __future__ import annotations


class ExporterError(Exception):
    """Base class.  ``str(exc)`` is a complete one-line message: what, then the problem."""

    exit_code = 1


class InputError(ExporterError):
    """An input that cannot be read: missing, a directory, empty, binary or undecodable."""

    exit_code = 1


class OutputError(ExporterError):
    """An output that cannot be written, or that would overwrite an input."""

    exit_code = 1


class RenderError(ExporterError):
    """A writer failed on a valid article."""

    exit_code = 1


class UsageError(ExporterError):
    """Bad command-line usage or API arguments: unknown format, conflicting options."""

    exit_code = 2


class StyleError(UsageError):
    """A style that cannot be loaded: unknown name, bad file, bad key or value."""

    exit_code = 2
