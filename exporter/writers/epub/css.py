"""The EPUB stylesheet, generated from the resolved style.

One rule per semantic element key with the selector ``.<key>``, made as the HTML page's are
(:mod:`exporter.writers.stylesheet`).  Reading systems let the reader pick the base size, so
nothing sets an absolute size: every font size is in ``em`` relative to the style's body size
(``.body`` is ``1em``), margins and indents are in ``em`` of the element's own size, and line
height is a unitless ratio.  Only leaf text blocks carry a class with a font size, so sizes never
compound through nesting.
"""
from __future__ import annotations

from typing import Iterable, NamedTuple

from ...style.model import Style
from ..stylesheet import base_rules, css_string, element_rules, family_stack, rule


class FontFace(NamedTuple):
    """One ``@font-face`` rule: a family name, a face and the package-relative file it points to."""

    family: str
    bold: bool
    italic: bool
    href: str                 # relative to the stylesheet, e.g. "fonts/serif-regular.ttf"


def _part_rules() -> list[str]:
    """The furniture of the parts around and inside articles: the marking lines, the cover, the
    contents list, the key-quotes table, speaker labels and notes, the closing sections."""
    return [
        # the marking opens and closes every document, set apart from what it marks
        rule("p.header, p.footer", ["text-align: center", "font-weight: bold", "letter-spacing: 0.08em"]),
        rule("p.header", ["margin-bottom: 1.5em"]),
        rule("p.footer", ["margin-top: 2em"]),
        rule("header", ["margin-bottom: 1em"]),
        rule("section.cover", ["padding-top: 3em"]),
        rule("nav#toc ol", ["list-style: none", "margin: 0", "padding-left: 0"]),
        rule("nav#toc ol ol", ["padding-left: 1.5em", "margin-bottom: 0.4em", "font-size: 0.92em"]),
        rule("nav#toc a", ["display: block", "text-decoration: none"]),
        rule("table.key-quotes", ["border-collapse: collapse", "width: 100%", "margin: 0.5em 0 1em 0"]),
        rule("table.key-quotes th, table.key-quotes td", [
            "text-align: start", "vertical-align: top", "padding: 0.35em 0.5em 0.35em 0",
            "border-bottom: 1px solid #bbbbbb"]),
        rule("table.key-quotes th", ["font-style: normal", "font-weight: bold", "border-bottom: 2px solid #666666"]),
        rule("table.key-quotes .kq-speaker", ["font-style: normal", "width: 20%"]),
        rule("table.key-quotes .kq-article", ["font-style: normal", "width: 28%", "padding-left: 0.5em"]),
        rule("table.key-quotes a", ["text-decoration: none"]),
        rule("sup.speaker-ref", ["line-height: 0", "font-size: 0.75em"]),
        rule("sup.speaker-ref a", ["text-decoration: none"]),
        # a margin note: a small box floated to the outer side of the text, beside the line its
        # quote starts on; a reading system without floats shows it inline, still visible
        rule(".speaker-note", ["float: right", "clear: right", "width: 28%", "margin: 0.15em 0 0.3em 0.8em",
                                "padding-left: 0.4em", "border-left: 1px solid #bbbbbb",
                                "text-indent: 0", "text-align: start", "line-height: 1.25"]),
        rule("ol.speaker-notes", ["padding-left: 1.5em"]),
        # each dropped line already says its line number: no list marker beside it
        rule("ul.dropped-lines", ["list-style: none", "padding-left: 0"]),
    ]


def build_css(style: Style, faces: Iterable[FontFace] = (), fallback_families: tuple[str, ...] = ()) -> str:
    """The whole stylesheet: @font-face rules, base rules, one rule per element key, then the
    rules of the parts (cover, contents, key quotes, speaker notes…), which refine those."""
    body_size = style.block("body").size or 11.0
    parts: list[str] = []
    for face in faces:
        parts.append(rule("@font-face", [
            f"font-family: {css_string(face.family)}",
            f"font-weight: {'bold' if face.bold else 'normal'}",
            f"font-style: {'italic' if face.italic else 'normal'}",
            f"src: url({css_string(face.href)})",
        ]))
    body = style.block("body")
    parts.append(rule("body", [
        f"font-family: {family_stack(style, body.family, fallback_families)}",
        f"color: {body.color}",
        "margin: 0",
        "padding: 0 0.5em",
        "overflow-wrap: break-word",     # a 300-letter "word" wraps instead of running off the page
    ]))
    parts += base_rules()
    parts += element_rules(style, body_size, fallback_families=fallback_families, reading_system=True)
    parts.extend(_part_rules())
    return "\n".join(parts) + "\n"
