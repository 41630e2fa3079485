"""What the contract suite does not cover: persistence, atomic writes, locking, and read-only SPARQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError, QueryError, StoreError, StoreUnavailableError
from kg.model import Triple
from kg.rdf import iris
from kg.settings import Settings
from kg.store import embedded
from kg.store.base import GraphStore
from kg.store.embedded import EmbeddedStore, default_path
from tests.contract import sample_data as sd


@pytest.fixture
def store() -> EmbeddedStore:
    s = EmbeddedStore(None)
    for extraction in sd.sample_extractions():
        s.write_article(extraction)
    return s


def test_implements_the_graph_store_protocol() -> None:
    assert isinstance(EmbeddedStore(None), GraphStore)


def test_data_survives_close_and_reopen(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "kg")
    for extraction in sd.sample_extractions():
        first.write_article(extraction)
    before = first.dump()
    first.close()
    again = EmbeddedStore(tmp_path / "kg")
    assert again.dump() == before and again.stats().evidence == 11
    again.close()


def test_a_second_open_of_the_same_folder_fails_clearly(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "kg")
    try:
        with pytest.raises(StoreUnavailableError, match="another kg process"):
            EmbeddedStore(tmp_path / "kg")
    finally:
        first.close()


def test_default_path_is_under_the_data_dir(tmp_path: Path) -> None:
    assert default_path(Settings(data_dir=tmp_path)) == tmp_path / "embedded"
    assert default_path(Settings(data_dir=tmp_path, embedded_path=tmp_path / "x")) == tmp_path / "x"


def test_an_invalid_extraction_writes_nothing(store: EmbeddedStore) -> None:
    before = store.quads()
    bad = sd.article_a1()
    t = bad.triples[0]
    bad.triples.append(Triple(t.doc, t.subject, "BEFRIENDED", t.object, False, None, 0.5, t.evidence))
    with pytest.raises(InputError, match="BEFRIENDED"):
        store.write_article(bad)
    assert store.quads() == before


def test_a_failing_update_leaves_the_previous_version_whole(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.dump()
    changed = sd.article_a1()
    changed.triples = changed.triples[:1]

    def broken(quads: object) -> str:  # the update text is cut off half-way: a syntax error
        return "<urn:x> <urn:y> "

    monkeypatch.setattr(embedded, "_triples", broken)
    with pytest.raises(StoreError):
        store.write_article(changed)
    assert store.dump() == before


def test_article_graph_holds_what_the_article_states(store: EmbeddedStore) -> None:
    result = store.sparql(
        f"SELECT ?s ?o WHERE {{ GRAPH <{iris.article_iri('a1')}> {{ ?s <{iris.relation_iri('MET')}> ?o }} }}"
    )
    assert result["type"] == "select"
    ends = {(r["s"]["value"], r["o"]["value"]) for r in result["rows"]}
    assert len(ends) == 1 and {iris.entity_iri(sd.BLINKEN.id), iris.entity_iri(sd.DERMER.id)} == set(
        next(iter(ends))
    )


def test_sparql_select_over_the_union_of_graphs_with_a_row_cap(store: EmbeddedStore) -> None:
    q = f"PREFIX kg: <{iris.KG}> SELECT DISTINCT ?e ?name WHERE {{ ?e a kg:Entity ; kg:name ?name }}"
    q += " ORDER BY ?name"
    full = store.sparql(q, limit=None)
    assert full["variables"] == ["e", "name"] and not full["truncated"]
    assert {r["name"]["value"] for r in full["rows"]} >= {"Antony Blinken", "Israel"}
    capped = store.sparql(q, limit=2)
    assert len(capped["rows"]) == 2 and capped["truncated"]


def test_sparql_ask_and_construct(store: EmbeddedStore) -> None:
    ask = store.sparql(f"ASK {{ ?s <{iris.relation_iri('PROPOSED')}> ?o }}")
    assert ask == {"type": "ask", "boolean": True}
    graph = store.sparql(f"CONSTRUCT {{ ?s <urn:met> ?o }} WHERE {{ ?s <{iris.relation_iri('MET')}> ?o }}")
    assert graph["type"] == "graph" and graph["triples"][0]["predicate"] == {
        "type": "uri",
        "value": "urn:met",
    }


@pytest.mark.parametrize(
    "update",
    [
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "CLEAR ALL",
        "DROP ALL",
        "LOAD <http://example.org/x.ttl>",
    ],
)
def test_sparql_refuses_updates_and_changes_nothing(store: EmbeddedStore, update: str) -> None:
    before = store.quads()
    with pytest.raises(QueryError, match="read-only"):
        store.sparql(update)
    assert store.quads() == before


def test_sparql_refuses_federated_queries(store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        store.sparql("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_sparql_keywords_inside_strings_are_not_refused(store: EmbeddedStore) -> None:
    result = store.sparql('SELECT ?x WHERE { BIND("DELETE this SERVICE" AS ?x) }')
    assert result["rows"] == [{"x": {"type": "literal", "value": "DELETE this SERVICE"}}]


def test_sparql_syntax_errors_are_query_errors(store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="invalid SPARQL"):
        store.sparql("SELECT WHERE {")
    with pytest.raises(QueryError, match="empty"):
        store.sparql("   ")


def test_after_rewrites_and_deletes_the_store_equals_a_fresh_build(tmp_path: Path) -> None:
    """Derived records (kept incrementally, partly in memory) match deriving from scratch."""
    changed = sd.article_a1()
    changed.triples = changed.triples[1:]
    worked = EmbeddedStore(tmp_path / "worked")
    for extraction in sd.sample_extractions():
        worked.write_article(extraction)
    worked.write_article(changed)
    worked.delete_article("a2")
    in_memory = (worked.dump(), worked.find_facts(limit=1000), worked.search_entities(limit=1000))
    worked.close()
    reopened = EmbeddedStore(tmp_path / "worked")  # nothing cached: everything read from disk
    fresh = EmbeddedStore(None)
    fresh.write_article(changed)
    for extraction in sd.sample_extractions():
        if extraction.article.id not in ("a1", "a2"):
            fresh.write_article(extraction)
    for store in (reopened, fresh):
        assert (store.dump(), store.find_facts(limit=1000), store.search_entities(limit=1000)) == in_memory
    assert reopened.stats() == fresh.stats()
    for entity in fresh.search_entities(limit=1000):
        assert reopened.get_entity(entity.id) == fresh.get_entity(entity.id)
    reopened.close()


def test_reads_alongside_writes_from_threads_see_whole_articles() -> None:
    """What the API does: request threads read while another thread writes."""
    import threading

    store = EmbeddedStore(None)
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                for fact in store.find_facts(limit=1000):
                    assert fact.subject.id and fact.object.id
                store.search_entities("a")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    for _ in range(5):
        for extraction in sd.sample_extractions():
            store.write_article(extraction)
    done.set()
    for t in readers:
        t.join()
    assert errors == []
    assert store.stats().evidence == 11
