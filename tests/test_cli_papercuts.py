"""The command line says what it does (issue 19, point 4): comma formats, checked --date/--lang,
readable help with metavars, shell completion, capped --jobs, py.typed, metadata cleaning."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import exporter
from cli_support import run_cli, run_process


def test_format_takes_comma_lists(story: Path):
    result = run_cli(["export", str(story), "-f", "json,docx", "-f", "json"])
    assert result.code == 0, result.err
    assert sorted(p.name for p in story.parent.iterdir()) == ["story.docx", "story.json", "story.txt"]


@pytest.mark.parametrize("args, needle", [
    (["--date", "yesterday"], "--date 'yesterday': not an ISO 8601 date"),
    (["--lang", "xx_YY_bad"], "--lang 'xx_YY_bad': not a well-formed BCP 47 language tag"),
])
def test_bad_date_and_language_are_usage_errors(story: Path, args, needle):
    for command in (["export", str(story), "-f", "json"], ["inspect", str(story)]):
        result = run_cli([*command, *args])
        assert result.code == 2
        assert len(result.err_lines) == 1 and result.err_lines[0].startswith(f"exporter: error: {needle}")
    assert sorted(p.name for p in story.parent.iterdir()) == ["story.txt"]


def test_an_underscore_language_is_normalised_with_a_note(story: Path):
    result = run_cli(["inspect", str(story), "--json", "--lang", "pt_BR"])
    assert result.code == 0
    assert json.loads(result.out)["meta"]["language"] == "pt-BR"
    assert result.err_lines == ["exporter: warning: --lang 'pt_BR': read as the BCP 47 tag 'pt-BR'"]


def test_a_bare_exporter_prints_the_whole_help_readably():
    result = run_process([])
    assert result.code == 0
    text = result.out.decode()
    assert text.startswith("Usage: exporter [OPTIONS] COMMAND [ARGS]...")
    assert len(text.splitlines()) > 10 and "error" not in result.err
    for command in ("export", "inspect", "briefing", "formats", "styles"):
        assert f"\n  {command} " in text


@pytest.mark.parametrize("command", [["export"], ["inspect"], ["briefing"], ["styles", "show"], []])
def test_help_shows_metavars_not_python_types(command):
    result = run_cli([*command, "--help"])
    assert result.code == 0
    text = result.out.decode()
    assert "<list[" not in text and "<str>" not in text and "<int" not in text, text
    if command == ["export"]:
        for metavar in ("-f, --format FORMAT", "-o, --output PATH", "--set KEY=VALUE", "-j, --jobs N",
                        "--date DATE", "--lang TAG", "INPUT"):
            assert metavar in text, metavar


@pytest.mark.parametrize("shell, marker", [("bash", "_exporter_completion()"), ("zsh", "#compdef exporter"),
                                           ("fish", "complete --command exporter")])
def test_shell_completion_scripts(shell, marker):
    result = run_process(["--show-completion", shell], env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert result.code == 0, result.err
    assert marker in result.out.decode()


def test_completion_offers_formats_and_styles():
    def complete(words: str) -> list[str]:
        env = dict(os.environ, COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - 1 + words.endswith(" ")),
                   _EXPORTER_COMPLETE="complete_bash")
        proc = subprocess.run([sys.executable, "-m", "exporter"], env=env, capture_output=True, text=True, timeout=60)
        return proc.stdout.split()

    assert complete("exporter exp") == ["export"]
    assert complete("exporter export a.txt -f pdf,d") == ["pdf,docx"]
    assert "briefing" in complete("exporter export a.txt --style b")


def test_jobs_are_capped_at_the_cpu_count_with_a_note(tmp_path: Path, monkeypatch):
    inputs = []
    for number in range(3):
        path = tmp_path / f"s{number}.txt"
        path.write_text(f"Story {number}\n\nParagraph {number} has words.\n", encoding="utf-8")
        inputs.append(str(path))
    import exporter.cli as cli
    monkeypatch.setattr(cli.os, "cpu_count", lambda: 2)
    seen: list[int] = []
    real_run_all = cli._run_all
    monkeypatch.setattr(cli, "_run_all", lambda requests, jobs, fail_fast: seen.append(jobs) or real_run_all(requests, 1, fail_fast))
    result = run_cli(["export", *inputs, "-f", "json", "-j", "10000"])
    assert result.code == 0, result.err
    assert seen == [2]
    assert result.err_lines == ["exporter: warning: --jobs 10000: using 2, the number of CPUs"]


def test_the_package_ships_py_typed():
    assert (Path(exporter.__file__).parent / "py.typed").is_file()


def test_metadata_flags_are_cleaned_the_same_in_every_format(story: Path, tmp_path: Path):
    """Invalid UTF-8 in --title (bytes on the command line) and control characters in --byline."""
    out = tmp_path / "out"
    args = [sys.executable, "-m", "exporter", "export", str(story), "-f", "json,docx,epub", "-o", str(out) + "/",
            b"--title", b"Caf\xe9 talks", "--byline", "Jane\x07 Doe\x1b"]
    proc = subprocess.run(args, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode().splitlines() == ["exporter: warning: --title: 1 invalid UTF-8 byte sequence replaced with U+FFFD"]
    meta = json.loads((out / "story.json").read_text(encoding="utf-8"))["meta"]
    assert (meta["title"], meta["byline"]) == ("Caf\ufffd talks", "Jane Doe")
    from docx import Document
    core = Document(str(out / "story.docx")).core_properties
    assert (core.title, core.author) == ("Caf\ufffd talks", "Jane Doe")
    with zipfile.ZipFile(out / "story.epub") as book:
        opf = next(book.read(n).decode() for n in book.namelist() if n.endswith(".opf"))
    assert "Caf\ufffd talks" in opf and "Jane Doe" in opf and "\x07" not in opf


def test_a_closed_stdin_is_a_one_line_error():
    proc = subprocess.run([sys.executable, "-m", "exporter", "export", "-", "-f", "json", "-o", "-"],
                          capture_output=True, preexec_fn=lambda: os.close(0), timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.decode().splitlines() == ["exporter: error: -: standard input is closed"]


def test_stdin_over_the_input_cap_is_refused_in_one_line(monkeypatch):
    from cli_support import run_cli as run
    import exporter.api as api
    monkeypatch.setattr(api, "MAX_INPUT_BYTES", 1000)
    result = run(["export", "-", "-f", "json", "-o", "-"], stdin=b"word " * 1000)
    assert result.code == 1 and result.err_lines == ["exporter: error: <stdin>: larger than 1,000 bytes; not an article"]
