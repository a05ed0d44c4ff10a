"""Leave-one-collection-out choice of the ranking's tunable constants (bench/ranking.py --held-out).

Every combination of GRID is run over every collection; for each collection, the combination with
the best mean nDCG@10 lead over bm25s on the other five is scored on it: the held-out figure, what
a user's own collection gets from constants never fitted to it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import time
from pathlib import Path

from search.indexing import open_index
from search.querying.evaluate import RUN_DEPTH, rank_documents, score_run
from search.querying.scoring import BM25, DEFAULT_WEIGHTS, Weights
from search.querying.snapshot import Snapshot

REPO = Path(__file__).resolve().parent.parent
# The constants tried, each around the textbook value; proximity and feedback at 0 and requests at 1 are "off".
GRID = {
    "k1": (1.2, 1.6, 2.0, 2.5, 3.0),
    "b": (0.45, 0.6, 0.75, 0.9),
    "title": (2.0, 3.0, 5.0, 8.0),
    "repeats": (False, True),
    "requests": (1.0, 0.5, 0.3, 0.1),  # a request word's weight (stopwords.REQUEST_WORDS); 1.0 is off
}
# The bonuses cost a re-ranking pass each (feedback reads its documents' text): tried at the grid's
# best combination on the five, one bonus at a time (each with its own constants' combinations).
BONUSES = {"proximity": {"proximity": (0.0, 0.3)},
           "feedback": {"feedback": (0.0, 0.5, 0.8), "feedback_docs": (5, 3, 10), "feedback_terms": (10, 20)}}


def bonus_off(bonus: dict[str, tuple]) -> dict:
    """A bonus's constants at their first values, which are "off"."""
    return {name: values[0] for name, values in bonus.items()}


def combinations(grid: dict[str, tuple]) -> list[Weights]:
    """Every Weights the grid spans, the bonuses off (the other constants at their defaults)."""
    names = list(grid)
    # The bonuses are chosen after the grid (choose): a grid run with feedback on would read every
    # feedback document's text at each of its combinations.
    off = {name: value for bonus in BONUSES.values() for name, value in bonus_off(bonus).items()}
    return [dataclasses.replace(DEFAULT_WEIGHTS, **off, **dict(zip(names, values, strict=True)))
            for values in itertools.product(*grid.values())]


def querying_fingerprint() -> str:
    """A hash of the ranking code, so remembered figures are dropped when it changes."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "search" / "querying").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def collection_ndcg(index_dir: Path, queries: dict[str, str], qrels, weights: Weights) -> float:
    """nDCG@10 of the ranking with these constants on one collection's judged queries."""
    with Snapshot(open_index(index_dir).searcher(weighting=BM25(weights))) as snapshot:
        run = {q: rank_documents(snapshot, queries[q], RUN_DEPTH) for q in qrels}
    return score_run(run, qrels).ndcg_at_10


class Figures:
    """nDCG@10 per (collection, constants), remembered in a file beside the indexes."""

    def __init__(self, indexes: dict[str, Path], baselines, log):
        self.indexes, self.baselines, self.log = indexes, baselines, log
        first = next(iter(indexes.values()))
        self.path = first.parent / f"grid-{querying_fingerprint()}.json"
        self.known = json.loads(self.path.read_text()) if self.path.exists() else {}

    def ndcg(self, name: str, weights: Weights) -> float:
        """nDCG@10 of these constants on a collection, run once."""
        key = f"{self.indexes[name].name} {weights}"
        if key not in self.known:
            queries, qrels, _, _ = self.baselines[name]
            self.known[key] = collection_ndcg(self.indexes[name], queries, qrels, weights)
            self.path.write_text(json.dumps(self.known))
        return self.known[key]

    def lead(self, names: list[str], weights: Weights) -> float:
        """The mean nDCG@10 lead over bm25s on these collections."""
        return sum(self.ndcg(n, weights) - self.baselines[n][2].ndcg_at_10 for n in names) / len(names)

    def best(self, names: list[str], candidates: list[Weights]) -> Weights:
        """The candidate with the best mean lead on these collections (the first of equals)."""
        return max(candidates, key=lambda w: self.lead(names, w))


def choose(figures: Figures, names: list[str]) -> Weights:
    """The constants chosen on these collections: the grid's best, then each bonus kept where it helps."""
    chosen = figures.best(names, combinations(GRID))
    for bonus in BONUSES.values():
        # The bonus off is one candidate, not one per setting of the constants it leaves unused.
        switch, off = next(iter(bonus)), bonus_off(bonus)
        candidates = [dict(zip(bonus, values, strict=True)) for values in itertools.product(*bonus.values())]
        candidates = [off] + [c for c in candidates if c[switch] != off[switch]]
        chosen = figures.best(names, [dataclasses.replace(chosen, **c) for c in candidates])
    return chosen


def describe(weights: Weights) -> str:
    """The constants that differ from the defaults, or "the defaults"."""
    changed = [f"{f.name} {getattr(weights, f.name)}" for f in dataclasses.fields(weights)
               if getattr(weights, f.name) != getattr(DEFAULT_WEIGHTS, f.name)]
    return ", ".join(changed) or "the defaults"


def held_out_column(indexes: dict[str, Path], baselines, log) -> str:
    """The held-out table: per collection, bm25s, the defaults in-sample, and the constants chosen
    on the other collections scored on it."""
    names = list(indexes)
    figures = Figures(indexes, baselines, log)
    started = time.monotonic()
    lines = ["| collection | bm25s | ours (defaults) | vs bm25s | held out | vs bm25s | chosen on the others |",
             "|---|---|---|---|---|---|---|"]
    leads, held_leads = [], []
    for name in names:
        base = baselines[name][2].ndcg_at_10
        ours = figures.ndcg(name, DEFAULT_WEIGHTS)
        chosen = choose(figures, [n for n in names if n != name]) if len(names) > 1 else DEFAULT_WEIGHTS
        held = figures.ndcg(name, chosen)
        leads.append(ours - base)
        held_leads.append(held - base)
        lines.append(f"| {name} | {base:.3f} | {ours:.3f} | {ours - base:+.3f} | {held:.3f} | {held - base:+.3f} "
                     f"| {describe(chosen)} |")
        log(f"held out: {name} done ({time.monotonic() - started:.0f}s)")
    everywhere = choose(figures, names)
    lines.append("")
    lines.append(f"mean lead over bm25s: defaults {sum(leads) / len(leads):+.3f} (worst {min(leads):+.3f}), "
                 f"held out {sum(held_leads) / len(held_leads):+.3f} (worst {min(held_leads):+.3f})")
    lines.append(f"chosen on all {len(names)}: {describe(everywhere)} "
                 f"(mean lead {figures.lead(names, everywhere):+.3f}); defaults: {DEFAULT_WEIGHTS}")
    return "\n".join(lines)
