"""The HTML reader: a saved web page -> the same :class:`exporter.ast.Article` as the text reader.

Stages:

1. bytes -> text: BOM, ``<meta charset>``, then the text decoding rules (:mod:`.sniff`);
2. the page parsed safely within limits, its visible text blocks listed (:mod:`.page`);
3. the article extracted by trafilatura (the ``[html]`` extra) with its structure and metadata:
   paragraphs, headings, lists, block quotes, tables as rows, emphasis and links -- links only
   through :func:`exporter.links.safe_link`, the one link policy (:mod:`.blocks`);
4. the text stages of the text reader, unchanged: the extracted blocks are written as plain
   text in its block syntax (the page's title line first) and read by
   :func:`exporter.reader.read_text`, which drops boilerplate lines (share bars, bylines,
   datelines, repeats…), moves teaser lists to ``related`` and infers title, byline and date;
5. the body: the extracted blocks the text stages kept, marked for quotes and speakers by the
   same :func:`~exporter.reader.quotes.mark_quotes` and
   :func:`~exporter.reader.speakers.attribute_speakers`, with the page's formatting laid back
   over their result (:func:`.blocks.overlay`);
6. ``dropped``: the page's text blocks the extractor left out (navigation, comments, related
   lists, footers… by the region they sit in, or by the text reader's line rules) and the lines
   the text stages dropped, each with its line in the page.

Metadata: the caller's, else the page's (title line, author -> byline, date, site name,
``<html lang>``, canonical URL), else what the text stages infer; language last from the body's
words.  A page with no article is an :class:`~exporter.errors.InputError`.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ...ast import (Article, Block, BlockQuote, Dropped, Heading, ListBlock, Meta, Paragraph,
                    RelatedItem, Text, META_FIELDS)
from ...errors import InputError
from .sniff import HTML_SUFFIXES, INPUT_FORMATS, choose_reader, decode_page, has_html_suffix, looks_like_html

__all__ = ["HTML_SUFFIXES", "INPUT_FORMATS", "choose_reader", "has_html_suffix", "looks_like_html", "read_html"]

# The text reader's whole-page extent rules: on an extract they may still trim short pieces the
# extractor let through, but a paragraph of prose it kept stays.
EXTENT_REASONS = frozenset({"outside-article", "page-chrome"})
LONG_PROSE_WORDS = 20
# A page whose extract has no paragraph this long has no article (a menu, labels).
ARTICLE_MIN_WORDS = 6
RELATED_MIN_WORDS = 4
RELATED_MAX_WORDS = 30
_WORDS = re.compile(r"\w+")
SHINGLE = 4



def read_html(data: bytes | str, *, meta: Mapping[str, object] | None = None, keep_boilerplate: bool = False,
              source_name: str = "<input>", warn: Callable[[str], None] | None = None) -> Article:
    """Read a saved web page (its bytes, or its already-decoded text).  ``meta``: caller
    overrides (Meta field names), which win over the page's own metadata."""
    from . import blocks as page_blocks_module
    from .page import parse_page

    if isinstance(data, str):
        from ..decode import normalize_text

        text = normalize_text(data)
        if not text.strip():
            raise InputError(f"{source_name}: empty input (no page)")
    else:
        text, warnings = decode_page(data, source_name)
        for message in warnings:
            if warn is not None:
                warn(message)
    page = parse_page(text, source_name)
    if keep_boilerplate:
        # Everything the page shows, block by block; the extractor only for the page's metadata.
        blocks = tuple(page_blocks_module.Leaf(0, t.text, (), t.line) for t in page.texts)
        try:
            extracted = _extract(page, source_name)
        except InputError:
            extracted = None
    else:
        extracted = _extract(page, source_name)
        blocks = page_blocks_module.page_blocks(extracted.body, warn)
    if not blocks:
        raise InputError(f"{source_name}: no article found in the page (no text the extractor could keep)")
    return _assemble(page, extracted, blocks, meta or {}, keep_boilerplate, source_name)


def _extract(page, source_name: str):
    trafilatura = _trafilatura()
    try:
        document = trafilatura.bare_extraction(
            page.tree, favor_recall=True, include_comments=False, include_tables=True, include_images=False,
            include_formatting=True, include_links=True, with_metadata=True, deduplicate=False)
    except RecursionError:
        raise InputError(f"{source_name}: nested too deeply to read") from None
    if document is None or document.body is None or not "".join(document.body.itertext()).strip():
        raise InputError(f"{source_name}: no article found in the page (the extractor found no main text)")
    return document


def _trafilatura():
    import logging

    from ...extras import require

    module = require("trafilatura", "html", "reading web pages")
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        # Their log lines are no user's business, and must not reach stderr as stray output.
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False
    return module


# ------------------------------------------------------------------------------------ assembly
def _leaves(blocks, depth: int = 0):
    """(leaf, marker prefix) of every leaf in document order."""
    from .blocks import Container, Leaf

    for block in blocks:
        if isinstance(block, Leaf):
            yield block, ("#" * block.heading_level + " ") if block.heading_level else ""
        elif isinstance(block, Container):
            for number, item in enumerate(block.items, 1):
                for leaf, prefix in _leaves(item, depth + 1):
                    if block.kind == "quote":
                        yield leaf, "> " + prefix.lstrip("> ")
                    elif not prefix:
                        yield leaf, f"{number}. " if block.ordered else "- "
                    else:
                        yield leaf, prefix
        else:
            raise TypeError(f"unknown page block {type(block).__name__}")


def _assemble(page, extracted, blocks, caller: Mapping[str, object], keep_boilerplate: bool,
              source_name: str) -> Article:
    from .. import quotes, speakers
    from .._quote_text import map_blocks
    from ..core import read_text
    from ..metadata import lede_title, split_site
    from .blocks import overlay

    leaves = list(_leaves(blocks))
    # The page's declared headline first: the text stages split a " - Site" off it and prefer the
    # page's own headline line when that repeats or starts it.
    page_title = _one_line(page.title or getattr(extracted, "title", None) or "")
    # The text the text stages read: the page's title line, then one line per leaf, apart.
    lines: list[str] = [page_title, ""] if page_title else []
    leaf_at: dict[int, int] = {}
    for index, (leaf, prefix) in enumerate(leaves):
        leaf_at[len(lines) + 1] = index
        lines += [prefix + _one_line(leaf.text), ""]
    classified = read_text("\n".join(lines), keep_boilerplate=keep_boilerplate, source_name=source_name)
    dropped_leaf: dict[int, str] = {}
    for entry in classified.dropped:
        index = leaf_at.get(entry.line)
        # Every drop counts, the extent rules' too: trafilatura's extraction errs towards
        # recall (favor_recall), and the text reader's extent trims what it let through.
        if index is not None:
            if entry.reason in EXTENT_REASONS and _long_prose(leaves[index][0].text):
                continue
            dropped_leaf[index] = entry.reason

    if not any(len(_WORDS.findall(leaf.text)) >= ARTICLE_MIN_WORDS
               for index, (leaf, _) in enumerate(leaves) if index not in dropped_leaf and not leaf.heading_level):
        # What is left is a menu or a few labels (an index page, a consent wall): no article.
        raise InputError(f"{source_name}: no article found in the page (no paragraph of text)")
    headline_key = _key(split_site(page_title)[0]) if page_title else ""
    headline_key = _key(classified.meta.title or "") if classified.meta.title_origin == "headline" else headline_key
    for index, (leaf, _) in enumerate(leaves):
        # The page's headline repeated in the extract (its <h1>, which the text stages leave
        # alone as a "#" heading) is the title, not the body's first heading.
        if headline_key and index not in dropped_leaf and _key(leaf.text) == headline_key:
            dropped_leaf[index] = "title"
    kept_ids = {id(leaves[i][0]) for i in range(len(leaves)) if i not in dropped_leaf}
    body_blocks, kept_leaves = _to_ast(blocks, kept_ids)
    if not body_blocks:
        raise InputError(f"{source_name}: no article found in the page (only furniture: "
                         f"{', '.join(sorted(set(dropped_leaf.values()))) or 'nothing'})")
    contents = _contents_by_leaf(classified, lines, leaf_at, leaves)
    if contents is not None and all(id(leaf) in contents for leaf in kept_leaves):
        # The text stages marked quotes and speakers on exactly these lines: their result is
        # used as it is (the same quotes and speakers a text input gets, at half the work).
        marked = tuple(body_blocks)
        leaf_content = iter([contents[id(leaf)] for leaf in kept_leaves])
        body = map_blocks(marked, lambda block: next(leaf_content))
    else:
        body = speakers.attribute_speakers(quotes.mark_quotes(tuple(body_blocks)))
    leaf_iter = iter(kept_leaves)
    body = map_blocks(body, lambda block: overlay(block.content, next(leaf_iter)))

    # --- where each leaf stands in the page (trafilatura keeps most source lines; else by text)
    line_of_text = {}
    for item in page.texts:
        line_of_text.setdefault(_key(item.text), item.line)
    last_line = 1
    leaf_lines: list[int] = []
    for leaf, _ in leaves:
        line = leaf.line or line_of_text.get(_key(leaf.text)) or last_line
        leaf_lines.append(line)
        last_line = line

    # --- metadata: caller > page > text stages > lede
    inferred = classified.meta
    values: dict[str, object] = {}
    page_values = {
        # The page's structured data names the writer; else a "By …" line it shows by the
        # article does, more surely than its author meta tag (a user name, an agency).
        "byline": page.author or _visible_byline(page, leaf_lines, dropped_leaf)
        or _clean_author(getattr(extracted, "author", None)),
        "date": getattr(extracted, "date", None),
        "site": _one_line(getattr(extracted, "sitename", None) or "") or None,
        "url": _page_url(getattr(extracted, "url", None)),
    }
    for name in META_FIELDS:
        if name in ("title", "title_origin", "language", "tags"):
            continue
        value = caller.get(name) or page_values.get(name) or getattr(inferred, name)
        if value:
            values[name] = value
    if caller.get("tags"):
        values["tags"] = tuple(caller["tags"])          # type: ignore[arg-type]
    if caller.get("title"):
        values["title"], values["title_origin"] = caller["title"], "caller"
    elif inferred.title and inferred.title_origin == "headline":
        values["title"], values["title_origin"] = inferred.title, "headline"
    elif page_title:
        values["title"], values["title_origin"] = split_site(page_title)[0], "headline"
    else:
        lede = next((b for b in body if isinstance(b, Paragraph)), None)
        if lede is not None:
            from ...ast import inline_text

            values["title"], values["title_origin"] = lede_title(inline_text(lede.content)), "lede"
    values["language"] = caller.get("language") or page.language or _guess_language(body)

    # --- dropped and related
    related = list(classified.related)
    dropped: list[Dropped] = []
    title_key = _key(str(values.get("title") or ""))
    for index, reason in dropped_leaf.items():
        text = _one_line(leaves[index][0].text)
        # the page's headline repeated in the extract is the title, whichever rule caught it
        dropped.append(Dropped(leaf_lines[index], text, "title" if _key(text) == title_key else reason))
    if extracted is not None and not keep_boilerplate:
        article_shingles = _shingles(" ".join(leaf.text for leaf, _ in leaves))
        leaf_keys = {_key(leaf.text) for leaf, _ in leaves}
        for item in page.texts:
            if _key(item.text) in leaf_keys or _inside(item.text, article_shingles):
                continue
            reason = _reason(item, title_key)
            dropped.append(Dropped(item.line, item.text, reason))
            if reason == "related-teaser":
                related.append(RelatedItem(item.text))
    dropped.sort(key=lambda d: d.line)
    return Article(meta=Meta(**values), body=body, related=tuple(related), dropped=tuple(dropped))   # type: ignore[arg-type]


def _to_ast(blocks, kept_ids: set[int]) -> tuple[list[Block], list]:
    """The AST blocks (plain Text content) of the kept leaves, and those leaves in the order
    :func:`~exporter.reader._quote_text.map_blocks` visits them.  Emptied containers go."""
    from .blocks import Container, Leaf

    out: list[Block] = []
    order: list = []
    for block in blocks:
        if isinstance(block, Leaf):
            if id(block) not in kept_ids:
                continue
            content = (Text(block.text),)
            out.append(Heading(block.heading_level, content) if block.heading_level else Paragraph(content))
            order.append(block)
        elif isinstance(block, Container):
            items = []
            for item in block.items:
                inner, inner_order = _to_ast(item, kept_ids)
                if inner:
                    items.append(tuple(inner))
                    order.extend(inner_order)
            if not items:
                continue
            if block.kind == "quote":
                out.append(BlockQuote(tuple(b for item in items for b in item)))
            else:
                out.append(ListBlock(block.ordered, tuple(items)))
        else:
            raise TypeError(f"unknown page block {type(block).__name__}")
    return out, order


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clean_author(author: str | None) -> str | None:
    """trafilatura's author field ("A; B") as a byline ("A, B"), each name once whatever its case."""
    if not author:
        return None
    names: dict[str, str] = {}
    for name in (_one_line(part) for part in author.split(";")):
        if name and name.casefold() not in names:
            names[name.casefold()] = name
    return ", ".join(names.values()) or None


def _visible_byline(page, leaf_lines: list[int], dropped_leaf: dict[int, str]) -> str | None:
    """The name of the first "By …" line (the text reader's byline rule) the page shows above the
    article's last kept block, outside comments and related lists."""
    from ..metadata import byline_of

    kept = [line for index, line in enumerate(leaf_lines) if index not in dropped_leaf]
    if not kept:
        return None
    last = max(kept)
    for item in page.texts:
        if item.line > last:
            break
        if item.region in ("comments", "related-teaser"):
            continue
        name = byline_of(item.text)
        if name:
            return name
    return None


def _page_url(url: str | None) -> str | None:
    """The page's canonical URL when it is one the link policy accepts (no credentials kept)."""
    from ...links import safe_link

    return safe_link(url) if url else None


def _guess_language(body) -> str:
    from ...ast import iter_inline_runs, inline_text
    from ..language import guess_language

    sample = "\n".join(inline_text(content) for _, content in iter_inline_runs(body))
    return guess_language(sample[:20000])


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _shingles(text: str) -> set[tuple[str, ...]]:
    tokens = _WORDS.findall(text.casefold())
    if len(tokens) < SHINGLE:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def _inside(text: str, article: set[tuple[str, ...]]) -> bool:
    """Most of the text block's word 4-grams are the article's: the extractor kept it."""
    mine = _shingles(text)
    if not mine:
        return True             # no words: nothing to report
    return sum(1 for s in mine if s in article) * 2 >= len(mine)


def _reason(item, title_key: str) -> str:
    """Why a text block of the page is not in the article."""
    from ..boilerplate import classify_line
    from ..metadata import byline_of, is_date_line

    if title_key and _key(item.text) == title_key:
        return "title"
    reason = classify_line(item.text)
    if reason is not None:
        return reason
    words = len(_WORDS.findall(item.text))
    if item.region == "related-teaser":
        if words < RELATED_MIN_WORDS:
            return "related-marker"
        return "related-teaser" if words <= RELATED_MAX_WORDS else "outside-article"
    if item.region is not None:
        return item.region
    if byline_of(item.text):
        return "byline"
    if is_date_line(item.text):
        return "dateline"
    return "outside-article" if words >= 6 else "page-chrome"


def _contents_by_leaf(classified: Article, lines: list[str], leaf_at: dict[int, int], leaves) -> dict[int, tuple] | None:
    """The inline content the text stages gave each leaf they kept (by ``id`` of the leaf), or
    None when their body does not line up one to one with the lines they kept (a line they
    re-read as something else): then the quote and speaker stages run again on the leaves."""
    from ...ast import inline_text, iter_inline_runs

    dropped_lines = {entry.line for entry in classified.dropped}
    kept = [number for number, line in enumerate(lines, 1) if line.strip() and number not in dropped_lines]
    runs = [content for _, content in iter_inline_runs(classified.body)]
    if len(runs) != len(kept):
        return None
    out: dict[int, tuple] = {}
    for number, content in zip(kept, runs):
        index = leaf_at.get(number)
        if index is None:
            continue               # the page's title line, kept as text: not part of the page's body
        leaf = leaves[index][0]
        if inline_text(content) != leaf.text.replace("\n", " "):
            return None
        out[id(leaf)] = content
    return out


def _long_prose(text: str) -> bool:
    from ..textutil import ends_sentence

    return len(_WORDS.findall(text)) >= LONG_PROSE_WORDS and ends_sentence(text)
