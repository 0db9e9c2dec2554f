"""Font files are judged by their size and first four bytes before anything reads them: a 2 GB
(sparse) file, a PDF renamed .ttf or a CFF/collection font named in a style is one StyleError line
in every format, and nothing reads the file."""
from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

import exporter
from exporter.errors import StyleError
from exporter.style import fonts_dir, load_style
from exporter.style.fontfile import MAX_FONT_FILE_BYTES, font_file_problem
from exporter.style.fonts import read_coverage

from cli_support import run_cli

TWO_GB = 2 * 1024 ** 3


def sparse_font(directory: Path, name: str = "huge.ttf", size: int = TWO_GB) -> Path:
    """A TrueType-signed file of ``size`` bytes that takes no disk space (a hole after 4 bytes)."""
    path = directory / name
    with open(path, "wb") as fh:
        fh.write(b"\x00\x01\x00\x00")
        fh.truncate(size)
    return path


def style_naming(directory: Path, font: Path, embed: bool = False, fallback: bool = False) -> Path:
    faces = "".join(f'{face} = "{font.name}"\n' for face in ("regular", "bold", "italic", "bold_italic"))
    text = f'extends = "default"\nembed_fonts = {str(embed).lower()}\n'
    if fallback:
        text += f'[fonts]\nfallback = ["{font.name}"]\n'
    else:
        text += f'[fonts.serif]\nname = "Huge"\n{faces}'
    path = directory / "style.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def forbid_reading_fonts(monkeypatch):
    """Fails the test if fontTools or reportlab (the readers a 2 GB file would cost gigabytes in)
    open a file named huge*."""
    import fontTools.ttLib
    from reportlab.pdfbase import ttfonts

    def guarded(reader, file_argument):
        def read(*args, **kwargs):
            if "huge" in str(args[file_argument]):
                raise AssertionError("a font reader opened the file before it was checked")
            return reader(*args, **kwargs)
        return read
    monkeypatch.setattr(fontTools.ttLib.TTFont, "__init__", guarded(fontTools.ttLib.TTFont.__init__, 1))
    monkeypatch.setattr(ttfonts.TTFontFile, "__init__", guarded(ttfonts.TTFontFile.__init__, 1))


# ---------------------------------------------------------------------------------- the check
def test_shipped_fonts_pass_the_check():
    for path in sorted(fonts_dir().glob("*.ttf")):
        assert font_file_problem(path) is None, path


@pytest.mark.parametrize("head, problem", [
    (b"%PDF-1.7\n", "not a TrueType font file"),
    (b"OTTO\x00\x0a", "CFF outlines, which the PDF writer cannot draw"),
    (b"ttcf\x00\x02", "font collection"),
    (b"wOF2\x00\x01", "WOFF2 web font"),
    (b"", "not a TrueType font file"),
])
def test_signatures_other_than_truetype_are_refused(tmp_path, head, problem):
    path = tmp_path / "f.ttf"
    path.write_bytes(head)
    assert problem in font_file_problem(path)
    assert font_file_problem(sparse_font(tmp_path, "ok.ttf", 4096)) is None
    assert font_file_problem(sparse_font(tmp_path, "cap.ttf", MAX_FONT_FILE_BYTES)) is None
    assert "more than the 64 MB" in font_file_problem(sparse_font(tmp_path, "over.ttf", MAX_FONT_FILE_BYTES + 1))
    assert "not a regular file" in font_file_problem(tmp_path)


@pytest.mark.parametrize("fallback, key", [(False, "fonts.serif.regular"), (True, "fonts.fallback")])
def test_a_2gb_font_in_a_style_is_one_style_error(tmp_path, forbid_reading_fonts, fallback, key):
    style = style_naming(tmp_path, sparse_font(tmp_path), fallback=fallback)
    with pytest.raises(StyleError) as info:
        load_style(style)
    message = str(info.value)
    assert message.startswith(f"style {style.resolve()}: {key}: font file ")
    assert "is 2048 MB, more than the 64 MB a font file may be" in message and "\n" not in message


def test_a_2gb_font_through_set_is_one_style_error(tmp_path, forbid_reading_fonts, monkeypatch):
    sparse_font(tmp_path)
    monkeypatch.chdir(tmp_path)      # --set font paths are relative to the working directory
    with pytest.raises(StyleError, match="fonts.serif.bold: font file .* is 2048 MB"):
        load_style("default", ['fonts.serif.bold="huge.ttf"'])


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
def test_cli_refuses_a_2gb_font_in_every_format(tmp_path, fmt, forbid_reading_fonts):
    style = style_naming(tmp_path, sparse_font(tmp_path), embed=True)
    source = tmp_path / "a.txt"
    source.write_text("A headline\n\nA paragraph of body text.\n", "utf-8")
    target = tmp_path / f"a.{fmt}"
    result = run_cli(["export", str(source), "-f", fmt, "-o", str(target), "--style", str(style)])
    assert result.code == 2, result.err
    assert result.err_lines == [f"exporter: error: style {style.resolve()}: fonts.serif.regular: font file "
                                f"'{tmp_path.resolve() / 'huge.ttf'}' is 2048 MB, more than the 64 MB a font "
                                f"file may be"]
    assert not target.exists()


# ------------------------------------------------- a Style built by hand skips the loader's check
def hand_built_style(font: Path, embed: bool):
    style = load_style("default")
    serif = dataclasses.replace(style.fonts["serif"], regular=font)
    return dataclasses.replace(style, fonts={**style.fonts, "serif": serif}, embed_fonts=embed)


def test_pdf_writer_checks_a_hand_built_styles_font_before_reading_it(tmp_path, forbid_reading_fonts):
    style = hand_built_style(sparse_font(tmp_path), embed=False)
    article = exporter.read("A headline\n\nA paragraph of body text.\n")
    with pytest.raises(StyleError, match=r"^font '.*huge\.ttf': is 2048 MB, more than the 64 MB"):
        exporter.render(article, "pdf", io.BytesIO(), style=style)


def test_epub_embedding_checks_a_font_before_subsetting_it(tmp_path, forbid_reading_fonts):
    from exporter.style.subset import subset_font

    with pytest.raises(StyleError, match=r"^font '.*huge\.ttf': is 2048 MB"):
        subset_font(sparse_font(tmp_path), {"A"})
    # through the writer the resolver already finds the file unusable, so nothing embeds it
    style = hand_built_style(tmp_path / "huge.ttf", embed=True)
    article = exporter.read("A headline\n\nA paragraph of body text.\n")
    exporter.render(article, "epub", io.BytesIO(), style=style)


def test_docx_and_the_resolver_skip_an_oversized_font_unread(tmp_path, forbid_reading_fonts):
    from exporter.writers.docx import ttf_family_name

    huge = sparse_font(tmp_path)
    assert ttf_family_name(str(huge)) is None
    coverage = read_coverage(huge)
    assert not coverage.usable and "A" not in coverage
