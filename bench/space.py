"""Disk space a reindex takes: the constants of search/indexing/space.py, measured on ../shared/data.

    sudo python bench/space.py [--generated 3000] [--data ../shared/data]

Each set is a corpus of one page form. Text: the generated corpus's text pages (bench/corpus.py: real
Reuters and BBC articles dressed as scraped pages), its sites split in two sets. HTML: its HTML pages,
and the saved pages of the cleaning sets (dragnet, readability_mozilla, big9_dev, cleanportaleval).
Each is indexed with `search reindex` onto a tmpfs of its own (so that the bytes used are the
reindex's alone) while the used bytes are sampled; then one page in a hundred is edited and the
corpus is reindexed again (incremental). Measured per set: index bytes per corpus byte, and the peak
bytes written per byte of the segment left. The constants are the largest over the sets of a form;
"held out" fits them on every set but one and reports, for the one left out, the estimate's share of
what the reindex really took at its peak (at least 1.00: the estimate covered it). Needs root (mount).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import write_corpus  # noqa: E402
from search.indexing.space import FIXED_BYTES, REWRITTEN_FILES  # noqa: E402

HTML_SETS = ("dragnet", "readability_mozilla", "big9_dev", "cleanportaleval")
SEARCH = Path(sys.executable).with_name("search")


def used_bytes(path: Path) -> int:
    stat = os.statvfs(path)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def segment_bytes(index: Path) -> int:
    return sum(p.stat().st_size for p in index.iterdir() if p.name.startswith("MAIN_") and "." in p.name)


def corpus_bytes(corpus: Path) -> int:
    return sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())


def reindex_peak(corpus: Path, index: Path, disk: Path) -> tuple[int, int]:
    """Run a reindex; (bytes the disk held at its peak above where it started, segment bytes after)."""
    start = used_bytes(disk)
    peak = [start]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], used_bytes(disk))
            time.sleep(0.001)

    thread = threading.Thread(target=sample)
    thread.start()
    try:
        subprocess.run([str(SEARCH), "reindex", "--corpus", str(corpus), "--index", str(index), "--min-free", "0"],
                       check=True, capture_output=True)
    finally:
        done.set()
        thread.join()
    return peak[0] - start, segment_bytes(index)


def edit_one_in_a_hundred(corpus: Path) -> int:
    """Append a sentence to one page in a hundred; the bytes of the pages edited."""
    pages = sorted(p for p in corpus.rglob("*") if p.suffix in (".html", ".txt"))
    edited = 0
    for page in pages[::100]:
        page.write_bytes(page.read_bytes() + b"\n<p>The harbour board met again on Tuesday.</p>\n")
        edited += page.stat().st_size
    return edited


def html_corpus(data: Path, name: str, out: Path) -> None:
    """A set's saved pages as a corpus, a folder per site where the set names one."""
    sites = {}
    truth = data / name / "truth.jsonl"
    for line in open(truth, encoding="utf-8"):
        record = json.loads(line)
        sites[record["id"]] = record.get("site") or "pages"
    for page in sorted((data / name / "html").glob("*.html")):
        folder = out / sites.get(page.stem, "pages").replace("/", "_")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, folder / page.name)


def split_generated(data: Path, n: int, work: Path) -> dict[str, Path]:
    """The generated corpus as three sets: text pages of the first six sites, of the other six, HTML pages."""
    whole = work / "generated"
    write_corpus(data, whole, n)
    sites = sorted(p.name for p in whole.iterdir())
    sets = {"generated-text-a": work / "gta", "generated-text-b": work / "gtb", "generated-html": work / "gh"}
    for page in sorted(whole.rglob("*.*")):
        site = page.parent.name
        if page.suffix == ".html":
            target = sets["generated-html"]
        else:
            target = sets["generated-text-a"] if sites.index(site) < len(sites) // 2 else sets["generated-text-b"]
        (target / site).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target / site / page.name)
    return sets


def measure(name: str, corpus: Path, work: Path) -> dict:
    disk = work / f"disk-{name}"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8g", "tmpfs", str(disk)], check=True)
    try:
        index = disk / "index"
        size = corpus_bytes(corpus)
        peak, segments = reindex_peak(corpus, index, disk)
        before = segments
        rewritten = sum((index / n).stat().st_size for n in REWRITTEN_FILES if (index / n).exists())
        edited_pages = len(sorted(p for p in corpus.rglob("*") if p.suffix in (".html", ".txt"))[::100])
        edited = edit_one_in_a_hundred(corpus)
        sizes = sorted((p.stat().st_size for p in index.glob("*.seg")), reverse=True)
        peak_inc, after = reindex_peak(corpus, index, disk)
        form = "text" if name.startswith("generated-text") else "html"
        pages = sum(1 for p in corpus.rglob("*") if p.suffix in (".html", ".txt"))
        return {"set": name, "form": form, "pages": pages, "corpus_bytes": size, "index_bytes": before,
                "ratio": before / size,
                "peak_full": peak, "peak_per_segment_full": (peak - FIXED_BYTES) / before,
                "edited_bytes": edited, "edited_pages": edited_pages, "rewritten_bytes": rewritten,
                "merged_bytes": sum(sizes[1:]), "peak_incremental": peak_inc,
                "new_segment_bytes": after - before}
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fit(rows: list[dict]) -> tuple[float, dict[str, float]]:
    """Bytes a page and bytes a corpus byte by form (index ~ page * pages + byte[form] * bytes) covering every
    row: for each per-page cost tried, the smallest per-byte costs that cover every set of a form; the pair
    whose worst overestimate is least."""
    best = None
    for page in range(0, 40_001, 500):
        per_byte = {}
        for form in {r["form"] for r in rows}:
            per_byte[form] = max(max(0.0, (r["index_bytes"] - page * r["pages"]) / r["corpus_bytes"])
                                 for r in rows if r["form"] == form)
        worst = max(predict(r, page, per_byte) / r["index_bytes"] for r in rows)
        if best is None or worst < best[0]:
            best = (worst, page, per_byte)
    return best[1], best[2]


def predict(row: dict, page: float, per_byte: dict[str, float]) -> float:
    """The index bytes the model gives a row's corpus."""
    return page * row["pages"] + per_byte.get(row["form"], max(per_byte.values())) * row["corpus_bytes"]


def estimate(row: dict, page: float, per_byte: dict[str, float], peak: float) -> tuple[float, float]:
    """What search/indexing/space.py would estimate for the row's first (full) reindex, with no index to
    measure, and for its incremental one, measuring the index the first left."""
    full = predict(row, page, per_byte) * peak + FIXED_BYTES
    edited = {**row, "pages": row["edited_pages"], "corpus_bytes": row["edited_bytes"]}
    cleaned = max(predict(edited, page, per_byte), row["edited_bytes"] * row["index_bytes"] / row["corpus_bytes"])
    incremental = (cleaned + row["merged_bytes"]) * peak + FIXED_BYTES + row["rewritten_bytes"]
    return full, incremental


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "data")
    parser.add_argument("--generated", type=int, default=3000, help="pages in the generated corpus")
    parser.add_argument("--sets", nargs="*", default=list(HTML_SETS))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="space-bench-"))
    rows = []
    try:
        if args.generated:
            for name, corpus in split_generated(args.data, args.generated, work).items():
                rows.append(measure(name, corpus, work))
        for name in args.sets:
            html_corpus(args.data, name, work / name)
            rows.append(measure(name, work / name, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'set':<22}{'corpus MB':>10}{'index MB':>10}{'ratio':>8}{'peak/seg':>9}{'inc peak KB':>12}")
    for row in rows:
        print(f"{row['set']:<22}{row['corpus_bytes'] / 2**20:>10.1f}{row['index_bytes'] / 2**20:>10.1f}"
              f"{row['ratio']:>8.3f}{row['peak_per_segment_full']:>9.3f}{row['peak_incremental'] / 1024:>12.0f}")
    peak = max(r["peak_per_segment_full"] for r in rows)
    page, per_byte = fit(rows)
    print(f"\nconstants (covering every set): INDEX_BYTES_PER_PAGE {page}, INDEX_PER_CORPUS_BYTE "
          + ", ".join(f"{form} {value:.3f}" for form, value in sorted(per_byte.items()))
          + f"; PEAK_PER_SEGMENT_BYTE {peak:.3f}")
    print("in-sample: estimate / measured peak, full reindex: "
          + ", ".join(f"{r['set']} {estimate(r, page, per_byte, peak)[0] / r['peak_full']:.2f}" for r in rows))
    print("\nheld out (constants fitted on the other sets): estimate / measured peak, full and incremental")
    for row in rows:
        others = [r for r in rows if r is not row]
        fit_page, fit_bytes = fit(others)
        full, incremental = estimate(row, fit_page, fit_bytes, max(r["peak_per_segment_full"] for r in others))
        print(f"  {row['set']:<20} full {full / row['peak_full']:.2f}  "
              f"incremental {incremental / max(row['peak_incremental'], 1):.2f}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
