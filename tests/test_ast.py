"""The AST contract: exact JSON round trip, canonical bytes, schema validity, loud dispatch."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from hypothesis import given, settings, strategies as st

from exporter import ast
from exporter.ast import (Article, ASTFormatError, BlockQuote, Break, Dropped, Emphasis, Heading, Link,
                          ListBlock, Meta, Paragraph, Quote, RelatedItem, Rule, Strong, Text, UnknownNodeError)

jsonschema = pytest.importorskip("jsonschema")
SCHEMA = json.loads(ast.schema_path().read_text(encoding="utf-8"))


def validate(data: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(data)


# -------------------------------------------------------------------------- hypothesis strategies
texts = st.text(max_size=20)
maybe = lambda s: st.none() | s  # noqa: E731
leaf_inline = st.one_of(st.builds(Text, texts), st.just(Break()))
inline = st.recursive(leaf_inline, lambda children: st.one_of(
    st.builds(Quote, st.sampled_from(ast.QUOTE_KINDS), st.none(), st.lists(children, max_size=3).map(tuple)),
    st.builds(Quote, st.sampled_from(ast.QUOTE_KINDS), texts, st.lists(children, max_size=3).map(tuple),
              st.sampled_from((None, *ast.SPEAKER_EVIDENCE))),
    st.builds(Emphasis, st.lists(children, max_size=3).map(tuple)),
    st.builds(Strong, st.lists(children, max_size=3).map(tuple)),
    st.builds(Link, texts, st.lists(children, max_size=3).map(tuple)),
), max_leaves=8)
inlines = st.lists(inline, max_size=4).map(tuple)
turns = st.builds(Paragraph, inlines, texts, st.sampled_from((None, *ast.SPEAKER_EVIDENCE)))   # transcript turns
leaf_block = st.one_of(st.builds(Paragraph, inlines), turns, st.builds(Heading, st.integers(1, 3), inlines), st.just(Rule()))
block = st.recursive(leaf_block, lambda children: st.one_of(
    st.builds(BlockQuote, st.lists(children, max_size=3).map(tuple)),
    st.builds(ListBlock, st.booleans(), st.lists(st.lists(children, max_size=2).map(tuple), max_size=3).map(tuple)),
), max_leaves=6)
metas = st.builds(Meta, maybe(texts), st.sampled_from((None, *ast.TITLE_ORIGINS)), maybe(texts), maybe(texts),
                  maybe(texts), maybe(texts), maybe(texts), st.sampled_from((None, "2025-05-17", "2025-05-17T10:00:00Z")),
                  st.sampled_from((None, "en", "pt-BR", "uk")), st.lists(texts, max_size=3).map(tuple))
articles = st.builds(Article, metas, st.lists(block, max_size=5).map(tuple),
                     st.lists(st.builds(RelatedItem, texts, maybe(texts)), max_size=3).map(tuple),
                     st.lists(st.builds(Dropped, st.integers(1, 10_000), texts,
                                        st.sampled_from(("share-widget", "related-teaser", "advert"))), max_size=3).map(tuple))


@settings(max_examples=80, deadline=None)
@given(articles)
def test_json_round_trip_is_exact_and_schema_valid(article):
    text = article.to_json()
    assert Article.from_json(text) == article
    assert Article.from_json(text).to_json() == text
    validate(json.loads(text))


def test_json_bytes_follow_the_conventions():
    article = Article(Meta(title="Türkiye’s “talks”", language="en"), (Paragraph((Text("é"),)),))
    text = article.to_json()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "Türkiye’s “talks”" in text                     # not ASCII-escaped
    assert '\n  "meta": {\n    "title": ' in text        # 2-space indent
    assert list(json.loads(text)) == ["schema", "meta", "body", "related", "dropped"]
    assert list(json.loads(text)["meta"]) == list(ast.META_FIELDS)
    node = json.loads(text)["body"][0]
    assert list(node) == ["type", "content"]
    turn = Article(Meta(), (Paragraph((Text("A: Yes."),), "Ann Lee", "role"),)).to_json()
    assert list(json.loads(turn)["body"][0]) == ["type", "content", "speaker", "evidence"]


@pytest.mark.parametrize("bad, message", [
    ({"schema": "other"}, "schema"),
    ({"schema": ast.ARTICLE_SCHEMA_ID, "body": [{"type": "table"}]}, "unknown block type"),
    ({"schema": ast.ARTICLE_SCHEMA_ID, "body": [{"type": "paragraph", "content": [{"type": "blink"}]}]}, "unknown inline type"),
    ({"schema": ast.ARTICLE_SCHEMA_ID, "body": [{"type": "heading", "level": 9, "content": []}]}, "level"),
    ({"schema": ast.ARTICLE_SCHEMA_ID, "body": [{"type": "paragraph", "content": [
        {"type": "quote", "kind": "shout", "speaker": None, "content": []}]}]}, "quote.kind"),
    ({"schema": ast.ARTICLE_SCHEMA_ID, "meta": {"title": 3}}, "meta.title"),
    ([], "expected an object"),
    ({"schema": ast.ARTICLE_SCHEMA_ID, "body": [{"type": "paragraph", "content": [
        {"type": "quote", "kind": "speech", "speaker": "Ann Lee", "content": [], "evidence": "hunch"}]}]}, "quote.evidence"),
    ({"schema": ast.ARTICLE_SCHEMA_ID, "body": [{"type": "paragraph", "content": [
        {"type": "quote", "kind": "speech", "speaker": None, "content": [], "evidence": "cue"}]}]}, "without a speaker"),
    ({"schema": ast.ARTICLE_SCHEMA_ID, "body": [{"type": "paragraph", "content": [], "speaker": 7}]},
     "paragraph.speaker"),
    ({"schema": ast.ARTICLE_SCHEMA_ID, "body": [{"type": "paragraph", "content": [], "speaker": None,
                                                 "evidence": "adjacent"}]}, "without a speaker"),
])
def test_invalid_json_is_refused_with_a_reason(bad, message):
    with pytest.raises(ASTFormatError, match=message):
        Article.from_dict(bad)


def test_dispatch_fails_loudly_on_an_unknown_node():
    @dataclass(frozen=True)
    class Table:
        rows: tuple = ()

    with pytest.raises(UnknownNodeError):
        ast.node_to_dict(Table())
    with pytest.raises(UnknownNodeError):
        ast.inline_text((Text("a"), Table()))
    with pytest.raises(UnknownNodeError):
        list(ast.iter_inline_runs((Table(),)))


def test_nodes_are_frozen():
    with pytest.raises(AttributeError):
        Text("a").text = "b"  # type: ignore[misc]


def test_inline_text_keeps_quote_marks_inside_quotes():
    content = (Text("He said "), Quote("speech", "Ann Lee", (Text("“no ‘way’”"),)), Text("."))
    assert ast.inline_text(content) == "He said “no ‘way’”."
    assert [(q.speaker, d) for q, d in ast.iter_quotes(content)] == [("Ann Lee", 0)]


def test_every_node_class_has_a_json_type():
    assert {ast.type_name(cls.__new__(cls)) for cls in ast.INLINE_TYPES + ast.BLOCK_TYPES} == {
        "text", "quote", "emphasis", "strong", "link", "break", "paragraph", "heading", "blockquote", "list", "rule"}


def test_every_golden_and_cli_json_output_is_schema_valid_and_round_trips():
    from support import FIXTURES, SAMPLE
    from cli_support import run_cli

    goldens = sorted(FIXTURES.glob("*.json"))
    assert goldens, "reader goldens missing"
    for path in goldens:
        text = path.read_text(encoding="utf-8")
        validate(json.loads(text))
        assert Article.from_json(text).to_json() == text, path.name
    result = run_cli(["export", str(SAMPLE), "-f", "json", "-o", "-"])
    assert result.code == 0, result.err
    validate(json.loads(result.out))


def test_quote_evidence_round_trips_after_speaker_and_content_and_may_be_absent():
    quote = Quote("speech", "Ann Lee", (Text("“Yes.”"),), "role")
    article = Article(body=(Paragraph((Text("The mayor said "), quote)),))
    data = json.loads(article.to_json())
    node = data["body"][0]["content"][1]
    assert list(node) == ["type", "kind", "speaker", "content", "evidence"]      # declaration order
    assert node["evidence"] == "role"
    validate(data)
    assert Article.from_json(article.to_json()) == article
    # JSON written before the field existed has no "evidence" key: it reads as None, and is valid.
    del node["evidence"]
    validate(data)
    assert Article.from_dict(data).body[0].content[1] == Quote("speech", "Ann Lee", (Text("“Yes.”"),))
    with pytest.raises(jsonschema.ValidationError):
        node["evidence"] = "hunch"
        validate(data)


def _nested_blockquotes(depth: int) -> str:
    """Article JSON with ``depth`` block quotes inside one another, built as text (json.dumps
    itself would recurse too deeply)."""
    inner = '{"type": "paragraph", "content": [{"type": "text", "text": "x"}]}'
    return ('{"schema": "%s", "body": [' % ast.ARTICLE_SCHEMA_ID + '{"type": "blockquote", "content": [' * depth
            + inner + "]}" * depth + "]}")


@pytest.mark.parametrize("depth", [101, 500, 100_000])
def test_deep_nesting_is_a_one_line_format_error_not_a_recursion_error(depth):
    from exporter.errors import ExporterError, InputError

    with pytest.raises(ASTFormatError, match="nested deeper than 100 levels") as caught:
        Article.from_json(_nested_blockquotes(depth))
    assert "\n" not in str(caught.value)
    # One family for every failure leaving the API, and still a ValueError for older callers.
    assert isinstance(caught.value, InputError) and isinstance(caught.value, ExporterError)
    assert isinstance(caught.value, ValueError)


def test_nesting_up_to_the_cap_reads_and_deep_inline_quotes_are_refused_too():
    article = Article.from_json(_nested_blockquotes(99))
    block, depth = article.body[0], 0
    while isinstance(block, BlockQuote):
        block, depth = block.content[0], depth + 1
    assert depth == 99 and block == Paragraph((Text("x"),))
    inline = '{"type": "text", "text": "x"}'
    for _ in range(300):
        inline = '{"type": "quote", "kind": "speech", "speaker": null, "content": [%s]}' % inline
    text = '{"schema": "%s", "body": [{"type": "paragraph", "content": [%s]}]}' % (ast.ARTICLE_SCHEMA_ID, inline)
    with pytest.raises(ASTFormatError, match="quote.content: nested deeper than 100 levels"):
        Article.from_json(text)
