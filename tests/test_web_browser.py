"""The web page in a real browser: Debian's Chromium driven by Playwright's sync API, against the
app served by uvicorn on 127.0.0.1 in a thread.  One browser for the module.

Walks the issue's flow (paste the sample, see its highlighted quotes and speakers, restore a
dropped line, change a speaker, download each format and read it back, a briefing from three
dropped files), a script-laden article, keyboard-only use and axe-core's checks.  A screenshot of
each step goes to $EXPORTER_WEB_SCREENSHOTS (or a temporary directory)."""
from __future__ import annotations

import io
import json
import os
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest

from exporter.ast import Article, inline_text
from support import ROOT, SAMPLE, require_module, require_tool

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE = ROOT / "tests" / "data" / "axe-core" / "axe.min.js"
SPEAKER = "Ada Lovelace"
THREE_STORIES = {
    "harbour.txt": "Harbour plan approved\n\nThe port authority approved the new harbour wall on Monday.\n"
                   "“It will protect the town for fifty years,” said Mara Quinn, the authority's chair.\n",
    "budget.txt": "Council budget passes\n\nThe council passed its budget by nine votes to four.\n"
                  "“We kept every library open,” the treasurer, Tom Aldous, said.\n",
    "rail.txt": "Rail strike called off\n\nUnion members voted to accept the new offer.\n"
                "“This is a fair deal for the drivers,” said Priya Nand.\nShare this story\n",
}
HOSTILE = ("Minister attacks <script>window.pwned=1;alert(1)</script> plan\n\n"
           "The minister spoke on Monday. <img src=x onerror=\"window.pwned=2;alert(2)\"> was in the text.\n"
           "“We will not back down <b onmouseover=alert(3)>ever</b>,” said Jo Park.\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    require_module("uvicorn")
    import uvicorn

    from exporter.web import create_app

    app = create_app(host="127.0.0.1")
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True, name="exporter-web-test-server")
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the test server did not start"
        time.sleep(0.05)
    yield app, f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    executable = require_tool("chromium", "the web page's browser tests")
    require_module("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    chosen = os.environ.get("EXPORTER_WEB_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("web-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Page:
    """A fresh browser tab on an empty page, recording what a script could have done."""

    def __init__(self, browser, server, shots: Path) -> None:
        from exporter.web.state import Workspace

        app, self.url = server
        app.page.workspace, app.page.flash = Workspace(), []
        self.app = app
        self.shots = shots
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        self.tab = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.tab.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.tab.on("pageerror", lambda error: self.errors.append(str(error)))
        self.tab.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.tab.goto(self.url + "/")

    def shot(self, name: str, full_page: bool = False) -> None:
        self.tab.screenshot(path=str(self.shots / f"{name}.png"), full_page=full_page)

    def preview(self):
        return self.tab.frame_locator("#preview-frame")

    def download(self, click) -> bytes:
        with self.tab.expect_download() as info:
            click()
        return Path(info.value.path()).read_bytes()

    def submit(self, action) -> None:
        """Do what sends a form, and wait for the page it leads to."""
        with self.tab.expect_navigation():
            action()

    def paste(self, text: str) -> None:
        self.tab.fill("#paste-text", text)
        self.submit(self.tab.get_by_role("button", name="Add pasted text").click)

    def current_article(self) -> Article:
        (entry,) = [e for e in self.app.page.workspace.entries.values()]
        return entry.article


@pytest.fixture
def page(browser, server, shots):
    tab = Page(browser, server, shots)
    yield tab
    tab.context.close()
    assert tab.errors == [], tab.errors


def speech_quotes(article: Article):
    from exporter.web.edits import quote_sites

    return [s.quote for s in quote_sites(article) if s.quote.kind == "speech"]


def test_the_whole_flow_paste_check_correct_download(page):
    tab = page.tab
    page.shot("01-empty")
    page.paste(SAMPLE.read_text(encoding="utf-8"))
    article = page.current_article()
    quotes = speech_quotes(article)
    # the preview highlights every speech quote and names speakers; the panel lists the same quotes
    preview = page.preview()
    highlighted = preview.locator("q.quote-speech")
    assert highlighted.count() == len(quotes) > 0
    background = highlighted.first.evaluate("q => getComputedStyle(q).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    labels = preview.locator(".speaker-label").all_inner_texts()
    assert labels and all(label.strip("[]") in {q.speaker for q in quotes} for label in labels)
    assert tab.locator(".quote-item").count() == len(quotes)
    assert tab.locator(".evidence-kind").count() == sum(1 for q in quotes if q.evidence)
    assert tab.locator(".speaker-name").count() == sum(1 for q in quotes if q.speaker)
    page.shot("02-pasted-sample")
    tab.locator("#quotes").scroll_into_view_if_needed()
    page.shot("03-quotes-and-evidence")

    # restore a dropped line: it appears in the preview and leaves the dropped list
    residue = next(d for d in article.dropped if d.reason == "link-residue")
    assert preview.get_by_text(residue.text).count() == 0
    page.submit(tab.get_by_role("button", name=f"Restore line {residue.line}").click)
    assert tab.get_by_role("status").first.inner_text() == (
        f"Line {residue.line} restored: “{residue.text}” is back in the article.")
    assert preview.get_by_text(residue.text, exact=True).count() == 1
    assert tab.get_by_role("button", name=f"Restore line {residue.line}").count() == 0
    page.shot("04-line-restored")

    # change the first quote's speaker: the preview labels it, the panel says it was set by hand
    tab.get_by_label("Speaker of quote 1", exact=True).fill(SPEAKER)
    page.submit(tab.get_by_role("button", name="Save the speaker of quote 1", exact=True).click)
    assert preview.get_by_text(f"[{SPEAKER}]").count() == 1
    assert tab.locator(".quote-item").first.locator(".evidence").inner_text().startswith(f"{SPEAKER} — set by hand")
    page.shot("05-speaker-changed")

    # a headline typed into the details is printed above the article
    tab.get_by_label("Title", exact=True).fill("Trump to speak to Putin and Zelenskyy")
    page.submit(tab.get_by_role("button", name="Save details").click)
    assert preview.locator("h1").first.inner_text() == "Trump to speak to Putin and Zelenskyy"

    # every format downloads, and the correction is in each
    downloads = {}
    for fmt, label in (("pdf", "PDF"), ("docx", "Word (DOCX)"), ("epub", "EPUB e-book"), ("html", "Web page (HTML)")):
        tab.get_by_label("Format", exact=True).select_option(label=label)
        downloads[fmt] = page.download(lambda: tab.get_by_role("button", name="Download", exact=True).click())
    downloads["json"] = page.download(lambda: tab.get_by_role("link", name="Download the AST JSON").click())
    tab.locator("#export").scroll_into_view_if_needed()
    page.shot("06-download")

    corrected = Article.from_json(downloads["json"])
    assert speech_quotes(corrected)[0].speaker == SPEAKER and speech_quotes(corrected)[0].evidence is None
    assert corrected == page.current_article()
    assert any(inline_text(b.content) == residue.text for b in corrected.body if hasattr(b, "content"))
    html = downloads["html"].decode("utf-8")
    assert f"[{SPEAKER}]" in html and residue.text in html
    with zipfile.ZipFile(io.BytesIO(downloads["docx"])) as docx:
        assert SPEAKER in docx.read("word/comments.xml").decode("utf-8")      # a Word comment on the quote
        assert residue.text in docx.read("word/document.xml").decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(downloads["epub"])) as epub:
        chapters = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
        assert SPEAKER in chapters and residue.text in chapters
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(downloads["pdf"]))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Trump to speak to Putin and Zelenskyy" in text and "For the latest from SBS News" in text
    # the changed speaker is printed: its label is in the PDF's text, after the quote it was given to
    first_quote = speech_quotes(corrected)[0]
    label_at = text.find(f"[{SPEAKER}]")
    assert text.count(f"[{SPEAKER}]") == 1 and 0 <= label_at - text.find(inline_text(first_quote.content)[1:40]) < 400


def test_a_briefing_from_three_dropped_files(page):
    tab = page.tab
    tab.evaluate("""stories => {
        const transfer = new DataTransfer();
        for (const [name, text] of Object.entries(stories)) transfer.items.add(new File([text], name, {type: "text/plain"}));
        document.querySelector("[data-dropzone]").dispatchEvent(
            new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", THREE_STORIES)
    tab.wait_for_url("**/?article=*")
    assert tab.get_by_role("status").first.inner_text() == "Added 3 articles."
    entries = list(page.app.page.workspace.entries.values())
    assert sorted(e.name for e in entries) == sorted(THREE_STORIES) and all(e.article for e in entries)
    for entry in entries:
        tab.get_by_label(f"Include “{entry.label}” in the briefing").check()
    tab.get_by_label("Briefing title").fill("Monday briefing")
    tab.get_by_label("Prepared for").fill("The Mayor")
    page.shot("07-three-files-ticked")
    tab.get_by_role("button", name="Build briefing").click()
    link = tab.get_by_role("link", name="Download Monday briefing.pdf")
    link.wait_for(state="visible", timeout=60_000)
    assert tab.locator("#job-progress").evaluate("p => p.value") == 2
    page.shot("08-briefing-ready")
    data = page.download(link.click)
    import pypdf

    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).split())
    assert "Monday briefing" in text and "The Mayor" in text
    for title in ("Harbour plan approved", "Council budget passes", "Rail strike called off"):
        assert title in text


def test_a_script_laden_article_runs_nothing(page):
    tab = page.tab
    page.paste(HOSTILE)
    preview = page.preview()
    preview.locator("body").wait_for()
    preview_text = preview.locator("body").inner_text()
    assert "<script>window.pwned=1;alert(1)</script>" in preview_text
    assert "<img src=x onerror=" in preview_text and "<b onmouseover=alert(3)>ever</b>" in preview_text
    frame = next(f for f in tab.frames if f != tab.main_frame)
    assert frame.evaluate("() => [document.scripts.length, document.images.length, typeof window.pwned]") == [0, 0, "undefined"]
    assert tab.evaluate("() => typeof window.pwned") == "undefined"
    assert tab.locator("script").count() == 1           # the page's own app.js
    assert tab.locator(".article-list a").first.inner_text().startswith("Minister attacks <script>")
    tab.hover("#preview-frame")
    time.sleep(0.3)
    assert page.dialogs == []
    assert not [m for m in page.console if "pwned" in m or m.startswith("error")], page.console
    page.shot("09-hostile-article")


def test_the_page_works_with_the_keyboard_alone(page):
    tab = page.tab
    story = ("Bridge reopens after repairs\n\nThe bridge reopened to traffic on Friday.\n"
             "“It is safer than ever,” said Lena Ortiz, the city engineer.\nShare this story\n")

    def tab_to(selector: str, limit: int = 120) -> None:
        for _ in range(limit):
            tab.keyboard.press("Tab")
            if tab.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                outline = tab.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", f"{selector} has no visible focus"
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab.keyboard.press("Tab")
    assert tab.evaluate("() => document.activeElement.textContent") == "Skip to the article"
    tab_to("#paste-text")
    tab.keyboard.insert_text(story)
    tab_to("button[type=submit]")                     # "Add pasted text"
    page.submit(lambda: tab.keyboard.press("Enter"))
    assert page.current_article() is not None
    tab_to("#speaker-1")
    tab.keyboard.press("Control+A")
    tab.keyboard.type("Lena Ortiz-Vega")
    page.submit(lambda: tab.keyboard.press("Enter"))   # sends the form with its first button, Save
    assert speech_quotes(page.current_article())[0].speaker == "Lena Ortiz-Vega"
    dropped = next(d for d in page.current_article().dropped if d.text == "Share this story")
    tab_to(f"button[aria-label='Restore line {dropped.line}']")
    page.submit(lambda: tab.keyboard.press("Enter"))
    assert dropped not in page.current_article().dropped
    assert page.preview().get_by_text(dropped.text, exact=True).count() == 1
    page.shot("10-keyboard")


def test_axe_finds_no_accessibility_violations(page):
    tab = page.tab
    source = AXE.read_text(encoding="utf-8")

    def check(where: str) -> None:
        tab.evaluate(source)
        result = tab.evaluate("""() => axe.run(document, {
            iframes: false,
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})""")
        problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        assert problems == [], f"{where}: {json.dumps(problems, indent=1)}"
        assert len(result["passes"]) > 10

    check("empty page")
    tab.set_input_files("#upload-files", [
        {"name": "picture.txt", "mimeType": "text/plain", "buffer": b"\x89PNG\r\n\x1a\n" + bytes(64)},
        {"name": "story.txt", "mimeType": "text/plain", "buffer": THREE_STORIES["budget.txt"].encode()}])
    page.submit(tab.get_by_role("button", name="Add files").click)
    assert tab.locator(".entry-error").count() == 1
    check("an unreadable file beside a good one")
    page.paste(SAMPLE.read_text(encoding="utf-8"))
    check("an article")
    for box in tab.get_by_label("Include", exact=False).all():
        box.check()
    tab.get_by_role("button", name="Build briefing").click()
    tab.get_by_role("link", name="Download Briefing.pdf").wait_for(state="visible", timeout=60_000)
    check("a briefing")
