"""`storyline eval`: the quality measures (stories, pairs, alignment, citations, the fact map,
entities, summaries, planted conflicts)."""
from __future__ import annotations

from typing import Any

import click

from ..terminal import console, plain_table
from .base import (
    _emit_json,
    _existing_store,
    _print_scores,
    db_option,
    errors_as_lines,
    json_option,
    main,
)


@main.group("eval")
def eval_group() -> None:
    """Measure storyline on labelled data."""


@eval_group.command("clusters")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@json_option
@errors_as_lines
def eval_clusters_cmd(path: str, as_json: bool) -> None:
    """Story engine on a JSONL stream with a gold `story` field: BCubed, pairwise, ARI."""
    from ..evaluate import eval_clusters

    _print_scores(eval_clusters(path), as_json)


@eval_group.command("pairs")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@json_option
@errors_as_lines
def eval_pairs_cmd(path: str, as_json: bool) -> None:
    """Similarity on labelled pairs (text1, text2, score or label): Pearson, Spearman, ROC-AUC."""
    from ..evaluate import eval_pairs

    _print_scores(eval_pairs(path), as_json)


@eval_group.command("alignment")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--articles", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The articles' texts (default: the file's name without `alignment-`, beside it).")
@json_option
@errors_as_lines
def eval_alignment_cmd(path: str, articles: str | None, as_json: bool) -> None:
    """Fact alignment against ECB+ event coreference: pair precision, sentence recall, F1."""
    from ..compare.evaluation import eval_alignment

    _print_scores(eval_alignment(path, articles), as_json)


@eval_group.command("citations")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--words", type=click.IntRange(min=1), default=120, show_default=True, help="Length of each summary.")
@json_option
@errors_as_lines
def eval_citations_cmd(path: str, words: int, as_json: bool) -> None:
    """Citation support of the summary on gold stories (articles with a `story` field)."""
    from ..compare.evaluation import eval_citations

    _print_scores(eval_citations(path, words), as_json)


@eval_group.command("factmap")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--articles", "articles", type=click.Path(exists=True, dir_okay=False), multiple=True, required=True,
              help="A JSONL of the articles' texts (id, text one sentence a line); repeat for several files.")
@click.option("--half", type=click.Choice(["fit", "check", "all"]), default="all", show_default=True,
              help="The gold's half to score.")
@json_option
@errors_as_lines
def eval_factmap_cmd(path: str, articles: tuple[str, ...], half: str, as_json: bool) -> None:
    """Whole stories against an editor's fact map: fact pairs, agreed and unique precision,
    conflicts and updates by kind, each beside a TF-IDF baseline."""
    from ..compare.factmap import eval_factmap

    _print_scores(eval_factmap(path, articles, half), as_json)


@eval_group.command("entities")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--articles", "articles", type=click.Path(exists=True, dir_okay=False), multiple=True, required=True,
              help="A JSONL of the articles' texts (id, text one sentence a line); repeat for several files.")
@json_option
@errors_as_lines
def eval_entities_cmd(path: str, articles: tuple[str, ...], as_json: bool) -> None:
    """Entity kinds (person, organisation, place, group, event, vehicle) against an annotator's."""
    from ..compare.evaluation import eval_entity_kinds

    _print_scores(eval_entity_kinds(path, list(articles)), as_json)


@eval_group.command("summary")
@click.argument("factmap", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--articles", "articles", type=click.Path(exists=True, dir_okay=False), multiple=True,
              help="With FACTMAP: a JSONL of the articles' texts; repeat for several files.")
@click.option("--half", type=click.Choice(["fit", "check", "all"]), default="all", show_default=True,
              help="With FACTMAP: the gold's half to score.")
@click.option("--references", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Editors' summaries of stored stories (JSONL of {title, summary}), scored on --db.")
@click.option("--words", type=click.IntRange(min=1), default=120, show_default=True, help="Length of the summary.")
@db_option
@json_option
@errors_as_lines
def eval_summary_cmd(factmap: str | None, articles: tuple[str, ...], half: str, references: str | None, words: int,
                     db: str, as_json: bool) -> None:
    """The cited summary against lead and centroid summaries of the same length: on an editor's fact
    map (content weight of the gold facts stated, ROUGE against the facts most articles state), and
    on stored stories an editor summarised (ROUGE)."""
    from ..compare.factmap import read_factmap
    from ..compare.summary_eval import eval_demo_summaries, eval_factmap_summaries

    if not factmap and not references:
        raise click.UsageError("give a FACTMAP (with --articles), or --references with --db")
    scores: dict[str, Any] = {}
    if factmap:
        if not articles:
            raise click.UsageError("FACTMAP needs --articles")
        stories = [s for s in read_factmap(factmap, articles) if half == "all" or s.get("half") == half]
        scores.update({f"factmap_{k}": v for k, v in eval_factmap_summaries(stories, words).items()})
    if references:
        scores.update({f"references_{k}": v for k, v in eval_demo_summaries(_existing_store(db), references, words).items()})
    _print_scores(scores, as_json)


@eval_group.command("conflicts")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--per-kind", type=click.IntRange(min=1), default=40, show_default=True,
              help="Planted pairs of each kind and variant.")
@click.option("--seed", type=int, default=11, show_default=True)
@json_option
@errors_as_lines
def eval_conflicts_cmd(path: str, per_kind: int, seed: int, as_json: bool) -> None:
    """Planted conflicts in real articles (a JSONL with a `story` field): recall per kind, precision,
    and false conflicts on the clean pairs."""
    from ..compare.planted import eval_planted

    _print_scores(eval_planted(path, per_kind, seed), as_json)


@eval_group.command("summaries")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--words", type=click.IntRange(min=1), default=100, show_default=True, help="Summary length for every system.")
@json_option
@errors_as_lines
def eval_summaries_cmd(path: str, words: int, as_json: bool) -> None:
    """ROUGE of our summary beside a lead and a centroid baseline on clusters with reference summaries."""
    from ..evaluate import eval_summaries

    scores = eval_summaries(path, words)
    if as_json:
        _emit_json(scores)
        return
    table = plain_table("system", "rouge1_recall", "rouge1_f1", "rouge2_recall", "rouge2_f1", "rougeL_recall", "rougeL_f1")
    for system, s in scores.items():
        if isinstance(s, dict):
            table.add_row(system, *(f"{s[k]:.4f}" for k in ("rouge1_recall", "rouge1_f1", "rouge2_recall", "rouge2_f1",
                                                             "rougeL_recall", "rougeL_f1")))
    console().print(table)


# -- watch ------------------------------------------------------------------------------
