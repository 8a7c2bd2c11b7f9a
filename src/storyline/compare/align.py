"""Align statements across articles despite paraphrase: TF-IDF over stemmed content words and
entities, one similarity matrix for all sentences, then greedy grouping with at most one
sentence per article in a fact."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..features import content_terms
from .nlp import Sentence

ALIGN_THRESHOLD = 0.28


# reporting boilerplate ("news agencies have reported") says who told, not what happened
_ATTRIBUTION = frozenset({"report", "news", "agenc", "quot", "accord", "interfax", "announc", "statement"})


def _analyzer(s: Sentence) -> list[str]:
    terms = [t for t in content_terms(s.text) if t not in _ATTRIBUTION]
    terms += ["ent:" + e.text.lower() for e in s.ents if e.label in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT")]
    return terms


def similarity_matrix(sentences: list[Sentence]) -> np.ndarray:
    """Cosine similarity of sublinear TF-IDF (smoothed IDF, as scikit-learn's) sentence vectors.

    Built directly on scipy.sparse: importing scikit-learn alone costs a second of start-up."""
    from collections import Counter

    from scipy.sparse import csr_matrix

    n = len(sentences)
    if not n:
        return np.zeros((0, 0))
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, s in enumerate(sentences):
        for term, c in Counter(_analyzer(s)).items():
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(1.0 + np.log(c))
    if not vocab:
        return np.zeros((n, n))
    X = csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)))
    df = np.bincount(cols, minlength=len(vocab))
    idf = np.log((1 + n) / (1 + df)) + 1.0
    X = X.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    X = X.multiply(1.0 / norms[:, None]).tocsr()
    return (X @ X.T).toarray()


@dataclass
class Fact:
    members: list[Sentence] = field(default_factory=list)
    score: float = 0.0

    @property
    def articles(self) -> set[int]:
        return {s.article for s in self.members}


def align(sentences: list[Sentence], threshold: float = ALIGN_THRESHOLD) -> tuple[list[Fact], np.ndarray]:
    """Facts: groups of sentences from different articles that state the same thing."""
    sim = similarity_matrix(sentences)
    n = len(sentences)
    group = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    pairs = [(sim[i, j], i, j) for i in range(n) for j in range(i + 1, n)
             if sentences[i].article != sentences[j].article and sim[i, j] >= threshold]
    pairs.sort(key=lambda x: -x[0])
    for score, i, j in pairs:
        gi, gj = group[i], group[j]
        if gi == gj:
            continue
        ai = {sentences[k].article for k in members[gi]}
        aj = {sentences[k].article for k in members[gj]}
        if ai & aj:
            continue
        # average link: the new pair must be close to the groups as a whole, not only to one member
        link = float(np.mean([sim[a, b] for a in members[gi] for b in members[gj]]))
        if link < threshold * 0.8:
            continue
        for k in members[gj]:
            group[k] = gi
        members[gi] += members.pop(gj)
    facts = []
    for g, idx in members.items():
        ms = sorted((sentences[k] for k in idx), key=lambda s: (s.article, s.index))
        score = float(np.mean([sim[a, b] for a in idx for b in idx if a < b])) if len(idx) > 1 else 0.0
        facts.append(Fact(ms, score))
    facts.sort(key=lambda f: (min(s.article for s in f.members), min(s.index for s in f.members)))
    return facts, sim
