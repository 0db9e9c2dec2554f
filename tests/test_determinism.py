"""Same input, style and build time -> byte-identical files, whatever the wall clock says
(shared/CONVENTIONS.md: two builds at least 2 s apart with the same SOURCE_DATE_EPOCH)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from cli_support import run_process
from support import SAMPLE

FORMATS = ("pdf", "docx", "epub", "json")


def export_all(tmp: Path, epoch: str, style: str) -> dict[str, bytes]:
    out = tmp / f"{epoch}-{time.monotonic_ns()}"
    result = run_process(["export", str(SAMPLE), *sum((["-f", f] for f in FORMATS), []), "-o", str(out), "--style", style,
                          "-q"], env={"SOURCE_DATE_EPOCH": epoch})
    assert result.code == 0, result.err
    return {fmt: (out / f"{SAMPLE.stem}.{fmt}").read_bytes() for fmt in FORMATS}


@pytest.mark.parametrize("style", ["default", "briefing"])
def test_builds_two_seconds_apart_are_byte_identical(tmp_path: Path, style: str):
    first = export_all(tmp_path, "1747440000", style)
    time.sleep(2.1)
    second = export_all(tmp_path, "1747440000", style)
    for fmt in FORMATS:
        assert first[fmt] == second[fmt], f"{fmt} differs between two builds with one SOURCE_DATE_EPOCH"
    later = export_all(tmp_path, "1757440000", style)
    for fmt in ("pdf", "docx", "epub"):   # the build time is really used inside each package
        assert later[fmt] != first[fmt], f"{fmt} ignores SOURCE_DATE_EPOCH"
