"""Briefing benchmark (issue 8): `python bench/bench_briefing.py [--articles 200]`.

For each format, a briefing of N distinct articles (made from the sample's body lines with the
article number in every line, as shared/CONVENTIONS.md says): wall time, peak memory of the
process that rendered it, and the ratio to N x the single-article time measured in the same run
(near-linear: <= 1.2).  Each format runs in a fresh subprocess so peak RSS is its own."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

WORKER = r"""
import io, json, resource, sys, time
sys.path.insert(0, {here!r})
from common import distinct_articles
import exporter
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
from datetime import datetime, timezone

fmt, count = sys.argv[1], int(sys.argv[2])
articles = [exporter.read(text) for text in distinct_articles(count)]
style = load_style("briefing")
writer = get_writer(fmt)
options = RenderOptions(build_time=datetime(2026, 1, 2, tzinfo=timezone.utc), warn=lambda m: None)
def render(document):
    out = io.BytesIO()
    writer.write(document, style, out, options)
    return out.getbuffer().nbytes
render(articles[0])                                            # warm-up: imports, fonts
singles = []
for article in articles[:5]:
    start = time.perf_counter(); render(article); singles.append(time.perf_counter() - start)
single = sorted(singles)[len(singles) // 2]
document = exporter.briefing(articles, title="Benchmark briefing")
start = time.perf_counter(); size = render(document); whole = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"single": single, "whole": whole, "size": size, "peak_mb": peak_mb}}))
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--formats", default="pdf,docx,epub")
    args = parser.parse_args()
    code = WORKER.format(here=str(HERE))
    print(f"briefing of {args.articles} distinct articles (ratio = time / ({args.articles} x one article exported alone); near-linear <= 1.2)")
    for fmt in args.formats.split(","):
        proc = subprocess.run([sys.executable, "-c", code, fmt, str(args.articles)], capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"  {fmt:<5} failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        ratio = r["whole"] / (args.articles * r["single"])
        print(f"  {fmt:<5} {r['whole']:7.2f} s for {args.articles} articles ({r['size'] / 1e6:.1f} MB), one article alone "
              f"{r['single'] * 1000:.0f} ms, ratio {ratio:.2f}, peak RSS {r['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
