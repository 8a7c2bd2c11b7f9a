"""The coverage package: outlet registry and resolution, first reporter, coverage over time, group
split and blindspots, on invented stories in SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest
from coverage_fixtures import OUTLETS_CSV, build

from storyline.coverage import (
    UnknownAttribute,
    UnknownOutlet,
    blindspot_stories,
    card_extras,
    import_outlets,
    outlet_data,
    outlets_data,
    record_conflicts,
    story_coverage,
)
from storyline.coverage.outlets import OutletFileError, Resolver, host_of, parse_outlet_file
from storyline.coverage.story import (
    blindspot,
    coverage_series,
    first_reported,
    group_split,
    store_mix,
)
from storyline.store import open_store
from storyline.store.sqlite import SCHEMA_VERSION as SQLITE_SCHEMA


# -- pure functions -------------------------------------------------------------------------
@pytest.mark.parametrize("value, host", [
    ("www.orchardgazette.example", "orchardgazette.example"), ("m.orchardgazette.example", "orchardgazette.example"),
    ("https://www.m.orchardgazette.example/a/b", "orchardgazette.example"), ("Orchard Gazette", None),
    ("ORCHARDGAZETTE.EXAMPLE.", "orchardgazette.example"), ("www.example", "www.example"), (None, None), ("", None)])
def test_host_of(value, host):
    assert host_of(value) == host


def test_resolver_joins_names_and_hosts_and_keeps_unknown_hosts():
    registry = [{"name": "Orchard Gazette", "domains": ["orchardgazette.example"], "attributes": {"type": "local"}}]
    rows = [{"source": "Tollgate Weekly", "url": "https://tollgateweekly.example/x"}]
    r = Resolver(registry, rows)
    assert r("orchard  gazette") == "Orchard Gazette"
    assert r("m.orchardgazette.example") == "Orchard Gazette"
    assert r("Some Feed Title", "https://www.orchardgazette.example/a") == "Orchard Gazette"  # by the address
    assert r("www.tollgateweekly.example") == "Tollgate Weekly"  # a bare host joins the name its pages carry
    assert r("www.unknownsite.example") == "unknownsite.example"  # an unknown outlet keeps its host
    assert r("Lonely Ledger") == "Lonely Ledger"
    assert r(None, None) is None
    assert r.attributes("Orchard Gazette") == {"type": "local"} and r.attributes("Lonely Ledger") == {}


def test_outlet_file_csv_and_json_read_alike():
    csv_rows = parse_outlet_file("Name,Domain,Type,Leaning\nOrchard Gazette,www.orchardgazette.example; "
                                 "m.orchard.example,Public-Broadcaster,left\n,tollgateweekly.example,,\n")
    json_rows = parse_outlet_file(json.dumps([
        {"name": "Orchard Gazette", "domains": ["www.orchardgazette.example", "m.orchard.example"],
         "type": "public broadcaster", "leaning": "left"}, {"domain": "tollgateweekly.example"}]))
    assert csv_rows == json_rows
    assert csv_rows[0] == {"name": "Orchard Gazette", "domains": ["orchardgazette.example", "orchard.example"],
                           "attributes": {"type": "public broadcaster", "leaning": "left"}}
    by_name = parse_outlet_file(json.dumps({"Saltmarsh Radio": {"country": "Ostria"}}))
    assert by_name == [{"name": "Saltmarsh Radio", "domains": [], "attributes": {"country": "Ostria"}}]


@pytest.mark.parametrize("text, message", [
    ("", "empty"), ("name,type\nOrchard Gazette,tabloid\n", "type 'tabloid' is not one of"),
    ("country,type\nBrenmark,local\n", "needs a header with a name or a domain"),
    ("name,domain\n,\n", "needs a name or a domain"), ("[1, 2]", "must be an object"),
    ('[{"name": "X", "owner": {"a": 1}}]', "owner must be text"), ("{nope", "invalid JSON"),
    ("name,domain\nX,not a domain!\n", "is not a domain")])
def test_outlet_file_errors_are_named(text, message):
    with pytest.raises(OutletFileError, match=message):
        parse_outlet_file(text, "f.csv")


def _row(key, source, when, dup=None, wire=None, story="s", seq=0, url=None):
    return {"article_id": key, "story_id": story, "source": source, "url": url, "published_at": when,
            "language": "en", "duplicate_of": dup, "wire": wire, "seq": seq}


def test_first_reported_never_a_copy_and_never_guessed():
    r = Resolver()
    rows = [_row("copy", "B", "2025-01-01T05:00:00Z", dup="orig", seq=1), _row("orig", "A", "2025-01-01T07:00:00Z", seq=2),
            _row("late", "C", "2025-01-01T08:30:00+01:00", seq=3), _row("nodate", "D", None, seq=4)]
    first = first_reported(rows, r)
    assert (first["status"], first["article_id"], first["outlet"], first["undated_originals"]) == ("dated", "orig", "A", 1)
    # 06:00 UTC: earlier than A once the offset is read
    rows[2]["published_at"] = "2025-01-01T08:30:00+02:30"
    assert first_reported(rows, r)["outlet"] == "C"
    undated = first_reported([_row("x", "A", None), _row("y", "B", "2025-01-01", dup="x")], r)
    assert undated["status"] == "undated" and undated["outlet"] is None
    assert first_reported([], r)["status"] == "none"


def test_coverage_series_fills_empty_buckets_and_counts_undated_apart():
    r = Resolver([{"name": "A", "domains": [], "attributes": {"type": "local"}}])
    rows = [_row("1", "A", "2025-01-01T06:10:00Z"), _row("2", "A", "2025-01-01T06:50:00Z", dup="1"),
            _row("3", "B", "2025-01-01T09:59:00+01:00"), _row("4", "B", None)]
    s = coverage_series(rows, r)
    assert s["bucket"] == "hour" and s["undated"] == 1
    assert s["buckets"] == ["2025-01-01T06:00:00Z", "2025-01-01T07:00:00Z", "2025-01-01T08:00:00Z"]
    assert {x["name"]: x["counts"] for x in s["series"]} == {"A": [2, 0, 0], "B": [0, 0, 1]}
    by_type = coverage_series(rows, r, bucket="day", by="type")
    assert by_type["buckets"] == ["2025-01-01T00:00:00Z"]
    assert {x["name"]: x["counts"] for x in by_type["series"]} == {"local": [2], "unknown": [1]}
    long = coverage_series([_row("1", "A", "2025-01-01T06:00:00Z"), _row("2", "A", "2025-01-05T06:00:00Z")], r)
    assert long["bucket"] == "day" and len(long["buckets"]) == 5
    with pytest.raises(ValueError):
        coverage_series(rows, r, bucket="week")


def _split(values):
    registry = [{"name": f"O{i}", "domains": [], "attributes": {"t": v} if v else {}} for i, v in enumerate(values)]
    rows = [_row(f"a{i}", f"O{i}", "2025-01-01") for i in range(len(values))]
    return group_split(rows, Resolver(registry), "t")


@pytest.mark.parametrize("values, expected", [
    (["n", "n", "n", "n", "l"], "n"),  # 4 of 5 = 80%: a blindspot
    (["n", "n", "n", "l"], None),  # 3 of 4 = 75%: not
    (["n", "n"], None),  # too few sources
    (["n", "n", "n", None], "n"),  # no value is left out of the share ...
    (["n", "n", None, None], None),  # ... but never makes up the minimum
])
def test_blindspot_rule(values, expected):
    mixed = store_mix(["n", "l", "l"])
    got = blindspot(_split(values), mixed)
    assert (got["value"] if got else None) == expected


def test_no_blindspot_when_the_store_is_one_sided():
    assert not store_mix(["n", "n", "n", "n", "l"])["mixed"]  # 80% one value
    assert not store_mix(["n", None, None])["mixed"]  # one value only
    assert blindspot(_split(["n", "n", "n"]), store_mix(["n"] * 9 + ["l"])) is None


def test_group_split_line():
    s = _split(["national", "national", "national", "local", None])
    assert s["values"] == {"national": 3, "local": 1} and s["unknown"] == 1 and s["sources"] == 5
    assert s["line"] == "3 of 5 sources are national (1 without a t)"


# -- on a store -----------------------------------------------------------------------------
@pytest.fixture
def store(new_store_location):
    st = open_store(new_store_location())
    ids = build(st)
    st.ids = ids
    yield st
    st.close()


def test_outlets_before_and_after_an_import(store):
    before = {o["name"]: o for o in outlets_data(store)["outlets"]}
    # without a registry, www. and m. hosts still join the name the outlet's other pages carry
    assert before["Orchard Gazette"]["articles"] == 2 and before["Lakeside Tribune"]["articles"] == 3
    assert before["unknownsite.example"]["articles"] == 1 and before["Orchard Gazette"]["attributes"] == {}
    assert not any(name.endswith(".example") and name != "unknownsite.example" for name in before)
    entries = import_outlets(store, OUTLETS_CSV, "outlets.csv")
    assert {e["name"] for e in entries} >= {"Tollgate Weekly", "Granite Wire"}  # a domain names its outlet
    data = outlets_data(store)
    got = {o["name"]: o for o in data["outlets"]}
    assert set(got) == {"Orchard Gazette", "Lakeside Tribune", "Tollgate Weekly", "Ferrybridge Mercury",
                        "Saltmarsh Radio", "unknownsite.example", "Granite Wire"}
    lake = got["Lakeside Tribune"]
    assert (lake["articles"], lake["originals"], lake["copies"], lake["stories"], lake["first_reports"]) == (3, 2, 1, 2, 0)
    assert lake["copy_share"] == pytest.approx(1 / 3, abs=0.001)
    assert lake["sources"] == ["Lakeside Tribune", "www.lakesidetribune.example"]
    assert got["Orchard Gazette"]["first_reports"] == 1 and got["Ferrybridge Mercury"]["first_reports"] == 1
    assert got["Saltmarsh Radio"]["first_reports"] == 0  # the festival is undated: nobody is first
    assert got["unknownsite.example"]["wire_credited"] == 1 and got["unknownsite.example"]["attributes"] == {}
    assert got["Granite Wire"]["articles"] == 0 and got["Granite Wire"]["attributes"]["type"] == "wire"
    assert got["Orchard Gazette"]["languages"] == {"en": 2}
    assert data["attributes"] == ["country", "type", "owner", "leaning"]
    # a second import changes one attribute and keeps the others
    import_outlets(store, "domain,leaning\nwww.lakesidetribune.example,centre\n")
    lake = {o["name"]: o for o in outlets_data(store)["outlets"]}["Lakeside Tribune"]
    assert lake["attributes"]["leaning"] == "centre" and lake["attributes"]["owner"] == "Lakeside Holdings"


def test_story_coverage(store):
    import_outlets(store, OUTLETS_CSV)
    cov = story_coverage(store, "dam")
    first = cov["first_reported"]
    assert (first["outlet"], first["article_id"], first["undated_originals"]) == ("Orchard Gazette", store.ids["dam1"], 1)
    assert first["title"].startswith("Reservoir wall")
    t = cov["over_time"]
    assert t["bucket"] == "hour" and t["buckets"][0] == "2025-05-02T06:00:00Z" and len(t["buckets"]) == 4
    assert {s["name"]: s["counts"] for s in t["series"]} == {
        "Lakeside Tribune": [1, 0, 0, 1], "Orchard Gazette": [1, 0, 0, 0], "unknownsite.example": [0, 1, 0, 0],
        "Tollgate Weekly": [0, 0, 1, 0]}
    assert t["undated"] == 1
    groups = {g["attribute"]: g for g in cov["groups"]}
    assert groups["type"]["values"] == {"local": 1, "magazine": 1, "national": 1, "wire": 1}
    assert groups["country"]["line"] == "3 of 4 sources are from Brenmark" and groups["country"]["blindspot"] is None
    assert groups["leaning"]["blindspot"]["value"] == "left" and groups["leaning"]["unknown"] == 1
    by_type = story_coverage(store, "tram", bucket="day", by="type")["over_time"]
    assert {s["name"]: s["counts"] for s in by_type["series"]} == {
        "national": [1, 0, 1], "public broadcaster": [1, 0, 0]}
    assert story_coverage(store, "fest")["first_reported"]["status"] == "undated"
    with pytest.raises(UnknownAttribute, match="colour"):
        story_coverage(store, "dam", by="colour")


def test_blindspot_stories(store):
    with pytest.raises(UnknownAttribute, match="registry is empty"):
        blindspot_stories(store, "leaning")
    import_outlets(store, OUTLETS_CSV)
    found = blindspot_stories(store, "leaning")
    assert [s["id"] for s in found["items"]] == ["dam"] and found["store"]["mixed"]
    assert found["items"][0]["blindspot"]["line"] == "3 of 3 sources with a leaning are left"
    assert blindspot_stories(store, "country")["items"] == []  # 3 of 4 Brenmark is 75%
    # the store turns one-sided: no blindspot, whatever the story
    import_outlets(store, "name,leaning\nFerrybridge Mercury,left\nSaltmarsh Radio,left\n")
    assert blindspot_stories(store, "leaning")["items"] == [] and not blindspot_stories(store, "leaning")["store"]["mixed"]


def test_conflicts_are_counted_per_outlet_for_the_current_version(store):
    story = store.get_story("tram", members=False)
    c = {"sources": [{"n": 1, "source": "Ferrybridge Mercury"}, {"n": 2, "source": "Saltmarsh Radio"},
                     {"n": 3, "source": "Lakeside Tribune"}],
         "conflicts": [{"update": False, "claims": [{"source": 1, "sources": [1]}, {"source": 2, "sources": [2]}]},
                       {"update": True, "claims": [{"source": 1}, {"source": 3}]}]}
    record_conflicts(store, story, c)
    got = {o["name"]: o for o in outlets_data(store)["outlets"]}
    assert (got["Ferrybridge Mercury"]["conflicts"], got["Ferrybridge Mercury"]["compared_stories"]) == (1, 1)
    assert (got["Lakeside Tribune"]["conflicts"], got["Lakeside Tribune"]["compared_stories"]) == (0, 1)
    assert got["Orchard Gazette"]["compared_stories"] == 0
    assert (card_extras(store, [story])["tram"]["conflicts"], card_extras(store, [story])["tram"]["updates"]) == (1, 1)
    # the story changes: its old comparison no longer counts
    record_conflicts(store, dict(story, updated_seq=story["updated_seq"] - 1), c)
    assert {o["name"]: o for o in outlets_data(store)["outlets"]}["Ferrybridge Mercury"]["compared_stories"] == 0
    assert card_extras(store, [story])["tram"]["conflicts"] is None


def test_outlet_data_and_cards(store):
    import_outlets(store, OUTLETS_CSV)
    o = outlet_data(store, "www.lakesidetribune.example")
    assert o["name"] == "Lakeside Tribune" and {s["id"] for s in o["latest_stories"]} == {"dam", "tram"}
    assert outlet_data(store, "orchard gazette")["latest_stories"][0]["first"] is True
    with pytest.raises(UnknownOutlet):
        outlet_data(store, "Nobody Times")
    cards = card_extras(store, store.list_stories(limit=None))
    assert cards["dam"]["first_reported"]["outlet"] == "Orchard Gazette"
    assert cards["dam"]["lede"].startswith("Report dam1")
    assert cards["fest"]["first_reported"]["status"] == "undated" and cards["fest"]["lede"]


def test_sort_by_independent_sources(store):
    assert [s["id"] for s in store.list_stories(sort="sources")] == ["dam", "tram", "fest"]


def test_an_older_sqlite_store_is_migrated_and_keeps_its_data(tmp_path):
    path = str(tmp_path / "old.db")
    st = open_store(path)
    build(st)
    # as a store of version 7 was: no registry, no conflict table
    st.conn.execute("DROP TABLE outlets")
    st.conn.execute("DROP TABLE story_conflicts")
    st.conn.execute("PRAGMA user_version=7")
    st.close()
    again = open_store(path)
    assert again.schema_version == SQLITE_SCHEMA and again.count_articles() == 11
    assert again.outlet_registry() == [] and len(again.coverage_rows()) == 11
    import_outlets(again, OUTLETS_CSV)
    assert len(again.outlet_registry()) == 6


# -- who stated each fact first -------------------------------------------------------------
def test_fact_firsts_orders_originals_and_never_ranks_copies_or_undated():
    from storyline.coverage import fact_firsts

    c = {"sources": [
        {"n": 1, "id": "a1", "source": "Orchard Gazette", "published_at": "2025-05-02T08:30:00+02:00", "copy_of": None},
        {"n": 2, "id": "a2", "source": "Lakeside Tribune", "published_at": "2025-05-02T06:00:00Z", "copy_of": 1},
        {"n": 3, "id": "a3", "source": "Tollgate Weekly", "published_at": "2025-05-02T07:00:00Z", "copy_of": None},
        {"n": 4, "id": "a4", "source": "Saltmarsh Radio", "published_at": None, "copy_of": None},
        {"n": 5, "id": "a5", "source": "Ferrybridge Mercury", "published_at": "2025-05-03T09:15:00Z", "copy_of": None}],
        "facts": [{"id": 1, "status": "agreed", "text": "The reservoir wall gave way at dawn.", "sources": [1, 2, 3, 4, 5]},
                  {"id": 2, "status": "unique", "text": "Only one says this.", "sources": [3]},
                  {"id": 3, "status": "agreed", "text": "Nobody dated this.", "sources": [4, 2]}]}
    got = fact_firsts(c, {"a2": "Granite Wire", "a3": "Granite Wire"})
    assert [e["fact"] for e in got] == [1, 3]  # agreed facts only
    e = got[0]
    # 08:30+02:00 is 06:30 UTC: before Tollgate's 07:00; the copy at 06:00 is never first
    assert e["first"]["outlet"] == "Orchard Gazette" and [r["n"] for r in e["then"]] == [3, 5]
    assert [r["n"] for r in e["undated"]] == [4] and [r["n"] for r in e["copies"]] == [2]
    assert e["line"] == ("The reservoir wall gave way at dawn: first Orchard Gazette [1] 2025-05-02 06:30; then "
                         "Tollgate Weekly [3] (wire Granite Wire) 07:00, Ferrybridge Mercury [5] 2025-05-03 09:15; "
                         "undated Saltmarsh Radio [4]; copied by Lakeside Tribune [2] 06:00 (of Orchard Gazette [1], "
                         "wire Granite Wire)")
    assert got[1]["first"] is None and got[1]["line"].startswith("Nobody dated this: first: undated; undated Saltmarsh")


def test_fact_firsts_of_the_demo_wildfire(store_db):
    from storyline.compare.report import story_comparison
    from storyline.coverage import story_fact_firsts

    st = open_store(store_db)
    sid = next(s["id"] for s in st.list_stories(limit=None) if "Wildfire" in s["title"])
    firsts = story_fact_firsts(st, sid, story_comparison(st, sid))
    governor = next(e for e in firsts if "Hanna Solberg" in e["text"])
    assert (governor["first"]["outlet"], governor["first"]["published_at"], governor["first"]["wire"]) == (
        "Meridian Times", "2025-07-08T07:30:00Z", "ANA")
    assert [r["outlet"] for r in governor["then"]] == ["Northfield News"]
    assert [(r["outlet"], r["wire"]) for r in governor["copies"]] == [("Pinewood Herald", "ANA")]
    st.close()


# -- what is new since a time ---------------------------------------------------------------
def test_changes_since_over_three_waves():
    from coverage_fixtures import three_waves

    from storyline.compare import compare_articles
    from storyline.coverage import changes_since

    c = compare_articles(three_waves())
    before = changes_since(c, "2025-10-03")  # a date is its midnight (UTC): every article is new
    assert len(before["new_articles"]) == 4 and before["known_articles"] == 0 and before["updates"] == []
    after1 = changes_since(c, "2025-10-03T09:00:00Z")
    assert [a["n"] for a in after1["new_articles"]] == [3, 4] and after1["known_articles"] == 2
    assert after1["new_sources"] == ["Ferrybridge Mercury", "Saltmarsh Radio"]
    new_texts = [f["text"] for f in after1["new_facts"]]
    assert any("primary schools" in t for t in new_texts) and any("emergency fund" in t for t in new_texts)
    assert not any("burst its banks" in t for t in new_texts)  # known since the first wave
    assert [(u["from"]["value"], u["to"]["value"]) for u in after1["updates"]] == [("About 120", "About 340")]
    after2 = changes_since(c, "2025-10-03T20:00+00:00")
    assert after2["new_sources"] == ["Ferrybridge Mercury"] and after2["known_articles"] == 3
    assert not any("primary schools" in f["text"] for f in after2["new_facts"])
    # the summary cites only new sources, every sentence, and opens with the figure that moved
    for d, new in ((after1, {3, 4}), (after2, {4})):
        assert d["summary"] and all(s["sources"] and set(s["sources"]) <= new for s in d["summary"])
    assert after2["summary"][0]["text"].startswith("About 340 homes were flooded") and "(was About 120)" in after2["summary"][0]["text"]
    assert all("burst its banks" not in s["text"] for s in after2["summary"])
    nothing = changes_since(c, "2025-10-05T00:00:00Z")
    assert nothing["new_articles"] == [] and nothing["summary"] == [] and nothing["new_facts"] == []


def test_changes_since_never_places_undated_articles():
    from coverage_fixtures import three_waves

    from storyline.compare import compare_articles
    from storyline.coverage import changes_since

    arts = three_waves()
    arts[3].published_at = None
    d = changes_since(compare_articles(arts), "2025-10-03T20:00:00Z")
    assert d["new_articles"] == [] and [a["n"] for a in d["undated_articles"]] == [4]
    assert d["summary"] == [] and d["updates"] == []


@pytest.mark.parametrize("bad", ["yesterday", "", "2025-13-40", "soon 2025"])
def test_a_bad_since_is_a_named_error(bad):
    from storyline.coverage import BadTime, parse_since

    with pytest.raises(BadTime, match="not a date or time"):
        parse_since(bad)
