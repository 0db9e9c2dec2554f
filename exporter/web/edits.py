"""Corrections made on the web page, as edits of the article AST (never of its text).

Every function takes an :class:`~exporter.ast.Article` and returns a new one built with
``dataclasses.replace`` on the frozen nodes.  A quote is addressed by its *site*: the chain of
indexes from ``article.body`` down to the quote (a list block spends two: the item, then the block
inside it), which the page prints into its forms and sends back.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

import exporter
from exporter.ast import (
    Article, Block, BlockQuote, Break, Emphasis, Heading, Inline, Link, ListBlock, Paragraph, Quote,
    Rule, Strong, Text, UnknownNodeError, inline_text,
)
from exporter.errors import UsageError

#: The metadata a person corrects on the page (the rest stays as the reader found it).
EDITABLE_META = ("title", "subtitle", "byline", "date", "source")
MAX_SPEAKER_CHARS = 200

Site = tuple[int, ...]


class EditError(UsageError):
    """An edit that cannot apply (a stale address, a node that is not a quote): one line."""


@dataclass(frozen=True)
class SpeakerSite:
    """Words the page lists with their speaker: a speech quote, or a transcript turn (a paragraph
    the reader gave a speaker, see ``Paragraph.speaker``), and where it is."""
    site: Site
    node: Quote | Paragraph
    depth: int            # 0 for a quote in running text or a turn, 1 for a quote inside a quote, …

    @property
    def address(self) -> str:
        return format_site(self.site)

    @property
    def text(self) -> str:
        return inline_text(self.node.content)

    @property
    def is_turn(self) -> bool:
        return isinstance(self.node, Paragraph)

    @property
    def speaker(self) -> str | None:
        return self.node.speaker

    @property
    def evidence(self) -> str | None:
        return self.node.evidence


class QuoteSite(SpeakerSite):
    """A quote of any kind (speech, title, term) and where it is."""

    @property
    def quote(self) -> Quote:
        return self.node


def format_site(site: Site) -> str:
    return ".".join(str(i) for i in site)


def parse_site(address: str) -> Site:
    parts = address.split(".")
    if not address or len(parts) > 64 or not all(p.isdigit() and len(p) <= 6 for p in parts):
        raise EditError(f"quote address {address[:40]!r}: not an address this page made")
    return tuple(int(p) for p in parts)


# ------------------------------------------------------------------------------------------ quotes
def quote_sites(article: Article) -> list[QuoteSite]:
    """Every quote of the article in reading order, outer before inner, with its site."""
    return list(_blocks_quotes(article.body, ()))


def speaker_sites(article: Article) -> list[SpeakerSite]:
    """Speech quotes and transcript turns in reading order (a turn before the quotes inside it)."""
    out = []
    for found in _blocks_quotes(article.body, (), with_turns=True):
        if found.is_turn or found.quote.kind == "speech":
            out.append(found)
    return out


def _blocks_quotes(blocks: tuple[Block, ...], prefix: Site, with_turns: bool = False):
    for i, block in enumerate(blocks):
        match block:
            case Paragraph(content=content, speaker=speaker):
                if with_turns and speaker is not None:
                    yield SpeakerSite(prefix + (i,), block, 0)
                yield from _inline_quotes(content, prefix + (i,), 0)
            case Heading(content=content):
                yield from _inline_quotes(content, prefix + (i,), 0)
            case BlockQuote(content=inner):
                yield from _blocks_quotes(inner, prefix + (i,), with_turns)
            case ListBlock(items=items):
                for k, item in enumerate(items):
                    yield from _blocks_quotes(item, prefix + (i, k), with_turns)
            case Rule():
                pass
            case _:
                raise UnknownNodeError(block, "quote_sites")


def _inline_quotes(content: tuple[Inline, ...], prefix: Site, depth: int):
    for m, node in enumerate(content):
        match node:
            case Quote(content=inner):
                yield QuoteSite(prefix + (m,), node, depth)
                yield from _inline_quotes(inner, prefix + (m,), depth + 1)
            case Emphasis(content=inner) | Strong(content=inner) | Link(content=inner):
                yield from _inline_quotes(inner, prefix + (m,), depth)
            case Text() | Break():
                pass
            case _:
                raise UnknownNodeError(node, "quote_sites")


def set_speaker(article: Article, site: Site, speaker: str | None) -> Article:
    """The article with the quote or transcript turn at ``site`` credited to ``speaker`` (None or
    blank: nobody; a turn left without a speaker reads as prose).  A speaker given by hand has no
    reader evidence, so ``evidence`` becomes None."""
    name = clean_speaker(speaker)

    def credit(node):
        if not isinstance(node, (Quote, Paragraph)):
            raise EditError("that quote is no longer there; reload the page")
        return replace(node, speaker=name, evidence=None)

    return replace(article, body=_replace_in_blocks(article.body, site, credit))


def clean_speaker(speaker: str | None) -> str | None:
    """A speaker name as typed: control and format characters out, spaces collapsed, NFC."""
    if speaker is None:
        return None
    kept = "".join(ch for ch in unicodedata.normalize("NFC", speaker)
                   if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\t\n")
    name = " ".join(kept.split())
    if len(name) > MAX_SPEAKER_CHARS:
        raise EditError(f"speaker: at most {MAX_SPEAKER_CHARS} characters")
    return name or None


def _replace_in_blocks(blocks: tuple[Block, ...], site: Site, edit) -> tuple[Block, ...]:
    if not site or not 0 <= site[0] < len(blocks):
        raise EditError("that quote is no longer there; reload the page")
    i, rest = site[0], site[1:]
    block = blocks[i]
    if not rest:
        if not (isinstance(block, Paragraph) and block.speaker is not None):
            raise EditError("that quote is no longer there; reload the page")
        return blocks[:i] + (edit(block),) + blocks[i + 1:]       # a transcript turn
    match block:
        case Paragraph(content=content) | Heading(content=content):
            new = replace(block, content=_replace_in_inlines(content, rest, edit))
        case BlockQuote(content=inner):
            new = replace(block, content=_replace_in_blocks(inner, rest, edit))
        case ListBlock(items=items):
            if not rest or not 0 <= rest[0] < len(items):
                raise EditError("that quote is no longer there; reload the page")
            k = rest[0]
            new = replace(block, items=items[:k] + (_replace_in_blocks(items[k], rest[1:], edit),) + items[k + 1:])
        case Rule():
            raise EditError("that quote is no longer there; reload the page")
        case _:
            raise UnknownNodeError(block, "set_speaker")
    return blocks[:i] + (new,) + blocks[i + 1:]


def _replace_in_inlines(content: tuple[Inline, ...], site: Site, edit) -> tuple[Inline, ...]:
    if not site or not 0 <= site[0] < len(content):
        raise EditError("that quote is no longer there; reload the page")
    m, rest = site[0], site[1:]
    node = content[m]
    if not rest:
        new = edit(node)
    else:
        match node:
            case Quote(content=inner) | Emphasis(content=inner) | Strong(content=inner) | Link(content=inner):
                new = replace(node, content=_replace_in_inlines(inner, rest, edit))
            case Text() | Break():
                raise EditError("that quote is no longer there; reload the page")
            case _:
                raise UnknownNodeError(node, "set_speaker")
    return content[:m] + (new,) + content[m + 1:]


# ---------------------------------------------------------------------------------- dropped lines
def restore_dropped(article: Article, index: int, source_text: str | None) -> tuple[Article, bool]:
    """The article with dropped line ``index`` put back as a paragraph where it stood in the
    source, and taken off the dropped list.  The AST does not record which line each block came
    from, so blocks are found in ``source_text`` (the decoded input) by their words; without it
    (an article loaded as JSON) the paragraph goes at the end.  Returns (article, placed), where
    ``placed`` says whether the source position was known."""
    if not 0 <= index < len(article.dropped):
        raise EditError("that dropped line is no longer there; reload the page")
    dropped = article.dropped[index]
    paragraph = Paragraph((Text(dropped.text),))
    if source_text is None:
        position, placed = len(article.body), False
    else:
        position, placed = 0, True
        for i, line in enumerate(block_source_lines(article.body, source_text)):
            if line is not None and line < dropped.line:
                position = i + 1
    body = article.body[:position] + (paragraph,) + article.body[position:]
    return replace(article, body=body, dropped=article.dropped[:index] + article.dropped[index + 1:]), placed


def block_source_lines(body: tuple[Block, ...], source_text: str) -> list[int | None]:
    """For each top-level block, the 1-based source line it starts on, found by its first words
    (letters and digits only, so typography the reader changed does not matter), searching
    forward from the previous block's line; None where no line matches."""
    lines = [_letters(line) for line in source_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    found: list[int | None] = []
    cursor = 0
    for block in body:
        probe = _letters(_block_text(block))[:32]
        line_number = None
        if probe:
            for j in range(cursor, len(lines)):
                if probe in lines[j] or (len(lines[j]) >= 8 and probe.startswith(lines[j])):
                    line_number, cursor = j + 1, j + 1
                    break
        found.append(line_number)
    return found


def _block_text(block: Block) -> str:
    match block:
        case Paragraph(content=content) | Heading(content=content):
            return inline_text(content)
        case BlockQuote(content=inner):
            return _block_text(inner[0]) if inner else ""
        case ListBlock(items=items):
            return _block_text(items[0][0]) if items and items[0] else ""
        case Rule():
            return ""
        case _:
            raise UnknownNodeError(block, "block_source_lines")


def _letters(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


# ----------------------------------------------------------------------------------------- meta
def edit_meta(article: Article, values: dict[str, str]) -> Article:
    """The article with the given metadata fields corrected; a blank value clears the field.
    Only fields whose value differs from the article's are touched, so re-sending an unchanged
    title made from the lede keeps it a lede title.  Values are cleaned and checked by
    :func:`exporter.with_meta` (a bad date is a one-line UsageError)."""
    changed = {name: " ".join(value.split()) for name, value in values.items()
               if name in EDITABLE_META and " ".join(value.split()) != (getattr(article.meta, name) or "")}
    if not changed:
        return article
    updated = exporter.with_meta(article, **{name: value for name, value in changed.items() if value})
    cleared = {name: None for name, value in changed.items() if not value}
    meta = replace(updated.meta, **cleared)
    if "title" in changed:
        # A title a person typed is the caller's headline: printed above the article, where one
        # made from the lede is not.  with_meta keeps the old origin, so it is set here.
        meta = replace(meta, title_origin="caller" if meta.title else None)
    return replace(updated, meta=meta)
