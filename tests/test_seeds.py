"""The first acceptance test: the two bundled seed pages clean exactly as the issue states."""

import json

from click.testing import CliRunner

from search.cli import main
from search.querying.query import search_index
from search.querying.snapshot import open_snapshot
from tests.conftest import REPO

SEED_000 = "000_c12bd01232c6c3f2.txt"
SEED_001 = "001_028e1457c69be94d.txt"


def cleaned_seeds() -> dict:
    result = CliRunner().invoke(main, ["clean", "--json", "--explain", str(REPO / "corpus")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    return {r["id"]: r for r in records}


def test_seed_000_body_date_site_and_removed_lines():
    rec = cleaned_seeds()[SEED_000]
    paragraphs = rec["body"].split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("Secretary-General of the Organization of Islamic Cooperation (OIC) Hissein "
                                    "Brahim Taha commemorated")
    assert paragraphs[-1].endswith("and 22 U.S. states.")
    assert rec["date"] == "2025-02-27"
    assert rec["site"] == "News.Az"
    removed = {r["text"]: r["reason"] for r in rec["removed"]}
    assert set(removed) == {"date 2025-02-27 + ↺ − 16 px", "News.Az"}
    assert "16 px" not in rec["body"] and not rec["body"].rstrip().endswith("News.Az")


def test_seed_001_body_date_and_removed_lines():
    rec = cleaned_seeds()[SEED_001]
    paragraphs = rec["body"].split("\n\n")
    assert len(paragraphs) == 7
    assert paragraphs[0].startswith("The Khojaly massacre was a result")
    assert paragraphs[-1].endswith("and the surrounding districts.")
    assert rec["date"] == "2018-02-22"
    removed = {r["text"] for r in rec["removed"]}
    assert removed == {
        "Error message",
        "Missing or incomplete installation of the jReject library! Please follow the instructions from "
        "README.txt to get it.",
        "22 February 2018",
    }


def test_seed_titles_are_first_sentences_cut_on_a_word_boundary():
    for rec in cleaned_seeds().values():
        first = rec["body"].split("\n\n")[0]
        assert len(rec["title"]) <= 100
        stem = rec["title"].rstrip("…")
        assert first.startswith(stem)
        # cut between words, never inside one
        assert first[len(stem)] in " ,." if len(stem) < len(first) else True


def test_seed_query_finds_both_with_marked_snippets(seed_index):
    with open_snapshot(seed_index) as snapshot:
        results = search_index(snapshot, "Khojaly genocide")
    assert {h.id for h in results.hits} == {SEED_000, SEED_001}
    for hit in results.hits:
        assert "<mark>Khojaly</mark>" in hit.snippet or "<mark>genocide</mark>" in hit.snippet


def test_misspelling_in_seed_suggests_the_common_spelling(seed_index):
    with open_snapshot(seed_index) as snapshot:
        results = search_index(snapshot, "genociede")
    assert results.suggestion == "genocide"
