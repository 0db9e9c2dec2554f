"""Speaker attribution for speech quotes, by rules (no model), in this order of evidence:

1. a cue in the quote's own sentence — “…,” X said / said X / X said: “…” / X told Y “…” /
   X said the … was “…” / according to X / “…” if …, said X — whose speaker is the *subject of
   the cue's clause*: walking left from the cue over auxiliaries and adverbs ("was quoted as
   telling") and over an apposition (", who …,") to a name or pronoun; a coordinated, participle
   or infinitive cue ("… and said", ", saying", "was moved to say") takes the subject of its
   (main) clause, never the nearest name;
2. a pronoun (he, she) resolves to the subject of the nearest earlier sentence that names a
   person, a role noun ("the senator") to the one person the article gives that role;
3. the lines next to the quote: a label ("Ana Ruiz: “…”"), a dash-and-name line below it
   ("— Ana Ruiz"), a paragraph ending in a colon above it ("Stated Ruiz:");
4. a quote without any of these continues the speaker of an earlier quote of its paragraph, or
   of the previous paragraph when that one quotes or reports someone's speech; a quote running
   over paragraphs keeps its speaker.

Each speaker carries the evidence it was found by (``Quote.evidence``: cue, pronoun, role,
adjacent, continuation), so a consumer can show only the kinds it trusts.  Names come out in the
fullest form the article uses, titles stripped.  A source the article does not name but describes
in the cue's clause ("said a State Department official", "one senior Democrat said") is that
description as written: it is all the article says of the speaker, and a name inside it ("a
spokesman for X") is not the speaker.  Where no rule gives a person the speaker stays None: a wrong
name is worse than none.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from exporter.ast import Block, Inline, Quote
from exporter.reader._quote_names import (
    ORG_HEADS, PERSON_TITLES, ROLE_WORDS, TITLE_WORDS, NameIndex, iter_mentions, mentions,
)
from exporter.reader._quote_text import (
    ACCORDING_TO, CUE_CANDIDATE, CUES, PARTICIPLE_CUES, Span, flatten, is_cue, iter_paragraph_blocks, map_blocks,
    masked, sentence_bounds,
)
from exporter.reader.textutil import ATTRIBUTION_LINE, LazyPattern

_TOK = re.compile(r"[\w’'.\-\u00ad]+|[,;:—–()\"“”]")
_AUX = frozenset("""has have had was were is are be been being will would could should may might must
also then later again once previously recently repeatedly reportedly publicly privately quoted as not
never ever often frequently always famously first just even still did does do has already simply
further flatly bluntly angrily quickly told""".split()) - {"told"}
_TIME_WORDS = frozenset("""monday tuesday wednesday thursday friday saturday sunday today yesterday
tonight night morning afternoon evening week weekend month year""".split())
_PREPOSITIONS = frozenset("""with to of for from by about against on at in into after before than like
between among toward towards under over via including despite during behind beside besides near
without within upon onto per amid unlike""".split())
_COORD = frozenset({"and", "but", "or", "then", "yet"})
_DOCUMENT_NOUNS = frozenset("""report statement study survey analysis filing release memo letter
document ruling verdict complaint lawsuit indictment editorial""".split())
_DETERMINERS = frozenset("the a an le la les l' der die das el los las il lo".split())
_DETERMINER_BEFORE = [[w] for w in ("a", "an", "the", "his", "her", "their", "its", "A", "An", "The")]
_CLAUSE_WORDS = frozenset("""when while as after before because since if and but or that which who
where though although until unless so whereas whether""".split())
# Third-person singular subject pronouns and the gender each points to ("„…“, sagte er",
# "« … », a-t-elle dit" as well as "he said").
_PRONOUN_GENDER = {"he": "m", "she": "f", "er": "m", "sie": "f", "il": "m", "elle": "f", "él": "m", "ella": "f",
                   "lui": "m", "lei": "f", "hij": "m", "zij": "f", "ele": "m", "ela": "f"}
_SUBJECT_PRONOUNS = frozenset(_PRONOUN_GENDER)
# A definite role in apposition before a name, in the languages the reader knows:
# "the mayor, ", "its chief economist, ", "le maire, ", "la alcaldesa, ", "der Bürgermeister, ".
_ROLE_APPOSITION = re.compile(
    r"(?:(?:the|its|his|her|their|our|le|la|les|sa|son|leur|el|los|las|su|der|die|das|den|dem|sein|seine|"
    r"ihr|ihre|il|lo|gli|o|a|os|as)\s+|l[’'])((?:[^\W\d_][\w’'-]*\s+){0,3}[^\W\d_][\w’'-]*),\s+", re.IGNORECASE)
_BARE_CUE = re.compile(r"(\w+)\s*(?:[.;]|$)")   # a cue verb alone ending the sentence: "«…», dijo."
# Words read out from a document: "read to the jury from an email", "quoting from his diary".
_READ_FROM = re.compile(r"\b(?:read|reads|reading|quoted|quoting)\b(?:\s+[\w’']+){0,4}?\s+from\s+(?:(?:an?|the|his|her|their|its)\s+)?"
                        r"(?:[\w-]+\s+)?(?:e-?mails?|letters?|messages?|notes?|memos?|texts?|posts?|tweets?|diary|diaries)\b")
_DOCUMENT_SAYS = re.compile(r"\b(?:e-?mail|letter|message|note|memo|card|sign|text)s?\s+(?:read|reads|said|says)\s*:\s*$")
_WROTE = re.compile(r"\s+(?:had\s+)?(?:sent|wrote|written|posted|tweeted|signed)\b")
_POSSESSIVE_END = re.compile(r"[’']s?$")     # a mention that ends in a possessive: "Hallmark’s"
# Before "to say": the words were not (or not yet) said, or someone else was asked to say them.
_NOT_SAYING = frozenset("""declined refused failed want wants wanted hope hopes hoped hoping plan plans
planned trying tried expected expect going unwilling unable reluctant asked urged told pressed forced
invited allowed able likely nothing something anything""".split())
_SUBORDINATORS = frozenset("since ever when while after before although though because if once as".split())
_OTHER_PRONOUNS = frozenset({"they", "we", "i", "you", "it", "who", "which"})
_REJECT_AFTER_STOP = frozenset({"that", "he", "she", "they", "it", "the", "a", "an", "we", "i", "his", "her"})
_MAX_BACK_SENTENCES = 40
_MAX_PRONOUN_CHAIN = 12       # pronoun -> sentence subject -> pronoun … resolved this deep at most
# Every scan reads a bounded window, so a megabyte paragraph costs linear time.
_LEFT_WINDOW = 400        # characters read leftwards from a cue or a quote
_SUBJECT_WINDOW = 600     # characters of a sentence's start read for its subject
# "said X", "also said X": an auxiliary (never a cue itself), then a cue candidate (group 1).
_INVERTED = re.compile(r"(?:(?:also|then|later|a|ont|avait|hat|ha|hanno|heeft)\s+)?(" + CUE_CANDIDATE + r")\s+")
_SAID_FIRST = re.compile(r"(?:Said|Added|Asked|Says|Wrote|Replied|Explained)\s+")
_SAID_PRONOUN = re.compile(r",?\s+(?:\w+ly\s+)?(?:said|says|told \w+|added|wrote|thinks|thought|believes|"
                           r"insisted|argued|noted|explained|claimed|stated|admitted|recalled)\s+(?:that\s+)?(he|she)\b")
_OPENING_PRONOUN = re.compile(r"[\s\"“]*(He|She)\b")
_ACCORDING_AFTER = re.compile(r"(?:according to|selon|laut|según|secondo|volgens)\s+", re.IGNORECASE)
_FOR_X = re.compile(r"\s*(?:For|Pour|Für|Para|Per|Voor)\s")
_FINAL_CUE = re.compile(r",\s+(\w+)\s+")          # ", said Jo Park" (the word checked with is_cue)
# "by Tom Reed", "by the Gazette's Tom Reed", "by The Daily Post’s Tom Reed" right before a name.
_BY_WRITER = re.compile(r"\bby\s+(?:(?:[Tt]he\s+)?(?:[A-Z][\w.&-]*\s+){0,4}[A-Z][\w.&-]*(?:['’]s?)\s+)?$")
_LEAD = re.compile(r"[\s,—–―-]*")
# Irregular past tenses that report words with a particle ("shot back", "broke in").
_IRREGULAR_PAST = r"(?:shot|hit|struck|broke|cut|chimed|spoke|wrote|went)\s+(?:back|in|up|on|out)\b"
# Any verb straight after a name that follows a broken-off quote: a past tense, or a present tense
# ending the clause ("Vitter demanded.", "Smith recalls,"), never a noun ("White House press").
_VERB_FORM = r"(?:" + _IRREGULAR_PAST + r"|[a-z]{2,}ed\b|[a-z]+[^s\W]s\b(?=\s*(?:[.,;:!?]|$)))(?![’'-])"
_NEXT_VERB = LazyPattern(r"\s+(?:[a-z]+ly\s+)?" + _VERB_FORM)     # only for a name after a broken-off quote
_CLOSING_NAME_CUE = re.compile(r",\s+([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\s+(\w+)\.?$")
_DESCRIBED_NAME = re.compile(r"(?:an?|the)\s+(?:[a-z][a-z-]+\s+){1,2}")
_INVERTED_PAST = re.compile(r"(?:[a-z]{3,}ed|[a-z]{2,}[^s\W]s)\s+")
# "Ruiz cracked, “…”", "Ruiz agreed. “…”": a name and a past tense alone introduce the quote.
_VERB_BEFORE_QUOTE = re.compile(r"(" + _IRREGULAR_PAST + r"|[a-z]{3,}ed|[a-z]{3,}ing|[a-z]{2,}[^s\W]s)"
                                r"(?:\s+(?:in|out|up|back|on|again|too|later|simply|only|first))?\s*[,:]?\s*$")
_PRONOUN_VERB = re.compile(r"(he|she|He|She)\s+(?:[a-z]+ly\s+)?" + _VERB_FORM)


def _inverted_cue(text: str, pos: int, endpos: int) -> re.Match[str] | None:
    """An inverted cue ("said Smith") at ``pos``: the match, with the cue as group 1, or None.
    When the candidate after an auxiliary is no cue there is none: the auxiliary is not one either."""
    m = _INVERTED.match(text, pos, endpos)
    return m if m is not None and is_cue(m.group(1)) else None


_WORD_CHAR = re.compile(r"[^\W_]")


def _has_word(text: str, start: int, end: int) -> bool:
    """Whether a quote holds any word at all (a pair of bare marks quotes nobody)."""
    return _WORD_CHAR.search(text, start, end) is not None


_DEMONYM = LazyPattern(r"(?:man|woman|ian|ean|ese|ard|can|ite)$")      # rarely reached
_DEMONYM_WORDS = frozenset("""Republican Democrat Briton Brit Scot Tory Conservative Liberal Socialist
Swede Dane Finn Pole Turk Greek Czech Kiwi Aussie Israeli Iraqi Saudi Pakistani Afghan Thai
Independent Green Nationalist Unionist Catholic Muslim Jew Christian""".split())


def _is_demonym(word: str) -> bool:
    """"Dutchman", "Republican": a description of a person, not a name ("the Times" is a name)."""
    return word in _DEMONYM_WORDS or (_DEMONYM.search(word) is not None and len(word) > 4)


# An unnamed source described by an indefinite noun phrase ("a State Department official",
# "one senior Democrat", "a spokesman for the campaign"): the article's whole attribution of the
# words, so it is the speaker as written rather than no speaker, or a name inside the phrase.
_DESCRIPTION_DETERMINERS = frozenset({"a", "an", "one", "another"})
_DESCRIPTION_HEADS = (ROLE_WORDS - {"state", "head", "general", "forward", "chief", "star", "mate", "guard", "chair"}) | \
    frozenset("""person source member staffer employee expert operative lawmaker insider donor organizer
    organiser volunteer democrat republican man woman diplomat delegate protester protestor attendee
    participant observer critic ally confidant historian spokesperson negotiator assistant""".split())
# A complement that stays part of the description: "a spokesman for X", "a person close to X".
_DESCRIPTION_LINKS = frozenset({"for", "to", "at", "of", "with", "from", "in"})
_DESCRIPTION_ADJ_LINKS = frozenset({"familiar", "close"})
_DESCRIPTION_TOKEN = re.compile(r"[\w’'\-&.]+|[^\w\s]")


def _description_at(text: str, pos: int, end: int) -> tuple[str, int] | None:
    """An indefinite description of a person starting at ``pos`` (before ``end``): its text, with a
    lowercase determiner, and where it ends; None when the words there are not one."""
    tokens = list(_DESCRIPTION_TOKEN.finditer(text, pos, min(end, pos + 160)))
    if not tokens or tokens[0].group().lower() not in _DESCRIPTION_DETERMINERS:
        return None
    head = None
    i = 1
    # Modifiers and the head noun: the last person noun of the run of plain words.
    while i < len(tokens) and i <= 7:
        word = tokens[i].group()
        low = word.lower().rstrip(".")
        if not word[:1].isalnum() or low in _CLAUSE_WORDS or low in _PREPOSITIONS or low in _AUX \
                or low in _DESCRIPTION_ADJ_LINKS or is_cue(word) or low in _DETERMINERS:
            break
        if low in _DESCRIPTION_HEADS:
            head = i
        i += 1
    if head is None or head == 0:
        return None
    stop = tokens[head].end()
    j = head + 1
    if j < len(tokens) and tokens[j].group().lower() in _DESCRIPTION_ADJ_LINKS:
        j += 1
    if j < len(tokens) and tokens[j].group().lower() in _DESCRIPTION_LINKS and j + 1 < len(tokens):
        # The complement: a short noun phrase up to a comma, a clause word or a verb of saying.
        k = j + 1
        while k < len(tokens) and k - j <= 5:
            word = tokens[k].group()
            low = word.lower()
            if not word[:1].isalnum() or low in _CLAUSE_WORDS or is_cue(word) or low in _AUX \
                    or (low in _PREPOSITIONS and k > j + 1):
                break
            k += 1
        if k > j + 1 and (k == len(tokens) or tokens[k].group() in (",", ".", ";", ":", ")") or
                          tokens[k].group().lower() in _CLAUSE_WORDS or is_cue(tokens[k].group())
                          or tokens[k].group().lower() in _AUX):
            stop = tokens[k - 1].end()
    phrase = " ".join(text[pos:stop].split())
    if phrase.endswith(".") and not re.search(r"(?:\b[A-Z]\.)+$", phrase):
        phrase = phrase[:-1]        # the sentence's stop, not an abbreviation ("U.S.")
    return phrase[:1].lower() + phrase[1:], stop


_ASKED = re.compile(r"\bask(?:ed|s|ing)\b")


def _asks(p: _Para, k: int) -> bool:
    """Whether quote ``k`` of the paragraph is a question (its words end in a question mark)."""
    sp = p.spans[k]
    return p.text[sp.start:sp.end].rstrip("”\"'’» ").endswith("?")


def _name_shaped(word: str) -> bool:
    """A word that is a name wherever it stands: an acronym ("NRA") or inner capitals ("PolitiFact")."""
    return len(word) >= 2 and (word.isupper() or any(ch.isupper() for ch in word[1:]))


def _starts_sentence(text: str, lo: int, pos: int) -> bool:
    """Whether only spaces and opening marks stand between a sentence start (or ``lo``) and ``pos``."""
    before = text[max(lo, pos - 40):pos].rstrip(" \u00a0“\"‘'(")
    return before == "" or before[-1] in ".!?:;\n"


def _has_stop(text: str) -> bool:
    """A sentence stop inside ``text`` (abbreviations such as "Mr." and "Fla." are not stops)."""
    if re.search(r"[!?;]\s", text):
        return True
    for m in re.finditer(r"(\S*)\.\s", text):
        word = m.group(1).lstrip("(")
        if not (word[:1].isupper() and len(word) <= 4) and not re.fullmatch(r"(?:[A-Za-z]\.-?)*[A-Za-z]", word):
            return True
    return False


_BROKEN_QUOTE_END = re.compile(r"[,?!—–…][”\"’'»]\s*$")


def _after_broken_quote(text: str, pos: int) -> bool:
    """Whether ``pos`` follows a quote that breaks off with a comma, ? or ! (“…,” Cuban said):
    the sentence goes on there, so a capitalised word is not its first."""
    return _BROKEN_QUOTE_END.search(text, max(0, pos - 6), pos) is not None


def _title_closes_with_comma(p: "_Para", end: int) -> bool:
    """Whether the quote ending at ``end`` is a title or term whose comma stands inside its
    closing mark (“Long Walk,”): the comma of the sentence around it."""
    k = bisect_left(p.starts, end) - 1
    if k < 0 or p.spans[k].end != end or p.spans[k].kind == "speech":
        return False
    return p.text[p.spans[k].start:end].rstrip("”\"'’» ").endswith(",")


class _Para:
    """A paragraph as attribution reads it: text, quote spans, masked text, sentence bounds, and
    the speakers found so far."""
    # (A plain class, not a dataclass: creating a dataclass costs ~0.3 ms of start-up.)

    def __init__(self, text: str, spans: list[Span], mtext: str, bounds: list[tuple[int, int]]) -> None:
        self.text = text
        self.spans = spans
        self.mtext = mtext
        self.bounds = bounds
        self.speakers: list[str | None] = []
        self.resolved: list[bool] = []
        self.cued: list[bool] = []          # speaker found by a cue of its own
        self.evidence: list[str | None] = []  # how each speaker was found (Quote.evidence)
        self.ends = [e for _, e in bounds]
        self.starts = [sp.start for sp in spans]
        self.lead = len(mtext) - len(mtext.lstrip())

    def sentence_of(self, pos: int) -> int:
        return min(bisect_right(self.ends, pos), len(self.bounds) - 1)

    def spans_in(self, lo: int, end: int) -> range:
        """Indexes of the quotes starting in [lo, end)."""
        return range(bisect_left(self.starts, lo), bisect_left(self.starts, end))


# (A NamedTuple, not a frozen dataclass: creating a dataclass costs ~0.4 ms of start-up.)
class _Subject(NamedTuple):
    kind: str            # "name", "pronoun", "role" ("the senator"), "description" ("an aide") or "clause"
    value: str | None
    pos: int


class _Attributor:
    def __init__(self, paras: list[_Para]) -> None:
        self.paras = paras
        self._surnames: frozenset[str] = frozenset()
        self._index()
        surnames = self.names.title_surnames()
        if surnames:
            # "Mark Cuban" … "Cuban said": a surname that is a title word elsewhere is a name alone
            # too, once the article has shown it is someone's; the index is built again with it.
            self._surnames = surnames
            self._index()
        self._mention_starts = [[m.start for m in found] for found in self._mentions]
        # Capitalised words seen inside sentences: a sentence's first word is a name only if it is
        # one of these ("Residents described …" is not a person; "Holm said …" is).
        self._midcaps: set[str] = set()
        for p, found in zip(self.paras, self._mentions):
            for m in found:
                if not _starts_sentence(p.mtext, 0, m.start):
                    self._midcaps.update(m.name.split())
        self._learn_genders()
        self._subject_cache: dict[tuple[int, int], str | None] = {}
        self._fits_cache: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._pronoun_depth = 0
        # How the speaker of the quote being attributed was found: the first indirect step taken
        # on the way (a pronoun, a role noun, a neighbouring sentence, an earlier quote); None
        # while only the quote's own cue has been read.  See Quote.evidence.
        self._how: str | None = None

    def _index(self) -> None:
        self.names = NameIndex()
        self._mentions: list[list] = []
        for p in self.paras:
            found = mentions(p.mtext, 0, self._surnames)
            self._mentions.append(found)
            for m in found:
                self.names.add(m, p.mtext)
            self.names.learn_lowercase(p.mtext)
        self.names.finish()

    def _note(self, how: str) -> None:
        if self._how is None:
            self._how = how

    def _learn_genders(self) -> None:
        """Votes from the text itself: "Novak said she …", or a sentence about a person followed by
        one that opens with "He"/"She".  Honorifics (Mr., Ms.) were counted by the index."""
        votes: dict[str, list[int]] = {}
        for p, found in zip(self.paras, self._mentions):
            for m in found:
                last = m.name.split()[-1]
                if last not in self.names.persons:
                    continue
                said = _SAID_PRONOUN.match(p.mtext, m.end, min(len(p.mtext), m.end + 60))
                if said:
                    votes.setdefault(last, [0, 0])[said.group(1).lower() == "she"] += 1
            mention_starts = [m.start for m in found]     # (self._mention_starts is set later)
            for (lo, end), (nlo, nend) in zip(p.bounds, p.bounds[1:]):
                opener = _OPENING_PRONOUN.match(p.mtext, nlo, nend)
                if not opener:
                    continue
                first = next((found[j] for j in range(bisect_left(mention_starts, lo), bisect_left(mention_starts, end))
                              if found[j].name.split()[-1] in self.names.persons), None)
                if first is not None:
                    votes.setdefault(first.name.split()[-1], [0, 0])[opener.group(1) == "She"] += 1
        for last, (male, female) in votes.items():
            if last in self.names.gender:
                continue
            if male >= 2 * female + 1:
                self.names.gender[last] = "m"
            elif female >= 2 * male + 1:
                self.names.gender[last] = "f"

    # ---------------------------------------------------------------------------- grammar bits
    def _mention_ending_at(self, p: _Para, lo: int, end: int):
        lo = max(lo, end - _LEFT_WINDOW)
        found = None
        for m in mentions(p.mtext[lo:end], lo, self._surnames):
            if m.end == end or p.mtext[m.end:end].strip(" ’'s") == "":
                found = m
        return found

    def subject_left(self, p: _Para, lo: int, cue_start: int, depth: int = 0) -> _Subject | None:
        """The subject of a cue at ``cue_start``, reading leftwards no further than ``lo``."""
        lo = max(lo, cue_start - _LEFT_WINDOW)
        tokens = list(_TOK.finditer(p.mtext, lo, cue_start))
        i = len(tokens) - 1
        while i >= 0:
            word = tokens[i].group()
            low = word.lower()
            if low in _AUX or (low.endswith("ly") and word.islower() and len(low) > 4):
                i -= 1
                continue
            if low in _TIME_WORDS and i > 0 and tokens[i - 1].group().lower() in ("on", "last", "this", "next", "late", "early",
                                                                                    "later", "earlier"):
                i -= 2
                continue
            break
        if i < 0:
            return _Subject("clause", None, lo)
        described = self._description_ending(p, tokens, i)
        if described is not None:
            return described
        tok = tokens[i]
        word = "—" if tokens[i].group() == "--" else tokens[i].group()
        low = word.lower()
        if (word in (",", "—", "–", ")") or (word == '"' and _title_closes_with_comma(p, tok.end()))) and depth < 2:
            # An apposition ("Rubio, who told reporters …, told"): skip it, or take the name it is;
            # one that ends in a title keeps its comma inside the marks ("X, author of “Y,” put it").
            j = i - 1
            while j >= 0 and tokens[j].group() not in (",", "—", "–", "--", "(", ";", ":") and i - j < 40:
                j -= 1
            if j >= 0 and tokens[j].group() in (",", "—", "–", "--", "("):
                inner_lo, inner_hi = tokens[j].end(), tok.start()
                segment = p.mtext[inner_lo:inner_hi].strip()
                m = self._mention_ending_at(p, inner_lo, inner_hi)
                if m and p.mtext[inner_lo:m.start].strip() == "" and segment[:1].isupper() \
                        and segment.split()[0].lower() not in ("who", "which"):
                    return _Subject("name", m.name, m.start)
                return self.subject_left(p, lo, tokens[j].start(), depth + 1)
            return _Subject("clause", None, lo)
        if low in _SUBJECT_PRONOUNS:
            return _Subject("pronoun", low, tok.start())
        if low == "who" and i > 0 and tokens[i - 1].group() == ",":
            # "… the mayor, Ada Quint, who said": the relative clause's subject is the name before it.
            m = self._mention_ending_at(p, lo, tokens[i - 1].start())
            if m is not None and self.names.is_person(m.name):
                return _Subject("name", m.name, m.start)
            return None
        if low in _OTHER_PRONOUNS:
            return None
        if re.fullmatch(r"\d+-year-old", low):
            low = "year-old"       # "the 29-year-old said": a description like a role nobody holds
        if i > 0 and (low in ROLE_WORDS or low in PERSON_TITLES or low == "year-old"):
            # "the senator said": a role the article gives to exactly one person.
            k = i - 1
            while k >= 0 and k > i - 5 and tokens[k].group()[:1].isalnum() and \
                    tokens[k].group().lower() not in ("the", "a", "an", "this", "that", "one") and \
                    not tokens[k].group().endswith(("’s", "'s", "s’", "s'")):
                k -= 1
            if k >= 0 and tokens[k].group().lower() == "the":
                return _Subject("role", low, tokens[k].start())
            return None
        if low in _COORD or word in (";",):
            return _Subject("clause", None, lo)
        if low == "to" and i > 0 and tokens[i - 1].group().lower() not in _NOT_SAYING:
            # "Mr. Ruiz was prompted to say", "went on to say": the clause's subject says it.
            return _Subject("clause", None, lo)
        if low in _DOCUMENT_NOUNS and i > 0 and tokens[i - 1].group()[:1].isupper():
            # "the IMF report stated": the organisation whose document speaks.
            m = self._mention_ending_at(p, lo, tokens[i - 1].end())
            if m is not None and not self.names.is_person(m.name):
                return _Subject("name", m.name, m.start)
            return None
        if word[:1].isupper():
            if word.endswith(("’s", "'s", "s’", "s'")):
                return None      # "Clinton's claims": the cue word is a noun, not a verb
            if low in TITLE_WORDS and i > 0 and tokens[i - 1].group().lower() == "the":
                return _Subject("role", low, tokens[i - 1].start())   # "the Republican said"
            m = self._mention_ending_at(p, lo, tok.end())
            if m is not None:
                if " " not in m.name and i > 0 and tokens[i - 1].group().lower() == "the" \
                        and tokens[i - 1].end() + 1 >= m.start and _is_demonym(m.name):
                    # "the Dutchman said", "the Republican said": a description, not a name.
                    return _Subject("role", m.name.lower(), tokens[i - 1].start())
                if " " not in m.name and m.name not in self._midcaps and m.name not in self.names.persons \
                        and _starts_sentence(p.mtext, max(0, lo - 1), m.start) and not _name_shaped(m.name) \
                        and not _after_broken_quote(p.text, m.start):
                    return None  # a sentence's capitalised first word: a common noun, not a name
                head = self._head_before_pp(p, lo, m.start, depth)
                return head or _Subject("name", m.name, m.start)
            return None
        return None

    @staticmethod
    def _description_ending(p: _Para, tokens: list, i: int) -> _Subject | None:
        """"a State Department official said", "one senior Democrat told": an indefinite
        description (see _description_at) whose last word is token ``i``, right before the cue."""
        if not tokens[i].group()[:1].isalpha():
            return None
        for j in range(i - 1, max(-1, i - 12), -1):
            word = tokens[j].group()
            if not word[:1].isalnum():
                return None
            if word.lower() in _DESCRIPTION_DETERMINERS:
                before = p.mtext[max(0, tokens[j].start() - 2):tokens[j].start()]
                word_before = p.mtext[max(0, tokens[j].start() - 8):tokens[j].start()].split()[-1:]
                if before.strip(" ") not in ("", ",", ":", ";", "(", "—", "–") and not before.endswith((".", "\n")) \
                        and word_before not in (["even"], ["Even"], ["also"], ["then"], ["But"], ["And"]):
                    return None         # "said in a statement", "told a crowd": an object, not the subject
                found = _description_at(p.mtext, tokens[j].start(), tokens[i].end())
                if found is not None and found[1] == tokens[i].end():
                    return _Subject("description", found[0], tokens[j].start())
                return None
        return None

    def _head_before_pp(self, p: _Para, lo: int, start: int, depth: int) -> _Subject | None:
        """"Senator Mitch McConnell of Kentucky called": the name before "of Kentucky"."""
        before = p.mtext[max(lo, start - 6):start].split()
        if depth >= 2 or not before or before[-1] not in ("of", "from"):
            return None
        prep_at = p.mtext.rfind(before[-1], lo, start)
        head = self.subject_left(p, lo, prep_at, depth + 1)
        if head is not None and head.kind == "name" and self.names.is_person(head.value or ""):
            return head
        if head is not None and head.kind == "name" and before[-1] == "of" and \
                (head.value or "").split()[-1].lower() in ORG_HEADS and p.mtext[head.pos:prep_at].strip() == head.value:
            # "the Tennessee Board of Elections said": the body's whole name.
            return _Subject("name", " ".join(p.mtext[head.pos:start].split()) + " " + p.mtext[start:start + 80].split(",")[0].split()[0], head.pos)
        return None

    def sentence_subject(self, pi: int, si: int, hi: int | None = None) -> str | None:
        """The person a sentence is about: its first cue's subject, else a quote's speaker, else
        its first person named outside a prepositional phrase.  Pronouns are resolved."""
        key = (pi, si)
        if hi is None and key in self._subject_cache:
            return self._subject_cache[key]
        result = self._sentence_subject(pi, si, hi)
        if hi is None:
            self._subject_cache[key] = result
        return result

    def _sentence_subject(self, pi: int, si: int, hi: int | None) -> str | None:
        p = self.paras[pi]
        lo, end = p.bounds[si]
        end = min(end if hi is None else min(end, hi), lo + _SUBJECT_WINDOW)
        result: str | None = None
        for cue in CUES.finditer(p.mtext, lo, end):
            subj = self.subject_left(p, lo, cue.start())
            name = self._resolve_subject(subj, pi, lo, cue.start(), allow_clause=False)
            if name:
                result = name
                break
        if result is None:
            for k in p.spans_in(lo, end):
                if k < len(p.speakers) and p.speakers[k] and p.resolved[k]:
                    result = p.speakers[k]
                    break
        if result is None:
            result = self._first_person(pi, lo, end)
        return result

    def _first_person(self, pi: int, lo: int, end: int) -> str | None:
        p = self.paras[pi]
        end = min(end, lo + _SUBJECT_WINDOW)
        head = p.mtext[lo:end].lstrip(" “\"‘'(")
        first = head.split(" ", 1)[0].lower().strip(",")
        if first in _SUBORDINATORS or first in _PREPOSITIONS:
            # "Ever since she endorsed Mrs. Clinton, Ms. Warren has …", "In an interview with
            # journalist Ana Ruiz, Lazar said …": the main clause's subject comes after the leading
            # clause's (or phrase's) comma.
            comma = p.mtext.find(",", lo, end)
            if comma > 0:
                lo = comma + 1
        for m in iter_mentions(p.mtext[lo:end], lo, self._surnames):
            before = p.mtext[max(lo, m.start - 25):m.start].split()
            prev = before[-1].lower() if before else ""
            if prev in _PREPOSITIONS:
                continue
            if len(before) >= 2 and prev in ROLE_WORDS and before[-2].lower() in _PREPOSITIONS \
                    and before[-2].lower() != "of":     # ("secretary of state Ana Ruiz" is a title)
                continue          # "an interview with journalist Ana Ruiz": inside the phrase too
            if self.names.is_person(m.name):
                return self.names.full(m.name)
        if first in _SUBJECT_PRONOUNS:
            return self.resolve_pronoun(first, pi, lo)
        return None

    def _resolve_subject(self, subj: _Subject | None, pi: int, lo: int, cue_start: int,
                         allow_clause: bool = True) -> str | None:
        if subj is None:
            return None
        if subj.kind == "name":
            if " of " in (subj.value or ""):
                return subj.value          # a body's whole name ("Board of Elections"), as written
            return self.names.full(subj.value or "")
        if subj.kind == "description":
            return subj.value
        if subj.kind == "pronoun":
            return self.resolve_pronoun(subj.value or "he", pi, subj.pos)
        if subj.kind == "role":
            self._note("role")
            qualifiers = self._role_qualifiers(self.paras[pi], subj, cue_start)
            holders = [h for h in self.names.role_holders(subj.value or "") if self._fits(h, qualifiers)]
            if len(holders) == 1:
                return holders[0]
            if not holders:
                # "the businessman said", a role nobody was named with: like a pronoun, the
                # person the text was just about -- a person, never a place or a body.
                found = self.resolve_pronoun("they", pi, subj.pos)
                return found if found and self.names.is_person(found) and self._fits(found, qualifiers) else None
            return None
        if allow_clause:
            return self._first_person(pi, lo, cue_start)
        return None

    @staticmethod
    def _role_qualifiers(p: _Para, subj: _Subject, cue_start: int) -> list[str]:
        """The capitalised words of a role noun phrase ("the Texas senator", "the Christie
        supporter"): what the person it refers to must be introduced with."""
        phrase: list[str] = []
        for word in p.mtext[subj.pos:cue_start].split()[1:]:
            if word.lower().strip(",") == subj.value or not word[:1].isalnum():
                break                      # the role noun ends the phrase
            phrase.append(word)
        return [w.strip(",’'s") for w in phrase if w[:1].isupper() and w.lower() not in TITLE_WORDS
                and w.lower() not in ROLE_WORDS][:3]

    def _fits(self, name: str, qualifiers: list[str]) -> bool:
        """Whether every qualifier stands near a mention of ``name`` ("Texas Sen. Ted Cruz",
        "Cruz, a Texas Republican"), so "the Florida governor" is not the New Jersey one."""
        if not qualifiers:
            return True
        key = (name, tuple(qualifiers))
        if key not in self._fits_cache:      # one pass over the mentions per name and qualifiers
            self._fits_cache[key] = self._fits_uncached(name, qualifiers)
        return self._fits_cache[key]

    def _fits_uncached(self, name: str, qualifiers: list[str]) -> bool:
        last = name.split()[-1]
        for p, found in zip(self.paras, self._mentions):
            for j, m in enumerate(found):
                if m.name.split()[-1] != last:
                    continue
                # The mention's own stretch of its sentence, up to the people named beside it.
                lo, end = p.bounds[p.sentence_of(m.start)]
                if j > 0:
                    lo = max(lo, found[j - 1].end)
                if j + 1 < len(found):
                    end = min(end, found[j + 1].start)
                window = p.mtext[lo:end]
                if all(q in window for q in qualifiers):
                    return True
        return False

    def resolve_pronoun(self, pronoun: str, pi: int, pos: int) -> str | None:
        """The subject of the nearest earlier sentence that names a person."""
        if self._pronoun_depth >= _MAX_PRONOUN_CHAIN:
            return None              # "He said … He said …" chains: give up, do not recurse deeply
        self._note("pronoun")
        self._pronoun_depth += 1
        try:
            return self._resolve_pronoun(pronoun, pi, pos)
        finally:
            self._pronoun_depth -= 1

    def _resolve_pronoun(self, pronoun: str, pi: int, pos: int) -> str | None:
        want = _PRONOUN_GENDER.get(pronoun, "")
        seen = 0
        p = self.paras[pi]
        si = p.sentence_of(pos)
        lo = p.bounds[si][0]
        if pos > lo:
            name = self._person_in(pi, si, pos, want)
            if name:
                return name
        qi, qs = pi, si - 1
        while qi >= 0 and seen < _MAX_BACK_SENTENCES:
            if qs < 0:
                qi -= 1
                if qi < 0:
                    break
                qs = len(self.paras[qi].bounds) - 1
                continue
            seen += 1
            name = self._person_in(qi, qs, None, want)
            if name:
                return name
            if self._names_someone_unknown(qi, qs):
                return None      # it may be this sentence's "Andrés Gallego": no guess further back
            qs -= 1
        return None

    def _names_someone_unknown(self, pi: int, si: int) -> bool:
        """Whether a sentence opens with a full name the article gives no evidence about (not known
        as a person, not a body): a pronoun after it may point to that name."""
        p = self.paras[pi]
        lo, end = p.bounds[si]
        found, starts = self._mentions[pi], self._mention_starts[pi]
        for m in (found[j] for j in range(bisect_left(starts, lo), bisect_left(starts, min(end, lo + _SUBJECT_WINDOW)))):
            words = m.name.split()
            if len(words) >= 2 and words[-1].lower() not in ORG_HEADS and not self.names.is_person(m.name):
                return True
        return False

    def _person_in(self, pi: int, si: int, hi: int | None, want: str) -> str | None:
        p = self.paras[pi]
        lo, end = p.bounds[si]
        if hi is not None and hi <= lo:
            return None
        # Only the sentence's own text before ``hi`` is read: a pronoun cannot point forwards.
        name = self.sentence_subject(pi, si, hi) if hi is not None else self.sentence_subject(pi, si)
        if name and want and self.names.gender.get(name.split()[-1], want) != want:
            # The subject is the wrong gender for the pronoun: another person of the sentence who
            # is known to be the right one, else keep looking further back.
            stop = end if hi is None else min(end, hi)
            found, starts = self._mentions[pi], self._mention_starts[pi]
            for m in (found[j] for j in range(bisect_left(starts, lo), bisect_left(starts, stop))):
                if self.names.gender.get(m.name.split()[-1]) == want \
                        and m.name.split()[-1] in self.names.persons:
                    return self.names.full(m.name)
            return None
        return name

    # ---------------------------------------------------------------------------- per quote
    def cue_after(self, pi: int, k: int) -> str | None | bool:
        """Speaker from a cue right after quote ``k`` ('“…,” X said' / '“…,” said X').  False when
        there is no such cue."""
        p = self.paras[pi]
        sp = p.spans[k]
        hi = p.spans[k + 1].start if k + 1 < len(p.spans) else len(p.text)
        hi = min(hi, sp.end + 260)
        # A title or term right after the quote may stand in the cue's clause ("“…,” X, wearing
        # “Cruz” pins, said"): the cue is looked for up to the next quote of speech.
        nxt = k + 1
        while nxt < len(p.spans) and p.spans[nxt].kind != "speech" and p.spans[nxt].start < sp.end + 260:
            nxt += 1
        cue_hi = min(p.spans[nxt].start if nxt < len(p.spans) else len(p.text), sp.end + 260)
        lead = _LEAD.match(p.mtext, sp.end, hi)
        at = lead.end() if lead else sp.end
        inner_end = p.text[sp.start:sp.end].rstrip("”\"'’» ")[-1:]
        stop_inside = inner_end in (".",)
        if at >= hi:
            return False
        first_mention = self._first_mention_after(p, at, min(hi, at + 80))
        if first_mention is not None and first_mention.start != at:
            first_mention = None
        # The attribution-line convention: “…” ― Name (a dash, then only the name).
        if first_mention and any(c in p.mtext[sp.end:at] for c in "―—–-"):
            tail = p.mtext[first_mention.end:first_mention.end + 2].strip()
            if tail[:1] in ("", '"', ",", ".", "(", ";"):
                self._note("adjacent")
                return self.names.full(first_mention.name)
        # “…,” Name verbed / “…?” he asked: after a quote that breaks off with , ? ! any verb
        # straight after the name reports the words.
        if inner_end in (",", "?", "!", "—", "–", "…") and CUES.match(p.mtext, at) is None:
            if first_mention is not None:
                verb = _NEXT_VERB.match(p.mtext, first_mention.end, hi)
                if verb:
                    return self.names.full(first_mention.name)
            else:
                # “…,” an angry Hollande retaliated: a determiner and adjectives before the name.
                lead_np = _DESCRIBED_NAME.match(p.mtext, at, hi)
                named = self._first_mention_after(p, lead_np.end(), min(hi, lead_np.end() + 60)) if lead_np else None
                if named is not None and named.start == lead_np.end() and _NEXT_VERB.match(p.mtext, named.end, hi) \
                        and self.names.is_person(named.name):
                    return self.names.full(named.name)
            pro = _PRONOUN_VERB.match(p.mtext, at, hi)
            if pro:
                return self.resolve_pronoun(pro.group(1).lower(), pi, at)
        if inner_end in (",", "?", "!", "—", "–", "…") and CUES.match(p.mtext, at) is None:
            # “…!” beamed Ana Ruiz / “…?” wondered a delegate: any past tense straight after a quote
            # that breaks off, then the name (or description) and the clause's end, is an inverted cue.
            verb = _INVERTED_PAST.match(p.mtext, at, hi)
            if verb:
                described = _description_at(p.mtext, verb.end(), hi)
                if described is not None:
                    return described[0]
                m = self._first_mention_after(p, verb.end(), min(hi, verb.end() + 80))
                if m is not None and m.start == verb.end() and (p.mtext[m.end:m.end + 2].strip()[:1] in ("", ",", ".", ";")
                                                                 or p.mtext.startswith((" of ", " from "), m.end)):
                    return self.names.full(m.name)
        acc = _ACCORDING_AFTER.match(p.mtext, at, hi)
        if acc:
            return self._source_after(p, acc.end(), hi)
        inv = _inverted_cue(p.mtext, at, hi)
        if inv and inv.group(1) not in PARTICIPLE_CUES and not inv.group(1).startswith(("according", "in ")):
            rest = p.mtext[inv.end():hi]
            first = rest.split(" ", 1)[0].strip(",.").lower()
            if first in _SUBJECT_PRONOUNS:
                return self.resolve_pronoun(first, pi, inv.end())
            named = self._role_then_name(p, inv.end(), hi)
            if named is not None:
                return named                 # “…,” said the mayor, Jean Morel / a déclaré le maire, J. Morel
            described = _description_at(p.mtext, inv.end(), hi)
            if described is not None:
                return described[0]          # “…,” said a Democratic strategist who …
            m = self._first_mention_after(p, inv.end(), min(hi, inv.end() + 80))
            if m and re.fullmatch(r"[\sA-Za-z0-9/.\-’']*", p.mtext[inv.end():m.start]) and \
                    len(p.mtext[inv.end():m.start].split()) <= 4:
                if _POSSESSIVE_END.search(p.mtext, m.start, m.end):
                    return self._possessed_person(p, m.end, hi)
                return self.names.full(m.name)
            return None if inner_end in (",", "?", "!") else False
        bare = _BARE_CUE.match(p.mtext, at, hi)
        if bare and is_cue(bare.group(1)):
            # "«…», dijo.": a language that drops the subject pronoun says what "he said" says
            return self.resolve_pronoun("", pi, at)
        tail = self._clause_final_cue(p, at, hi)
        if tail is not None:
            return tail
        for cue in CUES.finditer(p.mtext, at, min(cue_hi, at + 200)):
            if p.mtext[cue.start():cue.end()] in PARTICIPLE_CUES:
                continue
            between = p.mtext[at:cue.start()]
            if (cue.start() > hi and "," not in p.mtext[at:hi]) or _has_stop(between) or \
                    ('"' in between and cue.start() <= hi):
                return False
            described = _description_at(p.mtext, at, cue.start())
            if described is not None and all(w.lower() in _AUX or w.lower() in _TIME_WORDS
                                             for w in p.mtext[described[1]:cue.start()].split()):
                return described[0]          # “…,” a bank spokesman said
            subj = self.subject_left(p, at, cue.start())
            if subj is not None and subj.kind == "name" and subj.pos != at:
                lead_words = p.mtext[at:subj.pos]
                if "," in lead_words or "—" in lead_words or "--" in lead_words:
                    if first_mention and _POSSESSIVE_END.search(p.mtext, first_mention.start, first_mention.end):
                        # "Hallmark’s chief executive, Anna Berg, said": the possessor does not speak
                        person = self._possessed_person(p, first_mention.end, cue.start())
                        if person is None:
                            return None
                        subj = _Subject("name", person, at)
                    elif first_mention:
                        # "X, an economist at Y, said": the apposition's head is the first name.
                        subj = _Subject("name", first_mention.name, at)
                    elif re.fullmatch(r"[a-z][\w\s’'-]*[,—-]+\s*", lead_words) and len(lead_words.split()) <= 6 \
                            and not any(w.lower().strip(",") in _CLAUSE_WORDS for w in lead_words.split()):
                        # "the firm's founder, Lena Ohm, said": the name in apposition to a role.
                        subj = _Subject("name", subj.value, at)
                    else:
                        subj = None
                elif _has_stop(lead_words) or len(lead_words.split()) > 8 or \
                        any(w.lower() in _CLAUSE_WORDS for w in lead_words.split()):
                    return False     # “…,” when Clinton blasted him: a new clause, not the speaker
                else:
                    subj = _Subject("name", subj.value, at)   # "Trump lawyer Marc Kasowitz said"
            elif (subj is None or subj.kind == "clause") and first_mention is not None and \
                    inner_end in (",", "?", "!", "—", "–", "…") and len(between) < 160:
                subj = _Subject("name", first_mention.name, at)
            if subj is not None and subj.kind == "role" and subj.pos == at:
                return self._resolve_subject(subj, pi, at, cue.start())
            if subj is None and first_mention is None and len(between.split()) <= 8 \
                    and re.match(r"[a-z]", between) and "," not in between \
                    and not any(w.lower() in _CLAUSE_WORDS for w in between.split()):
                return None      # “…,” a bank spokesman said: someone the text does not name
            if subj is None or subj.kind == "clause" or subj.pos != at:
                return False
            if stop_inside:
                nxt = p.mtext[cue.end():cue.end() + 20].split()
                if nxt and nxt[0].lower().strip(",") in _REJECT_AFTER_STOP:
                    return False
                if p.mtext[cue.end():hi].strip().endswith(":") and k + 1 < len(p.spans):
                    return False     # “… .” Mr. Zahed said: “…”: the cue introduces the next quote
            if inner_end in ("?", "!") and k + 1 < len(p.spans) and p.mtext[at:at + 1].isupper() \
                    and p.mtext[cue.end():hi].strip().endswith((":", ",")):
                return False         # “…?” Mills then wrote back, “…”: a new sentence for the next quote
            return self._resolve_subject(subj, pi, at, cue.start())
        return False

    def _clause_final_cue(self, p: _Para, at: int, hi: int) -> str | None:
        """“…” if she loses by less, said Jo Park, an analyst.  An inverted cue closing the
        sentence after a quote (a comma, the cue, a name, then the sentence's end or an
        apposition) names the speaker even when a clause without a name stands between."""
        end = min(hi, at + _LEFT_WINDOW)
        stop = re.search(r"[.!?;](?:\s|$)|[“\"]", p.mtext[at:end])
        end = at + stop.start() + 1 if stop else end
        closing = _CLOSING_NAME_CUE.search(p.mtext, at, end)
        if closing is not None and not _has_stop(p.mtext[at:closing.start()] + " ") and is_cue(closing.group(2)) \
                and closing.group(2) not in PARTICIPLE_CUES:
            # “…” and against the gun law, Clinton said.  A name and its cue closing the sentence.
            named = self._mention_ending_at(p, at, closing.start(1) + len(closing.group(1)))
            if named is not None and named.start == closing.start(1) and self.names.is_person(named.name):
                return self.names.full(named.name)
        for m in _FINAL_CUE.finditer(p.mtext, at, end):
            if not is_cue(m.group(1)) or m.group(1) in PARTICIPLE_CUES:
                continue
            if self._first_mention_after(p, at, m.start()) is not None:
                break             # “…,” Jo Park, an analyst, told AFP: the name before the cue speaks
            name = self._first_mention_after(p, m.end(), min(end + 1, m.end() + 80))
            if name is None or name.start != m.end():
                continue
            after = p.mtext[name.end:name.end + 2].lstrip()
            if after[:1] in (",", ".", "") and not _has_stop(p.mtext[at:m.start()] + " "):
                return self.names.full(name.name)
        return None

    def _writer_label(self, p: _Para, lo: int, colon: int) -> str | None:
        """The writer a round-up names before an excerpt of their article: '“Headline,” by the
        Gazette's Tom Reed: “…”' (by, an optional outlet in the possessive, the name, a colon)."""
        named = self._mention_ending_at(p, lo, colon)
        if named is None or p.mtext[named.end:colon].strip() != "":
            return None
        if _BY_WRITER.search(p.mtext, max(lo, named.start - 80), named.start) is None:
            return None
        return self.names.full(named.name)

    def _label(self, p: _Para, lo: int, colon: int) -> str | None:
        """The name (or "A and B") that is all of the text from a sentence start or a dash up to a
        colon, or None."""
        label = self._mention_ending_at(p, lo, colon)
        if label is None or p.mtext[label.end:colon].strip() != "":
            return None
        start, speaker = label.start, self.names.full(label.name)
        if p.mtext[max(lo, start - 5):start] == " and ":
            first = self._mention_ending_at(p, lo, start - 5)
            if first is not None and first.end == start - 5:
                start, speaker = first.start, f"{self.names.full(first.name)} and {speaker}"
        if re.search(r"(?:^|[.!?][”\"’']?\s|\s[-–—―]+\s)$", p.text[max(lo, start - 4):start]):
            return speaker
        return None

    def _subject_body(self, p: _Para, lo: int, end: int) -> str | None:
        """The organisation a clause opens with ("the Elections Board was …"), read after a
        leading subordinate clause; None when the clause opens any other way."""
        head = p.mtext[lo:end].lstrip(" “\"‘'(")
        at = lo + (len(p.mtext[lo:end]) - len(head))
        if head.split(" ", 1)[0].lower().strip(",") in _SUBORDINATORS:
            comma = p.mtext.find(",", at, end)
            if comma < 0:
                return None
            at = comma + 1
        m = self._first_mention_after(p, at, min(end, at + 120))
        if m is None or p.mtext[at:m.start].strip().lower() not in ("", "the"):
            return None
        return self._org_of(p, m, end) or m.name

    @staticmethod
    def _org_of(p: _Para, m, end: int) -> str | None:
        """"Board of Elections", "Department of Justice": a body's name runs on over "of"."""
        if m.name.split()[-1].lower() not in ORG_HEADS:
            return None
        tail = re.match(r" of (?:the )?((?:[A-Z][\w’'&.-]*)(?: [A-Z][\w’'&.-]*){0,3})\b", p.mtext[m.end:min(end, m.end + 60)])
        return f"{m.name} of {tail.group(1)}" if tail else None

    def _source_after(self, p: _Para, lo: int, hi: int) -> str | None:
        """The name right after "according to" (a determiner or role words may come first)."""
        m = self._first_mention_after(p, lo, min(hi, lo + 120))
        if m is None:
            return None
        between = p.mtext[lo:m.start].split()
        if all(w.lower() in ROLE_WORDS or w.lower() in PERSON_TITLES or w.lower() in _DETERMINERS
               for w in between) and len(between) <= 4:
            return self.names.full(m.name)
        return None       # "selon le ministère des Affaires étrangères": not a name of its own

    def _role_then_name(self, p: _Para, at: int, hi: int) -> str | None:
        """The name in apposition after a definite role: "the mayor, Jean Morel", "its director,
        Claire Dufour", "le maire, Jean-Baptiste Morel", "la alcaldesa, Marta Iriarte" (a
        determiner, up to four role words, a comma, the name)."""
        m = _ROLE_APPOSITION.match(p.mtext, at, hi)
        if m is None or not all(w[:1].islower() or w.lower() in TITLE_WORDS for w in m.group(1).split()):
            return None
        name = self._first_mention_after(p, m.end(), min(hi, m.end() + 60))
        if name is None or name.start != m.end():
            return None
        return self.names.full(name.name)

    def _possessed_person(self, p: _Para, at: int, hi: int) -> str | None:
        """After a possessive ("said Hallmark’s chief economist, Tobias Wren", "said Nordbank’s
        Lars Ek"), the speaker is the person named next, behind at most a role; the possessor (a
        company, a candidate) is not the speaker.  None when no name follows: "said Hallmark’s
        chief economist" describes someone the text does not name."""
        m = self._first_mention_after(p, at, min(hi, at + 60))
        if m is None:
            return None
        role = p.mtext[at:m.start]
        if re.fullmatch(r"(?:\s*[a-z][\w’'-]*)*\s*,?\s*", role) and len(role.split()) <= 4 \
                and not any(w.strip(",").lower() in _CLAUSE_WORDS for w in role.split()):
            return self.names.full(m.name)
        return None

    def _document_author(self, p: _Para, lo: int, hi: int) -> str | None | bool:
        """For words introduced as read from a document ("Ms Quint read to the jury from an email
        Mr Moorhouse sent:"): its author when the clause names one ("… Mr Moorhouse sent", "…
        she wrote"), else None -- the reader of a letter is not its writer.  False when the
        clause reads from no document."""
        found = _READ_FROM.search(p.mtext, lo, hi)
        if found is None:
            if _DOCUMENT_SAYS.search(p.mtext, lo, hi):
                return None      # "The note read:": a document, its writer not named
            return False
        for m in iter_mentions(p.mtext[found.end():hi], found.end(), self._surnames):
            if _WROTE.match(p.mtext, m.end, hi):
                self._note("adjacent")
                return self.names.full(m.name)
        return None

    def _first_mention_after(self, p: _Para, lo: int, hi: int):
        return next(iter_mentions(p.mtext[lo:hi], lo, self._surnames), None)

    def cue_before(self, pi: int, k: int) -> str | None | bool:
        p = self.paras[pi]
        sp = p.spans[k]
        si = p.sentence_of(sp.start)
        lo = max(p.bounds[si][0], sp.start - _LEFT_WINDOW)
        segment = p.mtext[lo:sp.start]
        said_first = _SAID_FIRST.match(p.mtext, lo + len(segment) - len(segment.lstrip()))
        if said_first:
            m = self._first_mention_after(p, said_first.end(), sp.start)
            if m and m.start == said_first.end():
                return self.names.full(m.name)
        if segment.rstrip().endswith(":"):
            writer = self._writer_label(p, lo, lo + len(segment.rstrip()) - 1)
            if writer is not None:
                self._note("adjacent")
                return writer
            label = self._label(p, lo, lo + len(segment.rstrip()) - 1)
            if label is not None:
                # A label, even after a cue of the headline before it: "Ana Ruiz: “…”", "Polls
                # predicted it - Ana Ruiz and Tom Hall: “…”" (a transcript's or round-up's shape).
                self._note("adjacent")
                return label
        # A cue word after a determiner is a noun or an adjective ("in a written statement").
        cues = [c for c in CUES.finditer(p.mtext, lo, sp.start)
                if p.mtext[max(lo, c.start() - 6):c.start()].split()[-1:] not in _DETERMINER_BEFORE]
        if not cues:
            if segment.rstrip().endswith(":"):
                author = self._document_author(p, lo, sp.start)
                if author is not False:
                    return author
                # "X had a message: “…”" — the sentence's subject introduces the words; a body
                # ("the Elections Board was conclusive in its findings:") when no person is named.
                self._note("adjacent")
                verb = _VERB_BEFORE_QUOTE.search(segment)
                if verb is not None:
                    # "…, with Trump reportedly yelling: “…”": the name right before the verb.
                    subj = self.subject_left(p, lo, lo + verb.start(1))
                    if subj is not None and subj.kind in ("name", "description"):
                        return self._resolve_subject(subj, pi, lo, lo + verb.start(1))
                return self._first_person(pi, lo, sp.start) or self._subject_body(p, lo, sp.start) or False
            verb = _VERB_BEFORE_QUOTE.search(segment) if segment.rstrip().endswith(",") else None
            if verb is not None:
                subj = self.subject_left(p, lo, lo + verb.start(1))
                if subj is not None and subj.kind in ("name", "description") and \
                        p.mtext[subj.pos:lo + verb.start(1)].count(",") == 0:
                    return self._resolve_subject(subj, pi, lo, lo + verb.start(1))
            if _FOR_X.match(segment) and segment.rstrip().endswith(","):
                # "Pour la directrice, Hélène Marchetti, « … »" / "For Smith, “…”".
                end = lo + len(segment.rstrip()) - 1
                m = self._mention_ending_at(p, lo, end)
                if m is not None and (self.names.is_person(m.name) or len(m.name.split()) > 1):
                    return self.names.full(m.name)
            return False
        cue = cues[-1]
        head = p.mtext[lo:sp.start].lstrip(" “\"‘'(").split(" ", 1)[0].lower().strip(",")
        passive = next((c for c in cues if c.group() in ("asked", "questioned") and
                        p.mtext[max(lo, c.start() - 10):c.start()].split()[-1:] in (["was"], ["were"], ["been"], ["being"])),
                       None)
        if passive is not None and passive is not cue and re.search(r",\s+who\b", p.mtext[passive.end():cue.start()]):
            cue = passive        # "X was asked by Y, who has … dismissed …, “…”": the relative clause's cue is Y's aside
        if cue is passive and passive is not None:
            # "X was asked by Y, “…?”": the question is the asker's, never the subject's.
            by = re.match(r"\s+by\s+", p.mtext[cue.end():sp.start])
            asker = self._first_mention_after(p, cue.end() + by.end(), sp.start) if by else None
            if asker is not None:
                between = p.mtext[cue.end() + by.end():asker.start].split()
                if all(w.lower() in ROLE_WORDS or w.lower() in PERSON_TITLES or w.lower() in _DETERMINERS for w in between):
                    return self.names.full(asker.name)
            return None
        if head in _SUBORDINATORS and "," in p.mtext[cue.end():sp.start] and segment.rstrip().endswith(","):
            # "After Brown criticized Clinton, Hillary shot back, “…”": the main clause's verb.
            verb = _VERB_BEFORE_QUOTE.search(segment)
            comma = p.mtext.find(",", cue.end(), sp.start)
            if verb is not None and lo + verb.start(1) > comma:
                subj = self.subject_left(p, comma + 1, lo + verb.start(1))
                if subj is not None and subj.kind in ("name", "description"):
                    return self._resolve_subject(subj, pi, lo, lo + verb.start(1))
        if head in _SUBORDINATORS and "," in p.mtext[cue.end():sp.start] and segment.rstrip().endswith(":"):
            # "When Trump suggested …, Rubio fired back: “…”": the cue is the leading clause's;
            # the main clause's subject introduces the words.
            self._note("adjacent")
            return self._first_person(pi, lo, sp.start) or False
        lead = p.mtext.find(",", lo, sp.start)
        if head in _SUBORDINATORS and head != "as" and cue.end() <= lead and p.mtext[lo:lead].count("\"") == 0:
            # "While Ruiz spoke, the league was whipping votes against “…”": not her words ("As
            # Ruiz said, “…”" is how news attributes them, though).
            return False
        if cue.group().startswith("in ") and len(cues) > 1 and p.mtext[cues[-2].end():cue.start()].strip() == "":
            cue = cues[-2]           # "Acme said in a statement:": the verb's subject speaks
        elif cue.group() == "quote" and len(cues) > 1 and p.mtext[max(lo, cue.start() - 3):cue.start()].strip() == "I":
            cue = cues[-2]           # "Ruiz said, and I quote, “…”": the writer's aside, not the speaker
        if cue.group() in PARTICIPLE_CUES:
            subj = self.subject_left(p, lo, cue.start())
            if subj is not None and subj.kind == "name":
                gap = p.mtext[subj.pos:cue.start()].split()[-1:]
                if gap == ["as"] or (self.names.is_person(subj.value or "") and gap != [","]
                                     and p.mtext[cue.start() - 2:cue.start()].strip(" ").isalpha()):
                    # "quoted Lavrov as saying", "footage of Clinton asking": the person named
                    # right before the participle says it.
                    return self._resolve_subject(subj, pi, lo, cue.start())
            if subj is not None and subj.kind == "pronoun":
                return self._resolve_subject(subj, pi, lo, cue.start())
            clause = p.mtext[lo:cue.start()].rsplit(",", 1)[-1]
            relative = [m for m in re.finditer(r"\b(?:which|who|that)\b", clause)
                        if not (m.group() == "that" and any(is_cue(w) for w in clause[:m.start()].split()[-3:]))]
            if relative:
                # "the party, which tried … by saying": not the sentence's subject ("told X that"
                # is a verb's complement, not a relative clause).
                return None
            if len(cues) > 1 and p.mtext[cues[-2].end():cue.start()].strip() == ",":
                # "Ryan and Trump will meet, Spicer said, adding, “…”": the participle goes with
                # the cue right before it, whose subject is not the sentence's first name.
                name = self._resolve_subject(self.subject_left(p, lo, cues[-2].start()), pi, lo,
                                             cues[-2].start(), allow_clause=False)
                if name:
                    return name
            first_subject = self.subject_left(p, lo, cues[0].start()) if len(cues) > 1 else None
            if first_subject is not None and first_subject.kind == "description":
                return first_subject.value     # "a top strategist said Y must act, saying, “…”"
            if first_subject is not None and first_subject.kind == "name" and head not in _SUBORDINATORS \
                    and (self.names.is_person(first_subject.value or "") or not (
                        _name_shaped(first_subject.value or "") or (first_subject.value or "").split()[-1].lower() in ORG_HEADS)) \
                    and self._first_mention_after(p, lo, first_subject.pos) is None:
                # "Trump told X that Romney “…,” adding, “…”": the sentence's first name is the
                # subject of its first cue, so the participle is that person's.
                return self._resolve_subject(first_subject, pi, lo, cues[0].start())
            person = self._first_person(pi, lo, cue.start())
            if person:
                return person
            lead_end = p.mtext.find(",", lo, cue.start()) if head in _SUBORDINATORS else -1
            for earlier in reversed(cues[:-1]):     # “…,” Smith insisted, before adding: “…”
                if earlier.start() < lead_end:
                    break        # "As Ruiz spoke, the league was …ing": the leading clause's cue
                name = self._resolve_subject(self.subject_left(p, lo, earlier.start()), pi, lo,
                                             earlier.start(), allow_clause=False)
                if name:
                    return name
            return False
        if cue.group().startswith(ACCORDING_TO):
            return self._source_after(p, cue.end(), sp.start)
        if cue.group().startswith("in "):
            subj = self.subject_left(p, lo, cue.start())
            if subj is None or subj.kind == "clause":
                return self._first_person(pi, lo, cue.start())
            return self._resolve_subject(subj, pi, lo, cue.start())
        subj = self.subject_left(p, lo, cue.start())
        if subj is None:
            # “A,” said X, an economist, “B.”: the name right after an inverted cue says both
            # pieces; other names after the cue ("quoted X as") are left alone.
            after = self._first_mention_after(p, cue.end(), sp.start)
            if after is not None and p.mtext[cue.end():after.start].strip() == "" and k > 0 \
                    and p.spans[k - 1].end <= cue.start() and p.mtext[p.spans[k - 1].end:cue.start()].strip(" ,") == "" \
                    and p.mtext[after.end:sp.start].rstrip().endswith(","):
                return self.names.full(after.name)
            return None
        return self._resolve_subject(subj, pi, lo, cue.start())

    def reported_speaker(self, pi: int) -> str | None:
        """Who the paragraph quotes or reports (its latest such sentence), or None."""
        p = self.paras[pi]
        for si in range(len(p.bounds) - 1, max(-1, len(p.bounds) - 4), -1):
            lo, end = p.bounds[si]
            for k in reversed(p.spans_in(lo, end)):
                if p.spans[k].kind == "speech" and p.speakers[k]:
                    return p.speakers[k]
            if CUES.search(p.mtext, lo, min(end, lo + _SUBJECT_WINDOW)):
                name = self.sentence_subject(pi, si)
                if name:
                    return name
        return None

    def run(self) -> None:
        for pi, p in enumerate(self.paras):
            p.speakers = [None] * len(p.spans)
            p.resolved = [False] * len(p.spans)
            p.cued = [False] * len(p.spans)
            p.evidence = [None] * len(p.spans)
            # Sentence subjects are settled in reading order, each once its quotes have speakers,
            # so a pronoun only ever looks back at settled sentences (no deep recursion).
            settled = 0
            for k, sp in enumerate(p.spans):
                for si in range(settled, p.sentence_of(sp.start)):
                    self.sentence_subject(pi, si)
                settled = max(settled, p.sentence_of(sp.start))
                if sp.kind != "speech" or not _has_word(p.text, sp.start, sp.end):
                    p.resolved[k] = True
                    continue
                self._how = None
                speaker = self.cue_after(pi, k)
                if speaker is False:
                    self._how = None
                    speaker = self.cue_before(pi, k)
                p.cued[k] = speaker is not False
                if speaker is False:
                    self._how = None
                    speaker = self._continued(pi, k)
                p.speakers[k] = speaker
                p.evidence[k] = (self._how or "cue") if speaker else None
                p.resolved[k] = True
            self._attribution_below(pi)
            for si in range(settled, len(p.bounds)):
                self.sentence_subject(pi, si)
        self._multi_paragraph()

    def _attribution_below(self, pi: int) -> None:
        """A paragraph of quotes followed by a line that is only a dash and a name ("— Ana Ruiz",
        "- Sanders, in a debate"): the round-up convention names their source on the line below.
        It outranks what continuation guessed, never a cue of the quote's own."""
        if pi + 1 >= len(self.paras):
            return
        below = self.paras[pi + 1]
        if below.spans or not ATTRIBUTION_LINE.fullmatch(below.mtext.strip()):
            return
        m = self._first_mention_after(below, 0, len(below.mtext))
        if m is None:
            return
        p = self.paras[pi]
        for k, sp in enumerate(p.spans):
            if sp.kind == "speech" and not p.cued[k] and _has_word(p.text, sp.start, sp.end):
                p.speakers[k] = self.names.full(m.name)
                p.evidence[k] = "adjacent"

    def _continued(self, pi: int, k: int) -> str | None:
        """A speaker for a quote without a cue of its own, from the quotes and sentences next to
        it; the evidence is noted before any resolution it triggers."""
        p = self.paras[pi]
        for j in range(k - 1, max(-1, k - 6), -1):
            if p.spans[j].kind == "speech" and p.speakers[j]:
                self._note("continuation")
                return p.speakers[j]
        # A paragraph-opening quote after an unclosed piece: the same quote, the same speaker.
        if pi > 0:
            prev = self.paras[pi - 1]
            if prev.spans and not prev.spans[-1].closed and prev.speakers and prev.speakers[-1]:
                self._note("continuation")
                return prev.speakers[-1]
        # Same paragraph, a later quote with its own cue: “A.” “B,” Smith said.
        si = p.sentence_of(p.spans[k].start)
        if k + 1 < len(p.spans):
            self._how = "continuation"
            later = self.cue_after(pi, k + 1)
            if later is False:
                later = self.cue_before(pi, k + 1)
            if later:
                return later
            self._how = None
        if si > 0 and p.mtext[p.bounds[si][0]:p.spans[k].start].strip() == "":
            lo, end = p.bounds[si - 1]
            said = p.mtext[lo:end].rstrip()
            verb = _VERB_BEFORE_QUOTE.search(said.rstrip("."), max(0, len(said) - 40)) if said.endswith((".", ":")) else None
            if verb is not None and not CUES.search(p.mtext, lo, end):
                # "Ruiz agreed. “…”": a sentence that is only a name and a verb hands over to the quote.
                subj = self.subject_left(p, lo, lo + verb.start(1))
                if subj is not None and subj.kind in ("name", "description") and \
                        _starts_sentence(p.mtext, lo, subj.pos):
                    self._how = "adjacent"
                    return self._resolve_subject(subj, pi, lo, lo + verb.start(1))
        for sj in range(si - 1, max(-1, si - 4), -1):
            lo, end = p.bounds[sj]
            if CUES.search(p.mtext, lo, min(end, lo + _SUBJECT_WINDOW)):
                self._how = "adjacent"
                name = self.sentence_subject(pi, sj)
                if name:
                    return name
                self._how = None
        if pi > 0 and p.spans[k].start <= p.lead:
            self._how = "adjacent"
            prev = self.paras[pi - 1]
            if prev.mtext.rstrip().endswith(":") and not (prev.spans and prev.spans[-1].end >= len(prev.mtext.rstrip()) - 1):
                # "Stated Stone:" / "The senator released a statement:" on its own paragraph
                # introduces the quote that opens the next one: its last sentence's subject.
                author = self._document_author(prev, prev.bounds[-1][0], len(prev.mtext))
                if author is not False:
                    return author
                name = self.sentence_subject(pi - 1, len(prev.bounds) - 1)
                if name:
                    return name
            prev_quotes = [j for j, sp in enumerate(prev.spans) if sp.kind == "speech"]
            if prev_quotes and _asks(prev, prev_quotes[-1]) and not _asks(p, k) and _ASKED.search(prev.mtext):
                return None          # “…?” the host asked. “…”: the answer is not the asker's
            return self.reported_speaker(pi - 1)
        return None

    def _multi_paragraph(self) -> None:
        """A quote running over paragraphs: its pieces without a cue of their own get the first
        piece's speaker (else one a cued piece gives)."""
        group: list[tuple[int, int]] = []
        for pi, p in enumerate(self.paras):
            if not p.spans:
                group = []
                continue
            starts_para = p.spans[0].start <= p.lead
            if group and starts_para:
                group.append((pi, 0))
            else:
                group = []
            last = len(p.spans) - 1
            if not p.spans[last].closed and p.spans[last].kind == "speech":
                if not group:
                    group = [(pi, last)]
                continue
            if len(group) > 1:
                found = [(self.paras[a].cued[b], self.paras[a].speakers[b]) for a, b in group]
                # News attributes a long quote in its first paragraph.
                speaker = found[0][1] or next((sp for cued, sp in found if cued and sp), None) or \
                    next((sp for _, sp in found if sp), None)
                for a, b in group[1:] if found[0][1] else group:
                    if not self.paras[a].cued[b] or self.paras[a].speakers[b] is None:
                        if self.paras[a].speakers[b] != speaker:
                            self.paras[a].evidence[b] = "continuation" if speaker else None
                        self.paras[a].speakers[b] = speaker
            group = []


def attribute_speakers(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Return ``blocks`` with each speech quote's ``speaker`` filled in where the text says who."""
    blocks = tuple(blocks)
    paras: list[_Para] = []
    for block in iter_paragraph_blocks(blocks):
        text, spans = flatten(block.content)
        mtext = masked(text, spans)
        paras.append(_Para(text, spans, mtext, sentence_bounds(mtext)))
    if not any(p.spans for p in paras):
        return blocks
    _Attributor(paras).run()
    counter = iter(range(len(paras)))

    def rebuild(block) -> tuple[Inline, ...]:
        p = paras[next(counter)]
        if not p.spans:
            return block.content
        content = list(block.content)
        for sp, speaker, evidence in zip(p.spans, p.speakers, p.evidence):
            node = content[sp.index]
            # A speaker already given (by a richer reader or the caller) is kept.
            if isinstance(node, Quote) and node.speaker is None and speaker and node.kind == "speech":
                content[sp.index] = Quote(node.kind, speaker, node.content, evidence)
        return tuple(content)

    return map_blocks(blocks, rebuild)
