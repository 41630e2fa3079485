"""The extractor: article in, resolved and typed triples with evidence out.

Stages (each its own module): spaCy parse (nlp) -> mentions (gazetteer + NER) -> in-article
resolution -> titles (OFFICIAL_OF, bare-title mentions) -> proposals -> event relations from the
trigger lexicon -> standing relations -> negation, modality and dates -> de-duplication.
"""

from __future__ import annotations

import multiprocessing as mp
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.errors import ExtractionError, KGError
from kg.extract.dates import resolve_date
from kg.extract.gazetteer import get_gazetteer
from kg.extract.language import require_english
from kg.extract.lexicon import get_lexicon
from kg.extract.mentions import Mention, MentionFinder
from kg.extract.negation import ASSERTED, is_negated
from kg.extract.nlp import load_model, unwrap_lines
from kg.extract.proposals import find_proposals
from kg.extract.relations import Candidate, RelationFinder
from kg.extract.resolve import EntityRecord, Resolver
from kg.extract.standing import StandingFinder
from kg.extract.titles import TitleFinder
from kg.model import Article, ArticleExtraction, Entity, Evidence, Triple, canonical_id
from kg.settings import Settings, get_settings
from kg.vocabulary import get_vocabulary

# Relations that are statements of the speaker: undated ones take the date a statement was issued.
STATEMENT_RELATIONS = {"CONDEMNED", "SUPPORTED", "URGED", "ACCUSED", "THREATENED", "REJECTED"}
_QUOTED = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")
CEASEFIRE_WORDS = ("ceasefire", "truce", "cessation of hostilities", "armistice")
_ADMIN_WORDS = {"administration", "government", "cabinet", "regime"}


@dataclass(slots=True)
class _Fact:
    relation: str
    subj: Mention
    obj: Mention
    sent: Span
    negated: bool = False
    modality: str = ASSERTED
    date: str | None = None
    confidence: float = 0.7
    attributes: dict[str, Any] = field(default_factory=dict)


class Extractor:
    """Loads the spaCy model lazily; matchers and lexicons are built once per instance."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._nlp: Language | None = None
        self._ready = False
        # token -> span of the proposal name it is inside ("resolution 1701 (2006)": no event date)
        self._inside: dict[int, tuple[int, int]] = {}

    # ---- setup -------------------------------------------------------------------------------

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_model(self.settings.spacy_model)
        return self._nlp

    def _setup(self) -> None:
        if self._ready:
            return
        gaz = get_gazetteer()
        self.gaz = gaz
        self.vocab = get_vocabulary()
        self.lex = get_lexicon()
        targets = frozenset(
            [k for k, ts in self.lex.verbs.items() if any(t.relation == "ATTACKED" for t in ts)]
            + [k for k, ts in self.lex.nouns.items() if any(t.relation == "ATTACKED" for t in ts)]
        )
        self.mentions = MentionFinder(self.nlp, gaz, targets)
        self.resolver = Resolver(gaz)
        self.titles = TitleFinder(gaz.titles)
        self.relations = RelationFinder(self.lex, self.vocab, gaz.water_words)
        self.standing = StandingFinder(gaz)
        self._ready = True

    # ---- public interface --------------------------------------------------------------------

    def extract(self, article: Article) -> ArticleExtraction:
        require_english(article)
        self._setup()
        try:
            doc = self.nlp(unwrap_lines(article.body))
        except Exception as e:  # spaCy errors are not ours: wrap them
            raise ExtractionError(f"{article.id}: the NLP pipeline failed: {e}") from e
        return self._extract_doc(article, doc)

    def extract_many(self, articles: Iterable[Article], workers: int = 1) -> Iterator[ArticleExtraction]:
        if workers > 1:
            yield from _extract_parallel(articles, workers, self.settings)
            return
        self._setup()
        items = list(articles)
        try:
            docs = self.nlp.pipe((unwrap_lines(a.body) for a in items), batch_size=16)
            for article, doc in zip(items, docs, strict=True):
                yield self._extract_doc(article, doc)
        except KGError:
            raise
        except Exception as e:
            raise ExtractionError(f"the NLP pipeline failed: {e}") from e

    # ---- one document ------------------------------------------------------------------------

    def _extract_doc(self, article: Article, doc: Doc) -> ArticleExtraction:
        try:
            return self._run(article, doc)
        except KGError:
            raise
        except Exception as e:
            raise ExtractionError(f"{article.id}: extraction failed: {type(e).__name__}: {e}") from e

    def _run(self, article: Article, doc: Doc) -> ArticleExtraction:
        mentions = self.mentions.find(doc)
        records = self.resolver.resolve(doc, mentions)
        types = {k: r.type for k, r in records.items()}
        title_facts = self.titles.find(doc, mentions, types)
        for tf in title_facts:
            if tf.owner is None:  # "Prime Minister Benjamin Netanyahu": a well-known holder's state
                person = records[tf.person.key]
                hit = self.gaz.holder(person.name, tf.title)
                if hit is None:
                    continue
                # one name for the holder across articles ("President Biden", "Joe Biden")
                if person.name != hit[0]:
                    person.surfaces.append(person.name)
                    person.name = hit[0]
                entry = self.gaz.entries[hit[1]]
                tf.owner = Mention(
                    tf.person.start, tf.person.end, entry.name, entry.type, entry.key, how="holder"
                )
                if entry.key not in records:
                    records[entry.key] = EntityRecord(
                        key=entry.key,
                        type=entry.type,
                        name=entry.name,
                        iso3=entry.iso3,
                        surfaces=[entry.name],
                    )
                    types[entry.key] = entry.type
        extra = self.titles.bare_title_mentions(doc, title_facts, mentions)
        extra += self._administration_mentions(doc, mentions, title_facts, types)
        for m in extra:
            records[m.key].surfaces.append(m.text)
        mentions = sorted(mentions + extra, key=lambda m: m.start)
        taken = {i for m in mentions for i in range(m.start, m.end)}
        proposals = find_proposals(doc, self.lex, taken)
        for p in proposals:
            rec = records.get(p.key)
            if rec is None:
                rec = records[p.key] = EntityRecord(key=p.key, type="Proposal", name=p.text)
            rec.surfaces.append(p.text)
            if p.owner is not None:
                rec.surfaces.append(p.owner.text)
                if len(p.owner.text) > len(rec.name):
                    rec.name = p.owner.text
            head = doc[p.root]
            rec.surfaces.append(head.text)
        types.update({p.key: "Proposal" for p in proposals})
        all_mentions = sorted(mentions + proposals, key=lambda m: m.start)
        self._inside = {}
        for m in proposals:  # "resolution 2736 (2024)": the year belongs to the name
            span = (m.start, (m.owner or m).end)
            j = span[1]
            if j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")":
                span = (span[0], j + 3)
            for i in range(*span):
                self._inside[i] = span

        facts: list[_Fact] = []
        for tf in title_facts:
            if tf.owner is None:
                continue
            facts.append(
                _Fact(
                    "OFFICIAL_OF",
                    tf.person,
                    tf.owner,
                    doc[tf.person.start].sent,
                    confidence=0.85,
                    attributes={"title": tf.title},
                )
            )
        speaker_of, voice = self._speakers(doc, mentions, types, title_facts)
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(doc.text)]
        statement_date = self._statement_date(doc, article.published)
        for c in self.relations.find(doc, all_mentions, types, speaker_of, voice, quoted):
            facts.append(self._event_fact(c, article.published, statement_date))
        for sf in self.standing.find(doc, all_mentions, types, speaker_of):
            if sf.obj.key not in records:
                owner = self.gaz.entries.get(sf.obj.key)
                if owner is None:
                    continue
                records[sf.obj.key] = EntityRecord(
                    key=owner.key, type=owner.type, name=owner.name, iso3=owner.iso3, surfaces=[owner.name]
                )
                types[sf.obj.key] = owner.type
            st, ot = types.get(sf.subj.key, sf.subj.type), types.get(sf.obj.key, sf.obj.type)
            if not self.vocab.allows(sf.relation, st, ot):
                continue
            tok = doc[sf.token]
            fact = _Fact(
                sf.relation,
                sf.subj,
                sf.obj,
                tok.sent,
                negated=sf.clausal and is_negated(tok),
                confidence=sf.confidence,
                attributes=dict(sf.attributes or {}),
            )
            if self.vocab.relations[sf.relation].is_event:
                fact.date = self._date_for(tok, article.published)
                self._codes(fact, None)
            facts.append(fact)
        facts.extend(self._ceasefire_parties(facts))
        return self._build(article, records, facts)

    def _ceasefire_parties(self, facts: list[_Fact]) -> list[_Fact]:
        """A ceasefire agreed by X and Y implies they were in conflict (spec rule 8)."""
        parties: dict[str, list[_Fact]] = {}
        for f in facts:
            if (
                f.relation == "AGREED_TO"
                and not f.negated
                and f.modality == ASSERTED
                and any(w in f.obj.key.lower() for w in CEASEFIRE_WORDS)
            ):
                parties.setdefault(f.obj.key, []).append(f)
        out: list[_Fact] = []
        for agreed in parties.values():
            subjects = list({f.subj.key: f for f in agreed}.values())
            for i in range(len(subjects)):
                for j in range(i + 1, len(subjects)):
                    a, b = subjects[i], subjects[j]
                    out.append(_Fact("IN_CONFLICT_WITH", a.subj, b.subj, a.sent, confidence=0.65))
        return out

    def _event_fact(self, c: Candidate, published: str | None, statement_date: str | None) -> _Fact:
        fact = _Fact(
            c.relation, c.subj, c.obj, c.sent, negated=c.negated, modality=c.modality, confidence=c.confidence
        )
        statement = c.relation in STATEMENT_RELATIONS and c.trigger.pos_ in ("VERB", "AUX")
        fact.date = self._date_for(c.trigger, published, direct_only=statement)
        if fact.date is None and c.relation in STATEMENT_RELATIONS:
            fact.date = statement_date
        self._codes(fact, c.cameo)
        return fact

    def _codes(self, fact: _Fact, cameo: str | None) -> None:
        rel = self.vocab.relations[fact.relation]
        if rel.is_event:
            fact.attributes["cameo"] = cameo or rel.cameo
            if rel.plover:
                fact.attributes["plover"] = rel.plover

    # ---- context: speakers, administrations, dates ---------------------------------------------

    def _speakers(
        self, doc: Doc, mentions: list[Mention], types: dict[str, str], title_facts: list
    ) -> tuple[dict[int, Mention], Mention | None]:
        """Who "we" is in each sentence: the body of the person quoted, or the issuing body."""
        tok2m = {i: m for m in mentions for i in range(m.start, m.end)}
        owner_of = {tf.person.key: tf.owner for tf in title_facts if tf.owner is not None}
        out: dict[int, Mention] = {}
        voice: Mention | None = None
        for sent in doc.sents:
            for tok in sent:
                if tok.lemma_.lower() in self.lex.speech_verbs and tok.pos_ == "VERB":
                    for c in tok.children:
                        if c.dep_ == "nsubj" and c.i in tok2m:
                            m = tok2m[c.i]
                            body = owner_of.get(m.key) if types.get(m.key) == "Person" else m
                            if body is not None and types.get(body.key) in ("Country", "Organization"):
                                out[sent.start] = body
            if voice is None:
                for tok in sent:
                    if (
                        tok.dep_ == "nsubj"
                        and tok.i in tok2m
                        and types.get(tok2m[tok.i].key) in ("Country", "Organization")
                    ):
                        voice = tok2m[tok.i]
                        break
        return out, voice

    def _administration_mentions(
        self, doc: Doc, mentions: list[Mention], title_facts: list, types: dict[str, str]
    ) -> list[Mention]:
        """Case: "the Biden administration" stands for the state its leader holds office in."""
        state_of = {
            tf.person.key: tf.owner
            for tf in title_facts
            if tf.owner is not None and types.get(tf.owner.key) == "Country"
        }
        out: list[Mention] = []
        for m in mentions:
            if types.get(m.key) != "Person" or m.end >= len(doc):
                continue
            if doc[m.end].lower_ in _ADMIN_WORDS and m.key in state_of:
                start = m.start - 1 if m.start > 0 and doc[m.start - 1].lower_ == "the" else m.start
                owner = state_of[m.key]
                out.append(
                    Mention(
                        m.start, m.end + 1, doc[start : m.end + 1].text, "Country", owner.key, how="metonym"
                    )
                )
        # the person mention is replaced by the state mention
        covered = {(x.start, x.end - 1) for x in out}
        mentions[:] = [m for m in mentions if (m.start, m.end) not in covered]
        return out

    def _statement_date(self, doc: Doc, published: str | None) -> str | None:
        """Case: "The following statement was issued today": the date of everything the statement says."""
        for sent in list(doc.sents)[:2]:
            if any(t.lemma_.lower() in ("issue", "statement", "release") for t in sent):
                for ent in sent.ents:
                    if ent.label_ == "DATE":
                        d = resolve_date(ent.text, published)
                        if d:
                            return d
        return None

    def _under_event_noun(self, tok: Token, trigger: Token) -> bool:
        """Whether a date belongs to an event noun between it and the trigger ("assaults in recent days")."""
        for anc in tok.ancestors:
            if anc is trigger:
                return False
            if anc.pos_ == "NOUN" and anc.lemma_.lower() in self.lex.nouns:
                return True
        return False

    def _date_for(self, trigger: Token, published: str | None, direct_only: bool = False) -> str | None:
        """The time expression nearest the trigger in the parse. A statement ("condemned the
        assaults in recent days") takes only a date of its own verb, not of what it is about."""
        sent = trigger.sent
        best: tuple[int, str] | None = None
        for ent in sent.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            inside = self._inside.get(ent.start)
            if inside is not None and not inside[0] <= trigger.i < inside[1]:
                continue
            if (
                direct_only
                and not _attached_to(ent.root, trigger)
                and self._under_event_noun(ent.root, trigger)
            ):
                continue
            d = resolve_date(ent.text, published)
            if d is None:
                continue
            dist = _tree_distance(trigger, ent.root)
            if best is None or dist < best[0]:
                best = (dist, d)
        return best[1] if best else None

    # ---- output ------------------------------------------------------------------------------

    def _qualify_generic_bodies(
        self, entities: dict[str, Entity], records: dict[str, EntityRecord], facts: list[_Fact]
    ) -> None:
        """Give a generic body ("Foreign Ministry") whose owner the text names an id of that owner's own.

        Without this, "Iran's Foreign Ministry" in one article and "Israel's Foreign Ministry" in another
        would become one graph node PART_OF both states. Bodies that belong to one state by definition
        (the Pentagon) keep their plain id; a generic body with no named owner stays unqualified.
        """
        owners: dict[str, set[str]] = {}
        for f in facts:
            if f.relation != "PART_OF" or f.negated or f.modality != ASSERTED:
                continue
            entry = self.gaz.entries.get(f.subj.key)
            owner = records.get(f.obj.key)
            if entry is None or entry.country or entry.part_of or owner is None or not owner.iso3:
                continue
            owners.setdefault(f.subj.key, set()).add(owner.iso3)
        for key, isos in owners.items():
            entity = entities.get(key)
            if entity is not None and len(isos) == 1:
                entity.id = canonical_id(entity.type, f"{next(iter(isos))} {entity.name}")

    def _build(
        self, article: Article, records: dict[str, EntityRecord], facts: list[_Fact]
    ) -> ArticleExtraction:
        entities: dict[str, Entity] = {k: r.entity() for k, r in records.items()}
        self._qualify_generic_bodies(entities, records, facts)
        best: dict[tuple[str, str, str, bool], Triple] = {}
        body = article.body
        for f in facts:
            s, o = entities.get(f.subj.key), entities.get(f.obj.key)
            if s is None or o is None or s.id == o.id:
                continue
            rel = self.vocab.relations[f.relation]
            a, b = s.id, o.id
            if rel.symmetric and b < a:
                a, b = b, a
                s, o = o, s
            attrs = dict(f.attributes)
            if f.modality != ASSERTED:
                attrs["modality"] = f.modality
            key = (a, f.relation, b, f.negated)
            conf = f.confidence * (0.6 if f.modality != ASSERTED else 1.0)
            start, end = f.sent.start_char, f.sent.end_char
            text = body[start:end]
            stripped = text.strip()
            start += len(text) - len(text.lstrip())
            end = start + len(stripped)
            triple = Triple(
                doc=article.id,
                subject=s,
                relation=f.relation,
                object=o,
                negated=f.negated,
                date=f.date if rel.is_event else None,
                confidence=min(conf, 0.99),
                evidence=Evidence(sentence=stripped, start=start, end=end),
                attributes=attrs,
            )
            old = best.get(key)
            if old is None:
                best[key] = triple
                continue
            if f.relation == "OFFICIAL_OF":  # keep the fullest title ("Secretary of State", not "Secretary")
                if len(str(attrs.get("title", ""))) > len(str(old.attributes.get("title", ""))):
                    best[key] = triple
                continue
            old_asserted = "modality" not in old.attributes
            new_asserted = "modality" not in attrs
            if (new_asserted and not old_asserted) or (
                new_asserted == old_asserted
                and (triple.confidence > old.confidence or (old.date is None and triple.date is not None))
            ):
                if triple.date is None and old.date is not None and new_asserted == old_asserted:
                    triple.date = old.date
                best[key] = triple
            elif old.date is None and triple.date is not None and new_asserted == old_asserted:
                old.date = triple.date
        triples = list(best.values())
        used = {t.subject.id for t in triples} | {t.object.id for t in triples}
        ents = [e for e in entities.values() if e.type != "Proposal" or e.id in used]
        return ArticleExtraction(article=article, entities=ents, triples=triples)


def _attached_to(tok: Token, verb: Token) -> bool:
    head = tok.head
    if head is verb:
        return True
    return head.dep_ == "prep" and head.head is verb


def _tree_distance(a: Token, b: Token) -> int:
    pa = [a, *a.ancestors]
    pb = [b, *b.ancestors]
    ia = {t.i: n for n, t in enumerate(pa)}
    for n, t in enumerate(pb):
        if t.i in ia:
            return ia[t.i] + n
    return len(pa) + len(pb)


# ---- multiprocessing -------------------------------------------------------------------------

_WORKER: Extractor | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER
    _WORKER = Extractor(settings)


def _work(article: Article) -> ArticleExtraction:
    assert _WORKER is not None
    return _WORKER.extract(article)


def _extract_parallel(
    articles: Iterable[Article], workers: int, settings: Settings
) -> Iterator[ArticleExtraction]:
    ctx = mp.get_context("spawn" if mp.get_start_method(allow_none=True) == "spawn" else "fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        yield from pool.imap(_work, articles, chunksize=4)
