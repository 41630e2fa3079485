"""SHACL validation of exported RDF against the generated shapes (and the ontology for class hierarchy).

Graph names are dropped before validating: the shapes constrain what the data says as a whole (an evidence
node in an article's graph points at an entity described in the default graph), and pyshacl would check
each named graph on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyshacl
import rdflib
from pyoxigraph import Quad, RdfFormat, Triple, serialize

from kg.vocabulary import SCHEMA_DIR


@dataclass(slots=True)
class ValidationResult:
    conforms: bool
    report: str  # pyshacl's text report (empty when conforming)


@lru_cache(maxsize=1)
def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SCHEMA_DIR / "shapes.ttl", format="turtle")


@lru_cache(maxsize=1)
def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(SCHEMA_DIR / "ontology.ttl", format="turtle")


def flatten(quads: Iterable[Quad]) -> list[Triple]:
    return list(dict.fromkeys(Triple(q.subject, q.predicate, q.object) for q in quads))


def validate_quads(quads: Iterable[Quad]) -> ValidationResult:
    data = serialize(flatten(quads), format=RdfFormat.N_TRIPLES)
    graph = rdflib.Graph().parse(data=data, format="nt")
    conforms, _graph, text = pyshacl.validate(
        graph, shacl_graph=_shapes(), ont_graph=_ontology(), inference="none", allow_warnings=False
    )
    return ValidationResult(conforms=bool(conforms), report="" if conforms else str(text))
