"""Fit the conflict model (`compare/confidence.py`) on an editor's judgements of the differences
storyline finds in whole ECB+ stories.

Input: benchmarks/data/conflict-judgements.jsonl, one judged difference a line:
  {"story", "a": {"article", "value"}, "b": {"article", "value"}, "label": conflict|update|none, "what"}
and the ECB+ article files (../shared/data/ecbplus/train.jsonl, dev.jsonl).

Every judged story is compared whole (`compare_articles(..., explain=True)`); each difference it
reports (shown or possible) is matched to its judgement by its two (article, value) sides. A
difference is positive when the editor judged it a conflict or an update (one fact, two values).

Halves: a topic of the fact map (benchmarks/data/factmap.jsonl) keeps its half; another topic is
`fit` when it comes from ECB+ train and `check` from dev. The model is fitted on `fit` only; its
bar is the lowest probability at which the out-of-fold precision on `fit` (leave one topic out)
is at least 0.9. Figures for `check` come from the model fitted on all of `fit`.

Run: python tools/fit_conflict_model.py [--write]
"""
from __future__ import annotations

import json
import os
import sys
from collections import defaultdict

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data", "ecbplus")
JUDGED = os.path.join(ROOT, "benchmarks", "data", "conflict-judgements.jsonl")
OUT = os.path.join(ROOT, "src", "storyline", "models", "conflict_model.json")
TARGET = 0.9


def halves() -> dict[int, str]:
    with open(os.path.join(ROOT, "benchmarks", "data", "factmap.jsonl")) as f:
        return {s["topic"]: s["half"] for s in map(json.loads, f)}


def rows() -> list[dict]:
    """One row per judged difference found again: its features, label, topic and half."""
    os.environ["STORYLINE_NO_CONFLICT_MODEL"] = "1"  # which differences exist must not depend on the old model
    from storyline.compare import compare_articles
    from storyline.evaluate import article_from_labelled, read_jsonl

    judged = defaultdict(dict)
    with open(JUDGED) as f:
        for j in map(json.loads, f):
            key = frozenset([(j["a"]["article"], j["a"]["value"]), (j["b"]["article"], j["b"]["value"])])
            judged[j["story"]][key] = j["label"]
    split = {}
    stories = defaultdict(list)
    for name in ("train", "dev"):
        for r in read_jsonl(os.path.join(SHARED, f"{name}.jsonl")):
            if r["story"] in judged:
                stories[r["story"]].append(article_from_labelled(r))
                split[r["story"]] = name
    half_of = halves()
    out = []
    for story, arts in sorted(stories.items()):
        c = compare_articles(arts, explain=True)
        for item in c["conflicts"] + c["possible"]:
            if len(item["claims"]) != 2 or "features" not in item:
                continue
            key = frozenset((arts[cl["sentences"][0]["source"] - 1].id, cl["value"]) for cl in item["claims"])
            label = judged[story].get(key)
            if label is None:
                continue
            topic = int(story.split("_")[0])
            half = half_of.get(topic) or ("fit" if split[story] == "train" else "check")
            out.append({"story": story, "topic": topic, "half": half, "x": item["features"],
                        "y": int(label in ("conflict", "update")), "why": item.get("why") or ""})
    return out


def matrix(rs: list[dict], keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([[r["x"][k] for k in keys] for r in rs]), np.array([r["y"] for r in rs])


def fit(X: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=0.5, max_iter=2000).fit(X, y)


def scores(p: np.ndarray, y: np.ndarray, bar: float, compatible: np.ndarray) -> tuple[float | None, float | None, int]:
    shown = (p >= bar) & ~compatible
    tp = int((shown & (y == 1)).sum())
    return (tp / shown.sum() if shown.sum() else None), (tp / (y == 1).sum() if (y == 1).sum() else None), int(shown.sum())


def main() -> None:
    rs = rows()
    fit_rows = [r for r in rs if r["half"] == "fit"]
    check_rows = [r for r in rs if r["half"] == "check"]
    keys = sorted(rs[0]["x"])
    X, y = matrix(fit_rows, keys)
    comp = np.array([bool(r["why"]) and "model" not in r["why"] for r in fit_rows])
    # out of fold: leave one topic out
    oof = np.zeros(len(fit_rows))
    topics = np.array([r["topic"] for r in fit_rows])
    for t in sorted(set(topics)):
        m = topics == t
        if len(set(y[~m])) < 2:
            oof[m] = y[~m].mean()
            continue
        oof[m] = fit(X[~m], y[~m]).predict_proba(X[m])[:, 1]
    bar = None
    for b in sorted(set(np.round(oof, 3))):
        prec, rec, n = scores(oof, y, b, comp)
        if prec is not None and prec >= TARGET and n >= 3:
            bar = float(b)
            break
    bar = bar if bar is not None else 0.99
    model = fit(X, y)
    print(f"judged differences found again: {len(rs)} (fit {len(fit_rows)}, positives {int(y.sum())}; "
          f"check {len(check_rows)}, positives {sum(r['y'] for r in check_rows)})")
    print(f"bar {bar:.3f} (out-of-fold precision >= {TARGET} on fit)")
    base = scores(np.ones(len(fit_rows)), y, 0.5, comp)
    print(f"fit, out of fold: precision {scores(oof, y, bar, comp)[0]}, recall {scores(oof, y, bar, comp)[1]}, "
          f"shown {scores(oof, y, bar, comp)[2]}; without the model: precision {base[0]}, recall {base[1]}, shown {base[2]}")
    if check_rows:
        Xc, yc = matrix(check_rows, keys)
        compc = np.array([bool(r["why"]) and "model" not in r["why"] for r in check_rows])
        pc = model.predict_proba(Xc)[:, 1]
        basec = scores(np.ones(len(check_rows)), yc, 0.5, compc)
        print(f"check: precision {scores(pc, yc, bar, compc)[0]}, recall {scores(pc, yc, bar, compc)[1]}, "
              f"shown {scores(pc, yc, bar, compc)[2]}; without the model: precision {basec[0]}, recall {basec[1]}, "
              f"shown {basec[2]}")
    from sklearn.metrics import roc_auc_score

    for name, part in (("fit", fit_rows), ("check", check_rows)):
        yy = np.array([r["y"] for r in part])
        if len(set(yy)) == 2:
            aucs = {k: round(float(roc_auc_score(yy, [r["x"][k] for r in part])), 2) for k in keys}
            print(f"{name}: each feature's ROC AUC alone: {aucs}")
    if scores(oof, y, bar, comp)[2] == 0:
        print(f"no bar reaches precision {TARGET} out of fold on fit: no model is worth writing")
        sys.argv = [a for a in sys.argv if a != "--write"]
    weights = {k: round(float(w), 4) for k, w in zip(keys, model.coef_[0])}
    print("weights:", weights)
    if "--write" in sys.argv:
        with open(OUT, "w") as f:
            json.dump({"weights": weights, "intercept": round(float(model.intercept_[0]), 4), "bar": round(bar, 3),
                       "fitted_on": f"{len(fit_rows)} judged differences of the fit half",
                       "target_precision": TARGET}, f, indent=1)
        print(f"written {OUT}")


if __name__ == "__main__":
    main()
