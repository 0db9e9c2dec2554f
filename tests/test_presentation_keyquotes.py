"""Key quotes: an editor's selection, the same rows for every format, never the wrong speaker."""
from __future__ import annotations

import pytest

from exporter.ast import Article, Meta, Paragraph, Quote, Text, inline_text, iter_inline_runs, iter_quotes
from exporter.briefing import build_briefing
from exporter.presentation import model as m
from exporter.presentation import present
from exporter.presentation.keyquotes import balanced, candidates, clean_quote, select
from exporter.presentation.typography import curl
from exporter.style import load_style

LONG = "We will rebuild the whole northern pier before the winter storms arrive"   # 13 words


def spoken(speaker: str | None, text: str, kind: str = "speech") -> Paragraph:
    return Paragraph((Text("Then "), Quote(kind, speaker, (Text(f"\u201c{text}\u201d"),)), Text(" they said.")))


def story(*paragraphs: Paragraph, title: str = "Pier works") -> Article:
    return Article(meta=Meta(title=title, title_origin="caller", language="en", source="Harbour Times"),
                   body=(Paragraph((Text("The lede."),)), *paragraphs))


@pytest.mark.parametrize("raw, expected", [
    (f"\u201c{LONG}.\u201d", f"{LONG}."),
    (f"\u201c{LONG},\u201d", f"{LONG}."),                      # a dangling comma becomes a full stop
    (f"\u201c{LONG} \u2014\u201d", f"{LONG}."),
    (f"\u201c{LONG}?\u201d", f"{LONG}?"),
    (f"\u201cwe will rebuild the whole northern pier before the storms\u201d", None),   # a fragment
    ("\u201cWe will rebuild it soon.\u201d", None),            # fewer than 8 words
    (f"\u201c{LONG}\u2026\u201d", None),                       # trails off
    (f"\u201c{LONG}, \u2018as promised.\u201d", None),          # unbalanced inner quote
    (f"\u201cHe said that {LONG.lower()}.\u201d", None),        # a paraphrase in marks
])
def test_only_whole_clean_sentences_of_eight_words_or_more_qualify(raw, expected):
    assert clean_quote(raw) == expected


def test_a_long_quote_is_cut_back_to_its_first_whole_sentences():
    first = "We will rebuild the whole northern pier before the winter storms arrive this year."
    second = " ".join(["And then"] + ["we will see what else needs doing along the waterfront"] * 4) + "."
    assert clean_quote(f"\u201c{first} {second}\u201d") == first


def test_balanced_marks():
    assert balanced("She said \u2018no\u2019 twice and Peters\u2019 car left.")
    assert balanced("Er sagte \u201eja\u201c heute.")
    assert not balanced("She said \u2018no twice.")
    assert not balanced("She said no\u201d twice.")


def test_unattributed_and_non_speech_quotes_never_qualify():
    found = candidates(story(spoken(None, LONG + "."), spoken("Ann Lee", LONG + ".", kind="title"),
                             spoken("Ann Lee", LONG + ".")))
    assert [(c.speaker, c.block) for c in found] == [("Ann Lee", 3)]


def test_limits_per_article_and_per_briefing_and_round_robin_sharing():
    many = [story(*(spoken(f"Speaker {n}", f"{LONG} number {n}.") for n in range(5)), title=f"Story {i}")
            for i in range(8)]
    rows = select(many, per_article=2, limit=12)
    assert len(rows) == 12
    per_article = {}
    for index, _ in rows:
        per_article[index] = per_article.get(index, 0) + 1
    assert max(per_article.values()) == 2 and len(per_article) == 8     # every article got a first row
    assert rows == sorted(rows, key=lambda r: (r[0], r[1].position))    # shown in article, reading order


def test_ranking_prefers_a_new_speaker_and_fuller_quotes():
    short_words = "We will rebuild the whole northern pier now."               # 8 words
    article = story(spoken("Ann Lee", short_words), spoken("Ann Lee", LONG + " and after."),
                    spoken("Bo Park", short_words.replace("now", "soon")))
    rows = select([article], per_article=2, limit=12)
    assert sorted(c.speaker for _, c in rows) == ["Ann Lee", "Bo Park"]
    assert next(c for _, c in rows if c.speaker == "Ann Lee").text.startswith(LONG)


def test_evidence_ranks_a_named_speaker_above_a_pronoun_one():
    def quote(speaker: str, text: str, evidence: str) -> Paragraph:
        return Paragraph((Quote("speech", speaker, (Text(f"\u201c{text}\u201d"),), evidence),))

    article = story(quote("Ann Lee", LONG + " first.", "pronoun"), quote("Bo Park", LONG + " second.", "cue"))
    rows = select([article], per_article=1, limit=12)
    assert [c.speaker for _, c in rows] == ["Bo Park"]


def test_transcript_answers_qualify_without_their_label_and_questions_do_not():
    article = story(
        Paragraph((Text("Q: Will the pier be rebuilt before the storms of the coming winter arrive?"),)),
        Paragraph((Text(f"A: {LONG}."),), "Ann Lee", "role"),
        Paragraph((Text("It will cost less than the harbour board feared in the spring, too."),), "Ann Lee", "continuation"),
        Paragraph((Text("TAPPER: Why should the people of this town believe that promise now, then?"),), "Jo Tapper", "adjacent"),
    )
    assert [(c.speaker, c.text, c.tier) for c in candidates(article)] == [
        ("Ann Lee", f"{LONG}.", 1),
        ("Ann Lee", "It will cost less than the harbour board feared in the spring, too.", 2),
    ]
    # from the reader: an interview's answers give the briefing its rows
    from exporter.reader import read_text

    interview = read_text("A talk with the keeper\n\nLighthouse keeper Agnes Morrow has kept the light for years.\n\n"
                          "Q: What is the worst storm you remember?\n\n"
                          "A: The winter of the broken lantern, when we kept the light going with oil lamps.\n\n"
                          "Q: Do you ever get lonely?\n\nA: Never, because the sea is loud company all year round.\n")
    assert [(c.speaker, c.text[:20]) for _, c in select([interview], per_article=2)] == [
        ("Agnes Morrow", "The winter of the br"), ("Agnes Morrow", "Never, because the s")]


def _briefing_of_fixtures():
    from support import FIXTURES

    from exporter import api

    articles = [api.read(p) for p in sorted(FIXTURES.glob("00*.txt"))][:5]
    return build_briefing(articles, title="Morning")


def test_no_row_names_a_speaker_other_than_the_quotes_own_in_the_ast():
    briefing = _briefing_of_fixtures()
    doc = present(briefing, load_style("briefing"))
    key_quotes = next(p for p in doc.parts if isinstance(p, m.KeyQuotes))
    assert 0 < len(key_quotes.rows) <= 12
    by_id = {p.id: item.article for p, item in zip([p for p in doc.parts if isinstance(p, m.ArticlePart)],
                                                    briefing.articles)}
    for row in key_quotes.rows:
        block = by_id[row.article_id].body[int(row.quote_anchor.rsplit("-b", 1)[1])]
        speakers_of_text = {quote.speaker for _, content in iter_inline_runs((block,))
                            for quote, depth in iter_quotes(content)
                            if depth == 0 and _same_words(inline_text(quote.content), row.text)}
        # the same name, its apostrophes shown typographic (O'Rourke -> O’Rourke) and nothing else
        assert {curl(s, row.language) for s in speakers_of_text} == {row.speaker}, (row, speakers_of_text)


def _same_words(source: str, shown: str) -> bool:
    def words(text):
        return [w.strip("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e.,;:!?\u2014\u2013") for w in text.split()]
    return words(shown)[:6] == words(source)[:6]


def test_rows_are_the_same_whatever_the_style_look_and_at_most_per_article():
    briefing = _briefing_of_fixtures()
    rows = [next(p for p in present(briefing, load_style(name)).parts if isinstance(p, m.KeyQuotes)).rows
            for name in ("briefing", "default", "ebook")]
    assert rows[0] == rows[1] == rows[2]
    counts: dict[str, int] = {}
    for row in rows[0]:
        counts[row.article_id] = counts.get(row.article_id, 0) + 1
        assert row.text.startswith("\u201c") and row.text.endswith("\u201d")
        assert len(row.text.split()) >= 8
    assert max(counts.values()) <= 2
    fewer = next(p for p in present(briefing, load_style("briefing", ["sections.key_quotes_max=3"])).parts
                 if isinstance(p, m.KeyQuotes)).rows
    assert len(fewer) == 3
    none = present(briefing, load_style("briefing", ["sections.key_quotes_per_article=0"]))
    assert not [p for p in none.parts if isinstance(p, m.KeyQuotes)]
    switched_off = present(briefing, load_style("briefing", ["sections.key_quotes=false"]))
    assert not [p for p in switched_off.parts if isinstance(p, m.KeyQuotes)]


def test_article_cell_names_the_article_once_per_run_of_rows():
    article = story(spoken("Ann Lee", LONG + " one."), spoken("Bo Park", LONG + " two."))
    doc = present(build_briefing([article]), load_style("briefing"))
    rows = next(p for p in doc.parts if isinstance(p, m.KeyQuotes)).rows
    assert [(r.article, r.rows_in_run) for r in rows] == [("Pier works", 2), (None, 0)]
