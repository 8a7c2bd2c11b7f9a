"""Coverage: the outlet registry, who reported a story first, coverage over time and by group,
and blindspots. The functions here read the store and feed every face (CLI, API, page, export);
the computing is done by the pure functions of `outlets` and `story`."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..errors import StorylineError
from .facts import fact_firsts, story_fact_firsts
from .outlets import (
    KNOWN_ATTRIBUTES,
    TYPES,
    OutletFileError,
    Resolver,
    UnknownOutlet,
    compare_stale,
    conflict_counts,
    import_outlets,
    name_key,
    outlet_stats,
    record_conflicts,
    resolver,
)
from .since import BadTime, changes_since, parse_since
from .story import (
    BLINDSPOT_MIN_SOURCES,
    BLINDSPOT_SHARE,
    blindspot,
    coverage_series,
    first_reported,
    first_reporters,
    group_split,
    store_mix,
)


class UnknownAttribute(StorylineError):
    """A registry attribute no outlet has (a blindspot or a split needs outlets that have it)."""


def outlets_data(store: Any) -> dict[str, Any]:
    """Every outlet with what the store says of it and what the registry knows: the data of
    `storyline outlets`, `/api/outlets`, the outlets page and the export's `outlets` table."""
    rows = store.coverage_rows()
    resolve = resolver(store, rows)
    first = first_reporters(rows, resolve)
    versions = {s["id"]: int(s["updated_seq"]) for s in store.list_stories(limit=None)}
    cached = store.story_conflicts()
    conflicts = conflict_counts(rows, resolve, cached, versions)
    compared = sum(1 for sid, (seq, _) in cached.items() if versions.get(sid) == seq)
    return {"outlets": outlet_stats(rows, resolve, first, conflicts), "compared_stories": compared,
            "stories": len(versions), "attributes": attributes_of(resolve)}


def attributes_of(resolve: Resolver) -> list[str]:
    """The attributes the registry holds, the known ones first."""
    seen = {k for e in resolve.entries.values() for k in e["attributes"]}
    return [k for k in KNOWN_ATTRIBUTES if k in seen] + sorted(seen - set(KNOWN_ATTRIBUTES))


def outlet_data(store: Any, name: str, stories: int = 20) -> dict[str, Any]:
    """One outlet (by name, domain or any name its articles carry) with its latest stories."""
    data = outlets_data(store)
    key = name_key(name)
    rows = store.coverage_rows()
    resolve = resolver(store, rows)
    wanted = resolve(name, None)
    found = next((o for o in data["outlets"] if o["name"] == wanted or name_key(o["name"]) == key
                  or key in (name_key(s) for s in o["sources"])), None)
    if found is None:
        raise UnknownOutlet(f"no outlet {name!r} in the store or its registry (`storyline outlets` lists them)")
    mine = {r["story_id"] for r in rows if resolve(r["source"], r["url"]) == found["name"]}
    listed = [s for s in store.list_stories(limit=None) if s["id"] in mine][:stories]
    first = first_reporters([r for r in rows if r["story_id"] in {s["id"] for s in listed}], resolve)
    found = dict(found, latest_stories=[{"id": s["id"], "title": s["title"], "last_at": s["last_at"],
                                         "independent": s["independent"], "first": first.get(s["id"]) == found["name"]}
                                        for s in listed])
    return found


def story_coverage(store: Any, story_id: str, bucket: str = "auto", by: str = "outlet",
                   attributes: list[str] | None = None) -> dict[str, Any]:
    """A story's coverage: first reported by, articles over time (per outlet or per attribute), and
    the split of its independent sources by each registry attribute (or those asked), with the
    blindspot each one makes. What `storyline story`, `/api/stories/{id}` and the story page show."""
    story = store.get_story(story_id, members=False)
    rows = store.coverage_rows([story["id"]])
    resolve = resolver(store)
    known = attributes_of(resolve)
    if by != "outlet" and by not in known:
        raise UnknownAttribute(_no_attribute(by, known))
    for a in attributes or []:
        if a not in known:
            raise UnknownAttribute(_no_attribute(a, known))
    first = first_reported(rows, resolve)
    if first["article_id"]:
        a = store.get_article(first["article_id"])
        first["title"] = a.title
    groups = []
    for attr in attributes if attributes is not None else known:
        split = group_split(rows, resolve, attr)
        split["blindspot"] = blindspot(split, store_mix(_outlet_values(store, resolve, attr)))
        groups.append(split)
    return {"story_id": story["id"], "first_reported": first, "over_time": coverage_series(rows, resolve, bucket, by),
            "groups": groups}


def _no_attribute(attr: str, known: list[str]) -> str:
    have = f"the registry's attributes: {', '.join(known)}" if known else \
        "the registry is empty: import one with `storyline outlets import FILE`"
    return f"no outlet has the attribute {attr!r} ({have})"


def _outlet_values(store: Any, resolve: Resolver, attribute: str, rows: list[dict[str, Any]] | None = None) -> list[str | None]:
    """The attribute's value of every outlet that has an article in the store."""
    rows = store.coverage_rows() if rows is None else rows
    names = {resolve(r["source"], r["url"]) for r in rows} - {None}
    return [resolve.attributes(n).get(attribute) for n in names]


def blindspot_stories(store: Any, attribute: str, search: str | None = None, sort: str = "latest") -> dict[str, Any]:
    """The stories that are blindspots on `attribute` (the rule in `story.blindspot`, stated in the
    README), newest or largest first, each with its blindspot; and the store's mix of the attribute."""
    all_rows = store.coverage_rows()
    resolve = resolver(store, all_rows)
    known = attributes_of(resolve)
    if attribute not in known:
        raise UnknownAttribute(_no_attribute(attribute, known))
    candidates = store.list_stories(search=search, min_sources=BLINDSPOT_MIN_SOURCES, sort=sort, limit=None)
    mix = store_mix(_outlet_values(store, resolve, attribute, all_rows))
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    wanted = {s["id"] for s in candidates}
    for r in all_rows:
        if r["story_id"] in wanted:
            by_story[r["story_id"]].append(r)
    items = []
    for s in candidates:
        b = blindspot(group_split(by_story[s["id"]], resolve, attribute), mix)
        if b:
            items.append(dict(s, blindspot=b))
    return {"attribute": attribute, "store": mix, "rule": blindspot_rule(), "items": items}


def blindspot_rule() -> str:
    return (f"at least {BLINDSPOT_MIN_SOURCES} independent sources with a value of the attribute, "
            f"at least {BLINDSPOT_SHARE:.0%} of them of one value, while the store's outlets with a value hold "
            f"two values or more and none of them {BLINDSPOT_SHARE:.0%} or more")


def card_extras(store: Any, stories: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What an index card adds to a story row: its lede, its first reporter, and badges for the
    conflicts and updates of its last comparison when the store holds one of its current version."""
    if not stories:
        return {}
    rows = store.coverage_rows([s["id"] for s in stories])
    resolve = resolver(store)
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_story[r["story_id"]].append(r)
    cached = store.story_conflicts([s["id"] for s in stories])
    out = {}
    for s in stories:
        first = first_reported(by_story[s["id"]], resolve)
        lede_id = first["article_id"] or next((r["article_id"] for r in by_story[s["id"]] if not r["duplicate_of"]), None)
        lede = None
        if lede_id:
            a = store.get_article(lede_id)
            lede = a.standfirst or next((p for p in a.body if p.strip()), None)
        seq, found = cached.get(s["id"], (None, {}))
        current = seq == int(s["updated_seq"])
        out[s["id"]] = {"lede": lede, "first_reported": first, "conflicts": found.get("conflicts") if current else None,
                        "updates": found.get("updates") if current else None}
    return out


__all__ = [
    "KNOWN_ATTRIBUTES",
    "TYPES",
    "BadTime",
    "OutletFileError",
    "UnknownAttribute",
    "UnknownOutlet",
    "blindspot_rule",
    "blindspot_stories",
    "card_extras",
    "changes_since",
    "compare_stale",
    "fact_firsts",
    "import_outlets",
    "outlet_data",
    "outlets_data",
    "parse_since",
    "record_conflicts",
    "story_coverage",
    "story_fact_firsts",
]
