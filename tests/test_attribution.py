"""Attribution evidence (Quote.evidence) and the attribution rules added for articles the reader
was not written for: each class of error has hand-written paragraphs here (never corpus text)."""
from __future__ import annotations

import pytest

from exporter.ast import SPEAKER_EVIDENCE, Paragraph, Text, inline_text, iter_quotes
from exporter.reader.quotes import mark_quotes
from exporter.reader.speakers import attribute_speakers


def attributed(*texts: str) -> list[tuple[str, str | None, str | None]]:
    """(quote text, speaker, evidence) of every outermost speech quote, after both transforms."""
    blocks = attribute_speakers(mark_quotes(tuple(Paragraph((Text(t),)) for t in texts)))
    for block, text in zip(blocks, texts):
        assert inline_text(block.content) == text          # the transforms never change the text
    return [(inline_text(q.content), q.speaker, q.evidence) for b in blocks for q, depth in iter_quotes(b.content)
            if depth == 0 and q.kind == "speech"]


def who(*texts: str) -> list[tuple[str | None, str | None]]:
    return [(speaker, evidence) for _, speaker, evidence in attributed(*texts)]


# ------------------------------------------------------------------------------------ evidence
def test_each_kind_of_evidence_is_recorded():
    got = who(
        "Senator Maria Lopez spoke to voters in the town hall on Tuesday evening.",
        "“We will build the bridge,” she said. “It is overdue.”",
        "The crowd cheered. “Nobody believes it,” said Tom Reyes, a local farmer.",
        "“This is a good day,” the senator said.",
        "Reyes later met the mayor, Ada Quint, who said the plan was costly.",
        "“We cannot afford it this year.”",
    )
    assert got == [("Maria Lopez", "pronoun"), ("Maria Lopez", "continuation"), ("Tom Reyes", "cue"),
                   ("Maria Lopez", "role"), ("Ada Quint", "adjacent")]
    assert {evidence for _, evidence in got} <= set(SPEAKER_EVIDENCE)


def test_a_quote_without_a_speaker_has_no_evidence():
    assert who("The sign on the door read “Back in five minutes” all week, residents said.") in (
        [], [(None, None)])
    assert who("“Nobody knows what happens next.”") == [(None, None)]


# ----------------------------------------------------------------- no speaker where one is named
def test_a_paragraph_ending_in_a_colon_introduces_the_quote_that_opens_the_next():
    got = who(
        "Councillor Petra Wendt chaired the long meeting about the harbour wall.",
        "Afterwards Wendt released a short statement:",
        "“The wall will be repaired before the winter storms arrive.”",
    )
    assert got == [("Petra Wendt", "adjacent")]


def test_an_inverted_intro_line_names_the_speaker_of_the_next_paragraph():
    assert who("Engineer Lukas Brandt visited the site on Monday.", "Stated Brandt:",
               "“The foundations are sound and the work can go on.”") == [("Lukas Brandt", "adjacent")]


@pytest.mark.parametrize("verb", ["cautioned", "echoed", "conceded", "retorted", "interjected"])
def test_more_verbs_of_saying_are_cues(verb):
    assert who(f"Harbour master Ines Coelho {verb} that the tide was “higher than any we have seen”.") in (
        [("Ines Coelho", "cue")],)


def test_a_party_initial_or_a_leading_function_word_is_never_a_speaker():
    got = who("“We will not vote for this budget,” said state Sen. Rosa Imrie (D).",
              "“Neither of us was consulted,” Imrie added.")
    assert got == [("Rosa Imrie", "cue"), ("Rosa Imrie", "cue")]


# ------------------------------------------------------------------------------------- kinds
def kinds(text: str) -> list[tuple[str, str]]:
    """(quote text, kind) of every outermost quote of one paragraph."""
    (block,) = mark_quotes((Paragraph((Text(text),)),))
    return [(inline_text(q.content), q.kind) for q, depth in iter_quotes(block.content) if depth == 0]


@pytest.mark.parametrize("text, quoted", [
    ("Her memoir, “Harbour Lights: A Life on the Quays,” sold well, the publisher said.",
     "“Harbour Lights: A Life on the Quays,”"),
    ("He is best known for “Gone Tomorrow! The Strange Story of the Lost Fleet” among sailors, he said.",
     "“Gone Tomorrow! The Strange Story of the Lost Fleet”"),
])
def test_a_title_case_work_with_a_subtitle_is_a_title(text, quoted):
    assert kinds(text) == [(quoted, "title")]


def test_one_capitalised_word_mid_sentence_is_a_name_unless_it_was_said_or_written():
    assert kinds("She starred in “Meridian” and later in a stage play, she said.") == [("“Meridian”", "title")]
    assert kinds("Eleven applicants specified “Lutheran” on the form, the office said.") == [("“Lutheran”", "speech")]
    assert kinds("The crowd shouted “Encore!” until the band returned.") == [("“Encore!”", "speech")]


def test_a_short_term_after_a_determiner_is_a_term_even_where_speech_is_reported():
    assert kinds("The mayor said on Monday that the “countdown clock” on the wall was a gimmick.") == [("“countdown clock”", "term")]
    # Right after a verb of saying the determiner's phrase is the words reported.
    assert kinds("She welcomed the “steady progress” of the talks.") == [("“steady progress”", "speech")]
    assert kinds("Critics called him a “loose cannon” on Tuesday, the paper reported.") == [("“loose cannon”", "term")]
    # With the comma of a broken-off sentence it is speech: “the usual,” she said.
    assert kinds("“The usual,” she said.") == [("“The usual,”", "speech")]


def test_every_item_of_a_list_of_quoted_names_is_a_title():
    got = kinds("She acted in “Northern Lights,” “Salt Road 9,” and “The Lantern Keeper: Book One,” among others.")
    assert [kind for _, kind in got] == ["title", "title", "title"]


def test_a_programme_named_after_told_is_a_title():
    assert kinds("“We are not leaving,” the minister told “Morning Report North,” before the vote.") == [
        ("“We are not leaving,”", "speech"), ("“Morning Report North,”", "title")]


def test_a_quoted_headline_with_its_byline_is_a_title():
    got = kinds("CLOSING—“Corner bakery to shut after forty years,” by the Gazette’s Ana Ruiz: “The ovens go cold in May.”")
    assert got == [("“Corner bakery to shut after forty years,”", "title"), ("“The ovens go cold in May.”", "speech")]


def test_a_cue_closing_the_sentence_after_a_clause_names_the_speaker():
    got = who("“Turnout will decide it” if the rain holds off, said Ines Duarte, a pollster at a local college.")
    assert got == [("Ines Duarte", "cue")]
    # A name before the cue is the speaker; the name after "told" is the audience.
    got = who("“The plan is sound,” Piet Mols, the agency’s chief engineer, told Harbour Radio.")
    assert got == [("Piet Mols", "cue")]


def test_an_apposition_shows_a_name_is_a_persons():
    # "Tamsin Achterberg" appears once, with no title: the apposition makes her a person, so the
    # participle cue's clause subject can be her.
    got = who("Odile Brun said the harbour would reopen in spring.",
              "Tamsin Achterberg, vice chairwoman for Brun’s re-election campaign, emailed volunteers on "
              "Monday evening, telling them, “We will knock on every door.”")
    assert got == [("Tamsin Achterberg", "cue")]


# ---------------------------------------------------------------- round-ups: the source below
def test_a_dash_line_under_a_quote_names_its_source_and_stays_a_paragraph():
    from exporter.ast import ListBlock, Heading
    from exporter.reader import read_text

    text = ("Claims from the harbour debate\n\n"
            "The candidates made many claims on Thursday night, and we checked four of them.\n\n"
            "“The ferry has never once run on time.”\n\n"
            "- Marta Quist.\n\n"
            "The timetable shows the ferry ran late on most days, though not on every one of them.\n\n"
            "“I voted against the toll twice.”\n\n"
            "— Henrik Dahl, in the debate\n\n"
            "The council minutes show one vote against the toll and one abstention by him.\n")
    article = read_text(text)
    assert not any(isinstance(b, (ListBlock, Heading)) for b in article.body)
    lines = [inline_text(b.content) for b in article.body]
    assert "- Marta Quist." in lines and "— Henrik Dahl, in the debate" in lines
    quotes = [q for b in article.body for q, _ in iter_quotes(b.content)]
    assert [(q.speaker, q.evidence) for q in quotes] == [("Marta Quist", "adjacent"), ("Henrik Dahl", "adjacent")]


def test_a_real_list_after_a_quote_stays_a_list():
    from exporter.ast import ListBlock
    from exporter.reader import read_text

    text = ("Harbour plan\n\nThe council set out its plan for the harbour on Monday, the mayor said.\n\n"
            "“We will do three things.”\n\n- Dredge\n- Repair\n- Reopen\n\n"
            "The work starts in spring and should be finished by the end of the year.\n")
    assert any(isinstance(b, ListBlock) for b in read_text(text).body)


# ------------------------------------------------------------------------ wrong speaker: clauses
def test_a_cue_ending_in_a_colon_introduces_the_next_quote_not_the_one_before():
    got = who("Jonas Falk, 31, and his wife, Liv Moen, 27, waited at the quay all day.",
              "“We are tired,” Ms. Moen said. “We have waited since dawn.” Mr. Falk said: “The boat is late again.”")
    assert got == [("Liv Moen", "cue"), ("Liv Moen", "continuation"), ("Jonas Falk", "cue")]


def test_the_subject_of_the_main_clause_not_of_a_leading_clause_introduces_a_quote():
    got = who("Ever since she backed Mayor Ruth Ocampo in March, Councillor Ines Varga has been a busy "
              "campaigner with one message for volunteers: “Knock on every door.”")
    assert got == [("Ines Varga", "adjacent")]


def test_an_infinitive_cue_takes_the_clause_subject_unless_nothing_was_said():
    assert who("The hearing was so calm that Judge Anton Reyes was moved to say, “This is a model of order.”") == [
        ("Anton Reyes", "cue")]
    assert who("Councillor Mia Holm declined to say whether she agreed that the plan was “a good one,” "
               "a spokesman said.")[0][0] != "Mia Holm"


# ----------------------------------------------------------------------- organisations speak
@pytest.mark.parametrize("text, speaker", [
    ("HarbourLink said in a statement: “We look forward to having everyone back at work.”", "HarbourLink"),
    ("NTSB said: “We look forward to the final report.”", "NTSB"),
    ("Residents said: “We look forward to quiet nights.”", None),     # a common noun opening a sentence
])
def test_an_organisation_opening_its_sentence_is_a_speaker_when_shaped_like_a_name(text, speaker):
    assert who("The strike at the depot ended on Friday.", text)[0][0] == speaker


# ------------------------------------------------------------------------ labels and transcripts
def test_a_name_labelling_a_quote_with_a_colon_is_its_speaker():
    got = who("Forecasters disagree - Nadia Okafor: “The storm will turn north before it reaches the coast.”",
              "Harbour Board: “All ferries are cancelled until Monday.”")
    assert got == [("Nadia Okafor", "adjacent"), ("Harbour Board", "adjacent")]


def test_a_short_name_opening_its_sentence_as_the_subject_is_a_title():
    assert kinds("“Harbour Nights” was renewed for a third season on Monday.") == [("“Harbour Nights”", "title")]
    # Words someone said open a sentence too, but end in their own punctuation or meet a cue.
    assert kinds("“We are ready,” the captain said.") == [("“We are ready,”", "speech")]
    assert kinds("“Ready” said the sign on the door.") == [("“Ready”", "speech")]


def test_an_opening_curly_mark_typed_as_the_closer_closes_the_quote():
    got = kinds("“It is over,“ the skipper said, and “we sail at dawn.”")
    assert [text for text, _ in got] == ["“It is over,“", "“we sail at dawn.”"]


def test_the_writers_and_i_quote_aside_is_not_the_cue():
    got = who("Councillor Edda Lind spoke at the harbour on Monday.",
              "No wonder Lind said, and I quote, “We love the fog.”")
    assert got == [("Edda Lind", "cue")]


def test_a_surname_that_is_also_a_word_of_origin_stays_in_the_name():
    from exporter.reader._quote_names import clean_run

    assert clean_run("Nora Irish")[0] == "Nora Irish"
    assert clean_run("Irish Prime Minister Nora Walsh")[0] == "Nora Walsh"
    got = who("“We will open the harbour,” said Nora Irish, the port director.")
    assert got == [("Nora Irish", "cue")]


# ------------------------------------------------------------------------- interviews (Q and A)
def test_an_answer_after_a_question_is_not_given_the_interviewer():
    got = who("“Will you run for mayor again?” the presenter, Ola Berg, asked Councillor Rina Voss.",
              "“Not this time. I want to finish the harbour first.”")
    assert got[0] == ("Ola Berg", "cue")
    assert got[1][0] != "Ola Berg"           # the answer is the guest's, or nobody's: never the host's


# ------------------------------------------------------------- honorifics and role nouns
def test_an_honorific_and_surname_is_the_full_name_given_earlier():
    got = who("Dr. Selma Alvarsson runs the clinic on the island.",
              "“We need two more nurses,” Dr. Alvarsson said.",
              "Mr. Tobias Brandvold, who chairs the board, agreed.",
              "“The money is there,” Mr. Brandvold said.")
    assert got == [("Selma Alvarsson", "cue"), ("Tobias Brandvold", "cue")]


def test_a_role_noun_refers_to_the_person_the_article_gave_that_role():
    got = who("Senator Dana Whitlock of the coastal district opposed the bill on Tuesday.",
              "“It takes money from the harbour towns,” the senator said.")
    assert got == [("Dana Whitlock", "role")]
    # A demonym used as a description ("the Republican said") is a role noun too.
    got = who("Republican Tom Ekholm voted against the plan. Ekholm has sat on the council since 2010.",
              "“It is a mistake,” the Republican said.")
    assert got == [("Tom Ekholm", "role")]


def test_scare_quotes_are_terms_not_speech():
    assert kinds("Campaigns now rely on a “super fund” to pay for their advertising, the report said.") == [
        ("“super fund”", "term")]


def test_both_pieces_of_a_quote_broken_by_an_inverted_cue_get_its_speaker():
    got = who("“The risk,” said Ines Marr, an economist at the harbour board, “is that ships go elsewhere.”")
    assert [speaker for speaker, _ in got] == ["Ines Marr", "Ines Marr"]


def test_a_participle_goes_with_the_cue_right_before_it_not_the_first_name():
    got = who("Mayor Ruth Ocampo and Councillor Ivo Brandt will meet next week, spokesman Teo Lund said, "
              "adding, “They need to sit down and talk.”")
    assert got == [("Teo Lund", "cue")]


def test_a_cue_in_a_leading_clause_does_not_name_the_speaker_of_the_main_clause():
    got = who("Mayor Ruth Ocampo and Councillor Ivo Brandt debated the ferry on Monday.",
              "When Ocampo suggested that the ferry should stop in winter, Brandt fired back: “The island needs it most then.”")
    assert got == [("Ivo Brandt", "adjacent")]


def test_a_new_sentence_after_a_question_introduces_the_next_quote():
    got = who("Mayor Ruth Ocampo wrote to her deputy, Ivo Brandt, on Monday.",
              "Ocampo replies to Brandt with, “Why now? Was that on my list?” Brandt then writes back, “It was.”")
    assert got == [("Ruth Ocampo", "cue"), ("Ivo Brandt", "cue")]
