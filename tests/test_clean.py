"""Cleaning rules on pages written for the tests: text form and HTML form."""

from pathlib import Path

from search.cleaning import features
from search.cleaning.clean import clean_page, first_sentence, shorten, strip_title_suffix
from search.cleaning.dates import dateline_date
from search.reading.corpus import read_page
from search.records import Page
from tests.pages import CHESS_TEXT, HARBOUR_TEXT, HTML_ARTICLE, NO_HEADLINE_TEXT


def text_page(content: str, name: str = "page.txt") -> Page:
    return Page(id=name, path=name, kind="text", content=content)


def test_text_page_drops_menu_dateline_share_line_and_signoff():
    doc = clean_page(text_page(CHESS_TEXT))
    assert doc.title == "Village chess club wins regional title"
    assert doc.date == "2021-03-14"
    assert doc.site == "Marwick Gazette"
    assert doc.body.startswith("The village chess club of Lower Marwick")
    assert doc.body.endswith("a grant from the parish council.")
    for junk in ("Home | World", "A+ A-", "Share on Facebook", "Marwick Gazette\n"):
        assert junk not in doc.body
    reasons = {r.reason for r in doc.removed}
    assert {"dateline", "outlet sign-off"} <= reasons


def test_dateline_with_time_is_the_date_and_narrative_dates_are_not():
    doc = clean_page(text_page(HARBOUR_TEXT))
    assert doc.date == "2019-07-02"
    assert "On 12 May 1998" in doc.body
    assert dateline_date("On 12 May 1998 a similar plan was shelved after objections from residents.") is None


def test_datelines_in_other_languages_and_with_an_update_date():
    assert dateline_date("30 avril 2015 à 07:19 (Mis à jour : 30 avril 2015 à 07:38)") == "2015-04-30"
    assert dateline_date("Publicado el 3 de enero de 2019") == "2019-01-03"
    assert dateline_date("Veröffentlicht am 3. März 2019, 10:15 Uhr") == "2019-03-03"
    assert dateline_date("Dec. 6, 2024, 10:00 PM UTC / Updated Dec. 7, 2024, 12:43 PM UTC") == "2024-12-06"
    # A sentence with a date in it stays a sentence, in any language.
    assert dateline_date("Le 30 avril 2015, le séisme a fait des milliers de victimes au Népal.") is None


def test_a_dateline_below_byline_and_caption_is_found_and_a_dated_list_is_not_one():
    top = ["Harbour dredging to start in September", "By Alison Grant", "Photograph: the northern channel",
           "Share on Facebook", "Share on Twitter"]
    story = HARBOUR_TEXT.split("\n", 1)[1]
    doc = clean_page(text_page("\n".join([*top, "Tue 2 Jul 2019 09.15 BST", story])))
    assert doc.date == "2019-07-02"
    teasers = [line for n in range(5) for line in (f"Ferry number {n} returns after repairs", f"{n + 1} June 2019")]
    doc = clean_page(text_page("\n".join([*top, *teasers, story])))
    assert doc.date is None


def test_a_bare_date_far_above_the_article_is_not_its_dateline():
    # A text page whose menus and fact lists run long above the article: a date among them
    # belongs to the list, not to the story.
    facts = [line for i in range(15) for line in (f"Ward {i}", f"{1000 + 37 * i} residents")]
    facts[4:4] = ["Founded", "26 September 1907"]
    doc = clean_page(text_page("\n".join(facts) + "\n" + CHESS_TEXT.split("\n", 1)[1]))
    assert doc.date == "2021-03-14"  # the chess page's own dateline, beside its headline
    doc = clean_page(text_page("\n".join(facts) + "\n" + NO_HEADLINE_TEXT))
    assert doc.date != "1907-09-26"


def test_page_without_headline_gets_first_sentence_title():
    doc = clean_page(text_page(NO_HEADLINE_TEXT))
    assert doc.date is None
    assert len(doc.title) <= 100 and doc.title.endswith("…")
    assert doc.body.startswith(doc.title.rstrip("…"))


def test_first_sentence_is_not_fooled_by_abbreviations():
    text = "Dr. Smith met U.S. officials in Washington. They talked for an hour."
    assert first_sentence(text) == "Dr. Smith met U.S. officials in Washington."


def test_shorten_cuts_on_word_boundary():
    cut = shorten("word " * 40, 100)
    assert len(cut) <= 100 and cut.endswith("word…")


def test_title_suffix_with_site_name_is_dropped():
    assert strip_title_suffix("Bridge repairs finish early | The Riverside Post", "The Riverside Post") == \
        "Bridge repairs finish early"
    assert strip_title_suffix("Prices rise again - Daily Example", None) == "Prices rise again"


def test_html_page_keeps_article_and_reads_markup(tmp_path: Path):
    path = tmp_path / "bridge.html"
    path.write_text(HTML_ARTICLE, encoding="utf-8")
    doc = clean_page(read_page(path, tmp_path))
    assert doc.title == "Bridge repairs finish early"
    assert doc.date == "2020-10-05"
    assert doc.site == "The Riverside Post"
    assert doc.url == "https://riverside.example/news/2020/10/05/bridge-repairs"
    assert doc.lang == "en"
    assert len(doc.body.split("\n\n")) == 3
    for junk in ("tracking", "color: red", "cookies", "Share on Twitter", "Most read", "All rights reserved",
                 "Sport"):
        assert junk not in doc.body, junk


def test_date_from_url_when_markup_has_none():
    html = ("<html><head><link rel='canonical' href='https://example.org/2017/06/30/flood-story'></head><body>"
            "<p>" + "The river rose above its banks overnight and flooded the lower town. " * 3 + "</p></body></html>")
    doc = clean_page(Page(id="f.html", path="f.html", kind="html", content=html))
    assert doc.date == "2017-06-30"


def test_deeply_nested_html_does_not_crash():
    html = "<div>" * 5000 + "<p>" + "Deep text about the harbour and its boats in winter. " * 3 + "</p>" + \
        "</div>" * 5000
    doc = clean_page(Page(id="deep.html", path="deep.html", kind="html", content=html))
    assert "harbour" in doc.body


def html_page(head: str, body: str, name: str = "p.html") -> Page:
    return Page(id=name, path=name, kind="html", content=f"<html><head>{head}</head><body>{body}</body></html>")


STORY = "".join(f"<p>{s}</p>" for s in (
    "The county council agreed on Tuesday to rebuild the flood wall along the lower quay, after two winters in "
    "which the river came over the top and into the houses behind it.",
    "Engineers said the new wall would be a metre higher than the old one and would be finished before the autumn "
    "storms, at a cost shared between the council and the national flood fund.",
))


def test_title_is_the_headline_not_the_title_tags_site_suffix():
    doc = clean_page(html_page("<title>Quay wall to be rebuilt higher | Northwick Echo</title>",
                               f"<h1>Quay wall to be rebuilt higher</h1>{STORY}"))
    assert doc.title == "Quay wall to be rebuilt higher"
    doc = clean_page(html_page("<title>Northwick Echo - Quay wall to be rebuilt higher</title>"
                               "<meta property='og:site_name' content='Northwick Echo'>", STORY))
    assert doc.title == "Quay wall to be rebuilt higher"
    assert doc.site == "Northwick Echo"


def test_date_from_markup_before_dateline_and_url():
    doc = clean_page(html_page("<meta property='article:published_time' content='2016-05-04T10:00:00Z'>"
                               "<link rel='canonical' href='https://echo.example/2015/01/02/quay'>",
                               f"<p>Published 3 March 2014</p>{STORY}"))
    assert doc.date == "2016-05-04"
    doc = clean_page(html_page("<link rel='canonical' href='https://echo.example/2015/01/02/quay'>", STORY))
    assert doc.date == "2015-01-02"
    doc = clean_page(html_page("", f"<p>Published 3 March 2014</p>{STORY}"))
    assert doc.date == "2014-03-03"


def test_a_date_in_the_story_is_never_the_publication_date():
    text = ("Quay wall to be rebuilt higher\n"
            "On Feb. 25-26, 1992, the river rose over the old quay wall and flooded more than two hundred houses in "
            "the lower town, the worst flood since records began.\n"
            "The council said on 3 March 2014 that the wall would be rebuilt, and engineers began work on the "
            "foundations this spring, ahead of the autumn storms.\n")
    doc = clean_page(text_page(text))
    assert doc.date is None
    assert doc.title == "Quay wall to be rebuilt higher"


def test_text_form_title_is_the_headline_line_matching_the_title_line():
    lines = ["Quay wall to be rebuilt higher - Northwick Echo", "Northwick Echo", "Home", "News", "Sport",
             "Quay wall to be rebuilt higher", "By Jo Reed", "4 May 2016",
             "The county council agreed on Tuesday to rebuild the flood wall along the lower quay, after two "
             "winters in which the river came over the top and into the houses behind it.",
             "Engineers said the new wall would be a metre higher than the old one and would be finished before "
             "the autumn storms, at a cost shared between the council and the national flood fund.",
             "Most read", "Ferry returns after repairs", "Choir wins county contest", "Contact us", "Privacy policy"]
    doc = clean_page(text_page("\n".join(lines)))
    assert doc.title == "Quay wall to be rebuilt higher"
    assert doc.date == "2016-05-04"
    assert doc.body.startswith("The county council agreed")
    assert doc.body.endswith("national flood fund.")
    for junk in ("Most read", "Privacy policy", "Home", "Choir wins"):
        assert junk not in doc.body


def test_text_form_title_from_the_title_line_when_the_headline_is_far_or_missing():
    story = ["The county council agreed on Tuesday to rebuild the flood wall along the lower quay, after two "
             "winters in which the river came over the top and into the houses behind it.",
             "Engineers said the new wall would be a metre higher than the old one and would be finished before "
             "the autumn storms, at a cost shared between the council and the national flood fund."]
    menu = ["Home", "News", "Sport", "Weather", "Contact us"]
    # The headline line sits below a long run of kept junk: matching the title line's headline finds it.
    promo = ["Sign up to our morning newsletter and get the day's stories in your inbox before breakfast, "
             "with the weather, the traffic and what is on in the district this week."]
    far = ["Quay wall to be rebuilt higher | Northwick Echo", *menu, *promo, "Most read", *menu,
           "Quay wall to be rebuilt higher", *story]
    assert clean_page(text_page("\n".join(far))).title == "Quay wall to be rebuilt higher"
    # No line repeats the headline: the title line less its site label is the title.
    missing = ["Quay wall to be rebuilt higher | Northwick Echo", *menu, "By Jo Reed", *story]
    assert clean_page(text_page("\n".join(missing))).title == "Quay wall to be rebuilt higher"


def test_a_wire_storys_headline_is_its_title_not_its_first_line_of_figures():
    lines = ["Home | Markets | Companies | Contact", "Published 4 May 2016",
             "Harbour Foods Corp 3rd Qtr Net",
             "Shr 1.77 dlrs vs 60 cts", "Net 58.2 mln vs 19.4 mln", "Revs 377.4 mln vs 188.0 mln",
             "NOTE: third quarter net includes an after-tax gain of three mln dlrs on the sale of the company's "
             "cold store at the harbour, which it had owned since it was founded.",
             "Share on Facebook", "Marwick Gazette"]
    doc = clean_page(text_page("\n".join(lines)))
    assert doc.title == "Harbour Foods Corp 3rd Qtr Net"


def test_explain_names_each_removed_block_and_its_reason_for_html(tmp_path: Path):
    import json

    from click.testing import CliRunner

    from search.cli import main
    from tests.pages import HTML_ARTICLE

    (tmp_path / "bridge.html").write_text(HTML_ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", "--json", "--explain", str(tmp_path / "bridge.html")])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    reasons = {r["text"]: r["reason"] for r in record["removed"]}
    assert reasons["Home News Sport"] == "<nav> element"
    assert reasons["Bridge repairs finish early"] == "headline (used as the title)"
    assert reasons["Share on Twitter Email"] == "share, subscribe or navigation line"
    assert all(text not in record["body"] for text in reasons)


def test_paragraph_broken_over_lines_is_kept_whole():
    text = ("Harbour dredging approved\n"
            "The harbour authority approved a plan on Tuesday to dredge the northern channel,\n"
            "which fishing crews say has become too shallow for laden boats at low tide, and\n"
            "work is expected to begin in September.\n"
            "The cost will be shared with the regional government, the authority said in a statement.\n")
    doc = clean_page(text_page(text))
    assert "which fishing crews say" in doc.body and "work is expected" in doc.body
    assert doc.title == "Harbour dredging approved"


def test_utf8_page_read_as_latin1_is_repaired():
    article = ("The café on the quay reopened on Monday after a winter’s repairs, its owner said, and the first "
               "customers queued for coffee in the sun.\u00a0" * 3)
    garbled = article.encode("utf-8").decode("latin-1")
    doc = clean_page(html_page("<meta charset='iso-8859-1'>", f"<p>{garbled}</p>"))
    assert "café" in doc.body and "winter’s" in doc.body
    assert "Ã" not in doc.body


LONG_STORY = STORY + "".join(f"<p>{s}</p>" for s in (
    "Residents of the lower quay, who were moved out of their houses twice in the last two winters, said they "
    "were glad the work would start at last, though some asked why it had taken so long to agree on a plan.",
    "The council leader said the delay had been caused by the search for funding, and that the national fund "
    "had only agreed to pay its share of the cost in the spring, after a second survey of the old wall.",
))


def test_comment_thread_in_a_compound_classed_block_is_page_furniture():
    from search.cleaning.markup import html_lines, parse_html

    comments = "".join(
        f"<li class='commententry'><span class='poster'>Reader {n} wrote :</span>"
        f"<div class='commentContent'><p>I have lived by the quay for thirty years and I think that the new wall "
        f"is a waste of the money that the council should have spent on the roads, reader {n} said.</p></div></li>"
        for n in range(3))
    page = (f"<html><body><article><h1>Quay wall to be rebuilt</h1>{LONG_STORY}<div class='postcomments'>"
            f"<ul class='commentlist'>{comments}</ul></div><div class='commentary'>{STORY}</div>"
            "</article></body></html>")
    lines = html_lines(parse_html(page))
    assert {line.furniture for line in lines if "reader" in line.text.lower()} == {"comment"}
    assert not any(line.furniture for line in lines if "county council" in line.text)
    doc = clean_page(html_page("", page.removeprefix("<html><body>").removesuffix("</body></html>")))
    assert doc.body.startswith("The county council agreed")
    assert "second survey of the old wall." in doc.body


def test_a_run_of_teasers_under_linked_headlines_is_dropped():
    teasers = "".join(
        f"<h3><a href='/story/{n}'>Ferry number {n} returns after repairs</a></h3>"
        f"<p>The ferry that links the two sides of the estuary is back in service after a month in the yard, "
        f"its operator said on day {n}.</p>" for n in range(4))
    doc = clean_page(html_page("", f"<div><h1>Quay wall to be rebuilt</h1>{LONG_STORY}</div><div>{teasers}</div>"))
    assert "second survey of the old wall." in doc.body
    assert "ferry" not in doc.body.lower()
    assert {r.reason for r in doc.removed if "ferry" in r.text.lower()} <= {"teaser of another page", "link list"}
    index = clean_page(html_page("", f"<div><h1>News</h1>{teasers}</div>"))
    assert index.body == ""


def test_a_bare_dateline_is_the_date_however_article_like_it_looks():
    text = ("Quay wall to be rebuilt higher\n4 May 2016\n" + "\n".join(
        ["The county council agreed on Tuesday to rebuild the flood wall along the lower quay, after two winters "
         "in which the river came over the top and into the houses behind it."] * 3))
    doc = clean_page(text_page(text))
    assert doc.date == "2016-05-04"
    assert "4 May 2016" not in doc.body


def test_prose_in_an_aside_beside_the_article_is_dropped():
    aside = ("<aside><p>In other news, the ferry that links the two sides of the estuary is back in service after "
             "a month in the yard, and its operator said that the timetable would return to normal on Monday.</p>"
             "</aside>")
    doc = clean_page(html_page("", f"<article><h1>Quay wall to be rebuilt</h1>{LONG_STORY}{aside}</article>"))
    assert "second survey of the old wall." in doc.body
    assert "ferry" not in doc.body
    assert {r.reason for r in doc.removed if "ferry" in r.text} == {"<aside> element"}


def test_machinery_reasons_are_what_each_pattern_finds_on_its_own():
    from search.cleaning.boilerplate import ACTION_PATTERNS, MACHINERY_PATTERNS, POST_FOOTER_PATTERNS
    from tests import pages

    crafted = ["Error message", "ERROR.", "Share this article", "share on Facebook now", "Follow us on X",
               "This site uses cookies to give you the best experience", "Accept all cookies", "All rights reserved.",
               "Copyright 2024 The Bugle", "12 comments", "Please wait...", "Loading", "Read more",
               "Subscribe to our newsletter for daily news", "He said the page not found error was fixed.",
               "Tags: floods, council", "Next article: the bridge", "You must enable JavaScript to view this",
               "The council will print a leaflet", "Most read", "Advertisement", "Leave a comment below",
               "This entry was posted on Monday, May 6th, 2019 at 9:12 am and is filed under Harbour.",
               "You can follow any responses to this entry through the RSS 2.0 feed.",
               "This post was a long time coming, the harbour master said.", "© The Harbour Gazette 2019",
               "Posted by: Alison Grant at May 7, 2019 09:12 AM", "The comments to this entry are closed.",
               "Posted by the harbour master at the quay, the notice said the wall would close."]
    texts = [v for v in vars(pages).values() if isinstance(v, str)]
    lines = crafted + [line.strip() for text in texts for line in text.splitlines() if line.strip()]
    assert len(lines) > 60
    for line in lines:
        alone = ("widget text" if features.is_widget(line)
                 else "script or site message" if any(p.search(line) for p in MACHINERY_PATTERNS)
                 else features.POST_FOOTER if any(p.search(line) for p in POST_FOOTER_PATTERNS)
                 else "share, subscribe or navigation line" if any(p.search(line) for p in ACTION_PATTERNS)
                 else "")
        assert features.machinery_reason(line) == alone, line
    assert {features.machinery_reason(line) for line in crafted} >= {"script or site message", features.POST_FOOTER,
                                                                      "share, subscribe or navigation line"}
    assert features.machinery_reason("© The Harbour Gazette 2019") == "share, subscribe or navigation line"


def test_text_the_browser_never_shows_is_not_a_line():
    from search.cleaning.markup import html_lines, parse_html

    hidden = ("<div style='visibility: hidden'><p>A draft paragraph the editor left in the page but hid from "
              "readers, about the old plan for a lower wall that the council dropped.</p></div>"
              "<noembed><a href='https://ads.example.invalid/click?id=1'><img src='ad.gif'></a></noembed>")
    lines = html_lines(parse_html(f"<html><body><h1>Quay wall to be rebuilt</h1>{hidden}{LONG_STORY}</body></html>"))
    texts = " ".join(line.text for line in lines)
    assert "second survey of the old wall." in texts
    assert "draft paragraph" not in texts
    assert "ads.example" not in texts


def test_a_paragraph_wrapped_at_a_fixed_width_is_judged_by_its_best_line():
    from search.cleaning.context import whole_paragraphs
    from search.cleaning.markup import Line

    wrapped = [Line(text="The harbour authority approved a plan on Tuesday to dredge the northern"),
               Line(text="channel, which fishing crews say has become too shallow for laden boats at"),
               Line(text="low tide.")]
    tags = [Line(text="Harbour news from the coast"), Line(text="dredging"), Line(text="fishing crews")]
    probs, threshold = [0.9, 0.1, 0.1], 0.5
    assert whole_paragraphs(wrapped, probs, [True, False, False], threshold, True) == [True] * 3
    # In HTML each fragment is a block of its own: the length-weighted mean decides, as it does for
    # short lower-case lines (a list of tags), which are not a wrapped paragraph.
    assert whole_paragraphs(wrapped, probs, [True, False, False], threshold, False) == [False] * 3
    assert whole_paragraphs(tags, [0.6, 0.1, 0.1], [True, False, False], threshold, True) == [False] * 3


def test_a_list_the_article_introduces_is_kept_with_its_short_items():
    prose = ("The county council agreed on Tuesday to rebuild the flood wall along the lower quay, after two "
             "winters in which the river came over the top and into the houses behind it.")
    items = ["1. Lower quay", "2. Mill lane", "3. Church steps", "4. Ferry slipway"]
    text = "\n".join(["Home | News | Sport", "Quay wall to be rebuilt", prose,
                      "The engineers ranked the worst places along the river as follows:", *items,
                      "Work on the first of them is expected to begin in the spring, the council leader said, "
                      "once the national flood fund has agreed to pay its share of the cost.",
                      "Residents of the lower quay, who were moved out of their houses twice in the last two winters, "
                      "said they were glad the work would start at last, though some asked why it had taken so long.",
                      "Share on Facebook"])
    doc = clean_page(text_page(text))
    for item in items:
        assert item in doc.body
    assert "as follows:" in doc.body
    assert "Home | News" not in doc.body and "Share on Facebook" not in doc.body


def test_a_single_line_break_runs_on_and_two_end_a_paragraph():
    from search.cleaning.markup import html_lines, parse_html

    page = ("<html><body><div>The county council agreed on Tuesday<br>to rebuild the flood wall<br>along the "
            "lower quay.<br><br>Engineers said the new wall<br/> <br/>would be a metre higher.</div></body></html>")
    assert [line.text for line in html_lines(parse_html(page))] == [
        "The county council agreed on Tuesday to rebuild the flood wall along the lower quay.",
        "Engineers said the new wall", "would be a metre higher."]


def test_running_prose_inside_the_articles_element_is_kept_wherever_it_sits():
    from search.cleaning.context import keep_prose_in_main
    from search.cleaning.markup import Line

    prose = ("The old wall was built in 1890 from local stone, and it held back the river for more than a century "
             "before the floods of the last two winters.")
    lines = [Line(text=prose, tag="td", in_main=True),
             Line(text=prose, tag="td", in_main=True, furniture="comment"),
             Line(text=prose, tag="td", in_main=False),
             Line(text="By a staff reporter, published in March.", tag="p", in_main=True),
             Line(text=prose, tag="td", in_main=True)]
    keep = [False] * 5
    keep_prose_in_main(lines, keep, [0.0, 0.0, 0.0, 0.0, 0.5], 0.1, {})
    # In the article's element and not furniture, short, or on most of the site's pages: kept.
    assert keep == [True, False, False, False, False]


def test_text_on_either_side_of_a_hidden_element_stays_two_words():
    from search.cleaning.markup import html_lines, parse_html

    page = "<html><body><p>harbour<script>var x = 1;</script>wall and<span hidden>old</span>quay</p></body></html>"
    assert [line.text for line in html_lines(parse_html(page))] == ["harbour wall and quay"]


def test_a_page_of_a_few_words_is_kept_whole():
    # Wrapped in one link, each line looks like a menu entry; on a page this short it is all there is.
    note = "<a href='/notes'><p>Bins out Tuesday</p><p>Gate code changed</p><p>Boiler serviced</p></a>"
    doc = clean_page(html_page("<title>House notes</title>", note))
    assert doc.body.split("\n\n") == ["Bins out Tuesday", "Gate code changed", "Boiler serviced"]
    longer = clean_page(html_page("<title>House notes</title>", f"<div>{LONG_STORY}</div>{note}"))
    assert "second survey of the old wall." in longer.body
    assert "Gate code" not in longer.body


def test_a_text_starting_with_a_sentence_mark_has_a_first_sentence():
    # Found by tests/test_properties.py: a mark with no word before it raised IndexError.
    assert first_sentence(". Then it rained. All day.") == "."
    assert clean_page(Page(id="p.txt", path="p.txt", kind="text", content=".\n\n2021")).body == ".\n\n2021"


def _reader_comments(count: int) -> str:
    return "".join(
        f"<div class='comment-body'><p>I have lived by the quay for thirty years and I think that the new wall "
        f"is a waste of the money that the council should have spent on the roads and the schools, and I "
        f"would say so again at the next meeting of the council, reader {n} said.</p></div>" for n in range(count))


def test_readers_comments_under_an_article_are_dropped_and_a_page_of_comments_alone_is_kept():
    from search.cleaning.context import drop_comment_threads
    from search.cleaning.markup import html_lines, parse_html

    # Inside the article's element, where prose is kept wherever it sits.
    body = (f"<article><h1>Quay wall to be rebuilt</h1>{LONG_STORY}"
            f"<section id='comments'>{_reader_comments(3)}</section></article>")
    doc = clean_page(html_page("", body))
    assert "second survey of the old wall." in doc.body
    assert "reader" not in doc.body
    # The rule itself, on lines every other judgement kept.
    for page, thread_kept in ((body, False), (f"<section id='comments'>{_reader_comments(3)}</section>", True)):
        lines = html_lines(parse_html(f"<html><body>{page}</body></html>"))
        keep, forced = [True] * len(lines), {}
        drop_comment_threads(lines, keep, forced)
        thread = [i for i, line in enumerate(lines) if "reader" in line.text]
        assert thread and all(keep[i] == thread_kept for i in thread)
        assert all(forced.get(i) == (None if thread_kept else "comment thread") for i in thread)
        assert all(keep[i] for i, line in enumerate(lines) if "county council" in line.text)


def test_an_article_in_a_box_classed_as_a_sidebar_is_kept_when_it_holds_the_pages_prose():
    from search.cleaning.markup import html_lines, parse_html

    # Menus and link lists outweigh the article's box, so the box is no wrapper of most of the page.
    items = "".join(f"<li><a href='/s{n}'>Section {n} news and views</a></li>" for n in range(60))
    menu = f"<ul class='menu'>{items}</ul>"
    page = f"<html><body>{menu}<div class='sidebar-main'><h1>Quay wall</h1>{LONG_STORY}</div></body></html>"
    lines = html_lines(parse_html(page))
    assert not any(line.furniture for line in lines if "county council" in line.text)
    doc = clean_page(html_page("", page.removeprefix("<html><body>").removesuffix("</body></html>")))
    assert "second survey of the old wall." in doc.body
    # Beside an article outside it, a sidebar is furniture as before.
    beside = f"<html><body><article>{LONG_STORY}</article><div class='sidebar'>{STORY}</div></body></html>"
    lines = html_lines(parse_html(beside))
    assert {line.furniture for line in lines if "Engineers said" in line.text} >= {"sidebar"}


def test_a_cookie_notice_holding_most_of_a_short_pages_prose_is_no_article():
    figures = "".join(f"<p>{row}</p>" for row in (
        "Shr 20 cts vs 15 cts", "Revs 14.0 mln vs 13.4 mln", "Net 1,204,000 vs 980,000",
        "NOTE: Share adjusted for five pct stock dividend in December."))
    notice = ("<div class='cookie-consent'><p>We use cookies to give you the best experience on our website and to "
              "show you relevant advertising. By continuing to browse the site you are agreeing to our use of "
              "cookies, as set out in our cookie policy.</p></div>")
    doc = clean_page(html_page("", f"<h1>Stanline Inc 1st qtr net</h1><div class='story'>{figures}</div>{notice}"))
    assert "Revs 14.0 mln vs 13.4 mln" in doc.body
    assert "cookies" not in doc.body


def test_a_caption_inside_the_article_is_not_taken_back_for_reading_like_prose():
    from search.cleaning.context import keep_prose_in_main
    from search.cleaning.markup import html_lines, parse_html

    caption = ("<figure><img src='wall.jpg'><figcaption>Workers from the county council inspect the old flood wall "
               "along the lower quay on Monday, after the river came over the top of it for the second time this "
               "winter.</figcaption></figure>")
    half = LONG_STORY.index("<p>Engineers")
    lines = html_lines(parse_html(f"<html><body><article><h1>Quay wall</h1>{LONG_STORY[:half]}{caption}"
                                  f"{LONG_STORY[half:]}</article></body></html>"))
    at = next(i for i, line in enumerate(lines) if line.text.startswith("Workers from"))
    assert lines[at].in_main
    # The line model dropped the caption; the rule that takes back prose in the article's element leaves it.
    keep = [i != at for i in range(len(lines))]
    keep_prose_in_main(lines, keep, [0.0] * len(lines), 1.0, {})
    assert not keep[at] and sum(keep) == len(lines) - 1


def test_an_article_under_a_block_of_top_stories_is_not_taken_for_teasers():
    # Each of its short lines sits under a linked line, as a teaser does; its long paragraph does not.
    long_paragraph = (
        "Engineers who surveyed the old wall in the spring found that the river had washed out the rubble behind "
        "its lower courses in several places, so that whole sections now stood on little more than the mud of "
        "the bank, and they warned that another winter of floods like the last two could bring part of it down "
        "into the channel, closing the quay to the boats that land there every morning.")
    body = (
        "<div><h2>Top stories</h2>"
        "<div><a href='/a'>Council approves the harbour budget for next year</a></div>"
        "<div><a href='/b'>Storm closes the coast road for a second night</a></div>"
        "<h2>Quay wall to be rebuilt higher after two winters of floods on the lower quay</h2>"
        "<p><a href='/source'>This story first appeared in the Harbour Gazette</a></p>"
        "<p>The county council agreed on Tuesday to rebuild the flood wall along the lower quay, after two winters "
        "in which the river came over the top and into the houses behind it.</p>"
        f"<p>{long_paragraph}</p>"
        "<div><a href='/video'>Quay wall survey video from the county archive</a></div>"
        "<p>Alison Grant reports on the harbour and the river for the Gazette.</p></div>")
    doc = clean_page(html_page("", body))
    assert "The county council agreed on Tuesday" in doc.body
    assert long_paragraph in doc.body
    assert not any(r.reason == "teaser of another page" for r in doc.removed)


def test_a_blog_post_footer_is_dropped_however_sentence_like():
    footer = ("This entry was posted on Tuesday, May 7th, 2019 at 9:12 am and is filed under Harbour, Council. "
              "You can follow any responses to this entry through the RSS 2.0 feed.")
    doc = clean_page(html_page("", f"<div><h1>Quay wall to be rebuilt</h1>{LONG_STORY}<p>{footer}</p></div>"))
    assert "second survey of the old wall." in doc.body
    assert "This entry was posted" not in doc.body
    assert [r.reason for r in doc.removed if r.text.startswith("This entry")] == [features.POST_FOOTER]
