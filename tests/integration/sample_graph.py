"""The graph integration tests run on: ``examples/articles`` ingested for real.

Articles are read with the project's loader, extracted with ``kg.extract.Extractor`` and written
with ``Neo4jStore.write_article``: the same path ``kg ingest`` takes, so answers are pinned against
what analysts will actually see, not against a hand-made fixture. Extraction (the slow part) runs
once per test session; writing is repeated for every test that wipes the database.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from neo4j import Driver

from kg.model import ArticleExtraction
from kg.store.neo4j_store import Neo4jStore
from loaders.text import load_text_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@lru_cache(maxsize=1)
def example_extractions() -> tuple[ArticleExtraction, ...]:
    """Every sample article through the real extractor, in file-name order."""
    from kg.extract import Extractor

    extractor = Extractor()
    return tuple(extractor.extract(load_text_file(path)) for path in sorted(EXAMPLES.glob("*.txt")))


def ingest_examples(driver: Driver, database: str) -> list[str]:
    """Wipe the database, apply the schema, write every sample article; returns the article ids."""
    store = Neo4jStore(driver, database)
    store.reset()
    store.apply_schema()
    for extraction in example_extractions():
        store.write_article(extraction)
    return [extraction.article.id for extraction in example_extractions()]
