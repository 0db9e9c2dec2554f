"""Shared benchmark helpers: inputs built as shared/CONVENTIONS.md says, and timing.

Long inputs and many-article batches are made from the sample's body lines with a distinct copy
number in every line, so the reader's repeated-line filter never drops them."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "000_26941f31262b2c1a.txt"
sys.path.insert(0, str(ROOT))

import exporter  # noqa: E402
from exporter.ast import Heading, inline_text, iter_inline_runs  # noqa: E402


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def body_lines() -> list[tuple[str, bool]]:
    """(text, is_heading) for each body block of the sample as the reader reads it."""
    article = exporter.read(sample_text())
    return [(inline_text(content), isinstance(block, Heading)) for block, content in iter_inline_runs(article.body)]


def long_input(copies: int) -> str:
    """The sample's body lines ``copies`` times, every line carrying its copy number."""
    lines = []
    for copy in range(1, copies + 1):
        for text, heading in body_lines():
            lines.append(f"{text} ({copy})" if not heading else f"{text.rstrip('?’')} {copy}?’")
            if heading:
                lines.append("")
        lines.append("")
    return "\n".join(lines) + "\n"


def one_paragraph_input(copies: int) -> str:
    """A title and ONE paragraph (no blank line: a pasted transcript): the sample's body lines
    ``copies`` times, joined by spaces, every line carrying its copy number."""
    lines = [f"{text} ({copy})" for copy in range(1, copies + 1) for text, heading in body_lines() if not heading]
    return "A transcript in one paragraph\n\n" + " ".join(lines) + "\n"


def distinct_articles(count: int) -> list[str]:
    """``count`` distinct article texts (each line tagged with its article number)."""
    base = body_lines()
    out = []
    for number in range(1, count + 1):
        lines = [f"Article {number}: " + base[0][0]]
        lines += [f"{text} [{number}]" if not heading else "" for text, heading in base[1:]]
        out.append("\n".join(lines) + "\n")
    return out


def best_time(fn: Callable[[], object], repeat: int = 5, number: int = 1) -> float:
    """Best wall time of ``repeat`` runs of ``number`` calls, per call, in seconds."""
    results = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        results.append((time.perf_counter() - start) / number)
    return min(results)


def median_time(fn: Callable[[], object], repeat: int = 5) -> float:
    results = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        results.append(time.perf_counter() - start)
    return statistics.median(results)


def article_markdown(article) -> str:
    """Equivalent Markdown of an article, for pandoc as the reference converter."""
    parts = [f"% {article.meta.title or ''}", ""]
    for block, content in iter_inline_runs(article.body):
        text = inline_text(content).replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
        parts.append(("## " + text) if isinstance(block, Heading) else text)
        parts.append("")
    return "\n".join(parts)


# ---------------------------------------------------------------- probes run in a fresh process
_RSS_PROBE = '''
import io, json, resource, sys
sys.path.insert(0, {root!r})
import exporter
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
texts = json.load(open({texts!r}, encoding="utf-8"))
articles = [exporter.read(t) for t in texts]
style = load_style("default")
writer = get_writer({fmt!r})
options = RenderOptions(warn=lambda m: None)
peaks = {{}}
for i in range({total}):
    writer.write(articles[i % len(articles)], style, io.BytesIO(), options)
    if i + 1 in (100, {total}):
        peaks[i + 1] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(peaks))
'''

_IMPORT_PROBE = '''
import io, sys
sys.path.insert(0, {root!r})
import exporter
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
get_writer({fmt!r}).write(exporter.read(open({sample!r}, encoding="utf-8").read()), load_style("default"),
                          io.BytesIO(), RenderOptions())
print(" ".join(m for m in ("docx", "reportlab", "ebooklib") if m in sys.modules))
'''


def rss_probe(fmt: str, texts_path: Path, total: int) -> str:
    """Code for a fresh process: peak RSS after 100 and after ``total`` exports (a JSON dict)."""
    return _RSS_PROBE.format(root=str(ROOT), texts=str(texts_path), total=total, fmt=fmt)


def import_probe(fmt: str) -> str:
    """Code for a fresh process: which format libraries one export in ``fmt`` imports."""
    return _IMPORT_PROBE.format(root=str(ROOT), sample=str(SAMPLE), fmt=fmt)


def compile_package() -> None:
    """Byte-compile the package before whole-process timings, as ``pip install`` does for a
    wheel.  Without it, a machine with PYTHONDONTWRITEBYTECODE set (this workplace's is) makes
    every run recompile exporter from source, and the benchmark measures the compiler."""
    import compileall

    compileall.compile_dir(str(ROOT / "exporter"), quiet=1)


def whole_process_times(ours: list[str], floor: list[str], repeat: int, cwd: Path) -> tuple[float, float]:
    """Median wall times of two commands run alternately ``repeat`` times each (after one warm-up
    run of each and with the package byte-compiled), so a machine that is busy for a while
    slows both alike."""
    import subprocess

    compile_package()

    def run(cmd: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=cwd)
        return time.perf_counter() - start

    run(ours), run(floor)                   # warm the page cache for both
    ours_times, floor_times = [], []
    for _ in range(repeat):
        ours_times.append(run(ours))
        floor_times.append(run(floor))
    return statistics.median(ours_times), statistics.median(floor_times)


def verdict(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else "OVER TARGET"
