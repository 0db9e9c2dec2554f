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
from .errors import InputError, UsageError
from .output import build_time_from_env, write_atomic
from .writers import RenderOptions, get_writer

#: CLI flag / keyword names that differ from Meta field names
META_ALIASES = {"lang": "language"}
MAX_INPUT_BYTES = 64 * 1024 * 1024


def read_source(source: str | bytes | os.PathLike, *, source_name: str | None = None) -> tuple[str, str, list[str]]:
    """Decode an input into text.  Returns (text, name for messages, decoding warnings).

    ``bytes`` are decoded; an ``os.PathLike`` is read as a file; a ``str`` is the article text
    itself — unless it is a single line naming an existing file, which is then read."""
    from .reader.decode import decode_bytes

    if isinstance(source, (bytes, bytearray, memoryview)):
        name = source_name or "<bytes>"
        text, warnings = decode_bytes(bytes(source), name)
        return text, name, warnings
    if isinstance(source, str) and ("\n" in source or len(source) > 4096 or not _is_file(source)):
        name = source_name or "<text>"
        text, warnings = decode_bytes(source.encode("utf-8", "surrogatepass"), name)
        return text, name, warnings
    path = Path(source)
    name = source_name or str(path)
    data = read_input_bytes(path, name)
    text, warnings = decode_bytes(data, name)
    return text, name, warnings


def _is_file(candidate: str) -> bool:
    try:
        return Path(candidate).is_file()
    except (OSError, ValueError):
        return False


def read_input_bytes(path: Path, name: str) -> bytes:
    """The bytes of an input file, with one-line errors for the usual ways that goes wrong."""
    try:
        if path.is_dir():
            raise InputError(f"{name}: is a directory, not a text file")
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; not an article")
    return data


def normalise_meta(meta: Mapping[str, object]) -> dict[str, object]:
    """Caller metadata with aliases applied and None values left out; unknown keys refused."""
    out: dict[str, object] = {}
    for key, value in meta.items():
        field_name = META_ALIASES.get(key, key)
        if field_name not in META_FIELDS or field_name == "title_origin":
            raise UsageError(f"metadata {key!r}: unknown field (known: {', '.join(f for f in META_FIELDS if f != 'title_origin')}, lang)")
        if value is None:
            continue
        if field_name == "tags":
            value = tuple([value] if isinstance(value, str) else value)
        out[field_name] = value
    return out


def read(text_or_path: str | bytes | os.PathLike, /, *, keep_boilerplate: bool = False,
         warn: Callable[[str], None] | None = None, source_name: str | None = None, **meta: object) -> Article:
    """Read an article.  ``text_or_path``: article text (str), raw bytes, or a path (Path or a str
    naming a file).  Keyword metadata (title=, source=, lang=/language=, …) overrides front matter and
    inference."""
    from .reader import read_text

    text, name, warnings = read_source(text_or_path, source_name=source_name)
    if warn is not None:
        for message in warnings:
            warn(message)
    return read_text(text, meta=normalise_meta(meta), keep_boilerplate=keep_boilerplate, source_name=name)


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
    """Render an Article or a Briefing with the writer registered as ``format`` into ``out`` (a
    path, written atomically, or a binary stream).  ``style``: a Style, a style name or file, or None."""
    writer = get_writer(format)
    resolved_style = resolve_style(style) if writer.uses_style else None
    options = RenderOptions(build_time=build_time or build_time_from_env(), marking=marking,
                            **({"warn": warn} if warn is not None else {}))
    if isinstance(out, (str, os.PathLike)):
        write_atomic(Path(out), lambda stream: writer.write(article, resolved_style, stream, options))
    else:
        writer.write(article, resolved_style, out, options)


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
    """A copy of ``article`` with metadata fields replaced (aliases such as lang= accepted)."""
    return replace(article, meta=replace(article.meta, **normalise_meta(meta)))
