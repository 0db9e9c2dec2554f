"""Collecting inputs, one way for every command (export, briefing, inspect and the web page):
files, directories, globs, manifest TOML files and ``-`` for stdin, in a deterministic order.

- A file is taken as it is (whether it can be read is the reader's business).
- A directory gives its article files (the suffixes the readers know), sorted by name; one with
  none is an error.
- A glob (``*``, ``?``, ``[``) that names no existing file is expanded here, sorted, for shells
  (and callers) that do not expand it; matching nothing is an error.
- A manifest lists articles in order with per-article metadata overrides:

    title = "Morning briefing"        # optional: briefing metadata (title, subtitle, date,
    prepared_for = "The Minister"     #   prepared_for, marking)
    [[article]]
    path = "talks.txt"                # relative to the manifest
    source = "SBS News"               # any article metadata field overrides the reader

Arguments keep their order; what one argument expands to is sorted.  With ``root`` (the confined
mode, for the web page or any other untrusted caller) every path must stay under ``root``: no
absolute paths, no ``..``, no link out of it, no stdin; manifests are held to the same rule.
"""
from __future__ import annotations

import glob
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from .ast import META_FIELDS
from .errors import InputError, UsageError

#: What a directory or glob contributes: the input kinds the readers know.
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
BRIEFING_META_KEYS = ("title", "subtitle", "date", "prepared_for", "marking")
STDIN = "-"


@dataclass(frozen=True)
class InputItem:
    path: str                                     # a file path, or "-" for stdin
    meta: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Collected:
    items: tuple[InputItem, ...]
    briefing_meta: Mapping[str, object] = field(default_factory=dict)   # from manifests


def collect_inputs(specs: Sequence[str], *, root: str | os.PathLike | None = None) -> Collected:
    """Expand inputs into an ordered list of article files (see the module docstring).
    ``root``: the confined mode — every path relative to and staying under ``root``."""
    confine = _Confinement(Path(root)) if root is not None else None
    items: list[InputItem] = []
    briefing_meta: dict[str, object] = {}
    for spec in specs:
        if spec == STDIN:
            if confine is not None:
                raise UsageError("-: standard input is not an input here")
            items.append(InputItem(STDIN))
            continue
        if not isinstance(spec, str) or not spec.strip():
            raise UsageError(f"{spec!r}: an empty input name")
        path = confine.resolve(spec) if confine is not None else Path(spec)
        if path.suffix.lower() == ".toml" and path.is_file():
            manifest_items, meta = read_manifest(path, confine=confine)
            items.extend(manifest_items)
            for key, value in meta.items():
                briefing_meta.setdefault(key, value)
        elif path.is_dir():
            found = sorted((p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file()),
                           key=lambda p: p.name)
            if confine is not None:
                found = [p for p in found if confine.holds(p)]
            if not found:
                raise InputError(f"{spec}: directory holds no articles ({', '.join(ARTICLE_SUFFIXES)})")
            items.extend(InputItem(str(p)) for p in found)
        elif _is_glob(spec) and not path.exists():
            pattern = str(path)
            matches = sorted(m for m in glob.glob(pattern, recursive=True) if Path(m).is_file())
            if confine is not None:
                matches = [m for m in matches if confine.holds(Path(m))]
            if not matches:
                raise InputError(f"{spec}: no file matches")
            items.extend(InputItem(m) for m in matches)
        else:
            items.append(InputItem(str(path)))
    if not items:
        raise UsageError("no input given")
    return Collected(tuple(items), briefing_meta)


def _is_glob(spec: str) -> bool:
    return any(ch in spec for ch in "*?[")


class _Confinement:
    """The confined mode's rule: relative paths that stay under ``root``, links included."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = Path(os.path.realpath(root))

    def resolve(self, spec: str, base: Path | None = None) -> Path:
        candidate = Path(spec)
        if candidate.is_absolute() or spec.startswith(("/", "\\")) or (len(spec) > 1 and spec[1] == ":"):
            raise UsageError(f"{spec}: absolute paths are not allowed here")
        if ".." in candidate.parts or any(part in ("..",) for part in spec.replace("\\", "/").split("/")):
            raise UsageError(f"{spec}: '..' is not allowed here")
        path = (base or self.root) / candidate
        if not _is_glob(spec) and os.path.lexists(path) and not self.holds(path):
            raise UsageError(f"{spec}: leads outside the allowed directory")
        return path

    def holds(self, path: Path) -> bool:
        real = Path(os.path.realpath(path))
        return real == self.real_root or self.real_root in real.parents


def read_manifest(path: Path, *, confine: "_Confinement | None" = None) -> tuple[list[InputItem], dict[str, object]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read manifest: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - set(BRIEFING_META_KEYS) - {"article"}
    if unknown:
        raise UsageError(f"{path}: unknown key {sorted(unknown)[0]!r} (allowed: {', '.join(BRIEFING_META_KEYS)}, [[article]])")
    articles = data.get("article", [])
    if not isinstance(articles, list) or not articles:
        raise UsageError(f"{path}: needs at least one [[article]] with a path")
    items: list[InputItem] = []
    allowed = set(META_FIELDS) - {"title_origin"} | {"path", "lang"}
    for number, entry in enumerate(articles, 1):
        where = f"{path}: article[{number}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise UsageError(f"{where}: needs path = \"file.txt\"")
        bad = set(entry) - allowed
        if bad:
            raise UsageError(f"{where}: unknown key {sorted(bad)[0]!r} (allowed: {', '.join(sorted(allowed))})")
        for key, value in entry.items():
            if key == "tags":
                if not (isinstance(value, list) and all(isinstance(t, str) for t in value)):
                    raise UsageError(f"{where}.tags: must be a list of strings")
            elif not isinstance(value, str):
                raise UsageError(f"{where}.{key}: must be a string")
        if confine is not None:
            relative = path.parent.relative_to(confine.root) if path.parent != confine.root else Path()
            article_path = confine.resolve(str(relative / entry["path"]))
        else:
            article_path = Path(entry["path"])
            if not article_path.is_absolute():
                article_path = path.parent / article_path
        items.append(InputItem(str(article_path), {k: v for k, v in entry.items() if k != "path"}))
    return items, {k: data[k] for k in BRIEFING_META_KEYS if k in data}
