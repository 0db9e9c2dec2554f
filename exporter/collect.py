"""Collecting a briefing's inputs: files, globs, directories and manifest TOML files, in order.

A manifest lists articles in order with per-article metadata overrides:

    title = "Morning briefing"        # optional: briefing metadata (title, subtitle, date,
    prepared_for = "The Minister"     #   prepared_for, marking)
    [[article]]
    path = "talks.txt"                # relative to the manifest
    source = "SBS News"               # any article metadata field overrides the reader
"""
from __future__ import annotations

import glob
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from .ast import META_FIELDS
from .errors import InputError, UsageError

TEXT_SUFFIXES = (".txt", ".text", ".md")
BRIEFING_META_KEYS = ("title", "subtitle", "date", "prepared_for", "marking")


@dataclass(frozen=True)
class InputItem:
    path: str                                     # a file path, or "-" for stdin
    meta: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Collected:
    items: tuple[InputItem, ...]
    briefing_meta: Mapping[str, object] = field(default_factory=dict)   # from manifests


def collect_inputs(specs: Sequence[str]) -> Collected:
    """Expand CLI inputs into an ordered list of files (sorted within a glob or directory)."""
    items: list[InputItem] = []
    briefing_meta: dict[str, object] = {}
    for spec in specs:
        if spec == "-":
            items.append(InputItem("-"))
            continue
        path = Path(spec)
        if path.suffix.lower() == ".toml" and path.is_file():
            manifest_items, meta = read_manifest(path)
            items.extend(manifest_items)
            for key, value in meta.items():
                briefing_meta.setdefault(key, value)
        elif path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
            if not found:
                raise InputError(f"{spec}: directory holds no .txt/.md articles")
            items.extend(InputItem(str(p)) for p in found)
        elif any(ch in spec for ch in "*?[") and not path.exists():
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                raise InputError(f"{spec}: no file matches")
            items.extend(InputItem(m) for m in matches if Path(m).is_file())
        else:
            items.append(InputItem(spec))
    if not items:
        raise UsageError("no input given")
    return Collected(tuple(items), briefing_meta)


def read_manifest(path: Path) -> tuple[list[InputItem], dict[str, object]]:
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
        article_path = Path(entry["path"])
        if not article_path.is_absolute():
            article_path = path.parent / article_path
        items.append(InputItem(str(article_path), {k: v for k, v in entry.items() if k != "path"}))
    return items, {k: data[k] for k in BRIEFING_META_KEYS if k in data}
