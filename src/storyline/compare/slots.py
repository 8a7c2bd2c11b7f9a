"""Figures that one slot of a story holds across articles whose sentences no alignment pairs: two
articles that each give one value, and only one, for a slot (homes cut off, a price, a crowd)."""
from __future__ import annotations

import re

from .conflicts import (
    _CUMULATIVE,
    _PART_BEFORE,
    _WHOLE_OF,
    COMPATIBLE,
    NUMBER_LABELS,
    Claim,
    Conflict,
    _counted,
    _currency,
    _dateline,
    _same_actors,
    _unit,
    _weighed,
)
from .nlp import Ent, Sentence, number_value


def _slot_of(s: Sentence, e: Ent) -> str | None:
    """The slot a number fills across a story: the unit it counts, or the kind of value it is."""
    if e.label == "MONEY":  # a sum's slot is its currency's: "£1.7 million" and "$2.6 million" are two
        return f"money:{_currency(e.text) or 'unknown'}"
    if e.label == "PERCENT":
        return "%"
    from ..features import STOPWORDS, stem

    unit = _unit(s, e)
    if unit in STOPWORDS:  # a function word names no slot across a story ("VanDeest scored 13 for the ...")
        unit = None
    if unit is None and (m := _NUMBER_OF.search(s.text)):  # "the number of people killed has risen to 15"
        unit = stem(m.group(1).lower())
    if unit is None and (m := _SUBJECT_WAS.search(s.text[:e.start])):  # "the attendance at X was 48,000"
        unit = stem(m.group(1).lower())
    unit = _SAME_SLOT.get(unit, unit) if unit else unit
    if unit in _DISTANCE:
        # "1,150 kilometers (700 miles) southeast of Tehran": the distance from one place is its own
        # slot, apart from the story's other distances (the epicentre's from another town); a
        # distance from nowhere named ("13 nautical miles away", "12 miles from shore") is none
        m = _FROM_PLACE.match(s.text, e.end)
        return f"{_DISTANCE[unit]}@{m.group(1).lower()}" if m else None
    return unit if unit and unit.isalpha() and len(unit) > 2 else None


_DISTANCE = {"km": "km", "kilomet": "km", "kilometr": "km", "mile": "mile"}
_FROM_PLACE = re.compile(r"\)?(?:\s*\([^)]{0,25}\))?\s*(?:(?:north|south|east|west)(?:east|west)?(?:-?(?:east|west))?\s+)?"
                         r"(?:of|from)\s+([A-Z][\w-]+)")


_NUMBER_OF = re.compile(r"\b(?:number|count|toll) of ([a-z]+)", re.I)
# a bare number after a copula names its slot by the subject: "The attendance at Selwyn Arena was 48,000"
_SUBJECT_WAS = re.compile(r"\b[Tt]he ([a-z]{4,})(?: (?:at|of|in|for|on) [^,;.]{1,40})? (?:was|is|stood at|reached|"
                          r"rose to|fell to|totalled|totaled)(?: (?:about|some|around|nearly|almost|roughly|"
                          r"more than|over|just over|just under))? $")
# words that name the size of one crowd (stems): "52,000 fans" and "the attendance was 48,000" are one slot
_SAME_SLOT = {w: "crowd" for w in ("fan", "support", "spectat", "attend", "attende", "crowd", "audienc")}


def story_slot_conflicts(sentences: list[Sentence], group: list[int]
                         ) -> list[tuple[Sentence, Sentence, Conflict, list[Sentence]]]:
    """Figures that sit in sentences no alignment pairs (each article words the fact its own way):
    two articles that each give one value, and only one, for a slot (homes cut off, a price) and
    give different values of one magnitude, in sentences that share a content word beyond the unit.
    Precision first: an article giving two values for the slot (this week's and last year's) is
    left out, and so are different units, bare numbers and sentences with nothing else in common.
    Each conflict comes with every sentence of the story that gives one of its two values for the slot."""
    from ..features import content_terms

    values: dict[tuple[int, str], dict[float, list[tuple[Sentence, Ent]]]] = {}
    for s in sentences:
        if _dateline(s):
            continue
        for e in s.of(*NUMBER_LABELS):
            slot = _slot_of(s, e) if _counted(s.text, e) and not _part(s.text, e) else None
            v = number_value(e.text)
            if slot and v and not (v < 10 and v == int(v)):  # "three of the bullets", "four villages":
                # a small whole count is too often another subset of the story to tie two sentences
                values.setdefault((group[s.article], slot), {}).setdefault(v, []).append((s, e))
    figures: dict[str, set[float]] = {}  # every figure the story gives each slot, in any article
    for (_, slot), vals in values.items():
        figures.setdefault(slot, set()).update(vals)
    by_slot: dict[str, list[tuple[int, float, list[tuple[Sentence, Ent]]]]] = {}
    for (g, slot), vals in values.items():
        if len(vals) == 1:
            (v, where), = vals.items()
            by_slot.setdefault(slot, []).append((g, v, where))
    out = []
    for slot, items in sorted(by_slot.items()):
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                (_, v, wa), (_, w, wb) = items[i], items[j]
                if v == w or not 0.5 <= v / w <= 2:
                    continue  # one magnitude: a disputed figure, not another quantity
                for (a, x), (b, y) in ((p, q) for p in wa for q in wb):
                    shared = set(content_terms(a.text)) & set(content_terms(b.text))
                    shared -= {slot} | {t for t in shared if any(ch.isdigit() for ch in t)}
                    if shared and _same_actors(a, b) and not _CUMULATIVE.search(a.text + " " + b.text):
                        stating = [t for (_, u, where) in items if u in (v, w) for t, _ in where]
                        c = _weighed(Conflict("number", [Claim(x.text, a.article, a.text),
                                                         Claim(y.text, b.article, b.text)]), a, x, b, y)
                        if len(figures[slot]) > 2 and not c.why:
                            # a story giving one unit three figures or more counts several things
                            # with it (a player's games this season, last season, missed)
                            c.confidence = COMPATIBLE
                            c.why = f"the story gives {len(figures[slot])} figures of this unit: they may count different things"
                        out.append((a, b, c, stating))
                        break
    return out


def _part(text: str, e: Ent) -> bool:
    """A part of a count, or a modifier, not the count: "his first 17 passes", "29 of 34 passes",
    "an 11-game streak"."""
    return bool(_PART_BEFORE.search(text[:e.start]) or re.match(r"\s+of\s+\d", text[e.end:])
                or _WHOLE_OF.search(text[:e.start])
                or (e.text[-1:].isdigit() and re.match(r"-[a-z]", text[e.end:])) or re.search(r"\d-[a-z]", e.text))
