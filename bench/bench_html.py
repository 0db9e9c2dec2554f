"""HTML reader: time against page size, N vs 4N, on saved pages built like the text benchmarks'
long inputs (the sample's body lines, a distinct copy number in every line, so no line repeats),
wrapped in a page with navigation, a share bar, a related list and comments, plus N/50 KB of
inline script (a saved page's bulk is often script).  "Linear" (shared/CONVENTIONS.md): 4N
takes at most 1.1 x 4 x the time of N for the reader.

    python bench/bench_html.py [--sizes 0.4,1.6] [--repeat 3]    # N MB of article text
    python bench/bench_html.py --saved --sizes 10,40               # one article in N MB of page bulk

Prints the time per size, MB/s, and the ratio of each size to the smallest, against the
linear bound; the read stays within the process (no CLI start-up in the figures).
"""
from __future__ import annotations

import argparse
import html
import time

from common import body_lines

import exporter

LINEAR_READER = 1.1


def page(megabytes: float) -> bytes:
    """A saved page of about ``megabytes`` MB."""
    lines = body_lines()
    head = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Benchmark page - Site</title>"
            "</head><body><nav class=\"menu\"><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>"
            "<div class=\"share\">Share on Facebook Share on X</div><article><h1>Benchmark page</h1>")
    tail = ("</article><aside class=\"related\"><ul><li><a href=\"/a\">Another story about the harbour today</a></li>"
            "</ul></aside><section class=\"comments\"><p>First comment on this story.</p></section></body></html>")
    parts = [head]
    size = len(head) + len(tail)
    target = int(megabytes * 1_000_000)
    copy = 0
    while size < target:
        copy += 1
        for text, heading in lines:
            piece = (f"<h2>{html.escape(text)} {copy}</h2>" if heading
                     else f"<p>{html.escape(text)} ({copy}) <em>emphasis {copy}</em> "
                          f"<a href=\"https://example.org/{copy}\">link {copy}</a></p>")
            parts.append(piece)
            size += len(piece.encode("utf-8"))
        if copy % 50 == 0:
            script = "<script>var x = \"" + ("y" * 20000) + "\";</script>"
            parts.append(script)
            size += len(script)
    parts.append(tail)
    return "".join(parts).encode("utf-8")


def saved_page(megabytes: float) -> bytes:
    """A saved page's usual shape: one article (the sample's body, ~20 KB) in about ``megabytes``
    MB of what is not text -- inline scripts, images saved as data: URIs, empty layout markup --
    as "Save page as… complete" or a crawler leaves it."""
    article = "".join(f"<h2>{html.escape(text)}</h2>" if heading else f"<p>{html.escape(text)}</p>"
                      for text, heading in body_lines())
    head = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Saved page - Site</title>"
            "</head><body><article><h1>Saved page</h1>" + article + "</article>")
    target = int(megabytes * 1_000_000)
    chunk_script = "<script>var chunk = \"" + "z" * 250_000 + "\";</script>"
    chunk_image = "<img src=\"data:image/png;base64," + "QUJD" * 60_000 + "\">"
    chunk_markup = "<div class=\"slot\"><span></span></div>" * 2_000
    parts = [head]
    size = len(head)
    while size < target:
        for chunk in (chunk_script, chunk_image, chunk_markup):
            parts.append(chunk)
            size += len(chunk)
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


def best_time(data: bytes, repeat: int) -> tuple[float, int]:
    best = float("inf")
    blocks = 0
    for _ in range(repeat):
        start = time.perf_counter()
        article = exporter.read(data, source_name="bench.html")
        best = min(best, time.perf_counter() - start)
        blocks = len(article.body)
    return best, blocks


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="0.4,1.6",
                        help="page sizes in MB, comma-separated (default 0.4,1.6: the reader refuses a page "
                             "whose text passes 2,000,000 characters)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--saved", action="store_true",
                        help="one article in N MB of scripts, data: images and layout markup (default: N MB of article text)")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    make = saved_page if args.saved else page
    results = []
    for megabytes in sizes:
        data = make(megabytes)
        seconds, blocks = best_time(data, args.repeat)
        results.append((megabytes, len(data), seconds, blocks))
        print(f"{len(data) / 1e6:6.2f} MB  {blocks:6d} blocks  {seconds:7.3f} s  {len(data) / 1e6 / seconds:6.2f} MB/s")
    base_mb, base_bytes, base_s, _ = results[0]
    for megabytes, size, seconds, _ in results[1:]:
        factor = size / base_bytes
        ratio = seconds / base_s
        bound = LINEAR_READER * factor
        print(f"{size / 1e6:.2f} MB vs {base_bytes / 1e6:.2f} MB: {factor:.2f}x the bytes took {ratio:.2f}x the time "
              f"(linear: <= {bound:.2f}x): {'linear' if ratio <= bound else 'NOT LINEAR'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
