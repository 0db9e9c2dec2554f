"""Font subsets for the formats that carry their fonts (EPUB and DOCX with ``embed_fonts``): one
fontTools subsetter for both, imported only when a style embeds.  Deterministic: the head table's
modified time is kept, not set to now, so the same text gives the same bytes."""
from __future__ import annotations

import io
from pathlib import Path

from .fontfile import check_font_file


def subset_font(path: Path, chars: set[str], *, keep_positioning: bool = True) -> bytes:
    """``path`` cut down to the glyphs for ``chars`` (plus what shaping needs), as TrueType bytes,
    its names (family, licence) kept.  ``keep_positioning=False`` drops GPOS (kerning and mark
    positioning): most of the subsetting time, for a reader that uses none of it."""
    from fontTools import subset

    check_font_file(path)        # fontTools maps the file: a Style built by hand skipped the loader's check
    options = subset.Options()
    options.recalc_timestamp = False
    options.hinting = False              # viewers rasterise at their own sizes
    options.notdef_outline = True        # a missing glyph shows as a box, not as nothing
    options.name_IDs = ["*"]             # keep the licence and family names
    options.name_languages = ["*"]
    options.drop_tables += ["DSIG", "FFTM"]   # signatures break on subsetting; FFTM is a build stamp
    if not keep_positioning:
        options.drop_tables += ["GPOS"]
    font = subset.load_font(str(path), options, lazy=True)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted({ord(ch) for ch in chars}))
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    finally:
        font.close()
    return buffer.getvalue()
