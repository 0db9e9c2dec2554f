"""The command line: a thin Typer layer over the public API (exporter.api, exporter.batch).

Every error is one line on stderr, ``exporter: error: <what>: <problem>``; exit 0 success,
1 an input/output/rendering problem, 2 usage or configuration.  No tracebacks, no boxed panels."""
from __future__ import annotations

import gc
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, List, Optional

import typer

from .version import __version__
from .batch import STDIN, ExportRequest, ExportResult, plan_outputs, run_export
from .errors import ExporterError, InputError, UsageError
from .extras import require as require_extra
from .output import build_time_from_env, write_stdout

if TYPE_CHECKING:  # pragma: no cover
    from .ast import Article
    from .style.model import Style

app = typer.Typer(
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Turn the raw text of news articles into clean, styled PDF, DOCX and EPUB.",
)
styles_app = typer.Typer(add_completion=False, rich_markup_mode=None, invoke_without_command=True,
                         help="List the built-in styles, or show one fully resolved.")
app.add_typer(styles_app, name="styles")


# ----------------------------------------------------------------------------------- messages
class Console:
    """stderr reporting with the conventions' prefixes; quiet hides warnings and progress."""

    def __init__(self, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet, self.verbose = quiet, verbose
        self._progress_shown = False

    def error(self, message: str) -> None:
        self._clear_progress()
        print(f"exporter: error: {_one_line(message)}", file=sys.stderr)

    def warning(self, message: str) -> None:
        if not self.quiet:
            self._clear_progress()
            print(f"exporter: warning: {_one_line(message)}", file=sys.stderr)

    def note(self, message: str) -> None:
        """A line the user wants by default (a run's summary); hidden by --quiet only."""
        if not self.quiet:
            self._clear_progress()
            print(f"exporter: {_one_line(message)}", file=sys.stderr)

    def info(self, message: str) -> None:
        if self.verbose and not self.quiet:
            self._clear_progress()
            print(f"exporter: {_one_line(message)}", file=sys.stderr)

    def progress(self, done: int, total: int, label: str) -> None:
        """A one-line progress bar, only when many inputs go to a terminal."""
        if self.quiet or total < 2 or not sys.stderr.isatty():
            return
        width = 24
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[-40:]:<40}")
        sys.stderr.flush()
        self._progress_shown = done < total
        if done == total:
            sys.stderr.write("\n")

    def _clear_progress(self) -> None:
        if self._progress_shown:
            sys.stderr.write("\r\x1b[K")
            self._progress_shown = False


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


# ------------------------------------------------------------------------------- shared options
def _meta_options(title, subtitle, byline, source, site, url, date, lang) -> dict[str, object]:
    pairs = {"title": title, "subtitle": subtitle, "byline": byline, "source": source, "site": site,
             "url": url, "date": date, "language": lang}
    return {key: value for key, value in pairs.items() if value is not None}


TitleOpt = typer.Option(None, "--title", metavar="TEXT", help="Article title (overrides front matter and inference).")
SubtitleOpt = typer.Option(None, "--subtitle", metavar="TEXT", help="Subtitle / standfirst.")
BylineOpt = typer.Option(None, "--byline", metavar="TEXT", help="Byline (author).")
SourceOpt = typer.Option(None, "--source", metavar="TEXT", help="Source publication, e.g. 'SBS News'.")
SiteOpt = typer.Option(None, "--site", metavar="TEXT", help="Site name or domain.")
UrlOpt = typer.Option(None, "--url", metavar="URL", help="Original URL.")
DateOpt = typer.Option(None, "--date", metavar="DATE", help="Publication date, ISO 8601 (2024-07-12).")
LangOpt = typer.Option(None, "--lang", metavar="TAG", help="Language as a BCP 47 tag, e.g. en, uk, pt-BR.")
KeepOpt = typer.Option(False, "--keep-boilerplate", help="Keep share lines, teasers and other junk in the body.")
FromOpt = typer.Option(None, "--from", metavar="text|html",
                       help="Read inputs as plain text or as saved web pages (default: by extension, else by content).")
InputsArg = typer.Argument(..., metavar="INPUT", show_default=False,
                           help="Text files, directories, globs or manifest .toml files; '-' reads stdin.")
def _complete_format(incomplete: str) -> list[str]:
    """Shell completion for -f: the registered writers and `all`."""
    from .writers import writer_names

    head, _, last = incomplete.rpartition(",")
    prefix = f"{head}," if head else ""
    return [prefix + name for name in [*writer_names(), "all"] if name.startswith(last)]


def _complete_style(incomplete: str) -> list[str]:
    from .style import style_descriptions

    return [name for name in style_descriptions() if name.startswith(incomplete)]


FormatOpt = typer.Option([], "--format", "-f", metavar="FORMAT", autocompletion=_complete_format,
                         help="pdf, docx, epub, json… or all; repeatable or comma-separated (-f pdf,docx).")
OutputOpt = typer.Option(None, "--output", "-o", metavar="PATH",
                         help="Output file, directory (existing, or ending in '/'), or '-' for stdout.")
SetOpt = typer.Option([], "--set", metavar="KEY=VALUE", help="Style override key.path=VALUE (VALUE is TOML).")
StyleOpt = typer.Option(None, "--style", metavar="NAME|FILE", autocompletion=_complete_style, help="Style name or .toml file.")
ClusterOpt = typer.Option(None, "--cluster", metavar="ADDRESS",
                          help="Run on a Dask scheduler (tcp://host:8786) or local[:N] worker processes; "
                               "needs the [cluster] extra.")
MarkingOpt = typer.Option(None, "--marking", metavar="TEXT", help="Marking line on every page, e.g. OFFICIAL (overrides the style's).")


def _read_stdin() -> bytes:
    """Standard input's bytes, read no further than one byte past the input cap (the API then
    refuses it in one line, without holding a huge input in memory first)."""
    from .api import MAX_INPUT_BYTES

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("-: standard input is closed")
    try:
        return stream.read(MAX_INPUT_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise InputError(f"-: cannot read standard input: {getattr(exc, 'strerror', None) or exc}") from None


# ------------------------------------------------------------------------------------- commands
@app.command("export")
def export_command(
    inputs: List[str] = InputsArg,
    formats: List[str] = FormatOpt,
    out: Optional[str] = OutputOpt,
    style: Optional[str] = StyleOpt,
    sets: List[str] = SetOpt,
    marking: Optional[str] = MarkingOpt,
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Worker processes for many inputs (at most the CPUs)."),
    fail_fast: bool = typer.Option(False, "--fail-fast", help="Stop at the first failing input."),
    cluster: Optional[str] = ClusterOpt,
    retry_failed: bool = typer.Option(False, "--retry-failed", help="With --cluster: redo only the inputs the run ledger records as failed."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No warnings or progress."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Say what is written."),
    keep_boilerplate: bool = KeepOpt,
    input_format: Optional[str] = FromOpt,
    title: Optional[str] = TitleOpt, subtitle: Optional[str] = SubtitleOpt, byline: Optional[str] = BylineOpt,
    source: Optional[str] = SourceOpt, site: Optional[str] = SiteOpt, url: Optional[str] = UrlOpt,
    date: Optional[str] = DateOpt, lang: Optional[str] = LangOpt,
) -> None:
    """Export articles to PDF, DOCX, EPUB, HTML or the AST JSON."""
    from .api import normalise_meta
    from .collect import collect_inputs

    console = Console(quiet, verbose)
    _check_input_format(input_format)
    meta = normalise_meta(_meta_options(title, subtitle, byline, source, site, url, date, lang), console.warning)
    if cluster is not None:
        if input_format is not None:
            raise UsageError("--from: not available with --cluster (inputs are recognised by extension and content)")
        if meta:
            raise UsageError("--cluster: metadata flags (--title, …) apply to a single input; leave them out")
        _export_on_cluster(inputs, formats, out, style, sets, marking, keep_boilerplate, cluster, retry_failed, console)
        return
    if retry_failed:
        raise UsageError("--retry-failed: works with the run ledger of a --cluster run")
    collected = collect_inputs(inputs)
    items = collected.items
    if meta and len(items) > 1:
        raise UsageError("metadata flags (--title, --source, …) apply to a single input; give one INPUT")
    build_time = build_time_from_env()
    loaded_style = _check_style(style, sets, formats)
    jobs = _cap_jobs(jobs, len(items), console)

    stdin_bytes = _read_stdin() if any(item.path == STDIN for item in items) else None
    stdin_article, stdin_warnings = (_read_stdin_article(stdin_bytes, meta, keep_boilerplate, input_format)
                                     if stdin_bytes is not None else (None, ()))
    stdin_title = stdin_article.meta.title if stdin_article is not None and out != "-" else None
    plan = plan_outputs([item.path for item in items], formats, out, stdin_title=stdin_title)
    requests = [
        ExportRequest(source=item.path, targets=targets, style=style, style_overrides=tuple(sets),
                      meta={**item.meta, **meta}, keep_boilerplate=keep_boilerplate, build_time=build_time,
                      marking=marking, stdin_bytes=stdin_bytes if item.path == STDIN else None,
                      loaded_style=loaded_style, input_format=input_format,
                      stdin_article=stdin_article if item.path == STDIN else None,
                      stdin_warnings=stdin_warnings if item.path == STDIN else ())
        for item, targets in zip(items, plan.targets)
    ]
    failures = 0
    for done, result in enumerate(_run_all(requests, jobs, fail_fast), 1):
        for message in result.warnings:
            console.warning(message)
        if result.error:
            failures += 1
            console.error(result.error)
            if result.exit_code == 2:
                raise typer.Exit(2)
        for path in result.written:
            console.info(f"wrote {path}")
        if result.stdout_bytes is not None:
            write_stdout(result.stdout_bytes)
        console.progress(done, len(requests), result.source)
        if result.error and fail_fast:
            break
    if failures:
        raise typer.Exit(1)


def _export_on_cluster(inputs, formats, out, style, sets, marking, keep_boilerplate, cluster, retry_failed,
                       console: Console) -> None:
    """``export --cluster``: the archive runner, with a ledger next to the outputs."""
    from .archive import export_archive
    from .batch import DEFAULT_FORMAT, expand_formats
    from .storage import expand_inputs

    require_extra("dask.distributed", "cluster", "--cluster")
    if out is None or out == "-":
        raise UsageError("--cluster: give the output directory or URL with -o (the run ledger is kept there)")
    if not out.endswith("/") and "://" not in out and os.path.exists(out) and not os.path.isdir(out):
        raise UsageError(f"-o {out}: --cluster writes many files; give a directory")
    names = expand_inputs(inputs)
    summary = export_archive(
        names, expand_formats(formats) or [DEFAULT_FORMAT], out.rstrip("/") or out, style=style, style_overrides=sets,
        build_time=build_time_from_env(), marking=marking, keep_boilerplate=keep_boilerplate,
        retry_failed=retry_failed, cluster=cluster, progress=_archive_progress(console),
        on_failure=lambda outcome: console.error(outcome.error or outcome.input))
    rate = (summary.ok + summary.failed) / summary.seconds if summary.seconds > 0 else 0.0
    earlier = ""
    if summary.failed_before:
        what = "a failure" if summary.failed_before == 1 else "failures"
        earlier = f", {summary.failed_before} of them {what} recorded earlier: --retry-failed retries them"
    why = "not recorded as failed" if retry_failed else f"done and unchanged{earlier}"
    console.note(f"{summary.total} inputs: {summary.ok} exported, {summary.failed} failed, {summary.skipped} "
                 f"skipped ({why}) in {summary.seconds:.1f} s ({rate:.1f}/s); ledger: {summary.ledger}")
    if summary.failed or summary.failed_before:      # the same command gives the same exit code again
        raise typer.Exit(1)


def _archive_progress(console: Console):
    def show(done: int, total: int, ok: int, failed: int, skipped: int, seconds: float) -> None:
        rate = (ok + failed) / seconds if seconds > 0 else 0.0
        console.progress(done, total, f"ok {ok} failed {failed} skipped {skipped} {rate:.1f}/s")
    return show


def _cap_jobs(jobs: int, inputs: int, console: Console) -> int:
    """More workers than CPUs only add start-up and memory: cap, with a note."""
    cpus = os.cpu_count() or 1
    if jobs > cpus:
        console.warning(f"--jobs {jobs}: using {cpus}, the number of CPUs")
        jobs = cpus
    return max(1, min(jobs, inputs))


def _check_style(style: str | None, sets: list[str], formats: list[str]) -> "Style | None":
    """Load the style once up front, so a bad style is a usage error before any work; the
    exports reuse it.  None when no chosen format uses a style."""
    from .batch import expand_formats
    from .writers import get_writer

    if formats and not any(get_writer(f).uses_style for f in expand_formats(formats)):
        return None
    from .style import load_style

    return load_style(style, sets)


def _check_input_format(input_format: str | None) -> None:
    from .reader.html.sniff import INPUT_FORMATS

    if input_format is not None and input_format not in INPUT_FORMATS:
        raise UsageError(f"--from {input_format}: expected one of {', '.join(INPUT_FORMATS)}")


def _read_stdin_article(data: bytes, meta: dict, keep_boilerplate: bool,
                        input_format: str | None = None) -> tuple["Article | None", tuple[str, ...]]:
    """stdin's article and its reading warnings, read once: its title names the outputs and the
    export renders it.  A bad stdin gives (None, ()) and is reported by the export itself."""
    from .api import read

    warnings: list[str] = []
    try:
        article = read(data, keep_boilerplate=keep_boilerplate, source_name="<stdin>", input_format=input_format,
                       warn=warnings.append, **meta)
    except ExporterError:
        return None, ()
    return article, tuple(warnings)


def _run_all(requests: list[ExportRequest], jobs: int, fail_fast: bool) -> Iterable[ExportResult]:
    """Results in input order, whether run here or in worker processes."""
    if jobs <= 1 or len(requests) <= 1:
        for request in requests:
            yield run_export(request)
        return
    # Imported here: the process pool costs every single-input run ~5 ms of start-up otherwise.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(requests))) as pool:
        # A loaded Style holds read-only mappings, which do not pickle: workers load their own.
        futures = [pool.submit(run_export, replace(request, loaded_style=None)) for request in requests]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


@app.command("inspect")
def inspect_command(
    input: str = typer.Argument(..., metavar="INPUT", show_default=False, help="An article file; '-' reads stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print the AST JSON (the bytes `export -f json -o -` writes)."),
    keep_boilerplate: bool = KeepOpt,
    input_format: Optional[str] = FromOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No warnings."),
    title: Optional[str] = TitleOpt, subtitle: Optional[str] = SubtitleOpt, byline: Optional[str] = BylineOpt,
    source: Optional[str] = SourceOpt, site: Optional[str] = SiteOpt, url: Optional[str] = UrlOpt,
    date: Optional[str] = DateOpt, lang: Optional[str] = LangOpt,
) -> None:
    """Show what the reader made of an article: metadata, blocks, quotes and speakers, dropped lines."""
    from .api import normalise_meta, read
    from .collect import collect_inputs
    from .inspect import describe

    console = Console(quiet)
    _check_input_format(input_format)
    meta = normalise_meta(_meta_options(title, subtitle, byline, source, site, url, date, lang), console.warning)
    items = collect_inputs([input]).items
    if len(items) != 1:
        raise UsageError(f"inspect {input}: names {len(items)} articles; inspect takes one")
    (item,) = items
    source_arg: object = _read_stdin() if item.path == STDIN else Path(item.path)
    article = read(source_arg, keep_boilerplate=keep_boilerplate, warn=console.warning,
                   source_name="<stdin>" if item.path == STDIN else item.path, input_format=input_format,
                   **{**item.meta, **meta})
    output = article.to_json() if as_json else describe(article)
    write_stdout(output.encode("utf-8"))


@app.command("briefing")
def briefing_command(
    inputs: List[str] = InputsArg,
    formats: List[str] = FormatOpt,
    out: Optional[str] = OutputOpt,
    title: Optional[str] = typer.Option(None, "--title", metavar="TEXT", help="The briefing's title."),
    subtitle: Optional[str] = typer.Option(None, "--subtitle", metavar="TEXT", help="The briefing's subtitle."),
    date: Optional[str] = typer.Option(None, "--date", metavar="DATE", help="The briefing's date, ISO 8601 (default: the build date)."),
    prepared_for: Optional[str] = typer.Option(None, "--prepared-for", metavar="TEXT", help="Who the briefing is for."),
    marking: Optional[str] = typer.Option(None, "--marking", metavar="TEXT", help="Marking on every page, e.g. OFFICIAL-SENSITIVE."),
    style: str = typer.Option("briefing", "--style", metavar="NAME|FILE", help="Style name or .toml file."),
    sets: List[str] = SetOpt,
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Leave out inputs that cannot be read (noted on the cover)."),
    keep_boilerplate: bool = KeepOpt,
    input_format: Optional[str] = FromOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No warnings or progress."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Say what is read and written."),
) -> None:
    """Combine many articles into one briefing: cover, contents, key quotes, then the articles."""
    from .api import briefing, read, render, render_bytes
    from .batch import plan_outputs
    from .caller_meta import check_date, clean_text
    from .collect import collect_inputs
    from .links import warn_once
    from .output import ensure_parent, refuse_inputs
    from .style import load_style
    from .writers import get_writer

    console = Console(quiet, verbose)
    _check_input_format(input_format)
    build_time = build_time_from_env()
    collected = collect_inputs(inputs)
    manifest = collected.briefing_meta

    def cover_text(flag: str | None, key: str) -> str | None:
        value = flag if flag is not None else manifest.get(key)
        return clean_text(str(value), f"--{key.replace('_', '-')}", console.warning) or None if value is not None else None

    cover = {
        "title": cover_text(title, "title") or "Briefing",
        "subtitle": cover_text(subtitle, "subtitle"),
        "date": check_date(cover_text(date, "date") or build_time.date().isoformat(), "--date"),
        "prepared_for": cover_text(prepared_for, "prepared_for"),
        "marking": cover_text(marking, "marking"),
    }
    plan = plan_outputs([STDIN], formats, out, stdin_title=str(cover["title"]))
    targets = plan.targets[0]
    loaded_style = load_style(style, sets) if any(get_writer(t.format).uses_style for t in targets) else None
    input_paths = [item.path for item in collected.items if item.path != STDIN]
    for target in targets:
        if target.path is not None:
            refuse_inputs(target.path, input_paths)

    articles, notes = [], []
    stdin_data = _read_stdin() if any(item.path == STDIN for item in collected.items) else None
    for done, item in enumerate(collected.items, 1):
        name = "<stdin>" if item.path == STDIN else item.path
        try:
            source: bytes | Path = (stdin_data or b"") if item.path == STDIN else Path(item.path)
            articles.append(read(source, keep_boilerplate=keep_boilerplate, warn=console.warning,
                                 source_name=name, input_format=input_format, **item.meta))
            console.info(f"read {name}")
        except ExporterError as exc:
            if not skip_bad:
                raise
            console.warning(f"left out: {exc}")
            notes.append(f"Left out: {exc}")
        console.progress(done, len(collected.items), name)
    if not articles:
        raise ExporterError("briefing: no article could be read")
    document = briefing(articles, notes=notes, warn=console.warning, **cover)
    # one callback for every format: each writer presents the briefing and would repeat its warnings
    render_args = dict(build_time=build_time, marking=cover["marking"], warn=warn_once(console.warning))
    for target in targets:
        if target.path is None:
            write_stdout(render_bytes(document, target.format, loaded_style, **render_args))
            continue
        ensure_parent(target.path)
        render(document, target.format, target.path, loaded_style, **render_args)
        console.info(f"wrote {target.path}")


@app.command("table")
def table_command(
    inputs: List[str] = InputsArg,
    out: str = typer.Option(..., "--output", "-o", metavar="PATH",
                            help="A .parquet file, or a directory (ending in '/') for one part file per chunk; a path or URL."),
    what: str = typer.Option("quotes", "--what", metavar="quotes|articles",
                             help="One row per quote (default) or one row per article."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Worker processes (at most the CPUs)."),
    cluster: Optional[str] = ClusterOpt,
    keep_boilerplate: bool = KeepOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No warnings, progress or summary."),
) -> None:
    """Write the reader's findings as a Parquet table: quotes with their speakers, or articles."""
    from .archive import table_archive
    from .storage import expand_inputs

    require_extra("pyarrow", "cluster", "exporter table")
    if cluster is not None:
        require_extra("dask.distributed", "cluster", "--cluster")
    console = Console(quiet)
    names = expand_inputs(inputs)
    jobs = _cap_jobs(jobs, len(names), console) if cluster is None else 1
    summary = table_archive(names, what, out, keep_boilerplate=keep_boilerplate, cluster=cluster, jobs=jobs,
                            progress=_archive_progress(console),
                            on_failure=lambda outcome: console.error(outcome.error or outcome.input))
    console.note(f"{summary.total} inputs: {summary.ok} read, {summary.failed} failed in {summary.seconds:.1f} s; "
                 f"{what} written to {out}")
    if summary.failed:
        raise typer.Exit(1)


@app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", metavar="HOST", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(8765, "--port", metavar="PORT", min=0, max=65535, help="Port to listen on (0: any free port)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the page in the default browser."),
    max_upload_mb: float = typer.Option(8.0, "--max-upload-mb", metavar="MB", min=0.001, help="Largest upload, per file."),
    max_files: int = typer.Option(50, "--max-files", metavar="N", min=1, help="Most files in one upload."),
) -> None:
    """Start the local web page: paste or drop articles, check and correct them, download."""
    server = require_extra("exporter.web", "web", "exporter serve")
    server.serve(host=host, port=port, open_browser=open_browser,
                 max_upload_bytes=int(max_upload_mb * 1024 * 1024), max_files=max_files)


@app.command("formats")
def formats_command() -> None:
    """List the registered writers."""
    from .writers import get_writer, writer_names

    broken = []
    for name in writer_names():
        try:
            writer = get_writer(name)
        except UsageError as exc:   # a plug-in that fails to load is named; the others still list
            broken.append(str(exc))
            continue
        print(f"{name:<6} .{writer.extension:<5} {writer.media_type}")
    for message in broken:
        print(f"exporter: warning: {_one_line(message)}", file=sys.stderr)


@styles_app.callback()
def styles_list(ctx: typer.Context) -> None:
    """List the built-in styles."""
    if ctx.invoked_subcommand is None:
        from .style import style_descriptions

        for name, description in style_descriptions().items():
            print(f"{name:<10} {description}".rstrip())


@styles_app.command("show")
def styles_show(
    name: str = typer.Argument(..., metavar="NAME|FILE", show_default=False, help="Style name or .toml file."),
    sets: List[str] = SetOpt,
) -> None:
    """Print the fully resolved style as TOML."""
    from .style import load_style, style_to_toml

    sys.stdout.write(style_to_toml(load_style(name, sets)))


def _version_callback(value: bool) -> None:
    if value:
        print(f"exporter {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    pass


# ----------------------------------------------------------------------------------- entry point
def _freeze_start_up_objects() -> None:
    """Move everything start-up built (modules, classes, the CLI's command tree) out of the cyclic
    collector's reach.  Those objects live as long as the process, and every full collection would
    scan them again and find nothing.  The collector stays on, so a briefing of many articles has
    its garbage collected as it goes; the frozen objects are freed at exit like any others.  Done
    only when the command owns the process (``main()`` without ``argv``): an in-process caller's
    collector is left as it was."""
    gc.freeze()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: run the app and turn every failure into one line and an exit code.

    With ``argv`` None the command line is the process's own: its start-up objects are frozen
    (see :func:`_freeze_start_up_objects`).  An in-process caller passing ``argv`` keeps its
    collector exactly as it was."""
    command = _build_command()
    if argv is None:
        _freeze_start_up_objects()
    try:
        code = command.main(args=argv, prog_name="exporter", standalone_mode=False)
    except ExporterError as exc:
        print(f"exporter: error: {_one_line(str(exc))}", file=sys.stderr)
        code = exc.exit_code
    except KeyboardInterrupt:
        print("exporter: error: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        code = 1
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            # A bare `exporter`: the whole help, as `exporter --help` prints it, not squashed
            print(exc.format_message().rstrip())
            code = 0
        elif _is_click_error(exc):
            # Typer's (possibly vendored) click: UsageError and friends carry their own exit code
            print(f"exporter: error: {_one_line(exc.format_message())}", file=sys.stderr)
            code = exc.exit_code if isinstance(exc.exit_code, int) else 2
        elif type(exc).__name__ == "Abort":
            print("exporter: error: aborted", file=sys.stderr)
            code = 130
        else:  # a bug must still be one line, never a traceback
            print(f"exporter: error: internal error: {type(exc).__name__}: {_one_line(str(exc))}", file=sys.stderr)
            code = 1
    sys.exit(code if isinstance(code, int) else 0)


def _build_command():
    """The click command of the app, with arguments' help showing their metavar alone: Typer
    appends the Python type (``INPUT <list[str]>``), which means nothing to a user."""
    command = typer.main.get_command(app)
    pending = [command]
    while pending:
        current = pending.pop()
        for param in getattr(current, "params", ()):
            if getattr(param, "param_type_name", "") == "argument" and hasattr(param, "display_type_rich"):
                param.display_type_rich = lambda ctx: None
        pending.extend(getattr(current, "commands", {}).values())
    return command


def _is_click_error(exc: Exception) -> bool:
    """Typer ships click vendored in recent versions and depends on it in older ones: recognise
    its exceptions by their interface rather than by one module's class."""
    return callable(getattr(exc, "format_message", None)) and hasattr(exc, "exit_code")
