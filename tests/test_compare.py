from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.compare import compare_articles
from storyline.compare.dates import normalise_date
from storyline.compare.nlp import analyse, number_value
from storyline.compare.render import to_html, to_markdown
from storyline.model import Article

BASE = [
    "A section of the Tessaly Bridge in Carrow collapsed into the Varn River on Tuesday morning, officials said.",
    "At least 12 people were killed and 31 were injured, according to the city's emergency office.",
    "\"Rescue teams worked through the night to reach people trapped in their cars,\" Mayor Elena Brandt said.",
    "The bridge, which opened in 1962, carried about 40,000 vehicles a day across the river.",
    "An inquiry into the cause of the collapse will begin immediately, the transport ministry said.",
]


def art(body, source="Carrow Courier", title="Bridge collapses in Carrow"):
    slug = source.lower().replace(" ", "-").replace("<", "").replace(">", "").replace("/", "")
    return Article(title=title, body=list(body), source=source, published_at="2025-03-04T10:00:00Z",
                   url=f"https://{slug}.example/bridge")


def replaced(i, text):
    body = list(BASE)
    body[i] = text
    return body


def kinds(c):
    return sorted(k["kind"] for k in c["conflicts"])


def test_number_changed_is_exactly_a_number_conflict():
    c = compare_articles([art(BASE), art(replaced(1, BASE[1].replace("31", "45")), "Harbor Gazette")])
    assert kinds(c) == ["number"] and not c["possible"]
    values = sorted(cl["value"] for cl in c["conflicts"][0]["claims"])
    assert "31" in values[0] and "45" in values[1]
    assert c["conflicts"][0]["confidence"] >= 0.5


@pytest.mark.parametrize("ours, theirs", [
    ("At least 12 people", "At least 15 people"),          # two lower bounds: both can be true
    ("At least 12 people", "About 13 people"),             # a bound and an approximation that meet
    ("At least 12 people", "Between 10 and 14 people"),    # a range holding the bound
])
def test_compatible_figures_are_only_possible_differences(ours, theirs):
    first = replaced(1, BASE[1].replace("At least 12 people", ours))
    second = replaced(1, BASE[1].replace("At least 12 people", theirs))
    c = compare_articles([art(first), art(second, "Harbor Gazette")])
    assert kinds(c) == []  # nothing in red
    assert [p["kind"] for p in c["possible"]] in ([], ["number"])
    assert all(p["confidence"] < 0.5 for p in c["possible"])


def test_rounding_and_other_occasions_are_not_conflicts():
    from storyline.compare.conflicts import compatible, same_occasion

    (a,), (b,), (d,), (e,) = analyse([Article(title="", body=[t]) for t in (
        "The temperature reached 9.27 degrees on Monday.", "The temperature reached 9 degrees on Monday.",
        "The company forecast earnings of 54 cents a share.", "The company earned 44 cents a share last year.")])
    x, y = a.of("QUANTITY", "CARDINAL")[0], b.of("QUANTITY", "CARDINAL")[0]
    assert compatible(a, x, b, y)
    assert not same_occasion(d, e)


def test_speaker_swapped_is_exactly_an_attribution_conflict():
    c = compare_articles([art(BASE), art(replaced(2, BASE[2].replace("Mayor Elena Brandt", "Fire Chief Marcus Oyelaran")), "Harbor Gazette")])
    assert kinds(c) == ["attribution"]
    values = {cl["value"] for cl in c["conflicts"][0]["claims"]}
    assert values == {"Mayor Elena Brandt", "Fire Chief Marcus Oyelaran"}


def test_date_moved_is_exactly_a_date_conflict():
    c = compare_articles([art(BASE), art(replaced(3, BASE[3].replace("1962", "1968")), "Harbor Gazette")])
    assert kinds(c) == ["date"]


def test_place_conflict():
    a = ["The fire started in pine forest near Dunmore on Monday afternoon, regional authorities said.",
         "About 3,000 people were evacuated from their homes."]
    b = ["The fire started in pine forest near Kessling on Monday afternoon, regional authorities said.",
         "About 3,000 people were evacuated from their homes."]
    c = compare_articles([art(a, "A"), art(b, "B")])
    assert kinds(c) == ["place"]


def test_name_conflict():
    a = ["Tomas Reyes scored the winning goal in the 87th minute as Port Alder beat Redmarsh 2-1.", "The crowd was huge."]
    b = ["Andre Kallio scored the winning goal in the 87th minute as Port Alder beat Redmarsh 2-1.", "The crowd was huge."]
    c = compare_articles([art(a, "A"), art(b, "B")])
    assert kinds(c) == ["name"]


def test_a_figure_worded_another_way_is_a_number_conflict():
    # the two sentences share little but the slot: no alignment pairs them
    a = ["A storm cut power across Marlow Bay overnight, the grid operator Estel Power said.",
         "About 40,000 homes were without electricity on Thursday morning, Estel Power said."]
    b = ["Crews worked through the night after the storm brought down lines across the region.",
         "Around 60,000 homes around Marlow Bay lost power overnight, Estel Power said on Thursday."]
    c = compare_articles([art(a, "A"), art(b, "B")])
    assert kinds(c) == ["number"]
    assert {cl["value"] for cl in c["conflicts"][0]["claims"]} == {"About 40,000", "Around 60,000"}


def test_a_crowd_named_by_its_size_is_one_slot():
    # a bare figure after a copula takes its slot from the subject, and "fans" and "attendance"
    # both name the size of one crowd
    a = ["Vantor City won the Harlow Shield on Sunday, beating Oskby 3-0.",
         "Some 31,000 fans packed Merrow Park for the game."]
    b = ["Vantor City beat Oskby 3-0 on Sunday to take the Harlow Shield.",
         "The attendance at Merrow Park was 24,000, the club said."]
    c = compare_articles([art(a, "A"), art(b, "B")])
    assert kinds(c) == ["number"]
    assert {cl["value"] for cl in c["conflicts"][0]["claims"]} == {"Some 31,000", "24,000"}


@pytest.mark.parametrize("a, b", [
    # the attendance is not the number of police on duty
    ("Some 31,000 fans packed Merrow Park for the game.",
     "The club said 400 police officers were on duty at Merrow Park."),
    # a running total against one operation's count is two quantities
    ("The navy has seized a total of 523 rounds of ammunition in five operations, the officer said.",
     "The sailors seized 300 rounds of ammunition from the boats, the officer said."),
    # an article that gives two values for the slot is left to the aligned facts
    ("About 40,000 homes were without power on Thursday, down from 70,000 homes overnight, Estel Power said.",
     "Around 60,000 homes lost power overnight, Estel Power said."),
    # a small whole count is too often another subset of the story
    ("Four villages were destroyed in the quake, the governor said.",
     "The quake flattened seven villages near the coast, the governor said."),
    # the whole a part is counted from, written in words: "two of the three victims" has three victims
    ("One victim died in the storm on Thursday, the coroner said.",
     "The coroner said two of the three victims died in the storm on Thursday."),
])
def test_figures_of_different_quantities_are_no_conflict(a, b):
    c = compare_articles([art(["A storm hit the coast on Thursday, officials said.", a], "A"),
                          art(["The storm hit the coast on Thursday, officials said.", b], "B")])
    assert c["conflicts"] == []


def test_a_month_and_a_name_written_two_ways_are_no_conflict():
    a = ["The warship has carried out five operations since it was sent to the gulf in September this year.",
         "Calls to Gordon Advisors were not answered on Monday, and a recording said the offices were closed."]
    b = ["The warship has carried out five operations since it was sent to the gulf in September.",
         "Calls to Gordon were not answered on Monday, and a recording said the offices were closed."]
    assert compare_articles([art(a, "A"), art(b, "B")])["conflicts"] == []


def test_summary_marks_a_sentence_that_takes_a_side(demo_db):
    storm = next(c for t, c in _demo_reports(demo_db).items() if "Storm" in t)
    homes = next(k for k in storm["conflicts"] if any("40,000" in cl["value"] for cl in k["claims"]))
    for item in storm["summary"]:
        states = any(x["sentence"] in item["text"] for cl in homes["claims"] for x in cl["sentences"])
        assert (homes["id"] in item["disputed"]) == states
    assert any(homes["id"] in item["disputed"] for item in storm["summary"])
    assert any(item["text"].startswith("Sources differ on a number") and "40,000" in item["text"]
               for item in storm["summary"])


def test_itself_and_added_sentences_give_no_conflict():
    assert compare_articles([art(BASE), art(BASE, "Copy Outlet", "Other title")])["conflicts"] == []
    longer = BASE + ["Residents said they had heard cracking sounds from the bridge for weeks.",
                     "Two other bridges of the same design were closed for checks on Wednesday."]
    c = compare_articles([art(BASE), art(longer, "Harbor Gazette")])
    assert c["conflicts"] == []
    assert any(f["status"] == "unique" and f["sources"] == [2] for f in c["facts"])


def test_agreed_facts_count_copies_once():
    c = compare_articles([art(BASE), art(BASE, "Copy Outlet")])
    assert c["sources"][1]["copy_of"] == 1
    assert all(f["status"] != "agreed" for f in c["facts"])  # one source, printed twice
    other = ["A section of the Tessaly Bridge fell into the Varn River in Carrow on Tuesday morning, officials said."]
    c = compare_articles([art(BASE), art(other, "Independent Outlet")])
    assert any(f["status"] == "agreed" for f in c["facts"])


@pytest.mark.parametrize("sentence,speaker", [
    ('"We will rebuild the bridge," Mayor Elena Brandt said.', "Mayor Elena Brandt"),
    ('"We will rebuild the bridge," said Mayor Elena Brandt.', "Mayor Elena Brandt"),
    ('Mayor Elena Brandt said: "We will rebuild the bridge."', "Mayor Elena Brandt"),
    ('"We will rebuild the bridge," Brandt was quoted as saying.', "Mayor Elena Brandt"),
    ('The bridge will be rebuilt, according to Mayor Elena Brandt.', "Mayor Elena Brandt"),
    ('President Ilse Varga told reporters that the bridge would be rebuilt.', "President Ilse Varga"),
])
def test_quote_shapes(sentence, speaker):
    intro = "Mayor Elena Brandt visited the river on Tuesday."
    (sents,) = analyse([Article(title="t", body=[intro, sentence])])
    assert sents[-1].speaker == speaker


def test_numbers_and_dates():
    assert number_value("Twelve") == 12
    assert number_value("$1,099") == 1099
    assert number_value("4.5%") == 4.5
    assert normalise_date("5 May 2016") == ("2016-05-05", False)
    assert normalise_date("September 2015") == ("2015-09", False)
    assert normalise_date("last month", "2016-03-10") == ("2016-02", True)
    assert normalise_date("last year", "2016-03-10") == ("2015", True)
    assert normalise_date("in November", "2016-03-10") == ("2015-11", True)


def test_renderers_escape_and_cite():
    hostile = art(["<script>alert(1)</script> said nothing at all about the bridge today."] + BASE[:2], "Evil <b>Outlet</b>")
    c = compare_articles([art(BASE), hostile])
    page = to_html(c, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<script" not in page.lower()
    md = to_markdown(c)
    assert "**Summary**" in md
    assert all(item["sources"] for item in c["summary"])


def test_seed_comparison(shared):
    seeds = sorted(str(p) for p in (shared / "seeds").glob("*.txt"))
    r = CliRunner().invoke(main, ["compare", *seeds, "--format", "json"])
    assert r.exit_code == 0, r.output
    c = json.loads(r.output)
    att = [k for k in c["conflicts"] if k["kind"] == "attribution"]
    assert att
    speakers = {cl["value"] for k in att for cl in k["claims"]}
    assert "General Valery Gerasimov" in speakers and "Colonel General Andrei Kartapolov" in speakers
    assert any("reduce" in cl["sentence"] and "Defence Ministry" in cl["sentence"] for k in att for cl in k["claims"])

    def status_of(word):
        return [(f["status"], f["sources"]) for f in c["facts"] if any(word in e["sentence"] for e in f["evidence"])]

    def fact_of(word):
        return next(f for f in c["facts"] if any(word in e["sentence"] for e in f["evidence"]))

    # the Astana talks and the Palmyra concert are each one source's own: a fact of one source, whose
    # place no other source names
    assert fact_of("Astana")["sources"] == [1] and "Astana" in fact_of("Astana")["own_details"]
    assert fact_of("Palmyra")["sources"] == [2] and "Palmyra" in fact_of("Palmyra")["own_details"]
    # what both state in other words is never claimed as one source's alone
    for shared_fact in ("first combat", "September 2015", "first time the carrier"):
        assert all(s != "unique" for s, _ in status_of(shared_fact)), shared_fact
    assert any(s == "agreed" for s, _ in status_of("Admiral Kuznetsov aircraft carrier"))
    assert any(s == "agreed" for s, _ in status_of("MiG-29"))
    dates = {t["date"] for t in c["timeline"]}
    assert "2015-09" in dates and "2016-03" in dates
    sept = next(t for t in c["timeline"] if t["date"] == "2015-09")
    assert any("entered into the war" in e["sentence"] for e in sept["evidence"])
    assert c["summary"] and all(item["sources"] for item in c["summary"])
    # the Turkey/Iran mediation is not the same fact as the Russia/Turkey ceasefire
    mediation = [f for f in c["facts"] if any("mediated by Russia, Turkey and Iran" in e["sentence"] for e in f["evidence"])]
    assert mediation and all(f["status"] in ("unique", "unmatched") and len(f["sources"]) == 1 for f in mediation)
    assert all(len(f["text"].split()) >= 5 and f["text"][0].isupper() or f["text"][0] in "\"“'" for f in c["facts"])


def _demo_reports(demo_db):
    from storyline.compare.report import story_comparison
    from storyline.store import open_store

    store = open_store(demo_db)
    return {s["title"]: story_comparison(store, s["id"]) for s in store.list_stories(min_sources=2, limit=None)}


def test_demo_cites_no_source_for_what_it_did_not_say(demo_db):
    from storyline.compare.support import citation_support, sentences_by_source

    reports = _demo_reports(demo_db)
    multi = 0
    for title, c in reports.items():
        summary = [i for i in c["summary"] if not i["text"].startswith(("Sources differ", "A figure was updated"))]
        supported, cited = citation_support(summary, sentences_by_source(c))
        assert supported == cited, title
        multi += sum(len(i["sources"]) > 1 for i in summary)
    assert multi >= 6  # facts several sources state still cite them all
    fire = next(c for t, c in reports.items() if "Wildfire" in t)
    emergency = next(i for i in fire["summary"] if "state of emergency" in i["text"])
    asked = next(s["n"] for s in fire["sources"] if any("neighbouring regions" in x for x in sentences_by_source(fire)[s["n"]]))
    assert asked not in emergency["sources"]  # it asked for aircraft; it did not report the emergency


def test_demo_wildfire_figure_is_an_update(demo_db):
    fire = next(c for t, c in _demo_reports(demo_db).items() if "Wildfire" in t)
    (k,) = [k for k in fire["conflicts"] if k["kind"] == "number"]
    assert k["update"] is True and [cl["value"] for cl in k["claims"]] == ["2,400", "3,100"]
    assert len(k["claims"][0]["sources"]) == 3  # every source that said 2,400
    assert k["claims"][0]["published_at"] < k["claims"][1]["published_at"]
    assert any(i["text"].startswith("A figure was updated") for i in fire["summary"])
    # the moved figure is no dispute: no "Sources differ" note names it, no sentence is "disputed" by it
    assert not any(i["text"].startswith("Sources differ") and "hectare" in i["text"] for i in fire["summary"])
    assert not any(k["id"] in i.get("disputed", []) for i in fire["summary"] for k in fire["conflicts"] if k["update"])


# the demo's planted disagreements, all of which the comparison must find
FOUND = [
    ("Port Alder", "number", {"52,000", "48,000"}),  # "52,000 fans" / "the attendance ... was 48,000"
    ("Quillon", "number", {"1,099", "999"}),
    ("Quillon", "date", {"April 25", "April 18"}),
    ("Storm", "number", {"60,000", "40,000"}),
    ("Estovia", "number", {"quarter", "half"}),
    ("Estovia", "number", {"6.1%", "6.4%"}),  # "inflation, at 6.1% in February" / "Prices rose 6.4% in the year to February"
    ("Wildfire", "number", {"2,400", "3,100"}),
    ("Wildfire", "place", {"Dunmore", "Kessling"}),  # where it started: "near Dunmore" / "near Kessling"
    ("Tessaly", "date", {"1962", "1968"}),
    ("Tessaly", "attribution", {"Oyelaran", "Brandt"}),
    ("Storm", "number", {"130", "145"}),
    ("Estovia", "attribution", {"Varga", "Eklund"}),
    ("Port Alder", "attribution", {"Reyes", "Kallio"}),
]


def test_demo_a_toll_that_rose_is_an_update_not_a_conflict(demo_db):
    """"At least 12 killed" (10:02, repeated by a later source) and "has risen to 15" (14:05): the
    figure moved, so it is an update in that order, never a red conflict nor an agreed fact; the
    summary does not state the old toll as the story's."""
    c = next(c for t, c in _demo_reports(demo_db).items() if "Tessaly" in t)
    assert not [k for k in c["conflicts"] if k["kind"] == "number" and not k["update"]]
    (u,) = [k for k in c["conflicts"] if k["update"]]
    assert [cl["value"] for cl in u["claims"]] == ["At least 12", "15"]
    toll = next(f for f in c["facts"] if f["id"] == u["fact"])
    assert toll["status"] == "update"
    stated = [i["text"] for i in c["summary"] if not i["text"].startswith("A figure was updated")]
    assert not any(re.search(r"\b(?:12|[Tt]welve) people", t) for t in stated), stated


@pytest.mark.parametrize("story, kind, values", FOUND)
def test_demo_planted_disagreements_are_found(demo_db, story, kind, values):
    c = next(c for t, c in _demo_reports(demo_db).items() if story in t)
    found = [{cl["value"] for cl in k["claims"]} for k in c["conflicts"] if k["kind"] == kind]
    assert any(all(any(v in x for x in vals) for v in values) for vals in found), (story, kind, found)


def test_demo_reports_no_conflict_that_was_not_planted(demo_db):
    planted = [(story, kind, values) for story, kind, values in FOUND] + [("Port Alder", "name", {"Reyes", "Kallio"}),
                                                                       ("Tessaly", "number", {"12", "15"})]  # an update
    for title, c in _demo_reports(demo_db).items():
        for k in c["conflicts"]:
            vals = {cl["value"] for cl in k["claims"]}
            assert any(story in title and kind == k["kind"] and all(any(v in x for x in vals) for v in values)
                       for story, kind, values in planted), (title, k["kind"], vals)


@pytest.mark.parametrize("story, kind, values", [x for x in FOUND if x[1] in ("number", "date", "place")])
def test_demo_no_planted_difference_is_shown_as_agreement(demo_db, story, kind, values):
    """A place, number or date that two sources give differently is never inside an agreed fact with
    one value from one source and the other from another."""
    c = next(c for t, c in _demo_reports(demo_db).items() if story in t)
    for f in c["facts"]:
        if f["status"] != "agreed":
            continue
        giving = [{e["source"] for e in f["evidence"] if v in e["sentence"]} for v in values]
        assert not (all(giving) and len(set().union(*giving)) > 1 and not set.intersection(*giving)), (story, f["text"])


def test_a_difference_listed_under_another_fact_still_marks_this_one(demo_db, monkeypatch):
    """A difference is listed once, under the first fact that finds it; a second fact whose own
    sentences give the two values is not "agreed". A stricter aligner for whole stories (threshold
    0.6) joins the wildfire's 2,400 and 3,100 hectares in a fact of their own after the update was
    found under another one."""
    import importlib

    align = importlib.import_module("storyline.compare.align")
    params = dict(align.model(), large=dict(align.model()["large"], threshold=0.6))
    monkeypatch.setattr(align, "model", lambda: params)
    test_demo_no_planted_difference_is_shown_as_agreement(demo_db, "Wildfire", "number", {"2,400", "3,100"})


def test_reported_speech_is_never_in_quotation_marks(demo_db):
    from storyline.compare.render import quote_line

    for c in _demo_reports(demo_db).values():
        for q in c["quotes"]:
            line = quote_line(q, 10_000)
            if not q["direct"]:
                assert "“" not in line and "(reported)" in line
            else:
                assert f"“{q['text']}”" in line
    fire = next(c for t, c in _demo_reports(demo_db).items() if "Wildfire" in t)
    declared = [q for q in fire["quotes"] if "state of emergency" in q["text"]]
    assert declared and not any(q["direct"] for q in declared)


def test_compare_formats_cli(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps({"title": "Bridge collapses", "text": "\n\n".join(BASE), "source": "A"}))
    b.write_text(json.dumps({"title": "Bridge falls", "text": "\n\n".join(replaced(1, BASE[1].replace("12", "15"))), "source": "B"}))
    for fmt in ("text", "json", "markdown", "html"):
        r = CliRunner().invoke(main, ["compare", str(a), str(b), "--format", fmt])
        assert r.exit_code == 0, r.output
    out = tmp_path / "r.html"
    r = CliRunner().invoke(main, ["compare", str(a), str(b), "--format", "html", "-o", str(out)])
    assert out.read_text().startswith("<!DOCTYPE html>")
    r = CliRunner().invoke(main, ["compare", str(a)])
    assert r.exit_code == 2 and "two or more" in r.stderr


def test_eval_summaries_cli():
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "demo_summaries.jsonl"
    r = CliRunner().invoke(main, ["eval", "summaries", str(data), "--json"])
    scores = json.loads(r.output)
    for system in ("storyline", "lead", "centroid"):
        assert 0 < scores[system]["rouge1_recall"] <= 1 and "rougeL_f1" in scores[system]
    ours = scores["storyline"]["rouge2_recall"]
    assert ours > scores["lead"]["rouge2_recall"] and ours > scores["centroid"]["rouge2_recall"], scores


def test_entities_merged_kinds_voted_spans_cleaned():
    a = art(["Firefighters reached Dunmore on Monday as the fire spread, officials said.",
             "Residents of Dunmore were moved to a hall in Tarne overnight.",
             "Chief of staff Andrei Kartapolov said the carrier group would sail home.",
             "Kartapolov added that the ships would reach Severomorsk in February.",
             "Fighters of the Islamic State (Isis attacked the town."], "A")
    b = art(["Evacuations continued in Dunmore, where Hanna Solberg declared an emergency.",
             "Solberg asked for aircraft and said Tarne would take more families."], "B")
    c = compare_articles([a, b])
    by = {e["text"]: e for e in c["entities"]}
    assert by["Dunmore"]["kind"] == "place" and by["Tarne"]["kind"] == "place"
    assert "Kartapolov" not in by and by["Andrei Kartapolov"]["mentions"] == 2  # one entity, not two
    assert "Solberg" not in by and by["Hanna Solberg"]["sources"] == [2]
    assert all(e["text"].count("(") == e["text"].count(")") for e in c["entities"])


def test_timeline_resolves_weekdays_against_publication_and_never_guesses():
    dated = Article(title="Fire", body=["The fire started near Dunmore on Monday, officials said.",
                                        "Crews fought it through Tuesday night."],
                    source="A", published_at="2025-07-09T08:00:00Z", url="https://a.example/1")
    c = compare_articles([dated, art(["A fire burned near Dunmore, officials said."], "B")])
    dates = {t["date"] for t in c["timeline"]}
    assert "2025-07-07" in dates and "2025-07-08" in dates  # Wednesday's paper: Monday the 7th
    undated = Article(title="War", body=["Air strikes began in mid-November, the ministry said.",
                                         "Russia entered the war in September 2015."], source="C")
    c = compare_articles([undated, Article(title="War", body=["The war began in September 2015."], source="D")])
    assert {t["date"] for t in c["timeline"]} == {"2015-09"}  # no year guessed for "mid-November"
    anchored = Article(title="War", body=["The carrier sailed on 17 October 2016.",
                                          "Air strikes began in mid-November, the ministry said."], source="E")
    c = compare_articles([anchored, Article(title="War", body=["The carrier sailed in October 2016."], source="F")])
    assert "2016-11" in {t["date"] for t in c["timeline"]}  # nearest its own absolute date


def test_every_source_of_a_slot_value_is_listed(demo_db):
    final = next(c for t, c in _demo_reports(demo_db).items() if "Port Alder" in t)
    (k,) = [k for k in final["conflicts"] if k["kind"] == "number"]
    by_value = {cl["value"].split()[-1]: cl["sources"] for cl in k["claims"]}
    # "About 52,000 supporters watched the match" shares no word with the attendance sentence, but
    # states the same figure for the same crowd: its source is listed with the other
    assert len(by_value["52,000"]) == 2 and len(by_value["48,000"]) == 1


def test_the_summary_says_what_a_dispute_is_about_and_leaves_dangling_pronouns_out():
    first = BASE + ["It was the worst disaster in the city's history, the mayor's office said."]
    second = replaced(2, BASE[2].replace("Mayor Elena Brandt", "Fire Chief Marcus Oyelaran"))
    c = compare_articles([art(first), art(second, "Harbor Gazette")], words=200)
    note = next(i["text"] for i in c["summary"] if i["text"].startswith("Sources differ"))
    assert "who said “Rescue teams worked through the night" in note  # what was said, not "it"
    assert not any(i["text"].startswith("It ") for i in c["summary"])


def test_each_source_is_shown_in_its_own_words():
    from storyline.compare.render import own_sentences

    other = [BASE[0], "Twelve people died and 31 were hurt when the span fell, the emergency office said.", *BASE[2:]]
    c = compare_articles([art(BASE), art(other, "Harbor Gazette")])
    shared = [f for f in c["facts"] if len(f["sources"]) == 2 and len({e["sentence"] for e in f["evidence"]}) == 2]
    assert shared
    for f in shared:
        own = own_sentences(f)
        assert [s for s, _ in own] == [[1], [2]] and own[0][1] != own[1][1]
    out = to_markdown(c)
    for f in shared:
        for e in f["evidence"]:
            assert f"[{e['source']}] {e['sentence']}" in out


def test_a_citation_needs_the_amount_written_in_words():
    from storyline.compare.support import supports

    claim = "The bank raised its main interest rate by a quarter point to 4.5% on Thursday."
    assert supports("The bank raised its main interest rate by a quarter point to 4.5% on Thursday, its third rise.", claim)
    assert not supports("Borrowers face higher costs after the bank raised its main interest rate to 4.5% on Thursday.", claim)


def test_a_document_is_the_speaker_of_what_it_states_and_reported_speech_drops_its_frame():
    from storyline.compare import unframed

    body = ["The council adopted a resolution on Monday after a long debate in Carrow.",
            'The resolution calls for the "rapid and complete" repair of every bridge in the city.',
            "Transport Minister Oskar Lindqvist said the repairs would take two years, the Varn Gazette has reported."]
    c = compare_articles([art(body), art(BASE, "Harbor Gazette")])
    q = next(q for q in c["quotes"] if "rapid and complete" in q["text"])
    assert q["speaker"].lower() == "the resolution"
    assert unframed(body[2], "Transport Minister Oskar Lindqvist") == "The repairs would take two years."
    assert unframed("According to the city's emergency office, 12 people died.") == "12 people died."
    # "announced a review" is no reported statement: nothing is cut
    kept = "In March Lindqvist announced a full review of the city's bridges."
    assert unframed(kept, "Oskar Lindqvist") == kept


def test_ships_and_aircraft_are_vehicles_and_cities_places():
    body = ["The navy said the Marshal Oyen aircraft carrier would leave the port of Carrow on Friday.",
            "Two Kr-52 fighter jets flew over the city of Velda during the parade.",
            "The carrier Marshal Oyen carried forty jets on its first voyage."]
    c = compare_articles([art(body), art(BASE, "Harbor Gazette")])
    kinds = {e["text"]: e["kind"] for e in c["entities"]}
    assert kinds.get("Marshal Oyen") == "vehicle"
    assert kinds.get("Velda") == "place"
    from storyline.compare import _CRAFT_MODEL

    assert _CRAFT_MODEL.match("Kr-52") and _CRAFT_MODEL.match("F-16") and not _CRAFT_MODEL.match("Covid-19")


def test_a_name_after_a_personal_title_is_a_person():
    # the tagger calls "Ilse Varga" an organisation in both sentences
    body = ["Governor Ilse Varga said the Estovian bank would act.",
            "Governor Ilse Varga said inflation, at 6.1% in February, remained too high.",
            "Deputy Governor Mats Eklund left early."]
    c = compare_articles([art(body), art(BASE, "Harbor Gazette")])
    kinds = {e["text"]: e["kind"] for e in c["entities"]}
    assert kinds.get("Ilse Varga") == "person" and kinds.get("Mats Eklund") == "person"
    from storyline.compare import _NAME_SHAPE, _TITLE_BEFORE

    assert _TITLE_BEFORE.search("said Lt. ") and not _TITLE_BEFORE.search("the bank of ")
    assert not _NAME_SHAPE.match("National Bank of Estovia")


def test_one_source_facts_are_unique_only_when_no_other_source_seems_to_state_them():
    # [2] retells the death toll in other words and adds a ferry service no one else mentions
    other = ["The Tessaly Bridge in Carrow partly fell into the Varn River on Tuesday, officials said.",
             "Twelve people lost their lives and dozens more were hurt when the span gave way beneath rush-hour traffic.",
             "A temporary ferry run by Oskel Marine will carry commuters between the two banks from Thursday."]
    c = compare_articles([art(BASE), art(other, "Varn Valley Post")])
    one = [f for f in c["facts"] if len(f["sources"]) == 1]
    assert one and all(f["status"] in ("unique", "unmatched") and 0 <= f["elsewhere"] <= 1 for f in one)
    assert c["stats"]["unique"] + c["stats"]["unmatched"] == len(one)
    ferry = next(f for f in c["facts"] if "ferry" in f["text"])
    assert ferry["sources"] == [2] and "Oskel Marine" in ferry["own_details"]
    assert "Carrow" not in ferry["own_details"]  # [1] names the town too
    for f in one:
        if f["status"] == "unmatched":  # where a reader may find it: the other source's closest sentence
            assert f["nearest"] and f["nearest"][0]["source"] != f["sources"][0]
        else:
            assert "nearest" not in f
    # the toll is stated by both: it is never shown as one source's alone
    toll = [f for f in c["facts"] if "Twelve people" in f["text"] or "At least 12" in f["text"]]
    assert toll and all(f["status"] != "unique" for f in toll)
    text = to_markdown(c)
    assert "only [2] gives: Oskel Marine" in text


def test_who_stated_each_agreed_fact_first():
    """The earliest dated original first, a copy never first whatever its clock, undated never ranked;
    text and Markdown say it under the fact."""
    early = Article(title="Bridge collapses in Carrow", body=list(BASE), source="Carrow Courier",
                    published_at="2025-03-04T10:00:00Z", url="https://carrow-courier.example/a")
    copy = Article(title="Bridge collapses in Carrow", body=list(BASE), source="Pinewood Herald",
                   published_at="2025-03-04T09:30:00Z", url="https://pinewood.example/a")  # clock says earlier
    later = Article(title="Carrow bridge falls", body=[BASE[0], BASE[1].replace("At least 12", "Twelve")],
                    source="Varn Valley Post", published_at="2025-03-04T12:15:00Z", url="https://varn.example/a")
    undated = Article(title="Carrow bridge", body=[BASE[0]], source="Lumen Wire", url="https://lumen.example/a")
    c = compare_articles([later, undated, early, copy], duplicate_of={copy.id: early.id})
    from storyline.compare.told import fact_firsts

    collapse = next(e for e in fact_firsts(c) if "Tessaly Bridge" in e["text"])
    assert collapse["first"]["outlet"] == "Carrow Courier"
    assert [r["outlet"] for r in collapse["then"]] == ["Varn Valley Post"]
    assert [r["outlet"] for r in collapse["undated"]] == ["Lumen Wire"]
    assert [r["outlet"] for r in collapse["copies"]] == ["Pinewood Herald"]
    assert "first Carrow Courier [3] 2025-03-04 10:00; then Varn Valley Post [1] 12:15" in to_markdown(c)


def test_a_range_of_millions_and_a_bound_inside_it_are_compatible():
    """"$140 million to $160 million" is a range (the scale word between its ends is read), so "at
    least $150 million" can be true with it: no conflict."""
    a = art(BASE[:1] + ["Repairs will cost $140 million to $160 million, the transport ministry said."])
    b = art(BASE[:1] + ["Repairs will cost at least $150 million, the transport ministry said."], "Varn Valley Post")
    c = compare_articles([a, b])
    assert not [k for k in c["conflicts"] if k["kind"] == "number"], c["conflicts"]


def _pair(x, y):
    (a,), (b,) = analyse([Article(title="", body=[x], id="x"), Article(title="", body=[y], id="y")])
    return a, b


def test_a_unit_glued_by_a_hyphen_is_the_unit():
    from storyline.compare.conflicts import _unit

    (s,), = analyse([Article(title="", body=["The 5.9-magnitude quake struck Orlan island, officials said."], id="q")])
    glued = [e for e in s.ents if e.text.startswith("5.9")]
    assert glued and all(_unit(s, e) == "magnitud" for e in glued)


def test_two_names_in_two_roles_are_no_conflict():
    from storyline.compare.conflicts import find_conflicts

    a, b = _pair("Outside the courthouse, Dorran Kell shot and killed a deputy sergeant.",
                 "He burst into the courtroom and shot and killed Judge Mara Velt.")
    assert not [c for c in find_conflicts(a, b) if c.kind in ("name", "place")]
    a, b = _pair("Kristen Vale will star in the film, the studio said.",
                 "Kristen Moor will star in the film, the studio said.")
    assert [c.kind for c in find_conflicts(a, b)] == ["name"]


def test_clock_times_conflict_only_when_both_cannot_be_right():
    from storyline.compare.conflicts import clock

    def values(x, y):
        return [sorted(cl.value for cl in c.claims) for c in clock(*_pair(x, y))]

    assert values("The tremor struck the island at 5:11 p.m. local time.",
                  "The institute registered the tremor at 17:06 hours local time.") == [["17:06 hours", "5:11 p.m."]]
    assert not values("The first call came at 3:33 a.m., the fire chief said.",
                      "The fire call came in at 3:30 a.m.")  # a quarter hour may round
    assert not values("He was driving about 1:30 a.m., officers said.", "He was driving at about 1:00 am.")
    assert not values("Orrin tied it with 14:05 left, then scored with 7:41 left in the first half.",
                      "Orrin tied it with 14:05 left in the first half.")  # one time both give: agreement
    assert values("Vass tied the game with 10:03 to play in the third quarter.",
                  "Vass tied the game with 6:00 remaining in the third quarter.") == [["10:03", "6:00"]]


def test_one_sum_in_two_currencies_is_no_conflict():
    from storyline.compare.conflicts import find_conflicts

    a, b = _pair("Thieves took jewellery worth an estimated two million euros (£1.7 million), police said.",
                 "Thieves took jewellery worth an estimated $2.6 million, police said.")
    assert not [c for c in find_conflicts(a, b) if c.kind == "number"]
    a, b = _pair("Thieves took jewellery worth an estimated $1.7 million, police said.",
                 "Thieves took jewellery worth an estimated $2.6 million, police said.")
    assert [c.kind for c in find_conflicts(a, b)] == ["number"]


def test_a_distance_from_one_place_is_one_slot_and_a_conversion_is_approximate():
    from storyline.compare.slots import story_slot_conflicts

    def conflicts(*bodies):
        analysed = analyse([Article(title="", body=list(b), id=str(i)) for i, b in enumerate(bodies)])
        sentences = [s for ss in analysed for s in ss]
        return [(c.claims[0].value, c.claims[1].value, c.confidence)
                for _, _, c, _ in story_slot_conflicts(sentences, list(range(len(bodies))))]

    # each article gives other distances too: only the one from Corvin is one slot
    found = conflicts(["Lessa, located 1,150 kilometers southeast of Corvin, has a busy port.",
                       "The quake hit 300 kilometers from the coast."],
                      ["Lessa, an island 1,500 kilometers south of Corvin, has a busy port."])
    assert [(a, b) for a, b, c in found if c >= 0.5] == [("1,150 kilometers", "1,500 kilometers")]
    found = conflicts(["The epicentre of the quake was 35 miles southwest of Arvel, the seismic centre said."],
                      ["The epicentre of the quake was about 58km (36 miles) southwest of Arvel, the survey said."])
    assert found and all(c < 0.5 for _, _, c in found)  # "36 miles" converts "about 58km": approximate


def test_a_piece_too_short_to_state_anything_is_never_unique(monkeypatch):
    import storyline.compare as compare

    model = compare.unique_model()
    monkeypatch.setattr(compare, "unique_model", lambda: dict(model, bar=1.01))  # every other one-source fact: unique
    other = ["The Tessaly Bridge in Carrow partly fell into the Varn River on Tuesday, officials said.",
             "No",
             "Inspector Orla Venn said."]
    c = compare_articles([art(BASE), art(other, "Varn Valley Post")])
    short = [f for f in c["facts"] if len(f["text"].split()) < 5]
    assert short and all(f["status"] == "unmatched" for f in short)
    assert [f for f in c["facts"] if f["status"] == "unique"]


def test_explain_gives_what_the_conflict_model_reads():
    from storyline.compare.confidence import PATHS, features

    c = compare_articles([art(BASE), art(replaced(1, BASE[1].replace("31", "45")), "Harbor Gazette")], explain=True)
    (k,) = c["conflicts"]
    x = k["features"]
    assert sum(x[f"path_{p}"] for p in PATHS) == 1 and x["kind_number"] == 1 and 0 <= x["overlap"] <= 1
    assert "features" not in compare_articles([art(BASE), art(BASE, "Harbor Gazette")])["summary"][0]
    a, b = _pair("He ran for 605 yards and five touchdowns this season.", "Orrin Vale ran for 364 yards on Sunday.")
    from storyline.compare.conflicts import Claim, Conflict

    f = features(Conflict("number", [Claim("605 yards", 0, a.text), Claim("364 yards", 1, b.text)]), a, b, "aligned", 0.9)
    assert f["unnamed"] == 1 and f["same_actor"] == 0


def test_summary_leaves_out_a_sentence_about_an_unnamed_city_and_undated_facts_have_no_told_line():
    from storyline.compare.render import to_markdown
    from storyline.compare.summary import _unnamed_place

    assert _unnamed_place("Troops loyal to Mr Orrin ousted rebels from the city last month.")
    assert not _unnamed_place("Troops ousted rebels from the city of Velda last month.")
    other = ["Part of the Tessaly Bridge in Carrow fell into the Varn River on Tuesday morning, officials said.",
             "An inquiry into the cause of the collapse will begin immediately, the transport ministry said."]
    undated = [Article(title="Bridge collapses in Carrow", body=list(BASE), source="Carrow Courier", id="u1"),
               Article(title="Carrow bridge falls", body=other, source="Harbor Gazette", id="u2")]
    c = compare_articles(undated)
    assert [f for f in c["facts"] if f["status"] == "agreed"]
    assert "first: undated" not in to_markdown(c)


def test_figures_dated_to_two_different_times_are_two_occasions():
    from storyline.compare.conflicts import find_conflicts

    a, b = _pair("Earlier on Sunday a 5.6 quake jolted Orlan island, state media said.",
                 "Orlan island was hit by a 6.1 quake in September, state media said.")
    assert all(c.confidence < 0.5 for c in find_conflicts(a, b) if c.kind == "number")
    a, b = _pair("A 5.6 quake jolted Orlan island on November 27, state media said.",
                 "A 6.1 quake jolted Orlan island on Nov. 27, state media said.")
    assert [c.confidence for c in find_conflicts(a, b) if c.kind == "number"] == [1.0]


def test_a_speaker_carried_over_from_another_sentence_gives_no_attribution_conflict():
    from storyline.compare.conflicts import attribution

    a = art(["\"We lost to a better team tonight,\" coach Orrin Vale said.",
             "\"This game was on my shoulders, I played badly,\" he said."], "A")
    b = art(["\"This game was on my shoulders, I played badly,\" quarterback Dane Holt said."], "B")
    (sa,) = [s for s in analyse([a])[0] if "shoulders" in s.text]
    (sb,) = analyse([b])[0]
    assert sa.speaker and sb.speaker and attribution(sa, sb) is None


def test_an_unnamed_he_and_another_season_are_not_the_named_players_figures():
    from storyline.compare.conflicts import find_conflicts

    a, b = _pair("He has 53 catches for 605 yards and five touchdowns.",
                 "Orrin Vale passed for 364 yards and three touchdowns on Sunday.")
    assert not [c for c in find_conflicts(a, b) if c.kind == "number" and c.confidence >= 0.5]
    a, b = _pair("Orrin Vale ran for 793 yards in 2009, the team said.",
                 "Orrin Vale ran for 269 yards in 2010, the team said.")
    assert not [c for c in find_conflicts(a, b) if c.kind == "number" and c.confidence >= 0.5]
    a, b = _pair("Orrin Vale ran for 793 yards in 2009, the team said.",
                 "Orrin Vale ran for 769 yards in 2009, the team said.")
    assert [c.kind for c in find_conflicts(a, b) if c.confidence >= 0.5] == ["number"]


def test_sums_in_two_currencies_fill_two_story_slots():
    from storyline.compare.slots import story_slot_conflicts

    bodies = [["Thieves made off with jewels worth £1.7 million from the Velda store, police said."],
              ["Thieves made off with jewels worth $2.6 million from the Velda store, police said."],
              ["Thieves made off with jewels worth $3.9 million from the Velda store, police said."]]
    sentences = [s for ss in analyse([Article(title="", body=b, id=str(i)) for i, b in enumerate(bodies)]) for s in ss]
    found = [sorted((c.claims[0].value, c.claims[1].value)) for _, _, c, _ in story_slot_conflicts(sentences, [0, 1, 2])]
    assert found == [["$2.6 million", "$3.9 million"]]
