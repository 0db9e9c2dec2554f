"""The EPUB writer: epubcheck-clean packages (one JVM for the whole batch), read-back of text,
metadata and CSS against the style, the presented reading sequence, hostile text, determinism
and import isolation.  What the pages say (headline policy, labels, speakers, typography) is the
presentation layer's, tested in test_presentation*.py; here the package must show exactly that."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

from exporter.ast import (
    Article, BlockQuote, Break, Dropped, Emphasis, Heading, Link, ListBlock, Meta, Paragraph, Quote,
    RelatedItem, Rule, Strong, Text, UnknownNodeError, inline_text, iter_inline_runs,
)
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
from exporter.presentation import model as pm
from exporter.presentation import present
from exporter.presentation.policy import language_tag
from exporter.presentation.reading import reading_sequence
from exporter.writers.epub import EpubWriter
from exporter.writers.epub.package import w3c_date

import support
from sequences import normalised, reading_sequence_of

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/"}

HOSTILE = ('<script>alert("x")</script> &amp; <font name="Evil"> <img src="/etc/passwd"> '
           "]]> <!-- c --> &#0; \\ ' \"")


# ------------------------------------------------------------------------------------ articles
def P(*parts) -> Paragraph:
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts))


def hostile_article() -> Article:
    return Article(
        meta=Meta(title="Talks <script>alert(1)</script> & “more”", subtitle="A <b>standfirst</b> &amp;",
                  byline="Jane <Doe>", source="ABC & Co", url="https://example.com/a?b=1&c=<2>",
                  date="2025-05-18", language="en", tags=("x",)),
        body=(
            P("Trump said ", Quote("speech", "Marco <Rubio> & \"co\"", (Text("“I think, ‘Are they tapping us along?’”"),)),
              " on Sunday."),
            Heading(2, (Text("‘Are they tapping us along?’ <h1>"),)),
            P(HOSTILE, " ", Emphasis((Text("em"),)), " ", Strong((Text("strong "), Emphasis((Text("both"),)))),
              " ", Link("javascript:alert(1)", (Text("js link"),)), " ",
              Link("https://example.org/path with space", (Text("spaced link"),)), " ",
              Link("https://example.org/ok?q=1&r=2#frag", (Text("good link"),)), Break(), "after break"),
            P("RTL: שלום עולם مرحبا بالعالم. CJK: 北京欢迎你。 Emoji: 😀👍🏽. Greek: Καλημέρα. Cyrillic: Привет, їжак. ",
              "Pneumonoultramicroscopicsilicovolcanoconiosis" * 12),
            P("Long paragraph. " * 400),
            BlockQuote((P("Quoted ", Quote("title", None, (Text("“Face the Nation”"),))), BlockQuote((P("deeper"),)))),
            ListBlock(False, ((P("one"),), (P("two"), ListBlock(True, ((P("nested a"),), (P("nested b"),)))), ())),
            Rule(),
            Heading(1, (Text("Level one"),)), Heading(3, (Text(""),)),
            P("Ends with a ", Quote("term", None, (Text("‘bloodbath’"),)), "."),
        ),
        related=(RelatedItem("Other <story>", "summary & more"), RelatedItem("No summary")),
        dropped=(Dropped(1, "Share this <b>", "share-widget"),),
    )


def sample_article() -> Article:
    """The sample through the reader when it is there, else by hand from its lines."""
    try:
        from exporter import read
        return read(support.SAMPLE)
    except ImportError:
        pass
    lines = [ln.strip() for ln in support.SAMPLE.read_text("utf-8").splitlines() if ln.strip()]
    body = tuple(Heading(2, (Text(ln),)) if ln.startswith("‘") and ln.endswith("’") else P(ln) for ln in lines[1:])
    return Article(meta=Meta(title=lines[1][:80], language="en"), body=body)


def fixture_articles() -> dict[str, Article]:
    """Every fixture: its AST golden (fixtures/<stem>.json, stable whatever the reader does next),
    else the reader's reading of it; and the sample through the live reader."""
    articles = {"sample": sample_article()}
    for path in sorted(support.FIXTURES.glob("*.txt")):
        golden = path.with_suffix(".json")
        if golden.exists():
            articles[f"fixture-{path.stem}"] = Article.from_json(golden.read_text("utf-8"))
            continue
        try:
            from exporter import read
            articles[f"fixture-{path.stem}"] = read(path)
        except ImportError:
            break
    return articles


def style_variant(name: str, **changes):
    style = load_style(name)
    sections = changes.pop("sections", None)
    quotes = changes.pop("quotes", None)
    if sections:
        style = replace(style, sections=replace(style.sections, **sections))
    if quotes:
        style = replace(style, quotes=replace(style.quotes, **quotes))
    return replace(style, **changes) if changes else style


def render(article: Article, style=None, **options) -> bytes:
    out = io.BytesIO()
    options.setdefault("build_time", support.BUILD_TIME)
    options.setdefault("warn", lambda message: None)
    EpubWriter().write(article, style or load_style("default"), out, RenderOptions(**options))
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def xml(data: bytes):
    return etree.fromstring(data)


# ---------------------------------------------------------------------------- epubcheck (batched)
BATCH_CHECK_JAVA = """
import com.adobe.epubcheck.tool.EpubChecker;
public class BatchCheck {
  public static void main(String[] args) throws Exception {
    for (String epub : args) {
      int rc = new EpubChecker().run(new String[]{epub, "-q", "--json", epub + ".json"});
      System.out.println(rc + "\\t" + epub);
    }
  }
}
"""


# BATCH_CHECK_JAVA compiled with `javac --release 8 -cp epubcheck.jar BatchCheck.java` (962 bytes),
# so a JRE without a compiler (CI installs default-jre-headless) still checks in one JVM;
# test_batch_check_class_is_the_source_compiled keeps the two in step where javac exists.
BATCH_CHECK_CLASS_B64 = (
    "yv66vgAAADQAQAoAAgADBwAEDAAFAAYBABBqYXZhL2xhbmcvT2JqZWN0AQAGPGluaXQ+AQADKClWBwAIAQAkY29tL2Fkb2Jl"
    "L2VwdWJjaGVjay90b29sL0VwdWJDaGVja2VyCgAHAAMHAAsBABBqYXZhL2xhbmcvU3RyaW5nCAANAQACLXEIAA8BAAYtLWpz"
    "b24HABEBABdqYXZhL2xhbmcvU3RyaW5nQnVpbGRlcgoAEAADCgAQABQMABUAFgEABmFwcGVuZAEALShMamF2YS9sYW5nL1N0"
    "cmluZzspTGphdmEvbGFuZy9TdHJpbmdCdWlsZGVyOwgAGAEABS5qc29uCgAQABoMABsAHAEACHRvU3RyaW5nAQAUKClMamF2"
    "YS9sYW5nL1N0cmluZzsKAAcAHgwAHwAgAQADcnVuAQAWKFtMamF2YS9sYW5nL1N0cmluZzspSQkAIgAjBwAkDAAlACYBABBq"
    "YXZhL2xhbmcvU3lzdGVtAQADb3V0AQAVTGphdmEvaW8vUHJpbnRTdHJlYW07CgAQACgMABUAKQEAHChJKUxqYXZhL2xhbmcv"
    "U3RyaW5nQnVpbGRlcjsIACsBAAEJCgAtAC4HAC8MADAAMQEAE2phdmEvaW8vUHJpbnRTdHJlYW0BAAdwcmludGxuAQAVKExq"
    "YXZhL2xhbmcvU3RyaW5nOylWBwAzAQAKQmF0Y2hDaGVjawEABENvZGUBAA9MaW5lTnVtYmVyVGFibGUBAARtYWluAQAWKFtM"
    "amF2YS9sYW5nL1N0cmluZzspVgEADVN0YWNrTWFwVGFibGUHADoBABNbTGphdmEvbGFuZy9TdHJpbmc7AQAKRXhjZXB0aW9u"
    "cwcAPQEAE2phdmEvbGFuZy9FeGNlcHRpb24BAApTb3VyY2VGaWxlAQAPQmF0Y2hDaGVjay5qYXZhACEAMgACAAAAAAACAAEA"
    "BQAGAAEANAAAAB0AAQABAAAABSq3AAGxAAAAAQA1AAAABgABAAAAAwAJADYANwACADQAAACoAAYABgAAAG0qTCu+PQM+HRyi"
    "AGMrHTI6BLsAB1m3AAkHvQAKWQMZBFNZBBIMU1kFEg5TWQa7ABBZtwASGQS2ABMSF7YAE7YAGVO2AB02BbIAIbsAEFm3ABIV"
    "BbYAJxIqtgATGQS2ABO2ABm2ACyEAwGn/56xAAAAAgA1AAAAFgAFAAAABQARAAYARwAHAGYABQBsAAkAOAAAAA0AAv4ABwcA"
    "OQEB+ABkADsAAAAEAAEAPAABAD4AAAACAD8="
)


def _epubcheck_jar() -> Path:
    epubcheck = support.require_module("epubcheck")
    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def run_epubcheck(paths: list[Path], workdir: Path) -> dict[str, dict]:
    """epubcheck over every file in one JVM: a tiny class calling EPUBCheck's own command-line
    entry once per file (precompiled above; Java 8+).  Only if that JVM fails to start the checker
    does it fall back to one JVM per file.  Returns file name -> {"errors", "warnings", "messages"}."""
    import base64

    support.require_tool("java", "epubcheck needs Java")
    jar = _epubcheck_jar()
    classes = workdir / "batchcheck-classes"
    classes.mkdir(exist_ok=True)
    (classes / "BatchCheck.class").write_bytes(base64.b64decode("".join(BATCH_CHECK_CLASS_B64)))
    classpath = f"{jar}{os.pathsep}{classes}"
    proc = subprocess.run(["java", "-Duser.language=en", "-cp", classpath, "BatchCheck", *map(str, paths)],
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0 and "BatchCheck" in proc.stderr:      # the class could not run here
        for path in paths:
            subprocess.run(["java", "-Duser.language=en", "-jar", str(jar), str(path), "-q", "--json",
                            f"{path}.json"], capture_output=True, timeout=300)
    results: dict[str, dict] = {}
    for path in paths:
        report_file = Path(f"{path}.json")
        assert report_file.exists(), f"epubcheck wrote no report for {path.name}: {proc.stderr[-2000:]}"
        report = json.loads(report_file.read_text("utf-8"))
        checker = report["checker"]
        messages = [f"{m['severity']} {m['ID']}: {m['message']} @ "
                    + ", ".join(f"{loc.get('path')}:{loc.get('line')}" for loc in m.get("locations", []))
                    for m in report["messages"]]
        results[path.name] = {"errors": checker["nFatal"] + checker["nError"], "warnings": checker["nWarning"],
                              "messages": messages}
    return results


def test_batch_check_class_is_the_source_compiled(tmp_path):
    """The embedded class is BATCH_CHECK_JAVA: same bytecode when this JDK compiles the source."""
    import base64
    import shutil
    javac = shutil.which("javac")
    if javac is None:   # a JRE (CI's default-jre-headless): the class itself runs in the epubcheck batch
        pytest.skip("javac not installed: only a JDK can recompile the batch checker")
    jar = _epubcheck_jar()
    (tmp_path / "BatchCheck.java").write_text(BATCH_CHECK_JAVA, "utf-8")
    subprocess.run([javac, "--release", "8", "-cp", str(jar), "BatchCheck.java"], cwd=tmp_path, check=True,
                   capture_output=True, timeout=120)
    embedded = tmp_path / "embedded"
    embedded.mkdir()
    (embedded / "BatchCheck.class").write_bytes(base64.b64decode("".join(BATCH_CHECK_CLASS_B64)))

    def disassembly(folder: Path) -> str:
        out = subprocess.run(["javap", "-c", "-p", "-cp", f"{folder}{os.pathsep}{jar}", "BatchCheck"],
                             capture_output=True, text=True, check=True, timeout=120).stdout
        return "\n".join(line for line in out.splitlines() if not line.startswith("Compiled from"))

    assert disassembly(tmp_path) == disassembly(embedded)


def generated_articles(count: int) -> list[Article]:
    """Hypothesis-made articles (derandomised, so CI sees the same batch every run)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    hostile_chars = st.sampled_from(list("<>&\"'\x00\x01\x08\x0b\x0c\x1f\x7f\x85\x9f\ufeff\ufffe\uffff\ud800\udfff"
                                         "\u202e\u200f\u0301") + ["\U0001fffe", "😀", "שָׁ", "中", "ß", "İ", "]]>", "--"])
    text = st.lists(st.one_of(st.characters(), st.characters(), hostile_chars), max_size=30).map("".join)
    inline = st.deferred(lambda: st.one_of(
        st.builds(Text, text),
        st.builds(Quote, st.sampled_from(["speech", "title", "term"]), st.one_of(st.none(), text),
                  st.lists(inline, max_size=2).map(tuple)),
        st.builds(Emphasis, st.lists(inline, max_size=2).map(tuple)),
        st.builds(Strong, st.lists(inline, max_size=2).map(tuple)),
        st.builds(Link, st.one_of(text, st.sampled_from(["https://example.com/x", "http://a.b/c d", "ftp://x", "https://[::1]/",
                                                          "https://exa mple.com", "https://%zz.com/%", "mailto:a@b"])),
                  st.lists(inline, max_size=2).map(tuple)),
        st.just(Break()),
    ))
    inlines = st.lists(inline, max_size=4).map(tuple)
    block = st.deferred(lambda: st.one_of(
        st.builds(Paragraph, inlines),
        st.builds(Heading, st.integers(1, 3), inlines),
        st.builds(BlockQuote, st.lists(block, max_size=2).map(tuple)),
        st.builds(ListBlock, st.booleans(), st.lists(st.lists(block, max_size=2).map(tuple), max_size=3).map(tuple)),
        st.just(Rule()),
    ))
    optional = st.one_of(st.none(), text)
    meta = st.builds(Meta, title=optional, subtitle=optional, byline=optional, source=optional, url=optional,
                     date=st.one_of(optional, st.sampled_from(["2025-05-18", "2025-02-30", "2025-05-18T10:00:00Z", "2025-05-18T10:00:00", "2025-05-18 10:00", "1999", "yesterday"])),
                     language=st.one_of(optional, st.sampled_from(["en", "pt_BR", "he", "ar-EG", "zh-Hans-CN", "x-private", "en--", "C.UTF-8"])))
    article = st.builds(Article, meta=meta, body=st.lists(block, max_size=6).map(tuple),
                        related=st.lists(st.builds(RelatedItem, text, optional), max_size=2).map(tuple),
                        dropped=st.lists(st.builds(Dropped, st.integers(1, 99), text, text), max_size=2).map(tuple))
    made: list[Article] = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(article)
    def collect(a: Article) -> None:
        made.append(a)

    collect()
    return made[:count]


GENERATED = 30
GENERATED_EMBEDDED = 5


_BATCH_RESULTS: list[tuple[dict[str, dict], dict[str, object]]] = []


def epubcheck_results(tmp_path_factory) -> tuple[dict[str, dict], dict[str, object]]:
    """Every EPUB the epubcheck tests of this module and test_briefing_epub.py look at, written
    first and checked in one JVM, once per test session whichever module asks first."""
    support.require_tool("java", "epubcheck needs Java")
    support.require_module("epubcheck")
    if not _BATCH_RESULTS:
        _BATCH_RESULTS.append(_check_batch(tmp_path_factory))
    return _BATCH_RESULTS[0]


@pytest.fixture(scope="session")
def epubcheck_batch(tmp_path_factory) -> tuple[dict[str, dict], dict[str, object]]:
    return epubcheck_results(tmp_path_factory)


def _check_batch(tmp_path_factory) -> tuple[dict[str, dict], dict[str, object]]:
    from test_briefing_epub import briefing_cases

    workdir = tmp_path_factory.mktemp("epubcheck")
    cases: dict[str, tuple[object, object, dict]] = {}
    everything = style_variant("default", sections={"related": True, "dropped": True},
                               quotes={"show_speaker": True, "highlight_title": True, "highlight_term": True})
    for name, article in fixture_articles().items():
        cases[f"{name}-default"] = (article, load_style("default"), {})
        cases[f"{name}-ebook"] = (article, load_style("ebook"), {})
        cases[f"{name}-briefing"] = (article, load_style("briefing"), {"marking": "OFFICIAL"})
    cases["hostile-default"] = (hostile_article(), everything, {"marking": "OFFICIAL <&>"})
    cases["hostile-ebook"] = (hostile_article(), style_variant("ebook", sections={"related": True, "dropped": True}), {})
    cases["empty-default"] = (Article(), load_style("default"), {})
    cases["empty-ebook"] = (Article(), load_style("ebook"), {})
    cases["rtl-hebrew"] = (Article(meta=Meta(title="שלום", language="he"), body=(P("שלום עולם, ", Quote("speech", "דוד", (Text("”שלום“"),))),)),
                           load_style("ebook"), {})
    cases["old-build-time"] = (hostile_article(), load_style("default"), {"build_time": datetime(1970, 1, 1, tzinfo=timezone.utc)})
    generated = generated_articles(GENERATED)
    for index, article in enumerate(generated):
        cases[f"generated-{index:03d}"] = (article, everything, {})
    ebook_everything = style_variant("ebook", sections={"related": True, "dropped": True}, quotes={"show_speaker": True})
    for index, article in enumerate(generated[-GENERATED_EMBEDDED:]):     # fonts embedded: subset, fallbacks
        cases[f"generated-ebook-{index:03d}"] = (article, ebook_everything, {})
    cases.update(briefing_cases())                                        # briefings: same JVM run
    articles: dict[str, object] = {}
    paths: list[Path] = []
    for name, (article, style, options) in cases.items():
        path = workdir / f"{name}.epub"
        path.write_bytes(render(article, style, **options))
        paths.append(path)
        articles[path.name] = article
    return run_epubcheck(paths, workdir), articles


@pytest.mark.slow
def test_epubcheck_reports_no_errors_and_no_warnings(epubcheck_batch):
    results, articles = epubcheck_batch
    assert len(results) >= GENERATED + 8
    bad = {name: r["messages"] for name, r in results.items() if r["errors"] or r["warnings"]}
    detail = "\n".join(f"{name}: {msgs}\n  article: {articles[name].to_json()[:1500]}" for name, msgs in sorted(bad.items())[:5])
    assert not bad, f"{len(bad)} EPUB(s) with epubcheck errors/warnings:\n{detail}"


@pytest.mark.slow
def test_epubcheck_batch_catches_a_broken_package(tmp_path):
    """The checker wiring itself can fail: a package with a missing manifest file is reported."""
    good = render(hostile_article())
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            if info.filename != "EPUB/style.css":
                dst.writestr(info, src.read(info.filename))
    path = tmp_path / "broken.epub"
    path.write_bytes(broken.getvalue())
    results = run_epubcheck([path], tmp_path)
    assert results["broken.epub"]["errors"] > 0


# ------------------------------------------------------------------------------- package shape
def test_zip_is_reproducible_mimetype_first_stored_fixed_times():
    data = render(hostile_article(), build_time=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED and infos[0].extra == b""
        assert zf.read("mimetype") == b"application/epub+zip"
        assert {i.date_time for i in infos} == {(2026, 1, 2, 3, 4, 4)}
        assert [i.filename for i in infos] == [
            "mimetype", "META-INF/container.xml", "EPUB/content.opf", "EPUB/style.css",
            "EPUB/article-a01.xhtml", "EPUB/toc.ncx", "EPUB/nav.xhtml"]
    assert data[30:38] == b"mimetype"   # the first local header names mimetype, uncompressed


@pytest.mark.parametrize("style_name", ["default", "ebook"])
def test_same_input_style_and_build_time_give_identical_bytes_across_wall_clocks(style_name):
    style = load_style(style_name)
    first = render(hostile_article(), style)
    time.sleep(2.1)                                     # zip times have a 2 s grain
    second = render(hostile_article(), load_style(style_name))
    assert first == second
    later = render(hostile_article(), style, build_time=datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert later != first                               # the build time does reach the package


def test_identifier_is_stable_and_derived_from_url_or_content():
    def identifier(article):
        return xml(parts(render(article))["EPUB/content.opf"]).findtext(".//dc:identifier", namespaces=NS)
    a = hostile_article()
    assert identifier(a) == identifier(a)
    assert identifier(a) == identifier(replace(a, body=a.body[:1]))          # same URL, same book
    no_url = replace(a, meta=replace(a.meta, url=None))
    assert identifier(no_url) != identifier(replace(no_url, body=no_url.body[:1]))
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier(a))


def test_metadata_read_back():
    files = parts(render(hostile_article(), build_time=datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)))
    opf = xml(files["EPUB/content.opf"])
    md = opf.find("opf:metadata", NS)
    assert md.findtext("dc:title", namespaces=NS) == "Talks <script>alert(1)</script> & “more”"
    assert md.findtext("dc:creator", namespaces=NS) == "Jane <Doe>"
    assert md.findtext("dc:publisher", namespaces=NS) == "ABC & Co"
    assert md.findtext("dc:date", namespaces=NS) == "2025-05-18"
    assert md.findtext("dc:language", namespaces=NS) == "en"
    assert md.findtext("dc:source", namespaces=NS) == "https://example.com/a?b=1&c=<2>"
    props = {}
    for meta in md.findall("opf:meta", NS):
        if meta.get("property"):
            props.setdefault(meta.get("property"), []).append(meta.text)
    assert props["dcterms:modified"] == ["2026-03-04T05:06:07Z"]
    assert props["schema:accessMode"] == ["textual"]
    assert props["schema:accessModeSufficient"] == ["textual"]
    assert "structuralNavigation" in props["schema:accessibilityFeature"]
    assert props["schema:accessibilityHazard"] == ["none"]
    assert props["schema:accessibilitySummary"][0]
    assert opf.find("opf:manifest/opf:item[@properties='nav']", NS) is not None
    assert opf.find("opf:manifest/opf:item[@media-type='application/x-dtbncx+xml']", NS) is not None
    assert [i.get("idref") for i in opf.findall("opf:spine/opf:itemref", NS)] == ["article-a01"]
    assert [s.text for s in md.findall("dc:subject", NS)] == ["x"]              # the article's tags


@pytest.mark.parametrize("given,expected", [
    ("en", "en"), ("pt_BR", "pt-BR"), ("zh-Hans-CN", "zh-Hans-CN"), (None, "und"), ("", "und"),
    ("C.UTF-8", "und"), ("en--", "und"), ("english please", "und"), ("x-private", "x-private"),
])
def test_language_is_a_well_formed_bcp47_tag_never_the_locale(given, expected, monkeypatch):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert language_tag(given) == expected
    files = parts(render(Article(meta=Meta(title="t", language=given), body=(P("x"),))))
    assert xml(files["EPUB/content.opf"]).findtext(".//dc:language", namespaces=NS) == expected
    page = xml(files["EPUB/article-a01.xhtml"])
    assert page.get("lang") == expected == page.get("{http://www.w3.org/XML/1998/namespace}lang")


def test_only_valid_w3c_dates_become_dc_date():
    assert w3c_date("2025-05-18") == "2025-05-18"
    assert w3c_date("2025-05-18T10:00:00Z") == "2025-05-18T10:00:00Z"
    assert w3c_date("2025-05-18T10:00:00") == "2025-05-18"          # no zone: the date part
    assert w3c_date("2025-05-18 10:00") == "2025-05-18"
    assert w3c_date("2025-02-30") is None
    assert w3c_date("yesterday") is None and w3c_date(None) is None


def test_rtl_language_sets_direction():
    files = parts(render(Article(meta=Meta(title="שלום", language="he"), body=(P("שלום"),))))
    assert xml(files["EPUB/article-a01.xhtml"]).get("dir") == "rtl"
    spine = xml(files["EPUB/content.opf"]).find("opf:spine", NS)
    assert spine.get("page-progression-direction") == "rtl"


# ------------------------------------------------------------------------------- XHTML read-back
CHAPTER = "EPUB/article-a01.xhtml"       # a lone article's chapter (its presented id is a01)


def page_text(element) -> str:
    return "".join(element.itertext())


def shown_text(element, skip_labels: bool = True) -> str:
    """An element's text; the speaker labels the presentation layer added left out when asked."""
    parts = [element.text or ""]
    for child in element:
        if not (skip_labels and "speaker-label" in (child.get("class") or "").split()):
            parts.append(shown_text(child, skip_labels))
        parts.append(child.tail or "")
    return "".join(parts)


def words(text: str) -> list[str]:
    return text.split()


def plain_style(name: str = "default", **quotes):
    """A style that keeps the source's marks (typography is the layer's, tested there), so the
    text read back can be compared with the AST character for character."""
    return style_variant(name, quotes={"typographic_marks": False, **quotes})


def test_every_body_word_arrives_in_order_and_hostile_text_stays_text():
    article = hostile_article()
    files = parts(render(article, plain_style()))
    page = xml(files[CHAPTER])
    assert page.find(f".//{XHTML}script") is None and page.find(f".//{XHTML}img") is None
    assert page.find(f".//{XHTML}font") is None
    header = page.find(f".//{XHTML}header")
    body_article = page.find(f".//{XHTML}article")
    body_article.remove(header)
    expected = " ".join(inline_text(content) for _, content in iter_inline_runs(article.body))
    assert words(shown_text(body_article)) == words(expected)
    assert HOSTILE in shown_text(body_article)
    assert page_text(header.find(f"{XHTML}h1")) == article.meta.title
    # the meta line as the presentation layer writes it: source · byline · date for a reader
    assert page_text(header.find(f"{XHTML}p[@class='meta-line']")) == "ABC & Co · Jane <Doe> · 18 May 2025"


# the hostile quote's speaker as the presentation layer shows it: its straight marks curled
SPEAKER = "Marco <Rubio> & “co”"


def test_semantic_elements_carry_their_keys():
    style = style_variant("default", sections={"related": True, "dropped": True}, quotes={"show_speaker": True})
    files = parts(render(hostile_article(), style, marking="OFFICIAL"))
    page = xml(files[CHAPTER])
    classes = [(el.tag.replace(XHTML, ""), el.get("class")) for el in page.iter() if el.get("class")]
    assert classes[:7] == [("p", "header"), ("h1", "title"), ("p", "subtitle"), ("p", "meta-line"),
                           ("p", "lede"), ("q", "quote-speech"), ("span", "speaker-label")]
    # an article's headings sit below its title (h1): heading-N is h(N+1)
    assert ("h3", "heading-2") in classes and ("h2", "heading-1") in classes and ("h4", "heading-3") in classes
    assert ("p", "blockquote") in classes and ("p", "list") in classes and ("q", "quote-title") in classes
    assert ("q", "quote-term") in classes and ("p", "body") in classes
    assert ("h2", "related-heading") in classes and ("li", "related-item") in classes
    assert ("h2", "dropped-heading") in classes and ("li", "dropped-item") in classes
    assert classes[-1] == ("p", "footer")
    speech = page.find(f".//{XHTML}q[@class='quote-speech']")
    assert speech.get("title") == SPEAKER          # the tooltip: an extra the style asks for
    assert page_text(page.find(f".//{XHTML}span[@class='speaker-label']")) == f"[{SPEAKER}]"
    assert page_text(page.find(f".//{XHTML}p[@class='header']")) == "OFFICIAL"


def test_speakers_are_visible_on_the_page_and_the_tooltip_is_only_an_extra():
    page = xml(parts(render(hostile_article()))[CHAPTER])
    speech = page.find(f".//{XHTML}q[@class='quote-speech']")
    assert speech.get("title") is None and speech.get("data-speaker") is None
    label = speech.getnext()
    assert label.get("class") == "speaker-label" and page_text(label) == f"[{SPEAKER}]"
    assert label.getprevious().tail is None or not label.getprevious().tail.strip()


@pytest.mark.parametrize("display", ["none", "margin", "endnote"])
def test_every_speaker_display_is_drawn_as_the_style_asks(display):
    style = style_variant("default", quotes={"speaker_display": display})
    page = xml(parts(render(hostile_article(), style))[CHAPTER])
    labels = [el for el in page.iter() if "speaker-label" in (el.get("class") or "").split()]
    if display == "none":
        assert labels == []
        return
    assert len(labels) == 1
    if display == "margin":                        # beside the line, before the quote it names
        assert labels[0].get("class") == "speaker-label speaker-note" and labels[0].getnext().tag == f"{XHTML}q"
        assert page_text(labels[0]) == SPEAKER
    else:                                          # a number linking to the list at the article's end, and back
        link = labels[0].find(f"{XHTML}a")
        note = next(el for el in page.iter() if el.get("id") == link.get("href")[1:])
        assert page_text(link) == "1" and page_text(note).startswith(SPEAKER)
        assert note.find(f"{XHTML}a").get("href") == f"#{link.get('id')}"


def test_links_only_for_http_urls_and_always_well_formed():
    page = xml(parts(render(hostile_article()))[CHAPTER])
    hrefs = [a.get("href") for a in page.iter(f"{XHTML}a")]
    # the policy itself (exporter.links) is tested in test_writer_links.py, the same for every format
    assert hrefs == ["https://example.org/path%20with%20space", "https://example.org/ok?q=1&r=2#frag"]
    assert "js link" in page_text(page) and "spaced link" in page_text(page)


def test_xml_invalid_characters_never_reach_the_package():
    bad = "a\x00b\x0bc\x1fd\x7fe\x85f\ufffeg\uffffh\ud800i\ufdd0j"
    article = Article(meta=Meta(title=bad, byline=bad, source=bad, url=bad), body=(P(bad, Quote("speech", bad, (Text(bad),))),))
    files = parts(render(article, load_style("ebook")))
    for name, data in files.items():
        if name.endswith((".xhtml", ".opf", ".ncx", ".css")):
            text = data.decode("utf-8")
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]", text), name
            if not name.endswith(".css"):
                etree.fromstring(data)                   # well-formed XML
    assert "abcdefghij" in page_text(xml(files[CHAPTER]))


def test_empty_article_gives_a_complete_package():
    files = parts(render(Article()))
    assert xml(files["EPUB/content.opf"]).findtext(".//dc:title", namespaces=NS) == "Untitled"
    page = xml(files[CHAPTER])
    assert page.find(f".//{XHTML}article") is not None and page.find(f".//{XHTML}h1") is None
    assert [page_text(a) for a in xml(files["EPUB/nav.xhtml"]).iter(f"{XHTML}a")][0] == "Untitled"


def test_unknown_nodes_are_refused_and_nothing_is_written():
    class Alien:
        pass
    out = io.BytesIO()
    with pytest.raises(UnknownNodeError):
        EpubWriter().write(Article(body=(Alien(),)), load_style("default"), out, RenderOptions())
    with pytest.raises(UnknownNodeError):
        EpubWriter().write(Article(body=(Paragraph((Alien(),)),)), load_style("default"), out, RenderOptions())
    with pytest.raises(UnknownNodeError):
        EpubWriter().write({"articles": []}, load_style("default"), out, RenderOptions())
    assert out.getvalue() == b""


@pytest.mark.parametrize("where", ["part", "block", "run"])
def test_unknown_presented_parts_are_refused(where):
    from exporter.writers.epub import render_epub

    class Alien:
        pass
    doc = present(hostile_article(), load_style("default"))
    article = doc.parts[0]
    if where == "part":
        doc = doc._replace(parts=(*doc.parts, Alien()))
    elif where == "block":
        doc = doc._replace(parts=(article._replace(blocks=(*article.blocks, Alien())),))
    else:
        doc = doc._replace(parts=(article._replace(blocks=(pm.TextBlock("body", (Alien(),)),)),))
    with pytest.raises(pm.UnknownPartError):
        render_epub(doc, load_style("default"), RenderOptions(build_time=support.BUILD_TIME))


def test_navigation_lists_headings():
    files = parts(render(hostile_article()))
    nav = xml(files["EPUB/nav.xhtml"])
    EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "toc")
    links = [(a.get("href"), page_text(a)) for a in toc.iter(f"{XHTML}a")]
    landmarks = next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "landmarks")
    assert [(a.get(EPUB_TYPE), a.get("href")) for a in landmarks.iter(f"{XHTML}a")] == [
        ("bodymatter", "article-a01.xhtml")]
    assert links[0] == ("article-a01.xhtml", "Talks <script>alert(1)</script> & “more”")
    assert ("article-a01.xhtml#a01-h1", "‘Are they tapping us along?’ <h1>") in links
    assert ("article-a01.xhtml#a01-h2", "Level one") in links
    page = xml(files[CHAPTER])
    for href, _ in links[1:]:                            # every entry lands on an element of the chapter
        assert [el for el in page.iter() if el.get("id") == href.partition("#")[2]]
    assert all(text for _, text in links)                # the empty heading is left out of the TOC
    ncx = xml(files["EPUB/toc.ncx"])
    assert len(ncx.findall(".//{http://www.daisy.org/z3986/2005/ncx/}navPoint")) == len(links)


# ------------------------------------------------------------------------------------- CSS
def css_rules(css: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = dict(tuple(x.strip() for x in d.split(":", 1)) for d in body.split(";") if ":" in d)
        rules.setdefault(selector.strip(), {}).update(decls) if selector.strip() != "@font-face" else \
            rules.setdefault(f"@font-face {decls['src']}", decls)
    return rules


@pytest.mark.parametrize("style_name", ["default", "ebook", "briefing"])
def test_css_matches_the_style(style_name):
    from exporter.style.model import BLOCK_ELEMENTS
    style = load_style(style_name)
    rules = css_rules(parts(render(hostile_article(), style))["EPUB/style.css"].decode())
    body = style.block("body").size
    assert rules[".body"]["font-size"] == "1em"
    for key in BLOCK_ELEMENTS:
        element = style.block(key)
        rule = rules[f".{key}"]
        assert float(rule["font-size"].removesuffix("em")) * body == pytest.approx(element.size, abs=0.01), key
        assert rule["color"] == element.color, key
        assert rule["font-weight"] == ("bold" if element.bold else "normal"), key
        assert rule["font-style"] == ("italic" if element.italic else "normal"), key
        assert rule["font-family"].startswith(f'"{style.fonts[element.family].name}"'), key
        # "left" in a style is the side a line starts on (the right in a right-to-left article)
        assert rule["text-align"] == {"left": "start", "right": "end"}.get(element.align, element.align), key
        if element.leading:
            assert float(rule["line-height"]) * element.size == pytest.approx(element.leading, abs=0.01), key
        assert float(rule["margin-top"].removesuffix("em")) * element.size == pytest.approx(element.space_before, abs=0.01)
    speech = rules[".quote-speech"]
    own = style.element("quote-speech")
    assert speech["color"] == own.color
    assert speech.get("background-color") == (own.background if style.quotes.highlight_speech else None)
    assert rules["q"]["quotes"] == "none" and rules["q::before, q::after"]["content"] == "none"


def test_highlight_follows_the_style_quote_options():
    style = load_style("default")
    for flag in (True, False):
        variant = replace(style, quotes=replace(style.quotes, highlight_speech=flag))
        rules = css_rules(parts(render(hostile_article(), variant))["EPUB/style.css"].decode())
        assert ("background-color" in rules[".quote-speech"]) is (flag and style.element("quote-speech").background is not None)


# ------------------------------------------------------------------------------------ fonts
def test_default_style_embeds_no_fonts():
    files = parts(render(hostile_article(), load_style("default")))
    assert not [n for n in files if n.startswith("EPUB/fonts/")]
    assert "@font-face" not in files["EPUB/style.css"].decode()


def test_ebook_style_embeds_subset_fonts_declared_with_font_face():
    from fontTools.ttLib import TTFont
    style = load_style("ebook")
    article = hostile_article()
    warnings: list[str] = []
    files = parts(render(article, style, warn=warnings.append))
    fonts = {n: d for n, d in files.items() if n.startswith("EPUB/fonts/")}
    assert "EPUB/fonts/serif-regular.ttf" in fonts and any("fallback" in n for n in fonts)
    css = files["EPUB/style.css"].decode()
    for name in fonts:
        assert f'src: url("{name.removeprefix("EPUB/")}")' in css
    regular = TTFont(io.BytesIO(fonts["EPUB/fonts/serif-regular.ttf"]))
    original = TTFont(style.fonts["serif"].regular)
    assert len(regular.getGlyphOrder()) < len(original.getGlyphOrder()) / 5
    cmap = regular.getBestCmap()
    body_chars = set("".join(inline_text(c) for _, c in iter_inline_runs(article.body[:1])))
    assert {c for c in body_chars if ord(c) in original.getBestCmap()} <= {chr(c) for c in cmap}
    assert sum(len(d) for d in fonts.values()) < 400_000
    # CJK comes from a fallback font that is embedded too
    fallback_cmaps = [TTFont(io.BytesIO(d)).getBestCmap() for n, d in fonts.items() if "fallback" in n]
    assert any(ord("北") in cm for cm in fallback_cmaps)
    manifest = xml(files["EPUB/content.opf"]).findall("opf:manifest/opf:item", NS)
    assert {i.get("media-type") for i in manifest if i.get("href").startswith("fonts/")} == {"font/ttf"}


# ---------------------------------------------------------------------------- import isolation
def test_exporting_epub_imports_no_other_format_library(tmp_path):
    script = f"""
import io, sys
sys.path.insert(0, {str(support.ROOT)!r})
from exporter.ast import Article, Meta, Paragraph, Text
from exporter.style import load_style
from exporter.writers import RenderOptions, get_writer
out = io.BytesIO()
get_writer("epub").write(Article(meta=Meta(title="t"), body=(Paragraph((Text("x"),)),)), load_style("default"), out, RenderOptions())
assert out.getvalue().startswith(b"PK")
print(",".join(sorted(m for m in ("reportlab", "docx", "fontTools", "ebooklib") if m in sys.modules)))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ebooklib"           # no reportlab, no python-docx, no fontTools


def test_registered_as_epub():
    writer = get_writer("epub")
    assert isinstance(writer, EpubWriter)
    assert (writer.name, writer.extension, writer.media_type, writer.uses_style) == (
        "epub", "epub", "application/epub+zip", True)


def test_characters_no_font_draws_are_warned_once_when_fonts_are_embedded():
    article = Article(meta=Meta(title="t"), body=(P("a \U0010fffd b"), P("again \U0010fffd")))
    warnings: list[str] = []
    render(article, load_style("ebook"), warn=warnings.append)
    assert len(warnings) == 1 and "U+10FFFD" in warnings[0]
    quiet: list[str] = []
    render(article, load_style("default"), warn=quiet.append)   # the reading system's fonts draw it
    assert quiet == []


def test_a_font_that_cannot_be_subset_is_left_out_with_a_warning(monkeypatch):
    import exporter.writers.epub.fonts as epub_fonts
    real = epub_fonts.subset_font
    style = load_style("ebook")
    bad_path = style.fonts["serif"].regular

    def failing(path, chars):
        if Path(path) == bad_path:
            raise ValueError("damaged glyf table")
        return real(path, chars)

    monkeypatch.setattr(epub_fonts, "subset_font", failing)
    warnings: list[str] = []
    files = parts(render(Article(meta=Meta(title="t"), body=(P("plain words"),)), style, warn=warnings.append))
    assert any(f"{bad_path.name} could not be embedded" in w for w in warnings)
    assert "EPUB/fonts/serif-regular.ttf" not in files
    assert "serif-regular" not in files["EPUB/style.css"].decode()
    assert "EPUB/fonts/serif-bold.ttf" in files          # the title's face still embeds


def test_the_writer_renders_only_the_presented_document():
    """The writer's modules import no AST, briefing, reader or other writer, nor the package face
    ``exporter``: what it can see is the presented document."""
    import ast as pyast
    folder = support.ROOT / "exporter" / "writers" / "epub"
    modules = sorted(folder.glob("*.py"))
    assert {p.name for p in modules} >= {"__init__.py", "css.py", "fonts.py", "package.py"}
    for path in modules:
        tree = pyast.parse(path.read_text("utf-8"))
        for node in pyast.walk(tree):
            if isinstance(node, pyast.ImportFrom):
                name = "." * node.level + (node.module or "")
                assert name not in ("...", "...ast", "...briefing", "...reader", "...api"), (path.name, name)
                assert not name.startswith(("...reader", "..pdf", "..docx", "..html", "..json", "..._")), (path.name, name)
                assert node.level > 0 or not name.startswith("exporter"), (path.name, name)
            elif isinstance(node, pyast.Import):
                assert not any(alias.name.split(".")[0] == "exporter" for alias in node.names), path.name
        # and it never tells an Article from a Briefing: it has no name for either
        names = {n.id for n in pyast.walk(tree) if isinstance(n, pyast.Name)}
        names |= {n.attr for n in pyast.walk(tree) if isinstance(n, pyast.Attribute)}
        assert not names & {"Article", "Briefing", "BriefingArticle", "KeyQuote", "Meta"}, path.name


# ------------------------------------------------------------------------- the reading sequence
def briefing_of_five():
    from exporter import api
    from exporter.briefing import build_briefing
    return build_briefing([api.read(p) for p in sorted(support.FIXTURES.glob("00*.txt"))[:5]],
                          title="Morning briefing", date="2026-01-02", prepared_for="The desk")


@pytest.mark.parametrize("case", ["sample", "fixtures", "briefing", "briefing-ebook", "endnote", "margin", "sections"])
def test_the_book_shows_exactly_the_presented_reading_sequence(case):
    """Cover, contents, key quotes, title blocks, paragraphs, shown speaker labels, notes, related
    and dropped: the EPUB's visible text, in spine order, is the presentation layer's sequence."""
    from exporter import api
    style, sets = "default", []
    documents = [api.read(support.SAMPLE)]
    if case.startswith("briefing"):
        style, documents = ("ebook" if case == "briefing-ebook" else "briefing"), [briefing_of_five()]
    elif case in ("endnote", "margin"):
        sets = [f'quotes.speaker_display="{case}"']
    elif case == "sections":
        sets = ["sections.related=true", "sections.dropped=true"]
    elif case == "fixtures":
        documents = [api.read(p) for p in sorted(support.FIXTURES.glob("00*.txt"))]
        assert len(documents) >= 7
    for document in documents:
        resolved = load_style(style, sets)
        expected = normalised(reading_sequence(present(document, resolved)))
        got = reading_sequence_of("epub", render(document, resolved, marking="OFFICIAL"))
        assert got == expected
        assert len(expected) > 5
        if case in ("endnote", "margin", "sample"):
            assert any(kind == "speaker-label" for kind, _ in got)


def test_the_lede_opens_the_sample_once_and_no_truncated_headline_is_shown():
    from exporter import api
    article = api.read(support.SAMPLE)
    assert article.meta.title_origin == "lede"
    page = xml(parts(render(article))[CHAPTER])
    text = " ".join(page_text(page.find(f"{XHTML}body")).split())
    opening = " ".join(inline_text(article.body[0].content).split()[:8])
    assert text.count(opening) == 1
    assert "…" not in page_text(page.find(f".//{XHTML}header"))
    assert page.find(f".//{XHTML}h1").get("class") == "meta-line"     # the meta line stands in its place
    opf = xml(parts(render(article))["EPUB/content.opf"])
    assert opf.findtext(".//dc:title", namespaces=NS) == article.meta.title      # the metadata keeps a title


def test_the_cli_exporting_epub_imports_neither_reportlab_nor_python_docx(tmp_path):
    out = tmp_path / "sample.epub"
    script = f"""
import atexit, runpy, sys
sys.path.insert(0, {str(support.ROOT)!r})
atexit.register(lambda: print("LOADED=" + ",".join(sorted(m for m in ("reportlab", "docx") if m in sys.modules))))
sys.argv = ["exporter", "export", {str(support.SAMPLE)!r}, "-f", "epub", "-o", {str(out)!r}, "-q"]
runpy.run_module("exporter", run_name="__main__")
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert "LOADED=\n" in proc.stdout or proc.stdout.strip().endswith("LOADED="), (proc.stdout, proc.stderr)
    assert out.read_bytes()[:2] == b"PK", proc.stderr


def test_identical_bytes_across_processes_and_hash_seeds(tmp_path):
    """Set and dict orders differ between processes; nothing of that may reach the package."""
    script = f"""
import hashlib, io, sys
sys.path.insert(0, {str(support.ROOT / 'tests')!r}); sys.path.insert(0, {str(support.ROOT)!r})
from test_writer_epub import hostile_article, render
from exporter.style import load_style
print(hashlib.sha256(render(hostile_article(), load_style("ebook"))).hexdigest())
"""
    digests = set()
    for seed in ("1", "4242"):
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        digests.add(proc.stdout.strip())
    assert len(digests) == 1
