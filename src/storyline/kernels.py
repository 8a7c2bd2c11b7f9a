"""Compiled array kernels of the story engine (numba): bags of terms as sorted id arrays.

A story's (or an article's) bags are packed into one array of term ids sorted within each section,
one array of counts, one of ranks and the section offsets; every cosine is a merge of two sorted id
runs, linear in the terms. A term's rank is the order it entered its bag (first appearance in the
article; for a story, its members in order, and after a cap the cap's order), so that "the heaviest
k" breaks ties as a dict kept in insertion order does: in text, the earlier mention (the headline's
entities before the body's) comes first. Sections: 0 terms, 1 title+lead, 2 entities, then up to
three lead vectors of the story's first members (LEADS).
"""
from __future__ import annotations

import math
import os
from typing import Any

import numpy

#: STORYLINE_KERNELS=python: the kernels run as the plain Python they are written in, over numpy
#: arrays, instead of compiled by numba. Nothing is compiled (a fresh install spends 30-90 s of
#: CPU compiling them, then loads them from numba's cache), at a cost of some milliseconds per
#: article: the demo's 33 articles run so. The numbers are the same as compiled (see _Numpy).
INTERPRETED = os.environ.get("STORYLINE_KERNELS", "").strip().lower() == "python"


class _Numpy:
    """numpy as the kernels' code reads it when it runs uncompiled: numpy itself, but for np.log,
    computed as numba's compiled code computes it, so that every number is the same bit for bit.
    Compiled, a float64 log is the C library's log (math.log calls the same) where numpy may use
    SIMD code of its own that differs in the last bit; a float32 log is the C library's logf, and
    `1.0 + log(x)` of a float32 is then computed in float64 (numba's promotion; numpy's would stay
    in float32): so a float32 log comes back as float64 holding the float32 value."""

    def __getattr__(self, name: str) -> Any:
        return getattr(numpy, name)

    @staticmethod
    def log(x: Any) -> Any:
        if isinstance(x, numpy.ndarray):
            f = _logf if x.dtype == numpy.float32 else _log
            return numpy.fromiter((f(v) for v in x.tolist()), dtype=numpy.float64, count=x.size).reshape(x.shape)
        return _logf(float(x)) if isinstance(x, numpy.float32) else _log(float(x))


def _log(x: float) -> float:
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


def _c_logf() -> Any:
    import ctypes
    import ctypes.util

    try:
        f = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6").logf
    except (OSError, AttributeError):  # pragma: no cover - no C library to ask: the log rounded to float32
        return lambda x: float(numpy.float32(_log(float(numpy.float32(x)))))
    f.restype, f.argtypes = ctypes.c_float, [ctypes.c_float]
    return lambda x: f(x) if x > 0.0 else _log(x)


if INTERPRETED:
    _logf = _c_logf()
    np: Any = _Numpy()

    def njit(*args: Any, **kwargs: Any) -> Any:  # the function itself, uncompiled
        return args[0] if args and callable(args[0]) else (lambda f: f)
else:
    np = numpy
    from numba import njit


def _announce_compiling() -> None:
    """One line on stderr when this process starts compiling a kernel of the story engine that
    numba's cache does not hold (a fresh install, or kernels.py changed): the command would
    otherwise sit silent for a minute. Asked for by $STORYLINE_COMPILE_NOTICE (the command line
    sets it), so that a program using the library prints nothing of its own. Only this module's
    kernels are watched: the language identifier's (kernels_langid.py) compile in well under a second."""
    import sys

    from numba.core import event

    class Notice(event.Listener):  # type: ignore[misc]
        said = False

        def on_start(self, ev: Any) -> None:
            f = getattr((ev.data or {}).get("dispatcher"), "py_func", None)
            if not Notice.said and f is not None and f.__module__ == __name__:
                Notice.said = True
                print("compiling the story engine (first run only)…", file=sys.stderr, flush=True)

        def on_end(self, ev: Any) -> None:
            pass

    event.register("numba:compile", Notice())


if not INTERPRETED and os.environ.get("STORYLINE_COMPILE_NOTICE"):
    _announce_compiling()

from .packing import ENTS, LEAD, LEADS, PACK_HEAD, SECTIONS, TERMS, TOP

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
EMPTY = -1  # an unused slot of a frequency table (term ids are crc32 values, never negative)


@njit(cache=True, nogil=True)
def _slot(t: np.int64, bits: int) -> np.int64:
    return np.int64((np.uint64(t) * _GOLDEN) >> np.uint64(64 - bits))


if INTERPRETED:  # the same product modulo 2**64 in Python integers (numpy's scalars warn when it wraps)
    def _slot(t: Any, bits: int) -> int:  # noqa: F811
        return ((int(t) * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> (64 - bits)


@njit(cache=True, nogil=True)
def frequency_table(ids: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An open-addressing hash table of term id -> document frequency (at most half full), so a
    lookup costs one or two memory reads instead of a binary search through the vocabulary."""
    bits = 4
    while (1 << bits) < 2 * len(ids) + 2:
        bits += 1
    size = 1 << bits
    keys = np.full(size, EMPTY, dtype=np.int64)
    vals = np.zeros(size, dtype=np.int64)
    mask = size - 1
    for k in range(len(ids)):
        j = _slot(ids[k], bits)
        while keys[j] != EMPTY and keys[j] != ids[k]:
            j = (j + 1) & mask
        keys[j] = ids[k]
        vals[j] = counts[k]
    return keys, vals


@njit(cache=True, nogil=True)
def _where(t: np.int64, keys: np.ndarray, bits: int, mask: int) -> int:
    """The slot of id t in a frequency table: its own, or the empty slot that ends its run (an
    empty slot's value is 0, so a lookup needs no second test)."""
    j = _slot(t, bits)
    while keys[j] != EMPTY and keys[j] != t:
        j = (j + 1) & mask
    return j


@njit(cache=True, nogil=True)
def _bits(size: int) -> int:
    bits = 0
    while (1 << bits) < size:
        bits += 1
    return bits


@njit(cache=True, nogil=True)
def idf_of(ids: np.ndarray, keys: np.ndarray, vals: np.ndarray, n: float) -> np.ndarray:
    """log((n + 1) / (df + 1)) + 1 for each id, df read from a frequency table (0 when absent)."""
    out = np.empty(len(ids))
    bits, mask = _bits(len(keys)), len(keys) - 1
    for k in range(len(ids)):
        out[k] = np.log((n + 1.0) / (vals[_where(ids[k], keys, bits, mask)] + 1.0)) + 1.0
    return out


@njit(cache=True, nogil=True)
def idf_table(vals: np.ndarray, n: float) -> np.ndarray:
    """A frequency table's values turned into IDF, log((n + 1) / (df + 1)) + 1 as idf_of computes
    it, an empty slot holding the IDF of a term never seen (df 0): read back with idf_lookup."""
    out = np.empty(len(vals))
    for k in range(len(vals)):
        out[k] = np.log((n + 1.0) / (vals[k] + 1.0)) + 1.0
    return out


@njit(cache=True, nogil=True)
def idf_lookup(ids: np.ndarray, keys: np.ndarray, idfs: np.ndarray) -> np.ndarray:
    """idf_of from a table of IDF values (idf_table): one read per id, no logarithm."""
    out = np.empty(len(ids))
    bits, mask = _bits(len(keys)), len(keys) - 1
    for k in range(len(ids)):
        out[k] = idfs[_where(ids[k], keys, bits, mask)]
    return out


@njit(cache=True, nogil=True)
def heaviest(w: np.ndarray, rank: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest weights, largest first, ties by rank (earlier first)."""
    by_rank = np.argsort(rank, kind="mergesort")
    return by_rank[np.argsort(-w[by_rank], kind="mergesort")][:k]


@njit(cache=True, nogil=True)
def weigh(ids: np.ndarray, cnt: np.ndarray, rk: np.ndarray, off: np.ndarray, keys: np.ndarray,
          idfs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sublinear TF-IDF weights (1 + log c) * idf of every section (IDF from the table `keys`/`idfs`
    of idf_table), each section's norm, and the TOP heaviest entities (ties by rank)."""
    idf = idf_lookup(ids, keys, idfs)
    w = np.empty(len(ids))
    for k in range(len(ids)):
        w[k] = (1.0 + np.log(cnt[k])) * idf[k] if cnt[k] > 0 else 0.0
    sections = len(off) - 1
    norms = np.zeros(sections)
    for s in range(sections):
        acc = 0.0
        for k in range(off[s], off[s + 1]):
            acc += w[k] * w[k]
        norms[s] = np.sqrt(acc)
    lo, hi = off[ENTS], off[ENTS + 1]
    top = ids[lo:hi][heaviest(w[lo:hi], rk[lo:hi], TOP)].copy()
    return w, norms, top


@njit(cache=True, nogil=True)
def shared(ai: np.ndarray, alo: int, ahi: int, bi: np.ndarray, blo: int, bhi: int) -> tuple[np.ndarray, np.ndarray]:
    """Where two sorted sections hold the same ids: positions in the first and in the second,
    in id order (the one merge every cosine, count and contrast below is made of)."""
    n = min(ahi - alo, bhi - blo)
    pa = np.empty(max(n, 0), dtype=np.int64)
    pb = np.empty(max(n, 0), dtype=np.int64)
    i, j, k = alo, blo, 0
    while i < ahi and j < bhi:
        x, y = ai[i], bi[j]
        if x == y:
            pa[k], pb[k] = i, j
            k += 1
            i += 1
            j += 1
        elif x < y:
            i += 1
        else:
            j += 1
    return pa[:k], pb[:k]


@njit(cache=True, nogil=True)
def dot(ai: np.ndarray, aw: np.ndarray, alo: int, ahi: int, bi: np.ndarray, bw: np.ndarray, blo: int,
        bhi: int) -> float:
    """The dot product of two sorted sections."""
    pa, pb = shared(ai, alo, ahi, bi, blo, bhi)
    acc = 0.0
    for k in range(len(pa)):
        acc += aw[pa[k]] * bw[pb[k]]
    return acc


@njit(cache=True, nogil=True)
def cosine(ai: np.ndarray, aw: np.ndarray, aoff: np.ndarray, anorm: np.ndarray, a_sec: int,
           bi: np.ndarray, bw: np.ndarray, boff: np.ndarray, bnorm: np.ndarray, b_sec: int) -> float:
    if anorm[a_sec] == 0.0 or bnorm[b_sec] == 0.0:
        return 0.0
    d = dot(ai, aw, aoff[a_sec], aoff[a_sec + 1], bi, bw, boff[b_sec], boff[b_sec + 1])
    return d / (anorm[a_sec] * bnorm[b_sec])


@njit(cache=True, nogil=True)
def _has(ids: np.ndarray, lo: int, hi: int, t: np.int64) -> bool:
    j = lo + np.searchsorted(ids[lo:hi], t)
    return j < hi and ids[j] == t


@njit(cache=True, nogil=True)
def _held(ids: np.ndarray, lo: int, hi: int, wanted: np.ndarray) -> float:
    """The share of `wanted` (a non-empty list, repeats counted) that the sorted section holds."""
    hit = 0
    for t in wanted:
        if _has(ids, lo, hi, t):
            hit += 1
    return hit / len(wanted)


@njit(cache=True, nogil=True)
def count_shared(ai: np.ndarray, aoff: np.ndarray, bi: np.ndarray, boff: np.ndarray, counts: np.ndarray) -> None:
    """counts[k] += 1 for each article term k (terms section) that the story's terms hold."""
    pa, _ = shared(ai, aoff[TERMS], aoff[TERMS + 1], bi, boff[TERMS], boff[TERMS + 1])
    for k in range(len(pa)):
        counts[pa[k] - aoff[TERMS]] += 1


@njit(cache=True, nogil=True)
def pair_features(ai: np.ndarray, aw: np.ndarray, aoff: np.ndarray, anorm: np.ndarray, a_top: np.ndarray,
                  a_title: np.ndarray, counts: np.ndarray, si: np.ndarray, sw: np.ndarray, soff: np.ndarray,
                  snorm: np.ndarray, s_top: np.ndarray) -> np.ndarray:
    """The lexical features of an article against a story: cos_contrast, cos_terms, cos_lead,
    cos_ent, top_in, story_in, title_in, top1, story_top1, lead_max (see StoryEngine.features).
    `counts[k]`: how many competing candidates hold the article's k-th term (0: not counted)."""
    out = np.zeros(10)
    na, ns = anorm[TERMS], snorm[TERMS]
    if na > 0.0 and ns > 0.0:
        pa, pb = shared(ai, aoff[TERMS], aoff[TERMS + 1], si, soff[TERMS], soff[TERMS + 1])
        plain, contrast = 0.0, 0.0
        for k in range(len(pa)):
            p = aw[pa[k]] * sw[pb[k]]
            plain += p
            contrast += p / max(1, counts[pa[k] - aoff[TERMS]])
        out[0] = contrast / (na * ns)
        out[1] = plain / (na * ns)
    out[2] = cosine(ai, aw, aoff, anorm, LEAD, si, sw, soff, snorm, LEAD)
    out[3] = cosine(ai, aw, aoff, anorm, ENTS, si, sw, soff, snorm, ENTS)
    elo, ehi = soff[ENTS], soff[ENTS + 1]
    if len(a_top):
        out[4] = _held(si, elo, ehi, a_top)
        out[7] = 1.0 if _has(si, elo, ehi, a_top[0]) else 0.0
    if len(s_top):
        out[5] = _held(ai, aoff[ENTS], aoff[ENTS + 1], s_top)
        out[8] = 1.0 if _has(ai, aoff[ENTS], aoff[ENTS + 1], s_top[0]) else 0.0
    out[6] = _held(si, elo, ehi, a_title) if len(a_title) else 0.5
    best = 0.0
    for sec in range(LEADS, len(soff) - 1):
        if soff[sec + 1] > soff[sec]:
            v = cosine(ai, aw, aoff, anorm, LEAD, si, sw, soff, snorm, sec)
            if v > best:
                best = v
    out[9] = best
    return out


@njit(cache=True, nogil=True)
def _merge_section(ai: np.ndarray, ac: np.ndarray, ar: np.ndarray, bi: np.ndarray, bc: np.ndarray,
                   br: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The union of two sorted sections, counts added: a term new to the first comes after all of
    the first's terms, in the second's order (as dict.update inserts)."""
    n = len(ai) + len(bi)
    oi = np.empty(n, dtype=np.uint32)
    oc = np.empty(n)
    orank = np.empty(n, dtype=np.int32)
    base = np.int64(ar.max()) + 1 if len(ar) else 0
    i = j = k = 0
    while i < len(ai) or j < len(bi):
        if j >= len(bi) or (i < len(ai) and ai[i] < bi[j]):
            oi[k], oc[k], orank[k] = ai[i], ac[i], ar[i]
            i += 1
        elif i >= len(ai) or bi[j] < ai[i]:
            oi[k], oc[k], orank[k] = bi[j], bc[j], base + br[j]
            j += 1
        else:
            oi[k], oc[k], orank[k] = ai[i], ac[i] + bc[j], ar[i]
            i += 1
            j += 1
        k += 1
    return oi[:k], oc[:k], orank[:k]


@njit(cache=True, nogil=True)
def _cap(ids: np.ndarray, cnt: np.ndarray, rk: np.ndarray, limit: int,
         keep: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Past `limit` entries, the `keep` largest counts (ties by rank), as Counter.most_common keeps
    them: ranked anew in that order, stored back in id order."""
    if len(ids) <= limit:
        return ids, cnt, rk
    order = heaviest(cnt, rk, keep)
    new_rank = np.empty(len(order), dtype=np.int32)
    for k in range(len(order)):
        new_rank[k] = k
    by_id = np.argsort(ids[order])
    return ids[order][by_id], cnt[order][by_id], new_rank[by_id]


@njit(cache=True, nogil=True)
def grow(si: np.ndarray, sc: np.ndarray, sr: np.ndarray, soff: np.ndarray, s_leads: int, ai: np.ndarray,
         ac: np.ndarray, ar: np.ndarray, aoff: np.ndarray, cap_limit: int, cap_keep: int,
         take_lead: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A story's packed bags after one more original: terms and lead take 1 + log c of the
    article's counts, entities its counts, each capped (past `cap_limit` terms the `cap_keep` most
    frequent stay); with `take_lead`, the article's title+lead counts (at most 65535) follow the
    story's `s_leads` lead vectors."""
    parts_i = []
    parts_c = []
    parts_r = []
    for sec in range(3):
        a_c = ac[aoff[sec]:aoff[sec + 1]]
        if sec != ENTS:
            a_c = 1.0 + np.log(a_c)
        mi, mc, mr = _merge_section(si[soff[sec]:soff[sec + 1]], sc[soff[sec]:soff[sec + 1]],
                                    sr[soff[sec]:soff[sec + 1]], ai[aoff[sec]:aoff[sec + 1]], a_c,
                                    ar[aoff[sec]:aoff[sec + 1]])
        mi, mc, mr = _cap(mi, mc, mr, cap_limit, cap_keep)
        parts_i.append(mi)
        parts_c.append(mc)
        parts_r.append(mr)
    for k in range(s_leads):
        lo, hi = soff[LEADS + k], soff[LEADS + k + 1]
        parts_i.append(si[lo:hi].astype(np.uint32))
        parts_c.append(sc[lo:hi].astype(np.float64))
    if take_lead:
        lo, hi = aoff[LEAD], aoff[LEAD + 1]
        parts_i.append(ai[lo:hi].astype(np.uint32))
        parts_c.append(np.minimum(ac[lo:hi], 65535.0))
    return _pack(parts_i, parts_c, parts_r, SECTIONS)


@njit(cache=True, nogil=True)
def keyed_top(ids: np.ndarray, cnt: np.ndarray, rk: np.ndarray, lo: int, hi: int, prior_keys: np.ndarray,
              prior_vals: np.ndarray, prior_n: float, k: int) -> np.ndarray:
    """The k heaviest ids of a section by sublinear TF times the prior's IDF, heaviest first (ties by rank)."""
    sec = ids[lo:hi]
    w = (1.0 + np.log(cnt[lo:hi])) * idf_of(sec, prior_keys, prior_vals, prior_n)
    return sec[heaviest(w, rk[lo:hi], k)].copy()


@njit(cache=True, nogil=True)
def combine(ai: np.ndarray, ac: np.ndarray, ar: np.ndarray, aoff: np.ndarray, a_leads: int, bi: np.ndarray,
            bc: np.ndarray, br: np.ndarray, boff: np.ndarray, b_leads: int,
            max_leads: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two stories' packed bags as one (a merge): the bags' union with counts added, uncapped, and
    the first `max_leads` lead vectors of the first story, then of the second."""
    parts_i = []
    parts_c = []
    parts_r = []
    for sec in range(3):
        mi, mc, mr = _merge_section(ai[aoff[sec]:aoff[sec + 1]], ac[aoff[sec]:aoff[sec + 1]],
                                    ar[aoff[sec]:aoff[sec + 1]], bi[boff[sec]:boff[sec + 1]],
                                    bc[boff[sec]:boff[sec + 1]], br[boff[sec]:boff[sec + 1]])
        parts_i.append(mi)
        parts_c.append(mc)
        parts_r.append(mr)
    for k in range(min(max_leads, a_leads + b_leads)):
        if k < a_leads:
            lo, hi = aoff[LEADS + k], aoff[LEADS + k + 1]
            parts_i.append(ai[lo:hi].astype(np.uint32))
            parts_c.append(ac[lo:hi].astype(np.float64))
        else:
            lo, hi = boff[LEADS + k - a_leads], boff[LEADS + k - a_leads + 1]
            parts_i.append(bi[lo:hi].astype(np.uint32))
            parts_c.append(bc[lo:hi].astype(np.float64))
    return _pack(parts_i, parts_c, parts_r, LEADS + max_leads)


@njit(cache=True, nogil=True)
def _pack(parts_i, parts_c, parts_r, sections: int):  # type: ignore[no-untyped-def]
    off = np.zeros(sections + 1, dtype=np.int64)
    total = 0
    for k in range(len(parts_i)):
        total += len(parts_i[k])
        off[k + 1] = total
    for k in range(len(parts_i) + 1, len(off)):
        off[k] = total
    oi = np.empty(total, dtype=np.uint32)
    oc = np.empty(total, dtype=np.float32)
    # a story's ranks, 2 bytes each, for the parts that have them: its lead vectors have none (a
    # lead vector's ranks are never read)
    orank = np.empty(off[len(parts_r)], dtype=np.int16)
    for k in range(len(parts_i)):
        oi[off[k]:off[k + 1]] = parts_i[k]
        oc[off[k]:off[k + 1]] = parts_c[k]
    for k in range(len(parts_r)):
        r = parts_r[k]
        if len(r) and r.max() > 32767:  # only their order matters: renumbered, in the same order
            dense = np.empty(len(r), dtype=np.int32)
            dense[np.argsort(r, kind="mergesort")] = np.arange(len(r), dtype=np.int32)
            r = dense
        orank[off[k]:off[k + 1]] = r
    return oi, oc, orank, off


@njit(cache=True, nogil=True)
def story_pack(ids: np.ndarray, cnt: np.ndarray, rk: np.ndarray, off: np.ndarray, sigs: np.ndarray,
               more: np.ndarray, width: int) -> np.ndarray:
    """A story's bags (as grow or combine made them) and its originals' signatures in one buffer, so
    that a story keeps one object instead of five arrays (each ~160 bytes of header and bookkeeping):
    the head (section offsets, signature width), term ids (uint32), counts (float32), the ranks of
    the first LEADS sections (int16: the lead vectors have none), then the signatures (`sigs`
    and `more`, flat rows of `width` bytes). Read back with unpack."""
    n, r = len(ids), off[LEADS]
    at = 4 * PACK_HEAD
    out = np.empty(at + 8 * n + 2 * r + len(sigs) + len(more), dtype=np.uint8)
    head = out[:at].view(np.uint32)
    head[:SECTIONS + 1] = off
    head[SECTIONS + 1] = width
    out[at:at + 4 * n].view(np.uint32)[:] = ids
    out[at + 4 * n:at + 8 * n].view(np.float32)[:] = cnt
    out[at + 8 * n:at + 8 * n + 2 * r].view(np.int16)[:] = rk
    at += 8 * n + 2 * r
    out[at:at + len(sigs)] = sigs
    out[at + len(sigs):] = more
    return out


@njit(cache=True, nogil=True)
def unpack(pack: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """A story's pack as (ids, counts, ranks, section offsets, signatures flat, signature width),
    views on the pack but for the offsets."""
    b = np.frombuffer(pack, dtype=np.uint8)
    at = 4 * PACK_HEAD
    head = b[:at].view(np.uint32)
    off = head[:SECTIONS + 1].astype(np.int64)
    n, r = off[SECTIONS], off[LEADS]
    ids = b[at:at + 4 * n].view(np.uint32)
    cnt = b[at + 4 * n:at + 8 * n].view(np.float32)
    rk = b[at + 8 * n:at + 8 * n + 2 * r].view(np.int16)
    return ids, cnt, rk, off, b[at + 8 * n + 2 * r:], int(head[SECTIONS + 1])


@njit(cache=True, nogil=True)
def grow_pack(pack: bytes, s_leads: int, ai: np.ndarray, ac: np.ndarray, ar: np.ndarray, aoff: np.ndarray,
              sig: np.ndarray, cap_limit: int, cap_keep: int, take_lead: bool) -> np.ndarray:
    """grow on a story's pack, the original's signature appended."""
    si, sc, sr, soff, sigs, width = unpack(pack)
    gi, gc, gr, goff = grow(si, sc, sr, soff, s_leads, ai, ac, ar, aoff, cap_limit, cap_keep, take_lead)
    return story_pack(gi, gc, gr, goff, sigs, sig, len(sig) if len(sig) else width)


@njit(cache=True, nogil=True)
def combine_packs(a: bytes, a_leads: int, b: bytes, b_leads: int, max_leads: int) -> np.ndarray:
    """combine on two stories' packs, the second's signatures after the first's."""
    ai, ac, ar, aoff, a_sigs, a_width = unpack(a)
    bi, bc, br, boff, b_sigs, b_width = unpack(b)
    ci, cc, cr, coff = combine(ai, ac, ar, aoff, a_leads, bi, bc, br, boff, b_leads, max_leads)
    return story_pack(ci, cc, cr, coff, a_sigs, b_sigs, a_width if a_width else b_width)


@njit(cache=True, nogil=True)
def weigh_pack(pack: bytes, keys: np.ndarray, idfs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """weigh on a story's pack."""
    ids, cnt, rk, off, _, _ = unpack(pack)
    return weigh(ids, cnt, rk, off, keys, idfs)


@njit(cache=True, nogil=True)
def pack_rows(packs: bytes, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Several stories' packs joined (pack k from byte starts[k]) as the kernels take their bags at
    once: term ids concatenated, where each row starts, and the rows' section offsets stacked."""
    k = len(starts) - 1
    offs = np.empty((k, SECTIONS + 1), dtype=np.int64)
    rows = np.zeros(k + 1, dtype=np.int64)
    b = np.frombuffer(packs, dtype=np.uint8)
    for j in range(k):
        offs[j] = b[starts[j]:starts[j] + 4 * (SECTIONS + 1)].view(np.uint32)
        rows[j + 1] = rows[j] + offs[j, SECTIONS]
    ids = np.empty(rows[k], dtype=np.uint32)
    for j in range(k):
        at = starts[j] + 4 * PACK_HEAD
        ids[rows[j]:rows[j + 1]] = b[at:at + 4 * (rows[j + 1] - rows[j])].view(np.uint32)
    return ids, rows, offs


@njit(cache=True, nogil=True)
def closest_in_pack(sig: np.ndarray, pack: bytes, chance: float) -> tuple[int, float]:
    """closest_signature among a story's signatures (its pack's)."""
    _, _, _, _, sigs, width = unpack(pack)
    if width == 0 or len(sigs) == 0:
        return -1, -1.0
    return closest_signature(sig, sigs.reshape(-1, width), chance)


@njit(cache=True, nogil=True)
def closest_signature(sig: np.ndarray, sigs: np.ndarray, chance: float) -> tuple[int, float]:
    """The row of `sigs` (b-bit MinHash signatures) most like `sig` and its Jaccard estimate, the
    chance agreement taken out (dedup.jaccard_estimates for one row at a time; first row on ties)."""
    best, best_j = -1, -1.0
    n = sig.shape[0]
    for r in range(sigs.shape[0]):
        same = 0
        for k in range(n):
            if sigs[r, k] == sig[k]:
                same += 1
        j = (same / n - chance) / (1.0 - chance)
        j = min(1.0, max(0.0, j))
        if j > best_j:
            best, best_j = r, j
    return best, best_j


@njit(cache=True, nogil=True)
def pair_matrix(a_ids: np.ndarray, a_w: np.ndarray, a_start: np.ndarray, a_off: np.ndarray, a_norm: np.ndarray,
                a_top: np.ndarray, a_ntop: np.ndarray, t_ids: np.ndarray, t_start: np.ndarray, s_ids: np.ndarray,
                s_w: np.ndarray, s_start: np.ndarray, s_off: np.ndarray, s_norm: np.ndarray, s_top: np.ndarray,
                s_ntop: np.ndarray) -> np.ndarray:
    """pair_features of every article i against every one-article story j (i != j), without
    contrast: articles and stories concatenated, row k of each from `*_start[k]`, with its own
    section offsets, norms and heaviest entities. Shape (n, n, 10); the diagonal is left at 0."""
    n = len(a_start) - 1
    out = np.zeros((n, n, 10))
    for i in range(n):
        ai, aw = a_ids[a_start[i]:a_start[i + 1]], a_w[a_start[i]:a_start[i + 1]]
        counts = np.zeros(a_off[i, 1] - a_off[i, 0], dtype=np.int64)
        title = t_ids[t_start[i]:t_start[i + 1]]
        top = a_top[i, :a_ntop[i]]
        for j in range(n):
            if i != j:
                out[i, j] = pair_features(ai, aw, a_off[i], a_norm[i], top, title, counts,
                                          s_ids[s_start[j]:s_start[j + 1]], s_w[s_start[j]:s_start[j + 1]], s_off[j],
                                          s_norm[j], s_top[j, :s_ntop[j]])
    return out


@njit(cache=True, nogil=True)
def shortlist_features(ai: np.ndarray, aw: np.ndarray, aoff: np.ndarray, anorm: np.ndarray, a_top: np.ndarray,
                       a_title: np.ndarray, c_ids: np.ndarray, c_w: np.ndarray, c_start: np.ndarray,
                       c_off: np.ndarray, c_norm: np.ndarray, c_top: np.ndarray, c_ntop: np.ndarray,
                       full: int) -> tuple[np.ndarray, np.ndarray]:
    """An article against its candidate stories (concatenated, row k from c_start[k]) in one call:
    when there are more than `full`, the cascade keeps the `full` closest by the cosine of terms
    (closest first, ties in candidate order); then the lexical features of each kept story, the
    terms shared with the other kept stories counted for the contrast. Returns (kept rows, features)."""
    k = len(c_start) - 1
    if k > full:
        closeness = np.empty(k)
        for j in range(k):
            lo, hi = c_start[j], c_start[j + 1]
            closeness[j] = cosine(ai, aw, aoff, anorm, TERMS, c_ids[lo:hi], c_w[lo:hi], c_off[j], c_norm[j], TERMS)
        kept = np.argsort(-closeness, kind="mergesort")[:full]
    else:
        kept = np.arange(k)
    counts = np.zeros(aoff[TERMS + 1] - aoff[TERMS], dtype=np.int64)
    for j in kept:
        count_shared(ai, aoff, c_ids[c_start[j]:c_start[j + 1]], c_off[j], counts)
    out = np.empty((len(kept), 10))
    for r in range(len(kept)):
        j = kept[r]
        lo, hi = c_start[j], c_start[j + 1]
        out[r] = pair_features(ai, aw, aoff, anorm, a_top, a_title, counts, c_ids[lo:hi], c_w[lo:hi], c_off[j],
                               c_norm[j], c_top[j, :c_ntop[j]])
    return kept, out


@njit(cache=True, nogil=True)
def closeness_to(t_ids: np.ndarray, t_cnt: np.ndarray, keys: np.ndarray, idfs: np.ndarray,
                 s_ids: np.ndarray, s_w: np.ndarray, lo: int, hi: int, s_norm: float) -> float:
    """Cosine of a short text's sublinear TF-IDF vector (ids sorted, counts) with one weighted
    section of a story: how close a headline is to the story's centroid."""
    if s_norm == 0.0 or len(t_ids) == 0:
        return 0.0
    w = (1.0 + np.log(t_cnt)) * idf_lookup(t_ids, keys, idfs)
    norm = np.sqrt(np.sum(w * w))
    if norm == 0.0:
        return 0.0
    return dot(t_ids, w, 0, len(t_ids), s_ids, s_w, lo, hi) / (norm * s_norm)


@njit(cache=True, nogil=True)
def rank_candidates(hits: np.ndarray, tie: np.ndarray, first_ts: np.ndarray, last_ts: np.ndarray,
                    last_step: np.ndarray, ts: float, window: float, step: int, window_articles: int,
                    limit: int, most: int) -> np.ndarray:
    """The candidate stories of one article from the handles in its keys' postings (`hits`, with
    repeats): the handles with at least the `limit`-th largest number of hits, most hits first,
    ties by `tie[handle]`; of the first `limit`, those whose window holds the article (dated: the
    story's time span widened by `window`; else touched within `window_articles` steps), `most`
    at most. Per-handle arrays: tie key, first and last timestamp (NaN: undated), last step."""
    if len(hits) == 0:
        return np.zeros(0, dtype=np.int64)
    h = np.sort(hits)
    uniq = np.empty(len(h), dtype=np.int64)
    cnt = np.empty(len(h), dtype=np.int64)
    n = 0
    for i in range(len(h)):
        if i == 0 or h[i] != h[i - 1]:
            uniq[n] = h[i]
            cnt[n] = 1
            n += 1
        else:
            cnt[n - 1] += 1
    uniq, cnt = uniq[:n], cnt[:n]
    if n > limit:
        cut = -np.sort(-cnt)[limit - 1]
        keep = cnt >= cut
        uniq, cnt = uniq[keep], cnt[keep]
    order = np.argsort(tie[uniq], kind="mergesort")
    order = order[np.argsort(-cnt[order], kind="mergesort")]
    out = np.empty(min(most, len(order)), dtype=np.int64)
    k = 0
    for j in order[:limit]:
        s = uniq[j]
        if not np.isnan(ts) and not np.isnan(first_ts[s]) and not np.isnan(last_ts[s]):
            ok = first_ts[s] - window <= ts <= last_ts[s] + window
        else:
            ok = last_step[s] >= step - window_articles
        if ok:
            out[k] = s
            k += 1
            if k >= most:
                break
    return out[:k]
