"""Exporting many inputs to many formats: where each output goes (as shared/CONVENTIONS.md
fixes it) and the per-input job the CLI runs, serially or in worker processes.

Every naming decision is made before anything is written, so a collision is a usage error that
leaves the disk untouched."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, NamedTuple, Sequence

from .errors import ExporterError, RenderError, UsageError
from .links import warn_once
from .output import ensure_parent, refuse_inputs, sanitize_filename
from .writers import ALL_FORMATS, get_writer, is_known_format, writer_for_extension, writer_names

if TYPE_CHECKING:  # pragma: no cover
    from .ast import Article
    from .style.model import Style

STDIN = "-"
STDOUT = "-"
DEFAULT_FORMAT = "pdf"


def expand_formats(formats: Sequence[str]) -> list[str]:
    """Comma lists split (``-f pdf,docx``), `all` expanded, duplicates dropped, every name checked
    against the registry."""
    out: list[str] = []
    names = [part.strip() for name in formats for part in name.split(",") if part.strip()]
    if formats and not names:
        raise UsageError("--format: no format named (known: " + ", ".join(writer_names()) + ", all)")
    for name in names:
        for item in (ALL_FORMATS if name == "all" else (name,)):
            if not is_known_format(item):
                raise UsageError(f"--format {item}: unknown format (known: {', '.join(writer_names())}, all)")
            if item not in out:
                out.append(item)
    return out


# Target and Plan are NamedTuples, not frozen dataclasses: a dataclass costs ~0.4 ms to create at
# import (its methods are generated and compiled one by one), paid by every command.
class Target(NamedTuple):
    """One output of one input: a file path, or None for stdout."""

    format: str
    path: Path | None


class Plan(NamedTuple):
    inputs: tuple[str, ...]
    targets: tuple[tuple[Target, ...], ...]       # per input, per format


def plan_outputs(inputs: Sequence[str], formats: Sequence[str], out: str | None,
                 stdin_title: str | None = None) -> Plan:
    """Decide every output path.  ``stdin_title`` is the title of the stdin article (read first),
    used to name its outputs."""
    if not inputs:
        raise UsageError("no input given")
    if list(inputs).count(STDIN) > 1:
        raise UsageError("'-' (stdin) can be given only once")
    chosen = expand_formats(formats)

    def stem_of(source: str) -> str:
        return sanitize_filename(stdin_title) if source == STDIN else Path(source).stem or sanitize_filename(None)

    if out is not None and out != STDOUT and not chosen:
        ext = Path(out).suffix.lstrip(".")
        looks_like_dir = out.endswith(("/", os.sep)) or Path(out).is_dir() or not ext
        if not looks_like_dir:
            name = writer_for_extension(ext)
            if name is None:
                raise UsageError(f"-o {out}: cannot tell the format from extension '.{ext}'; give --format")
            chosen = [name]
    if not chosen:
        chosen = [DEFAULT_FORMAT]
    total = len(inputs) * len(chosen)

    targets: list[tuple[Target, ...]] = []
    out_is_directory = out is not None and out != STDOUT and (out.endswith(("/", os.sep)) or Path(out).is_dir())
    if out is not None and out != STDOUT and total > 1 and not out_is_directory:
        _check_directory_form(out, total)
    if out == STDOUT:
        if total != 1:
            raise UsageError(f"-o -: writes one output to stdout, but {total} would be written")
        targets.append((Target(chosen[0], None),))
    elif out is None or out_is_directory or total > 1:
        for source in inputs:
            directory = (Path(out) if out is not None
                         else Path.cwd() if source == STDIN else Path(source).parent)
            targets.append(tuple(Target(fmt, directory / f"{stem_of(source)}.{get_writer(fmt).extension}")
                                 for fmt in chosen))
    else:
        (fmt,) = chosen
        ext = Path(out).suffix.lstrip(".").lower()
        expected = get_writer(fmt).extension
        if ext and ext != expected:
            raise UsageError(f"-o {out}: extension '.{ext}' does not match --format {fmt} (.{expected})")
        targets.append((Target(fmt, Path(out)),))

    seen: dict[str, str] = {}
    for source, per_input in zip(inputs, targets):
        for target in per_input:
            if target.path is None:
                continue
            key = os.path.normcase(os.path.abspath(target.path))
            if key in seen:
                raise UsageError(f"{target.path}: would be written twice (from {seen[key]} and {source}); use distinct -o names")
            seen[key] = source
    return Plan(tuple(inputs), tuple(targets))


def _check_directory_form(out: str, total: int) -> None:
    """Many outputs need ``-o`` to be a directory: an existing one, a path ending in '/', or a new
    path without a file suffix.  An existing file, or a new name such as ``one.pdf``, is a usage
    error, raised before anything is created."""
    from .api import INPUT_SUFFIXES

    path = Path(out)
    if os.path.lexists(path):
        raise UsageError(f"-o {out}: {total} outputs need a directory, but {out} is an existing file")
    suffix = path.suffix.lower()
    if suffix and (writer_for_extension(suffix) is not None or suffix in INPUT_SUFFIXES):
        raise UsageError(f"-o {out}: {total} outputs need a directory; give an existing directory or a path "
                         f"ending in '/' (a new name ending in {suffix} is never made a directory)")


@dataclass(frozen=True)
class ExportRequest:
    """Everything one input's export needs; picklable so --jobs can send it to a worker."""

    source: str                                   # a path, or "-" with ``stdin_bytes``
    targets: tuple[Target, ...]
    style: str | None
    style_overrides: tuple[str, ...]
    meta: Mapping[str, object]
    keep_boilerplate: bool
    build_time: datetime
    marking: str | None = None
    stdin_bytes: bytes | None = None
    loaded_style: "Style | None" = None            # ``style`` + overrides already loaded (the CLI checks it first)
    input_format: str | None = None               # --from text|html; None: by extension or content
    # stdin's article as the CLI already read it (to name the outputs after its title), with the
    # warnings that read gave: reading it again would double a long input's cost
    stdin_article: "Article | None" = None
    stdin_warnings: tuple[str, ...] = ()


@dataclass
class ExportResult:
    source: str
    written: list[str] = field(default_factory=list)
    stdout_bytes: bytes | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    exit_code: int = 0


def run_export(request: ExportRequest) -> ExportResult:
    """Read one input and write each of its outputs through the public API (exporter.read and
    exporter.render, the one pipeline); errors come back as one-line messages."""
    from .api import read, render, render_bytes
    from .style import load_style

    result = ExportResult(request.source)
    # One warning callback for the input and all its formats: each writer presents the article and
    # would say "no headline" (or the same missing glyphs) again; a user needs it once.
    warn = warn_once(result.warnings.append)
    try:
        if request.source == STDIN and request.stdin_article is not None:
            article = request.stdin_article
            for message in request.stdin_warnings:
                warn(message)
        else:
            name = "<stdin>" if request.source == STDIN else request.source
            source: bytes | Path = (request.stdin_bytes or b"") if request.source == STDIN else Path(request.source)
            article = read(source, keep_boilerplate=request.keep_boilerplate, warn=warn,
                           source_name=name, input_format=request.input_format, **request.meta)
        style = None
        for target in request.targets:
            writer = get_writer(target.format)
            if writer.uses_style and style is None:
                style = request.loaded_style or load_style(request.style, request.style_overrides)
            render_args = dict(build_time=request.build_time, marking=request.marking, warn=warn)
            path = target.path
            if path is None:
                result.stdout_bytes = render_bytes(article, target.format, style, **render_args)
                continue
            refuse_inputs(path, [request.source])
            ensure_parent(path)
            render(article, target.format, path, style, **render_args)
            result.written.append(str(path))
    except RenderError as exc:             # says which format failed; add which input
        result.error, result.exit_code = f"{request.source}: {exc}", exc.exit_code
    except ExporterError as exc:
        result.error, result.exit_code = str(exc), exc.exit_code
    except Exception as exc:  # a bug must still be one line, never a traceback
        result.error, result.exit_code = f"{request.source}: internal error: {type(exc).__name__}: {exc}", 1
    return result

