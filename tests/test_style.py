"""The style loader: built-ins, extends, --set overrides, units, errors, TOML round trip."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from exporter.errors import StyleError
from exporter.style import (
    BLOCK_ELEMENTS, ELEMENT_KEYS, INLINE_ELEMENTS, list_styles, load_style, style_to_toml, styles_dir, to_points,
)
from exporter.style.loader import parse_overrides

BUILTINS = ["briefing", "default", "ebook", "letter"]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------- built-ins
def test_builtin_names_and_location():
    assert list_styles() == BUILTINS
    assert (styles_dir() / "default.toml").is_file()


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_is_fully_resolved(name):
    style = load_style(name)
    assert style.name == name
    assert set(style.elements) == set(ELEMENT_KEYS)
    for key in BLOCK_ELEMENTS:
        el = style.block(key)
        assert el.family in style.fonts, key
        assert el.size and el.size > 0 and el.leading and el.leading >= el.size, key
        assert el.bold is not None and el.italic is not None, key
        assert re.fullmatch(r"#[0-9a-f]{6}", el.color), key
    for key in INLINE_ELEMENTS:
        assert re.fullmatch(r"#[0-9a-f]{6}", style.element(key).color)
    for family in style.fonts.values():
        for face in (family.regular, family.bold, family.italic, family.bold_italic):
            assert face.is_absolute() and face.is_file() and face.suffix == ".ttf"
    assert all(p.is_file() for p in style.fallback)


def test_default_is_calm_serif_a4():
    style = load_style(None)
    assert style.name == "default"
    assert style.page.size_name == "A4" and (style.page.width, style.page.height) == (595.2756, 841.8898)
    assert style.fonts[style.block("body").family].name == "Noto Serif"
    assert style.marking is None and not style.embed_fonts


def test_briefing_has_furniture_marking_and_page_x_of_y():
    style = load_style("briefing")
    assert style.marking == "OFFICIAL"
    header, footer = style.page.header, style.page.footer
    assert "{marking}" in (header.left + header.center + header.right)
    assert "{marking}" in (footer.left + footer.center + footer.right)
    assert "Page {page} of {pages}" in (footer.left + footer.center + footer.right)
    assert style.block("body").size < load_style("default").block("body").size   # tighter
    assert style.page.size_name == "A4"


def test_letter_extends_briefing_on_us_letter():
    letter, briefing = load_style("letter"), load_style("briefing")
    assert (letter.page.width, letter.page.height, letter.page.size_name) == (612.0, 792.0, "Letter")
    assert letter.page.margin_left == 54.0            # 0.75in
    assert letter.elements == briefing.elements and letter.marking == briefing.marking
    assert letter.page.footer == briefing.page.footer


def test_ebook_reflowable_without_furniture_embeds_fonts():
    style = load_style("ebook")
    assert style.embed_fonts
    assert style.page.header.empty and style.page.footer.empty


def relative_luminance(color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_luminance_helpers_can_fail():
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert contrast("#777777", "#ffff00") < 4.5           # a grey-on-yellow that must not pass
    assert relative_luminance("#ffd700") < 0.85 or contrast("#000000", "#ffd700") >= 4.5


@pytest.mark.parametrize("name", BUILTINS)
def test_speech_highlight_readable_in_greyscale(name):
    style = load_style(name)
    assert style.quotes.highlight_speech
    speech = style.inline("quote-speech")
    assert speech.background is not None
    assert relative_luminance(speech.background) >= 0.85
    assert contrast(speech.color, speech.background) >= 4.5
    # the body text colour on the highlight too (a writer may leave the run's colour alone)
    assert contrast(style.block("body").color, speech.background) >= 4.5


@pytest.mark.parametrize("name", BUILTINS)
def test_related_and_dropped_sections_off_and_key_quotes_on_in_builtins(name):
    sections = load_style(name).sections
    assert not sections.related and not sections.dropped and sections.key_quotes


def test_print_briefing_styles_and_the_ebook_embed_their_fonts():
    # a briefing must look the same on a machine without the style's fonts (DOCX and EPUB carry
    # subsets; the PDF always does)
    assert {name: load_style(name).embed_fonts for name in BUILTINS} == {
        "default": False, "briefing": True, "letter": True, "ebook": True}


# ------------------------------------------------------------------------------------------ units
@pytest.mark.parametrize("text, points", [
    ("11pt", 11.0), ("25.4mm", 72.0), ("2.54cm", 72.0), ("1in", 72.0), ("0.5in", 36.0), (12, 12.0),
    (10.5, 10.5), (" 3 mm ", 8.5039), (".5in", 36.0),
])
def test_units_to_points(text, points):
    assert to_points(text) == pytest.approx(points, abs=1e-4)


@pytest.mark.parametrize("bad", ["11px", "11", "pt", "1e3pt", True, "eleven pt", "11 pt pt"])
def test_bad_lengths_rejected(bad):
    with pytest.raises(ValueError):
        to_points(bad)


def test_units_in_a_style_file(tmp_path):
    path = write(tmp_path, "u.toml", 'extends = "default"\n[page]\nsize = "148mm x 210mm"\n'
                                     'margin_left = "1in"\nmargin_right = "2cm"\n[body]\nsize = 12\nleading = "18pt"\n')
    style = load_style(path)
    assert style.page.width == pytest.approx(419.5276) and style.page.size_name is None
    assert style.page.margin_left == 72.0 and style.page.margin_right == pytest.approx(56.6929)
    assert style.block("body").size == 12.0 and style.block("body").leading == 18.0


def test_landscape_swaps_dimensions():
    style = load_style("default", ["page.orientation=landscape"])
    assert style.page.width > style.page.height == 595.2756


# ------------------------------------------------------------------------------ extends, overrides
def test_extends_by_name_and_by_relative_path(tmp_path):
    write(tmp_path, "base.toml", 'extends = "default"\n[body]\nsize = "9pt"\ncolor = "#102030"\n')
    child = write(tmp_path, "child.toml", 'extends = "base.toml"\n[body]\ncolor = "#405060"\n')
    style = load_style(child)
    body = style.block("body")
    assert (body.size, body.color, body.family) == (9.0, "#405060", "serif")
    assert style.name == "child" and style.source == child.resolve()
    # unset block fields come from body: a block that sets nothing takes body's size and colour
    assert style.block("list").size == 9.0 and style.block("list").color == "#405060"


def test_relative_font_paths_resolve_against_the_file_naming_them(tmp_path):
    fonts = styles_dir() / "fonts"
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "f.ttf").write_bytes((fonts / "NotoSans-Regular.ttf").read_bytes())
    path = write(sub, "s.toml", 'extends = "default"\n[fonts.plain]\nname = "Plain"\nregular = "f.ttf"\n'
                                'bold = "f.ttf"\nitalic = "f.ttf"\nbold_italic = "f.ttf"\n[body]\nfamily = "plain"\n')
    style = load_style(path)
    assert style.fonts["plain"].regular == (sub / "f.ttf").resolve()
    assert style.fonts["serif"].regular == (fonts / "NotoSerif-Regular.ttf").resolve()


def test_set_overrides_strings_and_mapping():
    style = load_style("default", ["body.size=12pt", 'heading-2.color="#ff0000"', "quotes.show_speaker=true",
                                   "page.size=Letter", 'marking="SECRET"'])
    assert style.block("body").size == 12.0
    assert style.block("heading-2").color == "#ff0000"
    assert style.quotes.show_speaker and style.marking == "SECRET"
    assert style.page.size_name == "Letter"
    # a body change reaches blocks that inherit it
    assert style.block("list").size == 12.0
    same = load_style("default", {"body.size": "12pt", "quotes": {"show_speaker": True}})
    assert same.block("body") == style.block("body") and same.quotes.show_speaker
    assert load_style("default").block("body").size == 11.0        # built-ins are not mutated


def test_parse_overrides_nests_paths():
    assert parse_overrides(["a.b=1", "a.c=x y", 'a.d="q"']) == {"a": {"b": 1, "c": "x y", "d": "q"}}
    assert parse_overrides({"body.color": "#000000", "body": {"size": 1}}) == {"body": {"color": "#000000", "size": 1}}
    # a value cannot smuggle in a second key through a newline
    assert parse_overrides(["marking=1\nbody.size = 3"]) == {"marking": "1\nbody.size = 3"}


def test_background_none_removes_a_base_highlight():
    style = load_style("default", ['quote-speech.background="none"'])
    assert style.element("quote-speech").background is None


# ------------------------------------------------------------------------------------------ errors
def one_line_error(spec, overrides=()) -> str:
    with pytest.raises(StyleError) as info:
        load_style(spec, overrides)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert info.value.exit_code == 2
    return message


@pytest.mark.parametrize("body, key, allowed", [
    ('[body]\nsise = "11pt"\n', "body.sise", "allowed here: family, size"),
    ('[body]\nsize = "11px"\n', "body.size", '"11pt", "20mm"'),
    ('[body]\nsize = true\n', "body.size", "length"),
    ('[body]\ncolor = "blue"\n', "body.color", "#rrggbb"),
    ('[body]\ncolor = "#12345"\n', "body.color", "#rrggbb"),
    ('[body]\nbold = "yes"\n', "body.bold", "true or false"),
    ('[body]\nfamily = "comic"\n', "body.family", "unknown font family 'comic'"),
    ('[page]\nsize = "B7"\n', "page.size", "A4"),
    ('[page]\nmargin_top = "-3mm"\n', "page.margin_top", "not negative"),
    ('[page.header]\nmiddle = "x"\n', "page.header.middle", "left, center, right"),
    ('[paragraph]\nsize = "11pt"\n', "paragraph", "unknown key"),
    ('[fonts.serif]\nregular = "nope.ttf"\n', "fonts.serif.regular", "font file not found"),
    ('[fonts.odd]\nname = "Odd"\n', "fonts.odd", "missing regular"),
    ('[quotes]\nshow_speaker = 1\n', "quotes.show_speaker", "true or false"),
    ('[body]\nalign = "centre"\n', "body.align", '"center"'),
    ('[page.footer]\nright = "Page {pgae}"\n', "page.footer.right", "{page} {pages} {marking}"),
    ('[fonts]\nfallback = "x.ttf"\n', "fonts.fallback", "an array of .ttf paths"),
    ('[fonts.serif]\nregular = "../README.md"\n', "fonts.serif.regular", "expected a .ttf font file"),
    ('description = 3\n', "description", "a string"),
])
def test_bad_style_file_gives_one_line_naming_file_and_key(tmp_path, body, key, allowed):
    path = write(tmp_path, "bad.toml", 'extends = "default"\n' + body)
    message = one_line_error(path)
    assert str(path.resolve()) in message or str(path) in message
    assert f": {key}:" in message
    assert allowed in message


def test_error_in_a_base_file_names_the_base(tmp_path):
    base = write(tmp_path, "base.toml", 'extends = "default"\n[title]\ncolor = "red"\n')
    child = write(tmp_path, "child.toml", 'extends = "base.toml"\n')
    message = one_line_error(child)
    assert str(base.resolve()) in message and "title.color" in message


def test_unknown_family_named_by_the_file_that_set_it(tmp_path):
    path = write(tmp_path, "s.toml", 'extends = "default"\n[heading-2]\nfamily = "display"\n')
    message = one_line_error(path)
    assert str(path.resolve()) in message and "heading-2.family" in message and "serif, sans, mono" in message


def test_extends_cycle(tmp_path):
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    b = write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    message = one_line_error(b)
    assert "extends" in message and "cycle" in message and "a.toml" in message
    selfref = write(tmp_path, "self.toml", 'extends = "self.toml"\n')
    assert "cycle" in one_line_error(selfref)


def test_unknown_style_name_and_missing_file(tmp_path):
    message = one_line_error("fancy")
    assert "'fancy'" in message and "default" in message and "briefing" in message
    message = one_line_error(tmp_path / "missing.toml")
    assert "missing.toml" in message
    path = write(tmp_path, "x.toml", 'extends = "nosuch"\n')
    message = one_line_error(path)
    assert "extends" in message and "'nosuch'" in message


def test_invalid_toml(tmp_path):
    path = write(tmp_path, "broken.toml", "[body\nsize = 1\n")
    message = one_line_error(path)
    assert str(path) in message and "TOML" in message


@pytest.mark.parametrize("override, key", [
    ("body.sise=11pt", "body.sise"), ("body.size=huge", "body.size"), ("quotes.show_speaker=maybe", "quotes.show_speaker"),
    ("nonsense=1", "nonsense"), ("body.family=comic", "body.family"),
])
def test_bad_set_override_names_set_and_key(override, key):
    message = one_line_error("default", [override])
    assert message.startswith("style --set") and f"{key}:" in message


def test_set_without_equals():
    assert "KEY.PATH=VALUE" in one_line_error("default", ["body.size"])


# ------------------------------------------------------------------------------------ TOML output
@pytest.mark.parametrize("name", BUILTINS)
def test_style_to_toml_round_trips(tmp_path, name):
    style = load_style(name, ["page.orientation=landscape"] if name == "ebook" else ())
    text = style_to_toml(style)
    for key in ELEMENT_KEYS:
        assert f"[{key}]" in text
    again = load_style(write(tmp_path, "resolved.toml", text))
    for attr in ("page", "fonts", "fallback", "quotes", "sections", "marking", "embed_fonts"):
        assert getattr(again, attr) == getattr(style, attr), attr
    assert dict(again.elements) == dict(style.elements)


def test_style_to_toml_escapes_strings():
    style = load_style("default", {"marking": 'A "quoted"\\ marking\tx', "page.footer.left": "{title}"})
    text = style_to_toml(style)
    assert 'marking = "A \\"quoted\\"\\\\ marking\\tx"' in text


def test_styles_found_inside_an_installed_package(tmp_path):
    """In a wheel the styles sit at exporter/styles (hatch force-include): the lookup finds them."""
    import shutil
    import subprocess
    import sys

    import exporter

    package = Path(exporter.__file__).resolve().parent
    shutil.copytree(package, tmp_path / "exporter", ignore=shutil.ignore_patterns("__pycache__", "styles"))
    (tmp_path / "exporter" / "styles").symlink_to(styles_dir(), target_is_directory=True)
    code = ("from exporter.style import styles_dir, load_style\n"
            "print(styles_dir())\nprint(load_style('letter').page.size_name)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path, env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    lines = out.stdout.splitlines()
    assert lines == [str(tmp_path / "exporter" / "styles"), "Letter"]


def test_style_descriptions():
    from exporter.style import style_descriptions

    descriptions = style_descriptions()
    assert list(descriptions) == BUILTINS and all(descriptions.values())
    assert "US Letter" in descriptions["letter"]
    assert style_to_toml(load_style("letter")).splitlines()[1].startswith('description = "')


def test_display_elements_do_not_inherit_a_justified_body():
    style = load_style("ebook")
    assert style.element("body").align == "justify"
    for key in ("title", "subtitle", "meta-line", "heading-2", "cover-title", "toc-entry", "header"):
        assert style.element(key).align == "left", key
        assert style.element(key).hyphenate is False, key
    for key in ("lede", "blockquote", "list"):
        assert style.element(key).align == "justify", key
    assert load_style("ebook", ["title.align=\"center\""]).element("title").align == "center"
