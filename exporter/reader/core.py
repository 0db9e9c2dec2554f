"""The plain-text reader: decoded text -> :class:`exporter.ast.Article`.

Stages, in order (each a small function over the list of units):

1. front matter (``---`` … ``---``) -> caller-overridable metadata;
2. units: one per line, or one per blank-separated block when the text is hard-wrapped;
3. boilerplate: known furniture phrases (share bars, sign-in, cookie notices…);
4. related-content markers and their teaser lists -> ``related``;
5. title (caller > front matter > a headline first line > the lede), repeats of it, bylines and
   date stamps, lines repeated verbatim;
6. the article's extent on whole-page text: the densest run of prose, found in one linear pass
   (maximum-sum segment); menus outside it and runs of menu lines inside it are dropped;
7. blocks: paragraphs, implicit and ``#`` headings, lists, blockquotes, rules;
8. language, then quotes and speakers, then interview transcript lines (``NAME: …``, ``Q:``/``A:``).

Every unit that does not reach the body is recorded in ``dropped`` line by line with a reason
(REASONS.md), so the body's words plus the dropped words are the input's words.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping

from ..ast import (Article, Block, BlockQuote, Dropped, Heading, ListBlock, Meta, Paragraph,
                   RelatedItem, Rule, Text, META_FIELDS)
from ..errors import InputError, UsageError
from . import quotes, speakers
from ._transcript import dialogue_line, mark_transcripts, turn_label
from .boilerplate import classify_line, site_from_line, source_from_line
from .decode import normalize_text
from .frontmatter import parse_front_matter
from .language import guess_language, stopword_ratio
from .metadata import (byline_of, find_date, headline_like, is_date_line, lede_title, menu_line,
                       split_site, title_cased)
from .related import group_teasers, inline_related, is_marker, teaser_prose, teaser_run_length
from .textutil import ATTRIBUTION_LINE, WORD, ends_full_stop, ends_sentence, has_letters, last_mark, norm_key, word_weight
from .units import Unit, looks_hard_wrapped, make_units

# Region scoring: a prose unit scores its word count, any other unit costs this much.
CHROME_PENALTY = 12
DROPPED_PENALTY = 12
PROSE_MIN_WORDS = 6
PROSE_MIN_STOPWORDS = 0.15
PROSE_LONG_WORDS = 20          # this long, a unit is prose even without a closing full stop
SWITCH_COST = 30
EXTRA_RUN_SHARE = 0.5
COMMENTS_AFTER_WORDS = 150
TEASER_LIST_ENDS = frozenset({"comments", "copyright", "sign-in", "related-marker"})
IN_ARTICLE_FURNITURE = frozenset({"advert", "related-link", "image-credit", "share-widget", "link-residue", "newsletter"})
ABSORB_GAP = 2
CLOSING_SENTENCES = 2
CLOSING_MAX_WORDS = 10
MENU_MAX_WORDS = 6
TEASER_MIN_WORDS = 4
HEADLINE_ABOVE_MIN_WORDS = 4   # a headline found above the article (not on top of the page) is this long
_ABOVE_HEADLINE_FURNITURE = frozenset({"byline", "dateline", "image-credit", "reading-time", "share-widget"})
TRANSCRIPT_MIN_TURNS = 3        # labelled lines that make an exchange (two of them can be a list's labels)
INTRODUCED_LIST_MAX = 12        # lines after "… three ways:" read as its list, at most this many
CHART_RUN = 3                  # this many label-only lines in a row: a chart's axis, not chrome
CHART_WORD_MAX = 12            # a one-word line this short may sit among a chart's labels
NAV_RUN = 3                    # this many menu-like units in a row inside the article: a menu
TABLE_MIN_ROWS = 2             # lines in a row with as many tab-separated cells: a table
LIVE_MIN_ENTRIES = 2           # this many time-stamped entries make a live blog
STAMP_MAX_WORDS = 4            # an entry's time stamp: "14:15 GMT", "10.30am", "23:48 CET"
LIVE_INTRO_MAX_WORDS = 120     # a live blog's entries start after at most this much prose
HEADING_MAX_WORDS = 15
HEADLINE_MIN_WORDS = 2           # "BREAKING" or "Politics" alone is a label, not a headline
HEADING_MAX_CHARS = 120
LANGUAGE_SAMPLE = 20000


class _State:
    """Mutable working state of one read (local to :func:`read_text`)."""
    # (A plain class, not a dataclass: creating a dataclass costs ~0.3 ms of start-up.)

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.reasons: dict[int, str] = {}                      # unit index -> dropped reason
        self.related: list[tuple[int, RelatedItem]] = []
        self.inferred: dict[str, str] = {}                     # Meta field -> inferred value
        self.listed: set[int] = set()                          # unmarked lines read as list items
        self.entry_heads: set[int] = set()                     # a live blog's entry headings
        self.table_rows: set[int] = set()                      # rows of a tab-separated table

    def live(self) -> list[int]:
        return [i for i in range(len(self.units)) if i not in self.reasons]

    def drop(self, index: int, reason: str) -> None:
        self.reasons.setdefault(index, reason)

    def infer(self, name: str, value: str | None) -> None:
        if value and name not in self.inferred:
            self.inferred[name] = value


def read_text(text: str, *, meta: Mapping[str, object] | None = None, keep_boilerplate: bool = False,
              source_name: str = "<input>") -> Article:
    """Read already-decoded article text.  ``meta`` holds caller overrides (Meta field names;
    ``tags`` a list): caller > front matter > inference."""
    word_weight.cache_clear()       # per-read memo: a read never profits from an earlier one
    stopword_ratio.cache_clear()
    text = normalize_text(text)
    if not text.strip():
        raise InputError(f"{source_name}: empty input (no text)")
    lines = text.split("\n")
    front = parse_front_matter(lines)
    wrapped = looks_hard_wrapped(lines[front.line_count:])
    units = [u for u in make_units(lines, front.line_count, wrapped) if u.text or u.marker == "rule"]
    state = _State(units)

    if not keep_boilerplate:
        _drop_boilerplate(state)
        _split_related(state)
    title_index = _find_title(state, keep_boilerplate)
    if title_index is not None and not keep_boilerplate:
        state.drop(title_index, "title")
    if not keep_boilerplate:
        _drop_bylines_and_dates(state)
        _drop_repeats(state)
        _select_article(state)
        if title_index is None:
            title_index = _headline_above_article(state)

    body = _build_blocks(state)
    overrides = _caller_meta(meta, source_name)
    article_meta = _resolve_meta(state, front.values, overrides, body, title_index)

    blocks = tuple(body)
    blocks = quotes.mark_quotes(blocks)
    blocks = speakers.attribute_speakers(blocks)
    blocks = mark_transcripts(blocks)

    dropped = [Dropped(n, line, "front-matter") for n, line in enumerate(front.lines, 1) if line.strip()]
    for index, reason in state.reasons.items():
        unit = units[index]
        dropped.extend(Dropped(n, line, reason) for n, line in zip(unit.line_numbers, unit.lines))
    dropped.sort(key=lambda d: d.line)
    related = tuple(item for _, item in sorted(state.related, key=lambda pair: pair[0]))
    return Article(meta=article_meta, body=tuple(blocks), related=related, dropped=tuple(dropped))


# ------------------------------------------------------------------------------------ stages
def _drop_boilerplate(state: _State) -> None:
    for index, unit in enumerate(state.units):
        if unit.marker in ("rule", "heading") or is_marker(unit.text) or inline_related(unit.text):
            continue          # related markers and links are the next stage's
        reason = classify_line(unit.text)
        if reason is not None:
            state.drop(index, reason)
            state.infer("site", site_from_line(unit.text))
            state.infer("source", source_from_line(unit.text))


def _split_related(state: _State) -> None:
    units = state.units
    index = 0
    while index < len(units):
        if index in state.reasons:
            index += 1
            continue
        text = units[index].text
        headline = inline_related(text)
        if headline is not None:
            state.drop(index, "related-link")
            state.related.append((index, RelatedItem(headline, None)))
            index += 1
            continue
        if not is_marker(text):
            index += 1
            continue
        state.drop(index, "related-marker")
        following = _teaser_candidates(state, index + 1)
        run = [units[i] for i in following]
        length = teaser_run_length(run, 0)
        by_first_line = {units[i].first: i for i in following[:length]}
        for teaser in group_teasers(run[:length]):
            for caption in teaser.captions:
                state.drop(by_first_line[caption.first], "teaser-caption")
            head, summary = teaser.headline, teaser.summary
            if summary is None and not _plausible_teaser(head):
                continue          # a menu entry, a date or a byline: left to the later stages
            if head is not None:
                state.drop(by_first_line[head.first], "related-teaser")
            if summary is not None:
                state.drop(by_first_line[summary.first], "related-teaser")
            first = head or summary
            if first is not None:
                title = first.text if head is not None else summary.text
                state.related.append((by_first_line[first.first],
                                      RelatedItem(title, summary.text if head is not None and summary is not None else None)))
        index = following[length - 1] + 1 if length else index + 1


def _plausible_teaser(unit: Unit | None) -> bool:
    """A headline-only teaser has a few words: it is not a menu entry ("About"), a time stamp
    ("4 hours ago") or a byline."""
    if unit is None or unit.marker is not None:
        return False
    text = unit.text
    return word_weight(text) >= TEASER_MIN_WORDS and not is_date_line(text) and byline_of(text) is None


def _teaser_candidates(state: _State, start: int) -> list[int]:
    """The live units after a related marker that may be teasers: stepping over furniture (ads,
    share bars) but not past a comments header, a copyright footer or another marker, and no
    further than two prose units in a row (the article resumes there)."""
    following: list[int] = []
    prose_in_row = 0
    for i in range(start, len(state.units)):
        reason = state.reasons.get(i)
        if reason in TEASER_LIST_ENDS or (reason is None and is_marker(state.units[i].text)):
            break
        if reason is not None:
            continue
        following.append(i)
        prose_in_row = prose_in_row + 1 if teaser_prose(state.units[i].text) else 0
        if prose_in_row >= 2:
            break
    return following


def _find_title(state: _State, keep_boilerplate: bool = False) -> int | None:
    """Index of the unit that is the document's headline, or None (the lede will give the title).
    Its text, cleaned of a " - Site Name" suffix, goes to ``state.inferred``.  With
    ``keep_boilerplate`` nothing is dropped, but furniture lines are still not headlines."""
    live = state.live()
    if keep_boilerplate:
        live = [i for i in live if classify_line(state.units[i].text) is None]
    # A date stamp, a byline, a menu or breadcrumb line above the headline is not the headline,
    # nor is a section label over it ("Opinion" above the headline).
    while live and (_date_stamp(state.units[live[0]].text) or byline_of(state.units[live[0]].text)
                    or menu_line(state.units[live[0]].text) or _kicker(state, live)):
        live = live[1:]
    if not live:
        return None
    index = live[0]
    unit = state.units[index]
    if unit.marker == "heading":
        state.infer("title", unit.text)
        return index
    if unit.marker is not None:
        return None
    if not headline_like(unit.text) or word_weight(unit.text) < HEADLINE_MIN_WORDS:
        if not (unit.blank_after and title_cased(unit.text) and ends_full_stop(unit.text)):
            return None
    headline, site = split_site(unit.text)
    if headline.endswith(".") and not headline.endswith("..") and not re.search(r"(?:\b[A-Z]\.){2,}$", headline):
        headline = headline[:-1]
    state.infer("site", site)
    # The page's own headline line (its <h1>) repeats the title line's headline, or starts it.
    key_line, key_head = norm_key(unit.text), norm_key(headline)
    later = [i for i in live[1:] if state.units[i].marker is None]
    for i in later:
        key = norm_key(state.units[i].text)
        if key and key != key_line and _same_headline(key, key_line, key_head) and headline_like(state.units[i].text):
            headline = state.units[i].text
            break
    else:
        if word_weight(headline) <= 3 and site is None and not any(norm_key(state.units[i].text) == key_head for i in later):
            # A site name alone ("Quanta Magazine"): the headline is the line above the byline.
            for previous, current in zip(later, later[1:]):
                if byline_of(state.units[current].text) and headline_like(state.units[previous].text) \
                        and word_weight(state.units[previous].text) >= 3:
                    state.infer("site", headline)
                    headline = state.units[previous].text
                    break
    state.infer("title", headline)
    title_key = norm_key(headline)
    for i in later if not keep_boilerplate else ():
        if norm_key(state.units[i].text) == title_key:
            state.drop(i, "title")
    return index


def _kicker(state: _State, live: list[int]) -> bool:
    """A section label over the headline: one word, no sentence, then a line that reads as
    a headline ("Opinion" / "Our libraries are not a luxury")."""
    unit = state.units[live[0]]
    if unit.marker is not None or word_weight(unit.text) >= HEADLINE_MIN_WORDS or len(live) < 2 \
            or not headline_like(unit.text):
        return False
    following = state.units[live[1]]
    return following.marker is None and headline_like(following.text) \
        and word_weight(following.text) >= HEADLINE_ABOVE_MIN_WORDS


def _headline_above_article(state: _State) -> int | None:
    """With no headline at the top of the page, the line right above the article (over its
    byline and date) is the headline when it reads as one -- even with a colon or quote marks
    ("Mayor: “We will rebuild”"), which make it look like chrome to the extent rules."""
    live = state.live()
    if not live:
        return None
    index = live[0] - 1
    while index >= 0 and state.reasons.get(index) in _ABOVE_HEADLINE_FURNITURE:
        index -= 1
    if index < 0 or state.reasons.get(index) != "page-chrome":
        return None
    unit = state.units[index]
    if unit.marker is not None or not headline_like(unit.text) or word_weight(unit.text) < HEADLINE_ABOVE_MIN_WORDS \
            or not unit.text[:1].isupper() and unit.text[:1] not in "“\"‘'":
        return None
    state.reasons[index] = "title"
    state.infer("title", unit.text)
    return index


def _date_stamp(text: str) -> bool:
    """A date line that is not "Headline - Feb. 1, 2016"."""
    return is_date_line(text) and word_weight(split_site(text)[0]) <= 3


def _same_headline(key: str, key_line: str, key_head: str) -> bool:
    """A later line is the page's visible headline when the title line starts with it, or when
    it differs from the title line's headline only in its last words (sites edit one or the
    other: "Součkovu práci je…" / "Součka je…")."""
    if key_line.startswith(key) and len(key) >= 0.4 * len(key_line):
        return True
    if key == key_head or abs(len(key) - len(key_head)) > 0.4 * len(key_head):
        return False
    common = len(os.path.commonprefix([key, key_head]))
    return common >= 0.6 * len(key_head) and common >= 20


def _drop_bylines_and_dates(state: _State) -> None:
    for index in state.live():
        unit = state.units[index]
        if unit.marker is not None:
            continue
        name = byline_of(unit.text)
        if name is not None:
            state.drop(index, "byline")
            state.infer("byline", name)
            state.infer("date", find_date(unit.text))
        elif is_date_line(unit.text):
            state.drop(index, "dateline")
            state.infer("date", find_date(unit.text))


def _drop_repeats(state: _State) -> None:
    seen: set[str] = set()
    for index, unit in enumerate(state.units):
        key = norm_key(unit.text)
        if not key:
            continue
        if key in seen and index not in state.reasons:
            state.drop(index, "repeated")
        seen.add(key)


def _is_prose(unit: Unit) -> bool:
    """Sentences: enough words, a closing full stop (or length), and the function words that
    sentences have and menus, name lists and tag clouds lack."""
    text = unit.text
    weight = word_weight(text)
    if weight < PROSE_MIN_WORDS:
        return False
    if _cjk_heavy(text):
        # No spaces, no function-word test: a sentence of these scripts ends in its own stop.
        return ends_sentence(text)
    if not (weight >= PROSE_LONG_WORDS or ends_sentence(text) or last_mark(text) == ":"):
        return False
    return stopword_ratio(text) >= PROSE_MIN_STOPWORDS


def _cjk_heavy(text: str) -> bool:
    return word_weight(text) > 2 * len(text.split())


def _menu_like(unit: Unit) -> bool:
    """A menu entry: no sentence, and either a few words or words without function words (an
    unmarked list of key points reads as clauses: "He is confident the deal will pass")."""
    if unit.marker is not None or _is_prose(unit) or ends_sentence(unit.text):
        return False
    return word_weight(unit.text) <= MENU_MAX_WORDS or stopword_ratio(unit.text) < PROSE_MIN_STOPWORDS


def _item_score(unit: Unit) -> int:
    """What a list item (or a table row) earns: authored structure is article matter."""
    return max(1, word_weight(unit.text) // 2)


def _score(unit: Unit) -> int:
    if unit.marker in ("bullet", "ordered", "quote"):
        return _item_score(unit)
    if unit.marker in ("heading", "rule"):
        return 0
    return word_weight(unit.text) if _is_prose(unit) else -CHROME_PENALTY


def _table_rows(state: _State) -> set[int]:
    """A table copied from a page pastes as lines of tab-separated cells, one line per row:
    TABLE_MIN_ROWS or more lines in a row with the same number (two or more) of cells.  Its rows
    are article matter (figures the text discusses), however little they read as prose."""
    rows: set[int] = set()
    units = state.units
    run: list[int] = []
    cells = 0
    for index in range(len(units) + 1):
        unit = units[index] if index < len(units) else None
        count = 0
        if unit is not None and index not in state.reasons and unit.marker is None and len(unit.lines) == 1:
            count = len([c for c in unit.lines[0].strip().split("\t") if c.strip()])
        if count >= 2 and (not run or count == cells and index == run[-1] + 1):
            run.append(index)
            cells = count
            continue
        if len(run) >= TABLE_MIN_ROWS:
            rows.update(run)
        run, cells = ([index], count) if count >= 2 else ([], 0)
    return rows


# A time of day: "14:15", "10.30am", "9pm".
_TIME_OF_DAY = re.compile(r"(?<![\d.:])\d{1,2}(?:[:.]\d{2}(?![\d.:]\d)|\s?[ap]\.?m\b)", re.IGNORECASE)


def _live_entries(state: _State) -> tuple[set[int], set[int]]:
    """A live blog: entries each under a time stamp ("14:15 GMT", maybe with "2h ago"), often
    with a short heading of their own ("Polls close").  With LIVE_MIN_ENTRIES or more stamps each
    followed by text, the stamps (dropped as date lines) and the entry headings (too short to be
    prose) cost nothing: they sit inside the article, they do not end it.  The entries start the
    page's prose (after at most a short summary): stamped items after a whole article are a news
    ticker beside it.  Returns (stamp units, entry-heading units)."""
    units, reasons = state.units, state.reasons
    n = len(units)
    stamps: set[int] = set()
    heads: set[int] = set()
    entries = 0
    index = 0
    while index < n:
        if index not in reasons and _stamped_heading(units, reasons, index):
            # the stamp on the heading's own line: "14:15 Power cut to 40,000 homes"
            if not entries and _intro_words(state, index) > LIVE_INTRO_MAX_WORDS:
                return set(), set()
            entries += 1
            heads.add(index)
            index += 1
            continue
        if reasons.get(index) != "dateline":
            index += 1
            continue
        group = [index]
        while group[-1] + 1 < n and reasons.get(group[-1] + 1) == "dateline":
            group.append(group[-1] + 1)
        index = group[-1] + 1
        if not any(word_weight(units[i].text) <= STAMP_MAX_WORDS and _TIME_OF_DAY.search(units[i].text)
                   for i in group) or index >= n or index in reasons:
            continue
        if not entries and _intro_words(state, group[0]) > LIVE_INTRO_MAX_WORDS:
            return set(), set()
        entries += 1
        stamps.update(group)
        head, after = units[index], index + 1
        if head.marker is None and not _is_prose(head) and word_weight(head.text) <= HEADING_MAX_WORDS \
                and after < n and after not in reasons and _is_prose(units[after]):
            heads.add(index)
    if entries < LIVE_MIN_ENTRIES:
        return set(), set()
    return stamps, heads


def _intro_words(state: _State, end: int) -> int:
    """Words of prose before unit ``end``: how much article comes before a first entry."""
    return sum(word_weight(state.units[i].text) for i in range(end)
               if i not in state.reasons and _is_prose(state.units[i]))


def _stamped_heading(units: list[Unit], reasons: dict, index: int) -> bool:
    """A short heading that opens with its time stamp, followed by the entry's text."""
    unit, after = units[index], index + 1
    return unit.marker is None and _STAMP_FIRST.match(unit.text) is not None and not _is_prose(unit) \
        and word_weight(unit.text) <= HEADING_MAX_WORDS and after < len(units) and after not in reasons \
        and _is_prose(units[after])


_STAMP_FIRST = re.compile(r"\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?\s+[^\W\d_]", re.IGNORECASE)

# A line with no word of three letters: "’18", "100", "%", "$263", "14:10".
_LABEL_ONLY = re.compile(r"[^A-Za-z]*(?:[A-Za-z]{1,2}[^A-Za-z]*)?")


def _introduced_list_items(state: _State) -> tuple[set[int], set[int]]:
    """Short lines right after a sentence ending in a colon ("It improves in three ways:") are
    that sentence's list -- product features, steps -- however much they look like a menu.  A
    label ending in a colon ("Key findings:") introduces a list too when it stands between two
    pieces of prose: after a paragraph, its items (lines of up to HEADING_MAX_WORDS words, a list
    that lost its markers), then the article again.  Returns (items, such labels)."""
    items: set[int] = set()
    labels: set[int] = set()
    units, reasons = state.units, state.reasons
    for index, unit in enumerate(units):
        if index in reasons or unit.marker is not None or last_mark(unit.text) != ":":
            continue
        sentence = _is_prose(unit)
        if not sentence and not (word_weight(unit.text) <= MENU_MAX_WORDS and _prose_before(state, index)):
            continue
        longest = MENU_MAX_WORDS if sentence else HEADING_MAX_WORDS
        following = index + 1
        while following < len(units) and following - index <= INTRODUCED_LIST_MAX and following not in reasons \
                and units[following].marker is None and not _is_prose(units[following]) \
                and not ends_sentence(units[following].text) and word_weight(units[following].text) <= longest:
            following += 1
        run = range(index + 1, following)
        if not sentence and (len(run) < 2 or following >= len(units) or following in reasons
                             or not _is_prose(units[following])):
            continue
        items.update(run)
        if not sentence:
            labels.add(index)
    return items, labels


def _prose_before(state: _State, index: int) -> bool:
    """The nearest unit above ``index`` not dropped as furniture is prose."""
    for i in range(index - 1, -1, -1):
        if i not in state.reasons:
            return _is_prose(state.units[i])
    return False


def _soften_chart_labels(units: list[Unit], scores: list[int]) -> None:
    """A chart inside an article pastes as a run of axis labels, repeated for each of its sizes.
    Such a run (label lines and one-word lines in a row, CHART_RUN or more of them labels, kept
    or already dropped) interrupts the article without marking its end the way a menu or a
    footer does, so each of its lines costs only a point.  A lone label -- a live blog's "14:10"
    between items -- keeps its full cost."""
    run: list[int] = []
    labels = 0
    for index in range(len(units) + 1):
        text = units[index].text.strip() if index < len(units) else ""
        label = bool(text) and _LABEL_ONLY.fullmatch(text) is not None
        if label or (run and text and " " not in text and len(text) <= CHART_WORD_MAX):
            run.append(index)          # a unit word ("billion", "PROJECTED") inside the axis too
            labels += label
            continue
        if labels >= CHART_RUN:
            for i in run:
                scores[i] = -1
        run, labels = [], 0


def _score_transcript_turns(state: _State, scores: list[int]) -> None:
    """An interview's turns are short ("TALBOT: They are wrong.") and its stage directions
    ("(CROSSTALK)") are no sentences, so as prose they would cost like a menu and cut the
    interview off halfway.  In an exchange (see :func:`_exchanges`) each turn earns its words and
    whatever stands between two turns costs nothing."""
    units = state.units
    turns = {index: label for index, unit in enumerate(units)
             if index not in state.reasons and unit.marker is None
             and (label := turn_label(unit.text)) is not None}
    for first, last in _exchanges(state, scores, turns):
        for i in range(first, last + 1):
            scores[i] = max(scores[i], word_weight(units[i].text) if i in turns else 0)


def _exchanges(state: _State, scores: list[int], turns: dict[int, str]) -> list[tuple[int, int]]:
    """(first, last) unit of each exchange: TRANSCRIPT_MIN_TURNS turns or more, by two labels at
    least, one of them speaking again (a masthead's "EDITOR: …", "PUBLISHER: …" lines name each
    label once); between two turns only prose (an answer's further paragraphs), furniture
    already dropped and at most ABSORB_GAP stage directions."""
    found: list[tuple[int, int]] = []
    run: list[int] = []
    for index in sorted(turns) + [None]:
        if run and index is not None:
            between = range(run[-1] + 1, index)
            if all(scores[i] > 0 or i in state.reasons or _stage_direction(state.units[i].text) for i in between) \
                    and sum(1 for i in between if scores[i] <= 0) <= ABSORB_GAP:
                run.append(index)
                continue
        said = [turns[i] for i in run]
        if len(said) >= TRANSCRIPT_MIN_TURNS and 2 <= len(set(said)) < len(said):
            found.append((run[0], run[-1]))
        run = [index] if index is not None else []
    return found


def _stage_direction(text: str) -> bool:
    """A line wholly in brackets: "(CROSSTALK)", "[Applause]", "(BEGIN VIDEO CLIP)"."""
    text = text.strip()
    return len(text) > 2 and text[0] in "([" and text[-1] in ")]" and word_weight(text) <= MENU_MAX_WORDS


def _select_article(state: _State) -> None:
    """Keep the densest run of prose (maximum-sum segment, Kadane's algorithm: linear).  Lines
    already dropped as furniture take part as evidence: a menu or share bar between two runs of
    prose separates them as much as any other short line does."""
    units = state.units
    if not units:
        return
    scores = [-DROPPED_PENALTY if i in state.reasons else _score(u) for i, u in enumerate(units)]
    _soften_chart_labels(units, scores)
    listed, labels = _introduced_list_items(state)
    state.listed = listed
    for index in listed:
        scores[index] = _item_score(units[index])                       # like an authored list item
    for index in labels:
        scores[index] = 0                                               # like a heading
    state.table_rows = _table_rows(state)
    for index in state.table_rows:
        scores[index] = _item_score(units[index])                       # like an authored list item
    stamps, state.entry_heads = _live_entries(state)
    for index in stamps | state.entry_heads:
        scores[index] = max(scores[index], 0)
    _score_transcript_turns(state, scores)
    found = _article_units(scores)
    if found is None:
        return        # no prose at all: keep the text as it is
    inside, core = found
    for index in state.entry_heads:          # the first entry's heading, before its text
        if index + 1 < len(units) and inside[index + 1]:
            inside[index] = True
    _absorb_neighbours(state, inside)
    _keep_closing_sentences(state, inside)
    _cut_at_comments(state, inside, core)
    live = state.live()
    for index in live:
        if not inside[index]:
            state.drop(index, "outside-article" if _is_prose(units[index]) else "page-chrome")
    # Menus inside the article: runs of short lines that are neither sentences nor headings.
    run: list[int] = []
    for index in [i for i in live if inside[i]] + [-1]:
        if index >= 0 and _menu_like(units[index]) and index not in listed and index not in state.entry_heads \
                and index not in state.table_rows:
            run.append(index)
            continue
        if len(run) >= NAV_RUN:
            for i in run:
                state.drop(i, "navigation")
        run = []


def _absorb_neighbours(state: _State, inside: list[bool]) -> None:
    """Prose next to the article, separated from it by no more than two units that are in-article
    furniture (an advert, a "Read more:" link), short sentences or a subheading, is the
    article's too -- short paragraphs may not outweigh those units' cost in the scoring."""
    n = len(state.units)
    for step in (1, -1):
        index = 0 if step == 1 else n - 1
        while 0 <= index < n:
            if not (inside[index] and index not in state.reasons):
                index += step
                continue
            gap: list[int] = []
            probe = index + step
            while 0 <= probe < n and len(gap) < ABSORB_GAP and not _joins(state, probe, inside) \
                    and _bridgeable(state, probe, inside):
                gap.append(probe)
                probe += step
            if gap and 0 <= probe < n and _joins(state, probe, inside):
                for i in gap + [probe]:
                    if i not in state.reasons:
                        inside[i] = True
                index = probe
                continue
            index += step


def _keep_closing_sentences(state: _State, inside: list[bool]) -> None:
    """An article often ends on a short sentence ("Only one stayed home.") that is too short to
    count as prose: up to two such sentences right after its last unit stay in it."""
    live = state.live()
    last = max((position for position, i in enumerate(live) if inside[i]), default=None)
    if last is None:
        return
    for i in live[last + 1: last + 1 + CLOSING_SENTENCES]:
        unit = state.units[i]
        weight = word_weight(unit.text)
        if unit.marker is not None or not ends_sentence(unit.text) or not 2 <= weight <= CLOSING_MAX_WORDS \
                or "@" in unit.text:
            break
        inside[i] = True


def _joins(state: _State, index: int, inside: list[bool]) -> bool:
    return index not in state.reasons and (inside[index] or _is_prose(state.units[index]))


def _bridgeable(state: _State, index: int, inside: list[bool]) -> bool:
    reason = state.reasons.get(index)
    if reason is not None:
        return reason in IN_ARTICLE_FURNITURE
    unit = state.units[index]
    # Short sentences, subheadings, lines of dialogue ("“What now?” he asked") and attribution
    # lines ("— Ana Ruiz").
    return not inside[index] and (ends_sentence(unit.text) or _implicit_heading(unit)
                                  or any(mark in unit.text for mark in "“”\"")
                                  or ATTRIBUTION_LINE.fullmatch(unit.lines[0].strip()) is not None)


def _cut_at_comments(state: _State, inside: list[bool], core: list[bool]) -> None:
    """A comments marker ("View comments (27)", "Leave a comment") after the article's main run
    has begun ends it: what follows is readers' comments and the page's footer."""
    prose_before = 0
    start = core.index(True)
    for index, unit in enumerate(state.units[start:], start):
        if state.reasons.get(index) == "comments" and prose_before >= COMMENTS_AFTER_WORDS:
            for later in range(index + 1, len(state.units)):
                inside[later] = False
                if later not in state.reasons:
                    state.drop(later, "comments")
            return
        if core[index] and index not in state.reasons and _is_prose(unit):
            prose_before += word_weight(unit.text)


def _article_units(scores: list[int]) -> tuple[list[bool], list[bool]] | None:
    """The article: the maximum-sum run of units (Kadane), plus any other run of prose the
    two-state path finds that weighs at least EXTRA_RUN_SHARE of it (an article interrupted by
    a chart or a share bar continues after it; a sidebar's blurbs weigh less)."""
    best_sum, best_start, best_end = 0, -1, -1
    running, start = 0, 0
    for index, score in enumerate(scores):
        if running <= 0:
            running, start = 0, index
        running += score
        if running > best_sum:
            best_sum, best_start, best_end = running, start, index
    if best_sum <= 0:
        return None
    inside = [best_start <= i <= best_end for i in range(len(scores))]
    core = list(inside)
    path = _content_path(scores)
    if path is None:
        return inside, list(inside)
    index = 0
    while index < len(scores):
        if not path[index]:
            index += 1
            continue
        end = index
        while end + 1 < len(scores) and path[end + 1]:
            end += 1
        if sum(scores[index: end + 1]) >= EXTRA_RUN_SHARE * best_sum:
            for i in range(index, end + 1):
                inside[i] = True
        index = end + 1
    return inside, core


def _content_path(scores: list[int]) -> list[bool] | None:
    """Which units are article: the best path of a two-state model (article / furniture) where
    an article unit earns its score, a furniture unit earns nothing, and every switch between
    the states costs SWITCH_COST -- so a run of prose joins the article when it is long enough
    or close enough to the rest.  Viterbi, linear in the number of units.  None when no unit
    is worth being article."""
    if not scores or max(scores) <= 0:
        return None
    n = len(scores)
    out_score, in_score = 0, -SWITCH_COST
    from_out: list[bool] = []     # per unit: did the best "inside" path come from outside?
    from_in: list[bool] = []      # per unit: did the best "outside" path come from inside?
    for s in scores:
        stay_in, enter = in_score, out_score - SWITCH_COST
        came_from_out = enter > stay_in
        new_in = max(stay_in, enter) + s
        stay_out, leave = out_score, in_score - SWITCH_COST
        came_from_in = leave > stay_out
        new_out = max(stay_out, leave)
        from_out.append(came_from_out)
        from_in.append(came_from_in)
        in_score, out_score = new_in, new_out
    state_in = in_score - SWITCH_COST > out_score
    inside = [False] * n
    for i in range(n - 1, -1, -1):
        inside[i] = state_in
        state_in = (not from_out[i]) if state_in else from_in[i]
    return inside if any(inside) else None


def _build_blocks(state: _State) -> list[Block]:
    live = state.live()
    numbered_lines = _numbered_lines(state, live)
    blocks: list[Block] = []
    position = 0
    while position < len(live):
        unit = state.units[live[position]]
        match unit.marker:
            case "bullet" if _attribution_line(state, live, position):
                # "- Sanders." under a quote: the source of the quote above, not a list.
                blocks.append(Paragraph((Text(unit.lines[0].strip()),)))
            case "ordered" if live[position] in numbered_lines:
                # a numbered subhead ("2. More seats") keeps its number in its text
                numbered = unit._replace(text=unit.lines[0].strip(), marker=None)
                has_next = position + 1 < len(live)
                blocks.append(Heading(2, (Text(numbered.text),)) if blocks and has_next and _implicit_heading(numbered)
                              else Paragraph((Text(numbered.text),)))
            case "bullet" | "ordered":
                items: list[tuple[Block, ...]] = []
                kind = unit.marker
                while position < len(live) and state.units[live[position]].marker == kind:
                    items.append((Paragraph((Text(state.units[live[position]].text),)),))
                    position += 1
                blocks.append(ListBlock(kind == "ordered", tuple(items)))
                continue
            case "quote":
                inner: list[Block] = []
                while position < len(live) and state.units[live[position]].marker == "quote":
                    inner.append(Paragraph((Text(state.units[live[position]].text),)))
                    position += 1
                blocks.append(BlockQuote(tuple(inner)))
                continue
            case "rule":
                blocks.append(Rule())
            case "heading":
                blocks.append(Heading(max(1, min(3, unit.level)), (Text(unit.text),)))
            case None if live[position] in state.listed:
                # Lines a sentence ending in a colon introduced: its list, unmarked in the text.
                introduced: list[tuple[Block, ...]] = []
                while position < len(live) and live[position] in state.listed:
                    introduced.append((Paragraph((Text(state.units[live[position]].text),)),))
                    position += 1
                blocks.append(ListBlock(False, tuple(introduced)))
                continue
            case None:
                has_next = position + 1 < len(live)
                if has_next and (blocks and _implicit_heading(unit) or live[position] in state.entry_heads
                                 and _implicit_heading(unit._replace(blank_before=True))):
                    blocks.append(Heading(2, (Text(unit.text),)))
                else:
                    blocks.append(Paragraph((Text(unit.text),)))
            case _:
                raise ValueError(f"unknown unit marker {unit.marker!r}")
        position += 1
    return blocks


def _numbered_lines(state: _State, live: list[int]) -> set[int]:
    """Numbered lines that are no list of their own: runs of "1. …" lines numbered otherwise than
    1, 2, 3…, or continued by a later run ("1. Cheaper trains", a paragraph, "2. More seats", …:
    a listicle's numbered subheads).  A list would renumber them from 1; they keep their numbers."""
    runs: list[list[int]] = []
    for position, index in enumerate(live):
        if state.units[index].marker == "ordered":
            if runs and position > 0 and live[position - 1] == runs[-1][-1]:
                runs[-1].append(index)
            else:
                runs.append([index])
    out: set[int] = set()
    for number, run in enumerate(runs):
        values = [state.units[i].level for i in run]
        continued = number + 1 < len(runs) and state.units[runs[number + 1][0]].level == values[-1] + 1
        if values != list(range(1, len(values) + 1)) or continued:
            out.update(run)
    return out


def _attribution_line(state: _State, live: list[int], position: int) -> bool:
    """A lone dash line that is only a name ("- Sanders.", "— Ana Ruiz, in a debate") right after
    a paragraph ending in a quote: the round-up convention for who said it."""
    unit = state.units[live[position]]
    if position == 0 or len(unit.lines) != 1 or not ATTRIBUTION_LINE.fullmatch(unit.lines[0].strip()):
        return False
    before = state.units[live[position - 1]]
    nxt = state.units[live[position + 1]] if position + 1 < len(live) else None
    return before.marker is None and before.text.rstrip()[-1:] in "”\"'" and \
        (nxt is None or nxt.marker != unit.marker)


def _implicit_heading(unit: Unit) -> bool:
    """A short standalone line set off from its neighbours, not ending in a full stop (inside
    or outside quote marks), comma, semicolon or colon, starting with a capital (or a quote mark
    or digit), and not a line of dialogue ("…?” he asked, "Q: Why now?", "TAPPER: Why not?")."""
    text = unit.text
    if not (unit.blank_before or unit.blank_after):
        return False
    if word_weight(text) > HEADING_MAX_WORDS or len(text) > HEADING_MAX_CHARS or not has_letters(text):
        return False
    if ends_full_stop(text) or last_mark(text) in ",;:-–—" or ends_sentence(text) and last_mark(text) not in "?!":
        return False
    first = next((ch for ch in text if ch.isalnum()), "")
    if first.islower() or text[0] in "-–—―":
        return False               # a dash line is an attribution ("— Ana Ruiz") or a list
    if text[0] in "([" and text[-1] in ")]":
        return False               # an aside or stage direction: "(CROSSTALK)", "[Applause]"
    if any(mark in text for mark in "“”\"") and not (text[0] in "“\"‘'" and text[-1] in "”\"’'"):
        return False
    return not dialogue_line(text)


# ------------------------------------------------------------------------------------ metadata
def _caller_meta(meta: Mapping[str, object] | None, source_name: str) -> dict[str, object]:
    if not meta:
        return {}
    values: dict[str, object] = {}
    for name, value in meta.items():
        if value is None:
            continue
        if name not in META_FIELDS or name == "title_origin":
            raise UsageError(f"metadata {name!r}: unknown field")
        if name == "tags":
            if isinstance(value, str):
                value = [t.strip() for t in value.split(",") if t.strip()]
            values["tags"] = tuple(str(t) for t in value)       # type: ignore[union-attr]
        else:
            values[name] = str(value)
    return values


def _resolve_meta(state: _State, front: Mapping[str, object], caller: Mapping[str, object],
                  body: list[Block], title_index: int | None) -> Meta:
    values: dict[str, object] = {}
    for name in META_FIELDS:
        if name in ("title_origin", "language"):
            continue
        value = caller.get(name, front.get(name, state.inferred.get(name)))
        if value is not None:
            values[name] = value
    if "title" in caller:
        values["title_origin"] = "caller"
    elif "title" in front:
        values["title_origin"] = "front-matter"
    elif title_index is not None and "title" in state.inferred:
        values["title_origin"] = "headline"
    else:
        lede = next((b for b in body if isinstance(b, Paragraph)), None)
        lede_text = lede.content[0].text if lede is not None and isinstance(lede.content[0], Text) else ""
        if not lede_text or not WORD.search(lede_text):
            # No body paragraph with words: any line with words will do -- never "Untitled".
            lede_text = next((u.text for u in state.units if WORD.search(u.text)), "")
        title = lede_title(lede_text) if lede_text else None
        if title:
            values["title"], values["title_origin"] = title, "lede"
        else:
            values.pop("title", None)
    if isinstance(values.get("date"), str):
        values["date"] = _iso_date(values["date"])      # type: ignore[arg-type]
    language = caller.get("language", front.get("language"))
    if language is None:
        sample = "\n".join(_block_texts(body))[:LANGUAGE_SAMPLE] or "\n".join(u.text for u in state.units)[:LANGUAGE_SAMPLE]
        language = guess_language(sample)
    values["language"] = language
    return Meta(**values)       # type: ignore[arg-type]


def _iso_date(value: str) -> str:
    """``value`` as ISO 8601 when it is a date in a common written form; else unchanged."""
    iso = find_date(value)
    return iso if iso is not None and len(value) <= 40 and is_date_line(value) else value


def _block_texts(blocks: list[Block]):
    for block in blocks:
        match block:
            case Paragraph(content=c) | Heading(content=c):
                yield "".join(n.text for n in c if isinstance(n, Text))
            case BlockQuote(content=inner):
                yield from _block_texts(list(inner))
            case ListBlock(items=items):
                for item in items:
                    yield from _block_texts(list(item))
            case Rule():
                pass
            case _:
                raise TypeError(f"unknown block {type(block).__name__}")
