"""Text helpers shared by quote marking and speaker attribution.

Both stages work on a paragraph as one string plus the character spans of its top-level quotes.
Nothing here raises on odd text: every scan is a single left-to-right pass (linear time).
"""
from __future__ import annotations

from dataclasses import replace

import re
import sys
from collections.abc import Iterator
from typing import NamedTuple

from exporter.ast import (
    Block, BlockQuote, Break, Emphasis, Heading, Inline, Link, ListBlock, Paragraph, Quote, Rule,
    Strong, Text, UnknownNodeError, inline_text, iter_inline_runs,
)

OPENING_MARK_RE = re.compile(r"\s*(?:“|„|«|``|''|\"|”(?=\w))")

# Speech cue verbs in every form the corpus of English news uses.  "call" is here because
# "X called it a ..." reports words; "according to" is handled as a phrase.
_CUE_STEMS = {
    "say": "say says said saying",
    "tell": "tell tells told telling",
    "add": "add adds added adding",
    "write": "write writes wrote writing written",
    "warn": "warn warns warned warning",
    "call": "call calls called calling",
    "ask": "ask asks asked asking",
    "reply": "reply replies replied replying",
    "respond": "respond responds responded responding",
    "answer": "answer answers answered answering",
    "explain": "explain explains explained explaining",
    "note": "note notes noted noting",
    "argue": "argue argues argued arguing",
    "insist": "insist insists insisted insisting",
    "claim": "claim claims claimed claiming",
    "declare": "declare declares declared declaring",
    "announce": "announce announces announced announcing",
    "state": "stated",
    "tweet": "tweet tweets tweeted tweeting",
    "report": "reported reports",
    # Speech acts that report words as well ("praised the “relentless” second half").
    "praise": "praise praises praised praising",
    "hail": "hailed hailing",
    "criticise": "criticised criticized criticising criticizing",
    "slam": "slammed slamming",
    "blast": "blasted",
    "condemn": "condemned condemning",
    "accuse": "accused accusing",
    "dismiss": "dismissed",
    "welcome": "welcomed welcoming",
    "label": "labelled labeled labeling labelling",
    # A few cue verbs of the other languages the reader detects (fr, de, es, it, pt, nl).
    "fr": "dit déclare déclaré explique expliqué affirme affirmé ajoute ajouté estime souligne souligné "
          "raconte raconté confie confié précise précisé indique indiqué assure assuré",
    "de": "sagte sagt erklärte erklärt betonte betont meinte sagten",
    "es": "dijo afirmó explicó señaló aseguró añadió declaró",
    "it": "detto dichiarato spiegato affermato",
    "pt": "disse afirmou explicou",
    "nl": "zei zegt verklaarde",
    "post": "posted",
    "recall": "recall recalls recalled recalling",
    "continue": "continued continues",
    "conclude": "concluded",
    "admit": "admit admits admitted admitting",
    "acknowledge": "acknowledge acknowledges acknowledged acknowledging",
    "predict": "predict predicts predicted predicting",
    "promise": "promise promises promised promising",
    "vow": "vow vows vowed vowing",
    "suggest": "suggest suggests suggested suggesting",
    "describe": "describe describes described describing",
    "complain": "complain complains complained complaining",
    "joke": "joke jokes joked joking",
    "quip": "quip quips quipped quipping",
    "boast": "boast boasts boasted boasting",
    "shout": "shout shouts shouted shouting",
    "chant": "chant chants chanted chanting",
    "tout": "tout touts touted touting",
    "urge": "urge urges urged urging",
    "mention": "mention mentions mentioned mentioning",
    "remark": "remarked",
    "observe": "observe observes observed observing",
    "quote": "quote quotes quoted quoting",
    "counter": "counter counters countered countering",
    "assert": "assert asserts asserted asserting",
    "contend": "contend contends contended contending",
    "emphasize": "emphasize emphasizes emphasized emphasizing emphasise emphasised",
    "stress": "stressed stressing",
    "thunder": "thundered",
    "scoff": "scoffed",
    "lament": "lamented",
    "muse": "mused",
    "recount": "recounted",
    "wonder": "wondered",
    "whisper": "whispered",
    "yell": "yelled",
    "cry": "cried cries crying",
    "reiterate": "reiterated",
    "confirm": "confirmed",
    "deny": "denied",
    # Verbs of saying that news uses for a quote's speaker as often as "said".
    "caution": "cautioned cautioning",
    "echo": "echoed",
    "opine": "opined",
    "interject": "interjected interjecting",
    "retort": "retorted",
    "concede": "conceded",
    "exclaim": "exclaimed",
    "proclaim": "proclaimed",
    "testify": "testified",
    "remember": "remembered",
    "speak": "spoke speaks",
}
CUE_WORDS: frozenset[str] = frozenset(w for forms in _CUE_STEMS.values() for w in forms.split())
# Participles and bare forms whose subject is the clause's subject, never the word before them.
PARTICIPLE_CUES = frozenset(w for w in CUE_WORDS if w.endswith("ing"))
ACCORDING_TO = ("according", "According", "selon", "Selon", "laut", "Laut", "según", "Según",
                "secondo", "Secondo", "volgens", "Volgens")


# Cue words are looked up in a set, token by token: as one regular expression they were an
# alternation of some 400 words that cost ~3 ms to compile at every start-up (twice: speakers.py
# embedded it again).  Only the multi-word cues stay a (small) pattern.  A candidate is a cue phrase
# or any whole word; which candidates are cues is decided by ``is_cue``.
_CUE_PHRASES = (r"according to|in (?:a|an|the|his|her|their) (?:statement|interview|tweet|post|speech|"
                r"letter|email|e-mail|release)|According to|puts? it|pointed out|(?:issued|released) (?:a|an) (?:\w+ )?statement")
CUE_CANDIDATE = rf"(?<![\w-])(?:(?:{_CUE_PHRASES})\b|\w+)"   # no groups (embedded in other patterns); never inside a compound ("non-answer")
# The one-word "according to" of other languages ("selon X", "laut X").
_ACCORDING_WORDS = frozenset(ACCORDING_TO) - {"according", "According"}


def is_cue(candidate: str) -> bool:
    """Whether a match of ``CUE_CANDIDATE`` is a cue: a cue phrase (the only candidates with a
    space), a cue word, or a one-word "according to"."""
    return candidate in CUE_WORDS or candidate in _ACCORDING_WORDS or " " in candidate


class CueFinder:
    """Speech cues ("said", "told", "according to", "in a statement") as whole words, with the
    ``search`` / ``match`` / ``finditer`` of a compiled pattern (``pos`` and ``endpos`` included).
    Matches are those of ``CUE_CANDIDATE``; only the ones that are cues are returned."""

    def __init__(self) -> None:
        self._candidate = re.compile(CUE_CANDIDATE)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        # No cue overlaps a candidate that is not one (a word, or a phrase's first word), so
        # skipping whole candidates finds what a scan of the cues themselves finds.
        return (m for m in self._candidate.finditer(text, pos, endpos) if is_cue(m.group()))

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        m = self._candidate.match(text, pos, endpos)
        return m if m is not None and is_cue(m.group()) else None


CUES = CueFinder()


# (A NamedTuple, not a frozen dataclass: creating a dataclass costs ~0.4 ms of start-up.)
class Span(NamedTuple):
    """A top-level quote of a paragraph: its character range and kind."""
    start: int
    end: int
    index: int          # position of the Quote node in the paragraph's content tuple
    kind: str
    speaker: str | None
    closed: bool        # ends with a closing double mark


def flatten(content: tuple[Inline, ...]) -> tuple[str, list[Span]]:
    """The text of an inline run and the spans of the Quote nodes directly in it."""
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    for index, node in enumerate(content):
        match node:
            case Text(text=t):
                piece = t
            case Quote(kind=kind, speaker=speaker, content=c):
                piece = inline_text(c)
                closed = piece.rstrip().endswith(("”", '"', "''", "»", "«", "’", "'")) and len(piece.strip()) > 1
                spans.append(Span(pos, pos + len(piece), index, kind, speaker, closed))
            case Emphasis(content=c) | Strong(content=c) | Link(content=c):
                piece = inline_text(c)
            case Break():
                piece = "\n"
            case _:
                raise UnknownNodeError(node, "flatten")
        parts.append(piece)
        pos += len(piece)
    return "".join(parts), spans


def masked(text: str, spans: list[Span]) -> str:
    """``text`` with every quote's inside blanked (its marks kept), so cue and name scans never
    read the quoted words; offsets are unchanged."""
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for sp in spans:
        out.append(text[last:sp.start])
        inner = text[sp.start:sp.end]
        if len(inner) >= 2:
            out.append('"' + " " * (len(inner) - 2) + ('"' if sp.closed else " "))
        else:
            out.append('"')
        last = sp.end
    out.append(text[last:])
    return "".join(out)


# A sentence ends at . ! ? (with any closing quote/bracket) followed by space and a capital or an
# opening mark; abbreviations such as "Mr." and initials do not end one.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]|[A-Z0-9])")
_ABBREV = frozenset("""mr mrs ms dr st sen rep gov gen lt col sgt capt prof jr sr inc co corp ltd no vs
u.s u.k u.n a.m p.m jan feb aug sept sep oct nov dec rev fr mt ft ave blvd dept est approx""".split())


def sentence_bounds(mtext: str) -> list[tuple[int, int]]:
    """Sentence ranges of a masked paragraph (quotes blanked, so their stops do not split)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(mtext):
        stop = m.start()
        word_start = stop
        while word_start > start and not mtext[word_start - 1].isspace():
            word_start -= 1
        word = mtext[word_start:stop].lower().strip("\"“(")
        if word in _ABBREV or (len(word) == 1 and word.isalpha()):
            continue
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(mtext) or not bounds:
        bounds.append((start, len(mtext)))
    return bounds


def iter_paragraph_blocks(blocks: tuple[Block, ...]):
    """Every block carrying inline content, in document order (inside block quotes and lists)."""
    return (block for block, _ in iter_inline_runs(blocks))


def map_blocks(blocks: tuple[Block, ...], fn) -> tuple[Block, ...]:
    """Rebuild ``blocks`` with ``fn(block) -> content`` applied to every paragraph and heading, in
    the same document order as :func:`iter_paragraph_blocks`."""
    out: list[Block] = []
    for block in blocks:
        match block:
            case Paragraph(content=c):
                new = fn(block)
                out.append(block if new is c else replace(block, content=new))
            case Heading(level=level, content=c):
                new = fn(block)
                out.append(block if new is c else Heading(level, new))
            case BlockQuote(content=inner):
                out.append(BlockQuote(map_blocks(inner, fn)))
            case ListBlock(ordered=ordered, items=items):
                out.append(ListBlock(ordered, tuple(map_blocks(item, fn) for item in items)))
            case Rule():
                out.append(block)
            case _:
                raise UnknownNodeError(block, "map_blocks")
    return tuple(out)
