"""Leave-one-collection-out choice of the ranking's tunable constants (bench/ranking.py --held-out)."""


def held_out_column(indexes, baselines, log) -> str:
    """The held-out column (placeholder until the ranking's constants are exposed)."""
    return "held out: not yet"
