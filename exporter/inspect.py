"""A readable tree of an article for `exporter inspect`: metadata, blocks, each quote with its
kind and speaker, related teasers and every dropped line with its reason — so a user can see and
trust what the reader did."""
from __future__ import annotations

from .ast import (Article, BlockQuote, Break, Emphasis, Heading, Link, ListBlock, Paragraph, Quote,
                  Rule, Strong, Text, UnknownNodeError, inline_text)

PREVIEW = 96


def _preview(text: str, width: int = PREVIEW) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def describe(article: Article) -> str:
    lines: list[str] = ["meta"]
    meta = article.meta
    for name in ("title", "subtitle", "byline", "source", "site", "url", "date", "language"):
        value = getattr(meta, name)
        if value is not None:
            suffix = f"  ({meta.title_origin})" if name == "title" and meta.title_origin else ""
            lines.append(f"  {name}: {value}{suffix}")
    if meta.tags:
        lines.append(f"  tags: {', '.join(meta.tags)}")
    lines.append(f"body ({len(article.body)} blocks)")
    counter = [0]
    for block in article.body:
        _describe_block(block, lines, "  ", counter)
    lines.append(f"related ({len(article.related)})")
    for item in article.related:
        lines.append(f"  • {_preview(item.title)}")
        if item.summary:
            lines.append(f"      {_preview(item.summary)}")
    lines.append(f"dropped ({len(article.dropped)})")
    for dropped in article.dropped:
        lines.append(f"  line {dropped.line:>4}  {dropped.reason:<16} {_preview(dropped.text, 72)}")
    return "\n".join(lines) + "\n"


def _describe_block(block, lines: list[str], indent: str, counter: list[int]) -> None:
    match block:
        case Paragraph(content=content):
            counter[0] += 1
            lines.append(f"{indent}¶{counter[0]:<3} {_preview(inline_text(content))}")
            _describe_quotes(content, lines, indent + "      ", 0)
        case Heading(level=level, content=content):
            lines.append(f"{indent}{'#' * level} {_preview(inline_text(content))}")
            _describe_quotes(content, lines, indent + "      ", 0)
        case BlockQuote(content=inner):
            lines.append(f"{indent}> blockquote")
            for child in inner:
                _describe_block(child, lines, indent + "  ", counter)
        case ListBlock(ordered=ordered, items=items):
            lines.append(f"{indent}{'ordered' if ordered else 'bulleted'} list ({len(items)} items)")
            for number, item in enumerate(items, 1):
                lines.append(f"{indent}  {str(number) + '.' if ordered else '-'}")
                for child in item:
                    _describe_block(child, lines, indent + "    ", counter)
        case Rule():
            lines.append(f"{indent}———")
        case _:
            raise UnknownNodeError(block, "inspect")


def _describe_quotes(content, lines: list[str], indent: str, depth: int) -> None:
    for node in content:
        match node:
            case Quote(kind=kind, speaker=speaker, content=inner):
                who = speaker if speaker is not None else "—"
                lines.append(f"{indent}{'  ' * depth}“ {kind:<6} {who:<22} {_preview(inline_text(inner), 64)}")
                _describe_quotes(inner, lines, indent, depth + 1)
            case Emphasis(content=inner) | Strong(content=inner) | Link(content=inner):
                _describe_quotes(inner, lines, indent, depth)
            case Text() | Break():
                pass
            case _:
                raise UnknownNodeError(node, "inspect")
