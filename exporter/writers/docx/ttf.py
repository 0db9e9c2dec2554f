"""The family name a font file declares, for naming a fallback font in a run's w:rFonts.

One of the project's TrueType readers (the PDF writer and the font resolver have their own); it
lives alone here so it can be pointed at a shared reader without touching the writer."""
from __future__ import annotations

import struct
from functools import lru_cache

from ...style.fontfile import font_file_problem


@lru_cache(maxsize=64)
def ttf_family_name(path: str) -> str | None:
    """The family name a TrueType/OpenType file (or the first face of a collection) declares:
    typographic family (name id 16) before legacy family (1), Windows UTF-16 before Mac Roman."""
    if font_file_problem(path) is not None:    # read whole below: size and signature first
        return None
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        base = 0
        if data[:4] == b"ttcf":
            base = struct.unpack_from(">I", data, 12)[0]
        num_tables = struct.unpack_from(">H", data, base + 4)[0]
        for i in range(num_tables):
            tag, _, offset, _ = struct.unpack_from(">4sIII", data, base + 12 + 16 * i)
            if tag == b"name":
                break
        else:
            return None
        _, count, string_offset = struct.unpack_from(">HHH", data, offset)
        found: dict[tuple[int, int], str] = {}
        for i in range(count):
            platform, encoding, language, name_id, length, str_off = struct.unpack_from(">HHHHHH", data, offset + 6 + 12 * i)
            if name_id not in (1, 16):
                continue
            raw = data[offset + string_offset + str_off: offset + string_offset + str_off + length]
            if platform == 3 and language == 0x409:
                found[(0, -name_id)] = raw.decode("utf-16-be", "replace")
            elif platform == 1 and language == 0:
                found[(1, -name_id)] = raw.decode("mac-roman", "replace")
        return found[min(found)] if found else None
    except (OSError, struct.error, IndexError):
        return None
