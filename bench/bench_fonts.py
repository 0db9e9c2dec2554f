"""Hostile font files (issue 19): `python bench/bench_fonts.py`.

A style naming a 2 GB (sparse: it takes no disk space) ``.ttf`` must be refused in well under a
second, in every format, with one error line and exit code 2, without the file being read.
Prints, per format, the whole `exporter export` process time (start-up included) beside the time
of the same export with the built-in style as the reference, and the in-process time of loading
the style (where the refusal happens)."""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import SAMPLE, compile_package

from exporter.errors import StyleError
from exporter.style import load_style

FORMATS = ("pdf", "docx", "epub")
RUNS = 3


def sparse_font(directory: Path, size: int = 2 * 1024 ** 3) -> Path:
    path = directory / "huge.ttf"
    with open(path, "wb") as fh:
        fh.write(b"\x00\x01\x00\x00")        # a TrueType signature: only the size gives it away
        fh.truncate(size)
    return path


def timed_run(cmd: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - start, done.returncode, done.stderr.strip()


def main() -> None:
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        font = sparse_font(tmp_path)
        faces = "".join(f'{face} = "{font.name}"\n' for face in ("regular", "bold", "italic", "bold_italic"))
        style = tmp_path / "huge.toml"
        style.write_text(f'extends = "default"\nembed_fonts = true\n[fonts.serif]\nname = "Huge"\n{faces}', "utf-8")

        start = time.perf_counter()
        try:
            load_style(style)
        except StyleError:
            pass
        else:
            raise SystemExit("the 2 GB font was accepted")
        in_process = time.perf_counter() - start
        print(f"2 GB sparse .ttf named in a style ({font.stat().st_blocks * 512 // 1024} KB on disk)")
        print(f"  load_style refuses it in {in_process * 1000:.1f} ms (in-process)")
        for fmt in FORMATS:
            base = [sys.executable, "-m", "exporter", "export", str(SAMPLE), "-f", fmt, "-q"]
            refused = [timed_run(base + ["-o", str(tmp_path / f"x.{fmt}"), "--style", str(style)]) for _ in range(RUNS)]
            normal = [timed_run(base + ["-o", str(tmp_path / f"ok.{fmt}")]) for _ in range(RUNS)]
            seconds, code, err = statistics.median(r[0] for r in refused), refused[0][1], refused[0][2]
            one_line = len(err.splitlines()) == 1
            print(f"  {fmt:<5} refused in {seconds * 1000:6.0f} ms (whole process, median of {RUNS}; a normal export "
                  f"{statistics.median(r[0] for r in normal) * 1000:.0f} ms), exit {code}, "
                  f"{'one line' if one_line else 'NOT one line'}, nothing written: {not (tmp_path / f'x.{fmt}').exists()}")
        print(f"  message: {err}")


if __name__ == "__main__":
    main()
