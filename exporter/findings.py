"""The reader's findings as data: one row per quote, or one row per article, for ``exporter table``.

Rows are plain dicts made from the article AST (exactly what ``exporter inspect --json`` shows),
so a pandas or DuckDB user can count who gets quoted without a document in sight.  They are
written with pyarrow under a fixed schema, one Parquet file or a directory of part files
(``part-00000.parquet`` …) that both read in one call."""
from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any, Iterable

from .ast import Article, iter_inline_runs, iter_quotes, inline_text

WHAT = ("quotes", "articles")

# (column, pyarrow type name) — the one place the tables' columns are defined.
QUOTE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("input", "string"), ("article_id", "string"), ("source", "string"), ("date", "string"),
    ("language", "string"), ("paragraph", "int32"), ("quote_index", "int32"), ("depth", "int32"),
    ("text", "string"), ("kind", "string"), ("speaker", "string"), ("evidence", "string"),
)
ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("input", "string"), ("article_id", "string"), ("title", "string"), ("title_origin", "string"),
    ("subtitle", "string"), ("byline", "string"), ("source", "string"), ("site", "string"),
    ("url", "string"), ("date", "string"), ("language", "string"), ("tags", "list<string>"),
    ("words", "int64"), ("blocks", "int32"), ("quotes", "int32"), ("speech_quotes", "int32"),
    ("attributed_quotes", "int32"), ("speakers", "int32"), ("related", "int32"), ("dropped", "int32"),
    ("dropped_by_reason", "map<string,int32>"),
)


def article_id(data: bytes) -> str:
    """A stable id for an article: the start of the SHA-256 of its input bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def quote_rows(article: Article, input_name: str, identifier: str) -> list[dict[str, Any]]:
    """One row per quote (nested quotes too, with their depth), in reading order.  ``paragraph``
    is the index of the top-level body block the quote sits in."""
    rows: list[dict[str, Any]] = []
    meta = article.meta
    for paragraph, block in enumerate(article.body):
        for _, content in iter_inline_runs((block,)):
            for quote, depth in iter_quotes(content):
                rows.append({
                    "input": input_name, "article_id": identifier, "source": meta.source, "date": meta.date,
                    "language": meta.language, "paragraph": paragraph, "quote_index": len(rows),
                    "depth": depth, "text": inline_text(quote.content), "kind": quote.kind,
                    "speaker": quote.speaker, "evidence": quote.evidence,
                })
    return rows


def article_row(article: Article, input_name: str, identifier: str) -> dict[str, Any]:
    """One row for the article: its metadata and counts."""
    meta = article.meta
    words = 0
    quotes = speech = attributed = 0
    speakers: set[str] = set()
    for _, content in iter_inline_runs(article.body):
        words += len(inline_text(content).split())
        for quote, _depth in iter_quotes(content):
            quotes += 1
            if quote.kind == "speech":
                speech += 1
                if quote.speaker:
                    attributed += 1
                    speakers.add(quote.speaker)
    reasons = Counter(item.reason for item in article.dropped)
    return {
        "input": input_name, "article_id": identifier, "title": meta.title, "title_origin": meta.title_origin,
        "subtitle": meta.subtitle, "byline": meta.byline, "source": meta.source, "site": meta.site,
        "url": meta.url, "date": meta.date, "language": meta.language, "tags": list(meta.tags),
        "words": words, "blocks": len(article.body), "quotes": quotes, "speech_quotes": speech,
        "attributed_quotes": attributed, "speakers": len(speakers), "related": len(article.related),
        "dropped": len(article.dropped), "dropped_by_reason": sorted(reasons.items()),
    }


def rows_of(what: str, article: Article, input_name: str, identifier: str) -> list[dict[str, Any]]:
    if what == "quotes":
        return quote_rows(article, input_name, identifier)
    if what == "articles":
        return [article_row(article, input_name, identifier)]
    raise ValueError(what)


def schema(what: str):
    """The pyarrow schema of a table (pyarrow imported here: the [cluster] extra)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(),
             "list<string>": pa.list_(pa.string()), "map<string,int32>": pa.map_(pa.string(), pa.int32())}
    columns = QUOTE_COLUMNS if what == "quotes" else ARTICLE_COLUMNS
    return pa.schema([(name, types[kind]) for name, kind in columns])


def to_table(what: str, rows: Iterable[dict[str, Any]]):
    import pyarrow as pa

    table_schema = schema(what)
    rows = list(rows)
    return pa.Table.from_pylist(rows, schema=table_schema) if rows else table_schema.empty_table()


def parquet_bytes(what: str, rows: Iterable[dict[str, Any]]) -> bytes:
    """A whole Parquet file in memory (written to its place atomically by the caller)."""
    import io

    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(to_table(what, rows), buffer, compression="zstd")
    return buffer.getvalue()
