"""Embedded store (pyoxigraph) against Neo4j in one run: ingest, the API's query mix, RDF export.

Articles are extracted once (the bundled samples, copied under new ids so that copies share entities
the way a real feed does); then each store gets the same writes, the same queries and an export.
Throughputs are printed side by side with the ratio embedded / Neo4j — compare ratios between runs,
not absolute figures: the machine is shared and noisy.

    python benchmarks/bench_store.py [--copies 40] [--rounds 30] [--no-neo4j]

The Neo4j side uses the settings (KG_NEO4J_BOLT_PORT, KG_NEO4J_URI, ...) and EMPTIES that database
before and after: point it at a scratch server.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._corpus import sample_articles  # noqa: E402
from kg.errors import KGError  # noqa: E402
from kg.model import ArticleExtraction, Triple  # noqa: E402
from kg.rdf.transfer import export_store  # noqa: E402
from kg.settings import get_settings  # noqa: E402
from kg.store.base import GraphStore  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402


@dataclass(slots=True)
class Figures:
    backend: str
    articles: int
    ingest_s: float
    evidence: int
    queries: dict[str, float]  # operation -> operations per second
    export_statements: int
    export_s: float
    dump_s: float

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.ingest_s

    @property
    def triples_per_s(self) -> float:
        return self.export_statements / self.export_s


def extractions(copies: int) -> list[ArticleExtraction]:
    from kg.extract import Extractor

    extractor = Extractor()
    base = [extractor.extract(a) for a in sample_articles()]
    out = list(base)
    for n in range(1, copies + 1):
        for ex in base:
            art = replace(ex.article, id=f"{ex.article.id}-c{n}")
            triples = [
                Triple(
                    art.id,
                    t.subject,
                    t.relation,
                    t.object,
                    t.negated,
                    t.date,
                    t.confidence,
                    t.evidence,
                    dict(t.attributes),
                )
                for t in ex.triples
            ]
            out.append(ArticleExtraction(art, list(ex.entities), triples))
    return out


def timed(fn: Callable[[], object], rounds: int) -> float:
    """Operations per second over ``rounds`` calls."""
    start = time.perf_counter()
    for _ in range(rounds):
        fn()
    return rounds / (time.perf_counter() - start)


def query_mix(store: GraphStore, rounds: int) -> dict[str, float]:
    """The calls behind /v1/entities, /v1/entities/{id}, /v1/entities/{id}/relations and /v1/subgraph."""
    hubs = sorted(store.find_facts(limit=100_000), key=lambda f: -f.mention_count)
    ids = list(dict.fromkeys(e for f in hubs for e in (f.subject.id, f.object.id)))[:10]
    names = [store.get_entity(i).name[:4] for i in ids]  # type: ignore[union-attr]
    k = len(ids)
    i = 0

    def nxt() -> int:
        nonlocal i
        i += 1
        return i % k

    return {
        "search_entities": timed(lambda: store.search_entities(q=names[nxt()], limit=20), rounds),
        "get_entity": timed(lambda: store.get_entity(ids[nxt()]), rounds),
        "find_facts(entity)": timed(lambda: store.find_facts(entity=ids[nxt()], limit=100), rounds),
        "subgraph(depth=2)": timed(lambda: store.subgraph(ids[nxt()], depth=2, limit=200), rounds),
        "events(actor)": timed(lambda: store.events(actor=ids[nxt()], limit=100), rounds),
    }


def run(store: GraphStore, data: list[ArticleExtraction], rounds: int, workdir: Path) -> Figures:
    store.reset()
    store.apply_schema()
    start = time.perf_counter()
    for extraction in data:
        store.write_article(extraction)
    ingest_s = time.perf_counter() - start
    stats = store.stats()
    queries = query_mix(store, rounds)
    start = time.perf_counter()
    store.dump()
    dump_s = time.perf_counter() - start
    start = time.perf_counter()
    result = export_store(store, "nq", workdir / f"{store.backend}.nq")
    export_s = time.perf_counter() - start
    return Figures(
        store.backend, len(data), ingest_s, stats.evidence, queries, result.statements, export_s, dump_s
    )


def report(figures: list[Figures]) -> None:
    emb = next(f for f in figures if f.backend == "embedded")
    neo = next((f for f in figures if f.backend == "neo4j"), None)
    print(f"{emb.articles} articles, {emb.evidence} evidence rows, {emb.export_statements} quads exported\n")
    head = f"{'':<22}{'embedded':>12}" + (f"{'neo4j':>12}{'emb/neo4j':>12}" if neo else "")
    print(head)

    def row(label: str, a: float, b: float | None) -> None:
        print(f"{label:<22}{a:>12.1f}" + (f"{b:>12.1f}{a / b:>12.2f}" if b else ""))

    row("ingest articles/s", emb.articles_per_s, neo.articles_per_s if neo else None)
    for op, rate in emb.queries.items():
        row(f"{op} /s", rate, neo.queries[op] if neo else None)
    row("export triples/s", emb.triples_per_s, neo.triples_per_s if neo else None)
    row("  of which dump() s", emb.dump_s, neo.dump_s if neo else None)
    row("  whole export s", emb.export_s, neo.export_s if neo else None)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=40, help="copies of each sample article (new ids)")
    ap.add_argument("--rounds", type=int, default=30, help="calls per query type")
    ap.add_argument("--no-neo4j", action="store_true", help="embedded store only")
    args = ap.parse_args()

    data = extractions(args.copies)
    figures = []
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        work = Path(tmp)
        embedded = EmbeddedStore(work / "embedded")
        try:
            figures.append(run(embedded, data, args.rounds, work))
        finally:
            embedded.close()
        if not args.no_neo4j:
            from kg.store.factory import open_neo4j_store

            try:
                neo = open_neo4j_store(get_settings())
            except KGError as e:
                sys.exit(f"error: {e}\n(run with --no-neo4j for the embedded figures alone)")
            try:
                figures.append(run(neo, data, args.rounds, work))
                neo.reset()
            finally:
                neo.close()
    report(figures)


if __name__ == "__main__":
    main()
