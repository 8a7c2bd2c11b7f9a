"""Conflicts between aligned sentences: who said it, numbers, dates, places, names, other.

A conflict needs both sides to state a value for the same slot (same kind of entity in a
similar context) and the values to differ; a detail only one side gives is not a conflict.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .dates import normalise_date
from .nlp import Ent, Sentence, number_value, surname

NUMBER_LABELS = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")
PLACE_LABELS = ("GPE", "LOC", "FAC")


@dataclass
class Claim:
    value: str
    article: int
    sentence: str


@dataclass
class Conflict:
    kind: str
    claims: list[Claim] = field(default_factory=list)
    fact: int | None = None

    def key(self) -> tuple[str, frozenset[str]]:
        return self.kind, frozenset(c.value.lower() for c in self.claims)


def _same_speaker(a: str, b: str) -> bool:
    return surname(a) == surname(b)


def attribution(a: Sentence, b: Sentence) -> Conflict | None:
    if a.speaker and b.speaker and (a.quote or b.quote) and not _same_speaker(a.speaker, b.speaker):
        return Conflict("attribution", [Claim(a.speaker, a.article, a.text), Claim(b.speaker, b.article, b.text)])
    return None


def _norm(e: Ent) -> str:
    t = e.text.lower()
    return t[4:] if t.startswith("the ") else t


def _slot_pairs(ea: list[Ent], eb: list[Ent], a_text: str, b_text: str) -> list[tuple[Ent, Ent]]:
    """Pairs of entities that fill the same slot: shared context words, or the only ones of their kind.
    A value both sentences give is agreement and takes no part in the pairing."""
    common = {_norm(e) for e in ea} & {_norm(e) for e in eb}
    ea = [e for e in ea if _norm(e) not in common]
    eb = [e for e in eb if _norm(e) not in common]
    pairs = []
    used: set[int] = set()
    for x in ea:
        best, best_overlap = None, 0
        for k, y in enumerate(eb):
            if k in used:
                continue
            overlap = len(x.context & y.context)
            if overlap > best_overlap:
                best, best_overlap = k, overlap
        if best is None and len(ea) == 1 and len(eb) == 1:
            best = 0
        if best is not None:
            used.add(best)
            pairs.append((x, eb[best]))
    return pairs


def numbers(a: Sentence, b: Sentence) -> list[Conflict]:
    out = []
    for label_group in (("CARDINAL", "QUANTITY"), ("MONEY",), ("PERCENT",)):
        ea = [e for e in a.of(*label_group) if number_value(e.text) is not None]
        eb = [e for e in b.of(*label_group) if number_value(e.text) is not None]
        va = {number_value(e.text) for e in ea}
        vb = {number_value(e.text) for e in eb}
        for x, y in _slot_pairs(ea, eb, a.text, b.text):
            nx, ny = number_value(x.text), number_value(y.text)
            same_magnitude = nx and ny and 0.1 <= nx / ny <= 10  # a conflicting report, not another quantity
            if nx != ny and nx not in vb and ny not in va and same_magnitude:
                out.append(Conflict("number", [Claim(x.text, a.article, a.text), Claim(y.text, b.article, b.text)]))
    return out


def dates(a: Sentence, b: Sentence, base_a: str | None, base_b: str | None) -> list[Conflict]:
    out = []
    ea = [(e, normalise_date(e.text, base_a)) for e in a.of("DATE")]
    eb = [(e, normalise_date(e.text, base_b)) for e in b.of("DATE")]
    ea = [(e, d) for e, d in ea if d and not d[1]]  # absolute dates only: relative ones are approximate
    eb = [(e, d) for e, d in eb if d and not d[1]]
    va = {d[0] for _, d in ea}
    vb = {d[0] for _, d in eb}
    for x, y in _slot_pairs([e for e, _ in ea], [e for e, _ in eb], a.text, b.text):
        dx = next(d[0] for e, d in ea if e is x)
        dy = next(d[0] for e, d in eb if e is y)
        if len(dx) == len(dy) and dx != dy and dx not in vb and dy not in va:
            out.append(Conflict("date", [Claim(x.text, a.article, a.text), Claim(y.text, b.article, b.text)]))
    return out


NAMED = ("PERSON", "GPE", "LOC", "FAC", "ORG", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART")


def _kind(x: Ent, y: Ent) -> str:
    """Place, name or other: a small model often calls a village a person, so either side's label counts,
    and a place preposition before the slot decides between them."""
    labels = {x.label, y.label}
    if labels & set(PLACE_LABELS) or (x.context & y.context & {"near", "in", "at", "from", "outside", "towards"}
                                      and "PERSON" in labels and labels <= {"PERSON", "GPE", "LOC", "FAC"}
                                      and x.label != y.label):
        return "place"
    if labels == {"PERSON"}:
        return "name"
    return "other" if len(labels) == 1 else ""


def named_entities(a: Sentence, b: Sentence, exclude: set[str]) -> list[Conflict]:
    ea = [e for e in a.of(*NAMED) if surname(e.text) not in exclude]
    eb = [e for e in b.of(*NAMED) if surname(e.text) not in exclude]
    ta = {e.text.lower() for e in a.ents} | {surname(e.text) for e in a.of("PERSON")}
    tb = {e.text.lower() for e in b.ents} | {surname(e.text) for e in b.of("PERSON")}
    out = []
    for x, y in _slot_pairs(ea, eb, a.text, b.text):
        kind = _kind(x, y)
        if not kind:
            continue  # two different kinds of thing (an event and a club) are not one slot
        sx, sy = x.text.lower(), y.text.lower()
        if kind == "name":
            sx, sy = surname(x.text), surname(y.text)
        if sx == sy or sx in sy or sy in sx:
            continue
        if (sx in tb or sx in b.text.lower()) and len(x.context & y.context) < 2:
            continue  # the value is in the other sentence too: a different slot, not a conflict
        if (sy in ta or sy in a.text.lower()) and len(x.context & y.context) < 2:
            continue
        out.append(Conflict(kind, [Claim(x.text, a.article, a.text), Claim(y.text, b.article, b.text)]))
    return out


def find_conflicts(a: Sentence, b: Sentence, base_a: str | None = None, base_b: str | None = None) -> list[Conflict]:
    """Every conflict between two aligned sentences from different articles."""
    found: list[Conflict] = []
    att = attribution(a, b)
    speakers = set()
    if att:
        found.append(att)
    for s in (a, b):
        if s.speaker:
            speakers.add(surname(s.speaker))
    found += numbers(a, b)
    found += dates(a, b, base_a, base_b)
    found += named_entities(a, b, speakers)
    return found
