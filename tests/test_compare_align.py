"""Which sentences may be joined into one fact (compare/align.py): in a story of many articles a
pair's rank among its candidates must not join pieces that share no words, page datelines or
fragments too short to state anything."""
from __future__ import annotations

import numpy as np

from storyline.compare.align import COS_FLOOR, SMALL, joinable
from storyline.compare.nlp import analyse
from storyline.model import Article


def _sentences(bodies: list[list[str]]):
    analysed = analyse([Article(title="", body=b, id=str(i)) for i, b in enumerate(bodies)])
    return [s for ss in analysed for s in ss]


def test_a_whole_story_joins_only_pairs_that_share_words():
    bodies = [[f"The Harbour Hawks beat the Selwyn Owls in the final, report {i} said on Saturday."]
              for i in range(SMALL)]
    sents = _sentences(bodies)
    cos = np.full((len(sents), len(sents)), COS_FLOOR + 0.1)
    cos[0, 1] = cos[1, 0] = COS_FLOOR / 2
    ok = joinable(sents, cos)
    assert not ok[0, 1] and ok[0, 2]
    # among few articles the small model's words decide: no floor
    few = sents[:2]
    assert joinable(few, np.full((2, 2), COS_FLOOR / 2))[0, 1]


def test_datelines_and_short_pieces_join_nothing():
    bodies = [["Posted: March 8, 2013 2:39 pm", "My goodness, the roar.",
               "The Harbour Hawks beat the Selwyn Owls in the league final on Saturday."]] + \
             [[f"The Hawks beat the Owls 3-1 in the final at Marrow Park, outlet {i} said."] for i in range(SMALL - 1)]
    sents = _sentences(bodies)
    ok = joinable(sents, np.ones((len(sents), len(sents))))
    by_text = {s.text: i for i, s in enumerate(sents)}
    stamp, short, lead = (by_text[t] for t in ("Posted: March 8, 2013 2:39 pm", "My goodness, the roar.",
                                               "The Harbour Hawks beat the Selwyn Owls in the league final on Saturday."))
    assert not ok[stamp].any() and not ok[short].any() and ok[lead].sum() > 0
    # a line the tagger calls a date without a figure is no dateline
    sents = _sentences([["Everybody's in shock right now, said Kessler."], ["Kessler said everyone is in shock."]])
    assert joinable(sents, np.ones((2, 2)))[0, 1]


def test_one_shared_word_is_a_topic_not_a_fact():
    bodies = [["Take approximately seven thousand Creighton hoops fans in the arena."],
              ["This whole fan base has been with me from the start, the forward said."]] + \
             [[f"The Hawks beat the Owls 3-1 in the final at Marrow Park, outlet {i} said."] for i in range(SMALL - 2)]
    sents = _sentences(bodies)
    ok = joinable(sents, np.ones((len(sents), len(sents))))
    assert not ok[0, 1]  # "fan" alone
    assert ok[2, 3]  # the final, the Hawks, the Owls, Marrow Park
