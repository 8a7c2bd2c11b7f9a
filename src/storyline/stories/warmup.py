"""The engine's warm-up: every kernel it calls compiled (or loaded from numba's cache) before the
first article, on tiny inputs and through the engine's own calls on three invented articles."""
from __future__ import annotations

from collections import Counter

import numpy as np

from ..features import ArticleFeatures, packed
from ..model import Article
from ..packing import PACK_HEAD, SECTIONS
from .engine import StoryEngine


def warm_up() -> None:
    """Compile (or load from numba's cache) every kernel now, on tiny inputs, so that the first
    article does not pay for it: a fixed cost of the process, not of the stream."""
    from .. import kernels

    f = ArticleFeatures(terms=Counter({1: 2, 3: 1}), lead=Counter({1: 1}), entities=Counter({5: 1}))

    ids, cnt, rk, off = packed(f)
    empty = np.zeros(0, dtype=np.uint32)
    keys, vals = kernels.frequency_table(np.array([1], dtype=np.int64), np.array([1], dtype=np.int64))
    si, sc, sr, so = kernels.grow(empty, np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int16),
                                  np.zeros(SECTIONS + 1, dtype=np.int64), 0, ids, cnt, rk, off, 300, 150, True)
    idfs = kernels.idf_table(vals, 1.0)
    w, norms, top = kernels.weigh(si, sc, sr, so, keys, idfs)
    aw, anorms, atop = kernels.weigh(ids, cnt, rk, off, keys, idfs)
    counts = np.zeros(2, dtype=np.int64)
    kernels.count_shared(ids, off, si, so, counts)
    kernels.pair_features(ids, aw, off, anorms, atop, np.zeros(0, dtype=np.int64), counts, si, w, so, norms, top)
    kernels.cosine(ids, aw, off, anorms, 0, si, w, so, norms, 0)
    kernels.keyed_top(ids, cnt, rk, 0, 2, keys, vals, 1.0, 2)
    kernels.combine(si, sc, sr, so, 1, si, sc, sr, so, 1, 3)
    sig = np.zeros(4, dtype=np.uint8)
    kernels.closest_signature(sig, sig[None, :], 1 / 256)
    pack = kernels.grow_pack(bytes(4 * PACK_HEAD), 0, ids, cnt, rk, off, sig, 300, 150, True).tobytes()
    # a rebuilt story's originals bring their signatures as read-only views of the old story's pack
    kernels.grow_pack(pack, 1, ids, cnt, rk, off, np.frombuffer(bytes(4), dtype=np.uint8), 300, 150, True)
    kernels.weigh_pack(pack, keys, idfs)
    kernels.combine_packs(pack, 1, pack, 1, 3)
    kernels.closest_in_pack(sig, pack, 1 / 256)
    kernels.pack_rows(pack + pack, np.array([0, len(pack), 2 * len(pack)], dtype=np.int64))
    kernels.unpack(pack)
    h = np.zeros(2, dtype=np.int64)
    kernels.rank_candidates(np.ones(2, dtype=np.int32), h, np.zeros(2), np.zeros(2), h, 0.0, 1.0, 0, 1, 30, 10)
    _warm_engine()


def _warm_engine() -> None:
    """The kernels whose inputs only the engine builds (candidate scoring, the review's pairwise
    matrix, the title's choice) compiled by the engine's own calls, on three invented articles: in a
    fresh install the first article would otherwise wait seconds for them."""
    bodies = [["The harbour board of Port Selby approved a new ferry pier on Monday after a long vote.",
               "Board chair Ada Brandt said work would start in May and cost 4 million."],
              ["Port Selby will get its ferry pier: the harbour board voted for it on Monday.",
               "Fishermen welcomed the decision, while residents of the old town had opposed it for years."],
              ["Ada Brandt, who chairs the Selby harbour board, announced the vote on the pier.",
               "The first ferries are expected to dock there next spring, engineers said."]]
    arts = [Article(title=f"Selby board approves ferry pier ({i})", body=b, source=f"Outlet {i}",
                    published_at=f"2025-03-0{i + 1}T10:00:00Z", language="en") for i, b in enumerate(bodies)]
    engine = StoryEngine(semantic=False)
    for seq, a in enumerate(arts, 1):
        engine.add(a, seq)
    engine.pairwise(arts)
    for s in engine.stories.values():
        s.title(engine.dfs)
