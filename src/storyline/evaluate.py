"""Evaluation: clustering scores (BCubed, pairwise, ARI), correlations, and the labelled-file loaders."""
from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from .errors import UnreadableInput
from .model import Article


def bcubed(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 (Bagga and Baldwin 1998)."""
    n = len(pred)
    if n == 0:
        return 0.0, 0.0, 0.0
    joint = Counter(zip(pred, gold))
    psize, gsize = Counter(pred), Counter(gold)
    p = sum(joint[(a, b)] ** 2 / psize[a] for a, b in joint) / n
    r = sum(joint[(a, b)] ** 2 / gsize[b] for a, b in joint) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 over all pairs of items put together."""
    def pairs(c: Counter[Any]) -> int:
        return sum(v * (v - 1) // 2 for v in c.values())

    tp = pairs(Counter(zip(pred, gold)))
    pp, gp = pairs(Counter(pred)), pairs(Counter(gold))
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ari(pred: Sequence[str], gold: Sequence[str]) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(gold, pred))


def cluster_scores(pred: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    bp, br, bf = bcubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    return {"bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf, "pairwise_precision": pp,
            "pairwise_recall": pr, "pairwise_f1": pf, "ari": ari(pred, gold),
            "predicted_stories": len(set(pred)), "gold_stories": len(set(gold)), "articles": len(pred)}


def read_jsonl(path: str) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise UnreadableInput(f"{path}:{n}", f"invalid JSON ({exc.msg})") from None
    return rows


def article_from_labelled(row: dict[str, Any]) -> Article:
    """An Article from a labelled row: the first line of `text` is the headline unless a title is given."""
    from .readers.base import paragraphs

    text = row.get("text") or row.get("body") or ""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    title = row.get("title") or (lines[0] if lines else "")
    body = lines[1:] if not row.get("title") else paragraphs(text)
    from .language import detect_language

    return Article(title=title, body=body or [title], url=row.get("url"), source=row.get("source"),
                   published_at=row.get("published_at") or row.get("date"),
                   id=str(row["id"]) if row.get("id") is not None else "",
                   language=row.get("language") or detect_language(text))  # as the readers do


def eval_clusters(path: str, engine: Any = None) -> dict[str, Any]:
    """Run the story engine on a labelled stream (field `story`) and score it."""
    from .stories import StoryEngine, cluster_articles

    rows = read_jsonl(path)
    missing = [i for i, r in enumerate(rows, 1) if "story" not in r]
    if missing:
        raise UnreadableInput(path, f"line {missing[0]} has no gold `story` field")
    articles = [article_from_labelled(r) for r in rows]
    gold_of = {a.id: str(r["story"]) for a, r in zip(articles, rows)}
    start = time.perf_counter()
    assignments = cluster_articles(articles, engine or StoryEngine())
    elapsed = time.perf_counter() - start
    final = _final_ids(assignments)
    pred = [final[a.article_id] for a in assignments]
    gold = [gold_of[a.article_id] for a in assignments]
    scores = cluster_scores(pred, gold)
    scores["articles_per_second"] = len(rows) / elapsed if elapsed else float("inf")
    return scores


def _final_ids(assignments: Sequence[Any]) -> dict[str, str]:
    from .stories import resolve_merged

    merged: dict[str, str] = {}
    for a in assignments:
        merged.update(a.merged)
    return {a.article_id: resolve_merged(merged, a.story_id) for a in assignments}


def eval_pairs(path: str) -> dict[str, Any]:
    """Correlation of our similarity with gold scores or labels of text pairs."""
    from scipy.stats import pearsonr, spearmanr

    from .similarity import similarity

    rows = read_jsonl(path)
    ours, gold = [], []
    for n, r in enumerate(rows, 1):
        if "text1" not in r or "text2" not in r:
            raise UnreadableInput(f"{path}:{n}", "a pair needs text1 and text2")
        g = r.get("score", r.get("label"))
        if g is None:
            raise UnreadableInput(f"{path}:{n}", "a pair needs score or label")
        a = article_from_labelled({"text": r["text1"]})
        b = article_from_labelled({"text": r["text2"]})
        ours.append(similarity(a, b).score)
        gold.append(float(g))
    out: dict[str, Any] = {"pairs": len(rows)}
    why = _undefined_correlation(ours, gold)
    if why:  # a correlation is undefined here: say why rather than print nan
        out.update(pearson=None, spearman=None, note=why)
        return out
    out.update(pearson=float(pearsonr(ours, gold)[0]), spearman=float(spearmanr(ours, gold)[0]))
    if set(gold) <= {0.0, 1.0} and len(set(gold)) == 2:
        from sklearn.metrics import roc_auc_score

        out["roc_auc"] = float(roc_auc_score(gold, ours))
    return out



def _undefined_correlation(ours: list[float], gold: list[float]) -> str | None:
    if len(gold) < 2:
        return f"a correlation needs at least 2 pairs; the file has {len(gold)}"
    if len(set(gold)) == 1:
        return f"every gold label is {gold[0]:g}: a correlation needs labels that vary"
    if len(set(ours)) == 1:
        return f"storyline scored every pair {ours[0]:.3f}: a correlation needs scores that vary"
    return None


def lead_summary(documents: list[Article], words: int) -> str:
    """Baseline: the first sentences of the first document, up to the length."""
    out: list[str] = []
    for sent in _sentences(" ".join(documents[0].body)):
        out.append(sent)
        if len(" ".join(out).split()) >= words:
            break
    return _cut(" ".join(out), words)


def centroid_summary(documents: list[Article], words: int) -> str:
    """Baseline: sentences closest to the TF-IDF centroid of the cluster (Radev et al.), without repeats."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    sents = [s for d in documents for s in _sentences(" ".join(d.body))]
    if not sents:
        return ""
    X = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(sents)
    centre = np.asarray(X.mean(axis=0)).ravel()
    scores = X @ centre
    chosen: list[int] = []
    for i in np.argsort(-scores):
        if any((X[i] @ X[j].T).toarray()[0, 0] > 0.5 for j in chosen):
            continue
        chosen.append(int(i))
        if sum(len(sents[j].split()) for j in chosen) >= words:
            break
    return _cut(" ".join(sents[j] for j in chosen), words)


def _sentences(text: str) -> list[str]:
    import re

    return [s.strip() for s in re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”]))\s+(?=[\"“A-Z0-9])", text) if s.strip()]


def _cut(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def eval_summaries(path: str, words: int = 100) -> dict[str, Any]:
    """ROUGE-1/2/L (rouge-score, stemming on, one tokeniser for all) of storyline, lead and centroid."""
    from rouge_score import rouge_scorer

    from .compare import compare_articles

    rows = read_jsonl(path)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    systems = {"storyline": [], "lead": [], "centroid": []}  # type: ignore[var-annotated]
    for n, r in enumerate(rows, 1):
        docs = r.get("documents")
        refs = r.get("references")
        if not docs or not refs:
            raise UnreadableInput(f"{path}:{n}", "a cluster needs documents and references")
        arts = []
        for k, d in enumerate(docs):
            text = d.get("text", "") if isinstance(d, dict) else str(d)
            title = d.get("title", "") if isinstance(d, dict) else ""
            arts.append(Article(title=title or f"document {k + 1}", body=[p for p in text.split("\n") if p.strip()],
                                source=f"doc{k + 1}"))
        ours = _cut(" ".join(i["text"] for i in compare_articles(arts, words=words)["summary"]
                             if not i["text"].startswith(("Sources differ", "A figure was updated", "A date was updated"))), words)
        outputs = {"storyline": ours, "lead": lead_summary(arts, words), "centroid": centroid_summary(arts, words)}
        for name, text in outputs.items():
            best: dict[str, float] = {}
            for ref in refs:
                sc = scorer.score(ref, text)
                for k, v in sc.items():
                    for field_, val in (("recall", v.recall), ("f1", v.fmeasure)):
                        key = f"{k}_{field_}"
                        best[key] = max(best.get(key, 0.0), val)
            systems[name].append(best)
    out: dict[str, Any] = {}
    for name, scores in systems.items():
        out[name] = {k: sum(s[k] for s in scores) / len(scores) for k in scores[0]} if scores else {}
    out["clusters"] = len(rows)
    out["words"] = words
    return out
