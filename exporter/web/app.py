"""The local web page behind ``exporter serve``: a Starlette application.

Pages are rendered on the server (Jinja2, autoescaped) and work as plain forms; a little
JavaScript (static/app.js) adds dropping files and briefing progress.  Everything the browser
sends is data: article text and file contents are read as bytes (a pasted line naming a file is
never opened), and no path from the browser reaches the file system.

Safety rules, each enforced in one place:
- ``GuardMiddleware``: the Host header must name this machine (refuses DNS rebinding), every
  state-changing request must come from this page's own origin, and every response carries a
  content security policy.
- ``_read_form``: uploads are limited in count and size while they stream in, and are kept in
  memory (never spooled to a temporary file).
- the preview is the HTML writer's page served with a ``sandbox`` CSP that allows no script, and
  shown in an ``<iframe sandbox>``.
"""
from __future__ import annotations

import threading
import time
import urllib.parse
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Callable

import jinja2
from markupsafe import escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import exporter
from exporter.ast import Article, SPEAKER_EVIDENCE
from exporter.errors import ExporterError
from exporter.output import sanitize_filename

from .edits import EDITABLE_META, EditError, edit_meta, parse_site, restore_dropped, set_speaker, speaker_sites
from .state import BriefingJob, Entry, Workspace

#: Formats a person can download (json has its own button: it is the corrected AST).
DOCUMENT_FORMATS = ("pdf", "docx", "epub", "html")
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "epub": "EPUB e-book", "html": "Web page (HTML)"}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "epub": "application/epub+zip",
    "html": "text/html; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
#: What each kind of attribution evidence means, in the words the page uses.
EVIDENCE_TEXT = {
    "cue": "a speech verb in the quote's sentence names them",
    "adjacent": "named in the sentence or line next to the words, or by a transcript's label",
    "pronoun": "a pronoun (he, she, they) that points back to them",
    "role": "a role word (such as “the senator”, or a transcript's “A:”) that points back to them",
    "continuation": "carries on from the previous quote's or turn's speaker",
}
assert set(EVIDENCE_TEXT) == set(SPEAKER_EVIDENCE), "every kind of evidence needs its words"

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_FIELD_LIMIT = 64 * 1024          # a metadata field or a speaker name; article text has its own limit
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# The preview: the writer's inline <style> and nothing else; `sandbox` (no allow-scripts) makes it
# an opaque origin that can run nothing even if it were opened outside its iframe.
PREVIEW_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'self'; sandbox")


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int = 8 * 1024 * 1024
    max_files: int = 50

    @property
    def max_request_bytes(self) -> int:
        # every file at its limit, plus room for the other fields and the multipart framing
        return self.max_upload_bytes * self.max_files + 1024 * 1024


class UploadRefused(Exception):
    """An upload over a limit; the message says which and what the limit is."""


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.1f} MB" if value >= 0.1 else f"{size / 1024:.0f} KB"


# ---------------------------------------------------------------------------------- the guard
class GuardMiddleware:
    """Host and Origin checks for every request, and default security headers on every response."""

    def __init__(self, app, *, allowed_hosts: frozenset[str]) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if _hostname(host) not in self.allowed_hosts:
            # DNS rebinding: a foreign name that resolves to this machine.  Refused before routing.
            await _plain(403, f"exporter: refused: the Host {host[:80]!r} is not this machine; "
                              "open the address exporter serve printed")(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin") or _origin_of(headers.get("referer", ""))
            if origin != f"{scope.get('scheme', 'http')}://{host}":
                await _plain(403, "exporter: refused: a change must come from this page "
                                  f"(Origin {origin!r})")(scope, receive, send)
                return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(b"content-security-policy", PAGE_CSP.encode()),
                         (b"x-content-type-options", b"nosniff"),
                         # same-origin (not no-referrer): a no-referrer page sends Origin: null
                         (b"referrer-policy", b"same-origin"),
                         (b"x-frame-options", b"DENY"),
                         (b"cache-control", b"no-store")]
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _plain(status: int, text: str) -> Response:
    return Response(text + "\n", status_code=status, media_type="text/plain; charset=utf-8")


def _hostname(host: str) -> str:
    """The name in a Host header, without its port (``[::1]:8765`` -> ``::1``), lower-cased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _origin_of(url: str) -> str | None:
    if not url:
        return None
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def allowed_hosts_for(bound_host: str) -> frozenset[str]:
    """The Host names the page answers to: this machine's loopback names, and the address it was
    bound to when that is a specific one."""
    bound = bound_host.strip("[]").lower()
    return LOCAL_HOSTS | ({bound} if bound not in WILDCARD_HOSTS else set())


# -------------------------------------------------------------------------------- upload limits
class _LimitedMultiPartParser(MultiPartParser):
    """Starlette's parser with a per-file size limit checked as the bytes arrive, and files kept in
    memory: its default spools files over 1 MB to the system temporary directory."""

    def __init__(self, *args: Any, max_file_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_file_bytes = max_file_bytes
        self.spool_max_size = max_file_bytes * 2 + 1      # never reached: the limit stops it first
        self._file_bytes = 0

    def on_part_begin(self) -> None:
        super().on_part_begin()
        self._file_bytes = 0

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current_part.file is not None:
            self._file_bytes += end - start
            if self._file_bytes > self.max_file_bytes:
                name = self._current_part.file.filename or "a file"
                raise UploadRefused(f"{name}: too large; the limit is {_megabytes(self.max_file_bytes)} "
                                    "a file (exporter serve --max-upload-mb)")
        super().on_part_data(data, start, end)


async def _read_form(request: Request, limits: Limits, *, text_field_bytes: int) -> FormData:
    """The request's form, refused with an UploadRefused message when it is over a limit."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limits.max_request_bytes:
        raise UploadRefused(f"the upload is {_megabytes(int(declared))}; at most {limits.max_files} files of "
                            f"{_megabytes(limits.max_upload_bytes)} each can be sent at once")

    async def capped_stream():
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limits.max_request_bytes:
                raise UploadRefused(f"the upload is over {_megabytes(limits.max_request_bytes)}, "
                                    "the most this page takes at once")
            yield chunk

    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        parser = _LimitedMultiPartParser(request.headers, capped_stream(), max_files=limits.max_files,
                                         max_fields=200, max_part_size=text_field_bytes,
                                         max_file_bytes=limits.max_upload_bytes)
        try:
            return await parser.parse()
        except MultiPartException as exc:
            message = str(exc)
            if message.startswith("Too many files"):
                message = (f"too many files: at most {limits.max_files} at once "
                           "(exporter serve --max-files)")
            elif message.startswith("Part exceeded"):
                message = f"a field is too long: the limit is {_megabytes(text_field_bytes)}"
            raise UploadRefused(message) from None
    body = bytearray()
    async for chunk in capped_stream():
        body.extend(chunk)
        if len(body) > 3 * text_field_bytes + 4096:        # percent-encoding triples a byte at most
            raise UploadRefused(f"the form is too large: the limit is {_megabytes(text_field_bytes)}")
    fields = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=200)
    return FormData(fields)


# ------------------------------------------------------------------------------------- the app
class WebPage:
    """The routes, over one Workspace."""

    def __init__(self, limits: Limits, workspace: Workspace | None = None) -> None:
        self.limits = limits
        self.workspace = workspace or Workspace()
        self.templates = jinja2.Environment(
            loader=jinja2.PackageLoader("exporter.web", "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.templates.globals.update(
            formats=DOCUMENT_FORMATS, format_labels=FORMAT_LABELS, evidence_text=EVIDENCE_TEXT,
            styles=_style_names(), limits=limits, megabytes=_megabytes)
        # (kind, message, section) shown once on the next page, in that section (None: at the top)
        self.flash: list[tuple[str, str, str | None]] = []

    # -- pages ------------------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        return self._page(request)

    def _page(self, request: Request, status_code: int = 200, selected_id: str | None = None) -> Response:
        ws = self.workspace
        with ws.lock:
            entries = list(ws.entries.values())
        selected_id = selected_id or request.query_params.get("article")
        selected = ws.get(selected_id) if selected_id else None
        if selected is None and entries:
            selected = next((e for e in entries if e.article is not None), entries[0])
        style = request.query_params.get("style", "default")
        if style not in _style_names():
            style = "default"
        view = _article_view(selected) if selected is not None else None
        messages, self.flash = self.flash, []
        if selected is None or selected.article is None:     # its sections are not on the page
            messages = [(kind, text, where if where in ("add", "briefing") else None)
                        for kind, text, where in messages]
        html = self.templates.get_template("index.html").render(
            entries=entries, selected=selected, view=view, style=style, messages=messages,
            jobs=list(ws.jobs.values())[-5:])
        return HTMLResponse(html, status_code=status_code)

    async def preview(self, request: Request) -> Response:
        entry = self._entry(request)
        style = request.query_params.get("style", "default")
        if style not in _style_names():
            style = "default"
        if entry is None or entry.article is None:
            return _preview_response(_message_page("No article to show."), 404)
        key = (entry.id, entry.revision, style)
        page = self.workspace.previews.get(key)
        if page is None:
            article = entry.article
            try:
                page = await run_in_threadpool(exporter.render_bytes, article, "html", style,
                                               warn=lambda message: None)
            except ExporterError as exc:
                return _preview_response(_message_page(f"The preview could not be made: {exc}"), 200)
            self.workspace.previews[key] = page
        return _preview_response(page, 200)

    # -- input ------------------------------------------------------------------------------------
    async def paste(self, request: Request) -> Response:
        try:
            form = await _read_form(request, self.limits, text_field_bytes=self.limits.max_upload_bytes)
        except UploadRefused as exc:
            return self._refused(request, str(exc))
        text = str(form.get("text") or "")
        data = text.encode("utf-8")
        if len(data) > self.limits.max_upload_bytes:
            return self._refused(request, f"the pasted text is too large ({_megabytes(len(data))}); the limit is "
                                          f"{_megabytes(self.limits.max_upload_bytes)} (exporter serve --max-upload-mb)")
        if not text.strip():
            self._say("error", "Nothing was pasted: paste an article's text into the box first.", "add")
            return _see_other("/#add")
        name = " ".join(str(form.get("name") or "").split())[:120] or f"Pasted text {next(self.workspace.pasted)}"
        # Encoded, never passed as str: a pasted line naming a file must not be opened as that file.
        entry = await run_in_threadpool(self._read_entry, name, data)
        return _see_other(f"/?article={entry.id}")

    async def upload(self, request: Request) -> Response:
        try:
            form = await _read_form(request, self.limits, text_field_bytes=FORM_FIELD_LIMIT)
        except UploadRefused as exc:
            return self._refused(request, str(exc))
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and (f.filename or f.size)]
        if not uploads:
            self._say("error", "No file was chosen: choose or drop one or more .txt files.", "add")
            return _see_other("/#add")
        added: list[Entry] = []
        for upload in uploads:
            data = await upload.read()
            name = _display_name(upload.filename)
            added.append(await run_in_threadpool(self._read_entry, name, data))
        bad = sum(1 for e in added if e.error)
        self._say("info", f"Added {len(added)} article{'s' if len(added) != 1 else ''}"
                          + (f"; {bad} could not be read (see the list)." if bad else "."))
        first_good = next((e for e in added if e.article is not None), added[0])
        return _see_other(f"/?article={first_good.id}")

    def _read_entry(self, name: str, data: bytes) -> Entry:
        """An article from a file's bytes (the AST JSON when the name ends in .json): read, or
        recorded with its one-line error."""
        ws = self.workspace
        entry = Entry(id=ws.new_id("a"), name=name)
        try:
            if name.lower().endswith(".json"):
                entry.article = Article.from_json(data)
            else:
                entry.article = exporter.read(data, source_name=name, warn=entry.notes.append)
                entry.source_text = data.decode("utf-8", "replace")
        except ExporterError as exc:
            entry.error = _one_line(str(exc))
        except Exception as exc:   # a reader bug: the article says so, the page lives on
            entry.error = f"{name}: could not be read: {type(exc).__name__}: {_one_line(str(exc))}"
        return ws.add(entry)

    async def load_json(self, request: Request) -> Response:
        """Replace an article with an AST JSON file (a download from this page, corrected or not)."""
        entry = self._entry(request)
        if entry is None:
            return self._missing()
        try:
            form = await _read_form(request, self.limits, text_field_bytes=FORM_FIELD_LIMIT)
        except UploadRefused as exc:
            return self._refused(request, str(exc), entry.id)
        upload = form.get("json")
        if not isinstance(upload, UploadFile) or not upload.filename:
            self._say("error", "No file was chosen: choose an AST JSON file to load.", "ast")
            return _see_other(f"/?article={entry.id}#ast")
        try:
            article = Article.from_json(await upload.read())
        except ExporterError as exc:
            self._say("error", f"{_display_name(upload.filename)}: {_one_line(str(exc))}", "ast")
            return _see_other(f"/?article={entry.id}#ast")
        with self.workspace.lock:
            entry.error, entry.source_text, entry.notes = None, None, []
            self.workspace.update(entry, article)
        self._say("info", f"Loaded {_display_name(upload.filename)}.")
        return _see_other(f"/?article={entry.id}")

    async def delete(self, request: Request) -> Response:
        entry = self._entry(request)
        if entry is not None:
            self.workspace.remove(entry.id)
            self._say("info", f"Removed “{entry.label}”.")
        return _see_other("/")

    # -- corrections ------------------------------------------------------------------------------
    async def correct_meta(self, request: Request) -> Response:
        return await self._edit(request, "details", lambda article, form: edit_meta(
            article, {name: str(form.get(name) or "") for name in EDITABLE_META}), "Details saved.")

    async def correct_speaker(self, request: Request) -> Response:
        said: list[str] = []

        def edit(article: Article, form: FormData) -> Article:
            site = parse_site(str(form.get("quote") or ""))
            speaker = None if form.get("action") == "clear" else str(form.get("speaker") or "")
            corrected = set_speaker(article, site, speaker)
            name = next((s.speaker for s in speaker_sites(corrected) if s.site == site), None)
            said.append(f"Speaker saved: {name}." if name else "Speaker cleared.")
            return corrected
        return await self._edit(request, "quotes", edit, lambda: said[0])

    async def restore(self, request: Request) -> Response:
        placed_at_end: list[bool] = []
        said: list[str] = []

        def edit(article: Article, form: FormData) -> Article:
            index = str(form.get("line") or "")
            if not index.isdigit():
                raise EditError("that dropped line is no longer there; reload the page")
            entry = self._entry(request)
            restored, placed = restore_dropped(article, int(index), entry.source_text if entry else None)
            if not placed:
                placed_at_end.append(True)
            line = article.dropped[int(index)]
            said.append(f"Line {line.line} restored: “{line.text[:80]}{'…' if len(line.text) > 80 else ''}” "
                        "is back in the article.")
            return restored
        response = await self._edit(request, "dropped", edit, lambda: said[0])
        if placed_at_end:
            self._say("info", "The line went at the end: an article loaded from JSON does not "
                              "record where its lines stood.", "dropped")
        return response

    async def _edit(self, request: Request, section: str, edit: Callable[[Article, FormData], Article],
                    done: str | Callable[[], str]) -> Response:
        """Apply ``edit`` to the article under the workspace lock, refusing a form made for an
        older revision; then back to the page at ``section`` with ``done`` (or the error) there."""
        entry = self._entry(request)
        if entry is None or entry.article is None:
            return self._missing()
        try:
            form = await _read_form(request, self.limits, text_field_bytes=FORM_FIELD_LIMIT)
        except UploadRefused as exc:
            return self._refused(request, str(exc), entry.id)
        with self.workspace.lock:
            if str(form.get("revision")) != str(entry.revision):
                self._say("error", "The article changed since this page was shown; "
                                   "nothing was changed. Check it and try again.", section)
                return _see_other(f"/?article={entry.id}#{section}")
            try:
                self.workspace.update(entry, edit(entry.article, form))
            except ExporterError as exc:
                self._say("error", _one_line(str(exc)), section)
                return _see_other(f"/?article={entry.id}#{section}")
        self._say("info", done if isinstance(done, str) else done(), section)
        return _see_other(f"/?article={entry.id}#{section}")

    # -- downloads ------------------------------------------------------------------------------
    async def download_json(self, request: Request) -> Response:
        entry = self._entry(request)
        if entry is None or entry.article is None:
            return self._missing()
        return _attachment(entry.article.to_json().encode("utf-8"), "json", entry.article.meta.title or entry.name)

    async def export(self, request: Request) -> Response:
        entry = self._entry(request)
        if entry is None or entry.article is None:
            return self._missing()
        fmt = request.query_params.get("format", "pdf")
        style = request.query_params.get("style", "default")
        marking = " ".join(request.query_params.get("marking", "").split())[:200] or None
        if fmt not in DOCUMENT_FORMATS or style not in _style_names():
            self._say("error", "Choose one of the listed formats and styles.", "export")
            return _see_other(f"/?article={entry.id}#export")
        try:
            data = await run_in_threadpool(exporter.render_bytes, entry.article, fmt,
                                           _export_style(style, request.query_params.get("speaker_notes") == "on"),
                                           marking=marking, warn=lambda message: None)
        except ExporterError as exc:
            self._say("error", f"Export failed: {_one_line(str(exc))}", "export")
            return _see_other(f"/?article={entry.id}#export")
        return _attachment(data, fmt, entry.article.meta.title or entry.name)

    # -- briefings ------------------------------------------------------------------------------
    async def start_briefing(self, request: Request) -> Response:
        try:
            form = await _read_form(request, self.limits, text_field_bytes=FORM_FIELD_LIMIT)
        except UploadRefused as exc:
            return self._refused(request, str(exc))
        ws = self.workspace
        chosen = [ws.get(str(i)) for i in form.getlist("include")]
        articles = [e.article for e in chosen if e is not None and e.article is not None]
        fmt, style = str(form.get("format") or "pdf"), str(form.get("style") or "briefing")
        if fmt not in DOCUMENT_FORMATS or style not in _style_names():
            self._say("error", "Choose one of the listed formats and styles.", "briefing")
            return _see_other("/#briefing")
        if not articles:
            self._say("error", "Tick the articles the briefing should hold first.", "briefing")
            return _see_other("/#briefing")
        cover = {key: (" ".join(str(form.get(key) or "").split())[:300] or None)
                 for key in ("title", "prepared_for", "marking")}
        job = BriefingJob(id=ws.new_id("b"), title=cover["title"] or "Briefing", format=fmt,
                          article_count=len(articles))
        with ws.lock:
            ws.jobs[job.id] = job
        export_style = _export_style(style, form.get("speaker_notes") == "on")
        threading.Thread(target=_build_briefing, args=(job, articles, export_style, cover), daemon=True,
                         name=f"exporter-briefing-{job.id}").start()
        return _see_other(f"/briefings/{job.id}")

    async def briefing_page(self, request: Request) -> Response:
        job = self.workspace.jobs.get(request.path_params["job"])
        if job is None:
            return self._missing()
        html = self.templates.get_template("briefing.html").render(job=job)
        return HTMLResponse(html)

    async def briefing_status(self, request: Request) -> Response:
        job = self.workspace.jobs.get(request.path_params["job"])
        if job is None:
            return JSONResponse({"error": "no such briefing"}, status_code=404)
        return JSONResponse({"stage": job.stage, "step": job.step, "steps": job.steps, "done": job.done,
                             "error": job.error, "elapsed": round(job.elapsed, 1),
                             "download": f"/briefings/{job.id}/download" if job.data is not None else None,
                             "filename": job.filename})

    async def briefing_download(self, request: Request) -> Response:
        job = self.workspace.jobs.get(request.path_params["job"])
        if job is None or job.data is None:
            return self._missing()
        return _attachment(job.data, job.format, job.title)

    # -- helpers ----------------------------------------------------------------------------------
    def _say(self, kind: str, message: str, section: str | None = None) -> None:
        """A message for the next page, shown beside the part of it the request was about."""
        self.flash.append((kind, message, section))

    def _entry(self, request: Request) -> Entry | None:
        return self.workspace.get(request.path_params.get("article_id", ""))

    def _missing(self) -> Response:
        return HTMLResponse(self.templates.get_template("message.html").render(
            heading="Not found", message="That article or briefing is not here (any more)."), status_code=404)

    def _refused(self, request: Request, message: str, selected_id: str | None = None) -> Response:
        """An upload over a limit: the page again, with the reason at the top, as 413."""
        self._say("error", f"Not added: {message}", "add" if selected_id is None else "ast")
        return self._page(request, status_code=413, selected_id=selected_id)


def _build_briefing(job: BriefingJob, articles: list[Article], style, cover: dict) -> None:
    """Runs in its own thread; the page polls ``job`` for its stage."""
    try:
        job.stage = f"Assembling {job.article_count} article{'s' if job.article_count != 1 else ''}"
        document = exporter.briefing(articles, title=cover["title"], prepared_for=cover["prepared_for"],
                                     marking=cover["marking"], warn=job.notes.append)
        job.step, job.stage = 1, f"Rendering the {FORMAT_LABELS[job.format]}"
        job.data = exporter.render_bytes(document, job.format, style, marking=cover["marking"],
                                         warn=job.notes.append)
        job.filename = f"{sanitize_filename(job.title)}.{job.format}"
        job.step, job.stage = 2, "Ready"
    except ExporterError as exc:
        job.error, job.stage = _one_line(str(exc)), "Failed"
    except Exception as exc:     # a writer bug still ends the job with a message, not a hang
        job.error, job.stage = f"{type(exc).__name__}: {_one_line(str(exc))}", "Failed"
    finally:
        job.finished = time.monotonic()


@dataclass
class ArticleView:
    """What the page shows of one article, computed once; ``error`` when that failed."""

    quotes: list
    speech_count: int
    error: str | None = None


def _article_view(entry: Entry) -> ArticleView | None:
    if entry.article is None:
        return None
    try:
        speech = speaker_sites(entry.article)
    except Exception as exc:   # one broken article must not break the page
        return ArticleView([], 0, f"{type(exc).__name__}: {_one_line(str(exc))}")
    return ArticleView(quotes=speech, speech_count=len(speech))


def _export_style(name: str, speaker_notes: bool):
    """The style to export with: the named one, with speaker notes (a hover note in a PDF, a
    comment in Word: ``quotes.show_speaker``) when asked for.  Until the PDF and DOCX writers show
    speakers in the text, these notes are where a corrected speaker can be seen there."""
    if not speaker_notes:
        return name
    from exporter.style import load_style

    return load_style(name, {"quotes.show_speaker": True})


def _attachment(data: bytes, fmt: str, title: str) -> Response:
    stem = sanitize_filename(title)
    name = f"{stem}.{fmt}"
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(name)}"
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={"content-disposition": disposition})


def _preview_response(page: bytes, status: int) -> Response:
    return Response(page, status_code=status, media_type="text/html; charset=utf-8",
                    headers={"content-security-policy": PREVIEW_CSP, "x-frame-options": "SAMEORIGIN"})


def _message_page(message: str) -> bytes:
    escaped = escape(message)
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Preview</title></head>"
            f"<body><p>{escaped}</p></body></html>").encode("utf-8")


def _see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def _display_name(filename: str | None) -> str:
    """A browser-given file name, for display only: its last component, cleaned."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())[:120].strip()
    return name or "unnamed file"


def _one_line(text: str) -> str:
    return " ".join(text.split())


_STYLES: tuple[str, ...] | None = None


def _style_names() -> tuple[str, ...]:
    global _STYLES
    if _STYLES is None:
        from exporter.style import style_descriptions

        _STYLES = tuple(style_descriptions())
    return _STYLES


def create_app(*, host: str = "127.0.0.1", max_upload_bytes: int = 8 * 1024 * 1024, max_files: int = 50,
               workspace: Workspace | None = None) -> GuardMiddleware:
    """The ASGI application.  ``host``: the address the server is bound to (its name is accepted in
    the Host header besides the loopback names)."""
    page = WebPage(Limits(max_upload_bytes=max_upload_bytes, max_files=max_files), workspace)
    routes = [
        Route("/", page.index),
        Route("/articles/paste", page.paste, methods=["POST"]),
        Route("/articles/upload", page.upload, methods=["POST"]),
        Route("/articles/{article_id}/preview", page.preview),
        Route("/articles/{article_id}/meta", page.correct_meta, methods=["POST"]),
        Route("/articles/{article_id}/speaker", page.correct_speaker, methods=["POST"]),
        Route("/articles/{article_id}/restore", page.restore, methods=["POST"]),
        Route("/articles/{article_id}/json", page.load_json, methods=["POST"]),
        Route("/articles/{article_id}/delete", page.delete, methods=["POST"]),
        Route("/articles/{article_id}/ast.json", page.download_json),
        Route("/articles/{article_id}/export", page.export),
        Route("/briefings", page.start_briefing, methods=["POST"]),
        Route("/briefings/{job}", page.briefing_page),
        Route("/briefings/{job}/status", page.briefing_status),
        Route("/briefings/{job}/download", page.briefing_download),
        Mount("/static", StaticFiles(directory=str(files("exporter.web") / "static")), name="static"),
    ]
    guarded = GuardMiddleware(Starlette(routes=routes), allowed_hosts=allowed_hosts_for(host))
    guarded.page = page          # for tests and serve(): the workspace behind the page
    return guarded
