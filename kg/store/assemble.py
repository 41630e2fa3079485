"""Backend-neutral derivation of entities and facts from per-article mentions and evidence rows.

Both stores (``Neo4jStore`` and ``EmbeddedStore``) keep *rows* — one mention per (article, entity)
and one evidence row per (article, triple) — and derive the visible graph from them. Putting the
derivation rules here, in plain Python, is what lets the contract suite (``tests/contract``) expect
byte-identical records from both backends: an embedded-store implementation should call
:func:`merge_mentions`, :func:`aggregate_fact`, :func:`date_in_range`, :func:`entity_matches` /
:func:`search_rank` and :func:`path_sort_key` rather than re-deciding the rules.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kg.errors import InputError
from kg.model import Article, ArticleExtraction, Entity, Evidence, Triple
from kg.store.base import EVIDENCE_ROW_KEYS, evidence_row
from kg.store.records import EntityRecord, EvidenceRecord, FactRecord, GraphDump
from kg.vocabulary import Vocabulary, get_vocabulary

# Entity node properties that are not free-form ``properties``.
ENTITY_CORE_KEYS = frozenset({"id", "name", "type", "aliases"})


def validate_extraction(extraction: ArticleExtraction, vocabulary: Vocabulary | None = None) -> None:
    """Refuse an extraction a store could only write partially (unknown types, relations, ids)."""
    vocab = vocabulary or get_vocabulary()
    article_id = extraction.article.id
    if not article_id or not isinstance(article_id, str):
        raise InputError("article id must be a non-empty string")
    for entity in mention_entities(extraction):
        if not entity.id:
            raise InputError(f"article {article_id}: entity {entity.name!r} has an empty id")
        if entity.type not in vocab.entity_types:
            raise InputError(f"article {article_id}: entity {entity.id!r} has unknown type {entity.type!r}")
        for key, value in entity.properties.items():
            if key in ENTITY_CORE_KEYS:
                raise InputError(f"article {article_id}: entity {entity.id!r} property {key!r} is reserved")
            if not isinstance(value, str | int | float | bool):
                raise InputError(
                    f"article {article_id}: entity {entity.id!r} property {key!r} is not a scalar"
                )
    for triple in extraction.triples:
        if triple.relation not in vocab.relations:
            raise InputError(f"article {article_id}: unknown relation {triple.relation!r}")
        if triple.doc != article_id:
            raise InputError(f"article {article_id}: triple belongs to document {triple.doc!r}")


def mention_entities(extraction: ArticleExtraction) -> list[Entity]:
    """Entities the article mentions: its entity list plus every triple end, deduplicated by id.

    Triple ends are included so that no fact can point at an entity that no article mentions.
    """
    by_id: dict[str, Entity] = {}
    for entity in [*extraction.entities, *(e for t in extraction.triples for e in (t.subject, t.object))]:
        seen = by_id.get(entity.id)
        if seen is None:
            by_id[entity.id] = Entity(
                entity.id, entity.name, entity.type, sorted(set(entity.aliases)), dict(entity.properties)
            )
        else:
            seen.aliases = sorted(set(seen.aliases) | set(entity.aliases))
            for key, value in entity.properties.items():
                seen.properties.setdefault(key, value)
    return [by_id[k] for k in sorted(by_id)]


def mention_row(article_id: str, entity: Entity) -> dict[str, Any]:
    """What a store keeps per (article, entity): enough to re-derive the entity node."""
    return {
        "article_id": article_id,
        "entity_id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": sorted(set(entity.aliases)),
        "properties_json": json.dumps(entity.properties, sort_keys=True),
    }


def merge_mentions(
    entity_id: str, mentions: Sequence[Mapping[str, Any]], aliases: Iterable[str] = ()
) -> dict[str, Any] | None:
    """The entity as derived from its mentions, or None when no article mentions it any more.

    name: the most frequent name, ties broken by the lowest article id; type likewise;
    aliases: sorted union; properties: per key, the value from the lowest article id.
    Returns flat node properties: id, name, type, aliases plus the free-form properties.

    A mention may stand for several identical ones: ``count`` (default 1) with ``article_id`` the
    lowest of them — how a store that condenses mentions server-side passes them; such a store
    may pass the alias union separately as ``aliases``.
    """
    if not mentions:
        return None
    ordered = sorted(mentions, key=lambda m: str(m["article_id"]))
    name = _most_common([(str(m["name"]), int(m.get("count", 1))) for m in ordered])
    etype = _most_common([(str(m["type"]), int(m.get("count", 1))) for m in ordered])
    union: set[str] = set(aliases)
    props: dict[str, Any] = {}
    for m in ordered:
        union.update(m.get("aliases") or [])
        for key, value in json.loads(m.get("properties_json") or "{}").items():
            props.setdefault(key, value)
    return {**props, "id": entity_id, "name": name, "type": etype, "aliases": sorted(union)}


def _most_common(weighted: list[tuple[str, int]]) -> str:
    """Highest total count; ties go to the value seen first (the list is in article-id order)."""
    counts: Counter[str] = Counter()
    for value, n in weighted:
        counts[value] += n
    best = max(counts.values())
    return next(v for v, _ in weighted if counts[v] == best)


def evidence_rows(extraction: ArticleExtraction) -> list[dict[str, Any]]:
    """Evidence rows of one article, each with a stable ``id`` (article id + position)."""
    article = extraction.article
    rows = []
    for i, triple in enumerate(extraction.triples):
        row = evidence_row(triple, article.published)
        row["id"] = f"{article.id}#{i}"
        rows.append(row)
    return rows


def evidence_node_props(row: Mapping[str, Any]) -> dict[str, Any]:
    """An evidence row flattened to scalar properties (attributes as JSON)."""
    props = {k: v for k, v in row.items() if k != "attributes"}
    props["attributes_json"] = json.dumps(row.get("attributes") or {}, sort_keys=True)
    return props


def row_from_evidence_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """Inverse of :func:`evidence_node_props`: back to the ``evidence_row`` shape (for dumps)."""
    row = {k: props.get(k) for k in EVIDENCE_ROW_KEYS if k != "attributes"}
    row["attributes"] = json.loads(props.get("attributes_json") or "{}")
    return row


def _evidence_sort_key(row: Mapping[str, Any]) -> tuple[str, int, int, str]:
    return (str(row["article_id"]), int(row["start"]), int(row["end"]), str(row.get("id") or ""))


def aggregate_fact(
    rows: Sequence[Mapping[str, Any]], vocabulary: Vocabulary | None = None
) -> dict[str, Any] | None:
    """The fact (relationship) as derived from all its evidence rows, or None when there are none.

    Orientation: symmetric relations run from the lower to the higher entity id. Scalar choices
    (cameo, plover, title, attributes) come from the first row in (article id, offset) order;
    cameo and plover fall back to the vocabulary's codes for event relations.
    """
    if not rows:
        return None
    vocab = vocabulary or get_vocabulary()
    ordered = sorted(rows, key=_evidence_sort_key)
    first = ordered[0]
    relation = str(first["relation"])
    rel = vocab.relations[relation]
    subject_id, object_id = str(first["subject_id"]), str(first["object_id"])
    if rel.symmetric and object_id < subject_id:
        subject_id, object_id = object_id, subject_id
    dates = sorted({str(r["date"]) for r in ordered if r.get("date")})
    published = sorted({str(r["published"]) for r in ordered if r.get("published")})
    articles = sorted({str(r["article_id"]) for r in ordered})
    attributes: dict[str, Any] = {}
    for r in ordered:
        attrs = r.get("attributes")
        if attrs is None and r.get("attributes_json"):
            attrs = json.loads(str(r["attributes_json"]))
        for key, value in (attrs or {}).items():
            attributes.setdefault(key, value)

    def first_of(key: str) -> Any:
        return next((r[key] for r in ordered if r.get(key) is not None), None)

    return {
        "id": str(first["fact_id"]),
        "relation": relation,
        "subject_id": subject_id,
        "object_id": object_id,
        "negated": bool(first["negated"]),
        "dates": dates,
        "first_date": dates[0] if dates else None,
        "last_date": dates[-1] if dates else None,
        "first_seen": published[0] if published else None,
        "last_seen": published[-1] if published else None,
        "articles": articles,
        "article_count": len(articles),
        "mention_count": len(ordered),
        "confidence": max(float(r["confidence"]) for r in ordered),
        "cameo": first_of("cameo") or (rel.cameo if rel.is_event else None),
        "plover": first_of("plover") or (rel.plover if rel.is_event else None),
        "title": first_of("title"),
        "attributes_json": json.dumps(attributes, sort_keys=True),
    }


def relationship_props(fact: Mapping[str, Any]) -> dict[str, Any]:
    """What goes on the relationship itself (its ends and type are structure, not properties)."""
    return {
        k: v for k, v in fact.items() if k not in {"relation", "subject_id", "object_id"} and v is not None
    }


def entity_record(props: Mapping[str, Any], relation_counts: Mapping[str, int] | None = None) -> EntityRecord:
    return EntityRecord(
        id=str(props["id"]),
        name=str(props.get("name") or props["id"]),
        type=str(props.get("type") or ""),
        aliases=sorted(props.get("aliases") or []),
        properties={
            k: v for k, v in sorted(props.items()) if k not in ENTITY_CORE_KEYS and not k.startswith("_")
        },
        relation_counts=dict(sorted((relation_counts or {}).items())),
    )


def fact_record(
    relation: str, props: Mapping[str, Any], subject: EntityRecord, obj: EntityRecord
) -> FactRecord:
    return FactRecord(
        id=str(props["id"]),
        subject=subject,
        relation=relation,
        object=obj,
        negated=bool(props.get("negated", False)),
        dates=sorted(props.get("dates") or []),
        first_seen=props.get("first_seen"),
        last_seen=props.get("last_seen"),
        articles=sorted(props.get("articles") or []),
        mention_count=int(props.get("mention_count") or 0),
        confidence=float(props.get("confidence") or 0.0),
        cameo=props.get("cameo"),
        plover=props.get("plover"),
        title=props.get("title"),
        attributes=json.loads(props.get("attributes_json") or "{}"),
    )


def evidence_record(props: Mapping[str, Any], article: Mapping[str, Any] | None) -> EvidenceRecord:
    art = article or {}
    return EvidenceRecord(
        fact_id=str(props["fact_id"]),
        article_id=str(props["article_id"]),
        sentence=str(props["sentence"]),
        start=int(props["start"]),
        end=int(props["end"]),
        date=props.get("date"),
        confidence=float(props["confidence"]),
        article_title=art.get("title"),
        article_url=art.get("url"),
        article_source=art.get("source"),
        article_published=art.get("published"),
    )


def fact_sort_key(fact: FactRecord) -> tuple[str, str, str, bool]:
    """The protocol's order for find_facts and subgraph edges."""
    return (fact.relation, fact.subject.id, fact.object.id, fact.negated)


def event_sort_key(fact: FactRecord) -> tuple[bool, str, str]:
    """Timeline order: earliest date first, undated last, then fact id."""
    return (not fact.dates, fact.dates[0] if fact.dates else "", fact.id)


def date_in_range(date: str, since: str | None, until: str | None) -> bool:
    """Compare at the bound's precision: ``2024-09-26`` is within ``until=2024-09``.

    A date coarser than a bound (``2024`` against ``since=2024-09``) compares as its prefix, so
    it falls before ``since`` and within ``until``.
    """
    if since is not None and date[: len(since)] < since:
        return False
    if until is not None and date[: len(until)] > until:
        return False
    return True


def dates_match(dates: Iterable[str], since: str | None, until: str | None) -> bool:
    """A fact matches when any date is in range; undated facts only when no bound is given."""
    if since is None and until is None:
        return True
    return any(date_in_range(d, since, until) for d in dates)


def search_rank(q: str, name: str, aliases: Iterable[str]) -> int | None:
    """Relevance of an entity for a case-insensitive search (lower is better; None: no match).

    0 exact name, 1 exact alias, 2 name prefix, 3 alias prefix, 4 name substring, 5 alias substring.
    """
    needle = q.strip().lower()
    low_name = name.lower()
    low_aliases = [a.lower() for a in aliases]
    checks = (
        low_name == needle,
        needle in low_aliases,
        low_name.startswith(needle),
        any(a.startswith(needle) for a in low_aliases),
        needle in low_name,
        any(needle in a for a in low_aliases),
    )
    return next((i for i, ok in enumerate(checks) if ok), None)


def entity_matches(q: str | None, name: str, aliases: Iterable[str]) -> bool:
    return q is None or not q.strip() or search_rank(q, name, aliases) is not None


def path_sort_key(
    node_ids: Sequence[str], edge_ids: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Shortest paths of equal length are returned in (node ids, edge ids) order."""
    return (tuple(node_ids), tuple(edge_ids))


def extractions_from_dump(dump: GraphDump) -> list[ArticleExtraction]:
    """Rebuild per-article extractions from a dump (backend-neutral; the embedded store may reuse it)."""
    entities = {
        e["id"]: Entity(
            e["id"], e["name"], e["type"], list(e.get("aliases") or []), dict(e.get("properties") or {})
        )
        for e in dump.entities
    }
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in dump.evidence:
        by_article[row["article_id"]].append(row)
    out = []
    known = {a["id"] for a in dump.articles}
    article_dicts = list(dump.articles) + [{"id": i, "body": ""} for i in sorted(set(by_article) - known)]
    for a in article_dicts:
        article = Article(
            id=a["id"],
            body=a.get("body") or "",
            title=a.get("title"),
            source=a.get("source"),
            url=a.get("url"),
            published=a.get("published"),
            licence=a.get("licence"),
            metadata=dict(a.get("metadata") or {}),
        )
        triples = []
        for row in by_article.get(article.id, []):
            try:
                subject, obj = entities[row["subject_id"]], entities[row["object_id"]]
            except KeyError as e:
                raise InputError(f"dump evidence of article {article.id} names unknown entity {e}") from e
            attrs = dict(row.get("attributes") or {})
            for key in ("cameo", "plover", "title"):
                if row.get(key) is not None:
                    attrs[key] = row[key]
            triples.append(
                Triple(
                    doc=article.id,
                    subject=subject,
                    relation=row["relation"],
                    object=obj,
                    negated=bool(row["negated"]),
                    date=row.get("date"),
                    confidence=float(row["confidence"]),
                    evidence=Evidence(row["sentence"], int(row["start"]), int(row["end"])),
                    attributes=attrs,
                )
            )
        mentioned = [entities[i] for i in a.get("mentions") or [] if i in entities]
        out.append(ArticleExtraction(article=article, entities=mentioned, triples=triples))
    return out
