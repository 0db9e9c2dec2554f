"""Where archive-scale work reads and writes: local paths, or fsspec URLs (``s3://``, ``gcs://``,
``file://``, ``memory://`` …) so that cluster workers read and write shared storage directly and
no article passes through the client.

Local paths keep every rule of :mod:`exporter.output` (atomic writes, links written through,
FIFOs streamed).  A URL is written to a temporary name beside its target and then moved over it,
so a reader never sees a partial object on any file system.  fsspec is imported only for URLs
(the ``[cluster]`` extra)."""
from __future__ import annotations

import os
import posixpath
import uuid
from pathlib import Path
from typing import Sequence

from .errors import InputError, OutputError, UsageError


def is_url(location: str) -> bool:
    """True for ``scheme://…`` (a Windows drive letter such as ``C:\\`` is a path)."""
    scheme, sep, _ = location.partition("://")
    return bool(sep) and len(scheme) > 1 and scheme.replace("+", "").replace("-", "").isalnum()


def _fs(url: str):
    from .extras import require

    fsspec_core = require("fsspec.core", "cluster", url)
    try:
        return fsspec_core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise UsageError(f"{url}: cannot open this kind of URL: {exc}") from None


def _protocol(fs) -> str:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return protocol


def _unstrip(fs, path: str) -> str:
    """A path fsspec returned, as a URL again (``memory://…``), so it can travel to a worker."""
    return fs.unstrip_protocol(path)


def expand_inputs(specs: Sequence[str]) -> list[str]:
    """Names of the inputs, listed (never read): local specs through the shared collector,
    URLs by fsspec by the same rule (a directory gives its article files, a glob its sorted
    matches)."""
    from .collect import ARTICLE_SUFFIXES, collect_inputs

    found: list[str] = []
    local: list[str] = []

    def flush_local() -> None:
        if local:
            for item in collect_inputs(local).items:
                if item.meta:
                    raise UsageError(f"{item.path}: per-article metadata from a manifest is not used here; "
                                     "list the files instead")
                found.append(item.path)
            local.clear()

    for spec in specs:
        if not is_url(spec):
            local.append(spec)
            continue
        flush_local()
        fs, path = _fs(spec)
        if any(ch in path for ch in "*?["):
            matches = sorted(p for p in fs.glob(path) if fs.isfile(p))
            if not matches:
                raise InputError(f"{spec}: no file matches")
            found.extend(_unstrip(fs, p) for p in matches)
        elif fs.isdir(path):
            matches = sorted(p for p in fs.find(path) if p.lower().endswith(ARTICLE_SUFFIXES))
            if not matches:
                raise InputError(f"{spec}: directory holds no articles ({', '.join(ARTICLE_SUFFIXES)})")
            found.extend(_unstrip(fs, p) for p in matches)
        elif fs.exists(path):
            found.append(_unstrip(fs, path))
        else:
            raise InputError(f"{spec}: no such file")
    flush_local()
    if "-" in found:
        raise UsageError("-: standard input cannot be read on a cluster; give files or URLs")
    return found


def read_bytes(location: str, limit: int) -> bytes:
    """An input's bytes (at most ``limit`` + 1, so that an over-size input is refused cheaply)."""
    if not is_url(location):
        from .api import read_input_bytes

        return read_input_bytes(Path(location), location)
    fs, path = _fs(location)
    try:
        with fs.open(path, "rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{location}: no such file") from None
    except OSError as exc:
        raise InputError(f"{location}: cannot read: {exc}") from None


def write_bytes(location: str, data: bytes) -> None:
    """Write a whole output: atomically, on every file system."""
    if not is_url(location):
        from .output import ensure_parent, write_output

        target = Path(location)
        ensure_parent(target)
        write_output(target, lambda stream: stream.write(data))
        return
    fs, path = _fs(location)
    parent = posixpath.dirname(path)
    temp = posixpath.join(parent, f".{posixpath.basename(path)[:60]}.{uuid.uuid4().hex}.tmp")
    try:
        if parent:
            fs.makedirs(parent, exist_ok=True)
        fs.pipe_file(temp, data)
        fs.mv(temp, path)
    except Exception as exc:
        try:
            if fs.exists(temp):
                fs.rm(temp)
        except Exception:
            pass
        raise OutputError(f"{location}: cannot write: {exc}") from None


def exists(location: str) -> bool:
    if not is_url(location):
        return os.path.exists(location)
    fs, path = _fs(location)
    return bool(fs.exists(path))


def read_text_if_exists(location: str) -> str | None:
    if not is_url(location):
        try:
            return Path(location).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
    fs, path = _fs(location)
    try:
        with fs.open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except FileNotFoundError:
        return None


def join(root: str, *names: str) -> str:
    """``root`` (a directory path or URL) joined with names."""
    if is_url(root):
        return posixpath.join(root.rstrip("/"), *names)
    return str(Path(root).joinpath(*names))


def stem(location: str) -> str:
    """The file name without its suffix, of a path or a URL."""
    name = posixpath.basename(location.rstrip("/")) if is_url(location) else Path(location).name
    base, dot, _ = name.rpartition(".")
    return (base if dot and base else name) or "untitled"


def clear_parts(directory: str, pattern: str) -> None:
    """Make ``directory`` ready for a fresh set of part files: earlier parts (``pattern``) are
    removed, so a smaller run never leaves stale rows behind; any other file there is an error
    (a table directory holds its parts only)."""
    import fnmatch

    if is_url(directory):
        fs, path = _fs(directory)
        names = [p for p in (fs.ls(path, detail=False) if fs.isdir(path) else [])]
        remove = fs.rm
    else:
        names = [str(p) for p in Path(directory).iterdir()] if Path(directory).is_dir() else []
        remove = os.unlink
    strangers = [n for n in names if not fnmatch.fnmatch(posixpath.basename(n.rstrip("/")), pattern)]
    if strangers:
        raise UsageError(f"{directory}: holds {posixpath.basename(strangers[0].rstrip('/'))} and other files that "
                         "are not part files of a table; give a new or empty directory")
    for name in names:
        remove(name)
