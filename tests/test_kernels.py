"""The compiled kernels against a per-term reference written with plain dicts."""
from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from storyline import kernels
from storyline.features import featurize
from storyline.stories import CENTROID_TERMS, StoryEngine


def _generated(n: int, seed: int):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synth import stream

    return [a for a, _ in stream(n, seed=seed)]


def _reference_bags(feats):
    """A story's bags as Counters (insertion-ordered), grown one original at a time and capped with
    most_common, as the engine kept them before its bags became arrays."""
    bags = [Counter(), Counter(), Counter()]
    for f in feats:
        for k, (src, sub) in enumerate(((f.terms, True), (f.lead, True), (f.entities, False))):
            bags[k].update({t: 1.0 + math.log(c) for t, c in src.items()} if sub else src)
            if len(bags[k]) > 2 * CENTROID_TERMS:
                bags[k] = Counter(dict(bags[k].most_common(CENTROID_TERMS)))
    return bags, [dict(f.lead) for f in feats[:3]]


def _cos(a, b):
    na, nb = math.sqrt(sum(v * v for v in a.values())), math.sqrt(sum(v * v for v in b.values()))
    return sum(a[t] * b[t] for t in a.keys() & b.keys()) / (na * nb) if na and nb else 0.0


def test_packed_stories_and_their_features_equal_the_per_term_reference():
    arts = _generated(700, seed=3)
    engine = StoryEngine()
    members: dict[str, list] = {}
    for seq, a in enumerate(arts[:-1], 1):
        x = engine.add(a, seq)
        if x.duplicate_of is None:
            members.setdefault(x.story_id, []).append(featurize(a))
    probe = featurize(arts[-1])
    av = engine.vectors(probe)
    idf = engine.dfs.idf

    def weights(bag):
        return {t: (1.0 + math.log(v)) * idf(t) for t, v in bag.items()}

    def top(w):  # the heaviest 5, ties in insertion order (sorted is stable)
        return sorted(w, key=w.__getitem__, reverse=True)[:5]

    a_terms, a_lead, a_ents = weights(probe.terms), weights(probe.lead), weights(probe.entities)
    a_top = top(a_ents)
    checked = 0
    for sid, s in engine.stories.items():
        if sid not in members:
            continue
        (terms, lead, ents), leads = _reference_bags(members[sid])
        for sec, bag in ((kernels.TERMS, terms), (kernels.LEAD, lead), (kernels.ENTS, ents)):
            got_bag = s.bag(sec)  # counts are kept as float32: equal to the reference to float32 precision
            assert got_bag.keys() == bag.keys(), sid
            assert np.allclose([got_bag[t] for t in bag], list(bag.values()), rtol=1e-6, atol=0), sid
        for sec, bag in ((kernels.TERMS, terms), (kernels.LEAD, lead), (kernels.ENTS, ents)):  # insertion order
            lo, hi = s.off[sec], s.off[sec + 1]
            assert [t for _, t in sorted(zip(s.rk[lo:hi].tolist(), s.ids[lo:hi].tolist()))] == list(bag), sid
        w_terms, w_ents = weights(terms), weights(ents)
        s_top = top(w_ents)
        te = probe.title_entities
        want = [_cos(a_terms, w_terms), _cos(a_terms, w_terms), _cos(a_lead, weights(lead)), _cos(a_ents, w_ents),
                sum(t in ents for t in a_top) / len(a_top) if a_top else 0.0,
                sum(t in probe.entities for t in s_top) / len(s_top) if s_top else 0.0,
                sum(t in ents for t in te) / len(te) if te else 0.5,
                1.0 if a_top and a_top[0] in ents else 0.0, 1.0 if s_top and s_top[0] in probe.entities else 0.0,
                max((_cos(a_lead, weights(x)) for x in leads), default=0.0)]
        got = engine.features(probe, s, av)
        got = [got[i] for i in (0, 1, 2, 3, 5, 6, 9, 10, 11, 12)]
        assert np.allclose(got, want, rtol=0, atol=1e-6), sid  # float32 counts: float noise, no more
        checked += 1
    assert checked > 50
    assert sum(len(s.bag(kernels.TERMS)) > 2 * CENTROID_TERMS for s in engine.stories.values()) == 0


def test_contrast_counts_discount_terms_other_candidates_share():
    arts = _generated(300, seed=4)
    engine = StoryEngine()
    for seq, a in enumerate(arts[:-1], 1):
        engine.add(a, seq)
    probe = featurize(arts[-1])
    av = engine.vectors(probe)
    cands = sorted(engine.stories.values(), key=lambda s: s.id)[:4]
    counts = engine.contrast_counts(av, cands)
    terms = av.ids[av.off[0]:av.off[1]].tolist()
    want = [sum(t in s.bag(kernels.TERMS) for s in cands) for t in terms]
    assert counts.tolist() == want
    assert any(c > 1 for c in want)
    plain = engine.features(probe, cands[0], av)
    contrasted = engine.features(probe, cands[0], av, counts)
    assert contrasted[1] == plain[1] and contrasted[0] <= plain[0]


def test_grow_caps_and_keeps_the_first_three_leads():
    ids = np.arange(1000, dtype=np.int64)
    s_ids, s_cnt, s_rk = np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int32)
    s_off = np.zeros(kernels.SECTIONS + 1, dtype=np.int64)
    leads = 0
    for k in range(5):
        part = ids[k * 200:(k + 1) * 200]
        a_ids = np.concatenate([part, part[:10], part[:3]])
        a_cnt = np.concatenate([np.full(200, 2.0), np.full(10, 1.0), np.full(3, 70000.0)])
        a_off = np.array([0, 200, 210, 213], dtype=np.int64)
        a_rk = np.concatenate([np.arange(200), np.arange(10), np.arange(3)]).astype(np.int32)
        s_ids, s_cnt, s_rk, s_off = kernels.grow(s_ids, s_cnt, s_rk, s_off, leads, a_ids, a_cnt, a_rk, a_off, 300, 150,
                                                 leads < 3)
        leads = min(3, leads + 1)
    terms = s_ids[s_off[0]:s_off[1]]
    assert s_off[1] - s_off[0] <= 300 and np.all(np.diff(terms) > 0)
    assert [int(s_off[4 + k] - s_off[3 + k]) for k in range(3)] == [10, 10, 10]
    assert s_cnt[s_off[2]:s_off[3]].max() == 70000.0 and s_cnt[s_off[3]:s_off[4]].max() == 1.0


def test_one_call_scoring_equals_the_story_by_story_path():
    """add() scores its candidates in one kernel call (cascade, contrast, features); the public
    shortlist / contrast_counts / score path, one story at a time, gives the same probabilities."""
    arts = _generated(900, seed=6)
    engine = StoryEngine()
    compared = 0
    for seq, a in enumerate(arts, 1):
        if seq > 300 and seq % 7 == 0:
            f = featurize(a)
            engine.dfs.add(f.terms)
            av = engine.vectors(f)
            short = engine.shortlist(av)
            counts = engine.contrast_counts(av, short)
            slow = sorted(((engine.score(f, s, av, counts), s.first_seq, s.id) for s in short),
                          key=lambda x: (-x[0], x[1], x[2]))
            fast = [(p, first, s.id) for p, first, s in engine._scored(f, av)]
            assert [x[1:] for x in fast] == [x[1:] for x in slow]
            assert np.allclose([x[0] for x in fast], [x[0] for x in slow], rtol=0, atol=1e-12)
            compared += len(fast) > 1
        engine.add(a, seq)
    assert compared > 50


def test_story_title_is_the_headline_closest_to_the_centroid():
    """The title's kernel path against the dict path (TF-IDF dicts and their cosine)."""
    from storyline.features import cos, term_ids, vector

    engine = StoryEngine()
    for a in _generated(1500, seed=2):
        engine.add(a)
    several = 0
    for s in engine.stories.values():
        w, norms, _ = s.weighed(engine.dfs)
        lo, hi = int(s.off[kernels.TERMS]), int(s.off[kernels.TERMS + 1])
        centre = (dict(zip(s.ids[lo:hi].tolist(), w[lo:hi].tolist())), float(norms[kernels.TERMS]))
        want = max(s.titles, key=lambda t: (cos(vector(Counter(term_ids(t)), engine.dfs), centre), -len(t)))
        assert s.title(engine.dfs) == want
        several += len(set(s.titles)) > 1
    assert several > 20


def _handles(posting):
    return (posting,) if isinstance(posting, int) else posting


def _reference_candidates(engine, av):
    """The candidates as the engine chose them with postings of story ids: hits counted with a
    Counter, the limit-th largest count as the cut, most hits first, ties by story id, then the
    window test in that order."""
    from storyline.stories import MAX_CANDIDATES, MAX_POSTING, TOP_QUERY_TERMS

    keys = list(av.top_terms[:TOP_QUERY_TERMS]) + [~t for t in av.top_entities]
    postings = [[engine.by_handle[h].id for h in _handles(engine.index.get(t, ()))] for t in keys]
    hits = Counter(sid for p in postings if len(p) <= MAX_POSTING for sid in p)
    limit = MAX_CANDIDATES * 3
    ranked = list(hits.items())
    if len(ranked) > limit:
        cut = sorted(hits.values(), reverse=True)[limit - 1]
        ranked = [x for x in ranked if x[1] >= cut]
    ranked.sort(key=lambda x: (-x[1], x[0]))
    out = [engine.stories[sid] for sid, _ in ranked[:limit] if engine.in_window(engine.stories[sid], av.f.timestamp)]
    return out[:MAX_CANDIDATES]


def test_candidates_from_handle_postings_equal_the_story_id_reference():
    engine = StoryEngine(semantic=False)
    arts = _generated(1500, seed=5)
    compared = 0
    for k, a in enumerate(arts):
        f = featurize(a)
        if k % 3 == 0 and engine.stories:
            av = engine.vectors(f)
            got = engine.candidates(av)
            assert [s.id for s in got] == [s.id for s in _reference_candidates(engine, av)]
            compared += bool(got)
        engine.add(a, features=f)
    assert compared > 300
    # every posting is ascending and names a hot story
    for posting in map(_handles, engine.index.values()):
        assert list(posting) == sorted(set(posting))
        assert all(engine.by_handle[h].id in engine.stories for h in posting)


def test_story_ranks_fit_two_bytes_and_keep_their_order():
    """A story keeps ranks as int16: ranks past its range are renumbered in the same order."""
    from numba.typed import List

    ids = List([np.array([3, 7, 9], dtype=np.uint32)])
    cnt = List([np.ones(3)])
    rk = List([np.array([40_000, 5, 70_000], dtype=np.int32)])
    _, _, ranks, _ = kernels._pack(ids, cnt, rk, 1)
    assert ranks.dtype == np.int16 and ranks.tolist() == [1, 0, 2]
    rk = List([np.array([2, 0, 1], dtype=np.int32)])
    assert kernels._pack(ids, cnt, rk, 1)[2].tolist() == [2, 0, 1]  # small ranks are kept as they are


def test_idf_looked_up_from_a_table_of_idf_is_the_idf_computed_from_frequencies():
    """kernels.idf_lookup over idf_table(...) gives exactly idf_of's values, for ids in the table
    and ids never seen (which stop at an empty slot)."""
    from storyline.kernels import frequency_table, idf_lookup, idf_of, idf_table

    rng = np.random.default_rng(5)
    ids = rng.choice(2**32 - 1, size=3000, replace=False).astype(np.int64)
    dfs = rng.integers(1, 500, size=2000)
    keys, vals = frequency_table(ids[:2000], dfs)
    n = 12345.0
    probe = np.concatenate([ids, ids[::7]])
    want = idf_of(probe, keys, vals, n)
    got = idf_lookup(probe, keys, idf_table(vals, n))
    assert np.array_equal(got, want)
    assert np.all(got[2000:3000] == np.log(n + 1.0) + 1.0) and np.all(got[:2000] < np.log(n + 1.0) + 1.0)


def test_a_story_pack_holds_its_bags_and_signatures_as_grow_and_combine_make_them():
    from storyline.features import packed
    from storyline.packing import LEADS, PACK_HEAD

    arts = _generated(6, seed=5)
    feats = [featurize(a, shingle_size=0) for a in arts]
    rng = np.random.default_rng(3)
    sigs = [rng.integers(0, 256, 16, dtype=np.uint8) for _ in feats]
    empty = (np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int16),
             np.zeros(kernels.SECTIONS + 1, dtype=np.int64))
    bags, pack = empty, bytes(4 * PACK_HEAD)
    for k, (f, sig) in enumerate(zip(feats[:4], sigs)):
        bags = kernels.grow(*bags, min(k, 3), *packed(f), 300, 150, k < 3)
        pack = kernels.grow_pack(pack, min(k, 3), *packed(f), sig, 300, 150, k < 3).tobytes()
    ids, cnt, rk, off, flat, width = kernels.unpack(pack)
    assert np.array_equal(ids, bags[0]) and np.array_equal(cnt, bags[1]) and np.array_equal(off, bags[3])
    r = int(off[LEADS])
    assert len(rk) == r and np.array_equal(rk, bags[2][:r])  # lead vectors keep no ranks
    assert width == 16 and np.array_equal(flat.reshape(-1, 16), np.stack(sigs[:4]))
    assert kernels.closest_in_pack(sigs[2], pack, 1 / 256) == (2, 1.0)
    other = kernels.grow_pack(bytes(4 * PACK_HEAD), 0, *packed(feats[4]), sigs[4], 300, 150, True).tobytes()
    both = kernels.combine_packs(pack, 3, other, 1, 3).tobytes()
    ref = kernels.combine(*bags, 3, *kernels.unpack(other)[:4], 1, 3)
    got = kernels.unpack(both)
    assert np.array_equal(got[0], ref[0]) and np.array_equal(got[3], ref[3])
    assert np.array_equal(got[4].reshape(-1, 16), np.stack(sigs[:5]))
    ids2, starts, offs = kernels.pack_rows(pack + both, np.array([0, len(pack), len(pack) + len(both)]))
    assert np.array_equal(ids2, np.concatenate([ids, got[0]])) and np.array_equal(offs, np.stack([off, got[3]]))
    assert starts.tolist() == [0, len(ids), len(ids) + len(got[0])]


def test_weights_of_idle_candidates_are_dropped_between_evictions_and_come_back_identical():
    from storyline.stories import COOL_EVERY, IDLE_WEIGHTS

    engine = StoryEngine()
    for a in _generated(900, seed=9):  # fewer than the 1000 articles between two evictions
        engine.add(a)
    n = engine.dfs.n
    cached = [s for s in engine.stories.values() if s._w is not None]
    assert cached
    assert all(s._used >= n - IDLE_WEIGHTS - COOL_EVERY for s in cached)
    s = max(engine.stories.values(), key=lambda s: s.size)
    before = [x.copy() for x in s.weighed(engine.dfs)]
    s._w = None
    assert all(np.array_equal(x, y) for x, y in zip(before, s.weighed(engine.dfs)))


def test_warm_up_compiles_the_kernels_the_engine_calls():
    """warm_up leaves no kernel of the stream's path to compile on the first real article (in a
    fresh install that took seconds inside the first article's assignment)."""
    from storyline import kernels
    from storyline.stories import warm_up

    warm_up()
    for name in ("shortlist_features", "pair_matrix", "closeness_to", "rank_candidates", "grow_pack", "weigh_pack"):
        assert getattr(kernels, name).signatures, name
    # a story rebuilt from its members passes their signatures as read-only views of its old pack
    assert any("Array(uint8, 1, 'C', True" in str(s) for s in kernels.grow_pack.signatures)
