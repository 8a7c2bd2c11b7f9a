"""`storyline eval factmap`: the scoring of what a reader sees against an editor's fact map."""
from __future__ import annotations

import json

from storyline.compare.factmap import eval_factmap, gold_of, score, summarise_counts

STORY = {"story": "s", "half": "fit", "articles": ["a", "b", "c"],
         "facts": [[["a", 0], ["b", 0]], [["a", 1]], [["b", 1], ["c", 0]], [["c", 1]]],
         "conflicts": [{"kind": "number", "a": [["a", 2]], "b": [["c", 2]]}],
         "updates": []}


def _fact(status, *keys):
    by = {}
    for k in keys:
        by.setdefault(k[0], set()).add(k)
    return {"status": status, "sources": by}


def test_scores_agreed_unique_pairs_and_conflicts():
    gold = gold_of(STORY)
    pred = {"facts": [_fact("agreed", (0, 0), (1, 0)),          # right
                      _fact("agreed", (0, 1), (2, 1)),          # two different facts joined
                      _fact("unique", (1, 1)),                  # c states it too: wrong
                      _fact("unique", (2, 1))],                 # right
            "conflicts": [("number", [{(0, 2)}, {(2, 2)}]), ("place", [{(0, 0)}, {(1, 0)}])],
            "updates": []}
    s = summarise_counts(score(pred, gold))
    assert s["agreed_precision"] == 0.5 and s["unique_precision"] == 0.5
    assert s["fact_pair_precision"] == 0.5 and s["fact_pair_recall"] == 0.5  # gold pairs: a0-b0, b1-c0
    assert s["conflict_precision"] == 0.5 and s["conflict_recall"] == 1.0
    assert s["conflict_precision:number"] == 1.0 and s["conflict_precision:place"] == 0.0


def test_eval_factmap_runs_ours_and_the_baseline(tmp_path):
    texts = {"a": "The harbour board of Port Selby voted on Tuesday to dredge the north channel.\n"
                  "The work will cost 4 million crowns, the chair said.",
             "b": "Port Selby's harbour board voted Tuesday to dredge its north channel.\n"
                  "Dredging starts in May.",
             "c": "On Tuesday the Port Selby harbour board approved dredging the north channel.\n"
                  "The bill is 6 million crowns, a board member said."}
    arts = tmp_path / "arts.jsonl"
    arts.write_text("\n".join(json.dumps({"id": k, "text": v}) for k, v in texts.items()))
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"story": "s", "half": "check", "articles": ["a", "b", "c"],
                                "facts": [[["a", 0], ["b", 0], ["c", 0]], [["a", 1], ["c", 1]], [["b", 1]]],
                                "conflicts": [{"kind": "number", "a": [["a", 1]], "b": [["c", 1]]}],
                                "updates": []}) + "\n")
    out = eval_factmap(str(gold), [str(arts)], half="check")
    assert out["stories"] == 1 and out["gold_facts"] == 3
    assert out["agreed_precision"] == 1.0  # the vote, stated by all three
    assert "tfidf_fact_pair_precision" in out
    assert eval_factmap(str(gold), [str(arts)], half="fit")["stories"] == 0
