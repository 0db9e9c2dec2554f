"""Where output goes (issue 19, point 1): what `-o` names decides how it is written.

Real FIFOs, symlinks and dangling links in temp directories; never real /dev nodes.  Failed
writes are provoked with a FIFO whose reader closes early and with RLIMIT_FSIZE in a child."""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from cli_support import run_cli, run_process
from exporter.errors import OutputError
from exporter.output import write_output
from support import STORY


def _drain(fifo: Path, into: list[bytes], stop_after: int | None = None) -> threading.Thread:
    """A reader on the other end of ``fifo``: reads all (or ``stop_after`` bytes, then closes)."""
    def run() -> None:
        with open(fifo, "rb") as handle:
            into.append(handle.read() if stop_after is None else handle.read(stop_after))
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _names(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


# ----------------------------------------------------------------------------- the write_output rules
def test_a_plain_file_is_replaced_whole_and_keeps_its_mode(tmp_path: Path):
    target = tmp_path / "out.pdf"
    write_output(target, lambda s: s.write(b"first"))
    assert target.read_bytes() == b"first"
    os.chmod(target, 0o640)
    write_output(target, lambda s: s.write(b"second"))
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _names(tmp_path) == ["out.pdf"]


def test_a_symlink_to_a_file_is_written_through_and_stays_a_link(tmp_path: Path):
    real = tmp_path / "real.pdf"
    real.write_bytes(b"old")
    os.chmod(real, 0o600)
    link = tmp_path / "link.pdf"
    link.symlink_to("real.pdf")
    write_output(link, lambda s: s.write(b"new"))
    assert link.is_symlink() and os.readlink(link) == "real.pdf"
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert _names(tmp_path) == ["link.pdf", "real.pdf"]


def test_a_dangling_link_creates_its_target_and_stays_a_link(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.pdf"
    link.symlink_to(tmp_path / "sub" / "made.pdf")
    write_output(link, lambda s: s.write(b"data"))
    assert link.is_symlink()
    assert (tmp_path / "sub" / "made.pdf").read_bytes() == b"data"


def test_a_dangling_link_into_a_missing_directory_is_a_one_line_error(tmp_path: Path):
    link = tmp_path / "link.pdf"
    link.symlink_to(tmp_path / "nowhere" / "x.pdf")
    with pytest.raises(OutputError, match=r"link\.pdf: a dangling link into .*nowhere, which does not exist"):
        write_output(link, lambda s: s.write(b"data"))
    assert link.is_symlink() and _names(tmp_path) == ["link.pdf"]


def test_a_fifo_is_streamed_into_and_stays_a_fifo(tmp_path: Path):
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    write_output(fifo, lambda s: s.write(b"x" * 300_000))
    reader.join(10)
    assert got == [b"x" * 300_000]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _names(tmp_path) == ["pipe.pdf"]


def test_a_symlink_to_a_fifo_is_streamed_into(tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.pdf"
    link.symlink_to(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    write_output(link, lambda s: s.write(b"through"))
    reader.join(10)
    assert got == [b"through"]
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_gets_nothing_when_the_writer_fails(tmp_path: Path):
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)

    def failing(stream):
        stream.write(b"half")
        raise RuntimeError("broke")

    with pytest.raises(RuntimeError):
        write_output(fifo, failing)          # rendered in memory first: the FIFO is never opened
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_directory_is_refused(tmp_path: Path):
    with pytest.raises(OutputError, match="is a directory"):
        write_output(tmp_path, lambda s: s.write(b"x"))


def test_an_output_naming_an_input_is_refused_also_through_a_link(tmp_path: Path):
    source = tmp_path / "story.txt"
    source.write_text("x")
    link = tmp_path / "alias.pdf"
    link.symlink_to(source)
    with pytest.raises(OutputError, match="is the input"):
        write_output(link, lambda s: s.write(b"pdf"), inputs=[source])
    assert source.read_text() == "x"


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="O_TMPFILE is Linux-only")
def test_a_killed_export_leaves_no_temp_file(tmp_path: Path):
    """kill -9 in the middle of writing: the unnamed O_TMPFILE vanishes with the process."""
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    ready = tmp_path / "ready"
    code = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from exporter.output import write_output
        def slow(stream):
            stream.write(b"partial" * 1000)
            stream.flush()
            Path({str(ready)!r}).touch()
            time.sleep(60)
        write_output(Path({str(target)!r}), slow)
    """)
    child = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists(), "child never started writing"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(10)
    assert _names(tmp_path) == ["out.pdf", "ready"]
    assert target.read_bytes() == b"old"


# ------------------------------------------------------------------------------------- the CLI
def test_cli_writes_through_a_link_and_into_a_fifo(tmp_path: Path, story: Path):
    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run_cli(["export", str(story), "-o", str(link)]).code == 0
    assert link.is_symlink() and real.read_bytes().startswith(b"{")

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    result = run_cli(["export", str(story), "-f", "json", "-o", str(fifo)])
    reader.join(10)
    assert result.code == 0, result.err
    assert got == [real.read_bytes()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_cli_output_that_is_an_input_through_a_link_is_refused(tmp_path: Path, story: Path):
    link = tmp_path / "alias.json"
    link.symlink_to(story)
    result = run_cli(["export", str(story), "-o", str(link)])
    assert result.code == 1 and "is the input" in result.err
    assert story.read_text(encoding="utf-8") == STORY


def test_a_fifo_whose_reader_closes_early_is_a_failed_write(tmp_path: Path):
    # An output far larger than a pipe's buffer (64 KiB), so the writer is still writing when the
    # reader hangs up.
    long_story = tmp_path / "long.txt"
    long_story.write_text("Long story\n\n" + "".join(f"Paragraph {n} tells of the talks in more words.\n\n"
                                                     for n in range(3000)), encoding="utf-8")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got, stop_after=10)       # reads 10 bytes, then hangs up
    result = run_process(["export", str(long_story), "-f", "json", "-o", str(fifo)])
    reader.join(10)
    assert result.code == 1, result.err
    assert result.err_lines == [f"exporter: error: {fifo}: write failed: Broken pipe"]


def _limited(limit: int):
    def apply() -> None:
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_short_write_to_stdout_is_an_error_not_success(tmp_path: Path, story: Path):
    """RLIMIT_FSIZE in the child: stdout redirected to a file may hold only 2,000 bytes."""
    for args in (["export", str(story), "-f", "pdf", "-o", "-"], ["export", str(story), "-f", "json", "-o", "-"],
                 ["inspect", str(story), "--json"]):
        out_path = tmp_path / "o.out"
        with open(out_path, "wb") as out:
            proc = subprocess.run([sys.executable, "-m", "exporter", *args], stdout=out, stderr=subprocess.PIPE,
                                  preexec_fn=_limited(2000 if "pdf" in args else 200), timeout=120)
        err = proc.stderr.decode()
        assert proc.returncode == 1, (args, err)
        assert err.strip().splitlines() == ["exporter: error: -: write failed: File too large"], (args, err)


def test_a_short_write_to_a_file_is_an_error_and_leaves_nothing(tmp_path: Path, story: Path):
    target = tmp_path / "out.pdf"
    proc = subprocess.run([sys.executable, "-m", "exporter", "export", str(story), "-o", str(target)],
                          capture_output=True, preexec_fn=_limited(2000), timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert len(err.strip().splitlines()) == 1 and "File too large" in err, err
    assert _names(tmp_path) == ["story.txt"]


def test_a_closed_stdout_is_a_one_line_error(story: Path):
    proc = subprocess.run([sys.executable, "-m", "exporter", "export", str(story), "-f", "json", "-o", "-"],
                          stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.decode().strip().splitlines() == ["exporter: error: -: write failed: standard output is closed"]


def test_many_inputs_with_one_file_name_is_a_usage_error_that_creates_nothing(tmp_path: Path, story: Path):
    other = tmp_path / "other.txt"
    other.write_text(STORY.replace("Friday", "Monday"), encoding="utf-8")
    before = _names(tmp_path)
    for out in ("one.pdf", "one.json", "one.txt"):
        result = run_cli(["export", str(story), str(other), "-f", "json", "-o", str(tmp_path / out)])
        assert result.code == 2 and "need a directory" in result.err, result.err
    result = run_cli(["export", str(story), "-f", "pdf,json", "-o", str(tmp_path / "x.pdf")])
    assert result.code == 2 and "need a directory" in result.err
    assert _names(tmp_path) == before
    # a new name without a suffix, or ending in '/', is a directory
    assert run_cli(["export", str(story), str(other), "-f", "json", "-o", str(tmp_path / "made")]).code == 0
    assert _names(tmp_path / "made") == ["other.json", "story.json"]
