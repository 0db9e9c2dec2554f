"""Regenerate ``styles/fonts/coverage.json``: the cmap ranges of every shipped font, read with
:mod:`exporter.style.sfnt`, so the font resolver knows their coverage without opening the fonts.
Run after changing the fonts:

    python -m exporter.style.build_coverage

The output is deterministic (sorted by file name, compact JSON).  tests/test_style_fonts.py checks
that the committed file matches the fonts.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .fonts import COVERAGE_FILE, read_coverage
from .loader import fonts_dir


def coverage_table(directory: Path) -> dict:
    fonts = {}
    for path in sorted(directory.glob("*.ttf")) + sorted(directory.glob("*.otf")):
        cov = read_coverage(path)
        fonts[path.name] = {"size": path.stat().st_size, "usable": cov.usable, "ranges": cov.to_flat()}
    return {"generator": "python -m exporter.style.build_coverage", "fonts": fonts}


def render(table: dict) -> str:
    # one font per line keeps diffs readable while staying compact
    lines = ['{"generator": ' + json.dumps(table["generator"]) + ', "fonts": {']
    items = list(table["fonts"].items())
    for i, (name, entry) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(json.dumps(name) + ": " + json.dumps(entry, separators=(",", ":")) + comma)
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main() -> int:
    directory = fonts_dir()
    target = directory / COVERAGE_FILE
    target.write_text(render(coverage_table(directory)), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
