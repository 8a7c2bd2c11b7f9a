"""Compare the sources of a story fact by fact: agreed, unique, conflicting; quotes; entities;
timeline; a cited summary. `compare_articles` is the one data function every renderer uses."""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np

from ..dedup import wire_credit
from ..model import Article, independent_sources, voice
from .align import align, conflict_grouping
from .confidence import features as conflict_features
from .confidence import probability as conflict_probability
from .confidence import shown_bar
from .conflicts import (
    COMPATIBLE,
    NUMBER_LABELS,
    SHOWN,
    Conflict,
    date_conflicts,
    dates,
    find_conflicts,
    word_overlap,
)
from .dates import latest_absolute, normalise_date
from .doubt import doubt, two_differences
from .nlp import STATEMENT_WORDS, Sentence, analyse, number_value, surname
from .slots import story_slot_conflicts
from .summary import summarise
from .unique import elsewhere, nearest, own_details, sentence_features
from .unique import model as unique_model

SCHEMA_VERSION = "1.4"  # 1.1: claims list every source of a value; updates; 1.2: disputed summary sentences;
# 1.3: the paragraph of every evidence and claim sentence; conflicts' confidence; possible differences
# 1.4: a fact of one source is `unique` only when no other source is likely to state it, else `unmatched`
# with the nearest sentence of each other source; `elsewhere` (that probability) on every one-source fact;
# each source's `wire`
ENTITY_LABELS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place",
                 "NORP": "group", "EVENT": "event"}


def copy_groups(articles: list[Article], duplicate_of: dict[str, str | None] | None = None) -> list[int]:
    """For each article, the index of the article it copies (itself when original).

    Uses the store's duplicate links when given, else MinHash over shingles as the story engine does.
    """
    ids = {a.id: i for i, a in enumerate(articles)}
    root = list(range(len(articles)))
    if duplicate_of is not None:
        for i, a in enumerate(articles):
            d = duplicate_of.get(a.id)
            if d in ids:
                root[i] = ids[d]
        return root
    import numpy as np

    from ..dedup import DedupConfig, jaccard_estimates, signature
    from ..features import shingles

    sigs = [signature(shingles(a.text)) for a in articles]
    for i in range(1, len(articles)):
        if sigs[i].size:
            j = jaccard_estimates(sigs[i], np.vstack(sigs[:i]))
            k = int(np.argmax(j))
            if j[k] >= DedupConfig().threshold:
                root[i] = root[k]
    return root


def compare_articles(articles: list[Article], words: int = 120,
                     duplicate_of: dict[str, str | None] | None = None, explain: bool = False) -> dict[str, Any]:
    """The comparison of a set of articles, as a JSON-ready dict (schema in docs/comparison.md).
    `explain` adds each difference's `features` (what the conflict model read)."""
    seen: set[str] = set()
    arts = []
    for a in articles:
        if a.id not in seen:
            seen.add(a.id)
            arts.append(a)
    groups = copy_groups(arts, duplicate_of)
    # copies speak with their original's voice; originals by wire, outlet, or (unknown outlet) alone
    voices = [voice(arts[g].id, arts[g].source, wire_credit(arts[g].body)) for g in groups]
    analysed = analyse(arts)
    bases = [a.published_at[:10] if a.published_at else latest_absolute(a.body) for a in arts]
    published = [bool(a.published_at) for a in arts]
    sentences: list[Sentence] = [s for ss in analysed for s in ss]
    facts_raw, P = align(sentences)
    texts = [a.text.lower() for a in arts]
    n = lambda i: i + 1  # noqa: E731 - sources are numbered [1], [2], ...

    sources = [{"n": n(i), "id": a.id, "source": a.source, "title": a.title, "published_at": a.published_at,
                "url": a.url, "copy_of": n(groups[i]) if groups[i] != i else None, "wire": wire_credit(a.body)}
               for i, a in enumerate(arts)]
    facts: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    possible: list[dict[str, Any]] = []  # differences below the shown confidence
    seen_conflicts: dict[Any, str] = {}  # a difference found once -> how it was shown
    fact_of = {id(s): fid for fid, f in enumerate(facts_raw, 1) for s in f.members}
    # a sentence can hold two facts but sits in one: conflicts are also sought between sentences of
    # different facts that are close enough (a looser bar than alignment); the slot tests decide
    facts_c, P_c = conflict_grouping(sentences, facts_raw, P)
    group_of = {id(s): k for k, f in enumerate(facts_c) for s in f.members}
    aligned: dict[int, list[tuple[Sentence, Sentence]]] = {}  # displayed fact -> pairs aligned for conflicts
    for f in facts_c:
        ms = f.members
        for x in range(len(ms)):
            for y in range(x + 1, len(ms)):
                aligned.setdefault(fact_of[id(ms[x])], []).append((ms[x], ms[y]))
    extra: dict[int, list[tuple[Sentence, Sentence]]] = {}
    # pairs the shown fact joins but the conflict grouping does not are checked too, strictly and
    # for dates only: a reader sees them as one fact, so "on Thursday" / "on Friday" would be shown
    # as agreement (figures and names there differ as often because the join itself is wrong: on
    # ECB+ dev's clean pairs, figures gave 3 false conflicts to 0 true)
    shown: dict[int, list[tuple[Sentence, Sentence]]] = {}
    for fid, f in enumerate(facts_raw, 1):
        ms = f.members
        for x in range(len(ms)):
            for y in range(x + 1, len(ms)):
                a, b = ms[x], ms[y]
                if group_of[id(a)] != group_of[id(b)] and groups[a.article] != groups[b.article]:
                    shown.setdefault(fid, []).append((a, b))
    for i, j in zip(*np.where(np.triu(P_c, 1) >= CONFLICT_CANDIDATE)):
        a, b = sentences[i], sentences[j]
        if group_of[id(a)] != group_of[id(b)] and groups[a.article] != groups[b.article] \
                and word_overlap(a.text, b.text) >= EXTRA_OVERLAP:
            extra.setdefault(fact_of[id(a)], []).append((a, b))
    # a fact of one voice is unique only when the other sources are unlikely to state it in other words
    index_of = {id(s): i for i, s in enumerate(sentences)}
    said_elsewhere = elsewhere(sentence_features(sentences, P, voices, P_c))
    slotted: dict[int, list[tuple[Sentence, Conflict, list[Sentence]]]] = {}
    for a, b, c, stating in story_slot_conflicts(sentences, groups):
        slotted.setdefault(fact_of[id(a)], []).append((a, c, [b, *stating]))
        # two sentences that give one slot's figures report one thing: their dates are compared too
        for d in dates(a, b, bases[a.article], bases[b.article]):
            slotted[fact_of[id(a)]].append((a, d, [b]))
    for fid, f in enumerate(facts_raw, 1):
        ms = f.members
        fact = {"id": fid, "status": "unique", "sources": sorted({n(s.article) for s in ms}),
                "independent_sources": len({voices[s.article] for s in ms}),
                "text": ms[0].text, "similarity": round(f.score, 3),
                "only_in_copies": all(groups[s.article] != s.article for s in ms),
                "evidence": [{"source": n(s.article), "article": s.article, "index": s.index, "paragraph": s.para,
                              "sentence": s.text, "context": s.full or s.text}
                             for s in ms]}
        found, witnesses = [], list(ms)  # (conflict, the pair it was found in, the path that found it)
        for a, b in aligned.get(fid, []):
            more = find_conflicts(a, b, bases[a.article], bases[b.article], texts=(texts[a.article], texts[b.article]))
            two_differences(more, a, b)
            if more:
                found += [(c, a, b, "aligned") for c in more]
                witnesses += [s for s in facts_raw[fact_of[id(b)] - 1].members if s not in witnesses]
        for a, b in extra.get(fid, []):
            more = find_conflicts(a, b, bases[a.article], bases[b.article], strict=True,
                                  texts=(texts[a.article], texts[b.article]))
            two_differences(more, a, b)
            if more:
                found += [(c, a, b, "close") for c in more]
                witnesses += [s for s in facts_raw[fact_of[id(b)] - 1].members if s not in witnesses]
        for a, b in shown.get(fid, []):
            found += [(c, a, b, "shown") for c in date_conflicts(a, b, bases[a.article], bases[b.article], strict=True)]
        for a, c, others in slotted.get(fid, []):
            found.append((c, a, others[0], "slot"))
            for b in others:  # every source giving one of the values, not only the pair found
                witnesses += [s for s in facts_raw[fact_of[id(b)] - 1].members if s not in witnesses]
        kinds = set()
        for c, a, b, path in found:
            key = c.key()
            if key in seen_conflicts:
                # the same difference, already listed under another fact, is this fact's too: a fact
                # whose own sentences give 2,400 and 3,100 hectares is not "agreed"
                if seen_conflicts[key] != "possible":
                    kinds.add(seen_conflicts[key])
                continue
            seen_conflicts[key] = "possible"
            claims = _claims(c, witnesses, n)
            update = (c.kind == "number" or c.moving) and _is_update(claims, arts)
            if update:
                claims.sort(key=lambda cl: cl["published_at"] or "")
            x = conflict_features(c, a, b, path, float(P_c[index_of[id(a)], index_of[id(b)]]))
            if not c.why and (reason := doubt(c, a, b, texts)):
                c.confidence, c.why = min(c.confidence, COMPATIBLE), reason
            if c.confidence >= SHOWN:  # not already two values that can both be true: the model's say
                c.confidence = conflict_probability(x)
                if c.confidence < shown_bar():
                    c.why = "unlikely to be one fact (the conflict model)"
            item = {"kind": c.kind, "update": update, "fact": fid, "confidence": round(c.confidence, 2),
                    "claims": claims, **({"features": x} if explain else {})}
            if not update and (c.why or c.confidence < shown_bar()):  # a possible difference, not shown
                possible.append(dict(item, id=len(possible) + 1, why=c.why))
                fact.setdefault("possible", []).append(len(possible))
                continue
            kinds.add("update" if update else "conflict")
            seen_conflicts[key] = "update" if update else "conflict"
            conflicts.append(dict(item, id=len(conflicts) + 1))
        if "conflict" in kinds:
            fact["status"] = "conflict"
        elif "update" in kinds:
            fact["status"] = "update"
        elif fact["independent_sources"] >= 2:
            fact["status"] = "agreed"
        else:
            i = max((index_of[id(s)] for s in ms), key=lambda k: said_elsewhere[k])
            fact["elsewhere"] = round(float(said_elsewhere[i]), 2)
            fact["own_details"] = own_details(ms[0], [t for t in sentences if voices[t.article] != voices[ms[0].article]])
            # "unique" is a claim about a statement: a piece of fewer than five words ("No", "Don
            # Manumaleuna said.", a bare name) is too short to say what no other source says
            if said_elsewhere[i] >= unique_model()["bar"] or max(len(s.text.split()) for s in ms) < STATEMENT_WORDS:
                fact["status"] = "unmatched"
                fact["nearest"] = [{"source": n(sentences[j].article), "paragraph": sentences[j].para,
                                    "sentence": sentences[j].text, "probability": round(p, 2)}
                                   for j, p in nearest(i, sentences, P, voices)[:2]]
        facts.append(fact)
    summary = summarise(facts, conflicts, words, voice_of={n(i): v for i, v in enumerate(voices)})
    for f in facts:
        for e in f["evidence"]:
            e.pop("article")
    return {
        "schema": f"storyline.comparison/{SCHEMA_VERSION}",
        "sources": sources,
        "facts": facts,
        "conflicts": conflicts,
        "possible": possible,
        "quotes": _quotes(analysed, n),
        "entities": _entities(analysed, n),
        "timeline": _timeline(analysed, bases, published, n),
        "summary": summary,
        "stats": {"articles": len(arts), "independent_sources": independent_sources(set(voices)),
                  "agreed": sum(f["status"] == "agreed" for f in facts),
                  "unique": sum(f["status"] == "unique" for f in facts),
                  "unmatched": sum(f["status"] == "unmatched" for f in facts),
                  "conflict": sum(f["status"] == "conflict" for f in facts),
                  "update": sum(f["status"] == "update" for f in facts)},
    }


CONFLICT_CANDIDATE = 0.3  # pair probability from which two sentences of different facts are checked
EXTRA_OVERLAP = 0.7  # ...and share this share of the shorter one's content words (precision first)
UPDATE_GAP = 12 * 3600  # a figure published half a day or more after another is a later state


def _states(c: Conflict, value: str, s: Sentence) -> bool:
    """Whether sentence `s` states `value` for the slot of conflict `c`."""
    if c.kind == "attribution":
        return bool(s.speaker) and surname(s.speaker) == surname(value)
    if c.kind == "number":
        v = number_value(value)
        return v is not None and any(number_value(e.text) == v for e in s.of(*NUMBER_LABELS))
    if c.kind == "name":
        return surname(value) in s.text.lower()
    return value.lower() in s.text.lower()


def _claims(c: Conflict, members: list[Sentence], n: Any) -> list[dict[str, Any]]:
    """Each value of a conflict with every source of the fact that states it (not only the pair
    in which the conflict was found)."""
    out = []
    for cl in c.claims:
        holders = [s for s in members if s.article == cl.article or _states(c, cl.value, s)]
        if any(_states(c, other.value, s) for other in c.claims if other is not cl for s in holders
               if s.article != cl.article):
            holders = [s for s in holders if s.article == cl.article]  # one that states both is no witness
        srcs = sorted({n(s.article) for s in holders})
        out.append({"value": cl.value, "source": n(cl.article), "sentence": cl.sentence, "sources": srcs,
                    "sentences": [{"source": n(s.article), "sentence": s.text, "paragraph": s.para}
                                  for s in holders]})
    return out


_MOVED = re.compile(r"\b(?:has|have|had)?\s*(?:risen|rose|climbed|jumped|grown|grew|increased|fallen|fell|dropped|"
                    r"now stands?|reached|up from|down from)\b|\bnow\b", re.I)


def _is_update(claims: list[dict[str, Any]], arts: list[Article]) -> bool:
    """A figure that moved as the story developed: every source of one value was published at
    least UPDATE_GAP before every source of the next; or, of two values, the later one's sentence says
    the figure moved ("has risen to 15", "has now burned") and the other was first stated no later
    (a source that repeats the old figure afterwards is behind, not in dispute). Undated sources keep
    the conflict."""
    from ..dates import to_timestamp

    spans = []
    for cl in claims:
        stamps = [arts[k - 1].published_at for k in cl["sources"]]
        times = [to_timestamp(t) for t in stamps]
        if not times or any(t is None for t in times):
            return False
        # a date without a time may be any hour of that day: it counts as its noon
        times = [t + (43200 if len(iso or "") <= 10 else 0) for t, iso in zip(times, stamps)]  # type: ignore[operator]
        spans.append((min(times), max(times)))
        cl["published_at"] = min(stamps)  # type: ignore[type-var]
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    if all(spans[p][1] + UPDATE_GAP <= spans[q][0] for p, q in zip(order, order[1:])):
        return True
    if len(claims) != 2:
        return False
    # one value's sentence says the figure moved ("has risen to 15") and the other value was first
    # stated before it: a later source that still gives the old value (or a bound of it) is behind
    first, last = order
    moved = [any(_MOVED.search(s["sentence"]) for s in cl["sentences"]) for cl in claims]
    return moved[last] and not moved[first] and spans[first][0] <= spans[last][0]


def _quotes(analysed: list[list[Sentence]], n: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for sents in analysed:
        for s in sents:
            if not (s.quote or s.speaker):
                continue
            text = s.quote or unframed(s.text, s.speaker)
            for q in out:  # the same quote printed by several sources
                if q["speaker"] and s.speaker and surname(q["speaker"]) == surname(s.speaker) and _close(q["text"], text):
                    if n(s.article) not in q["sources"]:
                        q["sources"].append(n(s.article))
                        q["sentences"].append({"source": n(s.article), "sentence": s.text})
                    break
            else:
                out.append({"text": text, "speaker": s.speaker, "direct": bool(s.quote), "sources": [n(s.article)],
                            "sentences": [{"source": n(s.article), "sentence": s.text}]})
    return out


# the reporting frame around reported speech: "…, Interfax has reported." / "…, he said." / "According
# to X, …": who told it is the quote's `speaker` (or the agency), not part of what was said
_FRAME_END = re.compile(r",\s+[^,]{2,60}?\s+(?:has\s+|have\s+|had\s+)?reported\.?$")
_FRAME_START = re.compile(r"^(?:According to [^,]{2,80},\s*)")


def unframed(text: str, speaker: str | None = None) -> str:
    """Reported speech without its reporting frame: "Interfax has reported", "According to X,", and
    "<speaker>, …, said (that)" before what was said."""
    out = _FRAME_START.sub("", _FRAME_END.sub("", text.strip()))
    if speaker:
        said = re.search(r"\b(?:said|says|told reporters|stated)\s+(?:that\s+)?", out)
        if said and surname(speaker) in out[:said.start()].lower() and len(out) - said.end() > 20:
            out = out[said.end():]
    out = out.rstrip(" ,") + ("." if out and out[-1] not in ".!?\"”" else "")
    return out[:1].upper() + out[1:] if out else text


def _close(a: str, b: str) -> bool:
    return word_overlap(a, b) >= 0.6


_PLACE_BEFORE = {"in", "near", "at", "from", "to", "towards", "outside", "across", "around"}
_SETTLEMENT_OF = re.compile(r"\b(?:city|town|village|capital|port|province|region|district)\s+of\s+$", re.I)
_CRAFT = (r"(?:aircraft\s+carrier|carrier|warship|ship|vessel|frigate|destroyer|cruiser|submarine|tanker|"
          r"freighter|ferry|liner|yacht|boat|jet|fighter|bomber|airliner|aircraft|plane|helicopter|drone|"
          r"rocket|missile|satellite|spacecraft|locomotive)")
_CRAFT_NEAR = re.compile(r"\b(?:the\s+)?" + _CRAFT + r"\s+$", re.I)          # "the carrier Admiral Kuznetsov"
_CRAFT_AFTER = re.compile(r"^['’]?s?\s+(?:" + _CRAFT + r")s?\b", re.I)         # "the Admiral Kuznetsov aircraft carrier"
_CRAFT_MODEL = re.compile(r"^(?:[A-Z][a-z]?[A-Z]?|[A-Z]{1,3})-\d{1,4}[A-Z]?$")  # MiG-29, Su-33, F-16 (beside "jets")
_KIND_ORDER = ["vehicle", "place", "person", "organisation", "group", "event"]


def clean_span(text: str) -> str:
    """An entity's name without a leading "the", a trailing possessive, or an unclosed bracket
    ("Islamic State (Isis" -> "Islamic State")."""
    name = text.strip().strip("\"“”'‘’,.;:")
    name = name[4:] if name.lower().startswith("the ") else name
    for o, c in ("()", "[]"):
        if name.count(o) != name.count(c):
            name = name.split(o)[0] if name.count(o) > name.count(c) else name.replace(c, "")
    name = re.sub(r"(?:'s|’s)$", "", name.strip())
    return " ".join(name.split())


# a personal title right before a name ("Governor Ilse Varga", "Deputy Governor", "Lt.")
_TITLE_BEFORE = re.compile(r"\b(?:Governor|President|Minister|Secretary|Chancellor|Mayor|Senator|Sen\.|Rep\.|"
                           r"Judge|Justice|General|Gen\.|Colonel|Col\.|Admiral|Captain|Capt\.|Lieutenant|Lt\.|"
                           r"Sergeant|Sgt\.|Officer|Commissioner|Chief|Coach|Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.|"
                           r"Professor|Inspector|Detective|Sheriff|Deputy|Spokesman|Spokeswoman|Director)\s+$")
_NAME_SHAPE = re.compile(r"^[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){0,2}$")  # "Ilse Varga": words of a personal name


def _entities(analysed: list[list[Sentence]], n: Any) -> list[dict[str, Any]]:
    """Entities of the story: the mentions of one entity merged (a surname joins the full name it
    ends, whatever kind the model gave each), the kind most of its mentions support (a name after
    "in" or "near" votes for a place), spans cleaned."""
    votes: dict[str, Counter[str]] = {}
    forms: dict[str, Counter[str]] = {}
    sources: dict[str, set[int]] = {}
    for sents in analysed:
        for s in sents:
            for e in s.ents:
                kind = ENTITY_LABELS.get(e.label)
                name = clean_span(e.text)
                if not kind or len(name) < 2 or not name[0].isalnum():
                    continue
                before = s.text[:e.start].split()[-1:]
                if kind != "place" and before and before[0].lower() in _PLACE_BEFORE and " " not in name:
                    kind = "place"
                if kind != "person" and _TITLE_BEFORE.search(s.text[:e.start]) and _NAME_SHAPE.match(name):
                    kind = "person"  # "Governor Ilse Varga", "Lt. Gerry Scherlinck": a title names a person
                if _SETTLEMENT_OF.search(s.text[:e.start]):
                    kind = "place"  # "the second city of Aleppo" is a place, whatever the model says
                near = s.text[max(0, e.start - 40):e.end + 40]
                if (_CRAFT_MODEL.match(name) and re.search(_CRAFT, near, re.I)) \
                        or _CRAFT_NEAR.search(s.text[max(0, e.start - 30):e.start]) \
                        or _CRAFT_AFTER.match(s.text[e.end:e.end + 40]):
                    kind = "vehicle"  # the Admiral Kuznetsov aircraft carrier, a MiG-29: no person, no company
                key = name.lower()
                votes.setdefault(key, Counter())[kind] += 1
                forms.setdefault(key, Counter())[name] += 1
                sources.setdefault(key, set()).add(n(s.article))
    # a one-word name joins the one longer name that ends with it (Kuznetsov -> Admiral Kuznetsov)
    ends: dict[str, list[str]] = {}
    for key in votes:
        if " " in key:
            ends.setdefault(key.split()[-1], []).append(key)
    into = {k: ends[k][0] for k in votes if " " not in k and len(ends.get(k, [])) == 1}
    merged: dict[str, dict[str, Any]] = {}
    for key in votes:
        root = into.get(key, key)
        d = merged.setdefault(root, {"votes": Counter(), "sources": set(), "mentions": 0})
        d["votes"].update(votes[key])
        d["sources"] |= sources[key]
        d["mentions"] += sum(votes[key].values())
    out = []
    for root, d in merged.items():
        kind = max(d["votes"].items(), key=lambda kv: (kv[1], -_KIND_ORDER.index(kv[0])))[0]
        out.append({"text": forms[root].most_common(1)[0][0], "kind": kind, "sources": sorted(d["sources"]),
                    "mentions": d["mentions"]})
    out.sort(key=lambda d: (-len(d["sources"]), -d["mentions"], d["text"]))
    return out


def _timeline(analysed: list[list[Sentence]], bases: list[str | None], published: list[bool],
              n: Any) -> list[dict[str, Any]]:
    events: dict[tuple[str, str], dict[str, Any]] = {}
    for sents in analysed:
        for s in sents:
            for e in s.of("DATE"):
                norm = normalise_date(e.text, bases[s.article], published[s.article])
                if not norm:
                    continue
                when, approx = norm
                key = (when, s.text)
                # the same dated event in several sources: same date, overlapping words
                match = next((v for (w, _), v in events.items() if w == when and _close(v["text"], s.text)), None)
                if match is None:
                    match = next((v for (w, _), v in events.items() if w == when and v["sources"] != [n(s.article)]
                                  and _shares_event(v["text"], s.text)), None)
                if match is None:
                    events[key] = {"date": when, "approximate": approx, "expression": e.text, "text": s.text,
                                   "sources": [n(s.article)], "evidence": [{"source": n(s.article), "sentence": s.text}]}
                elif n(s.article) not in match["sources"]:
                    match["sources"].append(n(s.article))
                    match["evidence"].append({"source": n(s.article), "sentence": s.text})
                    match["approximate"] = match["approximate"] and approx
    return sorted(events.values(), key=lambda v: (v["date"], v["text"]))


def _shares_event(a: str, b: str) -> bool:
    from ..features import content_terms

    ta, tb = set(content_terms(a)), set(content_terms(b))
    return len(ta & tb) >= 2
