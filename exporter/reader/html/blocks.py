"""trafilatura's extracted XML -> page blocks: the article's structure with its plain text and
its inline formatting kept apart, so the text stages (boilerplate, quotes, speakers) see exactly
the text a text input would give, and the formatting is laid back over their result afterwards
(:func:`overlay`).

trafilatura's XML: ``p``, ``head rend="h2"``, ``list rend="ul|ol"``/``item``, ``quote``,
``table``/``row``/``cell``, ``code``, ``hi rend="#b|#i|#u|#t|#sub|#sup"``, ``ref target=…``,
``lb``; ``div``/``ab`` group blocks.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Literal, Union

from ...ast import Break, Emphasis, Inline, Link, Quote, Strong, Text, inline_text
from ...links import safe_link

FormatKind = Literal["emphasis", "strong", "link"]
_EMPHASIS_RENDS = {"#i": "emphasis", "#u": "emphasis", "#b": "strong"}
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code", "div", "ab", "item", "row"})
_SPACES = re.compile(r"\s+")
CELL_SEPARATOR = " | "


@dataclass(frozen=True, slots=True)
class FormatSpan:
    """Emphasis, strong or a link over ``text[start:end]`` of a leaf; ``inner`` nests inside it."""
    start: int
    end: int
    kind: FormatKind
    url: str | None
    inner: tuple[FormatSpan, ...]


@dataclass(frozen=True, slots=True)
class Leaf:
    """A paragraph or heading of the page: plain text ("\\n" where the page breaks a line), its
    formatting, and the line of the page it starts on (None when unknown)."""
    heading_level: int          # 0: a paragraph
    text: str
    spans: tuple[FormatSpan, ...]
    line: int | None


@dataclass(frozen=True, slots=True)
class Container:
    """A list (``items``: one tuple of blocks per item) or a block quote (one item)."""
    kind: Literal["list", "quote"]
    ordered: bool
    items: tuple[tuple[PageBlock, ...], ...]


PageBlock = Union[Leaf, Container]


class _Inline:
    """Collects a leaf's text with HTML white-space rules (runs collapse to one space, none at
    the start or before a line break) and the spans laid over it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.at_space = True

    def add(self, text: str | None) -> None:
        if not text:
            return
        text = _SPACES.sub(" ", unicodedata.normalize("NFC", text))
        if self.at_space:
            text = text.lstrip(" ")
        if text:
            self.parts.append(text)
            self.length += len(text)
            self.at_space = text.endswith(" ")

    def add_break(self) -> None:
        if self.length == 0:
            return
        if self.parts and self.parts[-1].endswith(" "):
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
        self.parts.append("\n")
        self.length += 1
        self.at_space = True

    def finish(self, spans: list[FormatSpan]) -> tuple[str, tuple[FormatSpan, ...]]:
        text = "".join(self.parts).rstrip(" \n")
        return text, _clip(spans, len(text))


def _clip(spans, limit: int) -> tuple[FormatSpan, ...]:
    out = []
    for span in spans:
        end = min(span.end, limit)
        if end > span.start:
            out.append(FormatSpan(span.start, end, span.kind, span.url, _clip(span.inner, end)))
    return tuple(out)


def _walk_inline(element, builder: _Inline, spans: list[FormatSpan], warn: Callable[[str], None] | None) -> None:
    builder.add(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "lb":
            builder.add_break()
        elif tag == "graphic":
            pass
        elif tag in ("hi", "ref"):
            start = builder.length
            inner: list[FormatSpan] = []
            _walk_inline(child, builder, inner, warn)
            kind: str | None
            url = None
            if tag == "hi":
                kind = _EMPHASIS_RENDS.get(child.get("rend") or "")
            else:
                url = safe_link(child.get("target"), warn)
                kind = "link" if url else None
            if kind is not None and builder.length > start:
                spans.append(FormatSpan(start, builder.length, kind, url, tuple(inner)))   # type: ignore[arg-type]
            else:
                spans.extend(inner)
        elif tag == "cell":
            if builder.length and not builder.at_space:
                builder.add(CELL_SEPARATOR)
            _walk_inline(child, builder, spans, warn)
        elif tag in _BLOCK_TAGS:
            builder.add(" ")                    # a block inside a paragraph: its words stay apart
            _walk_inline(child, builder, spans, warn)
            builder.add(" ")
        else:
            _walk_inline(child, builder, spans, warn)
        builder.add(child.tail)


def _leaf(element, heading_level: int, warn) -> Leaf | None:
    builder = _Inline()
    spans: list[FormatSpan] = []
    if element.tag == "code":
        # Code keeps its lines: each becomes a line break.
        for number, line in enumerate("".join(element.itertext()).split("\n")):
            if number:
                builder.add_break()
            builder.add(line)
    else:
        _walk_inline(element, builder, spans, warn)
    text, clipped = builder.finish(spans)
    if not text.strip():
        return None
    return Leaf(heading_level, text, clipped, element.sourceline)


def _has_blocks(element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in _BLOCK_TAGS for child in element)


def page_blocks(body, warn: Callable[[str], None] | None = None) -> tuple[PageBlock, ...]:
    """The blocks of trafilatura's extracted ``body`` element."""
    return tuple(_blocks(body, warn))


def _blocks(element, warn) -> list[PageBlock]:
    out: list[PageBlock] = []
    loose = _Inline()             # text standing directly in a grouping element

    def flush_loose() -> None:
        nonlocal loose
        text, _ = loose.finish([])
        if text.strip():
            out.append(Leaf(0, text, (), None))
        loose = _Inline()

    loose.add(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("p", "head", "code", "row", "list", "quote", "table", "div", "ab", "item", "cell"):
            flush_loose()
        match tag:
            case "p" | "code" | "row":
                if tag == "p" and _has_blocks(child):
                    out.extend(_blocks(child, warn))
                elif tag == "row" and any(_has_blocks(cell) for cell in child):
                    # a layout table (an e-mail's columns): its cells hold the article's blocks
                    out.extend(_blocks(child, warn))
                else:
                    leaf = _leaf(child, 0, warn)
                    if leaf is not None:
                        out.append(leaf)
            case "head":
                rend = (child.get("rend") or "h2").lower()
                level = int(rend[1]) if len(rend) == 2 and rend[0] == "h" and rend[1] in "123456" else 2
                leaf = _leaf(child, min(3, level), warn)
                if leaf is not None:
                    out.append(leaf)
            case "list":
                items = []
                for item in child:
                    if not isinstance(item.tag, str):
                        continue
                    inner = _blocks(item, warn) if _has_blocks(item) else [b for b in [_leaf(item, 0, warn)] if b]
                    if inner:
                        items.append(tuple(inner))
                if items:
                    out.append(Container("list", (child.get("rend") or "").lower() == "ol", tuple(items)))
            case "quote":
                inner = _blocks(child, warn) if _has_blocks(child) else [b for b in [_leaf(child, 0, warn)] if b]
                if inner:
                    out.append(Container("quote", False, (tuple(inner),)))
            case "table" | "div" | "ab" | "item" | "cell":
                out.extend(_blocks(child, warn))
            case "lb":
                loose.add_break()
            case "graphic":
                pass
            case _:
                _walk_inline_loose(child, loose, warn)
        loose.add(child.tail)
    flush_loose()
    return out


def _walk_inline_loose(element, builder: _Inline, warn) -> None:
    """Inline markup standing between blocks (text only: a stray ``hi`` or ``ref``)."""
    builder.add(element.text)
    for child in element:
        _walk_inline_loose(child, builder, warn)
        builder.add(child.tail)


# ------------------------------------------------------------------------------------ overlay
def overlay(content: tuple[Inline, ...], leaf: Leaf) -> tuple[Inline, ...]:
    """``content`` (Text and Quote nodes over the leaf's text, as the quote and speaker stages
    made it; a line break there may be a space) with the leaf's formatting laid over it, and its
    line breaks as Break nodes.  Quotes stay whole; a format span that crosses a quote's edge is
    split there (a link half inside a quote becomes two links to the same place)."""
    out: list[Inline] = []
    _overlay_run(content, 0, leaf, out)
    return tuple(out)


def _overlay_run(content, offset: int, leaf: Leaf, out: list[Inline]) -> int:
    for node in content:
        match node:
            case Text(text=text):
                out.extend(_format(leaf.text[offset:offset + len(text)], offset, leaf.spans))
                offset += len(text)
            case Quote(kind=kind, speaker=speaker, content=inner, evidence=evidence):
                children: list[Inline] = []
                offset = _overlay_run(inner, offset, leaf, children)
                out.append(Quote(kind, speaker, tuple(children), evidence))
            case _:
                # The text stages make only Text and Quote nodes; anything else is kept as is.
                out.append(node)
                offset += len(inline_text((node,)))
    return offset


def _format(text: str, offset: int, spans) -> list[Inline]:
    """The nodes of ``text`` (at ``offset`` of the leaf) under the spans that reach into it."""
    end = offset + len(text)
    out: list[Inline] = []
    position = offset
    for span in spans:
        start, stop = max(span.start, offset), min(span.end, end)
        if stop <= start:
            continue
        if start > position:
            out.extend(_plain(text[position - offset:start - offset]))
        inner = _format(text[start - offset:stop - offset], start, span.inner)
        if span.kind == "link":
            out.append(Link(span.url or "", tuple(inner)))
        elif span.kind == "strong":
            out.append(Strong(tuple(inner)))
        else:
            out.append(Emphasis(tuple(inner)))
        position = stop
    if position < end:
        out.extend(_plain(text[position - offset:]))
    return out


def _plain(text: str) -> list[Inline]:
    if "\n" not in text:
        return [Text(text)] if text else []
    out: list[Inline] = []
    for number, piece in enumerate(text.split("\n")):
        if number:
            out.append(Break())
        if piece:
            out.append(Text(piece))
    return out
