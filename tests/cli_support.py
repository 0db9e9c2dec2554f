"""Run the CLI in-process (fast) or in a subprocess (for what only a real process shows)."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass

from exporter.cli import main


@dataclass
class CliResult:
    code: int
    out: bytes
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def isatty(self) -> bool:
        return False

    def close(self) -> None:  # multiprocessing closes stdin in a forked worker
        self.buffer.close()


class _Stdout:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def write(self, text: str) -> int:
        return self.buffer.write(text.encode("utf-8"))

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def run_cli(args: list[str], stdin: bytes = b"", monkeypatch=None) -> CliResult:
    """``exporter ARGS`` in this process; returns exit code, stdout bytes and stderr text."""
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = _Stdin(stdin), _Stdout(), io.StringIO()
    out, err = sys.stdout, sys.stderr
    try:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return CliResult(code, out.buffer.getvalue(), err.getvalue())


def run_process(args: list[str], stdin: bytes = b"", cwd=None, env=None) -> CliResult:
    """``python -m exporter ARGS`` in a fresh process."""
    environment = dict(os.environ, **(env or {}))
    proc = subprocess.run([sys.executable, "-m", "exporter", *args], input=stdin, capture_output=True,
                          cwd=cwd, env=environment, timeout=120)
    return CliResult(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))
