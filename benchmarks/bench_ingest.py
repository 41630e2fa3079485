"""Ingest speed into Neo4j, in one run:

1. articles/s for extract-only and for extract+write on the same articles (ratio; target >= 0.7:
   writing must not be what makes ingestion slow), for each --workers value;
2. the writer alone on synthetic triples: batched (UNWIND, one transaction per article of
   --batch triples) against one transaction per triple.

Ratios, not absolute times, are what to compare between runs: the machine is shared and noisy, so
extract-only and extract+write are measured back to back in each round and the median of the
per-round ratios is reported.

    python benchmarks/bench_ingest.py --yes [--workers 1 --workers 2] [--triples 2000 --batch 50]

Uses the Neo4j of the settings (KG_NEO4J_BOLT_PORT, KG_NEO4J_URI, ...) and EMPTIES that database
(hence --yes): point it at a scratch server.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._corpus import sample_articles  # noqa: E402
from kg.errors import KGError  # noqa: E402
from kg.ingest import ingest  # noqa: E402
from kg.model import Article, ArticleExtraction, Entity, Evidence, Triple  # noqa: E402
from kg.settings import get_settings  # noqa: E402
from kg.store.factory import open_neo4j_store  # noqa: E402
from kg.store.neo4j_store import Neo4jStore  # noqa: E402
from kg.vocabulary import get_vocabulary  # noqa: E402
from loaders.detect import ArticleSource  # noqa: E402


def _sources(articles: list[Article]) -> list[ArticleSource]:
    return [ArticleSource(a.id, (lambda a=a: a)) for a in articles]  # type: ignore[misc]


def bench_pipeline(
    store: Neo4jStore, articles: list[Article], workers: int, rounds: int
) -> list[tuple[float, float]]:
    """(extract-only articles/s, extract+write articles/s) per round, on the same articles.

    The two are measured back to back in every round, so a busy spell on the shared machine hits
    both alike; the per-round ratio is the paired comparison. One untimed ingest first warms up the
    model and the server's query plans and JIT.
    """
    from kg.extract import Extractor

    extractor = Extractor()
    store.reset()
    ingest(_sources(articles[:10]), store, extractor, workers=1)
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        count = 0
        if workers > 1:
            for _extraction in extractor.extract_many(articles, workers=workers):
                count += 1
        else:
            for article in articles:
                extractor.extract(article)
                count += 1
        extract_rate = count / (time.perf_counter() - started)

        store.reset()
        summary = ingest(_sources(articles), store, extractor, workers=workers)
        if summary.failures:
            raise SystemExit(f"ingest failed: {summary.failures[:3]}")
        out.append((extract_rate, summary.articles / summary.seconds))
    return out


def synthetic(triples: int, batch: int, seed: int = 7) -> list[ArticleExtraction]:
    """Triples over a few hundred entities, so writes share nodes and facts like real news does."""
    rng = random.Random(seed)
    vocab = get_vocabulary()
    kinds = {"Country", "Person"}
    relations = [
        r for r in vocab.relations.values() if kinds & set(r.subject_types) and kinds & set(r.object_types)
    ]
    pool = [Entity(f"country:S{i:03d}", f"State {i}", "Country", [f"State {i}"]) for i in range(150)]
    pool += [Entity(f"person:p-{i}", f"Person {i}", "Person", [f"Person {i}"]) for i in range(150)]
    out: list[ArticleExtraction] = []
    for start in range(0, triples, batch):
        doc = f"syn-{start // batch:05d}"
        article = Article(
            id=doc, body="", published=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
        rows = []
        for i in range(min(batch, triples - start)):
            rel = rng.choice(relations)
            subject = rng.choice([e for e in pool if e.type in rel.subject_types])
            candidates = [e for e in pool if e.type in rel.object_types and e.id != subject.id] or pool
            obj = rng.choice(candidates)
            sentence = f"{subject.name} {rel.name.lower()} {obj.name} ({i})."
            rows.append(
                Triple(
                    doc,
                    subject,
                    rel.name,
                    obj,
                    rng.random() < 0.1,
                    article.published,
                    round(rng.uniform(0.5, 1.0), 2),
                    Evidence(sentence, i * 60, i * 60 + len(sentence)),
                )
            )
        entities = sorted({e.id: e for t in rows for e in (t.subject, t.object)}.values(), key=lambda e: e.id)
        out.append(ArticleExtraction(article, entities, rows))
    return out


def one_per_triple(extractions: list[ArticleExtraction]) -> list[ArticleExtraction]:
    out = []
    for ex in extractions:
        for i, t in enumerate(ex.triples):
            doc = f"{ex.article.id}-t{i}"
            art = Article(id=doc, body="", published=ex.article.published)
            single = Triple(doc, t.subject, t.relation, t.object, t.negated, t.date, t.confidence, t.evidence)
            out.append(ArticleExtraction(art, [t.subject, t.object], [single]))
    return out


def bench_writer(store: Neo4jStore, extractions: list[ArticleExtraction], rounds: int) -> float:
    """Triples per second through write_article (one transaction per extraction), best of `rounds`."""
    count = sum(len(e.triples) for e in extractions)
    best = 0.0
    for _ in range(rounds):
        store.reset()
        started = time.perf_counter()
        for extraction in extractions:
            store.write_article(extraction)
        best = max(best, count / (time.perf_counter() - started))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--yes", action="store_true", help="agree that the target database is emptied")
    parser.add_argument("--workers", type=int, action="append", help="extraction workers (repeatable)")
    parser.add_argument(
        "--min-words", type=int, default=20_000, help="repeat the samples up to this many words"
    )
    parser.add_argument("--triples", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=50, help="triples per transaction in the batched writer")
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds (pipeline); best of (writer)")
    args = parser.parse_args()
    if not args.yes:
        print("bench_ingest empties the Neo4j database of the settings; pass --yes to go on", file=sys.stderr)
        return 2
    try:
        store = open_neo4j_store(get_settings())
    except KGError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    try:
        store.apply_schema()
        articles = sample_articles(min_words=args.min_words)
        words = sum(len(a.body.split()) for a in articles)
        print(
            f"Neo4j {store.ping()['version']} at {get_settings().bolt_uri}; "
            f"{len(articles)} articles, {words} words"
        )
        print()
        print(f"extract-only vs extract+write, {args.rounds} paired rounds (target ratio >= 0.70)")
        print(f"{'workers':>7} {'round':>5} {'extract art/s':>14} {'ingest art/s':>13} {'ratio':>6}")
        for workers in args.workers or [1, 2]:
            pairs = bench_pipeline(store, articles, workers, args.rounds)
            for i, (extract_rate, ingest_rate) in enumerate(pairs, start=1):
                ratio = ingest_rate / extract_rate
                print(f"{workers:>7} {i:>5} {extract_rate:>14.2f} {ingest_rate:>13.2f} {ratio:>6.2f}")
            median = statistics.median(i / e for e, i in pairs)
            print(f"{workers:>7} {'median':>5} {'':>14} {'':>13} {median:>6.2f}")
        print()
        batched = synthetic(args.triples, args.batch)
        single = one_per_triple(batched)
        batched_rate = bench_writer(store, batched, args.rounds)
        single_rate = bench_writer(store, single, args.rounds)
        print(f"writer alone, {args.triples} synthetic triples over 300 entities:")
        print(f"  batched ({args.batch} triples / transaction): {batched_rate:>9.1f} triples/s")
        print(f"  one transaction per triple:          {single_rate:>9.1f} triples/s")
        print(f"  ratio batched / per-triple:          {batched_rate / single_rate:>9.2f}")
        store.reset()
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
