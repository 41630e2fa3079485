"""Every GraphStore method, with the same expectations for every backend (see conftest.py)."""

from __future__ import annotations

import dataclasses

import pytest

from kg.errors import InputError, NotFoundError, QueryError
from kg.model import ArticleExtraction, Entity, Evidence, Triple, fact_id
from kg.store.base import GraphStore
from kg.store.records import FactRecord
from tests.contract import sample_data as sd

MET_ID = fact_id(sd.BLINKEN.id, "MET", sd.DERMER.id, False)
AGREED_NEG_ID = fact_id(sd.ISR.id, "AGREED_TO", sd.CEASEFIRE.id, True)


def _key(f: FactRecord) -> tuple[str, str, str, bool]:
    return (f.relation, f.subject.id, f.object.id, f.negated)


# --- lifecycle -----------------------------------------------------------------------------------


def test_ping_names_backend(store: GraphStore) -> None:
    assert store.ping()["backend"] == store.backend


def test_apply_schema_is_idempotent(store: GraphStore) -> None:
    store.apply_schema()
    store.apply_schema()
    assert store.stats().articles == 0


def test_empty_store_stats(store: GraphStore) -> None:
    stats = store.stats()
    assert (stats.articles, stats.entities, stats.facts, stats.evidence) == (0, 0, 0, 0)
    assert stats.entities_by_type == {} and stats.facts_by_relation == {}


def test_reset_empties_everything(loaded: GraphStore) -> None:
    loaded.reset()
    stats = loaded.stats()
    assert (stats.articles, stats.entities, stats.facts, stats.evidence) == (0, 0, 0, 0)
    assert loaded.find_facts() == []


# --- writing -------------------------------------------------------------------------------------


def test_write_result_counts_and_replaced_flag(store: GraphStore) -> None:
    first = store.write_article(sd.article_a1())
    assert (first.article_id, first.entities, first.facts, first.evidence, first.replaced) == (
        "a1",
        7,
        4,
        4,
        False,
    )
    again = store.write_article(sd.article_a1())
    assert again.replaced is True and again.evidence == 4


def test_stats_after_sample_articles(loaded: GraphStore) -> None:
    stats = loaded.stats()
    assert (stats.articles, stats.entities, stats.facts, stats.evidence) == (3, 8, 9, 11)
    assert stats.entities_by_type == {
        "ArmedGroup": 1,
        "Country": 3,
        "Location": 1,
        "Person": 2,
        "Proposal": 1,
    }
    assert stats.facts_by_relation == {
        "AGREED_TO": 1,
        "AIDED": 1,
        "ATTACKED": 3,
        "MET": 1,
        "OFFICIAL_OF": 1,
        "PROPOSED": 1,
        "PROXY_OF": 1,
    }


def test_rewriting_every_article_changes_nothing(loaded: GraphStore) -> None:
    before = loaded.dump()
    for extraction in sd.sample_extractions():
        loaded.write_article(extraction)
    assert loaded.dump() == before
    assert loaded.stats().evidence == 11


def test_changed_article_replaces_its_contributions_exactly(loaded: GraphStore) -> None:
    result = loaded.write_article(sd.article_a2_changed())
    assert result.replaced is True
    met = loaded.get_fact(MET_ID)
    assert (
        met is not None and met.articles == ["a1"] and met.mention_count == 1 and met.dates == ["2024-09-25"]
    )
    assert [e.article_id for e in loaded.evidence(MET_ID)] == ["a1"]
    assert loaded.get_entity(sd.BEIRUT.id) is None  # only the old a2 mentioned it
    assert loaded.find_facts(relation="OFFICIAL_OF") == []
    attacked = loaded.find_facts(subject=sd.ISR.id, relation="ATTACKED")
    assert [f.object.id for f in attacked] == [sd.HEZBOLLAH.id]
    assert attacked[0].first_seen == "2024-10-02"
    assert [e.sentence for e in loaded.evidence(attacked[0].id)] == ["Israel struck Hezbollah positions."]
    condemned = loaded.find_facts(relation="CONDEMNED")
    assert [(f.subject.id, f.object.id) for f in condemned] == [(sd.IRN.id, sd.ISR.id)]
    blinken = loaded.get_entity(sd.BLINKEN.id)
    assert blinken is not None and blinken.aliases == ["Antony Blinken", "Blinken"]
    article = loaded.get_article("a2")
    assert (
        article is not None and article.title == "Strikes continue (updated)" and article.evidence_count == 2
    )
    stats = loaded.stats()
    assert (stats.articles, stats.entities, stats.facts, stats.evidence) == (3, 7, 8, 8)


def test_invalid_extraction_leaves_no_partial_data(loaded: GraphStore) -> None:
    before = loaded.dump()
    bad = sd.article_a2_changed()
    bad.triples.append(
        Triple("a2", sd.ISR, "INVADED", sd.IRN, False, None, 0.5, Evidence("Israel invaded Iran.", 0, 20))
    )
    with pytest.raises(InputError):
        loaded.write_article(bad)
    assert loaded.dump() == before


def test_unknown_entity_type_is_refused(store: GraphStore) -> None:
    weird = Entity("planet:mars", "Mars", "Planet", ["Mars"])
    extraction = ArticleExtraction(sd.article_a1().article, [weird], [])
    with pytest.raises(InputError):
        store.write_article(extraction)
    assert store.stats().articles == 0


def test_entity_without_facts_still_gets_a_node(store: GraphStore) -> None:
    store.write_article(sd.article_unmentioned_only())
    beirut = store.get_entity(sd.BEIRUT.id)
    assert beirut is not None and beirut.relation_counts == {}
    assert store.delete_article("a4") is True
    assert store.get_entity(sd.BEIRUT.id) is None


def test_same_fact_twice_in_one_article(store: GraphStore) -> None:
    a1 = sd.article_a1()
    extra = dataclasses.replace(
        a1.triples[0], evidence=Evidence("They met again.", 300, 315), date="2024-09-27"
    )
    a1.triples.append(extra)
    store.write_article(a1)
    met = store.get_fact(MET_ID)
    assert met is not None
    assert (met.articles, met.mention_count, met.dates) == (["a1"], 2, ["2024-09-25", "2024-09-27"])


# --- articles ------------------------------------------------------------------------------------


def test_articles_listing_and_lookup(loaded: GraphStore) -> None:
    assert [a.id for a in loaded.list_articles()] == ["a1", "a2", "a3"]
    assert [a.id for a in loaded.list_articles(limit=1, offset=1)] == ["a2"]
    a1 = loaded.get_article("a1")
    assert a1 is not None
    assert (a1.title, a1.url, a1.source, a1.published, a1.licence) == (
        "Talks in Washington",
        "http://example.org/a1",
        "Wire A",
        "2024-09-26",
        "CC-BY-4.0",
    )
    assert a1.evidence_count == 4 and a1.fact_ids == sorted(a1.fact_ids) and MET_ID in a1.fact_ids
    assert loaded.get_article("nope") is None


def test_delete_article(loaded: GraphStore) -> None:
    assert loaded.delete_article("a2") is True
    assert loaded.delete_article("a2") is False
    assert loaded.get_article("a2") is None
    met = loaded.get_fact(MET_ID)
    assert met is not None and met.articles == ["a1"]
    assert loaded.get_entity(sd.BEIRUT.id) is None
    stats = loaded.stats()
    assert (stats.articles, stats.entities, stats.facts, stats.evidence) == (2, 7, 6, 6)


# --- entities ------------------------------------------------------------------------------------


def test_entities_are_shared_and_aliases_merged(loaded: GraphStore) -> None:
    blinken = loaded.get_entity(sd.BLINKEN.id)
    assert blinken is not None
    assert (blinken.name, blinken.type) == ("Antony Blinken", "Person")
    assert blinken.aliases == ["Antony Blinken", "Blinken", "Secretary Blinken"]
    assert blinken.relation_counts == {"MET": 1, "OFFICIAL_OF": 1}
    iran = loaded.get_entity(sd.IRN.id)
    assert (
        iran is not None
        and iran.aliases == ["Iran", "Islamic Republic"]
        and iran.properties == {"iso3": "IRN"}
    )
    israel = loaded.get_entity(sd.ISR.id)
    assert israel is not None and israel.relation_counts == {"AGREED_TO": 1, "ATTACKED": 3}
    assert loaded.get_entity("person:nobody") is None


def test_search_entities(loaded: GraphStore) -> None:
    assert [e.id for e in loaded.search_entities("blinken")] == [sd.BLINKEN.id]
    assert [e.id for e in loaded.search_entities("BLINKEN")] == [sd.BLINKEN.id]
    assert [e.id for e in loaded.search_entities("is")] == [sd.ISR.id, sd.IRN.id]  # name prefix before alias
    assert [e.id for e in loaded.search_entities("islamic republic")] == [sd.IRN.id]  # by alias
    assert [e.name for e in loaded.search_entities(type="Country")] == ["Iran", "Israel", "United States"]
    assert [e.name for e in loaded.search_entities(type="Country", limit=1, offset=1)] == ["Israel"]
    assert len(loaded.search_entities()) == 8
    assert loaded.search_entities("zzz") == []
    found = loaded.search_entities("israel")[0]
    assert found.aliases == ["Israel", "Israeli"] and found.relation_counts == {}


# --- facts ---------------------------------------------------------------------------------------


def test_find_facts_all_in_protocol_order(loaded: GraphStore) -> None:
    facts = loaded.find_facts()
    assert len(facts) == 9
    assert [_key(f) for f in facts] == sorted(_key(f) for f in facts)
    page = loaded.find_facts(limit=2, offset=1)
    assert [f.id for f in page] == [f.id for f in facts[1:3]]


def test_merged_fact_properties(loaded: GraphStore) -> None:
    [met] = loaded.find_facts(relation="MET")
    assert met.id == MET_ID
    assert (met.subject.id, met.object.id) == (sd.BLINKEN.id, sd.DERMER.id)  # lower id first
    assert met.dates == ["2024-09-25", "2024-09-30"]
    assert (met.first_seen, met.last_seen) == ("2024-09-26", "2024-10-01")
    assert (met.articles, met.mention_count, met.confidence) == (["a1", "a2"], 2, 0.95)
    assert (met.cameo, met.plover, met.negated) == ("040", "CONSULT", False)
    [official] = loaded.find_facts(relation="OFFICIAL_OF")
    assert official.title == "Secretary of State" and official.cameo is None and official.dates == []
    [proxy] = loaded.find_facts(relation="PROXY_OF")
    assert proxy.plover is None and proxy.confidence == 0.6


def test_symmetric_relation_matches_either_orientation(loaded: GraphStore) -> None:
    for subject, obj in ((sd.DERMER.id, sd.BLINKEN.id), (sd.BLINKEN.id, sd.DERMER.id)):
        assert [f.id for f in loaded.find_facts(subject=subject, relation="MET")] == [MET_ID]
        assert [f.id for f in loaded.find_facts(subject=subject, object=obj)] == [MET_ID]
    assert [f.id for f in loaded.find_facts(entity=sd.DERMER.id, direction="out")] == [MET_ID]
    assert [f.id for f in loaded.find_facts(entity=sd.DERMER.id, direction="in")] == [MET_ID]


def test_find_facts_around_an_entity(loaded: GraphStore) -> None:
    out = loaded.find_facts(entity=sd.ISR.id, direction="out")
    assert [(f.relation, f.object.id) for f in out] == [
        ("AGREED_TO", sd.CEASEFIRE.id),
        ("ATTACKED", sd.HEZBOLLAH.id),
        ("ATTACKED", sd.BEIRUT.id),
    ]
    inbound = loaded.find_facts(entity=sd.ISR.id, direction="in")
    assert [(f.relation, f.subject.id) for f in inbound] == [("ATTACKED", sd.HEZBOLLAH.id)]
    assert len(loaded.find_facts(entity=sd.ISR.id)) == 4
    assert [f.relation for f in loaded.find_facts(object=sd.CEASEFIRE.id)] == ["AGREED_TO", "PROPOSED"]
    assert loaded.find_facts(entity="person:nobody") == []


def test_find_facts_by_dates_and_negation(loaded: GraphStore) -> None:
    since = loaded.find_facts(since="2024-09-28")
    assert sorted(f.relation for f in since) == ["AGREED_TO", "ATTACKED", "ATTACKED", "MET"]
    until = loaded.find_facts(until="2024-07")  # month precision: 2024-07-28 is within
    assert sorted(f.relation for f in until) == ["AIDED", "ATTACKED"]
    window = loaded.find_facts(since="2024-09-26", until="2024-09-26")
    assert [f.id for f in window] == [AGREED_NEG_ID]
    assert [f.id for f in loaded.find_facts(negated=True)] == [AGREED_NEG_ID]
    assert len(loaded.find_facts(negated=False)) == 8
    assert all(f.dates for f in loaded.find_facts(since="2000"))  # undated facts never match a bound


def test_unknown_relation_is_a_query_error(loaded: GraphStore) -> None:
    with pytest.raises(QueryError):
        loaded.find_facts(relation="INVADED")


def test_get_fact_and_evidence(loaded: GraphStore) -> None:
    met = loaded.get_fact(MET_ID)
    assert met is not None and met == loaded.find_facts(relation="MET")[0]
    assert loaded.get_fact("0" * 20) is None
    evidence = loaded.evidence(MET_ID)
    assert [(e.article_id, e.sentence, e.date) for e in evidence] == [
        ("a1", "Dermer met Blinken in Washington.", "2024-09-25"),
        ("a2", "Blinken spoke with Dermer again.", "2024-09-30"),
    ]
    first = evidence[0]
    assert (first.start, first.end, first.confidence) == (0, 33, 0.9)
    assert (first.article_title, first.article_url, first.article_source, first.article_published) == (
        "Talks in Washington",
        "http://example.org/a1",
        "Wire A",
        "2024-09-26",
    )
    assert loaded.evidence("0" * 20) == []


# --- events, paths, subgraphs -------------------------------------------------------------------


def test_events_timeline(loaded: GraphStore) -> None:
    events = loaded.events()
    assert len(events) == 7  # PROXY_OF and OFFICIAL_OF are standing relations
    firsts = [f.dates[0] for f in events]
    assert firsts == sorted(firsts)
    assert [f.relation for f in events[:2]] == ["AIDED", "ATTACKED"]
    for a, b in zip(events, events[1:], strict=False):
        if a.dates[0] == b.dates[0]:
            assert a.id < b.id
    assert [f.relation for f in loaded.events(actor=sd.BLINKEN.id)] == ["MET"]
    assert len(loaded.events(type="ATTACKED")) == 3
    assert len(loaded.events(type="ATTACKED", since="2024-09")) == 2
    assert [f.relation for f in loaded.events(until="2024-07-31")] == ["AIDED", "ATTACKED"]
    assert [f.id for f in loaded.events(limit=2, offset=1)] == [f.id for f in events[1:3]]
    with pytest.raises(QueryError):
        loaded.events(type="PROXY_OF")


def test_paths(loaded: GraphStore) -> None:
    [path] = loaded.paths(sd.DERMER.id, sd.USA.id)
    assert [n.id for n in path.nodes] == [sd.DERMER.id, sd.BLINKEN.id, sd.USA.id]
    assert [e.relation for e in path.edges] == ["MET", "OFFICIAL_OF"]
    many = loaded.paths(sd.IRN.id, sd.ISR.id)
    assert len(many) == 4  # (PROXY_OF | AIDED) x (two ATTACKED directions)
    assert all([n.id for n in p.nodes] == [sd.IRN.id, sd.HEZBOLLAH.id, sd.ISR.id] for p in many)
    assert [[e.id for e in p.edges] for p in many] == sorted([e.id for e in p.edges] for p in many)
    assert len(loaded.paths(sd.IRN.id, sd.ISR.id, limit=2)) == 2
    assert loaded.paths(sd.DERMER.id, sd.USA.id, max_hops=1) == []
    with pytest.raises(NotFoundError):
        loaded.paths(sd.DERMER.id, "person:nobody")


def test_subgraph(loaded: GraphStore) -> None:
    one = loaded.subgraph(sd.BLINKEN.id, depth=1)
    assert [n.id for n in one.nodes] == [sd.BLINKEN.id, sd.USA.id, sd.DERMER.id]
    assert [e.relation for e in one.edges] == ["MET", "OFFICIAL_OF"] and one.truncated is False
    two = loaded.subgraph(sd.BLINKEN.id, depth=2)
    assert [n.id for n in two.nodes] == [sd.BLINKEN.id, sd.USA.id, sd.DERMER.id, sd.CEASEFIRE.id]
    assert [e.relation for e in two.edges] == ["MET", "OFFICIAL_OF", "PROPOSED"]
    capped = loaded.subgraph(sd.BLINKEN.id, depth=2, limit=3)
    assert len(capped.nodes) == 3 and capped.truncated is True
    met_only = loaded.subgraph(sd.BLINKEN.id, depth=2, relation="MET")
    assert [n.id for n in met_only.nodes] == [sd.BLINKEN.id, sd.DERMER.id]
    assert [e.id for e in met_only.edges] == [MET_ID]
    with pytest.raises(NotFoundError):
        loaded.subgraph("person:nobody")


# --- dump / load ---------------------------------------------------------------------------------


def test_dump_shape(loaded: GraphStore) -> None:
    dump = loaded.dump()
    assert [a["id"] for a in dump.articles] == ["a1", "a2", "a3"]
    assert [e["id"] for e in dump.entities] == sorted(e["id"] for e in dump.entities) and len(
        dump.entities
    ) == 8
    assert len(dump.evidence) == 11
    assert {row["fact_id"] for row in dump.evidence} == {f.id for f in loaded.find_facts()}


def test_dump_then_load_into_empty_store_gives_same_graph(loaded: GraphStore) -> None:
    dump = loaded.dump()
    facts = loaded.find_facts()
    loaded.reset()
    loaded.load(dump)
    assert loaded.dump() == dump
    assert loaded.find_facts() == facts
