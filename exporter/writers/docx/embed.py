"""Embedded TrueType fonts for the DOCX (ECMA-376 Part 1, 17.8.1 and 17.8.3.3): the faces the
document draws, cut down to the characters it uses, as obfuscated font parts
(``word/fonts/fontN.odttf``) named in the font table with their ``w:fontKey``.

Obfuscation: the first 32 bytes of the font are XORed with the 16 bytes of the font key's GUID,
taken in reverse order (twice over).  The GUID is derived from the subset's own bytes, so the same
document gives the same package byte for byte.  fontTools is imported only when a style embeds.
"""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ...errors import StyleError
from ...style.subset import subset_font

#: the embed element for each face, in the schema's order
SLOTS: tuple[tuple[tuple[bool, bool], str], ...] = (
    ((False, False), "embedRegular"), ((True, False), "embedBold"),
    ((False, True), "embedItalic"), ((True, True), "embedBoldItalic"),
)
#: always kept in every embedded face: what Word itself may draw in it (page numbers, a TOC's
#: dot leaders, list bullets) and the printable ASCII an editor types first
ALWAYS = frozenset(chr(c) for c in range(0x20, 0x7F)) | frozenset("\u2022\u2013\u2023\u2026\u00a0")
_FONT_KEY_NAMESPACE = uuid.UUID("8c1f6b0e-5a57-4a3e-9a43-6f0d2c1b7e55")


@dataclass
class FontLog:
    """Which characters each face draws: ``(family name, bold, italic) -> (font file, chars)``."""

    faces: dict[tuple[str, bool, bool], tuple[Path, set[str]]] = field(default_factory=dict)

    def note(self, name: str, bold: bool, italic: bool, path: Path, text: str) -> None:
        entry = self.faces.get((name, bold, italic))
        if entry is None:
            entry = self.faces[(name, bold, italic)] = (path, set())
        entry[1].update(text)


@dataclass(frozen=True, slots=True)
class EmbeddedFont:
    name: str               # the family name Word knows it by (w:font w:name)
    slot: str               # embedRegular, embedBold…
    part: str               # fonts/fontN.odttf
    key: str                # {GUID}
    data: bytes             # obfuscated


def embedded_fonts(log: FontLog, warn: Callable[[str], None]) -> list[EmbeddedFont]:
    """The obfuscated subsets of every face in ``log``, in a fixed order (name, then slot).  A
    face fontTools cannot cut is left out with a warning (Word then uses what it has)."""
    out: list[EmbeddedFont] = []
    slot_of = dict(SLOTS)
    order = {faces: index for index, (faces, _) in enumerate(SLOTS)}
    for name, bold, italic in sorted(log.faces, key=lambda face: (face[0], order[(face[1], face[2])])):
        path, chars = log.faces[(name, bold, italic)]
        try:
            # Word kerns only where a style sets w:kern, and ours do not: no GPOS (LibreOffice would use it)
            font = subset_font(path, chars | ALWAYS, keep_positioning=False)
        except StyleError:            # not a usable font file at all: as in every format
            raise
        except Exception as exc:      # fontTools raises many kinds; a font we cannot cut is left out
            warn(f"docx: font {path.name} could not be embedded ({type(exc).__name__}: {exc}); "
                 "Word will use a font of its own")
            continue
        key = font_key(font)
        out.append(EmbeddedFont(name, slot_of[(bold, italic)], f"fonts/font{len(out) + 1}.odttf", key,
                                obfuscate(font, key)))
    return out


def font_key(font: bytes) -> str:
    """``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``, derived from the font's bytes."""
    digest = hashlib.sha256(font).hexdigest()
    return "{" + str(uuid.uuid5(_FONT_KEY_NAMESPACE, digest)).upper() + "}"


def obfuscate(font: bytes, key: str) -> bytes:
    """The font with its first 32 bytes XORed with the key's GUID bytes in reverse order; the
    same operation undoes it."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ guid[i % 16] for i, byte in enumerate(font[:32]))
    return head + font[32:]
