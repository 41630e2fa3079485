"""Quality guard: the extractor's score on the bundled annotated articles must not drop.

The floors are the level reached so far (raised as the score rises), not the project's targets;
targets not reached yet are tracked in the issue notes, never as a red test. The full devset
(not redistributable) is scored by ``benchmarks/score_devset.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli.eval_cmd import run_eval
from kg.evaluate import EvalReport, load_gold, relation_counts

GOLD_DIR = Path(__file__).resolve().parents[2] / "examples" / "articles"

F1_FLOOR = 0.86
PRECISION_FLOOR = 0.92
DATE_ACCURACY_FLOOR = 0.95
# Relations with gold instances in the bundled articles that the extractor does not find yet.
NOT_FOUND_YET = {"ALLY_OF"}


@pytest.fixture(scope="module")
def report() -> EvalReport:
    return run_eval(GOLD_DIR, None)


def test_micro_f1_and_precision_hold(report: EvalReport) -> None:
    assert report.overall.f1 >= F1_FLOOR, report.to_dict()["overall"]
    assert report.overall.precision >= PRECISION_FLOOR, report.to_dict()["overall"]


def test_date_accuracy_holds(report: EvalReport) -> None:
    assert report.dates_total >= 10
    assert report.date_accuracy >= DATE_ACCURACY_FLOOR, report.wrong_dates


def test_every_annotated_relation_is_found_at_least_once(report: EvalReport) -> None:
    expected = set(relation_counts(load_gold(GOLD_DIR))) - NOT_FOUND_YET
    missing = {r for r in expected if report.relation(r).tp == 0}
    assert not missing, f"no correct triple for {sorted(missing)}"
