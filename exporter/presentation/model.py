"""The presented document: what a reader sees, in order, with every editorial decision made.

A closed set of small immutable records.  :func:`exporter.presentation.present` builds one from an
``Article`` or a ``Briefing`` and a resolved style; a writer walks it and dispatches exhaustively on
these classes (``match`` with a default that raises :class:`UnknownPartError`).  Nothing here names
a format: texts are final (labels localised, dates written out, marks curled), links are already
judged safe, anchors are already unique, and each text carries the semantic style key it is drawn
with.  A writer decides only how a part looks in its format, never what it says.

Layout of a document::

    PresentedDocument
      metadata: DocumentMetadata        title, author, language... for PDF info / core properties / OPF
      furniture: PageFurniture          running head and foot (templates), marking, page-X-of-Y label
      parts: (Part, ...)                Cover | Contents | KeyQuotes | ArticlePart, in reading order

    ArticlePart
      title: TitleBlock                 headline (None: not printed, see present.py), standfirst, meta line
      blocks: (Block, ...)              TextBlock | HeadingBlock | QuoteBlock | ListBlock | RuleBlock
      speaker_notes, related, dropped   optional sections, headings included

    Block runs: (Run, ...)              TextRun | QuoteRun | SpeakerLabel | EmphasisRun | StrongRun | LinkRun | LineBreak

Porting a writer onto it (what replaces what the PDF, DOCX and EPUB writers decide today):

    title block, "Untitled", meta line   TitleBlock (headline None = print the meta line in its place)
    lede = first paragraph               TextBlock.style_key == "lede"
    "Related"/"Dropped lines" + items    RelatedSection / DroppedSection (headings and item labels final)
    cover, "Prepared for", "N articles"  Cover.lines (the marking is furniture, not a cover line)
    contents / nav / TOC entries         Contents.entries (targets are ArticlePart.anchor; children = headings)
    key-quotes table                     KeyQuotes.rows (selected, cleaned, marked; rows_in_run for spans)
    briefing ids, bookmark prefixes      ArticlePart.id / every anchor (unique, plain, case-insensitive)
    running header/footer fields         PageFurniture.running / ArticlePart.running ({page} {pages} left)
    marking precedence, extra line       PageFurniture.marking, .marking_in_templates
    speaker tooltip / comment            QuoteRun.speaker when PresentedDocument.show_speaker_tooltip
    visible speaker                      SpeakerLabel runs (+ SpeakerNotes for endnotes)
    link safety                          LinkRun.href (None = text only)
    language tag, direction              DocumentMetadata.language/.direction, ArticlePart.language/.direction,
                                         TextBlock.direction (only where it differs)
    core properties / PDF info / OPF     DocumentMetadata (ISO date, identifier)
    zip entry times                      policy.zip_time(build_time)

The reading sequence every format must show is :func:`exporter.presentation.reading.reading_sequence`.

The records are typed ``NamedTuple`` classes, not frozen dataclasses: every export imports this
module, and building its 29 classes as slotted dataclasses cost ~15 ms of each process's start-up
(dataclass generates and compiles each method), as much as the rest of a small export's
presentation work; NamedTuples build in ~1 ms.  They stay immutable, typed and matchable
(``case QuoteRun(kind="speech")``).  A tuple compares equal to any tuple of equal items, so
:func:`_typed_equality` makes two records equal only when they are of the same class, as
dataclasses are.
"""
from __future__ import annotations

from typing import Literal, NamedTuple, Union

SpeakerDisplay = Literal["none", "inline", "margin", "endnote"]
SPEAKER_DISPLAYS: tuple[str, ...] = ("none", "inline", "margin", "endnote")
Direction = Literal["ltr", "rtl"]


class UnknownPartError(TypeError):
    """A part, block or run that is not in the closed presented-document model reached a writer."""

    def __init__(self, node: object, where: str = "") -> None:
        super().__init__(f"unknown presented part {type(node).__name__!r}{' in ' + where if where else ''}")


# ------------------------------------------------------------------------------------------ runs
class TextRun(NamedTuple):
    text: str


class QuoteRun(NamedTuple):
    """A quotation.  ``style_key`` is ``quote-speech``/``quote-title``/``quote-term``;
    ``highlight`` says whether its background is shown (the style's per-kind switch);
    ``speaker`` is the attributed speaker (for a tooltip or comment as an extra only: the visible
    form is a :class:`SpeakerLabel` run after it)."""

    kind: Literal["speech", "title", "term"]
    style_key: str
    highlight: bool
    speaker: str | None
    content: tuple[Run, ...]


class SpeakerLabel(NamedTuple):
    """Who speaks, visible on paper and on a touch screen.  ``placement`` is the style's choice:
    ``inline`` (``text`` is e.g. "[Peskov]", set right after the quote with one space before it),
    ``margin`` (``text`` is the name, set beside the line, in the margin or a side column; this
    run comes just before the quote, so the note starts level with it), or
    ``endnote`` (``text`` is the note number, a superscript after the quote; the name is in the
    article's :class:`SpeakerNotes`).  ``anchor`` is this label's id (an endnote links back to it)."""

    text: str
    speaker: str
    placement: Literal["inline", "margin", "endnote"]
    note: int | None = None
    anchor: str | None = None
    note_anchor: str | None = None          # endnote: the id of its entry in SpeakerNotes


class EmphasisRun(NamedTuple):
    content: tuple[Run, ...]


class StrongRun(NamedTuple):
    content: tuple[Run, ...]


class LinkRun(NamedTuple):
    """A link; ``href`` is None when the target is not one we follow (show the text only)."""

    href: str | None
    content: tuple[Run, ...]


class LineBreak(NamedTuple):
    pass


Run = Union[TextRun, QuoteRun, SpeakerLabel, EmphasisRun, StrongRun, LinkRun, LineBreak]
RUN_TYPES: tuple[type, ...] = (TextRun, QuoteRun, SpeakerLabel, EmphasisRun, StrongRun, LinkRun, LineBreak)


# ---------------------------------------------------------------------------------------- blocks
class TextBlock(NamedTuple):
    """A paragraph.  ``style_key``: ``lede`` (the first paragraph), ``body``, ``blockquote`` or
    ``list``.  ``anchor`` is set only when something links to it (a key-quote row).
    ``direction`` is set only when the text's own direction differs from its article's."""

    style_key: str
    runs: tuple[Run, ...]
    anchor: str | None = None
    direction: Direction | None = None


class HeadingBlock(NamedTuple):
    """A heading inside an article; ``level`` 1-3 within the article (the article's own title is
    one level up: writers add the article's depth).  ``text`` is the plain text for outlines."""

    level: int
    style_key: str
    runs: tuple[Run, ...]
    text: str
    anchor: str
    direction: Direction | None = None


class QuoteBlock(NamedTuple):
    blocks: tuple[Block, ...]
    anchor: str | None = None


class ListBlock(NamedTuple):
    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    anchor: str | None = None


class RuleBlock(NamedTuple):
    anchor: str | None = None


Block = Union[TextBlock, HeadingBlock, QuoteBlock, ListBlock, RuleBlock]
BLOCK_TYPES: tuple[type, ...] = (TextBlock, HeadingBlock, QuoteBlock, ListBlock, RuleBlock)


# ----------------------------------------------------------------------------------- article parts
class TitleBlock(NamedTuple):
    """The head of an article.  ``headline`` is None when the article has none of its own (its
    title was cut from the lede): then nothing is printed above the lede but the meta line, which
    writers set where the headline would stand, as the article's heading for navigation, in the
    ``meta-line`` look.  ``toc_text`` names the article in contents, outlines and key-quote rows
    (the headline, or the lede-derived title as a pointer)."""

    headline: str | None
    standfirst: str | None
    meta_line: str | None                # "source · byline · date · site", parts already joined
    toc_text: str
    anchor: str


class SpeakerNote(NamedTuple):
    number: int
    speaker: str
    anchor: str                          # this note's id
    label_anchor: str                    # the id of the label in the text it belongs to


class SpeakerNotes(NamedTuple):
    heading: str
    notes: tuple[SpeakerNote, ...]
    anchor: str


class RelatedEntry(NamedTuple):
    title: str
    summary: str | None


class RelatedSection(NamedTuple):
    heading: str
    entries: tuple[RelatedEntry, ...]
    anchor: str


class DroppedEntry(NamedTuple):
    label: str                           # "Line 12 · share-widget"
    text: str


class DroppedSection(NamedTuple):
    heading: str
    entries: tuple[DroppedEntry, ...]
    anchor: str


class RunningTexts(NamedTuple):
    """A running header and footer, three slots each, every field but ``{page}`` and ``{pages}``
    already filled (a writer substitutes those two when it knows them)."""

    header: tuple[str, str, str]
    footer: tuple[str, str, str]


class ArticlePart(NamedTuple):
    """One article.  ``id`` prefixes every anchor in it; ``language``/``direction`` are its own
    (set on its container when they differ from the document's).  ``new_page``: print formats
    start it on a new page.  Its headings sit below ``level``.  ``running``: the header and footer of the pages it fills, for
    writers that can change them per article (a briefing's articles describe themselves)."""

    id: str
    anchor: str
    level: int                           # outline level of its title: 1 alone, 2 under a briefing's cover
    language: str
    direction: Direction
    title: TitleBlock
    blocks: tuple[Block, ...]
    speaker_notes: SpeakerNotes | None
    related: RelatedSection | None
    dropped: DroppedSection | None
    new_page: bool
    running: RunningTexts


# ----------------------------------------------------------------------------------- briefing parts
class Cover(NamedTuple):
    """A briefing's cover: title, subtitle, then one line each (date, prepared for, marking,
    "5 articles from A and B", notes)."""

    title: str
    subtitle: str | None
    lines: tuple[str, ...]
    anchor: str


class ContentsEntry(NamedTuple):
    text: str
    target: str                          # the anchor of what it points at
    language: str
    children: tuple[ContentsEntry, ...] = ()


class Contents(NamedTuple):
    heading: str
    entries: tuple[ContentsEntry, ...]
    empty_text: str | None               # what to show when there are no entries
    anchor: str


class KeyQuoteRow(NamedTuple):
    """One row of the key-quotes table: the quote text is cleaned and enclosed in the marks of its
    article's language; ``article`` names the article only on the first row of a run of rows from
    one article (None below it: writers span or leave the cell empty)."""

    speaker: str
    text: str
    article: str | None
    article_id: str
    article_anchor: str
    quote_anchor: str                    # the anchor of the block the quote sits in
    language: str
    rows_in_run: int                     # on the first row of a run: how many rows it spans


class KeyQuotes(NamedTuple):
    heading: str
    columns: tuple[str, str, str]        # speaker, quote, article
    rows: tuple[KeyQuoteRow, ...]
    anchor: str


Part = Union[Cover, Contents, KeyQuotes, ArticlePart]
PART_TYPES: tuple[type, ...] = (Cover, Contents, KeyQuotes, ArticlePart)


# ----------------------------------------------------------------------------------- the document
class DocumentMetadata(NamedTuple):
    """What goes into the file's own metadata (never shown as such).  ``date`` stays ISO."""

    title: str
    subtitle: str | None
    author: str | None
    publisher: str | None
    keywords: tuple[str, ...]
    language: str                        # BCP 47, "und" when unknown
    direction: Direction
    date: str | None
    url: str | None
    identifier: str                      # urn:uuid:…, stable for the same content


class PageFurniture(NamedTuple):
    """Page furniture for print formats.  ``running``: the document's header and footer (an
    article part may carry its own).  ``marking`` is on every page, the first included; when
    ``marking_in_templates`` is False the templates do not show it, so writers set it as a line of
    its own at the top and bottom.  ``page_of_pages`` is the localised "Page {page} of {pages}"."""

    running: RunningTexts
    first_page: bool
    marking: str | None
    marking_in_templates: bool
    page_of_pages: str


class PresentedDocument(NamedTuple):
    metadata: DocumentMetadata
    furniture: PageFurniture
    speaker_display: SpeakerDisplay
    show_speaker_tooltip: bool           # also name the speaker in a tooltip / comment (an extra)
    parts: tuple[Part, ...]


def _typed_equality(*classes: type) -> None:
    """Records of different classes are never equal (``TextRun("a") != RuleBlock("a")``), though
    tuples of the same items are: equality compares the class first, as a dataclass's does."""

    # False, not NotImplemented: Python would then ask the other side, and a plain tuple says equal.
    def __eq__(self, other):  # noqa: N807 - installed as the method
        return type(other) is type(self) and tuple.__eq__(self, other)

    def __ne__(self, other):  # noqa: N807
        return not __eq__(self, other)

    def __hash__(self):  # noqa: N807
        return hash((type(self).__name__, tuple.__hash__(self)))

    for cls in classes:
        cls.__eq__ = __eq__
        cls.__ne__ = __ne__
        cls.__hash__ = __hash__


_typed_equality(*RUN_TYPES, *BLOCK_TYPES, *PART_TYPES, TitleBlock, SpeakerNote, SpeakerNotes, RelatedEntry,
                RelatedSection, DroppedEntry, DroppedSection, RunningTexts, ContentsEntry, KeyQuoteRow,
                DocumentMetadata, PageFurniture, PresentedDocument)
