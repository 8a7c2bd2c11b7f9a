"""The records every stage shares: what a store can hold."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import Article, storable

# every code point, lone surrogates and NUL included (hypothesis leaves surrogates out by default)
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=60)


@settings(max_examples=300)
@given(ANY_TEXT)
def test_storable_text_encodes_and_is_stable(text):
    out = storable(text)
    out.encode("utf-8")  # a lone surrogate would raise here
    assert "\x00" not in out
    assert storable(out) == out
    if not any(c == "\x00" or "\ud800" <= c <= "\udfff" or (c < " " and c not in "\t\n\r") for c in text):
        assert out == text  # clean text is never touched


def test_lone_surrogates_become_the_replacement_character_and_pairs_join():
    assert storable("Bad \ud800 news") == "Bad \ufffd news"
    assert storable("\ud83d\ude00") == "\U0001F600"  # a pair held as two code points is one character
    assert storable("a\x00b\x07c\td") == "abc\td"


def test_an_article_with_unstorable_text_keeps_its_id_and_is_repaired():
    a = Article(title="Bad \ud800", body=["Port Selby\x00 voted.", "\x00"], keywords=["x\udfff"])
    fixed = a.storable()
    assert fixed.id == a.id and fixed.title == "Bad \ufffd" and fixed.body == ["Port Selby voted."]
    assert fixed.keywords == ["x\ufffd"]
    clean = Article(title="Fine", body=["Fine text."])
    assert clean.storable() is clean
