"""Reader and writer benchmarks (issue 2): run `python bench/bench.py [--quick]`.

Prints, for the reader, ms per sample article, MB/s and the time ratio of a 100x input to one
(linear means <= 110); for every registered writer, in-process ms per article, articles/s over a
batch and whole-process CLI time, with pandoc (pypandoc-binary, the `bench` extra) converting the
equivalent Markdown to the same format in the same run as the reference where pandoc has it.
Writers that land later appear automatically (they come from the registry)."""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, article_markdown, best_time, distinct_articles, long_input, sample_text

import exporter
from exporter.writers import get_writer, writer_names

PANDOC_FORMATS = {"docx": "docx", "epub": "epub3", "pdf": None, "json": "json"}


def pandoc_path() -> str | None:
    try:
        import pypandoc
    except ImportError:
        return None
    try:
        return pypandoc.get_pandoc_path()
    except OSError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats and a smaller batch")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    batch = 10 if args.quick else 40

    text = sample_text()
    size_mb = len(text.encode("utf-8")) / 1e6
    one = best_time(lambda: exporter.read(text), repeat=repeat, number=5)
    long_text = long_input(100)
    hundred = best_time(lambda: exporter.read(long_text), repeat=max(2, repeat // 2))
    print("reader")
    print(f"  sample: {one * 1000:.2f} ms/article, {size_mb / one:.2f} MB/s")
    print(f"  100x input: {hundred * 1000:.1f} ms; ratio to 1x = {hundred / one:.1f} (linear: <= 110)")

    article = exporter.read(text)
    articles = [exporter.read(t) for t in distinct_articles(batch)]
    pandoc = pandoc_path()
    with tempfile.TemporaryDirectory() as tmp:
        md = Path(tmp) / "sample.md"
        md.write_text(article_markdown(article), encoding="utf-8")
        sample_copy = Path(tmp) / "sample.txt"
        sample_copy.write_text(text, encoding="utf-8")
        for name in writer_names():
            writer = get_writer(name)
            style = exporter.api.resolve_style(None) if writer.uses_style else None
            # the warnings (a lede-made title, say) are the same for every run; timing them would only
            # time the terminal
            render = lambda a: exporter.render(a, name, io.BytesIO(), style, warn=lambda m: None)  # noqa: E731
            per_article = best_time(lambda: render(article), repeat=repeat)
            start = time.perf_counter()
            for item in articles:
                render(item)
            per_second = len(articles) / (time.perf_counter() - start)
            out = Path(tmp) / f"out.{writer.extension}"
            cli = best_time(lambda: subprocess.run([sys.executable, "-m", "exporter", "export", str(sample_copy), "-f", name,
                                                    "-o", str(out), "-q"], check=True), repeat=max(2, repeat // 2))
            line = (f"{name:<5} in-process {per_article * 1000:7.1f} ms/article, {per_second:6.1f} articles/s "
                    f"(batch of {len(articles)}), CLI {cli * 1000:6.0f} ms")
            target = PANDOC_FORMATS.get(name)
            if pandoc and target:
                ref_out = Path(tmp) / f"ref.{writer.extension}"
                ref = best_time(lambda: subprocess.run([pandoc, str(md), "-o", str(ref_out), "-t", target],
                                                       check=True, capture_output=True), repeat=max(2, repeat // 2))
                line += f"; pandoc {ref * 1000:6.0f} ms, CLI/pandoc = {cli / ref:.2f}"
            elif not pandoc:
                line += "; pandoc reference: install the bench extra (pypandoc-binary)"
            else:
                line += "; pandoc has no direct writer for this format"
            print(line)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
