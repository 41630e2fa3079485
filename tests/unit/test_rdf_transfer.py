"""Export then import gives the same graph, in every format; every export passes SHACL."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize

from kg.errors import InputError
from kg.rdf import iris, mapping
from kg.rdf.formats import FORMATS
from kg.rdf.transfer import export_store, import_file
from kg.rdf.validate import validate_quads
from kg.store.embedded import EmbeddedStore
from kg.store.records import GraphDump
from tests.contract import sample_data as sd


@pytest.fixture
def source() -> EmbeddedStore:
    store = EmbeddedStore(None)
    for extraction in sd.sample_extractions():
        store.write_article(extraction)
    return store


def _normal(d: GraphDump) -> tuple[list[str], list[str], list[str]]:
    return (sorted(map(repr, d.articles)), sorted(map(repr, d.entities)), sorted(map(repr, d.evidence)))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_then_import_into_an_empty_store_gives_the_same_graph(
    source: EmbeddedStore, tmp_path: Path, fmt: str
) -> None:
    result = export_store(source, fmt, tmp_path / f"graph.{fmt}")
    assert result.statements > 0 and result.articles == 3 and result.evidence == 11
    target = EmbeddedStore(None)
    imported = import_file(target, tmp_path / f"graph.{fmt}")
    assert (imported.articles, imported.entities, imported.evidence) == (3, 8, 11)
    assert _normal(target.dump()) == _normal(source.dump())
    assert target.stats() == source.stats()
    fact = source.find_facts(relation="MET")[0]
    assert target.get_fact(fact.id) == fact
    assert target.evidence(fact.id) == source.evidence(fact.id)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_exported_file_passes_shacl(source: EmbeddedStore, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"graph.{fmt}"
    export_store(source, fmt, path)
    result = validate_quads(parse(path=str(path), format=FORMATS[fmt]))
    assert result.conforms, result.report


def test_export_validate_flag_reports_conformance(source: EmbeddedStore, tmp_path: Path) -> None:
    result = export_store(source, "nq", tmp_path / "g.nq", validate=True)
    assert result.validation is not None and result.validation.conforms


def test_shacl_rejects_a_relation_between_the_wrong_types(source: EmbeddedStore) -> None:
    quads = list(mapping.dump_to_quads(source.dump()))
    # a Proposal cannot propose anything
    bad = Quad(
        NamedNode(iris.entity_iri(sd.CEASEFIRE.id)),
        NamedNode(iris.relation_iri("PROPOSED")),
        NamedNode(iris.entity_iri(sd.CEASEFIRE.id)),
        NamedNode(iris.article_iri("a1")),
    )
    result = validate_quads([*quads, bad])
    assert not result.conforms and "ProposedSubjectShape" in result.report


def test_shacl_rejects_evidence_without_a_sentence(source: EmbeddedStore) -> None:
    quads = [q for q in mapping.dump_to_quads(source.dump()) if q.predicate != mapping.p("sentence")]
    result = validate_quads(quads)
    assert not result.conforms and "sentence" in result.report


def test_export_to_a_stream_writes_parseable_rdf(source: EmbeddedStore) -> None:
    import io

    buf = io.BytesIO()
    result = export_store(source, "nt", stream=buf)
    assert result.output is None
    assert len(list(parse(buf.getvalue(), format=RdfFormat.N_TRIPLES))) == result.statements


def test_a_broken_file_leaves_the_store_unchanged(source: EmbeddedStore, tmp_path: Path) -> None:
    before = source.dump()
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="not valid ttl"):
        import_file(source, bad)
    assert source.dump() == before


def test_a_file_with_one_bad_statement_writes_nothing(tmp_path: Path, source: EmbeddedStore) -> None:
    quads = list(mapping.dump_to_quads(source.dump()))
    # the last article's evidence points at an entity the file never describes
    last = [q for q in quads if q.predicate == mapping.RDF_OBJECT][-1]
    quads = [q for q in quads if q.subject != last.object]
    path = tmp_path / "partial.nq"
    serialize(quads, str(path), format=RdfFormat.N_QUADS)
    target = EmbeddedStore(None)
    with pytest.raises(InputError):
        import_file(target, path)
    assert target.stats().articles == 0 and target.stats().entities == 0


def test_unknown_extension_and_empty_graph_are_refused(tmp_path: Path) -> None:
    store = EmbeddedStore(None)
    odd = tmp_path / "graph.xyz"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="extension"):
        import_file(store, odd)
    empty = tmp_path / "other.ttl"
    empty.write_text("<http://e.org/a> <http://e.org/b> <http://e.org/c> .\n", encoding="utf-8")
    with pytest.raises(InputError, match="no articles"):
        import_file(store, empty)
    with pytest.raises(InputError, match="unknown RDF format"):
        export_store(store, "rdfxml", tmp_path / "x.rdf")
