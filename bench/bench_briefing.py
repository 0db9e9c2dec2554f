"""Briefing benchmark (issues 8 and 19): `python bench/bench_briefing.py [--formats pdf,docx,epub]`.

For each format, briefings of 500 and of 2,000 distinct articles (made from the sample's body
lines with the article number in every line, as shared/CONVENTIONS.md says), each rendered in a
fresh subprocess (so peak memory is its own): the writer's time for each, and the ratio of the
two.  Four times the articles must take at most 5 times as long.  Both wall and CPU time are
printed; the ratio is taken on CPU time, the process's own work, because the benchmark machine
is shared and a busy neighbour stretches wall time by seconds (the two agree on a quiet machine).

`--articles N` instead compares one briefing of N articles with N x one article exported alone
(near-linear: <= 1.2), as issue 8 asked."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GROWTH_SIZES = (500, 2000)
GROWTH_TARGET = 5.0

WORKER = r"""
import io, json, resource, sys, time
sys.path.insert(0, {here!r})
from common import distinct_articles
import exporter
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
from datetime import datetime, timezone

fmt, count, singles_wanted = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "singles"
articles = [exporter.read(text) for text in distinct_articles(count)]
style = load_style("briefing")
writer = get_writer(fmt)
options = RenderOptions(build_time=datetime(2026, 1, 2, tzinfo=timezone.utc), warn=lambda m: None)
def render(document):
    out = io.BytesIO()
    writer.write(document, style, out, options)
    return out.getbuffer().nbytes
render(articles[0])                                            # warm-up: imports, fonts
single = None
if singles_wanted:
    singles = []
    for article in articles[:5]:
        start = time.perf_counter(); render(article); singles.append(time.perf_counter() - start)
    single = sorted(singles)[len(singles) // 2]
document = exporter.briefing(articles, title="Benchmark briefing")
start, cpu = time.perf_counter(), time.process_time()
size = render(document)
whole, whole_cpu = time.perf_counter() - start, time.process_time() - cpu
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from exporter.presentation import model as pm, present
shown = next((p for p in present(document, style).parts if isinstance(p, pm.KeyQuotes)), None)
print(json.dumps({{"single": single, "whole": whole, "cpu": whole_cpu, "size": size, "peak_mb": peak_mb,
                  "key_quotes": len(shown.rows) if shown else 0}}))
"""


def run_worker(fmt: str, count: int, singles: bool) -> dict | str:
    proc = subprocess.run([sys.executable, "-c", WORKER.format(here=str(HERE)), fmt, str(count),
                           "singles" if singles else "-"], capture_output=True, text=True)
    if proc.returncode != 0:
        return (proc.stderr.strip().splitlines() or ["?"])[-1]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def growth(formats: list[str]) -> None:
    small, large = GROWTH_SIZES
    print(f"briefings of {small} and {large} distinct articles, the writer alone (ratio on CPU time; "
          f"target <= {GROWTH_TARGET:g} for {large // small}x the articles)")
    for fmt in formats:
        found = {count: run_worker(fmt, count, singles=False) for count in GROWTH_SIZES}
        failed = [r for r in found.values() if isinstance(r, str)]
        if failed:
            print(f"  {fmt:<5} failed: {failed[0]}")
            continue
        a, b = found[small], found[large]
        ratio = b["cpu"] / a["cpu"]
        verdict = "ok" if ratio <= GROWTH_TARGET else "OVER TARGET"
        print(f"  {fmt:<5} {small}: {a['cpu']:6.2f} s CPU ({a['whole']:6.2f} s wall, {a['size'] / 1e6:5.1f} MB)   "
              f"{large}: {b['cpu']:6.2f} s CPU ({b['whole']:6.2f} s wall, {b['size'] / 1e6:5.1f} MB, "
              f"peak RSS {b['peak_mb']:.0f} MB)   ratio {ratio:.2f} ({verdict})")


def per_article(formats: list[str], count: int) -> None:
    print(f"briefing of {count} distinct articles (ratio = time / ({count} x one article exported alone); near-linear <= 1.2)")
    for fmt in formats:
        r = run_worker(fmt, count, singles=True)
        if isinstance(r, str):
            print(f"  {fmt:<5} failed: {r}")
            continue
        ratio = r["whole"] / (count * r["single"])
        print(f"  {fmt:<5} {r['whole']:7.2f} s for {count} articles ({r['size'] / 1e6:.1f} MB), one article alone "
              f"{r['single'] * 1000:.0f} ms, ratio {ratio:.2f}, peak RSS {r['peak_mb']:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=None, help="one briefing of N articles against N single exports")
    parser.add_argument("--formats", default="pdf,docx,epub")
    args = parser.parse_args()
    formats = args.formats.split(",")
    if args.articles:
        per_article(formats, args.articles)
    else:
        growth(formats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
