"""Language identification with py3langid (langid.py's model: 97 languages, no download)."""
from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import Any

MIN_WORDS = 5  # below this a text is too short to tell
# the first 600 characters (headline and lead) tell the language as well as 2,000 do (ECB+ train:
# the same 575 labels) at less than half the cost, which every ingested article pays
SAMPLE = 600
CONFIDENCE_SAMPLE = 2000  # linking across languages reads more: on short samples gibberish can look sure
MIN_PROBABILITY = 0.5
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from .kernels_langid import coded_rows, dfa_visits

    class Compiled(LanguageIdentifier):  # type: ignore[misc]
        """py3langid's identifier with its byte-by-byte DFA walk compiled
        (kernels_langid.dfa_visits); the features, their order and the scoring are the library's, so
        the answers are the same to the bit (tests/test_language.py), at a fraction of the cost on
        the 600 to 2,000 characters read."""

        _dfa: tuple[Any, Any, Any]  # the DFA (next move, row bases, outputs) as arrays
        _first: Any  # the walk's scratch, one slot a feature
        _halves: Any  # the float32 value of each of the 65,536 float16s (numpy's own, exact, conversion)

        _ready: dict[bytes, Any]  # scores computed by classify_both, taken by _raw_score when asked

        def _raw_score(self, text: bytes) -> Any:
            ready = self._ready.pop(text, None) if self._ready else None
            if ready is not None:
                return ready
            idx, counts, _ = dfa_visits(*self._dfa, np.frombuffer(text, dtype=np.uint8), self._first)
            return self._scores(idx, counts, self._rows(idx))

        def _rows(self, idx: Any) -> Any:
            table = self.nb_ptc
            if table.dtype == np.float16:  # the shipped model: its rows converted exactly, in compiled code
                return coded_rows(table.view(np.uint16), idx, self._halves)
            return table[idx]

        def _scores(self, idx: Any, counts: Any, rows: Any) -> Any:
            if idx.size == 0:
                return super()._raw_score(b"")  # the library's answer for a text with no feature
            # _sparse_score's arithmetic: log1p of the float32 counts times the rows, plus the priors
            return np.log1p(counts.astype(np.float32)) @ rows + self.nb_pc

        def classify_both(self, short: str, long: str) -> tuple[tuple[str, float], tuple[str, float]]:
            """classify(short) and classify(long), for a `short` that begins `long`, from one walk
            of long's bytes: short's features are the first ones met and its counts those before
            its last byte, so both answers are the library's own."""
            a, b = self._encode(short), self._encode(long)
            if a == b:  # a text no longer than the short head: one answer for both
                answer = self.classify(short)
                return answer, answer
            if not b.startswith(a):  # normalising changed the prefix
                return self.classify(short), self.classify(long)
            idx, counts, before = dfa_visits(*self._dfa, np.frombuffer(b, dtype=np.uint8), self._first, len(a))
            rows = self._rows(idx)
            self._ready = {a: self._scores(idx[:before.size], before, rows[:before.size]),
                           b: self._scores(idx, counts, rows)}
            try:
                return self.classify(short), self.classify(long)
            finally:
                self._ready = {}

    needed = ("tk_nextmove", "_rowbase", "tk_output", "nb_ptc", "nb_pc", "_raw_score")
    ident = Compiled.from_model_file(MODEL_FILE, norm_probs=True)
    if not all(hasattr(ident, a) for a in needed):
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)  # another py3langid release
    ident._dfa = (np.asarray(ident.tk_nextmove), np.asarray(ident._rowbase, dtype=np.int64),
                  np.asarray(ident.tk_output, dtype=np.int64))
    ident._first = np.full(len(ident.nb_ptc), -1, dtype=np.int64)
    ident._ready = {}
    ident._halves = np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float32)
    return ident


def _too_short(head: str) -> bool:
    """Fewer than MIN_WORDS words (the search stops at the MIN_WORDS-th, not at the end of the text)."""
    return sum(1 for _ in itertools.islice(_WORD.finditer(head), MIN_WORDS)) < MIN_WORDS


CONFIDENT = 0.95  # what cross-lingual linking asks of both sides (gibberish scores 0.5-0.8)


def language_and_confidence(text: str, sample: int = SAMPLE) -> tuple[str | None, float]:
    """The most likely language and the model's probability for it ((None, 0) when too short)."""
    head = text[:sample]
    if _too_short(head):
        return None, 0.0
    lang, prob = _identifier().classify(head)
    return str(lang), float(prob)


def sure_language(text: str) -> str | None:
    """The language of `text` when the model is sure of it (probability at least CONFIDENT on a
    longer sample than detect_language reads), else None."""
    lang, prob = language_and_confidence(text, CONFIDENCE_SAMPLE)
    return lang if prob >= CONFIDENT else None


def languages_of(text: str) -> tuple[str | None, str | None]:
    """(detect_language(text), sure_language(text)), the same answers from one walk of the text's
    first CONFIDENCE_SAMPLE characters (which begin with the SAMPLE characters the first reads)."""
    short, long = text[:SAMPLE], text[:CONFIDENCE_SAMPLE]
    if _too_short(long):  # then the shorter head is too
        return None, None
    ident = _identifier()
    if _too_short(short):
        lang, prob = ident.classify(long)
        return None, (str(lang) if prob >= CONFIDENT else None)
    if hasattr(ident, "classify_both"):
        (s_lang, s_prob), (l_lang, l_prob) = ident.classify_both(short, long)
    else:  # another py3langid release: two walks
        (s_lang, s_prob), (l_lang, l_prob) = ident.classify(short), ident.classify(long)
    return (str(s_lang) if s_prob >= MIN_PROBABILITY else None), (str(l_lang) if l_prob >= CONFIDENT else None)


def sample_digest(text: str) -> bytes:
    """What sure_language reads of a text, as a short digest: a sure language identified elsewhere
    (IngestReport.confident) is taken for an article only if its text still reads the same."""
    import hashlib

    return hashlib.blake2b(text[:CONFIDENCE_SAMPLE].encode("utf-8", "surrogatepass"), digest_size=8).digest()


def detect_language(text: str, sample: int = SAMPLE) -> str | None:
    """ISO 639-1 code of the most likely language, or None when the text is too short or the
    model is unsure."""
    head = text[:sample]
    if _too_short(head):
        return None
    lang, prob = _identifier().classify(head)
    return str(lang) if prob >= MIN_PROBABILITY else None
