"""The PDF writer: print-ready PDF through reportlab platypus, rendering the presented document.

:meth:`PdfWriter.write` calls :func:`exporter.presentation.present` once and draws what comes
back; every editorial decision (headline policy, meta line, labels, dates, speaker display, key
quotes, typography, links, languages, marking, running texts, ids) is the presentation layer's.
A single article and a briefing are the same walk over parts (``render.StoryRenderer``).

Modules (none imports the package face ``exporter``, and none imports this one):

- ``render``: the context of one build, the story of flowables made from the parts, pages.
- ``markup``: fonts, colours, ParagraphStyles, escaping and the inline markup of presented runs.
- ``page``: the deferred canvas (page X of Y, contents page numbers), furniture, named
  destinations, the linear-time paragraph and table.
- ``linebreak``, ``hyphen``, ``bidi``, ``ttf``: reportlab's line breaking in linear time,
  hyphenation under a copy editor's rules (patterns loaded lazily), right-to-left lines in
  visual order, the fast TrueType reader and subsetter.

What a PDF shows of the presented document: everything in reading order; page furniture
(running head and foot per article, page X of Y, the marking on every page); the outline (cover,
contents, key quotes, articles and their headings); internal links for contents, key-quote rows
and speaker notes.  Speaker labels are drawn as the style places them (inline, in the left margin
beside the quote, or as an endnote number); with ``quotes.show_speaker`` a quote also carries a
hover note naming its speaker, as an extra.

Only reportlab (and pyphen, through reportlab's hyphenation) is imported here: exporting a PDF
never imports python-docx or ebooklib.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO, ClassVar

from reportlab import rl_config

from ...errors import RenderError
from ...presentation import present
from .. import RenderOptions
from .render import PdfContext, build_pdf

if TYPE_CHECKING:  # pragma: no cover
    from ...ast import Article
    from ...briefing import Briefing
    from ...style.model import Style

# Second line of defence behind escaping: even if markup reached reportlab, it may not fetch any
# URL (no trusted host) and no scheme is trusted for resources.
rl_config.trustedHosts = None
rl_config.trustedSchemes = []
# Plain Flate streams: ASCII85 on top only makes files bigger and slower to write.
rl_config.useA85 = 0

__all__ = ["PdfWriter"]


class PdfWriter:
    name: ClassVar[str] = "pdf"
    media_type: ClassVar[str] = "application/pdf"
    extension: ClassVar[str] = "pdf"
    uses_style: ClassVar[bool] = True

    def write(self, document: "Article | Briefing", style: "Style", out: BinaryIO, options: RenderOptions) -> None:
        if style is None:
            raise RenderError("pdf: a style is required")
        doc = present(document, style, options)
        ctx = PdfContext(style=style, options=options, tooltips=doc.show_speaker_tooltip)
        build_pdf(doc, ctx, out)
        from ...style.fonts import SHOWN_IN_PDF
        ctx.resolver.warn_uncovered(options.warn, SHOWN_IN_PDF)
