"""Hyphenation a copy editor accepts, read back from the PDF's lines (issue 14): every line that
ends in a hyphen is checked against the words of the article.

- A break at a compound's own hyphen is the only break inside a compound ("full-/scale", never
  "full-s-/cale" or "Russi-/a-Ukraine").
- An added hyphen leaves at least three letters on each side ("contin-/ue." is refused), or as many
  as the style's ``hyphenation.min_before`` / ``min_after`` say.
- Never in a capitalised word (a name: "Papado-/poulos"), a number or a word with a digit.
- Never the last word of a paragraph.
- No more than two lines in a row end in a hyphen (``hyphenation.max_consecutive``).
- Never across a page: no page's last line ends in a broken word.
"""
from __future__ import annotations

import io
import re
import subprocess
from collections import Counter

import pytest

import exporter
import support
from exporter.ast import Article, Meta, Paragraph, Text
from exporter.presentation import model as pm, present
from exporter.presentation.reading import run_text
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
from exporter.style.model import Hyphenation
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


def check(pages: list[list[str]], tokens: set[str], last_words: set[str], min_before: int = MIN_BEFORE,
          min_after: int = MIN_AFTER, max_in_a_row: int = MAX_HYPHENATED_IN_A_ROW) -> tuple[list[str], int, int]:
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
        if in_a_row > max_in_a_row:
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
            if _letters(_strip(head)) < min_before or _letters(_strip(tail)) < min_after:
                problems.append(f"{head!r} / {tail!r}: fewer than {min_before}/{min_after} letters")
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


def render_and_check(source: Article, style) -> tuple[list[str], int, int, int]:
    """(problems, added-hyphen breaks, compound breaks, the longest run of hyphenated lines) of
    ``source`` under ``style``'s hyphenation settings, read back from its PDF."""
    options = RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None)
    out = io.BytesIO()
    get_writer("pdf").write(source, style, out, options)
    pages = pdf_lines(out.getvalue(), style)
    tokens, last_words = words_and_paragraph_ends(present(source, style, options))
    settings = style.hyphenation
    problems, added, compounds = check(pages, tokens, last_words, settings.min_before, settings.min_after,
                                       settings.max_consecutive)
    # the unlimited check: how long a run of hyphenated lines the PDF has
    longest = max(len(run) for run in "".join(
        "h" if line.split()[-1].endswith("-") else " " for page in pages for line in page).split(" ") or [""])
    return problems, added, compounds, longest


@pytest.mark.parametrize("settings", [
    ["hyphenation.min_before=4", "hyphenation.min_after=4"],
    ['page.size="A5"', 'body.align="justify"', "hyphenation.min_before=2", "hyphenation.min_after=5",
     "hyphenation.max_consecutive=1"],
    ["hyphenation.max_consecutive=3", 'hyphenation.language="en-GB"'],
])
def test_the_styles_hyphenation_settings_hold_in_the_pdf(settings):
    style = load_style("default", settings)
    problems, added, _, longest = render_and_check(article(), style)
    assert added >= 10, added
    assert not problems, problems
    assert longest <= style.hyphenation.max_consecutive


def long_generated_article(words: int = 200_000) -> Article:
    """At least ``words`` words: copies of the sample's body and the tricky paragraphs, each
    paragraph opening with its copy number (no text repeats, and a paragraph's last word is
    still a word)."""
    base = exporter.read(support.SAMPLE)
    body: list = []
    copy = counted = 0
    while counted < words:
        copy += 1
        for block in base.body:
            body.append(Paragraph((Text(f"({copy}) "),) + block.content) if isinstance(block, Paragraph) else block)
            counted += len(_plain_text(block).split())
        body += [Paragraph((Text(f"({copy}) {text}"),)) for text in TRICKY]
        counted += sum(len(text.split()) for text in TRICKY)
    return Article(meta=Meta(title="Hyphenation at length", language="en", source="Test"), body=tuple(body))


def _plain_text(node) -> str:
    text = getattr(node, "text", None)
    if isinstance(text, str):
        return text
    return " ".join(_plain_text(child) for child in getattr(node, "content", ()) or ())


def pdftotext_lines(data: bytes, style) -> list[list[str]]:
    """Each page's lines in its text area, by poppler's pdftotext (pdfplumber takes minutes over
    hundreds of pages), in the order they are drawn (-raw: its default mode joins a word
    hyphenated at a line's end)."""
    page = style.page
    crop = [int(page.margin_left), int(page.margin_top), int(page.width - page.margin_left - page.margin_right) + 1,
            int(page.height - page.margin_top - page.margin_bottom) + 1]
    text = subprocess.run([support.require_tool("pdftotext", "reads the long article's PDF back"), "-raw", "-r", "72",
                           *[str(value) for pair in zip(("-x", "-y", "-W", "-H"), crop) for value in pair],
                           "-", "-"], input=data, capture_output=True, check=True).stdout.decode("utf-8")
    return [[line for line in page_text.splitlines() if line.strip()] for page_text in text.split("\f")
            if page_text.strip()]


@pytest.mark.slow
def test_the_rules_hold_on_a_200k_word_article():
    source = long_generated_article()
    style = load_style("default", ['page.size="A5"', 'body.align="justify"'])      # narrow: compounds break too
    options = RenderOptions(build_time=support.BUILD_TIME, warn=lambda message: None)
    out = io.BytesIO()
    get_writer("pdf").write(source, style, out, options)
    pages = pdftotext_lines(out.getvalue(), style)
    tokens, last_words = words_and_paragraph_ends(present(source, style, options))
    problems, added, compounds = check(pages, tokens, last_words)
    assert len(pages) > 1000
    assert sum(len(line.split()) for page in pages for line in page) > 200_000
    assert added >= 1000 and compounds >= 100, (added, compounds)
    assert not problems, problems[:20]


def test_a_split_paragraphs_rest_never_leaves_a_word_broken_across_the_page():
    """Found with the 4 / 4 letters setting: a paragraph's first three lines end a page's first
    part, and its rest (lines ending "co-" and "compli-") was split again below them, where no
    line may end the page: the rest now goes to the next page whole."""
    style = load_style("default", ['page.size="A5"', 'body.align="justify"', "hyphenation.min_before=4",
                                   "hyphenation.min_after=4"])
    problems, _, _, _ = render_and_check(article(), style)
    assert not problems, problems


def test_the_settings_change_the_breaks():
    """The limits are not the defaults by accident: a minimum of 5 letters each side leaves no
    break with 3 or 4 on a side, and allows fewer breaks than 2 / 2; a limit of one line in a row
    leaves no two hyphenated lines together, which the default allows and this article has."""
    narrow = ['page.size="105mm x 148mm"', 'page.margin_left="12mm"', 'page.margin_right="12mm"',
              'body.align="justify"']
    _, loose, _, default_longest = render_and_check(article(), load_style("default", narrow + [
        "hyphenation.min_before=2", "hyphenation.min_after=2"]))
    problems, strict, _, _ = render_and_check(article(), load_style("default", narrow + [
        "hyphenation.min_before=5", "hyphenation.min_after=5"]))
    assert not problems and strict < loose, (strict, loose)
    assert default_longest == 2
    problems, _, _, longest = render_and_check(article(), load_style("default", narrow + [
        "hyphenation.max_consecutive=1"]))
    assert not problems and longest == 1


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
    assert list(hyphenator_for("de")("BUNDESVERFASSUNG")) == []            # capitals: an acronym, even in German


def test_the_styles_dictionary_and_letters_reach_the_hyphenator():
    british = Hyphenation(language="en-GB")
    assert hyphenator_for("en", british).language == "en_GB"
    assert hyphenator_for("en-US", british).language == "en_GB"
    assert hyphenator_for("fr", british).language == "fr"                # an override for English only
    assert hyphenator_for("und", british) is None
    strict = hyphenator_for("en", Hyphenation(min_before=5, min_after=4, max_consecutive=1))
    assert strict is not hyphenator_for("en") and strict.max_consecutive == 1
    pairs = list(strict("characteristically"))
    assert pairs and all(len(head) >= 5 and len(tail) >= 4 for head, tail in pairs)
    assert any(len(head) < 5 or len(tail) < 4 for head, tail in hyphenator_for("en")("characteristically"))
