"""The summary scored against two baselines of the same length (`storyline eval summary`).

- lead: each article's first sentence, newest article first, then each one's second sentence, …
- centroid: the sentences closest to the TF-IDF centroid of the story, skipping a sentence too
  close (cosine >= 0.5) to one already taken (a MEAD-style centroid summary).

Both get the words our summary's sentences use (its closing notes on conflicts are not scored), so
the three are compared at equal length. Two scores:
- content: on the editor's fact map, the summed weight of the distinct gold facts the summary's
  sentences state, a fact weighing the number of articles that state it (a pyramid score);
- ROUGE-1 and ROUGE-2 F1 (lower-cased words) against a reference: on the fact map, the earliest
  sentence of every fact that at least half the story's articles state; on the demo, summaries an
  editor wrote from the articles alone (benchmarks/data/demo-summaries.jsonl)."""
from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import numpy as np

from ..model import Article

_WORD = re.compile(r"\w+")


def _grams(text: str, n: int) -> Counter[tuple[str, ...]]:
    toks = [w.lower() for w in _WORD.findall(text)]
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def rouge(candidate: str, reference: str) -> dict[str, float]:
    """ROUGE-1 and ROUGE-2 F1."""
    out = {}
    for n in (1, 2):
        c, r = _grams(candidate, n), _grams(reference, n)
        hit = sum((c & r).values())
        p, rec = hit / max(1, sum(c.values())), hit / max(1, sum(r.values()))
        out[f"rouge{n}"] = 2 * p * rec / (p + rec) if p + rec else 0.0
    return out


Key = tuple[int, int]  # (article, paragraph)


def _units(articles: list[Article]) -> list[tuple[Key, str]]:
    from .nlp import analyse

    return [((s.article, s.para), s.full or s.text) for ss in analyse(articles) for s in ss]


def _fill(order: list[int], units: list[tuple[Key, str]], budget: int) -> list[tuple[Key, str]]:
    out, used, seen = [], 0, set()
    for i in order:
        key, text = units[i]
        if text in seen:
            continue
        n = len(text.split())
        if used + n > budget and out:
            continue
        seen.add(text)
        out.append(units[i])
        used += n
        if used >= budget:
            break
    return out


def lead(articles: list[Article], units: list[tuple[Key, str]], budget: int) -> list[tuple[Key, str]]:
    newest = sorted(range(len(articles)), key=lambda a: articles[a].published_at or "", reverse=True)
    rank = {a: r for r, a in enumerate(newest)}
    position: dict[int, int] = {}
    keyed = []
    for i, ((a, _), _) in enumerate(units):
        position[a] = position.get(a, -1) + 1
        keyed.append((position[a], rank[a], i))
    return _fill([i for _, _, i in sorted(keyed)], units, budget)


def centroid(units: list[tuple[Key, str]], budget: int) -> list[tuple[Key, str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [t for _, t in units]
    m = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    c = np.asarray(m.mean(axis=0)).ravel()
    score = m @ c / (np.linalg.norm(c) or 1.0)
    sim = (m @ m.T).toarray()
    taken: list[int] = []
    for i in np.argsort(-score, kind="stable"):
        if all(sim[i, j] < 0.5 for j in taken):
            taken.append(int(i))
    return _fill(taken, units, budget)


def ours(c: dict[str, Any]) -> list[tuple[Key, str]]:
    """The summary's sentences (not its notes), each with the (article, paragraph) it comes from."""
    where = {e["context"]: (e["source"] - 1, e["paragraph"]) for f in c["facts"] for e in f["evidence"]}
    return [(where[i["text"]], i["text"]) for i in c["summary"] if i["text"] in where]


def _score(picked: list[tuple[Key, str]], reference: str, gold: dict[str, Any] | None) -> dict[str, float]:
    out = rouge(" ".join(t for _, t in picked), reference)
    if gold is not None:
        facts = {g for k, _ in picked for g in gold["of"].get(k, ())}
        out["content"] = float(sum(len({a for a, _ in gold["facts"][g]}) for g in facts))
    return out


def compare_three(articles: list[Article], reference: str, gold: dict[str, Any] | None = None,
                  words: int = 120) -> dict[str, dict[str, float]]:
    from . import compare_articles

    c = compare_articles(articles, words=words)
    mine = ours(c)
    budget = sum(len(t.split()) for _, t in mine) or words
    units = _units(articles)
    return {"storyline": _score(mine, reference, gold), "lead": _score(lead(articles, units, budget), reference, gold),
            "centroid": _score(centroid(units, budget), reference, gold)}


def _total(rows: list[dict[str, dict[str, float]]]) -> dict[str, Any]:
    out: dict[str, Any] = {"stories": len(rows)}
    for system in ("storyline", "lead", "centroid"):
        for metric in rows[0][system] if rows else ():
            vals = [r[system][metric] for r in rows]
            out[f"{system}_{metric}"] = round(float(np.sum(vals) if metric == "content" else np.mean(vals)), 4)
    return out


def eval_factmap_summaries(stories: list[dict[str, Any]], words: int = 120) -> dict[str, Any]:
    """Our summary, lead and centroid on the fact map's stories (see the module's docstring)."""
    from .factmap import _articles, gold_of

    rows = []
    for story in stories:
        gold = gold_of(story)
        n = len(story["articles"])
        central = [min(f) for f in gold["facts"] if len({a for a, _ in f}) * 2 >= n and len({a for a, _ in f}) > 1]
        reference = " ".join(story["lines"][a][k] for a, k in sorted(central))
        rows.append(compare_three(_articles(story), reference, gold, words))
    return _total(rows)


def eval_demo_summaries(store: Any, references: str, words: int = 120) -> dict[str, Any]:
    """Our summary, lead and centroid on the stored stories that an editor summarised (matched by
    title: the file holds `{"title", "summary"}` lines)."""
    refs = {}
    with open(references, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                refs[row["title"]] = row["summary"]
    rows = []
    for s in store.list_stories(min_sources=2, limit=None):
        if s["title"] in refs:
            articles = [m["article"] for m in store.get_story(s["id"])["members"]]
            rows.append(compare_three(articles, refs[s["title"]], None, words))
    return _total(rows)
