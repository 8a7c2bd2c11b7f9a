"""A planted-conflict benchmark built from real articles (ECB+ or any JSONL with a `story` field).

For a story, a sentence of article A that states a value (a number, a date, a place, a name or a
speaker) gets that value changed, and the changed sentence is put into another article B of the
same story (not a copy): either as A wrote it ("copy" variant) or, where B states the same value in
its own words, by changing B's own sentence ("paraphrase" variant). `compare` of A and the planted
B should report a conflict of that kind naming the new value; `compare` of the clean A and B should
report none. Deterministic for a seed."""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..model import Article

KINDS = ("number", "date", "place", "name", "attribution")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
_DATELINE_WORDS = re.compile(r"\b(?:posted|updated|published|last updated)\b|\d:\d\d", re.I)
_SAID = re.compile(r"\b(said|says|told|added|stated|announced)\b")


@dataclass
class Plant:
    kind: str
    variant: str
    story: str
    a: Article
    b: Article  # with the planted sentence
    clean_b: Article
    old: str
    new: str


_COUNT = re.compile(r"^(?:(?:about|some|nearly|almost|around|more than|at least|over|up to) )?\$?\d[\d,]*(?:\.\d+)?"
                    r"(?: ?(?:%|percent|[a-z]+))?$", re.I)


def _new_number(text: str, rng: random.Random, after: str = "", before: str = "", counts: bool = True) -> str | None:
    """A count changed (never a clock time, a score, an address, a phone number, a decimal's
    fraction, a team's name or a year): the number must count something named after it (`counts`:
    the model read the next word as the noun it counts, or the value carries its unit)."""
    if not _COUNT.match(text.strip()) or re.match(r"\s*(?:[ap]\.?\s?m\b|ers\b|[:/]|[A-Z]\.)", after) \
            or re.search(r"(?:ers|[ap]m)$", text) or not counts:
        return None  # a team's name, a clock time, an address ("200 W. American Blvd"), "called 911 when"
    if re.search(r"\.\s?$", before) or re.match(r"\s*(?:West|East|North|South)\b", after):
        return None  # "0. 08 percent" split by the corpus's tokeniser; "100 West American Boulevard"
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if not m or not re.match(r"\s*(?:[a-zA-Z%$]|-[a-z])", text[m.end():] + after):
        return None
    if re.match(r"\s*[:\-]\s*\d", text[m.end():] + after):
        return None
    raw = m.group(0)
    v = float(raw.replace(",", ""))
    if v < 2 or (1900 <= v <= 2100 and "," not in raw):
        return None  # years are dates; 0 and 1 are rarely counts
    w = round(v * rng.choice([1.5, 2.0, 3.0, 0.5]))
    if w == v or w < 1:
        w = v + 3
    s = f"{int(w):,}" if "," in raw else str(int(w))
    return text[:m.start()] + s + text[m.end():]


def _new_date(text: str, rng: random.Random) -> str | None:
    """Another date of the same shape; a full date changes its day or year, not its weekday name."""
    m = re.search(r"\b(\d{1,2})(?=,? (?:19|20)\d{2}\b)", text)  # "July 13, 2009"
    if m:
        day = int(m.group(1))
        return text[:m.start()] + str(day + 3 if day <= 25 else day - 3) + text[m.end():]
    for names in (WEEKDAYS, MONTHS):
        for n in names:
            if re.search(rf"\b{n}\b", text):
                return re.sub(rf"\b{n}\b", rng.choice([x for x in names if x != n]), text, count=1)
    m = re.search(r"\b(19|20)\d{2}\b", text)
    if m:
        return text[:m.start()] + str(int(m.group(0)) + rng.choice([-3, -2, 2, 3])) + text[m.end():]
    return None


def plants(stories: dict[str, list[Article]], per_kind: int = 60, seed: int = 11,
           events: dict[str, list[set[str]]] | None = None) -> list[Plant]:
    """Up to `per_kind` planted pairs of each kind and variant. `events` gives, per article id and
    body paragraph, the real-world events the paragraph reports (ECB+ alignment annotation): the
    own-words variant only changes a sentence of B that reports an event A's sentence reports too,
    so it is the same fact in other words. Without `events`, only the copy variant is planted."""
    from dataclasses import replace

    from .nlp import detokenise, nlp

    rng = random.Random(seed)
    model = nlp()
    # the articles as `compare` reads them (corpus tokenisation undone), so values match everywhere
    stories = {k: [replace(a, body=[detokenise(p) for p in a.body]) for a in arts] for k, arts in stories.items()}
    names_of: dict[str, Counter[str]] = {"PERSON": Counter(), "GPE": Counter()}
    candidates: dict[str, list[tuple[str, Article, Any, str, str, str, int]]] = {k: [] for k in KINDS}
    for story, arts in sorted(stories.items()):
        if len(arts) < 2:
            continue
        for a in arts:
            # facts only: no datelines ("Posted on March 15, 2011 6:07 PM"), no fragments
            keep = [k for k, p in enumerate(a.body) if 8 <= len(p.split()) <= 60 and not _DATELINE_WORDS.search(p)]
            for k, sent in zip(keep, model.pipe([a.body[k] for k in keep])):
                for e in sent.ents:
                    if e.label_ in names_of:
                        names_of[e.label_][e.text] += 1
                    kind = {"CARDINAL": "number", "QUANTITY": "number", "MONEY": "number", "PERCENT": "number",
                            "DATE": "date", "GPE": "place", "LOC": "place", "PERSON": "name"}.get(e.label_)
                    if kind == "name" and _SAID.search(sent.text[e.end_char:][:20]):
                        kind = "attribution"  # "Smith said": the speaker
                    if kind:
                        after = sent.text[e.end_char:e.end_char + 12]
                        before = sent.text[max(0, e.start_char - 3):e.start_char]
                        nxt = sent[e.end] if e.end < len(sent) else None
                        counts = e.label_ != "CARDINAL" or (nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "ADJ"))
                        candidates[kind].append((story, a, (after, before, counts), sent.text, e.text, e.label_, k))  # type: ignore[arg-type]
    # replacement values: people and places the corpus names often, written as names are
    proper = re.compile(r"^[A-Z][a-z]+(?: [A-Z][a-z]+)?$")
    people = sorted(n for n, c in names_of["PERSON"].items() if c >= 2 and len(n.split()) == 2 and proper.match(n))
    places = sorted(n for n, c in names_of["GPE"].items() if c >= 3 and proper.match(n))
    out: list[Plant] = []
    for kind in KINDS:
        pool = candidates[kind]
        rng.shuffle(pool)
        made = Counter()  # type: ignore[var-annotated]
        for story, a, after, sentence, value, label, k in pool:
            others = [b for b in stories[story] if b.id != a.id and b.text[:200] != a.text[:200]]
            if not others:
                continue
            b = rng.choice(others)
            if kind == "number":
                changed = _new_number(value, rng, *after)
            elif kind == "date":
                changed = _new_date(value, rng)
            else:
                if kind == "place" and (label != "GPE" or not proper.match(value)):
                    continue  # what a small model calls a place is often not one
                if kind in ("name", "attribution") and not proper.match(value.split()[-1]):
                    continue
                pick = [x for x in (people if kind in ("name", "attribution") else places)
                        if x not in a.text and x not in b.text and x.split()[-1] not in value]
                changed = rng.choice(pick) if pick else None
            if not changed or changed == value:
                continue
            # paraphrase variant: B states the same value in a sentence of its own
            ev_a = events.get(a.id, []) if events else []
            ev_b = events.get(b.id, []) if events else []
            own = [p for j, p in enumerate(b.body) if value in p and p != sentence and kind != "attribution"
                   and k < len(ev_a) and j < len(ev_b) and ev_a[k] & ev_b[j]]
            variant = "paraphrase" if own and made["paraphrase"] < per_kind else "copy"
            if made[variant] >= per_kind:
                continue
            if variant == "paraphrase":
                target = own[0]
                body = [p.replace(value, changed, 1) if p == target else p for p in b.body]
            else:
                body = list(b.body)
                body.insert(min(len(body), 1 + rng.randrange(max(1, len(body)))), sentence.replace(value, changed, 1))
            rest = " ".join(body).replace(changed, " ")
            if re.search(rf"(?<![\w.,]){re.escape(value)}(?![\w]|[.,]\d)", rest):
                continue  # B would state both values: an article at odds with itself, not with A
            planted = Article(title=b.title, body=body, source=b.source, id=b.id + "-planted",
                              published_at=b.published_at)
            out.append(Plant(kind, variant, story, a, planted, b, value, changed))
            made[variant] += 1
            if made["copy"] >= per_kind and made["paraphrase"] >= per_kind:
                break
    return out


def found(c: dict[str, Any], plant: Plant) -> bool:
    """Whether a comparison reports the planted conflict: its kind, naming the new value."""
    kinds = {plant.kind} | ({"name", "attribution"} if plant.kind in ("name", "attribution") else set())
    for k in c["conflicts"]:
        if k["kind"] in kinds or (plant.kind == "place" and k["kind"] in ("place", "name", "other")):
            if any(_overlaps(cl["value"], plant.new) for cl in k["claims"]):
                return True
    return False


def _overlaps(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a in b or b in a or bool(set(re.findall(r"\w+", a)) & set(re.findall(r"\w+", b)) - {"the", "of"})


def paragraph_events(path: str, rows: list[dict[str, Any]]) -> dict[str, list[set[str]]] | None:
    """Per article id, the non-main events of each body paragraph, from the ECB+ alignment file
    beside `path` (alignment-NAME), or None when there is none."""
    import json
    import os

    from .evaluation import gold_of

    folder, name = os.path.split(path)
    apath = os.path.join(folder, "alignment-" + name)
    if not os.path.exists(apath):
        return None
    by_line: dict[tuple[str, int], set[str]] = {}
    with open(apath, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                story = json.loads(line)
                found, _ = gold_of(story)
                for (i, ln), evs in found.items():
                    by_line[(story["documents"][i]["id"], ln)] = evs
    out = {}
    for row in rows:
        lines = [i for i, ln in enumerate(row["text"].split("\n")) if ln.strip()]
        body_lines = lines if row.get("title") else lines[1:]  # as article_from_labelled reads it
        out[str(row["id"])] = [by_line.get((str(row["id"]), i), set()) for i in body_lines]
    return out


def eval_planted(path: str, per_kind: int = 60, seed: int = 11) -> dict[str, Any]:
    """Recall per kind and variant, precision of reported conflicts, and false conflicts on clean pairs."""
    from ..evaluate import article_from_labelled, read_jsonl
    from . import compare_articles

    stories: dict[str, list[Article]] = {}
    rows = read_jsonl(path)
    for row in rows:
        stories.setdefault(str(row.get("story")), []).append(article_from_labelled(row))
    ps = plants(stories, per_kind, seed, paragraph_events(path, rows))
    hits: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    reported = right = 0
    clean_pairs = clean_false = 0
    seen_clean: set[tuple[str, str]] = set()
    for p in ps:
        c = compare_articles([p.a, p.b], words=40)
        total[(p.kind, p.variant)] += 1
        ok = found(c, p)
        hits[(p.kind, p.variant)] += ok
        reported += len(c["conflicts"])
        right += sum(any(_overlaps(cl["value"], p.new) for cl in k["claims"]) for k in c["conflicts"])
        key = (p.a.id, p.clean_b.id)
        if key not in seen_clean:
            seen_clean.add(key)
            clean = compare_articles([p.a, p.clean_b], words=40)
            clean_pairs += 1
            clean_false += bool(clean["conflicts"])
    out: dict[str, Any] = {"plants": len(ps)}
    for kind in KINDS:
        for variant in ("copy", "paraphrase"):
            if total[(kind, variant)]:
                out[f"recall_{kind}_{variant}"] = hits[(kind, variant)] / total[(kind, variant)]
                out[f"plants_{kind}_{variant}"] = total[(kind, variant)]
        n = total[(kind, "copy")] + total[(kind, "paraphrase")]
        out[f"recall_{kind}"] = (hits[(kind, "copy")] + hits[(kind, "paraphrase")]) / n if n else None
    all_n = sum(total.values())
    out["recall"] = sum(hits.values()) / all_n if all_n else 0.0
    out["precision"] = right / reported if reported else 0.0
    out["clean_pairs"] = clean_pairs
    out["false_conflict_rate"] = clean_false / clean_pairs if clean_pairs else 0.0
    return out
