"""The command line: output naming, stdin/stdout, batches with bad inputs, exit codes and
one-line errors (shared/CONVENTIONS.md).  Uses the json writer so it needs no other writer."""
from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

import pytest

from cli_support import run_cli, run_process
from support import STORY, SAMPLE



def assert_one_line_error(result, *needles: str, code: int = 1) -> None:
    assert result.code == code, result.err
    assert "Traceback" not in result.err
    errors = [line for line in result.err_lines if line.startswith("exporter: error: ")]
    assert len(errors) >= 1, result.err
    for needle in needles:
        assert any(needle in line for line in errors), (needle, result.err)


def test_export_json_next_to_the_input_matches_inspect_and_stdout(story: Path):
    result = run_cli(["export", str(story), "-f", "json"])
    assert result.code == 0, result.err
    written = (story.parent / "story.json").read_bytes()
    data = json.loads(written)
    assert data["schema"] == "exporter/article@1"
    assert run_cli(["inspect", str(story), "--json"]).out == written
    assert run_cli(["export", str(story), "-f", "json", "-o", "-"]).out == written


def test_inspect_tree_shows_meta_blocks_and_dropped(tmp_path: Path):
    result = run_cli(["inspect", str(SAMPLE)])
    assert result.code == 0, result.err
    text = result.out.decode("utf-8")
    assert text.startswith("meta\n") and "\nbody (" in text and "\ndropped (" in text
    assert "share-widget" in text or "Share this" not in text.split("\ndropped (")[0]


def test_stdin_to_directory_is_named_from_the_title(tmp_path: Path):
    result = run_cli(["export", "-", "-f", "json", "-o", str(tmp_path / "out") + "/"], stdin=STORY.encode())
    assert result.code == 0, result.err
    names = os.listdir(tmp_path / "out")
    assert names == ["Talks end without a deal.json"]


def test_stdin_to_stdout(tmp_path: Path):
    result = run_cli(["export", "-", "-f", "json", "-o", "-"], stdin=STORY.encode())
    assert result.code == 0
    assert json.loads(result.out)["meta"]["title"] == "Talks end without a deal"


@pytest.mark.parametrize("out", ["dir", "-"])
def test_stdin_is_read_once_and_its_warnings_said_once(tmp_path: Path, monkeypatch, out: str):
    """The outputs are named after stdin's title, so the CLI reads the article before the export;
    the export renders that article rather than reading a long input a second time."""
    import exporter.api

    reads = []
    real_read = exporter.api.read
    monkeypatch.setattr(exporter.api, "read", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    # no headline (the title comes from the lede) and an invalid byte: two reading warnings
    text = "The council voted on Tuesday to keep the harbour ferry running for another ten years.\n\n" \
           "Residents welcomed the decision, and the operator said fares would not rise.\n"
    target, formats = ("-", "json") if out == "-" else (str(tmp_path / "out") + "/", "json,html")
    result = run_cli(["export", "-", "-f", formats, "-o", target], stdin=text.encode() + b" caf\xc3\xa9 \xff.\n")
    assert result.code == 0, result.err
    assert len(reads) == 1
    warnings = [line for line in result.err_lines if line.startswith("exporter: warning: ")]
    assert len(warnings) == len(set(warnings)) >= 1, result.err
    assert any("U+FFFD" in line or "invalid" in line for line in warnings), result.err


def test_metadata_flags_override_inference(story: Path):
    result = run_cli(["inspect", str(story), "--json", "--title", "Given", "--source", "Wire", "--lang", "fr",
                      "--date", "2025-05-17"])
    meta = json.loads(result.out)["meta"]
    assert (meta["title"], meta["title_origin"], meta["source"], meta["language"], meta["date"]) == (
        "Given", "caller", "Wire", "fr", "2025-05-17")


def test_a_bad_input_in_a_batch_does_not_stop_the_others(tmp_path: Path, story: Path):
    other = tmp_path / "other.txt"
    other.write_text("Another story\n\nIt has one paragraph of text.\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = run_cli(["export", str(story), str(missing), str(other), "-f", "json", "-o", str(tmp_path / "out")])
    assert_one_line_error(result, "missing.txt", code=1)
    assert sorted(os.listdir(tmp_path / "out")) == ["other.json", "story.json"]

    result = run_cli(["export", str(missing), str(other), "-f", "json", "-o", str(tmp_path / "ff"), "--fail-fast"])
    assert result.code == 1
    assert not (tmp_path / "ff" / "other.json").exists()


BAD_INPUTS = {
    "empty.txt": b"",
    "blank.txt": b"  \n\t\n  \n",
    "doc.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
    "pic.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
    "arch.zip": b"PK\x03\x04" + bytes(64),
    "comp.gz": gzip.compress(b"hello world " * 20),
    "nul.txt": b"\x00\x01\x00\x02\x00\x03" * 200,
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_naming_the_input(tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    result = run_cli(["export", str(path), "-f", "json"])
    assert_one_line_error(result, name, code=1)
    assert sorted(os.listdir(tmp_path)) == [name]


def test_directory_and_missing_inputs(tmp_path: Path):
    assert_one_line_error(run_cli(["export", str(tmp_path), "-f", "json"]), "directory")
    assert_one_line_error(run_cli(["inspect", str(tmp_path / "nope.txt")]), "nope.txt", "no such file")


@pytest.mark.parametrize("args, needle", [
    (["-f", "odt"], "unknown format"),
    (["-f", "json", "-o", "x.pdf"], "does not match"),
    (["-f", "json", "-f", "all", "-o", "-"], "stdout"),
    (["--style", "no-such-style"], "no-such-style"),
    (["--set", "body.size=huge"], "body.size"),
    (["--jobs", "0"], "--jobs"),
    (["--no-such-flag"], "--no-such-flag"),
])
def test_usage_errors_exit_2_with_one_line(story: Path, args, needle):
    result = run_cli(["export", str(story), *args])
    assert_one_line_error(result, needle, code=2)
    assert sorted(os.listdir(story.parent)) == ["story.txt"]


def test_two_outputs_with_one_name_is_a_usage_error_before_writing(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in "ab":
        (tmp_path / d / "s.txt").write_text(STORY, encoding="utf-8")
    result = run_cli(["export", str(tmp_path / "a" / "s.txt"), str(tmp_path / "b" / "s.txt"), "-f", "json",
                      "-o", str(tmp_path / "out")])
    assert_one_line_error(result, "written twice", code=2)
    assert not (tmp_path / "out").exists()


def test_output_that_is_the_input_is_refused(tmp_path: Path):
    source = tmp_path / "story.json"          # a text article that happens to end in .json
    source.write_text(STORY, encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(source)
    for target in (source, link):
        result = run_cli(["export", str(source), "-f", "json", "-o", str(target)])
        assert_one_line_error(result, "input", code=1)
        assert source.read_text(encoding="utf-8") == STORY


def test_a_failing_writer_leaves_no_file_and_no_temp(tmp_path: Path, story: Path, monkeypatch):
    from exporter import writers

    class Broken:
        name, media_type, extension, uses_style = "json", "application/json", "json", False

        def write(self, document, style, out, options):
            out.write(b"{ partial")
            raise RuntimeError("disk on fire")

    monkeypatch.setitem(writers._cache, "json", Broken())
    result = run_cli(["export", str(story), "-f", "json"])
    assert_one_line_error(result, "story.txt", "disk on fire", code=1)
    assert sorted(os.listdir(story.parent)) == ["story.txt"]


def test_jobs_give_the_same_files(tmp_path: Path, monkeypatch):
    # A styled format as well as JSON: the style the CLI loads up front must reach the workers too.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    inputs = []
    for number in range(3):
        path = tmp_path / f"s{number}.txt"
        path.write_text(f"Story number {number}\n\nParagraph {number} has some words in it.\n", encoding="utf-8")
        inputs.append(str(path))
    common = ["export", *inputs, "-f", "json", "-f", "epub", "--set", "body.size=12pt"]
    assert run_cli([*common, "-o", str(tmp_path / "one")]).code == 0
    parallel = run_cli([*common, "-o", str(tmp_path / "two"), "--jobs", "2"])
    assert parallel.code == 0, parallel.err
    for number in range(3):
        for suffix in (".json", ".epub"):
            name = f"s{number}{suffix}"
            assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_formats_and_styles_listings():
    formats = run_cli(["formats"])
    assert formats.code == 0 and b"json" in formats.out
    styles = run_cli(["styles"])
    assert styles.code == 0 and set(styles.out.decode().split()) >= {"default", "briefing", "ebook", "letter"}
    shown = run_cli(["styles", "show", "briefing"])
    assert shown.code == 0 and b"[page" in shown.out


def test_real_process_python_m_and_plain_usage_errors(tmp_path: Path, story: Path):
    ok = run_process(["export", str(story), "-f", "json", "-o", "-"])
    assert ok.code == 0 and json.loads(ok.out)["schema"] == "exporter/article@1"
    bad = run_process(["export", str(story), "--format"])
    assert bad.code == 2 and "Traceback" not in bad.err and "╭" not in bad.err
    assert bad.err_lines and all(line.startswith("exporter: error: ") for line in bad.err_lines)
    missing = run_process(["export"])
    assert missing.code == 2 and missing.err_lines[0].startswith("exporter: error: ")


def test_an_in_process_caller_keeps_its_collector_as_it_was(tmp_path: Path):
    # main(argv) is how tests and embedding hosts call the CLI: it must change no process-wide
    # collector state (neither pause it nor freeze objects).
    import gc

    story, other = tmp_path / "story.txt", tmp_path / "other.txt"
    story.write_text("A title\n\nSome words of the story.\n", encoding="utf-8")
    other.write_text("Another title\n\nSome other words.\n", encoding="utf-8")
    seen = []
    import exporter.cli as cli

    original = cli.run_export

    def spy(request):
        seen.append(gc.isenabled())
        return original(request)

    cli.run_export = spy
    frozen = gc.get_freeze_count()
    try:
        assert run_cli(["export", str(story), str(other), "-f", "json", "-o", str(tmp_path / "out")]).code == 0
        assert seen == [True, True]
        assert run_cli(["export", str(tmp_path / "missing.txt"), "-f", "json"]).code == 1
        assert gc.isenabled() and gc.get_freeze_count() == frozen
        gc.disable()                             # a host that runs without the collector keeps it off
        try:
            assert run_cli(["export", str(story), "-f", "json", "-o", str(tmp_path / "again")]).code == 0
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        cli.run_export = original


_COLLECTOR_PROBE = """
import gc, sys
import exporter.api as api
import exporter.cli as cli
seen = []
real_read, real_render = api.read, api.render
api.read = lambda *a, **k: seen.append(("read", gc.isenabled(), gc.get_freeze_count() > 0)) or real_read(*a, **k)
api.render = lambda *a, **k: seen.append(("render", gc.isenabled(), gc.get_freeze_count() > 0)) or real_render(*a, **k)
try:
    cli.main()
finally:
    print(seen, file=sys.stderr)
"""


def test_a_command_that_owns_the_process_freezes_start_up_and_keeps_the_collector_on(tmp_path: Path):
    # The whole-process case: start-up objects are frozen (full collections skip them), and the
    # collector is on for every article of a briefing, the first included.
    import subprocess

    inputs = []
    for number in range(3):
        path = tmp_path / f"b{number}.txt"
        path.write_text(f"Story {number}\n\nParagraph {number} has some words in it.\n", encoding="utf-8")
        inputs.append(str(path))
    done = subprocess.run([sys.executable, "-c", _COLLECTOR_PROBE, "briefing", *inputs, "-f", "json",
                           "-o", str(tmp_path / "b.json"), "-q"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = eval(done.stderr.strip().splitlines()[-1])  # noqa: S307 - our own probe's repr of a list
    assert [step for step, _, _ in seen] == ["read", "read", "read", "render"]
    assert all(enabled and frozen for _, enabled, frozen in seen)


def test_worker_processes_start_with_the_collector_on(tmp_path: Path, monkeypatch):
    # Workers are forked from the CLI process and each runs many exports: the collector is on
    # when they start (python-docx documents live in reference cycles).
    import concurrent.futures
    import gc

    seen = []

    class InlinePool:
        def __init__(self, max_workers):
            seen.append(gc.isenabled())

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, *args):
            future = concurrent.futures.Future()
            future.set_result(fn(*args))
            return future

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", InlinePool)
    inputs = []
    for number in range(2):
        path = tmp_path / f"s{number}.txt"
        path.write_text(f"Story {number}\n\nWords of story {number}.\n", encoding="utf-8")
        inputs.append(str(path))
    assert run_cli(["export", *inputs, "-f", "json", "-o", str(tmp_path / "out"), "--jobs", "2"]).code == 0
    assert seen == [True]


