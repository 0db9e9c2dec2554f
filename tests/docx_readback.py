"""A DOCX read back as the reading sequence (:func:`exporter.presentation.reading.reading_sequence`):
what a reader sees, part by part, from the body's paragraphs and tables in document order, told
apart by their named styles (headers and footers are page furniture and left aside).

- ``CoverTitle`` / ``CoverMeta`` (and a ``Subtitle`` right on the cover): cover-title, cover-line
- ``TOCHeading``, ``KeyQuotesHeading``, ``RelatedHeading``, ``DroppedHeading``: heading
- ``TOC1``/``TOC2``: toc-entry; the key-quotes table: kq-column, then kq-speaker, kq-quote and
  kq-article per row (a continued, merged article cell is not read again)
- ``Title``: title; ``MetaLine``/``MetaLineHeading``: meta-line; ``Subtitle``: standfirst
- ``RelatedItem``: speaker-note when it is numbered (its own ordered list), else related-item;
  ``DroppedItem``: dropped-item
- any other paragraph: paragraph (its text without speaker labels, if it has any), then a
  speaker-label for each run of the ``SpeakerLabel`` character style, then the names of the
  margin frame (a ``w:framePr`` paragraph) that stood before it
"""
from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.run import Run

BULLET_NUM_ID = "1"
HEADINGS = {"TOCHeading", "KeyQuotesHeading", "RelatedHeading", "DroppedHeading"}


def normal(text: str) -> str:
    return " ".join(text.split())


def style_id(paragraph) -> str | None:
    found = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return found.get(qn("w:val")) if found is not None else None


def text_and_labels(paragraph) -> tuple[str, list[str]]:
    """The paragraph's text without its speaker labels, and the labels in order (each one run,
    or several when a fallback font splits it; the no-break space before a label is not part of it)."""
    text: list[str] = []
    labels: list[str] = []
    in_label = False
    for r in paragraph._p.iter(qn("w:r")):
        run = Run(r, paragraph)
        rstyle = r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        if rstyle is not None and rstyle.get(qn("w:val")) == "SpeakerLabel":
            if in_label:
                labels[-1] += run.text
            else:
                labels.append(run.text)
            in_label = True
        else:
            text.append(run.text)
            in_label = in_label and not run.text
    return "".join(text), [label.strip().strip("\u00a0") for label in labels]


def docx_sequence(data: bytes) -> list[tuple[str, str]]:
    document = docx.Document(io.BytesIO(data))
    out: list[tuple[str, str]] = []
    margin: list[str] = []
    on_cover = False
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            out.extend(_table(item))
            continue
        paragraph = item
        kind = style_id(paragraph)
        if paragraph._p.find(f"{qn('w:pPr')}/{qn('w:framePr')}") is not None:
            margin += [normal(name) for name in paragraph.text.split("\n") if name.strip()]
            continue
        text = normal(paragraph.text)
        if kind == "CoverTitle":
            out.append(("cover-title", text))
            on_cover = True
            continue
        if kind == "CoverMeta" or (kind == "Subtitle" and on_cover):
            out.append(("cover-line", text))
            continue
        on_cover = False
        if kind in HEADINGS:
            out.append(("heading", text))
        elif kind in ("TOC1", "TOC2"):
            out.append(("toc-entry", text))
        elif kind == "Title":
            out.append(("title", text))
        elif kind in ("MetaLine", "MetaLineHeading"):
            out.append(("meta-line", text))
        elif kind == "Subtitle":
            out.append(("standfirst", text))
        elif kind == "RelatedItem":
            num = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            numbered = num is not None and num.get(qn("w:val")) != BULLET_NUM_ID
            out.append(("speaker-note" if numbered else "related-item", text))
        elif kind == "DroppedItem":
            out.append(("dropped-item", text))
        else:
            body, labels = text_and_labels(paragraph)
            if normal(body):
                out.append(("paragraph", normal(body)))
            out.extend(("speaker-label", normal(label)) for label in labels)
            out.extend(("speaker-label", name) for name in margin)
            margin = []
    return [(kind, text) for kind, text in out if text]


def _table(table: Table) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    rows = table._tbl.tr_lst
    for cell in rows[0].tc_lst:
        out.append(("kq-column", _cell_text(cell)))
    for row in rows[1:]:
        speaker, quote, article = row.tc_lst
        out += [("kq-speaker", _cell_text(speaker)), ("kq-quote", _cell_text(quote))]
        merge = article.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
        if merge is None or merge.get(qn("w:val")) == "restart":
            out.append(("kq-article", _cell_text(article)))
    return out


def _cell_text(cell) -> str:
    return normal(" ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in cell.iter(qn("w:p"))))


def presented_sequence(doc) -> list[tuple[str, str]]:
    """The oracle, whitespace normalised, empty texts left out as a reader sees none."""
    from exporter.presentation.reading import reading_sequence

    return [(kind, normal(text)) for kind, text in reading_sequence(doc) if normal(text)]
