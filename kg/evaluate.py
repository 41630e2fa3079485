"""Scoring extraction output against gold files, exactly as ``extraction-spec.md`` defines it.

Users run this on their own gold sets (``kg eval``), the quality test guards the devset level with
it, and ``benchmarks/score_devset.py`` scores the full devset. Matching is by normalised surface
form, not by id, so the score rewards correct merging: an entity split into two nodes costs precision.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.vocabulary import get_vocabulary

_LEADING_THE = re.compile(r"^the\s+")
_POSSESSIVE = re.compile(r"['’]s\b")
_PUNCT = re.compile(r"[^\w\s-]|_")
_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """The spec's name normalisation (rule 1 of scoring)."""
    s = name.lower().strip()
    s = _LEADING_THE.sub("", s)
    s = _POSSESSIVE.sub("", s)
    s = _PUNCT.sub("", s)
    return _SPACE.sub(" ", s).strip()


def _forms(entity: dict[str, Any]) -> frozenset[str]:
    names = [entity.get("name") or "", *(entity.get("aliases") or [])]
    return frozenset(n for n in (normalise_name(x) for x in names if isinstance(x, str)) if n)


def _asserted(triple: dict[str, Any]) -> bool:
    modality = (triple.get("attributes") or {}).get("modality", "asserted")
    return modality in (None, "asserted")


@dataclass(slots=True)
class RelationScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(slots=True)
class EvalReport:
    overall: RelationScore = field(default_factory=RelationScore)
    per_relation: dict[str, RelationScore] = field(default_factory=dict)
    dates_correct: int = 0
    dates_total: int = 0
    documents: int = 0
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    false_negatives: list[dict[str, Any]] = field(default_factory=list)
    wrong_dates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def date_accuracy(self) -> float:
        return self.dates_correct / self.dates_total if self.dates_total else 0.0

    def relation(self, name: str) -> RelationScore:
        return self.per_relation.setdefault(name, RelationScore())

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "documents": self.documents,
            "overall": self.overall.to_dict(),
            "date_accuracy": round(self.date_accuracy, 4),
            "dates": {"correct": self.dates_correct, "total": self.dates_total},
            "per_relation": {k: v.to_dict() for k, v in sorted(self.per_relation.items())},
        }
        if details:
            out["false_positives"] = self.false_positives
            out["false_negatives"] = self.false_negatives
            out["wrong_dates"] = self.wrong_dates
        return out


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Gold files ``NNN.gold.json`` keyed by doc id."""
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: not a directory of gold files")
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(gold_dir.glob("*.gold.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            doc = str(data.get("doc") or path.name.split(".")[0])
            data["entities"], data["triples"]  # noqa: B018 - shape check
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(f"{path}: not a valid gold file ({e})") from e
        gold[doc] = data
    if not gold:
        raise InputError(f"{gold_dir}: no *.gold.json files")
    return gold


def load_predictions(path: Path) -> list[dict[str, Any]]:
    """Read ``kg extract --format jsonl`` output."""
    rows: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read predictions ({e})") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["doc"], row["subject"], row["relation"], row["object"]  # noqa: B018
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(f"{path}:{n}: not a prediction record ({e})") from e
        rows.append(row)
    return rows


def _gold_dates(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list):
        return {str(v) for v in value if v}
    return {str(value)}


def evaluate(gold: dict[str, dict[str, Any]], predictions: Iterable[dict[str, Any]]) -> EvalReport:
    """Micro-averaged P/R/F1 per the spec: per article, then summed."""
    vocab = get_vocabulary()
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in predictions:
        by_doc[str(p["doc"])].append(p)
    report = EvalReport(documents=len(gold))
    for doc, g in sorted(gold.items()):
        entities = {e["id"]: e for e in g["entities"]}
        gold_forms = {eid: _forms(e) for eid, e in entities.items()}
        gold_triples = [t for t in g["triples"] if _asserted(t)]
        matched = [False] * len(gold_triples)
        seen: set[tuple[str, str, str, bool]] = set()
        for p in by_doc.get(doc, []):
            if not _asserted(p):
                continue
            subj, obj = p["subject"], p["object"]
            key = (
                normalise_name(subj.get("name", "")),
                p["relation"],
                normalise_name(obj.get("name", "")),
                bool(p.get("negated", False)),
            )
            if key in seen:
                continue
            seen.add(key)
            s_forms, o_forms = _forms(subj), _forms(obj)
            rel = vocab.relations.get(p["relation"])
            symmetric = rel.symmetric if rel else False
            hit = None
            for i, t in enumerate(gold_triples):
                if matched[i] or t["relation"] != p["relation"] or bool(t.get("negated")) != key[3]:
                    continue
                gs, go = gold_forms.get(t["subject"], frozenset()), gold_forms.get(t["object"], frozenset())
                if (s_forms & gs and o_forms & go) or (symmetric and s_forms & go and o_forms & gs):
                    hit = i
                    break
            score = report.relation(p["relation"])
            if hit is None:
                score.fp += 1
                report.overall.fp += 1
                report.false_positives.append(
                    {
                        "doc": doc,
                        "subject": subj.get("name"),
                        "relation": p["relation"],
                        "object": obj.get("name"),
                        "negated": key[3],
                        "evidence": (p.get("evidence") or {}).get("sentence"),
                    }
                )
                continue
            matched[hit] = True
            score.tp += 1
            report.overall.tp += 1
            t = gold_triples[hit]
            dates = _gold_dates(t.get("date"))
            if dates and rel is not None and rel.is_event:
                report.dates_total += 1
                if p.get("date") in dates:
                    report.dates_correct += 1
                else:
                    report.wrong_dates.append(
                        {
                            "doc": doc,
                            "relation": t["relation"],
                            "subject": t["subject"],
                            "object": t["object"],
                            "gold": sorted(dates),
                            "pred": p.get("date"),
                        }
                    )
        for i, t in enumerate(gold_triples):
            if not matched[i]:
                report.relation(t["relation"]).fn += 1
                report.overall.fn += 1
                report.false_negatives.append(
                    {
                        "doc": doc,
                        "subject": entities.get(t["subject"], {}).get("name"),
                        "relation": t["relation"],
                        "object": entities.get(t["object"], {}).get("name"),
                        "negated": bool(t.get("negated")),
                        "evidence": t.get("evidence"),
                    }
                )
    return report


def relation_counts(gold: dict[str, dict[str, Any]]) -> Counter[str]:
    """Gold instances per relation (asserted only)."""
    return Counter(t["relation"] for g in gold.values() for t in g["triples"] if _asserted(t))
