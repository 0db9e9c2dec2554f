"""The reading-sequence kit: what a reader sees in an output, read back as ``(kind, text)`` parts.

Every styled format must show :func:`exporter.presentation.reading.reading_sequence` of the
presented document, page furniture aside.  Each format has one reader here, built on what its
output really holds (the classes the (X)HTML writers give each part, the named styles of the
DOCX, the text of the PDF's text area); the per-writer tests and the cross-format test
(tests/test_cross_format.py) all read through these functions, so a new writer joins by adding
one reader to :data:`READERS`.
"""
from __future__ import annotations

import io
import zipfile
from typing import Callable

Sequence = list[tuple[str, str]]

XHTML = "{http://www.w3.org/1999/xhtml}"
PARAGRAPH_KEYS = {"lede", "body", "blockquote", "list", "heading-1", "heading-2", "heading-3"}
HEADING_KEYS = {"toc-heading", "key-quotes-heading", "related-heading", "dropped-heading"}
FURNITURE_KEYS = {"header", "footer"}            # the marking line: page furniture, aside


def normalised(sequence: Sequence) -> Sequence:
    """Parts with their whitespace runs made one space (line ends, tabs, non-breaking spaces)."""
    return [(kind, " ".join(text.split())) for kind, text in sequence]


def comparable(sequence: Sequence) -> Sequence:
    """:func:`normalised`, without parts whose text is empty (a reader sees nothing there, and a
    format may leave an empty element out altogether)."""
    return [(kind, text) for kind, text in normalised(sequence) if text]


# ------------------------------------------------------------------------------ (X)HTML pages
def _element_text(el, skip_labels: bool = True) -> str:
    """An element's text; the speaker labels the presentation layer added (and an endnote's
    back-link) left out when asked: the sequence lists labels as parts of their own."""
    parts = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        classes = (child.get("class") or "").split()
        back_link = child.get("aria-label") == "back" or "back" in classes
        if not (skip_labels and ("speaker-label" in classes or back_link)):
            parts.append(_element_text(child, skip_labels))
        parts.append(child.tail or "")
    return "".join(parts)


def _markup_sequence(bodies, local: Callable[[object], str]) -> Sequence:
    """The sequence of (X)HTML bodies, in order, from the classes the writers give each part."""
    out: Sequence = []

    def walk(el, in_cover: bool, in_notes: bool) -> None:
        if not isinstance(el.tag, str):
            return
        classes = set((el.get("class") or "").split())
        tag = local(el)
        if el.get("hidden") is not None or classes & FURNITURE_KEYS:
            return
        in_cover = in_cover or (tag == "section" and "cover" in classes)
        in_notes = in_notes or (tag == "ol" and "speaker-notes" in classes)
        kind = None
        if in_cover and "cover-title" in classes:
            kind = "cover-title"
        elif in_cover and classes & {"cover-meta", "subtitle"}:
            kind = "cover-line"
        elif classes & HEADING_KEYS:
            kind = "heading"
        elif "toc-entry" in classes:
            kind = "toc-entry"
        elif tag == "th":
            kind = "kq-column"
        elif classes & {"kq-speaker", "kq-quote", "kq-article"}:
            kind = next(c for c in sorted(classes) if c.startswith("kq-"))
        elif "title" in classes:
            kind = "title"
        elif "meta-line" in classes:
            kind = "meta-line"
        elif "subtitle" in classes:
            kind = "standfirst"
        elif tag == "li" and in_notes:
            kind = "speaker-note"
        elif tag == "li" and classes & {"related-item", "dropped-item"}:
            kind = next(iter(classes & {"related-item", "dropped-item"}))
        elif tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6") and classes & PARAGRAPH_KEYS:
            text = _element_text(el)
            if text.strip():
                out.append(("paragraph", text))
            out.extend(("speaker-label", _element_text(label, skip_labels=False)) for label in el.iter()
                       if isinstance(label.tag, str) and "speaker-label" in (label.get("class") or "").split())
            return
        if kind is not None:
            out.append((kind, _element_text(el, skip_labels=kind == "speaker-note")))
            return
        for child in el:
            walk(child, in_cover, in_notes)

    for body in bodies:
        walk(body, False, False)
    return out


def epub_reading_sequence(data: bytes) -> Sequence:
    """The book's documents in spine order (readback's spine walk)."""
    from lxml import etree

    from readback import _epub_documents

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        documents, _ = _epub_documents(zf)
    bodies = [etree.fromstring(raw).find(f"{XHTML}body") for _, raw in documents]
    return _markup_sequence(bodies, lambda el: el.tag.replace(XHTML, ""))


def html_reading_sequence(data: bytes | str) -> Sequence:
    """One HTML page, parsed as a browser does (html5lib)."""
    import html5lib

    text = data.decode("utf-8") if isinstance(data, bytes) else data
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    return _markup_sequence([tree.find("body")], lambda el: el.tag)


# ------------------------------------------------------------------------------------ registry
def docx_reading_sequence(data: bytes) -> Sequence:
    """Body paragraphs and tables in document order, told apart by their named styles."""
    from docx_readback import docx_sequence

    return docx_sequence(data)


READERS: dict[str, Callable[[bytes], Sequence]] = {
    "docx": docx_reading_sequence,
    "epub": epub_reading_sequence,
    "html": html_reading_sequence,
}


def pdf_shows(data: bytes, doc, style) -> None:
    """Assert that a PDF's text areas show ``doc``'s reading sequence (the PDF writer's own test
    owns the reading: text by area, speaker labels by their look, the key-quotes table by column)."""
    from test_writer_pdf_reading import assert_shows_the_reading_sequence

    assert_shows_the_reading_sequence(data, doc, style)


def reading_sequence_of(fmt: str, data: bytes) -> Sequence:
    """What a reader sees in ``data`` (an output of format ``fmt``), normalised."""
    try:
        reader = READERS[fmt]
    except KeyError:
        raise ValueError(f"the sequence kit has no reader for {fmt!r}") from None
    return normalised(reader(data))

