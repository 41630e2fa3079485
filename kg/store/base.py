"""The ``GraphStore`` protocol: what the CLI, the API and the RDF tools may ask of any backend.

Backends (``kg.store.neo4j_store.Neo4jStore``, ``kg.store.embedded.EmbeddedStore``) implement it
side by side and are checked by one contract suite (``tests/contract``).

Model: a fact (relationship) is identified by ``kg.model.fact_id`` and is *derived* from its
evidence rows: one row per (article, triple). Writing an article replaces that article's rows and
recomputes the facts they touched, which makes ingestion idempotent and re-ingestion of a changed
article exact (no stale evidence, true counts).
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from kg.errors import QueryError
from kg.model import ArticleExtraction, Triple
from kg.store.records import (
    ArticleRecord,
    EntityRecord,
    EvidenceRecord,
    FactRecord,
    GraphDump,
    PathRecord,
    StoreStats,
    SubgraphRecord,
    WriteResult,
)

Direction = Literal["out", "in", "both"]


def check_direction(direction: str) -> None:
    """Both backends refuse a direction outside the protocol's three the same way."""
    if direction not in ("out", "in", "both"):
        raise QueryError(f"direction must be out, in or both, not {direction!r}")


# The keys of an evidence row, in order: the unit every store keeps and every dump carries.
EVIDENCE_ROW_KEYS: tuple[str, ...] = (
    "fact_id",
    "article_id",
    "subject_id",
    "relation",
    "object_id",
    "negated",
    "date",
    "confidence",
    "sentence",
    "start",
    "end",
    "published",
    "cameo",
    "plover",
    "title",
    "attributes",
)


def evidence_row(triple: Triple, published: str | None) -> dict[str, Any]:
    """The flat row a store keeps per triple occurrence (also the unit of export/import)."""
    attrs = dict(triple.attributes)
    return {
        "fact_id": triple.fact_id,
        "article_id": triple.doc,
        "subject_id": triple.subject.id,
        "relation": triple.relation,
        "object_id": triple.object.id,
        "negated": triple.negated,
        "date": triple.date,
        "confidence": float(triple.confidence),
        "sentence": triple.evidence.sentence,
        "start": triple.evidence.start,
        "end": triple.evidence.end,
        "published": published,
        "cameo": attrs.pop("cameo", None),
        "plover": attrs.pop("plover", None),
        "title": attrs.pop("title", None),
        "attributes": attrs,
    }


@runtime_checkable
class GraphStore(Protocol):
    backend: str

    def close(self) -> None: ...

    def ping(self) -> dict[str, Any]:
        """Backend name and version; raises StoreUnavailableError when unreachable."""
        ...

    def apply_schema(self) -> None:
        """Create constraints and indexes (idempotent)."""
        ...

    def write_article(self, extraction: ArticleExtraction) -> WriteResult:
        """Atomically replace everything the article contributed with this extraction."""
        ...

    def delete_article(self, article_id: str) -> bool: ...

    def get_article(self, article_id: str) -> ArticleRecord | None: ...

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[ArticleRecord]: ...

    def reset(self) -> None:
        """Delete all data (schema stays)."""
        ...

    def stats(self) -> StoreStats: ...

    def search_entities(
        self, q: str | None = None, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[EntityRecord]:
        """Case-insensitive search on name and aliases; ordered by relevance then name."""
        ...

    def get_entity(self, entity_id: str) -> EntityRecord | None:
        """The entity with aliases and relation_counts filled."""
        ...

    def find_facts(
        self,
        *,
        subject: str | None = None,
        relation: str | None = None,
        object: str | None = None,
        entity: str | None = None,
        direction: Direction = "both",
        since: str | None = None,
        until: str | None = None,
        negated: bool | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[FactRecord]:
        """Triple-pattern search. ``entity``+``direction`` select facts around one entity.

        since/until compare with the fact's dates (a fact matches when any date is in range);
        facts without dates match only when neither bound is given. Symmetric relations match
        in either orientation. Ordered by (relation, subject id, object id, negated).
        """
        ...

    def get_fact(self, fact_id: str) -> FactRecord | None: ...

    def evidence(self, fact_id: str) -> list[EvidenceRecord]:
        """Sentences and articles behind one fact, ordered by article id then offset."""
        ...

    def events(
        self,
        *,
        type: str | None = None,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[FactRecord]:
        """Event relations as a timeline: ordered by earliest date (undated last), then id."""
        ...

    def paths(self, from_id: str, to_id: str, max_hops: int = 4, limit: int = 10) -> list[PathRecord]:
        """Shortest paths, ignoring direction."""
        ...

    def subgraph(
        self, center: str, depth: int = 1, relation: str | None = None, limit: int = 200
    ) -> SubgraphRecord: ...

    def dump(self) -> GraphDump: ...

    def load(self, dump: GraphDump) -> None:
        """Add a dump's data (export → import into an empty store yields the same graph)."""
        ...
