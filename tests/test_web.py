"""The local web page (``exporter serve``) through Starlette's TestClient: its routes, the
corrections as AST edits, and every safety rule (Host, Origin, upload limits, escaping, the
sandboxed preview, a bad article beside good ones, the temporary directory)."""
from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile

import pytest

import exporter
from exporter.ast import Article, Paragraph, Text, inline_text
from support import INTERVIEW, SAMPLE, require_module

require_module("starlette")
require_module("python_multipart")
with warnings.catch_warnings():     # Starlette's note about httpx2 is not ours to act on
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from exporter.web import create_app  # noqa: E402
from exporter.web.app import PAGE_CSP, PREVIEW_CSP  # noqa: E402
from exporter.web.edits import (  # noqa: E402
    EditError, block_source_lines, edit_meta, quote_sites, restore_dropped, set_speaker, speaker_sites,
)

BASE = "http://127.0.0.1:8765"
SAME_ORIGIN = {"origin": BASE}
HOSTILE = ("Minister attacks <script>window.pwned=1</script> plan\n\n"
           "The minister spoke on Monday. <img src=x onerror=\"window.pwned=2\"> was in the text.\n"
           "“We will not back down <b>ever</b>,” said Jo <i>Park</i>.\n")


def make_client(**options) -> TestClient:
    return TestClient(create_app(**options), base_url=BASE)


@pytest.fixture
def client() -> TestClient:
    return make_client()


def paste(client: TestClient, text: str, name: str = "") -> str:
    """Paste an article; the id of the new entry."""
    response = client.post("/articles/paste", data={"text": text, "name": name}, headers=SAME_ORIGIN,
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return re.search(r"article=(\w+)", response.headers["location"]).group(1)


def entry(client: TestClient, entry_id: str):
    return client.app.page.workspace.get(entry_id)


def speech_sites(article: Article):
    return [s for s in quote_sites(article) if s.quote.kind == "speech"]


# ------------------------------------------------------------------------------------ the page
def test_empty_page_invites_input_and_carries_a_strict_csp(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No article yet" in response.text and 'name="text"' in response.text
    assert response.headers["content-security-policy"] == PAGE_CSP
    assert "'unsafe-inline'" not in PAGE_CSP and "script-src 'self'" in PAGE_CSP
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    for asset in ("/static/app.css", "/static/app.js"):
        assert client.get(asset).status_code == 200


def test_pasted_sample_lists_every_speech_quote_with_speaker_and_evidence(client):
    article = exporter.read(SAMPLE.read_bytes())
    expected = speech_sites(article)
    entry_id = paste(client, SAMPLE.read_text(encoding="utf-8"))
    page = client.get(f"/?article={entry_id}").text
    assert page.count('class="quote-item') == len(expected)
    assert f"Quotes and speakers <span class=\"count\">({len(expected)})</span>" in page
    for site in expected:
        if site.quote.evidence:
            assert f'<span class="evidence-kind" title="attribution evidence">{site.quote.evidence}</span>' in page
    speakers = {s.quote.speaker for s in expected if s.quote.speaker}
    assert speakers and all(f'<strong class="speaker-name">{name}</strong>' in page for name in speakers)
    # the dropped lines with their reasons, one restore button each, and the related teasers
    assert page.count('class="dropped-form"') == len(article.dropped)
    assert all(f'<span class="reason">{d.reason}</span>' in page for d in article.dropped)
    assert page.count('<span class="related-title">') == len(article.related)
    # the preview is the HTML writer's page in a sandboxed iframe
    assert re.search(r'<iframe id="preview-frame" sandbox=""[^>]*src="/articles/' + entry_id + '/preview', page)


def test_preview_is_the_html_writer_page_under_a_sandbox_csp(client):
    entry_id = paste(client, SAMPLE.read_text(encoding="utf-8"))
    response = client.get(f"/articles/{entry_id}/preview?style=default")
    assert response.status_code == 200
    assert response.content == exporter.render_bytes(entry(client, entry_id).article, "html", "default")
    csp = response.headers["content-security-policy"]
    assert csp == PREVIEW_CSP
    assert "sandbox" in csp.split("; ") and "script-src" not in csp and "default-src 'none'" in csp
    assert response.content.count(b'<q class="quote-speech"') == len(speech_sites(entry(client, entry_id).article))


def test_a_pasted_line_naming_a_file_is_text_never_opened(client, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("CONFIDENTIAL-CONTENTS of a local file\n", encoding="utf-8")
    entry_id = paste(client, str(secret))
    article = entry(client, entry_id).article
    words = " ".join(inline_text(b.content) for b in article.body if isinstance(b, Paragraph))
    assert "CONFIDENTIAL" not in words and "CONFIDENTIAL" not in client.get(f"/?article={entry_id}").text


def test_uploaded_files_each_become_an_article_and_a_bad_one_shows_its_error_beside_it(client):
    files = [("files", ("one.txt", b"First story\n\nIt happened on Monday.\n", "text/plain")),
             ("files", ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "text/plain")),
             ("files", ("two.txt", b"Second story\n\nIt happened on Tuesday.\n", "text/plain"))]
    response = client.post("/articles/upload", files=files, headers=SAME_ORIGIN)
    assert response.status_code == 200
    page = response.text
    assert "Added 3 articles; 1 could not be read" in page
    items = re.findall(r'<li class="[^"]*">.*?</li>', page, re.S)
    assert len(items) == 3
    bad = [item for item in items if "bad" in item.split('"')[1]]
    assert len(bad) == 1 and "picture.txt" in bad[0] and 'class="entry-error"' in bad[0]
    # the good ones are still there, checkable for a briefing, and the bad one's own page says why
    assert sum('name="include"' in item for item in items) == 2
    bad_id = re.search(r'id="error-(\w+)"', bad[0]).group(1)
    bad_page = client.get(f"/?article={bad_id}")
    assert bad_page.status_code == 200 and "This article could not be read" in bad_page.text


def test_an_ast_json_file_loads_as_an_article(client):
    article = exporter.read(SAMPLE.read_bytes())
    response = client.post("/articles/upload", headers=SAME_ORIGIN,
                           files=[("files", ("sample.json", article.to_json().encode(), "application/json"))])
    assert response.status_code == 200
    (loaded,) = client.app.page.workspace.entries.values()
    assert loaded.article == article and loaded.source_text is None


# ------------------------------------------------------------------------------------ safety
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "192.168.1.5:8765", ""])
def test_a_foreign_host_is_refused_dns_rebinding(client, host):
    for response in (client.get("/", headers={"host": host}),
                     client.post("/articles/paste", data={"text": "x"}, headers={"host": host, "origin": f"http://{host}"})):
        assert response.status_code == 403
        assert "is not this machine" in response.text
    assert client.app.page.workspace.entries == {}


@pytest.mark.parametrize("host", ["localhost:8765", "127.0.0.1:8765", "[::1]:8765", "LOCALHOST"])
def test_loopback_names_are_accepted(client, host):
    assert client.get("/", headers={"host": host}).status_code == 200


def test_the_bound_address_is_accepted_besides_loopback():
    client = make_client(host="192.168.1.5")
    assert client.get("/", headers={"host": "192.168.1.5:8765"}).status_code == 200
    assert client.get("/", headers={"host": "192.168.1.6:8765"}).status_code == 403
    # a wildcard bind adds no name: only loopback names are answered
    assert make_client(host="0.0.0.0").get("/", headers={"host": "0.0.0.0:8765"}).status_code == 403


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.example"},
    {"origin": "null"},                                  # a sandboxed frame, such as the preview
    {"origin": "http://127.0.0.1:9999"},                 # another local server
    {"origin": "https://127.0.0.1:8765"},
    {"referer": "http://evil.example/page"},
    {},                                                  # neither Origin nor Referer
])
def test_a_cross_origin_change_is_refused(client, headers):
    entry_id = paste(client, SAMPLE.read_text(encoding="utf-8"))
    before = entry(client, entry_id).article
    site = speech_sites(before)[0]
    for url, data in [("/articles/paste", {"text": "Injected story\n\nBody.\n"}),
                      (f"/articles/{entry_id}/speaker", {"quote": site.address, "speaker": "Mallory", "revision": "0"}),
                      (f"/articles/{entry_id}/restore", {"line": "0", "revision": "0"}),
                      (f"/articles/{entry_id}/delete", {}),
                      ("/briefings", {"include": entry_id})]:
        response = client.post(url, data=data, headers=headers, follow_redirects=False)
        assert response.status_code == 403, url
        assert "must come from this page" in response.text
    assert list(client.app.page.workspace.entries) == [entry_id]
    assert entry(client, entry_id).article == before and client.app.page.workspace.jobs == {}


def test_a_same_origin_referer_stands_in_for_a_missing_origin(client):
    response = client.post("/articles/paste", data={"text": "A story\n\nIt happened.\n"},
                           headers={"referer": f"{BASE}/?article=a9"}, follow_redirects=False)
    assert response.status_code == 303


def test_an_oversize_upload_is_refused_with_the_limit_named():
    client = make_client(max_upload_bytes=1000)
    response = client.post("/articles/upload", headers=SAME_ORIGIN,
                           files=[("files", ("small.txt", b"A story\n\nShort.\n", "text/plain")),
                                  ("files", ("huge.txt", b"word " * 400, "text/plain"))])
    assert response.status_code == 413
    assert "Not added: huge.txt: too large; the limit is 1 KB a file" in response.text
    assert client.app.page.workspace.entries == {}
    # pasted text is held to the same limit
    response = client.post("/articles/paste", data={"text": "word " * 400}, headers=SAME_ORIGIN)
    assert response.status_code == 413 and "too large" in response.text
    assert client.app.page.workspace.entries == {}


def test_a_request_larger_than_every_file_allowed_is_refused_before_it_is_read():
    client = make_client(max_upload_bytes=1000, max_files=2)
    body = b"x" * 10
    response = client.post("/articles/upload", content=body, headers={
        **SAME_ORIGIN, "content-type": "multipart/form-data; boundary=b", "content-length": str(50 * 1024 * 1024)})
    assert response.status_code == 413
    assert "at most 2 files of 1 KB each can be sent at once" in response.text


def test_too_many_files_are_refused_with_the_limit_named():
    client = make_client(max_files=2)
    files = [("files", (f"s{i}.txt", f"Story {i}\n\nBody {i}.\n".encode(), "text/plain")) for i in range(3)]
    response = client.post("/articles/upload", files=files, headers=SAME_ORIGIN)
    assert response.status_code == 413
    assert "too many files: at most 2 at once" in response.text
    assert client.app.page.workspace.entries == {}


def test_uploads_stay_in_memory_never_spooled_to_disk(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an upload was spooled to a temporary file")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    client = make_client(max_upload_bytes=4 * 1024 * 1024)
    big = ("A long story\n\n" + "".join(f"Line {i} of the story, which goes on.\n" for i in range(60_000))).encode()
    assert len(big) > 2 * 1024 * 1024                    # over Starlette's 1 MB spooling threshold
    response = client.post("/articles/upload", files=[("files", ("long.txt", big, "text/plain"))], headers=SAME_ORIGIN)
    assert response.status_code == 200 and "Added 1 article." in response.text


def test_article_text_is_escaped_on_the_page_and_the_preview_runs_nothing(client):
    entry_id = paste(client, HOSTILE, name="<script>window.pwned=3</script>")
    client.post(f"/articles/{entry_id}/meta", headers=SAME_ORIGIN, data={
        "revision": "0", "title": "<script>window.pwned=4</script>", "subtitle": "", "byline": "<img src=x onerror=alert(1)>",
        "date": "", "source": ""})
    page = client.get(f"/?article={entry_id}").text
    assert "<script>window" not in page and "<img src=x" not in page and "<b>ever</b>" not in page
    assert "&lt;script&gt;window.pwned=4&lt;/script&gt;" in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/app.js" defer>']
    preview = client.get(f"/articles/{entry_id}/preview")
    assert b"<script" not in preview.content and b"<img" not in preview.content
    assert b"&lt;script&gt;" in preview.content
    assert "sandbox" in preview.headers["content-security-policy"]


def test_a_missing_article_is_a_404_page_not_a_crash(client):
    assert client.get("/articles/nope/preview").status_code == 404
    assert client.get("/articles/nope/export?format=pdf").status_code == 404
    response = client.post("/articles/nope/speaker", data={"quote": "0"}, headers=SAME_ORIGIN)
    assert response.status_code == 404 and "Not found" in response.text


# ------------------------------------------------------------------------------- corrections
def test_details_are_corrected_through_the_api_and_a_typed_title_is_the_headline(client):
    entry_id = paste(client, SAMPLE.read_text(encoding="utf-8"))
    assert entry(client, entry_id).article.meta.title_origin == "lede"
    response = client.post(f"/articles/{entry_id}/meta", headers=SAME_ORIGIN, data={
        "revision": "0", "title": "Trump to call Putin and Zelenskyy", "subtitle": "Talks in Istanbul",
        "byline": "Staff writer", "date": "2025-05-17", "source": ""})
    assert response.status_code == 200 and "Details saved." in response.text
    meta = entry(client, entry_id).article.meta
    assert (meta.title, meta.title_origin, meta.subtitle, meta.byline, meta.date, meta.source) == (
        "Trump to call Putin and Zelenskyy", "caller", "Talks in Istanbul", "Staff writer", "2025-05-17", None)
    preview = client.get(f"/articles/{entry_id}/preview").text
    assert "Trump to call Putin and Zelenskyy</h1>" in preview


def test_an_unchanged_lede_title_stays_a_lede_title_and_a_bad_date_changes_nothing(client):
    entry_id = paste(client, SAMPLE.read_text(encoding="utf-8"))
    before = entry(client, entry_id).article
    response = client.post(f"/articles/{entry_id}/meta", headers=SAME_ORIGIN, data={
        "revision": "0", "title": before.meta.title, "subtitle": "", "byline": "", "date": "last Friday",
        "source": before.meta.source})
    assert "--date" in response.text and 'class="message error"' in response.text
    assert entry(client, entry_id).article == before
    client.post(f"/articles/{entry_id}/meta", headers=SAME_ORIGIN, data={
        "revision": "0", "title": before.meta.title, "subtitle": "A subtitle", "byline": "", "date": "",
        "source": before.meta.source})
    meta = entry(client, entry_id).article.meta
    assert meta.title_origin == "lede" and meta.subtitle == "A subtitle"


def test_a_speaker_is_changed_and_cleared_as_an_ast_edit(client):
    entry_id = paste(client, SAMPLE.read_text(encoding="utf-8"))
    before = entry(client, entry_id).article
    site = speech_sites(before)[0]
    assert site.quote.evidence is not None
    response = client.post(f"/articles/{entry_id}/speaker", headers=SAME_ORIGIN,
                           data={"revision": "0", "quote": site.address, "speaker": "  Ada   Lovelace ", "action": "save"})
    assert "Speaker saved: Ada Lovelace." in response.text
    after = entry(client, entry_id).article
    changed = speech_sites(after)[0].quote
    assert (changed.speaker, changed.evidence) == ("Ada Lovelace", None)
    assert changed.content == site.quote.content
    assert after == set_speaker(before, site.site, "Ada Lovelace")
    assert [s.quote for s in speech_sites(after)[1:]] == [s.quote for s in speech_sites(before)[1:]]
    page = client.get(f"/?article={entry_id}").text
    assert '<strong class="speaker-name">Ada Lovelace</strong> — set by hand' in page
    assert "[Ada Lovelace]" in client.get(f"/articles/{entry_id}/preview").text
    client.post(f"/articles/{entry_id}/speaker", headers=SAME_ORIGIN,
                data={"revision": "1", "quote": site.address, "speaker": "ignored", "action": "clear"})
    cleared = speech_sites(entry(client, entry_id).article)[0].quote
    assert (cleared.speaker, cleared.evidence) == (None, None)
    assert Article.from_json(entry(client, entry_id).article.to_json()) == entry(client, entry_id).article




def test_transcript_turns_are_listed_with_their_speaker_and_corrected_like_quotes(client):
    entry_id = paste(client, INTERVIEW)
    page = client.get(f"/?article={entry_id}").text
    assert page.count('class="quote-item turn"') == 2
    assert "(a transcript turn: spoken, without quote marks)" in page
    assert '<strong class="speaker-name">Agnes Morrow</strong>' in page
    before = entry(client, entry_id).article
    [first, second] = speaker_sites(before)
    assert first.is_turn and first.text.startswith("A: The winter") and first.evidence == "role"
    response = client.post(f"/articles/{entry_id}/speaker", headers=SAME_ORIGIN,
                           data={"revision": "0", "quote": first.address, "speaker": "Agnes M. Morrow", "action": "save"})
    assert "Speaker saved: Agnes M. Morrow." in response.text
    after = entry(client, entry_id).article
    turn = after.body[first.site[0]]
    assert (turn.speaker, turn.evidence) == ("Agnes M. Morrow", None)
    assert after.body[second.site[0]] == before.body[second.site[0]]
    # an address inside a prose paragraph is no turn: refused, nothing changes
    prose = (next(i for i, b in enumerate(after.body) if isinstance(b, Paragraph) and b.speaker is None),)
    with pytest.raises(EditError):
        set_speaker(after, prose, "Nobody")


def test_a_stale_form_changes_nothing(client):
    entry_id = paste(client, SAMPLE.read_text(encoding="utf-8"))
    before = entry(client, entry_id).article
    site = speech_sites(before)[0]
    response = client.post(f"/articles/{entry_id}/speaker", headers=SAME_ORIGIN,
                           data={"revision": "7", "quote": site.address, "speaker": "X", "action": "save"})
    assert "The article changed since this page was shown" in response.text
    assert entry(client, entry_id).article == before
    for address in ("99", "0.0.0.0.0", "x", "4.0.9", ""):
        response = client.post(f"/articles/{entry_id}/speaker", headers=SAME_ORIGIN,
                               data={"revision": "0", "quote": address, "speaker": "X"})
        assert response.status_code == 200 and 'class="message error"' in response.text, address
    assert entry(client, entry_id).article == before


def test_restoring_a_dropped_line_puts_it_back_where_it_stood(client):
    text = SAMPLE.read_text(encoding="utf-8")
    entry_id = paste(client, text)
    before = entry(client, entry_id).article
    first, residue = before.dropped[0], before.dropped[1]
    assert first.line == 1                               # the share widget above the article
    client.post(f"/articles/{entry_id}/restore", headers=SAME_ORIGIN, data={"revision": "0", "line": "0"})
    after = entry(client, entry_id).article
    assert after.body[0] == Paragraph((Text(first.text),)) and after.body[1:] == before.body
    assert after.dropped == before.dropped[1:]
    # the link residue stood after the body's last line: it goes after the last block
    client.post(f"/articles/{entry_id}/restore", headers=SAME_ORIGIN, data={"revision": "1", "line": "0"})
    again = entry(client, entry_id).article
    assert again.body[-1] == Paragraph((Text(residue.text),)) and again.body[:-1] == after.body
    assert residue.text in client.get(f"/articles/{entry_id}/preview").text


def test_a_restored_line_goes_between_the_blocks_around_its_line():
    text = ("Council backs new park\n\nThe council voted on Monday.\nShare this story\n"
            "Work starts in spring.\n")
    article = exporter.read(text.encode())
    (share,) = [d for d in article.dropped if d.text == "Share this story"]
    assert block_source_lines(article.body, text)[-2:] == [3, 5]
    restored, placed = restore_dropped(article, article.dropped.index(share), text)
    assert placed
    texts = [inline_text(b.content) for b in restored.body]
    assert texts.index("Share this story") == texts.index("The council voted on Monday.") + 1
    # without the source (an article loaded as JSON) it goes at the end, and says so
    at_end, placed = restore_dropped(article, article.dropped.index(share), None)
    assert not placed and inline_text(at_end.body[-1].content) == "Share this story"


def test_edit_meta_touches_only_changed_fields():
    article = exporter.read(SAMPLE.read_bytes())
    assert edit_meta(article, {"title": article.meta.title, "source": article.meta.source or ""}) is article
    cleared = edit_meta(article, {"source": "  "})
    assert cleared.meta.source is None and cleared.meta.title == article.meta.title


# -------------------------------------------------------------------------------- downloads
def test_the_ast_json_downloads_and_loads_back(client):
    entry_id = paste(client, SAMPLE.read_text(encoding="utf-8"))
    article = entry(client, entry_id).article
    response = client.get(f"/articles/{entry_id}/ast.json")
    assert response.headers["content-type"].startswith("application/json")
    assert 'attachment; filename="' in response.headers["content-disposition"]
    assert response.content == article.to_json().encode("utf-8")
    corrected = set_speaker(article, speech_sites(article)[0].site, "Grace Hopper")
    response = client.post(f"/articles/{entry_id}/json", headers=SAME_ORIGIN, data={},
                           files=[("json", ("fixed.json", corrected.to_json().encode(), "application/json"))])
    assert "Loaded fixed.json." in response.text
    assert entry(client, entry_id).article == corrected
    response = client.post(f"/articles/{entry_id}/json", headers=SAME_ORIGIN,
                           files=[("json", ("broken.json", b'{"schema": "nope"}', "application/json"))])
    assert "broken.json: article: schema must be" in response.text
    assert entry(client, entry_id).article == corrected


@pytest.mark.parametrize("fmt, magic, media", [
    ("pdf", b"%PDF-", "application/pdf"),
    ("docx", b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("epub", b"PK\x03\x04", "application/epub+zip"),
    ("html", b"<!DOCTYPE html>", "text/html; charset=utf-8"),
])
def test_each_format_downloads_with_the_corrected_speaker(client, fmt, magic, media):
    entry_id = paste(client, SAMPLE.read_text(encoding="utf-8"))
    site = speech_sites(entry(client, entry_id).article)[0]
    client.post(f"/articles/{entry_id}/speaker", headers=SAME_ORIGIN,
                data={"revision": "0", "quote": site.address, "speaker": "Ada Lovelace", "action": "save"})
    response = client.get(f"/articles/{entry_id}/export",
                          params={"format": fmt, "style": "briefing", "marking": "OFFICIAL", "speaker_notes": "on"})
    assert response.status_code == 200
    assert response.content.startswith(magic) and response.headers["content-type"] == media
    assert response.headers["content-disposition"].startswith('attachment; filename="US President Donald Trump')
    if fmt in ("docx", "epub"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            text = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith("ml"))
    elif fmt == "pdf":
        import pypdf
        reader = pypdf.PdfReader(io.BytesIO(response.content))
        text = " ".join(str(a.get_object().get("/Contents")) for p in reader.pages for a in (p.get("/Annots") or []))
        text += " ".join(p.extract_text() for p in reader.pages)
    else:
        text = response.text
    assert "Ada Lovelace" in text and "OFFICIAL" in text


def test_an_unknown_format_or_style_is_refused_with_a_message(client):
    entry_id = paste(client, SAMPLE.read_text(encoding="utf-8"))
    for params in ({"format": "exe"}, {"format": "pdf", "style": "../../etc/passwd"}, {"format": "json"}):
        response = client.get(f"/articles/{entry_id}/export", params=params)
        assert response.status_code == 200 and "Choose one of the listed formats and styles." in response.text


def test_a_briefing_is_built_in_the_background_with_its_progress(client):
    ids = [paste(client, f"Story number {n}\n\n“We are ready,” said Jo Park{n}.\nThe vote is on day {n}.\n")
           for n in range(3)]
    response = client.post("/briefings", headers=SAME_ORIGIN, follow_redirects=False, data={
        "include": ids, "title": "Morning briefing", "prepared_for": "The Minister", "marking": "",
        "style": "briefing", "format": "pdf"})
    assert response.status_code == 303 and response.headers["location"].startswith("/briefings/")
    job_url = response.headers["location"]
    assert 'data-status-url="' in client.get(job_url).text
    deadline = time.monotonic() + 60
    while not (status := client.get(job_url + "/status").json())["done"]:
        assert time.monotonic() < deadline, status
        assert status["step"] in (0, 1) and status["stage"]
        time.sleep(0.05)
    assert status["error"] is None and status["step"] == status["steps"] == 2
    pdf = client.get(status["download"])
    assert pdf.content.startswith(b"%PDF-") and "Morning briefing.pdf" in pdf.headers["content-disposition"]
    import pypdf
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Morning briefing" in text and all(f"Story number {n}" in text for n in range(3))


def test_a_briefing_without_ticked_articles_says_so(client):
    response = client.post("/briefings", headers=SAME_ORIGIN, data={"title": "Empty", "format": "pdf", "style": "briefing"})
    assert "Tick the articles the briefing should hold first." in response.text
    assert client.app.page.workspace.jobs == {}


# ------------------------------------------------------------------------------- the command
def test_serve_prints_its_address_and_removes_its_temporary_directory(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "exporter", "serve", "--port", "0"], env=env,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        line = process.stderr.readline()
        match = re.fullmatch(r"exporter: serving on (http://127\.0\.0\.1:(\d+)/) \(Ctrl\+C to stop\)\n", line)
        assert match, line
        import httpx
        response = httpx.get(match.group(1), timeout=10)
        assert response.status_code == 200 and "Add articles" in response.text
        assert [p.name.startswith("exporter-serve-") for p in tmp_path.iterdir()] == [True]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    assert list(tmp_path.iterdir()) == []
    assert "Traceback" not in process.stderr.read()


def test_every_asset_ships_in_the_package_and_nothing_loads_from_elsewhere():
    from importlib.resources import files

    package = files("exporter.web")
    names = {f"{folder}/{item.name}" for folder in ("templates", "static") for item in (package / folder).iterdir()}
    assert {"templates/index.html", "templates/layout.html", "static/app.css", "static/app.js"} <= names
    for name in names:
        text = (package / name).read_text(encoding="utf-8")
        assert not re.search(r"(?:src|href)=\"(?:https?:)?//|url\(\s*['\"]?(?:https?:)?//|import\s", text), name


def test_a_busy_port_is_one_error_line_and_exit_1():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "exporter", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == f"exporter: error: serve: cannot listen on 127.0.0.1:{port}: Address already in use\n"
