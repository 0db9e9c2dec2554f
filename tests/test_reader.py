"""The plain-text reader: the sample's required shape (issue 3), the core rules (issue 2), and
each cleanup stage on small texts written for the purpose."""
from __future__ import annotations

import re

import pytest

from exporter.ast import BlockQuote, Heading, ListBlock, Paragraph, Rule, inline_text, iter_inline_runs
from exporter.errors import InputError, UsageError
from exporter.reader import decode_bytes, read_text
import support
from support import SAMPLE


def body_texts(article):
    return [inline_text(content) for _, content in iter_inline_runs(article.body)]


@pytest.fixture(scope="module")
def sample():
    text, _ = decode_bytes(SAMPLE.read_bytes(), SAMPLE.name)
    return text, read_text(text, source_name=SAMPLE.name)


# ------------------------------------------------------------------------------ the sample
def test_sample_meta(sample):
    _, article = sample
    assert article.meta.source == "SBS News"
    assert article.meta.site == "internewscast.com"
    assert article.meta.title_origin == "lede"
    assert article.meta.title == "US President Donald Trump says he will speak to the presidents of Russia and Ukraine…"
    assert len(article.meta.title) <= 90
    assert article.meta.language == "en"


def test_sample_body_is_the_30_paragraphs_and_the_heading_in_order(sample):
    text, article = sample
    kinds = [type(b) for b in article.body]
    assert kinds.count(Paragraph) == 30 and kinds.count(Heading) == 1 and len(kinds) == 31
    heading = next(b for b in article.body if isinstance(b, Heading))
    assert inline_text(heading.content) == "‘Are they tapping us along?’" and heading.level == 2
    lines = text.split("\n")
    start = lines.index(body_texts(article)[0])
    end = lines.index(body_texts(article)[-1])
    expected = [ln for ln in lines[start:end + 1] if ln.strip()]
    assert body_texts(article) == expected          # every paragraph is exactly its source line
    joined = "\n".join(body_texts(article))
    for junk in ("Share this", "For the latest", "You May Also Like", "Greta", "Lexi"):
        assert junk not in joined
    assert "“Well, that’s what we’re trying to find out.”" in body_texts(article)   # stays a paragraph


def test_sample_related_teasers(sample):
    _, article = sample
    assert len(article.related) == 12
    assert all(item.title and item.summary and item.summary.endswith("…") for item in article.related)
    assert article.related[0].title.startswith("Lexi’s genetic disorder")
    assert article.related[1].title == "Greta Thunberg Embarks on Journey to Aid Crisis in Gaza"
    assert article.related[-1].title.startswith("Australian Economy Faces")


def test_sample_dropped_lines_are_recorded_with_reasons(sample):
    text, article = sample
    lines = text.split("\n")
    for d in article.dropped:
        assert lines[d.line - 1].strip() == d.text
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", d.reason)
    reasons = {d.text: d.reason for d in article.dropped}
    assert reasons["Share this @internewscast.com"] == "share-widget"
    assert reasons["For the latest from SBS News, and ."] == "link-residue"
    assert reasons["You May Also Like"] == "related-marker"
    assert reasons["Greta Thunberg sets sail for devastated Gaza"] == "teaser-caption"
    assert [d.line for d in article.dropped if d.text.startswith("Share this")] == [1, 47]


def test_keep_boilerplate_keeps_every_line(sample):
    text, _ = sample
    article = read_text(text, keep_boilerplate=True)
    assert "Share this @internewscast.com" in body_texts(article)
    assert "You May Also Like" in body_texts(article)
    assert article.related == () and article.dropped == ()


# ------------------------------------------------------------------------------ metadata
def test_front_matter_and_caller_overrides():
    text = "---\ntitle: From the front\nlang: de\ntags: [a, b]\nsource: Wire\n---\nDer Text des Artikels ist hier und er ist lang genug.\n"
    article = read_text(text)
    assert article.meta.title == "From the front" and article.meta.title_origin == "front-matter"
    assert article.meta.language == "de" and article.meta.tags == ("a", "b") and article.meta.source == "Wire"
    assert [d.line for d in article.dropped] == [1, 2, 3, 4, 5, 6]
    over = read_text(text, meta={"title": "Caller's", "source": "Desk", "tags": ["x"]})
    assert over.meta.title == "Caller's" and over.meta.title_origin == "caller"
    assert over.meta.source == "Desk" and over.meta.tags == ("x",) and over.meta.language == "de"


def test_unclosed_front_matter_is_text():
    article = read_text("---\ntitle: nope\nThe article starts here and keeps going for a while.\n")
    assert article.meta.title_origin != "front-matter"


def test_headline_first_line_gives_the_title_and_site():
    text = ("Ferry timetable changes anger island commuters - The Island Courier\n\n"
            "Commuters on the island say the new ferry timetable leaves them waiting an hour each morning.\n\n"
            "The operator said the change was needed to save fuel over the winter months.\n")
    article = read_text(text)
    assert article.meta.title == "Ferry timetable changes anger island commuters"
    assert article.meta.title_origin == "headline" and article.meta.site == "The Island Courier"
    assert article.dropped[0].reason == "title" and article.dropped[0].line == 1
    assert len(article.body) == 2


def test_lede_title_is_cut_at_a_word_boundary():
    sentence = "Officials in the northern province confirmed on Tuesday that the reservoir had reached its lowest level in forty years."
    article = read_text(sentence + " A second sentence follows.\n")
    assert article.meta.title_origin == "lede"
    assert article.meta.title.endswith("…") and len(article.meta.title) <= 90
    assert sentence.startswith(article.meta.title[:-1])
    short = read_text("Dr. Smith arrived late. Then he left.\n")
    assert short.meta.title == "Dr. Smith arrived late"


def test_title_is_never_untitled():
    for text in ("x\n", "Short line\n", "… x …\n", "123 456\n", "* * *\nword\n"):
        article = read_text(text)
        assert article.meta.title and article.meta.title != "Untitled"


@pytest.mark.parametrize("text, language", [
    ("The minister said that the plan would be ready in the spring and that it was on track.", "en"),
    ("Le ministre a dit que le plan serait prêt au printemps et qu'il est dans les temps pour les élections.", "fr"),
    ("Der Minister sagte, dass der Plan im Frühjahr fertig sein wird und dass er auf Kurs ist.", "de"),
    ("El ministro dijo que el plan estará listo en la primavera y que va por buen camino para los votantes.", "es"),
    ("Il ministro ha detto che il piano sarà pronto in primavera e che è sulla buona strada per gli elettori.", "it"),
    ("O ministro disse que o plano estará pronto na primavera e que está no caminho certo para os eleitores.", "pt"),
    ("De minister zei dat het plan in de lente klaar is en dat het op schema ligt voor de kiezers.", "nl"),
    ("Министр сказал, что план будет готов весной и что все идет по графику для избирателей.", "ru"),
    ("Міністр сказав, що план буде готовий навесні і що все йде за графіком для виборців.", "uk"),
    ("Ministr řekl, že plán bude hotový na jaře a že je to podle harmonogramu pro voliče.", "cs"),
    # decided by script, not by stopwords
    ("大臣は、計画は春までに準備が整い、予定どおりに進んでいると述べました。", "ja"),
    ("장관은 계획이 봄까지 준비될 것이며 예정대로 진행되고 있다고 말했다.", "ko"),
    ("部长说，该计划将在春季准备就绪，并且进展顺利。", "zh"),
    ("وقال الوزير إن الخطة ستكون جاهزة في الربيع وإنها تسير في الموعد المحدد.", "ar"),
    ("השר אמר כי התוכנית תהיה מוכנה באביב וכי היא מתקדמת לפי הלוח.", "he"),
    ("Ο υπουργός είπε ότι το σχέδιο θα είναι έτοιμο την άνοιξη και ότι προχωρά κανονικά.", "el"),
])
def test_language_guess(text, language):
    assert read_text(text + "\n").meta.language == language


# ------------------------------------------------------------------------------ structure
def test_hard_wrapped_paragraphs_are_rejoined():
    text = ("The harbour council voted on Thursday to fund repairs to the old\n"
            "footbridge, ending a dispute that has kept the crossing closed for\n"
            "almost ten years.\n\n"
            "Work begins in May and the contractors expect the bridge to reopen\n"
            "by the end of the summer, weather permitting, the council said.\n")
    article = read_text(text)
    assert body_texts(article) == [
        "The harbour council voted on Thursday to fund repairs to the old footbridge, ending a dispute that has kept the crossing closed for almost ten years.",
        "Work begins in May and the contractors expect the bridge to reopen by the end of the summer, weather permitting, the council said.",
    ]


def test_one_paragraph_per_line_is_not_rejoined():
    text = "First sentence of the story is here.\nSecond paragraph is on its own line.\nThird one too, as in the sample.\n"
    assert len(read_text(text).body) == 3


def test_headings_lists_blockquotes_rules():
    text = ("The report was published on Monday and runs to two hundred pages.\n\n"
            "## Findings\n\n"
            "- the river is cleaner\n- the fish are back\n\n"
            "1. publish data\n2. fund monitoring\n\n"
            "> A quoted passage from the report itself.\n\n"
            "* * *\n\n"
            "The authors will present it to the council next week, they said.\n")
    body = read_text(text).body
    assert isinstance(body[1], Heading) and body[1].level == 2 and inline_text(body[1].content) == "Findings"
    assert isinstance(body[2], ListBlock) and not body[2].ordered and len(body[2].items) == 2
    assert isinstance(body[3], ListBlock) and body[3].ordered
    assert isinstance(body[4], BlockQuote)
    assert isinstance(body[5], Rule)


def test_implicit_heading_rules():
    def kinds(middle):
        text = f"A first paragraph that is long enough to be prose here.\n\n{middle}\n\nA last paragraph that is also long enough to be prose.\n"
        return type(read_text(text).body[1]).__name__
    assert kinds("‘Are they tapping us along?’") == "Heading"
    assert kinds("What the repairs cover") == "Heading"
    assert kinds("“Well, that’s what we’re trying to find out.”") == "Paragraph"
    assert kinds("He left early.") == "Paragraph"
    assert kinds("“What now?” he asked") == "Paragraph"


# ------------------------------------------------------------------------------ cleanup
def test_repeated_lines_and_related_links():
    text = ("Residents packed the hall to hear the plans for the new school building.\n"
            "Read more: Council delays school vote again\n"
            "The head teacher said the old building was no longer safe for pupils.\n"
            "Residents packed the hall to hear the plans for the new school building.\n")
    article = read_text(text)
    assert [r.title for r in article.related] == ["Council delays school vote again"]
    assert [(d.line, d.reason) for d in article.dropped] == [(2, "related-link"), (4, "repeated")]


def test_whole_page_keeps_the_article_and_drops_the_chrome():
    nav = "\n".join(["Home", "World", "Business", "Sport", "Culture", "Sign in", "Subscribe"])
    prose = "\n\n".join(f"Paragraph {i} of the story explains what happened at the meeting and why it matters to readers." for i in range(8))
    footer = "\n".join(["About us", "Contact", "Careers", "Privacy policy", "© 2024 Example Media"])
    article = read_text(f"Story headline here | Example Media\n\n{nav}\n\n{prose}\n\n{footer}\n")
    assert body_texts(article) == [f"Paragraph {i} of the story explains what happened at the meeting and why it matters to readers." for i in range(8)]
    assert article.meta.title == "Story headline here"
    reasons = {d.text: d.reason for d in article.dropped}
    assert reasons["Sign in"] == "sign-in" and reasons["Home"] == "navigation" and reasons["Business"] == "page-chrome"
    assert reasons["© 2024 Example Media"] == "copyright"


def test_prose_mentioning_subscribers_or_cookies_is_kept():
    text = ("Netflix added five million subscribers in the quarter, the company said.\n"
            "The bakery sells cookies that use an old family recipe from the 1920s.\n")
    assert len(read_text(text).body) == 2


def test_empty_text_is_an_input_error():
    with pytest.raises(InputError, match="^in.txt: "):
        read_text(" \n\t\n", source_name="in.txt")


def test_unknown_meta_field_is_a_usage_error():
    with pytest.raises(UsageError):
        read_text("Some text here.", meta={"colour": "red"})


# ------------------------------------------------------------------------------ speed
def _long_input(copies: int) -> str:
    lines = [ln for ln in SAMPLE.read_text(encoding="utf-8").split("\n")[2:45] if ln.strip()]
    return "\n".join(f"{ln} (copy {c})" for c in range(copies) for ln in lines) + "\n"


def test_reader_work_is_linear():
    """10x -> 100x input must take about 10x the work (a quadratic stage would take 100x).  Work
    is counted, not timed (support.work); the benchmark (bench/) times the 1x -> 100x ratio."""
    ten, hundred = _long_input(10), _long_input(100)
    read_text(ten)                                   # lazy patterns compiled, caches warm
    ratio = support.work(read_text, hundred) / support.work(read_text, ten)
    assert ratio <= 11, f"10x -> 100x input took {ratio:.1f}x the work (linear: about 10x)"


def test_closing_short_sentence_stays_and_comments_end_the_article():
    paragraphs = [f"Paragraph {i} of the report describes the vote and what the council decided to do next." for i in range(12)]
    text = "\n\n".join(paragraphs + ["Only one member stayed home.", "Comments (3)", "Reader_1",
                                    "I think this is a wonderful decision for the whole town and I support it fully.", "Reply"]) + "\n"
    article = read_text(text)
    assert body_texts(article)[-1] == "Only one member stayed home."
    reasons = {d.text: d.reason for d in article.dropped}
    assert reasons["Comments (3)"] == "comments" and reasons["Reader_1"] == "comments"
    assert reasons["I think this is a wonderful decision for the whole town and I support it fully."] == "comments"


def test_a_related_list_in_the_menu_does_not_eat_the_article():
    menu = "\n".join(["Home", "News", "Related", "About", "Contact", "Careers"])
    prose = "\n\n".join(f"Sentence number {i} tells the reader what happened at the harbour this week." for i in range(6))
    article = read_text(f"Harbour news roundup | Site\n\n{menu}\n\nHarbour news roundup\n\nBy Ana Ruiz\n\n{prose}\n")
    assert len(body_texts(article)) == 6
    assert article.meta.byline == "Ana Ruiz"
    assert all(item.title not in ("About", "Contact") for item in article.related)


def test_crlf_and_markup_lines():
    text = "<div class=\"ad\"><img src=\"x.gif\"></div>\r\nThe first paragraph of the story is right here, as it should be.\r\n"
    article = read_text(text)
    assert body_texts(article) == ["The first paragraph of the story is right here, as it should be."]
    assert article.dropped[0].reason == "markup" and article.dropped[0].line == 1


def test_title_cased_headline_with_a_full_stop():
    text = "Council Approves New Harbour Bridge After Long Delay.\n\nThe council approved the bridge on Monday after a decade of delays and arguments.\n"
    article = read_text(text)
    assert article.meta.title == "Council Approves New Harbour Bridge After Long Delay"
    assert article.meta.title_origin == "headline"


def test_teaser_captions_headlines_and_summaries():
    text = ("The story itself is told here in one full paragraph of ordinary prose.\n"
            "More from the desk\n\n"
            "A caption describing a photograph of the harbour at dawn.\n\n"
            "Harbour Bridge Reopens To Cyclists\n\n"
            "Cyclists returned to the bridge on Monday after the council finished the…\n")
    article = read_text(text)
    assert [(r.title, r.summary) for r in article.related] == [
        ("Harbour Bridge Reopens To Cyclists", "Cyclists returned to the bridge on Monday after the council finished the…")]
    assert [d.reason for d in article.dropped] == ["related-marker", "teaser-caption", "related-teaser", "related-teaser"]


def test_hard_wrapped_text_with_a_stray_long_line():
    def paragraph(i):
        return (f"The harbour council voted on Thursday ({i}) to fund repairs to the old\n"
                "footbridge, ending a dispute that has kept the crossing closed for\n"
                "almost ten years, according to minutes published on its website.\n\n")
    url = "https://example.org/" + "a" * 120 + "\n\n"
    article = read_text("".join(paragraph(i) for i in range(3)) + url + "".join(paragraph(i) for i in range(3, 25)))
    texts = body_texts(article)
    assert len(texts) == 26 and texts[3] == url.strip()
    assert texts[0] == ("The harbour council voted on Thursday (0) to fund repairs to the old footbridge, ending a dispute "
                        "that has kept the crossing closed for almost ten years, according to minutes published on its website.")


def test_title_skips_date_stamps_and_bylines_and_labels():
    article = read_text("June 2, 2024\n\nBy Ana Ruiz\n\nHarbour Bridge Reopens\n\nThe bridge reopened on Monday after a long wait for local people.\n")
    assert (article.meta.title, article.meta.byline, article.meta.date) == ("Harbour Bridge Reopens", "Ana Ruiz", "2024-06-02")
    assert read_text("BREAKING\nThe bridge reopened on Monday after a long wait for local people.\n").meta.title_origin == "lede"


def test_dates_become_iso_when_they_parse():
    assert read_text("---\ndate: March 14, 2025\n---\nThe text of the article is here.\n").meta.date == "2025-03-14"
    assert read_text("The text of the article is here.\n", meta={"date": "last Tuesday"}).meta.date == "last Tuesday"


@pytest.mark.parametrize("stamp", ["APR\u0130L 5, 2015", "Apr\u0131l 5, 2015", "5 \u017feptember 2015"])
def test_months_spelt_with_letters_that_lower_oddly_still_parse(stamp):
    # re's IGNORECASE matches these as month names although str.lower() gives no MONTHS key;
    # they once raised KeyError out of read().
    article = read_text(f"A headline for the story\n\n{stamp}\n\nThe text of the article is here.\n")
    assert article.meta.date in ("2015-04-05", "2015-09-05")


@pytest.mark.parametrize("top", ["Home | Politics | Business | Sport", "Home > News > Local", "Opinion"])
def test_a_menu_breadcrumb_or_section_label_over_the_headline_is_not_the_title(top):
    text = (f"{top}\nCouncil halts car park plan after late vote\n"
            "The council has halted the planned multi-storey car park on the market square after a vote on Wednesday evening.\n\n"
            "Campaigners said they would now push for a park on the site instead of the car park.\n")
    article = read_text(text)
    assert article.meta.title == "Council halts car park plan after late vote"
    assert article.meta.title_origin == "headline" and article.meta.site is None


def test_a_section_label_over_an_op_eds_headline_and_standfirst_leaves_the_headline_the_title():
    text = ("Opinion\nOur libraries are not a luxury. Stop treating them like one\n"
            "Closing branches to save pennies will cost the town far more in the long run\n"
            "When the council voted last week to close four of the town's seven libraries, the council leader "
            "described the move as unavoidable. It is neither.\n"
            "The savings are tiny. The four branches cost a small share of the council's budget every year.\n")
    assert read_text(text).meta.title == "Our libraries are not a luxury. Stop treating them like one"


def test_numbered_subheads_keep_their_numbers_and_a_real_list_stays_a_list():
    text = ("Five changes to the timetable\n\n"
            "The biggest overhaul of the regional timetable in a decade takes effect on Sunday for commuters.\n\n"
            "1. Cheaper trains\n\nOff-peak fares fall by up to 15% on most routes across the whole region.\n\n"
            "2. More seats\n\nEight-car trains replace four-car ones on the Millbrook line from Monday.\n\n"
            "The operator named three stations that close:\n\n1. Osterley\n2. Greyfield\n3. Millbrook\n\n"
            "It will review the changes in March, after a consultation with the passengers.\n")
    body = read_text(text).body
    texts = [inline_text(b.content) for b in body if not isinstance(b, ListBlock)]
    assert "1. Cheaper trains" in texts and "2. More seats" in texts
    [stations] = [b for b in body if isinstance(b, ListBlock)]
    assert stations.ordered and [inline_text(item[0].content) for item in stations.items] == ["Osterley", "Greyfield", "Millbrook"]


def test_one_paragraph_per_line_under_a_headline_is_not_hard_wrapped():
    from exporter.reader.units import looks_hard_wrapped

    lines = ["Council halts car park plan",
             "\"We need space for people, not cars,\" said Jana Oberlander after the vote.",
             "Mayor Rudiger Kampe was disappointed. \"Shops will feel the consequences,\" he said."]
    assert not looks_hard_wrapped(lines)
    article = read_text("\n".join(lines) + "\n")
    assert [inline_text(b.content) for b in article.body] == lines[1:]
    # A live blog's time stamps and entry headings are short lines, not wrapped ones.
    live = ["Storm Hendrika batters the west coast", "14:15 GMT",
            "Western Grid says about 40,000 homes are without electricity across the region.",
            "Engineers will work through the night to restore supply to customers.", "13:40 GMT",
            "What we know so far", "Winds of up to 95mph have been recorded at Carrow Point.",
            "A red warning is in place until 18:00."]
    assert not looks_hard_wrapped(live)
    body = [inline_text(b.content) for b in read_text("\n".join(live) + "\n").body]
    assert body == [live[2], live[3], live[5], live[6], live[7]]


@pytest.mark.parametrize("marker", ["Other Opinion Columns", "More business news:", "Other stories"])
def test_other_and_more_headers_start_a_teaser_list(marker):
    prose = "\n\n".join(f"Paragraph {i} of the column explains what the council decided and why it matters to readers." for i in range(5))
    teasers = "\n\n".join(["Harbour fees to rise in spring", "Ferry timetable changes explained", "Why the old quay must stay"])
    article = read_text(f"Council decides on the harbour\n\n{prose}\n\n{marker}\n\n{teasers}\n")
    assert [r.title for r in article.related] == ["Harbour fees to rise in spring", "Ferry timetable changes explained",
                                                  "Why the old quay must stay"]
    assert all(not inline_text(b.content).startswith(("Harbour fees", "Other", "More")) for b in article.body)
