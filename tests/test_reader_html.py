"""The HTML reader: saved web pages into the same Article as text input.

Goldens: every fixtures/html/<stem>.html is read and compared byte for byte with
fixtures/html/<stem>.json (``UPDATE_GOLDENS=1`` rewrites them; review the diff like code).  The
fixture pages are hand-written: a news page with navigation, share bar, related list and
comments; an e-mail newsletter in windows-1252; a right-to-left Arabic page."""
from __future__ import annotations

import codecs
import json
import os
import socket
import time
from pathlib import Path

import pytest

import exporter
from exporter.ast import Article, Emphasis, Link, Quote, Strong, Text, iter_inline_runs, iter_quotes
from exporter.errors import InputError, UsageError
from support import FIXTURES, require_module
from cli_support import run_cli

require_module("trafilatura")      # the [html] extra (in the test extra)

HTML_FIXTURES = FIXTURES / "html"
UPDATE = os.environ.get("UPDATE_GOLDENS", "") not in ("", "0")
STEMS = sorted(p.stem for p in HTML_FIXTURES.glob("*.html"))
SCHEMA = Path(__file__).resolve().parent.parent / "exporter" / "schema" / "article.schema.json"


def page(body: str, head: str = "<title>A harbour story - The Courier</title>", lang: str = "en") -> str:
    return f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">{head}</head><body>{body}</body></html>"


ARTICLE = ("<article><h1>A harbour story</h1>"
           "<p>The harbour ferry will run an extra crossing every evening from March, the operator said on Monday.</p>"
           "<p>“We have the boats and the crews,” said Tomas Lindqvist, the operator’s chief executive. "
           "“What we need is people on board.”</p>"
           "<p>The council will review the timetable in the autumn, when the first figures are available.</p>"
           "</article>")


def words_of(article: Article) -> str:
    from exporter.ast import inline_text

    return " ".join(inline_text(content) for _, content in iter_inline_runs(article.body))


def quotes_of(article: Article) -> list[Quote]:
    return [quote for _, content in iter_inline_runs(article.body) for quote, _ in iter_quotes(content)]


def links_of(article: Article) -> list[str]:
    found: list[str] = []

    def walk(nodes) -> None:
        for node in nodes:
            if isinstance(node, Link):
                found.append(node.url)
            if isinstance(node, (Link, Quote, Emphasis, Strong)):
                walk(node.content)
    for _, content in iter_inline_runs(article.body):
        walk(content)
    return found


# ------------------------------------------------------------------------------------- goldens
def test_there_are_the_three_fixture_pages():
    assert {"news_page", "newsletter_email", "rtl_page"} <= set(STEMS)


@pytest.mark.parametrize("stem", STEMS)
def test_golden(stem):
    article = exporter.read_file(HTML_FIXTURES / f"{stem}.html")
    produced = article.to_json()
    golden = HTML_FIXTURES / f"{stem}.json"
    if UPDATE:
        golden.write_text(produced, encoding="utf-8", newline="\n")
    assert produced == golden.read_text(encoding="utf-8"), f"{stem}: AST differs from its golden (UPDATE_GOLDENS=1 to accept)"
    assert Article.from_json(produced) == article


@pytest.mark.parametrize("stem", STEMS)
def test_golden_validates_against_the_schema(stem):
    jsonschema = require_module("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads((HTML_FIXTURES / f"{stem}.json").read_text(encoding="utf-8")), schema)


def test_news_page_metadata_structure_quotes_and_dropped():
    article = exporter.read_file(HTML_FIXTURES / "news_page.html")
    meta = article.meta
    assert (meta.title, meta.title_origin) == ("Harbour ferry fares to fall in March as council approves new budget", "headline")
    assert (meta.byline, meta.date, meta.site, meta.language) == ("Mira Okafor", "2025-02-14", "The Coastline Courier", "en-GB")
    assert meta.url == "https://courier.example.org/news/2025/02/harbour-ferry-fares"
    speakers = {q.speaker for q in quotes_of(article) if q.kind == "speech"}
    assert speakers == {"Ruth Abernethy", "Dev Raman", "Tomas Lindqvist"}
    kinds = [type(b).__name__ for b in article.body]
    assert {"Heading", "BlockQuote", "ListBlock"} <= set(kinds)
    reasons = {d.reason for d in article.dropped}
    assert {"navigation", "share-widget", "comments", "related-teaser", "copyright", "byline"} <= reasons
    assert [r.title for r in article.related] == [
        "Sea wall survey finds cracks along the eastern promenade",
        "New bus timetable leaves two villages without a Sunday service",
        "Ferry crew praised for rescue of stranded kayakers off the point"]
    text = words_of(article)
    for furniture in ("Skip to content", "Share on Facebook", "harbourwatcher", "Sign up", "All rights reserved"):
        assert furniture not in text
    # dropped lines point into the page: the comments sit below the article
    by_text = {d.text: d.line for d in article.dropped}
    assert by_text["Comments (3)"] > by_text["Skip to content"]
    assert (HTML_FIXTURES / "news_page.html").read_text().splitlines()[by_text["Comments (3)"] - 1].count("Comments (3)") == 1


def test_formatting_survives_and_wraps_around_quotes():
    article = exporter.read_file(HTML_FIXTURES / "news_page.html")
    assert "https://council.example.gov/budget/2025" in links_of(article)
    # <strong> inside a quote stays inside the Quote node
    quote = next(q for q in quotes_of(article) if "storm comes" in str(q))
    assert any(isinstance(node, Strong) for node in quote.content)
    assert any(isinstance(node, Emphasis) for _, c in iter_inline_runs(article.body) for node in c)


def test_a_link_across_a_quote_edge_is_split_and_the_text_is_unchanged():
    html = page("<article><h1>A harbour story</h1><p>The operator was clear. "
                "<a href=\"https://example.org/a\">“We will rebuild</a> the pier,” said Ana Ruiz, the operator’s chief, "
                "on a visit to the harbour on Monday morning.</p>"
                "<p>The council will review the plan in the autumn, when the first figures are in.</p></article>")
    article = exporter.read(html.encode(), source_name="split.html")
    paragraph = next(c for _, c in iter_inline_runs(article.body) if any(isinstance(n, Quote) for n in c))
    quote = next(n for n in paragraph if isinstance(n, Quote))
    assert quote.speaker == "Ana Ruiz"
    assert isinstance(quote.content[0], Link) and quote.content[0].url == "https://example.org/a"
    from exporter.ast import inline_text
    assert inline_text(paragraph).startswith("The operator was clear. “We will rebuild the pier,” said Ana Ruiz")


def test_quotes_and_speakers_are_those_of_the_same_text():
    """The same article as a page and as text gives the same quotes and speakers."""
    article = exporter.read(page(ARTICLE).encode(), source_name="same.html")
    as_text = exporter.read("A harbour story\n\nThe harbour ferry will run an extra crossing every evening from March, "
                            "the operator said on Monday.\n\n“We have the boats and the crews,” said Tomas Lindqvist, "
                            "the operator’s chief executive. “What we need is people on board.”\n\nThe council will "
                            "review the timetable in the autumn, when the first figures are available.\n")
    assert [(str(q.content), q.speaker, q.evidence) for q in quotes_of(article)] == \
        [(str(q.content), q.speaker, q.evidence) for q in quotes_of(as_text)]
    assert article.body == as_text.body


def test_caller_metadata_wins_over_the_page():
    article = exporter.read(HTML_FIXTURES / "news_page.html", title="Ferry fares", byline="Desk", lang="fr")
    assert (article.meta.title, article.meta.title_origin, article.meta.byline, article.meta.language) == \
        ("Ferry fares", "caller", "Desk", "fr")


def test_rtl_page():
    article = exporter.read_file(HTML_FIXTURES / "rtl_page.html")
    assert article.meta.language == "ar"
    assert article.meta.title == "افتتاح مكتبة عامة جديدة في وسط المدينة"
    assert article.meta.site == "صحيفة الوادي"
    quote = quotes_of(article)[0]
    assert str(quote.content[0].text).startswith("«أردنا")


# --------------------------------------------------------------------------------- recognition
def test_recognised_by_extension_by_content_and_by_choice(tmp_path):
    html = page(ARTICLE).encode()
    named = tmp_path / "story.htm"
    named.write_bytes(html)
    bare = tmp_path / "story"
    bare.write_bytes(html)
    for source in (named, bare, html, html.decode()):
        article = exporter.read(source) if not isinstance(source, bytes) else exporter.read(source, source_name="x")
        assert article.meta.title == "A harbour story", source
        assert "<p>" not in words_of(article)
    as_text = exporter.read(named, input_format="text")
    assert "<" in words_of(as_text) + " ".join(d.text for d in as_text.dropped)
    # a text that mentions the tag in passing is still text
    notes = exporter.read("Notes on markup\n\nThe page had no <html> tag at all, we found out on Monday.\n")
    assert "<html>" in words_of(notes)
    with pytest.raises(UsageError):
        exporter.read(html, input_format="pdf")


def test_sniffing_needs_the_tag_in_the_first_kilobyte():
    from exporter.reader.html import looks_like_html

    assert looks_like_html(b"\xef\xbb\xbf  <!doctype html><p>x")
    assert looks_like_html(b"<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>")
    assert looks_like_html(codecs.BOM_UTF16_LE + "<html><body>x".encode("utf-16-le"))
    assert not looks_like_html(b"A story about the <html> tag\n" + b"x" * 2000)
    assert not looks_like_html(b"x" * 1100 + b"<html>")


def test_directories_globs_and_manifests_take_pages(tmp_path):
    from exporter.collect import collect_inputs

    (tmp_path / "a.html").write_text(page(ARTICLE), encoding="utf-8")
    (tmp_path / "b.txt").write_text("Talks end\n\nThe two sides met for an hour on Friday and agreed to meet again.\n")
    assert [Path(i.path).name for i in collect_inputs([str(tmp_path)]).items] == ["a.html", "b.txt"]
    (tmp_path / "brief.toml").write_text('[[article]]\npath = "a.html"\nsource = "Courier"\n[[article]]\npath = "b.txt"\n')
    out = tmp_path / "brief.docx"
    result = run_cli(["briefing", str(tmp_path / "brief.toml"), "-o", str(out), "-q"])
    assert result.code == 0, result.err
    from readback import output_text
    text = output_text(out, "docx")
    assert "A harbour story" in text and "What we need is people on board" in text


# ------------------------------------------------------------------------------------ encoding
def test_encoding_bom_then_meta_charset_then_text_rules():
    body = ARTICLE.replace("harbour ferry", "café ferry")
    declared = page(body).replace("charset=\"utf-8\"", "charset=\"windows-1252\"")
    article = exporter.read(declared.encode("cp1252"), source_name="x.html")
    assert "café ferry" in words_of(article) and "“We have the boats" in words_of(article)
    # a byte-order mark wins over the declaration
    article = exporter.read(codecs.BOM_UTF8 + declared.encode("utf-8"), source_name="x.html")
    assert "café ferry" in words_of(article)
    article = exporter.read(codecs.BOM_UTF16_LE + declared.encode("utf-16-le"), source_name="x.html")
    assert "café ferry" in words_of(article)
    # a UTF-8 declaration over bytes that are not UTF-8: the text rules decide, with a warning
    warnings: list[str] = []
    article = exporter.read(page(body).encode("cp1252"), source_name="x.html", warn=warnings.append)
    assert article.meta.title == "A harbour story" and any("not UTF-8" in w for w in warnings)


def test_the_newsletter_is_read_in_its_declared_code_page():
    article = exporter.read_file(HTML_FIXTURES / "newsletter_email.html")
    assert "The Linden Café" not in article.meta.title
    assert "When the Linden Café closed" in words_of(article)
    assert {"newsletter", "copyright"} <= {d.reason for d in article.dropped}
    assert "Unsubscribe" not in words_of(article)


# ------------------------------------------------------------------------------- no article, CLI
@pytest.mark.parametrize("html", [
    page("<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"),
    page(""),
    "<!DOCTYPE html><html><head><title>Nothing</title></head></html>",
])
def test_a_page_without_an_article_is_exit_1_with_one_line(tmp_path, html):
    path = tmp_path / "empty.html"
    path.write_text(html, encoding="utf-8")
    result = run_cli(["export", str(path), "-f", "pdf", "-o", str(tmp_path / "out.pdf")])
    assert result.code == 1
    assert len(result.err_lines) == 1 and result.err_lines[0].startswith("exporter: error: ")
    assert "article" in result.err_lines[0] or "empty" in result.err_lines[0]
    assert not (tmp_path / "out.pdf").exists()


def test_from_option_on_the_command_line(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(page(ARTICLE), encoding="utf-8")
    as_html = run_cli(["inspect", str(path), "--json", "--from", "html"])
    assert as_html.code == 0, as_html.err
    assert json.loads(as_html.out)["meta"]["title"] == "A harbour story"
    bad = run_cli(["inspect", str(path), "--from", "pdf"])
    assert bad.code == 2 and bad.err_lines == ["exporter: error: --from pdf: expected one of text, html"]
    stdin = run_cli(["inspect", "-", "--json"], stdin=page(ARTICLE).encode())
    assert json.loads(stdin.out)["meta"]["title"] == "A harbour story"


def test_missing_extra_is_one_line_naming_it(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "trafilatura", None)       # import trafilatura -> ImportError
    path = tmp_path / "p.html"
    path.write_text(page(ARTICLE), encoding="utf-8")
    result = run_cli(["inspect", str(path)])
    assert result.code == 2
    assert result.err_lines == [f"exporter: error: reading web pages: needs the [html] extra (missing trafilatura); "
                                "install it with: pip install 'exporter[html]'"]


def test_export_to_pdf_and_docx_reads_back_headline_byline_and_quotes(tmp_path):
    from readback import output_text

    source = tmp_path / "page.html"
    source.write_bytes((HTML_FIXTURES / "news_page.html").read_bytes())
    result = run_cli(["export", str(source), "-f", "pdf,docx,epub,html", "-o", str(tmp_path / "out") + "/", "-q"])
    assert result.code == 0, result.err
    for fmt in ("pdf", "docx", "epub", "html"):
        text = " ".join(output_text(tmp_path / "out" / f"page.{fmt}", fmt).split())
        for expected in ("Harbour ferry fares to fall in March", "Mira Okafor", "We are spending the money",
                         "Opposition warns of a gap", "children under twelve travel free"):
            assert expected in text, (fmt, expected)
        for furniture in ("harbourwatcher", "Share on Facebook", "Skip to content"):
            assert furniture not in text, (fmt, furniture)


# ------------------------------------------------------------------------------------- hostile
def test_scripts_event_attributes_and_unsafe_urls_never_reach_the_article():
    html = page("<script>document.write('INJECTED-SCRIPT')</script>"
                "<article><h1 onclick=\"alert('H1')\">A harbour story</h1>"
                "<p onmouseover=\"alert('XSS')\">The harbour ferry will run an extra crossing every evening from March, "
                "the operator said on <a href=\"javascript:alert('JS')\">Monday</a> after a long meeting.</p>"
                "<p>The <a href=\"data:text/html,<script>alert(1)</script>\">council</a> will review the "
                "<a href=\"vbscript:msgbox\">timetable</a> in the <a href=\"file:///etc/passwd\">autumn</a>, when the "
                "first <a href=\"https://example.org/figures\">figures</a> are available.</p>"
                "<noscript>NOSCRIPT-TEXT</noscript><style>p{x:y}</style><template>TEMPLATE-TEXT</template>"
                "</article>")
    article = exporter.read(html.encode(), source_name="hostile.html")
    dumped = article.to_json()
    for bad in ("INJECTED-SCRIPT", "alert", "javascript", "vbscript", "data:text", "file:", "NOSCRIPT", "TEMPLATE", "x:y"):
        assert bad not in dumped, bad
    assert links_of(article) == ["https://example.org/figures"]
    assert "Monday after a long meeting" in words_of(article)


def test_an_entity_bomb_stays_inert_and_quick():
    bomb = ("<?xml version=\"1.0\"?><!DOCTYPE html [<!ENTITY a \"aaaaaaaaaa\">"
            + "".join(f"<!ENTITY {chr(98 + i)} \"" + f"&{chr(97 + i)};" * 10 + "\">" for i in range(8))
            + "]>")
    html = bomb + page(ARTICLE.replace("every evening", "every evening &i; &amp; more"))[len("<!DOCTYPE html>"):]
    start = time.perf_counter()
    article = exporter.read(html.encode(), source_name="bomb.html")
    assert time.perf_counter() - start < 10       # generous: a bomb that expanded would not finish
    assert "aaaaaaaaaa" * 10 not in article.to_json()
    assert "& more" in words_of(article)


def test_a_nesting_bomb_is_refused_in_one_line():
    html = page("<div>" * 5000 + ARTICLE + "</div>" * 5000)
    with pytest.raises(InputError, match=r"nested more than 256 deep"):
        exporter.read(html.encode(), source_name="deep.html")


def test_too_many_elements_or_too_much_text_is_refused(monkeypatch):
    from exporter.reader.html import page as page_module

    monkeypatch.setattr(page_module, "MAX_PAGE_ELEMENTS", 500)
    with pytest.raises(InputError, match=r"more than 500 elements"):
        exporter.read(page(ARTICLE + "<span>x</span>" * 600).encode(), source_name="many.html")
    monkeypatch.setattr(page_module, "MAX_PAGE_TEXT_CHARS", 1000)
    with pytest.raises(InputError, match=r"more than 1,000 characters of text"):
        exporter.read(page(ARTICLE + "<p>" + "word " * 400 + "</p>").encode(), source_name="long.html")


def test_a_huge_single_text_is_refused_not_read_half():
    html = page(ARTICLE + "<p>" + "x" * 11_000_000 + "</p>")
    with pytest.raises(InputError, match=r"larger than 10 MB"):
        exporter.read(html.encode(), source_name="huge.html")


def test_scripts_and_saved_images_do_not_count_against_the_limits():
    """A saved page's bulk (inline script, images as data: URIs) is cut before parsing."""
    html = page("<script>var blob = \"" + "y" * 12_000_000 + "\";</script>" + ARTICLE
                + "<img src=\"data:image/png;base64," + "QUJD" * 3_000_000 + "\">")
    article = exporter.read(html.encode(), source_name="saved.html")
    assert article.meta.title == "A harbour story"


def test_nothing_is_fetched(monkeypatch):
    """Images, stylesheets, scripts and frames the page names are never requested."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network use in a test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    html = page(ARTICLE + "<img src=\"https://images.example.org/a.jpg\"><iframe src=\"https://example.org/f\"></iframe>"
                "<link rel=\"stylesheet\" href=\"https://example.org/s.css\"><script src=\"https://example.org/t.js\"></script>",
                head="<title>A harbour story</title><base href=\"https://example.org/\">"
                     "<link rel=\"canonical\" href=\"https://example.org/story\">")
    article = exporter.read(html.encode(), source_name="fetch.html")
    assert article.meta.title == "A harbour story"
    assert attempts == []


def test_the_text_stages_result_and_a_second_run_of_the_quote_stages_agree(monkeypatch):
    """Where the text stages' body does not line up with the page's blocks the quote and speaker
    stages run again on the blocks: both ways give the same article."""
    import exporter.reader.html as html_reader

    reused = exporter.read_file(HTML_FIXTURES / "news_page.html")
    monkeypatch.setattr(html_reader, "_contents_by_leaf", lambda *args: None)
    rerun = exporter.read_file(HTML_FIXTURES / "news_page.html")
    assert rerun == reused
    assert {q.speaker for q in quotes_of(rerun)} == {"Ruth Abernethy", "Dev Raman", "Tomas Lindqvist"}


def test_the_web_page_takes_a_saved_page():
    import warnings

    require_module("starlette")
    require_module("python_multipart")
    with warnings.catch_warnings():     # Starlette's note about httpx2 is not ours to act on
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from exporter.web import create_app

    client = TestClient(create_app(), base_url="http://127.0.0.1:8000")
    origin = {"origin": "http://127.0.0.1:8000"}
    response = client.post("/articles/upload", headers=origin,
                           files=[("files", ("page.html", (HTML_FIXTURES / "news_page.html").read_bytes(), "text/html"))])
    assert response.status_code == 200
    (entry,) = client.app.page.workspace.entries.values()
    assert entry.article.meta.title == "Harbour ferry fares to fall in March as council approves new budget"
    assert entry.article.meta.byline == "Mira Okafor"


def test_keep_boilerplate_keeps_every_text_block_of_the_page():
    article = exporter.read_file(HTML_FIXTURES / "news_page.html", keep_boilerplate=True)
    text = words_of(article)
    for furniture in ("Skip to content", "Share on Facebook", "harbourwatcher", "All rights reserved"):
        assert furniture in text
    assert "trackEverything" not in text                 # scripts are never text
    assert (article.meta.byline, article.meta.date) == ("Mira Okafor", "2025-02-14")
