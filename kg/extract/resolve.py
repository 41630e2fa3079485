"""Resolution inside one article: which mentions name the same entity.

Surnames join the full name said earlier ("Blinken" -> "Antony Blinken"), acronyms introduced in
parentheses join their long form ("Democratic Justice Party (DJP)"), demonyms, capitals and
metonyms already carry their state's gazetteer key, and a word the NER typed inconsistently
("Blinken" as a place) follows the person it names elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from kg.extract.gazetteer import Gazetteer
from kg.extract.mentions import Mention
from kg.model import Entity, canonical_id

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,9}$")


@dataclass(slots=True)
class EntityRecord:
    key: str
    type: str
    name: str
    iso3: str | None = None
    surfaces: list[str] = field(default_factory=list)

    def entity(self) -> Entity:
        aliases = list(dict.fromkeys(s for s in self.surfaces if s))
        return Entity(
            id=canonical_id(self.type, self.name, self.iso3),
            name=self.name,
            type=self.type,
            aliases=aliases,
            properties={"iso3": self.iso3} if self.iso3 else {},
        )


class Resolver:
    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz

    def resolve(self, doc: Doc, mentions: list[Mention]) -> dict[str, EntityRecord]:
        """Rewrite ``mention.key`` to the resolved entity key and return the entities by key."""
        self._learn_acronyms(doc, mentions)
        persons_full = [m for m in mentions if m.type == "Person" and len(m.text.split()) > 1]
        person_keys: dict[str, str] = {}  # single word -> full-name key
        firsts: dict[str, set[str]] = {}
        for m in persons_full:
            words = m.text.split()
            person_keys.setdefault(words[-1], m.key)
            firsts.setdefault(words[0], set()).add(m.key)
        for first, keys in firsts.items():
            # "Chun" for "Chun Doo Hwan": family names first, when only one person has it
            if len(keys) == 1 and first not in person_keys and len(first) > 2:
                person_keys[first] = next(iter(keys))
        covered = {i for m in mentions for i in range(m.start, m.end)}
        for tok in doc if person_keys else ():  # the NER sees "Mirzoyan" as a person, then as a nationality
            if (
                tok.i not in covered
                and tok.pos_ == "PROPN"
                and tok.text in person_keys
                and tok.ent_type_ != "DATE"
            ):
                mentions.append(
                    Mention(tok.i, tok.i + 1, tok.text, "Person", person_keys[tok.text], how="ner")
                )
        mentions.sort(key=lambda m: m.start)
        for m in mentions:
            if len(m.text.split()) == 1 and m.how == "ner" and m.text in person_keys:
                m.type = "Person"
                m.key = person_keys[m.text]
            elif m.type == "Person" and len(m.text.split()) > 1:
                # "Jean-Pierre" is one word but "Karine Jean-Pierre" ends with it
                pass
        for m in mentions:
            if m.type == "Person" and len(m.text.split()) == 1 and m.key.startswith("Person:"):
                for full in persons_full:
                    if full.text.endswith(m.text) and full.text != m.text:
                        m.key = full.key
                        break
        self._place_or_body(mentions)
        self._initials(mentions)
        records: dict[str, EntityRecord] = {}
        for m in mentions:
            rec = records.get(m.key)
            if rec is None:
                rec = self._new_record(m)
                records[m.key] = rec
            rec.surfaces.append(m.text)
            if m.type == "Person" and len(m.text) > len(rec.name):
                rec.name = m.text
        return records

    def _initials(self, mentions: list[Mention]) -> None:
        """ "RDP" after "Reunification Democratic Party": an acronym of a body named in the article."""
        bodies: dict[str, set[tuple[str, str]]] = {}
        for m in mentions:
            if m.type in ("Organization", "ArmedGroup") and len(m.text.split()) > 1:
                letters = "".join(w[0] for w in m.text.split() if w[:1].isupper())
                bodies.setdefault(letters, set()).add((m.key, m.type))
        for m in mentions:
            if m.how == "ner" and _ACRONYM.match(m.text) and len(bodies.get(m.text, ())) == 1:
                m.key, m.type = next(iter(bodies[m.text]))

    def _place_or_body(self, mentions: list[Mention]) -> None:
        """The NER types one name as ORG here and GPE there ("El Fasher"): a name used as a place
        anywhere in the article is a place everywhere, unless it names a body ("Ministry")."""
        places = {m.text for m in mentions if m.type == "Location"}
        for m in mentions:
            if (
                m.type == "Organization"
                and m.how == "ner"
                and m.text in places
                and m.owner is None
                and not any(w in self.gaz.body_words for w in m.text.split())
            ):
                m.type = "Location"
                m.key = "Location:" + m.key.split(":", 1)[1]

    def _new_record(self, m: Mention) -> EntityRecord:
        entry = self.gaz.entries.get(m.key)
        if entry is not None:
            return EntityRecord(
                key=m.key, type=entry.type, name=entry.name, iso3=entry.iso3, surfaces=[entry.name]
            )
        name = m.key.split(":", 1)[1] if ":" in m.key else m.text
        return EntityRecord(key=m.key, type=m.type, name=name)

    def _learn_acronyms(self, doc: Doc, mentions: list[Mention]) -> None:
        """Case: "Democratic Justice Party (DJP)": later "DJP" mentions are the party."""
        words = [t.text for t in doc]  # one pass: Token objects are costly to create
        n = len(words)
        by_end = {m.end: m for m in mentions}
        acronyms: dict[str, Mention] = {}
        for m in mentions:
            prev = by_end.get(m.start - 1)
            if prev is None or prev is m or words[m.start - 1] != "(":
                continue
            if m.end < n and words[m.end] == ")" and _ACRONYM.match(m.text) and prev.type != "Person":
                m.key, m.type = prev.key, prev.type
                acronyms[m.text] = prev
        for i, word in enumerate(words):
            if word == ")" and i >= 2 and words[i - 2] == "(" and _ACRONYM.match(words[i - 1]):
                prev = by_end.get(i - 2)
                if prev is not None and prev.type != "Person" and words[i - 1] not in acronyms:
                    acronyms[words[i - 1]] = prev
        if not acronyms:
            return
        covered = {i for m in mentions for i in range(m.start, m.end)}
        for i, word in enumerate(words):
            target = acronyms.get(word)
            if target is not None and i not in covered:
                mentions.append(Mention(i, i + 1, word, target.type, target.key, how="acronym"))
        for m in mentions:
            target = acronyms.get(m.text)
            if target is not None and m.key != target.key and m.how == "ner":
                m.key, m.type = target.key, target.type
        mentions.sort(key=lambda m: m.start)
