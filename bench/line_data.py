"""The extraction sets as the line model sees them (not a test): pages featurized once, cached, grouped by host.

Featurizing (parsing, site templates, each line's stage-one signals and its label from the gold) is
the slow part of fitting; it depends only on the cleaner's code, so it is cached under
/tmp/cleaning-cache keyed by a digest of search/cleaning/ (less the fitted weights, which a refit changes).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import sys
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.records import Page  # noqa: E402

ALL_SETS = ("big9_dev", "cleanportaleval", "readability_mozilla", "dragnet", "cleaneval_dev")
FORMS = ("html", "text")
CACHE = Path("/tmp/cleaning-cache")
# Labels of a host name that say nothing of who runs the site: dropped before naming the host's group.
_SUFFIXES = frozenset("www com org net co uk gov edu ac au ca de fr nl it es info biz us io tv news blogs blog".split())
_LINK_HOST = re.compile(r"""href=["']?https?://([^/"'\s:>]+)""", re.IGNORECASE)
_FITTED = re.compile(r"^LINE_MODELS = \{.*?^\}", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class PageData:
    """One page of one set in one form, featurized: what fitting and held-out scoring need."""

    set: str
    id: str
    group: str  # the host its site is, across sets (a site's pages are never on both sides of a fold)
    body: str  # the gold text
    lines: list
    markup: object
    shares: list  # each line's site-template share
    labels: list  # 1.0 for a line that is mostly gold text
    weights: list  # each line's share of the page's words (a page weighs 1 in all)
    rows_site: object  # stage-one rows (numpy float32), with the site's templates
    rows_alone: object  # ... and as a page of a site seen once


def import_scorer(tools: Path):
    """The shared scorer module (metric and text form), or a clear exit when it is missing."""
    if not (tools / "score_extraction.py").is_file():
        sys.exit(f"the shared scorer is missing: {tools / 'score_extraction.py'} (pass --tools DIR)")
    sys.path.insert(0, str(tools))
    import score_extraction

    # Its text form parses a few XML pages (feeds) as HTML, which bs4 warns of at length, page after page.
    warnings.filterwarnings("ignore", message="It looks like you're using an HTML parser")

    return score_extraction


def load_set(folder: Path) -> tuple[list[dict], dict[str, str]]:
    """The truth rows that have a body, and each page's HTML by id."""
    truth = [json.loads(line) for line in open(folder / "truth.jsonl", encoding="utf-8")]
    truth = [t for t in truth if t.get("body")]
    pages = {t["id"]: (folder / "html" / f"{t['id']}.html").read_bytes().decode("utf-8", "replace") for t in truth}
    return truth, pages


def site_of(row: dict) -> str:
    """The folder a mirror of the crawl would put the page in, as the shared scorer lays pages out."""
    return row.get("site") or urlparse(row.get("url") or "").hostname or "unknown-site"


def host_group(row: dict, html: str) -> str:
    """The site a page comes from, named alike across sets ("news.bbc.co.uk", "bbc" -> "bbc"): its
    site or URL, else the host most of its links point to, else the page alone."""
    host = row.get("site") or urlparse(row.get("url") or "").hostname
    if not host:
        found = Counter(h.lower() for h in _LINK_HOST.findall(html))
        host = found.most_common(1)[0][0] if found else ""
    if not host:
        return f"page:{row['id']}"
    labels = [x for x in host.lower().split("_")[0].split(".") if x and x not in _SUFFIXES]
    return labels[-1] if labels else host.lower()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the cleaner's code, less its fitted weights: cached features stay valid across refits
    (taken once a run: the code a run imported is the code its features were made with)."""
    h = hashlib.sha256()
    for path in sorted((ROOT / "search" / "cleaning").glob("*.py")):
        h.update(_FITTED.sub("", path.read_text(encoding="utf-8")).encode())
    return h.hexdigest()[:12]


def line_labels(lines: list, truth_body: str, scorer) -> list[float]:
    """1.0 for a line whose 4-word shingles (taken with a few words of context) are mostly in the truth."""
    gold = scorer.shingles(truth_body)
    toks = [scorer.TOKEN.findall(line.text) for line in lines]
    labels = []
    for i, words in enumerate(toks):
        before = [w for t in toks[max(0, i - 3):i] for w in t][-3:] if len(words) < 4 else []
        after = [w for t in toks[i + 1:i + 4] for w in t][:3] if len(words) < 4 else []
        seq = before + words + after
        grams = [tuple(seq[j:j + 4]) for j in range(max(1, len(seq) - 3)) if len(seq[j:j + 4]) == 4]
        # only the shingles that touch the line itself count
        grams = [g for j, g in enumerate(grams) if j + 4 > len(before) and j < len(before) + len(words)]
        labels.append(float(bool(grams) and sum(g in gold for g in grams) >= 0.5 * len(grams)))
    return labels


_WORKER: dict = {}


def _init(templates, scorer_dir: str) -> None:
    _WORKER["templates"] = templates
    _WORKER["scorer"] = import_scorer(Path(scorer_dir))


def _featurize(job: tuple) -> PageData:
    import numpy as np

    from search.cleaning.boilerplate import TEMPLATE_MIN_SHARE
    from search.cleaning.features import stage_one_rows
    from search.cleaning.markup import page_lines
    from search.cleaning.templates import site_key

    name, row, page, group = job
    scorer, templates = _WORKER["scorer"], _WORKER["templates"]
    lines, markup = page_lines(page)
    site = site_key(page, page.url or (markup.url if markup else None))
    shares = [templates.share(site, line.text) for line in lines]
    sizes = [len(scorer.TOKEN.findall(line.text)) + 1 for line in lines]
    total = sum(sizes) or 1
    rows = [np.array(stage_one_rows(lines, s, TEMPLATE_MIN_SHARE), dtype=np.float32) if lines else None
            for s in (shares, [0.0] * len(lines))]
    return PageData(set=name, id=row["id"], group=group, body=row["body"], lines=lines, markup=markup,
                    shares=shares, labels=line_labels(lines, row["body"], scorer), weights=[s / total for s in sizes],
                    rows_site=rows[0], rows_alone=rows[1])


def featurize_set(data: Path, tools: Path, name: str, form: str, jobs: int = 2) -> list[PageData]:
    """One set's pages in one form, featurized (from the cache when the cleaner's code is unchanged)."""
    from search.cleaning.templates import learn_templates

    path = CACHE / f"{code_digest()}-{name}-{form}.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    scorer = import_scorer(tools)
    truth, html = load_set(data / name)
    kind = "html" if form == "html" else "text"
    suffix = ".html" if kind == "html" else ".txt"
    pages = [Page(id=t["id"], path=f"{site_of(t)}/{t['id']}{suffix}", kind=kind,
                  content=html[t["id"]] if kind == "html" else scorer.page_text(html[t["id"]]), group=site_of(t))
             for t in truth]
    templates = learn_templates(pages)
    work = [(name, t, p, host_group(t, html[t["id"]])) for t, p in zip(truth, pages, strict=True)]
    with Pool(jobs, initializer=_init, initargs=(templates, str(tools))) as pool:
        out = pool.map(_featurize, work, chunksize=8)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
    return out


def fold_of(groups: list[str], k: int) -> dict[str, int]:
    """Each group's fold: groups in order of size, each to the fold with the fewest pages so far."""
    sizes = Counter(groups)
    load = [0] * k
    out = {}
    for g, n in sorted(sizes.items(), key=lambda x: (-x[1], x[0])):
        f = min(range(k), key=lambda j: (load[j], j))
        out[g] = f
        load[f] += n
    return out
