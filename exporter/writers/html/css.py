"""The HTML page's stylesheet, made from the resolved style (inline in the page: nothing fetched).

One rule per semantic element key (``.body``, ``.title``, ``.quote-speech``…).  Sizes are in ``em``
of the body size and the root is set so that ``1em`` is the style's body size at the browser's
default text size (a reader who enlarges text enlarges everything); print sets the body size in
points and the page from the style, with the running head and foot in ``@page`` margin boxes.
Every value that comes from outside (a family name, a running-head text) is a CSS string literal
made by :func:`css_string`, which nothing can end early.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...style.model import BLOCK_ELEMENTS, INLINE_ELEMENTS, LABEL_ELEMENTS, ElementStyle

if TYPE_CHECKING:  # pragma: no cover
    from ...presentation.model import PageFurniture
    from ...style.model import Style

BROWSER_DEFAULT_PT = 12.0                # 16 px
_HIGHLIGHT_FLAGS = {"quote-speech": "highlight_speech", "quote-title": "highlight_title", "quote-term": "highlight_term"}
_PAGE_FIELDS = re.compile(r"\{(page|pages)\}")
# "left" in a style means the side a line starts on: right in a right-to-left article.
_ALIGN = {"left": "start", "right": "end", "center": "center", "justify": "justify"}


def css_string(value: str) -> str:
    """A CSS string literal: quotes, backslashes and "<" escaped (so ``</style>`` cannot appear),
    controls and newlines left out."""
    out = []
    for ch in value:
        if ch < " " or ch == "\x7f":
            continue
        if ch in '"\\<>&':
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _em(points: float, relative_to: float) -> str:
    return f"{_num(points / relative_to if relative_to else 0.0)}em"


def _generic(key: str, name: str) -> str:
    probe = f"{key} {name}".lower()
    return "monospace" if "mono" in probe else "sans-serif" if "sans" in probe else "serif"


def family_stack(style: "Style", key: str | None) -> str:
    if key is None or key not in style.fonts:
        return "serif"
    return f"{css_string(style.fonts[key].name)}, {_generic(key, style.fonts[key].name)}"


def _rule(selector: str, declarations: list[str]) -> str:
    return f"{selector} {{ {'; '.join(declarations)}; }}"


def _block_rule(key: str, el: ElementStyle, style: "Style", body: float) -> str:
    size = el.size or body
    decls = [f"font-family: {family_stack(style, el.family)}", f"font-size: {_em(size, body)}",
             f"font-weight: {'bold' if el.bold else 'normal'}", f"font-style: {'italic' if el.italic else 'normal'}",
             f"color: {el.color}"]
    if el.background:
        decls.append(f"background-color: {el.background}")
    if el.leading:
        decls.append(f"line-height: {_num(el.leading / size)}")
    decls += [f"margin-top: {_em(el.space_before, size)}", f"margin-bottom: {_em(el.space_after, size)}",
              f"text-align: {_ALIGN[el.align]}", f"text-indent: {_em(el.first_line_indent, size)}",
              f"hyphens: {'auto' if el.hyphenate else 'manual'}"]
    if el.keep_with_next:
        decls.append("break-after: avoid")
    return _rule(f".{key}", decls)


def _inline_rule(key: str, el: ElementStyle, style: "Style", body: float, highlighted: bool) -> str:
    decls: list[str] = []
    if el.family is not None:
        decls.append(f"font-family: {family_stack(style, el.family)}")
    if el.size is not None:
        decls.append(f"font-size: {_em(el.size, body)}")
    if el.bold is not None:
        decls.append(f"font-weight: {'bold' if el.bold else 'normal'}")
    if el.italic is not None:
        decls.append(f"font-style: {'italic' if el.italic else 'normal'}")
    decls.append(f"color: {el.color}")
    if highlighted and el.background:
        # printed too: browsers leave backgrounds out of print unless told
        decls += [f"background-color: {el.background}", "print-color-adjust: exact", "-webkit-print-color-adjust: exact"]
    return _rule(f".{key}", decls)


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
    rules = [_rule("html", [f"font-size: {_num(style.block('body').size)}pt"]),
             _rule("body", ["max-width: none", "margin: 0", "padding: 0"]),
             _rule(".screen-only", ["display: none"]),
             _rule("article.new-page, section.new-page", ["break-before: page"]),
             _rule("section.cover", ["break-after: page", "padding-top: 25%"]),
             _rule("tr, .speaker-note", ["break-inside: avoid"]),
             _rule("a", ["text-decoration: none"])]
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
                         f"font-size: {_num(el.size)}pt; color: {el.color}; }}")
    rules.append(f"@page {{ size: {_num(page.width)}pt {_num(page.height)}pt; margin: {_num(page.margin_top)}pt "
                 f"{_num(page.margin_right)}pt {_num(page.margin_bottom)}pt {_num(page.margin_left)}pt; "
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
        _rule("html", [f"font-size: {_num(body_size / BROWSER_DEFAULT_PT * 100)}%"]),
        _rule("body", [f"font-family: {family_stack(style, body.family)}", f"color: {body.color}",
                       "background: #ffffff", "max-width: 38em", "margin: 0 auto", "padding: 2em 1.25em 4em",
                       "overflow-wrap: break-word"]),
        # the article's own quote marks are in its text: <q> must not add a second pair
        _rule("q", ["quotes: none"]), _rule("q::before, q::after", ["content: none"]),
        _rule("blockquote", ["margin: 1em 0 1em 1.5em", "padding: 0"]),
        _rule("ul, ol", ["margin: 0.5em 0", "padding-left: 1.5em"]),
        _rule("li > p", ["margin-top: 0"]),
        _rule("hr", ["border: 0", "border-top: 1px solid #999999", "margin: 1.5em 20%"]),
        _rule("a", ["color: inherit"]),
        _rule("article", ["margin-bottom: 3em"]),
        # on screen, one article of a briefing ends visibly before the next begins
        "@media screen { article + article, section + article { border-top: 1px solid #cccccc; padding-top: 1.5em; } }",
        _rule("header.article-head", ["margin-bottom: 1em"]),
        _rule(".marking", ["text-align: center", "font-weight: bold", "letter-spacing: 0.08em"]),
        _rule("section.cover", ["padding-top: 2em", "margin-bottom: 2em"]),
        _rule("nav.contents ol", ["list-style: none", "padding-left: 0"]),
        _rule("nav.contents ol ol", ["padding-left: 1.5em", "font-size: 0.92em"]),
        _rule("nav.contents a", ["display: block", "text-decoration: none"]),
        _rule("table.key-quotes", ["border-collapse: collapse", "width: 100%", "margin: 0.5em 0 1.5em"]),
        _rule("table.key-quotes th, table.key-quotes td", ["text-align: start", "vertical-align: top",
                                                           "padding: 0.35em 0.6em 0.35em 0", "border-bottom: 1px solid #cccccc"]),
        _rule("table.key-quotes th", ["border-bottom: 2px solid #666666", "font-style: normal"]),
        _rule("table.key-quotes .kq-speaker", ["font-style: normal", "font-weight: bold", "width: 20%"]),
        _rule("table.key-quotes .kq-article", ["font-style: normal", "width: 26%"]),
        _rule("table.key-quotes a", ["text-decoration: none"]),
        _rule("ol.speaker-notes", ["padding-left: 1.5em"]),
        # each dropped line already says its line number: no list numbers beside it
        _rule("ul.dropped-lines", ["list-style: none", "padding-left: 0"]),
        _rule("sup.speaker-ref", ["line-height: 0"]),
        # a margin note: beside the line in a side column on wide screens, a floated box inside
        # the column on narrow ones and on paper; never a hover-only tooltip
        _rule(".speaker-note", ["float: right", "clear: right", "width: 30%", "margin: 0.15em 0 0.3em 0.8em",
                                "text-indent: 0", "text-align: start", "line-height: 1.25"]),
        "@media screen and (min-width: 62em) { .speaker-note { width: 10em; margin-right: -12em; } }",
    ]
    for key in BLOCK_ELEMENTS:
        rules.append(_block_rule(key, style.block(key), style, body_size))
    for key in INLINE_ELEMENTS:
        highlighted = bool(getattr(style.quotes, _HIGHLIGHT_FLAGS[key]))
        rules.append(_inline_rule(key, style.element(key), style, body_size, highlighted))
    for key in LABEL_ELEMENTS:
        rules.append(_inline_rule(key, style.element(key), style, body_size, False))
    rules.append("@media print { " + " ".join(_print_rules(style, furniture)) + " }")
    return "\n".join(rules) + "\n"
