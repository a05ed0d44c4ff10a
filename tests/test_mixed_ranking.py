"""Ranking in an index of several languages: a word typed ranks as one word, whatever forms the
languages' analyses make of it, so a few pages in another language do not take over an English query."""

from __future__ import annotations

import json
from pathlib import Path

from search.indexing.index import build_index
from search.querying.query import search_index
from search.querying.snapshot import open_snapshot

ENGLISH = [
    ("probe", "Measurement of microwave noise",
     "The measurement of microwave noise at the station used a new probe. Each measurement took an hour, "
     "and the measurements agreed with the model within a few percent."),
    ("tides", "Tide tables for the harbour", "The harbour master printed new tide tables for the winter months."),
    ("rain", "Rainfall over the hills", "Rain gauges on the hills recorded the wettest October for a decade."),
    ("bridge", "A bridge for the valley", "Engineers surveyed the valley before the council approved the bridge."),
    ("survey", "Survey of the coast", "A careful measurement of the coast line showed the cliffs had moved."),
]
# Where most English pages hold the word, its English form is common and weighs little; the form only
# the Italian page holds would weigh as a rare word's, if it were scored as a word of its own.
PLACES = ("north field", "south dock", "east ridge", "west quay", "old mill", "river mouth", "high moor", "salt marsh")
ENGLISH += [(f"log{n}", f"Field log from the {place}",
             f"Notes from the {place}: one measurement of wind speed before noon, then the crew went home.")
            for n, place in enumerate(PLACES)]
# Italian, with one English word in it: its analysis leaves the word unstemmed, a form no English page holds.
ITALIAN = ("rapporto", "Rapporto annuale del laboratorio",
           "Il laboratorio ha pubblicato il rapporto annuale sulle attività della stagione, con una nota "
           "sulla measurement dei campioni raccolti durante le campagne in montagna e sulle coste del paese.")


def test_a_word_in_few_pages_of_another_language_ranks_as_one_word(tmp_path: Path):
    records = [{"id": i, "title": t, "text": x, "lang": "en"} for i, t, x in ENGLISH]
    records.append({"id": ITALIAN[0], "title": ITALIAN[1], "text": ITALIAN[2], "lang": "it"})
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "pages.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    build_index(tmp_path / "corpus", tmp_path / "index")
    with open_snapshot(tmp_path / "index") as snapshot:
        assert len(snapshot.analysis_keys()) == 2  # the query is analysed as English and as Italian
        hits = search_index(snapshot, "measurement", per_page=50).hits
        found = [h.id.rsplit(":", 1)[-1] for h in hits]
        # The page about measurements first; the Italian page's one mention matches, below it.
        assert found[0].endswith("probe") and any(f.endswith("rapporto") for f in found), found
        # A function word typed in the query is dropped from its free words in every analysis.
        assert [h.id for h in search_index(snapshot, "the measurement of noise").hits][0] == hits[0].id


def test_a_form_of_another_languages_analysis_matches_only_that_languages_pages(tmp_path: Path):
    # French stems "computers" as "computer", which is English's stem of "computerized": a different
    # English word. The French form stands for the word only in French pages.
    records = [
        {"id": "machines", "title": "Computers in the office", "lang": "en",
         "text": "The office bought three computers, and the computers ran the payroll."},
        {"id": "billing", "title": "Billing at the clinic", "lang": "en",
         "text": "The clinic computerized its billing last spring, and the nurses liked it."},
        {"id": "bureau", "title": "Les ordinateurs du bureau", "lang": "fr",
         "text": "Le bureau a acheté trois computers pour la paie, et les employés les utilisent chaque jour."},
    ]
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "pages.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    build_index(tmp_path / "corpus", tmp_path / "index")
    with open_snapshot(tmp_path / "index") as snapshot:
        assert len(snapshot.analysis_keys()) == 2
        found = {h.id.rsplit(":", 1)[-1] for h in search_index(snapshot, "computers", per_page=50).hits}
        assert {"machines", "bureau"} <= found and "billing" not in found, found
        # Asked for in French alone, the French form finds what French pages hold.
        found = {h.id.rsplit(":", 1)[-1] for h in search_index(snapshot, "computers lang:fr", per_page=50).hits}
        assert found == {"bureau"}, found
