"""Scripts beyond Latin reach the PDF: every word of a mixed-script article is drawn by an embedded
TrueType face and is in the text layer (issue 14's "no character disappears").

The shipped faces cover Latin, Cyrillic and Greek (Noto) and Han and kana (Droid Sans Fallback);
Hangul comes from a system TrueType face found through fontconfig (.ci/run installs fonts-nanum).
Right-to-left scripts are checked by the bidi tests, not here: their order on the page is their
own subject."""
from __future__ import annotations

import io
import shutil

import pytest

from exporter.ast import Article, Meta, Paragraph, Text
from exporter.style import load_style
from exporter.style.fonts import system_font_for
from exporter.writers import RenderOptions, get_writer

from support import BUILD_TIME, IN_CI

WORDS = {
    "Latin": "Zażółć gęślą jaźń",
    "Cyrillic": "Привіт їжак",
    "Greek": "Καλημέρα κόσμε",
    "Korean": "함께 갑시다",
    "Japanese": "ひらがな カタカナ 日本語",
    "Chinese": "中文 汉字",
}
#: a character of each script no shipped face covers, to find out whether this machine has one
NEEDS_SYSTEM_FONT = {"Korean": "함"}


def _require_system_fonts() -> None:
    if shutil.which("fc-list") is None:
        message = "fontconfig (fc-list) is not installed"
    else:
        missing = [script for script, char in NEEDS_SYSTEM_FONT.items() if system_font_for(char) is None]
        if not missing:
            return
        message = f"no system TrueType face covers {', '.join(missing)} (apt: fonts-nanum)"
    if IN_CI:
        pytest.fail(message + " (CI must install it)")
    pytest.skip(message)


def _article() -> Article:
    body = tuple(Paragraph((Text(f"{script}: {words}."),)) for script, words in WORDS.items())
    return Article(meta=Meta(title="Mixed scripts", title_origin="caller", language="en"), body=body)


@pytest.mark.parametrize("style_name", ["default", "briefing"])
def test_every_script_is_drawn_and_in_the_text_layer(style_name):
    import pdfplumber

    _require_system_fonts()
    warnings: list[str] = []
    out = io.BytesIO()
    get_writer("pdf").write(_article(), load_style(style_name), out,
                            RenderOptions(build_time=BUILD_TIME, warn=warnings.append))
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        text = " ".join((page.extract_text() or "") for page in pdf.pages)
        fonts = {char["fontname"].split("+")[-1] for page in pdf.pages for char in page.chars}
    squashed = "".join(text.split())
    for script, words in WORDS.items():
        assert "".join(words.split()) in squashed, f"{script} words missing from the PDF text layer"
    assert not [w for w in warnings if "missing" in w or "left out" in w], warnings
    # the CJK and Hangul glyphs come from faces other than the style's own
    assert len(fonts) >= 3, fonts
