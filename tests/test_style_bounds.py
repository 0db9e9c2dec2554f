"""Style values are bounded to what every format's viewers accept (font sizes 1-1638 pt, a page
at most 5 m a side, first-line indents narrower than the text column, no negative sizes); out of
range is one StyleError line naming the key, through a style file, ``--set`` and the CLI alike."""
from __future__ import annotations

from pathlib import Path

import pytest

from exporter.errors import StyleError
from exporter.style import load_style
from exporter.style.loader import MAX_FONT_SIZE, MAX_PAGE_SIDE

from cli_support import run_cli


def refused(overrides) -> str:
    with pytest.raises(StyleError) as info:
        load_style("default", overrides)
    message = str(info.value)
    assert "\n" not in message and info.value.exit_code == 2
    return message


@pytest.mark.parametrize("override, key, allowed", [
    ("body.size=1e9", "body.size", "from 1pt to 1638pt"),
    ("body.size=0.5", "body.size", "from 1pt to 1638pt"),
    ('body.size="1639pt"', "body.size", "from 1pt to 1638pt"),
    ('quote-speech.size="2000pt"', "quote-speech.size", "from 1pt to 1638pt"),
    ("body.size=-11", "body.size", "from 1pt to 1638pt"),
    ('page.size="100m x 100m"', "page.size", "at most 5 m a side"),       # no unit "m": still refused
    ('page.size="10000cm x 10cm"', "page.size", "at most 5 m a side"),
    ('page.size="5001mm x 210mm"', "page.size", "at most 5 m a side"),
    ('body.first_line_indent="1000cm"', "body.first_line_indent", "at most 5 m"),
    ('body.first_line_indent="300mm"', "body.first_line_indent", "narrower than the page's text width"),
    ('body.first_line_indent="-300mm"', "body.first_line_indent", "narrower than the page's text width"),
    ('lede.space_before="5001mm"', "lede.space_before", "at most 5 m"),
    ('body.space_after="-1pt"', "body.space_after", "not negative"),
    ('page.margin_top="-1mm"', "page.margin_top", "not negative"),
    ('page.margin_left="200mm"', "page.margin_left", "no room on the page"),
    ('page.margin_right="600cm"', "page.margin_right", "at most 5 m"),
    ('page.bleed="2500mm"', "page.bleed", "at most 5 m a side"),
    ('body.leading="501cm"', "body.leading", "at most 5 m"),
    ("body.leading=6", "body.leading", "from above 0 to 5"),
])
def test_out_of_range_values_are_one_style_error(override, key, allowed):
    message = refused([override])
    assert message.startswith(f"style --set: {key}:"), message
    assert allowed in message


@pytest.mark.parametrize("override, field, points", [
    ("body.size=1", "size", 1.0),
    (f"body.size={MAX_FONT_SIZE:g}", "size", MAX_FONT_SIZE),
    ('body.first_line_indent="-12pt"', "first_line_indent", -12.0),
    ('body.first_line_indent="150mm"', "first_line_indent", 425.1969),
])
def test_values_at_the_bounds_load(override, field, points):
    assert getattr(load_style("default", [override]).element("body"), field) == pytest.approx(points)


def test_a_five_metre_page_loads_and_a_bigger_one_does_not():
    page = load_style("default", ['page.size="5000mm x 5000mm"']).page
    assert page.width == page.height == pytest.approx(MAX_PAGE_SIDE)
    assert "page.size" in refused(['page.size="5000.1mm x 5000mm"'])
    # the bleed counts: a 5 m page has no room for one
    assert "page.bleed" in refused(['page.size="5000mm x 5000mm"', 'page.bleed="1mm"'])


def test_a_bound_broken_in_a_style_file_names_the_file(tmp_path: Path):
    path = tmp_path / "huge.toml"
    path.write_text('extends = "default"\n[page]\nsize = "6000mm x 100mm"\n[body]\nsize = 9\n', "utf-8")
    with pytest.raises(StyleError) as info:
        load_style(path)
    assert str(info.value).startswith(f"style {path.resolve()}: page.size:")
    indent = tmp_path / "indent.toml"
    indent.write_text('extends = "ebook"\n[lede]\nfirst_line_indent = "1000mm"\n', "utf-8")
    with pytest.raises(StyleError) as info:
        load_style(indent)
    assert f"style {indent.resolve()}: lede.first_line_indent: must be narrower" in str(info.value)


@pytest.mark.parametrize("override", ["body.size=1e9", 'page.size="6000mm x 6000mm"',
                                      'body.first_line_indent="400mm"'])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
def test_cli_set_out_of_range_is_exit_2_one_line_and_writes_nothing(tmp_path, fmt, override):
    source = tmp_path / "x.txt"
    source.write_text("A headline\n\nOne short paragraph of body text.\n", "utf-8")
    target = tmp_path / f"x.{fmt}"
    result = run_cli(["export", str(source), "-f", fmt, "-o", str(target), "--set", override])
    assert result.code == 2
    assert len(result.err_lines) == 1 and result.err_lines[0].startswith("exporter: error: style --set: ")
    assert not target.exists()
