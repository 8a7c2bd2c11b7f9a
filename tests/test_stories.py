from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.dedup import wire_credit
from storyline.demo import demo_path
from storyline.evaluate import _final_ids, bcubed, pairwise
from storyline.model import Article
from storyline.pipeline import ingest
from storyline.similarity import similarity
from storyline.store import open_store
from storyline.stories import StoryEngine, cluster_articles, cluster_store


def demo_store(tmp_path):
    from fixtures import build_demo_db

    return open_store(build_demo_db(str(tmp_path / "d.db")))


def test_demo_stories_and_copies(tmp_path):
    store = demo_store(tmp_path)
    stories = store.list_stories(limit=None, sort="size")
    multi = [s for s in stories if s["articles"] > 1]
    assert len(multi) == 6
    for s in multi:
        assert s["articles"] == 5
        assert s["independent"] == 4  # the copy of the wire report is not independent
    story = store.get_story(multi[0]["id"])
    copies = [m for m in story["members"] if m["duplicate_of"]]
    assert len(copies) == 1
    original = copies[0]["duplicate_of"]
    assert any(m["article"].id == original and m["wire"] == "ANA" for m in story["members"])


def test_ids_stable_and_never_renamed(tmp_path):
    a = demo_store(tmp_path)
    ids_a = {s["id"] for s in a.list_stories(limit=None)}
    other = open_store(str(tmp_path / "b.db"))
    ingest([demo_path()], other)
    cluster_store(other)
    assert {s["id"] for s in other.list_stories(limit=None)} == ids_a
    # adding articles later never renames an existing story
    other.add_articles([Article(title="Bridge inquiry opens in Carrow", source="Late Outlet",
                                body=["The inquiry into the collapse of the Tessaly Bridge in Carrow opened on Wednesday, with Transport Minister Oskar Lindqvist promising answers on the corroded steel supports over the Varn River."],
                                published_at="2025-03-05T09:00:00Z")])
    cluster_store(other)
    after = {s["id"] for s in other.list_stories(limit=None)}
    assert ids_a <= after
    bridge = next(s for s in other.list_stories(limit=None, search="Tessaly"))
    assert bridge["articles"] == 6


def test_wire_credit():
    assert wire_credit(["LONDON (Reuters) — Markets fell."]) == "Reuters"
    assert wire_credit(["NEW YORK (AP) — A storm hit."]) == "Associated Press"
    assert wire_credit(["Body.", "This story was provided by Atlas News Agency."]) == "Atlas News Agency"
    assert wire_credit(["The mayor spoke to reporters."]) is None


WORDS = ("council harbour ferry vote budget school road bridge museum market storm river police train festival "
         "minister teacher doctor nurse farmer port city village mayor report plan cost crowns week month the a of "
         "and to in on for with said after before new old north south east west fire water power court judge trial "
         "union strike wage price rent house tax bank rate loan job factory mill ship crew airport flight delay "
         "hospital ward patient election party leader seat poll campaign police officer arrest charge fine park "
         "garden tree forest flood rain snow wind heat summer winter spring autumn morning evening night").split()


def invented_article(rng, i):
    sents = []
    for _ in range(rng.randint(8, 14)):
        sents.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 18))).capitalize() + ".")
    return Article(title=f"Report {i}", body=[" ".join(sents[k:k + 3]) for k in range(0, len(sents), 3)], source=f"O{i}")


def perturb(rng, a):
    sents = [s for p in a.body for s in p.split(". ")]
    for _ in range(rng.randint(1, 2)):  # a trimmed ending or a sentence cut from the middle
        del sents[rng.choice([len(sents) - 1, rng.randrange(len(sents))])]
    keep = sents
    words = " ".join(keep).split()
    for k in range(len(words)):
        if rng.random() < 0.10:
            words[k] = rng.choice(WORDS)
    text = " ".join(words)
    return Article(title=a.title, body=[text, "Subscribe to our newsletter for the latest local news every morning."], source="Copier")


def test_near_duplicates_recall_and_precision():
    """Generated copies (boilerplate added, sentences dropped, ~10% of words changed) are found."""
    from storyline.dedup import jaccard_estimates, signature
    from storyline.features import shingles

    rng = random.Random(7)
    originals = [invented_article(rng, i) for i in range(150)]
    copies = [perturb(rng, a) for a in originals]
    threshold = StoryEngine().dedup.threshold
    sig = lambda a: signature(shingles(a.text))  # noqa: E731
    osig = [sig(a) for a in originals]
    import numpy as np

    matrix = np.vstack(osig)
    tp = fp = 0
    for i, c in enumerate(copies):
        j = jaccard_estimates(sig(c), matrix)
        hits = set(np.nonzero(j >= threshold)[0])
        tp += i in hits
        fp += len(hits - {i})
    recall = tp / len(copies)
    precision = tp / (tp + fp) if tp + fp else 0.0
    print(f"near-duplicate recall {recall:.3f} precision {precision:.3f}")
    assert recall >= 0.95 and precision >= 0.99


def test_similarity_verdicts():
    a = Article(title="Port Selby backs ferry terminal", body=["Port Selby council voted on Tuesday to build a ferry terminal on the north quay at a cost of 40 million crowns, council leader Rosa Brandt said."])
    b = Article(title="Selby councillors approve new ferry terminal", body=["Councillors in Port Selby approved a 40 million crown ferry terminal for the north quay on Tuesday, according to council leader Rosa Brandt."])
    c = Article(title="Teenager wins chess title", body=["Fifteen-year-old Lise Moberg won the national chess championship in Tesse on Wednesday, beating the defending champion."])
    assert similarity(a, b).same_story
    assert not similarity(a, c).same_story
    assert similarity(a, b).score > similarity(a, c).score
    assert 0.0 <= similarity(a, c).score <= 1.0


def test_similarity_is_graded():
    a = Article(title="Port Selby backs ferry terminal", body=["Port Selby council voted on Tuesday to build a ferry terminal on the north quay at a cost of 40 million crowns, council leader Rosa Brandt said."])
    b = Article(title="Selby councillors approve new ferry terminal", body=["Councillors in Port Selby approved a 40 million crown ferry terminal for the north quay on Tuesday, according to council leader Rosa Brandt."])
    same_topic = Article(title="Port Selby rejects marina plan", body=["Port Selby council voted on Thursday against a new marina on the south quay, saying the 12 million crown plan was too costly, council leader Rosa Brandt said."])
    c = Article(title="Teenager wins chess title", body=["Fifteen-year-old Lise Moberg won the national chess championship in Tesse on Wednesday, beating the defending champion."])
    itself = similarity(a, a)
    assert itself.score == 1.0 and itself.near_duplicate
    pair = similarity(a, b)
    assert pair.same_story and 0.5 < pair.score < 1.0  # same story, not a copy: below an article itself
    assert similarity(b, a).score == pytest.approx(pair.score)  # symmetric
    assert pair.score > similarity(a, same_topic).score > similarity(a, c).score  # as a reader grades them
    assert "join_probability" in pair.to_dict()


def test_graded_pairs_gate_on_dev(shared):
    """The graded score orders ECB+ dev pairs (same story / same topic / other topic) better than
    the engine's join probability did."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from fit_similarity import featurise, graded_pairs
    from scipy.stats import pearsonr

    from storyline.similarity import graded

    pairs = graded_pairs(str(shared / "data" / "ecbplus" / "dev.jsonl"), per_grade=150)
    feats, joins, y = featurise(pairs)
    new, old = pearsonr([graded(f) for f in feats], y)[0], pearsonr(joins, y)[0]
    assert new >= 0.85 and new > old, (new, old)


def test_similarity_cli_on_seeds(shared):
    seeds = sorted(str(p) for p in (shared / "seeds").glob("*.txt"))
    r = CliRunner().invoke(main, ["similarity", *seeds, "--json"])
    assert json.loads(r.output)["same_story"] is True
    unrelated = next(p for p in (demo_path() + "/text/civic-post",) )
    import glob

    other = glob.glob(unrelated + "/*.txt")[0]
    r = CliRunner().invoke(main, ["similarity", seeds[0], other, "--json"])
    assert json.loads(r.output)["same_story"] is False


def test_scores():
    assert bcubed(["a", "a", "b"], ["x", "x", "y"]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(["a", "a", "a"], ["x", "x", "y"])
    assert r == 1.0 and abs(p - 5 / 9) < 1e-9
    assert pairwise(["a", "a", "b"], ["x", "x", "x"])[0] == 1.0


def test_cluster_articles_merges_keep_ids():
    arts = [Article(title=f"Ferry vote {i}", body=["Port Selby council voted on the ferry terminal on the north quay, council leader Rosa Brandt said."], source=f"S{i}") for i in range(3)]
    result = cluster_articles(arts)
    final = _final_ids(result)
    assert len(set(final.values())) == 1


def test_quality_gate_ecbplus_dev(shared):
    """The story-engine issue's gate: BCubed F1 >= 0.92 on ECB+ dev (the model is fitted on train only)."""
    from storyline.evaluate import eval_clusters

    scores = eval_clusters(str(shared / "data" / "ecbplus" / "dev.jsonl"))
    print(scores)
    assert scores["bcubed_f1"] >= 0.92


def test_eval_pairs_cli(tmp_path):
    a = "Port Selby backs ferry terminal\nPort Selby council voted on Tuesday to build a ferry terminal on the north quay, council leader Rosa Brandt said."
    b = "Selby approves ferry terminal\nCouncillors in Port Selby approved a ferry terminal for the north quay on Tuesday, council leader Rosa Brandt said."
    c = "Teenager wins chess title\nFifteen-year-old Lise Moberg won the national chess championship in Tesse on Wednesday."
    d = "Night train launched\nA new night train between Velda and Lumen City made its first journey on Sunday, the operator said."
    rows = [{"text1": a, "text2": b, "label": 1}, {"text1": a, "text2": c, "label": 0},
            {"text1": b, "text2": d, "label": 0}, {"text1": b, "text2": a, "label": 1}]
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    r = CliRunner().invoke(main, ["eval", "pairs", str(path), "--json"])
    scores = json.loads(r.output)
    assert scores["pairs"] == 4 and scores["roc_auc"] == 1.0 and scores["pearson"] > 0.5 and "spearman" in scores


def _cluster_through_crashes(store, crash_on, chunk, engine=StoryEngine):
    """Cluster the store with its chunk saves number `crash_on` failing (each ends that run, as a
    kill between chunks would), re-running until one run completes without a crash."""
    class Crash(Exception):
        pass

    real, calls = store.save_assignments, [0]

    def flaky(*args, **kwargs):
        calls[0] += 1
        if calls[0] in crash_on:
            raise Crash
        return real(*args, **kwargs)

    store.save_assignments = flaky
    for _ in range(len(crash_on) + 1):
        try:
            cluster_store(store, engine=engine(), chunk=chunk)
        except Crash:
            pass
    store.save_assignments = real
    cluster_store(store, engine=engine(), chunk=chunk)


def test_cluster_resumes_exactly_after_a_crash(tmp_path):
    """A cluster run killed between chunks, then run again, assigns exactly as one run would."""
    from fixtures import build_demo_db

    whole = open_store(build_demo_db(str(tmp_path / "whole.db")))
    crashed = open_store(str(tmp_path / "crashed.db"))
    ingest([demo_path()], crashed)

    _cluster_through_crashes(crashed, (2, 4), chunk=5)
    q = "SELECT article_id, story_id, duplicate_of, wire, step FROM assignments ORDER BY article_id"
    assert [tuple(r) for r in crashed.conn.execute(q)] == [tuple(r) for r in whole.conn.execute(q)]
    qs = "SELECT id, title, articles, independent, first_at, last_at FROM stories ORDER BY id"
    assert [tuple(r) for r in crashed.conn.execute(qs)] == [tuple(r) for r in whole.conn.execute(qs)]


def _greedy(split: bool = True) -> StoryEngine:
    """An engine that joins every candidate story (threshold 0): the worst case of a wrong early join."""
    import dataclasses

    from storyline.stories import StoryModel

    model = StoryModel.load()
    return StoryEngine(model=dataclasses.replace(model, threshold=0.0, split_threshold=model.split_threshold if split else 0.0))


def _interleaved():
    from fixtures import two_event_articles

    pairs = two_event_articles()
    first, second = [p for p in pairs if p[1] == 0], [p for p in pairs if p[1] == 1]
    return [p for two in zip(first, second) for p in two]


def test_review_splits_a_story_that_holds_two_events():
    from storyline.stories import story_id_for

    pairs = _interleaved()
    arts = [a for a, _ in pairs]
    joined = _final_ids(cluster_articles(arts, _greedy(split=False)))
    assert len(set(joined.values())) == 1  # without the review, one wrong join takes both events
    final = _final_ids(cluster_articles(arts, _greedy()))
    groups = {}
    for a, event in pairs:
        groups.setdefault(event, set()).add(final[a.id])
    assert all(len(g) == 1 for g in groups.values()) and groups[0] != groups[1]
    assert groups[0] == {story_id_for(arts[0].id)}  # the founding article's story keeps its id


def test_unkept_assignments_leave_the_engine_as_kept_ones():
    """keep=False (the benchmark's memory pass) runs the same engine and reviews: same stories in the end."""
    pairs = _interleaved()
    arts = [a for a, _ in pairs]
    kept, unkept = _greedy(), _greedy()
    out = cluster_articles(arts, kept)
    assert cluster_articles(arts, unkept, keep=False) == []
    assert len(out) == len(arts)
    assert sorted(kept.stories) == sorted(unkept.stories) and len(kept.stories) >= 2  # the review split it
    assert all(kept.stories[s].originals == unkept.stories[s].originals for s in kept.stories)


def test_review_leaves_one_event_alone():
    from fixtures import two_event_articles

    arts = [a for a, e in two_event_articles(per_event=12) if e == 1]
    assert len(set(_final_ids(cluster_articles(arts, _greedy())).values())) == 1


def test_store_split_is_saved_and_resumes_exactly(tmp_path):
    """cluster_store reviews grown stories inside the chunk's transaction: the moved articles and both
    stories are saved, and a run killed between chunks then resumed equals an uninterrupted one."""
    arts = [a for a, _ in _interleaved()]
    whole = open_store(str(tmp_path / "whole.db"))
    whole.add_articles(arts)
    assert cluster_store(whole, engine=_greedy(), chunk=3)["split"] == 1
    q = "SELECT article_id, story_id, duplicate_of, step FROM assignments ORDER BY article_id"
    rows = [tuple(r) for r in whole.conn.execute(q)]
    assert len({r[1] for r in rows}) == 2
    counts = {r[0]: r[1] for r in whole.conn.execute("SELECT id, articles FROM stories")}
    assert sorted(counts.values()) == [7, 7]

    crashed = open_store(str(tmp_path / "crashed.db"))
    crashed.add_articles(arts)
    _cluster_through_crashes(crashed, (3, 5), chunk=3, engine=_greedy)
    assert [tuple(r) for r in crashed.conn.execute(q)] == rows
    qs = "SELECT id, title, articles, independent FROM stories ORDER BY id"
    assert [tuple(r) for r in crashed.conn.execute(qs)] == [tuple(r) for r in whole.conn.execute(qs)]


def _generated(n: int, seed: int = 11):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synth import stream

    return [a for a, _ in stream(n, seed=seed)]


def test_vectorised_pairwise_equals_the_per_pair_path():
    arts = _generated(1200, seed=5)
    engine = StoryEngine()
    for a in arts[:1000]:
        engine.add(a)
    for k in range(3):  # a review's matrix over articles of several stories, against the old path
        group = arts[1000 + 40 * k:1000 + 40 * k + 30]
        fast, slow = engine.pairwise(group), engine.pairwise_reference(group)
        assert fast.shape == (30, 30) and np.abs(fast - slow).max() < 1e-9
        assert 0.05 < float(slow[np.triu_indices(30, 1)].mean()) < 0.95  # neither all joined nor all apart


def test_same_stories_with_one_or_two_workers(tmp_path, monkeypatch):
    import storyline.stories.streaming as st  # where cluster_store reads AHEAD_MIN

    arts = _generated(900)
    one = [(x.article_id, x.story_id, x.duplicate_of) for x in cluster_articles(arts, StoryEngine(), workers=1)]
    two = [(x.article_id, x.story_id, x.duplicate_of) for x in cluster_articles(arts, StoryEngine(), workers=2)]
    assert one == two and len({s for _, s, _ in one}) > 20
    monkeypatch.setattr(st, "AHEAD_MIN", 0)  # the store path with a worker process, on a small store
    q = "SELECT article_id, story_id, duplicate_of FROM assignments ORDER BY article_id"
    rows = []
    for workers in (1, 2):
        store = open_store(str(tmp_path / f"w{workers}.db"))
        store.add_articles(arts)
        cluster_store(store, chunk=250, workers=workers)
        rows.append([tuple(r) for r in store.conn.execute(q)])
    assert rows[0] == rows[1] and len(rows[0]) == len(arts)


class _Killed(Exception):
    pass


def test_ingest_clusters_as_it_goes_and_resumes_exactly(tmp_path):
    """Stories appear while an ingest stores articles, a block of sequence numbers at a time; an
    ingest killed mid-block or mid-clustering, then run again, leaves what one uninterrupted run does."""
    from storyline.pipeline import ingest_items
    from storyline.stories import StreamingClusterer

    arts = [a for a, _ in _interleaved()]
    q = "SELECT article_id, story_id, duplicate_of, wire, step FROM assignments ORDER BY article_id"

    whole = open_store(str(tmp_path / "whole.db"))
    c = StreamingClusterer(whole, block=4)
    seen = []
    ingest_items(arts, whole, on_batch=lambda r: (c.stored(), seen.append(whole.last_step())), batch_size=3)
    assert seen[0] == 0 and 0 < seen[-1] < len(arts)  # assigned during the ingest, block by block
    assert max(seen) % 4 == 0
    c.finish()
    rows = [tuple(r) for r in whole.conn.execute(q)]
    assert len(rows) == len(arts)

    for stop_after_articles, kill_in_clustering in ((6, False), (9, True)):
        crashed = open_store(str(tmp_path / f"crashed-{stop_after_articles}.db"))
        first = StreamingClusterer(crashed, block=4)
        first.chunk = 1
        calls = []

        def die(n: int, calls: list = calls, kill: bool = kill_in_clustering) -> None:
            calls.append(n)
            if kill and len(calls) == 6:  # killed between two saved chunks of the second block
                raise _Killed

        first.on_article = die
        try:
            ingest_items(arts[:stop_after_articles], crashed, on_batch=first.stored, batch_size=3)
        except _Killed:
            pass
        assert 0 < crashed.last_step() < len(arts)
        again = StreamingClusterer(crashed, block=4)  # the re-run: a new process, the same input
        ingest_items(arts, crashed, on_batch=again.stored, batch_size=3)
        again.finish()
        assert [tuple(r) for r in crashed.conn.execute(q)] == rows


@pytest.mark.parametrize("crash_on", [(3, 5, 7), (2, 4, 6, 8, 10, 12), (9, 11, 13, 15)])
def test_merged_story_replays_exactly(tmp_path, crash_on):
    """With merging switched on (it is off in the shipped model), a run killed between chunks and
    resumed from the store assigns exactly as one uninterrupted run: a merged story is the same
    whether the engine merged it live or rebuilt it from its stored members."""
    import dataclasses

    from storyline.stories import StoryModel

    def merging() -> StoryEngine:
        # every article starts a story of its own, and stories of one event then merge
        model = StoryModel.load()
        return StoryEngine(model=dataclasses.replace(model, threshold=0.999999, merge_threshold=0.9))

    whole = open_store(str(tmp_path / "whole.db"))
    ingest([demo_path()], whole)
    cluster_store(whole, engine=merging(), chunk=2)
    assert whole.merged_stories(), "the data must cause a merge for this test to mean anything"
    q = "SELECT article_id, story_id, duplicate_of, wire, step FROM assignments ORDER BY article_id"
    crashed = open_store(str(tmp_path / "crashed.db"))
    ingest([demo_path()], crashed)
    _cluster_through_crashes(crashed, crash_on, chunk=2, engine=merging)
    assert [tuple(r) for r in crashed.conn.execute(q)] == [tuple(r) for r in whole.conn.execute(q)]
    qs = "SELECT id, title, articles, independent, first_at, last_at FROM stories ORDER BY id"
    assert [tuple(r) for r in crashed.conn.execute(qs)] == [tuple(r) for r in whole.conn.execute(qs)]


def test_two_groups_is_the_top_split_fcluster_makes():
    """The review's split reads the last merge of the linkage; fcluster(..., 2, "maxclust") is the
    reference, ties between the last two merges included (rounded matrices make many)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    from storyline.stories.review import _two_groups

    rng = np.random.default_rng(0)
    for trial in range(600):
        n = int(rng.integers(2, 30))
        p = rng.random((n, n))
        if trial % 2:
            p = np.round(p, 1)
        p = (p + p.T) / 2
        np.fill_diagonal(p, 1.0)
        labels = fcluster(linkage(squareform(np.clip(1.0 - p, 0.0, 1.0), checks=False), "average"), 2, "maxclust")
        a = [i for i, x in enumerate(labels) if x == labels[0]]
        b = [i for i, x in enumerate(labels) if x != labels[0]]
        assert _two_groups(p) == ((a, b) if b else None)


def test_member_log_keeps_members_as_a_list_of_tuples_would():
    from storyline.stories import MemberLog

    arts = [Article(title=f"t{i}", body=["b"], source="s") for i in range(5)]
    members = [(10 + i, a, None if i % 2 else "orig", 100 + i) for i, a in enumerate(arts)]
    log = MemberLog(members[:3])
    for m in members[3:]:
        log.append(m)
    assert len(log) == 5 and list(log) == members
    assert [m[1] for m in MemberLog()] == []


def test_a_story_counts_each_voice_once_whether_held_as_a_tuple_or_a_set():
    from storyline.stories.hot import VOICES_AS_TUPLE, _with_voices

    voices: tuple[str, ...] | set[str] = ()
    for i in range(VOICES_AS_TUPLE):
        voices = _with_voices(voices, (f"v{i % (VOICES_AS_TUPLE // 2)}", f"w{i}"))
    assert isinstance(voices, set) and len(voices) == VOICES_AS_TUPLE // 2 + VOICES_AS_TUPLE
    small = _with_voices(("a", "b"), ("b", "c"))
    assert small == ("a", "b", "c")
    assert _with_voices(small, ("a",)) is small


def test_a_tally_counts_as_a_counter_does_in_the_same_order_small_or_large():
    from collections import Counter

    from storyline.stories.hot import (
        TALLY_AS_TUPLE,
        _counted,
        _most_common,
        _tally_items,
        _tally_len,
        _tally_merged,
    )

    rng = random.Random(7)
    for size in (1, 3, TALLY_AS_TUPLE, 3 * TALLY_AS_TUPLE):
        keys = [f"k{i}" for i in range(size)]
        t: tuple | Counter = ()
        c: Counter = Counter()
        for _ in range(40):
            k, n = rng.choice(keys), rng.randint(1, 3)
            t = _counted(t, k, n)
            c[k] += n
            assert list(_tally_items(t)) == list(c.items()) and _tally_len(t) == len(c)
            assert _most_common(t) == c.most_common(1)[0][0]
        assert isinstance(t, tuple) == (len(c) <= TALLY_AS_TUPLE)
        other = Counter({"k0": 5, "new": 2})
        merged = _tally_merged(t, other.items())
        c.update(other)
        assert list(_tally_items(merged)) == list(c.items())


def test_a_founders_lead_is_kept_compressed_and_read_back_whole():
    engine = StoryEngine(semantic=True)
    lead = "Storm closes Dunmore ferry; the harbour master says “two days”, perhaps more é"
    a = Article(title="Ferry halted", body=[lead] * 3, source="Coast Post", published_at="2025-02-01")
    x = engine.add(a)
    s = engine.stories[x.story_id]
    from storyline.semantic import lead_text

    assert isinstance(s.emb_text, bytes) and s.lead() == lead_text(a)
    assert len(s.emb_text) < len(lead_text(a).encode())


def test_the_kernels_load_safely_when_two_threads_reach_them_at_once():
    """One thread loading the compiled kernels through the engine while another imports from them
    (as a featurising pool's result thread and the engine did): both get the whole module."""
    import subprocess
    import sys

    code = """
import threading, time
import storyline.stories.hot as st  # the engine's lazily imported kernels
errors = []
def engine_side():
    try:
        st.kernels.weigh
    except Exception as e:
        errors.append(repr(e))
t = threading.Thread(target=engine_side)
t.start()
time.sleep(0.02)
try:
    from storyline.kernels import frequency_table, idf_table
except Exception as e:
    errors.append(repr(e))
t.join()
print(errors)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_founder_of_unsure_language_is_dropped_from_the_cross_lingual_candidates():
    """A story whose founder's language was identified without confidence can never be linked
    across languages: _told_in drops it from its language's list instead of walking past it at
    every new story (on a generated stream 500 such stories cost 1 s of 55)."""
    engine = StoryEngine(semantic=True)
    a = Article(title="Tunnel works pause", body=["Crews stop the drill at Larkbeck for a week."],
                source="Vale News", published_at="2025-02-01", language="pcm")
    s = engine.stories[engine.add(a).story_id]
    s._sure = (None,)  # as the worker reports a language guessed at
    assert engine._told_in("en") == [] and s.id not in engine._by_language.get("pcm", set())
    b = Article(title="Ferry fares rise", body=["The Dunmore ferry costs more from May."], source="Coast Post",
                published_at="2025-02-01", language="de")
    t = engine.stories[engine.add(b).story_id]
    t._sure = ("de",)
    assert engine._told_in("en") == [t]


# -- local stories of one town (issue 27): a place name alone does not make a story -------------
# invented texts about an invented town: three unrelated events, no outlet and no date given
TOWN = "Wrenmouth"
LOCAL = [
    Article(title=f"{TOWN} council backs harbour dredging plan",
            body=[f"Councillors in {TOWN} voted seven to two on Tuesday evening to dredge the silted inner harbour "
                  "before the autumn storms.",
                  f"The work will deepen the channel by two metres so that larger fishing boats can reach the {TOWN} "
                  "quay at low tide.",
                  "Opponents warned that stirring up the seabed could harm the mussel beds north of the breakwater, "
                  "and asked for a survey first.",
                  "The harbourmaster said dredgers could start within six weeks once the marine licence arrives."]),
    Article(title=f"New bike lanes open along {TOWN} seafront",
            body=[f"Cyclists in {TOWN} can now ride a protected lane from the railway station to the lighthouse, after "
                  "the road was repainted over the weekend.",
                  "Kerbs separate the two-way lane from traffic, and thirty parking spaces were moved to a side street.",
                  "Shop owners on Marine Parade said they feared fewer customers, while a parents' group welcomed a "
                  "safer ride to school.",
                  f"{TOWN} plans a second lane through the old town next spring if the first proves popular."]),
    Article(title=f"Ferry strike ends as crews accept pay offer in {TOWN}",
            body=[f"Ferries between {TOWN} and the island of Carrow sailed again on Thursday after crews voted to "
                  "accept a new pay deal.",
                  "The strike had stranded islanders for nine days, forcing the hospital boat to run an emergency "
                  "timetable.",
                  "The union said the deal raises wages by six per cent over two years and limits night shifts.",
                  f"Passengers queued at the {TOWN} terminal from dawn as the first sailing left at seven."]),
]
# a second report of the ferry strike's end, told in other words: the same event, so it joins
FERRY_AGAIN = Article(
    title=f"{TOWN} ferry crews vote to end nine-day strike",
    body=["Crews on the Carrow island ferries voted on Thursday to accept the pay offer and end their nine-day strike.",
          "The deal raises wages by six per cent over two years, the union said, and limits night shifts for crews.",
          f"Islanders stranded since the strike began queued at the {TOWN} terminal for the first sailing at seven.",
          "The emergency timetable of the hospital boat ends with the strike."])


def test_local_stories_of_one_town_on_unrelated_events_stay_apart():
    """The town's name is all a harbour vote, new bike lanes and a ferry strike share: the entity
    features alone made each probable enough to join the first (p 0.69 and 0.65 at threshold 0.4).
    A second report of the ferry strike, sharing its words, still joins it."""
    engine = StoryEngine(semantic=False)
    out = cluster_articles(LOCAL + [FERRY_AGAIN], engine)
    final = _final_ids(out)
    story = [final[a.id] for a in LOCAL + [FERRY_AGAIN]]
    assert len(set(story[:3])) == 3, story
    assert story[3] == story[2]
    assert engine.names_refused >= 2  # the two refusals were the names-only rule's, not the model's


def test_articles_of_no_known_outlet_count_as_one_independent_source(tmp_path):
    """Articles of no known outlet may all be one outlet's: a story counts them as one source at
    most ("3 independent sources" for three such articles claimed what nothing showed)."""
    from storyline.model import independent_sources, voice

    voices = {voice("a1", None), voice("a2", None), voice("a3", None)}
    assert len(voices) == 3 and independent_sources(voices) == 1
    assert independent_sources(voices | {voice("a4", "Wrenmouth Gazette"), voice("a5", None, "ANA")}) == 3
    assert independent_sources(set()) == 0
    store = open_store(str(tmp_path / "town.db"))
    second = Article(title=FERRY_AGAIN.title + " as islanders cheer", body=FERRY_AGAIN.body[:3]
                     + ["Carrow islanders cheered the first ferry as it came in to the pier."])
    store.add_articles(LOCAL + [FERRY_AGAIN, second])
    cluster_store(store)
    stories = store.list_stories(limit=None, sort="size")
    assert len(stories) == 3
    assert stories[0]["articles"] == 3 and stories[0]["independent"] == 1  # the three reports of the strike
    assert all(s["independent"] == 1 for s in stories)
