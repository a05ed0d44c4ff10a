"""Performance benchmark: reindex, incremental reindex, queries and HTTP, beside peers, in one run.

    .venv/bin/python -m bench.perf --n 20000

Generates a seeded corpus of N scraped-looking pages from ../shared/data, then measures, in this
order and on the same documents: naive Whoosh and SQLite FTS5 (../shared/tools/perf_peers.py),
our full reindex (`search reindex`, cleaning included), incremental reindexes (nothing changed;
1% of pages edited, added and deleted, then the exact document set checked), query + snippet
latency for a fixed query mix, and /api/search under load against `search serve --workers 2`.
Prints a Markdown table with the ratios and writes the figures as JSON. Not part of the tests.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench.corpus import change_one_percent, write_corpus
from search.querying.filters import Filters
from search.querying.live import LiveSearcher
from search.querying.query import search_index

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
# "Very unlikely" words: queries are drawn from the documents' own words, as the peers draw them.
QUERY_WORD = re.compile(r"[a-z]{4,}")


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the results."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    """The q-th quantile (0..1) of values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency_summary(seconds: list[float]) -> dict:
    """p50/p95/p99 in milliseconds."""
    return {f"p{int(q * 100)}": round(1000 * percentile(seconds, q), 2) for q in (0.5, 0.95, 0.99)}


def du_mb(path: Path) -> float:
    """Size of the files under path, in MB."""
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def descendants(pid: int) -> list[int]:
    """pid and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        stack.extend(children.get(p, []))
    return found


def status_kb(pid: int, key: str, source: str = "status") -> int:
    """A VmRSS/VmHWM figure of a process (or, from smaps_rollup, its Pss), in kB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(cmd: list[str]) -> dict:
    """Run a command; its wall time, output, and peak RSS (largest process, and the whole tree summed)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_tree = peak_pss = 0
    done = threading.Event()

    def watch() -> None:
        # Summed RSS counts the pages forked cleaners share with their parent once per process;
        # the proportional set size (Pss) splits each shared page among its sharers.
        nonlocal peak_tree, peak_pss
        while not done.is_set():
            tree = descendants(proc.pid)
            peak_tree = max(peak_tree, sum(status_kb(p, "VmRSS") for p in tree))
            peak_pss = max(peak_pss, sum(status_kb(p, "Pss", "smaps_rollup") for p in tree))
            done.wait(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out}\n{err}")
    return {"seconds": round(seconds, 2), "stdout": out, "peak_tree_mb": round(peak_tree / 1024),
            "peak_tree_pss_mb": round(peak_pss / 1024)}


def reindex(index_dir: Path, corpus_dir: Path, *extra: str) -> dict:
    """One `search reindex` run, measured, with its report."""
    search = str(Path(sys.executable).parent / "search")
    result = run_measured([search, "reindex", "--corpus", str(corpus_dir), "--index", str(index_dir), *extra])
    result["report"] = json.loads((index_dir / "last-reindex.json").read_text())
    return result


def load_peers(tool: Path):
    """The peers' module: naive Whoosh and FTS5, as ../shared/tools/perf_peers.py runs them."""
    spec = importlib.util.spec_from_file_location("perf_peers", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_peer(peers, engine: str, docs: list[dict], queries: list[str]) -> dict:
    """Index and query with one peer, in a temporary folder."""
    tmp = Path(tempfile.mkdtemp(prefix=f"peer-{engine}-"))
    try:
        if engine == "fts5":
            seconds, lat = peers.fts5(docs, queries, str(tmp))
        else:
            seconds, lat = peers.whoosh(docs, queries, str(tmp), 1)
        return {"docs_per_s": round(len(docs) / seconds, 1), "seconds": round(seconds, 2),
                "size_mb": du_mb(tmp), **latency_summary(lat)}
    finally:
        shutil.rmtree(tmp)


def query_mix(docs: list[dict], seed: int, each: int = 100) -> dict[str, list[dict]]:
    """The fixed query mix, drawn from the documents: one word, two words, a two-word phrase, two
    words within a five-year date range, two words sorted newest first. Each is a request's parameters."""
    rnd = random.Random(seed)
    sample = rnd.sample(docs, min(500, len(docs)))
    words = [w for d in sample for w in QUERY_WORD.findall(d["text"].lower())]
    phrases = []
    while len(phrases) < each:
        tokens = QUERY_WORD.findall(rnd.choice(sample)["text"].lower())
        if len(tokens) > 2:
            i = rnd.randrange(len(tokens) - 1)
            phrases.append(f'"{tokens[i]} {tokens[i + 1]}"')

    def pair() -> str:
        return f"{rnd.choice(words)} {rnd.choice(words)}"

    def years() -> dict:
        start = rnd.randrange(1990, 2021)
        return {"from": str(start), "to": str(start + 4)}

    return {
        "one word": [{"q": rnd.choice(words)} for _ in range(each)],
        "two words": [{"q": pair()} for _ in range(each)],
        "phrase": [{"q": p} for p in phrases],
        "filtered by date": [{"q": pair(), **years()} for _ in range(each)],
        "sorted by date": [{"q": pair(), "sort": "newest"} for _ in range(each)],
    }


def fresh_queries(docs: list[dict], seed: int, count: int) -> list[dict]:
    """Word pairs for a load of queries never asked before (seeded, distinct, not in the mix)."""
    rnd = random.Random(seed + 1)
    words = sorted({w for d in rnd.sample(docs, min(2000, len(docs))) for w in QUERY_WORD.findall(d["text"].lower())})
    pairs = dict.fromkeys(f"{rnd.choice(words)} {rnd.choice(words)}" for _ in range(count * 2))
    return [{"q": q} for q in list(pairs)[:count]]


def as_filters(request: dict) -> Filters:
    """A mix request's filters and sort order."""
    return Filters(date_from=request.get("from"), date_to=request.get("to"), sort=request.get("sort", "relevance"))


def time_queries(index_dir: Path, requests: list[dict], warmup: list[dict], facets: bool = True) -> list[float]:
    """Seconds per query through the search library, each asked once, as the web app asks it (10 hits a
    page, snippets, near-duplicates grouped; total and facets unless facets=False). The process is
    warmed first (imports, the searcher's columns) by other queries of the same kind, as a running
    server is by earlier traffic; the timed ones are never asked before, so what the searcher
    remembers of a word's postings helps them only where they share words with earlier queries."""
    live = LiveSearcher(index_dir)
    for r in warmup:
        search_index(live.get(), r["q"], filters=as_filters(r), facets=facets)
    lat = []
    for r in requests:
        started = time.perf_counter()
        search_index(live.get(), r["q"], filters=as_filters(r), facets=facets)
        lat.append(time.perf_counter() - started)
    return lat


def free_port() -> int:
    """A free TCP port on loopback."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_load(port: int, requests: list[dict], seconds: float, max_requests: int, concurrency: int) -> dict:
    """`concurrency` keep-alive clients sending the requests in order (cycled) until time or count runs out."""
    paths = [f"/api/search?{urllib.parse.urlencode(r)}" for r in requests]
    lat: list[float] = []
    errors = [0]
    counter = iter(range(max_requests))
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop_at:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", paths[n % len(paths)])
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - started)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            lat.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"requests": len(lat), "distinct": min(len(lat), len(set(paths))), "errors": errors[0],
            "seconds": round(elapsed, 1), "rps": round(len(lat) / elapsed, 1), **latency_summary(lat)}


def load_test(index_dir: Path, corpus_dir: Path, phases: dict[str, list[dict]], seconds: float,
              max_requests: int, concurrency: int) -> dict:
    """/api/search under concurrent load on loopback against `search serve --workers 2`, bounded; one
    server, one load per phase (requests cycled in order), figures per phase."""
    port = free_port()
    search = str(Path(sys.executable).parent / "search")
    server = subprocess.Popen([search, "serve", "--index", str(index_dir), "--corpus", str(corpus_dir),
                               "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not come up")
            time.sleep(0.2)
        figures = {phase: run_load(port, requests, seconds, max_requests, concurrency)
                   for phase, requests in phases.items()}
        workers = [p for p in descendants(server.pid) if p != server.pid]
        # Peak resident memory, and the private part of it now: the rest is the index's files,
        # mapped and shared with the page cache and the other worker.
        return {"phases": figures, "concurrency": concurrency,
                "worker_peak_mb": [round(status_kb(p, "VmHWM") / 1024) for p in workers],
                "worker_private_mb": [round(status_kb(p, "RssAnon") / 1024) for p in workers]}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def indexed_ids(index_dir: Path) -> set[str]:
    """The ids the index's latest generation holds."""
    from search.indexing.store import indexed_units, open_index

    return set(indexed_units(open_index(index_dir)))


def texts_by_id(index_dir: Path) -> dict[str, str]:
    """id -> hash of the cleaned text, for every document in the index."""
    from search.indexing.store import open_index

    with open_index(index_dir).reader() as reader:
        ids, hashes = reader.column_reader("id"), reader.column_reader("bodyhash")
        return {ids[n]: hashes[n] for n in reader.all_doc_ids()}


def check_document_set(index_dir: Path, corpus_dir: Path, change: dict) -> str:
    """'exact' when the incremental index holds what it should after the 1% change, else what differs.

    Deleted pages must be gone, added and edited pages findable with their new text, and every
    distinct text a full reindex of the same corpus holds must be held too. (Which copy of an
    exact duplicate is indexed may differ: a full reindex keeps the first in corpus order, an
    incremental one keeps the copy already indexed.)
    """
    from search.querying.snapshot import open_snapshot

    reference = index_dir.with_name(index_dir.name + "-reference")
    reindex(reference, corpus_dir, "--full")
    got, ref = texts_by_id(index_dir), texts_by_id(reference)
    problems = []
    if left := [p for p in change["deleted"] if p in got]:
        problems.append(f"{len(left)} deleted pages still indexed")
    if lost := [p for p in change["added"] if p in ref and p not in got and ref[p] not in set(got.values())]:
        problems.append(f"{len(lost)} added pages not findable")
    def bodies(folder: Path) -> dict[str, str]:
        with open_snapshot(folder) as snapshot:
            return {pid: (snapshot.searcher.document(id=pid) or {}).get("body", "") for pid in change["edited"]}

    edited, full = bodies(index_dir), bodies(reference)
    # An edit the full reindex holds too: one the cleaner keeps, so the incremental index must.
    stale = [pid for pid, marker in change["edited"].items() if marker in full[pid] and marker not in edited[pid]]
    if stale:
        problems.append(f"{len(stale)} edited pages without their edit ({', '.join(stale[:3])})")
    if dropped := [pid for pid, marker in change["edited"].items() if pid in ref and marker not in full[pid]]:
        problems.append(f"{len(dropped)} edited pages whose edit a full reindex drops too ({', '.join(dropped[:3])})")
    if missing := set(ref.values()) - set(got.values()):
        problems.append(f"{len(missing)} of {len(set(ref.values()))} distinct texts of a full reindex missing")
    shutil.rmtree(reference, ignore_errors=True)
    return "exact" if not problems else "; ".join(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20000, help="pages in the generated corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=SHARED / "data", help="folder with reuters21578/, bbc_news/")
    parser.add_argument("--peers-tool", type=Path, default=SHARED / "tools" / "perf_peers.py")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a new temporary one)")
    parser.add_argument("--http-seconds", type=float, default=20.0, help="how long the load test runs at most")
    parser.add_argument("--http-requests", type=int, default=20000, help="how many requests it sends at most")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent loopback connections")
    parser.add_argument("--no-peers", action="store_true", help="skip the peers (then no ratios)")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP load test")
    parser.add_argument("--no-incremental", action="store_true",
                        help="skip the incremental reindexes (nothing changed; 1%% changed) and their check")
    parser.add_argument("--no-check", action="store_true",
                        help="skip checking the 1%% incremental index against a full reindex (saves a full reindex)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="scrape-search-bench-"))
    corpus_dir, index_dir = work / "corpus", work / "index"
    results: dict = {"n": args.n, "seed": args.seed, "cores": os.cpu_count(),
                     "load_before": os.getloadavg()[0]}
    try:
        log(f"generating {args.n} pages in {corpus_dir}")
        pages = write_corpus(args.data, corpus_dir, args.n, args.seed)
        results["html_share"] = round(sum(p.relpath.endswith(".html") for p in pages) / len(pages), 2)
        results["corpus_mb"] = du_mb(corpus_dir)
        docs = [{"id": p.relpath, "title": p.title, "text": p.text} for p in pages]
        mix = query_mix(docs, args.seed)
        warmup = query_mix(docs, args.seed + 1, each=20)  # other queries of each kind, to warm the process

        if not args.no_peers:
            peers = load_peers(args.peers_tool)
            peer_queries = peers.queries(docs)
            results["peer_queries"] = len(peer_queries)
            for engine in ("whoosh-naive", "fts5"):
                log(f"peer {engine}")
                results[engine] = run_peer(peers, engine, docs, peer_queries)

        log("full reindex")
        full = reindex(index_dir, corpus_dir)
        results["full"] = {"seconds": full["seconds"], "pages_per_s": round(args.n / full["seconds"], 1),
                           "indexed": full["report"]["indexed"], "skipped": len(full["report"]["skipped"]),
                           "peak_tree_mb": full["peak_tree_mb"], "peak_tree_pss_mb": full["peak_tree_pss_mb"],
                           "index_mb": du_mb(index_dir)}
        if not args.no_incremental:
            log("incremental reindex, nothing changed")
            same = reindex(index_dir, corpus_dir)
            results["unchanged"] = {"seconds": same["seconds"], "report": {
                k: same["report"][k] for k in ("mode", "added", "updated", "unchanged", "deleted")}}

            change = change_one_percent(args.data, corpus_dir, pages, args.seed)
            log("incremental reindex, 1% edited/added/deleted")
            changed = reindex(index_dir, corpus_dir)
            results["changed"] = {"seconds": changed["seconds"], "report": {
                k: changed["report"].get(k, 0)
                for k in ("mode", "added", "updated", "unchanged", "deleted", "recleaned")},
                "document_set": "not checked" if args.no_check else check_document_set(index_dir, corpus_dir, change)}

        log("queries")
        timed = {kind: time_queries(index_dir, qs, warmup[kind]) for kind, qs in mix.items()}
        results["queries"] = {kind: latency_summary(lat) for kind, lat in timed.items()}
        results["queries"]["all"] = latency_summary([t for lat in timed.values() for t in lat])
        if not args.no_peers:
            pairs = [{"q": q} for q in peer_queries]
            # Like for like with the peers (top 10 and a snippet each), then as the API answers.
            warm = warmup["two words"]
            results["queries"]["peer pairs"] = latency_summary(time_queries(index_dir, pairs, warm, facets=False))
            results["queries"]["peer pairs, with total and facets"] = latency_summary(
                time_queries(index_dir, pairs, warm))

        if not args.no_http:
            log("HTTP load")
            phases = {"the query mix, repeated": [r for qs in mix.values() for r in qs],
                      "every query new": fresh_queries(docs, args.seed, args.http_requests)}
            results["http"] = load_test(index_dir, corpus_dir, phases, args.http_seconds, args.http_requests,
                                        args.concurrency)
        results["load_after"] = os.getloadavg()[0]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(render_table(results))


def render_table(r: dict) -> str:
    """The figures as a Markdown table, ratios against the peers beside, targets and whether they are met."""
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "-"

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    rows = [f"N = {r['n']} pages ({r['html_share']:.0%} HTML, {r['corpus_mb']} MB), {r['cores']} cores, "
            f"load average {r['load_before']:.1f} before / {r.get('load_after', 0):.1f} after", "",
            "| measure | ours | peer | ratio | target |", "|---|---|---|---|---|"]
    full, naive, fts = r["full"], r.get("whoosh-naive"), r.get("fts5")
    million = r["n"] >= 1_000_000  # the targets set for a million pages on two cores
    if naive:
        rows.append(f"| full reindex, cleaning included | {full['pages_per_s']} pages/s ({full['seconds']} s) | "
                    f"naive Whoosh {naive['docs_per_s']} docs/s; FTS5 {fts['docs_per_s']} docs/s | "
                    f"{ratio(full['pages_per_s'], naive['docs_per_s'])} naive | ≥3x naive: "
                    f"{verdict(full['pages_per_s'] >= 3 * naive['docs_per_s'])} |")
    else:
        target = f"<45 min at a million: {verdict(full['seconds'] < 45 * 60)}" if million else ""
        rows.append(f"| full reindex, cleaning included | {full['pages_per_s']} pages/s ({full['seconds']} s) | | | "
                    f"{target} |")
    if "unchanged" in r:
        un, ch = r["unchanged"], r["changed"]
        rows.append(f"| incremental, nothing changed | {un['seconds']} s ({un['report']['unchanged']} unchanged) | "
                    f"full {full['seconds']} s | {ratio(full['seconds'], un['seconds'])} faster | ≥20x: "
                    f"{verdict(full['seconds'] >= 20 * un['seconds'])} |")
        rep = ch["report"]
        again = f", {rep['recleaned']} kept pages cleaned again for new site templates" if rep.get("recleaned") else ""
        rows.append(f"| incremental, 1% changed | {ch['seconds']} s ({rep['added']} added, {rep['updated']} updated, "
                    f"{rep['deleted']} deleted{again}; document set {ch['document_set']}) | full {full['seconds']} s | "
                    f"{ch['seconds'] / full['seconds']:.1%} of full | ≤10%: "
                    f"{verdict(ch['seconds'] <= 0.1 * full['seconds'] and ch['document_set'] == 'exact')} |")
    q = r["queries"]
    if fts and "peer pairs" in q:
        pp = q["peer pairs"]
        rows.append(f"| query+snippet, the peers' {r['peer_queries']} word pairs | p50 {pp['p50']} / p95 {pp['p95']} / "
                    f"p99 {pp['p99']} ms | FTS5 p50 {fts['p50']} / p95 {fts['p95']} / p99 {fts['p99']} ms; naive "
                    f"Whoosh p50 {naive['p50']} / p95 {naive['p95']} ms | p50 {ratio(pp['p50'], fts['p50'])}, "
                    f"p95 {ratio(pp['p95'], fts['p95'])} FTS5 | p95 ≤ FTS5: {verdict(pp['p95'] <= fts['p95'])}; "
                    f"p50 ≤2x: {verdict(pp['p50'] <= 2 * fts['p50'])} |")
    if "peer pairs, with total and facets" in q:
        s = q["peer pairs, with total and facets"]
        rows.append(f"| the same pairs, as the API answers (exact total, facets) | p50 {s['p50']} / p95 {s['p95']} / "
                    f"p99 {s['p99']} ms | | | |")
    for kind in ("one word", "two words", "phrase", "filtered by date", "sorted by date", "all"):
        s = q[kind]
        target = (f"p95 <50 ms: {verdict(s['p95'] < 50)}; p99 <150 ms: {verdict(s['p99'] < 150)}"
                  if million and kind == "all" else "")
        rows.append(f"| query+snippet, {kind} (mix, as the API answers) | p50 {s['p50']} / p95 {s['p95']} / "
                    f"p99 {s['p99']} ms | | | {target} |")
    if "http" in r:
        h = r["http"]
        for phase, f in h["phases"].items():
            target = (f"≥300 req/s: {verdict(f['rps'] >= 300)}; p99 <100 ms: {verdict(f['p99'] < 100)}"
                      if phase == "the query mix, repeated" else "")
            rows.append(f"| HTTP /api/search, 2 workers, {h['concurrency']} connections: {phase} | {f['rps']} req/s, "
                        f"p50 {f['p50']} / p99 {f['p99']} ms ({f['requests']} requests, {f['distinct']} distinct, "
                        f"{f['errors']} errors) | | | {target} |")
        peaks = ", ".join(f"{m} MB" for m in h["worker_peak_mb"])
        private = ", ".join(f"{m} MB" for m in h["worker_private_mb"])
        target = f"<2 GB each: {verdict(max(h['worker_peak_mb']) < 2048)}" if million else ""
        rows.append(f"| peak RSS of each server worker | {peaks} (private memory at the end: {private}) | | | "
                    f"{target} |")
    pss = full.get("peak_tree_pss_mb")
    if million:
        memory_target = f"<6 GB at a million: {verdict(full['peak_tree_mb'] < 6144)}"
    elif r["n"] >= 200000:
        memory_target = f"<2 GB at 200k: {verdict(full['peak_tree_mb'] < 2048)}"
    else:
        memory_target = "see the 200k run"
    rows.append(f"| peak RSS of the reindex (all its processes summed) | {full['peak_tree_mb']} MB"
                f"{f' (proportional set size, shared pages counted once: {pss} MB)' if pss else ''} | | | "
                f"{memory_target} |")
    peer_size = f"naive Whoosh {naive['size_mb']} MB; FTS5 {fts['size_mb']} MB" if naive else ""
    rows.append(f"| index size on disk | {full['index_mb']} MB | {peer_size} | | |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
