"""Shipped fonts, their coverage cache, and the FontResolver."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from exporter.style import fonts_dir, load_style
from exporter.style import fonts as fonts_module
from exporter.style.fonts import Coverage, FontResolver, coverage, read_coverage

SAMPLES = {
    "polish": "Zażółć gęślą jaźń. Łódź, Wrocław, Gdańsk — „cytat”",
    "czech": "Příliš žluťoučký kůň úpěl ďábelské ódy. Ťěšínsko",
    "turkish": "İstanbul’da şoför ğüzel; Iğdır, Çanakkale, Ödemiş, Şırnak ı İ",
    "greek": "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Ἀθῆναι",
    "ukrainian": "Чуєш їх, доцю, га? Кумедна ж ти, прощайся без ґольфів! Їжак",
    "russian": "Съешь же ещё этих мягких французских булок, да выпей чаю. Ё",
    "latin": "Crème brûlée, naïve façade, smörgåsbord, Straße, Œuvre, ß ẞ € ‘’ “” – — …",
}
SHIPPED_FAMILIES = ["NotoSerif", "NotoSans"]
FACES = ["Regular", "Bold", "Italic", "BoldItalic"]


def shipped(name: str) -> Path:
    return fonts_dir() / name


# ----------------------------------------------------------------------------------- the files
def test_shipped_fonts_and_licences_present_and_reasonably_small():
    directory = fonts_dir()
    for family in SHIPPED_FAMILIES:
        for face in FACES:
            assert (directory / f"{family}-{face}.ttf").is_file()
    assert (directory / "DroidSansFallbackFull.ttf").is_file()
    ofl = (directory / "OFL-Noto.txt").read_text()
    assert "SIL Open Font License" in ofl or "SIL OPEN FONT LICENSE" in ofl
    assert "Apache License" in (directory / "LICENSE-DroidSansFallback.txt").read_text()
    total = sum(p.stat().st_size for p in directory.iterdir())
    assert total < 12 * 1024 * 1024, f"fonts directory is {total} bytes"


@pytest.mark.parametrize("family", SHIPPED_FAMILIES)
def test_shipped_faces_are_static_truetype_with_distinct_weights(family):
    from fontTools.ttLib import TTFont

    weights = {}
    for face in FACES:
        with TTFont(str(shipped(f"{family}-{face}.ttf")), lazy=True) as font:
            assert "glyf" in font and "fvar" not in font, face       # static TrueType outlines
            weights[face] = font["OS/2"].usWeightClass
            italic = bool(font["OS/2"].fsSelection & 1)
            assert italic == ("Italic" in face), face
    assert weights["Bold"] > weights["Regular"] and weights["BoldItalic"] > weights["Italic"]


def test_reportlab_loads_every_shipped_font():
    from reportlab.pdfbase.ttfonts import TTFont

    for path in sorted(fonts_dir().glob("*.ttf")):
        TTFont(path.stem, str(path))


@pytest.mark.parametrize("language", sorted(SAMPLES))
@pytest.mark.parametrize("family", SHIPPED_FAMILIES)
@pytest.mark.parametrize("face", FACES)
def test_shipped_faces_cover_european_scripts(language, family, face):
    cov = coverage(shipped(f"{family}-{face}.ttf"))
    missing = [c for c in SAMPLES[language] if c not in cov]
    assert not missing, f"{family}-{face} lacks {missing}"


def test_coverage_can_say_no():
    cov = coverage(shipped("NotoSerif-Regular.ttf"))
    assert "中" not in cov and "😀" not in cov and "\u05d0" not in cov   # CJK, emoji, Hebrew
    assert "中" in coverage(shipped("DroidSansFallbackFull.ttf"))


def test_coverage_json_matches_the_fonts():
    """The committed cache is what build_coverage would write now (regenerate if this fails)."""
    from exporter.style.build_coverage import coverage_table, render

    committed = (fonts_dir() / fonts_module.COVERAGE_FILE).read_text("utf-8")
    assert committed == render(coverage_table(fonts_dir()))
    table = json.loads(committed)["fonts"]
    assert set(table) == {p.name for p in fonts_dir().glob("*.ttf")}


def test_the_resolver_never_imports_fonttools(tmp_path):
    """Shipped fonts' coverage comes from coverage.json, any other font's from exporter.style.sfnt:
    fontTools is EPUB's subsetter only."""
    other = tmp_path / "Other.ttf"                # not a shipped file: its coverage is read
    other.write_bytes(shipped("NotoSans-Regular.ttf").read_bytes())
    code = ("import sys\nfrom pathlib import Path\nfrom exporter.style import load_style\n"
            "from exporter.style.fonts import FontResolver, coverage\n"
            "r = FontResolver(load_style('default'), use_system_fonts=False)\n"
            "r.split('Zażółć 中文 Привіт', 'serif', bold=True)\n"
            f"assert 'Ж' in coverage(Path({str(other)!r}))\n"
            "print(any(m.startswith('fontTools') for m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_read_coverage_rejects_unusable_files(tmp_path):
    bogus = tmp_path / "x.ttf"
    bogus.write_bytes(b"not a font")
    assert not read_coverage(bogus).usable
    assert not read_coverage(tmp_path / "x.ttc").usable
    assert Coverage.from_flat([65, 70, 100, 100]).to_flat() == [65, 70, 100, 100]
    cov = Coverage.from_flat([65, 70, 100, 100])
    assert "A" in cov and "F" in cov and "G" not in cov and "d" in cov and "@" not in cov


# ------------------------------------------------------------------------------------ resolver
@pytest.fixture(scope="module")
def style():
    return load_style("default")


def names(runs):
    return [(text, path.name if path else None) for text, path in runs]


def test_split_single_family_run(style):
    r = FontResolver(style, use_system_fonts=False)
    for sample in SAMPLES.values():
        assert names(r.split(sample, "serif")) == [(sample, "NotoSerif-Regular.ttf")]
    assert names(r.split("x", "sans", bold=True, italic=True)) == [("x", "NotoSans-BoldItalic.ttf")]
    assert names(r.split("x", "Noto Serif", italic=True)) == [("x", "NotoSerif-Italic.ttf")]
    assert names(r.split("x")) == [("x", "NotoSerif-Regular.ttf")]          # None = body family
    assert r.uncovered == frozenset()


def test_split_falls_back_to_cjk_and_keeps_spaces_in_runs(style):
    r = FontResolver(style, use_system_fonts=False)
    runs = names(r.split("Hello 中文 world", "serif"))
    assert runs == [("Hello ", "NotoSerif-Regular.ttf"), ("中文 ", "DroidSansFallbackFull.ttf"),
                    ("world", "NotoSerif-Regular.ttf")]
    assert "".join(t for t, _ in runs) == "Hello 中文 world"


def test_combining_marks_stay_with_their_base(style):
    r = FontResolver(style, use_system_fonts=False)
    text = "e\u0301\u0327 中\u0301 \u0301a"
    runs = r.split(text, "serif")
    assert "".join(t for t, _ in runs) == text
    assert names(runs)[1][0].startswith("中\u0301")
    # leading whitespace/marks go with the first real run
    assert names(r.split("  中", "serif")) == [("  中", "DroidSansFallbackFull.ttf")]
    assert names(r.split("   ", "serif")) == [("   ", "NotoSerif-Regular.ttf")]
    assert r.split("", "serif") == []


def test_uncovered_characters_recorded_and_warned_once(style):
    r = FontResolver(style, use_system_fonts=False)
    runs = names(r.split("ok 😀 and \u05d0\u05d1 and 😀", "serif"))
    assert ("😀 ", None) in runs
    assert r.uncovered == frozenset({"😀", "\u05d0", "\u05d1"})
    warnings: list[str] = []
    r.warn_uncovered(warnings.append, "shown as nothing")
    r.warn_uncovered(warnings.append, "shown as nothing")
    assert len(warnings) == 2 and not any("\n" in w for w in warnings)     # one per script, one line each
    assert "1 emoji character(s), shown as nothing: " in warnings[0] and "U+1F600" in warnings[0]
    assert "2 Hebrew character(s), shown as nothing: " in warnings[1] and "U+05D0" in warnings[1]
    quiet: list[str] = []
    FontResolver(style, use_system_fonts=False).warn_uncovered(quiet.append, "shown as nothing")
    assert quiet == []


def test_system_fallback_via_fontconfig(style, monkeypatch):
    """Hebrew is not in the shipped fonts; fontconfig finds a system font that draws it."""
    from support import require_tool

    require_tool("fc-list", "system font fallback goes through fontconfig")
    r = FontResolver(style)
    runs = r.split("\u05e9\u05dc\u05d5\u05dd", "serif")
    assert len(runs) == 1
    text, path = runs[0]
    if path is None:
        pytest.skip("no system font covers Hebrew here")
    assert path.suffix.lower() in (".ttf", ".otf") and coverage(path).usable
    from reportlab.pdfbase.ttfonts import TTFont
    TTFont("HebrewFallback", str(path))


def test_every_system_fallback_chosen_loads_in_reportlab(style):
    """Whatever fontconfig offers for other scripts, what the resolver picks reportlab can embed."""
    from support import require_tool
    from reportlab.pdfbase.ttfonts import TTFont

    require_tool("fc-list", "system font fallback goes through fontconfig")
    samples = "\u05d0\u0627\u0915\u0e01\u0531\u10d0\u0b85\u1200\u13a0\u2603\U0001f600"
    r = FontResolver(style)
    chosen = {path for char in samples for _, path in r.split(char, "serif") if path is not None}
    for path in sorted(chosen - {p for p in fonts_dir().iterdir()}):
        TTFont(f"Check{abs(hash(path))}", str(path))
        assert coverage(path).usable


def test_colour_and_cff_fonts_are_never_chosen(tmp_path, style, monkeypatch):
    """A system font that is unusable (here a .ttc and a non-font) is skipped: the char is uncovered."""
    bogus = tmp_path / "Emoji.ttf"
    bogus.write_bytes(b"\x00\x01\x00\x00garbage")
    monkeypatch.setattr(fonts_module, "_system_font_for_char", {})
    monkeypatch.setattr(fonts_module, "_system_fonts_found", [])
    monkeypatch.setattr(fonts_module, "_fc_list_covering", lambda char: [tmp_path / "x.ttc", bogus])
    r = FontResolver(style)
    assert names(r.split("\U0001fae0", "serif")) == [("\U0001fae0", None)]
    assert r.uncovered == {"\U0001fae0"}


def build_font(path: Path, chars: str, *, colour: bool = False, cff: bool = False) -> Path:
    """A tiny font mapping ``chars`` (TrueType outlines, or CFF, optionally with a COLR table)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef"] + [f"g{ord(c):x}" for c in chars]
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"g{ord(c):x}" for c in chars})
    if cff:
        def box():
            pen = T2CharStringPen(500, None)
            pen.moveTo((0, 0)); pen.lineTo((400, 0)); pen.lineTo((400, 400)); pen.closePath()
            return pen.getCharString()
        fb.setupCFF("Tiny", {"FullName": "Tiny"}, {n: box() for n in names}, {})
    else:
        def box():
            pen = TTGlyphPen(None)
            pen.moveTo((0, 0)); pen.lineTo((400, 0)); pen.lineTo((400, 400)); pen.closePath()
            return pen.glyph()
        fb.setupGlyf({n: box() for n in names})
    fb.setupHorizontalMetrics({n: (500, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    if colour:
        fb.setupCPAL([[(1, 0, 0, 1)]])
        fb.setupCOLR({names[1]: [(names[1], 0)]})
    fb.save(str(path))
    return path


def test_colour_and_cff_fonts_are_unusable(tmp_path):
    emoji = "\U0001fae0"
    plain = build_font(tmp_path / "Plain.ttf", emoji + "A")
    colour = build_font(tmp_path / "Colour.ttf", emoji, colour=True)
    cff = build_font(tmp_path / "Cff.otf", emoji, cff=True)
    assert read_coverage(plain).usable and emoji in read_coverage(plain)
    assert not read_coverage(colour).usable and emoji in read_coverage(colour)
    assert not read_coverage(cff).usable


def test_resolver_skips_colour_fonts_and_takes_a_usable_one(tmp_path, style, monkeypatch):
    emoji = "\U0001fae0"
    colour = build_font(tmp_path / "AColour.ttf", emoji, colour=True)
    plain = build_font(tmp_path / "BPlain.ttf", emoji)
    monkeypatch.setattr(fonts_module, "_system_font_for_char", {})
    monkeypatch.setattr(fonts_module, "_system_fonts_found", [])
    monkeypatch.setattr(fonts_module, "_fc_list_covering", lambda char: [colour])
    r = FontResolver(style)
    assert names(r.split(emoji, "serif")) == [(emoji, None)]
    monkeypatch.setattr(fonts_module, "_system_font_for_char", {})
    monkeypatch.setattr(fonts_module, "_fc_list_covering", lambda char: [colour, plain])
    r = FontResolver(style)
    assert names(r.split("a" + emoji, "serif")) == [("a", "NotoSerif-Regular.ttf"), (emoji, "BPlain.ttf")]
    assert r.uncovered == frozenset()


def test_style_fallback_font_used_before_system_fonts(tmp_path, monkeypatch):
    emoji = "\U0001fae0"
    plain = build_font(tmp_path / "Extra.ttf", emoji)
    style = load_style("default", {"fonts.fallback": [str(plain)]})
    monkeypatch.setattr(fonts_module, "_fc_list_covering", lambda char: pytest.fail("asked fontconfig"))
    assert names(FontResolver(style).split(emoji, "serif")) == [(emoji, "Extra.ttf")]


BLOCKS = {"Latin-1 and Latin Extended-A": (0x00A0, 0x017F), "Greek": (0x0386, 0x03CE),
          "Cyrillic": (0x0400, 0x045F), "Ukrainian Ґґ": (0x0490, 0x0491), "punctuation": (0x2010, 0x2026)}


@pytest.mark.parametrize("font", [f"{fam}-{face}.ttf" for fam in SHIPPED_FAMILIES for face in FACES]
                         + ["NotoSansMono-Regular.ttf", "NotoSansMono-Bold.ttf"])
def test_shipped_fonts_cover_whole_blocks(font):
    import unicodedata

    cov = coverage(shipped(font))
    for block, (first, last) in BLOCKS.items():
        missing = [f"U+{cp:04X}" for cp in range(first, last + 1)
                   if unicodedata.category(chr(cp)) != "Cn" and chr(cp) not in cov]
        assert not missing, f"{font} {block}: {missing}"


def test_a_batch_pays_for_coverage_once(tmp_path, monkeypatch):
    """Coverage of a non-shipped font is read once per process, not once per export."""
    extra = build_font(tmp_path / "Once.ttf", "\U0001fae0")
    style = load_style("default", {"fonts.fallback": [str(extra)]})
    calls = []
    real = fonts_module.read_coverage
    monkeypatch.setattr(fonts_module, "read_coverage", lambda path: calls.append(path) or real(path))
    for _ in range(3):                      # three exports, three resolvers
        assert FontResolver(style, use_system_fonts=False).split("\U0001fae0", "serif")[0][1] == extra
    assert calls == [extra]
