"""Questions typed into the box: sentence punctuation is punctuation, patterns stay patterns, on every door."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from search.querying.query import search_index
from search.querying.snapshot import open_snapshot
from web import create_app

QUESTIONS = [
    "khojaly?", "what happened in khojaly?", "Khojaly?!", "khojaly؟", "ما khojaly؟", "¿khojaly?", "khojaly ?",
    "khojaly.", "khojaly!", "khojaly,", "khojaly;", "khojaly:", "khojaly…", "khojaly？", '"khojaly?"', "(khojaly?)",
    "khojaly. genocide.",
]


def found(snapshot, text: str) -> list[str]:
    return [h.id for h in search_index(snapshot, text, per_page=100).hits]


@pytest.fixture
def seed_snapshot(seed_index: Path):
    with open_snapshot(seed_index) as snapshot:
        yield snapshot


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_finds_what_its_words_find(seed_snapshot, text):
    plain = found(seed_snapshot, "khojaly")
    assert len(plain) == 2
    if "genocide" in text:
        assert set(found(seed_snapshot, text)) == set(found(seed_snapshot, "khojaly genocide"))
    elif "what happened" in text:
        assert set(found(seed_snapshot, text)) == set(found(seed_snapshot, "what happened in khojaly")) >= set(plain)
    else:
        assert found(seed_snapshot, text) == plain


def test_patterns_stay_patterns(seed_snapshot):
    # A question mark between letters, and a star, are what only a pattern holds.
    assert found(seed_snapshot, "wom?n") == found(seed_snapshot, "women") != []
    assert found(seed_snapshot, "khoj*") == found(seed_snapshot, "khojaly")
    assert found(seed_snapshot, "genoc*?") == found(seed_snapshot, "genoc*") != []
    # At a word's end the question mark is the question's: "khojal?" is the word khojal, found nowhere.
    assert found(seed_snapshot, "khojal?") == found(seed_snapshot, "khojal") == []
    assert found(seed_snapshot, "U.S.") == found(seed_snapshot, "U.S") != []


def test_a_star_standing_alone_beside_words_is_no_pattern(index_dir: Path):
    # Whoosh would read the whole query as "every page".
    with open_snapshot(index_dir) as snapshot:
        chess = found(snapshot, "chess clubs")
        assert 0 < len(chess) < len(found(snapshot, "*"))
        assert found(snapshot, "chess clubs, like *, +.") == found(snapshot, "(chess *) clubs") == chess


def test_questions_on_the_cli_the_api_and_the_page(seed_index: Path):
    result = CliRunner().invoke(main, ["query", "what happened in khojaly?", "--index", str(seed_index), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["total"] == 2
    client = create_app({"TESTING": True, "INDEX": str(seed_index)}).test_client()
    for text in ("khojaly?", "khojaly؟"):
        body = client.get("/api/search", query_string={"q": text}).get_json()
        assert body["total"] == 2 and len(body["hits"]) == 2
        page = client.get("/search", query_string={"q": text}).get_data(as_text=True)
        assert "2 results for" in page and "Try fewer or different words" not in page
