"""Loads ``schema/vocabulary.yaml``: the single source of the relation and entity-type vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


@dataclass(frozen=True, slots=True)
class Relation:
    name: str
    kind: str  # "event" | "standing"
    symmetric: bool
    subject_types: tuple[str, ...]
    object_types: tuple[str, ...]
    description: str
    cameo: str | None = None
    cameo_label: str | None = None
    plover: str | None = None

    @property
    def is_event(self) -> bool:
        return self.kind == "event"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    entity_types: dict[str, str]  # name -> description
    actor_types: tuple[str, ...]
    relations: dict[str, Relation]

    def allows(self, relation: str, subject_type: str, object_type: str) -> bool:
        rel = self.relations[relation]
        ok = subject_type in rel.subject_types and object_type in rel.object_types
        if not ok and rel.symmetric:
            ok = object_type in rel.subject_types and subject_type in rel.object_types
        return ok


def _expand(types: list[str], actors: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for t in types:
        out.extend(actors if t == "actor" else [t])
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1)
def get_vocabulary(path: Path | None = None) -> Vocabulary:
    data = yaml.safe_load((path or SCHEMA_DIR / "vocabulary.yaml").read_text(encoding="utf-8"))
    actors = tuple(data["actor_types"])
    relations = {
        name: Relation(
            name=name,
            kind=spec["kind"],
            symmetric=bool(spec.get("symmetric", False)),
            subject_types=_expand(spec["subject"], actors),
            object_types=_expand(spec["object"], actors),
            description=spec.get("description", ""),
            cameo=spec.get("cameo"),
            cameo_label=spec.get("cameo_label"),
            plover=spec.get("plover"),
        )
        for name, spec in data["relations"].items()
    }
    types = {name: spec.get("description", "") for name, spec in data["entity_types"].items()}
    return Vocabulary(entity_types=types, actor_types=actors, relations=relations)
