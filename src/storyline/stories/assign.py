"""Assignment: an article joins the best candidate story, is a copy of one of its originals, links
across languages, or founds a story; a story it shows to be one with another merges into the
older. What an assignment records (`Assignment`) and how a story takes an article in (`_update`)."""
from __future__ import annotations

import sys
import zlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from ..dedup import _CHANCE, signature, wire_credit
from ..features import ArticleFeatures, featurize, packed
from ..model import Article, resolve_merged, voice
from ..packing import TERMS
from .archive import LINK_AT
from .hot import (
    CENTROID_TERMS,
    LEAD_VECTORS,
    SINGLE,
    HotStory,
    Member,
    _counted,
    _most_common,
    _tally_items,
    _tally_merged,
    _with_voices,
    kernels,
    story_id_for,
)
from .index import FULL_SCORE
from .memory import COOL_EVERY
from .model import ArticleVectors, _starts, _weighed_rows

if TYPE_CHECKING:
    from ..dedup import DedupConfig
    from .model import StoryModel

_NO_MERGES: Mapping[str, str] = MappingProxyType({})


@dataclass(slots=True)
class Assignment:
    article_id: str
    story_id: str
    seq: int
    score: float
    duplicate_of: str | None = None
    wire: str | None = None
    #: stories this article's arrival merged, {gone id: kept id}: a shared empty mapping until one
    #: does (most never do; an empty dict each was a third of an assignment's memory)
    merged: Mapping[str, str] = field(default_factory=lambda: _NO_MERGES)
    step: int = 0

    def row(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "story_id": self.story_id, "duplicate_of": self.duplicate_of,
                "wire": self.wire, "score": round(self.score, 4), "seq": self.seq, "step": self.step}


#: an article shares only a name with a story when their whole-text terms' cosine is under
#: NAMES_ALONE_COSINE and the story holds at most NAMES_ALONE_SHARE of the article's TOP heaviest
#: names (one of five), that one being its heaviest (see AssignMixin._joinable)
NAMES_ALONE_COSINE = 0.2
NAMES_ALONE_SHARE = 0.2


class AssignMixin:
    """StoryEngine's decision for each article (`add`), the story's update, and merges. Reads and
    writes the engine's `stories`, `merged`, `seq`, `step` and `now_ts`."""

    model: StoryModel
    dedup: DedupConfig
    stories: dict[str, HotStory]
    merged: dict[str, str]
    seq: int
    step: int
    now_ts: float | None
    semantic: bool
    auto_evict: bool
    _since_evict: int
    _by_language: dict[str, set[str]]
    _identified: tuple[str, str | None] | None
    linked_across: int
    names_refused: int
    #: ids of the candidates of the current article that share only a name with it (see _joinable)
    _names_only: set[str]
    links: dict[str, str]
    look_back: Callable[[HotStory], str | None]  # archive.ArchiveMixin
    carry_link: Callable[[HotStory, HotStory], None]

    def add(self, article: Article, seq: int | None = None, features: ArticleFeatures | None = None) -> Assignment:
        self.seq = seq if seq is not None else self.seq + 1
        self.step += 1
        f = features or featurize(article)
        if f.timestamp is not None:
            if self.now_ts is not None and f.timestamp < self.now_ts:
                self.load_cold(f.timestamp)  # a late article: stories around its date may have left memory
            self.now_ts = f.timestamp if self.now_ts is None else max(self.now_ts, f.timestamp)
        ids, _, _, off = packed(f)  # the bags as the worker packed them (prepared features carry no dicts)
        self.dfs.add(ids[off[TERMS]:off[TERMS + 1]].tolist())
        av = self.vectors(f)
        scored = self._scored(f, av)
        if self.semantic and self.model.cascade and scored:
            scored = self._cascade(article, f, scored)
        sig = f.signature if f.signature is not None else signature(f.shingles)
        dup_of, dup_story = self._find_copy(sig, [s for _, _, s in scored[:3]])
        wire = f.credit[0] if f.credit is not None else wire_credit(article.body)
        across = None
        if dup_story is not None:
            story, score = dup_story, next(p for p, _, s in scored if s is dup_story)
        elif scored and (joined := self._joinable(scored)) is not None:
            score, _, story = joined
        elif self.semantic and (across := self._other_language(article, f)) is not None:
            story, score = across
            self.linked_across += 1
        else:
            score = scored[0][0] if scored else 0.0
            story = HotStory(id=story_id_for(article.id), first_seq=self.seq)
            self.stories[story.id] = story
        assignment = Assignment(article.id, story.id, self.seq, score, dup_of, wire, step=self.step)
        self._update(story, article, f, sig, dup_of, wire, av)
        # two stories that turn out to be one merge, keeping the older id (a probability never
        # reaches a merge threshold above 1: merging is then off, and not paid for)
        for p, _, other in scored[:4] if self.model.merge_threshold <= 1.0 else ():
            if other is story or other.id not in self.stories or story.id not in self.stories:
                continue
            if p >= 0.5 * self.model.threshold and self.story_probability(story, other) >= self.model.merge_threshold:
                keep, gone = sorted([story, other], key=lambda s: s.first_seq)
                self._merge(keep, gone)
                assignment.merged = {**assignment.merged, gone.id: keep.id}
                story = keep
                assignment.story_id = keep.id
        if dup_of is None and len(story.originals) == LINK_AT and story.id not in self.links:
            self.look_back(story)  # a new story's third original: does it continue an evicted one?
        self._since_evict += 1
        if self.auto_evict and self._since_evict >= 1000:
            self.evict()
        elif self._since_evict % COOL_EVERY == 0:
            self._cool()
        return assignment

    def _scored(self, f: ArticleFeatures, av: ArticleVectors) -> list[tuple[float, int, HotStory]]:
        """(probability, first seq, story) for the shortlisted candidates, most probable first: what
        shortlist, contrast_counts and score do one story at a time, in one kernel call."""
        cands = self.candidates(av)
        if not cands:
            return []
        if self.model.linkage == "average":
            short = self.shortlist(av) if len(cands) > FULL_SCORE else cands
            counts = self.contrast_counts(av, short)
            scored = [(self.score(f, s, av, counts), s.first_seq, s) for s in short]
        else:
            packs = [s.pack for s in cands]
            rows = _weighed_rows(*kernels.pack_rows(b"".join(packs), _starts(packs)), [s.weighed(self.dfs, self._warm) for s in cands])
            kept, lexical = kernels.shortlist_features(av.ids, av.w, av.off, av.norms, av.top, av.title, *rows,
                                                       FULL_SCORE)
            probability = self.model.probability
            scored = []
            names_only = self._names_only
            names_only.clear()
            for j, x in zip(kept.tolist(), lexical.tolist()):
                s = cands[j]
                scored.append((probability(self._with_lexical(f, s, x)), s.first_seq, s))
                # cos_terms low, one at most of its heaviest names in the story, and that one its heaviest
                if x[1] < NAMES_ALONE_COSINE and x[4] <= NAMES_ALONE_SHARE and x[7]:
                    names_only.add(s.id)
        scored.sort(key=lambda x: (-x[0], x[1], x[2].id))
        return scored

    def _joinable(self, scored: list[tuple[float, int, HotStory]]) -> tuple[float, int, HotStory] | None:
        """The most probable candidate over the threshold that shares more with the article than one
        name: a story whose words the article barely shares (cos_terms under NAMES_ALONE_COSINE)
        and which holds, of the article's five heaviest names, only its heaviest, is not joined,
        however probable the entity features make it. A town's name is in every local story of
        that town: on its own it does not make a harbour vote, new bike lanes and a ferry strike
        one story. (Read off the lexical features of the centroid linkage, the shipped model's. On
        20,000 generated articles every join this refuses was a wrong one (BCubed F1 0.9594 ->
        0.9603); it refuses none on ECB+ dev and one on ECB+ train, to a story of two articles, one
        of each of the two events of a topic, the second of them of the article's own event: F1
        0.9316 -> 0.9251 there.)"""
        threshold, names_only = self.model.threshold, self._names_only
        for x in scored:
            if x[0] < threshold:
                return None
            if x[2].id not in names_only:
                return x
            self.names_refused += 1
        return None

    def _find_copy(self, sig: np.ndarray, stories: list[HotStory]) -> tuple[str | None, HotStory | None]:
        best, best_j, best_story = None, self.dedup.threshold, None
        for s in stories:
            if not len(s.originals):
                continue
            i, j = kernels.closest_in_pack(sig, s.pack, _CHANCE)
            if j >= best_j and (best is None or j > best_j):
                best, best_j, best_story = s.originals[i], j, s
        return best, best_story

    def _update(self, s: HotStory, a: Article, f: ArticleFeatures, sig: np.ndarray, dup_of: str | None,
                wire: str | None, av: ArticleVectors | None = None) -> None:
        s.size += 1
        s.last_seq = self.seq
        s.last_step = self.step
        if a.source:
            s.outlets = _counted(s.outlets, sys.intern(a.source))
        if f.language:
            s.languages = _counted(s.languages, sys.intern(f.language))
            s.language = _most_common(s.languages)
            if self.semantic and s.id != SINGLE:
                self._by_language.setdefault(s.language, set()).add(s.id)
        if a.published_at:
            s.first_at = min(s.first_at or a.published_at, a.published_at)
            s.last_at = max(s.last_at or a.published_at, a.published_at)
        if f.timestamp is not None:
            s.first_ts = f.timestamp if s.first_ts is None else min(s.first_ts, f.timestamp)
            s.last_ts = f.timestamp if s.last_ts is None else max(s.last_ts, f.timestamp)
        if dup_of is not None:  # a copy adds no independent report and no new words to the story
            if s.handle:
                self._sync(s)
            return
        if self.semantic and s.emb_text is None and s.id != SINGLE:
            from ..language import CONFIDENCE_SAMPLE
            from ..semantic import lead_text

            # embedded only when asked (an uncertain decision, an article in another language); a
            # founder whose language is only guessed at is never matched across languages
            s.emb_text = zlib.compress(lead_text(a).encode(), 1)
            if a.language and f.sure is not None:
                s._sure = f.sure  # identified ahead, in the worker process
            elif a.language and self._identified is not None and self._identified[0] == a.id:
                s._sure = (self._identified[1],)  # identified on the same sample already (_other_language)
            else:
                s.lang_sample = a.full_text[:CONFIDENCE_SAMPLE] if a.language else None
        # one string per voice, not one per story
        v = sys.intern(voice(a.id, a.source, wire))
        if v not in s.independent:
            s.independent = _with_voices(s.independent, (v,))
        s.originals.append(a.id)
        # copied out of numba's allocation (which carries a header and a Python object of its own)
        s.pack = kernels.grow_pack(s.pack, s.n_leads, *packed(f), sig, 2 * CENTROID_TERMS, CENTROID_TERMS,
                                   s.n_leads < LEAD_VECTORS).tobytes()
        s.n_leads = min(LEAD_VECTORS, s.n_leads + 1)
        s._w = None
        # each number one string for all the stories that hold it (years and round figures recur)
        if f.nums:
            s.nums = _tally_merged(s.nums, ((sys.intern(x), 1) for x in f.nums))
            if type(s.nums) is Counter and len(s.nums) > 100:
                s.nums = Counter(dict(s.nums.most_common(50)))
        if f.lead_nums:
            s.lead_nums = _tally_merged(s.lead_nums, ((sys.intern(x), 1) for x in f.lead_nums))
            if type(s.lead_nums) is Counter and len(s.lead_nums) > 40:
                s.lead_nums = Counter(dict(s.lead_nums.most_common(20)))
        if f.year:
            s.years = _counted(s.years, f.year)
            s.year = _most_common(s.years)
        if self.model.linkage == "average" and s.id != SINGLE:
            s.singles = (*s.singles, self.one_article_story(a, f, sig, wire, av))[-self.model.members:]
        if len(s.titles) < 4 and a.title:
            s.titles.append(a.title)
        if s.id != SINGLE:
            self._index(s, av or self.vectors(f))

    def one_article_story(self, a: Article, f: ArticleFeatures, sig: np.ndarray | None = None,
                          wire: str | None = None, av: ArticleVectors | None = None) -> HotStory:
        """A story made of one article, to score another article against it; it is neither kept
        among the hot stories nor posted in the index."""
        one = HotStory(id=SINGLE, first_seq=self.seq)
        self._update(one, a, f, np.zeros(0, dtype=np.uint8) if sig is None else sig, None, wire, av)
        return one

    def _merge(self, keep: HotStory, gone: HotStory) -> None:
        keep.pack = kernels.combine_packs(keep.pack, keep.n_leads, gone.pack, gone.n_leads, LEAD_VECTORS).tobytes()
        keep.n_leads = min(LEAD_VECTORS, keep.n_leads + gone.n_leads)
        keep._w = None
        keep.nums = _tally_merged(keep.nums, _tally_items(gone.nums))
        keep.lead_nums = _tally_merged(keep.lead_nums, _tally_items(gone.lead_nums))
        keep.size += gone.size
        keep.outlets = _tally_merged(keep.outlets, _tally_items(gone.outlets))
        keep.languages = _tally_merged(keep.languages, _tally_items(gone.languages))
        keep.independent = _with_voices(keep.independent, gone.independent)
        keep.originals += gone.originals
        keep.titles = (keep.titles + gone.titles)[:8]
        keep.singles = (*keep.singles, *gone.singles)[-self.model.members:]
        keep.years = _tally_merged(keep.years, _tally_items(gone.years))
        keep.year = _most_common(keep.years) if keep.years else None
        keep.language = _most_common(keep.languages) if keep.languages else None
        if self.semantic and keep.language:
            self._by_language.setdefault(keep.language, set()).add(keep.id)
        if keep.emb_text is None:
            keep.emb_text, keep.emb, keep.lang_sample, keep._sure = gone.emb_text, gone.emb, gone.lang_sample, gone._sure
        for attr, pick in (("first_ts", min), ("last_ts", max), ("first_at", min), ("last_at", max)):
            vals = [v for v in (getattr(keep, attr), getattr(gone, attr)) if v is not None]
            setattr(keep, attr, pick(vals) if vals else None)
        if gone.last_step > keep.last_step:
            keep.last_seq, keep.last_step = gone.last_seq, gone.last_step
        del self.stories[gone.id]
        self._unpost(gone)
        self.carry_link(keep, gone)
        self.merged[gone.id] = keep.id
        # posted where its members were, as a story rebuilt from all of them is
        self._post(keep, gone.posted_keys())

    def settle_merged(self, merged: dict[str, str], members_of: Callable[[str], list[Member]]) -> None:
        """After a chunk: each story that took others in is rebuilt from its members in processing
        order, so it is exactly what an engine resumed from the store would hold (the live merge
        above keeps the bags' union, not the capped bags the members build one by one)."""
        for sid in sorted({resolve_merged(self.merged, g) for g in merged}):
            s = self.stories.get(sid)
            if s is None:
                continue
            self._unpost(s)
            self.stories[sid] = self.rebuild(sid, members_of(sid))
