"""Compiled kernels of the language identifier (language.py): py3langid's byte-DFA walk and the
rows of its float16 weight table. They run compiled by numba, or as plain Python under
STORYLINE_KERNELS=python, by the switch, `njit` and `np` of kernels.py, the only module this one
imports (a leaf as kernels.py is: nothing of the story engine). They call no kernel of the engine
and compile in well under a second, so the engine's "compiling" notice does not watch them.
"""
from __future__ import annotations

from .kernels import INTERPRETED, njit, np


@njit(cache=True, nogil=True)
def dfa_visits(nextmove: np.ndarray, rowbase: np.ndarray, output: np.ndarray, text: np.ndarray,
               first: np.ndarray, cut: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """py3langid's byte-DFA walk (langid.visit_counts) compiled: the features met, in order of first
    visit, and how often each was; `first` is scratch (-1 per feature, left as it was found). With
    `cut`, also the counts as they stood before byte `cut`: those of the walk of text[:cut] alone
    (its features are the first ones of the order, as many as the counts)."""
    order = np.empty(text.size, dtype=np.int64)
    counts = np.empty(text.size, dtype=np.int64)
    before = np.empty(0, dtype=np.int64)
    n = 0
    state = 0
    for i in range(text.size):
        if i == cut:
            before = counts[:n].copy()
        state = nextmove[rowbase[state] + text[i]]
        f = output[state]
        if f >= 0:
            p = first[f]
            if p < 0:
                first[f] = n
                order[n] = f
                counts[n] = 1
                n += 1
            else:
                counts[p] += 1
    if cut == text.size:
        before = counts[:n].copy()
    for k in range(n):
        first[order[k]] = -1
    return order[:n], counts[:n], before


@njit(cache=True, nogil=True)
def coded_rows(codes: np.ndarray, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Rows of a table of codes, each code replaced by values[code]: with a float16 table's bits as
    codes and every half's float32 value as `values`, `table[rows].astype(np.float32)` exactly,
    without numpy's slow element-by-element software conversion."""
    out = np.empty((rows.size, codes.shape[1]), dtype=values.dtype)
    for r in range(rows.size):
        row = codes[rows[r]]
        for j in range(codes.shape[1]):
            out[r, j] = values[row[j]]
    return out


if INTERPRETED:  # the loop above as one numpy indexing, the same values (each code's own value)
    def coded_rows(codes: np.ndarray, rows: np.ndarray, values: np.ndarray) -> np.ndarray:  # noqa: F811
        return values[codes[rows]]
