"""What the page holds while the server runs: the articles (in memory, one process, one user)
and the briefing jobs.  Nothing here touches the disk."""
from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

from exporter.ast import Article


@dataclass
class Entry:
    """One article on the page: read (``article``), or not (``error`` says why, next to it)."""

    id: str
    name: str                           # what the person called it (file name or "Pasted text …")
    article: Article | None = None
    error: str | None = None
    source_text: str | None = None      # the decoded input, to place restored lines; None for JSON
    notes: list[str] = field(default_factory=list)   # the reader's warnings, shown with it
    revision: int = 0                   # bumped on every edit, so a stale form is refused

    @property
    def label(self) -> str:
        if self.article is not None and self.article.meta.title:
            return self.article.meta.title
        return self.name


@dataclass
class BriefingJob:
    id: str
    title: str
    format: str
    article_count: int
    stage: str = "Waiting to start"
    step: int = 0                       # finished steps of ``steps``
    steps: int = 2                      # assemble, render
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    data: bytes | None = None
    filename: str | None = None
    media_type: str = "application/octet-stream"
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.data is not None or self.error is not None

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started


class Workspace:
    """The articles and jobs of this process, in the order they were added."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.entries: dict[str, Entry] = {}
        self.jobs: dict[str, BriefingJob] = {}
        self.pasted = itertools.count(1)
        self._ids = itertools.count(1)
        self.previews: dict[tuple[str, int, str], bytes] = {}    # (id, revision, style) -> HTML

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def add(self, entry: Entry) -> Entry:
        with self.lock:
            self.entries[entry.id] = entry
        return entry

    def get(self, entry_id: str) -> Entry | None:
        with self.lock:
            return self.entries.get(entry_id)

    def remove(self, entry_id: str) -> None:
        with self.lock:
            self.entries.pop(entry_id, None)
            for key in [k for k in self.previews if k[0] == entry_id]:
                del self.previews[key]

    def update(self, entry: Entry, article: Article) -> None:
        with self.lock:
            entry.article = article
            entry.revision += 1
            for key in [k for k in self.previews if k[0] == entry.id]:
                del self.previews[key]
