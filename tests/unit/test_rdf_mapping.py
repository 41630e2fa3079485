"""The RDF mapping: IRIs, literals, provenance layout, and dump -> quads -> dump."""

from __future__ import annotations

import pytest
from pyoxigraph import DefaultGraph, NamedNode, Quad

from kg.errors import InputError
from kg.rdf import iris, mapping
from kg.store.embedded import EmbeddedStore
from kg.store.records import GraphDump
from tests.contract import sample_data as sd


@pytest.fixture
def dump() -> GraphDump:
    store = EmbeddedStore(None)
    for extraction in sd.sample_extractions():
        store.write_article(extraction)
    return store.dump()


def v(term: object) -> str:
    """The lexical value of any term (IRI, literal) of a quad."""
    return str(getattr(term, "value", term))


def _normal(d: GraphDump) -> tuple[list[str], list[str], list[str]]:
    """Order-free comparison (rows tied on offsets may come back in another order)."""
    return (sorted(map(repr, d.articles)), sorted(map(repr, d.entities)), sorted(map(repr, d.evidence)))


@pytest.mark.parametrize("entity_id", ["person:antony-blinken", "country:USA", "location:tel aviv/jaffa#x?"])
def test_entity_iris_are_stable_and_reversible(entity_id: str) -> None:
    iri = iris.entity_iri(entity_id)
    assert iri.startswith(iris.ENTITY) and " " not in iri and "#" not in iri and "?" not in iri
    assert iris.entity_id(iri) == entity_id
    assert iris.entity_iri(entity_id) == iri


def test_relation_properties_are_camel_case_and_reversible() -> None:
    assert iris.relation_iri("AGREED_TO") == iris.KG + "agreedTo"
    assert iris.relation_iri("IN_CONFLICT_WITH") == iris.KG + "inConflictWith"
    assert iris.relation_name(iris.KG + "proxyOf") == "PROXY_OF"
    assert iris.relation_name(iris.KG + "unknown") is None


@pytest.mark.parametrize(
    ("value", "datatype"),
    [("2024-09-26", "date"), ("2024-09", "gYearMonth"), ("2024", "gYear")],
)
def test_dates_keep_their_precision_as_xsd_types(value: str, datatype: str) -> None:
    lit = mapping.date_literal(value)
    assert lit.value == value and lit.datatype.value == iris.XSD + datatype


def test_dump_round_trips_through_quads(dump: GraphDump) -> None:
    back = mapping.quads_to_dump(list(mapping.dump_to_quads(dump)))
    assert _normal(back) == _normal(dump)


def test_positive_facts_are_plain_triples_in_the_article_graph(dump: GraphDump) -> None:
    quads = set(mapping.dump_to_quads(dump))
    met = Quad(
        NamedNode(iris.entity_iri(sd.DERMER.id)),
        NamedNode(iris.relation_iri("MET")),
        NamedNode(iris.entity_iri(sd.BLINKEN.id)),
        NamedNode(iris.article_iri("a1")),
    )
    assert met in quads
    entity_types = [
        q for q in quads if v(q.subject) == iris.entity_iri(sd.USA.id) and q.object == mapping.ENTITY_CLASS
    ]
    assert entity_types and all(q.graph_name == DefaultGraph() for q in entity_types)


def test_negated_facts_never_appear_as_plain_triples(dump: GraphDump) -> None:
    negated = [r for r in dump.evidence if r["negated"]]
    assert negated, "the sample data must hold a negated statement"
    quads = list(mapping.dump_to_quads(dump))
    for row in negated:
        plain = (
            iris.entity_iri(row["subject_id"]),
            iris.relation_iri(row["relation"]),
            iris.entity_iri(row["object_id"]),
        )
        positive_twin = any(
            r
            for r in dump.evidence
            if not r["negated"]
            and (r["subject_id"], r["relation"], r["object_id"])
            == (row["subject_id"], row["relation"], row["object_id"])
        )
        found = any((v(q.subject), v(q.predicate), v(q.object)) == plain for q in quads)
        assert found is positive_twin
        # ... but the reified statement says it, negated
        reified = [
            q.subject
            for q in quads
            if q.predicate == mapping.RDF_PREDICATE and v(q.object) == iris.relation_iri(row["relation"])
        ]
        negs = {q.subject for q in quads if q.predicate == mapping.p("negated") and v(q.object) == "true"}
        assert set(reified) & negs


def test_evidence_links_sentence_offsets_and_article(dump: GraphDump) -> None:
    quads = list(mapping.dump_to_quads(dump))
    row = dump.evidence[0]
    ev = [q.subject for q in quads if q.predicate == mapping.p("sentence") and v(q.object) == row["sentence"]]
    assert ev
    props = {v(q.predicate): q.object for q in quads if q.subject == ev[0]}
    assert v(props[iris.KG + "start"]) == str(row["start"])
    assert v(props[iris.KG + "article"]) == iris.article_iri(row["article_id"])


def test_reading_refuses_evidence_with_a_relation_outside_the_vocabulary(dump: GraphDump) -> None:
    quads = [
        Quad(q.subject, q.predicate, NamedNode(iris.KG + "befriended"), q.graph_name)
        if q.predicate == mapping.RDF_PREDICATE
        else q
        for q in mapping.dump_to_quads(dump)
    ]
    with pytest.raises(InputError, match="vocabulary relation"):
        mapping.quads_to_dump(quads)


def test_writing_refuses_an_unknown_entity_type() -> None:
    with pytest.raises(InputError, match="unknown type"):
        mapping.entity_quads({"id": "x:y", "name": "Y", "type": "Planet", "aliases": []})
