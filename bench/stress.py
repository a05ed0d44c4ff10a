"""Stress: reindexes (full, changed corpus, killed with SIGKILL, two at once) while a query load runs.

    python bench/stress.py [--pages 1500] [--seconds 150] [--kills 20] [--clients 4]

Runs `search serve --workers 2` on loopback, keeps a bounded query load on /api/search and
/healthz, and meanwhile reindexes the corpus over and over, switching it between two known
states (N pages, and N plus 1% added minus 1% deleted). Every response must be 200, show one of
the two complete document counts, and hold no duplicate ids. Prints the figures at the end and
exits 1 on any failure. Not part of the test suite: it runs for minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).with_name("search")
QUERIES = ["harbour", "council vote", "storm", '"fishing crews"', "report", "bay spring", "cod"]
PROSE = [
    "Fishing crews in the northern harbour said catches of cod had fallen for a third year.",
    "The council voted to fund a study of the colder currents that now reach the bay in early spring.",
    "A storm closed the coast road overnight and the ferry to the islands stayed in port.",
    "Residents asked for a new sea wall after the third flood of the winter reached the market square.",
]


def write_page(root: Path, i: int, rng: random.Random) -> None:
    folder = root / f"site{i % 7}"
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n".join(" ".join(rng.sample(PROSE, 4)) + f" Item {i} harbour report." for _ in range(3))
    (folder / f"page{i}.txt").write_text(f"Home | News | Sport\nHarbour report number {i}\n{body}\nThe Coast Post\n")


def set_state(root: Path, n: int, state: int) -> int:
    """State 0: pages 0..n-1. State 1: 1% deleted, 1% added. Returns the page count."""
    rng = random.Random(7)
    cut = max(1, n // 100)
    for i in range(n + cut):
        path = root / f"site{i % 7}" / f"page{i}.txt"
        wanted = (i < n) if state == 0 else (cut <= i < n + cut)
        if wanted and not path.exists():
            write_page(root, i, rng)
        elif not wanted and path.exists():
            path.unlink()
    return n


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, {}
    except (OSError, ValueError):  # refused, reset, timed out, or not JSON
        return 0, {}


def reindex(env: dict, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), "reindex", *extra], env=env, capture_output=True, text=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1500)
    ap.add_argument("--seconds", type=float, default=150)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="stress-"))
    corpus, index = work / "corpus", work / "index"
    env = {**os.environ, "SEARCH_CORPUS": str(corpus), "SEARCH_INDEX": str(index)}
    n = args.pages
    set_state(corpus, n, 0)
    assert reindex(env).returncode == 0
    valid_counts = {n}
    port = free_port()
    server = subprocess.Popen([str(BIN), "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    stats = {"requests": 0, "failures": 0, "wrong_counts": 0, "duplicates": 0, "empty": 0}
    problems: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            q = rng.choice(QUERIES)
            status, body = get_json(f"{base}/api/search?q={urllib.request.quote(q)}&per_page=50")
            hstatus, health = get_json(f"{base}/healthz")
            with lock:
                stats["requests"] += 2
                if status != 200 or hstatus != 200:
                    stats["failures"] += 1
                    problems.append(f"status {status}/{hstatus} for {q}")
                    continue
                ids = [h["id"] for h in body["hits"]]
                if len(ids) != len(set(ids)):
                    stats["duplicates"] += 1
                if body["total"] == 0:
                    stats["empty"] += 1
                if health["documents"] not in valid_counts:
                    stats["wrong_counts"] += 1
                    problems.append(f"healthz showed {health['documents']} documents")

    try:
        deadline = time.monotonic() + 30
        while get_json(base + "/healthz")[0] != 200:
            if time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.2)
        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
        for t in threads:
            t.start()
        ends = time.monotonic() + args.seconds
        rounds = kills = kill_ok = 0
        rng = random.Random(11)
        state = 0
        while time.monotonic() < ends:
            # 1. a reindex of a changed corpus: incremental, and every third round full
            state = 1 - state
            valid_counts.add(set_state(corpus, n, state))
            result = reindex(env, *(["--full"] if rounds % 3 == 2 else []))
            if result.returncode:
                problems.append("reindex failed: " + result.stderr[-300:])
            rounds += 1
            # 2. a full reindex (long enough to be caught mid-way) killed at a random moment
            if kills < args.kills:
                proc = subprocess.Popen([str(BIN), "reindex", "--full"], env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
                time.sleep(rng.uniform(0.1, 3.0))
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                kills += 1
                status, health = get_json(base + "/healthz")
                if status == 200 and health["documents"] in valid_counts:
                    kill_ok += 1
                else:
                    problems.append(f"after kill {kills}: {status} {health}")
            # 3. two reindexes at once: the second waits or says one is running
            if rounds % 3 == 0:
                procs = [subprocess.Popen([str(BIN), "reindex"], env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True) for _ in range(2)]
                outs = [p.communicate() for p in procs]
                for p, (_, err) in zip(procs, outs, strict=True):
                    if p.returncode and "another reindex" not in err:
                        problems.append("concurrent reindex: " + err[-300:])
        stop.set()
        for t in threads:
            t.join(timeout=15)
        # The final reindex must succeed without cleanup and hold exactly the corpus.
        final = reindex(env)
        status, health = get_json(base + "/healthz")
        expected = sum(1 for _ in corpus.rglob("*.txt"))
        exact = final.returncode == 0 and health.get("documents") == expected
    finally:
        stop.set()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)
    print(f"pages: {n}; reindex rounds: {rounds}; queries+health checks served: {stats['requests']}")
    print(f"failed requests: {stats['failures']}; wrong document counts: {stats['wrong_counts']}; "
          f"responses with duplicates: {stats['duplicates']}; empty results: {stats['empty']}")
    print(f"SIGKILL trials: {kills}; server kept a complete index after: {kill_ok}; "
          f"final reindex exact: {exact} ({health.get('documents')} of {expected})")
    for p in problems[:20]:
        print("problem:", p)
    bad = stats["failures"] + stats["wrong_counts"] + stats["duplicates"] + stats["empty"] + len(problems)
    return 1 if bad or not exact or kill_ok != kills else 0


if __name__ == "__main__":
    sys.exit(main())
