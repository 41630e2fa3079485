"""Every SPARQL text the embedded store runs, in one place.

Only article-level and counting reads are SPARQL; the hot paths (facts around an entity, evidence of a
fact, a write's re-derivation) read pyoxigraph's quad indexes directly, see ``kg.store.embedded``.

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


COUNT_ARTICLES = f"{PREFIXES}SELECT (COUNT(?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g a kg:Article }} }}"
COUNT_EVIDENCE = f"{PREFIXES}SELECT (COUNT(?ev) AS ?n) WHERE {{ GRAPH ?g {{ ?ev a kg:Evidence }} }}"
ENTITIES_BY_TYPE = f"""{PREFIXES}SELECT ?type (COUNT(?e) AS ?n) WHERE {{
  ?e a kg:Entity ; a ?type . FILTER(?type != kg:Entity)
}} GROUP BY ?type"""
FACTS_BY_RELATION = f"""{PREFIXES}SELECT ?p (COUNT(?f) AS ?n) WHERE {{
  ?f a kg:Fact ; rdf:predicate ?p .
}} GROUP BY ?p"""
