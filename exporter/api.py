"""The public Python API: read text into an Article, render an Article with a writer.

    import exporter
    article = exporter.read(Path("story.txt"), source="SBS News")
    exporter.render(article, "pdf", "story.pdf", style="briefing")

The CLI is a thin layer over these functions.
"""
from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Callable, Mapping

from .ast import META_FIELDS, Article
from .errors import ExporterError, InputError, OutputError, RenderError, UsageError
from .output import build_time_from_env, write_output, write_to_stream
from .writers import RenderOptions, get_writer

#: CLI flag / keyword names that differ from Meta field names
META_ALIASES = {"lang": "language"}
#: The largest input read, as bytes or text, through every way in (CLI, API, briefings).
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: Suffixes of the inputs the readers know: a one-line str ending in one is meant as a path.
INPUT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
_MAX_PATH_LENGTH = 4096

# (st_dev, st_ino) of the files read by this process, so that render() never writes over an input
# (the CLI refuses the same through its own plan).  Bounded: a long-running process forgets the
# oldest; the CLI and batch also check their inputs explicitly.
_READ_INPUTS: dict[tuple[int, int], str] = {}
_READ_INPUTS_LIMIT = 65536


def raw_source(source: str | bytes | os.PathLike, *, source_name: str | None = None) -> tuple[bytes | str, str]:
    """An input as it came, not yet decoded: (the file's or the caller's bytes, or the caller's
    text, name for messages).  The same rules as :func:`read_source`, which decodes it."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        name = source_name or "<bytes>"
        data = bytes(source)
        _check_size(len(data), name)
        return data, name
    if isinstance(source, str):
        if _is_path_string(source):
            path = Path(source)
            return read_input_bytes(path, source_name or str(path)), source_name or str(path)
        name = source_name or "<text>"
        _check_size(len(source), name)
        _check_size(len(source.encode("utf-8", "surrogatepass")), name)
        return source, name
    if isinstance(source, os.PathLike):
        path = Path(source)
        return read_input_bytes(path, source_name or str(path)), source_name or str(path)
    raise UsageError(f"read: expected article text (str), bytes or a path, got {type(source).__name__}")


def read_source(source: str | bytes | os.PathLike, *, source_name: str | None = None) -> tuple[str, str, list[str]]:
    """Decode an input into text.  Returns (text, name for messages, decoding warnings).

    - ``bytes`` are the input's raw bytes, decoded by the conventions' rules.
    - an ``os.PathLike`` is a file to read.
    - a ``str`` is the article's text, except a single line that names an existing file, which is
      read as that file; a single line that looks like a file name (it has a path separator and
      no spaces, or ends in a known input suffix such as ``.txt``) but names nothing is an
      InputError, never a one-line article.
    Inputs larger than MAX_INPUT_BYTES are refused whichever way they come."""
    from .reader.decode import decode_bytes

    if isinstance(source, (bytes, bytearray, memoryview)):
        name = source_name or "<bytes>"
        data = bytes(source)
        _check_size(len(data), name)
        text, warnings = decode_bytes(data, name)
        return text, name, warnings
    if isinstance(source, str):
        if _is_path_string(source):
            return read_file_source(Path(source), source_name=source_name)
        name = source_name or "<text>"
        _check_size(len(source), name)
        data = source.encode("utf-8", "surrogatepass")
        _check_size(len(data), name)
        text, warnings = decode_bytes(data, name)
        return text, name, warnings
    if isinstance(source, os.PathLike):
        return read_file_source(Path(source), source_name=source_name)
    raise UsageError(f"read: expected article text (str), bytes or a path, got {type(source).__name__}")


def read_file_source(path: Path, *, source_name: str | None = None) -> tuple[str, str, list[str]]:
    from .reader.decode import decode_bytes

    name = source_name or str(path)
    data = read_input_bytes(path, name)
    text, warnings = decode_bytes(data, name)
    return text, name, warnings


def _is_path_string(candidate: str) -> bool:
    """The str rule of :func:`read_source`: True means "read it as a file" (and a missing one is
    an error); False means "it is the article's text"."""
    if "\n" in candidate or len(candidate) > _MAX_PATH_LENGTH or not candidate.strip():
        return False
    try:
        if os.path.lexists(candidate):
            return True
    except (OSError, ValueError):
        return False
    has_separator = "/" in candidate or os.sep in candidate
    if has_separator and not any(ch.isspace() for ch in candidate.strip()):
        raise InputError(f"{candidate}: no such file (a one-line string that looks like a path is read "
                         "as a file; pass the text with a line break, or a Path)")
    if candidate.strip().lower().endswith(INPUT_SUFFIXES):
        raise InputError(f"{candidate}: no such file")
    return False


def _check_size(size: int, name: str) -> None:
    if size > MAX_INPUT_BYTES:
        cap = (f"{MAX_INPUT_BYTES // (1024 * 1024)} MiB" if MAX_INPUT_BYTES % (1024 * 1024) == 0
               else f"{MAX_INPUT_BYTES:,} bytes")
        raise InputError(f"{name}: larger than {cap}; not an article")


def read_input_bytes(path: Path, name: str) -> bytes:
    """The bytes of an input file, with one-line errors for the usual ways that goes wrong."""
    try:
        if path.is_dir():
            raise InputError(f"{name}: is a directory, not a text file")
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            data = handle.read(MAX_INPUT_BYTES + 1)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:                # an embedded NUL in the path
        raise InputError(f"{name}: not a usable path: {exc}") from None
    _check_size(len(data), name)
    _remember_input(info, name)
    return data


def _remember_input(info: os.stat_result, name: str) -> None:
    if len(_READ_INPUTS) >= _READ_INPUTS_LIMIT:
        _READ_INPUTS.pop(next(iter(_READ_INPUTS)))
    _READ_INPUTS[(info.st_dev, info.st_ino)] = name


def _input_read_as(target: Path) -> str | None:
    """The name under which ``target`` (following links) was read as an input, if it was."""
    try:
        info = os.stat(target)
    except (OSError, ValueError):
        return None
    return _READ_INPUTS.get((info.st_dev, info.st_ino))


def normalise_meta(meta: Mapping[str, object], warn: Callable[[str], None] | None = None) -> dict[str, object]:
    """Caller metadata with aliases applied and None values left out; unknown keys refused.
    Text is cleaned as article text is (see :mod:`exporter.caller_meta`); ``date`` must be ISO
    8601 and ``language`` a well-formed BCP 47 tag (UsageError otherwise)."""
    from .caller_meta import check_date, check_language, clean_text

    out: dict[str, object] = {}
    for key, value in meta.items():
        field_name = META_ALIASES.get(key, key)
        if field_name not in META_FIELDS or field_name == "title_origin":
            raise UsageError(f"metadata {key!r}: unknown field (known: {', '.join(f for f in META_FIELDS if f != 'title_origin')}, lang)")
        if value is None:
            continue
        if field_name == "tags":
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, (list, tuple)) or not all(isinstance(t, str) for t in items):
                raise UsageError("metadata tags: must be a string or a list of strings")
            out[field_name] = tuple(t for t in (clean_text(t, "tags", warn) for t in items) if t)
            continue
        if not isinstance(value, str):
            raise UsageError(f"metadata {key!r}: must be a string, got {type(value).__name__}")
        text = clean_text(value, f"--{key}", warn)
        if field_name == "date" and text:
            text = check_date(text, "--date")
        elif field_name == "language" and text:
            text = check_language(text, "--lang", warn)
        elif field_name == "url" and text:
            from .links import strip_credentials

            text = strip_credentials(text, warn)      # so the JSON (the AST) never holds a password either
        if text:
            out[field_name] = text
    return out


def read(text_or_path: str | bytes | os.PathLike, /, *, keep_boilerplate: bool = False,
         warn: Callable[[str], None] | None = None, source_name: str | None = None,
         input_format: str | None = None, **meta: object) -> Article:
    """Read an article.

    ``text_or_path``: an ``os.PathLike`` is a file; ``bytes`` are the file's raw bytes; a ``str``
    is the article's text, except a single line naming an existing file (read as that file) —
    and a single line that looks like a path but names nothing is an InputError.  Use
    :func:`read_file` to say "this is a path" outright.  Keyword metadata (title=, source=,
    lang=/language=, …) overrides front matter and inference.  Every failure is an
    :class:`~exporter.errors.ExporterError` with a one-line message.

    Saved web pages are read by the HTML reader: a file (or ``source_name``) ending in
    ``.html``/``.htm``/``.xhtml``, or an input with a doctype or ``<html`` tag in its first KB;
    ``input_format="text"`` or ``"html"`` (the CLI's ``--from``) overrides the guess."""
    from .reader import read_text
    from .reader.html.sniff import INPUT_FORMATS, choose_reader

    if input_format is not None and input_format not in INPUT_FORMATS:
        raise UsageError(f"input format {input_format!r}: expected one of {', '.join(INPUT_FORMATS)}")
    clean_meta = normalise_meta(meta, warn)
    data, name = raw_source(text_or_path, source_name=source_name)
    if choose_reader(input_format, name, data) == "html":
        from .reader.html import read_html

        try:
            return read_html(data, meta=clean_meta, keep_boilerplate=keep_boilerplate, source_name=name, warn=warn)
        except RecursionError:
            raise InputError(f"{name}: nested too deeply to read") from None
        except MemoryError:
            raise InputError(f"{name}: out of memory while reading") from None
    text, name, warnings = read_source(text_or_path if isinstance(data, str) else data, source_name=name)
    if warn is not None:
        for message in warnings:
            warn(message)
    try:
        return read_text(text, meta=clean_meta, keep_boilerplate=keep_boilerplate, source_name=name)
    except RecursionError:
        raise InputError(f"{name}: nested too deeply to read") from None
    except MemoryError:
        raise InputError(f"{name}: out of memory while reading") from None


def read_file(path: str | os.PathLike, /, **kwargs: object) -> Article:
    """Read the file at ``path`` (never taken as text): :func:`read` with the path made explicit."""
    if not isinstance(path, (str, os.PathLike)):
        raise UsageError(f"read_file: expected a path, got {type(path).__name__}")
    return read(Path(path), **kwargs)   # type: ignore[arg-type]


def resolve_style(style):
    """A Style from a Style, a built-in name, a path, or None (the default style)."""
    from .style import load_style
    from .style.model import Style

    if isinstance(style, Style):
        return style
    return load_style(style)


def render(article, format: str, out: str | os.PathLike | BinaryIO, style=None, *,
           build_time: datetime | None = None, marking: str | None = None,
           warn: Callable[[str], None] | None = None) -> None:
    """Render an Article or a Briefing with the writer registered as ``format`` into ``out``.

    ``out`` is a path — written by the output rules of :func:`exporter.output.write_output`
    (atomically for a plain file, through a symlink to its target, streamed into a FIFO or
    device; never over a file this process read as an input) — or a binary stream, into which
    exactly the bytes a file would get are written, checked.  ``style``: a Style, a style name or
    file, or None.  Every failure is an ExporterError with a one-line message."""
    from .briefing import Briefing

    if not isinstance(article, (Article, Briefing)):
        raise UsageError(f"render: expected an Article or a Briefing, got {type(article).__name__}")
    if not isinstance(format, str):
        raise UsageError(f"render: format must be a writer name such as 'pdf', got {type(format).__name__}")
    writer = get_writer(format)
    resolved_style = resolve_style(style) if writer.uses_style else None
    options = RenderOptions(build_time=build_time or build_time_from_env(), marking=marking,
                            **({"warn": warn} if warn is not None else {}))

    def produce(stream: BinaryIO) -> None:
        try:
            writer.write(article, resolved_style, stream, options)
        except ExporterError:
            raise
        except RecursionError:
            raise RenderError(f"{format}: the document is nested too deeply to render") from None
        except MemoryError:
            raise RenderError(f"{format}: out of memory while rendering") from None
        except OSError as exc:
            raise OutputError(f"{format}: write failed: {exc.strerror or exc}") from None
        except Exception as exc:  # a writer bug is still one line in the ExporterError family
            raise RenderError(f"{format}: rendering failed: {type(exc).__name__}: {' '.join(str(exc).split())}") from None

    if isinstance(out, (str, os.PathLike)):
        target = Path(out)
        if str(out) in ("", "-"):
            raise UsageError(f"render: {str(out)!r} is not a file name; pass a binary stream "
                             "(e.g. sys.stdout.buffer) to write to standard output")
        read_as = _input_read_as(target)
        if read_as is not None:
            raise OutputError(f"{target}: is the input {read_as}; refusing to overwrite it")
        write_output(target, produce)
        return
    buffer = io.BytesIO()
    produce(buffer)
    write_to_stream(out, buffer.getvalue(), str(getattr(out, "name", None) or "<stream>"))


def render_bytes(article: Article, format: str, style=None, **kwargs) -> bytes:
    """Render into memory and return the bytes."""
    buffer = io.BytesIO()
    render(article, format, buffer, style, **kwargs)
    return buffer.getvalue()


def briefing(articles, *, title: str | None = None, subtitle: str | None = None, date: str | None = None,
             prepared_for: str | None = None, marking: str | None = None, language: str | None = None,
             notes=(), warn: Callable[[str], None] | None = None):
    """Assemble read articles into a Briefing that any writer renders (``render(b, "pdf", …)``).
    An article given twice is included once, with a warning."""
    from .briefing import build_briefing

    return build_briefing(articles, title=title, subtitle=subtitle, date=date, prepared_for=prepared_for,
                          marking=marking, language=language, notes=notes, warn=warn)


def with_meta(article: Article, **meta: object) -> Article:
    """A copy of ``article`` with metadata fields replaced (aliases such as lang= accepted).  A
    title given here is the caller's (``title_origin`` "caller"), so it is printed as the headline
    even where the reader had only cut one from the lede."""
    values = normalise_meta(meta)
    if "title" in values:
        values["title_origin"] = "caller"
    return replace(article, meta=replace(article.meta, **values))
