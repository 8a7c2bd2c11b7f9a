"""The summary against lead and centroid summaries of the same length (compare/summary_eval.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyline.compare.summary_eval import eval_demo_summaries, rouge

REFERENCES = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "demo-summaries.jsonl"


def test_rouge():
    assert rouge("the bridge fell", "the bridge fell") == {"rouge1": 1.0, "rouge2": 1.0}
    assert rouge("the bridge fell", "rain in the hills")["rouge2"] == 0.0
    r = rouge("the old bridge fell into the river", "the bridge fell")
    assert 0 < r["rouge2"] < r["rouge1"] < 1


def test_demo_summaries_beat_lead_and_centroid(demo_db):
    """Against the summaries an editor wrote of the demo's six stories from the articles alone."""
    from storyline.store import open_store

    r = eval_demo_summaries(open_store(demo_db), str(REFERENCES))
    assert r["stories"] == 6, r
    for metric in ("rouge1", "rouge2"):
        assert r[f"storyline_{metric}"] >= r[f"lead_{metric}"], r
        assert r[f"storyline_{metric}"] >= r[f"centroid_{metric}"], r


def _figures(text):
    return {m.replace(",", "") for m in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", text)
            if float(m.replace(",", "")) >= 10 and not (1900 <= float(m.replace(",", "")) <= 2100 and "," not in m)}


def test_demo_summaries_state_no_fact_twice_and_no_replaced_figure(demo_db):
    from storyline.compare.report import story_comparison
    from storyline.store import open_store

    store = open_store(demo_db)
    for s in store.list_stories(min_sources=2, limit=None):
        c = story_comparison(store, s["id"])
        sentences = [i for i in c["summary"] if i["fact"] in {f["id"] for f in c["facts"]}
                     and not i["text"].startswith(("Sources differ", "A figure was updated"))]
        facts = [i["fact"] for i in sentences]
        assert len(facts) == len(set(facts)), (s["title"], facts)
        seen: set[str] = set()
        for i in sentences:
            assert not (_figures(i["text"]) & seen), (s["title"], i["text"])
            seen |= _figures(i["text"])
        for k in c["conflicts"]:
            if k["update"]:  # the figure a later report replaced is told by the note, not stated as fact
                old = {x["sentence"] for cl in k["claims"][:-1] for x in cl["sentences"]}
                assert not any(o in i["text"] for o in old for i in sentences), (s["title"], old)


@pytest.mark.slow
def test_factmap_summaries_carry_more_content_than_lead_and_centroid(shared):
    from storyline.compare.factmap import read_factmap
    from storyline.compare.summary_eval import eval_factmap_summaries

    data = shared / "data" / "ecbplus"
    stories = read_factmap(str(Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "factmap.jsonl"),
                           [str(data / "train.jsonl"), str(data / "dev.jsonl")])
    r = eval_factmap_summaries([s for s in stories if s["half"] == "check"])
    assert r["storyline_content"] >= r["lead_content"] and r["storyline_content"] >= r["centroid_content"], r
    assert r["storyline_rouge1"] >= r["lead_rouge1"], r
