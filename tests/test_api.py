"""The public Python API and the writer registry."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

import exporter
from exporter import writers
from exporter.ast import Article, Meta
from exporter.errors import InputError, UsageError

TEXT = "Talks end without a deal\n\nThe two sides met for an hour on Friday.\n"


def test_read_accepts_text_bytes_and_paths(tmp_path: Path):
    path = tmp_path / "s.txt"
    path.write_text(TEXT, encoding="utf-8")
    from_text = exporter.read(TEXT)
    assert exporter.read(TEXT.encode("utf-8")) == from_text
    assert exporter.read(path) == from_text
    assert exporter.read(str(path)) == from_text
    assert from_text.meta.title == "Talks end without a deal"


def test_read_metadata_overrides(tmp_path: Path):
    article = exporter.read(TEXT, title="Chosen", lang="de", source="Wire", tags=["a", "b"])
    assert article.meta.title == "Chosen" and article.meta.title_origin == "caller"
    assert article.meta.language == "de" and article.meta.source == "Wire" and article.meta.tags == ("a", "b")
    with pytest.raises(UsageError, match="unknown field"):
        exporter.read(TEXT, colour="red")


def test_read_errors_are_input_errors(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        exporter.read(tmp_path / "missing.txt")
    with pytest.raises(InputError):
        exporter.read("   \n  ")
    with pytest.raises(InputError):
        exporter.read(b"%PDF-1.4\n")


def test_render_to_a_path_and_a_stream(tmp_path: Path):
    article = exporter.read(TEXT)
    exporter.render(article, "json", tmp_path / "a.json")
    stream = io.BytesIO()
    exporter.render(article, "json", stream)
    assert (tmp_path / "a.json").read_bytes() == stream.getvalue() == exporter.render_bytes(article, "json")
    assert Article.from_json(stream.getvalue()) == article
    with pytest.raises(UsageError, match="unknown format"):
        exporter.render(article, "odt", io.BytesIO())


def test_third_party_writers_come_from_entry_points(monkeypatch):
    class Shout:
        name, media_type, extension, uses_style = "shout", "text/plain", "txt", False

        def write(self, document, style, out, options):
            out.write(document.meta.title.upper().encode())

    monkeypatch.setattr(sys.modules[__name__], "Shout", Shout, raising=False)
    monkeypatch.setattr(writers, "_entry_point_writers", lambda: {"shout": f"{__name__}:Shout", "pdf": "evil:Override"})
    writers._cache.pop("shout", None)
    assert "shout" in writers.writer_names()
    assert exporter.render_bytes(Article(Meta(title="hi")), "shout") == b"HI"
    assert writers.BUILTIN_WRITERS["pdf"] == writers._registry()["pdf"]   # a plug-in never shadows a built-in
    writers._cache.pop("shout", None)


def test_a_broken_plugin_is_named_and_the_other_formats_keep_working(monkeypatch, tmp_path, capsys):
    plugin = tmp_path / "broken_writer_plugin.py"
    plugin.write_text("raise ImportError('needs libfoo')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(writers, "_entry_point_writers",
                        lambda: {"broken": "broken_writer_plugin:Writer", "gone": "no_such_pkg.sub:Writer"})
    writers._cache.pop("broken", None)
    with pytest.raises(UsageError, match=r"format 'broken': plug-in writer broken_writer_plugin:Writer .*ImportError: needs libfoo"):
        writers.get_writer("broken")
    assert "gone" not in writers.writer_names()          # its package is missing: not listed
    assert exporter.render_bytes(Article(Meta(title="t")), "json")   # built-ins unaffected
    assert writers.writer_for_extension("xyz") is None

    from exporter.cli import main
    with pytest.raises(SystemExit) as exit_info:
        main(["formats"])
    assert exit_info.value.code == 0
    out, err = capsys.readouterr()
    assert "pdf" in out and "broken" not in out
    assert err.count("\n") == 1 and "broken_writer_plugin:Writer" in err and "needs libfoo" in err


def test_json_export_imports_no_format_library():
    code = ("import sys, io, exporter; a = exporter.read('T\\n\\nSome words here.\\n');"
            "exporter.render(a, 'json', io.BytesIO());"
            "print([m for m in ('reportlab', 'docx', 'ebooklib') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
