"""Stable IRIs derived from canonical ids, so that two exports of the same graph name things alike.

Entity ids (``person:antony-blinken``, ``country:USA``) are kept readable in the IRI and percent-encoded
only where needed, which makes the mapping reversible without a lookup table.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote

from kg.vocabulary import get_vocabulary

BASE = "https://w3id.org/conflict-kg/"
KG = BASE + "ontology#"  # classes and properties
ENTITY = BASE + "entity/"
ARTICLE = BASE + "article/"
EVIDENCE = BASE + "evidence/"
FACT = BASE + "fact/"
ONTOLOGY_IRI = BASE + "ontology"
SHAPES_IRI = BASE + "shapes"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

PREFIXES: dict[str, str] = {
    "kg": KG,
    "ent": ENTITY,
    "art": ARTICLE,
    "ev": EVIDENCE,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
    "dct": DCT,
    "skos": SKOS,
}

# Characters left as they are in the id part of an IRI (RFC 3987 path characters minus '/', '?', '#').
_SAFE = ":@!$&'()*+,;=-._~"


def entity_iri(entity_id: str) -> str:
    return ENTITY + quote(entity_id, safe=_SAFE)


def article_iri(article_id: str) -> str:
    """Also the name of the article's named graph: the graph holds what that article states."""
    return ARTICLE + quote(article_id, safe=_SAFE)


def evidence_iri(article_id: str, index: int) -> str:
    """The ``index``-th evidence sentence of an article: ``ev:000.3`` (a dot keeps it a Turtle local name)."""
    return EVIDENCE + quote(article_id, safe=_SAFE) + "." + str(int(index))


def fact_iri(fact_id: str) -> str:
    """A merged fact (subject, relation, object, negation) as the embedded store derives it."""
    return FACT + quote(fact_id, safe=_SAFE)


def fact_id(iri: str) -> str:
    return unquote(iri[len(FACT) :])


def _strip(iri: str, prefix: str) -> str | None:
    return unquote(iri[len(prefix) :]) if iri.startswith(prefix) else None


def entity_id(iri: str) -> str | None:
    return _strip(iri, ENTITY)


def article_id(iri: str) -> str | None:
    return _strip(iri, ARTICLE)


def class_iri(entity_type: str) -> str:
    return KG + entity_type


def class_name(iri: str) -> str | None:
    name = iri[len(KG) :] if iri.startswith(KG) else None
    return name if name in get_vocabulary().entity_types else None


_CAMEL = re.compile(r"_([a-z])")


def property_local_name(relation: str) -> str:
    """``AGREED_TO`` -> ``agreedTo``: RDF properties are lowerCamelCase, classes UpperCamelCase."""
    return _CAMEL.sub(lambda m: m.group(1).upper(), relation.lower())


def relation_iri(relation: str) -> str:
    return KG + property_local_name(relation)


@lru_cache(maxsize=1)
def _relations_by_iri() -> dict[str, str]:
    return {relation_iri(name): name for name in get_vocabulary().relations}


def relation_name(iri: str) -> str | None:
    return _relations_by_iri().get(iri)


def term(local: str) -> str:
    """A term of the ontology namespace (``kg:name``)."""
    return KG + local
