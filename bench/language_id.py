"""How often a document's language is told wrong, over texts whose language is known, and the
identification constants chosen leave-one-set-out.

    .venv/bin/python -m bench.language_id [--cache /tmp/langid-cache.json] [--data ../shared/data]

Every document of the English collections (the six IR collections, Reuters-21578, BBC News) and of
each language set in ../shared/data/languages is cleaned as `search reindex` cleans a record, and
its body identified as the index identifies it (cleaning.clean.guess_lang: English function words,
then the identifier); each set's questions are identified too, as short texts of a known language.
A text is told wrong when the analysis it gets (analysis.words.analysis_key) is not its language's.

For each set left out, the constants are chosen on the other sets (the lowest mean error rate over
them) and scored on the left-out one: the "held out" column. The grid holds the identifier's
confidence (languages.MIN_CONFIDENCE) and a floor of letters a text needs before its identification
counts; the floor was never chosen (short questions of other languages would go unidentified), so
the index has none. Also printed: how many of an English collection's pages get another analysis,
since one such page makes every query of that index analysed once more. Not part of the tests.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

from search.analysis.languages import IDENTIFY_CHARS, accept_language, classify_language, normalize_language
from search.analysis.words import analysis_key
from search.cleaning.clean import clean_page, reads_as_english
from search.reading.corpus import jsonl_item
from search.records import Page

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
ENGLISH_SETS = ("cranfield", "med", "cacm", "npl", "lisa", "adi", "reuters21578", "bbc_news")
CONFIDENCES = (0.3, 0.5, 0.7, 0.9)
LETTERS = (0, 25, 50, 75, 100, 150, 200, 300)


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the results."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def language_sets(data: Path) -> dict[str, tuple[str, Path]]:
    """Each set's known language and folder: English collections, then languages/<set>_<lang>."""
    sets = {name: ("en", data / name) for name in ENGLISH_SETS if (data / name / "docs.jsonl").exists()}
    for folder in sorted((data / "languages").glob("*_*")):
        sets[folder.name] = (folder.name.rsplit("_", 1)[1], folder)
    return sets


def reading(text: str) -> list:
    """What identification sees of one body: English by function words, the identifier's answer,
    its probability, the letters read."""
    lang, probability = classify_language(text)
    return [reads_as_english(text), lang, probability, sum(c.isalpha() for c in text[:IDENTIFY_CHARS])]


def read_set(folder: Path) -> dict[str, list[list]]:
    """The readings of a set's cleaned documents and of its questions."""
    docs = []
    path = folder / "docs.jsonl"
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            page = jsonl_item(raw, number, path, folder, "") if raw.strip() else None
            if not isinstance(page, Page):
                continue
            body = clean_page(page).body
            docs.append(reading(body))
    questions = []
    if (folder / "queries.jsonl").exists():
        for line in (folder / "queries.jsonl").open(encoding="utf-8"):
            questions.append(reading(json.loads(line)["text"]))
    return {"docs": docs, "questions": questions}


def told(row: list, confidence: float, letters: int) -> str:
    """The analysis key a reading gets under the given constants."""
    english, lang, probability, count = row
    if english:
        return analysis_key("en")
    if count < letters:  # the letter floor tried beside the confidence (never chosen: see the module's doc)
        return analysis_key(None)
    return analysis_key(accept_language(normalize_language(lang), probability, confidence))


def error_rate(rows: list[list], truth: str, confidence: float, letters: int) -> float:
    """The share of texts given another analysis than their language's."""
    key = analysis_key(truth)
    return sum(told(r, confidence, letters) != key for r in rows) / max(1, len(rows))


def main() -> None:
    """Print per set: error rates in-sample and held out, and English pages given another analysis."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/langid-cache.json"))
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    readings = json.loads(args.cache.read_text()) if args.cache.exists() else {}
    sets = language_sets(args.data)
    for name, (_, folder) in sets.items():
        if name not in readings:
            started = time.monotonic()
            readings[name] = read_set(folder)
            log(f"{name}: {len(readings[name]['docs'])} documents read in {time.monotonic() - started:.0f}s")
            args.cache.write_text(json.dumps(readings))
    rows = {name: readings[name]["docs"] + readings[name]["questions"] for name in sets}
    grid = list(itertools.product(CONFIDENCES, LETTERS))
    rates = {(name, c, n): error_rate(rows[name], sets[name][0], c, n) for name in sets for c, n in grid}

    def best(names: list[str]) -> tuple[float, int]:
        # Ties go to the smaller constants: the identifier's own answer, overruled no more than needed.
        return min(grid, key=lambda cn: (sum(rates[(s, *cn)] for s in names) / len(names), cn))

    chosen = best(list(sets))
    print(f"Constants chosen on every set: confidence {chosen[0]}, letter floor {chosen[1]}\n")
    print("| set | texts | error before (confidence 0.5) | error, chosen on all | held out | constants chosen "
          "on the others | English pages given another analysis (before → chosen) |")
    print("|---|---|---|---|---|---|---|")
    held = []
    for name, (truth, _) in sets.items():
        others = best([s for s in sets if s != name])
        held.append(rates[(name, *others)])
        moved = ""
        if truth == "en":
            docs = readings[name]["docs"]
            before = sum(told(r, 0.5, 0) != "en" for r in docs)
            after = sum(told(r, *chosen) != "en" for r in docs)
            moved = f"{before} → {after} of {len(docs)}"
        print(f"| {name} | {len(rows[name])} | {rates[(name, 0.5, 0)]:.4f} | {rates[(name, *chosen)]:.4f} | "
              f"{held[-1]:.4f} | {others[0]}, {others[1]} | {moved} |")
    mean = sum(rates[(s, 0.5, 0)] for s in sets) / len(sets)
    print(f"| mean | | {mean:.4f} | {sum(rates[(s, *chosen)] for s in sets) / len(sets):.4f} | "
          f"{sum(held) / len(held):.4f} | | |")


if __name__ == "__main__":
    main()
