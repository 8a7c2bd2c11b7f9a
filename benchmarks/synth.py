"""A generator of realistic synthetic news streams: stories over days, several outlets per story,
wire copies with boilerplate, and background noise. Deterministic for a seed."""
from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from storyline.model import Article

SYL = ["ka", "ro", "mi", "tes", "van", "lor", "den", "sa", "bri", "mo", "ter", "al", "nu", "pe", "gor", "shi", "ul", "dra"]
COMMON = ("the a of and to in on for with said after before new old officials police council government "
          "minister report week month people city region country company market court plan cost workers "
          "residents agency statement spokesman spokeswoman told reporters expected continued added").split()
TOPICS = ["fire", "flood", "election", "strike", "trial", "merger", "storm", "protest", "launch", "crash",
          "budget", "festival", "outbreak", "scandal", "match", "summit", "earthquake", "rescue", "verdict", "tax"]


def name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYL) for _ in range(parts)).capitalize()


def stream(n: int, seed: int = 1, outlets: int = 60, start: datetime | None = None) -> Iterator[tuple[Article, int]]:
    """(article, gold story number) in publication order."""
    rng = random.Random(seed)
    t = start or datetime(2025, 1, 1, tzinfo=timezone.utc)
    outlet_names = [f"{name(rng)} {rng.choice(['Times', 'Post', 'Herald', 'Daily', 'News'])}" for _ in range(outlets)]
    active: list[dict] = []
    story_no = 0
    produced = 0
    while produced < n:
        if not active or rng.random() < 0.25:
            story_no += 1
            topic = rng.choice(TOPICS)
            ents = [f"{name(rng)} {name(rng, 3)}" for _ in range(4)] + [name(rng, 3) for _ in range(3)]
            vocab = [name(rng, 2).lower() for _ in range(40)] + [topic] * 5
            active.append({"no": story_no, "topic": topic, "ents": ents, "vocab": vocab, "left": rng.randint(1, 12),
                           "wire": None, "num": rng.randint(2, 900)})
        s = rng.choice(active)
        t += timedelta(seconds=rng.expovariate(1 / 20))
        if s["wire"] is not None and rng.random() < 0.3:
            body = list(s["wire"].body)
            if rng.random() < 0.5:
                body = body[:-1]
            body.append(f"{rng.choice(outlet_names)} brings you the news every day. Subscribe now.")
            art = Article(title=s["wire"].title, body=body, source=rng.choice(outlet_names),
                          url=f"https://o{produced}.example/{produced}", published_at=t.isoformat())
        else:
            paras = []
            for _ in range(rng.randint(4, 9)):
                words = []
                for _ in range(rng.randint(14, 26)):
                    r = rng.random()
                    words.append(rng.choice(s["ents"]) if r < 0.12 else rng.choice(s["vocab"]) if r < 0.45
                                 else rng.choice(COMMON))
                if rng.random() < 0.3:
                    words.append(str(s["num"]))
                paras.append(" ".join(words).capitalize() + ".")
            wire = s["wire"] is None and rng.random() < 0.4
            if wire:
                paras[0] = f"{name(rng).upper()} (ANA) — " + paras[0]
            art = Article(title=f"{s['ents'][0]} {s['topic']} {rng.choice(s['vocab'])} {rng.choice(s['ents'][4:])}",
                          body=paras, source=rng.choice(outlet_names), url=f"https://o{produced}.example/{produced}",
                          published_at=t.isoformat())
            if wire:
                s["wire"] = art
        yield art, s["no"]
        produced += 1
        s["left"] -= 1
        if s["left"] <= 0:
            active.remove(s)
        if rng.random() < 0.15:  # background noise: a one-off article
            pass
