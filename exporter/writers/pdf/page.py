"""Pages.  The canvas that defers pages until the page count is known (for "page X of Y" and
the contents' page numbers without a second layout pass), the running header and footer, the
marking, crop marks and bleed, named destinations with outline entries, and the flowables that
lay out long text and long tables in linear time."""
from __future__ import annotations

import functools
import hashlib
import re
import time
from bisect import bisect_right
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, NamedTuple

from reportlab.lib.abag import ABag
from reportlab.lib.colors import CMYKColor, black, toColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfdoc import PDFStream
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.paragraph import FragLine, _split_blParaSimple, cleanBlockQuotedText, textTransformFrags

from ...presentation.policy import text_direction
from . import linebreak as _pdf_linebreak
from .bidi import RTL_CHARS, actual_text_object, reorder_lines
from .hyphen import MAX_HYPHENATED_IN_A_ROW, consecutive_limit, protecting
from .ttf import PAGE_FLATE, MeasuredWord

_pdf_linebreak.install()       # reportlab's line breaking, linear in a paragraph's length

if TYPE_CHECKING:  # pragma: no cover
    from ...presentation.model import PageFurniture, RunningTexts
    from ...style.model import Style
    from .markup import InlineMarkup

# ------------------------------------------------------------------------------------ timestamps
def fixed_timestamp(build_time: datetime) -> TimeStamp:
    """A reportlab TimeStamp for exactly ``build_time`` (UTC), whatever the wall clock says."""
    stamp = TimeStamp(invariant=1)
    epoch = int(build_time.astimezone(timezone.utc).timestamp()) if build_time.tzinfo else int(
        build_time.replace(tzinfo=timezone.utc).timestamp())
    stamp.t = epoch
    stamp.lt = time.gmtime(epoch)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp


# ---------------------------------------------------------------------------------------- canvas
class DeferredCanvas(Canvas):
    """Keeps every finished page until :meth:`save`, when the page count is known; then paints
    the furniture (header, footer, marking) on each and emits it.  Bookmarks made on a page are
    replayed at that point, because PDF page references only exist once a page is emitted."""

    def __init__(self, *args, painter: Callable[["DeferredCanvas", int, int], None],
                 build_time: datetime, callbacks: dict[str, Callable], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._painter = painter
        self._pending_pages: list[tuple[dict, list]] = []
        self._page_bookmarks: list[tuple[str, dict]] = []
        # Same build time -> same /CreationDate, /ModDate and /ID, whatever the clock.
        stamp = fixed_timestamp(build_time)
        self._doc._timeStamp = stamp
        signature = hashlib.md5(usedforsecurity=False)
        signature.update(b"a reportlab document")
        signature.update(ascii(stamp.t).encode("ascii"))
        self._doc.signature = signature
        for name, func in callbacks.items():
            self.setNamedCB(name, func)

    def bookmarkPage(self, key, **kwargs):  # noqa: N802 - reportlab's name
        self._page_bookmarks.append((key, kwargs))

    def showPage(self):  # noqa: N802
        self._pending_pages.append((dict(self.__dict__), self._page_bookmarks))
        self._page_bookmarks = []
        self._startPage()

    def save(self):
        total = len(self._pending_pages)
        pending, self._pending_pages = self._pending_pages, []
        shift = self._getCmShift() or 0
        for state, bookmarks in pending:
            self.__dict__.update(state)
            self._pending_pages = []
            for key, kwargs in bookmarks:
                if shift and kwargs.get("fit") == "XYZ":
                    kwargs = dict(kwargs, left=kwargs["left"] + shift, top=kwargs["top"] + shift)
                Canvas.bookmarkPage(self, key, **kwargs)
            self._painter(self, self._pageNumber, total)
            Canvas.showPage(self)
            self._compress_page(self._doc.Pages.pages[-1])
        Canvas.save(self)

    @staticmethod
    def _compress_page(page) -> None:
        """The page's content stream, made as reportlab makes it when the document is written,
        but flated with PAGE_FLATE (a faster level) instead of reportlab's default."""
        if page.compression and not page.Contents and page.stream:
            stream = PDFStream()
            stream.filters = [PAGE_FLATE]
            stream.content = page.stream
            stream.__Comment__ = "page stream"
            page.Contents = stream


# ------------------------------------------------------------------------------------- geometry
class PageGeometry(NamedTuple):
    """Trim size, text frame and the print extras (bleed, crop marks) of a style's page."""

    width: float
    height: float
    margin_top: float
    margin_right: float
    margin_bottom: float
    margin_left: float
    bleed: float
    crop_marks: bool

    @classmethod
    def from_style(cls, style: "Style") -> "PageGeometry":
        p = style.page
        return cls(p.width, p.height, p.margin_top, p.margin_right, p.margin_bottom, p.margin_left,
                   max(0.0, p.bleed), bool(p.crop_marks))

    @property
    def frame_width(self) -> float:
        return self.width - self.margin_left - self.margin_right

    @property
    def frame_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom

    @property
    def slug(self) -> float:
        """Space added around the trim box on every side: the bleed, plus room for crop marks."""
        return self.bleed + (18.0 if self.crop_marks else 0.0)

    def crop_marks_bag(self, mark_color) -> ABag | None:
        """reportlab's crop-mark machinery, used only to enlarge the page and shift the content;
        the bleed is ours (reportlab's ``bleedWidth`` would scale the page)."""
        if self.slug <= 0:
            return None
        mark_length = max(0.0, self.slug - self.bleed - 3.0) if self.crop_marks else 0
        return ABag(borderWidth=self.slug, markLength=mark_length, markWidth=0.5,
                    markColor=mark_color, bleedWidth=0, markLast=1)

    def boxes(self) -> dict:
        if self.slug <= 0:
            return {}
        s, b = self.slug, self.bleed
        return {"trimBox": (s, s, s + self.width, s + self.height),
                "bleedBox": (s - b, s - b, s + self.width + b, s + self.height + b)}


def registration_black(cmyk: bool):
    """Crop marks print on every plate."""
    return CMYKColor(1, 1, 1, 1) if cmyk else black


# ------------------------------------------------------------------------------------- furniture
_PAGE_FIELD = re.compile(r"\{(page|pages)\}")


def fill_page_numbers(template: str, page: int, pages: int) -> str:
    """The two fields the presentation layer leaves to a print writer; every other text of a
    running head is already final (a stray ``{x}`` in it stays as written)."""
    return _PAGE_FIELD.sub(lambda found: str(page if found.group(1) == "page" else pages), template)


class RunningByPage:
    """Which running texts a page carries: those of the last article that started on or before
    it (recorded by :class:`Destination` as the article is laid out), else the document's (a
    briefing's cover, contents and key quotes)."""

    def __init__(self, document: "RunningTexts") -> None:
        self.document = document
        self._starts: list[tuple[int, "RunningTexts"]] = []       # (first page, running), in order

    def start(self, page: int, running: "RunningTexts") -> None:
        self._starts.append((page, running))

    def __call__(self, page: int) -> "RunningTexts":
        found = self.document
        for first, running in self._starts:
            if first > page:
                break
            found = running
        return found


class FurniturePainter:
    """Paints the running header and footer and the marking on one page, as the presented
    document's furniture gives them (:class:`~exporter.presentation.model.PageFurniture`)."""

    def __init__(self, *, geometry: PageGeometry, markup: "InlineMarkup",
                 paragraph_style: Callable[..., object],     # (key, **overrides) -> ParagraphStyle
                 furniture: "PageFurniture", running: Callable[[int], "RunningTexts"]) -> None:
        self.geometry, self.markup, self.paragraph_style = geometry, markup, paragraph_style
        self.furniture, self.running = furniture, running

    def __call__(self, canv: Canvas, page: int, pages: int) -> None:
        furniture = self.furniture
        running = self.running(page)
        show = page > 1 or furniture.first_page
        g = self.geometry
        header_y = g.height - g.margin_top * 0.5
        footer_y = g.margin_bottom * 0.5
        header_shown = show and any(running.header)
        footer_shown = show and any(running.footer)
        canv.saveState()
        for key, slots, y, shown in (("header", running.header, header_y, header_shown),
                                     ("footer", running.footer, footer_y, footer_shown)):
            if shown:
                self._band(canv, key, [fill_page_numbers(slot, page, pages) for slot in slots], y)
        if furniture.marking and not (furniture.marking_in_templates and show):
            # A marking is printed on every page, whatever the furniture settings say: centred at
            # the top and the bottom, just outside the header/footer bands.
            top_y = g.height - g.margin_top * (0.25 if header_shown else 0.5)
            bottom_y = g.margin_bottom * (0.25 if footer_shown else 0.5)
            for key, y in (("header", top_y), ("footer", bottom_y)):
                self._slot(canv, key, furniture.marking, y, g.margin_left, g.frame_width, TA_CENTER, bold=True)
        canv.restoreState()

    def _band(self, canv: Canvas, key: str, slots: list[str], y: float) -> None:
        g = self.geometry
        left, center, right = slots
        width = g.frame_width
        side = width / 3 if center else (width / 2 if (left and right) else width)
        if left:
            self._slot(canv, key, left, y, g.margin_left, side - 6, TA_LEFT)
        if center:
            mid = width / 3 if (left or right) else width
            self._slot(canv, key, center, y, g.margin_left + (width - mid) / 2, mid, TA_CENTER)
        if right:
            self._slot(canv, key, right, y, g.margin_left + width - side + 6, side - 6, TA_RIGHT)

    def _slot(self, canv: Canvas, key: str, text: str, y: float, x: float, width: float, align: int,
              bold: bool | None = None) -> None:
        """One line of furniture text, shortened with an ellipsis when it does not fit."""
        pstyle = self.paragraph_style(key, alignment=align, spaceBefore=0, spaceAfter=0, keepWithNext=0)
        para = self._one_line(text, key, pstyle, width, bold)
        if para is None:
            return
        _, height = para.wrap(width, 10_000)
        para.drawOn(canv, x, y - height / 2)

    def _one_line(self, text: str, key: str, pstyle, width: float, bold: bool | None):
        """A one-line :class:`LinearParagraph` of ``text``, as the body's paragraphs are made, so
        that right-to-left text takes the body's bidi path (lines in visual order, Arabic joined,
        ``/ActualText`` for the text layer); None when there is nothing to show.  A text too
        long for ``width`` is shortened in logical order with an ellipsis at its logical end
        (the left, for a right-to-left text: the algorithm puts it there)."""
        text = " ".join(text.split())
        if not text:
            return None
        # The presented furniture (RunningTexts, PageFurniture.marking) carries no direction of
        # its own: a slot holds one text (a title, a site name, a marking) whatever the
        # article's language, so its base direction is the text's own, by its first strongly
        # directional letter (bidi rule P2, as the presentation layer finds a block's).
        rtl = text_direction(text) == "rtl"

        def fitted(candidate: str):
            font = self.markup.plain_font(candidate, key, bold=bold)
            if font == pstyle.fontName:       # all of it in the element's face: no markup to parse
                para = LinearParagraph.of_plain_text(candidate, pstyle)
            else:
                para = LinearParagraph(self.markup.render_text(candidate, key, bold=bold), pstyle)
            para.rtl = rtl
            para.wrap(width, 10_000)
            return para if len(para.blPara.lines) <= 1 else None

        whole = fitted(text)
        if whole is not None:
            return whole
        # Longest prefix that fits on one line with an ellipsis (binary search on its length).
        lo, hi, best = 0, len(text), None
        while lo < hi:
            mid = (lo + hi + 1) // 2
            para = fitted(text[:mid].rstrip() + "\u2026")
            if para is not None:
                lo, best = mid, para
            else:
                hi = mid - 1
        return best


# -------------------------------------------------------------------------------------- flowables
class Destination(Flowable):
    """A zero-size flowable placed before what an anchor names: makes the named destination
    links point at, records the page it lands on (for the contents' page numbers and the running
    heads), and adds the outline entry when it has one.  Kept with what follows it, so it lands
    on that block's page."""

    def __init__(self, name: str, pages: dict[str, int], outline: tuple[str, int] | None = None,
                 on_page: Callable[[int], None] | None = None) -> None:
        super().__init__()
        self.name, self.pages, self.outline, self.on_page = name, pages, outline, on_page
        self.keepWithNext = 1

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        canv = self.canv
        canv.bookmarkHorizontal(self.name, 0, 0)
        page = canv.getPageNumber()
        self.pages.setdefault(self.name, page)
        if self.outline is not None:
            title, level = self.outline
            canv.addOutlineEntry(title, self.name, level=level, closed=False)
        if self.on_page is not None:
            self.on_page(page)
            self.on_page = None          # a flowable may be drawn again after a failed keep


class PageNumberSlot(Flowable):
    """Where the contents show an entry's page number.  Drawing records the spot; the number is
    painted once every page is laid out (see :class:`ContentsNumbers`)."""

    def __init__(self, name: str, width: float, height: float, numbers: "ContentsNumbers") -> None:
        super().__init__()
        self.name, self.width, self.height, self.numbers = name, width, height, numbers

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        self.numbers.add_slot(self.canv.getPageNumber(), x, y, self)


class ContentsNumbers:
    """The contents' number slots and the pages their targets landed on (``pages``, filled by
    :class:`Destination`); called for each page when the deferred canvas emits it, it paints
    that page's numbers."""

    def __init__(self, font: str, size: float, color, pages: dict[str, int]) -> None:
        self.font, self.size, self.color = font, size, color
        self.pages = pages
        self.slots: dict[int, list[tuple[float, float, PageNumberSlot]]] = {}    # by page

    def add_slot(self, page: int, x: float, y: float, slot: PageNumberSlot) -> None:
        self.slots.setdefault(page, []).append((x, y, slot))

    def __call__(self, canv, page: int, pages: int) -> None:
        # slot positions are absolute, in the same space the page is painted in (crop marks included)
        canv.saveState()
        canv.setFont(self.font, self.size)
        canv.setFillColor(self.color)
        for x, y, slot in self.slots.get(page, ()):
            if slot.name in self.pages:
                baseline = y + slot.height - self.size       # as a one-line Paragraph's first baseline
                canv.drawRightString(x + slot.width, baseline, str(self.pages[slot.name]))
        canv.restoreState()


# The fragment reportlab's parser makes of a plain text in a ParagraphStyle (text aside), by
# what it takes from the style: the font, the size and the colour (ParaParser._initial_frag).
# Kept for the process: every export makes its own ParagraphStyles, of a handful of looks.
_PLAIN_FRAGMENTS: dict = {}


def _plain_fragment(style):
    color = style.textColor
    key = (style.fontName, style.fontSize, type(color), color)
    found = _PLAIN_FRAGMENTS.get(key)
    if found is None:
        found = _PLAIN_FRAGMENTS[key] = Paragraph("x", style).frags[0]
    return found


def _plain_fragments(text: str, style) -> list:
    """The fragments reportlab's parser makes of plain (escaped) ``text`` in ``style``: one."""
    frags = [_plain_fragment(style).clone(text=cleanBlockQuotedText(text))]
    if style.textTransform:
        textTransformFrags(frags, style)
    return frags


#: stands between the pieces of a paragraph built without markup where the markup has a tag:
#: not a space (so cleaning keeps the spaces either side of it) and never in article text (NUL
#: is not a character XML, or the reader, lets through)
_PIECE_BOUNDARY = "\x00"


@functools.lru_cache(maxsize=256)
def _markup_color(name: str):
    """A colour named as the markup names it, made as reportlab's parser makes it."""
    return toColor(name)


#: what a continuation's word list holds until LinearParagraph.split gives it the real one: it
#: is never read, and would fail loudly if it were
_LEFT_TO_SPLIT = object()


def _shareable_lines(bl_para) -> bool:
    """Lines whose continuation can share the whole paragraph's word list: a plain paragraph's
    (kind 0), or a multi-run one whose lines index that list by position (kind 1, ``sFW``)."""
    kind = getattr(bl_para, "kind", None)
    return kind == 0 or (kind == 1 and bool(bl_para.lines) and all(hasattr(line, "sFW") for line in bl_para.lines[:1]))


def _last_word(frags) -> str | None:
    """The last word of a paragraph's text, without the punctuation around it."""
    for frag in reversed(frags):
        text = getattr(frag, "text", None)
        if text is None and getattr(frag, "words", None):
            text = str(frag.words[-1])         # a paragraph given as its words (see StyledText)
        if isinstance(text, str) and text.strip():
            return _WORD_EDGES.sub("", text.split()[-1]) or None
    return None


_WORD_EDGES = re.compile(r"^\W+|\W+$")


#: line breakings a paragraph may take to undo ladders of hyphens (each pass keeps whole every
#: word that made one; a new ladder after the last pass stays)
_LADDER_PASSES = 3
_LADDER_MAX_LINES = 200


def _line_words(line) -> list[str]:
    words = line[1] if isinstance(line, tuple) else getattr(line, "words", ())
    texts = [getattr(word, "text", word) for word in words]
    return " ".join(text for text in texts if isinstance(text, str)).split()


def _ladder_words(lines, limit: int = MAX_HYPHENATED_IN_A_ROW) -> list[str]:
    """The words broken at the end of a line that is the third (or later) in a row to end in a
    hyphen, as the hyphenator sees them (with and without the hyphen: an added one or the
    compound's own)."""
    found: list[str] = []
    in_a_row = 0
    for number, line in enumerate(lines[:-1]):
        if not _ends_in_a_broken_word(line):
            in_a_row = 0
            continue
        in_a_row += 1
        if in_a_row > limit:
            following = _line_words(lines[number + 1])
            head = _line_words(line)[-1]
            if following:
                tail = following[0]
                found += [_WORD_EDGES.sub("", head[:-1] + tail), _WORD_EDGES.sub("", head + tail)]
            in_a_row = 0              # this one will be whole: count afresh after it
    return found


def _ends_in_a_broken_word(line) -> bool:
    """Whether a laid-out line ends in the head of a broken word (its text ends in a hyphen):
    plain lines are (extra space, words), multi-run ones hold fragments with a text."""
    words = line[1] if isinstance(line, tuple) else getattr(line, "words", ())
    for word in reversed(words):
        text = getattr(word, "text", word)
        if isinstance(text, str):
            text = text.rstrip()
            if text:
                return len(text) > 1 and text[-1] in "-\u2010" and text[-2].isalpha()
    return False


class StyledText(NamedTuple):
    """A paragraph of several looks (a highlighted quote, a speaker label in its own face and
    colour, a quote in italics) as its plain text and the look of every character:
    ``ranges`` are (start, end, look) covering the text in order, a look being (font, size,
    colour, background) as a fragment of :meth:`LinearParagraph.of_plain_pieces` takes them, one
    object per look (so that :class:`_HighlightWalk`, which reads the ranges, compares them by
    identity)."""

    text: str
    ranges: tuple[tuple[int, int, tuple], ...]
    starts: list[int]            # each range's start: made once, not by every page's walk
    looks: tuple[tuple, ...]     # the looks, once each


def _styled_words(styled: StyledText, base_font: str, base_size: float) -> list[str] | None:
    """The words reportlab's single-run line breaking is to lay out for ``styled``, each measured
    as its several-run breaking measures it: a word drawn in the paragraph's own face is a plain
    str; one in another face, or after a space in another face, a :class:`MeasuredWord` (its
    width in its face, plus the difference the space before it makes).  None when a word is
    drawn in two faces (a label glued to a comma) or the text has a no-break space (which
    reportlab splits words at differently): the several-run path lays such a paragraph out."""
    text, ranges = styled.text, styled.ranges
    if "\xa0" in text:
        return None
    base_space = stringWidth(" ", base_font, base_size)
    words: list[str] = []
    r = 0
    for found in _WORD.finditer(text):
        start, end = found.span()
        while ranges[r][1] <= start:
            r += 1
        look = ranges[r][2]
        following = r + 1
        while following < len(ranges) and ranges[following][0] < end:
            if ranges[following][2][:2] != look[:2]:
                return None                  # a word in two faces (or sizes)
            following += 1
        lead = 0.0
        if start:
            # the space before the word: reportlab's several-run breaking measures it in the
            # face of the text it is part of
            before = ranges[r][2] if ranges[r][0] < start else _look_at(ranges, r, start - 1)
            if before[:2] != (base_font, base_size):
                lead = stringWidth(" ", before[0], before[1]) - base_space
        word = found.group()
        if look[:2] == (base_font, base_size) and not lead:
            words.append(word)
            continue
        measured = MeasuredWord(word)
        measured.width = stringWidth(word, look[0], look[1]) + lead
        words.append(measured)
    return words


_WORD = re.compile(r"\S+")
#: a paragraph this long (a pasted transcript) almost surely has a label word at the start of
#: some line, which sends it to the several-run path after breaking it once for nothing: it goes
#: there at once (and reportlab's list of its words stays linear, see linebreak)
_STYLED_MAX_WORDS = _pdf_linebreak.MIN_QUEUED_WORDS
_TRAILING_SPACE = re.compile(r"\s+$").search


def _look_at(ranges, r: int, index: int):
    while r > 0 and ranges[r][0] > index:
        r -= 1
    return ranges[r][2]


def _measured_words_kept(words, lines) -> bool:
    """Whether single-run line breaking laid the :class:`MeasuredWord` s out as several-run
    breaking would have: each one whole (never hyphenated or split, which would measure its
    pieces in the paragraph's face) and none carried to the start of a line (where the
    several-run path would have tried to hyphenate it in its own face, and a space's
    difference carried in its width would be counted with no space there)."""
    expected = sum(1 for word in words if type(word) is MeasuredWord)
    if not expected:
        return True
    seen = 0
    for number, (_, line) in enumerate(lines):
        for position, word in enumerate(line):
            if type(word) is MeasuredWord:
                if position == 0 and number > 0:
                    return False
                seen += 1
    return seen == expected


def _styled_fragments(styled: StyledText, start: int, style) -> list:
    """The fragments reportlab's parser makes of the markup of ``styled.text[start:]``: one per
    look range (the several-run path)."""
    plain = _plain_fragment(style)
    frags = []
    for first, end, look in styled.ranges:
        if end <= start:
            continue
        frags.append(_look_fragment(plain, look, style).clone(text=styled.text[max(first, start):end]))
    if start:
        # a continuation starts at the word after the last line's: no space before it
        while frags and not frags[0].text.lstrip():
            del frags[0]
        if frags:
            frags[0].text = frags[0].text.lstrip()
    return frags


def _look_fragment(plain, look: tuple, style):
    font, size, color, background = look
    attrs = {"fontName": font, "link": [], "us_lines": []}
    if size != style.fontSize:
        attrs["fontSize"] = size
    if color is not None:
        attrs["textColor"] = _markup_color(color)
    if background is not None:
        attrs["backColor"] = _markup_color(background)
    return plain.clone(**attrs)


def _styled_lines(bl_para, styled: StyledText, start: int, style, width: float):
    """Single-run lines (extra space, words) of ``styled`` as reportlab's several-run lines: each
    line's characters in runs of one look, each space in the look of the text's space there
    (where reportlab's several-run breaking puts it).  reportlab then draws them, and highlights,
    faces and colours come out as its several-run path draws them."""
    plain = _plain_fragment(style)
    templates: dict[int, tuple] = {}     # look -> (fragment, ascent, descent), once per look
    for look in styled.looks:
        frag = _look_fragment(plain, look, style)
        templates[id(look)] = (frag, *getAscentDescent(frag.fontName, frag.fontSize))
    walk = _HighlightWalk(styled, start)
    text = styled.text
    lines = []
    for extra, words in bl_para.lines:
        count = len(words)
        runs: list[list] = []            # [look, [texts]]
        look = None
        # Most lines stand in the text as their words with single spaces: cut at the looks' edges.
        first = walk._next_word_start()
        line = " ".join(words)
        if line and text.startswith(line, first):
            end = first + len(line)
            r = bisect_right(walk.starts, first) - 1
            while r < len(styled.ranges) and styled.ranges[r][0] < end:
                a, b, look = styled.ranges[r]
                if runs and runs[-1][0] is look:       # two pieces of one look (a quote in a quote)
                    runs[-1][1].append(text[max(a, first):min(b, end)])
                else:
                    runs.append([look, [text[max(a, first):min(b, end)]]])
                r += 1
            walk.pos = end
            words = ()
        for n, word in enumerate(words):
            if n:
                if walk.pos < len(text):
                    look = walk.color_at(walk.pos)
                if runs and runs[-1][0] is look:
                    runs[-1][1].append(" ")
                else:
                    runs.append([look, [" "]])
            word = str(word)
            pieces, _ = walk._word_runs(word, walk._indices(word, walk._advance(word)))
            for k, j, look in pieces:
                if look is None:              # not found in the text: cannot happen for our own words
                    look = runs[-1][0] if runs else styled.ranges[0][2]
                if runs and runs[-1][0] is look:
                    runs[-1][1].append(word[k:j])
                else:
                    runs.append([look, [word[k:j]]])
        used = [templates[id(look)] for look, _ in runs] or [(plain, *getAscentDescent(style.fontName, style.fontSize))]
        frags = [template[0].clone(text="".join(parts)) for template, (_, parts) in zip(used, runs)]
        # as reportlab's several-run breaking measures a line: its largest size, ascent, descent
        lines.append(FragLine(extraSpace=extra, wordCount=count, lineBreak=False, words=frags,
                              fontSize=max(t[0].fontSize for t in used), ascent=max(t[1] for t in used),
                              descent=min(t[2] for t in used), maxWidth=width, sFW=0))
    return bl_para.clone(kind=1, lines=lines)


def _flush_right_offsets(bl_para, justify_last: bool) -> list[float]:
    """Each line's offset (reportlab's ``_offsets``) for a justified right-to-left paragraph:
    the lines reportlab sets flush left in a justified paragraph (the last one, unless the
    paragraph goes on on the next page, and any ended by a break) moved right by their spare
    width, the others where they are."""
    lines = bl_para.lines
    offsets = []
    for number, line in enumerate(lines):
        extra, broken = (line[0], False) if bl_para.kind == 0 else (line.extraSpace, getattr(line, "lineBreak", False))
        last = number == len(lines) - 1 and not justify_last
        offsets.append(extra if (last or broken) and extra > 0 else 0.0)
    return offsets or [0.0]


class LinearParagraph(Paragraph):
    """A Paragraph that breaks its lines once per width: its continuation after a page split reuses
    the line breaks already computed instead of breaking the rest of the text again on every page
    (which makes one very long paragraph quadratic in reportlab).

    With ``highlights`` (plain text plus highlighted character ranges, see
    ``InlineMarkup.plain_with_highlights``) it stays on reportlab's fast single-run path and draws
    the highlight rectangles itself, exactly where reportlab's own ``backColor`` would."""

    rtl = False          # a right-to-left paragraph (its lines are reordered from that base)
    _kept_lines = None   # (width, blPara) computed for this paragraph's text
    _highlights = None   # PlainHighlights or None
    _styled = None       # StyledText of a paragraph of several looks laid out as one run, or None
    _source_start = 0    # where this part's text starts in the highlights' text
    _frags_base = 0      # a continuation's first word in ``frags`` (which it shares with the whole)

    _keep_limit = None   # (frame width, height): taller than that, keep-with-next is dropped
    _frags_from_kept_lines = False   # a plain continuation: its words are those of its kept lines
    _splitting = False   # inside split(): the continuation's word list is left to split() to set

    def __init__(self, text, style=None, *args, highlights=None, keep_limit=None, **kwargs) -> None:
        super().__init__(text, style, *args, **kwargs)
        if highlights is not None:
            self._highlights = highlights
        if keep_limit is not None:
            self._keep_limit = keep_limit

    @classmethod
    def of_plain_text(cls, text: str, style, *, highlights=None, keep_limit=None,
                      bulletText=None) -> "LinearParagraph":  # noqa: N803 - reportlab's name
        """A paragraph of plain (untrusted) text in the style's own face, made without markup:
        the one fragment reportlab's parser would make of the escaped text, built directly.
        Nothing in the text is ever parsed, and the parse (a tenth of a PDF export's time) is
        skipped."""
        return cls(text, style, bulletText, _plain_fragments(text, style), highlights=highlights,
                   keep_limit=keep_limit)

    @classmethod
    def of_plain_pieces(cls, pieces, style, *, keep_limit=None, bulletText=None) -> "LinearParagraph":  # noqa: N803
        """A paragraph of plain (untrusted) text in several faces and colours
        (:meth:`~.markup.InlineMarkup.plain_pieces`), made without markup: the fragments
        reportlab's parser makes of the markup, one per piece, built directly.  The text is
        cleaned as the parser's caller cleans the markup (whitespace runs to one space, the ends
        stripped; the pieces joined by a character that is neither text nor space, as a tag is)."""
        texts = cleanBlockQuotedText(_PIECE_BOUNDARY.join(piece.text for piece in pieces)).split(_PIECE_BOUNDARY)
        text = "".join(texts)
        looks: dict[tuple, tuple] = {}
        ranges, start = [], 0
        for piece, piece_text in zip(pieces, texts):
            if piece_text:               # stripped away at an end: the parser makes no fragment of it
                look = (piece.font, piece.size, piece.color, piece.background)
                ranges.append((start, start + len(piece_text), looks.setdefault(look, look)))
                start += len(piece_text)
        styled = StyledText(text, tuple(ranges), [r[0] for r in ranges], tuple(looks.values()))
        if not style.textTransform and text.count(" ") < _STYLED_MAX_WORDS and not RTL_CHARS.search(text):
            # reportlab's several-run layout is five times its single-run one: the words go
            # through the single run, measured in their own faces, and the lines are drawn as
            # several runs (see breakLines and draw); the several-run path when that cannot be
            # exact
            words = _styled_words(styled, style.fontName, style.fontSize)
            if words:
                para = cls(text, style, bulletText, [_plain_fragment(style).clone(words=words)],
                           keep_limit=keep_limit)
                del para.frags[0].text
                para._styled = styled
                return para
        return cls(text, style, bulletText, _styled_fragments(styled, 0, style), keep_limit=keep_limit)

    def getKeepWithNext(self):  # noqa: N802 - reportlab's name
        """reportlab loops for ever on a keep-with-next paragraph taller than a page that nothing
        may follow it in a group (the last flowable, or one before a list): a heading that long is
        not one to keep with anything, so it is not kept."""
        keep = super().getKeepWithNext()
        if keep and self._keep_limit is not None and self._frags_from_kept_lines:
            # a continuation holds the whole text's fragment: its own height is its lines'
            if len(self._kept_lines[1].lines) * self.style.leading > self._keep_limit[1]:
                return 0
        elif keep and self._keep_limit is not None:
            width, height = self._keep_limit
            words = [f for f in self.frags if getattr(f, "text", None)]
            text_width = sum(stringWidth(f.text, f.fontName, f.fontSize) for f in words)
            if self._styled is not None:         # given as its words (of_plain_pieces)
                text_width = sum(stringWidth(word, self.style.fontName, self.style.fontSize)
                                 for word in self.frags[0].words)
            if (text_width / max(width, 1.0) + 1) * self.style.leading > height:
                return 0
        return keep

    def wrap(self, availWidth, availHeight):
        kept = self._kept_lines
        if kept is not None and kept[0] == availWidth:
            self.width = availWidth
            self.blPara = kept[1]
            self.height = len(kept[1].lines) * self.style.leading
            return self.width, self.height
        base = self._frags_base
        if base:
            self.frags, self._frags_base = self.frags[base:], 0
        if self._frags_from_kept_lines:
            # what reportlab's split would have given this continuation: the words of its lines
            self.frags, self._frags_from_kept_lines = _split_blParaSimple(kept[1], 0, len(kept[1].lines)), False
        result = super().wrap(availWidth, availHeight)
        # Line breaks depend on the width only: a second wrap at the same width (keep-with-next
        # groups measure their content first, then add it) reuses them.
        self._kept_lines = (availWidth, self.blPara)
        return result

    def _get_split_blParaFunc(self):  # noqa: N802 - reportlab's name
        """reportlab makes the continuation's word list from the words of every line after the
        split: work in proportion to the rest of the paragraph, on every page, which is quadratic
        for one long paragraph.  While :meth:`split` runs, the continuation gets a placeholder
        instead, and split gives it the whole paragraph's list to share (see there)."""
        make = super()._get_split_blParaFunc()
        if not self._splitting:
            return make

        def words_of_lines(bl_para, start, stop):
            return make(bl_para, start, stop) if start == 0 else [_LEFT_TO_SPLIT]
        return words_of_lines

    def breakLines(self, width):  # noqa: N802 - reportlab's name
        """Line breaking (:meth:`_break_lines`).  A paragraph of several looks given as its words
        (``_styled``) is broken on the single-run path and kept when every word in another face
        came out as the several-run path lays it out (:func:`_measured_words_kept`); else it
        becomes the several runs it is from here on."""
        styled = self._styled
        if styled is not None:
            if not self.rtl:
                bl_para = self._break_lines(width)
                if bl_para.kind == 0 and _measured_words_kept(self.frags[0].words, bl_para.lines):
                    return bl_para
            self.frags = _styled_fragments(styled, self._source_start, self.style)
            self._styled = None
            self._source_start = 0
        return self._break_lines(width)

    def _break_lines(self, width):
        """reportlab's line breaking, with the paragraph's last word kept whole (a copy editor's
        rule: never hyphenate a paragraph's last word; see :mod:`.hyphen`); then each line of a
        right-to-left paragraph, or one holding right-to-left text, in visual order (:mod:`.bidi`)."""
        # (asked before breaking: reportlab's breaking takes the text out of the fragments)
        mixed = self.rtl or any(RTL_CHARS.search(text) for frag in self.frags
                                if isinstance(text := getattr(frag, "text", None), str))
        protected = [_last_word(self.frags)]
        for _ in range(_LADDER_PASSES):
            with protecting(*protected):
                bl_para = super().breakLines(width)
            # a third line in a row ending in a hyphen: break again with that word kept whole
            # (not in a paragraph of hundreds of lines, a pasted transcript: breaking it again
            # would double its layout time)
            ladder = _ladder_words(bl_para.lines, consecutive_limit(self.style.hyphenationLang)) if len(bl_para.lines) <= _LADDER_MAX_LINES else None
            if not ladder:
                break
            protected += ladder
        if mixed:
            reorder_lines(bl_para, self.rtl)
        return bl_para

    def _lines_before_a_page_break(self, availHeight: float) -> float:
        """The height to split at so that no word is broken across the page: when the last
        line that would fit ends in a broken word (a hyphen added, or a compound broken at its
        own hyphen), that line goes over with the rest."""
        bl_para = getattr(self, "blPara", None)
        leading = self.style.leading
        if bl_para is None or leading <= 0 or getattr(self.style, "autoLeading", "") not in ("", "off"):
            return availHeight
        lines = bl_para.lines
        fits = int(availHeight / leading)
        if not getattr(self.style, "allowWidows", 1) and len(lines) == fits + 1:
            fits -= 1                     # reportlab's own rule: no widow
        cut = fits
        while 0 < cut < len(lines) and _ends_in_a_broken_word(lines[cut - 1]):
            cut -= 1
        if cut == 0:                      # no line here may end the page: all to the next one, once
            return availHeight if getattr(self, "_postponed", False) else 0
        if cut == fits:
            return availHeight
        return cut * leading + leading / 2

    def split(self, availWidth, availHeight):
        if getattr(self, "blPara", None) is None and availWidth >= 1e-8:
            self.wrap(availWidth, availHeight)      # as reportlab's split would, to know the lines
        availHeight = self._lines_before_a_page_break(availHeight)
        bl_para = getattr(self, "blPara", None)
        kept = self._kept_lines
        self._splitting = (kept is not None and kept[0] == availWidth and kept[1] is bl_para
                           and _shareable_lines(bl_para))
        try:
            parts = super().split(availWidth, availHeight)
        finally:
            splitting, self._splitting = self._splitting, False
        bl_para = getattr(self, "blPara", bl_para)
        if len(parts) == 2 and splitting:
            first, rest = parts
            taken = len(first.blPara.lines)   # reportlab sets P1.blPara to the first s lines
            # Both parts keep the lines already broken: breaking a part's words again can give a
            # different count (a hyphenated word's remainder at its start), and the first part
            # must be exactly the height the split measured.
            head = bl_para.clone()
            head.lines = bl_para.lines[:taken]
            first._kept_lines = (availWidth, head)
            remaining = bl_para.clone()
            remaining.lines = bl_para.lines[taken:]
            if bl_para.kind == 1:
                # Multi-run lines index the paragraph's word list by position (sFW).  The
                # continuation keeps the whole list, so the kept lines stay valid as they are;
                # it is cut down only if the continuation ever has to break its lines again.
                rest._frags_base = remaining.lines[0].sFW
                rest.frags = self.frags
            else:
                # A plain paragraph's continuation shares the whole text's fragment (for anything
                # that reads it) and makes its own word list only if it must break lines again.
                rest.frags = self.frags
                rest._frags_from_kept_lines = True
            rest._kept_lines = (availWidth, remaining)
            if self._highlights is not None and bl_para.kind == 0:
                first._highlights = rest._highlights = self._highlights
                first._source_start = self._source_start
                rest._source_start = _HighlightWalk(self._highlights, self._source_start).skip_lines(
                    bl_para.lines[:taken])
        if len(parts) == 2 and self._styled is not None and bl_para.kind == 0:
            # both parts' words stand in the same text (the continuation's from where the first
            # part's lines end), whether or not the continuation shares the kept lines
            first, rest = parts
            first._styled = rest._styled = self._styled
            first._source_start = self._source_start
            rest._source_start = _HighlightWalk(self._styled, self._source_start).skip_lines(first.blPara.lines)
        return parts

    def draw(self):
        if self._styled is not None and getattr(self.blPara, "kind", None) == 0:
            # words in several looks broken as one run: drawn as reportlab's several runs
            single = self.blPara
            self.blPara = _styled_lines(single, self._styled, self._source_start, self.style, self.width)
            try:
                if self._plainly_left():
                    self._draw_left_runs()
                else:
                    super().draw()
            finally:
                self.blPara = single
            return
        highlights = self._highlights
        if highlights is not None and getattr(self.blPara, "kind", None) == 0 and highlights.ranges:
            self._draw_highlights(highlights)
        if self.rtl and self.style.alignment == TA_JUSTIFY:
            # reportlab sets a justified paragraph's last line (and a line ended by a break)
            # flush left; a right-to-left one's goes flush right, moved by its spare width
            self._offsets = _flush_right_offsets(self.blPara, getattr(self, "_JustifyLast", False))
            try:
                super().draw()
            finally:
                del self._offsets
            return
        super().draw()

    def beginText(self, x, y):  # noqa: N802 - reportlab's name
        """reportlab's text object, or for lines reordered for right-to-left text one that wraps
        each such line in its logical text as ``/ActualText`` (:func:`.bidi.actual_text_object`)."""
        if getattr(self.blPara, "has_actual_text", False):
            return actual_text_object(self.canv, x, y, self.blPara)
        return super().beginText(x, y)

    def _plainly_left(self) -> bool:
        """Whether this paragraph's several-run lines are left-aligned lines of text and nothing
        else (no bullet, indent of the first line, word spacing or automatic leading), which
        :meth:`_draw_left_runs` draws as reportlab would."""
        style = self.style
        return (style.alignment == TA_LEFT and not self.bulletText and not style.firstLineIndent
                and getattr(self, "_offsets", None) is None and getattr(style, "autoLeading", "") in ("", "off")
                and all(line.extraSpace > -1e-8 and line.words for line in self.blPara.lines))

    def _draw_left_runs(self) -> None:
        """Left-aligned several-run lines drawn in one text object, a run at a time, and their
        highlights under them: the characters and rectangles reportlab's several-run drawing
        makes (_putFragLine, _do_post_text), without its per-fragment bookkeeping for links,
        underlines, images and callbacks that these lines never have (a third of its time)."""
        canv, style = self.canv, self.style
        lines = self.blPara.lines
        leading = style.leading
        first_size = lines[0].fontSize
        left = style.leftIndent
        top = self.height - first_size                 # reportlab: paraFontSizeHeightOffset
        width_of = canv.stringWidth
        canv.saveState()
        for number, line in enumerate(lines):
            # a highlight runs from where its fragment starts to where the next one starts, less
            # the previous fragment's trailing spaces; each highlighted fragment starts a new one
            bottom = top - number * leading + first_size - leading
            x, color, begin, previous = left, None, 0.0, None
            for frag in line.words:
                end = x
                if previous is not None:
                    trailing = _TRAILING_SPACE(previous.text)
                    if trailing:
                        end -= width_of(trailing.group(), previous.fontName, previous.fontSize)
                background = getattr(frag, "backColor", None)
                if color is not None:
                    canv.setFillColor(color)
                    canv.rect(begin, bottom, end - begin, leading, stroke=0, fill=1)
                color, begin = background, x
                x += width_of(frag.text, frag.fontName, frag.fontSize)
                previous = frag
            if color is not None:
                canv.setFillColor(color)
                canv.rect(begin, bottom, x - begin, leading, stroke=0, fill=1)
        text = self.beginText(left, top)
        face = color = None
        for line in lines:
            last = line.words[-1]
            for frag in line.words:
                if (frag.fontName, frag.fontSize) != face:
                    face = frag.fontName, frag.fontSize
                    text.setFont(frag.fontName, frag.fontSize, leading)
                if frag.textColor != color:
                    color = frag.textColor
                    text.setFillColor(color)
                text._textOut(frag.text, frag is last)       # the last one moves to the next line
        canv.drawText(text)
        canv.restoreState()

    def _draw_highlights(self, highlights) -> None:
        style, bl_para = self.style, self.blPara
        lines = bl_para.lines
        font, size, leading = bl_para.fontName, bl_para.fontSize, style.leading
        baseline = self.height - size      # reportlab: paraFontSizeHeightOffset
        space = stringWidth(" ", font, size)
        offsets = list(getattr(self, "_offsets", [0]))
        offsets += (len(lines) - len(offsets)) * [offsets[-1]]
        justify_last = getattr(self, "_JustifyLast", False)
        walk = _HighlightWalk(highlights, self._source_start)
        canv = self.canv
        canv.saveState()
        for i, (extra, words) in enumerate(lines):
            x = style.leftIndent + (style.firstLineIndent + offsets[0] if i == 0 else offsets[i])
            gaps = len(words) - 1
            word_space = 0.0
            if style.alignment == TA_CENTER and extra > -1e-8:
                x += extra / 2
            elif style.alignment == TA_RIGHT and extra > -1e-8:
                x += extra
            elif style.alignment == TA_JUSTIFY:
                last = not justify_last and i == len(lines) - 1
                if not ((-1e-8 < extra <= 1e-8) or (last and extra > -1e-8)) and gaps > 0:
                    word_space = extra / gaps
            elif extra < -1e-8 and gaps > 0:
                word_space = extra / gaps
            y = baseline - i * leading + size - leading
            natural = self.width - style.leftIndent - style.rightIndent - (style.firstLineIndent if i == 0 else 0) - extra
            for x1, x2, color in walk.line_segments(words, x, font, size, space + word_space,
                                                    natural + word_space * gaps):
                canv.setFillColor(color)
                canv.rect(x1, y, x2 - x1, leading, stroke=0, fill=1)
        canv.restoreState()


class PagedTable(Flowable):
    """A table of many rows (a briefing's contents, its key quotes) laid out in time linear in its
    rows.

    reportlab's Table, split at the end of a page, makes a new Table of every remaining row,
    applies its style to each of them and measures them all again; it does so on every page, so
    a contents table of 2,000 articles costs rows x pages.  A PagedTable measures every row once
    (in bands of rows, see MEASURE_ROWS), and a split hands the rest on as a
    (start, stop) range of the same rows.  Each part on a page is drawn as a reportlab Table of
    the header rows and that part's rows, with the same style: the Table reportlab's own split
    would have drawn there.  (A row's height depends on its own cells only, so it is the same in
    every table; styles must not number rows from the end or alternate them, which none of ours
    does.)"""

    def __init__(self, rows: list, col_widths: list[float], style, header_rows: int = 0) -> None:
        super().__init__()
        self._rows, self._col_widths, self._style, self._header = rows, col_widths, style, header_rows
        self._heights: list[float] | None = None     # every row's height, shared by all parts
        self._start, self._stop = header_rows, len(rows)
        self.width = sum(col_widths)
        self.hAlign = "CENTER"                      # as reportlab's Table

    def _part(self, start: int, stop: int) -> "PagedTable":
        # a new flowable (no layout state of this one's, such as reportlab's _postponed mark)
        part = PagedTable(self._rows, self._col_widths, self._style, self._header)
        part._heights, part._start, part._stop = self._heights, start, stop
        return part

    #: rows measured per reportlab Table: its height pass looks for the next unmeasured row from
    #: the start of the row list each time (quadratic in a table's rows), so never many at once
    MEASURE_ROWS = 64

    def _row_heights(self) -> list[float]:
        if self._heights is None:
            header, rows = self._rows[: self._header], self._rows[self._header:]
            heights: list[float] = []
            for first in range(0, max(len(rows), 1), self.MEASURE_ROWS):
                # each band with the header rows first, so every row is styled as in the whole table
                band = Table(header + rows[first: first + self.MEASURE_ROWS], colWidths=self._col_widths,
                             style=self._style)
                band.wrap(self.width, float("inf"))
                heights.extend(band._rowHeights[: self._header] if first == 0 else ())
                heights.extend(band._rowHeights[self._header:])
            self._heights = heights                      # parts made by split share the list
        return self._heights

    def wrap(self, availWidth, availHeight):
        heights = self._row_heights()
        height = sum(heights[: self._header])
        for row in range(self._start, self._stop):
            height += heights[row]
            if height > availHeight:
                break                 # does not fit: the exact total is not needed (as longTableOptimize)
        self.height = height
        return self.width, height

    def split(self, availWidth, availHeight):
        heights = self._row_heights()
        used = sum(heights[: self._header])
        stop = self._start
        while stop < self._stop and used + heights[stop] <= availHeight:
            used += heights[stop]
            stop += 1
        if stop == self._start:
            return []                 # not even one row fits: as reportlab's Table, try the next frame
        if stop == self._stop:
            return [self]
        return [self._part(self._start, stop), self._part(stop, self._stop)]

    def draw(self):
        rows = self._rows[: self._header] + self._rows[self._start: self._stop]
        table = Table(rows, colWidths=self._col_widths, style=self._style, repeatRows=self._header)
        table.wrapOn(self.canv, self.width, float("inf"))
        table.drawOn(self.canv, 0, 0)


class _HighlightWalk:
    """Walks the words of laid-out lines through the source text, to find which drawn characters
    fall inside a highlighted range.  Words are the source's whitespace-separated words, or
    pieces of them split at a line end (with a hyphen added when hyphenated)."""

    def __init__(self, highlights, start: int) -> None:
        self.text = highlights.text
        self.ranges = highlights.ranges
        starts = getattr(highlights, "starts", None)
        self.starts = starts if starts is not None else [r[0] for r in highlights.ranges]
        self.pos = start

    def color_at(self, index: int):
        i = bisect_right(self.starts, index) - 1
        if i >= 0 and index < self.ranges[i][1]:
            return self.ranges[i][2]
        return None

    def _uniform(self, first: int, last: int):
        """(colour,) when every character from ``first`` to ``last`` is in one range (colour) or in
        none (None); None when that needs a look at each character."""
        r = bisect_right(self.starts, first) - 1
        if r >= 0 and last < self.ranges[r][1]:
            return (self.ranges[r][2],)
        if (r < 0 or self.ranges[r][1] <= first) and (r + 1 >= len(self.starts) or self.starts[r + 1] > last):
            return (None,)
        return None

    def _word_colors(self, indices: list[int | None], carried) -> list:
        """The highlight colour (or None) of each character; an added hyphen takes the colour of
        the character before it."""
        known = [i for i in indices if i is not None]
        if known:
            uniform = self._uniform(known[0], known[-1])
            if uniform is not None:        # the whole word is in one range, or in none
                return [uniform[0]] * len(indices)
        colors = []
        for index in indices:
            color = self.color_at(index) if index is not None else carried
            colors.append(color)
            carried = color
        return colors

    def _word_runs(self, word: str, indices: list[int | None]):
        """([(k, j, colour)], colours): the stretches word[k:j] of one colour (or None) in order,
        and the colours of the word's characters found in the source."""
        if not word:
            return [], []
        known = [i for i in indices if i is not None]
        uniform = self._uniform(known[0], known[-1]) if known else (None,)
        if uniform is not None:            # one colour (or none) for the whole word
            return [(0, len(word), uniform[0])], uniform if known else ()
        colors = self._word_colors(indices, None)
        runs = []
        k = 0
        while k < len(word):
            color = colors[k]
            j = k
            while j < len(word) and colors[j] is color:
                j += 1
            runs.append((k, j, color))
            k = j
        return runs, [c for c, i in zip(colors, indices) if i is not None]

    def _next_word_start(self) -> int:
        """Where the next word may start: past the whitespace at the position (a no-break space
        is part of a word, as reportlab splits words)."""
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos].isspace() and text[pos] != "\xa0":
            pos += 1
        return pos

    def _advance(self, word: str) -> tuple[int, int] | None:
        """The source span [start, end) of ``word``'s characters (an added hyphen not included),
        or None when they cannot be found; moves past them."""
        text, pos = self.text, self._next_word_start()
        if not text.startswith(word, pos):
            core = word[:-1] if word.endswith("-") else word
            if not text.startswith(core, pos):
                found = text.find(core, pos)
                if found < 0 or not core:
                    self.pos = pos
                    return None
                pos = found
            self.pos = pos + len(core)
            return pos, pos + len(core)
        self.pos = pos + len(word)
        return pos, pos + len(word)

    @staticmethod
    def _indices(word: str, span: tuple[int, int] | None) -> list[int | None]:
        """Source index of each character of ``word`` (None for an added hyphen)."""
        if span is None:
            return [None] * len(word)
        start, end = span
        return list(range(start, end)) + [None] * (len(word) - (end - start))

    def skip_lines(self, lines) -> int:
        for _, words in lines:
            for word in words:
                self._advance(str(word))
        return self.pos

    def line_segments(self, words, x: float, font: str, size: float, gap: float, drawn_width: float):
        """[(x1, x2, colour)] of the highlighted stretches of one line (joined across spaces);
        ``drawn_width`` is the width of the whole line as drawn."""
        words = [str(w) for w in words]
        # Most lines lie wholly inside one quote or outside every quote: when the line stands in
        # the source as its words with single spaces, one look at its span settles it.
        start = self._next_word_start()
        line = " ".join(words)
        if line and self.text.startswith(line, start):
            uniform = self._uniform(start, start + len(line) - 1)
            if uniform is not None:
                self.pos = start + len(line)
                return [(x, x + drawn_width, uniform[0])] if uniform[0] is not None else []
        spans = [self._advance(w) for w in words]
        found = [span for span in spans if span is not None and span[1] > span[0]]
        if not found:
            return []
        uniform = self._uniform(found[0][0], found[-1][1] - 1)
        if uniform is not None:
            # the whole line is in one range (or none): no need to look at its characters
            return [(x, x + drawn_width, uniform[0])] if uniform[0] is not None else []
        word_runs = [self._word_runs(w, self._indices(w, span)) for w, span in zip(words, spans)]
        line_colors = {id(c): c for _, colors in word_runs for c in colors}
        if len(line_colors) == 1:         # every character found is in one range after all
            color = next(iter(line_colors.values()))
            return [(x, x + drawn_width, color)] if color is not None else []
        segments: list[list] = []
        previous_color = None
        for n, word in enumerate(words):
            width = stringWidth(word, font, size)
            for k, j, color in word_runs[n][0]:
                if color is not None:
                    x1 = x + (stringWidth(word[:k], font, size) if k else 0.0)
                    x2 = x + (width if j == len(word) else stringWidth(word[:j], font, size))
                    if k == 0 and n > 0 and segments and previous_color is color:
                        segments[-1][1] = x2          # the quote runs on across the space
                    else:
                        segments.append([x1, x2, color])
                previous_color = color
            if not word:
                previous_color = None
            x += width + gap
        return [tuple(s) for s in segments]


# ----------------------------------------------------------------------------------- doc template
class ArticleDocTemplate(BaseDocTemplate):
    """BaseDocTemplate with nothing added but a hook point; kept as our own class so a briefing
    can add page templates (cover, TOC) without touching the article code."""
