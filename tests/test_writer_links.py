"""One link policy in every format (exporter.links): the same URLs become live links, credentials
are removed with one warning, and nothing of them reaches the file.  Read back per format: PDF
link annotations, DOCX hyperlink relationships, EPUB hrefs and dc:source."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone

import pytest
from pypdf import PdfReader

from exporter.ast import Article, Link, Meta, Paragraph, Text
from exporter.links import MAX_LINK_LENGTH, safe_link, strip_credentials, warn_once
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer

BUILD = datetime(2024, 5, 1, tzinfo=timezone.utc)
SECRET = "s3cr3t-pw"


def P(*parts) -> Paragraph:
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts))


def linked(url: str, label: str) -> Link:
    return Link(url, (Text(label),))


ARTICLE = Article(
    Meta(title="Links", url=f"https://reader:{SECRET}@example.com/source?id=7"),
    (P("Read ", linked(f"http://user:{SECRET}@example.com/a b", "the report"), " and ",
       linked(f"http://user:{SECRET}@example.com/a b", "again"), ", write to ",
       linked("mailto:desk@example.org", "the desk"), ", not ", linked("javascript:alert(1)", "this"),
       " or ", linked("file:///etc/passwd", "that"), " or ", linked("ftp://example.com/x", "ftp"), ", and see ",
       linked("https://Exämple.com/ü?q=<1>", "the idn page"), "."),),
)
EXPECTED = ["http://example.com/a%20b", "http://example.com/a%20b", "mailto:desk@example.org",
            "https://xn--exmple-cua.com/%C3%BC?q=%3C1%3E"]


def render(fmt: str, article: Article = ARTICLE) -> tuple[bytes, list[str]]:
    warnings: list[str] = []
    out = io.BytesIO()
    get_writer(fmt).write(article, load_style("default"), out, RenderOptions(build_time=BUILD, warn=warnings.append))
    return out.getvalue(), warnings


def pdf_links(data: bytes) -> list[str]:
    uris = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def zip_texts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name).decode("utf-8", "replace") for name in z.namelist()}


def docx_links(data: bytes) -> list[str]:
    parts = zip_texts(data)
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]*)"[^>]*TargetMode="External"',
                              parts["word/_rels/document.xml.rels"]))
    return [targets[r_id].replace("&amp;", "&") for r_id in re.findall(r'<w:hyperlink r:id="(rId\d+)"',
                                                                       parts["word/document.xml"])]


def epub_links(data: bytes) -> list[str]:
    page = zip_texts(data)["EPUB/article-a01.xhtml"]
    return [href.replace("&amp;", "&") for href in re.findall(r'<a href="([^"#][^"]*)"', page)]


READERS = {"pdf": pdf_links, "docx": docx_links, "epub": epub_links}


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
def test_every_format_links_the_same_urls_without_credentials(fmt):
    data, warnings = render(fmt)
    assert READERS[fmt](data) == EXPECTED
    credential_warnings = [w for w in warnings if "user name and password removed" in w]
    # the presentation layer judges the article's own URL for every format's metadata, once
    assert credential_warnings == ["link http://example.com/a%20b: user name and password removed",
                                   "link https://example.com/source?id=7: user name and password removed"]
    assert all(SECRET not in w for w in warnings)


@pytest.mark.parametrize("fmt", ["docx", "epub"])
def test_no_credential_reaches_any_part_of_the_package(fmt):
    data, _ = render(fmt)
    for name, text in zip_texts(data).items():
        assert SECRET not in text and "user:" not in text, name


def test_no_credential_reaches_the_pdf():
    data, _ = render("pdf")
    reader = PdfReader(io.BytesIO(data))
    assert all(SECRET not in page.extract_text() for page in reader.pages)
    assert SECRET not in " ".join(pdf_links(data)) and SECRET.encode() not in data


def test_epub_source_url_printed_without_credentials():
    opf = zip_texts(render("epub")[0])["EPUB/content.opf"]
    assert "<dc:source>https://example.com/source?id=7</dc:source>" in opf


# ----------------------------------------------------------------------------------- the policy
@pytest.mark.parametrize("url, href", [
    ("https://example.com/ok?q=1&r=2#frag", "https://example.com/ok?q=1&r=2#frag"),
    ("  HTTP://Example.COM  ", "http://example.com"),
    ("https://example.com/100%", "https://example.com/100%25"),
    ("https://example.com/%C3%BC", "https://example.com/%C3%BC"),
    ("http://user:pw@example.com:8080/x", "http://example.com:8080/x"),
    ("mailto:desk@example.org?subject=Hi there", "mailto:desk@example.org?subject=Hi%20there"),
    ("javascript:alert(1)", None), ("file:///etc/passwd", None), ("/relative/path", None), ("ftp://h.com/", None),
    ("https://exa mple.com/", None), ("https://example.com/\x00", None), ("http://example.com:99999/", None),
    ("mailto:no-at-sign", None), ("mailto:a b@example.org", None), ("", None), (None, None),
    ("https://example.com/" + "a" * MAX_LINK_LENGTH, None),
])
def test_safe_link(url, href):
    assert safe_link(url) == href


def test_credentials_warned_once_and_never_shown():
    seen: list[str] = []
    warn = warn_once(seen.append)
    for _ in range(3):
        assert safe_link("https://me:hunter2@example.com/p", warn) == "https://example.com/p"
    assert safe_link("https://example.com/p", warn) == "https://example.com/p"
    assert seen == ["link https://example.com/p: user name and password removed"]
    assert strip_credentials("ftp://me:hunter2@host/x", seen.append) == "ftp://host/x"
    assert strip_credentials("not a url") == "not a url" and "hunter2" not in " ".join(seen)
