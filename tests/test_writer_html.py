"""The HTML writer: one self-contained, valid HTML5 page from the presented document."""
from __future__ import annotations

import io
import re
import unicodedata

import pytest

from exporter.ast import Article, Heading, Link, ListBlock, Meta, Paragraph, Quote, Rule, BlockQuote, Text, Break
from exporter.briefing import build_briefing
from exporter.presentation import model as m
from exporter.style import load_style
from exporter.writers import RenderOptions

from sequences import normalised, reading_sequence_of
from support import BUILD_TIME, FIXTURES, SAMPLE

html5lib = pytest.importorskip("html5lib")


def render(document, style: str = "default", sets=(), **options) -> str:
    from exporter.writers.html import HtmlWriter

    out = io.BytesIO()
    HtmlWriter().write(document, load_style(style, list(sets)), out,
                       RenderOptions(build_time=BUILD_TIME, warn=lambda message: None, **options))
    return out.getvalue().decode("utf-8")


def parse(page: str):
    """The page parsed strictly: any HTML5 parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(page)
    except html5lib.html5parser.ParseError as exc:      # pragma: no cover - the failure message
        line = page.splitlines()[max(0, parser.errors[0][0][0] - 1)] if parser.errors else ""
        pytest.fail(f"HTML5 parse error: {exc}\n{line[:300]}")


def read_article(path):
    from exporter import api

    return api.read(path)


def briefing_of_five():
    return build_briefing([read_article(p) for p in sorted(FIXTURES.glob("00*.txt"))[:5]],
                          title="Morning briefing", date="2026-01-02", prepared_for="The desk")


def visible_text(tree) -> str:
    body = tree.find("body")
    for el in body.iter():
        if el.tag in ("p", "h1", "h2", "h3", "h4", "li", "td", "th", "br"):
            el.tail = "\n" + (el.tail or "")
    return "".join(body.itertext())


_MARKS = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u2039\u203a"} | {c: '"' for c in "\u201c\u201d\u201e\u00ab\u00bb"})


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("\u202f", " ").translate(_MARKS)
    return text.split()


def in_order(expected: list[str], found: list[str]) -> str | None:
    position = 0
    for n, word in enumerate(expected):
        try:
            position = found.index(word, position) + 1
        except ValueError:
            return f"word {n + 1} {word!r} missing (near {' '.join(expected[max(0, n - 3):n + 3])!r})"
    return None


# ---------------------------------------------------------------------------------------- valid
@pytest.mark.parametrize("path", sorted(FIXTURES.glob("00*.txt")), ids=lambda p: p.name[:3])
def test_every_fixture_is_valid_html5_with_every_body_word_in_order(path):
    from exporter.ast import inline_text, iter_inline_runs

    article = read_article(path)
    tree = parse(render(article))
    expected = [w for _, content in iter_inline_runs(article.body) for w in words(inline_text(content))]
    assert in_order(expected, words(visible_text(tree))) is None


@pytest.mark.parametrize("style", ["default", "briefing", "ebook", "letter"])
def test_a_briefing_is_valid_html5_in_every_style(style):
    tree = parse(render(briefing_of_five(), style))
    assert tree.find(".//section[@class='cover']/h1").text == "Morning briefing"
    assert len(tree.findall(".//article")) == 5


@pytest.mark.parametrize("display", ["inline", "margin", "endnote", "none"])
def test_every_speaker_display_is_valid_html5(display):
    parse(render(read_article(SAMPLE), sets=[f'quotes.speaker_display="{display}"', "quotes.show_speaker=true"]))


# -------------------------------------------------------------------------------- the sample
def test_the_sample_opens_with_its_lede_once_and_no_truncated_headline():
    article = read_article(SAMPLE)
    tree = parse(render(article))
    head = tree.find(".//article/header")
    assert head.find("h1").get("class") == "meta-line" and head.find("h1").text == "SBS News · internewscast.com"
    text = visible_text(tree)
    opening = "US President Donald Trump says he will speak"
    assert text.count(opening) == 1
    assert "\u2026" not in text                                  # the cut title is nowhere on the page
    assert tree.find("head/title").text == article.meta.title   # the metadata still carries it


def test_speech_quotes_are_highlighted_and_speakers_visible():
    page = render(read_article(SAMPLE))
    tree = parse(page)
    speech = [q for q in tree.iter("q") if q.get("class") == "quote-speech"]
    assert len(speech) >= 8
    style = load_style("default")
    css = tree.find("head/style").text
    assert re.search(r"\.quote-speech \{[^}]*background-color: " + style.inline("quote-speech").background, css)
    labels = [s.text for s in tree.iter("span") if s.get("class") == "speaker-label"]
    assert "[Donald Trump]" in labels and "[Volodymyr Zelenskyy]" in labels
    # visible text, not a tooltip: the label is in the page's text right after the quote
    assert "will end.\u201d [Donald Trump]" in visible_text(tree)


def test_endnotes_link_both_ways_and_margin_notes_are_text_on_the_page():
    tree = parse(render(read_article(SAMPLE), sets=['quotes.speaker_display="endnote"']))
    refs = [a for a in tree.iter("a") if (a.get("href") or "").startswith("#a01-sn")]
    notes = {li.get("id"): li for li in tree.iter("li") if (li.get("id") or "").startswith("a01-sn")}
    assert refs and all(ref.get("href")[1:] in notes for ref in refs)
    assert "Donald Trump" in "".join(notes["a01-sn1"].itertext())
    tree = parse(render(read_article(SAMPLE), sets=['quotes.speaker_display="margin"']))
    assert "Donald Trump" in [s.text for s in tree.iter("span") if "speaker-note" in (s.get("class") or "")]


def test_lang_dir_and_semantic_headings():
    tree = parse(render(read_article(FIXTURES / "005_festival_fr.txt")))
    assert tree.get("lang") == "fr" and tree.get("dir") == "ltr"
    assert tree.find(".//article/header/h1").get("class") == "title"
    assert tree.find(".//article/h3") is not None or tree.find(".//article/h2") is not None
    rtl = Article(meta=Meta(title="כותרת", title_origin="caller", language="he"),
                  body=(Paragraph((Text("שלום עולם"),)), Paragraph((Text("An English line."),))))
    root = parse(render(rtl))
    assert root.get("lang") == "he" and root.get("dir") == "rtl"
    assert [p.get("dir") for p in root.iter("p")][-1] == "ltr"   # a line in the other direction says so
    assert parse(render(Article(meta=Meta(title="T", title_origin="caller")))).get("lang") == "und"


def test_briefing_headings_nest_under_the_cover_and_links_resolve():
    tree = parse(render(briefing_of_five(), "briefing"))
    assert [el.tag for el in tree.find(".//section[@class='cover']")][:1] == ["h1"]
    assert tree.find(".//nav/h2") is not None and tree.find(".//section[@class='key-quotes']/h2") is not None
    heads = [article.find("header") for article in tree.iter("article")]
    assert len([h for h in heads if h is not None]) >= 4       # fixture 003 has no headline and no meta line
    assert all(head[0].tag == "h2" for head in heads if head is not None)
    ids = {el.get("id") for el in tree.iter() if el.get("id")}
    internal = [a.get("href")[1:] for a in tree.iter("a") if (a.get("href") or "").startswith("#")]
    assert internal and all(target in ids for target in internal)
    rows = tree.findall(".//table[@class='key-quotes']/tbody/tr")
    assert 1 <= len(rows) <= 12


# ------------------------------------------------------------------------------- self-contained
def test_nothing_is_fetched_from_anywhere():
    page = render(briefing_of_five(), "ebook")
    tree = parse(page)
    assert not list(tree.iter("script")) and not list(tree.iter("link")) and not list(tree.iter("img"))
    assert not [el for el in tree.iter() if el.get("src") or el.get("srcset")]
    css = "".join(s.text for s in tree.iter("style"))
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert "@media print" in css and "@page" in css


def test_print_stylesheet_takes_the_page_and_furniture_from_the_style():
    css = parse(render(read_article(SAMPLE), "briefing", marking="SECRET")).find("head/style").text
    assert "size: 595.2756pt 841.8898pt" in css
    assert '@bottom-right { content: "Page " counter(page) " of " counter(pages)' in css
    assert '@top-center { content: "SECRET"' in css


# ------------------------------------------------------------------------------------- hostile
HOSTILE = Article(
    meta=Meta(title='</title><script>alert(1)</script>', title_origin="caller", byline='"><img src=x onerror=alert(1)>',
              source="A & B <Co>", language='en"><script>', url="javascript:alert(1)"),
    body=(
        Paragraph((Text("<script>alert('x')</script> & </style> \x00\x01\ufffe\U0001fffe \x85 done"),
                   Quote("speech", '"><b onmouseover=alert(1)>', (Text("\u201cSay <b>hi</b> nowhere at all today please.\u201d"),)))),
        Paragraph((Link("javascript:alert(1)", (Text("click"),)), Text(" "), Link("https://ok.example/?a=<b>&c=\"", (Text("ok"),)))),
        Heading(2, (Text("<h1>fake</h1>"),)),
        BlockQuote((Paragraph((Text("quoted <i>"),)),)),
        ListBlock(False, ((Paragraph((Text("item </li>"),)),), ())),
        Rule(),
        Paragraph((Text("line"), Break(), Text("break"))),
    ),
)


@pytest.mark.parametrize("display", ["inline", "margin", "endnote"])
def test_hostile_text_is_text(display):
    page = render(HOSTILE, sets=[f'quotes.speaker_display="{display}"', "quotes.show_speaker=true"], marking="</style><x>")
    tree = parse(page)
    assert not list(tree.iter("script")) and not list(tree.iter("img")) and not list(tree.iter("b"))
    assert len(list(tree.iter("style"))) == 1
    text = visible_text(tree)
    assert "<script>alert(\u2018x\u2019)</script> & </style>" in text
    assert "\x00" not in page and "\ufffe" not in page and "\U0001fffe" not in page
    hrefs = [a.get("href") for a in tree.iter("a") if not (a.get("href") or "").startswith("#")]
    assert hrefs == ["https://ok.example/?a=%3Cb%3E&c=%22"]
    assert "javascript" not in " ".join(el.get("href") or "" for el in tree.iter())
    assert tree.get("lang") == "und"


def test_deterministic_bytes_and_unknown_parts_raise():
    from exporter.writers.html import render_html

    article = read_article(SAMPLE)
    assert render(article) == render(article)
    from exporter.presentation import present

    doc = present(article, load_style("default"))
    broken = m.PresentedDocument(doc.metadata, doc.furniture, doc.speaker_display, False, (object(),))  # type: ignore[arg-type]
    with pytest.raises(m.UnknownPartError):
        render_html(broken, load_style("default"))
    part = doc.parts[0]
    odd = doc._replace(parts=(part._replace(blocks=(object(),)),))  # type: ignore[arg-type]
    with pytest.raises(m.UnknownPartError):
        render_html(odd, load_style("default"))


# ------------------------------------------------------------------------- the reading sequence
@pytest.mark.parametrize("case", ["sample", "briefing", "endnote", "margin", "sections", "fixtures"])
def test_the_page_shows_exactly_the_presented_reading_sequence(case):
    from exporter.presentation import present
    from exporter.presentation.reading import reading_sequence

    style, sets = "default", []
    documents = [read_article(SAMPLE)]
    if case == "briefing":
        style, documents = "briefing", [briefing_of_five()]
    elif case in ("endnote", "margin"):
        sets = [f'quotes.speaker_display="{case}"']
    elif case == "sections":
        sets = ["sections.related=true", "sections.dropped=true"]
    elif case == "fixtures":
        documents = [read_article(p) for p in sorted(FIXTURES.glob("00*.txt"))]
    for document in documents:
        presented = present(document, load_style(style, sets))
        expected = normalised(reading_sequence(presented))
        page = render(document, style, sets)
        parse(page)                                   # no HTML5 parse error
        got = reading_sequence_of("html", page.encode("utf-8"))
        assert got == expected
        assert len(expected) > 5


def test_exporting_html_imports_no_other_formats_library():
    """Checked in a fresh process: the presentation layer and the HTML writer stand alone."""
    import subprocess
    import sys

    code = ("import io, sys; from exporter import api; from exporter.writers import get_writer, RenderOptions; "
            "from exporter.style import load_style; "
            f"get_writer('html').write(api.read({str(SAMPLE)!r}), load_style('default'), io.BytesIO(), "
            "RenderOptions(warn=lambda m: None)); "
            "print(sorted(m for m in ('reportlab', 'docx', 'ebooklib', 'fontTools', 'pyphen') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
