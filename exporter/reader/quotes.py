"""Quote marking: split plain Text runs into Quote nodes, with their kind.

One left-to-right pass per paragraph pairs the marks with a stack (linear time, bounded depth):

* double marks — curly “ ”, low „, guillemets « », straight " and the ASCII pairs `` / '' some
  newspapers use — are the quotes.  A straight mark's direction comes from its neighbours (space
  before and a word after opens, a word before and space or punctuation after closes), else it
  closes an open straight quote or opens one;
* single marks ‘ ’ ' only count inside a double quote (or in an article with no double marks at
  all, where they are the primary marks).  A ’ or ' between letters (can’t, Türkiye’s) is an
  apostrophe; after a word and before a space it closes an open single quote and is otherwise an
  apostrophe too (the players’ union), so an apostrophe never opens anything;
* a quote still open at the end of its paragraph is a quote only when the next paragraph opens with
  a quote mark (the newspaper convention for a quote running over paragraphs) and that run of
  quote-opened paragraphs is not longer than a reported quote ever is (a pasted transcript);
  otherwise its mark is plain text, so an unbalanced mark never swallows anything beyond its own
  paragraph;
* guillemets work with French spacing (« texte ») and German order (»Text«); a mark right after
  "=" is markup residue (name="value"), not a quote.

Kinds: ``title`` for works and named things (after "programme", "book", "titled", a possessive
"CBS's", or a Title-Case name mid-sentence), ``term`` for scare quotes (one to three words inside
a sentence that reports no speech, "so-called", nicknames, bare numbers), ``speech`` otherwise.

Quote marks stay inside the Quote node: the concatenated text of a paragraph never changes.
"""
from __future__ import annotations

import re

from exporter.ast import Block, Inline, Paragraph, Quote, Text
from exporter.reader._quote_text import (
    CUES, CUE_WORDS, OPENING_MARK_RE, Span, flatten, iter_paragraph_blocks, map_blocks, masked, sentence_bounds,
)
from exporter.reader.textutil import LazyPattern

MAX_CONTINUED_PARAGRAPHS = 6       # a newspaper quote over more paragraphs is a pasted document
_CONTEXT = 300                     # characters of sentence read on each side of a quote
MAX_DEPTH = 6                      # deeper "nesting" is noise; extra openers stay text
_MARK_RE = re.compile(r"'''|''|``|[“”\"„«»‘’'‚]")
_DOUBLE_ANY = re.compile(r"[“”\"„«»]|''|``")
_SINGLE_PAIR = LazyPattern(r"(?:^|[\s(\[—–-])[‘'][^\W\d_]")     # only asked without double marks

_ELLIPSIS_AFTER = re.compile(r" (?:…|\.\.\.) ?\w")     # an opening mark, a space, an ellipsis, words
_OPEN_LEFT = set("([{—–-/“‘„«‚")          # what may stand before an opening mark
_CLOSE_RIGHT = set(".,;:!?)]}[…—–-”’»'\"")  # what may stand after a closing mark ("[Source.]" too)


def _left(ch: str | None) -> str:
    if ch is None or ch.isspace() or ch in _OPEN_LEFT:
        return "space"
    return "word" if ch.isalnum() else "punct"


def _right(ch: str | None) -> str:
    if ch is None or ch.isspace():
        return "space"
    if ch in _CLOSE_RIGHT:
        return "punct"
    return "word"


class _Open:
    __slots__ = ("start", "straight", "single")

    def __init__(self, start: int, straight: bool) -> None:
        self.start = start
        self.straight = straight
        self.single: int | None = None     # start of an open single quote inside, if any


def scan(text: str, continues: bool = False, single_primary: bool = False) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the quotes in one paragraph, outer before inner.

    ``continues``: the next paragraph opens with a quote mark, so a quote left open here runs to
    the end of this paragraph.  ``single_primary``: single marks are the article's quote marks."""
    spans: list[tuple[int, int]] = []
    stack: list[_Open] = []
    n = len(text)
    tokens: list[tuple[int, str]] = []
    for m in _MARK_RE.finditer(text):
        tok = m.group()
        if tok == "'''":           # a single close and a double close, or the reverse
            if stack or single_primary:
                tokens.append((m.start(), "'"))
                tokens.append((m.start() + 1, "''"))
            else:
                tokens.append((m.start(), "''"))
                tokens.append((m.start() + 2, "'"))
        else:
            tokens.append((m.start(), tok))
        # Process eagerly so memory for tokens stays small on huge paragraphs.
        for pos, mark in tokens:
            _step(text, n, pos, mark, stack, spans, single_primary)
        tokens.clear()
    if stack and continues:
        spans.append((stack[0].start, n))
    spans.sort(key=lambda se: (se[0], -se[1]))
    return spans


def _step(text: str, n: int, pos: int, mark: str, stack: list[_Open], spans: list[tuple[int, int]],
          single_primary: bool) -> None:
    end = pos + len(mark)
    left = _left(text[pos - 1] if pos > 0 else None)
    right = _right(text[end] if end < n else None)
    if pos > 0 and text[pos - 1] == "=":
        return                          # markup residue (name="value"): an attribute, not a quote
    if mark == '"' and text[end:end + 1] == "“" and (pos == 0 or text[pos - 1].isspace()):
        return                          # a doubled opener ("“You don’t …”): the curly one opens
    is_single = mark in ("‘", "’", "'", "‚")
    if is_single and not single_primary:
        if not stack:
            return
        top = stack[-1]
        if top.single is None:
            if mark in ("‘", "‚") and right != "space":
                top.single = pos
            elif mark == "'" and left == "space" and right == "word":
                top.single = pos
        elif mark in ("’", "'", "‘") and left != "space" and right != "word":
            spans.append((top.single, end))
            top.single = None
        return
    # A primary mark: double marks, or single marks in a single-primary article.
    if mark == "«":                     # French spacing: « texte »; German reverses: »Text«
        direction = "close" if left == "word" and right != "word" and stack else "open"
    elif mark == "»":
        direction = "open" if left == "space" and right == "word" and not stack else "close"
    elif mark in ("“", "„", "``", "‘", "‚"):
        direction = "open" if right != "space" or _ELLIPSIS_AFTER.match(text, end) else "none"
        if mark == "‘" and left == "word":
            direction = "none"
        elif mark == "“" and left in ("word", "punct") and right != "word" and stack and not stack[-1].straight:
            direction = "close"         # a mis-typed closer: “It is over,“ she said
    elif mark in ("”", "’"):
        if left == "space" and right == "word" and mark != "’":
            direction = "open"          # a mis-typed opener (”Like this”)
        elif left != "space" and right != "word":
            direction = "close"
        elif mark == "’":
            direction = "none"          # apostrophe
        else:
            direction = "close"
    else:                               # straight " or '' (or ' when single-primary)
        if right == "space" and left == "space" and mark != "'" and _ELLIPSIS_AFTER.match(text, end):
            direction = "open"          # " … if the primary were held": the quote starts mid-sentence
        elif right == "space":
            direction = "close" if left != "space" else "none"
            if direction == "none" and mark != "'" and stack and stack[-1].straight \
                    and text[max(0, pos - 3):pos].rstrip()[-1:] in ("'", "’") and spans and spans[-1][1] > stack[-1].start:
                direction = "close"     # ''… 'a term,' '' she said: the space only parts two closers
            elif direction == "none" and mark != "'" and stack and stack[-1].straight \
                    and re.match(r"[,.?!] $", text[max(0, pos - 2):pos]):
                direction = "close"     # "… doing this, " she said: a stray space before the closer
        elif left == "space":
            direction = "open" if (mark != "'" or right == "word") else "none"
        elif mark == "'":
            direction = "close" if right != "word" else "none"
        else:
            direction = "close" if stack and stack[-1].straight else "open"
    if direction == "open":
        if len(stack) < MAX_DEPTH:
            stack.append(_Open(pos, mark in ('"', "''", "'")))
    elif direction == "close" and stack:
        spans.append((stack.pop().start, end))


# ------------------------------------------------------------------------------------ kinds
_TITLE_NOUNS = frozenset("""program programme programs show shows book books newspaper newspapers
magazine film films movie movies documentary series song songs album column op-ed editorial podcast
play musical novel memoir episode poem painting track single essay blog broadcast sitcom drama opera
anthem headline headlined channel exhibition exhibit sketch segment video report manifesto
lecture speech-titled paper journal tabloid daily weekly newsletter website site app game
campaign motto slogan hashtag""".split())
_YEAR_AFTER = re.compile(r"\s?\((?:[A-Z][\w.’'-]*\s+){0,4}(?:1[89]|20)\d\d\)")
_WORK_PEOPLE = frozenset("star stars actor actors actress actresses cast host creator creators showrunner fans".split())
_NAMING_VERBS = frozenset("called named dubbed nicknamed branded renamed".split())
_TERM_CUES = frozenset("so-called term word words phrase label nickname moniker slogan dubbed termed quote-unquote".split())
_WORK_NOUNS = frozenset("""commentary column op-ed essay article book film movie song album poem novel
memoir documentary headline editorial show program programme podcast episode""".split())
_TITLE_VERBS = frozenset("titled entitled headlined".split())
_ABBREVIATION_DOT = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Mx|Dr|St|Jr|Sr|Mt|Gen|Gov|Sen|Rep|Prof|Rev|Lt|Col|Capt|Sgt|[A-Z])\.(?=\s+\w)")
_SMALL_WORDS = frozenset("a an the and or but nor of in on at to for by with from as vs into is".split())
_BYLINE_AFTER = re.compile(r",?\s+by\s+(?:[A-Z]|the\s+[A-Z])")
_DETERMINERS = frozenset("the a an his her their its our your my this these those".split())
# Words after which even one quoted word is what someone said ("shouted “Fire!”", "the word was “no”").
_SPEECH_LEADS = frozenset("that was is were are be as with of".split())
_WORD_RE = re.compile(r"[^\W_][\w'’.-]*")
_FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Mm]y|me|us|[Oo]ur)\b(?![’'](?:s|t)\b)|\bI[’'](?:m|ve|ll|d)\b")


def _is_titlecase(inner: str) -> bool:
    words = _WORD_RE.findall(inner)
    if not words or len(words) > 12 or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL_WORDS for w in words)


def _prev_words(text: str, pos: int, k: int = 4) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text[max(0, pos - 80):pos])[-k:]]


def classify(text: str, start: int, end: int, sentence: str) -> str:
    """``title``, ``term`` or ``speech`` for the quote text[start:end] in its (masked) sentence."""
    inner = text[start:end].strip("“”\"„«»‘’'` \u00a0")
    core = inner.rstrip(".,")            # American style puts the sentence's stop inside the mark
    words = _WORD_RE.findall(core)
    if not words:
        return "speech"
    if not any(ch.isalpha() for ch in core):
        return "term"                    # a number or an identifier
    if len(words) == 1 and (len(core) == 1 or core.endswith(":")):
        return "term"                    # a letter (“R,” “D,”) or a label (“Related:”): nobody's words
    # The dot of "Mr." or of an initial ends no sentence: “Mr. and Mrs. Khan of Virginia” is a name.
    sentence_like = bool(re.search(r"[.!?;:](?:\s|$)|[!?]$", _ABBREVIATION_DOT.sub("", core)))
    clause_comma = bool(re.search(r",(?!\d)", core))
    titlecase = _is_titlecase(core)
    prev = _prev_words(text, start)
    last_prev = prev[-1] if prev else ""
    before = text[max(0, start - 3):start].rstrip()
    after = _WORD_RE.findall(text[end:end + 40])[:2]
    prev_char = text[max(0, start - 200):start].rstrip()[-1:]
    mid_sentence = prev_char != "" and (prev_char.isalnum() or prev_char in ",’'")
    if not mid_sentence and re.search(r",(?:”|\"|'')$", text[max(0, start - 4):start].rstrip()):
        mid_sentence = True              # the next item of a list of quoted names: “A,” “B,” and “C”
    if re.search(r"#\w+\s*(?:[-–—(:,]\s*)?$", text[max(0, start - 60):start]):
        return "term"                    # #PorteOuverte - “open door”: a hashtag's gloss
    # Works, programmes and publications.
    if _YEAR_AFTER.match(text, end):
        return "title"                   # “Casablanca” (1942), a poster’s “No to X” (2005): a dated work
    if _BYLINE_AFTER.match(text, end) and len(words) <= 20:
        return "title"                   # “Club to close at year's end,” by Jo Smith: a headline
    if last_prev in _TITLE_VERBS and len(words) <= 15:
        return "title"
    if last_prev == "to" and "addressed" in prev[-3:-1] and words[0][0].isupper() and len(words) <= 12:
        return "title"                   # letters addressed to “Mr. and Mrs. Hale, Dorset”: an addressee, not words said
    if last_prev in _TERM_CUES or prev[-2:] == ["known", "as"] or prev[-3:-1] == ["known", "as"]:
        if len(words) <= 5 and not sentence_like:
            return "term"
    if last_prev in _NAMING_VERBS and titlecase and len(words) <= 8:
        return "title"
    if before.endswith(",") and last_prev in _WORK_NOUNS and len(words) <= 15 \
            and not any(w in CUE_WORDS for w in prev[:-1]):
        return "title"                   # his column, “Melania, tell your story,” (not: said of the episode, “…”)
    if titlecase and len({w.lower() for w in words}) >= 4 and re.search(r"\w[:!?]\s+[A-Z0-9]", core) and not clause_comma \
            and last_prev not in CUE_WORDS:
        return "title"                   # a work with a subtitle: “Backfire: The Rise and Fall of …”
    if titlecase and len(words) <= 10 and not sentence_like:
        if any(w in _TITLE_NOUNS for w in prev[-3:]):
            return "title"
        if before.endswith(("’s", "'s", "s’", "s'")):
            return "title"
        if after and (after[0].lower() in _TITLE_NOUNS or after[0].lower() in _WORK_PEOPLE):
            return "title"               # “Broad City” star, “Star Wars” fans: the people of a work
        if len(words) >= 2 and mid_sentence and not clause_comma and (last_prev not in CUE_WORDS or last_prev == "told"):
            return "title"               # a named thing (“Contract with America”); told “Meet the Press”
        if not mid_sentence and not clause_comma and inner[-1:].isalnum() and text[end:end + 1] == " " \
                and after and after[0][:1].islower() and after[0] not in CUE_WORDS and len(words) <= 4:
            return "title"               # “Friends” has been a hit: a name opening the sentence as its subject
        prev_raw = _WORD_RE.findall(text[max(0, start - 40):start])[-1:]
        if len(words) == 1 and before[-1:].isalpha() and prev_raw and prev_raw[0][:1].isupper() \
                and after and after[0][:1].isupper():
            return "term"                # a nickname between first and last name
        if len(words) == 1 and mid_sentence and last_prev not in CUE_WORDS and not sentence_like \
                and last_prev not in _SPEECH_LEADS and not last_prev.endswith("ed") and len(core) > 1 \
                and "-" not in core:
            return "title"               # one capitalised word mid-sentence: a name (“Avatar”), not words said
    # Words in the first person ("“I’m with her”", "“we will”") are someone's words, not a term.
    if _FIRST_PERSON.search(core) and not titlecase:
        return "speech"
    # A short term after a determiner ("the “countdown clock”", "a “psychopath”") names a thing,
    # even in a sentence that reports speech elsewhere.
    if len(words) <= 3 and not sentence_like and not clause_comma and last_prev in _DETERMINERS \
            and before[-1:].isalpha() and not text[end:end + 1] == "," and prev[-2:-1] != [] \
            and prev[-2] not in CUE_WORDS:      # "welcomed the “positive role”" reports words
        return "term"
    # Scare quotes: a short term embedded in a sentence that reports no speech.
    if len(words) <= 3 and not sentence_like and not clause_comma and prev_char.isalnum() \
            and CUES.search(sentence) is None:
        return "term"
    return "speech"


# ------------------------------------------------------------------------------------ building
def _build(text: str, spans: list[tuple[int, int]], kinds: dict[tuple[int, int], str]) -> tuple[Inline, ...]:
    """Inlines for ``text`` with the (properly nested, sorted) spans as Quote nodes.  Iterative,
    so no nesting depth can reach Python's recursion limit."""
    root: list[Inline] = []
    frames: list[tuple[int, str, list[Inline]]] = []      # open quotes: (end, kind, children)
    cursor = 0
    current = root

    def close_frames_until(pos: int) -> None:
        nonlocal cursor, current
        while frames and frames[-1][0] <= pos:
            f_end, f_kind, f_children = frames.pop()
            if cursor < f_end:
                f_children.append(Text(text[cursor:f_end]))
            cursor = f_end
            current = frames[-1][2] if frames else root
            current.append(Quote(f_kind, None, tuple(f_children)))  # type: ignore[arg-type]

    for s, e in spans:
        close_frames_until(s)
        if frames and e > frames[-1][0]:
            continue                       # crosses its parent: cannot nest, keep as text
        if cursor < s:
            current.append(Text(text[cursor:s]))
        cursor = s
        children: list[Inline] = []
        frames.append((e, kinds.get((s, e), "speech"), children))
        current = children
    close_frames_until(len(text) + 1)
    if cursor < len(text):
        root.append(Text(text[cursor:]))
    return tuple(root)


def _mark_run(text: str, continues: bool, single_primary: bool) -> tuple[Inline, ...] | None:
    spans = scan(text, continues, single_primary)
    if not spans:
        return None
    # Kinds: each quote is judged in the sentence around it, with the quotes of that level blanked.
    top: list[tuple[int, int]] = []
    for s, e in spans:
        if not top or s >= top[-1][1]:
            top.append((s, e))
    fake = [Span(s, e, 0, "speech", None, True) for s, e in top]
    mtext = masked(text, fake)
    bounds = sentence_bounds(mtext)
    kinds: dict[tuple[int, int], str] = {}
    top_set = set(top)
    parent = (0, len(text))
    b = 0
    for s, e in spans:
        if (s, e) in top_set:
            parent = (s, e)
            while b < len(bounds) - 1 and bounds[b][1] <= s:
                b += 1
            # The sentence around the quote, clipped so a paragraph without stops stays linear.
            lo, hi = max(bounds[b][0], s - _CONTEXT), min(bounds[b][1], e + _CONTEXT)
            kinds[(s, e)] = classify(text, s, e, mtext[lo:hi])
        else:
            lo, hi = max(parent[0] + 1, s - _CONTEXT), min(parent[1], e + _CONTEXT)
            kinds[(s, e)] = classify(text, s, e, text[lo:s] + text[e:hi])
    return _build(text, spans, kinds)


def mark_quotes(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Return ``blocks`` with quoted spans turned into :class:`Quote` nodes (marks inside)."""
    runs = [blk for blk in iter_paragraph_blocks(blocks)]
    texts = [flatten(blk.content)[0] for blk in runs]
    single_primary = not any(_DOUBLE_ANY.search(t) for t in texts) and any(_SINGLE_PAIR.search(t) for t in texts)
    opener = re.compile(r"\s*[‘']") if single_primary else OPENING_MARK_RE
    next_opens = [bool(opener.match(texts[i + 1])) if i + 1 < len(texts) else False
                  for i in range(len(texts))]
    # A run of more consecutive paragraphs opening with a quote mark than a reported quote ever
    # spans is a pasted document or transcript: its unclosed marks stay text.
    run_start = 0
    for i in range(len(texts) + 1):
        if i < len(texts) and next_opens[i]:
            continue
        if i - run_start + 1 > MAX_CONTINUED_PARAGRAPHS:
            for j in range(run_start, min(i + 1, len(texts))):
                next_opens[j] = False
        run_start = i + 1
    counter = iter(range(len(runs)))

    def convert(block) -> tuple[Inline, ...]:
        i = next(counter)
        content = block.content
        if not all(isinstance(node, Text) for node in content):
            return _convert_mixed(content, single_primary)
        built = _mark_run(texts[i], next_opens[i] and isinstance(block, Paragraph), single_primary)
        return content if built is None else built

    return map_blocks(tuple(blocks), convert)


def _convert_mixed(content: tuple[Inline, ...], single_primary: bool) -> tuple[Inline, ...]:
    """Runs of Text between other inline nodes are scanned on their own; other nodes are kept."""
    out: list[Inline] = []
    changed = False
    run: list[str] = []

    def flush() -> None:
        nonlocal changed
        if run:
            text = "".join(run)
            built = _mark_run(text, False, single_primary)
            if built is None:
                out.append(Text(text))
            else:
                out.extend(built)
                changed = True
            run.clear()

    for node in content:
        if isinstance(node, Text):
            run.append(node.text)
        else:
            flush()
            out.append(node)
    flush()
    return tuple(out) if changed else content
