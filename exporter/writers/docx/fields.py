"""Word fields, bookmarks and the small text helpers of the DOCX writer.

All functions return WordprocessingML fragments as text with every value escaped; callers parse
them inside a ``w:p``/``w:hdr`` that declares the ``w`` namespace.
"""
from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

#: characters XML 1.0 cannot carry at all; the reader removes them, the writer must not trust it
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NEWLINES = re.compile("\r\n?")
_BOOKMARK_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
#: a single w:t holding more than this is split: libxml2 refuses text nodes over 10 MB
MAX_TEXT_NODE = 1_000_000


def clean_text(text: str) -> str:
    """Text safe for XML, with CRLF and lone CR as one LF each (one line break per line)."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return _XML_INVALID.sub("", text)


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary when one is near, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip() + "\u2026"


def t_xml(text: str) -> str:
    """w:t elements for plain text (no tabs or newlines in it)."""
    if len(text) <= MAX_TEXT_NODE:
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>'
    return "".join(f'<w:t xml:space="preserve">{escape(text[i:i + MAX_TEXT_NODE])}</w:t>'
                   for i in range(0, len(text), MAX_TEXT_NODE))


def run_content_xml(text: str) -> str:
    """A run's content for cleaned text: w:t pieces with w:br per newline and w:tab per tab."""
    if "\n" not in text and "\t" not in text:
        return t_xml(text) if text else ""
    out: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if piece:
                out.append(t_xml(piece))
    return "".join(out)


def field_xml(instruction: str, placeholder: str, rpr: str = "") -> str:
    """A complex field (begin / instruction / separate / cached result / end), as Word writes it;
    Word and LibreOffice recompute the result when they lay the page out."""
    r = f"<w:r>{'<w:rPr>' + rpr + '</w:rPr>' if rpr else ''}"
    return (
        f'{r}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'{r}<w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        f'{r}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"{r}{t_xml(placeholder)}</w:r>"
        f'{r}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def toc_field_xml(levels: str = "1-3", placeholder: str = "Right-click to update the table of contents.") -> str:
    """A paragraph body (runs) holding a TOC field over heading levels, with hyperlinked entries."""
    return field_xml(f'TOC \\o "{levels}" \\h \\z \\u', placeholder)


#: a briefing's contents, as the presented Contents lists it: each article's title (the Title
#: style, or the meta line standing in for a missing headline) at level 1, the article's headings
#: at level 2; hyperlinked entries (\h), no page numbers in web view (\z)
TOC_INSTRUCTION = ('TOC \\h \\z \\t "Title,1,Meta Line Heading,1,Heading 1,2,Heading 2,2,Heading 3,2"')


def toc_field_parts(instruction: str) -> tuple[str, str]:
    """The runs that open a complex field (begin, instruction, separate) and the run that closes
    it, for a field whose cached result spans several paragraphs (a TOC: one per entry)."""
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    return begin, '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def bookmark_name(anchor: str) -> str:
    """The Word bookmark for a presented anchor (``a01-b3`` -> ``a01_b3``): letters, digits and
    underscores, starting with a letter, at most 40 characters.  Anchors are unique ignoring case
    and hold no underscore (article ids are plain), so their bookmarks are unique too."""
    name = _BOOKMARK_UNSAFE.sub("_", anchor)
    if not name[:1].isalpha():
        name = "b" + name
    return name[:40]


def bookmark_start_xml(bookmark_id: int, name: str) -> str:
    return f'<w:bookmarkStart w:id="{bookmark_id}" w:name={quoteattr(name)}/>'


def bookmark_end_xml(bookmark_id: int) -> str:
    return f'<w:bookmarkEnd w:id="{bookmark_id}"/>'
