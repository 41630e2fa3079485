"""Standing relations read off noun-phrase structure rather than event verbs.

PART_OF: an owner named right before a body ("the U.S. State Department", "Iraq's Defence
Ministry", "UN Security Council"). LOCATED_IN: "Goma, the capital of North Kivu", "Tripoli,
Libya", "a hospital in El Fasher". PROXY_OF: "Iranian-backed Houthis", "backed by Iran", "the
Iranian proxy group". ALLY_OF: "Japan is our ally". Agreements "between X and Y" imply that both
agreed and, for a ceasefire, that they were in conflict.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extract.gazetteer import CAPITAL, DEMONYM, Gazetteer
from kg.extract.mentions import Mention

_DIRECTIONS = {
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "occupied",
    "rural",
}
_PLACE_NOUNS = {
    "capital",
    "city",
    "town",
    "village",
    "province",
    "region",
    "port",
    "district",
    "state",
    "governorate",
    "county",
    "area",
    "territory",
    "suburb",
    "neighbourhood",
    "neighborhood",
}
_BACKING = {"backed", "sponsored", "funded", "armed", "supported", "allied", "aligned"}
_CEASEFIRE_KEYS = ("ceasefire", "truce", "cessation of hostilities", "armistice")
_AGREEMENT_KEYS = ("agreement", "deal", "accord", "pact", "treaty", "armistice")
_SIGN_LEMMAS = {"sign", "signing", "reach", "conclude", "agree", "ink", "announce", "announcement"}


@dataclass(slots=True)
class StandingFact:
    relation: str
    subj: Mention
    obj: Mention
    token: int  # a token of the evidence sentence
    attributes: dict[str, str] | None = None
    confidence: float = 0.75
    clausal: bool = False  # the token heads a clause of its own, so negation around it applies


class StandingFinder:
    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz

    def find(
        self,
        doc: Doc,
        mentions: list[Mention],
        types: dict[str, str],
        speaker_of: dict[int, Mention] | None = None,
    ) -> Iterator[StandingFact]:
        self.doc, self.types = doc, types
        self.speaker_of = speaker_of or {}
        self.tok2m: dict[int, Mention] = {}
        for m in mentions:
            if m.type == "Proposal":
                continue
            for i in range(m.start, m.end):
                self.tok2m.setdefault(i, m)
        ents = [m for m in mentions if m.type != "Proposal"]
        yield from self._part_of(ents)
        yield from self._located_in(ents)
        yield from self._proxy_of(ents)
        yield from self._ally_of()
        yield from self._joint_states()
        yield from self._agreements([m for m in mentions if m.type == "Proposal"])

    def _t(self, m: Mention) -> str:
        return self.types.get(m.key, m.type)

    def _place(self, m: Mention | None) -> bool:
        """A place named as such ("Kuwait"), not an adjective ("Kuwaiti waters")."""
        return m is not None and m.how != DEMONYM and self._t(m) in ("Location", "Country")

    # ---- PART_OF -----------------------------------------------------------------------------

    def _part_of(self, ents: list[Mention]) -> Iterator[StandingFact]:
        doc = self.doc
        for m in ents:
            if self._t(m) != "Organization":
                continue
            if (
                m.owner is not None
                and self._t(m.owner) in ("Country", "Organization")
                and m.owner.key != m.key
            ):
                yield StandingFact("PART_OF", m, m.owner, m.start, confidence=0.8)
                continue
            entry = self.gaz.entries.get(m.key)
            if entry is not None and (entry.part_of or entry.country):
                # "UN Security Council", "United Nations Interim Force", "Sudanese Armed Forces":
                # the name itself starts with its owner
                parent = (
                    self.gaz.entries[entry.part_of]
                    if entry.part_of
                    else self.gaz.country(entry.country or "")
                )
                prefix = self._owner_prefix(m.text, parent.key) if parent is not None else None
                if parent is not None and prefix is not None:
                    owner = Mention(m.start, m.start + 1, prefix, parent.type, parent.key)
                    yield StandingFact("PART_OF", m, owner, m.start, confidence=0.85)
                    continue
            i = m.start - 1
            if i >= 0 and doc[i].text in ("'s", "’s", "'", "’"):
                i -= 1
            om = self.tok2m.get(i) if i >= 0 else None
            if (
                om is not None
                and om is not m
                and self._t(om) in ("Country", "Organization")
                and om.key != m.key
            ):
                if entry is not None or doc[m.start].text[:1].isupper():
                    yield StandingFact("PART_OF", m, om, m.start, confidence=0.8)

    def _owner_prefix(self, text: str, owner_key: str) -> str | None:
        words = text.split()
        for n in range(min(3, len(words) - 1), 0, -1):
            head = " ".join(words[:n])
            hit = self.gaz.lookup(head)
            if hit is not None and hit[0].key == owner_key:
                return head
        return None

    # ---- LOCATED_IN --------------------------------------------------------------------------

    def _located_in(self, ents: list[Mention]) -> Iterator[StandingFact]:
        doc = self.doc
        for m in ents:
            if self._t(m) != "Location":
                continue
            # "Tripoli, Libya" / "Kibbutz X, northern Israel" / "Basra, Iraq's second city"
            j = m.end
            if j < len(doc) and doc[j].text == ",":
                k = j + 1
                while (
                    k < len(doc)
                    and k not in self.tok2m
                    and (doc[k].lower_ in _DIRECTIONS or doc[k].lower_ == "the")
                ):
                    k += 1
                om = self.tok2m.get(k)
                if om is not None and om.start == k and self._place(om) and om.key != m.key:
                    after = doc[om.end] if om.end < len(doc) else None
                    if after is not None and after.text in ("'s", "’s"):
                        nxt = doc[om.end + 1 : om.end + 4]
                        if any(t.lemma_.lower() in _PLACE_NOUNS for t in nxt):
                            yield StandingFact("LOCATED_IN", m, om, m.start)
                    elif after is None or (
                        after.lower_ not in ("and", "or")
                        and not (
                            after.text == ","
                            and om.end + 1 < len(doc)
                            and (om.end + 1) in self.tok2m
                            and self._t(self.tok2m[om.end + 1]) == "Location"
                        )
                    ):
                        yield StandingFact("LOCATED_IN", m, om, m.start, confidence=0.7)
            # "Goma, the (regional) capital of North Kivu" / "Kokorou, in Niger's Tillabéri region"
            if j < len(doc) and doc[j].text == ",":
                k = j + 1
                while k < len(doc) and (doc[k].pos_ in ("DET", "ADJ") or doc[k].lower_ in _DIRECTIONS):
                    k += 1
                target = None
                if k + 1 < len(doc) and doc[k].lemma_.lower() in _PLACE_NOUNS and doc[k + 1].lower_ == "of":
                    target = self._place_at(k + 2)
                elif k < len(doc) and doc[k].lower_ == "in":
                    target = self._place_at(k + 1)
                if target is not None and target.key != m.key:
                    yield StandingFact("LOCATED_IN", m, target, m.start, confidence=0.75)
            # "a hospital in El Fasher", "the Oval Office at the White House"
            root = doc[m.root]
            for c in root.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "at", "inside"):
                    for g in c.children:
                        om = self.tok2m.get(g.i)
                        if g.dep_ == "pobj" and om is not None and om.key != m.key and self._place(om):
                            yield StandingFact("LOCATED_IN", m, om, m.start, confidence=0.65)
            # a capital the text calls a capital: "Beirut, the country's capital", "the capital Kyiv"
            if m.how == CAPITAL:
                window = doc[max(0, m.start - 3) : min(len(doc), m.end + 6)]
                if any(t.lower_ == "capital" for t in window):
                    entry = self.gaz.lookup(m.text)
                    if entry is not None:
                        c_entry = entry[0]
                        country = Mention(m.start, m.end, c_entry.name, "Country", c_entry.key)
                        yield StandingFact("LOCATED_IN", m, country, m.start, confidence=0.8)

    def _place_at(self, k: int) -> Mention | None:
        """The place named at token k, skipping articles and direction words; the region a
        possessive introduces wins ("Niger's Tillabéri region" -> Tillabéri)."""
        doc = self.doc
        while (
            k < len(doc) and k not in self.tok2m and (doc[k].lower_ == "the" or doc[k].lower_ in _DIRECTIONS)
        ):
            k += 1
        m = self.tok2m.get(k)
        if m is None or m.start != k:
            return None
        if m.end + 1 < len(doc) and doc[m.end].text in ("'s", "’s"):
            inner = self.tok2m.get(m.end + 1)
            if inner is not None and self._place(inner):
                return inner
        return m if self._place(m) else None

    # ---- PROXY_OF ----------------------------------------------------------------------------

    def _proxy_of(self, ents: list[Mention]) -> Iterator[StandingFact]:
        doc = self.doc
        for tok in doc:
            low = tok.lower_
            if low in _BACKING:
                sponsor: Mention | None = None
                # "Iranian-backed", "Iran-backed"
                if tok.i >= 2 and doc[tok.i - 1].text in ("-", "–"):
                    sponsor = self.tok2m.get(tok.i - 2)
                else:
                    for c in tok.children:
                        if c.dep_ == "agent":
                            for g in c.children:
                                if g.dep_ == "pobj":
                                    sponsor = self.tok2m.get(g.i)
                if sponsor is None or self._t(sponsor) != "Country":
                    continue
                group = self._group_near(tok)
                if group is not None and group.key != sponsor.key:
                    yield StandingFact("PROXY_OF", group, sponsor, tok.i, confidence=0.8)
            elif tok.lemma_.lower() == "proxy" and tok.pos_ == "NOUN":
                sponsor = None
                for c in tok.children:
                    if c.dep_ in ("poss", "amod", "compound", "nmod"):
                        sponsor = self.tok2m.get(c.i) or sponsor
                    if c.dep_ == "prep" and c.lower_ == "of":
                        for g in c.children:
                            sponsor = self.tok2m.get(g.i) or sponsor
                head = tok.head
                for c in head.children if tok.dep_ == "compound" else ():
                    if c.dep_ in ("amod", "compound", "poss") and c.i != tok.i:
                        sponsor = self.tok2m.get(c.i) or sponsor
                if sponsor is None or self._t(sponsor) != "Country":
                    continue
                group = self._group_near(tok) or self._previous_group(tok.i)
                if group is not None:
                    yield StandingFact("PROXY_OF", group, sponsor, tok.i, confidence=0.7)

    def _group_near(self, tok: Token) -> Mention | None:
        """The armed group or body a modifier like "Iranian-backed" describes."""
        head = tok.head
        # "M23 rebels, who the UN says are backed by Rwanda": climb the clause to the noun it modifies
        for _ in range(4):
            if head.pos_ in ("VERB", "AUX") and head.dep_ in (
                "relcl",
                "acl",
                "ccomp",
                "xcomp",
                "conj",
                "advcl",
            ):
                head = head.head
            else:
                break
        if head.pos_ in ("VERB", "AUX"):
            return None
        cands = [head] if head is not tok else []
        if tok.dep_ == "compound" and tok.head.dep_ == "compound":
            cands.append(tok.head.head)
        for h in cands:
            for t in [h, *h.lefts, *[c for c in h.children if c.dep_ == "appos"]]:
                m = self.tok2m.get(t.i)
                if m is not None and self._t(m) in ("ArmedGroup", "Organization"):
                    return m
            if h.dep_ == "appos" or h.dep_ == "acl":
                m = self.tok2m.get(h.head.i)
                if m is not None and self._t(m) in ("ArmedGroup", "Organization"):
                    return m
        return None

    def _previous_group(self, i: int) -> Mention | None:
        for j in range(i - 1, max(-1, i - 120), -1):
            m = self.tok2m.get(j)
            if m is not None and self._t(m) == "ArmedGroup":
                return m
        return None

    # ---- ALLY_OF -----------------------------------------------------------------------------

    def _ally_of(self) -> Iterator[StandingFact]:
        for tok in self.doc:
            if tok.lemma_.lower() != "ally" or tok.pos_ != "NOUN":
                continue
            other: Mention | None = None
            for c in tok.children:
                if c.dep_ == "poss":
                    other = self.tok2m.get(c.i)
                    if other is None and c.lower_ == "our":  # "Japan is our ally," Baldrige said
                        other = self.speaker_of.get(tok.sent.start)
                if c.dep_ == "prep" and c.lower_ == "of":
                    for g in c.children:
                        other = self.tok2m.get(g.i) or other
            if other is None or self._t(other) not in ("Country", "Organization", "ArmedGroup", "Person"):
                continue
            subj: Mention | None = None
            head = tok.head
            if tok.dep_ in ("attr", "conj"):
                verb = head if tok.dep_ == "attr" else head.head
                for c in verb.children:
                    if c.dep_ == "nsubj":
                        subj = self.tok2m.get(c.i)
            elif tok.dep_ == "appos":
                subj = self.tok2m.get(head.i)
            if subj is not None and subj.key != other.key:
                yield StandingFact("ALLY_OF", subj, other, tok.i, confidence=0.7)

    # ---- "X and Y are allies", "X and Y are at war" ---------------------------------------------

    _ACTORS = ("Country", "Organization", "ArmedGroup", "Person")

    def _joint_states(self) -> Iterator[StandingFact]:
        """A state shared by coordinated subjects of a copula: each pair of them holds it."""
        for tok in self.doc:
            relation: str | None = None
            verb = tok.head
            if tok.lemma_.lower() == "ally" and tok.tag_ == "NNS" and tok.dep_ == "attr":
                if any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in tok.children):
                    continue  # "X and Y are Z's allies": handled by _ally_of
                relation = "ALLY_OF"
            elif tok.lower_ == "war" and tok.dep_ == "pobj" and tok.head.lower_ == "at":
                relation, verb = "IN_CONFLICT_WITH", tok.head.head
            if relation is None:
                continue
            parties = [
                m
                for c in verb.children
                if c.dep_ == "nsubj"
                for m in self._conj_mentions(c)
                if self._t(m) in self._ACTORS
            ]
            # "X is at war with Y": each subject against each named opponent
            opponents = [
                m
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ in ("with", "against")
                for g in c.children
                if g.dep_ == "pobj"
                for m in self._conj_mentions(g)
                if self._t(m) in self._ACTORS
            ]
            pairs = (
                [(a, b) for a in parties for b in opponents]
                if opponents
                else [(a, b) for i, a in enumerate(parties) for b in parties[i + 1 :]]
            )
            for a, b in pairs:
                if a.key != b.key:
                    yield StandingFact(relation, a, b, tok.i, confidence=0.7, clausal=True)

    # ---- agreements between parties -------------------------------------------------------

    def _agreements(self, proposals: list[Mention]) -> Iterator[StandingFact]:
        doc = self.doc
        for p in proposals:
            head = doc[p.root]
            parties: list[Mention] = []
            # "cessation of hostilities between X and Y": the phrase may hang on "hostilities"
            holders = [head] + [
                g
                for c in head.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                if g.dep_ == "pobj"
            ]
            if head.dep_ == "dobj":
                # "brokered the truce between X and Y": the parser hangs the phrase on the verb
                holders.append(head.head)
            for c in [c for h in holders for c in h.children]:
                if c.dep_ == "prep" and c.lower_ == "between":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            parties.extend(self._conj_mentions(g))
            if len(parties) != 2 or parties[0].key == parties[1].key:
                continue
            key = p.key.lower()
            if any(k in key for k in _CEASEFIRE_KEYS):
                yield StandingFact("IN_CONFLICT_WITH", parties[0], parties[1], head.i, confidence=0.75)
            governed = head.head.lemma_.lower() in _SIGN_LEMMAS or (
                head.dep_ == "pobj" and head.head.head.lemma_.lower() in _SIGN_LEMMAS
            )
            # "the ceasefire agreement between X and Y" exists; "towards an agreement between" does not
            definite = any(
                c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "their", "its")
                for c in head.children
            )
            if (any(k in key for k in _AGREEMENT_KEYS) and definite) or governed:
                for party in parties:
                    yield StandingFact("AGREED_TO", party, p, head.i, confidence=0.7)

    def _conj_mentions(self, tok: Token) -> list[Mention]:
        out: list[Mention] = []
        stack = [tok]
        while stack:
            t = stack.pop()
            m = self.tok2m.get(t.i)
            if m is None:
                # "the Government of Ethiopia": the state it names
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ == "of":
                        for g in c.children:
                            mm = self.tok2m.get(g.i)
                            if mm is not None:
                                m = mm
            if m is not None and m not in out:
                out.append(m)
            stack.extend(c for c in t.children if c.dep_ == "conj")
        return out
