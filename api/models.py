"""Request and response models of the HTTP API (kept separate: requests validate, responses document).

Responses are built from the store's backend-neutral records (``kg.store.records``) with the
``from_record`` constructors, so the JSON shape does not depend on the backend.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.pagination import next_cursor
from kg.model import Triple
from kg.store.records import (
    ArticleRecord,
    EntityRecord,
    EvidenceRecord,
    FactRecord,
    PathRecord,
    StoreStats,
    SubgraphRecord,
    WriteResult,
)

# ---------------------------------------------------------------------------------------------
# Requests


class CypherRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(
        min_length=1, description="A read-only Cypher query (no writes, LOAD CSV or procedure calls)"
    )
    params: dict[str, Any] = Field(default_factory=dict, description="Query parameters ($name in the query)")
    limit: int | None = Field(
        default=None, ge=1, description="Row cap for this query (at most the server's cap)"
    )


class SparqlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, description="A SPARQL SELECT, ASK or CONSTRUCT query (no updates)")
    limit: int | None = Field(default=None, ge=1, le=10_000, description="Row cap (at most the server's cap)")


class ArticleCreate(BaseModel):
    """Either ``text`` (with optional metadata) or ``url`` (fetched and extracted by the server)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$",
        description="Article id (derived from the text or URL when omitted); re-posting an id replaces it",
    )
    text: str | None = Field(default=None, min_length=1, description="Article body (plain text)")
    url: str | None = Field(
        default=None,
        max_length=2000,
        pattern=r"^https?://[!-~]+$",
        description="Fetch this page when no text is given; else the source URL (ASCII, percent-encoded)",
    )
    title: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=500)
    published: str | None = Field(
        default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    licence: str | None = Field(default=None, max_length=200)
    metadata: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _text_or_url(self) -> ArticleCreate:
        if self.text is None and self.url is None:
            raise ValueError("give the article text, or a url to fetch")
        if self.text is not None and not self.text.strip():
            raise ValueError("text is blank")
        return self


# ---------------------------------------------------------------------------------------------
# Responses


class EntityRef(BaseModel):
    id: str = Field(examples=["country:USA"])
    name: str
    type: str


class EntityOut(EntityRef):
    aliases: list[str]
    properties: dict[str, Any]

    @classmethod
    def from_record(cls, r: EntityRecord) -> EntityOut:
        return cls(id=r.id, name=r.name, type=r.type, aliases=list(r.aliases), properties=dict(r.properties))


class EntityDetailOut(EntityOut):
    relation_counts: dict[str, int] = Field(description="Number of relationships per relation name")

    @classmethod
    def from_record(cls, r: EntityRecord) -> EntityDetailOut:
        return cls(
            id=r.id,
            name=r.name,
            type=r.type,
            aliases=list(r.aliases),
            properties=dict(r.properties),
            relation_counts=dict(r.relation_counts),
        )


class FactOut(BaseModel):
    """One relationship, merged over every article that supports it."""

    id: str
    subject: EntityRef
    relation: str
    object: EntityRef
    negated: bool
    dates: list[str]
    first_seen: str | None
    last_seen: str | None
    articles: list[str]
    mention_count: int
    confidence: float
    cameo: str | None = None
    plover: str | None = None
    title: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_record(cls, r: FactRecord) -> FactOut:
        return cls(
            id=r.id,
            subject=EntityRef(id=r.subject.id, name=r.subject.name, type=r.subject.type),
            relation=r.relation,
            object=EntityRef(id=r.object.id, name=r.object.name, type=r.object.type),
            negated=r.negated,
            dates=list(r.dates),
            first_seen=r.first_seen,
            last_seen=r.last_seen,
            articles=list(r.articles),
            mention_count=r.mention_count,
            confidence=r.confidence,
            cameo=r.cameo,
            plover=r.plover,
            title=r.title,
            attributes=dict(r.attributes),
        )


class EntityPage(BaseModel):
    items: list[EntityOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class FactPage(BaseModel):
    items: list[FactOut]
    next_cursor: str | None

    @classmethod
    def from_rows(cls, rows: list[FactRecord], offset: int, limit: int) -> FactPage:
        """A page from ``limit + 1`` fetched rows: the extra row only says whether a next page exists."""
        return cls(
            items=[FactOut.from_record(r) for r in rows[:limit]],
            next_cursor=next_cursor(offset, limit, len(rows)),
        )


class EvidenceOut(BaseModel):
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

    @classmethod
    def from_record(cls, r: EvidenceRecord) -> EvidenceOut:
        return cls(**r.to_dict())


class EvidencePage(BaseModel):
    fact: FactOut
    items: list[EvidenceOut]
    next_cursor: str | None


class PathOut(BaseModel):
    length: int = Field(description="Number of hops")
    nodes: list[EntityOut]
    edges: list[FactOut] = Field(description="edges[i] joins nodes[i] and nodes[i+1], in either direction")

    @classmethod
    def from_record(cls, r: PathRecord) -> PathOut:
        return cls(
            length=len(r.edges),
            nodes=[EntityOut.from_record(n) for n in r.nodes],
            edges=[FactOut.from_record(e) for e in r.edges],
        )


class PathsOut(BaseModel):
    from_id: str
    to_id: str
    max_hops: int
    paths: list[PathOut]
    truncated: bool = Field(description="More shortest paths exist than were returned")


class SubgraphOut(BaseModel):
    center: str
    depth: int
    nodes: list[EntityOut]
    edges: list[FactOut]
    truncated: bool = Field(description="The node or edge cap was reached")

    @classmethod
    def from_record(cls, center: str, depth: int, r: SubgraphRecord) -> SubgraphOut:
        return cls(
            center=center,
            depth=depth,
            nodes=[EntityOut.from_record(n) for n in r.nodes],
            edges=[FactOut.from_record(e) for e in r.edges],
            truncated=r.truncated,
        )


class StatsOut(BaseModel):
    backend: str
    articles: int
    entities: int
    facts: int
    evidence: int
    entities_by_type: dict[str, int]
    facts_by_relation: dict[str, int]

    @classmethod
    def from_record(cls, r: StoreStats) -> StatsOut:
        return cls(**r.to_dict())


class StoreHealth(BaseModel):
    reachable: bool
    backend: str | None = None
    info: dict[str, Any] = Field(
        default_factory=dict, description="What the store reports (e.g. server version)"
    )
    error: str | None = None


class HealthOut(BaseModel):
    status: Literal["ok", "unavailable"]
    store: StoreHealth
    versions: dict[str, str]
    capabilities: dict[str, bool]


class CypherOut(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    row_count: int
    truncated: bool = Field(description="The row cap cut the result")


class SparqlOut(BaseModel):
    result: Any = Field(
        description="Whatever the store returns: rows for SELECT, a boolean for ASK, triples for CONSTRUCT"
    )
    truncated: bool | None = None


class ArticleOut(BaseModel):
    id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    licence: str | None
    fact_ids: list[str]
    evidence_count: int

    @classmethod
    def from_record(cls, r: ArticleRecord) -> ArticleOut:
        return cls(**r.to_dict())


class ArticlePage(BaseModel):
    items: list[ArticleOut]
    next_cursor: str | None


class EvidenceSpan(BaseModel):
    sentence: str
    start: int
    end: int


class TripleOut(BaseModel):
    fact_id: str
    subject: EntityRef
    relation: str
    object: EntityRef
    negated: bool
    date: str | None
    confidence: float
    evidence: EvidenceSpan
    attributes: dict[str, Any]

    @classmethod
    def from_triple(cls, t: Triple) -> TripleOut:
        return cls(
            fact_id=t.fact_id,
            subject=EntityRef(id=t.subject.id, name=t.subject.name, type=t.subject.type),
            relation=t.relation,
            object=EntityRef(id=t.object.id, name=t.object.name, type=t.object.type),
            negated=t.negated,
            date=t.date,
            confidence=round(float(t.confidence), 3),
            evidence=EvidenceSpan(sentence=t.evidence.sentence, start=t.evidence.start, end=t.evidence.end),
            attributes=dict(t.attributes),
        )


class WriteSummary(BaseModel):
    entities: int
    facts: int
    evidence: int
    replaced: bool

    @classmethod
    def from_result(cls, r: WriteResult) -> WriteSummary:
        return cls(entities=r.entities, facts=r.facts, evidence=r.evidence, replaced=r.replaced)


class ArticleIngestOut(BaseModel):
    article_id: str
    title: str | None
    url: str | None
    published: str | None
    written: WriteSummary
    entities: list[EntityOut]
    triples: list[TripleOut]


class DeletedOut(BaseModel):
    id: str
    deleted: bool


class ErrorOut(BaseModel):
    """The one error body of the API."""

    error: str = Field(examples=["not_found"])
    detail: Any = Field(description="A message, or for validation errors a list of {loc, msg, type}")
