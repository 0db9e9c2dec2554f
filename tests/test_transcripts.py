"""Interview transcripts without quote marks (exporter.reader._transcript), through the whole
reader.  Every article here is written for these tests."""
from __future__ import annotations

from exporter.ast import Paragraph, Quote, Text, inline_text
from exporter.reader import read_text
from exporter.reader._transcript import mark_transcripts


def transcript_quotes(text: str) -> list[tuple[str, str | None, str | None]]:
    """(quote text, speaker, evidence) of every outermost speech quote of the body."""
    article = read_text(text)
    out = []
    for block in article.body:
        if isinstance(block, Paragraph):
            for node in block.content:
                if isinstance(node, Quote) and node.kind == "speech":
                    out.append((inline_text(node.content), node.speaker, node.evidence))
    return out


BROADCAST = """Harbour mayor defends ferry plan

Mayor Ingrid Solberg spoke to the host of a morning programme, Tom Achebe, about the new ferry line.

TOM ACHEBE: The ferry will cost the city a great deal. Why now?

SOLBERG: Because the bridge is closing for two years, and people still need to get to work.

ACHEBE: Some residents say the timetable is too thin.

SOLBERG: We have listened, and the timetable will change.
"""


def test_name_labels_speak_their_lines_with_the_articles_full_name():
    got = transcript_quotes(BROADCAST)
    assert ("The ferry will cost the city a great deal. Why now?", "Tom Achebe", "adjacent") in got
    assert ("Because the bridge is closing for two years, and people still need to get to work.",
            "Ingrid Solberg", "adjacent") in got
    assert ("Some residents say the timetable is too thin.", "Tom Achebe", "adjacent") in got
    assert ("We have listened, and the timetable will change.", "Ingrid Solberg", "adjacent") in got


def test_the_label_stays_text_before_the_quote_and_the_line_reads_as_written():
    article = read_text(BROADCAST)
    line = next(b for b in article.body if isinstance(b, Paragraph) and inline_text(b.content).startswith("ACHEBE:"))
    assert isinstance(line.content[0], Text) and line.content[0].text == "ACHEBE: "
    assert inline_text(line.content) == "ACHEBE: Some residents say the timetable is too thin."


def test_an_honorific_label_resolves_to_the_person():
    blocks = (Paragraph((Text("Dr. Lena Varga runs the clinic; Paul Odum chairs its board."),)),
              Paragraph((Text("DR. VARGA: We open at seven."),)),
              Paragraph((Text("ODUM: And we close when the last patient leaves."),)))
    out = mark_transcripts(blocks)
    speakers = [n.speaker for b in out for n in b.content if isinstance(n, Quote)]
    assert speakers == ["Lena Varga", "Paul Odum"]


INTERVIEW = """Five questions for a lighthouse keeper

Lighthouse keeper Agnes Morrow has tended the Skerry light for thirty years. She talked with us about storms.

Q: What is the worst storm you remember?

A: The winter of the broken lantern. We kept the light going with oil lamps for a week.

Q: Do you ever get lonely?

A: Never. The sea is loud company.
"""


def test_questions_have_no_speaker_and_answers_are_the_interviewee_named_in_the_introduction():
    got = transcript_quotes(INTERVIEW)
    assert ("What is the worst storm you remember?", None, None) in got
    assert ("Do you ever get lonely?", None, None) in got
    assert ("The winter of the broken lantern. We kept the light going with oil lamps for a week.",
            "Agnes Morrow", "role") in got
    assert ("Never. The sea is loud company.", "Agnes Morrow", "role") in got


def test_answers_without_an_introduction_naming_someone_have_no_speaker():
    text = "Two rivers\n\nQ: Where were you born?\n\nA: By the river.\n\nQ: And now?\n\nA: By the sea.\n"
    got = transcript_quotes(text)
    assert [s for _, s, _ in got] == [None, None, None, None] and len(got) == 4


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
    assert transcript_quotes(text) == []


def test_a_single_labelled_line_is_not_a_transcript():
    text = """Tenants win repairs

Landlord Karl Brandt agreed to fix the heating after tenants complained to the city in January.

BRANDT: The boilers will be replaced before the winter.

The city will inspect the building in October.
"""
    assert transcript_quotes(text) == []


def test_list_labels_in_capitals_are_not_names():
    text = """Pros and cons of the new stadium

The city weighed the stadium plan for a year before the council voted on it.

PROS: more visitors and new jobs.

CONS: traffic and noise for the neighbours.
"""
    assert transcript_quotes(text) == []


def test_a_label_before_a_quote_in_marks_is_left_to_the_quote_rules():
    text = """Coach answers critics

Coach Dana Whitfield and striker Omar Haddad spoke after the match.

WHITFIELD: “We played well in the second half.”

HADDAD: “The goal was for the fans.”
"""
    got = transcript_quotes(text)
    assert ("“We played well in the second half.”", "Dana Whitfield") in [(t, s) for t, s, _ in got]
    # one quote per line: the quote in marks, not a transcript quote around it
    assert len(got) == 2


def test_quote_marks_inside_a_transcript_line_stay_nested_quotes():
    text = """A talk with the harbour master

Harbour master Rui Costa and reporter Jenny Lind walked the docks.

LIND: People call this the “old quay”. Why?

COSTA: Because it is older than the town.
"""
    article = read_text(text)
    line = next(b for b in article.body if isinstance(b, Paragraph) and inline_text(b.content).startswith("LIND:"))
    outer = line.content[1]
    assert isinstance(outer, Quote) and outer.speaker == "Jenny Lind"
    assert any(isinstance(n, Quote) for n in outer.content)
