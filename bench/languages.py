"""Paragraph retrieval in every language of ../shared/data/languages, ours beside the lexical peers, in one run.

    .venv/bin/python -m bench.languages [--peers-python PATH] [--cache DIR] [--only xquad_ru,jsquad_ja]
                                        [--held-out]

Each set's docs.jsonl is indexed by `search reindex`'s code path (build_index, cleaning and language
identification included) and its questions ranked as `search eval` ranks them; the peers of
../shared/tools/lang_reference.py (bm25s plain, with Snowball, over Unicode words, character
bigrams, jieba; plain Whoosh) rank the same questions in the same run, with an interpreter that has
bm25s, PyStemmer and jieba (`--peers-python`, default /tmp/languages-peers/bin/python). Prints one
Markdown table: nDCG@10 of ours, of the best lexical peer (and which), and the difference.
`--held-out` also chooses the query-time switches (SWITCHES) leave-one-language-out, over up to
`--sample` questions a set: for each set, the setting best on the other sets' mean, scored on the
held-out set. Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.ranking import collection_index
from search.analysis import words
from search.querying.evaluate import RUN_DEPTH, rank_documents, read_qrels, read_queries, score_run
from search.querying.snapshot import open_snapshot

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "languages"
TOOLS = REPO.parent / "shared" / "tools"
PEERS_PYTHON = Path("/tmp/languages-peers/bin/python")
# The query-time choice made leave-one-language-out: dropping other languages' function words (the
# cleaner's lists of ten languages, analysis.stopwords.FOREIGN_STOPWORDS) from queries, or not.
SWITCHES = ("other languages' function words dropped",)


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the results."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def our_ndcg(index_dir: Path, folder: Path, sample: int | None = None) -> tuple[float, dict]:
    """nDCG@10 of the default ranking over the set's judged questions (the first `sample` of them by
    id, when given), and the index's languages."""
    queries = read_queries(folder / "queries.jsonl")
    qrels = {q: rels for q, rels in read_qrels(folder / "qrels.tsv").items() if q in queries}
    if sample:
        qrels = {q: qrels[q] for q in sorted(qrels)[:sample]}
    with open_snapshot(index_dir) as snapshot:
        run = {q: rank_documents(snapshot, queries[q], RUN_DEPTH) for q in qrels}
        values, codes = snapshot.column_codes("lang")
        counts: dict[str, int] = {}
        for code in codes[snapshot.live_docs()].tolist():
            counts[values[code] or "?"] = counts.get(values[code] or "?", 0) + 1
    return score_run(run, qrels).ndcg_at_10, counts


def peer_figures(folder: Path, python: Path) -> dict[str, float]:
    """nDCG@10 of each of lang_reference.py's peers on the set, run now."""
    with tempfile.TemporaryDirectory(prefix="languages-peers-") as tmp:
        out = Path(tmp) / "peers.jsonl"
        subprocess.run([str(python), str(TOOLS / "lang_reference.py"), str(folder), "--json", str(out)],
                       check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        return {m["method"]: m["ndcg@10"] for m in map(json.loads, out.read_text().splitlines())}


def set_switches(setting: tuple[bool, ...]) -> None:
    """Turn the query-time switches (SWITCHES) on or off in this process."""
    from search.analysis.stopwords import FOREIGN_STOPWORDS, QUERY_STOP_WORDS

    (function_words,) = setting
    lists = {"en": QUERY_STOP_WORDS, **(FOREIGN_STOPWORDS if function_words else {})}
    words.query_stop_words = lambda lang: lists.get(lang, frozenset())
    words.query_stop_terms.cache_clear()


ORIGINAL_STOP_WORDS = words.query_stop_words
SHIPPED = (True,)  # the setting the code ships: other languages' function words dropped


def held_out_table(indexes: dict[str, Path], sample: int) -> str:
    """Each set's figure under the switch setting best on the other sets (leave one language out)."""
    settings = [(False,), (True,)]
    figures: dict[tuple, dict[str, float]] = {}
    for setting in settings:
        set_switches(setting)
        figures[setting] = {name: our_ndcg(ix, DATA / name, sample)[0] for name, ix in indexes.items()}
        log(f"switches {setting}: " + ", ".join(f"{n} {v:.3f}" for n, v in figures[setting].items()))
    words.query_stop_words = ORIGINAL_STOP_WORDS
    words.query_stop_terms.cache_clear()
    lines = [f"held out (first {sample} questions a set by id; switches: {'; '.join(SWITCHES)})", "",
             "| set | chosen on the others | held-out nDCG@10 | as shipped | " +
             " | ".join(f"{'with' if a else 'without'} their function words dropped" for (a,) in settings) + " |",
             "|---|---|---|---|" + "---|" * len(settings)]
    for name in indexes:
        others = [n for n in indexes if n != name]
        best = max(settings, key=lambda c: sum(figures[c][n] for n in others) / len(others))
        chosen = "dropped" if best[0] else "kept"
        lines.append(f"| {name} | {chosen} | {figures[best][name]:.3f} | {figures[SHIPPED][name]:.3f} | " +
                     " | ".join(f"{figures[c][name]:.3f}" for c in settings) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers-python", type=Path, default=PEERS_PYTHON)
    parser.add_argument("--cache", type=Path, help="Keep the sets' indexes here between runs.")
    parser.add_argument("--only", help="Comma-separated sets (default: every set in ../shared/data/languages).")
    parser.add_argument("--held-out", action="store_true", help="Also choose the switches leave-one-language-out.")
    parser.add_argument("--sample", type=int, default=400, help="Questions a set for --held-out.")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else sorted(p.name for p in DATA.iterdir() if p.is_dir())
    lines = ["| set | ours | best lexical peer | peer | ours - peer | bm25s Snowball | plain Whoosh | languages |",
             "|---|---|---|---|---|---|---|---|"]
    indexes = {}
    with tempfile.TemporaryDirectory(prefix="languages-") as tmp:
        cache = args.cache or Path(tmp)
        for name in names:
            folder = DATA / name
            indexes[name] = collection_index(name, cache, DATA)
            ours, langs = our_ndcg(indexes[name], folder)
            peers = peer_figures(folder, args.peers_python)
            lexical = {m: v for m, v in peers.items() if not m.startswith("whoosh")}
            best = max(lexical, key=lexical.get)
            snowball = next((v for m, v in peers.items() if m.startswith("bm25s_snowball")), None)
            found = ", ".join(f"{k} {v}" for k, v in sorted(langs.items(), key=lambda kv: -kv[1])[:3])
            lines.append(f"| {name} | {ours:.3f} | {lexical[best]:.3f} | {best} | {ours - lexical[best]:+.3f} | "
                         f"{'' if snowball is None else f'{snowball:.3f}'} | {peers.get('whoosh_std_nowild', 0):.3f} "
                         f"| {found} |")
            log(f"{name}: ours {ours:.3f}, {best} {lexical[best]:.3f}")
        print("\n".join(lines), flush=True)
        if args.held_out:
            print()
            print(held_out_table(indexes, args.sample))


if __name__ == "__main__":
    main()
