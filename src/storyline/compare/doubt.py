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
from .nlp import Sentence, number_value, surname

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
    if c.kind in ("name", "place") and len(c.claims) == 2 and _one_list(c, a, b):
        # "Salerno and Sabato" / "Gotti, Salerno and Corallo": each names some members of one list
        return "members of one list: the sources name some of its members each"
    if c.kind == "date" and any(_NAMED_YEAR.search(cl.sentence[:max(0, cl.sentence.find(cl.value))] + "\0")
                                and re.fullmatch(r"\d{4}", cl.value) for cl in c.claims):
        return "a year in a name ('Windows Server 2003'), not a date"
    if c.kind == "date" and len(c.claims) == 2 and _marks(a) != _marks(b):
        return "one date is of another occasion ('the last such patch was released on Oct. 23')"
    if c.kind == "date" and len(c.claims) == 2 and _clock_given_by_both(c, texts):
        return "one source gives both times: two moments"
    if c.kind == "number" and len(c.claims) == 2 and (holder := _other_holder(a, c.claims[0].value, b)
                                                       or _other_holder(b, c.claims[1].value, a)):
        return f"the figure is {holder}'s, whom the other sentence does not name"
    if c.kind == "number" and len(c.claims) == 2:
        terms = [set(_TERM.findall(cl.sentence.lower().replace(cl.value.lower(), " "))) for cl in c.claims]
        if terms[0] and terms[1] and not terms[0] & terms[1]:
            # "a seven-year deal worth $140 million" / "an eight-year deal worth $184 million": two offers
            return "the sentences give the thing different terms (a seven-year and an eight-year deal): two things"
        if _sum_and_part(c):
            return "one figure counts two kinds together ('420 passengers and crew'), the other one of them"
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


# the words between two members of one list: ", ", " and ", ", and ", or a repeated name before the
# next member (", Windows Server 2012")
_LIST_GAP = re.compile(r"^\s*(?:,\s*)?(?:(?:and|or)\s+)?(?:[A-Z][\w.]*\s+){0,2}$")
_LABELS = {"name": ("PERSON",), "place": ("GPE", "LOC", "FAC")}
# a year that ends a name: a capitalised word other than a month right before it ("Server 2003")
_NAMED_YEAR = re.compile(r"(?<![.!?]\s)\b(?!(?:January|February|March|April|May|June|July|August|September|"
                         r"October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|In|Since|Of|"
                         r"By|From|Until|Before|After)\b)[A-Z][\w-]+\.? \0$")


def _listed(s: Sentence, value: str, labels: tuple[str, ...]) -> set[str]:
    """The members of the list `value` stands in within s (lower-cased, with value itself), or an
    empty set when it stands alone."""
    ents = sorted((e for e in s.of(*labels)), key=lambda e: e.start)
    at = next((i for i, e in enumerate(ents) if e.text == value or value in e.text), None)
    if at is None:
        return set()
    lo = hi = at
    while lo > 0 and _LIST_GAP.match(s.text[ents[lo - 1].end:ents[lo].start]):
        lo -= 1
    while hi + 1 < len(ents) and _LIST_GAP.match(s.text[ents[hi].end:ents[hi + 1].start]):
        hi += 1
    return {surname(e.text).lower() for e in ents[lo:hi + 1]} if hi > lo else set()


def _one_list(c: Conflict, a: Sentence, b: Sentence) -> bool:
    """Both values stand in lists of different lengths that share a member: the sources name some
    members each. Lists of one length, one member apart, are one list told two ways ("Pattinson
    and Kristen Bell" / "Pattinson and Kristen Stewart" in the lead roles): a conflict."""
    labels = _LABELS[c.kind]
    la, lb = _listed(a, c.claims[0].value, labels), _listed(b, c.claims[1].value, labels)
    return bool(la and lb and la & lb and len(la) != len(lb))


_CLOCK_TEXT = re.compile(r"\b(\d{1,2}):(\d{2})\b")


def _clock_given_by_both(c: Conflict, texts: list[str]) -> bool:
    """A clock time one source gives, the other source's article gives too, within two minutes
    ("tied him with 14:05 left" / "scored with 7:42 left": the article of 14:05 says 7:41 later)."""
    def minutes(v: str) -> int | None:
        m = _CLOCK_TEXT.search(v)
        return int(m.group(1)) * 60 + int(m.group(2)) if m else None

    x, y = c.claims
    vx, vy = minutes(x.value), minutes(y.value)
    if vx is None or vy is None:
        return False
    def gives(text: str, v: int) -> bool:
        return any(abs(int(h) * 60 + int(m) - v) <= 2 for h, m in _CLOCK_TEXT.findall(text))
    return gives(texts[y.article], vx) or gives(texts[x.article], vy)


# between a person and the figure they hold: a few words, none that reports speech or ends a clause
_HOLDS = re.compile(r"^[^,;:()\"“”]{0,90}$")
# ...and the person is the figure's subject: a verb follows the name ("Charles rushed for", "Lawson
# posted", "Carter had"), not "and" ("Bandar Abbas and 1,500 kilometers")
_HOLDER_VERB = re.compile(r"^\s+(?:also\s+)?(?:[a-z]+ed|had|has|scored|added|got|made|threw|ran|caught|led|"
                          r"finished|took|won|lost|missed|posted|turned|hit|kicked|gained|netted)\b")
_SPEECH = re.compile(r"\b(?:said|says|told|tells|according|reported|announced|added that|estimated)\b", re.I)


def _other_holder(s: Sentence, value: str, other: Sentence) -> str | None:
    """The person whose figure `value` is in s ("Jamaal Charles rushed for 226 yards"), when the
    other sentence does not name them: its figure may be a team's or another player's ("The Chiefs
    racked up 507 yards"). A speaker is no holder ("Smith said 40 people were hurt")."""
    i = s.text.find(value)
    if i < 0:
        return None
    before = [e for e in s.of("PERSON") if e.end <= i]
    if not before:
        return None
    person = max(before, key=lambda e: e.end)
    gap = s.text[person.end:i]
    if not _HOLDS.match(gap) or _SPEECH.search(gap) or not _HOLDER_VERB.match(gap):
        return None
    name = surname(person.text)
    return None if re.search(rf"\b{re.escape(name)}", other.text, re.I) else person.text


# words that tell of an earlier occasion of the same kind ("the last such patch", "last year"); a
# running count's "since September" or a "target" dates nothing else
_EARLIER = re.compile(r"\b(?:(?:the )?(?:last|previous|prior) (?:such|time|one)|last (?:year|month|week)|"
                      r"(?:the )?previous (?:year|month|week)|a year (?:earlier|ago|before))\b", re.I)


def _marks(s: Sentence) -> set[str]:
    """The words in s that put what it tells on an earlier occasion."""
    return {m.group(0).lower().removeprefix("the ")[:6] for m in _EARLIER.finditer(s.text)}


# a length of term written as a modifier: "a seven-year deal", "a 10-year contract", "a three-month ban"
_TERM = re.compile(r"\b((?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)-(?:year|month|week|day|game))\b")
_AND_MORE = re.compile(r"^\s*([a-z]+)\s+and\s+(?:the\s+|its\s+|their\s+)?([a-z]+)\b(?!\s+\d)")


def _sum_and_part(c: Conflict) -> bool:
    """One figure counts two kinds ("some 420 passengers and crew"), the other only the first of
    them ("its 246 passengers and most of its crew"), and the sum is the larger: a part and a whole."""
    (x, y) = c.claims
    vx, vy = number_value(x.value), number_value(y.value)
    if vx is None or vy is None or vx == vy:
        return False
    big, small = (x, y) if vx > vy else (y, x)
    m = _AND_MORE.match(_after(big.value, big.sentence))
    if not m or m.group(2).endswith("ed") or number_value(m.group(2)) is not None:
        return False  # "25 points and grabbed 16 rebounds": two counts, not one count of two kinds
    if (n := _AND_MORE.match(_after(small.value, small.sentence))) and n.groups() == m.groups():
        return False  # both count the same two kinds: one count told two ways
    return _after(small.value, small.sentence).lower().lstrip().startswith(m.group(1))
