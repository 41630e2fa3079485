"""Every SPARQL text the embedded store runs, in one place.

Values are inserted only as terms serialised by pyoxigraph (``str(NamedNode)``, ``str(Literal)``), which
escape them, never as raw user strings; relation and type names are checked against the vocabulary first.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode

from kg.rdf import iris
from kg.rdf.iris import KG, RDF

PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX rdf: <{RDF}>\n"


def iri(value: str) -> str:
    return str(NamedNode(value))


def lit(value: str) -> str:
    return str(Literal(value))


def values(var: str, terms: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(terms)} }}"


def entity_values(var: str, ids: Iterable[str]) -> str:
    return values(var, (iri(iris.entity_iri(i)) for i in ids))


_EVIDENCE_FIELDS = (
    "?ev ?g ?fid ?s ?p ?o ?neg ?sentence ?start ?end ?date ?conf ?cameo ?plover ?title ?attrs ?pub"
)

_EVIDENCE_PATTERN = """
  GRAPH ?g {
    ?ev a kg:Evidence ; kg:factId ?fid ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        kg:negated ?neg ; kg:sentence ?sentence ; kg:start ?start ; kg:end ?end ; kg:confidence ?conf .
    OPTIONAL { ?ev kg:date ?date }
    OPTIONAL { ?ev kg:cameo ?cameo }
    OPTIONAL { ?ev kg:plover ?plover }
    OPTIONAL { ?ev kg:title ?title }
    OPTIONAL { ?ev kg:attributes ?attrs }
    OPTIONAL { ?g kg:published ?pub }
  }
"""

# Rows whose subject or object is one of ?x (bound by a VALUES clause before it).
_TOUCHING = "{ GRAPH ?g { ?ev rdf:subject ?x } } UNION { GRAPH ?g { ?ev rdf:object ?x } }"


def evidence_rows(
    *,
    touching: Iterable[str] | None = None,
    fact_ids: Iterable[str] | None = None,
    article_id: str | None = None,
    relations: Iterable[str] | None = None,
    negated: bool | None = None,
    among: Iterable[str] | None = None,
    exclude_article: str | None = None,
) -> str:
    """Evidence rows narrowed by touched entities, fact ids, article, relations, negation or both ends."""
    head: list[str] = []
    tail: list[str] = []
    if touching is not None:
        head += [entity_values("x", touching), _TOUCHING]
    if fact_ids is not None:
        head.append(values("fid", (lit(f) for f in fact_ids)))
    if article_id is not None:
        head.append(values("g", [iri(iris.article_iri(article_id))]))
    if relations is not None:
        head.append(values("p", (iri(iris.relation_iri(r)) for r in relations)))
    if among is not None:
        ids = list(among)
        head += [entity_values("s", ids), entity_values("o", ids)]
    if negated is not None:
        tail.append(f"FILTER(?neg = {'true' if negated else 'false'})")
    if exclude_article is not None:
        tail.append(f"FILTER(?g != {iri(iris.article_iri(exclude_article))})")
    body = "\n  ".join(head) + _EVIDENCE_PATTERN + "\n  ".join(tail)
    return f"{PREFIXES}SELECT {_EVIDENCE_FIELDS} WHERE {{\n  {body}\n}}"


# Derived facts live in the default graph as kg:Fact nodes with their aggregate as a JSON record.
_FACT_TOUCHING = "{ ?f rdf:subject ?x } UNION { ?f rdf:object ?x }"


def facts(
    *,
    touching: Iterable[str] | None = None,
    fact_ids: Iterable[str] | None = None,
    relations: Iterable[str] | None = None,
    negated: bool | None = None,
    among: Iterable[str] | None = None,
) -> str:
    """Derived fact records, narrowed like :func:`evidence_rows`."""
    head: list[str] = []
    if touching is not None:
        head += [entity_values("x", touching), _FACT_TOUCHING]
    if fact_ids is not None:
        head.append(values("f", (iri(iris.fact_iri(f)) for f in fact_ids)))
    if relations is not None:
        head.append(values("p", (iri(iris.relation_iri(r)) for r in relations)))
    if among is not None:
        ids = list(among)
        head += [entity_values("s", ids), entity_values("o", ids)]
    pattern = "?f a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;"
    pattern += " kg:negated ?neg ; kg:record ?rec ."
    if negated is not None:
        pattern += f" FILTER(?neg = {'true' if negated else 'false'})"
    return f"{PREFIXES}SELECT DISTINCT ?f ?rec WHERE {{\n  " + "\n  ".join([*head, pattern]) + "\n}"


def adjacency(ids: Iterable[str], relation: str | None) -> str:
    """Distinct (fact, subject, object) of the facts touching any of ``ids``."""
    rel = values("p", [iri(iris.relation_iri(relation))]) if relation else ""
    return f"""{PREFIXES}SELECT DISTINCT ?f ?s ?o WHERE {{
  {entity_values("x", ids)}
  {_FACT_TOUCHING}
  {rel}
  ?f a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
}}"""


def relation_counts(entity_id: str) -> str:
    return f"""{PREFIXES}SELECT ?p (COUNT(DISTINCT ?f) AS ?n) WHERE {{
  {entity_values("x", [entity_id])}
  {_FACT_TOUCHING}
  ?f a kg:Fact ; rdf:predicate ?p .
}} GROUP BY ?p"""


def entity_records(ids: Iterable[str] | None = None, type_iri: str | None = None) -> str:
    """Derived entities (default graph) as their JSON records."""
    head = entity_values("e", ids) if ids is not None else ""
    if type_iri is not None:
        head += f"\n  ?e a {iri(type_iri)} ."
    return f"{PREFIXES}SELECT ?e ?rec WHERE {{\n  {head}\n  ?e a kg:Entity ; kg:record ?rec .\n}}"


def article_fact_ids(article_id: str) -> str:
    g = iri(iris.article_iri(article_id))
    return f"{PREFIXES}SELECT DISTINCT ?fid WHERE {{ GRAPH {g} {{ ?ev a kg:Evidence ; kg:factId ?fid }} }}"


def article_mentions(article_id: str) -> str:
    g = iri(iris.article_iri(article_id))
    return f"{PREFIXES}SELECT ?e WHERE {{ GRAPH {g} {{ {g} kg:mentions ?e }} }}"


def article_exists(article_id: str) -> str:
    g = iri(iris.article_iri(article_id))
    return f"{PREFIXES}ASK {{ GRAPH {g} {{ {g} a kg:Article }} }}"


def entity_exists(entity_id: str) -> str:
    return f"{PREFIXES}ASK {{ {iri(iris.entity_iri(entity_id))} a kg:Entity }}"


def articles(article_id: str | None = None, limit: int | None = None, offset: int = 0) -> str:
    head = values("g", [iri(iris.article_iri(article_id))]) if article_id is not None else ""
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    return f"""{PREFIXES}SELECT ?g ?id ?title ?url ?source ?pub ?lic ?meta WHERE {{
  {head}
  GRAPH ?g {{
    ?g a kg:Article ; kg:id ?id .
    OPTIONAL {{ ?g kg:title ?title }}
    OPTIONAL {{ ?g kg:url ?url }}
    OPTIONAL {{ ?g kg:source ?source }}
    OPTIONAL {{ ?g kg:published ?pub }}
    OPTIONAL {{ ?g kg:licence ?lic }}
    OPTIONAL {{ ?g kg:metadata ?meta }}
  }}
}} ORDER BY ?id{page}"""


def article_facts(graphs: Iterable[str]) -> str:
    """Evidence of the given article graphs: (graph, evidence, fact id)."""
    return f"""{PREFIXES}SELECT ?g ?ev ?fid WHERE {{
  {values("g", (iri(g) for g in graphs))}
  GRAPH ?g {{ ?ev a kg:Evidence ; kg:factId ?fid }}
}}"""


def all_mentions() -> str:
    return f"{PREFIXES}SELECT ?g ?e WHERE {{ GRAPH ?g {{ ?g a kg:Article ; kg:mentions ?e }} }}"


COUNT_ARTICLES = f"{PREFIXES}SELECT (COUNT(?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g a kg:Article }} }}"
COUNT_EVIDENCE = f"{PREFIXES}SELECT (COUNT(?ev) AS ?n) WHERE {{ GRAPH ?g {{ ?ev a kg:Evidence }} }}"
ENTITIES_BY_TYPE = f"""{PREFIXES}SELECT ?type (COUNT(?e) AS ?n) WHERE {{
  ?e a kg:Entity ; a ?type . FILTER(?type != kg:Entity)
}} GROUP BY ?type"""
FACTS_BY_RELATION = f"""{PREFIXES}SELECT ?p (COUNT(?f) AS ?n) WHERE {{
  ?f a kg:Fact ; rdf:predicate ?p .
}} GROUP BY ?p"""
