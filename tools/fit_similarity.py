"""Fit storyline's graded similarity on ECB+ train and write src/storyline/models/similarity_model.json.

Graded pairs from a JSONL of articles with `topic` and `story` (ECB+ train.jsonl): same story (4),
same topic but a different event (2), different topics (1), at most --per-grade of each, sampled
with a fixed seed. A least-squares linear model (ridge) over storyline.similarity.pair_features
predicts the grade. Dev is only reported: Pearson r of the new score, of the engine's old join
probability, and of a plain TF-IDF cosine fitted on train.

    python tools/fit_similarity.py ../shared/data/ecbplus [--per-grade 1500]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr, spearmanr
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import Ridge

from storyline.evaluate import article_from_labelled, read_jsonl
from storyline.similarity import graded, pair_features
from storyline.stories import StoryEngine

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "models" / "similarity_model.json"


def graded_pairs(path: str, per_grade: int, seed: int = 5) -> list[tuple[dict, dict, int]]:
    rows = read_jsonl(path)
    rng = random.Random(seed)
    same, topic, other = [], [], []
    for x, y in itertools.combinations(range(len(rows)), 2):
        a, b = rows[x], rows[y]
        if a["story"] == b["story"]:
            same.append((a, b, 4))
        elif a["topic"] == b["topic"]:
            topic.append((a, b, 2))
        else:
            other.append((a, b, 1))
    out = []
    for group in (same, topic, other):
        rng.shuffle(group)
        out += group[:per_grade]
    return out


def featurise(pairs: list, semantic: bool = True) -> tuple[list[dict], list[float], np.ndarray]:
    engine = StoryEngine()
    feats, joins = [], []
    for a, b, _ in pairs:
        f, j, _ = pair_features(article_from_labelled(a), article_from_labelled(b), engine, semantic)
        feats.append(f)
        joins.append(j)
    return feats, joins, np.array([g for _, _, g in pairs], dtype=float)


def fit(feats: list[dict], y: np.ndarray, semantic: bool) -> dict:
    names = sorted(k for k in feats[0] if semantic or k != "semantic_cos")
    X = np.array([[f[k] for k in names] for f in feats])
    model = Ridge(alpha=1.0).fit(X, y)
    return {"features": names, "coef": model.coef_.tolist(), "intercept": float(model.intercept_)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--per-grade", type=int, default=1500)
    args = ap.parse_args()
    from storyline.semantic import available

    train = graded_pairs(os.path.join(args.folder, "train.jsonl"), args.per_grade)
    feats, _, y = featurise(train)
    params = {"fitted_on": "ECB+ train.jsonl graded pairs: same story 4, same topic 2, other topic 1",
              "lexical": fit(feats, y, semantic=False)}
    if available():
        params["semantic"] = fit(feats, y, semantic=True)
        # across languages words are not shared: the grade from the embedding cosine alone
        params["crosslingual"] = fit([{"semantic_cos": f["semantic_cos"]} for f in feats], y, semantic=True)
    else:
        print("the semantic tier is not installed: fitting the lexical model only")
        old = json.loads(OUT.read_text()) if OUT.exists() else {}
        for keep in ("semantic", "crosslingual"):
            if keep in old:
                params[keep] = old[keep]
    for name in ("lexical", "semantic"):
        if name in params and (name == "lexical" or available()):
            r = pearsonr([graded({k: v for k, v in f.items() if name == "semantic" or k != "semantic_cos"}, params[name])
                          for f in feats], y)[0]
            print(f"{len(y)} train pairs; {name} train Pearson r {r:.3f}")
    dev = graded_pairs(os.path.join(args.folder, "dev.jsonl"), args.per_grade)
    dfeats, djoin, dy = featurise(dev)
    tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(
        [r["text"] for r in read_jsonl(os.path.join(args.folder, "train.jsonl"))])
    cos = [float((tfidf.transform([a["text"]]) @ tfidf.transform([b["text"]]).T).toarray()[0, 0]) for a, b, _ in dev]
    rows = [("graded score, lexical", [graded({k: v for k, v in f.items() if k != "semantic_cos"}, params["lexical"])
                                       for f in dfeats])]
    if available() and "semantic" in params:
        rows.append(("graded score, semantic tier", [graded(f, params["semantic"]) for f in dfeats]))
        rows.append(("embedding cosine alone", [f["semantic_cos"] for f in dfeats]))
    rows += [("join probability (old score)", djoin), ("TF-IDF cosine", cos)]
    print(f"{len(dy)} dev pairs (grades {sorted(set(dy.tolist()))}):")
    for name, sc in rows:
        print(f"  {name:30} Pearson r {pearsonr(sc, dy)[0]:.3f}  Spearman {spearmanr(sc, dy)[0]:.3f}")
    OUT.write_text(json.dumps(params, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
