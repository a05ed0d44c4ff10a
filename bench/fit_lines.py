"""Fit the cleaner's two-stage line model (not a test), and measure it held out with sites grouped.

    .venv/bin/python bench/fit_lines.py --kfold 5            # group k-fold by host over the five sets
    .venv/bin/python bench/fit_lines.py --fit                # fit on everything, write LINE_MODELS
    .venv/bin/python bench/fit_lines.py --kfold 5 --columns=-45,-46   # the same without stage-one columns 45, 46

--kfold K: the pages of all the sets named are split into K folds by host (a site's pages never on both
sides, across sets too: bbc in big9_dev and in dragnet is one site); each fold is scored with the full
cleaner using weights fitted on the other folds. That held-out figure is what a user's new site can expect.
--fit: the same procedure on every page, written into search/cleaning/boilerplate.py (--print: only shown).
Labels come from the gold text: a line is article when most of its 4-word shingles are in the gold.
Pages are featurized once and cached (bench/line_data.py); a fit then takes seconds.
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.line_data import ALL_SETS, FORMS, featurize_set, fold_of, import_scorer  # noqa: E402

THRESHOLDS = tuple(x / 20 for x in range(4, 17))
THRESHOLD_TIE = 0.002  # in-sample F1 within this of the best counts as a tie when fitting the threshold
# L2 penalty per form (each page weighs 1 in all, its set's share aside). HTML: chosen by group 5-fold by
# host over the five sets: 300 -> 10 raised held-out F1 on dragnet (.869 -> .886) and readability
# (.945 -> .955) and lowered it by at most .007 elsewhere. Text keeps the light penalty its weights had.
L2_PENALTY = {"html": 10.0, "text": 1.0}
# A set's pages weigh n ** -SET_BALANCE each, so that dragnet's 1,381 pages do not drown 58 of cleaneval's.
SET_BALANCE = 0.5
_TOKEN = re.compile(r"\w+")


def fit_logistic(x, y, w, l2: float = 1.0, start=None):
    """Weighted L2-regularised logistic regression by Newton's method (from `start` when given: a fit on
    most of the same rows converges in a few steps); returns the weights."""
    import numpy as np

    beta = np.zeros(x.shape[1]) if start is None or len(start) != x.shape[1] else np.array(start, dtype=float)
    xw = x.astype(np.float32)
    for _ in range(30):
        p = 1 / (1 + np.exp(-np.clip(x @ beta, -30, 30)))
        grad = x.T @ (w * (p - y)) + l2 * beta
        hess = (xw * (w * p * (1 - p))[:, None].astype(np.float32)).T @ xw + l2 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-5:  # the weights are kept to four decimals
            break
    return beta


def _sigmoid(z):
    import numpy as np

    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def page_weights(pages) -> dict[str, float]:
    """Each set's weight per page (n ** -SET_BALANCE), scaled so that a page weighs 1 on average."""
    sizes = Counter(p.set for p in pages)
    raw = {s: n ** -SET_BALANCE for s, n in sizes.items()}
    scale = len(pages) / sum(raw[p.set] for p in pages)
    return {s: v * scale for s, v in raw.items()}


_MEMO: dict = {}


def _tallies(p):
    """Per line of a page: its shingles (each shingle counted at its first word) and how many of them the
    gold holds (clipped to the gold's count, in page order), and the gold's shingle count. Summed over the
    kept lines they give the benchmark's TP and FP to within the shingles that straddle a dropped line."""
    import numpy as np

    key = ("tally", id(p))
    if key not in _MEMO:
        gold = Counter(tuple(t[i:i + 4]) for t in [_TOKEN.findall(p.body)] for i in range(max(1, len(t) - 3))
                       if t[i:i + 4])
        flat, owner = [], []
        for k, line in enumerate(p.lines):
            words = _TOKEN.findall(line.text)
            flat += words
            owner += [k] * len(words)
        n, g = np.zeros(len(p.lines)), np.zeros(len(p.lines))
        left = Counter(gold)
        for j in range(max(0, len(flat) - 3)):
            gram = tuple(flat[j:j + 4])
            n[owner[j]] += 1
            if left[gram] > 0:
                left[gram] -= 1
                g[owner[j]] += 1
        _MEMO[key] = (n, g, float(sum(gold.values())))
    return _MEMO[key]


def _threshold_f1(pages, probs: list, threshold: float) -> float:
    """The benchmark's F1 (precision and recall averaged over pages) of the lines at or above the threshold."""
    ps, rs = [], []
    for p, q in zip(pages, probs, strict=True):
        n, g, gold = _tallies(p)
        keep = q >= threshold
        tp = float(g[keep].sum())
        fp, fn = float(n[keep].sum()) - tp, gold - tp
        if fp == fn == 0:
            ps.append(1.0)
            rs.append(1.0)
            continue
        if tp + fp > 0:
            ps.append(tp / (tp + fp))
        if tp + fn > 0:
            rs.append(tp / (tp + fn))
    pm, rm = (sum(ps) / len(ps) if ps else 0.0), (sum(rs) / len(rs) if rs else 0.0)
    return 2 * pm * rm / (pm + rm) if pm + rm else 0.0


def _sizes(p):
    import numpy as np

    from search.cleaning.features import text_stats

    key = ("sizes", id(p))
    if key not in _MEMO:
        _MEMO[key] = np.array([text_stats(line.text)[0] for line in p.lines], dtype=float)
    return _MEMO[key]


def fit_form(pages, form: str, columns=None, l2: float | None = None) -> dict:
    """The line model of one form fitted on these pages (each page twice: with its site's templates and
    as a page of a site seen once, so the model also learns to judge pages from their own signals)."""
    import numpy as np

    from search.cleaning.features import stage_two_rows

    setw = page_weights(pages)
    l2 = L2_PENALTY[form] if l2 is None else l2
    width = next(p.rows_site.shape[1] for p in pages if p.lines)
    mask = np.ones(width, dtype=bool) if columns is None else columns

    def x_of(p, site: bool):
        return (p.rows_site if site else p.rows_alone)[:, mask].astype(float)

    def stack(items):
        x = np.vstack([x_of(p, site) for p, site in items])
        y = np.concatenate([np.asarray(p.labels, dtype=float) for p, _ in items])
        w = np.concatenate([np.asarray(p.weights) * setw[p.set] for p, _ in items])
        return x, y, w

    items = [(p, site) for p in pages if p.lines for site in (True, False)]
    warm = _MEMO.setdefault(("warm", form, tuple(mask)), {})
    beta1 = warm["one"] = fit_logistic(*stack(items), l2, warm.get("one"))
    # Stage two learns from stage-one scores made out of fold (two folds by host), as on new pages.
    half = fold_of([p.group for p in pages], 2)
    firsts = {}
    for k in (0, 1):
        part = [it for it in items if half[it[0].group] == k]
        beta_k = fit_logistic(*stack(part), l2, beta1)
        for p, site in (it for it in items if half[it[0].group] != k):
            firsts[(p.set, p.id, site)] = _sigmoid(x_of(p, site) @ beta_k).tolist()
    rows2 = {(p.set, p.id, site): stage_two_rows(_sizes(p), np.asarray(firsts[(p.set, p.id, site)]))
             for p, site in items}
    x2 = np.vstack([rows2[(p.set, p.id, s)] for p, s in items])
    _, y, w = stack(items)
    beta2 = warm["two"] = fit_logistic(x2, y, w, l2, warm.get("two"))
    # The threshold by the benchmark's F1 of the kept lines, on the pages as the cleaner sees them.
    seen = [p for p, site in items if site]
    probs = [_sigmoid(rows2[(p.set, p.id, True)] @ beta2) for p in seen]
    tried = [(_threshold_f1(seen, probs, t), t) for t in THRESHOLDS]
    # Near-ties go to the lower threshold: text dropped is unfindable, text kept is only noise.
    top = max(f1 for f1, _ in tried)
    best = min(((f1, t) for f1, t in tried if f1 >= top - THRESHOLD_TIE), key=lambda x: x[1])
    full = np.zeros(width)
    full[mask] = beta1
    from search.cleaning.boilerplate import TEMPLATE_MIN_SHARE

    return {"template_share": TEMPLATE_MIN_SHARE, "threshold": best[1], "fit_f1": best[0],
            "stage_one": tuple(round(float(b), 4) for b in full),
            "stage_two": tuple(round(float(b), 4) for b in beta2)}


def _cached_scores(page, original):
    """score_lines for a cached page: its stored stage-one rows in place of recomputing them."""
    import numpy as np

    from search.cleaning.features import stage_two_rows

    def score(lines, templates, model):
        if lines is not page.lines or not lines:
            return original(lines, templates, model)
        rows = page.rows_site if templates is page.shares else page.rows_alone if not any(templates) else None
        if rows is None:
            return original(lines, templates, model)
        w1 = np.asarray(model["stage_one"])
        cols = min(len(w1), rows.shape[1])  # weights fitted before later columns existed leave them out
        first = _sigmoid(rows[:, :cols].astype(float) @ w1[:cols])
        if not model.get("stage_two"):
            return first.tolist()
        return _sigmoid(stage_two_rows(_sizes(page), first) @ np.asarray(model["stage_two"])).tolist()
    return score


def clean_bodies(pages, models: dict | None, form: str) -> dict[tuple[str, str], str]:
    """The full cleaner's body for each page, with these line models in place of the shipped ones (the
    line model scored from the cached stage-one rows; the rest of the cleaner runs as it does on a page)."""
    import search.cleaning.clean as clean

    kind = "html" if form == "html" else "text"
    shipped, original = clean.LINE_MODELS, clean.score_lines
    if models is not None:
        clean.LINE_MODELS = {**shipped, kind: models}
    out = {}
    try:
        for p in pages:
            clean.score_lines = _cached_scores(p, original)
            out[(p.set, p.id)] = clean.clean_lines(p.lines, p.markup, p.shares, kind)[0]["body"]
    finally:
        clean.LINE_MODELS, clean.score_lines = shipped, original
    return out


def kfold_bodies(pages, form: str, k: int, columns=None, l2: float | None = None) -> dict[tuple[str, str], str]:
    """Held-out bodies: each fold of hosts cleaned with weights fitted on the other folds."""
    folds = fold_of([p.group for p in pages], k)
    out = {}
    for f in range(k):
        train = [p for p in pages if folds[p.group] != f]
        model = fit_form(train, form, columns, l2)
        out.update(clean_bodies([p for p in pages if folds[p.group] == f], model, form))
    return out


def set_f1(pages, bodies: dict, scorer) -> dict[str, float]:
    """F1 per set of these bodies against the gold."""
    by_set: dict[str, list] = {}
    for p in pages:
        by_set.setdefault(p.set, []).append(scorer.tp_fp_fn(p.body, bodies.get((p.set, p.id), "")))
    return {s: scorer.score(rows)[0] for s, rows in by_set.items()}


def format_models(models: dict) -> str:
    """LINE_MODELS as boilerplate.py data."""
    out = ["LINE_MODELS = {"]
    for kind, m in models.items():
        out += [f'    "{kind}": {{', '        "template_share": TEMPLATE_MIN_SHARE,',
                f'        "threshold": {m["threshold"]},']
        for stage in ("stage_one", "stage_two"):
            out.append(f'        "{stage}": (')
            vals = m[stage]
            out += ["            " + " ".join(f"{v}," for v in vals[j:j + 10]) for j in range(0, len(vals), 10)]
            out.append("        ),")
        out.append("    },")
    out.append("}")
    return "\n".join(out)


def write_models(models: dict, path: Path) -> None:
    """Replace the LINE_MODELS block of boilerplate.py with these models."""
    source = path.read_text(encoding="utf-8")
    block = re.compile(r"^LINE_MODELS = \{.*?^\}", re.DOTALL | re.MULTILINE)
    path.write_text(block.sub(lambda _: format_models(models), source, count=1), encoding="utf-8")


def parse_columns(spec: str, width: int):
    """A stage-one column mask from "-3,-7" (all but these) or "0,1,2" (only these)."""
    import numpy as np

    if not spec:
        return None
    picks = [int(x) for x in spec.split(",") if x]
    mask = np.zeros(width, dtype=bool) if all(c >= 0 for c in picks) else np.ones(width, dtype=bool)
    for c in picks:
        mask[abs(c)] = c >= 0
    mask[0] = True  # the intercept
    return mask


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--tools", type=Path, default=ROOT.parent / "shared" / "tools")
    parser.add_argument("--sets", default=",".join(ALL_SETS))
    parser.add_argument("--forms", default=",".join(FORMS))
    parser.add_argument("--jobs", type=int, default=2, help="processes for featurizing (cached after)")
    parser.add_argument("--l2", type=float, default=None, help="L2 penalty in place of L2_PENALTY's")
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped weights' column")
    parser.add_argument("--columns", default="", help="stage-one columns: -a,-b leaves them out; a,b keeps only them")
    parser.add_argument("--dump", type=Path, default=None,
                        help="with --kfold: also pickle each page's held-out body, {(set, id): body}, to compare runs")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--kfold", type=int, metavar="K", help="group K-fold by host: held-out F1 per set")
    group.add_argument("--fit", action="store_true", help="fit on every page and write LINE_MODELS")
    group.add_argument("--print", action="store_true", help="fit on every page and print LINE_MODELS")
    args = parser.parse_args()
    scorer = import_scorer(args.tools)
    names = args.sets.split(",")
    forms = args.forms.split(",")
    if args.kfold:
        print(f"{'set':<22}{'form':<6}{'held-out F1':>12}{'shipped F1':>12}{'pages':>7}{'hosts':>7}")
    models = {}
    for form in forms:
        pages = [p for name in names for p in featurize_set(args.data, args.tools, name, form, args.jobs)]
        columns = parse_columns(args.columns, next(p.rows_site.shape[1] for p in pages if p.lines))
        if not args.kfold:
            models[form] = fit_form(pages, form, columns, args.l2)
            print(f"# {form}: fitted on {len(pages)} pages, in-sample F1 {models[form]['fit_f1']:.3f} "
                  f"at threshold {models[form]['threshold']}", file=sys.stderr)
            continue
        started = time.perf_counter()
        bodies = kfold_bodies(pages, form, args.kfold, columns, args.l2)
        if args.dump:
            args.dump.write_bytes(pickle.dumps(bodies, protocol=pickle.HIGHEST_PROTOCOL))
        held = set_f1(pages, bodies, scorer)
        shipped = {} if args.no_shipped else set_f1(pages, clean_bodies(pages, None, form), scorer)
        for name in names:
            mine = [p for p in pages if p.set == name]
            print(f"{name:<22}{form:<6}{held[name]:12.3f}{shipped.get(name, 0):12.3f}{len(mine):7d}"
                  f"{len({p.group for p in mine}):7d}", flush=True)
        print(f"{'mean':<22}{form:<6}{sum(held.values()) / len(held):12.3f}"
              f"{sum(shipped.values()) / max(1, len(shipped)):12.3f}   ({time.perf_counter() - started:.0f}s)",
              flush=True)
    if args.fit:
        from search.cleaning import boilerplate

        write_models({**boilerplate.LINE_MODELS, **models}, Path(boilerplate.__file__))
        print(f"wrote LINE_MODELS ({', '.join(forms)}) into {boilerplate.__file__}")
    elif args.print:
        print(format_models(models))


if __name__ == "__main__":
    main()
