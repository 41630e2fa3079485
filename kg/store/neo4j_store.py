"""The Neo4j backend of :class:`kg.store.base.GraphStore`.

The driver is injected (``kg.store.factory.open_store`` creates it) so tests and the API share one
driver and its connection pool. Each article is written in one ``execute_write`` transaction — the
driver retries it on transient errors (deadlocks, leader switches) — and facts and entities are
re-derived inside that transaction from the evidence and mention rows that remain
(``kg.store.assemble``), which is what makes re-ingestion exact.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DatabaseError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from kg import errors
from kg.errors import NotFoundError, QueryError, StoreError, StoreUnavailableError
from kg.model import Article, ArticleExtraction, Entity
from kg.store import assemble
from kg.store import queries as Q
from kg.store.base import Direction, check_direction
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

T = TypeVar("T")

_PATH_CAP = 1000  # shortest paths fetched before sorting and cutting at `limit`


class Neo4jStore:
    """GraphStore on a Neo4j 5 database reached through an injected driver."""

    backend = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j") -> None:
        self._driver = driver
        self._database = database

    @property
    def driver(self) -> neo4j.Driver:
        return self._driver

    @property
    def database(self) -> str:
        return self._database

    def close(self) -> None:
        self._driver.close()

    def _session(self) -> neo4j.Session:
        # Schema-less labels (no Organization yet) make the server warn on every count; not news.
        return self._driver.session(database=self._database, notifications_min_severity="OFF")

    # --- plumbing --------------------------------------------------------------------------------

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Map driver errors to the project's tree, keeping the cause."""
        try:
            yield
        except errors.KGError:
            raise
        except (ServiceUnavailable, SessionExpired) as e:
            raise StoreUnavailableError(
                f"Neo4j is not reachable while trying to {what} ({e}); start it with `kg neo4j start`"
            ) from e
        except AuthError as e:
            raise StoreUnavailableError(
                f"Neo4j refused the credentials while trying to {what}: {e.message}"
            ) from e
        except ClientError as e:
            raise QueryError(f"Neo4j refused the query while trying to {what}: {e.message}") from e
        except (Neo4jError, DriverError) as e:
            raise StoreError(f"Neo4j failed while trying to {what}: {e}") from e

    def _read(self, work: Callable[[neo4j.ManagedTransaction], T], what: str) -> T:
        with self._errors(what), self._session() as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[neo4j.ManagedTransaction], T], what: str) -> T:
        with self._errors(what), self._session() as session:
            return session.execute_write(work)

    def _rows(self, query: str, what: str, **params: Any) -> list[dict[str, Any]]:
        # Every query returns maps (properties(...)) and scalars, never graph objects, so the record's
        # own values need no hydration walk (Record.data() costs ~0.4 ms per read on a busy endpoint).
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [dict(r) for r in tx.run(query, params)]

        return self._read(work, what)

    # --- lifecycle -------------------------------------------------------------------------------

    def ping(self) -> dict[str, Any]:
        rows = self._rows(Q.PING, "ping the server")
        kernel = next((r for r in rows if r["name"] == "Neo4j Kernel"), rows[0] if rows else {})
        return {
            "backend": self.backend,
            "version": kernel.get("version"),
            "edition": kernel.get("edition"),
            "database": self._database,
        }

    def apply_schema(self) -> None:
        with self._errors("apply the schema"), self._session() as session:
            for statement in Q.schema_statements():
                session.run(statement).consume()
            session.run(Q.AWAIT_INDEXES).consume()

    def reset(self) -> None:
        with self._errors("reset the database"), self._session() as session:
            session.run(Q.RESET_BATCHED).consume()

    # --- writes ----------------------------------------------------------------------------------

    def write_article(self, extraction: ArticleExtraction) -> WriteResult:
        return self.write_articles([extraction])[0]

    def write_articles(self, extractions: Sequence[ArticleExtraction]) -> list[WriteResult]:
        """Several articles in ONE transaction (all or nothing), each replaced as by write_article.

        ``kg ingest`` groups articles that are ready at once, which saves a commit per article; when
        a group fails it writes the articles one by one to pin the failure on its article.
        """
        prepared = [_prepare(e) for e in extractions]  # validates all before anything is sent
        if not prepared:
            return []

        def work(tx: neo4j.ManagedTransaction) -> list[bool]:
            return [_replace_article(tx, *p) for p in prepared]

        first = prepared[0][0]["id"]
        what = f"write article {first}" if len(prepared) == 1 else f"write {len(prepared)} articles"
        replaced = self._write(work, what)
        return [
            WriteResult(
                article_id=row["id"],
                entities=len(entities),
                facts=len({r["fact_id"] for r in evidence}),
                evidence=len(evidence),
                replaced=was,
            )
            for (row, entities, _, evidence), was in zip(prepared, replaced, strict=True)
        ]

    def delete_article(self, article_id: str) -> bool:
        def work(tx: neo4j.ManagedTransaction) -> bool:
            found = tx.run(Q.ARTICLE_EXISTS, id=article_id).single()
            if not found or not found["found"]:
                return False
            _replace_article(tx, {"id": article_id}, [], [], [], delete=True)
            return True

        return self._write(work, f"delete article {article_id}")

    # --- articles --------------------------------------------------------------------------------

    def get_article(self, article_id: str) -> ArticleRecord | None:
        rows = self._rows(Q.GET_ARTICLE, "read an article", id=article_id)
        return _article_record(rows[0]) if rows else None

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[ArticleRecord]:
        rows = self._rows(Q.LIST_ARTICLES, "list articles", limit=_nonneg(limit), offset=_nonneg(offset))
        return [_article_record(r) for r in rows]

    # --- stats and entities ----------------------------------------------------------------------

    def stats(self) -> StoreStats:
        row = self._rows(Q.stats(), "count the graph")[0]
        return StoreStats(
            backend=self.backend,
            articles=row["articles"],
            entities=row["entities"],
            facts=sum(v for k, v in row.items() if k.startswith("rel_")),
            evidence=row["evidence"],
            entities_by_type={k[5:]: v for k, v in sorted(row.items()) if k.startswith("type_") and v},
            facts_by_relation={k[4:]: v for k, v in sorted(row.items()) if k.startswith("rel_") and v},
        )

    def search_entities(
        self, q: str | None = None, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[EntityRecord]:
        if type is not None:
            Q.checked_type(type)
        needle = q.strip().lower() if q and q.strip() else None
        rows = self._rows(Q.SEARCH_ENTITIES, "search entities", q=needle, type=type)
        records = [assemble.entity_record(r["entity"]) for r in rows]
        if needle is not None:
            ranked = [(assemble.search_rank(needle, e.name, e.aliases), e) for e in records]
            records = [
                e
                for rank, e in sorted(
                    ((r, e) for r, e in ranked if r is not None), key=lambda x: (x[0], x[1].name, x[1].id)
                )
            ]
        else:
            records.sort(key=lambda e: (e.name, e.id))
        start = _nonneg(offset)
        return records[start : start + _nonneg(limit)]

    def get_entity(self, entity_id: str) -> EntityRecord | None:
        rows = self._rows(Q.GET_ENTITY, "read an entity", id=entity_id)
        if not rows:
            return None
        counts = {rel: n for rel, n in rows[0]["counts"] if rel in get_vocabulary().relations}
        return assemble.entity_record(rows[0]["entity"], counts)

    # --- facts -----------------------------------------------------------------------------------

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
        anchor = entity or subject or object
        query = Q.find_facts(relation, anchored=anchor is not None)
        rows = self._rows(
            query,
            "find facts",
            anchor=anchor,
            subject=subject,
            object=object,
            entity=entity,
            direction=direction,
            since=since,
            until=until,
            negated=negated,
            symmetric=_symmetric(),
            limit=_nonneg(limit),
            offset=_nonneg(offset),
        )
        return [_fact(r) for r in rows]

    def get_fact(self, fact_id: str) -> FactRecord | None:
        rows = self._rows(Q.GET_FACT, "read a fact", id=fact_id)
        return _fact(rows[0]) if rows else None

    def evidence(self, fact_id: str) -> list[EvidenceRecord]:
        rows = self._rows(Q.EVIDENCE, "read evidence", id=fact_id)
        return [assemble.evidence_record(r["ev"], r["article"]) for r in rows]

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
            Q.checked_relation(type)
            if not vocab.relations[type].is_event:
                raise QueryError(f"{type} is a standing relation, not an event type")
            types = [type]
        else:
            types = [r.name for r in vocab.relations.values() if r.is_event]
        rows = self._rows(
            Q.events(types, anchored=actor is not None),
            "list events",
            actor=actor,
            since=since,
            until=until,
            limit=_nonneg(limit),
            offset=_nonneg(offset),
        )
        return [_fact(r) for r in rows]

    # --- graph shapes ----------------------------------------------------------------------------

    def _require_entity(self, entity_id: str) -> None:
        rows = self._rows(Q.ENTITY_EXISTS, "look up an entity", id=entity_id)
        if not rows or not rows[0]["found"]:
            raise NotFoundError(f"no entity with id {entity_id!r}")

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
        rows = self._rows(
            Q.shortest_paths(max_hops), "find paths", from_id=from_id, to_id=to_id, cap=_PATH_CAP
        )
        paths = [
            PathRecord(
                nodes=[assemble.entity_record(n) for n in r["nodes"]], edges=[_fact(e) for e in r["edges"]]
            )
            for r in rows
        ]
        paths.sort(key=lambda p: assemble.path_sort_key([n.id for n in p.nodes], [e.id for e in p.edges]))
        return paths[: _nonneg(limit)]

    def subgraph(
        self, center: str, depth: int = 1, relation: str | None = None, limit: int = 200
    ) -> SubgraphRecord:
        if relation is not None:
            Q.checked_relation(relation)
        if not 0 <= int(depth) <= 5:
            raise QueryError("depth must be between 0 and 5")
        self._require_entity(center)
        cap = max(1, _nonneg(limit))
        order = [center]
        seen = {center}
        frontier = [center]
        truncated = False
        for _ in range(int(depth)):
            if not frontier:
                break
            found = sorted(
                r["id"] for r in self._rows(Q.neighbours(relation), "expand a subgraph", ids=frontier)
            )
            fresh = [i for i in found if i not in seen]
            if len(order) + len(fresh) > cap:
                fresh, truncated = fresh[: cap - len(order)], True
            order.extend(fresh)
            seen.update(fresh)
            frontier = fresh
            if truncated:
                break
        nodes = {
            r["entity"]["id"]: assemble.entity_record(r["entity"])
            for r in self._rows(Q.GET_ENTITIES, "read subgraph nodes", ids=order)
        }
        edges = [_fact(r) for r in self._rows(Q.edges_among(relation), "read subgraph edges", ids=order)]
        return SubgraphRecord(nodes=[nodes[i] for i in order if i in nodes], edges=edges, truncated=truncated)

    # --- dump / load -----------------------------------------------------------------------------

    def dump(self) -> GraphDump:
        def work(tx: neo4j.ManagedTransaction) -> GraphDump:
            articles = []
            for r in tx.run(Q.DUMP_ARTICLES):
                art = _article_from_props(r["article"]).to_dict()
                art["mentions"] = list(r["mentions"])
                articles.append(art)
            entities = []
            for r in tx.run(Q.DUMP_ENTITIES):
                rec = assemble.entity_record(r["entity"])
                entities.append(Entity(rec.id, rec.name, rec.type, rec.aliases, rec.properties).to_dict())
            evidence = [assemble.row_from_evidence_props(r["ev"]) for r in tx.run(Q.DUMP_EVIDENCE)]
            return GraphDump(articles=articles, entities=entities, evidence=evidence)

        return self._read(work, "dump the graph")

    def load(self, dump: GraphDump) -> None:
        for extraction in assemble.extractions_from_dump(dump):
            self.write_article(extraction)

    # --- raw Cypher (kg query, POST /v1/cypher) ----------------------------------------------------

    def run_cypher(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        write: bool = False,
        timeout: float | None = None,
        row_cap: int | None = None,
    ) -> tuple[list[str], list[dict[str, Any]], bool]:
        """Run an analyst's query; returns (columns, rows as plain data, truncated).

        Read mode runs in a READ access-mode transaction, so the server itself refuses writes.
        """
        if not query or not query.strip():
            raise QueryError("empty query")
        cap = row_cap

        @neo4j.unit_of_work(timeout=timeout)
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[dict[str, Any]], bool]:
            try:
                result = tx.run(query, dict(params or {}))
            except (OverflowError, TypeError, ValueError) as e:  # the driver cannot encode a parameter
                raise QueryError(f"a query parameter cannot be sent to Neo4j: {e}") from e
            keys = list(result.keys())
            rows: list[dict[str, Any]] = []
            truncated = False
            for record in result:
                if cap is not None and len(rows) >= cap:
                    truncated = True
                    break
                rows.append({k: _plain(record[k]) for k in keys})
            result.consume()
            return keys, rows, truncated

        mode = "run a write query" if write else "run a read-only query"
        try:
            with self._errors(mode), self._session() as session:
                if write:
                    return session.execute_write(work)
                return session.execute_read(work)
        except QueryError as e:
            cause = e.__cause__
            code = getattr(cause, "code", "") or ""
            message = str(getattr(cause, "message", "") or "")
            if not write and ("AccessMode" in code or "read access mode" in message):
                raise QueryError(
                    "the query tries to write but runs read-only; pass --write (CLI) to allow writes"
                ) from cause
            if "TransactionTimedOut" in code or "Terminated" in code:
                raise QueryError(f"the query ran longer than the {timeout}s timeout") from cause
            raise
        except StoreUnavailableError:
            raise
        except StoreError as e:
            # Some malformed input trips the server's own parser into an internal error: still the
            # query's fault, not the store's, so a 4xx for the API rather than a 500.
            if isinstance(e.__cause__, DatabaseError):
                raise QueryError(f"Neo4j could not run the query: {e.__cause__.message}") from e.__cause__
            raise

    def counts(self) -> tuple[int, int]:
        """All nodes and relationships (of every kind): what the idempotence tests compare."""
        row = self._rows(Q.COUNT_NODES_AND_RELS, "count nodes")[0]
        return int(row["nodes"]), int(row["relationships"])


# --- the write transaction -------------------------------------------------------------------

Prepared = tuple[dict[str, Any], list[Entity], list[dict[str, Any]], list[dict[str, Any]]]


def _prepare(extraction: ArticleExtraction) -> Prepared:
    """Validated rows of one article: (article properties, entities, mention rows, evidence rows)."""
    assemble.validate_extraction(extraction)
    entities = assemble.mention_entities(extraction)
    mentions = [assemble.mention_row(extraction.article.id, e) for e in entities]
    evidence = [assemble.evidence_node_props(r) for r in assemble.evidence_rows(extraction)]
    return _article_props(extraction.article), entities, mentions, evidence


def _replace_article(
    tx: neo4j.ManagedTransaction,
    article_row: dict[str, Any],
    entities: list[Entity],
    mentions: list[dict[str, Any]],
    evidence: list[dict[str, Any]],
    delete: bool = False,
) -> bool:
    """Replace one article's rows and re-derive what they touched; returns whether it existed.

    Four round trips whatever the article's size: lock and read the old rows, replace the rows,
    read what the touched facts and entities now derive from, write the derived graph.
    """
    vocab = get_vocabulary()
    article_id = article_row["id"]
    head = tx.run(Q.ARTICLE_LOCK_AND_OLD, id=article_id).single()
    assert head is not None
    existed = not head["created"]
    old_facts: list[dict[str, Any]] = list(head["old_facts"])

    new_by_id = {e.id: e for e in entities}
    touched_entities = sorted(set(head["old_entities"]) | set(new_by_id))
    lock_rows = [
        {
            "id": i,
            "name": new_by_id[i].name if i in new_by_id else i,
            "type": new_by_id[i].type if i in new_by_id else "",
        }
        for i in touched_entities
    ]
    if delete:
        tx.run(Q.DELETE_ARTICLE_ROWS, id=article_id, lock=lock_rows).consume()
    else:
        tx.run(
            Q.REPLACE_ARTICLE_ROWS,
            id=article_id,
            row=article_row,
            lock=lock_rows,
            mentions=mentions,
            evidence=evidence,
        ).consume()

    ends: dict[str, dict[str, Any]] = {}
    for row in [*old_facts, *evidence]:
        if row["fact_id"] not in ends:
            s, o = row["subject_id"], row["object_id"]
            if vocab.relations[row["relation"]].symmetric and o < s:
                s, o = o, s
            ends[row["fact_id"]] = {"id": row["fact_id"], "subject_id": s, "object_id": o}
    inputs = tx.run(
        Q.DERIVATION_INPUTS, fact_ids=sorted(ends), entity_ids=touched_entities, fact_keys=list(ends.values())
    ).single()
    assert inputs is not None

    remaining: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ev in inputs["evidence"]:
        remaining[ev["fact_id"]].append(ev)
    current_facts = {f["id"]: f["props"] for f in inputs["facts"]}
    fact_deletes: list[dict[str, Any]] = []
    fact_upserts: list[dict[str, Any]] = []
    for fid, end in sorted(ends.items()):
        fact = assemble.aggregate_fact(remaining.get(fid, []), vocab)
        if fact is None:
            if fid in current_facts:
                fact_deletes.append(end)
            continue
        props = assemble.relationship_props(fact)
        if current_facts.get(fid) != props:
            relation = Q.checked_relation(fact["relation"])
            fact_upserts.append(
                {
                    "relation": relation,
                    "subject_id": fact["subject_id"],
                    "object_id": fact["object_id"],
                    "props": props,
                }
            )

    entity_deletes: list[str] = []
    entity_updates: list[dict[str, Any]] = []
    entity_unlocks: list[str] = []
    for row in inputs["entities"]:
        derived = assemble.merge_mentions(row["id"], row["mentions"], row["aliases"])
        if derived is None:
            entity_deletes.append(row["id"])
            continue
        current = {k: v for k, v in (row["current"] or {}).items() if k != "_lock"}
        if current == derived and derived["type"] in (row["labels"] or []):
            entity_unlocks.append(row["id"])
        else:
            entity_updates.append(
                {"id": row["id"], "type": Q.checked_type(derived["type"]), "props": derived}
            )
    tx.run(
        Q.WRITE_DERIVED,
        fact_deletes=fact_deletes,
        fact_upserts=fact_upserts,
        entity_deletes=entity_deletes,
        entity_updates=entity_updates,
        entity_unlocks=entity_unlocks,
    ).consume()
    return existed


# --- conversions --------------------------------------------------------------------------------


def _article_props(article: Article) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "published": article.published,
        "licence": article.licence,
    }
    if article.metadata:
        props["metadata_json"] = json.dumps(article.metadata, sort_keys=True)
    return {k: v for k, v in props.items() if v is not None}


def _article_from_props(props: Mapping[str, Any]) -> Article:
    return Article(
        id=str(props["id"]),
        body="",
        title=props.get("title"),
        source=props.get("source"),
        url=props.get("url"),
        published=props.get("published"),
        licence=props.get("licence"),
        metadata=json.loads(props.get("metadata_json") or "{}"),
    )


def _article_record(row: Mapping[str, Any]) -> ArticleRecord:
    a = row["article"]
    return ArticleRecord(
        id=str(a["id"]),
        title=a.get("title"),
        url=a.get("url"),
        source=a.get("source"),
        published=a.get("published"),
        licence=a.get("licence"),
        fact_ids=sorted(f for f in row["fact_ids"] if f is not None),
        evidence_count=int(row["evidence_count"]),
    )


def _fact(row: Mapping[str, Any]) -> FactRecord:
    return assemble.fact_record(
        row["relation"],
        row["fact"],
        assemble.entity_record(row["subject"]),
        assemble.entity_record(row["object"]),
    )


def _symmetric() -> list[str]:
    return [r.name for r in get_vocabulary().relations.values() if r.symmetric]


def _nonneg(value: int) -> int:
    if int(value) < 0:
        raise QueryError(f"limit and offset must not be negative (got {value})")
    return int(value)


def _plain(value: Any) -> Any:
    """Driver values (nodes, relationships, paths, temporals) as JSON-friendly data."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": {k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {
            "type": value.type,
            "properties": {k: _plain(v) for k, v in value.items()},
            "start": value.start_node.get("id") if value.start_node else None,
            "end": value.end_node.get("id") if value.end_node else None,
        }
    if isinstance(value, Path):
        return {
            "nodes": [_plain(n) for n in value.nodes],
            "relationships": [_plain(r) for r in value.relationships],
        }
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
