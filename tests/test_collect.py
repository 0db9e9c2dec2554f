"""One collector for every command (issue 19, point 3): files, directories, globs, manifests and
stdin in a deterministic order, and the confined mode for untrusted callers."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_support import run_cli
from exporter.collect import collect_inputs
from exporter.errors import InputError, UsageError


def _story(path: Path, words: str = "The two sides met for an hour on Friday.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Headline of {path.stem}\n\n{words}\n", encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ("b.txt", "a.txt", "c.md", "skip.pdf", "notes.text"):
        _story(tmp_path / "dir" / name)
    (tmp_path / "dir" / "sub").mkdir()
    _story(tmp_path / "one.txt")
    return tmp_path


def paths(collected, root: Path) -> list[str]:
    return [item.path if item.path == "-" else os.path.relpath(item.path, root) for item in collected.items]


def test_files_directories_globs_and_stdin_keep_argument_order_sorted_within(tree: Path):
    collected = collect_inputs([str(tree / "one.txt"), str(tree / "dir"), "-", str(tree / "dir" / "*.txt")])
    assert paths(collected, tree) == ["one.txt", "dir/a.txt", "dir/b.txt", "dir/c.md", "dir/notes.text", "-",
                                      "dir/a.txt", "dir/b.txt"]


def test_a_directory_with_nothing_readable_and_a_glob_matching_nothing_are_errors(tree: Path):
    with pytest.raises(InputError, match="directory holds no articles"):
        collect_inputs([str(tree / "dir" / "sub")])
    with pytest.raises(InputError, match="no file matches"):
        collect_inputs([str(tree / "dir" / "*.html")])


def test_a_manifest_gives_its_articles_with_their_metadata(tree: Path):
    manifest = tree / "brief.toml"
    manifest.write_text('title = "Morning"\n[[article]]\npath = "dir/b.txt"\nsource = "SBS News"\n'
                        '[[article]]\npath = "one.txt"\n', encoding="utf-8")
    collected = collect_inputs([str(manifest)])
    assert paths(collected, tree) == ["dir/b.txt", "one.txt"]
    assert collected.items[0].meta == {"source": "SBS News"}
    assert collected.briefing_meta == {"title": "Morning"}


# ------------------------------------------------------------------------------- confined mode
def test_confined_mode_takes_relative_paths_under_its_root(tree: Path):
    collected = collect_inputs(["one.txt", "dir", "dir/*.md"], root=tree)
    assert paths(collected, tree) == ["one.txt", "dir/a.txt", "dir/b.txt", "dir/c.md", "dir/notes.text", "dir/c.md"]


@pytest.mark.parametrize("spec, problem", [
    ("/etc/passwd", "absolute paths are not allowed"),
    ("../outside.txt", "'..' is not allowed"),
    ("dir/../../outside.txt", "'..' is not allowed"),
    ("-", "standard input is not an input here"),
])
def test_confined_mode_refuses_paths_that_leave_the_root(tree: Path, spec: str, problem: str):
    with pytest.raises(UsageError, match=problem):
        collect_inputs([spec], root=tree / "dir")


def test_confined_mode_refuses_links_out_of_the_root(tree: Path, tmp_path_factory):
    outside = _story(tmp_path_factory.mktemp("elsewhere") / "secret.txt")
    (tree / "dir" / "link.txt").symlink_to(outside)
    (tree / "dir" / "linkdir").symlink_to(outside.parent, target_is_directory=True)
    with pytest.raises(UsageError, match="leads outside"):
        collect_inputs(["link.txt"], root=tree / "dir")
    with pytest.raises(UsageError, match="leads outside"):
        collect_inputs(["linkdir"], root=tree / "dir")
    # a directory or glob silently leaves out what leads outside
    assert "link.txt" not in paths(collect_inputs(["*.txt"], root=tree / "dir"), tree / "dir")
    assert "link.txt" not in paths(collect_inputs(["."], root=tree / "dir"), tree / "dir")


def test_confined_mode_holds_manifests_to_the_same_rule(tree: Path):
    root = tree / "dir"
    (root / "ok.toml").write_text('[[article]]\npath = "a.txt"\n', encoding="utf-8")
    assert paths(collect_inputs(["ok.toml"], root=root), root) == ["a.txt"]
    for bad in ('"/etc/passwd"', '"../one.txt"'):
        (root / "bad.toml").write_text(f"[[article]]\npath = {bad}\n", encoding="utf-8")
        with pytest.raises(UsageError, match="not allowed"):
            collect_inputs(["bad.toml"], root=root)


# ------------------------------------------------------------------------- every command uses it
def test_export_takes_a_directory_and_a_quoted_glob_as_briefing_does(tree: Path):
    out = tree / "out"
    result = run_cli(["export", str(tree / "dir"), "-f", "json", "-o", str(out) + "/"])
    assert result.code == 0, result.err
    assert sorted(os.listdir(out)) == ["a.json", "b.json", "c.json", "notes.json"]
    result = run_cli(["export", str(tree / "dir" / "[ab].txt"), "-f", "json", "-o", str(tree / "out2") + "/"])
    assert result.code == 0, result.err
    assert sorted(os.listdir(tree / "out2")) == ["a.json", "b.json"]


def test_inspect_takes_one_article_through_the_collector(tree: Path):
    assert run_cli(["inspect", str(tree / "dir" / "a*.txt"), "--json"]).code == 0
    result = run_cli(["inspect", str(tree / "dir")])
    assert result.code == 2 and "inspect takes one" in result.err
