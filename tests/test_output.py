"""File naming, atomic writes, the build time and output planning (no reader or writer needed)."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from exporter.batch import plan_outputs
from exporter.errors import OutputError, UsageError
from exporter.output import build_time_from_env, same_file, sanitize_filename, write_output


@pytest.mark.parametrize("title, expected", [
    ("Trump to speak to Putin: what next?", "Trump to speak to Putin what next"),
    ("../../etc/passwd", "etc passwd"),
    ("-rf", "rf"),
    (".hidden", "hidden"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("a\u202ecod.exe", "acod.exe"),
    ("tab\there\x07", "tab here"),
    ("", "untitled"),
    (None, "untitled"),
    ("  ...  ", "untitled"),
    ("Cafe\u0301", "Café"),   # NFC
])
def test_sanitize_filename(title, expected):
    assert sanitize_filename(title) == expected


def test_sanitize_filename_limits_utf8_bytes_without_splitting_characters():
    name = sanitize_filename("Ж" * 300)
    assert len(name.encode("utf-8")) <= 200
    name.encode("utf-8").decode("utf-8")


def test_write_output_replaces_only_with_a_complete_file(tmp_path: Path):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def failing(stream):
        stream.write(b"partial")
        raise RuntimeError("writer broke")

    with pytest.raises(RuntimeError):
        write_output(target, failing)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]      # no temp file left

    write_output(target, lambda s: s.write(b"new"))
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_write_output_into_a_missing_directory_is_an_output_error(tmp_path: Path):
    with pytest.raises(OutputError, match="cannot write"):
        write_output(tmp_path / "nope" / "x.pdf", lambda s: s.write(b"x"))


def test_same_file_sees_through_links(tmp_path: Path):
    real = tmp_path / "a.txt"
    real.write_text("x")
    link = tmp_path / "b.txt"
    link.symlink_to(real)
    assert same_file(link, real)
    assert not same_file(tmp_path / "c.txt", real)


def test_build_time_comes_from_source_date_epoch():
    assert build_time_from_env({"SOURCE_DATE_EPOCH": "1700000000"}) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    now = build_time_from_env({})
    assert abs((datetime.now(timezone.utc) - now).total_seconds()) < 5
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        build_time_from_env({"SOURCE_DATE_EPOCH": "yesterday"})


# ---------------------------------------------------------------------------------- output plan
def targets(plan):
    return [[(t.format, None if t.path is None else str(t.path)) for t in per] for per in plan.targets]


def test_plan_defaults_next_to_the_input(tmp_path):
    src = str(tmp_path / "story.txt")
    assert targets(plan_outputs([src], ["json"], None)) == [[("json", str(tmp_path / "story.json"))]]


def test_plan_output_file_takes_format_from_extension(tmp_path):
    out = str(tmp_path / "x.json")
    assert targets(plan_outputs(["a.txt"], [], out)) == [[("json", out)]]
    with pytest.raises(UsageError, match="cannot tell the format"):
        plan_outputs(["a.txt"], [], str(tmp_path / "x.weird"))


def test_plan_extension_must_match_format(tmp_path):
    with pytest.raises(UsageError, match="does not match"):
        plan_outputs(["a.txt"], ["json"], str(tmp_path / "x.pdf"))


def test_plan_directory_forms(tmp_path):
    existing = tmp_path / "outdir"
    existing.mkdir()
    assert targets(plan_outputs(["d/a.txt"], ["json"], str(existing))) == [[("json", str(existing / "a.json"))]]
    assert targets(plan_outputs(["d/a.txt"], ["json"], str(tmp_path / "new") + "/")) == [[("json", str(tmp_path / "new" / "a.json"))]]
    many = plan_outputs(["d/a.txt", "e/b.txt"], ["json"], str(tmp_path / "many"))
    assert targets(many) == [[("json", str(tmp_path / "many" / "a.json"))], [("json", str(tmp_path / "many" / "b.json"))]]


def test_plan_collisions_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="written twice"):
        plan_outputs(["d/a.txt", "e/a.txt"], ["json"], str(tmp_path / "out") + "/")


def test_plan_stdout(tmp_path):
    assert targets(plan_outputs(["a.txt"], ["json"], "-")) == [[("json", None)]]
    with pytest.raises(UsageError, match="stdout"):
        plan_outputs(["a.txt", "b.txt"], ["json"], "-")


def test_plan_stdin_is_named_from_its_title(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plan = plan_outputs(["-"], ["json"], None, stdin_title="Talks: day one?")
    assert targets(plan) == [[("json", str(tmp_path / "Talks day one.json"))]]
    with pytest.raises(UsageError, match="only once"):
        plan_outputs(["-", "-"], ["json"], None)


def test_plan_unknown_format():
    with pytest.raises(UsageError, match="unknown format"):
        plan_outputs(["a.txt"], ["odt"], None)
