"""The run ledger of archive-scale exports: one small JSON record per input, next to the outputs
(``OUT/exporter-ledger/<key>.json``), written by the worker that handled the input once its
outputs are in place.

A record says what was done with which bytes: the input, the SHA-256 of its content, the hash of
the resolved style, the exporter version, the formats, the outputs, the outcome (``ok`` or
``failed``) and the one-line error.  One file per input, not one shared file: object stores have
no append, and workers on many machines never write the same object.

Re-running the same command skips an input whose record matches (same content, style, version
and formats, outputs present) — whether it succeeded or failed, so a bad article is not retried
for nothing — and redoes everything else.  ``--retry-failed`` runs only the inputs whose record
is a failure."""
from __future__ import annotations

import hashlib
import json
from typing import NamedTuple, Sequence

from . import storage

LEDGER_DIR = "exporter-ledger"
LEDGER_SCHEMA = "exporter/ledger-record@1"


class Record(NamedTuple):
    input: str
    content_sha256: str
    style_sha256: str
    exporter_version: str
    formats: tuple[str, ...]
    outputs: tuple[str, ...]
    outcome: str                   # "ok" | "failed"
    error: str | None

    def to_json(self) -> str:
        return json.dumps({"schema": LEDGER_SCHEMA, "input": self.input, "content_sha256": self.content_sha256,
                           "style_sha256": self.style_sha256, "exporter_version": self.exporter_version,
                           "formats": list(self.formats), "outputs": list(self.outputs),
                           "outcome": self.outcome, "error": self.error},
                          ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Record | None":
        try:
            data = json.loads(text)
            if data.get("schema") != LEDGER_SCHEMA:
                return None
            return cls(str(data["input"]), str(data["content_sha256"]), str(data["style_sha256"]),
                       str(data["exporter_version"]), tuple(data["formats"]), tuple(data["outputs"]),
                       str(data["outcome"]), data.get("error"))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None          # a damaged record is as good as none: the input is redone


def ledger_root(output_root: str) -> str:
    return storage.join(output_root, LEDGER_DIR)


def record_location(output_root: str, input_name: str) -> str:
    key = hashlib.sha256(input_name.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return storage.join(ledger_root(output_root), f"{key}.json")


def load(output_root: str, input_name: str) -> Record | None:
    text = storage.read_text_if_exists(record_location(output_root, input_name))
    return Record.from_json(text) if text is not None else None


def save(output_root: str, record: Record) -> None:
    storage.write_bytes(record_location(output_root, record.input), record.to_json().encode("utf-8"))


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def style_hash(style_toml: str) -> str:
    return hashlib.sha256(style_toml.encode("utf-8")).hexdigest()


def up_to_date(record: Record | None, content: str, style: str, version: str, formats: Sequence[str]) -> bool:
    """True when ``record`` is about exactly this work: same bytes, style, version and formats,
    and (for a success) every output still there."""
    if record is None:
        return False
    same = (record.content_sha256 == content and record.style_sha256 == style
            and record.exporter_version == version and tuple(record.formats) == tuple(formats))
    if not same:
        return False
    return record.outcome != "ok" or all(storage.exists(output) for output in record.outputs)
