"""PDF writer, part 4: reading a TrueType file for reportlab, faster.

reportlab's ``TTFontFile.extractInfo`` reads the character map, the horizontal metrics and the
glyph locations one value at a time through method calls: about 3 ms per face, paid in every
process for every face an export draws in (a default-style article uses four).  :class:`FastTTFont`
is reportlab's ``TTFont`` whose face reads those three tables with one ``struct`` call each and
builds exactly the attributes reportlab builds (a test compares them for every shipped font).
The header tables are still read by reportlab itself, and any file outside the common case (a
cmap format other than 4 or 12, an unknown glyph data format) goes through reportlab's own code
unchanged, errors included.
"""
from __future__ import annotations

import zlib
from fnmatch import fnmatch
from struct import unpack_from
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace, unShapedFontGlob


class _FastFlate(pdfdoc.PDFStreamFilterZCompress):
    """Flate at zlib level 1 for embedded font programs: glyph outlines gain ~4% in size over
    level 6 and take ~40% less time to compress (0.5 against 0.8 ms for the sample's four
    subsets); page content streams keep reportlab's level (they compress far worse at 1)."""

    def encode(self, text):
        if isinstance(text, str):
            text = text.encode("utf8")
        return zlib.compress(text, 1)


FONT_FLATE = _FastFlate()


class FastTTFontFace(TTFontFace):
    def addSubsetObjects(self, doc, fontname, subset):  # noqa: N802 - reportlab's name
        descriptor = TTFontFace.addSubsetObjects(self, doc, fontname, subset)
        if doc.compression:
            # the FontFile2 stream reportlab just registered under this name
            doc.idToObject["fontFile:%s(%s)" % (self.filename, fontname)].filters = [FONT_FLATE]
        return descriptor

    def extractInfo(self, charInfo=1):  # noqa: N802 - reportlab's name
        TTFontFace.extractInfo(self, 0)          # names, head, OS/2, post, hhea, maxp
        if charInfo and not self._char_info():
            TTFontFace.extractInfo(self, charInfo)   # reportlab's way, for anything unusual

    def _char_info(self) -> bool:
        """cmap, hmtx and loca as reportlab reads them; False when this file needs reportlab's
        own reader (nothing has been set then that it would not set again)."""
        data = self._ttf_data
        table = self.table
        if not all(tag in table for tag in ("head", "hhea", "cmap", "hmtx", "loca")):
            return False
        head = table["head"]["offset"]
        index_to_loc_format, glyph_data_format = unpack_from(">HH", data, head + 50)
        if glyph_data_format != 0 or index_to_loc_format not in (0, 1):
            return False
        number_of_hmetrics = unpack_from(">H", data, table["hhea"]["offset"] + 34)[0]
        num_glyphs = self.numGlyphs
        scale = self._pdfScale

        # cmap: the same choice of subtable as reportlab (the last acceptable one wins)
        cmap = table["cmap"]["offset"]
        version, count = unpack_from(">HH", data, cmap)
        if count == 0 and version != 0:
            count, version = version, count
        encoffs, enc = None, 0
        for n in range(count):
            platform, encoding, offset = unpack_from(">HHL", data, cmap + 4 + 8 * n)
            if platform == 3:
                enc, encoffs = 1, offset
            elif platform == 1 and encoding == 0 and enc != 1:
                enc, encoffs = 2, offset
            elif platform == 1 and encoding == 1:
                enc, encoffs = 1, offset
            elif platform == 0 and encoding != 5:
                enc, encoffs = 1, offset
        if encoffs is None:
            return False
        encoffs += cmap
        fmt = unpack_from(">H", data, encoffs)[0]
        char_to_glyph: dict[int, int] = {}
        glyph_to_char: dict[int, list[int]] = {}
        if fmt == 4:
            length = unpack_from(">H", data, encoffs + 2)[0]
            limit = encoffs + length
            seg_count = int(unpack_from(">H", data, encoffs + 6)[0] / 2.0)
            pos = encoffs + 14
            ends = unpack_from(f">{seg_count}H", data, pos)
            pos += 2 * seg_count + 2
            starts = unpack_from(f">{seg_count}H", data, pos)
            pos += 2 * seg_count
            deltas = unpack_from(f">{seg_count}h", data, pos)
            range_start = pos + 2 * seg_count
            range_offsets = unpack_from(f">{seg_count}H", data, range_start)
            for n in range(seg_count):
                start, end, delta, range_offset = starts[n], ends[n], deltas[n], range_offsets[n]
                if end < start:
                    continue
                chars = range(start, end + 1)
                if range_offset == 0:
                    glyphs = [(u + delta) & 0xFFFF for u in chars]
                else:
                    base = range_start + 2 * n + range_offset
                    glyphs = []
                    for u in chars:
                        offset = base + (u - start) * 2
                        if offset >= limit:      # reportlab's workaround for broken fonts
                            glyphs.append(0)
                        else:
                            glyph = unpack_from(">H", data, offset)[0]
                            glyphs.append((glyph + delta) & 0xFFFF if glyph else 0)
                for u, glyph in zip(chars, glyphs):
                    char_to_glyph[u] = glyph
                    found = glyph_to_char.get(glyph)
                    if found is None:
                        glyph_to_char[glyph] = [u]
                    else:
                        found.append(u)
        elif fmt == 12:
            seg_count = unpack_from(">L", data, encoffs + 12)[0]
            groups = unpack_from(f">{3 * seg_count}L", data, encoffs + 16)
            for n in range(0, 3 * seg_count, 3):
                start, end, first_glyph = groups[n], groups[n + 1], groups[n + 2]
                inc = first_glyph - start
                for u in range(start, end + 1):
                    glyph = u + inc
                    char_to_glyph[u] = glyph
                    found = glyph_to_char.get(glyph)
                    if found is None:
                        glyph_to_char[glyph] = [u]
                    else:
                        found.append(u)
        else:
            return False

        # hmtx: advance widths (the last one repeats for the glyphs after numberOfHMetrics)
        hmtx = table["hmtx"]["offset"]
        pairs = unpack_from(f">{2 * number_of_hmetrics}H", data, hmtx)
        advances = pairs[0::2]
        hmetrics = list(zip(advances, pairs[1::2]))
        widths = [scale(aw) for aw in advances]
        rest = num_glyphs - number_of_hmetrics
        if rest > 0:
            # (reportlab repeats the last advance already scaled to 1/1000 em here)
            last = widths[-1]
            hmetrics += [(last, lsb) for lsb in unpack_from(f">{rest}H", data, hmtx + 4 * number_of_hmetrics)]
        char_widths: dict[int, float] = {}
        default_width = None
        for glyph in sorted(glyph_to_char):      # ascending, so a shared character ends as reportlab's
            chars = glyph_to_char[glyph]
            if glyph < number_of_hmetrics:
                width = widths[glyph]
            elif glyph < num_glyphs:
                width = widths[-1]
            else:
                continue
            for char in chars:
                char_widths[char] = width
        if number_of_hmetrics:
            default_width = widths[0]

        # loca: glyph offsets
        loca = table["loca"]["offset"]
        if index_to_loc_format == 0:
            glyph_pos = [v << 1 for v in unpack_from(f">{num_glyphs + 1}H", data, loca)]
        else:
            glyph_pos = list(unpack_from(f">{num_glyphs + 1}L", data, loca))

        if 0x20 in char_to_glyph:
            char_to_glyph[0xa0] = char_to_glyph[0x20]
            char_widths[0xa0] = char_widths[0x20]
        elif 0xa0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xa0]
            char_widths[0x20] = char_widths[0xa0]
        self.charToGlyph = char_to_glyph
        self.glyphToChar = glyph_to_char
        self.charWidths = char_widths
        self.hmetrics = hmetrics
        if default_width is not None:
            self.defaultWidth = default_width
        self.glyphPos = glyph_pos
        return True


class FastTTFont(TTFont):
    """reportlab's ``TTFont`` with a :class:`FastTTFontFace` (its ``__init__`` otherwise as is)."""

    def __init__(self, name, filename, validate=0, subfontIndex=0, asciiReadable=None, shapable=True):  # noqa: N803
        self.fontName = name
        self.face = FastTTFontFace(filename, validate=validate, subfontIndex=subfontIndex)
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        if asciiReadable is None:
            asciiReadable = rl_config.ttfAsciiReadable
        self._asciiReadable = asciiReadable
        self.shapable = shapable and not any(fnmatch(name, glob) for glob in unShapedFontGlob)
