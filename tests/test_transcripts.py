"""Interview transcripts without quote marks (exporter.reader._transcript), through the whole
reader.  Every article here is written for these tests."""
from __future__ import annotations

import json

from exporter.ast import Article, Paragraph, Quote, Text, inline_text
from exporter.reader import read_text
from exporter.reader._transcript import mark_transcripts

from support import INTERVIEW


def turns(text: str) -> list[tuple[str, str | None, str | None]]:
    """(paragraph text, speaker, evidence) of every body paragraph a speaker is given as a turn."""
    return [(inline_text(b.content), b.speaker, b.evidence) for b in read_text(text).body
            if isinstance(b, Paragraph) and b.speaker is not None]


def speech_quotes(text: str) -> list[tuple[str, str | None]]:
    """(quote text, speaker) of every outermost speech quote of the body."""
    return [(inline_text(n.content), n.speaker) for b in read_text(text).body if isinstance(b, Paragraph)
            for n in b.content if isinstance(n, Quote) and n.kind == "speech"]


BROADCAST = """Harbour mayor defends ferry plan

Mayor Ingrid Solberg spoke to the host of a morning programme, Tom Achebe, about the new ferry line.

TOM ACHEBE: The ferry will cost the city a great deal. Why now?

SOLBERG: Because the bridge is closing for two years, and people still need to get to work.

ACHEBE: Some residents say the timetable is too thin.

SOLBERG: We have listened, and the timetable will change.
"""


def test_name_labels_speak_their_lines_with_the_articles_full_name():
    assert turns(BROADCAST) == [
        ("TOM ACHEBE: The ferry will cost the city a great deal. Why now?", "Tom Achebe", "adjacent"),
        ("SOLBERG: Because the bridge is closing for two years, and people still need to get to work.",
         "Ingrid Solberg", "adjacent"),
        ("ACHEBE: Some residents say the timetable is too thin.", "Tom Achebe", "adjacent"),
        ("SOLBERG: We have listened, and the timetable will change.", "Ingrid Solberg", "adjacent"),
    ]


def test_a_turn_is_no_quotation_its_paragraph_reads_as_written_and_keeps_its_speaker_in_json():
    article = read_text(BROADCAST)
    assert speech_quotes(BROADCAST) == []
    line = next(b for b in article.body if isinstance(b, Paragraph) and inline_text(b.content).startswith("ACHEBE:"))
    assert line.content == (Text("ACHEBE: Some residents say the timetable is too thin."),)
    again = Article.from_json(article.to_json())
    assert again == article
    turn = next(b for b in json.loads(article.to_json())["body"] if b.get("speaker"))
    assert (turn["speaker"], turn["evidence"]) == ("Tom Achebe", "adjacent")
    prose = json.loads(article.to_json())["body"][0]
    assert set(prose) == {"type", "content"}          # prose paragraphs: the JSON bytes of before


def test_an_honorific_label_resolves_to_the_person():
    blocks = (Paragraph((Text("Dr. Lena Varga runs the clinic; Paul Odum chairs its board."),)),
              Paragraph((Text("DR. VARGA: We open at seven."),)),
              Paragraph((Text("ODUM: And we close when the last patient leaves."),)))
    out = mark_transcripts(blocks)
    assert [b.speaker for b in out] == [None, "Lena Varga", "Paul Odum"]




def test_questions_have_no_speaker_and_answers_are_the_interviewee_named_in_the_introduction():
    assert turns(INTERVIEW) == [
        ("A: The winter of the broken lantern. We kept the light going with oil lamps for a week.",
         "Agnes Morrow", "role"),
        ("A: Never. The sea is loud company.", "Agnes Morrow", "role"),
    ]


def test_answers_without_an_introduction_naming_someone_have_no_speaker():
    text = "Two rivers\n\nQ: Where were you born?\n\nA: By the river.\n\nQ: And now?\n\nA: By the sea.\n"
    assert turns(text) == [] and speech_quotes(text) == []


def test_an_answer_over_several_paragraphs_is_one_turn_but_not_a_stage_direction_or_the_prose_after():
    text = """A talk with the harbour master

Harbour master Rui Costa and reporter Jenny Lind walked the docks on Monday.

LIND: How old is the quay?

COSTA: Older than the town.

It was built for the salt trade, long before the railway came.

(CROSSTALK)

LIND: And the lighthouse on the point, the one the ferries steer by in the fog?

COSTA: That came later, after two ships went down on the rocks in the same winter.

The harbour board meets again in May to decide on the repairs to the old quay.
"""
    assert [(t[:20], s, e) for t, s, e in turns(text)] == [
        ("LIND: How old is the", "Jenny Lind", "adjacent"),
        ("COSTA: Older than th", "Rui Costa", "adjacent"),
        ("It was built for the", "Rui Costa", "continuation"),
        ("LIND: And the lighth", "Jenny Lind", "adjacent"),
        ("COSTA: That came lat", "Rui Costa", "adjacent"),
    ]
    # the stage direction is a plain paragraph of nobody's: not a heading, not a turn
    [direction] = [b for b in read_text(text).body if inline_text(b.content) == "(CROSSTALK)"]
    assert isinstance(direction, Paragraph) and direction.speaker is None


def test_ordinary_labels_are_not_speakers():
    text = """Council approves the budget

The council approved the budget on Tuesday after a long debate about the library.

Note: the vote was postponed once, in March.

Updated: this story now includes the final tally.

Photo: the council chamber during the vote.

UPDATE: The mayor signed the budget on Wednesday.

BREAKING NEWS: The library will stay open.

STAT OF THE WEEK: Nine votes to two.
"""
    assert turns(text) == []


def test_a_single_labelled_line_is_not_a_transcript():
    text = """Tenants win repairs

Landlord Karl Brandt agreed to fix the heating after tenants complained to the city in January.

BRANDT: The boilers will be replaced before the winter.

The city will inspect the building in October.
"""
    assert turns(text) == []


def test_list_labels_in_capitals_are_not_names():
    text = """Pros and cons of the new stadium

The city weighed the stadium plan for a year before the council voted on it.

PROS: more visitors and new jobs.

CONS: traffic and noise for the neighbours.
"""
    assert turns(text) == []


def test_a_label_before_a_quote_in_marks_is_left_to_the_quote_rules():
    text = """Coach answers critics

Coach Dana Whitfield and striker Omar Haddad spoke after the match.

WHITFIELD: “We played well in the second half.”

HADDAD: “The goal was for the fans.”
"""
    assert turns(text) == []
    assert speech_quotes(text) == [("“We played well in the second half.”", "Dana Whitfield"),
                                   ("“The goal was for the fans.”", "Omar Haddad")]


def test_quote_marks_inside_a_transcript_line_stay_nested_quotes():
    text = """A talk with the harbour master

Harbour master Rui Costa and reporter Jenny Lind walked the docks.

LIND: People call this the “old quay”. Why?

COSTA: Because it is older than the town.
"""
    article = read_text(text)
    line = next(b for b in article.body if isinstance(b, Paragraph) and inline_text(b.content).startswith("LIND:"))
    assert line.speaker == "Jenny Lind"
    assert [type(n).__name__ for n in line.content] == ["Text", "Quote", "Text"]


BROADCAST_WITH_DIRECTIONS = """Governor defends budget in interview

Governor Mary Talbot sat down with host Jake Turner on Sunday to discuss the state budget, which lawmakers passed late on Friday after weeks of argument over school funding and road repairs.

TURNER: Governor, thank you for joining us this morning.

TALBOT: Thank you, Jake. It's good to be here.

TURNER: Let's start with the budget. Critics say it cuts too deep.

TALBOT: I don't agree. We protected schools and we protected roads, and we did it without raising taxes on working families.

(CROSSTALK)

TURNER: But the teachers' union says otherwise.

TALBOT: They are wrong.

(BEGIN VIDEO CLIP)

UNIDENTIFIED FEMALE: We need more money for our classrooms.

(END VIDEO CLIP)

TURNER: What do you say to her?

TALBOT: I say we hear you, and we added forty million dollars for classrooms this year.

TURNER: Governor, thank you.

TALBOT: Thank you.
"""


def test_short_turns_and_stage_directions_keep_the_whole_interview_in_the_body():
    article = read_text(BROADCAST_WITH_DIRECTIONS)
    assert [d.reason for d in article.dropped] == ["title"]
    lines = [line for line in BROADCAST_WITH_DIRECTIONS.split("\n")[2:] if line.strip()]
    assert [inline_text(b.content) for b in article.body] == lines
    assert [b.speaker for b in article.body if inline_text(b.content).startswith("TALBOT:")] == ["Mary Talbot"] * 5



def test_court_testimony_q_dot_a_dot_lines_are_turns_and_no_heading():
    text = """Harbour master denies falsifying logs

Declan Moorhouse, 58, denies six counts of fraud relating to inspections at the port between 2021 and 2023.

Q. Did you inspect the crane on 14 March 2022?

A. Yes.

Q. The gate log shows you were in Aberdeen that day.

A. The log is wrong. It was often wrong.
"""
    article = read_text(text)
    assert all(isinstance(b, Paragraph) for b in article.body)
    assert [(t[:6], s, e) for t, s, e in turns(text)] == [("A. Yes", "Declan Moorhouse", "role"),
                                                          ("A. The", "Declan Moorhouse", "role")]


def test_initials_and_lettered_items_are_no_transcript():
    text = """Two plans for the harbour

The council will choose between two plans for the harbour when it meets in the spring.

A. Smith and B. Jones drew up the first plan, which keeps the old quay as it is.

A. Rahman drew up the second, which moves the ferry berth to the north side.
"""
    assert turns(text) == []
