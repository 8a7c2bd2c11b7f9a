"""Clock times a sentence gives: a local time, a time in a named zone, or a game clock of one
period ("10:03 to play in the third quarter"), for the conflicts that compare them."""
from __future__ import annotations

import re

from .nlp import Sentence

_CLOCK = re.compile(r"(?P<approx>\b(?:about|around|approximately|roughly|some|shortly (?:before|after)|just "
                    r"(?:before|after)|nearly|almost)\s+)?\b(?P<h>\d{1,2})[:.](?P<m>[0-5]\d)\s*"
                    r"(?P<ampm>[ap]\.?\s?m\.?|hours|hrs)?(?:\s*(?P<zone>(?-i:GMT|UTC|[A-Z]{1,2}[SD]?T))\b)?", re.I)
_GAME_CLOCK = re.compile(r"\s*(?:minutes\s+)?(?:to play|to go|remaining|left)\b(?:[^.;,]*?\b(?P<period>first|"
                         r"second|third|fourth|1st|2nd|3rd|4th)\s+(?P<unit>quarter|half|period))?", re.I)


def clock_times(s: Sentence) -> list[tuple[tuple[str, ...], int, bool, str]]:
    """The clock times a sentence gives: (slot, minutes, approximate, as written). The slot keeps
    apart a local time, a time in a named zone ("13:36 GMT") and a game clock of one period
    ("10:03 to play in the third quarter")."""
    out = []
    for m in _CLOCK.finditer(s.text):
        h, minute, ampm = int(m.group("h")), int(m.group("m")), (m.group("ampm") or "").lower()
        if h > 23 or (m.start("h") > 0 and s.text[m.start("h") - 1] in ",.$"):
            continue  # "3.45" of a figure, "$1.50"
        game = _GAME_CLOCK.match(s.text, m.end())
        if game:
            slot: tuple[str, ...] = ("game", (game.group("period") or "").lower()[:2], (game.group("unit") or "").lower())
            value = h * 60 + minute
        else:
            if ampm.startswith("p") and h < 12:
                h += 12
            elif ampm.startswith("a") and h == 12:
                h = 0
            elif not ampm and not m.group("zone"):
                continue  # "at 9.30" may be a score or a figure; a clock time says am, pm, hours or a zone
            slot, value = ("zone", (m.group("zone") or "local").upper()), h * 60 + minute
        out.append((slot, value, bool(m.group("approx")), m.group(0).strip()))
    return out
