"""Streaming story assignment: each article joins the best hot story or starts a new one.

Scoring is a learned decision (logistic regression, fitted on ECB+ train by
tools/fit_story_model.py and shipped in models/story_model.json) over cheap features of the
article against a story: TF-IDF cosine of the whole text and of title+lead with stream-updated
IDF, entity-candidate cosine, shared numbers, publication-time proximity, size and language.
A story that has grown is reviewed (`StoryEngine.review`) and split when its originals form two
events. Story ids come from the founding article, so they are stable; a merge keeps the older id
and a split leaves the founding article's half under it.

This module is the package's face: the rest of storyline imports from here only. The parts:

- `hot`: the hot story (`HotStory`), its packed bags, tallies and voices, story ids;
- `model`: the learned model (`StoryModel`), an article's vectors and its `FEATURES` against a story;
- `index`: the keys a story is posted under, the postings, the candidates of an article;
- `assign`: the decision for each article (`StoryEngine.add`), a story's update, merges;
- `review`: a grown story looked at again and split in two;
- `memory`: eviction, cooling of cached weights, stories rebuilt from the store;
- `archive`: what is kept of evicted stories, and the link of a new story to the one it continues;
- `crosslingual`: links across languages and the semantic cascade;
- `engine`: `StoryEngine`, the state those parts share; `warmup`: the kernels compiled ahead;
- `drivers`: over a list (`cluster_articles`); `streaming`: over a store (`cluster_store`) and as
  an ingest goes (`StreamingClusterer`).
"""
from __future__ import annotations

from ..model import resolve_merged
from .archive import ARCHIVE_MAX, LINK_AT, ArchivedStory
from .assign import Assignment
from .crosslingual import CROSS_LINGUAL_THRESHOLD
from .drivers import MemberLog, cluster_articles, stream_order
from .engine import StoryEngine
from .hot import (
    CENTROID_TERMS,
    LEAD_VECTORS,
    TALLY_AS_TUPLE,
    VOICES_AS_TUPLE,
    HotStory,
    Member,
    Tally,
    story_id_for,
)
from .index import FULL_SCORE, MAX_CANDIDATES, MAX_POSTING, TOP_QUERY_TERMS
from .memory import COOL_EVERY, IDLE_WEIGHTS, CollectBetweenChunks
from .model import DAY, FEATURES, ArticleVectors, StoryModel
from .review import REVIEW_LEVELS, REVIEW_MAX
from .streaming import AHEAD_MIN, BLOCK, StreamingClusterer, blocks_of, cluster_store, warm
from .warmup import warm_up

__all__ = [
    "AHEAD_MIN", "ARCHIVE_MAX", "BLOCK", "CENTROID_TERMS", "COOL_EVERY", "CROSS_LINGUAL_THRESHOLD", "DAY", "FEATURES", "FULL_SCORE",
    "IDLE_WEIGHTS", "LEAD_VECTORS", "LINK_AT", "MAX_CANDIDATES", "MAX_POSTING", "REVIEW_LEVELS", "REVIEW_MAX", "TALLY_AS_TUPLE",
    "TOP_QUERY_TERMS", "VOICES_AS_TUPLE", "ArchivedStory", "ArticleVectors", "Assignment", "CollectBetweenChunks", "HotStory", "Member", "MemberLog",
    "StoryEngine", "StoryModel", "StreamingClusterer", "Tally", "blocks_of", "cluster_articles", "cluster_store",
    "resolve_merged", "story_id_for", "stream_order", "warm", "warm_up",
]
