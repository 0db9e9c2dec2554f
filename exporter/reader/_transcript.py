"""Interview transcripts without quote marks: ``NAME: text`` and ``Q: …`` / ``A: …`` lines.

A transcript is an exchange: at least two paragraphs open with a speaker label, and the labels
are at least two different names (``TAPPER: …`` / ``FALLIN: …``) or interviewer and interviewee
(``Q:`` / ``A:``, two such lines at least).  Each labelled paragraph is a *turn*: the paragraph
carries its speaker (``Paragraph.speaker``/``evidence``).  A turn is spoken, but it is no
quotation: it has no quote marks, so it is not a Quote node, is not highlighted as one, and a
whole interview does not read as a wall of quotes.

* a name label (capitals, honorific allowed: ``JAKE TAPPER``, ``TAPPER``, ``MR. SMITH``) speaks
  its own line: its speaker is that name in the fullest form the article gives (``TAPPER`` →
  "Jake Tapper"), evidence ``adjacent`` (the name next to the words, as for "Ana Ruiz: “…”");
  a one-word label must be a surname the article's prose names, and a label of several words must
  be a name once titles are stripped, so "UPDATE:", "STAT OF THE WEEK:", "EXCLUSIVE:" or
  "BREAKING NEWS:" never speak;
* ``A:`` is the interviewee: the first person the introduction (the paragraphs above the first
  ``Q:``/``A:`` line) names, evidence ``role`` (a role resolved to a person named earlier); none
  when the introduction names nobody;
* ``Q:`` is the interviewer, whom the body rarely names (a newspaper's staff, the byline): no
  speaker;
* an unlabelled paragraph between a turn and the next labelled line continues the turn (an answer
  over several paragraphs), evidence ``continuation``; a stage direction ("(CROSSTALK)") does not.

Ordinary "Note: …", "Updated: …", "Photo: …" lines are not labels (not capitals, or not names),
nor is a single labelled line.  A labelled line whose text is one quote already ("Ana Ruiz:
“…”") is left to the quote rules.  Quote marks inside a turn stay quote nodes with the speakers
the quote rules gave them.
"""
from __future__ import annotations

import re
from dataclasses import replace

from exporter.ast import Block, Inline, Paragraph, Text
from exporter.reader._quote_names import (
    FUNCTION_WORDS, HONORIFICS, ORG_HEADS, TITLE_WORDS, NameIndex, clean_run, mentions, surname,
)
from exporter.reader._quote_text import flatten
from exporter.reader.textutil import ends_sentence

# A label: one to four capitalised tokens (letters, dots, apostrophes, hyphens), a colon, text;
# or a court transcript's "Q." / "A.".
_LABEL = re.compile(r"(?:([A-Z][A-Z.'’\-]*(?: [A-Z][A-Z.'’\-]*){0,3}):|([QA])\.)[ \t]+(?=\S)")
_QA = frozenset({"Q", "A"})
# Capitals labels that announce what follows rather than who speaks.
_NOT_SPEAKERS = frozenset("""note notes update updated editor editor's editors correction clarification
photo photos video watch read listen more related source sources credit credits breaking news
exclusive alert warning byline email e-mail transcript date time where when what who why how ps
p.s. fact check claim verdict total step part chapter summary background disclosure look boom
busted bottom line tip tips key takeaway takeaways quote stat via""".split())


def _label(content: tuple[Inline, ...]) -> tuple[str, int] | None:
    """(label, length of "LABEL: ") when the paragraph opens with a label and has text after it."""
    first = content[0] if content else None
    if not isinstance(first, Text):
        return None
    m = _LABEL.match(first.text)
    if m is None or m.end() == len(first.text):
        return None                       # "ANA RUIZ: “…”": one quote after it, the quote rules' case
    label = m.group(1) or m.group(2)
    if any(ch.isdigit() for ch in label) or not any(ch.isalpha() and ch.isupper() for ch in label):
        return None
    if label not in _QA and (len(label.replace(".", "")) < 2 or not label.replace(".", "").replace(" ", "").isupper()):
        return None
    return label, m.end()


def turn_label(text: str) -> str | None:
    """The speaker label of a line that reads as a transcript's turn ("TALBOT: They are wrong.",
    "Q: Why now?"): a label that is not an announcement ("UPDATE:"), then words ending a
    sentence.  A contact line ("EMAIL: desk@example.com") ends no sentence."""
    found = _label((Text(text),))
    if found is None or not ends_sentence(text):
        return None
    label = found[0]
    if any(word.lower().strip(".") in _NOT_SPEAKERS for word in label.split()):
        return None
    return label


def dialogue_line(text: str) -> bool:
    """A short line such as "Q: Why now?" or "TAPPER: Why not debate?": a transcript's question,
    never a heading."""
    m = _LABEL.match(text)
    return m is not None and text.rstrip()[-1:] in "?!" and _label((Text(text),)) is not None


def _name_form(label: str) -> tuple[str, bool]:
    """The label as a name ("MR. SMITH" -> "Smith", "JAKE TAPPER" -> "Jake Tapper") and whether an
    honorific or title stood in front of it."""
    words = label.split()
    cased = " ".join(w[:1] + w[1:].lower() for w in words)
    cased = re.sub(r"(?<=['’\-])([a-z])", lambda m: m.group(1).upper(), cased)   # O'Donnell, Smith-Jones
    name, titles = clean_run(cased)
    return name, bool(titles)


def _speaker_label(label: str, names: NameIndex, surnames: dict[str, str]) -> str | None:
    """The speaker a name label gives, or None when the label is not a person's name."""
    words = [w.lower().strip(".") for w in label.split()]
    if any(w in _NOT_SPEAKERS or (w in FUNCTION_WORDS and w not in TITLE_WORDS) for w in words):
        return None
    name, titled = _name_form(label)
    if not name:
        return None
    known = surnames.get(surname(name).lower())
    if known is None:
        # A name the prose never uses: several words (a first name and a surname) or an honorific.
        if len(name.split()) < 2 and not (titled and words[0] in {h.strip(".") for h in HONORIFICS}):
            return None
        return name
    forms = names.forms.get(known, {})
    wanted = [w.lower() for w in name.split()]
    same = [f for f in forms if [w.lower() for w in f.split()] == wanted]
    return names.full(same[0] if same else known)


def mark_transcripts(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Return ``blocks`` with the turns of an interview transcript given their speakers (see module)."""
    labelled = []
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            found = _label(block.content)
            if found is not None:
                labelled.append((i, *found))
    if len(labelled) < 2:
        return blocks
    texts = {i: flatten(b.content)[0] for i, b in enumerate(blocks) if isinstance(b, Paragraph)}
    starts = {i: cut for i, _, cut in labelled}
    names = NameIndex()
    for i, text in texts.items():
        for m in mentions(text[starts.get(i, 0):]):
            names.add(m, text[starts.get(i, 0):])
    names.finish()
    surnames = {last.lower(): last for last, counter in names.forms.items()
                if last in names.persons or any(len(f.split()) > 1 for f in counter)}

    speakers: dict[int, tuple[str | None, str | None]] = {}
    qa = [(i, label) for i, label, _ in labelled if label in _QA]
    if len(qa) >= 2 and {label for _, label in qa} == _QA:     # questions and answers both
        first = qa[0][0]
        interviewee = None
        for i in sorted(texts):
            if i >= first:
                break
            # The introduction's first person: one the article shows is a person, or a first name
            # and a surname ("Keeper Agnes Morrow has tended …"), not a body ("City Council").
            person = next((m.name for m in mentions(texts[i]) if names.is_person(m.name) or (
                len(m.name.split()) >= 2 and not any(w.lower() in ORG_HEADS for w in m.name.split()))), None)
            if person:
                interviewee = names.full(person)
                break
        for i, label in qa:
            speakers[i] = (interviewee, "role") if label == "A" and interviewee else (None, None)
    named = {}
    for i, label, _ in labelled:
        if label not in _QA:
            who = _speaker_label(label, names, surnames)
            if who is not None:
                named[i] = who
    if len(named) >= 2 and len(set(named.values())) >= 2:
        speakers.update((i, (who, "adjacent")) for i, who in named.items())
    if not speakers:
        return blocks

    out = list(blocks)
    turns = sorted(i for i in speakers if speakers[i][0] is not None)
    for i in turns:
        out[i] = replace(blocks[i], speaker=speakers[i][0], evidence=speakers[i][1])
    # An answer running over paragraphs: the unlabelled paragraphs up to the next labelled line
    # are the same turn.  Not after the last labelled line (the article's own prose may follow),
    # and not a stage direction ("(CROSSTALK)", "[VIDEO CLIP]") or a line in capitals.
    labelled_at = [i for i, _, _ in labelled]
    for i, following in zip(labelled_at, labelled_at[1:]):
        if i not in turns:
            continue
        for j in range(i + 1, following):
            if isinstance(blocks[j], Paragraph) and _continues_turn(texts.get(j, "")):
                out[j] = replace(blocks[j], speaker=speakers[i][0], evidence="continuation")
    return tuple(out)


def _continues_turn(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and stripped[0] not in "([" and not stripped.isupper()
