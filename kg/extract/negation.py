"""Negation and modality of a relation trigger, from its dependency context.

A negated statement ("has not agreed", "denied attacking") is a different fact; a hedged,
hypothetical or planned one ("may strike", "would agree if", "will meet") is not a fact yet and
is marked with a modality so that consumers can skip it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml
from spacy.tokens import Token

from kg.extract.gazetteer import LEXICON_DIR

ASSERTED, HEDGED, HYPOTHETICAL, PLANNED = "asserted", "hedged", "hypothetical", "planned"


@dataclass(frozen=True, slots=True)
class ModalityCues:
    negation_words: frozenset[str]
    negating_verbs: frozenset[str]
    hedged_modals: frozenset[str]
    hypothetical_modals: frozenset[str]
    planned_modals: frozenset[str]
    planned_verbs: frozenset[str]
    hedged_verbs: frozenset[str]
    hedged_words: frozenset[str]
    hypothetical_marks: frozenset[str]


@lru_cache(maxsize=1)
def get_cues() -> ModalityCues:
    data = yaml.safe_load((LEXICON_DIR / "modality.yaml").read_text(encoding="utf-8"))
    return ModalityCues(**{k: frozenset(str(x).lower() for x in v) for k, v in data.items()})


def _clause_chain(trigger: Token, through_conj: bool = True) -> list[Token]:
    """The trigger and the verbs it hangs from up to its clause head (xcomp, conj, noun-to-verb).

    Negation does not cross a coordination ("denied X and accused Y": only X is denied); shared
    auxiliaries do ("will meet and sign").
    """
    chain = [trigger]
    tok = trigger
    for _ in range(4):
        if tok.dep_ == "conj" and not through_conj:
            break
        if (
            tok.dep_
            in (
                "xcomp",
                "conj",
                "dobj",
                "pobj",
                "prep",
                "pcomp",
                "acomp",
                "attr",
                "nsubj",
                "nsubjpass",
                "amod",
                "compound",
            )
            and tok.head is not tok
        ):
            tok = tok.head
            chain.append(tok)
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("xcomp", "conj", "pcomp"):
                break
        else:
            break
    return chain


def is_negated(trigger: Token) -> bool:
    cues = get_cues()
    for tok in _clause_chain(trigger, through_conj=False):
        for c in tok.children:
            if c.dep_ == "neg" or (c.lower_ in cues.negation_words and c.dep_ in ("neg", "advmod", "det")):
                if c.lower_ == "no" and c.dep_ == "det" and tok is not trigger:
                    continue
                return True
        if tok is not trigger and tok.lemma_.lower() in cues.negating_verbs:
            return True
        if tok.pos_ == "VERB" and tok is not trigger and tok.dep_ not in ("xcomp", "conj", "pcomp"):
            break
    # "no strikes on X": determiner on a noun trigger
    return any(c.lower_ == "no" and c.dep_ == "det" for c in trigger.children)


def modality(trigger: Token) -> str:
    cues = get_cues()
    chain = _clause_chain(trigger)
    if any(t.lemma_ in ("continue", "remain") for t in chain[1:]):
        return ASSERTED  # "will continue to support": the support is already there
    for tok in chain:
        for c in tok.children:
            low = c.lower_
            if c.dep_ in ("aux", "auxpass"):
                if low in cues.hedged_modals:
                    return HEDGED
                if low in cues.hypothetical_modals:
                    return HYPOTHETICAL
                if low in cues.planned_modals or low == "'ll":
                    return PLANNED
                if low == "going" or (c.lemma_ == "be" and any(g.lower_ == "to" for g in c.children)):
                    return PLANNED
            if c.dep_ == "mark" and low in cues.hypothetical_marks:
                return HYPOTHETICAL
            if c.dep_ == "advmod" and low in cues.hedged_words:
                return HEDGED
    head = chain[-1]
    # governing verb of the clause: "plans to meet", "hopes Nakasone will make proposals"
    gov = head.head if head.dep_ in ("xcomp", "ccomp", "advcl") else None
    if gov is not None:
        lem = gov.lemma_.lower()
        if lem in cues.planned_verbs:
            return PLANNED
        if lem in cues.hedged_verbs:
            return HEDGED
    if head.dep_ == "xcomp" and head.head.lemma_.lower() in cues.planned_verbs:
        return PLANNED
    # "rumors that the United States had launched a strike"
    anc = head.head
    for _ in range(4):
        if (
            anc.lower_ in cues.hedged_words
            or anc.lemma_.lower() in cues.hedged_words
            or any(
                c.dep_ in ("nsubj", "nsubjpass") and any(w.lower_ in cues.hedged_words for w in c.subtree)
                for c in anc.children
            )
        ):
            return HEDGED
        if anc.head is anc:
            break
        anc = anc.head
    return ASSERTED
