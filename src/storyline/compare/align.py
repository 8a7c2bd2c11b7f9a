"""Align statements across articles despite paraphrase.

Every pair of sentences from different articles gets a probability that they state the same fact:
a logistic regression (fitted on ECB+ train by tools/fit_align_model.py, shipped in
models/align_model.json) over TF-IDF cosines of stemmed content words and entities (all terms, the
terms most of the story's articles do not share, and word pairs), entity and number overlap, and
how the pair ranks among each sentence's candidates in the other article. Facts are then built
greedily from the most probable pairs, with at most one sentence per article in a fact and every
newcomer close to the fact as a whole (average link)."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..features import content_terms
from .nlp import STATEMENT_WORDS, Sentence

# reporting boilerplate ("news agencies have reported") says who told, not what happened
_ATTRIBUTION = frozenset({"report", "news", "agenc", "quot", "accord", "interfax", "announc", "statement"})
_ENT_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT")
_NUM = re.compile(r"\d[\d,.]*")
FEATURES = ["cos", "cos_rare", "cos_bigram", "ent_jaccard", "num_share", "num_clash", "best_both", "best_one",
            "margin", "rel_best", "log_len", "lead_both"]


def _analyzer(s: Sentence) -> list[str]:
    terms = [t for t in content_terms(s.text) if t not in _ATTRIBUTION]
    terms += ["ent:" + e.text.lower() for e in s.ents if e.label in _ENT_LABELS]
    return terms


def _term_matrix(bags: list[Counter[str]], keep: Any = None) -> Any:
    """A sparse (bags x terms) matrix of term counts; `keep(term)` may drop terms. Built on
    scipy.sparse: importing scikit-learn costs a second."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, bag in enumerate(bags):
        for term, c in bag.items():
            if keep is not None and not keep(term):
                continue
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(float(c))
    return csr_matrix((vals, (rows, cols)), shape=(len(bags), len(vocab)))


def _tfidf(bags: list[Counter[str]], keep: Any = None) -> np.ndarray:
    """Cosine matrix of sublinear TF-IDF (smoothed IDF, as scikit-learn's) vectors of term bags;
    `keep(term)` may drop terms."""
    n = len(bags)
    X = _term_matrix(bags, keep)
    if not X.shape[1]:
        return np.zeros((n, n))
    X.data = 1.0 + np.log(X.data)
    df = X.getnnz(axis=0)
    idf = np.log((1 + n) / (1 + df)) + 1.0
    X = X.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    X = X.multiply(1.0 / norms[:, None]).tocsr()
    return np.asarray((X @ X.T).todense())


def pair_features(sentences: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
    """(features, cosine): an n x n x len(FEATURES) array for every pair, and the plain cosine."""
    n = len(sentences)
    k = len(FEATURES)
    if n == 0:
        return np.zeros((0, 0, k)), np.zeros((0, 0))
    terms = [_analyzer(s) for s in sentences]
    bags = [Counter(t) for t in terms]
    art = np.array([s.article for s in sentences])
    n_art = len(set(art.tolist()))
    # terms most articles share say "this story", not "this fact" (the story's main event)
    in_articles: Counter[str] = Counter()
    for a in set(art.tolist()):
        in_articles.update({t for i in np.where(art == a)[0] for t in bags[i]})
    cos = _tfidf(bags)
    cos_rare = _tfidf(bags, keep=lambda t: n_art < 3 or in_articles[t] < n_art / 2)
    bigrams = [Counter(f"{a} {b}" for a, b in zip(t, t[1:]) if not a.startswith("ent:")) for t in terms]
    cos_bigram = _tfidf(bigrams)
    ents = [{e.text.lower() for e in s.ents if e.label in _ENT_LABELS} for s in sentences]
    nums = [set(_NUM.findall(s.text)) - {""} for s in sentences]
    F = np.zeros((n, n, k))
    F[:, :, 0], F[:, :, 1], F[:, :, 2] = cos, cos_rare, cos_bigram
    for i in range(n):
        for j in range(i + 1, n):
            if art[i] == art[j]:
                continue
            u = ents[i] | ents[j]
            F[i, j, 3] = F[j, i, 3] = len(ents[i] & ents[j]) / len(u) if u else 0.0
            shared = nums[i] & nums[j]
            F[i, j, 4] = F[j, i, 4] = 1.0 if shared else 0.0
            F[i, j, 5] = F[j, i, 5] = 1.0 if nums[i] and nums[j] and not shared else 0.0
    # how the pair ranks: is j the best candidate of i in j's article (and the other way round)?
    best_in = np.zeros((n, n), dtype=bool)
    margin = np.zeros((n, n))
    for a in set(art.tolist()):
        cols = np.where(art == a)[0]
        sub = cos[:, cols]
        top = sub.max(axis=1)
        best_in[:, cols] = sub >= top[:, None] - 1e-12
        second = np.sort(sub, axis=1)[:, -2] if len(cols) > 1 else np.zeros(n)
        margin[:, cols] = sub - np.where(best_in[:, cols], second[:, None], top[:, None])
    F[:, :, 6] = best_in & best_in.T
    F[:, :, 7] = best_in ^ best_in.T
    F[:, :, 8] = np.minimum(margin, margin.T)
    other = art[:, None] != art[None, :]
    row_best = np.where(other, cos, 0).max(axis=1)
    row_best[row_best == 0] = 1.0
    F[:, :, 9] = np.minimum(cos / row_best[:, None], cos / row_best[None, :])
    length = np.array([len(t) for t in terms], dtype=float)
    F[:, :, 10] = np.log1p(np.minimum(length[:, None], length[None, :]))
    lead = np.array([s.index < 3 for s in sentences])
    F[:, :, 11] = lead[:, None] & lead[None, :]
    return F, cos


COS_FLOOR = 0.15  # the least cosine of two sentences joined in a whole story
SHARED_TERMS = 2  # ...and the fewest content words they have in common
SMALL = 5  # comparisons of fewer articles than this have a model of their own


@lru_cache(maxsize=1)
def model() -> dict[str, Any]:
    data = json.loads((resources.files("storyline") / "models" / "align_model.json").read_text())
    if data["features"] != FEATURES:
        raise RuntimeError("models/align_model.json was fitted on other features: run tools/fit_align_model.py")
    return data


def regime(sentences: list[Sentence], params: dict[str, Any]) -> dict[str, Any]:
    """The weights for this comparison: a pair's rank among its candidates says less among two or
    three articles than among ten, so small comparisons have a model (and threshold) of their own,
    fitted on small comparisons cut from ECB+ train stories."""
    small = len({s.article for s in sentences}) < SMALL
    return params["small" if small and "small" in params else "large"]


def pair_probabilities(sentences: list[Sentence], params: dict[str, Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(probability that each pair states the same fact, plain cosine); 0 within one article."""
    params = params or model()
    F, cos = pair_features(sentences)
    if not len(sentences):
        return np.zeros((0, 0)), cos
    w = regime(sentences, params)
    z = (F - np.array(w["mean"])) / np.array(w["scale"]) @ np.array(w["coef"]) + w["intercept"]
    P = 1.0 / (1.0 + np.exp(-z))
    art = np.array([s.article for s in sentences])
    P[art[:, None] == art[None, :]] = 0.0
    return P, cos


def joinable(sentences: list[Sentence], cos: np.ndarray) -> np.ndarray:
    """Which pairs may be joined into one fact. A pair's rank among its candidates speaks only when
    the two share words: in a story of many articles every sentence has a best match somewhere
    ("Those 10 points tied McDermott" / "He had help from his teammates"). A line that only dates
    its page, or a piece too short to state anything on its own ("My goodness, the roar."), joins
    nothing. (The probabilities themselves stay whole: they still tell how likely another source
    states a sentence in other words.)"""
    from .conflicts import _dateline

    # (among few articles a pair's rank says less: the small model leans on the words themselves,
    # and a short piece that names someone is most often half of a sentence split wrongly, "CNA
    # spoke with Msgr.")
    large = len({s.article for s in sentences}) >= SMALL
    ok = cos >= (COS_FLOOR if large else 0.0)
    if large:  # ...and two content words in common: one shared word ("fans", "party") is a topic, not a fact
        ok &= _shared_terms(sentences) >= SHARED_TERMS
    mute = np.array([(_dateline(s) and _stamped(s)) or (len(s.text.split()) < STATEMENT_WORDS
                                                          and (large or not s.of(*_ENT_LABELS)))
                     for s in sentences], dtype=bool)
    if len(mute):
        ok[mute, :] = False
        ok[:, mute] = False
    return ok


def _shared_terms(sentences: list[Sentence]) -> np.ndarray:
    """How many content words (stems) each pair of sentences has in common."""
    X = _term_matrix([Counter(set(content_terms(s.text))) for s in sentences])
    return np.asarray((X @ X.T).todense())


def _stamped(s: Sentence) -> bool:
    """The sentence carries a date or a clock time in figures ("Posted: March 8, 2013 2:39 pm"), not
    only words the tagger calls a date ("Everybody's in shock right now")."""
    return any(any(ch.isdigit() for ch in e.text) for e in s.of("DATE", "TIME"))


@dataclass
class Fact:
    members: list[Sentence] = field(default_factory=list)
    score: float = 0.0

    @property
    def articles(self) -> set[int]:
        return {s.article for s in self.members}


def group(sentences: list[Sentence], P: np.ndarray, threshold: float, link: float,
          cos: np.ndarray | None = None) -> list[Fact]:
    """Facts from pair probabilities: most probable pairs first, one sentence per article in a
    fact, and a newcomer's average probability with the fact at least `link` x threshold. With the
    pairs' cosines, only `joinable` pairs join."""
    if cos is not None and len(sentences):
        P = np.where(joinable(sentences, cos), P, 0.0)
    n = len(sentences)
    owner = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    ii, jj = np.where(np.triu(P, 1) >= threshold)
    order = np.argsort(-P[ii, jj], kind="stable")
    for i, j in zip(ii[order], jj[order]):
        gi, gj = owner[i], owner[j]
        if gi == gj:
            continue
        if {sentences[k].article for k in members[gi]} & {sentences[k].article for k in members[gj]}:
            continue
        if float(P[np.ix_(members[gi], members[gj])].mean()) < threshold * link:
            continue
        for k in members[gj]:
            owner[k] = gi
        members[gi] += members.pop(gj)
    facts = []
    for idx in members.values():
        ms = sorted((sentences[k] for k in idx), key=lambda s: (s.article, s.index))
        score = float(np.mean([P[a, b] for a in idx for b in idx if a < b])) if len(idx) > 1 else 0.0
        facts.append(Fact(ms, score))
    facts.sort(key=lambda f: (min(s.article for s in f.members), min(s.index for s in f.members)))
    return facts


def align(sentences: list[Sentence], params: dict[str, Any] | None = None) -> tuple[list[Fact], np.ndarray]:
    """Facts (groups of sentences from different articles that state the same thing), and the pair
    probabilities (conflicts look further than the facts)."""
    params = params or model()
    P, cos = pair_probabilities(sentences, params)
    return group(sentences, P, regime(sentences, params)["threshold"], params["link"], cos), P


def conflict_grouping(sentences: list[Sentence], facts: list[Fact], P: np.ndarray,
                      params: dict[str, Any] | None = None) -> tuple[list[Fact], np.ndarray]:
    """The grouping in which conflicts are sought. Small comparisons are shown with the model
    fitted on the editor's fact map, which joins more paraphrases; conflicts are still sought among
    the pairs the ECB+-fitted model groups (`small_conflicts`), whose tests were tuned on them (the
    fact-map model's larger facts raised false conflicts on clean pairs from 1% to 5.5%). Whole
    stories use one model for both."""
    params = params or model()
    small = len({s.article for s in sentences}) < SMALL
    if not (small and "small_conflicts" in params):
        return facts, P
    ecb = dict(params, small=params["small_conflicts"])
    Pc, cos = pair_probabilities(sentences, ecb)
    return group(sentences, Pc, params["small_conflicts"]["threshold"], params["link"], cos), Pc
