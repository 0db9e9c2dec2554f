"""DOCX goldens, compared part by part as canonical XML (C14N 2.0: sorted attributes, namespace
declarations normalised), pretty-printed so a changed golden reads as a diff in review.

Run with ``UPDATE_GOLDENS=1`` to rewrite fixtures/golden/docx/ after an intended change.  The
articles are built by hand (not read from text) and the style is the goldens' own frozen copy
(golden-style.toml), so reader or built-in style changes never move these goldens; the text uses
only characters the shipped fonts draw, so the output does not depend on system fonts."""
from __future__ import annotations

import hashlib
import io
import os
import zipfile
import pytest
from lxml import etree

from exporter.ast import (
    Article, BlockQuote, Break, Dropped, Emphasis, Heading, Link, ListBlock, Meta, Paragraph, Quote,
    RelatedItem, Rule, Strong, Text,
)
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer

import support

GOLDEN_DIR = support.FIXTURES / "golden" / "docx"
UPDATE = os.environ.get("UPDATE_GOLDENS", "") not in ("", "0")


def every_node_article() -> Article:
    return Article(
        meta=Meta(title="Harbour bridge reopens after repairs", title_origin="caller",
                  subtitle="Crews finished two weeks early", byline="By A. Reporter", source="Harbour Times",
                  date="2026-01-02", language="en-GB", tags=("transport", "city")),
        body=(
            Paragraph((Text("The city's main bridge carries traffic again from today."),)),
            Paragraph((Text("The mayor said "),
                       Quote("speech", "the mayor", (Text("\u201cWe are delighted with the crews\u201d"),)),
                       Text(" and thanked "), Emphasis((Text("the engineers"),)), Text("."))),
            Heading(2, (Text("What changes for commuters"),)),
            Paragraph((Strong((Text("Buses"),)), Text(" resume their old routes; see "),
                       Link("https://example.org/timetable?route=1&day=mon", (Text("the timetable"),)),
                       Text(" or "), Link("mailto:desk@example.org", (Text("write to us"),)), Text("."))),
            BlockQuote((Paragraph((Text("A bridge is a promise kept."),)),)),
            ListBlock(True, ((Paragraph((Text("Lane one opens at six."),)),),
                             (Paragraph((Text("Lane two opens at seven."),)),
                              ListBlock(False, ((Paragraph((Text("cyclists first"),)),),))))),
            Rule(),
            Heading(3, (Text("Names"),)),
            Paragraph((Text("Zażółć gęślą jaźń \u2014 Καλημέρα \u2014 Привіт, їжак \u2014 港口"), Break(),
                       Quote("title", None, (Text("\u201cThe Bridge\u201d"),)), Text(" and the "),
                       Quote("term", None, (Text("\u2018fast lane\u2019"),)), Text("."))),
        ),
        related=(RelatedItem("Ferry timetable changes", "Winter hours return."),),
        dropped=(Dropped(3, "Share this", "share-widget"),),
    )


def canonical_parts(data: bytes) -> str:
    """The package as text: one section per zip entry in order, with its stored date and method,
    then the part as canonical, indented XML."""
    out: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            out.append(f"=== {info.filename} {info.date_time} method={info.compress_type}")
            blob = zf.read(info)
            if info.filename.startswith("word/theme/"):   # Word's stock theme, copied verbatim
                out.append(f"sha256 {hashlib.sha256(blob).hexdigest()}")
                continue
            canonical = etree.canonicalize(xml_data=blob.decode("utf-8"))
            root = etree.fromstring(canonical.encode("utf-8"))
            etree.indent(root, space=" ")
            out.append(etree.tostring(root, encoding="unicode"))
    return "\n".join(out) + "\n"


GOLDEN_STYLE = GOLDEN_DIR / "golden-style.toml"
CASES = {
    "every-node-plain": [],
    "every-node-speakers-sections-marking": [
        "quotes.show_speaker=true", "sections.related=true", "sections.dropped=true",
        'marking="RESTRICTED"', "page.first_page_furniture=false", 'page.size="Letter"',
    ],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_docx_matches_golden(case):
    style = load_style(GOLDEN_STYLE, CASES[case])
    out = io.BytesIO()
    get_writer("docx").write(every_node_article(), style, out,
                             RenderOptions(build_time=support.BUILD_TIME, warn=lambda m: None))
    got = canonical_parts(out.getvalue())
    golden = GOLDEN_DIR / f"{case}.txt"
    if UPDATE or not golden.exists():
        if not UPDATE and support.IN_CI:
            pytest.fail(f"golden {golden.name} missing (run with UPDATE_GOLDENS=1)")
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
        if not UPDATE:
            pytest.skip(f"golden {golden.name} written; review and commit it")
    want = golden.read_text(encoding="utf-8")
    if got != want:
        # Point at the first differing part rather than dumping two packages.
        for got_part, want_part in zip(got.split("=== "), want.split("=== ")):
            if got_part != want_part:
                pytest.fail(f"{case}: part differs from the golden (UPDATE_GOLDENS=1 to accept):\n"
                            f"--- golden\n{want_part[:3000]}\n--- got\n{got_part[:3000]}")
        pytest.fail(f"{case}: parts added or removed (UPDATE_GOLDENS=1 to accept)")
