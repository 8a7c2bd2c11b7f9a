"""Figures that one slot of a story holds across articles whose sentences no alignment pairs: two
articles that each give one value, and only one, for a slot (homes cut off, a price, a crowd)."""
from __future__ import annotations

import re
from itertools import combinations

from .clocks import clock_times
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
    unnamed_subject,
)
from .dates import MONTHS
from .nlp import Ent, Sentence, number_value, surname


def _slot_of(s: Sentence, e: Ent) -> str | None:
    """The slot a number fills across a story: the unit it counts, or the kind of value it is."""
    if e.label == "MONEY":  # a sum's slot is its currency's: "£1.7 million" and "$2.6 million" are two
        return f"money:{_currency(e.text) or 'unknown'}"
    if e.label == "PERCENT":  # a share is keyed by what it measures: "inflation, at 6.1%" / "Prices rose 6.4%"
        m = _PERCENT_OF.search(s.text[:e.start])
        if not m:
            return "%"
        from ..features import stem
        word = stem(m.group(1).lower())
        return "%:" + _SAME_SLOT.get(word, word)
    from ..features import STOPWORDS, stem

    unit = _unit(s, e)
    if unit in STOPWORDS:  # a function word names no slot across a story ("VanDeest scored 13 for the ...")
        unit = None
    if unit is None and (m := _NUMBER_OF.search(s.text)):  # "the number of people killed has risen to 15"
        unit = stem(m.group(1).lower())
    if unit is None and (m := _SUBJECT_WAS.search(s.text[:e.start])):  # "the attendance at X was 48,000"
        unit = stem(m.group(1).lower())
    unit = _SAME_SLOT.get(unit, unit) if unit else unit
    if unit and _SPAN_AFTER.match(s.text, e.end):
        return None  # "fifteen games later": a span of time, not a count of the story's games
    if unit in _DISTANCE:
        # "1,150 kilometers (700 miles) southeast of Tehran": the distance from one place is its own
        # slot, apart from the story's other distances (the epicentre's from another town); a
        # distance from nowhere named ("13 nautical miles away", "12 miles from shore") is none
        m = _FROM_PLACE.match(s.text, e.end)
        return f"{_DISTANCE[unit]}@{m.group(1).lower()}" if m else None
    return unit if unit and unit.isalpha() and len(unit) > 2 else None


_CAPITALISED = frozenset({"the", "a", "an", "in", "on", "at", "but", "and", "he", "she", "it", "they", "his", "her"})
_DISTANCE = {"km": "km", "kilomet": "km", "kilometr": "km", "mile": "mile"}
_FROM_PLACE = re.compile(r"\)?(?:\s*\([^)]{0,25}\))?\s*(?:(?:north|south|east|west)(?:east|west)?(?:-?(?:east|west))?\s+)?"
                         r"(?:of|from)\s+([A-Z][\w-]+)")


_SPAN_AFTER = re.compile(r"[\s-]*[a-z]+\s+(?:later|earlier|ago|before|after|on)\b", re.I)
_NUMBER_OF = re.compile(r"\b(?:number|count|toll) of ([a-z]+)", re.I)
# a bare number after a copula names its slot by the subject: "The attendance at Selwyn Arena was 48,000"
_SUBJECT_WAS = re.compile(r"\b[Tt]he ([a-z]{4,})(?: (?:at|of|in|for|on) [^,;.]{1,40})? (?:was|is|stood at|reached|"
                          r"rose to|fell to|totalled|totaled)(?: (?:about|some|around|nearly|almost|roughly|"
                          r"more than|over|just over|just under))? $")
# words that name the size of one crowd (stems): "52,000 fans" and "the attendance was 48,000" are one slot
_SAME_SLOT = {w: "crowd" for w in ("fan", "support", "spectat", "attend", "attende", "crowd", "audienc")}
_SAME_SLOT.update({w: "inflat" for w in ("inflat", "price", "cpi")})  # "inflation at 6.1%" / "prices rose 6.4%"
# the word a share measures, right before it past a verb of change or level ("inflation, at 6.1%",
# "Prices rose 6.4%", "unemployment stood at 5%")
_PERCENT_OF = re.compile(r"\b([A-Za-z]{3,}),?(?:\s+(?:at|of|by|to|rose|fell|rise|rises|falls|reached|stood|was|is|"
                         r"hit|climbed|dropped|jumped|increased|decreased|grew|up|down|about|around|nearly|almost|"
                         r"some|an|a|the|annual|rate|had|has|have|been|well|above|below|over|under)){1,4}\s*$")


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
                        _held_for_many(c, len(figures[slot]), "unit")
                        out.append((a, b, c, stating))
                        break
    found = {(id(a), id(b)) for a, b, _, _ in out}
    more = (anchored_conflicts(sentences, group) + game_clock_conflicts(sentences, group)
            + order_conflicts(sentences, group) + calibre_conflicts(sentences, group)
            + schedule_conflicts(sentences, group))
    return out + [t for t in more if (id(t[0]), id(t[1])) not in found]


def _held_for_many(c: Conflict, figures: int, what: str) -> None:
    """A story giving one unit (or one count) three figures or more counts several things with it
    (a player's games this season, last season, missed): the difference is only possible."""
    if figures > 2 and not c.why:
        c.confidence = COMPATIBLE
        c.why = f"the story gives {figures} figures of this {what}: they may count different things"


def _part(text: str, e: Ent) -> bool:
    """A part of a count, or a modifier, not the count: "his first 17 passes", "29 of 34 passes",
    "an 11-game streak"."""
    return bool(_PART_BEFORE.search(text[:e.start]) or re.match(r"\s+of\s+\d", text[e.end:])
                or _WHOLE_OF.search(text[:e.start])
                or (e.text[-1:].isdigit() and re.match(r"-[a-z]", text[e.end:])) or re.search(r"\d-[a-z]", e.text))


# the word a small count hangs on: the content word just before it ("shot seven times", "the
# pirates, in three boats", "missed nine games"), found through at most two function words
_FUNCTION = (r"(?:in|on|with|for|by|of|a|an|the|had|has|have|been|was|were|about|some|just|only|all|at least|"
             r"almost|nearly|more than|over|around|roughly|some)")
_BEFORE = re.compile(r"([A-Za-z][a-z]{2,})(?:,?\s+" + _FUNCTION + r"){0,3}\s+$")
# a count after killing or injuring counts people: "injuring 40, 15 of them on the island"
_CASUALTY = re.compile(r"^(?:kill|injur|wound|hurt|dead|die)", re.I)
_TIMES = {"twice": 2.0, "thrice": 3.0}
_TIMES_WORD = re.compile(r"\b(?:twice|thrice)\b", re.I)
# "missing 10 of the Saints' 16 games": the part counts what the whole does
_OF_WHOLE = re.compile(r"\s+of\s+(?:the\s+|his\s+|her\s+|their\s+|its\s+)?(?:[A-Z][\w.]*['’]s?\s+)?[\d,.]+\s+([a-z]{3,})")
# "Richard Carter added 12": a player's figure right after his name and one verb
_PERSON_VERB = re.compile(r"^\s+(?:[a-z]+ed|had|has|scored|added|got|made|threw|ran|caught|led|finished|"
                          r"took|won|lost|missed)\s+(?:with\s+)?$")


def _anchored(s: Sentence) -> list[tuple[tuple[str, str], Ent]]:
    """Each small count of a sentence keyed by what it hangs on: the person whose figure it is
    ("Carter scored 14 points") and the word before it ("shot seven times"), with its unit; a bare
    figure after a player's name takes the unit of the sentence's figure before it ("VanDeest led
    with 13 points, while Carter added 12")."""
    from ..features import STOPWORDS, stem

    out, last_unit = [], None
    times = [Ent(m.group(0), "TIMES", m.start(), m.end()) for m in _TIMES_WORD.finditer(s.text)]
    for e in sorted(s.of("CARDINAL", "QUANTITY", "DATE") + times, key=lambda e: e.start):
        if e.label == "TIMES":  # "married twice" counts times as "married three times" does
            if (before := _BEFORE.search(s.text[:e.start])) and before.group(1).lower() not in STOPWORDS:
                out.append(((stem(before.group(1).lower()), "time"), e))
            continue
        if not _counted(s.text, e) or number_value(e.text) is None:
            continue
        before = _BEFORE.search(s.text[:e.start])
        if e.label == "DATE" and not (e.text.isdigit() and before and _CASUALTY.match(before.group(1))):
            continue  # a bare count the tagger took for a year: "injuring 40"
        unit = _unit(s, e)
        if (m := _OF_WHOLE.match(s.text, e.end)):
            unit = stem(m.group(1))
        elif (unit in STOPWORDS and unit != "time") or (unit and not unit.isalpha()):
            unit = None  # "shot seven times" counts times; "scored 13 for the Bulldogs" nothing
        elif _part(s.text, e):
            continue
        person = next((p for p in s.of("PERSON") if p.end <= e.start
                       and _PERSON_VERB.match(s.text[p.end:e.start])), None)
        if unit is None and person is not None:
            unit = last_unit
        if unit is None and before and _CASUALTY.match(before.group(1)):
            unit = "peopl"
        if not unit or len(unit) < 3:
            continue
        last_unit = unit
        if person is not None:
            out.append(((surname(person.text), unit), e))
        if before and before.group(1).lower() not in STOPWORDS:
            out.append(((stem(before.group(1).lower()), unit), e))
    return out


def anchored_conflicts(sentences: list[Sentence], group: list[int]
                       ) -> list[tuple[Sentence, Sentence, Conflict, list[Sentence]]]:
    """Small counts that one thing holds across articles whose sentences no alignment pairs: the
    same person's figure of one unit ("Carter scored 14 points" / "Carter added 12"), or a count
    hung on the same word ("shot seven times" / "was shot 11 times", "pirates in two boats" / "The
    pirates, in three boats"). The slots above leave counts under ten alone; here a count is tied
    by its anchor, its unit and the actors both sentences name. An article giving two values for
    the key is left out, and a story giving it three values or more is held back as possible."""
    from ..features import content_terms

    values: dict[tuple[str, ...], dict[int, dict[float, list[tuple[Sentence, Ent]]]]] = {}
    for s in sentences:
        if _dateline(s):
            continue
        occasions = _occasions(s)
        for key, e in _anchored(s):
            v = _TIMES.get(e.text.lower()) or number_value(e.text)
            # a count is keyed by the occasion its sentence names too, so an article telling two
            # quakes ("on Sunday, injuring five" / "in September ... injuring 40") gives one value
            # for each: the other source's September figure meets its September one
            for k in (key, *((*key, o) for o in occasions)):
                values.setdefault(k, {}).setdefault(group[s.article], {}).setdefault(v, []).append((s, e))
    out, paired, proper = [], set(), _proper(sentences)
    for key, by_group in sorted(values.items()):
        figures = {v for vals in by_group.values() for v in vals}
        single = [next(iter(vals.items())) for vals in by_group.values() if len(vals) == 1]
        for (v, wa), (w, wb) in combinations(single, 2):
            if v == w or not 0.5 <= v / w <= 2:
                continue
            for (a, x), (b, y) in ((p, q) for p in wa for q in wb):
                shared = set(content_terms(a.text)) & set(content_terms(b.text))
                shared -= set(key) | {t for t in shared if any(ch.isdigit() for ch in t)}
                if not shared or _other_people(a, b) or not _names(a, proper) & _names(b, proper) or _CUMULATIVE.search(a.text + " " + b.text) \
                        or (id(a), id(b), v, w) in paired or _gives(a, w, key[1]) or _gives(b, v, key[1]):
                    continue
                paired.add((id(a), id(b), v, w))
                c = _weighed(Conflict("number", [Claim(x.text, a.article, a.text),
                                                 Claim(y.text, b.article, b.text)]), a, x, b, y)
                _held_for_many(c, len(figures), "count")
                stating = [t for vals in by_group.values() for u in (v, w) for t, _ in vals.get(u, [])]
                out.append((a, b, c, stating))
                break
    return out


def _other_people(a: Sentence, b: Sentence) -> bool:
    """The two sentences name people and none in common (organisations aside: "the navy" and "the
    Defence Ministry" tell one event), or one is about a "he" the other does not name."""
    pa, pb = {surname(e.text) for e in a.of("PERSON")}, {surname(e.text) for e in b.of("PERSON")}
    if pa and pb:
        return not pa & pb
    return unnamed_subject(a, b)


def _gives(s: Sentence, value: float, unit: str) -> bool:
    """The sentence itself gives `value` of `unit` too: two figures of one unit in one sentence
    count two things ("two touchdowns" rushing and "three touchdowns on punt runbacks")."""
    return any(number_value(e.text) == value and _unit(s, e) == unit for e in s.of("CARDINAL", "QUANTITY"))


def _names(s: Sentence, proper: frozenset[str] = frozenset()) -> set[str]:
    """The capitalised words a sentence names things by: a count of one thing is told of the same
    named ship, player or town. Its first word counts when an entity starts there, or when the
    story writes that word capitalised inside a sentence too (`proper`: "Page was married three
    times", where "Bettie Page" is written elsewhere)."""
    words = {w for w in re.findall(r"(?<=\s)[A-Z][\w'’-]+", s.text)}
    words |= {w for e in s.ents if e.label not in NUMBER_LABELS for w in e.text.split() if w[:1].isupper()}
    if (first := re.match(r"\W*([A-Z][\w'’-]+)", s.text)) and first.group(1).lower() in proper:
        words.add(first.group(1))
    return {w.rstrip("'’s").lower() for w in words if len(w) > 2} - _CAPITALISED


def _proper(sentences: list[Sentence]) -> frozenset[str]:
    """The words a story writes capitalised inside its sentences: its names."""
    return frozenset(w.lower() for s in sentences for w in re.findall(r"(?<=[a-z,;] )[A-Z][\w'’-]+", s.text))


_PERIOD_WORDS = frozenset({"first", "second", "third", "fourth", "quarter", "half", "period", "play", "remain", "left",
                           "minut", "go"})


def game_clock_conflicts(sentences: list[Sentence], group: list[int]
                         ) -> list[tuple[Sentence, Sentence, Conflict, list[Sentence]]]:
    """One moment of a game told with two clocks by sentences no alignment pairs ("tied the game
    with 10:03 to play in the third quarter" / "tied the game with 6:00 remaining in the third
    quarter"). Only when each article gives one clock of that period in all its sentences, each
    sentence gives one game clock, and the two share two words or more beyond the clock's own and
    the names (the same play: a recap names its players in every sentence)."""
    from ..features import content_terms, stem

    clocks: dict[tuple[str, ...], dict[int, list[tuple[Sentence, int, str]]]] = {}
    for s in sentences:
        games = [t for t in clock_times(s) if t[0][0] == "game"]
        if len(games) != 1:
            continue  # "tied it with 14:05 left, then set the record with 7:41 to go": two moments
        for slot, value, _, written in games:
            if all(slot[1:]):
                clocks.setdefault(slot, {}).setdefault(group[s.article], []).append((s, value, written))
    out = []
    for slot, by_group in sorted(clocks.items()):
        single = [found[0] for found in by_group.values() if len(found) == 1]
        for (a, va, wa), (b, vb, wb) in combinations(single, 2):
            names = {stem(w.lower()) for w in re.findall(r"[A-Z][\w'’-]+", a.text + " " + b.text)}
            shared = {w for w in set(content_terms(a.text)) & set(content_terms(b.text))
                      if w not in _PERIOD_WORDS | names and not any(ch.isdigit() for ch in w)}
            if abs(va - vb) > 2 and len(shared) >= 2 and not _other_people(a, b):
                out.append((a, b, Conflict("date", [Claim(wa, a.article, a.text), Claim(wb, b.article, b.text)]),
                            [a, b]))
    return out


_MONTH_OR_DAY = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|"
                           r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


def _occasions(s: Sentence) -> set[str]:
    """The months and weekdays a sentence's dates name: the occasion its figures are of."""
    return {m.group(1).lower() for e in s.of("DATE") for m in _MONTH_OR_DAY.finditer(e.text)}


# words that give a rank or a round: two of them in one long shared wording are two versions of one
# fact ("Friday's second semifinal between Evansville and ..." / "Friday's second quarterfinal between ...")
_ORDER = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                    "final", "finals", "semifinal", "semifinals", "quarterfinal", "quarterfinals"})
_ORDINAL = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth", "6th": "sixth",
            "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth"}
ORDER_CONTEXT = 4  # words on each side that two sentences must share around the differing word


def order_conflicts(sentences: list[Sentence], group: list[int]
                    ) -> list[tuple[Sentence, Sentence, Conflict, list[Sentence]]]:
    """A rank or a round that two articles give differently in the same wording: the same four
    words before and after, one word apart (second semifinal / second quarterfinal, third / fourth
    straight title). An article giving two words in that wording is left out."""
    from ..features import STOPWORDS

    seen: dict[tuple[tuple[str, ...], tuple[str, ...]], dict[int, dict[str, list[Sentence]]]] = {}
    for s in sentences:
        if _dateline(s):
            continue
        text = re.sub(r"\b(semi|quarter)[\s-]+(finals?)\b", r"\1\2", s.text.lower())
        words = [_ORDINAL.get(w, w) for w in re.findall(r"[a-z0-9]+", text)]
        for i, w in enumerate(words):
            if w not in _ORDER or i < ORDER_CONTEXT or i + ORDER_CONTEXT >= len(words):
                continue
            left, right = tuple(words[i - ORDER_CONTEXT:i]), tuple(words[i + 1:i + 1 + ORDER_CONTEXT])
            if sum(x not in STOPWORDS and x not in _ORDER for x in left + right) < 3:
                continue  # "in the first half of the" is no wording of one fact
            seen.setdefault((left, right), {}).setdefault(group[s.article], {}).setdefault(w, []).append(s)
    out, paired = [], set()
    for _, by_group in sorted(seen.items()):
        single = [(w, found[0]) for said in by_group.values() if len(said) == 1 for w, found in said.items()]
        for (x, a), (y, b) in combinations(single, 2):
            if x != y and (id(a), id(b)) not in paired:
                paired.add((id(a), id(b)))
                out.append((a, b, Conflict("order", [Claim(x, a.article, a.text), Claim(y, b.article, b.text)]),
                            [a, b]))
    return out


# a gun's calibre in inches (".38-caliber", "a .357 revolver") or millimetres ("a 9mm pistol")
_CALIBRE = re.compile(r"(?<![\d,])\.\s?(\d{2,3})\b(?=[\s-]*(?:calib(?:er|re)|magnum|revolver|pistol|handgun|rifle))"
                      r"|\b(\d{1,2}(?:\.\d{1,2})?)[\s-]?mm\b(?=[\s-]*(?:calib(?:er|re)|pistol|handgun|rifle|semi|gun|glock))", re.I)


def calibre_conflicts(sentences: list[Sentence], group: list[int]
                      ) -> list[tuple[Sentence, Sentence, Conflict, list[Sentence]]]:
    """One gun given two calibres by two articles (".38-caliber revolver" / ".357 caliber revolver").
    Only when each article names one calibre of that measure in all its sentences, the two sentences
    share a content word beyond the calibre's own and do not name different people; a story naming
    three calibres or more holds several guns, and its differences are only possible."""
    from ..features import content_terms

    found: dict[str, dict[int, dict[str, list[tuple[Sentence, str]]]]] = {}
    for s in sentences:
        for m in _CALIBRE.finditer(s.text):
            measure, value = ("inch", "." + m.group(1)) if m.group(1) else ("mm", m.group(2) + "mm")
            found.setdefault(measure, {}).setdefault(group[s.article], {}).setdefault(value, []).append((s, m.group(0)))
    gun = {"calib", "caliber", "calibr", "calibre", "magnum", "mm"}
    out = []
    for _, by_group in sorted(found.items()):
        values = {v for said in by_group.values() for v in said}
        single = [next(iter(said.items())) for said in by_group.values() if len(said) == 1]
        for (v, wa), (w, wb) in combinations(single, 2):
            if v == w:
                continue
            for (a, x), (b, y) in ((p, q) for p in wa for q in wb):
                shared = {t for t in set(content_terms(a.text)) & set(content_terms(b.text))
                          if t not in gun and not any(ch.isdigit() for ch in t)}
                if shared and not _other_people(a, b):
                    c = Conflict("number", [Claim(v, a.article, a.text), Claim(w, b.article, b.text)])
                    _held_for_many(c, len(values), "calibre")
                    stating = [t for said in by_group.values() for u in (v, w) for t, _ in said.get(u, [])]
                    out.append((a, b, c, stating))
                    break
    return out


# a season's months in order, so "early" reaches the month before its first, "late" the one after its last
_SEASONS = {"spring": (3, 4, 5), "summer": (6, 7, 8), "fall": (9, 10, 11), "autumn": (9, 10, 11), "winter": (12, 1, 2)}
# a plan's start: "set to begin filming in August", "to start the next film in the fall" (months by
# their full names, the first twelve of dates.MONTHS)
_SCHEDULE = re.compile(r"\b(?:begin|start|resume|commence|open|launch)(?:s|ed|ing)?\s+((?:[\w'’-]+\s+){0,3}?)in\s+"
                       r"(?:the\s+)?(?:(early|late|mid)[\s-]+)?(" + "|".join(list(MONTHS)[:12] + list(_SEASONS)) + r")\b"
                       r"(?:,?\s+(\d{4}))?", re.I)


def _months(season_or_month: str, edge: str | None) -> set[int]:
    """The months a schedule word allows: a month itself, or a season's three ("late summer" reaches
    into the month after, "early fall" into the month before)."""
    word = season_or_month.lower()
    if word in MONTHS:
        return {MONTHS[word]}
    months = _SEASONS[word]
    if (edge or "").lower() == "early":
        return {*months, (months[0] - 2) % 12 + 1}
    if (edge or "").lower() == "late":
        return {*months, months[-1] % 12 + 1}
    return set(months)


def schedule_conflicts(sentences: list[Sentence], group: list[int]
                       ) -> list[tuple[Sentence, Sentence, Conflict, list[Sentence]]]:
    """When a plan starts, given two ways by two articles ("set to begin filming in August" / "to
    start the next film in the fall"): the same thing started (a content word of its object in
    common), months that cannot meet (August is no month of the fall), and one time per article for
    it. A plan moves as a story develops: the conflict is `moving`, an update when the sources were
    published apart."""
    from ..features import STOPWORDS, stem

    said: dict[str, dict[int, dict[str, list[tuple[Sentence, set[int], str | None, str, frozenset[str]]]]]] = {}
    for s in sentences:
        for m in _SCHEDULE.finditer(s.text):
            what = {stem(w.lower()) for w in re.findall(r"[a-z]{3,}", m.group(1).lower()) if w not in STOPWORDS}
            when = " ".join(w for w in (m.group(2), m.group(3)) if w)
            for w in what:
                said.setdefault(w, {}).setdefault(group[s.article], {}).setdefault(when.lower(), []).append(
                    (s, _months(m.group(3), m.group(2)), m.group(4), when, _clause_people(s, m.start())))
    out, paired = [], set()
    for _, by_group in sorted(said.items()):
        single = [next(iter(times.values())) for times in by_group.values() if len(times) == 1]
        for wa, wb in combinations(single, 2):
            (a, ma, ya, va, pa), (b, mb, yb, vb, pb) = wa[0], wb[0]
            if ma & mb or (ya and yb and ya != yb) or (id(a), id(b)) in paired or pa ^ pb:
                continue
            paired.add((id(a), id(b)))
            out.append((a, b, Conflict("date", [Claim(va, a.article, a.text), Claim(vb, b.article, b.text)],
                                       moving=True), [a, b]))
    return out


def _clause_people(s: Sentence, start: int) -> frozenset[str]:
    """The surnames in the clause that states a plan's start, from the comma or bracket before it:
    "Smith's trial begins in March" and "Jones's trial will start in June" are two plans; people
    named elsewhere in the sentence ("Ross wants a raise, with filming to begin in August") are not."""
    begin = max(s.text.rfind(ch, 0, start) for ch in ",;()")
    return frozenset(surname(e.text) for e in s.of("PERSON") if e.start > begin and e.start < start)
