"""DOCX font embedding (issue 14): with ``embed_fonts`` the package carries obfuscated subsets of
the faces it draws (ECMA-376 17.8.1: word/fonts/*.odttf, keyed by the font table's w:fontKey),
which de-obfuscate back to valid TrueType fonts of the named family covering every character the
document draws in them; the bytes are the same on every run; and LibreOffice, with the Noto fonts
hidden from fontconfig, draws the document in them only when they are embedded."""
from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from exporter.ast import Article, Emphasis, Meta, Paragraph, Quote, Strong, Text
from exporter.style import load_style
from exporter.writers import RenderOptions
from exporter.writers.docx import DocxWriter
from exporter.writers.docx.embed import obfuscate

import support

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
LEDE = "Crews reopened the harbour bridge on Friday, two weeks early."
ARTICLE = Article(
    Meta(title="Harbour bridge reopens", title_origin="caller", source="Harbour Times", language="en"),
    (Paragraph((Text(LEDE),)),
     Paragraph((Text("The mayor "), Strong((Text("thanked"),)), Text(" the "), Emphasis((Text("engineers"),)), Text(": "),
                Quote("speech", "Ana Ruiz", (Text("\u201cZa\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 \u2014 \u6e2f\u53e3\u201d"),)),
                Text(" she said."))),),
)


def render(article=ARTICLE, embed: bool = True, style_name: str = "default") -> bytes:
    style = load_style(style_name, [f"embed_fonts={'true' if embed else 'false'}"])
    out = io.BytesIO()
    DocxWriter().write(article, style, out, RenderOptions(build_time=support.BUILD_TIME, warn=lambda m: None))
    return out.getvalue()


def embedded(data: bytes) -> list[tuple[str, str, str, bytes]]:
    """(family name, slot, font key, de-obfuscated font bytes) per embedded face."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        table = etree.fromstring(zf.read("word/fontTable.xml"))
        rels = etree.fromstring(zf.read("word/_rels/fontTable.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        found = []
        for font in table.iter(f"{W}font"):
            for embed in font:
                assert embed.get(f"{W}subsetted") == "1"
                key = embed.get(f"{W}fontKey")
                part = zf.read("word/" + targets[embed.get(f"{R}id")])
                found.append((font.get(f"{W}name"), embed.tag.removeprefix(W), key, obfuscate(part, key)))
        return found


def test_off_unless_the_style_asks():
    data = render(embed=False)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        settings = zf.read("word/settings.xml").decode()
    assert not any(name.endswith(".odttf") for name in names) and "word/_rels/fontTable.xml.rels" not in names
    assert "embedTrueTypeFonts" not in settings


def test_embedded_parts_are_obfuscated_subsets_of_the_faces_drawn():
    data = render()
    fonts = embedded(data)
    faces = {(name, slot) for name, slot, _, _ in fonts}
    assert {("Noto Serif", "embedRegular"), ("Noto Serif", "embedBold"), ("Noto Serif", "embedItalic"),
            ("Noto Sans", "embedRegular")} <= faces                      # body, strong, emphasis, labels / meta line
    assert ("Droid Sans Fallback", "embedRegular") in faces               # the fallback that draws 港口
    for name, slot, key, font_bytes in fonts:
        assert re.fullmatch(r"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", key)
        font = TTFont(io.BytesIO(font_bytes))                              # a valid TrueType font again
        assert "glyf" in font and font["name"].getDebugName(1) == name, (name, slot)
        assert len(font.getGlyphOrder()) < 400                             # a subset, not the whole face
        cmap = font.getBestCmap()
        if name.startswith("Noto"):                                        # the style's own faces keep what
            assert all(ord(ch) in cmap for ch in "0123456789."), name      # Word adds: page numbers, leaders
        if name == "Noto Serif" and slot == "embedRegular":
            assert all(ord(ch) in cmap for ch in LEDE + "Za\u017c\u00f3\u0142\u0107")
        if name == "Droid Sans Fallback":
            assert {0x6E2F, 0x53E3} <= set(cmap)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        raw = [zf.read(name) for name in zf.namelist() if name.endswith(".odttf")]
        content_types = zf.read("[Content_Types].xml").decode()
        settings = zf.read("word/settings.xml").decode()
    assert len(raw) == len(fonts)
    assert all(part[:4] not in (b"\x00\x01\x00\x00", b"true", b"OTTO") for part in raw)   # not plain fonts
    assert 'Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"' in content_types
    assert "<w:embedTrueTypeFonts/><w:saveSubsetFonts/>" in settings
    assert len(data) < 250_000


def test_same_document_same_bytes_and_keys_follow_the_font():
    first, second = render(), render()
    assert first == second
    keys = {(name, slot): key for name, slot, key, _ in embedded(first)}
    assert len(set(keys.values())) == len(keys)
    other = Article(ARTICLE.meta, (Paragraph((Text("Other words entirely, another subset: \u00e9\u00e8."),)),))
    others = {(name, slot): key for name, slot, key, _ in embedded(render(other))}
    body = ("Noto Serif", "embedRegular")
    assert others[body] != keys[body]                                   # another subset, another key
    assert others[("Noto Sans", "embedRegular")] == keys[("Noto Sans", "embedRegular")]   # the same meta line


def test_obfuscation_undoes_itself_on_the_first_32_bytes_only():
    font = bytes(range(64))
    key = "{01234567-89AB-CDEF-0123-456789ABCDEF}"
    hidden = obfuscate(font, key)
    assert hidden[32:] == font[32:] and hidden[:32] != font[:32]
    assert hidden[0] == 0 ^ 0xEF and hidden[15] == 15 ^ 0x01 and hidden[16] == 16 ^ 0xEF   # the GUID reversed
    assert obfuscate(hidden, key) == font


@pytest.mark.slow
def test_libreoffice_draws_the_embedded_faces_with_noto_hidden(tmp_path):
    """With fontconfig seeing no Noto font, LibreOffice substitutes another face for a plain
    DOCX and draws the embedded Noto subsets for an embedding one."""
    office = support.require_tool("libreoffice", "embedded DOCX fonts")
    pdffonts = support.require_tool("pdffonts", "embedded DOCX fonts")
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
                      "<dir>/usr/share/fonts/truetype/dejavu</dir>"
                      f"<cachedir>{tmp_path}/fc-cache</cachedir></fontconfig>\n")
    env = {"FONTCONFIG_FILE": str(config), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    used = {}
    for name, embed in (("plain", False), ("embedded", True)):
        source = tmp_path / f"{name}.docx"
        source.write_bytes(render(embed=embed))
        done = subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-{name}",
                               "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                              capture_output=True, text=True, timeout=240, env=env)
        assert done.returncode == 0 and (tmp_path / f"{name}.pdf").exists(), done.stderr
        listing = subprocess.run([pdffonts, str(tmp_path / f"{name}.pdf")], capture_output=True, text=True).stdout
        used[name] = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:] if line.strip()}
    assert not any(font.startswith("Noto") for font in used["plain"]), used
    assert {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic", "NotoSans-Regular"} <= used["embedded"], used
