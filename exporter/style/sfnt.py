"""The one reader of TrueType (sfnt) font files' insides: pure ``struct``, no reportlab, no fontTools.

Three parts of the project look inside a font file, and each needs only a little of it:

- the font resolver (:mod:`exporter.style.fonts`): which characters a font maps, which tables it
  has (CFF and colour fonts cannot be drawn) and its embedding bits (OS/2 ``fsType``);
- the DOCX writer: the family name a fallback font declares, for a run's ``w:rFonts``;
- the PDF writer's fast face (:mod:`exporter.writers.pdf.ttf`): the character map, exactly as
  reportlab's own reader builds it.

All three read the character map through :func:`cmap_runs`, so "this font covers the character"
(the resolver) and "the PDF writer can draw it with this font" are one decision: the subtable is
the one reportlab chooses, and only formats 4 and 12 (every Unicode font's) are read; any other is
:class:`UnsupportedFont`.  A file that is cut short or lies about its sizes raises
:class:`FontReadError` with a phrase to follow the file's name, never a ``struct.error`` and never
hours of work: a character map that claims more characters than Unicode has is refused before
anything is built from it.

Callers open files through :func:`read_font`, which asks :func:`~exporter.style.fontfile.font_file_problem`
first: the size cap and the signature check come before a byte is read.
"""
from __future__ import annotations

import os
from struct import error as StructError
from struct import unpack_from
from typing import NamedTuple, Sequence

from .fontfile import font_file_problem

#: No well-formed character map maps more characters than there are code points; a hostile one
#: can claim billions (overlapping format 4 segments, format 12 groups up to 0xFFFFFFFF).
MAX_MAPPED_CHARACTERS = 0x110000

#: name ids of a font's family name: typographic family (16), then the legacy family (1)
TYPOGRAPHIC_FAMILY, LEGACY_FAMILY = 16, 1
WINDOWS_ENGLISH = 0x409


class FontReadError(ValueError):
    """A font file this reader cannot read; the message is a phrase to follow the file's name
    ("has a cmap table cut short"), as :func:`~exporter.style.fontfile.font_file_problem`'s are."""


class UnsupportedFont(FontReadError):
    """A font readable only by a fuller reader: no Unicode character map, or one in a format
    other than 4 and 12 (reportlab's own reader handles those for the PDF writer)."""


class Table(NamedTuple):
    offset: int
    length: int


#: a run of a character map, in the map's order: consecutive characters and their glyphs (a
#: ``range`` when the glyphs are consecutive too, else a list; glyph 0 means "not drawn")
CmapRun = tuple[range, Sequence[int]]


class Sfnt:
    """One font's bytes and its table directory (the first face of a collection)."""

    __slots__ = ("data", "tables")

    def __init__(self, data: bytes, tables: dict[str, Table]) -> None:
        self.data = data
        self.tables = tables

    @classmethod
    def from_bytes(cls, data: bytes) -> Sfnt:
        try:
            base = 0
            if data[:4] == b"ttcf":              # a collection: its first face
                base = unpack_from(">L", data, 12)[0]
            num_tables = unpack_from(">H", data, base + 4)[0]
            if base + 12 + 16 * num_tables > len(data):
                raise FontReadError(f"has a table directory of {num_tables} tables cut short")
            tables = {}
            for n in range(num_tables):
                tag, _, offset, length = unpack_from(">4sLLL", data, base + 12 + 16 * n)
                tables[tag.decode("latin-1")] = Table(offset, length)
        except StructError:
            raise FontReadError("is too short for a font's table directory") from None
        return cls(data, tables)

    @property
    def tags(self) -> frozenset[str]:
        """The tables the font has."""
        return frozenset(self.tables)

    def table(self, tag: str) -> Table:
        """Where table ``tag`` lies; FontReadError when it is missing or outside the file."""
        found = self.tables.get(tag)
        if found is None:
            raise FontReadError(f"has no {tag!r} table")
        if found.offset + found.length > len(self.data):
            raise FontReadError(f"has a {tag!r} table that runs past the end of the file")
        return found

    @property
    def fs_type(self) -> int | None:
        """The OS/2 table's embedding bits (``fsType``), or None without an OS/2 table."""
        if "OS/2" not in self.tables:
            return None
        offset, length = self.table("OS/2")
        if length < 10:
            raise FontReadError("has an 'OS/2' table cut short")
        return unpack_from(">H", self.data, offset + 8)[0]

    def family_name(self) -> str | None:
        """The family name the font declares, or None.  English Windows names (UTF-16) before Mac
        Roman ones, and within each the typographic family (name id 16) before the legacy
        family (1); of two records of one kind, the later counts."""
        data = self.data
        offset, length = self.table("name")
        try:
            _, count, string_offset = unpack_from(">HHH", data, offset)
            if 6 + 12 * count > length:
                raise FontReadError("has a 'name' table cut short")
            strings = offset + string_offset
            found: dict[tuple[int, int], str] = {}
            for n in range(count):
                platform, _, language, name_id, size, at = unpack_from(">HHHHHH", data, offset + 6 + 12 * n)
                if name_id not in (TYPOGRAPHIC_FAMILY, LEGACY_FAMILY):
                    continue
                if platform == 3 and language == WINDOWS_ENGLISH:
                    key, encoding = (0, -name_id), "utf-16-be"
                elif platform == 1 and language == 0:
                    key, encoding = (1, -name_id), "mac-roman"
                else:
                    continue
                if strings + at + size > len(data):
                    raise FontReadError("has a 'name' table that runs past the end of the file")
                found[key] = data[strings + at:strings + at + size].decode(encoding, "replace")
        except StructError:
            raise FontReadError("has a 'name' table cut short") from None
        return found[min(found)] if found else None

    def cmap_runs(self) -> list[CmapRun]:
        """The character map reportlab would read (see :func:`cmap_runs`)."""
        return cmap_runs(self.data, self.table("cmap").offset)

    def character_map(self) -> dict[int, int]:
        """Character -> glyph for every character the font draws (mapped to a glyph other than 0),
        as fontTools' ``getBestCmap`` gives it for every Unicode font."""
        mapped: dict[int, int] = {}
        for chars, glyphs in self.cmap_runs():
            for char, glyph in zip(chars, glyphs):
                if glyph:
                    mapped[char] = glyph
        return mapped


def read_font(path: str | os.PathLike[str]) -> Sfnt:
    """Read a font file, after :func:`~exporter.style.fontfile.font_file_problem`'s size and
    signature checks (their phrase is the FontReadError's message)."""
    problem = font_file_problem(path)
    if problem is not None:
        raise FontReadError(problem)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise FontReadError(f"cannot be read: {exc.strerror or exc}") from None
    return Sfnt.from_bytes(data)


def cmap_runs(data: bytes, cmap: int) -> list[CmapRun]:
    """The runs of the character map reportlab's ``TTFontFile.extractInfo`` reads from the
    ``cmap`` table at offset ``cmap`` of ``data``: the same subtable (the last acceptable one
    listed), the same glyphs, the same order, including its quirks (a glyph index past the
    subtable's end reads as 0; format 4's closing 0xFFFF segment is kept).  Formats 4 and 12
    only; UnsupportedFont for any other, FontReadError for a table cut short or too big."""
    try:
        version, count = unpack_from(">HH", data, cmap)
        if count == 0 and version != 0:         # reportlab reads swapped fields too
            count, version = version, count
        subtable = None
        chosen = 0        # reportlab's "enc": 1 for a Unicode subtable, 2 for Mac Roman
        for n in range(count):
            platform, encoding, offset = unpack_from(">HHL", data, cmap + 4 + 8 * n)
            if platform == 3:
                chosen, subtable = 1, offset
            elif platform == 1 and encoding == 0 and chosen != 1:
                chosen, subtable = 2, offset
            elif platform == 1 and encoding == 1:
                chosen, subtable = 1, offset
            elif platform == 0 and encoding != 5:
                chosen, subtable = 1, offset
        if subtable is None:
            raise UnsupportedFont("has no Unicode character map")
        subtable += cmap
        fmt = unpack_from(">H", data, subtable)[0]
        if fmt == 4:
            return _format_4(data, subtable)
        if fmt == 12:
            return _format_12(data, subtable)
    except StructError:
        raise FontReadError("has a 'cmap' table cut short") from None
    raise UnsupportedFont(f"has a format {fmt} character map (only formats 4 and 12 are read here)")


def _too_many(total: int) -> FontReadError:
    return FontReadError(f"has a character map of {total} characters, more than Unicode has")


def _format_4(data: bytes, subtable: int) -> list[CmapRun]:
    length = unpack_from(">H", data, subtable + 2)[0]
    limit = subtable + length
    seg_count = unpack_from(">H", data, subtable + 6)[0] // 2
    pos = subtable + 14
    ends = unpack_from(f">{seg_count}H", data, pos)
    pos += 2 * seg_count + 2
    starts = unpack_from(f">{seg_count}H", data, pos)
    pos += 2 * seg_count
    deltas = unpack_from(f">{seg_count}h", data, pos)
    range_start = pos + 2 * seg_count
    range_offsets = unpack_from(f">{seg_count}H", data, range_start)
    total = sum(end - start + 1 for start, end in zip(starts, ends) if end >= start)
    if total > MAX_MAPPED_CHARACTERS:
        raise _too_many(total)
    runs: list[CmapRun] = []
    for n in range(seg_count):
        start, end, delta, range_offset = starts[n], ends[n], deltas[n], range_offsets[n]
        if end < start:
            continue
        chars = range(start, end + 1)
        glyphs: Sequence[int]
        if range_offset == 0 and 0 <= start + delta and end + delta <= 0xFFFF:
            glyphs = range(start + delta, end + delta + 1)
        elif range_offset == 0:
            glyphs = [(u + delta) & 0xFFFF for u in chars]
        else:
            base = range_start + 2 * n + range_offset
            if base + 2 * (len(chars) - 1) < limit:     # the whole run inside the subtable
                glyphs = [(glyph + delta) & 0xFFFF if glyph else 0
                          for glyph in unpack_from(f">{len(chars)}H", data, base)]
            else:
                glyphs = []
                for u in chars:
                    offset = base + (u - start) * 2
                    if offset >= limit:      # reportlab's workaround for broken fonts
                        glyphs.append(0)
                    else:
                        glyph = unpack_from(">H", data, offset)[0]
                        glyphs.append((glyph + delta) & 0xFFFF if glyph else 0)
        runs.append((chars, glyphs))
    return runs


def _format_12(data: bytes, subtable: int) -> list[CmapRun]:
    seg_count = unpack_from(">L", data, subtable + 12)[0]
    if subtable + 16 + 12 * seg_count > len(data):
        raise FontReadError(f"has a character map of {seg_count} groups cut short")
    groups = unpack_from(f">{3 * seg_count}L", data, subtable + 16)
    total = sum(max(0, end - start + 1) for start, end in zip(groups[0::3], groups[1::3]))
    if total > MAX_MAPPED_CHARACTERS:
        raise _too_many(total)
    runs: list[CmapRun] = []
    for n in range(0, 3 * seg_count, 3):
        start, end, first_glyph = groups[n], groups[n + 1], groups[n + 2]
        chars = range(start, end + 1)
        runs.append((chars, range(first_glyph, first_glyph + len(chars))))
    return runs
