"""The generated ontology, shapes and JSON-LD context: committed files equal what the vocabulary gives."""

from __future__ import annotations

import json

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.rdf import iris, schema_gen
from kg.vocabulary import SCHEMA_DIR, get_vocabulary

KG = rdflib.Namespace(iris.KG)


def test_committed_files_equal_regenerated_output_byte_for_byte() -> None:
    for path, text in schema_gen.generate(SCHEMA_DIR).items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: python -m kg.rdf.schema_gen"
    assert schema_gen.stale(SCHEMA_DIR) == []


def test_generation_writes_into_an_empty_folder_and_then_nothing_is_stale(tmp_path) -> None:
    written = schema_gen.write(tmp_path)
    assert sorted(p.name for p in written) == ["context.jsonld", "ontology.ttl", "shapes.ttl"]
    assert schema_gen.stale(tmp_path) == [] and schema_gen.write(tmp_path) == []


def test_ontology_has_a_class_per_entity_type_and_a_property_per_relation() -> None:
    g = rdflib.Graph().parse(SCHEMA_DIR / "ontology.ttl")
    vocab = get_vocabulary()
    for name in vocab.entity_types:
        assert (KG[name], RDF.type, OWL.Class) in g
        assert (KG[name], RDFS.subClassOf, KG.Entity) in g
    for rel in vocab.relations.values():
        prop = rdflib.URIRef(iris.relation_iri(rel.name))
        assert (prop, RDF.type, OWL.ObjectProperty) in g
        assert ((prop, RDF.type, OWL.SymmetricProperty) in g) is rel.symmetric
        assert (prop, KG.relationName, rdflib.Literal(rel.name)) in g
        if rel.cameo:
            assert (prop, KG.cameoCode, rdflib.Literal(rel.cameo)) in g
            assert (prop, KG.ploverType, rdflib.Literal(rel.plover)) in g
        else:
            assert (prop, KG.cameoCode, None) not in g


def test_ontology_domains_and_ranges_follow_the_vocabulary() -> None:
    g = rdflib.Graph().parse(SCHEMA_DIR / "ontology.ttl")
    assert (KG.proposed, RDFS.domain, KG.Actor) in g
    assert (KG.proposed, RDFS.range, KG.Proposal) in g
    assert (KG.officialOf, RDFS.domain, KG.Person) in g
    # a union for a mixed range: ATTACKED hits actors or places
    ranges = list(g.objects(KG.attacked, RDFS.range))
    assert len(ranges) == 1
    union = g.value(ranges[0], OWL.unionOf)
    assert union is not None
    members = set(rdflib.collection.Collection(g, union))
    assert members == {KG.Person, KG.Country, KG.Organization, KG.ArmedGroup, KG.Location}


def test_shapes_parse_and_target_every_relation() -> None:
    g = rdflib.Graph().parse(SCHEMA_DIR / "shapes.ttl")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    targets = set(g.objects(None, sh.targetSubjectsOf))
    assert targets == {rdflib.URIRef(iris.relation_iri(r)) for r in get_vocabulary().relations}
    assert (KG.EvidenceShape, sh.targetClass, KG.Evidence) in g


def test_context_expands_compact_json_ld_to_the_mapping_iris() -> None:
    context = json.loads((SCHEMA_DIR / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    doc = {
        "@context": context,
        "@id": "ent:person:antony-blinken",
        "@type": ["Entity", "Person"],
        "name": "Antony Blinken",
        "alias": ["Blinken"],
        "met": "ent:person:ron-dermer",
    }
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    blinken = rdflib.URIRef(iris.entity_iri("person:antony-blinken"))
    assert (blinken, RDF.type, KG.Person) in g
    assert (blinken, KG.name, rdflib.Literal("Antony Blinken")) in g
    assert (blinken, KG.met, rdflib.URIRef(iris.entity_iri("person:ron-dermer"))) in g
