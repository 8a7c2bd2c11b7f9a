"""How close two articles are, as a reader would grade them, next to the story engine's verdict.

`score` is graded, in [0, 1]: a linear model (fitted on ECB+ train by tools/fit_similarity.py,
shipped in models/similarity_model.json) over the story engine's pair features and the shingle
overlap predicts a grade (1 different topics, 2 same topic but another event, 4 same story), mapped
onto [0, 1]. An article against itself scores 1; a copy scores above NON_COPY_CAP, more the closer
it is; any other pair scores below NON_COPY_CAP. `same_story` is the engine's verdict, unchanged in meaning."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .dedup import jaccard_estimates, signature
from .features import featurize
from .model import Article
from .semantic import available, cosine
from .stories import StoryEngine

NON_COPY_CAP = 0.95


@dataclass
class Similarity:
    score: float
    same_story: bool
    near_duplicate: bool
    features: dict[str, float]
    join_probability: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {"score": round(self.score, 4), "same_story": self.same_story,
                "near_duplicate": self.near_duplicate, "join_probability": round(self.join_probability, 4),
                "features": {k: round(v, 4) for k, v in self.features.items()}}


@lru_cache(maxsize=1)
def graded_models() -> dict[str, Any]:
    return json.loads((resources.files("storyline") / "models" / "similarity_model.json").read_text())


def graded_model(features: dict[str, float] | None = None) -> dict[str, Any]:
    """The cross-lingual model for a pair in two languages (embedding cosine alone), the semantic
    model when the pair has an embedding cosine, else the lexical one."""
    models = graded_models()
    if features and "semantic_cos" in features:
        if features.get("other_language") and "crosslingual" in models:
            return models["crosslingual"]
        if "semantic" in models:
            return models["semantic"]
    return models["lexical"]


def pair_features(a: Article, b: Article, engine: StoryEngine | None = None,
                  semantic: bool = True) -> tuple[dict[str, float], float, bool]:
    """(features, the engine's join probability, near-duplicate?) of a pair, symmetric; with the
    semantic tier installed, also the cosine of their headline-and-lead embeddings."""
    from .stories import FEATURES

    engine = engine or StoryEngine()
    fa, fb = featurize(a), featurize(b)
    engine.dfs.add(fa.terms)
    engine.dfs.add(fb.terms)
    probs, feats = [], []
    for y, fy, fx in ((b, fb, fa), (a, fa, fb)):
        vec = engine.features(fx, engine.one_article_story(y, fy))
        feats.append(vec)
        probs.append(engine.model.probability(vec))
    j = float(jaccard_estimates(signature(fa.shingles), signature(fb.shingles)[None, :])[0])
    features = dict(zip(FEATURES, [(u + v) / 2 for u, v in zip(*feats)]))
    features["shingle_jaccard"] = j
    if semantic and available():
        features["semantic_cos"] = cosine(a, b)
        if a.language and b.language and a.language != b.language:
            features["other_language"] = 1.0
    return features, sum(probs) / 2, j >= engine.dedup.threshold


def graded(features: dict[str, float], params: dict[str, Any] | None = None) -> float:
    """The grade the model predicts (1 different topics ... 4 same story), mapped onto (0, NON_COPY_CAP)
    by a logistic curve centred between "same topic" and "same story": monotonic, so pairs keep
    their order even beyond the grades seen in training."""
    params = params or graded_model(features)
    grade = params["intercept"] + sum(w * features.get(k, 0.0) for k, w in zip(params["features"], params["coef"]))
    return NON_COPY_CAP / (1.0 + math.exp(-1.6 * (grade - 2.5)))


def similarity(a: Article, b: Article, engine: StoryEngine | None = None) -> Similarity:
    """A graded score in [0, 1] that orders pairs as a reader would, with the engine's verdict."""
    engine = engine or StoryEngine()
    features, join, near = pair_features(a, b, engine)
    if a.text.strip() == b.text.strip() and a.title.strip() == b.title.strip():
        score = 1.0
    elif near:
        score = min(NON_COPY_CAP + (1 - NON_COPY_CAP) * features["shingle_jaccard"], 0.999)
    else:
        score = graded(features)
    return Similarity(score=score, same_story=near or join >= engine.model.threshold, near_duplicate=near,
                      features=features, join_probability=join)
