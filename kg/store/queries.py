"""Every Cypher statement the Neo4j store runs, in one place.

Values always travel as parameters (``UNWIND $rows``). Labels and relationship types cannot be
parameters in Cypher 5, so the few statements that need one are built by functions here that accept
only names found in ``schema/vocabulary.yaml`` (:func:`checked_relation`, :func:`checked_type`) —
never a user's string unchecked.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import QueryError
from kg.vocabulary import SCHEMA_DIR, get_vocabulary

NEO4J_SCHEMA_DIR = SCHEMA_DIR / "neo4j"


# --- vocabulary-checked names -------------------------------------------------------------------


def checked_relation(name: str) -> str:
    if name not in get_vocabulary().relations:
        raise QueryError(f"unknown relation {name!r}; known: {', '.join(get_vocabulary().relations)}")
    return name


def checked_type(name: str) -> str:
    if name not in get_vocabulary().entity_types:
        raise QueryError(f"unknown entity type {name!r}; known: {', '.join(get_vocabulary().entity_types)}")
    return name


def fact_types(relation: str | None = None) -> str:
    """``MET|PROPOSED|…`` (or the one checked relation) for a relationship pattern."""
    if relation is not None:
        return checked_relation(relation)
    return "|".join(get_vocabulary().relations)


# --- schema ---------------------------------------------------------------------------------------


def schema_statements(directory: Path = NEO4J_SCHEMA_DIR) -> list[str]:
    """Statements of ``schema/neo4j/*.cypher`` plus one relationship index per vocabulary relation."""
    out: list[str] = []
    for path in sorted(directory.glob("*.cypher")):
        text = "\n".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.strip().startswith("//")
        )
        out.extend(s.strip() for s in text.split(";") if s.strip())
    out.extend(relationship_index_statements())
    return out


def relationship_index_statements() -> list[str]:
    return [
        f"CREATE INDEX rel_{r.lower()}_id IF NOT EXISTS FOR ()-[r:{r}]-() ON (r.id)"
        for r in get_vocabulary().relations
    ]


AWAIT_INDEXES = "CALL db.awaitIndexes(300)"

PING = "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition"

# --- writing one article (all inside one transaction) ---------------------------------------------

# Locks the article node first so two writers of one article serialise; returns what it had.
ARTICLE_LOCK_AND_OLD = """
MERGE (a:Article {id: $id})
ON CREATE SET a._new = true
SET a._lock = true
WITH a, coalesce(a._new, false) AS created
REMOVE a._new
WITH a, created
OPTIONAL MATCH (a)-[:HAS_EVIDENCE]->(ev:Evidence)
WITH a, created, collect(ev {.fact_id, .relation, .subject_id, .object_id, .negated}) AS old_facts
OPTIONAL MATCH (a)-[:MENTIONS]->(e:Entity)
RETURN created, old_facts, collect(e.id) AS old_entities
"""

# Replaces the article's rows in one round trip: old evidence and mentions out, touched entities
# locked in id order (callers sort, so concurrent writers cannot deadlock), new rows in.
_REPLACE_ROWS_HEAD = """
MATCH (a:Article {id: $id})
CALL (a) { MATCH (a)-[:HAS_EVIDENCE]->(ev:Evidence) DETACH DELETE ev }
CALL (a) { MATCH (a)-[m:MENTIONS]->(:Entity) DELETE m }
CALL () {
  UNWIND $lock AS row
  MERGE (e:Entity {id: row.id})
  ON CREATE SET e.name = row.name, e.type = row.type, e.aliases = []
  SET e._lock = true
}
"""

REPLACE_ARTICLE_ROWS = (
    _REPLACE_ROWS_HEAD
    + """
SET a = $row
WITH a
CALL (a) {
  UNWIND $mentions AS row
  MATCH (e:Entity {id: row.entity_id})
  CREATE (a)-[:MENTIONS {name: row.name, type: row.type, aliases: row.aliases,
                         properties_json: row.properties_json}]->(e)
}
CALL (a) {
  UNWIND $evidence AS row
  MATCH (s:Entity {id: row.subject_id})
  MATCH (o:Entity {id: row.object_id})
  CREATE (a)-[:HAS_EVIDENCE]->(ev:Evidence)
  SET ev = row
  CREATE (ev)-[:SUBJECT]->(s)
  CREATE (ev)-[:OBJECT]->(o)
}
"""
)

DELETE_ARTICLE_ROWS = (
    _REPLACE_ROWS_HEAD
    + """
DETACH DELETE a
"""
)

# What the touched facts and entities are derived from, read after the rows changed. Mentions
# are condensed on the server (one row per distinct name/type/properties, with its count and
# lowest article id) so a much-mentioned entity does not ship every mention on every write.
DERIVATION_INPUTS = """
CALL () {
  UNWIND $fact_ids AS fid
  MATCH (ev:Evidence {fact_id: fid})
  RETURN collect(properties(ev)) AS evidence
}
CALL () {
  UNWIND $entity_ids AS id
  OPTIONAL MATCH (a:Article)-[m:MENTIONS]->(:Entity {id: id})
  WITH id, m.name AS name, m.type AS type, m.properties_json AS properties_json,
       count(m) AS n, min(a.id) AS first
  WITH id, collect(CASE WHEN n > 0 THEN {name: name, type: type, properties_json: properties_json,
                                         count: n, article_id: first} END) AS condensed
  CALL (id) {
    OPTIONAL MATCH (:Article)-[m:MENTIONS]->(:Entity {id: id})
    UNWIND coalesce(m.aliases, []) AS alias
    RETURN collect(DISTINCT alias) AS aliases
  }
  CALL (id) {
    OPTIONAL MATCH (e:Entity {id: id})
    RETURN properties(e) AS current, labels(e) AS labels
  }
  RETURN collect({id: id, mentions: condensed, aliases: aliases, current: current, labels: labels})
         AS entities
}
CALL () {
  UNWIND $fact_keys AS k
  MATCH (:Entity {id: k.subject_id})-[r {id: k.id}]->(:Entity {id: k.object_id})
  RETURN collect({id: k.id, props: properties(r)}) AS facts
}
RETURN evidence, entities, facts
"""

# Writes what was derived and changed. Unchanged entities only drop their lock: rewriting them
# would churn the full-text index on every article that names them. Relation names and entity
# types arrive as row values, already checked against the vocabulary
# (kg.store.assemble.validate_extraction); $(…) needs Neo4j 5.26.
WRITE_DERIVED = """
CALL () {
  UNWIND $fact_deletes AS row
  MATCH (:Entity {id: row.subject_id})-[r {id: row.id}]->(:Entity {id: row.object_id})
  DELETE r
}
CALL () {
  UNWIND $fact_upserts AS row
  MATCH (s:Entity {id: row.subject_id})
  MATCH (o:Entity {id: row.object_id})
  MERGE (s)-[r:$(row.relation) {id: row.props.id}]->(o)
  SET r = row.props
}
CALL () {
  UNWIND $entity_deletes AS id
  MATCH (e:Entity {id: id})
  DETACH DELETE e
}
CALL () {
  UNWIND $entity_updates AS row
  MATCH (e:Entity {id: row.id})
  SET e = row.props
  SET e:$(row.type)
}
CALL () {
  UNWIND $entity_unlocks AS id
  MATCH (e:Entity {id: id})
  REMOVE e._lock
}
"""


# --- reads ---------------------------------------------------------------------------------------

GET_ARTICLE = """
MATCH (a:Article {id: $id})
OPTIONAL MATCH (a)-[:HAS_EVIDENCE]->(ev:Evidence)
RETURN properties(a) AS article, collect(DISTINCT ev.fact_id) AS fact_ids, count(ev) AS evidence_count
"""

LIST_ARTICLES = """
MATCH (a:Article)
WITH a ORDER BY a.id SKIP $offset LIMIT $limit
OPTIONAL MATCH (a)-[:HAS_EVIDENCE]->(ev:Evidence)
RETURN a.id AS id, properties(a) AS article, collect(DISTINCT ev.fact_id) AS fact_ids,
       count(ev) AS evidence_count
ORDER BY id
"""

GET_ENTITY = """
MATCH (e:Entity {id: $id})
OPTIONAL MATCH (e)-[r]-(:Entity)
WITH e, type(r) AS rel, count(DISTINCT r) AS n
RETURN properties(e) AS entity, collect(CASE WHEN rel IS NULL THEN null ELSE [rel, n] END) AS counts
"""

GET_ENTITIES = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
RETURN properties(e) AS entity
"""

SEARCH_ENTITIES = """
MATCH (e:Entity)
WHERE ($type IS NULL OR e.type = $type)
  AND ($q IS NULL OR toLower(e.name) CONTAINS $q OR any(a IN e.aliases WHERE toLower(a) CONTAINS $q))
RETURN properties(e) AS entity
"""

# Facts: one variant anchored on a known entity (index lookup, then expand), one scanning.
_FACT_FILTER = """
WHERE ($negated IS NULL OR r.negated = $negated)
  AND ((($subject IS NULL OR s.id = $subject) AND ($object IS NULL OR o.id = $object))
       OR (type(r) IN $symmetric AND ($subject IS NULL OR o.id = $subject)
           AND ($object IS NULL OR s.id = $object)))
  AND ($entity IS NULL
       OR ($direction IN ['out', 'both'] AND s.id = $entity)
       OR ($direction IN ['in', 'both'] AND o.id = $entity)
       OR (type(r) IN $symmetric AND (s.id = $entity OR o.id = $entity)))
  AND (($since IS NULL AND $until IS NULL)
       OR any(d IN coalesce(r.dates, []) WHERE ($since IS NULL OR left(d, size($since)) >= $since)
                                       AND ($until IS NULL OR left(d, size($until)) <= $until)))
"""

_FACT_RETURN = """
RETURN type(r) AS relation, properties(r) AS fact, properties(s) AS subject, properties(o) AS object
ORDER BY relation, s.id, o.id, r.negated
SKIP $offset LIMIT $limit
"""


def find_facts(relation: str | None, anchored: bool) -> str:
    types = fact_types(relation)
    if anchored:
        match = f"""
MATCH (x:Entity {{id: $anchor}})-[r:{types}]-(:Entity)
WITH DISTINCT r
WITH startNode(r) AS s, r, endNode(r) AS o
"""
    else:
        match = f"MATCH (s:Entity)-[r:{types}]->(o:Entity)\n"
    return match + _FACT_FILTER + _FACT_RETURN


def events(relation_types: list[str], anchored: bool) -> str:
    types = "|".join(checked_relation(t) for t in relation_types)
    if anchored:
        match = f"""
MATCH (x:Entity {{id: $actor}})-[r:{types}]-(:Entity)
WITH DISTINCT r
WITH startNode(r) AS s, r, endNode(r) AS o
"""
    else:
        match = f"MATCH (s:Entity)-[r:{types}]->(o:Entity)\n"
    return (
        match
        + """
WHERE ($since IS NULL AND $until IS NULL)
   OR any(d IN coalesce(r.dates, []) WHERE ($since IS NULL OR left(d, size($since)) >= $since)
                                   AND ($until IS NULL OR left(d, size($until)) <= $until))
RETURN type(r) AS relation, properties(r) AS fact, properties(s) AS subject, properties(o) AS object
ORDER BY r.first_date IS NULL, r.first_date, r.id
SKIP $offset LIMIT $limit
"""
    )


GET_FACT = """
MATCH (ev:Evidence {fact_id: $id})
WITH ev LIMIT 1
MATCH (ev)-[:SUBJECT]->(a:Entity)
MATCH (ev)-[:OBJECT]->(b:Entity)
MATCH (a)-[r]-(b)
WHERE r.id = $id
WITH DISTINCT r
RETURN type(r) AS relation, properties(r) AS fact, properties(startNode(r)) AS subject,
       properties(endNode(r)) AS object
"""

EVIDENCE = """
MATCH (art:Article)-[:HAS_EVIDENCE]->(ev:Evidence {fact_id: $id})
RETURN properties(ev) AS ev, properties(art) AS article
ORDER BY art.id, ev.start, ev.end, ev.id
"""


def shortest_paths(max_hops: int) -> str:
    hops = int(max_hops)
    return f"""
MATCH (a:Entity {{id: $from_id}}), (b:Entity {{id: $to_id}})
MATCH p = allShortestPaths((a)-[:{fact_types()}*..{hops}]-(b))
RETURN [n IN nodes(p) | properties(n)] AS nodes,
       [r IN relationships(p) | {{relation: type(r), fact: properties(r),
                                 subject: properties(startNode(r)), object: properties(endNode(r))}}] AS edges
LIMIT $cap
"""


def neighbours(relation: str | None) -> str:
    return f"""
UNWIND $ids AS id
MATCH (:Entity {{id: id}})-[:{fact_types(relation)}]-(n:Entity)
RETURN DISTINCT n.id AS id
"""


def edges_among(relation: str | None) -> str:
    return f"""
MATCH (s:Entity)-[r:{fact_types(relation)}]->(o:Entity)
WHERE s.id IN $ids AND o.id IN $ids
RETURN type(r) AS relation, properties(r) AS fact, properties(s) AS subject, properties(o) AS object
ORDER BY relation, s.id, o.id, r.negated
"""


ARTICLE_EXISTS = "MATCH (a:Article {id: $id}) RETURN count(a) > 0 AS found"

ENTITY_EXISTS = "MATCH (e:Entity {id: $id}) RETURN count(e) > 0 AS found"


def stats() -> str:
    vocab = get_vocabulary()
    parts = [
        "COUNT { (:Article) } AS articles",
        "COUNT { (:Entity) } AS entities",
        "COUNT { (:Evidence) } AS evidence",
    ]
    parts += [f"COUNT {{ (:{checked_type(t)}) }} AS `type_{t}`" for t in vocab.entity_types]
    parts += [f"COUNT {{ ()-[:{checked_relation(r)}]->() }} AS `rel_{r}`" for r in vocab.relations]
    return "RETURN " + ",\n       ".join(parts)


RESET_BATCHED = """
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""

# --- dump ----------------------------------------------------------------------------------------

DUMP_ARTICLES = """
MATCH (a:Article)
OPTIONAL MATCH (a)-[:MENTIONS]->(e:Entity)
WITH a, e ORDER BY e.id
RETURN a.id AS id, properties(a) AS article, collect(e.id) AS mentions
ORDER BY id
"""

DUMP_ENTITIES = "MATCH (e:Entity) RETURN properties(e) AS entity ORDER BY e.id"

DUMP_EVIDENCE = """
MATCH (ev:Evidence)
RETURN properties(ev) AS ev
ORDER BY ev.article_id, ev.start, ev.end, ev.id
"""

COUNT_NODES_AND_RELS = """
RETURN COUNT { (n) } AS nodes, COUNT { ()-[r]->() } AS relationships
"""
