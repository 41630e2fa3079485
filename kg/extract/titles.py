"""Titles of office: OFFICIAL_OF from "US Secretary of State Antony Blinken" and its kin.

A title is a run of title words right before a person's name; the body it places the person in is
the state or body named right before the run ("US", "White House", "Ethiopian"), an apposition
("Kim, head of the Reunification Democratic Party"), or a parenthesis after the name when the
title is one of the state's own offices ("Ambassador Shea (United States)"). A presiding title
("Council President") places the person in the body presided. Bare titles later in the article
("the Secretary-General") become mentions of the person who holds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extract.mentions import Mention

_OWNER_TYPES = ("Country", "Organization", "ArmedGroup")


@dataclass(slots=True)
class TitleFact:
    person: Mention
    owner: Mention | None  # None: the text names no state or body (the pipeline may know the holder)
    title: str
    start: int  # token span of the evidence phrase
    end: int


class TitleFinder:
    def __init__(self, titles: dict) -> None:
        self.core = set(titles.get("core", []))
        self.core_lower = set(titles.get("core_lower", []))
        self.connectors = set(titles.get("connectors", []))
        self.prefixes = set(titles.get("prefixes", []))
        self.honorifics = set(titles.get("honorifics", []))
        self.presiding = [p.split() for p in titles.get("presiding", [])]
        self.nobiliary = set(titles.get("nobiliary", []))
        self.presiding_titles = set(titles.get("presiding", []))

    def find(self, doc: Doc, mentions: list[Mention], types: dict[str, str]) -> list[TitleFact]:
        tok2m: dict[int, Mention] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                tok2m[i] = m
        facts: list[TitleFact] = []
        for m in mentions:
            if types.get(m.key) != "Person" or m.how not in ("ner", "acronym"):
                continue
            fact = self._before(doc, m, tok2m, types) or self._apposition(doc, m, tok2m, types)
            if fact is not None:
                facts.append(fact)
        return facts

    def _is_title_word(self, t: Token) -> bool:
        # "Secretary-General", "Secretary General", "Vice-President"
        hyphenated = t.i > 0 and (t.doc[t.i - 1].text == "-" or t.doc[t.i - 1].text in self.core)
        return t.text in self.core or (
            t.text[:1].isupper()
            and t.pos_ in ("PROPN", "NOUN", "ADJ")
            and (t.text not in self.honorifics or hyphenated)
        )

    def _before(
        self, doc: Doc, m: Mention, tok2m: dict[int, Mention], types: dict[str, str]
    ) -> TitleFact | None:
        i = m.start - 1
        # "Major Randy Morger": skip the rank; "Secretary General Mark Rutte": "General" is the title's
        while (
            i >= 0
            and doc[i].text in self.honorifics
            and not (i > 0 and (doc[i - 1].text == "-" or doc[i - 1].text in self.core))
        ):
            i -= 1
        end = i + 1
        words: list[Token] = []
        owner: Mention | None = None
        while i >= 0:
            t = doc[i]
            om = tok2m.get(i)
            if om is not None:
                # "Secretary of Commerce": an ORG the NER saw inside the title
                if (
                    om.how == "ner"
                    and types.get(om.key) == "Organization"
                    and om.start >= 2
                    and doc[om.start - 1].lower_ in ("of", "for")
                    and words == []
                    and False
                ):
                    pass
                if (
                    om.how == "ner"
                    and om.start >= 2
                    and doc[om.start - 1].lower_ in ("of", "for")
                    and doc[om.start - 2].text in self.core
                    and om.end == i + 1
                ):
                    words = [doc[k] for k in range(om.start, om.end)] + words
                    i = om.start - 1
                    continue
                if types.get(om.key) in _OWNER_TYPES:
                    owner = om
                break
            if t.text == ")" and i >= 2 and doc[i - 2].text == "(":
                inner = tok2m.get(i - 1)
                before = tok2m.get(i - 3) if i >= 3 else None
                if inner is not None and before is not None and inner.key == before.key:
                    i -= 3
                    continue
                break
            if t.text == "-" and words and i > 0 and self._is_title_word(doc[i - 1]):
                words.insert(0, t)  # "Secretary-General"
                i -= 1
                continue
            lower_run = (
                words
                and words[-1].lower_ in self.core_lower
                and words[-1].text.islower()
                and t.text.islower()
                and t.pos_ in ("NOUN", "ADJ")
                and len(words) < 4
            )  # "foreign minister", "political department head"
            if (
                (t.lower_ in self.connectors and words and t.lower_ != "the")
                or self._is_title_word(t)
                or (t.lower_ in self.core_lower and not words)
                or lower_run
            ):
                words.insert(0, t)
                i -= 1
                continue
            if t.text in ("'s", "’s") and words:
                om2 = tok2m.get(i - 1)
                if om2 is not None and types.get(om2.key) in _OWNER_TYPES:
                    owner = om2
                break
            break
        while words and words[0].lower_ in self.connectors:
            words.pop(0)
        if not words or not any(w.text in self.core or w.lower_ in self.core_lower for w in words):
            return None
        if words[-1].i != end - 1:
            return None
        if words[0].i == 0 or (words[0].is_sent_start and len(words) == 1 and owner is None):
            pass
        if len(words) > 1 and words[-1].text in self.nobiliary:
            words = words[:-1]  # "Foreign Minister Prince Faisal": the prince is part of the name
        title = doc[words[0].i : words[-1].i + 1].text
        if owner is not None and f"{owner.text} {title}" in self.presiding_titles:
            title = f"{owner.text} {title}"  # "Council President Barbara Woodward"
        start = owner.start if owner is not None else words[0].i
        prefix_tok = doc[start - 1] if start > 0 else None
        if prefix_tok is not None and prefix_tok.text in self.prefixes:
            title = f"{prefix_tok.text.lower()} {title}"
            start -= 1
        if owner is None:
            owner = self._parenthesis(doc, m, tok2m, types)
        if owner is not None and owner.key == m.key:
            return None
        return TitleFact(m, owner, title, start, max(end, m.end))

    def _parenthesis(
        self, doc: Doc, m: Mention, tok2m: dict[int, Mention], types: dict[str, str]
    ) -> Mention | None:
        if m.end + 2 < len(doc) and doc[m.end].text == "(":
            om = tok2m.get(m.end + 1)
            if (
                om is not None
                and om.end < len(doc)
                and doc[om.end].text == ")"
                and types.get(om.key) == "Country"
            ):
                return om
        return None

    def _apposition(
        self, doc: Doc, m: Mention, tok2m: dict[int, Mention], types: dict[str, str]
    ) -> TitleFact | None:
        root = doc[m.root]
        cands = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos":
            cands.append(root.head)
        for t in cands:
            if t.lemma_.lower() not in self.core_lower and t.text not in self.core:
                continue
            if not any(c.dep_ == "prep" for c in t.children):
                # "the Foreign Secretary, David Lammy,": a title in apposition that names no owner;
                # the pipeline may still know the holder (as for "Prime Minister Netanyahu")
                mods = [x for x in t.lefts if x.dep_ in ("compound", "amod") and x.i not in tok2m]
                if any(x.i in tok2m for x in t.lefts):
                    continue  # "the US Secretary, X": the owner is named before; _before's case
                title = " ".join([x.text for x in mods] + [t.text])
                return TitleFact(m, None, title, min(m.start, t.left_edge.i), max(m.end, t.i + 1))
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "at", "for"):
                    for g in c.children:
                        om = tok2m.get(g.i)
                        if g.dep_ == "pobj" and om is not None and types.get(om.key) in _OWNER_TYPES:
                            mods = [x for x in t.lefts if x.dep_ in ("compound", "amod") and x.i not in tok2m]
                            title = " ".join([x.text for x in mods] + [t.text])
                            lo = min(m.start, t.left_edge.i)
                            hi = max(m.end, om.end)
                            return TitleFact(m, om, title, lo, hi)
        return None

    def bare_title_mentions(self, doc: Doc, facts: list[TitleFact], mentions: list[Mention]) -> list[Mention]:
        """Case: "the Secretary-General", "the Prime Minister": the person the article gave that title."""
        by_title: dict[str, set[str]] = {}
        person_of: dict[str, Mention] = {}
        for f in facts:
            core = f.title.replace("former ", "")
            heads = [w for w in core.replace("-", " - ").split() if w in self.core]
            for form in {core, heads[-1] if heads else core}:
                by_title.setdefault(form, set()).add(f.person.key)
                person_of[f.person.key] = f.person
        titles = {t: person_of[next(iter(keys))] for t, keys in by_title.items() if len(keys) == 1}
        if not titles:
            return []
        first_words = {t.split()[0].split("-")[0] for t in titles}
        taken = {i for m in mentions for i in range(m.start, m.end)}
        out: list[Mention] = []
        n = len(doc)
        for tok in doc:
            j = tok.i + 1
            if tok.lower_ != "the" or j >= n or doc[j].text not in first_words or j in taken:
                continue
            for k in range(j + 1, min(n, j + 8) + 1):
                person = titles.get(doc[j:k].text)
                if person is None:
                    continue
                if any(x in taken for x in range(j, k)):
                    break
                if k < n and (doc[k].ent_type_ == "PERSON" or doc[k].text[:1].isupper()):
                    continue  # a title before another name, or a longer title
                out.append(Mention(j, k, doc[tok.i : k].text, "Person", person.key, how="title"))
                break
        return out
