"""Exporting many inputs to many formats: where each output goes (as shared/CONVENTIONS.md
fixes it) and the per-input job the CLI runs, serially or in worker processes.

Every naming decision is made before anything is written, so a collision is a usage error that
leaves the disk untouched."""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, NamedTuple, Sequence

from .errors import ExporterError, OutputError, UsageError
from .output import same_file, sanitize_filename, write_atomic
from .writers import ALL_FORMATS, RenderOptions, get_writer, is_known_format, writer_for_extension, writer_names

if TYPE_CHECKING:  # pragma: no cover
    from .style.model import Style

STDIN = "-"
STDOUT = "-"
DEFAULT_FORMAT = "pdf"


def expand_formats(formats: Sequence[str]) -> list[str]:
    """`all` expanded, duplicates dropped, every name checked against the registry."""
    out: list[str] = []
    for name in formats:
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
    if out == STDOUT:
        if total != 1:
            raise UsageError(f"-o -: writes one output to stdout, but {total} would be written")
        targets.append((Target(chosen[0], None),))
    elif out is None or out.endswith(("/", os.sep)) or Path(out).is_dir() or total > 1:
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


@dataclass
class ExportResult:
    source: str
    written: list[str] = field(default_factory=list)
    stdout_bytes: bytes | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    exit_code: int = 0


def run_export(request: ExportRequest) -> ExportResult:
    """Read one input and write each of its outputs; errors come back as one-line messages."""
    from .api import normalise_meta, read_input_bytes
    from .reader import read_text
    from .reader.decode import decode_bytes
    from .style import load_style

    result = ExportResult(request.source)
    try:
        name = "<stdin>" if request.source == STDIN else request.source
        data = request.stdin_bytes if request.source == STDIN else read_input_bytes(Path(request.source), name)
        text, warnings = decode_bytes(data or b"", name)
        result.warnings.extend(warnings)
        article = read_text(text, meta=normalise_meta(request.meta), keep_boilerplate=request.keep_boilerplate,
                            source_name=name)
        style = None
        options = RenderOptions(build_time=request.build_time, warn=result.warnings.append, marking=request.marking)
        for target in request.targets:
            writer = get_writer(target.format)
            if writer.uses_style and style is None:
                style = request.loaded_style or load_style(request.style, request.style_overrides)
            path = target.path
            if path is None:
                buffer = io.BytesIO()
                writer.write(article, style if writer.uses_style else None, buffer, options)
                result.stdout_bytes = buffer.getvalue()
                continue
            if request.source != STDIN and same_file(path, Path(request.source)):
                raise OutputError(f"{path}: is the input {request.source}; refusing to overwrite it")
            if path.parent and not path.parent.exists():
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise OutputError(f"{path.parent}: cannot create directory: {exc.strerror or exc}") from None
            write_atomic(path, lambda stream, w=writer: w.write(article, style if w.uses_style else None, stream, options))
            result.written.append(str(path))
    except ExporterError as exc:
        result.error, result.exit_code = str(exc), exc.exit_code
    except RecursionError:
        result.error, result.exit_code = f"{request.source}: document nested too deeply to render", 1
    except MemoryError:
        result.error, result.exit_code = f"{request.source}: out of memory", 1
    except Exception as exc:  # a writer bug must still be one line, never a traceback
        result.error, result.exit_code = f"{request.source}: rendering failed: {type(exc).__name__}: {exc}", 1
    return result
