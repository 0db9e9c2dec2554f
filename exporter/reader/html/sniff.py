"""Is it a web page, and in which encoding?  (No lxml here: the text path asks too, cheaply.)

Recognition: a file's extension (``.html``, ``.htm``, ``.xhtml``) decides; without one (stdin,
bytes, an extension-less file) the first KB decides: a ``<!doctype html`` or an ``<html`` tag
there, after any byte-order mark, white space and ``<?xml …?>``/comment prologue, is a page.
The caller's ``--from text|html`` overrides both.

Encoding: a byte-order mark, then the page's own ``<meta charset>`` (or ``http-equiv``
``content-type``) in the head, then the text decoding rules of :mod:`exporter.reader.decode`.
"""
from __future__ import annotations

import codecs
import re

from ...errors import InputError
from ..decode import BINARY_SIGNATURES, decode_bytes, normalize_text

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
INPUT_FORMATS = ("text", "html")
SNIFF_BYTES = 1024
# The head is where a page declares its charset; a prescan further in would read the body.
CHARSET_SCAN_BYTES = 16384

_PAGE_START = re.compile(rb"<!doctype\s+html\b|<html[\s>/]", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})"""
                      rb"""|^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
# WHATWG: a meta-declared latin-1 / ascii page is windows-1252; a UTF-16 label read from ASCII
# bytes cannot be true (the page would not be ASCII-readable), so it means UTF-8.
_LABEL_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                  "us-ascii": "cp1252", "ascii": "cp1252", "utf-16": "utf-8", "utf-16le": "utf-8",
                  "utf-16be": "utf-8", "utf-32": "utf-8", "utf-32le": "utf-8", "utf-32be": "utf-8",
                  "x-user-defined": "cp1252", "unicode": "utf-8"}


def has_html_suffix(name: str | None) -> bool:
    return bool(name) and name.lower().rstrip().endswith(HTML_SUFFIXES)      # type: ignore[union-attr]


def looks_like_html(data: bytes | str) -> bool:
    """A doctype or an ``<html`` tag in the first KB, in data that starts with markup (after a
    BOM and white space): a text that only mentions ``<html>`` is still text."""
    head = data[:SNIFF_BYTES * 4] if isinstance(data, str) else data[:SNIFF_BYTES]
    if isinstance(head, str):
        head = head.encode("utf-8", "surrogatepass")[:SNIFF_BYTES]
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):           # a UTF-16 page: sniff its ASCII-range bytes
            head = head[len(bom):].replace(b"\x00", b"")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    return head.lstrip().startswith(b"<") and _PAGE_START.search(head) is not None


def choose_reader(input_format: str | None, name: str | None, data: bytes | str) -> str:
    """``"html"`` or ``"text"``: the caller's choice, else the extension, else sniffing."""
    if input_format is not None:
        return input_format
    if has_html_suffix(name):
        return "html"
    return "html" if looks_like_html(data) else "text"


def decode_page(data: bytes, source_name: str) -> tuple[str, list[str]]:
    """A page's bytes as text: BOM, then ``<meta charset>``, then the text decoding rules.
    Returns (normalised text, warnings)."""
    if not data.strip():
        raise InputError(f"{source_name}: empty input (no page)")
    has_bom = data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not has_bom:
        for magic, what in BINARY_SIGNATURES:
            if what is not None and data.startswith(magic):
                raise InputError(f"{source_name}: binary data ({what}), not a web page")
        declared = declared_charset(data[:CHARSET_SCAN_BYTES])
        if declared is not None and declared != "utf-8":
            try:
                text = data.decode(declared)
            except UnicodeDecodeError:
                text = None                     # the declaration lies: the text rules decide
            if text is not None:
                text = normalize_text(text)
                if not text.strip():
                    raise InputError(f"{source_name}: empty input (no page)")
                return text, []
    return decode_bytes(data, source_name)


def declared_charset(head: bytes) -> str | None:
    """The Python codec of the first ``<meta … charset=…>`` in ``head``, or None (none, or a label
    Python does not know)."""
    match = _CHARSET.search(head)
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii", "replace").strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None                          # base64, rot13 and the like are no page encoding
    name = info.name
    return "utf-8" if name in ("utf-8", "utf-8-sig") else name
