"""The story model and the features it reads: the learned decision (logistic regression, fitted on
ECB+ train by tools/fit_story_model.py, shipped in models/story_model.json), an article's vectors
under the stream's IDF, and the eighteen features of an article against a story (`FEATURES`)."""
from __future__ import annotations

import itertools
import json
import math
import operator
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from ..features import ArticleFeatures, index_keys, load_df_prior, packed
from ..packing import ENTS, LEAD, TERMS, TOP
from .hot import HotStory, _tally_keys, _tally_len, kernels

if TYPE_CHECKING:
    from ..features import DocumentFrequencies

FEATURES = ["cos_contrast", "cos_terms", "cos_lead", "cos_ent", "num_overlap", "top_ent_in_story", "story_ent_in_article",
            "year_match", "lead_num", "title_ent_in_story", "top1_in_story", "story_top1_in_article", "lead_max", "log_len", "time_sim", "has_time", "log_size", "same_lang"]
DAY = 86400.0
_LOG2 = math.log1p(1)  # log_size of a one-article story


@dataclass
class StoryModel:
    coef: list[float]
    intercept: float
    threshold: float = 0.5
    linkage: str = "centroid"  # or "average": the mean probability over the story's recent originals
    members: int = 8
    merge_threshold: float = 0.97
    time_scale_days: float = 3.0
    split_threshold: float = 0.0  # a reviewed story splits when its halves hold together less than this (see review)
    split_min_part: int = 3
    #: the semantic cascade (tools/fit_cascade.py): where the lexical probability falls in
    #: [low, high), the semantic tier looks again: sigmoid(coef . [logit p, cosine] + intercept)
    cascade: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: str | None = None) -> StoryModel:
        if path:
            with open(path) as f:
                data = json.load(f)
        else:
            data = json.loads((resources.files("storyline") / "models" / "story_model.json").read_text())
        return cls(coef=data["coef"], intercept=data["intercept"], threshold=data["threshold"],
                   linkage=data.get("linkage", "centroid"), members=data.get("members", 8),
                   merge_threshold=data.get("merge_threshold", 0.97),
                   time_scale_days=data.get("time_scale_days", 3.0),
                   split_threshold=data.get("split_threshold", 0.0), split_min_part=data.get("split_min_part", 3),
                   cascade=data.get("cascade"))

    def probability(self, x: list[float]) -> float:
        z = self.intercept + sum(map(operator.mul, self.coef, x))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class ArticleVectors:
    """An article's packed bags (kernels.py) weighted by the stream's IDF: ids, weights, section
    offsets and norms, its TOP heaviest entities and its headline's entities."""

    f: ArticleFeatures
    ids: np.ndarray
    w: np.ndarray
    off: np.ndarray
    norms: np.ndarray
    top: np.ndarray  # the 5 heaviest entities, ties by first mention (kernels.heaviest)
    title: np.ndarray
    # the keys it is posted and looked up under: its TOP_INDEX_TERMS heaviest terms and 10 heaviest
    # entities, heaviest first, weighed by the shipped prior IDF, not the stream's, so that they
    # depend on the article alone and a story rebuilt later is posted exactly where it was
    top_terms: list[int] = field(default_factory=list)
    top_entities: list[int] = field(default_factory=list)
    _counts: np.ndarray | None = None

    def no_counts(self) -> np.ndarray:
        if self._counts is None:
            self._counts = np.zeros(int(self.off[1] - self.off[0]), dtype=np.int64)
        return self._counts


class ScoringMixin:
    """StoryEngine's scoring: an article's vectors, its features against a story and the model's
    probability. Reads the engine's `model`, `dfs` and `_prior_df`; changes nothing."""

    model: StoryModel
    dfs: DocumentFrequencies
    _prior_df: dict[int, int]
    _prior_n: int

    def vectors(self, f: ArticleFeatures) -> ArticleVectors:
        ids, counts, ranks, off = packed(f)
        w, norms, top = kernels.weigh(ids, counts, ranks, off, *self.dfs.arrays())
        if f.keys is not None and self._prior_df is load_df_prior()[0]:
            terms, ents = f.keys  # computed ahead with the shipped prior, which this engine uses
        else:
            terms, ents = index_keys(f, (self._prior_df, self._prior_n))
        return ArticleVectors(f, ids, w, off, norms, top, np.array(f.title_entities, dtype=np.int64), terms, ents)

    def contrast_counts(self, av: ArticleVectors, cands: list[HotStory]) -> np.ndarray:
        """For each article term (in the order of its packed terms), how many of the competing
        candidate stories contain it."""
        counts = np.zeros(int(av.off[1] - av.off[0]), dtype=np.int64)
        for c in cands:
            kernels.count_shared(av.ids, av.off, c.ids, c.off, counts)
        return counts

    def features(self, f: ArticleFeatures, s: HotStory, av: ArticleVectors | None = None,
                 counts: np.ndarray | None = None) -> list[float]:
        """Features of the article against one story. `counts` (terms shared with the competing
        candidates) lets a term common to two similar stories count less than one only this story has."""
        av = av or self.vectors(f)
        sw, snorms, stop = s.weighed(self.dfs)
        k = kernels.pair_features(av.ids, av.w, av.off, av.norms, av.top, av.title,
                                  av.no_counts() if counts is None else counts, s.ids, sw, s.off, snorms, stop)
        return self._with_lexical(f, s, k.tolist())

    def _with_lexical(self, f: ArticleFeatures, s: HotStory, lexical: list[float]) -> list[float]:
        """The model's features from the kernel's lexical ten and what the story keeps beside its bags."""
        cos_contrast, cos_terms, cos_lead, cos_ent, top_in, story_in, title_in, top1, story_top1, lead_max = lexical
        if f.nums and s.nums:
            num_overlap = len(f.nums.intersection(_tally_keys(s.nums))) / math.sqrt(len(f.nums) * _tally_len(s.nums))
        else:
            num_overlap = 0.0
        year_match = 0.0 if not (f.year and s.year) else (1.0 if f.year == s.year else -1.0)
        if f.lead_nums and s.lead_nums:
            lead_num = -1.0 if f.lead_nums.isdisjoint(_tally_keys(s.lead_nums)) else 1.0
        else:
            lead_num = 0.0
        if f.timestamp is not None and s.last_ts is not None and s.first_ts is not None:
            gap = max(0.0, s.first_ts - f.timestamp, f.timestamp - s.last_ts)
            time_sim, has_time = math.exp(-gap / (self.model.time_scale_days * DAY)), 1.0
        else:
            time_sim, has_time = 0.0, 0.0
        same_lang = 1.0 if (f.language is None or s.language is None or f.language == s.language) else 0.0
        return [cos_contrast, cos_terms, cos_lead, cos_ent, num_overlap,
                top_in, story_in, year_match, lead_num, title_in, top1, story_top1, lead_max, math.log1p(_distinct_terms(f)),
                time_sim, has_time, math.log1p(s.size), same_lang]

    def score(self, f: ArticleFeatures, s: HotStory, av: ArticleVectors, counts: np.ndarray | None = None) -> float:
        """The probability that the article belongs to the story: against its centroid, or the
        mean over its most recent originals (average link, as agglomerative clustering does)."""
        if self.model.linkage == "average" and s.singles:
            return sum(self.model.probability(self.features(f, m, av, counts)) for m in s.singles) / len(s.singles)
        return self.model.probability(self.features(f, s, av, counts))

    def story_probability(self, a: HotStory, b: HotStory) -> float:
        """Probability that two stories are one: the smaller one scored as if it were an article."""
        small, big = sorted([a, b], key=lambda s: s.size)
        f = ArticleFeatures(terms=Counter(small.bag(TERMS)), lead=Counter(small.bag(LEAD)),
                            entities=Counter(small.bag(ENTS)), nums=set(_tally_keys(small.nums)),
                            lead_nums=set(_tally_keys(small.lead_nums)), timestamp=small.last_ts, language=small.language,
                            year=small.year)
        return self.model.probability(self.features(f, big))


def _starts(arrays: list[np.ndarray] | list[bytes]) -> np.ndarray:
    starts = np.zeros(len(arrays) + 1, dtype=np.int64)
    starts[1:] = np.fromiter(itertools.accumulate(map(len, arrays)), dtype=np.int64, count=len(arrays))
    return starts


def _rows(ids: list[np.ndarray], offs: list[np.ndarray],
          weighed: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, ...]:
    """Several packed bags as the kernels take them at once (_weighed_rows). (Concatenated and
    reshaped, not np.stack: half the time on ten stories.)"""
    return _weighed_rows(np.concatenate(ids), _starts(ids), np.concatenate(offs).reshape(len(ids), -1), weighed)


def _weighed_rows(ids: np.ndarray, starts: np.ndarray, offs: np.ndarray,
                  weighed: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, ...]:
    """Rows of bags (ids concatenated, where each row starts, the rows' offsets stacked) with their
    weights concatenated, their norms stacked, and their heaviest entities (padded) with how many each has."""
    n = len(weighed)
    tops = np.zeros((n, TOP), dtype=np.int64)
    n_top = np.empty(n, dtype=np.int64)
    for k, (_, _, top) in enumerate(weighed):
        n_top[k] = m = len(top)
        if m:
            tops[k, :m] = top
    return (ids, np.concatenate([w[0] for w in weighed]), starts, offs,
            np.concatenate([w[1] for w in weighed]).reshape(n, -1), tops, n_top)


def _distinct_terms(f: ArticleFeatures) -> int:
    """How many distinct terms an article has (its packed terms section: the bags may be dropped)."""
    off = packed(f)[3]
    return int(off[TERMS + 1] - off[TERMS])
