"""What right-to-left support costs left-to-right text in the PDF (issue 14: "bidi and shaping
must cost nothing for left-to-right text"): run `python bench/bench_bidi.py [--quick]`.

Prints, for the sample article (left to right, in English):
- ms per PDF export (writer only: the article is read once) with the bidi pass as shipped,
  against the same writer with an all-LTR shortcut (no paragraph scanned for right-to-left
  characters, no line reordered); medians of alternating runs in one process;
- the share of one export's profiled time spent in the bidi module and in the scan for
  right-to-left characters (cProfile; the scan is a regular expression search per fragment).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone

from common import SAMPLE as SAMPLE_PATH     # (common also puts the source tree on sys.path)

import exporter
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
from exporter.writers.pdf import bidi, page

SAMPLE = exporter.read(SAMPLE_PATH)
OPTIONS = RenderOptions(build_time=datetime(2026, 1, 2, tzinfo=timezone.utc), warn=lambda message: None)


class _NeverRtl:
    """An RTL_CHARS stand-in that finds nothing: the all-LTR shortcut."""

    @staticmethod
    def search(text):
        return None


@contextmanager
def all_ltr():
    saved = page.RTL_CHARS
    page.RTL_CHARS = _NeverRtl()
    try:
        yield
    finally:
        page.RTL_CHARS = saved


def export(style) -> float:
    start = time.perf_counter()
    get_writer("pdf").write(SAMPLE, style, io.BytesIO(), OPTIONS)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    runs = 15 if parser.parse_args().quick else 60
    style = load_style("default")
    for _ in range(3):
        export(style)                 # fonts, patterns and caches warm
    shipped, shortcut = [], []
    for _ in range(runs):             # alternating, so load on the machine hits both alike
        shipped.append(export(style))
        with all_ltr():
            shortcut.append(export(style))
    a, b = statistics.median(shipped) * 1000, statistics.median(shortcut) * 1000
    print(f"sample PDF, bidi pass as shipped: {a:.1f} ms; all-LTR shortcut: {b:.1f} ms; "
          f"ratio {a / b:.3f} (medians of {runs} alternating runs)")

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(5):
        get_writer("pdf").write(SAMPLE, style, io.BytesIO(), OPTIONS)
    profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt
    in_bidi = sum(row[2] for func, row in stats.stats.items() if func[0] == bidi.__file__)
    scans = sum(row[2] for func, row in stats.stats.items()
                if func[2] == "<method 'search' of 're.Pattern' objects>")
    breaking = sum(row[3] for func, row in stats.stats.items()
                   if func[0] == page.__file__ and func[2] == "breakLines")
    print(f"profile of 5 exports: {total * 1000:.0f} ms; in bidi.py {in_bidi * 1000:.2f} ms "
          f"({100 * in_bidi / total:.2f} %); every regex search of the run (the RTL scan among them) "
          f"{scans * 1000:.2f} ms ({100 * scans / total:.2f} %); line breaking in all {breaking * 1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
