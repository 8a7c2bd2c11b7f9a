"""Feed entries: one per update of a story (each time at which new articles appeared, its content
the update summary of what they added), and one per story of a search. Data only; the web app
writes them as Atom."""
from __future__ import annotations

from typing import Any

from ..dates import to_datetime
from .since import changes_since

MAX_ENTRIES = 20


def story_updates(c: dict[str, Any], story_id: str, limit: int = MAX_ENTRIES) -> list[dict[str, Any]]:
    """The updates of a compared story, newest first: one per distinct publication time of its
    articles, holding what the articles of that time added to what came before (the first update is
    the story as first reported). Undated articles belong to no update."""
    times = sorted({t for s in c["sources"] if (t := to_datetime(s.get("published_at"))) is not None})
    entries = []
    for k, t in enumerate(times):
        since = times[k - 1] if k else t.replace(year=max(t.year - 100, 1))
        d = changes_since(c, since, until=t)
        if not d["new_articles"]:
            continue
        first = k == 0
        outlets = sorted({a["outlet"] or "unknown outlet" for a in d["new_articles"]})
        title = ("First reported by " if first else "Update from ") + ", ".join(outlets)
        entries.append({"id": f"{story_id}/{t.isoformat().replace('+00:00', 'Z')}", "updated": t.isoformat().replace("+00:00", "Z"),
                        "title": title, "summary": d["summary"], "articles": d["new_articles"],
                        "new_sources": d["new_sources"], "updates": d["updates"], "new_conflicts": d["new_conflicts"]})
    return list(reversed(entries))[:limit]
