"""Key quotes for a briefing: an editor's selection, not a dump.

Which quotes qualify (:func:`candidates`):
- speech quotes (outermost only) whose speaker the reader attributed;
- whole sentences: the text starts with a capital (or a letter of a script without case) and
  does not trail off ("…"); a comma, colon or dash left dangling where the attribution cut in
  becomes a full stop ("This was a deliberate killing of civilians," he said -> "…civilians.");
- at least :data:`MIN_WORDS` words; a longer quote is cut back to its first whole sentences within
  :data:`MAX_WORDS` words (one sentence longer than that is left out: it is not a row);
- balanced marks: a quote inside the quote is closed inside it;
- not a paraphrase in marks: a quote opening "He wrote that…" reports its speaker, it is not them.
- a transcript turn (a paragraph with a speaker, ``Paragraph.speaker``) qualifies the same way,
  without its label ("A: ", "TAPPER: "); a question does not (an interview's point is its answers).

How they are ranked, in one sentence (:func:`select`): within an article, quotes whose speaker was
named at the quote come before those found through a pronoun or an earlier sentence, then speakers
not yet chosen from that article, then fuller quotes (up to 30 words), then earlier ones; each
article gives at most ``per_article``, shared out one round per article at a time up to
``limit``, and the rows are shown in article order and reading order.

The reader records how it found a speaker (``Quote.evidence``: cue, adjacent, pronoun, role,
continuation); that is the confidence.  A quote without evidence (JSON written before it existed)
counts as sure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..ast import Article, Paragraph, Quote, inline_text, iter_inline_runs, iter_quotes

MIN_WORDS = 8
MAX_WORDS = 40
FULL_ENOUGH = 30                         # words beyond this do not make a quote rank higher
DEFAULT_PER_ARTICLE = 2
DEFAULT_LIMIT = 12

# How the speaker was found -> confidence tier (lower is surer).  Unknown evidence counts as sure.
EVIDENCE_TIER = {"cue": 0, "adjacent": 0, "role": 1, "continuation": 2, "pronoun": 2}

_OPENING = "\"'“„«‘‚‹"
_CLOSING = "\"'”“»’‘›"
_DANGLING = ",;:–—-"
_SENTENCE_END = ".!?"
_WORD = re.compile(r"\w", re.UNICODE)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"'”’»]?\s+(?=[\"'“‘«„]?[^\W\d_])")


@dataclass(frozen=True, slots=True)
class Candidate:
    block: int                           # index of the top-level body block
    position: int                        # reading order within the article
    speaker: str
    text: str                            # cleaned, without the outer marks
    words: int
    tier: int


def _strip_outer_marks(text: str) -> str:
    text = text.strip()
    if text[:1] in _OPENING:
        text = text[1:]
    if text[-1:] in _CLOSING and not (text[-1:] in "’'" and len(text) > 1 and text[-2].isalpha()):
        text = text[:-1]
    return text.strip()


def _word_count(text: str) -> int:
    return sum(1 for token in text.split() if _WORD.search(token))


def balanced(text: str) -> bool:
    """Every quotation mark inside ``text`` is opened and closed in order (apostrophes aside)."""
    stack: list[str] = []
    for index, ch in enumerate(text):
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        top = stack[-1] if stack else ""
        if ch in "„«‹‚":
            stack.append(ch)
        elif ch == "“":
            if top == "„":
                stack.pop()                     # German „…“
            else:
                stack.append(ch)
        elif ch == "‘":
            if top == "‚":
                stack.pop()                     # German ‚…‘
            else:
                stack.append(ch)
        elif ch in "”»›":
            if not stack:
                return False
            stack.pop()
        elif ch in "’'":
            if before.isalnum() and after.isalnum():
                continue                        # an apostrophe: don't, Russia's
            if top in ("‘", "'"):
                stack.pop()
            elif ch == "'" and not before.isalnum():
                stack.append(ch)
            # else an apostrophe after a word (Peters’)
        elif ch == '"':
            if top == '"':
                stack.pop()
            else:
                stack.append(ch)
    return not stack


def _first_letter_is_capital(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.isupper() or not ch.islower()      # scripts without case count as a start
        if ch.isdigit():
            return True
    return False


# A quote that opens by reporting someone in the third person ("He wrote that…") is the writer's
# paraphrase inside marks, not the attributed speaker's own words: its speaker is not a safe row.
_REPORTED = re.compile(r"^(?:he|she|they|it)\s+(?:said|says|wrote|writes|told|tells|added|adds|stated|argued|claimed)\b",
                       re.IGNORECASE)


def clean_quote(raw: str) -> str | None:
    """The quote as a key-quote row shows it (without outer marks), or None when it does not
    qualify as whole sentences of at least MIN_WORDS words with balanced marks."""
    text = " ".join(_strip_outer_marks(raw).split())
    if not text or not _first_letter_is_capital(text) or text.endswith(("…", "...")) or _REPORTED.match(text):
        return None
    text = text.rstrip(_DANGLING + " ")
    if not text:
        return None
    if text[-1] not in _SENTENCE_END and not (text[-1] in _CLOSING and text[-2:-1] in _SENTENCE_END):
        text += "."
    if _word_count(text) > MAX_WORDS:
        kept: list[str] = []
        for sentence in _SENTENCE_SPLIT.split(text):
            if _word_count(" ".join(kept + [sentence])) > MAX_WORDS:
                break
            kept.append(sentence)
        if not kept:
            return None
        text = " ".join(kept)
    if _word_count(text) < MIN_WORDS or not balanced(text):
        return None
    return text


def candidates(article: Article) -> list[Candidate]:
    """The article's quotes that qualify as key quotes, in reading order."""
    found: list[Candidate] = []
    position = 0
    for index, block in enumerate(article.body):
        if isinstance(block, Paragraph) and block.speaker and block.speaker.strip():
            position += 1
            text = clean_quote(_turn_words(block))
            if text is not None and not text.endswith("?"):
                found.append(Candidate(index, position, " ".join(block.speaker.split()), text,
                                       _word_count(text), _tier(block)))
        for _, content in iter_inline_runs((block,)):
            for quote, depth in iter_quotes(content):
                if depth or quote.kind != "speech" or not quote.speaker or not quote.speaker.strip():
                    continue
                position += 1
                text = clean_quote(inline_text(quote.content))
                if text is None:
                    continue
                found.append(Candidate(index, position, " ".join(quote.speaker.split()), text,
                                       _word_count(text), _tier(quote)))
    return found


def _turn_words(turn: Paragraph) -> str:
    """A transcript turn's words: a turn opens with its label ("A: ") unless it continues one."""
    text = inline_text(turn.content)
    return text if turn.evidence == "continuation" else text.partition(": ")[2]


def _tier(node: Quote | Paragraph) -> int:
    return EVIDENCE_TIER.get(node.evidence or "", 0)


def rank(found: list[Candidate], per_article: int) -> list[Candidate]:
    """An article's best ``per_article`` candidates, best first (the rule in the module doc)."""
    chosen: list[Candidate] = []
    left = list(found)
    while left and len(chosen) < per_article:
        speakers = {c.speaker.casefold() for c in chosen}
        texts = {c.text.casefold() for c in chosen}
        left = [c for c in left if c.text.casefold() not in texts]
        if not left:
            break
        best = min(left, key=lambda c: (c.tier, c.speaker.casefold() in speakers, -min(c.words, FULL_ENOUGH), c.position))
        chosen.append(best)
        left.remove(best)
    return chosen


def select(articles: list[Article], per_article: int = DEFAULT_PER_ARTICLE,
           limit: int = DEFAULT_LIMIT) -> list[tuple[int, Candidate]]:
    """``(article index, candidate)`` rows for a briefing of ``articles``, in display order."""
    ranked = [rank(candidates(article), max(0, per_article)) for article in articles]
    taken: list[tuple[int, Candidate]] = []
    round_number = 0
    while len(taken) < limit and any(round_number < len(r) for r in ranked):
        for index, best_first in enumerate(ranked):
            if round_number < len(best_first) and len(taken) < limit:
                taken.append((index, best_first[round_number]))
        round_number += 1
    return sorted(taken, key=lambda row: (row[0], row[1].position))
