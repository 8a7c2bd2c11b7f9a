"""Reasons to hold a difference back as `possible` rather than show it as a conflict, read from the
whole story rather than from the two sentences alone.

Whole stories of many articles hold many sentences on one topic that are not about one fact: a
player's season and his last game, two robberies of one shop, the town and its county. An editor
read every difference storyline found in 46 whole ECB+ stories (benchmarks/data/conflict-
judgements.jsonl): four in five were two facts, not one fact told two ways. Each rule here names
one way of telling that from the articles themselves; a conflict that meets one is kept in the JSON
as a possible difference with the rule's reason.
"""
from __future__ import annotations

import re

from .conflicts import COMPATIBLE, NUMBER_LABELS, Conflict, _has_words, _unit, word_overlap
from .nlp import Sentence, number_value

# a sentence whose subject is "he" or "she" ("He had 793 yards", "She began modelling in 1950") leans
# on a sentence before it: across a story of many articles, "he" is as often another person ("it",
# in a story about one thing, is mostly that thing: "It will go on sale on April 25")
# (or on "those", "these": "Those 10 points tied him with ...")
_PRONOUN_OPENING = re.compile(r"^\W*(?:(?:he|she)\b(?!['’]s\b)|(?:those|these)\s+\d)", re.I)
# a place that lies inside a town: a street, an avenue, a square ("Avenue Montaigne" is in Paris)
_STREET = re.compile(r"\b(?:street|st\.|avenue|ave\.|road|rd\.|boulevard|blvd\.?|lane|square|place|plaza|drive|"
                     r"highway|route|bridge|district|quarter)\b", re.I)
#: a date conflict needs sentences about one event: at least this share of the shorter one's
#: content words in the other ("judge on Thursday upheld" / "jury on Tuesday ordered" share 0.21)
DATE_OVERLAP = 0.3
#: sentences sharing this share of words are one sentence in two versions, whatever "he" stands for
SAME_WORDING = 0.8


def pronoun_subject(s: Sentence) -> bool:
    """The sentence's subject is "he", "she", or "those"/"these" figures: it leans on a sentence
    before it (other people it names are not its subject)."""
    return bool(_PRONOUN_OPENING.match(s.text))


def doubt(c: Conflict, a: Sentence, b: Sentence, texts: list[str]) -> str:
    """Why the difference found between sentences a and b may be two facts rather than one, or ""
    when nothing says so; `texts` are the story's article texts in lower case."""
    if c.kind != "attribution" and (pronoun_subject(a) or pronoun_subject(b)) \
            and word_overlap(a.text, b.text) < SAME_WORDING:  # one sentence in two versions: one "he"
        return "a sentence about 'he' or 'she' may be about someone else"
    if c.kind in ("place", "name") and len(c.claims) == 2:
        x, y = c.claims
        if _has_words(_elsewhere(texts[x.article], x.sentence), y.value.lower().removeprefix("the ")) \
                or _has_words(_elsewhere(texts[y.article], y.sentence), x.value.lower().removeprefix("the ")):
            # "murdered in Cumbria" / "murdered in Millom": the source naming one elsewhere names
            # both, so it does not dispute the other (a town in its county, two players of a list)
            return "one source names both"
        if c.kind == "place" and bool(_STREET.search(x.value)) != bool(_STREET.search(y.value)):
            return "a street and a town: one may lie in the other"
    if c.kind == "date" and len(c.claims) == 2:
        # a plan's start (`moving`) is tied to one event by what starts, not by the sentences' words
        if word_overlap(a.text, b.text) < DATE_OVERLAP and not c.moving:
            return "the sentences share too little to be about one event"
        owned = [bool(re.match(r"['’]s\b", _after(cl.value, cl.sentence))) for cl in c.claims]
        if owned[0] != owned[1]:  # "arrested Tuesday" / "Sunday's game"; "Tuesday's game" / "Sunday's" is one slot
            return "a day's event ('Sunday's game') is another event than the story's"
        if all(re.search(_TODAY + r".{0,6}" + re.escape(cl.value) + "|" + re.escape(cl.value) + r".{0,6}" + _TODAY,
                         cl.sentence, re.I) for cl in c.claims):
            return "each source gives its own 'today'"
    if c.kind == "number" and len(c.claims) == 2:
        shapes = {_shape(cl.value, cl.sentence) for cl in c.claims}
        if shapes == {"modifier", "count"}:
            return "one figure describes a thing ('a seven-yard pass'), the other counts ('37 yards')"
    return ""


def _shape(value: str, sentence: str) -> str:
    """How a figure is written: a "modifier" glued to its unit ("a seven-yard pass"), a "count" of
    a plural unit ("37 yards"), or "other"."""
    after = _after(value, sentence)
    if re.search(r"\d-[a-z]", value) or re.match(r"-[a-z]", after):
        return "modifier"
    unit = value.split()[-1] if len(value.split()) > 1 and value.split()[-1].isalpha() else \
        (m.group(1) if (m := re.match(r"\s+([a-z]+)", after)) else "")
    return "count" if len(unit) > 3 and unit.endswith("s") else "other"


def _after(value: str, sentence: str) -> str:
    """What follows a value where the sentence gives it ("" when it does not)."""
    i = sentence.find(value)
    return sentence[i + len(value):] if i >= 0 else ""


_TODAY = r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b"  # "today (20 October 2011)"


def two_differences(found: list[Conflict], a: Sentence, b: Sentence) -> None:
    """Two sentences that differ in figures of two units or more (22 points and nine rebounds
    against 25 points and 16 rebounds) are two occasions (two games, two deals), not one told two
    ways: every number difference found between them is held back. Figures of one unit that
    differ (Carter's 14 points against 12, beside VanDeest's 13 in both) are one difference."""
    differing = [c for c in found if c.kind == "number" and not c.why]
    if differing and (len(differing) >= 2 or len(_units_differing(a, b)) >= 2):
        for c in differing:
            c.confidence, c.why = min(c.confidence, COMPATIBLE), "the sentences differ in several figures: two occasions"


def _units_differing(a: Sentence, b: Sentence) -> set[str]:
    """The units (points, rebounds, yards) both sentences count, with a figure on each side that
    the other does not give."""
    def by_unit(s: Sentence) -> dict[str, set[float]]:
        out: dict[str, set[float]] = {}
        for e in s.of(*NUMBER_LABELS):
            unit, v = _unit(s, e), number_value(e.text)
            if unit and v is not None:
                out.setdefault(unit, set()).add(v)
        return out

    ua, ub = by_unit(a), by_unit(b)
    return {u for u in set(ua) & set(ub) if ua[u] - ub[u] and ub[u] - ua[u]}


def _elsewhere(text: str, sentence: str) -> str:
    """An article's text without the sentence itself."""
    return text.replace(sentence.lower(), " ")
