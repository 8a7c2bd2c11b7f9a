"""A story's search document in the SQLite store: the distinct words of its title and of every
member article's title and text, kept so that a story search reads one full-text index of stories
instead of walking every matching article.

The document holds words as the text has them between ASCII white space (the separators of FTS5's
default tokenizer include all of these), with ASCII punctuation cut from their ends and ASCII
letters lowered (both of which FTS5 ignores or folds too). So FTS5 reads from a document exactly
the tokens it reads from the members' texts, and a one-word query finds the same stories as a
query over the articles does. A word the text joins with punctuation ("3,000", "fire-fighters")
stays one word, so a query for it still finds it as a phrase; SEP, a token no query reaches (a
private-use character, taken out of queries by `story_fts_query`), stands between words so that
no phrase is made of the end of one word and the start of the next.
"""
from __future__ import annotations

import re
import string
from collections.abc import Iterable

from ..model import storable

SEP_CHAR = "\ue000"
SEP = f" {SEP_CHAR} "
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
# the white space str.split() cuts at besides _SPACE's: a text without any is cut by split(), faster
_NOT_ASCII_SPACE = re.compile("[\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_EDGES = string.punctuation
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def doc_words(texts: Iterable[str | None]) -> set[str]:
    """The distinct words of `texts`, as a story's search document keeps them."""
    raw: set[str] = set()
    for t in texts:
        if t:
            raw.update(_SPACE.split(t) if _NOT_ASCII_SPACE.search(t) else t.split())
    out = {w.strip(_EDGES).translate(_LOWER) for w in raw}
    out.discard("")
    out.discard(SEP_CHAR)
    return out


def join_words(words: Iterable[str]) -> str:
    return SEP.join(sorted(words))


def split_words(text: str | None) -> set[str]:
    return set(text.split(SEP)) if text else set()


def outlet_text(outlets: Iterable[str | None]) -> str:
    return SEP.join(sorted(o for o in outlets if o))


def story_fts_query(q: str) -> str:
    """User words as an FTS5 query of quoted terms, for the story documents (the separator taken out)."""
    terms = [t.replace('"', '""') for t in storable(q).replace(SEP_CHAR, " ").split() if t.strip()]
    return " ".join(f'"{t}"' for t in terms) or '""'
