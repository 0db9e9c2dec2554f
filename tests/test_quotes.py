"""Quote marking (exporter.reader.quotes): marks, nesting, kinds, robustness and linear time."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.ast import (
    BlockQuote, Emphasis, Heading, ListBlock, Paragraph, Quote, Rule, Text, inline_text, iter_quotes,
)
from exporter.reader.quotes import mark_quotes

import support
from support import SAMPLE


def paras(*texts: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph((Text(t),)) for t in texts)


def quotes_of(block) -> list[tuple[str, str, int]]:
    """(text, kind, depth) of every quote in a block, outer before inner."""
    return [(inline_text(q.content), q.kind, depth) for q, depth in iter_quotes(block.content)]


def marked(*texts: str) -> list[list[tuple[str, str, int]]]:
    blocks = mark_quotes(paras(*texts))
    for block, text in zip(blocks, texts):
        assert inline_text(block.content) == text           # marks stay inside, nothing lost
    return [quotes_of(b) for b in blocks]


def sample_paragraphs() -> list[str]:
    """The sample's article lines (its junk lines and teaser list left out)."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    return [line for line in lines[2:45] if line.strip() and not line.startswith(("Share this", "For the latest"))]


# ------------------------------------------------------------------------------------- marks
def test_curly_quote_keeps_its_marks_inside_the_node():
    [[(text, kind, depth)]] = marked("The striker said “we were never in it” after the match.")
    assert (text, kind, depth) == ("“we were never in it”", "speech", 0)


def test_straight_quotes_pair_by_their_neighbours():
    [qs] = marked('"It was a fair trial," the lawyer said. "We will appeal."')
    assert [q[0] for q in qs] == ['"It was a fair trial,"', '"We will appeal."']


def test_newspaper_double_apostrophes_are_double_quotes():
    [qs] = marked("''This isn't a merger, it's a rescue,'' said the analyst.")
    assert qs == [("''This isn't a merger, it's a rescue,''", "speech", 0)]


def test_apostrophes_are_never_quote_marks():
    text = "The club’s manager said the players’ union can’t stop Türkiye’s bid, and Chris' plan stands."
    assert marked(text) == [[]]


def test_single_quotes_nest_inside_double_and_a_straight_mark_may_close_a_curly_one():
    [qs] = marked("“She asked me, ‘Is the deal still on?' and I said yes,” the banker recalled.")
    assert qs[0][2] == 0 and qs[1] == ("‘Is the deal still on?'", "speech", 1)


def test_single_quotes_outside_double_quotes_are_text_when_the_article_uses_double_marks():
    blocks = mark_quotes(paras("The ‘big three’ clubs met.", "“We met,” the chairman said."))
    assert quotes_of(blocks[0]) == []
    assert len(quotes_of(blocks[1])) == 1


def test_an_article_without_double_marks_uses_single_marks_as_quotes():
    blocks = mark_quotes(paras("‘We will rebuild,’ the mayor said on Tuesday.", "Rain is due."))
    assert quotes_of(blocks[0]) == [("‘We will rebuild,’", "speech", 0)]


def test_unbalanced_mark_is_bounded_to_its_paragraph_and_stays_text():
    texts = ("The judge said “the case is closed and moved on.",
             "The defendant left the court.", "“He was calm,” a clerk said.")
    result = marked(*texts)
    assert result[0] == [] and result[1] == []
    assert result[2] == [("“He was calm,”", "speech", 0)]


def test_multi_paragraph_quote_gives_one_node_per_paragraph():
    texts = ("“We started the season badly,” the coach said. “Nobody expected the injuries.",
             "“But the squad kept believing, and here we are.”")
    first, second = marked(*texts)
    assert first[1] == ("“Nobody expected the injuries.", "speech", 0)
    assert second == [("“But the squad kept believing, and here we are.”", "speech", 0)]


def test_pasted_transcript_of_many_open_paragraphs_is_not_continued_forever():
    texts = tuple(f'"HOST: Question number {i} for the panel?' for i in range(10)) + ("The end.",)
    assert all(qs == [] for qs in marked(*texts))


def test_markup_attribute_values_are_not_quotes():
    assert marked('<embed id="12345" author="someone"> Shares rose.') == [[]]


# ------------------------------------------------------------------------------------- kinds
@pytest.mark.parametrize("text, expected", [
    ("The chief executive told the BBC programme “Money Talk” that profits would fall.", "title"),
    ("She wrote a book titled “The Long Run” about her marathon years.", "title"),
    ("He appeared on NBC's “Morning Markets” on Monday.", "title"),
    ("The bank's so-called “bad bank” will hold the loans.", "term"),
    ("Fans booed the “new look” kit all afternoon.", "term"),
    ("The board described the offer as “a serious proposal that deserves attention.”", "speech"),
    ("The defence lawyer said the evidence was “thin at best”.", "speech"),
    ("“We go again next week,” the captain said.", "speech"),
    # a work noun before the comma is not a title's cue when a verb of saying comes first
    ("Mr. Ruiz said of the episode, “I do not like it,” and left.", "speech"),
    ("His column, “Leeds Can Do Better,” ran on Sunday.", "title"),
    # a cue word ("crying", "interjecting") makes even one word reported speech
    ("Supporters of the losing side are crying “fraud” in every town.", "speech"),
    # the dots of honorifics and initials end no sentence: a name written in quote marks
    ("The letter, addressed simply to “Mr. and Mrs. Hale of Dorset,” arrived on Tuesday.", "title"),
    ("She wrote to “Dr. J. Okafor” at the clinic.", "title"),
    ("Cards came addressed simply to “Mr. and Mrs. Hale, Thornbury, UK.” They fill a box.", "title"),
    ("He addressed the crowd: “We will rebuild every home on this street.”", "speech"),
    # a real stop inside still makes it words said
    ("The note to the board read “Mr. Hale resigned. We thank him.” and nothing more.", "speech"),
])
def test_kinds(text, expected):
    [[(_, kind, _)]] = marked(text)
    assert kind == expected


def test_the_sample_has_twelve_double_quotes_one_title_and_bloodbath_nested_in_the_first():
    texts = sample_paragraphs()
    blocks = mark_quotes(paras(*texts))
    outer = [(inline_text(q.content), q.kind) for b in blocks for q, d in iter_quotes(b.content)
             if d == 0]
    assert len(outer) == 12
    assert [t for t, k in outer if k == "title"] == ["“Face the Nation”"]
    assert all(k == "speech" for t, k in outer if t != "“Face the Nation”")
    first = next(q for b in blocks for q, d in iter_quotes(b.content) if d == 0)
    assert [inline_text(q.content) for q, d in iter_quotes(first.content)] == ["‘bloodbath’"]
    for block, text in zip(blocks, texts):
        assert inline_text(block.content) == text


# ------------------------------------------------------------------------------------- structure
def test_containers_are_walked_and_other_inline_nodes_are_kept():
    blocks = (
        Heading(2, (Text("“Sold out,” says promoter"),)),
        BlockQuote((Paragraph((Text("“We shall see,” the minister said."),)),)),
        ListBlock(False, ((Paragraph((Text("Item with “a quote here” inside"),)),),)),
        Rule(),
        Paragraph((Text("Before “one,” "), Emphasis((Text("stressed"),)), Text(" and “two.”"))),
    )
    out = mark_quotes(blocks)
    assert isinstance(out[0].content[0], Quote)
    assert isinstance(out[1].content[0].content[0], Quote)
    assert any(isinstance(n, Quote) for n in out[2].items[0][0].content)
    assert out[3] == Rule()
    assert Emphasis((Text("stressed"),)) in out[4].content
    assert [inline_text(q.content) for q, _ in iter_quotes(out[4].content)] == ["“one,”", "“two.”"]
    for before, after in zip(blocks[4:], out[4:]):
        assert inline_text(before.content) == inline_text(after.content)


def test_input_without_quotes_is_returned_unchanged():
    blocks = paras("Shares closed flat.", "Trading was thin.")
    assert mark_quotes(blocks) == blocks


# ------------------------------------------------------------------------------------- properties
_MARKS = st.sampled_from(list("“”\"‘’'„«»`") + ["''", "``", " ", "\n", "=", ",", "."])
_TEXT = st.lists(st.one_of(_MARKS, st.text(max_size=6)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=5))
def test_never_raises_and_never_loses_or_duplicates_text(texts):
    blocks = mark_quotes(paras(*texts))
    assert len(blocks) == len(texts)
    for block, text in zip(blocks, texts):
        assert inline_text(block.content) == text
        for quote, _ in iter_quotes(block.content):
            body = inline_text(quote.content)
            assert body and body[0] in "“”\"‘’'„«»`"       # every quote starts with its mark
            assert quote.kind in ("speech", "title", "term")


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_marking_marked_blocks_again_keeps_their_text(text):
    once = mark_quotes(paras(text))
    assert inline_text(mark_quotes(once)[0].content) == text


# ------------------------------------------------------------------------------------- time
def _seconds(text: str) -> float:
    start = time.perf_counter()
    mark_quotes(paras(text))
    return time.perf_counter() - start


@pytest.mark.parametrize("mark", ["“", "”", '"', "‘", "''"])
def test_one_hundred_thousand_unmatched_marks_are_fast(mark):
    text = (mark + "a ") * 100_000 if mark in ("”", "‘") else mark * 100_000
    assert _seconds(text) < 5.0            # about 0.1-0.6 s here; generous for a shared machine


def test_work_grows_linearly_with_paragraph_size():
    unit = 'The fund said “returns were strong,” its manager added, and "fees fell". '
    small, large = unit * 1_500, unit * 15_000          # ~110 kB and ~1.1 MB
    mark_quotes(paras(small))
    ratio = support.work(mark_quotes, paras(large)) / support.work(mark_quotes, paras(small))
    assert ratio <= 11                                 # 10x the text: about 10x the work (counted, not timed)


def test_a_nickname_between_first_and_last_name_is_a_term():
    [qs] = marked("“Big year!” the candidate’s niece, Marcia “Cia” Price, shouted.")
    assert ("“Cia”", "term", 0) in qs


def test_guillemets_with_french_spacing_and_german_reversed_marks():
    [fr, de] = marked("Pour la directrice, « le festival a toujours été un lieu de rencontre ».",
                      "Er sagte: »Wir schaffen das«, und ging.")
    assert fr == [("« le festival a toujours été un lieu de rencontre »", "speech", 0)]
    assert de == [("»Wir schaffen das«", "speech", 0)]


@pytest.mark.parametrize("text", [
    "\"We call it 'a flight to quality,' \" he said, and left.",
    "''I dislike the phrase 'city poor,' '' she said, adding, ''We were fine.''",
])
def test_a_space_between_a_single_closer_and_a_straight_double_closer_parts_two_closers(text):
    got = [(q, kind) for q, kind, depth in marked(text)[0] if depth == 0]
    assert got[0][0].endswith(("' \"", "' ''")) and got[0][1] == "speech"
    assert "said" not in got[0][0]                       # the first quote does not run on


@pytest.mark.parametrize("text", [
    "Her state votes “R,” his votes “D,” and neither will change.",
    "\"Related:\"",
])
def test_a_lone_letter_or_a_label_in_quote_marks_is_no_ones_words(text):
    assert {kind for _, kind, _ in marked(text)[0]} == {"term"}


# ------------------------------------------------------------------- mark slips and first person
def test_a_stray_space_before_a_straight_closer_still_closes():
    [got] = marked('"The ferry is late again, " Ana Ruiz said on Monday. "We will ask why."')
    assert [(t, k) for t, k, _ in got] == [('"The ferry is late again, "', "speech"), ('"We will ask why."', "speech")]
    [got] = marked('"What does the plan cost? " the mayor asked.')
    assert got[0][0] == '"What does the plan cost? "'


def test_a_space_between_two_straight_marks_still_parts_them():
    # Not a closer: no quote is open, or no stop stands before the space.
    assert marked('He wrote " and then stopped.') == [[]]


@pytest.mark.parametrize("text, quote", [
    ("As the paper put it, “ … the council would win, and easily.”", "“ … the council would win, and easily.”"),
    ('As the paper put it, " ... the council would win, and easily."', '" ... the council would win, and easily."'),
])
def test_an_opener_followed_by_a_space_and_an_ellipsis_opens(text, quote):
    [got] = marked(text)
    assert got[0][:2] == (quote, "speech")


def test_a_doubled_opener_is_one_opener():
    text = '"“We will not back down,” Ruiz said before adding that the vote would wait until March."'
    [got] = marked(text)
    assert got == [("“We will not back down,”", "speech", 0)]


def test_a_mistyped_closer_before_a_bracketed_source_closes():
    text = "Analysts: “Turnout was higher than any poll expected.“[City Gazette.]"
    [got] = marked(text)
    assert got[0][:2] == ("“Turnout was higher than any poll expected.“", "speech")


@pytest.mark.parametrize("text, quote", [
    ("Vendors sold “I’m with her” hats outside the hall.", "“I’m with her”"),
    ("Fans wore “we want more” buttons at the stadium.", "“we want more”"),
])
def test_a_short_quote_in_the_first_person_is_speech_not_a_term(text, quote):
    [got] = marked(text)
    assert (quote, "speech", 0) in got


def test_a_short_term_without_a_person_stays_a_term():
    [got] = marked("The plan created a “countdown clock” for the council.")
    assert got == [("“countdown clock”", "term", 0)]


@pytest.mark.parametrize("text, quote", [
    ("“The Long Road to the Harbour” star Mia Olsen talked about her childhood.", "“The Long Road to the Harbour”"),
    ("“Harbour Lights” Star Asks Fans To Stay Home.", "“Harbour Lights”"),
])
def test_a_title_case_quote_before_the_people_of_a_work_is_a_title(text, quote):
    [got] = marked(text)
    assert (quote, "title", 0) in got


def test_a_hashtags_gloss_is_a_term():
    [got] = marked("The hashtag #PortesOuvertes - “open doors” - spread within hours, Ana Ruiz said.")
    assert ("“open doors”", "term", 0) in got


@pytest.mark.parametrize("text, quote", [
    ("The party's posters read “Keep the river clean” (1998) and “No more tolls” (2004).", "“No more tolls”"),
    ("Her first film, “Leave the Light On, Please” (1999), flopped.", "“Leave the Light On, Please”"),
])
def test_a_quote_dated_by_a_year_in_brackets_is_a_work(text, quote):
    [got] = marked(text)
    assert (quote, "title", 0) in got


def test_a_year_in_brackets_later_in_the_sentence_leaves_speech_alone():
    [got] = marked("“We will keep the river clean,” Ana Ruiz said at the rally (in 1998).")
    assert got[0][:2] == ("“We will keep the river clean,”", "speech")
