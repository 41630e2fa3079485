"""The scorer follows the spec's scoring rules; each test pins one rule with a tiny gold set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.evaluate import evaluate, load_gold, load_predictions, normalise_name

GOLD = {
    "doc": "t1",
    "entities": [
        {"id": "us", "name": "United States", "type": "Country", "aliases": ["U.S.", "Washington"]},
        {"id": "fr", "name": "France", "type": "Country", "aliases": []},
        {"id": "plan", "name": "ceasefire proposal", "type": "Proposal", "aliases": []},
        {"id": "a", "name": "Antony Blinken", "type": "Person", "aliases": ["Blinken"]},
        {"id": "d", "name": "Ron Dermer", "type": "Person", "aliases": ["Dermer"]},
        {"id": "isr", "name": "Israel", "type": "Country", "aliases": ["Israeli"]},
    ],
    "triples": [
        {"subject": "us", "relation": "PROPOSED", "object": "plan", "negated": False, "date": "2024-09-25"},
        {
            "subject": "a",
            "relation": "MET",
            "object": "d",
            "negated": False,
            "date": ["2024-09-24", "2024-09-26"],
        },
        {"subject": "isr", "relation": "AGREED_TO", "object": "plan", "negated": True, "date": None},
        {
            "subject": "fr",
            "relation": "SUPPORTED",
            "object": "plan",
            "negated": False,
            "date": None,
            "attributes": {"modality": "hedged"},
        },
    ],
}


def ent(name: str, *aliases: str) -> dict[str, object]:
    return {"id": name.lower(), "name": name, "type": "X", "aliases": list(aliases)}


def pred(
    s: dict[str, object],
    rel: str,
    o: dict[str, object],
    negated: bool = False,
    date: str | None = None,
    **attrs: object,
) -> dict[str, object]:
    return {
        "doc": "t1",
        "subject": s,
        "relation": rel,
        "object": o,
        "negated": negated,
        "date": date,
        "attributes": dict(attrs),
    }


def score(*preds: dict[str, object]):  # type: ignore[no-untyped-def]
    return evaluate({"t1": GOLD}, list(preds))


def test_normalisation_follows_the_spec() -> None:
    assert normalise_name("The U.S.") == "us"
    assert normalise_name("Prime Minister's Office") == "prime minister office"
    assert normalise_name("  IDF-Hezbollah   war ") == "idf-hezbollah war"
    assert normalise_name("Israel’s") == "israel"


def test_alias_match_symmetric_order_and_date_list() -> None:
    r = score(
        pred(ent("Washington"), "PROPOSED", ent("the ceasefire proposal"), date="2024-09-25"),
        pred(ent("Dermer"), "MET", ent("Blinken"), date="2024-09-26"),
    )
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (2, 0, 1)
    assert r.dates_total == 2 and r.dates_correct == 2


def test_negated_triple_is_a_different_fact() -> None:
    r = score(pred(ent("Israel"), "AGREED_TO", ent("ceasefire proposal"), negated=False))
    assert r.per_relation["AGREED_TO"].fp == 1 and r.per_relation["AGREED_TO"].fn == 1
    r = score(pred(ent("Israel"), "AGREED_TO", ent("ceasefire proposal"), negated=True))
    assert r.per_relation["AGREED_TO"].tp == 1


def test_duplicates_are_collapsed_and_unmerged_nodes_cost_precision() -> None:
    p = pred(ent("United States"), "PROPOSED", ent("ceasefire proposal"))
    r = score(p, p)
    assert (r.overall.tp, r.overall.fp) == (1, 0)
    # the same fact again under a second, unmerged node name: no gold left to match
    r = score(p, pred(ent("US"), "PROPOSED", ent("ceasefire proposal")))
    assert (r.overall.tp, r.overall.fp) == (1, 1)


def test_non_asserted_triples_are_skipped_on_both_sides() -> None:
    r = score(pred(ent("France"), "SUPPORTED", ent("ceasefire proposal"), modality="hedged"))
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (0, 0, 3)
    assert "SUPPORTED" not in r.per_relation


def test_wrong_date_counts_against_date_accuracy_only() -> None:
    r = score(pred(ent("US"), "PROPOSED", ent("ceasefire proposal"), date="2024-09-01"))
    assert r.overall.tp == 1 and r.dates_total == 1 and r.dates_correct == 0
    assert r.wrong_dates[0]["pred"] == "2024-09-01"


def test_gold_and_prediction_files(tmp_path: Path) -> None:
    (tmp_path / "t1.gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    pf = tmp_path / "pred.jsonl"
    pf.write_text(
        json.dumps(pred(ent("U.S."), "PROPOSED", ent("ceasefire proposal"))) + "\n\n", encoding="utf-8"
    )
    r = evaluate(load_gold(tmp_path), load_predictions(pf))
    assert r.overall.tp == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl:1"):
        load_predictions(bad)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no \\*.gold.json"):
        load_gold(empty)
