"""Finding entity mentions in a parsed article: gazetteer matches first, then spaCy's NER.

The gazetteer knows what a surface form means (a demonym, a capital standing for its state, an
armed group spaCy would call an ORG); the NER finds the people, bodies and places no list can
hold. Where they overlap, the gazetteer wins except when the NER span is a longer body name whose
first word is a known owner ("AU Commission", "Sudanese Armed Forces").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kg.extract.gazetteer import CAPITAL, DEMONYM, METONYM, NAME, Gazetteer

# spaCy NER labels we read and the entity type a span of that label gets when no gazetteer knows it.
NER_TYPES = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
}
# Prepositions after which a capital is a place ("strikes in Beirut"), not its government.
LOCATIVE_PREPS = {
    "in",
    "at",
    "near",
    "into",
    "on",
    "across",
    "outside",
    "around",
    "over",
    "toward",
    "towards",
    "inside",
    "within",
}
# "the town of Sake": a capitalised name after these is a place.
PLACE_NOUNS = {
    "town",
    "city",
    "village",
    "region",
    "province",
    "district",
    "port",
    "capital",
    "governorate",
    "county",
    "municipality",
    "settlement",
    "camp",
    "state",
}
# Verbs whose object is a place: "visited Kyiv" (but "aid to Kyiv" is aid to the state).
PLACE_VERBS = {"visit", "reach", "enter", "leave", "tour", "evacuate", "capture", "seize"}


@dataclass(slots=True)
class Mention:
    start: int  # token offsets in the doc
    end: int
    text: str
    type: str
    key: str  # resolution key; gazetteer key or a provisional one
    how: str = NAME  # name | demonym | capital | metonym | ner | title | pronoun
    owner: Mention | None = None  # a state or body named inside the span ("AU" in "AU Commission")

    def __post_init__(self) -> None:
        if "\n" in self.text or "  " in self.text:  # wire copy wraps lines inside names
            self.text = " ".join(self.text.split())
            if ":" in self.key and self.key.split(":", 1)[0] in ("Person", "Organization", "Location"):
                kind, name = self.key.split(":", 1)
                self.key = f"{kind}:{' '.join(name.split())}"

    head: int | None = None  # the syntactic head token when it is not the last ("resolution 1701")

    @property
    def root(self) -> int:
        if self.head is not None:
            return self.head
        return self.end - 1


class MentionFinder:
    """Built once per extractor: the phrase matcher over every gazetteer surface form."""

    def __init__(self, nlp: Language, gaz: Gazetteer, target_words: frozenset[str] = frozenset()) -> None:
        self.gaz = gaz
        self.target_words = target_words  # attack verbs and nouns: their unnamed-by-NER objects are places
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        surfaces = [s for s in gaz.surfaces if not s.startswith("the ") and not s.startswith("The ")]
        self.matcher.add("GAZ", [nlp.make_doc(x) for x in surfaces])
        titles = gaz.titles
        self.honorifics = set(titles.get("honorifics", []))
        self.title_core = set(titles.get("core", []))
        self.title_words = (
            set(titles.get("core", []))
            | set(titles.get("prefixes", []))
            | {"Prime", "State", "Secretary", "of", "Affairs", "Security", "National"}
        )

    def find(self, doc: Doc) -> list[Mention]:
        persons = [e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1]
        gaz_spans = [
            s
            for s in self._gazetteer_spans(doc)
            if len(s) > 1
            or not any(p.start <= s.start and s.end <= p.end and len(s) < len(p) for p in persons)
        ]
        taken = [False] * (len(doc) + 1)
        mentions: list[Mention] = []
        for span in gaz_spans:
            m = self._gaz_mention(doc, span)
            if m is not None:
                mentions.append(m)
                for i in range(span.start, span.end):
                    taken[i] = True
        by_start = {m.start: m for m in mentions}
        for ent in doc.ents:
            etype = NER_TYPES.get(ent.label_)
            if etype is None or _is_dateline(doc, ent):
                continue
            trimmed = self._trim(doc, ent)
            if trimmed is not None and etype == "Person":
                trimmed = self._extend_name(doc, trimmed, taken)
            if trimmed is None or (etype in ("Person", "Organization") and self._is_vessel(trimmed)):
                continue
            span = trimmed
            if etype == "Person" and len(span) == 1 and (_is_place_use(span.root) or self._struck(span.root)):
                etype = "Location"  # "near Goma, the capital of North Kivu"
            if (
                etype == "Organization"
                and span.start >= 2
                and doc[span.start - 1].lower_ == "of"
                and (doc[span.start - 2].lemma_.lower() in PLACE_NOUNS)
            ):
                etype = "Location"  # "the village of Novoselivka"
            if etype == "Organization" and (
                any(t.text in self.gaz.facility_words for t in span)
                or (_is_locative(span.root) and not any(t.text in self.gaz.body_words for t in span))
            ):
                etype = "Location"  # "a hospital", "in and around El Fasher"
            if (
                etype == "Organization"
                and span.start >= 2
                and doc[span.start - 1].lower_ in ("of", "for")
                and doc[span.start - 2].text in self.title_core
            ):
                continue  # "Secretary of State", "Minister for Europe": part of a title
            if etype == "Organization" and span.end < len(doc) and doc[span.end].text in self.title_core:
                continue  # "US National Security [Adviser]": part of a title, not a body
            inside = [i for i in range(span.start, span.end) if taken[i]]
            if inside:
                owner = by_start.get(span.start)
                if (
                    etype not in ("Organization", "Location")
                    or owner is None
                    or owner.end >= span.end
                    or any(taken[i] for i in range(owner.end, span.end))
                ):
                    continue
                tail_start = owner.end
                if tail_start < span.end and doc[tail_start].text in ("'s", "’s"):
                    tail_start += 1  # "Iran's War Information Headquarters"
                    span = doc[tail_start : span.end]
                tail = doc[tail_start : span.end]
                if not len(tail):
                    continue
                if not all(t.text[:1].isupper() or t.is_digit for t in tail):
                    continue
                if any(t.text in self.gaz.facility_words for t in tail) and owner.how == DEMONYM:
                    # "the Saudi Teaching Maternal Hospital": a named place, not the state's body
                    mentions.remove(owner)
                    m = Mention(
                        span.start,
                        span.end,
                        span.text,
                        "Location",
                        _provisional("Location", span.text),
                        how="ner",
                    )
                    mentions.append(m)
                    continue
                if not any(t.text in self.gaz.body_words for t in tail):
                    continue  # "U.S. Warships", "U.S. Relations": wire-copy capitals, not a body
                m = Mention(
                    span.start,
                    span.end,
                    span.text,
                    "Organization",
                    _provisional("Organization", span.text),
                    how="ner",
                    owner=owner,
                )
            else:
                m = Mention(span.start, span.end, span.text, etype, _provisional(etype, span.text), how="ner")
            mentions.append(m)
            for i in range(span.start, span.end):
                taken[i] = True
        dateline_end = _dateline_end(doc)
        if dateline_end:
            mentions = [m for m in mentions if m.start >= dateline_end]
        mentions.extend(self._titled_names(doc, taken, mentions))
        mentions.extend(self._owned_bodies(doc, taken, mentions))
        mentions.extend(self._attacked_places(doc, taken))
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _extend_name(self, doc: Doc, span: Span, taken: list[bool]) -> Span:
        """ "Secretary of State Antony J. Blinken" where the NER saw only "J. Blinken"."""
        start = span.start
        while (
            start > 0
            and doc[start - 1].tag_ == "NNP"
            and doc[start - 1].text[:1].isupper()
            and not taken[start - 1]
            and doc[start - 1].text not in self.title_words
            and doc[start - 1].text not in self.honorifics
            and doc[start - 1].ent_type_ in ("", "PERSON")
            and not (start >= 2 and doc[start - 2].lower_ in ("of", "for"))  # "Secretary of Commerce"
            and span.end - start < 5
        ):
            start -= 1
        end = span.end
        while (
            end < len(doc)
            and doc[end].tag_ == "NNP"
            and doc[end].text[:1].isupper()
            and not doc[end].ent_type_
            and not taken[end]
            and doc[end].text not in self.title_words
            and end - start < 5
        ):
            end += 1  # "Jane Doe" where the NER saw only "Jane"
        return doc[start:end]

    def _struck(self, tok: Token) -> bool:
        """Whether a token is what an attack word hits: "shelled Belgorod", "strikes on Rafah"."""
        head = tok.head
        if tok.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in self.target_words:
            return True
        return (
            tok.dep_ == "pobj"
            and head.lower_ in ("on", "in", "against", "at")
            and head.head.lemma_.lower() in self.target_words
        )

    def _attacked_places(self, doc: Doc, taken: list[bool]) -> list[Mention]:
        """ "Kharkiv was shelled": a proper noun the NER missed, struck or attacked, is a place."""
        out: list[Mention] = []
        for tok in doc:
            if (
                (tok.tag_ != "NNP" and not (tok.text[:1].isupper() and tok.i > 0 and not tok.is_sent_start))
                or taken[tok.i]
                or tok.ent_type_ not in ("", "NORP", "GPE", "LOC", "FAC")
                or not tok.text[:1].isupper()
            ):
                continue
            if tok.text in self.title_words or tok.text in self.honorifics or tok.dep_ == "compound":
                continue
            after_place_noun = (
                tok.i >= 2 and doc[tok.i - 1].lower_ == "of" and doc[tok.i - 2].lemma_.lower() in PLACE_NOUNS
            )
            if not (self._struck(tok) or after_place_noun):
                continue
            start = tok.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].tag_ == "NNP":
                start -= 1
            if any(taken[i] for i in range(start, tok.i + 1)):
                continue
            text = doc[start : tok.i + 1].text
            out.append(Mention(start, tok.i + 1, text, "Location", _provisional("Location", text), how="ner"))
            for i in range(start, tok.i + 1):
                taken[i] = True
        return out

    def _owned_bodies(self, doc: Doc, taken: list[bool], mentions: list[Mention]) -> list[Mention]:
        """Case: "Iran's War Information Headquarters": a capitalised name ending in a body word after a
        state's possessive is that state's body, even when the NER missed it."""
        out: list[Mention] = []
        n = len(doc)
        for m in mentions:
            if (
                m.type not in ("Country", "Organization")
                or m.end + 1 >= n
                or doc[m.end].text not in ("'s", "’s")
            ):
                continue
            j = m.end + 1
            k = j
            last_body = -1
            while k < n and (doc[k].is_space or (doc[k].text[:1].isupper() and not taken[k])) and k - j < 8:
                if doc[k].text in self.gaz.body_words:
                    last_body = k
                k += 1
            if last_body < 0 or doc[j].is_space:
                continue
            end = last_body + 1
            text = " ".join(t.text for t in doc[j:end] if not t.is_space)
            out.append(
                Mention(j, end, text, "Organization", _provisional("Organization", text), how="ner", owner=m)
            )
            for i in range(j, end):
                taken[i] = True
        return out

    def _is_vessel(self, span: Span) -> bool:
        """Case: "the destroyers Kidd, Young and Hoel": names of ships."""
        tok = span.root
        vessels = self.gaz.vessel_words
        for _ in range(8):
            if tok.lemma_.lower() in vessels or any(
                c.lemma_.lower() in vessels for c in tok.children if c.dep_ in ("compound", "amod", "appos")
            ):
                return True
            if tok.dep_ not in ("conj", "appos", "compound") or tok.head is tok:
                break
            tok = tok.head
        prev = span.start - 1
        return bool(prev >= 0 and span.doc[prev].lemma_.lower() in self.gaz.vessel_words)

    def _titled_names(self, doc: Doc, taken: list[bool], mentions: list[Mention]) -> list[Mention]:
        """Case: "High Representative Obasanjo", "Deputy President Mlambo-Ngcuka": a name after a title
        is a person even when the NER missed it or typed it as a place."""
        out: list[Mention] = []
        n = len(doc)
        for tok in doc:
            if tok.text not in self.title_core or tok.i + 1 >= n:
                continue
            j = tok.i + 1
            k = j
            while k < n and (
                doc[k].pos_ == "PROPN"
                and doc[k].text[:1].isupper()
                and doc[k].text not in self.title_words
                or (doc[k].text == "-" and k + 1 < n and doc[k + 1].text[:1].isupper() and k > j)
            ):
                k += 1
            if k == j or k - j > 4:
                continue
            if doc[k - 1].text == "-":
                k -= 1
            overlapping = [m for m in mentions if m.start < k and j < m.end]
            if any(m.how != "ner" or m.type == "Person" for m in overlapping):
                continue
            for m in overlapping:
                mentions.remove(m)
            text = doc[j:k].text
            out.append(Mention(j, k, text, "Person", _provisional("Person", text), how="ner"))
            for i in range(j, k):
                taken[i] = True
        return out

    def _gazetteer_spans(self, doc: Doc) -> list[Span]:
        spans = [doc[s:e] for _, s, e in self.matcher(doc)]
        from spacy.util import filter_spans

        return filter_spans(spans)

    def _gaz_mention(self, doc: Doc, span: Span) -> Mention | None:
        hit = self.gaz.lookup(span.text)
        if hit is None:
            return None
        entry, how = hit
        if span.text in self.gaz.ambiguous and not any(
            e.start == span.start and e.end == span.end and e.label_ in ("GPE", "LOC") for e in doc.ents
        ):
            return None  # "Jordan" the person, "Kharg Island": only a state where the NER sees exactly it
        root = span[-1]
        if how == DEMONYM and root.pos_ not in ("ADJ", "PROPN", "NOUN"):
            return None
        if how == DEMONYM and root.dep_ == "compound" and root.head.ent_type_ == "PERSON":
            return None  # "the Iranian Foreign Minister Ali Akbar" handled by titles; "Kuwaiti Ahmed"
        etype = entry.type
        if how in (CAPITAL, METONYM) and (
            _is_locative(root) or (root.dep_ == "compound" and root.head.pos_ == "NOUN")
        ):  # "London markets"
            return Mention(
                span.start, span.end, span.text, "Location", _provisional("Location", span.text), how=how
            )
        if (
            how == CAPITAL
            and span.text.isupper()
            and span.end < len(doc)
            and doc[span.end].text in (",", "-", "—", "–", "(")
        ):
            return None  # dateline "WASHINGTON, Oct 19 -", "KHARTOUM (AFP) -"
        return Mention(span.start, span.end, span.text, etype, entry.key, how=how)

    def _trim(self, doc: Doc, ent: Span) -> Span | None:
        """Drop titles, honorifics, determiners and possessive endings from a NER span."""
        start, end = ent.start, ent.end
        while start < end and (
            doc[start].lower_ in ("the", "a", "an")
            or doc[start].text in self.honorifics
            or (ent.label_ == "PERSON" and doc[start].text in self.title_words)
        ):
            start += 1
        while end > start and doc[end - 1].text in ("'s", "’s", "'", "’", ".", ",", "-"):
            end -= 1
        if start >= end:
            return None
        return doc[start:end]


def _dateline_end(doc: Doc) -> int:
    """End of a wire dateline ("KYIV, June 3 (Reuters) -", "GAZA CITY (AP) —", "BEIRUT -"): its place
    and agency are no actors."""
    if not len(doc) or not doc[0].text.isupper() or len(doc[0].text) < 3:
        return 0
    for tok in doc[:14]:
        if tok.text in ("-", "—", "–", "--"):
            before = doc[: tok.i]
            caps = 0
            while caps < len(before) and before[caps].text.isupper():
                caps += 1
            rest = before[caps:]
            if any(t.text == "," for t in before):
                return tok.i + 1
            if caps and (not len(rest) or (rest[0].text == "(" and rest[-1].text == ")")):
                return tok.i + 1
            return 0
    return 0


def _is_dateline(doc: Doc, span: Span) -> bool:
    """A dateline ("NICOSIA, Oct 19 -", "KHARTOUM (AFP) -"): the place a wire story was filed from is
    no actor of it."""
    return bool(
        span.text.isupper()
        and len(span.text) > 3
        and span.start < len(doc)
        and span[0].is_sent_start
        and span.end < len(doc)
        and doc[span.end].text in (",", "(", "-", "—", "–")
    )


def _is_place_use(tok: Token) -> bool:
    """A name used as a place: "near Goma", "Goma, the capital of ..."."""
    if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "near", "at", "around", "inside", "outside"):
        return True
    return any(c.dep_ == "appos" and c.lemma_ in ("capital", "city", "town", "village") for c in tok.children)


def _is_locative(tok: Token) -> bool:
    head = tok.head
    if tok.dep_ == "dobj" and head.lemma_.lower() in PLACE_VERBS:
        return True
    if (
        tok.dep_ == "pobj"
        and head.lower_ in ("to", "from")
        and head.head.lemma_.lower()
        in (
            "travel",
            "trip",
            "fly",
            "arrive",
            "return",
            "go",
            "come",
            "visit",
            "flee",
            "move",
            "head",
            "journey",
        )
    ):
        return True
    if tok.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS:
        return True
    if tok.dep_ in ("appos", "conj") and head.ent_type_ in ("GPE", "LOC", "FAC"):
        return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS
    # "Beirut, the country's capital" / "the capital Kyiv"
    return any(c.dep_ == "appos" and c.lemma_ in ("capital", "city") for c in tok.children) or (
        tok.dep_ in ("appos", "compound") and head.lemma_ in ("capital", "city")
    )


def _provisional(etype: str, text: str) -> str:
    t = text.strip()
    for lead in ("the ", "The "):
        if t.startswith(lead):
            t = t[len(lead) :]
    return f"{etype}:{t.replace('’', chr(39))}"


__all__ = ["CAPITAL", "DEMONYM", "METONYM", "Mention", "MentionFinder"]
