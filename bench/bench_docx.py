"""DOCX writer benchmark (issue 6): run `python bench/bench_docx.py [--quick]`.

Prints, each beside its reference measured in the same run:
- in-process ms per article for the sample (writer only: the article is read once) against a bare
  python-docx script writing the same paragraphs with no styling (target: <= 1.5x), with the share
  of it the presentation layer (present(), which every writer calls) takes, and the time with the
  style's fonts embedded;
- whole-process `exporter export sample -f docx` against the floor of our own stack, a minimal Typer
  app that imports python-docx and writes the same paragraphs (target: <= 1.3x), with pandoc's
  Markdown -> DOCX conversion of the equivalent Markdown beside it for reference;
- peak RSS after 1,000 exports in one process against the peak after 100 (flat: <= 1.2x);
- which format libraries a DOCX export imports (none: the writer writes the package as text).
"""
from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from common import (article_markdown, best_time, distinct_articles, median_time, sample_text, import_probe, rss_probe, verdict,
                    whole_process_times)

import exporter
from exporter.ast import inline_text, iter_inline_runs
from exporter.presentation import present
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer

IN_PROCESS_TARGET = 1.5
CLI_TARGET = 1.3
RSS_TARGET = 1.2


def paragraphs_of(article) -> list[str]:
    """The same paragraphs the writer renders: title, meta line, every body block's text."""
    meta = article.meta
    out = [meta.title or ""]
    parts = [p for p in (meta.byline, meta.source or meta.site, meta.date) if p]
    if parts:
        out.append(" \u00b7 ".join(parts))
    out += [inline_text(content) for _, content in iter_inline_runs(article.body)]
    return out


def bare_python_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


MINIMAL_TYPER_APP = textwrap.dedent('''
    """The floor of our stack: Typer + python-docx writing the sample's lines, nothing else."""
    import typer

    app = typer.Typer(add_completion=False)

    @app.command()
    def export(source: str, output: str) -> None:
        import docx
        document = docx.Document()
        with open(source, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    document.add_paragraph(line.strip())
        document.save(output)

    if __name__ == "__main__":
        app()
''')

def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 300 exports for the RSS probe")
    args = parser.parse_args()
    repeat = 5 if args.quick else 15
    cli_repeat = 5 if args.quick else 11
    total = 300 if args.quick else 1000

    text = sample_text()
    article = exporter.read(text)
    style = load_style("default")
    writer = get_writer("docx")
    options = RenderOptions(warn=lambda m: None)
    paragraphs = paragraphs_of(article)

    ours = best_time(lambda: writer.write(article, style, io.BytesIO(), options), repeat=repeat, number=5)
    bare = best_time(lambda: bare_python_docx(paragraphs), repeat=repeat, number=5)
    ratio = ours / bare
    print("docx in-process (sample, writer only)")
    print(f"  exporter docx writer : {ours * 1000:7.2f} ms/article")
    presenting = best_time(lambda: present(article, style, options), repeat=repeat, number=5)
    print(f"    of which present() : {presenting * 1000:7.2f} ms/article")
    embedding = load_style("default", ["embed_fonts=true"])
    embedded = best_time(lambda: writer.write(article, embedding, io.BytesIO(), options), repeat=max(3, repeat // 3))
    print(f"  with embed_fonts     : {embedded * 1000:7.2f} ms/article  (font subsets cut by fontTools)")
    print(f"  bare python-docx     : {bare * 1000:7.2f} ms/article  ({len(paragraphs)} paragraphs, no styling)")
    print(f"  ratio                : {ratio:7.2f}x  (target <= {IN_PROCESS_TARGET}x: {verdict(ratio, IN_PROCESS_TARGET)})")

    pandoc = shutil.which("pandoc")
    try:
        import pypandoc
        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pass
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        sample = tmp_path / "sample.txt"
        sample.write_text(text, encoding="utf-8")
        app = tmp_path / "floor_app.py"
        app.write_text(MINIMAL_TYPER_APP, encoding="utf-8")
        md = tmp_path / "sample.md"
        md.write_text(article_markdown(article), encoding="utf-8")

        def run(cmd: list[str]) -> None:
            subprocess.run(cmd, check=True, capture_output=True, cwd=tmp)

        exporter_cmd = [sys.executable, "-m", "exporter", "export", str(sample), "-f", "docx",
                        "-o", str(tmp_path / "out.docx"), "-q"]
        floor_cmd = [sys.executable, str(app), str(sample), str(tmp_path / "floor.docx")]
        cli, floor = whole_process_times(exporter_cmd, floor_cmd, cli_repeat, tmp_path)
        ratio = cli / floor
        print("docx whole process (median)")
        print(f"  exporter export -f docx   : {cli * 1000:7.0f} ms")
        print(f"  floor (Typer+python-docx) : {floor * 1000:7.0f} ms")
        print(f"  ratio                     : {ratio:7.2f}x  (target <= {CLI_TARGET}x: {verdict(ratio, CLI_TARGET)})")
        if pandoc:
            ref = median_time(lambda: run([pandoc, str(md), "-o", str(tmp_path / "pandoc.docx"), "-t", "docx"]),
                              repeat=cli_repeat)
            print(f"  pandoc md -> docx (ref)   : {ref * 1000:7.0f} ms")
        else:
            print("  pandoc md -> docx (ref)   : pandoc not installed")

        texts = tmp_path / "articles.json"
        texts.write_text(json.dumps(distinct_articles(100)), encoding="utf-8")
        done = subprocess.run([sys.executable, "-c", rss_probe("docx", texts, total)],
                              check=True, capture_output=True, text=True)
        peaks = {int(k): v for k, v in json.loads(done.stdout).items()}
        ratio = peaks[total] / peaks[100]
        print(f"docx memory over a batch ({len(json.loads(texts.read_text()))} distinct articles, cycled)")
        print(f"  peak RSS after 100  : {peaks[100] / 1024:7.1f} MB")
        print(f"  peak RSS after {total:<4} : {peaks[total] / 1024:7.1f} MB")
        print(f"  ratio               : {ratio:7.2f}x  (flat: <= {RSS_TARGET}x: {verdict(ratio, RSS_TARGET)})")

    done = subprocess.run([sys.executable, "-c", import_probe("docx")],
                          check=True, capture_output=True, text=True)
    print(f"format libraries imported by a docx export: {done.stdout.strip() or '(none)'}")


if __name__ == "__main__":
    main()
