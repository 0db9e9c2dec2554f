"""The canonical article AST: exporter's public contract between reader and writers.

A closed set of small frozen dataclasses.  Every node has a JSON form (``"type"`` first, then its
fields in declaration order) that round-trips exactly: ``Article.from_json(a.to_json()) == a``.
Nothing format-specific lives here; writers dispatch on the node classes with ``match`` and raise
:class:`UnknownNodeError` for anything else.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, Literal, Union

from exporter.errors import InputError

ARTICLE_SCHEMA_ID = "exporter/article@1"

QuoteKind = Literal["speech", "title", "term"]
QUOTE_KINDS: tuple[str, ...] = ("speech", "title", "term")
TitleOrigin = Literal["front-matter", "caller", "headline", "lede"]
TITLE_ORIGINS: tuple[str, ...] = ("front-matter", "caller", "headline", "lede")
# How a speech quote's speaker was found (see Quote.evidence), strongest first.
SpeakerEvidence = Literal["cue", "adjacent", "pronoun", "role", "continuation"]
SPEAKER_EVIDENCE: tuple[str, ...] = ("cue", "adjacent", "pronoun", "role", "continuation")
# Containers nested deeper than this in article JSON are refused: no reader makes them, and
# building them recursively would hit Python's recursion limit (a traceback, not an error line).
MAX_JSON_DEPTH = 100


class UnknownNodeError(TypeError):
    """A node that is not part of the closed AST reached code that dispatches on node types."""

    def __init__(self, node: object, where: str = "") -> None:
        super().__init__(f"unknown AST node {type(node).__name__!r}{' in ' + where if where else ''}")


class ASTFormatError(InputError, ValueError):
    """JSON that does not describe a valid article.  An :class:`InputError` (the API's error
    family, one line) and still a ValueError for callers that catch that."""


# ---------------------------------------------------------------------------------------- inlines
@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted span.  Its content starts with the opening mark and ends with the closing mark
    (when the source has one), so the concatenated text of a paragraph is the source line."""

    kind: QuoteKind
    speaker: str | None
    content: tuple[Inline, ...]
    # How the speaker was found: "cue" (a speech verb in the quote's sentence), "adjacent" (the
    # sentence or line next to the quote; for a transcript turn, its label "TAPPER: …"),
    # "pronoun", "role" (a role noun such as "the senator", or a turn's "A:", resolved to a person
    # named earlier), "continuation" (the previous quote's or turn's speaker); None when there is
    # no speaker or it came from elsewhere (a caller, a richer reader).
    evidence: SpeakerEvidence | None = None


@dataclass(frozen=True, slots=True)
class Emphasis:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Break:
    pass


Inline = Union[Text, Quote, Emphasis, Strong, Link, Break]
INLINE_TYPES: tuple[type, ...] = (Text, Quote, Emphasis, Strong, Link, Break)


# ----------------------------------------------------------------------------------------- blocks
@dataclass(frozen=True, slots=True)
class Paragraph:
    content: tuple[Inline, ...]
    # A turn of an interview transcript ("TAPPER: …", "A: …", and the unlabelled paragraphs that
    # continue an answer) is spoken by someone, yet it is no quotation: it has no quote marks, so
    # it is not a Quote.  Who speaks it and how that was found (see Quote.evidence); None for prose
    # and for a turn whose speaker the article does not name (a "Q:" line).  A turn opens with its
    # label ("TAPPER: ", "A: ") unless it continues the turn before (evidence "continuation").
    speaker: str | None = None
    evidence: SpeakerEvidence | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class BlockQuote:
    content: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class Rule:
    pass


Block = Union[Paragraph, Heading, BlockQuote, ListBlock, Rule]
BLOCK_TYPES: tuple[type, ...] = (Paragraph, Heading, BlockQuote, ListBlock, Rule)


# --------------------------------------------------------------------------------- article parts
@dataclass(frozen=True, slots=True)
class Meta:
    title: str | None = None
    title_origin: TitleOrigin | None = None
    subtitle: str | None = None
    byline: str | None = None
    source: str | None = None
    site: str | None = None
    url: str | None = None
    date: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()


META_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Meta))


@dataclass(frozen=True, slots=True)
class RelatedItem:
    title: str
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class Dropped:
    line: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    meta: Meta = field(default_factory=Meta)
    body: tuple[Block, ...] = ()
    related: tuple[RelatedItem, ...] = ()
    dropped: tuple[Dropped, ...] = ()

    # -- JSON ------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": ARTICLE_SCHEMA_ID,
            "meta": _meta_to_dict(self.meta),
            "body": [node_to_dict(b) for b in self.body],
            "related": [{"title": r.title, "summary": r.summary} for r in self.related],
            "dropped": [{"line": d.line, "text": d.text, "reason": d.reason} for d in self.dropped],
        }

    def to_json(self) -> str:
        """The canonical JSON bytes (as str): UTF-8 text, 2-space indent, one trailing newline."""
        return dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Any) -> Article:
        obj = _expect_dict(data, "article")
        if obj.get("schema") != ARTICLE_SCHEMA_ID:
            raise ASTFormatError(f"article: schema must be {ARTICLE_SCHEMA_ID!r}, got {obj.get('schema')!r}")
        try:
            return cls(
                meta=_meta_from_dict(obj.get("meta", {})),
                body=tuple(block_from_dict(b) for b in _expect_list(obj.get("body", []), "body")),
                related=tuple(
                    RelatedItem(title=_expect_str(r.get("title"), "related.title"),
                                summary=_opt_str(r.get("summary"), "related.summary"))
                    for r in (_expect_dict(x, "related item") for x in _expect_list(obj.get("related", []), "related"))
                ),
                dropped=tuple(
                    Dropped(line=_expect_int(d.get("line"), "dropped.line"),
                            text=_expect_str(d.get("text"), "dropped.text"),
                            reason=_expect_str(d.get("reason"), "dropped.reason"))
                    for d in (_expect_dict(x, "dropped item") for x in _expect_list(obj.get("dropped", []), "dropped"))
                ),
            )
        except (KeyError, AttributeError) as exc:  # pragma: no cover - guarded by _expect_* above
            raise ASTFormatError(f"article: {exc}") from None

    @classmethod
    def from_json(cls, text: str | bytes) -> Article:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ASTFormatError(f"not JSON: {exc}") from None
        except RecursionError:
            # Only JSON nested thousands of levels deep gets here; from_dict refuses far less.
            raise ASTFormatError(f"not an article: nested deeper than {MAX_JSON_DEPTH} levels") from None
        return cls.from_dict(data)


def dumps(data: Any) -> str:
    """JSON as the conventions fix it: not ASCII-escaped, 2-space indent, one trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------------------ node (de)serialise
_TYPE_NAMES: dict[type, str] = {
    Text: "text", Quote: "quote", Emphasis: "emphasis", Strong: "strong", Link: "link",
    Break: "break", Paragraph: "paragraph", Heading: "heading", BlockQuote: "blockquote",
    ListBlock: "list", Rule: "rule",
}


def type_name(node: object) -> str:
    """The JSON ``type`` of a node."""
    try:
        return _TYPE_NAMES[type(node)]
    except KeyError:
        raise UnknownNodeError(node) from None


def node_to_dict(node: object) -> dict[str, Any]:
    match node:
        case Text(text=text):
            return {"type": "text", "text": text}
        case Quote(kind=kind, speaker=speaker, content=content, evidence=evidence):
            return {"type": "quote", "kind": kind, "speaker": speaker, "content": [node_to_dict(c) for c in content],
                    "evidence": evidence}
        case Emphasis(content=content) | Strong(content=content):
            return {"type": type_name(node), "content": [node_to_dict(c) for c in content]}
        case Link(url=url, content=content):
            return {"type": "link", "url": url, "content": [node_to_dict(c) for c in content]}
        case Break():
            return {"type": "break"}
        case Paragraph(content=content, speaker=speaker, evidence=evidence):
            out = {"type": "paragraph", "content": [node_to_dict(c) for c in content]}
            if speaker is not None:           # written only for a turn: prose paragraphs keep their bytes
                out["speaker"], out["evidence"] = speaker, evidence
            return out
        case Heading(level=level, content=content):
            return {"type": "heading", "level": level, "content": [node_to_dict(c) for c in content]}
        case BlockQuote(content=content):
            return {"type": "blockquote", "content": [node_to_dict(c) for c in content]}
        case ListBlock(ordered=ordered, items=items):
            return {"type": "list", "ordered": ordered, "items": [[node_to_dict(b) for b in item] for item in items]}
        case Rule():
            return {"type": "rule"}
        case _:
            raise UnknownNodeError(node, "node_to_dict")


def _deeper(depth: int, where: str) -> int:
    """The nesting depth one level down, refused past MAX_JSON_DEPTH."""
    if depth >= MAX_JSON_DEPTH:
        raise ASTFormatError(f"{where}: nested deeper than {MAX_JSON_DEPTH} levels")
    return depth + 1


def inline_from_dict(data: Any, depth: int = 0) -> Inline:
    """An inline node from its JSON form; ``depth`` is how many nodes it sits inside."""
    obj = _expect_dict(data, "inline")
    kind = obj.get("type")
    match kind:
        case "text":
            return Text(_expect_str(obj.get("text"), "text.text"))
        case "quote":
            qk = obj.get("kind")
            if qk not in QUOTE_KINDS:
                raise ASTFormatError(f"quote.kind must be one of {QUOTE_KINDS}, got {qk!r}")
            speaker, evidence = _speaker_and_evidence(obj, "quote")
            return Quote(qk, speaker, _inlines(obj, "quote", depth), evidence)
        case "emphasis":
            return Emphasis(_inlines(obj, "emphasis", depth))
        case "strong":
            return Strong(_inlines(obj, "strong", depth))
        case "link":
            return Link(_expect_str(obj.get("url"), "link.url"), _inlines(obj, "link", depth))
        case "break":
            return Break()
        case _:
            raise ASTFormatError(f"unknown inline type {kind!r}")


def block_from_dict(data: Any, depth: int = 0) -> Block:
    """A block node from its JSON form; ``depth`` is how many nodes it sits inside."""
    obj = _expect_dict(data, "block")
    kind = obj.get("type")
    match kind:
        case "paragraph":
            speaker, evidence = _speaker_and_evidence(obj, "paragraph")
            return Paragraph(_inlines(obj, "paragraph", depth), speaker, evidence)
        case "heading":
            level = _expect_int(obj.get("level"), "heading.level")
            if not 1 <= level <= 3:
                raise ASTFormatError(f"heading.level must be 1..3, got {level}")
            return Heading(level, _inlines(obj, "heading", depth))
        case "blockquote":
            inner = _deeper(depth, "blockquote.content")
            return BlockQuote(tuple(block_from_dict(b, inner)
                                    for b in _expect_list(obj.get("content"), "blockquote.content")))
        case "list":
            ordered = obj.get("ordered")
            if not isinstance(ordered, bool):
                raise ASTFormatError("list.ordered must be a boolean")
            items = _expect_list(obj.get("items"), "list.items")
            inner = _deeper(depth, "list.items")
            return ListBlock(ordered, tuple(tuple(block_from_dict(b, inner) for b in _expect_list(i, "list item"))
                                            for i in items))
        case "rule":
            return Rule()
        case _:
            raise ASTFormatError(f"unknown block type {kind!r}")


def _speaker_and_evidence(obj: dict, where: str) -> tuple[str | None, Any]:
    """A quote's or transcript turn's optional speaker and evidence (JSON written before either
    existed has none)."""
    speaker = _opt_str(obj.get("speaker"), f"{where}.speaker")
    evidence = obj.get("evidence")
    if evidence is not None and evidence not in SPEAKER_EVIDENCE:
        raise ASTFormatError(f"{where}.evidence must be one of {SPEAKER_EVIDENCE} or null, got {evidence!r}")
    if evidence is not None and speaker is None:
        raise ASTFormatError(f"{where}.evidence: a {where} without a speaker has no evidence")
    return speaker, evidence


def _inlines(obj: dict, where: str, depth: int) -> tuple[Inline, ...]:
    inner = _deeper(depth, f"{where}.content")
    return tuple(inline_from_dict(i, inner) for i in _expect_list(obj.get("content"), f"{where}.content"))


def _meta_to_dict(meta: Meta) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(meta, name) for name in META_FIELDS}
    out["tags"] = list(meta.tags)
    return out


def _meta_from_dict(data: Any) -> Meta:
    obj = _expect_dict(data, "meta")
    values: dict[str, Any] = {}
    for name in META_FIELDS:
        if name == "tags":
            values["tags"] = tuple(_expect_str(t, "meta.tags[]") for t in _expect_list(obj.get("tags", []), "meta.tags"))
        else:
            values[name] = _opt_str(obj.get(name), f"meta.{name}")
    if values["title_origin"] is not None and values["title_origin"] not in TITLE_ORIGINS:
        raise ASTFormatError(f"meta.title_origin must be one of {TITLE_ORIGINS}")
    return Meta(**values)


def _expect_dict(v: Any, where: str) -> dict:
    if not isinstance(v, dict):
        raise ASTFormatError(f"{where}: expected an object")
    return v


def _expect_list(v: Any, where: str) -> list:
    if not isinstance(v, list):
        raise ASTFormatError(f"{where}: expected an array")
    return v


def _expect_str(v: Any, where: str) -> str:
    if not isinstance(v, str):
        raise ASTFormatError(f"{where}: expected a string")
    return v


def _opt_str(v: Any, where: str) -> str | None:
    return None if v is None else _expect_str(v, where)


def _expect_int(v: Any, where: str) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise ASTFormatError(f"{where}: expected an integer")
    return v


# ------------------------------------------------------------------------------------- utilities
def inline_text(content: tuple[Inline, ...] | list[Inline]) -> str:
    """The plain text of a run of inlines (quote marks included, breaks as newlines)."""
    parts: list[str] = []
    _collect_text(content, parts)
    return "".join(parts)


def _collect_text(content, parts: list[str]) -> None:
    for node in content:
        match node:
            case Text(text=text):
                parts.append(text)
            case Quote(content=c) | Emphasis(content=c) | Strong(content=c) | Link(content=c):
                _collect_text(c, parts)
            case Break():
                parts.append("\n")
            case _:
                raise UnknownNodeError(node, "inline_text")


def iter_quotes(content, depth: int = 0):
    """Yield ``(quote, depth)`` for every quote in a run of inlines, outer before inner."""
    for node in content:
        match node:
            case Quote(content=c):
                yield node, depth
                yield from iter_quotes(c, depth + 1)
            case Emphasis(content=c) | Strong(content=c) | Link(content=c):
                yield from iter_quotes(c, depth)
            case Text() | Break():
                pass
            case _:
                raise UnknownNodeError(node, "iter_quotes")


def iter_inline_runs(blocks):
    """Yield every block's inline content (paragraphs and headings, inside quotes and lists too)."""
    for block in blocks:
        match block:
            case Paragraph(content=c) | Heading(content=c):
                yield block, c
            case BlockQuote(content=inner):
                yield from iter_inline_runs(inner)
            case ListBlock(items=items):
                for item in items:
                    yield from iter_inline_runs(item)
            case Rule():
                pass
            case _:
                raise UnknownNodeError(block, "iter_inline_runs")


def schema_path():
    """The JSON Schema of the article JSON, shipped inside the package."""
    from importlib.resources import files

    return files("exporter") / "schema" / "article.schema.json"
