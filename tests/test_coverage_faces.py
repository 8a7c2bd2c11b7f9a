"""Coverage through every face: the CLI (`outlets`, `outlets import`, `stories --blindspot`,
`story`), the HTTP API, the web pages, the export and the demo; SQLite and PostgreSQL."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from coverage_fixtures import OUTLETS_CSV, build
from fastapi.testclient import TestClient

from storyline.cli import main
from storyline.store import open_store
from storyline.web import create_app
from storyline.web.pages import coverage_chart, relative_time


def invoke(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


@pytest.fixture
def db(new_store_location, tmp_path):
    where = new_store_location()
    st = open_store(where)
    build(st)
    st.close()
    (tmp_path / "outlets.csv").write_text(OUTLETS_CSV)
    return where


def test_cli_outlets_import_and_listing(db, tmp_path):
    r = invoke("outlets", "import", tmp_path / "outlets.csv", "--db", db)
    assert r.exit_code == 0 and "6 outlets updated" in r.output
    data = json.loads(invoke("outlets", "--db", db, "--json").output)
    got = {o["name"]: o for o in data["outlets"]}
    assert got["Lakeside Tribune"]["articles"] == 3 and got["Lakeside Tribune"]["attributes"]["type"] == "national"
    table = invoke("outlets", "--db", db, env={"COLUMNS": "200"}).output
    assert re.search(r"Orchard Gazette\s+2\s+1\s+1\s+0%", table), table  # articles, stories, first, copies
    assert "unknownsite.example" in table and "leaning" in table
    shown = json.loads(invoke("outlets", "show", "m.orchardgazette.example", "--db", db, "--json").output)
    assert shown["name"] == "Orchard Gazette" and shown["latest_stories"][0]["first"]
    # JSON files are read too, and a bad file is one error line with exit 2
    (tmp_path / "more.json").write_text(json.dumps([{"name": "Saltmarsh Radio", "leaning": "left"}]))
    assert invoke("outlets", "import", tmp_path / "more.json", "--db", db, "--json").exit_code == 0
    (tmp_path / "bad.csv").write_text("name,type\nSaltmarsh Radio,tabloid\n")
    bad = invoke("outlets", "import", tmp_path / "bad.csv", "--db", db)
    assert bad.exit_code == 2 and bad.stderr.startswith("error: bad.csv line 2: type 'tabloid'")
    assert len(bad.stderr.strip().splitlines()) == 1
    missing = invoke("outlets", "show", "Nobody Times", "--db", db)
    assert missing.exit_code == 2 and missing.stderr.startswith("error: no outlet 'Nobody Times'")


def test_cli_blindspots_and_story_coverage(db, tmp_path):
    no_registry = invoke("stories", "--blindspot", "leaning", "--db", db)
    assert no_registry.exit_code == 2 and "registry is empty" in no_registry.stderr
    invoke("outlets", "import", tmp_path / "outlets.csv", "--db", db)
    rows = json.loads(invoke("stories", "--blindspot", "leaning", "--db", db, "--json").output)
    assert [r["id"] for r in rows] == ["dam"] and rows[0]["blindspot"]["value"] == "left"
    text = invoke("stories", "--blindspot", "leaning", "--db", db, env={"COLUMNS": "200"}).output
    assert "3 of 3 sources with a leaning are left" in text and "1 blindspot story on leaning" in text
    assert json.loads(invoke("stories", "--blindspot", "country", "--db", db, "--json").output) == []
    unknown = invoke("stories", "--blindspot", "colour", "--db", db)
    assert unknown.exit_code == 2 and unknown.stderr.count("\n") == 1
    by_sources = json.loads(invoke("stories", "--sort", "sources", "--db", db, "--json").output)
    assert [r["id"] for r in by_sources] == ["dam", "tram", "fest"]
    story = json.loads(invoke("story", "dam", "--db", db, "--json").output)
    assert story["coverage"]["first_reported"]["outlet"] == "Orchard Gazette"
    out = invoke("story", "dam", "--db", db, env={"COLUMNS": "200"}).output
    assert "first reported by: Orchard Gazette · 2025-05-02T06:40:00Z" in out and "(1 undated original not ranked)" in out
    assert "leaning: 3 of 4 sources are left (1 without a leaning)  [blindspot:" in out
    assert "coverage per hour by outlet" in out
    assert "first reported by: undated" in invoke("story", "fest", "--db", db).output
    per_day = json.loads(invoke("story", "tram", "--db", db, "--json", "--bucket", "day", "--by", "type").output)
    assert per_day["coverage"]["over_time"]["bucket"] == "day" and len(per_day["coverage"]["over_time"]["buckets"]) == 3


def test_api(db, tmp_path):
    invoke("outlets", "import", tmp_path / "outlets.csv", "--db", db)
    client = TestClient(create_app(db))
    outlets = client.get("/api/outlets").json()
    assert {o["name"] for o in outlets["outlets"]} >= {"Orchard Gazette", "Granite Wire"}
    one = client.get("/api/outlets/www.lakesidetribune.example")
    assert one.status_code == 200 and one.json()["name"] == "Lakeside Tribune"
    assert client.get("/api/outlets/Nobody%20Times").status_code == 404
    page = client.get("/api/stories", params={"blindspot": "leaning"}).json()
    assert [s["id"] for s in page["items"]] == ["dam"] and page["total"] == 1
    assert page["items"][0]["card"]["first_reported"]["outlet"] == "Orchard Gazette"
    none = client.get("/api/stories", params={"blindspot": "colour"})  # a filter nothing matches
    assert none.status_code == 200 and none.json()["items"] == [] and none.json()["total"] == 0
    listed = client.get("/api/stories", params={"sort": "sources"}).json()["items"]
    assert [s["id"] for s in listed] == ["dam", "tram", "fest"]
    assert listed[2]["card"]["first_reported"]["status"] == "undated"
    cov = client.get("/api/stories/tram/coverage", params={"bucket": "day"}).json()
    assert cov["over_time"]["buckets"] == ["2025-05-03T00:00:00Z", "2025-05-04T00:00:00Z", "2025-05-05T00:00:00Z"]
    assert {s["name"]: s["counts"] for s in cov["over_time"]["series"]}["Lakeside Tribune"] == [0, 0, 1]
    unknown = client.get("/api/stories/tram/coverage", params={"by": "colour"})
    assert unknown.status_code == 404 and "no outlet has the attribute 'colour'" in unknown.json()["error"]
    spec = client.get("/openapi.json").json()
    assert {"/api/outlets", "/api/outlets/{name}", "/api/stories/{story_id}/coverage"} <= set(spec["paths"])


def test_pages(db, tmp_path):
    invoke("outlets", "import", tmp_path / "outlets.csv", "--db", db)
    client = TestClient(create_app(db))
    html = {"accept": "text/html"}
    index = client.get("/", params={"blindspot": "leaning"}, headers=html).text
    assert "Reservoir wall gives way above Halden" in index and "Ferrybridge tram" not in index
    assert "blindspot: left" in index and 'href="/outlets/Orchard%20Gazette"' in index
    # dates read as relative times, the exact time on hover
    assert re.search(r'<time datetime="2025-05-02T06:40:00Z" title="2 May 2025, 06:40 UTC">[^<]+</time>', index)
    full = client.get("/", params={"sort": "sources"}, headers=html).text
    assert full.index("Reservoir wall") < full.index("Ferrybridge tram") < full.index("Saltmarsh harbour")
    story = client.get("/stories/dam", headers=html).text
    assert "First reported by" in story and 'href="/outlets/Orchard%20Gazette"' in story
    chart = story[story.index('<figure class="chart">'):story.index("</figure>")]
    assert chart.count("<rect") == 5  # one bar per outlet and hour with an article (Lakeside twice)
    assert "blindspot" in story and "3 of 4 sources are from Brenmark" in story
    assert "undated" in client.get("/stories/fest", headers=html).text
    outlets = client.get("/outlets", headers=html).text
    assert "Tollgate Weekly" in outlets and "magazine" in outlets
    outlet = client.get("/outlets/Lakeside%20Tribune", headers=html)
    assert outlet.status_code == 200 and "www.lakesidetribune.example" in outlet.text
    assert client.get("/outlets/Nobody", headers=html).status_code == 404


def test_export_has_an_outlets_table(db, tmp_path):
    invoke("outlets", "import", tmp_path / "outlets.csv", "--db", db)
    r = invoke("export", tmp_path / "out", "--format", "jsonl", "--no-compare", "--db", db)
    assert r.exit_code == 0, r.output
    rows = {o["name"]: o for o in map(json.loads, (tmp_path / "out" / "outlets.jsonl").read_text().splitlines())}
    assert rows["Tollgate Weekly"]["type"] == "magazine" and json.loads(rows["Tollgate Weekly"]["groups"]) == {"leaning": "left"}
    assert rows["Lakeside Tribune"]["copies"] == 1 and rows["Lakeside Tribune"]["domains"] == ["lakesidetribune.example"]


def test_relative_time_and_chart():
    now = 1_746_200_000.0  # 2025-05-02T15:33:20Z
    assert relative_time("2025-05-02T12:30:00Z", now) == "3 hours ago"
    assert relative_time("2025-05-02T15:30:00Z", now) == "3 minutes ago"
    assert relative_time("2025-04-30", now) == "2 days ago"
    assert relative_time("2025-01-01T00:00:00Z", now) == "1 January 2025"  # past a month: the date
    assert relative_time("2025-06-01T00:00:00Z", now) == "1 June 2025"  # in the future: the date
    c = coverage_chart({"bucket": "hour", "by": "outlet", "buckets": ["2025-05-02T06:00:00Z", "2025-05-02T07:00:00Z"],
                        "series": [{"name": "A", "counts": [2, 0], "total": 2}, {"name": "B", "counts": [1, 1], "total": 2}]})
    assert c["top"] == 3 and len(c["bars"]) == 3
    first = [b for b in c["bars"] if b["x"] == c["bars"][0]["x"]]
    assert sum(b["h"] for b in first) == pytest.approx(c["baseline"] - 6, abs=0.2)  # the tallest fills the height
    assert coverage_chart({"buckets": [], "series": []})["bars"] == []


def test_demo_shows_a_blindspot_and_a_coverage_chart(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYLINE_KERNELS", "python")
    db = tmp_path / "demo.db"
    out = invoke("demo", "--db", db, env={"COLUMNS": "200"}).output
    assert "Blindspots on leaning" in out
    assert re.search(r"Part of Tessaly Bridge collapses in Carrow during rush hour: 3 of 3 sources with a leaning are left", out)
    assert "coverage per hour by outlet" in out and "first reported by: Meridian Times" in out
    client = TestClient(create_app(str(db)))
    largest = client.get("/api/stories", params={"sort": "size", "limit": 1}).json()["items"][0]["id"]
    page = client.get(f"/stories/{largest}", headers={"accept": "text/html"}).text
    assert '<figure class="chart">' in page


def test_fact_firsts_in_the_cli_api_and_page(store_db):
    client = TestClient(create_app(store_db))
    sid = next(s["id"] for s in client.get("/api/stories", params={"limit": 50}).json()["items"] if "Wildfire" in s["title"])
    firsts = client.get(f"/api/stories/{sid}").json()["fact_firsts"]
    assert any(e["first"]["outlet"] == "Meridian Times" and e["copies"] for e in firsts)
    page = client.get(f"/stories/{sid}", headers={"accept": "text/html"}).text
    assert "Who stated each agreed fact first" in page and "copied by" in page
    out = invoke("story", sid, "--facts", "--db", store_db, env={"COLUMNS": "300"}).output
    assert re.search(r"Hanna Solberg .*: first Meridian Times \[1\] \(wire ANA\) 2025-07-08 07:30; then Northfield "
                     r"News \[3\] 09:00; copied by Pinewood Herald \[2\] 07:45 \(of Meridian Times \[1\], wire ANA\)", out)


def test_since_in_the_cli_api_and_page(new_store_location):
    from coverage_fixtures import build_waves

    where = new_store_location()
    with open_store(where) as st:
        build_waves(st)
    out = invoke("story", "flood", "--since", "2025-10-03T20:00Z", "--db", where, env={"COLUMNS": "200"}).output
    assert "since 2025-10-03T20:00:00Z: 1 new article (3 known before)" in out
    assert "new sources: Ferrybridge Mercury" in out and "moved: About 120 [1] → About 340 [4]" in out
    assert re.search(r"About 340 homes were flooded .*\(was About 120\) \[4\]", out)
    data = json.loads(invoke("story", "flood", "--since", "2025-10-03T09:00Z", "--db", where, "--json").output)
    assert data["since"]["new_sources"] == ["Ferrybridge Mercury", "Saltmarsh Radio"]
    bad = invoke("story", "flood", "--since", "last week", "--db", where)
    assert bad.exit_code == 2 and bad.stderr.startswith("error: since: 'last week' is not a date or time")
    client = TestClient(create_app(where))
    api = client.get("/api/stories/flood", params={"since": "2025-10-03T20:00:00Z"}).json()["since"]
    assert [a["outlet"] for a in api["new_articles"]] == ["Ferrybridge Mercury"]
    assert api["updates"][0]["from"]["value"] == "About 120" and all(s["sources"] == [4] for s in api["summary"])
    assert "since" not in client.get("/api/stories/flood").json() or client.get("/api/stories/flood").json()["since"] is None
    assert client.get("/api/stories/flood", params={"since": "nope"}).status_code == 422
    page = client.get("/stories/flood", params={"since": "2025-10-03T20:00:00Z"}, headers={"accept": "text/html"}).text
    assert "New since" in page and "1 new article (3 known before)" in page and 'href="#src-4">[4]</a>' in page
    assert "New since" not in client.get("/stories/flood", headers={"accept": "text/html"}).text


def test_atom_feeds_read_by_feedparser(new_store_location):
    import feedparser
    from coverage_fixtures import build_waves

    where = new_store_location()
    with open_store(where) as st:
        build_waves(st)
        build(st)
    client = TestClient(create_app(where))
    r = client.get("/stories/flood.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "River Lenne bursts its banks at Halden"
    assert [e.title for e in feed.entries] == ["Update from Ferrybridge Mercury", "Update from Saltmarsh Radio",
                                               "Update from Tollgate Weekly", "First reported by Orchard Gazette"]
    assert [e.updated for e in feed.entries] == ["2025-10-04T10:00:00Z", "2025-10-03T15:40:00Z", "2025-10-03T08:05:00Z",
                                                 "2025-10-03T07:10:00Z"]
    latest = feed.entries[0].content[0].value
    assert latest.startswith("About 340 homes were flooded") and "(was About 120) [4]" in latest
    assert "burst its banks" not in latest and "[4] Ferrybridge Mercury" in latest  # the reader knew; the legend
    assert "primary schools" in feed.entries[1].content[0].value and "emergency fund" not in feed.entries[1].content[0].value
    assert feed.entries[0].link.endswith("/stories/flood?since=2025-10-03T15:40:00Z")
    assert len({e.id for e in feed.entries}) == 4
    assert client.get("/stories/nope.atom").status_code == 404
    search = feedparser.parse(client.get("/search.atom", params={"q": "Halden"}).content)
    assert not search.bozo and search.feed.title == "Stories about Halden"
    assert {e.title for e in search.entries} == {"River Lenne bursts its banks at Halden", "Reservoir wall gives way above Halden"}
    dam = next(e for e in search.entries if e.title.startswith("Reservoir"))
    assert "First reported by Orchard Gazette at 2025-05-02T06:40:00Z." in dam.content[0].value
    assert feedparser.parse(client.get("/search.atom", params={"q": "zeppelin"}).content).entries == []
    assert client.get("/search.atom").status_code == 422


def test_compare_files_since(tmp_path):
    from coverage_fixtures import three_waves

    paths = []
    for i, a in enumerate(three_waves()):
        p = tmp_path / f"wave{i}.json"
        p.write_text(json.dumps({"title": a.title, "text": "\n\n".join(a.body), "source": a.source, "url": a.url,
                                 "published_at": a.published_at}))
        paths.append(p)
    out = json.loads(invoke("compare", *paths, "--since", "2025-10-03T20:00Z", "--format", "json").output)
    assert out["since"]["new_sources"] == ["Ferrybridge Mercury"] and out["since"]["known_articles"] == 3
    assert out["since"]["summary"][0]["text"].startswith("About 340 homes")
    text = invoke("compare", *paths, "--since", "2025-10-03T20:00Z", env={"COLUMNS": "200"}).output
    assert "since 2025-10-03T20:00:00Z: 1 new article (3 known before)" in text
    bad = invoke("compare", *paths, "--since", "2025-10-03", "--format", "markdown")
    assert bad.exit_code == 2 and "--since works with --format text or json" in bad.stderr
