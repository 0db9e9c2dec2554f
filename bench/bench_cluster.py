"""Archive-scale throughput: N distinct articles exported serially, with `-j 2`, and on a Dask
LocalCluster of 2 worker processes, each as a whole `exporter export` process on this machine.
Prints articles per second and the cluster's overhead over `-j 2` (target <= 1.2x), then what
the measured rate means for a million articles.

    python bench/bench_cluster.py [--articles 2000] [--format pdf]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import compile_package, distinct_articles  # noqa: E402


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench_cluster: {' '.join(command[2:6])}… failed: {proc.stderr.strip()[-400:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--format", default="pdf")
    args = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        inputs = root / "in"
        inputs.mkdir()
        for number, text in enumerate(distinct_articles(args.articles)):
            (inputs / f"a{number:05d}.txt").write_text(text, encoding="utf-8")
        base = [sys.executable, "-m", "exporter", "export", str(inputs), "-f", args.format, "-q"]
        runs = {
            "serial": base + ["-o", str(root / "serial") + "/"],
            "-j 2": base + ["-o", str(root / "jobs") + "/", "-j", "2"],
            "cluster local:2": base + ["-o", str(root / "cluster") + "/", "--cluster", "local:2"],
        }
        seconds = {name: timed(command, root) for name, command in runs.items()}
        # the same cluster command again: every input is in the ledger, done and unchanged
        rerun = timed(runs["cluster local:2"], root)

    print(f"{args.articles} articles to {args.format}, whole processes on this machine:")
    for name, value in seconds.items():
        print(f"  {name:<16} {value:7.1f} s  {args.articles / value:7.1f} articles/s")
    overhead = seconds["cluster local:2"] / seconds["-j 2"]
    print(f"cluster overhead over -j 2: {overhead:.2f}x (target <= 1.2x)")
    print(f"the cluster command again (all {args.articles} done and unchanged, skipped): {rerun:.1f} s")
    per_core = args.articles / seconds["cluster local:2"] / 2
    for workers in (16, 64, 256):
        hours = 1_000_000 / (per_core * workers) / 3600
        print(f"  1,000,000 articles on {workers:>3} single-thread workers: ~{hours:5.1f} h at {per_core:.1f} articles/s/core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
