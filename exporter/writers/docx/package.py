"""The .docx package: parts, relationships, content types and core properties, zipped with fixed
entry order and timestamps.

Every part is XML text the writer generated (every value escaped), so the package is assembled
once, at the end, with no office library: relationship ids are counted up from ``rId1`` as they are
asked for (an external link target asked for twice shares one), and nothing is ever parsed back.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

from ...presentation import model as m
from .fields import clean_text, truncate

CORE_PROPERTY_LIMIT = 255          # Word rejects longer core property values

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT_STYLES = f"{_REL}/styles"
RT_NUMBERING = f"{_REL}/numbering"
RT_SETTINGS = f"{_REL}/settings"
RT_FONT_TABLE = f"{_REL}/fontTable"
RT_THEME = f"{_REL}/theme"
RT_HEADER = f"{_REL}/header"
RT_FOOTER = f"{_REL}/footer"
RT_HYPERLINK = f"{_REL}/hyperlink"
RT_COMMENTS = f"{_REL}/comments"
RT_FONT = f"{_REL}/font"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CT_DOCUMENT = f"{_WML}.document.main+xml"
CT_STYLES = f"{_WML}.styles+xml"
CT_NUMBERING = f"{_WML}.numbering+xml"
CT_SETTINGS = f"{_WML}.settings+xml"
CT_FONT_TABLE = f"{_WML}.fontTable+xml"
CT_HEADER = f"{_WML}.header+xml"
CT_FOOTER = f"{_WML}.footer+xml"
CT_COMMENTS = f"{_WML}.comments+xml"
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CT_OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"

_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>exporter</Application><DocSecurity>0</DocSecurity></Properties>"
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


@dataclass
class Relationships:
    """The main document part's relationships, in the order they were asked for."""

    entries: list[tuple[str, str, str, bool]] = field(default_factory=list)   # (id, type, target, external)
    _external: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, reltype: str, target: str) -> str:
        r_id = f"rId{len(self.entries) + 1}"
        self.entries.append((r_id, reltype, target, False))
        return r_id

    def external(self, reltype: str, target: str) -> str:
        r_id = self._external.get((reltype, target))
        if r_id is None:
            r_id = self._external[(reltype, target)] = f"rId{len(self.entries) + 1}"
            self.entries.append((r_id, reltype, target, True))
        return r_id

    def xml(self) -> str:
        rows = "".join(
            f'<Relationship Id="{r_id}" Type="{reltype}" Target={quoteattr(target)}'
            + (' TargetMode="External"/>' if external else "/>")
            for r_id, reltype, target, external in self.entries)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rows}</Relationships>')


def core_properties_xml(metadata: m.DocumentMetadata, build_time: datetime) -> str:
    """docProps/core.xml from the presented metadata (each value one line, at most Word's 255
    characters; empty ones left out), created and modified at the build time."""
    stamp = utc_naive(build_time).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = (("dc:title", metadata.title), ("dc:subject", metadata.subtitle), ("dc:creator", metadata.author),
              ("cp:keywords", ", ".join(metadata.keywords)), ("dc:language", metadata.language),
              ("dc:identifier", metadata.identifier))
    values = "".join(f"<{tag}>{escape(text)}</{tag}>" for tag, value in fields
                     if (text := truncate(clean_text(value or ""), CORE_PROPERTY_LIMIT)))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'{values}<cp:revision>1</cp:revision>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


def build_package(word_parts: list[tuple[str, str, str | bytes]], relationships: Relationships,
                  core_xml: str, zip_time: tuple[int, int, int, int, int, int],
                  defaults: tuple[tuple[str, str], ...] = (), part_relationships: dict[str, Relationships] | None = None) -> bytes:
    """The zip: content types, package relationships, then ``word_parts`` (``(name under word/,
    content type, data)``, document.xml first) with the document's relationships, then the
    properties.  ``defaults`` adds content types by extension (embedded fonts);
    ``part_relationships`` gives other word parts' relationships (the font table's fonts).
    Built in memory: a zip written to an unseekable stream differs from one written to a file."""
    part_relationships = part_relationships or {}
    parts = [(f"word/{name}", content_type, data) for name, content_type, data in word_parts]
    parts += [("docProps/core.xml", CT_CORE, core_xml), ("docProps/app.xml", CT_APP, _APP)]
    overrides = "".join(f'<Override PartName="/{name}" ContentType="{content_type}"/>'
                        for name, content_type, _ in sorted(parts) if not name.endswith(tuple(e for e, _ in defaults)))
    extra = "".join(f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in defaults)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{CT_RELS}"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{extra}{overrides}</Types>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        def add(name: str, data: str | bytes) -> None:
            info = zipfile.ZipInfo(name, zip_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)

        add("[Content_Types].xml", content_types)
        add("_rels/.rels", _PACKAGE_RELS)
        document, *others = parts
        add(document[0], document[2])
        add("word/_rels/document.xml.rels", relationships.xml())
        for name, _, data in others:
            add(name, data)
            own = part_relationships.get(name.removeprefix("word/"))
            if own is not None:
                folder, _, file = name.rpartition("/")
                add(f"{folder}/_rels/{file}.rels", own.xml())
    return buffer.getvalue()


def utc_naive(moment: datetime) -> datetime:
    """The moment in UTC without its zone (a naive moment is taken as UTC already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
