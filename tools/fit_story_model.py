"""Fit the story engine's decision on ECB+ train only, and write src/storyline/models/story_model.json.

1. Stream the training articles with teacher forcing (gold stories so far): for every article,
   features against each retrieved candidate story and its gold story, label = same story.
2. Fit a logistic regression on those pairs.
3. Sweep the join, merge and split thresholds by running the real engine on the training
   stream; keep the best BCubed F1.
ECB+ carries no publication dates, so the two time features cannot be learned from it: their
weights are a stated prior (an article far in time from a story loses one logit), not a fit.

Usage: python tools/fit_story_model.py ../shared/data/ecbplus/train.jsonl
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from storyline.evaluate import _final_ids, article_from_labelled, bcubed, read_jsonl
from storyline.features import featurize, load_df_prior
from storyline.stories import (
    FEATURES,
    HotStory,
    StoryEngine,
    StoryModel,
    cluster_articles,
)

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "models" / "story_model.json"
SPLITS = (0.0, 0.7, 0.75, 0.8, 0.85, 0.9)  # 0: stories are never reviewed for a split
TIME_PRIOR = {"time_sim": 1.0, "has_time": -1.0}


def pairs(rows: list[dict], on_pair=None, semantic: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Teacher-forced (features, label, topic of the article) for every retrieved candidate and the gold story;
    `on_pair(article, story)` sees each pair as it is made."""
    engine = StoryEngine(model=StoryModel(coef=[0.0] * len(FEATURES), intercept=0.0), semantic=semantic)
    gold: dict[str, HotStory] = {}
    X, y, groups = [], [], []
    for seq, row in enumerate(rows, 1):
        a = article_from_labelled(row)
        f = featurize(a)
        engine.dfs.add(f.terms)
        av = engine.vectors(f)
        label = str(row["story"])
        cands = {s.id: s for s in engine.shortlist(av)}  # the same cascade as the engine
        if label in gold:
            cands[label] = gold[label]
        counts = engine.contrast_counts(av, list(cands.values()))
        for sid, s in cands.items():
            X.append(engine.features(f, s, av, counts))
            if on_pair:
                on_pair(a, s)
            y.append(1 if sid == label else 0)
            groups.append(str(row.get("topic", label)))
        s = gold.get(label)
        if s is None:
            s = gold[label] = HotStory(id=label, first_seq=seq)
            engine.stories[label] = s
        engine.seq = seq
        from storyline.dedup import signature

        engine._update(s, a, f, signature(f.shingles), None, None)
    return np.array(X), np.array(y), np.array(groups)


def write_df_prior(rows: list[dict]) -> None:
    """Document frequencies of the training articles, as term ids (crc32) only."""
    from collections import Counter

    df: Counter[int] = Counter()
    for row in rows:
        df.update(featurize(article_from_labelled(row)).terms.keys())
    kept = {str(t): c for t, c in df.items() if c >= 2}
    (OUT.parent / "df_prior.json").write_text(json.dumps({"n": len(rows), "df": kept}))
    load_df_prior.cache_clear()


def main(path: str) -> None:
    rows = read_jsonl(path)
    write_df_prior(rows)
    X, y, _ = pairs(rows)
    learn = [i for i, n in enumerate(FEATURES) if n not in TIME_PRIOR]
    clf = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    clf.fit(X[:, learn], y)
    coef = [0.0] * len(FEATURES)
    for i, c in zip(learn, clf.coef_[0]):
        coef[i] = float(c)
    for name, w in TIME_PRIOR.items():
        coef[FEATURES.index(name)] = w
    print(f"{len(y)} training pairs, {int(y.sum())} positive")
    print(dict(zip(FEATURES, [round(c, 3) for c in coef])), "intercept", round(float(clf.intercept_[0]), 3))
    articles = [article_from_labelled(r) for r in rows]
    gold = {a.id: str(r["story"]) for a, r in zip(articles, rows)}
    best = (0.0, 0.5, 1.0, 0.0)
    for t in np.arange(0.40, 0.91, 0.1):
        for merge in (0.95, 1.01):
            for split in SPLITS:
                model = StoryModel(coef=coef, intercept=float(clf.intercept_[0]), threshold=float(t),
                                   merge_threshold=merge, split_threshold=split)
                assigned = cluster_articles(articles, StoryEngine(model=model))
                final = _final_ids(assigned)
                f1 = bcubed([final[x.article_id] for x in assigned], [gold[x.article_id] for x in assigned])[2]
                print(f"threshold {t:.2f} merge {merge:.2f} split {split:.2f}: BCubed F1 {f1:.4f}")
                if f1 > best[0] + 1e-9:
                    best = (f1, float(t), merge, split)
    data = {"features": FEATURES, "coef": coef, "intercept": float(clf.intercept_[0]),
            "threshold": round(best[1], 3), "merge_threshold": best[2], "split_threshold": best[3],
            "split_min_part": 3, "time_scale_days": 3.0,
            "fitted_on": "ECB+ train (25 topics, 575 articles)", "train_bcubed_f1": round(best[0], 4)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=2) + "\n")
    print(f"best threshold {best[1]:.3f} merge {best[2]} split {best[3]} (train BCubed F1 {best[0]:.4f}) -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/ecbplus/train.jsonl")
