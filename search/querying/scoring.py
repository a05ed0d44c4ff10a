"""Scoring: the project's BM25 weighting, as Whoosh's searcher uses it and as ranking computes it over arrays."""

from __future__ import annotations

import math

from whoosh import scoring
from whoosh.searching import Searcher

K1 = 1.5  # term-frequency saturation
B = {"title": 0.75, "body": 0.75}  # length normalisation, per field


class BM25Scorer(scoring.WeightLengthScorer):
    """Okapi BM25 for one term in one field, with the idf that never goes negative or flat."""

    def __init__(self, searcher: Searcher, fieldname: str, text: bytes, qf: float = 1):
        parent = searcher.get_parent()
        n = parent.doc_count_all()
        df = parent.doc_frequency(fieldname, text)
        # log(1 + (N - df + 0.5) / (df + 0.5)): a rare word counts for far more than a common one,
        # where Whoosh's log(N / (df + 1)) + 1 gives common words a floor of 1.
        self.idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        self.avgfl = parent.avg_field_length(fieldname) or 1
        self.qf = qf
        self.b = B.get(fieldname, B["body"])
        self.setup(searcher, fieldname, text)

    def _score(self, weight: float, length: float) -> float:
        return self.idf * weight * (K1 + 1) / (weight + K1 * (1 - self.b + self.b * length / self.avgfl))


class BM25(scoring.WeightingModel):
    """The default weighting: BM25 in each field, the fields' scores summed with their boosts."""

    def scorer(self, searcher: Searcher, fieldname: str, text: bytes, qf: float = 1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        return BM25Scorer(searcher, fieldname, text, qf=qf)
