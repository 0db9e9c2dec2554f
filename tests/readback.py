"""The shared read-back kit: read a rendered DOCX, PDF or EPUB back and report how it looks.

For the roles ``title``, ``body`` (a body paragraph), ``heading`` (a level-2 heading) and ``speech``
(a speech quote) it reports a :class:`Reading`: the text found, font family, size in points, colour
``#rrggbb``, background ``#rrggbb`` or None, and bold/italic when the format says.

- DOCX (python-docx + the XML): paragraphs by style name (``Title``, ``Normal``, ``Heading 2``), speech
  quotes by the character style ``Quote Speech``; properties resolved through run -> character style
  -> paragraph style -> base styles -> docDefaults; background from ``w:shd`` fill.
- PDF (pdfplumber): the expected words in the page chars; family from the embedded font name
  (subset prefix stripped, ``NotoSerif-Bold`` -> ``Noto Serif``), size from the char size, colour
  from the fill colour, background from a filled rectangle under the chars.
- EPUB (zip + lxml): elements by class (``title``, ``body`` or a plain ``p`` in ``article``,
  ``heading-2``, ``quote-speech``); properties from the CSS rules ``.key`` / ``tag.key`` (and plain tag
  rules), inherited along the ancestors; ``em``/``rem``/``%`` sizes resolved against the style's body
  size so every format compares in points.

:func:`expected_readings` says what the style asks for; :func:`compare` and :func:`compare_formats`
list the differences (empty = conforming); :func:`missing_words` with :func:`body_words` and
:func:`output_text` checks text conservation; :func:`furniture_problems` checks the running
header/footer (page fields, and the marking on every page) of PDF and DOCX.
"""
from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

ROLES: tuple[str, ...] = ("title", "body", "heading", "speech")
SIZE_TOLERANCE = 0.5          # points

#: role -> the style element it must look like
ROLE_ELEMENT: dict[str, str] = {"title": "title", "body": "body", "heading": "heading-2", "speech": "quote-speech"}


@dataclass(frozen=True)
class Reading:
    text: str | None
    family: str | None
    size: float | None
    color: str | None
    background: str | None
    bold: bool | None = None
    italic: bool | None = None
    where: str = ""           # how it was found, for messages


@dataclass(frozen=True)
class ExpectedTexts:
    """The texts to look for (a distinctive stretch of each is enough; for ``body`` and ``speech``
    the first words are used when lines wrap)."""

    title: str
    body: str
    heading: str
    speech: str

    def get(self, role: str) -> str:
        return getattr(self, role)


class ReadBackError(AssertionError):
    """The kit could not find an expected text in the file."""


# -------------------------------------------------------------------------------------- expected
def expected_readings(style, texts: ExpectedTexts) -> dict[str, Reading]:
    """What the style asks for, per role."""
    out: dict[str, Reading] = {}
    for role in ROLES:
        key = ROLE_ELEMENT[role]
        el = style.inline(key, within="body") if role == "speech" else style.block(key)
        background = el.background
        if role == "speech" and not style.quotes.highlight_speech:
            background = None
        family = style.fonts[el.family].name if el.family in style.fonts else el.family
        out[role] = Reading(texts.get(role), family, el.size, el.color, background, el.bold, el.italic,
                            where=f"style {style.name!r} element {key!r}")
    return out


def compare(readings: Mapping[str, Reading], expected: Mapping[str, Reading], label: str = "",
            size_tolerance: float = SIZE_TOLERANCE) -> list[str]:
    """Differences between what a file shows and what is expected (empty list = match)."""
    problems: list[str] = []
    prefix = f"{label} " if label else ""
    for role in ROLES:
        got, want = readings.get(role), expected[role]
        if got is None:
            problems.append(f"{prefix}{role}: not found")
            continue
        if want.text and not _text_matches(got.text, want.text):
            problems.append(f"{prefix}{role}: text {got.text!r} does not contain {want.text!r}")
        if got.family != want.family:
            problems.append(f"{prefix}{role}: family {got.family!r} != {want.family!r}")
        if got.size is None or want.size is None or abs(got.size - want.size) > size_tolerance:
            problems.append(f"{prefix}{role}: size {got.size} != {want.size} (±{size_tolerance}pt)")
        if got.color != want.color:
            problems.append(f"{prefix}{role}: colour {got.color} != {want.color}")
        if got.background != want.background:
            problems.append(f"{prefix}{role}: background {got.background} != {want.background}")
        for attr in ("bold", "italic"):
            g, w = getattr(got, attr), getattr(want, attr)
            if g is not None and w is not None and g != w:
                problems.append(f"{prefix}{role}: {attr} {g} != {w}")
    return problems


def _text_matches(got: str | None, want: str) -> bool:
    """The found text contains the wanted one, or (PDF, wrapped lines) is its first stretch."""
    if got is None:
        return False
    g, w = _loose(got), _loose(want)
    return w in g or (len(g) >= min(len(w), MATCH_PREFIX_CHARS) and w.startswith(g))


def compare_formats(by_format: Mapping[str, Mapping[str, Reading]],
                    size_tolerance: float = SIZE_TOLERANCE) -> list[str]:
    """Differences between formats: every role must read the same in every format."""
    problems: list[str] = []
    names = list(by_format)
    for role in ROLES:
        for attr in ("family", "size", "color", "background", "bold", "italic"):
            values = {n: getattr(by_format[n].get(role), attr, None) for n in names if by_format[n].get(role)}
            known = {n: v for n, v in values.items() if v is not None or attr in ("background",)}
            if len(known) < 2:
                continue
            first_name, first = next(iter(known.items()))
            for n, v in known.items():
                same = (abs(v - first) <= size_tolerance if attr == "size" and v is not None and first is not None
                        else v == first)
                if not same:
                    problems.append(f"{role}: {attr} differs: {first_name}={first!r} {n}={v!r}")
    return problems


def read_back(path: Path | bytes, fmt: str, texts: ExpectedTexts, style=None,
              body_size: float | None = None) -> dict[str, Reading]:
    """Readings for every role found in a DOCX/PDF/EPUB file (path or bytes).  EPUB needs the
    body size (from ``style`` or ``body_size``) to turn em into points."""
    data = Path(path).read_bytes() if isinstance(path, (str, Path)) else bytes(path)
    match fmt:
        case "docx":
            return read_docx(data, texts)
        case "pdf":
            return read_pdf(data, texts)
        case "epub" | "html":
            if body_size is None:
                if style is None:
                    raise ValueError(f"{fmt.upper()} read-back needs the style (or body_size) to resolve em sizes")
                body_size = style.block("body").size
            return read_epub(data, texts, body_size) if fmt == "epub" else read_html(data, texts, body_size)
        case _:
            raise ValueError(f"no read-back for format {fmt!r}")


# ------------------------------------------------------------------------------------- utilities
def _squash(text: str) -> str:
    """Text for matching: NFC, soft hyphens dropped, all whitespace removed, quotes unified."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return re.sub(r"\s+", "", text)


def _loose(text: str) -> str:
    """As :func:`_squash`, hyphens dropped too: a PDF line may end in a hyphenation hyphen."""
    return re.sub(r"[-\u2010]", "", _squash(text))


def _hex(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower()
    if re.fullmatch(r"[0-9a-f]{6}", value):
        return "#" + value
    if re.fullmatch(r"#[0-9a-f]{6}", value):
        return value
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:])
    m = re.fullmatch(r"rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)", value)
    if m:
        return "#" + "".join(f"{int(x):02x}" for x in m.groups())
    return None


def family_from_font_name(name: str) -> tuple[str, bool, bool]:
    """``ABCDEF+NotoSerif-BoldItalic`` -> ("Noto Serif", True, True)."""
    base = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
    family, _, face = base.partition("-")
    family = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", family).replace(",", " ").strip()
    face_l = face.lower()
    return family, "bold" in face_l or "black" in face_l, "italic" in face_l or "oblique" in face_l


# ------------------------------------------------------------------------------------------ DOCX
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
HIGHLIGHT_COLOURS = {
    "yellow": "#ffff00", "green": "#00ff00", "cyan": "#00ffff", "magenta": "#ff00ff", "blue": "#0000ff",
    "red": "#ff0000", "darkBlue": "#000080", "darkCyan": "#008080", "darkGreen": "#008000",
    "darkMagenta": "#800080", "darkRed": "#800000", "darkYellow": "#808000", "darkGray": "#808080",
    "lightGray": "#c0c0c0", "black": "#000000", "white": "#ffffff",
}
DOCX_PARAGRAPH_STYLE = {"title": "Title", "body": "Normal", "heading": "Heading 2"}
DOCX_SPEECH_STYLE = "Quote Speech"


def _on(el) -> bool:
    return el.get(W + "val", "true") not in ("false", "0", "off", "none")


def _rpr_props(rpr) -> dict[str, object]:
    """Properties one w:rPr sets (only those it sets)."""
    props: dict[str, object] = {}
    if rpr is None:
        return props
    fonts = rpr.find(W + "rFonts")
    if fonts is not None:
        name = fonts.get(W + "ascii") or fonts.get(W + "hAnsi")
        if name:
            props["family"] = name
    sz = rpr.find(W + "sz")
    if sz is not None and sz.get(W + "val"):
        props["size"] = int(sz.get(W + "val")) / 2
    color = rpr.find(W + "color")
    if color is not None and color.get(W + "val"):
        props["color"] = _hex(color.get(W + "val"))     # "auto" -> None (unknown)
    b = rpr.find(W + "b")
    if b is not None:
        props["bold"] = _on(b)
    i = rpr.find(W + "i")
    if i is not None:
        props["italic"] = _on(i)
    shd = rpr.find(W + "shd")
    if shd is not None and shd.get(W + "fill") and shd.get(W + "fill") != "auto":
        props["background"] = _hex(shd.get(W + "fill"))
    else:
        hl = rpr.find(W + "highlight")
        if hl is not None and hl.get(W + "val") not in (None, "none"):
            props["background"] = HIGHLIGHT_COLOURS.get(hl.get(W + "val"))
    return props


class _DocxStyles:
    def __init__(self, document) -> None:
        root = document.styles.element
        self.by_id = {s.get(W + "styleId"): s for s in root.findall(W + "style")}
        self.default_para = next((s.get(W + "styleId") for s in root.findall(W + "style")
                                  if s.get(W + "type") == "paragraph" and _on_attr(s.get(W + "default"))), None)
        defaults = root.find(W + "docDefaults")
        self.doc_rpr = defaults.find(f"{W}rPrDefault/{W}rPr") if defaults is not None else None

    def chain(self, style_id: str | None) -> list:
        out, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            el = self.by_id[style_id]
            out.append(el)
            based = el.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else None
        return out


def _on_attr(value: str | None) -> bool:
    return value in ("1", "true", "on")


def _resolve_run(run_el, para_el, styles: _DocxStyles, include_para_shading: bool) -> dict[str, object]:
    layers: list[dict[str, object]] = []
    rpr = run_el.find(W + "rPr") if run_el is not None else None
    layers.append(_rpr_props(rpr))
    rstyle = rpr.find(W + "rStyle") if rpr is not None else None
    if rstyle is not None:
        for st in styles.chain(rstyle.get(W + "val")):
            layers.append(_rpr_props(st.find(W + "rPr")))
    ppr = para_el.find(W + "pPr")
    pstyle = ppr.find(W + "pStyle") if ppr is not None else None
    para_chain = styles.chain(pstyle.get(W + "val") if pstyle is not None else styles.default_para)
    for st in para_chain:
        layers.append(_rpr_props(st.find(W + "rPr")))
    layers.append(_rpr_props(styles.doc_rpr))
    merged: dict[str, object] = {}
    for layer in layers:
        for k, v in layer.items():
            merged.setdefault(k, v)
    if include_para_shading and "background" not in merged:
        # paragraph shading: direct pPr, then the paragraph style chain
        for src in [ppr] + [st.find(W + "pPr") for st in para_chain]:
            shd = src.find(W + "shd") if src is not None else None
            if shd is not None and shd.get(W + "fill") and shd.get(W + "fill") != "auto":
                merged["background"] = _hex(shd.get(W + "fill"))
                break
    return merged


def _run_text(run_el) -> str:
    parts = []
    for child in run_el.iter():
        if child.tag == W + "t":
            parts.append(child.text or "")
        elif child.tag == W + "tab":
            parts.append("\t")
        elif child.tag in (W + "br", W + "cr"):
            parts.append("\n")
    return "".join(parts)


def _runs(para_el):
    """Every w:r of a paragraph in order, including those inside hyperlinks and smart tags."""
    return [r for r in para_el.iter(W + "r")]


def read_docx(data: bytes, texts: ExpectedTexts) -> dict[str, Reading]:
    import docx

    document = docx.Document(io.BytesIO(data))
    styles = _DocxStyles(document)
    paragraphs = list(document.paragraphs)
    readings: dict[str, Reading] = {}
    for role, style_name in DOCX_PARAGRAPH_STYLE.items():
        want = _squash(texts.get(role))
        found = None
        for p in paragraphs:
            if p.style is not None and p.style.name == style_name and want in _squash(p.text):
                found = p
                break
        if found is None:
            elsewhere = [p.style.name for p in paragraphs if want in _squash(p.text)]
            raise ReadBackError(f"docx {role}: no paragraph in style {style_name!r} contains "
                                f"{texts.get(role)!r}" + (f" (found in style(s) {elsewhere})" if elsewhere else ""))
        para_el = found._p
        run_el = next((r for r in _runs(para_el) if _run_text(r).strip()), None)
        props = _resolve_run(run_el, para_el, styles, include_para_shading=True)
        readings[role] = Reading(found.text, props.get("family"), props.get("size"), props.get("color"),
                                 props.get("background"), props.get("bold"), props.get("italic"),
                                 where=f"docx paragraph style {style_name!r}")
    # speech: consecutive runs in the character style "Quote Speech"
    speech_id = next((sid for sid, el in styles.by_id.items()
                      if el.get(W + "type") == "character"
                      and (el.find(W + "name") is not None and el.find(W + "name").get(W + "val") == DOCX_SPEECH_STYLE)),
                     None)
    want = _squash(texts.speech)
    for p in paragraphs:
        groups: list[list] = []
        previous_in = False
        for r in _runs(p._p):
            rpr = r.find(W + "rPr")
            rstyle = rpr.find(W + "rStyle") if rpr is not None else None
            inside = speech_id is not None and rstyle is not None and rstyle.get(W + "val") == speech_id
            if inside:
                if not previous_in:
                    groups.append([])
                groups[-1].append(r)
            previous_in = inside
        for group in groups:
            text = "".join(_run_text(r) for r in group)
            if want in _squash(text):
                first = next((r for r in group if _run_text(r).strip()), group[0])
                props = _resolve_run(first, p._p, styles, include_para_shading=False)
                readings["speech"] = Reading(text, props.get("family"), props.get("size"), props.get("color"),
                                             props.get("background"), props.get("bold"), props.get("italic"),
                                             where=f"docx character style {DOCX_SPEECH_STYLE!r}")
                return readings
    raise ReadBackError(f"docx speech: no run in character style {DOCX_SPEECH_STYLE!r} contains {texts.speech!r}"
                        + ("" if speech_id else " (the document has no such character style)"))


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


# ------------------------------------------------------------------------------------------- PDF
MATCH_PREFIX_CHARS = 40       # wrapped body text: match the start of it (whitespace ignored)


def _pdf_color(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        value = (value,)
    value = tuple(value)
    if len(value) == 1:
        g = round(float(value[0]) * 255)
        return f"#{g:02x}{g:02x}{g:02x}"
    if len(value) == 3:
        return "#" + "".join(f"{round(float(c) * 255):02x}" for c in value)
    if len(value) == 4:
        c, m, y, k = (float(x) for x in value)
        return "#" + "".join(f"{round(255 * (1 - v) * (1 - k)):02x}" for v in (c, m, y))
    return None


def _pdf_occurrences(chars: list[dict], target: str) -> list[list[dict]]:
    """Char groups whose non-space text starts with ``target`` (whitespace ignored)."""
    visible = [c for c in chars if _loose(c["text"])]
    stream = "".join(_loose(c["text"]) for c in visible)
    # map stream index -> char (most chars are one code point; ligature-like multi-char texts map to the first)
    index: list[int] = []
    for i, c in enumerate(visible):
        index.extend([i] * len(_loose(c["text"])))
    out = []
    start = stream.find(target)
    while start != -1:
        first, last = index[start], index[start + len(target) - 1]
        out.append(visible[first:last + 1])
        start = stream.find(target, start + 1)
    return out


def _pdf_background(page, chars: list[dict]) -> str | None:
    """The fill of the topmost filled rectangle under the middle of the first char."""
    c = chars[0]
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    found = None
    for rect in page.rects:
        if not rect.get("fill"):
            continue
        if rect["x0"] <= x <= rect["x1"] and rect["top"] <= y <= rect["bottom"]:
            # skip a full-page paper fill: that is not a highlight
            if rect["width"] >= page.width * 0.95 and rect["height"] >= page.height * 0.95:
                continue
            found = rect
    return _pdf_color(found.get("non_stroking_color")) if found else None


def read_pdf(data: bytes, texts: ExpectedTexts) -> dict[str, Reading]:
    import pdfplumber

    readings: dict[str, Reading] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = list(pdf.pages)
        for role in ROLES:
            target = _loose(texts.get(role))[:MATCH_PREFIX_CHARS]
            candidates = []
            for page in pages:
                for group in _pdf_occurrences(page.chars, target):
                    candidates.append((page, group))
            if not candidates:
                raise ReadBackError(f"pdf {role}: text {texts.get(role)!r} not found in the page text")
            if role == "title":
                # a running header may repeat the title in small type: the title is the largest
                page, group = max(candidates, key=lambda pg: pg[1][0]["size"])
            else:
                page, group = candidates[0]
            ch = group[0]
            family, bold, italic = family_from_font_name(ch["fontname"])
            readings[role] = Reading(
                "".join(c["text"] for c in group), family, round(float(ch["size"]), 2),
                _pdf_color(ch.get("non_stroking_color")), _pdf_background(page, group), bold, italic,
                where=f"pdf page {page.page_number} font {ch['fontname']}")
    return readings


def pdf_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


# ------------------------------------------------------------------------------------------ EPUB
XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_CLASS = {"title": "title", "heading": "heading-2", "speech": "quote-speech"}
INHERITED = ("font-family", "font-size", "color", "font-weight", "font-style")


@dataclass
class _Rule:
    tag: str | None            # None = any
    cls: str | None            # None = no class condition
    decls: dict[str, str] = field(default_factory=dict)
    order: int = 0

    @property
    def specificity(self) -> tuple[int, int]:
        return (1 if self.cls else 0, 1 if self.tag else 0)


def parse_css(text: str) -> list[_Rule]:
    """Simple selectors only (``tag``, ``.cls``, ``tag.cls``, ``*``) — what the kit's contract allows."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"@[a-z-]+[^{;]*;", "", text)                        # @charset, @import
    rules: list[_Rule] = []
    order = 0
    for match in re.finditer(r"([^{}]+)\{([^{}]*)\}", text):
        selectors, body = match.group(1).strip(), match.group(2)
        if selectors.startswith("@"):
            continue                                                   # @font-face, @page
        decls = {}
        for decl in body.split(";"):
            name, sep, value = decl.partition(":")
            if sep:
                decls[name.strip().lower()] = re.sub(r"\s*!important\s*$", "", value.strip())
        for sel in selectors.split(","):
            sel = sel.strip()
            m = re.fullmatch(r"([a-zA-Z][a-zA-Z0-9]*|\*)?(?:\.([A-Za-z0-9_-]+))?", sel)
            if not m or not sel:
                continue                                               # descendant/pseudo: ignored
            tag = None if m.group(1) in (None, "*") else m.group(1).lower()
            rules.append(_Rule(tag, m.group(2), decls, order))
            order += 1
    return rules


def _matches(rule: _Rule, el) -> bool:
    tag = posixpath.basename(el.tag.split("}")[-1]).lower() if isinstance(el.tag, str) else ""
    if rule.tag and rule.tag != tag:
        return False
    if rule.cls and rule.cls not in (el.get("class") or "").split():
        # the contract lets a plain <p> inside <article> stand for a body paragraph
        return rule.cls == "body" and tag == "p" and not el.get("class") and _inside(el, "article")
    return True


def _declared(rules: list[_Rule], el, prop: str) -> str | None:
    best = None
    for rule in rules:
        if prop in rule.decls and _matches(rule, el):
            key = (rule.specificity, rule.order)
            if best is None or key >= best[0]:
                best = (key, rule.decls[prop])
    return best[1] if best else None


def _css_size(value: str, body_size: float) -> float | None:
    m = re.fullmatch(r"\s*([0-9.]+)\s*(em|rem|%|pt|px)\s*", value)
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2)
    return round({"em": number * body_size, "rem": number * body_size, "%": number / 100 * body_size,
                  "pt": number, "px": number * 0.75}[unit], 3)


def _computed(rules: list[_Rule], el, body_size: float) -> dict[str, object]:
    props: dict[str, object] = {}
    node = el
    while node is not None and isinstance(node.tag, str):
        for prop in INHERITED:
            if prop not in props:
                value = _declared(rules, node, prop)
                if value is not None:
                    props[prop] = value
        node = node.getparent()
    background = _declared(rules, el, "background-color") or _declared(rules, el, "background")
    family = props.get("font-family")
    weight = props.get("font-weight")
    style = props.get("font-style")
    return {
        "family": family.split(",")[0].strip().strip("'\"") if isinstance(family, str) else None,
        "size": _css_size(props["font-size"], body_size) if "font-size" in props else None,
        "color": _hex(props["color"]) if "color" in props else None,
        "background": _hex(background) if background and background not in ("none", "transparent") else None,
        "bold": (weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)) if isinstance(weight, str) else None,
        "italic": (style in ("italic", "oblique")) if isinstance(style, str) else None,
    }


def _epub_documents(zf: zipfile.ZipFile) -> tuple[list[tuple[str, bytes]], str]:
    """XHTML documents in spine order (fallback: name order) and the concatenated CSS."""
    from lxml import etree

    names = zf.namelist()
    docs: list[str] = []
    try:
        container = etree.fromstring(zf.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = etree.fromstring(zf.read(opf_path))
        base = posixpath.dirname(opf_path)
        manifest = {i.get("id"): i for i in opf.iter("{*}item")}
        for ref in opf.iter("{*}itemref"):
            item = manifest.get(ref.get("idref"))
            if item is not None:
                docs.append(posixpath.normpath(posixpath.join(base, item.get("href"))))
    except (KeyError, etree.XMLSyntaxError, AttributeError):
        pass
    if not docs:
        docs = sorted(n for n in names if n.endswith((".xhtml", ".html", ".htm")))
    css = "\n".join(zf.read(n).decode("utf-8", "replace") for n in sorted(names) if n.endswith(".css"))
    return [(n, zf.read(n)) for n in docs if n in names], css


def read_epub(data: bytes, texts: ExpectedTexts, body_size: float) -> dict[str, Reading]:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        documents, css = _epub_documents(zf)
    rules = parse_css(css)
    trees = [(name, etree.fromstring(raw)) for name, raw in documents]
    readings: dict[str, Reading] = {}
    for role in ROLES:
        want = _squash(texts.get(role))
        found = None
        for name, tree in trees:
            for el in tree.iter():
                if not isinstance(el.tag, str):
                    continue
                classes = (el.get("class") or "").split()
                local = el.tag.split("}")[-1]
                if role == "body":
                    hit = "body" in classes or (local == "p" and not classes and _inside(el, "article"))
                else:
                    hit = EPUB_CLASS[role] in classes
                if hit and want in _squash("".join(el.itertext())):
                    found = (name, el)
                    break
            if found:
                break
        if found is None:
            raise ReadBackError(f"epub {role}: no element with class {EPUB_CLASS.get(role, 'body')!r} "
                                f"contains {texts.get(role)!r}")
        name, el = found
        props = _computed(rules, el, body_size)
        readings[role] = Reading("".join(el.itertext()), props["family"], props["size"], props["color"],
                                 props["background"], props["bold"], props["italic"],
                                 where=f"epub {name} <{el.tag.split('}')[-1]} class={el.get('class')!r}>")
    return readings


def _inside(el, tag: str) -> bool:
    node = el.getparent()
    while node is not None:
        if isinstance(node.tag, str) and node.tag.split("}")[-1] == tag:
            return True
        node = node.getparent()
    return False


def epub_text(data: bytes) -> str:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        documents, _ = _epub_documents(zf)
    parts = []
    for _, raw in documents:
        tree = etree.fromstring(raw)
        body = next(tree.iter("{%s}body" % XHTML_NS, "body"), tree)
        # block boundaries become newlines so words of adjacent blocks do not fuse
        for el in body.iter():
            if isinstance(el.tag, str) and el.tag.split("}")[-1] in ("p", "h1", "h2", "h3", "li", "div", "blockquote", "br"):
                el.tail = "\n" + (el.tail or "")
        parts.append("".join(body.itertext()))
    return "\n".join(parts)


def _html_document(data: bytes):
    """An HTML page (the HTML writer's) as an lxml tree, and its inline CSS without @media blocks
    (the print rules must not stand in for the screen ones)."""
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(data)
    css = "\n".join(style.text or "" for style in tree.iter("style"))
    while (start := css.find("@media")) != -1:
        depth, index = 0, css.index("{", start)
        for index in range(index, len(css)):
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            if depth == 0:
                break
        css = css[:start] + css[index + 1:]
    return tree, css


def read_html(data: bytes, texts: ExpectedTexts, body_size: float) -> dict[str, Reading]:
    """As :func:`read_epub`, for one HTML page with its stylesheet inline."""
    tree, css = _html_document(data)
    rules = parse_css(css)
    readings: dict[str, Reading] = {}
    for role in ROLES:
        want = _squash(texts.get(role))
        cls = EPUB_CLASS.get(role, "body")
        el = next((el for el in tree.iter() if isinstance(el.tag, str) and cls in (el.get("class") or "").split()
                   and want in _squash("".join(el.itertext()))), None)
        if el is None:
            raise ReadBackError(f"html {role}: no element with class {cls!r} contains {texts.get(role)!r}")
        props = _computed(rules, el, body_size)
        readings[role] = Reading("".join(el.itertext()), props["family"], props["size"], props["color"],
                                 props["background"], props["bold"], props["italic"],
                                 where=f"html <{el.tag} class={el.get('class')!r}>")
    return readings


def html_text(data: bytes) -> str:
    tree, _ = _html_document(data)
    body = tree.find("body")
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "div",
                                                  "blockquote", "br"):
            el.tail = "\n" + (el.tail or "")
    return "".join(body.itertext())


# ------------------------------------------------------------------------------ text conservation
def output_text(path: Path | bytes, fmt: str) -> str:
    data = Path(path).read_bytes() if isinstance(path, (str, Path)) else bytes(path)
    match fmt:
        case "docx":
            return docx_text(data)
        case "pdf":
            return pdf_text(data)
        case "epub":
            return epub_text(data)
        case "html":
            return html_text(data)
        case _:
            raise ValueError(f"no text extraction for format {fmt!r}")


# Quotation marks and apostrophes, straight or typographic: a writer may curl them (the HTML
# writer does, by the article's language), so words compare without them.
_QUOTE_MARKS = str.maketrans("", "", "\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a")


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").translate(_QUOTE_MARKS)
    # a hyphen at a line end is hyphenation (or a compound split there): join the halves
    text = re.sub(r"[-\u2010]\s*\n\s*", "", text)
    return [w for w in (w.replace("-", "").replace("\u2010", "") for w in text.split()) if w]


def body_words(article) -> list[str]:
    """Every word of every body block, in order."""
    from exporter.ast import inline_text, iter_inline_runs

    words: list[str] = []
    for _, content in iter_inline_runs(article.body):
        words.extend(_words(inline_text(content)))
    return words


def missing_words(expected_words: Iterable[str], text: str) -> str | None:
    """None when every expected word appears in ``text`` in order (other words may come between:
    running headers, list numbers); else a message naming the first word that does not."""
    found = _words(text)
    pos = 0
    expected = list(expected_words)
    for n, word in enumerate(expected):
        try:
            pos = found.index(word, pos) + 1
        except ValueError:
            context = " ".join(expected[max(0, n - 3):n + 4])
            return f"word {n + 1} of {len(expected)} {word!r} not found in order (near: {context!r})"
    return None


# ------------------------------------------------------------------------------- page furniture
FURNITURE_PAGE_FIELDS = ("page", "pages", "marking")


def furniture_expectations(style, page_number: int, page: str, pages: str, marking: str | None) -> list[str]:
    """The header/footer texts page ``page_number`` must show: slots whose template uses only
    {page}, {pages} and {marking} (title/source/date may be shortened by a writer, so they are
    not checked), filled with ``page``/``pages`` (numbers, or field placeholders for DOCX); plus
    the marking, which every page carries when set, first-page furniture or not."""
    texts: list[str] = []
    if page_number > 1 or style.page.first_page_furniture:
        values = {"page": page, "pages": pages, "marking": marking or ""}
        for furniture in (style.page.header, style.page.footer):
            for template in (furniture.left, furniture.center, furniture.right):
                fields = re.findall(r"\{(\w+)\}", template)
                if template and all(f in FURNITURE_PAGE_FIELDS for f in fields):
                    filled = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template).strip()
                    if filled and filled not in texts:
                        texts.append(filled)
    if marking and marking not in texts:
        texts.append(marking)
    return texts


def pdf_page_texts(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def docx_furniture(data: bytes) -> dict[str, str]:
    """``{"default-header": text, "first-footer": text, …}`` for the (last) section, with field
    codes shown as ``{PAGE}``/``{NUMPAGES}``; also ``"title-page"`` = "1" when titlePg is on."""
    from lxml import etree

    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        document = etree.fromstring(zf.read("word/document.xml"))
        rels = etree.fromstring(zf.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sect = document.findall(f".//{W}sectPr")[-1]
        out: dict[str, str] = {"title-page": "1" if sect.find(W + "titlePg") is not None
                               and _on(sect.find(W + "titlePg")) else "0"}
        for kind in ("header", "footer"):
            for ref in sect.findall(f"{W}{kind}Reference"):
                part = etree.fromstring(zf.read("word/" + targets[ref.get("{%s}id" % rel_ns)].lstrip("/")))
                out[f"{ref.get(W + 'type')}-{kind}"] = _docx_part_text(part)
    return out


def _docx_part_text(part) -> str:
    """Text of a header/footer part; a field shows as ``{PAGE}`` (its cached result is skipped)."""
    pieces: list[str] = []
    in_result = False
    for el in part.iter():
        if el.tag == W + "fldChar":
            kind = el.get(W + "fldCharType")
            in_result = kind == "separate"
            if kind == "end":
                in_result = False
        elif el.tag == W + "t" and not in_result:
            pieces.append(el.text or "")
        elif el.tag == W + "tab" and not in_result:
            pieces.append(" ")
        elif el.tag == W + "instrText":
            words = (el.text or "").split()
            if words:
                pieces.append("{" + words[0] + "}")
        elif el.tag == W + "fldSimple":
            words = (el.get(W + "instr") or "").split()
            if words:
                pieces.append("{" + words[0] + "}")
            # its own w:t children are the cached result: drop them by clearing them
            for t in el.iter(W + "t"):
                t.text = ""
        elif el.tag == W + "p":
            pieces.append("\n")
    return re.sub(r"[ \t]+", " ", "".join(pieces))


def furniture_problems(data: bytes, fmt: str, style, marking: str | None = None) -> list[str]:
    """What the page furniture lacks (empty = the marking and the page fields are where the
    style says).  PDF: page by page; DOCX: the header/footer parts (fields as {PAGE}/{NUMPAGES})."""
    marking = marking if marking is not None else style.marking
    problems: list[str] = []
    match fmt:
        case "pdf":
            pages = pdf_page_texts(data)
            for number, text in enumerate(pages, start=1):
                for want in furniture_expectations(style, number, str(number), str(len(pages)), marking):
                    if _squash(want) not in _squash(text):
                        problems.append(f"pdf page {number}: {want!r} missing")
        case "docx":
            parts = docx_furniture(data)
            running = parts.get("default-header", "") + parts.get("default-footer", "")
            first = (parts.get("first-header", "") + parts.get("first-footer", "")
                     if parts["title-page"] == "1" else running)
            for label, number, text in (("running", 2, running), ("first-page", 1, first)):
                for want in furniture_expectations(style, number, "{PAGE}", "{NUMPAGES}", marking):
                    if _squash(want) not in _squash(text):
                        problems.append(f"docx {label} header/footer: {want!r} missing")
            if not style.page.first_page_furniture and parts["title-page"] != "1" and (
                    not style.page.header.empty or not style.page.footer.empty):
                problems.append("docx: first_page_furniture is off but the first page has the running furniture")
        case _:
            raise ValueError(f"no furniture read-back for {fmt!r}")
    return problems
