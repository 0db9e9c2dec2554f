"""What the public API reads and where it writes (issue 19, points 2 and 5): the str rule, the
input caps, caller metadata cleaning, and every failure leaving the API as an ExporterError."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

import exporter
from exporter import api
from exporter.ast import Article, Meta
from exporter.errors import ExporterError, InputError, OutputError, UsageError
from support import STORY


# ---------------------------------------------------------------------------------- what read reads
def test_a_one_line_str_naming_a_file_reads_the_file(story: Path):
    assert exporter.read(str(story)).meta.title == "Talks end without a deal"
    assert exporter.read_file(str(story)).meta.title == "Talks end without a deal"


@pytest.mark.parametrize("name", ["missing.txt", "notes/missing", "./missing", "story.HTML", "a b c.md"])
def test_a_one_line_str_that_looks_like_a_path_but_names_nothing_is_an_input_error(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        exporter.read(name)


@pytest.mark.parametrize("text", ["Biden/Harris ticket announced today", "A one-line article with no path in it."])
def test_a_one_line_str_that_is_not_path_like_is_the_article(text):
    assert exporter.read(text).meta.title == text.rstrip(".")


def test_read_file_never_takes_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        exporter.read_file("Talks end without a deal")


def test_a_directory_named_by_a_str_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        exporter.read(str(tmp_path))


def test_read_keeps_the_input_cap_for_bytes_and_str(monkeypatch):
    monkeypatch.setattr(api, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(InputError, match="larger than"):
        exporter.read(b"word " * 300)
    with pytest.raises(InputError, match="larger than"):
        exporter.read("word\n" * 300)
    with pytest.raises(InputError, match="larger than"):
        exporter.read("\u00e9\n" * 400)             # 400 characters, 1,200 bytes


def test_read_of_something_else_is_a_usage_error():
    with pytest.raises(UsageError, match="expected article text"):
        exporter.read(42)       # type: ignore[arg-type]


# ------------------------------------------------------------------------------ caller metadata
def test_metadata_is_cleaned_like_article_text():
    warnings: list[str] = []
    # what the CLI receives for the bytes b"caf\xe9" (not UTF-8) under surrogateescape
    bad = b"Caf\xe9 talks".decode("utf-8", "surrogateescape")
    article = exporter.read(STORY, title=bad, byline="Jane\x07 Doe\x1b[31m", source="SBS\nNews", warn=warnings.append)
    assert article.meta.title == "Caf\ufffd talks"
    assert article.meta.byline == "Jane Doe[31m"
    assert article.meta.source == "SBS News"
    assert warnings == ["--title: 1 invalid UTF-8 byte sequence replaced with U+FFFD"]


@pytest.mark.parametrize("value", ["2024-07-12", "2024-07", "2024", "2024-07-12T09:30:00+02:00", "2024-07-12T09:30Z"])
def test_iso_dates_are_accepted(value):
    assert exporter.read(STORY, date=value).meta.date == value


@pytest.mark.parametrize("value", ["yesterday", "12/07/2024", "2024-13-01", "2024-02-30", "2024-07-12T25:00"])
def test_other_dates_are_usage_errors(value):
    with pytest.raises(UsageError, match="not an ISO 8601 date"):
        exporter.read(STORY, date=value)


@pytest.mark.parametrize("value, expected", [("en", "en"), ("pt-BR", "pt-BR"), ("EN-gb", "en-GB"),
                                             ("zh-hant-tw", "zh-Hant-TW"), ("und", "und"), ("es-419", "es-419")])
def test_language_tags_are_well_formed_bcp47_with_canonical_case(value, expected):
    assert exporter.read(STORY, lang=value).meta.language == expected


def test_an_underscore_tag_is_normalised_with_a_note():
    warnings: list[str] = []
    assert exporter.read(STORY, lang="pt_BR", warn=warnings.append).meta.language == "pt-BR"
    assert warnings == ["--lang 'pt_BR': read as the BCP 47 tag 'pt-BR'"]


@pytest.mark.parametrize("value", ["xx_YY_bad", "e1", "e", "en--GB", "en GB", "123"])
def test_malformed_language_tags_are_usage_errors(value):
    with pytest.raises(UsageError, match="BCP 47"):
        exporter.read(STORY, lang=value)


# --------------------------------------------------------------------------------- where render writes
def test_render_never_overwrites_an_input_also_through_a_link(story: Path):
    article = exporter.read(story)
    with pytest.raises(OutputError, match="is the input"):
        exporter.render(article, "pdf", story)
    link = story.parent / "alias.pdf"
    link.symlink_to(story)
    with pytest.raises(OutputError, match="is the input"):
        exporter.render(article, "json", str(link))
    assert story.read_text(encoding="utf-8") == STORY


def test_render_to_dash_is_a_usage_error_and_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="binary stream"):
        exporter.render(Article(Meta(title="t")), "json", "-")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("make_stream, error", [
    (lambda: io.StringIO(), UsageError),
    (lambda: _closed(io.BytesIO()), OutputError),
    (lambda: object(), UsageError),
])
@pytest.mark.parametrize("fmt", ["json", "docx", "epub", "pdf"])
def test_render_to_a_bad_stream_is_an_exporter_error(make_stream, error, fmt):
    with pytest.raises(error):
        exporter.render(Article(Meta(title="t")), fmt, make_stream())


def _closed(stream):
    stream.close()
    return stream


def test_a_stream_gets_exactly_the_bytes_a_file_gets(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    article = exporter.read(STORY)
    for fmt in ("json", "docx", "epub", "pdf"):
        stream = io.BytesIO()
        exporter.render(article, fmt, stream)
        exporter.render(article, fmt, tmp_path / f"a.{fmt}")
        assert stream.getvalue() == (tmp_path / f"a.{fmt}").read_bytes(), fmt


@pytest.mark.parametrize("document", [None, "text", {"meta": {}}])
def test_render_bytes_of_something_that_is_not_a_document_is_a_usage_error(document):
    with pytest.raises(UsageError, match="expected an Article or a Briefing"):
        exporter.render_bytes(document, "pdf")


def test_a_writer_bug_leaves_the_api_as_a_render_error(monkeypatch):
    from exporter import writers

    class Broken:
        name, media_type, extension, uses_style = "json", "application/json", "json", False

        def write(self, document, style, out, options):
            raise KeyError("oops")

    monkeypatch.setitem(writers._cache, "json", Broken())
    with pytest.raises(ExporterError, match=r"^json: rendering failed: KeyError: 'oops'$"):
        exporter.render_bytes(Article(Meta(title="t")), "json")


def test_deeply_nested_json_is_an_exporter_error():
    import json

    document = Article(Meta(title="t")).to_dict()
    paragraph = '{"type": "paragraph", "content": [{"type": "text", "text": "x"}]}'
    body = '{"type": "blockquote", "content": [' * 500 + paragraph + "]}" * 500
    text = json.dumps(document).replace('"body": []', f'"body": [{body}]')
    with pytest.raises(ExporterError):
        Article.from_json(text)


def test_with_meta_makes_a_given_title_the_callers():
    article = exporter.read("US President Donald Trump says he will speak to the presidents of Russia and Ukraine "
                            "following talks in Istanbul on Friday.\n\nA second paragraph follows here.\n")
    assert article.meta.title_origin == "lede"
    titled = exporter.with_meta(article, title="Trump to speak to Putin")
    assert (titled.meta.title, titled.meta.title_origin) == ("Trump to speak to Putin", "caller")
    assert exporter.with_meta(article, source="SBS").meta.title_origin == "lede"


def test_a_url_given_with_credentials_loses_them_in_the_ast_too():
    warnings: list[str] = []
    article = exporter.read(STORY, url="https://user:secret@example.org/story", warn=warnings.append)
    assert article.meta.url == "https://example.org/story"
    assert len(warnings) == 1 and "secret" not in warnings[0]
    assert "secret" not in exporter.render_bytes(article, "json").decode()
