"""Whole web pages as text: the article's extent on page shapes the reader was not first written
for (hand-written pages, never corpus text)."""
from __future__ import annotations

from exporter.ast import inline_text, iter_inline_runs
from exporter.reader import read_text


def body_texts(article):
    return [inline_text(content) for _, content in iter_inline_runs(article.body)]


def _chart() -> str:
    """A chart as a page pastes it: axis labels one per line, once per rendered size."""
    labels = ["$400", "billion", "300", "200", "100", "0", "’18", "’20", "’22", "’24", "’26", "’28"]
    return "\n\n".join(labels + ["Projected", "By Example Data | Source: Budget Office"] + labels)


def test_an_article_interrupted_by_charts_keeps_every_part():
    # The later parts weigh less than half the first: only as one article do they stay.
    parts = [[f"Part {p} sentence {i} explains how the town budget grew and what the council plans to do."
              for i in range(10 if p == 0 else 4)] for p in range(3)]
    menu = "\n".join(["Home", "World", "Business", "Sport", "Culture", "Opinion"])
    footer = "\n".join(["About us", "Contact", "Careers", "Privacy policy", "Terms of use"])
    page = "\n\n".join(["Town budget doubles | Example News", menu, "\n\n".join(parts[0]), _chart(),
                        "\n\n".join(parts[1]), _chart(), "\n\n".join(parts[2]), footer]) + "\n"
    kept = body_texts(read_text(page))
    assert [t for t in kept if t.startswith("Part ")] == [s for part in parts for s in part]
    assert "Home" not in kept and "Privacy policy" not in kept
    assert "’18" not in kept and "300" not in kept          # the labels themselves are still dropped


def test_a_lone_time_stamp_does_not_join_a_sidebar_to_the_article():
    story = [f"Sentence {i} of the main story reports the flood and the rescue on the river this week."
             for i in range(10)]
    sidebar = ["14:10", "Another town nearby reported a power cut that lasted for most of the evening.",
               "13:24", "A rail line was closed after a tree fell on the tracks during the storm."]
    menu = "\n".join(["Live", "Latest", "Weather", "Traffic", "Sport", "Contact us"])
    page = "\n\n".join(["River flood rescue | Example News", "\n\n".join(story), menu, "\n\n".join(sidebar)]) + "\n"
    kept = body_texts(read_text(page))
    assert kept == story


def test_a_capitals_label_is_dropped_and_a_quoted_subhead_is_a_heading():
    from exporter.ast import Heading

    text = ("Harbour town votes on the new bridge\n\n"
            "The town council voted on Monday to build a new bridge over the harbour after years of debate.\n\n"
            "“A bridge for everyone”\n\n"
            "The mayor said the bridge would carry cyclists and walkers as well as cars and buses.\n\n"
            "FULL TEXT.\n\n"
            "The full statement of the council is printed below for readers who want the detail.\n\n"
            "UPDATE:\n\n"
            "Councillor Ana Ruiz said she was pleased with the result of the vote on the bridge.\n")
    article = read_text(text)
    kept = body_texts(article)
    assert "FULL TEXT." not in kept and "UPDATE:" not in kept
    assert {d.text: d.reason for d in article.dropped}["FULL TEXT."] == "label"
    assert any(isinstance(b, Heading) and inline_text(b.content) == "“A bridge for everyone”" for b in article.body)
    # Capitals without a closing stop are a headline's shape, not a label's; "U.S." is no label.
    from exporter.reader.boilerplate import classify_line

    assert classify_line("HARBOUR NEWS") is None and classify_line("U.S.") is None
    assert classify_line("WATCH:") == "label" and classify_line("THE FULL STATEMENT OF THE COUNCIL.") is None


def test_a_headline_with_a_colon_and_quote_marks_above_the_article_is_the_title():
    text = ("Home\nNews\nSport\nWeather\n\n"
            "Mayor: “We will rebuild the harbour by spring”\n\n"
            "The town plans a new sea wall after the winter storms damaged the old one.\n\n"
            "By Ana Ruiz\n\n"
            "The mayor told the council on Monday that the harbour wall would be rebuilt before the spring tides arrive.\n\n"
            "Work will start next month and cost about four million euros, the council said in its budget papers.\n\n"
            "Residents welcomed the news but asked for the promenade to reopen as soon as possible.\n\n"
            "About us\nContact\nPrivacy\n")
    article = read_text(text)
    assert (article.meta.title, article.meta.title_origin) == ("Mayor: “We will rebuild the harbour by spring”", "headline")
    assert {d.line: d.reason for d in article.dropped}[6] == "title"
    # The dek stays the article's first paragraph; the menu above it is still chrome.
    assert body_texts(article)[0].startswith("The town plans a new sea wall")
    assert {d.text: d.reason for d in article.dropped}["Weather"] == "page-chrome"


def test_short_lines_after_a_sentence_ending_in_a_colon_are_its_list_not_chrome():
    from exporter.ast import ListBlock

    text = ("New phone reviewed\n\n"
            "The new phone arrived this week and we spent several days testing it around the town and the harbour.\n\n"
            "It improves on last year in three ways:\n\n"
            "Longer battery life\nA brighter screen\nTwo rear cameras\n\n"
            "The price stays the same as last year, which makes it an easy choice for most readers this autumn.\n\n"
            "We recommend it to anyone whose old phone is more than three years old and slowing down.\n")
    article = read_text(text)
    lists = [b for b in article.body if isinstance(b, ListBlock)]
    assert [[inline_text(item[0].content) for item in b.items] for b in lists] == [
        ["Longer battery life", "A brighter screen", "Two rear cameras"]]
    assert body_texts(article)[0].startswith("The new phone arrived")
    assert [d.reason for d in article.dropped] == ["title"]


def test_legal_and_medical_small_print_is_dropped_as_a_disclaimer():
    story = "\n\n".join(f"Sentence {i} of the review describes how the new diet plan worked for the reporter this month."
                        for i in range(6))
    text = (f"Diet plan tested\n\n{story}\n\n"
            "Results vary by person and by week, the study found, and the gap between the best and worst is growing.\n\n"
            "*Results may vary.\n\n"
            "This article is for informational purposes only and does not constitute medical advice.\n")
    article = read_text(text)
    reasons = {d.text: d.reason for d in article.dropped}
    assert reasons["*Results may vary."] == "disclaimer"
    assert reasons["This article is for informational purposes only and does not constitute medical advice."] == "disclaimer"
    assert body_texts(article)[-1].startswith("Results vary by person")      # a sentence, not small print


def test_a_live_blog_keeps_every_time_stamped_entry_with_its_heading():
    from exporter.ast import Heading

    page = ("Election night live: results from Norland\n\n23:48\n\nTurnout hits 68%\n\n"
            "The electoral commission says turnout reached 68%, the highest since 1998.\n\n"
            "22:00\n\nPolls close\n\nPolls have now closed. Counting begins in all 42 constituencies.\n")
    article = read_text(page)
    assert body_texts(article) == ["Turnout hits 68%",
                                   "The electoral commission says turnout reached 68%, the highest since 1998.",
                                   "Polls close", "Polls have now closed. Counting begins in all 42 constituencies."]
    assert [inline_text(b.content) for b in article.body if isinstance(b, Heading)] == ["Turnout hits 68%", "Polls close"]
    # Without blank lines, entry headings are still headings.
    dense = page.replace("\n\n", "\n")
    assert body_texts(read_text(dense)) == body_texts(article)


def test_a_live_blog_with_the_stamp_on_the_headings_line_keeps_its_first_entry():
    page = ("Storm live: power cuts across the north\n\n14:15 Power cut to 40,000 homes\n"
            "The grid operator says 40,000 homes are without power after the storm brought down lines.\n\n"
            "13:40 Trains cancelled\nAll trains between Leeds and York are cancelled for the rest of the day.\n")
    assert body_texts(read_text(page)) == [
        "14:15 Power cut to 40,000 homes",
        "The grid operator says 40,000 homes are without power after the storm brought down lines.",
        "13:40 Trains cancelled", "All trains between Leeds and York are cancelled for the rest of the day."]


def test_stamped_items_after_a_whole_article_are_a_ticker_not_the_article():
    story = [f"Sentence {i} of the main story reports the flood and the rescue on the river this week."
             for i in range(10)]
    ticker = ["14:10", "Power cut", "Another town nearby reported a power cut that lasted for most of the evening.",
              "13:24", "Rail line closed", "A rail line was closed after a tree fell on the tracks during the storm.",
              "12:50", "Roads reopen", "The coast road reopened after the water receded in the early afternoon today."]
    page = "\n\n".join(["River flood rescue | Example News", "\n\n".join(story), "Newsletter", "Latest news",
                        "\n\n".join(ticker)]) + "\n"
    assert body_texts(read_text(page)) == story


def test_a_label_with_a_colon_introduces_an_unmarked_list_and_the_article_goes_on():
    from exporter.ast import ListBlock

    items = ["71% of patients on 40mg reached target urate", "No serious liver events were reported",
             "Discontinuation rates were similar to placebo"]
    text = "\n".join(["Halvorsen Biotech announces positive results for gout drug",
                      "Halvorsen Biotech plc today announced that its oral candidate HB-204 met its primary "
                      "endpoint in a trial involving 312 patients.", "Key findings:", *items,
                      "The company expects to begin a larger trial in the first half of 2027, subject to "
                      "regulatory discussions."]) + "\n"
    article = read_text(text)
    lists = [b for b in article.body if isinstance(b, ListBlock)]
    assert [[inline_text(item[0].content) for item in b.items] for b in lists] == [items]
    assert body_texts(article)[-1].startswith("The company expects")
    assert "Key findings:" in body_texts(article)
    assert [d.reason for d in article.dropped] == ["title"]


def test_a_label_with_a_colon_over_menu_lines_at_the_page_end_is_not_a_list():
    story = [f"Sentence {i} of the main story reports the flood and the rescue on the river this week."
             for i in range(6)]
    text = "\n\n".join(["River flood rescue", *story, "Sections:", "World", "Business", "Sport", "Culture"]) + "\n"
    kept = body_texts(read_text(text))
    assert kept == story


def test_a_tab_separated_table_stays_in_the_article_with_the_lede_before_it():
    rows = ["Region\tAverage price\tChange on year", "North\t£182,400\t-2.1%", "Capital\t£498,700\t-3.6%"]
    lede = ("Average house prices fell in four of the six regions tracked by the Hallmark Building Society "
            "in November, according to figures published on Monday.")
    rest = ["The biggest fall was in the capital, where prices are now 3.6% lower than a year ago, the society said.",
            "Buyers are still cautious, but the worst of the slowdown may be behind us, economists say."]
    text = "\n".join(["House prices fall in four of six regions", lede, *rows, *rest]) + "\n"
    article = read_text(text)
    assert body_texts(article) == [lede, *rows, *rest]
    assert [d.reason for d in article.dropped] == ["title"]


def test_the_article_goes_on_after_a_photo_caption_with_its_credit():
    first = ("The council has halted the planned multi-storey car park on the market square after a vote "
             "on Wednesday evening, with 21 votes to 17.")
    second = "Campaigners said they would now push for a park on the site instead of the car park."
    last = "The project would have cost about 14 million euros."
    for caption in ("Caption: The market square on Wednesday. Photo: Peter Lind/Wirewell",
                    "The market square on Wednesday. Photo: Peter Lind/Wirewell"):
        text = "\n".join(["Council halts car park plan", first, second, caption, last, "Share this article"]) + "\n"
        article = read_text(text)
        assert body_texts(article) == [first, second, last]
        assert [(d.text, d.reason) for d in article.dropped if d.reason == "image-credit"] == [(caption, "image-credit")]
    # A sentence that merely mentions a photo is no caption.
    assert read_text("Title here\n\nShe said the photo: it was taken on Monday in the old town square.\n").body
