"""Right-to-left text in visual order: the Unicode Bidirectional Algorithm (python-bidi's
reference implementation) applied to each laid-out line after line breaking, as UAX #9 asks.

reportlab draws a line's words, or its fragments, from left to right in the order it is given
them; :func:`reorder_lines` gives it each line in visual order (Hebrew letters right to left,
numbers and Latin words inside them left to right, mirrored brackets), keeping every
fragment's font, colour and background.  A line without a right-to-left character in a
left-to-right paragraph is left alone, so left-to-right text costs one scan of its
characters.  Not done here: Arabic shaping (joining forms), and a text layer in logical order
(the text reads back in visual order).
"""
from __future__ import annotations

import re
from itertools import groupby

#: characters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan…,
#: their presentation forms) and the explicit right-to-left marks
RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u202b\u202e\u2067]|[\U00010800-\U00010fff\U0001e800-\U0001efff]")


def visual_order(text: str, rtl: bool) -> list[tuple[int, str]]:
    """(logical index, character as drawn) of ``text``'s characters from left to right, for a
    paragraph of base direction ``rtl``; mirrored characters (brackets) already mirrored."""
    from bidi.algorithm import (apply_mirroring, explicit_embed_and_overrides, get_embedding_levels,
                                get_empty_storage, reorder_resolved_levels, resolve_implicit_levels,
                                resolve_neutral_types, resolve_weak_types)

    storage = get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    get_embedding_levels(text, storage, False, False)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    explicit_embed_and_overrides(storage, False)
    resolve_weak_types(storage, False)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    reorder_resolved_levels(storage, False)
    apply_mirroring(storage, False)
    return [(char["index"], char["ch"]) for char in storage["chars"]]


def reorder_lines(bl_para, rtl: bool) -> None:
    """Every line of a laid-out paragraph (reportlab's ``blPara``) in visual order, in place."""
    if bl_para.kind == 0:
        for number, (extra, words) in enumerate(bl_para.lines):
            text = " ".join(map(str, words))
            if rtl or RTL_CHARS.search(text):
                shown = "".join(char for _, char in visual_order(text, rtl)).split(" ")
                if len(shown) == len(words):
                    bl_para.lines[number] = (extra, shown)
        return
    for line in bl_para.lines:
        frags = line.words
        texts = [getattr(frag, "text", "") or "" for frag in frags]
        text = "".join(texts)
        if not (rtl or RTL_CHARS.search(text)):
            continue
        owner = [n for n, piece in enumerate(texts) for _ in piece]
        # fragments with nothing to draw (anchors, callbacks) keep their place at the start
        visual = [frag for frag, piece in zip(frags, texts) if not piece]
        for n, run in groupby(visual_order(text, rtl), key=lambda item: owner[item[0]]):
            visual.append(frags[n].clone(text="".join(char for _, char in run)))
        line.words = visual
