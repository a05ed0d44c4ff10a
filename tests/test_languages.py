"""Every script findable: pages in Han, Cyrillic, Arabic, Devanagari, Thai and Hangul through the reindex path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis.languages import identify_language, normalize_language
from search.analysis.tokens import text_tokens
from search.analysis.words import LanguageAnalyzer, analysis_key, language_chain
from search.cli import main
from search.indexing.index import build_index
from search.querying.filters import Filters
from search.querying.query import fetch_document, search_index
from search.querying.snapshot import open_snapshot
from search.querying.suggest import suggest_completions, suggest_spelling
from tests.multilingual import PAGES, write_multilingual_corpus
from web import create_app


@pytest.fixture(scope="module")
def world_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("world")
    write_multilingual_corpus(root / "corpus")
    build_index(root / "corpus", root / "index")
    return root / "index"


def found(index_dir: Path, text: str, **filters) -> list[str]:
    with open_snapshot(index_dir) as snapshot:
        return [h.id for h in search_index(snapshot, text, filters=Filters(**filters)).hits]


def test_words_stay_whole_in_every_script():
    assert text_tokens("हिन्दी किताबें") == ["हिन्दी", "किताबें"]  # vowel signs are part of the word
    assert text_tokens("مُحَمَّد") == ["مُحَمَّد"]
    assert text_tokens("می‌خواهم") == ["می‌خواهم"]  # a Persian word holding a ZWNJ
    assert text_tokens("北京地震 iPhone手机 京") == ["北京", "京地", "地震", "iPhone", "手机", "京"]
    assert text_tokens("ภาษาไทย") == ["ภา", "าษ", "ษา", "าไ", "ไท", "ทย"]
    assert text_tokens("COVID-19 47/50-POL") == ["COVID-19", "47/50-POL"]


def test_the_issues_pages_are_found_by_their_words(world_index: Path):
    assert found(world_index, "地震") == ["world/quake.html"]
    assert found(world_index, "北京") == ["world/quake.html"]
    assert found(world_index, "выборов") == ["world/elections.html"]  # the page says выборы
    assert found(world_index, "Москва") == ["world/elections.html"]  # the page says Москве


@pytest.mark.parametrize("word, page", [
    ("القاهرة", "world/rain.html"), ("الأمطار", "world/rain.html"),
    ("किताबें", "world/library.html"), ("पुस्तकालय", "world/library.html"),
    ("เชียงใหม่", "world/festival.html"), ("지하철", "world/subway.html"), ("서울", "world/subway.html"),
    ("dredge", "world/harbour.html"), ("театра", "world/theatre.html"), ("piscine", "notice"),
])
def test_every_script_is_searchable(world_index: Path, word: str, page: str):
    assert found(world_index, word)[:1] == [page]


def test_languages_are_declared_or_identified(world_index: Path):
    with open_snapshot(world_index) as snapshot:
        langs = {f["id"]: f["lang"] for f in snapshot.searcher.all_stored_fields()}
        facets = search_index(snapshot, "lang:ru").facets
    assert langs["world/quake.html"] == "zh" and langs["world/library.html"] == "hi"
    assert langs["world/theatre.html"] == "ru"  # no lang declared: identified from the text
    assert langs["notice"] == "fr"  # a JSON Lines record's own `lang`
    assert dict(facets["lang"]) == {"ru": 2}


def test_lang_filters_in_the_query_the_api_and_the_cli(world_index: Path):
    assert sorted(found(world_index, "lang:ru")) == ["world/elections.html", "world/theatre.html"]
    assert found(world_index, "выборы", langs=("zh",)) == []
    client = create_app({"TESTING": True, "INDEX": str(world_index)}).test_client()
    body = client.get("/api/search", query_string={"q": "театр", "lang": "RU"}).get_json()
    assert [h["id"] for h in body["hits"]] == ["world/theatre.html"] and body["hits"][0]["lang"] == "ru"
    assert client.get("/api/search", query_string={"q": "театр", "lang": "русский"}).status_code == 400
    result = CliRunner().invoke(main, ["query", "北京", "--index", str(world_index), "--lang", "zh", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["hits"][0]["lang"] == "zh"
    bad = CliRunner().invoke(main, ["query", "北京", "--index", str(world_index), "--lang", "chinese!"])
    assert bad.exit_code == 1 and "two-letter code" in bad.output and "Traceback" not in bad.output


def test_snippets_mark_whole_words_in_every_script(world_index: Path):
    with open_snapshot(world_index) as snapshot:
        quake = search_index(snapshot, "地震").hits[0].snippet
        hindi = search_index(snapshot, "किताबें").hits[0].snippet
        russian = search_index(snapshot, "выборов").hits[0].snippet
    assert "<mark>地震</mark>" in quake and "<mark>北京</mark>" not in quake
    assert "<mark>किताबें</mark>" in hindi
    assert "<mark>выборы</mark>" in russian


def test_phrases_in_unspaced_and_stemmed_scripts(world_index: Path):
    assert found(world_index, '"强烈地震"') == ["world/quake.html"]
    assert found(world_index, '"地震强烈"') == []
    assert found(world_index, '"выборы в городскую думу"') == ["world/elections.html"]


def test_pages_show_their_language_and_direction(world_index: Path):
    client = create_app({"TESTING": True, "INDEX": str(world_index)}).test_client()
    page = client.get("/doc/world/rain.html", query_string={"q": "القاهرة"}).get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in page and "<mark>القاهرة</mark>" in page
    results = client.get("/search", query_string={"q": "القاهرة"}).get_data(as_text=True)
    assert 'dir="rtl"' in results and 'id="facet-lang"' in results
    with open_snapshot(world_index) as snapshot:
        view = fetch_document(snapshot, "world/quake.html", "地震")
    assert view.lang == "zh" and view.direction == "ltr" and "<mark>地震</mark>" in view.paragraphs[1]


def test_no_spelling_correction_turns_a_cjk_query_into_nonsense(world_index: Path):
    with open_snapshot(world_index) as snapshot:
        for text in ("地震", "北京地区", "地区", "서울시", "Москве", "выборов"):
            assert suggest_spelling(snapshot, text) is None, text
        completions = suggest_completions(snapshot, "北京地").completions
    assert "北京地震" in completions


def test_similar_articles_use_the_documents_language(world_index: Path):
    with open_snapshot(world_index) as snapshot:
        view = fetch_document(snapshot, "world/elections.html")
    assert all(r.id != "world/elections.html" for r in view.similar)


def test_language_tags_and_identification():
    assert [normalize_language(t) for t in ("en-US", "pt_BR", "zh-Hant", "", "x-default")] == ["en", "pt", "zh", "",
                                                                                           ""]
    assert identify_language("Городской театр снова открылся после трёх лет ремонта.") == "ru"
    assert identify_language("12 345 — 67") == ""


MIXED = st.lists(st.sampled_from(
    "北京 地震 京 서울 ภาษาไทย हिन्दी किताबें مُحَمَّد Москве выборы Straße élection COVID-19 47/50-POL AT&T "
    "the a и в , . 1,275 U.S. e-mail".split()), max_size=25).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(MIXED, st.text(max_size=80)), st.sampled_from(["en", "russian", "german", "arabic", "hindi",
                                                                 "plain"]),
       st.fixed_dictionaries({"positions": st.booleans(), "chars": st.booleans(), "removestops": st.booleans(),
                              "mode": st.sampled_from(["index", "query"]), "no_morph": st.booleans()}))
def test_each_languages_fast_analyzer_yields_its_chains_tokens(text: str, key: str, options: dict):
    fast = [tuple(sorted(vars(t).items())) for t in LanguageAnalyzer(key)(text, **options)]
    assert fast == [tuple(sorted(vars(t).items())) for t in language_chain(key)(text, **options)]


def test_analysis_keys():
    assert [analysis_key(x) for x in ("en", "", None, "ru", "ru-RU", "zh", "ja", "de", "la")] == [
        "en", "en", "en", "russian", "russian", "plain", "plain", "german", "plain"]


def test_varieties_are_stored_as_their_language_and_creoles_analysed_as_theirs():
    # Egyptian Arabic is Arabic (stemmed so), "no linguistic content" is no language, and Nigerian
    # Pidgin keeps its own code but gets English's analysis.
    assert [normalize_language(t) for t in ("arz", "ary", "yue", "zxx", "pcm")] == ["ar", "ar", "zh", "", "pcm"]
    assert [analysis_key(t) for t in ("arz", "zxx", "pcm")] == ["arabic", "en", "en"]


def test_the_quick_script_test_agrees_with_the_script_pattern_for_every_character():
    from search.analysis.tokens import _SPECIAL, needs_script_pattern

    for cp in range(0x110000):
        if not 0xD800 <= cp < 0xE000:
            c = chr(cp)
            assert needs_script_pattern("a " + c + " b") == (_SPECIAL.search(c) is not None), hex(cp)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_the_quick_pattern_cuts_plain_text_as_the_script_pattern_does(text: str):
    import unicodedata

    from search.analysis.tokens import PLAIN_TOKENS, TOKENS, needs_script_pattern

    # Characters this Python's Unicode tables do not know yet (regex ships newer ones) aside.
    if not needs_script_pattern(text) and all(unicodedata.category(c) != "Cn" for c in text):
        assert PLAIN_TOKENS.findall(text) == [word for _, word in TOKENS.findall(text)]


def test_completions_find_titles_by_words_in_any_language(world_index: Path):
    with open_snapshot(world_index) as snapshot:
        titles = suggest_completions(snapshot, "Выборов в Моск").titles
    assert [doc_id for doc_id, _ in titles] == ["world/elections.html"]


def test_copies_of_a_chinese_story_group_as_near_duplicates(tmp_path: Path):
    from tests.multilingual import PAGES, page_html

    _, lang, title, paragraphs = PAGES[0]
    corpus = tmp_path / "corpus"
    for site, extra in (("a", "本报记者报道。"), ("b", "新华社电。")):
        (corpus / site).mkdir(parents=True)
        (corpus / site / "quake.html").write_text(page_html(lang, title, [*paragraphs, extra]), encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    with open_snapshot(tmp_path / "index") as snapshot:
        hits = search_index(snapshot, "地震").hits
    assert len(hits) == 1 and len(hits[0].also_at) == 1


DATELINES = {  # a page's dateline (as a line of its text), the date it gives
    "moscow.txt": ("Опубликовано 5 марта 2019 г., 10:15", "2019-03-05"),
    "kyiv.txt": ("Опубліковано 12 жовтня 2020, 10:15", "2020-10-12"),
    "warsaw.txt": ("Opublikowano: 12 października 2020, 10:15", "2020-10-12"),
    "amsterdam.txt": ("Gepubliceerd op 3 maart 2019 om 10:15", "2019-03-03"),
    "istanbul.txt": ("12 Ekim 2020 Pazartesi, 10:15", "2020-10-12"),
    "jakarta.txt": ("Diterbitkan 17 Agustus 2021 pukul 10.00 WIB", "2021-08-17"),
    "cairo.txt": ("نشر في 5 مارس 2019", "2019-03-05"),
    "beijing.txt": ("发布时间：2019年3月5日 10:15 来源：新华社", "2019-03-05"),
    "seoul.txt": ("기사입력 2019년 3월 5일 10:15", "2019-03-05"),
}


def test_datelines_in_other_languages_date_their_pages(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = [p for _, _, _, paragraphs in PAGES for p in paragraphs]
    for n, (name, (dateline, _)) in enumerate(DATELINES.items()):
        # A title, the dateline, then a story whose sentences carry no date of their own.
        lines = [f"Story {n}", dateline, *story[2 * n % len(story):][:3], "Story text ends here with a sentence."]
        (corpus / name).write_text("\n\n".join(lines), encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    with open_snapshot(tmp_path / "index") as snapshot:
        for name, (_, iso) in DATELINES.items():
            assert fetch_document(snapshot, name).date == iso, name


def test_a_chinese_sentence_that_opens_with_a_date_is_no_dateline():
    from search.cleaning.dates import dateline_date

    assert dateline_date("2019年3月5日，北京发生强烈地震，造成多人伤亡。") is None
    assert dateline_date("5 марта 2019 года в Москве прошли выборы, сообщили в избирательной комиссии.") is None


def test_a_phrase_is_read_as_each_language_reads_it(world_index: Path):
    # Russian keeps "the" and "at" as words; English drops them: the English phrase is the English reading.
    assert found(world_index, '"reach the quay at low tide"') == ["world/harbour.html"]
    assert found(world_index, '"dredge the channel"') == ["world/harbour.html"]
    assert found(world_index, '"the channel dredge"') == []
    assert found(world_index, '"выборы в городскую думу"') == ["world/elections.html"]
