"""Fit the fact aligner on ECB+ train only and write src/storyline/models/align_model.json.

Pairs of sentences from different articles of a story are labelled by the corpus's cross-document
event coreference (same non-main event = same fact; see storyline.compare.evaluation). Two logistic
regressions over storyline.compare.align.pair_features are fitted: one on whole stories ("large":
5 articles or more) and one on small comparisons cut from them (2 to 4 articles, as `compare`
often sees), since a pair's rank among its candidates means less among few articles. For each, the
grouping threshold (and, on whole stories, the average-link factor) is chosen on train by the F1 of
the whole aligner among the settings whose pair precision is at least --min-precision (precision
first: a wrong "agreed" costs more than a missed one). Dev is only reported.

    python tools/fit_align_model.py ../shared/data/ecbplus [--min-precision 0.75] [--cache DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import random
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from storyline.compare.align import FEATURES, SMALL, group, pair_features, pair_probabilities
from storyline.compare.evaluation import alignment_scores, gold_of, predicted_pairs, read_alignment, score_story, story_sentences

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "models" / "align_model.json"


def load(folder: str, split: str, cache: str | None) -> list[tuple[str, list, dict]]:
    path = os.path.join(cache, f"align-{split}.pkl") if cache else None
    if path and os.path.exists(path):
        with open(path, "rb") as f:
            return pickle.load(f)
    out = []
    for story in read_alignment(os.path.join(folder, f"alignment-{split}.jsonl")):
        events, _ = gold_of(story)
        out.append((story["story"], story_sentences(story), events))
    if path:
        with open(path, "wb") as f:
            pickle.dump(out, f)
    return out


def subsets(data: list, per_story: int = 6, seed: int = 7) -> list:
    """Small comparisons (2 to 4 articles) cut from each story; gold stays the whole story's."""
    rng = random.Random(seed)
    out = []
    for name, sents, events in data:
        arts = sorted({s.article for s in sents})
        if len(arts) < 3:
            continue
        for k in range(per_story):
            chosen = set(rng.sample(arts, min(len(arts) - 1, 2 + k % 3, SMALL - 1)))
            out.append((f"{name}/{k}", [s for s in sents if s.article in chosen],
                        {key: ev for key, ev in events.items() if key[0] in chosen}))
    return out


def training_pairs(data: list) -> tuple[np.ndarray, np.ndarray]:
    X, y = [], []
    for _, sents, events in data:
        F, _ = pair_features(sents)
        keys = [(s.article, s.para) for s in sents]
        for i in range(len(sents)):
            for j in range(i + 1, len(sents)):
                a, b = keys[i], keys[j]
                if a[0] != b[0] and a in events and b in events:
                    X.append(F[i, j])
                    y.append(bool(events[a] & events[b]))
    return np.array(X), np.array(y)


def fit(data: list) -> dict:
    X, y = training_pairs(data)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000).fit((X - mean) / scale, y)
    print(f"  {len(y)} training pairs, {int(y.sum())} positive")
    return {"coef": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0]), "mean": mean.tolist(),
            "scale": scale.tolist()}


def score(data: list, probs: list, threshold: float, link: float) -> dict:
    total: Counter[str] = Counter()
    for P, (_, sents, events) in zip(probs, data):
        total.update(score_story(predicted_pairs(group(sents, P, threshold, link)), events))
    return alignment_scores(total, len(data))


def choose(data: list, probs: list, links: tuple[float, ...], floor: float) -> tuple[dict, float, float]:
    best = None
    for threshold in np.arange(0.2, 0.91, 0.05):
        for link in links:
            r = score(data, probs, float(threshold), link)
            ok = r["pair_precision"] >= floor
            print(f"  threshold {threshold:.2f} link {link}: P {r['pair_precision']:.3f} R {r['sentence_recall']:.3f} "
                  f"F1 {r['f1']:.3f}{'' if ok else '  (precision too low)'}")
            if ok and (best is None or r["f1"] > best[0]["f1"]):
                best = (r, round(float(threshold), 2), link)
    assert best is not None, "no setting reaches the precision floor"
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--min-precision", type=float, default=0.75)
    ap.add_argument("--cache", default=None, help="a folder to keep analysed sentences in between runs")
    args = ap.parse_args()
    train = load(args.folder, "train", args.cache)
    small = subsets(train)
    params: dict = {"features": FEATURES}
    print("whole stories:")
    params["large"] = fit(train)
    probs = [pair_probabilities(s, params)[0] for _, s, _ in train]
    r, params["large"]["threshold"], params["link"] = choose(train, probs, (0.6, 0.8, 1.0), args.min_precision)
    print(f"  chosen: threshold {params['large']['threshold']}, link {params['link']}: train {r}")
    print("small comparisons:")
    params["small"] = fit(small)
    probs = [pair_probabilities(s, params)[0] for _, s, _ in small]
    r, params["small"]["threshold"], _ = choose(small, probs, (params["link"],), args.min_precision)
    print(f"  chosen: threshold {params['small']['threshold']}: train {r}")
    dev = load(args.folder, "dev", args.cache)
    for name, data in (("dev", dev), ("dev, small comparisons", subsets(dev))):
        probs = [pair_probabilities(s, params)[0] for _, s, _ in data]
        key = "small" if "small" in name else "large"
        print(name, score(data, probs, params[key]["threshold"], params["link"]))
    OUT.write_text(json.dumps(dict(params, fitted_on="ECB+ train (alignment-train.jsonl)"), indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
