"""Cross-lingual linking and the semantic cascade (with the semantic tier installed): an article
with no home among the stories of its own words may join a story told in another language, and an
uncertain lexical decision is looked at again through the embeddings of headlines and leads."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..features import ArticleFeatures
from ..model import Article
from .hot import HotStory, _most_common

if TYPE_CHECKING:
    from .model import StoryModel

#: the embedding cosine from which an article joins a story in another language: on ECB+ train,
#: lead embeddings this close are the same story 94% of the time (recall 31%), precision first
CROSS_LINGUAL_THRESHOLD = 0.75


class CrossLingualMixin:
    """StoryEngine's look across languages. Owns `_by_language` (main language -> story ids),
    `_identified`, and the counters `embedded` and `cascaded`."""

    model: StoryModel
    stories: dict[str, HotStory]
    _by_language: dict[str, set[str]]
    _identified: tuple[str, str | None] | None
    embedded: int
    cascaded: int

    def _cascade(self, article: Article, f: ArticleFeatures,
                 scored: list[tuple[float, int, HotStory]]) -> list[tuple[float, int, HotStory]]:
        """Where the lexical decision is uncertain, meaning looks again: the top candidates whose
        probability falls in the cascade's band are rescored with the embedding cosine of the
        article's headline and lead and the story founder's (same-language stories only)."""
        c = self.model.cascade
        assert c is not None
        band = [k for k, (p, _, s) in enumerate(scored[:3]) if c["low"] <= p < c["high"] and s.emb_text
                and (not f.language or not s.languages or _most_common(s.languages) == f.language)]
        if not band:
            return scored
        from ..semantic import embed_texts, lead_text

        todo = [scored[k][2] for k in band if scored[k][2].emb is None]
        if todo:
            for s, v in zip(todo, embed_texts([s.lead() for s in todo])):  # type: ignore[misc]
                s.emb = v
        e = embed_texts([lead_text(article)])[0]
        self.cascaded += 1
        out = list(scored)
        for k in band:
            p, first, s = out[k]
            logit = math.log(max(p, 1e-6) / max(1 - p, 1e-6))
            z = c["coef"][0] * logit + c["coef"][1] * float(s.emb @ e) + c["intercept"]  # type: ignore[operator]
            out[k] = (1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), first, s)
        out.sort(key=lambda x: (-x[0], x[1], x[2].id))
        return out

    def _other_language(self, article: Article, f: ArticleFeatures) -> tuple[HotStory, float] | None:
        """An article with no home among the stories of its own words may belong to a story told in
        another language: the story whose founding article's headline and lead is closest in
        meaning, if at least CROSS_LINGUAL_THRESHOLD close and inside the window. Only stories in
        another language are looked at, so same-language decisions never change."""
        from ..language import sure_language

        if not f.language or not self._told_in(f.language, first=True):
            return None  # in a stream of one language there is nothing to look at, nor to identify
        lang = f.sure[0] if f.sure is not None else sure_language(article.full_text)
        self._identified = (article.id, lang)  # the founder's language, if it founds a story (_update)
        if lang is None:
            return None  # a language guessed at is no ground for linking across languages
        others = [s for s in self._told_in(f.language) if self.in_window(s, f.timestamp)
                  and (sure := s.founder_language()) and sure != lang]
        if not others:
            return None
        from ..semantic import embed_texts, lead_text

        todo = [s for s in others if s.emb is None]
        if todo:  # a pure function of each founder's lead: the same whenever it is computed
            for s, v in zip(todo, embed_texts([s.lead() for s in todo])):  # type: ignore[misc]
                s.emb = v
            self.embedded += len(todo)
        e = embed_texts([lead_text(article)])[0]
        self.embedded += 1
        sims = np.stack([s.emb for s in others]) @ e
        k = int(np.argmax(sims))
        return (others[k], float(sims[k])) if sims[k] >= CROSS_LINGUAL_THRESHOLD else None

    def _told_in(self, language: str, first: bool = False) -> list[HotStory]:
        """The hot stories a cross-lingual link may reach (a founder with a language and a lead)
        whose main language is not `language`, oldest first (only the first one found, with `first`).
        Read off `_by_language`, whose stale entries (stories gone or now in another language) are
        dropped as they are met."""
        out = []
        stories = self.stories
        for lang, ids in self._by_language.items():
            if lang == language:
                continue
            stale = []
            for sid in ids:
                s = stories.get(sid)
                # a founder whose language was identified without confidence is never linked across
                # languages (founder_language() is None for good): dropped, not walked past each time
                if s is None or s.language != lang or (s._sure is not None and s._sure[0] is None):
                    stale.append(sid)
                elif s.emb_text and (s.lang_sample or s._sure):
                    out.append(s)
                    if first:
                        break
            ids.difference_update(stale)
            if first and out:
                return out
        return sorted(out, key=lambda s: (s.first_seq, s.id))
