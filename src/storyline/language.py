"""Language identification with py3langid (langid.py's model: 97 languages, no download)."""
from __future__ import annotations

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
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


CONFIDENT = 0.95  # what cross-lingual linking asks of both sides (gibberish scores 0.5-0.8)


def language_and_confidence(text: str, sample: int = SAMPLE) -> tuple[str | None, float]:
    """The most likely language and the model's probability for it ((None, 0) when too short)."""
    head = text[:sample]
    if len(_WORD.findall(head)) < MIN_WORDS:
        return None, 0.0
    lang, prob = _identifier().classify(head)
    return str(lang), float(prob)


def sure_language(text: str) -> str | None:
    """The language of `text` when the model is sure of it (probability at least CONFIDENT on a
    longer sample than detect_language reads), else None."""
    lang, prob = language_and_confidence(text, CONFIDENCE_SAMPLE)
    return lang if prob >= CONFIDENT else None


def detect_language(text: str, sample: int = SAMPLE) -> str | None:
    """ISO 639-1 code of the most likely language, or None when the text is too short or the
    model is unsure."""
    head = text[:sample]
    if len(_WORD.findall(head)) < MIN_WORDS:
        return None
    lang, prob = _identifier().classify(head)
    return str(lang) if prob >= MIN_PROBABILITY else None
