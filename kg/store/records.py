"""What stores return: backend-neutral records, the same shape from Neo4j and the embedded store.

The contract test suite compares these across backends, so every field is plain data
(str, int, float, bool, list, dict, None) with deterministic ordering where lists are sorted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class EntityRecord:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)  # sorted
    properties: dict[str, Any] = field(default_factory=dict)
    relation_counts: dict[str, int] = field(default_factory=dict)  # filled by get_entity only

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class FactRecord:
    """One relationship: a fact merged over every article that supports it."""

    id: str  # kg.model.fact_id(subject, relation, object, negated)
    subject: EntityRecord
    relation: str
    object: EntityRecord
    negated: bool
    dates: list[str]  # sorted distinct event dates (may be empty)
    first_seen: str | None  # earliest Published of a supporting article
    last_seen: str | None
    articles: list[str]  # sorted supporting article ids
    mention_count: int  # evidence sentences over all articles
    confidence: float  # highest
    cameo: str | None = None
    plover: str | None = None
    title: str | None = None  # OFFICIAL_OF
    attributes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class EvidenceRecord:
    fact_id: str
    article_id: str
    sentence: str
    start: int
    end: int
    date: str | None
    confidence: float
    article_title: str | None = None
    article_url: str | None = None
    article_source: str | None = None
    article_published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ArticleRecord:
    id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    licence: str | None
    fact_ids: list[str] = field(default_factory=list)  # sorted
    evidence_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class WriteResult:
    article_id: str
    entities: int  # distinct entities touched by the article
    facts: int  # distinct facts the article supports
    evidence: int  # evidence rows written
    replaced: bool  # the article was there before and its old contributions were replaced


@dataclass(slots=True)
class StoreStats:
    backend: str
    articles: int
    entities: int
    facts: int
    evidence: int
    entities_by_type: dict[str, int] = field(default_factory=dict)
    facts_by_relation: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class PathRecord:
    nodes: list[EntityRecord]
    edges: list[FactRecord]  # edges[i] joins nodes[i] and nodes[i+1] (in either direction)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class SubgraphRecord:
    nodes: list[EntityRecord]
    edges: list[FactRecord]
    truncated: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class GraphDump:
    """The whole graph as plain data: what export writes and import reads back."""

    articles: list[dict[str, Any]]  # Article.to_dict() (body may be empty)
    entities: list[dict[str, Any]]  # Entity.to_dict()
    evidence: list[dict[str, Any]]  # see kg.store.base.evidence_row
