"""Fit the cleaner's two-stage line model (not a test), and check that it generalises.

    .venv/bin/python bench/fit_lines.py --fit big9_dev,cleanportaleval,readability_mozilla > models.txt
    .venv/bin/python bench/fit_lines.py --holdout big9_dev,cleanportaleval,readability_mozilla

--fit prints LINE_MODELS, ready to paste into search/boilerplate.py, fitted on the sets named.
--holdout fits on all the sets but one and scores the one left out, for each set in turn: the
figures a site the model never saw can expect (leave one set out), beside the shipped model's.
Labels come from the gold text: a line is article when most of its 4-word shingles are in the gold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cleaning import FORMS, import_scorer, load_set, run_ours, site_of  # noqa: E402
from search.cleaning.templates import learn_templates  # noqa: E402
from search.records import Page  # noqa: E402

THRESHOLD_TIE = 0.002  # in-sample F1 within this of the best counts as a tie when fitting the threshold
# L2 penalty per form. HTML lines carry many markup signals whose weights differ from site to site (a
# table cell, an element's class): a stronger penalty keeps the model from leaning on them, which
# raised HTML F1 on every held-out set (leave one set out: 1 -> 300); text lines have few such
# signals, and the same penalty lowered their held-out F1, so text keeps the light one.
L2_PENALTY = {"html": 300.0, "text": 1.0}


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


def fit_logistic(x, y, w, l2: float = 1.0):
    """Weighted L2-regularised logistic regression by Newton's method; returns the weights."""
    import numpy as np

    beta = np.zeros(x.shape[1])
    for _ in range(30):
        p = 1 / (1 + np.exp(-np.clip(x @ beta, -30, 30)))
        grad = x.T @ (w * (p - y)) + l2 * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return beta


def load_inputs(data: Path, names: list[str], scorer) -> dict[str, tuple[list[dict], dict[str, dict[str, str]]]]:
    """Per set: its truth rows and its pages by form (HTML, and the text form made once)."""
    out = {}
    for name in names:
        truth, pages = load_set(data / name)
        out[name] = (truth, {"html": pages, "text": {k: scorer.page_text(v) for k, v in pages.items()}})
    return out


def fit_form(sets: dict, names: list[str], form: str, scorer) -> dict:
    """The line model of one form fitted on the sets named; each set weighs by its pages, each page alike."""
    import numpy as np

    from search.cleaning.boilerplate import TEMPLATE_MIN_SHARE
    from search.cleaning.features import predict, stage_one_rows, stage_two_rows
    from search.cleaning.markup import page_lines
    from search.cleaning.templates import site_key

    truth, objs = [], []
    for name in names:
        rows, inputs = sets[name]
        for t in rows:
            row = {**t, "id": f"{name}/{t['id']}", "site": f"{name}/{site_of(t)}"}
            truth.append(row)
            objs.append(Page(id=row["id"], path=row["id"], kind=form, content=inputs[form][t["id"]],
                             group=site_of(row)))
    templates = learn_templates(objs)
    per_page = []
    for t, page in zip(truth, objs, strict=True):
        lines, markup = page_lines(page)
        if not lines:
            continue
        site = site_key(page, markup.url if markup else None)
        labels = line_labels(lines, t["body"], scorer)
        sizes = [len(scorer.TOKEN.findall(line.text)) + 1 for line in lines]
        total = sum(sizes)
        weights = [len(truth) * s / total for s in sizes]
        # Each page twice: with its site's templates and as a page of a site seen once, so that
        # the model also learns to judge pages from the per-page signals alone.
        for use in (True, False):
            shares = [templates.share(site, line.text) if use else 0.0 for line in lines]
            per_page.append((lines, stage_one_rows(lines, shares, TEMPLATE_MIN_SHARE), labels, weights,
                             {**t, "id": f"{t['id']}/{use}"}))

    def stack(items):
        x = np.array([r for it in items for r in it[1]], dtype=float)
        y = np.array([v for it in items for v in it[2]], dtype=float)
        w = np.array([v for it in items for v in it[3]], dtype=float)
        return x, y, w

    l2 = L2_PENALTY[form]
    beta1 = fit_logistic(*stack(per_page), l2)
    # Stage two learns from stage-one scores made out of fold, as it will see them on new pages.
    folds = [[it for j, it in enumerate(per_page) if (j // 2) % 2 == k] for k in (0, 1)]
    firsts = {}
    for k in (0, 1):
        beta_k = fit_logistic(*stack(folds[k]), l2)
        for it in folds[1 - k]:
            firsts[it[4]["id"]] = predict(it[1], tuple(beta_k))
    rows2 = [(it[0], stage_two_rows(it[0], firsts[it[4]["id"]]), it[2], it[3], it[4]) for it in per_page]
    beta2 = fit_logistic(*stack(rows2), l2)
    tried = []
    for threshold in [x / 20 for x in range(4, 17)]:
        scored = []
        for it in rows2:
            probs = predict(it[1], tuple(beta2))
            body = "\n".join(line.text for line, p in zip(it[0], probs, strict=True) if p >= threshold)
            scored.append(scorer.tp_fp_fn(it[4]["body"], body))
        tried.append((scorer.score(scored)[0], threshold))
    # Near-ties go to the lower threshold: text dropped is unfindable, text kept is only noise.
    top = max(f1 for f1, _ in tried)
    best = min(((f1, t) for f1, t in tried if f1 >= top - THRESHOLD_TIE), key=lambda x: x[1])
    print(f"# {form}: fitted on {','.join(names)}, in-sample line F1 {best[0]:.3f} at threshold {best[1]}",
          file=sys.stderr)
    return {"template_share": TEMPLATE_MIN_SHARE, "threshold": best[1],
            "stage_one": tuple(round(float(b), 4) for b in beta1),
            "stage_two": tuple(round(float(b), 4) for b in beta2)}


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


def score_set(sets: dict, name: str, form: str, scorer, models: dict | None = None) -> float:
    """Our F1 on one set and form, with the given line models in place of the shipped ones."""
    import search.cleaning.clean

    shipped = search.cleaning.clean.LINE_MODELS
    if models is not None:
        search.cleaning.clean.LINE_MODELS = models
    try:
        truth, inputs = sets[name]
        bodies, _, _ = run_ours(truth, inputs[form], form)
    finally:
        search.cleaning.clean.LINE_MODELS = shipped
    return scorer.score([scorer.tp_fp_fn(t["body"], bodies.get(t["id"], "")) for t in truth])[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--tools", type=Path, default=ROOT.parent / "shared" / "tools")
    parser.add_argument("--forms", default=",".join(FORMS))
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--fit", metavar="SETS", help="fit on these sets and print LINE_MODELS (needs numpy)")
    group.add_argument("--holdout", metavar="SETS", help="leave one set out in turn: fit on the rest, score it")
    args = parser.parse_args()
    scorer = import_scorer(args.tools)
    names = (args.fit or args.holdout).split(",")
    forms = args.forms.split(",")
    sets = load_inputs(args.data, names, scorer)
    if args.fit:
        print(format_models({form: fit_form(sets, names, form, scorer) for form in forms}))
        return
    print(f"{'held-out set':<22}{'form':<6}{'fitted on':<36}{'held-out F1':>12}{'shipped F1':>12}")
    for name in names:
        rest = [n for n in names if n != name]
        for form in forms:
            held = score_set(sets, name, form, scorer, {form: fit_form(sets, rest, form, scorer)})
            shipped = score_set(sets, name, form, scorer)
            print(f"{name:<22}{form:<6}{','.join(rest):<36}{held:12.3f}{shipped:12.3f}", flush=True)


if __name__ == "__main__":
    main()
