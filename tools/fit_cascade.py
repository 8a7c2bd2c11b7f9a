"""Fit the story engine's semantic cascade on ECB+ train and add it to src/storyline/models/story_model.json.

The lexical model decides most articles with confidence. Where its probability falls in an
uncertain band, the semantic tier (when installed) looks again: a two-weight logistic regression over
the lexical logit and the embedding cosine of the article's headline and lead with the story
founder's, fitted on the teacher-forced training pairs inside the band. The band is chosen by
running the real engine on train (BCubed F1), ties going to the narrower band (fewer embeddings).
Dev is only reported. Needs `pip install -e '.[semantic]'`.

    python tools/fit_cascade.py ../shared/data/ecbplus
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(__file__))

from fit_story_model import OUT, pairs  # noqa: E402

from storyline.evaluate import _final_ids, article_from_labelled, bcubed, read_jsonl  # noqa: E402
from storyline.semantic import available, embed_texts, lead_text  # noqa: E402
from storyline.stories import StoryEngine, StoryModel, cluster_articles  # noqa: E402

BANDS = [(0.15, 0.4), (0.1, 0.5), (0.2, 0.6), (0.1, 0.7), (0.05, 0.8)]


def run(rows: list[dict], model: StoryModel) -> tuple[float, float, float]:
    articles = [article_from_labelled(r) for r in rows]
    gold = {a.id: str(r["story"]) for a, r in zip(articles, rows)}
    engine = StoryEngine(model=model, semantic=True)
    assigned = cluster_articles(articles, engine)
    final = _final_ids(assigned)
    f1 = bcubed([final[x.article_id] for x in assigned], [gold[x.article_id] for x in assigned])[2]
    return f1, engine.cascaded / max(1, len(articles)), len(articles)


def main(folder: str) -> None:
    assert available(), "the semantic tier is not installed: pip install -e '.[semantic]'"
    train = read_jsonl(os.path.join(folder, "train.jsonl"))
    base = StoryModel.load()
    leads: list[tuple[str, str]] = []
    X, y, _ = pairs(train, on_pair=lambda a, s: leads.append((lead_text(a), s.lead())), semantic=True)
    p = np.array([base.probability(list(x)) for x in X])
    texts = sorted({t for pair in leads for t in pair if t})
    vec = dict(zip(texts, embed_texts(texts)))
    cos = np.array([float(vec[a] @ vec[b]) if a and b else 0.0 for a, b in leads])
    logit = np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1))
    best = None
    print(f"lexical only: train BCubed F1 {run(train, base)[0]:.4f}")
    for lo, hi in BANDS:
        inside = (p >= lo) & (p < hi) & (cos != 0)
        if inside.sum() < 20 or len(set(y[inside])) < 2:
            continue
        clf = LogisticRegression(max_iter=1000).fit(np.c_[logit[inside], cos[inside]], y[inside])
        model = StoryModel.load()
        model.cascade = {"low": lo, "high": hi, "coef": clf.coef_[0].tolist(), "intercept": float(clf.intercept_[0])}
        f1, share, _ = run(train, model)
        print(f"band [{lo}, {hi}): {int(inside.sum())} training pairs; weights {np.round(clf.coef_[0], 3)}; "
              f"train BCubed F1 {f1:.4f}, {share:.1%} of articles embedded")
        if best is None or f1 > best[0] + 1e-4:
            best = (f1, model.cascade)
    data = json.loads(OUT.read_text())
    lexical = run(train, base)[0]
    if best is None or best[0] <= lexical + 1e-4:
        data.pop("cascade", None)
        print("no band beats the lexical engine on train: no cascade")
    else:
        data["cascade"] = best[1]
        print(f"chosen {best[1]}")
    OUT.write_text(json.dumps(data, indent=2) + "\n")
    dev = read_jsonl(os.path.join(folder, "dev.jsonl"))
    model = StoryModel.load()
    print(f"dev BCubed F1 with the cascade: {run(dev, model)[0]:.4f}; lexical: {run(dev, base)[0]:.4f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/ecbplus")
