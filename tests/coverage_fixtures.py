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


def three_waves() -> list[Article]:
    """A flood story told in three waves (morning, afternoon, next day): each wave repeats some of
    what was known and adds its own facts; the number of flooded homes rises between waves."""
    w1 = [
        Article(title="River Lenne bursts its banks at Halden", source="Orchard Gazette", language="en",
                url="https://orchardgazette.example/flood-1", published_at="2025-10-03T07:10:00Z",
                body=["The River Lenne burst its banks at Halden early on Friday after two days of heavy rain.",
                      "About 120 homes were flooded in the lower town, the district council said.",
                      "The old stone bridge on Mill Street was closed to traffic."]),
        Article(title="Halden floods as Lenne overflows", source="Tollgate Weekly", language="en",
                url="https://tollgateweekly.example/flood", published_at="2025-10-03T08:05:00Z",
                body=["The River Lenne burst its banks at Halden early on Friday after two days of heavy rain.",
                      "The old stone bridge on Mill Street was closed to traffic.",
                      "Volunteers filled sandbags outside the fire station on Quay Road."]),
    ]
    w2 = [
        Article(title="Halden flood: schools shut as water rises", source="Saltmarsh Radio", language="en",
                url="https://saltmarshradio.example/flood", published_at="2025-10-03T15:40:00Z",
                body=["The River Lenne burst its banks at Halden early on Friday after two days of heavy rain.",
                      "All four primary schools in Halden will stay shut on Monday, the education office said.",
                      "A reception centre for displaced families opened in the Halden sports hall."]),
    ]
    w3 = [
        Article(title="Halden counts the cost of the Lenne flood", source="Ferrybridge Mercury", language="en",
                url="https://ferrybridgemercury.example/flood", published_at="2025-10-04T10:00:00Z",
                body=["The River Lenne burst its banks at Halden early on Friday after two days of heavy rain.",
                      "About 340 homes were flooded in the lower town, the district council said.",
                      "Engineers will inspect the old stone bridge on Mill Street before it reopens.",
                      "The regional government promised an emergency fund for flooded households."]),
    ]
    return w1 + w2 + w3


def build_waves(store: Any, story: str = "flood") -> list[str]:
    """The three waves stored and assigned to one story; their ids in order."""
    arts = three_waves()
    store.add_articles(arts)
    seq = {a.id: s for s, a in store.iter_articles()}
    rows = [{"article_id": a.id, "story_id": story, "duplicate_of": None, "wire": None, "score": 1.0,
             "seq": seq[a.id], "step": seq[a.id]} for a in arts]
    store.save_assignments(rows, [{"id": story, "title": arts[0].title, "articles": 4, "sources": 4, "independent": 4,
                                   "first_at": arts[0].published_at, "last_at": arts[-1].published_at,
                                   "updated_seq": max(seq.values()), "outlets": {a.source: 1 for a in arts}}], {})
    return [a.id for a in arts]
