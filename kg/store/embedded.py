"""The embedded backend of :class:`kg.store.base.GraphStore`: an on-disk RDF store (pyoxigraph), no server.

The store holds the RDF of ``kg.rdf.mapping``: one named graph per article with what that article states
(its metadata, its description of each entity it mentions, one reified ``kg:Evidence`` per evidence row,
and a plain triple per positive statement), plus the derived entities in the default graph. So the data a
user reaches through :meth:`EmbeddedStore.sparql` has the same shape as an exported file.

Derivation follows the Neo4j store through ``kg.store.assemble``: entities are merged from the mentions
of the articles that remain (re-derived on each write, in the same update), facts are aggregated from
their evidence rows when read. Each write is one SPARQL update, which pyoxigraph applies in one
transaction, so a failed write leaves nothing behind.
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, Store

from kg.errors import NotFoundError, QueryError, StoreError, StoreUnavailableError
from kg.model import Article, ArticleExtraction, Entity
from kg.rdf import iris, mapping
from kg.settings import Settings
from kg.store import assemble
from kg.store import sparql_queries as Q
from kg.store.base import EVIDENCE_ROW_KEYS, Direction, check_direction
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
from kg.vocabulary import get_vocabulary

# Derived entities and facts carry one compact row literal per supporting article, so a write re-derives
# a popular entity from one index scan instead of re-reading every article graph that names it, and
# changes only its own row (see _replace_article).
_MENTION_ROW = NamedNode(iris.KG + "mentionRow")
_EVIDENCE_ROWS = NamedNode(iris.KG + "evidenceRows")
_DELETE_DESCRIPTION = "DELETE {{ {node} ?p ?v }} WHERE {{ {node} ?p ?v FILTER(?p != {keep}) }}"
# What assemble.aggregate_fact reads of an evidence row (the sentence stays in the article graph).
_RECORD = NamedNode(iris.KG + "record")
_FACT_ID = NamedNode(iris.KG + "factId")
_PUBLISHED = NamedNode(iris.KG + "published")
_MENTIONS = NamedNode(iris.KG + "mentions")
# evidence-node predicate -> the variable the SPARQL evidence query gives it (see _evidence_row)
_EVIDENCE_PREDICATES = {
    iris.KG + "factId": "fid",
    iris.RDF + "subject": "s",
    iris.RDF + "predicate": "p",
    iris.RDF + "object": "o",
    iris.KG + "negated": "neg",
    iris.KG + "sentence": "sentence",
    iris.KG + "start": "start",
    iris.KG + "end": "end",
    iris.KG + "date": "date",
    iris.KG + "confidence": "conf",
    iris.KG + "cameo": "cameo",
    iris.KG + "plover": "plover",
    iris.KG + "title": "title",
    iris.KG + "attributes": "attrs",
}
_EVIDENCE_VARS = ("ev", "g", "pub", *_EVIDENCE_PREDICATES.values())
_INDEX_FIELDS = (
    "id",
    "fact_id",
    "article_id",
    "subject_id",
    "relation",
    "object_id",
    "negated",
    "date",
    "confidence",
    "start",
    "end",
    "published",
    "cameo",
    "plover",
    "title",
    "attributes",
)
_PATH_CAP = 1000  # shortest paths enumerated before sorting and cutting at `limit` (as Neo4jStore)
_UPDATE_KEYWORDS = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|SERVICE)\b", re.IGNORECASE
)


def default_path(settings: Settings) -> Path:
    return settings.embedded_path or settings.data_dir / "embedded"


class EmbeddedStore:
    """GraphStore on pyoxigraph: on disk at ``path``, in memory when ``path`` is None."""

    backend = "embedded"

    def __init__(self, path: Path | None = None) -> None:
        self._path = Path(path) if path is not None else None
        try:
            if self._path is None:
                self._store = Store()
            else:
                self._path.mkdir(parents=True, exist_ok=True)
                self._store = Store(str(self._path))
        except OSError as e:
            raise StoreUnavailableError(
                f"cannot open the embedded store at {self._path} ({e}); is another kg process using it?"
            ) from e
        self._lock = threading.RLock()
        self._entity_cache: dict[str, dict[str, Any]] | None = None
        self._row_cache: dict[tuple[str, str], dict[str, tuple[Any, Any]]] = {}

    @property
    def path(self) -> Path | None:
        return self._path

    def close(self) -> None:
        try:
            self._store.flush()
        except OSError:
            pass
        del self._store

    # --- plumbing --------------------------------------------------------------------------------

    def _select(self, query: str) -> list[dict[str, Any]]:
        """Rows of a SELECT as {variable: python value} (literals by lexical value, IRIs as strings)."""
        try:
            result = self._store.query(query)
        except (SyntaxError, OSError, RuntimeError, ValueError) as e:
            raise StoreError(f"the embedded store failed a query: {e}") from e
        assert isinstance(result, QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: (None if s[n] is None else s[n].value) for n in names} for s in result]

    def _ask(self, query: str) -> bool:
        try:
            return bool(self._store.query(query))
        except (SyntaxError, OSError) as e:
            raise StoreError(f"the embedded store failed a query: {e}") from e

    def _update(self, update: str, what: str) -> None:
        try:
            self._store.update(update)
        except (SyntaxError, OSError, RuntimeError, ValueError) as e:
            raise StoreError(f"the embedded store failed to {what}: {e}") from e

    # --- lifecycle -------------------------------------------------------------------------------

    def ping(self) -> dict[str, Any]:
        if not hasattr(self, "_store"):
            raise StoreUnavailableError("the embedded store is closed")
        return {
            "backend": self.backend,
            "version": pyoxigraph.__version__,
            "engine": "pyoxigraph",
            "path": str(self._path) if self._path else None,
        }

    def apply_schema(self) -> None:
        """Nothing to create: pyoxigraph indexes every quad position."""

    def reset(self) -> None:
        with self._lock:
            self._entity_cache = None
            self._row_cache.clear()
            try:
                self._store.clear()
            except OSError as e:
                raise StoreError(f"the embedded store failed to reset: {e}") from e

    # --- writes ----------------------------------------------------------------------------------

    def write_article(self, extraction: ArticleExtraction) -> WriteResult:
        assemble.validate_extraction(extraction)
        article = extraction.article
        entities = assemble.mention_entities(extraction)
        rows = assemble.evidence_rows(extraction)
        graph = _article_graph(article, entities, rows)
        with self._lock:
            replaced = self._replace_article(article.id, graph, {e.id: e for e in entities}, rows)
        return WriteResult(
            article_id=article.id,
            entities=len(entities),
            facts=len({r["fact_id"] for r in rows}),
            evidence=len(rows),
            replaced=replaced,
        )

    def delete_article(self, article_id: str) -> bool:
        with self._lock:
            if not self._ask(Q.article_exists(article_id)):
                return False
            self._replace_article(article_id, None, {}, [])
            return True

    def _replace_article(
        self,
        article_id: str,
        graph: list[Quad] | None,
        new_entities: Mapping[str, Entity],
        new_rows: list[dict[str, Any]],
    ) -> bool:
        """One update: drop the article's graph, write the new one, re-derive touched entities and facts."""
        existed = self._ask(Q.article_exists(article_id))
        old_entities = {
            e for e in (iris.entity_id(r["e"]) for r in self._select(Q.article_mentions(article_id))) if e
        }
        old_facts = {r["fid"] for r in self._select(Q.article_fact_ids(article_id))}
        touched_entities = sorted(old_entities | set(new_entities))
        touched_facts = sorted(old_facts | {r["fact_id"] for r in new_rows})

        derived: list[Quad] = []
        dropped: list[Quad] = []  # this article's old per-article rows on derived nodes
        rows_after: dict[tuple[str, str], dict[str, tuple[Any, Any]]] = {}
        entity_props: dict[str, dict[str, Any] | None] = {}
        for entity_id in touched_entities:
            e = NamedNode(iris.entity_iri(entity_id))
            mentions = self._rows(e, _MENTION_ROW)
            if article_id in mentions:
                dropped.append(Quad(e, _MENTION_ROW, mentions.pop(article_id)[0], DefaultGraph()))
            if entity_id in new_entities:
                row = assemble.mention_row(article_id, new_entities[entity_id])
                quad = _row_quad(e, _MENTION_ROW, article_id, row)
                derived.append(quad)
                mentions[article_id] = (quad.object, row)
            rows_after[(e.value, _MENTION_ROW.value)] = mentions
            props = assemble.merge_mentions(entity_id, [m for _, m in mentions.values()])
            entity_props[entity_id] = props
            if props is not None:
                derived += _entity_record_quads(props)
        new_by_fact: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in new_rows:
            new_by_fact[row["fact_id"]].append(_index_row(row))
        for fid in touched_facts:
            f = NamedNode(iris.fact_iri(fid))
            rows = self._rows(f, _EVIDENCE_ROWS)
            if article_id in rows:
                dropped.append(Quad(f, _EVIDENCE_ROWS, rows.pop(article_id)[0], DefaultGraph()))
            if fid in new_by_fact:
                quad = _row_quad(f, _EVIDENCE_ROWS, article_id, new_by_fact[fid])
                derived.append(quad)
                rows[article_id] = (quad.object, new_by_fact[fid])
            rows_after[(f.value, _EVIDENCE_ROWS.value)] = rows
            fact = assemble.aggregate_fact([r for _, per_article in rows.values() for r in per_article])
            if fact is not None:
                derived += _fact_record_quads(fact)

        g = Q.iri(iris.article_iri(article_id))
        ops = [f"DROP SILENT GRAPH {g}"]
        ops += [
            _DELETE_DESCRIPTION.format(node=Q.iri(iris.entity_iri(e)), keep=_MENTION_ROW)
            for e in touched_entities
        ]
        ops += [
            _DELETE_DESCRIPTION.format(node=Q.iri(iris.fact_iri(f)), keep=_EVIDENCE_ROWS)
            for f in touched_facts
        ]
        if dropped:
            ops.append(f"DELETE DATA {{\n{_triples(dropped)}}}")
        inserts = _triples(derived)
        if graph:
            inserts += f"\nGRAPH {g} {{\n{_triples(graph)}}}\n"
        if inserts:
            ops.append(f"INSERT DATA {{\n{inserts}}}")
        try:
            self._update(" ;\n".join(ops), f"write article {article_id}")
        except StoreError:
            self._entity_cache = None  # both rebuilt from the store on the next read
            self._row_cache.clear()
            raise
        self._row_cache.update(rows_after)
        if self._entity_cache is not None:
            for entity_id, derived_props in entity_props.items():
                if derived_props is None:
                    self._entity_cache.pop(entity_id, None)
                else:
                    self._entity_cache[entity_id] = derived_props
        return existed

    def _rows(self, node: NamedNode, predicate: NamedNode) -> dict[str, tuple[Any, Any]]:
        """A derived node's per-article rows: article id -> (the literal as stored, its content).

        Kept parsed in memory after the first read and replaced after each committed write (this
        process is the only writer), which is what keeps writes fast when an entity is in every article.
        """
        key = (node.value, predicate.value)
        cached = self._row_cache.get(key)
        if cached is not None:
            return dict(cached)
        out: dict[str, tuple[Any, Any]] = {}
        for q in self._store.quads_for_pattern(node, predicate, None, DefaultGraph()):
            article_id, content = json.loads(q.object.value)  # type: ignore[union-attr]
            out[article_id] = (q.object, content)
        self._row_cache[key] = out
        return dict(out)

    # --- articles --------------------------------------------------------------------------------

    def get_article(self, article_id: str) -> ArticleRecord | None:
        found = self._articles(self._select(Q.articles(article_id)))
        return found[0] if found else None

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[ArticleRecord]:
        return self._articles(self._select(Q.articles(limit=_nonneg(limit), offset=_nonneg(offset))))

    def _articles(self, rows: list[dict[str, Any]]) -> list[ArticleRecord]:
        if not rows:
            return []
        facts: dict[str, set[str]] = defaultdict(set)
        counts: dict[str, int] = defaultdict(int)
        for r in self._select(Q.article_facts(r["g"] for r in rows)):
            facts[r["g"]].add(r["fid"])
            counts[r["g"]] += 1
        return [
            ArticleRecord(
                id=r["id"],
                title=r["title"],
                url=r["url"],
                source=r["source"],
                published=r["pub"],
                licence=r["lic"],
                fact_ids=sorted(facts.get(r["g"], set())),
                evidence_count=counts.get(r["g"], 0),
            )
            for r in rows
        ]

    # --- stats and entities ----------------------------------------------------------------------

    def stats(self) -> StoreStats:
        by_type = {
            name: int(r["n"])
            for r in self._select(Q.ENTITIES_BY_TYPE)
            if (name := iris.class_name(r["type"])) and int(r["n"])
        }
        by_relation = {
            name: int(r["n"])
            for r in self._select(Q.FACTS_BY_RELATION)
            if (name := iris.relation_name(r["p"])) and int(r["n"])
        }
        return StoreStats(
            backend=self.backend,
            articles=int(self._select(Q.COUNT_ARTICLES)[0]["n"]),
            entities=sum(by_type.values()),
            facts=sum(by_relation.values()),
            evidence=int(self._select(Q.COUNT_EVIDENCE)[0]["n"]),
            entities_by_type=dict(sorted(by_type.items())),
            facts_by_relation=dict(sorted(by_relation.items())),
        )

    def _entities(
        self, ids: Iterable[str] | None = None, type: str | None = None
    ) -> dict[str, dict[str, Any]]:
        """Derived entity properties (flat, as ``assemble.merge_mentions`` gives them) by id.

        Served from an in-process copy of the entity records: this process is the store's only writer
        (pyoxigraph locks the folder), and every write updates the copy after its update commits.
        """
        cache = self._entity_cache
        if cache is None:
            with self._lock:  # not while a write or reset is half-way: the copy would be stale
                cache = {}
                for q in self._store.quads_for_pattern(None, _RECORD, None, DefaultGraph()):
                    if q.subject.value.startswith(iris.ENTITY):  # type: ignore[union-attr]
                        props = json.loads(q.object.value)  # type: ignore[union-attr]
                        cache[props["id"]] = props
                self._entity_cache = cache
        if ids is None:
            return {k: v for k, v in cache.items() if type is None or v["type"] == type}
        out = {}
        for i in ids:
            props = cache.get(i)
            if props is None:  # written by a commit whose copy update this reader overtook
                props = next(
                    (
                        json.loads(q.object.value)  # type: ignore[union-attr]
                        for q in self._store.quads_for_pattern(
                            NamedNode(iris.entity_iri(i)), _RECORD, None, DefaultGraph()
                        )
                    ),
                    None,
                )
            if props is not None and (type is None or props["type"] == type):
                out[i] = props
        return out

    def search_entities(
        self, q: str | None = None, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[EntityRecord]:
        if type is not None:
            _checked_type(type)
        start, count = _nonneg(offset), _nonneg(limit)
        needle = q.strip().lower() if q and q.strip() else None
        records = [assemble.entity_record(p) for p in self._entities(type=type).values()]
        if needle is not None:
            ranked = [(assemble.search_rank(needle, e.name, e.aliases), e) for e in records]
            records = [
                e
                for r, e in sorted(
                    ((r, e) for r, e in ranked if r is not None), key=lambda x: (x[0], x[1].name, x[1].id)
                )
            ]
        else:
            records.sort(key=lambda e: (e.name, e.id))
        return records[start : start + count]

    def get_entity(self, entity_id: str) -> EntityRecord | None:
        props = self._entities([entity_id]).get(entity_id)
        if props is None:
            return None
        counts: dict[str, int] = defaultdict(int)
        for node, _s, _o in self._heads([entity_id]).values():
            relation = self._relation(node)
            if relation is not None:
                counts[relation] += 1
        return assemble.entity_record(props, counts)

    # --- facts -----------------------------------------------------------------------------------

    def _heads(self, ids: Iterable[str]) -> dict[str, tuple[NamedNode, str, str]]:
        """Fact nodes touching any of ``ids``: IRI -> (node, subject id, object id), from quad indexes only.

        Records are not read here: a popular fact's record lists every supporting article, and walking a
        neighbourhood needs only the ends.
        """
        d = DefaultGraph()
        heads: dict[str, tuple[NamedNode, str, str]] = {}
        for entity_id in sorted(set(ids)):
            e = NamedNode(iris.entity_iri(entity_id))
            for pred, other in (
                (mapping.RDF_SUBJECT, mapping.RDF_OBJECT),
                (mapping.RDF_OBJECT, mapping.RDF_SUBJECT),
            ):
                for q in self._store.quads_for_pattern(None, pred, e, d):
                    node = q.subject
                    if not isinstance(node, NamedNode) or node.value in heads:
                        continue
                    ends = [
                        iris.entity_id(str(t.object.value))  # type: ignore[union-attr]
                        for t in self._store.quads_for_pattern(node, other, None, d)
                    ]
                    if not ends or ends[0] is None:
                        continue
                    s, o = (entity_id, ends[0]) if pred == mapping.RDF_SUBJECT else (ends[0], entity_id)
                    heads[node.value] = (node, s, o)
        return heads

    def _relation(self, node: NamedNode) -> str | None:
        for q in self._store.quads_for_pattern(node, mapping.RDF_PREDICATE, None, DefaultGraph()):
            return iris.relation_name(q.object.value)  # type: ignore[union-attr]
        return None

    def _aggregates(
        self,
        *,
        touching: Iterable[str] | None = None,
        fact_ids: Iterable[str] | None = None,
        relations: Iterable[str] | None = None,
        negated: bool | None = None,
        among: Iterable[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Derived facts (``assemble.aggregate_fact`` dicts): those touching entities, with these ids, all.

        Read from pyoxigraph's quad indexes directly: a fact node is found from an end in one index
        lookup, where the equivalent SPARQL join is planned from the wrong side.
        """
        d = DefaultGraph()
        if fact_ids is not None:
            nodes = [NamedNode(iris.fact_iri(fid)) for fid in dict.fromkeys(fact_ids)]
        elif touching is not None or among is not None:
            keep = set(among) if among is not None else None
            rels = set(relations) if relations is not None else None
            nodes = [
                node
                for node, s, o in self._heads(touching if touching is not None else keep or []).values()
                if (keep is None or (s in keep and o in keep))
                and (rels is None or self._relation(node) in rels)
            ]
        else:
            found = []
            for q in self._store.quads_for_pattern(None, _RECORD, None, d):
                if q.subject.value.startswith(iris.FACT):  # type: ignore[union-attr]
                    found.append(json.loads(q.object.value))  # type: ignore[union-attr]
            return _narrow(found, relations, negated, None)
        records = []
        for node in nodes:
            for q in self._store.quads_for_pattern(node, _RECORD, None, d):
                records.append(json.loads(q.object.value))  # type: ignore[union-attr]
        return _narrow(records, relations, negated, set(among) if among is not None else None)

    def _records(self, facts: list[dict[str, Any]]) -> list[FactRecord]:
        """Fact records with their end entities (looked up once)."""
        ents = self._entities({f["subject_id"] for f in facts} | {f["object_id"] for f in facts})
        out = []
        for f in facts:
            s, o = ents.get(f["subject_id"]), ents.get(f["object_id"])
            if s is None or o is None:  # a write committed between the two reads removed it: skip
                continue
            out.append(
                assemble.fact_record(f["relation"], f, assemble.entity_record(s), assemble.entity_record(o))
            )
        return out

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
        check_direction(direction)
        if relation is not None:
            _checked_relation(relation)
        start, count = _nonneg(offset), _nonneg(limit)
        anchor = entity or subject or object
        found = self._aggregates(
            touching=[anchor] if anchor is not None else None,
            relations=[relation] if relation is not None else None,
            negated=negated,
        )
        symmetric = _symmetric()
        found = [
            f for f in found if _fact_filter(f, subject, object, entity, direction, since, until, symmetric)
        ]
        found.sort(key=_fact_order)
        return self._records(found[start : start + count])

    def get_fact(self, fact_id: str) -> FactRecord | None:
        facts = self._records(self._aggregates(fact_ids=[fact_id]))
        return facts[0] if facts else None

    def evidence(self, fact_id: str) -> list[EvidenceRecord]:
        hits = self._store.quads_for_pattern(None, _FACT_ID, Literal(fact_id), None)
        rows = self._evidence_nodes((q.subject, q.graph_name) for q in hits)
        if not rows:
            return []
        arts = {a.id: a.to_dict() for a in self._article_meta({r["article_id"] for r in rows})}
        rows.sort(key=lambda r: (r["article_id"], int(r["start"]), int(r["end"]), r["id"]))
        return [assemble.evidence_record(r, arts.get(r["article_id"])) for r in rows]

    def _evidence_nodes(self, nodes: Iterable[tuple[Any, Any]]) -> list[dict[str, Any]]:
        """Evidence rows of (node, article graph) pairs, read from the quad indexes directly.

        As a SPARQL join the same read is an order of magnitude slower: the planner does not start
        from the one bound term.
        """
        published: dict[str, str | None] = {}
        out = []
        for ev, g in nodes:
            if not isinstance(g, NamedNode):
                continue
            sol: dict[str, Any] = dict.fromkeys(_EVIDENCE_VARS)
            for q in self._store.quads_for_pattern(ev, None, None, g):
                var = _EVIDENCE_PREDICATES.get(q.predicate.value)
                if var is not None:
                    sol[var] = q.object.value  # type: ignore[union-attr]
            if g.value not in published:
                pub = [q.object.value for q in self._store.quads_for_pattern(g, _PUBLISHED, None, g)]  # type: ignore[union-attr]
                published[g.value] = pub[0] if pub else None
            sol.update(ev=ev.value, g=g.value, pub=published[g.value])
            out.append(_evidence_row(sol))
        return out

    def _article_meta(self, ids: Iterable[str]) -> list[Article]:
        out = []
        for article_id in sorted(ids):
            out += [_article(r) for r in self._select(Q.articles(article_id))]
        return out

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
        vocab = get_vocabulary()
        if type is not None:
            _checked_relation(type)
            if not vocab.relations[type].is_event:
                raise QueryError(f"{type} is a standing relation, not an event type")
            types = [type]
        else:
            types = [r.name for r in vocab.relations.values() if r.is_event]
        start, count = _nonneg(offset), _nonneg(limit)
        found = self._aggregates(touching=[actor] if actor is not None else None, relations=types)
        found = [f for f in found if assemble.dates_match(f["dates"], since, until)]
        found.sort(key=lambda f: (not f["dates"], f["dates"][0] if f["dates"] else "", f["id"]))
        return self._records(found[start : start + count])

    # --- graph shapes ----------------------------------------------------------------------------

    def _require_entity(self, entity_id: str) -> None:
        if not self._ask(Q.entity_exists(entity_id)):
            raise NotFoundError(f"no entity with id {entity_id!r}")

    def _adjacent(self, ids: list[str], relation: str | None) -> list[tuple[str, str, str]]:
        """(fact id, subject id, object id) of facts touching ``ids``."""
        return [
            (iris.fact_id(iri), s, o)
            for iri, (node, s, o) in self._heads(ids).items()
            if relation is None or self._relation(node) == relation
        ]

    def paths(self, from_id: str, to_id: str, max_hops: int = 4, limit: int = 10) -> list[PathRecord]:
        if not 1 <= int(max_hops) <= 10:
            raise QueryError("max_hops must be between 1 and 10")
        self._require_entity(from_id)
        self._require_entity(to_id)
        if from_id == to_id:
            entity = self.get_entity(from_id)
            assert entity is not None
            entity.relation_counts = {}
            return [PathRecord(nodes=[entity], edges=[])]
        # Breadth-first layers from `from_id`, keeping every (parent, fact) that reaches a node first.
        dist = {from_id: 0}
        parents: dict[str, set[tuple[str, str]]] = defaultdict(set)
        frontier = [from_id]
        for depth in range(1, int(max_hops) + 1):
            if not frontier or to_id in dist:
                break
            layer: set[str] = set()
            fset = set(frontier)
            for fid, s, o in self._adjacent(frontier, None):
                for here, there in ((s, o), (o, s)):
                    if here in fset and dist.get(there, depth) == depth and there != here:
                        dist[there] = depth
                        parents[there].add((here, fid))
                        layer.add(there)
            frontier = sorted(layer)
        if to_id not in dist:
            return []
        raw: list[tuple[list[str], list[str]]] = []
        stack: list[tuple[str, list[str], list[str]]] = [(to_id, [to_id], [])]
        while stack and len(raw) < _PATH_CAP:
            node, nodes, edges = stack.pop()
            if node == from_id:
                raw.append((nodes[::-1], edges[::-1]))
                continue
            for parent, fid in sorted(parents[node], reverse=True):
                stack.append((parent, [*nodes, parent], [*edges, fid]))
        raw.sort(key=lambda p: assemble.path_sort_key(p[0], p[1]))
        raw = raw[: _nonneg(limit)]
        edge_ids = sorted({e for _, es in raw for e in es})
        facts = {f.id: f for f in self._records(self._aggregates(fact_ids=edge_ids))}
        ents = self._entities({n for ns, _ in raw for n in ns})
        return [
            PathRecord(nodes=[assemble.entity_record(ents[n]) for n in ns], edges=[facts[e] for e in es])
            for ns, es in raw
        ]

    def subgraph(
        self, center: str, depth: int = 1, relation: str | None = None, limit: int = 200
    ) -> SubgraphRecord:
        if relation is not None:
            _checked_relation(relation)
        if not 0 <= int(depth) <= 5:
            raise QueryError("depth must be between 0 and 5")
        self._require_entity(center)
        cap = max(1, _nonneg(limit))
        order, seen, frontier, truncated = [center], {center}, [center], False
        for _ in range(int(depth)):
            if not frontier:
                break
            fset = set(frontier)
            found: set[str] = set()
            for _fid, s, o in self._adjacent(frontier, relation):
                if s in fset:
                    found.add(o)
                if o in fset:
                    found.add(s)
            fresh = [i for i in sorted(found) if i not in seen]
            if len(order) + len(fresh) > cap:
                fresh, truncated = fresh[: cap - len(order)], True
            order.extend(fresh)
            seen.update(fresh)
            frontier = fresh
            if truncated:
                break
        ents = self._entities(order)
        among = self._aggregates(among=order, relations=[relation] if relation else None)
        edges = self._records(sorted(among, key=_fact_order))
        return SubgraphRecord(
            nodes=[assemble.entity_record(ents[i]) for i in order if i in ents],
            edges=edges,
            truncated=truncated,
        )

    # --- dump / load -----------------------------------------------------------------------------

    def dump(self) -> GraphDump:
        mentions: dict[str, list[str]] = defaultdict(list)
        for q in self._store.quads_for_pattern(None, _MENTIONS, None, None):
            art_id, ent_id = iris.article_id(q.subject.value), iris.entity_id(q.object.value)  # type: ignore[union-attr]
            if art_id is not None and ent_id is not None:
                mentions[art_id].append(ent_id)
        articles = []
        for r in self._select(Q.articles()):
            art = _article(r).to_dict()
            art["mentions"] = sorted(mentions.get(art["id"], []))
            articles.append(art)
        entities = []
        for _id, props in sorted(self._entities().items()):
            rec = assemble.entity_record(props)
            entities.append(Entity(rec.id, rec.name, rec.type, rec.aliases, rec.properties).to_dict())
        hits = self._store.quads_for_pattern(None, mapping.RDF_TYPE, mapping.EVIDENCE_CLASS, None)
        rows = self._evidence_nodes((q.subject, q.graph_name) for q in hits)
        rows.sort(key=lambda r: (r["article_id"], int(r["start"]), int(r["end"]), r["id"]))
        evidence = [{k: r[k] for k in EVIDENCE_ROW_KEYS} for r in rows]
        return GraphDump(articles=articles, entities=entities, evidence=evidence)

    def load(self, dump: GraphDump) -> None:
        extractions = assemble.extractions_from_dump(dump)
        for extraction in extractions:  # refuse the whole dump before writing any of it
            assemble.validate_extraction(extraction)
        for extraction in extractions:
            self.write_article(extraction)

    # --- read-only SPARQL (kg sparql, GET/POST /v1/sparql) ------------------------------------------

    def sparql(self, query: str, limit: int | None = 1000) -> dict[str, Any]:
        """Run a read-only SPARQL query over the union of all graphs; refuse updates and SERVICE calls.

        Returns ``{"type": "select", "variables", "rows", "truncated"}`` (rows map variables to
        ``{"type", "value", "datatype"?, "lang"?}``, as in SPARQL JSON results), ``{"type": "ask",
        "boolean"}``, or ``{"type": "graph", "triples", "truncated"}`` for CONSTRUCT/DESCRIBE.
        """
        if not query or not query.strip():
            raise QueryError("empty query")
        stripped = _strip_strings_and_comments(query)
        if re.search(r"\bSERVICE\b", stripped, re.IGNORECASE):
            raise QueryError("SERVICE (federated) queries are refused by this endpoint")
        try:
            result = self._store.query(query, use_default_graph_as_union=True)
        except SyntaxError as e:
            if _UPDATE_KEYWORDS.search(stripped):
                raise QueryError("this endpoint is read-only: SPARQL updates are refused") from e
            raise QueryError(f"invalid SPARQL query: {e}") from e
        except OSError as e:
            raise StoreError(f"the embedded store failed the query: {e}") from e
        cap = None if limit is None else _nonneg(limit)
        if isinstance(result, bool) or isinstance(result, pyoxigraph.QueryBoolean):
            return {"type": "ask", "boolean": bool(result)}
        if isinstance(result, QuerySolutions):
            names = [v.value for v in result.variables]
            out_rows: list[dict[str, Any]] = []
            truncated = False
            for solution in result:
                if cap is not None and len(out_rows) >= cap:
                    truncated = True
                    break
                out_rows.append({n: _term_json(solution[n]) for n in names if solution[n] is not None})
            return {"type": "select", "variables": names, "rows": out_rows, "truncated": truncated}
        triples: list[dict[str, Any]] = []
        truncated = False
        for t in result:
            if cap is not None and len(triples) >= cap:
                truncated = True
                break
            triples.append(
                {
                    "subject": _term_json(t.subject),
                    "predicate": _term_json(t.predicate),
                    "object": _term_json(t.object),
                }
            )
        return {"type": "graph", "triples": triples, "truncated": truncated}

    def quads(self) -> list[Quad]:
        """Everything the store holds (article graphs and derived entities), for tests and debugging."""
        return list(self._store.quads_for_pattern(None, None, None, None))


# --- conversions --------------------------------------------------------------------------------


def _article_graph(article: Article, entities: list[Entity], rows: list[dict[str, Any]]) -> list[Quad]:
    """The article's named graph: what it states plus how it described each entity it mentions."""
    art = article.to_dict()
    graph = mapping.article_graph_quads(art, rows, [e.id for e in entities])
    g = NamedNode(iris.article_iri(article.id))
    for e in entities:
        graph += mapping.entity_quads(e.to_dict(), g)
    return graph


def _triples(quads: Iterable[Quad]) -> str:
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)


def _entity_dict(props: Mapping[str, Any]) -> dict[str, Any]:
    extra = {k: v for k, v in props.items() if k not in assemble.ENTITY_CORE_KEYS}
    return {
        "id": props["id"],
        "name": props["name"],
        "type": props["type"],
        "aliases": list(props.get("aliases") or []),
        "properties": extra,
    }


def _entity_record_quads(props: Mapping[str, Any]) -> list[Quad]:
    """The derived entity (default graph): its RDF description plus the JSON record reads use."""
    quads = mapping.entity_quads(_entity_dict(props))
    e = NamedNode(iris.entity_iri(props["id"]))
    return [*quads, Quad(e, mapping.p("record"), mapping.json_literal(dict(props)), DefaultGraph())]


def _row_quad(node: NamedNode, predicate: NamedNode, article_id: str, content: Any) -> Quad:
    text = json.dumps([article_id, content], sort_keys=True, ensure_ascii=False)
    return Quad(node, predicate, Literal(text, datatype=mapping.RDF_JSON), DefaultGraph())


def _fact_record_quads(fact: Mapping[str, Any]) -> list[Quad]:
    """A derived fact (default graph): its ends for pattern matching plus the JSON record reads use."""
    f = NamedNode(iris.fact_iri(fact["id"]))
    d = DefaultGraph()
    return [
        Quad(f, mapping.RDF_TYPE, mapping.p("Fact"), d),
        Quad(f, mapping.RDF_SUBJECT, NamedNode(iris.entity_iri(fact["subject_id"])), d),
        Quad(f, mapping.RDF_PREDICATE, NamedNode(iris.relation_iri(fact["relation"])), d),
        Quad(f, mapping.RDF_OBJECT, NamedNode(iris.entity_iri(fact["object_id"])), d),
        Quad(f, mapping.p("negated"), mapping.bool_literal(bool(fact["negated"])), d),
        Quad(f, mapping.p("record"), mapping.json_literal(dict(fact)), d),
    ]


def _index_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in _INDEX_FIELDS}


def _evidence_row(r: Mapping[str, Any]) -> dict[str, Any]:
    """A SPARQL evidence solution in ``kg.store.base.evidence_row`` shape (plus ``id`` and ``_ev``)."""
    article_id = iris.article_id(r["g"]) or ""
    relation = iris.relation_name(r["p"])
    if relation is None:
        raise StoreError(f"evidence {r['ev']} has a predicate outside the vocabulary")
    return {
        "_ev": r["ev"],
        "id": f"{article_id}#{r['ev'].rsplit('.', 1)[-1]}",
        "fact_id": r["fid"],
        "article_id": article_id,
        "subject_id": iris.entity_id(r["s"]),
        "relation": relation,
        "object_id": iris.entity_id(r["o"]),
        "negated": r["neg"] in ("true", "1"),
        "date": r["date"],
        "confidence": float(r["conf"]),
        "sentence": r["sentence"],
        "start": int(r["start"]),
        "end": int(r["end"]),
        "published": r["pub"],
        "cameo": r["cameo"],
        "plover": r["plover"],
        "title": r["title"],
        "attributes": json.loads(r["attrs"]) if r["attrs"] else {},
    }


def _article(r: Mapping[str, Any]) -> Article:
    return Article(
        id=r["id"],
        body="",
        title=r["title"],
        source=r["source"],
        url=r["url"],
        published=r["pub"],
        licence=r["lic"],
        metadata=json.loads(r["meta"]) if r["meta"] else {},
    )


def _fact_filter(
    f: Mapping[str, Any],
    subject: str | None,
    object: str | None,
    entity: str | None,
    direction: str,
    since: str | None,
    until: str | None,
    symmetric: set[str],
) -> bool:
    """The Neo4j store's fact filter (kg.store.queries._FACT_FILTER), on a derived fact."""
    s, o, sym = f["subject_id"], f["object_id"], f["relation"] in symmetric
    ends_ok = ((subject is None or s == subject) and (object is None or o == object)) or (
        sym and (subject is None or o == subject) and (object is None or s == object)
    )
    entity_ok = (
        entity is None
        or (direction in ("out", "both") and s == entity)
        or (direction in ("in", "both") and o == entity)
        or (sym and entity in (s, o))
    )
    return ends_ok and entity_ok and assemble.dates_match(f["dates"], since, until)


def _narrow(
    facts: list[dict[str, Any]], relations: Iterable[str] | None, negated: bool | None, among: set[str] | None
) -> list[dict[str, Any]]:
    rels = set(relations) if relations is not None else None
    return [
        f
        for f in facts
        if (rels is None or f["relation"] in rels)
        and (negated is None or bool(f["negated"]) is negated)
        and (among is None or (f["subject_id"] in among and f["object_id"] in among))
    ]


def _fact_order(f: Mapping[str, Any]) -> tuple[str, str, str, bool]:
    """``assemble.fact_sort_key`` on a derived fact, before it becomes a record."""
    return (f["relation"], f["subject_id"], f["object_id"], bool(f["negated"]))


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["lang"] = term.language
        elif term.datatype.value != iris.XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, DefaultGraph):
        return {"type": "default"}
    return {"type": "triple", "value": str(term)}


def _strip_strings_and_comments(query: str) -> str:
    """The query without string literals, IRIs and comments, so keywords inside them are not mistaken."""
    no_strings = re.sub(
        r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', " ", query
    )
    no_iris = re.sub(r"<[^<>\s]*>", " ", no_strings)
    return re.sub(r"#[^\n]*", " ", no_iris)


def _checked_relation(name: str) -> str:
    if name not in get_vocabulary().relations:
        raise QueryError(f"unknown relation {name!r}; known: {', '.join(get_vocabulary().relations)}")
    return name


def _checked_type(name: str) -> str:
    if name not in get_vocabulary().entity_types:
        raise QueryError(f"unknown entity type {name!r}; known: {', '.join(get_vocabulary().entity_types)}")
    return name


def _symmetric() -> set[str]:
    return {r.name for r in get_vocabulary().relations.values() if r.symmetric}


def _nonneg(value: int) -> int:
    if int(value) < 0:
        raise QueryError(f"limit and offset must not be negative (got {value})")
    return int(value)
