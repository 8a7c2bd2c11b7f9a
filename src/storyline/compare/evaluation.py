"""Fact alignment measured against ECB+ cross-document event coreference.

Two sentences of different articles state the same fact when they share an event that is not one
of the story's main events (one that half or more of the story's articles mention). On the
annotated sentences: pair precision (of the sentence pairs put in one fact, the share that state
the same fact), sentence recall (of the sentences with a partner, the share aligned with one),
and their F1. Sentences the corpus did not annotate are unknown, not negatives, so pairs that
touch one are not counted."""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import UnreadableInput
from ..model import Article
from .align import Fact, align
from .nlp import Sentence, analyse

Aligner = Callable[[list[Sentence]], list[Fact]]
Key = tuple[int, int]  # (article, line)


def read_texts(paths: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The articles of JSONL files (id, text one sentence a line, ...) by id."""
    texts: dict[str, dict[str, Any]] = {}
    for name in paths:
        with open(name, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    texts[row["id"]] = row
    return texts


def read_alignment(path: str, articles_path: str | None = None) -> list[dict[str, Any]]:
    """Stories of an alignment file, each with its articles' full texts attached."""
    if articles_path is None:
        folder, name = os.path.split(path)
        articles_path = os.path.join(folder, name.replace("alignment-", "", 1))
    if not os.path.exists(articles_path):
        raise UnreadableInput(path, f"the articles' texts are not at {articles_path} (give --articles)")
    texts = read_texts([articles_path])
    stories = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            story = json.loads(line)
            for d in story["documents"]:
                if d["id"] not in texts:
                    raise UnreadableInput(f"{path}:{n}", f"article {d['id']} is not in {articles_path}")
                d["text"] = texts[d["id"]]["text"]
            stories.append(story)
    return stories


def gold_of(story: dict[str, Any]) -> tuple[dict[Key, set[str]], set[str]]:
    """The sentences measured (those with an event that is not a main one), their non-main
    events, and the story's main events."""
    docs = story["documents"]
    mentions: Counter[str] = Counter()
    for d in docs:
        mentions.update({e for s in d["sentences"] for e in s["events"]})
    main = {e for e, n in mentions.items() if n >= len(docs) / 2}
    events = {(a, s["line"]): set(s["events"]) - main for a, d in enumerate(docs) for s in d["sentences"]}
    return {k: v for k, v in events.items() if v}, main


def story_sentences(story: dict[str, Any]) -> list[Sentence]:
    """Every line of every article of the story, analysed as `compare` does; `para` is the line."""
    arts = [Article(title="", body=d["text"].split("\n"), id=d["id"]) for d in story["documents"]]
    return [s for ss in analyse(arts) for s in ss]


def predicted_pairs(facts: Iterable[Fact]) -> set[tuple[Key, Key]]:
    out = set()
    for f in facts:
        keys = sorted({(s.article, s.para) for s in f.members})
        for x in range(len(keys)):
            for y in range(x + 1, len(keys)):
                if keys[x][0] != keys[y][0]:
                    out.add((keys[x], keys[y]))
    return out


def score_story(pairs: set[tuple[Key, Key]], events: dict[Key, set[str]]) -> dict[str, int]:
    judged = [(a, b) for a, b in pairs if a in events and b in events]
    correct = sum(bool(events[a] & events[b]) for a, b in judged)
    partners: dict[Key, set[Key]] = {k: {o for o in events if o[0] != k[0] and events[k] & events[o]} for k in events}
    with_partner = {k for k, p in partners.items() if p}
    found = set()
    for a, b in pairs:
        if b in partners.get(a, ()):
            found |= {a, b}
    return {"pairs": len(judged), "correct": correct, "with_partner": len(with_partner),
            "found": len(found & with_partner)}


def eval_alignment(path: str, articles_path: str | None = None, aligner: Aligner | None = None,
                   stories: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Pair precision, sentence recall and F1 of an aligner (ours by default) over every story."""
    aligner = aligner or (lambda sents: align(sents)[0])
    stories = stories if stories is not None else read_alignment(path, articles_path)
    total = Counter()  # type: ignore[var-annotated]
    for story in stories:
        events, _ = gold_of(story)
        total.update(score_story(predicted_pairs(aligner(story_sentences(story))), events))
    return alignment_scores(total, len(stories))


def alignment_scores(total: Counter[str], stories: int) -> dict[str, Any]:
    p = total["correct"] / total["pairs"] if total["pairs"] else 0.0
    r = total["found"] / total["with_partner"] if total["with_partner"] else 0.0
    return {"stories": stories, "pair_precision": p, "sentence_recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0, "pairs": total["pairs"],
            "sentences_with_partner": total["with_partner"]}


def eval_citations(path: str, words: int = 120) -> dict[str, Any]:
    """Citation support of the summary on gold stories (a JSONL of articles with a `story` field):
    for every summary sentence and each source it cites, does a sentence of that source hold the
    sentence's numbers, its names and most of its content words? Beside it, the same share had
    every source of the sentence's fact been cited (what the summary did before it checked)."""
    from ..evaluate import article_from_labelled, read_jsonl
    from . import compare_articles
    from .support import citation_support, sentences_by_source

    stories: dict[str, list[Article]] = {}
    for row in read_jsonl(path):
        stories.setdefault(str(row.get("story")), []).append(article_from_labelled(row))
    ours = [0, 0]
    all_sources = [0, 0]
    multi = sentences = 0
    for arts in stories.values():
        if len(arts) < 2:
            continue
        c = compare_articles(arts, words=words)
        own = sentences_by_source(c)
        summary = [i for i in c["summary"] if i["fact"] and not i["text"].startswith(("Sources differ", "A figure"))]
        facts = {f["id"]: f for f in c["facts"]}
        for acc, items in ((ours, summary),
                           (all_sources, [dict(i, sources=facts[i["fact"]]["sources"]) for i in summary])):
            s, n = citation_support(items, own)
            acc[0] += s
            acc[1] += n
        multi += sum(len(i["sources"]) > 1 for i in summary)
        sentences += len(summary)
    return {"stories": len(stories), "summary_sentences": sentences,
            "citation_support": ours[0] / ours[1] if ours[1] else 0.0, "citations": ours[1],
            "multi_source_sentences": multi / sentences if sentences else 0.0,
            "citation_support_if_every_fact_source_cited": all_sources[0] / all_sources[1] if all_sources[1] else 0.0}


def eval_entity_kinds(path: str, articles: list[str]) -> dict[str, Any]:
    """The kinds of the comparison's entities against kinds an annotator gave names in real articles
    (`benchmarks/data/entity-kinds.jsonl`: per article, spans as line, start, end and a kind among
    person, organisation, place, group, event, vehicle and work). Each article is compared alone;
    a gold name is found when an entity of ours has its text (or ends with its last word, a person
    named by surname). Reports how many gold names are found and, of those, the share whose kind is
    right, overall and per gold kind (we have no kind for titles of works: they count as wrong)."""
    from collections import Counter

    from ..model import Article
    from . import compare_articles

    texts = {k: row["text"] for k, row in read_texts(articles).items()}
    found: Counter[str] = Counter()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for row in rows:
        lines = texts[row["article"]].split("\n")
        ours = compare_articles([Article(title="", body=lines, id=row["article"])])["entities"]
        kind_of = {e["text"].lower(): e["kind"] for e in ours}
        for g in row["entities"]:
            name = lines[g["line"]][g["start"]:g["end"]].lower().removeprefix("the ")
            total[g["kind"]] += 1
            kind = kind_of.get(name) or next((k for t, k in kind_of.items() if t.removeprefix("the ") == name), None)
            if kind is None and " " in name:
                kind = next((k for t, k in kind_of.items() if t.split()[-1:] == name.split()[-1:]), None)
            if kind is None:
                continue
            found[g["kind"]] += 1
            right[g["kind"]] += kind == g["kind"]
    out: dict[str, Any] = {"articles": len(rows), "gold_names": sum(total.values()),
                           "found": round(sum(found.values()) / max(1, sum(total.values())), 4),
                           "kind_accuracy": round(sum(right.values()) / max(1, sum(found.values())), 4)}
    for kind in sorted(total):
        out[f"found:{kind}"] = f"{found[kind]}/{total[kind]}"
        out[f"kind_accuracy:{kind}"] = round(right[kind] / found[kind], 4) if found[kind] else None
    return out
