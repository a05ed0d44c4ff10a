"""One big crawl file against many small ones: the Reuters stories as one JSON Lines file, the same split
into files of 200 lines, and naive Whoosh on the same stories, in one run; this code against main's.

    .venv/bin/python -m bench.containers [--rounds 2] [--base main]

Full reindexes (build_index, as `search reindex --full` runs it, cleaning included) of each corpus
by this code and by the base revision's (`git archive`), alternated round by round so that a busy
neighbour slows both alike; naive Whoosh (../shared/tools/perf_peers.py whoosh-naive: one writer,
no cleaning) once a round. Then, by this code, a reindex with nothing changed and one after 1,000
stories are appended to the one file. Prints each run's seconds, pages a second and CPU use (all
processes; the writing process's and the workers' a page, which a busy machine changes less than
the seconds), and the ratios. Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.perf import load_peers

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
LINES_PER_FILE = 200  # the many-files corpus: the stories in files of this many lines (96 files)
APPENDED = 1000  # stories appended to the one file for the incremental run


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the results."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def write_corpora(stories: Path, work: Path) -> tuple[Path, Path, list[str]]:
    """The stories as one file, and as files of LINES_PER_FILE lines; the lines held back to append later."""
    lines = [line for line in stories.read_text(encoding="utf-8").splitlines(keepends=True) if line.strip()]
    one, many = work / "one", work / "many"
    one.mkdir()
    many.mkdir()
    (one / "reuters.jsonl").write_text("".join(lines), encoding="utf-8")
    for n in range(0, len(lines), LINES_PER_FILE):
        (many / f"part-{n // LINES_PER_FILE:03d}.jsonl").write_text("".join(lines[n:n + LINES_PER_FILE]),
                                                                    encoding="utf-8")
    # Appended later: new records, each one story's text followed by the next one's (no page's duplicate).
    extra = []
    records = [json.loads(line) for line in lines[:APPENDED + 1]]
    for record, following in zip(records, records[1:], strict=False):
        text = f"{record.get('text') or record.get('title') or ''}\n{following.get('text') or ''}"
        extra.append(json.dumps(record | {"id": f"appended-{record['id']}", "text": text}) + "\n")
    return one, many, extra


def export(revision: str, folder: Path) -> Path:
    """The code of a git revision, in a folder of its own (`git archive`)."""
    folder.mkdir()
    archive = subprocess.run(["git", "archive", revision], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


# Run by the code under test: a reindex, then its own CPU (the process that writes the index) and its workers'.
REINDEX = """
import json, resource, sys
from pathlib import Path
from search.indexing.index import build_index
report = build_index(Path(sys.argv[1]), Path(sys.argv[2]), full=sys.argv[3] == "full")
own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"writer_cpu": own.ru_utime + own.ru_stime, "workers_cpu": workers.ru_utime + workers.ru_stime}))
"""


def reindex(src: Path, corpus: Path, index: Path, mode: str = "incremental") -> dict:
    """One reindex by the code at src: wall seconds, CPU (all its processes; the writing one's alone), its report."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", REINDEX, str(corpus), str(index), mode], cwd=src, env=env,
                         check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - started
    cpu = json.loads(out.strip().splitlines()[-1])
    report = json.loads((index / "last-reindex.json").read_text())
    pages = max(1, report["added"] + report["updated"])
    return {"seconds": round(seconds, 2), "cpu_share": round((cpu["writer_cpu"] + cpu["workers_cpu"]) / seconds, 2),
            "writer_ms": round(1000 * cpu["writer_cpu"] / pages, 2),
            "workers_ms": round(1000 * cpu["workers_cpu"] / pages, 2), "indexed": report["indexed"],
            "pages_per_s": round(report["indexed"] / seconds, 1), "mode": report["mode"],
            "added": report["added"], "unchanged": report["unchanged"]}


def naive_whoosh(peers, stories: Path) -> dict:
    """Naive Whoosh indexing the same stories (those with text), in a temporary folder."""
    docs = peers.load(str(stories), 0)
    tmp = Path(tempfile.mkdtemp(prefix="peer-whoosh-"))
    try:
        cpu = time.process_time()
        seconds, _ = peers.whoosh(docs, peers.queries(docs)[:10], str(tmp), 1)
        cpu = time.process_time() - cpu  # indexing, and the ten queries' moment
    finally:
        shutil.rmtree(tmp)
    return {"seconds": round(seconds, 2), "docs_per_s": round(len(docs) / seconds, 1), "docs": len(docs),
            "cpu_ms": round(1000 * cpu / len(docs), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=Path, default=SHARED / "data" / "reuters21578" / "docs.jsonl")
    parser.add_argument("--peers-tool", type=Path, default=SHARED / "tools" / "perf_peers.py")
    parser.add_argument("--base", default="main", help="the git revision to compare against")
    parser.add_argument("--this", default=None, help="the git revision measured (default: the working tree)")
    parser.add_argument("--also", default=None, help="another revision, measured on the one file only")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-containers-"))
    try:
        one, many, extra = write_corpora(args.stories, work)
        base_src = export(args.base, work / "base-src")
        this_src = export(args.this, work / "this-src") if args.this else REPO
        also_src = export(args.also, work / "also-src") if args.also else None
        peers = load_peers(args.peers_tool)
        runs: dict[str, list[dict]] = {}
        results = {"cores": os.cpu_count(), "load_before": os.getloadavg()[0], "runs": runs}
        for round_ in range(args.rounds):
            order = [("naive", None, None), ("this, one file", this_src, one), ("base, one file", base_src, one),
                     ("this, many files", this_src, many), ("base, many files", base_src, many)]
            if round_ % 2:
                order = order[:1] + [order[2], order[1], order[4], order[3]]
            if also_src:
                order.insert(2, (f"{args.also}, one file", also_src, one))
            for name, src, corpus in order:
                log(f"round {round_ + 1}: {name}")
                if src is None:
                    figures = naive_whoosh(peers, args.stories)
                else:
                    index = work / "index"
                    figures = reindex(src, corpus, index, "full")
                    if round_ == args.rounds - 1 and name == "this, one file":
                        figures["unchanged_run"] = reindex(src, corpus, index)
                        with (corpus / "reuters.jsonl").open("a", encoding="utf-8") as out:
                            out.write("".join(extra))
                        figures["appended_run"] = reindex(src, corpus, index)
                        lines = (corpus / "reuters.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
                        (corpus / "reuters.jsonl").write_text("".join(lines[:-len(extra)]), encoding="utf-8")
                    shutil.rmtree(index)
                log(f"  {figures}")
                runs.setdefault(name, []).append(figures)
        results["load_after"] = os.getloadavg()[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(render(results, args.base))


def render(results: dict, base: str) -> str:
    """The figures as a Markdown table: the best of each run's rounds, and the ratios."""
    runs = results["runs"]
    best = {name: min(figures, key=lambda f: f["seconds"]) for name, figures in runs.items()}
    naive = best["naive"]["docs_per_s"]
    rows = [f"{results['cores']} cores, load average {results['load_before']:.1f} before / "
            f"{results['load_after']:.1f} after; best of {len(runs['naive'])} rounds, alternated", "",
            "| run | seconds | pages/s | CPU (cores busy) | writing process CPU a page | workers' CPU a page "
            "| vs naive Whoosh | vs base |", "|---|---|---|---|---|---|---|---|",
            f"| naive Whoosh (one writer, no cleaning) | {best['naive']['seconds']} | {naive} | | | | 1.00x | |"]
    for name in ("this, one file", "base, one file", "this, many files", "base, many files"):
        f = best[name]
        against = best[name.replace("this", "base")] if name.startswith("this") else None
        vs_base = f"{f['pages_per_s'] / against['pages_per_s']:.2f}x" if against else ""
        label = name.replace("base", base)
        rows.append(f"| {label} | {f['seconds']} | {f['pages_per_s']} | {f['cpu_share']} | {f['writer_ms']} ms | "
                    f"{f['workers_ms']} ms | {f['pages_per_s'] / naive:.2f}x | {vs_base} |")
    for name in runs:
        if name not in ("naive", "this, one file", "base, one file", "this, many files", "base, many files"):
            f = best[name]
            rows.append(f"| {name} | {f['seconds']} | {f['pages_per_s']} | {f['cpu_share']} | {f['writer_ms']} ms | "
                        f"{f['workers_ms']} ms | {f['pages_per_s'] / naive:.2f}x | |")
    rows.append(f"| naive Whoosh's CPU a document | {best['naive']['cpu_ms']} ms | | | | | | |")
    one = next(f for f in runs["this, one file"] if "unchanged_run" in f)
    un, app = one["unchanged_run"], one["appended_run"]
    rows.append(f"| this, one file, nothing changed | {un['seconds']} | | | | | | {un['unchanged']} unchanged |")
    rows.append(f"| this, one file, {APPENDED} stories appended | {app['seconds']} | | | | | | "
                f"{app['added']} added, {app['unchanged']} unchanged |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
