"""Property tests (hypothesis): any Unicode text reads or raises InputError, and the body's words
are the input's words minus the words ``dropped`` records (block markers aside)."""
from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings, strategies as st

from exporter.ast import inline_text, iter_inline_runs
from exporter.errors import InputError
from exporter.reader import decode_bytes, read_text
from exporter.reader.decode import normalize_text
from exporter.reader.units import marker_of

WORD = re.compile(r"\w+")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Lines that look like articles and page furniture, mixed with arbitrary text.
PIECES = st.sampled_from([
    "The council voted on Thursday to fund repairs to the bridge, the mayor said.",
    "“We owe them a bridge that opens on time,” she said.",
    "Share this @example.com", "Advertisement", "Related", "You May Also Like", "Sign in",
    "Home", "News", "© 2024 Example Media. All rights reserved.", "By Jane Doe", "June 2, 2024",
    "A summary that the site cut short…", "## A heading", "- a list item", "1. first item",
    "> quoted line", "* * *", "---", "title: x", "", "Why it matters", "For the latest from X News, and .",
])
LINES = st.one_of(PIECES, st.text(max_size=60))
DOCUMENTS = st.lists(LINES, max_size=40).map("\n".join)


def body_words(article) -> Counter:
    """Words of the body's texts; a numbered line kept as text ("2. More seats", a listicle's
    subhead) counts without its number, as its input line does (block markers aside)."""
    return Counter(w for _, content in iter_inline_runs(article.body)
                   for w in WORD.findall(_NUMBER_MARK.sub("", inline_text(content), count=1)))


_NUMBER_MARK = re.compile(r"^\s*\d{1,3}[.)]\s+(?=\S)")


def input_words_minus_dropped(text: str, article) -> Counter:
    """Words of the decoded input, without the lines ``dropped`` records and without block
    markers (a list item's number, a heading's #)."""
    lines = normalize_text(text).split("\n")
    dropped_lines = {d.line for d in article.dropped}
    words: Counter = Counter()
    for number, line in enumerate(lines, 1):
        if number in dropped_lines:
            continue
        kind, content, _ = marker_of(line.strip())
        words.update(WORD.findall(content if kind else line))
    return words


def check(text: str) -> None:
    try:
        article = read_text(text)
    except InputError as exc:
        assert str(exc).startswith("<input>: ")
        assert not normalize_text(text).strip()
        return
    if WORD.search(normalize_text(text)):
        assert article.meta.title                   # never untitled when there is text
    assert body_words(article) == input_words_minus_dropped(text, article)
    for d in article.dropped:
        assert d.line >= 1 and d.reason


@FAST
@given(st.text())
def test_any_unicode_text_reads_or_raises_input_error(text):
    check(text)


@FAST
@given(DOCUMENTS)
def test_article_like_text_keeps_every_word_it_does_not_drop(text):
    check(text)


@FAST
@given(DOCUMENTS, st.booleans())
def test_keep_boilerplate_never_loses_a_word(text, wrapped):
    if wrapped:
        text = text.replace(". ", ".\n")
    try:
        article = read_text(text, keep_boilerplate=True)
    except InputError:
        return
    assert body_words(article) == input_words_minus_dropped(text, article)
    assert {d.reason for d in article.dropped} <= {"front-matter", "title"}


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_raise_input_error(data):
    try:
        text, warnings = decode_bytes(data, "b")
    except InputError as exc:
        assert str(exc).startswith("b: ")
        return
    assert text.strip() and "\r" not in text and all(w.startswith("b: ") for w in warnings)


def test_the_word_check_can_fail():
    """The accounting above notices a line that vanished without a record."""
    from dataclasses import replace
    text = "Share this @example.com\nThe council voted on Thursday to fund the bridge repairs, she said.\n"
    article = read_text(text)
    assert article.dropped and body_words(article) == input_words_minus_dropped(text, article)
    tampered = replace(article, dropped=())
    assert body_words(tampered) != input_words_minus_dropped(text, tampered)


# Pieces of the boilerplate rules' phrases, in odd cases and with letters re's IGNORECASE equates
# with ASCII ones (ſ, ı, İ, K): every line a rule matches passes its cheap checks.
RULE_PIECES = st.sampled_from([
    "we", "We", "our site", "this website", "cookie", "Cookies", "COOKIES", "cooKies", "cooKıe",
    "ſite", "accept", "consent", "cookie policy", "manage all cookies", "en poursuivant votre navigation",
    "Vous acceptez l", "nous", "wir", "privacy policy", "Media caption", "image caption", "caption",
    "Photo credit:", "credits: AP", "credıt:", "CREDİT:", "photo", "picture", " ", ". ", ": ", "x",
    "Share this", "ſhare on", "Sign in", "SİGN İN", "Skip to content", "Back to top", "All Rights Reserved",
    "ALL RİGHTS RESERVED", "Follow us on Twitter", "Subscribe to our newsletter", "Leave a reply",
    "Was this article helpful", "/Reuters", "Getty Images", "Advertisement", "© 2024",
])


def _passes_cheap_checks(rule, line: str) -> bool:
    from exporter.reader.boilerplate import _may_match
    from exporter.reader.textutil import lower_unless_special
    lowered = lower_unless_special(line)
    return lowered is None or _may_match(rule, lowered)


@FAST
@given(st.lists(st.one_of(RULE_PIECES, st.text(max_size=8)), max_size=12).map("".join))
def test_every_line_a_rule_matches_passes_its_cheap_checks(line):
    from exporter.reader.boilerplate import RULES
    for rule in RULES:
        if rule.pattern.search(line):
            assert _passes_cheap_checks(rule, line), (rule.reason, line)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_lines_made_from_a_rule_pass_its_cheap_checks(data):
    """Lines made from each guarded rule's own pattern pass its ``starts`` and ``needs`` checks."""
    from exporter.reader.boilerplate import RULES
    for rule in RULES:
        if rule.starts is None and rule.needs is None:
            continue
        line = data.draw(st.from_regex(rule.pattern.compiled)).strip()
        if rule.pattern.search(line):
            assert _passes_cheap_checks(rule, line), (rule.reason, line)


def test_the_cheap_checks_read_case_as_the_rules_do():
    """The ``starts`` and ``needs`` checks compare words with a line's str.lower(); that is re's
    IGNORECASE for every character outside textutil.CASE_SPECIALS (checked over all of Unicode,
    for every character the words use)."""
    from collections import defaultdict

    from exporter.reader.boilerplate import RULES
    from exporter.reader.textutil import CASE_SPECIALS
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    by_lower: dict[str, set[str]] = defaultdict(set)
    for ch in everything:
        lower = ch.lower()
        assert len(lower) == 1 or ch in CASE_SPECIALS, ch
        by_lower[lower].add(ch)
    words = [word for rule in RULES for word in (rule.starts or ()) + (rule.needs or ())]
    assert words and all(word == word.lower() for word in words)
    for ch in {ch for word in words for ch in word}:
        same_to_re = set(re.findall(re.escape(ch), everything, re.IGNORECASE))
        assert same_to_re - CASE_SPECIALS == by_lower[ch] - CASE_SPECIALS, ch
