"""Generators of synthetic news streams: stories, several outlets per story, wire copies with
boilerplate. Deterministic for a seed. Two of them:

`stream` (the first one; its output is hashed by benchmarks/stories_hash.py and must not change):
at each article a new story starts with probability 1/4, else one of the open stories is picked
uniformly; a story closes after 1-12 articles. It asks for 1.625 articles per article it gives, so
open stories pile up (about 0.096 more per article: 12,000 open at 100,000 articles, 122,000 at
1,000,000) and each story's articles spread further apart the longer the stream: the median
story spans 0.6 days at 20,000 articles, 2.8 days at 100,000 and 27 days at 1,000,000, where
372,530 of a story's consecutive articles are more than 7 days apart (the engine's window). No
engine bounded by that window can then do better than BCubed R 0.475, F1 0.644 against its gold
at 1,000,000 (the gold split at those gaps, scored against the gold itself).

`realistic_stream`: stories with the lifetimes of news, at a constant rate of articles per day.

- Arrivals. Stories are born as a Poisson process at `per_day / MEAN_ARTICLES` a day; each draws
  a kind, a number of articles and their dates from its birth; the stream is those dates merged.
  Births start BURN_IN_DAYS before `start` (articles dated before it are not given), so the
  stream opens in a news cycle already under way and its rate is flat from the first day
  (`per_day`, 4,320 by default: one article every 20 s on average, as `stream`).
- Kinds (share of stories; articles; dates from birth b, the first article at b):
  flash 72 %: 1 + Geometric(mean 3) articles (mean 4; a quarter are one-offs), b + Exp(tau),
              tau uniform in 4-16 hours: attention decays within a day or two.
  developing 20 %: 4 + Geometric(mean 8) (mean 12), tau uniform in 1-2.5 days: lives 3-8 days.
  running 4 %: lasts D days, D log-uniform in 14-60 (mean 31.6), with r uniform in 1-2.5
              articles a day (mean 55 articles): a quarter at b + Exp(1 day) (the breaking part),
              the rest uniform over D (a war, a campaign, an inquiry): no gap near 7 days.
  returning 4 %: a first part of 4 + Geometric(mean 6) articles, b + Exp(tau), tau 1-2 days;
              then a pause of 10-45 days after its last article, longer than the engine's 7-day
              window; then a second part of 4 + Geometric(mean 6) at r + Exp(0.5-2 days), its
              first article on the day it returns r (a trial resuming, an inquiry reporting).
              Its gold story number is the first part's; `returns` says which stories return
              and from when.
  MEAN_ARTICLES = 0.72*4 + 0.20*12 + 0.04*55.3 + 0.04*20 = 8.3 articles a story, so of the
  articles about 35 % are flash, 29 % developing, 27 % running and 10 % returning; about 520
  stories are born a day.
- Why. Studies of the news cycle find attention to most stories rising and decaying within a
  day or two (Leskovec, Backstrom and Kleinberg, "Meme-tracking and the dynamics of the news
  cycle", KDD 2009; Yang and Leskovec, "Patterns of temporal variation in online media", WSDM
  2011), with a heavy tail of stories followed for weeks and months, and stories that come back
  when events resume (a trial, an inquiry, an anniversary). Most stories are small and the few
  long ones carry a large share of the coverage: here 92 % of stories are flash or developing
  and carry 64 % of the articles. The exact shares are a choice, not a measurement; what the
  benchmark depends on is that almost every story is over within the engine's window, that the
  long ones are continuous (an article every day or so; no two of a part more than MAX_GAP_DAYS,
  6, apart: the rare straggler of an exponential tail is moved closer), and that returns, the
  only gaps longer than the window, are marked.
- Drift. A story keeps its topic, its 20 core terms and its main entities (two people); its 20
  developing terms are each replaced at TERM_DRIFT (0.1) a day (half-life 7 days: after a week
  half of them, a fifth of the story's vocabulary with the topic, is new), and one of its five
  secondary entities (two people, three places or organisations) is replaced at ENTITY_DRIFT
  (0.03) a day. A story back after a month has kept its topic, its core terms and most of its
  entities, and few of its developing terms: it is linkable on entities and terms, not on copy.
- Text is made as in `stream` (same syllables, common words, shares of entities and story terms
  in a paragraph, titles), so the two differ in lifetimes and drift only; a wire copy is only
  made of an agency article less than a day old.
"""
from __future__ import annotations

import heapq
import math
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


DAY = 86400.0
BURN_IN_DAYS = 60.0  # longer than any story but a returning one's pause + parts (at most ~55 days)
TERM_DRIFT = 0.1  # a day, for each developing term
ENTITY_DRIFT = 0.03  # a day, one secondary entity
KINDS = (("flash", 0.72), ("developing", 0.20), ("running", 0.04), ("returning", 0.04))
RUNNING_DAYS = (14.0, 60.0)
RUNNING_RATE = (1.0, 2.5)  # articles a day
PAUSE_DAYS = (10.0, 45.0)
MAX_GAP_DAYS = 6.0  # inside a part (see _continuous)


def _running_mean() -> float:
    lo, hi = RUNNING_DAYS
    return (hi - lo) / math.log(hi / lo) * sum(RUNNING_RATE) / 2


MEAN_ARTICLES = 0.72 * (1 + 3) + 0.20 * (4 + 8) + 0.04 * _running_mean() + 0.04 * 2 * (4 + 6)


def _geometric(rng: random.Random, mean: float) -> int:
    """0, 1, 2, ... with the given mean."""
    return int(math.log(1.0 - rng.random()) / math.log(mean / (1.0 + mean)))


def _burst(rng: random.Random, t0: float, k: int, tau: float) -> list[float]:
    return [t0] + [t0 + rng.expovariate(1.0 / tau) for _ in range(k - 1)]


def _schedule(rng: random.Random, kind: str, b: float) -> list[list[float]]:
    """The dates of a story's articles, one list per part (two for a returning story), sorted."""
    if kind == "flash":
        parts = [_burst(rng, b, 1 + _geometric(rng, 3), rng.uniform(4, 16) * 3600)]
    elif kind == "developing":
        parts = [_burst(rng, b, 4 + _geometric(rng, 8), rng.uniform(1, 2.5) * DAY)]
    elif kind == "running":
        lo, hi = RUNNING_DAYS
        d = math.exp(rng.uniform(math.log(lo), math.log(hi))) * DAY
        k = max(10, round(d / DAY * rng.uniform(*RUNNING_RATE)))
        parts = [[b] + [b + rng.expovariate(1.0 / DAY) if rng.random() < 0.25 else b + rng.uniform(0, d)
                        for _ in range(k - 1)]]
    else:
        first = _burst(rng, b, 4 + _geometric(rng, 6), rng.uniform(1, 2) * DAY)
        back = max(first) + rng.uniform(*PAUSE_DAYS) * DAY
        parts = [first, _burst(rng, back, 4 + _geometric(rng, 6), rng.uniform(0.5, 2) * DAY)]
    return [_continuous(rng, sorted(p)) for p in parts]


def _continuous(rng: random.Random, dates: list[float]) -> list[float]:
    """A part's dates with no two consecutive ones more than MAX_GAP_DAYS apart: a straggler of the
    exponential tail, and all after it, are moved back to 3-MAX_GAP_DAYS days after the one before
    (1-2 % of the developing, running and returning stories), so that the only gaps longer than
    the engine's window are the marked returns."""
    out = dates[:1]
    shift = 0.0
    for d in dates[1:]:
        d -= shift
        if d - out[-1] > MAX_GAP_DAYS * DAY:
            moved = out[-1] + rng.uniform(3.0, MAX_GAP_DAYS) * DAY
            shift += d - moved
            d = moved
        out.append(d)
    return out


def _entity(rng: random.Random, person: bool) -> str:
    return f"{name(rng)} {name(rng, 3)}" if person else name(rng, 3)


def realistic_stream(n: int, seed: int = 1, outlets: int = 60, start: datetime | None = None,
                     per_day: float = 4320.0, returns: dict[int, float] | None = None,
                     kinds: dict[int, str] | None = None) -> Iterator[tuple[Article, int]]:
    """(article, gold story number) in publication order, n of them, with the lifetimes, drift and
    returns of the module's docstring. `returns`, when given, is filled as the stream goes with
    {gold story number: timestamp of the first article of its return} for each story that comes
    back after its pause (its first part given too): its articles from that timestamp on are the
    return, the earlier ones its first part. `kinds`, when given, receives each story's kind."""
    rng = random.Random(seed)
    t0 = (start or datetime(2025, 1, 1, tzinfo=timezone.utc)).timestamp()
    outlet_names = [f"{name(rng)} {rng.choice(['Times', 'Post', 'Herald', 'Daily', 'News'])}" for _ in range(outlets)]
    births = per_day / MEAN_ARTICLES / DAY  # a second
    next_birth = t0 - BURN_IN_DAYS * DAY
    heap: list[tuple[float, int, int, int]] = []  # (date, tie, story key, part)
    stories: dict[int, dict] = {}
    keys = 0
    ties = 0
    story_no = 0
    produced = 0
    cum = [0.0]
    for _, share in KINDS:
        cum.append(cum[-1] + share)
    while produced < n:
        while not heap or next_birth <= heap[0][0]:  # every story born before the next date is scheduled
            r = rng.random()
            kind = next((k for (k, _), hi in zip(KINDS, cum[1:]) if r < hi), KINDS[-1][0])
            keys += 1
            parts = _schedule(rng, kind, next_birth)
            for p, dates in enumerate(parts):
                for d in dates:
                    ties += 1
                    heapq.heappush(heap, (d, ties, keys, p))
            stories[keys] = {"kind": kind, "left": sum(map(len, parts)), "born": next_birth, "no": None,
                             "back": parts[1][0] if len(parts) > 1 else None, "given": [0, 0]}
            next_birth += rng.expovariate(births)
        t, _, key, part = heapq.heappop(heap)
        s = stories[key]
        s["left"] -= 1
        if t >= t0:
            if s["no"] is None:  # the story's first article given: its words and names now
                story_no += 1
                s["no"] = story_no
                topic = rng.choice(TOPICS)
                s.update(topic=topic, ents=[_entity(rng, i < 4) for i in range(7)],
                         core=[name(rng, 2).lower() for _ in range(20)], dev=[name(rng, 2).lower() for _ in range(20)],
                         wire=None, wire_t=0.0, num=rng.randint(2, 900), last=s["born"])
                if kinds is not None:
                    kinds[story_no] = s["kind"]
            _drift(rng, s, t)
            if part == 1 and s["given"][1] == 0 and s["given"][0] and returns is not None:
                returns[s["no"]] = s["back"]
            s["given"][part] += 1
            yield _article(rng, s, t, produced, outlet_names), s["no"]
            produced += 1
        if s["left"] == 0:
            del stories[key]


def _drift(rng: random.Random, s: dict, t: float) -> None:
    """The story's developing terms and secondary entities, as they stand at date t."""
    days = (t - s["last"]) / DAY
    s["last"] = t
    if days <= 0:
        return
    q = 1.0 - math.exp(-TERM_DRIFT * days)
    dev = s["dev"]
    for i in range(len(dev)):
        if rng.random() < q:
            dev[i] = name(rng, 2).lower()
    if rng.random() < 1.0 - math.exp(-ENTITY_DRIFT * days):
        i = rng.randrange(2, 7)
        s["ents"][i] = _entity(rng, i < 4)


def _article(rng: random.Random, s: dict, t: float, produced: int, outlet_names: list[str]) -> Article:
    when = datetime.fromtimestamp(t, tz=timezone.utc).isoformat()
    vocab = s["core"] + s["dev"] + [s["topic"]] * 5
    ents = s["ents"]
    if s["wire"] is not None and t - s["wire_t"] < DAY and rng.random() < 0.3:
        body = list(s["wire"].body)
        if rng.random() < 0.5:
            body = body[:-1]
        body.append(f"{rng.choice(outlet_names)} brings you the news every day. Subscribe now.")
        return Article(title=s["wire"].title, body=body, source=rng.choice(outlet_names),
                       url=f"https://r{produced}.example/{produced}", published_at=when)
    paras = []
    for _ in range(rng.randint(4, 9)):
        words = []
        for _ in range(rng.randint(14, 26)):
            r = rng.random()
            words.append(rng.choice(ents) if r < 0.12 else rng.choice(vocab) if r < 0.45 else rng.choice(COMMON))
        if rng.random() < 0.3:
            words.append(str(s["num"]))
        paras.append(" ".join(words).capitalize() + ".")
    wire = (s["wire"] is None or t - s["wire_t"] >= DAY) and rng.random() < 0.4
    if wire:
        paras[0] = f"{name(rng).upper()} (ANA) — " + paras[0]
    art = Article(title=f"{ents[0]} {s['topic']} {rng.choice(vocab)} {rng.choice(ents[4:])}", body=paras,
                  source=rng.choice(outlet_names), url=f"https://r{produced}.example/{produced}", published_at=when)
    if wire:
        s["wire"], s["wire_t"] = art, t
    return art
