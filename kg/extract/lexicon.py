"""The relation trigger lexicon (``schema/lexicons/relations.yaml``) in the shape the rules use."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from kg.errors import ConfigError
from kg.extract.gazetteer import LEXICON_DIR
from kg.vocabulary import get_vocabulary


@dataclass(frozen=True, slots=True)
class VerbTrigger:
    relation: str
    key: str  # the lexicon entry, e.g. "put forward"
    path: tuple[str, ...]  # words after the verb that must hang below it ("forward")
    slots: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NounTrigger:
    relation: str
    key: str
    modifier: str | None  # "air" in "air strike"
    slots: tuple[str, ...]


@dataclass(slots=True)
class Lexicon:
    verbs: dict[str, list[VerbTrigger]] = field(default_factory=dict)  # by verb lemma
    nouns: dict[str, list[NounTrigger]] = field(default_factory=dict)  # by head lemma
    cameo: dict[tuple[str, str], str] = field(default_factory=dict)
    object_cameo: dict[tuple[str, str], str] = field(default_factory=dict)
    support_verbs: frozenset[str] = frozenset()
    speech_verbs: frozenset[str] = frozenset()
    proposal_heads: frozenset[str] = frozenset()
    proposal_weak_heads: frozenset[str] = frozenset()
    aid_with_nouns: frozenset[str] = frozenset()
    urging_modals: frozenset[str] = frozenset()
    reciprocal_verbs: frozenset[str] = frozenset()
    conformity_phrases: tuple[tuple[str, ...], ...] = ()
    accusation_adjectives: frozenset[str] = frozenset()
    threat_consequences: dict[str, frozenset[str]] = field(default_factory=dict)
    accusation_preps: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    path = LEXICON_DIR / "relations.yaml"
    try:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"cannot read relation lexicon {path}: {e}") from e
    vocab = get_vocabulary()
    lex = Lexicon()
    for rel, spec in data["relations"].items():
        if rel not in vocab.relations:
            raise ConfigError(f"{path}: relation {rel} is not in the vocabulary")
        for key, slots in (spec.get("verbs") or {}).items():
            words = key.split()
            trig = VerbTrigger(rel, key, tuple(w for w in words[1:] if w != "the"), tuple(slots))
            lex.verbs.setdefault(words[0], []).append(trig)
        for key, slots in (spec.get("nouns") or {}).items():
            words = key.split()
            mod = words[0] if len(words) > 1 else None
            lex.nouns.setdefault(words[-1], []).append(NounTrigger(rel, key, mod, tuple(slots)))
        for key, code in (spec.get("cameo") or {}).items():
            lex.cameo[(rel, key)] = str(code)
        for key, code in (spec.get("object_cameo") or {}).items():
            lex.object_cameo[(rel, key)] = str(code)
    # longer paths first so that "call on" wins over "call"
    for trigs in lex.verbs.values():
        trigs.sort(key=lambda t: -len(t.path))
    for ntrigs in lex.nouns.values():
        ntrigs.sort(key=lambda t: t.modifier is None)
    lex.support_verbs = frozenset(data.get("support_verbs", []))
    lex.speech_verbs = frozenset(data.get("speech_verbs", []))
    lex.proposal_heads = frozenset(data.get("proposal_heads", []))
    lex.proposal_weak_heads = frozenset(data.get("proposal_weak_heads", []))
    lex.aid_with_nouns = frozenset(data.get("aid_with_nouns", []))
    lex.urging_modals = frozenset(data.get("urging_modals", []))
    lex.reciprocal_verbs = frozenset(data.get("reciprocal_verbs", []))
    lex.accusation_adjectives = frozenset(data.get("accusation_adjectives", []))
    lex.threat_consequences = {k: frozenset(v) for k, v in (data.get("threat_consequences") or {}).items()}
    lex.accusation_preps = frozenset(data.get("accusation_preps", []))
    lex.conformity_phrases = tuple(tuple(p.split()) for p in data.get("conformity_phrases", []))
    return lex
