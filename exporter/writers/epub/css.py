"""The EPUB stylesheet, generated from the resolved style.

One rule per semantic element key with the selector ``.<key>``.  Reading systems let the reader pick
the base size, so nothing sets an absolute size: every font size is in ``em`` relative to the
style's body size (``.body`` is ``1em``), margins and indents are in ``em`` of the element's own size,
and line height is a unitless ratio.  Only leaf text blocks carry a class with a font size, so sizes
never compound through nesting.
"""
from __future__ import annotations

from typing import Iterable, NamedTuple

from ...style.model import BLOCK_ELEMENTS, INLINE_ELEMENTS, LABEL_ELEMENTS, ElementStyle, Style

# Which QuoteOptions flag switches each quote kind's background on.
_QUOTE_KIND_HIGHLIGHT = {"quote-speech": "highlight_speech", "quote-title": "highlight_title",
                         "quote-term": "highlight_term"}
# "left" in a style means the side a line starts on: the right in a right-to-left article.
_ALIGN = {"left": "start", "right": "end", "center": "center", "justify": "justify"}


class FontFace(NamedTuple):
    """One ``@font-face`` rule: a family name, a face and the package-relative file it points to."""

    family: str
    bold: bool
    italic: bool
    href: str                 # relative to the stylesheet, e.g. "fonts/serif-regular.ttf"


def css_string(value: str) -> str:
    """A CSS string literal.  Style data is trusted more than article text, but a quote or a
    backslash in a family name must still not end the literal."""
    cleaned = "".join(ch for ch in value if ch >= " " and ch != "\x7f")
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _em(points: float, relative_to: float) -> str:
    value = points / relative_to if relative_to else 0.0
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return f"{text or '0'}em"


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def generic_family(key: str, display_name: str) -> str:
    """The CSS generic family a named family falls back to."""
    probe = f"{key} {display_name}".lower()
    if "mono" in probe or "code" in probe:
        return "monospace"
    if "sans" in probe:
        return "sans-serif"
    return "serif"


def family_stack(style: Style, key: str | None, fallback_families: Iterable[str]) -> str:
    """``"Noto Serif", "exporter-fallback-1", serif`` for the style family ``key``."""
    parts: list[str] = []
    generic = "serif"
    if key is not None and key in style.fonts:
        family = style.fonts[key]
        parts.append(css_string(family.name))
        generic = generic_family(key, family.name)
    parts.extend(css_string(name) for name in fallback_families)
    parts.append(generic)
    return ", ".join(parts)


def _block_rule(key: str, element: ElementStyle, style: Style, body_size: float,
                fallback_families: tuple[str, ...]) -> str:
    size = element.size or body_size
    declarations = [
        f"font-family: {family_stack(style, element.family, fallback_families)}",
        f"font-size: {_em(size, body_size)}",
        f"font-weight: {'bold' if element.bold else 'normal'}",
        f"font-style: {'italic' if element.italic else 'normal'}",
        f"color: {element.color}",
    ]
    if element.background:
        declarations.append(f"background-color: {element.background}")
    if element.leading:
        declarations.append(f"line-height: {_number(element.leading / size)}")
    declarations += [
        f"margin-top: {_em(element.space_before, size)}",
        f"margin-bottom: {_em(element.space_after, size)}",
        f"text-align: {_ALIGN.get(element.align, element.align)}",
        f"text-indent: {_em(element.first_line_indent, size)}",
        f"hyphens: {'auto' if element.hyphenate else 'manual'}",
        f"-epub-hyphens: {'auto' if element.hyphenate else 'manual'}",
    ]
    if element.keep_with_next:
        declarations += ["page-break-after: avoid", "break-after: avoid"]
    return _rule(f".{key}", declarations)


def _inline_rule(key: str, element: ElementStyle, style: Style, body_size: float,
                 highlighted: bool, fallback_families: tuple[str, ...]) -> str:
    declarations: list[str] = []
    if element.family is not None:
        declarations.append(f"font-family: {family_stack(style, element.family, fallback_families)}")
    if element.size is not None:
        # An inline size is taken relative to the body size; the style model gives it in points.
        declarations.append(f"font-size: {_em(element.size, body_size)}")
    if element.bold is not None:
        declarations.append(f"font-weight: {'bold' if element.bold else 'normal'}")
    if element.italic is not None:
        declarations.append(f"font-style: {'italic' if element.italic else 'normal'}")
    declarations.append(f"color: {element.color}")
    if highlighted and element.background:
        declarations.append(f"background-color: {element.background}")
    return _rule(f".{key}", declarations)


def _rule(selector: str, declarations: list[str]) -> str:
    # One rule per line: readable in a diff, and half the bytes to deflate on every export.
    return f"{selector} {{ {'; '.join(declarations)}; }}"


def _part_rules() -> list[str]:
    """The furniture of the parts around and inside articles: the marking lines, the cover, the
    contents list, the key-quotes table, speaker labels and notes, the closing sections."""
    return [
        # the marking opens and closes every document, set apart from what it marks
        _rule("p.header, p.footer", ["text-align: center", "font-weight: bold", "letter-spacing: 0.08em"]),
        _rule("p.header", ["margin-bottom: 1.5em"]),
        _rule("p.footer", ["margin-top: 2em"]),
        _rule("header", ["margin-bottom: 1em"]),
        _rule("section.cover", ["padding-top: 3em"]),
        _rule("nav#toc ol", ["list-style: none", "margin: 0", "padding-left: 0"]),
        _rule("nav#toc ol ol", ["padding-left: 1.5em", "margin-bottom: 0.4em", "font-size: 0.92em"]),
        _rule("nav#toc a", ["display: block", "text-decoration: none"]),
        _rule("table.key-quotes", ["border-collapse: collapse", "width: 100%", "margin: 0.5em 0 1em 0"]),
        _rule("table.key-quotes th, table.key-quotes td", [
            "text-align: start", "vertical-align: top", "padding: 0.35em 0.5em 0.35em 0",
            "border-bottom: 1px solid #bbbbbb"]),
        _rule("table.key-quotes th", ["font-style: normal", "font-weight: bold", "border-bottom: 2px solid #666666"]),
        _rule("table.key-quotes .kq-speaker", ["font-style: normal", "width: 20%"]),
        _rule("table.key-quotes .kq-article", ["font-style: normal", "width: 28%", "padding-left: 0.5em"]),
        _rule("table.key-quotes a", ["text-decoration: none"]),
        _rule("sup.speaker-ref", ["line-height: 0", "font-size: 0.75em"]),
        _rule("sup.speaker-ref a", ["text-decoration: none"]),
        # a margin note: a small box floated to the outer side of the text, beside the line its
        # quote starts on; a reading system without floats shows it inline, still visible
        _rule(".speaker-note", ["float: right", "clear: right", "width: 28%", "margin: 0.15em 0 0.3em 0.8em",
                                "padding-left: 0.4em", "border-left: 1px solid #bbbbbb",
                                "text-indent: 0", "text-align: start", "line-height: 1.25"]),
        _rule("ol.speaker-notes", ["padding-left: 1.5em"]),
        _rule("a.back", ["text-decoration: none"]),
        # each dropped line already says its line number: no list marker beside it
        _rule("ul.dropped-lines", ["list-style: none", "padding-left: 0"]),
    ]


def build_css(style: Style, faces: Iterable[FontFace] = (), fallback_families: tuple[str, ...] = ()) -> str:
    """The whole stylesheet: @font-face rules, base rules, one rule per element key, then the
    rules of the parts (cover, contents, key quotes, speaker notes…), which refine those."""
    body_size = style.block("body").size or 11.0
    parts: list[str] = []
    for face in faces:
        parts.append(_rule("@font-face", [
            f"font-family: {css_string(face.family)}",
            f"font-weight: {'bold' if face.bold else 'normal'}",
            f"font-style: {'italic' if face.italic else 'normal'}",
            f"src: url({css_string(face.href)})",
        ]))
    body = style.block("body")
    parts.append(_rule("body", [
        f"font-family: {family_stack(style, body.family, fallback_families)}",
        f"color: {body.color}",
        "margin: 0",
        "padding: 0 0.5em",
        "overflow-wrap: break-word",     # a 300-letter "word" wraps instead of running off the page
    ]))
    # The article's quote marks are part of its text: a <q> must not add a second pair.
    parts.append(_rule("q", ["quotes: none"]))
    parts.append(_rule("q::before, q::after", ["content: none"]))
    parts.append(_rule("blockquote", ["margin: 1em 0 1em 1.5em", "padding: 0"]))
    parts.append(_rule("ul, ol", ["margin: 0.5em 0", "padding-left: 1.5em"]))
    parts.append(_rule("li > p", ["margin-top: 0"]))
    parts.append(_rule("hr", ["border: 0", "border-top: 1px solid #999999", "margin: 1.5em 20%"]))
    parts.append(_rule("a", ["color: inherit"]))
    for key in BLOCK_ELEMENTS:
        if key in style.elements:            # a style made before the briefing keys lacks those
            parts.append(_block_rule(key, style.block(key), style, body_size, fallback_families))
    for key in INLINE_ELEMENTS:
        highlighted = bool(getattr(style.quotes, _QUOTE_KIND_HIGHLIGHT[key]))
        parts.append(_inline_rule(key, style.element(key), style, body_size, highlighted, fallback_families))
    for key in LABEL_ELEMENTS:
        parts.append(_inline_rule(key, style.element(key), style, body_size, False, fallback_families))
    parts.extend(_part_rules())
    return "\n".join(parts) + "\n"
