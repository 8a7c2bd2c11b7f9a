"""Fit the model that decides whether a one-source fact is shown as unique (compare/unique.py).

On the fit half of the editor's fact map (benchmarks/data/factmap.jsonl), every sentence that the
aligner leaves in a fact of one article, in a whole story and in each pair of its articles, is a sample: positive when a gold fact of its line is stated
by another article of the comparison, negative when none is (lines with no gold fact are not used).
The bar is chosen on out-of-fold probabilities (5 folds by story, within the fit half): the highest
bar at which the facts shown as unique are stated by no other source in >= --min-precision of cases,
in whole stories and in pairs alike. The check half is
only reported.

    python tools/fit_unique_model.py benchmarks/data/factmap.jsonl ../shared/data/ecbplus/train.jsonl \
        ../shared/data/ecbplus/dev.jsonl [--min-precision 0.9] [--write]
"""
from __future__ import annotations

import argparse
import json
from itertools import combinations
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from storyline.compare.align import align, conflict_grouping
from storyline.compare.factmap import _articles, gold_of, read_factmap
from storyline.compare.nlp import analyse
from storyline.compare.unique import FEATURES, elsewhere, sentence_features

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "models" / "unique_model.json"


def samples(stories: list[dict], cuts: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(features, stated elsewhere, story number, from the whole story) of every sentence left alone by the aligner, in
    the whole story and (with `cuts`) in every pair of its articles: how often a fact is stated
    elsewhere depends on how many others there are, and comparisons of two articles are common."""
    X, y, g, whole = [], [], [], []
    for k, story in enumerate(stories):
        gold = gold_of(story)
        analysed = analyse(_articles(story))
        everyone = tuple(range(len(analysed)))
        subsets = [everyone] + (list(combinations(everyone, 2)) if cuts and len(everyone) > 2 else [])
        for subset in subsets:
            sents = [s for a in subset for s in analysed[a]]
            facts, P = align(sents)
            _, P_alt = conflict_grouping(sents, facts, P)
            F = sentence_features(sents, P, list(range(len(analysed))), P_alt)
            index = {id(s): i for i, s in enumerate(sents)}
            for f in facts:
                if len(f.articles) != 1:
                    continue
                for s in f.members:
                    stated = gold["of"].get((s.article, s.para), ())
                    if stated:
                        X.append(F[index[id(s)]])
                        y.append(any(k2[0] != s.article and k2[0] in subset
                                     for g2 in stated for k2 in gold["facts"][g2]))
                        g.append(k)
                        whole.append(subset == everyone)
    return np.array(X), np.array(y), np.array(g), np.array(whole)


def fit(X: np.ndarray, y: np.ndarray, C: float) -> dict:
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    m = LogisticRegression(C=C, max_iter=5000).fit((X - mean) / scale, y)
    return {"features": FEATURES, "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": m.coef_[0].tolist(), "intercept": float(m.intercept_[0])}


def precision_below(p: np.ndarray, y: np.ndarray, bar: float) -> tuple[float, int]:
    shown = p < bar
    return (float(1 - y[shown].mean()) if shown.any() else 1.0), int(shown.sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("factmap")
    ap.add_argument("articles", nargs="+")
    ap.add_argument("--min-precision", type=float, default=0.9)
    ap.add_argument("-C", type=float, default=1.0)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    stories = read_factmap(args.factmap, args.articles)
    fit_half = [s for s in stories if s.get("half") == "fit"]
    check_half = [s for s in stories if s.get("half") == "check"]
    X, y, g, whole = samples(fit_half)
    oof = np.zeros(len(y))
    for fold in range(5):
        test = g % 5 == fold
        oof[test] = elsewhere(X[test], fit(X[~test], y[~test], args.C))
    bars = [b / 100 for b in range(5, 61)]
    # the bar must hold for whole stories and for two-article comparisons alike
    ok = [b for b in bars if min(precision_below(oof[m], y[m], b)[0] for m in (whole, ~whole)) >= args.min_precision]
    bar = max(ok) if ok else bars[0]
    params = dict(fit(X, y, args.C), bar=bar)
    pf, nf = precision_below(elsewhere(X, params), y, bar)
    po, no = precision_below(oof, y, bar)
    pw, nw = precision_below(oof[whole], y[whole], bar)
    print(f"bar {bar:.2f}: fit out-of-fold unique precision {po:.3f} ({no} of {len(y)} shown unique; whole "
          f"stories {pw:.3f}, {nw} of {int(whole.sum())}), "
          f"fit in-sample {pf:.3f} ({nf})")
    for name, cuts in (("whole stories", False), ("whole stories and pairs", True)):
        Xc, yc, _, _ = samples(check_half, cuts=cuts)
        pc, nc = precision_below(elsewhere(Xc, params), yc, bar)
        print(f"  check half, {name}: unique precision {pc:.3f} ({nc} of {len(yc)} shown unique)")
    print("coefficients:", {f: round(c, 2) for f, c in zip(FEATURES, params["coef"])})
    if args.write:
        OUT.write_text(json.dumps(params, indent=1) + "\n")
        print("wrote", OUT)


if __name__ == "__main__":
    main()
