"""The contract every styled writer is held to: render a small article with each built-in style,
read the output back with the shared kit (tests/readback.py) and check that the title, a body
paragraph, a heading and a speech quote look as the style says (sizes within 0.5 pt, colours
exact), that the formats agree with each other, and that every body word arrives in order.

Writers plug in by existing: the test runs over ``writer_names()`` (minus data formats); a format
the kit cannot read yet, or whose writer is not registered, is skipped with its reason."""
from __future__ import annotations

import io

import pytest

from exporter.ast import Article, Heading, Meta, Paragraph, Quote, Text
from exporter.style import list_styles, load_style
from exporter.writers import RenderOptions, get_writer, writer_names

import readback
from readback import ExpectedTexts, compare, compare_formats, expected_readings, read_back
from support import BUILD_TIME

TEXTS = ExpectedTexts(
    title="Harbour bridge reopens after repairs",
    body="Engineers finished the repairs two weeks early, the council said on Monday.",
    heading="What changes for commuters",
    speech="“We are delighted with the crews”",
)
ARTICLE = Article(
    meta=Meta(title=TEXTS.title, title_origin="caller", byline="By A. Reporter", source="Harbour Times",
              date="2026-01-02", language="en"),
    body=(
        # the first paragraph may be styled as the lede, so the body reading uses the second
        Paragraph((Text("The city's main bridge carries traffic again from today."),)),
        Paragraph((Text(TEXTS.body),)),
        Heading(2, (Text(TEXTS.heading),)),
        Paragraph((Text("The mayor said "), Quote("speech", "the mayor", (Text(TEXTS.speech),)),
                   Text(" and thanked the engineers."))),
        Paragraph((Text("Traffic returns to both lanes from Tuesday; buses resume their old routes, and the "
                        "ferry timetable goes back to winter hours. Zażółć gęślą jaźń — Καλημέρα — Привіт, "
                        "їжак. A well-known stretch of road, long closed, is open again."),)),
    ),
)
READABLE = ("docx", "pdf", "epub", "html")
STYLED = [name for name in ("pdf", "docx", "epub", "html") if name in READABLE]


def styled_writer_names() -> list[str]:
    names = [n for n in writer_names() if n != "json"]
    for builtin in STYLED:
        if builtin not in names:
            names.append(builtin)            # listed so its absence shows up as a skip, not silence
    return names


def render(fmt: str, style_name: str) -> bytes:
    if fmt not in writer_names():
        pytest.skip(f"writer {fmt!r} is not registered yet")
    if fmt not in READABLE:
        pytest.skip(f"the read-back kit has no reader for {fmt!r}")
    writer = get_writer(fmt)
    if not getattr(writer, "uses_style", True):
        pytest.skip(f"writer {fmt!r} does not use styles")
    out = io.BytesIO()
    warnings: list[str] = []
    writer.write(ARTICLE, load_style(style_name), out, RenderOptions(build_time=BUILD_TIME, warn=warnings.append))
    assert not [w for w in warnings if "font" in w], warnings       # every char here is covered
    return out.getvalue()


_rendered: dict[tuple[str, str], bytes] = {}


def rendered(fmt: str, style_name: str) -> bytes:
    key = (fmt, style_name)
    if key not in _rendered:
        _rendered[key] = render(fmt, style_name)
    return _rendered[key]


@pytest.mark.parametrize("style_name", list_styles())
@pytest.mark.parametrize("fmt", styled_writer_names())
def test_writer_output_matches_the_style(fmt, style_name):
    style = load_style(style_name)
    data = rendered(fmt, style_name)
    readings = read_back(data, fmt, TEXTS, style=style)
    problems = compare(readings, expected_readings(style, TEXTS), f"{fmt}/{style_name}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("fmt", styled_writer_names())
def test_every_body_word_reaches_the_output_in_order(fmt):
    data = rendered(fmt, "default")
    problem = readback.missing_words(readback.body_words(ARTICLE), readback.output_text(data, fmt))
    assert problem is None, f"{fmt}: {problem}"


@pytest.mark.parametrize("style_name", list_styles())
def test_formats_agree_with_each_other(style_name):
    style = load_style(style_name)
    by_format = {}
    for fmt in STYLED:
        if fmt in writer_names():
            by_format[fmt] = read_back(rendered(fmt, style_name), fmt, TEXTS, style=style)
    if len(by_format) < 2:
        pytest.skip(f"fewer than two styled writers registered ({', '.join(by_format) or 'none'})")
    problems = compare_formats(by_format)
    assert problems == [], "\n".join(problems)


OVERRIDES = {
    "heading-colour-body-size": ['heading-2.color="#8b0000"', "body.size=12pt"],
    "no-speech-highlight": ["quotes.highlight_speech=false"],
    "speech-own-look": ['quote-speech.color="#0000aa"', "quote-speech.bold=true", 'quote-speech.family="mono"'],
    "sans-title": ['title.family="sans"', 'title.size="30pt"', 'title.color="#004400"'],
}


@pytest.mark.parametrize("case", sorted(OVERRIDES))
def test_overrides_reach_every_format(case):
    """A --set change is visible in every format: the kit would notice a writer ignoring it."""
    style = load_style("default", OVERRIDES[case])
    expected = expected_readings(style, TEXTS)
    assert expected != expected_readings(load_style("default"), TEXTS)
    checked = 0
    for fmt in STYLED:
        if fmt not in writer_names():
            continue
        out = io.BytesIO()
        get_writer(fmt).write(ARTICLE, style, out, RenderOptions(build_time=BUILD_TIME, warn=lambda m: None))
        problems = compare(read_back(out.getvalue(), fmt, TEXTS, style=style), expected, fmt)
        assert problems == [], "\n".join(problems)
        checked += 1
    if not checked:
        pytest.skip("no styled writer registered")


@pytest.mark.parametrize("style_name", ["default", "briefing"])
@pytest.mark.parametrize("fmt", styled_writer_names())
def test_sample_article_words_conserved(fmt, style_name):
    """The real sample, read by the reader, across page breaks and running furniture."""
    from support import SAMPLE

    from exporter import api

    if fmt not in writer_names():
        pytest.skip(f"writer {fmt!r} is not registered yet")
    try:
        article = api.read(SAMPLE)
    except (ImportError, NotImplementedError) as exc:       # reader not there yet
        pytest.skip(f"reader unavailable: {exc}")
    out = io.BytesIO()
    get_writer(fmt).write(article, load_style(style_name), out, RenderOptions(build_time=BUILD_TIME, warn=lambda m: None))
    words = readback.body_words(article)
    assert len(words) > 50
    problem = readback.missing_words(words, readback.output_text(out.getvalue(), fmt))
    assert problem is None, f"{fmt}/{style_name}: {problem}"


FURNITURE_CASES = {
    "briefing": ("briefing", [], None),
    "briefing-quiet-first-page": ("briefing", ["page.first_page_furniture=false"], None),
    "default-with-marking": ("default", [], "SECRET"),            # marking from RenderOptions (--marking)
    "letter-custom-footer": ("letter", ['page.footer.left="{page}/{pages}"'], None),
}


@pytest.mark.parametrize("case", sorted(FURNITURE_CASES))
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_page_furniture_and_marking_on_every_page(fmt, case):
    """Print formats: page numbers where the templates put them and the marking on every page,
    the first included (whatever first_page_furniture says)."""
    from support import SAMPLE

    from exporter import api

    if fmt not in writer_names():
        pytest.skip(f"writer {fmt!r} is not registered yet")
    style_name, overrides, marking = FURNITURE_CASES[case]
    style = load_style(style_name, overrides)
    article = api.read(SAMPLE)
    out = io.BytesIO()
    get_writer(fmt).write(article, style, out, RenderOptions(build_time=BUILD_TIME, warn=lambda m: None, marking=marking))
    data = out.getvalue()
    if fmt == "pdf":
        assert len(readback.pdf_page_texts(data)) >= 2, "the sample should span pages"
    problems = readback.furniture_problems(data, fmt, style, marking=marking)
    assert problems == [], "\n".join(problems)
