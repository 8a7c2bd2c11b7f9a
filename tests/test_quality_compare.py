"""Quality gates of the comparison on ECB+ (skip without ../shared): alignment and citations."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_alignment_gate_on_dev(shared):
    from storyline.compare.evaluation import eval_alignment

    r = eval_alignment(str(shared / "data" / "ecbplus" / "alignment-dev.jsonl"))
    assert r["f1"] >= 0.70 and r["pair_precision"] >= 0.70, r


def test_citation_support_on_dev(shared):
    from storyline.compare.evaluation import eval_citations

    r = eval_citations(str(shared / "data" / "ecbplus" / "dev.jsonl"))
    assert r["citation_support"] >= 0.99, r
    assert r["multi_source_sentences"] >= 0.2, r  # citing one source everywhere is not the fix


def test_planted_conflicts_precision_on_dev(shared):
    """A regression guard, not yet the issue's gate (false conflicts 2%, recall 0.85): at 40 a kind,
    dev measures precision 0.89, recall 0.83 and 7% false conflicts on clean pairs; this smaller
    sample moves by a few points."""
    from storyline.compare.planted import eval_planted

    r = eval_planted(str(shared / "data" / "ecbplus" / "dev.jsonl"), per_kind=20)
    assert r["precision"] >= 0.8 and r["recall"] >= 0.7, r
    assert r["false_conflict_rate"] <= 0.12, r
