"""Event relations from the dependency parse, driven by the trigger lexicon.

For a verb trigger the subject is its nominal subject (or the "by" agent of a passive, or the
subject of the verb it depends on: "agreed to sign"), the object sits in the slot the lexicon
names (direct object or a preposition). For a noun trigger ("strikes on X", "talks with Y") the
subject is the possessor, a name or demonym modifier, a "by" phrase, or the subject of a support
verb ("launched strikes", "held talks"). An argument that is not itself a mention stands for the
actor it names: "Iranian forces" -> Iran, "the militaries of the US and the UK" -> both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import Lexicon, NounTrigger, VerbTrigger
from kg.extract.mentions import Mention
from kg.extract.negation import is_negated, modality
from kg.vocabulary import Vocabulary

SUBJ_DEPS = ("nsubj",)
# relations whose object is the target of a statement, not the victim of the thing condemned
SPEECH_RELATIONS = {"CONDEMNED", "ACCUSED", "SUPPORTED", "REJECTED", "URGED", "THREATENED"}
# "X-owned", "X-made", "X-backed": the state such a modifier names is not hit by an attack on the thing
NOT_TARGET_MODIFIERS = {
    "own",
    "owned",
    "make",
    "made",
    "build",
    "built",
    "supply",
    "supplied",
    "design",
    "designed",
    "manufacture",
    "manufactured",
    "back",
    "backed",
    "support",
    "supported",
    "sponsor",
    "sponsored",
    "fund",
    "funded",
    "arm",
    "armed",
    "base",
    "based",
    "lead",
    "led",
}
PERSONAL_PRONOUNS = {"he", "she", "him", "her"}
FIRST_PLURAL = {"we", "us", "our"}


@dataclass(slots=True)
class Candidate:
    relation: str
    subj: Mention
    obj: Mention
    trigger: Token
    sent: Span
    negated: bool
    modality: str
    cameo: str | None
    confidence: float
    attributes: dict[str, str] = field(default_factory=dict)


class RelationFinder:
    def __init__(self, lex: Lexicon, vocab: Vocabulary, water_words: set[str] | None = None) -> None:
        self.lex = lex
        self.vocab = vocab
        self.water_words = water_words or set()

    def find(
        self,
        doc: Doc,
        mentions: list[Mention],
        types: dict[str, str],
        speaker_of: dict[int, Mention],
        voice: Mention | None = None,
        quoted: list[tuple[int, int]] | None = None,
    ) -> list[Candidate]:
        self.doc = doc
        self.voice = voice  # the issuing body of a statement: "we" outside quotations
        self.quoted = quoted or []
        self.types = types
        self.speaker_of = speaker_of  # sentence start -> the speaker's body for "we"
        self.tok2m: dict[int, Mention] = {}
        for m in mentions:
            if m.type == "Proposal":
                self.tok2m[m.root] = m
            else:
                for i in range(m.start, m.end):
                    self.tok2m.setdefault(i, m)
        self.persons = [m for m in mentions if types.get(m.key) == "Person"]
        self.pairs: list[tuple[int, tuple[Mention, Mention]]] = []
        self.pairs = self._between_pairs(doc)
        out: list[Candidate] = []
        for tok in doc:
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" and lemma in self.lex.speech_verbs:
                out.extend(self.urged_by_speech(tok))
                out.extend(self.accused_by_speech(tok))
            if tok.lower_ in ("with", "to"):
                out.extend(self._conformity(tok))
            if tok.pos_ == "VERB" and lemma in self.lex.threat_consequences:
                out.extend(self._consequences(tok))
            if tok.pos_ in ("VERB",) or (tok.pos_ == "AUX" and lemma in self.lex.verbs):
                done: set[str] = set()
                for vt in self.lex.verbs.get(lemma, ()):
                    if vt.relation in done:
                        continue
                    found = list(self._verb(tok, vt))
                    if found:
                        out.extend(found)
                        done.add(vt.relation)
            if tok.pos_ in ("NOUN", "PROPN") or (
                tok.tag_ == "VBG"
                and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")  # "Fighting between X and Y"
            ):
                if lemma in self.lex.aid_with_nouns:
                    out.extend(self._support_from(tok))
                done_n: set[str] = set()
                for nt in self.lex.nouns.get(lemma if tok.tag_ != "VBG" else tok.lower_, ()):
                    if nt.relation in done_n or (
                        nt.modifier and not any(c.lower_ == nt.modifier for c in tok.lefts)
                    ):
                        continue
                    found = list(self._noun(tok, nt))
                    if found:
                        out.extend(found)
                        done_n.add(nt.relation)
        return out

    # ---- arguments -------------------------------------------------------------------------

    def _conj(self, tok: Token) -> list[Token]:
        out = [tok]
        stack = [tok]
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.dep_ == "conj" or (
                    c.dep_ == "appos"
                    and c.i in self.tok2m
                    and (t.i not in self.tok2m or self._both_people(t, c))
                ):
                    out.append(c)
                    stack.append(c)
        return out

    def _both_people(self, a: Token, b: Token) -> bool:
        """Case: "Obasanjo, Mlambo-Ngcuka, and Kenyatta" parsed as an apposition: a list of people."""
        ma, mb = self.tok2m.get(a.i), self.tok2m.get(b.i)
        return (
            ma is not None
            and mb is not None
            and ma.key != mb.key
            and self.types.get(ma.key) == "Person" == self.types.get(mb.key)
        )

    def _mention(self, tok: Token) -> Mention | None:
        return self.tok2m.get(tok.i)

    def _between_pairs(self, doc: Doc) -> list[tuple[int, tuple[Mention, Mention]]]:
        """Pairs named "between X and Y", in text order: what "both sides" later refers to."""
        out: list[tuple[int, tuple[Mention, Mention]]] = []
        for tok in doc:
            if tok.lower_ != "between":
                continue
            found: list[Mention] = []
            for g in tok.children:
                if g.dep_ == "pobj":
                    for m, _ in self._args(
                        g, "subj", ""
                    ):  # "the Government of Ethiopia", "the Sudanese army"
                        if m not in found:
                            found.append(m)
            if len(found) == 2 and found[0].key != found[1].key:
                out.append((tok.i, (found[0], found[1])))
        return out

    def _both_sides(self, t: Token) -> list[Mention]:
        """ "both sides", "the parties", "the two sides": the latest pair named before."""
        if t.lemma_.lower() not in ("side", "party", "country", "nation", "government") or t.tag_ not in (
            "NNS",
            "NNPS",
        ):
            return []
        if not any(c.lower_ in ("both", "the", "two") for c in t.children):
            return []
        prior = [p for i, p in self.pairs if i < t.i]
        return list(prior[-1]) if prior else []

    def _args(self, tok: Token, role: str, relation: str, depth: int = 0) -> list[tuple[Mention, float]]:
        """Mentions an argument token stands for, with a confidence factor."""
        out: list[tuple[Mention, float]] = []
        sides = self._both_sides(tok)
        if sides:
            return [(m, 0.7) for m in sides]
        people = [
            self.tok2m[c.i]
            for c in tok.children
            if c.dep_ == "appos" and c.i in self.tok2m and self.types.get(self.tok2m[c.i].key) == "Person"
        ]
        if tok.i not in self.tok2m and people:
            return [(m, 1.0) for m in people]  # "Israel's Defense Minister, Israel Katz": the person
        for t in self._conj(tok):
            m = self._resolve_token(t)
            if m is not None:
                out.append((m, 1.0))
                continue
            allowed = (
                ("NOUN", "PROPN", "PRON", "VERB", "ADJ")
                if relation == "ATTACKED"
                else ("NOUN", "PROPN", "PRON", "VERB")
            )  # "Liberian-flagged" is an adjective
            if depth >= 3 or t.pos_ not in allowed:
                continue
            out.extend((mm, f * 0.85) for mm, f in self._dig(t, role, relation, depth))
        return out

    def _dig(self, t: Token, role: str, relation: str, depth: int) -> list[tuple[Mention, float]]:
        by = [
            g
            for c in t.children
            if c.dep_ in ("prep", "agent") and c.lower_ == "by"
            for g in c.children
            if g.dep_ == "pobj"
        ]
        poss = [c for c in t.children if c.dep_ == "poss"]
        of = [
            g
            for c in t.children
            if c.dep_ == "prep" and (c.lower_ in ("of", "from") or (c.lower_ == "for" and role == "subj"))
            for g in c.children
            if g.dep_ == "pobj"
        ]
        # a name's own modifiers ("AU High Representative Obasanjo") do not stand for it
        mods = (
            []
            if t.ent_type_ == "PERSON"
            else [c for c in t.children if c.dep_ in ("compound", "amod", "nmod", "npadvmod")]
        )
        if relation in SPEECH_RELATIONS and role == "obj":
            order = [by, poss, of, mods]  # "condemned the Indian strikes": the demonym is the attacker
        elif role == "subj":
            order = [poss, mods, of]
        elif relation == "ATTACKED":
            # "targets in Houthi-controlled areas in Yemen": every place and actor named
            inside = [
                g
                for c in t.children
                if c.dep_ == "prep" and c.lower_ in ("in", "inside", "across")
                for g in c.children
                if g.dep_ == "pobj"
            ]
            found_all: list[tuple[Mention, float]] = []
            for g in [*poss, *mods, *of, *inside]:
                if g.lemma_.lower() in NOT_TARGET_MODIFIERS:
                    continue  # "a U.S.-owned ship", "Iranian-backed militias": not the target's flag
                found_all.extend(self._args(g, role, relation, depth + 1))
            water = self.water_words
            return [(m, f) for m, f in found_all if not any(w in water for w in m.text.split())]
        else:
            order = [poss, mods, of]
        for group in order:
            found: list[tuple[Mention, float]] = []
            for g in group:
                found.extend(self._args(g, role, relation, depth + 1))
            if found:
                return found
        return []

    def _resolve_token(self, t: Token) -> Mention | None:
        m = self.tok2m.get(t.i)
        if m is not None:
            return m
        low = t.lower_
        if t.pos_ == "PRON" and low in PERSONAL_PRONOUNS:
            prev = [p for p in self.persons if p.end <= t.i and t.i - p.end < 60]
            if prev:
                return prev[-1]
        if t.pos_ == "PRON" and (
            low == "its" or (low == "it" and t.dep_ == "nsubj" and t.head.dep_ == "relcl")
        ):
            # the nearest state or body before it in the sentence
            for j in range(t.i - 1, t.sent.start - 1, -1):
                m = self.tok2m.get(j)
                if m is not None and self.types.get(m.key) in ("Country", "Organization", "ArmedGroup"):
                    return m
            return None
        if t.pos_ == "PRON" and low == "their":
            # "the Houthi militia ... their attacks": the nearest group before it in the sentence
            for j in range(t.i - 1, t.sent.start - 1, -1):
                m = self.tok2m.get(j)
                if m is not None and self.types.get(m.key) in ("ArmedGroup", "Organization", "Country"):
                    return m
            return self._previous_subject(t)
        if t.pos_ == "PRON" and low in ("they", "them"):
            # "make clear to the Houthis that they ...": a group named earlier in the sentence
            for j in range(t.i - 1, t.sent.start - 1, -1):
                m = self.tok2m.get(j)
                if m is not None and self.types.get(m.key) == "ArmedGroup":
                    return m
            return self._previous_subject(t)
        if t.pos_ == "PRON" and low in FIRST_PLURAL:
            inside = any(a <= t.idx < b for a, b in self.quoted)
            if inside or self.voice is None:
                return self.speaker_of.get(t.sent.start)
            return self.voice
        return None

    def _previous_subject(self, t: Token) -> Mention | None:
        """Case: "They" continuing the previous sentence's collective subject (a council, a state)."""
        sent = t.sent
        if sent.start == 0:
            return None
        prev = self.doc[sent.start - 1].sent
        for tok in prev:
            if tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT":
                found = self._args(tok, "subj", "")
                if len(found) == 1 and self.types.get(found[0][0].key) in (
                    "Organization",
                    "Country",
                    "ArmedGroup",
                ):
                    return found[0][0]
        return None

    def _subjects(self, verb: Token) -> list[tuple[Mention, float]]:
        v = verb
        for _ in range(3):
            subs = [c for c in v.children if c.dep_ in SUBJ_DEPS]
            if subs and v.dep_ == "relcl" and subs[0].lower_ in ("who", "which", "that"):
                return self._args(v.head, "subj", "")  # "Aoun, who met Barrack": the antecedent
            if len(subs) > 1:
                # The small parser splits "Sudan's army chief Abdel al-Burhan rejected" into two
                # subjects; a title noun right before a named subject is that name's title, not a
                # second agent (rule 2: one agent per statement, the one the text names).
                subs = [
                    s
                    for s in subs
                    if not (
                        s.pos_ == "NOUN" and any(o.pos_ == "PROPN" and o.left_edge.i == s.i + 1 for o in subs)
                    )
                ]
            if subs:
                out: list[tuple[Mention, float]] = []
                for s in subs:
                    out.extend(self._args(s, "subj", ""))
                # "X, together with Y, issued": co-agents
                for c in v.children:
                    if (
                        c.dep_ == "prep"
                        and c.lower_ == "with"
                        and any(g.lower_ in ("together", "along", "jointly") for g in c.children)
                    ):
                        for g in c.children:
                            if g.dep_ == "pobj":
                                out.extend(self._args(g, "subj", ""))
                return out
            agent = self._agent(v)
            if agent:
                return agent
            if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head is not v.head:
                if v.head.lower_ in ("of", "for"):
                    # "accused Kyiv of shelling Belgorod": the accused is the one who shelled
                    ctrl = [c for c in v.head.head.children if c.dep_ == "dobj" and c.i in self.tok2m]
                    if ctrl:
                        return self._args(ctrl[0], "subj", "")
                v = v.head.head  # "surprised X by not agreeing": the agent of the governing verb
                continue
            if v.dep_ == "xcomp" and v.head is not v:
                controller = [c for c in v.head.children if c.dep_ == "dobj"] + [
                    g
                    for c in v.head.children
                    if c.dep_ == "prep" and c.lower_ in ("on", "upon")
                    for g in c.children
                    if g.dep_ == "pobj"
                ]
                # "urged both sides to negotiate": an actor object is the one who negotiates
                # ("used missiles to hit" is no such case)
                if controller and (self._both_sides(controller[0]) or controller[0].i in self.tok2m):
                    return self._args(controller[0], "subj", "")
                urging = self.lex.verbs.get(v.head.lemma_.lower(), [])
                if controller and any(vt.relation == "URGED" for vt in urging):
                    # "urged both countries to accept": the urged do it, whoever they are; never the urger
                    return []
                v = v.head
                continue
            if v.dep_ == "conj" and v.head is not v:
                v = v.head
                continue
            if v.dep_ in ("relcl", "acl") and v.head is not v:
                return self._args(v.head, "subj", "")
            if v.dep_ == "ccomp" and any(c.dep_ == "expl" for c in v.children):
                v = v.head  # "X is clear that there is no solution and urges ...": parsed under "is"
                continue
            break
        return []

    def _agent(self, verb: Token) -> list[tuple[Mention, float]]:
        for c in verb.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return self._args(g, "subj", "")
        return []

    def _is_passive(self, verb: Token) -> bool:
        return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
            verb.tag_ == "VBN"
            and verb.dep_ in ("acl", "relcl", "amod")
            and any(c.dep_ == "agent" for c in verb.children)
        )

    # ---- triggers --------------------------------------------------------------------------

    def _verb(self, verb: Token, vt: VerbTrigger) -> Iterator[Candidate]:
        anchor = verb
        for word in vt.path:
            nxt = next((c for c in anchor.children if c.lower_ == word or c.lemma_.lower() == word), None)
            if nxt is None and anchor is verb and verb.dep_ == "relcl" and verb.head.lemma_.lower() == word:
                nxt = verb.head  # "the duties it imposed on Japan"
            if nxt is None:
                return
            anchor = nxt
        if anchor is not verb and anchor.pos_ in ("NOUN", "PROPN"):
            anchor = verb  # "imposed sanctions on X": the object hangs on the verb
        passive = self._is_passive(verb)
        objs: list[tuple[Mention, float]] = []
        if anchor is not verb and anchor.pos_ == "ADP" and anchor.dep_ != "prt":  # "shot down X": a particle
            for g in anchor.children:
                if g.dep_ == "pobj":
                    objs.extend(self._args(g, "obj", vt.relation))
            if "named" in vt.slots:
                objs = [(m, f) for m, f in objs if self._named_or_implemented(m, anchor)]
        elif anchor is not verb and anchor.dep_ != "prt":
            return
        else:
            for slot in vt.slots:
                if slot == "dobj":
                    for c in verb.children:
                        if c.dep_ in ("dobj", "dative") or (passive and c.dep_ == "nsubjpass"):
                            objs.extend(self._args(c, "obj", vt.relation))
                    if not passive and not any(c.dep_ == "dobj" for c in verb.children):
                        # "welcomes the agreement announced today": the small parser reads the reduced
                        # relative as a clause whose subject is really the verb's object
                        for c in verb.children:
                            if (
                                c.dep_ == "ccomp"
                                and c.tag_ in ("VBN", "VBD")
                                and not any(g.dep_ in ("aux", "auxpass", "mark") for g in c.children)
                            ):
                                for g in c.children:
                                    if g.dep_ == "nsubj" and g.i > verb.i:
                                        objs.extend(
                                            (m, f * 0.9)
                                            for m, f in self._args(g, "obj", vt.relation)
                                            if self.types.get(m.key, m.type) == "Proposal"
                                        )
                elif slot == "that":
                    objs.extend(self._clause_subjects(verb))
                elif slot == "named":
                    for c in verb.children:
                        if c.dep_ == "dobj":
                            objs.extend(
                                (m, f)
                                for m, f in self._args(c, "obj", vt.relation)
                                if self._named_or_implemented(m, c)
                            )
                else:
                    for c in verb.children:
                        if c.dep_ == "prep" and c.lower_ == slot:
                            for g in c.children:
                                if g.dep_ == "pobj":
                                    objs.extend(self._args(g, "obj", vt.relation))
        if (
            not passive
            and vt.relation in SPEECH_RELATIONS
            and "dobj" in vt.slots
            and not any(self.types.get(m.key, m.type) != "Proposal" for m, _ in objs)
        ):
            # "condemns the strikes by Russia on ...": the parse hangs "by" on the verb
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ == "by":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            objs.extend((m, f * 0.85) for m, f in self._args(g, "obj", vt.relation))
        subjs = self._agent(verb) if passive else self._subjects(verb)
        if passive and not subjs:
            return
        rel = self.vocab.relations[vt.relation]
        if rel.symmetric and not objs:
            # "one held by Blinken with Dermer": the parse hangs "with" on the agent
            heads = [g for c in verb.children if c.dep_ in ("agent", "nsubj") for g in [c, *c.children]]
            for h in heads:
                for c in h.children:
                    if c.dep_ == "prep" and c.lower_ in vt.slots and c.lower_ != "dobj":
                        for g in c.children:
                            if g.dep_ == "pobj":
                                objs.extend(self._args(g, "obj", vt.relation))
        reciprocal = verb.lemma_.lower() in self.lex.reciprocal_verbs and not any(
            c.dep_ in ("dobj", "prep") and c.lower_ not in ("in", "at", "on", "during", "after", "for")
            for c in verb.children
        )
        if rel.symmetric and not objs and len(subjs) >= 2 and reciprocal:
            pairs = [(subjs[i], subjs[j]) for i in range(len(subjs)) for j in range(i + 1, len(subjs))]
        else:
            pairs = [(s, o) for s in subjs for o in objs]
        yield from self._emit(vt.relation, vt.key, verb, pairs, 0.85)

    def _noun(self, noun: Token, nt: NounTrigger) -> Iterator[Candidate]:
        objs: list[tuple[Mention, float]] = []
        between: list[tuple[Mention, float]] = []
        preps = list(noun.children)
        # "condemns the strikes by Russia on Ukraine": the parse hangs the noun's phrases on the verb
        host = noun.head if noun.dep_ == "conj" else noun
        if host.dep_ == "conj":
            host = host.head
        if host.dep_ == "pobj" and host.head.lower_ == "of" and host.head.head.dep_ == "dobj":
            host = host.head.head  # "a package of aid to Kyiv": the phrase hangs on the verb
        if host.dep_ == "dobj" and not self._is_passive(host.head):
            preps += [c for c in host.head.children if c.dep_ == "prep" and c.i > noun.i]
        if "that" in nt.slots:
            objs.extend(self._clause_subjects(noun))
        for c in preps:
            if c.dep_ == "prep" and c.lower_ in nt.slots:
                for g in c.children:
                    if g.dep_ == "pobj":
                        found = self._args(g, "obj", nt.relation)
                        if c.lower_ == "between":
                            between.extend(found)
                        else:
                            objs.extend(found)
        rel = self.vocab.relations[nt.relation]
        pairs: list[tuple[tuple[Mention, float], tuple[Mention, float]]] = []
        if between and rel.symmetric:
            pairs = [
                (between[i], between[j]) for i in range(len(between)) for j in range(i + 1, len(between))
            ]
        subjs = self._noun_subjects(noun)
        if rel.symmetric and not objs and not pairs:
            hyph = self._hyphen_pair(noun)
            if hyph:
                pairs.append(hyph)
        pairs.extend((s, o) for s in subjs for o in objs)
        direct = noun.dep_ == "dobj" and any(c.dep_ == "nsubj" for c in noun.head.children)
        if rel.symmetric and direct and not objs and not pairs and len(subjs) >= 2:  # "X and Y held talks"
            pairs.extend((subjs[i], subjs[j]) for i in range(len(subjs)) for j in range(i + 1, len(subjs)))
        if rel.symmetric and subjs and len(objs) > 1:  # "a trilateral meeting with A and B"
            pairs.extend((objs[i], objs[j]) for i in range(len(objs)) for j in range(i + 1, len(objs)))
        yield from self._emit(nt.relation, nt.key, noun, pairs, 0.75)

    def _clause_subjects(self, tok: Token) -> list[tuple[Mention, float]]:
        """Case: "demand that RSF halt", "insistence that Chun should step down": the addressee."""
        out: list[tuple[Mention, float]] = []
        for c in tok.children:
            if (
                c.dep_ in ("ccomp", "acl", "relcl", "advcl")
                and c.pos_ in ("VERB", "AUX")
                and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
                or (c.dep_ == "ccomp" and any(g.lower_ in self.lex.urging_modals for g in c.children))
            ):
                for g in c.children:
                    if g.dep_ in ("nsubj", "nsubjpass"):
                        out.extend((m, f * 0.85) for m, f in self._args(g, "obj", "URGED"))
        return out

    def _named_or_implemented(self, m: Mention, anchor: Token) -> bool:
        """Case: "called for a ceasefire" is no support of anything yet; "called for the implementation of
        resolution 1701" or "called for resolution 2254" is (spec rule 6)."""
        if self.types.get(m.key, m.type) != "Proposal":
            return False
        if any(ch.isdigit() for ch in m.text):
            return True
        if self.doc[m.root].tag_ in ("NNS", "NNPS"):
            return False  # "relevant UN resolutions" names no one proposal
        return any(ch.isupper() for ch in m.text)

    def accused_by_speech(self, verb: Token) -> Iterator[Candidate]:
        """Case: "Israel said Hamas was responsible for the attack", "said the attack was by an Iranian
        missile": the speaker accuses the one named."""
        subjs = [x for g in verb.children if g.dep_ == "nsubj" for x in self._args(g, "subj", "ACCUSED")]
        if not subjs:
            return
        for c in verb.children:
            if c.dep_ != "ccomp" or c.lemma_ != "be":
                continue
            objs: list[tuple[Mention, float]] = []
            blamed = any(
                g.dep_ == "acomp" and g.lemma_.lower() in self.lex.accusation_adjectives for g in c.children
            )
            for g in c.children:
                if blamed and g.dep_ == "nsubj":
                    objs.extend(self._args(g, "obj", "ACCUSED"))
                if g.dep_ == "prep" and g.lower_ in self.lex.accusation_preps:
                    for p in g.children:
                        if p.dep_ == "pobj":
                            if g.lower_ == "behind":  # "Iran was behind the strike"
                                objs.extend(
                                    x
                                    for s in c.children
                                    if s.dep_ == "nsubj"
                                    for x in self._args(s, "obj", "ACCUSED")
                                )
                            else:  # "the attack was by an Iranian missile"
                                objs.extend(self._args(p, "obj", "ATTACKED"))
            if objs:
                yield from self._emit(
                    "ACCUSED", "say responsible", verb, [(s, o) for s in subjs for o in objs], 0.6
                )

    def urged_by_speech(self, verb: Token) -> Iterator[Candidate]:
        """Case: "Ullman said Washington should join Moscow": the speaker urges the clause's subject."""
        for c in verb.children:
            if c.dep_ != "ccomp":
                continue
            if not any(g.dep_ == "aux" and g.lower_ in self.lex.urging_modals for g in c.children):
                continue
            objs = [x for g in c.children if g.dep_ == "nsubj" for x in self._args(g, "obj", "URGED")]
            subjs = [x for g in verb.children if g.dep_ == "nsubj" for x in self._args(g, "subj", "URGED")]
            if objs and subjs:
                yield from self._emit("URGED", "say should", verb, [(s, o) for s in subjs for o in objs], 0.6)

    def _consequences(self, verb: Token) -> Iterator[Candidate]:
        """Case: "make clear to the Houthis that they will bear the consequences": a threat by the
        one who says so against the one who is to bear them."""
        things = self.lex.threat_consequences[verb.lemma_.lower()]
        if not any(c.dep_ == "dobj" and c.lemma_.lower() in things for c in verb.children):
            return
        objs = [x for c in verb.children if c.dep_ == "nsubj" for x in self._args(c, "obj", "THREATENED")]
        subjs: list[tuple[Mention, float]] = []
        for anc in verb.ancestors:
            if anc.pos_ in ("VERB", "AUX"):
                subjs = self._subjects(anc)
                if subjs:
                    break
        pairs = [(s, o) for s in subjs for o in objs]
        for cand in self._emit("THREATENED", "consequences", verb, pairs, 0.6):
            cand.modality = "asserted"  # the threat is made now; the consequences are to come
            yield cand

    def _conformity(self, prep: Token) -> Iterator[Candidate]:
        """ "... in line with resolution 1556": the clause's agent endorses the named proposal."""
        doc = self.doc
        if not any(
            prep.i - len(p) + 1 >= 0 and [t.lower_ for t in doc[prep.i - len(p) + 1 : prep.i + 1]] == list(p)
            for p in self.lex.conformity_phrases
        ):
            return
        objs = [
            (m, f)
            for g in prep.children
            if g.dep_ == "pobj"
            for m, f in self._args(g, "obj", "SUPPORTED")
            if self.types.get(m.key, m.type) == "Proposal" and self._named_or_implemented(m, g)
        ]
        if not objs:
            return
        subjs: list[tuple[Mention, float]] = []
        for verb in prep.ancestors:  # the nearest clause up the tree whose agent is an actor
            if verb.pos_ not in ("VERB", "AUX"):
                continue
            subjs = [
                (m, f)
                for m, f in self._subjects(verb)
                if self.types.get(m.key, m.type) in ("Country", "Organization", "Person", "ArmedGroup")
            ]
            if subjs:
                break
        if not subjs and self.voice is not None:
            subjs = [(self.voice, 0.8)]
        yield from self._emit("SUPPORTED", "in line with", prep, [(s, o) for s in subjs for o in objs], 0.6)

    def _support_from(self, noun: Token) -> Iterator[Candidate]:
        """Case: "X, with support from A and B, struck Y": A and B aided X (rule 6 of the spec)."""
        if noun.dep_ != "pobj" or noun.head.lower_ != "with":
            return
        aiders: list[tuple[Mention, float]] = []
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "from":
                for g in c.children:
                    if g.dep_ == "pobj":
                        aiders.extend(self._args(g, "subj", "AIDED"))
        if not aiders:
            return
        host = noun.head.head
        aided = self._subjects(host) if host.pos_ in ("VERB", "AUX") else self._args(host, "subj", "AIDED")
        if not aided and host.dep_ in ("nsubj", "nsubjpass"):
            aided = self._args(host, "subj", "AIDED")
        yield from self._emit("AIDED", "support", noun, [(a, b) for a in aiders for b in aided], 0.75)

    def _noun_subjects(self, noun: Token) -> list[tuple[Mention, float]]:
        out: list[tuple[Mention, float]] = []
        kids = list(noun.children)
        host = noun.head if noun.dep_ == "conj" else noun
        if host.dep_ == "conj":
            host = host.head
        if host.dep_ == "dobj" and not self._is_passive(host.head):
            kids += [c for c in host.head.children if c.dep_ == "prep" and c.lower_ == "by" and c.i > noun.i]
        for c in kids:
            if c.dep_ == "poss":
                out.extend(self._args(c, "subj", ""))
            elif c.dep_ == "prep" and c.lower_ == "by":
                for g in c.children:
                    if g.dep_ == "pobj":
                        out.extend(self._args(g, "subj", ""))
        if out:
            return out
        for c in noun.lefts:
            if c.dep_ in ("compound", "amod", "nmod", "npadvmod"):
                m = self._mention(c)
                if m is not None:
                    out.append((m, 0.9))
                else:
                    # "US-led strikes", "Iranian-backed" are not agents; "U.S.-flagged" neither
                    pass
        if out:
            return out
        head = noun.head
        if noun.dep_ == "pobj" and head.lower_ in ("including", "like") and head.head.pos_ == "NOUN":
            return self._noun_subjects(head.head)  # "a campaign against X, including strikes in Beirut"
        if noun.dep_ == "appos":  # "Kuwait, a key backer of Iraq"
            return [(m, f * 0.9) for m, f in self._args(head, "subj", "")]
        if noun.dep_ == "attr" and head.lemma_.lower() in ("be", "remain", "become"):
            return [(m, f * 0.85) for m, f in self._subjects(head)]
        if noun.dep_ in ("dobj", "attr") and head.lemma_.lower() in self.lex.support_verbs:
            return [(m, f * 0.9) for m, f in self._subjects(head)]
        if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.dep_ == "dobj":
            verb = head.head.head  # "pledged a new package of military aid"
            if verb.lemma_.lower() in self.lex.support_verbs:
                return [(m, f * 0.85) for m, f in self._subjects(verb)]
        if noun.dep_ == "pobj" and head.head.lemma_.lower() in self.lex.support_verbs:
            return [(m, f * 0.85) for m, f in self._subjects(head.head)]
        if (
            noun.dep_ == "pobj"
            and head.lower_ == "for"
            and head.head.lemma_.lower() == "responsibility"
            and head.head.dep_ == "dobj"
            and head.head.head.lemma_.lower() in self.lex.support_verbs
        ):  # "claimed responsibility for the attack on X"
            return [(m, f * 0.85) for m, f in self._subjects(head.head.head)]
        return []

    def _hyphen_pair(self, noun: Token) -> tuple[tuple[Mention, float], tuple[Mention, float]] | None:
        """Case: "the IDF-Hezbollah war", "the Iran-Iraq war", "UK-Azerbaijan dialogue"."""
        left = noun.left_edge.i
        ms: list[Mention] = []
        for i in range(left, noun.i):
            m = self.tok2m.get(i)
            if m is not None and m.type != "Proposal" and (not ms or ms[-1] is not m):
                ms.append(m)
        if (
            len(ms) == 2
            and ms[0].end < ms[1].start
            and any(self.doc[i].text in ("-", "–", "/") for i in range(ms[0].end, ms[1].start))
        ):
            return (ms[0], 0.9), (ms[1], 0.9)
        return None

    def _emit(self, relation: str, key: str, trigger: Token, pairs: list, base: float) -> Iterator[Candidate]:
        rel = self.vocab.relations[relation]
        if not pairs:
            return
        if rel.is_event:
            neg, mod = is_negated(trigger), modality(trigger)
            if relation == "THREATENED" and mod in ("planned", "hypothetical"):
                mod = "asserted"  # a threat speaks of the future: "vowed to retaliate against X" is one
        else:  # a war is not undone by "could not continue the war"; "not at war" is
            neg = any(c.dep_ == "neg" for c in trigger.children) or (
                trigger.dep_ == "pobj" and any(c.dep_ == "neg" for c in trigger.head.head.children)
            )
            mod = "asserted"
        for (s, fs), (o, fo) in pairs:
            if s.key == o.key:
                continue
            if relation == "ATTACKED" and any(w in self.water_words for w in o.text.split()):
                continue  # attacks on ships "in the Red Sea" do not attack the sea
            st, ot = self.types.get(s.key, s.type), self.types.get(o.key, o.type)
            if not self.vocab.allows(relation, st, ot):
                continue
            if not rel.symmetric and not (st in rel.subject_types and ot in rel.object_types):
                continue
            cameo = self.lex.cameo.get((relation, key), rel.cameo)
            if o.type == "Proposal":
                for word, code in self._object_cameos(relation):
                    if word in o.key:
                        cameo = code
            yield Candidate(relation, s, o, trigger, trigger.sent, neg, mod, cameo, base * fs * fo)

    def _object_cameos(self, relation: str) -> list[tuple[str, str]]:
        return [(w, c) for (r, w), c in self.lex.object_cameo.items() if r == relation]
