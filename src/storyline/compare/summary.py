"""Extractive multi-document summary with a citation on every sentence.

Concept coverage under a word budget (an integer program): content bigrams weighted by how many
independent sources state them, so agreement counts and repeats add nothing; a sentence that
states a disputed value is marked as such, every conflict is named with all its values, and
updates are told in order.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from .nlp import STATEMENT_WORDS, number_value
from .render import when
from .support import supports


def cited_sources(fact: dict[str, Any], text: str) -> list[int]:
    """The fact's sources whose own sentence states `text` (its numbers, names and most words)."""
    return sorted({e["source"] for e in fact["evidence"] if supports(e["context"], text) or supports(e["sentence"], text)})


def concepts(text: str) -> set[str]:
    """The concepts of a sentence: bigrams of stemmed words, unless both are stop words."""
    from ..features import _term, words

    toks = [w.lower() for w in words(text)]
    out = set()
    for a, b in zip(toks, toks[1:]):
        ta, tb = _term(a), _term(b)
        if ta or tb:
            out.add(f"{ta or a} {tb or b}")
    return out


def summarise(facts: list[dict[str, Any]], conflicts: list[dict[str, Any]], words: int = 120,
              voice_of: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """The summary: the sentences that together cover the most weighted concepts within the word
    budget (Gillick & Favre 2009, an integer program solved by scipy's HiGHS), where a concept is a
    content bigram weighted by how many independent sources state it, so what several outlets agree
    on counts most and a repeat adds nothing. A sentence that states one side of a conflict carries
the conflict's id in `disputed`, and notes after the sentences name every value with its sources;
    what only copies add is left out; every sentence cites the sources whose own sentence states it.
    `voice_of` maps a source number to its voice (copies share their original's)."""
    if not facts:
        return []
    # a sentence that states a disputed value is marked with the conflicts it takes a side in; the
    # notes after the sentences name every value with its sources
    def stating(update: bool) -> list[tuple[int, str]]:
        return [(c["id"], x["sentence"]) for c in conflicts if bool(c.get("update")) == update for cl in c["claims"]
                for x in cl.get("sentences", [{"sentence": cl["sentence"]}])]
    # an update is a figure that moved, not a dispute: its sentences are marked `updated`
    disputed, updated = stating(False), stating(True)
    # a figure that a later report replaced is told by the update's note, not as a fact of the story
    superseded = {x["sentence"] for c in conflicts if c.get("update") for cl in c["claims"][:-1]
                  for x in cl.get("sentences", [{"sentence": cl["sentence"]}])}
    # ...and so is another sentence that gives an old figure and not the new one ("Twelve people died")
    old_values = [({number_value(cl["value"]) for cl in c["claims"][:-1]} - {None}, number_value(c["claims"][-1]["value"]))
                  for c in conflicts if c.get("update")]
    voice_of = voice_of or {}
    # candidates: each source's whole sentences, once per text
    cands: list[dict[str, Any]] = []
    seen: set[str] = set()
    for f in facts:
        if f.get("only_in_copies"):
            continue
        for e in f["evidence"]:
            text = e["context"]
            if text in seen or len(text.split()) < STATEMENT_WORDS or _DANGLING.match(text) or _unnamed_place(text) \
                    or len(_PROSE.findall(text)) < 3:  # "JUNE 6, 2013 11: 34PM": a page's stamp, no statement
                continue  # "It was the first combat the carrier has seen": whose "it", out of its article?
            if any(t in text for t in superseded) and not any(t in text for _, t in updated if t not in superseded):
                continue
            if any(_states_value(text, old) and not _states_value(text, {new}) for old, new in old_values):
                continue
            seen.add(text)
            cands.append({"text": text, "fact": f, "index": e["index"], "source": e["source"]})
    if not cands:
        return _notes(conflicts, words, 0)
    voices_with: dict[str, set[str]] = {}
    sets = []
    for c in cands:
        cs = concepts(c["text"])
        sets.append(cs)
        for k in cs:
            voices_with.setdefault(k, set()).add(voice_of.get(c["source"], str(c["source"])))
    n_voices = len(set(voice_of.values())) or len({c["source"] for c in cands})
    floor = 2 if n_voices >= 2 else 1  # with several sources, a concept one source alone states is noise
    weight = {k: len(v) ** CONCEPT_POWER for k, v in voices_with.items() if len(v) >= floor}
    if not weight:  # nothing shared: every concept counts once (ties go to earlier sentences)
        weight = {k: 1 for k in voices_with}
    for c in cands:
        c["disputed"] = sorted({k for k, t in disputed if t in c["text"]})
    chosen_idx = _select(cands, sets, weight, words, _repeats(cands, sets))
    chosen = []
    for j in chosen_idx:
        c = cands[j]
        # the story's central facts first: what an article leads with (news puts it in its first two
        # sentences), then the rest, each by how many sources share its words
        central = sum(weight.get(k, 0) for k in sets[j]) / max(1, len(sets[j]))
        chosen.append({"text": c["text"], "sources": cited_sources(c["fact"], c["text"]), "fact": c["fact"]["id"],
                       "disputed": c["disputed"],
                       "updated": sorted({k for k, t in updated if t in c["text"]}),
                       "_order": (c["index"] > 1, -round(central, 1), c["index"])})
    chosen.sort(key=lambda c: c["_order"])
    for c in chosen:
        c.pop("_order")
    used = sum(len(c["text"].split()) for c in chosen)
    return chosen + _notes(conflicts, words, used)


def _states_value(text: str, values: set[float | None]) -> bool:
    """Whether a sentence gives one of `values` (a figure in digits or in words)."""
    from .nlp import nlp

    return any(e.label_ in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY") and number_value(e.text) in values
               for e in nlp()(text).ents)


_FIGURE = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


def _figures(text: str) -> set[str]:
    """The figures of a sentence that identify a fact: not small counts, not years."""
    out = set()
    for m in _FIGURE.finditer(text):
        v = m.group().replace(",", "")
        try:
            x = float(v)
        except ValueError:
            continue
        if x >= 10 and not (1900 <= x <= 2100 and "," not in m.group() and "." not in v):
            out.add(v)
    return out


def _repeats(cands: list[dict[str, Any]], sets: list[set[str]]) -> list[tuple[int, int]]:
    """Pairs of candidates that must not both be in the summary: two sentences of one fact, two that
    give the same figure ("about 3,000 residents" told three ways), or two that share most of their
    concepts."""
    figures = [_figures(c["text"]) for c in cands]
    out = []
    for i in range(len(cands)):
        for j in range(i + 1, len(cands)):
            same_fact = cands[i]["fact"]["id"] == cands[j]["fact"]["id"]
            overlap = len(sets[i] & sets[j]) / max(1, min(len(sets[i]), len(sets[j])))
            if same_fact or figures[i] & figures[j] or overlap >= 0.5:
                out.append((i, j))
    return out


# a concept weighs the number of voices stating it, squared: what most sources state counts most
# (on the fact map's fit half, ROUGE-1 0.340 at power 1 and 0.344 at 2; 3 adds nothing)
CONCEPT_POWER = 2
# what an article leads with is its main event: a lead sentence earns LEAD_BONUS, and LEAD_SHARE
# of its own concept weight more, so that in a story of many articles a long lead that states the
# event competes with short dense details ("The office building is about 15 miles north of
# Detroit"). Fit half ROUGE-1/2 0.3475/0.246 against centroid 0.3473/0.237 (a flat bonus alone
# gave 0.350/0.252 but left the shooting itself out of an 11-article story; forcing a lead into
# every summary gave 0.345)
LEAD_BONUS = 2.0
LEAD_SHARE = 0.2
DISPUTED_COST = 2.0  # concept weight a sentence that takes a side in a conflict must earn beyond its words


def _select(cands: list[dict[str, Any]], sets: list[set[str]], weight: dict[str, int], words: int,
            repeats: list[tuple[int, int]] | None = None) -> list[int]:
    """The integer program: maximise the weight of covered concepts under the word budget, with no
    two sentences of a repeated pair, and a cost on a sentence that takes a side in a conflict."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    keys = sorted(weight)
    col = {k: i for i, k in enumerate(keys)}
    ns, nc = len(cands), len(keys)
    lengths = np.array([len(c["text"].split()) for c in cands], dtype=float)
    # variables: sentences s_j, then concepts c_i; maximise sum w_i c_i (milp minimises)
    repeats = repeats or []
    index = np.array([c["index"] for c in cands])
    own = np.array([sum(weight.get(k, 0) for k in s) for s in sets], float)
    lead = index <= 1  # an article's lead: its first two sentences (a page's date line is no candidate)
    cost = np.concatenate([-1e-3 / (1 + index) - LEAD_BONUS * lead - LEAD_SHARE * lead * own
                           + DISPUTED_COST * np.array([bool(c.get("disputed")) for c in cands]),
                           -np.array([weight[k] for k in keys], float)])
    rows = lil_matrix((1 + nc + sum(len(s & weight.keys()) for s in sets) + len(repeats), ns + nc))
    lo, hi = [], []
    rows[0, :ns] = lengths
    lo.append(0)
    hi.append(words)
    r = 1
    occurs: dict[int, list[int]] = {}
    for j, s in enumerate(sets):
        for k in sorted(s):  # a fixed order of constraints: the same summary whatever the hash seed
            if k in col:
                occurs.setdefault(col[k], []).append(j)
                rows[r, j] = 1.0  # s_j <= c_i: a chosen sentence covers its concepts
                rows[r, ns + col[k]] = -1.0
                lo.append(-np.inf)
                hi.append(0)
                r += 1
    for i in range(nc):  # c_i <= sum of the sentences that hold it
        for j in occurs.get(i, []):
            rows[r, j] = -1.0
        rows[r, ns + i] = 1.0
        lo.append(-np.inf)
        hi.append(0)
        r += 1
    for i, j in repeats:  # s_i + s_j <= 1
        rows[r, i] = rows[r, j] = 1.0
        lo.append(-np.inf)
        hi.append(1)
        r += 1
    A = rows[:r].tocsr()
    res = milp(cost, constraints=LinearConstraint(A, lo, hi), integrality=np.ones(ns + nc),
               bounds=Bounds(0, 1), options={"time_limit": 5.0})
    if res.x is None:  # no solution in time: the best-covering sentences, greedily
        order = sorted(range(ns), key=lambda j: -own[j] / lengths[j])
        clash = {(i, j) for i, j in repeats} | {(j, i) for i, j in repeats}
        picked, used = [], 0.0
        for j in order:
            if used + lengths[j] <= words and not any((j, k) in clash for k in picked):
                picked.append(j)
                used += lengths[j]
        return picked
    picked = [j for j in range(ns) if res.x[j] > 0.5]
    if not picked:  # every sentence is over the budget: the shortest best one
        picked = [int(np.argmax(own))]
    return picked


_PROSE = re.compile(r"\b[a-z]{3,}\b")  # the lower-case words a statement is written in
#: a sentence that opens on a pronoun needs the sentence before it, which the summary may not hold
_DANGLING = re.compile(r"^[\"'“‘(]*(?:it|its|this|these|those|that|they|their|them|he|his|she|her|such)\b", re.I)
# "ousted rebels from the city last month": which city, when the sentence names none?
_THE_PLACE = re.compile(r"\bthe (?:city|town|village|island|region|province|capital)\b(?!['’]s)")
_NAMED_PLACE = re.compile(r"\b(?:in|of|from|near|at|to|outside|around|across|over|off|into|throughout) "
                          r"(?:the )?(?!(?:Mr|Mrs|Ms|Dr)\b)[A-Z][a-z]+")


def _unnamed_place(text: str) -> bool:
    """A sentence that points at "the city" (town, island...) without naming any place: its
    antecedent is in the article, not in the summary."""
    bare = re.sub(r"[\"“][^\"”]*[\"”]", " ", text)  # a speaker's own "the town" is theirs to say
    return bool(_THE_PLACE.search(bare)) and not _NAMED_PLACE.search(text)


_QUOTED = re.compile(r"[\"“]([^\"”]{8,})[\"”]")


def _gist(sentence: str, n: int = 10) -> str:
    """What a disputed sentence says, in its first words (the quotation when it quotes)."""
    m = _QUOTED.search(sentence)
    words = (m.group(1) if m else sentence).split()
    return " ".join(words[:n]).rstrip(",;:.") + ("…" if len(words) > n else "")


def _notes(conflicts: list[dict[str, Any]], words: int, used: int) -> list[dict[str, Any]]:
    notes = []
    for c in conflicts:
        cites = lambda cl: "".join(f"[{k}]" for k in cl.get("sources", [cl["source"]]))  # noqa: E731
        if c.get("update"):
            steps = " then ".join(f"{cl['value']} {cites(cl)} ({when(cl, c['claims'])})" for cl in c["claims"])
            what = "date" if c["kind"] == "date" else "figure"
            text = f"A {what} was updated as the story developed, in “{_gist(c['claims'][-1]['sentence'])}”: {steps}."
        else:
            values = "; ".join(f"{cl['value']} {cites(cl)}" for cl in c["claims"])
            gist = _gist(c["claims"][0]["sentence"])
            if c["kind"] == "attribution":
                text = f"Sources differ on who said “{gist}”: {values}."
            else:
                label = {"number": "a number", "date": "a date", "place": "a place", "name": "a name"}.get(
                    c["kind"], "a detail")
                text = f"Sources differ on {label} in “{gist}”: {values}."
        if used + len(text.split()) > words + 30:
            break
        notes.append({"text": text, "sources": sorted({k for cl in c["claims"] for k in cl.get("sources", [cl["source"]])}),
                      "fact": c["fact"], "disputed": []})
        used += len(text.split())
    return notes
