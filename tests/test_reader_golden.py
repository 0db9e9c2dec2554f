"""AST goldens: every fixtures/<stem>.txt that has a fixtures/<stem>.json is read and compared
byte for byte with ``Article.to_json()``.  ``UPDATE_GOLDENS=1 python -m pytest
tests/test_reader_golden.py`` rewrites the goldens; review the diff like code."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from exporter.ast import Article
from exporter.reader import decode_bytes, read_text
from support import FIXTURES, require_module

UPDATE = os.environ.get("UPDATE_GOLDENS", "") not in ("", "0")
SCHEMA = Path(__file__).resolve().parent.parent / "exporter" / "schema" / "article.schema.json"
GOLDEN_STEMS = sorted(p.stem for p in FIXTURES.glob("*.txt") if p.with_suffix(".json").exists() or UPDATE)


def read_fixture(stem: str) -> Article:
    path = FIXTURES / f"{stem}.txt"
    text, warnings = decode_bytes(path.read_bytes(), path.name)
    assert warnings == []
    return read_text(text, source_name=path.name)


def test_there_are_goldens():
    assert len(GOLDEN_STEMS) >= 6


@pytest.mark.parametrize("stem", GOLDEN_STEMS)
def test_golden(stem):
    article = read_fixture(stem)
    produced = article.to_json()
    golden = FIXTURES / f"{stem}.json"
    if UPDATE:
        golden.write_text(produced, encoding="utf-8", newline="\n")
    assert produced == golden.read_text(encoding="utf-8"), f"{stem}: AST differs from its golden (UPDATE_GOLDENS=1 to accept)"
    assert Article.from_json(produced) == article


@pytest.mark.parametrize("stem", GOLDEN_STEMS)
def test_golden_validates_against_the_schema(stem):
    jsonschema = require_module("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads((FIXTURES / f"{stem}.json").read_text(encoding="utf-8")), schema)
