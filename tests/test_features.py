"""features.py: the fast regular expressions match exactly as their plain forms do."""
import random
import re

import pytest

from storyline.features import _CAP, _NUM, entity_candidates, numbers

# the plain forms: a boundary check first, then the first character (slow: tried at every position)
PLAIN_NUM = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])")
PLAIN_CAP = re.compile(r"\b(?:[A-Z][\w'’-]*[a-z][\w'’-]*|[A-Z]{2,})(?:\s+(?:(?:of|de|al|van|von|the|and)\s+)?"
                       r"(?:[A-Z][\w'’-]*[a-z][\w'’-]*|[A-Z]{2,}))*")

PIECES = list("0123456789,. -'’_aAbBzZÉéß\n\t") + ["of ", "the ", "and ", "٣", "Ω", "ǅ", "US", "12,345", "3.14"]


def _spans(pattern: re.Pattern, text: str) -> list:
    return [(m.span(), m.groups(), m.group(0)) for m in pattern.finditer(text)]


@pytest.mark.parametrize("fast,plain", [(_NUM, PLAIN_NUM), (_CAP, PLAIN_CAP)], ids=["numbers", "entities"])
def test_fast_patterns_match_as_the_plain_ones(fast, plain):
    rnd = random.Random(7)
    for _ in range(40_000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 40)))
        assert _spans(fast, text) == _spans(plain, text), text


def test_numbers_and_entities_of_a_sentence():
    text = "Ministers of the Federal Republic met 1,200 delegates in Port of Spain on 3.5 days; x12 and 7b are not numbers."
    assert numbers(text) == {"1200", "3.5"}
    assert entity_candidates(text) == ["ministers", "federal republic", "port of spain"]
