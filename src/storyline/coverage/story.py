"""A story's coverage from its articles' rows: who reported it first, how the coverage grew over
time, how its independent sources split by a registry attribute, and whether it is a blindspot.
Pure functions: rows in (`Store.coverage_rows`), data out."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any

from ..dates import to_datetime
from ..model import voice
from .outlets import Resolver

#: the blindspot rule: at least this many independent sources with a value of the attribute,
#: and at least this share of them of one value, while the store's outlets are not that one-sided
BLINDSPOT_MIN_SOURCES = 3
BLINDSPOT_SHARE = 0.8
HOURLY_SPAN = timedelta(days=3)  # a story shorter than this is counted per hour, a longer one per day


def first_reported(rows: list[dict[str, Any]], resolve: Resolver) -> dict[str, Any]:
    """The earliest dated original article and its outlet. Copies never count; undated articles
    are not guessed: with no dated original the answer is "undated", and undated originals beside a
    dated one are counted (`undated_originals`), since one of them may have been first."""
    originals = [r for r in rows if not r["duplicate_of"]]
    dated = [(to_datetime(r["published_at"]), r) for r in originals]
    dated = [(dt, r) for dt, r in dated if dt is not None]
    undated = len(originals) - len(dated)
    if not dated:
        return {"status": "undated" if originals else "none", "article_id": None, "outlet": None,
                "published_at": None, "undated_originals": undated}
    _, r = min(dated, key=lambda x: (x[0], x[1]["seq"]))
    return {"status": "dated", "article_id": r["article_id"], "outlet": resolve(r["source"], r["url"]),
            "published_at": r["published_at"], "undated_originals": undated}


def first_reporters(rows: list[dict[str, Any]], resolve: Resolver) -> dict[str, str | None]:
    """Per story, the outlet that reported it first (None when undated)."""
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_story[r["story_id"]].append(r)
    return {sid: first_reported(rs, resolve)["outlet"] for sid, rs in by_story.items()}


def _floor(dt: datetime, bucket: str) -> datetime:
    dt = dt.astimezone(timezone.utc)
    return dt.replace(minute=0, second=0, microsecond=0) if bucket == "hour" else \
        dt.replace(hour=0, minute=0, second=0, microsecond=0)


def coverage_series(rows: list[dict[str, Any]], resolve: Resolver, bucket: str = "auto",
                    by: str = "outlet") -> dict[str, Any]:
    """Articles (copies included: each is a publication) per hour or day, per outlet or per value of
    a registry attribute (`by`); every bucket from the first to the last is listed, empty ones as 0.
    Undated articles are counted apart, never placed."""
    dated = [(to_datetime(r["published_at"]), r) for r in rows]
    undated = sum(dt is None for dt, _ in dated)
    dated = [(dt, r) for dt, r in dated if dt is not None]
    if bucket == "auto":
        span = max(dt for dt, _ in dated) - min(dt for dt, _ in dated) if dated else timedelta(0)
        bucket = "hour" if span <= HOURLY_SPAN else "day"
    if bucket not in ("hour", "day"):
        raise ValueError(f"bucket must be hour, day or auto, not {bucket!r}")
    out: dict[str, Any] = {"bucket": bucket, "by": by, "buckets": [], "series": [], "undated": undated}
    if not dated:
        return out
    step = timedelta(hours=1) if bucket == "hour" else timedelta(days=1)
    lo, hi = _floor(min(dt for dt, _ in dated), bucket), _floor(max(dt for dt, _ in dated), bucket)
    starts = []
    t = lo
    while t <= hi:
        starts.append(t)
        t += step
    index = {s: i for i, s in enumerate(starts)}
    counts: dict[str, list[int]] = {}
    for dt, r in sorted(dated, key=lambda x: x[0]):
        name = resolve(r["source"], r["url"])
        key = (name or "unknown outlet") if by == "outlet" else (resolve.attributes(name).get(by) or "unknown")
        counts.setdefault(key, [0] * len(starts))[index[_floor(dt, bucket)]] += 1
    out["buckets"] = [s.isoformat().replace("+00:00", "Z") for s in starts]
    out["series"] = [{"name": k, "counts": v, "total": sum(v)} for k, v in counts.items()]
    return out


def voices(rows: list[dict[str, Any]], resolve: Resolver) -> dict[str, str | None]:
    """A story's independent sources (originals, one per outlet or per wire credited) with the
    outlet each is counted under: the wire for a wire-credited report, else its outlet. Outlets are
    joined by the registry, so two names of one outlet are one source here."""
    out: dict[str, str | None] = {}
    for r in rows:
        if r["duplicate_of"]:
            continue
        if r["wire"]:
            name = resolve(r["wire"], None)
            out.setdefault(voice(r["article_id"], None, name), name)
            continue
        name = resolve(r["source"], r["url"])
        out.setdefault(voice(r["article_id"], name), name)
    return out


def group_split(rows: list[dict[str, Any]], resolve: Resolver, attribute: str) -> dict[str, Any]:
    """How a story's independent sources split by an attribute: {value: n}, with those the
    registry gives no value counted as unknown, and a line such as "3 of 4 sources are national"."""
    values = Counter(resolve.attributes(name).get(attribute) or None for name in voices(rows, resolve).values())
    unknown = values.pop(None, 0)
    total = sum(values.values()) + unknown
    split = dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))
    top = next(iter(split), None)
    line = (f"{split[top]} of {total} source{'s' if total != 1 else ''} {'are' if split[top] != 1 else 'is'} "
            f"{_said(attribute, top)}" if top else f"no source has a {attribute}")
    if top and unknown:
        line += f" ({unknown} without a {attribute})"
    return {"attribute": attribute, "values": split, "unknown": unknown, "sources": total, "line": line}


def _said(attribute: str, value: str) -> str:
    """A value as the end of "3 of 4 sources are …": national, from Estovia, owned by X, left."""
    return {"country": f"from {value}", "owner": f"owned by {value}", "language": f"in {value}"}.get(attribute, value)


def store_mix(outlet_values: list[str | None]) -> dict[str, Any]:
    """Whether the store as a whole is mixed on an attribute: its outlets with a value hold two
    values or more and no value holds BLINDSPOT_SHARE of them."""
    values = Counter(v for v in outlet_values if v)
    n = sum(values.values())
    top = values.most_common(1)[0] if values else (None, 0)
    mixed = len(values) >= 2 and top[1] / n < BLINDSPOT_SHARE
    return {"values": dict(values.most_common()), "outlets": n, "mixed": mixed}


def blindspot(split: dict[str, Any], mix: dict[str, Any]) -> dict[str, Any] | None:
    """The value a story's coverage is one-sided on, or None. The rule: the store is mixed on the
    attribute (`store_mix`), at least BLINDSPOT_MIN_SOURCES of the story's independent sources have
    a value, and at least BLINDSPOT_SHARE of those share one value. Sources without a value are
    left out of the share (a wire seldom has a leaning), but never make up the minimum."""
    known = split["sources"] - split["unknown"]
    if not mix["mixed"] or known < BLINDSPOT_MIN_SOURCES:
        return None
    value, n = next(iter(split["values"].items()))
    if n / known < BLINDSPOT_SHARE:
        return None
    return {"attribute": split["attribute"], "value": value, "sources": n, "of": known,
            "line": f"{n} of {known} sources with a {split['attribute']} are {_said(split['attribute'], value)}"}
