"""Font subsetting for EPUB embedding (fontTools; imported only when a style embeds fonts)."""
from __future__ import annotations

import io
from pathlib import Path

from fontTools import subset

from ...style.fontfile import check_font_file


def subset_font(path: Path, chars: set[str]) -> bytes:
    """``path`` cut down to the glyphs for ``chars`` (plus what shaping needs), as TrueType bytes.

    Deterministic: the head table's modified time is kept, not set to now."""
    check_font_file(path)        # fontTools maps the file: a Style built by hand skipped the loader's check
    options = subset.Options()
    options.recalc_timestamp = False
    options.hinting = False              # reading systems rasterise at their own sizes
    options.notdef_outline = True        # a missing glyph shows as a box, not as nothing
    options.name_IDs = ["*"]             # keep the licence and family names
    options.name_languages = ["*"]
    options.drop_tables += ["DSIG", "FFTM"]   # signatures break on subsetting; FFTM is a build stamp
    font = subset.load_font(str(path), options, lazy=True)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted({ord(ch) for ch in chars} | {0x20}))
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    finally:
        font.close()
    return buffer.getvalue()
