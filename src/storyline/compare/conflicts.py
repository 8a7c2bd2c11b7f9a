"""Conflicts between aligned sentences: who said it, numbers, dates, places, names, other.

A conflict needs both sides to state a value for the same slot (same kind of entity in a
similar context) and the values to differ; a detail only one side gives is not a conflict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .clocks import clock_times
from .dates import normalise_date, written_date
from .nlp import Ent, Sentence, number_value, surname

NUMBER_LABELS = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")
PLACE_LABELS = ("GPE", "LOC", "FAC")


@dataclass
class Claim:
    value: str
    article: int
    sentence: str


#: below this confidence a difference is only `possible`: kept in the JSON, never shown as a conflict
SHOWN = 0.5
#: figures that can both be true (bounds that overlap, an approximation, a rounding, a part and its
#: total) or that speak of another occasion (last year's, a forecast): a possible difference only
COMPATIBLE = 0.2


@dataclass
class Conflict:
    kind: str
    claims: list[Claim] = field(default_factory=list)
    fact: int | None = None
    confidence: float = 1.0
    why: str = ""  # what lowered the confidence
    moving: bool = False  # a value that may change as the story goes (a plan's date): told apart, an update

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
    if surname(a.speaker) not in a.text.lower() or surname(b.speaker) not in b.text.lower():
        return None  # "he said": a speaker carried over from another sentence may be the wrong one
    for s in (a, b):
        last, low = surname(s.speaker), s.text.lower()
        if re.search(rf"\b{re.escape(last)}['’]s\b", low) or re.search(rf"\btold (?:the )?{re.escape(s.speaker.lower())}", low) \
                or (re.search(rf"\baccording to (?:the )?{re.escape(s.speaker.lower())}", low)
                    and any(surname(e.text) == last for e in s.of("ORG"))):
            return None  # "Reid's rep told Us", "a witness told CNN": the speaker is someone else
    said_a, said_b = (a.quote or _without(a.text, a.speaker)), (b.quote or _without(b.text, b.speaker))
    if word_overlap(said_a, said_b) < (0.5 if a.quote and b.quote else 0.8):
        # two speakers saying two things is not a conflict; and two officials may each tell one
        # fact in reported speech ("Steele said the fire began ..." / "Kroon says the fire broke
        # out ..."): only one wording given to two people is
        return None
    return Conflict("attribution", [Claim(a.speaker, a.article, a.text), Claim(b.speaker, b.article, b.text)])


def _norm(e: Ent) -> str:
    t = e.text.lower()
    return t[4:] if t.startswith("the ") else t


_PLACE_WORDS = frozenset({"near", "in", "at", "from", "outside", "toward", "towards", "into", "across"})


def _placed(e: Ent) -> bool:
    """A place, or a name a place preposition stands beside (a small model calls a village a person)."""
    return e.label in PLACE_LABELS or bool(e.context & _PLACE_WORDS)


def _slot_pairs(ea: list[Ent], eb: list[Ent], a_text: str, b_text: str, strict: bool = False) -> list[tuple[Ent, Ent]]:
    """Pairs of entities that fill the same slot: shared context words, or the only ones of their kind
    (strict: only shared context words). A value both sentences give is agreement and
    takes no part in the pairing."""
    # a value both give in the same role (shared context words) is agreement; in another role
    # ("started near Dunmore" / "spread towards Dunmore") it may still fill another slot
    agreed = {_norm(x) for x in ea for y in eb if _norm(x) == _norm(y) and (
        not _placed(x) or x.context & y.context or not (x.context and y.context))}
    ea = [e for e in ea if _norm(e) not in agreed]
    eb = [e for e in eb if _norm(e) not in agreed]
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
    from .nlp import _WORDNUM

    words = e.text.split()
    if len(words) > 1 and words[-1].isalpha() and words[-1].lower() not in _WORDNUM:
        return stem(words[-1].lower())  # "130 km", but not the "seven" of "at least seven"
    hyphened = re.match(r"^[\d.,]+-(?:[a-z]+-)*([a-z]+)$", words[-1].lower()) if words else None
    if hyphened:  # "a 5.9-magnitude quake", "a 1,500-square-kilometer island"
        return stem(hyphened.group(1))
    glued = re.match(r"^[\d.,]+([a-z]+)$", words[-1].lower()) if words else None
    if glued:  # "277km"
        return glued.group(1)
    m = _UNIT.match(s.text, e.end)
    if m and _MODIFIER.match(s.text, m.end()):
        return None  # "one rocket propelled grenade launcher" counts launchers, not rockets
    return stem(m.group(1)) if m else None


# a word that turns the noun before it into a modifier ("rocket propelled", "oil-based", "state-run")
_MODIFIER = re.compile(r"[\s-]+(?:propelled|powered|based|led|owned|run|armed|guided|style|sized|related)\b")


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
    if x.label == "MONEY" and y.label == "MONEY" and None not in (cx := _currency(x.text), cy := _currency(y.text)) \
            and cx != cy:
        return False  # "£1.7 million" and "$2.6 million": one sum in two currencies
    if bool(_CUMULATIVE.search(a.text)) != bool(_CUMULATIVE.search(b.text)):
        return False  # "a total of 923 rounds in five operations" is not "300 rounds" seized in one
    return _same_actors(a, b)


_CURRENCIES = (("$", "dollar"), ("£", "pound"), ("€", "euro"), ("¥", "yen"), ("₹", "rupee"),
               ("sterling", "pound"), ("dollar", "dollar"), ("pound", "pound"), ("euro", "euro"), ("yen", "yen"),
               ("rupee", "rupee"), ("yuan", "yuan"), ("rouble", "rouble"), ("ruble", "rouble"))


def _currency(text: str) -> str | None:
    """The currency a sum of money is in, when it says so ("R26 million" is in rand)."""
    low = text.lower()
    if re.match(r"\W*(?:US\$|\$US|USD)", text):
        return "dollar"
    if m := _LETTER_CURRENCY.match(text):
        return {"eur": "euro", "gbp": "pound"}.get(m.group(1).lower(), m.group(1).lower())  # US$, USD: above
    return next((name for mark, name in _CURRENCIES if mark in low), None)


# a currency written as capital letters before the figure: "R26 million", "Rs 500", "HK$ 3", "CHF 12"
_LETTER_CURRENCY = re.compile(r"^\W*([A-Z][A-Za-z]{0,2}\$?)\s?\d")


_PRONOUN_SUBJECT = re.compile(r"^\W*(?:he|she|his|her)\b", re.I)


def _same_actors(a: Sentence, b: Sentence) -> bool:
    """Both sentences name the same person or organisation, or one of them names none; but a
    sentence about "he" or "she" it never names is not about the person the other one names
    ("He has 605 yards" / "Manning passed for 364 yards")."""
    ax, ay = _actors(a), _actors(b)
    return not unnamed_subject(a, b) and not (ax and ay and not ax & ay)


def unnamed_subject(a: Sentence, b: Sentence) -> bool:
    """One sentence is about a "he" or "she" it never names while the other names a person."""
    return any(_PRONOUN_SUBJECT.match(s.text) and not s.of("PERSON") and t.of("PERSON") for s, t in ((a, b), (b, a)))


_BOUND_BEFORE = re.compile(
    r"\b(?P<q>about|around|roughly|approximately|approx\.?|an estimated|estimated|some|nearly|almost|close to|"
    r"just under|just over|more than|over|at least|upwards of|in excess of|no fewer than|fewer than|less than|"
    r"under|up to|at most|as many as|as much as|no more than|between)\s+(?:\$|€|£)?$", re.I)
_RANGE = re.compile(r"(\d[\d,.]*)\s*(?:(?:thousand|million|billion|trillion)\s+)?(?:to|-|–|—|and)\s*(?:\$|€|£)?"
                    r"(\d[\d,.]*)")  # "15 to 20", "$140 million to $160 million"
_AT_LEAST = {"more than", "over", "at least", "upwards of", "in excess of", "no fewer than", "just over"}
_AT_MOST = {"fewer than", "less than", "under", "up to", "at most", "as many as", "as much as", "no more than"}
_NEAR_BELOW = {"nearly", "almost", "close to", "just under"}


def interval(text: str, e: Ent) -> tuple[float, float] | None:
    """The values a figure as written allows: "about 20" 19-21, "more than 300,000" 300,000 and up,
    "15 to 20" 15-20, "nearly 50" 45-50, and an exact figure what rounds to it ("9" 8.5-9.5,
    "3,000" 2,700-3,300, "9.27" 9.265-9.275). Two figures whose intervals meet are compatible:
    approximations, bounds, ranges and roundings of one value are not a conflict."""
    from .nlp import _WORDNUM

    v = number_value(e.text)
    if v is None:
        return None
    scale = v / float(m.group(0).replace(",", "")) if (m := re.search(r"\d[\d,]*(?:\.\d+)?", e.text)) and \
        float(m.group(0).replace(",", "")) else 1.0  # "2.5 million": the written digits times a million
    r = _RANGE.search(e.text)
    if r:
        lo, hi = (float(x.replace(",", "").rstrip(".")) * scale for x in r.groups())
        return (min(lo, hi), max(lo, hi))
    # the bound may sit inside the figure: "more than 300,000", "at least seven"
    inner = re.match(r"\s*(?P<q>[a-z][a-z .]*?)\s+(?:\$|€|£)?(?:\d|(?:" + "|".join(_WORDNUM) + r")\b)", e.text.lower())
    before = _BOUND_BEFORE.search(text[max(0, e.start - 30):e.start])
    q = (inner.group("q") if inner else "") or (before.group("q").lower() if before else "")
    q = q.strip()
    if q in _AT_LEAST:
        return (v, float("inf"))
    if q in _AT_MOST:
        return (0.0, v)
    if q in _NEAR_BELOW:
        return (v * 0.9, v)
    conversion = re.search(r"\d[\d,.]*\s*[A-Za-z]*\s*\($", text[max(0, e.start - 30):e.start])
    if conversion or (q and q.split()[-1] in ("about", "around", "roughly", "approximately", "approx.", "approx",
                                              "estimated", "some")):
        return (v * 0.95, v * 1.05)  # approximate, or converted from the figure before it: "58km (36 miles)"
    if not m:
        return (v, v)  # a number in words ("a quarter", "twelve") is exact
    digits = m.group(0).replace(",", "")
    if "." in digits:
        half = 0.5 * 10 ** -len(digits.split(".")[1]) * scale
    elif scale != 1.0:
        half = 0.05 * v  # "$1 million": a round sum, within 5%
    else:  # a round figure stands for what rounds to it, within 10%: "3,000" 2,700-3,300
        zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
        half = 0.5 if zeros == 0 else min(0.5 * 10 ** zeros, 0.1 * v)
    return (v - half, v + half)


def compatible(a: Sentence, x: Ent, b: Sentence, y: Ent) -> bool:
    """Two figures that can both be true of one quantity (see `interval`), or a part and its total:
    one sentence's figure is the sum of the other's figures of that kind ("$500,000 and an equal
    amount" against "$1 million")."""
    ix, iy = interval(a.text, x), interval(b.text, y)
    def bound(i: tuple[float, float], e: Ent) -> bool:  # a bound or a range, not a rounding
        return i[1] == float("inf") or i[0] == 0 or _RANGE.search(e.text) is not None

    if ix and iy:
        # a bound meets a figure it names: "$140 million to $160 million", "at least $160 million"
        meets = (bound(ix, x) or bound(iy, y)) and (ix[0] == iy[1] or iy[0] == ix[1])
        if (ix[0] < iy[1] and iy[0] < ix[1]) or meets:
            return True
    for s, e, other in ((a, x, y), (b, y, x)):
        parts = [number_value(p.text) for p in s.of(e.label)]
        parts = [p for p in parts if p]
        if _EQUAL_AMOUNT.search(s.text):
            parts += parts[:1]
        total = number_value(other.text)
        if len(parts) >= 2 and total and abs(sum(parts) - total) <= 0.01 * total:
            return True
    return False


_EQUAL_AMOUNT = re.compile(r"\b(?:an? )?(?:equal|matching|the same|like) (?:amount|sum)\b", re.I)
# words that put a figure on another occasion than the story's own: last year's, a forecast
_OCCASION = re.compile(r"\b(?:last (?:year|month|week|season|quarter)|(?:the )?(?:last|previous|prior) such|"
                       r"(?:the )?previous (?:year|month|week|season|quarter)|a year (?:earlier|ago|before)|the year before|year-earlier|"
                       r"forecast\w*|project(?:ed|ion)|predict\w*|target(?:ed)?|need(?:ed|s)?|"
                       r"(?:first|opening) (?:weekend|week|day)|since (?:january|february|march|april|may|june|july|"
                       r"august|september|october|november|december|last|\d{4}))\b", re.I)


def _weighed(c: Conflict, a: Sentence, x: Ent, b: Sentence, y: Ent) -> Conflict:
    """A number conflict with its confidence: low when both figures can be true, or when one
    sentence speaks of another occasion."""
    if compatible(a, x, b, y):
        c.confidence, c.why = COMPATIBLE, "compatible figures (bounds, approximations, rounding, parts)"
    elif not same_occasion(a, b, x, y):
        c.confidence, c.why = COMPATIBLE, "figures of different occasions (a previous period, a forecast)"
    return c


def same_occasion(a: Sentence, b: Sentence, x: Ent | None = None, y: Ent | None = None) -> bool:
    """Both figures are of the same occasion: neither, or both, stand near words of a previous
    period or a forecast ("a 54-cent forecast" is not last year's "44 cents"). Near: within 60
    characters of the figure, or opening the sentence (the whole sentence when no figure is given)."""
    def marks(s: Sentence, e: Ent | None) -> set[str]:
        # near the figure, or framing the whole sentence ("Last season it was Thomas that ...")
        text = s.text if e is None else s.text[:20] + " | " + s.text[max(0, e.start - 60):e.end + 60]
        return {m.group(0).lower()[:6] for m in _OCCASION.finditer(text)}
    if marks(a, x) != marks(b, y):
        return False
    # each sentence dates what it tells, and the two dates have nothing in common: two occasions
    # ("a 5.6 quake on Sunday" / "a 6.1 quake in September")
    ta, tb = _anchors(a, x), _anchors(b, y)
    years = lambda t: {v for v in t if v[0] == "y"}  # noqa: E731 - "in 2009" / "in 2010": two seasons
    if years(ta) and years(tb) and not years(ta) & years(tb):
        return False
    ta, tb = ta - years(ta), tb - years(tb)
    return not (ta and tb and not ta & tb)


def _anchors(s: Sentence, e: Ent | None = None) -> set[tuple[Any, ...]]:
    """The times a figure is anchored to (the dates within 60 characters of it; the sentence's
    when no figure is given), as months ("November 27, 2005", "Nov. 27" and "in November" are
    one) or weekdays as written; ages, spans and seasons are none."""
    lo, hi = (e.start - 60, e.end + 60) if e is not None else (0, len(s.text))
    out = set()
    for e in (d for d in s.of("DATE") if d.end > lo and d.start < hi):
        d = normalise_date(e.text, None)
        if d and not d[1] and len(d[0]) >= 4:
            out.add(("y", int(d[0][:4])))
        if d and not d[1] and len(d[0]) >= 7:
            out.add(("m", int(d[0][5:7])))
        elif (v := written_date(e.text)):
            out.add(("m", v[1]) if v[0] in ("md", "m") else v)
    return out


_CUMULATIVE = re.compile(r"\b(?:a total of|in total|in all|so far|thus far|to date|altogether|combined|cumulative|"
                         r"already)\b",
                         re.I)


def numbers(a: Sentence, b: Sentence, strict: bool = False) -> list[Conflict]:
    out = []
    for label_group in (("CARDINAL", "QUANTITY"), ("MONEY",), ("PERCENT",)):
        ea = [e for e in a.of(*label_group) if _counted(a.text, e) and not _WHOLE_OF.search(a.text[:e.start])]
        eb = [e for e in b.of(*label_group) if _counted(b.text, e) and not _WHOLE_OF.search(b.text[:e.start])]
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
                out.append(_weighed(Conflict("number", [Claim(x.text, a.article, a.text),
                                                        Claim(y.text, b.article, b.text)]), a, x, b, y))
    return out


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


def clock(a: Sentence, b: Sentence) -> list[Conflict]:
    """Two clock times of one slot that cannot both be right: an exact time more than two minutes
    from the other's, more than 15 when one is on a quarter hour (it may be rounded), more than half
    an hour when either is approximate ("about 1:30 a.m."). Only when each sentence gives
    one time of that slot, so two moments of one story (the first and the second quake) never pair."""
    ta, tb = clock_times(a), clock_times(b)
    # a time both give is agreement and pairs with nothing ("tied it with 14:05 left, then scored
    # with 7:41 left" / "tied it with 14:05 left"); a game clock needs its period on both sides
    # ...and so is a time within two minutes of one the other gives ("with 7:41 to go" / "with 7:42 left")
    ta, tb = ([t for t in ta if all(abs(t[1] - u[1]) > 2 for u in tb)],
              [t for t in tb if all(abs(t[1] - u[1]) > 2 for u in ta)])
    out = []
    for slot in {t[0] for t in ta} & {t[0] for t in tb}:
        if slot[0] == "game" and not all(slot[1:]):
            continue
        xa = [t for t in ta if t[0] == slot]
        xb = [t for t in tb if t[0] == slot]
        if len(xa) != 1 or len(xb) != 1:
            continue
        (_, va, pa, wa), (_, vb, pb, wb) = xa[0], xb[0]
        gap = min(abs(va - vb), 1440 - abs(va - vb))
        rounded = va % 15 == 0 or vb % 15 == 0  # "came in at 3:30" may round the 3:33 of a log
        if gap > (30 if pa or pb else 15 if rounded else 2):
            out.append(Conflict("date", [Claim(wa, a.article, a.text), Claim(wb, b.article, b.text)]))
    return out


def date_conflicts(a: Sentence, b: Sentence, base_a: str | None = None, base_b: str | None = None,
                   strict: bool = False) -> list[Conflict]:
    """The date conflicts of `find_conflicts` alone: dates, then clock times."""
    if _dateline(a) or _dateline(b):
        return []
    return dates(a, b, base_a, base_b, strict) + clock(a, b)


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


def _has_words(text: str, words: str) -> bool:
    """Whether `words` stand in text as words ("bell" is not in "Bella")."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text.lower()) is not None


def _same_role(e: Ent, key: str, other: Sentence) -> bool:
    """Whether the other sentence names this value too, in the same role: an entity of it that
    holds the value shares a context word with this one (or the value is there but no entity
    carries it). "Dunmore" where the fire started and "Dunmore" it spread towards are two roles."""
    if not _named_in(other.text, e.text, key):
        return False
    holders = [o for o in other.ents if _named_in(o.text, e.text, key)]
    return not holders or any(o.context & e.context or not o.context for o in holders)


def _named_in(text: str, name: str, key: str) -> bool:
    """Whether a sentence names `name`: whole, by its last word as written ("Eagles", not the
    "city" of "Oklahoma City"), or by its key (its surname)."""
    last = name.split()[-1] if name.split() else ""
    capitalised = len(last) >= 3 and re.search(rf"(?<!\w){re.escape(last)}(?!\w)", text) is not None
    return capitalised or any(w and _has_words(text, w) for w in (name.lower(), key))


def _names_surname(text: str, name: str) -> bool:
    """Whether a text names the person `name` by surname (a shared first name is another person)."""
    last = surname(name)
    return len(last) >= 3 and re.search(rf"\b{re.escape(last)}\b", text.lower()) is not None


def _names_within(x: str, y: str) -> bool:
    """One name is a word-for-word part of the other ("Gordon" in "Gordon Advisors")."""
    wx, wy = f" {_squash_keep_spaces(x)} ", f" {_squash_keep_spaces(y)} "
    return wx.strip() != "" and wy.strip() != "" and (wx in wy or wy in wx)


def _squash_keep_spaces(text: str) -> str:
    return re.sub(r"[^a-z ]", "", text.lower())


_REGION_WORD = re.compile(r"\b(?:county|province|prefecture|district|oblast|governorate|canton)\b", re.I)


def _regions() -> frozenset[str]:
    from importlib import resources

    text = (resources.files("storyline") / "models" / "regions.txt").read_text(encoding="utf-8")
    return frozenset(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


_REGIONS: frozenset[str] | None = None


def _is_region(name: str) -> bool:
    """A country, state or province (or a name that says it is one: "Fulton County")."""
    global _REGIONS
    if _REGIONS is None:
        _REGIONS = _regions()
    low = name.lower().removeprefix("the ").strip(" .,")
    return low in _REGIONS or bool(_REGION_WORD.search(name))


def _within(x: str, y: str, a_text: str, b_text: str) -> bool:
    """One place holds the other: one is a county, district or province by its name ("Fulton
    County"), or a country or state that the other sentence names too ("in Yangon, Myanmar"),
    and the other is a town (a town and an unrelated country are two places)."""
    if _is_region(x) == _is_region(y):
        return False
    region, other_sentence = (x, b_text) if _is_region(x) else (y, a_text)
    return bool(_REGION_WORD.search(region)) or _mentions(other_sentence, region)


_LIST_GLUE = re.compile(r"^\s*(?:,|and|or|&|, and|, or|as well as)\s*$", re.I)


def _list_of(s: Sentence, e: Ent) -> list[str]:
    """The list of its kind an entity is named in ("Ohio, Texas and Iowa"; "Pattinson and Stewart"),
    or [] when it stands alone."""
    same = sorted((o for o in s.ents if o.label == e.label), key=lambda o: o.start)
    k = next(i for i, o in enumerate(same) if o is e)
    lo = hi = k
    while lo > 0 and _LIST_GLUE.match(s.text[same[lo - 1].end:same[lo].start]):
        lo -= 1
    while hi + 1 < len(same) and _LIST_GLUE.match(s.text[same[hi].end:same[hi + 1].start]):
        hi += 1
    return [o.text.lower() for o in same[lo:hi + 1]] if hi > lo else []


def _lists_differ(a: Sentence, x: Ent, b: Sentence, y: Ent) -> bool:
    """Members of lists that are not one list with one member changed: two states among several,
    two justices of a bench. Lists of one length that differ in this member only are a conflict
    (the same two co-stars, one of them another actor)."""
    la, lb = _list_of(a, x), _list_of(b, y)
    if not la and not lb:
        return False
    # one list with one member changed keeps the others where they stood ("Jordan, Worthy and
    # Jamison" / "Jordan, Jamison and McCants" are two lists of greats)
    return not (len(la) == len(lb) and len(set(la) & set(lb)) == len(la) - 1
                and la.index(x.text.lower()) == lb.index(y.text.lower()))


def _share_a_name(x: str, y: str) -> bool:
    """One person named two ways: either's surname is a word of the other ("Regina M. Benjamin" /
    "Benjamin U.S."); a shared first name is not enough (Kristen Stewart, Kristen Bell)."""
    wx, wy = set(re.findall(r"[a-z]{3,}", x.lower())), set(re.findall(r"[a-z]{3,}", y.lower()))
    return surname(x) in wy or surname(y) in wx


def _sides(s: Sentence, e: Ent) -> dict[str, set[bool]]:
    """For each context word of `e`, whether it stands before the entity (True) or after it."""
    from ..features import stem

    out: dict[str, set[bool]] = {}
    for m in re.finditer(r"[A-Za-z]+", s.text):
        t = stem(m.group(0).lower())
        if t in e.context and not e.start <= m.start() < e.end:
            out.setdefault(t, set()).add(m.start() < e.start)
    return out


def _same_side(a: Sentence, x: Ent, b: Sentence, y: Ent) -> bool:
    """Two names fill one slot only when some shared context word stands on the same side of both
    (a subject before its verb in one, an object after it in the other, are two roles)."""
    sa, sb = _sides(a, x), _sides(b, y)
    shared = set(sa) & set(sb)
    return not shared or any(sa[t] & sb[t] for t in shared)


def named_entities(a: Sentence, b: Sentence, exclude: set[str], strict: bool = False,
                   texts: tuple[str, str] | None = None) -> list[Conflict]:
    ea = [e for e in a.of(*NAMED) if surname(e.text) not in exclude]
    eb = [e for e in b.of(*NAMED) if surname(e.text) not in exclude]
    out = []
    for x, y in _slot_pairs(ea, eb, a.text, b.text, strict):
        kind = _kind(x, y)
        if kind not in ("place", "name"):
            continue  # two kinds of thing (an event and a club), or organisations: not a slot we judge
        if not (x.text[:1].isupper() and y.text[:1].isupper()):
            continue  # "rookie" read as a name
        said = _mentions if kind == "place" else _names_surname
        if texts and said(texts[1], x.text) and said(texts[0], y.text):
            continue  # each article names the other's place or person too: Athens and Greece, two players
        if _lists_differ(a, x, b, y):
            continue  # one member of a list of states or of justices
        if kind == "place" and _within(x.text, y.text, a.text, b.text):
            continue  # Atlanta and Fulton County, Yangon and Myanmar named beside it
        if kind == "name" and _share_a_name(x.text, y.text):
            continue
        if len(x.context & y.context) < (2 if strict else 1):
            continue  # a slot is a shared context (two words between sentences of different facts)
        if not _same_side(a, x, b, y):
            continue  # the shooter in one, the one shot in the other: "Nichols shot" / "shot Judge Barnes"
        sx, sy = x.text.lower(), y.text.lower()
        if kind == "name":
            sx, sy = surname(x.text), surname(y.text)
        if sx == sy or sx in sy or sy in sx or _spelled_alike(x.text, y.text) or _names_within(x.text, y.text):
            continue
        if _same_role(x, sx, b) or _same_role(y, sy, a):
            continue  # the value is in the other sentence too, in this role ("Eagles", "Philadelphia Eagles")
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
    found += date_conflicts(a, b, base_a, base_b, strict)
    found += named_entities(a, b, speakers, strict, texts)
    return found


# the whole a part is counted in: the 16 of "missing 10 of the Saints' 16 games"
_WHOLE_OF = re.compile(r"\b(?:\d[\d,.]*|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|"
                       r"[Bb]oth|[Aa]ll|[Nn]one)\s+of\s+(?:the\s+|his\s+|her\s+|their\s+|its\s+|[A-Z][\w.]*'?s?\s+){0,3}$")
_PART_BEFORE = re.compile(r"\b(?:first|last|next|of|another|other)\s+$", re.I)
