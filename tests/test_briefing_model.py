"""The briefing document model, its JSON and the briefing command with the json writer."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import run_cli
from exporter.ast import Article, ASTFormatError, Meta, Paragraph, Quote, Text
from exporter.briefing import Briefing, build_briefing

jsonschema = pytest.importorskip("jsonschema")


def _schema_validator():
    from referencing import Registry, Resource

    from exporter.ast import schema_path

    folder = schema_path().parent
    article = json.loads((folder / "article.schema.json").read_text(encoding="utf-8"))
    briefing = json.loads((folder / "briefing.schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resources([(article["$id"], Resource.from_contents(article)),
                                          (briefing["$id"], Resource.from_contents(briefing))])
    return jsonschema.Draft202012Validator(briefing, registry=registry)


def make(title: str, source: str, speaker: str | None = "Ann Lee") -> Article:
    quote = Quote("speech", speaker, (Text("“We will ‘see’.”"),))
    return Article(Meta(title=title, source=source, language="en"),
                   (Paragraph((Text("Intro words."),)), Paragraph((quote, Text(" she said.")))))


def test_build_briefing_ids_sources_key_quotes_and_duplicates():
    warnings: list[str] = []
    first, second = make("One", "Wire"), make("Two", "Post", speaker=None)
    doc = build_briefing([first, second, first], title="Morning", warn=warnings.append)
    assert [a.id for a in doc.articles] == ["a01", "a02"]
    assert len(warnings) == 1 and "twice" in warnings[0]
    assert doc.sources == ("Wire", "Post")
    # key quotes are the presentation layer's selection, made when the briefing is shown: the
    # briefing stores none, so its JSON cannot drift from what is printed
    assert "key_quotes" not in json.loads(doc.to_json())
    assert Briefing.from_json(doc.to_json()) == doc
    _schema_validator().validate(json.loads(doc.to_json()))


def test_briefing_json_written_with_a_key_quotes_list_still_reads_and_drops_it():
    doc = build_briefing([make("One", "Wire")], title="Morning")
    legacy = json.loads(doc.to_json())
    legacy["key_quotes"] = [{"speaker": "Ann Lee", "text": "“We will ‘see’.”", "article_id": "a01", "block": 1}]
    _schema_validator().validate(legacy)
    assert Briefing.from_dict(legacy) == doc
    legacy["key_quotes"] = ["not a row"]
    with pytest.raises(ASTFormatError, match="key_quotes"):
        Briefing.from_dict(legacy)


def write_story(path: Path, title: str, words: str) -> Path:
    path.write_text(f"{title}\n\n{words}\n", encoding="utf-8")
    return path


def test_briefing_command_json_with_manifest_and_skip_bad(tmp_path: Path):
    write_story(tmp_path / "b.txt", "Second story", "Words of the second story are here.")
    write_story(tmp_path / "a.txt", "First story", "Words of the first story are here.")
    (tmp_path / "bad.txt").write_bytes(b"")
    manifest = tmp_path / "brief.toml"
    manifest.write_text('title = "From manifest"\n[[article]]\npath = "b.txt"\nsource = "Wire"\n'
                        '[[article]]\npath = "a.txt"\n', encoding="utf-8")
    result = run_cli(["briefing", str(manifest), "-f", "json", "-o", str(tmp_path / "out.json"),
                      "--prepared-for", "The Minister", "--date", "2025-05-18"])
    assert result.code == 0, result.err
    doc = json.loads((tmp_path / "out.json").read_bytes())
    assert doc["schema"] == "exporter/briefing@1"
    assert [a["article"]["meta"]["title"] for a in doc["articles"]] == ["Second story", "First story"]
    assert doc["articles"][0]["article"]["meta"]["source"] == "Wire"
    assert (doc["meta"]["title"], doc["meta"]["prepared_for"], doc["meta"]["date"]) == ("From manifest", "The Minister", "2025-05-18")

    failing = run_cli(["briefing", str(tmp_path / "a.txt"), str(tmp_path / "bad.txt"), "-f", "json",
                       "-o", str(tmp_path / "x.json")])
    assert failing.code == 1 and "bad.txt" in failing.err and "Traceback" not in failing.err
    assert not (tmp_path / "x.json").exists()

    skipped = run_cli(["briefing", str(tmp_path / "a.txt"), str(tmp_path / "bad.txt"), "-f", "json",
                       "-o", str(tmp_path / "x.json"), "--skip-bad"])
    assert skipped.code == 0, skipped.err
    notes = json.loads((tmp_path / "x.json").read_bytes())["meta"]["notes"]
    assert len(notes) == 1 and "bad.txt" in notes[0]


def test_briefing_inputs_from_directory_and_glob(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("2.txt", "1.txt"):
        write_story(folder / name, f"Story {name[0]}", f"Body of story {name[0]} has words.")
    by_dir = run_cli(["briefing", str(folder), "-f", "json", "-o", "-"])
    by_glob = run_cli(["briefing", str(folder / "*.txt"), "-f", "json", "-o", "-"])
    assert by_dir.code == 0 and by_dir.out == by_glob.out
    titles = [a["article"]["meta"]["title"] for a in json.loads(by_dir.out)["articles"]]
    assert titles == ["Story 1", "Story 2"]
    assert run_cli(["briefing", str(tmp_path / "none*.txt"), "-f", "json", "-o", "-"]).code == 1


def test_the_api_function_is_not_shadowed_by_the_model_module():
    import exporter
    import exporter.briefing  # noqa: F401  (the model module)
    from exporter.writers import get_writer

    get_writer("json")
    article = exporter.read("Title here\n\nSome words in a paragraph.\n")
    assert isinstance(exporter.briefing([article]), Briefing)
    assert isinstance(exporter.briefing([article]), Briefing)
