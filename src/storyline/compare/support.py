"""Does a source's own sentence state a claim? The test behind every citation.

A sentence supports a claim when it holds the claim's numbers, its names (a person may be named by
surname alone) and most of its content words. Cheap and strict on purpose: a citation that credits
a source with what it did not say costs more trust than one left out."""
from __future__ import annotations

import re

from ..features import content_terms, entity_candidates

MIN_COVERAGE = 0.6  # "most of its content words"
_NUM = re.compile(r"\d+(?:[.,]\d+)*")


# amounts written as words that a claim turns on ("by a quarter point", "half", "a third")
_WORD_AMOUNT = re.compile(r"\b(?:quarter|half|third|two-thirds|three-quarters|double|doubled|tripled|"
                          r"dozen|dozens|hundreds|thousands|millions|billions)\b", re.I)


def numbers(text: str) -> set[str]:
    """The figures of a text: digits, and amounts written as words ("a quarter point")."""
    return ({m.group(0).replace(",", "") for m in _NUM.finditer(text)}
            | {m.group(0).lower() for m in _WORD_AMOUNT.finditer(text)})


def names(text: str) -> list[str]:
    return entity_candidates(text)


def supports(sentence: str, claim: str, min_coverage: float = MIN_COVERAGE) -> bool:
    """Whether `sentence` states `claim`: same numbers, same names, most content words."""
    if sentence.strip() == claim.strip():
        return True
    if not numbers(claim) <= numbers(sentence):
        return False
    low = sentence.lower()
    for name in names(claim):
        last = name.split()[-1]
        if last not in low:  # "Hanna Solberg" is supported by "Solberg", not by "Hanna"
            return False
    terms = set(content_terms(claim))
    if not terms:
        return True
    return len(terms & set(content_terms(sentence))) / len(terms) >= min_coverage


def sentences_by_source(comparison: dict) -> dict[int, list[str]]:
    """What each source of a comparison says: its whole sentences and their claims, by source number
    (every sentence sits in one fact, so the facts' evidence holds them all)."""
    out: dict[int, set[str]] = {}
    for f in comparison["facts"]:
        for e in f["evidence"]:
            out.setdefault(e["source"], set()).update({e["sentence"], e["context"]})
    return {n: sorted(v) for n, v in out.items()}


def citation_support(summary: list[dict], sentences_of: dict[int, list[str]]) -> tuple[int, int]:
    """(supported, cited): for every summary sentence and each source it cites, whether a sentence
    of that source supports it."""
    supported = cited = 0
    for item in summary:
        for n in item["sources"]:
            cited += 1
            supported += any(supports(s, item["text"]) for s in sentences_of.get(n, []))
    return supported, cited
