"""Paragraphs of several looks (a highlighted quote, an inline speaker label in its own face and
colour, a quote in italics) are broken into lines on reportlab's single-run path, each word
measured in its own face, and drawn as reportlab's several runs (``page.StyledText``).  They
must come out exactly as the several-run path lays them out: the same lines, the same text on
each, every character at the same place in the same face, size and colour, the same highlights.
Each case is rendered twice, the second time with that path forced, and read back."""
from __future__ import annotations

import io

import pytest

import support
from exporter.ast import Article, Emphasis, Meta, Paragraph, Quote, Text
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
from exporter.writers.pdf import page

pdfplumber = support.require_module("pdfplumber")

QUOTE = "“This was a deliberate killing of civilians, and the world must see it for what it is,”"
LONG = ("“Hopefully it will be a productive day, a ceasefire will take place, and this very violent war, "
        "a war that should have never happened, will end.”")


def P(*parts) -> Paragraph:
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts))


def speech(text: str, speaker: str | None) -> Quote:
    return Quote("speech", speaker, (Text(text),))


def article(*paragraphs: Paragraph) -> Article:
    """An article whose body paragraphs (after a lede) are ``paragraphs``."""
    lede = P("The talks in Istanbul lasted an hour and ended without a ceasefire.")
    return Article(meta=Meta(title="Labels", language="en"), body=(lede, *paragraphs))


def render(doc: Article, overrides=(), fast: bool = True) -> bytes:
    """The PDF of ``doc``; with ``fast`` False, every styled paragraph takes the several-run path."""
    style = load_style("default", list(overrides))      # (show_speaker would add hover notes: markup)
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(page, "_styled_words", lambda *args: None)
        out = io.BytesIO()
        get_writer("pdf").write(doc, style, out, RenderOptions(build_time=support.BUILD_TIME, warn=lambda m: None))
        return out.getvalue()


def read(data: bytes):
    """Every character (page, text, x, top, face, size, colour) and the highlight rectangles,
    joined where two touch on one line (the several-run path may draw a highlight in two
    pieces where a quote's fragments meet)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = [(p.page_number, c["text"], round(c["x0"], 2), round(c["top"], 2), c["fontname"].split("+")[-1],
                  round(c["size"], 2), tuple(c["non_stroking_color"] or ())) for p in pdf.pages for c in p.chars]
        rects: list[tuple] = []
        for p in pdf.pages:
            for r in sorted(p.rects, key=lambda r: (round(r["top"], 2), r["x0"])):
                rect = (p.page_number, round(r["x0"], 2), round(r["x1"], 2), round(r["top"], 2))
                if rects and rects[-1][0] == rect[0] and rects[-1][3] == rect[3] and abs(rects[-1][2] - rect[1]) < 0.02:
                    rects[-1] = (rect[0], rects[-1][1], rect[2], rect[3])
                else:
                    rects.append(rect)
    return chars, rects


def lines_of(chars) -> list[tuple]:
    """(page, top, text) of each line, in reading order."""
    found: dict[tuple, list] = {}
    for page_number, text, x, top, *_ in chars:
        found.setdefault((page_number, top), []).append((x, text))
    return [(key[0], key[1], "".join(t for _, t in sorted(line))) for key, line in sorted(found.items())]


@pytest.fixture
def taken(monkeypatch):
    """How often the single-run layout of a styled paragraph was kept / given up."""
    counts = {"kept": 0, "given up": 0}
    real = page._measured_words_kept

    def spy(words, lines):
        result = real(words, lines)
        counts["kept" if result else "given up"] += 1
        return result
    monkeypatch.setattr(page, "_measured_words_kept", spy)
    return counts


CASES = {
    "label ends the paragraph": article(P(speech(LONG, "Donald Trump"))),
    "label then text": article(P(speech(QUOTE, "Volodymyr Zelenskyy"), " he said, and then he said it again.")),
    "two labelled quotes": article(P("He said ", speech(QUOTE, "Marco Rubio"), " and later ",
                                     speech(LONG, "Sergei Lavrov"), " before the talks ended in Istanbul.")),
    "label glued to a comma": article(P(speech(QUOTE, "Dmitry Peskov"), ", he told reporters on Friday.")),
    "italic title and a label": article(P("Rubio told ", Quote("title", None, (Text("“Face the Nation”"),)),
                                          " that ", speech(LONG, "Marco Rubio"), " on Sunday.")),
    "emphasis is real markup": article(P(speech(QUOTE, "A B"), " ", Emphasis((Text("really"),)), " so.")),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("overrides", [(), ('body.align="justify"',), ('body.align="center"',),
                                       ('body.align="right"',), ("body.size=\"13pt\"",)],
                         ids=["left", "justify", "center", "right", "13pt"])
def test_single_run_layout_reads_back_as_the_several_run_one(name, overrides, taken):
    doc = CASES[name]
    fast, slow = read(render(doc, overrides)), read(render(doc, overrides, fast=False))
    assert lines_of(fast[0]) == lines_of(slow[0])           # same line breaks, same text per line
    assert fast == slow                                      # every character in place, face, colour; highlights


def test_the_cases_mostly_take_the_single_run_layout(taken):
    """(Else the comparisons above would prove nothing.)"""
    for name in ("label ends the paragraph", "two labelled quotes"):
        render(CASES[name])
    assert taken["kept"] >= 1


def test_label_words_at_every_line_position(taken):
    """A label moved word by word along the line (a longer lead-in each time): it ends lines,
    starts them (the single-run layout is given up there: the several-run path would hyphenate
    a label word in its own face), and is broken between its words."""
    for words in range(0, 40, 3):
        lead = " ".join(["Peskov"] * words)
        doc = article(P(lead + " said ", speech(QUOTE, "Volodymyr Oleksandrovych Zelenskyy"), " he said again."))
        fast, slow = read(render(doc)), read(render(doc, fast=False))
        assert fast == slow, words
    assert taken["kept"] and taken["given up"]               # both roads were taken


def test_label_is_drawn_in_its_face_and_colour_after_the_quote(taken):
    chars, rects = read(render(article(P(speech("“We will not give up our land,”", "Volodymyr Zelenskyy"), " he said."))))
    assert taken["kept"] == 1
    label = [c for c in chars if c[4] == "NotoSans-Regular" and c[5] == 8.0]
    assert "".join(c[1] for c in label) == "[Volodymyr Zelenskyy]"
    assert len({c[6] for c in label}) == 1 and label[0][6] != chars[-1][6]     # its own colour
    closing = next(c for c in chars if c[1] == "”")
    after = [c for c in chars if c[0] == closing[0] and c[3] == closing[3] and c[2] > closing[2] and c[1] != " "]
    assert "".join(c[1] for c in after) == "hesaid."          # back in the body face
    assert {c[4] for c in after} == {"NotoSerif-Regular"}
    assert closing[2] < min(c[2] for c in label) < max(c[2] for c in label) < min(c[2] for c in after)
    highlight = [r for r in rects if r[3] <= closing[3] + 1 and r[3] >= closing[3] - 6]
    assert highlight and all(r[2] <= min(c[2] for c in label) for r in highlight)   # stops before the label


def test_styled_paragraph_split_across_pages(taken):
    """A long labelled paragraph split over pages: the continuation draws its words from where
    the first part's lines end."""
    body = " ".join(f"word{n}" for n in range(200))      # (under _STYLED_MAX_WORDS in all)
    doc = article(P(body, " ", speech(QUOTE, "Volodymyr Zelenskyy"), " " + body, " ",
                    speech(LONG, "Donald Trump"), " the end."))
    big = ('body.size="20pt"',)
    fast, slow = read(render(doc, big)), read(render(doc, big, fast=False))
    assert max(c[0] for c in fast[0]) >= 2 and taken["kept"]
    assert fast == slow


def test_same_bytes_twice():
    doc = CASES["two labelled quotes"]
    assert render(doc) == render(doc)


def test_left_aligned_lines_are_drawn_by_the_lean_drawer(monkeypatch):
    """Left-aligned styled lines are drawn run by run (LinearParagraph._draw_left_runs), not by
    reportlab's several-run drawing; they read back as reportlab draws the same lines."""
    used = []
    real = page.LinearParagraph._draw_left_runs
    monkeypatch.setattr(page.LinearParagraph, "_draw_left_runs", lambda self: (used.append(1), real(self))[1])
    doc = article(P("He said ", speech(QUOTE, "Marco Rubio"), " and later ", speech(LONG, "Sergei Lavrov"),
                    " before the talks ended."), P(speech(LONG, "Donald Trump")))
    lean = read(render(doc))
    assert used
    monkeypatch.setattr(page.LinearParagraph, "_plainly_left", lambda self: False)
    assert read(render(doc)) == lean
