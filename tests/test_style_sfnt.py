"""The one TrueType reader (exporter.style.sfnt): what it reads agrees with fontTools and with
reportlab on real fonts, and a cut-short or lying file is a one-line FontReadError, never a crash
and never a long wait."""
from __future__ import annotations

import random
import struct
import time
from pathlib import Path

import pytest
from support import IN_CI

from exporter.style import fonts_dir, sfnt
from exporter.style.fonts import read_coverage
from exporter.style.sfnt import FontReadError, Sfnt, UnsupportedFont

SHIPPED = sorted(fonts_dir().glob("*.ttf"))
#: system fonts .ci/run installs (fonts-nanum, fonts-droid-fallback): faces from other foundries
SYSTEM = [Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
          Path("/usr/share/fonts/truetype/nanum/NanumMyeongjoBold.ttf")]


def font_path(path: Path) -> Path:
    if not path.is_file():
        if IN_CI:
            pytest.fail(f"{path} missing (CI must install it)")
        pytest.skip(f"{path} not installed")
    return path


def fonttools_family(font) -> str | None:
    """The family name by the reader's documented order, looked up with fontTools: English
    Windows names before Mac Roman ones, typographic family (16) before legacy (1)."""
    table = font["name"]
    for platform, encoding, language in ((3, 1, 0x409), (1, 0, 0)):
        for name_id in (16, 1):
            record = table.getName(name_id, platform, encoding, language)
            if record is not None:
                return record.toUnicode()
    return None


# ------------------------------------------------------------------------- agreement on real fonts
@pytest.mark.parametrize("path", SHIPPED + SYSTEM, ids=lambda p: p.name)
def test_reads_what_fonttools_reads(path: Path):
    from fontTools.ttLib import TTFont

    font = sfnt.read_font(font_path(path))
    with TTFont(str(path), lazy=True) as reference:
        best = reference.getBestCmap()
        expected = {char: reference.getGlyphID(name) for char, name in best.items()}
        assert font.character_map() == expected
        assert font.family_name() == fonttools_family(reference)
        assert font.fs_type == reference["OS/2"].fsType
        assert font.tags == set(reference.keys()) - {"GlyphOrder"}
    assert len(expected) > 200 and font.family_name()


@pytest.mark.parametrize("path", SHIPPED + SYSTEM, ids=lambda p: p.name)
def test_cmap_is_the_one_reportlab_reads(path: Path):
    """The PDF writer and the resolver read the same map: reportlab's, run for run (reportlab
    then gives the no-break space the space's glyph, or the other way round; the PDF face does
    that itself)."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    runs = sfnt.read_font(font_path(path)).cmap_runs()
    ours: dict[int, int] = {}
    for chars, glyphs in runs:
        ours.update(zip(chars, glyphs))
    theirs = dict(TTFontFace(str(path)).charToGlyph)
    for aliased in (0x20, 0xA0):
        ours.pop(aliased, None)
        theirs.pop(aliased, None)
    assert ours == theirs


def test_first_face_of_a_collection(tmp_path):
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.ttCollection import TTCollection

    collection = TTCollection()
    collection.fonts = [TTFont(str(fonts_dir() / "NotoSans-Bold.ttf")), TTFont(str(fonts_dir() / "NotoSerif-Regular.ttf"))]
    path = tmp_path / "two.ttc"
    collection.save(str(path))
    font = Sfnt.from_bytes(path.read_bytes())
    assert font.family_name() == "Noto Sans"
    assert font.character_map() == sfnt.read_font(fonts_dir() / "NotoSans-Bold.ttf").character_map()
    # read_font asks fontfile first, which refuses collections for the writers
    with pytest.raises(FontReadError, match="^is a font collection"):
        sfnt.read_font(path)


# ---------------------------------------------------------------------- hand-made and hostile files
def sfnt_bytes(tables: dict[str, bytes]) -> bytes:
    """A TrueType file holding just these tables (enough for the reader's questions)."""
    directory = [struct.pack(">LHHHH", 0x00010000, len(tables), 0, 0, 0)]
    body = []
    offset = 12 + 16 * len(tables)
    for tag, data in tables.items():
        directory.append(struct.pack(">4sLLL", tag.encode("latin-1"), 0, offset, len(data)))
        body.append(data)
        offset += len(data)
    return b"".join(directory + body)


def cmap_table(subtable: bytes, platform: int = 3, encoding: int = 10) -> bytes:
    return struct.pack(">HHHHL", 0, 1, platform, encoding, 12) + subtable


def format_12(groups: list[tuple[int, int, int]]) -> bytes:
    return (struct.pack(">HHLLL", 12, 0, 16 + 12 * len(groups), 0, len(groups))
            + b"".join(struct.pack(">LLL", *group) for group in groups))


def format_4(segments: list[tuple[int, int, int]]) -> bytes:
    """(start, end, delta) segments, no glyph index array, closed by the 0xFFFF segment."""
    segments = segments + [(0xFFFF, 0xFFFF, 1)]
    count = len(segments)
    arrays = [struct.pack(f">{count}H", *(end for _, end, _ in segments)), b"\0\0",
              struct.pack(f">{count}H", *(start for start, _, _ in segments)),
              struct.pack(f">{count}h", *(delta for _, _, delta in segments)),
              struct.pack(f">{count}H", *([0] * count))]
    body = b"".join(arrays)
    return struct.pack(">HHHHHHH", 4, 14 + len(body), 0, 2 * count, 0, 0, 0) + body


def test_hand_made_maps_read_as_written():
    twelve = Sfnt.from_bytes(sfnt_bytes({"cmap": cmap_table(format_12([(0x41, 0x43, 5), (0x1F600, 0x1F600, 9)]))}))
    assert twelve.character_map() == {0x41: 5, 0x42: 6, 0x43: 7, 0x1F600: 9}
    four = Sfnt.from_bytes(sfnt_bytes({"cmap": cmap_table(format_4([(0x30, 0x32, -0x2F), (0x61, 0x61, -0x61)]), 3, 1)}))
    # 'a' maps to glyph 0 (not drawn): in the runs reportlab reads, not in the character map
    assert four.character_map() == {0x30: 1, 0x31: 2, 0x32: 3}
    assert [(chars, list(glyphs)) for chars, glyphs in four.cmap_runs()] == [
        (range(0x30, 0x33), [1, 2, 3]), (range(0x61, 0x62), [0]), (range(0xFFFF, 0x10000), [0])]
    assert four.fs_type is None and four.tags == {"cmap"}
    with pytest.raises(FontReadError, match="^has no 'name' table$"):
        four.family_name()


@pytest.mark.parametrize("cmap, problem", [
    (cmap_table(format_12([(0, 0xFFFFFFFF, 1)])), "has a character map of 4294967296 characters, more than Unicode has"),
    (cmap_table(format_12([(0, 0x10FFFF, 1)] * 3)), "has a character map of 3342336 characters, more than Unicode has"),
    (cmap_table(format_4([(0, 0xFFFE, 1)] * 300), 3, 1), "has a character map of 19660501 characters, more than Unicode has"),
    (cmap_table(format_12([(0x41, 0x41, 1)])[:-4]), "has a character map of 1 groups cut short"),
    (cmap_table(format_12([])[:8]), "has a 'cmap' table cut short"),
    (cmap_table(format_4([(0x41, 0x5A, 1)]), 3, 1)[:40], "has a 'cmap' table cut short"),
    (cmap_table(struct.pack(">HHH", 6, 10, 0) + struct.pack(">HH", 32, 0)), "has a format 6 character map (only formats 4 and 12 are read here)"),
    (cmap_table(format_12([(0x41, 0x41, 1)]), platform=0, encoding=5), "has no Unicode character map"),
], ids=["f12-4G", "f12-overlap", "f4-overlap", "f12-cut", "header-cut", "f4-cut", "f6", "no-unicode"])
def test_hostile_maps_are_one_line_errors_at_once(cmap, problem):
    font = Sfnt.from_bytes(sfnt_bytes({"cmap": cmap}))
    start = time.perf_counter()
    with pytest.raises(FontReadError) as raised:
        font.character_map()
    assert time.perf_counter() - start < 1.0         # refused, not expanded (billions of entries)
    assert str(raised.value) == problem
    assert isinstance(raised.value, UnsupportedFont) == ("character map (" in problem or "no Unicode" in problem)


def test_lying_directory_and_name_table():
    with pytest.raises(FontReadError, match="^has a table directory of 9 tables cut short$"):
        Sfnt.from_bytes(struct.pack(">LHHHH", 0x00010000, 9, 0, 0, 0) + b"\0" * 20)
    with pytest.raises(FontReadError, match="^is too short for a font's table directory$"):
        Sfnt.from_bytes(b"\0\1\0")
    past_end = Sfnt.from_bytes(sfnt_bytes({"name": b"\0" * 6}) + b"")
    past_end.tables["name"] = past_end.tables["name"]._replace(length=10_000)
    with pytest.raises(FontReadError, match="^has a 'name' table that runs past the end of the file$"):
        past_end.family_name()
    many_records = Sfnt.from_bytes(sfnt_bytes({"name": struct.pack(">HHH", 0, 500, 6)}))
    with pytest.raises(FontReadError, match="^has a 'name' table cut short$"):
        many_records.family_name()
    record = struct.pack(">HHHHHH", 3, 1, 0x409, 1, 400, 0)        # a string past the end of the file
    with pytest.raises(FontReadError, match="^has a 'name' table that runs past the end of the file$"):
        Sfnt.from_bytes(sfnt_bytes({"name": struct.pack(">HHH", 0, 1, 18) + record})).family_name()
    with pytest.raises(FontReadError, match="^has an 'OS/2' table cut short$"):
        Sfnt.from_bytes(sfnt_bytes({"OS/2": b"\0" * 6})).fs_type


def ask_everything(font: Sfnt) -> None:
    font.tags
    font.fs_type
    font.family_name()
    font.character_map()


def test_cut_short_fonts_never_crash_the_reader(tmp_path):
    """A font cut at any point: every question is answered or a FontReadError, nothing else."""
    whole = (fonts_dir() / "NotoSerif-Regular.ttf").read_bytes()
    tables = Sfnt.from_bytes(whole).tables
    cuts = {0, 3, 4, 11, 12, 40, 12 + 16 * len(tables) - 1}
    for tag in ("cmap", "name", "OS/2"):
        offset, length = tables[tag]
        cuts |= {offset, offset + 2, offset + 5, offset + 13, offset + 30, offset + length // 2, offset + length - 1}
    cuts |= set(random.Random(12).sample(range(len(whole)), 40))
    outcomes = set()
    for cut in sorted(cuts):
        try:
            ask_everything(Sfnt.from_bytes(whole[:cut]))
            outcomes.add("answered")
        except FontReadError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(("has ", "is "))
            outcomes.add("refused")
    assert outcomes == {"answered", "refused"}
    truncated = tmp_path / "cut.ttf"
    truncated.write_bytes(whole[:tables["cmap"].offset + 30])
    coverage = read_coverage(truncated)
    assert not coverage.usable and "A" not in coverage


def test_read_font_asks_fontfile_first(tmp_path):
    pdf = tmp_path / "renamed.ttf"
    pdf.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(FontReadError, match=r"^is not a TrueType font file \(no TrueType signature\)$"):
        sfnt.read_font(pdf)
    with pytest.raises(FontReadError, match="^cannot be read: "):
        sfnt.read_font(tmp_path / "missing.ttf")


def test_resolver_finds_an_unsupported_map_unusable(tmp_path):
    """Coverage comes from the map the PDF writer reads: a font whose only map is a format the
    reader leaves to reportlab covers nothing (fontTools' best map of it was empty too)."""
    six = cmap_table(struct.pack(">HHHHH", 6, 12, 0, 0x41, 1) + struct.pack(">H", 1), platform=1, encoding=0)
    path = tmp_path / "Six.ttf"
    path.write_bytes(sfnt_bytes({"cmap": six}))
    coverage = read_coverage(path)
    assert not coverage.usable and "A" not in coverage
    plain = tmp_path / "Twelve.ttf"
    plain.write_bytes(sfnt_bytes({"cmap": cmap_table(format_12([(0x41, 0x41, 1)]))}))
    coverage = read_coverage(plain)
    assert "A" in coverage and not coverage.usable        # no glyf, head, … : reportlab cannot draw it


def test_a_hostile_map_in_a_real_font_is_refused_at_once_by_the_pdf_face_and_the_resolver(tmp_path):
    """Droid Sans Fallback with its format 12 map's first group stretched to 2**32 characters:
    reportlab's own reader would try to build that map; the PDF face and the resolver refuse it."""
    from reportlab.pdfbase.ttfonts import TTFError

    from exporter.writers.pdf.ttf import FastTTFontFace

    data = bytearray((fonts_dir() / "DroidSansFallbackFull.ttf").read_bytes())
    font = Sfnt.from_bytes(bytes(data))
    cmap = font.table("cmap").offset
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    for n in range(count):
        offset = cmap + struct.unpack_from(">L", data, cmap + 4 + 8 * n + 4)[0]
        if struct.unpack_from(">H", data, offset)[0] == 12:
            struct.pack_into(">LL", data, offset + 16, 0, 0xFFFFFFFF)       # the first group
    hostile = tmp_path / "Hostile.ttf"
    hostile.write_bytes(bytes(data))
    start = time.perf_counter()
    with pytest.raises(TTFError, match="more than Unicode has$"):
        FastTTFontFace(str(hostile))
    coverage = read_coverage(hostile)
    assert not coverage.usable and "A" not in coverage
    assert time.perf_counter() - start < 2.0
