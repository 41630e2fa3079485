"""The core data model shared by the extractor, the stores, the RDF mapping and the API.

Plain dataclasses rather than pydantic: extraction creates many of these per article and the
HTTP layer has its own request/response models anyway.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from kg.vocabulary import get_vocabulary


@dataclass(slots=True)
class Article:
    """An article as loaded: header metadata plus body text (offsets refer to ``body``)."""

    id: str
    body: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY as given
    licence: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Entity:
    id: str  # canonical id, stable across articles (see canonical_id)
    name: str
    type: str  # one of the vocabulary's entity types
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)  # e.g. {"iso3": "USA"}

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, "aliases": list(self.aliases),
                **({"properties": dict(self.properties)} if self.properties else {})}


@dataclass(slots=True)
class Evidence:
    sentence: str
    start: int  # character offsets of the sentence in the article body
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Triple:
    doc: str
    subject: Entity
    relation: str
    object: Entity
    negated: bool
    date: str | None
    confidence: float
    evidence: Evidence
    attributes: dict[str, Any] = field(default_factory=dict)  # title, modality, cameo, plover…

    @property
    def fact_id(self) -> str:
        return fact_id(self.subject.id, self.relation, self.object.id, self.negated)

    def to_dict(self) -> dict[str, Any]:
        """The spec's jsonl output record."""
        return {
            "doc": self.doc,
            "subject": self.subject.to_dict(),
            "relation": self.relation,
            "object": self.object.to_dict(),
            "negated": self.negated,
            "date": self.date,
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence.to_dict(),
            "attributes": dict(self.attributes),
        }


@dataclass(slots=True)
class ArticleExtraction:
    """Everything extracted from one article: the unit a store writes atomically."""

    article: Article
    entities: list[Entity]
    triples: list[Triple]


def fact_id(subject_id: str, relation: str, object_id: str, negated: bool) -> str:
    """Stable id of a fact merged across articles; symmetric relations are order-free."""
    rel = get_vocabulary().relations.get(relation)
    s, o = subject_id, object_id
    if rel is not None and rel.symmetric and o < s:
        s, o = o, s
    key = f"{s}|{relation}|{o}|{'neg' if negated else 'pos'}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    norm = norm.replace("'s ", " ").replace("’s ", " ")
    return _SLUG_RE.sub("-", norm).strip("-") or "x"


def canonical_id(entity_type: str, name: str, iso3: str | None = None) -> str:
    """Canonical id across articles: countries by ISO alpha-3, others by type and normalised name."""
    if entity_type == "Country" and iso3:
        return f"country:{iso3.upper()}"
    return f"{entity_type.lower()}:{slugify(name)}"
