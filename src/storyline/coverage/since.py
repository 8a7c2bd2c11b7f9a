"""What is new in a story since a time: new articles and sources, facts no earlier article stated,
figures that moved, new conflicts, and a short update summary that leaves out what the reader
already knew, a citation on every sentence. A pure function of a comparison (`compare_articles`'s
output): an article counts as new when it was published after the time; an undated one cannot be
placed and is listed apart, never counted as new or as known."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ..dates import to_datetime, to_iso
from ..errors import StorylineError

SUMMARY_WORDS = 80


class BadTime(StorylineError):
    """A --since or ?since= value that is not a date or a date and time."""


def parse_since(value: str | datetime) -> datetime:
    """An aware UTC datetime from an ISO 8601 date or date-time (a date is its midnight, UTC)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    iso = to_iso(value) if value and value.strip()[:1].isdigit() else None
    dt = to_datetime(iso) if iso else None
    if dt is None:
        raise BadTime(f"since: {value!r} is not a date or time (give ISO 8601: 2025-07-08 or 2025-07-08T09:00Z)")
    return dt.astimezone(timezone.utc)


def _claim_sources(cl: dict[str, Any]) -> list[int]:
    return list(cl.get("sources") or [cl["source"]])


def _sentence(cl: dict[str, Any], later: set[int]) -> str | None:
    """The claim's sentence as a source still there tells it (not one published after `until`)."""
    if cl.get("source") not in later:
        return cl.get("sentence")
    return next((x["sentence"] for x in cl.get("sentences") or [] if x.get("source") not in later), None)


def changes_since(c: dict[str, Any], since: str | datetime, words: int = SUMMARY_WORDS,
                  until: str | datetime | None = None) -> dict[str, Any]:
    """What a reader who last looked at `since` has not seen of the compared story `c` (with
    `until`, only what was published up to then: one update of the story, as a feed entry has it)."""
    at = parse_since(since)
    end = parse_since(until) if until is not None else None
    src = {s["n"]: s for s in c["sources"]}
    when = {n: to_datetime(s.get("published_at")) for n, s in src.items()}
    if end is not None:  # what came after `until` is not yet there
        src = {n: s for n, s in src.items() if when[n] is None or when[n] <= end}
        when = {n: when[n] for n in src}
    new = {n for n, t in when.items() if t is not None and t > at}
    undated = {n for n, t in when.items() if t is None}
    old = set(src) - new - undated
    later = {s["n"] for s in c["sources"]} - set(src)
    def ref(n: int) -> dict[str, Any]:
        return {"n": n, "id": src[n]["id"], "outlet": src[n].get("source"),
                "published_at": src[n].get("published_at"), "copy_of": src[n].get("copy_of")}

    known_outlets = {(src[n].get("source") or "").lower() for n in old}
    new_sources = sorted({src[n].get("source") or "unknown outlet" for n in new
                          if (src[n].get("source") or "").lower() not in known_outlets})
    new_facts = [{"fact": f["id"], "status": f["status"], "text": f["text"], "sources": sorted(set(f["sources"]) - later)}
                 for f in c["facts"] if set(f["sources"]) - later and set(f["sources"]) - later <= new]
    updates, conflicts = [], []
    for x in c["conflicts"]:
        claims = [{"value": cl["value"], "sources": sorted(set(_claim_sources(cl)) - later),
                   "sentence": _sentence(cl, later)} for cl in x["claims"] if set(_claim_sources(cl)) - later]
        if len({cl["value"] for cl in claims}) < 2:  # the other side is not published yet: no conflict
            continue
        fresh = [cl for cl in claims if set(cl["sources"]) <= new]
        known = [cl for cl in claims if set(cl["sources"]) & old]
        if x.get("update"):
            if fresh and known:  # a figure the reader knew, and its new value
                updates.append({"id": x["id"], "fact": x.get("fact"), "kind": x.get("kind"),
                                "from": known[-1], "to": fresh[-1]})
        elif fresh:  # a side the reader has not seen: the conflict is new
            conflicts.append({"id": x["id"], "fact": x.get("fact"), "kind": x.get("kind"), "claims": claims,
                              "new_claims": fresh})
    out = {"since": at.isoformat().replace("+00:00", "Z"), "new_articles": [ref(n) for n in sorted(new)],
           "undated_articles": [ref(n) for n in sorted(undated)], "known_articles": len(old),
           "new_sources": new_sources, "new_facts": new_facts, "updates": updates, "new_conflicts": conflicts}
    out["summary"] = update_summary(out, words)
    return out


def update_summary(changes: dict[str, Any], words: int = SUMMARY_WORDS) -> list[dict[str, Any]]:
    """Sentences of what is new, each citing the new sources that state it: figures that moved
    first, then new conflicts, then new facts (those several new sources state first); cut at
    `words` words (the first sentence is always kept)."""
    out: list[dict[str, Any]] = []
    for u in changes["updates"]:
        text = u["to"]["sentence"] or f"The figure is now {u['to']['value']}."
        out.append({"text": f"{text.rstrip()} (was {u['from']['value']})", "sources": u["to"]["sources"],
                    "kind": "update"})
    for x in changes["new_conflicts"]:
        new_side = x["new_claims"][0]  # a side the reader has not seen, cited by its own sources
        others = sorted({n for cl in x["claims"] if cl["sources"] != new_side["sources"] for n in cl["sources"]})
        out.append({"text": f"{(new_side['sentence'] or new_side['value']).rstrip()} (disputed by "
                            f"{''.join(f'[{n}]' for n in others)})", "sources": new_side["sources"], "kind": "conflict"})
    facts = sorted(changes["new_facts"], key=lambda f: (-len(f["sources"]), f["fact"]))
    for f in facts:
        out.append({"text": f["text"], "sources": f["sources"], "kind": "fact"})
    kept, total = [], 0
    for s in out:
        if not s["sources"]:
            continue
        n = len(s["text"].split())
        if kept and total + n > words:
            break
        kept.append(s)
        total += n
    return kept
