"""``kg demo``: the whole main job with no server — sample articles in, answers out, embedded store.

The demo writes into its own folder (``<data_dir>/demo`` unless told) and empties it first, so running it
twice gives the same output and never touches the store ``kg serve`` or ``kg ingest`` use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from kg.errors import InputError, KGError
from kg.settings import get_settings
from kg.store.embedded import EmbeddedStore
from kg.store.records import EvidenceRecord, FactRecord, StoreStats

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "examples" / "articles"

# (question, relation, negated) shown as example answers, in this order.
QUESTIONS: tuple[tuple[str, str, bool | None], ...] = (
    ("Who met whom?", "MET", False),
    ("Who proposed what?", "PROPOSED", False),
    ("Who agreed to a proposal?", "AGREED_TO", False),
    ("Who has NOT agreed (negated statements)?", "AGREED_TO", True),
    ("Who rejected what?", "REJECTED", None),
    ("Who attacked whom?", "ATTACKED", False),
    ("Who holds which office?", "OFFICIAL_OF", False),
    ("Who is whose proxy?", "PROXY_OF", False),
)


@dataclass(slots=True)
class Answer:
    question: str
    facts: list[FactRecord]
    total: int


@dataclass(slots=True)
class DemoReport:
    store_path: Path
    articles: list[str]
    failures: list[str]
    stats: StoreStats
    answers: list[Answer] = field(default_factory=list)
    example_evidence: list[EvidenceRecord] = field(default_factory=list)


def sample_files(articles_dir: Path) -> list[Path]:
    files = sorted(articles_dir.glob("*.txt"))
    if not files:
        raise InputError(f"no *.txt articles in {articles_dir}")
    return files


def run_demo(store_path: Path, articles_dir: Path = SAMPLE_DIR, per_question: int = 5) -> DemoReport:
    """Extract every sample article into a fresh embedded store and ask it a few questions."""
    from kg.extract import Extractor
    from kg.ingest import ingest
    from loaders.detect import resolve_sources

    files = sample_files(articles_dir)
    store = EmbeddedStore(store_path)
    try:
        store.reset()
        summary = ingest(resolve_sources(str(p) for p in files), store, Extractor())
        written = [w.article_id for w in summary.written]
        failures = [f"{f.label} ({f.stage}): {f.message}" for f in summary.failures]
        answers = []
        for question, relation, negated in QUESTIONS:
            facts = store.find_facts(relation=relation, negated=negated, limit=10_000)
            answers.append(Answer(question, facts[:per_question], len(facts)))
        met = answers[0].facts
        people = [f for f in met if f.subject.type == f.object.type == "Person"]
        shown = (people or met)[:1]
        evidence = store.evidence(shown[0].id)[:2] if shown else []
        return DemoReport(store_path, written, failures, store.stats(), answers, evidence)
    finally:
        store.close()


def _fact_line(f: FactRecord) -> str:
    when = f" on {', '.join(f.dates)}" if f.dates else ""
    title = f" as {f.title}" if f.title else ""
    neg = "NOT " if f.negated else ""
    verb = f.relation.replace("_", " ").lower()
    sources = ", ".join(f.articles)
    return f"  {f.subject.name} {neg}{verb} {f.object.name}{title}{when}  [articles {sources}]"


def render(report: DemoReport) -> str:
    s = report.stats
    lines = [
        f"Ingested {len(report.articles)} sample articles into the embedded store at {report.store_path}",
        f"  {s.entities} entities, {s.facts} facts, {s.evidence} evidence sentences",
        "",
        "Facts per relation:",
        *(f"  {rel:<18} {n}" for rel, n in s.facts_by_relation.items()),
        "",
        "Entities per type:",
        *(f"  {t:<18} {n}" for t, n in s.entities_by_type.items()),
    ]
    for answer in report.answers:
        lines += ["", f"{answer.question} ({answer.total})"]
        lines += [_fact_line(f) for f in answer.facts] or ["  (none found)"]
        if answer.total > len(answer.facts):
            lines.append(f"  … and {answer.total - len(answer.facts)} more")
    if report.example_evidence:
        lines += ["", "Why? The evidence behind a meeting:"]
        lines += [
            f'  [{e.article_id} {e.start}-{e.end}] "{e.sentence.strip()}"' for e in report.example_evidence
        ]
    if report.failures:
        lines += ["", "Articles that failed:", *(f"  {f}" for f in report.failures)]
    lines += [
        "",
        "Next: browse it over HTTP with",
        f"  KG_STORE=embedded KG_EMBEDDED_PATH={report.store_path} kg serve",
        "or export it as Linked Data with",
        f"  KG_STORE=embedded KG_EMBEDDED_PATH={report.store_path} kg export --format trig -o graph.trig",
    ]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_cmd(
        store: Annotated[
            Path | None,
            typer.Option(help="Folder of the demo's embedded store (emptied first); default <data_dir>/demo"),
        ] = None,
        articles: Annotated[Path, typer.Option(help="Folder of *.txt articles to ingest")] = SAMPLE_DIR,
    ) -> None:
        """Ingest the bundled sample articles into an embedded store (no Neo4j) and show what was found."""
        path = store or get_settings().data_dir / "demo"
        try:
            report = run_demo(path, articles)
        except KGError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(1) from e
        typer.echo(render(report))
        if report.failures:
            raise typer.Exit(1)
