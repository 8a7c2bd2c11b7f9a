"""Invented stories for the coverage tests: outlets under several names and hosts, a wire, copies
dated before their original, undated reports, and an outlet file of invented attributes."""
from __future__ import annotations

from typing import Any

from storyline.model import Article

# (key, story, source, url host, published_at, copy of key, wire)
ROWS = [
    # the Halden dam breach: reported first by the Orchard Gazette; a copy of it dated earlier
    # (a clock set wrong) never counts as first; one undated original; three left-leaning sources
    ("dam1", "dam", "Orchard Gazette", "orchardgazette.example", "2025-05-02T06:40:00Z", None, None),
    ("dam2", "dam", "Lakeside Tribune", "lakesidetribune.example", "2025-05-02T06:10:00Z", "dam1", None),
    ("dam3", "dam", "Tollgate Weekly", "tollgateweekly.example", "2025-05-02T08:05:00Z", None, None),
    ("dam4", "dam", "www.lakesidetribune.example", "www.lakesidetribune.example", "2025-05-02T09:30:00Z", None, None),
    ("dam5", "dam", "unknownsite.example", "www.unknownsite.example", "2025-05-02T09:50:00+02:00", None, "Granite Wire"),
    ("dam6", "dam", "m.orchardgazette.example", "m.orchardgazette.example", None, None, None),
    # tram fares in Ferrybridge: three sources of three leanings, over two days
    ("tram1", "tram", "Ferrybridge Mercury", "ferrybridgemercury.example", "2025-05-03T10:00:00Z", None, None),
    ("tram2", "tram", "Saltmarsh Radio", "saltmarshradio.example", "2025-05-03T11:15:00Z", None, None),
    ("tram3", "tram", "Lakeside Tribune", "lakesidetribune.example", "2025-05-05T09:00:00Z", None, None),
    # a harbour festival nobody dated
    ("fest1", "fest", "Saltmarsh Radio", "saltmarshradio.example", None, None, None),
    ("fest2", "fest", "Ferrybridge Mercury", "ferrybridgemercury.example", None, None, None),
]

TITLES = {"dam": "Reservoir wall gives way above Halden", "tram": "Ferrybridge tram fares to rise in June",
          "fest": "Saltmarsh harbour festival draws crowds"}

OUTLETS_CSV = """name,domains,country,type,owner,leaning
Orchard Gazette,orchardgazette.example,Brenmark,local,Orchard Press,left
Lakeside Tribune,lakesidetribune.example,Brenmark,national,Lakeside Holdings,left
,tollgateweekly.example,Brenmark,magazine,Tollgate Media,left
Ferrybridge Mercury,ferrybridgemercury.example,Ostria,national,Mercury Group,right
Saltmarsh Radio,saltmarshradio.example,Ostria,public broadcaster,Saltmarsh Trust,centre
Granite Wire,granitewire.example,Ostria,wire,Granite Cooperative,
"""


def article(key: str, source: str, host: str, published_at: str | None, story: str) -> Article:
    return Article(title=f"{TITLES[story]} ({key})", url=f"https://{host}/news/{key}", source=source,
                   published_at=published_at, language="en",
                   body=[f"Report {key} on the {story} story, written for the coverage tests of storyline.",
                         "A second paragraph so the article reads as one."])


def build(store: Any) -> dict[str, str]:
    """The invented stories in `store`, assigned as ROWS says (no story engine: the coverage is
    what is tested). Returns article key -> article id."""
    arts = {k: article(k, src, host, when, story) for k, story, src, host, when, _, _ in ROWS}
    store.add_articles(arts.values())
    seq = {a.id: s for s, a in store.iter_articles()}
    rows, stories = [], {}
    for n, (k, story, src, _, when, dup, wire) in enumerate(ROWS):
        a = arts[k]
        rows.append({"article_id": a.id, "story_id": story, "duplicate_of": arts[dup].id if dup else None,
                     "wire": wire, "score": 1.0, "seq": seq[a.id], "step": n + 1})
        s = stories.setdefault(story, {"id": story, "title": TITLES[story], "articles": 0, "sources": 0,
                                       "independent": 0, "first_at": None, "last_at": None, "updated_seq": 0,
                                       "outlets": {}, "_voices": set()})
        s["articles"] += 1
        s["outlets"][src] = s["outlets"].get(src, 0) + 1
        if not dup:
            s["_voices"].add(wire or src)
        if when:
            s["first_at"] = min(s["first_at"] or when, when)
            s["last_at"] = max(s["last_at"] or when, when)
        s["updated_seq"] = max(s["updated_seq"], seq[a.id])
    for s in stories.values():
        s["sources"] = len(s["outlets"])
        s["independent"] = len(s.pop("_voices"))
    store.save_assignments(rows, stories.values(), {})
    return {k: a.id for k, a in arts.items()}
