"""Proposal mentions: the plans, ceasefires, deals and resolutions diplomacy is about.

A proposal is a noun phrase headed by a lexicon word ("ceasefire proposal", "AU-led process",
"resolution 1701"). Weak heads ("process", "order") need a modifier or a name to count. A bare
definite head ("the proposal", "its initiative") is an anaphor and joins the latest proposal.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from kg.extract.lexicon import Lexicon
from kg.extract.mentions import Mention

_DROP_LEFT = {"det", "poss", "case", "predet", "punct", "advmod", "cc"}
_TAIL_PREPS = {"for", "between", "in", "on", "of", "to"}


def _norm(text: str) -> str:
    t = text.lower().replace("’", "'").replace("cease fire", "ceasefire").replace("cease-fire", "ceasefire")
    t = re.sub(r"-(led|brokered|backed|sponsored|drafted)\b", "", t)
    return re.sub(r"[\s-]+", " ", t).strip()


def find_proposals(doc: Doc, lex: Lexicon, taken: set[int]) -> list[Mention]:
    out: list[Mention] = []
    last: Mention | None = None
    last_by_head: dict[str, Mention] = {}
    for tok in doc:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.i in taken:
            continue
        head = _head_key(tok, lex)
        if head is None:
            continue
        mods = [c for c in tok.lefts if c.dep_ not in _DROP_LEFT]
        start = min([_left_edge(c) for c in mods], default=tok.i)
        right = tok.i + 1
        for c in tok.rights:
            if c.dep_ in ("nummod", "appos") and c.like_num:
                right = max(right, c.right_edge.i + 1)
        core_tokens = doc[start:right]
        weak = head in lex.proposal_weak_heads
        has_name = any(
            t.text[:1].isupper() or t.like_num or t.ent_type_ for t in core_tokens if t.i != tok.i
        ) or (
            tok.text[:1].isupper() and not tok.is_sent_start  # "the Charter", "the Jeddah Declaration"
        )
        noun_mod = any(c.dep_ == "compound" and c.pos_ == "NOUN" for c in mods)
        definite = any(
            c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "its", "their") for c in tok.lefts
        )
        if weak and not has_name and not noun_mod:
            if definite and not mods and last is not None and not any(c.dep_ == "prep" for c in tok.rights):
                # "Roh, who unveiled the reforms": the reform package named before
                out.append(Mention(tok.i, tok.i + 1, tok.text, "Proposal", last.key, how="anaphor"))
            continue  # "a new package" is no proposal; "reform package", "AU-led process" are
        tail_end = right
        for c in tok.rights:
            dated = any(g.ent_type_ in ("DATE", "TIME") for g in c.subtree)
            if c.lower_ == "in" and not any(g.ent_type_ in ("GPE", "LOC") for g in c.children):
                dated = True  # "process in line with ...": only "a ceasefire in Lebanon" names a place
            if c.dep_ == "prep" and c.lower_ in _TAIL_PREPS and c.i == tail_end and not dated:
                tail_end = c.right_edge.i + 1
                break
        core = _norm(core_tokens.text)
        full = doc[start:tail_end].text
        if not mods and right == tok.i + 1 and tail_end == right:
            # bare head: an anaphor for the latest proposal when there is one
            target = last_by_head.get(head) or last
            if target is not None:
                m = Mention(tok.i, tok.i + 1, tok.text, "Proposal", target.key, how="anaphor")
                out.append(m)
                continue
        m = Mention(
            start, right, core_tokens.text, "Proposal", f"Proposal:{core}", how="proposal", head=tok.i
        )
        if tail_end > right:
            m.owner = Mention(start, tail_end, full, "Proposal", m.key, how="proposal")
        out.append(m)
        last = m
        last_by_head[head] = m
    return out


def _left_edge(tok: Token) -> int:
    return tok.left_edge.i


def _head_key(tok: Token, lex: Lexicon) -> str | None:
    lemma = tok.lemma_.lower()
    low = tok.lower_
    if low == "fire" and any(c.lower_ == "cease" for c in tok.lefts):
        return "cease fire"
    if lemma == "cessation" and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.lower_ == "hostilities" for g in c.children)
        for c in tok.children
    ):
        return "cessation of hostilities"
    if lemma == "talk" and any(c.lower_ == "peace" for c in tok.lefts):
        return "peace talks"
    if lemma in lex.proposal_heads or low in lex.proposal_heads:
        return lemma if lemma in lex.proposal_heads else low
    return None
