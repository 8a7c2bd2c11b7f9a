"""Who stated each fact first: for every agreed fact of a comparison, the earliest dated original
that states it, the sources that repeated it later, and the copies that carried it (with the wire
they credit). A pure function of a comparison (`compare_articles`'s output) and the wire credits:
the store's when given (`coverage.story_fact_firsts`), else the wire each source's text credits."""
from __future__ import annotations

from typing import Any

from ..dates import to_datetime


def fact_firsts(c: dict[str, Any], wires: dict[str, str | None] | None = None) -> list[dict[str, Any]]:
    """One entry per agreed fact: `first` (the earliest dated original stating it, or None when no
    original stating it is dated), `then` (the later dated originals, in time order), `undated`
    (originals without a date: never ranked), `copies` (copies that carried it: never first, each
    with the source it copies and the wire it credits) and a one-line `line`."""
    wires = wires or {}
    src = {s["n"]: s for s in c["sources"]}
    out = []
    for f in c["facts"]:
        if f["status"] != "agreed":
            continue
        reports = []
        for n in f["sources"]:
            s = src[n]
            reports.append({"n": n, "outlet": s.get("source"), "article_id": s["id"],
                            "published_at": s.get("published_at"), "copy_of": s.get("copy_of"),
                            "wire": wires.get(s["id"], s.get("wire"))})
        originals = [r for r in reports if not r["copy_of"]]
        dated = sorted((r for r in originals if to_datetime(r["published_at"]) is not None),
                       key=lambda r: (to_datetime(r["published_at"]), r["n"]))
        undated = [r for r in originals if to_datetime(r["published_at"]) is None]
        copies = [r for r in reports if r["copy_of"]]
        entry = {"fact": f["id"], "text": f["text"], "first": dated[0] if dated else None, "then": dated[1:],
                 "undated": undated, "copies": copies}
        entry["line"] = fact_line(entry, src)
        out.append(entry)
    return out


def _when(r: dict[str, Any], day: str | None) -> str:
    """A report's time: hh:mm on the day of the first report, else the date and time (UTC)."""
    dt = to_datetime(r["published_at"])
    if dt is None:
        return "undated"
    from datetime import timezone

    dt = dt.astimezone(timezone.utc)
    has_time = len(r["published_at"] or "") > 10
    if not has_time:
        return dt.date().isoformat()
    return f"{dt:%H:%M}" if day == dt.date().isoformat() else f"{dt:%Y-%m-%d %H:%M}"


def fact_line(entry: dict[str, Any], sources: dict[int, dict[str, Any]], with_text: bool = True) -> str:
    """`3,000 evacuated: first Meridian Times 07:30, then Northfield News 09:00, Coastline Daily 11:30`,
    with copies and undated reports after."""
    def name(r: dict[str, Any]) -> str:
        credit = f" (wire {r['wire']})" if r["wire"] and not r["copy_of"] else ""
        return f"{r['outlet'] or 'unknown outlet'} [{r['n']}]{credit}"

    first = entry["first"]
    day = None
    parts = []
    if first:
        dt = to_datetime(first["published_at"])
        day = dt.date().isoformat() if dt else None
        parts.append(f"first {name(first)} {_when(first, None)}")
    else:
        parts.append("first: undated")
    if entry["then"]:
        parts.append("then " + ", ".join(f"{name(r)} {_when(r, day)}" for r in entry["then"]))
    if entry["undated"]:
        parts.append("undated " + ", ".join(name(r) for r in entry["undated"]))
    for r in entry["copies"]:
        of = sources.get(r["copy_of"], {})
        credit = f", wire {r['wire']}" if r["wire"] else ""
        parts.append(f"copied by {name(r)} {_when(r, day)} (of {of.get('source') or 'unknown outlet'} "
                     f"[{r['copy_of']}]{credit})")
    return (f"{entry['text'].rstrip('.')}: " if with_text else "") + "; ".join(parts)
