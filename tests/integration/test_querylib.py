"""Every library query, run on the sample articles as the real extractor and store ingest them.

Answers are pinned to what the extractor finds in ``examples/articles`` (checked by hand against
the articles and their gold files) and, where a count is the answer, cross-checked with an
independent query. Assertions are "contains" where a better extractor may add true facts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from neo4j.graph import Path as GraphPath

from kg.model import ArticleExtraction, Entity, Evidence
from kg.querylib import get_query, list_queries
from kg.settings import Settings
from kg.store.neo4j_store import Neo4jStore
from kg.vocabulary import get_vocabulary
from tests.integration.sample_graph import example_extractions, ingest_examples

pytestmark = pytest.mark.neo4j

Rows = list[dict[str, Any]]


class Graph:
    """The sample graph plus helpers to run library queries and independent checks on it."""

    def __init__(self, driver: Driver, database: str) -> None:
        self.driver = driver
        self.database = database

    def run(self, name: str, **params: Any) -> Rows:
        query = get_query(name)
        return self.cypher(query.cypher, **query.bind(params))

    def cypher(self, text: str, **params: Any) -> Rows:
        # Notifications off: library queries name relation types the sample may lack (SANCTIONED).
        with self.driver.session(database=self.database, notifications_min_severity="OFF") as session:
            return [record.data() for record in session.run(text, params)]


@pytest.fixture
def graph(neo4j_clean: Driver, kg_settings: Settings) -> Iterator[Graph]:
    ingest_examples(neo4j_clean, kg_settings.neo4j_database)
    yield Graph(neo4j_clean, kg_settings.neo4j_database)


def pairs(rows: Rows, a: str, b: str) -> set[frozenset[str]]:
    return {frozenset((row[a], row[b])) for row in rows}


def test_who_met_whom_in_a_period(graph: Graph) -> None:
    july_2023 = graph.run("who_met_whom", since="2023-07-01", until="2023-07-31")
    assert pairs(july_2023, "actor", "met") >= {
        frozenset({"Charles Michel", "Ilham Aliyev"}),
        frozenset({"Charles Michel", "Nikol Pashinyan"}),
    }
    assert all(d.startswith("2023-07") for row in july_2023 for d in row["dates"])
    assert all(row["articles"] == ["021"] for row in july_2023)

    in_2024 = graph.run("who_met_whom")  # defaults: the year 2024
    assert frozenset({"Joe Biden", "Benjamin Netanyahu"}) in pairs(in_2024, "actor", "met")
    assert not pairs(in_2024, "actor", "met") & pairs(july_2023, "actor", "met")
    biden = next(r for r in in_2024 if {r["actor"], r["met"]} == {"Joe Biden", "Benjamin Netanyahu"})
    assert biden["dates"] == ["2024-07-25"]
    # Empty bounds are open: every dated meeting.
    dated = graph.cypher(
        "MATCH ()-[r:MET]->() WHERE size(r.dates) > 0 AND NOT r.negated RETURN count(r) AS n"
    )
    assert len(graph.run("who_met_whom", since="", until="")) == dated[0]["n"]
    # A partial bound matches at its own precision: "2024-07" is all of July.
    assert pairs(graph.run("who_met_whom", since="2024-07", until="2024-07"), "actor", "met") == {
        frozenset({"Joe Biden", "Benjamin Netanyahu"})
    }


def test_ceasefire_positions(graph: Graph) -> None:
    rows = {row["proposal"]: row for row in graph.run("ceasefire_positions")}
    # Article 024's Israel-Hezbollah agreement (named as the extractor phrases it).
    lebanon = next(row for name, row in rows.items() if name.startswith("ceasefire agreement"))
    assert set(lebanon["accepted_by"]) >= {"Hezbollah", "Israel"}
    assert lebanon["rejected_by"] == []
    # Article 000's US-French proposal (its name follows the extractor's phrase choice).
    us_proposal = next(row for name, row in rows.items() if name.startswith("ceasefire proposal"))
    assert set(us_proposal["proposed_by"]) >= {"France", "United States"}
    # Only ceasefire-like proposals: the ICJ order and the US-led initiative are not listed.
    assert not [name for name in rows if name.startswith(("International Court", "US-led initiative"))]
    # Every "did not agree" reported for a listed proposal is in its not_accepted_by column.
    declined = graph.cypher(
        "MATCH (x:Entity)-[r:AGREED_TO {negated: true}]->(p:Proposal) RETURN p.name AS p, x.name AS x"
    )
    for row in declined:
        if row["p"] in rows:
            assert row["x"] in rows[row["p"]]["not_accepted_by"]
    assert graph.run("ceasefire_positions", terms="armistice") == []


def test_proxy_network(graph: Graph) -> None:
    rows = graph.run("proxy_network")
    by_proxy = {row["proxy"]: row for row in rows}
    assert {(row["sponsor"], row["proxy"]) for row in rows} >= {("Iran", "Hezbollah"), ("Iran", "Houthis")}
    assert set(by_proxy["Houthis"]["adversaries"]) >= {"United States", "United Kingdom"}
    assert "Israel" in by_proxy["Hezbollah"]["adversaries"]
    sponsorship = by_proxy["Hezbollah"]["sponsorship"]
    assert isinstance(sponsorship, list)  # record.data() flattens paths to [start, rel, end]
    assert graph.run("proxy_network", sponsor="country:IRN") == graph.run("proxy_network", sponsor="iran")
    assert graph.run("proxy_network", sponsor="France") == []


def test_actor_timeline(graph: Graph) -> None:
    rows = graph.run("actor_timeline", actor="United States")
    assert [row["when"] for row in rows] == sorted(row["when"] for row in rows)
    assert all("United States" in (row["subject"], row["object"]) for row in rows)
    assert {
        "when": "2024-02-24",
        "dated": True,
        "subject": "United States",
        "relation": "ATTACKED",
        "object": "Yemen",
        "negated": False,
        "articles": ["030"],
    } in rows
    # Undated facts sit at the publication date of their article (003 was published 2022-11-02).
    faki = next(row for row in rows if row["object"] == "Faki")
    assert (faki["when"], faki["dated"], faki["relation"]) == ("2022-11-02", False, "SUPPORTED")
    assert graph.run("actor_timeline", actor="US") == rows  # an alias finds the same actor


def test_edge_evidence(graph: Graph) -> None:
    rows = graph.run("edge_evidence")  # Joe Biden MET Benjamin Netanyahu
    assert len(rows) == 1
    row = rows[0]
    assert (row["relation"], row["article"], row["published"]) == ("MET", "000", "2024-09-26")
    assert "Biden meets with Prime Minister Benjamin Netanyahu" in row["sentence"]
    assert row["date"] == "2024-07-25"
    # Symmetric relation: either orientation; ids work as well as names.
    flipped = graph.run(
        "edge_evidence", subject="person:benjamin-netanyahu", relation="met", object="Joe Biden"
    )
    assert flipped == rows
    attack = graph.run("edge_evidence", subject="United Kingdom", relation="ATTACKED", object="Yemen")
    assert [r["article"] for r in attack] == ["030"] and "strikes" in attack[0]["sentence"]


def test_most_connected(graph: Graph) -> None:
    rows = graph.run("most_connected", limit=5)
    assert len(rows) == 5
    assert [row["actor"] for row in rows[:2]] == ["United States", "United Kingdom"]
    assert [row["facts"] for row in rows] == sorted((row["facts"] for row in rows), reverse=True)
    assert all(row["type"] in get_vocabulary().actor_types for row in rows)
    expected = graph.cypher(
        "MATCH (:Entity {id: 'country:USA'})-[r]-(:Entity) WHERE NOT r.negated RETURN count(r) AS n"
    )[0]["n"]
    assert rows[0]["facts"] == expected


_US_YEMEN = ("country:USA", "ATTACKED", "country:YEM")


def test_negated_facts(graph: Graph) -> None:
    independent = graph.cypher(
        "MATCH (s:Entity)-[r {negated: true}]->(o:Entity) RETURN s.name AS s, type(r) AS rel, o.name AS o"
    )
    rows = graph.run("negated_facts")
    assert {(r["subject"], r["relation"], r["object"]) for r in rows} == {
        (r["s"], r["rel"], r["o"]) for r in independent
    }
    assert all(row["sentences"] and row["articles"] for row in rows)

    # A denial reported next to the positive fact: a separate, negated relationship with its sentence.
    base = example_extractions()[-1]  # 030
    strike = next(t for t in base.triples if (t.subject.id, t.relation, t.object.id) == _US_YEMEN)
    sentence = "The Pentagon said the United States did not strike Yemen on 25 February."
    denial = dataclasses.replace(
        strike,
        doc="030-denial",
        negated=True,
        date="2024-02-25",
        evidence=Evidence(sentence=sentence, start=0, end=len(sentence)),
    )
    article = dataclasses.replace(base.article, id="030-denial", body=sentence)
    Neo4jStore(graph.driver, graph.database).write_article(
        ArticleExtraction(article, [strike.subject, strike.object], [denial])
    )
    after = {(r["subject"], r["relation"], r["object"]): r for r in graph.run("negated_facts")}
    assert after[("United States", "ATTACKED", "Yemen")]["sentences"] == [sentence]
    assert after[("United States", "ATTACKED", "Yemen")]["articles"] == ["030-denial"]
    assert len(after) == len(rows) + 1
    # ... and the positive fact is still reported as an attack, not swallowed by its denial.
    attacks = graph.run("attacks_on_location", location="Yemen")
    assert ("United States", "Yemen") in {(r["attacker"], r["target"]) for r in attacks}


def test_shortest_path_between_two_leaders(graph: Graph) -> None:
    rows = graph.run("shortest_path")  # Benjamin Netanyahu -> Kenyatta
    assert len(rows) == 1
    row = rows[0]
    assert row["names"][0] == "Benjamin Netanyahu" and row["names"][-1] == "Kenyatta"
    assert row["hops"] == len(row["relations"]) == len(row["names"]) - 1
    # Today: Netanyahu -MET- Biden -OFFICIAL_OF- United States -SUPPORTED- Kenyatta.
    assert 2 <= row["hops"] <= 3  # not directly linked, and that path exists
    for left, relation, right in zip(row["names"][:-1], row["relations"], row["names"][1:], strict=True):
        linked = graph.cypher(
            "MATCH (:Entity {name: $a})-[r]-(:Entity {name: $b}) WHERE type(r) = $rel AND NOT r.negated "
            "RETURN count(r) AS n",
            a=left,
            b=right,
            rel=relation,
        )
        assert linked[0]["n"] >= 1, (left, relation, right)
    assert graph.run("shortest_path", **{"from": "Benjamin Netanyahu", "to": "Nobody Named So"}) == []


def test_shortest_path_returns_a_drawable_path(graph: Graph) -> None:
    query = get_query("shortest_path")
    with graph.driver.session(database=graph.database) as session:
        record = session.run(query.cypher, query.bind()).single()
    assert record is not None
    path = record["path"]
    assert isinstance(path, GraphPath)
    assert all("Entity" in node.labels for node in path.nodes)


def test_office_holders(graph: Graph) -> None:
    rows = graph.run("office_holders")  # United States
    holders = {(row["person"], row["title"], row["body"]) for row in rows}
    assert holders >= {
        ("Antony Blinken", "Secretary of State", "United States"),
        ("Joe Biden", "President", "United States"),
        ("John Kirby", "National Security Adviser", "United States"),
    }
    # Through PART_OF: the AU Commission's chairman holds office in the African Union.
    au = graph.run("office_holders", state="African Union")
    assert ("Faki", "Chairman", "AU Commission") in {(r["person"], r["title"], r["body"]) for r in au}


def test_attacks_on_location(graph: Graph) -> None:
    rows = graph.run("attacks_on_location")  # Yemen
    assert {(r["attacker"], r["target"]) for r in rows} == {
        ("United Kingdom", "Yemen"),
        ("United States", "Yemen"),
    }
    assert all(r["dates"] == ["2024-02-24"] and r["articles"] == ["030"] for r in rows)
    assert graph.run("attacks_on_location", location="Kenya") == []


def test_attacks_inside_a_location_count(graph: Graph) -> None:
    """A strike on a place inside the location counts (LOCATED_IN), written through the real store."""
    base = example_extractions()[-1]  # 030: the Yemen strikes
    assert base.article.id == "030"
    strike = next(t for t in base.triples if (t.subject.id, t.relation, t.object.id) == _US_YEMEN)
    sanaa = Entity(id="location:sanaa", name="Sanaa", type="Location", aliases=["Sanaa"])
    extra = [
        dataclasses.replace(strike, doc="030-sanaa", object=sanaa, date="2024-02-25"),
        dataclasses.replace(strike, doc="030-sanaa", subject=sanaa, relation="LOCATED_IN", date=None),
    ]
    article = dataclasses.replace(base.article, id="030-sanaa")
    entities = [strike.subject, strike.object, sanaa]
    Neo4jStore(graph.driver, graph.database).write_article(ArticleExtraction(article, entities, extra))
    rows = graph.run("attacks_on_location", location="Yemen")
    assert {(r["attacker"], r["target"]) for r in rows} == {
        ("United Kingdom", "Yemen"),
        ("United States", "Yemen"),
        ("United States", "Sanaa"),
    }
    assert graph.run("attacks_on_location", location="Sanaa") == [
        {"attacker": "United States", "target": "Sanaa", "dates": ["2024-02-25"], "articles": ["030-sanaa"]}
    ]


def test_new_facts_since(graph: Graph) -> None:
    rows = graph.run("new_facts_since", since="2024-02-01")
    assert all(row["first_seen"] >= "2024-02-01" for row in rows)
    assert {a for row in rows for a in row["articles"]} == {"000", "024", "030"}
    assert [row["first_seen"] for row in rows] == sorted(row["first_seen"] for row in rows)
    late = graph.run("new_facts_since", since="2024-11")
    assert late and {a for row in late for a in row["articles"]} == {"024"}
    everything = graph.cypher("MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS n")[0]["n"]
    assert len(graph.run("new_facts_since", since="2000")) == everything


def test_single_and_multi_source_facts(graph: Graph) -> None:
    single = graph.run("single_source_facts")
    counts = graph.cypher(
        "MATCH (:Entity)-[r]->(:Entity) RETURN size(r.articles) = 1 AS single, count(r) AS n ORDER BY single"
    )
    by_kind = {row["single"]: row["n"] for row in counts}
    assert len(single) == by_kind[True]
    assert len(graph.run("multi_source_facts")) == by_kind.get(False, 0)
    yemen_facts = {(r["subject"], r["relation"], r["object"]) for r in single if r["article"] == "030"}
    assert ("United States", "ATTACKED", "Yemen") in yemen_facts

    # A second outlet republishes the Yemen statement: its facts become corroborated.
    base = example_extractions()[-1]
    copy = dataclasses.replace(base, article=dataclasses.replace(base.article, id="030-copy"))
    copy = dataclasses.replace(copy, triples=[dataclasses.replace(t, doc="030-copy") for t in base.triples])
    Neo4jStore(graph.driver, graph.database).write_article(copy)
    multi = graph.run("multi_source_facts")
    copied = [r for r in multi if "030-copy" in r["articles"]]
    assert {(r["subject"], r["relation"], r["object"]) for r in copied} == yemen_facts
    assert all(r["sources"] == 2 and r["articles"] == ["030", "030-copy"] for r in copied)
    assert not {r["article"] for r in graph.run("single_source_facts")} & {"030", "030-copy"}


def test_actor_neighbourhood(graph: Graph) -> None:
    rows = graph.run("actor_neighbourhood")  # Hezbollah
    links = {(r["relation"], r["other"]) for r in rows}
    assert links >= {("PROXY_OF", "Iran"), ("IN_CONFLICT_WITH", "Israel")}
    assert any(rel == "AGREED_TO" and other.startswith("ceasefire agreement") for rel, other in links)
    assert all(r["actor"] == "Hezbollah" for r in rows)


def test_hostile_actions(graph: Graph) -> None:
    rows = graph.run("hostile_actions", actor="Houthis")
    assert {(r["actor"], r["action"], r["target"]) for r in rows} >= {
        ("United States", "ATTACKED", "Houthis"),
        ("United Kingdom", "ATTACKED", "Houthis"),
    }
    assert all("Houthis" in (r["actor"], r["target"]) for r in rows)
    everyone = graph.run("hostile_actions")
    assert ("Israel", "ATTACKED", "Hezbollah") in {(r["actor"], r["action"], r["target"]) for r in everyone}
    assert len(everyone) > len(rows)


def test_allies_and_backers(graph: Graph) -> None:
    rows = graph.run("allies_and_backers")  # United Kingdom
    partners = {row["partner"]: row["ties"] for row in rows}
    coalition = {"Australia", "Bahrain", "Canada", "Denmark", "Netherlands", "New Zealand"}
    assert set(partners) >= coalition
    assert all("AIDED" in partners[name] for name in coalition)
    # Direction matters: the UK aiding someone does not make them the UK's backer.
    assert "Yemen" not in partners


def test_conflict_dyads(graph: Graph) -> None:
    rows = graph.run("conflict_dyads")
    dyads = {frozenset((r["side_a"], r["side_b"])): r for r in rows}
    hezbollah_israel = dyads[frozenset({"Hezbollah", "Israel"})]
    sponsors = hezbollah_israel["sponsors_a"] if hezbollah_israel["side_a"] == "Hezbollah" else None
    assert sponsors == ["Iran"]
    assert any("Ethiopia" in pair and any(side.startswith("Tigray") for side in pair) for pair in dyads)


def test_article_facts(graph: Graph) -> None:
    rows = graph.run("article_facts", article="030")
    facts = {(r["subject"], r["relation"], r["object"], r["date"]) for r in rows}
    assert ("United States", "ATTACKED", "Yemen", "2024-02-24") in facts
    assert ("Australia", "AIDED", "United States", "2024-02-24") in facts
    evidence = graph.cypher("MATCH (:Article {id: '030'})-[:HAS_EVIDENCE]->(e) RETURN count(e) AS n")[0]["n"]
    assert len(rows) == evidence
    assert all(r["sentence"] for r in rows)


def test_co_mentioned(graph: Graph) -> None:
    rows = graph.run("co_mentioned")  # Israel
    by_name = {row["entity"]: row for row in rows}
    assert by_name["Hezbollah"]["shared_articles"] == 2
    assert by_name["Hezbollah"]["articles"] == ["000", "024"]
    assert [row["shared_articles"] for row in rows] == sorted(
        (r["shared_articles"] for r in rows), reverse=True
    )
    assert "Israel" not in by_name
    assert len(graph.run("co_mentioned", limit=3)) == 3


def test_relation_summary(graph: Graph) -> None:
    rows = {row["relation"]: row for row in graph.run("relation_summary")}
    independent = graph.cypher(
        "MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS rel, count(r) AS n, "
        "collect(DISTINCT r.cameo) AS cameo, collect(DISTINCT r.plover) AS plover"
    )
    assert {r["rel"]: r["n"] for r in independent} == {name: row["facts"] for name, row in rows.items()}
    for r in independent:
        assert rows[r["rel"]]["cameo"] == sorted(r["cameo"]), r["rel"]
        assert rows[r["rel"]]["plover"] == sorted(r["plover"]), r["rel"]
    vocabulary = get_vocabulary().relations
    assert set(rows) <= set(vocabulary)
    for name, row in rows.items():
        if not vocabulary[name].is_event:
            assert row["cameo"] == [] and row["plover"] == [], name  # standing relations carry no codes
    assert rows["ATTACKED"]["facts"] >= 4 and rows["AIDED"]["facts"] >= 12
    assert sum(row["negated"] for row in rows.values()) == len(graph.run("negated_facts"))


def test_every_library_query_is_run_by_a_test_in_this_module() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    run_here = set(re.findall(r'graph\.run\(\s*"([a-z_]+)"', source))
    untested = {q.name for q in list_queries()} - run_here
    assert not untested, f"library queries without a test: {sorted(untested)}"
