"""The DOCX writer's look: named styles, list numbering, settings and the font table, made from a Style.

Everything here is generated XML text (every value escaped).  The package holds exactly the
styles the semantic element keys map to (no Office template's 160 unused styles), so restyling
the document in Word means editing one named style.

Units: Word wants twentieths of a point (twips) for lengths and half points for font sizes.
"""
from __future__ import annotations

import importlib.util
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from typing import TYPE_CHECKING

from ...errors import RenderError
from ...style.model import HYPHENATED_ELEMENTS, Hyphenation

if TYPE_CHECKING:  # pragma: no cover
    from ...style.model import ElementStyle, Style

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECLS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'


@dataclass(frozen=True, slots=True)
class NamedStyle:
    """One DOCX named style: the semantic key it renders, its Word style id and display name.
    ``word_name`` is what styles.xml stores: Word recognises its built-ins (headings with outline
    levels, Title, Quote, header/footer) by these lower-case internal names; python-docx shows them
    as ``ui_name``."""

    key: str
    style_id: str
    ui_name: str
    word_name: str
    kind: str = "paragraph"   # or "character"


PARAGRAPH_STYLES: tuple[NamedStyle, ...] = (
    NamedStyle("body", "Normal", "Normal", "Normal"),
    NamedStyle("title", "Title", "Title", "Title"),
    NamedStyle("subtitle", "Subtitle", "Subtitle", "Subtitle"),
    NamedStyle("byline", "Byline", "Byline", "Byline"),
    NamedStyle("meta-line", "MetaLine", "Meta Line", "Meta Line"),
    # the meta line standing where an article without a headline of its own would have one: the
    # meta line's look, a style of its own so the contents field can collect it (present.py)
    NamedStyle("meta-line", "MetaLineHeading", "Meta Line Heading", "Meta Line Heading"),
    NamedStyle("heading-1", "Heading1", "Heading 1", "heading 1"),
    NamedStyle("heading-2", "Heading2", "Heading 2", "heading 2"),
    NamedStyle("heading-3", "Heading3", "Heading 3", "heading 3"),
    NamedStyle("lede", "Lede", "Lede", "Lede"),
    NamedStyle("blockquote", "Quote", "Quote", "Quote"),
    NamedStyle("list", "ListBullet", "List Bullet", "List Bullet"),
    NamedStyle("list", "ListNumber", "List Number", "List Number"),
    NamedStyle("related-heading", "RelatedHeading", "Related Heading", "Related Heading"),
    NamedStyle("related-item", "RelatedItem", "Related Item", "Related Item"),
    NamedStyle("header", "Header", "Header", "header"),
    NamedStyle("footer", "Footer", "Footer", "footer"),
    NamedStyle("dropped-heading", "DroppedHeading", "Dropped Heading", "Dropped Heading"),
    NamedStyle("dropped-item", "DroppedItem", "Dropped Item", "Dropped Item"),
    # briefing parts: Word's own TOC styles so its TOC field formats entries with them
    NamedStyle("cover-title", "CoverTitle", "Cover Title", "Cover Title"),
    NamedStyle("cover-meta", "CoverMeta", "Cover Meta", "Cover Meta"),
    NamedStyle("toc-heading", "TOCHeading", "TOC Heading", "TOC Heading"),
    NamedStyle("toc-entry", "TOC1", "TOC 1", "toc 1"),
    NamedStyle("toc-entry", "TOC2", "TOC 2", "toc 2"),
    NamedStyle("toc-entry", "TOC3", "TOC 3", "toc 3"),
    NamedStyle("key-quotes-heading", "KeyQuotesHeading", "Key Quotes Heading", "Key Quotes Heading"),
    NamedStyle("key-quotes-item", "KeyQuotesItem", "Key Quotes Item", "Key Quotes Item"),
)
CHARACTER_STYLES: tuple[NamedStyle, ...] = (
    NamedStyle("quote-speech", "QuoteSpeech", "Quote Speech", "Quote Speech", "character"),
    NamedStyle("quote-title", "QuoteTitle", "Quote Title", "Quote Title", "character"),
    NamedStyle("quote-term", "QuoteTerm", "Quote Term", "Quote Term", "character"),
    # the visible speaker: "[Peskov]" after a quote, a margin note, or an endnote number
    NamedStyle("speaker-label", "SpeakerLabel", "Speaker Label", "Speaker Label", "character"),
)
#: semantic key -> paragraph style id (lists have two styles; "list" maps to the bullet one)
PARAGRAPH_STYLE_ID: dict[str, str] = {}
for _s in PARAGRAPH_STYLES:
    PARAGRAPH_STYLE_ID.setdefault(_s.key, _s.style_id)
#: semantic key -> character style id
CHARACTER_STYLE_ID: dict[str, str] = {s.key: s.style_id for s in CHARACTER_STYLES}
HYPERLINK_STYLE_ID = "Hyperlink"
MARKING_STYLE_ID = "Marking"
COMMENT_REFERENCE_STYLE_ID = "CommentReference"

#: numbering instances every document has: all bullet lists share one; ordered lists each get
#: their own instance (created while rendering) so each starts at 1.
BULLET_NUM_ID = 1
ORDERED_BASE_NUM_ID = 2
BULLET_ABSTRACT_ID = 0
ORDERED_ABSTRACT_ID = 1
LIST_INDENT_TW = 360          # 18 pt per nesting level
BLOCKQUOTE_INDENT_TW = 567    # 1 cm each side
_BULLET_GLYPHS = ("\u2022", "\u2013", "\u2023")   # all three in the Noto and DejaVu text faces
_ORDERED_FORMATS = (("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}."))

#: styles after which Word continues with body text when the user presses Enter
_NEXT_IS_NORMAL = frozenset({"title", "subtitle", "byline", "meta-line", "heading-1", "heading-2", "heading-3",
                             "lede", "related-heading", "dropped-heading", "key-quotes-heading", "toc-heading",
                             "cover-title", "cover-meta"})
_COLOR = re.compile(r"#?([0-9A-Fa-f]{6})")


def tw(points: float) -> int:
    """Points to twips."""
    return round(points * 20)


def half_points(points: float) -> int:
    return max(2, round(points * 2))


def hex_color(value: str, where: str) -> str:
    """``#rrggbb`` -> ``RRGGBB`` as Word writes it; anything else is a style bug."""
    m = _COLOR.fullmatch(value or "")
    if m is None:
        raise RenderError(f"style {where}: colour {value!r} is not #rrggbb")
    return m.group(1).upper()


def attr(value: object) -> str:
    """An attribute value, quoted and escaped."""
    return quoteattr(str(value))


# ----------------------------------------------------------------------------------- properties
def run_properties_xml(element: "ElementStyle", font_name: str | None, *, where: str,
                       shade: bool = True, color: bool = True) -> str:
    """The w:rPr children for an element style, in the schema's order."""
    parts: list[str] = []
    if font_name:
        f = attr(font_name)
        parts.append(f"<w:rFonts w:ascii={f} w:hAnsi={f} w:eastAsia={f} w:cs={f}/>")
    if element.bold is not None:
        v = "" if element.bold else ' w:val="0"'
        parts.append(f"<w:b{v}/><w:bCs{v}/>")
    if element.italic is not None:
        v = "" if element.italic else ' w:val="0"'
        parts.append(f"<w:i{v}/><w:iCs{v}/>")
    if color and element.color:
        parts.append(f'<w:color w:val="{hex_color(element.color, where)}"/>')
    if element.size:
        hp = half_points(element.size)
        parts.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    if shade and element.background:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{hex_color(element.background, where)}"/>')
    return "".join(parts)


_JC = {"left": "left", "right": "right", "center": "center", "justify": "both"}


def paragraph_properties_xml(element: "ElementStyle", *, where: str, extra_before: str = "",
                             indent_left_tw: int = 0, indent_right_tw: int = 0,
                             outline_level: int | None = None, tabs: str = "",
                             border: str = "", hanging_tw: int = 0, clear_background: bool = False) -> str:
    """The w:pPr children for a block element style, in the schema's order."""
    parts: list[str] = []
    # Toggles are written both ways: every style is based on Normal and must not inherit its
    # keep-with-next, shading or hyphenation by accident.
    parts.append("<w:keepNext/>" if element.keep_with_next else '<w:keepNext w:val="0"/>')
    parts.append(extra_before)          # numPr, when the style is a list style
    parts.append(border)
    if element.background:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{hex_color(element.background, where)}"/>')
    elif clear_background:
        parts.append('<w:shd w:val="clear" w:color="auto" w:fill="auto"/>')
    parts.append(tabs)
    parts.append('<w:suppressAutoHyphens w:val="0"/>' if element.hyphenate else "<w:suppressAutoHyphens/>")
    line = ""
    if element.leading:
        # "atLeast", not "exact": a fallback font (CJK, emoji) taller than the style's leading must
        # grow its line rather than be clipped.
        line = f' w:line="{tw(element.leading)}" w:lineRule="atLeast"'
    parts.append(f'<w:spacing w:before="{tw(element.space_before)}" w:after="{tw(element.space_after)}"{line}/>')
    # Always explicit: every style is based on Normal, and a body first-line indent must not leak
    # into titles, headings or furniture that set none.  List styles hang their number.
    first = (f'w:hanging="{hanging_tw}"' if hanging_tw
             else f'w:firstLine="{tw(element.first_line_indent)}"')
    parts.append(f'<w:ind w:left="{indent_left_tw}" w:right="{indent_right_tw}" {first}/>')
    parts.append(f'<w:jc w:val="{_JC.get(element.align, "left")}"/>')
    if outline_level is not None:
        parts.append(f'<w:outlineLvl w:val="{outline_level}"/>')
    return "".join(parts)


# --------------------------------------------------------------------------------- styles.xml
def font_name(style: "Style", family_key: str | None) -> str | None:
    if family_key is None:
        return None
    family = style.fonts.get(family_key)
    if family is None:
        raise RenderError(f"style {style.name!r}: unknown font family {family_key!r}")
    return family.name


def language_xml(language: str) -> str:
    """w:lang for a BCP 47 tag; nothing for ``und`` (no language claimed: no spelling checked in a
    guessed one)."""
    if language == "und":
        return ""
    primary = language.split("-", 1)[0].lower()
    extra = ""
    if primary in ("zh", "ja", "ko"):
        extra += f" w:eastAsia={attr(language)}"
    if primary in ("ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"):
        extra += f" w:bidi={attr(language)}"
    return f"<w:lang w:val={attr(language)}{extra}/>"


def styles_xml(style: "Style", language: str, text_width_pt: float) -> str:
    """styles.xml: document defaults from the body element, then one named style per semantic key,
    plus the few Word needs (hyperlink, comment reference, table and list defaults)."""
    body = style.block("body")
    out: list[str] = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {NSDECLS}>',
        "<w:docDefaults><w:rPrDefault><w:rPr>",
        run_properties_xml(body, font_name(style, body.family), where="body", shade=False),
        # Word hyphenates (and checks spelling) by the text's language: a style's dictionary
        # override for that language is the language the DOCX gives its text
        language_xml(style.hyphenation.language_for(language) or language),
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>",
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        "</w:pPr></w:pPrDefault></w:docDefaults>",
    ]
    tabs_furniture = (f'<w:tabs><w:tab w:val="center" w:pos="{tw(text_width_pt / 2)}"/>'
                      f'<w:tab w:val="right" w:pos="{tw(text_width_pt)}"/></w:tabs>')
    for named in PARAGRAPH_STYLES:
        if named.key not in style.elements:   # an older style without the briefing keys
            continue
        element = style.block(named.key)
        extra = ""
        indent_left = indent_right = 0
        outline = None
        tabs = ""
        border = ""
        hanging = 0
        if named.style_id in ("ListBullet", "ListNumber", "RelatedItem", "DroppedItem"):
            hanging = LIST_INDENT_TW
        if named.style_id == "ListBullet":
            extra = f'<w:numPr><w:numId w:val="{BULLET_NUM_ID}"/></w:numPr>'
            indent_left = LIST_INDENT_TW
        elif named.style_id == "ListNumber":
            extra = f'<w:numPr><w:numId w:val="{ORDERED_BASE_NUM_ID}"/></w:numPr>'
            indent_left = LIST_INDENT_TW
        elif named.style_id == "RelatedItem":
            # The related teasers are a list under their own heading: the style itself is bulleted.
            extra = f'<w:numPr><w:numId w:val="{BULLET_NUM_ID}"/></w:numPr>'
            indent_left = LIST_INDENT_TW
        elif named.style_id == "Quote":
            indent_left = indent_right = BLOCKQUOTE_INDENT_TW
        elif named.style_id in ("Header", "Footer"):
            tabs = tabs_furniture
        elif named.key.startswith("heading-"):
            outline = int(named.key[-1]) - 1
        elif named.style_id in ("TOC2", "TOC3"):
            indent_left = LIST_INDENT_TW * (int(named.style_id[-1]) - 1)
        elif named.style_id == "DroppedItem":
            extra = f'<w:numPr><w:numId w:val="{BULLET_NUM_ID}"/></w:numPr>'
            indent_left = LIST_INDENT_TW
        ppr = paragraph_properties_xml(element, where=named.key, extra_before=extra,
                                       indent_left_tw=indent_left, indent_right_tw=indent_right,
                                       outline_level=outline, tabs=tabs, border=border, hanging_tw=hanging,
                                       clear_background=bool(body.background) and named.style_id != "Normal")
        rpr = run_properties_xml(element, font_name(style, element.family), where=named.key, shade=False)
        default = ' w:default="1"' if named.style_id == "Normal" else ""
        based = "" if named.style_id == "Normal" else '<w:basedOn w:val="Normal"/>'
        nxt = '<w:next w:val="Normal"/>' if named.key in _NEXT_IS_NORMAL else ""
        ui = '<w:uiPriority w:val="9"/>' if named.key.startswith("heading-") else ""
        out.append(
            f'<w:style w:type="paragraph"{default} w:styleId="{named.style_id}">'
            f"<w:name w:val={attr(named.word_name)}/>{based}{nxt}{ui}<w:qFormat/>"
            f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        )
    # The marking line (header and footer): the header's look, centred and bold, as a style of its
    # own so an editor restyles it in one place.
    out.append(
        f'<w:style w:type="paragraph" w:styleId="{MARKING_STYLE_ID}"><w:name w:val="Marking"/>'
        '<w:basedOn w:val="Header"/><w:qFormat/><w:pPr><w:jc w:val="center"/></w:pPr>'
        "<w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
    )
    out.append(
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>'
    )
    highlight = {"quote-speech": style.quotes.highlight_speech, "quote-title": style.quotes.highlight_title,
                 "quote-term": style.quotes.highlight_term}
    for named in CHARACTER_STYLES:
        if named.key not in style.elements:   # an older style without the label keys
            continue
        own = style.element(named.key)
        # a quote kind's colour and shading are its highlight; a label has its own look always
        lit = highlight.get(named.key, True)
        # The style's own fields only: family/size None mean "as the surrounding paragraph", which
        # a character style expresses by leaving them out.  Colour and shading are the highlight.
        rpr = run_properties_xml(own, font_name(style, own.family), where=named.key, shade=lit, color=lit)
        out.append(
            f'<w:style w:type="character" w:styleId="{named.style_id}">'
            f"<w:name w:val={attr(named.word_name)}/>"
            '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="20"/><w:qFormat/>'
            f"<w:rPr>{rpr}</w:rPr></w:style>"
        )
    link_color = hex_color(body.color, "body")
    out.append(
        f'<w:style w:type="character" w:styleId="{HYPERLINK_STYLE_ID}"><w:name w:val="Hyperlink"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        f'<w:rPr><w:color w:val="{link_color}"/><w:u w:val="single"/></w:rPr></w:style>'
        f'<w:style w:type="character" w:styleId="{COMMENT_REFERENCE_STYLE_ID}"><w:name w:val="annotation reference"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
        '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/>'
        '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:pPr><w:spacing w:before="0" w:after="0"/><w:ind w:firstLine="0"/><w:jc w:val="left"/></w:pPr>'
        '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        "</w:styles>"
    )
    return "".join(out)


# ------------------------------------------------------------------------------ numbering.xml
def numbering_xml(style: "Style", restarts: tuple[int, ...] = ()) -> str:
    """Two abstract lists (bullets, ordered) with nine levels each, and their base instances;
    then one ordered instance per entry of ``restarts`` (its level), numbered from
    ``ORDERED_BASE_NUM_ID + 1`` on, each starting at 1 (every ordered list counts from 1)."""
    list_font = font_name(style, style.block("list").family)
    bullet_font = f"<w:rPr><w:rFonts w:ascii={attr(list_font)} w:hAnsi={attr(list_font)}/></w:rPr>" if list_font else ""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering {NSDECLS}>']
    out.append(f'<w:abstractNum w:abstractNumId="{BULLET_ABSTRACT_ID}"><w:multiLevelType w:val="hybridMultilevel"/>')
    for level in range(9):
        glyph = _BULLET_GLYPHS[level % len(_BULLET_GLYPHS)]
        out.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            f'<w:lvlText w:val="{glyph}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{LIST_INDENT_TW * (level + 1)}" w:hanging="{LIST_INDENT_TW}"/></w:pPr>'
            f"{bullet_font}</w:lvl>"
        )
    out.append("</w:abstractNum>")
    out.append(f'<w:abstractNum w:abstractNumId="{ORDERED_ABSTRACT_ID}"><w:multiLevelType w:val="hybridMultilevel"/>')
    for level in range(9):
        fmt, text = _ORDERED_FORMATS[level % len(_ORDERED_FORMATS)]
        out.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text.format(n=level + 1)}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{LIST_INDENT_TW * (level + 1)}" w:hanging="{LIST_INDENT_TW}"/></w:pPr></w:lvl>'
        )
    out.append("</w:abstractNum>")
    out.append(f'<w:num w:numId="{BULLET_NUM_ID}"><w:abstractNumId w:val="{BULLET_ABSTRACT_ID}"/></w:num>')
    out.append(f'<w:num w:numId="{ORDERED_BASE_NUM_ID}"><w:abstractNumId w:val="{ORDERED_ABSTRACT_ID}"/></w:num>')
    for offset, level in enumerate(restarts, start=1):
        out.append(f'<w:num w:numId="{ORDERED_BASE_NUM_ID + offset}"><w:abstractNumId w:val="{ORDERED_ABSTRACT_ID}"/>'
                   f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    out.append("</w:numbering>")
    return "".join(out)


# ------------------------------------------------------------------------------- the package
#: Word's hyphenation zone, in twips: the room a line may leave at its end before its next word
#: is hyphenated.  The PDF hyphenates a word whenever it does not fit whole; the closest Word
#: comes is a narrow zone (its default, 0.25 in, leaves ragged lines the PDF would have broken).
HYPHENATION_ZONE_TW = 144       # 0.1 in


def settings_xml(hyphenate: bool, update_fields: bool = False, embedded_fonts: bool = False,
                 hyphenation: "Hyphenation | None" = None) -> str:
    """settings.xml; ``update_fields`` asks Word to update the fields on opening (a contents
    field's page numbers); ``embedded_fonts`` says the package carries its fonts (subsets, which
    Word keeps as subsets when it saves).  When ``hyphenate``, Word and LibreOffice hyphenate as
    the PDF does where their settings allow: no more than ``hyphenation.max_consecutive`` lines
    in a row, a narrow zone, never a word in capitals (an acronym).  The letters each side of a
    break have no setting in Word (its dictionaries decide); headings, titles and table cells
    are kept whole by their styles (w:suppressAutoHyphens)."""
    hyph = ""
    if hyphenate:
        limit = (hyphenation or Hyphenation()).max_consecutive
        hyph = (f'<w:autoHyphenation/><w:consecutiveHyphenLimit w:val="{limit}"/>'
                f'<w:hyphenationZone w:val="{HYPHENATION_ZONE_TW}"/><w:doNotHyphenateCaps/>')
    update = '<w:updateFields w:val="true"/>' if update_fields else ""
    embed = "<w:embedTrueTypeFonts/><w:saveSubsetFonts/>" if embedded_fonts else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {NSDECLS}>'
        f'<w:zoom w:percent="100"/>{embed}<w:defaultTabStop w:val="720"/>{hyph}'
        f'<w:characterSpacingControl w:val="doNotCompress"/>{update}'
        # A justified line ending in a line break is not stretched across the page.
        '<w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        "</w:settings>"
    )


def font_table_xml(style: "Style", embedded: dict[str, str] | None = None) -> str:
    """The fonts the document names (Word lists them in its font table; the styles name them);
    ``embedded`` maps a family name to its embed elements (w:embedRegular…), fallback families
    included."""
    embedded = embedded or {}
    names = sorted({family.name for family in style.fonts.values()} | set(embedded))
    fonts = "".join(f"<w:font w:name={attr(name)}>{embedded[name]}</w:font>" if name in embedded
                    else f"<w:font w:name={attr(name)}/>" for name in names)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {NSDECLS}>{fonts}</w:fonts>'


_theme: bytes | None = None


def theme_xml() -> bytes:
    """Word's standard Office theme, copied from python-docx's bundled template (read once,
    without importing python-docx).  Word and validators expect a theme part; no style of ours
    refers to its fonts or colours."""
    global _theme
    if _theme is None:
        spec = importlib.util.find_spec("docx")
        if spec is None or spec.origin is None:
            raise RenderError("docx: python-docx is not installed (its Office theme is part of every document)")
        template = Path(spec.origin).parent / "templates" / "default.docx"
        with zipfile.ZipFile(template) as zf:
            _theme = zf.read("word/theme/theme1.xml")
    return _theme


def hyphenates(style: "Style") -> bool:
    """Whether any running-text element asks for hyphenation (Word's switch is document-wide)."""
    return any(style.block(k).hyphenate for k in HYPHENATED_ELEMENTS)
