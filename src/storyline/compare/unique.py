"""Whether a fact that one source states is that source's alone.

A fact that the aligner put in no group with another source's sentence is not yet unique: the other
sources may state it in other words (on the editor's fact map about half of such sentences are
stated elsewhere). A small logistic model (fitted on the fact map's fit half by
tools/fit_unique_model.py, shipped in models/unique_model.json) gives the probability that a
sentence is stated by another source, from how close its nearest sentences in the other sources
are (by the aligner's model and by the model conflicts are sought with), how many of its content words, names and numbers the other sources use anywhere, where it stands in its
article, its length and whether it is a quotation. Only a fact below the bar is shown as unique
(`unique`); the others are `unmatched`, with the nearest sentence of each other source beside them,
so a reader sees where to look."""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..features import content_terms
from .nlp import Sentence, number_value

_FIGURES = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY")
_NAMES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")
_NUM = re.compile(r"\d[\d,.]*\d|\d")
FEATURES = ["p1", "log_p1", "p2", "log_para", "lead", "log_terms", "cover", "ent_cover", "no_ents", "quote",
            "rare_cover", "num_cover", "no_nums", "log_others", "p1_alt"]


def sentence_features(sentences: list[Sentence], P: np.ndarray, voice: list[Any],
                      P_alt: np.ndarray | None = None) -> np.ndarray:
    """One row of FEATURES per sentence, against the sentences of the other voices (an article's
    copies speak with its voice and do not count as elsewhere)."""
    n = len(sentences)
    out = np.zeros((n, len(FEATURES)))
    if not n:
        return out
    terms = [set(content_terms(s.text)) for s in sentences]
    ents = [{e.text.lower() for e in s.ents} for s in sentences]
    voices = sorted({voice[s.article] for s in sentences}, key=str)
    v_of = np.array([voices.index(voice[s.article]) for s in sentences])
    v_terms = [set().union(*(terms[i] for i in range(n) if v_of[i] == v)) for v in range(len(voices))]
    v_ents = [set().union(*(ents[i] for i in range(n) if v_of[i] == v)) for v in range(len(voices))]
    nums = [set(_NUM.findall(s.text)) for s in sentences]
    v_nums = [set().union(*(nums[i] for i in range(n) if v_of[i] == v)) for v in range(len(voices))]
    common = set.intersection(*v_terms)  # the story's own words, in every voice
    for i, s in enumerate(sentences):
        others = v_of != v_of[i]
        ps = sorted(P[i, others].tolist(), reverse=True) + [0.0, 0.0]
        alt = float((P if P_alt is None else P_alt)[i, others].max()) if others.any() else 0.0
        rest = [v for v in range(len(voices)) if v != v_of[i]]
        cover = max((len(terms[i] & v_terms[v]) / max(1, len(terms[i])) for v in rest), default=0.0)
        ent_cover = max((len(ents[i] & v_ents[v]) / len(ents[i]) for v in rest), default=0.0) if ents[i] else 0.0
        rare = terms[i] - common
        rare_cover = max((len(rare & v_terms[v]) / len(rare) for v in rest), default=0.0) if rare else 1.0
        num_cover = max((len(nums[i] & v_nums[v]) / len(nums[i]) for v in rest), default=0.0) if nums[i] else 0.0
        out[i] = [ps[0], math.log(1e-3 + ps[0]), ps[1], math.log1p(s.para), s.para == 0,
                  math.log1p(len(terms[i])), cover, ent_cover, not ents[i], bool(s.quote),
                  rare_cover, num_cover, not nums[i], math.log(max(1, len(rest))), alt]
    return out


@lru_cache(maxsize=1)
def model() -> dict[str, Any]:
    data = json.loads((resources.files("storyline") / "models" / "unique_model.json").read_text())
    if data["features"] != FEATURES:
        raise RuntimeError("models/unique_model.json was fitted on other features: run tools/fit_unique_model.py")
    return data


def elsewhere(X: np.ndarray, params: dict[str, Any] | None = None) -> np.ndarray:
    """Probability that each sentence (a row of sentence_features) is stated by another source."""
    params = params or model()
    if not len(X):
        return np.zeros(0)
    z = (X - np.array(params["mean"])) / np.array(params["scale"]) @ np.array(params["coef"]) + params["intercept"]
    return 1.0 / (1.0 + np.exp(-z))


def nearest(i: int, sentences: list[Sentence], P: np.ndarray, voice: list[Any]) -> list[tuple[int, float]]:
    """The closest sentence of each other voice to sentence i, closest first: (index, probability)."""
    best: dict[Any, tuple[int, float]] = {}
    for j, t in enumerate(sentences):
        v = voice[t.article]
        if v == voice[sentences[i].article]:
            continue
        if v not in best or P[i, j] > best[v][1]:
            best[v] = (j, float(P[i, j]))
    return sorted(best.values(), key=lambda x: -x[1])


def own_details(s: Sentence, others: list[Sentence]) -> list[str]:
    """The names and figures of sentence `s` that no sentence of `others` (the other sources')
    mentions: what only this source gives, whatever the fact's status. A figure counts by its value
    ("Twelve" is 12); a person by surname; a count under ten ("two banks") is no detail."""
    text = " ".join(o.text for o in others).lower()
    values = {number_value(e.text) for o in others for e in o.ents if e.label in _FIGURES}
    out: list[str] = []
    for e in s.ents:
        if e.label in _FIGURES:
            v = number_value(e.text)
            if v is None or v in values or (e.label == "CARDINAL" and v < 10) or e.text in out:
                continue
            out.append(e.text.strip())
            continue
        if e.label not in _NAMES:
            continue
        name = re.sub(r"\s*\([^)]*$", "", e.text.strip())  # "the Islamic State (Isis": cut at the open bracket
        key = re.sub(r"^the\s+", "", name.lower())
        if e.label == "PERSON" and key.split():
            key = key.split()[-1]  # "Bashar al Assad" is named where "Assad" is
        if len(key) < 3 or name in out:
            continue
        if not re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", text):
            out.append(name)
    return out
