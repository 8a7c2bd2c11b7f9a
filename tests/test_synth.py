"""The realistic generator of benchmarks/synth.py: deterministic, a flat rate a day, and the only
gaps longer than the engine's window inside a gold story are the returns it marks."""
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from synth import DAY, MAX_GAP_DAYS, PAUSE_DAYS, realistic_stream  # noqa: E402

from storyline.dates import to_timestamp  # noqa: E402


def _run(n: int, per_day: float):
    returns: dict[int, float] = {}
    kinds: dict[int, str] = {}
    data = list(realistic_stream(n, seed=3, per_day=per_day, returns=returns, kinds=kinds))
    return data, returns, kinds


def test_realistic_stream_is_deterministic_and_in_order():
    a, ra, _ = _run(1500, 300.0)
    b, rb, _ = _run(1500, 300.0)
    assert [(x.id, x.title, x.body, g) for x, g in a] == [(x.id, x.title, x.body, g) for x, g in b] and ra == rb
    times = [to_timestamp(x.published_at) for x, _ in a]
    assert times == sorted(times) and len({x.id for x, _ in a}) == len(a)


def test_realistic_stream_rate_lifetimes_and_returns():
    data, returns, kinds = _run(9000, 300.0)  # 30 days at 300 a day
    times = defaultdict(list)
    for x, g in data:
        times[g].append(to_timestamp(x.published_at))
    t0 = min(t for v in times.values() for t in v)
    per_day = Counter(int((t - t0) // DAY) for v in times.values() for t in v)
    full = [per_day[d] for d in range(max(per_day))]  # the last day is cut short
    assert all(180 < c < 450 for c in full) and 270 < sum(full) / len(full) < 330, full  # a flat rate, story bursts aside
    assert returns and set(kinds[g] for g in returns) == {"returning"}
    for g, v in times.items():
        v.sort()
        gaps = [(b - a) / DAY for a, b in zip(v, v[1:])]
        if g in returns:
            back = returns[g]
            before = [t for t in v if t < back - 0.5]
            assert before and min(t for t in v if t >= back - 0.5) - max(before) >= PAUSE_DAYS[0] * DAY - 1
            assert sum(1 for x in gaps if x > MAX_GAP_DAYS) == 1
        else:
            assert max(gaps, default=0) <= MAX_GAP_DAYS + 1e-6
    spans = sorted((v[-1] - v[0]) / DAY for g, v in times.items() if kinds[g] == "flash")
    assert spans[len(spans) // 2] < 1.0  # most stories are over within a day or two
