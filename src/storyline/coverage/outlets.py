"""The outlet registry: who an article's outlet is, what a user knows about it, and what the store
says of it (articles, stories, first reports, copies, conflicts, languages).

Pure functions over rows the store gives (`Store.coverage_rows`, `Store.outlet_registry`), so the
same numbers feed the CLI, the API, the web page and the export.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..errors import NotFound, StorylineError

#: the attributes storyline names; any other column of an imported file is a free-form group
KNOWN_ATTRIBUTES = ("country", "language", "type", "owner")
TYPES = ("wire", "national", "local", "public broadcaster", "magazine")
_HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
_MOBILE = ("www.", "m.")


class OutletFileError(StorylineError):
    """An outlet file that cannot be read: its format, a row without a name or domain, a bad type."""


class UnknownOutlet(NotFound):
    """An outlet name the store has no article of and the registry does not list."""


def host_of(value: str | None) -> str | None:
    """The host a source or address names, without `www.` or `m.` (one outlet under several
    hosts); None when `value` is a display name such as "The Civic Post"."""
    if not value:
        return None
    if "://" in value:
        m = _URL_HOST.match(value.strip())
        return _host_key(m.group(1)) if m else None
    return _host_key(value)


#: the host of an absolute address (a regular expression: urlsplit cost most of an outlet listing)
_URL_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#@]+)")


@lru_cache(maxsize=65536)
def _host_key(text: str) -> str | None:
    text = text.strip().lower().rstrip(".").split("/")[0]
    if not _HOST.match(text):
        return None
    while text.startswith(_MOBILE) and text.count(".") > 1:
        text = text.split(".", 1)[1]
    return text


def name_key(value: str) -> str:
    """How names are compared: case and spacing do not matter."""
    return " ".join(value.split()).lower()


class Resolver:
    """Turns an article's (source, url) into its outlet's name.

    In order: a registry entry named by the source or by one of its domains; else, when the source
    is a bare host, the display name the store's other articles at that host carry (a feed that
    names no site joins the outlet its pages name); else the source as it is, hosts without `www.`
    and `m.` (an unknown outlet keeps its host)."""

    def __init__(self, registry: Iterable[dict[str, Any]] = (), rows: Iterable[dict[str, Any]] = ()) -> None:
        self.entries: dict[str, dict[str, Any]] = {}
        self.alias: dict[str, str] = {}
        for e in registry:
            self.entries[e["name"]] = e
            self.alias[name_key(e["name"])] = e["name"]
            for d in e.get("domains") or []:
                h = host_of(d)
                if h:
                    self.alias[h] = e["name"]
        names: dict[str, Counter[str]] = defaultdict(Counter)
        for r in rows:  # the display names the store's articles give each host
            h = host_of(r.get("url"))
            if h and r.get("source") and host_of(r["source"]) is None:
                names[h][r["source"]] += 1
        self.learnt = {h: c.most_common(1)[0][0] for h, c in names.items()}

    def __call__(self, source: str | None, url: str | None = None) -> str | None:
        if source:
            key = host_of(source) or name_key(source)
            if key in self.alias:
                return self.alias[key]
        url_host = host_of(url)
        if url_host and url_host in self.alias:
            return self.alias[url_host]
        if not source:
            return self.learnt.get(url_host, url_host) if url_host else None
        host = host_of(source)
        if host is None:
            return source.strip()
        named = self.learnt.get(host)
        if named:
            return self.alias.get(name_key(named), named)
        return host

    def attributes(self, outlet: str | None) -> dict[str, str]:
        e = self.entries.get(outlet or "")
        return dict(e["attributes"]) if e else {}

    def domains(self, outlet: str | None) -> list[str]:
        e = self.entries.get(outlet or "")
        return list(e.get("domains") or []) if e else []


# -- import -------------------------------------------------------------------------------
def parse_outlet_file(text: str, origin: str = "outlets") -> list[dict[str, Any]]:
    """Rows of an outlet file (CSV with a header, or JSON: a list of objects, or an object of
    name -> attributes) as {"name", "domain", "attributes"}; every value a string. A row needs a
    name or a domain; `type` must be one of TYPES."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        raise OutletFileError(f"{origin}: the file is empty")
    if stripped[0] in "[{":
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise OutletFileError(f"{origin}: invalid JSON ({exc.msg}, line {exc.lineno})") from None
        if isinstance(data, dict) and isinstance(data.get("outlets"), list):
            data = data["outlets"]
        elif isinstance(data, dict):
            data = [dict(v, name=k) if isinstance(v, dict) else {"name": k, "_bad": v} for k, v in data.items()]
        if not isinstance(data, list):
            raise OutletFileError(f"{origin}: JSON must be a list of outlets or an object of name -> attributes")
        raw = [(i + 1, r) for i, r in enumerate(data)]
    else:
        reader = csv.DictReader(io.StringIO(stripped))
        if not reader.fieldnames or not ({"name", "domain", "domains"} & {name_key(f) for f in reader.fieldnames}):
            raise OutletFileError(f"{origin}: a CSV outlet file needs a header with a name or a domain column")
        raw = [(reader.line_num, r) for r in reader]
    return [_outlet_row(r, f"{origin} {'item' if stripped[0] in '[{' else 'line'} {n}") for n, r in raw]


def _outlet_row(r: Any, where: str) -> dict[str, Any]:
    if not isinstance(r, dict) or "_bad" in r:
        raise OutletFileError(f"{where}: an outlet must be an object of attributes")
    row: dict[str, Any] = {"name": None, "domains": [], "attributes": {}}
    for k, v in r.items():
        if k is None or v is None:
            continue
        key = name_key(str(k)).replace("-", " ").replace("_", " ")
        if isinstance(v, list) and key in ("domain", "domains"):
            values = [str(x) for x in v]
        elif isinstance(v, (str, int, float)) and not isinstance(v, bool):
            values = [str(v).strip()]
        else:
            raise OutletFileError(f"{where}: {k} must be text, not {type(v).__name__}")
        if key == "name":
            row["name"] = values[0] or None
        elif key in ("domain", "domains"):
            for value in values:
                for d in re.split(r"[\s;,|]+", value):
                    if not d:
                        continue
                    h = host_of(d)
                    if h is None:
                        raise OutletFileError(f"{where}: {d!r} is not a domain")
                    row["domains"].append(h)
        elif values[0]:
            value = values[0]
            if key == "type":
                value = name_key(value.replace("-", " ").replace("_", " "))
                if value not in TYPES:
                    raise OutletFileError(f"{where}: type {values[0]!r} is not one of {', '.join(TYPES)}")
            elif key == "language":
                value = value.lower()
            row["attributes"][key] = value
    if not row["name"] and not row["domains"]:
        raise OutletFileError(f"{where}: an outlet needs a name or a domain")
    return row


def merge_registry(registry: list[dict[str, Any]], rows: list[dict[str, Any]],
                   resolve: Resolver) -> list[dict[str, Any]]:
    """The registry entries an import changes: a row keyed by name, or by a domain (it names the
    outlet that domain resolves to), gets its domains added and its attributes set (others kept)."""
    by_name = {e["name"]: {"name": e["name"], "domains": list(e["domains"]), "attributes": dict(e["attributes"])}
               for e in registry}
    changed: dict[str, dict[str, Any]] = {}
    for r in rows:
        name = r["name"]
        if name:
            name = resolve.alias.get(name_key(name), name.strip())
        else:
            name = resolve(r["domains"][0], None) or r["domains"][0]
        e = changed.get(name) or by_name.get(name) or {"name": name, "domains": [], "attributes": {}}
        e["domains"] = sorted(set(e["domains"]) | set(r["domains"]))
        e["attributes"].update(r["attributes"])
        changed[name] = e
    return list(changed.values())


def import_outlets(store: Any, text: str, origin: str = "outlets") -> list[dict[str, Any]]:
    """Read an outlet file and save its entries into the store's registry; returns them."""
    rows = parse_outlet_file(text, origin)
    registry = store.outlet_registry()
    entries = merge_registry(registry, rows, Resolver(registry, store.coverage_rows()))
    store.save_outlets(entries)
    return entries


_RESOLVERS: dict[tuple[str, int, int, str], Resolver] = {}


def resolver(store: Any, rows: list[dict[str, Any]] | None = None) -> Resolver:
    """The store's resolver. Without `rows`, the host names it learns come from every assigned
    article, read once per state of the store (its last article, last assignment and registry) and kept: a page
    of stories does not read the whole store each time."""
    registry = store.outlet_registry()
    if rows is not None:
        return Resolver(registry, rows)
    key = (str(store.path), int(store.last_seq()), int(store.last_step()), json.dumps(registry, sort_keys=True))
    found = _RESOLVERS.get(key)
    if found is None:
        found = Resolver(registry, store.coverage_rows())
        if len(_RESOLVERS) > 16:
            _RESOLVERS.clear()
        _RESOLVERS[key] = found
    return found


# -- what the store says of each outlet ---------------------------------------------------
def outlet_stats(rows: list[dict[str, Any]], resolve: Resolver, first: dict[str, str | None],
                 conflicts: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One entry per outlet from the store's coverage rows: articles, originals and copies (with
    the share of copies; `wire_credited` counts its originals that credit a wire), stories, how many it reported first (`first`: story -> outlet), its
    languages, and the conflicts of compared stories it took a side in."""
    acc: dict[str, dict[str, Any]] = {}
    for r in rows:
        name = resolve(r["source"], r["url"])
        if name is None:
            continue
        o = acc.setdefault(name, {"name": name, "articles": 0, "originals": 0, "copies": 0, "stories": set(),
                                  "languages": Counter(), "sources": set(), "wire": 0})
        o["articles"] += 1
        o["wire"] += bool(r["wire"] and not r["duplicate_of"])
        o["copies" if r["duplicate_of"] else "originals"] += 1
        o["stories"].add(r["story_id"])
        if r["language"]:
            o["languages"][r["language"]] += 1
        if r["source"]:
            o["sources"].add(r["source"])
    firsts = Counter(v for v in first.values() if v)
    for name in resolve.entries:  # imported outlets the store has no article of yet
        acc.setdefault(name, {"name": name, "articles": 0, "originals": 0, "copies": 0, "stories": set(),
                              "languages": Counter(), "sources": set(), "wire": 0})
    out = []
    for name, o in acc.items():
        c = (conflicts or {}).get(name, {})
        out.append({"name": name, "articles": o["articles"], "originals": o["originals"], "copies": o["copies"],
                    "copy_share": round(o["copies"] / o["articles"], 3) if o["articles"] else None,
                    "wire_credited": o["wire"],
                    "stories": len(o["stories"]), "first_reports": firsts.get(name, 0),
                    "languages": dict(o["languages"].most_common()),
                    "conflicts": c.get("conflicts", 0), "compared_stories": c.get("compared", 0),
                    "domains": resolve.domains(name), "attributes": resolve.attributes(name),
                    "sources": sorted(o["sources"])})
    out.sort(key=lambda o: (-o["articles"], o["name"].lower()))
    return out


def conflict_counts(rows: list[dict[str, Any]], resolve: Resolver, cached: dict[str, tuple[int, dict[str, Any]]],
                    versions: dict[str, int]) -> dict[str, dict[str, int]]:
    """Per outlet: conflicts it took a side in, and its stories compared, over the comparisons the
    store keeps that are of the story's current version (a story changed since is not counted)."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"conflicts": 0, "compared": 0})
    url_of = {}
    for r in rows:
        url_of.setdefault((r["story_id"], r["source"]), r["url"])
    for sid, (seq, found) in cached.items():
        if versions.get(sid) != seq:
            continue
        joined: dict[str, int] = defaultdict(int)
        for source, n in found["outlets"].items():
            name = resolve(source, url_of.get((sid, source)))
            if name:
                joined[name] = max(joined[name], int(n))  # one conflict counted once per outlet
        for name, n in joined.items():
            out[name]["conflicts"] += n
            out[name]["compared"] += 1
    return dict(out)


def conflicts_found(c: dict[str, Any]) -> dict[str, Any]:
    """From a comparison: its conflicts and updates, and per outlet (as its articles name it) how
    many conflicts (not updates) it takes a side in; every outlet of the comparison is listed, with 0
    when it has none."""
    outlet = {s["n"]: s["source"] or "" for s in c["sources"]}
    out = {name: 0 for name in outlet.values() if name}
    updates = 0
    for x in c["conflicts"]:
        if x.get("update"):
            updates += 1
            continue
        sides = {outlet[n] for cl in x["claims"] for n in (cl.get("sources") or [cl["source"]])}
        for name in sides - {""}:
            out[name] += 1
    return {"conflicts": len(c["conflicts"]) - updates, "updates": updates, "outlets": out}


def record_conflicts(store: Any, story: dict[str, Any], c: dict[str, Any]) -> None:
    """Keep what a comparison found in the store, for the story's current version: the outlet
    listing counts the conflicts per outlet, the index card shows the totals."""
    store.save_story_conflicts(story["id"], int(story["updated_seq"]), conflicts_found(c))


def compare_stale(store: Any, min_sources: int = 2, on_story: Any = None) -> int:
    """Compare every story of `min_sources` independent sources whose conflicts the store does not
    hold for its current version; returns how many were compared."""
    from ..compare.report import story_comparison

    cached = store.story_conflicts()
    todo = [s for s in store.list_stories(min_sources=min_sources, limit=None)
            if cached.get(s["id"], (None,))[0] != int(s["updated_seq"])]
    for k, s in enumerate(todo, 1):
        record_conflicts(store, s, story_comparison(store, s["id"]))
        if on_story:
            on_story(k, len(todo))
    return len(todo)
