"""A character no font draws is reported once per export, one warning per script naming what would
draw it, and the warning says what the output shows in its place: the PDF draws a white square
there (in its text layer too), DOCX and EPUB keep the character for the viewer's own fonts."""
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


def test_pdf_draws_a_box_in_its_place_and_says_so():
    data, warnings = render("pdf", "default")
    assert warnings == ["no available font draws 1 unassigned character(s), drawn as \u25a1 in the PDF: "
                        + repr(NO_FONT) + " U+10FFF; what would draw them: nothing (Unicode assigns no character there)"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "before\u25a1after" in text and "again \u25a1." in text and NO_FONT not in text


def test_one_warning_per_script_names_what_would_draw_it():
    from exporter.style.fonts import SHOWN_IN_PDF, FontResolver

    resolver = FontResolver(load_style("default"), use_system_fonts=False)    # as on a bare machine
    resolver.split("Seoul 함께 갑시다, Tel Aviv שלום, and \U00010fff")
    messages = resolver.uncovered_messages(SHOWN_IN_PDF)
    scripts = [message.split(" character(s)")[0].rsplit(" ", 1)[1] for message in messages]
    assert scripts == ["Hangul", "Hebrew", "unassigned"]
    assert "fonts-nanum" in messages[0] and "'함' U+D568" in messages[0] and "Noto Sans Hebrew" in messages[1]
    warned: list[str] = []
    resolver.warn_uncovered(warned.append, SHOWN_IN_PDF)
    resolver.warn_uncovered(warned.append, SHOWN_IN_PDF)
    assert warned == messages                               # once per export


@pytest.mark.parametrize("fmt, style, part", [("docx", "default", "word/document.xml"),
                                              ("epub", "ebook", "EPUB/article-a01.xhtml")])
def test_docx_and_epub_say_the_viewer_draws_it_and_keep_it(fmt, style, part):
    data, warnings = render(fmt, style)
    assert warnings == ["no available font draws 1 unassigned character(s), kept in the text; viewers draw "
                        "them from their own fonts, or as empty boxes: " + repr(NO_FONT)
                        + " U+10FFF; what would draw them: nothing (Unicode assigns no character there)"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert f"before{NO_FONT}after" in z.read(part).decode("utf-8")
