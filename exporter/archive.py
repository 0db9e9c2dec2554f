"""Archive-scale work: many inputs in chunks, run here, in worker processes, or on a Dask cluster.

Two jobs go through it, both through the one pipeline (``exporter.read`` / ``render_bytes``):

- :func:`export_archive` — export every input to every format under one output root, with a run
  ledger (:mod:`exporter.ledger`) that makes a re-run skip what is done and unchanged;
- :func:`table_archive` — the reader's findings (:mod:`exporter.findings`) as a Parquet table.

The client only lists input names and hands out chunks; workers read their inputs and write their
outputs and ledger records themselves (local paths or fsspec URLs, :mod:`exporter.storage`), so no
article passes through the client.  A chunk is ~100 inputs at most, and at least four chunks per
worker when there are enough inputs: the scheduler sees thousands of tasks for a million
articles, not a million.  A worker that dies mid-chunk loses nothing: Dask reruns the chunk
elsewhere, every output is written whole or not at all, and the ledger skips what was finished.
Dask is the ``[cluster]`` extra and is imported only for ``--cluster``."""
from __future__ import annotations

import logging
import math
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import datetime
from typing import Callable, Iterator, NamedTuple, Sequence

from . import ledger, storage
from .errors import ExporterError, UsageError
from .version import __version__

MAX_CHUNK = 100
PART_PATTERN = "part-*.parquet"          # the part files of a partitioned table


class Outcome(NamedTuple):
    """What became of one input: ``ok``, ``failed`` (with its one-line error) or ``skipped``."""

    input: str
    status: str
    error: str | None = None


class ExportSettings(NamedTuple):
    """Everything a worker needs to export (picklable, small: no article, no loaded style)."""

    formats: tuple[str, ...]
    output_root: str
    stems: tuple[tuple[str, str], ...]        # input -> output file stem, decided by the client
    style: str | None
    style_overrides: tuple[str, ...]
    style_sha256: str
    build_time: datetime
    marking: str | None
    keep_boilerplate: bool
    retry_failed: bool


class TableSettings(NamedTuple):
    what: str
    keep_boilerplate: bool
    parts_root: str | None                    # a directory of part files, or None: rows go back


class Summary(NamedTuple):
    total: int
    ok: int
    failed: int
    skipped: int
    seconds: float
    ledger: str | None
    failed_before: int = 0          # skipped inputs whose unchanged bytes failed in an earlier run


# --------------------------------------------------------------------------------------- chunks
def chunk_size(count: int, workers: int) -> int:
    """At most MAX_CHUNK inputs, and at least four chunks per worker when there are enough."""
    return max(1, min(MAX_CHUNK, math.ceil(count / max(1, workers * 4))))


def chunked(items: Sequence[str], size: int) -> list[tuple[int, tuple[str, ...]]]:
    return [(number, tuple(items[start:start + size])) for number, start in enumerate(range(0, len(items), size))]


_STYLES: dict[tuple[str | None, tuple[str, ...]], object] = {}


def _style(spec: str | None, overrides: tuple[str, ...]):
    """The resolved style, loaded once per worker process."""
    key = (spec, overrides)
    if key not in _STYLES:
        from .style import load_style

        _STYLES[key] = load_style(spec, list(overrides))
    return _STYLES[key]


def export_chunk(chunk: tuple[int, tuple[str, ...]], settings: ExportSettings) -> list[Outcome]:
    """Runs on a worker: export each input of the chunk unless the ledger says it is done."""
    from .api import MAX_INPUT_BYTES, read, render_bytes
    from .writers import get_writer

    stems = dict(settings.stems)
    outcomes: list[Outcome] = []
    for name in chunk[1]:
        outputs = tuple(storage.join(settings.output_root, f"{stems[name]}.{get_writer(fmt).extension}")
                        for fmt in settings.formats)
        content = ""
        try:
            data = storage.read_bytes(name, MAX_INPUT_BYTES)
            content = ledger.content_hash(data)
            previous = ledger.load(settings.output_root, name)
            if settings.retry_failed:
                if previous is None or previous.outcome != "failed":
                    outcomes.append(Outcome(name, "skipped"))
                    continue
            elif ledger.up_to_date(previous, content, settings.style_sha256, __version__, settings.formats):
                # a recorded failure of the same bytes is not retried for nothing, but still told
                outcomes.append(Outcome(name, "skipped", previous.error if previous.outcome == "failed" else None))
                continue
            article = read(data, source_name=name, keep_boilerplate=settings.keep_boilerplate, warn=lambda _: None)
            style = _style(settings.style, settings.style_overrides)
            for fmt, output in zip(settings.formats, outputs):
                storage.write_bytes(output, render_bytes(article, fmt, style, build_time=settings.build_time,
                                                         marking=settings.marking, warn=lambda _: None))
            outcome = Outcome(name, "ok")
        except ExporterError as exc:
            outcome = Outcome(name, "failed", str(exc))
        except Exception as exc:   # a bug is one input's failure, never the run's
            outcome = Outcome(name, "failed", f"{name}: internal error: {type(exc).__name__}: {exc}")
        ledger.save(settings.output_root, ledger.Record(
            name, content, settings.style_sha256, __version__, settings.formats,
            outputs if outcome.status == "ok" else (), outcome.status, outcome.error))
        outcomes.append(outcome)
    return outcomes


def table_chunk(chunk: tuple[int, tuple[str, ...]], settings: TableSettings) -> tuple[list[Outcome], list[dict]]:
    """Runs on a worker: the rows of each input of the chunk; with ``parts_root`` the worker
    writes its part file itself and returns no rows."""
    from .api import MAX_INPUT_BYTES, read
    from .findings import article_id, parquet_bytes, rows_of

    outcomes: list[Outcome] = []
    rows: list[dict] = []
    for name in chunk[1]:
        try:
            data = storage.read_bytes(name, MAX_INPUT_BYTES)
            article = read(data, source_name=name, keep_boilerplate=settings.keep_boilerplate, warn=lambda _: None)
            rows.extend(rows_of(settings.what, article, name, article_id(data)))
            outcomes.append(Outcome(name, "ok"))
        except ExporterError as exc:
            outcomes.append(Outcome(name, "failed", str(exc)))
        except Exception as exc:
            outcomes.append(Outcome(name, "failed", f"{name}: internal error: {type(exc).__name__}: {exc}"))
    if settings.parts_root is not None:
        storage.write_bytes(storage.join(settings.parts_root, f"part-{chunk[0]:05d}.parquet"),
                            parquet_bytes(settings.what, rows))
        return outcomes, []
    return outcomes, rows


# --------------------------------------------------------------------------------------- runners
def workers_of(cluster: str | None, jobs: int) -> int:
    if cluster is None:
        return max(1, jobs)
    if cluster.startswith("local"):
        _, _, count = cluster.partition(":")
        return int(count) if count.isdigit() else (os.cpu_count() or 1)
    return 8        # a remote scheduler: enough chunks for a few machines' workers


def run_chunks(function: Callable, chunks: list, settings: object, *, cluster: str | None = None,
               jobs: int = 1) -> Iterator[tuple[tuple[str, ...], object]]:
    """``function(chunk, settings)`` for every chunk, here, in ``jobs`` processes or on a Dask
    cluster; yields ``(chunk inputs, result)`` as chunks finish.  A chunk that no worker could
    finish yields ``(inputs, exception)``."""
    if cluster is not None:
        yield from _run_on_dask(function, chunks, settings, cluster)
    elif jobs > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(chunks))) as pool:
            futures = {pool.submit(function, chunk, settings): chunk for chunk in chunks}
            for future in as_completed(futures):
                try:
                    yield futures[future][1], future.result()
                except Exception as exc:      # a worker process died
                    yield futures[future][1], exc
    else:
        for chunk in chunks:
            yield chunk[1], function(chunk, settings)


def open_cluster(address: str):
    """A dask.distributed Client for ``address`` (``tcp://host:8786``…) or ``local[:N]`` (a
    LocalCluster of N worker processes, one thread each), and a function that closes it."""
    from .extras import require

    distributed = require("dask.distributed", "cluster", "--cluster")
    Client, LocalCluster = distributed.Client, distributed.LocalCluster
    if address == "local" or address.startswith("local:"):
        count = workers_of(address, 1)
        if count < 1:
            raise UsageError(f"--cluster {address}: needs at least one worker")
        try:
            # ":0": the scheduler's HTTP endpoint on any free port (8787 may be another cluster's)
            cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=":0",
                                   silence_logs=logging.ERROR)
        except (RuntimeError, OSError) as exc:
            # e.g. a script that starts a cluster without an `if __name__ == "__main__":` guard
            raise ExporterError(f"--cluster {address}: the worker processes did not start: {exc}") from None
        client = Client(cluster)

        def close() -> None:
            client.close()
            cluster.close()
        return client, close
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"--cluster {address}: cannot reach the scheduler: {exc}") from None
    return client, client.close


def _run_on_dask(function: Callable, chunks: list, settings: object, address: str):
    client, close = open_cluster(address)
    try:
        from dask.distributed import as_completed as dask_completed

        scattered = client.scatter(settings, broadcast=True)
        futures = {client.submit(function, chunk, scattered, pure=False, retries=2): chunk for chunk in chunks}
        for future in dask_completed(futures):
            try:
                yield futures[future][1], future.result()
            except Exception as exc:          # KilledWorker after its retries, or a lost scheduler
                yield futures[future][1], exc
    finally:
        close()


# ------------------------------------------------------------------------------------------ jobs
def plan_stems(inputs: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Each input's output stem; two inputs with one stem are a usage error before any work."""
    from .output import sanitize_filename

    seen: dict[str, str] = {}
    stems = []
    for name in inputs:
        stem = sanitize_filename(storage.stem(name))
        key = stem.casefold()
        if key in seen:
            raise UsageError(f"{name}: its outputs would overwrite those of {seen[key]} (both are named {stem}.*)")
        seen[key] = name
        stems.append((name, stem))
    return tuple(stems)


def export_archive(inputs: Sequence[str], formats: Sequence[str], output_root: str, *, style: str | None = None,
                   style_overrides: Sequence[str] = (), build_time: datetime, marking: str | None = None,
                   keep_boilerplate: bool = False, retry_failed: bool = False, cluster: str | None = None,
                   jobs: int = 1, progress: Callable[[int, int, int, int, int, float], None] | None = None,
                   on_failure: Callable[[Outcome], None] | None = None) -> Summary:
    """Export every input (paths or URLs, as :func:`exporter.storage.expand_inputs` lists them) to
    every format under ``output_root``, keeping the run ledger there."""
    from .style import load_style, style_to_toml
    from .writers import get_writer

    names = list(dict.fromkeys(inputs))
    if not names:
        raise UsageError("no input given")
    formats = tuple(formats)
    for fmt in formats:
        get_writer(fmt)
    style_sha = ledger.style_hash(style_to_toml(load_style(style, list(style_overrides))))
    settings = ExportSettings(formats, output_root, plan_stems(names), style, tuple(style_overrides), style_sha,
                              build_time, marking, keep_boilerplate, retry_failed)
    chunks = chunked(names, chunk_size(len(names), workers_of(cluster, jobs)))
    return _account(run_chunks(export_chunk, chunks, settings, cluster=cluster, jobs=jobs), len(names),
                    ledger.ledger_root(output_root), progress, on_failure, lambda inputs, result: result)


def table_archive(inputs: Sequence[str], what: str, output: str, *, keep_boilerplate: bool = False,
                  cluster: str | None = None, jobs: int = 1,
                  progress: Callable[[int, int, int, int, int, float], None] | None = None,
                  on_failure: Callable[[Outcome], None] | None = None) -> Summary:
    """Write the findings of every input as Parquet: one file at ``output``, or, when ``output``
    is a directory (ends in '/' or exists as one), one part file per chunk written by the workers."""
    from .findings import WHAT, parquet_bytes

    if what not in WHAT:
        raise UsageError(f"--what {what}: one of {', '.join(WHAT)}")
    names = list(dict.fromkeys(inputs))
    if not names:
        raise UsageError("no input given")
    partitioned = output.endswith("/") or (not storage.is_url(output) and os.path.isdir(output))
    if partitioned:
        storage.clear_parts(output.rstrip("/"), PART_PATTERN)
    settings = TableSettings(what, keep_boilerplate, output.rstrip("/") if partitioned else None)
    chunks = chunked(names, chunk_size(len(names), workers_of(cluster, jobs)))
    collected: dict[int, list[dict]] = {}
    order = {chunk[1]: chunk[0] for chunk in chunks}

    def outcomes_of(inputs, result):
        outcomes, rows = result
        collected[order[inputs]] = rows
        return outcomes

    summary = _account(run_chunks(table_chunk, chunks, settings, cluster=cluster, jobs=jobs), len(names), None,
                       progress, on_failure, outcomes_of)
    if not partitioned:
        rows = [row for number in sorted(collected) for row in collected[number]]
        storage.write_bytes(output, parquet_bytes(what, rows))
    return summary


def _account(results, total: int, ledger_location: str | None, progress, on_failure, outcomes_of) -> Summary:
    start = time.perf_counter()
    ok = failed = skipped = failed_before = 0
    for inputs, result in results:
        if isinstance(result, BaseException):
            outcomes = [Outcome(name, "failed", f"{name}: no worker could finish it: {type(result).__name__}: "
                                                f"{' '.join(str(result).split())}") for name in inputs]
        else:
            outcomes = outcomes_of(inputs, result)
        for outcome in outcomes:
            if outcome.status == "ok":
                ok += 1
            elif outcome.status == "skipped":
                skipped += 1
                failed_before += outcome.error is not None
            else:
                failed += 1
                if on_failure is not None:
                    on_failure(outcome)
        if progress is not None:
            progress(ok + failed + skipped, total, ok, failed, skipped, time.perf_counter() - start)
    return Summary(total, ok, failed, skipped, time.perf_counter() - start, ledger_location, failed_before)
