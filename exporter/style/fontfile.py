"""Is a file a font the writers can use?  Asked BEFORE any reader opens it.

reportlab, the project's TrueType reader (``exporter.style.sfnt``) and fontTools (the EPUB and DOCX
subsetter) all read a font file whole (or map large parts of it), so a 2 GB file named in a style, or a PDF renamed ``.ttf``, must be refused from its size and
its first four bytes.  The one rule lives here and every place that opens a font asks it: the style
loader for the files a style names (so every format refuses them the same way), the resolver for
system fonts, and the PDF and EPUB writers for a Style built by hand.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

#: No usable text font comes near this (Noto Serif is 0.5 MB, Droid Sans Fallback 4 MB, the
#: largest CJK TrueType fonts about 30 MB); the cap keeps a bad file from costing gigabytes.
MAX_FONT_FILE_BYTES = 64 * 1024 * 1024

#: sfnt version tags of a single font with TrueType (glyf) outlines: the only kind reportlab can
#: embed in a PDF, and the kind the EPUB subsetter and the DOCX name reader handle.  One style
#: drives every format, so a style's fonts must suit all of them.
TRUETYPE_SIGNATURES = frozenset({b"\x00\x01\x00\x00", b"true"})
#: signatures of font files the writers cannot use, with why (for the error line)
UNUSABLE_SIGNATURES = {
    b"OTTO": "an OpenType font with CFF outlines, which the PDF writer cannot draw",
    b"ttcf": "a font collection (.ttc), which the writers cannot embed",
    b"wOFF": "a WOFF web font, which the writers cannot embed",
    b"wOF2": "a WOFF2 web font, which the writers cannot embed",
}


def font_file_problem(path: str | os.PathLike[str]) -> str | None:
    """None when ``path`` is a plain file of at most 64 MB that starts with a TrueType signature;
    else what is wrong, as a phrase to follow the file's name ("is 2048 MB, …")."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > MAX_FONT_FILE_BYTES:
        return (f"is {info.st_size / 2**20:.0f} MB, more than the {MAX_FONT_FILE_BYTES // 2**20} MB "
                f"a font file may be")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if head in TRUETYPE_SIGNATURES:
        return None
    why = UNUSABLE_SIGNATURES.get(head)
    return f"is {why}" if why else "is not a TrueType font file (no TrueType signature)"


def check_font_file(path: str | os.PathLike[str]) -> None:
    """Raise :class:`~exporter.errors.StyleError` when :func:`font_file_problem` finds one."""
    problem = font_file_problem(path)
    if problem is not None:
        from ..errors import StyleError

        raise StyleError(f"font {str(Path(path))!r}: {problem}")
