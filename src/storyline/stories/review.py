"""Review and split: a story that has grown is looked at again as a whole, and split in two when
its originals form two groups that the model does not see as one event."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..features import ArticleFeatures, featurize, packed
from ..model import Article
from .hot import _NO_BAGS, CENTROID_TERMS, HotStory, Member, kernels, story_id_for
from .model import _LOG2, DAY, FEATURES, _rows, _starts

if TYPE_CHECKING:
    from .model import StoryModel

REVIEW_MAX = 60  # stories with more originals than this are settled and not reviewed
REVIEW_LEVELS = (6, 12, 24, 48)  # doubling: as good on ECB+ train as finer levels, and cheaper


class ReviewMixin:
    """StoryEngine's reviews: reads the members the caller gives and replaces the reviewed story
    and its split-off half in `stories` by rebuilt ones."""

    model: StoryModel
    stories: dict[str, HotStory]
    merged: dict[str, str]

    def review(self, story_id: str, members: list[Member]) -> dict[str, str]:
        """Split a story whose originals form two groups that the model does not see as one event.

        The streaming decision is taken on a young story, where one wrong join (a second, similar
        event: another arrest of another player of the same team) then pulls the rest of that event
        in. Reviewing the story once it has grown: average-link over the pairwise probabilities of
        its originals cuts it in two; when the two halves score as one event less than
        `split_threshold` times as well as each half holds together, the half with the founding
        article keeps the id and the other half becomes a story of its own (id from its earliest
        article; copies follow their original). Returns the articles that moved,
        {article id: new story id}."""
        m = self.model
        originals = [x for x in members if x[2] is None]
        n = len(originals)
        if m.split_threshold <= 0 or n < 2 * m.split_min_part or n > REVIEW_MAX or story_id not in self.stories:
            return {}
        # featurised again, not kept between reviews: keeping them saved 8 % of the review's time
        # and nothing measurable overall, for 1.6 KB more per retained article (100,000 generated)
        feats = [featurize(x[1], shingle_size=0) for x in originals]
        return self._split(story_id, members, originals, feats)

    def _split(self, story_id: str, members: list[Member], originals: list[Member],
               feats: list[ArticleFeatures]) -> dict[str, str]:
        m = self.model
        probs = self.pairwise([x[1] for x in originals], feats)
        halves = _two_groups(probs)
        if halves is None:
            return {}
        a, b = halves
        if min(len(a), len(b)) < m.split_min_part or _separation(probs, a, b) >= m.split_threshold:
            return {}
        if 0 not in a:  # the founding article is the first original taken
            a, b = b, a
        moved_ids = {originals[i][1].id for i in b}
        new_id = story_id_for(originals[min(b)][1].id)
        if new_id in self.merged or new_id in self.stories:  # that id once named a story merged away
            new_id = story_id_for(originals[min(b)][1].id + "#split")
        stay: list[Member] = []
        go: list[Member] = []
        for x in members:  # a copy goes where its original goes
            (go if (x[2] or x[1].id) in moved_ids else stay).append(x)
        # both halves posted afresh under their own members' keys, as a rebuild from the store posts them
        old = self.stories[story_id]
        sigs = dict(zip(old.originals, old.sigs))  # rows in the order of the originals
        known = {x[1].id: (f, sigs[x[1].id]) for x, f in zip(originals, feats) if x[1].id in sigs}
        self._unpost(old)
        self.stories[story_id] = self.rebuild(story_id, stay, known)
        self.stories[new_id] = self.rebuild(new_id, go, known)
        return {x[1].id: new_id for x in go}

    def pairwise(self, articles: list[Article], features: list[ArticleFeatures] | None = None) -> np.ndarray:
        """The symmetric matrix of probabilities that two articles report one event: every article
        scored against every other as a one-article story. The lexical features come from the same
        kernel as the stream's (kernels.pair_features, each article's packed bags weighed once);
        equal, up to floating-point noise, to `pairwise_reference`, the path through `features`."""
        feats = features or [featurize(a, shingle_size=0) for a in articles]
        n = len(feats)
        if n < 2:
            return np.ones((n, n))
        snap = self.dfs.arrays()
        arts = [packed(f) for f in feats]
        stories = [kernels.grow(*_NO_BAGS, 0, *p, 2 * CENTROID_TERMS, CENTROID_TERMS, True) for p in arts]
        a_w = [kernels.weigh(*p, *snap) for p in arts]  # (weights, norms, top)
        s_w = [kernels.weigh(*p, *snap) for p in stories]

        titles = [np.array(f.title_entities, dtype=np.int64) for f in feats]
        lex = kernels.pair_matrix(*_rows([p[0] for p in arts], [p[3] for p in arts], a_w),
                                  np.concatenate(titles), _starts(titles),
                                  *_rows([p[0] for p in stories], [p[3] for p in stories], s_w))
        X = np.zeros((n, n, len(FEATURES)))
        X[:, :, [0, 1, 2, 3, 5, 6, 9, 10, 11, 12]] = lex
        # the numbers: the article's against each one-article story's (capped as _update caps them)
        nums = [f.nums for f in feats]
        story_nums = [set(dict(Counter(x).most_common(50))) if len(x) > 100 else x for x in nums]
        X[:, :, 4] = _overlap(nums, story_nums, normalise=True)
        lead_nums = [f.lead_nums for f in feats]
        story_lead = [set(dict(Counter(x).most_common(20))) if len(x) > 40 else x for x in lead_nums]
        shared = _overlap(lead_nums, story_lead, normalise=False)
        both = np.outer([bool(x) for x in lead_nums], [bool(x) for x in story_lead])
        X[:, :, 8] = np.where(both, np.where(shared > 0, 1.0, -1.0), 0.0)
        years = [f.year for f in feats]
        for i, y in enumerate(years):
            if y:
                X[i, :, 7] = [0.0 if not g else (1.0 if g == y else -1.0) for g in years]
        X[:, :, 13] = np.log1p([int(p[3][1]) for p in arts])[:, None]  # distinct terms: len(f.terms)
        ts = np.array([np.nan if f.timestamp is None else f.timestamp for f in feats])
        dated = ~np.isnan(ts)
        has = np.outer(dated, dated)
        gap = np.abs(ts[:, None] - ts[None, :])
        X[:, :, 14] = np.where(has, np.exp(-np.where(has, gap, 0.0) / (self.model.time_scale_days * DAY)), 0.0)
        X[:, :, 15] = has
        X[:, :, 16] = _LOG2
        langs = [f.language for f in feats]
        X[:, :, 17] = [[1.0 if (a is None or b is None or a == b) else 0.0 for b in langs] for a in langs]
        z = self.model.intercept + X @ np.asarray(self.model.coef)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
        np.fill_diagonal(p, 1.0)
        return (p + p.T) / 2

    def pairwise_reference(self, articles: list[Article]) -> np.ndarray:
        """`pairwise` one pair at a time through `features` (the path before it was vectorised; kept
        for the tests and the benchmark)."""
        feats = [featurize(a) for a in articles]
        singles = [self.one_article_story(a, f) for a, f in zip(articles, feats)]
        vecs = [self.vectors(f) for f in feats]
        n = len(articles)
        p = np.ones((n, n))
        for i in range(n):
            for j in range(n):
                if i != j:
                    p[i, j] = self.model.probability(self.features(feats[i], singles[j], vecs[i]))
        return (p + p.T) / 2

    def review_grown(self, grown: dict[str, int], members_of: Callable[[str], list[Member]]) -> dict[str, str]:
        """Review every story whose number of originals crossed a review level since `grown[id]`
        (levels double, so a story is reviewed at most four times)."""
        moves: dict[str, str] = {}
        for sid in sorted(grown):
            sid = self.merged.get(sid, sid)
            s = self.stories.get(sid)
            if s is not None and _level(len(s.originals)) > _level(grown.get(sid, 0)):
                moves.update(self.review(sid, members_of(sid)))
        return moves


def _overlap(a: list[set[str]], b: list[set[str]], normalise: bool) -> np.ndarray:
    """|a_i & b_j| for every pair (over sqrt(|a_i| |b_j|) when normalising; 0 where either is empty)."""
    vocab: dict[str, int] = {}
    rows = [[vocab.setdefault(x, len(vocab)) for x in s] for s in a]
    cols = [[vocab.setdefault(x, len(vocab)) for x in s] for s in b]
    if not vocab:
        return np.zeros((len(a), len(b)))
    A = np.zeros((len(a), len(vocab)))
    B = np.zeros((len(b), len(vocab)))
    for k, r in enumerate(rows):
        A[k, r] = 1.0
    for k, c in enumerate(cols):
        B[k, c] = 1.0
    shared = A @ B.T
    if not normalise:
        return shared
    sizes = np.sqrt(np.outer(A.sum(axis=1), B.sum(axis=1)))
    return np.divide(shared, sizes, out=np.zeros_like(shared), where=sizes > 0)


def _level(originals: int) -> int:
    return sum(1 for x in REVIEW_LEVELS if originals >= x)


def _separation(probs: np.ndarray, a: list[int], b: list[int]) -> float:
    """How well two groups hold together as one, relative to the looser of the two on its own:
    the mean probability across them over the smaller mean probability within either."""
    def within(g: list[int]) -> float:
        sub = probs[np.ix_(g, g)]
        return float((sub.sum() - np.trace(sub)) / (len(g) * (len(g) - 1)))

    return float(probs[np.ix_(a, b)].mean()) / max(1e-9, min(within(a), within(b)))


def _two_groups(probs: np.ndarray) -> tuple[list[int], list[int]] | None:
    """The top split of average-link clustering over 1 - probability, as two index lists: the two
    clusters the last merge joins (fcluster(..., 2, "maxclust") without its checks; as there, no
    split when the last two merges are equally far, which would make three groups or one)."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    n = len(probs)
    dist = squareform(np.clip(1.0 - probs, 0.0, 1.0), checks=False)
    z = linkage(dist, "average")
    if n > 2 and z[-1, 2] == z[-2, 2]:
        return None
    groups: list[list[int]] = [[i] for i in range(n)]
    for left, right, *_ in z[:-1].tolist():
        groups.append(groups[int(left)] + groups[int(right)])
    left, right = (groups[int(x)] for x in z[-1, :2])
    a, b = (left, right) if 0 in left else (right, left)
    return sorted(a), sorted(b)
