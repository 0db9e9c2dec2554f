"""The HTML page's stylesheet, made from the resolved style (inline in the page: nothing fetched).

One rule per semantic element key (``.body``, ``.title``, ``.quote-speech``…), made as the EPUB
stylesheet's are (:mod:`exporter.writers.stylesheet`).  Sizes are in ``em`` of the body size and the root is set so that ``1em`` is the style's body size at the browser's
default text size (a reader who enlarges text enlarges everything); print sets the body size in
points and the page from the style, with the running head and foot in ``@page`` margin boxes.
Every value that comes from outside (a family name, a running-head text) is a CSS string literal
made by :func:`css_string`, which nothing can end early.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..stylesheet import base_rules, css_string, element_rules, family_stack, number, rule

if TYPE_CHECKING:  # pragma: no cover
    from ...presentation.model import PageFurniture
    from ...style.model import Style

BROWSER_DEFAULT_PT = 12.0                # 16 px
_PAGE_FIELDS = re.compile(r"\{(page|pages)\}")


def _page_content(template: str) -> str | None:
    """A running-head slot as a CSS ``content`` value (``{page}``/``{pages}`` as counters)."""
    if not template:
        return None
    pieces: list[str] = []
    position = 0
    for match in _PAGE_FIELDS.finditer(template):
        if match.start() > position:
            pieces.append(css_string(template[position:match.start()]))
        pieces.append(f"counter({match.group(1)})")
        position = match.end()
    if position < len(template):
        pieces.append(css_string(template[position:]))
    return " ".join(pieces)


def _print_rules(style: "Style", furniture: "PageFurniture") -> list[str]:
    page = style.page
    rules = [rule("html", [f"font-size: {number(style.block('body').size)}pt"]),
             rule("body", ["max-width: none", "margin: 0", "padding: 0"]),
             rule(".screen-only", ["display: none"]),
             rule("article.new-page, section.new-page", ["break-before: page"]),
             rule("section.cover", ["break-after: page", "padding-top: 25%"]),
             rule("tr, .speaker-note", ["break-inside: avoid"]),
             rule("a", ["text-decoration: none"])]
    boxes: list[str] = []
    slots = (("top-left", furniture.running.header[0]), ("top-center", furniture.running.header[1]),
             ("top-right", furniture.running.header[2]), ("bottom-left", furniture.running.footer[0]),
             ("bottom-center", furniture.running.footer[1]), ("bottom-right", furniture.running.footer[2]))
    marking_slots = {"top-center", "bottom-center"} if furniture.marking and not furniture.marking_in_templates else set()
    header, footer = style.block("header"), style.block("footer")
    for box, template in slots:
        content = _page_content(template)
        if box in marking_slots:
            content = css_string(furniture.marking or "")
        if content:
            el = header if box.startswith("top") else footer
            boxes.append(f"@{box} {{ content: {content}; font-family: {family_stack(style, el.family)}; "
                         f"font-size: {number(el.size)}pt; color: {el.color}; }}")
    rules.append(f"@page {{ size: {number(page.width)}pt {number(page.height)}pt; margin: {number(page.margin_top)}pt "
                 f"{number(page.margin_right)}pt {number(page.margin_bottom)}pt {number(page.margin_left)}pt; "
                 + " ".join(boxes) + " }")
    if not furniture.first_page:
        # a bare first page, but for the marking, which is on every page
        first = [f"@{box} {{ content: none; }}" for box, _ in slots if box not in ("top-center", "bottom-center")]
        centre = css_string(furniture.marking) if furniture.marking else "none"
        first += [f"@top-center {{ content: {centre}; }}", f"@bottom-center {{ content: {centre}; }}"]
        rules.append("@page :first { " + " ".join(first) + " }")
    return rules


def build_css(style: "Style", furniture: "PageFurniture") -> str:
    body_size = style.block("body").size
    body = style.block("body")
    rules = [
        rule("html", [f"font-size: {number(body_size / BROWSER_DEFAULT_PT * 100)}%"]),
        rule("body", [f"font-family: {family_stack(style, body.family)}", f"color: {body.color}",
                       "background: #ffffff", "max-width: 38em", "margin: 0 auto", "padding: 2em 1.25em 4em",
                       "overflow-wrap: break-word"]),
        *base_rules(),
        rule("article", ["margin-bottom: 3em"]),
        # on screen, one article of a briefing ends visibly before the next begins
        "@media screen { article + article, section + article { border-top: 1px solid #cccccc; padding-top: 1.5em; } }",
        rule("header.article-head", ["margin-bottom: 1em"]),
        rule(".marking", ["text-align: center", "font-weight: bold", "letter-spacing: 0.08em"]),
        rule("section.cover", ["padding-top: 2em", "margin-bottom: 2em"]),
        rule("nav.contents ol", ["list-style: none", "padding-left: 0"]),
        rule("nav.contents ol ol", ["padding-left: 1.5em", "font-size: 0.92em"]),
        rule("nav.contents a", ["display: block", "text-decoration: none"]),
        rule("table.key-quotes", ["border-collapse: collapse", "width: 100%", "margin: 0.5em 0 1.5em"]),
        rule("table.key-quotes th, table.key-quotes td", ["text-align: start", "vertical-align: top",
                                                           "padding: 0.35em 0.6em 0.35em 0", "border-bottom: 1px solid #cccccc"]),
        rule("table.key-quotes th", ["border-bottom: 2px solid #666666", "font-style: normal"]),
        rule("table.key-quotes .kq-speaker", ["font-style: normal", "font-weight: bold", "width: 20%"]),
        rule("table.key-quotes .kq-article", ["font-style: normal", "width: 26%"]),
        rule("table.key-quotes a", ["text-decoration: none"]),
        rule("ol.speaker-notes", ["padding-left: 1.5em"]),
        # each dropped line already says its line number: no list numbers beside it
        rule("ul.dropped-lines", ["list-style: none", "padding-left: 0"]),
        rule("sup.speaker-ref", ["line-height: 0"]),
        # a margin note: beside the line in a side column on wide screens, a floated box inside
        # the column on narrow ones and on paper; never a hover-only tooltip
        rule(".speaker-note", ["float: right", "clear: right", "width: 30%", "margin: 0.15em 0 0.3em 0.8em",
                                "text-indent: 0", "text-align: start", "line-height: 1.25"]),
        "@media screen and (min-width: 62em) { .speaker-note { width: 10em; margin-right: -12em; } }",
    ]
    rules += element_rules(style, body_size, keep_backgrounds_in_print=True)
    rules.append("@media print { " + " ".join(_print_rules(style, furniture)) + " }")
    return "\n".join(rules) + "\n"
