"""Load a style: TOML file(s) -> validated, merged along ``extends``, overrides applied -> Style.

Every unit conversion happens here (:func:`to_points`), once; writers only ever see points and
``#rrggbb``.  Every problem is a :class:`StyleError` whose message is ONE line naming the file (or
``--set``), the key path and what is allowed.
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

from ..errors import StyleError
from .fontfile import font_file_problem
from .model import (
    BLOCK_ELEMENTS, ELEMENT_KEYS, FACES, HYPHENATED_ELEMENTS, ElementStyle, FontFamily, Furniture, Hyphenation,
    PageStyle, QuoteOptions, SPEAKER_DISPLAYS, Sections, Style,
)

SET_ORIGIN = "--set"

# ------------------------------------------------------------------------------------ locations
def styles_dir() -> Path:
    """The directory holding the built-in styles and fonts: ``exporter/styles`` inside an installed
    wheel (hatch force-include), else ``<repo>/styles`` in a source tree or editable install."""
    package = Path(__file__).resolve().parent.parent          # exporter/, found without importing it
    packaged = package / "styles"
    if packaged.is_dir():
        return packaged
    return package.parent / "styles"


def fonts_dir() -> Path:
    return styles_dir() / "fonts"


def list_styles() -> list[str]:
    """Names of the built-in styles, sorted."""
    return sorted(p.stem for p in styles_dir().glob("*.toml"))


def style_descriptions() -> dict[str, str]:
    """Built-in style name -> its one-line ``description`` (for ``exporter styles``)."""
    out = {}
    for name in list_styles():
        try:
            description = tomllib.loads((styles_dir() / f"{name}.toml").read_text("utf-8")).get("description", "")
        except (OSError, tomllib.TOMLDecodeError):
            description = ""
        out[name] = description if isinstance(description, str) else ""
    return out


# ----------------------------------------------------------------------------------------- units
#: points per unit: the ONE table every length in a style goes through.
POINTS_PER_UNIT: dict[str, float] = {"pt": 1.0, "mm": 72.0 / 25.4, "cm": 72.0 / 2.54, "in": 72.0}
_LENGTH_RE = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(pt|mm|cm|in)\s*$")
_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
LENGTH_HELP = 'a length such as "11pt", "20mm", "2.5cm", "0.75in" or a number of points'
FONT_SIZE_HELP = LENGTH_HELP + " from 1pt to 1638pt"

#: Bounds every format's viewers accept.  Word stores a font size in half-points up to 3276
#: (1638 pt), and a size below 1 pt rounds to nothing in DOCX half-points and EPUB ems; PDF
#: viewers (Acrobat's user-space limit is 14,400 units, 5.08 m) refuse pages past 5 m a side.
MIN_FONT_SIZE = 1.0
MAX_FONT_SIZE = 1638.0                                # also in FONT_SIZE_HELP
MAX_PAGE_SIDE = round(5000 * 72.0 / 25.4, 4)         # 5 m in points: also the cap on any length
PAGE_SIDE_HELP = "at most 5 m a side"

PAGE_SIZES: dict[str, tuple[float, float]] = {       # portrait, in points
    "A3": (841.8898, 1190.5512),
    "A4": (595.2756, 841.8898),
    "A5": (419.5276, 595.2756),
    "Letter": (612.0, 792.0),
    "Legal": (612.0, 1008.0),
}


def to_points(value: object) -> float:
    """A length (number of points, or a string with unit pt/mm/cm/in) in points; ValueError if not."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError(value)
        return float(value)
    if isinstance(value, str):
        match = _LENGTH_RE.match(value)
        if match:
            # rounded so a resolved style printed as TOML (4 decimals) reads back equal
            return round(float(match.group(1)) * POINTS_PER_UNIT[match.group(2)], 4)
    raise ValueError(value)


def parse_color(value: object) -> str:
    if isinstance(value, str) and _COLOR_RE.match(value):
        return value.lower()
    raise ValueError(value)


def parse_page_size(value: object) -> tuple[tuple[float, float], str | None]:
    """``"A4"`` (any case) or ``"W x H"`` with units -> ((width, height) in points, name or None)."""
    if not isinstance(value, str):
        raise ValueError(value)
    for name, dims in PAGE_SIZES.items():
        if value.strip().lower() == name.lower():
            return dims, name
    parts = re.split(r"\s*[x×]\s*", value.strip())
    if len(parts) == 2:
        w, h = to_points(parts[0]), to_points(parts[1])
        if 0 < w <= MAX_PAGE_SIDE and 0 < h <= MAX_PAGE_SIDE:
            return (w, h), None
    raise ValueError(value)


# ---------------------------------------------------------------------------------------- schema
# A schema leaf is (checker, description of what is allowed).  A checker returns None when the
# value is fine and raises ValueError otherwise.
Check = Callable[[Any], None]


def _is(kind: type, what: str) -> tuple[Check, str]:
    def check(v: Any) -> None:
        if not isinstance(v, kind) or (kind is not bool and isinstance(v, bool)):
            raise ValueError(v)
    return check, what


def _one_of(*choices: str) -> tuple[Check, str]:
    def check(v: Any) -> None:
        if v not in choices:
            raise ValueError(v)
    return check, "one of " + ", ".join(f'"{c}"' for c in choices)


def _length(minimum: float | None = None) -> tuple[Check, str]:
    """A length of at most 5 m either way (no viewer shows more), not below ``minimum``.  How a
    length compares with the page (indents, spacing) is checked once the page is resolved."""
    def check(v: Any) -> None:
        points = to_points(v)
        if abs(points) > MAX_PAGE_SIDE or (minimum is not None and points < minimum):
            raise ValueError(v)
    bound = " (not negative, at most 5 m)" if minimum == 0 else " (at most 5 m either way)"
    return check, LENGTH_HELP + bound


def _font_size(v: Any) -> None:
    if not MIN_FONT_SIZE <= to_points(v) <= MAX_FONT_SIZE:
        raise ValueError(v)


def _leading(v: Any) -> None:
    # a bare number is a multiple of the element's size; a string is an absolute length
    if isinstance(v, str):
        if not 0 < to_points(v) <= MAX_PAGE_SIDE:
            raise ValueError(v)
    elif isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= 5:
        raise ValueError(v)


def _color_or_none(v: Any) -> None:
    if v != "none":
        parse_color(v)


def _str_list(v: Any) -> None:
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        raise ValueError(v)


def _font_file(v: Any) -> None:
    if not isinstance(v, str) or not v.strip():
        raise ValueError(v)


_BOOL = _is(bool, "true or false")
_STR = _is(str, "a string")
_COLOR = (lambda v: parse_color(v) and None, 'a colour "#rrggbb"')

ELEMENT_SCHEMA: dict[str, tuple[Check, str]] = {
    "family": (_is(str, "")[0], "a font family name defined under [fonts] (serif, sans, mono…)"),
    "size": (_font_size, FONT_SIZE_HELP),
    "bold": _BOOL,
    "italic": _BOOL,
    "color": _COLOR,
    "background": (_color_or_none, 'a colour "#rrggbb" or "none"'),
    "leading": (_leading, 'a multiple of the size from above 0 to 5 (such as 1.4) or a positive length '
                          'such as "15pt" (at most 5 m)'),
    "space_before": _length(0),
    "space_after": _length(0),
    "align": _one_of("left", "right", "center", "justify"),
    "first_line_indent": _length(),
    "hyphenate": _BOOL,
    "keep_with_next": _BOOL,
}
FURNITURE_FIELDS: tuple[str, ...] = ("title", "source", "date", "page", "pages", "marking")


def _template(v: Any) -> None:
    # writers substitute the known {field}s and print everything else as written, so only a
    # {word} that is not a field is an error (most likely a typo such as {pgae})
    if not isinstance(v, str):
        raise ValueError(v)
    if any(name not in FURNITURE_FIELDS for name in re.findall(r"\{([^{}]*)\}", v)):
        raise ValueError(v)


_TEMPLATE = (_template, "a template string with fields " + " ".join("{%s}" % f for f in FURNITURE_FIELDS))
FURNITURE_SCHEMA = {"left": _TEMPLATE, "center": _TEMPLATE, "right": _TEMPLATE}
PAGE_SCHEMA: dict[str, Any] = {
    "size": (lambda v: parse_page_size(v) and None,
             'a size name (' + ", ".join(PAGE_SIZES) + ') or "WIDTH x HEIGHT" such as "148mm x 210mm", '
             + PAGE_SIDE_HELP),
    "orientation": _one_of("portrait", "landscape"),
    "margin_top": _length(0), "margin_right": _length(0), "margin_bottom": _length(0), "margin_left": _length(0),
    "bleed": _length(0),
    "crop_marks": _BOOL,
    "first_page_furniture": _BOOL,
    "color_mode": _one_of("rgb", "cmyk"),
    "header": FURNITURE_SCHEMA,
    "footer": FURNITURE_SCHEMA,
}
FAMILY_SCHEMA: dict[str, Any] = {
    "name": _STR,
    "regular": (_font_file, "a .ttf path (relative to the style file)"),
    "bold": (_font_file, "a .ttf path (relative to the style file)"),
    "italic": (_font_file, "a .ttf path (relative to the style file)"),
    "bold_italic": (_font_file, "a .ttf path (relative to the style file)"),
}
FACE_KEYS: tuple[str, ...] = tuple(f.replace("-", "_") for f in FACES)   # regular bold italic bold_italic
FONT_FILE_KEYS = frozenset(FACE_KEYS)
_FAMILY_KEY_RE = re.compile(r"^[a-z][a-z0-9-]*$")
def _count(maximum: int) -> tuple[Check, str]:
    return _count_from(0, maximum)


def _count_from(minimum: int, maximum: int) -> tuple[Check, str]:
    def check(v: Any) -> None:
        if not isinstance(v, int) or isinstance(v, bool) or not minimum <= v <= maximum:
            raise ValueError(v)
    return check, f"a whole number from {minimum} to {maximum}"


def _hyphenation_language(v: Any) -> None:
    """A BCP 47 tag with a hyphenation dictionary (pyphen's, which every format's breaking
    follows in the PDF), or "" for the text's own language."""
    if not isinstance(v, str):
        raise ValueError(v)
    if v == "":
        return
    if not _LANGUAGE_TAG_RE.match(v):
        raise ValueError(v)
    import pyphen          # only when a style names a dictionary

    if v.split("-")[0].lower() != "en" and not pyphen.language_fallback(v.replace("-", "_")):
        raise ValueError(v)


_LANGUAGE_TAG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
#: letters each side of a break: 1 would allow "a-/bout"; past 8 nearly nothing breaks
MAX_HYPHEN_LETTERS = 8
#: hyphenated lines in a row: past 10 there is no limit in practice (Word's own maximum is 32767)
MAX_CONSECUTIVE_HYPHENS = 10
HYPHENATION_SCHEMA = {
    "min_before": _count_from(1, MAX_HYPHEN_LETTERS),
    "min_after": _count_from(1, MAX_HYPHEN_LETTERS),
    "max_consecutive": _count_from(1, MAX_CONSECUTIVE_HYPHENS),
    "language": (_hyphenation_language, 'a BCP 47 tag with a hyphenation dictionary ("en-GB", "en-US", "de", '
                                        '"fr"…), or "" for the text\'s own language'),
}
QUOTES_SCHEMA = {**{f.name: _BOOL for f in fields(QuoteOptions)}, "speaker_display": _one_of(*SPEAKER_DISPLAYS)}
SECTIONS_SCHEMA = {**{f.name: _BOOL for f in fields(Sections)},
                   "key_quotes_per_article": _count(100), "key_quotes_max": _count(1000)}
TOP_SCHEMA: dict[str, Any] = {
    "extends": _STR,
    "description": _STR,
    "marking": _STR,
    "embed_fonts": _BOOL,
    "page": PAGE_SCHEMA,
    "fonts": "fonts",           # special: family tables + fallback list
    "quotes": QUOTES_SCHEMA,
    "sections": SECTIONS_SCHEMA,
    "hyphenation": HYPHENATION_SCHEMA,
    **{key: ELEMENT_SCHEMA for key in ELEMENT_KEYS},
}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return repr(value) if not isinstance(value, str) else f'"{value}"'


class _Validator:
    """Checks one TOML tree against the schema; errors name ``origin`` and the key path."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, path: str, problem: str) -> StyleError:
        return StyleError(f"style {self.origin}: {path}: {problem}")

    def table(self, tree: Any, schema: Mapping[str, Any], prefix: str) -> None:
        if not isinstance(tree, dict):
            raise self.fail(prefix.rstrip("."), f"expected a table, got {_describe(tree)}")
        for key, value in tree.items():
            path = prefix + key
            if key not in schema:
                allowed = ", ".join(schema)
                raise self.fail(path, f"unknown key (allowed here: {allowed})")
            self.value(value, schema[key], path)

    def value(self, value: Any, spec: Any, path: str) -> None:
        if spec == "fonts":
            self.fonts(value, path)
        elif isinstance(spec, dict):
            self.table(value, spec, path + ".")
        else:
            check, allowed = spec
            if isinstance(value, dict):
                raise self.fail(path, f"expected {allowed}, got a table")
            try:
                check(value)
            except (ValueError, TypeError):
                raise self.fail(path, f"expected {allowed}, got {_describe(value)}") from None

    def fonts(self, tree: Any, path: str) -> None:
        if not isinstance(tree, dict):
            raise self.fail(path, f"expected a table, got {_describe(tree)}")
        for key, value in tree.items():
            if key == "fallback":
                self.value(value, (_str_list, "an array of .ttf paths"), f"{path}.fallback")
            elif not _FAMILY_KEY_RE.match(key) or not isinstance(value, dict):
                raise self.fail(f"{path}.{key}", 'expected "fallback" or a family table such as [fonts.serif] '
                                                 "with name, regular, bold, italic, bold_italic")
            else:
                self.table(value, FAMILY_SCHEMA, f"{path}.{key}.")


# --------------------------------------------------------------------------------------- loading
def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise StyleError(f"style {path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise StyleError(f"style {path}: not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StyleError(f"style {path}: not valid TOML: {exc}") from None


def _absolutize_fonts(tree: dict[str, Any], base: Path) -> None:
    """Font paths are relative to the file that names them; make them absolute before merging."""
    fonts = tree.get("fonts")
    if not isinstance(fonts, dict):
        return
    for key, value in fonts.items():
        if key == "fallback":
            fonts[key] = [str((base / p).resolve()) for p in value]
        else:
            for face in FONT_FILE_KEYS & value.keys():
                value[face] = str((base / value[face]).resolve())


def _merge(into: dict[str, Any], overlay: Mapping[str, Any], origins: dict[str, str], origin: str,
           prefix: str = "") -> None:
    """Deep merge ``overlay`` into ``into`` (tables merge, everything else replaces), recording
    which file set each leaf so later errors can name it."""
    for key, value in overlay.items():
        path = prefix + key
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value, origins, origin, path + ".")
        else:
            into[key] = _deep_copy(value)
            for leaf in _leaf_paths(value, path):
                origins[leaf] = origin


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


def _leaf_paths(value: Any, path: str):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaf_paths(v, f"{path}.{k}")
    else:
        yield path


def _locate(spec: str | Path, relative_to: Path | None, origin: str) -> tuple[Path, str]:
    """A style spec -> (file, style name).  Names of built-ins win over files only when the spec
    has no path separator and no .toml suffix."""
    text = str(spec)
    is_name = isinstance(spec, str) and "/" not in text and "\\" not in text and not text.endswith(".toml")
    if is_name:
        candidate = styles_dir() / f"{text}.toml"
        if text in list_styles():
            return candidate, text
        raise StyleError(f"style {origin}: unknown style name {text!r} "
                         f"(built-in: {', '.join(list_styles())}; or give a path to a .toml file)")
    path = Path(text).expanduser()
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if not path.is_file():
        raise StyleError(f"style {origin}: no style file {str(path)!r} "
                         f"(built-in names: {', '.join(list_styles())})")
    return path.resolve(), path.stem


def _load_chain(path: Path, chain: tuple[Path, ...], origins: dict[str, str]) -> dict[str, Any]:
    if path in chain:
        cycle = " -> ".join(p.name for p in chain + (path,))
        raise StyleError(f"style {chain[-1]}: extends: cycle {cycle} (a style may not extend itself)")
    tree = _read_toml(path)
    _Validator(str(path)).table(tree, TOP_SCHEMA, "")
    _absolutize_fonts(tree, path.parent)
    merged: dict[str, Any] = {}
    parent = tree.pop("extends", None)
    if parent is not None:
        parent_path, _ = _locate(parent, path.parent, f"{path}: extends")
        merged = _load_chain(parent_path, chain + (path,), origins)
    _merge(merged, tree, origins, str(path))
    return merged


def parse_overrides(overrides: Sequence[str] | Mapping[str, object]) -> dict[str, Any]:
    """``["body.size=11pt", "quotes.show_speaker=true"]`` or a mapping (dotted keys and/or nested
    tables) -> a nested tree.  Values of strings are parsed as TOML values; what is not valid TOML
    (the shell ate the quotes: ``body.size=11pt``) is taken as a plain string."""
    tree: dict[str, Any] = {}
    if isinstance(overrides, Mapping):
        items = list(overrides.items())
    else:
        items = []
        for entry in overrides:
            key, sep, raw = str(entry).partition("=")
            if not sep or not key.strip():
                raise StyleError(f"style {SET_ORIGIN} {entry!r}: expected KEY.PATH=VALUE such as body.size=11pt")
            items.append((key.strip(), _toml_value(raw.strip())))
    for key, value in items:
        parts = str(key).split(".")
        if any(not p for p in parts):
            raise StyleError(f"style {SET_ORIGIN}: {key}: empty part in key path")
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise StyleError(f"style {SET_ORIGIN}: {key}: conflicts with another override")
        leaf = parts[-1]
        if isinstance(value, Mapping) and isinstance(node.get(leaf), dict):
            _merge(node[leaf], _plain(value), {}, SET_ORIGIN)
        else:
            node[leaf] = _plain(value) if isinstance(value, Mapping) else value
    return tree


def _plain(value: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): _plain(v) if isinstance(v, Mapping) else v for k, v in value.items()}


def _toml_value(raw: str) -> Any:
    try:
        parsed = tomllib.loads(f"v = {raw}")
    except tomllib.TOMLDecodeError:
        return raw
    # a value with a newline could smuggle in more keys: then it is just a string
    return parsed["v"] if parsed.keys() == {"v"} else raw


def load_style(spec: str | Path | None = None,
               overrides: Sequence[str] | Mapping[str, object] = ()) -> Style:
    """The resolved style ``spec`` (a built-in name or a .toml path; None = "default") with the
    ``--set`` overrides applied."""
    path, name = _locate("default" if spec is None else spec, None, repr(str(spec)))
    origins: dict[str, str] = {}
    tree = _load_chain(path, (), origins)
    override_tree = parse_overrides(overrides)
    if override_tree:
        _Validator(SET_ORIGIN).table(override_tree, TOP_SCHEMA, "")
        if "extends" in override_tree:
            raise StyleError(f"style {SET_ORIGIN}: extends: cannot be overridden (use --style)")
        _absolutize_fonts(override_tree, Path.cwd())
        _merge(tree, override_tree, origins, SET_ORIGIN)
    return _Resolver(name, path, tree, origins).style()


# ------------------------------------------------------------------------------------- resolving
BODY_DEFAULTS: dict[str, Any] = {
    "family": "serif", "size": 11.0, "bold": False, "italic": False, "color": "#000000",
    "leading": 1.4, "align": "left", "hyphenate": False,
}
#: running-text elements also take the body's alignment, and hyphenation when they may have it
#: (HYPHENATED_ELEMENTS: not key quotes, a table's cells); display elements (titles, headings,
#: furniture, cover and contents lines) stay ragged unless they say so — a justified body must
#: not stretch a two-word title across the page — and are never hyphenated.
RUNNING_TEXT_ELEMENTS = ("lede", "blockquote", "list", "related-item", "key-quotes-item", "dropped-item")


class _Resolver:
    def __init__(self, name: str, path: Path, tree: dict[str, Any], origins: dict[str, str]) -> None:
        self.name, self.path, self.tree, self.origins = name, path, tree, origins

    def fail(self, key_path: str, problem: str) -> StyleError:
        origin = self.origins.get(key_path, str(self.path))
        return StyleError(f"style {origin}: {key_path}: {problem}")

    def style(self) -> Style:
        tree = self.tree
        fonts, fallback = self.fonts()
        page = self.page()
        elements = self.elements(fonts)
        self.check_against_page(elements, page)
        marking = tree.get("marking") or None
        return Style(
            name=self.name,
            page=page,
            fonts=MappingProxyType(fonts),
            fallback=fallback,
            elements=MappingProxyType(elements),
            quotes=QuoteOptions(**tree.get("quotes", {})),
            sections=Sections(**tree.get("sections", {})),
            hyphenation=self.hyphenation(),
            marking=marking,
            embed_fonts=bool(tree.get("embed_fonts", False)),
            source=self.path,
            resolved=_freeze(tree),
        )

    def hyphenation(self) -> Hyphenation:
        raw = dict(self.tree.get("hyphenation", {}))
        language = raw.pop("language", "") or None
        return Hyphenation(language=language.replace("_", "-") if language else None, **raw)

    def fonts(self) -> tuple[dict[str, FontFamily], tuple[Path, ...]]:
        table = self.tree.get("fonts", {})
        families: dict[str, FontFamily] = {}
        for key, spec in table.items():
            if key == "fallback":
                continue
            missing = [f for f in ("name",) + FACE_KEYS if f not in spec]
            if missing:
                raise self.fail(f"fonts.{key}", f"family needs name, regular, bold, italic, bold_italic "
                                                f"(missing {', '.join(missing)})")
            paths = {}
            for face in FACE_KEYS:
                p = Path(spec[face])
                self._check_font_file(p, f"fonts.{key}.{face}")
                paths[face] = p
            families[key] = FontFamily(name=spec["name"], **paths)
        if not families:
            raise self.fail("fonts", "a style needs at least one font family such as [fonts.serif]")
        fallback = []
        for p in table.get("fallback", []):
            self._check_font_file(Path(p), "fonts.fallback")
            fallback.append(Path(p))
        return families, tuple(fallback)

    def _check_font_file(self, path: Path, key_path: str) -> None:
        if path.suffix.lower() not in (".ttf", ".otf"):
            raise self.fail(key_path, f"expected a .ttf font file (TrueType outlines), got {str(path)!r}")
        if not path.is_file():
            raise self.fail(key_path, f"font file not found: {str(path)!r}")
        problem = font_file_problem(path)
        if problem is not None:
            raise self.fail(key_path, f"font file {str(path)!r} {problem}")

    def elements(self, fonts: Mapping[str, FontFamily]) -> dict[str, ElementStyle]:
        body_raw = {**BODY_DEFAULTS, **self.tree.get("body", {})}
        if "family" not in self.tree.get("body", {}) and "serif" not in fonts:
            body_raw["family"] = next(iter(fonts))     # a style without a serif family
        body = self.element("body", body_raw, fonts, block=True)
        elements = {"body": body}
        body_leading_ratio = body.leading / body.size
        for key in ELEMENT_KEYS:
            if key == "body":
                continue
            raw = dict(self.tree.get(key, {}))
            if key in BLOCK_ELEMENTS:
                running = key in RUNNING_TEXT_ELEMENTS
                inherited = {"family": body.family, "size": body.size, "bold": body.bold, "italic": body.italic,
                             "color": body.color, "leading": body_leading_ratio,
                             "align": body.align if running else "left",
                             "hyphenate": body.hyphenate if key in HYPHENATED_ELEMENTS else False}
                if raw.get("hyphenate") is True and key not in HYPHENATED_ELEMENTS:
                    raise self.fail(f"{key}.hyphenate",
                                    "headings, titles, standfirsts, table cells, captions and page furniture are "
                                    "never hyphenated (hyphenate = true only on " + ", ".join(HYPHENATED_ELEMENTS) + ")")
                elements[key] = self.element(key, {**inherited, **raw}, fonts, block=True)
            else:
                elements[key] = self.element(key, {"color": body.color, **raw}, fonts, block=False)
        return elements

    def check_against_page(self, elements: Mapping[str, ElementStyle], page: PageStyle) -> None:
        """A first-line indent must be narrower than the page's text column, either way: a wider
        one leaves no room for a word on the line, and Word and EPUB readers push the text off
        the page.  (Spacing taller than the text area is the PDF writer's clear "page too small"
        error, as for any content that does not fit.)"""
        text_width = page.width - page.margin_left - page.margin_right
        for key, el in elements.items():
            if abs(el.first_line_indent) >= text_width:
                raise self.fail(f"{key}.first_line_indent",
                                f"must be narrower than the page's text width {_pt(text_width)}, "
                                f"got {_pt(el.first_line_indent)}")

    def element(self, key: str, raw: Mapping[str, Any], fonts: Mapping[str, FontFamily], block: bool) -> ElementStyle:
        family = raw.get("family")
        if family is not None and family not in fonts:
            raise self.fail(f"{key}.family", f"unknown font family {family!r} "
                                             f"(defined under [fonts]: {', '.join(fonts)})")
        size = to_points(raw["size"]) if raw.get("size") is not None else None
        leading_raw = raw.get("leading")
        leading: float | None
        if leading_raw is None:
            leading = None
        elif isinstance(leading_raw, str):
            leading = to_points(leading_raw)
        else:
            leading = round(leading_raw * size, 4) if size is not None else None
        background = raw.get("background")
        return ElementStyle(
            family=family,
            size=size,
            bold=raw.get("bold"),
            italic=raw.get("italic"),
            color=parse_color(raw["color"]),
            background=None if background in (None, "none") else parse_color(background),
            leading=leading,
            space_before=to_points(raw.get("space_before", 0)),
            space_after=to_points(raw.get("space_after", 0)),
            align=raw.get("align", "left"),
            first_line_indent=to_points(raw.get("first_line_indent", 0)),
            hyphenate=bool(raw.get("hyphenate", False)),
            keep_with_next=bool(raw.get("keep_with_next", False)),
        )

    def page(self) -> PageStyle:
        raw = self.tree.get("page", {})
        (w, h), size_name = parse_page_size(raw.get("size", "A4"))
        orientation = raw.get("orientation", "portrait")
        if (orientation == "landscape") != (w > h):
            w, h = h, w
        margin = {side: to_points(raw.get(f"margin_{side}", "20mm")) for side in ("top", "right", "bottom", "left")}
        if margin["left"] + margin["right"] >= w or margin["top"] + margin["bottom"] >= h:
            raise self.fail("page.margin_left", "margins leave no room on the page")
        bleed = to_points(raw.get("bleed", 0))
        if max(w, h) + 2 * bleed > MAX_PAGE_SIDE:
            raise self.fail("page.bleed", f"the page with its bleed must stay {PAGE_SIDE_HELP} "
                                          f"(got {_pt(max(w, h) + 2 * bleed)})")
        return PageStyle(
            width=round(w, 4), height=round(h, 4), orientation=orientation,
            margin_top=margin["top"], margin_right=margin["right"],
            margin_bottom=margin["bottom"], margin_left=margin["left"],
            bleed=bleed,
            crop_marks=bool(raw.get("crop_marks", False)),
            header=Furniture(**raw.get("header", {})),
            footer=Furniture(**raw.get("footer", {})),
            first_page_furniture=bool(raw.get("first_page_furniture", True)),
            color_mode=raw.get("color_mode", "rgb"),
            size_name=size_name,
        )


def _freeze(tree: Any) -> Any:
    if isinstance(tree, dict):
        return MappingProxyType({k: _freeze(v) for k, v in tree.items()})
    if isinstance(tree, list):
        return tuple(_freeze(v) for v in tree)
    return tree


# ----------------------------------------------------------------------------------- TOML output
def style_to_toml(style: Style) -> str:
    """The fully resolved style as TOML (every element, every length in points, absolute font
    paths).  Loading the text back gives an equal style."""
    page = style.page
    lines: list[str] = [f"# style {style.name!r}, fully resolved (lengths in points)"]
    top: dict[str, Any] = {}
    description = style.resolved.get("description")
    if isinstance(description, str) and description:
        top["description"] = description
    top["embed_fonts"] = style.embed_fonts
    if style.marking:
        top["marking"] = style.marking
    lines += _toml_pairs(top)
    # width x height are already oriented, so reading them back with the same orientation is a no-op
    size = page.size_name or f"{_pt(page.width)} x {_pt(page.height)}"
    lines += ["", "[page]"] + _toml_pairs({
        "size": size, "orientation": page.orientation,
        "margin_top": _pt(page.margin_top), "margin_right": _pt(page.margin_right),
        "margin_bottom": _pt(page.margin_bottom), "margin_left": _pt(page.margin_left),
        "bleed": _pt(page.bleed), "crop_marks": page.crop_marks,
        "first_page_furniture": page.first_page_furniture, "color_mode": page.color_mode,
    })
    for slot, furniture in (("header", page.header), ("footer", page.footer)):
        lines += ["", f"[page.{slot}]"] + _toml_pairs(
            {"left": furniture.left, "center": furniture.center, "right": furniture.right})
    lines += ["", "[fonts]"] + _toml_pairs({"fallback": [str(p) for p in style.fallback]})
    for key, fam in style.fonts.items():
        lines += ["", f"[fonts.{key}]"] + _toml_pairs({
            "name": fam.name, "regular": str(fam.regular), "bold": str(fam.bold),
            "italic": str(fam.italic), "bold_italic": str(fam.bold_italic)})
    for table, obj in (("quotes", style.quotes), ("sections", style.sections)):
        lines += ["", f"[{table}]"] + _toml_pairs({f.name: getattr(obj, f.name) for f in fields(obj)})
    hyphenation = style.hyphenation
    lines += ["", "[hyphenation]"] + _toml_pairs({
        "min_before": hyphenation.min_before, "min_after": hyphenation.min_after,
        "max_consecutive": hyphenation.max_consecutive, "language": hyphenation.language or ""})
    for key in ELEMENT_KEYS:
        el = style.elements[key]
        values: dict[str, Any] = {}
        for f in fields(ElementStyle):
            v = getattr(el, f.name)
            if v is None:
                if f.name == "background":
                    values[f.name] = "none"
                continue
            if f.name in ("size", "leading", "space_before", "space_after", "first_line_indent"):
                v = _pt(v)
            values[f.name] = v
        lines += ["", f"[{key}]"] + _toml_pairs(values)
    return "\n".join(lines) + "\n"


def _pt(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return f"{'0' if text in ('-0', '') else text}pt"


def _toml_pairs(values: Mapping[str, Any]) -> list[str]:
    return [f"{k} = {_toml_literal(v)}" for k, v in values.items()]


def _toml_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = "".join(
            {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(c, c)
            if c in '\\"\n\t\r' or ord(c) >= 0x20 and ord(c) != 0x7F else f"\\u{ord(c):04x}"
            for c in value)
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_literal(v) for v in value) + "]"
    raise TypeError(type(value))
