"""``kg eval``: score predictions (or a fresh extraction) against a folder of gold files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kg.errors import KGError
from kg.evaluate import EvalReport, evaluate, load_gold, load_predictions


def predictions_for(gold_dir: Path, docs: list[str]) -> list[dict[str, Any]]:
    """Run the extractor over the gold folder's article files (``NNN.txt``)."""
    from kg.extract import Extractor
    from loaders.text import load_text_file

    articles = [load_text_file(gold_dir / f"{doc}.txt") for doc in docs if (gold_dir / f"{doc}.txt").exists()]
    return [t.to_dict() for result in Extractor().extract_many(articles) for t in result.triples]


def run_eval(gold_dir: Path, pred: Path | None) -> EvalReport:
    gold = load_gold(gold_dir)
    predictions = load_predictions(pred) if pred else predictions_for(gold_dir, sorted(gold))
    return evaluate(gold, predictions)


def render(report: EvalReport, console: Console) -> None:
    table = Table(title=f"Extraction scores over {report.documents} documents")
    for col in ("relation", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "relation" else "right")
    for name, s in sorted(report.per_relation.items()):
        table.add_row(
            name, str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}"
        )
    o = report.overall
    table.add_row(
        "[b]overall (micro)[/b]",
        str(o.tp),
        str(o.fp),
        str(o.fn),
        f"{o.precision:.3f}",
        f"{o.recall:.3f}",
        f"[b]{o.f1:.3f}[/b]",
        end_section=True,
    )
    console.print(table)
    console.print(f"date accuracy: {report.date_accuracy:.3f} ({report.dates_correct}/{report.dates_total})")


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_cli(
        gold_dir: Annotated[
            Path, typer.Argument(help="Folder of NNN.gold.json files (and NNN.txt articles)")
        ],
        pred: Annotated[
            Path | None,
            typer.Option(
                help="Predictions as `kg extract --format jsonl` wrote them; "
                "default: run the extractor on the folder's articles"
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
        details: Annotated[
            bool, typer.Option(help="Also list false positives, false negatives, wrong dates")
        ] = False,
    ) -> None:
        """Precision, recall and F1 overall and per relation, and date accuracy, as the spec scores them."""
        try:
            report = run_eval(gold_dir, pred)
        except KGError as e:
            Console(stderr=True).print(f"[red]error:[/red] {e}")
            raise typer.Exit(1) from e
        if as_json:
            typer.echo(json.dumps(report.to_dict(details=details), indent=2, ensure_ascii=False))
            return
        console = Console()
        render(report, console)
        if details:
            for title, rows in (
                ("false positives", report.false_positives),
                ("false negatives", report.false_negatives),
                ("wrong dates", report.wrong_dates),
            ):
                console.print(f"\n[b]{title}[/b] ({len(rows)})")
                for r in rows:
                    console.print(json.dumps(r, ensure_ascii=False), markup=False, highlight=False)
