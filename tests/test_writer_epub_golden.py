"""EPUB goldens: every AST golden (fixtures/<stem>.json) rendered with the default style at the
fixed build time, compared part by part with fixtures/golden/epub/<stem>/ — the text parts of the
package (OPF, the article's chapter, nav, NCX, CSS) as the writer makes them from the presented
document.  The input is the AST golden, not
the text, so a reader change never moves these; a writer change shows up as a reviewable diff.
``UPDATE_GOLDENS=1 python -m pytest tests/test_writer_epub_golden.py`` rewrites them."""
from __future__ import annotations

import difflib
import io
import os
import zipfile

import pytest
from lxml import etree

from exporter.ast import Article
from exporter.style import load_style
from exporter.writers import RenderOptions
from exporter.writers.epub import EpubWriter
from support import BUILD_TIME, FIXTURES

UPDATE = os.environ.get("UPDATE_GOLDENS", "") not in ("", "0")
GOLDEN_DIR = FIXTURES / "golden" / "epub"
STEMS = sorted(p.stem for p in FIXTURES.glob("*.json"))
TEXT_PARTS = ("EPUB/content.opf", "EPUB/article-a01.xhtml", "EPUB/nav.xhtml", "EPUB/toc.ncx", "EPUB/style.css")


def render(article: Article) -> dict[str, bytes]:
    out = io.BytesIO()
    EpubWriter().write(article, load_style("default"), out,
                       RenderOptions(build_time=BUILD_TIME, warn=lambda message: None, marking="OFFICIAL"))
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_there_are_goldens():
    assert len(STEMS) >= 6
    assert UPDATE or all((GOLDEN_DIR / stem).is_dir() for stem in STEMS)


@pytest.mark.parametrize("stem", STEMS)
def test_epub_parts_match_their_goldens(stem):
    article = Article.from_json((FIXTURES / f"{stem}.json").read_text(encoding="utf-8"))
    parts = render(article)
    assert sorted(parts) == sorted(["mimetype", "META-INF/container.xml", *TEXT_PARTS])
    folder = GOLDEN_DIR / stem
    for name in TEXT_PARTS:
        produced = parts[name].decode("utf-8")
        if not name.endswith(".css"):
            etree.fromstring(parts[name])                  # every golden is well-formed XML
        golden = folder / name.replace("/", "__")
        if UPDATE:
            folder.mkdir(parents=True, exist_ok=True)
            golden.write_text(produced, encoding="utf-8", newline="\n")
        expected = golden.read_text(encoding="utf-8")
        if produced != expected:
            diff = "".join(difflib.unified_diff(expected.splitlines(True), produced.splitlines(True),
                                                f"golden/{name}", f"produced/{name}", n=2))
            pytest.fail(f"{stem}: {name} differs from its golden (UPDATE_GOLDENS=1 to accept):\n{diff[:4000]}")
