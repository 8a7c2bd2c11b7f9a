"""Extractive multi-document summary with a citation on every sentence.

Prefers agreed facts (more sources first), then central ones; skips a sentence too close to
one already chosen; names each conflict instead of picking a side.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .support import supports


def _day(iso: str | None) -> str:
    return (iso or "undated")[:10]


def cited_sources(fact: dict[str, Any], text: str) -> list[int]:
    """The fact's sources whose own sentence states `text` (its numbers, names and most words)."""
    return sorted({e["source"] for e in fact["evidence"] if supports(e["context"], text) or supports(e["sentence"], text)})


def summarise(facts: list[dict[str, Any]], conflicts: list[dict[str, Any]], sim: np.ndarray,
              index_of: dict[tuple[int, int], int], words: int = 120) -> list[dict[str, Any]]:
    """`facts` and `conflicts` as in the comparison; `sim` the sentence similarity matrix."""
    if not facts:
        return []
    n_sources = max((f.get("independent_sources", len(f["sources"])) for f in facts), default=1)
    centrality = sim.mean(axis=1) if sim.size else np.zeros(0)

    def rep(f: dict[str, Any]) -> tuple[str, int]:
        # the representative sentence: the most central evidence sentence
        best = max(f["evidence"], key=lambda e: centrality[index_of[(e["article"], e["index"])]] if sim.size else 0)
        return best["context"], index_of[(best["article"], best["index"])]

    def score(f: dict[str, Any]) -> float:
        _, i = rep(f)
        pos = min(e["index"] for e in f["evidence"])
        # agreement counts independent sources: a wire story printed five times is one voice
        return (f.get("independent_sources", len(f["sources"])) / n_sources) * 2 + float(centrality[i]) * 3 \
            + 1.0 / (1 + pos) * 0.5

    chosen: list[dict[str, Any]] = []
    picked: list[int] = []
    used = 0
    conflict_facts = {c["fact"] for c in conflicts}
    said: set[str] = set()
    for f in sorted(facts, key=lambda f: -score(f)):
        if f["id"] in conflict_facts or f.get("only_in_copies"):
            continue  # conflicts are named below; what only a copy adds is its outlet's boilerplate
        text, i = rep(f)
        if text in said:
            continue  # another clause of a sentence already in the summary
        if any(sim[i, j] >= 0.45 for j in picked):
            continue
        n = len(text.split())
        if used + n > words and chosen:
            continue
        chosen.append({"text": text, "sources": cited_sources(f, text), "fact": f["id"],
                       "_order": min(e["index"] for e in f["evidence"]) - 0.5 * f.get("independent_sources", 1)})
        picked.append(i)
        said.add(text)
        used += n
        if used >= words:
            break
    notes = []
    for c in conflicts:
        cites = lambda cl: "".join(f"[{k}]" for k in cl.get("sources", [cl["source"]]))  # noqa: E731
        if c.get("update"):
            steps = " then ".join(f"{cl['value']} {cites(cl)} ({_day(cl.get('published_at'))})" for cl in c["claims"])
            text = f"A figure was updated as the story developed: {steps}."
        else:
            values = "; ".join(f"{cl['value']} {cites(cl)}" for cl in c["claims"])
            label = {"attribution": "who said it", "number": "a number", "date": "a date", "place": "a place",
                     "name": "a name"}.get(c["kind"], "a detail")
            text = f"Sources differ on {label}: {values}."
        if used + len(text.split()) > words + 30:
            break
        notes.append({"text": text, "sources": sorted({k for cl in c["claims"] for k in cl.get("sources", [cl["source"]])}),
                      "fact": c["fact"]})
        used += len(text.split())
    chosen.sort(key=lambda c: c["_order"])
    for c in chosen:
        c.pop("_order")
    return chosen + notes
