"""PDF writer, part 2: pages.  The canvas that defers pages until the page count is known (for
"page X of Y" without a second layout pass), the running header and footer, the marking, crop
marks and bleed, outline markers, and a Paragraph that lays out long text in linear time."""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable

from reportlab.lib.abag import ABag
from reportlab.lib.colors import CMYKColor, black
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.flowables import Flowable

if TYPE_CHECKING:  # pragma: no cover
    from ..style.model import Furniture, Style
    from ._pdf_markup import InlineMarkup, Palette

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
        Canvas.save(self)


# ------------------------------------------------------------------------------------- geometry
@dataclass(frozen=True)
class PageGeometry:
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
_FIELD = re.compile(r"\{(title|source|date|page|pages|marking)\}")


def fill_template(template: str, values: dict[str, str]) -> str:
    """Substitute the known {fields}; anything else in the template stays as written."""
    return _FIELD.sub(lambda m: values.get(m.group(1), ""), template)


@dataclass
class FurniturePainter:
    """Paints the running header and footer and the marking on one page."""

    style: "Style"
    geometry: PageGeometry
    markup: "InlineMarkup"
    paragraph_style: Callable[..., object]   # (key, **overrides) -> ParagraphStyle
    fields: dict[str, str]
    marking: str | None

    def __call__(self, canv: Canvas, page: int, pages: int) -> None:
        page_style = self.style.page
        values = dict(self.fields, page=str(page), pages=str(pages), marking=self.marking or "")
        show = page > 1 or page_style.first_page_furniture
        g = self.geometry
        header_y = g.height - g.margin_top * 0.5
        footer_y = g.margin_bottom * 0.5
        marking_shown = False
        canv.saveState()
        for key, furniture, y in (("header", page_style.header, header_y), ("footer", page_style.footer, footer_y)):
            if show and not furniture.empty:
                self._band(canv, key, furniture, values, y)
                marking_shown |= any("{marking}" in t for t in (furniture.left, furniture.center, furniture.right))
        if self.marking and not marking_shown:
            # A marking is printed on every page, whatever the furniture settings say: centred at
            # the top and the bottom, just outside the header/footer bands.
            top_y = g.height - g.margin_top * (0.25 if show and not page_style.header.empty else 0.5)
            bottom_y = g.margin_bottom * (0.25 if show and not page_style.footer.empty else 0.5)
            for key, y in (("header", top_y), ("footer", bottom_y)):
                self._slot(canv, key, self.marking, y, g.margin_left, g.frame_width, TA_CENTER, bold=True)
        canv.restoreState()

    def _band(self, canv: Canvas, key: str, furniture: "Furniture", values: dict[str, str], y: float) -> None:
        g = self.geometry
        left = fill_template(furniture.left, values)
        center = fill_template(furniture.center, values)
        right = fill_template(furniture.right, values)
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
        text = " ".join(text.split())
        if not text:
            return None

        def fitted(candidate: str):
            para = Paragraph(self.markup.render_text(candidate, key, bold=bold), pstyle)
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
class OutlineMarker(Flowable):
    """A zero-size flowable placed before a titled block: bookmarks its position and adds the
    outline entry when drawn (so the entry points at the page the block actually lands on)."""

    def __init__(self, key: str, title: str, level: int) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.keepWithNext = 1

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)


class LinearParagraph(Paragraph):
    """A Paragraph that breaks its lines once per width: its continuation after a page split reuses
    the line breaks already computed instead of breaking the rest of the text again on every page
    (which makes one very long paragraph quadratic in reportlab)."""

    _kept_lines = None   # (width, blPara) computed for the remaining text

    def wrap(self, availWidth, availHeight):
        kept = self._kept_lines
        if kept is not None and kept[0] == availWidth:
            self.width = availWidth
            self.blPara = kept[1]
            self.height = len(kept[1].lines) * self.style.leading
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        # Line breaks depend on the width only: a second wrap at the same width (keep-with-next
        # groups measure their content first, then add it) reuses them.
        self._kept_lines = (availWidth, self.blPara)
        return result

    def split(self, availWidth, availHeight):
        bl_para = getattr(self, "blPara", None)
        parts = super().split(availWidth, availHeight)
        bl_para = getattr(self, "blPara", bl_para)
        if len(parts) == 2 and bl_para is not None and getattr(bl_para, "kind", None) in (0, 1):
            first, rest = parts
            taken = len(first.blPara.lines)   # reportlab sets P1.blPara to the first s lines
            remaining = bl_para.clone()
            remaining.lines = bl_para.lines[taken:]
            rest._kept_lines = (availWidth, remaining)
        return parts


# ----------------------------------------------------------------------------------- doc template
class ArticleDocTemplate(BaseDocTemplate):
    """BaseDocTemplate with nothing added but a hook point; kept as our own class so a briefing
    can add page templates (cover, TOC) without touching the article code."""
