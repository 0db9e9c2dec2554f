"""Cold start-up of the command line: `exporter --version` in a fresh process, with shell
completion on (as shipped) against the same app with completion switched off, timed alternately
in one run (issue 19: completion must not make start-up slower).

    python bench/bench_startup.py [--repeat 21]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, whole_process_times  # noqa: E402

WITHOUT_COMPLETION = ("import sys; import exporter.cli as cli; cli.app._add_completion = False; "
                      "sys.argv[0] = 'exporter'; cli.main()")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    ours = [sys.executable, "-m", "exporter", "--version"]
    floor = [sys.executable, "-c", WITHOUT_COMPLETION, "--version"]
    with_completion, without = whole_process_times(ours, floor, args.repeat, ROOT)
    print(f"exporter --version, completion on:  {with_completion * 1000:7.1f} ms (median of {args.repeat})")
    print(f"exporter --version, completion off: {without * 1000:7.1f} ms")
    print(f"ratio on/off: {with_completion / without:.3f} (target <= 1.05: start-up no slower)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
