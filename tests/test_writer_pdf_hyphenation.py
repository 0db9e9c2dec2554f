"""Hyphenation a copy editor accepts, read back from the PDF's lines (issue 14): every line that
ends in a hyphen is checked against the words of the article.

- A break at a compound's own hyphen is the only break inside a compound ("full-/scale", never
  "full-s-/cale" or "Russi-/a-Ukraine").
- An added hyphen leaves at least three letters on each side ("contin-/ue." is refused).
- Never in a capitalised word (a name: "Papado-/poulos"), a number or a word with a digit.
- Never the last word of a paragraph.
- No more than two lines in a row end in a hyphen.
- Never across a page: no page's last line ends in a broken word.
"""
from __future__ import annotations

import io
import re
from collections import Counter

import pytest

import exporter
import support
from exporter.ast import Article, Meta, Paragraph, Text
from exporter.presentation import model as pm, present
from exporter.presentation.reading import run_text
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
from exporter.writers.pdf.hyphen import LONGEST_WHOLE, MAX_HYPHENATED_IN_A_ROW, MIN_AFTER, MIN_BEFORE, hyphenator_for

pdfplumber = support.require_module("pdfplumber")

#: hand-written: compounds, names, numbers, words that end paragraphs
TRICKY = (
    "The full-scale Russia-Ukraine negotiations in Philadelphia were described by Papadopoulos as "
    "state-of-the-art diplomacy, although Constantinopoulos and Wojciechowska called the co-operation "
    "arrangements extraordinarily complicated and the representatives' recommendations unconvincing.",
    "Administrators acknowledged that 2024-25 appropriations of 1,250,000 were unsustainable, "
    "while Massachusetts and Connecticut commissioners recommended reconsideration of the "
    "intergovernmental memorandum before the international conference could reconvene.",
    "Negotiators characterised the ceasefire as fundamentally provisional; the Zaporizhzhia "
    "administration's spokeswoman emphasised its unpredictability and the humanitarian organisations "
    "concentrated on reconstruction, electrification and rehabilitation of infrastructure.",
)


def article() -> Article:
    """The sample's body three times (a copy number in each paragraph), then the tricky paragraphs."""
    base = exporter.read(support.SAMPLE)
    body = []
    for copy in range(3):
        for block in base.body:
            if isinstance(block, Paragraph):
                body.append(Paragraph(block.content + (Text(f" (copy {copy})"),)))
            else:
                body.append(block)
    body += [Paragraph((Text(text),)) for text in TRICKY * 3]
    return Article(meta=Meta(title="Hyphenation", language="en", source="Test"), body=tuple(body))


def _strip(token: str) -> str:
    return re.sub(r"^[^\w]+|[^\w]+$", "", token)


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def words_and_paragraph_ends(doc: pm.PresentedDocument) -> tuple[set[str], set[str]]:
    """(every word, the words that end a paragraph and stand nowhere else: a break in one of
    those is a break in a paragraph's last word)."""
    counts: Counter[str] = Counter()
    ends: list[str] = []
    for part in doc.parts:
        for block in part.blocks:
            if isinstance(block, (pm.TextBlock, pm.HeadingBlock)):
                found = [_strip(token) for token in run_text(block.runs).split()]
                counts.update(found)
                ends += found[-1:]
    return set(counts), {word for word in ends if counts[word] == ends.count(word)}


def pdf_lines(data: bytes, style) -> list[list[str]]:
    """Each page's lines in its text area (the running head and foot aside)."""
    pages = []
    page_style = style.page
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            area = page.crop((page_style.margin_left, page_style.margin_top, page.width - page_style.margin_right,
                              page.height - page_style.margin_bottom))
            pages.append([line for line in (area.extract_text(y_tolerance=5) or "").splitlines() if line.strip()])
    return pages


def check(pages: list[list[str]], tokens: set[str], last_words: set[str]) -> tuple[list[str], int, int]:
    """(the rules a break breaks, added-hyphen breaks, compound breaks)."""
    problems: list[str] = []
    added = compounds = 0
    lines = [(number, index == len(page) - 1, line) for number, page in enumerate(pages, 1)
             for index, line in enumerate(page)]
    in_a_row = 0
    for position, (page, last_on_page, line) in enumerate(lines[:-1]):
        head = line.split()[-1]
        if not (len(head) > 1 and head.endswith("-") and head[-2].isalpha()):
            in_a_row = 0
            continue
        in_a_row += 1
        if in_a_row > MAX_HYPHENATED_IN_A_ROW:
            problems.append(f"page {page}: {head!r}: {in_a_row} lines in a row end in a hyphen")
        tail = lines[position + 1][2].split()[0]
        if last_on_page:
            problems.append(f"page {page}: {head!r} / {tail!r} broken across the page")
        joined, unhyphenated = _strip(head + tail), _strip(head[:-1] + tail)
        if joined in tokens and "-" in joined:
            compounds += 1
            if _letters(head.split("-")[-2]) < 2 or _letters(_strip(tail).split("-")[0]) < 2:
                problems.append(f"{head!r} / {tail!r}: a compound part too short")
        elif unhyphenated in tokens:
            added += 1
            word = unhyphenated
            if "-" in word:
                problems.append(f"{head!r} / {tail!r}: inside the compound {word!r}, not at its hyphen")
            if word[0].isupper() and len(word) <= LONGEST_WHOLE:
                problems.append(f"{head!r} / {tail!r}: a capitalised word")
            if any(ch.isdigit() for ch in word):
                problems.append(f"{head!r} / {tail!r}: a word with a digit")
            if _letters(_strip(head)) < MIN_BEFORE or _letters(_strip(tail)) < MIN_AFTER:
                problems.append(f"{head!r} / {tail!r}: fewer than {MIN_BEFORE}/{MIN_AFTER} letters")
            if word in last_words:
                problems.append(f"{head!r} / {tail!r}: a paragraph's last word")
        else:
            problems.append(f"{head!r} / {tail!r}: no word of the article")
    return problems, added, compounds


@pytest.mark.parametrize("overrides, compound_breaks", [
    (['page.size="A5"', 'body.align="justify"'], True),
    (['page.size="105mm x 148mm"', 'page.margin_left="12mm"', 'page.margin_right="12mm"'], False),
    ([], False),
])
def test_every_line_end_hyphen_keeps_the_rules(overrides, compound_breaks):
    style = load_style("default", overrides)
    source = article()
    options = RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None)
    out = io.BytesIO()
    get_writer("pdf").write(source, style, out, options)
    pages = pdf_lines(out.getvalue(), style)
    tokens, last_words = words_and_paragraph_ends(present(source, style, options))
    problems, added, compounds = check(pages, tokens, last_words)
    assert len(pages) > 5
    assert added >= 10 and (compounds >= 1 or not compound_breaks), (added, compounds)   # the rules were exercised
    assert not problems, problems


def test_the_check_notices_a_broken_rule():
    tokens = {"continue", "Philadelphia", "full-scale", "word", "remarkable", "unbelievable", "considerable"}
    pages = [["we will contin-", "ue today"], ["Phil-", "adelphia and full-s-", "cale word-"],
             ["word remark-", "able unbeliev-", "able consider-", "able"]]
    problems, _, _ = check(pages, tokens, {"continue"})
    text = "\n".join(problems)
    for rule in ("fewer than", "a paragraph's last word", "a capitalised word", "inside the compound",
                 "broken across the page", "3 lines in a row"):
        assert rule in text, rule


def test_the_hyphenator_refuses_what_the_rules_refuse():
    h = hyphenator_for("en")
    assert list(h("Philadelphia")) == [] and list(h("NATO")) == [] and list(h("covid19")) == []
    assert list(h("full-scale")) == [("full-", "scale")]
    assert list(h("e-mail")) == []                                       # a one-letter part
    assert all(len(head) >= MIN_BEFORE and len(tail) >= MIN_AFTER for head, tail in h("continue"))
    assert ("presi", "dency") in list(h("presidency"))                  # en is en_US: no "presid-ency"
    assert hyphenator_for("en-GB").language == "en_GB" and hyphenator_for("en-AU").language == "en_GB"
    assert hyphenator_for("de").nouns_capitalised and list(hyphenator_for("de")("Bundesverfassungsgericht"))
