"""The comparison of whole stories scored against an editor's fact map (`storyline eval factmap`).

The gold (`benchmarks/data/factmap.jsonl`, guidelines beside it) records, for stories of three or
four real articles, every fact as the set of (article, sentence) that state it, every conflict
with its kind and two sides, and every update. Sentences are the lines of the articles' texts
(ECB+ keeps one sentence a line), so the gold holds ids and indexes only.

What a reader sees is scored:
- fact pairs: of the sentence pairs (of different articles) put in one fact, the share that state
  one gold fact (precision), and of the gold pairs, the share found (recall);
- sentences in which the editor found no fact (headlines, datelines, bylines) are not judged:
  a pair, an agreed fact or a unique fact that needs one is left out of the counts;
- agreed precision: of the facts shown as agreed, the share where one gold fact is stated by a
  sentence of every source credited;
- unique precision: of the facts shown as unique, the share where no other source states any gold
  fact of its sentence (`unique_precision_lenient`: some gold fact of it); a fact of one source that
  is not claimed unique (`unmatched`) is counted apart, with the share that another source does state;
- conflicts: precision and recall, overall and by kind (a conflict found matches a gold conflict
  when its two values' sentences fall on the gold's two sides); updates likewise.

Beside each, a TF-IDF baseline in the same run: sentences joined when their cosine passes the
threshold that gives the baseline our fact-pair recall, agreed/unique read off those groups, and a
conflict wherever two joined sentences give different numbers."""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from ..errors import UnreadableInput
from ..model import Article

Key = tuple[int, int]  # (article index in the story, line)
_NUMBER = re.compile(r"\d[\d,.]*")


def read_factmap(path: str, articles: Iterable[str]) -> list[dict[str, Any]]:
    """The gold stories of `path`, each with its articles' lines from the article files."""
    from .evaluation import read_texts

    texts = {k: row["text"] for k, row in read_texts(articles).items()}
    stories = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            story = json.loads(line)
            missing = [a for a in story["articles"] if a not in texts]
            if missing:
                raise UnreadableInput(f"{path}:{n}", f"article {missing[0]} is in none of the article files")
            story["lines"] = [texts[a].split("\n") for a in story["articles"]]
            stories.append(story)
    return stories


def _keys(story: dict[str, Any], refs: list[list[Any]]) -> set[Key]:
    index = {a: i for i, a in enumerate(story["articles"])}
    return {(index[a], int(line)) for a, line in refs if a in index}


def gold_of(story: dict[str, Any]) -> dict[str, Any]:
    facts = [_keys(story, f) for f in story["facts"]]
    facts = [f for f in facts if f]
    of: dict[Key, list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        for k in f:
            of[k].append(i)
    pairs = {tuple(sorted((x, y))) for f in facts for x, y in combinations(sorted(f), 2) if x[0] != y[0]}
    sides = lambda items: [(c.get("kind", "other"), _keys(story, c["a"]), _keys(story, c["b"]))  # noqa: E731
                           for c in items]
    return {"facts": facts, "of": of, "pairs": pairs, "conflicts": sides(story.get("conflicts", [])),
            "updates": sides(story.get("updates", []))}


def _articles(story: dict[str, Any]) -> list[Article]:
    return [Article(title="", body=lines, id=aid) for aid, lines in zip(story["articles"], story["lines"])]


def predicted(comparison: dict[str, Any]) -> dict[str, Any]:
    """What the comparison shows, as keys: facts (status, keys by source), conflicts and updates
    (kind, the keys of each value)."""
    facts = []
    for f in comparison["facts"]:
        by_source: dict[int, set[Key]] = defaultdict(set)
        for e in f["evidence"]:
            by_source[e["source"] - 1].add((e["source"] - 1, e["paragraph"]))
        facts.append({"status": f["status"], "sources": by_source})
    conflicts, updates = [], []
    for c in comparison["conflicts"]:
        values = [{(s["source"] - 1, s["paragraph"]) for s in cl["sentences"]} for cl in c["claims"]]
        (updates if c["update"] else conflicts).append((c["kind"], values))
    return {"facts": facts, "conflicts": conflicts, "updates": updates}


def _matches(values: list[set[Key]], a: set[Key], b: set[Key]) -> bool:
    return any((x & a and y & b) or (x & b and y & a) for x, y in combinations(values, 2))


def score(pred: dict[str, Any], gold: dict[str, Any]) -> Counter[str]:
    t: Counter[str] = Counter()
    of, facts = gold["of"], gold["facts"]
    pairs = set()
    for f in pred["facts"]:
        keys = sorted(k for k in set().union(*f["sources"].values()) if k in of)  # headlines, datelines: not judged
        pairs |= {(x, y) for x, y in combinations(keys, 2) if x[0] != y[0]}
    t["pairs"] += len(pairs)
    t["pairs_correct"] += len(pairs & gold["pairs"])
    t["gold_pairs"] += len(gold["pairs"])
    partnered = {k for p in gold["pairs"] for k in p}
    t["sentences_with_partner"] += len(partnered)
    t["sentences_found"] += len({k for p in pairs & gold["pairs"] for k in p})
    for f in pred["facts"]:
        if f["status"] == "agreed":
            per_source = [{g for k in keys for g in of.get(k, ())} for keys in f["sources"].values()]
            if not all(per_source):
                continue  # a source's sentence the editor found no fact in (a headline): not judged
            t["agreed"] += 1
            t["agreed_correct"] += bool(set.intersection(*per_source))
        elif f["status"] in ("unique", "unmatched"):
            if len(f["sources"]) != 1:
                continue
            ((src, keys),) = f["sources"].items()
            stated = [g for k in keys for g in of.get(k, ())]
            if not stated:
                continue  # a sentence the editor found no fact in: not judged
            elsewhere = [any(k[0] != src for k in facts[g]) for g in stated]
            if f["status"] == "unmatched":  # not claimed unique: how often another source does state it
                t["unmatched"] += 1
                t["unmatched_elsewhere"] += any(elsewhere)
                continue
            t["unique"] += 1
            t["unique_correct"] += not any(elsewhere)
            t["unique_correct_lenient"] += not all(elsewhere)
    for name in ("conflicts", "updates"):
        gold_items = gold[name]
        found = set()
        for kind, values in pred[name]:
            t[f"{name}"] += 1
            t[f"{name}:{kind}"] += 1
            hit = [i for i, (_, a, b) in enumerate(gold_items) if _matches(values, a, b)]
            t[f"{name}_correct"] += bool(hit)
            t[f"{name}_correct:{kind}"] += bool(hit)
            found |= set(hit)
        t[f"gold_{name}"] += len(gold_items)
        t[f"gold_{name}_found"] += len(found)
        for i, (kind, _, _) in enumerate(gold_items):
            t[f"gold_{name}:{kind}"] += 1
            t[f"gold_{name}_found:{kind}"] += i in found
    return t


def tfidf_baseline(story: dict[str, Any], threshold: float) -> dict[str, Any]:
    """Facts by TF-IDF cosine alone: sentences of different articles joined (single link) when
    their cosine is at least `threshold`; a conflict where two joined sentences give different
    numbers."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    keys = [(a, i) for a, lines in enumerate(story["lines"]) for i, line in enumerate(lines) if line.strip()]
    texts = [story["lines"][a][i] for a, i in keys]
    if len(keys) < 2:
        return {"facts": [], "conflicts": [], "updates": []}
    m = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    sim = (m @ m.T).toarray()
    parent = list(range(len(keys)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    joined = []
    for x, y in combinations(range(len(keys)), 2):
        if keys[x][0] != keys[y][0] and sim[x, y] >= threshold:
            parent[root(x)] = root(y)
            joined.append((x, y))
    groups: dict[int, list[int]] = defaultdict(list)
    for x in range(len(keys)):
        groups[root(x)].append(x)
    facts = []
    for members in groups.values():
        by_source: dict[int, set[Key]] = defaultdict(set)
        for x in members:
            by_source[keys[x][0]].add(keys[x])
        facts.append({"status": "agreed" if len(by_source) > 1 else "unique", "sources": by_source})
    conflicts = []
    for x, y in joined:
        nx, ny = set(_NUMBER.findall(texts[x])), set(_NUMBER.findall(texts[y]))
        if nx and ny and not nx & ny:
            conflicts.append(("number", [{keys[x]}, {keys[y]}]))
    return {"facts": facts, "conflicts": conflicts, "updates": []}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def summarise_counts(t: Counter[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "fact_pair_precision": _ratio(t["pairs_correct"], t["pairs"]),
        "fact_pair_recall": _ratio(t["pairs_correct"], t["gold_pairs"]),
        "sentence_recall": _ratio(t["sentences_found"], t["sentences_with_partner"]),
        "agreed_precision": _ratio(t["agreed_correct"], t["agreed"]),
        "unique_precision": _ratio(t["unique_correct"], t["unique"]),
        "unique_precision_lenient": _ratio(t["unique_correct_lenient"], t["unique"]),
        "unmatched_stated_elsewhere": _ratio(t["unmatched_elsewhere"], t["unmatched"]),
        "conflict_precision": _ratio(t["conflicts_correct"], t["conflicts"]),
        "conflict_recall": _ratio(t["gold_conflicts_found"], t["gold_conflicts"]),
        "update_precision": _ratio(t["updates_correct"], t["updates"]),
        "update_recall": _ratio(t["gold_updates_found"], t["gold_updates"]),
        "pairs": t["pairs"], "agreed": t["agreed"], "unique": t["unique"],
        "unmatched": t["unmatched"], "conflicts": t["conflicts"],
        "updates": t["updates"], "gold_pairs": t["gold_pairs"], "gold_conflicts": t["gold_conflicts"],
        "gold_updates": t["gold_updates"],
    }
    kinds = sorted({k.split(":", 1)[1] for k in t if k.startswith(("conflicts:", "gold_conflicts:"))})
    for kind in kinds:
        out[f"conflict_precision:{kind}"] = _ratio(t[f"conflicts_correct:{kind}"], t[f"conflicts:{kind}"])
        out[f"conflict_recall:{kind}"] = _ratio(t[f"gold_conflicts_found:{kind}"], t[f"gold_conflicts:{kind}"])
    return out


def eval_factmap(path: str, articles: Iterable[str], half: str = "all", words: int = 120,
                 stories: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Our comparison and the TF-IDF baseline on the gold stories of `half` (fit, check or all)."""
    from . import compare_articles

    stories = stories if stories is not None else read_factmap(path, articles)
    stories = [s for s in stories if half == "all" or s.get("half") == half]
    ours: Counter[str] = Counter()
    golds = []
    for story in stories:
        gold = gold_of(story)
        golds.append((story, gold))
        ours.update(score(predicted(compare_articles(_articles(story), words=words)), gold))
    result: dict[str, Any] = {"stories": len(stories), "articles": sum(len(s["articles"]) for s in stories),
                              "gold_facts": sum(len(g["facts"]) for _, g in golds)}
    mine = summarise_counts(ours)
    # the baseline's threshold: the highest cosine whose fact-pair recall reaches ours
    target = mine["fact_pair_recall"] or 0.0
    best = None
    for threshold in [x / 100 for x in range(95, 4, -5)]:
        base: Counter[str] = Counter()
        for story, gold in golds:
            base.update(score(tfidf_baseline(story, threshold), gold))
        scores = summarise_counts(base)
        best = (threshold, scores)
        if (scores["fact_pair_recall"] or 0.0) >= target:
            break
    result.update(mine)
    if best is not None:
        result["tfidf_threshold"] = best[0]
        result.update({f"tfidf_{k}": v for k, v in best[1].items() if not k.startswith(("gold_", "pairs"))
                       and ":" not in k})
    return result
