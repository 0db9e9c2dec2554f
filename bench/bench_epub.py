"""EPUB writer benchmark (issue 7): run `python bench/bench_epub.py [--quick]`.

Every number is printed beside a reference measured in the same run:
  1. in-process ms per article, default style (no embedded fonts), against a bare ebooklib script
     writing the same chapter (target: ratio <= 2.0), with the share of it the presentation layer
     (present(), which every writer calls) takes;
  2. the same with the ebook style (subset fonts embedded): what embedding costs;
  3. whole-process `python -m exporter export SAMPLE -f epub` against the floor of our own stack,
     a minimal Typer app that imports ebooklib and writes the same EPUB (target: ratio <= 1.3;
     medians of alternating runs, the package byte-compiled as a wheel install leaves it),
     with pandoc's epub3 conversion of the equivalent Markdown printed beside it.
"""
from __future__ import annotations

import argparse
import gc
import io
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from common import ROOT, article_markdown, best_time, sample_text, whole_process_times

import exporter
from exporter.ast import Heading, inline_text, iter_inline_runs
from exporter.presentation import present
from exporter.style import load_style
from exporter.writers import RenderOptions
from exporter.writers.epub import EpubWriter

BUILD_TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def chapter_html(article) -> str:
    """The article as the simple chapter markup a bare ebooklib script would write."""
    parts = [f"<h1>{escape(article.meta.title or 'Untitled')}</h1>"]
    for block, content in iter_inline_runs(article.body):
        text = escape(inline_text(content))
        parts.append(f"<h2>{text}</h2>" if isinstance(block, Heading) else f"<p>{text}</p>")
    return "\n".join(parts)


def bare_ebooklib(article, html: str) -> bytes:
    """The reference: ebooklib alone, one chapter, nav and NCX, into memory."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("urn:uuid:00000000-0000-0000-0000-000000000000")
    book.set_title(article.meta.title or "Untitled")
    book.set_language(article.meta.language or "en")
    chapter = epub.EpubHtml(title=article.meta.title or "Untitled", file_name="article.xhtml", lang="en")
    chapter.content = html
    book.add_item(chapter)
    book.toc = [chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [chapter]
    out = io.BytesIO()
    epub.write_epub(out, book, {"mtime": BUILD_TIME.replace(tzinfo=None)})
    return out.getvalue()


FLOOR_APP = '''
import html, sys
import typer
from ebooklib import epub

app = typer.Typer(add_completion=False)


@app.command()
def export(source: str, out: str) -> None:
    lines = [line.strip() for line in open(source, encoding="utf-8") if line.strip()]
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:00000000-0000-0000-0000-000000000000")
    book.set_title(lines[0])
    book.set_language("en")
    chapter = epub.EpubHtml(title=lines[0], file_name="article.xhtml", lang="en")
    chapter.content = "<h1>" + html.escape(lines[0]) + "</h1>" + "".join("<p>" + html.escape(l) + "</p>" for l in lines[1:])
    book.add_item(chapter)
    book.toc = [chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [chapter]
    epub.write_epub(out, book)


if __name__ == "__main__":
    app()
'''


def paired_best(first, second, repeat: int, number: int) -> tuple[float, float]:
    """Best per-call times of two functions measured in alternating rounds, so a machine that is
    busy for a while slows both alike."""
    best_first = best_second = float("inf")
    gc.collect()
    gc.disable()                     # as timeit does: a collection lands on whichever runs then
    try:
        for _ in range(repeat):
            best_first = min(best_first, best_time(first, repeat=1, number=number))
            best_second = min(best_second, best_time(second, repeat=1, number=number))
    finally:
        gc.enable()
    return best_first, best_second


def pandoc_path() -> str | None:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 5 if args.quick else 15
    number = 5 if args.quick else 20

    article = exporter.read(sample_text())
    writer = EpubWriter()
    default, ebook = load_style("default"), load_style("ebook")
    options = RenderOptions(build_time=BUILD_TIME, warn=lambda message: None)
    html = chapter_html(article)

    ours, bare = paired_best(lambda: writer.write(article, default, io.BytesIO(), options),
                             lambda: bare_ebooklib(article, html), repeat=repeat, number=number)
    print("epub in-process, sample article")
    print(f"  bare ebooklib (reference) {bare * 1000:8.2f} ms/article")
    print(f"  exporter, default style   {ours * 1000:8.2f} ms/article  ratio {ours / bare:5.2f} (target <= 2.0)")
    # what the presentation layer (exporter.presentation.present) takes of that: the writer renders its result
    presenting = best_time(lambda: present(article, default, options), repeat=repeat, number=number)
    print(f"    of which present()      {presenting * 1000:8.2f} ms/article")

    embed_repeat = 2 if args.quick else 3
    embedded = best_time(lambda: writer.write(article, ebook, io.BytesIO(), options), repeat=embed_repeat)
    size_default = len(_render(writer, article, default, options))
    size_ebook = len(_render(writer, article, ebook, options))
    print(f"  exporter, ebook style     {embedded * 1000:8.2f} ms/article  ratio {embedded / bare:5.1f}; "
          f"embedding costs {(embedded - ours) * 1000:.1f} ms and {(size_ebook - size_default) / 1024:.0f} KiB "
          f"({size_default / 1024:.0f} KiB -> {size_ebook / 1024:.0f} KiB)")

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        source = tmpdir / "sample.txt"
        source.write_text(sample_text(), encoding="utf-8")
        floor_app = tmpdir / "floor_app.py"
        floor_app.write_text(FLOOR_APP, encoding="utf-8")
        md = tmpdir / "sample.md"
        md.write_text(article_markdown(article), encoding="utf-8")
        cli_repeat = 3 if args.quick else 7

        def run(argv: list[str]) -> None:
            subprocess.run(argv, check=True, capture_output=True, cwd=tmpdir)

        ours_cli = [sys.executable, "-m", "exporter", "export", str(source), "-f", "epub", "-o", str(tmpdir / "ours.epub"), "-q"]
        floor_cli = [sys.executable, str(floor_app), str(source), str(tmpdir / "floor.epub")]
        ours_whole, floor_whole = whole_process_times(ours_cli, floor_cli, cli_repeat, tmpdir)
        print("epub whole process, sample article")
        print(f"  floor: Typer + ebooklib app   {floor_whole * 1000:7.0f} ms")
        print(f"  exporter export -f epub       {ours_whole * 1000:7.0f} ms  ratio {ours_whole / floor_whole:5.2f} (target <= 1.3)")
        pandoc = pandoc_path()
        if pandoc:
            ref = best_time(lambda: run([pandoc, str(md), "-o", str(tmpdir / "pandoc.epub"), "-t", "epub3"]),
                            repeat=cli_repeat)
            print(f"  pandoc -t epub3 (beside)      {ref * 1000:7.0f} ms  ratio ours/pandoc {ours_whole / ref:5.2f}")
        else:
            print("  pandoc: not installed (pip install pypandoc-binary, the bench extra)")


def _render(writer, article, style, options) -> bytes:
    out = io.BytesIO()
    writer.write(article, style, out, options)
    return out.getvalue()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
