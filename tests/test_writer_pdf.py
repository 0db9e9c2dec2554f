"""The PDF writer, read back with pypdf/pdfplumber: words in order, exact page size, only embedded
TrueType subsets, speech-quote highlights behind exactly the quote's words, outline, metadata,
hostile text kept literal, links only for http(s), page X of Y and the marking, CMYK, bleed and
crop marks, speaker notes, hyphenation, linear layout of long paragraphs, determinism and
import isolation."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from exporter.ast import (
    Article, BlockQuote, Break, Dropped, Emphasis, Heading, Link, ListBlock, Meta, Paragraph, Quote,
    RelatedItem, Rule, Strong, Text, UnknownNodeError, inline_text, iter_inline_runs, iter_quotes,
)
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
from exporter.writers.pdf import PdfWriter
from exporter.writers.pdf.render import PdfContext, StoryRenderer
from exporter.presentation import model as pm, present
from exporter.presentation.reading import run_text

import readback
import support

pypdf = support.require_module("pypdf")
pdfplumber = support.require_module("pdfplumber")

BUILD = support.BUILD_TIME
STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
HOSTILE = '<script>alert("x")</script> &amp; &lt;b&gt; <font name="Helvetica">f</font> <img src="/etc/passwd"/> <a href="file:///etc/passwd">a</a>'


def P(*parts) -> Paragraph:
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts))


SPEECH_1 = "“Pressure must be exerted on Russia to stop the killings.”"
SPEECH_2 = "“This was a deliberate killing of civilians,”"


def rich_article() -> Article:
    return Article(
        meta=Meta(title="Talks <script>alert(1)</script> & “more”", subtitle="A <b>standfirst</b> &amp; more",
                  byline="Jane <Doe>", source="ABC & Co", date="2025-05-18", language="en",
                  tags=("war", "talks")),
        body=(
            P("Opening paragraph of the article, which is the lede of the piece."),
            P("Zelenskyy said ", Quote("speech", "Volodymyr Zelenskyy", (Text(SPEECH_1),)),
              " on Saturday, and added ", Quote("speech", None, (Text(SPEECH_2),)), " in a statement."),
            Heading(2, (Text("‘Are they tapping us along?’ <h1>"),)),
            P(HOSTILE, " ", Emphasis((Text("emphasised"),)), " ", Strong((Text("strong "), Emphasis((Text("both"),)))),
              " ", Link("javascript:alert(1)", (Text("jslink"),)), " ",
              Link("file:///etc/passwd", (Text("filelink"),)), " ",
              Link("https://example.org/ok?q=1&r=2#frag", (Text("goodlink"),)), Break(), "afterbreak"),
            P("Greek Καλημέρα κόσμε, Cyrillic Привіт їжак, Central European Zażółć gęślą jaźń, Turkish ığüşöç, "
              "CJK 北京欢迎你, emoji 😀. ", "Pneumonoultramicroscopicsilicovolcanoconiosis" * 6),
            Heading(3, (Text("A third-level heading"),)),
            BlockQuote((P("Quoted ", Quote("title", None, (Text("“Face the Nation”"),))), BlockQuote((P("deeper"),)))),
            ListBlock(False, ((P("bullet one"),), (P("bullet two"), ListBlock(True, ((P("nested a"),), (P("nested b"),)))))),
            Rule(),
            Heading(1, (Text("Level one heading"),)),
            P("Ends with a ", Quote("term", None, (Text("‘bloodbath’"),)), "."),
        ),
        related=(RelatedItem("Other <story>", "summary & more"),),
        dropped=(Dropped(1, "Share this <b>", "share-widget"),),
    )


def long_article(copies: int) -> Article:
    """The sample's paragraphs ``copies`` times, a distinct copy number in every paragraph."""
    base = sample_article()
    body = []
    for n in range(copies):
        for block in base.body:
            if isinstance(block, Paragraph):
                body.append(Paragraph(block.content + (Text(f" [copy {n}]"),)))
            else:
                body.append(block)
    return replace(base, body=tuple(body))


def sample_article() -> Article:
    from exporter import api
    return api.read(support.SAMPLE)


def render(article: Article, style="default", overrides=(), **options) -> bytes:
    warnings: list[str] = options.pop("warnings", [])
    st = load_style(style, list(overrides)) if isinstance(style, str) else style
    out = io.BytesIO()
    PdfWriter().write(article, st, out, RenderOptions(build_time=options.pop("build_time", BUILD),
                                                      warn=warnings.append, **options))
    return out.getvalue()


_cache: dict = {}


def cached(name: str, maker):
    if name not in _cache:
        _cache[name] = maker()
    return _cache[name]


def presented(article, style="default", overrides=()):
    st = load_style(style, list(overrides)) if isinstance(style, str) else style
    return present(article, st, RenderOptions(build_time=BUILD, warn=lambda message: None))


def presented_quotes(article, style="default") -> list:
    """The presented QuoteRuns at the top of each block's runs, in reading order."""
    found = []

    def walk(blocks):
        for block in blocks:
            match block:
                case pm.TextBlock(runs=runs) | pm.HeadingBlock(runs=runs):
                    found.extend(run for run in runs if isinstance(run, pm.QuoteRun))
                case pm.QuoteBlock(blocks=inner):
                    walk(inner)
                case pm.ListBlock(items=items):
                    for item in items:
                        walk(item)
    for part in presented(article, style).parts:
        walk(part.blocks)
    return found


def story_of(article, style) -> list:
    """The flowables the writer lays out for ``article``."""
    doc = presented(article, style)
    return StoryRenderer(PdfContext(style=style, options=RenderOptions(build_time=BUILD)), doc).render()


def straight(text: str) -> str:
    return text.translate(str.maketrans("“”„‘’«»", "\"\"\"''\"\""))


def rich_pdf() -> bytes:
    return cached("rich", lambda: render(rich_article(), "briefing", ["quotes.show_speaker=true"]))


def reader(data: bytes) -> "pypdf.PdfReader":
    return pypdf.PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def content_streams(data: bytes) -> list[str]:
    return [page.get_contents().get_data().decode("latin-1") for page in reader(data).pages]


# ------------------------------------------------------------------------------------ registry
def test_registered_as_pdf():
    writer = get_writer("pdf")
    assert isinstance(writer, PdfWriter)
    assert (writer.name, writer.media_type, writer.extension, writer.uses_style) == ("pdf", "application/pdf", "pdf", True)


# ------------------------------------------------------------------------------------ text
@pytest.mark.parametrize("style", ["default", "briefing", "letter"])
def test_every_body_word_of_the_sample_in_order(style):
    article = sample_article()
    data = render(article, style)
    problem = readback.missing_words(readback.body_words(article), "\n".join(page_texts(data)))
    assert problem is None, problem


def test_every_word_of_a_rich_article_in_order():
    article = rich_article()
    text = "\n".join(page_texts(rich_pdf()))
    problem = readback.missing_words(readback.body_words(article), text)
    assert problem is None, problem
    for literal in ("Talks <script>alert(1)</script> & “more”", "A <b>standfirst</b> &amp; more",
                    "ABC & Co · Jane <Doe> · 18 May 2025"):      # the presentation layer's meta line
        assert literal in text


def test_a_title_cut_from_the_lede_is_not_printed_above_it():
    """The sample has no headline: its title was cut from the lede.  The page opens with the
    meta line and the lede, whose opening words are printed once; the title stays in /Title."""
    article = sample_article()
    assert article.meta.title_origin == "lede"
    data = render(article, "default")
    first_page = page_texts(data)[0]
    lines = [line for line in first_page.splitlines() if line.strip()]
    assert lines[0] == "SBS News · internewscast.com"
    assert lines[1].startswith("US President Donald Trump says he will speak")
    assert " ".join(first_page.split()).count("US President Donald Trump says") == 1
    assert reader(data).metadata["/Title"] == article.meta.title


def test_missing_words_would_notice_a_dropped_word():
    article = rich_article()
    text = "\n".join(page_texts(rich_pdf())).replace("emphasised", "")
    assert readback.missing_words(readback.body_words(article), text) is not None


# ------------------------------------------------------------------------------------ page
@pytest.mark.parametrize("style,overrides,size", [
    ("default", (), (595.2756, 841.8898)),
    ("letter", (), (612.0, 792.0)),
    ("default", ['page.orientation="landscape"'], (841.8898, 595.2756)),
    ("default", ['page.size="A5"'], (419.5276, 595.2756)),
])
def test_page_size_is_exact(style, overrides, size):
    data = render(rich_article(), style, overrides)
    for page in reader(data).pages:
        box = page.mediabox
        assert abs(float(box.width) - size[0]) < 0.01 and abs(float(box.height) - size[1]) < 0.01


def test_text_stays_inside_the_margins():
    st = load_style("default")
    data = render(long_article(2), st)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                if ch["text"].strip() and ch["size"] > 8.5:          # body text, not furniture
                    assert ch["x0"] >= st.page.margin_left - 0.5
                    assert ch["x1"] <= page.width - st.page.margin_right + 0.5, ch
                    assert ch["top"] >= st.page.margin_top - 12
                    assert ch["bottom"] <= page.height - st.page.margin_bottom + 0.5


# ------------------------------------------------------------------------------------ fonts
def _fonts(data: bytes) -> list[dict]:
    found = {}
    for page in reader(data).pages:
        resources = page["/Resources"].get_object()
        for name, ref in resources.get("/Font", {}).get_object().items():
            font = ref.get_object()
            found[font["/BaseFont"]] = font
    return list(found.values())


@pytest.mark.parametrize("style", ["default", "briefing"])
def test_only_embedded_truetype_subsets_no_standard_14(style):
    data = rich_pdf() if style == "briefing" else render(rich_article(), style)
    fonts = _fonts(data)
    assert len(fonts) >= 4        # regular, bold, italic, fallbacks
    for font in fonts:
        base = str(font["/BaseFont"])
        assert font["/Subtype"] == "/TrueType", base
        assert re.match(r"^/[A-Z]{6}\+", base), f"{base} is not a subset"
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{base} is not embedded"
        assert not any(s in base for s in STANDARD_14), base
    assert b"/Helvetica" not in data and b"/Times-Roman" not in data and b"/Courier" not in data


def test_pdffonts_agrees_every_font_is_embedded(tmp_path):
    tool = support.require_tool("pdffonts", "poppler-utils")
    path = tmp_path / "x.pdf"
    path.write_bytes(rich_pdf())
    lines = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        assert re.search(r"\byes\s+yes\s+yes\b", line), line   # emb sub uni


def test_fallback_fonts_draw_what_the_main_font_lacks():
    names = {str(f["/BaseFont"]).split("+")[1] for f in _fonts(rich_pdf())}
    assert any(n.startswith("NotoSans") for n in names)
    assert "DroidSansFallback" in names          # the CJK run
    text = "\n".join(page_texts(rich_pdf()))
    assert "北京欢迎你" in text and "😀" in text  # astral characters map back to text too


def test_uncovered_characters_are_reported_not_drawn():
    warnings: list[str] = []
    lost = "\U0010FFFD"       # plane-16 private use: no font draws it
    data = render(Article(meta=Meta(title="T"), body=(P(f"before {lost} after"),)), warnings=warnings)
    assert len(warnings) == 1 and "U+10FFFD" in warnings[0]
    text = "\n".join(page_texts(data))
    assert "before" in text and "after" in text and lost not in text
    assert "\ufffd" not in text


# ------------------------------------------------------------------------------------ quotes
def _fill_hex(value) -> str | None:
    return readback._pdf_color(value)


def test_highlights_sit_behind_exactly_the_speech_quote_words():
    st = load_style("briefing")
    background = st.inline("quote-speech").background
    with pdfplumber.open(io.BytesIO(rich_pdf())) as pdf:
        page = pdf.pages[0]
        rects = [r for r in page.rects if r.get("fill") and _fill_hex(r.get("non_stroking_color")) == background]
        assert rects, "no highlight rectangles in the style's colour"
        covered = []
        for ch in page.chars:
            if not ch["text"].strip():
                continue
            x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            if any(r["x0"] <= x <= r["x1"] and r["top"] <= y <= r["bottom"] for r in rects):
                covered.append(ch)
        highlighted = "".join(c["text"] for c in covered)
        assert highlighted == (SPEECH_1 + SPEECH_2).replace(" ", "")
        quote_color = st.inline("quote-speech").color
        assert {_fill_hex(c["non_stroking_color"]) for c in covered} == {quote_color}


def _highlighted_and_expected(data: bytes, article: Article, background: str) -> tuple[str, str]:
    """(characters drawn on the highlight colour, characters of the speech quotes), both without
    whitespace and hyphens (hyphenation adds some at line ends), in reading order."""
    covered = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            rects = [r for r in page.rects if r.get("fill") and _fill_hex(r.get("non_stroking_color")) == background]
            for ch in page.chars:
                x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
                if ch["text"].strip() and any(r["x0"] <= x <= r["x1"] and r["top"] <= y <= r["bottom"] for r in rects):
                    covered.append(ch["text"])
    expected = "".join(run_text(run.content) for run in presented_quotes(article) if run.kind == "speech")
    squash = lambda t: re.sub(r"[\s\-\u00ad]", "", t)  # noqa: E731
    return squash("".join(covered)), squash(expected)


@pytest.mark.parametrize("overrides", [
    (),                                                             # ragged, hyphenated
    ('body.align="justify"',),
    ('body.align="center"', "body.hyphenate=false"),
    ('body.align="right"', 'page.size="A5"'),
])
def test_fast_path_highlights_cover_exactly_the_quotes_across_pages(overrides):
    """Plain paragraphs with highlighted quotes are laid out on reportlab's single-run path and
    their rectangles drawn by the writer: the same exactness, over page splits and alignments."""
    article = long_article(2)
    st = load_style("default", list(overrides))
    data = render(article, st)
    assert len(reader(data).pages) >= 3
    got, expected = _highlighted_and_expected(data, article, st.inline("quote-speech").background)
    assert expected and got == expected


def _merged(rects):
    """Rectangles on the same line that touch or overlap, as one (reportlab sometimes adds slivers)."""
    out: list[list[float]] = []
    for top, bottom, x0, x1 in rects:
        if out and abs(out[-1][0] - top) < 0.01 and x0 <= out[-1][3] + 0.2:
            out[-1][3] = max(out[-1][3], x1)
        elif x1 - x0 > 0.01:
            out.append([top, bottom, x0, x1])
    return out


@pytest.mark.parametrize("align", ["left", "center", "right"])   # justified: the two paths space words differently
def test_fast_path_rectangles_are_where_reportlab_would_draw_them(monkeypatch, align):
    from exporter.writers.pdf.markup import InlineMarkup

    article = long_article(1)
    # (reportlab's own spans lose the background of a character that follows a nested span, so
    # paragraphs with nested quotes are left out of this comparison)
    article = replace(article, body=tuple(b for b in article.body if not any(
        depth for _, content in iter_inline_runs((b,)) for _, depth in iter_quotes(content))))
    st = load_style("default", [f'body.align="{align}"'])
    background = st.inline("quote-speech").background

    def rects(data):
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [_merged(sorted((r["top"], r["bottom"], r["x0"], r["x1"]) for r in p.rects
                                   if _fill_hex(r.get("non_stroking_color")) == background))
                    for p in pdf.pages]

    fast = rects(render(article, st))
    monkeypatch.setattr(InlineMarkup, "plain_with_highlights", lambda self, content, key: None)
    slow = rects(render(article, st))          # reportlab's own <span backColor>
    assert sum(map(len, fast)) >= 5
    assert list(map(len, fast)) == list(map(len, slow))
    for fast_page, slow_page in zip(fast, slow):
        for a, b in zip(fast_page, slow_page):
            assert all(abs(u - v) < 0.5 for u, v in zip(a, b)), (a, b)   # the two paths justify a hair apart


def test_highlights_exact_inside_lists_and_blockquotes():
    quote = lambda text: Quote("speech", None, (Text(text),))  # noqa: E731
    article = Article(meta=Meta(title="Lists", language="en"), body=(
        P("Intro paragraph for the lede."),
        ListBlock(False, ((P("Item with ", quote("“a quoted phrase that is long enough to wrap over the end of the "
                                                 "line in the list item”"), " after."),),
                          (P("plain"), ListBlock(True, ((P("nested ", quote("“nested quote”"), " end"),),))))),
        BlockQuote((P("Block ", quote("“quote in block”"), " tail."),)),
        P("Body ", quote("“final words here”"), "."),
    ))
    for overrides in ([], ['blockquote.color="#1a1a1a"', "blockquote.italic=false"]):   # slow and fast path
        st = load_style("default", overrides)
        got, expected = _highlighted_and_expected(render(article, st), article, st.inline("quote-speech").background)
        assert got == expected


def test_highlight_fast_path_is_taken_for_plain_quote_paragraphs():
    from exporter.writers.pdf.page import LinearParagraph

    flowables = story_of(rich_article(), load_style("default"))
    fast = [f for f in flowables if isinstance(f, LinearParagraph) and f._highlights is not None]
    assert [f._highlights.text for f in fast] == [
        f"Zelenskyy said {SPEECH_1} on Saturday, and added {SPEECH_2} in a statement."]
    assert [(a, b) for a, b, _ in fast[0]._highlights.ranges] == [
        (15, 15 + len(SPEECH_1)), (15 + len(SPEECH_1) + 24, 15 + len(SPEECH_1) + 24 + len(SPEECH_2))]


def test_no_highlight_when_the_style_turns_it_off():
    data = render(rich_article(), "briefing", ["quotes.highlight_speech=false"])
    background = load_style("briefing").inline("quote-speech").background
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert not [r for p in pdf.pages for r in p.rects if _fill_hex(r.get("non_stroking_color")) == background]


def _luminance(hex_color: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("style", ["default", "briefing", "letter"])
@pytest.mark.parametrize("mode", ["rgb", "cmyk"])
def test_emitted_highlights_are_readable_in_greyscale(style, mode):
    """As drawn in the PDF (after any CMYK conversion): background luminance >= 0.85, text on it
    a contrast ratio >= 4.5:1 (shared/CONVENTIONS.md)."""
    data = render(rich_article(), style, [f'page.color_mode="{mode}"'])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        rects = [r for r in page.rects if r.get("fill") and r["height"] < 30]
        assert rects
        for rect in rects:
            bg = _fill_hex(rect["non_stroking_color"])
            assert _luminance(bg) >= 0.85, bg
            for ch in page.chars:
                x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
                if ch["text"].strip() and rect["x0"] <= x <= rect["x1"] and rect["top"] <= y <= rect["bottom"]:
                    fg = _fill_hex(ch["non_stroking_color"])
                    ratio = (_luminance(bg) + 0.05) / (_luminance(fg) + 0.05)
                    assert ratio >= 4.5, (fg, bg, ratio)


def test_speaker_tooltip_is_a_hover_note_as_an_extra():
    data = rich_pdf()
    notes = [a.get_object() for p in reader(data).pages for a in p.get("/Annots", []) or []
             if a.get_object()["/Subtype"] == "/Text"]
    assert [n["/Contents"] for n in notes] == ["Volodymyr Zelenskyy"]
    assert not int(notes[0].get("/F", 0)) & 4           # a screen note, not printed


SPOKEN = Article(meta=Meta(title="Spoken", language="en"), body=(
    P("The lede of the piece, which names nobody."),
    P("The minister spoke first. ", Quote("speech", "Ada Lovelace", (Text("“We will build the engine this year.”"),)),
      " Then the meeting ended."),
))


def _label_chars(data: bytes, st) -> tuple[list[dict], list[dict]]:
    """(the speaker-label chars in the page's text area and margins, the quote's chars)."""
    label = st.inline("speaker-label", "body")
    font = st.fonts[label.family].face(bool(label.bold), bool(label.italic)).stem.replace("-", "")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        inside = [c for c in page.chars if st.page.margin_top - 2 < c["top"] < page.height - st.page.margin_bottom]
        labels = [c for c in inside if abs(c["size"] - label.size) < 0.05 and font in c["fontname"].replace("-", "")]
        text = "".join(c["text"] for c in inside)
        start = text.index("“We will")
        quote = inside[start: start + len("“We will build the engine this year.”")]
    assert all(_fill_hex(c["non_stroking_color"]) == label.color for c in labels)
    return labels, quote


@pytest.mark.parametrize("display", ["inline", "margin", "endnote"])
def test_speaker_labels_are_drawn_as_the_style_places_them(display):
    """Visible on paper, in the speaker-label look: "[Ada Lovelace]" after the quote; the name in
    the left margin level with the quote's first line; or a note number after the quote and the
    name in a "Speakers" list after the article, the number linked to it."""
    st = load_style("default", [f'quotes.speaker_display="{display}"'])
    data = render(SPOKEN, st)
    labels, quote = _label_chars(data, st)
    label_text = "".join(c["text"] for c in labels)
    text = " ".join(" ".join(page_texts(data)).split())
    if display == "inline":
        assert label_text == "[Ada Lovelace]"
        assert "this year.” [Ada Lovelace] Then the meeting" in text
        assert labels[0]["x0"] > quote[-1]["x1"] or labels[0]["top"] > quote[-1]["top"]
    elif display == "margin":
        assert label_text == "Ada Lovelace"
        assert max(c["x1"] for c in labels) <= st.page.margin_left - 4          # in the margin
        assert abs(labels[-1]["bottom"] - quote[0]["bottom"]) < 1.5              # level with the quote's line
        assert "Ada" not in text.replace("Ada Lovelace", "", 1)                  # drawn once
    else:
        assert label_text.startswith("1")
        assert labels[0]["x0"] >= quote[-1]["x1"] - 0.5 and labels[0]["bottom"] < quote[-1]["bottom"]   # raised
        assert re.search(r"Speakers 1\. Ada Lovelace", text)
        links = [a.get_object() for a in reader(data).pages[0].get("/Annots", []) or []
                 if a.get_object()["/Subtype"] == "/Link"]
        assert len(links) == 2            # the number to the note, the note's name back to the number


def test_speaker_not_shown_unless_the_style_asks():
    data = render(rich_article(), "briefing")
    assert not [a for p in reader(data).pages for a in p.get("/Annots", []) or []
                if a.get_object()["/Subtype"] == "/Text"]
    assert "Volodymyr" not in "\n".join(page_texts(data))


# ------------------------------------------------------------------------------------ hostile
def test_hostile_text_is_literal_and_nothing_is_opened(monkeypatch):
    from reportlab import rl_config
    from reportlab.lib import utils

    render(rich_article())       # fonts registered before we start watching
    opened: list[str] = []
    real = utils.open_for_read

    def watch(name, *args, **kwargs):
        opened.append(str(name))
        return real(name, *args, **kwargs)

    monkeypatch.setattr(utils, "open_for_read", watch)
    monkeypatch.setattr(utils, "rlUrlRead", lambda *a, **k: opened.append(str(a)) or (_ for _ in ()).throw(OSError()))
    data = render(rich_article())
    assert not [o for o in opened if "passwd" in o or o.startswith(("http", "file"))], opened
    text = " ".join("\n".join(page_texts(data)).split())
    for literal in ('<script>alert("x")</script>', "&amp;", "&lt;b&gt;", '<font name="Helvetica">f</font>',
                    '<img src="/etc/passwd"/>', '<a href="file:///etc/passwd">a</a>'):
        assert straight(literal) in straight(text)       # (the presentation curls the marks)
    assert rl_config.trustedHosts in (None, []) and not rl_config.trustedSchemes
    assert b"/JavaScript" not in data and b"/Launch" not in data and b"/EmbeddedFile" not in data


def test_links_only_for_http_and_https():
    uris = []
    for page in reader(rich_pdf()).pages:
        for annot in page.get("/Annots", []) or []:
            a = annot.get_object()
            if a["/Subtype"] == "/Link":
                uris.append(a["/A"]["/URI"])
    assert uris == ["https://example.org/ok?q=1&r=2#frag"]
    text = "\n".join(page_texts(rich_pdf()))
    assert "jslink" in text and "filelink" in text and "goodlink" in text


def test_unknown_node_raises():
    class Alien:
        pass

    with pytest.raises(UnknownNodeError):
        render(Article(meta=Meta(title="x"), body=(Alien(),)))
    with pytest.raises(UnknownNodeError):
        render(Article(meta=Meta(title="x"), body=(Paragraph((Alien(),)),)))


def test_a_page_too_small_for_the_content_is_one_clear_error():
    from exporter.errors import RenderError

    with pytest.raises(RenderError, match=r"^pdf: the text area of the page .* is too small"):
        render(rich_article(), "default", ['page.size="60mm x 60mm"'])


def test_empty_and_untitled_articles_still_make_a_pdf():
    data = render(Article())
    assert data.startswith(b"%PDF-") and len(reader(data).pages) == 1
    assert reader(data).metadata["/Title"] == "Untitled"        # named in the metadata, nothing printed
    assert page_texts(data)[0].strip() == ""


# ------------------------------------------------------------------------------------ navigation
def _outline(data: bytes) -> list[tuple[int, str, int]]:
    r = reader(data)
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, r.get_destination_page_number(item)))
    walk(r.outline, 0)
    return out


def test_outline_from_title_and_headings():
    outline = _outline(rich_pdf())
    titles = [(d, t) for d, t, _ in outline]
    assert titles == [
        (0, "Talks <script>alert(1)</script> & “more”"),
        (1, "‘Are they tapping us along?’ <h1>"),
        (2, "A third-level heading"),
        (1, "Level one heading"),
    ]


def test_outline_entries_point_at_the_right_pages():
    article = long_article(3)
    data = render(article, "briefing")
    texts = page_texts(data)
    outline = _outline(data)
    headings = [t for _, t, _ in outline[1:]]
    assert len(headings) >= 3 and len(texts) >= 4
    for _, title, page in outline[1:]:
        assert title in texts[page], (title, page)
    assert len({page for _, _, page in outline}) > 1


def test_metadata():
    info = reader(rich_pdf()).metadata
    assert info["/Title"] == "Talks <script>alert(1)</script> & “more”"
    assert info["/Author"] == "Jane <Doe>"
    assert info["/Subject"] == "A <b>standfirst</b> &amp; more"
    assert info["/Keywords"] == "war, talks"
    assert re.fullmatch(r"exporter( \d+\.\d+.*)?", info["/Creator"])
    assert info["/CreationDate"].startswith("D:20260102030405") and info["/ModDate"] == info["/CreationDate"]
    assert reader(rich_pdf()).trailer["/Root"]["/Lang"] == "en"


# ------------------------------------------------------------------------------------ furniture
def test_page_x_of_y_and_marking_on_every_page():
    data = cached("long3", lambda: render(long_article(3), "briefing"))
    texts = page_texts(data)
    total = len(texts)
    assert total >= 3
    for n, text in enumerate(texts, 1):
        assert f"Page {n} of {total}" in text
        assert text.count("OFFICIAL") >= 1


def test_marking_on_the_first_page_even_without_first_page_furniture():
    data = render(long_article(2), "default", marking="SECRET")
    texts = page_texts(data)
    assert len(texts) >= 2
    assert all("SECRET" in t for t in texts)
    assert texts[0].strip().splitlines()[0].strip() == "SECRET"
    # default has footer "{page}" and no first-page furniture
    assert not re.search(r"^\s*1\s*$", texts[0], re.M) and re.search(r"^\s*2\s*$", texts[1], re.M)


def test_marking_option_overrides_the_style():
    texts = page_texts(render(rich_article(), "briefing", marking="TOP SECRET"))
    assert "TOP SECRET" in texts[0] and "OFFICIAL" not in texts[0]


def test_furniture_text_is_escaped_and_fits_its_slot():
    long_title = "A very long <title> & headline " * 8
    article = replace(long_article(2), meta=replace(sample_article().meta, title=long_title))
    texts = page_texts(render(article, "briefing"))
    footer = [ln for ln in texts[1].splitlines() if "Page 2 of" in ln][0]
    assert "A very long <title> &" in footer and "…" in footer


# ------------------------------------------------------------------------------------ print
def test_cmyk_mode_emits_only_cmyk_colours():
    data = render(rich_article(), "briefing", ['page.color_mode="cmyk"'])
    rgb_op = re.compile(r"(?<![\w.])-?[\d.]+ -?[\d.]+ -?[\d.]+ (rg|RG)\b")
    for stream in content_streams(data):
        assert not rgb_op.search(stream)
        assert re.search(r" k\b", stream)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for ch in pdf.pages[0].chars:
            assert len(ch["non_stroking_color"]) == 4
    # annotation colours too (a 4-component /C is CMYK)
    spoken = render(rich_article(), "briefing", ['page.color_mode="cmyk"', "quotes.show_speaker=true"])
    notes = [a.get_object() for a in reader(spoken).pages[0]["/Annots"] if a.get_object()["/Subtype"] == "/Text"]
    assert notes and all(len(n["/C"]) == 4 for n in notes)
    # and the rgb build does use rgb: the check above can fail
    assert any(rgb_op.search(s) for s in content_streams(rich_pdf()))


def test_bleed_and_crop_marks():
    st = load_style("briefing", ['page.bleed="3mm"', "page.crop_marks=true"])
    data = render(rich_article(), st)
    bleed = 3 * 72 / 25.4
    for page in reader(data).pages:
        trim, bleed_box, media = page.trimbox, page.bleedbox, page.mediabox
        assert abs(float(trim.width) - st.page.width) < 0.01 and abs(float(trim.height) - st.page.height) < 0.01
        assert abs(float(bleed_box.width) - (st.page.width + 2 * bleed)) < 0.01
        assert float(media.width) > float(bleed_box.width)
    # crop-mark strokes outside the bleed box
    stream = content_streams(data)[0]
    assert re.search(r" l\b", stream) and " S" in stream


def test_no_bleed_no_boxes():
    page = reader(rich_pdf()).pages[0]
    assert "/TrimBox" not in page and "/BleedBox" not in page


# ------------------------------------------------------------------------------------ typography
def test_paragraph_styles_keep_headings_with_next_and_forbid_widows():
    ctx = PdfContext(style=load_style("default"), options=RenderOptions(build_time=BUILD))
    for key in ("heading-1", "heading-2", "heading-3", "title"):
        assert ctx.pstyle(key).keepWithNext == 1
    for key in ("body", "lede", "blockquote", "list"):
        s = ctx.pstyle(key)
        assert s.allowWidows == 0 and s.allowOrphans == 0


def test_headings_never_end_a_page():
    data = cached("long3", lambda: render(long_article(3), "briefing"))
    texts = page_texts(data)
    headings = {t for _, t, _ in _outline(data)[1:]}
    for text in texts[:-1]:
        body_lines = [ln for ln in text.splitlines() if ln.strip() and "Page " not in ln and "OFFICIAL" not in ln]
        assert body_lines[-1].strip() not in headings


def _hyphenated_line_ends(data: bytes) -> int:
    return sum(1 for t in page_texts(data) for ln in t.splitlines() if re.search(r"[a-z]-$", ln))


def test_hyphenation_follows_the_style_and_language():
    words = "Internationalisation characterisation institutionalisation telecommunications " * 30
    article = Article(meta=Meta(title="H", language="en"), body=(P("x"), P(words)))
    assert _hyphenated_line_ends(render(article, "default", ['page.size="A5"'])) > 3
    assert _hyphenated_line_ends(render(article, "default", ['page.size="A5"', "body.hyphenate=false"])) == 0
    # a language without a dictionary: no hyphenation, still renders
    assert _hyphenated_line_ends(render(replace(article, meta=Meta(title="H", language="zz")), "default",
                                        ['page.size="A5"'])) == 0


def test_justified_alignment_spreads_lines():
    text = "word " * 400
    article = Article(meta=Meta(title="J"), body=(P("x"), P(text)))
    def right_edges(data):
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            lines = pdf.pages[0].extract_text_lines()
            return [round(ln["x1"]) for ln in lines if ln["text"].startswith("word")][:-1]
    justified = right_edges(render(article, "default", ['body.align="justify"', "body.hyphenate=false"]))
    ragged = right_edges(render(article, "default", ["body.hyphenate=false"]))
    assert len(set(justified)) == 1 and len(justified) > 5
    assert justified[0] > max(ragged) or len(set(ragged)) > 1


def _long_paragraph(words: int, runs: str) -> Article:
    text = " ".join(f"word{i}" for i in range(words))
    if runs == "one run":
        return Article(meta=Meta(title="L", language="en"), body=(P(text),))
    return Article(meta=Meta(title="L", language="en"),
                   body=(P(Emphasis((Text("Start"),)), " ", text, " ", Quote("speech", None, (Text("“end”"),))),))


@pytest.mark.parametrize("runs", ["one run", "several runs"])
def test_one_very_long_paragraph_does_work_linear_in_its_length(runs, monkeypatch):
    """The work that made one long paragraph quadratic, counted (speed itself is measured in
    bench/bench_pdf.py): reportlab breaks the lines once, taking the words off a WordQueue rather
    than the front of a list, and each page's split handles that page's words only, never
    the whole rest of the paragraph (for a single-run paragraph and for one with emphasis and a
    quote, which reportlab lays out differently)."""
    from reportlab.platypus import paragraph as rl_paragraph

    from exporter.writers.pdf import linebreak as _pdf_linebreak

    queues, breaks, words_split_off = [], [], []

    class CountedQueue(_pdf_linebreak.WordQueue):
        def __init__(self, words):
            queues.append(len(words))
            super().__init__(words)

    real_break_lines, real_yield = rl_paragraph.Paragraph.breakLines, rl_paragraph._yieldBLParaWords
    real_processed = rl_paragraph.Paragraph._split_blParaProcessed

    def counted_yield(bl_para, start, stop):
        for word in real_yield(bl_para, start, stop):
            words_split_off.append(1)
            yield word

    def counted_processed(self, bl_para, start, stop):
        found = real_processed(self, bl_para, start, stop)
        words_split_off.extend([1] * len(found))
        return found

    monkeypatch.setattr(_pdf_linebreak, "WordQueue", CountedQueue)
    monkeypatch.setattr(rl_paragraph, "_yieldBLParaWords", counted_yield)
    monkeypatch.setattr(rl_paragraph.Paragraph, "_split_blParaProcessed", counted_processed)
    monkeypatch.setattr(rl_paragraph.Paragraph, "breakLines",
                        lambda self, widths: breaks.append(len(self.getPlainText())) or real_break_lines(self, widths))
    words = 12000
    data = render(_long_paragraph(words, runs))
    pages = len(reader(data).pages)
    assert pages > 20
    assert queues and max(queues) >= words                   # the long paragraph's words were queued
    assert len([n for n in breaks if n > 5 * words]) == 1     # its lines were broken once
    # each page's part takes its own words: about the paragraph's words in all, not pages/2 times them
    assert len(words_split_off) <= 1.1 * words + 100, (len(words_split_off), pages)
    text = "\n".join(page_texts(data))
    assert readback.missing_words([f"word{i}" for i in range(words)], text) is None


def test_the_word_queue_changes_no_line_break(monkeypatch):
    """Lines broken from a WordQueue are the lines broken from reportlab's list: justified and
    hyphenated text, a word longer than a line, soft hyphens, several runs."""
    from reportlab.platypus import paragraph as rl_paragraph

    from exporter.writers.pdf import linebreak as _pdf_linebreak

    words = [f"w{i}" + "abcdefghijklmnopqrstuvwxyz"[: i % 23] for i in range(1500)]
    words[100] = "x" * 300
    words[200] = "soft\u00adhy\u00adphen\u00adated"
    article = Article(meta=Meta(title="L", language="en"),
                      body=(P(" ".join(words)), P(Emphasis((Text(" ".join(words[:700])),)), " ", " ".join(words[700:]))))

    def lines_of(style_overrides):
        seen = []
        real = rl_paragraph.Paragraph.wrap

        def recording(self, width, height):
            result = real(self, width, height)
            seen.append([(round(getattr(line, "extraSpace", line[0] if isinstance(line, tuple) else 0), 6),
                          [str(getattr(w, "text", w)) for w in (line[1] if isinstance(line, tuple) else line.words)])
                         for line in self.blPara.lines])
            return result
        monkeypatch.setattr(rl_paragraph.Paragraph, "wrap", recording)
        data = render(article, "default", style_overrides)
        monkeypatch.setattr(rl_paragraph.Paragraph, "wrap", real)
        return seen, data

    for overrides in (['body.align="justify"', "body.hyphenate=true"], ["body.hyphenate=false"]):
        queued, queued_pdf = lines_of(overrides)
        monkeypatch.setattr(_pdf_linebreak, "MIN_QUEUED_WORDS", 10 ** 9)      # reportlab's own lists
        listed, listed_pdf = lines_of(overrides)
        monkeypatch.setattr(_pdf_linebreak, "MIN_QUEUED_WORDS", 512)
        assert queued == listed and max(len(lines) for lines in queued) > 50
        assert queued_pdf == listed_pdf


def test_word_queue_refuses_what_breaklines_never_does():
    from exporter.writers.pdf.linebreak import WordQueue

    queue = WordQueue(["a", "b", "c"])
    queue[0:0] = ["x", "y"]
    assert queue.pop(0) == "x" and list(queue) == ["y", "a", "b", "c"] and queue == ["y", "a", "b", "c"]
    assert queue != ["a"] and queue.pop() == "c"
    with pytest.raises(TypeError):
        queue.pop(1)
    with pytest.raises(TypeError):
        queue[1:2] = ["z"]


# ------------------------------------------------------------------------------------ determinism
def test_same_input_style_and_build_time_give_identical_bytes(monkeypatch):
    first = render(rich_article(), "briefing")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 7200)     # the wall clock moved on
    second = render(rich_article(), "briefing")
    assert first == second
    other = render(rich_article(), "briefing", build_time=datetime(2027, 5, 6, tzinfo=timezone.utc))
    assert other != first and b"D:20270506000000" in reader(other).metadata["/CreationDate"].encode()


def test_identical_bytes_across_processes_with_source_date_epoch(tmp_path):
    script = (
        "import sys; from exporter import api; from exporter.writers.pdf import PdfWriter;"
        "from exporter.style import load_style; from exporter.writers import RenderOptions;"
        "from datetime import datetime, timezone;"
        "a = api.read(sys.argv[1]); out = open(sys.argv[2], 'wb');"
        "PdfWriter().write(a, load_style('briefing'), out, RenderOptions(build_time=datetime.fromtimestamp(1767323045, timezone.utc)))"
    )
    outputs = []
    for n in range(2):
        path = tmp_path / f"{n}.pdf"
        subprocess.run([sys.executable, "-c", script, str(support.SAMPLE), str(path)], check=True,
                       cwd=support.ROOT, env={**__import__("os").environ, "SOURCE_DATE_EPOCH": "1767323045"})
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


# ------------------------------------------------------------------------------------ isolation
def test_exporting_pdf_imports_no_other_format_library():
    script = (
        "import sys, io; from exporter import api; from exporter.writers import get_writer, RenderOptions;"
        "from exporter.style import load_style;"
        "a = api.read(sys.argv[1]); get_writer('pdf').write(a, load_style('default'), io.BytesIO(), RenderOptions());"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'ebooklib'));"
        "assert 'reportlab' in sys.modules; print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", script, str(support.SAMPLE)], capture_output=True, text=True,
                          cwd=support.ROOT, check=True)
    assert done.stdout.strip() == ""


# ------------------------------------------------------------------------------------ outline levels
def test_a_briefings_articles_nest_under_its_cover_in_the_outline():
    import exporter

    brief = exporter.briefing([rich_article(), sample_article()], title="Brief")
    outline = _outline(render(brief, "briefing"))
    levels = {title: depth for depth, title, _ in outline}
    assert levels["Brief"] == 0 and levels["Contents"] == 1
    assert levels["Talks <script>alert(1)</script> & “more”"] == 1
    assert levels["‘Are they tapping us along?’ <h1>"] == 2
