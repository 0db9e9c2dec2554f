"""Reader quality on the development corpora (issue 3): runs shared/corpus's scorers in place.

    python bench/quality.py [--jobs 2]

Prints the scorers' summary lines: body F1 / title / language on 36 whole web pages, and direct
quote F1 / speaker accuracy on 84 annotated political articles.  The corpora are read where they
are (../shared/corpus) and never copied into the project."""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
TARGETS = {
    "score_body.py": "targets: body F1 >= 0.93, title >= 34/36, language >= 28/30",
    "score_quotes.py": "targets: quote F1 >= 0.97, speaker accuracy >= 0.90",
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"quality: {CORPUS} not found; nothing to score")
        return 0
    command = f"{sys.executable} -m exporter"
    for script, target in TARGETS.items():
        proc = subprocess.run([sys.executable, str(CORPUS / script), "--cmd", command, "--jobs", str(args.jobs)],
                              cwd=ROOT, capture_output=True, text=True)
        lines = [line for line in proc.stdout.splitlines() + proc.stderr.splitlines() if line.strip()]
        print(f"{script}: {lines[-1] if lines else 'no output'}  ({target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
