"""The presentation layer: every editorial decision, made once for every format."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from exporter.ast import Article, Heading, Link, Meta, Paragraph, Quote, Text
from exporter.briefing import BriefingMeta, build_briefing
from exporter.presentation import model as m
from exporter.presentation import present
from exporter.presentation.dates import display_date
from exporter.presentation.labels import LABELS, join_names, label
from exporter.presentation.policy import (article_ids, direction_of, effective_marking, language_tag, safe_href,
                                          text_direction, zip_time)
from exporter.presentation.typography import curl
from exporter.style import load_style
from exporter.writers import RenderOptions

LANGUAGES = ("en", "fr", "de", "es", "pt", "it", "nl", "uk", "ru", "he", "ar")
STYLE = load_style("default")


def article(*paragraphs, **meta) -> Article:
    fields = {"title": "Harbour bridge reopens", "title_origin": "caller", "language": "en", **meta}
    return Article(meta=Meta(**fields), body=tuple(Paragraph(tuple(p)) for p in paragraphs))


def part_of(doc: m.PresentedDocument) -> m.ArticlePart:
    parts = [p for p in doc.parts if isinstance(p, m.ArticlePart)]
    assert len(parts) == 1
    return parts[0]


def runs_of(block) -> list:
    out = []
    for run in block.runs:
        out.append(run)
        if isinstance(run, m.QuoteRun):
            out.extend(run.content)
    return out


def plain(runs) -> str:
    text = []
    for run in runs:
        match run:
            case m.TextRun(text=t) | m.SpeakerLabel(text=t):
                text.append(t)
            case m.QuoteRun(content=c) | m.EmphasisRun(content=c) | m.StrongRun(content=c) | m.LinkRun(content=c):
                text.append(plain(c))
            case m.LineBreak():
                text.append("\n")
    return "".join(text)


# ------------------------------------------------------------------------------------ headline
def test_a_title_cut_from_the_lede_is_not_printed_above_it_and_warns_once_naming_title():
    lede = "The council reopened the harbour bridge on Monday after two years of repairs to its deck."
    doc_article = article([Text(lede)], title="The council reopened the harbour bridge on Monday after…",
                          title_origin="lede", source="Harbour Times", date="2024-07-12")
    warnings: list[str] = []
    doc = present(doc_article, STYLE, RenderOptions(warn=warnings.append))
    part = part_of(doc)
    assert part.title.headline is None
    assert part.title.meta_line == "Harbour Times · 12 July 2024"
    assert doc.metadata.title == "The council reopened the harbour bridge on Monday after…"
    assert part.title.toc_text == doc.metadata.title          # pointers (contents, outlines) still name it
    assert len(warnings) == 1 and "--title" in warnings[0] and "headline" in warnings[0]
    assert plain(part.blocks[0].runs) == lede                  # the lede itself, once


@pytest.mark.parametrize("origin", ["caller", "front-matter", "headline"])
def test_a_real_headline_is_printed_and_does_not_warn(origin):
    warnings: list[str] = []
    doc = present(article([Text("Body.")], title_origin=origin), STYLE, RenderOptions(warn=warnings.append))
    assert part_of(doc).title.headline == "Harbour bridge reopens"
    assert warnings == []


def test_a_briefing_warns_once_for_all_its_headline_less_articles():
    lede_titled = [article([Text(f"Story {n} starts here and runs on.")], title=f"Story {n} starts…",
                           title_origin="lede") for n in range(3)]
    warnings: list[str] = []
    doc = present(build_briefing(lede_titled), load_style("briefing"), RenderOptions(warn=warnings.append))
    assert len(warnings) == 1 and "3 of 3" in warnings[0]
    assert all(p.title.headline is None for p in doc.parts if isinstance(p, m.ArticlePart))


def test_the_cli_warns_once_about_a_missing_headline_whatever_the_number_of_formats(tmp_path):
    from cli_support import run_cli

    story = tmp_path / "story.txt"
    story.write_text("The council reopened the harbour bridge on Monday after two years of repairs to its "
                     "deck, officials said.\n\nTraffic was light in the first hour.\n", encoding="utf-8")
    result = run_cli(["export", str(story), "-f", "epub,html", "-o", str(tmp_path / "out")])
    assert result.code == 0, result.err
    assert sum("headline" in line for line in result.err_lines) == 1, result.err
    other = tmp_path / "other.txt"
    other.write_text("Workers began resurfacing the ring road on Tuesday night, the city said.\n", encoding="utf-8")
    result = run_cli(["briefing", str(story), str(other), "-f", "epub,html", "-o", str(tmp_path / "brief")])
    assert result.code == 0, result.err
    assert sum("headline" in line for line in result.err_lines) == 1, result.err


# ----------------------------------------------------------------------------------- meta line
def test_meta_line_is_source_byline_date_site_with_a_repeated_site_left_out():
    doc = present(article([Text("x")], source="Harbour Times", byline="Ann Lee", date="2024-07-12",
                          site="harbourtimes.example"), STYLE)
    assert part_of(doc).title.meta_line == "Harbour Times · Ann Lee · 12 July 2024 · harbourtimes.example"
    doc = present(article([Text("x")], source="Harbour Times", site="harbour times"), STYLE)
    assert part_of(doc).title.meta_line == "Harbour Times"
    assert present(article([Text("x")]), STYLE).parts[0].title.meta_line is None


def test_metadata_keeps_the_iso_date_while_the_page_shows_it_written_out():
    doc = present(article([Text("x")], date="2024-07-12", language="fr", source="Le Quotidien"), STYLE)
    assert doc.metadata.date == "2024-07-12"
    assert part_of(doc).title.meta_line == "Le Quotidien · 12 juillet 2024"


@pytest.mark.parametrize("language, expected", [
    ("en", "12 July 2024"), ("fr", "12 juillet 2024"), ("de", "12. Juli 2024"), ("es", "12 de julio de 2024"),
    ("pt", "12 de julho de 2024"), ("it", "12 luglio 2024"), ("nl", "12 juli 2024"), ("uk", "12 липня 2024"),
    ("ru", "12 июля 2024"), ("pt-BR", "12 de julho de 2024"), ("ja", "12 July 2024"), (None, "12 July 2024"),
    ("he", "12 ביולי 2024"), ("ar", "12 يوليو 2024"),
])
def test_dates_are_written_for_a_reader_of_the_language(language, expected):
    assert display_date("2024-07-12", language) == expected
    assert display_date("2024-07-12T09:30:00+02:00", language) == expected


def test_partial_odd_and_missing_dates():
    assert display_date("2024-07", "en") == "July 2024"
    assert display_date("2024-07", "ru") == "Июль 2024"
    assert display_date("2024-07", "es") == "julio de 2024"
    assert display_date("2024", "de") == "2024"
    assert display_date("2024-07-01", "fr") == "1er juillet 2024"
    assert display_date("last Tuesday", "en") == "last Tuesday"
    assert display_date("2024-13-01", "en") == "2024-13-01"
    assert display_date("  ", "en") is None and display_date(None, "en") is None


# --------------------------------------------------------------------------------------- labels
def test_every_label_exists_in_every_required_language():
    for key, texts in LABELS.items():
        missing = [lang for lang in LANGUAGES if not texts.get(lang)]
        assert not missing, f"label {key!r} lacks {missing}"


def test_labels_fall_back_to_the_base_language_then_english_and_fill_fields():
    assert label("related", "fr-CA") == "À lire aussi"
    assert label("related", "ja") == "Related"
    assert label("page-of-pages", "de") == "Seite {page} von {pages}"
    assert label("dropped-line", "en", line=3, reason="share-widget") == "Line 3 · share-widget"
    assert join_names(["A", "B", "C"], "fr") == "A, B et C"


def test_sections_and_furniture_take_their_words_from_the_label_table():
    style = load_style("briefing", ["sections.related=true", "sections.dropped=true"])
    from exporter.ast import Dropped, RelatedItem

    doc_article = replace(article([Text("x")], language="de"), related=(RelatedItem("Mehr", None),),
                          dropped=(Dropped(4, "Teilen", "share-widget"),))
    doc = present(doc_article, style)
    part = part_of(doc)
    assert part.related.heading == "Mehr zum Thema"
    assert part.dropped.heading == "Entfernte Zeilen"
    assert part.dropped.entries[0].label == "Zeile 4 · share-widget"
    assert doc.furniture.running.footer[2] == "Seite {page} von {pages}"     # the built-in page-X-of-Y slot
    assert doc.furniture.page_of_pages == "Seite {page} von {pages}"
    assert doc.furniture.running.footer[0] == "Harbour bridge reopens"       # {title} filled
    assert doc.furniture.marking == "OFFICIAL" and doc.furniture.marking_in_templates
    assert doc.furniture.running.header[1] == "OFFICIAL" and doc.furniture.first_page


def test_a_marking_the_templates_do_not_show_is_flagged_for_a_line_of_its_own():
    doc = present(article([Text("x")]), STYLE, RenderOptions(marking="SECRET"))
    assert doc.furniture.marking == "SECRET" and not doc.furniture.marking_in_templates
    assert doc.furniture.running.footer == ("", "{page}", "") and not doc.furniture.first_page


# ----------------------------------------------------------------------------------- typography
@pytest.mark.parametrize("language, expected", [
    ("en", "He said \u201cit\u2019s the \u2018bloodbath\u2019\u201d today."),
    ("fr", "He said \u00ab\u202fit\u2019s the \u201cbloodbath\u201d\u202f\u00bb today."),
    ("de", "He said \u201eit\u2019s the \u201abloodbath\u2018\u201c today."),
    ("ru", "He said \u00abit\u2019s the \u201ebloodbath\u201c\u00bb today."),
])
def test_straight_marks_are_curled_by_language(language, expected):
    assert curl("He said \"it's the 'bloodbath'\" today.", language) == expected


@pytest.mark.parametrize("text, expected", [
    ('alert("x") and name="Evil"', "alert(\u201cx\u201d) and name=\u201cEvil\u201d"),   # opens after ( and =
    ('+"x" then "y".', "+\u201cx\u201d then \u201cy\u201d."),
    ('a 5" screen', "a 5\u201d screen"),                                       # after a word: closes
])
def test_a_mark_between_a_sign_and_a_word_opens(text, expected):
    assert curl(text, "en") == expected


def test_french_guillemets_hold_their_words_with_narrow_no_break_spaces():
    assert curl("Il a dit « bonjour » hier", "fr") == "Il a dit «\u202fbonjour\u202f» hier"
    assert curl("Il a dit « bonjour » hier", "en") == "Il a dit « bonjour » hier"


def test_curling_happens_at_presentation_and_the_ast_keeps_the_source_text():
    source = [Text("The mayor said "), Quote("speech", "Ann Lee", (Text('"We\'re open"'),)), Text(" on Monday.")]
    doc_article = article(source)
    doc = present(doc_article, STYLE)
    assert plain(part_of(doc).blocks[0].runs).startswith("The mayor said \u201cWe\u2019re open\u201d")
    assert doc_article.body[0].content[1].content[0].text == '"We\'re open"'
    off = present(doc_article, load_style("default", ["quotes.typographic_marks=false"]))
    assert plain(part_of(off).blocks[0].runs).startswith('The mayor said "We\'re open"')


# -------------------------------------------------------------------------------------- speakers
SPOKEN = [Text("Crews finished early. "), Quote("speech", "Ann Lee", (Text("\u201cWe are delighted,\u201d"),)),
          Text(" the engineer said, "), Quote("speech", "Ann Lee", (Text("\u201cand proud.\u201d"),))]


def test_inline_labels_name_the_speaker_once_after_their_last_quote_in_the_paragraph():
    runs = part_of(present(article(SPOKEN), STYLE)).blocks[0].runs
    labels = [r for r in runs if isinstance(r, m.SpeakerLabel)]
    assert [(l.text, l.placement) for l in labels] == [("[Ann Lee]", "inline")]
    assert isinstance(runs[runs.index(labels[0]) - 1], m.QuoteRun)
    assert runs.index(labels[0]) == len(runs) - 1


def test_no_label_when_the_paragraph_already_names_the_speaker():
    named = [Text("Lee said "), Quote("speech", "Ann Lee", (Text("\u201cWe are delighted.\u201d"),))]
    assert not [r for r in part_of(present(article(named), STYLE)).blocks[0].runs if isinstance(r, m.SpeakerLabel)]


def test_a_speaker_going_on_in_the_next_paragraph_is_not_named_again():
    doc = present(article(SPOKEN, [Quote("speech", "Ann Lee", (Text("\u201cMore.\u201d"),))],
                          [Text("Traffic resumes.")], [Quote("speech", "Ann Lee", (Text("\u201cAgain.\u201d"),))]), STYLE)
    labels = [[r.text for r in b.runs if isinstance(r, m.SpeakerLabel)] for b in part_of(doc).blocks]
    assert labels == [["[Ann Lee]"], [], [], ["[Ann Lee]"]]


def test_margin_labels_stand_before_the_first_quote_and_endnotes_are_numbered_and_listed():
    margin = part_of(present(article(SPOKEN), load_style("default", ['quotes.speaker_display="margin"'])))
    runs = margin.blocks[0].runs
    first = next(i for i, r in enumerate(runs) if isinstance(r, m.SpeakerLabel))
    assert runs[first].placement == "margin" and runs[first].text == "Ann Lee"
    assert isinstance(runs[first + 1], m.QuoteRun)

    style = load_style("default", ['quotes.speaker_display="endnote"'])
    endnote = part_of(present(article(SPOKEN, [Quote("speech", "Bo Park", (Text("\u201cFine.\u201d"),))]), style))
    labels = [r for b in endnote.blocks for r in b.runs if isinstance(r, m.SpeakerLabel)]
    assert [(l.text, l.speaker) for l in labels] == [("1", "Ann Lee"), ("2", "Bo Park")]
    notes = endnote.speaker_notes
    assert notes.heading == "Speakers" and [(n.number, n.speaker) for n in notes.notes] == [(1, "Ann Lee"), (2, "Bo Park")]
    assert notes.notes[0].label_anchor == labels[0].anchor and labels[0].note_anchor == notes.notes[0].anchor


def test_speaker_display_none_shows_no_labels_and_quotes_keep_their_speaker_for_extras():
    doc = present(article(SPOKEN), load_style("default", ['quotes.speaker_display="none"', "quotes.show_speaker=true"]))
    runs = part_of(doc).blocks[0].runs
    assert not [r for r in runs if isinstance(r, m.SpeakerLabel)]
    assert [r.speaker for r in runs if isinstance(r, m.QuoteRun)] == ["Ann Lee", "Ann Lee"]
    assert doc.show_speaker_tooltip and doc.speaker_display == "none"


def test_quote_runs_carry_their_style_key_and_highlight_switch():
    runs = part_of(present(article([Quote("title", None, (Text("\u201cDune\u201d"),)), Text(" and "),
                                    Quote("speech", None, (Text("\u201cHello there.\u201d"),))]), STYLE)).blocks[0].runs
    quotes = [r for r in runs if isinstance(r, m.QuoteRun)]
    assert [(q.style_key, q.highlight) for q in quotes] == [("quote-title", False), ("quote-speech", True)]


# -------------------------------------------------------------------------------------- policies
def test_links_follow_one_allow_list():
    assert safe_href("https://example.org/path?q=1") == "https://example.org/path?q=1"
    assert safe_href("javascript:alert(1)") is None
    assert safe_href("file:///etc/passwd") is None
    assert safe_href("/relative") is None
    assert safe_href("mailto:desk@example.org") == "mailto:desk@example.org"
    assert "secret" not in (safe_href("https://user:secret@example.org/") or "")
    runs = part_of(present(article([Link("javascript:alert(1)", (Text("click"),))]), STYLE)).blocks[0].runs
    assert runs == (m.LinkRun(None, (m.TextRun("click"),)),)


def test_a_link_inside_a_link_is_text():
    nested = Link("https://a.example/", (Text("outer "), Link("https://b.example/", (Text("inner"),))))
    runs = part_of(present(article([nested]), STYLE)).blocks[0].runs
    assert runs == (m.LinkRun("https://a.example/", (m.TextRun("outer "), m.TextRun("inner"))),)


def test_language_tags_direction_and_marking_precedence():
    assert language_tag("en-GB") == "en-GB" and language_tag("pt_BR") == "pt-BR"
    assert language_tag(None) == "und" and language_tag("not a tag!") == "und" and language_tag("") == "und"
    assert direction_of("ar") == "rtl" and direction_of("he-IL") == "rtl" and direction_of("az-Arab") == "rtl"
    assert direction_of("en") == "ltr" and direction_of("und") == "ltr"
    assert text_direction("שלום world") == "rtl" and text_direction("123 hello") == "ltr" and text_direction("123") is None
    assert effective_marking("SECRET", "OFFICIAL", "STYLE") == "SECRET"
    assert effective_marking(None, "OFFICIAL", "STYLE") == "OFFICIAL"
    assert effective_marking(None, None, "STYLE") == "STYLE"
    assert effective_marking("", "OFFICIAL", "STYLE") is None          # --marking "" switches it off
    doc = present(article([Text("x")], language=None), load_style("briefing"), RenderOptions(marking="SECRET"))
    assert doc.furniture.marking == "SECRET" and doc.metadata.language == "und"


def test_briefing_marking_beats_the_style_and_the_option_beats_both():
    briefing = replace(build_briefing([article([Text("x")])]), meta=BriefingMeta(title="B", marking="TEAM"))
    assert present(briefing, load_style("briefing")).furniture.marking == "TEAM"
    assert present(briefing, load_style("briefing"), RenderOptions(marking="SECRET")).furniture.marking == "SECRET"


def test_article_ids_are_plain_unique_and_case_insensitive():
    assert article_ids(["a01", "a02"]) == ["a01", "a02"]
    assert article_ids(["../x", "A01", "a01", ""]) == ["a01", "A01x", "a01xx", "a04"]


def test_zip_times_are_utc_and_clamped():
    assert zip_time(datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)) == (2026, 1, 2, 3, 4, 4)
    assert zip_time(datetime(1970, 1, 1, tzinfo=timezone.utc)) == (1980, 1, 1, 0, 0, 0)
    assert zip_time(datetime(2200, 1, 1, tzinfo=timezone.utc)) == (2107, 12, 31, 23, 59, 58)


# -------------------------------------------------------------------------------------- document
def test_a_briefing_presents_cover_contents_key_quotes_then_articles():
    from support import FIXTURES

    from exporter import api

    articles = [api.read(p) for p in sorted(FIXTURES.glob("00[0-4]*.txt"))]
    briefing = build_briefing(articles, title="Morning", date="2026-01-02", prepared_for="The desk")
    doc = present(briefing, load_style("briefing"))
    kinds = [type(p).__name__ for p in doc.parts]
    assert kinds == ["Cover", "Contents", "KeyQuotes"] + ["ArticlePart"] * 5
    cover = doc.parts[0]
    assert cover.lines[:2] == ("2 January 2026", "Prepared for The desk")
    assert cover.lines[2].startswith("5 articles from ")
    assert [e.target for e in doc.parts[1].entries] == [p.anchor for p in doc.parts[3:]]
    assert all(p.level == 2 for p in doc.parts[3:])
    anchors = [a for p in doc.parts[3:] for a in _anchors(p)]
    assert len(anchors) == len(set(anchors))                   # no anchor twice
    for row in doc.parts[2].rows:
        assert row.quote_anchor in anchors and row.article_anchor in anchors


def _anchors(part: m.ArticlePart) -> list[str]:
    found = [part.anchor, part.title.anchor]

    def walk(blocks):
        for block in blocks:
            if getattr(block, "anchor", None):
                found.append(block.anchor)
            match block:
                case m.QuoteBlock(blocks=inner):
                    walk(inner)
                case m.ListBlock(items=items):
                    for item in items:
                        walk(item)
    walk(part.blocks)
    return found


def test_presenting_is_deterministic_and_total_over_the_closed_model():
    from support import SAMPLE

    from exporter import api

    sample = api.read(SAMPLE)
    first, second = present(sample, STYLE), present(sample, STYLE)
    assert first == second
    for part in first.parts:
        assert isinstance(part, m.PART_TYPES)
        for block in part.blocks:
            assert isinstance(block, m.BLOCK_TYPES)
            if isinstance(block, m.TextBlock):
                assert all(isinstance(r, m.RUN_TYPES) for r in block.runs)
    with pytest.raises(TypeError):
        present("not a document", STYLE)      # type: ignore[arg-type]


def test_headings_get_anchors_and_plain_text_for_outlines():
    doc_article = Article(meta=Meta(title="T", title_origin="caller"),
                          body=(Paragraph((Text("Lede."),)), Heading(2, (Text("What 'changes'"),))))
    heading = part_of(present(doc_article, STYLE)).blocks[1]
    assert isinstance(heading, m.HeadingBlock) and heading.text == "What \u2018changes\u2019"
    assert heading.anchor == "a01-h1" and heading.level == 2 and heading.style_key == "heading-2"


def test_presented_records_are_equal_only_to_records_of_their_own_class():
    # The records are NamedTuples (cheap to build at import); a plain tuple compares equal to any
    # tuple of the same items, so the model makes equality and hashing class-aware.
    from exporter.presentation import model as pm

    assert pm.TextRun("a") == pm.TextRun("a") and hash(pm.TextRun("a")) == hash(pm.TextRun("a"))
    assert pm.TextRun("a") != pm.RuleBlock("a")
    assert not (pm.TextRun("a") == ("a",))
    assert pm.TextBlock("body", (pm.TextRun("x"),)) != pm.TextBlock("body", (pm.RuleBlock("x"),))
    records = [v for v in vars(pm).values() if isinstance(v, type) and issubclass(v, tuple) and v is not tuple]
    assert records and all(cls.__eq__ is not tuple.__eq__ for cls in records)
    with pytest.raises(AttributeError):
        pm.TextRun("a").text = "b"          # immutable
