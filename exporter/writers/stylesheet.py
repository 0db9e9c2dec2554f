"""The CSS both (X)HTML writers make from a style: one rule per semantic element key.

The EPUB stylesheet and the HTML page's inline stylesheet set the same things for the same keys
(``.body``, ``.title``, ``.quote-speech``, ``.speaker-label``…): every font size in ``em`` of the
style's body size, margins and indents in ``em`` of the element's own size, line height as a
ratio.  Each writer adds its own rules around these (the page and print rules of the HTML page,
the ``@font-face`` rules and part furniture of the book).  Two options say where they differ:
a reading system also reads the older ``-epub-hyphens`` and ``page-break-after`` properties, and a
browser leaves highlight backgrounds out of print unless told to keep them.

Every value from outside (a family name, a running-head text) becomes a CSS string literal through
:func:`css_string`, which nothing can end early and which cannot close an HTML ``<style>``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..style.model import BLOCK_ELEMENTS, INLINE_ELEMENTS, LABEL_ELEMENTS, ElementStyle

if TYPE_CHECKING:  # pragma: no cover
    from ..style.model import Style

#: which QuoteOptions flag switches each quote kind's background on
QUOTE_KIND_HIGHLIGHT = {"quote-speech": "highlight_speech", "quote-title": "highlight_title",
                        "quote-term": "highlight_term"}
# "left" in a style means the side a line starts on: the right in a right-to-left article.
_ALIGN = {"left": "start", "right": "end", "center": "center", "justify": "justify"}


def css_string(value: str) -> str:
    """A CSS string literal: quotes, backslashes, "<", ">" and "&" as hex escapes (so neither the
    literal nor an inline ``<style>`` can be ended early), controls and newlines left out."""
    out = []
    for ch in value:
        if ch < " " or ch == "\x7f":
            continue
        if ch in '"\\<>&':
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def number(value: float) -> str:
    """A CSS number: at most four decimals, no trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def em(points: float, relative_to: float) -> str:
    return f"{number(points / relative_to if relative_to else 0.0)}em"


def rule(selector: str, declarations: list[str]) -> str:
    # One rule per line: readable in a diff.
    return f"{selector} {{ {'; '.join(declarations)}; }}"


def generic_family(key: str, display_name: str) -> str:
    """The CSS generic family a named family falls back to."""
    probe = f"{key} {display_name}".lower()
    if "mono" in probe or "code" in probe:
        return "monospace"
    if "sans" in probe:
        return "sans-serif"
    return "serif"


def family_stack(style: "Style", key: str | None, fallback_families: Iterable[str] = ()) -> str:
    """``"Noto Serif", "exporter-fallback-1", serif`` for the style family ``key`` (the middle
    names: embedded fallback fonts, EPUB only)."""
    parts: list[str] = []
    generic = "serif"
    if key is not None and key in style.fonts:
        family = style.fonts[key]
        parts.append(css_string(family.name))
        generic = generic_family(key, family.name)
    parts.extend(css_string(name) for name in fallback_families)
    parts.append(generic)
    return ", ".join(parts)


def base_rules() -> list[str]:
    """What both set for the bare elements they write."""
    return [
        # the article's own quote marks are in its text: a <q> must not add a second pair
        rule("q", ["quotes: none"]), rule("q::before, q::after", ["content: none"]),
        rule("blockquote", ["margin: 1em 0 1em 1.5em", "padding: 0"]),
        rule("ul, ol", ["margin: 0.5em 0", "padding-left: 1.5em"]),
        rule("li > p", ["margin-top: 0"]),
        rule("hr", ["border: 0", "border-top: 1px solid #999999", "margin: 1.5em 20%"]),
        rule("a", ["color: inherit"]),
    ]


def element_rules(style: "Style", body_size: float, *, fallback_families: tuple[str, ...] = (),
                  reading_system: bool = False, keep_backgrounds_in_print: bool = False) -> list[str]:
    """One rule per block, inline and label element key, in the style model's key order.
    ``reading_system`` adds the older properties EPUB reading systems read;
    ``keep_backgrounds_in_print`` asks a browser to print highlight backgrounds."""
    rules = []
    for key in BLOCK_ELEMENTS:
        if key in style.elements:            # a style made before the briefing keys lacks those
            rules.append(_block_rule(key, style.block(key), style, body_size, fallback_families, reading_system))
    for key in INLINE_ELEMENTS:
        highlighted = bool(getattr(style.quotes, QUOTE_KIND_HIGHLIGHT[key]))
        rules.append(_inline_rule(key, style.element(key), style, body_size, fallback_families,
                                  highlighted, keep_backgrounds_in_print))
    for key in LABEL_ELEMENTS:
        rules.append(_inline_rule(key, style.element(key), style, body_size, fallback_families, False, False))
    return rules


def _block_rule(key: str, el: ElementStyle, style: "Style", body_size: float,
                fallback_families: tuple[str, ...], reading_system: bool) -> str:
    size = el.size or body_size
    hyphens = "auto" if el.hyphenate else "manual"
    decls = [f"font-family: {family_stack(style, el.family, fallback_families)}", f"font-size: {em(size, body_size)}",
             f"font-weight: {'bold' if el.bold else 'normal'}", f"font-style: {'italic' if el.italic else 'normal'}",
             f"color: {el.color}"]
    if el.background:
        decls.append(f"background-color: {el.background}")
    if el.leading:
        decls.append(f"line-height: {number(el.leading / size)}")
    decls += [f"margin-top: {em(el.space_before, size)}", f"margin-bottom: {em(el.space_after, size)}",
              f"text-align: {_ALIGN.get(el.align, el.align)}", f"text-indent: {em(el.first_line_indent, size)}",
              f"hyphens: {hyphens}"]
    if reading_system:
        decls.append(f"-epub-hyphens: {hyphens}")
    if el.hyphenate:
        # the PDF's rules where CSS can say them: letters kept either side of a break (CSS Text 4,
        # Chromium and Firefox read it) and lines in a row ending in a hyphen (only WebKit reads
        # its prefixed form; the others ignore both declarations)
        rules = style.hyphenation
        decls += [f"hyphenate-limit-chars: auto {rules.min_before} {rules.min_after}",
                  f"-webkit-hyphenate-limit-lines: {rules.max_consecutive}",
                  f"hyphenate-limit-lines: {rules.max_consecutive}"]
    if el.keep_with_next:
        decls += ["page-break-after: avoid", "break-after: avoid"] if reading_system else ["break-after: avoid"]
    return rule(f".{key}", decls)


def _inline_rule(key: str, el: ElementStyle, style: "Style", body_size: float, fallback_families: tuple[str, ...],
                 highlighted: bool, keep_backgrounds_in_print: bool) -> str:
    decls: list[str] = []
    if el.family is not None:
        decls.append(f"font-family: {family_stack(style, el.family, fallback_families)}")
    if el.size is not None:
        # an inline size is taken relative to the body size; the style model gives it in points
        decls.append(f"font-size: {em(el.size, body_size)}")
    if el.bold is not None:
        decls.append(f"font-weight: {'bold' if el.bold else 'normal'}")
    if el.italic is not None:
        decls.append(f"font-style: {'italic' if el.italic else 'normal'}")
    decls.append(f"color: {el.color}")
    if highlighted and el.background:
        decls.append(f"background-color: {el.background}")
        if keep_backgrounds_in_print:
            decls += ["print-color-adjust: exact", "-webkit-print-color-adjust: exact"]
    return rule(f".{key}", decls)
