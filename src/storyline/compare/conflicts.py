"""Conflicts between aligned sentences: who said it, numbers, dates, places, names, other.

A conflict needs both sides to state a value for the same slot (same kind of entity in a
similar context) and the values to differ; a detail only one side gives is not a conflict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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

    def key(self) -> tuple[str, frozenset[Any]]:
        """The same disagreement however it is worded ("About 40,000" / "40,000", "Varga" / "Ilse Varga")."""
        def norm(v: str) -> Any:
            if self.kind == "number":
                return number_value(v)
            if self.kind in ("attribution", "name"):
                return surname(v)
            return v.lower().removeprefix("the ")
        return self.kind, frozenset(norm(c.value) for c in self.claims)


def _spelled_alike(x: str, y: str) -> bool:
    """One name spelled two ways (Wolfe / Wolff, Advisors / Advisers, DelGiudice / Del Giudice)."""
    from difflib import SequenceMatcher

    x, y = _squash(x), _squash(y)
    return bool(x and y) and (x == y or SequenceMatcher(None, x, y).ratio() >= 0.85)


def _a_name(speaker: str) -> bool:
    """A speaker named by a name, not by a title alone ("Sgt", "General Manager A")."""
    from .nlp import TITLES

    last = surname(speaker)
    return len(last) >= 3 and last not in TITLES


def _same_speaker(a: str, b: str) -> bool:
    sa, sb = _squash(a), _squash(b)
    return (surname(a) == surname(b) or sa.endswith(_squash(surname(b))) or sb.endswith(_squash(surname(a)))
            or _spelled_alike(surname(a), surname(b)) or _spelled_alike(a, b))


def word_overlap(x: str, y: str) -> float:
    """The share of the shorter text's content words (stems) that the other text has too."""
    from ..features import content_terms

    tx, ty = set(content_terms(x)), set(content_terms(y))
    return len(tx & ty) / min(len(tx), len(ty)) if tx and ty else 0.0


def _without(text: str, speaker: str) -> str:
    """A reported statement without its speaker's name and title."""
    for word in speaker.split():
        text = text.replace(word, " ")
    return text


def attribution(a: Sentence, b: Sentence) -> Conflict | None:
    """The same statement given to two speakers: both name a speaker, and what is said is one
    statement (the quotes, or else the sentences, share most of their words)."""
    if not (a.speaker and b.speaker) or _same_speaker(a.speaker, b.speaker):
        return None
    if not (_a_name(a.speaker) and _a_name(b.speaker)):
        return None
    if surname(a.speaker) in b.text.lower() or surname(b.speaker) in a.text.lower():
        return None  # the other sentence names this speaker too: its subject, or a misread speaker
    said_a, said_b = (a.quote or _without(a.text, a.speaker)), (b.quote or _without(b.text, b.speaker))
    if word_overlap(said_a, said_b) < (0.5 if a.quote and b.quote else 0.6):
        return None  # two speakers saying two things is not a conflict
    return Conflict("attribution", [Claim(a.speaker, a.article, a.text), Claim(b.speaker, b.article, b.text)])


def _norm(e: Ent) -> str:
    t = e.text.lower()
    return t[4:] if t.startswith("the ") else t


def _slot_pairs(ea: list[Ent], eb: list[Ent], a_text: str, b_text: str, strict: bool = False) -> list[tuple[Ent, Ent]]:
    """Pairs of entities that fill the same slot: shared context words, or the only ones of their kind
    (strict: only shared context words). A value both sentences give is agreement and
    takes no part in the pairing."""
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
        if best is None and len(ea) == 1 and len(eb) == 1 and not strict:
            best = 0
        if best is not None:
            used.add(best)
            pairs.append((x, eb[best]))
    return pairs


_COMPOUND = re.compile(r"-(?:time|final|finals|back|backs|way|term|season)\b", re.I)


def _counted(text: str, e: Ent) -> bool:
    """A number that counts something: not part of a compound word ("half-time", "quarter-final")."""
    return number_value(e.text) is not None and not _COMPOUND.match(text, e.end)


_UNIT = re.compile(r"[\s-]*(?:of\s+)?([a-z][a-z/]+)")


def _unit(s: Sentence, e: Ent) -> str | None:
    """What a number counts: its own trailing word ("130 km"), or the word after it ("12 people")."""
    from ..features import stem

    words = e.text.split()
    if len(words) > 1 and words[-1].isalpha():
        return stem(words[-1].lower())
    glued = re.match(r"^[\d.,]+([a-z]+)$", words[-1].lower()) if words else None
    if glued:  # "277km"
        return glued.group(1)
    m = _UNIT.match(s.text, e.end)
    return stem(m.group(1)) if m else None


def _actors(s: Sentence) -> set[str]:
    return {surname(e.text) for e in s.of("PERSON")} | {e.text.lower() for e in s.of("ORG")}


def _same_count(a: Sentence, x: Ent, b: Sentence, y: Ent) -> bool:
    """Two numbers count the same thing: counts name the same unit (hectares, homes, points; sums
    of money and percentages carry theirs), and both sentences name the same actor when they name
    people or organisations (one player's points are not another's)."""
    if x.label in ("CARDINAL", "QUANTITY") or y.label in ("CARDINAL", "QUANTITY"):
        ux, uy = _unit(a, x), _unit(b, y)
        if not (ux and uy and ux == uy):
            return False  # a bare number (a score, a clock time) or two different units
        if not (x.context & y.context) - {ux}:
            return False  # the same unit in other words ("needed nine points" / "posted 20 points")
    if bool(_CUMULATIVE.search(a.text)) != bool(_CUMULATIVE.search(b.text)):
        return False  # "a total of 923 rounds in five operations" is not "300 rounds" seized in one
    return _same_actors(a, b)


def _same_actors(a: Sentence, b: Sentence) -> bool:
    """Both sentences name the same person or organisation, or one of them names none."""
    ax, ay = _actors(a), _actors(b)
    return not (ax and ay and not ax & ay)


_CUMULATIVE = re.compile(r"\b(?:a total of|in total|in all|so far|thus far|to date|altogether|combined|cumulative)\b",
                         re.I)


def numbers(a: Sentence, b: Sentence, strict: bool = False) -> list[Conflict]:
    out = []
    for label_group in (("CARDINAL", "QUANTITY"), ("MONEY",), ("PERCENT",)):
        ea = [e for e in a.of(*label_group) if _counted(a.text, e)]
        eb = [e for e in b.of(*label_group) if _counted(b.text, e)]
        va = {number_value(e.text) for e in ea}
        vb = {number_value(e.text) for e in eb}
        # two sums of money in close sentences of one story are one slot (a price, a cost) even
        # without shared words; counts and percentages need shared context when not aligned
        for x, y in _slot_pairs(ea, eb, a.text, b.text, strict and label_group != ("MONEY",)):
            nx, ny = number_value(x.text), number_value(y.text)
            same_magnitude = nx and ny and 0.1 <= nx / ny <= 10  # a conflicting report, not another quantity
            if not _same_count(a, x, b, y):
                continue
            if nx != ny and nx not in vb and ny not in va and same_magnitude:
                out.append(Conflict("number", [Claim(x.text, a.article, a.text), Claim(y.text, b.article, b.text)]))
    return out


_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


def written_date(text: str) -> tuple[Any, ...] | None:
    """A date as written when it cannot be resolved to a calendar date on its own: (month, day),
    (month,) or a weekday. Two of the same shape that differ are a conflict as written."""
    from .dates import _DM, _M, _MD, _month

    m = _MD.search(text)
    if m:
        return ("md", _month(m.group(1)), int(m.group(2)))
    m = _DM.search(text)
    if m:
        return ("md", _month(m.group(2)), int(m.group(1)))
    m = _WEEKDAY.search(text)
    if m:
        return ("weekday", m.group(1).lower())
    m = _M.search(text)
    if m and not re.search(r"\b(?:early|mid|late)\b", text, re.I):
        return ("m", _month(m.group(1)))  # "September" and "September this year" are one month
    return None


def _dateline(s: Sentence) -> bool:
    """A line that only dates the page ("Published: July 29, 2004"), not a fact."""
    from ..features import content_terms

    rest = s.text
    for e in s.of("DATE", "TIME"):
        rest = rest.replace(e.text, " ")
    return len(content_terms(rest)) < 3


def dates(a: Sentence, b: Sentence, base_a: str | None, base_b: str | None, strict: bool = False) -> list[Conflict]:
    """Absolute dates compared as dates; partial ones (April 25, Wednesday) compared as written."""
    if _dateline(a) or _dateline(b):
        return []
    def value(e: Ent, base: str | None) -> tuple[Any, ...] | None:
        d = normalise_date(e.text, base)
        if d and not d[1]:
            return ("iso", len(d[0]), d[0])
        return written_date(e.text)

    ea = [(e, value(e, base_a)) for e in a.of("DATE")]
    eb = [(e, value(e, base_b)) for e in b.of("DATE")]
    ea = [(e, v) for e, v in ea if v]
    eb = [(e, v) for e, v in eb if v]
    va = {v for _, v in ea}
    vb = {v for _, v in eb}
    out = []
    # calendar dates pair as other slots do; dates as written ("on Thursday" / "until Sunday") only
    # with shared context words, since one sentence's weekday is often another event's
    for absolute in (True, False):
        xa = [e for e, v in ea if (v[0] == "iso") == absolute]
        xb = [e for e, v in eb if (v[0] == "iso") == absolute]
        # a year alone ("in 2005") is another event's as often as this one's: shared context needed
        years = all(v[1] == 4 for e, v in ea + eb if v[0] == "iso")
        for x, y in _slot_pairs(xa, xb, a.text, b.text, strict or not absolute or years):
            dx = next(v for e, v in ea if e is x)
            dy = next(v for e, v in eb if e is y)
            same_shape = dx[:2] == dy[:2] if absolute else dx[0] == dy[0]
            if same_shape and dx != dy and dx not in vb and dy not in va:
                out.append(Conflict("date", [Claim(x.text, a.article, a.text), Claim(y.text, b.article, b.text)]))
    return out


NAMED = ("PERSON", "GPE", "LOC", "FAC", "ORG", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART")


def _kind(x: Ent, y: Ent) -> str:
    """Place (both labelled places, or a person-labelled one after a place preposition), name (both
    persons) or other (both of one other kind); two kinds of thing are not one slot."""
    labels = {x.label, y.label}
    if labels == {"GPE"} or (x.context & y.context & {"near", "in", "at", "from", "outside", "toward"}
                             and labels == {"PERSON", "GPE"}):
        return "place"  # towns and countries; a small model often calls a village a person
    if labels & {"LOC", "FAC"}:
        return ""  # a street, a road or a region beside a town is another level, not another place
    if labels == {"PERSON"}:
        return "name"
    return "other" if len(labels) == 1 else ""


def _squash(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("&", "and").removeprefix("the "))


def _mentions(text: str, name: str) -> bool:
    """Whether a text names `name` (by its last word, or an abbreviation of it: "Calif.")."""
    last = surname(name)
    if len(last) >= 3 and re.search(rf"\b{re.escape(last)}", text.lower()):
        return True
    stem_ = _squash(name)[:4]
    return len(stem_) == 4 and re.search(rf"\b{re.escape(stem_)}", _squash_keep_spaces(text)) is not None


def _names_within(x: str, y: str) -> bool:
    """One name is a word-for-word part of the other ("Gordon" in "Gordon Advisors")."""
    wx, wy = f" {_squash_keep_spaces(x)} ", f" {_squash_keep_spaces(y)} "
    return wx.strip() != "" and wy.strip() != "" and (wx in wy or wy in wx)


def _squash_keep_spaces(text: str) -> str:
    return re.sub(r"[^a-z ]", "", text.lower())


def named_entities(a: Sentence, b: Sentence, exclude: set[str], strict: bool = False,
                   texts: tuple[str, str] | None = None) -> list[Conflict]:
    ea = [e for e in a.of(*NAMED) if surname(e.text) not in exclude]
    eb = [e for e in b.of(*NAMED) if surname(e.text) not in exclude]
    ta = {e.text.lower() for e in a.ents} | {surname(e.text) for e in a.of("PERSON")}
    tb = {e.text.lower() for e in b.ents} | {surname(e.text) for e in b.of("PERSON")}
    out = []
    for x, y in _slot_pairs(ea, eb, a.text, b.text, strict):
        kind = _kind(x, y)
        if kind not in ("place", "name"):
            continue  # two kinds of thing (an event and a club), or organisations: not a slot we judge
        if kind == "place" and texts and _mentions(texts[1], x.text) and _mentions(texts[0], y.text):
            continue  # each article names the other's place too: Athens and Greece, not a conflict
        if len(x.context & y.context) < (2 if strict else 1):
            continue  # a slot is a shared context (two words between sentences of different facts)
        sx, sy = x.text.lower(), y.text.lower()
        if kind == "name":
            sx, sy = surname(x.text), surname(y.text)
        if sx == sy or sx in sy or sy in sx or _spelled_alike(x.text, y.text) or _names_within(x.text, y.text):
            continue
        if (sx in tb or sx in b.text.lower()) and len(x.context & y.context) < 2:
            continue  # the value is in the other sentence too: a different slot, not a conflict
        if (sy in ta or sy in a.text.lower()) and len(x.context & y.context) < 2:
            continue
        out.append(Conflict(kind, [Claim(x.text, a.article, a.text), Claim(y.text, b.article, b.text)]))
    return out


def find_conflicts(a: Sentence, b: Sentence, base_a: str | None = None, base_b: str | None = None,
                   strict: bool = False, texts: tuple[str, str] | None = None) -> list[Conflict]:
    """Every conflict between two sentences from different articles: aligned ones, or (strict)
    merely close ones, whose slots must then share context words to be one slot. `texts`, the two
    articles' whole texts, let a place or name the other article also mentions be no conflict."""
    if _dateline(a) or _dateline(b):
        return []  # "Published: March 13, 2013, 2:29 PM" dates a page; it states no fact
    found: list[Conflict] = []
    att = attribution(a, b)
    speakers = set()
    if att:
        found.append(att)
    for s in (a, b):
        if s.speaker:
            speakers.add(surname(s.speaker))
    found += numbers(a, b, strict)
    found += dates(a, b, base_a, base_b, strict)
    found += named_entities(a, b, speakers, strict, texts)
    return found


def _slot_of(s: Sentence, e: Ent) -> str | None:
    """The slot a number fills across a story: the unit it counts, or the kind of value it is."""
    if e.label == "MONEY":
        return "$"
    if e.label == "PERCENT":
        return "%"
    from ..features import stem

    unit = _unit(s, e)
    if unit is None and (m := _NUMBER_OF.search(s.text)):  # "the number of people killed has risen to 15"
        unit = stem(m.group(1).lower())
    if unit is None and (m := _SUBJECT_WAS.search(s.text[:e.start])):  # "the attendance at X was 48,000"
        unit = stem(m.group(1).lower())
    unit = _SAME_SLOT.get(unit, unit) if unit else unit
    return unit if unit and unit.isalpha() and len(unit) > 2 else None


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
                        out.append((a, b, Conflict("number", [Claim(x.text, a.article, a.text),
                                                              Claim(y.text, b.article, b.text)]), stating))
                        break
    return out


_PART_BEFORE = re.compile(r"\b(?:first|last|next|of|another|other)\s+$", re.I)


def _part(text: str, e: Ent) -> bool:
    """A part of a count, or a modifier, not the count: "his first 17 passes", "29 of 34 passes",
    "an 11-game streak"."""
    return bool(_PART_BEFORE.search(text[:e.start]) or re.match(r"\s+of\s+\d", text[e.end:])
                or (e.text[-1:].isdigit() and re.match(r"-[a-z]", text[e.end:])) or re.search(r"\d-[a-z]", e.text))
