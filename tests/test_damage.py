"""Damage done to an index's files for real (cut short, bytes overwritten): found and named by `search check`,
by queries (CLI exit 1, API 503, the page in words), and repaired by `search reindex --full` whatever the
damage, including in a server that keeps running."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from search.indexing.index import build_index
from tests.conftest import serving
from tests.faults import expected_files, is_one_line_error
from tests.test_crash import write_pages
from web import create_app

KINDS = ("toc", "segment", "postings", "record", "meta", "templates")
QUERY = "harbour fleet"


def index_file(index_dir: Path, kind: str) -> Path:
    """The index's file of one kind (its latest generation's)."""
    pattern = {"toc": "_MAIN_*.toc", "segment": "MAIN_*.seg", "postings": "MAIN_*.postings",
               "record": "search-files-*.json", "meta": "search-meta.json", "templates": "templates.json"}[kind]
    (found,) = index_dir.glob(pattern)
    return found


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def overwrite(path: Path) -> None:
    """Flip 64 bytes in the middle of the file: its size stays, its bytes do not."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(b ^ 0xFF for b in data[middle:middle + 64])
    path.write_bytes(bytes(data))


DAMAGE = {"truncated": truncate, "overwritten": overwrite}


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_pages(corpus, 30, "old")
    build_index(corpus, index)
    return corpus, index


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def hit_ids(index: Path) -> list[str]:
    result = cli("query", QUERY, "--index", str(index), "--limit", "50", "--format", "json")
    assert result.exit_code == 0, result.output
    return [hit["id"] for hit in json.loads(result.output)["hits"]]


def test_check_finds_a_whole_index_whole(built):
    _, index = built
    result = cli("check", "--index", str(index))
    assert result.exit_code == 0, result.output
    assert "is whole" in result.output and "30 documents read back" in result.output


def test_check_without_an_index_says_how_to_build_one(tmp_path: Path):
    result = cli("check", "--index", str(tmp_path / "nothing"))
    assert result.exit_code == 1 and is_one_line_error(result.output) and "search reindex" in result.output


@pytest.mark.parametrize("how", sorted(DAMAGE))
@pytest.mark.parametrize("kind", KINDS)
def test_damage_to_any_file_is_named_by_check_and_repaired_by_a_full_reindex(built, kind: str, how: str):
    corpus, index = built
    before = hit_ids(index)
    damaged = index_file(index, kind)
    DAMAGE[how](damaged)
    result = cli("check", "--index", str(index))
    assert result.exit_code == 1, result.output
    assert f"damaged: {damaged}" in result.output and "search reindex --full" in result.output
    assert "Traceback" not in result.output
    repaired = cli("reindex", "--full", "--corpus", str(corpus), "--index", str(index))
    assert repaired.exit_code == 0, repaired.output
    assert cli("check", "--index", str(index)).exit_code == 0
    assert hit_ids(index) == before
    assert set(p.name for p in index.iterdir()) == expected_files(index)


@pytest.mark.parametrize("kind,how", [("toc", "truncated"), ("toc", "overwritten"), ("segment", "truncated")])
def test_a_query_on_a_damaged_index_names_the_damage(built, kind: str, how: str):
    _, index = built
    damaged = index_file(index, kind)
    DAMAGE[how](damaged)
    result = cli("query", QUERY, "--index", str(index))
    assert result.exit_code == 1 and is_one_line_error(result.output), result.output
    assert "is damaged" in result.output and str(damaged) in result.output and "reindex --full" in result.output


def test_a_query_on_overwritten_segment_bytes_answers_or_names_the_damage(built):
    _, index = built
    overwrite(index_file(index, "segment"))
    result = cli("query", QUERY, "--index", str(index))
    # Whoosh may read past the altered bytes; when it cannot, the damage is named, never a traceback.
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    if result.exit_code == 1:
        assert is_one_line_error(result.output) and "is damaged" in result.output


@pytest.mark.parametrize("kind", ["postings", "meta", "templates"])
def test_queries_do_not_need_the_files_only_check_reads(built, kind: str):
    _, index = built
    before = hit_ids(index)
    truncate(index_file(index, kind))
    assert hit_ids(index) == before  # a segment without a readable copy is read through Whoosh


def test_an_incremental_reindex_rebuilds_an_index_it_cannot_read(built):
    corpus, index = built
    truncate(index_file(index, "toc"))
    result = cli("reindex", "--corpus", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert "full reindex (the index at" in result.output and "is damaged" in result.output
    assert cli("check", "--index", str(index)).exit_code == 0


def test_the_api_and_the_page_say_the_index_is_damaged(built):
    _, index = built
    truncate(index_file(index, "segment"))
    client = create_app({"TESTING": True, "INDEX": str(index)}).test_client()
    for path in ("/api/search?q=harbour", "/healthz", "/api/suggest?q=harb"):
        response = client.get(path)
        assert response.status_code == 503, path
        error = response.get_json()["error"]
        assert error["status"] == 503 and "is damaged" in error["message"], path
    page = client.get("/search?q=harbour")
    assert page.status_code == 503
    text = page.get_data(as_text=True)
    assert "Searches cannot be answered now" in text and "is damaged" in text and "Traceback" not in text


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_served_index_deleted_damaged_or_replaced_gives_503_then_answers_again(built, tmp_path: Path):
    corpus, index = built
    with serving(index) as url:
        assert get(f"{url}/api/search?q=harbour")[0] == 200
        shutil.rmtree(index)  # deleted while it serves
        status, body = get(f"{url}/api/search?q=harbour")
        assert status == 503 and "no index at" in body["error"]["message"]
        assert cli("reindex", "--corpus", str(corpus), "--index", str(index)).exit_code == 0
        status, body = get(f"{url}/api/search?q=harbour")
        assert status == 200 and body["total"] == 30  # answers again by itself, no restart
        # Replaced by a damaged copy of itself (the server's open files are the old ones).
        copy = tmp_path / "copy"
        shutil.copytree(index, copy)
        truncate(index_file(copy, "segment"))
        shutil.rmtree(index)
        copy.rename(index)
        status, body = get(f"{url}/api/search?q=fleet")
        assert status == 503 and "is damaged" in body["error"]["message"], body
        assert get(f"{url}/healthz")[0] == 503
        assert cli("reindex", "--full", "--corpus", str(corpus), "--index", str(index)).exit_code == 0
        status, body = get(f"{url}/api/search?q=fleet")
        assert status == 200 and body["total"] == 30
