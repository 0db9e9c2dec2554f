"""From an ``Article`` or a ``Briefing`` and a resolved style to the presented document.

Every editorial decision is made here, once, for every format:

- **Headline.** A title the reader cut from the lede (``title_origin == "lede"``) is never printed
  above that lede.  The visible form: no headline; the meta line (source · byline · date · site)
  stands where the headline would, as the article's heading for navigation, in its own look.  The
  metadata (PDF info, core properties, ``dc:title``) and pointers to the article (contents,
  outlines, key-quote rows, running heads) still use the title; one warning names ``--title``.
- **Meta line.** source · byline · date · site, empty parts left out, the site left out when it
  repeats the source; the date written for a reader of the article's language.
- **Labels** from :mod:`.labels`, in the language of the part they belong to.
- **Speakers.** ``quotes.speaker_display``: none, inline ("[Peskov]" after the quote), margin (the
  name beside the line) or endnote (a number after the quote, the names in a "Speakers" list at
  the article's end).  A paragraph that already names the speaker outside the quote gets no label,
  a speaker quoted several times in one paragraph is named once, after the last quote, and one
  who goes on speaking in the next paragraph is not named again there.
- **Key quotes** from :mod:`.keyquotes`; **typography** from :mod:`.typography`; links, language
  tags, direction, marking precedence and article ids from :mod:`.policy`.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..ast import (Article, BlockQuote, Break, Emphasis, Heading, Link, ListBlock, Paragraph, Quote, Rule,
                   Strong, Text, UnknownNodeError, inline_text, iter_inline_runs, iter_quotes)
from ..briefing import Briefing
from . import model as m
from .dates import display_date
from .labels import join_names, label
from ..links import warn_once
from .policy import (article_ids, direction_of, effective_marking, language_tag, one_line, safe_href,
                     strip_credentials, text_direction)
from .typography import Curler, curl, marks_for

if TYPE_CHECKING:  # pragma: no cover
    from ..style.model import Style
    from ..writers import RenderOptions

META_SEPARATOR = " · "
_QUOTE_KEYS = {"speech": "quote-speech", "title": "quote-title", "term": "quote-term"}
_HIGHLIGHT_FLAGS = {"speech": "highlight_speech", "title": "highlight_title", "term": "highlight_term"}
_FIELDS = ("title", "source", "date", "marking")
ENGLISH_PAGE_OF_PAGES = "Page {page} of {pages}"


@dataclass(frozen=True, slots=True)
class Choices:
    """The style's presentation switches, read once."""

    speaker_display: str
    show_speaker_tooltip: bool
    typographic_marks: bool
    key_quotes_per_article: int
    key_quotes_max: int

    @classmethod
    def of(cls, style: "Style") -> "Choices":
        quotes, sections = style.quotes, style.sections
        # sections.key_quotes switches the briefing's key-quotes section off as a whole
        per_article = sections.key_quotes_per_article if sections.key_quotes else 0
        return cls(quotes.speaker_display, bool(quotes.show_speaker), bool(quotes.typographic_marks),
                   per_article, sections.key_quotes_max)


def _no_warning(message: str) -> None:
    pass


def present(document: Article | Briefing, style: "Style", options: "RenderOptions | None" = None) -> m.PresentedDocument:
    """The presented document for ``document`` in ``style``.  ``options`` gives the marking
    (``--marking``) and the warning callback."""
    marking_option = options.marking if options is not None else None
    warn: Callable[[str], None] = warn_once(options.warn) if options is not None else _no_warning
    choices = Choices.of(style)
    match document:
        case Article():
            return _present_article(document, style, choices, marking_option, warn)
        case Briefing():
            return _present_briefing(document, style, choices, marking_option, warn)
        case _:
            raise UnknownNodeError(document, "present")


# ---------------------------------------------------------------------------------- one article
class _ArticlePresenter:
    """One article's parts.  ``anchored`` lists the top-level blocks something links to."""

    def __init__(self, article: Article, article_id: str, style: "Style", choices: Choices,
                 warn: Callable[[str], None], anchored: frozenset[int] = frozenset()) -> None:
        self.article, self.id, self.style, self.choices, self.warn = article, article_id, style, choices, warn
        self.language = language_tag(article.meta.language)
        self.direction = direction_of(self.language)
        self.anchored = anchored
        self.headings = 0
        self.notes: list[m.SpeakerNote] = []
        self.previous_speakers: set[str] = set()     # who spoke in the paragraph just before
        self.in_link = False

    def curl(self, text: str) -> str:
        return curl(text, self.language) if self.choices.typographic_marks else text

    def label(self, key: str, **fields: object) -> str:
        return label(key, self.language, **fields)

    # -- title block ------------------------------------------------------------------------
    def title_block(self) -> m.TitleBlock:
        meta = self.article.meta
        title = one_line(meta.title)
        headline = self.curl(title) if title and meta.title_origin != "lede" else None
        return m.TitleBlock(
            headline=headline,
            standfirst=self.curl(one_line(meta.subtitle)) or None,
            meta_line=META_SEPARATOR.join(self.meta_line_parts()) or None,
            toc_text=self.curl(title) or self.label("untitled"),
            anchor=f"{self.id}-title",
        )

    def meta_line_parts(self) -> list[str]:
        meta = self.article.meta
        source, site = one_line(meta.source), one_line(meta.site)
        parts = [source, self.curl(one_line(meta.byline)), display_date(meta.date, self.language) or "",
                 site if site.casefold() != source.casefold() else ""]
        return [part for part in parts if part]

    # -- body ----------------------------------------------------------------------------------
    def blocks(self) -> tuple[m.Block, ...]:
        out: list[m.Block] = []
        for index, block in enumerate(self.article.body):
            key = "lede" if index == 0 and isinstance(block, Paragraph) else "body"
            anchor = f"{self.id}-b{index}" if index in self.anchored else None
            out.append(self.block(block, key, anchor))
        return tuple(out)

    def block(self, block, key: str, anchor: str | None = None) -> m.Block:
        match block:
            case Paragraph(content=content):
                runs = self.runs_of_paragraph(content)
                self.previous_speakers = _speakers(content)
                return m.TextBlock(key, runs, anchor, self._own_direction(content))
            case Heading(level=level, content=content):
                self.previous_speakers = set()
                level = min(max(level, 1), 3)
                self.headings += 1
                return m.HeadingBlock(level, f"heading-{level}", self.runs_of_paragraph(content),
                                      self.curl(one_line(inline_text(content))), anchor or f"{self.id}-h{self.headings}",
                                      self._own_direction(content))
            case BlockQuote(content=inner):
                child_key = "blockquote" if key in ("body", "lede") else key
                return m.QuoteBlock(tuple(self.block(b, child_key) for b in inner), anchor)
            case ListBlock(ordered=ordered, items=items):
                item_key = "list" if key in ("body", "lede") else key
                return m.ListBlock(ordered, tuple(tuple(self.block(b, item_key) for b in item) for item in items), anchor)
            case Rule():
                return m.RuleBlock(anchor)
            case _:
                raise UnknownNodeError(block, "present block")

    def _own_direction(self, content) -> m.Direction | None:
        found = text_direction(inline_text(content))
        return found if found is not None and found != self.direction else None

    def runs_of_paragraph(self, content) -> tuple[m.Run, ...]:
        """The paragraph's runs, curled as one stream, with speaker labels where they go."""
        curler = Curler(self.language) if self.choices.typographic_marks else (lambda text: text)
        return tuple(self.runs(content, curler, self._labelled_quotes(content)))

    def _labelled_quotes(self, content) -> set[int]:
        """ids of the quotes a speaker label follows: per speaker, the last of their quotes in the
        paragraph, unless the paragraph already names them outside its quotes (their full name,
        or their surname: "Peskov said…" needs no "[Dmitry Peskov]") or they go on speaking from
        the paragraph before (a quote running over paragraphs is attributed once)."""
        if self.choices.speaker_display == "none":
            return set()
        outside = _text_outside_quotes(content).casefold()
        chosen: dict[str, int] = {}
        # a margin note stands beside the first line of the speaker's first quote; an inline label
        # or a note number follows their last quote
        first_wins = self.choices.speaker_display == "margin"
        for quote, depth in iter_quotes(content):
            if depth == 0 and quote.kind == "speech" and one_line(quote.speaker):
                key = one_line(quote.speaker).casefold()
                if not (first_wins and key in chosen):
                    chosen[key] = id(quote)
        return {quote_id for speaker, quote_id in chosen.items()
                if not _names(outside, speaker) and speaker not in self.previous_speakers}

    def runs(self, content, curler, labelled: set[int]) -> list[m.Run]:
        out: list[m.Run] = []
        for node in content:
            match node:
                case Text(text=text):
                    out.append(m.TextRun(curler(text)))
                case Quote(kind=kind, speaker=speaker, content=inner):
                    speaker_text = self.curl(one_line(speaker)) or None
                    highlight = bool(getattr(self.style.quotes, _HIGHLIGHT_FLAGS[kind]))
                    label = self.speaker_label(speaker_text) if id(node) in labelled and speaker_text else None
                    if label is not None and label.placement == "margin":
                        out.append(label)
                    out.append(m.QuoteRun(kind, _QUOTE_KEYS[kind], highlight, speaker_text,
                                          tuple(self.runs(inner, curler, labelled))))
                    if label is not None and label.placement != "margin":
                        out.append(label)
                case Emphasis(content=inner):
                    out.append(m.EmphasisRun(tuple(self.runs(inner, curler, labelled))))
                case Strong(content=inner):
                    out.append(m.StrongRun(tuple(self.runs(inner, curler, labelled))))
                case Link(url=url, content=inner):
                    if self.in_link:
                        # no format nests links (HTML forbids it, Word cannot): the inner one is text
                        out.extend(self.runs(inner, curler, labelled))
                        continue
                    self.in_link = True
                    try:
                        content_runs = tuple(self.runs(inner, curler, labelled))
                    finally:
                        self.in_link = False
                    out.append(m.LinkRun(safe_href(url, self.warn), content_runs))
                case Break():
                    out.append(m.LineBreak())
                case _:
                    raise UnknownNodeError(node, "present inline")
        return out

    def speaker_label(self, speaker: str) -> m.SpeakerLabel:
        placement = self.choices.speaker_display
        if placement == "endnote":
            number = len(self.notes) + 1
            label_anchor, note_anchor = f"{self.id}-sl{number}", f"{self.id}-sn{number}"
            self.notes.append(m.SpeakerNote(number, speaker, note_anchor, label_anchor))
            return m.SpeakerLabel(str(number), speaker, "endnote", number, label_anchor, note_anchor)
        if placement == "margin":
            return m.SpeakerLabel(speaker, speaker, "margin")
        return m.SpeakerLabel(f"[{speaker}]", speaker, "inline")

    # -- sections -----------------------------------------------------------------------------
    def speaker_notes(self) -> m.SpeakerNotes | None:
        if not self.notes:
            return None
        return m.SpeakerNotes(self.label("speakers"), tuple(self.notes), f"{self.id}-speakers")

    def related(self) -> m.RelatedSection | None:
        if not (self.style.sections.related and self.article.related):
            return None
        entries = tuple(m.RelatedEntry(self.curl(one_line(item.title)), self.curl(one_line(item.summary)) or None)
                        for item in self.article.related if one_line(item.title))
        return m.RelatedSection(self.label("related"), entries, f"{self.id}-related") if entries else None

    def dropped(self) -> m.DroppedSection | None:
        if not (self.style.sections.dropped and self.article.dropped):
            return None
        entries = tuple(m.DroppedEntry(self.label("dropped-line", line=item.line, reason=one_line(item.reason)),
                                       one_line(item.text)) for item in self.article.dropped)
        return m.DroppedSection(self.label("dropped"), entries, f"{self.id}-dropped")

    def part(self, level: int, new_page: bool, marking: str | None) -> m.ArticlePart:
        title = self.title_block()
        blocks = self.blocks()           # before speaker_notes(): rendering the body numbers the notes
        meta = self.article.meta
        running = _running(self.style, {"title": title.toc_text, "source": one_line(meta.source or meta.site),
                                         "date": display_date(meta.date, self.language) or "",
                                         "marking": marking or ""}, self.language)
        return m.ArticlePart(self.id, self.id, level, self.language, self.direction, title, blocks,
                             self.speaker_notes(), self.related(), self.dropped(), new_page, running)


def _speakers(content) -> set[str]:
    """The (casefolded) speakers of a paragraph's speech quotes."""
    return {one_line(quote.speaker).casefold() for quote, depth in iter_quotes(content)
            if depth == 0 and quote.kind == "speech" and one_line(quote.speaker)}


def _names(text: str, speaker: str) -> bool:
    """Whether ``text`` (casefolded) names ``speaker`` (casefolded): the whole name, or its last
    word when that is a name-like word of three letters or more."""
    surname = speaker.split()[-1]
    for name in {speaker, surname} if len(surname) >= 3 else {speaker}:
        if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            return True
    return False


def _text_outside_quotes(content) -> str:
    parts: list[str] = []
    for node in content:
        match node:
            case Text(text=text):
                parts.append(text)
            case Emphasis(content=inner) | Strong(content=inner) | Link(content=inner):
                parts.append(_text_outside_quotes(inner))
            case Quote() | Break():
                parts.append(" ")
            case _:
                raise UnknownNodeError(node, "present inline")
    return "".join(parts)


# ------------------------------------------------------------------------------------ furniture
def _running(style: "Style", values: dict[str, str], language: str) -> m.RunningTexts:
    def fill(template: str) -> str:
        if template == ENGLISH_PAGE_OF_PAGES or template == "{page_of_pages}":
            # the built-in "page X of Y" slot is a label: localised with the document
            return label("page-of-pages", language)
        for name in _FIELDS:
            template = template.replace("{" + name + "}", values.get(name, ""))
        return template

    page = style.page
    return m.RunningTexts(
        header=(fill(page.header.left), fill(page.header.center), fill(page.header.right)),
        footer=(fill(page.footer.left), fill(page.footer.center), fill(page.footer.right)),
    )


def _furniture(style: "Style", running: m.RunningTexts, marking: str | None, language: str) -> m.PageFurniture:
    page = style.page
    templates = (page.header.left, page.header.center, page.header.right,
                 page.footer.left, page.footer.center, page.footer.right)
    return m.PageFurniture(running, bool(page.first_page_furniture), marking,
                           bool(marking) and any("{marking}" in t for t in templates),
                           label("page-of-pages", language))


# ----------------------------------------------------------------------------------- documents
def _present_article(article: Article, style: "Style", choices: Choices, marking_option: str | None,
                     warn: Callable[[str], None]) -> m.PresentedDocument:
    marking = effective_marking(marking_option, None, style.marking)
    presenter = _ArticlePresenter(article, "a01", style, choices, warn)
    part = presenter.part(1, False, marking)
    if article.meta.title_origin == "lede" and one_line(article.meta.title):
        warn(f"no headline found: the title {one_line(article.meta.title)!r} was made from the first "
             "sentence and is not printed above it; give the headline with --title")
    meta = article.meta
    metadata = m.DocumentMetadata(
        title=one_line(meta.title) or label("untitled", presenter.language),
        subtitle=one_line(meta.subtitle) or None,
        author=one_line(meta.byline) or None,
        publisher=one_line(meta.source or meta.site) or None,
        keywords=tuple(one_line(tag) for tag in meta.tags if one_line(tag)),
        language=presenter.language, direction=presenter.direction,
        date=one_line(meta.date) or None, url=strip_credentials(one_line(meta.url), warn) or None,
        identifier=stable_identifier(article),
    )
    return m.PresentedDocument(metadata, _furniture(style, part.running, marking, presenter.language),
                               choices.speaker_display, choices.show_speaker_tooltip, (part,))  # type: ignore[arg-type]


def _present_briefing(briefing: Briefing, style: "Style", choices: Choices, marking_option: str | None,
                      warn: Callable[[str], None]) -> m.PresentedDocument:
    meta = briefing.meta
    language = language_tag(meta.language)
    marking = effective_marking(marking_option, meta.marking, style.marking)
    articles = [item.article for item in briefing.articles]
    ids = article_ids([item.id for item in briefing.articles])
    from . import keyquotes     # a briefing's only: a single article's export need not import it

    selected = keyquotes.select(articles, choices.key_quotes_per_article, choices.key_quotes_max)
    anchored: dict[int, set[int]] = {}
    for article_index, candidate in selected:
        anchored.setdefault(article_index, set()).add(candidate.block)

    article_parts: list[m.ArticlePart] = []
    for index, (article_id, article) in enumerate(zip(ids, articles)):
        presenter = _ArticlePresenter(article, article_id, style, choices, warn, frozenset(anchored.get(index, ())))
        article_parts.append(presenter.part(2, bool(style.sections.article_new_page) or index == 0, marking))
    untitled = sum(1 for a in articles if a.meta.title_origin == "lede" and one_line(a.meta.title))
    if untitled:
        warn(f"{untitled} of {len(articles)} articles have no headline: titles made from their first sentence "
             "are not printed above it; give each one a title (front matter 'title:', or --title when "
             "exporting it alone)")

    title = one_line(meta.title) or label("briefing", language)
    sources = [one_line(name) for name in briefing.sources if one_line(name)]
    cover_lines = [display_date(meta.date, language) or ""]
    if one_line(meta.prepared_for):
        cover_lines.append(label("prepared-for", language, name=one_line(meta.prepared_for)))
    # (the marking is not a cover line: the page furniture carries it on every page, the cover's too)
    count = label("articles-one", language) if len(articles) == 1 else label("articles-many", language, count=len(articles))
    cover_lines.append(label("from-sources", language, articles=count, sources=join_names(sources, language))
                       if sources else count)
    cover_lines.extend(one_line(note) for note in meta.notes)
    cover = m.Cover(title, one_line(meta.subtitle) or None, tuple(line for line in cover_lines if line), "cover")

    entries = tuple(
        m.ContentsEntry(part.title.toc_text, part.anchor, part.language,
                        tuple(m.ContentsEntry(block.text, block.anchor, part.language)
                              for block in part.blocks if isinstance(block, m.HeadingBlock) and block.text))
        for part in article_parts)
    contents = m.Contents(label("contents", language), entries, label("no-articles", language) if not entries else None,
                          "contents")
    parts: list[m.Part] = [cover, contents]
    if selected:
        parts.append(_key_quotes(selected, article_parts, choices, language))
    parts.extend(article_parts)

    values = {"title": title, "source": ", ".join(sources), "date": display_date(meta.date, language) or "",
              "marking": marking or ""}
    running = _running(style, values, language)
    metadata = m.DocumentMetadata(
        title=title, subtitle=one_line(meta.subtitle) or None, author=None, publisher=None,
        keywords=tuple(sources), language=language, direction=direction_of(language),
        date=one_line(meta.date) or None, url=None, identifier=briefing_identifier(briefing),
    )
    return m.PresentedDocument(metadata, _furniture(style, running, marking, language), choices.speaker_display,
                               choices.show_speaker_tooltip, tuple(parts))


def _key_quotes(selected, article_parts: list[m.ArticlePart], choices: Choices, language: str) -> m.KeyQuotes:
    rows: list[m.KeyQuoteRow] = []
    runs: list[int] = []                   # rows per run of one article, in order
    previous = None
    for article_index, candidate in selected:
        runs.append(1) if article_index != previous else runs.__setitem__(-1, runs[-1] + 1)
        previous = article_index
    position = 0
    for run_length in runs:
        for offset in range(run_length):
            article_index, candidate = selected[position + offset]
            part = article_parts[article_index]
            marks = marks_for(part.language) if choices.typographic_marks else None
            text = candidate.text
            if marks is not None:
                curler = Curler(part.language)
                curler(marks.open_double)
                text = f"{marks.open_double}{marks.inner_space}{curler(text)}{marks.inner_space}{marks.close_double}"
            else:
                text = f"\u201c{text}\u201d"
            rows.append(m.KeyQuoteRow(
                speaker=curl(candidate.speaker, part.language) if choices.typographic_marks else candidate.speaker,
                text=text,
                article=part.title.toc_text if offset == 0 else None,
                article_id=part.id, article_anchor=part.anchor, quote_anchor=f"{part.id}-b{candidate.block}",
                language=part.language, rows_in_run=run_length if offset == 0 else 0))
        position += run_length
    return m.KeyQuotes(label("key-quotes", language),
                       (label("speaker", language), label("quote", language), label("article", language)),
                       tuple(rows), "key-quotes")


# ---------------------------------------------------------------------------------- identifiers
def stable_identifier(article: Article) -> str:
    """``urn:uuid:`` from the article's URL when it has one, else from its content (metadata and
    the text of every block, in order) — never from how a writer marks it up."""
    meta = article.meta
    url = strip_credentials(one_line(meta.url))      # no digest of a password either
    if url:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}"
    digest = hashlib.sha256()
    fields = (meta.title, meta.subtitle, meta.byline, meta.source, meta.date, meta.language)
    texts = (inline_text(content) for _, content in iter_inline_runs(article.body))
    for part in (*fields, *texts):
        digest.update((part or "").encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_OID, 'exporter-article:' + digest.hexdigest())}"


def briefing_identifier(briefing: Briefing) -> str:
    """``urn:uuid:`` from the briefing's cover fields and its articles' own identifiers, in order."""
    digest = hashlib.sha256()
    meta = briefing.meta
    for part in (meta.title, meta.subtitle, meta.date, meta.prepared_for,
                 *(stable_identifier(item.article) for item in briefing.articles)):
        digest.update((part or "").encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_OID, 'exporter-briefing:' + digest.hexdigest())}"
