"""How likely two articles report the same story, with the verdict the story engine would take."""
from __future__ import annotations

from dataclasses import dataclass

from .dedup import jaccard_estimates, signature
from .features import featurize
from .model import Article
from .stories import StoryEngine


@dataclass
class Similarity:
    score: float
    same_story: bool
    near_duplicate: bool
    features: dict[str, float]

    def to_dict(self) -> dict[str, object]:
        return {"score": round(self.score, 4), "same_story": self.same_story,
                "near_duplicate": self.near_duplicate, "features": {k: round(v, 4) for k, v in self.features.items()}}


def similarity(a: Article, b: Article, engine: StoryEngine | None = None) -> Similarity:
    """Symmetric score in [0, 1]: the engine's probability that `a` joins a story made of `b`, and back."""
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
    near = j >= engine.dedup.threshold
    score = max(sum(probs) / 2, 1.0 if near else 0.0)
    mean = [(u + v) / 2 for u, v in zip(*feats)]
    features = dict(zip(FEATURES, mean))
    features["shingle_jaccard"] = j
    return Similarity(score=score, same_story=near or score >= engine.model.threshold,
                      near_duplicate=near, features=features)
