"""PDF writer, part 4: TrueType faces for reportlab, read and subset faster.

reportlab's ``TTFontFile.extractInfo`` reads the character map, the horizontal metrics and the
glyph locations one value at a time through method calls: about 3 ms per face, paid in every
process for every face an export draws in (a default-style article uses four).  :class:`FastTTFont`
is reportlab's ``TTFont`` with a :class:`FastTTFontFace`, which

- reads the character map with the project's one TrueType reader (:func:`exporter.style.sfnt.cmap_runs`,
  which reads it as reportlab does), the horizontal metrics and glyph locations with one ``struct``
  call each, and builds the attributes reportlab builds (``glyphToChar``, read only by
  reportlab's shaping code, on first use);
- makes subsets byte for byte as reportlab does, without copying the whole ``glyf`` table per
  subset or checksumming the file twice;
- compresses the embedded font programs at zlib level 1.

A test compares attributes and subsets with reportlab's for every shipped font.  The header
tables are still read by reportlab itself, and a file outside the common case (a cmap format
other than 4 or 12, an unknown glyph data format) goes through reportlab's own reader
unchanged, errors included.  A character map cut short, or claiming more characters than Unicode
has (which reportlab's reader would try to build), is a ``TTFError`` at once.
"""
from __future__ import annotations

import zlib
from fnmatch import fnmatch
from struct import pack, unpack_from
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.lib.rl_accel import calcChecksum
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFont, TTFontFace, unShapedFontGlob

from ...style.sfnt import FontReadError, UnsupportedFont, cmap_runs
from .bidi import draws_joining_forms, joined


class Flate(pdfdoc.PDFStreamFilterZCompress):
    """reportlab's Flate filter at a chosen zlib level (reportlab's own uses zlib's default, 6).
    Embedded font programs take level 1: glyph outlines gain ~4% in size and take ~40% less
    time (0.5 against 0.8 ms for the sample's four subsets).  Page content streams take level
    2: ~25% bigger streams (+3% on the sample's file) in a fifth of the time (0.1 against
    0.5 ms for the sample's pages)."""

    def __init__(self, level: int) -> None:
        self.level = level

    def encode(self, text):
        if isinstance(text, str):
            text = text.encode("utf8")
        return zlib.compress(text, self.level)


FONT_FLATE = Flate(1)
PAGE_FLATE = Flate(2)


class FastTTFontFace(TTFontFace):
    _cmap_runs = ()
    _glyph_to_char = None

    @property
    def glyphToChar(self):  # noqa: N802 - reportlab's name
        """glyph -> its characters in cmap order, as reportlab builds it; only reportlab's shaping
        code reads it, so it is built on first use."""
        found = self._glyph_to_char
        if found is None:
            found = {}
            for chars, glyphs in self._cmap_runs:
                for char, glyph in zip(chars, glyphs):
                    listed = found.get(glyph)
                    if listed is None:
                        found[glyph] = [char]
                    else:
                        listed.append(char)
            self._glyph_to_char = found
        return found

    @glyphToChar.setter
    def glyphToChar(self, value):  # noqa: N802 - reportlab's fallback reader assigns it
        self._glyph_to_char = value

    def addSubsetObjects(self, doc, fontname, subset):  # noqa: N802 - reportlab's name
        descriptor = TTFontFace.addSubsetObjects(self, doc, fontname, subset)
        if doc.compression:
            # the FontFile2 stream reportlab just registered under this name
            doc.idToObject["fontFile:%s(%s)" % (self.filename, fontname)].filters = [FONT_FLATE]
        return descriptor

    def makeSubset(self, subset):  # noqa: N802 - reportlab's name
        """reportlab's ``TTFontFile.makeSubset``, byte for byte (a test compares them), reading
        glyphs straight from the file's bytes instead of copying the whole ``glyf`` table per
        subset, and checksumming the file from its tables' checksums instead of a second pass."""
        data = self._ttf_data
        char_to_glyph, glyph_pos = self.charToGlyph, self.glyphPos
        glyph_map = [0]                 # new glyph index -> old glyph index
        glyph_set = {0: 0}              # old glyph index -> new glyph index
        code_to_glyph = {}              # unicode -> new glyph index
        for code in subset:
            original = char_to_glyph.get(code, 0)
            if original not in glyph_set:
                glyph_set[original] = len(glyph_map)
                glyph_map.append(original)
            code_to_glyph[code] = glyph_set[original]

        # glyphs that are parts of composite glyphs come along
        glyf_start = self.table["glyf"]["offset"]
        n = 0
        while n < len(glyph_map):
            original = glyph_map[n]
            pos = glyph_pos[original]
            n += 1
            if not glyph_pos[original + 1] - pos:
                continue
            at = glyf_start + pos
            if unpack_from(">h", data, at)[0] < 0:
                at += 10
                flags = _MORE_COMPONENTS
                while flags & _MORE_COMPONENTS:
                    flags, glyph = unpack_from(">HH", data, at)
                    at += 4
                    if glyph not in glyph_set:
                        glyph_set[glyph] = len(glyph_map)
                        glyph_map.append(glyph)
                    at += _component_rest(flags)

        tables = {}
        for tag in ("name", "OS/2", "cvt ", "fpgm", "prep"):
            if tag in self.table:
                tables[tag] = self.get_table(tag)
        tables["post"] = b"\x00\x03\x00\x00" + self.get_table("post")[4:16] + b"\x00" * 16

        num_glyphs = len(glyph_map)
        hmetrics = self.hmetrics
        hmtx = []
        for original in glyph_map:
            aw, lsb = hmetrics[original]
            hmtx.append(int(aw))
            hmtx.append(int(lsb))
        n = len(hmtx) - 2
        while n and hmtx[n] == hmtx[n - 2]:
            n -= 2
        n += 2
        number_of_hmetrics = n >> 1
        hmtx = hmtx[:n] + hmtx[n + 1::2]
        tables["hmtx"] = pack(">%dH" % len(hmtx), *hmtx)
        tables["hhea"] = _with_ushort(self.get_table("hhea"), 34, number_of_hmetrics)
        tables["maxp"] = _with_ushort(self.get_table("maxp"), 4, num_glyphs)

        entry_count = len(subset)
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entry_count * 2, 0, 0, entry_count]
        cmap += map(code_to_glyph.get, subset)
        tables["cmap"] = pack(">%dH" % len(cmap), *cmap)

        offsets = []
        glyf = []
        pos = 0
        for original in glyph_map:
            offsets.append(pos)
            start = glyph_pos[original]
            length = glyph_pos[original + 1] - start
            glyph = data[glyf_start + start:glyf_start + start + length]
            if length > 2 and unpack_from(">h", glyph)[0] < 0:
                at = 10
                flags = _MORE_COMPONENTS
                while flags & _MORE_COMPONENTS:
                    flags, component = unpack_from(">HH", glyph, at)
                    glyph = _with_ushort(glyph, at + 2, glyph_set[component])
                    at += 4 + _component_rest(flags)
            glyf.append(glyph)
            pos += length
            if pos % 4:
                padding = 4 - pos % 4
                glyf.append(b"\0" * padding)
                pos += padding
        offsets.append(pos)
        tables["glyf"] = b"".join(glyf)
        if (pos + 1) >> 1 > 0xFFFF:
            index_to_loc_format = 1
            tables["loca"] = pack(">%dL" % len(offsets), *offsets)
        else:
            index_to_loc_format = 0
            tables["loca"] = pack(">%dH" % len(offsets), *[offset >> 1 for offset in offsets])
        head = _with_ushort(self.get_table("head"), 50, index_to_loc_format)
        tables["head"] = head[:8] + b"\0\0\0\0" + head[12:]     # checksumAdjustment, set below
        return _font_file(tables)

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

        # cmap: the map reportlab reads, from the project's one TrueType reader
        try:
            runs = cmap_runs(data, table["cmap"]["offset"])
        except UnsupportedFont:
            return False
        except FontReadError as exc:
            raise TTFError(f"{self.filename}: {exc}") from None
        char_to_glyph: dict[int, int] = {}
        for chars, glyphs in runs:
            char_to_glyph.update(zip(chars, glyphs))

        # hmtx: advance widths (the last one repeats for the glyphs after numberOfHMetrics)
        hmtx = table["hmtx"]["offset"]
        pairs = unpack_from(f">{2 * number_of_hmetrics}H", data, hmtx)
        advances = pairs[0::2]
        hmetrics = list(zip(advances, pairs[1::2]))
        if self.unitsPerEm == 1000:          # reportlab's scale is the identity then
            widths = list(advances)
        else:
            widths = [scale(aw) for aw in advances]
        rest = num_glyphs - number_of_hmetrics
        if rest > 0:
            # (reportlab repeats the last advance already scaled to 1/1000 em here)
            last = widths[-1]
            hmetrics += [(last, lsb) for lsb in unpack_from(f">{rest}H", data, hmtx + 4 * number_of_hmetrics)]
        self._cmap_runs = runs
        self._glyph_to_char = None
        # the width of every glyph reportlab gives one (the last advance repeats)
        glyph_widths = widths + [widths[-1]] * max(0, num_glyphs - number_of_hmetrics)
        if (sum(len(chars) for chars, _ in runs) == len(char_to_glyph)
                and (not char_to_glyph or max(char_to_glyph.values()) < len(glyph_widths))):
            # every character mapped once, to a glyph with a width: its glyph's width
            char_widths = dict(zip(char_to_glyph, map(glyph_widths.__getitem__, char_to_glyph.values())))
        else:
            # reportlab's way: by glyph, ascending, so a character mapped twice ends as there
            char_widths = {}
            glyph_to_char = self.glyphToChar
            for glyph in sorted(glyph_to_char):
                if glyph < len(glyph_widths):
                    for char in glyph_to_char[glyph]:
                        char_widths[char] = glyph_widths[glyph]
        default_width = widths[0] if number_of_hmetrics else None

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
        self.charWidths = char_widths
        self.hmetrics = hmetrics
        if default_width is not None:
            self.defaultWidth = default_width
        self.glyphPos = glyph_pos
        return True


_MORE_COMPONENTS = 1 << 5


def _component_rest(flags: int) -> int:
    """Bytes of a composite glyph's component after its flags and glyph index."""
    size = 4 if flags & 1 else 2                 # ARG_1_AND_2_ARE_WORDS
    if flags & (1 << 3):                         # WE_HAVE_A_SCALE
        size += 2
    elif flags & (1 << 6):                       # WE_HAVE_AN_X_AND_Y_SCALE
        size += 4
    elif flags & (1 << 7):                       # WE_HAVE_A_TWO_BY_TWO
        size += 8
    return size


def _with_ushort(data: bytes, offset: int, value: int) -> bytes:
    return data[:offset] + pack(">H", value) + data[offset + 2:]


def _font_file(tables: dict[str, bytes]) -> bytes:
    """reportlab's ``TTFontMaker.makeStream``: the tables in tag order, 4-byte aligned, and the
    head table's checksumAdjustment.  The file's checksum is the sum of its header's and its
    tables' (every part is zero-padded to 4 bytes), so the file is not summed a second time."""
    count = len(tables)
    search_range, entry_selector = 1, 0
    while search_range * 2 <= count:
        search_range *= 2
        entry_selector += 1
    search_range *= 16
    directory = [pack(">lHHHH", 0x00010000, count, search_range, entry_selector, count * 16 - search_range)]
    body = []
    offset = 12 + count * 16
    total = 0
    head_start = None
    for tag, table in sorted(tables.items()):
        if tag == "head":
            head_start = offset
        checksum = calcChecksum(table)
        total += checksum
        directory.append(tag.encode("latin1") + pack(">LLL", checksum, offset, len(table)))
        padded = (len(table) + 3) & ~3
        body.append(table + b"\0" * (padded - len(table)))
        offset += padded
    header = b"".join(directory)
    total = (total + calcChecksum(header)) & 0xFFFFFFFF
    adjustment = (0xB1B0AFBA - total) & 0xFFFFFFFF
    out = header + b"".join(body)
    return out[:head_start + 8] + pack(">L", adjustment) + out[head_start + 12:]


class _Widths(pdfdoc.PDFArray):
    """A font subset's Widths array, written as reportlab writes it; integer widths (every
    1000-unit font's) with ``%d``, which is what reportlab's ``fp_str`` gives for an integer,
    at a fraction of the cost."""

    def format(self, document, IND=b"\n "):  # noqa: N803 - reportlab's name
        if not all(type(width) is int for width in self.sequence):
            return pdfdoc.PDFArray.format(self, document, IND)
        items = [b"%d" % width for width in self.sequence]
        if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
            return b"[ " + IND.join(items) + b" ]"
        for i in reversed(range(10, len(items), 10)):      # a line break every 10 anyway
            items.insert(i, b"\n ")
        return b"[ " + b" ".join(items) + b" ]"


# Texts whose widths one face keeps: ~100 bytes each, so a few MB at most for a long batch.
_WIDTH_CACHE_LIMIT = 50_000


class MeasuredWord(str):
    """A word of a single-run paragraph (reportlab's fast line breaking, which measures every
    word in the paragraph's one face) that is drawn in another face, or follows a space drawn in
    another face: a speaker label's words, a quote set in italics.  ``width`` is what reportlab's
    several-run line breaking counts for it: its width in its own face and size, plus the
    difference between the space before it as drawn and the paragraph's space (which the
    single-run breaking adds).  :meth:`FastTTFont.stringWidth` answers with it; only the
    paragraph it was made for measures it (see ``page.LinearParagraph.of_plain_pieces``)."""

    width = 0.0


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
        self._text_widths: dict[str, int] = {}
        self._draws_joined = draws_joining_forms(self._has_glyph)

    def _has_glyph(self, char: str) -> bool:
        return ord(char) in self.face.charToGlyph

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 - reportlab's name
        """reportlab's width of ``text`` (the same float: the same sum, scaled the same way),
        with each text's sum of glyph widths kept for the process.  Line breaking measures every
        word, hyphenation and highlights measure some again, and words recur within and across
        articles: the sum over characters (pure Python without reportlab's C accelerator) was
        the writer's biggest single cost.  The table stops growing at _WIDTH_CACHE_LIMIT texts.

        A face with Arabic joining forms measures Arabic text as it draws it, joined
        (:func:`.bidi.joined`): line breaking then counts the width a line is drawn with, and a
        justified line is not left with the difference to spread between its words.  Faces
        without them (every Latin one) skip the look."""
        if type(text) is MeasuredWord:
            return text.width            # measured in its own face (see there), whatever this is
        if not isinstance(text, str):
            text = text.decode(encoding or "utf-8")
        units = self._text_widths.get(text)
        if units is None:
            widths, default = self.face.charWidths.get, self.face.defaultWidth
            drawn = joined(text, self._has_glyph) if self._draws_joined else text
            units = sum([widths(ord(char), default) for char in drawn])
            if len(self._text_widths) < _WIDTH_CACHE_LIMIT:
                self._text_widths[text] = units
        return 0.001 * size * units

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 - reportlab's name
        """reportlab's (subset, codes) chunks of ``text``, the same list, made without its loop
        over the characters when every character already has a code in the first subset (the
        common case after a document's first lines: a face rarely draws 256 characters).
        Drawing calls this once per line: ~5 against ~10 us a line.  A character not met
        before or one the face lacks (no code: KeyError), a no-break space (never given a code:
        reportlab draws it as a space) or a code past the first subset (ValueError from bytes):
        reportlab's own loop, which assigns codes as it always has."""
        state = self.state.get(doc)
        if state is not None and type(text) is str and text:
            try:
                return [(0, bytes(map(state.assignments.__getitem__, map(ord, text))))]
            except (KeyError, ValueError):
                pass
        return TTFont.splitString(self, text, doc, encoding)

    def addObjects(self, doc):  # noqa: N802 - reportlab's name
        state = self.state.get(doc)
        prefix = state.internalName if state is not None else None
        count = len(state.subsets) if state is not None else 0
        TTFont.addObjects(self, doc)
        if prefix is None:
            return
        fonts = doc.idToObject["BasicFonts"].dict
        for n in range(count):
            font = fonts.get("%s+%d" % (prefix, n))
            widths = getattr(font, "Widths", None)
            if type(widths) is pdfdoc.PDFArray:
                font.Widths = _Widths(widths.sequence)
