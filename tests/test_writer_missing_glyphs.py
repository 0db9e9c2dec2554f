"""A character no font draws is reported once per export, and the warning says what the output
shows in its place: the PDF leaves it out, DOCX and EPUB keep it for the viewer's own fonts."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

import pytest
from pypdf import PdfReader

from exporter.ast import Article, Meta, Paragraph, Text
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer

NO_FONT = "\U00010fff"          # a private-use plane-16 character: no font anywhere maps it
ARTICLE = Article(Meta(title="Glyphs"), (Paragraph((Text(f"before{NO_FONT}after and again {NO_FONT}."),)),))


def render(fmt: str, style: str) -> tuple[bytes, list[str]]:
    warnings: list[str] = []
    out = io.BytesIO()
    options = RenderOptions(build_time=datetime(2024, 1, 1, tzinfo=timezone.utc), warn=warnings.append)
    get_writer(fmt).write(ARTICLE, load_style(style), out, options)
    return out.getvalue(), warnings


def test_pdf_says_the_character_is_left_out_and_it_is():
    data, warnings = render("pdf", "default")
    assert warnings == ["no available font draws 1 character(s), left out of the PDF (nothing is drawn in "
                        "their place): " + repr(NO_FONT) + " U+10FFF"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "beforeafter" in text and NO_FONT not in text


@pytest.mark.parametrize("fmt, style, part", [("docx", "default", "word/document.xml"),
                                              ("epub", "ebook", "EPUB/article-a01.xhtml")])
def test_docx_and_epub_say_the_viewer_draws_it_and_keep_it(fmt, style, part):
    data, warnings = render(fmt, style)
    assert warnings == ["no available font draws 1 character(s), kept in the text; viewers draw them from "
                        "their own fonts, or as empty boxes: " + repr(NO_FONT) + " U+10FFF"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert f"before{NO_FONT}after" in z.read(part).decode("utf-8")
